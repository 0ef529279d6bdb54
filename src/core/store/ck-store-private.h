/* ck-store-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Private to libck: what CkRecordList reads from the store, a page at a
 * time (rows carry the masked ID number only), what usage counts, and what
 * backups and restores ask of it. */

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

/**
 * CkStoreSummary:
 *
 * What a store holds, counted in one read transaction.
 */
typedef struct
{
  int schema_version;
  gint64 consents;
  gint64 events;
  gint64 attempts;
  gint64 chain_seq;
  char *chain_head;
} CkStoreSummary;

/**
 * CkStorePdf:
 *
 * A consent's PDF as its row records it; @path is relative to the data
 * directory.
 */
typedef struct
{
  gint64 seq;
  char *uuid;
  char *path;
  char *sha256;
  gint64 size;
} CkStorePdf;

void           ck_store_row_free            (CkStoreRow          *row);
void           ck_store_summary_clear       (CkStoreSummary      *summary);
void           ck_store_pdf_free            (CkStorePdf          *pdf);

/* ck-store-backup.c: what backups and restores ask of the store. */
CkStore       *ck_store_open_database       (const char          *db_path,
                                             const char * const  *foreign_tables,
                                             GError             **error);
gboolean       ck_store_copy_database       (CkStore             *self,
                                             const char          *path,
                                             GError             **error);
gboolean       ck_store_write_database      (CkStore             *self,
                                             const char          *path,
                                             gboolean             durable,
                                             GError             **error);
GBytes        *ck_store_read_data_file      (CkStore             *self,
                                             const char          *relative,
                                             GError             **error);
gboolean       ck_store_seal_head           (const char          *data_dir,
                                             GError             **error);
gboolean       ck_store_get_summary         (CkStore             *self,
                                             CkStoreSummary      *summary,
                                             GError             **error);
GPtrArray     *ck_store_list_pdfs           (CkStore             *self,
                                             gint64               after_seq,
                                             guint                max,
                                             GError             **error);

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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStorePdf, ck_store_pdf_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreSummary, ck_store_summary_clear)

G_END_DECLS
