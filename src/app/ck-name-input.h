/* ck-name-input.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_NAME_INPUT (ck_name_input_get_type ())
#define CK_TYPE_NAME_INPUT_MODE (ck_name_input_mode_get_type ())

/**
 * CkNameInputMode:
 * @CK_NAME_INPUT_MODE_HANDWRITING: one character at a time on a pad
 * @CK_NAME_INPUT_MODE_PINYIN: an on-screen pinyin keyboard
 */
typedef enum
{
  CK_NAME_INPUT_MODE_HANDWRITING,
  CK_NAME_INPUT_MODE_PINYIN,
} CkNameInputMode;

G_DECLARE_FINAL_TYPE (CkNameInput, ck_name_input, CK, NAME_INPUT, GtkWidget)

GType            ck_name_input_mode_get_type  (void) G_GNUC_CONST;

GtkWidget       *ck_name_input_new            (void);
GtkEditable     *ck_name_input_get_target     (CkNameInput     *self);
void             ck_name_input_set_target     (CkNameInput     *self,
                                               GtkEditable     *entry);
CkNameInputMode  ck_name_input_get_mode       (CkNameInput     *self);
void             ck_name_input_set_mode       (CkNameInput     *self,
                                               CkNameInputMode  mode);
CkEntryMethod    ck_name_input_get_entry_method (CkNameInput   *self);
void             ck_name_input_reset          (CkNameInput     *self);
gboolean         ck_name_input_get_homogeneous (CkNameInput    *self);
void             ck_name_input_set_homogeneous (CkNameInput    *self,
                                               gboolean         homogeneous);

G_END_DECLS
