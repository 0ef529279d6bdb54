/* ck-staff-window-closing.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How the records window is left: its Close button, or by itself after
 * the idle timeout, with the dialogs it opened. Input in the window and
 * in its dialogs counts as use, and so does an export that runs: the
 * window never closes under one (its end restarts the count, so that
 * staff can read where the file went); in kiosk mode the keys that would
 * leave are swallowed and the window goes back to full screen. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include "ck-staff-window-impl.h"
#include "ck-window.h"

/* Closes the window, and the dialogs it opened: everything staff saw
 * goes with it. */
static void
close_now (CkStaffWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, g_object_ref (toplevel));
    }
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (dialogs->pdata[i]);

  self->closing_allowed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

void
_ck_staff_window_on_close_clicked (CkStaffWindow *self)
{
  g_message ("Staff closed the records");
  close_now (self);
}

static gboolean
on_input_event (CkStaffWindow *self,
                GdkEvent      *event)
{
  switch ((int)gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_MOTION_NOTIFY:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_SCROLL:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      self->last_input_us = g_get_monotonic_time ();
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Input anywhere in @window counts, before any widget sees it. */
void
_ck_staff_window_watch_input (CkStaffWindow *self,
                              GtkWidget     *window)
{
  GtkEventController *controller;

  if (g_object_get_qdata (G_OBJECT (window), _ck_staff_window_watched_quark))
    return;

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_input_event), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (window, controller);
  g_object_set_qdata (G_OBJECT (window), _ck_staff_window_watched_quark, GINT_TO_POINTER (TRUE));
}

/* Whether a window of ours (a dialog of the detail, the file chooser) is
 * up; input there counts too. */
static gboolean
watch_dialogs (CkStaffWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean any = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        {
          _ck_staff_window_watch_input (self, GTK_WIDGET (toplevel));
          any = TRUE;
        }
    }

  return any;
}

gboolean
_ck_staff_window_on_idle_tick (gpointer user_data)
{
  CkStaffWindow *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_input_us;

  watch_dialogs (self);
  if (self->n_exports > 0)
    {
      self->last_input_us = g_get_monotonic_time ();
      return G_SOURCE_CONTINUE;
    }
  if (idle_us < (gint64)self->idle_timeout_s * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_message ("Nobody used the records for %u s: closing them", self->idle_timeout_s);
  self->idle_source = 0;
  close_now (self);

  return G_SOURCE_REMOVE;
}

gboolean
_ck_staff_window_on_key_pressed (CkStaffWindow   *self,
                                 guint            keyval,
                                 guint            keycode,
                                 GdkModifierType  state)
{
  if (self->kiosk_mode && ck_window_key_leaves_kiosk (keyval, state))
    return GDK_EVENT_STOP;

  return GDK_EVENT_PROPAGATE;
}

/* Back to full screen in kiosk mode, unless a dialog of ours is up. */
void
_ck_staff_window_on_fullscreened (CkStaffWindow *self)
{
  if (self->kiosk_mode && !self->closing_allowed &&
      !gtk_window_is_fullscreen (GTK_WINDOW (self)) && !watch_dialogs (self))
    gtk_window_fullscreen (GTK_WINDOW (self));
}
