/* ck-id-card.c
 *
 * The text block of a second-generation resident ID card (GA 467): 256
 * bytes of UCS-2LE in fixed fields padded with spaces, decoded, checked
 * against the number's own birth date and sex digit, and encoded again
 * for the tests and the simulator.
 *
 * Nothing here logs a name or a number; the strings are wiped when the
 * card is freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-card-reader"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-id-card.h"
#include "ck-idcard.h"
#include "ck-name.h"

G_DEFINE_QUARK (ck-id-card-error-quark, ck_id_card_error)

struct _CkIdCard
{
  gatomicrefcount ref_count;
  char *name;
  char sex_code;
  char *nation_code;
  char *birth_date;
  char *address;
  char *number;
  char *authority;
  char *valid_from;
  char *valid_to;       /* NULL: long term */
};

G_DEFINE_BOXED_TYPE (CkIdCard, ck_id_card, ck_id_card_ref, ck_id_card_unref)

/* The fields of the text block, in bytes, in order. */
enum
{
  FIELD_NAME,
  FIELD_SEX,
  FIELD_NATION,
  FIELD_BIRTH,
  FIELD_ADDRESS,
  FIELD_NUMBER,
  FIELD_AUTHORITY,
  FIELD_VALID_FROM,
  FIELD_VALID_TO,
  FIELD_RESERVED,
  N_FIELDS
};

static const guint field_bytes[N_FIELDS] = { 30, 2, 4, 16, 70, 36, 30, 16, 16, 36 };

/* 长期 on a card valid for life. */
#define LONG_TERM "长期"

/* GB 3304: the 56 nations in their official order, codes 01 to 56, as the
 * card prints them (without 族). */
static const char * const nations[] = {
  "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
  "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
  "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
  "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
  "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
  "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
};
G_STATIC_ASSERT (G_N_ELEMENTS (nations) == 56);

static void
wipe_string (char **s)
{
  if (*s)
    memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

CkIdCard *
ck_id_card_ref (CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ck_id_card_unref (CkIdCard *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  wipe_string (&self->name);
  wipe_string (&self->nation_code);
  wipe_string (&self->birth_date);
  wipe_string (&self->address);
  wipe_string (&self->number);
  wipe_string (&self->authority);
  wipe_string (&self->valid_from);
  wipe_string (&self->valid_to);
  self->sex_code = 0;
  g_free (self);
}

/* One field as UTF-8, without the spaces and NULs around it. */
static char *
decode_field (const guint8  *bytes,
              guint          len,
              GError       **error)
{
  gunichar2 units[40];
  guint n = len / 2;
  char *utf8;
  char *start;
  gsize end;

  g_assert (n <= G_N_ELEMENTS (units));
  for (guint i = 0; i < n; i++)
    units[i] = (gunichar2)(bytes[2 * i] | (bytes[2 * i + 1] << 8));

  utf8 = g_utf16_to_utf8 (units, n, NULL, NULL, NULL);
  memset (units, 0, sizeof units);
  /* A NUL unit ends the text for g_utf16_to_utf8: what follows is padding. */
  if (utf8 == NULL)
    {
      g_set_error_literal (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_MALFORMED,
                           _("The card's text is not valid UCS-2."));
      return NULL;
    }

  start = utf8;
  while (*start == ' ')
    start++;
  end = strlen (start);
  while (end > 0 && start[end - 1] == ' ')
    end--;
  memmove (utf8, start, end);
  memset (utf8 + end, 0, strlen (utf8 + end));

  return utf8;
}

static gboolean
is_digits (const char *s,
           gsize       n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* YYYYMMDD of a day that exists. */
static gboolean
parse_date (const char *s,
            GDate      *date)
{
  guint y, m, d;

  if (!is_digits (s, 8))
    return FALSE;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[4] - '0') * 10 + (s[5] - '0');
  d = (s[6] - '0') * 10 + (s[7] - '0');
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  if (date)
    g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
malformed (GError     **error,
           const char  *field)
{
  g_set_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_MALFORMED,
               _("The card's %s is not in the form the card's standard gives."), field);
  return FALSE;
}

/**
 * ck_id_card_decode:
 * @text: the card's text block, %CK_ID_CARD_TEXT_LENGTH bytes of UCS-2LE
 * @error: a #GError in the %CK_ID_CARD_ERROR domain
 *
 * Decodes the fields: the dates must be YYYYMMDD (the end of validity may
 * be 长期), the sex a digit and the nation two. Nothing is checked beyond
 * the form: call ck_id_card_check().
 *
 * Returns: (transfer full) (nullable): the card
 */
CkIdCard *
ck_id_card_decode (const guint8  *text,
                   gsize          length,
                   GError       **error)
{
  g_autoptr(CkIdCard) self = NULL;
  char *fields[N_FIELDS] = { NULL, };
  g_autofree char *sex = NULL;
  gsize offset = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length != CK_ID_CARD_TEXT_LENGTH)
    {
      g_set_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_MALFORMED,
                   _("The card's text is %u bytes long instead of %u."),
                   (guint)length, (guint)CK_ID_CARD_TEXT_LENGTH);
      return NULL;
    }

  for (guint i = 0; i < FIELD_RESERVED; i++)
    {
      if (!(fields[i] = decode_field (text + offset, field_bytes[i], error)))
        {
          for (guint j = 0; j < i; j++)
            wipe_string (&fields[j]);
          return NULL;
        }
      offset += field_bytes[i];
    }

  self = g_new0 (CkIdCard, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = fields[FIELD_NAME];
  sex = fields[FIELD_SEX];
  self->nation_code = fields[FIELD_NATION];
  self->birth_date = fields[FIELD_BIRTH];
  self->address = fields[FIELD_ADDRESS];
  self->number = fields[FIELD_NUMBER];
  self->authority = fields[FIELD_AUTHORITY];
  self->valid_from = fields[FIELD_VALID_FROM];
  self->valid_to = fields[FIELD_VALID_TO];

  if (!is_digits (sex, 1))
    return malformed (error, _("sex")), NULL;
  self->sex_code = sex[0];
  if (!is_digits (self->nation_code, 2))
    return malformed (error, _("nation")), NULL;
  if (!parse_date (self->birth_date, NULL))
    return malformed (error, _("birth date")), NULL;
  if (!parse_date (self->valid_from, NULL))
    return malformed (error, _("start of validity")), NULL;
  if (g_str_equal (self->valid_to, LONG_TERM))
    g_clear_pointer (&self->valid_to, g_free);
  else if (!parse_date (self->valid_to, NULL))
    return malformed (error, _("end of validity")), NULL;

  return g_steal_pointer (&self);
}

/**
 * ck_id_card_check:
 * @today: (nullable): the day to check the validity against; %NULL: today
 * @error: a #GError in the %CK_ID_CARD_ERROR domain
 *
 * Checks what a kiosk relies on: the number is a valid 18-character
 * resident ID number (ck_idcard_parse()) whose birth date is the card's
 * and whose sex digit agrees with the card's sex (odd: 1 male, even: 2
 * female; a card saying 0 or 9 is not compared); the name is a valid
 * Chinese name (ck_name_normalize()); the card is still valid on @today.
 *
 * Returns: %TRUE if the card can be used
 */
gboolean
ck_id_card_check (const CkIdCard  *self,
                  const GDate     *today,
                  GError         **error)
{
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  GDate now, number_birth, card_birth, valid_to;

  g_return_val_if_fail (self != NULL, FALSE);

  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }

  if (!(idcard = ck_idcard_parse_on (self->number, today, &local_error)) ||
      ck_idcard_get_upgraded (idcard))
    {
      g_set_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_NUMBER,
                   _("The card's ID number is not valid: %s"),
                   local_error ? local_error->message : _("a card carries 18 characters."));
      return FALSE;
    }

  g_date_clear (&number_birth, 1);
  g_date_clear (&card_birth, 1);
  ck_idcard_get_birth_date (idcard, &number_birth);
  parse_date (self->birth_date, &card_birth);
  if (g_date_compare (&number_birth, &card_birth) != 0)
    {
      g_set_error_literal (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_INCONSISTENT,
                           _("The card's birth date does not agree with its ID number: "
                             "the card may be forged or damaged."));
      return FALSE;
    }
  if ((self->sex_code == '1' && ck_idcard_get_sex (idcard) != CK_SEX_MALE) ||
      (self->sex_code == '2' && ck_idcard_get_sex (idcard) != CK_SEX_FEMALE))
    {
      g_set_error_literal (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_INCONSISTENT,
                           _("The card's sex does not agree with its ID number: "
                             "the card may be forged or damaged."));
      return FALSE;
    }

  if (!(name = ck_name_normalize (self->name, CK_NAME_FLAGS_NONE, &local_error)))
    {
      g_set_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_NAME,
                   _("The name on the card cannot be used: %s"), local_error->message);
      return FALSE;
    }
  memset (name, 0, strlen (name));

  if (self->valid_to)
    {
      g_date_clear (&valid_to, 1);
      parse_date (self->valid_to, &valid_to);
      if (g_date_compare (&valid_to, today) < 0)
        {
          g_set_error (error, CK_ID_CARD_ERROR, CK_ID_CARD_ERROR_EXPIRED,
                       _("The ID card has expired (valid until %d-%02d-%02d)."),
                       g_date_get_year (&valid_to), g_date_get_month (&valid_to),
                       g_date_get_day (&valid_to));
          return FALSE;
        }
    }

  return TRUE;
}

const char *
ck_id_card_get_name (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

char
ck_id_card_get_sex_code (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->sex_code;
}

const char *
ck_id_card_get_nation_code (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nation_code;
}

/**
 * ck_id_card_get_nation_name:
 *
 * Returns: (nullable): the nation in Chinese as the card prints it (汉,
 *   蒙古, …; 其他 for 97, 外国血统中国籍人士 for 98), %NULL for a code
 *   that is none of these
 */
const char *
ck_id_card_get_nation_name (const CkIdCard *self)
{
  guint code;

  g_return_val_if_fail (self != NULL, NULL);

  code = (self->nation_code[0] - '0') * 10 + (self->nation_code[1] - '0');
  if (code >= 1 && code <= G_N_ELEMENTS (nations))
    return nations[code - 1];
  if (code == 97)
    return "其他";
  if (code == 98)
    return "外国血统中国籍人士";
  return NULL;
}

const char *
ck_id_card_get_birth_date (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->birth_date;
}

const char *
ck_id_card_get_address (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->address;
}

const char *
ck_id_card_get_number (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->number;
}

const char *
ck_id_card_get_authority (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->authority;
}

const char *
ck_id_card_get_valid_from (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->valid_from;
}

const char *
ck_id_card_get_valid_to (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->valid_to;
}

gboolean
ck_id_card_is_long_term (const CkIdCard *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->valid_to == NULL;
}

/* @text as UCS-2LE into @len bytes at @out, padded with spaces; FALSE if
 * it does not fit or is not in the Basic Multilingual Plane. */
static gboolean
encode_field (guint8     *out,
              guint       len,
              const char *text)
{
  guint i = 0;

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (i + 2 > len || c > 0xFFFF)
        return FALSE;
      out[i++] = c & 0xFF;
      out[i++] = c >> 8;
    }
  for (; i + 1 < len; i += 2)
    {
      out[i] = ' ';
      out[i + 1] = 0;
    }

  return TRUE;
}

/**
 * ck_id_card_encode:
 * @valid_to: (nullable): YYYYMMDD, or %NULL or "长期" for a long-term card
 *
 * The inverse of ck_id_card_decode(), for the tests and the reader
 * simulator: the fields are written as given, checked for nothing but
 * their width.
 *
 * Returns: (transfer full) (nullable): the %CK_ID_CARD_TEXT_LENGTH bytes,
 *   or %NULL if a field does not fit
 */
GBytes *
ck_id_card_encode (const char *name,
                   char        sex_code,
                   const char *nation_code,
                   const char *birth_date,
                   const char *address,
                   const char *number,
                   const char *authority,
                   const char *valid_from,
                   const char *valid_to)
{
  const char sex[2] = { sex_code, '\0' };
  const char *values[N_FIELDS] = {
    name, sex, nation_code, birth_date, address, number, authority, valid_from,
    valid_to ? valid_to : LONG_TERM, "",
  };
  guint8 *text = g_malloc0 (CK_ID_CARD_TEXT_LENGTH);
  gsize offset = 0;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (!encode_field (text + offset, field_bytes[i], values[i]))
        {
          g_free (text);
          g_return_val_if_reached (NULL);
        }
      offset += field_bytes[i];
    }
  g_assert (offset == CK_ID_CARD_TEXT_LENGTH);

  return g_bytes_new_take (text, CK_ID_CARD_TEXT_LENGTH);
}
