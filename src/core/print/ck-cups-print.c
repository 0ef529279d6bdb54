/* ck-cups-print.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Printing a stored consent through CUPS, without GTK and without any
 * dialog: the PDF file itself goes to the named queue (what is printed is
 * what was signed and stored), and the job is watched until CUPS says it
 * completed, was cancelled or aborted. Before the job is sent, the
 * printer's state is read: a printer that cannot print now (out of paper,
 * jammed, paused, …) gets no job, so that no customer's consent comes out
 * of it later, unattended. While the job waits, the printer's state
 * reasons are told as they change (the progress function).
 *
 * All of it runs on a thread of its own, with a CUPS connection of its
 * own (libcups keeps per-thread state, freed when the thread ends);
 * nothing blocks the caller's main loop. */

#define G_LOG_DOMAIN "ck-cups-print"

#include "config.h"

#include <cups/cups.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-cups-print.h"

/* How often the job and the printer are asked about, in milliseconds. */
#define POLL_MS 500

typedef struct
{
  char *printer;
  char *pdf_path;
  char *job_title;
  CkCupsPrintProgress progress;
  gpointer progress_data;
  char uri[HTTP_MAX_URI];
} PrintJob;

typedef struct
{
  ipp_pstate_t state;
  gboolean accepting;
  char **reasons;
} PrinterState;

static void
print_job_free (PrintJob *job)
{
  g_free (job->printer);
  g_free (job->pdf_path);
  g_free (job->job_title);
  g_free (job);
}

static void
printer_state_clear (PrinterState *state)
{
  g_clear_pointer (&state->reasons, g_strfreev);
}

/* For staff and the journal: what, which printer, and CUPS's words. */
static void
set_problem (GError         **error,
             CkPrintProblem   problem,
             const PrintJob  *job,
             const char      *detail)
{
  g_set_error (error, CK_PRINT_ERROR, problem, "%s: “%s” (%s)",
               ck_print_problem_get_label (problem), job->printer, detail);
}

/* The last request's IPP status as a problem; NONE when it succeeded. */
static CkPrintProblem
last_error_problem (void)
{
  ipp_status_t status = cupsLastError ();

  if (status <= IPP_STATUS_OK_EVENTS_COMPLETE)
    return CK_PRINT_PROBLEM_NONE;

  if (status == IPP_STATUS_ERROR_NOT_FOUND || status == IPP_STATUS_ERROR_NOT_POSSIBLE)
    return CK_PRINT_PROBLEM_NOT_FOUND;
  if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
    return CK_PRINT_PROBLEM_PAUSED;
  if (status == IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED)
    return CK_PRINT_PROBLEM_UNSUPPORTED;
  if (status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE)
    return CK_PRINT_PROBLEM_NO_SERVICE;

  return CK_PRINT_PROBLEM_FAILED;
}

/* Fails with the last request's error, if it failed. */
static gboolean
check_last_error (const PrintJob  *job,
                  GError         **error)
{
  CkPrintProblem problem = last_error_problem ();

  if (problem == CK_PRINT_PROBLEM_NONE)
    return TRUE;

  set_problem (error, problem, job, cupsLastErrorString ());
  return FALSE;
}

static gboolean
get_printer_state (http_t        *http,
                   const PrintJob *job,
                   PrinterState  *out,
                   GError       **error)
{
  static const char * const attributes[] = {
    "printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
  };
  ipp_t *request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, job->uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (attributes), NULL, attributes);
  response = cupsDoRequest (http, request, "/");
  if (!check_last_error (job, error))
    {
      ippDelete (response);
      return FALSE;
    }

  out->state = IPP_PSTATE_IDLE;
  out->accepting = TRUE;
  if ((attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM)))
    out->state = ippGetInteger (attr, 0);
  if ((attr = ippFindAttribute (response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)))
    out->accepting = ippGetBoolean (attr, 0);
  if ((attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD)))
    {
      int n = ippGetCount (attr);

      out->reasons = g_new0 (char *, n + 1);
      for (int i = 0; i < n; i++)
        out->reasons[i] = g_strdup (ippGetString (attr, i, NULL));
    }
  else
    out->reasons = g_new0 (char *, 1);

  ippDelete (response);
  return TRUE;
}

/* What keeps the printer from printing now, by its state reasons first. */
static CkPrintProblem
printer_problem (const PrinterState *state)
{
  CkPrintProblem problem = ck_print_problem_from_reasons ((const char * const *)state->reasons);

  if (!ck_print_problem_is_blocking (problem) &&
      (state->state == IPP_PSTATE_STOPPED || !state->accepting))
    return CK_PRINT_PROBLEM_PAUSED;

  return problem;
}

static char *
describe_printer (const PrinterState *state)
{
  g_autofree char *reasons = g_strjoinv (",", state->reasons);

  return g_strdup_printf ("printer-state %d, printer-is-accepting-jobs %s, "
                          "printer-state-reasons %s",
                          (int)state->state, state->accepting ? "true" : "false", reasons);
}

static gboolean
get_job_state (http_t          *http,
               const PrintJob  *job,
               int              job_id,
               ipp_jstate_t    *out,
               GError         **error)
{
  static const char * const attributes[] = { "job-state" };
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, job->uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (attributes), NULL, attributes);
  response = cupsDoRequest (http, request, "/");
  if (!check_last_error (job, error))
    {
      ippDelete (response);
      return FALSE;
    }

  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  *out = attr ? (ipp_jstate_t)ippGetInteger (attr, 0) : IPP_JSTATE_PENDING;
  ippDelete (response);
  return TRUE;
}

typedef struct
{
  GTask *task;
  CkPrintProblem problem;
} Progress;

static gboolean
dispatch_progress (gpointer data)
{
  Progress *progress = data;
  PrintJob *job = g_task_get_task_data (progress->task);
  GCancellable *cancellable = g_task_get_cancellable (progress->task);

  /* Not after the answer, and not to a caller who left. */
  if (!g_task_get_completed (progress->task) && !g_cancellable_is_cancelled (cancellable))
    job->progress (progress->problem, job->progress_data);

  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->task);
  g_free (progress);
}

static void
report_progress (GTask          *task,
                 CkPrintProblem  problem)
{
  PrintJob *job = g_task_get_task_data (task);
  Progress *progress;

  if (job->progress == NULL)
    return;

  progress = g_new0 (Progress, 1);
  progress->task = g_object_ref (task);
  progress->problem = problem;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              dispatch_progress, progress, (GDestroyNotify)progress_free);
}

/* Waits POLL_MS; FALSE if the caller cancelled meanwhile. */
static gboolean
wait_a_moment (GCancellable *cancellable)
{
  GPollFD pollfd;

  if (cancellable == NULL)
    {
      g_usleep (POLL_MS * 1000);
      return TRUE;
    }

  if (!g_cancellable_make_pollfd (cancellable, &pollfd))
    g_usleep (POLL_MS * 1000);
  else
    {
      g_poll (&pollfd, 1, POLL_MS);
      g_cancellable_release_fd (cancellable);
    }

  return !g_cancellable_is_cancelled (cancellable);
}

/* Watches job @job_id until it ends; TRUE if it completed. */
static gboolean
watch_job (GTask   *task,
           http_t  *http,
           int      job_id,
           GError **error)
{
  PrintJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  CkPrintProblem told = CK_PRINT_PROBLEM_NONE;

  for (;;)
    {
      ipp_jstate_t job_state;
      PrinterState state = { 0 };
      CkPrintProblem problem;

      if (!get_job_state (http, job, job_id, &job_state, error))
        return FALSE;
      if (job_state == IPP_JSTATE_COMPLETED)
        {
          g_debug ("Job %d on %s completed", job_id, job->printer);
          return TRUE;
        }

      if (!get_printer_state (http, job, &state, error))
        return FALSE;
      problem = printer_problem (&state);

      if (job_state == IPP_JSTATE_CANCELED || job_state == IPP_JSTATE_ABORTED)
        {
          g_autofree char *printer = describe_printer (&state);
          g_autofree char *detail = g_strdup_printf ("job %d %s; %s", job_id,
                                                     job_state == IPP_JSTATE_CANCELED
                                                     ? "cancelled" : "aborted", printer);

          if (!ck_print_problem_is_blocking (problem))
            problem = job_state == IPP_JSTATE_CANCELED ? CK_PRINT_PROBLEM_JOB_CANCELLED
                                                       : CK_PRINT_PROBLEM_JOB_ABORTED;
          printer_state_clear (&state);
          set_problem (error, problem, job, detail);
          return FALSE;
        }

      /* Held, or stopped with its printer: it waits for staff. */
      if ((job_state == IPP_JSTATE_HELD || job_state == IPP_JSTATE_STOPPED) &&
          !ck_print_problem_is_blocking (problem))
        problem = CK_PRINT_PROBLEM_PAUSED;

      if (problem != told)
        {
          g_autofree char *printer = describe_printer (&state);

          g_message ("Job %d on %s waits: %s (%s)", job_id, job->printer,
                     ck_print_problem_get_label (problem), printer);
          report_progress (task, problem);
          told = problem;
        }
      printer_state_clear (&state);

      if (!wait_a_moment (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The job goes on; it is no longer watched");
          return FALSE;
        }
    }
}

static gboolean
print_and_watch (GTask   *task,
                 GError **error)
{
  PrintJob *job = g_task_get_task_data (task);
  PrinterState state = { 0 };
  CkPrintProblem problem;
  cups_option_t *options = NULL;
  int n_options = 0;
  http_t *http;
  int job_id;
  gboolean ok;

  /* Names CUPS accepts (lpadmin refuses the others). */
  if (job->printer[0] == '\0' || strpbrk (job->printer, "/#?\\\"' \t") ||
      !g_utf8_validate (job->printer, -1, NULL) || strlen (job->printer) > 127)
    {
      set_problem (error, CK_PRINT_PROBLEM_NOT_FOUND, job, "not a CUPS printer name");
      return FALSE;
    }
  httpAssembleURIf (HTTP_URI_CODING_ALL, job->uri, sizeof job->uri, "ipp", NULL, "localhost",
                    ippPort (), "/printers/%s", job->printer);

  http = httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1,
                       30000, NULL);
  if (http == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %s", cupsServer (), cupsLastErrorString ());

      set_problem (error, CK_PRINT_PROBLEM_NO_SERVICE, job, detail);
      return FALSE;
    }

  /* A printer that cannot print now gets no job. */
  if (!get_printer_state (http, job, &state, error))
    {
      httpClose (http);
      return FALSE;
    }
  problem = printer_problem (&state);
  if (ck_print_problem_is_blocking (problem))
    {
      g_autofree char *detail = describe_printer (&state);

      printer_state_clear (&state);
      httpClose (http);
      set_problem (error, problem, job, detail);
      return FALSE;
    }
  printer_state_clear (&state);
  if (problem != CK_PRINT_PROBLEM_NONE)
    report_progress (task, problem);

  n_options = cupsAddOption ("document-format", "application/pdf", n_options, &options);
  job_id = cupsPrintFile2 (http, job->printer, job->pdf_path, job->job_title, n_options, options);
  cupsFreeOptions (n_options, options);
  if (job_id == 0)
    {
      if (last_error_problem () == CK_PRINT_PROBLEM_NONE)
        set_problem (error, CK_PRINT_PROBLEM_FAILED, job, cupsLastErrorString ());
      else
        check_last_error (job, error);
      httpClose (http);
      return FALSE;
    }

  g_message ("Sent %s to %s as job %d", job->pdf_path, job->printer, job_id);
  ok = watch_job (task, http, job_id, error);
  httpClose (http);
  return ok;
}

static gpointer
print_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  if (print_and_watch (task, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  return NULL;
}

/**
 * ck_cups_print_file_async:
 * @printer: the CUPS queue's name ([kiosk] printer)
 * @pdf_path: the stored consent PDF, sent as it is
 * @job_title: what the queue calls the job
 * @progress: (nullable) (scope notified): told, in the caller's main
 *   context, what the printer reports while the job waits
 * @progress_data: for @progress; must live until @callback ran
 *
 * Reads the printer's state, refuses a printer that cannot print now,
 * sends the PDF and watches the job until it ends. Cancelling
 * @cancellable stops the watching, not the job.
 */
void
ck_cups_print_file_async (const char          *printer,
                          const char          *pdf_path,
                          const char          *job_title,
                          CkCupsPrintProgress  progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  PrintJob *job;

  g_return_if_fail (printer != NULL);
  g_return_if_fail (pdf_path != NULL);
  g_return_if_fail (job_title != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_cups_print_file_async);

  job = g_new0 (PrintJob, 1);
  job->printer = g_strdup (printer);
  job->pdf_path = g_strdup (pdf_path);
  job->job_title = g_strdup (job_title);
  job->progress = progress;
  job->progress_data = progress_data;
  g_task_set_task_data (task, job, (GDestroyNotify)print_job_free);

  /* A thread of its own, which ends with the job: libcups's per-thread
   * state goes with it. */
  g_thread_unref (g_thread_new ("ck-cups-print", print_thread, task));
}

/**
 * ck_cups_print_file_finish:
 *
 * Returns: %TRUE if CUPS completed the job; %FALSE with a
 *   %CK_PRINT_ERROR (the code says which #CkPrintProblem), or
 *   %G_IO_ERROR_CANCELLED when the caller stopped watching
 */
gboolean
ck_cups_print_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
