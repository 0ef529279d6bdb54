/* ck-handwriting-private.h: what CkHandwriting shares with its trainer
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <zinnia.h>

#include "ck-signature.h"

G_BEGIN_DECLS

guint ck_handwriting_fill_zinnia (zinnia_character_t *character,
                                  CkSignature        *strokes);

G_END_DECLS
