/* bench-pdf.c: the consent PDF against a Cairo + Pango rendering of it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Renders the standard one-page consent (the default template, the values
 * of tests/integration/test-pdf.c, a 400-sample signature) with
 * ck_pdf_render() and, side by side in the same run, with Cairo + Pango as
 * a GTK developer would write it: the same page, margins, sizes, font
 * (WenQuanYi Micro Hei, ck-pdf's first choice), text, signature strokes
 * and footer. Fonts (CkFontSet, the PangoFontMap and PangoContext) are
 * loaded once, outside the timed loop, as a kiosk keeps them.
 *
 * After 3 warm-up rounds, each of N rounds renders the page once with each
 * renderer, alternating which goes first. Printed per renderer: median and
 * 90th percentile wall time and the size of the PDF, then the ratios
 * ck-pdf / Cairo + Pango; one JSON line per renderer for tools.
 *
 *   bench-pdf [--iterations N] [--write-dir DIR]
 */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "ck.h"
#include "bench-util.h"

#define WARM_UP 3

/* ck-pdf.c's page furniture, copied: the peer draws the same page. */
#define PAGE_WIDTH        CK_PDF_PAGE_WIDTH
#define PAGE_HEIGHT       CK_PDF_PAGE_HEIGHT
#define MARGIN_LEFT        56.0
#define MARGIN_RIGHT       56.0
#define MARGIN_TOP         52.0
#define MARGIN_BOTTOM      60.0
#define FOOTER_BASELINE    30.0
#define FOOTER_SIZE         7.0
#define HEADING_SIZE       15.0
#define BODY_SIZE          10.0
#define LINE_FACTOR         1.62
#define PARAGRAPH_GAP       2.5
#define SECTION_GAP        16.0
#define SIGNATURE_RIGHT    36.0
#define SIGNATURE_BOX_W   118.0
#define SIGNATURE_BOX_H    40.0
#define INK_R               0.06
#define INK_G               0.10
#define INK_B               0.32

#define FONT_FAMILY "WenQuanYi Micro Hei"
#define SIGNATURE_CHAR "\xef\xbf\xbc"   /* U+FFFC OBJECT REPLACEMENT CHARACTER */

/* --- the Cairo + Pango peer ------------------------------------------ */

/* What a kiosk would keep between consents. */
typedef struct
{
  PangoFontMap *font_map;
  PangoContext *context;
  PangoFontDescription *body;
  PangoFontDescription *heading;
  PangoFontDescription *footer;
} Peer;

typedef struct
{
  PangoLayout *layout;
  guint page;
  double x;
  double y;                /* top, cairo's y grows downwards */
} PlacedBlock;

static void
placed_block_clear (gpointer data)
{
  PlacedBlock *block = data;

  g_clear_object (&block->layout);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static gpointer
segments_ref (gconstpointer segments)
{
  return g_array_ref ((GArray *)segments);
}

/* Pango's shape renderer: draws the signature into the box the shape
 * attribute reserved, fitted as ck-pdf fits it. The current point is the
 * shape's origin on the baseline. */
static void
draw_signature_shape (cairo_t        *cr,
                      PangoAttrShape *attr,
                      gboolean        do_path,
                      gpointer        user_data)
{
  GArray *segments = attr->data;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double box_x, box_y, scale, dx, dy;

  if (do_path || segments == NULL || segments->len == 0)
    return;

  cairo_get_current_point (cr, &box_x, &box_y);
  box_y += (double)attr->logical_rect.y / PANGO_SCALE;

  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);
      double half = MAX (s->start_width, s->end_width) / 2;

      x0 = MIN (x0, MIN (MIN (s->x0, s->x1), MIN (s->x2, s->x3)) - half);
      y0 = MIN (y0, MIN (MIN (s->y0, s->y1), MIN (s->y2, s->y3)) - half);
      x1 = MAX (x1, MAX (MAX (s->x0, s->x1), MAX (s->x2, s->x3)) + half);
      y1 = MAX (y1, MAX (MAX (s->y0, s->y1), MAX (s->y2, s->y3)) + half);
    }

  scale = MIN (SIGNATURE_BOX_W / MAX (x1 - x0, 1e-3), SIGNATURE_BOX_H / MAX (y1 - y0, 1e-3));
  dx = box_x + (SIGNATURE_BOX_W - (x1 - x0) * scale) / 2 - x0 * scale;
  dy = box_y + (SIGNATURE_BOX_H - (y1 - y0) * scale) / 2 - y0 * scale;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_source_rgb (cr, INK_R, INK_G, INK_B);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);

      cairo_set_line_width (cr, MAX ((s->start_width + s->end_width) / 2 * scale, 0.1));
      cairo_move_to (cr, dx + s->x0 * scale, dy + s->y0 * scale);
      if (ck_stroke_segment_is_dot (s))
        cairo_line_to (cr, dx + s->x0 * scale, dy + s->y0 * scale);   /* a round cap: a dot */
      else
        cairo_curve_to (cr, dx + s->x1 * scale, dy + s->y1 * scale,
                        dx + s->x2 * scale, dy + s->y2 * scale,
                        dx + s->x3 * scale, dy + s->y3 * scale);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
peer_init (Peer *peer)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  peer->font_map = pango_cairo_font_map_new ();
  peer->context = pango_font_map_create_context (peer->font_map);

  /* Print settings: points, outlines unhinted, positions unrounded. */
  pango_cairo_context_set_resolution (peer->context, 72);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (peer->context, options);
  pango_context_set_round_glyph_positions (peer->context, FALSE);
  pango_context_set_language (peer->context, pango_language_from_string ("zh-cn"));
  pango_cairo_context_set_shape_renderer (peer->context, draw_signature_shape, NULL, NULL);
  cairo_font_options_destroy (options);

  peer->body = pango_font_description_from_string (FONT_FAMILY);
  pango_font_description_set_size (peer->body, BODY_SIZE * PANGO_SCALE);
  peer->heading = pango_font_description_copy (peer->body);
  pango_font_description_set_size (peer->heading, HEADING_SIZE * PANGO_SCALE);
  pango_font_description_set_weight (peer->heading, PANGO_WEIGHT_BOLD);
  peer->footer = pango_font_description_copy (peer->body);
  pango_font_description_set_size (peer->footer, FOOTER_SIZE * PANGO_SCALE);
}

static void
peer_clear (Peer *peer)
{
  g_clear_pointer (&peer->body, pango_font_description_free);
  g_clear_pointer (&peer->heading, pango_font_description_free);
  g_clear_pointer (&peer->footer, pango_font_description_free);
  g_clear_object (&peer->context);
  g_clear_object (&peer->font_map);
}

static void
insert_attr (PangoAttrList  *attrs,
             PangoAttribute *attr,
             guint           start,
             guint           end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

static void
add_line_height (PangoAttrList *attrs,
                 guint          start,
                 guint          end,
                 double         size)
{
  if (start < end)
    insert_attr (attrs, pango_attr_line_height_new_absolute ((int)(size * LINE_FACTOR * PANGO_SCALE)),
                 start, end);
}

/* One block as a PangoLayout: ck_template_fill_block()'s text with U+FFFC
 * where the signature goes; filled blanks and the signature underlined,
 * as ck-pdf underlines them. */
static PangoLayout *
block_layout (Peer               *peer,
              const CkPdfRequest *request,
              GArray             *segments,
              guint               position,
              CkTemplateBlockKind kind)
{
  PangoLayout *layout = pango_layout_new (peer->context);
  g_autoptr(GString) text = g_string_new (NULL);
  PangoAttrList *attrs = pango_attr_list_new ();
  const CkTemplateRun *runs;
  double size = kind == CK_TEMPLATE_BLOCK_HEADING ? HEADING_SIZE : BODY_SIZE;
  double width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
  guint n_runs, plain = 0;

  runs = ck_template_get_runs (request->template, position, &n_runs);
  for (guint r = 0; r < n_runs; r++)
    {
      guint start = text->len;

      if (runs[r].field == CK_TEMPLATE_FIELD_NONE)
        {
          g_string_append (text, runs[r].text);
          continue;
        }

      if (runs[r].field == CK_TEMPLATE_FIELD_SIGNATURE)
        {
          /* The box ck-pdf reserves: from 0.3 em below the baseline up. */
          PangoRectangle box = { 0, -(int)((SIGNATURE_BOX_H - size * 0.3) * PANGO_SCALE),
                                 SIGNATURE_BOX_W * PANGO_SCALE, SIGNATURE_BOX_H * PANGO_SCALE };

          g_string_append (text, SIGNATURE_CHAR);
          insert_attr (attrs,
                       pango_attr_shape_new_with_data (&box, &box, g_array_ref (segments),
                                                       segments_ref,
                                                       (GDestroyNotify)g_array_unref),
                       start, text->len);
          /* The line height goes on the text only: the box sets its own. */
          add_line_height (attrs, plain, start, size);
          plain = text->len;
        }
      else
        g_string_append (text, request->values[runs[r].field]);

      insert_attr (attrs, pango_attr_underline_new (PANGO_UNDERLINE_SINGLE), start, text->len);
    }
  add_line_height (attrs, plain, text->len, size);

  pango_layout_set_text (layout, text->str, text->len);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_font_description (layout,
                                     kind == CK_TEMPLATE_BLOCK_HEADING ? peer->heading : peer->body);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_justify (layout, TRUE);

  switch (kind)
    {
    case CK_TEMPLATE_BLOCK_HEADING:
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      break;

    case CK_TEMPLATE_BLOCK_SIGNATURE:
      pango_layout_set_justify (layout, FALSE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      width -= SIGNATURE_RIGHT;
      break;

    case CK_TEMPLATE_BLOCK_INDENTED:
      pango_layout_set_indent (layout, (int)(2 * size * PANGO_SCALE));
      break;

    case CK_TEMPLATE_BLOCK_PARAGRAPH:
    case CK_TEMPLATE_BLOCK_CLAUSE:
    default:
      break;
    }
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));

  return layout;
}

static void
draw_footer (Peer               *peer,
             cairo_t            *cr,
             const CkPdfRequest *request,
             const char         *digest,
             guint               page,
             guint               n_pages)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (peer->context);
  g_autofree char *footer = NULL;

  footer = g_strdup_printf ("编号 %s　终端 %s　第 %u/%u 页　内容摘要 %.16s%s",
                            request->consent_id, request->kiosk_id, page, n_pages, digest,
                            request->demo ? "　DEMO 演示" : "");
  pango_layout_set_text (layout, footer, -1);
  pango_layout_set_font_description (layout, peer->footer);

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, MARGIN_LEFT,
                 PAGE_HEIGHT - FOOTER_BASELINE - (double)pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
}

static void
set_metadata (cairo_surface_t    *surface,
              const CkPdfRequest *request,
              const char         *digest)
{
  g_autofree char *title = ck_template_fill_block (request->template, 0, request->values);
  g_autofree char *subject = g_strdup_printf ("%s — %s", title,
                                              request->values[CK_TEMPLATE_FIELD_NAME]);
  g_autofree char *keywords = g_strdup_printf ("consent-id:%s digest:%s template:%s%s",
                                               request->consent_id, digest,
                                               ck_template_get_sha256 (request->template),
                                               request->demo ? " DEMO" : "");
  g_autofree char *created = g_date_time_format_iso8601 (request->created);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, request->organization);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                  "Consent Kiosk " PACKAGE_VERSION);
  /* Fixed, so that the same request gives the same bytes. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
}

static GBytes *
render_cairo (Peer                *peer,
              const CkPdfRequest  *request,
              GError             **error)
{
  g_autoptr(GArray) blocks = g_array_new (FALSE, TRUE, sizeof (PlacedBlock));
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *digest = ck_pdf_compute_digest (request);
  cairo_surface_t *surface;
  cairo_status_t status;
  CkStrokeStyle style;
  cairo_t *cr;
  guint n_blocks = ck_template_get_n_blocks (request->template);
  guint last_section = 0, page = 1;
  double y = MARGIN_TOP;

  g_array_set_clear_func (blocks, placed_block_clear);
  ck_stroke_style_init_default (&style);
  segments = ck_signature_build_segments (request->signature, &style);

  /* Lay out every block first: the footer says how many pages there are. */
  for (guint b = 0; b < n_blocks; b++)
    {
      PlacedBlock block = { NULL, 0, MARGIN_LEFT, 0 };
      CkTemplateBlockKind kind;
      PangoRectangle logical;
      guint section;

      kind = ck_template_get_block (request->template, b, &section, NULL);
      if (section != last_section)
        y += SECTION_GAP;
      else if (b > 0)
        y += PARAGRAPH_GAP;
      last_section = section;

      block.layout = block_layout (peer, request, segments, b, kind);
      pango_layout_get_extents (block.layout, NULL, &logical);
      if (y + (double)logical.height / PANGO_SCALE > PAGE_HEIGHT - MARGIN_BOTTOM)
        {
          page++;
          y = MARGIN_TOP;
        }
      block.page = page;
      block.y = y;
      y += (double)logical.height / PANGO_SCALE;
      g_array_append_val (blocks, block);
    }

  surface = cairo_pdf_surface_create_for_stream (write_to_array, out, PAGE_WIDTH, PAGE_HEIGHT);
  set_metadata (surface, request, digest);
  cr = cairo_create (surface);
  pango_cairo_update_context (cr, peer->context);

  for (guint p = 1; p <= page; p++)
    {
      for (guint b = 0; b < blocks->len; b++)
        {
          const PlacedBlock *block = &g_array_index (blocks, PlacedBlock, b);

          if (block->page != p)
            continue;
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_move_to (cr, block->x, block->y);
          pango_cairo_show_layout (cr, block->layout);
        }
      draw_footer (peer, cr, request, digest, p, page);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                   "cairo: %s", cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The peer must draw the same text: each block's layout text, the
 * signature's U+FFFC taken out, is ck_template_fill_block()'s. */
static gboolean
check_peer_text (Peer               *peer,
                 const CkPdfRequest *request)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (CkStrokeSegment));

  for (guint b = 0; b < ck_template_get_n_blocks (request->template); b++)
    {
      CkTemplateBlockKind kind = ck_template_get_block (request->template, b, NULL, NULL);
      g_autoptr(PangoLayout) layout = block_layout (peer, request, segments, b, kind);
      g_autofree char *filled = ck_template_fill_block (request->template, b, request->values);
      g_auto(GStrv) pieces = g_strsplit (pango_layout_get_text (layout), SIGNATURE_CHAR, -1);
      g_autofree char *drawn = g_strjoinv ("", pieces);

      if (g_strcmp0 (drawn, filled) != 0)
        {
          g_printerr ("bench-pdf: block %u differs:\n  ck:    %s\n  cairo: %s\n",
                      b, filled, drawn);
          return FALSE;
        }
    }

  return TRUE;
}

/* --- the benchmark ----------------------------------------------------- */

typedef struct
{
  const char *label;
  const char *file_name;
  double *ms;              /* per timed round */
  GBytes *first;           /* the first output, kept to check the others */
  gboolean varies;         /* an output differed from the first */
} Renderer;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
median (const double *sorted,
        guint         n)
{
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static double
percentile_90 (const double *sorted,
               guint         n)
{
  return sorted[MIN (n - 1, (guint)(n * 0.9))];
}

/* Checks that every output equals the first: both renderers promise the
 * same bytes for the same request. */
static void
keep_output (Renderer *renderer,
             GBytes   *pdf)
{
  if (renderer->first == NULL)
    renderer->first = g_bytes_ref (pdf);
  else if (!g_bytes_equal (renderer->first, pdf))
    renderer->varies = TRUE;
}

static void
report (Renderer *renderer,
        guint     iterations)
{
  qsort (renderer->ms, iterations, sizeof (double), compare_doubles);

  g_print ("pdf.%-14s %4u iterations   median %8.2f ms   p90 %8.2f ms   %8zu bytes%s\n",
           renderer->label, iterations, median (renderer->ms, iterations),
           percentile_90 (renderer->ms, iterations), g_bytes_get_size (renderer->first),
           renderer->varies ? " (output varies!)" : "");
}

static void
report_json (Renderer *renderer,
             guint     iterations)
{
  g_print ("{\"bench\":\"pdf.%s\",\"iterations\":%u,\"median_ms\":%.3f,\"p90_ms\":%.3f,"
           "\"bytes\":%zu,\"deterministic\":%s}\n",
           renderer->label, iterations, median (renderer->ms, iterations),
           percentile_90 (renderer->ms, iterations), g_bytes_get_size (renderer->first),
           renderer->varies ? "false" : "true");
}

static gboolean
write_output (const char  *dir,
              Renderer    *renderer,
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, renderer->file_name, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  return g_file_set_contents (path, g_bytes_get_data (renderer->first, NULL),
                              g_bytes_get_size (renderer->first), error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *write_dir = NULL;
  g_autofree double *ck_ms = NULL;
  g_autofree double *cairo_ms = NULL;
  Renderer renderers[2] = {
    { "ck-pdf", "ck-pdf.pdf", NULL, NULL, FALSE },
    { "cairo-pango", "cairo-pango.pdf", NULL, NULL, FALSE },
  };
  CkPdfRequest request = { 0 };
  Peer peer = { 0 };
  int iterations = 50;
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Timed renders per renderer", "N" },
    { "write-dir", 'o', 0, G_OPTION_ARG_FILENAME, &write_dir,
      "Write both PDFs (ck-pdf.pdf, cairo-pango.pdf) into DIR", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark the consent PDF against Cairo + Pango");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || iterations < 1)
    {
      g_printerr ("bench-pdf: %s\n", error ? error->message : "--iterations must be positive");
      return 2;
    }

  ck_init ();

  /* The standard request, as tests/integration/test-pdf.c builds it. */
  if (!(template = ck_template_new_default (&error)) ||
      !(fonts = ck_font_set_new_default (&error)))
    {
      g_printerr ("bench-pdf: %s\n", error->message);
      return 1;
    }
  signature = ck_sample_signature_new (400);
  bench_standard_request (&request, template, signature, created);

  peer_init (&peer);
  if (!check_peer_text (&peer, &request))
    return 1;

  ck_ms = g_new (double, iterations);
  cairo_ms = g_new (double, iterations);
  renderers[0].ms = ck_ms;
  renderers[1].ms = cairo_ms;

  for (int i = 0; i < WARM_UP + iterations; i++)
    for (guint k = 0; k < 2; k++)
      {
        guint which = (i + k) % 2;   /* alternate which renderer goes first */
        g_autoptr(GBytes) pdf = NULL;
        gint64 start = g_get_monotonic_time ();
        double ms;

        pdf = which == 0 ? ck_pdf_render (fonts, &request, &error)
                         : render_cairo (&peer, &request, &error);
        ms = (double)(g_get_monotonic_time () - start) / 1000.0;
        if (pdf == NULL)
          {
            g_printerr ("bench-pdf: %s: %s\n", renderers[which].label, error->message);
            return 1;
          }
        keep_output (&renderers[which], pdf);
        if (i >= WARM_UP)
          renderers[which].ms[i - WARM_UP] = ms;
      }

  for (guint r = 0; r < 2; r++)
    report (&renderers[r], iterations);
  g_print ("ratio ck-pdf/cairo-pango time   %.2f (median)\n",
           median (ck_ms, iterations) / median (cairo_ms, iterations));
  g_print ("ratio ck-pdf/cairo-pango size   %.2f\n",
           (double)g_bytes_get_size (renderers[0].first) / g_bytes_get_size (renderers[1].first));
  for (guint r = 0; r < 2; r++)
    report_json (&renderers[r], iterations);

  if (write_dir)
    for (guint r = 0; r < 2; r++)
      if (!write_output (write_dir, &renderers[r], &error))
        {
          g_printerr ("bench-pdf: %s\n", error->message);
          return 1;
        }

  for (guint r = 0; r < 2; r++)
    g_clear_pointer (&renderers[r].first, g_bytes_unref);
  peer_clear (&peer);

  return 0;
}
