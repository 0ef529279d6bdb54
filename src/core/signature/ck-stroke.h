/* ck-stroke.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ck-signature.h"

G_BEGIN_DECLS

/**
 * CkStrokeStyle:
 * @min_width: the thinnest line, px
 * @max_width: the thickest line, px
 * @min_distance: a sample no further than this from the last point used
 *   is skipped (px)
 * @velocity_filter_weight: weight of the newest velocity against the
 *   previous filtered one, 0–1
 */
typedef struct
{
  double min_width;
  double max_width;
  double min_distance;
  double velocity_filter_weight;
} CkStrokeStyle;

/**
 * CkStrokeSegment:
 * @x0: start point, x
 * @y0: start point, y
 * @x1: first control point, x
 * @y1: first control point, y
 * @x2: second control point, x
 * @y2: second control point, y
 * @x3: end point, x
 * @y3: end point, y
 * @start_width: the line's full width at the start point, px
 * @end_width: the line's full width at the end point, px
 * @stroke: the index of the stroke it belongs to
 *
 * One cubic Bézier piece of a stroke, drawn with a width that goes from
 * @start_width to @end_width. A dot (a stroke of a single point) is a
 * segment whose four points are equal: a filled circle of diameter
 * @start_width (= @end_width) at (@x0, @y0).
 */
typedef struct
{
  double x0, y0, x1, y1, x2, y2, x3, y3;
  double start_width;
  double end_width;
  guint stroke;
} CkStrokeSegment;

/* The signature's box on the PDF, in points, and the thinnest line drawn
 * in it (issue 14: a printer loses lines thinner than this). Any other box
 * draws the same: its lines are as thick relative to its size. */
#define CK_STROKE_PRINT_BOX_WIDTH  118.0
#define CK_STROKE_PRINT_BOX_HEIGHT  40.0
#define CK_STROKE_PRINT_MIN_WIDTH    0.6

/**
 * CkStrokeFit:
 * @scale: box units per px of the signature, for positions
 * @width_scale: box units per px of a line's width
 * @min_width: the thinnest line, in box units
 * @x0: the left of the ink's centre lines, px
 * @y0: their top, px
 * @ox: where @x0 lands in the box, box units from its left
 * @oy: where @y0 lands, box units from its top
 *
 * A signature's ink placed in a box (ck_stroke_fit()), centred, its
 * proportions kept, y growing downwards as on the screen.
 */
typedef struct
{
  double scale;
  double width_scale;
  double min_width;
  double x0, y0;
  double ox, oy;
} CkStrokeFit;

typedef struct _CkStrokeBuilder CkStrokeBuilder;

void             ck_stroke_style_init_default  (CkStrokeStyle           *style);
gboolean         ck_stroke_segment_is_dot      (const CkStrokeSegment   *segment);

CkStrokeBuilder *ck_stroke_builder_new         (const CkStrokeStyle     *style);
void             ck_stroke_builder_free        (CkStrokeBuilder         *self);
void             ck_stroke_builder_reset       (CkStrokeBuilder         *self);
guint            ck_stroke_builder_add         (CkStrokeBuilder         *self,
                                                const CkSignatureSample *sample,
                                                CkStrokeSegment         *out);
guint            ck_stroke_builder_end_stroke  (CkStrokeBuilder         *self,
                                                CkStrokeSegment         *out);

GArray          *ck_signature_build_segments   (CkSignature             *signature,
                                                const CkStrokeStyle     *style);

double           ck_stroke_min_width_for_box   (double                   box_width,
                                                double                   box_height);
gboolean         ck_stroke_fit                 (const CkStrokeSegment   *segments,
                                                guint                    n_segments,
                                                const CkStrokeStyle     *style,
                                                double                   box_width,
                                                double                   box_height,
                                                CkStrokeFit             *fit);
void             ck_stroke_fit_point           (const CkStrokeFit       *fit,
                                                double                   x,
                                                double                   y,
                                                double                  *box_x,
                                                double                  *box_y);
double           ck_stroke_fit_width           (const CkStrokeFit       *fit,
                                                double                   width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStrokeBuilder, ck_stroke_builder_free)

G_END_DECLS
