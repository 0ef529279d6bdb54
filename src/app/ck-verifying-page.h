/* ck-verifying-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_VERIFYING_PAGE (ck_verifying_page_get_type ())

G_DECLARE_FINAL_TYPE (CkVerifyingPage, ck_verifying_page, CK, VERIFYING_PAGE, CkPage)

void                  ck_verifying_page_set_queue        (CkVerifyingPage *self,
                                                          CkVerifyQueue   *queue);
const CkVerification *ck_verifying_page_get_verification (CkVerifyingPage *self);
const GError         *ck_verifying_page_get_error        (CkVerifyingPage *self);

G_END_DECLS
