/* ck-handwriting-pad.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_TYPE_HANDWRITING_PAD (ck_handwriting_pad_get_type ())

G_DECLARE_FINAL_TYPE (CkHandwritingPad, ck_handwriting_pad, CK, HANDWRITING_PAD, GtkWidget)

GtkWidget          *ck_handwriting_pad_new             (void);
gboolean            ck_handwriting_pad_get_available   (CkHandwritingPad *self);
const char * const *ck_handwriting_pad_get_candidates  (CkHandwritingPad *self);
void                ck_handwriting_pad_clear           (CkHandwritingPad *self);

G_END_DECLS
