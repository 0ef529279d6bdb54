/* ck-staff-window-seal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Above the list: whether consents are sealed (docs/SEALING.md), how many
 * wait for a seal or a trusted time, when the chain was last anchored, and
 * a button that anchors it now. Counted in a thread, as the usage is. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

typedef struct
{
  guint n_seal;
  guint n_timestamp;
  gint64 head_seq;
  gint64 anchored_seq;
  char *anchored_at;
} SealState;

static void
seal_state_free (SealState *state)
{
  g_free (state->anchored_at);
  g_free (state);
}

static void
seal_state_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CkStaffWindow *self = source_object;
  SealState *state = g_new0 (SealState, 1);
  g_autofree char *head_hash = NULL;
  GError *error = NULL;

  if (!ck_store_count_seal_jobs (self->store, &state->n_seal, &state->n_timestamp, &error) ||
      !ck_store_get_anchor_state (self->store, &state->head_seq, &head_hash, &state->anchored_seq, NULL,
                                  &state->anchored_at, &error))
    {
      seal_state_free (state);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, state, (GDestroyNotify)seal_state_free);
}

/* "2026-12-07T10:30:00.123Z" as the kiosk's local time, to the minute. */
static char *
format_local (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso8601);
}

static void
on_seal_state (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) setup_error = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  SealState *state;
  gboolean warn = FALSE;

  if (!(state = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->seal_label, error->message);
      return;
    }

  seal = ck_seal_queue_dup_seal (self->seal_queue);
  setup_error = ck_seal_queue_dup_setup_error (self->seal_queue);
  if (seal)
    g_string_append_printf (text, _("Sealed by %s."), ck_seal_get_signer (seal));
  else
    {
      g_string_append_printf (text, _("The seal cannot be used: %s"),
                              setup_error ? setup_error->message : _("not loaded yet."));
      warn = TRUE;
    }

  if (state->n_seal > 0 || state->n_timestamp > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Waiting: %u to seal, %u to timestamp."), state->n_seal, state->n_timestamp);
      warn = TRUE;
    }

  g_string_append_c (text, ' ');
  if (state->anchored_seq > 0)
    {
      g_autofree char *at = format_local (state->anchored_at);

      g_string_append_printf (text, _("Chain last anchored %s."), at);
    }
  else if (state->head_seq > 0)
    g_string_append (text, _("The chain is not anchored yet."));

  gtk_label_set_text (self->seal_label, text->str);
  gtk_widget_set_visible (self->seal_icon, warn);
  if (warn)
    gtk_widget_add_css_class (self->seal_box, "warning");
  else
    gtk_widget_remove_css_class (self->seal_box, "warning");
  seal_state_free (state);
}

/* Shows whether consents are sealed; with a sealing queue, what waits. */
void
_ck_staff_window_show_seal (CkStaffWindow *self)
{
  g_autoptr(GTask) task = NULL;

  gtk_widget_set_visible (self->seal_box, TRUE);
  if (!ck_config_get_signing_configured (self->config))
    {
      gtk_label_set_text (self->seal_label,
                          _("Consents are not sealed: their PDFs carry no electronic seal "
                            "([signing] is not configured)."));
      gtk_widget_set_visible (self->seal_icon, TRUE);
      gtk_widget_set_visible (self->anchor_button, FALSE);
      gtk_widget_add_css_class (self->seal_box, "warning");
      return;
    }

  gtk_widget_set_visible (self->anchor_button, self->seal_queue != NULL);
  if (self->seal_queue == NULL)
    {
      gtk_label_set_text (self->seal_label, _("Consents are sealed."));
      gtk_widget_set_visible (self->seal_icon, FALSE);
      return;
    }

  task = g_task_new (self, self->cancellable, on_seal_state, NULL);
  g_task_set_source_tag (task, _ck_staff_window_show_seal);
  g_task_run_in_thread (task, seal_state_thread);
}

static void
on_anchored (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CkStaffWindow) self = user_data;
  g_autoptr(CkSealRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  gtk_widget_set_sensitive (self->anchor_button, TRUE);
  run = ck_seal_queue_run_finish (CK_SEAL_QUEUE (object), result, &error);
  if (run == NULL)
    message = g_strdup (error->message);
  else if (run->anchor_error)
    message = g_strdup_printf (_("The chain was not anchored: %s"), run->anchor_error);
  else if (run->failed > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u consent could not be sealed or timestamped: %s",
                                            "%u consents could not be sealed or timestamped: %s",
                                            run->failed),
                               run->failed, run->first_error);
  else if (run->anchored)
    message = g_strdup (_("The chain is anchored: sealed, with a trusted time."));
  else
    message = g_strdup (_("The chain was already anchored; nothing waits."));

  g_message ("Staff asked to anchor the chain: %s", message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  _ck_staff_window_show_seal (self);
}

void
_ck_staff_window_on_anchor_clicked (CkStaffWindow *self)
{
  if (self->seal_queue == NULL)
    return;

  gtk_widget_set_sensitive (self->anchor_button, FALSE);
  ck_seal_queue_run_async (self->seal_queue, CK_SEAL_RUN_ALL_JOBS | CK_SEAL_RUN_ANCHOR_NOW,
                           self->cancellable, on_anchored, g_object_ref (self));
}
