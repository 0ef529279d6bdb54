/* ck-pdf-lex-private.h: the tokens of a PDF, for ck-pdf-*.c only
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ck-pdf-scan-private.h"

G_BEGIN_DECLS

typedef enum
{
  TOK_END,
  TOK_INT,
  TOK_REAL,
  TOK_NAME,
  TOK_STRING,
  TOK_HEX,
  TOK_ARRAY_OPEN,
  TOK_ARRAY_CLOSE,
  TOK_DICT_OPEN,
  TOK_DICT_CLOSE,
  TOK_WORD,
  TOK_COMMENT,
  TOK_JUNK,
} CkPdfTokenKind;

typedef struct
{
  CkPdfTokenKind  kind;
  gsize    start;
  gsize    end;
  gint64   num;
  gboolean bad;
} CkPdfToken;

static inline gboolean
_ck_pdf_is_space (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static inline gboolean
_ck_pdf_is_delimiter (guint8 c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '/' || c == '%';
}

static inline gboolean
_ck_pdf_is_regular (guint8 c)
{
  return !_ck_pdf_is_space (c) && !_ck_pdf_is_delimiter (c);
}

void        _ck_pdf_lex             (const guint8 *d,
                                     gsize         len,
                                     gsize        *pos,
                                     CkPdfToken   *t);
gboolean    _ck_pdf_token_is_word   (const guint8     *d,
                                     const CkPdfToken *t,
                                     const char       *word);
GBytes     *_ck_pdf_decode_hex      (const guint8 *d,
                                     gsize         start,
                                     gsize         end,
                                     gboolean     *bad);
GBytes     *_ck_pdf_decode_literal  (const guint8 *d,
                                     gsize         start,
                                     gsize         end);
char       *_ck_pdf_decode_name     (const guint8 *d,
                                     gsize         start,
                                     gsize         end);
CkPdfValue *_ck_pdf_parse_value     (const guint8 *d,
                                     gsize         len,
                                     gsize        *pos);

G_END_DECLS
