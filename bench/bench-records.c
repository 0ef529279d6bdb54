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
 * The fill is the benchmarks' own (bench_fill_store () in bench-util.c):
 * one SQLite transaction of plain INSERTs into a store ck_store_open ()
 * created (schema, indexes), in a temporary directory under --dir (default
 * /dev/shm). It skips the PDFs, the hash chain and the attempts — the list
 * reads none of them — and it is no path of the store's: saving a consent
 * stays ck_store_save ()'s durable protocol. Each consent gets a status as
 * a mix of verification states would give (consent_status), with the real
 * signature's size.
 *
 *   bench-records [--records N] [--rounds R] [--items N] [--dir DIR]
 */

#include "config.h"

#include <stdlib.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-test-util.h"

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
  g_autoptr(GPtrArray) surnames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkRecordList) list = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  int records = 1000000, rounds = 11, items = 2000;
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
  data_dir = bench_fill_store (dir, (guint)records, rand, surnames, tails);

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
