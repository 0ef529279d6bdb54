/* ck-kiosk-dialog.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *ck_kiosk_dialog_new           (GtkWindow        *parent,
                                                 const char       *heading,
                                                 const char       *body);
void              ck_kiosk_dialog_add_responses (AdwMessageDialog *dialog,
                                                 const char       *first_id,
                                                 ...) G_GNUC_NULL_TERMINATED;
char             *ck_kiosk_dialog_strip_mnemonic (const char      *label);

G_END_DECLS
