/* ck-export-full.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For consentctl only: its --unmask export (an audited act it records
 * itself), the central archive's export (`consentctl --central URL
 * export`), and the JSON and CSV pieces its other commands share. Public,
 * but not in ck.h: the kiosk never exports whole ID numbers, and
 * tests/unit/check-layers.py checks that no file of src/app includes it. */

#pragma once

#include <json-glib/json-glib.h>

#include "ck-central-query.h"
#include "ck-export.h"

G_BEGIN_DECLS

gboolean ck_export_write_full        (CkStore               *store,
                                      const CkStoreQuery    *query,
                                      CkExportFormat         format,
                                      gboolean               unmask,
                                      GOutputStream         *out,
                                      CkProgressFunc         progress,
                                      gpointer               progress_data,
                                      GCancellable          *cancellable,
                                      guint                 *n_records,
                                      GError               **error);
gboolean ck_export_write_central     (CkCentral             *central,
                                      const CkCentralQuery  *query,
                                      CkExportFormat         format,
                                      gboolean               unmask,
                                      GOutputStream         *out,
                                      CkProgressFunc         progress,
                                      gpointer               progress_data,
                                      GCancellable          *cancellable,
                                      guint                 *n_records,
                                      GError               **error);
void    ck_export_json_add_origin    (JsonBuilder           *builder,
                                      const CkCentralOrigin *origin);
void    ck_export_json_add_string    (JsonBuilder           *builder,
                                      const char            *member,
                                      const char            *value);
void    ck_export_json_add_record    (JsonBuilder           *builder,
                                      const CkConsentRecord *record,
                                      gboolean               unmask,
                                      gboolean               full);
char   *ck_export_json_to_string     (JsonBuilder           *builder);
void    ck_export_csv_field          (GString               *out,
                                      const char            *value,
                                      gboolean               last);

G_END_DECLS
