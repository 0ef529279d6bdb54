/* ck-staff-window-export.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Exporting the consents the list shows (CSV or JSON, ID numbers masked,
 * the bytes `consentctl export` writes): the staff.export and
 * staff.export-to actions, the file chooser, the export's thread and its
 * progress. In kiosk mode there is no file chooser (it opens the whole
 * disk): the file goes into [staff] export_dir, or exports/ in the data
 * folder, and a kiosk dialog says where. While an export runs the window
 * does not close for idleness (ck-staff-window-closing.c). */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "ck-kiosk-dialog.h"
#include "ck-staff-window-impl.h"

typedef struct
{
  CkStore *store;
  Filter *filter;
  guint max_attempts;
  CkExportFormat format;
  GFile *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_object_unref (job->store);
  _ck_staff_window_filter_free (job->filter);
  g_object_unref (job->file);
  g_free (job);
}

/* How far an export is, handed from its thread to the window's. */
typedef struct
{
  CkStaffWindow *self;
  guint64 done;
  guint64 total;
} ExportProgress;

static gboolean
show_export_progress (gpointer data)
{
  ExportProgress *progress = data;
  CkStaffWindow *self = progress->self;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), self->n_exports > 0);
  gtk_progress_bar_set_fraction (self->export_progress,
                                 progress->total ? (double)progress->done / progress->total : 0.0);
  text = g_strdup_printf (_("Exporting: %u of %u"), (guint)MIN (progress->done, G_MAXUINT),
                          (guint)MIN (progress->total, G_MAXUINT));
  gtk_progress_bar_set_text (self->export_progress, text);

  return G_SOURCE_REMOVE;
}

static void
export_progress_free (gpointer data)
{
  ExportProgress *progress = data;

  g_object_unref (progress->self);
  g_free (progress);
}

/* A CkProgressFunc, in the export's thread. */
static void
on_export_progress (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ExportProgress *progress = g_new0 (ExportProgress, 1);

  progress->self = g_object_ref (g_task_get_source_object (task));
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, show_export_progress,
                              progress, export_progress_free);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  CkStoreQuery query = _ck_staff_window_filter_to_query (job->filter);
  g_autoptr(GFile) parent = g_file_get_parent (job->file);
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *part_name = NULL;
  g_autoptr(GFile) part = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;

  /* Tells "will be retried" from "failed" for the state filter. */
  query.max_attempts = job->max_attempts;

  /* Names and masked ID numbers, for the owner's eyes only: written to a
   * private file beside the chosen one, which takes its place only when
   * it is whole. */
  part_name = g_strdup_printf (".%s.%08x.part", name, g_random_int ());
  part = g_file_get_child (parent, part_name);
  if (!(out = g_file_create (part, G_FILE_CREATE_PRIVATE, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!ck_export_write (job->store, &query, job->format, G_OUTPUT_STREAM (out), on_export_progress, task,
                        cancellable, NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error) ||
      !g_file_move (part, job->file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_file_delete (part, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_file_get_parse_name (job->file);

  self->n_exports--;
  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), self->n_exports > 0);
  /* Staff get the whole idle time to read how it went. */
  self->last_input_us = g_get_monotonic_time ();
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      AdwMessageDialog *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_message ("The export to %s failed: %s", where, error->message);
      dialog = ck_kiosk_dialog_new (GTK_WINDOW (self), _("The Export Failed"), error->message);
      ck_kiosk_dialog_add_responses (dialog, "close", _("Close"), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  g_message ("The records shown were exported to %s", where);
  if (self->kiosk_mode)
    {
      g_autofree char *body = g_strdup_printf (_("The consents shown were saved to %s."), where);
      AdwMessageDialog *dialog = ck_kiosk_dialog_new (GTK_WINDOW (self), _("Exported"), body);

      ck_kiosk_dialog_add_responses (dialog, "close", _("Close"), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Exported to %s"), where);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
}

/* Writes the consents the list shows to @file. */
static void
export_to_file (CkStaffWindow  *self,
                GFile          *file,
                CkExportFormat  format)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);
  Filter none = { NULL };

  job->store = g_object_ref (self->store);
  job->filter = _ck_staff_window_filter_copy (self->shown ? self->shown : &none);
  job->max_attempts = ck_config_get_max_attempts (self->config);
  job->format = format;
  job->file = g_object_ref (file);
  self->n_exports++;
  task = g_task_new (self, self->cancellable, on_exported, NULL);
  g_task_set_source_tag (task, export_to_file);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     CkStaffWindow   *self)
{
  CkExportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "format"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    export_to_file (self, file, format);

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

/* Kiosk mode: the configured folder, or exports/ in the data folder
 * (made). A configured one that is missing is a stick not plugged in:
 * never made, so that nothing lands on the kiosk's own disk by mistake. */
static GFile *
kiosk_export_file (CkStaffWindow  *self,
                   const char     *date,
                   const char     *extension,
                   GError        **error)
{
  const char *configured = ck_config_get_staff_export_dir (self->config);
  g_autofree char *dir = NULL;

  if (configured)
    {
      dir = g_strdup (configured);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The export folder %s is not there. Is the USB stick plugged in? "
                         "([staff] export_dir)"), dir);
          return NULL;
        }
    }
  else
    {
      dir = g_build_filename (ck_config_get_data_dir (self->config), "exports", NULL);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The export folder %s cannot be made: %s"), dir,
                       g_strerror (saved_errno));
          return NULL;
        }
    }

  /* Never over an earlier export. */
  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("consents-%s.%s", date, extension)
                                     : g_strdup_printf ("consents-%s-%u.%s", date, n, extension);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_file_new_for_path (path);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("The export folder %s is full of today's exports."), dir);
  return NULL;
}

/* staff.export "csv"|"json": asks where (kiosk mode: the fixed folder),
 * then exports. */
void
_ck_staff_window_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *file_name = NULL;
  GtkFileChooserNative *chooser;
  CkExportFormat format;

  if (!ck_export_format_from_string (name, &format) || self->chooser)
    return;

  if (self->kiosk_mode)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = kiosk_export_file (self, date, name, &error);

      if (file == NULL)
        {
          AdwMessageDialog *dialog;

          g_message ("No export: %s", error->message);
          dialog = ck_kiosk_dialog_new (GTK_WINDOW (self), _("The Export Failed"), error->message);
          ck_kiosk_dialog_add_responses (dialog, "close", _("Close"), NULL);
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
      export_to_file (self, file, format);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Export Consents"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  file_name = g_strdup_printf ("consents-%s.%s", date, name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_object_set_data (G_OBJECT (chooser), "format", GUINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* staff.export-to ("csv"|"json", PATH): exports without asking (what the
 * file chooser's answer does). */
void
_ck_staff_window_export_to_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (widget);
  g_autoptr(GFile) file = NULL;
  const char *name, *path;
  CkExportFormat format;

  g_variant_get (parameter, "(&s&s)", &name, &path);
  if (!ck_export_format_from_string (name, &format))
    {
      g_warning ("Unknown export format “%s”", name);
      return;
    }
  file = g_file_new_for_path (path);
  export_to_file (self, file, format);
}
