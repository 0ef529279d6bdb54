/* ck-pdf.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ck-font-set.h"
#include "ck-signature.h"
#include "ck-template.h"

G_BEGIN_DECLS

#define CK_PDF_ERROR (ck_pdf_error_quark ())

typedef enum
{
  CK_PDF_ERROR_MISSING_GLYPH,
  CK_PDF_ERROR_WRITER,
  CK_PDF_ERROR_INPUT,
  CK_PDF_ERROR_COLOR_PROFILE,
} CkPdfError;

#define CK_TYPE_ENTRY_METHOD (ck_entry_method_get_type ())

/**
 * CkEntryMethod:
 * @CK_ENTRY_METHOD_TYPED: typed on a keyboard, physical or on-screen (the
 *   ID number's keypad)
 * @CK_ENTRY_METHOD_HANDWRITING: written character by character on the
 *   handwriting pad
 * @CK_ENTRY_METHOD_PINYIN: chosen on the on-screen pinyin keyboard
 * @CK_ENTRY_METHOD_CARD: read from the resident ID card by the card reader
 *   (`[card_reader]`, ck-card-reader)
 *
 * How the customer entered a value; the signing record says it, and the
 * store keeps it with the consent by its nick (ck_entry_method_to_nick()).
 */
typedef enum
{
  CK_ENTRY_METHOD_TYPED,
  CK_ENTRY_METHOD_HANDWRITING,
  CK_ENTRY_METHOD_PINYIN,
  CK_ENTRY_METHOD_CARD,
} CkEntryMethod;

/**
 * CkPdfRequest:
 * @template: the letter as the customer read it
 * @values: the blanks' values; name, ID number and date are required, an
 *   organisation value left %NULL prints as an underlined blank
 * @signature: drawn at each {signature}
 * @consent_id: printed in the footer and the metadata
 * @kiosk_id: printed in the footer
 * @organization: the PDF's Author
 * @created: the PDF's CreationDate; the same request gives the same bytes
 * @demo: the demo verifier is configured: every page says DEMO
 * @example: the organisation is the demo settings' example
 * @name_method: how the name was entered, for the signing record
 * @id_method: how the ID number was entered
 * @sealed: the PDF is sealed once rendered ([signing] is configured): the
 *   signing record says "本文件已加盖电子签章"
 *
 * Everything a consent PDF shows.
 */
typedef struct
{
  CkTemplate *template;
  CkTemplateValues values;
  CkSignature *signature;
  const char *consent_id;
  const char *kiosk_id;
  const char *organization;
  GDateTime *created;
  gboolean demo;
  gboolean example;
  CkEntryMethod name_method;
  CkEntryMethod id_method;
  gboolean sealed;
} CkPdfRequest;

/**
 * CkPdfFieldBox:
 * @field: which blank
 * @page: the page, from 1
 * @x: left edge, in points from the page's left
 * @y: bottom edge, in points from the page's bottom
 * @width: width in points
 * @height: height in points
 *
 * Where a filled blank (or the signature) landed on the page.
 */
typedef struct
{
  CkTemplateField field;
  guint page;
  double x;
  double y;
  double width;
  double height;
} CkPdfFieldBox;

/**
 * CkPdfGlyphBox:
 * @c: the character
 * @page: the page, from 1
 * @line: the line, counted over the whole document
 * @block: the template block it belongs to
 * @x: its origin, in points from the page's left
 * @y: its baseline, in points from the page's bottom
 * @size: its size in points
 * @advance: its natural advance in points (the room after it, on a
 *   justified line, is the next glyph's @x less @x + @advance)
 * @font: the font that draws it, an index into the #CkFontSet
 * @field: the blank it fills, or %CK_TEMPLATE_FIELD_NONE
 * @first_line: its line is its block's first
 * @last_line: its line is its block's last
 *
 * Where one character of the letter was set, for checking typography.
 */
typedef struct
{
  gunichar c;
  guint page;
  guint line;
  guint block;
  double x;
  double y;
  double size;
  double advance;
  guint font;
  CkTemplateField field;
  gboolean first_line;
  gboolean last_line;
} CkPdfGlyphBox;

/* Geometry of ck_pdf_render_specimen(), in points and cells. */
#define CK_PDF_SPECIMEN_MARGIN    36.0
#define CK_PDF_SPECIMEN_SIZE       0.70
#define CK_PDF_SPECIMEN_ORIGIN_X   0.15
#define CK_PDF_SPECIMEN_BASELINE   0.78
#define CK_PDF_PAGE_WIDTH        595.276
#define CK_PDF_PAGE_HEIGHT       841.890

GType        ck_entry_method_get_type    (void) G_GNUC_CONST;
const char  *ck_entry_method_to_string   (CkEntryMethod method);
const char  *ck_entry_method_to_nick     (CkEntryMethod method);
const char  *ck_entry_method_describe    (const char   *nick);

GQuark  ck_pdf_error_quark    (void);
GBytes *ck_pdf_render         (CkFontSet           *fonts,
                               const CkPdfRequest  *request,
                               GError             **error);
GBytes *ck_pdf_render_full    (CkFontSet           *fonts,
                               const CkPdfRequest  *request,
                               GArray             **field_boxes,
                               GArray             **glyph_boxes,
                               GError             **error);
GBytes *ck_pdf_render_specimen (CkFontSet          *fonts,
                                const gunichar     *chars,
                                guint               n_chars,
                                double              cell,
                                GError            **error);
char   *ck_pdf_compute_digest (const CkPdfRequest  *request);

G_END_DECLS
