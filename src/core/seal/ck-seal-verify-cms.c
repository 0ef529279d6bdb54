/* ck-seal-verify-cms.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The verifier's OpenSSL side: a CMS signature verified detached over
 * given bytes (signingCertificateV2 checked against the signer), a signer
 * chained to a store (the CA files are read by ck-seal-verify-ca.c), and
 * a time-stamp token checked by the TSA client's own helpers
 * (ck-tsa-private.h). Every fault is a translated sentence. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ck-seal.h"
#include "ck-seal-verify-private.h"
#include "ck-tsa-private.h"

/* --- checking a CMS signature ---------------------------------------- */

void
_ck_seal_cms_check_clear (CkSealCmsCheck *check)
{
  g_free (check->signer);
  g_clear_pointer (&check->token, g_bytes_unref);
  g_clear_pointer (&check->problems, g_ptr_array_unref);
}

static void cms_problem (CkSealCmsCheck *check,
                         const char     *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
cms_problem (CkSealCmsCheck *check,
             const char     *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* signingCertificateV2 (or the older signingCertificate) names the signer:
 * the signer cannot be swapped for another certificate of the same key. */
static gboolean
check_signing_certificate (CMS_SignerInfo *si,
                           X509           *signer,
                           CMS_ContentInfo *cms)
{
  ASN1_STRING *v1 = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_id_smime_aa_signingCertificate),
                                                 -3, V_ASN1_SEQUENCE);
  ASN1_STRING *v2 = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_id_smime_aa_signingCertificateV2),
                                                 -3, V_ASN1_SEQUENCE);
  ESS_SIGNING_CERT *ss = NULL;
  ESS_SIGNING_CERT_V2 *ssv2 = NULL;
  STACK_OF(X509) *chain = NULL;
  STACK_OF(X509) *certs = NULL;
  gboolean ok = FALSE;

  if (v1)
    {
      const unsigned char *p = ASN1_STRING_get0_data (v1);

      if ((ss = d2i_ESS_SIGNING_CERT (NULL, &p, ASN1_STRING_length (v1))) == NULL)
        goto out;
    }
  if (v2)
    {
      const unsigned char *p = ASN1_STRING_get0_data (v2);

      if ((ssv2 = d2i_ESS_SIGNING_CERT_V2 (NULL, &p, ASN1_STRING_length (v2))) == NULL)
        goto out;
    }
  if (ss == NULL && ssv2 == NULL)
    goto out;

  /* The signer first, then the certificates the CMS carries. */
  chain = sk_X509_new_null ();
  certs = CMS_get1_certs (cms);
  if (chain == NULL || !sk_X509_push (chain, signer))
    goto out;
  for (int i = 0; certs && i < sk_X509_num (certs); i++)
    if (X509_cmp (sk_X509_value (certs, i), signer) != 0)
      sk_X509_push (chain, sk_X509_value (certs, i));

  ok = OSSL_ESS_check_signing_certs (ss, ssv2, chain, 1) > 0;

out:
  ESS_SIGNING_CERT_free (ss);
  ESS_SIGNING_CERT_V2_free (ssv2);
  sk_X509_free (chain);
  sk_X509_pop_free (certs, X509_free);
  ERR_clear_error ();

  return ok;
}

/* Chains @signer to @store with the CMS's certificates as intermediates,
 * now or, when @at is not 0, at that time (a trusted timestamp's). */
int
_ck_seal_verify_chain (X509_STORE      *store,
                       X509            *signer,
                       CMS_ContentInfo *cms,
                       time_t           at)
{
  STACK_OF(X509) *certs = CMS_get1_certs (cms);
  X509_STORE_CTX *ctx = X509_STORE_CTX_new ();
  int result = X509_V_ERR_UNSPECIFIED;

  if (ctx && X509_STORE_CTX_init (ctx, store, signer, certs))
    {
      X509_STORE_CTX_set_purpose (ctx, X509_PURPOSE_ANY);
      if (at != 0)
        X509_STORE_CTX_set_time (ctx, 0, at);
      result = X509_verify_cert (ctx) > 0 ? X509_V_OK : X509_STORE_CTX_get_error (ctx);
      if (result == X509_V_OK && X509_STORE_CTX_get_error (ctx) != X509_V_OK)
        result = X509_STORE_CTX_get_error (ctx);
    }

  X509_STORE_CTX_free (ctx);
  sk_X509_pop_free (certs, X509_free);
  ERR_clear_error ();

  return result;
}

static gboolean
is_allowed_digest (const X509_ALGOR *algorithm)
{
  const ASN1_OBJECT *object = NULL;
  int nid;

  X509_ALGOR_get0 (&object, NULL, NULL, algorithm);
  nid = OBJ_obj2nid (object);

  return nid == NID_sha256 || nid == NID_sha384 || nid == NID_sha512;
}

/* Verifies the CMS in @der (BER; zero bytes after it are padding) over
 * @content, detached. @cades: ETSI.CAdES.detached, whose signingCertificate
 * attribute must name the signer. */
CMS_ContentInfo *
_ck_seal_check_cms (const guint8   *der,
                    gsize           der_len,
                    const guint8   *content,
                    gsize           content_len,
                    gboolean        cades,
                    CkSealCmsCheck *check)
{
  const unsigned char *p = der;
  CMS_ContentInfo *cms = NULL;
  STACK_OF(CMS_SignerInfo) *infos;
  CMS_SignerInfo *si;
  X509_ALGOR *digest = NULL;
  X509 *signer = NULL;
  BIO *bio = NULL;

  check->problems = g_ptr_array_new_with_free_func (g_free);
  ERR_clear_error ();

  if (der_len == 0 || der_len > G_MAXLONG ||
      (cms = d2i_CMS_ContentInfo (NULL, &p, (long)der_len)) == NULL ||
      OBJ_obj2nid (CMS_get0_type (cms)) != NID_pkcs7_signed)
    {
      cms_problem (check, _("The signature’s /Contents is not a CMS signature."));
      goto out;
    }
  for (const guint8 *q = p; q < der + der_len; q++)
    if (*q != 0)
      {
        cms_problem (check, _("The signature’s /Contents has bytes other than zeros after its CMS "
                              "signature."));
        break;
      }

  infos = CMS_get0_SignerInfos (cms);
  if (infos == NULL || sk_CMS_SignerInfo_num (infos) != 1)
    {
      cms_problem (check, _("The CMS signature has %d signers instead of one."),
                   infos ? sk_CMS_SignerInfo_num (infos) : 0);
      goto out;
    }
  if (CMS_is_detached (cms) != 1)
    {
      cms_problem (check, _("The CMS signature carries content of its own instead of signing the "
                            "document’s bytes."));
      goto out;
    }
  si = sk_CMS_SignerInfo_value (infos, 0);
  check->cms_read = TRUE;

  {
    ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature (si);

    SHA256 (ASN1_STRING_get0_data (value), ASN1_STRING_length (value), check->signature_sha256);
  }

  {
    int index = CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1);
    X509_ATTRIBUTE *attribute = index >= 0 ? CMS_unsigned_get_attr (si, index) : NULL;
    ASN1_TYPE *type = attribute ? X509_ATTRIBUTE_get0_type (attribute, 0) : NULL;

    if (type && type->type == V_ASN1_SEQUENCE)
      check->token = g_bytes_new (ASN1_STRING_get0_data (type->value.sequence),
                                  ASN1_STRING_length (type->value.sequence));
    else if (attribute)
      cms_problem (check, _("The signature’s timestamp attribute holds no time-stamp token."));
  }

  CMS_set1_signers_certs (cms, NULL, 0);
  CMS_SignerInfo_get0_algs (si, NULL, &signer, &digest, NULL);
  ERR_clear_error ();
  if (signer == NULL)
    {
      cms_problem (check, _("The CMS signature does not carry the signer’s certificate."));
      goto out;
    }
  check->signer = _ck_tsa_name_one_line (X509_get_subject_name (signer));

  if (digest == NULL || !is_allowed_digest (digest))
    {
      cms_problem (check, _("The CMS signature uses a digest other than SHA-256, SHA-384 or SHA-512."));
      goto out;
    }

  bio = BIO_new_mem_buf (content, (int)MIN (content_len, (gsize)G_MAXINT));
  if (content_len > G_MAXINT || bio == NULL ||
      CMS_verify (cms, NULL, NULL, bio, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
    {
      g_autofree char *detail = _ck_tsa_openssl_errors ();

      cms_problem (check, _("The signature does not match the signed bytes: the document was changed "
                            "after signing, or the signature is damaged (%s)."), detail);
      goto out;
    }

  if (cades && !check_signing_certificate (si, signer, cms))
    {
      cms_problem (check, _("The signature’s signingCertificateV2 attribute is missing or does not name "
                            "the signer’s certificate."));
      goto out;
    }

  check->valid = TRUE;

out:
  BIO_free (bio);
  ERR_clear_error ();

  return cms;
}

/* --- timestamps ------------------------------------------------------ */

/* Verifies @token over @sha256 against @tsa_store (when not NULL) into a
 * new CkSealTimestamp; its fault, if any, in @why. */
CkSealTimestamp *
_ck_seal_check_token (GBytes       *token,
                      const guint8 *sha256,
                      X509_STORE   *tsa_store,
                      gboolean      document,
                      char        **why)
{
  CkSealTimestamp *timestamp = g_new0 (CkSealTimestamp, 1);
  g_autoptr(GError) error = NULL;
  guint8 imprint[SHA256_LEN];

  timestamp->document = document;

  if (tsa_store &&
      _ck_tsa_verify_token (token, sha256, tsa_store, &timestamp->time, &timestamp->tsa, &error))
    {
      timestamp->valid = TRUE;
      return timestamp;
    }

  /* Not valid: what the token says, shown as not proven. */
  g_clear_pointer (&timestamp->time, g_free);
  g_clear_pointer (&timestamp->tsa, g_free);
  if (!_ck_tsa_parse_token (token, &timestamp->time, &timestamp->tsa, imprint,
                            error ? NULL : &error))
    {
      *why = g_strdup (error->message);
      return timestamp;
    }

  if (error)
    *why = g_strdup (error->message);
  else if (memcmp (imprint, sha256, SHA256_LEN) != 0)
    *why = g_strdup (_("The time-stamp token is for other data: its message imprint is not the "
                       "expected SHA-256."));
  else
    *why = g_strdup (_("No CA was given for the time-stamping authority (--tsa-ca): its "
                       "certificate was not checked."));

  return timestamp;
}

/* --- a chain anchor's signature --------------------------------------- */

/**
 * ck_seal_verify_data:
 * @data: the signed bytes
 * @cms: a detached CAdES CMS over them (ck_seal_sign_data())
 * @ca_file: (nullable): the CAs the signer must chain to; when %NULL the
 *   signer's certificate is not checked, only the signature's integrity
 * @tsa_ca_file: (nullable): the CAs its timestamp's TSA must chain to;
 *   when %NULL, @ca_file
 * @signer: (out) (optional) (nullable): the signer's subject, one line
 * @timestamp: (out) (optional) (nullable): the embedded timestamp's time,
 *   ISO 8601 in UTC; %NULL when there is none
 *
 * Verifies a chain anchor's signature: the CMS over @data, with
 * signingCertificateV2, the signer chained to @ca_file, and the embedded
 * timestamp, if any, over the signature value and chained to the TSA CAs.
 *
 * Returns: %TRUE when all that holds; else %FALSE with
 *   CK_SEAL_ERROR_INVALID (or CK_SEAL_ERROR_FILE for a CA file that
 *   cannot be read) and the first fault as a translated message
 */
gboolean
ck_seal_verify_data (GBytes      *data,
                     GBytes      *cms,
                     const char  *ca_file,
                     const char  *tsa_ca_file,
                     char       **signer,
                     char       **timestamp,
                     GError     **error)
{
  X509_STORE *store = NULL;
  X509_STORE *tsa_store = NULL;
  CMS_ContentInfo *content_info = NULL;
  CkSealTimestamp *stamp = NULL;
  CkSealCmsCheck check = { 0 };
  g_autofree char *why = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL && cms != NULL, FALSE);

  if (ca_file && (store = _ck_seal_load_ca_file (ca_file, error)) == NULL)
    return FALSE;
  if ((tsa_ca_file || ca_file) &&
      (tsa_store = _ck_seal_load_ca_file (tsa_ca_file ? tsa_ca_file : ca_file, error)) == NULL)
    goto out;

  content_info = _ck_seal_check_cms (g_bytes_get_data (cms, NULL), g_bytes_get_size (cms),
                            g_bytes_get_data (data, NULL), g_bytes_get_size (data), TRUE, &check);
  if (!check.valid || check.problems->len > 0)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                           check.problems->len ? check.problems->pdata[0]
                                               : _("The signature is not valid."));
      goto out;
    }

  if (check.token)
    {
      stamp = _ck_seal_check_token (check.token, check.signature_sha256, tsa_store, FALSE, &why);
      if (why)
        {
          g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                       _("The signature’s timestamp is not valid: %s"), why);
          goto out;
        }
    }

  if (store)
    {
      X509 *cert = NULL;
      int result;

      CMS_SignerInfo_get0_algs (sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (content_info), 0),
                                NULL, &cert, NULL, NULL);
      result = cert ? _ck_seal_verify_chain (store, cert, content_info, 0) : X509_V_ERR_UNSPECIFIED;
      if (result == X509_V_ERR_CERT_HAS_EXPIRED && stamp && stamp->time)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (stamp->time, NULL);

          if (when)
            result = _ck_seal_verify_chain (store, cert, content_info, g_date_time_to_unix (when));
        }
      if (result != X509_V_OK)
        {
          g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID,
                       _("The signer’s certificate does not chain to the given CA: %s."),
                       X509_verify_cert_error_string (result));
          goto out;
        }
    }

  if (signer)
    *signer = g_steal_pointer (&check.signer);
  if (timestamp)
    *timestamp = stamp ? g_steal_pointer (&stamp->time) : NULL;
  ok = TRUE;

out:
  if (stamp)
    _ck_seal_timestamp_free (stamp);
  CMS_ContentInfo_free (content_info);
  _ck_seal_cms_check_clear (&check);
  X509_STORE_free (store);
  X509_STORE_free (tsa_store);
  ERR_clear_error ();

  return ok;
}

