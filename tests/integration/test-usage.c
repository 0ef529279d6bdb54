/* test-usage.c: how much of the paid verification package is used
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Billed and maybe billed calls as ck_usage counts and lists them, across
 * purges (the ledger of purged calls keeps them, sealed in the chain), an
 * edited ledger, and the migration that added it. */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "verify-fixture.h"

/* --- usage of the paid package ----------------------------------------------------- */

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
                                "(1 of them was interrupted and may not have been counted.) "
                                "This kiosk only.");
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


/* --- the organisation's usage, as the central archive counted it ---------------------- */

#define CENTRAL "[central]\nurl = postgresql://k@/consents?host=/nonexistent\n"

static void
test_usage_organisation (Fixture       *f,
                         gconstpointer  data)
{
  const char * const answered[] = { "verified", NULL };
  const char * const interrupted[] = { "interrupted", NULL };
  g_autoptr(CkUsage) usage = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) counted = NULL;
  g_autofree char *summary = NULL;
  g_auto(CkSyncStatus) status = { 0 };
  g_autofree char *head_hash = NULL;

  /* This kiosk: 5 billed calls, none acknowledged by the archive. */
  for (guint i = 0; i < 5; i++)
    new_consent_with (f, answered);

  /* No archive: this kiosk's count, and it says so. */
  usage = usage_with (f, "[verification]\npackage_size = 100\n");
  g_assert_false (usage->central);
  g_assert_false (usage->organisation);
  g_assert_cmpuint (usage->billable, ==, 5);
  g_assert_cmpint (usage->remaining, ==, 95);
  summary = ck_usage_dup_summary (usage);
  g_assert_true (g_str_has_suffix (summary, " This kiosk only."));
  g_clear_pointer (&summary, g_free);
  g_clear_pointer (&usage, ck_usage_free);

  /* An archive configured that has not counted yet: still this kiosk's. */
  usage = usage_with (f, "[verification]\npackage_size = 100\n" CENTRAL);
  g_assert_true (usage->central);
  g_assert_false (usage->organisation);
  g_assert_cmpuint (usage->billable, ==, 5);
  g_assert_false (usage->low);
  summary = ck_usage_dup_summary (usage);
  g_assert_true (g_str_has_suffix (summary, " This kiosk only: the central archive has not counted the "
                                            "organisation's calls yet."));
  g_clear_pointer (&summary, g_free);
  g_clear_pointer (&usage, ck_usage_free);

  /* The archive counted 78 billed and 2 maybe billed calls of 3 kiosks. */
  g_assert_true (ck_store_note_org_usage (f->store, 78, 2, 3, &error));
  g_assert_no_error (error);

  /* Without [central] that count is stale: ignored. */
  usage = usage_with (f, "[verification]\npackage_size = 100\n");
  g_assert_false (usage->organisation);
  g_assert_cmpuint (usage->billable, ==, 5);
  g_assert_cmpuint (usage->maybe_billed, ==, 0);
  g_clear_pointer (&usage, ck_usage_free);

  /* With it: the organisation's count plus this kiosk's 5 not sent yet:
   * 100 - 83 - 2 = 15 left, under a fifth. Locally 95 are left. */
  usage = usage_with (f, "[verification]\npackage_size = 100\n" CENTRAL);
  g_assert_true (usage->organisation);
  g_assert_cmpuint (usage->kiosks, ==, 3);
  g_assert_cmpuint (usage->billable, ==, 83);
  g_assert_cmpuint (usage->maybe_billed, ==, 2);
  g_assert_cmpint (usage->remaining, ==, 15);
  g_assert_true (usage->low);
  g_assert_nonnull (usage->counted_at);
  summary = ck_usage_dup_summary (usage);
  g_assert_true (g_str_has_prefix (summary, "85 of 100 calls used; 15 left. "));
  g_assert_nonnull (strstr (summary, " Organisation-wide: 3 kiosks, counted "));

  /* How old the count is. */
  counted = g_date_time_new_from_iso8601 (usage->counted_at, NULL);
  g_assert_nonnull (counted);
  {
    static const struct { GTimeSpan after; const char *says; } ages[] = {
      { 0, "Organisation-wide: 3 kiosks, counted just now." },
      { 59 * G_TIME_SPAN_SECOND, "Organisation-wide: 3 kiosks, counted just now." },
      { 60 * G_TIME_SPAN_SECOND, "Organisation-wide: 3 kiosks, counted 1 minute ago." },
      { 12 * G_TIME_SPAN_MINUTE + 30 * G_TIME_SPAN_SECOND,
        "Organisation-wide: 3 kiosks, counted 12 minutes ago." },
      { 119 * G_TIME_SPAN_MINUTE, "Organisation-wide: 3 kiosks, counted 119 minutes ago." },
      { 2 * G_TIME_SPAN_HOUR, "Organisation-wide: 3 kiosks, counted 2 hours ago." },
      { 47 * G_TIME_SPAN_HOUR, "Organisation-wide: 3 kiosks, counted 47 hours ago." },
    };

    for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
      {
        g_autoptr(GDateTime) now = g_date_time_add (counted, ages[i].after);
        g_autofree char *scope = ck_usage_dup_scope (usage, now);

        g_assert_cmpstr (scope, ==, ages[i].says);
      }
  }
  {
    g_autoptr(GDateTime) now = g_date_time_add_days (counted, 3);
    g_autoptr(GDateTime) local = g_date_time_to_local (counted);
    g_autofree char *day = g_date_time_format (local, "%Y-%m-%d %H:%M");
    g_autofree char *expected = g_strdup_printf ("Organisation-wide: 3 kiosks, counted on %s.", day);
    g_autofree char *scope = ck_usage_dup_scope (usage, now);

    g_assert_cmpstr (scope, ==, expected);
  }
  g_clear_pointer (&usage, ck_usage_free);

  /* A bigger package: 107 - 85 = 22 left, over a fifth: not low. */
  usage = usage_with (f, "[verification]\npackage_size = 107\n" CENTRAL);
  g_assert_cmpint (usage->remaining, ==, 22);
  g_assert_false (usage->low);
  g_clear_pointer (&usage, ck_usage_free);

  /* The archive acknowledges the chain: this kiosk's calls are in its
   * count (no longer added); one more call, interrupted, is not yet. */
  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_get_link_hash (f->store, status.head_seq, &head_hash, &error));
  g_assert_true (ck_store_add_sync_receipt (f->store, status.head_seq, head_hash, &error));
  g_assert_no_error (error);
  usage = usage_with (f, "[verification]\npackage_size = 100\n" CENTRAL);
  g_assert_cmpuint (usage->billable, ==, 78);
  g_assert_cmpuint (usage->maybe_billed, ==, 2);
  g_assert_false (usage->low);
  g_clear_pointer (&usage, ck_usage_free);
  new_consent_with (f, interrupted);
  usage = usage_with (f, "[verification]\npackage_size = 100\n" CENTRAL);
  g_assert_cmpuint (usage->billable, ==, 78);
  g_assert_cmpuint (usage->maybe_billed, ==, 3);
  g_clear_pointer (&usage, ck_usage_free);

  /* Counted from package_start, the calls not sent too: this kiosk's are
   * of 2026-11-28. */
  usage = usage_with (f, "[verification]\npackage_size = 100\npackage_start = 2026-11-29\n" CENTRAL);
  g_assert_true (usage->organisation);
  g_assert_cmpuint (usage->billable, ==, 78);
  g_assert_cmpuint (usage->maybe_billed, ==, 2);
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
  g_autofree char *attach = NULL;
  g_autofree char *sql = NULL;
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
  /* A copy to put back after each edit, in a database of the test's own:
   * check reports a table of unknown purpose in the store's. */
  attach = g_strdup_printf ("ATTACH '%s/saved.db' AS keep;", f->dir);
  sql = g_strconcat (attach, "CREATE TABLE keep.saved AS SELECT * FROM purged_calls", NULL);
  db_exec (f, sql);
  g_free (sql);
  sql = g_strconcat (attach, "DELETE FROM purged_calls; INSERT INTO purged_calls SELECT * FROM keep.saved",
                     NULL);

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

      db_exec (f, sql);
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
  db_exec (f, "BEGIN; ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; DROP TABLE sync_receipts; DROP TABLE sync_state; DROP TABLE seal_jobs; DROP INDEX events_kind; DROP TABLE pending_files; DROP TABLE purged_calls; PRAGMA user_version = 4; COMMIT;");
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

int
main (int   argc,
      char *argv[])
{
  int status;

  verify_fixture_init (&argc, &argv);

  VERIFY_ADD ("/usage/counts", test_usage);
  VERIFY_ADD ("/usage/organisation", test_usage_organisation);
  VERIFY_ADD ("/usage/purge", test_usage_purge);
  VERIFY_ADD ("/usage/ledger-edited", test_usage_ledger_edited);
  VERIFY_ADD ("/usage/migration", test_usage_migration);

  status = g_test_run ();
  verify_fixture_finish ();

  return status;
}
