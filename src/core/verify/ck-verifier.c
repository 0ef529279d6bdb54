/* ck-verifier.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The identity-verification call (docs/VERIFICATION.md, "One attempt" and
 * "The service's contract").
 *
 * aliyun-idcert: one GET per attempt through libcurl in a GTask worker
 * thread. TLS peer and host are always verified, redirects are never
 * followed, the body is capped, and the GCancellable is checked from the
 * transfer's progress callback. The verifier keeps the connection (and the
 * TLS session and DNS answer) between attempts, so that only its first
 * attempt pays the TCP and TLS handshakes (see "the connection cache").
 * demo: answers in-process from the ID number's check character, sends
 * nothing, and marks the result DEMO.
 *
 * Secrets and personal data: the request URL (it carries name and ID
 * number) and the AppCode live only in the worker's job and are wiped when
 * it ends; nothing here logs them or puts them into a result or message.
 * Whatever the service sends back has the ID number and the AppCode masked
 * before it is kept. */

#define G_LOG_DOMAIN "ck-verifier"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ck-idcard.h"
#include "ck-name.h"
#include "ck-verifier-private.h"

/* Gateway header values and provider texts kept, at most (bytes). */
#define MAX_FIELD 512

struct _CkVerifier
{
  GObject parent_instance;

  CkConfig *config;
  CkVerifierProvider provider;

  /* aliyun-idcert only: the connection cache (see below). */
  CURLSH *share;
  GMutex share_locks[CURL_LOCK_DATA_LAST];
  GMutex share_user;
};

G_DEFINE_QUARK (ck-verifier-error-quark, ck_verifier_error)
G_DEFINE_FINAL_TYPE (CkVerifier, ck_verifier, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CkVerifyResult, ck_verify_result, ck_verify_result_copy, ck_verify_result_free)

/* --- results ----------------------------------------------------------- */

const char *
ck_verify_outcome_to_string (CkVerifyOutcome outcome)
{
  switch (outcome)
    {
    case CK_VERIFY_OUTCOME_VERIFIED:       return "verified";
    case CK_VERIFY_OUTCOME_NOT_MATCHED:    return "not-matched";
    case CK_VERIFY_OUTCOME_UNDETERMINED:   return "undetermined";
    case CK_VERIFY_OUTCOME_INPUT_REJECTED: return "input-rejected";
    case CK_VERIFY_OUTCOME_CONFIG_FAULT:   return "config-fault";
    case CK_VERIFY_OUTCOME_PROVIDER_FAULT: return "provider-fault";
    case CK_VERIFY_OUTCOME_NETWORK_FAULT:  return "network-fault";
    case CK_VERIFY_OUTCOME_TLS_FAULT:      return "tls-fault";
    default:                               return "unknown";
    }
}

CkVerifyResult *
ck_verify_result_new (void)
{
  return g_new0 (CkVerifyResult, 1);
}

void
ck_verify_result_free (CkVerifyResult *result)
{
  if (result == NULL)
    return;

  g_free (result->provider_status);
  g_free (result->provider_message);
  g_free (result->request_id);
  g_free (result->error_code);
  g_free (result->error_message);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result->detail);
  g_free (result->masked_id);
  g_free (result);
}

CkVerifyResult *
ck_verify_result_copy (const CkVerifyResult *result)
{
  CkVerifyResult *copy = ck_verify_result_new ();

  *copy = *result;
  copy->provider_status = g_strdup (result->provider_status);
  copy->provider_message = g_strdup (result->provider_message);
  copy->request_id = g_strdup (result->request_id);
  copy->error_code = g_strdup (result->error_code);
  copy->error_message = g_strdup (result->error_message);
  copy->body = result->body ? g_bytes_ref (result->body) : NULL;
  copy->detail = g_strdup (result->detail);
  copy->masked_id = g_strdup (result->masked_id);

  return copy;
}

/**
 * ck_verify_result_dup_customer_message:
 *
 * Returns: (transfer full): what the customer is told, translated; it
 *   names neither the AppCode nor the ID number
 */
char *
ck_verify_result_dup_customer_message (const CkVerifyResult *result)
{
  const char *text;

  g_return_val_if_fail (result != NULL, NULL);

  switch (result->outcome)
    {
    case CK_VERIFY_OUTCOME_VERIFIED:
      text = _("Your identity has been verified.");
      break;
    case CK_VERIFY_OUTCOME_NOT_MATCHED:
      text = _("The name and the ID number do not match the official records. Please check them with a member of staff.");
      break;
    case CK_VERIFY_OUTCOME_UNDETERMINED:
      text = _("Your identity cannot be verified automatically. A member of staff will check your ID card.");
      break;
    case CK_VERIFY_OUTCOME_INPUT_REJECTED:
      text = _("The verification service did not accept the name or the ID number. Please ask a member of staff for help.");
      break;
    case CK_VERIFY_OUTCOME_CONFIG_FAULT:
    case CK_VERIFY_OUTCOME_TLS_FAULT:
      text = _("The verification service cannot be used at the moment. Your signed consent is saved; please ask a member of staff for help.");
      break;
    case CK_VERIFY_OUTCOME_PROVIDER_FAULT:
    case CK_VERIFY_OUTCOME_NETWORK_FAULT:
    default:
      text = _("The verification service is temporarily unavailable. Your signed consent is saved and the verification will be tried again.");
      break;
    }

  if (result->demo)
    return g_strdup_printf ("%s %s", text, _("(DEMO: no real verification was made.)"));

  return g_strdup (text);
}

static char *
staff_summary (const CkVerifyResult *result,
               const char           *id)
{
  switch (result->outcome)
    {
    case CK_VERIFY_OUTCOME_VERIFIED:
      return g_strdup_printf (_("Verified: the service confirmed that the name matches ID number %s."), id);
    case CK_VERIFY_OUTCOME_NOT_MATCHED:
      return g_strdup_printf (_("Not matched: the service says the name does not match ID number %s."), id);
    case CK_VERIFY_OUTCOME_UNDETERMINED:
      return g_strdup_printf (_("Undetermined: the service cannot verify ID number %s (for example a military ID or a moved household registration); decide by checking the ID card."), id);
    case CK_VERIFY_OUTCOME_INPUT_REJECTED:
      return g_strdup_printf (_("Input rejected: the service refused the name or ID number %s; check both."), id);
    case CK_VERIFY_OUTCOME_CONFIG_FAULT:
      if (result->http_status == 401)
        return g_strdup_printf (_("Configuration fault for ID number %s: the service rejected the AppCode (HTTP 401); check appcode_file. Not retried."), id);
      if (result->http_status == 403)
        return g_strdup_printf (_("Configuration fault for ID number %s: the AppCode is not authorised or its quota is used up (HTTP 403); renew the service package. Not retried."), id);
      if (result->http_status == 400)
        return g_strdup_printf (_("Configuration fault for ID number %s: the gateway rejected the request as malformed (HTTP 400); check the endpoint setting and the gateway error below. Not retried."), id);
      return g_strdup_printf (_("Configuration fault for ID number %s: the verification settings cannot work; check endpoint and ca_file. Not retried."), id);
    case CK_VERIFY_OUTCOME_PROVIDER_FAULT:
      return g_strdup_printf (_("Provider fault for ID number %s: the service or its gateway failed; the verification can be retried later."), id);
    case CK_VERIFY_OUTCOME_NETWORK_FAULT:
      return g_strdup_printf (_("Network fault for ID number %s: the service could not be reached or did not answer in time; the verification can be retried later."), id);
    case CK_VERIFY_OUTCOME_TLS_FAULT:
      return g_strdup_printf (_("TLS fault for ID number %s: the service’s certificate or host name did not verify; check ca_file and the network for interception."), id);
    default:
      return g_strdup_printf (_("Unknown outcome for ID number %s."), id);
    }
}

/**
 * ck_verify_result_dup_staff_message:
 *
 * Returns: (transfer full): a precise account for staff, translated: the
 *   outcome, the masked ID number, HTTP and provider status, gateway
 *   headers and the cause below HTTP; never the AppCode or the full number
 */
char *
ck_verify_result_dup_staff_message (const CkVerifyResult *result)
{
  g_autofree char *summary = NULL;
  GString *text;

  g_return_val_if_fail (result != NULL, NULL);

  summary = staff_summary (result, result->masked_id ? result->masked_id : "****");
  text = g_string_new (summary);

  if (result->demo)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("DEMO provider: no request was sent."));
    }
  if (result->http_status != 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("HTTP status %u."), result->http_status);
    }
  if (result->provider_status != NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Provider status “%s”: “%s”."), result->provider_status,
                              result->provider_message ? result->provider_message : "");
    }
  if (result->error_code != NULL || result->error_message != NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Gateway error %s: %s."),
                              result->error_code ? result->error_code : "-",
                              result->error_message ? result->error_message : "-");
    }
  if (result->detail != NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Cause: %s."), result->detail);
    }
  if (result->request_id != NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Request id %s."), result->request_id);
    }
  if (!result->demo)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Took %u ms."), (guint)MIN (result->duration_ms, G_MAXUINT));
    }

  return g_string_free (text, FALSE);
}

/* --- the connection cache ---------------------------------------------- *
 *
 * A libcurl share object holds the verifier's idle connections, TLS
 * sessions and DNS answers, so that an attempt after the first reuses the
 * connection instead of paying a TCP and a TLS handshake again.
 *
 * Security: a connection is verified (peer and host, against ca_file) when
 * it is made, and reused without another check. That is sound because a
 * verifier is made from one CkConfig, which never changes, and every
 * transfer sets the same endpoint, ca_file and TLS options; a new
 * configuration means a new verifier with an empty cache, and finalize
 * closes the old one's connections. libcurl itself reuses a connection only
 * for the same scheme, host and port and the same TLS settings.
 *
 * libcurl does not support a connection cache used by transfers in
 * concurrent threads (CURLSHOPT_SHARE(3), CURL_LOCK_DATA_CONNECT: in-use
 * connections sit in the cache, and another thread's look-up reads them).
 * So only one transfer at a time uses the share: the one that holds
 * share_user. One that finds it taken (a second verification while the
 * first is under way) does not wait: it makes a connection of its own, as
 * every attempt did before the cache, and closes it when it ends. The lock
 * callbacks still guard each kind of shared data, as libcurl requires when
 * a share is used from more than one thread at all. */

static void
share_lock (CURL             *handle,
            curl_lock_data    data,
            curl_lock_access  lock_access,
            void             *user_data)
{
  CkVerifier *self = user_data;

  g_assert ((guint)data < G_N_ELEMENTS (self->share_locks));
  g_mutex_lock (&self->share_locks[data]);
}

static void
share_unlock (CURL           *handle,
              curl_lock_data  data,
              void           *user_data)
{
  CkVerifier *self = user_data;

  g_assert ((guint)data < G_N_ELEMENTS (self->share_locks));
  g_mutex_unlock (&self->share_locks[data]);
}

static gboolean
share_setup (CkVerifier *self)
{
  self->share = curl_share_init ();
  if (self->share == NULL)
    return FALSE;

  return curl_share_setopt (self->share, CURLSHOPT_LOCKFUNC, share_lock) == CURLSHE_OK &&
         curl_share_setopt (self->share, CURLSHOPT_UNLOCKFUNC, share_unlock) == CURLSHE_OK &&
         curl_share_setopt (self->share, CURLSHOPT_USERDATA, self) == CURLSHE_OK &&
         curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) == CURLSHE_OK &&
         curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) == CURLSHE_OK &&
         curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) == CURLSHE_OK;
}

/* The share for a transfer about to start, or NULL when another transfer
 * uses it. A transfer that got it gives it back with share_release() after
 * curl_easy_cleanup(). */
static CURLSH *
share_acquire (CkVerifier *self)
{
  if (self->share == NULL || !g_mutex_trylock (&self->share_user))
    return NULL;

  return self->share;
}

static void
share_release (CkVerifier *self,
               CURLSH     *share)
{
  if (share != NULL)
    g_mutex_unlock (&self->share_user);
}

/* --- the verifier ------------------------------------------------------ */

static void
ck_verifier_finalize (GObject *object)
{
  CkVerifier *self = (CkVerifier *)object;

  /* Every transfer's GTask holds a reference: none is left. Closing the
   * cached connections takes the locks, so they go last. */
  if (self->share != NULL)
    {
      CURLSHcode code = curl_share_cleanup (self->share);

      if (code != CURLSHE_OK)
        g_critical ("Cannot free the connection cache: %s", curl_share_strerror (code));
      self->share = NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_clear (&self->share_locks[i]);
  g_mutex_clear (&self->share_user);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_verifier_parent_class)->finalize (object);
}

static void
ck_verifier_class_init (CkVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_verifier_finalize;
}

static void
ck_verifier_init (CkVerifier *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_init (&self->share_locks[i]);
  g_mutex_init (&self->share_user);
}

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

/* Whether @endpoint is one this kiosk may send names and ID numbers to. */
static gboolean
endpoint_acceptable (const char  *endpoint,
                     gboolean     allow_insecure,
                     GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (endpoint != NULL)
    uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_BAD_ENDPOINT,
                   _("The verification endpoint is not a valid address."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0 ||
      (allow_insecure && g_ascii_strcasecmp (scheme, "http") == 0))
    return TRUE;

  g_set_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_BAD_ENDPOINT,
               _("The verification endpoint must be an https:// address."));
  return FALSE;
}

/**
 * ck_verifier_new:
 * @config: the configuration; its provider, endpoint, AppCode, ca_file and
 *   timeouts are used
 *
 * Fails when the provider is `none`, or for `aliyun-idcert` when the
 * endpoint is not acceptable or no valid AppCode is configured.
 *
 * Returns: (transfer full) (nullable): the verifier
 */
CkVerifier *
ck_verifier_new (CkConfig  *config,
                 GError   **error)
{
  CkVerifier *self;
  CkVerifierProvider provider;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  provider = ck_config_get_provider (config);
  switch (provider)
    {
    case CK_VERIFIER_PROVIDER_NONE:
      g_set_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_DISABLED,
                   _("Verification is turned off (provider “none”)."));
      return NULL;

    case CK_VERIFIER_PROVIDER_ALIYUN_IDCERT:
      {
        char *appcode;

        if (!endpoint_acceptable (ck_config_get_endpoint (config),
                                  ck_config_get_allow_insecure_http (config), error))
          return NULL;
        appcode = ck_config_dup_appcode (config, error);
        if (appcode == NULL)
          return NULL;
        ck_config_free_appcode (appcode);
        if (!curl_global_ready ())
          {
            g_set_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_INIT,
                         _("The HTTP library could not be initialised."));
            return NULL;
          }
      }
      break;

    case CK_VERIFIER_PROVIDER_DEMO:
    default:
      break;
    }

  self = g_object_new (CK_TYPE_VERIFIER, NULL);
  self->config = g_object_ref (config);
  self->provider = provider;

  if (provider == CK_VERIFIER_PROVIDER_ALIYUN_IDCERT && !share_setup (self))
    {
      g_object_unref (self);
      g_set_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_INIT,
                   _("The HTTP library could not be initialised."));
      return NULL;
    }

  return self;
}

CkVerifierProvider
ck_verifier_get_provider (CkVerifier *self)
{
  g_return_val_if_fail (CK_IS_VERIFIER (self), CK_VERIFIER_PROVIDER_NONE);

  return self->provider;
}

/* --- masking what comes back ------------------------------------------- */

/* Overwrites every occurrence of @needle in @data with @replacement, which
 * has the same length. */
static void
redact (guint8     *data,
        gsize       length,
        const char *needle,
        const char *replacement)
{
  gsize n;

  if (needle == NULL || (n = strlen (needle)) == 0 || length < n)
    return;
  g_assert (strlen (replacement) == n);

  for (gsize i = 0; i + n <= length; i++)
    if (data[i] == (guint8)needle[0] && memcmp (data + i, needle, n) == 0)
      {
        memcpy (data + i, replacement, n);
        i += n - 1;
      }
}

typedef struct
{
  char *id_number;       /* as sent */
  char *id_other_case;   /* the same with the other case of x, or NULL */
  char *id_masked;
  char *appcode;
  char *appcode_masked;  /* as many stars as it has characters */
} Redactor;

static void
redactor_apply (const Redactor *r,
                guint8         *data,
                gsize           length)
{
  redact (data, length, r->id_number, r->id_masked);
  if (r->id_other_case)
    redact (data, length, r->id_other_case, r->id_masked);
  redact (data, length, r->appcode, r->appcode_masked);
}

/* A text from the service, fit to keep: valid UTF-8, capped, masked. */
static char *
redacted_text (const Redactor *r,
               const char     *text,
               gsize           length)
{
  g_autofree char *valid = NULL;
  gsize len;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, strnlen (text, MIN (length, (gsize)MAX_FIELD)));
  len = strlen (valid);
  redactor_apply (r, (guint8 *)valid, len);

  return g_strdup (g_strstrip (valid));
}

/* --- aliyun-idcert ----------------------------------------------------- */

typedef struct
{
  char *endpoint;
  char *ca_file;
  char *name;
  guint connect_timeout_s;
  guint timeout_s;
  gboolean allow_insecure;
  Redactor redactor;

  /* Filled by the transfer. */
  GCancellable *cancellable;
  GByteArray *body;
  gboolean over_cap;
  char *request_id;
  char *error_code;
  char *error_message;
} Job;

static void
wipe_free (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
job_free (Job *job)
{
  g_free (job->endpoint);
  g_free (job->ca_file);
  wipe_free (job->name);
  wipe_free (job->redactor.id_number);
  wipe_free (job->redactor.id_other_case);
  g_free (job->redactor.id_masked);
  ck_config_free_appcode (job->redactor.appcode);
  g_free (job->redactor.appcode_masked);
  g_clear_object (&job->cancellable);
  if (job->body)
    {
      if (job->body->len > 0)
        explicit_bzero (job->body->data, job->body->len);
      g_byte_array_unref (job->body);
    }
  g_free (job->request_id);
  g_free (job->error_code);
  g_free (job->error_message);
  g_free (job);
}

static size_t
on_body (char   *data,
         size_t  size,
         size_t  nmemb,
         void   *user_data)
{
  Job *job = user_data;
  gsize n = size * nmemb;

  if (job->body->len + n > CK_VERIFY_BODY_MAX)
    {
      job->over_cap = TRUE;
      return 0;   /* aborts the transfer with CURLE_WRITE_ERROR */
    }
  g_byte_array_append (job->body, (const guint8 *)data, n);

  return n;
}

static void
keep_header (char       **field,
             const char  *line,
             gsize        length,
             const char  *name)
{
  gsize name_len = strlen (name);
  const char *value;

  if (length <= name_len || line[name_len] != ':' ||
      g_ascii_strncasecmp (line, name, name_len) != 0)
    return;

  value = line + name_len + 1;
  g_free (*field);
  *field = g_strndup (value, length - name_len - 1);
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  Job *job = user_data;
  gsize n = size * nitems;

  /* A new response (after a 100 Continue) starts its headers afresh. */
  if (n >= 5 && strncmp (data, "HTTP/", 5) == 0)
    {
      g_clear_pointer (&job->request_id, g_free);
      g_clear_pointer (&job->error_code, g_free);
      g_clear_pointer (&job->error_message, g_free);
      return n;
    }

  keep_header (&job->request_id, data, n, "X-Ca-Request-Id");
  keep_header (&job->error_code, data, n, "X-Ca-Error-Code");
  keep_header (&job->error_message, data, n, "X-Ca-Error-Message");

  return n;
}

static int
on_progress (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Job *job = user_data;

  return g_cancellable_is_cancelled (job->cancellable) ? 1 : 0;
}

typedef struct
{
  CURLcode code;
  CkVerifyOutcome outcome;
} CurlMapping;

/* Every libcurl error this transfer can meet, and its outcome class.
 * CURLE_ABORTED_BY_CALLBACK (cancelled) and CURLE_WRITE_ERROR (the body
 * cap, or otherwise) are decided before this table is read. */
static const CurlMapping curl_mappings[] = {
  /* The kiosk's own settings or build cannot work. */
  { CURLE_UNSUPPORTED_PROTOCOL,      CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_URL_MALFORMAT,             CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_NOT_BUILT_IN,              CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_FAILED_INIT,               CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_BAD_FUNCTION_ARGUMENT,     CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_UNKNOWN_OPTION,            CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_SSL_CACERT_BADFILE,        CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_SSL_CRL_BADFILE,           CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_SSL_ENGINE_NOTFOUND,       CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_SSL_ENGINE_SETFAILED,      CK_VERIFY_OUTCOME_CONFIG_FAULT },
  { CURLE_SSL_ENGINE_INITFAILED,     CK_VERIFY_OUTCOME_CONFIG_FAULT },
  /* Unreachable, or no answer in time. */
  { CURLE_COULDNT_RESOLVE_PROXY,     CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_COULDNT_RESOLVE_HOST,      CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_COULDNT_CONNECT,           CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_OPERATION_TIMEDOUT,        CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_GOT_NOTHING,               CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_SEND_ERROR,                CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_RECV_ERROR,                CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_PARTIAL_FILE,              CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_HTTP2,                     CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_HTTP2_STREAM,              CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_HTTP3,                     CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_QUIC_CONNECT_ERROR,        CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_PROXY,                     CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_INTERFACE_FAILED,          CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_AGAIN,                     CK_VERIFY_OUTCOME_NETWORK_FAULT },
  { CURLE_OUT_OF_MEMORY,             CK_VERIFY_OUTCOME_NETWORK_FAULT },
  /* Certificate, host name or handshake. */
  { CURLE_PEER_FAILED_VERIFICATION,  CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_CONNECT_ERROR,         CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_CERTPROBLEM,           CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_CIPHER,                CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_ISSUER_ERROR,          CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_PINNEDPUBKEYNOTMATCH,  CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_INVALIDCERTSTATUS,     CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_SHUTDOWN_FAILED,       CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_SSL_CLIENTCERT,            CK_VERIFY_OUTCOME_TLS_FAULT },
  { CURLE_USE_SSL_FAILED,            CK_VERIFY_OUTCOME_TLS_FAULT },
  /* The service answered, but not in HTTP we accept. */
  { CURLE_WEIRD_SERVER_REPLY,        CK_VERIFY_OUTCOME_PROVIDER_FAULT },
  { CURLE_TOO_MANY_REDIRECTS,        CK_VERIFY_OUTCOME_PROVIDER_FAULT },
  { CURLE_BAD_CONTENT_ENCODING,      CK_VERIFY_OUTCOME_PROVIDER_FAULT },
  { CURLE_FILESIZE_EXCEEDED,         CK_VERIFY_OUTCOME_PROVIDER_FAULT },
  { CURLE_HTTP_RETURNED_ERROR,       CK_VERIFY_OUTCOME_PROVIDER_FAULT },
  { CURLE_RANGE_ERROR,               CK_VERIFY_OUTCOME_PROVIDER_FAULT },
};

static CkVerifyOutcome
outcome_for_curl_code (CURLcode code)
{
  for (guint i = 0; i < G_N_ELEMENTS (curl_mappings); i++)
    if (curl_mappings[i].code == code)
      return curl_mappings[i].outcome;

  /* Anything else is a failure of this transfer that another may not
   * meet: retryable, as a network fault. */
  return CK_VERIFY_OUTCOME_NETWORK_FAULT;
}

static CkVerifyOutcome
outcome_for_status (const char *status)
{
  if (g_strcmp0 (status, "01") == 0)
    return CK_VERIFY_OUTCOME_VERIFIED;
  if (g_strcmp0 (status, "02") == 0)
    return CK_VERIFY_OUTCOME_NOT_MATCHED;
  if (g_strcmp0 (status, "202") == 0)
    return CK_VERIFY_OUTCOME_UNDETERMINED;
  if (g_strcmp0 (status, "204") == 0 || g_strcmp0 (status, "205") == 0)
    return CK_VERIFY_OUTCOME_INPUT_REJECTED;
  /* "203" (provider-side exception) and anything unknown. */
  return CK_VERIFY_OUTCOME_PROVIDER_FAULT;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Reads the JSON body of an HTTP 200 into @result. */
static void
classify_body (const Job      *job,
               CkVerifyResult *result)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *status;

  result->outcome = CK_VERIFY_OUTCOME_PROVIDER_FAULT;

  if (job->body->len == 0)
    {
      result->detail = g_strdup ("empty response body");
      return;
    }
  if (!json_parser_load_from_data (parser, (const char *)job->body->data, job->body->len, &error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      result->detail = g_strdup ("response body is not a JSON object");
      return;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  status = string_member (object, "status");
  if (status != NULL)
    result->provider_status = redacted_text (&job->redactor, status, strlen (status));
  if (string_member (object, "msg") != NULL)
    result->provider_message = redacted_text (&job->redactor, string_member (object, "msg"),
                                              strlen (string_member (object, "msg")));

  if (status == NULL)
    {
      result->detail = g_strdup ("response body has no string \"status\"");
      return;
    }

  result->outcome = outcome_for_status (status);
  if (result->outcome == CK_VERIFY_OUTCOME_PROVIDER_FAULT && !g_str_equal (status, "203"))
    result->detail = g_strdup ("unknown provider status");
}

static void
classify_http (const Job      *job,
               CkVerifyResult *result)
{
  guint status = result->http_status;

  if (status == 200)
    classify_body (job, result);
  else if (status == 400 || status == 401 || status == 403)
    result->outcome = CK_VERIFY_OUTCOME_CONFIG_FAULT;
  else if (status >= 500 && status <= 599)
    result->outcome = CK_VERIFY_OUTCOME_PROVIDER_FAULT;
  else if (status >= 300 && status <= 399)
    {
      result->outcome = CK_VERIFY_OUTCOME_PROVIDER_FAULT;
      result->detail = g_strdup ("redirect, not followed");
    }
  else
    {
      result->outcome = CK_VERIFY_OUTCOME_PROVIDER_FAULT;
      result->detail = g_strdup ("unexpected HTTP status");
    }
}

static char *
build_url (const Job *job)
{
  g_autofree char *id = g_uri_escape_string (job->redactor.id_number, NULL, FALSE);
  g_autofree char *name = g_uri_escape_string (job->name, NULL, FALSE);
  char *url;

  url = g_strdup_printf ("%s%cidCard=%s&name=%s", job->endpoint,
                         strchr (job->endpoint, '?') ? '&' : '?', id, name);
  explicit_bzero (id, strlen (id));
  explicit_bzero (name, strlen (name));

  return url;
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CkVerifier *self = source_object;
  Job *job = task_data;
  g_autoptr(CkVerifyResult) result = ck_verify_result_new ();
  struct curl_slist *headers = NULL;
  char *url = NULL;
  char *authorization = NULL;
  gint64 start;
  long http_status = 0;
  CURLcode code;
  CURLSH *share;
  CURL *curl;

  if (g_task_return_error_if_cancelled (task))
    return;

  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_task_return_new_error (task, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_INIT,
                               _("The HTTP library could not be initialised."));
      return;
    }
  share = share_acquire (self);
  if (share != NULL)
    curl_easy_setopt (curl, CURLOPT_SHARE, share);

  job->body = g_byte_array_new ();
  url = build_url (job);
  authorization = g_strdup_printf ("Authorization: APPCODE %s", job->redactor.appcode);
  headers = curl_slist_append (headers, authorization);
  headers = curl_slist_append (headers, "Accept: application/json");

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "consent-kiosk/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, job->allow_insecure ? "https,http" : "https");
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (curl, CURLOPT_MAXREDIRS, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (job->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, job->ca_file);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long)job->connect_timeout_s * 1000L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long)job->timeout_s * 1000L);
  curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CK_VERIFY_BODY_MAX);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, job);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, job);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, job);

  start = g_get_monotonic_time ();
  code = curl_easy_perform (curl);
  result->duration_ms = (g_get_monotonic_time () - start) / 1000;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &http_status);

  curl_easy_cleanup (curl);
  share_release (self, share);
  curl_slist_free_all (headers);
  wipe_free (authorization);
  wipe_free (url);

  if (code == CURLE_ABORTED_BY_CALLBACK && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }

  result->http_status = http_status > 0 && http_status < 1000 ? (guint)http_status : 0;
  result->masked_id = g_strdup (job->redactor.id_masked);
  result->request_id = redacted_text (&job->redactor, job->request_id, G_MAXSIZE);
  result->error_code = redacted_text (&job->redactor, job->error_code, G_MAXSIZE);
  result->error_message = redacted_text (&job->redactor, job->error_message, G_MAXSIZE);

  if (job->body->len > 0)
    {
      gsize keep = MIN (job->body->len, CK_VERIFY_BODY_KEEP_MAX);

      redactor_apply (&job->redactor, job->body->data, job->body->len);
      result->body = g_bytes_new (job->body->data, keep);
      result->body_truncated = keep < job->body->len || job->over_cap;
    }

  if (code == CURLE_OK)
    classify_http (job, result);
  else if (job->over_cap || code == CURLE_FILESIZE_EXCEEDED)
    {
      result->outcome = CK_VERIFY_OUTCOME_PROVIDER_FAULT;
      result->body_truncated = TRUE;
      result->detail = g_strdup_printf ("response body over %u bytes, transfer aborted",
                                        (guint)CK_VERIFY_BODY_MAX);
    }
  else if (code == CURLE_WRITE_ERROR)
    {
      result->outcome = CK_VERIFY_OUTCOME_NETWORK_FAULT;
      result->detail = g_strdup_printf ("curl error %d: %s", (int)code, curl_easy_strerror (code));
    }
  else
    {
      result->outcome = outcome_for_curl_code (code);
      result->detail = g_strdup_printf ("curl error %d: %s", (int)code, curl_easy_strerror (code));
    }

  g_debug ("Verification of %s: %s (HTTP %u, %" G_GINT64_FORMAT " ms)",
           result->masked_id, ck_verify_outcome_to_string (result->outcome),
           result->http_status, result->duration_ms);

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify)ck_verify_result_free);
}

/* --- demo ---------------------------------------------------------------- */

static CkVerifyResult *
demo_verify (const char *name,
             const char *id_number)
{
  CkVerifyResult *result = ck_verify_result_new ();
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  result->demo = TRUE;
  result->masked_id = ck_idcard_mask_number (id_number);

  normalized = ck_name_normalize (name, CK_NAME_FLAGS_ALLOW_LATIN, &error);
  if (normalized == NULL)
    {
      result->outcome = CK_VERIFY_OUTCOME_INPUT_REJECTED;
      result->detail = g_strdup ("demo: the name is not valid");
      return result;
    }

  idcard = ck_idcard_parse (id_number, &error);
  if (idcard != NULL)
    result->outcome = CK_VERIFY_OUTCOME_VERIFIED;
  else if (g_error_matches (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_CHECK_CHARACTER))
    {
      result->outcome = CK_VERIFY_OUTCOME_NOT_MATCHED;
      result->detail = g_strdup ("demo: the check character does not fit");
    }
  else
    {
      result->outcome = CK_VERIFY_OUTCOME_INPUT_REJECTED;
      result->detail = g_strdup ("demo: the ID number is not valid");
    }

  return result;
}

/* --- the call ------------------------------------------------------------ */

/**
 * ck_verifier_verify_async:
 * @name: the customer's name, as recorded
 * @id_number: the customer's ID number, as recorded
 *
 * Verifies @name against @id_number with the configured provider. Only
 * CkVerifyQueue calls this, for a stored consent (docs/ARCHITECTURE.md,
 * invariant 1).
 */
void
ck_verifier_verify_async (CkVerifier          *self,
                          const char          *name,
                          const char          *id_number,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Job *job;

  g_return_if_fail (CK_IS_VERIFIER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (id_number != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_verifier_verify_async);

  if (self->provider == CK_VERIFIER_PROVIDER_DEMO)
    {
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_pointer (task, demo_verify (name, id_number),
                               (GDestroyNotify)ck_verify_result_free);
      return;
    }

  job = g_new0 (Job, 1);
  job->redactor.appcode = ck_config_dup_appcode (self->config, &error);
  if (job->redactor.appcode == NULL)
    {
      job_free (job);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->redactor.appcode_masked = g_strnfill (strlen (job->redactor.appcode), '*');
  job->redactor.id_number = g_strdup (id_number);
  if (strchr (id_number, 'X') != NULL)
    job->redactor.id_other_case = g_ascii_strdown (id_number, -1);
  else if (strchr (id_number, 'x') != NULL)
    job->redactor.id_other_case = g_ascii_strup (id_number, -1);
  job->redactor.id_masked = ck_idcard_mask_number (id_number);
  job->name = g_strdup (name);
  job->endpoint = g_strdup (ck_config_get_endpoint (self->config));
  job->ca_file = g_strdup (ck_config_get_ca_file (self->config));
  job->connect_timeout_s = ck_config_get_connect_timeout_s (self->config);
  job->timeout_s = ck_config_get_timeout_s (self->config);
  job->allow_insecure = ck_config_get_allow_insecure_http (self->config);
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);

  g_task_run_in_thread (task, verify_thread);
}

/**
 * ck_verifier_verify_finish:
 *
 * Returns: (transfer full) (nullable): the attempt's result, whatever its
 *   outcome; %NULL with @error only when cancelled (%G_IO_ERROR_CANCELLED)
 *   or when no attempt could be made (the AppCode cannot be read)
 */
CkVerifyResult *
ck_verifier_verify_finish (CkVerifier    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CK_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ck_verifier_verify_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
