/* ck-record-list.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-store.h"
#include "ck-verify-queue.h"

G_BEGIN_DECLS

#define CK_TYPE_RECORD_ITEM (ck_record_item_get_type ())
#define CK_TYPE_RECORD_LIST (ck_record_list_get_type ())

/* Rows read from the store at once, and pages kept. */
#define CK_RECORD_LIST_PAGE_SIZE 256
#define CK_RECORD_LIST_PAGES_KEPT 32

G_DECLARE_FINAL_TYPE (CkRecordItem, ck_record_item, CK, RECORD_ITEM, GObject)
G_DECLARE_FINAL_TYPE (CkRecordList, ck_record_list, CK, RECORD_LIST, GObject)

gint64         ck_record_item_get_seq          (CkRecordItem        *self);
const char    *ck_record_item_get_uuid         (CkRecordItem        *self);
const char    *ck_record_item_get_created_at   (CkRecordItem        *self);
const char    *ck_record_item_get_sign_date    (CkRecordItem        *self);
const char    *ck_record_item_get_name         (CkRecordItem        *self);
const char    *ck_record_item_get_masked_id    (CkRecordItem        *self);
CkVerifyState  ck_record_item_get_state        (CkRecordItem        *self);
gboolean       ck_record_item_get_demo         (CkRecordItem        *self);

CkRecordList  *ck_record_list_new              (CkStore             *store,
                                                guint                max_attempts);
void           ck_record_list_set_query_async  (CkRecordList        *self,
                                                const CkStoreQuery  *query,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ck_record_list_set_query_finish (CkRecordList        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           ck_record_list_refresh          (CkRecordList        *self);

G_END_DECLS
