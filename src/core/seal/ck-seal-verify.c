/* ck-seal-verify.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Verifying a sealed consent with nothing but the file and the CAs: no
 * store, no configuration. ck-pdf-scan.c reads the file (hostile input);
 * this file judges what it found:
 *
 *   - the consent signature: the first /Sig dictionary in file order, its
 *     /ByteRange [0 a b c] leaving out exactly its /Contents hex string and
 *     reaching the end of its revision, its CMS verified detached over the
 *     two ranges (signingCertificateV2 checked against the signer for
 *     ETSI.CAdES.detached), its signer chained to the CA file;
 *   - its timestamp (PAdES-B-T): the unsigned attribute
 *     id-aa-timeStampToken over the SHA-256 of the signature value;
 *   - every later revision: a document timestamp (/DocTimeStamp,
 *     ETSI.RFC3161) over its own /ByteRange, which reaches the end of its
 *     revision and changes nothing but what adding a signature field
 *     needs: new objects, the catalog's /AcroForm, a page's /Annots and
 *     the form's /Fields, each new field a signature field. Anything else
 *     is an edit after signing;
 *   - the consent id and the customer's name, from the original
 *     revision's document information.
 *
 * Tokens are verified by the TSA client's own helpers (ck-tsa-private.h).
 * Every fault is one translated sentence in the report's problems. */

#define _GNU_SOURCE   /* memmem() */
#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ck-pdf-scan-private.h"
#include "ck-seal.h"
#include "ck-seal-verify.h"
#include "ck-tsa-private.h"

#define SHA256_LEN 32

/* --- the report ------------------------------------------------------ */

static void
timestamp_free (gpointer data)
{
  CkSealTimestamp *timestamp = data;

  g_free (timestamp->time);
  g_free (timestamp->tsa);
  g_free (timestamp);
}

void
ck_seal_report_free (CkSealReport *report)
{
  if (report == NULL)
    return;
  g_free (report->consent_id);
  g_free (report->name);
  g_free (report->signer);
  g_free (report->signing_time);
  g_clear_pointer (&report->timestamps, g_ptr_array_unref);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

static CkSealReport *
report_new (void)
{
  CkSealReport *report = g_new0 (CkSealReport, 1);

  report->timestamps = g_ptr_array_new_with_free_func (timestamp_free);
  report->problems = g_ptr_array_new_with_free_func (g_free);

  return report;
}

static void problem (CkSealReport *report,
                     const char   *format,
                     ...) G_GNUC_PRINTF (2, 3);

static void
problem (CkSealReport *report,
         const char   *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (report->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/**
 * ck_seal_report_is_timestamped:
 *
 * Returns: whether at least one of @report's timestamps is valid
 */
gboolean
ck_seal_report_is_timestamped (const CkSealReport *report)
{
  for (guint i = 0; i < report->timestamps->len; i++)
    if (((CkSealTimestamp *)report->timestamps->pdata[i])->valid)
      return TRUE;

  return FALSE;
}

/**
 * ck_seal_report_is_ok:
 *
 * Returns: whether @report proves the consent: signed, valid, trusted,
 *   covering the document, every timestamp valid and no problem
 */
gboolean
ck_seal_report_is_ok (const CkSealReport *report)
{
  if (!report->signed_ || !report->valid || !report->trusted || !report->covers_document ||
      report->problems->len > 0)
    return FALSE;

  for (guint i = 0; i < report->timestamps->len; i++)
    if (!((CkSealTimestamp *)report->timestamps->pdata[i])->valid)
      return FALSE;

  return TRUE;
}

/* --- OpenSSL helpers ------------------------------------------------- */

/* What OpenSSL's error queue says, as one line, and the queue emptied. */
static char *
openssl_errors (void)
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

/* A certificate's subject as one UTF-8 line, without control characters. */
static char *
subject_one_line (X509 *cert)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  g_autoptr(GBytes) bytes = NULL;
  char *data = NULL;
  long length;

  if (bio == NULL)
    return NULL;
  if (X509_NAME_print_ex (bio, X509_get_subject_name (cert), 0,
                          XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) < 0)
    {
      BIO_free (bio);
      return NULL;
    }
  length = BIO_get_mem_data (bio, &data);
  bytes = g_bytes_new (data, length > 0 ? MIN (length, 4096) : 0);
  BIO_free (bio);

  {
    /* _ck_pdf_text_to_utf8 reads Latin-1 without a byte-order mark:
     * make the UTF-8 valid first, then drop control characters. */
    g_autofree char *valid = g_utf8_make_valid (g_bytes_get_data (bytes, NULL),
                                                g_bytes_get_size (bytes));
    GString *out = g_string_new (NULL);

    for (const char *p = valid; *p; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        g_string_append_unichar (out, g_unichar_iscntrl (c) ? 0xFFFD : c);
      }
    return g_string_free (out, FALSE);
  }
}

static X509_STORE *
load_ca_file (const char  *ca_file,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  X509_STORE *store;
  BIO *bio;
  gsize length = 0;
  guint count = 0;
  X509 *cert;

  if (!g_file_get_contents (ca_file, &contents, &length, &local_error))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("The CA file %s cannot be read: %s"), ca_file, local_error->message);
      return NULL;
    }

  store = X509_STORE_new ();
  bio = BIO_new_mem_buf (contents, (int)MIN (length, (gsize)G_MAXINT));
  while (store && bio && (cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    {
      if (X509_STORE_add_cert (store, cert))
        count++;
      X509_free (cert);
    }
  ERR_clear_error ();
  BIO_free (bio);

  if (count == 0)
    {
      g_clear_pointer (&store, X509_STORE_free);
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("The CA file %s holds no PEM certificate."), ca_file);
    }

  return store;
}

/* --- checking a CMS signature ---------------------------------------- */

typedef struct
{
  gboolean  cms_read;     /* the DER is a CMS SignedData with one signer */
  gboolean  valid;
  gboolean  trusted;
  char     *signer;
  GBytes   *token;        /* the embedded id-aa-timeStampToken, if any */
  guint8    signature_sha256[SHA256_LEN];
  GPtrArray *problems;    /* translated sentences */
} CmsCheck;

static void
cms_check_clear (CmsCheck *check)
{
  g_free (check->signer);
  g_clear_pointer (&check->token, g_bytes_unref);
  g_clear_pointer (&check->problems, g_ptr_array_unref);
}

static void cms_problem (CmsCheck   *check,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
cms_problem (CmsCheck   *check,
             const char *format,
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
static int
verify_chain (X509_STORE      *store,
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
static CMS_ContentInfo *
check_cms (const guint8 *der,
           gsize         der_len,
           const guint8 *content,
           gsize         content_len,
           gboolean      cades,
           CmsCheck     *check)
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
  check->signer = subject_one_line (signer);

  if (digest == NULL || !is_allowed_digest (digest))
    {
      cms_problem (check, _("The CMS signature uses a digest other than SHA-256, SHA-384 or SHA-512."));
      goto out;
    }

  bio = BIO_new_mem_buf (content, (int)MIN (content_len, (gsize)G_MAXINT));
  if (content_len > G_MAXINT || bio == NULL ||
      CMS_verify (cms, NULL, NULL, bio, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
    {
      g_autofree char *detail = openssl_errors ();

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
static CkSealTimestamp *
check_token (GBytes       *token,
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

/* --- the PDF --------------------------------------------------------- */

typedef struct
{
  const CkPdfScan *scan;
  CkSealReport    *report;
  X509_STORE      *store;      /* the seal's CAs, or NULL */
  X509_STORE      *tsa_store;  /* the TSA's CAs, or NULL */
} Verify;

/* "D:YYYYMMDDHHmmSSOHH'mm'", any tail left out, as ISO 8601. */
static char *
pdf_date_to_iso (const char *m)
{
  int f[6] = { 0, 1, 1, 0, 0, 0 };
  static const int widths[6] = { 4, 2, 2, 2, 2, 2 };
  const char *p = m;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) when = NULL;

  if (g_str_has_prefix (p, "D:"))
    p += 2;
  for (int i = 0; i < 6; i++)
    {
      int v = 0;

      if (!g_ascii_isdigit (*p))
        {
          if (i == 0)
            return NULL;
          break;
        }
      for (int w = 0; w < widths[i]; w++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return NULL;
          v = v * 10 + (*p - '0');
        }
      f[i] = v;
    }

  if (*p == '\0')
    zone = g_time_zone_new_utc ();
  else if (*p == 'Z')
    {
      zone = g_time_zone_new_utc ();
      p++;
      if (*p == '\'' && p[1] == '\0')
        p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int hh, mm = 0;
      char sign = *p++;
      g_autofree char *id = NULL;

      if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
        return NULL;
      hh = (p[0] - '0') * 10 + (p[1] - '0');
      p += 2;
      if (*p == '\'')
        p++;
      if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]))
        {
          mm = (p[0] - '0') * 10 + (p[1] - '0');
          p += 2;
          if (*p == '\'')
            p++;
        }
      if (hh > 23 || mm > 59)
        return NULL;
      id = g_strdup_printf ("%c%02d:%02d", sign, hh, mm);
      zone = g_time_zone_new_identifier (id);
    }
  if (zone == NULL || *p != '\0')
    return NULL;

  when = g_date_time_new (zone, f[0], f[1], f[2], f[3], f[4], f[5]);
  if (when == NULL)
    return NULL;

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%S%:z");
}

/* The two ranges of a /ByteRange [0 a b c], one after the other. */
static GBytes *
signed_bytes (const CkPdfScan      *scan,
              const CkPdfSignature *signature)
{
  gsize a = signature->byte_range[1];
  gsize b = signature->byte_range[2];
  gsize c = signature->byte_range[3];
  guint8 *bytes = g_malloc (a + c + 1);

  memcpy (bytes, scan->data, a);
  memcpy (bytes + a, scan->data + b, c);

  return g_bytes_new_take (bytes, a + c);
}

/* Checks @signature's /ByteRange and /Contents: NULL when they can be
 * verified, else why not. *@reaches_end: the ranges end where the
 * signature's revision ends. */
static char *
check_byte_range (const CkPdfScan      *scan,
                  const CkPdfSignature *signature,
                  gboolean             *reaches_end)
{
  const gint64 *r = signature->byte_range;
  CkPdfRevision *revision;

  *reaches_end = FALSE;

  if (!signature->byte_range_ok)
    return g_strdup (_("its /ByteRange is not four whole numbers of at least 0"));
  if (!signature->contents_hex)
    return g_strdup (_("its /Contents is not a hex string"));
  if (signature->contents == NULL)
    return g_strdup (_("its /Contents holds a character that is no hex digit, or an odd number of "
                       "digits"));
  if (r[0] != 0)
    return g_strdup (_("its /ByteRange does not begin at the first byte of the file"));
  if ((guint64)r[1] > scan->len || (guint64)r[2] > scan->len || (guint64)r[3] > scan->len - r[2])
    return g_strdup (_("its /ByteRange goes beyond the end of the file"));
  if ((gsize)r[1] != signature->contents_start || (gsize)r[2] != signature->contents_end)
    return g_strdup (_("its /ByteRange leaves out other bytes than exactly its /Contents"));

  if (signature->revision < scan->revisions->len)
    {
      gsize end = r[2] + r[3];

      revision = scan->revisions->pdata[signature->revision];
      *reaches_end = end >= revision->eof && end <= revision->end;
    }

  return NULL;
}

static void
bytes_sha256 (GBytes *bytes,
              guint8 *out)
{
  SHA256 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), out);
}

static void
verify_doc_timestamp (Verify               *v,
                      const CkPdfSignature *signature)
{
  CkSealTimestamp *timestamp;
  g_autofree char *why = NULL;
  g_autofree char *range = NULL;
  g_autoptr(GBytes) content = NULL;
  guint8 sha256[SHA256_LEN];
  gboolean reaches_end;

  range = check_byte_range (v->scan, signature, &reaches_end);
  if (range)
    {
      timestamp = g_new0 (CkSealTimestamp, 1);
      timestamp->document = TRUE;
      g_ptr_array_add (v->report->timestamps, timestamp);
      /* TRANSLATORS: the end is a reason, "its /ByteRange goes beyond…" */
      problem (v->report, _("The document timestamp of revision %u cannot be verified: %s."),
               signature->revision + 1, range);
      return;
    }

  content = signed_bytes (v->scan, signature);
  bytes_sha256 (content, sha256);
  timestamp = check_token (signature->contents, sha256, v->tsa_store, TRUE, &why);
  g_ptr_array_add (v->report->timestamps, timestamp);

  if (g_strcmp0 (signature->sub_filter, "ETSI.RFC3161") != 0)
    {
      timestamp->valid = FALSE;
      problem (v->report, _("The document timestamp of revision %u is not of type ETSI.RFC3161."),
               signature->revision + 1);
    }
  if (why)
    problem (v->report, _("The document timestamp of revision %u is not valid: %s"),
             signature->revision + 1, why);
  if (!reaches_end)
    {
      timestamp->valid = FALSE;
      problem (v->report, _("The document timestamp of revision %u does not cover its revision up to "
                            "its end."), signature->revision + 1);
    }
}

/* The value @value refers to, as defined last before @before; a direct
 * value is copied by parsing it again. */
static CkPdfValue *
resolve (const CkPdfScan  *scan,
         const CkPdfValue *value,
         gsize             before)
{
  gint index;

  if (value == NULL)
    return NULL;
  if (value->kind != CK_PDF_REF)
    return _ck_pdf_value_parse (scan->data, scan->len, value->start);
  if ((index = _ck_pdf_scan_find_object (scan, value->num, before)) < 0)
    return NULL;

  return _ck_pdf_scan_parse_object (scan, index);
}

static gboolean
same_value (const CkPdfScan  *scan,
            const CkPdfValue *a,
            const CkPdfValue *b)
{
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  ca = _ck_pdf_value_canonical (scan, a);
  cb = _ck_pdf_value_canonical (scan, b);

  return g_strcmp0 (ca, cb) == 0;
}

/* Whether the new dictionary @now keeps every key of @was (and adds none)
 * but @except; the first that differs in @key. */
static gboolean
same_dict_except (const CkPdfScan  *scan,
                  const CkPdfValue *was,
                  const CkPdfValue *now,
                  const char       *except,
                  const char      **key)
{
  const CkPdfValue *dicts[2] = { was, now };

  if (was->kind != CK_PDF_DICT || now->kind != CK_PDF_DICT)
    return FALSE;

  for (guint d = 0; d < 2; d++)
    for (guint i = 0; i + 1 < dicts[d]->items->len; i += 2)
      {
        const char *name = ((CkPdfValue *)dicts[d]->items->pdata[i])->name;

        if (g_strcmp0 (name, except) == 0)
          continue;
        if (!same_value (scan, _ck_pdf_dict_get (was, name), _ck_pdf_dict_get (now, name)))
          {
            *key = name;
            return FALSE;
          }
      }

  return TRUE;
}

/* Each entry @now adds to the list @was (of /Annots or /Fields) must be a
 * signature field, defined in @revision; none may go. */
static gboolean
only_signature_fields_added (const CkPdfScan     *scan,
                             const CkPdfRevision *revision,
                             const CkPdfValue    *was_ref,
                             const CkPdfValue    *now_ref)
{
  g_autoptr(CkPdfValue) was = resolve (scan, was_ref, revision->start);
  g_autoptr(CkPdfValue) now = resolve (scan, now_ref, revision->end);
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (now == NULL || now->kind != CK_PDF_ARRAY || (was && was->kind != CK_PDF_ARRAY))
    return FALSE;

  for (guint i = 0; was && i < was->items->len; i++)
    g_hash_table_add (old, _ck_pdf_value_canonical (scan, was->items->pdata[i]));

  for (guint i = 0; i < now->items->len; i++)
    {
      CkPdfValue *item = now->items->pdata[i];
      g_autofree char *canonical = _ck_pdf_value_canonical (scan, item);
      g_autoptr(CkPdfValue) field = NULL;
      gint index;

      if (g_hash_table_remove (old, canonical))
        continue;
      /* New: an object of this revision that is a signature field. */
      if (item->kind != CK_PDF_REF ||
          (index = _ck_pdf_scan_find_object (scan, item->num, revision->end)) < 0 ||
          g_array_index (scan->objects, CkPdfObject, index).offset < revision->start ||
          (field = _ck_pdf_scan_parse_object (scan, index)) == NULL ||
          !_ck_pdf_value_is_name (_ck_pdf_dict_get (field, "FT"), "Sig"))
        return FALSE;
    }

  return g_hash_table_size (old) == 0;
}

static gint64
ref_num (const CkPdfValue *value)
{
  return value && value->kind == CK_PDF_REF ? value->num : -1;
}

/* Whether revision @index, after the consent signature, is a document
 * timestamp and nothing else: NULL, or why not. */
static char *
check_timestamp_revision (const CkPdfScan *scan,
                          guint            index)
{
  const CkPdfRevision *revision = scan->revisions->pdata[index];
  const CkPdfRevision *before = scan->revisions->pdata[index - 1];
  g_autoptr(CkPdfValue) trailer = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(CkPdfValue) catalog = NULL;
  CkPdfValue *prev;
  guint n_signatures = 0;
  gint64 root, acroform = -1;

  for (guint i = 0; i < scan->signatures->len; i++)
    {
      const CkPdfSignature *signature = scan->signatures->pdata[i];

      if (signature->revision != index)
        continue;
      if (!signature->doc_timestamp)
        return g_strdup (_("it adds a signature that is not a document timestamp"));
      n_signatures++;
    }
  if (n_signatures != 1)
    return g_strdup (_("it is not one document timestamp"));

  if (revision->startxref < (gint64)revision->start || revision->startxref >= (gint64)revision->eof ||
      (entries = _ck_pdf_scan_read_xref (scan, revision->startxref, &trailer)) == NULL)
    return g_strdup (_("its cross-reference table cannot be read"));

  if (before->trailer == NULL)
    return g_strdup (_("the revision before it has no trailer to compare it with"));
  prev = _ck_pdf_dict_get (trailer, "Prev");
  if (prev == NULL || prev->kind != CK_PDF_INT || prev->num != before->startxref)
    return g_strdup (_("its trailer’s /Prev is not the revision before it"));
  root = ref_num (_ck_pdf_dict_get (trailer, "Root"));
  if (root < 0 || root != ref_num (_ck_pdf_dict_get (before->trailer, "Root")))
    return g_strdup (_("it changes the document’s catalog (/Root)"));
  if (!same_value (scan, _ck_pdf_dict_get (trailer, "Info"), _ck_pdf_dict_get (before->trailer, "Info")))
    return g_strdup (_("it changes the document information (/Info)"));
  if (_ck_pdf_dict_get (trailer, "Encrypt"))
    return g_strdup (_("it encrypts the document"));

  {
    gint i = _ck_pdf_scan_find_object (scan, root, revision->start);

    if (i >= 0 && (catalog = _ck_pdf_scan_parse_object (scan, i)))
      acroform = ref_num (_ck_pdf_dict_get (catalog, "AcroForm"));
  }

  for (guint i = 0; i < entries->len; i++)
    {
      const CkPdfXrefEntry *entry = &g_array_index (entries, CkPdfXrefEntry, i);
      g_autoptr(CkPdfValue) was = NULL;
      g_autoptr(CkPdfValue) now = NULL;
      const CkPdfObject *object = NULL;
      const char *key = NULL;
      gint earlier;

      if (!entry->in_use)
        {
          if (entry->num != 0)
            return g_strdup_printf (_("it deletes object %" G_GINT64_FORMAT), entry->num);
          continue;
        }
      if (entry->offset < (gint64)revision->start || entry->offset >= (gint64)revision->eof)
        return g_strdup_printf (_("it points object %" G_GINT64_FORMAT " at bytes outside the revision"),
                                entry->num);
      for (guint o = 0; o < scan->objects->len && object == NULL; o++)
        {
          const CkPdfObject *candidate = &g_array_index (scan->objects, CkPdfObject, o);

          if (candidate->offset == (gsize)entry->offset && candidate->num == entry->num)
            {
              object = candidate;
              now = _ck_pdf_scan_parse_object (scan, o);
            }
        }
      if (object == NULL || now == NULL)
        return g_strdup_printf (_("its object %" G_GINT64_FORMAT " is not where its "
                                  "cross-reference table says"), entry->num);

      earlier = _ck_pdf_scan_find_object (scan, entry->num, revision->start);
      if (earlier < 0)
        continue;   /* a new object */
      if ((was = _ck_pdf_scan_parse_object (scan, earlier)) == NULL)
        return g_strdup_printf (_("it replaces object %" G_GINT64_FORMAT), entry->num);

      if (entry->num == root)
        {
          if (!same_dict_except (scan, was, now, "AcroForm", &key))
            return g_strdup_printf (_("it changes the catalog’s /%s"), key ? key : "Type");
          if (!_ck_pdf_value_is_name (_ck_pdf_dict_get (now, "Type"), "Catalog"))
            return g_strdup (_("it changes the catalog’s /Type"));
          /* An /AcroForm written in the catalog itself: its fields. */
          {
            CkPdfValue *old_form = _ck_pdf_dict_get (was, "AcroForm");
            CkPdfValue *new_form = _ck_pdf_dict_get (now, "AcroForm");

            if (new_form && new_form->kind == CK_PDF_DICT &&
                (old_form == NULL || old_form->kind == CK_PDF_DICT))
              {
                if ((old_form && !same_dict_except (scan, old_form, new_form, "Fields", &key)) ||
                    !only_signature_fields_added (scan, revision,
                                                  old_form ? _ck_pdf_dict_get (old_form, "Fields") : NULL,
                                                  _ck_pdf_dict_get (new_form, "Fields")))
                  return g_strdup (_("it adds form fields that are not signature fields"));
              }
            else if (!same_value (scan, old_form, new_form) &&
                     !(new_form && new_form->kind == CK_PDF_REF && old_form == NULL))
              return g_strdup (_("it changes the catalog’s /AcroForm"));
          }
        }
      else if (entry->num == acroform ||
               ref_num (_ck_pdf_dict_get (now, "AcroForm")) == entry->num)
        {
          if (!same_dict_except (scan, was, now, "Fields", &key))
            return g_strdup_printf (_("it changes the form’s /%s"), key ? key : "Fields");
          if (!only_signature_fields_added (scan, revision, _ck_pdf_dict_get (was, "Fields"),
                                            _ck_pdf_dict_get (now, "Fields")))
            return g_strdup (_("it adds form fields that are not signature fields"));
        }
      else if (_ck_pdf_value_is_name (_ck_pdf_dict_get (was, "Type"), "Page"))
        {
          if (!same_dict_except (scan, was, now, "Annots", &key))
            return g_strdup_printf (_("it changes a page’s /%s"), key ? key : "Type");
          if (!only_signature_fields_added (scan, revision, _ck_pdf_dict_get (was, "Annots"),
                                            _ck_pdf_dict_get (now, "Annots")))
            return g_strdup (_("it adds annotations to a page that are not signature fields"));
        }
      else
        return g_strdup_printf (_("it replaces object %" G_GINT64_FORMAT ", which the signature "
                                  "covers"), entry->num);
    }

  return NULL;
}

static void
read_document_information (Verify *v)
{
  const CkPdfScan *scan = v->scan;
  const CkPdfRevision *first;
  CkPdfValue *info_ref, *keywords, *subject;
  g_autoptr(CkPdfValue) info = NULL;

  if (scan->revisions->len == 0)
    return;
  first = scan->revisions->pdata[0];
  info_ref = _ck_pdf_dict_get (first->trailer, "Info");
  if (info_ref && (info = resolve (scan, info_ref, first->end)) && info->kind == CK_PDF_DICT)
    {
      keywords = _ck_pdf_dict_get (info, "Keywords");
      subject = _ck_pdf_dict_get (info, "Subject");

      if (keywords && keywords->kind == CK_PDF_STRING)
        {
          g_autofree char *text = _ck_pdf_text_to_utf8 (keywords->string);
          const char *id = strstr (text, "consent-id:");

          if (id && (id == text || id[-1] == ' '))
            {
              g_autofree char *uuid = g_strndup (id + strlen ("consent-id:"),
                                                 strcspn (id + strlen ("consent-id:"), " "));

              if (g_uuid_string_is_valid (uuid))
                v->report->consent_id = g_steal_pointer (&uuid);
            }
        }
      if (subject && subject->kind == CK_PDF_STRING)
        {
          g_autofree char *text = _ck_pdf_text_to_utf8 (subject->string);
          const char *dash = g_strrstr (text, " — ");

          if (dash && dash[strlen (" — ")])
            v->report->name = g_strdup (dash + strlen (" — "));
        }
    }

  if (v->report->consent_id == NULL)
    problem (v->report, _("The PDF’s document information names no consent (no “consent-id:” in its "
                          "keywords)."));
  if (v->report->name == NULL)
    problem (v->report, _("The PDF’s document information names no customer (its subject is not "
                          "“title — name”)."));
}

static void
verify_consent_signature (Verify               *v,
                          const CkPdfSignature *signature)
{
  CkSealReport *report = v->report;
  CMS_ContentInfo *cms = NULL;
  CmsCheck check = { 0 };
  g_autoptr(GBytes) content = NULL;
  g_autofree char *range = NULL;
  gboolean reaches_end = FALSE;
  gboolean cades = g_strcmp0 (signature->sub_filter, "ETSI.CAdES.detached") == 0;
  time_t stamped = 0;

  report->signed_ = TRUE;

  if (signature->m)
    {
      report->signing_time = pdf_date_to_iso (signature->m);
      if (report->signing_time == NULL)
        problem (report, _("The signature’s time (/M) is not a PDF date."));
    }
  else
    problem (report, _("The signature has no signing time (/M)."));

  if (!cades && g_strcmp0 (signature->sub_filter, "adbe.pkcs7.detached") != 0)
    {
      g_autoptr(GBytes) name = signature->sub_filter
        ? g_bytes_new (signature->sub_filter, strlen (signature->sub_filter)) : NULL;
      g_autofree char *shown = name ? _ck_pdf_text_to_utf8 (name) : g_strdup ("—");

      problem (report, _("The signature is of type %s, which cannot be verified: a sealed consent’s is "
                         "ETSI.CAdES.detached."), shown);
      return;
    }
  if (!cades)
    problem (report, _("The signature is of type adbe.pkcs7.detached, not the ETSI.CAdES.detached of a "
                       "sealed consent: it was verified, but it is not the kiosk’s seal."));

  if ((range = check_byte_range (v->scan, signature, &reaches_end)))
    {
      problem (report, _("The signature cannot be verified: %s."), range);
      return;
    }
  report->covers_document = reaches_end;
  if (!reaches_end)
    problem (report, _("The signature does not cover its revision up to the end."));

  content = signed_bytes (v->scan, signature);
  cms = check_cms (g_bytes_get_data (signature->contents, NULL), g_bytes_get_size (signature->contents),
                   g_bytes_get_data (content, NULL), g_bytes_get_size (content), cades, &check);
  for (guint i = 0; i < check.problems->len; i++)
    g_ptr_array_add (report->problems, g_strdup (check.problems->pdata[i]));
  report->valid = check.valid;
  report->signer = g_steal_pointer (&check.signer);

  if (check.token)
    {
      g_autofree char *why = NULL;
      CkSealTimestamp *timestamp = check_token (check.token, check.signature_sha256, v->tsa_store,
                                                FALSE, &why);

      g_ptr_array_insert (report->timestamps, 0, timestamp);
      if (why)
        problem (report, _("The signature’s timestamp is not valid: %s"), why);
      else if (timestamp->time)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (timestamp->time, NULL);

          stamped = when ? g_date_time_to_unix (when) : 0;
        }
    }

  /* Trust is asked of a signature that holds only. */
  if (cms && check.valid)
    {
      X509 *signer = NULL;

      CMS_SignerInfo_get0_algs (sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0), NULL,
                                &signer, NULL, NULL);
      if (v->store == NULL)
        problem (report, _("No CA file was given (--ca): the signer’s certificate was not checked "
                           "against a trusted CA."));
      else if (signer)
        {
          int result = verify_chain (v->store, signer, cms, 0);
          uint32_t usage = X509_get_key_usage (signer);

          /* A certificate expired since: valid when a trusted timestamp
           * says the signature was made (PAdES-B-T). */
          if (result == X509_V_ERR_CERT_HAS_EXPIRED && stamped != 0)
            result = verify_chain (v->store, signer, cms, stamped);

          if (result != X509_V_OK)
            problem (report, _("The signer’s certificate does not chain to the given CA: %s."),
                     X509_verify_cert_error_string (result));
          else if (usage != UINT32_MAX && !(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
            problem (report, _("The signer’s certificate is not for signatures (key usage)."));
          else
            report->trusted = TRUE;
        }
    }

  CMS_ContentInfo_free (cms);
  cms_check_clear (&check);
  ERR_clear_error ();
}

static gboolean
looks_like_pdf (const guint8 *data,
                gsize         len)
{
  /* Readers accept the header within the first 1024 bytes. */
  return memmem (data, MIN (len, 1024), "%PDF-", 5) != NULL;
}

/**
 * ck_seal_verify_pdf:
 * @pdf: a PDF's bytes, from anywhere
 * @ca_file: (nullable): the CAs the seal must chain to, PEM
 * @tsa_ca_file: (nullable): the CAs a TSA must chain to, PEM; when %NULL,
 *   @ca_file (which may then hold both)
 *
 * Verifies a sealed consent with nothing but its bytes and the CAs.
 *
 * Returns: (transfer full): what was found (ck_seal_report_is_ok() says
 *   whether it proves the consent); %NULL with CK_SEAL_ERROR_PDF when
 *   @pdf is no PDF, or CK_SEAL_ERROR_FILE when a CA file cannot be read
 */
CkSealReport *
ck_seal_verify_pdf (GBytes      *pdf,
                    const char  *ca_file,
                    const char  *tsa_ca_file,
                    GError     **error)
{
  g_autoptr(CkSealReport) report = NULL;
  g_autoptr(CkPdfScan) scan = NULL;
  Verify v = { 0 };
  const CkPdfSignature *consent = NULL;
  const guint8 *data;
  gsize len = 0;

  g_return_val_if_fail (pdf != NULL, NULL);

  data = g_bytes_get_data (pdf, &len);
  if (data == NULL || !looks_like_pdf (data, len))
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF,
                           _("This is not a PDF file: it does not begin with “%PDF-”."));
      return NULL;
    }

  if (ca_file && (v.store = load_ca_file (ca_file, error)) == NULL)
    return NULL;
  if ((tsa_ca_file || ca_file) &&
      (v.tsa_store = load_ca_file (tsa_ca_file ? tsa_ca_file : ca_file, error)) == NULL)
    {
      X509_STORE_free (v.store);
      return NULL;
    }

  report = report_new ();
  scan = _ck_pdf_scan (data, len);
  v.scan = scan;
  v.report = report;

  if (scan->revisions->len == 0)
    problem (report, _("The PDF has no end-of-file marker (%%%%EOF): it is cut short or damaged."));

  for (guint i = 0; i < scan->signatures->len; i++)
    {
      const CkPdfSignature *signature = scan->signatures->pdata[i];

      if (signature->doc_timestamp)
        verify_doc_timestamp (&v, signature);
      else if (consent == NULL)
        {
          consent = signature;
          verify_consent_signature (&v, signature);
        }
    }

  read_document_information (&v);
  if (consent)
    {
      /* Every revision after the signature's is a document timestamp. */
      for (guint r = consent->revision + 1; r < scan->revisions->len; r++)
        {
          g_autofree char *why = check_timestamp_revision (scan, r);

          if (why)
            {
              report->covers_document = FALSE;
              /* TRANSLATORS: the end is a reason, "it changes the catalog’s /Pages" */
              problem (report, _("Revision %u (bytes %" G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT ") was "
                                 "added after the signature and is not a document timestamp only: %s."),
                       r + 1, ((CkPdfRevision *)scan->revisions->pdata[r])->start,
                       ((CkPdfRevision *)scan->revisions->pdata[r])->end, why);
            }
        }
      for (guint i = 0; i < scan->signatures->len; i++)
        {
          const CkPdfSignature *other = scan->signatures->pdata[i];

          if (other != consent && !other->doc_timestamp)
            problem (report, _("The PDF carries a second signature (revision %u): a sealed consent "
                               "carries one."), other->revision + 1);
        }
    }
  else
    {
      if (scan->signatures->len == 0)
        problem (report, _("The PDF is not signed: it carries no signature."));
      else
        problem (report, _("The PDF carries no consent signature, only document timestamps."));
    }

  /* After the last %%EOF: white space only. */
  {
    gsize end = scan->revisions->len
      ? ((CkPdfRevision *)scan->revisions->pdata[scan->revisions->len - 1])->end : 0;

    while (end < len && (data[end] == ' ' || data[end] == '\t' || data[end] == '\r' ||
                         data[end] == '\n' || data[end] == '\f' || data[end] == 0))
      end++;
    if (end < len && scan->revisions->len > 0)
      {
        report->covers_document = FALSE;
        problem (report, _("The PDF has %" G_GSIZE_FORMAT " bytes after its last end-of-file "
                           "marker that no signature covers."), len - end);
      }
  }

  X509_STORE_free (v.store);
  X509_STORE_free (v.tsa_store);

  return g_steal_pointer (&report);
}

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
  CmsCheck check = { 0 };
  g_autofree char *why = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL && cms != NULL, FALSE);

  if (ca_file && (store = load_ca_file (ca_file, error)) == NULL)
    return FALSE;
  if ((tsa_ca_file || ca_file) &&
      (tsa_store = load_ca_file (tsa_ca_file ? tsa_ca_file : ca_file, error)) == NULL)
    goto out;

  content_info = check_cms (g_bytes_get_data (cms, NULL), g_bytes_get_size (cms),
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
      stamp = check_token (check.token, check.signature_sha256, tsa_store, FALSE, &why);
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
      result = cert ? verify_chain (store, cert, content_info, 0) : X509_V_ERR_UNSPECIFIED;
      if (result == X509_V_ERR_CERT_HAS_EXPIRED && stamp && stamp->time)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (stamp->time, NULL);

          if (when)
            result = verify_chain (store, cert, content_info, g_date_time_to_unix (when));
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
    timestamp_free (stamp);
  CMS_ContentInfo_free (content_info);
  cms_check_clear (&check);
  X509_STORE_free (store);
  X509_STORE_free (tsa_store);
  ERR_clear_error ();

  return ok;
}
