/* ck-pdf-value.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PDF values, parsed without recursion: nesting is kept on a stack of its
 * own, at most CK_PDF_MAX_DEPTH deep, and a value holds at most
 * CK_PDF_MAX_VALUES values, so that neither a deep nor a huge object
 * exhausts the stack or memory. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <string.h>

#include "ck-pdf-lex-private.h"

/* --- values ---------------------------------------------------------- */

void
_ck_pdf_value_free (CkPdfValue *value)
{
  if (value == NULL)
    return;
  g_free (value->name);
  g_clear_pointer (&value->string, g_bytes_unref);
  g_clear_pointer (&value->items, g_ptr_array_unref);
  g_free (value);
}

static CkPdfValue *
value_new (CkPdfKind         kind,
           const CkPdfToken *t)
{
  CkPdfValue *v = g_new0 (CkPdfValue, 1);

  v->kind = kind;
  v->start = t->start;
  v->end = t->end;
  v->num = t->num;
  v->bad = t->bad;
  if (kind == CK_PDF_ARRAY || kind == CK_PDF_DICT)
    v->items = g_ptr_array_new_with_free_func ((GDestroyNotify)_ck_pdf_value_free);

  return v;
}

static CkPdfValue *
scalar_from_token (const guint8     *d,
                   gsize             len,
                   gsize            *pos,
                   const CkPdfToken *t,
                   gboolean          in_container)
{
  CkPdfValue *v;

  switch (t->kind)
    {
    case TOK_INT:
      {
        /* "NUM GEN R" is a reference. */
        gsize p = *pos;
        CkPdfToken gen, r;

        _ck_pdf_lex (d, len, &p, &gen);
        if (!t->bad && t->num >= 0 && gen.kind == TOK_INT && !gen.bad && gen.num >= 0)
          {
            _ck_pdf_lex (d, len, &p, &r);
            if (_ck_pdf_token_is_word (d, &r, "R"))
              {
                v = value_new (CK_PDF_REF, t);
                v->gen = gen.num;
                v->end = r.end;
                *pos = p;
                return v;
              }
          }
        return value_new (CK_PDF_INT, t);
      }

    case TOK_REAL:
      return value_new (CK_PDF_REAL, t);

    case TOK_NAME:
      v = value_new (CK_PDF_NAME, t);
      v->name = _ck_pdf_decode_name (d, t->start, t->end);
      return v;

    case TOK_STRING:
      v = value_new (CK_PDF_STRING, t);
      v->string = _ck_pdf_decode_literal (d, t->start, t->end);
      return v;

    case TOK_HEX:
      v = value_new (CK_PDF_STRING, t);
      v->hex = TRUE;
      v->string = _ck_pdf_decode_hex (d, t->start, t->end, &v->bad);
      return v;

    case TOK_WORD:
      if (_ck_pdf_token_is_word (d, t, "true") || _ck_pdf_token_is_word (d, t, "false"))
        {
          v = value_new (CK_PDF_BOOL, t);
          v->num = _ck_pdf_token_is_word (d, t, "true");
          return v;
        }
      if (_ck_pdf_token_is_word (d, t, "null"))
        return value_new (CK_PDF_NULL, t);
      /* In an array or a dictionary, a keyword such as endobj or stream
       * means the structure is broken: stop there rather than swallow the
       * objects that follow. */
      if (in_container)
        return NULL;
      v = value_new (CK_PDF_KEYWORD, t);
      v->name = g_strndup ((const char *)d + t->start, t->end - t->start);
      return v;

    case TOK_END:
    case TOK_ARRAY_OPEN:
    case TOK_ARRAY_CLOSE:
    case TOK_DICT_OPEN:
    case TOK_DICT_CLOSE:
    case TOK_COMMENT:
    case TOK_JUNK:
    default:
      return NULL;
    }
}

/* Parses the value at *@pos without recursion; NULL when it is broken,
 * too deep or too large. */
CkPdfValue *
_ck_pdf_parse_value (const guint8 *d,
                     gsize         len,
                     gsize        *pos)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  CkPdfValue *root = NULL;
  guint budget = CK_PDF_MAX_VALUES;
  gsize p = *pos;

  for (;;)
    {
      CkPdfValue *top = stack->len ? stack->pdata[stack->len - 1] : NULL;
      CkPdfValue *v = NULL;
      CkPdfToken t;

      _ck_pdf_lex (d, len, &p, &t);

      if (t.kind == TOK_COMMENT)
        continue;
      if (budget-- == 0)
        goto fail;

      if (t.kind == TOK_ARRAY_CLOSE || t.kind == TOK_DICT_CLOSE)
        {
          CkPdfKind want = t.kind == TOK_ARRAY_CLOSE ? CK_PDF_ARRAY : CK_PDF_DICT;

          if (top == NULL || top->kind != want ||
              (want == CK_PDF_DICT && top->items->len % 2 != 0))
            goto fail;
          top->end = t.end;
          g_ptr_array_remove_index (stack, stack->len - 1);
          if (stack->len == 0)
            break;
          continue;
        }

      if (t.kind == TOK_ARRAY_OPEN || t.kind == TOK_DICT_OPEN)
        {
          if (stack->len >= CK_PDF_MAX_DEPTH)
            goto fail;
          v = value_new (t.kind == TOK_ARRAY_OPEN ? CK_PDF_ARRAY : CK_PDF_DICT, &t);
        }
      else if ((v = scalar_from_token (d, len, &p, &t, top != NULL)) == NULL)
        goto fail;

      if (top == NULL)
        root = v;
      else
        {
          /* A dictionary's keys are names. */
          if (top->kind == CK_PDF_DICT && top->items->len % 2 == 0 && v->kind != CK_PDF_NAME)
            {
              _ck_pdf_value_free (v);
              goto fail;
            }
          g_ptr_array_add (top->items, v);
        }

      if (v->kind == CK_PDF_ARRAY || v->kind == CK_PDF_DICT)
        g_ptr_array_add (stack, v);
      else if (top == NULL)
        break;
    }

  *pos = p;
  return root;

fail:
  *pos = p;
  _ck_pdf_value_free (root);
  return NULL;
}

/**
 * _ck_pdf_value_parse:
 * @data: a PDF's bytes
 * @len: how many
 * @offset: where a value begins
 *
 * Returns: (transfer full) (nullable): the value, %NULL if it is broken,
 *   deeper than CK_PDF_MAX_DEPTH or larger than CK_PDF_MAX_VALUES
 */
CkPdfValue *
_ck_pdf_value_parse (const guint8 *data,
                     gsize         len,
                     gsize         offset)
{
  gsize p = MIN (offset, len);

  return _ck_pdf_parse_value (data, len, &p);
}

CkPdfValue *
_ck_pdf_dict_get (const CkPdfValue *dict,
                  const char       *key)
{
  if (dict == NULL || dict->kind != CK_PDF_DICT)
    return NULL;

  /* The last of repeated keys, as most readers take it. */
  for (guint i = dict->items->len; i >= 2; i -= 2)
    {
      CkPdfValue *k = dict->items->pdata[i - 2];

      if (g_strcmp0 (k->name, key) == 0)
        return dict->items->pdata[i - 1];
    }

  return NULL;
}

gboolean
_ck_pdf_value_is_name (const CkPdfValue *value,
                       const char       *name)
{
  return value && value->kind == CK_PDF_NAME && g_strcmp0 (value->name, name) == 0;
}

/**
 * _ck_pdf_value_canonical:
 *
 * Returns: (transfer full): @value's tokens, one space apart, strings as
 *   the hex of their bytes and names decoded: two values that read the
 *   same give the same text, however they were spaced or escaped
 */
char *
_ck_pdf_value_canonical (const CkPdfScan  *scan,
                         const CkPdfValue *value)
{
  GString *out = g_string_new (NULL);
  gsize p = value->start;

  while (p < value->end)
    {
      CkPdfToken t;

      _ck_pdf_lex (scan->data, value->end, &p, &t);
      if (t.kind == TOK_END)
        break;
      if (t.kind == TOK_COMMENT)
        continue;
      if (out->len)
        g_string_append_c (out, ' ');

      if (t.kind == TOK_STRING || t.kind == TOK_HEX)
        {
          gboolean bad = FALSE;
          g_autoptr(GBytes) bytes = t.kind == TOK_HEX
            ? _ck_pdf_decode_hex (scan->data, t.start, t.end, &bad)
            : _ck_pdf_decode_literal (scan->data, t.start, t.end);
          gsize n;
          const guint8 *b = g_bytes_get_data (bytes, &n);

          g_string_append_c (out, '<');
          for (gsize i = 0; i < n; i++)
            g_string_append_printf (out, "%02x", b[i]);
          g_string_append_c (out, '>');
        }
      else if (t.kind == TOK_NAME)
        {
          g_autofree char *name = _ck_pdf_decode_name (scan->data, t.start, t.end);

          g_string_append_c (out, '/');
          for (const char *c = name; *c; c++)
            if (_ck_pdf_is_regular (*c) && *c != '#' && *c > 0x20 && (guint8)*c < 0x7f)
              g_string_append_c (out, *c);
            else
              g_string_append_printf (out, "#%02x", (guint8)*c);
        }
      else
        g_string_append_len (out, (const char *)scan->data + t.start, t.end - t.start);
    }

  return g_string_free (out, FALSE);
}
