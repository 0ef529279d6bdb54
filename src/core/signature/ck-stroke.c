/* ck-stroke.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The drawing of a signature, shared by the screen and the PDF so both
 * show the same strokes: signature_pad's model (szimek/signature_pad,
 * MIT). Each piece of a stroke is a cubic Bézier curve from one sample to
 * the next, its control points taken from the midpoints of the
 * neighbouring sample pairs, so the curve passes through the (kept)
 * samples with a continuous tangent. The width follows the pen's speed,
 * filtered as v = weight * v_now + (1 - weight) * v_prev, through
 * w = max (max_width / (v + 1), min_width); a sample with real pressure
 * sets the width as min_width + p * (max_width - min_width) instead.
 * Samples no further than min_distance from the last kept one are skipped.
 *
 * The builder does O(1) work per sample and emits at most one segment per
 * call: the piece ending at a sample needs the sample after it, so it is
 * emitted one sample late, and the last piece when the stroke ends. Two
 * departures from signature_pad: the last piece of a stroke is drawn (it
 * duplicates the end point as it duplicates the start point), and when
 * the pen lifts within min_distance of the last kept point, the stroke
 * ends at the lift point rather than short of it.
 *
 * ck_stroke_fit() places the ink in a box, for the PDF and the review
 * page alike. Positions scale to fill the box; line widths scale so that
 * the style's thinnest line is at least CK_STROKE_PRINT_MIN_WIDTH at the
 * PDF's box size (0.6 pt in 118 × 40 pt), and as much relative to any
 * other box. A signature drawn on a 900 px pad and printed 118 pt wide
 * shrinks 7 times: at the geometry's scale its 0.5 px lines would print
 * at 0.07 pt, which no printer shows. */

#define G_LOG_DOMAIN "ck-stroke"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ck-stroke.h"

typedef struct
{
  double x;
  double y;
  guint32 time_ms;
  double pressure;  /* NAN: none */
} Point;

struct _CkStrokeBuilder
{
  CkStrokeStyle style;

  /* The last points kept (signature_pad's _lastPoints): 1 or 2 at the
   * start of a stroke, then always 3 between calls. */
  Point window[4];
  guint n_window;
  guint n_kept;

  /* A sample skipped for being too close to the last kept point, if it
   * is the stroke's most recent one. */
  Point skipped;
  gboolean has_skipped;

  gboolean in_stroke;
  guint stroke;
  double last_velocity;
  double last_width;
};

/**
 * ck_stroke_style_init_default:
 * @style: (out caller-allocates): the style to fill in
 *
 * signature_pad's defaults: widths 0.5–2.5 px, minimum distance 5 px,
 * velocity filter weight 0.7.
 */
void
ck_stroke_style_init_default (CkStrokeStyle *style)
{
  g_return_if_fail (style != NULL);

  style->min_width = 0.5;
  style->max_width = 2.5;
  style->min_distance = 5.0;
  style->velocity_filter_weight = 0.7;
}

/**
 * ck_stroke_segment_is_dot:
 * @segment: a segment
 *
 * Returns: %TRUE if @segment is a dot (its four points are equal)
 */
gboolean
ck_stroke_segment_is_dot (const CkStrokeSegment *segment)
{
  g_return_val_if_fail (segment != NULL, FALSE);

  return segment->x0 == segment->x3 && segment->y0 == segment->y3 &&
         segment->x1 == segment->x0 && segment->y1 == segment->y0 &&
         segment->x2 == segment->x0 && segment->y2 == segment->y0;
}

static gboolean
style_is_valid (const CkStrokeStyle *style)
{
  return style->min_width > 0 && isfinite (style->max_width) &&
         style->max_width >= style->min_width &&
         style->min_distance >= 0 && isfinite (style->min_distance) &&
         style->velocity_filter_weight >= 0 && style->velocity_filter_weight <= 1;
}

/**
 * ck_stroke_builder_new:
 * @style: (nullable): the style, or %NULL for the default
 *
 * Returns: (transfer full): a builder with no stroke open
 */
CkStrokeBuilder *
ck_stroke_builder_new (const CkStrokeStyle *style)
{
  CkStrokeBuilder *self;

  g_return_val_if_fail (style == NULL || style_is_valid (style), NULL);

  self = g_new0 (CkStrokeBuilder, 1);
  if (style)
    self->style = *style;
  else
    ck_stroke_style_init_default (&self->style);

  return self;
}

void
ck_stroke_builder_free (CkStrokeBuilder *self)
{
  g_free (self);
}

/**
 * ck_stroke_builder_reset:
 * @self: a #CkStrokeBuilder
 *
 * Forgets the open stroke without emitting anything (after a clear or
 * an undo, the screen starts again from the signature's samples).
 */
void
ck_stroke_builder_reset (CkStrokeBuilder *self)
{
  g_return_if_fail (self != NULL);

  self->n_window = 0;
  self->n_kept = 0;
  self->has_skipped = FALSE;
  self->in_stroke = FALSE;
}

static double
width_for_pressure (const CkStrokeStyle *style,
                    double               pressure)
{
  return style->min_width + CLAMP (pressure, 0.0, 1.0) * (style->max_width - style->min_width);
}

/* px per ms; 0 when the clock did not move forward (equal or wrapped
 * back timestamps), never a division by zero. */
static double
velocity (const Point *from,
          const Point *to)
{
  gint32 dt = (gint32)(to->time_ms - from->time_ms);

  if (dt <= 0)
    return 0;

  return hypot (to->x - from->x, to->y - from->y) / dt;
}

/* signature_pad's calculateControlPoints: the control points on either
 * side of @s2, from the midpoints of s1–s2 and s2–s3. */
static void
control_points (const Point *s1,
                const Point *s2,
                const Point *s3,
                double      *c1x,
                double      *c1y,
                double      *c2x,
                double      *c2y)
{
  double m1x = (s1->x + s2->x) / 2.0;
  double m1y = (s1->y + s2->y) / 2.0;
  double m2x = (s2->x + s3->x) / 2.0;
  double m2y = (s2->y + s3->y) / 2.0;
  double l1 = hypot (s1->x - s2->x, s1->y - s2->y);
  double l2 = hypot (s2->x - s3->x, s2->y - s3->y);
  double k = l1 + l2 > 0 ? l2 / (l1 + l2) : 0;
  double cmx = m2x + (m1x - m2x) * k;
  double cmy = m2y + (m1y - m2y) * k;
  double tx = s2->x - cmx;
  double ty = s2->y - cmy;

  *c1x = m1x + tx;
  *c1y = m1y + ty;
  *c2x = m2x + tx;
  *c2y = m2y + ty;
}

/* The piece from window[1] to window[2]; the window holds 4 points. */
static void
emit_curve (CkStrokeBuilder *self,
            CkStrokeSegment *out)
{
  const Point *w = self->window;
  const CkStrokeStyle *style = &self->style;
  double unused_x, unused_y;
  double v, width;

  /* Padding too: equal segments are equal bytes. */
  memset (out, 0, sizeof *out);

  v = style->velocity_filter_weight * velocity (&w[1], &w[2]) +
      (1 - style->velocity_filter_weight) * self->last_velocity;

  if (!isnan (w[2].pressure))
    width = width_for_pressure (style, w[2].pressure);
  else
    width = MAX (style->max_width / (v + 1), style->min_width);

  out->x0 = w[1].x;
  out->y0 = w[1].y;
  control_points (&w[0], &w[1], &w[2], &unused_x, &unused_y, &out->x1, &out->y1);
  control_points (&w[1], &w[2], &w[3], &out->x2, &out->y2, &unused_x, &unused_y);
  out->x3 = w[2].x;
  out->y3 = w[2].y;
  out->start_width = self->last_width;
  out->end_width = width;
  out->stroke = self->stroke;

  self->last_velocity = v;
  self->last_width = width;
}

static void
emit_dot (CkStrokeBuilder *self,
          const Point     *p,
          CkStrokeSegment *out)
{
  memset (out, 0, sizeof *out);
  out->x0 = out->x1 = out->x2 = out->x3 = p->x;
  out->y0 = out->y1 = out->y2 = out->y3 = p->y;
  out->start_width = out->end_width = (self->style.min_width + self->style.max_width) / 2.0;
  out->stroke = self->stroke;
}

static guint
finish_stroke (CkStrokeBuilder *self,
               CkStrokeSegment *out)
{
  if (!self->in_stroke)
    return 0;

  self->in_stroke = FALSE;

  if (self->n_kept == 1)
    {
      emit_dot (self, &self->window[0], out);
      return 1;
    }

  /* End where the pen lifted, even if that was close to the last point. */
  if (self->has_skipped)
    self->window[self->n_window - 1] = self->skipped;

  /* [a, b] → [a, a, b, b]; [a, b, c] → [a, b, c, c] */
  if (self->n_window == 2)
    {
      self->window[3] = self->window[1];
      self->window[2] = self->window[1];
      self->window[1] = self->window[0];
    }
  else
    {
      self->window[3] = self->window[2];
    }

  emit_curve (self, out);
  return 1;
}

/**
 * ck_stroke_builder_add:
 * @self: a #CkStrokeBuilder
 * @sample: the next sample
 * @out: (out caller-allocates): room for one segment
 *
 * Feeds one sample. A sample of another stroke than the open one ends
 * that stroke first (the segment emitted is then that stroke's last).
 * Constant work per call.
 *
 * Returns: how many segments were written to @out: 0 or 1
 */
guint
ck_stroke_builder_add (CkStrokeBuilder         *self,
                       const CkSignatureSample *sample,
                       CkStrokeSegment         *out)
{
  Point p;
  guint emitted = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (sample != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);
  g_return_val_if_fail (isfinite (sample->x) && isfinite (sample->y), 0);

  p.x = sample->x;
  p.y = sample->y;
  p.time_ms = sample->time_ms;
  p.pressure = sample->pressure;

  if (self->in_stroke && sample->stroke != self->stroke)
    emitted = finish_stroke (self, out);

  if (!self->in_stroke)
    {
      self->in_stroke = TRUE;
      self->stroke = sample->stroke;
      self->window[0] = p;
      self->n_window = 1;
      self->n_kept = 1;
      self->has_skipped = FALSE;
      self->last_velocity = 0;
      if (!isnan (p.pressure))
        self->last_width = width_for_pressure (&self->style, p.pressure);
      else
        self->last_width = (self->style.min_width + self->style.max_width) / 2.0;
      return emitted;
    }

  /* Here emitted is 0: the stroke continues. */
  {
    const Point *last = &self->window[self->n_window - 1];

    if (hypot (p.x - last->x, p.y - last->y) <= self->style.min_distance)
      {
        self->skipped = p;
        self->has_skipped = TRUE;
        return 0;
      }
  }

  self->has_skipped = FALSE;
  self->n_kept++;
  self->window[self->n_window++] = p;

  if (self->n_window == 3 && self->n_kept == 3)
    {
      /* The first piece: duplicate the first point for its left side. */
      self->window[3] = self->window[2];
      self->window[2] = self->window[1];
      self->window[1] = self->window[0];
      self->n_window = 4;
    }

  if (self->n_window == 4)
    {
      emit_curve (self, out);
      self->window[0] = self->window[1];
      self->window[1] = self->window[2];
      self->window[2] = self->window[3];
      self->n_window = 3;
      return 1;
    }

  return 0;
}

/**
 * ck_stroke_builder_end_stroke:
 * @self: a #CkStrokeBuilder
 * @out: (out caller-allocates): room for one segment
 *
 * Ends the open stroke (pen up): emits its last piece, or a dot of
 * diameter (min_width + max_width) / 2 if it had a single point.
 *
 * Returns: how many segments were written to @out: 0 (no stroke open) or 1
 */
guint
ck_stroke_builder_end_stroke (CkStrokeBuilder *self,
                              CkStrokeSegment *out)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  return finish_stroke (self, out);
}

/**
 * ck_signature_build_segments:
 * @signature: a #CkSignature
 * @style: (nullable): the style, or %NULL for the default
 *
 * Replays every sample through a #CkStrokeBuilder, ending each stroke: the
 * same segments a screen feeding the builder sample by sample gets.
 * Deterministic: the same samples give bit-identical segments.
 *
 * Returns: (transfer full) (element-type CkStrokeSegment): the segments
 */
GArray *
ck_signature_build_segments (CkSignature         *signature,
                             const CkStrokeStyle *style)
{
  g_autoptr(CkStrokeBuilder) builder = NULL;
  const CkSignatureSample *samples;
  CkStrokeSegment segment;
  GArray *segments;
  guint n_samples;

  g_return_val_if_fail (CK_IS_SIGNATURE (signature), NULL);
  g_return_val_if_fail (style == NULL || style_is_valid (style), NULL);

  builder = ck_stroke_builder_new (style);
  samples = ck_signature_get_samples (signature, &n_samples);
  segments = g_array_sized_new (FALSE, FALSE, sizeof (CkStrokeSegment), n_samples);

  for (guint i = 0; i < n_samples; i++)
    if (ck_stroke_builder_add (builder, &samples[i], &segment))
      g_array_append_val (segments, segment);

  if (ck_stroke_builder_end_stroke (builder, &segment))
    g_array_append_val (segments, segment);

  return segments;
}

/**
 * ck_stroke_min_width_for_box:
 * @box_width: the box's width, any unit
 * @box_height: its height, the same unit
 *
 * The thinnest line a signature is drawn with in a box of this size:
 * %CK_STROKE_PRINT_MIN_WIDTH in the PDF's box
 * (%CK_STROKE_PRINT_BOX_WIDTH × %CK_STROKE_PRINT_BOX_HEIGHT), as much
 * relative to another box (by the smaller of the two ratios).
 *
 * Returns: the width, in the box's unit
 */
double
ck_stroke_min_width_for_box (double box_width,
                             double box_height)
{
  return CK_STROKE_PRINT_MIN_WIDTH * MIN (box_width / CK_STROKE_PRINT_BOX_WIDTH,
                                          box_height / CK_STROKE_PRINT_BOX_HEIGHT);
}

/**
 * ck_stroke_fit:
 * @segments: (array length=n_segments): the signature's segments
 * @n_segments: how many
 * @style: (nullable): the style they were built with, or %NULL for the
 *   default
 * @box_width: the box's width, any unit
 * @box_height: its height, the same unit
 * @fit: (out caller-allocates): where the ink goes
 *
 * Places the ink in the box, centred, as large as it fits with its
 * proportions kept. Lines are scaled by @fit's width_scale: the
 * positions' scale, or more when that would draw the style's thinnest
 * line thinner than ck_stroke_min_width_for_box(), in which case every
 * width grows by the same factor (the pen's thick and thin stay in
 * proportion). The ink's extent is the hull of the segments' control
 * points grown by half the widest line on each side, so that it stays
 * inside the box. Deterministic: the same segments and box give the same
 * fit, bit for bit.
 *
 * Returns: %FALSE if there is no segment (@fit is then zeroed)
 */
gboolean
ck_stroke_fit (const CkStrokeSegment *segments,
               guint                  n_segments,
               const CkStrokeStyle   *style,
               double                 box_width,
               double                 box_height,
               CkStrokeFit           *fit)
{
  CkStrokeStyle default_style;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double widest = 0, cw, ch, floor_width, k, s, pad;

  g_return_val_if_fail (fit != NULL, FALSE);
  g_return_val_if_fail (segments != NULL || n_segments == 0, FALSE);
  g_return_val_if_fail (style == NULL || style_is_valid (style), FALSE);
  g_return_val_if_fail (box_width > 0 && box_height > 0, FALSE);

  memset (fit, 0, sizeof *fit);
  if (n_segments == 0)
    return FALSE;

  if (style == NULL)
    {
      ck_stroke_style_init_default (&default_style);
      style = &default_style;
    }

  for (guint i = 0; i < n_segments; i++)
    {
      const CkStrokeSegment *g = &segments[i];

      x0 = MIN (x0, MIN (MIN (g->x0, g->x1), MIN (g->x2, g->x3)));
      y0 = MIN (y0, MIN (MIN (g->y0, g->y1), MIN (g->y2, g->y3)));
      x1 = MAX (x1, MAX (MAX (g->x0, g->x1), MAX (g->x2, g->x3)));
      y1 = MAX (y1, MAX (MAX (g->y0, g->y1), MAX (g->y2, g->y3)));
      widest = MAX (widest, MAX (g->start_width, g->end_width));
    }

  cw = MAX (x1 - x0, 1e-3);
  ch = MAX (y1 - y0, 1e-3);
  floor_width = ck_stroke_min_width_for_box (box_width, box_height);

  /* Widths at the floor's factor: positions fill what the widest line
   * leaves. If that makes the positions' scale the larger, widths follow
   * the positions (they are then above the floor). */
  k = floor_width / style->min_width;
  s = MIN ((box_width - k * widest) / cw, (box_height - k * widest) / ch);
  if (s > k)
    {
      s = MIN (box_width / (cw + widest), box_height / (ch + widest));
      k = MAX (s, k);
    }
  s = MAX (s, 1e-9);

  pad = k * widest;
  fit->scale = s;
  fit->width_scale = k;
  fit->min_width = floor_width;
  fit->x0 = x0;
  fit->y0 = y0;
  fit->ox = (box_width - cw * s - pad) / 2 + pad / 2;
  fit->oy = (box_height - ch * s - pad) / 2 + pad / 2;

  return TRUE;
}

/**
 * ck_stroke_fit_point:
 * @fit: a fit from ck_stroke_fit()
 * @x: a point of the signature, px
 * @y: the same, px
 * @box_x: (out): where it lands, from the box's left
 * @box_y: (out): where it lands, from the box's top
 */
void
ck_stroke_fit_point (const CkStrokeFit *fit,
                     double             x,
                     double             y,
                     double            *box_x,
                     double            *box_y)
{
  g_return_if_fail (fit != NULL && box_x != NULL && box_y != NULL);

  *box_x = fit->ox + (x - fit->x0) * fit->scale;
  *box_y = fit->oy + (y - fit->y0) * fit->scale;
}

/**
 * ck_stroke_fit_width:
 * @fit: a fit from ck_stroke_fit()
 * @width: a line's width from the stroke builder, px
 *
 * Returns: the width to draw it with in the box, never below @fit's
 *   min_width
 */
double
ck_stroke_fit_width (const CkStrokeFit *fit,
                     double             width)
{
  g_return_val_if_fail (fit != NULL, 0);

  return MAX (width * fit->width_scale, fit->min_width);
}
