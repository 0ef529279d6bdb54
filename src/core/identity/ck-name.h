/* ck-name.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CK_NAME_ERROR (ck_name_error_quark ())

/**
 * CkNameError:
 * @CK_NAME_ERROR_EMPTY: nothing but white space was entered
 * @CK_NAME_ERROR_INVALID_UTF8: the input is not valid UTF-8 text
 * @CK_NAME_ERROR_TOO_LONG: more than %CK_NAME_MAX_LENGTH characters
 * @CK_NAME_ERROR_DIGIT: a digit or other number character
 * @CK_NAME_ERROR_LATIN: a Latin letter, and foreign names are not allowed
 * @CK_NAME_ERROR_CONTROL: a control or invisible formatting character
 * @CK_NAME_ERROR_WHITESPACE: white space inside a Chinese name
 * @CK_NAME_ERROR_MIDDLE_DOT: a middle dot at either end or twice in a row
 * @CK_NAME_ERROR_CHARACTER: any other character (punctuation, symbols, other scripts)
 */
typedef enum
{
  CK_NAME_ERROR_EMPTY,
  CK_NAME_ERROR_INVALID_UTF8,
  CK_NAME_ERROR_TOO_LONG,
  CK_NAME_ERROR_DIGIT,
  CK_NAME_ERROR_LATIN,
  CK_NAME_ERROR_CONTROL,
  CK_NAME_ERROR_WHITESPACE,
  CK_NAME_ERROR_MIDDLE_DOT,
  CK_NAME_ERROR_CHARACTER,
} CkNameError;

/**
 * CkNameFlags:
 * @CK_NAME_FLAGS_NONE: Chinese names only (Han characters and the middle dot)
 * @CK_NAME_FLAGS_ALLOW_LATIN: also foreign names in Latin letters, with
 *   single spaces, hyphens and apostrophes between letters
 */
typedef enum
{
  CK_NAME_FLAGS_NONE        = 0,
  CK_NAME_FLAGS_ALLOW_LATIN = 1 << 0,
} CkNameFlags;

/* In characters (Unicode code points) after normalisation. */
#define CK_NAME_MAX_LENGTH 30

/* The one middle dot we store: U+00B7 MIDDLE DOT. */
#define CK_NAME_MIDDLE_DOT 0x00B7

GQuark    ck_name_error_quark (void);
char     *ck_name_normalize   (const char   *input,
                               CkNameFlags   flags,
                               GError      **error);
gboolean  ck_name_is_han      (gunichar      c);
gboolean  ck_name_is_dot      (gunichar      c);

G_END_DECLS
