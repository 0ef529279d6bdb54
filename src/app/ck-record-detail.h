/* ck-record-detail.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_RECORD_DETAIL (ck_record_detail_get_type ())

G_DECLARE_FINAL_TYPE (CkRecordDetail, ck_record_detail, CK, RECORD_DETAIL, AdwBin)

CkRecordDetail *ck_record_detail_new          (CkStore        *store,
                                               CkVerifyQueue  *queue,
                                               CkConfig       *config);
void            ck_record_detail_set_consent  (CkRecordDetail *self,
                                               const char     *uuid);
const char     *ck_record_detail_get_consent  (CkRecordDetail *self);
void            ck_record_detail_set_operator (CkRecordDetail *self,
                                               const char     *operator_name);

G_END_DECLS
