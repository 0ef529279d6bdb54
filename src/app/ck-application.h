/* ck-application.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_APPLICATION (ck_application_get_type ())

G_DECLARE_FINAL_TYPE (CkApplication, ck_application, CK, APPLICATION, AdwApplication)

CkApplication *ck_application_new        (void);
CkConfig      *ck_application_get_config (CkApplication  *self,
                                          GError        **error);

G_END_DECLS
