/* ck-date.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-date"

#include "config.h"

#include <string.h>

#include "ck-date.h"

/**
 * ck_date_parse:
 * @text: (nullable): what was given
 * @date: (out) (optional): the date, if @text is one
 *
 * Accepts a real calendar date written exactly YYYY-MM-DD: ten
 * characters, digits where digits go. (sscanf's "%u" alone would also
 * take "2026- 9-01" or "+026-09-01", and the store compares dates as
 * text, so such a date would select the wrong records.)
 *
 * Returns: %TRUE if @text is such a date
 */
gboolean
ck_date_parse (const char *text,
               GDate      *date)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  y = (text[0] - '0') * 1000u + (text[1] - '0') * 100u + (text[2] - '0') * 10u + (text[3] - '0');
  m = (text[5] - '0') * 10u + (text[6] - '0');
  d = (text[8] - '0') * 10u + (text[9] - '0');

  if (!g_date_valid_dmy (d, m, y))
    return FALSE;

  if (date)
    {
      g_date_clear (date, 1);
      g_date_set_dmy (date, d, m, y);
    }

  return TRUE;
}
