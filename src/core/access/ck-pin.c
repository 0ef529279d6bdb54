/* ck-pin.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The staff PIN: only its hash is configured ([kiosk] staff_pin_hash),
 * PBKDF2-HMAC-SHA256 (RFC 8018, OpenSSL's), written as
 *
 *   pbkdf2-sha256$ITERATIONS$SALT_BASE64$HASH_BASE64
 *
 * with a random 16-byte salt and a 32-byte derived key; new hashes use
 * 600,000 iterations (OWASP's figure for PBKDF2-HMAC-SHA256), older ones
 * with fewer still verify. Wrong PINs are rate limited by CkPinLimiter,
 * which CkPinGuard keeps in the store. The PIN is never logged or kept. */

#define G_LOG_DOMAIN "ck-pin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/random.h>

#include "ck-pin.h"

G_DEFINE_QUARK (ck-pin-error-quark, ck_pin_error)

/**
 * ck_pbkdf2_hmac_sha256:
 * @password: (array length=password_length): the password
 * @salt: (array length=salt_length): the salt
 * @iterations: the iteration count, at least 1
 * @out: (out caller-allocates) (array length=out_length): the derived key
 *
 * PBKDF2 (RFC 8018, section 5.2) with HMAC-SHA256 as the pseudorandom
 * function, as OpenSSL computes it (several times faster than GLib's
 * GHmac, which lets the iteration count be what OWASP asks today).
 */
void
ck_pbkdf2_hmac_sha256 (const guint8 *password,
                       gsize         password_length,
                       const guint8 *salt,
                       gsize         salt_length,
                       guint         iterations,
                       guint8       *out,
                       gsize         out_length)
{
  static const guint8 empty[1] = { 0 };

  g_return_if_fail (password != NULL || password_length == 0);
  g_return_if_fail (salt != NULL || salt_length == 0);
  g_return_if_fail (iterations >= 1 && iterations <= G_MAXINT);
  g_return_if_fail (out != NULL && out_length <= G_MAXINT);
  g_return_if_fail (password_length <= G_MAXINT && salt_length <= G_MAXINT);

  /* It fails only when OpenSSL cannot allocate: nothing to go on with. */
  if (PKCS5_PBKDF2_HMAC (password_length ? (const char *)password : (const char *)empty, (int)password_length,
                         salt_length ? salt : empty, (int)salt_length, (int)iterations, EVP_sha256 (),
                         (int)out_length, out) != 1)
    g_error ("PBKDF2 failed in OpenSSL");
}

/**
 * ck_pin_check_pin:
 * @pin: a PIN as typed
 * @error: a #GError in the %CK_PIN_ERROR domain
 *
 * A PIN is %CK_PIN_MIN_LENGTH to %CK_PIN_MAX_LENGTH digits 0–9: what the
 * kiosk's on-screen PIN pad can type.
 *
 * Returns: %TRUE if @pin can be a staff PIN
 */
gboolean
ck_pin_check_pin (const char  *pin,
                  GError     **error)
{
  gsize length;

  g_return_val_if_fail (pin != NULL, FALSE);

  length = strlen (pin);
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      {
        g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_NOT_DIGITS,
                     _("A PIN consists of the digits 0 to 9 only."));
        return FALSE;
      }

  if (length < CK_PIN_MIN_LENGTH || length > CK_PIN_MAX_LENGTH)
    {
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_LENGTH,
                   _("A PIN has %d to %d digits."), CK_PIN_MIN_LENGTH, CK_PIN_MAX_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/**
 * ck_pin_hash:
 * @pin: the PIN, %CK_PIN_MIN_LENGTH to %CK_PIN_MAX_LENGTH digits
 * @iterations: the PBKDF2 iteration count; 0 for
 *   %CK_PIN_DEFAULT_ITERATIONS
 * @error: a #GError in the %CK_PIN_ERROR domain
 *
 * Hashes @pin with a random salt, for `[kiosk] staff_pin_hash`.
 *
 * Returns: (transfer full) (nullable): `pbkdf2-sha256$ITERATIONS$SALT$HASH`
 */
char *
ck_pin_hash (const char  *pin,
             guint        iterations,
             GError     **error)
{
  g_autofree char *salt_b64 = NULL;
  g_autofree char *hash_b64 = NULL;
  guint8 salt[CK_PIN_SALT_LENGTH];
  guint8 hash[CK_PIN_HASH_LENGTH];

  g_return_val_if_fail (pin != NULL, NULL);

  if (iterations == 0)
    iterations = CK_PIN_DEFAULT_ITERATIONS;
  if (iterations < CK_PIN_MIN_ITERATIONS || iterations > CK_PIN_MAX_ITERATIONS)
    {
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_ITERATIONS,
                   _("The iteration count must be from %u to %u."),
                   CK_PIN_MIN_ITERATIONS, CK_PIN_MAX_ITERATIONS);
      return NULL;
    }

  if (!ck_pin_check_pin (pin, error))
    return NULL;

  /* The salt from the kernel's generator; GRand is none. */
  if (getrandom (salt, sizeof salt, 0) != (ssize_t)sizeof salt)
    {
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_FORMAT,
                   _("No random numbers for the salt: %s."), g_strerror (errno));
      return NULL;
    }

  ck_pbkdf2_hmac_sha256 ((const guint8 *)pin, strlen (pin), salt, sizeof salt, iterations,
                         hash, sizeof hash);
  salt_b64 = g_base64_encode (salt, sizeof salt);
  hash_b64 = g_base64_encode (hash, sizeof hash);
  OPENSSL_cleanse (hash, sizeof hash);

  return g_strdup_printf (CK_PIN_SCHEME "$%u$%s$%s", iterations, salt_b64, hash_b64);
}

static gboolean
is_base64 (const char *text)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }

  return padding <= 2;
}

/* Splits a stored hash into its parts; @salt and @hash are decoded. */
static gboolean
parse_hash (const char  *text,
            guint       *iterations,
            GBytes     **salt,
            GBytes     **hash,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 n = 0;
  guchar *decoded;
  gsize length;

  parts = g_strsplit (text, "$", -1);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], CK_PIN_SCHEME) ||
      !is_base64 (parts[2]) || !is_base64 (parts[3]))
    {
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_FORMAT,
                   _("This is not a PIN hash of the form %s$ITERATIONS$SALT$HASH: make one "
                     "with “consentctl pin-hash”."), CK_PIN_SCHEME);
      return FALSE;
    }

  if (!g_ascii_string_to_unsigned (parts[1], 10, CK_PIN_MIN_ITERATIONS, CK_PIN_MAX_ITERATIONS,
                                   &n, NULL))
    {
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_ITERATIONS,
                   _("The iteration count must be from %u to %u."),
                   CK_PIN_MIN_ITERATIONS, CK_PIN_MAX_ITERATIONS);
      return FALSE;
    }

  decoded = g_base64_decode (parts[3], &length);
  if (length != CK_PIN_HASH_LENGTH)
    {
      g_free (decoded);
      g_set_error (error, CK_PIN_ERROR, CK_PIN_ERROR_FORMAT,
                   _("The hash part of the PIN hash must be %d bytes long."), CK_PIN_HASH_LENGTH);
      return FALSE;
    }
  if (hash)
    *hash = g_bytes_new_take (decoded, length);
  else
    g_free (decoded);

  decoded = g_base64_decode (parts[2], &length);
  if (salt)
    *salt = g_bytes_new_take (decoded, length);
  else
    g_free (decoded);

  if (iterations)
    *iterations = (guint)n;

  return TRUE;
}

/**
 * ck_pin_check_hash:
 * @hash: a stored PIN hash
 * @error: a #GError in the %CK_PIN_ERROR domain
 *
 * Returns: %TRUE if @hash has the form ck_pin_hash() writes
 */
gboolean
ck_pin_check_hash (const char  *hash,
                   GError     **error)
{
  g_return_val_if_fail (hash != NULL, FALSE);

  return parse_hash (hash, NULL, NULL, NULL, error);
}

/**
 * ck_pin_verify:
 * @hash: a stored PIN hash
 * @pin: the PIN as typed
 *
 * Compares every byte of the derived key, in constant time. Takes as long
 * as the hash's iteration count asks (bench/README.md, bench-identity:
 * a few tenths of a second at the default): call it from a worker thread
 * in a UI.
 *
 * Returns: %TRUE if @pin is the PIN @hash was made from
 */
gboolean
ck_pin_verify (const char *hash,
               const char *pin)
{
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) expected = NULL;
  guint8 computed[CK_PIN_HASH_LENGTH];
  const guint8 *want;
  guint iterations;
  gboolean right;

  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!parse_hash (hash, &iterations, &salt, &expected, NULL) || pin[0] == '\0')
    return FALSE;

  ck_pbkdf2_hmac_sha256 ((const guint8 *)pin, strlen (pin),
                         g_bytes_get_data (salt, NULL), g_bytes_get_size (salt),
                         iterations, computed, sizeof computed);
  want = g_bytes_get_data (expected, NULL);
  right = CRYPTO_memcmp (computed, want, sizeof computed) == 0;
  OPENSSL_cleanse (computed, sizeof computed);

  return right;
}

void
ck_pin_limiter_init (CkPinLimiter *limiter)
{
  g_return_if_fail (limiter != NULL);

  limiter->failures = 0;
  limiter->locked_until_us = 0;
}

/* How long @failures wrong PINs in a row lock entry, in seconds. */
static guint
lock_s_for (guint failures)
{
  guint lock_s;

  if (failures < CK_PIN_FREE_FAILURES)
    return 0;

  lock_s = CK_PIN_FIRST_LOCK_S;
  for (guint i = CK_PIN_FREE_FAILURES; i < failures && lock_s < CK_PIN_MAX_LOCK_S; i++)
    lock_s *= 2;

  return MIN (lock_s, CK_PIN_MAX_LOCK_S);
}

/**
 * ck_pin_limiter_restore:
 * @failures: wrong PINs in a row, as the store remembers them
 * @last_failure_us: when the last of them was given (real time, µs)
 *
 * Puts back the state of a limiter from before a restart: entry is
 * locked for as long as it was after the last wrong PIN.
 */
void
ck_pin_limiter_restore (CkPinLimiter *limiter,
                        guint         failures,
                        gint64        last_failure_us)
{
  g_return_if_fail (limiter != NULL);

  limiter->failures = failures;
  limiter->locked_until_us = failures >= CK_PIN_FREE_FAILURES
                             ? last_failure_us + (gint64)lock_s_for (failures) * G_USEC_PER_SEC
                             : 0;
}

/**
 * ck_pin_limiter_get_wait_s:
 * @now_us: the real time (g_get_real_time())
 *
 * Returns: how many seconds (rounded up) before another PIN may be
 *   tried; 0 if one may be tried now
 */
guint
ck_pin_limiter_get_wait_s (CkPinLimiter *limiter,
                           gint64        now_us)
{
  g_return_val_if_fail (limiter != NULL, 0);

  if (now_us >= limiter->locked_until_us)
    return 0;

  return (guint)((limiter->locked_until_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/**
 * ck_pin_limiter_record:
 * @success: whether the PIN was right
 * @now_us: the real time (g_get_real_time())
 *
 * Counts a tried PIN: a right one clears the count, a wrong one past the
 * free ones locks entry.
 */
void
ck_pin_limiter_record (CkPinLimiter *limiter,
                       gboolean      success,
                       gint64        now_us)
{
  g_return_if_fail (limiter != NULL);

  if (success)
    {
      ck_pin_limiter_init (limiter);
      return;
    }

  ck_pin_limiter_restore (limiter, limiter->failures + 1, now_us);
}

/**
 * ck_pin_hash_is_current:
 * @hash: a stored PIN hash
 *
 * Returns: whether @hash was made with at least today's iteration count
 *   (%CK_PIN_DEFAULT_ITERATIONS); an older one still verifies, but should
 *   be made again with `consentctl pin-hash`
 */
gboolean
ck_pin_hash_is_current (const char *hash)
{
  guint iterations = 0;

  g_return_val_if_fail (hash != NULL, FALSE);

  return parse_hash (hash, &iterations, NULL, NULL, NULL) && iterations >= CK_PIN_DEFAULT_ITERATIONS;
}
