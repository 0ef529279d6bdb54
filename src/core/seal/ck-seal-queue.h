/* ck-seal-queue.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-seal.h"
#include "ck-store.h"

G_BEGIN_DECLS

/**
 * CkSealRunFlags:
 * @CK_SEAL_RUN_DUE: the jobs that are due, and an anchor if one is due
 * @CK_SEAL_RUN_ALL_JOBS: every queued job, due or not (staff asked)
 * @CK_SEAL_RUN_ANCHOR_NOW: an anchor now, whatever the interval says,
 *   unless the chain's head is already anchored (staff asked)
 */
typedef enum
{
  CK_SEAL_RUN_DUE        = 0,
  CK_SEAL_RUN_ALL_JOBS   = 1 << 0,
  CK_SEAL_RUN_ANCHOR_NOW = 1 << 1,
} CkSealRunFlags;

/**
 * CkSealRun:
 * @sealed: PDFs sealed that were stored unsealed
 * @timestamped: PDFs given a document timestamp
 * @failed: jobs that failed this time and stay queued
 * @anchored: an anchor was added
 * @anchored_seq: the chain link it covers
 * @anchor_error: (nullable): why an anchor that was due was not made
 * @first_error: (nullable): the first job's failure
 *
 * What one run of the queue did.
 */
typedef struct
{
  guint     sealed;
  guint     timestamped;
  guint     failed;
  gboolean  anchored;
  gint64    anchored_seq;
  char     *anchor_error;
  char     *first_error;
} CkSealRun;

void ck_seal_run_free (CkSealRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSealRun, ck_seal_run_free)

#define CK_TYPE_SEAL_QUEUE (ck_seal_queue_get_type ())
G_DECLARE_FINAL_TYPE (CkSealQueue, ck_seal_queue, CK, SEAL_QUEUE, GObject)

CkSealQueue   *ck_seal_queue_new             (CkConfig             *config,
                                              CkStore              *store);
gboolean       ck_seal_queue_is_enabled      (CkSealQueue          *self);
GError       *ck_seal_queue_dup_setup_error (CkSealQueue          *self);
CkSeal        *ck_seal_queue_dup_seal        (CkSealQueue          *self);
void           ck_seal_queue_start           (CkSealQueue          *self);
void           ck_seal_queue_stop            (CkSealQueue          *self);
void           ck_seal_queue_kick            (CkSealQueue          *self);
void           ck_seal_queue_run_async       (CkSealQueue          *self,
                                              CkSealRunFlags        flags,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CkSealRun     *ck_seal_queue_run_finish      (CkSealQueue          *self,
                                              GAsyncResult         *result,
                                              GError              **error);
CkSealRun     *ck_seal_queue_run             (CkSealQueue          *self,
                                              CkSealRunFlags        flags,
                                              GCancellable         *cancellable,
                                              GError              **error);

G_END_DECLS
