/* test-print.c: printing a stored consent through GTK to CUPS
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A private CUPS scheduler (cupsd with its own configuration, spool and
 * socket in a temporary directory) with a cups-pdf queue whose output
 * directory is temporary too. The result page prints a stored consent to
 * that queue by name, without a dialog, through GTK's print backend
 * (gtk_print_job_set_source_file: the stored PDF itself); cups-pdf writes
 * what the "printer" received as a PDF, whose page count must be the
 * consent's. Skips, saying why, where CUPS or cups-pdf cannot run. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ck.h"
#include "ck-print.h"
#include "ck-result-page.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

#define CUPSD       "/usr/sbin/cupsd"
#define CUPS_PDF    "/usr/lib/cups/backend/cups-pdf"
#define CUPS_PDF_PPD "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
#define CUPS_CONF_DIR "/etc/cups"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

static char *tmp_dir;
static char *socket_path;
static char *queue;           /* the cups-pdf queue's own name, for its .conf */
static char *printer;         /* the CUPS printer */
static char *queue_conf;      /* /etc/cups/cups-pdf-QUEUE.conf */
static GSubprocess *cupsd;
static char *skip_reason;

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Runs @argv to its end; returns its standard output, NULL if it failed. */
static char *
run (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error) ||
      !g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_test_message ("%s failed: %s", argv[0], error ? error->message : err);
      return NULL;
    }

  return g_steal_pointer (&out);
}

static int
pdf_pages (const char *path)
{
  g_autofree char *info = run ((const char * const[]) { "pdfinfo", path, NULL });
  const char *pages;

  g_assert_nonnull (info);
  pages = strstr (info, "\nPages:");
  g_assert_nonnull (pages);

  return atoi (pages + strlen ("\nPages:"));
}

/* Why CUPS with cups-pdf cannot run here, or NULL. */
static char *
check_can_run (void)
{
  g_autofree char *lpadmin = NULL;
  g_autofree char *pdfinfo = NULL;

  if (!g_file_test (CUPSD, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (CUPSD " is missing: install the Debian package cups (scripts/install-deps)");
  if (!g_file_test (CUPS_PDF, G_FILE_TEST_EXISTS) ||
      !g_file_test (CUPS_PDF_PPD, G_FILE_TEST_EXISTS))
    return g_strdup ("cups-pdf is missing: install printer-driver-cups-pdf (scripts/install-deps)");
  if (!(lpadmin = g_find_program_in_path ("lpadmin")) ||
      !(pdfinfo = g_find_program_in_path ("pdfinfo")))
    return g_strdup ("lpadmin or pdfinfo is missing: install cups-client and poppler-utils");
  if (geteuid () != 0)
    return g_strdup ("not root: cups-pdf reads its output directory only from "
                     CUPS_CONF_DIR "/cups-pdf-QUEUE.conf, which only root may write, and its "
                     "backend must run as root under cupsd");
  if (access (CUPS_CONF_DIR, W_OK) != 0)
    return g_strdup_printf ("%s is not writable: %s", CUPS_CONF_DIR, g_strerror (errno));

  return NULL;
}

/* cupsd dies with the test, even one that aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
socket_exists (gpointer data)
{
  return g_file_test (socket_path, G_FILE_TEST_EXISTS);
}

/* A scheduler of our own, and a cups-pdf printer writing to out/. */
static void
start_cups (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files_conf = NULL;
  g_autofree char *cupsd_conf = NULL;
  g_autofree char *files_path = NULL;
  g_autofree char *cupsd_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *added = NULL;
  const char *dirs[] = { "conf", "spool", "spool/tmp", "cache", "state", "log", "out", NULL };

  for (guint i = 0; dirs[i]; i++)
    {
      g_autofree char *dir = g_build_filename (tmp_dir, dirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      /* Filters run as lp, cups-pdf writes as the job's owner. */
      g_assert_cmpint (g_chmod (dir, 01777), ==, 0);
    }
  g_assert_cmpint (g_chmod (tmp_dir, 0755), ==, 0);

  files_conf = g_strdup_printf ("ServerRoot %1$s/conf\n"
                                "RequestRoot %1$s/spool\n"
                                "TempDir %1$s/spool/tmp\n"
                                "CacheDir %1$s/cache\n"
                                "StateDir %1$s/state\n"
                                "AccessLog %1$s/log/access_log\n"
                                "ErrorLog %1$s/log/error_log\n"
                                "PageLog %1$s/log/page_log\n"
                                "User lp\n"
                                "Group lp\n"
                                "SystemGroup root\n", tmp_dir);
  write_file (tmp_dir, "cups-files.conf", files_conf);
  cupsd_conf = g_strdup_printf ("LogLevel debug\n"
                                "Listen %s\n"
                                "Browsing Off\n"
                                "WebInterface No\n"
                                "DefaultAuthType None\n"
                                "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                                "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
                                "<Policy default>\n  <Limit All>\n    Order deny,allow\n"
                                "  </Limit>\n</Policy>\n", socket_path);
  write_file (tmp_dir, "cupsd.conf", cupsd_conf);

  /* cups-pdf takes a queue's settings from /etc/cups/cups-pdf-QUEUE.conf,
   * QUEUE from its device URI cups-pdf:/QUEUE. */
  {
    g_autofree char *contents = g_strdup_printf ("Out %1$s/out\nAnonDirName %1$s/out\n"
                                                 "Label 0\n", tmp_dir);
    g_autofree char *dir = g_path_get_dirname (queue_conf);
    g_autofree char *name = g_path_get_basename (queue_conf);

    write_file (dir, name, contents);
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  cupsd_path = g_build_filename (tmp_dir, "cupsd.conf", NULL);
  files_path = g_build_filename (tmp_dir, "cups-files.conf", NULL);
  cupsd = g_subprocess_launcher_spawn (launcher, &error, CUPSD, "-f", "-c", cupsd_path,
                                       "-s", files_path, NULL);
  g_assert_no_error (error);
  ck_ui_wait_until (socket_exists, NULL, 20, "cupsd's socket");

  device = g_strdup_printf ("cups-pdf:/%s", queue);
  added = run ((const char * const[]) { "lpadmin", "-p", printer, "-E", "-v", device,
                                        "-P", CUPS_PDF_PPD, NULL });
  g_assert_nonnull (added);
}

static void
stop_cups (void)
{
  if (cupsd)
    {
      g_subprocess_send_signal (cupsd, SIGTERM);
      g_subprocess_wait (cupsd, NULL, NULL);
      g_clear_object (&cupsd);
    }
  if (queue_conf)
    g_unlink (queue_conf);
}

/* A consent stored the way the kiosk stores them. */
static CkConsentRecord *
store_consent (CkStore *store)
{
  g_autoptr(CkConfig) config = ck_config_new_defaults ();
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  CkConsentRecord *record;

  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  template = ck_template_new_default (&error);
  g_assert_no_error (error);
  flow = ck_flow_new (config, store, fonts);
  g_assert_true (ck_flow_show (flow, template, &error));
  g_assert_true (ck_flow_agree (flow, TRUE, TRUE, &error));
  g_assert_true (ck_flow_set_details (flow, "张三", "11010519491231002X", &error));
  g_assert_true (ck_flow_set_signature (flow, signature, &error));
  record = ck_flow_save (flow, NULL, &error);
  g_assert_no_error (error);

  return record;
}

typedef struct
{
  char *path;
} Printed;

/* The first PDF cups-pdf finished writing in out/. */
static gboolean
find_printed (gpointer data)
{
  Printed *printed = data;
  g_autofree char *out = g_build_filename (tmp_dir, "out", NULL);
  g_autoptr(GDir) dir = g_dir_open (out, 0, NULL);
  const char *name;

  if (printed->path)
    return TRUE;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (out, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".pdf") && g_stat (path, &st) == 0 && st.st_size > 0 &&
          (g_get_real_time () / G_USEC_PER_SEC) - st.st_mtime >= 1)
        {
          printed->path = g_steal_pointer (&path);
          return TRUE;
        }
    }

  return FALSE;
}

/* Print is sensitive again once the job was handed over, or failed. */
static gboolean
print_finished (gpointer data)
{
  GtkButton *print = ck_ui_find_button (GTK_WIDGET (data), T ("Print"));

  return gtk_widget_get_sensitive (GTK_WIDGET (print));
}

static void
test_print (void)
{
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *pdf_path = NULL;
  Printed printed = { NULL };
  GtkWindow *window;
  CkResultPage *page;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  start_cups ();

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  record = store_consent (store);
  pdf_path = g_build_filename (data_dir, record->pdf_path, NULL);

  /* The result page's Print, to the configured printer: no dialog. */
  window = GTK_WINDOW (gtk_window_new ());
  page = g_object_new (CK_TYPE_RESULT_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  ck_result_page_set_pdf (page, pdf_path, printer);
  ck_result_page_print (page);
  g_assert_false (print_finished (page));
  ck_ui_wait_until (print_finished, page, 60, "the job handed to CUPS");
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (page), T ("Sent to the printer.")));

  ck_ui_wait_until (find_printed, &printed, 120, "cups-pdf's output");
  g_test_message ("printed: %s", printed.path);
  g_assert_cmpint (pdf_pages (printed.path), ==, pdf_pages (pdf_path));
  g_assert_cmpint (pdf_pages (printed.path), ==, 1);

  gtk_window_destroy (window);
  g_free (printed.path);
}

typedef struct
{
  gboolean done;
  GError *error;
} PrintResult;

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  PrintResult *print = data;

  ck_print_file_finish (result, &print->error);
  print->done = TRUE;
}

static gboolean
print_is_done (gpointer data)
{
  return ((PrintResult *)data)->done;
}

/* A printer name that does not exist is an error that names it. */
static void
test_no_such_printer (void)
{
  PrintResult print = { FALSE, NULL };

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  ck_print_file_async (NULL, "/nonexistent.pdf", "test", "No_Such_Printer", NULL,
                       print_done, &print);
  ck_ui_wait_until (print_is_done, &print, 60, "the printer enumeration");
  g_assert_error (print.error, CK_PRINT_ERROR, CK_PRINT_ERROR_NO_PRINTER);
  g_assert_nonnull (strstr (print.error->message, "No_Such_Printer"));
  g_clear_error (&print.error);
}

/* GTK's print backends complain where a desktop's services are missing
 * (colord, the system bus for avahi): not the kiosk's business. */
static GLogWriterOutput
ignore_desktop_services (GLogLevelFlags   log_level,
                         const GLogField *fields,
                         gsize            n_fields,
                         gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        (strstr (fields[i].value, "colord") || strstr (fields[i].value, "system bus")))
      return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Queue configurations a crashed run left behind (their pid is gone). */
static void
remove_stale_queue_confs (void)
{
  const char *prefix = "cups-pdf-cktest";
  g_autoptr(GDir) dir = g_dir_open (CUPS_CONF_DIR, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *digits = NULL;
      g_autofree char *path = NULL;
      guint64 pid;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".conf"))
        continue;

      digits = g_strndup (name + strlen (prefix),
                          strlen (name) - strlen (prefix) - strlen (".conf"));
      path = g_build_filename (CUPS_CONF_DIR, name, NULL);
      if (g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT, &pid, NULL) &&
          kill ((pid_t)pid, 0) != 0 && errno == ESRCH)
        g_unlink (path);
    }
}

/* GTK's print dialog, when no printer is configured; wiping the screen
 * (cancelling) closes it. */
static void
test_dialog_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PrintResult print = { FALSE, NULL };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWindow *dialog;

  gtk_window_present (window);
  ck_print_file_async (window, "/nonexistent.pdf", "test", NULL, cancellable, print_done, &print);
  dialog = ck_ui_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);
  g_assert_nonnull (dialog);
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_assert_false (print.done);

  g_cancellable_cancel (cancellable);
  ck_ui_wait_until (print_is_done, &print, 10, "the dialog to close");
  g_assert_error (print.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (ck_ui_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG));
  g_clear_error (&print.error);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_log_set_writer_func (ignore_desktop_services, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-print-XXXXXX", &error);
  g_assert_no_error (error);
  socket_path = g_build_filename (tmp_dir, "cups.sock", NULL);
  queue = g_strdup_printf ("cktest%d", (int)getpid ());
  printer = g_strdup_printf ("CkTest_%d", (int)getpid ());
  queue_conf = g_strdup_printf (CUPS_CONF_DIR "/cups-pdf-%s.conf", queue);
  skip_reason = check_can_run ();
  if (skip_reason == NULL)
    remove_stale_queue_confs ();

  /* GTK's CUPS backend and the CUPS tools talk to our scheduler only; the
   * file backend ("Print to File") is not wanted. */
  g_setenv ("CUPS_SERVER", socket_path, TRUE);
  g_setenv ("GTK_PRINT_BACKENDS", "cups", TRUE);

  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  g_test_add_func ("/print/cups-pdf", test_print);
  g_test_add_func ("/print/no-such-printer", test_no_such_printer);
  g_test_add_func ("/print/dialog-cancelled", test_dialog_cancelled);

  status = g_test_run ();

  stop_cups ();
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&socket_path, g_free);
  g_clear_pointer (&queue, g_free);
  g_clear_pointer (&printer, g_free);
  g_clear_pointer (&queue_conf, g_free);
  g_clear_pointer (&skip_reason, g_free);

  return status;
}
