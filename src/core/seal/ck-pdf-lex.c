/* ck-pdf-lex.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The PDF's tokens, for ck-pdf-value.c and ck-pdf-scan.c: the input is
 * hostile, so the lexer reads one token at a time, never past the end, and
 * marks what is malformed (a string cut short, a hex string with a
 * character that is no hex digit, an integer too large) rather than
 * failing. Strings and names are decoded here too. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <string.h>

#include "ck-pdf-lex-private.h"

static void
classify_run (const guint8 *d,
              CkPdfToken   *t)
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
void
_ck_pdf_lex (const guint8 *d,
             gsize         len,
             gsize        *pos,
             CkPdfToken   *t)
{
  gsize p = *pos;

  while (p < len && _ck_pdf_is_space (d[p]))
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
      while (p < len && _ck_pdf_is_regular (d[p]))
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
        if (!_ck_pdf_is_space (d[p]) && !g_ascii_isxdigit (d[p]))
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
      while (p < len && _ck_pdf_is_regular (d[p]))
        p++;
      t->end = p;
      classify_run (d, t);
      break;
    }

  t->end = *pos = p;
}

gboolean
_ck_pdf_token_is_word (const guint8     *d,
                       const CkPdfToken *t,
                       const char       *word)
{
  gsize n = strlen (word);

  return t->kind == TOK_WORD && t->end - t->start == n && memcmp (d + t->start, word, n) == 0;
}

/* --- strings --------------------------------------------------------- */

GBytes *
_ck_pdf_decode_hex (const guint8 *d,
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
          if (!_ck_pdf_is_space (d[p]))
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

GBytes *
_ck_pdf_decode_literal (const guint8 *d,
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

char *
_ck_pdf_decode_name (const guint8 *d,
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
