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

CkApplication *ck_application_new              (void);
CkConfig      *ck_application_get_config       (CkApplication  *self,
                                                GError        **error);
CkTemplate    *ck_application_get_template     (CkApplication  *self,
                                                GError        **error);
CkStore       *ck_application_get_store        (CkApplication  *self,
                                                GError        **error);
CkFontSet     *ck_application_get_fonts        (CkApplication  *self,
                                                GError        **error);
CkVerifyQueue *ck_application_get_verify_queue (CkApplication  *self,
                                                GError        **error);
CkSealQueue   *ck_application_get_seal_queue   (CkApplication  *self,
                                                GError        **error);
CkSyncQueue   *ck_application_get_sync_queue   (CkApplication  *self,
                                                GError        **error);
gboolean       ck_application_get_kiosk_mode   (CkApplication  *self);

G_END_DECLS
