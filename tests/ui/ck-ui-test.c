/* ck-ui-test.c: helpers the kiosk's UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <math.h>

#include "ck-ui-test.h"

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * ck_ui_wait_until:
 *
 * Runs the main loop until @condition holds; fails the test after
 * @seconds, naming @what.
 */
void
ck_ui_wait_until (CkUiCondition  condition,
                  gpointer       data,
                  double         seconds,
                  const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  guint waker = g_timeout_add (20, wake, NULL);

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (waker);

  if (!condition (data))
    g_error ("timed out after %.0f s waiting for %s", seconds, what);
}

/**
 * ck_ui_present:
 *
 * Activates @app and waits until its window is on screen and drawn.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
ck_ui_present (GApplication *app)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  ck_ui_wait_for_frames (GTK_WIDGET (window), 3);

  return window;
}

static void
count_frame (GdkFrameClock *clock,
             guint         *frames)
{
  (*frames)++;
}

void
ck_ui_wait_for_frames (GtkWidget *widget,
                       guint      n_frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  /* Generous: under the sanitizers, on a busy machine, a frame of the
   * whole window can take a second. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint frames = 0;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &frames);
  while (frames < n_frames && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
  g_assert_cmpuint (frames, >=, n_frames);
}

void
ck_ui_collect (GtkWidget *widget,
               GType      type,
               GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child;
       child = gtk_widget_get_next_sibling (child))
    ck_ui_collect (child, type, found);
}

GtkWidget *
ck_ui_find_descendant (GtkWidget *widget,
                       GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  ck_ui_collect (widget, type, found);

  return found->len > 0 ? found->pdata[0] : NULL;
}

/* A visible toplevel window of @type (a dialog), or NULL. */
GtkWindow *
ck_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_WINDOW (toplevel);
    }

  return NULL;
}

/* The button whose label, or whose AdwButtonContent's label, is @label
 * (as translated: the tests may run in Chinese). */
GtkButton *
ck_ui_find_button (GtkWidget  *widget,
                   const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_ui_collect (widget, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = buttons->pdata[i];
      GtkWidget *child = gtk_button_get_child (button);

      if (g_strcmp0 (gtk_button_get_label (button), label) == 0 ||
          (ADW_IS_BUTTON_CONTENT (child) &&
           g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), label) == 0))
        return button;
    }

  return NULL;
}

/* A visible label showing exactly @text. */
GtkLabel *
ck_ui_find_label (GtkWidget  *widget,
                  const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];

  return NULL;
}

static void
count_clicked (GtkButton *button,
               gboolean  *clicked)
{
  *clicked = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *)data;
}

/* Activates the button labelled @label below @widget, as the keyboard
 * would, and returns once it was clicked (GTK shows it pressed for a
 * moment first); it must be there and sensitive. */
void
ck_ui_click (GtkWidget  *widget,
             const char *label)
{
  g_autoptr(GtkButton) button = NULL;
  gboolean clicked = FALSE;
  gulong id;

  /* Kept alive: a click may destroy its window. */
  if ((button = ck_ui_find_button (widget, label)) == NULL)
    g_error ("no button “%s”", label);
  g_object_ref (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));

  id = g_signal_connect (button, "clicked", G_CALLBACK (count_clicked), &clicked);
  gtk_widget_activate (GTK_WIDGET (button));
  ck_ui_wait_until (is_true, &clicked, 5, label);
  g_signal_handler_disconnect (button, id);
}

static void
subprocess_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* Appends "mousemove --window XID X Y" for (@x, @y) in @widget. */
static void
add_move (GtkWidget *widget,
          GPtrArray *args,
          double     x,
          double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  int scale = gdk_surface_get_scale_factor (surface);
  double surface_x, surface_y;
  graphene_point_t q;

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
 * ck_ui_draw_stroke:
 * @points: (array length=n_points): x, y pairs in @widget's coordinates
 *
 * Draws one press–move–release through @points with real X input
 * (xdotool, XTEST), the main loop running meanwhile.
 */
void
ck_ui_draw_stroke (GtkWidget    *widget,
                   const double *points,
                   guint         n_points)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (args, g_strdup ("xdotool"));
  add_move (widget, args, points[0], points[1]);
  g_ptr_array_add (args, g_strdup ("mousedown"));
  g_ptr_array_add (args, g_strdup ("1"));
  for (guint i = 1; i < n_points; i++)
    {
      add_move (widget, args, points[2 * i], points[2 * i + 1]);
      g_ptr_array_add (args, g_strdup ("sleep"));
      g_ptr_array_add (args, g_strdup ("0.005"));
    }
  g_ptr_array_add (args, g_strdup ("mouseup"));
  g_ptr_array_add (args, g_strdup ("1"));
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *)args->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done, &done);
  ck_ui_wait_until (is_true, &done, 30, "xdotool");
  ck_ui_wait_for_frames (widget, 2);
}

/**
 * ck_ui_save_screenshot:
 *
 * Renders @window as the screen shows it into NAME.png in the test's
 * build directory.
 *
 * Returns: (transfer full): the file's path
 */
char *
ck_ui_save_screenshot (GtkWidget  *window,
                       const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  GtkSnapshot *snapshot;
  int width, height;

  ck_ui_wait_for_frames (window, 2);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return path;
}
