/* ck-letter-view.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_LETTER_VIEW (ck_letter_view_get_type ())

G_DECLARE_FINAL_TYPE (CkLetterView, ck_letter_view, CK, LETTER_VIEW, GtkWidget)

CkTemplate *ck_letter_view_get_template (CkLetterView *self);
void        ck_letter_view_set_template (CkLetterView *self,
                                         CkTemplate   *template);
void        ck_letter_view_set_values   (CkLetterView           *self,
                                         const CkTemplateValues  values);

/* Reading aloud */
char      **ck_letter_view_dup_block_texts   (CkLetterView *self);
GtkWidget  *ck_letter_view_get_block         (CkLetterView *self,
                                              guint         index);
void        ck_letter_view_set_reading_block (CkLetterView *self,
                                              int           index);
int         ck_letter_view_get_reading_block (CkLetterView *self);

G_END_DECLS
