/* test-organization.c: the kiosk and the organisation a consent names
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A kiosk whose configuration leaves the purpose empty never shows a
 * customer the welcome page: staff see which key is missing. The demo
 * settings scripts/run-kiosk uses (data/demo.conf) are an example
 * organisation: the welcome page says so, and a customer can go through a
 * whole consent with them. Each test starts its own kiosk in a process of
 * its own (see test-kiosk-mode.c). */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-welcome-page.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

static char *tmp_dir;

static gboolean
ran_in_child (void)
{
  if (g_test_subprocess ())
    return FALSE;

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return TRUE;
}

/* The kiosk logs the missing key as a warning, for the journal: here it
 * is expected, not fatal. */
static gboolean
allow_missing_key (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        data)
{
  return strstr (message, "[organization] purpose is not set") == NULL;
}

static void
test_missing_purpose (void)
{
  g_autofree char *contents = NULL;
  CkApplication *app;
  GtkWindow *window;

  if (ran_in_child ())
    return;

  g_test_log_set_fatal_handler (allow_missing_key, NULL);
  contents = g_strdup_printf ("[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n"
                              "[kiosk]\ndata_dir = %s/missing\n", tmp_dir);
  app = ck_ui_start_kiosk (tmp_dir, contents);
  window = ck_ui_present (G_APPLICATION (app));

  /* Staff read the key; no page of the customer's flow is shown. */
  ck_ui_wait_for_page (CK_WINDOW (window), "error", 10);
  g_assert_true (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (ck_ui_page (CK_WINDOW (window), "error"))),
                         "[organization] purpose is not set") != NULL);
  ck_ui_stop_kiosk (app);
}

static void
test_example (void)
{
  g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo.conf", NULL);
  g_autofree char *demo_conf = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  CkApplication *app;
  GtkWindow *window;
  GtkWidget *welcome;
  GtkLabel *example;

  if (ran_in_child ())
    return;

  /* data/demo.conf itself, with the data directory moved into the test's. */
  g_assert_true (g_file_get_contents (demo, &demo_conf, NULL, NULL));
  contents = g_strdup_printf ("%s\n[kiosk]\ndata_dir = %s/example\n", demo_conf, tmp_dir);
  app = ck_ui_start_kiosk (tmp_dir, contents);
  window = ck_ui_present (G_APPLICATION (app));
  ck_ui_wait_for_page (CK_WINDOW (window), "welcome", 10);

  welcome = ck_ui_find_descendant (GTK_WIDGET (window), CK_TYPE_WELCOME_PAGE);
  g_assert_nonnull (ck_ui_find_label (welcome, "示例银行股份有限公司"));
  example = ck_ui_find_label (welcome, T ("Example organisation, for demonstration only: no consent "
                                          "signed here is real"));
  g_assert_nonnull (example);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (example)));

  /* A consent with them is stored, and its PDF says 示例机构. */
  {
    CkConfig *config = ck_application_get_config (app, &error);
    CkStore *store;
    g_autofree char *path = NULL;
    g_autofree char *out = NULL;
    int status;

    g_assert_no_error (error);
    store = ck_application_get_store (app, &error);
    g_assert_no_error (error);
    record = ck_ui_store_consent (store, config, "张三", "11010519491231002X");
    g_assert_cmpstr (record->org_business, ==, "开立个人银行账户");
    path = g_build_filename (tmp_dir, "example", record->pdf_path, NULL);
    g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *)"pdftotext", (char *)"-enc", (char *)"UTF-8",
                                                    path, (char *)"-", NULL },
                                 NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    ck_test_assert_contains (out, "示例机构");
  }

  ck_ui_stop_kiosk (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Only the configuration each test writes: not the UI tests' shared one. */
  g_setenv ("CK_SYSTEM_CONFIG", "/nonexistent/consent-kiosk.conf", TRUE);

  if (g_getenv ("CK_TEST_ORGANIZATION_DIR"))
    tmp_dir = g_strdup (g_getenv ("CK_TEST_ORGANIZATION_DIR"));
  else
    {
      tmp_dir = g_dir_make_tmp ("test-organization-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("CK_TEST_ORGANIZATION_DIR", tmp_dir, TRUE);
    }

  g_test_add_func ("/organization/missing-purpose", test_missing_purpose);
  g_test_add_func ("/organization/example", test_example);
  status = g_test_run ();

  if (!g_test_subprocess ())
    ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
