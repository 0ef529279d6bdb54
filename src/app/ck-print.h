/* ck-print.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_PRINT_ERROR (ck_print_error_quark ())

/**
 * CkPrintError:
 * @CK_PRINT_ERROR_NO_PRINTER: no printer has the configured name
 * @CK_PRINT_ERROR_NO_PDF: the printer does not take PDF files
 * @CK_PRINT_ERROR_FAILED: the job could not be sent
 */
typedef enum
{
  CK_PRINT_ERROR_NO_PRINTER,
  CK_PRINT_ERROR_NO_PDF,
  CK_PRINT_ERROR_FAILED,
} CkPrintError;

GQuark   ck_print_error_quark (void);
void     ck_print_file_async  (GtkWindow            *parent,
                               const char           *pdf_path,
                               const char           *job_title,
                               const char           *printer_name,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
gboolean ck_print_file_finish (GAsyncResult         *result,
                               GError              **error);

G_END_DECLS
