/* ck-idcard.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Resident identity card numbers (GB 11643-1999): normalisation of what a
 * keypad, an input method or a paste delivers, then validation of length,
 * province, birth date and the ISO 7064 MOD 11-2 check character. Every
 * problem has its own error code and a translated message that names it;
 * the right check character is never revealed. */

#define G_LOG_DOMAIN "ck-idcard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-idcard.h"

struct _CkIdcard
{
  gatomicrefcount ref_count;
  char number[CK_IDCARD_LENGTH + 1];
  char legacy[CK_IDCARD_LEGACY_LENGTH + 1];
  guint16 year;
  guint8 month;
  guint8 day;
  guint8 province;
  char province_code[3];
  CkSex sex;
};

G_DEFINE_QUARK (ck-idcard-error-quark, ck_idcard_error)
G_DEFINE_BOXED_TYPE (CkIdcard, ck_idcard, ck_idcard_ref, ck_idcard_unref)

/* Province-level codes of GB/T 2260 (first two digits). 81, 82 and 83 also
 * appear on residence permits for Hong Kong, Macao and Taiwan residents. */
static const struct {
  guint8 code;
  const char *name;
} provinces[] = {
  { 11, N_("Beijing") },
  { 12, N_("Tianjin") },
  { 13, N_("Hebei") },
  { 14, N_("Shanxi") },
  { 15, N_("Inner Mongolia") },
  { 21, N_("Liaoning") },
  { 22, N_("Jilin") },
  { 23, N_("Heilongjiang") },
  { 31, N_("Shanghai") },
  { 32, N_("Jiangsu") },
  { 33, N_("Zhejiang") },
  { 34, N_("Anhui") },
  { 35, N_("Fujian") },
  { 36, N_("Jiangxi") },
  { 37, N_("Shandong") },
  { 41, N_("Henan") },
  { 42, N_("Hubei") },
  { 43, N_("Hunan") },
  { 44, N_("Guangdong") },
  { 45, N_("Guangxi") },
  { 46, N_("Hainan") },
  { 50, N_("Chongqing") },
  { 51, N_("Sichuan") },
  { 52, N_("Guizhou") },
  { 53, N_("Yunnan") },
  { 54, N_("Tibet") },
  { 61, N_("Shaanxi") },
  { 62, N_("Gansu") },
  { 63, N_("Qinghai") },
  { 64, N_("Ningxia") },
  { 65, N_("Xinjiang") },
  { 71, N_("Taiwan") },
  { 81, N_("Hong Kong") },
  { 82, N_("Macao") },
  { 83, N_("Taiwan (residence permit)") },
};

static const guint8 weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char check_characters[] = "10X98765432";

/* Longest run of significant characters we keep; longer input is still
 * scanned for bad characters and counted for the length message. */
#define MAX_KEPT 32

const char *
ck_idcard_province_name_for_code (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    if (provinces[i].code == code)
      return _(provinces[i].name);

  return NULL;
}

const char *
ck_sex_to_string (CkSex sex)
{
  switch (sex)
    {
    case CK_SEX_FEMALE:
      return _("Female");
    case CK_SEX_MALE:
      return _("Male");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ck_idcard_compute_check_character:
 * @first17: at least 17 ASCII digits
 *
 * Returns: the ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') for the
 *   first 17 digits of @first17, or '\0' if they are not all digits.
 */
char
ck_idcard_compute_check_character (const char *first17)
{
  guint sum = 0;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return '\0';
      sum += (guint)(first17[i] - '0') * weights[i];
    }

  return check_characters[sum % 11];
}

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case '-':
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x2212: /* minus sign */
    case 0xFE63: /* small hyphen-minus */
    case 0xFF0D: /* full-width hyphen-minus */
      return TRUE;
    default:
      return g_unichar_isspace (c) || c == 0x3000 || c == 0x00A0 || c == 0x202F;
    }
}

/* Maps a character to the ASCII digit or 'X' it stands for, or 0. */
static char
significant_character (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (char)c;
  if (c >= 0xFF10 && c <= 0xFF19) /* full-width digits */
    return (char)('0' + (c - 0xFF10));
  if (c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58)
    return 'X';
  return 0;
}

static char *
describe_character (gunichar c)
{
  if (g_unichar_isprint (c))
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (c, buf);
      return g_strdup_printf ("“%s” (U+%04X)", buf, c);
    }

  return g_strdup_printf ("U+%04X", c);
}

static gboolean
normalise (const char  *input,
           char         kept[MAX_KEPT + 1],
           guint       *n_kept,
           GError     **error)
{
  guint n = 0;

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_INVALID_UTF8,
                           _("The ID number contains bytes that are not valid text."));
      return FALSE;
    }

  for (const char *p = input; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char s;

      if (is_separator (c))
        continue;

      n++;
      if (!(s = significant_character (c)))
        {
          g_autofree char *what = describe_character (c);

          g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_BAD_CHARACTER,
                       /* Translators: %u is a position (1, 2, …), %s the character. */
                       _("Character %u of the ID number, %s, is not allowed: "
                         "use the digits 0–9 and, only at the end, X."),
                       n, what);
          return FALSE;
        }

      if (n <= MAX_KEPT)
        kept[n - 1] = s;
    }

  kept[MIN (n, MAX_KEPT)] = '\0';
  *n_kept = n;

  return TRUE;
}

static guint
parse_digits (const char *s,
              guint       len)
{
  guint v = 0;

  for (guint i = 0; i < len; i++)
    v = v * 10 + (guint)(s[i] - '0');

  return v;
}

static guint
days_in_month (guint year,
               guint month)
{
  static const guint8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  if (month == 2 && leap)
    return 29;

  return days[month - 1];
}

static gboolean
check_birth_date (guint         year,
                  guint         month,
                  guint         day,
                  const GDate  *today,
                  GError      **error)
{
  guint ty, tm, td;

  if (month < 1 || month > 12)
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_MONTH,
                   _("The birth date in the ID number is impossible: "
                     "there is no month %02u."),
                   month);
      return FALSE;
    }

  if (day < 1 || day > days_in_month (year, month))
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_DAY,
                   _("The birth date in the ID number is impossible: "
                     "%04u-%02u has no day %02u."),
                   year, month, day);
      return FALSE;
    }

  if (year < 1900)
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_BEFORE_1900,
                   _("The birth date in the ID number, %04u-%02u-%02u, is before 1900."),
                   year, month, day);
      return FALSE;
    }

  ty = g_date_get_year (today);
  tm = g_date_get_month (today);
  td = g_date_get_day (today);

  if (year > ty ||
      (year == ty && (month > tm || (month == tm && day > td))))
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_FUTURE,
                   _("The birth date in the ID number, %04u-%02u-%02u, is in the future."),
                   year, month, day);
      return FALSE;
    }

  return TRUE;
}

/**
 * ck_idcard_parse_on:
 * @input: what the customer entered, in UTF-8
 * @today: the date against which a birth date counts as future
 * @error: a #GError in the %CK_IDCARD_ERROR domain
 *
 * Normalises and validates @input. Full-width digits and X, a lowercase x,
 * spaces and hyphens are accepted; a 15-digit legacy number is upgraded to
 * 18 characters (see ck_idcard_get_upgraded()).
 *
 * Returns: (transfer full) (nullable): the parsed number, or %NULL
 */
CkIdcard *
ck_idcard_parse_on (const char   *input,
                    const GDate  *today,
                    GError      **error)
{
  g_autoptr(CkIdcard) self = NULL;
  char kept[MAX_KEPT + 1];
  const char *date;
  guint n_kept = 0;
  guint year, month, day, province;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!normalise (input, kept, &n_kept, error))
    return NULL;

  if (n_kept == 0)
    {
      g_set_error_literal (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_EMPTY,
                           _("Enter the ID number."));
      return NULL;
    }

  if (n_kept != CK_IDCARD_LENGTH && n_kept != CK_IDCARD_LEGACY_LENGTH)
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_LENGTH,
                   g_dngettext (GETTEXT_PACKAGE,
                                "An ID number has 18 characters (15 on old cards); "
                                "this one has %u.",
                                "An ID number has 18 characters (15 on old cards); "
                                "this one has %u.",
                                n_kept),
                   n_kept);
      return NULL;
    }

  for (guint i = 0; i < n_kept; i++)
    {
      if (kept[i] == 'X' && !(n_kept == CK_IDCARD_LENGTH && i == CK_IDCARD_LENGTH - 1))
        {
          g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_MISPLACED_X,
                       _("Character %u of the ID number is an X: "
                         "X can only be the last of 18 characters."),
                       i + 1);
          return NULL;
        }
    }

  province = parse_digits (kept, 2);
  if (ck_idcard_province_name_for_code (province) == NULL)
    {
      g_set_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_PROVINCE,
                   _("The ID number starts with %02u, which is not a province code."),
                   province);
      return NULL;
    }

  if (n_kept == CK_IDCARD_LENGTH)
    {
      date = kept + 6;
      year = parse_digits (date, 4);
      month = parse_digits (date + 4, 2);
      day = parse_digits (date + 6, 2);
    }
  else
    {
      date = kept + 6;
      year = 1900 + parse_digits (date, 2);
      month = parse_digits (date + 2, 2);
      day = parse_digits (date + 4, 2);
    }

  if (!check_birth_date (year, month, day, today, error))
    return NULL;

  self = g_new0 (CkIdcard, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->year = (guint16)year;
  self->month = (guint8)month;
  self->day = (guint8)day;
  self->province = (guint8)province;
  memcpy (self->province_code, kept, 2);

  if (n_kept == CK_IDCARD_LEGACY_LENGTH)
    {
      memcpy (self->legacy, kept, CK_IDCARD_LEGACY_LENGTH);
      memcpy (self->number, kept, 6);
      memcpy (self->number + 6, "19", 2);
      memcpy (self->number + 8, kept + 6, 9);
      self->number[17] = ck_idcard_compute_check_character (self->number);
    }
  else
    {
      memcpy (self->number, kept, CK_IDCARD_LENGTH);
      if (ck_idcard_compute_check_character (kept) != kept[17])
        {
          g_set_error_literal (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_CHECK_CHARACTER,
                               _("The last character of the ID number does not fit the "
                                 "others: check the number for a typing mistake."));
          return NULL;
        }
    }

  self->sex = ((self->number[16] - '0') % 2) ? CK_SEX_MALE : CK_SEX_FEMALE;

  return g_steal_pointer (&self);
}

/**
 * ck_idcard_parse:
 * @input: what the customer entered, in UTF-8
 * @error: a #GError in the %CK_IDCARD_ERROR domain
 *
 * Like ck_idcard_parse_on() against today's local date.
 *
 * Returns: (transfer full) (nullable): the parsed number, or %NULL
 */
CkIdcard *
ck_idcard_parse (const char  *input,
                 GError     **error)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));

  return ck_idcard_parse_on (input, &today, error);
}

CkIdcard *
ck_idcard_ref (CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ck_idcard_unref (CkIdcard *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

/**
 * ck_idcard_get_number:
 *
 * Returns: the normalised 18-character number (digits and a final X)
 */
const char *
ck_idcard_get_number (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->number;
}

/**
 * ck_idcard_get_legacy_number:
 *
 * Returns: (nullable): the 15-digit number as entered, if it was upgraded
 */
const char *
ck_idcard_get_legacy_number (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->legacy[0] ? self->legacy : NULL;
}

gboolean
ck_idcard_get_upgraded (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->legacy[0] != '\0';
}

/**
 * ck_idcard_dup_upgrade_notice:
 *
 * Returns: (transfer full) (nullable): a translated sentence telling the
 *   customer that an old 15-digit number was converted, or %NULL
 */
char *
ck_idcard_dup_upgrade_notice (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!ck_idcard_get_upgraded (self))
    return NULL;

  return g_strdup_printf (_("This is an old 15-digit number; it was converted to the "
                            "18-character number %s. Please check it against the card."),
                          self->number);
}

void
ck_idcard_get_birth_date (const CkIdcard *self,
                          GDate          *date)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (date != NULL);

  g_date_clear (date, 1);
  g_date_set_dmy (date, self->day, self->month, self->year);
}

/**
 * ck_idcard_format_birth_date:
 *
 * Returns: (transfer full): the birth date as YYYY-MM-DD
 */
char *
ck_idcard_format_birth_date (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%04u-%02u-%02u", self->year, self->month, self->day);
}

CkSex
ck_idcard_get_sex (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, CK_SEX_FEMALE);

  return self->sex;
}

/**
 * ck_idcard_get_province_code:
 *
 * Returns: the two-digit province code, e.g. "11"
 */
const char *
ck_idcard_get_province_code (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->province_code;
}

/**
 * ck_idcard_get_province_name:
 *
 * Returns: the translated name of the province, region or municipality
 */
const char *
ck_idcard_get_province_name (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ck_idcard_province_name_for_code (self->province);
}

/**
 * ck_idcard_mask_number:
 * @number: an ID number, or any text standing for one
 *
 * Masks a number for lists and logs: the address code (first six) and the
 * last four characters stay, the rest becomes `*`, as in
 * `110105********002X`. Shorter text keeps less, and text of fewer than
 * eight characters is masked whole.
 *
 * Returns: (transfer full): the masked text
 */
char *
ck_idcard_mask_number (const char *number)
{
  GString *masked;
  glong len, head, tail, i = 0;

  g_return_val_if_fail (number != NULL, NULL);

  if (!g_utf8_validate (number, -1, NULL))
    return g_strdup ("****");

  len = g_utf8_strlen (number, -1);
  head = len >= 15 ? 6 : 0;
  tail = len >= 8 ? 4 : 0;
  masked = g_string_sized_new (len + 4);

  for (const char *p = number; *p; p = g_utf8_next_char (p), i++)
    {
      if (i < head || i >= len - tail)
        g_string_append_unichar (masked, g_utf8_get_char (p));
      else
        g_string_append_c (masked, '*');
    }

  return g_string_free (masked, FALSE);
}

/**
 * ck_idcard_group_number:
 * @number: an ID number as the customer entered it
 *
 * Groups a number for the customer to check it (issue 17): address code,
 * birth date, the rest, as in `110105 19491231 002X` (6-8-4), or 6-6-3 for a
 * 15-digit legacy number. Anything else (or text that is not one
 * character a byte) comes back as it is. Never for logs: the number is
 * whole; use ck_idcard_mask_number() there.
 *
 * Returns: (transfer full): the grouped number
 */
char *
ck_idcard_group_number (const char *number)
{
  size_t len;
  guint date;

  g_return_val_if_fail (number != NULL, NULL);

  len = strlen (number);
  if (len == CK_IDCARD_LENGTH)
    date = 8;
  else if (len == CK_IDCARD_LEGACY_LENGTH)
    date = 6;
  else
    return g_strdup (number);

  for (size_t i = 0; i < len; i++)
    if (!g_ascii_isalnum (number[i]))
      return g_strdup (number);

  return g_strdup_printf ("%.6s %.*s %s", number, (int)date, number + 6, number + 6 + date);
}

/**
 * ck_idcard_dup_masked:
 *
 * Returns: (transfer full): the number masked as ck_idcard_mask_number() does
 */
char *
ck_idcard_dup_masked (const CkIdcard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ck_idcard_mask_number (self->number);
}
