/* ck-test-pg.c: a private PostgreSQL 15 server for tests and benchmarks
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The central store (issue 16) talks to PostgreSQL through libpq; its tests
 * and benchmarks each run a server of their own, made from nothing in a
 * private folder and gone with it:
 *
 *   <dir>/            0700, the server's user: the Unix socket is here
 *   <dir>/data/       initdb's cluster, the settings appended to its
 *                     postgresql.conf, our pg_hba.conf
 *   <dir>/server.log  the server's log (pg_ctl -l)
 *   <dir>/tls/        0700, the server's user: what the server reads, its
 *                     certificate and key (0600) and the client CA's
 *                     certificate (ssl_ca_file)
 *   <dir>/pki/        0700, the test's user: what only the test reads, the
 *                     CAs' certificates and keys, the client certificates
 *                     ck_test_pg_make_client_cert() makes
 *
 * The TLS material is made at start with the openssl command line: a test
 * CA and the server certificate it signs (CN=localhost, subjectAltName
 * DNS:localhost, IP:127.0.0.1), a "wrong" CA that signed nothing, and the
 * client CA. Every key is an EC P-256 key: instant to make.
 *
 * PostgreSQL refuses to run as root. Run by root, the harness runs initdb,
 * pg_ctl and so the server as "nobody", through runuser(1), and gives
 * nobody the folder, the data and tls/: it creates no user, changes
 * nothing outside its folder, and nobody owns nothing else of it (pki/
 * stays root's). g_get_tmp_dir() must then be a folder nobody can
 * traverse (/tmp is); ck_test_pg_start() says so when it is not. Run by
 * anyone else, everything runs as that user, directly.
 *
 * The server listens on the Unix socket and on 127.0.0.1, on a port picked
 * free (bound to 127.0.0.1:0, then released; tried again with another
 * port when the server finds it taken in between). pg_hba.conf lets
 * ckadmin in over the socket without a password, everyone else over the
 * socket with SCRAM, members of ck_cert_login over TLS with a client
 * certificate whose CN is their name, everyone else over TLS with SCRAM,
 * and nothing over TCP without TLS.
 *
 * Nothing waits for a duration: pg_ctl -w waits until the server accepts
 * connections, or has stopped. (pg_ctl -w stop returns once postmaster.pid
 * is gone; the postmaster closed its sockets before that, so the same
 * port is free for the next start, but the process may need a moment more
 * to end.)
 *
 * Errors are in the G_IO_ERROR domain, with the output of the program that
 * failed, and the server's log when it would not start.
 *
 * A test that aborts (a failed assertion) never calls ck_test_pg_free():
 * so each server has a watchdog, a shell in a session of its own that
 * reads from a pipe only the test holds. When the test process ends, in
 * any way, the pipe closes; the watchdog then stops the server (-m
 * immediate) and removes the folder. ck_test_pg_free() does no more than
 * close the pipe and wait for the watchdog: one way to clean up, taken by
 * every test. */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "ck-test-pg.h"

#define DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"
/* The user the server runs as when the test runs as root. */
#define SERVER_USER "nobody"
/* Tries at a free port before giving up. */
#define PORT_TRIES 10
/* Days the test certificates are valid. */
#define CERT_DAYS "30"

struct _CkTestPg
{
  CkTestPgFlags flags;
  char *bindir;
  char *dir;
  char *data_dir;
  char *tls_dir;
  char *pki_dir;
  char *log_path;
  char *openssl_cnf;
  char *ca_file;
  char *ca_key;
  char *wrong_ca_file;
  char *client_ca_file;
  char *client_ca_key;
  char *admin_conninfo;
  guint16 port;
  gboolean running;

  /* Run by root: the server's user, and runuser in front of its commands. */
  gboolean as_other_user;
  uid_t server_uid;
  gid_t server_gid;

  GSubprocess *watchdog;
};

static const char * const server_programs[] = { "initdb", "pg_ctl", "postgres" };

/* The openssl configuration of the test PKI: the extensions of each kind of
 * certificate. */
static const char openssl_cnf[] =
  "[ req ]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[ dn ]\n"
  "[ ca ]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[ server ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n"
  "[ client ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = clientAuth\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n";

/* Only these rules: no "host" line, so TCP without TLS finds no entry. */
static const char pg_hba_conf[] =
  "# ck-test-pg.c: the test server's rules. There is no \"host\" line: a\n"
  "# TCP connection without TLS finds no entry and is refused.\n"
  "local   all  " CK_TEST_PG_ADMIN "          trust\n"
  "local   all  all              scram-sha-256\n"
  "hostssl all  +" CK_TEST_PG_CERT_GROUP "   127.0.0.1/32  cert\n"
  "hostssl all  all              127.0.0.1/32  scram-sha-256\n";

/* The watchdog (see the top of this file): $1 the folder, then the command
 * that runs pg_ctl. Deaf to the signals a test runner sends its tests. */
static const char watchdog_script[] =
  "trap '' HUP INT TERM\n"
  "dir=$1\n"
  "shift\n"
  "read -r line\n"
  "\"$@\" -D \"$dir/data\" -m immediate -w stop >/dev/null 2>&1\n"
  "rm -rf -- \"$dir\"\n";

static const char *
get_bindir (void)
{
  const char *bindir = g_getenv ("CK_PG_BINDIR");

  return bindir && *bindir ? bindir : DEFAULT_BINDIR;
}

/**
 * ck_test_pg_available:
 * @reason: (out) (optional) (transfer full): why not, when not
 *
 * Whether the PostgreSQL 15 server programs (initdb, pg_ctl and postgres)
 * are there: in /usr/lib/postgresql/15/bin, or in the folder the
 * environment variable CK_PG_BINDIR names.
 *
 * Returns: %TRUE when they are all there and executable
 */
gboolean
ck_test_pg_available (char **reason)
{
  const char *bindir = get_bindir ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (server_programs); i++)
    {
      g_autofree char *path = g_build_filename (bindir, server_programs[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        g_ptr_array_add (missing, (gpointer) server_programs[i]);
    }

  if (missing->len == 0)
    return TRUE;

  if (reason)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (missing, NULL);
      names = g_strjoinv (", ", (char **) missing->pdata);
      *reason = g_strdup_printf ("no %s in %s", names, bindir);
    }
  return FALSE;
}

/**
 * ck_test_pg_require_or_skip:
 *
 * For a test program's main(), before it adds its tests: when
 * ck_test_pg_available() says no, prints a TAP plan of no tests, skipped,
 * with the reason, and exits with 0. A test runner reads it as a skip.
 */
void
ck_test_pg_require_or_skip (void)
{
  g_autofree char *reason = NULL;

  if (ck_test_pg_available (&reason))
    return;

  printf ("1..0 # SKIP PostgreSQL 15 server binaries missing (%s): "
          "scripts/install-deps installs postgresql-15\n", reason);
  fflush (stdout);
  exit (0);
}

/* --- running programs ------------------------------------------------------ */

/* A libpq connection string's value, quoted. */
static char *
conninfo_quote (const char *value)
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

/* A postgresql.conf string, quoted. */
static char *
conf_quote (const char *value)
{
  g_autofree char *doubled = NULL;
  g_auto(GStrv) parts = g_strsplit (value, "'", -1);

  doubled = g_strjoinv ("''", parts);
  return g_strdup_printf ("'%s'", doubled);
}

/* Runs @argv in the folder, waits for it, fails unless it exits 0; as the
 * server's user when @as_server. Its output, standard error included, goes
 * to @output, and into the error. */
static gboolean
run_command (CkTestPg            *pg,
             gboolean             as_server,
             const char * const  *argv,
             char               **output,
             GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;

  if (as_server && pg->as_other_user)
    {
      g_ptr_array_add (args, (gpointer) "runuser");
      g_ptr_array_add (args, (gpointer) "-u");
      g_ptr_array_add (args, (gpointer) SERVER_USER);
      g_ptr_array_add (args, (gpointer) "--");
    }
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  command = g_strjoinv (" ", (char **) args->pdata);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* The server's user may not be able to enter the test's folder. */
  g_subprocess_launcher_set_cwd (launcher, pg->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, error);
  if (!process)
    {
      g_prefix_error (error, "%s: ", command);
      return FALSE;
    }
  if (!g_subprocess_communicate (process, NULL, NULL, &out, NULL, error))
    {
      g_prefix_error (error, "%s: ", command);
      return FALSE;
    }

  /* An empty GBytes may have no data at all. */
  text = g_bytes_get_size (out) > 0
         ? g_utf8_make_valid (g_bytes_get_data (out, NULL), g_bytes_get_size (out))
         : g_strdup ("");
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed (%s %d): %s",
                   command,
                   g_subprocess_get_if_exited (process) ? "exit status" : "signal",
                   g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                        : g_subprocess_get_term_sig (process),
                   text);
      return FALSE;
    }
  if (output)
    *output = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
run_openssl (CkTestPg            *pg,
             const char * const  *argv,
             GError             **error)
{
  return run_command (pg, FALSE, argv, NULL, error);
}

/* Gives @path to the server's user (when that is another user). */
static gboolean
give_to_server (CkTestPg    *pg,
                const char  *path,
                GError     **error)
{
  if (!pg->as_other_user)
    return TRUE;
  if (chown (path, pg->server_uid, pg->server_gid) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "chown %s to %s: %s", path, SERVER_USER, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Writes a file the server reads: mode 0600, the server's user's. */
static gboolean
write_server_file (CkTestPg    *pg,
                   const char  *path,
                   const char  *contents,
                   GError     **error)
{
  return g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error)
         && give_to_server (pg, path, error);
}

static gboolean
set_mode (const char  *path,
          int          mode,
          GError     **error)
{
  if (g_chmod (path, mode) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "chmod %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_private_dir (const char  *path,
                  GError     **error)
{
  if (g_mkdir (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "mkdir %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* --- the PKI ------------------------------------------------------------- */

static char *
random_serial (void)
{
  return g_strdup_printf ("0x%08x%08x", g_random_int () & 0x7fffffff, g_random_int ());
}

/* A self-signed CA. */
static gboolean
make_ca (CkTestPg    *pg,
         const char  *cn,
         const char  *cert,
         const char  *key,
         GError     **error)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *serial = random_serial ();
  const char * const argv[] = {
    "openssl", "req", "-config", pg->openssl_cnf, "-x509", "-extensions", "ca",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
    "-keyout", key, "-out", cert, "-days", CERT_DAYS, "-set_serial", serial,
    "-subj", subject, NULL,
  };

  return run_openssl (pg, argv, error);
}

/* A key, and a certificate for it signed by a CA. */
static gboolean
make_signed (CkTestPg    *pg,
             const char  *cn,
             const char  *extensions,
             const char  *ca_cert,
             const char  *ca_key,
             const char  *cert,
             const char  *key,
             GError     **error)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *serial = random_serial ();
  g_autofree char *csr = g_strconcat (cert, ".csr", NULL);
  const char * const req[] = {
    "openssl", "req", "-config", pg->openssl_cnf, "-new",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
    "-keyout", key, "-out", csr, "-subj", subject, NULL,
  };
  const char * const x509[] = {
    "openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
    "-set_serial", serial, "-days", CERT_DAYS,
    "-extfile", pg->openssl_cnf, "-extensions", extensions, "-out", cert, NULL,
  };
  gboolean ok;

  /* openssl makes keys 0600 already; libpq and the server insist. */
  ok = run_openssl (pg, req, error)
       && set_mode (key, 0600, error)
       && run_openssl (pg, x509, error);
  g_unlink (csr);
  return ok;
}

static gboolean
make_pki (CkTestPg  *pg,
          GError   **error)
{
  g_autofree char *server_cert = g_build_filename (pg->tls_dir, "server.crt", NULL);
  g_autofree char *server_key = g_build_filename (pg->tls_dir, "server.key", NULL);
  g_autofree char *wrong_ca_key = g_build_filename (pg->pki_dir, "wrong-ca.key", NULL);

  return make_private_dir (pg->pki_dir, error)
         && make_private_dir (pg->tls_dir, error)
         && g_file_set_contents (pg->openssl_cnf, openssl_cnf, -1, error)
         && make_ca (pg, "Consent Kiosk test CA", pg->ca_file, pg->ca_key, error)
         && make_signed (pg, "localhost", "server", pg->ca_file, pg->ca_key,
                         server_cert, server_key, error)
         && make_ca (pg, "Consent Kiosk wrong CA", pg->wrong_ca_file, wrong_ca_key, error)
         && make_ca (pg, "Consent Kiosk test client CA", pg->client_ca_file,
                     pg->client_ca_key, error)
         && give_to_server (pg, pg->tls_dir, error)
         && give_to_server (pg, server_cert, error)
         && give_to_server (pg, server_key, error)
         && give_to_server (pg, pg->client_ca_file, error);
}

/**
 * ck_test_pg_make_client_cert:
 * @pg: a test server
 * @role: the role the certificate logs in as: letters, digits, '_'
 * @cert_path: (out) (optional) (transfer full): its certificate (PEM)
 * @key_path: (out) (optional) (transfer full): its key (PEM), mode 0600
 * @error: where to say what went wrong
 *
 * Makes a key and a client certificate with CN=@role, signed by the client
 * CA the server trusts (ssl_ca_file). Both are the test's user's: the
 * client reads them, not the server. A member of ck_cert_login logs in
 * with them over TLS without a password.
 *
 * Returns: %TRUE when made
 */
gboolean
ck_test_pg_make_client_cert (CkTestPg    *pg,
                             const char  *role,
                             char       **cert_path,
                             char       **key_path,
                             GError     **error)
{
  g_autofree char *clients = g_build_filename (pg->pki_dir, "clients", NULL);
  g_autofree char *cert_name = g_strconcat (role, ".crt", NULL);
  g_autofree char *key_name = g_strconcat (role, ".key", NULL);
  g_autofree char *cert = g_build_filename (clients, cert_name, NULL);
  g_autofree char *key = g_build_filename (clients, key_name, NULL);

  g_return_val_if_fail (pg != NULL, FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  if (!*role || strspn (role, "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789_") != strlen (role))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: a test role is letters, digits and '_'", role);
      return FALSE;
    }
  if (!g_file_test (clients, G_FILE_TEST_IS_DIR) && !make_private_dir (clients, error))
    return FALSE;
  if (!make_signed (pg, role, "client", pg->client_ca_file, pg->client_ca_key,
                    cert, key, error))
    return FALSE;

  if (cert_path)
    *cert_path = g_steal_pointer (&cert);
  if (key_path)
    *key_path = g_steal_pointer (&key);
  return TRUE;
}

/* --- the server ------------------------------------------------------------ */

/* A port on 127.0.0.1 free a moment ago. */
static guint16
pick_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (!socket
      || !g_socket_bind (socket, any_port, FALSE, error)
      || !(bound = g_socket_get_local_address (socket, error)))
    {
      g_prefix_error (error, "picking a free port: ");
      return 0;
    }
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* What the server logged from @offset on. */
static char *
read_log_from (CkTestPg *pg,
               goffset   offset)
{
  g_autofree char *log = NULL;
  gsize length = 0;

  if (!g_file_get_contents (pg->log_path, &log, &length, NULL) || (gsize) offset > length)
    return g_strdup ("");
  return g_utf8_make_valid (log + offset, length - offset);
}

/* pg_ctl -w start on @port: returns when the server accepts connections,
 * or has failed; G_IO_ERROR_ADDRESS_IN_USE when another took the port. */
static gboolean
start_server (CkTestPg  *pg,
              guint16    port,
              GError   **error)
{
  g_autofree char *pg_ctl = g_build_filename (pg->bindir, "pg_ctl", NULL);
  g_autofree char *options = g_strdup_printf ("-p %u", port);
  const char * const argv[] = {
    pg_ctl, "-D", pg->data_dir, "-l", pg->log_path, "-o", options, "-w", "start", NULL,
  };
  g_autoptr(GError) local_error = NULL;
  goffset log_offset = file_size (pg->log_path);
  g_autofree char *log = NULL;

  if (run_command (pg, TRUE, argv, NULL, &local_error))
    {
      pg->port = port;
      pg->running = TRUE;
      return TRUE;
    }

  log = read_log_from (pg, log_offset);
  if (strstr (log, "Address already in use"))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                 "port %u is taken: %s", port, log);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s; the server's log: %s",
                 local_error->message, log);
  return FALSE;
}

/* Connects, as ckadmin over the Unix socket, to @dbname, and runs @sql. */
static gboolean
exec_admin (CkTestPg    *pg,
            const char  *dbname,
            const char  *sql,
            GError     **error)
{
  g_autofree char *host = conninfo_quote (pg->dir);
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=%s dbname=%s",
                                               host, pg->port, CK_TEST_PG_ADMIN, dbname);
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result = NULL;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "%s: %s",
                   conninfo, g_strchomp (PQerrorMessage (conn)));
      goto out;
    }
  result = PQexec (conn, sql);
  switch (PQresultStatus (result))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      ok = TRUE;
      break;

    case PGRES_COPY_OUT:
    case PGRES_COPY_IN:
    case PGRES_COPY_BOTH:
    case PGRES_BAD_RESPONSE:
    case PGRES_NONFATAL_ERROR:
    case PGRES_FATAL_ERROR:
    case PGRES_SINGLE_TUPLE:
    case PGRES_PIPELINE_SYNC:
    case PGRES_PIPELINE_ABORTED:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
                   sql, g_strchomp (PQerrorMessage (conn)));
      break;
    }

out:
  PQclear (result);
  PQfinish (conn);
  return ok;
}

static void
detach_from_session (gpointer user_data)
{
  /* Between fork and exec: setsid() is async-signal-safe. */
  setsid ();
}

/* The watchdog (see the top of this file). */
static gboolean
start_watchdog (CkTestPg  *pg,
                GError   **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *pg_ctl = g_build_filename (pg->bindir, "pg_ctl", NULL);

  g_ptr_array_add (args, (gpointer) "/bin/sh");
  g_ptr_array_add (args, (gpointer) "-c");
  g_ptr_array_add (args, (gpointer) watchdog_script);
  g_ptr_array_add (args, (gpointer) "ck-test-pg-watchdog");
  g_ptr_array_add (args, pg->dir);
  if (pg->as_other_user)
    {
      g_ptr_array_add (args, (gpointer) "runuser");
      g_ptr_array_add (args, (gpointer) "-u");
      g_ptr_array_add (args, (gpointer) SERVER_USER);
      g_ptr_array_add (args, (gpointer) "--");
    }
  g_ptr_array_add (args, pg_ctl);
  g_ptr_array_add (args, NULL);

  /* Not a word on the test's standard output, which is its TAP, and no
   * hold on its pipes once the test has ended. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_set_child_setup (launcher, detach_from_session, NULL, NULL);
  pg->watchdog = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata,
                                               error);
  return pg->watchdog != NULL;
}

/* Run by root: the server runs as SERVER_USER, who must reach the folder. */
static gboolean
find_server_user (CkTestPg  *pg,
                  GError   **error)
{
  struct passwd *user;

  if (geteuid () != 0)
    return TRUE;

  user = getpwnam (SERVER_USER);
  if (!user)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "PostgreSQL refuses to run as root, and there is no user %s to run it",
                   SERVER_USER);
      return FALSE;
    }
  pg->as_other_user = TRUE;
  pg->server_uid = user->pw_uid;
  pg->server_gid = user->pw_gid;
  return TRUE;
}

static gboolean
check_server_reaches_dir (CkTestPg  *pg,
                          GError   **error)
{
  const char * const argv[] = { "test", "-w", pg->dir, NULL };

  if (!pg->as_other_user || run_command (pg, TRUE, argv, NULL, NULL))
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
               "the server runs as %s, who cannot reach %s: set TMPDIR to a folder "
               "every user can traverse", SERVER_USER, pg->dir);
  return FALSE;
}

static gboolean
init_cluster (CkTestPg  *pg,
              GError   **error)
{
  g_autofree char *initdb = g_build_filename (pg->bindir, "initdb", NULL);
  g_autofree char *hba = g_build_filename (pg->data_dir, "pg_hba.conf", NULL);
  g_autofree char *conf_path = g_build_filename (pg->data_dir, "postgresql.conf", NULL);
  g_autofree char *server_cert = g_build_filename (pg->tls_dir, "server.crt", NULL);
  g_autofree char *server_key = g_build_filename (pg->tls_dir, "server.key", NULL);
  g_autofree char *q_dir = conf_quote (pg->dir);
  g_autofree char *q_cert = conf_quote (server_cert);
  g_autofree char *q_key = conf_quote (server_key);
  g_autofree char *q_client_ca = conf_quote (pg->client_ca_file);
  g_autofree char *conf = NULL;
  g_autoptr(GString) settings = g_string_new (NULL);
  locale_t c_utf8;
  const char *locale_arg;

  /* C.UTF-8 where the C library has it: byte order, and UTF-8. */
  c_utf8 = newlocale (LC_ALL_MASK, "C.UTF-8", (locale_t) 0);
  locale_arg = c_utf8 ? "--locale=C.UTF-8" : "--locale=C";
  if (c_utf8)
    freelocale (c_utf8);

  {
    const char * const argv[] = {
      initdb, "-D", pg->data_dir, "-U", CK_TEST_PG_ADMIN,
      "--auth-local=trust", "--auth-host=scram-sha-256",
      "-E", "UTF8", locale_arg, "--no-sync", "--no-instructions", NULL,
    };

    if (!run_command (pg, TRUE, argv, NULL, error))
      return FALSE;
  }

  g_string_append_printf (settings,
                          "\n# ck-test-pg.c\n"
                          "listen_addresses = '127.0.0.1'\n"
                          "unix_socket_directories = %s\n"
                          "ssl = on\n"
                          "ssl_cert_file = %s\n"
                          "ssl_key_file = %s\n"
                          "ssl_ca_file = %s\n"
                          "password_encryption = 'scram-sha-256'\n"
                          "max_connections = 100\n",
                          q_dir, q_cert, q_key, q_client_ca);
  if (pg->flags & CK_TEST_PG_FAST)
    g_string_append (settings,
                     "# CK_TEST_PG_FAST: a test's server, never durable\n"
                     "fsync = off\n"
                     "synchronous_commit = off\n"
                     "full_page_writes = off\n");

  if (!g_file_get_contents (conf_path, &conf, NULL, error))
    return FALSE;
  {
    g_autofree char *appended = g_strconcat (conf, settings->str, NULL);

    return write_server_file (pg, conf_path, appended, error)
           && write_server_file (pg, hba, pg_hba_conf, error);
  }
}

/**
 * ck_test_pg_start:
 * @flags: %CK_TEST_PG_FAST for tests, %CK_TEST_PG_NONE for benchmarks
 * @error: where to say what went wrong
 *
 * Makes a private folder under g_get_tmp_dir(), the TLS material, a
 * cluster (initdb: superuser ckadmin, UTF-8, locale C.UTF-8), and starts
 * a PostgreSQL 15 server on it, on the Unix socket and 127.0.0.1 with TLS;
 * creates the database consents and the group ck_cert_login. Returns when
 * the server accepts connections. Run by root, the server runs as nobody
 * (see the top of ck-test-pg.c).
 *
 * Returns: (transfer full) (nullable): the server, for ck_test_pg_free()
 */
CkTestPg *
ck_test_pg_start (CkTestPgFlags   flags,
                  GError        **error)
{
  g_autoptr(CkTestPg) pg = g_new0 (CkTestPg, 1);
  g_autofree char *template = g_build_filename (g_get_tmp_dir (), "ck-pg-XXXXXX", NULL);
  g_autofree char *reason = NULL;
  g_autofree char *create = NULL;

  if (!ck_test_pg_available (&reason))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "PostgreSQL 15 server binaries missing (%s)", reason);
      return NULL;
    }
  pg->flags = flags;
  pg->bindir = g_strdup (get_bindir ());
  if (!find_server_user (pg, error))
    return NULL;

  if (!g_mkdtemp_full (template, 0700))
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "mkdtemp %s: %s", template, g_strerror (saved_errno));
      return NULL;
    }
  pg->dir = g_steal_pointer (&template);
  if (!start_watchdog (pg, error))
    {
      g_rmdir (pg->dir);
      g_clear_pointer (&pg->dir, g_free);
      return NULL;
    }

  pg->data_dir = g_build_filename (pg->dir, "data", NULL);
  pg->tls_dir = g_build_filename (pg->dir, "tls", NULL);
  pg->pki_dir = g_build_filename (pg->dir, "pki", NULL);
  pg->log_path = g_build_filename (pg->dir, "server.log", NULL);
  pg->openssl_cnf = g_build_filename (pg->pki_dir, "openssl.cnf", NULL);
  pg->ca_file = g_build_filename (pg->pki_dir, "ca.crt", NULL);
  pg->ca_key = g_build_filename (pg->pki_dir, "ca.key", NULL);
  pg->wrong_ca_file = g_build_filename (pg->pki_dir, "wrong-ca.crt", NULL);
  pg->client_ca_file = g_build_filename (pg->tls_dir, "client-ca.crt", NULL);
  pg->client_ca_key = g_build_filename (pg->pki_dir, "client-ca.key", NULL);

  /* The socket's path, <dir>/.s.PGSQL.<port>, must fit a sockaddr_un. */
  if (strlen (pg->dir) + strlen ("/.s.PGSQL.65535") >= sizeof (((struct sockaddr_un *) NULL)->sun_path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   "%s is too long a path for the server's Unix socket: set a shorter TMPDIR",
                   pg->dir);
      return NULL;
    }

  if (!make_pki (pg, error)
      || !give_to_server (pg, pg->dir, error)
      || !check_server_reaches_dir (pg, error)
      || !init_cluster (pg, error))
    return NULL;

  for (guint tries = 1; ; tries++)
    {
      g_autoptr(GError) local_error = NULL;
      guint16 port = pick_port (error);

      if (port == 0)
        return NULL;
      if (start_server (pg, port, &local_error))
        break;
      if (tries == PORT_TRIES || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  create = g_strdup_printf ("CREATE ROLE %s NOLOGIN", CK_TEST_PG_CERT_GROUP);
  if (!exec_admin (pg, "postgres", create, error)
      || !exec_admin (pg, "postgres", "CREATE DATABASE " CK_TEST_PG_DATABASE, error))
    return NULL;

  {
    g_autofree char *host = conninfo_quote (pg->dir);

    pg->admin_conninfo = g_strdup_printf ("host=%s port=%u user=%s dbname=%s",
                                          host, pg->port, CK_TEST_PG_ADMIN,
                                          CK_TEST_PG_DATABASE);
  }
  return g_steal_pointer (&pg);
}

/**
 * ck_test_pg_stop:
 * @pg: a test server
 * @immediate: %TRUE to stop as a crash would (-m immediate: no
 *   checkpoint, recovery at the next start), %FALSE for a clean stop
 *   (-m fast)
 * @error: where to say what went wrong
 *
 * Stops the server and waits until it has stopped. Its folder stays, for
 * ck_test_pg_restart_server().
 *
 * Returns: %TRUE when stopped
 */
gboolean
ck_test_pg_stop (CkTestPg  *pg,
                 gboolean   immediate,
                 GError   **error)
{
  g_autofree char *pg_ctl = NULL;

  g_return_val_if_fail (pg != NULL, FALSE);

  pg_ctl = g_build_filename (pg->bindir, "pg_ctl", NULL);
  {
    const char * const argv[] = {
      pg_ctl, "-D", pg->data_dir, "-m", immediate ? "immediate" : "fast", "-w", "stop", NULL,
    };

    if (!run_command (pg, TRUE, argv, NULL, error))
      return FALSE;
  }
  pg->running = FALSE;
  return TRUE;
}

/**
 * ck_test_pg_restart_server:
 * @pg: a test server
 * @error: where to say what went wrong
 *
 * Stops the server if it runs (-m fast), and starts it again on the same
 * folder and the same port; returns when it accepts connections.
 *
 * Returns: %TRUE when it runs again
 */
gboolean
ck_test_pg_restart_server (CkTestPg  *pg,
                           GError   **error)
{
  g_return_val_if_fail (pg != NULL, FALSE);

  if (pg->running && !ck_test_pg_stop (pg, FALSE, error))
    return FALSE;
  return start_server (pg, pg->port, error);
}

/**
 * ck_test_pg_exec:
 * @pg: a test server
 * @sql: one or more SQL statements
 * @error: where to say what went wrong
 *
 * Runs @sql as ckadmin in the database consents, over the Unix socket, on
 * a connection of its own.
 *
 * Returns: %TRUE when every statement succeeded
 */
gboolean
ck_test_pg_exec (CkTestPg    *pg,
                 const char  *sql,
                 GError     **error)
{
  g_return_val_if_fail (pg != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_admin (pg, CK_TEST_PG_DATABASE, sql, error);
}

/**
 * ck_test_pg_free:
 * @pg: (nullable): a test server
 *
 * Stops the server (-m immediate) if it runs, and removes its folder: the
 * watchdog does both, told by the closing of its pipe, and this waits for
 * it.
 */
void
ck_test_pg_free (CkTestPg *pg)
{
  if (!pg)
    return;

  if (pg->watchdog)
    {
      g_autoptr(GError) error = NULL;

      g_output_stream_close (g_subprocess_get_stdin_pipe (pg->watchdog), NULL, NULL);
      if (!g_subprocess_wait (pg->watchdog, NULL, &error))
        g_warning ("waiting for the watchdog of %s: %s", pg->dir, error->message);
      else if (g_file_test (pg->dir, G_FILE_TEST_EXISTS))
        g_warning ("%s is still there after its watchdog", pg->dir);
      g_object_unref (pg->watchdog);
    }

  g_free (pg->bindir);
  g_free (pg->dir);
  g_free (pg->data_dir);
  g_free (pg->tls_dir);
  g_free (pg->pki_dir);
  g_free (pg->log_path);
  g_free (pg->openssl_cnf);
  g_free (pg->ca_file);
  g_free (pg->ca_key);
  g_free (pg->wrong_ca_file);
  g_free (pg->client_ca_file);
  g_free (pg->client_ca_key);
  g_free (pg->admin_conninfo);
  g_free (pg);
}

/* --- accessors ------------------------------------------------------------- */

/**
 * ck_test_pg_get_dir:
 * @pg: a test server
 *
 * Returns: its private folder (removed by ck_test_pg_free())
 */
const char *
ck_test_pg_get_dir (CkTestPg *pg)
{
  return pg->dir;
}

/**
 * ck_test_pg_get_socket_dir:
 * @pg: a test server
 *
 * Returns: the folder of its Unix socket (libpq's host=)
 */
const char *
ck_test_pg_get_socket_dir (CkTestPg *pg)
{
  return pg->dir;
}

/**
 * ck_test_pg_get_port:
 * @pg: a test server
 *
 * Returns: its TCP port on 127.0.0.1, which also names its Unix socket
 */
guint16
ck_test_pg_get_port (CkTestPg *pg)
{
  return pg->port;
}

/**
 * ck_test_pg_get_admin_conninfo:
 * @pg: a test server
 *
 * Returns: a libpq connection string: ckadmin, the superuser, over the
 *   Unix socket (no password), to the database consents
 */
const char *
ck_test_pg_get_admin_conninfo (CkTestPg *pg)
{
  return pg->admin_conninfo;
}

/**
 * ck_test_pg_get_ca_file:
 * @pg: a test server
 *
 * Returns: the certificate (PEM) of the CA that signed the server's
 *   certificate: libpq's sslrootcert=
 */
const char *
ck_test_pg_get_ca_file (CkTestPg *pg)
{
  return pg->ca_file;
}

/**
 * ck_test_pg_get_wrong_ca_file:
 * @pg: a test server
 *
 * Returns: the certificate (PEM) of a CA that signed nothing the server
 *   has: with it, verify-ca and verify-full fail
 */
const char *
ck_test_pg_get_wrong_ca_file (CkTestPg *pg)
{
  return pg->wrong_ca_file;
}

/**
 * ck_test_pg_get_log_path:
 * @pg: a test server
 *
 * Returns: the server's log
 */
const char *
ck_test_pg_get_log_path (CkTestPg *pg)
{
  return pg->log_path;
}
