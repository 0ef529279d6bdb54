/* bench-store.c: how fast consents are saved and found
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Two measurements:
 *
 * 1. Save latency, as the kiosk pays it: render the standard consent
 *    (ck_pdf_render) and save it (ck_store_save: write, fsync, rename,
 *    fsync the folder, commit with synchronous=FULL), --saves times into a
 *    store on the disk under --dir; median and p99.
 *
 * 2. Scale: --records consents saved through the same ck_store_save()
 *    (the real protocol, each its own fsynced transaction) with a tiny
 *    stand-in PDF, into a store under --scale-dir (default /dev/shm, so
 *    that a million files and fsyncs measure the database, not the disk);
 *    then the insert rate, the latency of `list --search` by name prefix
 *    and by ID tail (what staff type), and database bytes per record.
 *
 *   bench-store [--saves N] [--records N] [--dir DIR] [--scale-dir DIR]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-test-util.h"

static CkConsentRecord *
make_record (GRand      *rand,
             GBytes     *signature,
             const char *template_sha256,
             guint       i)
{
  CkConsentRecord *r = ck_consent_record_new ();

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup_printf ("2026-11-%02uT09:%02u:%02u.000000Z", 1 + i % 28, i % 60, i % 60);
  r->name = bench_random_name (rand);
  r->id_number = bench_random_id (rand);
  r->sign_date = g_strdup_printf ("2026-11-%02u", 1 + i % 28);
  r->org_name = g_strdup ("示例银行股份有限");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_strdup (template_sha256);
  r->signature = g_bytes_ref (signature);
  r->kiosk_id = g_strdup ("bench-kiosk");
  r->demo = TRUE;

  return r;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  g_autoptr(GArray) save_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *scale_dir = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *scale_store = NULL;
  int saves = 200, records = 1000000;
  const GOptionEntry entries[] = {
    { "saves", 0, 0, G_OPTION_ARG_INT, &saves, "Saves to time (render + save)", "N" },
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Records for the scale test", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the timed saves go (a disk)", "DIR" },
    { "scale-dir", 0, 0, G_OPTION_ARG_FILENAME, &scale_dir, "Where the scale store goes", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark saving and finding consents");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || saves < 1 || records < 1)
    {
      g_printerr ("bench-store: %s\n", error ? error->message : "--saves and --records must be positive");
      return 2;
    }

  ck_init ();
  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  template = ck_template_new_default (&error);
  g_assert_no_error (error);
  signature = ck_sample_signature_new (400);
  signature_bytes = ck_signature_serialize (signature);
  created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);

  /* 1. Save latency on the disk. */
  store_dir = g_build_filename (dir ? dir : g_get_tmp_dir (), "ck-bench-store-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (store_dir));
  {
    g_autoptr(CkStore) store = ck_store_open (store_dir, CK_STORE_OPEN_RECOVER, &error);

    g_assert_no_error (error);
    for (int i = 0; i < saves; i++)
      {
        g_autoptr(CkConsentRecord) r = make_record (rand, signature_bytes,
                                                    ck_template_get_sha256 (template), i);
        g_autoptr(GBytes) pdf = NULL;
        g_autofree char *year = g_strdup ("2026"), *month = g_strdup ("11");
        g_autofree char *day = g_strdup_printf ("%u", 1 + i % 28);
        CkPdfRequest request = { 0 };
        gint64 start = g_get_monotonic_time ();
        double ms;

        request.template = template;
        request.values[CK_TEMPLATE_FIELD_COMPANY] = r->org_name;
        request.values[CK_TEMPLATE_FIELD_BUSINESS] = r->org_business;
        request.values[CK_TEMPLATE_FIELD_PURPOSE] = r->org_purpose;
        request.values[CK_TEMPLATE_FIELD_NAME] = r->name;
        request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = r->id_number;
        request.values[CK_TEMPLATE_FIELD_YEAR] = year;
        request.values[CK_TEMPLATE_FIELD_MONTH] = month;
        request.values[CK_TEMPLATE_FIELD_DAY] = day;
        request.signature = signature;
        request.consent_id = r->uuid;
        request.kiosk_id = r->kiosk_id;
        request.organization = r->org_name;
        request.created = created;
        request.demo = TRUE;

        pdf = ck_pdf_render (fonts, &request, &error);
        g_assert_no_error (error);
        ck_store_save (store, r, pdf, &error);
        g_assert_no_error (error);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (save_ms, ms);
      }
  }
  bench_report ("save.render+fsync+commit", save_ms, 99);
  ck_test_rm_rf (store_dir);

  /* 2. Scale. */
  scale_store = g_build_filename (scale_dir ? scale_dir :
                                  g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                                  "ck-bench-scale-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (scale_store));
  {
    g_autoptr(CkStore) store = ck_store_open (scale_store, CK_STORE_OPEN_RECOVER, &error);
    g_autoptr(GBytes) tiny_pdf = g_bytes_new_static ("%PDF-1.3 stand-in\n", 18);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) name_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) tail_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) surname_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autofree char *db = g_build_filename (scale_store, "consents.db", NULL);
    gint64 start = g_get_monotonic_time ();
    double seconds;
    GStatBuf st;
    guint found = 0;

    g_assert_no_error (error);
    for (int i = 0; i < records; i++)
      {
        g_autoptr(CkConsentRecord) r = make_record (rand, signature_bytes,
                                                    ck_template_get_sha256 (template), i);

        if (i % MAX (1, records / 100) == 0)
          {
            g_ptr_array_add (names, g_strdup (r->name));
            g_ptr_array_add (tails, g_strdup (r->id_number + 12));   /* the last 6 */
          }
        ck_store_save (store, r, tiny_pdf, &error);
        g_assert_no_error (error);
      }
    seconds = (g_get_monotonic_time () - start) / 1e6;
    g_print ("%-28s %8d records in %.1f s   %.0f records/s\n", "scale.insert", records, seconds,
             records / seconds);
    g_print ("{\"bench\":\"scale.insert\",\"records\":%d,\"seconds\":%.2f,\"per_second\":%.0f}\n",
             records, seconds, records / seconds);

    {
      /* What a record costs on disk, the WAL folded in. */
      g_autoptr(CkStore) reopened = NULL;

      g_clear_object (&store);
      reopened = ck_store_open (scale_store, CK_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (db, &st), ==, 0);
      g_print ("%-28s %8.0f bytes per record (%.1f MB)\n", "scale.db-bytes",
               (double)st.st_size / records, st.st_size / 1e6);
      g_print ("{\"bench\":\"scale.db-bytes\",\"bytes_per_record\":%.0f}\n",
               (double)st.st_size / records);
      store = g_steal_pointer (&reopened);
    }

    for (guint round = 0; round < 5; round++)
      for (guint i = 0; i < names->len; i++)
        {
          CkStoreQuery by_name = { names->pdata[i], NULL, NULL, 50, 0 };
          CkStoreQuery by_tail = { tails->pdata[i], NULL, NULL, 50, 0 };
          g_autoptr(GPtrArray) a = NULL;
          g_autoptr(GPtrArray) b = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double ms;

          a = ck_store_list (store, &by_name, &error);
          g_assert_no_error (error);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (name_ms, ms);

          t0 = g_get_monotonic_time ();
          b = ck_store_list (store, &by_tail, &error);
          g_assert_no_error (error);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (tail_ms, ms);

          found += a->len > 0 && b->len > 0;

          /* The worst case staff can type: a surname alone, thousands match. */
          {
            g_autofree char *surname = g_utf8_substring (names->pdata[i], 0, 1);
            CkStoreQuery by_surname = { surname, NULL, NULL, 50, 0 };
            g_autoptr(GPtrArray) c = NULL;

            t0 = g_get_monotonic_time ();
            c = ck_store_list (store, &by_surname, &error);
            g_assert_no_error (error);
            ms = (g_get_monotonic_time () - t0) / 1000.0;
            g_array_append_val (surname_ms, ms);
          }
        }
    g_assert_cmpuint (found, ==, names->len * 5);
    bench_report ("scale.search-name", name_ms, 99);
    bench_report ("scale.search-id-tail", tail_ms, 99);
    bench_report ("scale.search-surname", surname_ms, 99);
  }
  ck_test_rm_rf (scale_store);

  return 0;
}
