/* ck-pdf-layout.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The letter set in lines: each character's glyph and font, one style per
 * filled value, Chinese line breaking with the ID number's unit, even
 * justification, hanging clauses, and the footer's glyphs. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-line-breaker.h"
#include "ck-pdf-private.h"

double
_ck_pdf_glyph_width (const Glyph *g,
                     double       size)
{
  return g->advance * size / 1000.0;
}

gboolean
_ck_pdf_add_glyph (Layout          *layout,
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

gboolean
_ck_pdf_add_text (Layout          *layout,
                  const char      *text,
                  CkTemplateField  field,
                  CkFontStyle      style)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!_ck_pdf_add_glyph (layout, g_utf8_get_char (p), field, style))
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

void
_ck_pdf_new_page (Layout *layout)
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
    _ck_pdf_new_page (layout);

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
      widths[i] = _ck_pdf_glyph_width (&glyphs[i], size);
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

double
_ck_pdf_glyphs_width (Layout *layout,
                      guint   first,
                      guint   n,
                      double  size)
{
  double width = 0;

  for (guint i = first; i < first + n; i++)
    width += _ck_pdf_glyph_width (&g_array_index (layout->glyphs, Glyph, i), size);

  return width;
}


gboolean
_ck_pdf_layout_document (Layout *layout)
{
  CkTemplate *template = layout->request->template;
  CkFontStyle body = ck_font_set_get_body_style (layout->fonts);
  guint last_section = 0;

  _ck_pdf_new_page (layout);

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
            ok = _ck_pdf_add_text (layout, runs[r].text, CK_TEMPLATE_FIELD_NONE, body);
          else if (runs[r].field == CK_TEMPLATE_FIELD_SIGNATURE)
            ok = _ck_pdf_add_glyph (layout, SIGNATURE_CHAR, CK_TEMPLATE_FIELD_SIGNATURE, body);
          else if (value && value[0])
            ok = _ck_pdf_add_text (layout, value, runs[r].field, value_style (layout, value));
          else
            ok = _ck_pdf_add_text (layout, BLANK, runs[r].field, body);   /* left blank, as on paper */

          if (!ok)
            return FALSE;
        }

      layout_block (layout, b, kind, first, layout->glyphs->len - first);
    }

  return _ck_pdf_layout_signing_record (layout);
}

gboolean
_ck_pdf_add_footer_glyphs (Layout  *layout,
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
  if (!_ck_pdf_add_text (layout, footer, CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (layout->fonts)))
    return FALSE;
  *n = layout->glyphs->len - *first;

  return TRUE;
}
