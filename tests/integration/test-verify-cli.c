/* test-verify-cli.c: consentctl record and verify against the HTTPS mock
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs the built consentctl, as staff run it, with provider aliyun-idcert
 * pointed at tests/mock-idcert: every behaviour of the API gives its
 * documented exit code, state and message; the consent row and its PDF
 * stay byte for byte as signed; every attempt is stored; verifying a
 * consent that is not stored, or whose PDF or row changed, is refused
 * without a request (the mock logs each one). Last, everything the runs
 * printed and everything they wrote in their data directories is scanned
 * for the AppCode, the request URL and the full ID number.
 *
 * The suites run in the order they are made and share the mock's request
 * log and the record of what was printed; each uses its own data
 * directories. */

#define _GNU_SOURCE   /* memmem(): the files scanned are binary */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "ck.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"
#include "ck-verify-queue.h"

#define APPCODE      CK_TEST_APPCODE
#define ID_NUMBER    "11010519491231002X"
#define ID_REVERSED  "X20013219491501011"
#define ID_MASKED    "110105********002X"
#define NAME         "张三"
#define NAME_ENCODED "%E5%BC%A0%E4%B8%89"
#define UNKNOWN_ID   "00000000-0000-4000-8000-000000000000"

static char *tmp_dir;
static char *signature;
static CkTestMock *mock;
/* Everything consentctl printed, debugging messages included. */
static GString *produced;
/* Every data directory the runs wrote. */
static GPtrArray *data_dirs;

/* --- running consentctl -------------------------------------------------- */

/* Runs `consentctl --config CONFIG --data-dir DATA_DIR ARGS…` with the
 * AppCode in the environment and every debugging message on. */
static void
run_consentctl (CkTestRun          *run,
                const char         *config,
                const char         *data_dir,
                const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_null_terminated (16, g_free, TRUE);
  g_autoptr(GPtrArray) env = g_ptr_array_new_null_terminated (16, g_free, TRUE);
  g_autofree char *command = NULL;

  g_ptr_array_add (argv, g_strdup ("--config"));
  g_ptr_array_add (argv, g_strdup (config));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (data_dir));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));

  if (!g_ptr_array_find_with_equal_func (data_dirs, data_dir, g_str_equal, NULL))
    g_ptr_array_add (data_dirs, g_strdup (data_dir));

  g_ptr_array_add (env, g_strdup ("LANGUAGE=en"));
  g_ptr_array_add (env, g_strdup ("LC_ALL=C.UTF-8"));
  g_ptr_array_add (env, g_strdup ("CK_APPCODE=" APPCODE));
  g_ptr_array_add (env, g_strdup ("G_MESSAGES_DEBUG=all"));
  g_ptr_array_add (env, g_strconcat ("CK_SYSTEM_CONFIG=", tmp_dir, "/no-system.conf", NULL));
  g_ptr_array_add (env, g_strconcat ("XDG_CONFIG_HOME=", tmp_dir, "/xdg-config", NULL));
  g_ptr_array_add (env, g_strconcat ("XDG_DATA_HOME=", tmp_dir, "/xdg-data", NULL));
  /* libcurl honours these; the mock is reached directly. */
  g_ptr_array_add (env, g_strdup ("https_proxy"));
  g_ptr_array_add (env, g_strdup ("HTTPS_PROXY"));
  g_ptr_array_add (env, g_strdup ("http_proxy"));
  g_ptr_array_add (env, g_strdup ("all_proxy"));
  g_ptr_array_add (env, g_strdup ("ALL_PROXY"));

  ck_test_run_consentctl (run, (const char * const *)env->pdata, (const char * const *)argv->pdata);

  g_string_append_printf (produced, "%s\n%s\n", run->out, run->err);
  command = g_strjoinv (" ", (char **)argv->pdata + 4);
  g_test_message ("consentctl %s → %d\n%s%s", command, run->status, run->out, run->err);
}

#define RUN(run, config, data_dir, ...) \
  run_consentctl (run, config, data_dir, (const char * const[]) { __VA_ARGS__, NULL })

/* A configuration for @provider with the mock's @mode (NULL: its root)
 * on @port as the endpoint, and @ca as ca_file (NULL: the mock's CA). */
static char *
write_config_ca (const char *provider,
                 guint       port,
                 const char *mode,
                 const char *ca_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%u-%s%s.conf", provider, port, mode ? mode : "root",
                                           ca_file ? "-ca" : "");
  g_autofree char *ca = ca_file ? g_strdup (ca_file) : g_build_filename (mock->cert_dir, "ca.pem", NULL);
  g_autofree char *endpoint = ck_test_mock_endpoint (mock, port, mode);
  g_autofree char *text = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  text = g_strdup_printf ("[organization]\n"
                          "name = 示例银行股份有限公司\n"
                          "business = 个人贷款\n"
                          "purpose = 身份核验\n"
                          "[kiosk]\n"
                          "id = branch-007\n"
                          "[verification]\n"
                          "provider = %s\n"
                          "endpoint = %s\n"
                          "ca_file = %s\n"
                          "connect_timeout_s = 1\n"
                          "timeout_s = 2\n",
                          provider, endpoint, ca);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static char *
write_config (const char *provider,
              guint       port,
              const char *mode)
{
  return write_config_ca (provider, port, mode, NULL);
}

static char *
make_data_dir (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* `record` 张三's consent; returns its id, the first line printed. */
static char *
record (CkTestRun  *run,
        const char *config,
        const char *data_dir,
        gboolean    verify)
{
  char *newline;

  if (verify)
    RUN (run, config, data_dir, "record", "--name", NAME, "--id", ID_NUMBER,
         "--signature", signature);
  else
    RUN (run, config, data_dir, "record", "--name", NAME, "--id", ID_NUMBER,
         "--signature", signature, "--no-verify");

  newline = strchr (run->out, '\n');
  g_assert_nonnull (newline);
  {
    g_autofree char *id = g_strndup (run->out, newline - run->out);

    if (!g_uuid_string_is_valid (id))
      g_error ("record printed “%s”, exit %d, “%s”", run->out, run->status, run->err);

    return g_steal_pointer (&id);
  }
}

/* --- looking at what was stored, through libck and SQLite ---------------- */

static CkVerification *
lookup (const char *data_dir,
        const char *consent_uuid)
{
  g_autofree char *none = g_build_filename (tmp_dir, "no-system.conf", NULL);
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  CkVerification *verification;

  config = ck_config_load (none, none, NULL, &error);
  g_assert_no_error (error);
  store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (config, store);
  verification = ck_verify_queue_lookup (queue, consent_uuid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verification);
  g_assert_cmpstr (verification->consent_uuid, ==, consent_uuid);

  return verification;
}

static sqlite3 *
open_db (const char *data_dir,
         int         flags)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, flags, NULL), ==, SQLITE_OK);

  return db;
}

/* Appends column @i of @stmt's row to @out, its type and length first. */
static void
append_column (GByteArray   *out,
               sqlite3_stmt *stmt,
               int           i)
{
  int type = sqlite3_column_type (stmt, i);
  const guint8 *data = type == SQLITE_BLOB ? sqlite3_column_blob (stmt, i)
                                           : sqlite3_column_text (stmt, i);
  guint32 len = (guint32)sqlite3_column_bytes (stmt, i);

  g_byte_array_append (out, (const guint8 *)&type, sizeof type);
  g_byte_array_append (out, (const guint8 *)&len, sizeof len);
  if (data)
    g_byte_array_append (out, data, len);
}

/* Every column of the consent's row, byte for byte, then its PDF as the
 * store reads it (which checks it against the recorded hash). */
static GBytes *
snapshot_consent (const char *data_dir,
                  const char *consent_uuid)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GBytes) pdf = NULL;
  sqlite3 *db = open_db (data_dir, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM consents WHERE uuid = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, consent_uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    append_column (out, stmt, i);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  record = ck_store_lookup (store, consent_uuid, &error);
  g_assert_no_error (error);
  pdf = ck_store_read_pdf (store, record, &error);
  g_assert_no_error (error);
  g_byte_array_append (out, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static char *
pdf_path (const char *data_dir,
          const char *consent_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(CkConsentRecord) record = NULL;

  g_assert_no_error (error);
  record = ck_store_lookup (store, consent_uuid, &error);
  g_assert_no_error (error);

  return g_build_filename (data_dir, record->pdf_path, NULL);
}

/* Flips one bit in the middle of @path. */
static void
flip_byte (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  contents[len / 2] ^= 0x01;
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  dir = g_dir_open (from, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);

      if (g_file_test (source, G_FILE_TEST_IS_DIR))
        copy_tree (source, target);
      else
        {
          g_autofree char *contents = NULL;
          gsize len;

          g_file_get_contents (source, &contents, &len, &error);
          g_assert_no_error (error);
          g_file_set_contents_full (target, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, &error);
          g_assert_no_error (error);
        }
    }
}

/* --- every behaviour of the service -------------------------------------- */

typedef enum
{
  PORT_GOOD,
  PORT_OTHERHOST,
  PORT_UNTRUSTED,
} Port;

typedef struct
{
  const char *test;       /* the test's name */
  const char *mode;       /* the mock's path prefix; NULL for its root */
  Port port;
  int status;             /* consentctl's exit code */
  CkVerifyState state;
  const char *outcome;
  const char *message;    /* in the staff message */
  gboolean slow;          /* it times out: verified once only */
} Case;

static const Case cases[] = {
  { "01",             "01",        PORT_GOOD, 0, CK_VERIFY_STATE_VERIFIED,     "verified",       "Verified: ", FALSE },
  { "02",             "02",        PORT_GOOD, 3, CK_VERIFY_STATE_NOT_MATCHED,  "not-matched",    "Not matched: ", FALSE },
  { "202",            "202",       PORT_GOOD, 4, CK_VERIFY_STATE_UNDETERMINED, "undetermined",   "Undetermined: ", FALSE },
  { "203",            "203",       PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "Provider fault ", FALSE },
  { "204",            "204",       PORT_GOOD, 5, CK_VERIFY_STATE_REJECTED,     "input-rejected", "Input rejected: ", FALSE },
  { "205",            "205",       PORT_GOOD, 5, CK_VERIFY_STATE_REJECTED,     "input-rejected", "Input rejected: ", FALSE },
  { "unknown-status", "99",        PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "Provider fault ", FALSE },
  { "no-status",      "nostatus",  PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "Provider fault ", FALSE },
  { "400",            "400",       PORT_GOOD, 6, CK_VERIFY_STATE_FAILED,       "config-fault",   "(HTTP 400)", FALSE },
  { "401",            "401",       PORT_GOOD, 6, CK_VERIFY_STATE_FAILED,       "config-fault",   "(HTTP 401)", FALSE },
  { "403",            "403",       PORT_GOOD, 6, CK_VERIFY_STATE_FAILED,       "config-fault",   "Quota Exhausted", FALSE },
  { "500",            "500",       PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "HTTP status 500.", FALSE },
  { "502",            "502",       PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "HTTP status 502.", FALSE },
  { "503",            "503",       PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "HTTP status 503.", FALSE },
  { "malformed",      "malformed", PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "Provider fault ", FALSE },
  { "empty",          "empty",     PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "Provider fault ", FALSE },
  { "10-MB",          "huge",      PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "transfer aborted", FALSE },
  { "redirect",       "redirect",  PORT_GOOD, 7, CK_VERIFY_STATE_RETRYING,     "provider-fault", "HTTP status 302.", FALSE },
  { "timeout",        "hang",      PORT_GOOD, 8, CK_VERIFY_STATE_RETRYING,     "network-fault",  "Network fault ", TRUE },
  { "trickle",        "trickle",   PORT_GOOD, 8, CK_VERIFY_STATE_RETRYING,     "network-fault",  "Network fault ", TRUE },
  { "reset",          "reset",     PORT_GOOD, 8, CK_VERIFY_STATE_RETRYING,     "network-fault",  "Network fault ", FALSE },
  { "wrong-host",     NULL,        PORT_OTHERHOST, 9, CK_VERIFY_STATE_FAILED,  "tls-fault",      "TLS fault ", FALSE },
  { "untrusted",      NULL,        PORT_UNTRUSTED, 9, CK_VERIFY_STATE_FAILED,  "tls-fault",      "TLS fault ", FALSE },
};

/* Whether the service answered: `verify` does not ask it again. */
static gboolean
answered (const Case *c)
{
  return c->state == CK_VERIFY_STATE_VERIFIED || c->state == CK_VERIFY_STATE_NOT_MATCHED ||
         c->state == CK_VERIFY_STATE_UNDETERMINED || c->state == CK_VERIFY_STATE_REJECTED;
}

static guint
port_of (Port port)
{
  switch (port)
    {
    case PORT_OTHERHOST: return mock->otherhost_port;
    case PORT_UNTRUSTED: return mock->untrusted_port;
    case PORT_GOOD:
    default:             return mock->good_port;
    }
}

static void
test_mode (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *config = write_config ("aliyun-idcert", port_of (c->port), c->mode);
  g_autofree char *data_dir = make_data_dir ("modes");
  g_autoptr(CkVerification) verification = NULL;
  g_autofree char *id = NULL;
  /* A TLS fault ends the connection before the request is sent. */
  guint sent = c->port == PORT_GOOD ? 1 : 0;
  guint before = ck_test_mock_count_requests (mock);
  g_auto(CkTestRun) run = { 0 };

  id = record (&run, config, data_dir, TRUE);
  g_assert_cmpint (run.status, ==, c->status);
  ck_test_assert_contains (run.out, c->message);
  ck_test_assert_contains (run.out, ID_MASKED);
  ck_test_assert_contains (run.out, c->outcome);
  ck_test_assert_contains (run.out, ck_verify_state_to_string (c->state));
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + sent);

  verification = lookup (data_dir, id);
  g_assert_cmpint (verification->state, ==, c->state);
  g_assert_cmpstr (verification->outcome, ==, c->outcome);
  g_assert_cmpuint (verification->attempts->len, ==, 1);
  g_assert_false (verification->demo);
  if (c->state == CK_VERIFY_STATE_RETRYING)
    g_assert_cmpint (verification->next_attempt_ms, >, 0);
  else
    g_assert_cmpint (verification->next_attempt_ms, ==, 0);
  g_clear_pointer (&verification, ck_verification_free);

  /* verify ID: asks again unless the service answered; either way the
   * consent and its PDF stay as they were signed. */
  if (!c->slow)
    {
      g_autoptr(GBytes) signed_consent = snapshot_consent (data_dir, id);
      g_autoptr(GBytes) after = NULL;
      g_auto(CkTestRun) again = { 0 };

      before = ck_test_mock_count_requests (mock);
      RUN (&again, config, data_dir, "verify", id);
      g_assert_cmpint (again.status, ==, c->status);
      ck_test_assert_contains (again.out, id);
      ck_test_assert_contains (again.out, c->message);
      if (answered (c))
        {
          ck_test_assert_contains (again.err, "No request was sent");
          ck_test_assert_contains (again.err, "--again");
        }
      g_assert_cmpuint (ck_test_mock_count_requests (mock), ==,
                        before + (answered (c) ? 0 : sent));

      after = snapshot_consent (data_dir, id);
      g_assert_true (g_bytes_equal (signed_consent, after));

      verification = lookup (data_dir, id);
      g_assert_cmpint (verification->state, ==, c->state);
      g_assert_cmpstr (verification->outcome, ==, c->outcome);
      g_assert_cmpuint (verification->attempts->len, ==, answered (c) ? 1 : 2);
    }

  /* show lists every attempt. */
  {
    g_auto(CkTestRun) show = { 0 };

    RUN (&show, config, data_dir, "show", id);
    g_assert_cmpint (show.status, ==, 0);
    ck_test_assert_contains (show.out, "Attempt 1:");
    ck_test_assert_contains (show.out, c->outcome);
    ck_test_assert_contains (show.out, ck_verify_state_to_string (c->state));
    if (g_strcmp0 (c->mode, "403") == 0)
      {
        ck_test_assert_contains (show.out, "Q403QE “Quota Exhausted”");
        ck_test_assert_contains (show.out, "6A1B2C3D-0000-4000-8000-MOCK00000001");
      }
    if (g_strcmp0 (c->mode, "02") == 0)
      ck_test_assert_contains (show.out, "02 “实名认证不通过！”");
  }
}

/* After them all: the consents left retrying are verified again by
 * `verify --pending --all`, one line each, and a provider fault gives 7. */
static void
test_pending_retry (void)
{
  g_autofree char *config = write_config ("aliyun-idcert", mock->good_port, "503");
  g_autofree char *data_dir = make_data_dir ("modes");
  g_auto(GStrv) lines = NULL;
  g_auto(CkTestRun) run = { 0 };
  guint retrying = 0;
  guint before = ck_test_mock_count_requests (mock);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    retrying += cases[i].state == CK_VERIFY_STATE_RETRYING;

  RUN (&run, config, data_dir, "verify", "--pending", "--all");
  g_assert_cmpint (run.status, ==, 7);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, retrying + 1);
  for (guint i = 0; i < retrying; i++)
    {
      ck_test_assert_contains (lines[i], "  provider-fault");
      ck_test_assert_contains (lines[i], ck_verify_state_to_string (CK_VERIFY_STATE_RETRYING));
    }
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + retrying);
}

/* --- the demo provider, provider none ------------------------------------ */

static void
test_demo (void)
{
  /* The endpoint is the mock's, to show that nothing reaches it. */
  g_autofree char *config = write_config ("demo", mock->good_port, "01");
  g_autofree char *data_dir = make_data_dir ("demo");
  g_autoptr(CkVerification) verification = NULL;
  g_autofree char *id = NULL;
  g_auto(CkTestRun) run = { 0 };
  guint before = ck_test_mock_count_requests (mock);

  id = record (&run, config, data_dir, TRUE);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "DEMO");
  ck_test_assert_contains (run.out, "Verified: ");
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);

  verification = lookup (data_dir, id);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_true (verification->demo);
}

static void
test_disabled (void)
{
  g_autofree char *config = write_config ("none", mock->good_port, "01");
  g_autofree char *data_dir = make_data_dir ("none");
  g_autoptr(CkVerification) verification = NULL;
  g_autofree char *id = NULL;
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) verify = { 0 };
  g_auto(CkTestRun) pending = { 0 };
  guint before = ck_test_mock_count_requests (mock);

  /* The consent is stored: record succeeds. */
  id = record (&run, config, data_dir, TRUE);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "verification is disabled (provider none)");

  /* Asking for a verification with none configured: 10. */
  RUN (&verify, config, data_dir, "verify", id);
  g_assert_cmpint (verify.status, ==, 10);
  g_assert_cmpstr (verify.err, !=, "");
  RUN (&pending, config, data_dir, "verify", "--pending");
  g_assert_cmpint (pending.status, ==, 10);

  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
  verification = lookup (data_dir, id);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_UNVERIFIED);
  g_assert_cmpuint (verification->attempts->len, ==, 0);
}

/* Settings that cannot work: 6, before anything is stored or sent. */
static void
test_bad_settings (void)
{
  g_autofree char *good = write_config ("aliyun-idcert", mock->good_port, "01");
  g_autofree char *config = write_config_ca ("aliyun-idcert", mock->good_port, "01",
                                             "/nonexistent/ca.pem");
  g_autofree char *data_dir = make_data_dir ("bad-settings");
  g_autofree char *id = NULL;
  g_auto(CkTestRun) stored = { 0 };
  g_auto(CkTestRun) recorded = { 0 };
  g_auto(CkTestRun) verify = { 0 };
  guint before;

  id = record (&stored, good, data_dir, FALSE);
  before = ck_test_mock_count_requests (mock);
  RUN (&recorded, config, data_dir, "record", "--name", NAME, "--id", ID_NUMBER,
       "--signature", signature);
  g_assert_cmpint (recorded.status, ==, 6);
  g_assert_cmpstr (recorded.out, ==, "");
  ck_test_assert_contains (recorded.err, "/nonexistent/ca.pem");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ck_store_count (store, &error), ==, 1);
    g_assert_no_error (error);
  }

  RUN (&verify, config, data_dir, "verify", id);
  g_assert_cmpint (verify.status, ==, 6);
  g_assert_cmpstr (verify.out, ==, "");
  ck_test_assert_contains (verify.err, "/nonexistent/ca.pem");
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
}

/* --- the queue: --no-verify, --pending, refusals, --again ---------------- */

static void
test_queue (void)
{
  g_autofree char *config = write_config ("aliyun-idcert", mock->good_port, "01");
  g_autofree char *data_dir = make_data_dir ("queue");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_pdf = NULL;
  g_autoptr(GBytes) unverified = NULL;
  guint before = ck_test_mock_count_requests (mock);

  /* --no-verify: stored, not verified, nothing sent. */
  {
    g_auto(CkTestRun) run = { 0 };
    g_auto(CkTestRun) second_run = { 0 };
    g_autoptr(CkVerification) verification = NULL;

    first = record (&run, config, data_dir, FALSE);
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.out, "verify --pending");
    second = record (&second_run, config, data_dir, FALSE);
    g_assert_cmpint (second_run.status, ==, 0);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);

    verification = lookup (data_dir, first);
    g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_UNVERIFIED);
    g_assert_cmpuint (verification->attempts->len, ==, 0);
  }

  /* An unknown consent: refused, nothing sent. */
  {
    g_auto(CkTestRun) run = { 0 };

    RUN (&run, config, data_dir, "verify", UNKNOWN_ID);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    ck_test_assert_contains (run.err, "No consent with the id " UNKNOWN_ID);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
  }

  /* The first one's PDF changed after signing: refused, nothing sent,
   * nothing stored, alone and in the queue, where the second one is
   * verified all the same. */
  first_pdf = pdf_path (data_dir, first);
  flip_byte (first_pdf);
  {
    g_auto(CkTestRun) run = { 0 };
    g_auto(CkTestRun) pending = { 0 };
    g_autoptr(CkVerification) verification = NULL;
    g_autoptr(GBytes) signed_second = snapshot_consent (data_dir, second);
    g_autoptr(GBytes) after = NULL;
    g_autofree char *refused_line = NULL;
    g_autofree char *verified_line = NULL;

    RUN (&run, config, data_dir, "verify", first);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    ck_test_assert_contains (run.err, first);
    ck_test_assert_contains (run.err, "does not match its recorded hash");
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);

    RUN (&pending, config, data_dir, "verify", "--pending", "--all");
    g_assert_cmpint (pending.status, ==, 1);
    refused_line = g_strdup_printf ("%s  %s  —  ", first,
                                    ck_verify_state_to_string (CK_VERIFY_STATE_UNVERIFIED));
    verified_line = g_strdup_printf ("%s  %s  verified\n", second,
                                     ck_verify_state_to_string (CK_VERIFY_STATE_VERIFIED));
    ck_test_assert_contains (pending.out, refused_line);
    ck_test_assert_contains (pending.out, "does not match its recorded hash");
    ck_test_assert_contains (pending.out, verified_line);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);

    verification = lookup (data_dir, first);
    g_assert_cmpuint (verification->attempts->len, ==, 0);

    /* The first verification left the second consent as it was signed. */
    after = snapshot_consent (data_dir, second);
    g_assert_true (g_bytes_equal (signed_second, after));
  }

  /* Put back as signed, it is verified by the next --pending (--all:
   * a new consent is due in the queue only after a grace period). */
  flip_byte (first_pdf);
  unverified = snapshot_consent (data_dir, first);
  {
    g_auto(CkTestRun) run = { 0 };
    g_auto(CkTestRun) nothing = { 0 };
    g_autoptr(CkVerification) verification = NULL;
    g_autoptr(GBytes) after = NULL;

    RUN (&run, config, data_dir, "verify", "--pending", "--all");
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.out, first);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 2);
    verification = lookup (data_dir, first);
    g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_VERIFIED);
    after = snapshot_consent (data_dir, first);
    g_assert_true (g_bytes_equal (unverified, after));

    /* Nothing is left waiting. */
    RUN (&nothing, config, data_dir, "verify", "--pending", "--all");
    g_assert_cmpint (nothing.status, ==, 0);
    g_assert_cmpstr (nothing.out, ==, "No consent is waiting for verification.\n");
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 2);
  }

  /* Verified: no second paid call unless --again. */
  {
    g_auto(CkTestRun) run = { 0 };
    g_auto(CkTestRun) again = { 0 };
    g_autoptr(CkVerification) verification = NULL;

    RUN (&run, config, data_dir, "verify", first);
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.out, "verified");
    ck_test_assert_contains (run.err, "No request was sent");
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 2);

    RUN (&again, config, data_dir, "verify", "--again", first);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 3);
    verification = lookup (data_dir, first);
    g_assert_cmpuint (verification->attempts->len, ==, 2);

    /* show --json: the state and every attempt as stored. */
    {
      g_auto(CkTestRun) show = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      JsonArray *attempts;
      JsonObject *latest;

      RUN (&show, config, data_dir, "show", "--json", first);
      g_assert_cmpint (show.status, ==, 0);
      json_parser_load_from_data (parser, show.out, -1, &error);
      g_assert_no_error (error);
      object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                              "verification");
      g_assert_cmpstr (json_object_get_string_member (object, "state"), ==,
                       ck_verify_state_to_string (CK_VERIFY_STATE_VERIFIED));
      g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==, "verified");
      attempts = json_object_get_array_member (object, "attempts");
      g_assert_cmpuint (json_array_get_length (attempts), ==, 2);
      latest = json_array_get_object_element (attempts, 1);
      g_assert_cmpint (json_object_get_int_member (latest, "number"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (latest, "http_status"), ==, 200);
      g_assert_cmpstr (json_object_get_string_member (latest, "provider_status"), ==, "01");
      g_assert_cmpstr (json_object_get_string_member (latest, "request_id"), ==,
                       "6A1B2C3D-0000-4000-8000-MOCK00000001");
      g_assert_true (json_object_get_null_member (latest, "error_code"));
    }
  }
}

/* A consent whose row was edited after signing is refused; the same
 * consent untouched, in the original directory, is verified. */
static void
test_row_edited (void)
{
  g_autofree char *config = write_config ("aliyun-idcert", mock->good_port, "01");
  g_autofree char *data_dir = make_data_dir ("edited");
  g_autofree char *copy = make_data_dir ("edited-copy");
  g_autofree char *id = NULL;
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) refused = { 0 };
  g_auto(CkTestRun) verified = { 0 };
  guint before;

  id = record (&run, config, data_dir, FALSE);
  g_assert_cmpint (run.status, ==, 0);

  copy_tree (data_dir, copy);
  {
    sqlite3 *db = open_db (copy, SQLITE_OPEN_READWRITE);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE consents SET name = '李四' WHERE uuid = ?", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    g_assert_cmpint (sqlite3_changes (db), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  before = ck_test_mock_count_requests (mock);
  RUN (&refused, config, copy, "verify", id);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  ck_test_assert_contains (refused.err, id);
  ck_test_assert_contains (refused.err, "was edited after signing");
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);

  RUN (&verified, config, data_dir, "verify", id);
  g_assert_cmpint (verified.status, ==, 0);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);
}

/* --- withdraw, list --state, usage ------------------------------------------ */

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” contains “%s”", haystack, needle);
}

/* The line of `list` output about @id, or "". */
static char *
list_line (const char *out,
           const char *id)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], id))
      return g_strdup (lines[i]);

  return g_strdup ("");
}

static void
test_withdraw (void)
{
  g_autofree char *config = write_config ("aliyun-idcert", mock->good_port, "01");
  g_autofree char *data_dir = make_data_dir ("withdraw");
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autofree char *line = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_path = g_build_filename (tmp_dir, "withdraw-export.csv", NULL);
  g_autoptr(CkVerification) verification = NULL;
  g_auto(CkTestRun) run = { 0 };
  guint before;

  id = record (&run, config, data_dir, FALSE);
  ck_test_run_clear (&run);
  other = record (&run, config, data_dir, FALSE);

  /* Usage errors: 2; an unknown consent: 1. */
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "withdraw", id);
  g_assert_cmpint (run.status, ==, 2);
  ck_test_assert_contains (run.err, "--operator");
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "withdraw", "--operator", "王经理");
  g_assert_cmpint (run.status, ==, 2);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "withdraw", UNKNOWN_ID, "--operator", "王经理");
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, UNKNOWN_ID);

  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "withdraw", id, "--operator", "王经理", "--note", "客户来电撤回");
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, id);
  ck_test_assert_contains (run.out, "withdrawn");
  ck_test_assert_contains (run.out, "王经理");

  /* Once only. */
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "withdraw", id, "--operator", "王经理");
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, "already withdrawn");

  /* Verifying it is refused, without a request; the queue runs the other. */
  before = ck_test_mock_count_requests (mock);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "verify", id);
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, "withdrawn");
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "verify", id, "--again");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "verify", "--pending", "--all");
  g_assert_cmpint (run.status, ==, 0);
  assert_lacks (run.out, id);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);
  verification = lookup (data_dir, id);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_WITHDRAWN);
  g_assert_cmpuint (verification->attempts->len, ==, 0);

  /* list: the state, and --state, --search. */
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "list");
  g_assert_cmpint (run.status, ==, 0);
  line = list_line (run.out, id);
  ck_test_assert_contains (line, " withdrawn ");
  g_free (line);
  line = list_line (run.out, other);
  ck_test_assert_contains (line, " verified ");
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "list", "--state", "withdrawn");
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, id);
  assert_lacks (run.out, other);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "list", "--state", "verified", "--search", "002x");
  g_assert_cmpint (run.status, ==, 0);
  assert_lacks (run.out, id);
  ck_test_assert_contains (run.out, other);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "list", "--state", "withdrawn", "--search", NAME, "--json");
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, id);
  assert_lacks (run.out, other);
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "list", "--state", "gone");
  g_assert_cmpint (run.status, ==, 2);
  ck_test_assert_contains (run.err, "“gone” is not a verification state");

  /* show: when, who, why. */
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "show", id);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "Withdrawn:");
  ck_test_assert_contains (run.out, "Withdrawn by:");
  ck_test_assert_contains (run.out, "客户来电撤回");
  ck_test_assert_contains (run.out, "withdrawal by 王经理");
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "show", id, "--json");
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "\"withdrawal\"");
  ck_test_assert_contains (run.out, "\"note\" : \"客户来电撤回\"");

  /* The export ends each row with the state; the chain checks. */
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "export", "--format", "csv", "-o", csv_path);
  g_assert_cmpint (run.status, ==, 0);
  g_file_get_contents (csv_path, &csv, NULL, NULL);
  ck_test_assert_contains (csv, ",pdf_sha256,name_method,id_method,state\r\n");
  ck_test_assert_contains (csv, ",\"withdrawn\"\r\n");
  ck_test_assert_contains (csv, ",\"verified\"\r\n");
  /* ck_export_records () writes the same bytes, for the staff window. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(GBytes) bytes = NULL;
    CkStoreQuery all = { 0 };
    CkExportFormat format;

    g_assert_no_error (error);
    g_assert_true (ck_export_format_from_string ("csv", &format));
    g_assert_false (ck_export_format_from_string ("xml", &format));
    bytes = ck_export_records (store, &all, format, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), csv, strlen (csv));
  }
  ck_test_run_clear (&run);
  RUN (&run, config, data_dir, "check");
  g_assert_cmpint (run.status, ==, 0);
}

/* A configuration of @base's with more lines in [verification]. */
static char *
config_with (const char *base,
             const char *name,
             const char *extra)
{
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_file_get_contents (base, &text, NULL, &error);
  g_assert_no_error (error);
  joined = g_strconcat (text, extra, NULL);
  g_file_set_contents (path, joined, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_usage (void)
{
  g_autofree char *verified = write_config ("aliyun-idcert", mock->good_port, "01");
  g_autofree char *not_matched = write_config ("aliyun-idcert", mock->good_port, "02");
  g_autofree char *unavailable = write_config ("aliyun-idcert", mock->good_port, "503");
  g_autofree char *forbidden = write_config ("aliyun-idcert", mock->good_port, "403");
  g_autofree char *demo = write_config ("demo", mock->good_port, "01");
  g_autofree char *package = config_with (verified, "usage-15.conf",
                                          "package_size = 15\npackage_start = 2000-01-01\n");
  g_autofree char *nearly_out = config_with (verified, "usage-3.conf", "package_size = 3\n");
  g_autofree char *data_dir = make_data_dir ("usage");
  g_autofree char *json_path = g_build_filename (tmp_dir, "usage.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) run = { 0 };
  JsonArray *rows;

  a = record (&run, verified, data_dir, TRUE);        /* 200: billed */
  ck_test_run_clear (&run);
  b = record (&run, unavailable, data_dir, TRUE);     /* 503 from the gateway: not */
  ck_test_run_clear (&run);
  c = record (&run, forbidden, data_dir, TRUE);       /* 403: not */
  ck_test_run_clear (&run);
  d = record (&run, demo, data_dir, TRUE);            /* demo: not */
  ck_test_run_clear (&run);
  f = record (&run, not_matched, data_dir, TRUE);     /* 200: billed */
  ck_test_run_clear (&run);
  e = record (&run, verified, data_dir, FALSE);       /* interrupted: maybe */
  {
    g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
    g_autoptr(CkVerifyAttempt) attempt = NULL;

    g_assert_no_error (error);
    attempt = ck_store_begin_attempt (store, e, "aliyun-idcert", g_get_real_time () / 1000, 60000, &error);
    g_assert_no_error (error);
    g_free (attempt->outcome);
    attempt->outcome = g_strdup ("interrupted");
    g_assert_true (ck_store_finish_attempt (store, attempt, 0, &error));
    g_assert_no_error (error);
  }

  /* CSV on standard output, the summary on standard error. */
  ck_test_run_clear (&run);
  RUN (&run, package, data_dir, "usage");
  g_assert_cmpint (run.status, ==, 0);
  csv = g_strdup (run.out);
  g_assert_true (g_str_has_prefix (run.out, "\xEF\xBB\xBF" "time,consent_id,outcome,http_status,request_id,billed\r\n"));
  {
    g_auto(GStrv) lines = g_strsplit (run.out, "\r\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* header, 3 rows, "" */
    ck_test_assert_contains (lines[1], a);
    ck_test_assert_contains (lines[1], ",\"verified\",\"200\",");
    ck_test_assert_contains (lines[1], ",\"yes\"");
    ck_test_assert_contains (lines[2], f);
    ck_test_assert_contains (lines[2], ",\"not-matched\",\"200\",");
    ck_test_assert_contains (lines[3], e);
    ck_test_assert_contains (lines[3], ",\"interrupted\",\"0\",\"\",\"maybe\"");
  }
  assert_lacks (run.out, b);
  assert_lacks (run.out, c);
  assert_lacks (run.out, d);
  assert_lacks (run.out, NAME);
  assert_lacks (run.out, ID_MASKED);
  assert_lacks (run.out, "002X");
  ck_test_assert_contains (run.err, "3 of 15 calls used; 12 left.");
  ck_test_assert_contains (run.err, "1 of them was interrupted");
  ck_test_assert_contains (run.err, "Counted since 2000-01-01.");
  ck_test_assert_contains (run.err, "This kiosk only.");
  assert_lacks (run.err, "Warning");

  /* JSON to a file. */
  ck_test_run_clear (&run);
  RUN (&run, package, data_dir, "usage", "--format", "json", "-o", json_path);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_file_get_contents (json_path, &json, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "consent_id"), ==, a);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "http_status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 2), "billed"), ==, "maybe");
  assert_lacks (json, NAME);
  assert_lacks (json, "002X");

  /* With a central archive that counted the organisation's calls (10
   * billed, 1 maybe, of 3 kiosks): that count and this kiosk's 2 billed and
   * 1 maybe billed not sent yet, 1 left: a warning. The rows stay this
   * kiosk's. */
  {
    g_autofree char *central = config_with (package, "usage-central.conf",
                                            "[central]\nurl = postgresql://k@/consents?host=/nonexistent\n");
    g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (ck_store_note_org_usage (store, 10, 1, 3, &error));
    g_assert_no_error (error);
    ck_test_run_clear (&run);
    RUN (&run, central, data_dir, "usage");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, csv);
    ck_test_assert_contains (run.err, "14 of 15 calls used; 1 left.");
    ck_test_assert_contains (run.err, "Organisation-wide: 3 kiosks, counted just now.");
    ck_test_assert_contains (run.err, "Warning: less than 20 %");
    assert_lacks (run.err, "This kiosk only");

    /* Without [central], the count kept is not used. */
    ck_test_run_clear (&run);
    RUN (&run, package, data_dir, "usage");
    ck_test_assert_contains (run.err, "3 of 15 calls used; 12 left.");
    ck_test_assert_contains (run.err, "This kiosk only.");
  }

  /* Retention purges them all: the calls stay, the same rows in both
   * formats but for the consent id, and the same numbers. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autofree char *day = g_date_time_format (tomorrow, "%Y-%m-%d");
    const char *purged[] = { a, f, e };
    g_autofree char *json_after = NULL;

    ck_test_run_clear (&run);
    RUN (&run, package, data_dir, "purge", "--before", day, "--operator", "李主管");
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.out, "Purged 6 consents");
    ck_test_run_clear (&run);
    RUN (&run, package, data_dir, "check");
    g_assert_cmpint (run.status, ==, 0);

    for (guint i = 0; i < G_N_ELEMENTS (purged); i++)
      {
        g_auto(GStrv) csv_parts = g_strsplit (csv, purged[i], -1);
        g_auto(GStrv) json_parts = g_strsplit (json, purged[i], -1);

        g_assert_cmpuint (g_strv_length (csv_parts), ==, 2);
        g_assert_cmpuint (g_strv_length (json_parts), ==, 2);
        g_free (csv);
        csv = g_strjoinv ("(purged)", csv_parts);
        g_free (json);
        json = g_strjoinv ("(purged)", json_parts);
      }

    ck_test_run_clear (&run);
    RUN (&run, package, data_dir, "usage");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, csv);
    ck_test_assert_contains (run.out, ",\"(purged)\",\"verified\",\"200\",");
    ck_test_assert_contains (run.err, "3 of 15 calls used; 12 left.");
    ck_test_run_clear (&run);
    RUN (&run, package, data_dir, "usage", "--format", "json", "-o", json_path);
    g_assert_cmpint (run.status, ==, 0);
    g_file_get_contents (json_path, &json_after, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_after, ==, json);
    ck_test_assert_contains (json_after, "\"(purged)\"");
  }

  /* Since tomorrow: no rows; the package nearly used up: a warning. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autofree char *day = g_date_time_format (tomorrow, "%Y-%m-%d");

    ck_test_run_clear (&run);
    RUN (&run, nearly_out, data_dir, "usage", "--since", day);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "\xEF\xBB\xBF" "time,consent_id,outcome,http_status,request_id,billed\r\n");
    ck_test_assert_contains (run.err, "3 of 3 calls used; 0 left.");
    ck_test_assert_contains (run.err, "Warning: less than 20 %");
  }

  /* Bad options: 2. */
  ck_test_run_clear (&run);
  RUN (&run, package, data_dir, "usage", "--format", "xml");
  g_assert_cmpint (run.status, ==, 2);
  ck_test_run_clear (&run);
  RUN (&run, package, data_dir, "usage", "--since", "yesterday");
  g_assert_cmpint (run.status, ==, 2);
}

/* --- the scan ------------------------------------------------------------ */

static const char *
find (const char *data,
      gsize       len,
      gboolean    id_allowed)
{
  static const char * const always[] = {
    APPCODE, "APPCODE", "idCard=", "127.0.0.1:", "/idcard", NAME_ENCODED,
  };
  static const char * const id[] = {
    ID_NUMBER, "11010519491231002x", ID_REVERSED, "x20013219491501011",
  };

  for (guint i = 0; i < G_N_ELEMENTS (always); i++)
    if (memmem (data, len, always[i], strlen (always[i])))
      return always[i];
  for (guint i = 0; !id_allowed && i < G_N_ELEMENTS (id); i++)
    if (memmem (data, len, id[i], strlen (id[i])))
      return id[i];

  return NULL;
}

static void
assert_clean (const char *where,
              const char *data,
              gsize       len,
              gboolean    id_allowed)
{
  const char *found = find (data, len, id_allowed);

  if (found)
    g_error ("%s holds “%s”", where, found);
}

/* Every table, every row, every column, but the ID number of the consent
 * row itself (and its reversed copy, the search index's). */
static GByteArray *
dump_database (const char *data_dir)
{
  GByteArray *out = g_byte_array_new ();
  sqlite3 *db = open_db (data_dir, SQLITE_OPEN_READONLY);
  sqlite3_stmt *tables = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1,
                                       &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *table = g_strdup ((const char *)sqlite3_column_text (tables, 0));
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      sqlite3_stmt *rows = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count (rows); i++)
          {
            const char *column = sqlite3_column_name (rows, i);

            if (g_str_equal (table, "consents") &&
                (g_str_equal (column, "id_number") || g_str_equal (column, "id_reversed")))
              continue;
            append_column (out, rows, i);
          }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);

  return out;
}

/* Every file under @path: the database's files and PDFs may hold the ID
 * number (the consent row, the signed form), nothing else may. */
static void
scan_files (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          scan_files (child);
          continue;
        }

      g_file_get_contents (child, &contents, &len, &error);
      g_assert_no_error (error);
      assert_clean (child, contents, len,
                    g_str_has_prefix (name, "consents.db") || g_str_has_suffix (name, ".pdf"));
    }
}

/* Runs last (its suite is the last one made). */
static void
test_scan (void)
{
  g_assert_cmpuint (data_dirs->len, >=, 5);
  g_assert_cmpuint (produced->len, >, 10000);
  /* The scan sees what it should: the masked number was printed. */
  ck_test_assert_contains (produced->str, ID_MASKED);
  assert_clean ("consentctl's output", produced->str, produced->len, FALSE);

  for (guint i = 0; i < data_dirs->len; i++)
    {
      const char *data_dir = data_dirs->pdata[i];
      g_autoptr(GByteArray) dump = NULL;
      g_autofree char *where = NULL;

      if (!g_file_test (data_dir, G_FILE_TEST_IS_DIR))
        continue;
      scan_files (data_dir);
      dump = dump_database (data_dir);
      where = g_strdup_printf ("the database in %s", data_dir);
      g_assert_cmpuint (dump->len, >, 1000);
      assert_clean (where, (const char *)dump->data, dump->len, FALSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  produced = g_string_new (NULL);
  data_dirs = g_ptr_array_new_with_free_func (g_free);
  tmp_dir = g_dir_make_tmp ("test-verify-cli-XXXXXX", &error);
  g_assert_no_error (error);
  signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature", "hand", NULL);
  mock = ck_test_mock_start (tmp_dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verify-cli/mode/%s", cases[i].test);

      g_test_add_data_func (path, &cases[i], test_mode);
    }
  g_test_add_func ("/verify-cli/pending/retry", test_pending_retry);
  g_test_add_func ("/verify-cli/provider/demo", test_demo);
  g_test_add_func ("/verify-cli/provider/none", test_disabled);
  g_test_add_func ("/verify-cli/provider/bad-settings", test_bad_settings);
  g_test_add_func ("/verify-cli/queue/no-verify-pending-again", test_queue);
  g_test_add_func ("/verify-cli/queue/row-edited", test_row_edited);
  g_test_add_func ("/verify-cli/withdraw", test_withdraw);
  g_test_add_func ("/verify-cli/usage", test_usage);
  g_test_add_func ("/verify-cli/secrets/scan", test_scan);

  status = g_test_run ();

  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_free (signature);
  g_ptr_array_unref (data_dirs);
  g_string_free (produced, TRUE);

  return status;
}
