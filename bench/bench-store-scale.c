/* bench-store-scale.c: does the store stay as fast as it grows?
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Whole consentctl processes, as staff and scripts run them, against
 * stores of each --sizes (default 1,000, 100,000 and 1,000,000 consents,
 * filled by bench_fill_store () in one transaction, each consent's PDF a
 * file on the disk under --dir):
 *
 *   record   consentctl record --no-verify: open (and recover), render,
 *            save; --runs times, median and p95 of the wall time
 *   list     consentctl list --search 张 (about 1 % of the consents match;
 *            the default limit prints 100): median and p95
 *
 * then the ratios of each size's median to the smallest size's.
 *
 * --check-sizes (default 10,000 and 100,000): stores saved through
 * ck_store_save () itself in /dev/shm (valid hashes, tiny PDFs), and the
 * wall time of one `consentctl check` of each, with its growth.
 *
 * --schema-5 turns each filled store back into schema 5 (before the files
 * journal), for timing a consentctl of that time with --consentctl.
 *
 * --keep DIR keeps the largest store at DIR (bench-launch --data-dir DIR
 * then times the kiosk's start on it).
 *
 *   bench-store-scale [--sizes N,N,…] [--runs N] [--check-sizes N,N,…]
 *                     [--dir DIR] [--keep DIR] [--consentctl PATH]
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-test-util.h"

static char *consentctl;
static char *config_home;
static char *signature_file;

/* Milliseconds one consentctl run takes, start to exit; it must succeed. */
static double
run (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  gint64 start;

  g_subprocess_launcher_setenv (launcher, "CK_SYSTEM_CONFIG", "/nonexistent/kiosk.conf", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_ptr_array_add (argv, consentctl);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s %s failed: %s", consentctl, args[2], err);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
median (GArray *ms)
{
  g_autoptr(GArray) sorted = g_array_copy (ms);

  g_array_sort (sorted, compare_doubles);
  return g_array_index (sorted, double, sorted->len / 2);
}

static GArray *
parse_sizes (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i]; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, G_MAXUINT, &n, NULL))
        g_error ("not a size: %s", parts[i]);
      g_array_append_val (sizes, n);
    }

  return sizes;
}

/* A store of @n consents saved through the store's own save path, in
 * /dev/shm: every hash is right, so check has its whole work to do. */
static char *
saved_store (guint  n,
             GRand *rand)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(GBytes) signature_bytes = ck_signature_serialize (signature);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7 stand-in, 40 bytes of it.....\n", 40);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *dir = g_build_filename (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                                "ck-bench-check-XXXXXX", NULL);
  gint64 start = g_get_monotonic_time ();

  g_assert_nonnull (g_mkdtemp (dir));
  store = ck_store_open (dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();

      r->uuid = g_uuid_string_random ();
      r->created_at = g_strdup_printf ("2026-11-%02uT09:%02u:%02u.000000Z", 1 + i % 28, i % 60, i % 60);
      r->name = bench_random_name (rand);
      r->id_number = bench_random_id (rand);
      r->sign_date = g_strdup_printf ("2026-11-%02u", 1 + i % 28);
      r->org_name = g_strdup ("示例银行股份有限公司");
      r->org_business = g_strdup ("个人贷款");
      r->org_purpose = g_strdup ("身份核验和风险管理");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "bench", -1);
      r->signature = g_bytes_ref (signature_bytes);
      r->kiosk_id = g_strdup ("bench-kiosk");
      ck_store_save (store, r, pdf, &error);
      g_assert_no_error (error);
    }
  g_print ("%-28s %8u consents saved in %.1f s (ck_store_save, /dev/shm)\n", "fill.saved", n,
           (g_get_monotonic_time () - start) / 1e6);

  return dir;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  g_autoptr(GArray) sizes = NULL;
  g_autoptr(GArray) check_sizes = NULL;
  g_autoptr(GArray) record_medians = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_medians = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *sizes_text = g_strdup ("1000,100000,1000000");
  g_autofree char *check_text = g_strdup ("10000,100000");
  g_autofree char *dir = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *tmp = NULL;
  gboolean schema_5 = FALSE;
  int runs = 11;
  double first_check = 0;
  const GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Store sizes for record and list", "N,N,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each command a size", "N" },
    { "check-sizes", 0, 0, G_OPTION_ARG_STRING, &check_text, "Store sizes for check (0: none)", "N,N,…" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the stores go (a disk)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Keep the largest store here", "DIR" },
    { "consentctl", 0, 0, G_OPTION_ARG_FILENAME, &consentctl, "The consentctl binary", "PATH" },
    { "schema-5", 0, 0, G_OPTION_ARG_NONE, &schema_5, "Stores of schema 5, for an older consentctl", NULL },
    { NULL }
  };

  context = g_option_context_new ("— consentctl record, list and check as the store grows");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("bench-store-scale: %s\n", error ? error->message : "--runs must be positive");
      return 2;
    }
  if (consentctl == NULL)
    consentctl = g_strdup (CK_BENCH_CONSENTCTL);
  sizes = parse_sizes (sizes_text);
  check_sizes = g_str_equal (check_text, "0") ? g_array_new (FALSE, FALSE, sizeof (guint))
                                              : parse_sizes (check_text);

  ck_init ();
  tmp = g_dir_make_tmp ("bench-store-scale-XXXXXX", &error);
  g_assert_no_error (error);
  config_home = g_build_filename (tmp, "config", NULL);
  {
    g_autofree char *conf_dir = g_build_filename (config_home, "consent-kiosk", NULL);
    g_autofree char *conf = g_build_filename (conf_dir, "kiosk.conf", NULL);
    g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
    g_autoptr(GBytes) bytes = ck_signature_serialize (signature);

    g_mkdir_with_parents (conf_dir, 0700);
    g_file_set_contents (conf, "[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n"
                               "purpose = 身份核验和风险管理\n[kiosk]\nid = bench-kiosk\n"
                               "[verification]\nprovider = none\n", -1, &error);
    g_assert_no_error (error);
    signature_file = g_build_filename (tmp, "signature", NULL);
    g_file_set_contents (signature_file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
    g_assert_no_error (error);
  }

  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      g_autoptr(GArray) record_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *data_dir = bench_fill_store (dir ? dir : g_get_tmp_dir (), n, rand, NULL, NULL);
      g_autofree char *label = NULL;
      double m;

      bench_write_pdfs (data_dir, 2000);
      if (schema_5)
        bench_downgrade_to_5 (data_dir);

      for (int i = 0; i < runs; i++)
        {
          const char *record[] = { "--data-dir", data_dir, "record", "--name", "张三",
                                   "--id", "11010519491231002X", "--signature", signature_file,
                                   "--no-verify", NULL };
          const char *list[] = { "--data-dir", data_dir, "list", "--search", "张", NULL };
          double ms = run (record);

          g_array_append_val (record_ms, ms);
          ms = run (list);
          g_array_append_val (list_ms, ms);
        }

      label = g_strdup_printf ("scale.record@%u", n);
      bench_report (label, record_ms, 95);
      m = median (record_ms);
      g_array_append_val (record_medians, m);
      g_free (label);
      label = g_strdup_printf ("scale.list-zhang@%u", n);
      bench_report (label, list_ms, 95);
      m = median (list_ms);
      g_array_append_val (list_medians, m);

      if (keep && s == sizes->len - 1)
        {
          if (g_rename (data_dir, keep) != 0)
            g_error ("cannot keep the store at %s: %s", keep, g_strerror (errno));
          g_print ("%-28s %s\n", "kept", keep);
        }
      else
        ck_test_rm_rf (data_dir);
    }

  for (guint s = 1; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s), n0 = g_array_index (sizes, guint, 0);
      double r = g_array_index (record_medians, double, s) / g_array_index (record_medians, double, 0);
      double l = g_array_index (list_medians, double, s) / g_array_index (list_medians, double, 0);

      g_print ("%-28s record %.2f   list %.2f   (median at %u / median at %u)\n", "scale.ratio", r, l, n, n0);
      g_print ("{\"bench\":\"scale.ratio\",\"size\":%u,\"base\":%u,\"record\":%.3f,\"list\":%.3f}\n",
               n, n0, r, l);
    }

  for (guint s = 0; s < check_sizes->len; s++)
    {
      guint n = g_array_index (check_sizes, guint, s);
      g_autofree char *data_dir = saved_store (n, rand);
      const char *check[] = { "--data-dir", data_dir, "check", "--quiet", NULL };
      double ms = run (check);

      g_print ("%-28s %8u consents in %8.0f ms   %.1f us a consent\n", "scale.check", n, ms,
               ms * 1000.0 / n);
      g_print ("{\"bench\":\"scale.check\",\"consents\":%u,\"ms\":%.1f}\n", n, ms);
      if (s == 0)
        first_check = ms;
      else
        g_print ("%-28s %.2f for %.0fx the consents\n", "scale.check-growth", ms / first_check,
                 (double)n / g_array_index (check_sizes, guint, 0));
      ck_test_rm_rf (data_dir);
    }

  ck_test_rm_rf (tmp);
  return 0;
}
