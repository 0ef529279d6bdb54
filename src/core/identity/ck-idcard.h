/* ck-idcard.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_IDCARD_ERROR (ck_idcard_error_quark ())
#define CK_TYPE_IDCARD (ck_idcard_get_type ())

/**
 * CkIdcardError:
 * @CK_IDCARD_ERROR_EMPTY: nothing was entered
 * @CK_IDCARD_ERROR_INVALID_UTF8: the input is not valid UTF-8 text
 * @CK_IDCARD_ERROR_BAD_CHARACTER: a character other than a digit or X
 * @CK_IDCARD_ERROR_MISPLACED_X: an X anywhere but the last place of 18
 * @CK_IDCARD_ERROR_LENGTH: neither 18 nor 15 characters
 * @CK_IDCARD_ERROR_PROVINCE: the first two digits are no province code
 * @CK_IDCARD_ERROR_MONTH: the birth month is not 01–12
 * @CK_IDCARD_ERROR_DAY: the birth day does not exist in that month
 * @CK_IDCARD_ERROR_BEFORE_1900: the birth date is before 1900-01-01
 * @CK_IDCARD_ERROR_FUTURE: the birth date is after today
 * @CK_IDCARD_ERROR_CHECK_CHARACTER: the ISO 7064 check character is wrong
 */
typedef enum
{
  CK_IDCARD_ERROR_EMPTY,
  CK_IDCARD_ERROR_INVALID_UTF8,
  CK_IDCARD_ERROR_BAD_CHARACTER,
  CK_IDCARD_ERROR_MISPLACED_X,
  CK_IDCARD_ERROR_LENGTH,
  CK_IDCARD_ERROR_PROVINCE,
  CK_IDCARD_ERROR_MONTH,
  CK_IDCARD_ERROR_DAY,
  CK_IDCARD_ERROR_BEFORE_1900,
  CK_IDCARD_ERROR_FUTURE,
  CK_IDCARD_ERROR_CHECK_CHARACTER,
} CkIdcardError;

typedef enum
{
  CK_SEX_FEMALE,
  CK_SEX_MALE,
} CkSex;

#define CK_IDCARD_LENGTH        18
#define CK_IDCARD_LEGACY_LENGTH 15

typedef struct _CkIdcard CkIdcard;

GQuark       ck_idcard_error_quark             (void);
GType        ck_idcard_get_type                (void) G_GNUC_CONST;

CkIdcard    *ck_idcard_parse                   (const char     *input,
                                                GError        **error);
CkIdcard    *ck_idcard_parse_on                (const char     *input,
                                                const GDate    *today,
                                                GError        **error);
CkIdcard    *ck_idcard_ref                     (CkIdcard       *self);
void         ck_idcard_unref                   (CkIdcard       *self);

const char  *ck_idcard_get_number              (const CkIdcard *self);
const char  *ck_idcard_get_legacy_number       (const CkIdcard *self);
gboolean     ck_idcard_get_upgraded            (const CkIdcard *self);
char        *ck_idcard_dup_upgrade_notice      (const CkIdcard *self);
void         ck_idcard_get_birth_date          (const CkIdcard *self,
                                                GDate          *date);
char        *ck_idcard_format_birth_date       (const CkIdcard *self);
CkSex        ck_idcard_get_sex                 (const CkIdcard *self);
const char  *ck_idcard_get_province_code       (const CkIdcard *self);
const char  *ck_idcard_get_province_name       (const CkIdcard *self);
char        *ck_idcard_dup_masked              (const CkIdcard *self);

char         ck_idcard_compute_check_character (const char     *first17);
const char  *ck_idcard_province_name_for_code  (guint           code);
const char  *ck_sex_to_string                  (CkSex           sex);
char        *ck_idcard_mask_number             (const char     *number);
char        *ck_idcard_group_number            (const char     *number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkIdcard, ck_idcard_unref)

G_END_DECLS
