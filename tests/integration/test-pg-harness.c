/* test-pg-harness.c: the private PostgreSQL 15 server of the tests
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Starts servers with tests/ck-test-pg.h and checks what the central
 * store's tests will count on: ckadmin over the Unix socket; a password
 * login over TLS, verified against the test CA and the host name; each way
 * TLS must fail (the wrong CA, the wrong host name, no TLS at all); a
 * client-certificate login for members of ck_cert_login, and only with
 * their own certificate; data kept across a stop and a restart; and no
 * server and no folder left behind, even by a test that dies. Each failure
 * is asserted by the error libpq gives, not by a failure of any kind. */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-test-pg.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* The server the tests share, with CK_TEST_PG_FAST; started by the first
 * test that needs it. */
static CkTestPg *shared_pg;

/* --- helpers ------------------------------------------------------------- */

static CkTestPg *
get_server (void)
{
  if (!shared_pg)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      shared_pg = ck_test_pg_start (CK_TEST_PG_FAST, &error);
      g_assert_no_error (error);
      g_test_message ("a server with CK_TEST_PG_FAST started in %.0f ms",
                      (g_get_monotonic_time () - start) / 1000.0);
    }
  return shared_pg;
}

static char *
quote (const char *value)
{
  GString *quoted = g_string_new ("'");

  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');
  return g_string_free (quoted, FALSE);
}

/* A connection over TCP to 127.0.0.1, with TLS verified in full against
 * @rootcert and the name @host, then @extra. */
static char *
tls_conninfo (CkTestPg   *pg,
              const char *host,
              const char *rootcert,
              const char *user,
              const char *extra)
{
  g_autofree char *q_rootcert = quote (rootcert);

  return g_strdup_printf ("host=%s hostaddr=127.0.0.1 port=%u dbname=%s user=%s "
                          "sslmode=verify-full sslrootcert=%s %s",
                          host, ck_test_pg_get_port (pg), CK_TEST_PG_DATABASE, user,
                          q_rootcert, extra ? extra : "");
}

static PGconn *
connect_ok (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", conninfo, PQerrorMessage (conn));
  return conn;
}

/* Fails the test unless connecting fails; returns libpq's message. */
static char *
connect_fails (const char *conninfo)
{
  g_autoptr(PGconn) conn = PQconnectdb (conninfo);
  char *message;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  message = g_strdup (PQerrorMessage (conn));
  g_test_message ("%s: %s", conninfo, message);
  return message;
}

static char *
query_value (PGconn     *conn,
             const char *sql)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
assert_query (PGconn     *conn,
              const char *sql,
              const char *expected)
{
  g_autofree char *value = query_value (conn, sql);

  g_assert_cmpstr (value, ==, expected);
}

static void
exec_ok (CkTestPg   *pg,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  ck_test_pg_exec (pg, sql, &error);
  g_assert_no_error (error);
}

/* The postmaster's process id, from the first line of postmaster.pid. */
static pid_t
postmaster_pid (CkTestPg *pg)
{
  g_autofree char *path = g_build_filename (ck_test_pg_get_dir (pg), "data", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  pid_t pid;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  pid = (pid_t) g_ascii_strtoll (contents, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  return pid;
}

/* Whether @pid runs: a zombie no longer does. */
static gboolean
process_runs (pid_t pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return FALSE;
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;   /* no /proc: kill() says it is there */
  /* "pid (comm) state …": comm may hold spaces and parentheses. */
  state = strrchr (stat, ')');
  return !(state && state[1] == ' ' && state[2] == 'Z');
}

/* pg_ctl -w stop returns once the postmaster has closed its sockets and
 * removed postmaster.pid, a moment before the process is gone: wait for
 * that state, not for a duration. */
static void
assert_process_ends (pid_t pid)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (process_runs (pid) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_false (process_runs (pid));
}

static void
assert_private_file (const char *path,
                     uid_t       owner)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_uid, ==, owner);
}

/* --- the tests ------------------------------------------------------------- */

/* A server with PostgreSQL's durable defaults (a benchmark's), its files,
 * and nothing left of it after ck_test_pg_free(). */
static void
test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *log = NULL;
  gint64 start = g_get_monotonic_time ();
  CkTestPg *pg;
  GStatBuf st;
  pid_t pid;

  pg = ck_test_pg_start (CK_TEST_PG_NONE, &error);
  g_assert_no_error (error);
  g_test_message ("a server with durable defaults started in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  dir = g_strdup (ck_test_pg_get_dir (pg));
  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
  g_assert_cmpstr (ck_test_pg_get_socket_dir (pg), ==, dir);
  g_assert_cmpuint (ck_test_pg_get_port (pg), >, 0);
  g_assert_true (g_file_test (ck_test_pg_get_ca_file (pg), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (ck_test_pg_get_wrong_ca_file (pg), G_FILE_TEST_IS_REGULAR));
  g_file_get_contents (ck_test_pg_get_log_path (pg), &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "database system is ready to accept connections"));

  /* The folder is 0700; the server's key 0600, the server's user's. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  server_key = g_build_filename (dir, "tls", "server.key", NULL);
  assert_private_file (server_key, st.st_uid);
  if (geteuid () == 0)
    g_assert_cmpint (st.st_uid, !=, 0);

  conn = connect_ok (ck_test_pg_get_admin_conninfo (pg));
  assert_query (conn, "SHOW fsync", "on");
  assert_query (conn, "SHOW synchronous_commit", "on");
  assert_query (conn, "SHOW full_page_writes", "on");
  assert_query (conn, "SHOW max_connections", "100");
  assert_query (conn, "SHOW password_encryption", "scram-sha-256");
  assert_query (conn, "SHOW server_encoding", "UTF8");
  g_clear_pointer (&conn, PQfinish);

  pid = postmaster_pid (pg);
  g_assert_true (process_runs (pid));
  ck_test_pg_free (pg);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  assert_process_ends (pid);
}

static void
test_unix_socket (void)
{
  CkTestPg *pg = get_server ();
  g_autoptr(PGconn) conn = connect_ok (ck_test_pg_get_admin_conninfo (pg));

  g_assert_true (g_str_has_prefix (PQhost (conn), "/"));
  g_assert_cmpstr (PQhost (conn), ==, ck_test_pg_get_socket_dir (pg));
  assert_query (conn, "SELECT current_user", CK_TEST_PG_ADMIN);
  assert_query (conn, "SELECT current_database ()", CK_TEST_PG_DATABASE);
  assert_query (conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid ()", "f");
  assert_query (conn, "SELECT rolcanlogin FROM pg_roles WHERE rolname = '" CK_TEST_PG_CERT_GROUP "'", "f");
  assert_query (conn, "SHOW fsync", "off");
  assert_query (conn, "SHOW synchronous_commit", "off");
  assert_query (conn, "SHOW full_page_writes", "off");
  assert_query (conn, "SHOW ssl", "on");
  g_assert_false (PQconnectionUsedPassword (conn));
  assert_query (conn, "SHOW unix_socket_directories", ck_test_pg_get_dir (pg));
}

/* Over the socket, everyone but ckadmin needs a password. */
static void
test_unix_socket_password (void)
{
  CkTestPg *pg = get_server ();
  g_autofree char *host = quote (ck_test_pg_get_socket_dir (pg));
  g_autofree char *base = g_strdup_printf ("host=%s port=%u dbname=%s user=sock_user",
                                           host, ck_test_pg_get_port (pg), CK_TEST_PG_DATABASE);
  g_autofree char *good = g_strconcat (base, " password=sock-secret", NULL);
  g_autofree char *no_password = NULL;
  g_autoptr(PGconn) conn = NULL;

  exec_ok (pg, "CREATE ROLE sock_user LOGIN PASSWORD 'sock-secret'");
  no_password = connect_fails (base);
  g_assert_nonnull (strstr (no_password, "no password supplied"));
  conn = connect_ok (good);
  g_assert_true (PQconnectionUsedPassword (conn));
  assert_query (conn, "SELECT current_user", "sock_user");
}

static void
test_tls_password (void)
{
  CkTestPg *pg = get_server ();
  g_autofree char *good = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg),
                                        "kiosk_pw", "password=tls-secret");
  g_autofree char *bad = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg),
                                       "kiosk_pw", "password=not-the-secret");
  g_autofree char *message = NULL;
  g_autoptr(PGconn) conn = NULL;

  exec_ok (pg, "CREATE ROLE kiosk_pw LOGIN PASSWORD 'tls-secret'");
  conn = connect_ok (good);
  assert_query (conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid ()", "t");
  assert_query (conn, "SELECT current_user", "kiosk_pw");
  g_assert_true (PQsslInUse (conn));
  g_assert_true (PQconnectionUsedPassword (conn));
  g_assert_cmpstr (PQhostaddr (conn), ==, "127.0.0.1");

  message = connect_fails (bad);
  g_assert_nonnull (strstr (message, "password authentication failed for user \"kiosk_pw\""));
}

static void
test_tls_wrong_ca (void)
{
  CkTestPg *pg = get_server ();
  g_autofree char *conninfo = tls_conninfo (pg, "localhost", ck_test_pg_get_wrong_ca_file (pg),
                                            "kiosk_pw_ca", "password=tls-secret");
  g_autofree char *message = NULL;

  exec_ok (pg, "CREATE ROLE kiosk_pw_ca LOGIN PASSWORD 'tls-secret'");
  message = connect_fails (conninfo);
  g_assert_nonnull (strstr (message, "certificate verify failed"));
}

static void
test_tls_wrong_host (void)
{
  CkTestPg *pg = get_server ();
  g_autofree char *conninfo = tls_conninfo (pg, "wronghost", ck_test_pg_get_ca_file (pg),
                                            "kiosk_pw_host", "password=tls-secret");
  g_autofree char *message = NULL;

  exec_ok (pg, "CREATE ROLE kiosk_pw_host LOGIN PASSWORD 'tls-secret'");
  message = connect_fails (conninfo);
  g_assert_nonnull (strstr (message, "server certificate for \"localhost\""));
  g_assert_nonnull (strstr (message, "does not match host name \"wronghost\""));
}

/* TCP without TLS finds no pg_hba.conf entry, with the right password too. */
static void
test_tcp_without_tls (void)
{
  CkTestPg *pg = get_server ();
  g_autofree char *conninfo = NULL;
  g_autofree char *message = NULL;

  exec_ok (pg, "CREATE ROLE kiosk_plain LOGIN PASSWORD 'tls-secret'");
  conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=%s user=kiosk_plain "
                              "password=tls-secret sslmode=disable gssencmode=disable",
                              ck_test_pg_get_port (pg), CK_TEST_PG_DATABASE);
  message = connect_fails (conninfo);
  g_assert_nonnull (strstr (message, "no pg_hba.conf entry for host \"127.0.0.1\""));
  g_assert_nonnull (strstr (message, "no encryption"));
}

static void
test_client_cert (void)
{
  CkTestPg *pg = get_server ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *other_cert = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *other_extra = NULL;
  g_autofree char *good = NULL;
  g_autofree char *no_cert = NULL;
  g_autofree char *wrong_cert = NULL;
  g_autofree char *not_member = NULL;
  g_autofree char *message = NULL;
  g_autofree char *q_cert = NULL;
  g_autofree char *q_key = NULL;
  g_autofree char *q_other_cert = NULL;
  g_autofree char *q_other_key = NULL;
  g_autoptr(PGconn) conn = NULL;

  exec_ok (pg, "CREATE ROLE kiosk_cert LOGIN IN ROLE " CK_TEST_PG_CERT_GROUP ";"
               "CREATE ROLE kiosk_other LOGIN IN ROLE " CK_TEST_PG_CERT_GROUP ";"
               "CREATE ROLE kiosk_outsider LOGIN");

  ck_test_pg_make_client_cert (pg, "kiosk_cert", &cert, &key, &error);
  g_assert_no_error (error);
  ck_test_pg_make_client_cert (pg, "kiosk_other", &other_cert, &other_key, &error);
  g_assert_no_error (error);
  assert_private_file (key, geteuid ());

  q_cert = quote (cert);
  q_key = quote (key);
  q_other_cert = quote (other_cert);
  q_other_key = quote (other_key);
  extra = g_strdup_printf ("sslcert=%s sslkey=%s", q_cert, q_key);
  other_extra = g_strdup_printf ("sslcert=%s sslkey=%s", q_other_cert, q_other_key);

  good = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg), "kiosk_cert", extra);
  conn = connect_ok (good);
  g_assert_false (PQconnectionUsedPassword (conn));
  assert_query (conn, "SELECT current_user", "kiosk_cert");
  assert_query (conn, "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid ()",
                "/CN=kiosk_cert");

  /* A member with no certificate. */
  no_cert = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg), "kiosk_cert",
                          "sslcert=/nonexistent/client.crt sslkey=/nonexistent/client.key");
  message = connect_fails (no_cert);
  g_assert_nonnull (strstr (message, "connection requires a valid client certificate"));
  g_clear_pointer (&message, g_free);

  /* A member with another member's certificate. */
  wrong_cert = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg), "kiosk_cert",
                             other_extra);
  message = connect_fails (wrong_cert);
  g_assert_nonnull (strstr (message, "certificate authentication failed for user \"kiosk_cert\""));
  g_clear_pointer (&message, g_free);

  /* Not a member: a certificate is no password. */
  not_member = tls_conninfo (pg, "localhost", ck_test_pg_get_ca_file (pg), "kiosk_outsider",
                             other_extra);
  message = connect_fails (not_member);
  g_assert_nonnull (strstr (message, "no password supplied"));
}

static void
test_client_cert_bad_role (void)
{
  CkTestPg *pg = get_server ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;

  g_assert_false (ck_test_pg_make_client_cert (pg, "a/../b", &cert, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (cert);
}

static void
test_exec_error (void)
{
  CkTestPg *pg = get_server ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ck_test_pg_exec (pg, "SELECT * FROM no_such_table", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "relation \"no_such_table\" does not exist"));
}

static void
test_restart (void)
{
  CkTestPg *pg = get_server ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autofree char *log = NULL;
  guint16 port = ck_test_pg_get_port (pg);
  pid_t pid;

  exec_ok (pg, "CREATE TABLE kept (x integer); INSERT INTO kept VALUES (42)");
  pid = postmaster_pid (pg);

  /* Stopped: nobody answers. */
  ck_test_pg_stop (pg, FALSE, &error);
  g_assert_no_error (error);
  assert_process_ends (pid);
  g_assert_cmpint (PQping (ck_test_pg_get_admin_conninfo (pg)), ==, PQPING_NO_RESPONSE);

  ck_test_pg_restart_server (pg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_test_pg_get_port (pg), ==, port);
  conn = connect_ok (ck_test_pg_get_admin_conninfo (pg));
  assert_query (conn, "SELECT x FROM kept", "42");
  g_clear_pointer (&conn, PQfinish);

  /* A restart while it runs. */
  pid = postmaster_pid (pg);
  ck_test_pg_restart_server (pg, &error);
  g_assert_no_error (error);
  assert_process_ends (pid);
  conn = connect_ok (ck_test_pg_get_admin_conninfo (pg));
  assert_query (conn, "SELECT x FROM kept", "42");
  g_clear_pointer (&conn, PQfinish);

  /* An immediate stop is a crash: the next start recovers. (With
   * CK_TEST_PG_FAST the last commits may be lost; the rows a clean stop's
   * checkpoint wrote are not.) */
  ck_test_pg_stop (pg, TRUE, &error);
  g_assert_no_error (error);
  ck_test_pg_restart_server (pg, &error);
  g_assert_no_error (error);
  g_file_get_contents (ck_test_pg_get_log_path (pg), &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "database system was not properly shut down; automatic recovery in progress"));
  conn = connect_ok (ck_test_pg_get_admin_conninfo (pg));
  assert_query (conn, "SELECT x FROM kept", "42");
}

/* Where a test that dies writes its server's folder and postmaster. */
static char *
watchdog_report_path (pid_t parent)
{
  g_autofree char *name = g_strdup_printf ("ck-pg-watchdog-%d", (int) parent);

  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

/* A test killed with a server running leaves neither the server nor its
 * folder: its watchdog ends both. */
static void
test_watchdog (void)
{
  g_autofree char *report_path = NULL;
  g_autofree char *report = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  pid_t pid;

  if (g_test_subprocess ())
    {
      CkTestPg *pg = ck_test_pg_start (CK_TEST_PG_FAST, &error);
      g_autofree char *contents = NULL;

      g_assert_no_error (error);
      report_path = watchdog_report_path (getppid ());
      contents = g_strdup_printf ("%s\n%d\n", ck_test_pg_get_dir (pg), (int) postmaster_pid (pg));
      g_file_set_contents (report_path, contents, -1, &error);
      g_assert_no_error (error);
      kill (getpid (), SIGKILL);
      g_assert_not_reached ();
    }

  report_path = watchdog_report_path (getpid ());
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  g_file_get_contents (report_path, &report, NULL, &error);
  g_assert_no_error (error);
  g_unlink (report_path);
  lines = g_strsplit (report, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  pid = (pid_t) g_ascii_strtoll (lines[1], NULL, 10);
  g_assert_cmpint (pid, >, 1);

  /* The watchdog is not ours to wait for: poll for the state it makes. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_file_test (lines[0], G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_false (g_file_test (lines[0], G_FILE_TEST_EXISTS));
  assert_process_ends (pid);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) names = g_listenv ();
  int status;

  setlocale (LC_ALL, "");
  /* libpq reads PGHOST, PGPASSWORD, PGSSLMODE…: nothing of the machine's. */
  for (guint i = 0; names[i]; i++)
    if (g_str_has_prefix (names[i], "PG"))
      g_unsetenv (names[i]);

  ck_test_pg_require_or_skip ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-harness/start", test_start);
  g_test_add_func ("/pg-harness/unix-socket", test_unix_socket);
  g_test_add_func ("/pg-harness/unix-socket/password", test_unix_socket_password);
  g_test_add_func ("/pg-harness/tls/password", test_tls_password);
  g_test_add_func ("/pg-harness/tls/wrong-ca", test_tls_wrong_ca);
  g_test_add_func ("/pg-harness/tls/wrong-host", test_tls_wrong_host);
  g_test_add_func ("/pg-harness/tcp-without-tls", test_tcp_without_tls);
  g_test_add_func ("/pg-harness/tls/client-cert", test_client_cert);
  g_test_add_func ("/pg-harness/tls/client-cert/bad-role", test_client_cert_bad_role);
  g_test_add_func ("/pg-harness/exec-error", test_exec_error);
  g_test_add_func ("/pg-harness/restart", test_restart);
  g_test_add_func ("/pg-harness/watchdog", test_watchdog);

  status = g_test_run ();
  g_clear_pointer (&shared_pg, ck_test_pg_free);
  return status;
}
