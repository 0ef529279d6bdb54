/* ck-pdf-scan.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads what the verifier needs of a PDF it did not write: the objects in
 * file order, the revisions (each ends at a "%%EOF" read outside any
 * object, string or stream), their trailers, and the signature
 * dictionaries (/ByteRange and /Contents).
 *
 * The input is hostile. The lexer reads one token at a time and never
 * past the end; nesting is kept on a stack of its own, at most
 * CK_PDF_MAX_DEPTH deep, and a value holds at most CK_PDF_MAX_VALUES
 * values, so neither a deep nor a huge object exhausts the stack or
 * memory; a stream is skipped by its /Length when that is a direct integer
 * followed by "endstream", else up to the first "endstream". Objects are
 * remembered by offset and parsed again when asked for
 * (_ck_pdf_scan_parse_object ()), so that only signature dictionaries and
 * trailers stay in memory. Nothing here decides whether a signature holds:
 * ck-seal-verify.c does, with what this file found. */

#define _GNU_SOURCE   /* memmem() */
#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <string.h>

#include "ck-pdf-scan-private.h"

/* --- lexer ----------------------------------------------------------- */

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
} TokKind;

typedef struct
{
  TokKind  kind;
  gsize    start;
  gsize    end;
  gint64   num;
  gboolean bad;
} Token;

static inline gboolean
is_space (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static inline gboolean
is_delimiter (guint8 c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '/' || c == '%';
}

static inline gboolean
is_regular (guint8 c)
{
  return !is_space (c) && !is_delimiter (c);
}

/* A run of regular characters: an integer, a real or a word. */
static void
classify_run (const guint8 *d,
              Token        *t)
{
  gsize p = t->start;
  gboolean digits = FALSE, dot = FALSE, sign = FALSE;
  guint64 value = 0;

  if (d[p] == '+' || d[p] == '-')
    {
      sign = d[p] == '-';
      p++;
    }
  for (; p < t->end; p++)
    {
      if (g_ascii_isdigit (d[p]))
        {
          digits = TRUE;
          if (!dot)
            {
              if (value > (guint64)(G_MAXINT64 - 9) / 10)
                t->bad = TRUE;
              else
                value = value * 10 + (d[p] - '0');
            }
        }
      else if (d[p] == '.' && !dot)
        dot = TRUE;
      else
        break;
    }

  if (p != t->end || !digits)
    t->kind = TOK_WORD;
  else if (dot)
    t->kind = TOK_REAL;
  else
    {
      t->kind = TOK_INT;
      t->num = t->bad ? G_MAXINT64 : (sign ? -(gint64)value : (gint64)value);
    }
}

/* Reads the token at *@pos, skipping white space, and moves *@pos past it. */
static void
lex (const guint8 *d,
     gsize         len,
     gsize        *pos,
     Token        *t)
{
  gsize p = *pos;

  while (p < len && is_space (d[p]))
    p++;

  t->start = p;
  t->num = 0;
  t->bad = FALSE;

  if (p >= len)
    {
      t->kind = TOK_END;
      t->end = *pos = len;
      return;
    }

  switch (d[p])
    {
    case '%':
      while (p < len && d[p] != '\n' && d[p] != '\r')
        p++;
      t->kind = TOK_COMMENT;
      break;

    case '/':
      p++;
      while (p < len && is_regular (d[p]))
        p++;
      t->kind = TOK_NAME;
      break;

    case '(':
      {
        gsize depth = 1;

        for (p++; p < len && depth > 0; p++)
          {
            if (d[p] == '\\')
              p++;
            else if (d[p] == '(')
              depth++;
            else if (d[p] == ')')
              depth--;
          }
        p = MIN (p, len);
        t->bad = depth > 0;
        t->kind = TOK_STRING;
      }
      break;

    case '<':
      if (p + 1 < len && d[p + 1] == '<')
        {
          p += 2;
          t->kind = TOK_DICT_OPEN;
          break;
        }
      for (p++; p < len && d[p] != '>'; p++)
        if (!is_space (d[p]) && !g_ascii_isxdigit (d[p]))
          t->bad = TRUE;
      if (p < len)
        p++;
      else
        t->bad = TRUE;
      t->kind = TOK_HEX;
      break;

    case '>':
      if (p + 1 < len && d[p + 1] == '>')
        {
          p += 2;
          t->kind = TOK_DICT_CLOSE;
        }
      else
        {
          p++;
          t->kind = TOK_JUNK;
        }
      break;

    case '[':
      p++;
      t->kind = TOK_ARRAY_OPEN;
      break;

    case ']':
      p++;
      t->kind = TOK_ARRAY_CLOSE;
      break;

    case ')':
    case '{':
    case '}':
      p++;
      t->kind = TOK_JUNK;
      break;

    default:
      while (p < len && is_regular (d[p]))
        p++;
      t->end = p;
      classify_run (d, t);
      break;
    }

  t->end = *pos = p;
}

static gboolean
token_is_word (const guint8 *d,
               const Token  *t,
               const char   *word)
{
  gsize n = strlen (word);

  return t->kind == TOK_WORD && t->end - t->start == n && memcmp (d + t->start, word, n) == 0;
}

/* --- strings --------------------------------------------------------- */

static GBytes *
decode_hex (const guint8 *d,
            gsize         start,
            gsize         end,
            gboolean     *bad)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new ((end - start) / 2);
  int high = -1;

  /* Between the angle brackets (the last is missing when cut off). */
  for (gsize p = start + 1; p < end && d[p] != '>'; p++)
    {
      int v = g_ascii_xdigit_value (d[p]);

      if (v < 0)
        {
          if (!is_space (d[p]))
            *bad = TRUE;
          continue;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 byte = (high << 4) | v;

          g_byte_array_append (out, &byte, 1);
          high = -1;
        }
    }
  if (high >= 0)
    *bad = TRUE;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
decode_literal (const guint8 *d,
                gsize         start,
                gsize         end)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize last = end > start + 1 && d[end - 1] == ')' ? end - 1 : end;

  for (gsize p = start + 1; p < last; p++)
    {
      guint8 c = d[p];

      if (c == '\r')
        {
          /* An end of line in a string is a line feed, whatever it was. */
          c = '\n';
          if (p + 1 < last && d[p + 1] == '\n')
            p++;
        }
      else if (c == '\\' && p + 1 < last)
        {
          c = d[++p];
          switch (c)
            {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r':
              if (p + 1 < last && d[p + 1] == '\n')
                p++;
              continue;
            case '\n':
              continue;
            default:
              if (c >= '0' && c <= '7')
                {
                  guint v = c - '0';

                  for (int i = 0; i < 2 && p + 1 < last && d[p + 1] >= '0' && d[p + 1] <= '7'; i++)
                    v = v * 8 + (d[++p] - '0');
                  c = v & 0xff;
                }
              break;
            }
        }
      g_byte_array_append (out, &c, 1);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static char *
decode_name (const guint8 *d,
             gsize         start,
             gsize         end)
{
  GString *out = g_string_sized_new (end - start);

  for (gsize p = start + 1; p < end; p++)
    {
      if (d[p] == '#' && p + 2 < end && g_ascii_isxdigit (d[p + 1]) && g_ascii_isxdigit (d[p + 2]))
        {
          g_string_append_c (out, (g_ascii_xdigit_value (d[p + 1]) << 4) | g_ascii_xdigit_value (d[p + 2]));
          p += 2;
        }
      else
        g_string_append_c (out, d[p]);
    }

  return g_string_free (out, FALSE);
}

/**
 * _ck_pdf_text_to_utf8:
 * @string: a PDF text string's bytes
 *
 * Decodes a text string: UTF-16BE after a byte-order mark, UTF-8 after
 * one, else PDFDocEncoding (read as Latin-1: the same for every printable
 * ASCII character). Control characters become U+FFFD, so that what a file
 * says can be printed on a terminal as it is.
 *
 * Returns: (transfer full): valid UTF-8
 */
char *
_ck_pdf_text_to_utf8 (GBytes *string)
{
  gsize n = 0;
  const guint8 *s = g_bytes_get_data (string, &n);
  g_autofree char *utf8 = NULL;
  GString *out;

  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
    {
      g_autofree gunichar2 *units = g_new (gunichar2, (n - 2) / 2 + 1);
      gsize count = (n - 2) / 2;
      GString *text = g_string_new (NULL);

      for (gsize i = 0; i < count; i++)
        units[i] = (s[2 + 2 * i] << 8) | s[3 + 2 * i];
      /* A lone surrogate is not UTF-16: each one becomes U+FFFD. */
      for (gsize i = 0; i < count; i++)
        {
          gunichar c = units[i];

          if (c >= 0xD800 && c <= 0xDBFF && i + 1 < count &&
              units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
          else if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
          g_string_append_unichar (text, c);
        }
      utf8 = g_string_free (text, FALSE);
    }
  else if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    utf8 = g_utf8_make_valid ((const char *)s + 3, n - 3);
  else
    {
      GString *text = g_string_new (NULL);

      for (gsize i = 0; i < n; i++)
        g_string_append_unichar (text, s[i]);
      utf8 = g_string_free (text, FALSE);
    }

  out = g_string_new (NULL);
  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        c = 0xFFFD;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

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
value_new (CkPdfKind    kind,
           const Token *t)
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
scalar_from_token (const guint8 *d,
                   gsize         len,
                   gsize        *pos,
                   const Token  *t,
                   gboolean      in_container)
{
  CkPdfValue *v;

  switch (t->kind)
    {
    case TOK_INT:
      {
        /* "NUM GEN R" is a reference. */
        gsize p = *pos;
        Token gen, r;

        lex (d, len, &p, &gen);
        if (!t->bad && t->num >= 0 && gen.kind == TOK_INT && !gen.bad && gen.num >= 0)
          {
            lex (d, len, &p, &r);
            if (token_is_word (d, &r, "R"))
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
      v->name = decode_name (d, t->start, t->end);
      return v;

    case TOK_STRING:
      v = value_new (CK_PDF_STRING, t);
      v->string = decode_literal (d, t->start, t->end);
      return v;

    case TOK_HEX:
      v = value_new (CK_PDF_STRING, t);
      v->hex = TRUE;
      v->string = decode_hex (d, t->start, t->end, &v->bad);
      return v;

    case TOK_WORD:
      if (token_is_word (d, t, "true") || token_is_word (d, t, "false"))
        {
          v = value_new (CK_PDF_BOOL, t);
          v->num = token_is_word (d, t, "true");
          return v;
        }
      if (token_is_word (d, t, "null"))
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
static CkPdfValue *
parse_value (const guint8 *d,
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
      Token t;

      lex (d, len, &p, &t);

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

  return parse_value (data, len, &p);
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
      Token t;

      lex (scan->data, value->end, &p, &t);
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
            ? decode_hex (scan->data, t.start, t.end, &bad)
            : decode_literal (scan->data, t.start, t.end);
          gsize n;
          const guint8 *b = g_bytes_get_data (bytes, &n);

          g_string_append_c (out, '<');
          for (gsize i = 0; i < n; i++)
            g_string_append_printf (out, "%02x", b[i]);
          g_string_append_c (out, '>');
        }
      else if (t.kind == TOK_NAME)
        {
          g_autofree char *name = decode_name (scan->data, t.start, t.end);

          g_string_append_c (out, '/');
          for (const char *c = name; *c; c++)
            if (is_regular (*c) && *c != '#' && *c > 0x20 && (guint8)*c < 0x7f)
              g_string_append_c (out, *c);
            else
              g_string_append_printf (out, "#%02x", (guint8)*c);
        }
      else
        g_string_append_len (out, (const char *)scan->data + t.start, t.end - t.start);
    }

  return g_string_free (out, FALSE);
}

/* --- the scan -------------------------------------------------------- */

static void
revision_free (gpointer data)
{
  CkPdfRevision *revision = data;

  _ck_pdf_value_free (revision->trailer);
  g_free (revision);
}

static void
signature_free (gpointer data)
{
  CkPdfSignature *signature = data;

  g_free (signature->sub_filter);
  g_free (signature->m);
  g_clear_pointer (&signature->contents, g_bytes_unref);
  g_free (signature);
}

void
_ck_pdf_scan_free (CkPdfScan *scan)
{
  if (scan == NULL)
    return;
  g_array_unref (scan->objects);
  g_ptr_array_unref (scan->revisions);
  g_ptr_array_unref (scan->signatures);
  g_free (scan);
}

/* Past a stream's data: by its /Length when that is a direct integer that
 * ends where "endstream" begins, else at the first "endstream". */
static gsize
skip_stream (const guint8     *d,
             gsize             len,
             gsize             p,
             const CkPdfValue *dict)
{
  static const char endstream[] = "endstream";
  CkPdfValue *length = _ck_pdf_dict_get (dict, "Length");
  const guint8 *found;

  if (p < len && d[p] == '\r')
    p++;
  if (p < len && d[p] == '\n')
    p++;

  if (length && length->kind == CK_PDF_INT && !length->bad && length->num >= 0 &&
      (guint64)length->num <= len - p)
    {
      gsize q = p + length->num;
      Token t;

      lex (d, len, &q, &t);
      if (token_is_word (d, &t, "endstream"))
        return t.end;
    }

  found = memmem (d + p, len - p, endstream, strlen (endstream));
  return found ? (gsize)(found - d) + strlen (endstream) : len;
}

static gboolean
is_signature_dict (const CkPdfValue *dict)
{
  CkPdfValue *type = _ck_pdf_dict_get (dict, "Type");

  if (_ck_pdf_dict_get (dict, "ByteRange") == NULL || _ck_pdf_dict_get (dict, "Contents") == NULL)
    return FALSE;
  if (type == NULL)
    return _ck_pdf_dict_get (dict, "SubFilter") != NULL || _ck_pdf_dict_get (dict, "Filter") != NULL;

  return _ck_pdf_value_is_name (type, "Sig") || _ck_pdf_value_is_name (type, "DocTimeStamp");
}

static CkPdfSignature *
signature_new (const CkPdfValue *dict,
               guint             object)
{
  CkPdfSignature *signature = g_new0 (CkPdfSignature, 1);
  CkPdfValue *sub_filter = _ck_pdf_dict_get (dict, "SubFilter");
  CkPdfValue *byte_range = _ck_pdf_dict_get (dict, "ByteRange");
  CkPdfValue *contents = _ck_pdf_dict_get (dict, "Contents");
  CkPdfValue *m = _ck_pdf_dict_get (dict, "M");

  signature->object = object;
  signature->doc_timestamp = _ck_pdf_value_is_name (_ck_pdf_dict_get (dict, "Type"), "DocTimeStamp");
  if (sub_filter && sub_filter->kind == CK_PDF_NAME)
    signature->sub_filter = g_strdup (sub_filter->name);

  if (byte_range->kind == CK_PDF_ARRAY && byte_range->items->len == 4)
    {
      signature->byte_range_ok = TRUE;
      for (guint i = 0; i < 4; i++)
        {
          CkPdfValue *n = byte_range->items->pdata[i];

          if (n->kind != CK_PDF_INT || n->bad || n->num < 0)
            signature->byte_range_ok = FALSE;
          else
            signature->byte_range[i] = n->num;
        }
    }

  if (contents->kind == CK_PDF_STRING && contents->hex)
    {
      signature->contents_hex = TRUE;
      signature->contents_start = contents->start;
      signature->contents_end = contents->end;
      if (!contents->bad)
        signature->contents = g_bytes_ref (contents->string);
    }

  if (m && m->kind == CK_PDF_STRING)
    signature->m = _ck_pdf_text_to_utf8 (m->string);

  return signature;
}

static guint
revision_of (const CkPdfScan *scan,
             gsize            offset)
{
  for (guint r = 0; r < scan->revisions->len; r++)
    if (offset < ((CkPdfRevision *)scan->revisions->pdata[r])->end)
      return r;

  return scan->revisions->len;
}

/**
 * _ck_pdf_scan:
 * @data: a PDF's bytes, which must outlive the scan
 * @len: how many
 *
 * Reads the objects, revisions, trailers and signature dictionaries of
 * @data, whatever it holds: what cannot be read is skipped.
 *
 * Returns: (transfer full): what was found
 */
CkPdfScan *
_ck_pdf_scan (const guint8 *data,
              gsize         len)
{
  CkPdfScan *scan = g_new0 (CkPdfScan, 1);
  CkPdfValue *trailer = NULL;
  gint64 startxref = -1;
  gsize revision_start = 0;
  gsize p = 0;

  scan->data = data;
  scan->len = len;
  scan->objects = g_array_new (FALSE, TRUE, sizeof (CkPdfObject));
  scan->revisions = g_ptr_array_new_with_free_func (revision_free);
  scan->signatures = g_ptr_array_new_with_free_func (signature_free);

  for (;;)
    {
      Token t;

      lex (data, len, &p, &t);
      if (t.kind == TOK_END)
        break;

      if (t.kind == TOK_COMMENT)
        {
          CkPdfRevision *revision;
          gsize q = t.start + 5;

          if (t.end - t.start < 5 || memcmp (data + t.start, "%%EOF", 5) != 0)
            continue;
          while (q < t.end && (data[q] == ' ' || data[q] == '\t'))
            q++;
          if (q != t.end)
            continue;

          revision = g_new0 (CkPdfRevision, 1);
          revision->start = revision_start;
          revision->eof = t.start + 5;
          q = t.end;
          if (q < len && data[q] == '\r')
            q++;
          if (q < len && data[q] == '\n')
            q++;
          revision->end = q;
          revision->startxref = startxref;
          revision->trailer = g_steal_pointer (&trailer);
          g_ptr_array_add (scan->revisions, revision);
          revision_start = p = q;
          startxref = -1;
          continue;
        }

      if (t.kind == TOK_INT && !t.bad && t.num >= 0)
        {
          gsize q = p;
          Token gen, obj;
          CkPdfObject object = { 0 };
          g_autoptr(CkPdfValue) value = NULL;

          lex (data, len, &q, &gen);
          if (gen.kind != TOK_INT || gen.bad || gen.num < 0)
            continue;
          lex (data, len, &q, &obj);
          if (!token_is_word (data, &obj, "obj"))
            continue;

          object.num = t.num;
          object.gen = gen.num;
          object.offset = t.start;
          object.value_start = q;
          value = parse_value (data, len, &q);
          if (value == NULL)
            {
              /* Broken: go on reading after "obj". */
              object.end = obj.end;
              g_array_append_val (scan->objects, object);
              p = obj.end;
              continue;
            }

          p = q;
          lex (data, len, &q, &t);
          if (token_is_word (data, &t, "stream") && value->kind == CK_PDF_DICT)
            {
              object.is_stream = TRUE;
              p = q = skip_stream (data, len, t.end, value);
              lex (data, len, &q, &t);
            }
          if (token_is_word (data, &t, "endobj"))
            p = t.end;
          object.end = p;
          g_array_append_val (scan->objects, object);

          if (value->kind == CK_PDF_DICT && !object.is_stream && is_signature_dict (value))
            g_ptr_array_add (scan->signatures, signature_new (value, scan->objects->len - 1));
          continue;
        }

      if (token_is_word (data, &t, "trailer"))
        {
          gsize q = p;
          CkPdfValue *value = parse_value (data, len, &q);

          if (value && value->kind == CK_PDF_DICT)
            {
              _ck_pdf_value_free (trailer);
              trailer = value;
              p = q;
            }
          else
            _ck_pdf_value_free (value);
          continue;
        }

      if (token_is_word (data, &t, "startxref"))
        {
          gsize q = p;
          Token offset;

          lex (data, len, &q, &offset);
          if (offset.kind == TOK_INT && !offset.bad && offset.num >= 0)
            {
              startxref = offset.num;
              p = q;
            }
          continue;
        }
    }

  _ck_pdf_value_free (trailer);

  for (guint i = 0; i < scan->objects->len; i++)
    {
      CkPdfObject *object = &g_array_index (scan->objects, CkPdfObject, i);

      object->revision = revision_of (scan, object->offset);
    }
  for (guint i = 0; i < scan->signatures->len; i++)
    {
      CkPdfSignature *signature = scan->signatures->pdata[i];

      signature->revision = g_array_index (scan->objects, CkPdfObject, signature->object).revision;
    }

  return scan;
}

/**
 * _ck_pdf_scan_parse_object:
 * @index: an index in @scan's objects
 *
 * Returns: (transfer full) (nullable): the object's value, parsed again
 */
CkPdfValue *
_ck_pdf_scan_parse_object (const CkPdfScan *scan,
                           guint            index)
{
  g_return_val_if_fail (index < scan->objects->len, NULL);

  return _ck_pdf_value_parse (scan->data, scan->len,
                              g_array_index (scan->objects, CkPdfObject, index).value_start);
}

/**
 * _ck_pdf_scan_find_object:
 * @num: an object number
 * @before: an offset
 *
 * Returns: the index of the last definition of object @num that begins
 *   before @before, or -1
 */
gint
_ck_pdf_scan_find_object (const CkPdfScan *scan,
                          gint64           num,
                          gsize            before)
{
  for (guint i = scan->objects->len; i > 0; i--)
    {
      CkPdfObject *object = &g_array_index (scan->objects, CkPdfObject, i - 1);

      if (object->num == num && object->offset < before)
        return i - 1;
    }

  return -1;
}

/**
 * _ck_pdf_scan_read_xref:
 * @offset: where a cross-reference table should begin ("xref")
 * @trailer: (out) (optional): its trailer dictionary
 *
 * Reads a classic cross-reference table and the trailer that follows.
 *
 * Returns: (transfer full) (nullable) (element-type CkPdfXrefEntry): its
 *   entries, or %NULL if there is no well-formed table and trailer there
 */
GArray *
_ck_pdf_scan_read_xref (const CkPdfScan  *scan,
                        gsize             offset,
                        CkPdfValue      **trailer)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CkPdfXrefEntry));
  gsize p = offset;
  Token t;

  if (offset >= scan->len)
    return NULL;
  lex (scan->data, scan->len, &p, &t);
  if (t.start != offset || !token_is_word (scan->data, &t, "xref"))
    return NULL;

  for (;;)
    {
      Token first, count;

      lex (scan->data, scan->len, &p, &first);
      if (token_is_word (scan->data, &first, "trailer"))
        break;
      lex (scan->data, scan->len, &p, &count);
      if (first.kind != TOK_INT || first.bad || first.num < 0 ||
          count.kind != TOK_INT || count.bad || count.num < 0 ||
          (guint64)count.num > (scan->len - p) / 18 + 1 ||
          first.num > G_MAXINT64 - count.num)
        return NULL;

      for (gint64 i = 0; i < count.num; i++)
        {
          CkPdfXrefEntry entry = { first.num + i, 0, 0, FALSE };
          Token off, gen, kind;

          lex (scan->data, scan->len, &p, &off);
          lex (scan->data, scan->len, &p, &gen);
          lex (scan->data, scan->len, &p, &kind);
          if (off.kind != TOK_INT || off.bad || off.num < 0 ||
              gen.kind != TOK_INT || gen.bad || gen.num < 0)
            return NULL;
          if (token_is_word (scan->data, &kind, "n"))
            entry.in_use = TRUE;
          else if (!token_is_word (scan->data, &kind, "f"))
            return NULL;
          entry.offset = off.num;
          entry.gen = gen.num;
          g_array_append_val (entries, entry);
        }
    }

  if (trailer)
    {
      CkPdfValue *value = parse_value (scan->data, scan->len, &p);

      if (value == NULL || value->kind != CK_PDF_DICT)
        {
          _ck_pdf_value_free (value);
          return NULL;
        }
      *trailer = value;
    }

  return g_steal_pointer (&entries);
}
