/* test-print.c: printing a stored consent through GTK to CUPS
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A private CUPS scheduler with a cups-pdf queue (ck-test-cups.h). The
 * result page prints a stored consent to that queue by name, without a
 * dialog, through libcups (the stored PDF itself); cups-pdf writes what the
 * "printer" received as a PDF, whose pages and text must be the consent's.
 *
 * The kiosk (kiosk mode, each test in a process of its own: printing is
 * locked down for the life of a process): while the customer taps Print,
 * no window but the kiosk's may appear (no print dialog, no file chooser),
 * with the printer configured or without (then the customer is told to
 * ask staff); a printer out of paper, jammed, paused, rejecting jobs or
 * unknown is told in plain Chinese, and gets no job; a job held in the
 * queue is told while it waits, and printed once released.
 *
 * Skips, saying why, where CUPS or cups-pdf cannot run; the kiosk without
 * a printer needs no CUPS. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <gtk/gtkunixprint.h>
#include <locale.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-print.h"
#include "ck-result-page.h"
#include "ck-window.h"
#include "ck-test-cups.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

static CkTestCups *cups;
static char *tmp_dir;

/* Print is sensitive again once the job was printed, or failed. */
static gboolean
print_finished (gpointer data)
{
  GtkButton *print = ck_ui_find_button (GTK_WIDGET (data), T ("Print"));

  return gtk_widget_get_sensitive (GTK_WIDGET (print));
}

static void
test_print (void)
{
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *printed = NULL;
  GtkWindow *window;
  CkResultPage *page;

  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_skip (ck_test_cups_get_skip_reason (cups));
      return;
    }

  ck_test_cups_start (cups);

  /* The organisation the consent names (a consent is not stored without). */
  {
    g_autofree char *path = g_build_filename (tmp_dir, "print.conf", NULL);
    g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);

    g_assert_true (g_file_set_contents (path, "[organization]\nname = 示例银行股份有限公司\n"
                                        "business = 个人贷款\npurpose = 身份核验\n", -1, NULL));
    config = ck_config_load (none, none, path, &error);
    g_assert_no_error (error);
  }

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  record = ck_ui_store_consent (store, config, "张三", "11010519491231002X");
  pdf_path = g_build_filename (data_dir, record->pdf_path, NULL);

  /* The result page's Print, to the configured printer: no dialog. */
  window = GTK_WINDOW (gtk_window_new ());
  page = g_object_new (CK_TYPE_RESULT_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  ck_result_page_set_pdf (page, pdf_path, ck_test_cups_get_printer (cups));
  ck_result_page_print (page);
  g_assert_false (print_finished (page));
  ck_ui_wait_until (print_finished, page, 120, "the job printed by CUPS");
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (page),
                                      T ("Printed. Please take your copy from the printer.")));

  printed = ck_test_cups_wait_for_pdf (cups, 120);
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, ck_test_pdf_pages (pdf_path));
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, 1);
  g_assert_cmpuint (ck_test_cups_count_jobs (cups), ==, 1);

  gtk_window_destroy (window);
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

  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_skip (ck_test_cups_get_skip_reason (cups));
      return;
    }

  ck_test_cups_start (cups);
  ck_print_file_async (NULL, "/nonexistent.pdf", "test", "No_Such_Printer", NULL, NULL, NULL,
                       print_done, &print);
  ck_ui_wait_until (print_is_done, &print, 60, "CUPS's answer");
  g_assert_error (print.error, CK_PRINT_ERROR, CK_PRINT_PROBLEM_NOT_FOUND);
  g_assert_nonnull (strstr (print.error->message, "No_Such_Printer"));
  g_clear_error (&print.error);
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
  ck_print_file_async (window, "/nonexistent.pdf", "test", NULL, NULL, NULL, cancellable,
                       print_done, &print);
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

/* The kiosk, in kiosk mode ----------------------------------------------- */

/* In the test's own process: runs the test again in a child and passes if
 * it passed (returns TRUE); in the child, returns FALSE and the test goes
 * on. Printing is locked down for the life of a process. */
static gboolean
ran_in_child (void)
{
  if (g_test_subprocess ())
    return FALSE;

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return TRUE;
}

/* Any window but the kiosk's fails the test the moment it appears: a
 * print dialog, a file chooser, anything. */
static void
on_toplevels_changed (GListModel *toplevels,
                      guint       position,
                      guint       removed,
                      guint       added,
                      gpointer    data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (!CK_IS_WINDOW (window))
        g_error ("A window other than the kiosk's appeared: %s", G_OBJECT_TYPE_NAME (window));
    }
}

static void
watch_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      g_assert_true (CK_IS_WINDOW (window));
    }
  g_signal_connect (toplevels, "items-changed", G_CALLBACK (on_toplevels_changed), NULL);
}

/* A consent stored in @data_dir, as the kiosk stored it; its PDF's path. */
static char *
store_consent (const char *data_dir)
{
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "print.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);

  g_assert_true (g_file_set_contents (path, "[organization]\nname = 示例银行股份有限公司\n"
                                      "business = 个人贷款\npurpose = 身份核验\n", -1, NULL));
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  record = ck_ui_store_consent (store, config, "张三", "11010519491231002X");

  return g_build_filename (data_dir, record->pdf_path, NULL);
}

typedef struct
{
  CkApplication *app;
  CkWindow *window;
  CkResultPage *page;
  char *pdf_path;
} Kiosk;

/* A kiosk in kiosk mode, @printer configured (or none), watched for
 * foreign windows from before its own appears, on its result page with a
 * stored consent. */
static void
kiosk_start (Kiosk      *kiosk,
             const char *printer)
{
  g_autofree char *data_dir = g_build_filename (tmp_dir, "kiosk-data", NULL);
  g_autofree char *config = NULL;
  g_autofree char *backends = NULL;
  g_autoptr(GError) disabled = g_error_new_literal (CK_VERIFY_QUEUE_ERROR,
                                                    CK_VERIFY_QUEUE_ERROR_DISABLED, "disabled");

  kiosk->pdf_path = store_consent (data_dir);
  config = g_strdup_printf ("[kiosk]\ndata_dir = %s\nkiosk_mode = true\nidle_timeout_s = 3600\n"
                            "%s%s\n", data_dir, printer ? "printer = " : "",
                            printer ? printer : "");
  kiosk->app = ck_ui_start_kiosk (tmp_dir, config);
  watch_toplevels ();
  kiosk->window = CK_WINDOW (ck_ui_present (G_APPLICATION (kiosk->app)));
  g_assert_true (ck_window_get_kiosk_mode (kiosk->window));
  g_assert_true (ck_print_is_locked_down ());
  /* GTK 4.8's own switch (it ignores GTK_PRINT_BACKENDS): should any
   * print dialog ever open, CUPS printers only, no "Print to File". */
  g_object_get (gtk_settings_get_default (), "gtk-print-backends", &backends, NULL);
  g_assert_cmpstr (backends, ==, "cups");

  kiosk->page = CK_RESULT_PAGE (ck_ui_page (kiosk->window, "result"));
  /* The page stays however long printing takes here (its countdown home
   * is tested in test-elderly). */
  ck_result_page_set_return_after (kiosk->page, 0);
  ck_result_page_set_result (kiosk->page, NULL, disabled, FALSE);
  ck_result_page_set_pdf (kiosk->page, kiosk->pdf_path, printer);
  gtk_stack_set_visible_child (ck_window_get_stack (kiosk->window), GTK_WIDGET (kiosk->page));
  ck_ui_wait_for_frames (GTK_WIDGET (kiosk->window), 3);
}

static void
kiosk_stop (Kiosk *kiosk)
{
  ck_ui_stop_kiosk (g_steal_pointer (&kiosk->app));
  g_clear_pointer (&kiosk->pdf_path, g_free);
}

typedef struct
{
  CkResultPage *page;
  const char *text;
} Shown;

static gboolean
label_shown (gpointer data)
{
  Shown *shown = data;

  return ck_ui_find_label (GTK_WIDGET (shown->page), shown->text) != NULL &&
         gtk_widget_get_sensitive (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (shown->page),
                                                                  T ("Print"))));
}

/* @text is shown, whatever the Print button. */
static gboolean
message_shown (gpointer data)
{
  Shown *shown = data;

  return ck_ui_find_label (GTK_WIDGET (shown->page), shown->text) != NULL;
}

/* The id of @printer's first job that is not done (lpstat -o). */
static char *
first_job (const char *printer)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char *[]) { (char *)"lpstat", (char *)"-o", (char *)printer, NULL }, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  words = g_strsplit_set (out, " \n", 2);
  g_assert_true (g_str_has_prefix (words[0], printer));

  return g_strdup (words[0]);
}

/* The customer taps Print (X input) and is told @text. */
static void
tap_print (Kiosk      *kiosk,
           const char *text)
{
  Shown shown = { kiosk->page, text };
  g_autofree char *what = g_strdup_printf ("“%s” on the result page", text);

  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (kiosk->page), T ("Print"))));
  ck_ui_wait_until (label_shown, &shown, 120, what);
}

/* In Chinese, where the locale is installed (ck_ui_as_customers_see_it ()). */
static gboolean
in_chinese (void)
{
  return g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "zh_CN");
}

/* Kiosk mode, the printer configured: the tap prints the stored PDF, and
 * nothing but the kiosk's window appears. */
static void
test_kiosk_printer (void)
{
  Kiosk kiosk = { 0 };
  PrintResult print = { FALSE, NULL };
  g_autofree char *printed = NULL;
  g_autofree char *printed_text = NULL;
  g_autofree char *stored_text = NULL;
  g_autofree char *shot = NULL;

  if (ran_in_child ())
    return;
  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_skip (ck_test_cups_get_skip_reason (cups));
      return;
    }

  ck_test_cups_start (cups);
  kiosk_start (&kiosk, ck_test_cups_get_pass_printer (cups));
  tap_print (&kiosk, T ("Printed. Please take your copy from the printer."));
  if (in_chinese ())
    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page),
                                        "打印好了，请从打印机取走您的授权书。"));
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-printed");

  /* What was printed is what was signed: the PDF the printer got has the
   * stored PDF's pages and text (CUPS reported the job completed: the file
   * is whole). */
  printed = g_strdup (ck_test_cups_get_pass_file (cups));
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, ck_test_pdf_pages (kiosk.pdf_path));
  printed_text = ck_test_pdf_text (printed);
  stored_text = ck_test_pdf_text (kiosk.pdf_path);
  g_assert_nonnull (strstr (stored_text, "张三"));
  g_assert_nonnull (strstr (stored_text, "11010519491231002X"));
  g_assert_cmpstr (printed_text, ==, stored_text);

  /* Staff's reprint without a printer, in kiosk mode: no dialog either. */
  ck_print_file_async (GTK_WINDOW (kiosk.window), kiosk.pdf_path, "test", NULL, NULL, NULL, NULL,
                       print_done, &print);
  ck_ui_wait_until (print_is_done, &print, 10, "the refusal");
  g_assert_error (print.error, CK_PRINT_ERROR, CK_PRINT_PROBLEM_NO_PRINTER);
  g_clear_error (&print.error);
  ck_ui_wait_for_frames (GTK_WIDGET (kiosk.window), 3);

  kiosk_stop (&kiosk);
}

/* Kiosk mode, no printer: the tap tells the customer to ask staff, and
 * opens nothing. */
static void
test_kiosk_no_printer (void)
{
  Kiosk kiosk = { 0 };
  g_autofree char *shot = NULL;

  if (ran_in_child ())
    return;

  kiosk_start (&kiosk, NULL);
  tap_print (&kiosk, ck_print_problem_get_customer_message (CK_PRINT_PROBLEM_NO_PRINTER));
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page),
                                      T ("This kiosk does not print. Please ask a member of "
                                         "staff for a printed copy.")));
  if (in_chinese ())
    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page),
                                        "本机不能打印。如需纸质授权书，请找工作人员索取。"));
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-no-printer");

  /* Again: still nothing opens. */
  tap_print (&kiosk, ck_print_problem_get_customer_message (CK_PRINT_PROBLEM_NO_PRINTER));
  kiosk_stop (&kiosk);
}

/* A printer that cannot print now is told in plain words, in Chinese,
 * each reason its own message, and gets no job. */
static void
test_kiosk_printer_problems (void)
{
  const char *printer;
  g_autofree char *shot = NULL;
  Kiosk kiosk = { 0 };

  if (ran_in_child ())
    return;
  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_skip (ck_test_cups_get_skip_reason (cups));
      return;
    }

  ck_test_cups_start (cups);
  printer = ck_test_cups_get_printer (cups);
  kiosk_start (&kiosk, printer);

  /* Out of paper, as a printer's backend reports it to CUPS. */
  ck_test_cups_run (cups, (const char * const[]) { "lpadmin", "-p", printer, "-o",
                                                   "printer-state-reasons=media-empty-error",
                                                   NULL });
  tap_print (&kiosk, T ("The printer is out of paper. Please ask a member of staff for help."));
  if (in_chinese ())
    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page), "打印机缺纸。请找工作人员帮忙。"));
  g_free (shot);
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-media-empty");

  /* Jammed, and low on toner: the jam is told. */
  ck_test_cups_run (cups, (const char * const[]) { "lpadmin", "-p", printer, "-o",
                                                   "printer-state-reasons=toner-low-warning,"
                                                   "media-jam-error", NULL });
  tap_print (&kiosk, T ("Paper is stuck in the printer. Please ask a member of staff for help."));
  if (in_chinese ())
    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page), "打印机卡纸了。请找工作人员帮忙。"));
  g_free (shot);
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-media-jam");
  ck_test_cups_run (cups, (const char * const[]) { "lpadmin", "-p", printer, "-o",
                                                   "printer-state-reasons=none", NULL });

  /* Paused by staff (cupsdisable). */
  ck_test_cups_run (cups, (const char * const[]) { "cupsdisable", "-r", "maintenance", printer,
                                                   NULL });
  tap_print (&kiosk, T ("The printer is not in service now. Please ask a member of staff for "
                        "a printed copy."));
  g_free (shot);
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-paused");
  ck_test_cups_run (cups, (const char * const[]) { "cupsenable", printer, NULL });

  /* Rejecting jobs (cupsreject). */
  ck_test_cups_run (cups, (const char * const[]) { "cupsreject", printer, NULL });
  tap_print (&kiosk, T ("The printer is not in service now. Please ask a member of staff for "
                        "a printed copy."));
  ck_test_cups_run (cups, (const char * const[]) { "cupsaccept", printer, NULL });

  /* None of them got a job. */
  g_assert_cmpuint (ck_test_cups_count_jobs (cups), ==, 0);

  /* A job that waits: told while it waits, printed once staff release
   * it (every job held: job-hold-until-default). */
  ck_test_cups_run (cups, (const char * const[]) { "lpadmin", "-p", printer, "-o",
                                                   "job-hold-until-default=indefinite", NULL });
  {
    Shown waiting = { kiosk.page, T ("The printer is not in service now. Please ask a member of "
                                     "staff for a printed copy.") };
    g_autofree char *job = NULL;

    ck_ui_tap (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (kiosk.page), T ("Print"))));
    ck_ui_wait_until (message_shown, &waiting, 120, "the held job told");
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (kiosk.page),
                                                                             T ("Print")))));
    g_free (shot);
    shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-held");
    job = first_job (printer);
    ck_test_cups_run (cups, (const char * const[]) { "lp", "-i", job, "-H", "resume", NULL });
  }
  {
    Shown printed = { kiosk.page, T ("Printed. Please take your copy from the printer.") };

    ck_ui_wait_until (label_shown, &printed, 120, "the released job printed");
  }
  ck_test_cups_run (cups, (const char * const[]) { "lpadmin", "-p", printer, "-o",
                                                   "job-hold-until-default=no-hold", NULL });
  g_free (ck_test_cups_wait_for_pdf (cups, 120));

  /* A printer CUPS does not know. */
  ck_result_page_set_pdf (kiosk.page, kiosk.pdf_path, "No_Such_Printer");
  tap_print (&kiosk, T ("The printer cannot be found. Please ask a member of staff for a "
                        "printed copy."));
  if (in_chinese ())
    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (kiosk.page),
                                        "找不到打印机。如需纸质授权书，请找工作人员索取。"));
  g_free (shot);
  shot = ck_ui_save_screenshot (GTK_WIDGET (kiosk.window), "print-kiosk-not-found");

  kiosk_stop (&kiosk);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  ck_ui_ignore_desktop_services ();
  /* Customers read Chinese: the messages are checked as they see them. */
  ck_ui_as_customers_see_it ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-print-XXXXXX", &error);
  g_assert_no_error (error);
  /* GTK's CUPS backend and the CUPS tools talk to our scheduler only. */
  cups = ck_test_cups_new ();

  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  /* A kiosk's child: GTK comes with the kiosk (ck_ui_start_kiosk ()),
   * after its configuration folder is set. */
  if (!g_test_subprocess ())
    adw_init ();

  g_test_add_func ("/print/cups-pdf", test_print);
  g_test_add_func ("/print/no-such-printer", test_no_such_printer);
  g_test_add_func ("/print/dialog-cancelled", test_dialog_cancelled);
  g_test_add_func ("/print/kiosk/printer", test_kiosk_printer);
  g_test_add_func ("/print/kiosk/no-printer", test_kiosk_no_printer);
  g_test_add_func ("/print/kiosk/printer-problems", test_kiosk_printer_problems);

  status = g_test_run ();

  g_clear_pointer (&cups, ck_test_cups_free);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
