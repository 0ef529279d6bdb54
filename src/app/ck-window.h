/* ck-window.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck-application.h"
#include "ck-step-bar.h"

G_BEGIN_DECLS

#define CK_TYPE_WINDOW (ck_window_get_type ())

G_DECLARE_FINAL_TYPE (CkWindow, ck_window, CK, WINDOW, AdwApplicationWindow)

CkWindow *ck_window_new                     (CkApplication *application);
CkFlow   *ck_window_get_flow                (CkWindow      *self);
GtkStack *ck_window_get_stack               (CkWindow      *self);
gboolean  ck_window_get_idle_warning_shown  (CkWindow      *self);
gboolean  ck_window_get_kiosk_mode          (CkWindow      *self);
void      ck_window_wipe                    (CkWindow      *self);
void      ck_window_show_staff              (CkWindow      *self);
GtkWindow *ck_window_get_staff_window       (CkWindow      *self);
void      ck_window_set_idle_timeout        (CkWindow      *self,
                                             guint          seconds);

gboolean  ck_window_key_leaves_kiosk        (guint           keyval,
                                             GdkModifierType state);

/* Elderly-friendly (issue 17). */
gboolean   ck_window_get_large_text         (CkWindow      *self);
CkStepBar *ck_window_get_step_bar           (CkWindow      *self);

G_END_DECLS
