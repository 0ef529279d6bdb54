/* bench-seal.c: what sealing adds to a consent PDF, in time and in bytes
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Two parts, over a PKI made for the run by tests/pki/make-test-pki.sh
 * (with a SoftHSM2 token) and the seals made of it: PKCS#12 P-256,
 * PKCS#12 RSA-2048, and the P-256 key on the token through libp11's
 * engine. Every seal is loaded once, outside the timed loops, as the
 * kiosk loads it once.
 *
 * 1. Render + seal: the standard consent (bench-pdf's request) rendered
 *    by ck_pdf_render(), then, in the same round, sealed by
 *    ck_seal_sign_pdf() with each seal; no TSA. Printed per case: median
 *    and 99th percentile of render (+ seal) time, and of the seal alone;
 *    the PDF's growth.
 *
 * 2. The whole save, as the kiosk's save job pays it (ck-flow.c's
 *    save_job_run): ck_pdf_render(), ck_seal_sign_pdf() for the sealed
 *    cases (request.sealed set, as with [signing] configured), then
 *    ck_store_save_full() into one store on disk under --dir (the PDF
 *    written and fsynced, renamed, the folder fsynced, one transaction
 *    committed with synchronous=FULL). Cases: unsigned, the three seals,
 *    and PKCS#12 P-256 with a timestamp from the in-process test TSA
 *    (tests/ck-test-tsa.h, on 127.0.0.1, in a thread of this process);
 *    beside them, in the same rotation, one bare RFC 3161 round trip to
 *    that TSA (ck_tsa_stamp(), the reply verified) to compare the
 *    timestamp's cost with. Printed per case: median and 99th percentile
 *    of the save, the median added to the unsigned save's, the median of
 *    render + seal inside the save and what it adds to the unsigned
 *    render's (the store's fsyncs are the noisiest part of a save: on a
 *    shared disk they finish on a coarse tick, and the medians of whole
 *    saves move by that tick), the median of the store's part alone, the
 *    PDF's growth by sealing (median and the
 *    largest, warm-up included: the first timestamped PDF of a process
 *    reserves more room for its token), and the TSA requests a save made.
 *    Then --slow-tsa saves with a TSA that does not answer within
 *    tsa_timeout_s (1 s): each must end stored sealed without a time
 *    (B-B) with a timestamp job queued, after about the timeout.
 *
 * Each part: 3 warm-up rounds, then N rounds of its cases, the order
 * rotating from round to round. The load average is printed before and
 * after each part: the machine may be shared.
 *
 *   bench-seal [--iterations N] [--dir DIR] [--slow-tsa N]
 */

#include "config.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "ck.h"
#include "bench-util.h"
#include "ck-seal.h"
#include "ck-test-tsa.h"
#include "ck-test-util.h"
#include "ck-tsa.h"

#define WARM_UP 3
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define P12_P256 "key = @DIR@/seal.p12\nkey_password_file = @DIR@/seal.pass\n"
#define TSA_LINES "tsa_url = @TSA@\ntsa_ca_file = @DIR@/tsa-root.pem\ntsa_timeout_s = "

typedef enum
{
  KIND_SAVE,
  KIND_ROUND_TRIP,   /* part 2 only: one bare round trip to the TSA */
} Kind;

typedef struct
{
  const char *name;
  const char *signing;          /* [signing], @DIR@ the PKI's folder, @TSA@ its URL; NULL: unsigned */
  gboolean part2_only;
  Kind kind;
  CkSeal *seal;
  /* Part 1. */
  GArray *total_ms;
  GArray *seal_ms;
  gsize growth;
  /* Part 2. */
  GArray *save_ms;
  GArray *render_ms;
  GArray *before_store_ms;     /* render + seal, inside the save */
  GArray *store_ms;
  GArray *growths;              /* double: bytes */
  gsize growth_max;
  gsize stored_bytes;
  guint tsa_requests_min;
  guint tsa_requests_max;
  guint tsa_failures;
} Case;

/* Request counting needs the TSA between threads' requests: ours only. */
static CkTestTsa *tsa;

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
  g_string_replace (text, "@TSA@", ck_test_tsa_get_url (tsa), 0);
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

static double
median_of (GArray *values)
{
  double median, p99;

  stats (values, &median, &p99);
  return median;
}

static void
print_load (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("# load average %s: %s", when, text);
}

static void
append_ms (GArray *array,
           gint64  from,
           gint64  to)
{
  double ms = (double)(to - from) / 1000.0;

  g_array_append_val (array, ms);
}

/* The record the kiosk's save job fills in before it renders
 * (ck-flow.c's save_job_new), for @request's values. */
static CkConsentRecord *
make_record (const CkPdfRequest *request,
             GBytes             *signature,
             GDateTime          *now)
{
  CkConsentRecord *r = ck_consent_record_new ();
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);

  r->uuid = g_uuid_string_random ();
  r->created_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  r->name = g_strdup (request->values[CK_TEMPLATE_FIELD_NAME]);
  r->id_number = g_strdup (request->values[CK_TEMPLATE_FIELD_ID_NUMBER]);
  r->sign_date = g_date_time_format (now, "%Y-%m-%d");
  r->org_name = g_strdup (request->values[CK_TEMPLATE_FIELD_COMPANY]);
  r->org_business = g_strdup (request->values[CK_TEMPLATE_FIELD_BUSINESS]);
  r->org_purpose = g_strdup (request->values[CK_TEMPLATE_FIELD_PURPOSE]);
  r->template_sha256 = g_strdup (ck_template_get_sha256 (request->template));
  r->signature = g_bytes_ref (signature);
  r->kiosk_id = g_strdup (request->kiosk_id);

  return r;
}

/* One save as the kiosk's save job makes it: render, seal (with a
 * timestamp when the seal has a TSA), store. The TSA's failure leaves a
 * timestamp job, as in ck-flow.c; any other failure ends the run. */
static gboolean
save_once (CkStore            *store,
           CkFontSet          *fonts,
           const CkPdfRequest *base,
           GBytes             *signature_bytes,
           CkSeal             *seal,
           gint64             *rendered_at,
           gint64             *sealed_at,
           gsize              *growth,
           gsize              *stored_bytes,
           gboolean           *tsa_failed,
           GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
  g_autoptr(CkConsentRecord) record = make_record (base, signature_bytes, now);
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  CkSealJobKind job = CK_SEAL_JOB_NONE;
  CkPdfRequest request = *base;

  request.consent_id = record->uuid;
  request.sealed = seal != NULL;
  if (!(pdf = ck_pdf_render (fonts, &request, error)))
    return FALSE;
  *rendered_at = g_get_monotonic_time ();
  *growth = 0;
  *tsa_failed = FALSE;
  if (seal)
    {
      CkSealPdfInfo info = { record->org_name, "个人信息授权", record->kiosk_id, utc };
      GBytes *sealed = ck_seal_sign_pdf (seal, pdf, &info, ck_seal_get_has_tsa (seal), &tsa_error, error);

      if (sealed == NULL)
        return FALSE;
      if (tsa_error)
        {
          job = CK_SEAL_JOB_TIMESTAMP;
          *tsa_failed = TRUE;
        }
      *growth = g_bytes_get_size (sealed) - g_bytes_get_size (pdf);
      g_bytes_unref (pdf);
      pdf = sealed;
    }
  *sealed_at = g_get_monotonic_time ();
  *stored_bytes = g_bytes_get_size (pdf);

  return ck_store_save_full (store, record, pdf, job, error);
}

/* The folder must be on a disk for fsync to mean what it means on a kiosk. */
static void
warn_if_memory (const char *dir)
{
  struct statfs fs;

  if (statfs (dir, &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC))
    g_printerr ("bench-seal: warning: %s is in memory (tmpfs): fsync costs nothing there\n", dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkTsa) bare_tsa = NULL;
  g_autoptr(CkSeal) slow_seal = NULL;
  g_autoptr(GArray) slow_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *save_dir = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *softhsm_conf = NULL;
  g_autofree char *tsa_root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  CkPdfRequest request = { 0 };
  int iterations = 100;
  int slow_saves = 3;
  int status;
  double base_median = 0, base_p99 = 0, base_before = 0;
  Case cases[] = {
    { "unsigned", NULL },
    { "pkcs12-p256", P12_P256 },
    { "pkcs12-rsa2048", "key = @DIR@/seal-rsa.p12\nkey_password_file = @DIR@/seal.pass\n" },
    { "softhsm-p256",
      "key = pkcs11:token=kiosk;object=seal;type=private\ncertificate = @DIR@/seal.pem\n"
      "chain = @DIR@/intermediate.pem\nkey_password_file = @DIR@/pin\npkcs11_module = " SOFTHSM_MODULE "\n" },
    { "pkcs12-p256+tsa", P12_P256 TSA_LINES "5\n", TRUE },
    { "tsa.round-trip", NULL, TRUE, KIND_ROUND_TRIP },
  };
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Timed rounds of each part", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &save_dir,
      "Where the store of part 2 is made, in a folder of its own (a disk; default /var/tmp)", "DIR" },
    { "slow-tsa", 0, 0, G_OPTION_ARG_INT, &slow_saves, "Saves with a TSA slower than tsa_timeout_s (3)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— what sealing adds to the consent PDF and its save");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || iterations < 1 || slow_saves < 0)
    {
      g_printerr ("bench-seal: %s\n", error ? error->message : "--iterations must be positive");
      return 2;
    }

  ck_init ();

  /* The PKI, the token and the TSA, made for this run. */
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
  tsa = ck_test_tsa_start (dir);
  tsa_root = g_build_filename (dir, "tsa-root.pem", NULL);

  /* The standard request, as bench-pdf builds it. */
  if (!(template = ck_template_new_default (&error)) ||
      !(fonts = ck_font_set_new_default (&error)))
    {
      g_printerr ("bench-seal: %s\n", error->message);
      return 1;
    }
  signature = ck_sample_signature_new (400);
  signature_bytes = ck_signature_serialize (signature);
  bench_standard_request (&request, template, signature, created);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      cases[c].total_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].seal_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].save_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].render_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].before_store_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].store_ms = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].growths = g_array_new (FALSE, FALSE, sizeof (double));
      cases[c].tsa_requests_min = G_MAXUINT;
      if (cases[c].signing && !(cases[c].seal = load_seal (dir, cases[c].signing, &error)))
        {
          g_printerr ("bench-seal: %s: %s\n", cases[c].name, error->message);
          return 1;
        }
    }

  /* --- 1. Render + seal ------------------------------------------------- */

  print_load ("before render+seal");
  for (int i = 0; i < WARM_UP + iterations; i++)
    for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
      {
        Case *c = &cases[(i + k) % G_N_ELEMENTS (cases)];
        g_autoptr(GBytes) pdf = NULL;
        g_autoptr(GBytes) sealed = NULL;
        g_autoptr(GDateTime) now = g_date_time_new_now_local ();
        CkSealPdfInfo info = { request.organization, "个人信息授权", request.kiosk_id, now };
        gint64 start, rendered, done;

        if (c->part2_only)
          continue;
        start = g_get_monotonic_time ();
        pdf = ck_pdf_render (fonts, &request, &error);
        rendered = g_get_monotonic_time ();
        if (pdf && c->seal)
          sealed = ck_seal_sign_pdf (c->seal, pdf, &info, FALSE, NULL, &error);
        done = g_get_monotonic_time ();
        if (pdf == NULL || (c->seal && sealed == NULL))
          {
            g_printerr ("bench-seal: seal.%s: %s\n", c->name, error->message);
            return 1;
          }
        if (i < WARM_UP)
          continue;
        append_ms (c->total_ms, start, done);
        append_ms (c->seal_ms, rendered, done);
        c->growth = sealed ? g_bytes_get_size (sealed) - g_bytes_get_size (pdf) : 0;
      }
  print_load ("after render+seal");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *label = g_strconcat ("seal.", cases[c].name, NULL);
      double median, p99, seal_median, seal_p99;

      if (cases[c].part2_only)
        continue;
      stats (cases[c].total_ms, &median, &p99);
      stats (cases[c].seal_ms, &seal_median, &seal_p99);
      if (c == 0)
        {
          base_median = median;
          base_p99 = p99;
        }
      g_print ("%-20s %4u rounds   render+seal median %7.2f ms  p99 %7.2f ms   "
               "seal alone median %6.2f ms  p99 %6.2f ms   %+6.2f ms (median)   +%5zu bytes\n",
               label, cases[c].total_ms->len, median, p99, seal_median, seal_p99,
               median - base_median, cases[c].growth);
      g_print ("{\"bench\":\"%s\",\"rounds\":%u,\"median_ms\":%.3f,\"p99_ms\":%.3f,"
               "\"seal_median_ms\":%.3f,\"seal_p99_ms\":%.3f,\"added_median_ms\":%.3f,"
               "\"added_p99_ms\":%.3f,\"growth_bytes\":%zu}\n",
               label, cases[c].total_ms->len, median, p99, seal_median, seal_p99,
               median - base_median, p99 - base_p99, cases[c].growth);
    }

  /* --- 2. The whole save, into a store on disk -------------------------- */

  if (!save_dir)
    save_dir = g_strdup ("/var/tmp");
  if (g_mkdir_with_parents (save_dir, 0700) != 0)
    {
      g_printerr ("bench-seal: cannot make %s: %s\n", save_dir, g_strerror (errno));
      return 1;
    }
  warn_if_memory (save_dir);
  store_dir = g_build_filename (save_dir, "ck-bench-seal-store-XXXXXX", NULL);
  if (!g_mkdtemp (store_dir) ||
      !(store = ck_store_open (store_dir, CK_STORE_OPEN_RECOVER, &error)) ||
      !(bare_tsa = ck_tsa_new (ck_test_tsa_get_url (tsa), tsa_root, 5, &error)))
    {
      g_printerr ("bench-seal: %s: %s\n", store_dir, error ? error->message : g_strerror (errno));
      return 1;
    }
  g_print ("# store: %s\n", store_dir);

  print_load ("before save");
  for (int i = 0; i < WARM_UP + iterations; i++)
    for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
      {
        Case *c = &cases[(i + k) % G_N_ELEMENTS (cases)];
        guint requests = ck_test_tsa_count_requests (tsa);
        gint64 start = g_get_monotonic_time ();
        gint64 rendered = start, sealed = start, done;
        gsize growth = 0, stored_bytes = 0;
        gboolean tsa_failed = FALSE;
        double bytes;

        if (c->kind == KIND_ROUND_TRIP)
          {
            guint8 digest[32];
            g_autoptr(GBytes) token = NULL;

            for (guint b = 0; b < sizeof digest; b++)
              digest[b] = (guint8)g_random_int ();
            start = g_get_monotonic_time ();
            token = ck_tsa_stamp (bare_tsa, digest, &error);
            if (token == NULL)
              {
                g_printerr ("bench-seal: %s: %s\n", c->name, error->message);
                return 1;
              }
            done = g_get_monotonic_time ();
            rendered = sealed = done;
          }
        else
          {
            if (!save_once (store, fonts, &request, signature_bytes, c->seal,
                            &rendered, &sealed, &growth, &stored_bytes, &tsa_failed, &error))
              {
                g_printerr ("bench-seal: save.%s: %s\n", c->name, error->message);
                return 1;
              }
            done = g_get_monotonic_time ();
          }
        requests = ck_test_tsa_count_requests (tsa) - requests;
        c->growth_max = MAX (c->growth_max, growth);
        if (i < WARM_UP)
          continue;
        append_ms (c->save_ms, start, done);
        append_ms (c->render_ms, start, rendered);
        append_ms (c->before_store_ms, start, sealed);
        append_ms (c->store_ms, sealed, done);
        bytes = (double)growth;
        g_array_append_val (c->growths, bytes);
        c->stored_bytes = stored_bytes;
        c->tsa_requests_min = MIN (c->tsa_requests_min, requests);
        c->tsa_requests_max = MAX (c->tsa_requests_max, requests);
        c->tsa_failures += tsa_failed;
      }
  print_load ("after save");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      Case *k = &cases[c];
      g_autofree char *label = g_strconcat (k->kind == KIND_SAVE ? "save." : "", k->name, NULL);
      double median, p99, render_median, before_median, store_median, growth_median;

      stats (k->save_ms, &median, &p99);
      render_median = median_of (k->render_ms);
      before_median = median_of (k->before_store_ms);
      store_median = median_of (k->store_ms);
      growth_median = median_of (k->growths);
      if (c == 0)
        {
          base_median = median;
          base_before = before_median;
        }
      if (k->kind == KIND_ROUND_TRIP)
        {
          g_print ("%-24s %4u rounds   round trip median %7.2f ms  p99 %7.2f ms   TSA requests %u–%u\n",
                   label, k->save_ms->len, median, p99, k->tsa_requests_min, k->tsa_requests_max);
          g_print ("{\"bench\":\"%s\",\"rounds\":%u,\"median_ms\":%.3f,\"p99_ms\":%.3f,"
                   "\"tsa_requests_min\":%u,\"tsa_requests_max\":%u}\n",
                   label, k->save_ms->len, median, p99, k->tsa_requests_min, k->tsa_requests_max);
          continue;
        }
      g_print ("%-24s %4u rounds   save median %7.2f ms  p99 %7.2f ms   %+6.2f ms (median)   "
               "render+seal median %6.2f ms (%+5.2f)   store alone median %6.2f ms   growth +%5.0f bytes (max +%zu)   %zu bytes stored   "
               "TSA requests a save %u–%u, failed %u\n",
               label, k->save_ms->len, median, p99, median - base_median,
               before_median, before_median - base_before, store_median,
               growth_median, k->growth_max, k->stored_bytes,
               k->tsa_requests_min, k->tsa_requests_max, k->tsa_failures);
      g_print ("{\"bench\":\"%s\",\"rounds\":%u,\"median_ms\":%.3f,\"p99_ms\":%.3f,"
               "\"added_median_ms\":%.3f,\"render_median_ms\":%.3f,\"before_store_median_ms\":%.3f,\"added_before_store_median_ms\":%.3f,\"store_median_ms\":%.3f,\"growth_median_bytes\":%.0f,"
               "\"growth_max_bytes\":%zu,\"stored_bytes\":%zu,\"tsa_requests_min\":%u,"
               "\"tsa_requests_max\":%u,\"tsa_failures\":%u}\n",
               label, k->save_ms->len, median, p99, median - base_median, render_median,
               before_median, before_median - base_before, store_median,
               growth_median, k->growth_max, k->stored_bytes,
               k->tsa_requests_min, k->tsa_requests_max, k->tsa_failures);
    }

  /* A TSA that never answers in time: sealed without a time, a job queued,
   * after about tsa_timeout_s. */
  if (slow_saves > 0)
    {
      guint jobs = 0;

      if (!(slow_seal = load_seal (dir, P12_P256 TSA_LINES "1\n", &error)))
        {
          g_printerr ("bench-seal: save.pkcs12-p256+slow-tsa: %s\n", error->message);
          return 1;
        }
      ck_test_tsa_set_mode (tsa, CK_TEST_TSA_SLOW);
      for (int i = 0; i < slow_saves; i++)
        {
          gint64 start = g_get_monotonic_time (), rendered, sealed;
          gsize growth, stored_bytes;
          gboolean tsa_failed;

          if (!save_once (store, fonts, &request, signature_bytes, slow_seal,
                          &rendered, &sealed, &growth, &stored_bytes, &tsa_failed, &error))
            {
              g_printerr ("bench-seal: save.pkcs12-p256+slow-tsa: %s\n", error->message);
              return 1;
            }
          append_ms (slow_ms, start, g_get_monotonic_time ());
          jobs += tsa_failed;
          ck_test_tsa_release (tsa);
        }
      ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
      {
        double median, p99;

        stats (slow_ms, &median, &p99);
        g_print ("%-24s %4u saves    save median %7.2f ms  max %7.2f ms   stored sealed without a time, "
                 "timestamp job queued: %u of %u\n",
                 "save.pkcs12-p256+slow-tsa", slow_ms->len, median,
                 g_array_index (slow_ms, double, slow_ms->len - 1), jobs, slow_ms->len);
        g_print ("{\"bench\":\"save.pkcs12-p256+slow-tsa\",\"saves\":%u,\"median_ms\":%.3f,\"max_ms\":%.3f,"
                 "\"timeout_s\":1,\"timestamp_jobs\":%u}\n",
                 slow_ms->len, median, g_array_index (slow_ms, double, slow_ms->len - 1), jobs);
        if (jobs != slow_ms->len)
          {
            g_printerr ("bench-seal: a save past tsa_timeout_s did not leave a timestamp job\n");
            return 1;
          }
      }
    }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_clear_object (&cases[c].seal);
      g_array_unref (cases[c].total_ms);
      g_array_unref (cases[c].seal_ms);
      g_array_unref (cases[c].save_ms);
      g_array_unref (cases[c].render_ms);
      g_array_unref (cases[c].before_store_ms);
      g_array_unref (cases[c].store_ms);
      g_array_unref (cases[c].growths);
    }
  g_clear_object (&slow_seal);
  g_clear_object (&store);
  ck_test_tsa_stop (tsa);
  ck_test_rm_rf (store_dir);
  ck_test_rm_rf (dir);

  return 0;
}
