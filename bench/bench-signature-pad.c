/* bench-signature-pad.c: what a frame of the signature pad costs
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The cost of one frame while the customer signs, with N samples already
 * on the pad, two ways:
 *
 *   incremental  the pad's own code (CkInk): the new sample's segment is
 *                drawn into the cached surface, the touched tiles get new
 *                nodes, and the frame is the tiles' nodes (the same ones
 *                as before for the others) plus the open stroke's tail;
 *   full         what a pad without the cache does: every segment so far
 *                drawn again, with the same ck_ink_draw_segment(), into a
 *                cairo node each frame.
 *
 * A frame is: the sample added (stroke builder included), the widget's
 * snapshot (a GtkSnapshot turned into render nodes: "the pad's own work"),
 * and those nodes drawn with gsk_render_node_draw() onto a white image
 * surface of the pad's size, as GTK's cairo renderer does: clipped to the
 * damage, what changed since the frame before (the same node, or a texture
 * node of the same texture in the same place, is unchanged, as
 * gsk_render_node_diff() finds). "whole pad" draws the incremental frame
 * without the clip, for a renderer that repaints everything. No display
 * is needed.
 *
 * The signature is made up and seeded: strokes of 60 samples at 125 Hz,
 * looping across a 900×300 pad, far enough apart that 86 % of the samples
 * yield a segment (ck-stroke skips those within 5 px). The last --frames
 * samples up to N are timed, a frame each; at the end the ink of both ways
 * is compared pixel by pixel.
 *
 *   bench-signature-pad [--sizes 500,2000,5000] [--frames N] [--scale S]
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ck.h"
#include "ck-ink.h"

#define PAD_WIDTH  900
#define PAD_HEIGHT 300
#define STROKE_SAMPLES 60

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static CkSignature *
make_signature (guint n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  CkSignature *signature = ck_signature_new (PAD_WIDTH, PAD_HEIGHT);
  guint32 t = 1000;
  guint added = 0;

  while (added < n_samples)
    {
      double x = g_rand_double_range (rand, 60, PAD_WIDTH - 400);
      double y = g_rand_double_range (rand, 80, PAD_HEIGHT - 80);
      double phase = g_rand_double_range (rand, 0, 2 * G_PI);

      ck_signature_begin_stroke (signature);
      for (guint i = 0; i < STROKE_SAMPLES && added < n_samples; i++, added++)
        {
          /* Loops drifting right: a cursive hand. */
          double a = phase + i * 0.45;

          ck_signature_add_sample (signature,
                                   CLAMP (x + i * 5.0 + 18 * cos (a), 0, PAD_WIDTH),
                                   CLAMP (y + 40 * sin (a) * (0.6 + 0.4 * sin (i * 0.1)), 0, PAD_HEIGHT),
                                   t, NAN, NULL);
          t += 8;
        }
      ck_signature_end_stroke (signature);
      t += 200;
    }

  return signature;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Where a frame is drawn, and the frame before (for its damage). */
typedef struct
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GskRenderNode *previous;
} Target;

static void
target_init (Target *target,
             int     scale)
{
  target->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, PAD_WIDTH * scale, PAD_HEIGHT * scale);
  cairo_surface_set_device_scale (target->surface, scale, scale);
  target->cr = cairo_create (target->surface);
  target->previous = NULL;
}

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->previous, gsk_render_node_unref);
  g_clear_pointer (&target->cr, cairo_destroy);
  g_clear_pointer (&target->surface, cairo_surface_destroy);
}

static guint
n_children (GskRenderNode *node)
{
  if (node == NULL)
    return 0;
  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    return gsk_container_node_get_n_children (node);
  return 1;
}

static GskRenderNode *
child (GskRenderNode *node,
       guint          i)
{
  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    return gsk_container_node_get_child (node, i);
  return node;
}

/* Two nodes draw the same: the same node, or texture nodes of the same
 * texture in the same place (what gsk_render_node_diff() finds too). */
static gboolean
same_drawing (GskRenderNode *a,
              GskRenderNode *b)
{
  graphene_rect_t ra, rb;

  if (a == b)
    return TRUE;
  if (gsk_render_node_get_node_type (a) != GSK_TEXTURE_NODE ||
      gsk_render_node_get_node_type (b) != GSK_TEXTURE_NODE ||
      gsk_texture_node_get_texture (a) != gsk_texture_node_get_texture (b))
    return FALSE;

  gsk_render_node_get_bounds (a, &ra);
  gsk_render_node_get_bounds (b, &rb);
  return graphene_rect_equal (&ra, &rb);
}

static void
add_damage (cairo_region_t *damage,
            GskRenderNode  *node)
{
  graphene_rect_t r;
  cairo_rectangle_int_t rect;

  gsk_render_node_get_bounds (node, &r);
  rect.x = floorf (r.origin.x);
  rect.y = floorf (r.origin.y);
  rect.width = ceilf (r.origin.x + r.size.width) - rect.x;
  rect.height = ceilf (r.origin.y + r.size.height) - rect.y;
  cairo_region_union_rectangle (damage, &rect);
}

/* The children of one frame that the other lacks. */
static void
add_changes (cairo_region_t *damage,
             GskRenderNode  *from,
             GskRenderNode  *to)
{
  for (guint i = 0; i < n_children (to); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n_children (from) && !found; j++)
        found = same_drawing (child (to, i), child (from, j));
      if (!found)
        add_damage (damage, child (to, i));
    }
}

/* Draws @snapshot's nodes as GTK's cairo renderer does: the background
 * and every node, clipped to what changed since the last frame (with
 * @whole, the whole pad: no damage tracking). */
static void
render (Target      *target,
        GtkSnapshot *snapshot,
        gboolean     whole)
{
  GskRenderNode *node = gtk_snapshot_free_to_node (snapshot);
  cairo_region_t *damage = cairo_region_create ();
  cairo_t *cr = target->cr;

  if (whole || target->previous == NULL)
    {
      cairo_region_union_rectangle (damage, &(cairo_rectangle_int_t) { 0, 0, PAD_WIDTH, PAD_HEIGHT });
    }
  else
    {
      add_changes (damage, target->previous, node);
      add_changes (damage, node, target->previous);
    }

  cairo_save (cr);
  for (int i = 0; i < cairo_region_num_rectangles (damage); i++)
    {
      cairo_rectangle_int_t rect;

      cairo_region_get_rectangle (damage, i, &rect);
      cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
    }
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (node)
    gsk_render_node_draw (node, cr);
  cairo_restore (cr);

  cairo_region_destroy (damage);
  g_clear_pointer (&target->previous, gsk_render_node_unref);
  target->previous = node;
}

typedef struct
{
  double *frame_ms;
  double *whole_ms;
  double *update_ms;
} Times;

/* A frame of the pad as it is: the sample (if any) into the cache, the
 * tiles and the tail as nodes, drawn twice: clipped to the damage into
 * @damaged, and whole into @whole. */
static void
incremental_frame (CkInk                   *ink,
                   const CkSignatureSample *sample,
                   Target                  *damaged,
                   Target                  *whole,
                   Times                   *times,
                   guint                    f)
{
  gint64 start = g_get_monotonic_time ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  double update_ms;

  if (sample)
    ck_ink_add_sample (ink, sample);
  ck_ink_snapshot (ink, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  update_ms = ms_since (start);

  /* The same nodes for both drawings. */
  start = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  if (node)
    gtk_snapshot_append_node (snapshot, node);
  render (damaged, snapshot, FALSE);
  if (times)
    times->frame_ms[f] = update_ms + ms_since (start);

  start = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  if (node)
    gtk_snapshot_append_node (snapshot, node);
  render (whole, snapshot, TRUE);
  if (times)
    {
      times->whole_ms[f] = update_ms + ms_since (start);
      times->update_ms[f] = update_ms;
    }

  g_clear_pointer (&node, gsk_render_node_unref);
}

typedef struct
{
  CkStrokeBuilder *builder;
  GArray *segments;
} Full;

static void
full_add_sample (Full                    *full,
                 const CkSignatureSample *sample)
{
  CkStrokeSegment segment;

  if (ck_stroke_builder_add (full->builder, sample, &segment))
    g_array_append_val (full->segments, segment);
}

/* A frame of a pad without the cache: every segment again (recorded
 * into the cairo node, rasterised when the node is drawn). Its node is
 * new each frame, so the damage is the whole pad. */
static void
full_frame (Full                    *full,
            const CkSignatureSample *sample,
            Target                  *target,
            Times                   *times,
            guint                    f)
{
  gint64 start = g_get_monotonic_time ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_t *cr;

  if (sample)
    full_add_sample (full, sample);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, PAD_WIDTH, PAD_HEIGHT));
  ck_ink_set_source (cr);
  for (guint i = 0; i < full->segments->len; i++)
    ck_ink_draw_segment (cr, &g_array_index (full->segments, CkStrokeSegment, i));
  cairo_destroy (cr);
  if (times)
    times->update_ms[f] = ms_since (start);
  render (target, snapshot, FALSE);
  if (times)
    times->frame_ms[f] = times->whole_ms[f] = ms_since (start);
}

/* Sorts @ms; its median and 95th percentile. */
static void
percentiles (double *ms,
             guint   n,
             double *median,
             double *p95)
{
  qsort (ms, n, sizeof (double), compare_doubles);
  *median = ms[n / 2];
  *p95 = ms[MIN (n - 1, (guint)(n * 0.95))];
}

static void
report (const char *label,
        guint       n_samples,
        guint       n_segments,
        Times      *times,
        guint       n_frames)
{
  double median, p95, whole_median, whole_p95, update_median, update_p95;

  percentiles (times->frame_ms, n_frames, &median, &p95);
  percentiles (times->whole_ms, n_frames, &whole_median, &whole_p95);
  percentiles (times->update_ms, n_frames, &update_median, &update_p95);

  g_print ("%-12s %5u samples %5u segments %4u frames   frame %7.3f ms (p95 %7.3f)"
           "   whole pad %7.3f ms (p95 %7.3f)   pad's own work %6.3f ms (p95 %6.3f)\n",
           label, n_samples, n_segments, n_frames, median, p95,
           whole_median, whole_p95, update_median, update_p95);
  g_print ("{\"bench\":\"signature-pad.%s\",\"samples\":%u,\"segments\":%u,\"frames\":%u,"
           "\"median_ms\":%.4f,\"p95_ms\":%.4f,\"whole_median_ms\":%.4f,\"whole_p95_ms\":%.4f,"
           "\"update_median_ms\":%.4f,\"update_p95_ms\":%.4f}\n",
           label, n_samples, n_segments, n_frames, median, p95,
           whole_median, whole_p95, update_median, update_p95);
}

/* Pixels whose colour differs by more than a few levels between the two
 * final frames: both must show the same ink. */
static guint
count_differences (cairo_surface_t *a,
                   cairo_surface_t *b)
{
  const guchar *pa, *pb;
  int stride = cairo_image_surface_get_stride (a);
  guint differ = 0;

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  pa = cairo_image_surface_get_data (a);
  pb = cairo_image_surface_get_data (b);

  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a) * 4; x++)
      if (abs (pa[y * stride + x] - pb[y * stride + x]) > 8)
        {
          differ++;
          x += 3 - x % 4;  /* one a pixel */
        }

  return differ;
}

static void
times_init (Times *times,
            guint  n_frames)
{
  times->frame_ms = g_new (double, n_frames);
  times->whole_ms = g_new (double, n_frames);
  times->update_ms = g_new (double, n_frames);
}

static void
times_clear (Times *times)
{
  g_clear_pointer (&times->frame_ms, g_free);
  g_clear_pointer (&times->whole_ms, g_free);
  g_clear_pointer (&times->update_ms, g_free);
}

static void
bench_size (guint n_samples,
            guint n_frames,
            int   scale)
{
  g_autoptr(CkSignature) signature = make_signature (n_samples);
  g_autoptr(CkInk) ink = ck_ink_new ();
  /* The same widths as the pad's (3 px at least on screen). */
  g_autoptr(CkStrokeBuilder) builder = ck_stroke_builder_new (ck_ink_get_style (ink));
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (CkStrokeSegment));
  const CkSignatureSample *samples;
  Full full = { builder, segments };
  Target damaged, whole, full_target;
  Times incremental_times, full_times;
  CkStrokeSegment segment;
  guint first, differ;

  samples = ck_signature_get_samples (signature, NULL);
  n_frames = MIN (n_frames, n_samples);
  first = n_samples - n_frames;

  target_init (&damaged, scale);
  target_init (&whole, scale);
  target_init (&full_target, scale);
  times_init (&incremental_times, n_frames);
  times_init (&full_times, n_frames);
  ck_ink_set_size (ink, PAD_WIDTH, PAD_HEIGHT, scale);

  /* The samples before the timed ones, untimed. */
  for (guint i = 0; i < first; i++)
    {
      ck_ink_add_sample (ink, &samples[i]);
      full_add_sample (&full, &samples[i]);
    }
  incremental_frame (ink, NULL, &damaged, &whole, NULL, 0);
  full_frame (&full, NULL, &full_target, NULL, 0);

  /* The two ways take turns, frame by frame, so that both see the same
   * machine. */
  for (guint f = 0; f < n_frames; f++)
    {
      incremental_frame (ink, &samples[first + f], &damaged, &whole, &incremental_times, f);
      full_frame (&full, &samples[first + f], &full_target, &full_times, f);
    }

  /* Pen up: all three pictures must now show the same ink (the one drawn
   * in damaged parts only tells whether the damage was right). */
  ck_ink_end_stroke (ink);
  incremental_frame (ink, NULL, &damaged, &whole, NULL, 0);
  if (ck_stroke_builder_end_stroke (builder, &segment))
    g_array_append_val (segments, segment);
  full_frame (&full, NULL, &full_target, NULL, 0);

  differ = MAX (count_differences (damaged.surface, full_target.surface),
                count_differences (whole.surface, full_target.surface));
  if (differ > (guint)(PAD_WIDTH * PAD_HEIGHT * scale * scale / 1000))
    g_error ("the two ways drew different ink: %u pixels differ", differ);

  report ("incremental", n_samples, segments->len, &incremental_times, n_frames);
  report ("full", n_samples, segments->len, &full_times, n_frames);

  times_clear (&incremental_times);
  times_clear (&full_times);
  target_clear (&damaged);
  target_clear (&whole);
  target_clear (&full_target);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sizes_arg = NULL;
  g_auto(GStrv) sizes = NULL;
  int frames = 200, scale = 1;
  const GOptionEntry entries[] = {
    { "sizes", 's', 0, G_OPTION_ARG_STRING, &sizes_arg, "Samples on the pad, comma-separated (500,2000,5000)", "N,…" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &frames, "Frames timed at each size (200)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, "Device pixels a px (1)", "S" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark the signature pad's frames");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || frames < 1 || scale < 1 || scale > 4)
    {
      g_printerr ("bench-signature-pad: %s\n", error ? error->message : "--frames must be positive, --scale 1–4");
      return 2;
    }

  ck_init ();
  /* What gtk_init() would do for render nodes; no display is opened. */
  g_type_ensure (GSK_TYPE_CONTAINER_NODE);
  sizes = g_strsplit (sizes_arg ? sizes_arg : "500,2000,5000", ",", -1);

  for (guint i = 0; sizes[i]; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (sizes[i], 10, 3, CK_SIGNATURE_MAX_SAMPLES, &n, &error))
        {
          g_printerr ("bench-signature-pad: --sizes: %s\n", error->message);
          return 2;
        }
      bench_size (n, frames, scale);
    }

  return 0;
}
