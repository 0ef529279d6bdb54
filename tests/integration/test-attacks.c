/* test-attacks.c: the store against someone with the kiosk user's shell
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each test is one attack from issue 13's table, done as the attacker did
 * it: backups and databases edited with SQLite, files and links put into
 * the data directory, special files named as outputs, a read-only mount
 * and a full disk. Each asserts that consentctl refuses or reports it with
 * its specific message and that what was stored is unchanged (a digest of
 * every file before and after). The row numbers are the table's.
 *
 * Mounts need a private mount namespace (unshare -m, as root or in a user
 * namespace that allows it); where there is none those tests are skipped,
 * never passed. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ck-test-util.h"

#define FULL_ID "11010519491231002X"

typedef struct
{
  char *dir;
  char *data_dir;   /* made by the first record */
  char *outside;    /* a folder outside the data directory, empty */
  char *signature;  /* a valid signature file */
  GPtrArray *env;
} Box;

static void
box_clear (Box *box)
{
  if (box->dir)
    ck_test_rm_rf (box->dir);
  g_clear_pointer (&box->dir, g_free);
  g_clear_pointer (&box->data_dir, g_free);
  g_clear_pointer (&box->outside, g_free);
  g_clear_pointer (&box->signature, g_free);
  g_clear_pointer (&box->env, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Box, box_clear)

static void
box_init (Box *box)
{
  g_autoptr(GError) error = NULL;

  box->dir = g_dir_make_tmp ("test-attacks-XXXXXX", &error);
  g_assert_no_error (error);
  box->data_dir = g_build_filename (box->dir, "store", NULL);
  box->outside = g_build_filename (box->dir, "outside", NULL);
  g_assert_cmpint (g_mkdir (box->outside, 0700), ==, 0);
  box->signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature", "hand", NULL);
  box->env = ck_test_consentctl_env (box->dir, "[organization]\nname = 示例银行股份有限公司\n"
                                      "business = 个人贷款\npurpose = 身份核验\n"
                                      "[kiosk]\nid = branch-042\n");
  g_ptr_array_add (box->env, g_strdup ("TZ=UTC"));
  g_ptr_array_add (box->env, g_strdup ("TZ=UTC"));
}

static char *
box_path (Box        *box,
          const char *name)
{
  return g_build_filename (box->dir, name, NULL);
}

static char *
db_path (Box *box)
{
  return g_build_filename (box->data_dir, "consents.db", NULL);
}

/* Runs consentctl on the box's data directory; no whole ID number may
 * appear in what it prints. */
static void
run_argv (CkTestRun          *run,
          Box                *box,
          const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer)"--data-dir");
  g_ptr_array_add (args, box->data_dir);
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer)argv[i]);
  g_ptr_array_add (args, NULL);

  ck_test_run_keeping (run, box->env, (const char * const *)args->pdata, FULL_ID);
}

#define RUN(run, box, ...) run_argv (run, box, (const char * const[]) { __VA_ARGS__, NULL })

/* consentctl failed with exit code 1 and said @message. */
static void
assert_refused (CkTestRun  *run,
                const char *message)
{
  if (run->status != 1)
    g_error ("Expected exit code 1 and “%s”, got %d: “%s” / “%s”", message, run->status, run->out, run->err);
  ck_test_assert_contains (run->err, message);
}

/* Records a consent through consentctl, not verified; returns its id. */
static char *
record_consent (Box        *box,
                const char *name)
{
  g_auto(CkTestRun) run = { 0 };
  char *newline;

  RUN (&run, box, "record", "--name", name, "--id", FULL_ID, "--signature", box->signature,
       "--operator", "王芳", "--no-verify");
  g_assert_cmpint (run.status, ==, 0);
  newline = strchr (run.out, '\n');
  g_assert_nonnull (newline);
  *newline = '\0';
  g_assert_true (g_uuid_string_is_valid (run.out));

  return g_strdup (run.out);
}

static guint
count_consents (Box *box)
{
  g_auto(CkTestRun) run = { 0 };
  guint lines = 0;

  RUN (&run, box, "list", "--limit", "0");
  g_assert_cmpint (run.status, ==, 0);
  for (const char *p = run.out; *p; p++)
    lines += *p == '\n';

  return lines;
}

static void
assert_check_passes (Box *box)
{
  g_auto(CkTestRun) run = { 0 };

  RUN (&run, box, "check");
  if (run.status != 0)
    g_error ("check failed: “%s” / “%s”", run.out, run.err);
}

/* `consentctl check` exits 1 and reports @message among its problems. */
static void
assert_check_reports (Box        *box,
                      const char *message)
{
  g_auto(CkTestRun) run = { 0 };

  RUN (&run, box, "check");
  if (run.status != 1)
    g_error ("check did not fail (%d) on “%s”: “%s” / “%s”", run.status, message, run.out, run.err);
  ck_test_assert_contains (run.out, message);   /* one problem a line */
  ck_test_assert_contains (run.err, "found.");  /* and how many */
}

/* Runs @sql on @path behind the kiosk's back, as an attacker would. */
static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  return value;
}

/* A store of @n consents, and a backup of it at the returned path. */
static char *
fill_and_back_up (Box   *box,
                  guint  n)
{
  static const char * const names[] = { "张三", "李四", "王五", "赵六", "欧阳修远", "阿依古丽·买买提" };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *name = g_strdup_printf ("backup-%u.ckbackup", g_test_rand_int_range (0, G_MAXINT));
  char *backup = box_path (box, name);

  for (guint i = 0; i < n; i++)
    g_free (record_consent (box, names[i % G_N_ELEMENTS (names)]));
  RUN (&run, box, "backup", "--quiet", backup);
  g_assert_cmpint (run.status, ==, 0);

  return backup;
}

/* Restores @backup into a new folder of the box, which must be refused
 * with @message: the folder is not made, and the backup is unchanged. */
static void
assert_restore_refused (Box        *box,
                        const char *backup,
                        const char *message)
{
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *target = box_path (box, "restored");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (backup, &contents, &len, NULL));
  before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
  g_clear_pointer (&contents, g_free);

  RUN (&run, box, "restore", "--quiet", backup, "--data-dir", target);
  assert_refused (&run, message);
  /* Named by the file given, not by a temporary path of the restore. */
  {
    g_autofree char *start = g_strdup_printf ("The backup %s is damaged or incomplete", backup);

    ck_test_assert_contains (run.err, start);
  }
  ck_test_assert_contains (run.err, "Nothing was changed");
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_get_contents (backup, &contents, &len, NULL));
  after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
  g_assert_cmpstr (after, ==, before);
}

/* --- 1, 2: hostile backups ------------------------------------------------------ */

/* Row 1: SQLite parses only the first statement of a stored CREATE; the
 * rest ran when restore executed the stored text. */
static void
test_backup_schema_statements (void)
{
  g_auto(Box) box = { 0 };
  g_autofree char *backup = NULL;
  g_autofree char *leak = NULL;
  g_autofree char *sql = NULL;

  box_init (&box);
  backup = fill_and_back_up (&box, 2);
  leak = g_build_filename (box.outside, "leak.db", NULL);
  sql = g_strdup_printf ("PRAGMA writable_schema = ON;"
                         "UPDATE sqlite_schema SET sql = sql || '; ATTACH ''%s'' AS p; "
                         "CREATE TABLE p.leak AS SELECT name, id_number FROM main.consents' "
                         "WHERE name = 'consents_name';",
                         leak);
  sql_exec (backup, sql);

  assert_restore_refused (&box, backup, "the statement that created “consents_name” is not the one "
                                        "Consent Kiosk wrote");
  g_assert_false (g_file_test (leak, G_FILE_TEST_EXISTS));
}

/* Row 2: a trigger that drops every later consent; a view; a column of
 * another type. */
static void
test_backup_objects (void)
{
  static const struct {
    const char *sql;
    const char *message;
  } attacks[] = {
    { "CREATE TRIGGER drop_new BEFORE INSERT ON consents BEGIN SELECT RAISE (IGNORE); END;",
      "it holds a trigger “drop_new”, which Consent Kiosk does not create" },
    { "CREATE VIEW everyone AS SELECT name, id_number FROM consents;",
      "it holds a view “everyone”, which Consent Kiosk does not create" },
    { "UPDATE consents SET name = CAST (name AS BLOB) WHERE seq = 1;",
      "row 1 of the table “consents” holds a value of another type than its column “name” (TEXT)" },
    { "UPDATE consents SET pdf_size = 'large' WHERE seq = 2;",
      "row 2 of the table “consents” holds a value of another type than its column “pdf_size” (INTEGER)" },
    { "CREATE TABLE extra (secret TEXT);",
      "“extra”" },
  };
  g_auto(Box) box = { 0 };
  g_autofree char *backup = NULL;

  box_init (&box);
  backup = fill_and_back_up (&box, 2);

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *crafted = g_strdup_printf ("%s.%u", backup, i);
      g_autoptr(GFile) from = g_file_new_for_path (backup);
      g_autoptr(GFile) to = g_file_new_for_path (crafted);
      g_autoptr(GError) error = NULL;

      g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      sql_exec (crafted, attacks[i].sql);
      assert_restore_refused (&box, crafted, attacks[i].message);
    }
}

/* A trigger or a view put into the live database: the writer refuses to
 * save into it, check reports it. */
static void
test_live_objects (void)
{
  static const char * const attacks[][2] = {
    { "CREATE TRIGGER drop_new BEFORE INSERT ON consents BEGIN SELECT RAISE (IGNORE); END;",
      "holds a trigger “drop_new”" },
    { "CREATE VIEW everyone AS SELECT name, id_number FROM consents;", "holds a view “everyone”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_auto(Box) box = { 0 };
      g_auto(CkTestRun) run = { 0 };
      g_autofree char *db = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      box_init (&box);
      g_free (record_consent (&box, "张三"));
      db = db_path (&box);
      sql_exec (db, attacks[i][0]);
      before = ck_test_tree_digest (box.data_dir);

      RUN (&run, &box, "record", "--name", "李四", "--id", FULL_ID, "--signature", box.signature,
           "--operator", "王芳", "--no-verify");
      assert_refused (&run, attacks[i][1]);
      after = ck_test_tree_digest (box.data_dir);
      g_assert_cmpstr (after, ==, before);
      assert_check_reports (&box, attacks[i][1]);
    }
}

/* --- 3: a lost database -------------------------------------------------------------- */

static void
test_database_lost (void)
{
  for (guint how = 0; how < 3; how++)
    {
      g_auto(Box) box = { 0 };
      g_auto(CkTestRun) run = { 0 };
      g_auto(CkTestRun) check = { 0 };
      g_autofree char *db = NULL;
      g_autofree char *head = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *quarantine = NULL;

      box_init (&box);
      g_free (record_consent (&box, "张三"));
      g_free (record_consent (&box, "李四"));
      db = db_path (&box);
      head = g_build_filename (box.data_dir, "consents.head", NULL);

      /* 0: deleted; 1: emptied; 2: deleted with the copy of its head. */
      for (const char * const *suffix = (const char * const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
        {
          g_autofree char *path = g_strconcat (db, *suffix, NULL);

          g_unlink (path);
        }
      if (how == 1)
        g_assert_true (g_file_set_contents (db, "", 0, NULL));
      if (how == 2)
        g_assert_cmpint (g_unlink (head), ==, 0);
      before = ck_test_tree_digest (box.data_dir);

      RUN (&run, &box, "record", "--name", "王五", "--id", FULL_ID, "--signature", box.signature,
           "--operator", "王芳", "--no-verify");
      assert_refused (&run, "is missing or empty, but");
      ck_test_assert_contains (run.err, how == 2 ? "the PDF folder shows" : "consents.head shows");
      ck_test_assert_contains (run.err, "Restore the last backup");

      /* check does not call it intact, and nothing moved. */
      RUN (&check, &box, "check");
      g_assert_cmpint (check.status, ==, 1);
      after = ck_test_tree_digest (box.data_dir);
      g_assert_cmpstr (after, ==, before);
      quarantine = g_build_filename (box.data_dir, "quarantine", NULL);
      g_assert_false (g_file_test (quarantine, G_FILE_TEST_EXISTS));
    }
}

/* --- 4: a withdrawal hidden by its type ------------------------------------------------ */

static void
test_withdrawal_typed (void)
{
  static const char * const kinds[] = {
    "CAST ('withdrawal' AS BLOB)",
    "CAST (X'7769746864726177616C00' AS TEXT)",   /* "withdrawal" and a NUL */
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_auto(Box) box = { 0 };
      g_auto(CkTestRun) withdraw = { 0 };
      g_auto(CkTestRun) verify = { 0 };
      g_auto(CkTestRun) pending = { 0 };
      g_autofree char *uuid = NULL;
      g_autofree char *db = NULL;
      g_autofree char *sql = NULL;

      box_init (&box);
      uuid = record_consent (&box, "张三");
      RUN (&withdraw, &box, "withdraw", uuid, "--operator", "王芳", "--note", "客户来电撤回");
      g_assert_cmpint (withdraw.status, ==, 0);

      db = db_path (&box);
      sql = g_strdup_printf ("UPDATE events SET kind = %s WHERE kind = 'withdrawal';"
                             "UPDATE consent_status SET withdrawn = 0;"
                             "INSERT INTO verify_queue VALUES ('%s', 0, 0);",
                             kinds[i], uuid);
      sql_exec (db, sql);

      /* No paid call for it, neither asked for nor from the queue. */
      RUN (&verify, &box, "verify", uuid);
      assert_refused (&verify, "its kind is not plain text");
      RUN (&pending, &box, "verify", "--pending");
      g_assert_cmpint (pending.status, ==, 1);
      ck_test_assert_contains (pending.err, "its kind is not plain text");
      g_assert_cmpint (sql_int (db, "SELECT count (*) FROM attempts"), ==, 0);

      assert_check_reports (&box, "holds a value of another type than its column “kind” (TEXT), or a "
                                  "text with a NUL byte");
      assert_check_reports (&box, "does not follow from its attempts and events");
    }
}

/* --- 6: special files as outputs ------------------------------------------------------- */

static void
test_output_special (void)
{
  g_auto(Box) box = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *fifo = NULL;
  g_autofree char *device = NULL;
  g_autofree char *link = NULL;
  g_autofree char *victim = NULL;
  gboolean have_device;
  struct {
    const char *path;
    const char *message;
    mode_t type;
  } targets[3];

  box_init (&box);
  uuid = record_consent (&box, "张三");
  fifo = box_path (&box, "fifo");
  device = box_path (&box, "device");
  link = box_path (&box, "link");
  victim = g_build_filename (box.outside, "victim", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (victim, "keep me", -1, NULL));
  g_assert_cmpint (symlink (victim, link), ==, 0);
  /* A device node of our own, in the test's folder: never one in /dev.
   * (1, 3) is what /dev/null is. Only root may make one. */
  have_device = mknod (device, S_IFCHR | 0600, makedev (1, 3)) == 0;
  if (!have_device)
    g_test_message ("mknod: %s; the device case is left out", g_strerror (errno));

  targets[0].path = fifo, targets[0].message = "is a FIFO", targets[0].type = S_IFIFO;
  targets[1].path = link, targets[1].message = "is a symbolic link", targets[1].type = S_IFLNK;
  targets[2].path = device, targets[2].message = "is a device", targets[2].type = S_IFCHR;

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      const char * const commands[][6] = {
        { "export", "--format", "csv", "-o", targets[t].path, NULL },
        { "pdf", uuid, "-o", targets[t].path, NULL },
        { "usage", "-o", targets[t].path, NULL },
        { "render", "--name", "张三", "--id", FULL_ID, NULL },
      };

      if (t == 2 && !have_device)
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
        {
          g_auto(CkTestRun) run = { 0 };
          g_autoptr(GPtrArray) argv = g_ptr_array_new ();
          struct stat st;

          for (guint a = 0; commands[c][a]; a++)
            g_ptr_array_add (argv, (gpointer)commands[c][a]);
          if (g_str_equal (commands[c][0], "render"))
            {
              g_ptr_array_add (argv, (gpointer)"-o");
              g_ptr_array_add (argv, (gpointer)targets[t].path);
            }
          g_ptr_array_add (argv, NULL);

          run_argv (&run, &box, (const char * const *)argv->pdata);
          assert_refused (&run, targets[t].message);
          ck_test_assert_contains (run.err, "Nothing was written");
          g_assert_cmpint (lstat (targets[t].path, &st), ==, 0);
          g_assert_cmpint (st.st_mode & S_IFMT, ==, targets[t].type);
        }
    }

  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (victim, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me");
  }
}

/* --- 7, 8: damage check must not call intact ------------------------------------------ */

/* Row 7: a page of an index overwritten. */
static void
test_corrupt_index (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *db = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 root, page_size;
  guint8 garbage[64];
  int fd;

  box_init (&box);
  g_free (record_consent (&box, "张三"));
  g_free (record_consent (&box, "李四"));
  db = db_path (&box);
  root = sql_int (db, "SELECT rootpage FROM sqlite_schema WHERE name = 'consents_name'");
  page_size = sql_int (db, "PRAGMA page_size");

  memset (garbage, 0xff, sizeof garbage);
  fd = open (db, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, (root - 1) * page_size + 8), ==, sizeof garbage);
  g_assert_cmpint (close (fd), ==, 0);
  before = ck_test_tree_digest (box.data_dir);

  assert_check_reports (&box, "The consent database is damaged: *** in database main ***");
  RUN (&run, &box, "record", "--name", "王五", "--id", FULL_ID, "--signature", box.signature,
       "--operator", "王芳", "--no-verify");
  assert_refused (&run, "is damaged (database disk image is malformed)");
  after = ck_test_tree_digest (box.data_dir);
  g_assert_cmpstr (after, ==, before);
}

/* Row 8: the write-ahead log cut short while the last consent's commit was
 * only in it. */
static void
test_truncated_wal (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *db = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *lost_pdf = NULL;
  g_autofree char *quarantine = NULL;
  sqlite3 *holder = NULL;
  GStatBuf st;

  box_init (&box);
  g_free (record_consent (&box, "张三"));
  db = db_path (&box);
  wal = g_strconcat (db, "-wal", NULL);

  /* A reader keeps the log from being checkpointed into the database. */
  g_assert_cmpint (sqlite3_open_v2 (db, &holder, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "SELECT count (*) FROM consents", NULL, NULL, NULL), ==, SQLITE_OK);
  lost = record_consent (&box, "李四");
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (truncate (wal, 0), ==, 0);
  g_assert_cmpint (sqlite3_close (holder), ==, SQLITE_OK);

  assert_check_reports (&box, "The consent database ends at record 1, but it had reached record 2");
  RUN (&run, &box, "record", "--name", "王五", "--id", FULL_ID, "--signature", box.signature,
       "--operator", "王芳", "--no-verify");
  assert_refused (&run, "The consent database ends at record 1, but it had reached record 2");
  ck_test_assert_contains (run.err, "--accept-head");

  /* The lost consent's PDF stays where it was, and check still says so. */
  lost_pdf = g_strdup_printf ("%s.pdf", lost);
  quarantine = g_build_filename (box.data_dir, "quarantine", NULL);
  g_assert_false (g_file_test (quarantine, G_FILE_TEST_EXISTS));
  assert_check_reports (&box, lost_pdf);
}

/* --- 9: links inside the data directory --------------------------------------------- */

static void
test_symlinks (void)
{
  g_auto(Box) box = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *pdf_dir = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *outside_before = NULL;
  g_autofree char *outside_after = NULL;

  box_init (&box);
  g_free (record_consent (&box, "张三"));

  /* This year's PDF folder, and next year's (should the year turn while
   * the test runs), point out of the data directory. */
  pdf_dir = g_build_filename (box.data_dir, "pdf", NULL);
  ck_test_rm_rf (pdf_dir);
  g_assert_cmpint (g_mkdir (pdf_dir, 0700), ==, 0);
  for (int year = g_date_time_get_year (now); year <= g_date_time_get_year (now) + 1; year++)
    {
      g_autofree char *name = g_strdup_printf ("%d", year);
      g_autofree char *path = g_build_filename (pdf_dir, name, NULL);

      g_assert_cmpint (symlink (box.outside, path), ==, 0);
    }
  before = ck_test_tree_digest (box.data_dir);
  outside_before = ck_test_tree_digest (box.outside);

  {
    g_auto(CkTestRun) run = { 0 };

    RUN (&run, &box, "record", "--name", "李四", "--id", FULL_ID, "--signature", box.signature,
         "--operator", "王芳", "--no-verify");
    assert_refused (&run, "is not a folder of the store but a symbolic link or a file: nothing is "
                          "written through it");
  }
  after = ck_test_tree_digest (box.data_dir);
  outside_after = ck_test_tree_digest (box.outside);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (outside_after, ==, outside_before);
  assert_check_reports (&box, "symbolic link");
}

/* Recovery moves a PDF without a record to quarantine/: not through a
 * link. */
static void
test_symlink_quarantine (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *relative = g_strdup_printf ("pdf/2026/11/%s.pdf", uuid);
  g_autofree char *stray = NULL;
  g_autofree char *quarantine = NULL;
  g_autofree char *db = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *outside_before = NULL;
  g_autofree char *outside_after = NULL;

  box_init (&box);
  g_free (record_consent (&box, "张三"));

  /* A save that died after it wrote its PDF, as the journal has it. */
  stray = g_build_filename (box.data_dir, relative, NULL);
  {
    g_autofree char *folder = g_path_get_dirname (stray);

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  }
  g_assert_true (g_file_set_contents (stray, "%PDF-1.4\n% a save that died\n", -1, NULL));
  db = db_path (&box);
  sql = g_strdup_printf ("INSERT INTO pending_files (path, action, consent_uuid, event_seq, since) "
                         "VALUES ('%s', 'write', '%s', NULL, '2026-11-27T09:00:00Z')", relative, uuid);
  sql_exec (db, sql);
  quarantine = g_build_filename (box.data_dir, "quarantine", NULL);
  g_assert_cmpint (symlink (box.outside, quarantine), ==, 0);
  outside_before = ck_test_tree_digest (box.outside);

  RUN (&run, &box, "record", "--name", "李四", "--id", FULL_ID, "--signature", box.signature,
       "--operator", "王芳", "--no-verify");
  assert_refused (&run, "quarantine is not a folder of the store but a symbolic link");
  outside_after = ck_test_tree_digest (box.outside);
  g_assert_cmpstr (outside_after, ==, outside_before);
  g_assert_true (g_file_test (stray, G_FILE_TEST_IS_REGULAR));
}

/* --- 10: unbounded input ------------------------------------------------------------- */

static void
test_input_limits (void)
{
  g_auto(Box) box = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *long_operator = NULL;
  g_autofree char *long_note = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int fd;

  box_init (&box);
  uuid = record_consent (&box, "张三");
  huge = box_path (&box, "huge.signature");
  fd = open (huge, O_WRONLY | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);   /* sparse */
  g_assert_cmpint (close (fd), ==, 0);
  long_operator = g_strnfill (120 * 1024, 'a');   /* one argument may have 128 KiB */
  long_note = g_strnfill (501, 'n');
  before = ck_test_tree_digest (box.data_dir);

  {
    const struct {
      const char *argv[12];
      const char *message;
    } refused[] = {
      { { "record", "--name", "李四", "--id", FULL_ID, "--signature", "/dev/zero", "--operator", "王芳",
          "--no-verify", NULL }, "/dev/zero is not a regular file: nothing was read from it" },
      { { "record", "--name", "李四", "--id", FULL_ID, "--signature", huge, "--operator", "王芳",
          "--no-verify", NULL }, "is too large" },
      { { "render", "--name", "李四", "--id", FULL_ID, "--signature", "/dev/zero", "-o", "-", NULL },
        "/dev/zero is not a regular file" },
      { { "record", "--name", "李四", "--id", FULL_ID, "--signature", box.signature, "--operator",
          long_operator, "--no-verify", NULL }, "The operator's name is longer than 64 characters" },
      { { "record", "--name", "李四", "--id", FULL_ID, "--signature", box.signature, "--operator",
          "王芳\n=1+2", "--no-verify", NULL }, "The operator's name holds a line break or another control character" },
      { { "withdraw", uuid, "--operator", "王芳", "--note", long_note, NULL },
        "The note is longer than 500 characters" },
      { { "withdraw", uuid, "--operator", "王\t芳", NULL },
        "The operator's name holds a line break or another control character" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_auto(CkTestRun) run = { 0 };

        run_argv (&run, &box, refused[i].argv);
        assert_refused (&run, refused[i].message);
      }
  }

  after = ck_test_tree_digest (box.data_dir);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_consents (&box), ==, 1);
}

/* --- 11, 12: mounts ------------------------------------------------------------------- */

/* Runs @script with sh in a private mount namespace, with $CK (consentctl),
 * $BOX and the box's environment; returns FALSE (and skips the test) where
 * none can be made. */
static gboolean
run_unshared (Box        *box,
              const char *script)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) probe = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; i < box->env->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (box->env->pdata[i], "=", 2);

      if (pair[1])
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
    }
  g_subprocess_launcher_setenv (launcher, "CK", g_getenv ("CK_CONSENTCTL"), TRUE);
  g_subprocess_launcher_setenv (launcher, "BOX", box->dir, TRUE);

  probe = g_subprocess_launcher_spawn (launcher, &error, "unshare", "-m", "--propagation", "private",
                                       "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$BOX/outside\" && "
                                       "umount \"$BOX/outside\"", NULL);
  if (probe == NULL || !g_subprocess_wait_check (probe, NULL, NULL))
    {
      g_test_skip ("No private mount namespace here (unshare -m and mount need root or a user "
                   "namespace): the read-only and full-disk cases are not run.");
      return FALSE;
    }

  process = g_subprocess_launcher_spawn (launcher, &error, "unshare", "-m", "--propagation", "private",
                                         "sh", "-ec", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("The script in the mount namespace failed: %s", err);

  return TRUE;
}

/* What a command run by run_unshared() left in $BOX/out/NAME.{out,err,rc}. */
static void
read_run (CkTestRun  *run,
          Box        *box,
          const char *name)
{
  g_autofree char *rc = NULL;
  g_autofree char *base = g_build_filename (box->dir, "out", name, NULL);
  g_autofree char *out = g_strconcat (base, ".out", NULL);
  g_autofree char *err = g_strconcat (base, ".err", NULL);
  g_autofree char *status = g_strconcat (base, ".rc", NULL);

  g_assert_true (g_file_get_contents (out, &run->out, NULL, NULL));
  g_assert_true (g_file_get_contents (err, &run->err, NULL, NULL));
  g_assert_true (g_file_get_contents (status, &rc, NULL, NULL));
  run->status = atoi (rc);
}

/* Row 11: a data directory on read-only media (a stopped kiosk's, without
 * its WAL): reading works, with a note, and writing is refused. */
static void
test_read_only (void)
{
  g_auto(Box) box = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *ro = NULL;
  g_autofree char *out = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  static const char * const readers[] = { "list", "show", "pdf", "check", "export", "backup" };

  box_init (&box);
  uuid = record_consent (&box, "张三");
  g_free (record_consent (&box, "李四"));
  /* As a kiosk leaves it when it stops: the last connection to close
   * checkpoints the log into the database and removes it. */
  {
    g_autofree char *db = db_path (&box);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);

    sql_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  ro = box_path (&box, "ro");
  out = box_path (&box, "out");
  g_assert_cmpint (g_mkdir (ro, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  before = ck_test_tree_digest (box.data_dir);

  {
    g_autofree char *script = g_strdup_printf (
      "mount --bind \"$BOX/store\" \"$BOX/ro\"\n"
      "mount -o remount,bind,ro \"$BOX/ro\"\n"
      "run () { name=$1; shift; set +e; \"$CK\" --data-dir \"$BOX/ro\" \"$@\" >\"$BOX/out/$name.out\" "
      "2>\"$BOX/out/$name.err\"; echo $? >\"$BOX/out/$name.rc\"; set -e; }\n"
      "run list list\n"
      "run show show %s\n"
      "run pdf pdf %s -o \"$BOX/out/consent.pdf\"\n"
      "run check check\n"
      "run export export --format json -o \"$BOX/out/export.json\"\n"
      "run backup backup --quiet \"$BOX/out/ro.ckbackup\"\n"
      "run record record --name 王五 --id " FULL_ID " --signature \"%s\" --operator 王芳 --no-verify\n",
      uuid, uuid, box.signature);

    if (!run_unshared (&box, script))
      return;
  }

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_auto(CkTestRun) run = { 0 };

      read_run (&run, &box, readers[i]);
      if (run.status != 0)
        g_error ("%s on a read-only data directory failed: “%s” / “%s”", readers[i], run.out, run.err);
      ck_test_assert_contains (run.err, "cannot be written: the store was read as it is, without recovery");
    }
  {
    g_auto(CkTestRun) list = { 0 };
    g_auto(CkTestRun) record = { 0 };

    read_run (&list, &box, "list");
    ck_test_assert_contains (list.out, uuid);
    read_run (&record, &box, "record");
    g_assert_cmpint (record.status, ==, 1);
    ck_test_assert_contains (record.err, "Read-only file system");
  }

  after = ck_test_tree_digest (box.data_dir);
  g_assert_cmpstr (after, ==, before);
}

/* Row 12: a restore onto a disk without room for it fails before it
 * moves anything: the store there is as it was, with no restore event. */
static void
test_restore_disk_full (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) restore = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_autofree char *backup = NULL;
  g_autofree char *small = NULL;
  g_autofree char *script = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *mnt = NULL;
  g_autofree char *out = NULL;

  box_init (&box);
  backup = fill_and_back_up (&box, 8);

  /* The store on the small disk: one consent, its own. */
  small = box_path (&box, "small");
  {
    g_autofree char *big = g_steal_pointer (&box.data_dir);

    box.data_dir = g_strdup (small);
    g_free (record_consent (&box, "张三"));
    g_free (box.data_dir);
    box.data_dir = g_steal_pointer (&big);
  }

  mnt = box_path (&box, "mnt");
  out = box_path (&box, "out");
  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  script = g_strdup_printf (
    "mount -t tmpfs -o size=400k,mode=0700 tmpfs \"$BOX/mnt\"\n"
    "cp -a \"$BOX/small\" \"$BOX/mnt/store\"\n"
    "digest () { (cd \"$BOX/mnt\" && find . -exec ls -ld --time-style=+ {} + | awk '{print $1, $5, $NF}' "
    "&& find . -type f -exec sha256sum {} +) | sort; }\n"
    "digest >\"$BOX/out/before\"\n"
    "set +e\n"
    "\"$CK\" restore --quiet \"%s\" --data-dir \"$BOX/mnt/store\" --force >\"$BOX/out/restore.out\" "
    "2>\"$BOX/out/restore.err\"; echo $? >\"$BOX/out/restore.rc\"\n"
    "set -e\n"
    "digest >\"$BOX/out/after\"\n"
    "set +e\n"
    "\"$CK\" --data-dir \"$BOX/mnt/store\" check >\"$BOX/out/check.out\" 2>\"$BOX/out/check.err\"; "
    "echo $? >\"$BOX/out/check.rc\"\n",
    backup);
  if (!run_unshared (&box, script))
    return;

  read_run (&restore, &box, "restore");
  g_assert_cmpint (restore.status, ==, 1);
  ck_test_assert_contains (restore.err, "is full");
  ck_test_assert_contains (restore.err, "was left as it was");

  {
    g_autofree char *before_path = g_build_filename (out, "before", NULL);
    g_autofree char *after_path = g_build_filename (out, "after", NULL);

    g_assert_true (g_file_get_contents (before_path, &before, NULL, NULL));
    g_assert_true (g_file_get_contents (after_path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, before);
  }
  read_run (&check, &box, "check");
  g_assert_cmpint (check.status, ==, 0);
  ck_test_assert_contains (check.out, "1 consent checked: intact.");
}

/* --- 13: what check did not look at ---------------------------------------------------- */

/* @text with every @ID@ replaced by @uuid. */
static char *
with_id (const char *text,
         const char *uuid)
{
  GString *out = g_string_new (text);

  g_string_replace (out, "@ID@", uuid, 0);
  return g_string_free (out, FALSE);
}

static void
test_check_derived (void)
{
  static const struct {
    const char *sql;       /* @ID@: a consent's id */
    const char *message;
  } edits[] = {
    { "UPDATE consents SET id_reversed = 'X2001321949150110' WHERE uuid = '@ID@'",
      "The search key of consent @ID@ is not its ID number reversed" },
    { "DELETE FROM verify_queue WHERE consent_uuid = '@ID@'",
      "Consent @ID@ waits for its verification, but its place in the queue was deleted" },
    { "UPDATE verify_queue SET consent_uuid = 'f4225cc8-bbc5-4b5e-93d1-1c758de8baf2' WHERE consent_uuid = '@ID@'",
      "The verification status or queue holds consent f4225cc8-bbc5-4b5e-93d1-1c758de8baf2, which is not stored" },
    { "UPDATE consent_status SET last_outcome = 'verified', last_number = 1 WHERE uuid = '@ID@'",
      "The verification status of consent @ID@ does not follow from its attempts and events" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_auto(Box) box = { 0 };
      g_autofree char *uuid = NULL;
      g_autofree char *db = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *message = NULL;

      box_init (&box);
      uuid = record_consent (&box, "张三");
      g_free (record_consent (&box, "李四"));
      assert_check_passes (&box);

      db = db_path (&box);
      sql = with_id (edits[i].sql, uuid);
      sql_exec (db, sql);
      message = with_id (edits[i].message, uuid);
      assert_check_reports (&box, message);
    }
}

/* Files the store did not write: a PDF out of place, a stray file, a
 * link, a FIFO. */
static void
test_check_files (void)
{
  g_auto(Box) box = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *stray = NULL;
  g_autofree char *link = NULL;
  g_autofree char *fifo = NULL;
  g_auto(CkTestRun) run = { 0 };

  box_init (&box);
  uuid = record_consent (&box, "张三");
  folder = g_build_filename (box.data_dir, "pdf", "2025", "01", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  copy = g_build_filename (folder, "x.pdf", NULL);
  g_assert_true (g_file_set_contents (copy, "%PDF-1.4\n% put here\n", -1, NULL));
  stray = g_build_filename (box.data_dir, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (stray, "not the store's", -1, NULL));
  link = g_build_filename (box.data_dir, "pdf", "2025", "02", NULL);
  g_assert_cmpint (symlink (box.outside, link), ==, 0);
  fifo = g_build_filename (box.data_dir, "pipe", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  RUN (&run, &box, "check");
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.out, "pdf/2025/01/x.pdf is not the PDF of any stored consent");
  ck_test_assert_contains (run.out, "notes.txt");
  ck_test_assert_contains (run.out, "pdf/2025/02");
  ck_test_assert_contains (run.out, "pipe");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attacks/backup/schema-statements", test_backup_schema_statements);
  g_test_add_func ("/attacks/backup/objects", test_backup_objects);
  g_test_add_func ("/attacks/live/objects", test_live_objects);
  g_test_add_func ("/attacks/database/lost", test_database_lost);
  g_test_add_func ("/attacks/withdrawal/typed", test_withdrawal_typed);
  g_test_add_func ("/attacks/output/special", test_output_special);
  g_test_add_func ("/attacks/database/corrupt-index", test_corrupt_index);
  g_test_add_func ("/attacks/database/truncated-wal", test_truncated_wal);
  g_test_add_func ("/attacks/symlinks/pdf", test_symlinks);
  g_test_add_func ("/attacks/symlinks/quarantine", test_symlink_quarantine);
  g_test_add_func ("/attacks/input/limits", test_input_limits);
  g_test_add_func ("/attacks/mount/read-only", test_read_only);
  g_test_add_func ("/attacks/mount/restore-disk-full", test_restore_disk_full);
  g_test_add_func ("/attacks/check/derived", test_check_derived);
  g_test_add_func ("/attacks/check/files", test_check_files);

  return g_test_run ();
}
