/* ck-staff-window-sync.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Under the filters, when a central archive is configured ([central]
 * url): where the sync to it stands (the store's sync_state and receipts,
 * read in a thread as the seal bar's are): when it last worked and how
 * many records wait; a warning once it has failed for longer than
 * [central] warn_after_s; an error, asking staff to call IT, when the
 * archive holds a record otherwise than this kiosk (a conflict stops the
 * sync). Sync Now sends what waits and says how it went. Read again when
 * the kiosk's background sync finishes a run and every minute (the
 * warning comes with time alone).
 *
 * The row keeps its size whatever it says: the sync and the usage beside
 * it each have half of it (a homogeneous box), their labels at most three
 * lines (the row reserves them), the icon only changes its name and the
 * spinner is always there, turning or not. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

/* How often the row is read again without a sync finishing. */
#define SYNC_REFRESH_S 60

/* Lines the row's labels may take, reserved. */
#define STATUS_LINES 3

typedef enum
{
  SYNC_LEVEL_OK,
  SYNC_LEVEL_PENDING,
  SYNC_LEVEL_WARNING,
  SYNC_LEVEL_ERROR,
} SyncLevel;

static void
sync_status_free (CkSyncStatus *status)
{
  ck_sync_status_clear (status);
  g_free (status);
}

static void
sync_state_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *data_dir = task_data;
  g_autoptr(CkStore) store = NULL;
  CkSyncStatus *status = g_new0 (CkSyncStatus, 1);
  GError *error = NULL;

  if (!(store = _ck_staff_window_open_reader (data_dir, &error)) ||
      !ck_store_get_sync_status (store, NULL, status, &error))
    {
      g_free (status);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, status, (GDestroyNotify)sync_status_free);
}

/* A time of the sync as the kiosk's local time: "10:42" today, else
 * "2026-12-07 10:42". */
static char *
format_when (const char *iso8601,
             GDateTime  *now)
{
  g_autoptr(GDateTime) utc = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);

  if (local == NULL)
    return g_strdup (iso8601);
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    return g_date_time_format (local, "%H:%M");

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* How long something lasted: minutes under two hours, then hours, then
 * days. */
static char *
format_duration (GTimeSpan span)
{
  guint minutes = (guint)MAX (span / G_TIME_SPAN_MINUTE, 0);
  guint hours = (guint)(span / G_TIME_SPAN_HOUR);
  guint days = (guint)(span / G_TIME_SPAN_DAY);

  if (minutes < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes), minutes);
  if (hours < 48)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours), hours);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", days), days);
}

static char *
format_waiting (gint64 pending)
{
  g_autofree char *n = g_strdup_printf ("%lld", (long long)pending);

  if (pending <= 0)
    return g_strdup (_("nothing waiting"));

  /* Translators: records (consents, events) not yet sent to the central archive */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record waiting", "%s records waiting",
                                       (gulong)MIN (pending, G_MAXULONG)),
                          n);
}

/* What the row says, and how loud. */
static char *
describe (CkStaffWindow       *self,
          const CkSyncStatus  *status,
          SyncLevel           *level)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) failing = status->failing_since
                                 ? g_date_time_new_from_iso8601 (status->failing_since, NULL) : NULL;
  GTimeSpan warn_after = (GTimeSpan)ck_config_get_central_warn_after_s (self->config) * G_TIME_SPAN_SECOND;
  g_autofree char *waiting = format_waiting (status->pending);
  g_autoptr(GString) text = g_string_new (NULL);

  if (status->conflict_seq >= 0)
    {
      *level = SYNC_LEVEL_ERROR;
      return g_strdup_printf (_("The central archive holds record %lld otherwise than this kiosk: the sync "
                                "has stopped. Call IT now; do not purge consents."),
                              (long long)status->conflict_seq);
    }

  if (failing && g_date_time_difference (now, failing) > warn_after)
    {
      g_autofree char *duration = format_duration (g_date_time_difference (now, failing));

      *level = SYNC_LEVEL_WARNING;
      /* Translators: how long (e.g. "2 hours"), what waits (e.g. "3 records
       * waiting"), then why the last try failed */
      return g_strdup_printf (_("Sync with the central archive has failed for %s (%s): %s"),
                              duration, waiting, status->last_error ? status->last_error : "");
    }

  *level = status->pending > 0 || status->last_error ? SYNC_LEVEL_PENDING : SYNC_LEVEL_OK;
  if (status->last_ok_at)
    {
      g_autofree char *when = format_when (status->last_ok_at, now);

      /* Translators: when it last worked (10:42, or a date and time), then
       * what waits (e.g. "3 records waiting") */
      g_string_append_printf (text, _("Central archive: last synced %s, %s."), when, waiting);
    }
  else
    /* Translators: %s is what waits (e.g. "3 records waiting") */
    g_string_append_printf (text, _("Central archive: not synced yet, %s."), waiting);
  if (status->last_error)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The last try failed; the kiosk tries again by itself."));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_level (CkStaffWindow *self,
           SyncLevel      level)
{
  static const char * const icons[] = {
    [SYNC_LEVEL_OK] = "emblem-ok-symbolic",
    [SYNC_LEVEL_PENDING] = "emblem-synchronizing-symbolic",
    [SYNC_LEVEL_WARNING] = "dialog-warning-symbolic",
    [SYNC_LEVEL_ERROR] = "dialog-error-symbolic",
  };

  gtk_image_set_from_icon_name (GTK_IMAGE (self->sync_icon), icons[level]);
  if (level == SYNC_LEVEL_WARNING)
    gtk_widget_add_css_class (self->sync_box, "warning");
  else
    gtk_widget_remove_css_class (self->sync_box, "warning");
  if (level == SYNC_LEVEL_ERROR)
    gtk_widget_add_css_class (self->sync_box, "error");
  else
    gtk_widget_remove_css_class (self->sync_box, "error");
}

static void
on_sync_state (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  CkSyncStatus *status;
  SyncLevel level;

  status = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer read was asked for: it says more. */
  if (GPOINTER_TO_UINT (user_data) != self->sync_generation)
    {
      g_clear_pointer (&status, sync_status_free);
      return;
    }
  if (status == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("The sync's state cannot be read: %s", error->message);
          gtk_label_set_text (self->sync_label, error->message);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), error->message);
          set_level (self, SYNC_LEVEL_WARNING);
        }
      return;
    }

  text = describe (self, status, &level);
  gtk_label_set_text (self->sync_label, text);
  /* The whole of it where the label is cut, with the error behind it. */
  if (status->last_error && level != SYNC_LEVEL_WARNING)
    tooltip = g_strdup_printf ("%s\n%s", text, status->last_error);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tooltip ? tooltip : text);
  set_level (self, level);
  sync_status_free (status);
}

/* Reads where the sync stands again, when a central archive is configured. */
void
_ck_staff_window_show_sync (CkStaffWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (!ck_config_get_central_configured (self->config))
    {
      gtk_widget_set_visible (self->sync_box, FALSE);
      return;
    }

  gtk_widget_set_visible (self->sync_box, TRUE);
  gtk_widget_set_visible (self->sync_button, self->sync_queue != NULL);
  self->sync_generation++;
  task = g_task_new (self, self->cancellable, on_sync_state, GUINT_TO_POINTER (self->sync_generation));
  g_task_set_source_tag (task, _ck_staff_window_show_sync);
  g_task_set_task_data (task, g_strdup (ck_store_get_data_dir (self->store)), g_free);
  g_task_run_in_thread (task, sync_state_thread);
}

static gboolean
on_sync_tick (gpointer user_data)
{
  _ck_staff_window_show_sync (user_data);

  return G_SOURCE_CONTINUE;
}

/* The height of the row with @STATUS_LINES lines in each label: the
 * lines have one height (style.css, .staff-status label), whatever fonts
 * the text will need. */
static int
reserved_height (CkStaffWindow *self)
{
  g_autoptr(GString) lines = g_string_new ("1");
  int height = 0;

  for (guint i = 1; i < STATUS_LINES; i++)
    g_string_append_printf (lines, "\n%u", i + 1);
  gtk_label_set_text (self->sync_label, lines->str);
  gtk_label_set_text (self->usage_label, lines->str);
  gtk_widget_measure (self->status_box, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  gtk_label_set_text (self->sync_label, "");
  gtk_label_set_text (self->usage_label, "");

  return height;
}

/* With a central archive: the row of the sync and the usage beside it
 * (moved there from beside the seal, which it would push around as its
 * text changes), its height reserved. */
void
_ck_staff_window_setup_sync (CkStaffWindow *self)
{
  GtkWidget *parent;

  if (!ck_config_get_central_configured (self->config))
    return;

  parent = gtk_widget_get_parent (self->usage_box);
  g_object_ref (self->usage_box);
  gtk_box_remove (GTK_BOX (parent), self->usage_box);
  gtk_box_append (GTK_BOX (self->status_box), self->usage_box);
  g_object_unref (self->usage_box);
  gtk_widget_set_halign (self->usage_box, GTK_ALIGN_FILL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->usage_label), TRUE);
  gtk_label_set_xalign (self->usage_label, 0);
  gtk_label_set_lines (self->usage_label, STATUS_LINES);
  gtk_label_set_ellipsize (self->usage_label, PANGO_ELLIPSIZE_END);

  /* Measured shown (a hidden widget measures nothing); the usage's half
   * stays taken when there is a package, from the start. */
  gtk_widget_set_visible (self->status_box, TRUE);
  gtk_widget_set_visible (self->sync_box, TRUE);
  gtk_widget_set_visible (self->usage_box, TRUE);
  gtk_widget_set_size_request (self->status_box, -1, reserved_height (self));
  gtk_widget_set_visible (self->usage_box, ck_config_get_package_size (self->config) > 0);
  self->sync_source = g_timeout_add_seconds (SYNC_REFRESH_S, on_sync_tick, self);
  _ck_staff_window_show_sync (self);
}

/* The kiosk's background sync finished a run. */
void
_ck_staff_window_on_sync_finished (CkStaffWindow *self,
                                   gboolean       ok)
{
  _ck_staff_window_show_sync (self);
  _ck_staff_window_compute_usage (self);
}

static void
on_synced (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CkStaffWindow) self = user_data;
  g_autoptr(CkSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new (NULL);

  run = ck_sync_queue_run_finish (CK_SYNC_QUEUE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the window closed */

  gtk_spinner_stop (self->sync_spinner);
  gtk_widget_set_sensitive (self->sync_button, TRUE);
  if (run == NULL)
    g_string_append_printf (message, _("The sync failed: %s"), error->message);
  else
    {
      g_autofree char *waiting = format_waiting (run->pending);

      /* Translators: %u records were sent; %s is what still waits (e.g.
       * "nothing waiting") */
      g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, "Synced: %u record sent, %s.",
                                                    "Synced: %u records sent, %s.", run->sent),
                              run->sent, waiting);
      if (run->usage_error)
        {
          g_string_append_c (message, ' ');
          g_string_append_printf (message, _("The organisation's package usage could not be read: %s"),
                                  run->usage_error);
        }
    }

  g_message ("Staff asked to sync with the central archive: %s", message->str);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message->str));
  _ck_staff_window_show_sync (self);
  _ck_staff_window_compute_usage (self);
}

void
_ck_staff_window_on_sync_clicked (CkStaffWindow *self)
{
  if (self->sync_queue == NULL)
    return;

  gtk_widget_set_sensitive (self->sync_button, FALSE);
  gtk_spinner_start (self->sync_spinner);
  ck_sync_queue_run_async (self->sync_queue, CK_SYNC_RUN_ALL, self->cancellable, on_synced,
                           g_object_ref (self));
}
