/* ck-pdf-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the parts of ck-pdf share: the page geometry, the layout's glyphs
 * and operations, the writer, and the functions one part calls in another.
 * ck-pdf.c renders; ck-pdf-layout.c sets the letter in lines,
 * ck-pdf-record.c the signing record, ck-pdf-writer.c holds libharu's
 * objects and streams, ck-pdf-fonts.c embeds the fonts, ck-pdf-draw.c paints
 * the pages and ck-pdf-archive.c adds what PDF/A-2b asks of the file. */

#pragma once

#include <hpdf.h>

#include "ck-pdf.h"
#include "ck-stroke.h"

G_BEGIN_DECLS

/* A4 in points, and the page's furniture. */
#define PAGE_WIDTH        CK_PDF_PAGE_WIDTH
#define PAGE_HEIGHT       CK_PDF_PAGE_HEIGHT
#define MARGIN_LEFT        56.0
#define MARGIN_RIGHT       56.0
#define MARGIN_TOP         46.0
#define MARGIN_BOTTOM      46.0
#define FOOTER_BASELINE    30.0
#define FOOTER_SIZE         7.0
#define HEADING_SIZE       15.0
#define BODY_SIZE          10.0
#define LINE_FACTOR         1.52
#define PARAGRAPH_GAP       2.5
#define SECTION_GAP        14.0
#define SIGNATURE_RIGHT    36.0    /* signature lines end this far inside the margin */
#define SIGNATURE_BOX_W   CK_STROKE_PRINT_BOX_WIDTH    /* the stroke floor is relative to it */
#define SIGNATURE_BOX_H   CK_STROKE_PRINT_BOX_HEIGHT
#define MAX_CHAR_SPACE      0.125  /* ems a justified gap may grow by */
#define UNIT_REACH         16      /* how far a unit's bracket may be from its ID number */
#define INK_R               0.06
#define INK_G               0.10
#define INK_B               0.32

/* An organisation value the configuration leaves unset prints as an
 * underlined blank, as on a paper form. */
#define BLANK "\u3000\u3000\u3000\u3000\u3000\u3000"

/* Drawn invisibly under a glyph drawn from its outline, so that text
 * extraction has a character to replace with the span's ActualText. */
#define CARRIER_CHAR 0x3000

/* The object replacement character stands for the signature box. */
#define SIGNATURE_CHAR 0xFFFC

typedef struct
{
  gunichar c;
  guint font;
  CkFontUse use;
  double advance;          /* thousandths of an em */
  CkTemplateField field;
} Glyph;

typedef enum
{
  OP_LINE,
  OP_SIGNATURE,
  OP_FRAME,                /* a thin rectangle: x, y (bottom), width, height */
} OpKind;

typedef struct
{
  OpKind kind;
  guint page;
  double x;
  double y;                /* baseline (line) or bottom (signature) */
  double size;
  double char_space;
  gboolean bold;
  guint first;             /* glyph range */
  guint n;
  guint block;             /* the template's block, or G_MAXUINT */
  double width;            /* OP_FRAME */
  double height;
  double gap_left;         /* OP_FRAME: a break in the top edge, from x */
  double gap_right;
} Op;

typedef struct
{
  CkFontSet *fonts;
  const CkPdfRequest *request;
  GArray *glyphs;          /* of Glyph, the whole document */
  GArray *ops;             /* of Op */
  guint page;
  double y;                /* the next line's top */
  GError *error;
} Layout;

typedef struct
{
  HPDF_Doc pdf;
  HPDF_Page page;
  HPDF_Dict *fonts;        /* by font-set index: its Type0 font, NULL where not embedded */
  guint n_fonts;
  GError *error;
  double ox, oy, scale;    /* outline transform */
  gint carrier_font;       /* has CARRIER_CHAR as text, or -1 */
  GHashTable **codes;      /* by font: character → its CID, or NULL */
  GArray *segments;        /* the signature's geometry, built once a document */
} Writer;

/* The signing record. */
#define RECORD_TITLE_SIZE   7.5
#define RECORD_SIZE         7.0
#define RECORD_LINE         (RECORD_SIZE * 1.6)
#define RECORD_PAD          4.5
#define RECORD_GAP          8.0
#define RECORD_LABEL_GAP    6.0
#define RECORD_MIN_SIZE     3.5     /* a value shrinks to fit its cell down to this */
#define RECORD_LEGEND_GAP   2.5     /* around the title, set into the frame's top edge */
#define RECORD_FRAME_WIDTH  0.5

/* The CID of a font's i-th character (sorted); CID 0 is .notdef. */
#define CID_OF(i) ((i) + 1)
#define PRODUCER "libharu " HPDF_VERSION_TEXT

typedef struct
{
  const char *title;
  const char *author;
  const char *subject;
  const char *keywords;
  GDateTime *created;
} Info;

/* ck-pdf-layout.c */
double    _ck_pdf_glyph_width (const Glyph *g,
                               double      size);
gboolean  _ck_pdf_add_glyph (Layout          *layout,
                             gunichar        c,
                             CkTemplateField field,
                             CkFontStyle     style);
gboolean  _ck_pdf_add_text (Layout          *layout,
                            const char      *text,
                            CkTemplateField field,
                            CkFontStyle     style);
void      _ck_pdf_new_page (Layout *layout);
double    _ck_pdf_glyphs_width (Layout *layout,
                                guint  first,
                                guint  n,
                                double size);
gboolean  _ck_pdf_layout_document (Layout *layout);
gboolean  _ck_pdf_add_footer_glyphs (Layout     *layout,
                                     guint      page,
                                     guint      n_pages,
                                     const char *digest,
                                     guint      *first,
                                     guint      *n);

/* ck-pdf-record.c */
gboolean  _ck_pdf_layout_signing_record (Layout *layout);

/* ck-pdf-writer.c */
void      _ck_pdf_writer_error (HPDF_STATUS error_no,
                                HPDF_STATUS detail_no,
                                void        *user_data);
void      _ck_pdf_raw (Writer     *writer,
                       const char *text);
void      _ck_pdf_set_info (Writer     *writer,
                            const char *key,
                            const char *value);
HPDF_Dict _ck_pdf_new_object (Writer *writer);
GBytes   *_ck_pdf_deflate (const void *data,
                           gsize       len);
HPDF_Dict _ck_pdf_new_deflated_stream (Writer *writer,
                                       GBytes *deflated);
HPDF_Dict _ck_pdf_new_stream (Writer     *writer,
                              const void *data,
                              gsize      len);
void      _ck_pdf_deflate_page_contents (Writer *writer);
void      _ck_pdf_writer_clear (Writer *writer);

/* ck-pdf-fonts.c */
gboolean  _ck_pdf_load_fonts (Writer *writer,
                              Layout *layout);

/* ck-pdf-draw.c */
void      _ck_pdf_draw_line (Writer   *writer,
                             Layout   *layout,
                             const Op *op);

/* ck-pdf-archive.c */
gboolean  _ck_pdf_add_output_intent (Writer *writer);
void      _ck_pdf_set_info_date (Writer     *writer,
                                 const char *key,
                                 GDateTime  *time);
void      _ck_pdf_add_metadata (Writer     *writer,
                                const Info *info,
                                const char *creator);
void      _ck_pdf_add_file_id (Writer     *writer,
                               const Info *info,
                               const char *creator);
void      _ck_pdf_set_pdf_version (Writer *writer);

G_END_DECLS
