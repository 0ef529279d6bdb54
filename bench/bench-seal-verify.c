/* bench-seal-verify.c: verifying one sealed consent, again and again
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `consentctl check` verifies every stored sealed PDF with the same CA
 * files, up to a million of them: what one ck_seal_verify_pdf () costs
 * when it is called over and over with the same CA files is what this
 * measures. The standard consent (bench-pdf's request) is rendered and
 * sealed once with the PKCS#12 P-256 seal of a PKI made for the run by
 * tests/pki/make-test-pki.sh (no TSA: PAdES-B-B); then each of R rounds
 * verifies it N times against root.pem and tsa-root.pem, each report
 * checked. Printed: median and 99th percentile across rounds of the time
 * a call.
 *
 *   bench-seal-verify [--calls N] [--rounds R]
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "ck-seal.h"
#include "ck-seal-verify.h"
#include "bench-util.h"
#include "ck-test-util.h"

#define WARM_UP 1

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static CkSeal *
load_seal (const char  *dir,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "bench.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[signing]\nkey = %s/seal.p12\nkey_password_file = %s/seal.pass\n",
                                           dir, dir);
  g_autoptr(CkConfig) config = NULL;

  if (!g_file_set_contents (path, text, -1, error) ||
      !(config = ck_config_load (NULL, NULL, path, error)))
    return NULL;

  return ck_seal_new (config, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GArray) per_call_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *tsa_ca = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  CkPdfRequest request;
  int calls = 2000;
  int rounds = 5;
  int status;
  double median, p99;
  const GOptionEntry entries[] = {
    { "calls", 'n', 0, G_OPTION_ARG_INT, &calls, "Verifications a round", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Timed rounds", "R" },
    { NULL }
  };

  context = g_option_context_new ("— one sealed consent verified again and again");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || calls < 1 || rounds < 1)
    {
      g_printerr ("bench-seal-verify: %s\n", error ? error->message : "--calls and --rounds must be positive");
      return 2;
    }

  ck_init ();

  if (!(dir = g_dir_make_tmp ("ck-bench-seal-verify-XXXXXX", &error)))
    {
      g_printerr ("bench-seal-verify: %s\n", error->message);
      return 1;
    }
  g_spawn_sync (NULL, (char *[]) { (char *)"sh", (char *)CK_BENCH_MAKE_PKI, dir, NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  if (error || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("bench-seal-verify: make-test-pki.sh failed: %s\n", error ? error->message : err);
      return 1;
    }
  ca = g_build_filename (dir, "root.pem", NULL);
  tsa_ca = g_build_filename (dir, "tsa-root.pem", NULL);

  /* The standard request, as bench-pdf builds it, sealed once. */
  if (!(template = ck_template_new_default (&error)) ||
      !(fonts = ck_font_set_new_default (&error)) ||
      !(seal = load_seal (dir, &error)))
    {
      g_printerr ("bench-seal-verify: %s\n", error->message);
      return 1;
    }
  signature = ck_sample_signature_new (400);
  bench_standard_request (&request, template, signature, created);
  {
    CkSealPdfInfo info = { request.organization, "个人信息授权", request.kiosk_id, created };

    if (!(pdf = ck_pdf_render (fonts, &request, &error)) ||
        !(sealed = ck_seal_sign_pdf (seal, pdf, &info, FALSE, NULL, &error)))
      {
        g_printerr ("bench-seal-verify: %s\n", error->message);
        return 1;
      }
  }

  for (int r = 0; r < WARM_UP + rounds; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double us;

      for (int i = 0; i < calls; i++)
        {
          g_autoptr(CkSealReport) report = ck_seal_verify_pdf (sealed, ca, tsa_ca, &error);

          if (report == NULL || !ck_seal_report_is_ok (report))
            {
              g_printerr ("bench-seal-verify: the sealed consent does not verify: %s\n",
                          error ? error->message : "a problem in the report");
              return 1;
            }
        }
      if (r < WARM_UP)
        continue;
      us = (double)(g_get_monotonic_time () - start) / calls;
      g_array_append_val (per_call_us, us);
    }

  g_array_sort (per_call_us, compare_doubles);
  median = g_array_index (per_call_us, double, per_call_us->len / 2);
  p99 = g_array_index (per_call_us, double, MIN (per_call_us->len - 1, (guint)(per_call_us->len * 0.99)));
  g_print ("%-20s %4d rounds of %d calls   %zu-byte PDF   median %8.1f µs a call  p99 %8.1f µs\n",
           "seal.verify-pdf", rounds, calls, g_bytes_get_size (sealed), median, p99);
  g_print ("{\"bench\":\"seal.verify-pdf\",\"rounds\":%d,\"calls\":%d,\"pdf_bytes\":%zu,"
           "\"median_us\":%.1f,\"p99_us\":%.1f}\n",
           rounds, calls, g_bytes_get_size (sealed), median, p99);

  ck_test_rm_rf (dir);

  return 0;
}
