/* ck-cups-print.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-print-problem.h"

G_BEGIN_DECLS

/**
 * CkCupsPrintProgress:
 * @problem: what the printer reports while the job waits;
 *   %CK_PRINT_PROBLEM_NONE once it is gone
 * @user_data: the data given with the function
 *
 * Called in the caller's main context whenever the problem changes.
 */
typedef void (*CkCupsPrintProgress) (CkPrintProblem problem,
                                     gpointer       user_data);

void     ck_cups_print_file_async  (const char          *printer,
                                    const char          *pdf_path,
                                    const char          *job_title,
                                    CkCupsPrintProgress  progress,
                                    gpointer             progress_data,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean ck_cups_print_file_finish (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
