/* ck-letter-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_LETTER_PAGE (ck_letter_page_get_type ())

G_DECLARE_FINAL_TYPE (CkLetterPage, ck_letter_page, CK, LETTER_PAGE, CkPage)

void      ck_letter_page_set_letter     (CkLetterPage           *self,
                                         CkTemplate             *template,
                                         const CkTemplateValues  values);
double    ck_letter_page_get_progress   (CkLetterPage           *self);
gboolean  ck_letter_page_get_read       (CkLetterPage           *self);
void      ck_letter_page_set_voice      (CkLetterPage           *self,
                                         CkVoice                *voice);
gboolean  ck_letter_page_get_reading    (CkLetterPage           *self);
CkVoice  *ck_letter_page_get_voice      (CkLetterPage           *self);

G_END_DECLS
