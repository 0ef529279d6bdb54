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
#include "ck-seal-verify-private.h"


/* --- the report ------------------------------------------------------ */

void
_ck_seal_timestamp_free (gpointer data)
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

  report->timestamps = g_ptr_array_new_with_free_func (_ck_seal_timestamp_free);
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
  timestamp = _ck_seal_check_token (signature->contents, sha256, v->tsa_store, TRUE, &why);
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
  if (info_ref && (info = _ck_seal_resolve (scan, info_ref, first->end)) && info->kind == CK_PDF_DICT)
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
  CkSealCmsCheck check = { 0 };
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
  cms = _ck_seal_check_cms (g_bytes_get_data (signature->contents, NULL), g_bytes_get_size (signature->contents),
                   g_bytes_get_data (content, NULL), g_bytes_get_size (content), cades, &check);
  for (guint i = 0; i < check.problems->len; i++)
    g_ptr_array_add (report->problems, g_strdup (check.problems->pdata[i]));
  report->valid = check.valid;
  report->signer = g_steal_pointer (&check.signer);

  if (check.token)
    {
      g_autofree char *why = NULL;
      CkSealTimestamp *timestamp = _ck_seal_check_token (check.token, check.signature_sha256, v->tsa_store,
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
          int result = _ck_seal_verify_chain (v->store, signer, cms, 0);
          uint32_t usage = X509_get_key_usage (signer);

          /* A certificate expired since: valid when a trusted timestamp
           * says the signature was made (PAdES-B-T). */
          if (result == X509_V_ERR_CERT_HAS_EXPIRED && stamped != 0)
            result = _ck_seal_verify_chain (v->store, signer, cms, stamped);

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
  _ck_seal_cms_check_clear (&check);
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

  if (ca_file && (v.store = _ck_seal_load_ca_file (ca_file, error)) == NULL)
    return NULL;
  if ((tsa_ca_file || ca_file) &&
      (v.tsa_store = _ck_seal_load_ca_file (tsa_ca_file ? tsa_ca_file : ca_file, error)) == NULL)
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

  if (scan->signatures->len > CK_SEAL_VERIFY_MAX_SIGNATURES)
    problem (report, _("The PDF carries %u signatures and timestamps: only the first %u were verified."),
             scan->signatures->len, CK_SEAL_VERIFY_MAX_SIGNATURES);
  for (guint i = 0; i < MIN (scan->signatures->len, CK_SEAL_VERIFY_MAX_SIGNATURES); i++)
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
      if (scan->revisions->len > consent->revision + 1 + CK_SEAL_VERIFY_MAX_REVISIONS)
        {
          report->covers_document = FALSE;
          problem (report, _("The PDF has %u revisions after its signature: more than document "
                             "timestamps ever add."), scan->revisions->len - consent->revision - 1);
        }
      for (guint r = consent->revision + 1;
           r < MIN (scan->revisions->len, consent->revision + 1 + CK_SEAL_VERIFY_MAX_REVISIONS); r++)
        {
          g_autofree char *why = _ck_seal_check_timestamp_revision (scan, r);

          if (why)
            {
              report->covers_document = FALSE;
              /* TRANSLATORS: the end is a reason, "it changes the catalog’s /Pages" */
              problem (report, _("Revision %u (bytes %zu to %zu) was "
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
        problem (report, _("The PDF has %zu bytes after its last end-of-file "
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

