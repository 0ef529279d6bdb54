/* ck-welcome-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_WELCOME_PAGE (ck_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (CkWelcomePage, ck_welcome_page, CK, WELCOME_PAGE, CkPage)

void ck_welcome_page_set_organization (CkWelcomePage *self,
                                       const char    *name,
                                       gboolean       example);

G_END_DECLS
