/* ck-handwriting.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ck-signature.h"

G_BEGIN_DECLS

#define CK_HANDWRITING_ERROR (ck_handwriting_error_quark ())
#define CK_TYPE_HANDWRITING (ck_handwriting_get_type ())

/**
 * CkHandwritingError:
 * @CK_HANDWRITING_ERROR_NO_MODEL: the recognition model is missing,
 *   unreadable or not a zinnia model
 * @CK_HANDWRITING_ERROR_EMPTY: nothing was written
 * @CK_HANDWRITING_ERROR_TOO_MANY_STROKES: more strokes than any
 *   character has (%CK_HANDWRITING_MAX_STROKES)
 * @CK_HANDWRITING_ERROR_FAILED: the recognizer gave no answer
 */
typedef enum
{
  CK_HANDWRITING_ERROR_NO_MODEL,
  CK_HANDWRITING_ERROR_EMPTY,
  CK_HANDWRITING_ERROR_TOO_MANY_STROKES,
  CK_HANDWRITING_ERROR_FAILED,
} CkHandwritingError;

/* How sure the surname supplement must be to be heard
 * (ck_handwriting_set_supplement (); docs/NAME-INPUT.md). */
#define CK_HANDWRITING_SUPPLEMENT_MIN_SCORE 0.5

/* The most complex characters have about 36 strokes. */
#define CK_HANDWRITING_MAX_STROKES 64

G_DECLARE_FINAL_TYPE (CkHandwriting, ck_handwriting, CK, HANDWRITING, GObject)

GQuark          ck_handwriting_error_quark        (void);

const char     *ck_handwriting_get_default_model  (void);
const char     *ck_handwriting_get_default_supplement (void);
CkHandwriting  *ck_handwriting_new                (const char     *model_path,
                                                   GError        **error);
gboolean        ck_handwriting_set_supplement     (CkHandwriting  *self,
                                                   const char     *model_path,
                                                   double          min_score,
                                                   GError        **error);
char          **ck_handwriting_recognize          (CkHandwriting  *self,
                                                   CkSignature    *strokes,
                                                   guint           max,
                                                   GError        **error);

G_END_DECLS
