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
 * the AppCode, the request URL or the full ID number. The states as lists
 * filter them are test-record-list's; the paid package, test-usage's. */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "verify-fixture.h"

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

typedef struct
{
  GCancellable *cancellable;
  guint requests;
} CancelOnceSent;

static gboolean
cancel_once_sent (gpointer data)
{
  CancelOnceSent *cancel = data;

  if (ck_test_mock_count_requests (mock) == cancel->requests)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (cancel->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) queue = NULL;
  CancelOnceSent cancel = { 0 };
  const CkQueueEntry *entry;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CkVerification) v = NULL;
  g_autoptr(GError) error = NULL;

  fixture_open (f, "aliyun-idcert", mock->good_port, "hang", 5);
  uuid = save_consent (f);
  /* The asynchronous call, on this thread's main context, where what
   * cancels it runs too: once the mock has the request, never after a
   * guessed delay. */
  cancel.cancellable = cancellable;
  cancel.requests = ck_test_mock_count_requests (mock);
  g_timeout_add (10, cancel_once_sent, &cancel);
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

  /* The queue says the same: it holds the consent after one attempt, due
   * 30 s after it started (an interrupted attempt is a retryable one). */
  queue = ck_store_list_queue (f->store, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  entry = queue->pdata[0];
  g_assert_cmpstr (entry->consent_uuid, ==, uuid);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->due_ms, ==, f->now_ms + 30 * 1000);
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

/* --- nothing leaks ---------------------------------------------------------------- */

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
  int status;

  verify_fixture_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verify-queue/mode/%s", cases[i].mode);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_mode, fixture_tear_down);
    }
  VERIFY_ADD ("/verify-queue/refused", test_refused);
  VERIFY_ADD ("/verify-queue/already-answered", test_already_answered);
  VERIFY_ADD ("/verify-queue/schedule", test_schedule);
  VERIFY_ADD ("/verify-queue/not-retried", test_not_retried);
  VERIFY_ADD ("/verify-queue/run-refusal", test_run_refusal);
  VERIFY_ADD ("/verify-queue/busy-and-interrupted", test_busy_and_interrupted);
  VERIFY_ADD ("/verify-queue/stale-claim", test_stale_claim);
  VERIFY_ADD ("/verify-queue/cancelled", test_cancelled);
  VERIFY_ADD ("/verify-queue/edited-attempt", test_edited_attempt);
  VERIFY_ADD ("/verify-queue/purge", test_purge);
  VERIFY_ADD ("/verify-queue/flow-demo", test_flow_demo);
  VERIFY_ADD ("/verify-queue/withdraw", test_withdraw);
  VERIFY_ADD ("/verify-queue/withdraw-while-running", test_withdraw_while_running);
  VERIFY_ADD ("/verify-queue/reveal", test_reveal);
  VERIFY_ADD ("/verify-queue/secrets/scan", test_scan);

  status = g_test_run ();
  verify_fixture_finish ();

  return status;
}
