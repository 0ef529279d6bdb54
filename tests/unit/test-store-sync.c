/* test-store-sync.c: the store's side of the central archive (issue 16)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Schema 9 without a server: the links as the sync reads them (a purged
 * consent as a cut link), the archive's receipts and what check says when
 * one is edited, deleted or no longer matches the chain, the sync's state
 * for staff, and the purge guard. test-central runs the rest against a
 * real PostgreSQL. */

#include "config.h"

#include <string.h>

#include "ck.h"
#include "ck-test-chain.h"
#include "ck-test-util.h"

typedef struct
{
  char *dir;
  char *data;
  CkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-store-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  ck_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->data, g_free);
}

static char *
save (Fixture    *f,
      const char *name,
      const char *sign_date)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (40);
  g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
  g_autofree char *text = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup_printf ("%sT02:00:00.000000Z", sign_date);
  r->name = g_strdup (name);
  r->id_number = g_strdup ("11010519491231002X");
  r->sign_date = g_strdup (sign_date);
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042-kiosk-1");
  text = g_strdup_printf ("%%PDF-1.7\n%% %s\n%%%%EOF\n", r->uuid);
  pdf = g_bytes_new (text, strlen (text));
  g_assert_true (ck_store_save (f->store, r, pdf, &error));
  g_assert_no_error (error);
  return g_strdup (r->uuid);
}

static GPtrArray *
check (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = ck_store_check (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  return problems;
}

static void
assert_reported (GPtrArray  *problems,
                 const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], text))
      return;
  g_error ("no problem says “%s”", text);
}

static void
receipt (Fixture *f,
         gint64   seq)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  g_assert_true (ck_store_get_link_hash (f->store, seq, &hash, &error));
  g_assert_true (ck_store_add_sync_receipt (f->store, seq, hash, &error));
  g_assert_no_error (error);
}

static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *a G_GNUC_UNUSED = save (f, "张三", "2026-11-01");
  g_autofree char *b = save (f, "李四", "2026-12-01");
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  const CkStoreLink *link;
  guint purged = 0;

  g_assert_true (ck_store_withdraw (f->store, b, "王经理", NULL, &error));
  g_assert_true (ck_store_purge (f->store, "2026-11-30", "王经理", &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 1);

  links = ck_store_read_links (f->store, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 4);
  link = links->pdata[0];
  g_assert_cmpint (link->kind, ==, CK_STORE_LINK_CUT);
  g_assert_null (link->pdf);
  link = links->pdata[1];
  g_assert_cmpint (link->kind, ==, CK_STORE_LINK_CONSENT);
  g_assert_cmpstr (link->consent->uuid, ==, b);
  g_assert_cmpstr (link->prev_hash, ==, ((CkStoreLink *)links->pdata[0])->hash);
  g_assert_nonnull (link->pdf);
  g_assert_cmpstr (link->pdf_sha256, ==, link->consent->pdf_sha256);
  link = links->pdata[3];
  g_assert_cmpstr (link->event->kind, ==, "purge");
  g_assert_nonnull (link->purged_calls);
  g_clear_pointer (&links, g_ptr_array_unref);

  /* From a point on, and no further than asked. */
  links = ck_store_read_links (f->store, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpint (((CkStoreLink *)links->pdata[0])->seq, ==, 3);
  g_clear_pointer (&links, g_ptr_array_unref);
  links = ck_store_read_links (f->store, 4, 100, &error);
  g_assert_cmpuint (links->len, ==, 0);
}

static void
test_receipts_checked (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *a G_GNUC_UNUSED = save (f, "张三", "2026-12-01");
  g_autofree char *b G_GNUC_UNUSED = save (f, "李四", "2026-12-01");
  g_autofree char *c G_GNUC_UNUSED = save (f, "王五", "2026-12-01");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CkSyncStatus) status = { 0 };

  receipt (f, 1);
  receipt (f, 3);
  problems = check (f);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_cmpint (status.receipt_seq, ==, 3);
  g_assert_cmpint (status.pending, ==, 0);
  g_assert_nonnull (status.last_ok_at);
  g_assert_null (status.last_error);

  /* A receipt for a hash the chain does not have is refused. */
  g_assert_false (ck_store_add_sync_receipt (f->store, 2, "0000000000000000000000000000000000000000000000000000000000000001", &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);
  g_clear_error (&error);

  /* Edited, then deleted from the middle. */
  ck_test_db_exec (f->data, "UPDATE sync_receipts SET seq = 2 WHERE n = 2");
  problems = check (f);
  assert_reported (problems, "Receipt 2 of the central archive was edited");
  g_clear_pointer (&problems, g_ptr_array_unref);
  ck_test_db_exec (f->data, "UPDATE sync_receipts SET seq = 3 WHERE n = 2; DELETE FROM sync_receipts WHERE n = 1");
  problems = check (f);
  assert_reported (problems, "receipts are broken at receipt 2");
  g_clear_pointer (&problems, g_ptr_array_unref);
}

/* The rechain attack, after the chain was sent: the receipts catch it. */
static void
test_rechain_caught (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a G_GNUC_UNUSED = save (f, "张三", "2026-12-01");
  g_autofree char *b G_GNUC_UNUSED = save (f, "李四", "2026-12-01");
  g_autoptr(GPtrArray) problems = NULL;

  receipt (f, 2);
  g_clear_object (&f->store);
  ck_test_db_exec (f->data, "UPDATE consents SET name = '张冒名' WHERE seq = 1");
  ck_test_rechain_from (f->data, 1);
  {
    g_autoptr(GError) error = NULL;

    f->store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
    g_assert_no_error (error);
  }
  problems = check (f);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_reported (problems, "The chain was rewritten after it reached the central archive: link 2 no longer "
                             "has the hash the archive acknowledged");
}

static void
test_state (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *a G_GNUC_UNUSED = save (f, "张三", "2026-12-01");
  g_autoptr(GError) error = NULL;
  g_auto(CkSyncStatus) status = { 0 };

  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status.pending, ==, 1);
  g_assert_null (status.last_try_at);
  g_assert_false (status.has_org_usage);
  g_assert_cmpint (status.conflict_seq, ==, -1);
  ck_sync_status_clear (&status);

  g_assert_true (ck_store_note_sync_failure (f->store, "the server is down", -1, &error));
  g_assert_true (ck_store_note_sync_failure (f->store, "still down", -1, &error));
  g_assert_true (ck_store_note_org_usage (f->store, 78, 2, 3, &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_cmpstr (status.last_error, ==, "still down");
  g_assert_nonnull (status.failing_since);
  g_assert_true (status.has_org_usage);
  g_assert_cmpuint (status.org_billed, ==, 78);
  g_assert_cmpuint (status.org_maybe_billed, ==, 2);
  g_assert_cmpuint (status.org_kiosks, ==, 3);
  ck_sync_status_clear (&status);

  /* A conflict stays through later failures of another kind. */
  g_assert_true (ck_store_note_sync_failure (f->store, "link 1 differs", 1, &error));
  g_assert_true (ck_store_note_sync_failure (f->store, "cannot be reached", -1, &error));
  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_cmpint (status.conflict_seq, ==, 1);
  g_assert_cmpstr (status.last_error, ==, "cannot be reached");
  ck_sync_status_clear (&status);

  /* A success clears the failure. */
  receipt (f, 1);
  g_assert_true (ck_store_get_sync_status (f->store, NULL, &status, &error));
  g_assert_null (status.last_error);
  g_assert_null (status.failing_since);
  g_assert_cmpint (status.conflict_seq, ==, -1);
  g_assert_cmpint (status.pending, ==, 0);
  g_assert_true (status.has_org_usage);
}

static void
test_purge_guard (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *a = save (f, "张三", "2026-11-01");
  g_autofree char *b G_GNUC_UNUSED = save (f, "李四", "2026-11-02");
  g_autoptr(GError) error = NULL;
  guint purged = 0;

  ck_store_set_require_synced (f->store, TRUE);
  receipt (f, 1);
  g_assert_false (ck_store_purge (f->store, "2026-11-30", "王经理", &purged, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_UNSYNCED);
  g_clear_error (&error);
  g_assert_cmpint (ck_store_count (f->store, NULL), ==, 2);

  /* An event about a sent consent, not sent yet, holds it back too. */
  receipt (f, 2);
  g_assert_true (ck_store_withdraw (f->store, a, "王经理", NULL, &error));
  g_assert_false (ck_store_purge (f->store, "2026-11-30", "王经理", &purged, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_UNSYNCED);
  g_clear_error (&error);

  receipt (f, 3);
  g_assert_true (ck_store_purge (f->store, "2026-11-30", "王经理", &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add ("/store-sync/links", Fixture, NULL, fixture_set_up, test_links, fixture_tear_down);
  g_test_add ("/store-sync/receipts-checked", Fixture, NULL, fixture_set_up, test_receipts_checked,
              fixture_tear_down);
  g_test_add ("/store-sync/rechain-caught", Fixture, NULL, fixture_set_up, test_rechain_caught,
              fixture_tear_down);
  g_test_add ("/store-sync/state", Fixture, NULL, fixture_set_up, test_state, fixture_tear_down);
  g_test_add ("/store-sync/purge-guard", Fixture, NULL, fixture_set_up, test_purge_guard, fixture_tear_down);

  return g_test_run ();
}
