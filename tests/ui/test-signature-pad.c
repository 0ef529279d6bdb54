/* test-signature-pad.c: signing with real X input
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A window with a CkSignaturePad on the test's Xvfb; xdotool moves the X
 * server's pointer and presses its button (XTEST), so every event takes the
 * path a mouse's takes: X server, GDK (with its motion compression), the
 * pad's gestures (ck_ui_draw_stroke and ck_ui_press_keys of ck-ui-test,
 * which place the pointer relative to the X window: no window manager,
 * position or decoration is assumed). */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ck.h"
#include "ck-signature-pad.h"
#include "ck-ui-test.h"

typedef struct
{
  GtkWindow *window;
  CkSignaturePad *pad;
  guint changed;
  guint notify_empty;
  guint notify_n_strokes;
} Fixture;

typedef struct
{
  double x;
  double y;
} Point;

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until *@counter reaches @target, or fails after
 * @seconds. */
static void
wait_for_count (const guint *counter,
                guint        target,
                double       seconds,
                const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  /* Wakes the loop up to look at the clock. */
  guint ticker = g_timeout_add (10, tick, NULL);

  while (*counter < target && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);

  if (*counter < target)
    g_error ("timed out waiting for %s", what);
  g_assert_cmpuint (*counter, ==, target);
}

static void
count_changed (CkSignaturePad *pad,
               Fixture        *fixture)
{
  fixture->changed++;
}

static void
count_notify (CkSignaturePad *pad,
              GParamSpec     *pspec,
              Fixture        *fixture)
{
  if (g_str_equal (pspec->name, "empty"))
    fixture->notify_empty++;
  else if (g_str_equal (pspec->name, "n-strokes"))
    fixture->notify_n_strokes++;
}

/* Waits for the pad's "changed" number @target: a stroke ended, an undo. */
static void
wait_for_changed (Fixture *fixture,
                  guint    target)
{
  wait_for_count (&fixture->changed, target, 5, "the pad's \"changed\"");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (fixture->window, "Signature pad test");
  gtk_window_set_default_size (fixture->window, 960, 520);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_margin_start (box, 40);
  gtk_widget_set_margin_end (box, 40);
  gtk_widget_set_margin_top (box, 40);
  gtk_widget_set_margin_bottom (box, 40);
  gtk_window_set_child (fixture->window, box);

  fixture->pad = CK_SIGNATURE_PAD (ck_signature_pad_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (fixture->pad), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->pad), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->pad));
  g_signal_connect (fixture->pad, "changed", G_CALLBACK (count_changed), fixture);
  g_signal_connect (fixture->pad, "notify", G_CALLBACK (count_notify), fixture);

  ck_ui_present_window (fixture->window, 3);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One press–drag–release through @points (pad coordinates, whole px),
 * 5 ms between moves; returns when the pad has ended the stroke. */
static void
draw_stroke (Fixture     *fixture,
             const Point *points,
             guint        n_points)
{
  g_autoptr(GArray) xy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n_points);
  guint changed = fixture->changed;

  for (guint i = 0; i < n_points; i++)
    {
      g_array_append_val (xy, points[i].x);
      g_array_append_val (xy, points[i].y);
    }
  ck_ui_draw_stroke (GTK_WIDGET (fixture->pad), (const double *)(gpointer)xy->data, n_points);

  wait_for_changed (fixture, changed + 1);
}

/* The strokes of a made-up signature in the pad's coordinates: a looping
 * cursive line, a tall loop, a cross stroke and an underline, whole px,
 * about 5–8 px apart. */
static GPtrArray *
make_signature_strokes (int width,
                        int height)
{
  GPtrArray *strokes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  double cx = width / 2.0, base = height * 0.62;

  for (guint k = 0; k < 4; k++)
    {
      GArray *points = g_array_new (FALSE, FALSE, sizeof (Point));
      guint n = k == 0 ? 90 : k == 1 ? 60 : k == 2 ? 25 : 40;

      for (guint i = 0; i < n; i++)
        {
          double s = (double)i / (n - 1);
          Point p;

          switch (k)
            {
            case 0:  /* cursive waves, left to right */
              p.x = cx - 300 + 330 * s + 22 * sin (2 * G_PI * 5 * s);
              p.y = base - 40 * fabs (sin (2 * G_PI * 2.5 * s)) * (1 - 0.3 * s) + 18 * cos (2 * G_PI * 5 * s);
              break;
            case 1:  /* a tall loop */
              p.x = cx + 80 + 45 * sin (2 * G_PI * s) + 60 * s;
              p.y = base - 60 - 60 * cos (2 * G_PI * s) + 50 * s;
              break;
            case 2:  /* a cross stroke */
              p.x = cx + 40 + 160 * s;
              p.y = base - 70 + 12 * s;
              break;
            default:  /* an underline, flicked */
              p.x = cx - 280 + 520 * s;
              p.y = base + 40 - 10 * s * s;
              break;
            }
          p.x = round (p.x);
          p.y = round (p.y);
          g_array_append_val (points, p);
        }
      g_ptr_array_add (strokes, points);
    }

  return strokes;
}

/* Renders the pad as the screen shows it; counts ink pixels (blue, even
 * where antialiasing lightened them: the hint and the line are grey);
 * saves a PNG when @png is given. */
static guint
count_ink_pixels (Fixture    *fixture,
                  const char *png)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->pad));
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GtkSnapshot *snapshot;
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);
  guint ink = 0;

  /* What the last frame showed. */
  ck_ui_wait_for_frames (GTK_WIDGET (fixture->window), 2);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (png)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, png, NULL);

      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("screenshot: %s", path);
    }

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);
  for (gsize i = 0; i < (gsize)width * height; i++)
    {
      /* B, G, R, A in memory. */
      guint b = pixels[4 * i], g = pixels[4 * i + 1], r = pixels[4 * i + 2];

      if (b > r + 15 && b > g + 10)
        ink++;
    }

  return ink;
}

static double
distance_to_polyline (const Point *points,
                      guint        n_points,
                      double       x,
                      double       y)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i + 1 < n_points; i++)
    {
      double ax = points[i].x, ay = points[i].y;
      double dx = points[i + 1].x - ax, dy = points[i + 1].y - ay;
      double len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? CLAMP (((x - ax) * dx + (y - ay) * dy) / len2, 0, 1) : 0;

      best = MIN (best, hypot (x - (ax + t * dx), y - (ay + t * dy)));
    }

  return best;
}

/* Draws the signature with the mouse and checks the samples against the
 * path xdotool took. */
static void
draw_signature (Fixture *fixture)
{
  GtkWidget *pad = GTK_WIDGET (fixture->pad);
  int width = gtk_widget_get_width (pad);
  int height = gtk_widget_get_height (pad);
  g_autoptr(GPtrArray) strokes = make_signature_strokes (width, height);
  const CkSignatureSample *samples;
  CkSignature *signature;
  double model_width, model_height;
  guint n_samples, first = 0;

  for (guint k = 0; k < strokes->len; k++)
    {
      GArray *points = strokes->pdata[k];

      draw_stroke (fixture, (const Point *)(gpointer)points->data, points->len);
      g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, k + 1);
      g_assert_false (ck_signature_pad_get_empty (fixture->pad));
    }

  signature = ck_signature_pad_get_signature (fixture->pad);
  ck_signature_get_size (signature, &model_width, &model_height);
  g_assert_cmpfloat_with_epsilon (model_width, width, 0.01);
  g_assert_cmpfloat_with_epsilon (model_height, height, 0.01);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, strokes->len);

  samples = ck_signature_get_samples (signature, &n_samples);
  for (guint k = 0; k < strokes->len; k++)
    {
      GArray *points = strokes->pdata[k];
      const Point *p = (const Point *)(gpointer)points->data;
      guint end = first;

      while (end < n_samples && samples[end].stroke == k)
        end++;
      g_test_message ("stroke %u: %u moves, %u samples", k, points->len, end - first);

      /* GDK may fold moves into one event; the pad takes its history. */
      g_assert_cmpuint (end - first, >=, points->len * 9 / 10);
      g_assert_cmpuint (end - first, <=, points->len + 1);

      /* Where xdotool put the pointer, to a pixel. */
      g_assert_cmpfloat (fabs (samples[first].x - p[0].x), <=, 1.0);
      g_assert_cmpfloat (fabs (samples[first].y - p[0].y), <=, 1.0);
      g_assert_cmpfloat (fabs (samples[end - 1].x - p[points->len - 1].x), <=, 1.0);
      g_assert_cmpfloat (fabs (samples[end - 1].y - p[points->len - 1].y), <=, 1.0);
      for (guint i = first; i < end; i++)
        {
          g_assert_cmpfloat (samples[i].x, >=, 0);
          g_assert_cmpfloat (samples[i].x, <=, width);
          g_assert_cmpfloat (samples[i].y, >=, 0);
          g_assert_cmpfloat (samples[i].y, <=, height);
          g_assert_cmpfloat (distance_to_polyline (p, points->len, samples[i].x, samples[i].y), <=, 1.0);
          g_assert_true (isnan (samples[i].pressure));  /* a mouse has none */
          if (i > first)
            g_assert_cmpint ((gint32)(samples[i].time_ms - samples[i - 1].time_ms), >=, 0);
        }
      first = end;
    }
  g_assert_cmpuint (first, ==, n_samples);
}

static void
test_pad_signature (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CkSignature) copy = NULL;
  g_autoptr(GError) error = NULL;
  guint ink_before, ink_after;

  g_assert_true (ck_signature_pad_get_empty (fixture->pad));
  ink_before = count_ink_pixels (fixture, "signature-pad-empty.png");
  g_assert_cmpuint (ink_before, ==, 0);

  draw_signature (fixture);
  g_assert_cmpuint (fixture->changed, ==, 4);
  g_assert_cmpuint (fixture->notify_empty, ==, 1);
  g_assert_cmpuint (fixture->notify_n_strokes, ==, 4);

  ck_signature_pad_check_acceptable (fixture->pad, &error);
  g_assert_no_error (error);

  /* The copy is the same evidence, and stays when the pad changes. */
  copy = ck_signature_pad_dup_signature (fixture->pad);
  {
    g_autoptr(GBytes) a = ck_signature_serialize (copy);
    g_autoptr(GBytes) b = ck_signature_serialize (ck_signature_pad_get_signature (fixture->pad));

    g_assert_true (g_bytes_equal (a, b));
  }

  ink_after = count_ink_pixels (fixture, "signature-pad.png");
  g_test_message ("%u ink pixels", ink_after);
  g_assert_cmpuint (ink_after, >, 400);

  /* A larger pad draws the same ink again, once, into a new cache; the
   * model keeps the size drawing began at. */
  {
    double width, height, new_width, new_height;
    int pad_width = gtk_widget_get_width (GTK_WIDGET (fixture->pad));

    ck_signature_get_size (ck_signature_pad_get_signature (fixture->pad), &width, &height);
    gtk_window_set_default_size (fixture->window, 1100, 600);
    while (gtk_widget_get_width (GTK_WIDGET (fixture->pad)) == pad_width)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (count_ink_pixels (fixture, "signature-pad-resized.png"), ==, ink_after);
    ck_signature_get_size (ck_signature_pad_get_signature (fixture->pad), &new_width, &new_height);
    g_assert_cmpfloat (new_width, ==, width);
    g_assert_cmpfloat (new_height, ==, height);
  }

  g_assert_true (ck_signature_pad_undo (fixture->pad));
  g_assert_cmpuint (fixture->changed, ==, 5);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 3);
  g_assert_cmpuint (ck_signature_get_n_strokes (copy), ==, 4);
  {
    const CkSignatureSample *samples;
    guint n_samples;

    samples = ck_signature_get_samples (ck_signature_pad_get_signature (fixture->pad), &n_samples);
    g_assert_cmpuint (samples[n_samples - 1].stroke, ==, 2);
  }
  g_assert_cmpuint (count_ink_pixels (fixture, NULL), <, ink_after);

  ck_signature_pad_clear (fixture->pad);
  g_assert_cmpuint (fixture->changed, ==, 6);
  g_assert_true (ck_signature_pad_get_empty (fixture->pad));
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 0);
  g_assert_cmpuint (fixture->notify_empty, ==, 2);
  g_assert_cmpuint (count_ink_pixels (fixture, NULL), ==, 0);

  ck_signature_pad_check_acceptable (fixture->pad, &error);
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_EMPTY);

  /* Nothing left to undo. */
  g_assert_false (ck_signature_pad_undo (fixture->pad));
  g_assert_cmpuint (fixture->changed, ==, 6);
  g_assert_cmpuint (ck_signature_get_n_strokes (copy), ==, 4);
}

/* A click is a dot: one stroke, refused with the core's own message. */
static void
test_pad_dot (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) core_error = NULL;
  g_autoptr(CkSignature) copy = NULL;
  Point p = { 200, 100 };

  draw_stroke (fixture, &p, 1);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 1);

  g_assert_false (ck_signature_pad_check_acceptable (fixture->pad, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);

  copy = ck_signature_pad_dup_signature (fixture->pad);
  g_assert_false (ck_signature_check_acceptable (copy, &core_error));
  g_assert_cmpstr (error->message, ==, core_error->message);
  g_assert_cmpstr (error->message, ==, "Only a dot was drawn. Please sign your full name in the box.");

  /* A dot is ink on the screen too, if little: the core's geometry makes
   * it (min_width + max_width) / 2 = 1.5 px across. */
  g_assert_cmpuint (count_ink_pixels (fixture, NULL), >, 0);
}

/* The keyboard reaches undo and clear: Ctrl+Z and Delete, sent by the X
 * server to the focused window. */
static void
test_pad_keyboard (Fixture       *fixture,
                   gconstpointer  data)
{
  Point stroke[] = { { 100, 100 }, { 140, 110 }, { 180, 100 }, { 220, 120 } };
  guint changed;

  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fixture->pad)));
  draw_stroke (fixture, stroke, G_N_ELEMENTS (stroke));
  draw_stroke (fixture, stroke, G_N_ELEMENTS (stroke));
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 2);
  /* Drawing focused the pad. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->pad)));

  changed = fixture->changed;
  ck_ui_press_keys (GTK_WIDGET (fixture->pad), "ctrl+z");
  wait_for_changed (fixture, changed + 1);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 1);

  changed = fixture->changed;
  ck_ui_press_keys (GTK_WIDGET (fixture->pad), "Delete");
  wait_for_changed (fixture, changed + 1);
  g_assert_true (ck_signature_pad_get_empty (fixture->pad));
}

/* The accessible name a screen reader speaks. */
static void
test_pad_accessible (Fixture       *fixture,
                     gconstpointer  data)
{
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (fixture->pad)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  g_test_init (&argc, &argv, NULL);
  ck_init ();
  adw_init ();

  /* The app's style sheet, as CkApplication loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/consentkiosk/ConsentKiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/signature-pad/signature", Fixture, NULL,
              fixture_set_up, test_pad_signature, fixture_tear_down);
  g_test_add ("/signature-pad/dot", Fixture, NULL,
              fixture_set_up, test_pad_dot, fixture_tear_down);
  g_test_add ("/signature-pad/keyboard", Fixture, NULL,
              fixture_set_up, test_pad_keyboard, fixture_tear_down);
  g_test_add ("/signature-pad/accessible", Fixture, NULL,
              fixture_set_up, test_pad_accessible, fixture_tear_down);

  return g_test_run ();
}
