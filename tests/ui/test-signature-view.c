/* test-signature-view.c: the review page's signature, as it is painted
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 14: the review page showed the pad's pixels shrunk to its size,
 * lines a third of a pixel wide. CkSignatureView paints the signature as
 * the PDF prints it: at every point of every stroke the ink is solid. The
 * real hand of tests/fuzz/corpus/signature/hand, painted by the cairo
 * renderer on the test's Xvfb. */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ck.h"
#include "ck-review-page.h"
#include "ck-signature-view.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

/* How much of a pixel the ink covers, 0–1, from its red channel: ink is
 * 0.06 red, the background white. */
static double
coverage (const guint8 *pixels,
          int           width,
          int           height,
          int           x,
          int           y)
{
  const guint8 *p;

  if (x < 0 || y < 0 || x >= width || y >= height)
    return 0;

  p = pixels + ((gsize)y * width + x) * 4;
  /* GDK_MEMORY_DEFAULT: B G R A, premultiplied, on white. */
  return (255.0 - p[2]) / (255.0 * (1 - 0.06));
}

static void
test_signature_view_solid (void)
{
  g_autoptr(GBytes) hand = ck_test_load_hand ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CkSignature) signature = ck_signature_deserialize (hand, &error);
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  GtkWindow *window;
  GtkWidget *view;
  graphene_rect_t box;
  CkStrokeFit fit;
  double worst = 1;
  int width, height;

  g_assert_no_error (error);
  segments = ck_signature_build_segments (signature, NULL);

  window = GTK_WINDOW (gtk_window_new ());
  view = ck_signature_view_new ();
  gtk_widget_add_css_class (view, "review-signature");
  gtk_widget_set_halign (view, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (view, GTK_ALIGN_CENTER);
  gtk_window_set_child (window, view);
  ck_signature_view_set_signature (CK_SIGNATURE_VIEW (view), signature);
  ck_ui_present_window (window, 2);

  width = gtk_widget_get_width (view);
  height = gtk_widget_get_height (view);
  g_assert_cmpint (width, ==, CK_STROKE_PRINT_BOX_WIDTH * CK_SIGNATURE_VIEW_SCALE);
  g_assert_cmpint (height, ==, CK_STROKE_PRINT_BOX_HEIGHT * CK_SIGNATURE_VIEW_SCALE);
  g_assert_true (ck_signature_view_get_box (CK_SIGNATURE_VIEW (view), &box));

  paintable = gtk_widget_paintable_new (view);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);

  /* Where the PDF puts the ink in a box of this size. */
  g_assert_true (ck_stroke_fit (&g_array_index (segments, CkStrokeSegment, 0), segments->len, NULL,
                                box.size.width, box.size.height, &fit));
  g_assert_cmpfloat (fit.min_width, >=, CK_STROKE_PRINT_MIN_WIDTH * CK_SIGNATURE_VIEW_SCALE - 1e-9);

  /* At every end of a segment, some pixel next to the line's centre is
   * all ink. (The pad's pixels shrunk to this size covered at most half a
   * pixel.) */
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);
      double bx, by, best = 0;

      ck_stroke_fit_point (&fit, s->x3, s->y3, &bx, &by);
      bx += box.origin.x;
      by += box.origin.y;
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
          best = MAX (best, coverage (pixels, width, height, (int)floor (bx) + dx, (int)floor (by) + dy));
      worst = MIN (worst, best);
    }
  g_test_message ("the faintest point of the strokes is %.0f %% ink", worst * 100);
  g_assert_cmpfloat (worst, >=, 0.9);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();
  adw_init ();

  g_test_add_func ("/signature-view/solid", test_signature_view_solid);

  return g_test_run ();
}
