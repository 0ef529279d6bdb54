/* bench-verifier.c: what the verification client costs, against curl
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Starts the HTTPS mock of the verification API (tests/mock-idcert, its
 * certificates made now with openssl in a temporary folder) and sends it
 * the same request, a "01" answer each time, four ways in one run:
 *
 *   verifier.reuse      one CkVerifier, --requests verifications in a row
 *                       (ck_verifier_verify_async in a main loop): the
 *                       kiosk's way; the connection is kept and reused
 *   verifier.fresh      a new CkVerifier for each verification, so each
 *                       pays a TCP and a full TLS handshake: every attempt
 *                       did before the connection cache
 *   curl.process-each   one `curl` process a request, as a shell script
 *                       would integrate the API
 *   curl.one-process    one `curl` process with every URL on its command
 *                       line: curl reuses the connection itself; the fair
 *                       peer for the client's own overhead
 *
 * Per request: from the call to its answer (verifier), the process's
 * whole life (curl.process-each) or curl's own time_total of each transfer
 * (curl.one-process); "mean" is the round's wall time divided by the
 * requests, so it also carries curl's start-up in curl.one-process. Each
 * round runs the four ways in a rotated order; a short warm-up comes
 * first. Every answer is checked, and the mock's request log says how many
 * connections each way opened.
 *
 * The AppCode goes to curl in a 0600 header file (-H @FILE), not on its
 * command line. The URL, which carries a made-up name and ID number, is on
 * curl's command line: acceptable against a local mock, never in a
 * deployment.
 *
 *   bench-verifier [--requests N] [--rounds R] [--mock PATH]
 *                  [--make-certs PATH] [--curl PATH]
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"
#include "ck-verifier-private.h"

/* A made-up AppCode, split so that it does not look like a committed secret. */
#define APPCODE   "0123456789abcdef" "0123456789abcdef"
#define ID_NUMBER "11010519491231002X"
#define NAME      "张三"

typedef enum
{
  WAY_VERIFIER_REUSE,
  WAY_VERIFIER_FRESH,
  WAY_CURL_PROCESS_EACH,
  WAY_CURL_ONE_PROCESS,
  N_WAYS
} Way;

static const char *way_labels[N_WAYS] = {
  "verifier.reuse",
  "verifier.fresh",
  "curl.process-each",
  "curl.one-process",
};

typedef struct
{
  GArray *ms;          /* per request, every round */
  GArray *round_ms;    /* wall time of each round */
  guint connections;   /* opened, every round */
} Samples;

typedef struct
{
  const char *curl;
  char *dir;
  char *ca_file;
  char *header_file;
  char *request_log;
  char *url;
  CkConfig *config;
  Samples samples[N_WAYS];
} Bench;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint)(sorted->len * p)));
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* --- the mock's request log ---------------------------------------------- */

static char **
read_log (Bench *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_file_get_contents (b->request_log, &text, NULL, &error);
  g_assert_no_error (error);

  return g_strsplit (g_strchomp (text), "\n", -1);
}

static guint
count_requests (Bench *b)
{
  g_auto(GStrv) lines = read_log (b);

  return lines[0] != NULL && *lines[0] != '\0' ? g_strv_length (lines) : 0;
}

/* The connections the requests after the first @from of the log came on. */
static guint
count_connections (Bench *b,
                   guint  from)
{
  g_auto(GStrv) lines = read_log (b);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = from; lines[i] != NULL; i++)
    {
      const char *field = strrchr (lines[i], '\t');

      g_assert_nonnull (field);
      g_hash_table_add (seen, (gpointer)(field + 1));
    }

  return g_hash_table_size (seen);
}

/* --- the four ways --------------------------------------------------------- */

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
verify_once (CkVerifier *verifier)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ck_verifier_verify_async (verifier, NAME, ID_NUMBER, NULL, on_verified, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  result = ck_verifier_verify_finish (verifier, async_result, &error);
  g_assert_no_error (error);
  if (result->outcome != CK_VERIFY_OUTCOME_VERIFIED)
    g_error ("The verifier got %s: %s", ck_verify_outcome_to_string (result->outcome),
             result->detail ? result->detail : "");
}

static CkVerifier *
new_verifier (Bench *b)
{
  g_autoptr(GError) error = NULL;
  CkVerifier *verifier = ck_verifier_new (b->config, &error);

  g_assert_no_error (error);

  return verifier;
}

static void
run_verifier (Bench    *b,
              guint     n,
              gboolean  reuse,
              GArray   *ms)
{
  g_autoptr(CkVerifier) kept = reuse ? new_verifier (b) : NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CkVerifier) fresh = reuse ? NULL : new_verifier (b);
      gint64 start = g_get_monotonic_time ();
      double t;

      verify_once (reuse ? kept : fresh);
      t = ms_since (start);
      g_array_append_val (ms, t);
    }
}

/* curl's arguments up to the URLs; the options match the verifier's. */
static GPtrArray *
curl_argv (Bench *b)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *fixed[] = {
    "-q",                   /* no ~/.curlrc */
    "-sS",
    "--proto", "=https",
    "--connect-timeout", "5",
    "--max-time", "10",
  };

  g_ptr_array_add (argv, g_strdup (b->curl));
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, g_strdup (fixed[i]));
  g_ptr_array_add (argv, g_strdup ("--max-filesize"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", (guint)CK_VERIFY_BODY_MAX));
  g_ptr_array_add (argv, g_strdup ("--cacert"));
  g_ptr_array_add (argv, g_strdup (b->ca_file));
  g_ptr_array_add (argv, g_strdup ("-H"));
  g_ptr_array_add (argv, g_strconcat ("@", b->header_file, NULL));

  return argv;
}

/* Runs curl to the end; its standard output and error come back. */
static void
run_curl (GPtrArray  *argv,
          char      **out,
          char      **err)
{
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, NULL);
  curl = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (curl, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (curl, NULL, &error);
  if (error != NULL)
    g_error ("curl failed (%s): %s", error->message, *err);
}

static guint
count_verified (const char *bodies)
{
  guint n = 0;

  for (const char *p = bodies; (p = strstr (p, "\"status\":\"01\"")) != NULL; p++)
    n++;

  return n;
}

static void
run_curl_each (Bench  *b,
               guint   n,
               GArray *ms)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) argv = curl_argv (b);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      gint64 start = g_get_monotonic_time ();
      double t;

      g_ptr_array_add (argv, g_strdup (b->url));
      run_curl (argv, &out, &err);
      t = ms_since (start);
      g_assert_cmpuint (count_verified (out), ==, 1);
      g_array_append_val (ms, t);
    }
}

static void
run_curl_one (Bench  *b,
              guint   n,
              GArray *ms)
{
  g_autoptr(GPtrArray) argv = curl_argv (b);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  /* After each transfer, on standard error: its status and its time. */
  g_ptr_array_add (argv, g_strdup ("-w"));
  g_ptr_array_add (argv, g_strdup ("%{stderr}%{http_code} %{time_total}\\n"));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (argv, g_strdup (b->url));
  run_curl (argv, &out, &err);

  g_assert_cmpuint (count_verified (out), ==, n);
  lines = g_strsplit (g_strchomp (err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n);
  for (guint i = 0; i < n; i++)
    {
      char *end = NULL;
      double t;

      g_assert_true (g_str_has_prefix (lines[i], "200 "));
      t = g_ascii_strtod (lines[i] + 4, &end) * 1000.0;
      g_assert_true (end != lines[i] + 4 && *end == '\0');
      g_array_append_val (ms, t);
    }
}

/* Runs @way @n times; when @record, its times and connections count. */
static void
run_way (Bench   *b,
         Way      way,
         guint    n,
         gboolean record)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  Samples *s = &b->samples[way];
  guint before = count_requests (b);
  gint64 start = g_get_monotonic_time ();
  double round_ms;

  switch (way)
    {
    case WAY_VERIFIER_REUSE:    run_verifier (b, n, TRUE, ms); break;
    case WAY_VERIFIER_FRESH:    run_verifier (b, n, FALSE, ms); break;
    case WAY_CURL_PROCESS_EACH: run_curl_each (b, n, ms); break;
    case WAY_CURL_ONE_PROCESS:  run_curl_one (b, n, ms); break;
    case N_WAYS:
    default:                    g_assert_not_reached ();
    }
  round_ms = ms_since (start);

  /* Each request reached the mock once. */
  g_assert_cmpuint (count_requests (b), ==, before + n);
  if (!record)
    return;

  g_array_append_vals (s->ms, ms->data, ms->len);
  g_array_append_val (s->round_ms, round_ms);
  s->connections += count_connections (b, before);
}

/* --- set-up and report ------------------------------------------------------ */

static void
write_private (const char *path,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static CkConfig *
make_config (Bench *b,
             guint  port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (b->dir, "kiosk.conf", NULL);
  g_autofree char *none = g_build_filename (b->dir, "none.conf", NULL);
  g_autofree char *appcode = g_build_filename (b->dir, "appcode", NULL);
  g_autofree char *text = NULL;
  CkConfig *config;

  write_private (appcode, APPCODE "\n");
  text = g_strdup_printf ("[verification]\n"
                          "provider = aliyun-idcert\n"
                          "endpoint = https://127.0.0.1:%u/idcard\n"
                          "appcode_file = %s\n"
                          "ca_file = %s\n"
                          "connect_timeout_s = 5\n"
                          "timeout_s = 10\n",
                          port, appcode, b->ca_file);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);

  return config;
}

/* The URL the verifier sends, for curl. */
static char *
make_url (guint port)
{
  g_autofree char *name = g_uri_escape_string (NAME, NULL, FALSE);

  return g_strdup_printf ("https://127.0.0.1:%u/idcard?idCard=%s&name=%s", port, ID_NUMBER, name);
}

static char *
curl_version (const char *curl)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, curl, "--version", NULL);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_wait_check (process, NULL, &error))
    {
      g_printerr ("bench-verifier: cannot run %s (%s); scripts/install-deps installs curl\n",
                  curl, error->message);
      exit (1);
    }
  {
    /* "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.11": the
     * first line, up to the TLS library. */
    g_auto(GStrv) words = NULL;

    out[strcspn (out, "\n")] = '\0';
    words = g_strsplit (out, " ", 6);
    if (g_strv_length (words) == 6)
      {
        g_free (words[5]);
        words[5] = NULL;
      }

    return g_strjoinv (" ", words);
  }
}

static void
report (Bench *b,
        Way    way,
        guint  requests,
        guint  rounds)
{
  Samples *s = &b->samples[way];
  double median, p95, per_request, round_ms;

  g_array_sort (s->ms, compare_doubles);
  g_array_sort (s->round_ms, compare_doubles);
  median = percentile (s->ms, 0.5);
  p95 = percentile (s->ms, 0.95);
  round_ms = percentile (s->round_ms, 0.5);
  per_request = round_ms / requests;

  g_print ("%-18s %6u requests   median %7.3f ms   p95 %7.3f ms   mean %7.3f ms   "
           "round %9.1f ms   connections %u\n",
           way_labels[way], s->ms->len, median, p95, per_request, round_ms, s->connections);
  g_print ("{\"bench\":\"%s\",\"requests\":%u,\"rounds\":%u,\"median_ms\":%.3f,\"p95_ms\":%.3f,"
           "\"mean_ms\":%.3f,\"round_ms\":%.1f,\"connections\":%u}\n",
           way_labels[way], requests, rounds, median, p95, per_request, round_ms, s->connections);
}

static double
median_of (Bench *b,
           Way    way)
{
  return percentile (b->samples[way].ms, 0.5);
}

static double
mean_of (Bench *b,
         Way    way,
         guint  requests)
{
  return percentile (b->samples[way].round_ms, 0.5) / requests;
}

static void
report_ratio (Bench      *b,
              Way         a,
              Way         c,
              guint       requests,
              const char *meaning)
{
  double median = median_of (b, a) / median_of (b, c);
  double per_request = mean_of (b, a, requests) / mean_of (b, c, requests);

  g_print ("ratio %s / %s   median %.2f   mean %.2f   (%s)\n",
           way_labels[a], way_labels[c], median, per_request, meaning);
  g_print ("{\"bench\":\"ratio.%s/%s\",\"median\":%.3f,\"mean\":%.3f}\n",
           way_labels[a], way_labels[c], median, per_request);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  CkTestMock *mock = NULL;
  g_autofree char *mock_path = NULL;
  g_autofree char *make_certs = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *header = NULL;
  g_autofree char *version = NULL;
  Bench b = { 0 };
  int requests = 200, rounds = 5;
  double handshake;
  const GOptionEntry entries[] = {
    { "requests", 'n', 0, G_OPTION_ARG_INT, &requests, "Requests a way sends in a round", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds", "R" },
    { "mock", 0, 0, G_OPTION_ARG_FILENAME, &mock_path, "The mock (tests/mock-idcert)", "PATH" },
    { "make-certs", 0, 0, G_OPTION_ARG_FILENAME, &make_certs, "make-certs.sh of the mock", "PATH" },
    { "curl", 0, 0, G_OPTION_ARG_FILENAME, &curl, "The curl command-line tool", "PATH" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark the verification client against curl");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || requests < 1 || rounds < 1)
    {
      g_printerr ("bench-verifier: %s\n", error ? error->message : "--requests and --rounds must be positive");
      return 2;
    }

  ck_test_mock_clear_env ();
  ck_init ();

  b.curl = curl ? curl : "curl";
  version = curl_version (b.curl);
  b.dir = g_dir_make_tmp ("bench-verifier-XXXXXX", &error);
  g_assert_no_error (error);
  b.header_file = g_build_filename (b.dir, "headers", NULL);

  mock = ck_test_mock_start_with (b.dir, mock_path ? mock_path : CK_BENCH_MOCK_IDCERT,
                                  make_certs ? make_certs : CK_BENCH_MAKE_CERTS);
  b.ca_file = g_build_filename (mock->cert_dir, "ca.pem", NULL);
  b.request_log = g_strdup (mock->request_log);
  b.config = make_config (&b, mock->good_port);
  b.url = make_url (mock->good_port);
  /* The verifier's request headers, the AppCode among them: not on curl's
   * command line, where every user can read it. */
  header = g_strdup ("Authorization: APPCODE " APPCODE "\nAccept: application/json\n");
  write_private (b.header_file, header);
  explicit_bzero (header, strlen (header));

  for (guint w = 0; w < N_WAYS; w++)
    {
      b.samples[w].ms = g_array_new (FALSE, FALSE, sizeof (double));
      b.samples[w].round_ms = g_array_new (FALSE, FALSE, sizeof (double));
    }

  g_print ("# bench-verifier: %d requests x %d rounds a way, local mock https://127.0.0.1:%u; %s\n",
           requests, rounds, mock->good_port, version);

  for (guint w = 0; w < N_WAYS; w++)
    run_way (&b, w, MIN (requests, 5), FALSE);
  for (int r = 0; r < rounds; r++)
    for (guint w = 0; w < N_WAYS; w++)
      run_way (&b, (w + r) % N_WAYS, requests, TRUE);

  for (guint w = 0; w < N_WAYS; w++)
    report (&b, w, requests, rounds);
  report_ratio (&b, WAY_VERIFIER_REUSE, WAY_CURL_ONE_PROCESS, requests,
                "the client's overhead against curl's, both reusing the connection");
  report_ratio (&b, WAY_CURL_PROCESS_EACH, WAY_VERIFIER_REUSE, requests,
                "a curl process a request against the kiosk's client");
  handshake = median_of (&b, WAY_VERIFIER_FRESH) - median_of (&b, WAY_VERIFIER_REUSE);
  g_print ("handshake verifier.fresh - verifier.reuse   median %.3f ms a request "
           "(TCP + TLS set-up, what reuse saves)\n", handshake);
  g_print ("{\"bench\":\"handshake\",\"median_ms\":%.3f}\n", handshake);

  ck_test_mock_stop (g_steal_pointer (&mock));
  ck_test_rm_rf (b.dir);
  for (guint w = 0; w < N_WAYS; w++)
    {
      g_array_unref (b.samples[w].ms);
      g_array_unref (b.samples[w].round_ms);
    }
  g_clear_object (&b.config);
  g_free (b.dir);
  g_free (b.ca_file);
  g_free (b.header_file);
  g_free (b.request_log);
  g_free (b.url);

  return 0;
}
