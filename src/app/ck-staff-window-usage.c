/* ck-staff-window-usage.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The paid verification package's use, counted in a thread and shown
 * above the list, with a warning under 20 % left. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

/* What the thread reads, taken on the main thread: a closed window has
 * neither. */
typedef struct
{
  char *data_dir;
  CkConfig *config;
} UsageData;

static void
usage_data_free (UsageData *data)
{
  g_free (data->data_dir);
  g_clear_object (&data->config);
  g_free (data);
}

static void
usage_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  UsageData *data = task_data;
  g_autoptr(CkStore) store = NULL;
  GError *error = NULL;
  CkUsage *usage = NULL;

  /* Its own connection: with a central archive the count is read in a
   * transaction (ck_store_get_sync_status ()). */
  if ((store = _ck_staff_window_open_reader (data->data_dir, &error)) &&
      (usage = ck_usage_compute (store, data->config, &error)))
    g_task_return_pointer (task, usage, (GDestroyNotify)ck_usage_free);
  else
    g_task_return_error (task, error);
}

static void
on_usage_computed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  CkUsage *usage;

  usage = g_task_propagate_pointer (G_TASK (result), &error);
  if (usage == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("The verification package's use cannot be counted: %s", error->message);
          gtk_label_set_text (self->usage_label, error->message);
          gtk_widget_set_visible (self->usage_box, TRUE);
        }
      return;
    }

  gtk_widget_set_visible (self->usage_box, usage->package_size > 0);
  summary = ck_usage_dup_summary (usage);
  if (usage->low)
    {
      g_autofree char *text = NULL;

      /* Translators: the package's use, then the warning that little is left */
      text = g_strdup_printf (_("%s %s"), summary,
                              _("Less than a fifth of the verification package is left: "
                                "order more calls now."));
      gtk_label_set_text (self->usage_label, text);
      gtk_widget_add_css_class (self->usage_box, "warning");
    }
  else
    {
      gtk_label_set_text (self->usage_label, summary);
      gtk_widget_remove_css_class (self->usage_box, "warning");
    }
  gtk_widget_set_visible (self->usage_icon, usage->low);
  ck_usage_free (usage);
}

void
_ck_staff_window_compute_usage (CkStaffWindow *self)
{
  g_autoptr(GTask) task = NULL;
  UsageData *data;

  if (ck_config_get_package_size (self->config) == 0)
    {
      gtk_widget_set_visible (self->usage_box, FALSE);
      return;
    }

  task = g_task_new (self, self->cancellable, on_usage_computed, NULL);
  g_task_set_source_tag (task, _ck_staff_window_compute_usage);
  data = g_new0 (UsageData, 1);
  data->data_dir = g_strdup (ck_store_get_data_dir (self->store));
  data->config = g_object_ref (self->config);
  g_task_set_task_data (task, data, (GDestroyNotify)usage_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, usage_thread);
}
