/* ck-print-problem.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What stands between a consent and its printed copy, in words a customer
 * understands: CUPS's printer-state-reasons keywords (RFC 8011 5.4.12,
 * with CUPS's own: paused, cups-missing-filter, …) read as one problem,
 * the most important one, and each problem's message. The customer is
 * never shown a CUPS string; staff read the label and, in the journal,
 * CUPS's own words. */

#define G_LOG_DOMAIN "ck-print-problem"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-print-problem.h"

G_DEFINE_QUARK (ck-print-error-quark, ck_print_error)

/* Reasons by their keyword without suffix. A reason counts unless its
 * suffix is -warning or -report, except those marked "always" (a queue
 * CUPS reports offline-report for does not print). */
static const struct {
  const char *keyword;
  CkPrintProblem problem;
  gboolean always;
} reasons_table[] = {
  { "media-empty",          CK_PRINT_PROBLEM_MEDIA_EMPTY, FALSE },
  { "media-needed",         CK_PRINT_PROBLEM_MEDIA_EMPTY, FALSE },
  { "media-jam",            CK_PRINT_PROBLEM_MEDIA_JAM,   FALSE },
  { "door-open",            CK_PRINT_PROBLEM_DOOR_OPEN,   FALSE },
  { "cover-open",           CK_PRINT_PROBLEM_DOOR_OPEN,   FALSE },
  { "interlock-open",       CK_PRINT_PROBLEM_DOOR_OPEN,   FALSE },
  { "toner-empty",          CK_PRINT_PROBLEM_TONER_EMPTY, FALSE },
  { "marker-supply-empty",  CK_PRINT_PROBLEM_TONER_EMPTY, FALSE },
  { "developer-empty",      CK_PRINT_PROBLEM_TONER_EMPTY, FALSE },
  { "toner-low",            CK_PRINT_PROBLEM_TONER_LOW,   TRUE },
  { "marker-supply-low",    CK_PRINT_PROBLEM_TONER_LOW,   TRUE },
  { "developer-low",        CK_PRINT_PROBLEM_TONER_LOW,   TRUE },
  { "output-area-full",     CK_PRINT_PROBLEM_OUTPUT_FULL, FALSE },
  { "offline",              CK_PRINT_PROBLEM_OFFLINE,     TRUE },
  { "shutdown",             CK_PRINT_PROBLEM_OFFLINE,     TRUE },
  { "timed-out",            CK_PRINT_PROBLEM_OFFLINE,     TRUE },
  { "paused",               CK_PRINT_PROBLEM_PAUSED,      TRUE },
  { "stopped",              CK_PRINT_PROBLEM_PAUSED,      TRUE },
  { "moving-to-paused",     CK_PRINT_PROBLEM_PAUSED,      TRUE },
  { "hold-new-jobs",        CK_PRINT_PROBLEM_PAUSED,      TRUE },
  { "cups-missing-filter",  CK_PRINT_PROBLEM_UNSUPPORTED, TRUE },
  { "cups-insecure-filter", CK_PRINT_PROBLEM_UNSUPPORTED, TRUE },
};

/* Which problem is told when the printer has several: the one staff must
 * fix by hand first; "paused" is often CUPS's answer to one of the others. */
static const CkPrintProblem by_importance[] = {
  CK_PRINT_PROBLEM_MEDIA_JAM,
  CK_PRINT_PROBLEM_MEDIA_EMPTY,
  CK_PRINT_PROBLEM_DOOR_OPEN,
  CK_PRINT_PROBLEM_TONER_EMPTY,
  CK_PRINT_PROBLEM_OUTPUT_FULL,
  CK_PRINT_PROBLEM_OFFLINE,
  CK_PRINT_PROBLEM_UNSUPPORTED,
  CK_PRINT_PROBLEM_FAILED,
  CK_PRINT_PROBLEM_PAUSED,
  CK_PRINT_PROBLEM_TONER_LOW,
};

static const struct {
  const char *label;
  const char *message;
} problems[] = {
  [CK_PRINT_PROBLEM_NONE] = { N_("Ready"), NULL },
  [CK_PRINT_PROBLEM_NO_PRINTER] = {
    N_("No printer is configured"),
    N_("This kiosk does not print. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_NOT_FOUND] = {
    N_("The printer was not found"),
    N_("The printer cannot be found. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_NO_SERVICE] = {
    N_("The printing service (CUPS) cannot be reached"),
    N_("The printing service is not running. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_MEDIA_EMPTY] = {
    N_("Out of paper"),
    N_("The printer is out of paper. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_MEDIA_JAM] = {
    N_("Paper jam"),
    N_("Paper is stuck in the printer. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_DOOR_OPEN] = {
    N_("A door or cover is open"),
    N_("A cover of the printer is open. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_TONER_EMPTY] = {
    N_("Out of toner or ink"),
    N_("The printer has run out of ink or toner. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_TONER_LOW] = {
    N_("Toner or ink low"),
    N_("The printer’s ink or toner is low, so the print may be faint. If it is hard to read, "
       "please ask a member of staff.") },
  [CK_PRINT_PROBLEM_OUTPUT_FULL] = {
    N_("Output tray full"),
    N_("The printer’s output tray is full. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_OFFLINE] = {
    N_("The printer is offline"),
    N_("The printer is switched off or not connected. Please ask a member of staff for help.") },
  [CK_PRINT_PROBLEM_PAUSED] = {
    N_("The printer is paused or does not accept jobs"),
    N_("The printer is not in service now. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_UNSUPPORTED] = {
    N_("The printer cannot print PDF"),
    N_("This printer cannot print the consent. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_JOB_CANCELLED] = {
    N_("The job was cancelled"),
    N_("The printing was cancelled. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_JOB_ABORTED] = {
    N_("The job was aborted"),
    N_("The printing did not finish. Please ask a member of staff for a printed copy.") },
  [CK_PRINT_PROBLEM_FAILED] = {
    N_("Printer error"),
    N_("The printer has a problem. Please ask a member of staff for help.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (problems) == CK_PRINT_PROBLEM_FAILED + 1);

static CkPrintProblem
reason_problem (const char *reason)
{
  static const char * const suffixes[] = { "-error", "-warning", "-report" };
  gsize length = strlen (reason);
  gboolean counts = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (reason, suffixes[i]))
      {
        length -= strlen (suffixes[i]);
        counts = i == 0;
        break;
      }

  for (guint i = 0; i < G_N_ELEMENTS (reasons_table); i++)
    if (strlen (reasons_table[i].keyword) == length &&
        strncmp (reasons_table[i].keyword, reason, length) == 0)
      return (counts || reasons_table[i].always) ? reasons_table[i].problem : CK_PRINT_PROBLEM_NONE;

  /* Any other error stops the printer; other keywords (none,
   * connecting-to-device, cups-waiting-for-job-completed, …) do not. */
  return g_str_has_suffix (reason, "-error") ? CK_PRINT_PROBLEM_FAILED : CK_PRINT_PROBLEM_NONE;
}

/**
 * ck_print_problem_from_reasons:
 * @reasons: (nullable) (array zero-terminated=1): printer-state-reasons
 *   keywords, as CUPS reports them ("media-empty-error", "paused", …)
 *
 * Returns: the most important problem among @reasons, or
 *   %CK_PRINT_PROBLEM_NONE when none stands in the way of printing
 */
CkPrintProblem
ck_print_problem_from_reasons (const char * const *reasons)
{
  guint best = G_N_ELEMENTS (by_importance);

  for (guint i = 0; reasons && reasons[i]; i++)
    {
      CkPrintProblem problem = reason_problem (reasons[i]);

      for (guint rank = 0; rank < best; rank++)
        if (by_importance[rank] == problem)
          {
            best = rank;
            break;
          }
    }

  return best < G_N_ELEMENTS (by_importance) ? by_importance[best] : CK_PRINT_PROBLEM_NONE;
}

/**
 * ck_print_problem_is_blocking:
 *
 * Returns: whether a consent cannot be printed while @problem lasts
 *   (low toner still prints)
 */
gboolean
ck_print_problem_is_blocking (CkPrintProblem problem)
{
  return problem != CK_PRINT_PROBLEM_NONE && problem != CK_PRINT_PROBLEM_TONER_LOW;
}

/**
 * ck_print_problem_get_label:
 *
 * Returns: a short, translated name of @problem, for staff
 */
const char *
ck_print_problem_get_label (CkPrintProblem problem)
{
  g_return_val_if_fail ((guint)problem < G_N_ELEMENTS (problems), NULL);

  return g_dgettext (GETTEXT_PACKAGE, problems[problem].label);
}

/**
 * ck_print_problem_get_customer_message:
 *
 * Returns: (nullable): what a customer is told, translated: what is wrong
 *   in plain words, and to ask staff; %NULL for %CK_PRINT_PROBLEM_NONE
 */
const char *
ck_print_problem_get_customer_message (CkPrintProblem problem)
{
  g_return_val_if_fail ((guint)problem < G_N_ELEMENTS (problems), NULL);

  return problems[problem].message ? g_dgettext (GETTEXT_PACKAGE, problems[problem].message) : NULL;
}
