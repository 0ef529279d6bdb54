/* ck-keypad.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_TYPE_KEYPAD (ck_keypad_get_type ())

G_DECLARE_FINAL_TYPE (CkKeypad, ck_keypad, CK, KEYPAD, GtkWidget)

GtkEditable *ck_keypad_get_editable (CkKeypad    *self);
void         ck_keypad_set_editable (CkKeypad    *self,
                                     GtkEditable *editable);
gboolean     ck_keypad_get_show_x   (CkKeypad    *self);
void         ck_keypad_set_show_x   (CkKeypad    *self,
                                     gboolean     show_x);

G_END_DECLS
