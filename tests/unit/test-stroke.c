/* test-stroke.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

static CkSignatureSample
sample (double  x,
        double  y,
        guint32 time_ms,
        double  pressure,
        guint   stroke)
{
  CkSignatureSample s = { x, y, time_ms, pressure, stroke };

  return s;
}

static void
add (CkSignature *signature,
     double       x,
     double       y,
     guint32      time_ms,
     double       pressure)
{
  g_autoptr(GError) error = NULL;

  ck_signature_add_sample (signature, x, y, time_ms, pressure, &error);
  g_assert_no_error (error);
}

static void
assert_segment_sane (const CkStrokeSegment *s,
                     const CkStrokeStyle   *style)
{
  g_assert_true (isfinite (s->x0) && isfinite (s->y0) && isfinite (s->x1) && isfinite (s->y1));
  g_assert_true (isfinite (s->x2) && isfinite (s->y2) && isfinite (s->x3) && isfinite (s->y3));
  g_assert_cmpfloat (s->start_width, >=, style->min_width);
  g_assert_cmpfloat (s->start_width, <=, style->max_width);
  g_assert_cmpfloat (s->end_width, >=, style->min_width);
  g_assert_cmpfloat (s->end_width, <=, style->max_width);
}

/* Loops drifting right, a stroke every @per_stroke samples; pressure on
 * every other stroke when @pressure. */
static CkSignature *
make_hand (guint    n,
           guint    per_stroke,
           gboolean pressure)
{
  CkSignature *signature = ck_signature_new (900, 360);
  guint32 t = 5000;

  for (guint i = 0; i < n; i++)
    {
      double phase = i * 0.23;
      double x = 60 + (i % per_stroke) * (700.0 / per_stroke) + 30 * cos (phase);
      double y = 180 + 80 * sin (phase * 1.7);
      guint stroke = i / per_stroke;

      if (i % per_stroke == 0)
        {
          ck_signature_end_stroke (signature);
          ck_signature_begin_stroke (signature);
          t += 300;
        }
      add (signature, x, y, t, pressure && stroke % 2 ? 0.5 + 0.4 * sin (phase) : NAN);
      t += 1 + i % 13;   /* irregular, as real event times are */
    }
  ck_signature_end_stroke (signature);

  return signature;
}

static void
test_stroke_style (void)
{
  CkStrokeStyle style;

  ck_stroke_style_init_default (&style);
  g_assert_cmpfloat (style.min_width, ==, 0.5);
  g_assert_cmpfloat (style.max_width, ==, 2.5);
  g_assert_cmpfloat (style.min_distance, ==, 5.0);
  g_assert_cmpfloat (style.velocity_filter_weight, ==, 0.7);
}

static void
test_stroke_dot (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkSignatureSample s = sample (12.5, 40.0, 100, NAN, 3);
  CkStrokeSegment seg;

  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 0);
  g_assert_cmpuint (ck_stroke_builder_add (builder, &s, &seg), ==, 0);
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_true (ck_stroke_segment_is_dot (&seg));
  g_assert_cmpfloat (seg.x0, ==, 12.5);
  g_assert_cmpfloat (seg.y3, ==, 40.0);
  g_assert_cmpfloat (seg.start_width, ==, 1.5);
  g_assert_cmpfloat (seg.end_width, ==, 1.5);
  g_assert_cmpuint (seg.stroke, ==, 3);
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 0);

  /* Samples within min_distance of the first make a dot too (jitter of a
   * tap); so does pressure, with the same diameter. */
  s = sample (0, 0, 0, 0.9, 0);
  g_assert_cmpuint (ck_stroke_builder_add (builder, &s, &seg), ==, 0);
  s = sample (3, 4, 5, 0.9, 0);
  g_assert_cmpuint (ck_stroke_builder_add (builder, &s, &seg), ==, 0);
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_true (ck_stroke_segment_is_dot (&seg));
  g_assert_cmpfloat (seg.start_width, ==, 1.5);
}

static void
test_stroke_two_points (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkSignatureSample a = sample (10, 10, 0, NAN, 0);
  CkSignatureSample b = sample (30, 10, 10, NAN, 0);
  CkStrokeSegment seg;
  double v, w;

  g_assert_cmpuint (ck_stroke_builder_add (builder, &a, &seg), ==, 0);
  g_assert_cmpuint (ck_stroke_builder_add (builder, &b, &seg), ==, 0);
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_false (ck_stroke_segment_is_dot (&seg));

  /* A straight line with both control points at the midpoint. */
  g_assert_cmpfloat (seg.x0, ==, 10);
  g_assert_cmpfloat (seg.x1, ==, 20);
  g_assert_cmpfloat (seg.x2, ==, 20);
  g_assert_cmpfloat (seg.x3, ==, 30);
  g_assert_cmpfloat (seg.y1, ==, 10);
  g_assert_cmpfloat (seg.y2, ==, 10);

  /* 20 px in 10 ms: v = 0.7 * 2 + 0.3 * 0, w = max (2.5 / (v + 1), 0.5). */
  v = 0.7 * 2.0;
  w = MAX (2.5 / (v + 1), 0.5);
  g_assert_cmpfloat (seg.start_width, ==, 1.5);
  g_assert_cmpfloat_with_epsilon (seg.end_width, w, 1e-12);
}

/* The curve through the samples, its control points from the midpoints
 * as signature_pad computes them. */
static void
test_stroke_curve (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkSignatureSample pts[] = {
    sample (0, 0, 0, NAN, 0),
    sample (10, 0, 10, NAN, 0),
    sample (10, 10, 20, NAN, 0),
    sample (20, 10, 30, NAN, 0),
  };
  CkStrokeSegment seg[4];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (pts); i++)
    {
      guint emitted = ck_stroke_builder_add (builder, &pts[i], &seg[n]);

      /* Emitted one sample late: the piece before the newest sample. */
      g_assert_cmpuint (emitted, ==, i >= 2 ? 1 : 0);
      n += emitted;
    }
  n += ck_stroke_builder_end_stroke (builder, &seg[n]);
  g_assert_cmpuint (n, ==, 3);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (seg[i].x0, ==, pts[i].x);
      g_assert_cmpfloat (seg[i].y0, ==, pts[i].y);
      g_assert_cmpfloat (seg[i].x3, ==, pts[i + 1].x);
      g_assert_cmpfloat (seg[i].y3, ==, pts[i + 1].y);
      if (i > 0)
        g_assert_cmpfloat (seg[i].start_width, ==, seg[i - 1].end_width);
    }

  /* Around (10, 0): midpoints (5, 0) and (10, 5), equal lengths, so
   * k = 0.5, the midpoint of those is (7.5, 2.5), shifted by (2.5, -2.5)
   * onto the sample: control points (7.5, -2.5) and (12.5, 2.5). */
  g_assert_cmpfloat (seg[0].x2, ==, 7.5);
  g_assert_cmpfloat (seg[0].y2, ==, -2.5);
  g_assert_cmpfloat (seg[1].x1, ==, 12.5);
  g_assert_cmpfloat (seg[1].y1, ==, 2.5);
  /* The first piece (its first sample doubled) has its first control
   * point on the midpoint of the first two samples. */
  g_assert_cmpfloat (seg[0].x1, ==, 5);
  g_assert_cmpfloat (seg[0].y1, ==, 0);
  /* Tangent continuity at (10, 0): the control points on either side and
   * the sample are collinear. */
  g_assert_cmpfloat_with_epsilon ((seg[0].x3 - seg[0].x2) * (seg[1].y1 - seg[1].y0) -
                                  (seg[0].y3 - seg[0].y2) * (seg[1].x1 - seg[1].x0), 0, 1e-12);
}

/* Equal and backwards timestamps: no division by zero, no huge widths. */
static void
test_stroke_time (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkStrokeStyle style;
  CkStrokeSegment seg;
  guint n = 0;

  ck_stroke_style_init_default (&style);

  for (guint i = 0; i < 50; i++)
    {
      CkSignatureSample s = sample (i * 10, (i % 3) * 7, 777, NAN, 0);

      if (ck_stroke_builder_add (builder, &s, &seg))
        {
          assert_segment_sane (&seg, &style);
          /* Velocity 0 each time: the widest line. */
          g_assert_cmpfloat (seg.end_width, ==, style.max_width);
          n++;
        }
    }
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_cmpfloat (seg.end_width, ==, style.max_width);
  g_assert_cmpuint (n, ==, 48);

  /* Time going backwards, and wrapping past 2^32. */
  for (guint i = 0; i < 50; i++)
    {
      CkSignatureSample s = sample (i * 10, 0, i % 2 ? 1000 - i : G_MAXUINT32 - 3 + i, NAN, 1);

      if (ck_stroke_builder_add (builder, &s, &seg))
        assert_segment_sane (&seg, &style);
    }
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  assert_segment_sane (&seg, &style);
}

/* Huge coordinates straight into the builder (the signature refuses
 * them): finite, sane results. */
static void
test_stroke_huge (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkStrokeStyle style;
  CkStrokeSegment seg;

  ck_stroke_style_init_default (&style);

  for (guint i = 0; i < 10; i++)
    {
      CkSignatureSample s = sample (i % 2 ? 1e9 : -1e9, i * 1e9, i, NAN, 0);

      if (ck_stroke_builder_add (builder, &s, &seg))
        {
          assert_segment_sane (&seg, &style);
          g_assert_cmpfloat (seg.end_width, ==, style.min_width);
        }
    }
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  assert_segment_sane (&seg, &style);
}

static void
test_stroke_pressure (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkStrokeSegment seg;
  static const double pressures[] = { 0.0, 0.0, 1.0, 0.5, 0.25 };
  double last = -1;

  for (guint i = 0; i < G_N_ELEMENTS (pressures); i++)
    {
      CkSignatureSample s = sample (i * 20, 0, i * 5, pressures[i], 0);

      if (ck_stroke_builder_add (builder, &s, &seg))
        {
          /* The piece ending at sample i - 1 ends at its pressure's width. */
          g_assert_cmpfloat (seg.end_width, ==, 0.5 + pressures[i - 1] * 2.0);
          if (last >= 0)
            g_assert_cmpfloat (seg.start_width, ==, last);
          else
            g_assert_cmpfloat (seg.start_width, ==, 0.5);  /* first sample's pressure */
          last = seg.end_width;
        }
    }
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_cmpfloat (seg.end_width, ==, 0.5 + 0.25 * 2.0);
}

/* Faster strokes draw thinner lines. */
static void
test_stroke_velocity (void)
{
  double widths[2];

  for (guint speed = 0; speed < 2; speed++)
    {
      g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
      CkStrokeSegment seg;

      for (guint i = 0; i < 20; i++)
        {
          CkSignatureSample s = sample (i * 10, 0, i * (speed ? 2 : 80), NAN, 0);

          ck_stroke_builder_add (builder, &s, &seg);
        }
      ck_stroke_builder_end_stroke (builder, &seg);
      widths[speed] = seg.end_width;
    }

  g_test_message ("slow: %g px, fast: %g px", widths[0], widths[1]);
  g_assert_cmpfloat (widths[0], >, 2.2);  /* 0.125 px/ms: 2.5 / 1.125 */
  g_assert_cmpfloat (widths[1], <, 0.5 + 1e-9);
}

/* Samples within min_distance are skipped; the stroke still ends where
 * the pen lifted. */
static void
test_stroke_min_distance (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (CkStrokeSegment));
  CkStrokeSegment seg;
  const CkStrokeSegment *last;

  for (guint i = 0; i <= 100; i++)
    {
      CkSignatureSample s = sample (i, 0, i * 4, NAN, 0);

      if (ck_stroke_builder_add (builder, &s, &seg))
        g_array_append_val (segments, seg);
    }
  if (ck_stroke_builder_end_stroke (builder, &seg))
    g_array_append_val (segments, seg);

  /* Kept: 0, 6, 12, …, 96 (17 points), the last piece ends at 100. */
  g_assert_cmpuint (segments->len, ==, 16);
  for (guint i = 0; i + 1 < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);

      g_assert_cmpfloat (s->x0, ==, i * 6.0);
      g_assert_cmpfloat (s->x3, ==, (i + 1) * 6.0);
    }
  last = &g_array_index (segments, CkStrokeSegment, segments->len - 1);
  g_assert_cmpfloat (last->x0, ==, 90);
  g_assert_cmpfloat (last->x3, ==, 100);
}

static void
test_stroke_stroke_change (void)
{
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
  CkSignatureSample a = sample (0, 0, 0, NAN, 0);
  CkSignatureSample b = sample (50, 0, 10, NAN, 0);
  CkSignatureSample c = sample (100, 100, 500, NAN, 1);
  CkStrokeSegment seg;

  ck_stroke_builder_add (builder, &a, &seg);
  ck_stroke_builder_add (builder, &b, &seg);

  /* The first sample of stroke 1 ends stroke 0: its last piece. */
  g_assert_cmpuint (ck_stroke_builder_add (builder, &c, &seg), ==, 1);
  g_assert_cmpuint (seg.stroke, ==, 0);
  g_assert_cmpfloat (seg.x3, ==, 50);

  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 1);
  g_assert_cmpuint (seg.stroke, ==, 1);
  g_assert_true (ck_stroke_segment_is_dot (&seg));

  /* Reset drops an open stroke without a segment. */
  ck_stroke_builder_add (builder, &a, &seg);
  ck_stroke_builder_reset (builder);
  g_assert_cmpuint (ck_stroke_builder_end_stroke (builder, &seg), ==, 0);
}

/* The screen feeds samples one by one and ends strokes on pen up; the
 * PDF replays the signature: same segments, bit for bit, at most one per
 * call. */
static void
test_stroke_incremental_equals_batch (void)
{
  for (guint pressure = 0; pressure < 2; pressure++)
    {
      g_autoptr(CkSignature) signature = make_hand (3000, 150, pressure);
      g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (NULL);
      g_autoptr(GArray) screen = g_array_new (FALSE, FALSE, sizeof (CkStrokeSegment));
      g_autoptr(GArray) batch = NULL;
      const CkSignatureSample *samples;
      CkStrokeStyle style;
      guint n;

      ck_stroke_style_init_default (&style);
      samples = ck_signature_get_samples (signature, &n);

      for (guint i = 0; i < n; i++)
        {
          CkStrokeSegment seg[2];
          guint emitted;

          /* A canary after the room for one: never written. */
          memset (&seg[1], 0xa5, sizeof seg[1]);
          emitted = ck_stroke_builder_add (builder, &samples[i], &seg[0]);
          g_assert_cmpuint (emitted, <=, 1);
          for (guint b = 0; b < sizeof seg[1]; b++)
            g_assert_cmpuint (((guint8 *)&seg[1])[b], ==, 0xa5);
          if (emitted)
            {
              assert_segment_sane (&seg[0], &style);
              g_array_append_val (screen, seg[0]);
            }

          if (i + 1 == n || samples[i + 1].stroke != samples[i].stroke)
            {
              emitted = ck_stroke_builder_end_stroke (builder, &seg[0]);
              g_assert_cmpuint (emitted, ==, 1);
              g_array_append_val (screen, seg[0]);
            }
        }

      batch = ck_signature_build_segments (signature, NULL);
      g_test_message ("%u samples, %u strokes: %u segments", n,
                      ck_signature_get_n_strokes (signature), batch->len);
      g_assert_cmpuint (batch->len, ==, screen->len);
      g_assert_cmpuint (batch->len, <=, n);
      g_assert_cmpuint (batch->len, >, n / 4);
      g_assert_cmpmem (batch->data, batch->len * sizeof (CkStrokeSegment),
                       screen->data, screen->len * sizeof (CkStrokeSegment));

      /* Pieces of a stroke join up. */
      for (guint i = 1; i < batch->len; i++)
        {
          const CkStrokeSegment *a = &g_array_index (batch, CkStrokeSegment, i - 1);
          const CkStrokeSegment *b = &g_array_index (batch, CkStrokeSegment, i);

          if (a->stroke == b->stroke)
            {
              g_assert_cmpfloat (a->x3, ==, b->x0);
              g_assert_cmpfloat (a->y3, ==, b->y0);
              g_assert_cmpfloat (a->end_width, ==, b->start_width);
            }
          else
            {
              g_assert_cmpuint (b->stroke, ==, a->stroke + 1);
            }
        }
    }
}

/* Same samples, same segments: also after a round trip through the
 * stored format, and whatever ran before. */
static void
test_stroke_deterministic (void)
{
  g_autoptr(CkSignature) signature = make_hand (2000, 100, TRUE);
  g_autoptr(GBytes) bytes = ck_signature_serialize (signature);
  g_autoptr(CkSignature) stored = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) from_stored = NULL;
  g_autoptr(GArray) other = NULL;
  g_autoptr(GError) error = NULL;
  CkStrokeStyle style;

  first = ck_signature_build_segments (signature, NULL);
  ck_stroke_style_init_default (&style);
  style.min_distance = 0;
  other = ck_signature_build_segments (signature, &style);
  g_assert_cmpuint (other->len, >, first->len);
  second = ck_signature_build_segments (signature, NULL);
  stored = ck_signature_deserialize (bytes, &error);
  g_assert_no_error (error);
  from_stored = ck_signature_build_segments (stored, NULL);

  g_assert_cmpmem (first->data, first->len * sizeof (CkStrokeSegment),
                   second->data, second->len * sizeof (CkStrokeSegment));
  g_assert_cmpmem (first->data, first->len * sizeof (CkStrokeSegment),
                   from_stored->data, from_stored->len * sizeof (CkStrokeSegment));
}

static void
test_stroke_empty_and_large (void)
{
  g_autoptr(CkSignature) empty = ck_signature_new (10, 10);
  g_autoptr(CkSignature) large = make_hand (100000, 500, TRUE);
  g_autoptr(GArray) none = ck_signature_build_segments (empty, NULL);
  g_autoptr(GArray) many = NULL;
  CkStrokeStyle style;
  gint64 start;

  ck_stroke_style_init_default (&style);
  g_assert_cmpuint (none->len, ==, 0);

  start = g_get_monotonic_time ();
  many = ck_signature_build_segments (large, NULL);
  g_test_message ("100000 samples -> %u segments in %.1f ms", many->len,
                  (g_get_monotonic_time () - start) / 1000.0);
  for (guint i = 0; i < many->len; i++)
    assert_segment_sane (&g_array_index (many, CkStrokeSegment, i), &style);
}

/* The thinnest line a fit draws, and the ink's extent in the box. */
static double
fit_min_width (const CkStrokeFit *fit,
               GArray            *segments,
               double            *max_width)
{
  double min = G_MAXDOUBLE;

  *max_width = 0;
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);
      double w = ck_stroke_fit_width (fit, (s->start_width + s->end_width) / 2);

      min = MIN (min, w);
      *max_width = MAX (*max_width, w);
    }

  return min;
}

static void
assert_inside (const CkStrokeFit *fit,
               GArray            *segments,
               double             box_width,
               double             box_height)
{
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);
      double half = ck_stroke_fit_width (fit, MAX (s->start_width, s->end_width)) / 2;
      double points[4][2] = { { s->x0, s->y0 }, { s->x1, s->y1 }, { s->x2, s->y2 }, { s->x3, s->y3 } };

      for (guint p = 0; p < 4; p++)
        {
          double bx, by;

          ck_stroke_fit_point (fit, points[p][0], points[p][1], &bx, &by);
          g_assert_cmpfloat (bx - half, >=, -1e-9);
          g_assert_cmpfloat (by - half, >=, -1e-9);
          g_assert_cmpfloat (bx + half, <=, box_width + 1e-9);
          g_assert_cmpfloat (by + half, <=, box_height + 1e-9);
        }
    }
}

/* Issue 14: a real signature, 720 px of ink from a 900 px pad, fitted
 * into the PDF's 118 × 40 pt box, draws no line under 0.6 pt (at the
 * geometry's scale its lines were 0.09–0.22 pt); its thick and thin keep
 * their ratio. A box 4 times larger, as the review page has, draws the
 * very same picture 4 times larger: the same look. */
static void
test_stroke_fit_floor (void)
{
  g_autoptr(GBytes) hand = ck_test_load_hand ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CkSignature) signature = ck_signature_deserialize (hand, &error);
  g_autoptr(GArray) segments = NULL;
  const CkStrokeSegment *data;
  CkStrokeFit pdf, review;
  double min, max, review_min, review_max, raw_min = G_MAXDOUBLE, raw_max = 0;

  g_assert_no_error (error);
  segments = ck_signature_build_segments (signature, NULL);
  data = &g_array_index (segments, CkStrokeSegment, 0);

  g_assert_cmpfloat (ck_stroke_min_width_for_box (CK_STROKE_PRINT_BOX_WIDTH, CK_STROKE_PRINT_BOX_HEIGHT),
                     ==, CK_STROKE_PRINT_MIN_WIDTH);
  g_assert_true (ck_stroke_fit (data, segments->len, NULL, CK_STROKE_PRINT_BOX_WIDTH,
                                CK_STROKE_PRINT_BOX_HEIGHT, &pdf));

  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &data[i];

      raw_min = MIN (raw_min, (s->start_width + s->end_width) / 2);
      raw_max = MAX (raw_max, (s->start_width + s->end_width) / 2);
    }
  /* Without the floor: the geometry's scale. */
  g_assert_cmpfloat (raw_min * pdf.scale, <, 0.2);

  min = fit_min_width (&pdf, segments, &max);
  g_test_message ("PDF lines %.3f–%.3f pt (geometry alone: %.3f–%.3f)",
                  min, max, raw_min * pdf.scale, raw_max * pdf.scale);
  g_assert_cmpfloat (min, >=, CK_STROKE_PRINT_MIN_WIDTH);
  g_assert_cmpfloat (fabs (max / min - raw_max / raw_min), <, 1e-9);
  assert_inside (&pdf, segments, CK_STROKE_PRINT_BOX_WIDTH, CK_STROKE_PRINT_BOX_HEIGHT);

  g_assert_true (ck_stroke_fit (data, segments->len, NULL, 4 * CK_STROKE_PRINT_BOX_WIDTH,
                                4 * CK_STROKE_PRINT_BOX_HEIGHT, &review));
  review_min = fit_min_width (&review, segments, &review_max);
  g_assert_cmpfloat (fabs (review_min - 4 * min), <, 1e-9);
  g_assert_cmpfloat (fabs (review_max - 4 * max), <, 1e-9);
  g_assert_cmpfloat (fabs (review.scale - 4 * pdf.scale), <, 1e-9);
  g_assert_cmpfloat (fabs (review.ox - 4 * pdf.ox), <, 1e-9);
  g_assert_cmpfloat (fabs (review.oy - 4 * pdf.oy), <, 1e-9);
  assert_inside (&review, segments, 4 * CK_STROKE_PRINT_BOX_WIDTH, 4 * CK_STROKE_PRINT_BOX_HEIGHT);
}

/* A small signature on a small pad is enlarged: its lines then grow with
 * the geometry, above the floor. No segment: no fit. */
static void
test_stroke_fit_large (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (120, 40);
  g_autoptr(GArray) segments = NULL;
  CkStrokeFit fit;
  double min, max;

  g_assert_false (ck_stroke_fit (NULL, 0, NULL, 118, 40, &fit));
  g_assert_cmpfloat (fit.scale, ==, 0);

  ck_signature_begin_stroke (signature);
  add (signature, 10, 10, 1000, NAN);
  add (signature, 30, 20, 1100, NAN);
  add (signature, 50, 12, 1200, NAN);
  add (signature, 70, 25, 1300, NAN);
  ck_signature_end_stroke (signature);
  segments = ck_signature_build_segments (signature, NULL);

  g_assert_true (ck_stroke_fit (&g_array_index (segments, CkStrokeSegment, 0), segments->len, NULL,
                                118, 40, &fit));
  g_assert_cmpfloat (fit.scale, >, 1);
  g_assert_cmpfloat (fit.width_scale, ==, fit.scale);
  min = fit_min_width (&fit, segments, &max);
  g_assert_cmpfloat (min, >, CK_STROKE_PRINT_MIN_WIDTH);
  assert_inside (&fit, segments, 118, 40);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/stroke/style", test_stroke_style);
  g_test_add_func ("/stroke/dot", test_stroke_dot);
  g_test_add_func ("/stroke/two-points", test_stroke_two_points);
  g_test_add_func ("/stroke/curve", test_stroke_curve);
  g_test_add_func ("/stroke/time", test_stroke_time);
  g_test_add_func ("/stroke/huge", test_stroke_huge);
  g_test_add_func ("/stroke/pressure", test_stroke_pressure);
  g_test_add_func ("/stroke/velocity", test_stroke_velocity);
  g_test_add_func ("/stroke/min-distance", test_stroke_min_distance);
  g_test_add_func ("/stroke/stroke-change", test_stroke_stroke_change);
  g_test_add_func ("/stroke/incremental-equals-batch", test_stroke_incremental_equals_batch);
  g_test_add_func ("/stroke/deterministic", test_stroke_deterministic);
  g_test_add_func ("/stroke/empty-and-large", test_stroke_empty_and_large);
  g_test_add_func ("/stroke/fit-floor", test_stroke_fit_floor);
  g_test_add_func ("/stroke/fit-large", test_stroke_fit_large);

  return g_test_run ();
}
