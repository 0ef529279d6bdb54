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

#include <json-glib/json-glib.h>

#include "ck.h"
#include "ck-verify-queue-private.h"
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

static char *
save_consent (Fixture *f)
{
  return save_consent_as (f, NAME, ID_NUMBER, "2026-11-28");
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

/* --- withdrawal ------------------------------------------------------------------ */

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *gone = save_consent (f);
  g_autofree char *kept = save_consent (f);
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) run = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CkVerifyAttempt) attempt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *note_text = "客户来电撤回 \"同意\"\n（工单 42）";
  guint before;

  g_assert_null (ck_store_lookup_withdrawal (f->store, gone, &error));
  g_assert_no_error (error);

  g_assert_true (ck_store_withdraw (f->store, gone, "王经理", note_text, &error));
  g_assert_no_error (error);

  /* An event in the chain: time, operator, note. */
  withdrawal = ck_store_lookup_withdrawal (f->store, gone, &error);
  g_assert_no_error (error);
  g_assert_nonnull (withdrawal);
  g_assert_cmpstr (withdrawal->kind, ==, "withdrawal");
  g_assert_cmpstr (withdrawal->consent_uuid, ==, gone);
  g_assert_cmpstr (withdrawal->operator_name, ==, "王经理");
  g_assert_true (g_str_has_suffix (withdrawal->at, "Z"));
  json_parser_load_from_data (parser, withdrawal->detail, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "note"),
                   ==, note_text);
  g_assert_null (ck_store_lookup_withdrawal (f->store, kept, &error));
  g_assert_no_error (error);
  events = ck_store_list_events (f->store, gone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((CkStoreEvent *)events->pdata[0])->seq, ==, 3);
  assert_check_clean (f);

  /* Its state; out of the queue. */
  v = ck_verify_queue_lookup (f->queue, gone, &error);
  g_assert_no_error (error);
  note (v);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_WITHDRAWN);
  g_assert_cmpstr (ck_verify_state_to_string (v->state), ==, "withdrawn");
  g_assert_nonnull (strstr (v->staff_message, "王经理"));
  due = ck_verify_queue_list_due (f->queue, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((CkQueueEntry *)due->pdata[0])->consent_uuid, ==, kept);

  /* Refused: nothing sent, nothing stored, even asked again. */
  assert_refused (f, gone, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN);
  before = ck_test_mock_count_requests (mock);
  g_clear_pointer (&v, ck_verification_free);
  v = verify (f, gone, CK_VERIFY_AGAIN, &error);
  g_assert_error (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN);
  g_clear_error (&error);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
  attempt = ck_store_begin_attempt (f->store, gone, "aliyun-idcert", f->now_ms, 60000, &error);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN);
  g_assert_null (attempt);
  g_clear_error (&error);
  attempts = ck_store_list_attempts (f->store, gone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attempts->len, ==, 0);

  /* Once only; a stored consent; someone who does it. */
  g_assert_false (ck_store_withdraw (f->store, gone, "王经理", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN);
  g_clear_error (&error);
  g_assert_false (ck_store_withdraw (f->store, unknown, "王经理", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ck_store_withdraw (f->store, kept, "  ", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The run verifies the other consent only. */
  run = run_due (f);
  g_assert_cmpuint (run->len, ==, 1);
  g_assert_cmpstr (((CkVerification *)run->pdata[0])->consent_uuid, ==, kept);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);
  assert_check_clean (f);

  /* The status table says withdrawn no more: found. */
  sql = g_strdup_printf ("UPDATE consent_status SET withdrawn = 0 WHERE uuid = '%s'", gone);
  db_exec (f, sql);
  assert_problem (f, "*status of consent*was edited*");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE consent_status SET withdrawn = 1 WHERE uuid = '%s'", gone);
  db_exec (f, sql);
  assert_check_clean (f);

  /* The withdrawal's note rewritten: found. */
  db_exec (f, "UPDATE events SET detail = '{\"note\":\"none\"}' WHERE kind = 'withdrawal'");
  assert_problem (f, "*event 3 (withdrawal)*edited*");
}

/* Withdrawn while its request was out: the answer is kept, but the
 * consent is not queued again. */
static void
test_withdraw_while_running (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *uuid = save_consent (f);
  g_autoptr(CkVerifyAttempt) attempt = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;

  attempt = ck_store_begin_attempt (f->store, uuid, "aliyun-idcert", f->now_ms, 60000, &error);
  g_assert_no_error (error);
  g_assert_true (ck_store_withdraw (f->store, uuid, "王经理", NULL, &error));
  g_assert_no_error (error);

  g_free (attempt->outcome);
  attempt->outcome = g_strdup ("network-fault");
  attempt->duration_ms = 1000;
  g_assert_true (ck_store_finish_attempt (f->store, attempt, f->now_ms + 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_verify_queue_get_next_due_ms (f->queue, &error), ==, 0);

  v = ck_verify_queue_lookup (f->queue, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->state, ==, CK_VERIFY_STATE_WITHDRAWN);
  g_assert_cmpuint (v->attempts->len, ==, 1);
  g_assert_cmpstr (v->outcome, ==, "network-fault");
  assert_check_clean (f);
}

static void
test_reveal (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *uuid = save_consent (f);
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const CkStoreEvent *e;

  g_assert_true (ck_store_record_reveal (f->store, uuid, "李主管", "staff-window", &error));
  g_assert_no_error (error);
  events = ck_store_list_events (f->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  e = events->pdata[0];
  g_assert_cmpstr (e->kind, ==, "reveal");
  g_assert_cmpstr (e->operator_name, ==, "李主管");
  g_assert_cmpstr (e->detail, ==, "{\"field\":\"id_number\",\"via\":\"staff-window\"}");

  g_assert_false (ck_store_record_reveal (f->store, unknown, "李主管", "staff-window", &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ck_store_record_reveal (f->store, uuid, "", "staff-window", &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_check_clean (f);
}

/* --- states, filters and the records list --------------------------------------- */

static const char * const state_names[] = {
  "unverified", "in-progress", "verified", "not-matched", "undetermined",
  "rejected", "retrying", "failed", "withdrawn",
};

/* Gives @uuid attempts ending with @outcomes, straight through the store. */
static void
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

/* Consents in every state (max_attempts 2); returns their uuids. */
static GPtrArray *
every_state (Fixture *f)
{
  static const char * const histories[][3] = {
    { NULL },
    { "in-progress", NULL },
    { "verified", NULL },
    { "not-matched", NULL },
    { "undetermined", NULL },
    { "input-rejected", NULL },
    { "config-fault", NULL },
    { "tls-fault", NULL },
    { "provider-fault", NULL },
    { "network-fault", NULL },
    { "interrupted", NULL },
    { "network-fault", "provider-fault", NULL },   /* the last of 2: failed */
    { "provider-fault", "interrupted", NULL },
    { "provider-fault", "verified", NULL },
    { "an-outcome-of-a-later-version", NULL },
    { "verified", NULL },                          /* then withdrawn */
    { NULL },                                      /* then withdrawn */
  };
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  fixture_open (f, "aliyun-idcert", mock->good_port, NULL, 2);
  for (guint i = 0; i < G_N_ELEMENTS (histories); i++)
    {
      char *uuid = save_consent (f);

      give_attempts (f, uuid, histories[i]);
      g_ptr_array_add (uuids, uuid);
    }
  for (guint i = uuids->len - 2; i < uuids->len; i++)
    {
      g_assert_true (ck_store_withdraw (f->store, uuids->pdata[i], "王经理", NULL, &error));
      g_assert_no_error (error);
    }

  return uuids;
}

static gboolean
list_has (GPtrArray  *records,
          const char *uuid)
{
  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (((CkConsentRecord *)records->pdata[i])->uuid, uuid))
      return TRUE;

  return FALSE;
}

/* The state filter in SQL agrees with the state derived from the attempts,
 * for every state, and the migration computes the same status. */
static void
test_state_filter (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = every_state (f);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      for (guint s = 0; s < G_N_ELEMENTS (state_names); s++)
        {
          CkStoreQuery query = { .state = state_names[s], .max_attempts = 2 };
          g_autoptr(GPtrArray) found = ck_store_list (f->store, &query, &error);

          g_assert_no_error (error);
          for (guint i = 0; i < uuids->len; i++)
            {
              g_autoptr(CkVerification) v = ck_verify_queue_lookup (f->queue, uuids->pdata[i], &error);
              const char *derived;

              g_assert_no_error (error);
              derived = ck_verify_state_to_string (v->state);
              g_hash_table_add (seen, (gpointer)derived);
              if (list_has (found, uuids->pdata[i]) != g_str_equal (derived, state_names[s]))
                g_error ("consent %u is %s, but the filter for %s %s it", i, derived, state_names[s],
                         list_has (found, uuids->pdata[i]) ? "finds" : "misses");
            }
        }

      /* Again, with the status the migration from schema 3 computes. */
      db_exec (f, "BEGIN;"
                  "DROP TABLE pending_files;"
                  "DROP TABLE consent_status;"
                  "DROP TABLE purged_calls;"
                  "PRAGMA user_version = 3;"
                  "COMMIT;");
      g_clear_object (&f->queue);
      g_assert_finalize_object (g_steal_pointer (&f->store));
      fixture_open (f, "aliyun-idcert", mock->good_port, NULL, 2);
      g_assert_cmpint (ck_store_get_schema_version (f->store), ==, CK_STORE_SCHEMA_VERSION);
      assert_check_clean (f);
    }

  /* Every state was there. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (state_names));

  /* Not a state. */
  {
    CkStoreQuery query = { .state = "verifed" };

    g_assert_null (ck_store_list (f->store, &query, &error));
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  }
}

/* Search, dates and state together. */
static void
test_combined_filter (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = save_consent_as (f, "张三", "11010519491231002X", "2026-11-27");
  g_autofree char *b = save_consent_as (f, "张三丰", "310101198512240018", "2026-11-28");
  g_autofree char *c = save_consent_as (f, "张三", "510104200002291234", "2026-11-29");
  g_autofree char *d = save_consent_as (f, "李四", "440305197707071234", "2026-11-28");
  const char * const verified[] = { "verified", NULL };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  CkStoreQuery query = { .search = "张三", .since = "2026-11-28", .until = "2026-11-29",
                         .state = "unverified" };

  give_attempts (f, b, verified);
  found = ck_store_list (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, c);
  g_clear_pointer (&found, g_ptr_array_unref);

  query.state = "verified";
  found = ck_store_list (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, b);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The ID tail with a state: newest first. */
  query = (CkStoreQuery) { .search = "1234", .state = "unverified" };
  found = ck_store_list (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, d);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[1])->uuid, ==, c);
  g_clear_pointer (&found, g_ptr_array_unref);

  query = (CkStoreQuery) { .until = "2026-11-27", .state = "unverified" };
  found = ck_store_list (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, a);
}

static void
set_query (CkRecordList        *list,
           const CkStoreQuery  *query,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ck_record_list_set_query_async (list, query, cancellable, on_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_record_list_set_query_finish (list, result, error);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_record_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = every_state (f);
  g_autoptr(CkRecordList) list = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *expected = NULL;
  CkStoreQuery all = { 0 };
  guint n;

  /* Past a page of rows. */
  for (guint i = 0; i < CK_RECORD_LIST_PAGE_SIZE + 10; i++)
    g_ptr_array_add (uuids, save_consent_as (f, i % 2 ? "王五" : "赵六", ID_NUMBER, "2026-11-29"));
  n = uuids->len;

  list = ck_record_list_new (f->store, 2);
  g_assert_true (g_type_is_a (CK_TYPE_RECORD_LIST, G_TYPE_LIST_MODEL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CK_TYPE_RECORD_ITEM);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), changes);

  set_query (list, &all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  expected = g_strdup_printf ("0-0+%u ", n);
  g_assert_cmpstr (changes->str, ==, expected);
  g_string_truncate (changes, 0);

  /* Newest first; every field, masked ID only; the state as derived. */
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr(CkRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), pos);
      const char *uuid = uuids->pdata[n - 1 - pos];
      g_autoptr(CkVerification) v = ck_verify_queue_lookup (f->queue, uuid, &error);
      g_autoptr(CkConsentRecord) r = ck_store_lookup (f->store, uuid, &error);
      g_autofree char *masked = NULL;
      CkVerifyState state;

      g_assert_no_error (error);
      g_assert_cmpstr (ck_record_item_get_uuid (item), ==, uuid);
      g_assert_cmpint (ck_record_item_get_seq (item), ==, r->seq);
      g_assert_cmpstr (ck_record_item_get_name (item), ==, r->name);
      g_assert_cmpstr (ck_record_item_get_sign_date (item), ==, r->sign_date);
      g_assert_cmpstr (ck_record_item_get_created_at (item), ==, r->created_at);
      g_assert_cmpstr (ck_record_item_get_masked_id (item), ==, ID_MASKED);
      g_assert_false (ck_record_item_get_demo (item));
      g_assert_cmpint (ck_record_item_get_state (item), ==, v->state);
      g_object_get (item, "masked-id", &masked, "state", &state, NULL);
      g_assert_cmpstr (masked, ==, ID_MASKED);
      g_assert_cmpint (state, ==, v->state);

      /* No property holds the whole number, forwards or reversed. */
      if (pos == 0)
        {
          guint n_specs;
          g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (item), &n_specs);

          g_assert_cmpuint (n_specs, ==, 8);
          for (guint p = 0; p < n_specs; p++)
            {
              g_auto(GValue) value = G_VALUE_INIT;
              g_autofree char *text = NULL;

              g_value_init (&value, specs[p]->value_type);
              g_object_get_property (G_OBJECT (item), specs[p]->name, &value);
              text = g_strdup_value_contents (&value);
              g_assert_null (strstr (text, ID_NUMBER));
              g_assert_null (strstr (text, ID_REVERSED));
            }
        }
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));

  /* A search, a state. */
  {
    CkStoreQuery query = { .search = "王五" };

    set_query (list, &query, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, (CK_RECORD_LIST_PAGE_SIZE + 10) / 2);
    g_string_truncate (changes, 0);
    query = (CkStoreQuery) { .state = "withdrawn" };
    set_query (list, &query, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    g_free (expected);
    expected = g_strdup_printf ("0-%u+2 ", (CK_RECORD_LIST_PAGE_SIZE + 10) / 2);
    g_assert_cmpstr (changes->str, ==, expected);
  }

  /* Refreshed after a withdrawal: that row only. */
  set_query (list, &all, NULL, &error);
  g_assert_no_error (error);
  for (guint pos = 0; pos < n; pos += 100)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), pos));
  g_string_truncate (changes, 0);
  g_assert_true (ck_store_withdraw (f->store, uuids->pdata[n - 1 - 5], "王经理", NULL, &error));
  g_assert_no_error (error);
  ck_record_list_refresh (list);
  g_assert_cmpstr (changes->str, ==, "5-1+1 ");
  {
    g_autoptr(CkRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), 5);

    g_assert_cmpint (ck_record_item_get_state (item), ==, CK_VERIFY_STATE_WITHDRAWN);
  }
  ck_record_list_refresh (list);
  g_assert_cmpstr (changes->str, ==, "5-1+1 ");

  /* A cancelled query leaves the list as it was; a bad one too. */
  g_string_truncate (changes, 0);
  g_cancellable_cancel (cancellable);
  extra = save_consent (f);
  set_query (list, &all, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  {
    CkStoreQuery query = { .state = "nonsense" };

    set_query (list, &query, NULL, &error);
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_assert_cmpstr (changes->str, ==, "");

  /* A later query supersedes an earlier one still running. */
  {
    g_autoptr(GAsyncResult) first = NULL;
    g_autoptr(GAsyncResult) second = NULL;
    CkStoreQuery query = { .state = "withdrawn" };

    ck_record_list_set_query_async (list, &all, NULL, on_result, &first);
    ck_record_list_set_query_async (list, &query, NULL, on_result, &second);
    while (first == NULL || second == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (ck_record_list_set_query_finish (list, second, &error));
    g_assert_no_error (error);
    g_assert_false (ck_record_list_set_query_finish (list, first, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  }
}

/* --- usage of the paid package ----------------------------------------------------- */

static void dump_table        (Fixture    *f,
                               const char *sql,
                               GString    *out);
static void assert_clean_text (const char *text);

static CkUsage *
usage_with (Fixture    *f,
            const char *package)
{
  g_autofree char *path = g_build_filename (f->dir, "package.conf", NULL);
  g_autofree char *none = g_build_filename (f->dir, "none.conf", NULL);
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  CkUsage *usage;

  g_file_set_contents (path, package, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);
  usage = ck_usage_compute (f->store, config, &error);
  g_assert_no_error (error);

  return usage;
}

/* Gives a new consent attempts ending with @outcomes (HTTP 200 each). */
static void
new_consent_with (Fixture            *f,
                  const char * const *outcomes)
{
  g_autofree char *uuid = save_consent (f);

  give_attempts (f, uuid, outcomes);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  const char * const answered[] = { "verified", NULL };
  const char * const twice[] = { "provider-fault", "not-matched", NULL };
  const char * const interrupted[] = { "interrupted", NULL };
  const char * const running[] = { "in-progress", NULL };
  g_autoptr(CkUsage) usage = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *gateway = save_consent (f);
  g_autofree char *demo = save_consent (f);

  /* Billed: 5 answers (one consent asked twice), 1 maybe. */
  new_consent_with (f, answered);
  new_consent_with (f, answered);
  new_consent_with (f, answered);
  new_consent_with (f, twice);
  new_consent_with (f, interrupted);
  new_consent_with (f, running);
  /* Not billed: a gateway's 403, no answer, the demo provider. */
  {
    g_autoptr(CkVerifyAttempt) a = ck_store_begin_attempt (f->store, gateway, "aliyun-idcert", f->now_ms,
                                                           60000, &error);

    g_assert_no_error (error);
    g_free (a->outcome);
    a->outcome = g_strdup ("config-fault");
    a->http_status = 403;
    g_assert_true (ck_store_finish_attempt (f->store, a, 0, &error));
    g_clear_pointer (&a, ck_verify_attempt_free);
    a = ck_store_begin_attempt (f->store, gateway, "aliyun-idcert", f->now_ms, 60000, &error);
    g_assert_no_error (error);
    g_free (a->outcome);
    a->outcome = g_strdup ("network-fault");
    g_assert_true (ck_store_finish_attempt (f->store, a, 0, &error));
    g_assert_no_error (error);
  }
  fixture_open (f, "demo", mock->good_port, NULL, 5);
  {
    g_autoptr(CkVerification) v = verify (f, demo, CK_VERIFY_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (v->demo);
  }

  calls = ck_usage_list_calls (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 6);
  for (guint i = 0; i < calls->len; i++)
    {
      const CkVerifyAttempt *a = calls->pdata[i];

      g_assert_cmpstr (ck_usage_billed_to_string (a), ==,
                       g_str_equal (a->outcome, "interrupted") ? "maybe" : "yes");
      g_assert_cmpstr (a->provider, ==, "aliyun-idcert");
    }

  /* No package: counts only. */
  usage = usage_with (f, "");
  g_assert_cmpuint (usage->billable, ==, 5);
  g_assert_cmpuint (usage->maybe_billed, ==, 1);
  g_assert_cmpuint (usage->package_size, ==, 0);
  g_assert_cmpint (usage->remaining, ==, -1);
  g_assert_false (usage->low);
  g_assert_null (usage->since);
  summary = ck_usage_dup_summary (usage);
  g_assert_cmpstr (summary, ==, "6 calls used; no package size is configured. "
                                "(1 of them was interrupted and may not have been counted.)");
  g_clear_pointer (&usage, ck_usage_free);

  /* 6 of 30 used: the maybe billed count against the package too. */
  usage = usage_with (f, "[verification]\npackage_size = 30\n");
  g_assert_cmpint (usage->remaining, ==, 24);
  g_assert_false (usage->low);
  g_clear_pointer (&usage, ck_usage_free);

  /* Exactly 20 % left is not yet low; a call more is. */
  for (guint i = 0; i < 2; i++)
    new_consent_with (f, answered);
  usage = usage_with (f, "[verification]\npackage_size = 10\n");
  g_assert_cmpint (usage->remaining, ==, 2);
  g_assert_false (usage->low);
  g_clear_pointer (&usage, ck_usage_free);
  usage = usage_with (f, "[verification]\npackage_size = 9\n");
  g_assert_cmpint (usage->remaining, ==, 1);
  g_assert_true (usage->low);
  g_clear_pointer (&usage, ck_usage_free);
  usage = usage_with (f, "[verification]\npackage_size = 5\n");
  g_assert_cmpint (usage->remaining, ==, -3);
  g_assert_true (usage->low);
  g_free (summary);
  summary = ck_usage_dup_summary (usage);
  g_assert_true (g_str_has_prefix (summary, "8 of 5 calls used; 0 left."));
  g_clear_pointer (&usage, ck_usage_free);

  /* Counted from package_start: the attempts are stamped 2026-11-28. */
  usage = usage_with (f, "[verification]\npackage_size = 10\npackage_start = 2026-11-29\n");
  g_assert_cmpuint (usage->billable + usage->maybe_billed, ==, 0);
  g_assert_cmpint (usage->remaining, ==, 10);
  g_assert_cmpstr (usage->since, ==, "2026-11-29");
  g_clear_pointer (&usage, ck_usage_free);
  usage = usage_with (f, "[verification]\npackage_size = 10\npackage_start = 2026-11-28\n");
  g_assert_cmpuint (usage->billable, ==, 7);
}


/* --- usage across purges ------------------------------------------------------------ */

/* One finished (or, for "in-progress", running) attempt a second after
 * the last, with a request id, and the customer's name where the
 * service's answer may hold it: the ledger of purged calls must not. */
static void
give_call (Fixture    *f,
           const char *uuid,
           const char *provider,
           const char *outcome,
           guint       http_status)
{
  g_autoptr(CkVerifyAttempt) a = NULL;
  g_autoptr(GError) error = NULL;
  static const char body[] = "{\"status\":\"01\",\"msg\":\"" NAME " " ID_MASKED "\"}";

  f->now_ms += 1000;
  a = ck_store_begin_attempt (f->store, uuid, provider, f->now_ms, 60000, &error);
  g_assert_no_error (error);
  if (g_str_equal (outcome, "in-progress"))
    return;
  g_free (a->outcome);
  a->outcome = g_strdup (outcome);
  a->http_status = http_status;
  a->duration_ms = 100;
  a->demo = g_str_equal (provider, "demo");
  a->request_id = g_strdup_printf ("REQ-%" G_GINT64_FORMAT, f->now_ms);
  a->provider_message = g_strdup (NAME " " ID_MASKED);
  a->body = g_bytes_new_static (body, strlen (body));
  g_assert_true (ck_store_finish_attempt (f->store, a, 0, &error));
  g_assert_no_error (error);
}

/* The calls as `consentctl usage` writes them, one line each. */
static GPtrArray *
call_lines (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = ck_usage_list_calls (f->store, NULL, &error);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < calls->len; i++)
    {
      const CkVerifyAttempt *a = calls->pdata[i];

      g_ptr_array_add (lines, g_strdup_printf ("%s|%s|%s|%u|%s|%s", a->started_at,
                                               ck_usage_consent_id_to_string (a), a->outcome,
                                               a->http_status, a->request_id,
                                               ck_usage_billed_to_string (a)));
    }

  return lines;
}

static void
assert_usage (Fixture *f,
              guint64  billable,
              guint64  maybe_billed)
{
  g_autoptr(CkUsage) usage = usage_with (f, "[verification]\npackage_size = 20\n");

  g_assert_cmpuint (usage->billable, ==, billable);
  g_assert_cmpuint (usage->maybe_billed, ==, maybe_billed);
  g_assert_cmpint (usage->remaining, ==, 20 - (gint64)billable - (gint64)maybe_billed);
}

static guint
purge_before (Fixture    *f,
              const char *before)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (ck_store_purge (f->store, before, "李主管", &n, &error));
  g_assert_no_error (error);

  return n;
}

/* Old consents with billed, maybe billed, gateway-refused and demo calls,
 * and a recent one with a billed call; returns the old ones' uuids. */
static GPtrArray *
calls_to_purge (Fixture *f)
{
  GPtrArray *old = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *kept = save_consent (f);
  char *billed = save_consent_as (f, NAME, ID_NUMBER, "2020-05-01");
  char *maybe = save_consent_as (f, "李四", "310101198512240018", "2020-05-02");
  char *gateway = save_consent_as (f, "王五", "440305197707071234", "2020-05-03");
  char *demo = save_consent_as (f, "赵六", "510104200002291234", "2020-05-04");

  g_ptr_array_add (old, billed);
  g_ptr_array_add (old, maybe);
  g_ptr_array_add (old, gateway);
  g_ptr_array_add (old, demo);

  give_call (f, billed, "aliyun-idcert", "not-matched", 200);
  give_call (f, kept, "aliyun-idcert", "undetermined", 200);
  give_call (f, billed, "aliyun-idcert", "verified", 200);
  give_call (f, maybe, "aliyun-idcert", "interrupted", 0);
  give_call (f, gateway, "aliyun-idcert", "config-fault", 403);
  give_call (f, gateway, "aliyun-idcert", "provider-fault", 503);
  give_call (f, demo, "demo", "verified", 200);
  give_call (f, kept, "aliyun-idcert", "verified", 200);

  return old;
}

static void
test_usage_purge (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) old = calls_to_purge (f);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GString) ledger = g_string_new (NULL);
  g_autofree char *running = NULL;

  /* 4 billed (2 of the old consents), 1 maybe billed. */
  assert_usage (f, 4, 1);
  before = call_lines (f);
  g_assert_cmpuint (before->len, ==, 5);

  g_assert_cmpuint (purge_before (f, "2021-01-01"), ==, 4);
  assert_check_clean (f);

  /* The ledger holds 3 calls and nothing about the people. */
  dump_table (f, "SELECT * FROM purged_calls", ledger);
  g_assert_cmpuint (ledger->len, >, 0);
  assert_clean_text (ledger->str);
  g_assert_null (strstr (ledger->str, NAME));
  g_assert_null (strstr (ledger->str, ID_MASKED));
  for (guint j = 0; j < old->len; j++)
    g_assert_null (strstr (ledger->str, old->pdata[j]));
  g_string_truncate (ledger, 0);
  dump_table (f, "SELECT count (*) FROM purged_calls", ledger);
  g_assert_cmpstr (ledger->str, ==, "3\t");

  /* The same numbers, the same rows: only the purged consents' ids give way. */
  assert_usage (f, 4, 1);
  after = call_lines (f);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autofree char *expected = g_strdup (before->pdata[i]);

      for (guint j = 0; j < old->len; j++)
        {
          g_auto(GStrv) parts = g_strsplit (expected, old->pdata[j], -1);

          g_free (expected);
          expected = g_strjoinv (CK_USAGE_PURGED_CONSENT, parts);
        }
      g_assert_cmpstr (after->pdata[i], ==, expected);
    }
  g_assert_nonnull (strstr (after->pdata[0], "|" CK_USAGE_PURGED_CONSENT "|not-matched|200|"));
  g_assert_null (strstr (after->pdata[1], CK_USAGE_PURGED_CONSENT));

  /* A consent purged while its call runs: that call can no longer be
   * recorded, so it counts as interrupted, maybe billed. */
  running = save_consent_as (f, NAME, ID_NUMBER, "2022-01-01");
  give_call (f, running, "aliyun-idcert", "in-progress", 0);
  assert_usage (f, 4, 1);
  g_assert_cmpuint (purge_before (f, "2023-01-01"), ==, 1);
  assert_usage (f, 4, 2);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = call_lines (f);
  g_assert_cmpuint (after->len, ==, 6);
  g_assert_nonnull (strstr (after->pdata[5], "|" CK_USAGE_PURGED_CONSENT "|interrupted|0|"));
  g_assert_true (g_str_has_suffix (after->pdata[5], "|maybe"));
  assert_check_clean (f);

  /* Counted from package_start like the rest: the calls are of 2026-11-28. */
  {
    g_autoptr(CkUsage) usage = usage_with (f, "[verification]\npackage_start = 2026-11-29\n");

    g_assert_cmpuint (usage->billable + usage->maybe_billed, ==, 0);
  }
}

/* An edited, added, deleted or moved row of the ledger fails check. */
static void
test_usage_ledger_edited (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *sql; const char *says; } edits[] = {
    { "UPDATE purged_calls SET billed = 'maybe' WHERE billed = 'yes'", "were edited, added or deleted" },
    { "UPDATE purged_calls SET request_id = 'REQ-0' WHERE id = (SELECT min (id) FROM purged_calls)",
      "were edited, added or deleted" },
    { "UPDATE purged_calls SET started_at = '2026-12-01T00:00:00.000Z'", "were edited, added or deleted" },
    { "DELETE FROM purged_calls WHERE id = (SELECT max (id) FROM purged_calls)",
      "were edited, added or deleted" },
    { "INSERT INTO purged_calls (purge_seq, started_ms, started_at, provider, outcome, http_status, "
      "request_id, billed, demo) SELECT purge_seq, started_ms + 1, started_at, provider, outcome, "
      "http_status, 'REQ-X', billed, demo FROM purged_calls LIMIT 1", "were edited, added or deleted" },
    { "INSERT INTO purged_calls (purge_seq, started_ms, started_at, provider, outcome, http_status, "
      "request_id, billed, demo) VALUES (1, 1, '2026-11-28T00:00:00.000Z', 'aliyun-idcert', "
      "'verified', 200, 'REQ-Y', 'yes', 0)", "added outside a purge" },
  };
  g_ptr_array_unref (calls_to_purge (f));
  purge_before (f, "2021-01-01");
  assert_check_clean (f);
  db_exec (f, "CREATE TABLE saved AS SELECT * FROM purged_calls");

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      gboolean found = FALSE;

      db_exec (f, edits[i].sql);
      problems = ck_store_check (f->store, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < problems->len; j++)
        found |= strstr (problems->pdata[j], edits[i].says) != NULL;
      if (!found)
        g_error ("check missed: %s", edits[i].sql);

      db_exec (f, "DELETE FROM purged_calls; INSERT INTO purged_calls SELECT * FROM saved");
      assert_check_clean (f);
    }
}

/* A schema 4 store with attempts gains an empty ledger and loses nothing;
 * its next purge keeps the calls. */
static void
test_usage_migration (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const tables[] = { "consents", "events", "chain", "attempts",
                                         "verify_queue", "consent_status" };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autoptr(GString) ledger = g_string_new (NULL);

  g_ptr_array_unref (calls_to_purge (f));
  lines = call_lines (f);

  /* What schema 4 was: this build's tables without the ledger (and the
   * files journal of schema 6). */
  db_exec (f, "BEGIN; DROP TABLE pending_files; DROP TABLE purged_calls; PRAGMA user_version = 4; COMMIT;");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[i]);

      dump_table (f, sql, before);
    }

  g_clear_object (&f->queue);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  fixture_open (f, "aliyun-idcert", mock->good_port, NULL, 5);
  g_assert_cmpint (ck_store_get_schema_version (f->store), ==, CK_STORE_SCHEMA_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[i]);

      dump_table (f, sql, after);
    }
  g_assert_cmpstr (after->str, ==, before->str);
  dump_table (f, "SELECT * FROM purged_calls", ledger);
  g_assert_cmpstr (ledger->str, ==, "");
  assert_check_clean (f);
  assert_usage (f, 4, 1);

  purge_before (f, "2021-01-01");
  assert_usage (f, 4, 1);
  {
    g_autoptr(GPtrArray) now = call_lines (f);

    g_assert_cmpuint (now->len, ==, lines->len);
  }
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
  ADD ("/verify-queue/withdraw", test_withdraw);
  ADD ("/verify-queue/withdraw-while-running", test_withdraw_while_running);
  ADD ("/verify-queue/reveal", test_reveal);
  ADD ("/verify-queue/state-filter", test_state_filter);
  ADD ("/verify-queue/combined-filter", test_combined_filter);
  ADD ("/verify-queue/record-list", test_record_list);
  ADD ("/verify-queue/usage", test_usage);
  ADD ("/verify-queue/usage/purge", test_usage_purge);
  ADD ("/verify-queue/usage/ledger-edited", test_usage_ledger_edited);
  ADD ("/verify-queue/usage/migration", test_usage_migration);
  ADD ("/verify-queue/secrets/scan", test_scan);

  status = g_test_run ();

  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_string_free (produced, TRUE);

  return status;
}
