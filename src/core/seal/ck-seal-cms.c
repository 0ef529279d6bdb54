/* ck-seal-cms.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The seal's signature: a detached CMS SignedData (CAdES), SHA-256, the
 * seal's certificate and its chain embedded, signed attributes
 * contentType, messageDigest and signingCertificateV2 (ESS, CMS_CADES),
 * and, when asked, the TSA's token as the unsigned attribute
 * id-aa-timeStampToken (PAdES-B-T, CAdES-B-T).
 *
 * OpenSSL builds the structure; the signature over the signed attributes
 * is made here, not by CMS_final(), because OpenSSL always adds a
 * signingTime attribute and PAdES baseline signatures must not carry one
 * (ETSI EN 319 142-1, 5.4.1: the time is the dictionary's /M). Detached
 * CAdES over other data (chain anchors, sealed purges) keeps signingTime,
 * which CAdES-B requires. Each signature is checked with
 * CMS_SignerInfo_verify() before it leaves: a token that signs wrongly
 * is caught here, not by a reader. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "ck-seal-private.h"

#define SHA256_LEN 32

/* --- names ------------------------------------------------------------ */

static char *
entry_text (const X509_NAME *name,
            int              nid)
{
  int index = X509_NAME_get_index_by_NID (name, nid, -1);
  unsigned char *utf8 = NULL;
  char *text;
  int length;

  if (index < 0)
    return NULL;
  length = ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, index)));
  if (length < 0)
    {
      ERR_clear_error ();
      return NULL;
    }
  text = g_utf8_make_valid ((const char *)utf8, length);
  OPENSSL_free (utf8);

  /* One line: no control character survives. */
  for (char *p = text; *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';

  return text;
}

/**
 * _ck_seal_name_one_line:
 *
 * Returns: (transfer full): the organisation and common name of @name,
 *   "O, CN", as one line of UTF-8; the whole name when it has neither
 */
char *
_ck_seal_name_one_line (const X509_NAME *name)
{
  g_autofree char *o = entry_text (name, NID_organizationName);
  g_autofree char *cn = entry_text (name, NID_commonName);
  BIO *bio;
  char *data;
  long length;
  char *text;

  if (o && cn)
    return g_strconcat (o, ", ", cn, NULL);
  if (o || cn)
    return g_strdup (o ? o : cn);

  bio = BIO_new (BIO_s_mem ());
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  length = BIO_get_mem_data (bio, &data);
  text = g_utf8_make_valid (data, length);
  BIO_free (bio);

  return text;
}

/* --- checks ----------------------------------------------------------- */

static char *
asn1_time_text (const ASN1_TIME *time)
{
  struct tm tm;

  if (!ASN1_TIME_to_tm (time, &tm))
    return g_strdup ("?");
  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The certificate is valid now. */
static gboolean
check_validity (CkSeal  *self,
                GError **error)
{
  const ASN1_TIME *not_before = X509_get0_notBefore (self->cert);
  const ASN1_TIME *not_after = X509_get0_notAfter (self->cert);

  if (X509_cmp_current_time (not_before) >= 0)
    {
      g_autofree char *when = asn1_time_text (not_before);

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_CERTIFICATE,
                   _("The seal’s certificate (%s) is not valid before %s: check the kiosk’s clock."),
                   self->signer, when);
      return FALSE;
    }
  if (X509_cmp_current_time (not_after) <= 0)
    {
      g_autofree char *when = asn1_time_text (not_after);

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_CERTIFICATE,
                   _("The seal’s certificate (%s) expired on %s: install a new one."),
                   self->signer, when);
      return FALSE;
    }

  return TRUE;
}

static gboolean
sign_digest_input (CkSeal        *self,
                   const guint8  *data,
                   gsize          length,
                   GByteArray    *signature)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  size_t sig_len = 0;
  gboolean ok;

  g_mutex_lock (&self->key_lock);
  ok = ctx != NULL &&
       EVP_DigestSignInit (ctx, NULL, EVP_sha256 (), NULL, self->key.pkey) > 0 &&
       EVP_DigestSign (ctx, NULL, &sig_len, data, length) > 0;
  if (ok)
    {
      g_byte_array_set_size (signature, (guint)sig_len);
      ok = EVP_DigestSign (ctx, signature->data, &sig_len, data, length) > 0;
      g_byte_array_set_size (signature, ok ? (guint)sig_len : 0);
    }
  g_mutex_unlock (&self->key_lock);
  EVP_MD_CTX_free (ctx);

  return ok;
}

/* @signature is the certificate's over @data. */
static gboolean
verify_signature (CkSeal       *self,
                  const guint8 *data,
                  gsize         length,
                  GByteArray   *signature)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  gboolean verified;

  verified = ctx != NULL &&
             EVP_DigestVerifyInit (ctx, NULL, EVP_sha256 (), NULL, X509_get0_pubkey (self->cert)) > 0 &&
             EVP_DigestVerify (ctx, signature->data, signature->len, data, length) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();

  return verified;
}

/**
 * _ck_seal_cms_check:
 *
 * The certificate is valid now and for signing, and the key signs what
 * its public key verifies: one signature made and checked, which also
 * proves a token's PIN.
 */
gboolean
_ck_seal_cms_check (CkSeal  *self,
                    GError **error)
{
  static const char probe[] = "Consent Kiosk: the seal's key belongs to its certificate";
  g_autoptr(GByteArray) signature = g_byte_array_new ();
  uint32_t usage;

  if (!check_validity (self, error))
    return FALSE;

  usage = X509_get_key_usage (self->cert);
  if (usage != UINT32_MAX && (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_CERTIFICATE,
                   _("The seal’s certificate (%s) is not for signing: its key usage allows neither "
                     "digitalSignature nor nonRepudiation."), self->signer);
      return FALSE;
    }

  /* A key from a file has its public half: compare it first. */
  if (self->key.engine == NULL && !X509_check_private_key (self->cert, self->key.pkey))
    {
      ERR_clear_error ();
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The key “%s” does not belong to the certificate “%s”."), self->key_label,
                   self->cert_label);
      return FALSE;
    }

  if (!sign_digest_input (self, (const guint8 *)probe, sizeof probe - 1, signature))
    {
      ERR_clear_error ();
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The key “%s” cannot sign: a token that is locked or removed, or a key of a kind "
                     "OpenSSL cannot use."), self->key_label);
      return FALSE;
    }

  if (!verify_signature (self, (const guint8 *)probe, sizeof probe - 1, signature))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The key “%s” does not belong to the certificate “%s”."), self->key_label,
                   self->cert_label);
      return FALSE;
    }

  return TRUE;
}

/* --- the CMS ---------------------------------------------------------- */

static void
set_sign_error (GError     **error,
                const char  *what)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code ? ERR_reason_error_string (code) : NULL;

  g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN, _("The signature could not be made (%s: %s)."),
               what, reason ? reason : "no detail");
  ERR_clear_error ();
}

/* A SignedData, detached, with the seal as its one signer (its attributes
 * so far: signingCertificateV2) and the chain. */
static CMS_ContentInfo *
new_cms (CkSeal          *self,
         CMS_SignerInfo **signer_info,
         GError         **error)
{
  CMS_ContentInfo *cms;

  cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
  if (cms == NULL)
    {
      set_sign_error (error, "CMS_sign");
      return NULL;
    }
  *signer_info = CMS_add1_signer (cms, self->cert, self->key.pkey, EVP_sha256 (),
                                  CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP | CMS_PARTIAL);
  if (*signer_info == NULL)
    {
      set_sign_error (error, "CMS_add1_signer");
      CMS_ContentInfo_free (cms);
      return NULL;
    }
  for (int i = 0; self->chain && i < sk_X509_num (self->chain); i++)
    if (!CMS_add1_cert (cms, sk_X509_value (self->chain, i)))
      {
        set_sign_error (error, "CMS_add1_cert");
        CMS_ContentInfo_free (cms);
        return NULL;
      }

  return cms;
}

static gboolean
add_signed_attributes (CMS_SignerInfo *si,
                       const guint8   *digest,
                       gboolean        signing_time)
{
  gboolean ok;

  ok = CMS_signed_add1_attr_by_NID (si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                    OBJ_nid2obj (NID_pkcs7_data), -1) &&
       CMS_signed_add1_attr_by_NID (si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, SHA256_LEN);
  if (ok && signing_time)
    {
      ASN1_TIME *now = X509_gmtime_adj (NULL, 0);

      ok = now != NULL &&
           CMS_signed_add1_attr_by_NID (si, NID_pkcs9_signingTime, ASN1_STRING_type (now), now, -1);
      ASN1_TIME_free (now);
    }

  return ok;
}

static int
compare_der (gconstpointer a,
             gconstpointer b)
{
  GBytes *x = *(GBytes * const *)a;
  GBytes *y = *(GBytes * const *)b;
  gsize x_len, y_len;
  const guint8 *x_data = g_bytes_get_data (x, &x_len);
  const guint8 *y_data = g_bytes_get_data (y, &y_len);
  int order = memcmp (x_data, y_data, MIN (x_len, y_len));

  if (order != 0)
    return order;
  return x_len < y_len ? -1 : x_len > y_len;
}

static void
append_der_length (GByteArray *out,
                   gsize       length)
{
  guint8 bytes[sizeof (gsize) + 1];
  guint n = 0;

  if (length < 0x80)
    {
      guint8 b = (guint8)length;

      g_byte_array_append (out, &b, 1);
      return;
    }
  for (gsize l = length; l > 0; l >>= 8)
    n++;
  bytes[0] = (guint8)(0x80 | n);
  for (guint i = 0; i < n; i++)
    bytes[1 + i] = (guint8)(length >> (8 * (n - 1 - i)));
  g_byte_array_append (out, bytes, n + 1);
}

/* The signed attributes as the signature covers them: a DER SET OF, its
 * elements in the order of their encodings (X.690 11.6), as
 * CMS_SignerInfo_verify() encodes them again. */
static GByteArray *
signed_attributes_der (CMS_SignerInfo *si)
{
  g_autoptr(GPtrArray) encodings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  GByteArray *out;
  gsize total = 0;
  guint8 set_tag = 0x31;

  for (int i = 0; i < CMS_signed_get_attr_count (si); i++)
    {
      unsigned char *der = NULL;
      int length = i2d_X509_ATTRIBUTE (CMS_signed_get_attr (si, i), &der);

      if (length <= 0)
        return NULL;
      g_ptr_array_add (encodings, g_bytes_new (der, (gsize)length));
      OPENSSL_free (der);
      total += (gsize)length;
    }
  g_ptr_array_sort (encodings, compare_der);

  out = g_byte_array_sized_new ((guint)total + 8);
  g_byte_array_append (out, &set_tag, 1);
  append_der_length (out, total);
  for (guint i = 0; i < encodings->len; i++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (encodings->pdata[i], &length);

      g_byte_array_append (out, data, (guint)length);
    }

  return out;
}

static GBytes *
cms_der (CMS_ContentInfo  *cms,
         GError          **error)
{
  unsigned char *der = NULL;
  int length = i2d_CMS_ContentInfo (cms, &der);
  GBytes *bytes;

  if (length <= 0)
    {
      set_sign_error (error, "i2d_CMS_ContentInfo");
      return NULL;
    }
  bytes = g_bytes_new (der, (gsize)length);
  OPENSSL_free (der);

  return bytes;
}

/**
 * _ck_seal_cms_measure:
 *
 * Sets cms_size_max: the size of a signature without token, as large as
 * the key's signatures can be (EVP_PKEY_get_size()), so that a PDF can
 * reserve room for it before it is made.
 */
gboolean
_ck_seal_cms_measure (CkSeal  *self,
                      GError **error)
{
  g_autoptr(GBytes) der = NULL;
  guint8 digest[SHA256_LEN] = { 0 };
  CMS_SignerInfo *si = NULL;
  CMS_ContentInfo *cms;
  int max_signature = EVP_PKEY_get_size (self->key.pkey);
  guint8 *zeros;

  if (max_signature <= 0 || !(cms = new_cms (self, &si, error)))
    {
      if (max_signature <= 0)
        set_sign_error (error, "EVP_PKEY_get_size");
      return FALSE;
    }
  zeros = g_malloc0 ((gsize)max_signature);
  if (!add_signed_attributes (si, digest, FALSE) ||
      !ASN1_STRING_set (CMS_SignerInfo_get0_signature (si), zeros, max_signature))
    set_sign_error (error, "CMS_signed_add1_attr");
  else
    der = cms_der (cms, error);
  g_free (zeros);
  CMS_ContentInfo_free (cms);
  if (der == NULL)
    return FALSE;

  self->cms_size_max = g_bytes_get_size (der);
  if (self->cms_size_max > CK_SEAL_CONTENTS_MAX)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                   _("A signature with this certificate and chain would take %zu bytes, more than a PDF "
                     "signature may hold (%d): shorten the chain."),
                   self->cms_size_max, CK_SEAL_CONTENTS_MAX);
      return FALSE;
    }

  return TRUE;
}

/* The token, added to the signer info as id-aa-timeStampToken. */
static gboolean
add_timestamp (CkSeal          *self,
               CMS_SignerInfo  *si,
               GError         **tsa_error)
{
  ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature (si);
  g_autoptr(GBytes) token = NULL;
  guint8 digest[SHA256_LEN];
  const guint8 *data;
  gsize length;

  if (!EVP_Digest (ASN1_STRING_get0_data (value), (size_t)ASN1_STRING_length (value), digest, NULL,
                   EVP_sha256 (), NULL))
    {
      ERR_clear_error ();
      g_set_error_literal (tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                           _("The signature value could not be hashed for its timestamp."));
      return FALSE;
    }
  if (!(token = _ck_seal_stamp (self, digest, tsa_error)))
    return FALSE;

  data = g_bytes_get_data (token, &length);
  if (length < 2 || data[0] != 0x30 || length > CK_SEAL_CONTENTS_MAX)
    {
      g_set_error_literal (tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                           _("The time-stamping authority’s token is not a CMS structure."));
      return FALSE;
    }
  if (!CMS_unsigned_add1_attr_by_NID (si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, data,
                                      (int)length))
    {
      ERR_clear_error ();
      g_set_error_literal (tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                           _("The timestamp could not be added to the signature."));
      return FALSE;
    }
  _ck_seal_note_token_size (self, length);

  return TRUE;
}

/**
 * _ck_seal_cms_sign:
 * @ranges: (array length=n_ranges): the signed bytes, in order
 * @signing_time: add a signingTime attribute (CAdES, not PAdES)
 * @timestamp: ask the TSA for a token over the signature value
 * @max_size: the largest DER that fits, or 0 for no limit
 * @needed_size: (out): 0, or the size the signature would have had with
 *   its token when that did not fit in @max_size (it is then left out)
 * @tsa_error: (out): why there is no token, when @timestamp and the TSA
 *   failed
 *
 * Returns: (transfer full): the CMS, DER
 */
GBytes *
_ck_seal_cms_sign (CkSeal             *self,
                   const CkSealRange  *ranges,
                   guint               n_ranges,
                   gboolean            signing_time,
                   gboolean            timestamp,
                   gsize               max_size,
                   gsize              *needed_size,
                   GError            **tsa_error,
                   GError            **error)
{
  g_autoptr(GByteArray) attributes = NULL;
  g_autoptr(GByteArray) signature = g_byte_array_new ();
  g_autoptr(GBytes) der = NULL;
  CMS_SignerInfo *si = NULL;
  CMS_ContentInfo *cms = NULL;
  EVP_MD_CTX *md = NULL;
  guint8 digest[SHA256_LEN];

  *needed_size = 0;
  if (!check_validity (self, error))
    return NULL;

  md = EVP_MD_CTX_new ();
  if (md == NULL || !EVP_DigestInit_ex (md, EVP_sha256 (), NULL))
    goto failed;
  for (guint i = 0; i < n_ranges; i++)
    if (!EVP_DigestUpdate (md, ranges[i].data, ranges[i].len))
      goto failed;
  if (!EVP_DigestFinal_ex (md, digest, NULL))
    goto failed;
  g_clear_pointer (&md, EVP_MD_CTX_free);

  if (!(cms = new_cms (self, &si, error)))
    return NULL;
  if (!add_signed_attributes (si, digest, signing_time) || !(attributes = signed_attributes_der (si)))
    goto failed;

  if (!sign_digest_input (self, attributes->data, attributes->len, signature))
    {
      ERR_clear_error ();
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The key “%s” could not sign: a token that is locked or was removed?"),
                   self->key_label);
      CMS_ContentInfo_free (cms);
      return NULL;
    }
  if (!ASN1_STRING_set (CMS_SignerInfo_get0_signature (si), signature->data, (int)signature->len))
    goto failed;
  if (!verify_signature (self, attributes->data, attributes->len, signature))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The key “%s” made a signature that its certificate does not verify."),
                   self->key_label);
      CMS_ContentInfo_free (cms);
      return NULL;
    }

  if (!(der = cms_der (cms, error)))
    {
      CMS_ContentInfo_free (cms);
      return NULL;
    }

  /* The TSA is asked with the key's lock released: it may take seconds.
   * Too large with its token, the signature is kept without it, and the
   * caller may make room and try again. */
  if (timestamp && self->stamp_func != NULL && add_timestamp (self, si, tsa_error))
    {
      g_autoptr(GBytes) stamped = cms_der (cms, error);

      if (stamped == NULL)
        {
          CMS_ContentInfo_free (cms);
          return NULL;
        }
      if (max_size > 0 && g_bytes_get_size (stamped) > max_size)
        *needed_size = g_bytes_get_size (stamped);
      else
        {
          g_bytes_unref (der);
          der = g_steal_pointer (&stamped);
        }
    }
  CMS_ContentInfo_free (cms);

  if (max_size > 0 && g_bytes_get_size (der) > max_size)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                   _("The signature takes %zu bytes, more than the %zu reserved for it."),
                   g_bytes_get_size (der), max_size);
      return NULL;
    }

  return g_steal_pointer (&der);

failed:
  set_sign_error (error, "CMS");
  EVP_MD_CTX_free (md);
  if (cms)
    CMS_ContentInfo_free (cms);
  return NULL;
}
