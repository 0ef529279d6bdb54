/* test-name.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ck.h"

typedef struct
{
  const char *input;
  CkNameFlags flags;
  int error_code;          /* -1: valid */
  const char *normalised;  /* for valid input */
  const char *in_message;  /* for errors: a piece the message must contain */
} Vector;

static const Vector vectors[] = {
  { "张三", 0, -1, "张三", NULL },
  { "  张三\t", 0, -1, "张三", NULL },
  { "\u3000张三\u3000", 0, -1, "张三", NULL },                 /* ideographic spaces */
  { "𠮷野家", 0, -1, "𠮷野家", NULL },                          /* U+20BB7, Extension B */
  { "王䶮", 0, -1, "王䶮", NULL },                              /* U+4DAE, Extension A */
  { "李\U0002A700", 0, -1, "李\U0002A700", NULL },              /* Extension C */
  { "李\U0002B740", 0, -1, "李\U0002B740", NULL },              /* Extension D */
  { "李\U0002B820", 0, -1, "李\U0002B820", NULL },              /* Extension E */
  { "李\U0002CEB0", 0, -1, "李\U0002CEB0", NULL },              /* Extension F */
  { "李\U00030000", 0, -1, "李\U00030000", NULL },              /* Extension G */
  { "李\U0003134A", 0, -1, "李\U0003134A", NULL },              /* Extension G, last */
  { "张\u3007", 0, -1, "张\u3007", NULL },                      /* 〇 */
  { "阿依古丽·买买提", 0, -1, "阿依古丽·买买提", NULL },
  { "阿依古丽•买买提", 0, -1, "阿依古丽·买买提", NULL },          /* U+2022 */
  { "阿依古丽・买买提", 0, -1, "阿依古丽·买买提", NULL },          /* U+30FB */
  { "阿依古丽．买买提", 0, -1, "阿依古丽·买买提", NULL },          /* U+FF0E */
  { "阿依古丽･买买提", 0, -1, "阿依古丽·买买提", NULL },          /* U+FF65 */
  { "\uF900", 0, -1, "\u8C48", NULL },                          /* NFC maps U+F900 */
  { "John Smith", CK_NAME_FLAGS_ALLOW_LATIN, -1, "John Smith", NULL },
  { "Jean-Luc  O'Neil", CK_NAME_FLAGS_ALLOW_LATIN, -1, "Jean-Luc O'Neil", NULL },
  { "Rene\u0301", CK_NAME_FLAGS_ALLOW_LATIN, -1, "Ren\u00E9", NULL }, /* NFC */

  { "", 0, CK_NAME_ERROR_EMPTY, NULL, NULL },
  { " \t\u3000 ", 0, CK_NAME_ERROR_EMPTY, NULL, NULL },
  { "张\xff", 0, CK_NAME_ERROR_INVALID_UTF8, NULL, NULL },
  { "张三3", 0, CK_NAME_ERROR_DIGIT, NULL, "3" },
  { "张三３", 0, CK_NAME_ERROR_DIGIT, NULL, "３" },              /* full-width digit */
  { "张Ⅳ", 0, CK_NAME_ERROR_DIGIT, NULL, "2" },                 /* letter number */
  { "Zhang San", 0, CK_NAME_ERROR_LATIN, NULL, "Z" },
  { "张a", 0, CK_NAME_ERROR_LATIN, NULL, "“a”" },
  { "张\u200B三", 0, CK_NAME_ERROR_CONTROL, NULL, "U+200B" },    /* zero-width space */
  { "张\x01三", 0, CK_NAME_ERROR_CONTROL, NULL, "U+0001" },
  { "张\u202E三", 0, CK_NAME_ERROR_CONTROL, NULL, "U+202E" },    /* bidi override */
  { "张 三", 0, CK_NAME_ERROR_WHITESPACE, NULL, "2" },
  { "·买买提", 0, CK_NAME_ERROR_MIDDLE_DOT, NULL, "1" },
  { "阿依古丽·", 0, CK_NAME_ERROR_MIDDLE_DOT, NULL, "5" },
  { "阿依··买买提", 0, CK_NAME_ERROR_MIDDLE_DOT, NULL, "4" },
  { "张三！", 0, CK_NAME_ERROR_CHARACTER, NULL, "！" },
  { "张😀", 0, CK_NAME_ERROR_CHARACTER, NULL, "😀" },
  { "やまだ", 0, CK_NAME_ERROR_CHARACTER, NULL, "や" },
  { "김", 0, CK_NAME_ERROR_CHARACTER, NULL, "김" },
  { "Smith-", CK_NAME_FLAGS_ALLOW_LATIN, CK_NAME_ERROR_CHARACTER, NULL, "-" },
  { "-Smith", CK_NAME_FLAGS_ALLOW_LATIN, CK_NAME_ERROR_CHARACTER, NULL, "-" },
  { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", 0,
    CK_NAME_ERROR_TOO_LONG, NULL, "31" },
};

static void
test_name_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;

      g_test_message ("vector %u", i);
      name = ck_name_normalize (v->input, v->flags, &error);

      if (v->error_code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (name, ==, v->normalised);
        }
      else
        {
          g_assert_error (error, CK_NAME_ERROR, v->error_code);
          g_assert_null (name);
          if (v->in_message && !strstr (error->message, v->in_message))
            g_error ("“%s” lacks “%s”", error->message, v->in_message);
        }
    }
}

static void
test_name_vectors_cover_codes (void)
{
  gboolean seen[CK_NAME_ERROR_CHARACTER + 1] = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    if (vectors[i].error_code >= 0)
      seen[vectors[i].error_code] = TRUE;

  for (guint code = 0; code < G_N_ELEMENTS (seen); code++)
    {
      g_test_message ("error code %u", code);
      g_assert_true (seen[code]);
    }
}

/* Exactly 30 characters pass, also when they are all outside the BMP. */
static void
test_name_length_limit (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *ok = NULL;
  g_autofree char *too_long = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < CK_NAME_MAX_LENGTH; i++)
    g_string_append_unichar (name, 0x20BB7);

  ok = ck_name_normalize (name->str, CK_NAME_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (ok, -1), ==, CK_NAME_MAX_LENGTH);

  g_string_append_unichar (name, 0x20BB7);
  too_long = ck_name_normalize (name->str, CK_NAME_FLAGS_NONE, &error);
  g_assert_error (error, CK_NAME_ERROR, CK_NAME_ERROR_TOO_LONG);
  g_assert_null (too_long);
}

/* The first and last code point of every CJK block is a Han character; the
 * code point just outside the main blocks is not. */
static void
test_name_han_blocks (void)
{
  static const gunichar inside[] = {
    0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D,
    0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x30000, 0x3134A, 0x31350, 0x323AF,
  };
  static const gunichar outside[] = { 0x33FF, 0x4DC0, 0xA000, 0x1FFFF, 0x2FFFF, 0x323B0, 0x00B7 };

  for (guint i = 0; i < G_N_ELEMENTS (inside); i++)
    g_assert_true (ck_name_is_han (inside[i]));
  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    g_assert_false (ck_name_is_han (outside[i]));
}

/* Normalising twice changes nothing. */
static void
test_name_idempotent (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *once = NULL;
      g_autofree char *twice = NULL;

      if (vectors[i].error_code >= 0)
        continue;

      once = ck_name_normalize (vectors[i].input, vectors[i].flags, NULL);
      twice = ck_name_normalize (once, vectors[i].flags, NULL);
      g_assert_cmpstr (once, ==, twice);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/name/vectors", test_name_vectors);
  g_test_add_func ("/name/vectors-cover-codes", test_name_vectors_cover_codes);
  g_test_add_func ("/name/length-limit", test_name_length_limit);
  g_test_add_func ("/name/han-blocks", test_name_han_blocks);
  g_test_add_func ("/name/idempotent", test_name_idempotent);

  return g_test_run ();
}
