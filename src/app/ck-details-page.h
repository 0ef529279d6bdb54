/* ck-details-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-card-panel.h"
#include "ck-name-input.h"
#include "ck-page.h"

G_BEGIN_DECLS

#define CK_TYPE_DETAILS_PAGE (ck_details_page_get_type ())

G_DECLARE_FINAL_TYPE (CkDetailsPage, ck_details_page, CK, DETAILS_PAGE, CkPage)

GtkEntry    *ck_details_page_get_name_entry (CkDetailsPage *self);
CkNameInput *ck_details_page_get_name_input (CkDetailsPage *self);
GtkEntry    *ck_details_page_get_id_entry   (CkDetailsPage *self);
void         ck_details_page_set_card_reader (CkDetailsPage *self,
                                              CkCardReader  *reader);
gboolean     ck_details_page_get_asks_for_card (CkDetailsPage *self);
CkCardPanel *ck_details_page_get_card_panel (CkDetailsPage *self);

G_END_DECLS
