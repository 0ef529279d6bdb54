/* test-idcard.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"

/* Every table-driven case is judged against this date. */
static GDate fixed_today;

typedef struct
{
  const char *input;
  int error_code;          /* -1: valid */
  const char *normalised;  /* for valid input */
  const char *in_message;  /* for errors: a piece the message must contain */
} Vector;

static const Vector vectors[] = {
  /* Valid, in the forms keypads, input methods and pastes deliver. */
  { "11010519491231002X", -1, "11010519491231002X", NULL },
  { "11010519491231002x", -1, "11010519491231002X", NULL },
  { "  110105 19491231 002X ", -1, "11010519491231002X", NULL },
  { "110105-19491231-002X", -1, "11010519491231002X", NULL },
  { "１１０１０５１９４９１２３１００２Ｘ", -1, "11010519491231002X", NULL },
  { "１１０１０５　１９４９１２３１　００２ｘ", -1, "11010519491231002X", NULL },
  { "110105\t19491231\n002X\n", -1, "11010519491231002X", NULL },
  { "110105200002290013", -1, "110105200002290013", NULL },    /* 2000-02-29: leap */
  { "110105491231002", -1, "11010519491231002X", NULL },       /* 15 digits */

  /* Each error code. */
  { "", CK_IDCARD_ERROR_EMPTY, NULL, NULL },
  { "  - ", CK_IDCARD_ERROR_EMPTY, NULL, NULL },
  { "\xff\xfe", CK_IDCARD_ERROR_INVALID_UTF8, NULL, NULL },
  { "11010519491231002A", CK_IDCARD_ERROR_BAD_CHARACTER, NULL, "18" },
  { "1101O519491231002X", CK_IDCARD_ERROR_BAD_CHARACTER, NULL, "5" },
  { "110105.19491231002X", CK_IDCARD_ERROR_BAD_CHARACTER, NULL, "7" },
  { "1101051949123100X2", CK_IDCARD_ERROR_MISPLACED_X, NULL, "17" },
  { "X10105491231002", CK_IDCARD_ERROR_MISPLACED_X, NULL, "1" },
  { "11010549123100X", CK_IDCARD_ERROR_MISPLACED_X, NULL, "15" },
  { "1101051949123100", CK_IDCARD_ERROR_LENGTH, NULL, "16" },
  { "11010519491231002X1", CK_IDCARD_ERROR_LENGTH, NULL, "19" },
  { "1", CK_IDCARD_ERROR_LENGTH, NULL, "1" },
  { "99010519491231002X", CK_IDCARD_ERROR_PROVINCE, NULL, "99" },
  { "00010519491231002X", CK_IDCARD_ERROR_PROVINCE, NULL, "00" },
  { "110105194913310021", CK_IDCARD_ERROR_MONTH, NULL, "13" },
  { "110105194900310021", CK_IDCARD_ERROR_MONTH, NULL, "00" },
  { "110105194904310021", CK_IDCARD_ERROR_DAY, NULL, "1949-04" },
  { "110105194901000021", CK_IDCARD_ERROR_DAY, NULL, "00" },
  { "110105190002290011", CK_IDCARD_ERROR_DAY, NULL, "1900-02" },  /* 1900 not leap */
  { "110105202302290011", CK_IDCARD_ERROR_DAY, NULL, "2023-02" },
  { "110105491331002", CK_IDCARD_ERROR_MONTH, NULL, "13" },        /* 15 digits */
  { "110105189912310011", CK_IDCARD_ERROR_BEFORE_1900, NULL, "1899-12-31" },
  { "110105000001010011", CK_IDCARD_ERROR_BEFORE_1900, NULL, "0000-01-01" },
  { "110105209901010011", CK_IDCARD_ERROR_FUTURE, NULL, "2099-01-01" },
  { "110105194912310021", CK_IDCARD_ERROR_CHECK_CHARACTER, NULL, NULL },
  { "110105200002290014", CK_IDCARD_ERROR_CHECK_CHARACTER, NULL, NULL },
};

static void
test_idcard_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      g_autoptr(CkIdcard) idcard = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (v->input, NULL);

      g_test_message ("vector %u: %s", i, escaped);
      idcard = ck_idcard_parse_on (v->input, &fixed_today, &error);

      if (v->error_code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (idcard);
          g_assert_cmpstr (ck_idcard_get_number (idcard), ==, v->normalised);
        }
      else
        {
          g_assert_error (error, CK_IDCARD_ERROR, v->error_code);
          g_assert_null (idcard);
          g_assert_cmpstr (error->message, !=, "");
          if (v->in_message)
            g_assert_nonnull (strstr (error->message, v->in_message));
        }
    }
}

/* Every code in the enum is reached by some vector. */
static void
test_idcard_vectors_cover_codes (void)
{
  gboolean seen[CK_IDCARD_ERROR_CHECK_CHARACTER + 1] = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    if (vectors[i].error_code >= 0)
      seen[vectors[i].error_code] = TRUE;

  for (guint code = 0; code < G_N_ELEMENTS (seen); code++)
    {
      g_test_message ("error code %u", code);
      g_assert_true (seen[code]);
    }
}

static void
test_idcard_fields (void)
{
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *masked = NULL;
  GDate date;

  idcard = ck_idcard_parse_on ("11010519491231002X", &fixed_today, &error);
  g_assert_no_error (error);

  birth = ck_idcard_format_birth_date (idcard);
  g_assert_cmpstr (birth, ==, "1949-12-31");
  ck_idcard_get_birth_date (idcard, &date);
  g_assert_cmpint (g_date_get_year (&date), ==, 1949);
  g_assert_cmpint (g_date_get_month (&date), ==, 12);
  g_assert_cmpint (g_date_get_day (&date), ==, 31);
  g_assert_cmpint (ck_idcard_get_sex (idcard), ==, CK_SEX_FEMALE);
  g_assert_cmpstr (ck_idcard_get_province_code (idcard), ==, "11");
  g_assert_cmpstr (ck_idcard_get_province_name (idcard), ==, "Beijing");
  g_assert_false (ck_idcard_get_upgraded (idcard));
  g_assert_null (ck_idcard_get_legacy_number (idcard));
  g_assert_null (ck_idcard_dup_upgrade_notice (idcard));

  masked = ck_idcard_dup_masked (idcard);
  g_assert_cmpstr (masked, ==, "110105********002X");
}

static void
test_idcard_sex (void)
{
  g_autoptr(CkIdcard) male = ck_idcard_parse_on ("110105200002290013", &fixed_today, NULL);

  g_assert_nonnull (male);
  g_assert_cmpint (ck_idcard_get_sex (male), ==, CK_SEX_MALE);
  g_assert_cmpstr (ck_sex_to_string (CK_SEX_MALE), ==, "Male");
  g_assert_cmpstr (ck_sex_to_string (CK_SEX_FEMALE), ==, "Female");
}

static void
test_idcard_legacy (void)
{
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *birth = NULL;

  idcard = ck_idcard_parse_on ("110105491231002", &fixed_today, &error);
  g_assert_no_error (error);
  g_assert_true (ck_idcard_get_upgraded (idcard));
  g_assert_cmpstr (ck_idcard_get_legacy_number (idcard), ==, "110105491231002");
  g_assert_cmpstr (ck_idcard_get_number (idcard), ==, "11010519491231002X");
  birth = ck_idcard_format_birth_date (idcard);
  g_assert_cmpstr (birth, ==, "1949-12-31");
  g_assert_cmpint (ck_idcard_get_sex (idcard), ==, CK_SEX_FEMALE);

  notice = ck_idcard_dup_upgrade_notice (idcard);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "11010519491231002X"));
}

static char *
make_number (guint province,
             guint year,
             guint month,
             guint day,
             guint sequence)
{
  char first17[18];

  g_snprintf (first17, sizeof first17, "%02u0105%04u%02u%02u%03u",
              province, year, month, day, sequence);

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

static void
test_idcard_leap_days (void)
{
  static const struct {
    guint year;
    gboolean valid;
  } cases[] = {
    { 2000, TRUE },   /* divisible by 400 */
    { 1996, TRUE },
    { 2024, TRUE },
    { 1900, FALSE },  /* divisible by 100, not 400 */
    { 2023, FALSE },
    { 2021, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = make_number (11, cases[i].year, 2, 29, 123);
      g_autofree char *feb28 = make_number (11, cases[i].year, 2, 28, 123);
      g_autoptr(CkIdcard) idcard = NULL;
      g_autoptr(CkIdcard) idcard28 = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%u-02-29", cases[i].year);
      idcard = ck_idcard_parse_on (number, &fixed_today, &error);
      if (cases[i].valid)
        g_assert_no_error (error);
      else
        g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_DAY);

      idcard28 = ck_idcard_parse_on (feb28, &fixed_today, NULL);
      g_assert_nonnull (idcard28);
    }
}

static void
test_idcard_future (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *today_number = NULL;
  g_autofree char *tomorrow_number = NULL;
  g_autoptr(CkIdcard) born_today = NULL;
  g_autoptr(CkIdcard) born_tomorrow = NULL;
  g_autoptr(GError) error = NULL;
  GDate date;

  today_number = make_number (11,
                              g_date_time_get_year (now),
                              g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 1);
  tomorrow_number = make_number (11,
                                 g_date_time_get_year (tomorrow),
                                 g_date_time_get_month (tomorrow),
                                 g_date_time_get_day_of_month (tomorrow), 1);

  /* Against the real clock. */
  born_today = ck_idcard_parse (today_number, &error);
  g_assert_no_error (error);
  born_tomorrow = ck_idcard_parse (tomorrow_number, &error);
  g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_FUTURE);
  g_assert_null (born_tomorrow);
  g_clear_error (&error);

  /* Against an injected date: the day after it is the future, it is not. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 31, 12, 2010);
  g_clear_pointer (&tomorrow_number, g_free);
  tomorrow_number = make_number (11, 2011, 1, 1, 1);
  born_tomorrow = ck_idcard_parse_on (tomorrow_number, &date, &error);
  g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_FUTURE);
  g_clear_error (&error);
  g_clear_pointer (&today_number, g_free);
  today_number = make_number (11, 2010, 12, 31, 1);
  g_clear_pointer (&born_today, ck_idcard_unref);
  born_today = ck_idcard_parse_on (today_number, &date, &error);
  g_assert_no_error (error);
}

static gboolean
is_province (guint code)
{
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
         (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
         (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

/* All 100 prefixes, so every boundary (10/11, 15/16, 20/21, …, 83/84). */
static void
test_idcard_provinces (void)
{
  guint accepted = 0;

  for (guint code = 0; code < 100; code++)
    {
      g_autofree char *number = make_number (code, 1985, 6, 15, 42);
      g_autoptr(CkIdcard) idcard = NULL;
      g_autoptr(GError) error = NULL;

      idcard = ck_idcard_parse_on (number, &fixed_today, &error);
      if (is_province (code))
        {
          g_assert_no_error (error);
          g_assert_nonnull (ck_idcard_get_province_name (idcard));
          g_assert_cmpint (atoi (ck_idcard_get_province_code (idcard)), ==, code);
          accepted++;
        }
      else
        {
          g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_PROVINCE);
        }
    }

  g_assert_cmpuint (accepted, ==, 35);
}

/* 10,000 random valid prefixes: the computed check character is accepted,
 * each of the ten others is rejected as a wrong check character. */
static void
test_idcard_check_character_property (void)
{
  static const guint codes[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
                                 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64,
                                 65, 71, 81, 82, 83 };
  static const char all[] = "0123456789X";
  guint first_day;
  GDate start;

  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 1, 1, 1900);
  first_day = g_date_get_julian (&start);

  for (guint i = 0; i < 10000; i++)
    {
      guint span = g_date_get_julian (&fixed_today) - first_day;
      GDate birth;
      char first17[18];
      char number[19];
      char good;

      g_date_clear (&birth, 1);
      g_date_set_julian (&birth, first_day + (guint) g_test_rand_int_range (0, (gint32) span + 1));

      g_snprintf (first17, sizeof first17, "%02u%04d%04u%02u%02u%03d",
                  codes[g_test_rand_int_range (0, G_N_ELEMENTS (codes))],
                  g_test_rand_int_range (0, 10000),
                  g_date_get_year (&birth), g_date_get_month (&birth), g_date_get_day (&birth),
                  g_test_rand_int_range (0, 1000));
      good = ck_idcard_compute_check_character (first17);
      g_assert_true (good != '\0');

      for (guint k = 0; k < 11; k++)
        {
          g_autoptr(CkIdcard) idcard = NULL;
          g_autoptr(GError) error = NULL;

          memcpy (number, first17, 17);
          number[17] = all[k];
          number[18] = '\0';

          idcard = ck_idcard_parse_on (number, &fixed_today, &error);
          if (all[k] == good)
            {
              if (error)
                g_error ("%s rejected: %s", number, error->message);
              g_assert_cmpstr (ck_idcard_get_number (idcard), ==, number);
            }
          else
            g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_CHECK_CHARACTER);
        }
    }
}

static void
test_idcard_check_character_known (void)
{
  /* Worked examples: the weights and the 10X98765432 table. */
  g_assert_cmpint (ck_idcard_compute_check_character ("11010519491231002"), ==, 'X');
  g_assert_cmpint (ck_idcard_compute_check_character ("11010520000229001"), ==, '3');
  g_assert_cmpint (ck_idcard_compute_check_character ("44052418800101001"), ==, '4');
  g_assert_cmpint (ck_idcard_compute_check_character ("1101052000022900"), ==, '\0');
  g_assert_cmpint (ck_idcard_compute_check_character ("1101052000022900A"), ==, '\0');
}

static void
test_idcard_message_hides_check_character (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdcard) idcard = NULL;

  /* The right one would be X. */
  idcard = ck_idcard_parse_on ("110105194912310021", &fixed_today, &error);
  g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_CHECK_CHARACTER);
  g_assert_null (strchr (error->message, 'X'));
  g_assert_null (strstr (error->message, "11010519491231002"));
}

static void
test_idcard_mask (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "11010519491231002X", "110105********002X" },
    { "110105491231002", "110105*****1002" },
    { "1234567", "*******" },
    { "12345678", "****5678" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = ck_idcard_mask_number (cases[i].in);

      g_assert_cmpstr (masked, ==, cases[i].out);
    }
}

/* The review page's grouping (issue 17): address, birth date, the rest. */
static void
test_idcard_group (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "11010519491231002X", "110105 19491231 002X" },
    { "110105491231002", "110105 491231 002" },
    { "1101051949123100", "1101051949123100" },
    { "11010519491231-02X", "11010519491231-02X" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *grouped = ck_idcard_group_number (cases[i].in);

      g_assert_cmpstr (grouped, ==, cases[i].out);
    }
}

static void
test_idcard_boxed (void)
{
  g_autoptr(CkIdcard) idcard = ck_idcard_parse_on ("11010519491231002X", &fixed_today, NULL);
  CkIdcard *copy;

  g_assert_true (G_TYPE_IS_BOXED (CK_TYPE_IDCARD));
  copy = g_boxed_copy (CK_TYPE_IDCARD, idcard);
  g_assert_true (copy == idcard);
  g_boxed_free (CK_TYPE_IDCARD, copy);
  g_assert_cmpstr (ck_idcard_get_number (idcard), ==, "11010519491231002X");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_date_clear (&fixed_today, 1);
  g_date_set_dmy (&fixed_today, 15, 6, 2024);

  g_test_add_func ("/idcard/vectors", test_idcard_vectors);
  g_test_add_func ("/idcard/vectors-cover-codes", test_idcard_vectors_cover_codes);
  g_test_add_func ("/idcard/fields", test_idcard_fields);
  g_test_add_func ("/idcard/sex", test_idcard_sex);
  g_test_add_func ("/idcard/legacy", test_idcard_legacy);
  g_test_add_func ("/idcard/leap-days", test_idcard_leap_days);
  g_test_add_func ("/idcard/future", test_idcard_future);
  g_test_add_func ("/idcard/provinces", test_idcard_provinces);
  g_test_add_func ("/idcard/check-character/property", test_idcard_check_character_property);
  g_test_add_func ("/idcard/check-character/known", test_idcard_check_character_known);
  g_test_add_func ("/idcard/check-character/hidden", test_idcard_message_hides_check_character);
  g_test_add_func ("/idcard/mask", test_idcard_mask);
  g_test_add_func ("/idcard/group", test_idcard_group);
  g_test_add_func ("/idcard/boxed", test_idcard_boxed);

  return g_test_run ();
}
