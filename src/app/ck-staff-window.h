/* ck-staff-window.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_STAFF_WINDOW (ck_staff_window_get_type ())

G_DECLARE_FINAL_TYPE (CkStaffWindow, ck_staff_window, CK, STAFF_WINDOW, AdwWindow)

CkStaffWindow *ck_staff_window_new              (GtkWindow     *parent,
                                                 CkStore       *store,
                                                 CkVerifyQueue *queue,
                                                 CkConfig      *config,
                                                 const char    *operator_name,
                                                 gboolean       kiosk_mode);
const char    *ck_staff_window_get_operator     (CkStaffWindow *self);
GListModel    *ck_staff_window_get_records      (CkStaffWindow *self);
GtkSingleSelection *ck_staff_window_get_selection (CkStaffWindow *self);
GtkEditable   *ck_staff_window_get_search       (CkStaffWindow *self);
GtkEditable   *ck_staff_window_get_since        (CkStaffWindow *self);
GtkEditable   *ck_staff_window_get_until        (CkStaffWindow *self);
GtkDropDown   *ck_staff_window_get_state_filter (CkStaffWindow *self);
GtkWidget     *ck_staff_window_get_detail       (CkStaffWindow *self);
gboolean       ck_staff_window_get_busy         (CkStaffWindow *self);
void           ck_staff_window_set_seal_queue   (CkStaffWindow *self,
                                                 CkSealQueue   *queue);
void           ck_staff_window_set_sync_queue   (CkStaffWindow *self,
                                                 CkSyncQueue   *queue);
void           ck_staff_window_set_idle_timeout (CkStaffWindow *self,
                                                 guint          seconds);
guint          ck_staff_window_state_position   (CkVerifyState  state);

void           ck_staff_window_set_card_reader (CkStaffWindow *self,
                                                CkCardReader  *reader);
const char    *ck_staff_window_get_reader_text (CkStaffWindow *self);

G_END_DECLS
