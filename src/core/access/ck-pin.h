/* ck-pin.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CK_PIN_ERROR (ck_pin_error_quark ())

/**
 * CkPinError:
 * @CK_PIN_ERROR_FORMAT: a stored hash that is not
 *   `pbkdf2-sha256$ITERATIONS$SALT$HASH`
 * @CK_PIN_ERROR_ITERATIONS: an iteration count outside the allowed range
 * @CK_PIN_ERROR_NOT_DIGITS: a PIN with a character other than 0–9
 * @CK_PIN_ERROR_LENGTH: a PIN shorter or longer than allowed
 * @CK_PIN_ERROR_LOCKED: too many wrong PINs: none is checked for a while
 * @CK_PIN_ERROR_BUSY: a PIN given while the one before is being checked
 *   (it counts as wrong, and is not checked)
 * @CK_PIN_ERROR_NO_PIN: no staff PIN is configured
 */
typedef enum
{
  CK_PIN_ERROR_FORMAT,
  CK_PIN_ERROR_ITERATIONS,
  CK_PIN_ERROR_NOT_DIGITS,
  CK_PIN_ERROR_LENGTH,
  CK_PIN_ERROR_LOCKED,
  CK_PIN_ERROR_BUSY,
  CK_PIN_ERROR_NO_PIN,
} CkPinError;

#define CK_PIN_SCHEME             "pbkdf2-sha256"
#define CK_PIN_MIN_LENGTH         6
#define CK_PIN_MAX_LENGTH         16
#define CK_PIN_DEFAULT_ITERATIONS 600000
#define CK_PIN_MIN_ITERATIONS     1000
#define CK_PIN_MAX_ITERATIONS     10000000
#define CK_PIN_SALT_LENGTH        16
#define CK_PIN_HASH_LENGTH        32

/**
 * CkPinLimiter:
 * @failures: wrong PINs in a row
 * @locked_until_us: real time (g_get_real_time()) before which no PIN is
 *   checked: real, not monotonic, so that it survives a restart
 *
 * Rate limiting of wrong PINs: after %CK_PIN_FREE_FAILURES wrong PINs in a
 * row each further one locks entry for twice as long as the one before,
 * from %CK_PIN_FIRST_LOCK_S up to %CK_PIN_MAX_LOCK_S.
 */
typedef struct
{
  guint failures;
  gint64 locked_until_us;
} CkPinLimiter;

#define CK_PIN_FREE_FAILURES 3
#define CK_PIN_FIRST_LOCK_S  30
#define CK_PIN_MAX_LOCK_S    900

GQuark    ck_pin_error_quark        (void);
void      ck_pbkdf2_hmac_sha256     (const guint8  *password,
                                     gsize          password_length,
                                     const guint8  *salt,
                                     gsize          salt_length,
                                     guint          iterations,
                                     guint8        *out,
                                     gsize          out_length);
gboolean  ck_pin_check_pin          (const char    *pin,
                                     GError       **error);
char     *ck_pin_hash               (const char    *pin,
                                     guint          iterations,
                                     GError       **error);
gboolean  ck_pin_check_hash         (const char    *hash,
                                     GError       **error);
gboolean  ck_pin_verify             (const char    *hash,
                                     const char    *pin);
gboolean  ck_pin_hash_is_current    (const char    *hash);

void      ck_pin_limiter_init       (CkPinLimiter  *limiter);
guint     ck_pin_limiter_get_wait_s (CkPinLimiter  *limiter,
                                     gint64         now_us);
void      ck_pin_limiter_record     (CkPinLimiter  *limiter,
                                     gboolean       success,
                                     gint64         now_us);
void      ck_pin_limiter_restore    (CkPinLimiter  *limiter,
                                     guint          failures,
                                     gint64         last_failure_us);

G_END_DECLS
