/* ck-pdf.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The signed consent as a PDF, written with libharu 2.3.0.
 *
 * Layout happens first, in points, with the advance widths the fonts' /W
 * arrays will hold (thousandths of an em, rounded down), so that the text
 * laid out is the text drawn. Then the fonts: for each font the document
 * uses, a subset with exactly its characters (hb-subset) is embedded as a
 * Type0 font whose objects are written here (see embed_font ()), and
 * characters libharu cannot encode are drawn from their outlines inside an
 * ActualText span so that they still extract as text. Blanks filled from
 * the form are underlined; the signature is drawn as vector Bézier strokes
 * from the geometry the screen uses. Metadata strings are written as
 * UTF-16BE, so every name survives exactly. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <zlib.h>

#include "ck-line-breaker.h"
#include "ck-pdf.h"
#include "ck-stroke.h"

G_DEFINE_QUARK (ck-pdf-error-quark, ck_pdf_error)
G_DEFINE_ENUM_TYPE (CkEntryMethod, ck_entry_method,
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_TYPED, "typed"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_HANDWRITING, "handwriting"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_PINYIN, "pinyin"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_CARD, "card"))

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

/* What the customer provides must be there. */
static const CkTemplateField form_fields[] = {
  CK_TEMPLATE_FIELD_NAME,
  CK_TEMPLATE_FIELD_ID_NUMBER,
  CK_TEMPLATE_FIELD_YEAR,
  CK_TEMPLATE_FIELD_MONTH,
  CK_TEMPLATE_FIELD_DAY,
};

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

static double
glyph_width (const Glyph *g,
             double       size)
{
  return g->advance * size / 1000.0;
}

static gboolean
add_glyph (Layout          *layout,
           gunichar         c,
           CkTemplateField  field,
           CkFontStyle      style)
{
  Glyph g = { c, 0, CK_FONT_USE_TEXT, 0, field };

  if (c == SIGNATURE_CHAR)
    {
      g.advance = SIGNATURE_BOX_W * 1000.0 / BODY_SIZE;
      g_array_append_val (layout->glyphs, g);
      return TRUE;
    }

  if (!ck_font_set_lookup_style (layout->fonts, c, style, &g.font, &g.use))
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (c, buf);
      g_set_error (&layout->error, CK_PDF_ERROR, CK_PDF_ERROR_MISSING_GLYPH,
                   _("No installed font has the character “%s” (U+%04X); "
                     "it cannot be printed."),
                   buf, c);
      return FALSE;
    }

  g.advance = ck_font_set_get_advance (layout->fonts, g.font, c);
  g_array_append_val (layout->glyphs, g);

  return TRUE;
}

static gboolean
add_text (Layout          *layout,
          const char      *text,
          CkTemplateField  field,
          CkFontStyle      style)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!add_glyph (layout, g_utf8_get_char (p), field, style))
      return FALSE;

  return TRUE;
}

/* A filled value is set in one style: the letter's, unless its fonts lack
 * one of its characters and the other style's fonts have them all (王𪚥,
 * which only Ming faces write, is Ming throughout, never half Hei). */
static CkFontStyle
value_style (Layout     *layout,
             const char *value)
{
  CkFontStyle body = ck_font_set_get_body_style (layout->fonts);
  CkFontStyle other = body == CK_FONT_STYLE_SANS ? CK_FONT_STYLE_SERIF : CK_FONT_STYLE_SANS;

  if (ck_font_set_covers (layout->fonts, value, body) || !ck_font_set_covers (layout->fonts, value, other))
    return body;

  return other;
}

static void
new_page (Layout *layout)
{
  layout->page++;
  layout->y = PAGE_HEIGHT - MARGIN_TOP;
}

/* Puts one line's op on the current page, or on a new one. */
static void
place_line (Layout *layout,
            Op     *op,
            double  height,
            double  ascent)
{
  if (layout->y - height < MARGIN_BOTTOM)
    new_page (layout);

  op->page = layout->page;
  op->y = layout->y - ascent;
  layout->y -= height;
  g_array_append_val (layout->ops, *op);
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == 0x3000;
}

/* Marks the inside of the unit around the ID number: from the opening
 * bracket before it to the closing one after ("（身份证号码：110…）"), no
 * line may start, so the unit moves to the next line whole. */
static void
keep_id_number_unit (const gunichar *chars,
                     const Glyph    *glyphs,
                     gboolean       *keep,
                     guint           n)
{
  guint begin = n, end = 0, open, close;

  for (guint i = 0; i < n; i++)
    if (glyphs[i].field == CK_TEMPLATE_FIELD_ID_NUMBER)
      {
        begin = MIN (begin, i);
        end = i + 1;
      }
  if (begin >= end)
    return;

  open = begin;
  for (guint i = begin; i > 0 && begin - i < UNIT_REACH; i--)
    {
      if (ck_line_breaker_is_closing (chars[i - 1]) && chars[i - 1] != 0xFF1A && chars[i - 1] != ':')
        break;
      if (ck_line_breaker_is_opening (chars[i - 1]))
        {
          open = i - 1;
          break;
        }
    }

  close = end;
  for (guint i = end; i < n && i - end < UNIT_REACH; i++)
    {
      if (ck_line_breaker_is_opening (chars[i]))
        break;
      if (ck_line_breaker_is_closing (chars[i]))
        {
          close = i + 1;
          break;
        }
    }

  for (guint i = open + 1; i < close; i++)
    keep[i] = TRUE;
}

/* The glyphs of line @l that take room: [*begin, *visible). Leading and
 * trailing spaces of a wrapped line take none. Returns their width. */
static double
line_extent (GArray         *starts,
             guint           l,
             const gunichar *chars,
             const double   *widths,
             guint           n,
             guint          *begin,
             guint          *visible)
{
  gboolean last = l + 1 == starts->len;
  double natural = 0;

  *begin = g_array_index (starts, guint, l);
  *visible = last ? n : g_array_index (starts, guint, l + 1);

  while (l > 0 && *begin < *visible && chars[*begin] == ' ')
    (*begin)++;
  while (*visible > *begin && is_space (chars[*visible - 1]) && !last)
    (*visible)--;

  for (guint i = *begin; i < *visible; i++)
    natural += widths[i];

  return natural;
}

/* How much each gap of a justified line grows: the room left, spread
 * evenly over every gap between two characters, up to an eighth of an em
 * a gap. A line that would need more (a long name before the ID number's
 * unit) stays that loose and no looser, rather than letter-spaced. */
static double
justify (double room,
         guint  n_glyphs,
         double size)
{
  if (n_glyphs < 2 || room <= 0)
    return 0;

  return MIN (room / (n_glyphs - 1), MAX_CHAR_SPACE * size);
}

/* A numbered clause's later lines start under its text, not its number:
 * the width of "1.4.2 " as the first line sets it, justified. Returns the
 * lines' starts, broken for that hang. */
static GArray *
break_clause (const gunichar *chars,
              const double   *widths,
              const gboolean *keep,
              guint           n,
              double          width,
              double          size,
              double         *hang)
{
  GArray *starts;
  guint prefix = 0, begin, visible;
  double natural;

  *hang = 0;
  while (prefix < n && chars[prefix] < 0x80 &&
         (g_ascii_isdigit ((char)chars[prefix]) || chars[prefix] == '.'))
    *hang += widths[prefix++];
  if (prefix == 0 || prefix >= n || !is_space (chars[prefix]))
    return ck_line_breaker_break (chars, widths, keep, n, width, width);
  *hang += widths[prefix++];

  /* The first line breaks the same whatever the hang; its gaps decide
   * where the text after the number starts. */
  starts = ck_line_breaker_break (chars, widths, keep, n, width, width - *hang);
  if (starts->len < 2)
    return starts;
  natural = line_extent (starts, 0, chars, widths, n, &begin, &visible);
  *hang += prefix * justify (width - natural, visible - begin, size);
  g_array_unref (starts);

  return ck_line_breaker_break (chars, widths, keep, n, width, width - *hang);
}

/* Lays out the glyphs [first, first + n) as one block. */
static void
layout_block (Layout              *layout,
              guint                block,
              CkTemplateBlockKind  kind,
              guint                first,
              guint                n)
{
  const Glyph *glyphs = &g_array_index (layout->glyphs, Glyph, first);
  g_autofree gunichar *chars = g_new (gunichar, n + 1);
  g_autofree double *widths = g_new (double, n + 1);
  g_autofree gboolean *keep = g_new0 (gboolean, n + 1);
  g_autoptr(GArray) starts = NULL;
  double size = kind == CK_TEMPLATE_BLOCK_HEADING ? HEADING_SIZE : BODY_SIZE;
  double width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
  double indent = kind == CK_TEMPLATE_BLOCK_INDENTED ? 2 * size : 0;
  double hang = 0;
  double line_height = size * LINE_FACTOR;

  for (guint i = 0; i < n; i++)
    {
      chars[i] = glyphs[i].c;
      widths[i] = glyph_width (&glyphs[i], size);
    }

  if (kind == CK_TEMPLATE_BLOCK_SIGNATURE)
    width -= SIGNATURE_RIGHT;
  keep_id_number_unit (chars, glyphs, keep, n);

  if (kind == CK_TEMPLATE_BLOCK_CLAUSE)
    starts = break_clause (chars, widths, keep, n, width, size, &hang);
  else
    starts = ck_line_breaker_break (chars, widths, keep, n, width - indent, width);

  for (guint l = 0; l < starts->len; l++)
    {
      gboolean last = l + 1 == starts->len;
      gboolean has_signature = FALSE;
      double natural, x, height = line_height, ascent = size * 1.1;
      double left = l == 0 ? indent : hang;
      guint begin, visible;
      Op op = { OP_LINE, 0, 0, 0, size, 0, kind == CK_TEMPLATE_BLOCK_HEADING, 0, 0, block };

      natural = line_extent (starts, l, chars, widths, n, &begin, &visible);
      for (guint i = begin; i < visible; i++)
        has_signature |= chars[i] == SIGNATURE_CHAR;

      op.first = first + begin;
      op.n = visible - begin;

      switch (kind)
        {
        case CK_TEMPLATE_BLOCK_HEADING:
          x = MARGIN_LEFT + (width - natural) / 2;
          break;

        case CK_TEMPLATE_BLOCK_SIGNATURE:
          x = MARGIN_LEFT + width - natural;
          break;

        case CK_TEMPLATE_BLOCK_PARAGRAPH:
        case CK_TEMPLATE_BLOCK_INDENTED:
        case CK_TEMPLATE_BLOCK_CLAUSE:
        default:
          x = MARGIN_LEFT + left;
          /* Justified, but for a paragraph's last line. */
          if (!last)
            op.char_space = justify (width - left - natural, op.n, size);
          break;
        }

      op.x = x;
      if (has_signature)
        {
          height = MAX (height, SIGNATURE_BOX_H + size * 0.8);
          ascent = height - size * 0.45;
        }
      place_line (layout, &op, height, ascent);
    }
}

/* --- the signing record ---------------------------------------------- */

/* A small framed table after the declaration's signature (issue 14):
 * what DocuSeal's and Documenso's audit pages say, on the form itself.
 * Everything comes from the request, so the same request gives the same
 * bytes. */
#define RECORD_TITLE_SIZE   7.5
#define RECORD_SIZE         7.0
#define RECORD_LINE         (RECORD_SIZE * 1.6)
#define RECORD_PAD          4.5
#define RECORD_GAP          8.0
#define RECORD_LABEL_GAP    6.0
#define RECORD_MIN_SIZE     3.5     /* a value shrinks to fit its cell down to this */
#define RECORD_LEGEND_GAP   2.5     /* around the title, set into the frame's top edge */
#define RECORD_FRAME_WIDTH  0.5

/**
 * ck_entry_method_to_string:
 * @method: a #CkEntryMethod
 *
 * Returns: its name in the signing record: 键盘输入, 手写输入, 拼音输入
 *   or 身份证读卡
 */
const char *
ck_entry_method_to_string (CkEntryMethod method)
{
  switch (method)
    {
    case CK_ENTRY_METHOD_TYPED:
      return "键盘输入";
    case CK_ENTRY_METHOD_HANDWRITING:
      return "手写输入";
    case CK_ENTRY_METHOD_PINYIN:
      return "拼音输入";
    case CK_ENTRY_METHOD_CARD:
      return "身份证读卡";
    default:
      g_return_val_if_reached ("");
    }
}

/* The signature's duration, first sample to last, in tenths of a second
 * (integers: no locale's decimal comma, the same bytes everywhere). */
static guint
signature_tenths (CkSignature *signature,
                  guint       *n_samples)
{
  const CkSignatureSample *samples = ck_signature_get_samples (signature, n_samples);
  guint32 ms;

  if (*n_samples == 0)
    return 0;

  /* GDK's times are unsigned and wrap: the difference is right either way. */
  ms = samples[*n_samples - 1].time_ms - samples[0].time_ms;
  return (guint)(((guint64)ms + 50) / 100);
}

static double
glyphs_width (Layout *layout,
              guint   first,
              guint   n,
              double  size)
{
  double width = 0;

  for (guint i = first; i < first + n; i++)
    width += glyph_width (&g_array_index (layout->glyphs, Glyph, i), size);

  return width;
}

/* Adds @text as one line's glyphs; its op, without a place yet. */
static gboolean
record_text (Layout     *layout,
             const char *text,
             double      size,
             gboolean    bold,
             Op         *op)
{
  guint first = layout->glyphs->len;

  if (!add_text (layout, text, CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (layout->fonts)))
    return FALSE;

  *op = (Op) { .kind = OP_LINE, .size = size, .bold = bold, .first = first,
               .n = layout->glyphs->len - first, .block = G_MAXUINT };
  return TRUE;
}

static gboolean
layout_signing_record (Layout *layout)
{
  const CkPdfRequest *request = layout->request;
  g_autofree char *time = g_date_time_format (request->created, "%Y-%m-%d %H:%M:%S %:z");
  g_autofree char *template_hash = g_strndup (ck_template_get_sha256 (request->template), 16);
  g_autofree char *duration = NULL;
  g_autofree char *samples = NULL;
  const char *cells[][2] = {
    { "同意书编号", request->consent_id },
    { "终端", request->kiosk_id },
    { "签署时间", time },
    { "模板 SHA-256", template_hash },
    { "姓名录入方式", ck_entry_method_to_string (request->name_method) },
    { "证件号码录入方式", ck_entry_method_to_string (request->id_method) },
    { "签名用时", NULL },
    { "采样点数", NULL },
  };
  guint n_cells = G_N_ELEMENTS (cells);
  guint n_rows = (n_cells + 1) / 2;
  double left = MARGIN_LEFT;
  double width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
  double column = (width - 4 * RECORD_PAD) / 2;
  double label_width[2] = { 0, 0 };
  double height, top, baseline;
  Op labels[G_N_ELEMENTS (cells)], values[G_N_ELEMENTS (cells)], title, frame;
  guint n_samples, tenths;

  tenths = signature_tenths (request->signature, &n_samples);
  duration = g_strdup_printf ("%u.%u 秒", tenths / 10, tenths % 10);
  samples = g_strdup_printf ("%u", n_samples);
  cells[6][1] = duration;
  cells[7][1] = samples;

  if (!record_text (layout, "签署信息", RECORD_TITLE_SIZE, TRUE, &title))
    return FALSE;
  for (guint i = 0; i < n_cells; i++)
    {
      if (!record_text (layout, cells[i][0], RECORD_SIZE, FALSE, &labels[i]) ||
          !record_text (layout, cells[i][1], RECORD_SIZE, FALSE, &values[i]))
        return FALSE;
      label_width[i % 2] = MAX (label_width[i % 2],
                                glyphs_width (layout, labels[i].first, labels[i].n, RECORD_SIZE));
    }

  /* A value wider than its cell (a long kiosk id) is set smaller, never
   * cut: the record says exactly what the footer and metadata say. */
  for (guint i = 0; i < n_cells; i++)
    {
      double room = column - label_width[i % 2] - RECORD_LABEL_GAP - (i % 2 == 0 ? RECORD_LABEL_GAP : 0);
      double natural = glyphs_width (layout, values[i].first, values[i].n, RECORD_SIZE);

      if (natural > room)
        values[i].size = MAX (RECORD_SIZE * room / natural, RECORD_MIN_SIZE);
    }

  /* The whole block on one page, above the footer's margin; its title
   * sits in the frame's top edge, as a form's legend does. */
  height = 2 * RECORD_PAD + (n_rows - 1) * RECORD_LINE + RECORD_SIZE;
  if (layout->y - RECORD_GAP - height < MARGIN_BOTTOM)
    new_page (layout);
  else
    layout->y -= RECORD_GAP;
  top = layout->y;

  title.page = layout->page;
  title.x = left + 2 * RECORD_PAD;
  title.y = top - RECORD_TITLE_SIZE * 0.35;
  frame = (Op) { .kind = OP_FRAME, .page = layout->page, .x = left, .y = top - height,
                 .block = G_MAXUINT, .width = width, .height = height,
                 .gap_left = title.x - RECORD_LEGEND_GAP - left,
                 .gap_right = title.x + glyphs_width (layout, title.first, title.n, RECORD_TITLE_SIZE) +
                              RECORD_LEGEND_GAP - left };
  g_array_append_val (layout->ops, frame);
  g_array_append_val (layout->ops, title);
  baseline = top - RECORD_PAD - RECORD_SIZE * 0.88;

  for (guint i = 0; i < n_cells; i++)
    {
      guint col = i % 2;
      double x = left + 2 * RECORD_PAD + col * column;

      if (i > 0 && col == 0)
        baseline -= RECORD_LINE;

      labels[i].page = values[i].page = layout->page;
      labels[i].x = x;
      values[i].x = x + label_width[col] + RECORD_LABEL_GAP;
      labels[i].y = values[i].y = baseline;
      g_array_append_val (layout->ops, labels[i]);
      g_array_append_val (layout->ops, values[i]);
    }

  layout->y = top - height;
  return TRUE;
}

static gboolean
layout_document (Layout *layout)
{
  CkTemplate *template = layout->request->template;
  CkFontStyle body = ck_font_set_get_body_style (layout->fonts);
  guint last_section = 0;

  new_page (layout);

  for (guint b = 0; b < ck_template_get_n_blocks (template); b++)
    {
      const CkTemplateRun *runs;
      CkTemplateBlockKind kind;
      guint n_runs, section, first = layout->glyphs->len;

      kind = ck_template_get_block (template, b, &section, NULL);
      runs = ck_template_get_runs (template, b, &n_runs);

      if (section != last_section)
        layout->y -= SECTION_GAP;
      else if (b > 0)
        layout->y -= PARAGRAPH_GAP;
      last_section = section;

      for (guint r = 0; r < n_runs; r++)
        {
          gboolean ok;

          /* Literal text has no value: its field, -1, indexes nothing. */
          const char *value = runs[r].field == CK_TEMPLATE_FIELD_NONE
                              ? NULL : layout->request->values[runs[r].field];

          if (runs[r].field == CK_TEMPLATE_FIELD_NONE)
            ok = add_text (layout, runs[r].text, CK_TEMPLATE_FIELD_NONE, body);
          else if (runs[r].field == CK_TEMPLATE_FIELD_SIGNATURE)
            ok = add_glyph (layout, SIGNATURE_CHAR, CK_TEMPLATE_FIELD_SIGNATURE, body);
          else if (value && value[0])
            ok = add_text (layout, value, runs[r].field, value_style (layout, value));
          else
            ok = add_text (layout, BLANK, runs[r].field, body);   /* left blank, as on paper */

          if (!ok)
            return FALSE;
        }

      layout_block (layout, b, kind, first, layout->glyphs->len - first);
    }

  return layout_signing_record (layout);
}

/* --- writing --------------------------------------------------------- */

static void
writer_error (HPDF_STATUS  error_no,
              HPDF_STATUS  detail_no,
              void        *user_data)
{
  Writer *writer = user_data;

  if (writer->error == NULL)
    g_set_error (&writer->error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                 _("The PDF could not be written (libharu error 0x%04X, detail %u)."),
                 (guint)error_no, (guint)detail_no);
}

static void
raw (Writer     *writer,
     const char *text)
{
  HPDF_PageAttr attr = (HPDF_PageAttr)writer->page->attr;

  HPDF_Stream_WriteStr (attr->stream, text);
}

/* A PDF text string: UTF-16BE with a byte-order mark, written as hex, so
 * that every character, those above U+FFFF too, is kept exactly. */
static HPDF_Binary
utf16_string (Writer     *writer,
              const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  g_autofree guint8 *bytes = NULL;
  glong n = 0;

  utf16 = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  bytes = g_malloc (2 + 2 * n);
  bytes[0] = 0xFE;
  bytes[1] = 0xFF;
  for (glong i = 0; i < n; i++)
    {
      bytes[2 + 2 * i] = utf16[i] >> 8;
      bytes[3 + 2 * i] = utf16[i] & 0xFF;
    }

  return HPDF_Binary_New (writer->pdf->mmgr, bytes, 2 + 2 * n);
}

static void
set_info (Writer     *writer,
          const char *key,
          const char *value)
{
  if (value && value[0])
    HPDF_Dict_Add (writer->pdf->info, key, utf16_string (writer, value));
}

/* --- fonts ----------------------------------------------------------- */

/* The fonts are written here rather than by libharu 2.3.0, whose Type0
 * fonts cost half a render: HPDF_GetFont walks all 65,536 BMP code points
 * through the font's cmap to build /W and a 128 KB CIDToGIDMap, and it
 * parses and rewrites the font file a byte at a time. Here, in a font of n
 * characters, the sorted characters get CIDs 1…n; a two-byte-a-CID map
 * gives their glyphs in the hb-subset subset, /W their advances (the
 * layout's, which are the subset's hmtx in thousandths of an em, rounded
 * down) and the ToUnicode map the characters back. Each object is what
 * PDF/A-2b asks of an embedded CIDFontType2: FontFile2, CIDToGIDMap,
 * CIDSystemInfo Adobe/Identity/0 for Identity-H, a subset tag, and a
 * descriptor with FontBBox, Ascent, Descent, CapHeight, ItalicAngle,
 * StemV and Flags. */

#define CID_OF(i) ((i) + 1)

static HPDF_Dict
new_object (Writer *writer)
{
  HPDF_Dict dict = HPDF_Dict_New (writer->pdf->mmgr);

  if (dict)
    HPDF_Xref_Add (writer->pdf->xref, dict);

  return dict;
}

/* --- deflate --------------------------------------------------------- */

/* Streams are deflated here rather than by libharu, at zlib level 4 rather
 * than its fixed 6: deflate was 60 % of a render's instructions. Measured
 * on the standard consent, level 6 → 4: the font subset 34,573 → 35,158
 * bytes, the content stream 9,105 → 9,345; zlib's instructions 19.8 M →
 * 12.9 M a render (levels 1–3 cost 1–2 KB more a consent for a little
 * more speed). */
#define DEFLATE_LEVEL 4

/* libharu removes a stream's /Filter when its own filter is none: the
 * entry for data deflated here is written after the others. */
static HPDF_STATUS
write_flate_filter (HPDF_Dict   dict,
                    HPDF_Stream stream)
{
  return HPDF_Stream_WriteStr (stream, "/Filter /FlateDecode\012");
}

/* Deflates the @n_parts buffers of @parts, one after the other, into a
 * byte array; NULL if zlib fails. */
static GByteArray *
deflate_parts (const guint8 * const *parts,
               const gsize          *lens,
               guint                 n_parts)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize total = 0;
  z_stream z = { 0 };
  int ret = Z_OK;

  for (guint i = 0; i < n_parts; i++)
    total += lens[i];
  if (deflateInit (&z, DEFLATE_LEVEL) != Z_OK)
    return NULL;
  g_byte_array_set_size (out, deflateBound (&z, total));
  z.next_out = out->data;
  z.avail_out = out->len;
  for (guint i = 0; i <= n_parts && ret == Z_OK; i++)
    {
      z.next_in = (Bytef *)(i < n_parts ? parts[i] : NULL);
      z.avail_in = i < n_parts ? (uInt)lens[i] : 0;
      ret = deflate (&z, i < n_parts ? Z_NO_FLUSH : Z_FINISH);
      if (i < n_parts && z.avail_in > 0)
        ret = Z_BUF_ERROR;   /* deflateBound () was wrong: cannot be */
    }
  g_byte_array_set_size (out, z.total_out);
  deflateEnd (&z);

  return ret == Z_STREAM_END ? g_steal_pointer (&out) : NULL;
}

static void
mark_deflated (HPDF_Dict dict)
{
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_flate_filter;
}

/* A stream object holding @data, deflated. */
static HPDF_Dict
new_stream (Writer       *writer,
            const void   *data,
            gsize         len)
{
  HPDF_Dict stream = HPDF_DictStream_New (writer->pdf->mmgr, writer->pdf->xref);
  const guint8 *parts[1] = { data };
  g_autoptr(GByteArray) deflated = NULL;

  if (stream == NULL)
    return NULL;
  if (!(deflated = deflate_parts (parts, &len, 1)))
    {
      writer_error (HPDF_STREAM_EOF, 0, writer);
      return NULL;
    }
  HPDF_Stream_Write (stream->stream, deflated->data, deflated->len);
  mark_deflated (stream);

  return stream;
}

/* Deflates a page's content stream as the document is saved, once: what
 * libharu's page operators wrote into its memory stream is taken buffer by
 * buffer and replaced by the deflated bytes. */
static HPDF_STATUS
deflate_contents (HPDF_Dict contents)
{
  HPDF_Stream stream = contents->stream;
  HPDF_UINT n = HPDF_MemStream_GetBufCount (stream);
  g_autofree const guint8 **parts = g_new (const guint8 *, n + 1);
  g_autofree gsize *lens = g_new (gsize, n + 1);
  g_autoptr(GByteArray) deflated = NULL;

  contents->before_write_fn = NULL;
  for (HPDF_UINT i = 0; i < n; i++)
    {
      HPDF_UINT len = 0;

      parts[i] = HPDF_MemStream_GetBufPtr (stream, i, &len);
      lens[i] = len;
      if (parts[i] == NULL)
        return HPDF_STREAM_EOF;
    }
  if (!(deflated = deflate_parts (parts, lens, n)))
    return HPDF_STREAM_EOF;

  HPDF_MemStream_FreeData (stream);
  HPDF_Stream_Write (stream, deflated->data, deflated->len);
  mark_deflated (contents);

  return HPDF_OK;
}

static void
deflate_page_contents (Writer *writer)
{
  HPDF_Dict contents = ((HPDF_PageAttr)writer->page->attr)->contents;

  if (contents->before_write_fn == NULL && contents->write_fn == NULL)
    contents->before_write_fn = deflate_contents;
}

/* Six capital letters from the characters, so that the same text gives the
 * same name and different subsets of one font different names. */
static void
subset_tag (const gunichar *chars,
            guint           n,
            char            tag[7])
{
  guint32 h = 2166136261u;   /* FNV-1a */

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < 4; k++)
      {
        h ^= (chars[i] >> (8 * k)) & 0xFF;
        h *= 16777619u;
      }
  for (guint i = 0; i < 6; i++)
    {
      tag[i] = 'A' + h % 26;
      h /= 26;
      if (i == 2)
        h ^= n * 2654435761u;
    }
  tag[6] = '\0';
}

/* The ToUnicode CMap: CID_OF (i) → @chars[i], as UTF-16BE. */
static HPDF_Dict
to_unicode (Writer         *writer,
            const gunichar *chars,
            guint           n)
{
  g_autoptr(GString) cmap = g_string_sized_new (300 + 16 * n);

  g_string_append (cmap,
                   "/CIDInit /ProcSet findresource begin\n"
                   "12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  for (guint i = 0; i < n; i += 100)
    {
      guint count = MIN (100, n - i);

      g_string_append_printf (cmap, "%u beginbfchar\n", count);
      for (guint k = i; k < i + count; k++)
        {
          gunichar c = chars[k];

          if (c > 0xFFFF)
            g_string_append_printf (cmap, "<%04X> <%04X%04X>\n", CID_OF (k),
                                    0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
          else
            g_string_append_printf (cmap, "<%04X> <%04X>\n", CID_OF (k), c);
        }
      g_string_append (cmap, "endbfchar\n");
    }
  g_string_append (cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

  return new_stream (writer, cmap->str, cmap->len);
}

static HPDF_Array
int_array (Writer    *writer,
           const int *values,
           guint      n)
{
  HPDF_Array array = HPDF_Array_New (writer->pdf->mmgr);

  for (guint i = 0; array && i < n; i++)
    HPDF_Array_AddNumber (array, values[i]);

  return array;
}

/* Writes the Type0 font of @chars (sorted) from font @f: its subset, glyph
 * map, widths, descriptor and ToUnicode map. */
static HPDF_Dict
embed_font (Writer         *writer,
            Layout         *layout,
            guint           f,
            const gunichar *chars,
            guint           n)
{
  g_autofree guint16 *gids = g_new (guint16, n);
  g_autofree guint8 *gid_map = NULL;
  g_autoptr(GBytes) subset = NULL;
  g_autofree char *base_font = NULL;
  HPDF_MMgr mmgr = writer->pdf->mmgr;
  HPDF_Dict file, map, descriptor, cid_font, type0, system_info;
  HPDF_Array descendants, w, widths;
  const char *ps_name;
  CkFontMetrics metrics;
  char tag[7];

  if (n >= 0xFFFF)
    {
      g_set_error (&writer->error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                   _("No memory for the font %s."), ck_font_set_get_font_name (layout->fonts, f));
      return NULL;
    }

  subset = ck_font_set_subset_glyphs (layout->fonts, f, chars, n, gids, &writer->error);
  if (subset == NULL)
    return NULL;

  /* The font program, as hb-subset made it. */
  file = new_stream (writer, g_bytes_get_data (subset, NULL), g_bytes_get_size (subset));
  if (file == NULL)
    return NULL;
  HPDF_Dict_AddNumber (file, "Length1", (HPDF_INT32)g_bytes_get_size (subset));

  /* CID → glyph, two bytes each; CID 0 is .notdef. */
  gid_map = g_new0 (guint8, 2 * (n + 1));
  for (guint i = 0; i < n; i++)
    {
      gid_map[2 * CID_OF (i)] = gids[i] >> 8;
      gid_map[2 * CID_OF (i) + 1] = gids[i] & 0xFF;
    }
  map = new_stream (writer, gid_map, 2 * (n + 1));
  if (map == NULL)
    return NULL;

  subset_tag (chars, n, tag);
  ps_name = ck_font_set_get_postscript_name (layout->fonts, f);
  base_font = g_strdup_printf ("%s+%s", tag, ps_name && ps_name[0] ? ps_name : "Font");
  g_strdelimit (base_font, " ()<>[]{}/%#", '-');
  ck_font_set_get_metrics (layout->fonts, f, &metrics);

  descriptor = new_object (writer);
  if (descriptor == NULL)
    return NULL;
  HPDF_Dict_AddName (descriptor, "Type", "FontDescriptor");
  HPDF_Dict_AddName (descriptor, "FontName", base_font);
  HPDF_Dict_AddNumber (descriptor, "Flags", 32);   /* nonsymbolic, as libharu wrote it */
  HPDF_Dict_Add (descriptor, "FontBBox", int_array (writer, metrics.bbox, 4));
  HPDF_Dict_AddNumber (descriptor, "ItalicAngle", metrics.italic_angle);
  HPDF_Dict_AddNumber (descriptor, "Ascent", metrics.ascent);
  HPDF_Dict_AddNumber (descriptor, "Descent", metrics.descent);
  HPDF_Dict_AddNumber (descriptor, "CapHeight", metrics.cap_height);
  HPDF_Dict_AddNumber (descriptor, "StemV", 0);
  HPDF_Dict_Add (descriptor, "FontFile2", file);

  /* /W: [1 [w1 … wn]], the advances the layout used. */
  w = HPDF_Array_New (mmgr);
  widths = HPDF_Array_New (mmgr);
  if (w == NULL || widths == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    HPDF_Array_AddNumber (widths, (HPDF_INT32)ck_font_set_get_advance (layout->fonts, f, chars[i]));
  HPDF_Array_AddNumber (w, CID_OF (0));
  HPDF_Array_Add (w, widths);

  system_info = HPDF_Dict_New (mmgr);
  if (system_info == NULL)
    return NULL;
  HPDF_Dict_Add (system_info, "Registry", HPDF_String_New (mmgr, "Adobe", NULL));
  HPDF_Dict_Add (system_info, "Ordering", HPDF_String_New (mmgr, "Identity", NULL));
  HPDF_Dict_AddNumber (system_info, "Supplement", 0);

  cid_font = new_object (writer);
  if (cid_font == NULL)
    return NULL;
  HPDF_Dict_AddName (cid_font, "Type", "Font");
  HPDF_Dict_AddName (cid_font, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName (cid_font, "BaseFont", base_font);
  HPDF_Dict_Add (cid_font, "CIDSystemInfo", system_info);
  HPDF_Dict_Add (cid_font, "FontDescriptor", descriptor);
  HPDF_Dict_AddNumber (cid_font, "DW", 1000);
  HPDF_Dict_Add (cid_font, "W", w);
  HPDF_Dict_Add (cid_font, "CIDToGIDMap", map);

  type0 = new_object (writer);
  descendants = HPDF_Array_New (mmgr);
  if (type0 == NULL || descendants == NULL)
    return NULL;
  HPDF_Array_Add (descendants, cid_font);
  HPDF_Dict_AddName (type0, "Type", "Font");
  HPDF_Dict_AddName (type0, "Subtype", "Type0");
  HPDF_Dict_AddName (type0, "BaseFont", base_font);
  HPDF_Dict_AddName (type0, "Encoding", "Identity-H");
  HPDF_Dict_Add (type0, "DescendantFonts", descendants);
  HPDF_Dict_Add (type0, "ToUnicode", to_unicode (writer, chars, n));

  return writer->error ? NULL : type0;
}

static int
compare_chars (gconstpointer a,
               gconstpointer b)
{
  gunichar x = *(const gunichar *)a, y = *(const gunichar *)b;

  return x < y ? -1 : x > y;
}

static gboolean
load_fonts (Writer  *writer,
            Layout  *layout)
{
  guint n_fonts = ck_font_set_get_n_fonts (layout->fonts);
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);

  writer->n_fonts = n_fonts;
  writer->fonts = g_new0 (HPDF_Dict, n_fonts);
  writer->codes = g_new0 (GHashTable *, n_fonts);
  for (guint i = 0; i < n_fonts; i++)
    g_ptr_array_add (used, g_hash_table_new (NULL, NULL));

  writer->carrier_font = -1;
  for (guint i = 0; i < layout->glyphs->len; i++)
    {
      const Glyph *g = &g_array_index (layout->glyphs, Glyph, i);

      if (g->c != SIGNATURE_CHAR && g->use == CK_FONT_USE_TEXT)
        g_hash_table_add (used->pdata[g->font], GUINT_TO_POINTER (g->c));
      else if (g->use == CK_FONT_USE_OUTLINE && writer->carrier_font < 0)
        {
          guint font;
          CkFontUse use;

          if (ck_font_set_lookup (layout->fonts, CARRIER_CHAR, &font, &use) &&
              use == CK_FONT_USE_TEXT)
            {
              writer->carrier_font = (gint)font;
              g_hash_table_add (used->pdata[font], GUINT_TO_POINTER (CARRIER_CHAR));
            }
        }
    }

  for (guint f = 0; f < n_fonts; f++)
    {
      GHashTable *chars = used->pdata[f];
      g_autofree gunichar *list = NULL;
      GHashTableIter iter;
      gpointer key;
      guint n = 0;

      if (g_hash_table_size (chars) == 0)
        continue;

      /* Sorted, so that the same text gives the same font. */
      list = g_new (gunichar, g_hash_table_size (chars));
      g_hash_table_iter_init (&iter, chars);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        list[n++] = GPOINTER_TO_UINT (key);
      qsort (list, n, sizeof (gunichar), compare_chars);

      writer->codes[f] = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < n; i++)
        g_hash_table_insert (writer->codes[f], GUINT_TO_POINTER (list[i]),
                             GUINT_TO_POINTER (CID_OF (i)));

      writer->fonts[f] = embed_font (writer, layout, f, list, n);
      if (writer->fonts[f] == NULL || writer->error)
        return FALSE;
    }

  return TRUE;
}

/* --- text ------------------------------------------------------------ */

/* Text operators are written here, in libharu's own number format, since
 * its text functions need its font objects. */
static HPDF_Stream
page_stream (Writer *writer)
{
  return ((HPDF_PageAttr)writer->page->attr)->stream;
}

/* "BT", then the font and size: "/F1 10 Tf". */
static void
begin_text (Writer *writer,
            guint   font,
            double  size)
{
  HPDF_Stream stream = page_stream (writer);
  const char *name = HPDF_Page_GetLocalFontName (writer->page, writer->fonts[font]);

  if (name == NULL)
    {
      writer_error (HPDF_INVALID_FONT_NAME, 0, writer);
      return;
    }
  HPDF_Stream_WriteStr (stream, "BT\012/");
  HPDF_Stream_WriteStr (stream, name);
  HPDF_Stream_WriteStr (stream, " ");
  HPDF_Stream_WriteReal (stream, size);
  HPDF_Stream_WriteStr (stream, " Tf\012");
}

static void
write_operator (Writer     *writer,
                double      value,
                const char *op)
{
  HPDF_Stream stream = page_stream (writer);

  HPDF_Stream_WriteReal (stream, value);
  HPDF_Stream_WriteStr (stream, op);
}

/* "x y Td", then the CIDs of @run as a hex string and "Tj". */
static void
show_codes (Writer  *writer,
            double   x,
            double   y,
            GString *run)
{
  HPDF_Stream stream = page_stream (writer);

  HPDF_Stream_WriteReal (stream, x);
  HPDF_Stream_WriteStr (stream, " ");
  HPDF_Stream_WriteReal (stream, y);
  HPDF_Stream_WriteStr (stream, " Td\012<");
  HPDF_Stream_Write (stream, (const HPDF_BYTE *)run->str, run->len);
  HPDF_Stream_WriteStr (stream, "> Tj\012");
}

/* Appends the CID @c is written in, as four hex digits. */
static void
append_code (Writer   *writer,
             guint     font,
             GString  *run,
             gunichar  c)
{
  static const char hex[] = "0123456789ABCDEF";
  guint code = GPOINTER_TO_UINT (g_hash_table_lookup (writer->codes[font], GUINT_TO_POINTER (c)));
  char digits[4] = { hex[(code >> 12) & 0xF], hex[(code >> 8) & 0xF],
                     hex[(code >> 4) & 0xF], hex[code & 0xF] };

  g_string_append_len (run, digits, 4);
}

static void
outline_move_to (gpointer data, double x, double y)
{
  Writer *w = data;

  HPDF_Page_MoveTo (w->page, w->ox + x * w->scale, w->oy + y * w->scale);
}

static void
outline_line_to (gpointer data, double x, double y)
{
  Writer *w = data;

  HPDF_Page_LineTo (w->page, w->ox + x * w->scale, w->oy + y * w->scale);
}

static void
outline_curve_to (gpointer data,
                  double x1, double y1, double x2, double y2, double x3, double y3)
{
  Writer *w = data;

  HPDF_Page_CurveTo (w->page,
                     w->ox + x1 * w->scale, w->oy + y1 * w->scale,
                     w->ox + x2 * w->scale, w->oy + y2 * w->scale,
                     w->ox + x3 * w->scale, w->oy + y3 * w->scale);
}

static void
outline_close (gpointer data)
{
  Writer *w = data;

  HPDF_Page_ClosePath (w->page);
}

static const CkOutlineSink outline_sink = {
  outline_move_to,
  outline_line_to,
  outline_curve_to,
  outline_close,
};

/* Draws a glyph no font can carry as text, marked so that text extraction
 * still finds the character. */
static void
draw_outline_glyph (Writer    *writer,
                    CkFontSet *fonts,
                    const Glyph *g,
                    double     x,
                    double     y,
                    double     size)
{
  char buf[8] = { 0 };
  gunichar2 utf16[2];
  g_autofree char *span = NULL;
  glong n;

  g_unichar_to_utf8 (g->c, buf);
  {
    g_autofree gunichar2 *u = g_utf8_to_utf16 (buf, -1, NULL, &n, NULL);

    memcpy (utf16, u, MIN (n, 2) * sizeof (gunichar2));
  }
  span = n == 2
    ? g_strdup_printf ("/Span <</ActualText <FEFF%04X%04X>>> BDC\n", utf16[0], utf16[1])
    : g_strdup_printf ("/Span <</ActualText <FEFF%04X>>> BDC\n", utf16[0]);

  raw (writer, span);
  if (writer->carrier_font >= 0)
    {
      g_autoptr(GString) carrier = g_string_new (NULL);

      append_code (writer, writer->carrier_font, carrier, CARRIER_CHAR);
      begin_text (writer, writer->carrier_font, size);
      raw (writer, "3 Tr\012");
      show_codes (writer, x, y, carrier);
      raw (writer, "0 Tr\012ET\012");
    }
  writer->ox = x;
  writer->oy = y;
  writer->scale = size / ck_font_set_get_units_per_em (fonts, g->font);
  ck_font_set_draw_outline (fonts, g->font, g->c, &outline_sink, writer);
  HPDF_Page_Fill (writer->page);
  raw (writer, "EMC\n");
}

/* One coordinate of a point placed by a fit. */
static double
fit_x (const CkStrokeFit *fit,
          double             x,
          double             y)
{
  double bx, by;

  ck_stroke_fit_point (fit, x, y, &bx, &by);
  return bx;
}

static double
fit_y (const CkStrokeFit *fit,
          double             x,
          double             y)
{
  double bx, by;

  ck_stroke_fit_point (fit, x, y, &bx, &by);
  return by;
}

static void
draw_signature (Writer            *writer,
                const CkPdfRequest *request,
                double             box_x,
                double             box_y)
{
  GArray *segments;
  CkStrokeStyle style;
  CkStrokeFit fit;
  double floor_tenths;

  /* The same signature stands at every signature line: one geometry. */
  ck_stroke_style_init_default (&style);
  if (writer->segments == NULL)
    writer->segments = ck_signature_build_segments (request->signature, &style);
  segments = writer->segments;

  /* Fit the ink into the box as the review page does (ck_stroke_fit()):
   * proportions kept, no line thinner than CK_STROKE_PRINT_MIN_WIDTH. */
  if (!ck_stroke_fit (&g_array_index (segments, CkStrokeSegment, 0), segments->len, &style,
                      SIGNATURE_BOX_W, SIGNATURE_BOX_H, &fit))
    return;
  floor_tenths = ceil (fit.min_width * 10 - 1e-6);

  /* Integer coordinates in tenths of a point keep the path small. */
  HPDF_Page_GSave (writer->page);
  HPDF_Page_Concat (writer->page, 0.1, 0, 0, 0.1, 0, 0);
  HPDF_Page_SetRGBStroke (writer->page, INK_R, INK_G, INK_B);
  HPDF_Page_SetRGBFill (writer->page, INK_R, INK_G, INK_B);
  HPDF_Page_SetLineCap (writer->page, HPDF_ROUND_END);
  HPDF_Page_SetLineJoin (writer->page, HPDF_ROUND_JOIN);

  /* The fit's y grows downwards from the box's top, the page's upwards. */
#define PX(px, py) (round ((box_x + fit_x (&fit, px, py)) * 10))
#define PY(px, py) (round ((box_y + SIGNATURE_BOX_H - fit_y (&fit, px, py)) * 10))
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);
      double w = ck_stroke_fit_width (&fit, (s->start_width + s->end_width) / 2);

      HPDF_Page_SetLineWidth (writer->page, MAX (round (w * 10), floor_tenths));
      HPDF_Page_MoveTo (writer->page, PX (s->x0, s->y0), PY (s->x0, s->y0));
      if (ck_stroke_segment_is_dot (s))
        HPDF_Page_LineTo (writer->page, PX (s->x0, s->y0), PY (s->x0, s->y0));
      else
        HPDF_Page_CurveTo (writer->page, PX (s->x1, s->y1), PY (s->x1, s->y1),
                           PX (s->x2, s->y2), PY (s->x2, s->y2),
                           PX (s->x3, s->y3), PY (s->x3, s->y3));
      HPDF_Page_Stroke (writer->page);
    }
#undef PX
#undef PY

  HPDF_Page_GRestore (writer->page);
}

/* The signing record's frame: a thin grey rectangle. */
static void
draw_frame (Writer   *writer,
            const Op *op)
{
  HPDF_Page_GSave (writer->page);
  HPDF_Page_SetGrayStroke (writer->page, 0.45);
  HPDF_Page_SetLineWidth (writer->page, RECORD_FRAME_WIDTH);
  if (op->gap_right > op->gap_left)
    {
      /* From the gap's right end round to its left end. */
      HPDF_Page_MoveTo (writer->page, op->x + op->gap_right, op->y + op->height);
      HPDF_Page_LineTo (writer->page, op->x + op->width, op->y + op->height);
      HPDF_Page_LineTo (writer->page, op->x + op->width, op->y);
      HPDF_Page_LineTo (writer->page, op->x, op->y);
      HPDF_Page_LineTo (writer->page, op->x, op->y + op->height);
      HPDF_Page_LineTo (writer->page, op->x + op->gap_left, op->y + op->height);
    }
  else
    HPDF_Page_Rectangle (writer->page, op->x, op->y, op->width, op->height);
  HPDF_Page_Stroke (writer->page);
  HPDF_Page_GRestore (writer->page);
}

/* Draws one line: runs of text in one font inside BT/ET, outline glyphs
 * and the signature between them, then the underlines of filled blanks. */
static void
draw_line (Writer             *writer,
           Layout             *layout,
           const Op           *op)
{
  const Glyph *glyphs = &g_array_index (layout->glyphs, Glyph, op->first);
  double x = op->x;
  guint i = 0;

  if (op->kind == OP_FRAME)
    {
      draw_frame (writer, op);
      return;
    }

  while (i < op->n)
    {
      const Glyph *g = &glyphs[i];
      double step = glyph_width (g, op->size) + op->char_space;

      if (g->c == SIGNATURE_CHAR)
        {
          draw_signature (writer, layout->request, x, op->y - op->size * 0.3);
          x += step;
          i++;
        }
      else if (g->use == CK_FONT_USE_OUTLINE)
        {
          draw_outline_glyph (writer, layout->fonts, g, x, op->y, op->size);
          x += step;
          i++;
        }
      else
        {
          g_autoptr(GString) run = g_string_new (NULL);
          double start = x;
          guint j = i;

          while (j < op->n && glyphs[j].c != SIGNATURE_CHAR &&
                 glyphs[j].use == CK_FONT_USE_TEXT && glyphs[j].font == g->font)
            {
              append_code (writer, g->font, run, glyphs[j].c);
              x += glyph_width (&glyphs[j], op->size) + op->char_space;
              j++;
            }

          begin_text (writer, g->font, op->size);
          write_operator (writer, op->char_space, " Tc\012");
          if (op->bold)
            {
              raw (writer, "2 Tr\012");
              write_operator (writer, op->size * 0.03, " w\012");
            }
          show_codes (writer, start, op->y, run);
          if (op->bold)
            raw (writer, "0 Tr\012");
          raw (writer, "ET\012");
          i = j;
        }
    }

  /* Underline each blank filled from the form or the configuration. */
  x = op->x;
  for (i = 0; i < op->n; i++)
    {
      const Glyph *g = &glyphs[i];
      double step = glyph_width (g, op->size) + op->char_space;

      if (g->field != CK_TEMPLATE_FIELD_NONE)
        {
          double start = x;

          while (i < op->n && glyphs[i].field == g->field)
            {
              x += glyph_width (&glyphs[i], op->size) + op->char_space;
              i++;
            }
          i--;
          HPDF_Page_SetLineWidth (writer->page, 0.5);
          HPDF_Page_MoveTo (writer->page, start - 1, op->y - op->size * 0.22);
          HPDF_Page_LineTo (writer->page, x - op->char_space + 1, op->y - op->size * 0.22);
          HPDF_Page_Stroke (writer->page);
          continue;
        }
      x += step;
    }
}

static gboolean
add_footer_glyphs (Layout  *layout,
                   guint    page,
                   guint    n_pages,
                   const char *digest,
                   guint   *first,
                   guint   *n)
{
  g_autofree char *footer = NULL;

  *first = layout->glyphs->len;
  footer = g_strdup_printf ("编号 %s　终端 %s　第 %u/%u 页　内容摘要 %.16s%s%s",
                            layout->request->consent_id,
                            layout->request->kiosk_id,
                            page, n_pages, digest,
                            layout->request->example ? "　示例机构" : "",
                            layout->request->demo ? "　DEMO 演示" : "");
  if (!add_text (layout, footer, CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (layout->fonts)))
    return FALSE;
  *n = layout->glyphs->len - *first;

  return TRUE;
}

/**
 * ck_pdf_compute_digest:
 * @request: what the consent shows
 *
 * The digest printed in the footer, over the template's identity, every
 * filled value and the raw signature samples.
 *
 * Returns: (transfer full): SHA-256, lowercase hex
 */
char *
ck_pdf_compute_digest (const CkPdfRequest *request)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) signature = NULL;

  g_checksum_update (checksum, (const guchar *)"consent-kiosk/consent/1\n", -1);
  g_checksum_update (checksum, (const guchar *)ck_template_get_sha256 (request->template), -1);
  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    {
      const char *value = request->values[i] ? request->values[i] : "";

      g_checksum_update (checksum, (const guchar *)"\n", 1);
      g_checksum_update (checksum, (const guchar *)ck_template_field_to_string (i), -1);
      g_checksum_update (checksum, (const guchar *)"=", 1);
      g_checksum_update (checksum, (const guchar *)value, strlen (value));
    }

  signature = ck_signature_serialize (request->signature);
  g_checksum_update (checksum, (const guchar *)"\nsignature=", -1);
  g_checksum_update (checksum, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));

  return g_strdup (g_checksum_get_string (checksum));
}

static void
writer_clear (Writer *writer)
{
  g_clear_pointer (&writer->pdf, HPDF_Free);
  for (guint i = 0; writer->codes && i < writer->n_fonts; i++)
    g_clear_pointer (&writer->codes[i], g_hash_table_unref);
  g_clear_pointer (&writer->codes, g_free);
  g_clear_pointer (&writer->segments, g_array_unref);
  g_clear_pointer (&writer->fonts, g_free);
  g_clear_error (&writer->error);
}

typedef struct
{
  const char *title;
  const char *author;
  const char *subject;
  const char *keywords;
  GDateTime *created;
} Info;

/* --- PDF/A-2b: the document-level objects ------------------------------
 *
 * ISO 19005-2 level B asks of the file itself, beyond its pages and fonts:
 * a PDF 1.7 header, an /ID in the trailer, an output intent with an
 * embedded ICC profile (the content paints in DeviceRGB and DeviceGray),
 * and XMP metadata in the catalog saying PDF/A-2B and repeating the Info
 * dictionary. docs/PDFA.md lists each rule and the test that checks it. */

#define PRODUCER "libharu " HPDF_VERSION_TEXT
#define OUTPUT_CONDITION "sRGB IEC61966-2.1"
#define ICC_HEADER_SIZE 128

/* The profile's path: CK_SRGB_PROFILE in the environment (tests), else the
 * one meson was configured with. */
static const char *
srgb_profile_path (void)
{
  const char *path = g_getenv ("CK_SRGB_PROFILE");

  return path && path[0] ? path : CK_SRGB_PROFILE;
}

/* Reads the sRGB profile and checks that its header describes what PDF 1.7
 * takes as an output intent: an ICC profile (version 2 to 4) of a display
 * or printer, in RGB, exactly as long as it says. */
static GBytes *
read_srgb_profile (GError **error)
{
  const char *path = srgb_profile_path ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  const guint8 *h;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE,
                   _("The colour profile %s cannot be read (%s); scripts/install-deps "
                     "installs it (Debian package colord-data)."),
                   path, local_error->message);
      return NULL;
    }

  h = (const guint8 *)data;
  if (len < ICC_HEADER_SIZE ||
      ((guint32)h[0] << 24 | (guint32)h[1] << 16 | (guint32)h[2] << 8 | h[3]) != len ||
      h[8] < 2 || h[8] > 4 ||
      (memcmp (h + 12, "mntr", 4) != 0 && memcmp (h + 12, "prtr", 4) != 0) ||
      memcmp (h + 16, "RGB ", 4) != 0 ||
      memcmp (h + 36, "acsp", 4) != 0)
    {
      g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE,
                   _("The file %s is not an RGB display or printer ICC profile, "
                     "which a PDF/A consent needs as its output intent."),
                   path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&data), len);
}

/* The catalog's /OutputIntents: one GTS_PDFA1 intent whose destination
 * profile is the sRGB profile. */
static gboolean
add_output_intent (Writer *writer)
{
  g_autoptr(GBytes) profile = NULL;
  HPDF_Dict intent;
  HPDF_Dict icc;
  HPDF_Array intents;

  if (!(profile = read_srgb_profile (&writer->error)))
    return FALSE;

  icc = HPDF_DictStream_New (writer->pdf->mmgr, writer->pdf->xref);
  if (icc == NULL)
    return FALSE;
  icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  HPDF_Dict_AddNumber (icc, "N", 3);
  HPDF_Stream_Write (icc->stream, g_bytes_get_data (profile, NULL), g_bytes_get_size (profile));

  intent = HPDF_Dict_New (writer->pdf->mmgr);
  intents = HPDF_Array_New (writer->pdf->mmgr);
  if (intent == NULL || intents == NULL)
    return FALSE;
  HPDF_Dict_AddName (intent, "Type", "OutputIntent");
  HPDF_Dict_AddName (intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add (intent, "OutputConditionIdentifier",
                 HPDF_String_New (writer->pdf->mmgr, OUTPUT_CONDITION, NULL));
  HPDF_Dict_Add (intent, "Info", HPDF_String_New (writer->pdf->mmgr, OUTPUT_CONDITION, NULL));
  HPDF_Dict_Add (intent, "DestOutputProfile", icc);
  HPDF_Array_Add (intents, intent);
  HPDF_Dict_Add (writer->pdf->catalog, "OutputIntents", intents);

  return writer->error == NULL;
}

/* Dates are written in UT, as the Info dictionary's D:YYYYMMDDHHmmSSZ
 * and as XMP's ISO 8601: the same instant in both. */
static char *
info_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "D:%Y%m%d%H%M%SZ");
}

static char *
xmp_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
set_info_date (Writer     *writer,
               const char *key,
               GDateTime  *time)
{
  g_autofree char *value = info_date (time);

  HPDF_Dict_Add (writer->pdf->info, key, HPDF_String_New (writer->pdf->mmgr, value, NULL));
}

/* Text for an XML element's content; a carriage return is written as a
 * character reference, since a parser would read it as a line feed. */
static void
append_xml_text (GString    *xml,
                 const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  for (const char *p = escaped; *p; p++)
    if (*p == '\r')
      g_string_append (xml, "&#13;");
    else
      g_string_append_c (xml, *p);
}

/* A simple property, an rdf:Seq of one entry, or an rdf:Alt in the default
 * language; nothing where the Info dictionary has no entry either. */
static void
append_xmp_property (GString    *xml,
                     const char *name,
                     const char *container,
                     const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_string_append_printf (xml, "   <%s>", name);
  if (container)
    g_string_append_printf (xml, "<rdf:%s><rdf:li%s>", container,
                            g_str_equal (container, "Alt") ? " xml:lang=\"x-default\"" : "");
  append_xml_text (xml, value);
  if (container)
    g_string_append_printf (xml, "</rdf:li></rdf:%s>", container);
  g_string_append_printf (xml, "</%s>\n", name);
}

/* The XMP packet: the PDF/A identification and the Info dictionary's
 * entries again, each under the property ISO 19005-2 pairs it with. */
static char *
build_xmp (const Info *info,
           const char *creator)
{
  GString *xml = g_string_new (NULL);
  g_autofree char *created = info->created ? xmp_date (info->created) : NULL;

  g_string_append (xml,
                   "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                   "  <rdf:Description rdf:about=\"\"\n"
                   "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                   "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                   "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                   "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                   "   <pdfaid:part>2</pdfaid:part>\n"
                   "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                   "   <dc:format>application/pdf</dc:format>\n");
  append_xmp_property (xml, "dc:title", "Alt", info->title);
  append_xmp_property (xml, "dc:creator", "Seq", info->author);
  append_xmp_property (xml, "dc:description", "Alt", info->subject);
  append_xmp_property (xml, "pdf:Keywords", NULL, info->keywords);
  append_xmp_property (xml, "pdf:Producer", NULL, PRODUCER);
  append_xmp_property (xml, "xmp:CreatorTool", NULL, creator);
  append_xmp_property (xml, "xmp:CreateDate", NULL, created);
  g_string_append (xml,
                   "  </rdf:Description>\n"
                   " </rdf:RDF>\n"
                   "</x:xmpmeta>\n"
                   "<?xpacket end=\"w\"?>");

  return g_string_free (xml, FALSE);
}

/* The catalog's /Metadata, uncompressed so that any tool finds it. */
static void
add_metadata (Writer     *writer,
              const Info *info,
              const char *creator)
{
  g_autofree char *xmp = build_xmp (info, creator);
  HPDF_Dict stream;

  stream = HPDF_DictStream_New (writer->pdf->mmgr, writer->pdf->xref);
  if (stream == NULL)
    return;
  stream->filter = HPDF_STREAM_FILTER_NONE;
  HPDF_Dict_AddName (stream, "Type", "Metadata");
  HPDF_Dict_AddName (stream, "Subtype", "XML");
  HPDF_Stream_Write (stream->stream, (const HPDF_BYTE *)xmp, strlen (xmp));
  HPDF_Dict_Add (writer->pdf->catalog, "Metadata", stream);
}

/* The trailer's /ID: both halves the same 16 bytes, the start of a SHA-256
 * over the Info dictionary's values, which name the consent, its content
 * digest and its time. The same request gives the same ID. */
static void
add_file_id (Writer     *writer,
             const Info *info,
             const char *creator)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *created = info->created ? info_date (info->created) : NULL;
  const char *values[] = { info->title, info->author, info->subject, info->keywords,
                           creator, PRODUCER, created };
  guint8 digest[32];
  gsize len = sizeof digest;
  HPDF_Array id;

  g_checksum_update (checksum, (const guchar *)"consent-kiosk/pdf-id/1", -1);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_checksum_update (checksum, (const guchar *)"\n", 1);
      if (values[i])
        g_checksum_update (checksum, (const guchar *)values[i], -1);
    }
  g_checksum_get_digest (checksum, digest, &len);

  id = HPDF_Array_New (writer->pdf->mmgr);
  if (id == NULL)
    return;
  HPDF_Array_Add (id, HPDF_Binary_New (writer->pdf->mmgr, digest, 16));
  HPDF_Array_Add (id, HPDF_Binary_New (writer->pdf->mmgr, digest, 16));
  HPDF_Dict_Add (writer->pdf->trailer, "ID", id);
}

/* libharu writes "%PDF-1.7" and a comment of four bytes above 127. */
static void
set_pdf_version (Writer *writer)
{
  writer->pdf->pdf_version = HPDF_VER_17;
}

/* Writes the laid-out pages; @footers holds (first, n) glyph ranges, one
 * pair a page, or is %NULL. */
static GBytes *
write_pages (Layout      *layout,
             guint        n_pages,
             GArray      *footers,
             const Info  *info,
             GError     **error)
{
  g_autofree char *creator = NULL;
  Writer writer = { 0 };
  GBytes *result = NULL;

  writer.pdf = HPDF_New (writer_error, &writer);
  HPDF_UseUTFEncodings (writer.pdf);
  HPDF_SetCompressionMode (writer.pdf, HPDF_COMP_ALL);

  if (!add_output_intent (&writer))
    goto out;

  if (!load_fonts (&writer, layout))
    goto out;

  for (guint p = 1; p <= n_pages; p++)
    {
      writer.page = HPDF_AddPage (writer.pdf);
      HPDF_Page_SetWidth (writer.page, PAGE_WIDTH);
      HPDF_Page_SetHeight (writer.page, PAGE_HEIGHT);
      deflate_page_contents (&writer);

      for (guint i = 0; i < layout->ops->len; i++)
        {
          const Op *op = &g_array_index (layout->ops, Op, i);

          if (op->page == p)
            draw_line (&writer, layout, op);
        }

      if (footers)
        {
          Op footer = { OP_LINE, p, MARGIN_LEFT, FOOTER_BASELINE, FOOTER_SIZE, 0, FALSE,
                        g_array_index (footers, guint, 2 * (p - 1)),
                        g_array_index (footers, guint, 2 * (p - 1) + 1), G_MAXUINT };
          double natural = glyphs_width (layout, footer.first, footer.n, FOOTER_SIZE);
          double room = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

          /* A long kiosk id makes the footer smaller, never cut off. */
          if (natural > room)
            footer.size = FOOTER_SIZE * room / natural;

          HPDF_Page_SetGrayFill (writer.page, 0.35);
          draw_line (&writer, layout, &footer);
          HPDF_Page_SetGrayFill (writer.page, 0);
        }

      if (writer.error)
        goto out;
    }

  /* Metadata, as UTF-16BE: the exact name is here too. */
  creator = g_strdup_printf ("Consent Kiosk %s", PACKAGE_VERSION);
  HPDF_SetInfoAttr (writer.pdf, HPDF_INFO_PRODUCER, PRODUCER);
  set_info (&writer, "Title", info->title);
  set_info (&writer, "Author", info->author);
  set_info (&writer, "Subject", info->subject);
  set_info (&writer, "Keywords", info->keywords);
  set_info (&writer, "Creator", creator);
  if (info->created)
    set_info_date (&writer, "CreationDate", info->created);

  /* PDF/A-2b: the XMP repeats the Info dictionary just set. */
  add_metadata (&writer, info, creator);
  add_file_id (&writer, info, creator);
  set_pdf_version (&writer);

  /* Read the saved stream back: HPDF_GetContents() would write and
   * compress the whole file a second time (measured: 19 % of a render). */
  if (writer.error == NULL && HPDF_SaveToStream (writer.pdf) == HPDF_OK)
    {
      HPDF_UINT32 size = HPDF_GetStreamSize (writer.pdf);
      HPDF_UINT32 got = size;
      guint8 *data = g_malloc (size ? size : 1);

      HPDF_ResetStream (writer.pdf);
      HPDF_ReadFromStream (writer.pdf, data, &got);
      if (got == size && writer.error == NULL)
        result = g_bytes_new_take (data, size);
      else
        g_free (data);
    }

out:
  if (result == NULL)
    {
      if (writer.error)
        g_propagate_error (error, g_steal_pointer (&writer.error));
      else
        g_set_error_literal (error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                             _("The PDF could not be written."));
    }
  writer_clear (&writer);

  return result;
}

/* Where each filled blank landed, for tests and previews. */
static GArray *
collect_field_boxes (Layout *layout)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (CkPdfFieldBox));

  for (guint o = 0; o < layout->ops->len; o++)
    {
      const Op *op = &g_array_index (layout->ops, Op, o);
      const Glyph *glyphs = &g_array_index (layout->glyphs, Glyph, op->first);
      double x = op->x;

      for (guint i = 0; i < op->n; i++)
        {
          double step = glyph_width (&glyphs[i], op->size) + op->char_space;

          if (glyphs[i].field != CK_TEMPLATE_FIELD_NONE &&
              (i == 0 || glyphs[i - 1].field != glyphs[i].field))
            {
              CkPdfFieldBox box = { glyphs[i].field, op->page, x,
                                    op->y - op->size * 0.15, 0, op->size * 1.05 };
              guint j = i;
              double end = x;

              while (j < op->n && glyphs[j].field == glyphs[i].field)
                end += glyph_width (&glyphs[j++], op->size) + op->char_space;
              box.width = end - x - op->char_space;
              if (glyphs[i].field == CK_TEMPLATE_FIELD_SIGNATURE)
                {
                  box.y = op->y - op->size * 0.3;
                  box.height = SIGNATURE_BOX_H;
                }
              g_array_append_val (boxes, box);
            }
          x += step;
        }
    }

  return boxes;
}

/* Every glyph of the letter where it was set, in reading order. */
static GArray *
collect_glyph_boxes (Layout *layout)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (CkPdfGlyphBox));
  guint last_block = G_MAXUINT;

  for (guint o = 0; o < layout->ops->len; o++)
    {
      const Op *op = &g_array_index (layout->ops, Op, o);
      const Glyph *glyphs = &g_array_index (layout->glyphs, Glyph, op->first);
      gboolean block_end = o + 1 == layout->ops->len ||
                           g_array_index (layout->ops, Op, o + 1).block != op->block;
      double x = op->x;

      if (op->kind != OP_LINE || op->block == G_MAXUINT)
        continue;

      for (guint i = 0; i < op->n; i++)
        {
          CkPdfGlyphBox box = { glyphs[i].c, op->page, o, op->block, x, op->y, op->size,
                                glyph_width (&glyphs[i], op->size), glyphs[i].font,
                                glyphs[i].field, op->block != last_block, block_end };

          g_array_append_val (boxes, box);
          x += box.advance + op->char_space;
        }
      last_block = op->block;
    }

  return boxes;
}

/**
 * ck_pdf_render:
 * @fonts: the fonts to write with
 * @request: what the consent shows
 * @error: a #GError in the %CK_PDF_ERROR domain
 *
 * Lays out and writes the consent. Pure: nothing is stored; the same
 * request gives the same bytes.
 *
 * Returns: (transfer full) (nullable): the PDF file
 */
GBytes *
ck_pdf_render (CkFontSet           *fonts,
               const CkPdfRequest  *request,
               GError             **error)
{
  return ck_pdf_render_full (fonts, request, NULL, NULL, error);
}

/**
 * ck_pdf_render_full:
 * @fonts: the fonts to write with
 * @request: what the consent shows
 * @field_boxes: (out) (optional) (element-type CkPdfFieldBox): where
 *   each filled blank and signature landed
 * @glyph_boxes: (out) (optional) (element-type CkPdfGlyphBox): where each
 *   character of the letter was set, and from which font
 * @error: a #GError in the %CK_PDF_ERROR domain
 *
 * Returns: (transfer full) (nullable): the PDF file
 */
GBytes *
ck_pdf_render_full (CkFontSet           *fonts,
                    const CkPdfRequest  *request,
                    GArray             **field_boxes,
                    GArray             **glyph_boxes,
                    GError             **error)
{
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (Glyph));
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (Op));
  g_autoptr(GArray) footers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *digest = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *keywords = NULL;
  Layout layout = { fonts, request, glyphs, ops, 0, 0, NULL };
  Info info = { 0 };
  GBytes *result;
  guint n_pages;

  g_return_val_if_fail (CK_IS_FONT_SET (fonts), NULL);
  g_return_val_if_fail (request != NULL && CK_IS_TEMPLATE (request->template), NULL);
  g_return_val_if_fail (CK_IS_SIGNATURE (request->signature), NULL);
  g_return_val_if_fail (request->consent_id && request->kiosk_id && request->created, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      const char *value = request->values[form_fields[i]];

      if (ck_template_uses_field (request->template, form_fields[i]) && (!value || !value[0]))
        {
          g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_INPUT,
                       _("The consent needs a value for {%s}, and none was given."),
                       ck_template_field_to_string (form_fields[i]));
          return NULL;
        }
    }

  digest = ck_pdf_compute_digest (request);

  if (!layout_document (&layout))
    {
      g_propagate_error (error, layout.error);
      return NULL;
    }

  n_pages = layout.page;
  for (guint p = 1; p <= n_pages; p++)
    {
      guint first, n;

      if (!add_footer_glyphs (&layout, p, n_pages, digest, &first, &n))
        {
          g_propagate_error (error, layout.error);
          return NULL;
        }
      g_array_append_val (footers, first);
      g_array_append_val (footers, n);
    }

  title = ck_template_fill_block (request->template, 0, request->values);
  subject = g_strdup_printf ("%s — %s", title, request->values[CK_TEMPLATE_FIELD_NAME]);
  keywords = g_strdup_printf ("consent-id:%s digest:%s template:%s%s%s",
                              request->consent_id, digest,
                              ck_template_get_sha256 (request->template),
                              request->example ? " EXAMPLE-ORGANIZATION" : "",
                              request->demo ? " DEMO" : "");
  info.title = title;
  info.author = request->organization;
  info.subject = subject;
  info.keywords = keywords;
  info.created = request->created;

  result = write_pages (&layout, n_pages, footers, &info, error);

  if (result && field_boxes)
    *field_boxes = collect_field_boxes (&layout);
  if (result && glyph_boxes)
    *glyph_boxes = collect_glyph_boxes (&layout);

  return result;
}

/**
 * ck_pdf_render_specimen:
 * @fonts: the fonts to write with
 * @chars: characters to show
 * @n_chars: how many
 * @cell: the side of a grid cell, in points
 * @error: a #GError in the %CK_PDF_ERROR domain
 *
 * Writes @chars into a grid, with the same font choice, subsetting,
 * embedding and outline drawing as a consent, so that tests can compare
 * every glyph with FreeType's own rendering. The geometry is fixed: cells
 * of @cell points from %CK_PDF_SPECIMEN_MARGIN at the top left, row by
 * row; a character is set at %CK_PDF_SPECIMEN_SIZE × @cell points with its
 * origin %CK_PDF_SPECIMEN_ORIGIN_X × @cell right of the cell's left edge
 * and %CK_PDF_SPECIMEN_BASELINE × @cell below its top.
 *
 * Returns: (transfer full) (nullable): the PDF file
 */
GBytes *
ck_pdf_render_specimen (CkFontSet       *fonts,
                        const gunichar  *chars,
                        guint            n_chars,
                        double           cell,
                        GError         **error)
{
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (Glyph));
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (Op));
  Layout layout = { fonts, NULL, glyphs, ops, 0, 0, NULL };
  Info info = { "Consent Kiosk glyph specimen", NULL, NULL, NULL, NULL };
  guint columns, rows;

  g_return_val_if_fail (CK_IS_FONT_SET (fonts), NULL);
  g_return_val_if_fail (cell >= 4, NULL);

  columns = (guint)((PAGE_WIDTH - 2 * CK_PDF_SPECIMEN_MARGIN) / cell);
  rows = (guint)((PAGE_HEIGHT - 2 * CK_PDF_SPECIMEN_MARGIN) / cell);

  for (guint i = 0; i < n_chars; i++)
    {
      guint page = i / (columns * rows);
      guint row = (i % (columns * rows)) / columns;
      guint column = i % columns;
      Op op = { OP_LINE, page + 1,
                CK_PDF_SPECIMEN_MARGIN + column * cell + CK_PDF_SPECIMEN_ORIGIN_X * cell,
                PAGE_HEIGHT - CK_PDF_SPECIMEN_MARGIN - row * cell - CK_PDF_SPECIMEN_BASELINE * cell,
                CK_PDF_SPECIMEN_SIZE * cell, 0, FALSE, glyphs->len, 1, G_MAXUINT };

      if (!add_glyph (&layout, chars[i], CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (fonts)))
        {
          g_propagate_error (error, layout.error);
          return NULL;
        }
      g_array_append_val (ops, op);
      layout.page = page + 1;
    }

  return write_pages (&layout, MAX (layout.page, 1), NULL, &info, error);
}
