/* bench-seal.c: what sealing adds to a consent PDF, in time and in bytes
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The standard consent (bench-pdf's request) rendered by ck_pdf_render(),
 * then, in the same round, sealed by ck_seal_sign_pdf() with each seal of
 * a PKI made for the run by tests/pki/make-test-pki.sh: PKCS#12 P-256,
 * PKCS#12 RSA-2048, and the P-256 key on a SoftHSM2 token through libp11's
 * engine. Every seal is loaded once, outside the timed loop, as the kiosk
 * loads it once. No TSA: a timestamp costs a round trip to it, measured by
 * the TSA client's own benchmark, not here.
 *
 * After 3 warm-up rounds, each of N rounds renders once unsigned, then
 * renders and seals once with each seal, the order of the cases rotating
 * from round to round. Printed per case: median and 99th percentile of
 * render (+ seal) time, and of the seal alone; the PDF's growth.
 *
 *   bench-seal [--iterations N]
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "ck-seal.h"
#include "ck-test-util.h"

#define WARM_UP 3
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

typedef struct
{
  const char *label;
  const char *signing;          /* [signing], @DIR@ the PKI's folder; NULL: unsigned */
  CkSeal *seal;
  GArray *total_ms;
  GArray *seal_ms;
  gsize growth;
} Case;

static CkSeal *
load_seal (const char  *dir,
           const char  *signing,
           GError     **error)
{
  g_autoptr(GString) text = g_string_new ("[signing]\n");
  g_autofree char *path = g_build_filename (dir, "bench.conf", NULL);
  g_autoptr(CkConfig) config = NULL;

  g_string_append (text, signing);
  g_string_replace (text, "@DIR@", dir, 0);
  if (!g_file_set_contents (path, text->str, -1, error) ||
      !(config = ck_config_load (NULL, NULL, path, error)))
    return NULL;

  return ck_seal_new (config, error);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static void
stats (GArray *ms,
       double *median,
       double *p99)
{
  g_array_sort (ms, compare_doubles);
  *median = g_array_index (ms, double, ms->len / 2);
  *p99 = g_array_index (ms, double, MIN (ms->len - 1, (guint)(ms->len * 0.99)));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *softhsm_conf = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  CkPdfRequest request = { 0 };
  int iterations = 100;
  int status;
  double base_median = 0, base_p99 = 0;
  Case cases[] = {
    { "seal.unsigned", NULL },
    { "seal.pkcs12-p256", "key = @DIR@/seal.p12\nkey_password_file = @DIR@/seal.pass\n" },
    { "seal.pkcs12-rsa2048", "key = @DIR@/seal-rsa.p12\nkey_password_file = @DIR@/seal.pass\n" },
    { "seal.softhsm-p256",
      "key = pkcs11:token=kiosk;object=seal;type=private\ncertificate = @DIR@/seal.pem\n"
      "chain = @DIR@/intermediate.pem\nkey_password_file = @DIR@/pin\npkcs11_module = " SOFTHSM_MODULE "\n" },
  };
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Timed rounds", "N" },
    { NULL }
  };

  context = g_option_context_new ("— what sealing adds to the consent PDF");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || iterations < 1)
    {
      g_printerr ("bench-seal: %s\n", error ? error->message : "--iterations must be positive");
      return 2;
    }

  ck_init ();

  /* The PKI and the token, made for this run. */
  if (!(dir = g_dir_make_tmp ("ck-bench-seal-XXXXXX", &error)))
    {
      g_printerr ("bench-seal: %s\n", error->message);
      return 1;
    }
  g_spawn_sync (NULL, (char *[]) { (char *)"sh", (char *)CK_BENCH_MAKE_PKI, dir, (char *)"--softhsm", NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  if (error || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("bench-seal: make-test-pki.sh failed: %s\n", error ? error->message : err);
      return 1;
    }
  softhsm_conf = g_build_filename (dir, "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", softhsm_conf, TRUE);

  /* The standard request, as bench-pdf builds it. */
  if (!(template = ck_template_new_default (&error)) ||
      !(fonts = ck_font_set_new_default (&error)))
    {
      g_printerr ("bench-seal: %s\n", error->message);
      return 1;
    }
  signature = ck_sample_signature_new (400);
  request.template = template;
  request.signature = signature;
  request.created = created;
  request.values[CK_TEMPLATE_FIELD_COMPANY] = "示例银行股份有限";
  request.values[CK_TEMPLATE_FIELD_BUSINESS] = "个人贷款";
  request.values[CK_TEMPLATE_FIELD_PURPOSE] = "身份核验和风险管理";
  request.values[CK_TEMPLATE_FIELD_NAME] = "张三";
  request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  request.values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  request.values[CK_TEMPLATE_FIELD_MONTH] = "11";
  request.values[CK_TEMPLATE_FIELD_DAY] = "28";
  request.consent_id = "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11";
  request.kiosk_id = "branch-042-kiosk-1";
  request.organization = "示例银行股份有限公司";

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      cases[c].total_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].seal_ms = g_array_new (FALSE, FALSE, sizeof (double));
      if (cases[c].signing && !(cases[c].seal = load_seal (dir, cases[c].signing, &error)))
        {
          g_printerr ("bench-seal: %s: %s\n", cases[c].label, error->message);
          return 1;
        }
    }

  for (int i = 0; i < WARM_UP + iterations; i++)
    for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
      {
        Case *c = &cases[(i + k) % G_N_ELEMENTS (cases)];
        g_autoptr(GBytes) pdf = NULL;
        g_autoptr(GBytes) sealed = NULL;
        g_autoptr(GDateTime) now = g_date_time_new_now_local ();
        CkSealPdfInfo info = { request.organization, "个人信息授权", request.kiosk_id, now };
        gint64 start = g_get_monotonic_time ();
        gint64 rendered, done;
        double ms;

        pdf = ck_pdf_render (fonts, &request, &error);
        rendered = g_get_monotonic_time ();
        if (pdf && c->seal)
          sealed = ck_seal_sign_pdf (c->seal, pdf, &info, FALSE, NULL, &error);
        done = g_get_monotonic_time ();
        if (pdf == NULL || (c->seal && sealed == NULL))
          {
            g_printerr ("bench-seal: %s: %s\n", c->label, error->message);
            return 1;
          }
        if (i < WARM_UP)
          continue;
        ms = (double)(done - start) / 1000.0;
        g_array_append_val (c->total_ms, ms);
        ms = (double)(done - rendered) / 1000.0;
        g_array_append_val (c->seal_ms, ms);
        c->growth = sealed ? g_bytes_get_size (sealed) - g_bytes_get_size (pdf) : 0;
      }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double median, p99, seal_median, seal_p99;

      stats (cases[c].total_ms, &median, &p99);
      stats (cases[c].seal_ms, &seal_median, &seal_p99);
      if (c == 0)
        {
          base_median = median;
          base_p99 = p99;
        }
      g_print ("%-20s %4u rounds   render+seal median %7.2f ms  p99 %7.2f ms   "
               "seal alone median %6.2f ms  p99 %6.2f ms   %+6.2f ms (median)   +%5zu bytes\n",
               cases[c].label, cases[c].total_ms->len, median, p99, seal_median, seal_p99,
               median - base_median, cases[c].growth);
      g_print ("{\"bench\":\"%s\",\"rounds\":%u,\"median_ms\":%.3f,\"p99_ms\":%.3f,"
               "\"seal_median_ms\":%.3f,\"seal_p99_ms\":%.3f,\"added_median_ms\":%.3f,"
               "\"added_p99_ms\":%.3f,\"growth_bytes\":%zu}\n",
               cases[c].label, cases[c].total_ms->len, median, p99, seal_median, seal_p99,
               median - base_median, p99 - base_p99, cases[c].growth);
    }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_clear_object (&cases[c].seal);
      g_array_unref (cases[c].total_ms);
      g_array_unref (cases[c].seal_ms);
    }
  ck_test_rm_rf (dir);

  return 0;
}
