/* ck-signature-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"
#include "ck-signature-pad.h"

G_BEGIN_DECLS

#define CK_TYPE_SIGNATURE_PAGE (ck_signature_page_get_type ())

G_DECLARE_FINAL_TYPE (CkSignaturePage, ck_signature_page, CK, SIGNATURE_PAGE, CkPage)

CkSignaturePad *ck_signature_page_get_pad (CkSignaturePage *self);

G_END_DECLS
