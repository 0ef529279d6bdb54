/* ck-staff-dialog.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_STAFF_DIALOG (ck_staff_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CkStaffDialog, ck_staff_dialog, CK, STAFF_DIALOG, AdwWindow)

CkStaffDialog *ck_staff_dialog_new      (GtkWindow     *parent,
                                         CkPinGuard    *guard);
GtkEditable   *ck_staff_dialog_get_pin  (CkStaffDialog *self);
GtkEditable   *ck_staff_dialog_get_operator (CkStaffDialog *self);
char          *ck_staff_dialog_dup_operator (CkStaffDialog *self);
void           ck_staff_dialog_unlock   (CkStaffDialog *self);
gboolean       ck_staff_dialog_get_unlocked (CkStaffDialog *self);

G_END_DECLS
