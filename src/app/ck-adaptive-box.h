/* ck-adaptive-box.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_TYPE_ADAPTIVE_BOX (ck_adaptive_box_get_type ())

G_DECLARE_FINAL_TYPE (CkAdaptiveBox, ck_adaptive_box, CK, ADAPTIVE_BOX, GtkWidget)

GtkWidget *ck_adaptive_box_new         (void);
gboolean   ck_adaptive_box_get_stacked (CkAdaptiveBox *self);
int        ck_adaptive_box_get_spacing (CkAdaptiveBox *self);
void       ck_adaptive_box_set_spacing (CkAdaptiveBox *self,
                                        int            spacing);
int        ck_adaptive_box_get_maximum_width (CkAdaptiveBox *self);
void       ck_adaptive_box_set_maximum_width (CkAdaptiveBox *self,
                                              int            maximum_width);

G_END_DECLS
