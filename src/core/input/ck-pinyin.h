/* ck-pinyin.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_PINYIN_ERROR (ck_pinyin_error_quark ())
#define CK_TYPE_PINYIN (ck_pinyin_get_type ())

/**
 * CkPinyinError:
 * @CK_PINYIN_ERROR_NO_DATA: the engine's data is missing or unreadable
 * @CK_PINYIN_ERROR_FAILED: the private working directory could not be
 *   made
 */
typedef enum
{
  CK_PINYIN_ERROR_NO_DATA,
  CK_PINYIN_ERROR_FAILED,
} CkPinyinError;

/* Longer input gives no candidates: a name is a few syllables. */
#define CK_PINYIN_MAX_LETTERS 48

G_DECLARE_FINAL_TYPE (CkPinyin, ck_pinyin, CK, PINYIN, GObject)

GQuark       ck_pinyin_error_quark            (void);

const char  *ck_pinyin_get_default_data_dir   (void);
CkPinyin    *ck_pinyin_new                    (const char  *data_dir,
                                               GError     **error);
char       **ck_pinyin_candidates             (CkPinyin    *self,
                                               const char  *letters,
                                               guint        max);
char       **ck_pinyin_candidates_with_spans  (CkPinyin    *self,
                                               const char  *letters,
                                               guint        max,
                                               guint      **spans);

G_END_DECLS
