/* ck-print-problem.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CK_PRINT_ERROR (ck_print_error_quark ())

/**
 * CkPrintProblem:
 * @CK_PRINT_PROBLEM_NONE: nothing stands in the way
 * @CK_PRINT_PROBLEM_NO_PRINTER: no printer is configured ([kiosk] printer)
 * @CK_PRINT_PROBLEM_NOT_FOUND: CUPS has no printer of the configured name
 * @CK_PRINT_PROBLEM_NO_SERVICE: CUPS cannot be reached
 * @CK_PRINT_PROBLEM_MEDIA_EMPTY: out of paper (media-empty, media-needed)
 * @CK_PRINT_PROBLEM_MEDIA_JAM: paper jam (media-jam)
 * @CK_PRINT_PROBLEM_DOOR_OPEN: a door or cover is open
 * @CK_PRINT_PROBLEM_TONER_EMPTY: out of toner or ink
 * @CK_PRINT_PROBLEM_TONER_LOW: toner or ink low: printing goes on
 * @CK_PRINT_PROBLEM_OUTPUT_FULL: the output tray is full
 * @CK_PRINT_PROBLEM_OFFLINE: the printer is off, unplugged or not answering
 * @CK_PRINT_PROBLEM_PAUSED: the queue is stopped or rejects jobs
 * @CK_PRINT_PROBLEM_UNSUPPORTED: the queue cannot print a PDF
 * @CK_PRINT_PROBLEM_JOB_CANCELLED: the job was cancelled (staff, the printer)
 * @CK_PRINT_PROBLEM_JOB_ABORTED: the job was aborted
 * @CK_PRINT_PROBLEM_FAILED: any other error
 *
 * Why a consent is not printed, or not yet; the codes of %CK_PRINT_ERROR.
 */
typedef enum
{
  CK_PRINT_PROBLEM_NONE,
  CK_PRINT_PROBLEM_NO_PRINTER,
  CK_PRINT_PROBLEM_NOT_FOUND,
  CK_PRINT_PROBLEM_NO_SERVICE,
  CK_PRINT_PROBLEM_MEDIA_EMPTY,
  CK_PRINT_PROBLEM_MEDIA_JAM,
  CK_PRINT_PROBLEM_DOOR_OPEN,
  CK_PRINT_PROBLEM_TONER_EMPTY,
  CK_PRINT_PROBLEM_TONER_LOW,
  CK_PRINT_PROBLEM_OUTPUT_FULL,
  CK_PRINT_PROBLEM_OFFLINE,
  CK_PRINT_PROBLEM_PAUSED,
  CK_PRINT_PROBLEM_UNSUPPORTED,
  CK_PRINT_PROBLEM_JOB_CANCELLED,
  CK_PRINT_PROBLEM_JOB_ABORTED,
  CK_PRINT_PROBLEM_FAILED,
} CkPrintProblem;

GQuark          ck_print_error_quark             (void);
CkPrintProblem  ck_print_problem_from_reasons    (const char * const *reasons);
gboolean        ck_print_problem_is_blocking     (CkPrintProblem      problem);
const char     *ck_print_problem_get_label       (CkPrintProblem      problem);
const char     *ck_print_problem_get_customer_message (CkPrintProblem problem);

G_END_DECLS
