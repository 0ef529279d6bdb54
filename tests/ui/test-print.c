/* test-print.c: printing a stored consent through GTK to CUPS
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A private CUPS scheduler with a cups-pdf queue (ck-test-cups.h). The
 * result page prints a stored consent to that queue by name, without a
 * dialog, through GTK's print backend (gtk_print_job_set_source_file: the
 * stored PDF itself); cups-pdf writes what the "printer" received as a PDF,
 * whose page count must be the consent's. Skips, saying why, where CUPS or
 * cups-pdf cannot run. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <gtk/gtkunixprint.h>
#include <string.h>

#include "ck.h"
#include "ck-print.h"
#include "ck-result-page.h"
#include "ck-test-cups.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

static CkTestCups *cups;
static char *tmp_dir;

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
  ck_ui_wait_until (print_finished, page, 60, "the job handed to CUPS");
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (page), T ("Sent to the printer.")));

  printed = ck_test_cups_wait_for_pdf (cups, 120);
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, ck_test_pdf_pages (pdf_path));
  /* The consent and its signing record. */
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, 2);
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
  ck_print_file_async (NULL, "/nonexistent.pdf", "test", "No_Such_Printer", NULL,
                       print_done, &print);
  ck_ui_wait_until (print_is_done, &print, 60, "the printer enumeration");
  g_assert_error (print.error, CK_PRINT_ERROR, CK_PRINT_ERROR_NO_PRINTER);
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

  ck_ui_ignore_desktop_services ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-print-XXXXXX", &error);
  g_assert_no_error (error);
  /* GTK's CUPS backend and the CUPS tools talk to our scheduler only. */
  cups = ck_test_cups_new ();

  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  g_test_add_func ("/print/cups-pdf", test_print);
  g_test_add_func ("/print/no-such-printer", test_no_such_printer);
  g_test_add_func ("/print/dialog-cancelled", test_dialog_cancelled);

  status = g_test_run ();

  g_clear_pointer (&cups, ck_test_cups_free);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
