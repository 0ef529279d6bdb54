/* ck-sync-queue.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-store.h"

G_BEGIN_DECLS

/**
 * CkSyncRunFlags:
 * @CK_SYNC_RUN_ALL: send batches until nothing is pending
 * @CK_SYNC_RUN_ONCE: send one batch
 */
typedef enum
{
  CK_SYNC_RUN_ALL  = 0,
  CK_SYNC_RUN_ONCE = 1 << 0,
} CkSyncRunFlags;

/**
 * CkSyncRun:
 * @batches: batches sent
 * @sent: links sent
 * @pdf_bytes: PDF bytes among them
 * @receipt_seq: the last link the archive acknowledges
 * @pending: links still to send
 * @usage_error: (nullable): why the organisation's usage could not be
 *   read (the sync itself worked)
 *
 * What a run of the sync did.
 */
typedef struct
{
  guint batches;
  guint sent;
  guint64 pdf_bytes;
  gint64 receipt_seq;
  gint64 pending;
  char *usage_error;
} CkSyncRun;

void ck_sync_run_free (CkSyncRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSyncRun, ck_sync_run_free)

#define CK_TYPE_SYNC_QUEUE (ck_sync_queue_get_type ())
G_DECLARE_FINAL_TYPE (CkSyncQueue, ck_sync_queue, CK, SYNC_QUEUE, GObject)

CkSyncQueue *ck_sync_queue_new         (CkConfig             *config,
                                        CkStore              *store);
gboolean     ck_sync_queue_is_enabled  (CkSyncQueue          *self);
void         ck_sync_queue_start       (CkSyncQueue          *self);
void         ck_sync_queue_stop        (CkSyncQueue          *self);
void         ck_sync_queue_kick        (CkSyncQueue          *self);
void         ck_sync_queue_run_async   (CkSyncQueue          *self,
                                        CkSyncRunFlags        flags,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
CkSyncRun   *ck_sync_queue_run_finish  (CkSyncQueue          *self,
                                        GAsyncResult         *result,
                                        GError              **error);
CkSyncRun   *ck_sync_queue_run         (CkSyncQueue          *self,
                                        CkSyncRunFlags        flags,
                                        GCancellable         *cancellable,
                                        GError              **error);

G_END_DECLS
