/* ck-tsa-token.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* RFC 3161 tokens once they are kept (ck-tsa-private.h): the TSA CA store,
 * reading a token's time and TSA, and verifying a token against the
 * digest it must stamp, as the verifier and `consentctl check` need, and
 * the OpenSSL helpers the client (ck-tsa.c) shares with them. */

#define G_LOG_DOMAIN "ck-tsa"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <string.h>

#include "ck-seal.h"
#include "ck-tsa-private.h"

/* --- OpenSSL helpers --------------------------------------------------- */

/* What OpenSSL's error queue says, as one line (English: OpenSSL's own
 * words, the detail of a translated message), and the queue emptied. */
char *
_ck_tsa_openssl_errors (void)
{
  GString *text = g_string_new (NULL);
  const char *data = NULL;
  unsigned long code;
  int flags = 0;

  while ((code = ERR_get_error_all (NULL, NULL, NULL, &data, &flags)) != 0)
    {
      const char *reason = ERR_reason_error_string (code);

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, reason ? reason : "unknown error");
      if (data != NULL && (flags & ERR_TXT_STRING) && *data != '\0')
        g_string_append_printf (text, " (%s)", data);
    }
  if (text->len == 0)
    g_string_append (text, "unknown error");

  return g_string_free (text, FALSE);
}

/* Text a TSA or a certificate gave, fit for a message: valid UTF-8, no
 * control characters, at most @max characters. */
char *
_ck_tsa_printable (const char *text,
                   gsize       length,
                   glong       max)
{
  g_autofree char *valid = g_utf8_make_valid (text, (gssize)length);
  GString *out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == max)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
    }

  return g_string_free (out, FALSE);
}

/**
 * _ck_tsa_name_one_line:
 * @name: a certificate's subject, or a TSA's directory name
 *
 * Returns: (transfer full) (nullable): @name as one line of UTF-8
 *   (OpenSSL's "C = CN, O = …, CN = …") fit for a message: no control
 *   characters, at most 1024 characters; %NULL if it cannot be printed
 */
char *
_ck_tsa_name_one_line (const X509_NAME *name)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *text;

  if (bio == NULL)
    return NULL;
  if (X509_NAME_print_ex (bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) < 0)
    {
      BIO_free (bio);
      return NULL;
    }
  length = BIO_get_mem_data (bio, &data);
  text = _ck_tsa_printable (data ? data : "", length > 0 ? (gsize)length : 0, 1024);
  BIO_free (bio);

  return text;
}

/* ISO 8601 in UTC, to the second: "2026-12-07T16:32:09Z". */
static char *
generalized_time_to_iso (const ASN1_GENERALIZEDTIME *time)
{
  g_autoptr(GDateTime) when = NULL;
  struct tm tm = { 0 };

  if (time == NULL || !ASN1_TIME_to_tm (time, &tm))
    return NULL;
  when = g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (when == NULL)
    return NULL;

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

/* The TSA's name: its signing certificate's subject, as the token carries
 * it (certReq), else the TSTInfo's tsa field, else NULL. */
static char *
token_tsa_name (PKCS7        *token,
                TS_TST_INFO  *tst_info)
{
  STACK_OF(X509) *signers;
  GENERAL_NAME *tsa;
  char *name = NULL;

  signers = PKCS7_get0_signers (token, NULL, 0);
  if (signers != NULL && sk_X509_num (signers) > 0)
    name = _ck_tsa_name_one_line (X509_get_subject_name (sk_X509_value (signers, 0)));
  sk_X509_free (signers);
  ERR_clear_error ();
  if (name != NULL)
    return name;

  tsa = TS_TST_INFO_get_tsa (tst_info);
  if (tsa != NULL && tsa->type == GEN_DIRNAME)
    return _ck_tsa_name_one_line (tsa->d.directoryName);

  return NULL;
}

/* Whether the TSTInfo's imprint is SHA-256 over exactly @sha256. */
gboolean
_ck_tsa_imprint_matches (TS_TST_INFO  *tst_info,
                         const guint8 *sha256)
{
  TS_MSG_IMPRINT *imprint = TS_TST_INFO_get_msg_imprint (tst_info);
  const ASN1_OBJECT *algorithm = NULL;
  ASN1_OCTET_STRING *message;

  if (imprint == NULL || TS_MSG_IMPRINT_get_algo (imprint) == NULL)
    return FALSE;
  X509_ALGOR_get0 (&algorithm, NULL, NULL, TS_MSG_IMPRINT_get_algo (imprint));
  if (OBJ_obj2nid (algorithm) != NID_sha256)
    return FALSE;
  message = TS_MSG_IMPRINT_get_msg (imprint);

  return message != NULL && ASN1_STRING_length (message) == CK_TSA_SHA256_LEN &&
         memcmp (ASN1_STRING_get0_data (message), sha256, CK_TSA_SHA256_LEN) == 0;
}

/* Whether @data[@consumed..@length] is nothing but zeros: the padding of a
 * token hex-decoded from a PDF's /Contents. */
static gboolean
only_padding (const guint8 *data,
              gsize         consumed,
              gsize         length)
{
  for (gsize i = consumed; i < length; i++)
    if (data[i] != 0)
      return FALSE;

  return TRUE;
}

/* --- the CA store ------------------------------------------------------ */

/**
 * _ck_tsa_ca_store_new:
 * @pem: the text of a PEM file
 * @length: its length
 *
 * The CA files of the TSA client and of the verifier are read alike: every
 * certificate of the file, trusted.
 *
 * Returns: (transfer full) (nullable): a store trusting exactly the
 *   certificates in @pem (free with X509_STORE_free ()), or %NULL when it
 *   holds none
 */
X509_STORE *
_ck_tsa_ca_store_new (const char *pem,
                      gsize       length)
{
  X509_STORE *store = X509_STORE_new ();
  BIO *bio = BIO_new_mem_buf (pem, (int)MIN (length, (gsize)G_MAXINT));
  guint count = 0;
  X509 *cert;

  while (store && bio && (cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    {
      if (X509_STORE_add_cert (store, cert))
        count++;
      X509_free (cert);
    }
  ERR_clear_error ();   /* the end of the file, as PEM reading reports it */
  BIO_free (bio);
  if (count == 0)
    g_clear_pointer (&store, X509_STORE_free);

  return store;
}

/**
 * _ck_tsa_load_ca_file:
 * @ca_file: a PEM file of one or more CA certificates
 *
 * Returns: (transfer full): a store trusting exactly those certificates
 *   (free with X509_STORE_free ()), or %NULL with CK_SEAL_ERROR_FILE
 */
X509_STORE *
_ck_tsa_load_ca_file (const char  *ca_file,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  X509_STORE *store;
  gsize length = 0;

  g_return_val_if_fail (ca_file != NULL, NULL);

  if (!g_file_get_contents (ca_file, &contents, &length, &local_error))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("The time-stamping authority’s CA file %s cannot be read: %s"),
                   ca_file, local_error->message);
      return NULL;
    }

  if (!(store = _ck_tsa_ca_store_new (contents, length)))
    g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                 _("The time-stamping authority’s CA file %s holds no PEM certificate."),
                 ca_file);

  return store;
}

/* --- tokens, for the verifier ------------------------------------------ */

static PKCS7 *
token_from_der (GBytes  *token,
                GError **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (token, &length);
  const unsigned char *p = data;
  PKCS7 *p7 = NULL;

  if (data != NULL && length > 0 && length <= G_MAXLONG)
    p7 = d2i_PKCS7 (NULL, &p, (long)length);
  if (p7 != NULL && !only_padding (data, (gsize)(p - data), length))
    g_clear_pointer (&p7, PKCS7_free);
  ERR_clear_error ();
  if (p7 == NULL)
    g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                         _("The data is not an RFC 3161 time-stamp token."));

  return p7;
}

/**
 * _ck_tsa_parse_token:
 * @token: a time-stamp token, DER (a CMS SignedData of a TSTInfo), as
 *   ck_tsa_stamp() returns it; zero bytes after it (a PDF's /Contents
 *   padding) are allowed
 * @gen_time: (out) (optional): its genTime, ISO 8601 in UTC
 *   ("2026-12-07T16:32:09Z")
 * @tsa_name: (out) (optional) (nullable): the TSA's certificate subject
 *   as one line, or the TSTInfo's tsa name; %NULL when it has neither
 * @imprint: (out caller-allocates) (optional) (array fixed-size=32): the
 *   SHA-256 the token stamps
 *
 * Reads a token without judging it: nothing here is verified.
 *
 * Returns: %TRUE, or %FALSE with CK_SEAL_ERROR_INVALID when @token is no
 *   time-stamp token (or, with @imprint, not one over a SHA-256)
 */
gboolean
_ck_tsa_parse_token (GBytes  *token,
                     char   **gen_time,
                     char   **tsa_name,
                     guint8  *imprint,
                     GError **error)
{
  PKCS7 *p7;
  TS_TST_INFO *tst_info;
  g_autofree char *time = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (token != NULL, FALSE);

  p7 = token_from_der (token, error);
  if (p7 == NULL)
    return FALSE;

  tst_info = PKCS7_to_TS_TST_INFO (p7);
  ERR_clear_error ();
  if (tst_info == NULL ||
      (time = generalized_time_to_iso (TS_TST_INFO_get_time (tst_info))) == NULL)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                           _("The data is not an RFC 3161 time-stamp token."));
      goto out;
    }

  if (imprint != NULL)
    {
      TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint (tst_info);
      const ASN1_OBJECT *algorithm = NULL;
      ASN1_OCTET_STRING *message = mi ? TS_MSG_IMPRINT_get_msg (mi) : NULL;

      if (mi != NULL && TS_MSG_IMPRINT_get_algo (mi) != NULL)
        X509_ALGOR_get0 (&algorithm, NULL, NULL, TS_MSG_IMPRINT_get_algo (mi));
      if (algorithm == NULL || OBJ_obj2nid (algorithm) != NID_sha256 ||
          message == NULL || ASN1_STRING_length (message) != CK_TSA_SHA256_LEN)
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                               _("The time-stamp token does not stamp a SHA-256 digest."));
          goto out;
        }
      memcpy (imprint, ASN1_STRING_get0_data (message), CK_TSA_SHA256_LEN);
    }

  if (gen_time != NULL)
    *gen_time = g_steal_pointer (&time);
  if (tsa_name != NULL)
    *tsa_name = token_tsa_name (p7, tst_info);
  ok = TRUE;

out:
  TS_TST_INFO_free (tst_info);
  PKCS7_free (p7);

  return ok;
}

/**
 * _ck_tsa_verify_token:
 * @token: a time-stamp token, DER, as for _ck_tsa_parse_token()
 * @sha256: (array fixed-size=32): the digest it must stamp (of the
 *   signature value, or of a document revision)
 * @store: the trusted TSA CAs (_ck_tsa_load_ca_file()); only read
 * @gen_time: (out) (optional): as for _ck_tsa_parse_token()
 * @tsa_name: (out) (optional) (nullable): as for _ck_tsa_parse_token()
 *
 * Verifies a token kept earlier, as a stamp's reply was verified but
 * without a nonce: version, imprint (SHA-256 of exactly @sha256), the
 * signature, the ESS signing certificate, and the signer's chain to
 * @store with the timeStamping extended key usage, at the present time.
 *
 * Returns: %TRUE when it holds; else %FALSE with CK_SEAL_ERROR_INVALID
 *   and a translated message saying what failed
 */
gboolean
_ck_tsa_verify_token (GBytes        *token,
                      const guint8  *sha256,
                      X509_STORE    *store,
                      char         **gen_time,
                      char         **tsa_name,
                      GError       **error)
{
  TS_VERIFY_CTX *ctx = NULL;
  TS_TST_INFO *tst_info = NULL;
  PKCS7 *p7 = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  ERR_clear_error ();
  p7 = token_from_der (token, error);
  if (p7 == NULL)
    return FALSE;

  tst_info = PKCS7_to_TS_TST_INFO (p7);
  ERR_clear_error ();
  if (tst_info == NULL)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                           _("The data is not an RFC 3161 time-stamp token."));
      goto out;
    }
  if (!_ck_tsa_imprint_matches (tst_info, sha256))
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                           _("The time-stamp token is for other data: its message imprint is not the expected SHA-256."));
      goto out;
    }

  ctx = TS_VERIFY_CTX_new ();
  if (ctx == NULL)
    goto failed;
  TS_VERIFY_CTX_set_flags (ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  TS_VERIFY_CTX_set_imprint (ctx, OPENSSL_memdup (sha256, CK_TSA_SHA256_LEN), CK_TSA_SHA256_LEN);
  /* The context frees the store it holds: it gets a reference of its own. */
  if (!X509_STORE_up_ref (store))
    goto failed;
  TS_VERIFY_CTX_set_store (ctx, store);

  if (TS_RESP_verify_token (ctx, p7) != 1)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                   _("The time-stamp token is not signed by a trusted time-stamping authority: %s."),
                   detail);
      goto out;
    }

  if (gen_time != NULL)
    *gen_time = generalized_time_to_iso (TS_TST_INFO_get_time (tst_info));
  if (tsa_name != NULL)
    *tsa_name = token_tsa_name (p7, tst_info);
  ok = TRUE;
  goto out;

failed:
  {
    g_autofree char *detail = _ck_tsa_openssl_errors ();

    g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                 _("The time-stamp token could not be checked: %s."), detail);
  }

out:
  TS_VERIFY_CTX_free (ctx);
  TS_TST_INFO_free (tst_info);
  PKCS7_free (p7);
  ERR_clear_error ();

  return ok;
}

/**
 * _ck_tsa_verify_token_with_ca_file:
 * @ca_file: the trusted TSA CAs, PEM
 *
 * _ck_tsa_verify_token() with a store read from @ca_file for this call
 * (CK_SEAL_ERROR_FILE when it cannot be read).
 */
gboolean
_ck_tsa_verify_token_with_ca_file (GBytes        *token,
                                   const guint8  *sha256,
                                   const char    *ca_file,
                                   char         **gen_time,
                                   char         **tsa_name,
                                   GError       **error)
{
  X509_STORE *store = _ck_tsa_load_ca_file (ca_file, error);
  gboolean ok;

  if (store == NULL)
    return FALSE;
  ok = _ck_tsa_verify_token (token, sha256, store, gen_time, tsa_name, error);
  X509_STORE_free (store);

  return ok;
}
