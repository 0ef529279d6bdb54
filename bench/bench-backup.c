/* bench-backup.c: how long a backup and a restore take
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fills a store with --records consents through ck_store_save() (the real
 * protocol; each PDF --pdf-bytes of random bytes, as incompressible as a
 * real one's streams, about 50 KB), in --dir (default /dev/shm, so that
 * filling is quick), then --rounds times:
 *
 *   backup   ck_backup_create(): the online copy of the database, every PDF
 *            hashed into the file, fsynced, and the trial restore that
 *            checks it (about half the time), into --backup-dir;
 *   verify   ck_backup_verify() alone: that trial restore and check;
 *   restore  ck_backup_restore() into an empty directory in --backup-dir:
 *            check, write, fsync, check again, open as the kiosk does.
 *
 * Median and fastest round of each, the backup's size, and the rates.
 *
 *   bench-backup [--records N] [--pdf-bytes B] [--rounds R] [--dir DIR] [--backup-dir DIR]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ck.h"
#include "ck-test-util.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static void
report (const char *label,
        GArray     *ms,
        int         records,
        gint64      bytes)
{
  double median, best;

  g_array_sort (ms, compare_doubles);
  median = g_array_index (ms, double, ms->len / 2);
  best = g_array_index (ms, double, 0);
  g_print ("%-8s %7d consents  %3u rounds   median %9.1f ms   best %9.1f ms   %8.0f consents/s   %7.1f MB/s\n",
           label, records, ms->len, median, best, records / (median / 1000.0),
           bytes / 1e6 / (median / 1000.0));
  g_print ("{\"bench\":\"backup.%s\",\"records\":%d,\"rounds\":%u,\"median_ms\":%.1f,\"best_ms\":%.1f}\n",
           label, records, ms->len, median, best);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
fill (const char *data_dir,
      int         records,
      int         pdf_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(GBytes) signature_bytes = ck_signature_serialize (signature);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree guint8 *noise = g_malloc (pdf_bytes + 4096);
  gint64 start = g_get_monotonic_time ();

  if (store == NULL)
    g_error ("bench-backup: %s", error->message);
  for (int i = 0; i < pdf_bytes + 4096; i++)
    noise[i] = (guint8)g_rand_int_range (rand, 0, 256);

  for (int i = 0; i < records; i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
      g_autoptr(GBytes) pdf = NULL;
      g_autofree guint8 *bytes = g_malloc (pdf_bytes);

      r->uuid = g_uuid_string_random ();
      r->sign_date = g_strdup_printf ("2026-%02d-%02d", 1 + i % 12, 1 + i % 28);
      r->created_at = g_strdup_printf ("%sT09:00:00.000000Z", r->sign_date);
      r->name = g_strdup ("张三");
      r->id_number = g_strdup ("11010519491231002X");
      r->org_name = g_strdup ("示例银行股份有限公司");
      r->org_business = g_strdup ("个人贷款");
      r->org_purpose = g_strdup ("身份核验和风险管理");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
      r->signature = g_bytes_ref (signature_bytes);
      r->kiosk_id = g_strdup ("bench");

      /* A different slice of the noise each, so that no two are equal. */
      memcpy (bytes, noise + (i * 7919) % 4096, pdf_bytes);
      memcpy (bytes, r->uuid, MIN (pdf_bytes, 36));
      pdf = g_bytes_new_take (g_steal_pointer (&bytes), pdf_bytes);
      if (!ck_store_save (store, r, pdf, &error))
        g_error ("bench-backup: %s", error->message);
    }

  g_print ("# filled %d consents of %d PDF bytes in %.1f s\n", records, pdf_bytes,
           elapsed_ms (start) / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) backup_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) verify_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) restore_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CkStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *work = NULL;
  g_autofree char *work_backup = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *target = NULL;
  int records = 10000, pdf_bytes = 50000, rounds = 3;
  gint64 size = 0;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Consents in the store (10000)", "N" },
    { "pdf-bytes", 0, 0, G_OPTION_ARG_INT, &pdf_bytes, "Bytes a PDF (50000)", "B" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Backups and restores timed (3)", "R" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the store is filled (/dev/shm)", "DIR" },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      "Where backups and restores go (--dir)", "DIR" },
    { NULL }
  };

  ck_init ();
  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      records < 1 || pdf_bytes < 64 || rounds < 1)
    {
      g_printerr ("bench-backup: %s\n",
                  error ? error->message : "--records, --rounds must be positive, --pdf-bytes 64 or more");
      return 2;
    }

  if (dir == NULL)
    dir = g_strdup (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ());
  if (backup_dir == NULL)
    backup_dir = g_strdup (dir);
  g_mkdir_with_parents (backup_dir, 0700);
  work = g_build_filename (dir, "bench-backup-XXXXXX", NULL);
  work_backup = g_build_filename (backup_dir, "bench-backup-out-XXXXXX", NULL);
  if (!g_mkdtemp (work) || !g_mkdtemp (work_backup))
    g_error ("bench-backup: cannot make a folder in %s or %s", dir, backup_dir);
  data_dir = g_build_filename (work, "store", NULL);
  file = g_build_filename (work_backup, "kiosk.ckbackup", NULL);
  target = g_build_filename (work_backup, "restored", NULL);

  fill (data_dir, records, pdf_bytes);
  store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    g_error ("bench-backup: %s", error->message);

  for (int round = 0; round < rounds; round++)
    {
      g_autoptr(CkBackupInfo) made = NULL;
      g_autoptr(CkBackupInfo) checked = NULL;
      g_autoptr(CkBackupInfo) restored = NULL;
      GStatBuf st;
      gint64 start;
      double ms;

      start = g_get_monotonic_time ();
      made = ck_backup_create (store, file, "bench", CK_BACKUP_FORCE, &error);
      ms = elapsed_ms (start);
      if (made == NULL)
        g_error ("bench-backup: %s", error->message);
      g_assert_cmpint (made->consents, ==, records);
      g_array_append_val (backup_ms, ms);
      if (g_stat (file, &st) == 0)
        size = st.st_size;

      start = g_get_monotonic_time ();
      checked = ck_backup_verify (file, &error);
      ms = elapsed_ms (start);
      if (checked == NULL)
        g_error ("bench-backup: %s", error->message);
      g_array_append_val (verify_ms, ms);

      ck_test_rm_rf (target);
      start = g_get_monotonic_time ();
      restored = ck_backup_restore (file, target, CK_BACKUP_FLAGS_NONE, &error);
      ms = elapsed_ms (start);
      if (restored == NULL)
        g_error ("bench-backup: %s", error->message);
      g_assert_cmpint (restored->consents, ==, records);
      g_array_append_val (restore_ms, ms);
    }

  report ("backup", backup_ms, records, size);
  report ("verify", verify_ms, records, size);
  report ("restore", restore_ms, records, size);
  g_print ("# backup file %.1f MB (%.0f bytes a consent)\n", size / 1e6, (double)size / records);
  g_print ("{\"bench\":\"backup.size\",\"records\":%d,\"bytes\":%" G_GINT64_FORMAT "}\n", records, size);

  g_clear_object (&store);
  ck_test_rm_rf (work);
  ck_test_rm_rf (work_backup);
  return 0;
}
