/* ck-store-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Private to libck: what CkRecordList reads from the store, a page at a
 * time. Rows carry the masked ID number only. */

#pragma once

#include <gio/gio.h>

#include "ck-store.h"
#include "ck-verify-state.h"

G_BEGIN_DECLS

/**
 * CkStoreRow:
 *
 * One consent as a list shows it, with its verification status:
 * @last_outcome is the last attempt's outcome (%NULL without one),
 * @last_number its number (0 without one).
 */
typedef struct
{
  gint64 seq;
  char *uuid;
  char *created_at;
  char *sign_date;
  char *name;
  char *masked_id;
  gboolean demo;
  char *last_outcome;
  guint last_number;
  gboolean withdrawn;
} CkStoreRow;

void           ck_store_row_free            (CkStoreRow          *row);

GArray        *ck_store_list_seqs           (CkStore             *self,
                                             const CkStoreQuery  *query,
                                             GCancellable        *cancellable,
                                             GError             **error);
GPtrArray     *ck_store_read_rows           (CkStore             *self,
                                             const gint64        *seqs,
                                             guint                n_seqs,
                                             GError             **error);

gboolean       ck_store_count_billable      (CkStore             *self,
                                             const char          *since,
                                             guint64             *billed,
                                             guint64             *maybe_billed,
                                             GError             **error);
GPtrArray     *ck_store_list_billable       (CkStore             *self,
                                             const char          *since,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStoreRow, ck_store_row_free)

G_END_DECLS
