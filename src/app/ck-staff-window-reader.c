/* ck-staff-window-reader.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The staff window's line about the ID card reader (issue 18): whether it
 * answers, with its SAM id, or the reader's own message for what is wrong
 * (device missing, permission, not answering…), and the last trouble the
 * details page met. Checked when the window opens and with Check Reader. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CkStaffWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *text = NULL;
  const char *device = ck_card_reader_get_device (CK_CARD_READER (object));

  sam = ck_card_reader_status_finish (CK_CARD_READER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->reader_spinner);
  gtk_widget_set_sensitive (self->reader_button, TRUE);
  if (sam)
    {
      const GError *last = ck_card_reader_get_error (CK_CARD_READER (object));

      /* Translators: the first %s is the reader's device, the second its SAM's id */
      text = g_strdup_printf (_("ID card reader %s: working, SAM %s."), device, sam);
      if (last)
        {
          g_autofree char *with_last = NULL;

          /* Translators: %s is a reading's trouble, e.g. "The card was moved…" */
          with_last = g_strdup_printf (_("%s Last trouble reading a card: %s"), text, last->message);
          g_free (text);
          text = g_steal_pointer (&with_last);
        }
      gtk_widget_remove_css_class (self->reader_box, "error");
    }
  else
    {
      /* Translators: the first %s is the reader's device, the second what is wrong */
      text = g_strdup_printf (_("ID card reader %s: %s Customers type their name and number "
                                "until it works."), device, error->message);
      gtk_widget_add_css_class (self->reader_box, "error");
    }
  gtk_label_set_text (self->reader_label, text);
}

/* Check Reader, and the window's opening. */
void
_ck_staff_window_check_reader (CkStaffWindow *self)
{
  if (self->card_reader == NULL)
    return;

  gtk_spinner_start (self->reader_spinner);
  gtk_widget_set_sensitive (self->reader_button, FALSE);
  gtk_label_set_text (self->reader_label, _("Checking the ID card reader…"));
  ck_card_reader_status_async (self->card_reader, self->cancellable, on_status, g_object_ref (self));
}

/**
 * ck_staff_window_set_card_reader:
 * @reader: (nullable): the kiosk's ID card reader
 *
 * Shows the reader's line, and checks the reader.
 */
void
ck_staff_window_set_card_reader (CkStaffWindow *self,
                                 CkCardReader  *reader)
{
  g_return_if_fail (CK_IS_STAFF_WINDOW (self));
  g_return_if_fail (reader == NULL || CK_IS_CARD_READER (reader));

  g_set_object (&self->card_reader, reader);
  gtk_widget_set_visible (self->reader_box, reader != NULL);
  _ck_staff_window_check_reader (self);
}

/**
 * ck_staff_window_get_reader_text:
 *
 * Returns: what the reader's line says (for tests)
 */
const char *
ck_staff_window_get_reader_text (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return gtk_label_get_text (self->reader_label);
}
