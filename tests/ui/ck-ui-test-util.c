/* ck-ui-test-util.c: helpers the UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Real X input through xdotool (XTEST), so every event takes the path a
 * mouse's or a keyboard's takes: X server, GDK, the widget's gestures. A
 * place in a widget is given to xdotool relative to the X window of the
 * widget's toplevel (`mousemove --window XID X Y`): no window manager,
 * position or decoration is assumed. */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <math.h>

#include "ck-ui-test-util.h"

/**
 * ck_ui_test_load_style:
 *
 * Loads the app's style sheet, as CkApplication (an AdwApplication) does.
 */
void
ck_ui_test_load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/org/consentkiosk/ConsentKiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/**
 * ck_ui_test_find_descendant:
 * @widget: where to look
 * @type: a widget type
 *
 * Returns: (transfer none) (nullable): @widget or the first widget of
 *   @type under it, depth first
 */
GtkWidget *
ck_ui_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ck_ui_test_find_descendant (child, type);

      if (found)
        return found;
    }

  return NULL;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * ck_ui_test_wait_until:
 * @check: returns %TRUE when the wait is over
 * @data: for @check
 * @seconds: how long to wait at most
 * @what: what is awaited, for the failure message
 *
 * Iterates the main loop until @check says so; fails the test after
 * @seconds.
 */
void
ck_ui_test_wait_until (CkUiTestCheck  check,
                       gpointer       data,
                       double         seconds,
                       const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  /* Wakes the loop up to look at the clock. */
  guint ticker = g_timeout_add (10, tick, NULL);

  while (!check (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);

  if (!check (data))
    g_error ("timed out waiting for %s", what);
}

typedef struct
{
  const guint *counter;
  guint target;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *count = data;

  return *count->counter >= count->target;
}

/**
 * ck_ui_test_wait_for_count:
 * @counter: a number a signal handler counts up
 * @target: the number to wait for
 * @seconds: how long to wait at most
 * @what: what is awaited
 *
 * Waits until *@counter reaches @target, and fails if it goes past it.
 */
void
ck_ui_test_wait_for_count (const guint *counter,
                           guint        target,
                           double       seconds,
                           const char  *what)
{
  Count count = { counter, target };

  ck_ui_test_wait_until (count_reached, &count, seconds, what);
  g_assert_cmpuint (*counter, ==, target);
}

static void
frame_counted (GdkFrameClock *clock,
               gpointer       data)
{
  guint *frames = data;

  (*frames)++;
}

/**
 * ck_ui_test_wait_for_frames:
 * @widget: a mapped widget
 * @n_frames: how many frames to wait for
 *
 * Waits until @widget's frame clock has painted @n_frames times.
 */
void
ck_ui_test_wait_for_frames (GtkWidget *widget,
                            guint      n_frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint frames = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_counted), &frames);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (frames < n_frames && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
  g_assert_cmpuint (frames, >=, n_frames);
}

static void
subprocess_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  guint *done = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = 1;
}

/**
 * ck_ui_test_present:
 * @window: a window
 *
 * Shows @window and waits until it is mapped and has drawn three
 * frames: laid out, where xdotool can find its widgets.
 */
void
ck_ui_test_present (GtkWindow *window)
{
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  ck_ui_test_wait_for_frames (GTK_WIDGET (window), 3);
}

/**
 * ck_ui_test_destroy:
 * @window: a window
 *
 * Destroys @window and runs what that leaves pending.
 */
void
ck_ui_test_destroy (GtkWindow *window)
{
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * ck_ui_test_run_xdotool:
 * @args: xdotool's arguments (strings freed with g_free())
 *
 * Runs xdotool while the main loop runs, so that GTK sees the events as
 * they come. @args is consumed in the sense that "xdotool" and a %NULL
 * are added to it.
 */
void
ck_ui_test_run_xdotool (GPtrArray *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint done = 0;

  g_ptr_array_insert (args, 0, g_strdup ("xdotool"));
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *)args->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done, &done);
  ck_ui_test_wait_for_count (&done, 1, 60, "xdotool");
}

/**
 * ck_ui_test_add_move:
 * @args: xdotool arguments to append to
 * @widget: a mapped widget
 * @x: a place in @widget
 * @y: a place in @widget
 *
 * Appends "mousemove --window XID X Y" for (@x, @y) in @widget.
 */
void
ck_ui_test_add_move (GPtrArray *args,
                     GtkWidget *widget,
                     double     x,
                     double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  int scale = gdk_surface_get_scale_factor (surface);
  graphene_point_t q;
  double surface_x, surface_y;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &q));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);

  g_ptr_array_add (args, g_strdup ("mousemove"));
  g_ptr_array_add (args, g_strdup ("--window"));
  g_ptr_array_add (args, g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface)));
  g_ptr_array_add (args, g_strdup_printf ("%d", (int)lround ((q.x + surface_x) * scale)));
  g_ptr_array_add (args, g_strdup_printf ("%d", (int)lround ((q.y + surface_y) * scale)));
}

/**
 * ck_ui_test_click:
 * @widget: a mapped widget
 *
 * Moves the pointer to the middle of @widget, as the next frame lays it
 * out, and clicks button 1 there.
 */
void
ck_ui_test_click (GtkWidget *widget)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (gtk_widget_get_mapped (widget));
  /* Where the widget is once laid out (it may be new). */
  ck_ui_test_wait_for_frames (widget, 2);
  ck_ui_test_add_move (args, widget,
                       gtk_widget_get_width (widget) / 2.0,
                       gtk_widget_get_height (widget) / 2.0);
  g_ptr_array_add (args, g_strdup ("click"));
  g_ptr_array_add (args, g_strdup ("1"));
  ck_ui_test_run_xdotool (args);
}

/**
 * ck_ui_test_screenshot:
 * @widget: a mapped widget
 * @png: (nullable): a file name in the build folder to save it as
 *
 * Renders @widget as the screen shows it.
 *
 * Returns: (transfer full): the picture
 */
GdkTexture *
ck_ui_test_screenshot (GtkWidget  *widget,
                       const char *png)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;
  GtkSnapshot *snapshot;
  int width, height;

  /* What the last frame showed, at the size it showed it. */
  ck_ui_test_wait_for_frames (GTK_WIDGET (gtk_widget_get_native (widget)), 2);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (png)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, png, NULL);

      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("screenshot: %s", path);
    }

  return texture;
}
