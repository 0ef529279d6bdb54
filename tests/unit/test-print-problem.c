/* test-print-problem.c: CUPS printer-state-reasons read as what a customer is told
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

static CkPrintProblem
from (const char *reasons)
{
  g_auto(GStrv) list = g_strsplit (reasons, ",", -1);

  return ck_print_problem_from_reasons ((const char * const *)list);
}

/* Each keyword, with each suffix: -error (or none) stops the printer,
 * -warning and -report do not, except where CUPS means it. */
static void
test_reasons (void)
{
  static const struct {
    const char *reasons;
    CkPrintProblem problem;
  } cases[] = {
    { "none", CK_PRINT_PROBLEM_NONE },
    { "", CK_PRINT_PROBLEM_NONE },
    { "media-empty-error", CK_PRINT_PROBLEM_MEDIA_EMPTY },
    { "media-empty", CK_PRINT_PROBLEM_MEDIA_EMPTY },
    { "media-empty-warning", CK_PRINT_PROBLEM_NONE },
    { "media-empty-report", CK_PRINT_PROBLEM_NONE },
    { "media-needed-error", CK_PRINT_PROBLEM_MEDIA_EMPTY },
    { "media-jam-error", CK_PRINT_PROBLEM_MEDIA_JAM },
    { "media-low-warning", CK_PRINT_PROBLEM_NONE },
    { "door-open-error", CK_PRINT_PROBLEM_DOOR_OPEN },
    { "cover-open", CK_PRINT_PROBLEM_DOOR_OPEN },
    { "interlock-open-error", CK_PRINT_PROBLEM_DOOR_OPEN },
    { "toner-empty-error", CK_PRINT_PROBLEM_TONER_EMPTY },
    { "marker-supply-empty-error", CK_PRINT_PROBLEM_TONER_EMPTY },
    { "toner-low-warning", CK_PRINT_PROBLEM_TONER_LOW },
    { "toner-low-report", CK_PRINT_PROBLEM_TONER_LOW },
    { "marker-supply-low-warning", CK_PRINT_PROBLEM_TONER_LOW },
    { "output-area-full-error", CK_PRINT_PROBLEM_OUTPUT_FULL },
    { "offline-report", CK_PRINT_PROBLEM_OFFLINE },
    { "offline-error", CK_PRINT_PROBLEM_OFFLINE },
    { "shutdown", CK_PRINT_PROBLEM_OFFLINE },
    { "timed-out-error", CK_PRINT_PROBLEM_OFFLINE },
    { "paused", CK_PRINT_PROBLEM_PAUSED },
    { "stopped", CK_PRINT_PROBLEM_PAUSED },
    { "hold-new-jobs", CK_PRINT_PROBLEM_PAUSED },
    { "cups-missing-filter-warning", CK_PRINT_PROBLEM_UNSUPPORTED },
    { "fuser-over-temp-error", CK_PRINT_PROBLEM_FAILED },
    { "other-error", CK_PRINT_PROBLEM_FAILED },
    { "other-warning", CK_PRINT_PROBLEM_NONE },
    { "connecting-to-device", CK_PRINT_PROBLEM_NONE },
    { "cups-waiting-for-job-completed", CK_PRINT_PROBLEM_NONE },
    /* Only whole keywords. */
    { "media", CK_PRINT_PROBLEM_NONE },
    { "media-empty-tray-error", CK_PRINT_PROBLEM_FAILED },
    { "xmedia-empty", CK_PRINT_PROBLEM_NONE },
    /* Several: the one staff must fix by hand first. */
    { "paused,media-empty-error", CK_PRINT_PROBLEM_MEDIA_EMPTY },
    { "media-empty-error,media-jam-error", CK_PRINT_PROBLEM_MEDIA_JAM },
    { "toner-low-warning,door-open-error", CK_PRINT_PROBLEM_DOOR_OPEN },
    { "toner-low-warning,paused", CK_PRINT_PROBLEM_PAUSED },
    { "offline-report,paused", CK_PRINT_PROBLEM_OFFLINE },
    { "none,toner-low-report", CK_PRINT_PROBLEM_TONER_LOW },
  };

  g_assert_cmpint (ck_print_problem_from_reasons (NULL), ==, CK_PRINT_PROBLEM_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].reasons);
      g_assert_cmpint (from (cases[i].reasons), ==, cases[i].problem);
    }

  g_assert_false (ck_print_problem_is_blocking (CK_PRINT_PROBLEM_NONE));
  g_assert_false (ck_print_problem_is_blocking (CK_PRINT_PROBLEM_TONER_LOW));
  g_assert_true (ck_print_problem_is_blocking (CK_PRINT_PROBLEM_MEDIA_EMPTY));
  g_assert_true (ck_print_problem_is_blocking (CK_PRINT_PROBLEM_PAUSED));
}

/* Every problem has a label for staff and a message for the customer,
 * each its own; in Chinese the messages are plain Chinese (no English, no
 * CUPS keyword) and tell the customer to ask staff. */
static void
test_messages (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(CkTestLocale) saved = { NULL, NULL };

  g_assert_null (ck_print_problem_get_customer_message (CK_PRINT_PROBLEM_NONE));
  for (CkPrintProblem p = CK_PRINT_PROBLEM_NO_PRINTER; p <= CK_PRINT_PROBLEM_FAILED; p++)
    {
      const char *message = ck_print_problem_get_customer_message (p);

      g_assert_nonnull (message);
      g_assert_nonnull (ck_print_problem_get_label (p));
      g_assert_false (g_hash_table_contains (seen, message));
      g_hash_table_add (seen, (gpointer)message);
      g_assert_nonnull (strstr (message, "staff"));
    }

  if (!ck_test_locale_use_chinese (&saved))
    return;

  g_assert_cmpstr (ck_print_problem_get_customer_message (CK_PRINT_PROBLEM_MEDIA_EMPTY), ==,
                   "打印机缺纸。请找工作人员帮忙。");
  for (CkPrintProblem p = CK_PRINT_PROBLEM_NO_PRINTER; p <= CK_PRINT_PROBLEM_FAILED; p++)
    {
      const char *message = ck_print_problem_get_customer_message (p);

      g_test_message ("%d: %s", p, message);
      g_assert_nonnull (strstr (message, "工作人员"));
      for (const char *c = message; *c; c++)
        g_assert_false (g_ascii_isalpha (*c));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/print-problem/reasons", test_reasons);
  g_test_add_func ("/print-problem/messages", test_messages);

  return g_test_run ();
}
