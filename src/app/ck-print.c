/* ck-print.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Printing a stored consent: the PDF file itself goes to the printer, so
 * what is printed is byte for byte what was signed and stored; nothing is
 * drawn again.
 *
 * With a printer configured ([kiosk] printer), straight to that CUPS queue
 * through libcups (ck-cups-print.h), never a dialog. Without one, at a
 * staffed desk, GTK's print dialog (gtk_print_job_set_source_file). A
 * kiosk locks printing down at start (ck_print_lock_down()): from then on
 * no print dialog, and so no "Print to File" and no file chooser, can
 * appear in the process; without a printer, printing fails with
 * %CK_PRINT_PROBLEM_NO_PRINTER and the customer is told to ask staff. */

#define G_LOG_DOMAIN "ck-print"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>

#include "ck-print.h"

typedef struct
{
  char *pdf_path;
  char *job_title;
} PrintJob;

static gboolean locked_down;

static void
print_job_free (PrintJob *job)
{
  g_free (job->pdf_path);
  g_free (job->job_title);
  g_free (job);
}

/**
 * ck_print_lock_down:
 *
 * For a kiosk, for the rest of the process: no print dialog will ever be
 * shown (ck_print_file_async() prints to the named printer only), and
 * GTK's print backends are CUPS alone (no "Print to File"), should
 * anything else ever open one. Call once GTK is initialised.
 */
void
ck_print_lock_down (void)
{
  GtkSettings *settings = gtk_settings_get_default ();

  locked_down = TRUE;
  /* GTK 4.8 reads this setting; it ignores GTK_PRINT_BACKENDS. */
  if (settings)
    g_object_set (settings, "gtk-print-backends", "cups", NULL);
}

/**
 * ck_print_is_locked_down:
 *
 * Returns: whether ck_print_lock_down() was called
 */
gboolean
ck_print_is_locked_down (void)
{
  return locked_down;
}

static void
on_job_complete (GtkPrintJob  *print_job,
                 gpointer      user_data,
                 const GError *error)
{
  g_autoptr(GTask) task = user_data;

  if (error)
    g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_PROBLEM_FAILED,
                             _("The consent could not be sent to the printer: %s"),
                             error->message);
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends the PDF itself to @printer; takes @task. */
static void
send_file (GTask            *task,
           GtkPrinter       *printer,
           GtkPrintSettings *settings,
           GtkPageSetup     *page_setup)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GtkPrintJob) print_job = NULL;
  g_autoptr(GtkPrintSettings) default_settings = NULL;
  g_autoptr(GtkPageSetup) default_page_setup = NULL;
  g_autoptr(GError) error = NULL;

  if (!gtk_printer_accepts_pdf (printer))
    {
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_PROBLEM_UNSUPPORTED,
                               _("The printer “%s” cannot print PDF files."),
                               gtk_printer_get_name (printer));
      g_object_unref (task);
      return;
    }

  if (settings == NULL)
    settings = default_settings = gtk_print_settings_new ();
  if (page_setup == NULL)
    {
      g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

      page_setup = default_page_setup = gtk_page_setup_new ();
      gtk_page_setup_set_paper_size (page_setup, a4);
    }

  print_job = gtk_print_job_new (job->job_title, printer, settings, page_setup);
  if (!gtk_print_job_set_source_file (print_job, job->pdf_path, &error))
    {
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_PROBLEM_FAILED,
                               _("The consent could not be sent to the printer: %s"),
                               error->message);
      g_object_unref (task);
      return;
    }

  g_debug ("Sending a consent to the printer %s", gtk_printer_get_name (printer));
  gtk_print_job_send (print_job, on_job_complete, task, NULL);
}

static void
on_dialog_response (GtkDialog *dialog,
                    int        response,
                    gpointer   user_data)
{
  GTask *task = user_data;
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);
  g_autoptr(GtkPrintSettings) settings = NULL;
  GtkPrinter *printer;

  if (response != GTK_RESPONSE_OK ||
      !(printer = gtk_print_unix_dialog_get_selected_printer (print_dialog)))
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Printing was cancelled."));
      g_object_unref (task);
      return;
    }

  settings = gtk_print_unix_dialog_get_settings (print_dialog);
  send_file (task, printer, settings, gtk_print_unix_dialog_get_page_setup (print_dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The customer left (wipe): the dialog goes with them. */
static void
on_cancelled (GCancellable *cancellable,
              GtkDialog    *dialog)
{
  gtk_dialog_response (dialog, GTK_RESPONSE_CANCEL);
}

/**
 * ck_print_file_async:
 * @parent: (nullable): the window the print dialog belongs to
 * @pdf_path: the stored consent PDF
 * @job_title: what the printer's queue calls the job
 * @printer_name: (nullable): print to this CUPS printer without a dialog;
 *   %NULL shows GTK's print dialog, unless printing is locked down
 * @progress: (nullable): told what the printer reports while the job
 *   waits (the named printer only)
 * @progress_data: for @progress
 *
 * Sends the PDF file itself to a printer (CUPS converts it for the
 * device). To a named printer, finishes once CUPS completed the job;
 * through the dialog, once the job was handed over. Cancelling
 * @cancellable closes the print dialog (the kiosk wipes a customer's
 * screen) or stops watching the job; a job already handed over goes on.
 */
void
ck_print_file_async (GtkWindow           *parent,
                     const char          *pdf_path,
                     const char          *job_title,
                     const char          *printer_name,
                     CkCupsPrintProgress  progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  PrintJob *job;
  GtkWidget *dialog;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (pdf_path != NULL);
  g_return_if_fail (job_title != NULL);

  if (printer_name)
    {
      ck_cups_print_file_async (printer_name, pdf_path, job_title, progress, progress_data,
                                cancellable, callback, user_data);
      return;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_print_file_async);

  if (locked_down)
    {
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_PROBLEM_NO_PRINTER,
                               _("No printer is configured: set [kiosk] printer in the "
                                 "configuration."));
      g_object_unref (task);
      return;
    }

  job = g_new0 (PrintJob, 1);
  job->pdf_path = g_strdup (pdf_path);
  job->job_title = g_strdup (job_title);
  g_task_set_task_data (task, job, (GDestroyNotify)print_job_free);

  dialog = gtk_print_unix_dialog_new (_("Print the Signed Consent"), parent);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  gtk_print_unix_dialog_set_manual_capabilities (GTK_PRINT_UNIX_DIALOG (dialog), 0);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), task);
  if (cancellable)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled), dialog, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * ck_print_file_finish:
 *
 * Returns: %TRUE if the job was printed (named printer) or handed to the
 *   printer (dialog); %FALSE with a %CK_PRINT_ERROR, whose code is the
 *   #CkPrintProblem, or %G_IO_ERROR_CANCELLED if the dialog was closed or
 *   the watching cancelled
 */
gboolean
ck_print_file_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
