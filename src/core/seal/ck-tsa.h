/* ck-tsa.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_TYPE_TSA (ck_tsa_get_type ())
G_DECLARE_FINAL_TYPE (CkTsa, ck_tsa, CK, TSA, GObject)

CkTsa  *ck_tsa_new          (const char    *url,
                             const char    *ca_file,
                             guint          timeout_s,
                             GError       **error);
GBytes *ck_tsa_stamp        (CkTsa         *self,
                             const guint8  *sha256,
                             GError       **error);
GBytes *ck_tsa_stamp_data   (CkTsa         *self,
                             GBytes        *data,
                             GError       **error);

G_END_DECLS
