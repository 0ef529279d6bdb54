/* ck-test-tsa.c: an RFC 3161 time-stamping authority for tests, in-process
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Nothing in Debian 12 serves RFC 3161, so the tests run their own TSA:
 * a libsoup 3 server on 127.0.0.1 (a port it picks), answering POST /tsa
 * with OpenSSL's TS_RESP_CTX (signer tsa.pem/tsa.key of the test PKI,
 * SHA-256, policy CK_TEST_TSA_POLICY, accuracy 1 s, serials 1, 2, …).
 *
 * The server runs in a thread of its own, with its own GMainContext, so
 * that a test may block in ck_tsa_stamp() on its main thread (or any
 * other) while the TSA answers. The test switches the answer with
 * ck_test_tsa_set_mode() (CkTestTsaMode), and waits for the TSA to reach
 * a state (a number of requests received, of requests held) rather than
 * for a duration: CK_TEST_TSA_SLOW holds every request, unanswered, until
 * the test calls ck_test_tsa_release(), and ck_test_tsa_stop() ends what
 * is still held. So a client with a timeout of 1 s always times out, and a
 * client whose request is released always gets its answer, however slow
 * the machine.
 *
 * A request that is not a POST of application/timestamp-query to /tsa is
 * answered 415 or 404 (and counted): a client that gets a token sent
 * what a TSA expects. */

#include "config.h"

#include <libsoup/soup.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <string.h>

#include "ck-test-tsa.h"

#define HUGE_SIZE (100 * 1024)

struct _CkTestTsa
{
  /* Set before the thread starts, then only read. */
  X509 *cert;
  EVP_PKEY *key;
  X509 *rogue_cert;
  EVP_PKEY *rogue_key;
  ASN1_OBJECT *policy;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;

  /* The server thread's own. */
  GSocketService *service;
  SoupServer *server;
  GPtrArray *held;   /* SoupServerMessage, paused */

  /* Shared, under lock. */
  GMutex lock;
  GCond changed;
  gboolean ready;
  char *url;
  char *start_error;
  CkTestTsaMode mode;
  guint requests;
  guint n_held;
  guint releases;
  guint64 serial;
};

/* --- the PKI ------------------------------------------------------------ */

/**
 * ck_test_make_pki:
 * @dir: a folder (made if missing)
 * @option: (nullable): "--softhsm", "--nss" or %NULL
 *
 * Runs tests/pki/make-test-pki.sh (the environment names it in
 * CK_MAKE_TEST_PKI, as tests/meson.build sets it) into @dir.
 */
void
ck_test_make_pki (const char *dir,
                  const char *option)
{
  const char *script = g_getenv ("CK_MAKE_TEST_PKI");
  const char *argv[] = { "sh", script, dir, option, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (script);
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("make-test-pki.sh failed: %s", err);
}

static X509 *
load_cert (const char *dir,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.pem", dir, name);
  BIO *bio = BIO_new_file (path, "r");
  X509 *cert;

  g_assert_nonnull (bio);
  cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (cert);

  return cert;
}

static EVP_PKEY *
load_key (const char *dir,
          const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.key", dir, name);
  BIO *bio = BIO_new_file (path, "r");
  EVP_PKEY *key;

  g_assert_nonnull (bio);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (key);

  return key;
}

/* --- answers (server thread) -------------------------------------------- */

static ASN1_INTEGER *
next_serial (TS_RESP_CTX *ctx,
             void        *data)
{
  CkTestTsa *tsa = data;
  ASN1_INTEGER *serial = ASN1_INTEGER_new ();
  guint64 value;

  g_mutex_lock (&tsa->lock);
  value = ++tsa->serial;
  g_mutex_unlock (&tsa->lock);
  ASN1_INTEGER_set_uint64 (serial, value);

  return serial;
}

/* A serial callback that refuses: the response becomes a rejection with
 * this status, as a TSA that cannot serve says. */
static ASN1_INTEGER *
refuse (TS_RESP_CTX *ctx,
        void        *data)
{
  TS_RESP_CTX_set_status_info (ctx, TS_STATUS_REJECTION, CK_TEST_TSA_REJECTION_TEXT);
  TS_RESP_CTX_add_failure_info (ctx, TS_INFO_SYSTEM_FAILURE);

  return NULL;
}

/* The request as @mode falsifies it: another nonce, another imprint. */
static GBytes *
falsify_request (GBytes        *request,
                 CkTestTsaMode  mode)
{
  gsize length = 0;
  const unsigned char *p = g_bytes_get_data (request, &length);
  TS_REQ *req = d2i_TS_REQ (NULL, &p, (long)length);
  unsigned char *der = NULL;
  GBytes *bytes;
  int der_length;

  if (req == NULL)
    return g_bytes_ref (request);   /* TS_RESP_create_response rejects it */

  if (mode == CK_TEST_TSA_WRONG_NONCE)
    {
      const ASN1_INTEGER *nonce = TS_REQ_get_nonce (req);
      BIGNUM *bn = nonce ? ASN1_INTEGER_to_BN (nonce, NULL) : BN_new ();
      ASN1_INTEGER *other;

      g_assert_true (BN_add_word (bn, 1));
      other = BN_to_ASN1_INTEGER (bn, NULL);
      g_assert_true (TS_REQ_set_nonce (req, other));
      ASN1_INTEGER_free (other);
      BN_free (bn);
    }
  else if (mode == CK_TEST_TSA_WRONG_IMPRINT)
    {
      TS_MSG_IMPRINT *imprint = TS_REQ_get_msg_imprint (req);
      ASN1_OCTET_STRING *message = TS_MSG_IMPRINT_get_msg (imprint);
      g_autofree guint8 *other = g_memdup2 (ASN1_STRING_get0_data (message),
                                            (gsize)ASN1_STRING_length (message));

      if (ASN1_STRING_length (message) > 0)
        other[0] ^= 0xff;
      g_assert_true (TS_MSG_IMPRINT_set_msg (imprint, other, ASN1_STRING_length (message)));
    }

  der_length = i2d_TS_REQ (req, &der);
  g_assert_cmpint (der_length, >, 0);
  bytes = g_bytes_new (der, (gsize)der_length);
  OPENSSL_free (der);
  TS_REQ_free (req);

  return bytes;
}

/* The DER reply to @request in @mode (any but the HTTP-level ones). */
static GBytes *
make_reply (CkTestTsa     *tsa,
            GBytes        *request,
            CkTestTsaMode  mode)
{
  g_autoptr(GBytes) falsified = falsify_request (request, mode);
  gboolean rogue = mode == CK_TEST_TSA_UNTRUSTED;
  TS_RESP_CTX *ctx = TS_RESP_CTX_new ();
  unsigned char *der = NULL;
  TS_RESP *resp;
  GBytes *bytes;
  BIO *bio;
  int length;

  g_assert_nonnull (ctx);
  g_assert_true (TS_RESP_CTX_set_signer_cert (ctx, rogue ? tsa->rogue_cert : tsa->cert));
  g_assert_true (TS_RESP_CTX_set_signer_key (ctx, rogue ? tsa->rogue_key : tsa->key));
  g_assert_true (TS_RESP_CTX_set_signer_digest (ctx, EVP_sha256 ()));
  g_assert_true (TS_RESP_CTX_set_ess_cert_id_digest (ctx, EVP_sha256 ()));
  g_assert_true (TS_RESP_CTX_set_def_policy (ctx, tsa->policy));
  g_assert_true (TS_RESP_CTX_add_md (ctx, EVP_sha256 ()));
  g_assert_true (TS_RESP_CTX_add_md (ctx, EVP_sha384 ()));
  g_assert_true (TS_RESP_CTX_add_md (ctx, EVP_sha512 ()));
  g_assert_true (TS_RESP_CTX_set_accuracy (ctx, 1, 0, 0));
  TS_RESP_CTX_add_flags (ctx, TS_TSA_NAME);
  if (mode == CK_TEST_TSA_REJECTION)
    TS_RESP_CTX_set_serial_cb (ctx, refuse, tsa);
  else
    TS_RESP_CTX_set_serial_cb (ctx, next_serial, tsa);

  bio = BIO_new_mem_buf (g_bytes_get_data (falsified, NULL), (int)g_bytes_get_size (falsified));
  resp = TS_RESP_create_response (ctx, bio);
  g_assert_nonnull (resp);
  length = i2d_TS_RESP (resp, &der);
  g_assert_cmpint (length, >, 0);
  bytes = g_bytes_new (der, (gsize)length);

  OPENSSL_free (der);
  TS_RESP_free (resp);
  BIO_free (bio);
  TS_RESP_CTX_free (ctx);
  ERR_clear_error ();   /* a rejection leaves OpenSSL's reasons queued */

  return bytes;
}

static void
answer (CkTestTsa         *tsa,
        SoupServerMessage *msg,
        CkTestTsaMode      mode)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) reply = NULL;

  switch (mode)
    {
    case CK_TEST_TSA_HTTP_500:
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "error", 5);
      return;
    case CK_TEST_TSA_GARBAGE:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_STATIC,
                                        "<html>not a time-stamp</html>", 29);
      return;
    case CK_TEST_TSA_HUGE:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_TAKE,
                                        g_malloc0 (HUGE_SIZE), HUGE_SIZE);
      return;
    case CK_TEST_TSA_SLOW:
      mode = CK_TEST_TSA_GOOD;   /* released */
      break;
    case CK_TEST_TSA_GOOD:
    case CK_TEST_TSA_WRONG_NONCE:
    case CK_TEST_TSA_WRONG_IMPRINT:
    case CK_TEST_TSA_UNTRUSTED:
    case CK_TEST_TSA_REJECTION:
    default:
      break;
    }

  request = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  reply = make_reply (tsa, request, mode);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static void
held_finished (SoupServerMessage *msg,
               gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "ck-test-tsa-finished", GINT_TO_POINTER (1));
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  CkTestTsa *tsa = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  CkTestTsaMode mode;

  g_mutex_lock (&tsa->lock);
  tsa->requests++;
  mode = tsa->mode;
  g_cond_broadcast (&tsa->changed);
  g_mutex_unlock (&tsa->lock);

  if (!g_str_equal (path, "/tsa"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (!g_str_equal (soup_server_message_get_method (msg), "POST") ||
      g_strcmp0 (type, "application/timestamp-query") != 0)
    {
      soup_server_message_set_status (msg, 415, NULL);
      return;
    }

  if (mode == CK_TEST_TSA_SLOW)
    {
      g_signal_connect (msg, "finished", G_CALLBACK (held_finished), NULL);
      soup_server_message_pause (msg);
      g_ptr_array_add (tsa->held, g_object_ref (msg));
      g_mutex_lock (&tsa->lock);
      tsa->n_held++;
      g_cond_broadcast (&tsa->changed);
      g_mutex_unlock (&tsa->lock);
      return;
    }

  answer (tsa, msg, mode);
}

/* Answers every held request: good, or (@stopping) 503. */
static void
release_held (CkTestTsa *tsa,
              gboolean   stopping)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&tsa->held);

  tsa->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < held->len; i++)
    {
      SoupServerMessage *msg = held->pdata[i];

      g_signal_handlers_disconnect_by_func (msg, held_finished, NULL);
      if (g_object_get_data (G_OBJECT (msg), "ck-test-tsa-finished") != NULL)
        continue;   /* the client gave up, and libsoup is done with it */
      if (stopping)
        soup_server_message_set_status (msg, 503, NULL);
      else
        answer (tsa, msg, CK_TEST_TSA_SLOW);
      soup_server_message_unpause (msg);
    }

  g_mutex_lock (&tsa->lock);
  tsa->n_held = 0;
  if (!stopping)
    tsa->releases++;
  g_cond_broadcast (&tsa->changed);
  g_mutex_unlock (&tsa->lock);
}

static gboolean
release_in_thread (gpointer data)
{
  release_held (data, FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
quit_in_thread (gpointer data)
{
  CkTestTsa *tsa = data;

  g_main_loop_quit (tsa->loop);

  return G_SOURCE_REMOVE;
}

/* Connections are accepted here and handed to the server, rather than
 * by soup_server_listen_local(): libsoup 3.2's own listener (Debian 12)
 * leaks a reference to every socket it accepts and its local address,
 * which LeakSanitizer reports in every test that uses this TSA. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           data)
{
  CkTestTsa *tsa = data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (tsa->server, G_IO_STREAM (connection), local, remote, &error))
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

static gpointer
serve (gpointer data)
{
  CkTestTsa *tsa = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_main_context_push_thread_default (tsa->context);

  tsa->held = g_ptr_array_new_with_free_func (g_object_unref);
  tsa->server = soup_server_new ("server-header", "ck-test-tsa", NULL);
  soup_server_add_handler (tsa->server, NULL, handle, tsa, NULL);
  tsa->service = g_socket_service_new ();
  g_signal_connect (tsa->service, "incoming", G_CALLBACK (on_incoming), tsa);
  if (g_socket_listener_add_address (G_SOCKET_LISTENER (tsa->service), address, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error))
    g_socket_service_start (tsa->service);

  g_mutex_lock (&tsa->lock);
  if (bound != NULL)
    tsa->url = g_strdup_printf ("http://127.0.0.1:%u/tsa",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  else
    tsa->start_error = g_strdup (error ? error->message : "no address");
  tsa->ready = TRUE;
  g_cond_broadcast (&tsa->changed);
  g_mutex_unlock (&tsa->lock);

  if (tsa->url != NULL)
    g_main_loop_run (tsa->loop);

  g_socket_service_stop (tsa->service);
  g_socket_listener_close (G_SOCKET_LISTENER (tsa->service));
  g_clear_object (&tsa->service);
  release_held (tsa, TRUE);
  soup_server_disconnect (tsa->server);
  g_clear_object (&tsa->server);
  g_clear_pointer (&tsa->held, g_ptr_array_unref);
  while (g_main_context_iteration (tsa->context, FALSE))
    ;
  g_main_context_pop_thread_default (tsa->context);

  return NULL;
}

/* --- the test's side ----------------------------------------------------- */

/**
 * ck_test_tsa_start:
 * @pki_dir: a folder ck_test_make_pki() filled
 *
 * Returns: (transfer full): the TSA, listening, in mode CK_TEST_TSA_GOOD;
 *   the test fails if it cannot start
 */
CkTestTsa *
ck_test_tsa_start (const char *pki_dir)
{
  CkTestTsa *tsa = g_new0 (CkTestTsa, 1);

  tsa->cert = load_cert (pki_dir, "tsa");
  tsa->key = load_key (pki_dir, "tsa");
  tsa->rogue_cert = load_cert (pki_dir, "rogue-tsa");
  tsa->rogue_key = load_key (pki_dir, "rogue-tsa");
  tsa->policy = OBJ_txt2obj (CK_TEST_TSA_POLICY, 1);
  g_assert_nonnull (tsa->policy);
  g_mutex_init (&tsa->lock);
  g_cond_init (&tsa->changed);
  tsa->mode = CK_TEST_TSA_GOOD;
  tsa->context = g_main_context_new ();
  tsa->loop = g_main_loop_new (tsa->context, FALSE);
  tsa->thread = g_thread_new ("ck-test-tsa", serve, tsa);

  g_mutex_lock (&tsa->lock);
  while (!tsa->ready)
    g_cond_wait (&tsa->changed, &tsa->lock);
  g_mutex_unlock (&tsa->lock);
  if (tsa->start_error != NULL)
    g_error ("The test TSA cannot listen: %s", tsa->start_error);

  return tsa;
}

/**
 * ck_test_tsa_stop:
 *
 * Answers what is still held with HTTP 503, stops the server, joins its
 * thread and frees @tsa.
 */
void
ck_test_tsa_stop (CkTestTsa *tsa)
{
  if (tsa == NULL)
    return;

  g_main_context_invoke (tsa->context, quit_in_thread, tsa);
  g_thread_join (tsa->thread);

  g_main_loop_unref (tsa->loop);
  g_main_context_unref (tsa->context);
  g_mutex_clear (&tsa->lock);
  g_cond_clear (&tsa->changed);
  X509_free (tsa->cert);
  EVP_PKEY_free (tsa->key);
  X509_free (tsa->rogue_cert);
  EVP_PKEY_free (tsa->rogue_key);
  ASN1_OBJECT_free (tsa->policy);
  g_free (tsa->url);
  g_free (tsa->start_error);
  g_free (tsa);
}

/**
 * ck_test_tsa_get_url:
 *
 * Returns: the URL to configure as tsa_url: http://127.0.0.1:PORT/tsa
 */
const char *
ck_test_tsa_get_url (CkTestTsa *tsa)
{
  return tsa->url;
}

/**
 * ck_test_tsa_set_mode:
 *
 * How the TSA answers the requests that come from now on. Requests
 * already held stay held until ck_test_tsa_release().
 */
void
ck_test_tsa_set_mode (CkTestTsa     *tsa,
                      CkTestTsaMode  mode)
{
  g_mutex_lock (&tsa->lock);
  tsa->mode = mode;
  g_mutex_unlock (&tsa->lock);
}

/**
 * ck_test_tsa_count_requests:
 *
 * Returns: the requests received since the start, whatever their answer
 */
guint
ck_test_tsa_count_requests (CkTestTsa *tsa)
{
  guint n;

  g_mutex_lock (&tsa->lock);
  n = tsa->requests;
  g_mutex_unlock (&tsa->lock);

  return n;
}

/**
 * ck_test_tsa_count_held:
 *
 * Returns: the requests held unanswered (CK_TEST_TSA_SLOW) now
 */
guint
ck_test_tsa_count_held (CkTestTsa *tsa)
{
  guint n;

  g_mutex_lock (&tsa->lock);
  n = tsa->n_held;
  g_mutex_unlock (&tsa->lock);

  return n;
}

/**
 * ck_test_tsa_wait_requests:
 * @requests: a number of requests
 *
 * Blocks until the TSA has received at least @requests requests since
 * it started. (No time limit: meson's test timeout is the backstop.)
 */
void
ck_test_tsa_wait_requests (CkTestTsa *tsa,
                           guint      requests)
{
  g_mutex_lock (&tsa->lock);
  while (tsa->requests < requests)
    g_cond_wait (&tsa->changed, &tsa->lock);
  g_mutex_unlock (&tsa->lock);
}

/**
 * ck_test_tsa_wait_held:
 * @held: a number of requests
 *
 * Blocks until at least @held requests are held (CK_TEST_TSA_SLOW).
 */
void
ck_test_tsa_wait_held (CkTestTsa *tsa,
                       guint      held)
{
  g_mutex_lock (&tsa->lock);
  while (tsa->n_held < held)
    g_cond_wait (&tsa->changed, &tsa->lock);
  g_mutex_unlock (&tsa->lock);
}

/**
 * ck_test_tsa_release:
 *
 * Answers every held request with a good token (a client that already
 * gave up gets nothing), and returns once they are answered. The mode
 * stays as it is.
 */
void
ck_test_tsa_release (CkTestTsa *tsa)
{
  guint releases;

  g_mutex_lock (&tsa->lock);
  releases = tsa->releases;
  g_mutex_unlock (&tsa->lock);

  g_main_context_invoke (tsa->context, release_in_thread, tsa);

  g_mutex_lock (&tsa->lock);
  while (tsa->releases == releases)
    g_cond_wait (&tsa->changed, &tsa->lock);
  g_mutex_unlock (&tsa->lock);
}
