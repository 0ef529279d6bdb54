/* ck-seal-pdf-private.h: what the seal's PDF files share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A seal or a document timestamp appended to a consent PDF, one job a file
 * (ck-seal-pdf.c says what the update holds):
 *
 *   ck-seal-pdf-read.c       the PDF read from its last trailer: xref
 *                            sections, catalog, first page, fields
 *   ck-seal-pdf-update.c     the incremental update written, its
 *                            /ByteRange and /Contents filled in
 *   ck-seal-pdf.c            ck_seal_sign_pdf (): the PAdES signature
 *   ck-seal-pdf-timestamp.c  ck_seal_timestamp_pdf (): the document
 *                            timestamp
 *
 * Only these files include this header. */

#pragma once

#include "ck-pdf-scan-private.h"
#include "ck-seal-private.h"

G_BEGIN_DECLS

/* The PDF as _ck_seal_pdf_read () found it. Values are the verifier's
 * (ck-pdf-scan-private.h): each knows where its bytes are in @data, which
 * the update copies from. */
typedef struct
{
  const guint8 *data;
  gsize len;
  GHashTable *xref;             /* number → CkPdfXrefEntry, the newest */
  CkPdfValue *trailer;          /* the last trailer */
  guint size;
  gsize startxref;
  guint root_num;
  guint root_gen;
  guint info_num;
  guint info_gen;
  gboolean has_info;
  const CkPdfValue *id0;        /* /ID[0], in @trailer; or NULL */
  CkPdfValue *catalog;
  guint page_num;
  guint page_gen;
  CkPdfValue *page;
  GString *fields;              /* "a 0 R b 0 R " already in /AcroForm /Fields */
  guint n_fields;
  GString *annots;              /* already in the page's /Annots */
  const CkPdfValue *acroform;   /* in @catalog or @acroform_object, or NULL */
  CkPdfValue *acroform_object;  /* /AcroForm when it is a reference */
} CkSealPdfDoc;

typedef enum
{
  CK_SEAL_PDF_UPDATE_SIGNATURE,
  CK_SEAL_PDF_UPDATE_DOC_TIMESTAMP,
} CkSealPdfUpdateKind;

typedef struct
{
  GByteArray *out;
  gsize byte_range_at;          /* the placeholder's first byte, inside [ ] */
  gsize hole_start;             /* '<' of /Contents */
  gsize hole_end;               /* after its '>' */
} CkSealPdfUpdate;

/* ck-seal-pdf-read.c */
gboolean               _ck_seal_pdf_read            (CkSealPdfDoc        *doc,
                                                     GBytes              *pdf,
                                                     GError             **error);
void                   _ck_seal_pdf_doc_clear       (CkSealPdfDoc        *doc);

/* ck-seal-pdf-update.c */
void                   _ck_seal_pdf_build_update    (const CkSealPdfDoc  *doc,
                                                     CkSealPdfUpdateKind  kind,
                                                     const CkSealPdfInfo *info,
                                                     gsize                contents_bytes,
                                                     const guint8        *id1,
                                                     CkSealPdfUpdate     *update);
void                   _ck_seal_pdf_fill_byte_range (CkSealPdfUpdate     *update,
                                                     CkSealRange          ranges[2]);
void                   _ck_seal_pdf_fill_contents   (CkSealPdfUpdate     *update,
                                                     GBytes              *der);
void                   _ck_seal_pdf_new_id          (const CkSealPdfDoc  *doc,
                                                     guint8              *id1);
void                   _ck_seal_pdf_update_clear    (CkSealPdfUpdate     *update);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkSealPdfDoc, _ck_seal_pdf_doc_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkSealPdfUpdate, _ck_seal_pdf_update_clear)

G_END_DECLS
