/* ck-card-panel.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_CARD_PANEL (ck_card_panel_get_type ())

G_DECLARE_FINAL_TYPE (CkCardPanel, ck_card_panel, CK, CARD_PANEL, GtkWidget)

CkCardReader *ck_card_panel_get_reader   (CkCardPanel  *self);
void          ck_card_panel_set_reader   (CkCardPanel  *self,
                                          CkCardReader *reader);
void          ck_card_panel_set_today    (CkCardPanel  *self,
                                          GDateTime    *now);
void          ck_card_panel_start        (CkCardPanel  *self);
void          ck_card_panel_stop         (CkCardPanel  *self);
void          ck_card_panel_reset        (CkCardPanel  *self);
const char   *ck_card_panel_get_message  (CkCardPanel  *self);

G_END_DECLS
