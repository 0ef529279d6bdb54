/* test-kiosk-mode.c: no way out for a customer, a way out for staff
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk with [kiosk] kiosk_mode = true and a staff PIN: the window
 * has no close button and refuses to close, the keys that would leave it
 * do nothing, a wrong PIN unlocks nothing, the right one shows the staff
 * functions, and "quit" closes the kiosk. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-staff-dialog.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)
#define PIN  "246810"

static CkApplication *app;
static char *tmp_dir;

static gboolean
has_staff_dialog (gpointer data)
{
  return ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG) != NULL;
}

static gboolean
is_unlocked (gpointer data)
{
  return ck_staff_dialog_get_unlocked (CK_STAFF_DIALOG (data));
}

static gboolean
pin_refused (gpointer data)
{
  return ck_ui_find_label (GTK_WIDGET (data), T ("Wrong PIN.")) != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL;
}

/* Whether the window's key handler (capture phase) swallows the key. */
static gboolean
key_is_blocked (GtkWidget       *window,
                guint            keyval,
                GdkModifierType  state)
{
  GListModel *controllers = gtk_widget_observe_controllers (window);
  gboolean blocked = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !blocked; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &blocked);
    }
  g_object_unref (controllers);

  return blocked;
}

static void
test_kiosk_mode (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStaffDialog *dialog;

  g_assert_true (ck_window_get_kiosk_mode (window));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (window)));

  /* Closing is refused; so are the keys that would leave. */
  gtk_window_close (GTK_WINDOW (window));
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (key_is_blocked (GTK_WIDGET (window), GDK_KEY_F4, GDK_ALT_MASK));
  g_assert_true (key_is_blocked (GTK_WIDGET (window), GDK_KEY_Escape, 0));
  g_assert_true (key_is_blocked (GTK_WIDGET (window), GDK_KEY_F11, 0));
  g_assert_true (key_is_blocked (GTK_WIDGET (window), GDK_KEY_q, GDK_CONTROL_MASK));
  g_assert_false (key_is_blocked (GTK_WIDGET (window), GDK_KEY_5, 0));

  /* The staff dialog: a wrong PIN unlocks nothing. */
  gtk_widget_activate (ck_ui_find_staff_button (GTK_WIDGET (window)));
  ck_ui_wait_until (has_staff_dialog, NULL, 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), "135791");
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_until (pin_refused, dialog, 10, "the wrong PIN refused");
  g_assert_false (ck_staff_dialog_get_unlocked (dialog));
  g_assert_cmpstr (gtk_editable_get_text (ck_staff_dialog_get_pin (dialog)), ==, "");

  /* The right one shows the staff functions; quitting closes the kiosk. */
  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), PIN);
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_until (is_unlocked, dialog, 10, "the right PIN accepted");
  ck_ui_click (GTK_WIDGET (dialog), T ("Leave Kiosk Mode and Quit"));
  ck_ui_wait_until (window_gone, NULL, 5, "the kiosk closed");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-kiosk-mode-XXXXXX", &error);
  g_assert_no_error (error);
  hash = ck_pin_hash (PIN, CK_PIN_MIN_ITERATIONS, &error);
  g_assert_no_error (error);
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s/data\n"
                              "kiosk_mode = true\n"
                              "staff_pin_hash = %s\n",
                              tmp_dir, hash);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/kiosk-mode/locked", test_kiosk_mode);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
