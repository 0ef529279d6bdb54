/* test-record-list.c: consents by verification state: the filter, lists and the records model
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Consents in every state (each stored outcome, attempts used up, an outcome of
 * a later version, withdrawn): the state filter in SQL, the status the
 * migration computes, the status lists read in the same query, and the
 * records window's model (CkRecordList) all agree with the state the queue
 * derives from the attempts. */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "verify-fixture.h"

/* --- states, filters and the records list --------------------------------------- */

static const char * const state_names[] = {
  "unverified", "in-progress", "verified", "not-matched", "undetermined",
  "rejected", "retrying", "failed", "withdrawn",
};

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
                  "ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; DROP TABLE sync_receipts; DROP TABLE sync_state;"
                  "DROP TABLE seal_jobs;"
                  "DROP INDEX events_kind;"
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

/* What lists read of each consent's status in the same query as the
 * consent (ck_store_foreach) gives what the queue derives from its
 * attempts: state, last outcome, demo and the next attempt's time. */
static gboolean
collect_listed (const CkConsentRecord  *record,
                const CkConsentStatus  *status,
                gpointer                user_data,
                GError                **error)
{
  g_ptr_array_add (user_data, ck_verification_new_for_status (record->uuid, status, 2));
  return TRUE;
}

static void
test_listed_status (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = every_state (f);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verification_free);
  g_autoptr(GError) error = NULL;
  CkStoreQuery all = { 0 };

  all.max_attempts = 2;
  g_assert_true (ck_store_foreach (f->store, &all, collect_listed, listed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, uuids->len);

  for (guint i = 0; i < listed->len; i++)
    {
      const CkVerification *fast = listed->pdata[i];
      g_autoptr(CkVerification) full = ck_verify_queue_lookup (f->queue, fast->consent_uuid, &error);

      g_assert_no_error (error);
      g_test_message ("%s: %s", fast->consent_uuid, ck_verify_state_to_string (full->state));
      g_assert_cmpint (fast->state, ==, full->state);
      g_assert_cmpstr (fast->outcome, ==, full->outcome);
      g_assert_cmpint (fast->demo, ==, full->demo);
      g_assert_cmpint (fast->next_attempt_ms, ==, full->next_attempt_ms);
    }

  /* Newest first, and the limit holds. */
  all.limit = 3;
  g_ptr_array_set_size (listed, 0);
  g_assert_true (ck_store_foreach (f->store, &all, collect_listed, listed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (((CkVerification *)listed->pdata[0])->consent_uuid, ==, uuids->pdata[uuids->len - 1]);
  g_assert_cmpint (ck_store_count_matches (f->store, &all, NULL, &error), ==, uuids->len);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  verify_fixture_init (&argc, &argv);

  VERIFY_ADD ("/record-list/state-filter", test_state_filter);
  VERIFY_ADD ("/record-list/combined-filter", test_combined_filter);
  VERIFY_ADD ("/record-list/model", test_record_list);
  VERIFY_ADD ("/record-list/listed-status", test_listed_status);

  status = g_test_run ();
  verify_fixture_finish ();

  return status;
}
