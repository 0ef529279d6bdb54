/* ck-seal-pdf-timestamp.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A document timestamp appended to a sealed consent PDF: an incremental
 * update as ck-seal-pdf.c describes, with /DocTimeStamp and ETSI.RFC3161,
 * whose /Contents is the TSA's token itself. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <openssl/evp.h>

#include "ck-seal-pdf-private.h"

/**
 * ck_seal_timestamp_pdf:
 * @pdf: a sealed consent PDF
 *
 * Appends a document timestamp revision (/DocTimeStamp, ETSI.RFC3161): a
 * TSA token over the whole file but its /Contents, in a new signature
 * field beside the existing ones (PAdES-B-LT's time, for a consent sealed
 * while the TSA was away).
 *
 * Returns: (transfer full): the PDF with its new revision, of which @pdf
 *   is a prefix; or %NULL with CK_SEAL_ERROR_NOT_CONFIGURED (no TSA),
 *   CK_SEAL_ERROR_PDF, or the TSA's CK_SEAL_ERROR_TSA_* error
 */
GBytes *
ck_seal_timestamp_pdf (CkSeal  *self,
                       GBytes  *pdf,
                       GError **error)
{
  g_auto(CkSealPdfDoc) doc = { 0 };
  guint8 id1[16];

  g_return_val_if_fail (CK_IS_SEAL (self), NULL);
  g_return_val_if_fail (pdf != NULL, NULL);

  if (self->stamp_func == NULL)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED,
                           _("No time-stamping authority is configured: set tsa_url in [signing]."));
      return NULL;
    }
  if (!_ck_seal_pdf_read (&doc, pdf, error))
    return NULL;
  _ck_seal_pdf_new_id (&doc, id1);

  for (guint attempt = 0;; attempt++)
    {
      g_auto(CkSealPdfUpdate) update = { 0 };
      g_autoptr(GBytes) token = NULL;
      CkSealRange ranges[2];
      guint8 digest[32];
      gsize room = MIN (_ck_seal_get_token_reserve (self), CK_SEAL_CONTENTS_MAX);
      EVP_MD_CTX *md;
      gboolean ok;

      _ck_seal_pdf_build_update (&doc, CK_SEAL_PDF_UPDATE_DOC_TIMESTAMP, NULL, room, id1, &update);
      _ck_seal_pdf_fill_byte_range (&update, ranges);

      md = EVP_MD_CTX_new ();
      ok = md != NULL && EVP_DigestInit_ex (md, EVP_sha256 (), NULL) &&
           EVP_DigestUpdate (md, ranges[0].data, ranges[0].len) &&
           EVP_DigestUpdate (md, ranges[1].data, ranges[1].len) &&
           EVP_DigestFinal_ex (md, digest, NULL);
      EVP_MD_CTX_free (md);
      if (!ok)
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                               _("The document could not be hashed for its timestamp."));
          return NULL;
        }

      if (!(token = _ck_seal_stamp (self, digest, error)))
        return NULL;
      if (g_bytes_get_size (token) < 2 || ((const guint8 *)g_bytes_get_data (token, NULL))[0] != 0x30)
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                               _("The time-stamping authority’s token is not a CMS structure."));
          return NULL;
        }
      _ck_seal_note_token_size (self, g_bytes_get_size (token));

      if (g_bytes_get_size (token) > room)
        {
          if (attempt == 0 && g_bytes_get_size (token) <= CK_SEAL_CONTENTS_MAX)
            continue;
          g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                       _("The time-stamping authority’s token is too large (%zu bytes; a PDF signature "
                         "holds at most %d)."), g_bytes_get_size (token), CK_SEAL_CONTENTS_MAX);
          return NULL;
        }

      _ck_seal_pdf_fill_contents (&update, token);
      return g_byte_array_free_to_bytes (g_steal_pointer (&update.out));
    }
}
