/* ck-seal-pdf.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A signature or a document timestamp appended to a consent PDF as an
 * incremental update (ISO 32000-1, 7.5.6; PAdES, ETSI EN 319 142-1): the
 * original bytes stay an exact prefix of the result.
 *
 * The PDF is ck-pdf's own (libharu: classic xref tables, a trailer with
 * /Root /Info /ID /Size), or one these files already updated. It is read
 * from its last startxref back through every /Prev, without trusting
 * anything: offsets, numbers and nesting are bounded, and anything else
 * (an xref stream, an object that is not where its xref says) is refused
 * with CK_SEAL_ERROR_PDF.
 *
 * The update holds:
 *   - the catalog again, with /AcroForm << /Fields [… field] /SigFlags 3 >>
 *     (and /Extensions /ESIC, PAdES's extension, when it has none);
 *   - the first page again, every key kept, with /Annots [… field];
 *   - the signature field, merged with its widget: invisible (/Rect
 *     [0 0 0 0], which PDF/A-2 lets go without an appearance) and printed
 *     (/F 132: Print, Locked), as PDF/A-2b wants;
 *   - the signature dictionary: /Sig with ETSI.CAdES.detached, /M /Reason
 *     /Location; or /DocTimeStamp with ETSI.RFC3161;
 *   - an xref section for these objects only, and a trailer with /Prev,
 *     the same /ID[0] and a new /ID[1].
 * /ByteRange is written as a fixed-width placeholder and /Contents as a
 * run of zeros, then both are filled in: the ranges are hashed, signed,
 * and the signature's hex fills /Contents. The room is the largest CMS
 * the seal's key makes (measured once) plus the last token's size; a
 * token that does not fit makes the update again with room for it, once.
 *
 * The jobs, one a file: ck-seal-pdf-read.c reads the PDF,
 * ck-seal-pdf-update.c writes the update and fills it in, this file
 * signs it (ck_seal_sign_pdf ()), ck-seal-pdf-timestamp.c stamps it
 * (ck_seal_timestamp_pdf ()). */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-seal-pdf-private.h"

/**
 * ck_seal_sign_pdf:
 * @pdf: a consent PDF as ck-pdf writes it, or one already updated
 * @info: the field's name, /Reason, /Location, /M
 * @timestamp: add a TSA token (PAdES-B-T) when a TSA is configured
 * @tsa_error: (out) (optional): why there is no token when the TSA failed
 *
 * Seals @pdf: appends an incremental update with a PAdES signature
 * (ETSI.CAdES.detached) over the whole file but its /Contents. When the
 * TSA fails, the PDF is still sealed, without token (PAdES-B-B), and
 * @tsa_error says why, with its CK_SEAL_ERROR_TSA_* code.
 *
 * Returns: (transfer full): the sealed PDF, of which @pdf is a prefix;
 *   or %NULL with CK_SEAL_ERROR_PDF (not a PDF this kiosk can sign),
 *   CK_SEAL_ERROR_KEY, CK_SEAL_ERROR_CERTIFICATE or CK_SEAL_ERROR_SIGN
 */
GBytes *
ck_seal_sign_pdf (CkSeal              *self,
                  GBytes              *pdf,
                  const CkSealPdfInfo *info,
                  gboolean             timestamp,
                  GError             **tsa_error,
                  GError             **error)
{
  g_auto(CkSealPdfDoc) doc = { 0 };
  guint8 id1[16];
  gboolean want_token;

  g_return_val_if_fail (CK_IS_SEAL (self), NULL);
  g_return_val_if_fail (pdf != NULL, NULL);
  g_return_val_if_fail (info != NULL && info->time != NULL, NULL);

  if (!_ck_seal_pdf_read (&doc, pdf, error))
    return NULL;
  _ck_seal_pdf_new_id (&doc, id1);
  want_token = timestamp && self->stamp_func != NULL;

  for (guint attempt = 0;; attempt++)
    {
      g_auto(CkSealPdfUpdate) update = { 0 };
      g_autoptr(GBytes) der = NULL;
      g_autoptr(GError) local_tsa_error = NULL;
      CkSealRange ranges[2];
      gsize room = self->cms_size_max;
      gsize needed = 0;

      if (want_token)
        room = MIN (room + _ck_seal_get_token_reserve (self) + CK_SEAL_TOKEN_OVERHEAD, CK_SEAL_CONTENTS_MAX);

      _ck_seal_pdf_build_update (&doc, CK_SEAL_PDF_UPDATE_SIGNATURE, info, room, id1, &update);
      _ck_seal_pdf_fill_byte_range (&update, ranges);
      if (!(der = _ck_seal_cms_sign (self, ranges, 2, FALSE, want_token, room, &needed,
                                     &local_tsa_error, error)))
        return NULL;

      /* The token did not fit: once, again with room for it. */
      if (needed > 0 && attempt == 0 && needed <= CK_SEAL_CONTENTS_MAX)
        {
          g_debug ("A signature with its token takes %zu bytes, %zu were reserved: again", needed, room);
          continue;
        }
      if (needed > 0)
        g_set_error (&local_tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                     _("The time-stamping authority’s token is too large (%zu bytes with the signature; "
                       "a PDF signature holds at most %d)."), needed, CK_SEAL_CONTENTS_MAX);

      _ck_seal_pdf_fill_contents (&update, der);
      if (local_tsa_error)
        g_propagate_error (tsa_error, g_steal_pointer (&local_tsa_error));

      return g_byte_array_free_to_bytes (g_steal_pointer (&update.out));
    }
}
