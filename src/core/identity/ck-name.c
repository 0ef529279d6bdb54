/* ck-name.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Names as a resident ID card carries them: Han characters from every CJK
 * block (rare characters, 生僻字, appear in real names and must survive
 * exactly), joined by the middle dot in names such as 阿依古丽·买买提.
 * The result is NFC, trimmed, with every middle-dot look-alike turned into
 * U+00B7. */

#define G_LOG_DOMAIN "ck-name"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-name.h"

G_DEFINE_QUARK (ck-name-error-quark, ck_name_error)

/* Blocks of CJK ideographs, Unicode 15.1. Extensions H and I are accepted
 * too: a card issued after they were encoded may carry them. */
static const struct {
  gunichar first;
  gunichar last;
} han_ranges[] = {
  { 0x3007, 0x3007 },   /* IDEOGRAPHIC NUMBER ZERO 〇, used in names */
  { 0x3400, 0x4DBF },   /* Extension A */
  { 0x4E00, 0x9FFF },   /* CJK Unified Ideographs */
  { 0xF900, 0xFAFF },   /* Compatibility Ideographs (incl. unified 﨎 etc.) */
  { 0x20000, 0x2A6DF }, /* Extension B */
  { 0x2A700, 0x2B73F }, /* Extension C */
  { 0x2B740, 0x2B81F }, /* Extension D */
  { 0x2B820, 0x2CEAF }, /* Extension E */
  { 0x2CEB0, 0x2EBEF }, /* Extension F */
  { 0x2EBF0, 0x2EE5F }, /* Extension I */
  { 0x2F800, 0x2FA1F }, /* Compatibility Ideographs Supplement */
  { 0x30000, 0x3134F }, /* Extension G */
  { 0x31350, 0x323AF }, /* Extension H */
};

gboolean
ck_name_is_han (gunichar c)
{
  for (guint i = 0; i < G_N_ELEMENTS (han_ranges); i++)
    if (c >= han_ranges[i].first && c <= han_ranges[i].last)
      return TRUE;

  return FALSE;
}

/* Characters that customers, input methods and pasted text use for the
 * middle dot in transcribed names. */
gboolean
ck_name_is_dot (gunichar c)
{
  switch (c)
    {
    case 0x00B7: /* MIDDLE DOT */
    case 0x2022: /* BULLET */
    case 0x2027: /* HYPHENATION POINT */
    case 0x2219: /* BULLET OPERATOR */
    case 0x22C5: /* DOT OPERATOR */
    case 0x30FB: /* KATAKANA MIDDLE DOT */
    case 0xFF0E: /* FULLWIDTH FULL STOP */
    case 0xFF65: /* HALFWIDTH KATAKANA MIDDLE DOT */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_invisible (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_CONTROL ||
         type == G_UNICODE_FORMAT ||
         type == G_UNICODE_UNASSIGNED ||
         type == G_UNICODE_PRIVATE_USE ||
         type == G_UNICODE_SURROGATE ||
         type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

static gboolean
is_number (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_DECIMAL_NUMBER ||
         type == G_UNICODE_LETTER_NUMBER ||
         type == G_UNICODE_OTHER_NUMBER;
}

static gboolean
is_latin_letter (gunichar c)
{
  return g_unichar_isalpha (c) && g_unichar_get_script (c) == G_UNICODE_SCRIPT_LATIN;
}

static gboolean
is_name_space (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Joiners allowed between the words of a foreign name. */
static gboolean
is_latin_joiner (gunichar c)
{
  return c == ' ' || c == '-' || c == '\'' || c == 0x2019 || c == '.';
}

static char *
describe_character (gunichar c)
{
  char buf[8] = { 0 };

  if (!g_unichar_isprint (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
    return g_strdup_printf ("U+%04X", c);

  g_unichar_to_utf8 (c, buf);
  return g_strdup_printf ("“%s”", buf);
}

/* Removes leading and trailing white space, Unicode's included. */
static char *
trim (const char *s)
{
  const char *begin = s;
  const char *end = s + strlen (s);

  while (*begin && is_name_space (g_utf8_get_char (begin)))
    begin = g_utf8_next_char (begin);

  while (end > begin)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_name_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (begin, end - begin);
}

/**
 * ck_name_normalize:
 * @input: the name as entered, in UTF-8
 * @flags: what is allowed besides Chinese names
 * @error: a #GError in the %CK_NAME_ERROR domain
 *
 * Normalises @input to NFC, trims white space, turns middle-dot variants
 * into U+00B7 and checks every character. Errors name the character and
 * its position (counted in characters from 1).
 *
 * Returns: (transfer full) (nullable): the name to store, or %NULL
 */
char *
ck_name_normalize (const char   *input,
                   CkNameFlags   flags,
                   GError      **error)
{
  g_autofree char *nfc = NULL;
  g_autofree char *trimmed = NULL;
  GString *out;
  gboolean latin = (flags & CK_NAME_FLAGS_ALLOW_LATIN) != 0;
  gunichar prev = 0;
  guint pos = 0;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (input, -1, NULL) ||
      !(nfc = g_utf8_normalize (input, -1, G_NORMALIZE_NFC)))
    {
      g_set_error_literal (error, CK_NAME_ERROR, CK_NAME_ERROR_INVALID_UTF8,
                           _("The name contains bytes that are not valid text."));
      return NULL;
    }

  trimmed = trim (nfc);
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, CK_NAME_ERROR, CK_NAME_ERROR_EMPTY,
                           _("Enter the name as it is written on the ID card."));
      return NULL;
    }

  out = g_string_sized_new (strlen (trimmed));

  for (const char *p = trimmed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *what = NULL;

      pos++;

      if (ck_name_is_han (c))
        {
          g_string_append_unichar (out, c);
          prev = c;
          continue;
        }

      if (ck_name_is_dot (c))
        {
          if (out->len == 0 || ck_name_is_dot (prev) || *g_utf8_next_char (p) == '\0')
            {
              g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_MIDDLE_DOT,
                           _("Character %u of the name is a middle dot; a middle dot can "
                             "only stand between two parts of a name."),
                           pos);
              goto failure;
            }
          g_string_append_unichar (out, CK_NAME_MIDDLE_DOT);
          prev = CK_NAME_MIDDLE_DOT;
          continue;
        }

      if (latin && is_latin_letter (c))
        {
          g_string_append_unichar (out, c);
          prev = c;
          continue;
        }

      if (latin && (is_latin_joiner (c) || is_name_space (c)) && is_latin_letter (prev))
        {
          /* A single joiner between letters; a run of spaces folds into one. */
          g_string_append_unichar (out, is_name_space (c) ? ' ' : c);
          prev = is_name_space (c) ? ' ' : c;
          continue;
        }

      if (latin && is_name_space (c) && prev == ' ')
        continue;

      what = describe_character (c);

      if (is_invisible (c))
        g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_CONTROL,
                     _("Character %u of the name, %s, is an invisible control character; "
                       "please enter the name again."),
                     pos, what);
      else if (is_name_space (c))
        g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_WHITESPACE,
                     _("Character %u of the name is a space; a Chinese name has no "
                       "spaces."),
                     pos);
      else if (is_number (c))
        g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_DIGIT,
                     _("Character %u of the name, %s, is a digit; a name cannot contain "
                       "digits."),
                     pos, what);
      else if (is_latin_letter (c))
        g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_LATIN,
                     _("Character %u of the name, %s, is a Latin letter; enter the name "
                       "in Chinese characters as on the ID card."),
                     pos, what);
      else
        g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_CHARACTER,
                     _("Character %u of the name, %s, cannot be part of a name."),
                     pos, what);
      goto failure;
    }

  /* A foreign name must not end on a joiner either. */
  if (latin && is_latin_joiner (prev))
    {
      g_autofree char *what = describe_character (prev);

      g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_CHARACTER,
                   _("Character %u of the name, %s, cannot be part of a name."),
                   pos, what);
      goto failure;
    }

  if (g_utf8_strlen (out->str, -1) > CK_NAME_MAX_LENGTH)
    {
      g_set_error (error, CK_NAME_ERROR, CK_NAME_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The name has %u characters; at most %u are accepted.",
                                "The name has %u characters; at most %u are accepted.",
                                (gulong)g_utf8_strlen (out->str, -1)),
                   (guint)g_utf8_strlen (out->str, -1), CK_NAME_MAX_LENGTH);
      goto failure;
    }

  return g_string_free (out, FALSE);

failure:
  g_string_free (out, TRUE);
  return NULL;
}
