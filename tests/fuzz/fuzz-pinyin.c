/* fuzz-pinyin.c: libFuzzer target for the pinyin engine's wrapper
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libpinyin abort()s on some input (a failed assertion on "k'is"), and a
 * kiosk must not. Any input gives a list without a crash: empty unless it
 * is 1 to CK_PINYIN_MAX_LETTERS ASCII letters; otherwise Han characters
 * only, no duplicates, each standing for 1 to all of the letters. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static CkPinyin *engine;

/* Removes the engine's private folder when libFuzzer exits. */
static void
drop_engine (void)
{
  g_clear_object (&engine);
}

static gboolean
is_letters (const char *input)
{
  gsize length = strlen (input);

  if (length == 0 || length > CK_PINYIN_MAX_LETTERS)
    return FALSE;

  for (const char *p = input; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;

  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *)data, size);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *spans = NULL;
  g_auto(GStrv) candidates = NULL;

  if (engine == NULL)
    {
      g_autoptr(GError) error = NULL;

      engine = ck_pinyin_new (NULL, &error);
      g_assert_no_error (error);
      atexit (drop_engine);
    }

  candidates = ck_pinyin_candidates_with_spans (engine, input, 50, &spans);
  g_assert_nonnull (candidates);
  g_assert_nonnull (spans);
  g_assert_cmpuint (g_strv_length (candidates), <=, 50);
  if (!is_letters (input))
    g_assert_cmpuint (g_strv_length (candidates), ==, 0);

  for (guint i = 0; candidates[i]; i++)
    {
      g_assert_true (g_utf8_validate (candidates[i], -1, NULL));
      g_assert_true (g_hash_table_add (seen, candidates[i]));
      for (const char *p = candidates[i]; *p; p = g_utf8_next_char (p))
        g_assert_true (ck_name_is_han (g_utf8_get_char (p)));
      g_assert_cmpuint (spans[i], >=, 1);
      g_assert_cmpuint (spans[i], <=, strlen (input));
    }

  return 0;
}
