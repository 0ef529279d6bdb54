/* ck-ink.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The signature pad's ink, kept so that a new sample costs O(1) and not
 * O(all samples): every segment ck-stroke emits is drawn once into an
 * image surface of the pad's size (in device pixels), and only the tiles
 * it touched get a new render node (a copy of the tile); a frame appends
 * one node a tile that holds ink, the unchanged ones the very nodes of the
 * frame before (GTK sees no damage there, and a GL renderer keeps their
 * textures). The piece of the open stroke that ck-stroke has not emitted
 * yet (it emits a segment one sample late) is drawn over the tiles each
 * frame as a short straight "tail", so the ink keeps up with the pen.
 *
 * A resize, a change of scale, a clear or an undo replays every sample
 * once: O(n), then O(1) again.
 *
 * The shape is ck-pdf's: each segment is the same cubic Bézier curve,
 * stroked with round caps. The PDF strokes a segment at the mean of its two
 * widths; the screen, where a segment may be a few pixels wide, cuts it
 * into pieces whose widths step from the start width to the end width. No
 * GTK widget here, so the benchmark runs the same code without a display. */

#define G_LOG_DOMAIN "ck-ink"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ck-ink.h"

/* Tiles of 128×128 device pixels: a segment usually touches one or two. */
#define TILE_SIZE 128

/* A segment is cut into pieces whose widths differ by at most this (px),
 * in at most MAX_PIECES pieces. */
#define WIDTH_STEP 0.2
#define MAX_PIECES 16

/* The pad's lines (issue 17): at least 3 px, so that an elderly customer
 * sees the ink; up to 5.5 px when the pen moves slowly. Only the screen's:
 * the PDF draws the stored samples with ck-stroke's default widths. */
#define PAD_MIN_WIDTH 3.0
#define PAD_MAX_WIDTH 5.5

/* ck-pdf's ink: a blue-black like a ballpoint pen's. */
#define INK_R 0.06
#define INK_G 0.10
#define INK_B 0.32

typedef struct
{
  GskRenderNode *node;  /* NULL while out of date */
  gboolean inked;
} Tile;

struct _CkInk
{
  CkStrokeStyle style;
  CkStrokeBuilder *builder;

  int width;
  int height;
  int scale;
  cairo_surface_t *surface;  /* width × height at scale, or NULL */
  cairo_t *cr;
  guint n_cols;
  guint n_rows;
  Tile *tiles;

  /* The open stroke's tail: from the end of its last segment (or its first
   * sample) to its newest sample. */
  gboolean in_stroke;
  guint stroke;
  double anchor_x;
  double anchor_y;
  double anchor_width;
  double tip_x;
  double tip_y;
};

/**
 * ck_ink_new:
 *
 * Returns: (transfer full): ink with no size yet: call ck_ink_set_size()
 */
CkInk *
ck_ink_new (void)
{
  CkInk *self = g_new0 (CkInk, 1);

  ck_stroke_style_init_default (&self->style);
  self->style.min_width = PAD_MIN_WIDTH;
  self->style.max_width = PAD_MAX_WIDTH;
  self->builder = ck_stroke_builder_new (&self->style);
  self->scale = 1;

  return self;
}

static void
clear_tiles (CkInk *self)
{
  for (guint i = 0; i < self->n_cols * self->n_rows; i++)
    {
      g_clear_pointer (&self->tiles[i].node, gsk_render_node_unref);
      self->tiles[i].inked = FALSE;
    }
}

static void
free_surface (CkInk *self)
{
  clear_tiles (self);
  g_clear_pointer (&self->tiles, g_free);
  self->n_cols = self->n_rows = 0;
  g_clear_pointer (&self->cr, cairo_destroy);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
}

void
ck_ink_free (CkInk *self)
{
  if (self == NULL)
    return;

  free_surface (self);
  ck_stroke_builder_free (self->builder);
  g_free (self);
}

/**
 * ck_ink_set_size:
 * @self: a #CkInk
 * @width: the pad's width in px
 * @height: its height in px
 * @scale: device pixels a px
 *
 * Makes the cache fit the pad. After a change the cache is empty: replay
 * the signature into it with ck_ink_replay().
 *
 * Returns: %TRUE if the size or scale changed
 */
gboolean
ck_ink_set_size (CkInk *self,
                 int    width,
                 int    height,
                 int    scale)
{
  int device_width, device_height;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (scale >= 1, FALSE);

  width = MAX (width, 0);
  height = MAX (height, 0);
  if (width == self->width && height == self->height && scale == self->scale)
    return FALSE;

  free_surface (self);
  self->width = width;
  self->height = height;
  self->scale = scale;

  if (width == 0 || height == 0)
    return TRUE;

  device_width = width * scale;
  device_height = height * scale;
  self->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, device_width, device_height);
  cairo_surface_set_device_scale (self->surface, scale, scale);
  self->cr = cairo_create (self->surface);
  ck_ink_set_source (self->cr);

  self->n_cols = (device_width + TILE_SIZE - 1) / TILE_SIZE;
  self->n_rows = (device_height + TILE_SIZE - 1) / TILE_SIZE;
  self->tiles = g_new0 (Tile, self->n_cols * self->n_rows);

  return TRUE;
}

/**
 * ck_ink_set_source:
 * @cr: a cairo context
 *
 * Sets the ink's colour as @cr's source.
 */
void
ck_ink_set_source (cairo_t *cr)
{
  cairo_set_source_rgb (cr, INK_R, INK_G, INK_B);
}

/* The point and the derivative of @s at @t. */
static void
curve_at (const CkStrokeSegment *s,
          double                 t,
          double                *x,
          double                *y,
          double                *dx,
          double                *dy)
{
  double u = 1 - t;

  *x = u * u * u * s->x0 + 3 * u * u * t * s->x1 + 3 * u * t * t * s->x2 + t * t * t * s->x3;
  *y = u * u * u * s->y0 + 3 * u * u * t * s->y1 + 3 * u * t * t * s->y2 + t * t * t * s->y3;
  *dx = 3 * u * u * (s->x1 - s->x0) + 6 * u * t * (s->x2 - s->x1) + 3 * t * t * (s->x3 - s->x2);
  *dy = 3 * u * u * (s->y1 - s->y0) + 6 * u * t * (s->y2 - s->y1) + 3 * t * t * (s->y3 - s->y2);
}

/**
 * ck_ink_draw_segment:
 * @cr: a cairo context, its source set
 * @segment: a segment from ck-stroke
 *
 * Draws @segment: a filled circle for a dot; otherwise its cubic Bézier
 * curve stroked with round caps, in pieces (the same curve, cut at equal
 * steps of its parameter) whose widths step evenly from the segment's
 * start width to its end width. Leaves @cr without a path.
 */
void
ck_ink_draw_segment (cairo_t               *cr,
                     const CkStrokeSegment *segment)
{
  const CkStrokeSegment *s = segment;
  double x, y, dx, dy;
  guint n;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (segment != NULL);

  cairo_new_path (cr);

  if (ck_stroke_segment_is_dot (s))
    {
      cairo_arc (cr, s->x0, s->y0, s->start_width / 2, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  n = (guint)CLAMP (ceil (fabs (s->end_width - s->start_width) / WIDTH_STEP), 1, MAX_PIECES);
  if (n == 1)
    {
      cairo_move_to (cr, s->x0, s->y0);
      cairo_curve_to (cr, s->x1, s->y1, s->x2, s->y2, s->x3, s->y3);
      cairo_set_line_width (cr, (s->start_width + s->end_width) / 2);
      cairo_stroke (cr);
      return;
    }

  /* Each piece is the curve between t0 and t1, exactly: its control
   * points lie a third of (t1 - t0) along the tangents at both ends. */
  curve_at (s, 0, &x, &y, &dx, &dy);
  for (guint i = 0; i < n; i++)
    {
      double t1 = (double)(i + 1) / n;
      double k = 1.0 / (3 * n);
      double x1, y1, dx1, dy1;

      curve_at (s, t1, &x1, &y1, &dx1, &dy1);
      cairo_move_to (cr, x, y);
      cairo_curve_to (cr, x + k * dx, y + k * dy, x1 - k * dx1, y1 - k * dy1, x1, y1);
      cairo_set_line_width (cr, s->start_width + (s->end_width - s->start_width) * (i + 0.5) / n);
      cairo_stroke (cr);

      x = x1;
      y = y1;
      dx = dx1;
      dy = dy1;
    }
}

/* Draws @segment into the cache and marks the tiles it touched. */
static void
draw_into_cache (CkInk                 *self,
                 const CkStrokeSegment *segment)
{
  const CkStrokeSegment *s = segment;
  double pad = MAX (s->start_width, s->end_width) / 2 + 1;  /* + antialiasing */
  double x0, y0, x1, y1;
  int col0, row0, col1, row1;

  if (self->surface == NULL)
    return;

  ck_ink_draw_segment (self->cr, segment);

  /* The curve lies inside the hull of its four points. */
  x0 = MIN (MIN (s->x0, s->x1), MIN (s->x2, s->x3)) - pad;
  y0 = MIN (MIN (s->y0, s->y1), MIN (s->y2, s->y3)) - pad;
  x1 = MAX (MAX (s->x0, s->x1), MAX (s->x2, s->x3)) + pad;
  y1 = MAX (MAX (s->y0, s->y1), MAX (s->y2, s->y3)) + pad;

  col0 = (int)floor (x0 * self->scale / TILE_SIZE);
  row0 = (int)floor (y0 * self->scale / TILE_SIZE);
  col1 = (int)floor (x1 * self->scale / TILE_SIZE);
  row1 = (int)floor (y1 * self->scale / TILE_SIZE);
  col0 = MAX (col0, 0);
  row0 = MAX (row0, 0);
  col1 = MIN (col1, (int)self->n_cols - 1);
  row1 = MIN (row1, (int)self->n_rows - 1);

  for (int row = row0; row <= row1; row++)
    for (int col = col0; col <= col1; col++)
      {
        Tile *tile = &self->tiles[row * self->n_cols + col];

        g_clear_pointer (&tile->node, gsk_render_node_unref);
        tile->inked = TRUE;
      }
}

/**
 * ck_ink_add_sample:
 * @self: a #CkInk
 * @sample: the signature's newest sample
 *
 * Feeds @sample to the stroke builder and draws what it emits. Constant
 * work.
 */
void
ck_ink_add_sample (CkInk                   *self,
                   const CkSignatureSample *sample)
{
  CkStrokeSegment segment;
  gboolean emitted;

  g_return_if_fail (self != NULL);
  g_return_if_fail (sample != NULL);

  emitted = ck_stroke_builder_add (self->builder, sample, &segment) > 0;
  if (emitted)
    draw_into_cache (self, &segment);

  if (!self->in_stroke || sample->stroke != self->stroke)
    {
      self->in_stroke = TRUE;
      self->stroke = sample->stroke;
      self->anchor_x = sample->x;
      self->anchor_y = sample->y;
      self->anchor_width = (self->style.min_width + self->style.max_width) / 2;
    }
  else if (emitted)
    {
      self->anchor_x = segment.x3;
      self->anchor_y = segment.y3;
      self->anchor_width = segment.end_width;
    }

  self->tip_x = sample->x;
  self->tip_y = sample->y;
}

/**
 * ck_ink_get_style:
 *
 * Returns: (transfer none): the widths the pad draws with (issue 17: at
 *   least 3 px on screen, wider than the PDF's)
 */
const CkStrokeStyle *
ck_ink_get_style (CkInk *self)
{
  return &self->style;
}

/**
 * ck_ink_end_stroke:
 * @self: a #CkInk
 *
 * Ends the open stroke (pen up): draws its last segment.
 */
void
ck_ink_end_stroke (CkInk *self)
{
  CkStrokeSegment segment;

  g_return_if_fail (self != NULL);

  if (ck_stroke_builder_end_stroke (self->builder, &segment))
    draw_into_cache (self, &segment);

  self->in_stroke = FALSE;
}

/**
 * ck_ink_replay:
 * @self: a #CkInk
 * @signature: the signature to show
 * @last_stroke_open: whether the signature's last stroke is still being
 *   drawn (the pen is down)
 *
 * Empties the cache and draws every sample of @signature into it.
 */
void
ck_ink_replay (CkInk       *self,
               CkSignature *signature,
               gboolean     last_stroke_open)
{
  const CkSignatureSample *samples;
  guint n_samples;

  g_return_if_fail (self != NULL);
  g_return_if_fail (CK_IS_SIGNATURE (signature));

  clear_tiles (self);
  if (self->cr)
    {
      cairo_save (self->cr);
      cairo_set_operator (self->cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (self->cr);
      cairo_restore (self->cr);
    }

  ck_stroke_builder_reset (self->builder);
  self->in_stroke = FALSE;

  samples = ck_signature_get_samples (signature, &n_samples);
  for (guint i = 0; i < n_samples; i++)
    ck_ink_add_sample (self, &samples[i]);

  if (!last_stroke_open)
    ck_ink_end_stroke (self);
}

/* A node that paints a copy of the tile, made once: the copy is never
 * written again, so cairo keeps it by reference. The same node, frame
 * after frame, tells GTK that the tile has not changed (no damage), and
 * lets GL renderers keep its texture; its drawing is a plain composite of
 * an image (a texture node would be downloaded again every frame by the
 * cairo renderer). */
static GskRenderNode *
create_tile_node (CkInk *self,
                  guint  col,
                  guint  row)
{
  int x = col * TILE_SIZE;
  int y = row * TILE_SIZE;
  int width = MIN (TILE_SIZE, cairo_image_surface_get_width (self->surface) - x);
  int height = MIN (TILE_SIZE, cairo_image_surface_get_height (self->surface) - y);
  double scale = self->scale;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (x / scale, y / scale, width / scale, height / scale);
  cairo_surface_t *copy;
  GskRenderNode *node;
  cairo_t *cr;

  /* The device pixels as they are. */
  copy = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_surface_flush (self->surface);
  cairo_surface_flush (copy);
  for (int r = 0; r < height; r++)
    memcpy (cairo_image_surface_get_data (copy) + (gsize)r * cairo_image_surface_get_stride (copy),
            cairo_image_surface_get_data (self->surface)
              + (gsize)(y + r) * cairo_image_surface_get_stride (self->surface) + (gsize)x * 4,
            (gsize)width * 4);
  cairo_surface_mark_dirty (copy);
  cairo_surface_set_device_scale (copy, scale, scale);

  node = gsk_cairo_node_new (&bounds);
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_set_source_surface (cr, copy, bounds.origin.x, bounds.origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (copy);

  return node;
}

/**
 * ck_ink_snapshot:
 * @self: a #CkInk
 * @snapshot: where to draw, in the pad's coordinates
 *
 * Appends the ink: a node a tile that holds any (made anew only for the
 * tiles that changed since the last frame), then the open stroke's tail.
 */
void
ck_ink_snapshot (CkInk       *self,
                 GtkSnapshot *snapshot)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));

  if (self->surface == NULL)
    return;

  for (guint row = 0; row < self->n_rows; row++)
    for (guint col = 0; col < self->n_cols; col++)
      {
        Tile *tile = &self->tiles[row * self->n_cols + col];

        if (!tile->inked)
          continue;

        if (tile->node == NULL)
          tile->node = create_tile_node (self, col, row);

        gtk_snapshot_append_node (snapshot, tile->node);
      }

  if (self->in_stroke)
    {
      double pad = self->anchor_width / 2 + 1;
      double x0 = MIN (self->anchor_x, self->tip_x) - pad;
      double y0 = MIN (self->anchor_y, self->tip_y) - pad;
      double x1 = MAX (self->anchor_x, self->tip_x) + pad;
      double y1 = MAX (self->anchor_y, self->tip_y) + pad;
      cairo_t *cr;

      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
      ck_ink_set_source (cr);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_width (cr, self->anchor_width);
      cairo_move_to (cr, self->anchor_x, self->anchor_y);
      cairo_line_to (cr, self->tip_x, self->tip_y);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
}

/**
 * ck_ink_draw_fitted:
 * @cr: a cairo context, its origin at the box's top left
 * @signature: the signature to show
 * @width: the box's width, in @cr's units
 * @height: its height
 * @min_line_width: the thinnest line to draw, in @cr's units; 0 for the
 *   PDF's widths alone
 * @fit: (out caller-allocates) (optional): where the ink went
 *
 * Draws @signature fitted into the box as the PDF draws it into its
 * signature box (ck_stroke_fit()): the same placement and the same line
 * widths relative to the box's size, so no line is thinner than
 * ck_stroke_min_width_for_box() of the box: what the review page shows is
 * what is printed. On a screen a line that thin can be a hairline, so no
 * line is thinner than @min_line_width either (issue 17); the segments
 * join with round caps as on the pad, so the strokes stay continuous.
 *
 * Returns: %FALSE if @signature has no ink
 */
gboolean
ck_ink_draw_fitted (cairo_t     *cr,
                    CkSignature *signature,
                    double       width,
                    double       height,
                    double       min_line_width,
                    CkStrokeFit *fit)
{
  g_autoptr(GArray) segments = NULL;
  CkStrokeStyle style;
  CkStrokeFit placed;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (CK_IS_SIGNATURE (signature), FALSE);

  ck_stroke_style_init_default (&style);
  segments = ck_signature_build_segments (signature, &style);
  if (!ck_stroke_fit (&g_array_index (segments, CkStrokeSegment, 0), segments->len, &style,
                      width, height, &placed))
    {
      if (fit)
        *fit = placed;
      return FALSE;
    }

  cairo_save (cr);
  ck_ink_set_source (cr);
  for (guint i = 0; i < segments->len; i++)
    {
      CkStrokeSegment s = g_array_index (segments, CkStrokeSegment, i);

      ck_stroke_fit_point (&placed, s.x0, s.y0, &s.x0, &s.y0);
      ck_stroke_fit_point (&placed, s.x1, s.y1, &s.x1, &s.y1);
      ck_stroke_fit_point (&placed, s.x2, s.y2, &s.x2, &s.y2);
      ck_stroke_fit_point (&placed, s.x3, s.y3, &s.x3, &s.y3);
      s.start_width = MAX (ck_stroke_fit_width (&placed, s.start_width), min_line_width);
      s.end_width = MAX (ck_stroke_fit_width (&placed, s.end_width), min_line_width);
      ck_ink_draw_segment (cr, &s);
    }
  cairo_restore (cr);

  if (fit)
    *fit = placed;

  return TRUE;
}
