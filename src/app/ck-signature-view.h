/* ck-signature-view.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

/* The box's natural size: the PDF's signature box, 4 px a point. */
#define CK_SIGNATURE_VIEW_SCALE 4
/* Its thinnest line, px: the pad's (ck-ink.c), whatever the view's size. */
#define CK_SIGNATURE_VIEW_MIN_LINE_WIDTH 3.0

#define CK_TYPE_SIGNATURE_VIEW (ck_signature_view_get_type ())

G_DECLARE_FINAL_TYPE (CkSignatureView, ck_signature_view, CK, SIGNATURE_VIEW, GtkWidget)

GtkWidget   *ck_signature_view_new            (void);
CkSignature *ck_signature_view_get_signature  (CkSignatureView *self);
void         ck_signature_view_set_signature  (CkSignatureView *self,
                                               CkSignature     *signature);
gboolean     ck_signature_view_get_box        (CkSignatureView *self,
                                               graphene_rect_t *box);

G_END_DECLS
