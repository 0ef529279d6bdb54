/* ck-handwriting-trainer.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ck-signature.h"

G_BEGIN_DECLS

#define CK_TYPE_HANDWRITING_TRAINER (ck_handwriting_trainer_get_type ())

G_DECLARE_FINAL_TYPE (CkHandwritingTrainer, ck_handwriting_trainer, CK, HANDWRITING_TRAINER, GObject)

CkHandwritingTrainer *ck_handwriting_trainer_new   (void);
void                  ck_handwriting_trainer_add   (CkHandwritingTrainer  *self,
                                                    const char            *character,
                                                    CkSignature           *strokes);
gboolean              ck_handwriting_trainer_train (CkHandwritingTrainer  *self,
                                                    const char            *path,
                                                    GError               **error);

G_END_DECLS
