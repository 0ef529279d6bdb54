/* ck-tsa.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The RFC 3161 time-stamping client (issue 15). What the verifier needs
 * of a kept token is in ck-tsa-token.c.
 *
 * One stamp is one HTTP POST through libcurl, made and ended in the
 * calling thread (a worker's: it blocks for up to timeout_s): a TS_REQ with
 * the SHA-256 imprint, a random 64-bit nonce and certReq, sent as
 * application/timestamp-query; the reply must be HTTP 200 and at most
 * CK_TSA_REPLY_MAX bytes, a DER TS_RESP whose status is granted, whose
 * TSTInfo has our imprint and our nonce, and whose signature OpenSSL
 * verifies (TS_VFY_SIGNATURE) against the TSA CA file: the signer's
 * certificate must chain to it and carry the timeStamping extended key
 * usage, and the ESS signing-certificate attribute must name it. Only then
 * is the token (the reply's PKCS#7 SignedData) returned.
 *
 * A CkTsa never changes after ck_tsa_new (); the CA store is only read
 * (X509_STORE locks itself), so stamps may run in several threads at once.
 *
 * Secrets: a TSA URL may carry a user name, a password or an API key (in
 * its query); messages name the TSA by its URL without them
 * (shown_url). Nothing here logs. */

#define G_LOG_DOMAIN "ck-tsa"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <string.h>

#include "ck-seal.h"
#include "ck-tsa-private.h"

/* The longest time-stamp status text kept in a message (characters). */
#define STATUS_TEXT_MAX 200

/* At most this long to connect (seconds), within timeout_s. */
#define CONNECT_TIMEOUT_MAX 10

struct _CkTsa
{
  GObject parent_instance;

  char *url;         /* for the transfer only: it may hold credentials */
  char *shown_url;   /* for messages */
  guint timeout_s;
  X509_STORE *store;
};

G_DEFINE_FINAL_TYPE (CkTsa, ck_tsa, G_TYPE_OBJECT)

static void
ck_tsa_finalize (GObject *object)
{
  CkTsa *self = (CkTsa *)object;

  if (self->url != NULL)
    {
      explicit_bzero (self->url, strlen (self->url));
      g_free (self->url);
    }
  g_free (self->shown_url);
  g_clear_pointer (&self->store, X509_STORE_free);

  G_OBJECT_CLASS (ck_tsa_parent_class)->finalize (object);
}

static void
ck_tsa_class_init (CkTsaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_tsa_finalize;
}

static void
ck_tsa_init (CkTsa *self)
{
}

/* --- the client -------------------------------------------------------- */

static gboolean
curl_global_ready (void)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialized))
    {
      ok = curl_global_init (CURL_GLOBAL_DEFAULT) == CURLE_OK;
      g_once_init_leave (&initialized, 1);
    }

  return ok;
}

/**
 * ck_tsa_new:
 * @url: the TSA, an http:// or https:// URL ([signing] tsa_url)
 * @ca_file: the CAs its certificate must chain to ([signing] tsa_ca_file)
 * @timeout_s: how long one stamp may take, whole seconds (at least 1)
 *
 * Returns: (transfer full): the client, or %NULL with
 *   CK_SEAL_ERROR_FILE when @ca_file cannot be read or holds no
 *   certificate, or CK_SEAL_ERROR_TSA_UNREACHABLE when @url is no
 *   http:// or https:// URL
 */
CkTsa *
ck_tsa_new (const char  *url,
            const char  *ca_file,
            guint        timeout_s,
            GError     **error)
{
  g_autoptr(CkTsa) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (ca_file != NULL, NULL);
  g_return_val_if_fail (timeout_s > 0, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                           _("The time-stamping authority’s address is not an http:// or https:// URL."));
      return NULL;
    }

  self = g_object_new (CK_TYPE_TSA, NULL);
  self->url = g_strdup (url);
  self->shown_url = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY |
                                                  G_URI_HIDE_FRAGMENT);
  self->timeout_s = timeout_s;
  self->store = _ck_tsa_load_ca_file (ca_file, error);
  if (self->store == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

typedef struct
{
  GByteArray *body;
  gboolean over_cap;
} Transfer;

static size_t
on_body (char   *data,
         size_t  size,
         size_t  nmemb,
         void   *user_data)
{
  Transfer *transfer = user_data;
  gsize n = size * nmemb;

  if (transfer->body->len + n > CK_TSA_REPLY_MAX)
    {
      transfer->over_cap = TRUE;
      return 0;   /* aborts the transfer with CURLE_WRITE_ERROR */
    }
  g_byte_array_append (transfer->body, (const guint8 *)data, n);

  return n;
}

/* The request: SHA-256 imprint, @nonce, certReq. DER, or NULL with the
 * error set. */
static GBytes *
make_request (const guint8        *sha256,
              const ASN1_INTEGER  *nonce,
              TS_REQ             **out_req,
              GError             **error)
{
  TS_REQ *req = TS_REQ_new ();
  TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new ();
  X509_ALGOR *algorithm = X509_ALGOR_new ();
  unsigned char *der = NULL;
  GBytes *bytes = NULL;
  int length;

  if (req == NULL || imprint == NULL || algorithm == NULL ||
      !X509_ALGOR_set0 (algorithm, OBJ_nid2obj (NID_sha256), V_ASN1_NULL, NULL) ||
      !TS_MSG_IMPRINT_set_algo (imprint, algorithm) ||
      !TS_MSG_IMPRINT_set_msg (imprint, (unsigned char *)sha256, CK_TSA_SHA256_LEN) ||
      !TS_REQ_set_version (req, 1) ||
      !TS_REQ_set_msg_imprint (req, imprint) ||
      !TS_REQ_set_nonce (req, nonce) ||
      !TS_REQ_set_cert_req (req, 1) ||
      (length = i2d_TS_REQ (req, &der)) <= 0)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                   _("The time-stamp request could not be made: %s."), detail);
      TS_REQ_free (req);
      goto out;
    }

  bytes = g_bytes_new (der, (gsize)length);
  *out_req = req;

out:
  OPENSSL_free (der);
  X509_ALGOR_free (algorithm);
  TS_MSG_IMPRINT_free (imprint);

  return bytes;
}

static ASN1_INTEGER *
random_nonce (GError **error)
{
  unsigned char bytes[8];
  ASN1_INTEGER *nonce = NULL;
  BIGNUM *bn = NULL;

  if (RAND_bytes (bytes, sizeof bytes) == 1 &&
      (bn = BN_bin2bn (bytes, sizeof bytes, NULL)) != NULL)
    nonce = BN_to_ASN1_INTEGER (bn, NULL);
  BN_free (bn);
  if (nonce == NULL)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                   _("The time-stamp request could not be made: %s."), detail);
    }

  return nonce;
}

/* POSTs @request; the reply's body, or NULL with the error set. */
static GByteArray *
post (CkTsa   *self,
      GBytes  *request,
      GError **error)
{
  Transfer transfer = { g_byte_array_new (), FALSE };
  struct curl_slist *headers = NULL;
  long http_status = 0;
  gint64 start;
  double waited;
  CURLcode code;
  CURL *curl;

  if (!curl_global_ready () || (curl = curl_easy_init ()) == NULL)
    {
      g_byte_array_unref (transfer.body);
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                           _("The HTTP library could not be initialised."));
      return NULL;
    }

  headers = curl_slist_append (headers, "Content-Type: application/timestamp-query");
  headers = curl_slist_append (headers, "Accept: application/timestamp-reply");
  headers = curl_slist_append (headers, "Expect:");

  curl_easy_setopt (curl, CURLOPT_URL, self->url);
  curl_easy_setopt (curl, CURLOPT_POST, 1L);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, g_bytes_get_data (request, NULL));
  curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, (long)g_bytes_get_size (request));
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "consent-kiosk/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (curl, CURLOPT_MAXREDIRS, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS,
                    (long)MIN (self->timeout_s, CONNECT_TIMEOUT_MAX) * 1000L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long)self->timeout_s * 1000L);
  curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CK_TSA_REPLY_MAX);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &transfer);

  start = g_get_monotonic_time ();
  code = curl_easy_perform (curl);
  waited = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &http_status);
  curl_easy_cleanup (curl);
  curl_slist_free_all (headers);

  if (transfer.over_cap || code == CURLE_FILESIZE_EXCEEDED)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamping authority %s sent a reply of more than %u KB: it is not a time-stamp reply."),
                   self->shown_url, (guint)(CK_TSA_REPLY_MAX / 1024));
    }
  else if (code == CURLE_OPERATION_TIMEDOUT)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                   ngettext ("The time-stamping authority %s did not answer within %u second.",
                             "The time-stamping authority %s did not answer within %u seconds.",
                             self->timeout_s),
                   self->shown_url, self->timeout_s);
    }
  else if (code != CURLE_OK)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                   _("The time-stamping authority %s could not be reached (after %.1f seconds of the %u allowed): %s."),
                   self->shown_url, waited, self->timeout_s, curl_easy_strerror (code));
    }
  else if (http_status != 200)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                   _("The time-stamping authority %s answered with HTTP status %ld instead of 200."),
                   self->shown_url, http_status);
    }
  else
    return transfer.body;

  g_byte_array_unref (transfer.body);

  return NULL;
}

static const char *
status_name (long status)
{
  switch (status)
    {
    case TS_STATUS_GRANTED:                  return "granted";
    case TS_STATUS_GRANTED_WITH_MODS:        return "grantedWithMods";
    case TS_STATUS_REJECTION:                return "rejection";
    case TS_STATUS_WAITING:                  return "waiting";
    case TS_STATUS_REVOCATION_WARNING:       return "revocationWarning";
    case TS_STATUS_REVOCATION_NOTIFICATION:  return "revocationNotification";
    default:                                 return NULL;
    }
}

/* The PKIFailureInfo bits RFC 3161 names, as it names them. */
static char *
failure_names (const ASN1_BIT_STRING *info)
{
  static const struct { int bit; const char *name; } names[] = {
    { TS_INFO_BAD_ALG,                "badAlg" },
    { TS_INFO_BAD_REQUEST,            "badRequest" },
    { TS_INFO_BAD_DATA_FORMAT,        "badDataFormat" },
    { TS_INFO_TIME_NOT_AVAILABLE,     "timeNotAvailable" },
    { TS_INFO_UNACCEPTED_POLICY,      "unacceptedPolicy" },
    { TS_INFO_UNACCEPTED_EXTENSION,   "unacceptedExtension" },
    { TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable" },
    { TS_INFO_SYSTEM_FAILURE,         "systemFailure" },
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; info != NULL && i < G_N_ELEMENTS (names); i++)
    if (ASN1_BIT_STRING_get_bit (info, names[i].bit))
      g_string_append_printf (text, "%s%s", text->len ? ", " : "", names[i].name);
  if (text->len == 0)
    g_string_append (text, "-");

  return g_string_free (text, FALSE);
}

/* The TSA's status; %TRUE when it granted the request. */
static gboolean
check_status (CkTsa    *self,
              TS_RESP  *resp,
              GError  **error)
{
  TS_STATUS_INFO *info = TS_RESP_get_status_info (resp);
  const STACK_OF(ASN1_UTF8STRING) *texts;
  const char *name;
  g_autofree char *failures = NULL;
  g_autofree char *status_text = NULL;
  GString *text;
  long status;

  status = info ? ASN1_INTEGER_get (TS_STATUS_INFO_get0_status (info)) : -1;
  if (status == TS_STATUS_GRANTED || status == TS_STATUS_GRANTED_WITH_MODS)
    return TRUE;

  text = g_string_new (NULL);
  texts = info ? TS_STATUS_INFO_get0_text (info) : NULL;
  for (int i = 0; texts != NULL && i < sk_ASN1_UTF8STRING_num (texts); i++)
    {
      const ASN1_UTF8STRING *one = sk_ASN1_UTF8STRING_value (texts, i);

      if (text->len > 0)
        g_string_append (text, " ");
      g_string_append_len (text, (const char *)ASN1_STRING_get0_data (one), ASN1_STRING_length (one));
    }
  status_text = _ck_tsa_printable (text->str, text->len, STATUS_TEXT_MAX);
  g_string_free (text, TRUE);
  failures = failure_names (info ? TS_STATUS_INFO_get0_failure_info (info) : NULL);
  name = status_name (status);
  if (name == NULL)
    name = "?";

  g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
               _("The time-stamping authority %s did not grant the time-stamp: status %s, failure %s, text “%s”."),
               self->shown_url, name, failures, *status_text ? status_text : "-");

  return FALSE;
}

/* Checks @resp against @req and the CA store. */
static gboolean
check_reply (CkTsa         *self,
             const guint8  *sha256,
             TS_REQ        *req,
             TS_RESP       *resp,
             GError       **error)
{
  TS_TST_INFO *tst_info;
  TS_VERIFY_CTX *ctx;
  const ASN1_INTEGER *nonce;
  int verified;

  if (!check_status (self, resp, error))
    return FALSE;

  tst_info = TS_RESP_get_tst_info (resp);
  if (TS_RESP_get_token (resp) == NULL || tst_info == NULL)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamping authority %s granted the request but sent no time-stamp token."),
                   self->shown_url);
      return FALSE;
    }

  /* The imprint and the nonce first, for a message that says which;
   * TS_RESP_verify_response() checks both again. */
  if (!_ck_tsa_imprint_matches (tst_info, sha256))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamp from %s is for other data: its message imprint is not the SHA-256 that was sent."),
                   self->shown_url);
      return FALSE;
    }
  nonce = TS_TST_INFO_get_nonce (tst_info);
  if (nonce == NULL || ASN1_INTEGER_cmp (nonce, TS_REQ_get_nonce (req)) != 0)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamp reply from %s does not answer this request: its nonce is not the one sent."),
                   self->shown_url);
      return FALSE;
    }

  ctx = TS_REQ_to_TS_VERIFY_CTX (req, NULL);
  if (ctx == NULL || !X509_STORE_up_ref (self->store))
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      TS_VERIFY_CTX_free (ctx);
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamp from %s could not be checked: %s."), self->shown_url, detail);
      return FALSE;
    }
  TS_VERIFY_CTX_set_flags (ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE |
                                TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  /* The context frees its store: it holds the reference taken above. */
  TS_VERIFY_CTX_set_store (ctx, self->store);
  verified = TS_RESP_verify_response (ctx, resp);
  TS_VERIFY_CTX_free (ctx);

  if (verified != 1)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamp from %s is not signed by a trusted time-stamping authority: %s."),
                   self->shown_url, detail);
      return FALSE;
    }

  return TRUE;
}

/**
 * ck_tsa_stamp:
 * @sha256: (array fixed-size=32): the digest to stamp
 *
 * Asks the TSA for a time-stamp token over @sha256 and verifies its reply
 * (see the top of this file). Blocks for up to the timeout: call it from a
 * worker thread. Safe to call from several threads at once.
 *
 * Returns: (transfer full): the token, DER (a CMS SignedData, as
 *   id-aa-timeStampToken and /DocTimeStamp take it); or %NULL with
 *   CK_SEAL_ERROR_TSA_UNREACHABLE (no answer in time, refused, not
 *   HTTP 200) or CK_SEAL_ERROR_TSA_REPLY (the reply is refused), each with
 *   a translated message naming the TSA
 */
GBytes *
ck_tsa_stamp (CkTsa         *self,
              const guint8  *sha256,
              GError       **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GByteArray) body = NULL;
  ASN1_INTEGER *nonce = NULL;
  TS_REQ *req = NULL;
  TS_RESP *resp = NULL;
  GBytes *token = NULL;
  const unsigned char *p;
  unsigned char *der = NULL;
  int length;

  g_return_val_if_fail (CK_IS_TSA (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  ERR_clear_error ();
  nonce = random_nonce (error);
  if (nonce == NULL)
    return NULL;
  request = make_request (sha256, nonce, &req, error);
  ASN1_INTEGER_free (nonce);
  if (request == NULL)
    return NULL;

  body = post (self, request, error);
  if (body == NULL)
    goto out;

  p = body->data;
  if (body->len > 0)
    resp = d2i_TS_RESP (NULL, &p, (long)body->len);
  if (resp == NULL || p != body->data + body->len)
    {
      ERR_clear_error ();
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The reply from %s is not an RFC 3161 time-stamp reply."), self->shown_url);
      goto out;
    }

  if (!check_reply (self, sha256, req, resp, error))
    goto out;

  length = i2d_PKCS7 (TS_RESP_get_token (resp), &der);
  if (length <= 0)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                   _("The time-stamp from %s could not be checked: %s."), self->shown_url, detail);
      goto out;
    }
  token = g_bytes_new (der, (gsize)length);
  OPENSSL_free (der);

out:
  TS_RESP_free (resp);
  TS_REQ_free (req);
  ERR_clear_error ();

  return token;
}

/**
 * ck_tsa_stamp_data:
 * @data: the bytes to stamp (a signature value, a document revision)
 *
 * ck_tsa_stamp() over the SHA-256 of @data.
 */
GBytes *
ck_tsa_stamp_data (CkTsa   *self,
                   GBytes  *data,
                   GError **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[CK_TSA_SHA256_LEN];
  gsize length = sizeof digest;

  g_return_val_if_fail (CK_IS_TSA (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  g_checksum_update (checksum, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_checksum_get_digest (checksum, digest, &length);

  return ck_tsa_stamp (self, digest, error);
}
