/* ck-staff-window-input.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Typing in the records window without a keyboard: the dash a date's
 * digits bring, the on-screen input (CkNameInput or CkKeypad) for the
 * field with the focus, and the calendars beside the dates. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ck-staff-window-impl.h"

/* The keypad has no dash: a digit typed at the end of a year or a month
 * brings the dash YYYY-MM-DD wants. Typing the dash works as before. */
void
_ck_staff_window_on_date_insert_text (GtkEditable *editable,
                                      const char  *text,
                                      int          length,
                                      int         *position,
                                      gpointer     user_data)
{
  const char *current = gtk_editable_get_text (editable);
  int n = (int)strlen (current);
  char with_dash[3] = { '-', text[0], '\0' };

  if (length < 0)
    length = (int)strlen (text);
  if (length != 1 || !g_ascii_isdigit (text[0]) || *position != n || (n != 4 && n != 7) ||
      strspn (current, "0123456789") != 4 || (n == 7 && current[4] != '-'))
    return;

  g_signal_handlers_block_by_func (editable, _ck_staff_window_on_date_insert_text, user_data);
  gtk_editable_insert_text (editable, with_dash, 2, position);
  g_signal_handlers_unblock_by_func (editable, _ck_staff_window_on_date_insert_text, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

/* --- the on-screen input ------------------------------------------------------ */

static gboolean
has_focus_in (GtkWidget *focus,
              gpointer   entry)
{
  return focus == entry || gtk_widget_is_ancestor (focus, entry);
}

/* Shows the input for the field with the focus; focus anywhere else
 * leaves it as it is. */
void
_ck_staff_window_on_focus_changed (CkStaffWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkEditable *date = NULL;

  if (focus == NULL)
    return;

  if (has_focus_in (focus, self->search_entry))
    {
      gboolean digits = gtk_toggle_button_get_active (self->digits_toggle);

      ck_keypad_set_editable (self->keypad, GTK_EDITABLE (self->search_entry));
      ck_keypad_set_show_x (self->keypad, TRUE);
      gtk_widget_set_visible (self->search_modes, TRUE);
      gtk_stack_set_visible_child_name (self->input_stack, digits ? "digits" : "chinese");
      return;
    }

  if (has_focus_in (focus, self->since_entry))
    date = GTK_EDITABLE (self->since_entry);
  else if (has_focus_in (focus, self->until_entry))
    date = GTK_EDITABLE (self->until_entry);
  if (date == NULL)
    return;

  ck_keypad_set_editable (self->keypad, date);
  ck_keypad_set_show_x (self->keypad, FALSE);
  gtk_widget_set_visible (self->search_modes, FALSE);
  gtk_stack_set_visible_child_name (self->input_stack, "digits");
}

/* 汉字 or 数字 for the search; the search keeps the focus. */
void
_ck_staff_window_on_search_mode_toggled (CkStaffWindow   *self,
                                         GtkToggleButton *toggle)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  gtk_stack_set_visible_child_name (self->input_stack,
                                    toggle == self->digits_toggle ? "digits" : "chinese");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- the calendars ------------------------------------------------------------- */

/* The popover opens on the entry's date, or today. */
static void
show_date_in (CkStaffWindow *self,
              GtkEntry      *entry,
              GtkCalendar   *calendar)
{
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;

  if (_ck_staff_window_read_date (entry, &date) == DATE_VALID &&
      sscanf (date, "%4d-%2d-%2d", &year, &month, &mday) == 3)
    day = g_date_time_new_local (year, month, mday, 0, 0, 0);
  if (day == NULL)
    day = g_date_time_new_now_local ();

  self->syncing_calendar = TRUE;
  gtk_calendar_select_day (calendar, day);
  self->syncing_calendar = FALSE;
}

/* A day tapped: it is the date, and the list shows it at once. */
static void
date_picked (CkStaffWindow *self,
             GtkEntry      *entry,
             GtkCalendar   *calendar,
             GtkPopover    *popover)
{
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *text = NULL;

  if (self->syncing_calendar)
    return;

  day = gtk_calendar_get_date (calendar);
  text = g_date_time_format (day, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_popover_popdown (popover);
  _ck_staff_window_run_query (self);
}

static void
date_cleared (CkStaffWindow *self,
              GtkEntry      *entry,
              GtkPopover    *popover)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_popover_popdown (popover);
  _ck_staff_window_run_query (self);
}

void
_ck_staff_window_on_since_popover_show (CkStaffWindow *self)
{
  show_date_in (self, self->since_entry, self->since_calendar);
}

void
_ck_staff_window_on_until_popover_show (CkStaffWindow *self)
{
  show_date_in (self, self->until_entry, self->until_calendar);
}

void
_ck_staff_window_on_since_day_selected (CkStaffWindow *self)
{
  date_picked (self, self->since_entry, self->since_calendar, self->since_popover);
}

void
_ck_staff_window_on_until_day_selected (CkStaffWindow *self)
{
  date_picked (self, self->until_entry, self->until_calendar, self->until_popover);
}

void
_ck_staff_window_on_since_cleared (CkStaffWindow *self)
{
  date_cleared (self, self->since_entry, self->since_popover);
}

void
_ck_staff_window_on_until_cleared (CkStaffWindow *self)
{
  date_cleared (self, self->until_entry, self->until_popover);
}
