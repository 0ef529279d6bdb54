/* fuzz-name.c: libFuzzer target for the name validator
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Any input either fails with a CK_NAME_ERROR carrying a message, or
 * yields valid UTF-8 in NFC, trimmed, at most CK_NAME_MAX_LENGTH long,
 * that normalises again to itself. Both flag sets are tried. */

#include "config.h"

#include <string.h>

#include "ck.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (const char  *input,
       CkNameFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *again = NULL;
  g_autofree char *nfc = NULL;

  name = ck_name_normalize (input, flags, &error);
  if (name == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CK_NAME_ERROR);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return;
    }

  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (name, -1), >, 0);
  g_assert_cmpuint (g_utf8_strlen (name, -1), <=, CK_NAME_MAX_LENGTH);
  g_assert_false (g_unichar_isspace (g_utf8_get_char (name)));

  nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (nfc, ==, name);

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (ck_name_is_han (c) || c == CK_NAME_MIDDLE_DOT ||
                     (flags & CK_NAME_FLAGS_ALLOW_LATIN));
      g_assert_false (g_unichar_iscntrl (c));
    }

  again = ck_name_normalize (name, flags, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, name);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *)data, size);

  check (input, CK_NAME_FLAGS_NONE);
  check (input, CK_NAME_FLAGS_ALLOW_LATIN);

  return 0;
}
