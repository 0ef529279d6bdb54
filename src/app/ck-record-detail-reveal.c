/* ck-record-detail-reveal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record detail's ID number: masked, or whole for REVEAL_SECONDS once
 * the reveal is recorded in the event log under the operator's name. */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-kiosk-dialog.h"
#include "ck-record-detail-impl.h"

/* How long the whole ID number stays on screen. */
#define REVEAL_SECONDS 30

void
_ck_record_detail_show_id_number (CkRecordDetail *self)
{
  g_autofree char *masked = NULL;
  g_autofree char *header = NULL;

  if (self->record == NULL)
    {
      _ck_record_detail_set_row_value (self->id_row, NULL);
      gtk_label_set_text (self->header_id_label, "");
      return;
    }

  masked = ck_idcard_mask_number (self->record->id_number);
  /* TRANSLATORS: the ID number under the customer's name */
  header = g_strdup_printf (_("ID %s"), self->revealed ? self->record->id_number : masked);
  gtk_label_set_text (self->header_id_label, header);
  _ck_record_detail_set_row_value (self->id_row, self->revealed ? self->record->id_number : masked);

  adw_button_content_set_label (self->reveal_content, self->revealed ? _("Hide ID Number")
                                                                     : _("Show Full ID Number"));
  adw_button_content_set_icon_name (self->reveal_content, self->revealed ? "view-conceal-symbolic"
                                                                         : "view-reveal-symbolic");
  if (self->revealed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "revealed");
      gtk_widget_add_css_class (GTK_WIDGET (self->header_id_label), "revealed");
      gtk_widget_remove_css_class (GTK_WIDGET (self->header_id_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "revealed");
      gtk_widget_remove_css_class (GTK_WIDGET (self->header_id_label), "revealed");
      gtk_widget_add_css_class (GTK_WIDGET (self->header_id_label), "dim-label");
    }
}

void
_ck_record_detail_mask_id_number (CkRecordDetail *self)
{
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  if (!self->revealed)
    return;

  self->revealed = FALSE;
  _ck_record_detail_show_id_number (self);
  _ck_record_detail_update_actions (self);
}

static gboolean
on_reveal_timeout (gpointer user_data)
{
  CkRecordDetail *self = user_data;

  self->reveal_source = 0;
  _ck_record_detail_mask_id_number (self);

  return G_SOURCE_REMOVE;
}

/* Records the reveal first; shows the number only once that worked. */
static void
reveal_id_number (CkRecordDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->record == NULL || !_ck_record_detail_has_operator (self))
    return;

  if (!ck_store_record_reveal (self->store, self->record->uuid, self->operator_name,
                               "staff window", &error))
    {
      g_warning ("Revealing the ID number of consent %s was refused: %s",
                 self->record->uuid, error->message);
      message = g_strdup_printf (_("The full ID number is not shown: the audit log could not "
                                   "record it. %s"), error->message);
      _ck_record_detail_show_status (self, STATUS_ERROR, message);
      return;
    }

  g_message ("The full ID number of consent %s was shown to %s", self->record->uuid,
             self->operator_name);
  self->revealed = TRUE;
  self->reveal_source = g_timeout_add_seconds (REVEAL_SECONDS, on_reveal_timeout, self);
  _ck_record_detail_show_id_number (self);
  message = g_strdup_printf (ngettext ("The full ID number is shown for %d second; this was "
                                       "recorded in the audit log.",
                                       "The full ID number is shown for %d seconds; this was "
                                       "recorded in the audit log.", REVEAL_SECONDS),
                             REVEAL_SECONDS);
  _ck_record_detail_show_status (self, STATUS_INFO, message);
  _ck_record_detail_update_actions (self);
}

static void
on_reveal_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");

  /* Only for the consent the question was about. */
  if (!g_str_equal (response, "reveal") || g_strcmp0 (uuid, self->uuid) != 0)
    return;
  if (!_ck_record_detail_has_operator (self))
    _ck_record_detail_show_status (self, STATUS_ERROR, _ck_record_detail_no_operator_text ());
  else
    reveal_id_number (self);
}

void
_ck_record_detail_on_reveal_clicked (CkRecordDetail *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->revealed)
    {
      _ck_record_detail_mask_id_number (self);
      _ck_record_detail_show_status (self, STATUS_INFO, NULL);
      return;
    }
  if (self->record == NULL || !_ck_record_detail_has_operator (self))
    return;

  body = g_strdup_printf (ngettext ("The whole ID number of %s will be shown for %d second. "
                                    "This is recorded in the audit log under your name, %s.",
                                    "The whole ID number of %s will be shown for %d seconds. "
                                    "This is recorded in the audit log under your name, %s.",
                                    REVEAL_SECONDS),
                          self->record->name, REVEAL_SECONDS, self->operator_name);
  dialog = ck_kiosk_dialog_new (_ck_record_detail_parent_window (self),
                                _("Show the Full ID Number?"), body);
  ck_kiosk_dialog_add_responses (dialog,
                                 "cancel", _("Cancel"),
                                 "reveal", _("Show and Record"),
                                 NULL);
  adw_message_dialog_set_response_appearance (dialog, "reveal", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reveal_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
