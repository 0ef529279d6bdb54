/* ck-record-detail-withdrawal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record detail's withdrawal: shown when the customer withdrew the
 * consent, and recorded by staff (with an optional note). */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-kiosk-dialog.h"
#include "ck-record-detail-impl.h"

void
_ck_record_detail_show_withdrawal (CkRecordDetail *self)
{
  g_autofree char *at = NULL;
  g_autofree char *note = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->withdrawal_group), self->withdrawal != NULL);
  if (self->withdrawal == NULL)
    return;

  at = _ck_record_detail_format_local_time (self->withdrawal->at);
  note = ck_store_event_dup_note (self->withdrawal);
  _ck_record_detail_set_row_value (self->withdrawn_at_row, at);
  _ck_record_detail_set_row_value (self->withdrawn_by_row, self->withdrawal->operator_name);
  _ck_record_detail_set_row_value (self->withdrawal_note_row, note);
}

static void
on_withdraw_response (AdwMessageDialog *dialog,
                      const char       *response,
                      CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");
  GtkTextView *note_view = g_object_get_data (G_OBJECT (dialog), "note");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (note_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *message = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "withdraw") || g_strcmp0 (uuid, self->uuid) != 0)
    return;
  if (!_ck_record_detail_has_operator (self))
    {
      _ck_record_detail_show_status (self, STATUS_ERROR, _ck_record_detail_no_operator_text ());
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (!ck_store_withdraw (self->store, uuid, self->operator_name, note[0] ? note : NULL, &error))
    {
      g_warning ("The withdrawal of consent %s was not recorded: %s", uuid, error->message);
      message = g_strdup_printf (_("The withdrawal was not recorded: %s"), error->message);
      _ck_record_detail_reload (self);
      _ck_record_detail_show_status (self, STATUS_ERROR, message);
      return;
    }

  g_message ("%s recorded the withdrawal of consent %s", self->operator_name, uuid);
  _ck_record_detail_mask_id_number (self);
  _ck_record_detail_reload (self);
  _ck_record_detail_show_status (self, STATUS_INFO,
                                 _("The withdrawal is recorded. This consent is no longer "
                                   "verified."));
  _ck_record_detail_emit_changed (self, uuid);
}

void
_ck_record_detail_on_withdraw_clicked (CkRecordDetail *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *scrolled, *note;
  g_autofree char *body = NULL;

  if (self->record == NULL || !_ck_record_detail_has_operator (self) ||
      _ck_record_detail_is_withdrawn (self))
    return;

  body = g_strdup_printf (_("Record that %s withdrew this consent. This cannot be undone: the "
                            "consent is kept, marked as withdrawn, and never verified again. "
                            "It is recorded under your name, %s."),
                          self->record->name, self->operator_name);
  dialog = ck_kiosk_dialog_new (_ck_record_detail_parent_window (self),
                                _("Record the Withdrawal?"), body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("Note (optional)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  note = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (note), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (note), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (note), 8);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (note),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), note);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_add_css_class (scrolled, "record-note");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_message_dialog_set_extra_child (dialog, box);

  ck_kiosk_dialog_add_responses (dialog,
                                 "cancel", _("Cancel"),
                                 "withdraw", _("Record Withdrawal"),
                                 NULL);
  adw_message_dialog_set_response_appearance (dialog, "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_object_set_data (G_OBJECT (dialog), "note", note);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_withdraw_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (note);
}
