/* ck-record-detail-verification.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record detail's verification: where it stands, every attempt, and
 * verifying again (another paid call needs a confirmation). */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-kiosk-dialog.h"
#include "ck-record-detail-impl.h"

/* --- where it stands ------------------------------------------------------------------ */

/* An attempt's outcome class, as ck_verify_outcome_to_string() names it,
 * in staff's words. */
static const char *
outcome_text (const char *outcome)
{
  static const struct {
    const char *outcome;
    const char *text;
  } texts[] = {
    { "in-progress", N_("Running") },
    { "interrupted", N_("Interrupted") },
    { "verified", N_("Verified") },
    { "not-matched", N_("Not matched") },
    { "undetermined", N_("Undetermined") },
    { "input-rejected", N_("Name or ID number rejected") },
    { "config-fault", N_("Configuration fault") },
    { "provider-fault", N_("Service fault") },
    { "network-fault", N_("Network fault") },
    { "tls-fault", N_("TLS fault") },
  };

  for (guint i = 0; outcome && i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (outcome, texts[i].outcome))
      return _(texts[i].text);

  return outcome ? outcome : "—";
}

static GtkWidget *
attempt_row_new (const CkVerifyAttempt *attempt)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *started = _ck_record_detail_format_local_time (attempt->started_at);
  g_autoptr(GString) subtitle = g_string_new (started);

  /* TRANSLATORS: "Attempt 2: Network fault" */
  title = g_strdup_printf (_("Attempt %u: %s"), attempt->number, outcome_text (attempt->outcome));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  if (attempt->http_status)
    g_string_append_printf (subtitle, " · HTTP %u", attempt->http_status);
  else
    g_string_append_printf (subtitle, " · %s", _("no HTTP answer"));
  /* -1 while it runs, or when it was interrupted */
  if (attempt->duration_ms >= 0)
    {
      g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, attempt->duration_ms);
      g_autofree char *took = g_strdup_printf (_("%s ms"), duration);

      g_string_append_printf (subtitle, " · %s", took);
    }
  if (attempt->request_id)
    {
      g_autofree char *request = g_strdup_printf (_("request %s"), attempt->request_id);

      g_string_append_printf (subtitle, " · %s", request);
    }
  if (attempt->demo)
    g_string_append_printf (subtitle, " · %s", _("DEMO"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  return row;
}

static void
show_attempts (CkRecordDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attempts_list))))
    gtk_list_box_remove (self->attempts_list, child);

  if (self->verification == NULL || self->verification->attempts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No attempts yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->attempts_list, row);
      return;
    }

  /* Newest first: the one staff asks about. */
  for (guint i = self->verification->attempts->len; i > 0; i--)
    gtk_list_box_append (self->attempts_list,
                         attempt_row_new (self->verification->attempts->pdata[i - 1]));
}

static void
set_state_badge (CkRecordDetail *self,
                 CkVerifyState   state,
                 const char     *text)
{
  static const char *classes[] = { "success", "error", "warning", "accent", "neutral", "dim-label" };
  const char *css = ck_verify_state_get_style (state);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
  gtk_widget_add_css_class (GTK_WIDGET (self->verification_icon), css);
  gtk_image_set_from_icon_name (self->verification_icon, ck_verify_state_get_icon (state));
  gtk_label_set_text (self->state_label, text);
}

void
_ck_record_detail_show_verification (CkRecordDetail *self)
{
  const CkVerification *v = self->verification;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (v == NULL)
    {
      set_state_badge (self, CK_VERIFY_STATE_UNVERIFIED, _("Unknown"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verification_row), _("Unknown"));
      adw_action_row_set_subtitle (self->verification_row,
                                   self->verification_error ? self->verification_error : "");
      show_attempts (self);
      return;
    }

  set_state_badge (self, v->state, ck_verify_state_get_label (v->state));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verification_row),
                                 ck_verify_state_get_label (v->state));
  if (v->staff_message && v->staff_message[0])
    g_string_append (subtitle, v->staff_message);
  if (!ck_verify_queue_is_enabled (self->queue) && v->state != CK_VERIFY_STATE_WITHDRAWN)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "",
                            _("This kiosk does not verify identities online."));
  if (v->next_attempt_ms > 0 && v->state != CK_VERIFY_STATE_WITHDRAWN)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (v->next_attempt_ms / 1000);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

      if (when)
        {
          g_autofree char *next = g_strdup_printf (_("Next automatic attempt: %s"), when);

          g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "", next);
        }
    }
  adw_action_row_set_subtitle (self->verification_row, subtitle->str);
  show_attempts (self);
}

/* --- retry verification --------------------------------------------------------------- */

static void start_verify (CkRecordDetail *self,
                          CkVerifyFlags   flags);

static void
on_again_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");

  if (g_str_equal (response, "verify") && g_strcmp0 (uuid, self->uuid) == 0)
    start_verify (self, CK_VERIFY_AGAIN);
}

/* The service already answered: another call is paid for too. */
static void
ask_verify_again (CkRecordDetail *self,
                  CkVerifyState   state)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("The service already answered for this consent (%s). Verifying "
                            "again makes another call, which is paid for."),
                          ck_verify_state_get_label (state));
  dialog = ck_kiosk_dialog_new (_ck_record_detail_parent_window (self),
                                _("Verify Again?"), body);
  ck_kiosk_dialog_add_responses (dialog,
                                 "cancel", _("Cancel"),
                                 "verify", _("Verify Again"),
                                 NULL);
  adw_message_dialog_set_response_appearance (dialog, "verify", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_again_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  CkRecordDetail *self;
  char *uuid;
} VerifyJob;

static void
verify_job_free (VerifyJob *job)
{
  g_object_unref (job->self);
  g_free (job->uuid);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyJob, verify_job_free)

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VerifyJob) job = user_data;
  CkRecordDetail *self = job->self;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  gboolean current;

  verification = ck_verify_queue_verify_finish (CK_VERIFY_QUEUE (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->verifying = FALSE;
  current = g_strcmp0 (job->uuid, self->uuid) == 0;
  if (current)
    _ck_record_detail_reload (self);
  else
    _ck_record_detail_update_actions (self);

  if (verification == NULL)
    {
      g_warning ("Verifying consent %s again failed: %s", job->uuid, error->message);
      if (!current)
        return;
      if (g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED) &&
          self->verification)
        {
          _ck_record_detail_show_status (self, STATUS_INFO, NULL);
          ask_verify_again (self, self->verification->state);
          return;
        }
      _ck_record_detail_show_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (current)
    {
      g_autofree char *message = g_strdup_printf (_("Verification finished: %s"),
                                                  ck_verify_state_get_label (verification->state));

      _ck_record_detail_show_status (self,
                                     verification->state == CK_VERIFY_STATE_VERIFIED ? STATUS_INFO
                                                                                     : STATUS_ERROR,
                                     message);
    }
  _ck_record_detail_emit_changed (self, job->uuid);
}

static void
start_verify (CkRecordDetail *self,
              CkVerifyFlags   flags)
{
  VerifyJob *job;

  if (self->record == NULL || self->verifying || _ck_record_detail_is_withdrawn (self))
    return;

  job = g_new0 (VerifyJob, 1);
  job->self = g_object_ref (self);
  job->uuid = g_strdup (self->uuid);
  self->verifying = TRUE;
  _ck_record_detail_update_actions (self);
  _ck_record_detail_show_status (self, STATUS_BUSY, _("Verifying with the service…"));
  g_message ("Staff asked to verify consent %s again", self->uuid);
  ck_verify_queue_verify_async (self->queue, self->uuid, flags, self->cancellable,
                                on_verified, job);
}

void
_ck_record_detail_on_retry_clicked (CkRecordDetail *self)
{
  if (self->verification && ck_verify_state_is_answer (self->verification->state))
    ask_verify_again (self, self->verification->state);
  else
    start_verify (self, CK_VERIFY_DEFAULT);
}
