/* test-verify-queue.c: verifying stored consents, and the retry queue
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Against the HTTPS mock (tests/mock-idcert): every behaviour of the API
 * gives its outcome, state and messages, the attempt is stored and sealed,
 * and the consent and its PDF are byte-identical afterwards; refusals send
 * nothing; with an injected clock the backoff schedule, max_attempts and
 * resumption after a restart are exact; crashed and concurrent attempts
 * are handled; edited attempts fail `check`; and nothing written holds
 * the AppCode, the request URL or the full ID number. */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "ck.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"

#define ID_NUMBER "11010519491231002X"
#define ID_REVERSED "X20013219491501011"
#define ID_MASKED "110105********002X"
#define NAME      "张三"
#define REQUEST_ID "6A1B2C3D-0000-4000-8000-MOCK00000001"
/* What make_record () stamps as the time of signing. */
#define CREATED_AT "2026-11-28T01:30:00.000000Z"
#define CREATED_MS G_GINT64_CONSTANT (1795829400000)

static char *tmp_dir;
static CkTestMock *mock;

/* Every message the run produced, logs included, for the final scan. */
static GString *produced;

static void
add_produced (const char *text)
{
  if (text)
    {
      g_string_append (produced, text);
      g_string_append_c (produced, '\n');
    }
}

static GLogWriterOutput
record_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && g_str_equal (fields[i].key, "MESSAGE"))
      add_produced (fields[i].value);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* --- fixture ------------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *data;
  CkConfig *config;
  CkStore *store;
  CkVerifyQueue *queue;
  gint64 now_ms;       /* the injected clock */
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  return ((Fixture *)user_data)->now_ms;
}

static CkConfig *
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

  text = g_strdup_printf ("[verification]\n"
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

static void
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

static void
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

static void
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
static char *
save_consent (Fixture *f)
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
  r->name = g_strdup (NAME);
  r->id_number = g_strdup (ID_NUMBER);
  r->sign_date = g_strdup ("2026-11-28");
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

static void
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

/* What must not change when a consent is verified. */
typedef struct
{
  CkConsentRecord *record;
  GBytes *pdf;
} Snapshot;

static Snapshot
snapshot (Fixture    *f,
          const char *uuid)
{
  g_autoptr(GError) error = NULL;
  Snapshot s;

  s.record = ck_store_lookup_intact (f->store, uuid, &error);
  g_assert_no_error (error);
  s.pdf = ck_store_read_pdf (f->store, s.record, &error);
  g_assert_no_error (error);

  return s;
}

static void
assert_unchanged (Fixture    *f,
                  Snapshot   *before)
{
  Snapshot after = snapshot (f, before->record->uuid);
  const CkConsentRecord *a = before->record, *b = after.record;

  g_assert_true (g_bytes_equal (before->pdf, after.pdf));
  g_assert_cmpint (a->seq, ==, b->seq);
  g_assert_cmpstr (a->row_hash, ==, b->row_hash);
  g_assert_cmpstr (a->prev_hash, ==, b->prev_hash);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->id_number, ==, b->id_number);
  g_assert_cmpstr (a->created_at, ==, b->created_at);
  g_assert_cmpstr (a->pdf_sha256, ==, b->pdf_sha256);
  g_assert_true (g_bytes_equal (a->signature, b->signature));

  ck_consent_record_free (before->record);
  g_bytes_unref (before->pdf);
  ck_consent_record_free (after.record);
  g_bytes_unref (after.pdf);
}

static void
assert_check_clean (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = ck_store_check (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
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

static CkVerification *
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

/* --- each behaviour of the API ------------------------------------------ */

typedef struct
{
  const char *mode;
  const char *outcome;
  CkVerifyState state;
  guint http_status;
  gboolean reaches_mock;
} Case;

static const Case cases[] = {
  { "01",           "verified",       CK_VERIFY_STATE_VERIFIED,     200, TRUE },
  { "02",           "not-matched",    CK_VERIFY_STATE_NOT_MATCHED,  200, TRUE },
  { "202",          "undetermined",   CK_VERIFY_STATE_UNDETERMINED, 200, TRUE },
  { "203",          "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "204",          "input-rejected", CK_VERIFY_STATE_REJECTED,     200, TRUE },
  { "205",          "input-rejected", CK_VERIFY_STATE_REJECTED,     200, TRUE },
  { "99",           "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "400",          "config-fault",   CK_VERIFY_STATE_FAILED,       400, TRUE },
  { "401",          "config-fault",   CK_VERIFY_STATE_FAILED,       401, TRUE },
  { "403",          "config-fault",   CK_VERIFY_STATE_FAILED,       403, TRUE },
  { "500",          "provider-fault", CK_VERIFY_STATE_RETRYING,     500, TRUE },
  { "502",          "provider-fault", CK_VERIFY_STATE_RETRYING,     502, TRUE },
  { "503",          "provider-fault", CK_VERIFY_STATE_RETRYING,     503, TRUE },
  { "malformed",    "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "empty",        "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "huge",         "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "huge-chunked", "provider-fault", CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "redirect",     "provider-fault", CK_VERIFY_STATE_RETRYING,     302, TRUE },
  { "hang",         "network-fault",  CK_VERIFY_STATE_RETRYING,     0,   TRUE },
  { "trickle",      "network-fault",  CK_VERIFY_STATE_RETRYING,     200, TRUE },
  { "reset",        "network-fault",  CK_VERIFY_STATE_RETRYING,     0,   TRUE },
  { "other-host",   "tls-fault",      CK_VERIFY_STATE_FAILED,       0,   FALSE },
  { "untrusted",    "tls-fault",      CK_VERIFY_STATE_FAILED,       0,   FALSE },
};

static void
test_mode (Fixture       *f,
           gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  const CkVerifyAttempt *a;
  guint before;
  Snapshot s;

  if (g_str_equal (c->mode, "other-host"))
    fixture_open (f, "aliyun-idcert", mock->otherhost_port, NULL, 5);
  else if (g_str_equal (c->mode, "untrusted"))
    fixture_open (f, "aliyun-idcert", mock->untrusted_port, NULL, 5);
  else
    fixture_open (f, "aliyun-idcert", mock->good_port, c->mode, 5);

  uuid = save_consent (f);
  s = snapshot (f, uuid);
  before = ck_test_mock_count_requests (mock);

  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + (c->reaches_mock ? 1 : 0));
  g_assert_cmpstr (v->consent_uuid, ==, uuid);
  g_assert_cmpstr (ck_verify_state_to_string (v->state), ==, ck_verify_state_to_string (c->state));
  g_assert_cmpstr (v->outcome, ==, c->outcome);
  g_assert_false (v->demo);

  /* The messages: the customer's names neither number nor AppCode; the
   * staff's the masked number. */
  g_assert_nonnull (v->customer_message);
  g_assert_nonnull (strstr (v->staff_message, ID_MASKED));
  g_assert_null (strstr (v->customer_message, ID_MASKED));

  /* The attempt, as stored. */
  g_assert_cmpuint (v->attempts->len, ==, 1);
  a = v->attempts->pdata[0];
  g_assert_cmpuint (a->number, ==, 1);
  g_assert_cmpstr (a->outcome, ==, c->outcome);
  g_assert_cmpstr (a->provider, ==, "aliyun-idcert");
  g_assert_cmpuint (a->http_status, ==, c->http_status);
  g_assert_cmpint (a->started_ms, ==, f->now_ms);
  g_assert_cmpint (a->duration_ms, >=, 0);
  g_assert_cmpint (a->duration_ms, <, 10000);
  g_assert_nonnull (a->claimed_by);
  if (c->http_status != 0)
    g_assert_cmpstr (a->request_id, ==, REQUEST_ID);
  if (g_str_equal (c->mode, "403"))
    {
      g_assert_cmpstr (a->error_code, ==, "Q403QE");
      g_assert_cmpstr (a->error_message, ==, "Quota Exhausted");
    }
  if (a->body)
    g_assert_cmpuint (g_bytes_get_size (a->body), <=, 8 * 1024);
  if (g_str_equal (c->mode, "huge-chunked"))
    g_assert_true (a->body_truncated);

  /* Retryable outcomes come back after 30 s; the others leave the queue. */
  if (c->state == CK_VERIFY_STATE_RETRYING)
    {
      g_assert_cmpint (v->next_attempt_ms, ==, f->now_ms + 30 * 1000);
      g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, f->now_ms + 30 * 1000);
    }
  else
    {
      g_assert_cmpint (v->next_attempt_ms, ==, 0);
      g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, 0);
    }
  g_assert_no_error (error);

  assert_unchanged (f, &s);
  assert_check_clean (f);
}

/* --- refusals send nothing --------------------------------------------------- */

static void
assert_refused (Fixture    *f,
                const char *uuid,
                GQuark      domain,
                int         code)
{
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  guint before = ck_test_mock_count_requests (mock);

  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_null (v);
  g_assert_error (error, domain, code);
  g_test_message ("refused: %s", error->message);
  add_produced (error->message);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *unknown = g_uuid_string_random ();
  g_autofree char *tampered_pdf = save_consent (f);
  g_autofree char *tampered_row = save_consent (f);
  g_autofree char *fine = save_consent (f);
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autofree char *sql = NULL;

  /* Not stored: never saved, or not an id at all. */
  assert_refused (f, unknown, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  assert_refused (f, "../../etc/passwd", CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);

  /* The PDF changed after signing: one byte. */
  record = ck_store_lookup (f->store, tampered_pdf, &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (f->data, record->pdf_path, NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (path, &contents, &len, &error);
    g_assert_no_error (error);
    contents[len / 2] ^= 0x01;
    g_file_set_contents (path, contents, len, &error);
    g_assert_no_error (error);
  }
  assert_refused (f, tampered_pdf, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);

  /* The row changed after signing: someone else's name. */
  sql = g_strdup_printf ("UPDATE consents SET name = '李四' WHERE uuid = '%s'", tampered_row);
  db_exec (f, sql);
  assert_refused (f, tampered_row, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);

  /* Verification turned off. */
  fixture_open (f, "none", mock->good_port, NULL, 5);
  assert_refused (f, fine, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_DISABLED);

  /* No attempt was recorded for any of them. */
  attempts = ck_store_list_attempts (f->store, tampered_pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attempts->len, ==, 0);
  g_clear_pointer (&attempts, g_ptr_array_unref);
  attempts = ck_store_list_attempts (f->store, fine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attempts->len, ==, 0);
}

static void
test_already_answered (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *uuid = save_consent (f);
  g_autoptr(CkVerification) first = NULL;
  g_autoptr(CkVerification) again = NULL;
  g_autoptr(CkVerification) current = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  first = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->state, ==, CK_VERIFY_STATE_VERIFIED);

  /* Another call would be paid for: refused unless asked for. */
  assert_refused (f, uuid, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED);
  before = ck_test_mock_count_requests (mock);

  again = verify (f, uuid, CK_VERIFY_AGAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);
  g_assert_cmpuint (again->attempts->len, ==, 2);

  current = ck_verify_queue_lookup (f->queue, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (current->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_cmpuint (current->attempts->len, ==, 2);
  assert_check_clean (f);
}

/* --- the schedule ------------------------------------------------------------- */

static GPtrArray *
run_due (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *run = ck_verify_queue_run_due (f->queue, FALSE, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < run->len; i++)
    note (run->pdata[i]);

  return run;
}

/* Runs the queue at @at; returns how many requests reached the mock. */
static guint
run_at (Fixture *f,
        gint64   at)
{
  g_autoptr(GPtrArray) run = NULL;
  guint before = ck_test_mock_count_requests (mock);

  f->now_ms = at;
  run = run_due (f);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + run->len);

  return run->len;
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 backoff[] = { 30 * 1000, 2 * 60 * 1000, 10 * 60 * 1000, 60 * 60 * 1000 };
  gint64 expected_start[5];
  gint64 t;

  fixture_open (f, "aliyun-idcert", mock->good_port, "503", 5);
  uuid = save_consent (f);

  /* A new consent is due 30 s after it was saved: the kiosk's own attempt
   * comes first. */
  g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, CREATED_MS + 30 * 1000);
  g_assert_cmpuint (run_at (f, CREATED_MS + 30 * 1000 - 1), ==, 0);

  t = CREATED_MS + 30 * 1000;
  for (guint n = 1; n <= 5; n++)
    {
      g_assert_cmpuint (run_at (f, t), ==, 1);
      expected_start[n - 1] = t;

      if (n == 2)
        {
          /* A restart: the queue and the store start afresh from disk. */
          g_clear_object (&f->queue);
          g_assert_finalize_object (g_steal_pointer (&f->store));
          fixture_open (f, "aliyun-idcert", mock->good_port, "503", 5);
        }

      if (n < 5)
        {
          g_assert_cmpint (ck_verify_backoff_ms (n), ==, backoff[MIN (n, 4) - 1]);
          g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, t + backoff[n - 1]);
          /* Not a millisecond early. */
          g_assert_cmpuint (run_at (f, t + backoff[n - 1] - 1), ==, 0);
          t += backoff[n - 1];
        }
    }

  /* max_attempts reached: out of the queue, for good. */
  g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (run_at (f, t + 24 * 3600 * 1000), ==, 0);

  v = ck_verify_queue_lookup (f->queue, uuid, &error);
  g_assert_no_error (error);
  note (v);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_FAILED);
  g_assert_cmpint (v->next_attempt_ms, ==, 0);
  g_assert_nonnull (strstr (v->staff_message, "All 5 automatic attempts failed"));
  g_assert_cmpuint (v->attempts->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      const CkVerifyAttempt *a = v->attempts->pdata[i];

      g_assert_cmpuint (a->number, ==, i + 1);
      g_assert_cmpint (a->started_ms, ==, expected_start[i]);
      g_assert_cmpstr (a->outcome, ==, "provider-fault");
    }
  g_assert_cmpint (expected_start[4] - expected_start[0], ==, (30 + 120 + 600 + 3600) * 1000);
  assert_check_clean (f);
}

static void
test_not_retried (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  fixture_open (f, "aliyun-idcert", mock->good_port, "401", 5);
  uuid = save_consent (f);
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_FAILED);

  /* Not even when staff runs the whole queue early. */
  all = ck_verify_queue_run_due (f->queue, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);
  g_assert_cmpuint (run_at (f, f->now_ms + 365 * 24 * 3600 * G_GINT64_CONSTANT (1000)), ==, 0);

  /* A person may try again by hand. */
  fixture_open (f, "aliyun-idcert", mock->good_port, NULL, 5);
  g_clear_pointer (&v, ck_verification_free);
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_cmpuint (v->attempts->len, ==, 2);
}

/* The queue run reports a consent it refuses and goes on with the next. */
static void
test_run_refusal (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *bad = save_consent (f);
  g_autofree char *good = save_consent (f);
  g_autofree char *sql = g_strdup_printf ("UPDATE consents SET id_number = '110105194912310021' "
                                          "WHERE uuid = '%s'", bad);
  g_autoptr(GPtrArray) run = NULL;
  g_autoptr(GError) error = NULL;
  guint before = ck_test_mock_count_requests (mock);

  db_exec (f, sql);
  g_test_expect_message ("ck-verify-queue", G_LOG_LEVEL_MESSAGE, "*was not verified*edited*");
  run = ck_verify_queue_run_due (f->queue, TRUE, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (run->len, ==, 2);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);
  for (guint i = 0; i < run->len; i++)
    {
      const CkVerification *v = run->pdata[i];

      note (v);
      if (g_str_equal (v->consent_uuid, bad))
        {
          g_assert_nonnull (v->refusal);
          g_assert_cmpuint (v->attempts->len, ==, 0);
        }
      else
        {
          g_assert_cmpstr (v->consent_uuid, ==, good);
          g_assert_null (v->refusal);
          g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_VERIFIED);
        }
    }
}

/* --- attempts that crash or overlap ---------------------------------------------- */

static void
test_busy_and_interrupted (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *uuid = save_consent (f);
  g_autoptr(CkVerifyAttempt) running = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *argv[] = { "true", NULL };
  GPid dead = 0;
  const CkVerifyAttempt *first;

  /* This process claimed an attempt and is alive: a second is refused. */
  running = ck_store_begin_attempt (f->store, uuid, "aliyun-idcert", f->now_ms, 60 * 1000, &error);
  g_assert_no_error (error);
  assert_refused (f, uuid, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_BUSY);

  /* The claimant died mid-call (a process that has exited). */
  g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &dead, &error);
  g_assert_no_error (error);
  waitpid (dead, NULL, 0);
  sql = g_strdup_printf ("UPDATE attempts SET claimed_by = '%s:%d' WHERE id = %" G_GINT64_FORMAT,
                         g_get_host_name (), (int)dead, running->id);
  db_exec (f, sql);

  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_cmpuint (v->attempts->len, ==, 2);
  first = v->attempts->pdata[0];
  g_assert_cmpstr (first->outcome, ==, "interrupted");
  g_assert_cmpint (first->duration_ms, ==, -1);
  assert_check_clean (f);
}

static void
test_stale_claim (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *uuid = save_consent (f);
  g_autoptr(CkVerifyAttempt) hung = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;

  /* Claimed by a live process (this one) that never finished: after the
   * stale limit ((1 + 2) s × 2 + 60 s) another attempt may go. */
  hung = ck_store_begin_attempt (f->store, uuid, "aliyun-idcert", f->now_ms, 66 * 1000, &error);
  g_assert_no_error (error);
  f->now_ms += 66 * 1000 - 1;
  assert_refused (f, uuid, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_BUSY);
  f->now_ms += 1;
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (v->attempts->len, ==, 2);
  g_assert_cmpstr (((CkVerifyAttempt *)v->attempts->pdata[0])->outcome, ==, "interrupted");
}

static void
on_result (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;

  fixture_open (f, "aliyun-idcert", mock->good_port, "hang", 5);
  uuid = save_consent (f);
  /* The asynchronous call, on this thread's main context, where the
   * timeout that cancels runs too. */
  g_timeout_add_once (200, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  ck_verify_queue_verify_async (f->queue, uuid, CK_VERIFY_DEFAULT, cancellable, on_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  v = ck_verify_queue_verify_finish (f->queue, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  note (v);
  /* Cancelled once sent: recorded as interrupted, and queued again. */
  g_assert_cmpstr (v->outcome, ==, "interrupted");
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_RETRYING);
  g_assert_cmpint (v->next_attempt_ms, ==, f->now_ms + 30 * 1000);
  assert_check_clean (f);
}

/* --- tamper evidence and purge ----------------------------------------------- */

static void
assert_problem (Fixture    *f,
                const char *pattern)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = ck_store_check (f->store, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      g_test_message ("problem: %s", (const char *)problems->pdata[i]);
      found |= g_pattern_match_simple (pattern, problems->pdata[i]);
    }
  g_assert_true (found);
}

static void
test_edited_attempt (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  fixture_open (f, "aliyun-idcert", mock->good_port, "02", 5);
  uuid = save_consent (f);
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  assert_check_clean (f);

  /* "Not matched" turned "verified" in the database. */
  sql = g_strdup_printf ("UPDATE attempts SET outcome = 'verified' WHERE consent_uuid = '%s'", uuid);
  db_exec (f, sql);
  assert_problem (f, "*attempt 1 of consent*was edited*");

  /* Deleted altogether. */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM attempts WHERE consent_uuid = '%s'", uuid);
  db_exec (f, sql);
  assert_problem (f, "*attempt*was deleted*");
}

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  fixture_open (f, "aliyun-idcert", mock->good_port, "503", 5);
  uuid = save_consent (f);
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), >, 0);

  g_assert_true (ck_store_purge (f->store, "2026-11-29", "审计员", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  /* The attempts and the queue entry went with the consent. */
  attempts = ck_store_list_attempts (f->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attempts->len, ==, 0);
  g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, 0);
  assert_check_clean (f);
}

/* --- the flow and the demo provider ------------------------------------------ */

static void
on_state (CkFlow     *flow,
          GParamSpec *pspec,
          GString    *states)
{
  g_string_append_printf (states, "%s ", ck_flow_state_to_string (ck_flow_get_state (flow)));
}

static void
test_flow_demo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = ck_sample_signature_new (90);
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  guint before = ck_test_mock_count_requests (mock);

  fixture_open (f, "demo", mock->good_port, NULL, 5);
  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  template = ck_template_new_default (&error);
  g_assert_no_error (error);

  flow = ck_flow_new (f->config, f->store, fonts);

  /* Nothing to verify before the consent is saved. */
  g_assert_null (ck_flow_verify (flow, f->queue, NULL, &error));
  g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_assert_true (ck_flow_show (flow, template, &error));
  g_assert_true (ck_flow_agree (flow, TRUE, TRUE, &error));
  g_assert_true (ck_flow_set_details (flow, NAME, ID_NUMBER, &error));
  g_assert_true (ck_flow_set_signature (flow, signature, &error));
  record = ck_flow_save (flow, NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (flow, "notify::state", G_CALLBACK (on_state), states);
  v = ck_flow_verify (flow, f->queue, NULL, &error);
  g_assert_no_error (error);
  note (v);
  g_assert_cmpstr (states->str, ==, "verifying done ");
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_DONE);
  g_assert_cmpstr (v->consent_uuid, ==, record->uuid);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_true (v->demo);
  g_assert_nonnull (strstr (v->customer_message, "DEMO"));
  g_assert_nonnull (strstr (v->staff_message, "DEMO"));
  g_assert_cmpstr (((CkVerifyAttempt *)v->attempts->pdata[0])->provider, ==, "demo");
  /* The demo answers in-process. */
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);

  /* Once done, the flow does not verify again. */
  g_clear_pointer (&v, ck_verification_free);
  g_assert_null (ck_flow_verify (flow, f->queue, NULL, &error));
  g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
  assert_check_clean (f);
}

/* --- nothing leaks ---------------------------------------------------------------- */

static void
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

static void
assert_clean_text (const char *text)
{
  g_assert_null (strstr (text, CK_TEST_APPCODE));
  g_assert_null (strstr (text, "idCard="));
  g_assert_null (strstr (text, "/idcard?"));
  g_assert_null (strstr (text, ID_NUMBER));
  g_assert_null (strstr (text, ID_REVERSED));
}

static void
test_scan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GString) db = g_string_new (NULL);
  g_autofree char *uuid = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = ck_test_mock_endpoint (mock, mock->good_port, "leaky");

  /* A gateway that echoes the AppCode and the number back. */
  fixture_open (f, "aliyun-idcert", mock->good_port, "leaky", 5);
  uuid = save_consent (f);
  v = verify (f, uuid, CK_VERIFY_DEFAULT, &error);
  g_assert_no_error (error);

  /* Everything stored but the consent row itself. */
  dump_table (f, "SELECT * FROM attempts", db);
  dump_table (f, "SELECT * FROM events", db);
  dump_table (f, "SELECT * FROM verify_queue", db);
  dump_table (f, "SELECT uuid, created_at, name, sign_date, pdf_path, pdf_sha256 FROM consents", db);
  g_assert_cmpuint (db->len, >, 0);
  assert_clean_text (db->str);
  g_assert_null (strstr (db->str, endpoint));

  /* Every message of the whole run, logs included. */
  assert_clean_text (produced->str);
  g_assert_null (strstr (produced->str, endpoint));

  /* The scan can fail: the consent row does hold the number. */
  g_string_truncate (db, 0);
  dump_table (f, "SELECT id_number FROM consents", db);
  g_assert_nonnull (strstr (db->str, ID_NUMBER));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_log_set_writer_func (record_writer, NULL, NULL);
  ck_test_mock_clear_env ();
  produced = g_string_new (NULL);

  g_test_init (&argc, &argv, NULL);
  ck_init ();

  tmp_dir = g_dir_make_tmp ("test-verify-queue-mock-XXXXXX", &error);
  g_assert_no_error (error);
  ck_test_mock_write_appcode (tmp_dir);
  mock = ck_test_mock_start (tmp_dir);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verify-queue/mode/%s", cases[i].mode);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_mode, fixture_tear_down);
    }
  ADD ("/verify-queue/refused", test_refused);
  ADD ("/verify-queue/already-answered", test_already_answered);
  ADD ("/verify-queue/schedule", test_schedule);
  ADD ("/verify-queue/not-retried", test_not_retried);
  ADD ("/verify-queue/run-refusal", test_run_refusal);
  ADD ("/verify-queue/busy-and-interrupted", test_busy_and_interrupted);
  ADD ("/verify-queue/stale-claim", test_stale_claim);
  ADD ("/verify-queue/cancelled", test_cancelled);
  ADD ("/verify-queue/edited-attempt", test_edited_attempt);
  ADD ("/verify-queue/purge", test_purge);
  ADD ("/verify-queue/flow-demo", test_flow_demo);
  ADD ("/verify-queue/secrets/scan", test_scan);

  status = g_test_run ();

  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_string_free (produced, TRUE);

  return status;
}
