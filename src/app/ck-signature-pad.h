/* ck-signature-pad.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_SIGNATURE_PAD (ck_signature_pad_get_type ())

G_DECLARE_FINAL_TYPE (CkSignaturePad, ck_signature_pad, CK, SIGNATURE_PAD, GtkWidget)

GtkWidget   *ck_signature_pad_new               (void);
CkSignature *ck_signature_pad_get_signature     (CkSignaturePad  *self);
CkSignature *ck_signature_pad_dup_signature     (CkSignaturePad  *self);
void         ck_signature_pad_clear             (CkSignaturePad  *self);
gboolean     ck_signature_pad_undo              (CkSignaturePad  *self);
gboolean     ck_signature_pad_check_acceptable  (CkSignaturePad  *self,
                                                 GError         **error);
gboolean     ck_signature_pad_get_empty         (CkSignaturePad  *self);
guint        ck_signature_pad_get_n_strokes     (CkSignaturePad  *self);

G_END_DECLS
