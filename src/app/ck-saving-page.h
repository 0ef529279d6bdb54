/* ck-saving-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_SAVING_PAGE (ck_saving_page_get_type ())

G_DECLARE_FINAL_TYPE (CkSavingPage, ck_saving_page, CK, SAVING_PAGE, CkPage)

const CkConsentRecord *ck_saving_page_get_record (CkSavingPage *self);

G_END_DECLS
