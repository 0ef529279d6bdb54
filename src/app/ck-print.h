/* ck-print.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

void     ck_print_lock_down      (void);
gboolean ck_print_is_locked_down (void);
void     ck_print_file_async     (GtkWindow            *parent,
                                  const char           *pdf_path,
                                  const char           *job_title,
                                  const char           *printer_name,
                                  CkCupsPrintProgress   progress,
                                  gpointer              progress_data,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean ck_print_file_finish    (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
