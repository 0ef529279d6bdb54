/* ck-result-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_RESULT_PAGE (ck_result_page_get_type ())

G_DECLARE_FINAL_TYPE (CkResultPage, ck_result_page, CK, RESULT_PAGE, CkPage)

void          ck_result_page_set_result   (CkResultPage         *self,
                                           const CkVerification *verification,
                                           const GError         *error,
                                           gboolean              demo);
void          ck_result_page_set_pdf      (CkResultPage         *self,
                                           const char           *pdf_path,
                                           const char           *printer_name);
CkVerifyState ck_result_page_get_state    (CkResultPage         *self);
void          ck_result_page_print        (CkResultPage         *self);

/* The countdown back to the welcome page (issue 17). */
#define CK_RESULT_PAGE_RETURN_AFTER_S 30

void          ck_result_page_set_return_after (CkResultPage     *self,
                                               guint             seconds);
guint         ck_result_page_get_countdown    (CkResultPage     *self);

G_END_DECLS
