/* ck-print.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Printing a stored consent: the PDF file itself goes to the printer
 * (gtk_print_job_set_source_file), so what is printed is byte for byte
 * what was signed and stored; nothing is drawn again. The printer comes
 * from GTK's print dialog, or, for self-service kiosks and tests, from
 * the configuration ([kiosk] printer) without any dialog. */

#define G_LOG_DOMAIN "ck-print"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>

#include "ck-print.h"

typedef struct
{
  char *pdf_path;
  char *job_title;
  char *printer_name;
  GtkPrinter *printer;
} PrintJob;

G_DEFINE_QUARK (ck-print-error-quark, ck_print_error)

static void
print_job_free (PrintJob *job)
{
  g_free (job->pdf_path);
  g_free (job->job_title);
  g_free (job->printer_name);
  g_clear_object (&job->printer);
  g_free (job);
}

static void
on_job_complete (GtkPrintJob  *print_job,
                 gpointer      user_data,
                 const GError *error)
{
  g_autoptr(GTask) task = user_data;

  if (error)
    g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_ERROR_FAILED,
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
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_ERROR_NO_PDF,
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
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_ERROR_FAILED,
                               _("The consent could not be sent to the printer: %s"),
                               error->message);
      g_object_unref (task);
      return;
    }

  g_debug ("Sending a consent to the printer %s", gtk_printer_get_name (printer));
  gtk_print_job_send (print_job, on_job_complete, task, NULL);
}

static gboolean
on_printer_found (GtkPrinter *printer,
                  gpointer    user_data)
{
  PrintJob *job = g_task_get_task_data (G_TASK (user_data));

  if (g_strcmp0 (gtk_printer_get_name (printer), job->printer_name) != 0)
    return FALSE;

  g_set_object (&job->printer, printer);
  return TRUE;
}

/* Every printer was seen, or the named one found. */
static void
on_enumeration_done (gpointer user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);

  if (job->printer == NULL)
    {
      g_task_return_new_error (task, CK_PRINT_ERROR, CK_PRINT_ERROR_NO_PRINTER,
                               _("There is no printer called “%s”: check [kiosk] printer "
                                 "in the configuration."), job->printer_name);
      g_object_unref (task);
      return;
    }

  send_file (task, job->printer, NULL, NULL);
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
 * @printer_name: (nullable): print to this printer without a dialog;
 *   %NULL shows GTK's print dialog
 *
 * Sends the PDF file itself to a printer that takes PDF (CUPS converts it
 * for the device). Finishes once the job was handed over. Cancelling
 * @cancellable closes the print dialog (the kiosk wipes a customer's
 * screen); a job already handed over goes on.
 */
void
ck_print_file_async (GtkWindow           *parent,
                     const char          *pdf_path,
                     const char          *job_title,
                     const char          *printer_name,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  PrintJob *job;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (pdf_path != NULL);
  g_return_if_fail (job_title != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_print_file_async);

  job = g_new0 (PrintJob, 1);
  job->pdf_path = g_strdup (pdf_path);
  job->job_title = g_strdup (job_title);
  job->printer_name = g_strdup (printer_name);
  g_task_set_task_data (task, job, (GDestroyNotify)print_job_free);

  if (printer_name)
    {
      gtk_enumerate_printers (on_printer_found, task, on_enumeration_done, FALSE);
      return;
    }

  {
    GtkWidget *dialog = gtk_print_unix_dialog_new (_("Print the Signed Consent"), parent);

    gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
    gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
    gtk_print_unix_dialog_set_manual_capabilities (GTK_PRINT_UNIX_DIALOG (dialog), 0);
    g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), task);
    if (cancellable)
      g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled), dialog, 0);
    gtk_window_present (GTK_WINDOW (dialog));
  }
}

/**
 * ck_print_file_finish:
 *
 * Returns: %TRUE if the job was handed to the printer; %FALSE with
 *   %G_IO_ERROR_CANCELLED if the customer closed the dialog
 */
gboolean
ck_print_file_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
