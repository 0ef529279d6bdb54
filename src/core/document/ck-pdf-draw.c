/* ck-pdf-draw.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pages painted: text runs, glyphs drawn from their outlines inside
 * ActualText spans, the signature as Bézier strokes, frames, underlines. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "ck-pdf-private.h"

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
      _ck_pdf_writer_error (HPDF_INVALID_FONT_NAME, 0, writer);
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

  _ck_pdf_raw (writer, span);
  if (writer->carrier_font >= 0)
    {
      g_autoptr(GString) carrier = g_string_new (NULL);

      append_code (writer, writer->carrier_font, carrier, CARRIER_CHAR);
      begin_text (writer, writer->carrier_font, size);
      _ck_pdf_raw (writer, "3 Tr\012");
      show_codes (writer, x, y, carrier);
      _ck_pdf_raw (writer, "0 Tr\012ET\012");
    }
  writer->ox = x;
  writer->oy = y;
  writer->scale = size / ck_font_set_get_units_per_em (fonts, g->font);
  ck_font_set_draw_outline (fonts, g->font, g->c, &outline_sink, writer);
  HPDF_Page_Fill (writer->page);
  _ck_pdf_raw (writer, "EMC\n");
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
void
_ck_pdf_draw_line (Writer             *writer,
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
      double step = _ck_pdf_glyph_width (g, op->size) + op->char_space;

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
              x += _ck_pdf_glyph_width (&glyphs[j], op->size) + op->char_space;
              j++;
            }

          begin_text (writer, g->font, op->size);
          write_operator (writer, op->char_space, " Tc\012");
          if (op->bold)
            {
              _ck_pdf_raw (writer, "2 Tr\012");
              write_operator (writer, op->size * 0.03, " w\012");
            }
          show_codes (writer, start, op->y, run);
          if (op->bold)
            _ck_pdf_raw (writer, "0 Tr\012");
          _ck_pdf_raw (writer, "ET\012");
          i = j;
        }
    }

  /* Underline each blank filled from the form or the configuration. */
  x = op->x;
  for (i = 0; i < op->n; i++)
    {
      const Glyph *g = &glyphs[i];
      double step = _ck_pdf_glyph_width (g, op->size) + op->char_space;

      if (g->field != CK_TEMPLATE_FIELD_NONE)
        {
          double start = x;

          while (i < op->n && glyphs[i].field == g->field)
            {
              x += _ck_pdf_glyph_width (&glyphs[i], op->size) + op->char_space;
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
