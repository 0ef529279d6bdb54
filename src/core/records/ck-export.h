/* ck-export.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-progress.h"
#include "ck-store.h"

G_BEGIN_DECLS

typedef enum
{
  CK_EXPORT_CSV,
  CK_EXPORT_JSON,
} CkExportFormat;

GBytes   *ck_export_records            (CkStore             *store,
                                        const CkStoreQuery  *query,
                                        CkExportFormat       format,
                                        GError             **error);
gboolean  ck_export_write              (CkStore             *store,
                                        const CkStoreQuery  *query,
                                        CkExportFormat       format,
                                        GOutputStream       *out,
                                        CkProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        guint               *n_records,
                                        GError             **error);
gboolean  ck_export_format_from_string (const char          *text,
                                        CkExportFormat      *format);

G_END_DECLS
