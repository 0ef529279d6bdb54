/* ck-ui-test.c: helpers the kiosk's UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ck-details-page.h"
#include "ck-signature-page.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

/* How many times its stated time ck_ui_wait_until() waits before failing. */
#define CK_UI_TEST_PATIENCE 6

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * ck_ui_wait_until:
 *
 * Runs the main loop until @condition holds; fails the test after
 * @seconds, naming @what. @seconds is what a quiet machine needs; the
 * deadline is CK_UI_TEST_PATIENCE times that, because a loaded machine
 * running ASan builds is many times slower and a deadline only says when
 * to give up, never how fast something has to be.
 */
void
ck_ui_wait_until (CkUiCondition  condition,
                  gpointer       data,
                  double         seconds,
                  const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * CK_UI_TEST_PATIENCE * G_USEC_PER_SEC);
  guint waker = g_timeout_add (20, wake, NULL);

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (waker);

  if (!condition (data))
    g_error ("timed out after %.0f s waiting for %s", seconds * CK_UI_TEST_PATIENCE, what);
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
  ck_ui_present_window (window, 3);

  return window;
}

/**
 * ck_ui_present_window:
 *
 * Presents @window and runs the main loop until it is mapped and has
 * painted @n_frames frames.
 */
void
ck_ui_present_window (GtkWindow *window,
                      guint      n_frames)
{
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  ck_ui_wait_for_frames (GTK_WIDGET (window), n_frames);
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

/* The kiosk window's lock button: an icon, its tooltip says "Staff". */
GtkWidget *
ck_ui_find_staff_button (GtkWidget *window)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_ui_collect (window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]),
                   g_dgettext (GETTEXT_PACKAGE, "Staff")) == 0)
      return buttons->pdata[i];

  g_error ("no staff button");
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

/* Runs xdotool with @args (after "xdotool") while the main loop runs, so
 * that GTK sees the events as they come. */
static void
run_xdotool (GPtrArray *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_ptr_array_insert (args, 0, g_strdup ("xdotool"));
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *)args->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done, &done);
  ck_ui_wait_until (is_true, &done, 60, "xdotool");
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
  run_xdotool (args);
  ck_ui_wait_for_frames (widget, 2);
}

/**
 * ck_ui_tap:
 *
 * Taps the middle of @widget with real X input: the pointer goes there
 * and clicks, as a finger on a touchscreen the X server emulates as a
 * pointer would.
 */
void
ck_ui_tap (GtkWidget *widget)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (gtk_widget_is_sensitive (widget));
  g_assert_true (gtk_widget_get_mapped (widget));
  add_move (widget, args, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  g_ptr_array_add (args, g_strdup ("click"));
  g_ptr_array_add (args, g_strdup ("1"));

  /* A tap may take the widget away (a candidate, once chosen). */
  g_object_ref (widget);
  run_xdotool (args);
  if (gtk_widget_get_native (widget) != NULL)
    ck_ui_wait_for_frames (widget, 2);
  g_object_unref (widget);
}

typedef struct
{
  GdkDisplay *display;
  guint keyval;
} KeyvalWait;

static gboolean
keyval_is_mapped (gpointer data)
{
  KeyvalWait *wait = data;
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  return gdk_display_map_keyval (wait->display, wait->keyval, &keys, &n_keys) && n_keys > 0;
}

/* Gives @keyval a key of its own on the X keyboard for the rest of the
 * test, unless it has one, and waits until GTK's keymap knows it.
 * xdotool's own way with a character the keyboard lacks (bind a spare key,
 * press it, unbind it) races with GTK: on a loaded machine GTK looked the
 * key up after it was unbound and the character was lost (issue 17). */
static void
map_keyval (GtkWidget *widget,
            guint      keyval)
{
  KeyvalWait wait = { gtk_widget_get_display (widget), keyval };
  Display *xdisplay = gdk_x11_display_get_xdisplay (wait.display);
  int min_keycode, max_keycode, per_keycode;
  KeySym *map;
  int spare = 0;

  if (keyval_is_mapped (&wait))
    return;

  XDisplayKeycodes (xdisplay, &min_keycode, &max_keycode);
  map = XGetKeyboardMapping (xdisplay, min_keycode, max_keycode - min_keycode + 1, &per_keycode);
  for (int keycode = max_keycode; keycode >= min_keycode && spare == 0; keycode--)
    {
      gboolean empty = TRUE;

      for (int i = 0; i < per_keycode; i++)
        empty &= map[(keycode - min_keycode) * per_keycode + i] == NoSymbol;
      if (empty)
        spare = keycode;
    }
  XFree (map);
  g_assert_cmpint (spare, !=, 0);

  {
    KeySym syms[2] = { keyval, keyval };

    XChangeKeyboardMapping (xdisplay, spare, G_N_ELEMENTS (syms), syms, 1);
    XSync (xdisplay, False);
  }
  ck_ui_wait_until (keyval_is_mapped, &wait, 10, "the X keyboard to have the key");
}

typedef struct
{
  GtkEditable *editable;
  const char *text;
} TextWait;

static gboolean
text_is (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (wait->editable), wait->text) == 0;
}

/**
 * ck_ui_type:
 *
 * Types @text on the X keyboard into @widget, which has the focus, a
 * character at a time. Each character has a key of its own on the X
 * keyboard first; when @widget is editable, each is waited for in its
 * text (at its end) before the next is typed.
 */
void
ck_ui_type (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(GString) expected = NULL;

  if (GTK_IS_EDITABLE (widget))
    expected = g_string_new (gtk_editable_get_text (GTK_EDITABLE (widget)));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint keyval = gdk_unicode_to_keyval (c);
      /* X's name for the keysym (GTK 4 names Unicode ones "U+5F20",
       * which xdotool does not read). */
      g_autofree char *name = c < 0x80 ? g_strdup (gdk_keyval_name (keyval)) : g_strdup_printf ("U%04X", c);

      map_keyval (widget, keyval);
      ck_ui_press_keys (widget, name);
      if (expected != NULL)
        {
          TextWait wait = { GTK_EDITABLE (widget), NULL };

          g_string_append_len (expected, p, g_utf8_next_char (p) - p);
          wait.text = expected->str;
          ck_ui_wait_until (text_is, &wait, 10, "a typed character in the entry");
        }
    }
}

/**
 * ck_ui_press_keys:
 * @keys: xdotool key names, separated by spaces ("l i", "BackSpace")
 *
 * Presses @keys on the X keyboard, one after another, into @widget's
 * window (focused first): keys that ck_ui_type() cannot send, such as
 * Return, Escape or BackSpace.
 */
void
ck_ui_press_keys (GtkWidget  *widget,
                  const char *keys)
{
  ck_ui_press_keys_every (widget, keys, 100);
}

/**
 * ck_ui_press_keys_every:
 * @delay_ms: the time between two keys
 *
 * ck_ui_press_keys() at another pace: as fast as a person drums on a
 * keypad, say.
 */
void
ck_ui_press_keys_every (GtkWidget  *widget,
                        const char *keys,
                        guint       delay_ms)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  g_ptr_array_add (args, g_strdup ("windowfocus"));
  g_ptr_array_add (args, g_strdup ("--sync"));
  g_ptr_array_add (args, g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface)));
  g_ptr_array_add (args, g_strdup ("key"));
  g_ptr_array_add (args, g_strdup ("--delay"));
  g_ptr_array_add (args, g_strdup_printf ("%u", delay_ms));
  for (guint i = 0; names[i]; i++)
    g_ptr_array_add (args, g_strdup (names[i]));
  run_xdotool (args);
  ck_ui_wait_for_frames (widget, 2);
}

/**
 * ck_ui_scroll:
 * @clicks: wheel clicks, down if positive
 *
 * Turns the mouse wheel over the middle of @widget.
 */
void
ck_ui_scroll (GtkWidget *widget,
              int        clicks)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  add_move (widget, args, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  g_ptr_array_add (args, g_strdup ("click"));
  g_ptr_array_add (args, g_strdup ("--repeat"));
  g_ptr_array_add (args, g_strdup_printf ("%d", ABS (clicks)));
  g_ptr_array_add (args, g_strdup ("--delay"));
  g_ptr_array_add (args, g_strdup ("20"));
  g_ptr_array_add (args, g_strdup (clicks > 0 ? "5" : "4"));
  run_xdotool (args);
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

/* --- the kiosk window's pages ------------------------------------------------ */

const char *
ck_ui_page_name (CkWindow *window)
{
  return gtk_stack_get_visible_child_name (ck_window_get_stack (window));
}

GtkWidget *
ck_ui_page (CkWindow   *window,
            const char *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (ck_window_get_stack (window), name);

  g_assert_nonnull (child);
  return child;
}

typedef struct
{
  CkWindow *window;
  const char *name;
} PageWait;

static gboolean
page_is_shown (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (ck_ui_page_name (wait->window), wait->name) == 0 &&
         gtk_widget_get_mapped (ck_ui_page (wait->window, wait->name)) &&
         !gtk_stack_get_transition_running (ck_window_get_stack (wait->window));
}

/**
 * ck_ui_wait_for_page:
 *
 * Waits until the page @name is shown, mapped and done moving in.
 */
void
ck_ui_wait_for_page (CkWindow   *window,
                     const char *name,
                     double      seconds)
{
  PageWait wait = { window, name };

  ck_ui_wait_until (page_is_shown, &wait, seconds, name);
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
}

/* The letter page's two agreements, the letter's first. */
void
ck_ui_letter_checks (CkWindow        *window,
                     GtkCheckButton **letter,
                     GtkCheckButton **declaration)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  ck_ui_collect (ck_ui_page (window, "letter"), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 2);
  *letter = checks->pdata[0];
  *declaration = checks->pdata[1];
}

GtkEditable *
ck_ui_name_entry (CkWindow *window)
{
  return GTK_EDITABLE (ck_details_page_get_name_entry (CK_DETAILS_PAGE (ck_ui_page (window, "details"))));
}

GtkEditable *
ck_ui_id_entry (CkWindow *window)
{
  return GTK_EDITABLE (ck_details_page_get_id_entry (CK_DETAILS_PAGE (ck_ui_page (window, "details"))));
}

CkSignaturePad *
ck_ui_signature_pad (CkWindow *window)
{
  return ck_signature_page_get_pad (CK_SIGNATURE_PAGE (ck_ui_page (window, "signature")));
}

static void
count_changed (CkSignaturePad *pad,
               guint          *changed)
{
  (*changed)++;
}

static gboolean
has_changed (gpointer data)
{
  return *(guint *)data > 0;
}

/**
 * ck_ui_draw_on_pad:
 * @points: (array length=n_points): x, y pairs in @pad's coordinates
 *
 * One stroke on @pad with real X input (ck_ui_draw_stroke()), returning
 * once the pad has taken it.
 */
void
ck_ui_draw_on_pad (CkSignaturePad *pad,
                   const double   *points,
                   guint           n_points)
{
  guint changed = 0;
  gulong id = g_signal_connect (pad, "changed", G_CALLBACK (count_changed), &changed);

  ck_ui_draw_stroke (GTK_WIDGET (pad), points, n_points);
  ck_ui_wait_until (has_changed, &changed, 5, "the pad's stroke");
  g_signal_handler_disconnect (pad, id);
}

/* A CkUiCondition: the flow @data is done (saved and verified). */
gboolean
ck_ui_flow_is_done (gpointer data)
{
  return ck_flow_get_state (CK_FLOW (data)) == CK_FLOW_STATE_DONE;
}

/* --- the application ------------------------------------------------------------ */

/**
 * ck_ui_start_kiosk:
 * @tmp_dir: the test's temporary folder
 * @config: the kiosk.conf for the user's layer of the configuration
 *
 * Writes @config where the kiosk reads the user's configuration
 * (XDG_CONFIG_HOME under @tmp_dir), sets up the core, translations and
 * libadwaita, and registers a CkApplication.
 *
 * Returns: (transfer full): the application; end it with ck_ui_stop_kiosk()
 */
CkApplication *
ck_ui_start_kiosk (const char *tmp_dir,
                   const char *config)
{
  g_autofree char *xdg = g_build_filename (tmp_dir, "config", NULL);
  g_autofree char *dir = g_build_filename (xdg, "consent-kiosk", NULL);
  g_autofree char *file = g_build_filename (dir, "kiosk.conf", NULL);
  g_autoptr(GError) error = NULL;
  CkApplication *app;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (file, config, -1, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", xdg, TRUE);

  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  app = ck_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

/**
 * ck_ui_stop_kiosk:
 * @app: (transfer full): from ck_ui_start_kiosk()
 *
 * Closes the kiosk's window, lets GTK finish with it, and frees @app.
 */
void
ck_ui_stop_kiosk (CkApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window)
    gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

/**
 * ck_ui_as_customers_see_it:
 *
 * libadwaita's own style and, where the locale is installed, Chinese:
 * call before g_test_init().
 */
void
ck_ui_as_customers_see_it (void)
{
  g_unsetenv ("GTK_THEME");
  if (setlocale (LC_ALL, "zh_CN.UTF-8"))
    {
      g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
    }
}

/* GTK's print backends complain where a desktop's services are missing
 * (colord, the system bus for avahi): not the kiosk's business. */
static gboolean
ignore_desktop_services (GLogLevelFlags  log_level,
                         const char     *message)
{
  return strstr (message, "colord") || strstr (message, "system bus");
}

/**
 * ck_ui_ignore_desktop_services:
 *
 * Drops what GTK's print backends log about missing desktop services;
 * everything else is logged as usual. Call first in main().
 */
void
ck_ui_ignore_desktop_services (void)
{
  ck_test_log_set_filter (ignore_desktop_services);
}

/**
 * ck_ui_store_consent:
 * @config: the kiosk's configuration (organization, kiosk id, provider)
 *
 * Stores a consent signed by @name, @id_number, the way the kiosk stores
 * them: the built-in letter, a sample signature.
 *
 * Returns: (transfer full): the stored record
 */
CkConsentRecord *
ck_ui_store_consent (CkStore    *store,
                     CkConfig   *config,
                     const char *name,
                     const char *id_number)
{
  return ck_ui_store_sealed_consent (store, config, NULL, name, id_number);
}

/* ck_ui_store_consent (), sealed with @seal as the kiosk seals. */
CkConsentRecord *
ck_ui_store_sealed_consent (CkStore    *store,
                            CkConfig   *config,
                            CkSeal     *seal,
                            const char *name,
                            const char *id_number)
{
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  CkConsentRecord *record;

  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  template = ck_template_new_default (&error);
  g_assert_no_error (error);
  flow = ck_flow_new (config, store, fonts);
  ck_flow_set_seal (flow, seal);
  g_assert_true (ck_flow_show (flow, template, &error));
  g_assert_true (ck_flow_agree (flow, TRUE, TRUE, &error));
  g_assert_true (ck_flow_set_details (flow, name, id_number, &error));
  g_assert_true (ck_flow_set_signature (flow, signature, &error));
  record = ck_flow_save (flow, NULL, &error);
  g_assert_no_error (error);

  return record;
}

/**
 * ck_ui_read_letter:
 *
 * On the letter page: turns the wheel over the letter (real X input) until
 * the agreements unlock, and taps both.
 */
void
ck_ui_read_letter (CkWindow *window)
{
  GtkCheckButton *letter, *declaration;
  GtkWidget *view = ck_ui_find_descendant (ck_ui_page (window, "letter"), GTK_TYPE_SCROLLED_WINDOW);

  ck_ui_letter_checks (window, &letter, &declaration);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  for (guint i = 0; i < 40 && !gtk_widget_get_sensitive (GTK_WIDGET (letter)); i++)
    ck_ui_scroll (view, 10);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (declaration)));

  ck_ui_tap (GTK_WIDGET (letter));
  ck_ui_tap (GTK_WIDGET (declaration));
  g_assert_true (gtk_check_button_get_active (letter));
  g_assert_true (gtk_check_button_get_active (declaration));
}

/**
 * ck_ui_tap_until:
 * @widget: what to tap: a control a second tap leaves as the first did
 *   (a button of a group already active, say)
 * @condition: what the tap brings about
 *
 * ck_ui_tap(), then waits for @condition; tapped again (three taps at
 * most) if it has not come after @seconds. Under a loaded ASan build a tap
 * on a dialog that has just grown was seen to go nowhere once in many runs
 * (the pointer moved and clicked while the X server still had the old
 * size); each retry is logged, so that it shows in the test's log. Fails
 * the test, naming @what, if the third tap brings nothing either.
 */
void
ck_ui_tap_until (GtkWidget     *widget,
                 CkUiCondition  condition,
                 gpointer       data,
                 double         seconds,
                 const char    *what)
{
  for (guint tap = 1; tap <= 3; tap++)
    {
      gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * CK_UI_TEST_PATIENCE * G_USEC_PER_SEC);
      guint waker;

      ck_ui_tap (widget);
      waker = g_timeout_add (20, wake, NULL);
      while (!condition (data) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (waker);
      if (condition (data))
        return;
      g_test_message ("tap %u brought nothing after %.0f s (%s): tapping again", tap,
                      seconds * CK_UI_TEST_PATIENCE, what);
    }
  g_error ("three taps brought nothing: %s", what);
}
