/* test-id-card.c: the card's text block decoded, checked, encoded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ck.h"
#include "ck-test-card-sim.h"

static GDate *
day (guint y, guint m, guint d)
{
  return g_date_new_dmy (d, m, y);
}

static CkIdCard *
decode_kind (CkTestCardKind kind)
{
  g_autoptr(GBytes) text = ck_test_card_make (kind);
  g_autoptr(GError) error = NULL;
  CkIdCard *card;

  g_assert_cmpuint (g_bytes_get_size (text), ==, CK_ID_CARD_TEXT_LENGTH);
  card = ck_id_card_decode (g_bytes_get_data (text, NULL), g_bytes_get_size (text), &error);
  g_assert_no_error (error);
  return card;
}

/* Every field of a card, without its padding. */
static void
test_decode_fields (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_NORMAL);
  g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
  g_assert_cmpint (ck_id_card_get_sex_code (card), ==, '1');
  g_assert_cmpstr (ck_id_card_get_nation_code (card), ==, "01");
  g_assert_cmpstr (ck_id_card_get_nation_name (card), ==, "汉");
  g_assert_cmpstr (ck_id_card_get_birth_date (card), ==, "19900307");
  g_assert_cmpstr (ck_id_card_get_address (card), ==, "北京市东城区测试路1号");
  g_assert_cmpstr (ck_id_card_get_number (card), ==, number);
  g_assert_cmpuint (strlen (number), ==, 18);
  g_assert_cmpstr (ck_id_card_get_authority (card), ==, "北京市公安局东城分局");
  g_assert_cmpstr (ck_id_card_get_valid_from (card), ==, "20200101");
  g_assert_cmpstr (ck_id_card_get_valid_to (card), ==, "20400101");
  g_assert_false (ck_id_card_is_long_term (card));

  g_assert_true (ck_id_card_check (card, today, &error));
  g_assert_no_error (error);
}

/* The text block byte for byte: UCS-2LE, padded with spaces. */
static void
test_encode_layout (void)
{
  g_autoptr(GBytes) text = ck_id_card_encode ("王", '2', "03", "20000101", "", "110101200001011234",
                                              "", "20100101", "20300101");
  const guint8 *b = g_bytes_get_data (text, NULL);

  g_assert_cmpuint (b[0], ==, 0x8B);  /* 王 U+738B */
  g_assert_cmpuint (b[1], ==, 0x73);
  g_assert_cmpuint (b[2], ==, ' ');
  g_assert_cmpuint (b[3], ==, 0);
  g_assert_cmpuint (b[30], ==, '2');  /* sex at 30 */
  g_assert_cmpuint (b[32], ==, '0');  /* nation at 32 */
  g_assert_cmpuint (b[34], ==, '3');
  g_assert_cmpuint (b[36], ==, '2');  /* birth at 36 */
  g_assert_cmpuint (b[122], ==, '1'); /* number at 36 + 16 + 70 */
  g_assert_cmpuint (b[188], ==, '2'); /* valid from at 122 + 36 + 30 */
  g_assert_cmpuint (b[204], ==, '2'); /* valid to at 204 */
  g_assert_cmpuint (b[220], ==, ' '); /* reserved */
  g_assert_cmpuint (b[255], ==, 0);
}

/* Each nation code, and the two that are not nations. */
static void
test_nations (void)
{
  static const struct { const char *code; const char *name; } expected[] = {
    { "01", "汉" }, { "02", "蒙古" }, { "05", "维吾尔" }, { "10", "朝鲜" }, { "15", "土家" },
    { "23", "高山" }, { "29", "柯尔克孜" }, { "30", "土" }, { "37", "仡佬" }, { "43", "乌孜别克" },
    { "49", "京" }, { "54", "门巴" }, { "55", "珞巴" }, { "56", "基诺" },
    { "97", "其他" }, { "98", "外国血统中国籍人士" }, { "00", NULL }, { "57", NULL }, { "99", NULL },
  };
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GBytes) text = ck_id_card_encode ("王", '1', expected[i].code, "19900307", "",
                                                  "110101199003071234", "", "20200101", NULL);
      g_autoptr(CkIdCard) card = ck_id_card_decode (g_bytes_get_data (text, NULL), 256, NULL);

      g_assert_nonnull (card);
      g_assert_cmpstr (ck_id_card_get_nation_name (card), ==, expected[i].name);
    }

  /* the 56 are all different */
  for (guint code = 1; code <= 56; code++)
    {
      g_autofree char *c = g_strdup_printf ("%02u", code);
      g_autoptr(GBytes) text = ck_id_card_encode ("王", '1', c, "19900307", "", "110101199003071234",
                                                  "", "20200101", NULL);
      g_autoptr(CkIdCard) card = ck_id_card_decode (g_bytes_get_data (text, NULL), 256, NULL);
      const char *name = ck_id_card_get_nation_name (card);

      g_assert_nonnull (name);
      g_assert_false (g_hash_table_contains (names, name));
      g_hash_table_add (names, (char *)name);
    }
}

static void
test_long_term (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_LONG_TERM);
  g_autoptr(GDate) far = day (2099, 1, 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_id_card_is_long_term (card));
  g_assert_null (ck_id_card_get_valid_to (card));
  g_assert_true (ck_id_card_check (card, far, &error));
  g_assert_no_error (error);
}

/* 䶮 (U+4DAE, CJK Extension A) as the card carries it, and accepted. */
static void
test_rare_name (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_RARE_NAME);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ck_id_card_get_name (card), ==, "刘\xe4\xb6\xae");
  g_assert_cmpint (g_utf8_get_char (g_utf8_next_char (ck_id_card_get_name (card))), ==, 0x4DAE);
  g_assert_cmpint (ck_id_card_get_sex_code (card), ==, '2');
  g_assert_true (ck_id_card_check (card, today, &error));
  g_assert_no_error (error);
}

static void
test_expired (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_EXPIRED);
  g_autoptr(GDate) last_day = day (2020, 1, 1);
  g_autoptr(GDate) after = day (2020, 1, 2);
  g_autoptr(GError) error = NULL;

  /* valid on its last day */
  g_assert_true (ck_id_card_check (card, last_day, &error));
  g_assert_no_error (error);

  g_assert_false (ck_id_card_check (card, after, &error));
  g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_EXPIRED);
  g_assert_nonnull (strstr (error->message, "2020-01-01"));
}

static void
test_bad_check_character (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_BAD_CHECK);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_false (ck_id_card_check (card, today, &error));
  g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_NUMBER);
}

static void
test_birth_mismatch (void)
{
  g_autoptr(CkIdCard) card = decode_kind (CK_TEST_CARD_BIRTH_MISMATCH);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_false (ck_id_card_check (card, today, &error));
  g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_INCONSISTENT);
}

/* A number whose 17th digit is odd (male) on a card that says female. */
static void
test_sex_mismatch (void)
{
  g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);
  g_autoptr(GBytes) text = ck_id_card_encode ("王试样", '2', "01", "19900307", "", number, "",
                                              "20200101", NULL);
  g_autoptr(CkIdCard) card = ck_id_card_decode (g_bytes_get_data (text, NULL), 256, NULL);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_false (ck_id_card_check (card, today, &error));
  g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_INCONSISTENT);
}

static void
test_bad_name (void)
{
  g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);
  g_autoptr(GBytes) text = ck_id_card_encode ("王3", '1', "01", "19900307", "", number, "",
                                              "20200101", NULL);
  g_autoptr(CkIdCard) card = ck_id_card_decode (g_bytes_get_data (text, NULL), 256, NULL);
  g_autoptr(GDate) today = day (2026, 12, 8);
  g_autoptr(GError) error = NULL;

  g_assert_false (ck_id_card_check (card, today, &error));
  g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_NAME);
}

/* Text blocks that are not what GA 467 describes. */
static void
test_malformed (void)
{
  g_autoptr(GBytes) good = ck_test_card_make (CK_TEST_CARD_NORMAL);
  const guint8 *g = g_bytes_get_data (good, NULL);
  static const struct { guint offset; guint8 a, b; } damage[] = {
    { 30, 'M', 0 },          /* sex not a digit */
    { 32, 'x', 0 },          /* nation */
    { 36 + 8, '1', 0 },      /* birth month 13 */
    { 188 + 12, '9', 0 },    /* valid from: day 91 */
    { 204, 0x00, 0xD8 },     /* a lone surrogate in the end of validity */
  };

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_autofree guint8 *bad = g_memdup2 (g, 256);
      g_autoptr(GError) error = NULL;
      g_autoptr(CkIdCard) card = NULL;

      bad[damage[i].offset] = damage[i].a;
      bad[damage[i].offset + 1] = damage[i].b;
      card = ck_id_card_decode (bad, 256, &error);
      g_assert_null (card);
      g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_MALFORMED);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ck_id_card_decode (g, 255, &error));
    g_assert_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_MALFORMED);
  }
}

/* Trailing NULs count as padding too, as some readers send them. */
static void
test_nul_padding (void)
{
  g_autoptr(GBytes) good = ck_test_card_make (CK_TEST_CARD_NORMAL);
  g_autofree guint8 *b = g_memdup2 (g_bytes_get_data (good, NULL), 256);
  g_autoptr(CkIdCard) card = NULL;

  memset (b + 6, 0, 24);  /* after 王试样 */
  card = ck_id_card_decode (b, 256, NULL);
  g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/id-card/decode-fields", test_decode_fields);
  g_test_add_func ("/id-card/encode-layout", test_encode_layout);
  g_test_add_func ("/id-card/nations", test_nations);
  g_test_add_func ("/id-card/long-term", test_long_term);
  g_test_add_func ("/id-card/rare-name", test_rare_name);
  g_test_add_func ("/id-card/expired", test_expired);
  g_test_add_func ("/id-card/bad-check-character", test_bad_check_character);
  g_test_add_func ("/id-card/birth-mismatch", test_birth_mismatch);
  g_test_add_func ("/id-card/sex-mismatch", test_sex_mismatch);
  g_test_add_func ("/id-card/bad-name", test_bad_name);
  g_test_add_func ("/id-card/malformed", test_malformed);
  g_test_add_func ("/id-card/nul-padding", test_nul_padding);

  return g_test_run ();
}
