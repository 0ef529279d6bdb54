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
 * Type0 font whose objects are written by ck-pdf-fonts.c, and
 * characters libharu cannot encode are drawn from their outlines inside an
 * ActualText span so that they still extract as text. Blanks filled from
 * the form are underlined; the signature is drawn as vector Bézier strokes
 * from the geometry the screen uses. Metadata strings are written as
 * UTF-16BE, so every name survives exactly.
 *
 * This file renders (layout, then writing) and answers the public API; the
 * parts are in ck-pdf-layout.c, ck-pdf-record.c, ck-pdf-fonts.c,
 * ck-pdf-draw.c, ck-pdf-archive.c and ck-pdf-writer.c, which share
 * ck-pdf-private.h. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>

#include "ck-pdf-private.h"

G_DEFINE_QUARK (ck-pdf-error-quark, ck_pdf_error)

/* What the customer provides must be there. */
static const CkTemplateField form_fields[] = {
  CK_TEMPLATE_FIELD_NAME,
  CK_TEMPLATE_FIELD_ID_NUMBER,
  CK_TEMPLATE_FIELD_YEAR,
  CK_TEMPLATE_FIELD_MONTH,
  CK_TEMPLATE_FIELD_DAY,
};

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

  writer.pdf = HPDF_New (_ck_pdf_writer_error, &writer);
  HPDF_UseUTFEncodings (writer.pdf);
  HPDF_SetCompressionMode (writer.pdf, HPDF_COMP_ALL);

  if (!_ck_pdf_add_output_intent (&writer))
    goto out;

  if (!_ck_pdf_load_fonts (&writer, layout))
    goto out;

  for (guint p = 1; p <= n_pages; p++)
    {
      writer.page = HPDF_AddPage (writer.pdf);
      HPDF_Page_SetWidth (writer.page, PAGE_WIDTH);
      HPDF_Page_SetHeight (writer.page, PAGE_HEIGHT);
      _ck_pdf_deflate_page_contents (&writer);

      for (guint i = 0; i < layout->ops->len; i++)
        {
          const Op *op = &g_array_index (layout->ops, Op, i);

          if (op->page == p)
            _ck_pdf_draw_line (&writer, layout, op);
        }

      if (footers)
        {
          Op footer = { OP_LINE, p, MARGIN_LEFT, FOOTER_BASELINE, FOOTER_SIZE, 0, FALSE,
                        g_array_index (footers, guint, 2 * (p - 1)),
                        g_array_index (footers, guint, 2 * (p - 1) + 1), G_MAXUINT };
          double natural = _ck_pdf_glyphs_width (layout, footer.first, footer.n, FOOTER_SIZE);
          double room = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

          /* A long kiosk id makes the footer smaller, never cut off. */
          if (natural > room)
            footer.size = FOOTER_SIZE * room / natural;

          HPDF_Page_SetGrayFill (writer.page, 0.35);
          _ck_pdf_draw_line (&writer, layout, &footer);
          HPDF_Page_SetGrayFill (writer.page, 0);
        }

      if (writer.error)
        goto out;
    }

  /* Metadata, as UTF-16BE: the exact name is here too. */
  creator = g_strdup_printf ("Consent Kiosk %s", PACKAGE_VERSION);
  HPDF_SetInfoAttr (writer.pdf, HPDF_INFO_PRODUCER, PRODUCER);
  _ck_pdf_set_info (&writer, "Title", info->title);
  _ck_pdf_set_info (&writer, "Author", info->author);
  _ck_pdf_set_info (&writer, "Subject", info->subject);
  _ck_pdf_set_info (&writer, "Keywords", info->keywords);
  _ck_pdf_set_info (&writer, "Creator", creator);
  if (info->created)
    _ck_pdf_set_info_date (&writer, "CreationDate", info->created);

  /* PDF/A-2b: the XMP repeats the Info dictionary just set. */
  _ck_pdf_add_metadata (&writer, info, creator);
  _ck_pdf_add_file_id (&writer, info, creator);
  _ck_pdf_set_pdf_version (&writer);

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
  _ck_pdf_writer_clear (&writer);

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
          double step = _ck_pdf_glyph_width (&glyphs[i], op->size) + op->char_space;

          if (glyphs[i].field != CK_TEMPLATE_FIELD_NONE &&
              (i == 0 || glyphs[i - 1].field != glyphs[i].field))
            {
              CkPdfFieldBox box = { glyphs[i].field, op->page, x,
                                    op->y - op->size * 0.15, 0, op->size * 1.05 };
              guint j = i;
              double end = x;

              while (j < op->n && glyphs[j].field == glyphs[i].field)
                end += _ck_pdf_glyph_width (&glyphs[j++], op->size) + op->char_space;
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
                                _ck_pdf_glyph_width (&glyphs[i], op->size), glyphs[i].font,
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

  if (!_ck_pdf_layout_document (&layout))
    {
      g_propagate_error (error, layout.error);
      return NULL;
    }

  n_pages = layout.page;
  for (guint p = 1; p <= n_pages; p++)
    {
      guint first, n;

      if (!_ck_pdf_add_footer_glyphs (&layout, p, n_pages, digest, &first, &n))
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

      if (!_ck_pdf_add_glyph (&layout, chars[i], CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (fonts)))
        {
          g_propagate_error (error, layout.error);
          return NULL;
        }
      g_array_append_val (ops, op);
      layout.page = page + 1;
    }

  return write_pages (&layout, MAX (layout.page, 1), NULL, &info, error);
}
