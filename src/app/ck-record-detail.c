/* ck-record-detail.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One stored consent, for staff: its fields with the ID number masked,
 * where its verification stands and every attempt, its withdrawal if the
 * customer withdrew it, and the first page of the signed PDF (rendered by
 * poppler in a worker thread). Staff can show the whole ID number for
 * 30 seconds (recorded in the event log first, under the operator's name),
 * reprint the stored PDF (checked against its hash first), retry the
 * verification (another paid call needs a confirmation), and record a
 * withdrawal. Failures are shown in the widget; nothing is lost.
 *
 * The store and the verification queue are used from the main thread
 * only, as everywhere in the app; the preview's worker reads the PDF
 * file, which touches no database.
 *
 * One file a job, sharing ck-record-detail-impl.h: this one holds the
 * type, the helpers the others use, the actions' state and the consent's
 * fields; ck-record-detail-reveal.c the ID number, -verification.c where
 * the verification stands and retrying it, -withdrawal.c the withdrawal,
 * -preview.c the first page of the PDF, -reprint.c printing it again. */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-record-detail-impl.h"

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkRecordDetail, ck_record_detail, ADW_TYPE_BIN)

/* --- small helpers ------------------------------------------------------------------ */

/* @iso (ISO 8601, UTC) in local time, as staff read it. */
char *
_ck_record_detail_format_local_time (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("—");
  if (!(utc = g_date_time_new_from_iso8601 (iso, NULL)) || !(local = g_date_time_to_local (utc)))
    return g_strdup (iso);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

void
_ck_record_detail_set_row_value (AdwActionRow *row,
                                 const char   *value)
{
  adw_action_row_set_subtitle (row, value && value[0] ? value : "—");
}

gboolean
_ck_record_detail_is_withdrawn (CkRecordDetail *self)
{
  return self->withdrawal != NULL ||
         (self->verification && self->verification->state == CK_VERIFY_STATE_WITHDRAWN);
}

gboolean
_ck_record_detail_has_operator (CkRecordDetail *self)
{
  return self->operator_name != NULL && self->operator_name[0] != '\0';
}

const char *
_ck_record_detail_no_operator_text (void)
{
  return _("Enter your name as the operator first: it is recorded with this action.");
}

GtkWindow *
_ck_record_detail_parent_window (CkRecordDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A message under the actions: what happened, what is running, or what
 * went wrong; %NULL hides it. */
void
_ck_record_detail_show_status (CkRecordDetail *self,
                               StatusKind      kind,
                               const char     *message)
{
  GtkWidget *box = GTK_WIDGET (self->status_box);

  gtk_widget_set_visible (box, message != NULL);
  gtk_label_set_text (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), kind == STATUS_BUSY);
  gtk_spinner_set_spinning (self->status_spinner, kind == STATUS_BUSY && message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), kind != STATUS_BUSY);
  gtk_image_set_from_icon_name (self->status_icon, kind == STATUS_ERROR ? "dialog-error-symbolic"
                                                                        : "emblem-ok-symbolic");
  if (kind == STATUS_ERROR)
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
}

/* --- showing the consent -------------------------------------------------------------- */

/* Which actions make sense now, and why the others do not. */
void
_ck_record_detail_update_actions (CkRecordDetail *self)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  gboolean have = self->record != NULL;
  gboolean withdrawn = _ck_record_detail_is_withdrawn (self);
  gboolean enabled = self->queue != NULL && ck_verify_queue_is_enabled (self->queue);
  const char *no_operator = _ck_record_detail_no_operator_text ();
  const char *retry_reason = NULL;
  const char *reveal_reason = NULL;
  const char *withdraw_reason = NULL;

  if (have && !_ck_record_detail_has_operator (self))
    reveal_reason = withdraw_reason = no_operator;
  if (have && withdrawn)
    {
      retry_reason = _("A withdrawn consent is not verified any more.");
      withdraw_reason = _("The withdrawal is already recorded.");
    }
  else if (have && !enabled)
    retry_reason = _("Verification is turned off in the configuration ([verification] "
                     "provider = none).");
  else if (have && self->verifying)
    withdraw_reason = _("Wait until the verification finishes.");

  gtk_widget_set_sensitive (GTK_WIDGET (self->reveal_button),
                            have && (self->revealed || reveal_reason == NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button), reveal_reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reprint_button), have && !self->printing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button),
                            have && retry_reason == NULL && !self->verifying);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button), retry_reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->withdraw_button), have && withdraw_reason == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->withdraw_button), withdraw_reason);

  /* The reasons in words too: a tooltip is no use on a touchscreen. */
  if (retry_reason)
    g_string_append (reasons, retry_reason);
  if (reveal_reason && !self->revealed)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "\n" : "", reveal_reason);
  if (withdraw_reason && withdraw_reason != reveal_reason && withdraw_reason != retry_reason &&
      !withdrawn)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "\n" : "", withdraw_reason);
  gtk_label_set_text (self->reasons_label, reasons->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons->len > 0);
}

static void
show_fields (CkRecordDetail *self)
{
  const CkConsentRecord *r = self->record;
  g_autofree char *created = NULL;

  if (r == NULL)
    {
      gtk_label_set_text (self->name_label, _("Unreadable consent"));
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
      _ck_record_detail_show_id_number (self);
      _ck_record_detail_set_row_value (self->name_method_row, NULL);
      _ck_record_detail_set_row_value (self->id_method_row, NULL);
      _ck_record_detail_set_row_value (self->sign_date_row, NULL);
      _ck_record_detail_set_row_value (self->created_row, NULL);
      _ck_record_detail_set_row_value (self->kiosk_row, NULL);
      _ck_record_detail_set_row_value (self->org_row, NULL);
      _ck_record_detail_set_row_value (self->business_row, NULL);
      _ck_record_detail_set_row_value (self->purpose_row, NULL);
      _ck_record_detail_set_row_value (self->uuid_row, self->uuid);
      _ck_record_detail_set_row_value (self->seal_row, NULL);
      return;
    }

  created = _ck_record_detail_format_local_time (r->created_at);
  gtk_label_set_text (self->name_label, r->name);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label),
                          r->demo || (self->verification && self->verification->demo));
  _ck_record_detail_show_id_number (self);
  /* "Not recorded" for a consent stored before schema 10. */
  _ck_record_detail_set_row_value (self->name_method_row, ck_entry_method_describe (r->name_method));
  _ck_record_detail_set_row_value (self->id_method_row, ck_entry_method_describe (r->id_method));
  _ck_record_detail_set_row_value (self->sign_date_row, r->sign_date);
  _ck_record_detail_set_row_value (self->created_row, created);
  _ck_record_detail_set_row_value (self->kiosk_row, r->kiosk_id);
  _ck_record_detail_set_row_value (self->org_row, r->org_name);
  _ck_record_detail_set_row_value (self->business_row, r->org_business);
  _ck_record_detail_set_row_value (self->purpose_row, r->org_purpose);
  _ck_record_detail_set_row_value (self->uuid_row, r->uuid);
}

/* Reads the consent, its verification and its withdrawal again; a part
 * that cannot be read is said so, and the rest is still shown. */
void
_ck_record_detail_reload (CkRecordDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) verification_error = NULL;
  g_autoptr(GError) withdrawal_error = NULL;

  g_clear_pointer (&self->record, ck_consent_record_free);
  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_pointer (&self->withdrawal, ck_store_event_free);
  g_clear_pointer (&self->verification_error, g_free);

  if (!(self->record = ck_store_lookup (self->store, self->uuid, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("This consent cannot be read: %s"),
                                                  error->message);

      g_warning ("Consent %s cannot be read: %s", self->uuid, error->message);
      _ck_record_detail_show_status (self, STATUS_ERROR, message);
    }
  else
    {
      if (!(self->verification = ck_verify_queue_lookup (self->queue, self->uuid,
                                                         &verification_error)))
        self->verification_error = g_strdup (verification_error->message);
      self->withdrawal = ck_store_lookup_withdrawal (self->store, self->uuid, &withdrawal_error);
      if (withdrawal_error)
        {
          g_autofree char *message = g_strdup_printf (_("Whether this consent was withdrawn "
                                                        "cannot be read: %s"),
                                                      withdrawal_error->message);

          _ck_record_detail_show_status (self, STATUS_ERROR, message);
        }
    }

  show_fields (self);
  _ck_record_detail_show_verification (self);
  _ck_record_detail_show_withdrawal (self);
  _ck_record_detail_update_actions (self);
}

/* --- the type ------------------------------------------------------------------------- */

void
_ck_record_detail_emit_changed (CkRecordDetail *self,
                                const char     *uuid)
{
  g_signal_emit (self, signals[CHANGED], 0, uuid);
}

static void
ck_record_detail_unmap (GtkWidget *widget)
{
  CkRecordDetail *self = CK_RECORD_DETAIL (widget);

  /* Nobody looks: the number goes. */
  _ck_record_detail_mask_id_number (self);

  GTK_WIDGET_CLASS (ck_record_detail_parent_class)->unmap (widget);
}

static void
ck_record_detail_dispose (GObject *object)
{
  CkRecordDetail *self = (CkRecordDetail *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  /* AdwBin unparents its child in its own dispose: it goes first, or the
   * template's disposal leaves AdwBin a dangling child. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_RECORD_DETAIL);
  g_clear_object (&self->queue);
  g_clear_object (&self->store);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_record_detail_parent_class)->dispose (object);
}

static void
ck_record_detail_finalize (GObject *object)
{
  CkRecordDetail *self = (CkRecordDetail *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->record, ck_consent_record_free);
  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_pointer (&self->withdrawal, ck_store_event_free);
  g_clear_pointer (&self->verification_error, g_free);

  G_OBJECT_CLASS (ck_record_detail_parent_class)->finalize (object);
}

static void
ck_record_detail_class_init (CkRecordDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_record_detail_dispose;
  object_class->finalize = ck_record_detail_finalize;
  widget_class->unmap = ck_record_detail_unmap;

  /**
   * CkRecordDetail::changed:
   * @uuid: the consent
   *
   * A withdrawal or a verification changed the stored consent: lists
   * showing it should read it again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-record-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, demo_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, header_id_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reveal_content);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reprint_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_box);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawal_group);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawn_at_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawn_by_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawal_note_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, id_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, name_method_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, id_method_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, sign_date_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, seal_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, kiosk_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, org_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, business_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, uuid_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, verification_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, verification_icon);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, attempts_list);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_message);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_reveal_clicked",
                                                G_CALLBACK (_ck_record_detail_on_reveal_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_reprint_clicked",
                                                G_CALLBACK (_ck_record_detail_on_reprint_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_retry_clicked",
                                                G_CALLBACK (_ck_record_detail_on_retry_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_withdraw_clicked",
                                                G_CALLBACK (_ck_record_detail_on_withdraw_clicked));
  gtk_widget_class_set_css_name (widget_class, "recorddetail");
}

static void
ck_record_detail_init (CkRecordDetail *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_record_detail_new:
 * @store: the consents
 * @queue: their verification
 * @config: the kiosk's configuration (the printer)
 *
 * Returns: (transfer full): a detail showing no consent yet
 */
CkRecordDetail *
ck_record_detail_new (CkStore       *store,
                      CkVerifyQueue *queue,
                      CkConfig      *config)
{
  CkRecordDetail *self;

  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (queue), NULL);
  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);

  self = g_object_new (CK_TYPE_RECORD_DETAIL, NULL);
  self->store = g_object_ref (store);
  self->queue = g_object_ref (queue);
  self->config = g_object_ref (config);
  _ck_record_detail_update_actions (self);

  return self;
}

/**
 * ck_record_detail_set_consent:
 * @uuid: (nullable): the consent to show; %NULL shows none
 *
 * Shows @uuid's consent: its fields, verification and withdrawal at
 * once, the preview as soon as it is rendered. A whole ID number shown
 * is masked again.
 */
void
ck_record_detail_set_consent (CkRecordDetail *self,
                              const char     *uuid)
{
  g_return_if_fail (CK_IS_RECORD_DETAIL (self));
  /* Made by ck_record_detail_new(), which gives it the store. */
  g_return_if_fail (self->store != NULL);

  _ck_record_detail_mask_id_number (self);
  _ck_record_detail_show_status (self, STATUS_INFO, NULL);
  g_free (self->uuid);
  self->uuid = g_strdup (uuid);

  if (uuid == NULL)
    {
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
      gtk_picture_set_paintable (self->preview_picture, NULL);
      g_clear_pointer (&self->record, ck_consent_record_free);
      g_clear_pointer (&self->verification, ck_verification_free);
      g_clear_pointer (&self->withdrawal, ck_store_event_free);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      _ck_record_detail_update_actions (self);
      return;
    }

  _ck_record_detail_reload (self);
  _ck_record_detail_start_preview (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
  gtk_stack_set_visible_child_name (self->stack, "detail");
}

/**
 * ck_record_detail_get_consent:
 *
 * Returns: (nullable): the consent shown
 */
const char *
ck_record_detail_get_consent (CkRecordDetail *self)
{
  g_return_val_if_fail (CK_IS_RECORD_DETAIL (self), NULL);

  return self->uuid;
}

/**
 * ck_record_detail_set_operator:
 * @operator_name: (nullable): who is at the desk; recorded with a reveal
 *   or a withdrawal, which need one
 */
void
ck_record_detail_set_operator (CkRecordDetail *self,
                               const char     *operator_name)
{
  g_return_if_fail (CK_IS_RECORD_DETAIL (self));

  g_free (self->operator_name);
  self->operator_name = operator_name ? g_strstrip (g_strdup (operator_name)) : NULL;
  _ck_record_detail_update_actions (self);
}

