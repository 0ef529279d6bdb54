/* ck-record-detail-impl.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of CkRecordDetail (ck-record-detail*.c) and
 * included by no other: the instance, and what one part of it calls in
 * another. Such a function is named _ck_record_detail_*, as the store's
 * are _ck_store_*. Not called *-private.h: that name is the core's
 * (docs/ARCHITECTURE.md, tests/unit/check-layers.py). */

#pragma once

#include <adwaita.h>

#include "ck-record-detail.h"

G_BEGIN_DECLS

typedef enum
{
  STATUS_INFO,
  STATUS_BUSY,
  STATUS_ERROR,
} StatusKind;

struct _CkRecordDetail
{
  AdwBin parent_instance;

  GtkStack *stack;
  GtkScrolledWindow *scrolled;
  GtkLabel *name_label;
  GtkLabel *demo_label;
  GtkLabel *state_label;
  GtkLabel *header_id_label;
  GtkButton *reveal_button;
  AdwButtonContent *reveal_content;
  GtkButton *reprint_button;
  GtkButton *retry_button;
  GtkButton *withdraw_button;
  GtkLabel *reasons_label;
  GtkBox *status_box;
  GtkSpinner *status_spinner;
  GtkImage *status_icon;
  GtkLabel *status_label;
  AdwPreferencesGroup *withdrawal_group;
  AdwActionRow *withdrawn_at_row;
  AdwActionRow *withdrawn_by_row;
  AdwActionRow *withdrawal_note_row;
  AdwActionRow *id_row;
  AdwActionRow *name_method_row;
  AdwActionRow *id_method_row;
  AdwActionRow *sign_date_row;
  AdwActionRow *created_row;
  AdwActionRow *kiosk_row;
  AdwActionRow *org_row;
  AdwActionRow *business_row;
  AdwActionRow *purpose_row;
  AdwActionRow *seal_row;
  AdwActionRow *uuid_row;
  AdwActionRow *verification_row;
  GtkImage *verification_icon;
  GtkListBox *attempts_list;
  GtkStack *preview_stack;
  GtkSpinner *preview_spinner;
  GtkPicture *preview_picture;
  GtkLabel *preview_message;

  CkStore *store;
  CkVerifyQueue *queue;
  CkConfig *config;

  char *uuid;
  char *operator_name;
  CkConsentRecord *record;          /* NULL when none, or it cannot be read */
  CkVerification *verification;     /* NULL when it cannot be looked up */
  CkStoreEvent *withdrawal;         /* NULL unless withdrawn */
  char *verification_error;         /* why @verification is NULL */

  gboolean revealed;
  guint reveal_source;
  gboolean verifying;
  gboolean printing;

  GCancellable *cancellable;        /* everything: cancelled on dispose */
  GCancellable *preview_cancellable;/* the current consent's preview */
};

/* ck-record-detail.c: helpers, the actions, showing the consent */
char       *_ck_record_detail_format_local_time   (const char     *iso);
void        _ck_record_detail_set_row_value       (AdwActionRow   *row,
                                                   const char     *value);
gboolean    _ck_record_detail_is_withdrawn        (CkRecordDetail *self);
gboolean    _ck_record_detail_has_operator        (CkRecordDetail *self);
const char *_ck_record_detail_no_operator_text    (void);
GtkWindow  *_ck_record_detail_parent_window       (CkRecordDetail *self);
void        _ck_record_detail_show_status         (CkRecordDetail *self,
                                                   StatusKind      kind,
                                                   const char     *message);
void        _ck_record_detail_update_actions      (CkRecordDetail *self);
void        _ck_record_detail_reload              (CkRecordDetail *self);
void        _ck_record_detail_emit_changed        (CkRecordDetail *self,
                                                   const char     *uuid);

/* ck-record-detail-reveal.c: the ID number */
void        _ck_record_detail_show_id_number      (CkRecordDetail *self);
void        _ck_record_detail_mask_id_number      (CkRecordDetail *self);
void        _ck_record_detail_on_reveal_clicked   (CkRecordDetail *self);

/* ck-record-detail-verification.c: where it stands, retrying */
void        _ck_record_detail_show_verification   (CkRecordDetail *self);
void        _ck_record_detail_on_retry_clicked    (CkRecordDetail *self);

/* ck-record-detail-withdrawal.c */
void        _ck_record_detail_show_withdrawal     (CkRecordDetail *self);
void        _ck_record_detail_on_withdraw_clicked (CkRecordDetail *self);

/* ck-record-detail-preview.c: the signed PDF's first page */
void        _ck_record_detail_start_preview       (CkRecordDetail *self);

/* ck-record-detail-reprint.c */
void        _ck_record_detail_on_reprint_clicked  (CkRecordDetail *self);

G_END_DECLS
