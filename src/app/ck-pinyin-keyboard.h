/* ck-pinyin-keyboard.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_TYPE_PINYIN_KEYBOARD (ck_pinyin_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (CkPinyinKeyboard, ck_pinyin_keyboard, CK, PINYIN_KEYBOARD, GtkWidget)

GtkWidget          *ck_pinyin_keyboard_new              (void);
gboolean            ck_pinyin_keyboard_get_available    (CkPinyinKeyboard *self);
const char         *ck_pinyin_keyboard_get_composition  (CkPinyinKeyboard *self);
const char * const *ck_pinyin_keyboard_get_candidates   (CkPinyinKeyboard *self);
void                ck_pinyin_keyboard_clear            (CkPinyinKeyboard *self);

G_END_DECLS
