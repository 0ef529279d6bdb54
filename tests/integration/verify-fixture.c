/* verify-fixture.c: what the tests of verification, the records list and
 * the paid package's usage share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A store in a temporary directory, a verification queue with an injected
 * clock against the HTTPS mock (tests/mock-idcert), consents saved as the
 * kiosk saves them, and every message the run produced, for the scans
 * that nothing leaks. */

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "verify-fixture.h"

char *tmp_dir;
CkTestMock *mock;

/* Every message the run produced, logs included, for the final scan. */
GString *produced;

void
add_produced (const char *text)
{
  if (text)
    {
      g_string_append (produced, text);
      g_string_append_c (produced, '\n');
    }
}

static gboolean
record_message (GLogLevelFlags  log_level,
                const char     *message)
{
  add_produced (message);
  return FALSE;
}

/* --- fixture ------------------------------------------------------------- */


static gint64
fixture_clock (gpointer user_data)
{
  return ((Fixture *)user_data)->now_ms;
}

CkConfig *
make_config (const char *provider,
             guint       port,
             const char *mode,
             guint       max_attempts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "kiosk.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);
  g_autofree char *appcode = g_build_filename (tmp_dir, "appcode", NULL);
  g_autofree char *ca = g_build_filename (mock->cert_dir, "ca.pem", NULL);
  g_autofree char *endpoint = ck_test_mock_endpoint (mock, port, mode);
  g_autofree char *text = NULL;
  CkConfig *config;

  text = g_strdup_printf ("[organization]\n"
                          "name = 示例银行股份有限公司\n"
                          "business = 个人贷款\n"
                          "purpose = 身份核验和风险管理\n"
                          "[verification]\n"
                          "provider = %s\n"
                          "endpoint = %s\n"
                          "appcode_file = %s\n"
                          "ca_file = %s\n"
                          "connect_timeout_s = 1\n"
                          "timeout_s = 2\n"
                          "max_attempts = %u\n",
                          provider, endpoint, appcode, ca, max_attempts);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);

  return config;
}

void
fixture_open (Fixture    *f,
              const char *provider,
              guint       port,
              const char *mode,
              guint       max_attempts)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->queue);
  g_clear_object (&f->config);
  if (f->store == NULL)
    {
      f->store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
      g_assert_no_error (error);
    }
  f->config = make_config (provider, port, mode, max_attempts);
  f->queue = ck_verify_queue_new (f->config, f->store);
  ck_verify_queue_set_clock (f->queue, fixture_clock, f);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-verify-queue-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->now_ms = CREATED_MS + 60 * 1000;
  fixture_open (f, "aliyun-idcert", mock->good_port, NULL, 5);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->queue);
  g_clear_object (&f->config);
  if (f->store)
    g_assert_finalize_object (g_steal_pointer (&f->store));
  ck_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->data);
}

/* Saves a consent as the kiosk would have (the PDF stands in: the store
 * only hashes it); returns its uuid. */
char *
save_consent_as (Fixture    *f,
                 const char *name,
                 const char *id_number,
                 const char *sign_date)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (90);
  g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  GString *bytes = g_string_new ("%PDF-1.4\n% a stand-in for the signed letter\n");

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (bytes, "%u ", g_test_rand_int ());
  pdf = g_string_free_to_bytes (bytes);

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup (CREATED_AT);
  r->name = g_strdup (name);
  r->id_number = g_strdup (id_number);
  r->sign_date = g_strdup (sign_date);
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042-kiosk-1");

  ck_store_save (f->store, r, pdf, &error);
  g_assert_no_error (error);

  return g_strdup (r->uuid);
}

char *
save_consent (Fixture *f)
{
  return save_consent_as (f, NAME, ID_NUMBER, "2026-11-28");
}

void
db_exec (Fixture    *f,
         const char *sql)
{
  g_autofree char *path = g_build_filename (f->data, "consents.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

void
assert_check_clean (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = ck_store_check (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Gives @uuid attempts ending with @outcomes, straight through the store. */
void
give_attempts (Fixture            *f,
               const char         *uuid,
               const char * const *outcomes)
{
  for (guint i = 0; outcomes[i]; i++)
    {
      g_autoptr(CkVerifyAttempt) attempt = NULL;
      g_autoptr(GError) error = NULL;

      attempt = ck_store_begin_attempt (f->store, uuid, "aliyun-idcert", f->now_ms, 60000, &error);
      g_assert_no_error (error);
      if (g_str_equal (outcomes[i], "in-progress"))
        continue;   /* left running, by this live process */
      g_free (attempt->outcome);
      attempt->outcome = g_strdup (outcomes[i]);
      attempt->duration_ms = 100;
      attempt->http_status = 200;
      g_assert_true (ck_store_finish_attempt (f->store, attempt, 0, &error));
      g_assert_no_error (error);
    }
}


void
dump_table (Fixture    *f,
            const char *sql,
            GString    *out)
{
  g_autofree char *path = g_build_filename (f->data, "consents.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        const void *blob = sqlite3_column_blob (stmt, i);

        if (blob)
          g_string_append_len (out, blob, sqlite3_column_bytes (stmt, i));
        g_string_append_c (out, '\t');
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

void
assert_clean_text (const char *text)
{
  g_assert_null (strstr (text, CK_TEST_APPCODE));
  g_assert_null (strstr (text, "idCard="));
  g_assert_null (strstr (text, "/idcard?"));
  g_assert_null (strstr (text, ID_NUMBER));
  g_assert_null (strstr (text, ID_REVERSED));
}

void
note (const CkVerification *v)
{
  add_produced (v->customer_message);
  add_produced (v->staff_message);
  add_produced (v->refusal);
  for (guint i = 0; i < v->attempts->len; i++)
    {
      const CkVerifyAttempt *a = v->attempts->pdata[i];

      add_produced (a->provider_message);
      add_produced (a->detail);
      add_produced (a->error_message);
      if (a->body)
        {
          g_autofree char *body = g_strndup (g_bytes_get_data (a->body, NULL), g_bytes_get_size (a->body));

          add_produced (body);
        }
    }
  g_test_message ("%s: %s | %s", ck_verify_state_to_string (v->state), v->customer_message, v->staff_message);
}

CkVerification *
verify (Fixture        *f,
        const char     *uuid,
        CkVerifyFlags   flags,
        GError        **error)
{
  CkVerification *v = ck_verify_queue_verify (f->queue, uuid, flags, NULL, error);

  if (v)
    note (v);
  return v;
}

void
on_result (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/**
 * verify_fixture_init:
 *
 * Starts what every test of the program shares: the log writer that keeps
 * every message, the library, the mock and its AppCode file.
 */
void
verify_fixture_init (int    *argc,
                     char ***argv)
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  ck_test_log_set_filter (record_message);
  ck_test_mock_clear_env ();
  produced = g_string_new (NULL);

  g_test_init (argc, argv, NULL);
  ck_init ();

  tmp_dir = g_dir_make_tmp ("test-verify-mock-XXXXXX", &error);
  g_assert_no_error (error);
  ck_test_mock_write_appcode (tmp_dir);
  mock = ck_test_mock_start (tmp_dir);
}

void
verify_fixture_finish (void)
{
  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_string_free (produced, TRUE);
}
