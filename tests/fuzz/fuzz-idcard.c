/* fuzz-idcard.c: libFuzzer target for the ID number parser
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Any input either fails with a CK_IDCARD_ERROR carrying a message, or
 * yields an 18-character number whose check character is right and which
 * parses again to itself. */

#include "config.h"

#include <string.h>

#include "ck.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *)data, size);
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(CkIdcard) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *birth = NULL;
  const char *number;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 28, 11, 2026);

  idcard = ck_idcard_parse_on (input, &today, &error);
  if (idcard == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CK_IDCARD_ERROR);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return 0;
    }

  g_assert_null (error);
  number = ck_idcard_get_number (idcard);
  g_assert_cmpuint (strlen (number), ==, 18);
  g_assert_cmpint (ck_idcard_compute_check_character (number), ==, number[17]);
  g_assert_nonnull (ck_idcard_get_province_name (idcard));

  birth = ck_idcard_format_birth_date (idcard);
  g_assert_cmpuint (strlen (birth), ==, 10);
  g_assert_cmpint (memcmp (birth, number + 6, 4), ==, 0);

  masked = ck_idcard_dup_masked (idcard);
  g_assert_cmpuint (strlen (masked), ==, 18);
  g_assert_null (strstr (masked, number + 6));

  again = ck_idcard_parse_on (number, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_idcard_get_number (again), ==, number);
  g_assert_false (ck_idcard_get_upgraded (again));

  return 0;
}
