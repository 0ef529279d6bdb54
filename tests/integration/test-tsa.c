/* test-tsa.c: the RFC 3161 client (CkTsa) against the test TSA
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes the test PKI (tests/pki/make-test-pki.sh), starts the in-process
 * TSA (tests/ck-test-tsa.h) and points a CkTsa at it in each of its
 * modes: each bad answer must give its error code and a message that says
 * what was wrong; a good token must verify with `openssl ts -verify` and
 * with _ck_tsa_verify_token(). Nothing waits for a duration: the slow TSA
 * holds its answer until the test releases it, so a client with a timeout
 * of 1 s always times out and a released client always gets its token. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ck-init.h"
#include "ck-seal.h"
#include "ck-test-mock.h"
#include "ck-test-tsa.h"
#include "ck-test-util.h"
#include "ck-tsa-private.h"

static char *tmp_dir;
static char *pki_dir;
static char *tsa_ca;
static CkTestTsa *tsa;

/* --- helpers ------------------------------------------------------------- */

static void
random_digest (guint8 *digest)
{
  for (guint i = 0; i < 32; i++)
    digest[i] = (guint8)g_random_int_range (0, 256);
}

static char *
hex (const guint8 *digest)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (text, "%02x", digest[i]);

  return g_string_free (text, FALSE);
}

static CkTsa *
make_tsa (const char *url,
          guint       timeout_s)
{
  g_autoptr(GError) error = NULL;
  CkTsa *client = ck_tsa_new (url ? url : ck_test_tsa_get_url (tsa), tsa_ca, timeout_s, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);

  return client;
}

/* Stamps a random digest in @mode; the error, which must be in
 * CK_SEAL_ERROR with @code and name the TSA. */
static GError *
stamp_failing (CkTestTsaMode mode,
               int           code)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 5);
  g_autoptr(GBytes) token = NULL;
  GError *error = NULL;
  guint8 digest[32];
  guint before = ck_test_tsa_count_requests (tsa);

  random_digest (digest);
  ck_test_tsa_set_mode (tsa, mode);
  token = ck_tsa_stamp (client, digest, &error);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);

  g_assert_null (token);
  g_assert_error (error, CK_SEAL_ERROR, code);
  g_test_message ("%s", error->message);
  ck_test_assert_contains (error->message, ck_test_tsa_get_url (tsa));
  g_assert_cmpuint (ck_test_tsa_count_requests (tsa), ==, before + 1);

  return error;
}

/* `openssl ts -verify` on @token over @digest, trusting @ca. */
static char *
openssl_verify (GBytes       *token,
                const guint8 *digest,
                const char   *ca)
{
  g_autofree char *path = g_build_filename (tmp_dir, "token.der", NULL);
  g_autofree char *digest_hex = hex (digest);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = {
    "openssl", "ts", "-verify", "-digest", digest_hex, "-in", path, "-token_in",
    "-CAfile", ca, NULL,
  };
  int status = 0;

  g_file_set_contents (path, g_bytes_get_data (token, NULL), (gssize)g_bytes_get_size (token), &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_unlink (path);

  return g_strconcat (out, err, NULL);
}

static void
assert_iso_utc (const char *time)
{
  g_assert_nonnull (time);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                                       time, 0, 0));
}

/* --- good ----------------------------------------------------------------- */

static void
test_good (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 5);
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *verified = NULL;
  g_autofree char *gen_time = NULL;
  g_autofree char *tsa_name = NULL;
  g_autofree char *parsed_time = NULL;
  g_autofree char *parsed_name = NULL;
  g_autofree char *root = g_build_filename (pki_dir, "root.pem", NULL);
  X509_STORE *store;
  guint8 digest[32];
  guint8 imprint[32];
  guint8 other[32];

  random_digest (digest);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  token = ck_tsa_stamp (client, digest, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (g_bytes_get_size (token), >, 500);
  g_assert_cmpuint (g_bytes_get_size (token), <, 4096);

  /* openssl, on its own, with the TSA's CA only. */
  verified = openssl_verify (token, digest, tsa_ca);
  ck_test_assert_contains (verified, "Verification: OK");

  /* The verifier's helpers. */
  store = _ck_tsa_load_ca_file (tsa_ca, &error);
  g_assert_no_error (error);
  g_assert_true (_ck_tsa_verify_token (token, digest, store, &gen_time, &tsa_name, &error));
  g_assert_no_error (error);
  assert_iso_utc (gen_time);
  g_assert_cmpstr (tsa_name, ==, "C = CN, O = Consent Kiosk Test TSA, CN = Test Time Stamping Authority");

  g_assert_true (_ck_tsa_parse_token (token, &parsed_time, &parsed_name, imprint, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed_time, ==, gen_time);
  g_assert_cmpstr (parsed_name, ==, tsa_name);
  g_assert_cmpmem (imprint, 32, digest, 32);

  /* Another digest: not this token's. */
  memcpy (other, digest, 32);
  other[31] ^= 1;
  g_assert_false (_ck_tsa_verify_token (token, other, store, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  ck_test_assert_contains (error->message, "message imprint");
  g_clear_error (&error);
  X509_STORE_free (store);

  /* Another CA (the seal's root): not trusted. */
  g_assert_false (_ck_tsa_verify_token_with_ca_file (token, digest, root, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  ck_test_assert_contains (error->message, "not signed by a trusted time-stamping authority");
  g_clear_error (&error);
  g_free (verified);
  verified = openssl_verify (token, digest, root);
  g_assert_null (strstr (verified, "Verification: OK"));

  /* The same with the CA file by name. */
  g_assert_true (_ck_tsa_verify_token_with_ca_file (token, digest, tsa_ca, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_token_bytes (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 5);
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) padded = NULL;
  g_autoptr(GBytes) trailing = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a token", 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  guint8 digest[32];

  random_digest (digest);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  token = ck_tsa_stamp (client, digest, &error);
  g_assert_no_error (error);

  /* Zeros after it, as in a PDF's /Contents: still the token. */
  bytes = g_byte_array_new ();
  g_byte_array_append (bytes, g_bytes_get_data (token, NULL), g_bytes_get_size (token));
  g_byte_array_set_size (bytes, bytes->len + 64);
  memset (bytes->data + g_bytes_get_size (token), 0, 64);
  padded = g_bytes_new (bytes->data, bytes->len);
  g_assert_true (_ck_tsa_verify_token_with_ca_file (padded, digest, tsa_ca, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Anything else after it: not a token. */
  bytes->data[bytes->len - 1] = 'x';
  trailing = g_bytes_new (bytes->data, bytes->len);
  g_assert_false (_ck_tsa_parse_token (trailing, NULL, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  g_clear_error (&error);

  cut = g_bytes_new_from_bytes (token, 0, g_bytes_get_size (token) - 1);
  g_assert_false (_ck_tsa_verify_token_with_ca_file (cut, digest, tsa_ca, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (_ck_tsa_parse_token (garbage, NULL, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  ck_test_assert_contains (error->message, "not an RFC 3161 time-stamp token");
}

static void
test_stamp_data (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 5);
  g_autoptr(GBytes) data = g_bytes_new_static ("a CMS signature value", 21);
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *verified = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_checksum_get_digest (checksum, digest, &length);

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  token = ck_tsa_stamp_data (client, data, &error);
  g_assert_no_error (error);
  verified = openssl_verify (token, digest, tsa_ca);
  ck_test_assert_contains (verified, "Verification: OK");
}

/* --- every bad answer ----------------------------------------------------- */

static void
test_http_500 (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_HTTP_500, CK_SEAL_ERROR_TSA_UNREACHABLE);

  ck_test_assert_contains (error->message, "HTTP status 500 instead of 200");
}

static void
test_garbage (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_GARBAGE, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "is not an RFC 3161 time-stamp reply");
}

static void
test_huge (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_HUGE, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "more than 64 KB");
}

static void
test_wrong_nonce (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_WRONG_NONCE, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "its nonce is not the one sent");
}

static void
test_wrong_imprint (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_WRONG_IMPRINT, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "its message imprint is not the SHA-256 that was sent");
}

static void
test_untrusted (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_UNTRUSTED, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "is not signed by a trusted time-stamping authority");
  ck_test_assert_contains (error->message, "unable to get local issuer certificate");
}

static void
test_rejection (void)
{
  g_autoptr(GError) error = stamp_failing (CK_TEST_TSA_REJECTION, CK_SEAL_ERROR_TSA_REPLY);

  ck_test_assert_contains (error->message, "did not grant the time-stamp: status rejection");
  ck_test_assert_contains (error->message, "systemFailure");
  ck_test_assert_contains (error->message, CK_TEST_TSA_REJECTION_TEXT);
}

/* --- slow, refused -------------------------------------------------------- */

static void
test_slow_timeout (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 1);
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint8 digest[32];

  random_digest (digest);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_SLOW);
  /* The TSA holds the answer until released: the client times out. */
  token = ck_tsa_stamp (client, digest, &error);
  g_assert_null (token);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE);
  expected = g_strdup_printf ("The time-stamping authority %s did not answer within 1 second.",
                              ck_test_tsa_get_url (tsa));
  g_assert_cmpstr (error->message, ==, expected);
  /* However late the TSA's thread got to it, it holds the request. */
  ck_test_tsa_wait_held (tsa, 1);
  g_assert_cmpuint (ck_test_tsa_count_held (tsa), ==, 1);

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  ck_test_tsa_release (tsa);   /* to a client that has gone */
  g_assert_cmpuint (ck_test_tsa_count_held (tsa), ==, 0);
}

typedef struct
{
  CkTsa *client;
  guint8 digest[32];
  GBytes *token;
  GError *error;
} Stamp;

static gpointer
stamp_thread (gpointer data)
{
  Stamp *stamp = data;

  stamp->token = ck_tsa_stamp (stamp->client, stamp->digest, &stamp->error);

  return NULL;
}

static void
test_slow_released (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 120);
  Stamp stamp = { client, { 0 }, NULL, NULL };
  GThread *thread;

  random_digest (stamp.digest);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_SLOW);
  thread = g_thread_new ("stamp", stamp_thread, &stamp);
  ck_test_tsa_wait_held (tsa, 1);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  ck_test_tsa_release (tsa);
  g_thread_join (thread);

  g_assert_no_error (stamp.error);
  g_assert_nonnull (stamp.token);
  g_assert_true (_ck_tsa_verify_token_with_ca_file (stamp.token, stamp.digest, tsa_ca, NULL, NULL, &stamp.error));
  g_assert_no_error (stamp.error);
  g_bytes_unref (stamp.token);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(CkTsa) client = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autofree char *url = NULL;
  guint8 digest[32];

  /* A port bound but not listening: every connection is refused, and no
   * one else can take the port while the socket is open. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/tsa",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = make_tsa (url, 5);
  random_digest (digest);
  token = ck_tsa_stamp (client, digest, &error);
  g_assert_null (token);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE);
  ck_test_assert_contains (error->message, url);
  ck_test_assert_contains (error->message, "could not be reached");
  ck_test_assert_contains (error->message, "of the 5 allowed");
  g_socket_close (socket, NULL);
}

/* --- threads, configuration, secrets, translation ------------------------- */

#define N_THREADS 4
#define N_STAMPS 3

static gpointer
stamp_several (gpointer data)
{
  CkTsa *client = data;

  for (guint i = 0; i < N_STAMPS; i++)
    {
      g_autoptr(GBytes) token = NULL;
      g_autoptr(GError) error = NULL;
      guint8 digest[32];

      random_digest (digest);
      token = ck_tsa_stamp (client, digest, &error);
      g_assert_no_error (error);
      g_assert_true (_ck_tsa_verify_token_with_ca_file (token, digest, tsa_ca, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_concurrent (void)
{
  g_autoptr(CkTsa) client = make_tsa (NULL, 30);
  GThread *threads[N_THREADS];
  guint before = ck_test_tsa_count_requests (tsa);

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("stamp", stamp_several, client);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (ck_test_tsa_count_requests (tsa), ==, before + N_THREADS * N_STAMPS);
}

static void
test_ca_file (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-ca.pem", NULL);
  g_autofree char *empty = g_build_filename (tmp_dir, "not-a-ca.pem", NULL);
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkTsa) client = NULL;
  guint8 digest[32] = { 0 };

  client = ck_tsa_new (ck_test_tsa_get_url (tsa), missing, 5, &error);
  g_assert_null (client);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
  ck_test_assert_contains (error->message, missing);
  g_clear_error (&error);

  g_file_set_contents (empty, "no certificate here\n", -1, &error);
  g_assert_no_error (error);
  client = ck_tsa_new (ck_test_tsa_get_url (tsa), empty, 5, &error);
  g_assert_null (client);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
  ck_test_assert_contains (error->message, "holds no PEM certificate");
  g_clear_error (&error);

  g_assert_false (_ck_tsa_verify_token_with_ca_file (nothing, digest, missing, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
}

static void
test_bad_url (void)
{
  static const char * const urls[] = { "ftp://127.0.0.1/tsa", "file:///etc/passwd", "http://", "not a url" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkTsa) client = ck_tsa_new (urls[i], tsa_ca, 5, &error);

      g_assert_null (client);
      g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE);
    }
}

static void
test_url_secrets (void)
{
  const char *url = ck_test_tsa_get_url (tsa);
  g_autofree char *with_secrets = NULL;
  g_autoptr(CkTsa) client = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;
  guint8 digest[32];

  /* http://127.0.0.1:PORT/tsa → http://kiosk:pw-SECRET@127.0.0.1:PORT/tsa?key=SECRET */
  g_assert_true (g_str_has_prefix (url, "http://"));
  with_secrets = g_strdup_printf ("http://kiosk:pw-SECRET@%s?key=SECRET#SECRET", url + strlen ("http://"));
  client = make_tsa (with_secrets, 5);

  random_digest (digest);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_HTTP_500);
  token = ck_tsa_stamp (client, digest, &error);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE);
  ck_test_assert_contains (error->message, url);
  g_assert_null (strstr (error->message, "SECRET"));
  g_assert_null (strstr (error->message, "kiosk"));
}

static void
test_translated (void)
{
  g_auto(CkTestLocale) locale = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (!ck_test_locale_use_chinese (&locale))
    return;

  error = stamp_failing (CK_TEST_TSA_HTTP_500, CK_SEAL_ERROR_TSA_UNREACHABLE);
  expected = g_strdup_printf ("时间戳服务机构 %s 返回了 HTTP 状态 500，而不是 200。", ck_test_tsa_get_url (tsa));
  g_assert_cmpstr (error->message, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  ck_test_mock_clear_env ();   /* no proxy between the client and the TSA */
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  tmp_dir = g_dir_make_tmp ("test-tsa-XXXXXX", &error);
  g_assert_no_error (error);
  pki_dir = g_build_filename (tmp_dir, "pki", NULL);
  ck_test_make_pki (pki_dir, NULL);
  tsa_ca = g_build_filename (pki_dir, "tsa-root.pem", NULL);
  tsa = ck_test_tsa_start (pki_dir);

  g_test_add_func ("/tsa/good", test_good);
  g_test_add_func ("/tsa/token-bytes", test_token_bytes);
  g_test_add_func ("/tsa/stamp-data", test_stamp_data);
  g_test_add_func ("/tsa/mode/http-500", test_http_500);
  g_test_add_func ("/tsa/mode/garbage", test_garbage);
  g_test_add_func ("/tsa/mode/huge", test_huge);
  g_test_add_func ("/tsa/mode/wrong-nonce", test_wrong_nonce);
  g_test_add_func ("/tsa/mode/wrong-imprint", test_wrong_imprint);
  g_test_add_func ("/tsa/mode/untrusted", test_untrusted);
  g_test_add_func ("/tsa/mode/rejection", test_rejection);
  g_test_add_func ("/tsa/slow/timeout", test_slow_timeout);
  g_test_add_func ("/tsa/slow/released", test_slow_released);
  g_test_add_func ("/tsa/refused", test_refused);
  g_test_add_func ("/tsa/concurrent", test_concurrent);
  g_test_add_func ("/tsa/ca-file", test_ca_file);
  g_test_add_func ("/tsa/bad-url", test_bad_url);
  g_test_add_func ("/tsa/url-secrets", test_url_secrets);
  g_test_add_func ("/tsa/translated", test_translated);

  status = g_test_run ();

  ck_test_tsa_stop (tsa);
  ck_test_rm_rf (tmp_dir);
  g_free (tsa_ca);
  g_free (pki_dir);
  g_free (tmp_dir);

  return status;
}
