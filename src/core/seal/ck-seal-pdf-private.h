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

#include "ck-seal-private.h"

G_BEGIN_DECLS

typedef enum
{
  CK_SEAL_PDF_VALUE_NONE,
  CK_SEAL_PDF_VALUE_DICT,
  CK_SEAL_PDF_VALUE_ARRAY,
  CK_SEAL_PDF_VALUE_NAME,
  CK_SEAL_PDF_VALUE_STRING,
  CK_SEAL_PDF_VALUE_NUMBER,
  CK_SEAL_PDF_VALUE_REF,
  CK_SEAL_PDF_VALUE_KEYWORD,
} CkSealPdfValueType;

typedef struct
{
  CkSealPdfValueType type;
  gsize start;                  /* the value's bytes, [start, end) */
  gsize end;
  guint num;                    /* CK_SEAL_PDF_VALUE_REF */
  guint gen;
} CkSealPdfValue;

typedef struct
{
  gsize key_start;              /* the key's name, with its slash */
  gsize key_end;
  CkSealPdfValue value;
} CkSealPdfEntry;

typedef struct
{
  const guint8 *data;
  gsize len;
  GHashTable *xref;             /* number → its newest xref entry */
  GArray *trailer;              /* CkSealPdfEntry, of the last trailer */
  guint size;
  gsize startxref;
  CkSealPdfValue root;
  CkSealPdfValue info;
  CkSealPdfValue id0;
  gboolean has_info;
  gboolean has_id;
  GArray *catalog;              /* CkSealPdfEntry */
  guint page_num;
  guint page_gen;
  GArray *page;                 /* CkSealPdfEntry */
  GString *fields;              /* "a 0 R b 0 R " already in /AcroForm /Fields */
  guint n_fields;
  GString *annots;              /* already in the page's /Annots */
  GArray *acroform;             /* CkSealPdfEntry, a direct or resolved /AcroForm, or NULL */
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
const CkSealPdfEntry  *_ck_seal_pdf_dict_lookup     (const CkSealPdfDoc  *doc,
                                                     GArray              *entries,
                                                     const char          *key);

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
