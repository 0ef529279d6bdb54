/* ck-review-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"
#include "ck-signature-view.h"

G_BEGIN_DECLS

#define CK_TYPE_REVIEW_PAGE (ck_review_page_get_type ())

G_DECLARE_FINAL_TYPE (CkReviewPage, ck_review_page, CK, REVIEW_PAGE, CkPage)

CkSignatureView *ck_review_page_get_signature_view (CkReviewPage *self);

G_END_DECLS
