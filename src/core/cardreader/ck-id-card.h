/* ck-id-card.h
 *
 * What a second-generation resident ID card's text block says, decoded
 * and checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_TYPE_ID_CARD (ck_id_card_get_type ())
#define CK_ID_CARD_ERROR (ck_id_card_error_quark ())

/**
 * CkIdCardError:
 * @CK_ID_CARD_ERROR_MALFORMED: the text block is not what GA 467 describes
 *   (wrong length, not UCS-2LE, a date that is not YYYYMMDD)
 * @CK_ID_CARD_ERROR_NUMBER: the card's number fails ck_idcard_parse()
 * @CK_ID_CARD_ERROR_INCONSISTENT: the number's birth date or sex digit
 *   disagrees with the card's own birth date or sex fields
 * @CK_ID_CARD_ERROR_NAME: the name fails ck_name_validate()
 * @CK_ID_CARD_ERROR_EXPIRED: the card's validity ended before today
 *   ("身份证已过期" and the date)
 *
 * Why a card that was read is not accepted.
 */
typedef enum
{
  CK_ID_CARD_ERROR_MALFORMED,
  CK_ID_CARD_ERROR_NUMBER,
  CK_ID_CARD_ERROR_INCONSISTENT,
  CK_ID_CARD_ERROR_NAME,
  CK_ID_CARD_ERROR_EXPIRED,
} CkIdCardError;

#define CK_ID_CARD_TEXT_LENGTH 256

typedef struct _CkIdCard CkIdCard;

GQuark       ck_id_card_error_quark       (void);
GType        ck_id_card_get_type          (void) G_GNUC_CONST;

CkIdCard    *ck_id_card_decode            (const guint8   *text,
                                           gsize           length,
                                           GError        **error);
gboolean     ck_id_card_check             (const CkIdCard *self,
                                           const GDate    *today,
                                           GError        **error);
CkIdCard    *ck_id_card_ref               (CkIdCard       *self);
void         ck_id_card_unref             (CkIdCard       *self);

const char  *ck_id_card_get_name          (const CkIdCard *self);
/* the card's code: '1' male, '2' female, '0' unknown, '9' unspecified */
char         ck_id_card_get_sex_code      (const CkIdCard *self);
const char  *ck_id_card_get_nation_code   (const CkIdCard *self);
/* "汉", …; "其他" for 97, "外国血统中国籍人士" for 98; NULL for an unknown code */
const char  *ck_id_card_get_nation_name   (const CkIdCard *self);
const char  *ck_id_card_get_birth_date    (const CkIdCard *self);   /* YYYYMMDD */
const char  *ck_id_card_get_address       (const CkIdCard *self);
const char  *ck_id_card_get_number        (const CkIdCard *self);
const char  *ck_id_card_get_authority     (const CkIdCard *self);
const char  *ck_id_card_get_valid_from    (const CkIdCard *self);   /* YYYYMMDD */
/* YYYYMMDD, or NULL for a long-term (长期) card */
const char  *ck_id_card_get_valid_to      (const CkIdCard *self);
gboolean     ck_id_card_is_long_term      (const CkIdCard *self);

/* A text block for tests and the simulator: the inverse of decode. */
GBytes      *ck_id_card_encode            (const char     *name,
                                           char            sex_code,
                                           const char     *nation_code,
                                           const char     *birth_date,
                                           const char     *address,
                                           const char     *number,
                                           const char     *authority,
                                           const char     *valid_from,
                                           const char     *valid_to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkIdCard, ck_id_card_unref)

G_END_DECLS
