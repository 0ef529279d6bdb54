/* ck-pin-guard.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-store.h"

G_BEGIN_DECLS

#define CK_TYPE_PIN_GUARD (ck_pin_guard_get_type ())

G_DECLARE_FINAL_TYPE (CkPinGuard, ck_pin_guard, CK, PIN_GUARD, GObject)

CkPinGuard *ck_pin_guard_new          (const char           *hash,
                                       CkStore              *store);
gboolean    ck_pin_guard_has_pin      (CkPinGuard           *self);
gboolean    ck_pin_guard_get_checking (CkPinGuard           *self);
guint       ck_pin_guard_get_wait_s   (CkPinGuard           *self);
guint       ck_pin_guard_get_failures (CkPinGuard           *self);
void        ck_pin_guard_check_async  (CkPinGuard           *self,
                                       const char           *pin,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean    ck_pin_guard_check_finish (CkPinGuard           *self,
                                       GAsyncResult         *result,
                                       gboolean             *right,
                                       GError              **error);

G_END_DECLS
