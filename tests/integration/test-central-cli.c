/* test-central-cli.c: the central archive's staff and IT tools, through
 * consentctl, on a real PostgreSQL 15
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One server for the whole program (tests/ck-test-pg.h). consentctl
 * central init makes the archive as ckadmin over the Unix socket; two
 * kiosks are registered, record consents with `consentctl record` (the
 * demo provider verifies them) and sync over TLS with `consentctl sync`.
 * Then, as a compliance officer's role (a member of ck_staff):
 * `--central URL list|show|export|pdf|usage|check` across branches, with
 * the same output as the local commands. `central check` is clean, then
 * catches each tampering the archive's superuser can do, each on a copy of
 * the database (CREATE DATABASE … TEMPLATE), by the exact problem. The
 * schema's versions, a central purge, and what a staff role may not do
 * close it. The tests run in order: each builds on the ones before. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "ck.h"
#include "ck-test-pg.h"
#include "ck-test-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define STAFF_PASSWORD  "compliance-secret-1"
#define PURGER_PASSWORD "retention-secret-2"

/* The kiosks, their branches and the consents each records. */
typedef struct
{
  const char *name;
  const char *id_number;
  const char *masked;
} Customer;

typedef struct
{
  const char *id;
  const char *branch;
  const char *role;        /* what add-kiosk makes */
  const char *role_option; /* --role, or NULL for the default */
  Customer customers[2];
  char *data_dir;
  char *config;
  char *password_file;
  char *uuids[2];
} Kiosk;

static Kiosk kiosks[] = {
  { "kiosk-north-1", "North", "ck_kiosk_kiosk_north_1", NULL,
    { { "张三", "11010519491231002X", "110105********002X" },
      { "李四", "310104198512124569", "310104********4569" } } },
  { "Kiosk.South/1", "South", "ck_south_1", "ck_south_1",
    { { "张伟", "44030519900101123X", "440305********123X" },
      { "王五", "510107197707077899", "510107********7899" } } },
};

#define NORTH (&kiosks[0])
#define SOUTH (&kiosks[1])

static struct
{
  CkTestPg *pg;
  char *dir;
  GPtrArray *env;
  char *admin_url;
  char *staff_url;
  char *staff_password_file;
  char *purger_url;
  char *purger_password_file;
  char *signature;
} A;

/* --- helpers ------------------------------------------------------------- */

static char *
path_in (const char *name)
{
  return g_build_filename (A.dir, name, NULL);
}

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* A role's URL over the Unix socket, to @dbname. */
static char *
socket_url (const char *role,
            const char *dbname)
{
  return g_strdup_printf ("postgresql://%s@/%s?host=%s&port=%u", role, dbname,
                          ck_test_pg_get_socket_dir (A.pg), ck_test_pg_get_port (A.pg));
}

static void
run_argv (CkTestRun          *run,
          const char * const *argv)
{
  ck_test_run_consentctl (run, (const char * const *)A.env->pdata, argv);
  g_test_message ("consentctl %s → %d\n%s%s", argv[0], run->status, run->out, run->err);
}

#define RUN(run, ...) run_argv (run, (const char * const[]) { __VA_ARGS__, NULL })
/* As the compliance officer, on the archive. */
#define STAFF(run, ...) \
  RUN (run, "--central", A.staff_url, "--central-password-file", A.staff_password_file, __VA_ARGS__)

static PGconn *
connect_admin (const char *dbname)
{
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=%s dbname=%s",
                                               ck_test_pg_get_socket_dir (A.pg), ck_test_pg_get_port (A.pg),
                                               CK_TEST_PG_ADMIN, dbname);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", conninfo, PQerrorMessage (conn));
  return conn;
}

/* Runs @sql as the superuser in @dbname. */
static void
sql_exec (const char *dbname,
          const char *sql)
{
  g_autoptr(PGconn) conn = connect_admin (dbname);
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
}

/* The one value @sql selects, as the superuser in @dbname. */
static char *
sql_value (const char *dbname,
           const char *sql)
{
  g_autoptr(PGconn) conn = connect_admin (dbname);
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetisnull (result, 0, 0) ? "(null)" : PQgetvalue (result, 0, 0));
}

static gint64
sql_int (const char *dbname,
         const char *sql)
{
  g_autofree char *value = sql_value (dbname, sql);

  return g_ascii_strtoll (value, NULL, 10);
}

/* A copy of the archive as it is now, to tamper with. */
static char *
copy_archive (const char *name)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s TEMPLATE %s", name, CK_TEST_PG_DATABASE);

  sql_exec ("postgres", drop);
  sql_exec ("postgres", create);
  return socket_url (CK_TEST_PG_ADMIN, name);
}

static GStrv
lines_of (const char *text)
{
  g_auto(GStrv) all = g_strsplit (text, "\n", -1);
  GPtrArray *lines = g_ptr_array_new ();

  for (guint i = 0; all[i]; i++)
    if (all[i][0])
      g_ptr_array_add (lines, g_strdup (all[i]));
  g_ptr_array_add (lines, NULL);
  return (GStrv)g_ptr_array_free (lines, FALSE);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* The seq of the @n-th consent link (from 0) of @kiosk in @dbname. */
static gint64
consent_seq (const char *dbname,
             Kiosk      *kiosk,
             guint       n)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM ck.links WHERE kiosk_id = '%s' AND kind = 'consent' "
                                          "ORDER BY seq OFFSET %u LIMIT 1", kiosk->id, n);

  return sql_int (dbname, sql);
}

/* `consentctl central check` on @url: its only problem must be @problem. */
static void
assert_one_problem (const char *url,
                    const char *problem)
{
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *line = g_strconcat (problem, "\n", NULL);

  RUN (&run, "central", "check", "--central-url", url);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, line);
  g_assert_cmpstr (run.err, ==, "1 problem found.\n");
}

/* --- the archive and its kiosks ------------------------------------------- */

/* init as ckadmin over the socket; a second init is refused; migrate has
 * nothing to do. The staff and retention roles are made as IT would. */
static void
test_init (void)
{
  g_auto(CkTestRun) init = { 0 };
  g_auto(CkTestRun) again = { 0 };
  g_auto(CkTestRun) migrate = { 0 };
  g_auto(CkTestRun) no_url = { 0 };

  RUN (&no_url, "central", "init");
  g_assert_cmpint (no_url.status, ==, 2);
  ck_test_assert_contains (no_url.err, "--central-url URL is required");

  RUN (&init, "central", "init", "--central-url", A.admin_url);
  g_assert_cmpint (init.status, ==, 0);
  ck_test_assert_contains (init.out, "is set up: schema version 3.\n");
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT max (version) FROM ck.schema_migrations"), ==, 3);

  RUN (&again, "central", "init", "--central-url", A.admin_url);
  g_assert_cmpint (again.status, ==, 1);
  ck_test_assert_contains (again.err, "already holds a central archive (schema version 3)");

  RUN (&migrate, "central", "migrate", "--central-url", A.admin_url);
  g_assert_cmpint (migrate.status, ==, 0);
  g_assert_cmpstr (migrate.out, ==, "The central archive is already at version 3: nothing to do.\n");
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.schema_migrations"), ==, 3);

  sql_exec (CK_TEST_PG_DATABASE,
            "CREATE ROLE ck_compliance LOGIN PASSWORD '" STAFF_PASSWORD "' IN ROLE ck_staff;"
            "CREATE ROLE ck_retention LOGIN PASSWORD '" PURGER_PASSWORD "' IN ROLE ck_purger, ck_staff;");
}

/* Each kiosk registered with its branch and a password file; the default
 * role is made from the id; a role that cannot be one is refused. */
static void
test_add_kiosk (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      Kiosk *kiosk = &kiosks[k];
      g_auto(CkTestRun) run = { 0 };
      g_autofree char *expected = g_strdup_printf ("Kiosk %s of the branch %s is registered: it logs in as "
                                                   "the role %s.\n", kiosk->id, kiosk->branch, kiosk->role);
      g_autofree char *count_sql = g_strdup_printf ("SELECT count (*) FROM ck.kiosks WHERE kiosk_id = '%s' "
                                                    "AND branch = '%s' AND role_name = '%s'",
                                                    kiosk->id, kiosk->branch, kiosk->role);

      if (kiosk->role_option)
        RUN (&run, "central", "add-kiosk", kiosk->id, "--branch", kiosk->branch, "--role", kiosk->role_option,
             "--kiosk-password-file", kiosk->password_file, "--central-url", A.admin_url);
      else
        RUN (&run, "central", "add-kiosk", kiosk->id, "--branch", kiosk->branch,
             "--kiosk-password-file", kiosk->password_file, "--central-url", A.admin_url);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, expected);
      g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, count_sql), ==, 1);
    }

  {
    g_auto(CkTestRun) bad_role = { 0 };
    g_auto(CkTestRun) no_branch = { 0 };
    g_auto(CkTestRun) twice = { 0 };

    RUN (&bad_role, "central", "add-kiosk", "kiosk-x", "--branch", "X", "--role", "Bad-Role",
         "--central-url", A.admin_url);
    g_assert_cmpint (bad_role.status, ==, 1);
    ck_test_assert_contains (bad_role.err, "“Bad-Role” cannot be a kiosk's role");

    RUN (&no_branch, "central", "add-kiosk", "kiosk-x", "--central-url", A.admin_url);
    g_assert_cmpint (no_branch.status, ==, 2);
    ck_test_assert_contains (no_branch.err, "--branch NAME is required");

    RUN (&twice, "central", "add-kiosk", NORTH->id, "--branch", "North", "--central-url", A.admin_url);
    g_assert_cmpint (twice.status, ==, 1);
    g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.kiosks"), ==, 2);
  }
}

/* Each kiosk records its two consents (verified by the demo provider), the
 * south one withdraws its second, and each syncs over TLS. */
static void
test_record_and_sync (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      Kiosk *kiosk = &kiosks[k];
      g_auto(CkTestRun) sync = { 0 };

      for (guint c = 0; c < G_N_ELEMENTS (kiosk->customers); c++)
        {
          g_auto(CkTestRun) run = { 0 };
          char *newline;

          RUN (&run, "--config", kiosk->config, "record", "--name", kiosk->customers[c].name,
               "--id", kiosk->customers[c].id_number, "--signature", A.signature, "--operator", "柜员01");
          g_assert_cmpint (run.status, ==, 0);
          newline = strchr (run.out, '\n');
          g_assert_nonnull (newline);
          *newline = '\0';
          g_assert_true (g_uuid_string_is_valid (run.out));
          kiosk->uuids[c] = g_strdup (run.out);
        }

      if (kiosk == SOUTH)
        {
          g_auto(CkTestRun) withdraw = { 0 };

          RUN (&withdraw, "--config", kiosk->config, "withdraw", kiosk->uuids[1], "--operator", "柜员02",
               "--note", "客户来电撤回");
          g_assert_cmpint (withdraw.status, ==, 0);
        }

      RUN (&sync, "--config", kiosk->config, "sync");
      g_assert_cmpint (sync.status, ==, 0);
      ck_test_assert_contains (sync.out, "; 0 still to send.\n");
    }

  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.consents"), ==, 4);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.pdfs"), ==, 4);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.attempts"), ==, 4);
}

/* --- what staff read ------------------------------------------------------ */

static const char *
find_line (char       **lines,
           const char  *uuid)
{
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], uuid))
      return lines[i];

  g_error ("no line for %s", uuid);
  return NULL;
}

/* Every consent of both kiosks, each line the local one with the branch
 * after the kiosk; --kiosk and --branch choose; --state as locally. */
static void
test_list (void)
{
  g_auto(CkTestRun) all = { 0 };
  g_auto(CkTestRun) north = { 0 };
  g_auto(CkTestRun) south = { 0 };
  g_auto(CkTestRun) nowhere = { 0 };
  g_auto(CkTestRun) withdrawn = { 0 };
  g_auto(CkTestRun) verified = { 0 };
  g_auto(CkTestRun) one = { 0 };
  g_auto(CkTestRun) json = { 0 };
  g_auto(CkTestRun) local = { 0 };
  g_auto(CkTestRun) no_central = { 0 };
  g_auto(CkTestRun) wrong_command = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) local_lines = NULL;
  g_autoptr(JsonNode) root = NULL;

  STAFF (&all, "list");
  g_assert_cmpint (all.status, ==, 0);
  g_assert_cmpstr (all.err, ==, "");
  lines = lines_of (all.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);

  /* The local line of the same consent, the branch inserted after the kiosk. */
  RUN (&local, "--config", NORTH->config, "list");
  g_assert_cmpint (local.status, ==, 0);
  local_lines = lines_of (local.out);
  for (guint c = 0; c < 2; c++)
    {
      const char *local_line = find_line (local_lines, NORTH->uuids[c]);
      const char *kiosk_at = strstr (local_line, NORTH->id);
      g_autofree char *expected = NULL;

      g_assert_nonnull (kiosk_at);
      kiosk_at += strlen (NORTH->id);
      expected = g_strdup_printf ("%.*s  North%s", (int)(kiosk_at - local_line), local_line, kiosk_at);
      g_assert_cmpstr (find_line (lines, NORTH->uuids[c]), ==, expected);
    }
  ck_test_assert_contains (find_line (lines, SOUTH->uuids[1]), "  Kiosk.South/1  South  withdrawn     王五");
  ck_test_assert_contains (find_line (lines, SOUTH->uuids[0]), "  440305********123X  Kiosk.South/1  South  "
                                                              "verified      张伟");

  STAFF (&north, "list", "--kiosk", NORTH->id);
  g_assert_cmpint (north.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = lines_of (north.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  find_line (lines, NORTH->uuids[0]);
  find_line (lines, NORTH->uuids[1]);

  STAFF (&south, "list", "--branch", "South");
  g_assert_cmpint (south.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = lines_of (south.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  find_line (lines, SOUTH->uuids[0]);
  find_line (lines, SOUTH->uuids[1]);

  STAFF (&nowhere, "list", "--kiosk", NORTH->id, "--branch", "South");
  g_assert_cmpint (nowhere.status, ==, 0);
  g_assert_cmpstr (nowhere.out, ==, "");

  STAFF (&withdrawn, "list", "--state", "withdrawn");
  g_assert_cmpint (withdrawn.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = lines_of (withdrawn.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  find_line (lines, SOUTH->uuids[1]);

  STAFF (&verified, "list", "--state", "verified");
  g_assert_cmpint (verified.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = lines_of (verified.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  STAFF (&one, "list", "--limit", "1");
  g_assert_cmpint (one.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = lines_of (one.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  ck_test_assert_contains (one.err, "More consents match; this is the newest 1.");

  STAFF (&json, "list", "--json", "--branch", "North");
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *object = json_array_get_object_element (json_node_get_array (root), i);

      g_assert_cmpstr (json_object_get_string_member (object, "central_kiosk_id"), ==, NORTH->id);
      g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "North");
      g_assert_cmpstr (json_object_get_string_member (object, "kiosk_id"), ==, NORTH->id);
      g_assert_nonnull (strstr (json_object_get_string_member (object, "id_number"), "********"));
    }

  RUN (&no_central, "--config", NORTH->config, "list", "--kiosk", NORTH->id);
  g_assert_cmpint (no_central.status, ==, 2);
  ck_test_assert_contains (no_central.err, "give --central URL before the command");

  RUN (&wrong_command, "--central", A.staff_url, "record");
  g_assert_cmpint (wrong_command.status, ==, 2);
  ck_test_assert_contains (wrong_command.err, "not “record”");
}

/* --search as locally: a name's beginning across branches, an ID number's
 * last characters (X either case). */
static void
test_search (void)
{
  static const struct {
    const char *search;
    guint n;
    const char *first;   /* a name among them */
  } cases[] = {
    { "张", 2, "张三" },
    { "张伟", 1, "张伟" },
    { "王", 1, "王五" },
    { "赵", 0, NULL },
    { "002X", 1, "张三" },
    { "002x", 1, "张三" },
    { "123X", 1, "张伟" },
    { "4569", 1, "李四" },
    { "310104198512124569", 1, "李四" },
    { "9999", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CkTestRun) run = { 0 };
      g_auto(GStrv) lines = NULL;

      STAFF (&run, "list", "--search", cases[i].search);
      g_assert_cmpint (run.status, ==, 0);
      lines = lines_of (run.out);
      g_assert_cmpuint (g_strv_length (lines), ==, cases[i].n);
      if (cases[i].first)
        ck_test_assert_contains (run.out, cases[i].first);
    }

  {
    g_auto(CkTestRun) run = { 0 };
    g_auto(GStrv) lines = NULL;

    STAFF (&run, "list", "--search", "张", "--branch", "South");
    g_assert_cmpint (run.status, ==, 0);
    lines = lines_of (run.out);
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
    find_line (lines, SOUTH->uuids[0]);
  }
}

/* show masks the ID number; --unmask needs --operator and writes a row in
 * ck.reveals first, as the role logged in. */
static void
test_show (void)
{
  g_auto(CkTestRun) masked = { 0 };
  g_auto(CkTestRun) json = { 0 };
  g_auto(CkTestRun) no_operator = { 0 };
  g_auto(CkTestRun) unmasked = { 0 };
  g_auto(CkTestRun) withdrawn = { 0 };
  g_auto(CkTestRun) unknown = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *what = NULL;
  JsonObject *object;

  STAFF (&masked, "show", NORTH->uuids[0]);
  g_assert_cmpint (masked.status, ==, 0);
  ck_test_assert_contains (masked.out, "110105********002X\n");
  g_assert_null (strstr (masked.out, "11010519491231002X"));
  ck_test_assert_contains (masked.out, "Synced by kiosk:");
  ck_test_assert_contains (masked.out, "Branch:");
  ck_test_assert_contains (masked.out, " North\n");
  ck_test_assert_contains (masked.out, "verified");
  ck_test_assert_contains (masked.out, "Event: ");

  STAFF (&json, "show", SOUTH->uuids[0], "--json");
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, SOUTH->uuids[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, "440305********123X");
  g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "South");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "verification"),
                                                  "state"), ==, "verified");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (object, "verification"), "attempts")), ==, 1);

  STAFF (&withdrawn, "show", SOUTH->uuids[1]);
  g_assert_cmpint (withdrawn.status, ==, 0);
  ck_test_assert_contains (withdrawn.out, "客户来电撤回");
  ck_test_assert_contains (withdrawn.out, "withdrawn");

  STAFF (&no_operator, "show", NORTH->uuids[0], "--unmask");
  g_assert_cmpint (no_operator.status, ==, 2);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.reveals"), ==, 0);

  STAFF (&unmasked, "show", NORTH->uuids[0], "--unmask", "--operator", "审计员甲");
  g_assert_cmpint (unmasked.status, ==, 0);
  ck_test_assert_contains (unmasked.out, "11010519491231002X\n");
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.reveals WHERE operator = '审计员甲' "
                                                 "AND by_role = 'ck_compliance'"), ==, 1);
  what = sql_value (CK_TEST_PG_DATABASE, "SELECT what FROM ck.reveals");
  ck_test_assert_contains (what, NORTH->uuids[0]);
  ck_test_assert_contains (what, "\"kiosk_id\":\"kiosk-north-1\"");

  STAFF (&unknown, "show", "00000000-0000-4000-8000-000000000000");
  g_assert_cmpint (unknown.status, ==, 1);
  ck_test_assert_contains (unknown.err, "No consent with the id 00000000-0000-4000-8000-000000000000 is in "
                                        "the central archive");
}

/* pdf writes, byte for byte, what the local `consentctl pdf` writes. */
static void
test_pdf (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      g_auto(CkTestRun) local = { 0 };
      g_auto(CkTestRun) central = { 0 };
      g_autofree char *local_path = path_in ("local.pdf");
      g_autofree char *central_path = path_in ("central.pdf");
      g_autofree char *local_bytes = NULL;
      g_autofree char *central_bytes = NULL;
      gsize local_len = 0, central_len = 0;

      g_unlink (local_path);
      g_unlink (central_path);
      RUN (&local, "--config", kiosks[k].config, "pdf", kiosks[k].uuids[0], "-o", local_path);
      g_assert_cmpint (local.status, ==, 0);
      STAFF (&central, "pdf", kiosks[k].uuids[0], "-o", central_path);
      g_assert_cmpint (central.status, ==, 0);

      local_bytes = read_file (local_path, &local_len);
      central_bytes = read_file (central_path, &central_len);
      g_assert_cmpuint (local_len, >, 1000);
      g_assert_true (g_str_has_prefix (central_bytes, "%PDF-"));
      g_assert_cmpmem (central_bytes, central_len, local_bytes, local_len);
    }
}

/* export of one kiosk: the local export's records, each with
 * central_kiosk_id and branch added; CSV with the two columns added. */
static void
test_export (void)
{
  g_auto(CkTestRun) local = { 0 };
  g_auto(CkTestRun) central = { 0 };
  g_auto(CkTestRun) csv = { 0 };
  g_autofree char *local_path = path_in ("local.json");
  g_autofree char *central_path = path_in ("central.json");
  g_autofree char *csv_path = path_in ("central.csv");
  g_autofree char *local_text = NULL;
  g_autofree char *central_text = NULL;
  g_autofree char *csv_text = NULL;
  g_autoptr(JsonNode) local_root = NULL;
  g_autoptr(JsonNode) central_root = NULL;
  JsonArray *local_array, *central_array;

  RUN (&local, "--config", SOUTH->config, "export", "--format", "json", "-o", local_path);
  g_assert_cmpint (local.status, ==, 0);
  STAFF (&central, "export", "--format", "json", "--kiosk", SOUTH->id, "-o", central_path);
  g_assert_cmpint (central.status, ==, 0);
  g_assert_true (g_str_has_prefix (central.err, "Exported 2 consents to "));
  local_text = read_file (local_path, NULL);
  central_text = read_file (central_path, NULL);
  local_root = parse_json (local_text);
  central_root = parse_json (central_text);
  local_array = json_node_get_array (local_root);
  central_array = json_node_get_array (central_root);
  g_assert_cmpuint (json_array_get_length (local_array), ==, 2);
  g_assert_cmpuint (json_array_get_length (central_array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *object = json_array_get_object_element (central_array, i);
      g_autofree char *theirs = NULL;
      g_autofree char *ours = NULL;

      g_assert_cmpstr (json_object_get_string_member (object, "central_kiosk_id"), ==, SOUTH->id);
      g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "South");
      json_object_remove_member (object, "central_kiosk_id");
      json_object_remove_member (object, "branch");
      theirs = json_to_string (json_array_get_element (central_array, i), FALSE);
      ours = json_to_string (json_array_get_element (local_array, i), FALSE);
      g_assert_cmpstr (theirs, ==, ours);
    }

  STAFF (&csv, "export", "--format", "csv", "-o", csv_path);
  g_assert_cmpint (csv.status, ==, 0);
  csv_text = read_file (csv_path, NULL);
  ck_test_assert_contains (csv_text, ",pdf_sha256,name_method,id_method,state,central_kiosk_id,branch\r\n");
  ck_test_assert_contains (csv_text, "\"withdrawn\",\"Kiosk.South/1\",\"South\"\r\n");
  g_assert_null (strstr (csv_text, "11010519491231002X"));
}

/* usage: the organisation's calls, counted by the archive, against the
 * package; each call with its kiosk and branch. */
static void
test_usage (void)
{
  g_auto(CkTestRun) none = { 0 };
  g_auto(CkTestRun) one = { 0 };
  g_auto(CkTestRun) south = { 0 };
  g_autofree char *url = copy_archive ("usage_copy");

  /* The demo provider's calls are not billed. */
  STAFF (&none, "usage");
  g_assert_cmpint (none.status, ==, 0);
  g_assert_cmpstr (none.out, ==, "\xEF\xBB\xBFtime,consent_id,outcome,http_status,request_id,billed,kiosk_id,branch\r\n");
  g_assert_cmpstr (none.err, ==, "0 of 100 calls used; 100 left. Counted since 2020-01-01. "
                                 "Organisation-wide: 2 kiosks, counted just now.\n");

  /* A paid call a purge on the north kiosk kept. */
  sql_exec ("usage_copy", "INSERT INTO ck.purged_calls (kiosk_id, local_id, purge_seq, started_ms, started_at, "
                          "provider, outcome, http_status, request_id, billed, demo) VALUES ('kiosk-north-1', 1, 1, "
                          "1767225600000, '2026-01-01T00:00:00.000Z', 'aliyun-idcert', 'verified', 200, 'req-1', "
                          "'yes', false)");
  RUN (&one, "--central", url, "usage", "--format", "json");
  g_assert_cmpint (one.status, ==, 0);
  ck_test_assert_contains (one.out, "\"consent_id\" : \"(purged)\"");
  ck_test_assert_contains (one.out, "\"kiosk_id\" : \"kiosk-north-1\"");
  ck_test_assert_contains (one.out, "\"branch\" : \"North\"");
  ck_test_assert_contains (one.err, "1 of 100 calls used; 99 left.");

  RUN (&south, "--central", url, "usage", "--kiosk", SOUTH->id);
  g_assert_cmpint (south.status, ==, 0);
  g_assert_cmpstr (south.out, ==, "\xEF\xBB\xBFtime,consent_id,outcome,http_status,request_id,billed,kiosk_id,branch\r\n");
  ck_test_assert_contains (south.err, "1 of 100 calls used; 99 left.");
}

/* --- central check ------------------------------------------------------- */

static void
test_check_clean (void)
{
  g_auto(CkTestRun) it = { 0 };
  g_auto(CkTestRun) staff = { 0 };
  g_auto(CkTestRun) north = { 0 };
  g_auto(CkTestRun) nowhere = { 0 };

  RUN (&it, "central", "check", "--central-url", A.staff_url, "--password-file", A.staff_password_file);
  g_assert_cmpint (it.status, ==, 0);
  g_assert_true (g_str_has_prefix (it.out, "2 kiosks checked: "));
  ck_test_assert_contains (it.out, " links, 4 consents, 4 PDFs, 4 attempts; all intact.\n");
  g_assert_cmpstr (it.err, ==, "");

  STAFF (&staff, "check");
  g_assert_cmpint (staff.status, ==, 0);
  g_assert_cmpstr (staff.out, ==, it.out);

  STAFF (&north, "check", "--kiosk", NORTH->id);
  g_assert_cmpint (north.status, ==, 0);
  g_assert_true (g_str_has_prefix (north.out, "1 kiosk checked: "));
  ck_test_assert_contains (north.out, " links, 2 consents, 2 PDFs, 2 attempts; all intact.\n");

  STAFF (&nowhere, "check", "--branch", "Nowhere");
  g_assert_cmpint (nowhere.status, ==, 1);
  ck_test_assert_contains (nowhere.err, "The central archive has no kiosk of the branch Nowhere.");
}

/* A PDF's byte changed once its constraint is dropped. */
static void
test_tamper_pdf (void)
{
  g_autofree char *url = copy_archive ("tamper_pdf");
  gint64 seq = consent_seq ("tamper_pdf", SOUTH, 0);
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE ck.pdfs DROP CONSTRAINT pdfs_sha256; "
                                          "UPDATE ck.pdfs SET data = set_byte (data, 20, 255 - get_byte (data, 20)) "
                                          "WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT, SOUTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the PDF of consent %s does "
                                              "not match the SHA-256 and size its record holds: it was changed "
                                              "in the archive.", SOUTH->id, seq, SOUTH->uuids[0]);
  g_autofree char *out = path_in ("tampered.pdf");
  g_auto(CkTestRun) pdf = { 0 };

  sql_exec ("tamper_pdf", sql);
  assert_one_problem (url, problem);

  /* Nor does pdf hand it out. */
  RUN (&pdf, "--central", url, "pdf", SOUTH->uuids[0], "-o", out);
  g_assert_cmpint (pdf.status, ==, 1);
  ck_test_assert_contains (pdf.err, "does not match the SHA-256 the chain records for it");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* A link deleted from the middle of a chain, its foreign keys dropped. */
static void
test_tamper_link (void)
{
  g_autofree char *url = copy_archive ("tamper_link");
  gint64 seq = consent_seq ("tamper_link", NORTH, 1);
  g_autofree char *sql = g_strdup_printf (
    "DO $$ DECLARE r record; BEGIN "
    "  FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint "
    "           WHERE contype = 'f' AND confrelid = 'ck.links'::regclass LOOP "
    "    EXECUTE format ('ALTER TABLE %%s DROP CONSTRAINT %%I', r.t, r.conname); "
    "  END LOOP; "
    "END $$; "
    "DELETE FROM ck.pdfs WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT "; "
    "DELETE FROM ck.consents WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT "; "
    "DELETE FROM ck.links WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT,
    NORTH->id, seq, NORTH->id, seq, NORTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": missing: the chain goes "
                                              "from link %" G_GINT64_FORMAT " to link %" G_GINT64_FORMAT ".",
                                              NORTH->id, seq, seq - 1, seq + 1);

  sql_exec ("tamper_link", sql);
  assert_one_problem (url, problem);
}

/* A consent's row deleted: no constraint stops the superuser. */
static void
test_tamper_consent_deleted (void)
{
  g_autofree char *url = copy_archive ("tamper_row");
  gint64 seq = consent_seq ("tamper_row", SOUTH, 0);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM ck.consents WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT,
                                          SOUTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the consent's record is "
                                              "missing, and no central purge emptied this link.", SOUTH->id, seq);

  sql_exec ("tamper_row", sql);
  assert_one_problem (url, problem);
}

/* A consent's name changed, its hash's CHECK dropped. */
static void
test_tamper_consent_edited (void)
{
  g_autofree char *url = copy_archive ("tamper_name");
  gint64 seq = consent_seq ("tamper_name", NORTH, 0);
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE ck.consents DROP CONSTRAINT consents_hash; "
                                          "UPDATE ck.consents SET name = '赵六' WHERE kiosk_id = '%s' "
                                          "AND seq = %" G_GINT64_FORMAT, NORTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the record of consent %s "
                                              "does not match the link's hash: it was changed in the archive.",
                                              NORTH->id, seq, NORTH->uuids[0]);

  sql_exec ("tamper_name", sql);
  assert_one_problem (url, problem);
}

/* A withdrawal's operator changed, its hash's CHECK dropped. */
static void
test_tamper_event_edited (void)
{
  g_autofree char *url = copy_archive ("tamper_event");
  g_autofree char *seq_sql = g_strdup_printf ("SELECT seq FROM ck.events WHERE kiosk_id = '%s' "
                                              "AND kind = 'withdrawal'", SOUTH->id);
  gint64 seq = sql_int ("tamper_event", seq_sql);
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE ck.events DROP CONSTRAINT events_hash; "
                                          "UPDATE ck.events SET operator = '别人' WHERE kiosk_id = '%s' "
                                          "AND seq = %" G_GINT64_FORMAT, SOUTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the record of the "
                                              "withdrawal event does not match the link's hash: it was changed "
                                              "in the archive.", SOUTH->id, seq);

  sql_exec ("tamper_event", sql);
  assert_one_problem (url, problem);
}

/* An attempt's outcome changed: ck.attempts has no CHECK to drop, only
 * the verification event's seal catches it. */
static void
test_tamper_attempt (void)
{
  g_autofree char *url = copy_archive ("tamper_attempt");
  g_autofree char *seq_sql = g_strdup_printf ("SELECT verification_seq FROM ck.attempts WHERE kiosk_id = '%s' "
                                              "AND consent_uuid = '%s'", NORTH->id, NORTH->uuids[1]);
  gint64 seq = sql_int ("tamper_attempt", seq_sql);
  g_autofree char *sql = g_strdup_printf ("UPDATE ck.attempts SET outcome = 'not-matched' WHERE kiosk_id = '%s' "
                                          "AND consent_uuid = '%s'", NORTH->id, NORTH->uuids[1]);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": attempt 1 of consent %s "
                                              "does not match the SHA-256 its verification event records: it "
                                              "was changed in the archive.", NORTH->id, seq, NORTH->uuids[1]);

  sql_exec ("tamper_attempt", sql);
  assert_one_problem (url, problem);
}

/* An event's link turned into a 'cut' that no purge names: the kiosk has
 * no purge event at all (one may still be on its way). */
static void
test_tamper_cut (void)
{
  g_autofree char *url = copy_archive ("tamper_cut");
  g_autofree char *seq_sql = g_strdup_printf ("SELECT seq FROM ck.events WHERE kiosk_id = '%s' "
                                              "AND kind = 'withdrawal'", SOUTH->id);
  gint64 seq = sql_int ("tamper_cut", seq_sql);
  g_autofree char *sql = g_strdup_printf ("UPDATE ck.links SET kind = 'cut' WHERE kiosk_id = '%s' "
                                          "AND seq = %" G_GINT64_FORMAT, SOUTH->id, seq);
  g_autofree char *problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the kiosk purged this link "
                                              "before syncing it, and no purge event naming it has reached the "
                                              "archive: if the kiosk's next sync does not bring one, the link "
                                              "was forged.", SOUTH->id, seq);

  sql_exec ("tamper_cut", sql);
  assert_one_problem (url, problem);
}

/* A conflict a kiosk reported is a problem until dealt with. */
static void
test_conflict_reported (void)
{
  g_autofree char *url = copy_archive ("conflict");
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *prefix = g_strdup_printf ("Kiosk %s, link 3: the kiosk reported a sync conflict at ", NORTH->id);

  sql_exec ("conflict", "INSERT INTO ck.sync_conflicts (kiosk_id, seq, kiosk_hash, central_hash, message) "
                        "VALUES ('kiosk-north-1', 3, repeat ('a', 64), repeat ('b', 64), 'Link 3 differs.')");
  RUN (&run, "central", "check", "--central-url", url);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, prefix));
  g_assert_true (g_str_has_suffix (run.out, "Z: Link 3 differs.\n"));
  g_assert_cmpstr (run.err, ==, "1 problem found.\n");
}

/* A PDF revision (a timestamp appended on the kiosk, as the sealing queue
 * appends one) synced: pdf hands out the revised file, check hashes it
 * against its event, and catches it changed or gone. */
static void
test_revision (void)
{
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) revised = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) sync = { 0 };
  g_auto(CkTestRun) local = { 0 };
  g_auto(CkTestRun) central = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_auto(CkTestRun) gone_pdf = { 0 };
  g_autofree char *local_path = path_in ("revised-local.pdf");
  g_autofree char *central_path = path_in ("revised-central.pdf");
  g_autofree char *local_bytes = NULL;
  g_autofree char *central_bytes = NULL;
  g_autofree char *changed_url = NULL;
  g_autofree char *gone_url = NULL;
  g_autofree char *seq_sql = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *problem = NULL;
  static const char update[] = "\n% a revision appended for the test\n%%EOF\n";
  gsize local_len = 0, central_len = 0;
  gint64 seq;

  store = ck_store_open (NORTH->data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  record = ck_store_lookup (store, NORTH->uuids[0], &error);
  g_assert_no_error (error);
  pdf = ck_store_read_pdf (store, record, &error);
  g_assert_no_error (error);
  g_byte_array_append (bytes, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  g_byte_array_append (bytes, (const guint8 *)update, sizeof update - 1);
  revised = g_bytes_new (bytes->data, bytes->len);
  g_assert_true (ck_store_append_pdf_revision (store, NORTH->uuids[0], revised, "timestamp", "test", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  RUN (&sync, "--config", NORTH->config, "sync");
  g_assert_cmpint (sync.status, ==, 0);

  RUN (&local, "--config", NORTH->config, "pdf", NORTH->uuids[0], "-o", local_path);
  g_assert_cmpint (local.status, ==, 0);
  STAFF (&central, "pdf", NORTH->uuids[0], "-o", central_path);
  g_assert_cmpint (central.status, ==, 0);
  local_bytes = read_file (local_path, &local_len);
  central_bytes = read_file (central_path, &central_len);
  g_assert_cmpmem (local_bytes, local_len, g_bytes_get_data (revised, NULL), g_bytes_get_size (revised));
  g_assert_cmpmem (central_bytes, central_len, local_bytes, local_len);

  STAFF (&check, "check");
  g_assert_cmpint (check.status, ==, 0);
  ck_test_assert_contains (check.out, " 4 consents, 5 PDFs, 4 attempts; all intact.\n");

  seq_sql = g_strdup_printf ("SELECT seq FROM ck.events WHERE kiosk_id = '%s' AND kind = 'pdf-revision'", NORTH->id);
  seq = sql_int (CK_TEST_PG_DATABASE, seq_sql);

  changed_url = copy_archive ("tamper_revision");
  sql = g_strdup_printf ("ALTER TABLE ck.pdfs DROP CONSTRAINT pdfs_sha256; "
                         "UPDATE ck.pdfs SET data = set_byte (data, 30, 255 - get_byte (data, 30)) "
                         "WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT, NORTH->id, seq);
  sql_exec ("tamper_revision", sql);
  problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the PDF revision of consent %s does not match "
                             "the SHA-256 and size its event records: it was changed in the archive.",
                             NORTH->id, seq, NORTH->uuids[0]);
  assert_one_problem (changed_url, problem);

  gone_url = copy_archive ("revision_gone");
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM ck.pdfs WHERE kiosk_id = '%s' AND seq = %" G_GINT64_FORMAT, NORTH->id, seq);
  sql_exec ("revision_gone", sql);
  g_free (problem);
  problem = g_strdup_printf ("Kiosk %s, link %" G_GINT64_FORMAT ": the PDF revision of consent %s is missing.",
                             NORTH->id, seq, NORTH->uuids[0]);
  assert_one_problem (gone_url, problem);

  /* Nor does pdf hand out the original in its place. */
  g_unlink (central_path);
  RUN (&gone_pdf, "--central", gone_url, "pdf", NORTH->uuids[0], "-o", central_path);
  g_assert_cmpint (gone_pdf.status, ==, 1);
  ck_test_assert_contains (gone_pdf.err, "lacks the current revision of consent");
  g_assert_false (g_file_test (central_path, G_FILE_TEST_EXISTS));
}

/* --- the schema's versions -------------------------------------------------- */

/* An archive left at version 1 (by this version's own init, stopped there)
 * migrates to 2, once. */
static void
test_migrate_from_1 (void)
{
  g_autofree char *url = socket_url (CK_TEST_PG_ADMIN, "archive_v1");
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) migrate = { 0 };
  g_auto(CkTestRun) again = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CkCentralParams params = { url };

  sql_exec ("postgres", "DROP DATABASE IF EXISTS archive_v1");
  sql_exec ("postgres", "CREATE DATABASE archive_v1");
  central = ck_central_connect (&params, &error);
  g_assert_no_error (error);
  g_assert_true (ck_central_init_archive (central, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_central_get_schema_version (central, &error), ==, 1);
  g_clear_object (&central);
  before = sql_value ("archive_v1", "SELECT to_regclass ('ck.attempts')");
  g_assert_cmpstr (before, ==, "(null)");

  RUN (&migrate, "central", "migrate", "--central-url", url);
  g_assert_cmpint (migrate.status, ==, 0);
  g_assert_cmpstr (migrate.out, ==, "The central archive was migrated from version 1 to version 3.\n");
  g_assert_cmpint (sql_int ("archive_v1", "SELECT max (version) FROM ck.schema_migrations"), ==, 3);
  after = sql_value ("archive_v1", "SELECT to_regclass ('ck.attempts')");
  g_assert_cmpstr (after, ==, "ck.attempts");
  /* Version 3: the entry methods of issue 18. */
  g_assert_cmpint (sql_int ("archive_v1", "SELECT count (*) FROM information_schema.columns "
                                          "WHERE table_schema = 'ck' AND table_name = 'consents' "
                                          "AND column_name IN ('name_method', 'id_method')"), ==, 2);

  RUN (&again, "central", "migrate", "--central-url", url);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, "The central archive is already at version 3: nothing to do.\n");
}

/* An archive of a newer version: migrate changes nothing, a kiosk sends
 * nothing. */
static void
test_newer_refused (void)
{
  g_autofree char *url = copy_archive ("archive_newer");
  g_autofree char *config = path_in ("north-newer.conf");
  g_autofree char *text = NULL;
  g_auto(CkTestRun) migrate = { 0 };
  g_auto(CkTestRun) sync = { 0 };

  sql_exec ("archive_newer", "INSERT INTO ck.schema_migrations (version) VALUES (99)");

  RUN (&migrate, "central", "migrate", "--central-url", url);
  g_assert_cmpint (migrate.status, ==, 1);
  ck_test_assert_contains (migrate.err, "has schema version 99, newer than this version of Consent Kiosk reads (3)");
  g_assert_cmpint (sql_int ("archive_newer", "SELECT count (*) FROM ck.schema_migrations"), ==, 4);

  text = g_strdup_printf ("[kiosk]\nid = %s\ndata_dir = %s\n[central]\n"
                          "url = postgresql://%s@localhost:%u/archive_newer\nca_file = %s\npassword_file = %s\n",
                          NORTH->id, NORTH->data_dir, NORTH->role, ck_test_pg_get_port (A.pg),
                          ck_test_pg_get_ca_file (A.pg), NORTH->password_file);
  write_file (config, text, 0600);
  RUN (&sync, "--config", config, "sync");
  g_assert_cmpint (sync.status, ==, 1);
  ck_test_assert_contains (sync.err, "has schema version 99, newer than this kiosk knows (3)");
}

/* --- retention -------------------------------------------------------------- */

static char *
save_consent (CkStore    *store,
              const char *name,
              const char *id_number,
              const char *sign_date)
{
  g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
  g_autoptr(CkSignature) signature = ck_sample_signature_new (60);
  g_autofree char *text = g_strdup_printf ("%%PDF-1.7 stand-in for %s\n", name);
  g_autoptr(GBytes) pdf = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup_printf ("%sT01:30:00.000000Z", sign_date);
  r->name = g_strdup (name);
  r->id_number = g_strdup (id_number);
  r->sign_date = g_strdup (sign_date);
  r->org_name = g_strdup ("示例银行");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("kiosk-old-1");
  g_assert_true (ck_store_save (store, r, pdf, &error));
  g_assert_no_error (error);

  return g_strdup (r->uuid);
}

/* A third kiosk with consents of 2020: one purged on the kiosk before it
 * was synced (a cut link), one verified, synced, then purged centrally:
 * its record, PDF and attempt's body go, the purge is recorded, and check
 * stays clean through both. */
static void
test_central_purge (void)
{
  g_autofree char *data_dir = path_in ("old-data");
  g_autofree char *config = path_in ("old.conf");
  g_autofree char *password_file = path_in ("old.password");
  g_autofree char *text = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *old = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *links = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) add = { 0 };
  g_auto(CkTestRun) verify = { 0 };
  g_auto(CkTestRun) sync = { 0 };
  g_auto(CkTestRun) before = { 0 };
  g_auto(CkTestRun) refused = { 0 };
  g_auto(CkTestRun) purge = { 0 };
  g_auto(CkTestRun) after = { 0 };
  g_auto(CkTestRun) list = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  write_file (password_file, "old-kiosk-secret\n", 0600);
  RUN (&add, "central", "add-kiosk", "kiosk-old-1", "--branch", "South", "--kiosk-password-file", password_file,
       "--central-url", A.admin_url);
  g_assert_cmpint (add.status, ==, 0);

  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  cut = save_consent (store, "钱一", "11010519491231002X", "2020-01-02");
  old = save_consent (store, "孙二", "310104198512124569", "2020-01-03");
  kept = save_consent (store, "周三", "44030519900101123X", "2026-01-05");
  g_assert_true (ck_store_purge (store, "2020-01-03", "IT", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_clear_object (&store);

  text = g_strdup_printf ("[kiosk]\nid = kiosk-old-1\ndata_dir = %s\n[central]\n"
                          "url = postgresql://ck_kiosk_kiosk_old_1@localhost:%u/%s\nca_file = %s\npassword_file = %s\n",
                          data_dir, ck_test_pg_get_port (A.pg), CK_TEST_PG_DATABASE, ck_test_pg_get_ca_file (A.pg),
                          password_file);
  write_file (config, text, 0600);
  RUN (&verify, "--config", config, "verify", old);
  g_assert_cmpint (verify.status, ==, 0);
  RUN (&sync, "--config", config, "sync");
  g_assert_cmpint (sync.status, ==, 0);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.links WHERE kiosk_id = 'kiosk-old-1' "
                                                 "AND kind = 'cut'"), ==, 1);

  RUN (&before, "central", "check", "--central-url", A.staff_url, "--password-file", A.staff_password_file);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_true (g_str_has_prefix (before.out, "3 kiosks checked: "));

  /* A link turned into a cut that the kiosk's purge event does not name. */
  {
    g_autofree char *url = copy_archive ("tamper_named");
    g_autofree char *problem = g_strdup ("Kiosk kiosk-old-1, link 3: the kiosk purged this link before syncing "
                                         "it, but no later purge event of the kiosk names it with this hash.");

    g_assert_cmpint (sql_int ("tamper_named", "SELECT seq FROM ck.events WHERE kiosk_id = 'kiosk-old-1' "
                                              "AND kind = 'purge'"), ==, 4);
    sql_exec ("tamper_named", "UPDATE ck.links SET kind = 'cut' WHERE kiosk_id = 'kiosk-old-1' AND seq = 3");
    assert_one_problem (url, problem);
  }

  /* Staff may not purge: only members of ck_purger. */
  RUN (&refused, "central", "purge", "--before", "2020-06-01", "--operator", "合规部",
       "--central-url", A.staff_url, "--password-file", A.staff_password_file);
  g_assert_cmpint (refused.status, ==, 1);
  ck_test_assert_contains (refused.err, "permission denied");

  RUN (&purge, "central", "purge", "--before", "2020-06-01", "--operator", "合规部",
       "--central-url", A.purger_url, "--password-file", A.purger_password_file);
  g_assert_cmpint (purge.status, ==, 0);
  g_assert_cmpstr (purge.out, ==, "Purged 1 consent signed before 2020-06-01 from the central archive.\n");

  sql = g_strdup_printf ("SELECT count (*) FROM ck.consents WHERE uuid = '%s'", old);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, sql), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM ck.pdfs WHERE consent_uuid = '%s'", old);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, sql), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM ck.attempts WHERE consent_uuid = '%s' AND body IS NULL "
                         "AND provider_message IS NULL", old);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM ck.consents WHERE uuid = '%s'", kept);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, sql), ==, 1);
  g_assert_cmpint (sql_int (CK_TEST_PG_DATABASE, "SELECT count (*) FROM ck.central_purges WHERE operator = '合规部' "
                                                 "AND before = '2020-06-01' AND consents = 1 "
                                                 "AND by_role = 'ck_retention'"), ==, 1);
  links = sql_value (CK_TEST_PG_DATABASE, "SELECT links::text FROM ck.central_purges");
  ck_test_assert_contains (links, "[[\"kiosk-old-1\", 2, \"");

  RUN (&after, "central", "check", "--central-url", A.staff_url, "--password-file", A.staff_password_file);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_true (g_str_has_prefix (after.out, "3 kiosks checked: "));

  STAFF (&list, "list", "--kiosk", "kiosk-old-1");
  g_assert_cmpint (list.status, ==, 0);
  lines = lines_of (list.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], kept));

  STAFF (&show, "show", old);
  g_assert_cmpint (show.status, ==, 1);
  ck_test_assert_contains (show.err, "is in the central archive");
}

/* --- least privilege --------------------------------------------------------- */

/* A staff role reads everything, changes nothing: PostgreSQL says so. */
static void
test_staff_read_only (void)
{
  static const char * const statements[] = {
    "UPDATE ck.consents SET name = 'x'",
    "DELETE FROM ck.consents",
    "DELETE FROM ck.links",
    "UPDATE ck.pdfs SET data = ''",
    "DELETE FROM ck.reveals",
    "INSERT INTO ck.kiosks (kiosk_id, role_name) VALUES ('evil', 'evil')",
    "SELECT ck.purge_before ('2030-01-01', 'me')",
  };
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=ck_compliance password=%s dbname=%s",
                                               ck_test_pg_get_socket_dir (A.pg), ck_test_pg_get_port (A.pg),
                                               STAFF_PASSWORD, CK_TEST_PG_DATABASE);
  g_autoptr(PGconn) conn = PQconnectdb (conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(PGresult) result = PQexec (conn, statements[i]);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
      g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "42501");
    }
  {
    g_autoptr(PGresult) result = PQexec (conn, "SELECT count (*) FROM ck.consents");

    g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
    g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "5");
  }
}

/* Over TLS, the staff role's password and the CA given as global options;
 * without the CA, refused before anything is sent. */
static void
test_staff_over_tls (void)
{
  g_autofree char *url = g_strdup_printf ("postgresql://ck_compliance@localhost:%u/%s", ck_test_pg_get_port (A.pg),
                                          CK_TEST_PG_DATABASE);
  g_auto(CkTestRun) ok = { 0 };
  g_auto(CkTestRun) no_ca = { 0 };
  g_auto(CkTestRun) stray = { 0 };

  RUN (&ok, "--central", url, "--central-ca-file", ck_test_pg_get_ca_file (A.pg),
       "--central-password-file", A.staff_password_file, "list", "--branch", "North");
  g_assert_cmpint (ok.status, ==, 0);
  ck_test_assert_contains (ok.out, NORTH->uuids[0]);

  RUN (&no_ca, "--central", url, "--central-password-file", A.staff_password_file, "list");
  g_assert_cmpint (no_ca.status, ==, 1);
  ck_test_assert_contains (no_ca.err, "set ca_file in [central]");

  RUN (&stray, "--central-ca-file", ck_test_pg_get_ca_file (A.pg), "list");
  g_assert_cmpint (stray.status, ==, 2);
}

/* --- set-up ------------------------------------------------------------------ */

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *system_conf = NULL;

  A.pg = ck_test_pg_start (CK_TEST_PG_FAST, &error);
  g_assert_no_error (error);
  A.dir = g_dir_make_tmp ("test-central-cli-XXXXXX", &error);
  g_assert_no_error (error);

  system_conf = g_strdup ("[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n"
                          "purpose = 身份核验和风险管理\n"
                          "[verification]\npackage_size = 100\npackage_start = 2020-01-01\n");
  A.env = ck_test_consentctl_env (A.dir, system_conf);
  A.admin_url = socket_url (CK_TEST_PG_ADMIN, CK_TEST_PG_DATABASE);
  A.staff_url = socket_url ("ck_compliance", CK_TEST_PG_DATABASE);
  A.purger_url = socket_url ("ck_retention", CK_TEST_PG_DATABASE);
  A.staff_password_file = path_in ("staff.password");
  A.purger_password_file = path_in ("purger.password");
  write_file (A.staff_password_file, STAFF_PASSWORD "\n", 0600);
  write_file (A.purger_password_file, PURGER_PASSWORD "\n", 0600);
  A.signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature", "hand", NULL);
  g_assert_true (g_file_test (A.signature, G_FILE_TEST_IS_REGULAR));

  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      Kiosk *kiosk = &kiosks[k];
      g_autofree char *name = g_strdup_printf ("kiosk-%u", k);
      g_autofree char *config_text = NULL;
      g_autofree char *password = g_strdup_printf ("kiosk-secret-%u\n", k);

      kiosk->data_dir = path_in (name);
      kiosk->config = g_strconcat (kiosk->data_dir, ".conf", NULL);
      kiosk->password_file = g_strconcat (kiosk->data_dir, ".password", NULL);
      write_file (kiosk->password_file, password, 0600);
      config_text = g_strdup_printf ("[kiosk]\nid = %s\ndata_dir = %s\n[central]\n"
                                     "url = postgresql://%s@localhost:%u/%s\nca_file = %s\npassword_file = %s\n",
                                     kiosk->id, kiosk->data_dir, kiosk->role, ck_test_pg_get_port (A.pg),
                                     CK_TEST_PG_DATABASE, ck_test_pg_get_ca_file (A.pg), kiosk->password_file);
      write_file (kiosk->config, config_text, 0600);
    }
}

static void
tear_down (void)
{
  g_clear_pointer (&A.pg, ck_test_pg_free);
  if (A.dir)
    ck_test_rm_rf (A.dir);
  g_clear_pointer (&A.dir, g_free);
  g_clear_pointer (&A.env, g_ptr_array_unref);
  g_clear_pointer (&A.admin_url, g_free);
  g_clear_pointer (&A.staff_url, g_free);
  g_clear_pointer (&A.purger_url, g_free);
  g_clear_pointer (&A.staff_password_file, g_free);
  g_clear_pointer (&A.purger_password_file, g_free);
  g_clear_pointer (&A.signature, g_free);
  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      g_clear_pointer (&kiosks[k].data_dir, g_free);
      g_clear_pointer (&kiosks[k].config, g_free);
      g_clear_pointer (&kiosks[k].password_file, g_free);
      for (guint c = 0; c < G_N_ELEMENTS (kiosks[k].uuids); c++)
        g_clear_pointer (&kiosks[k].uuids[c], g_free);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  ck_test_pg_require_or_skip ();
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/central-cli/init", test_init);
  g_test_add_func ("/central-cli/add-kiosk", test_add_kiosk);
  g_test_add_func ("/central-cli/record-and-sync", test_record_and_sync);
  g_test_add_func ("/central-cli/list", test_list);
  g_test_add_func ("/central-cli/search", test_search);
  g_test_add_func ("/central-cli/show", test_show);
  g_test_add_func ("/central-cli/pdf", test_pdf);
  g_test_add_func ("/central-cli/export", test_export);
  g_test_add_func ("/central-cli/usage", test_usage);
  g_test_add_func ("/central-cli/check-clean", test_check_clean);
  g_test_add_func ("/central-cli/check-pdf-changed", test_tamper_pdf);
  g_test_add_func ("/central-cli/check-link-deleted", test_tamper_link);
  g_test_add_func ("/central-cli/check-consent-deleted", test_tamper_consent_deleted);
  g_test_add_func ("/central-cli/check-consent-edited", test_tamper_consent_edited);
  g_test_add_func ("/central-cli/check-event-edited", test_tamper_event_edited);
  g_test_add_func ("/central-cli/check-attempt-edited", test_tamper_attempt);
  g_test_add_func ("/central-cli/check-cut-not-named", test_tamper_cut);
  g_test_add_func ("/central-cli/check-conflict", test_conflict_reported);
  g_test_add_func ("/central-cli/revision", test_revision);
  g_test_add_func ("/central-cli/schema-migrate-from-1", test_migrate_from_1);
  g_test_add_func ("/central-cli/schema-newer-refused", test_newer_refused);
  g_test_add_func ("/central-cli/purge", test_central_purge);
  g_test_add_func ("/central-cli/staff-read-only", test_staff_read_only);
  g_test_add_func ("/central-cli/staff-tls", test_staff_over_tls);

  set_up ();
  status = g_test_run ();
  tear_down ();

  return status;
}
