/* test-window.c: the kiosk window as a customer sees it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-letter-view.h"
#include "ck-staff-dialog.h"
#include "ck-staff-window.h"
#include "ck-welcome-page.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

static gboolean
has_toplevel (gpointer data)
{
  return ck_ui_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
no_staff_window (gpointer data)
{
  return ck_window_get_staff_window (data) == NULL;
}

/* One application for the whole run, registered on the test's own bus. */
static CkApplication *app;

static GtkWindow *
open_window (void)
{
  GtkWindow *window;

  window = ck_ui_present (G_APPLICATION (app));
  g_assert_true (CK_IS_WINDOW (window));

  /* Past the welcome page, to the letter. */
  {
    GtkWidget *welcome = ck_ui_find_descendant (GTK_WIDGET (window), CK_TYPE_WELCOME_PAGE);

    g_assert_nonnull (welcome);
    g_assert_true (gtk_widget_get_mapped (welcome));
    g_signal_emit_by_name (welcome, "next");
    ck_ui_wait_for_frames (GTK_WIDGET (window), 3);
  }

  return window;
}

/* The window shows every block of the letter, in order, and Pango found a
 * glyph for every character. */
static void
test_window_shows_letter (void)
{
  g_autoptr(CkTemplate) template = ck_template_new_default (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWindow *window;
  CkLetterView *view;

  window = open_window ();
  view = CK_LETTER_VIEW (ck_ui_find_descendant (GTK_WIDGET (window), CK_TYPE_LETTER_VIEW));
  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_nonnull (ck_letter_view_get_template (view));

  ck_ui_collect (GTK_WIDGET (view), GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, ==, ck_template_get_n_blocks (template));

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      const char *shown = gtk_label_get_text (label);
      const CkTemplateRun *runs;
      CkTemplateBlockKind kind;
      guint n_runs;

      /* Every literal run, in order. */
      kind = ck_template_get_block (template, i, NULL, NULL);
      runs = ck_template_get_runs (template, i, &n_runs);
      for (guint r = 0; r < n_runs; r++)
        {
          const char *found;

          if (runs[r].field != CK_TEMPLATE_FIELD_NONE)
            continue;
          if (!(found = strstr (shown, runs[r].text)))
            g_error ("block %u shows “%s”, without “%s”", i, shown, runs[r].text);
          shown = found + strlen (runs[r].text);
        }

      if (kind == CK_TEMPLATE_BLOCK_HEADING)
        g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (label)), ==,
                         GTK_ACCESSIBLE_ROLE_HEADING);
      g_assert_cmpint (pango_layout_get_unknown_glyphs_count (gtk_label_get_layout (label)), ==, 0);
    }

  g_assert_cmpstr (gtk_label_get_text (labels->pdata[0]), ==, "个人信息授权书");

  /* The organisation's blanks are filled from the configuration
   * (tests/ui/kiosk.conf); the customer's are still open. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (labels->pdata[1]), "\u2002示例银行股份有限\u2002公司"));
  g_assert_nonnull (strstr (gtk_label_get_text (labels->pdata[2]), "\u2002个人贷款\u2002业务"));
  g_assert_nonnull (strstr (gtk_label_get_text (labels->pdata[2]), "本人 \u3000\u3000\u3000\u3000（"));

  gtk_window_destroy (window);
}

/* Renders the window as the screen shows it and saves it as a PNG: the
 * picture must hold text (dark pixels on a light page), not a blank page. */
static void
test_window_screenshot (void)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GtkWindow *window;
  guint dark = 0, light = 0;
  int width, height;

  window = open_window ();
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);

  path = g_test_build_filename (G_TEST_BUILT, "window-letter.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);
  for (gsize i = 0; i < (gsize)width * height; i++)
    {
      /* Cairo's ARGB32, premultiplied: B, G, R, A in memory. */
      guint luma = (pixels[4 * i] + pixels[4 * i + 1] + pixels[4 * i + 2]) / 3;

      if (luma < 96)
        dark++;
      else if (luma > 200)
        light++;
    }

  g_test_message ("%u dark and %u light pixels of %d", dark, light, width * height);
  /* A page of text: mostly light, with a few per cent of glyph ink. */
  g_assert_cmpuint (light, >, (guint)(width * height / 2));
  g_assert_cmpuint (dark, >, (guint)(width * height / 100));

  gtk_window_destroy (window);
}

/* At a staffed desk (no kiosk mode, no PIN): Ctrl+Alt+R opens the staff
 * dialog, Records waits for a name, and the records window is an
 * ordinary window that closes back to the welcome page. */
static void
test_window_records_shortcut (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "app.records");
  GtkWindow *window = ck_ui_present (G_APPLICATION (app));
  CkStaffDialog *dialog;
  GtkWindow *records;
  GtkWidget *button;

  g_assert_false (ck_window_get_kiosk_mode (CK_WINDOW (window)));
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control><Alt>r");

  g_action_group_activate_action (G_ACTION_GROUP (app), "records", NULL);
  ck_ui_wait_until (has_toplevel, GSIZE_TO_POINTER (CK_TYPE_STAFF_DIALOG), 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  g_assert_true (ck_staff_dialog_get_unlocked (dialog));
  button = GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (dialog),
                                          g_dgettext (GETTEXT_PACKAGE, "Records")));
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (ck_staff_dialog_get_operator (dialog), "   ");
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (ck_staff_dialog_get_operator (dialog), "desk 7");
  g_assert_true (gtk_widget_get_sensitive (button));
  ck_ui_click (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "Records"));

  ck_ui_wait_until (has_toplevel, GSIZE_TO_POINTER (CK_TYPE_STAFF_WINDOW), 10, "the records");
  records = ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW);
  g_assert_cmpstr (ck_staff_window_get_operator (CK_STAFF_WINDOW (records)), ==, "desk 7");
  g_assert_true (gtk_window_get_deletable (records));
  gtk_window_close (records);
  ck_ui_wait_until (no_staff_window, window, 10, "the records closed");
  g_assert_cmpstr (ck_ui_page_name (CK_WINDOW (window)), ==, "welcome");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The application opens the data directory of the user running the
   * test: give it a private one, never the machine's real one. */
  data_home = g_dir_make_tmp ("ck-test-window-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  ck_init ();
  adw_init ();

  app = ck_application_new ();
  {
    g_autoptr(GError) error = NULL;

    g_application_register (G_APPLICATION (app), NULL, &error);
    g_assert_no_error (error);
  }

  g_test_add_func ("/window/shows-letter", test_window_shows_letter);
  g_test_add_func ("/window/screenshot", test_window_screenshot);
  g_test_add_func ("/window/records-shortcut", test_window_records_shortcut);

  status = g_test_run ();

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&app);
  ck_test_rm_rf (data_home);

  return status;
}
