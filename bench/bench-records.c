/* bench-records.c: the records browser's model at a million consents
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fills a store with --records consents (default 1,000,000), then times
 * what the staff window does with CkRecordList:
 *
 * 1. ck_record_list_set_query_async () until its callback, --rounds times
 *    each: every consent; a surname (a name prefix); the last 6 characters
 *    of an ID number; a state alone (withdrawn: rare; verified: most);
 *    a month of sign dates; a surname with a state.
 * 2. g_list_model_get_item () at random positions of the whole list (a
 *    page of CK_RECORD_LIST_PAGE_SIZE rows read almost every time) and
 *    scrolling: every position in order from a random start.
 *
 * The fill is the benchmark's own: one SQLite transaction of plain INSERTs
 * into a store ck_store_open () created (schema, indexes), in a temporary
 * directory under --dir (default /dev/shm). It skips the PDFs, the hash
 * chain and the attempts — the list reads none of them — and it is no
 * path of the store's: saving a consent stays ck_store_save ()'s durable
 * protocol. Each consent gets a status as a mix of verification states
 * would give (consent_status), with the real signature's size.
 *
 *   bench-records [--records N] [--rounds R] [--items N] [--dir DIR]
 */

#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-test-util.h"

/* last_outcome, last_number, withdrawn, out of 100 consents */
static const struct {
  const char *outcome;
  int number;
  int withdrawn;
  int share;
} statuses[] = {
  { "verified",       1, 0, 62 },
  { NULL,             0, 0, 10 },   /* unverified */
  { "not-matched",    1, 0, 5 },
  { "undetermined",   1, 0, 4 },
  { "input-rejected", 1, 0, 3 },
  { "provider-fault", 1, 0, 5 },    /* retrying */
  { "config-fault",   1, 0, 4 },    /* failed */
  { "in-progress",    1, 0, 1 },
  { "verified",       1, 1, 6 },    /* withdrawn */
};

static void
check_sqlite (sqlite3 *db,
              int      rc,
              int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

/* Sign dates run from 2024-01-01 to 2026-11-28 with the seq. */
static char *
sign_date_of (guint i,
              guint n)
{
  g_autoptr(GDateTime) first = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (first, (gint)((guint64)i * 1062 / MAX (n, 1)));

  return g_date_time_format (day, "%Y-%m-%d");
}

static void
fill (const char *data_dir,
      guint       n,
      GBytes     *signature,
      GRand      *rand,
      GPtrArray  *surnames,
      GPtrArray  *tails)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *consent = NULL, *status = NULL;
  char prev[65] = { 0 };

  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO consents (seq, uuid, created_at, name, id_number, sign_date, org_name, org_business, "
    "org_purpose, template_sha256, pdf_path, pdf_sha256, pdf_size, signature, kiosk_id, operator, demo, "
    "prev_hash, row_hash, id_reversed) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, '示例银行股份有限公司', '个人贷款', '身份核验和风险管理', ?7, ?8, ?7, "
    "50000, ?9, 'bench-kiosk', '柜员甲', 0, ?10, ?11, ?12)", -1, &consent, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO consent_status (seq, uuid, last_outcome, last_number, withdrawn) VALUES (?, ?, ?, ?, ?)",
    -1, &status, NULL), SQLITE_OK);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = bench_random_name (rand);
      g_autofree char *id = bench_random_id (rand);
      g_autofree char *reversed = g_utf8_strreverse (id, -1);
      g_autofree char *date = sign_date_of (i, n);
      g_autofree char *created = g_strdup_printf ("%sT09:%02u:%02u.000000Z", date, i % 60, (i / 60) % 60);
      g_autofree char *pdf_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf", date, date + 5, uuid);
      g_autofree char *seq_text = g_strdup_printf ("%u", i + 1);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seq_text, -1);
      int pick = g_rand_int_range (rand, 0, 100), s = 0;

      while (pick >= statuses[s].share)
        pick -= statuses[s++].share;

      sqlite3_reset (consent);
      sqlite3_bind_int64 (consent, 1, i + 1);
      sqlite3_bind_text (consent, 2, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 3, created, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 4, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 5, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 6, date, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 7, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 8, pdf_path, -1, SQLITE_STATIC);
      sqlite3_bind_blob (consent, 9, g_bytes_get_data (signature, NULL), (int)g_bytes_get_size (signature),
                         SQLITE_STATIC);
      sqlite3_bind_text (consent, 10, i ? prev : "0", -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 11, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 12, reversed, -1, SQLITE_STATIC);
      check_sqlite (db, sqlite3_step (consent), SQLITE_DONE);

      sqlite3_reset (status);
      sqlite3_bind_int64 (status, 1, i + 1);
      sqlite3_bind_text (status, 2, uuid, -1, SQLITE_STATIC);
      if (statuses[s].outcome)
        sqlite3_bind_text (status, 3, statuses[s].outcome, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (status, 3);
      sqlite3_bind_int (status, 4, statuses[s].number);
      sqlite3_bind_int (status, 5, statuses[s].withdrawn);
      check_sqlite (db, sqlite3_step (status), SQLITE_DONE);

      g_strlcpy (prev, hash, sizeof prev);
      if (i % MAX (1, n / 50) == 0)
        {
          g_ptr_array_add (surnames, g_utf8_substring (name, 0, 1));
          g_ptr_array_add (tails, g_strdup (id + 12));
        }
    }

  check_sqlite (db, sqlite3_exec (db, "UPDATE chain SET seq = (SELECT max (seq) FROM consents) WHERE id = 1;"
                                      "COMMIT;", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_finalize (consent);
  sqlite3_finalize (status);
  sqlite3_close (db);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Runs @query on @list; returns the milliseconds to its callback. */
static double
time_query (CkRecordList       *list,
            const CkStoreQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  ck_record_list_set_query_async (list, query, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!ck_record_list_set_query_finish (list, result, &error))
    g_error ("query: %s", error->message);

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  g_autoptr(GPtrArray) surnames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkRecordList) list = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  int records = 1000000, rounds = 11, items = 2000;
  gint64 start;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Consents in the store", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs of each query", "R" },
    { "items", 0, 0, G_OPTION_ARG_INT, &items, "Items to get, at random and scrolling", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the store goes", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark the records browser's model");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || records < 1 || rounds < 1 || items < 1)
    {
      g_printerr ("bench-records: %s\n", error ? error->message : "--records, --rounds and --items must be positive");
      return 2;
    }

  ck_init ();
  signature = ck_sample_signature_new (400);
  signature_bytes = ck_signature_serialize (signature);

  data_dir = g_build_filename (dir ? dir : g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                               "ck-bench-records-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (data_dir));
  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  start = g_get_monotonic_time ();
  fill (data_dir, (guint)records, signature_bytes, rand, surnames, tails);
  g_print ("%-28s %8d records in %.1f s (one transaction; not the store's save path)\n", "fill",
           records, (g_get_monotonic_time () - start) / 1e6);

  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  list = ck_record_list_new (store, 5);

  /* 1. Queries. */
  {
    static const char *labels[] = {
      "query.all", "query.surname", "query.id-tail", "query.state-withdrawn",
      "query.state-verified", "query.month", "query.surname+state",
    };
    g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
    guint found[G_N_ELEMENTS (labels)] = { 0 };

    for (guint q = 0; q < G_N_ELEMENTS (labels); q++)
      g_ptr_array_add (times, g_array_new (FALSE, FALSE, sizeof (double)));

    for (int round = 0; round < rounds; round++)
      {
        const char *surname = surnames->pdata[round % surnames->len];
        const char *tail = tails->pdata[round % tails->len];
        CkStoreQuery queries[G_N_ELEMENTS (labels)] = {
          { 0 },
          { .search = surname },
          { .search = tail },
          { .state = "withdrawn" },
          { .state = "verified" },
          { .since = "2025-03-01", .until = "2025-03-31" },
          { .search = surname, .state = "failed" },
        };

        for (guint q = 0; q < G_N_ELEMENTS (labels); q++)
          {
            double ms = time_query (list, &queries[q]);

            g_array_append_val (times->pdata[q], ms);
            found[q] = g_list_model_get_n_items (G_LIST_MODEL (list));
          }
      }

    for (guint q = 0; q < G_N_ELEMENTS (labels); q++)
      {
        bench_report (labels[q], times->pdata[q], 95);
        g_print ("%-28s %8u consents found (the last round)\n", "", found[q]);
      }
  }

  /* 2. Items. */
  {
    g_autoptr(GArray) random_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) scroll_ms = g_array_new (FALSE, FALSE, sizeof (double));
    CkStoreQuery all = { 0 };
    guint n, first;

    time_query (list, &all);
    n = g_list_model_get_n_items (G_LIST_MODEL (list));
    g_assert_cmpuint (n, ==, (guint)records);

    for (int i = 0; i < items; i++)
      {
        guint position = g_rand_int_range (rand, 0, (gint32)n);
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr(CkRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), position);
        double ms = (g_get_monotonic_time () - t0) / 1000.0;

        g_assert_nonnull (ck_record_item_get_uuid (item));
        g_array_append_val (random_ms, ms);
      }
    bench_report ("get-item.random", random_ms, 95);

    first = g_rand_int_range (rand, 0, (gint32)(n - MIN (n, (guint)items) + 1));
    for (guint i = first; i < first + MIN (n, (guint)items); i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr(CkRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
        double ms = (g_get_monotonic_time () - t0) / 1000.0;

        g_assert_nonnull (ck_record_item_get_masked_id (item));
        g_array_append_val (scroll_ms, ms);
      }
    bench_report ("get-item.scroll", scroll_ms, 95);
  }

  g_clear_object (&list);
  g_clear_object (&store);
  ck_test_rm_rf (data_dir);

  return EXIT_SUCCESS;
}
