/* ck-step-bar.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Read, fill in, sign, confirm, done. */
#define CK_STEP_BAR_N_STEPS 5

#define CK_TYPE_STEP_BAR (ck_step_bar_get_type ())

G_DECLARE_FINAL_TYPE (CkStepBar, ck_step_bar, CK, STEP_BAR, GtkWidget)

GtkWidget  *ck_step_bar_new            (void);
guint       ck_step_bar_get_step       (CkStepBar *self);
void        ck_step_bar_set_step       (CkStepBar *self,
                                        guint      step);
const char *ck_step_bar_get_step_name  (guint      step);

G_END_DECLS
