/* test-pin.c: PBKDF2-HMAC-SHA256 and the staff PIN
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ck.h"

typedef struct
{
  const char *password;
  gsize password_length;
  const char *salt;
  gsize salt_length;
  guint iterations;
  const char *hex;
} Vector;

/* RFC 7914, section 11, and the widely published PBKDF2-HMAC-SHA256
 * vectors (also what Python's hashlib.pbkdf2_hmac gives). */
static const Vector vectors[] = {
  { "password", 8, "salt", 4, 1,
    "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
  { "password", 8, "salt", 4, 4096,
    "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
  { "passwd", 6, "salt", 4, 1,
    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
    "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
  { "passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096,
    "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9" },
  { "pass\0word", 9, "sa\0lt", 5, 4096,
    "89b69d0516f829893c696226650a8687" },
};

static void
test_pbkdf2_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      gsize length = strlen (v->hex) / 2;
      g_autofree guint8 *out = g_malloc (length);
      g_autoptr(GString) hex = g_string_new (NULL);

      ck_pbkdf2_hmac_sha256 ((const guint8 *)v->password, v->password_length,
                             (const guint8 *)v->salt, v->salt_length, v->iterations,
                             out, length);
      for (gsize k = 0; k < length; k++)
        g_string_append_printf (hex, "%02x", out[k]);
      g_assert_cmpstr (hex->str, ==, v->hex);
    }
}

static void
test_hash_and_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *other = NULL;
  g_auto(GStrv) parts = NULL;

  hash = ck_pin_hash ("246810", 2000, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "pbkdf2-sha256$2000$"));
  parts = g_strsplit (hash, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  g_assert_cmpuint (strlen (parts[2]), ==, 24);   /* 16 bytes */
  g_assert_cmpuint (strlen (parts[3]), ==, 44);   /* 32 bytes */

  g_assert_true (ck_pin_check_hash (hash, &error));
  g_assert_no_error (error);
  g_assert_true (ck_pin_verify (hash, "246810"));
  g_assert_false (ck_pin_verify (hash, "246811"));
  g_assert_false (ck_pin_verify (hash, "24681"));
  g_assert_false (ck_pin_verify (hash, ""));

  /* A new salt each time. */
  other = ck_pin_hash ("246810", 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, !=, other);
  g_assert_true (ck_pin_verify (other, "246810"));

  /* The default iteration count. */
  g_clear_pointer (&other, g_free);
  other = ck_pin_hash ("13579246", 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (other, "pbkdf2-sha256$100000$"));
}

/* A hash made elsewhere (Python's hashlib) verifies here. */
static void
test_verify_known (void)
{
  /* hashlib.pbkdf2_hmac('sha256', b'123456', b'0123456789abcdef', 1000) */
  const char *hash = "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$"
                     "imjQBxEeE9WAa1HwKi1UL6Lhnt9Un0JiSp0wZ055Jgo=";

  g_assert_true (ck_pin_check_hash (hash, NULL));
  g_assert_true (ck_pin_verify (hash, "123456"));
  g_assert_false (ck_pin_verify (hash, "654321"));
}

static void
test_bad_pins (void)
{
  const struct { const char *pin; int code; } cases[] = {
    { "12345", CK_PIN_ERROR_LENGTH },
    { "12345678901234567", CK_PIN_ERROR_LENGTH },
    { "12345a", CK_PIN_ERROR_NOT_DIGITS },
    { "123 456", CK_PIN_ERROR_NOT_DIGITS },
    { "１２３４５６", CK_PIN_ERROR_NOT_DIGITS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = ck_pin_hash (cases[i].pin, 1000, &error);

      g_assert_null (hash);
      g_assert_error (error, CK_PIN_ERROR, cases[i].code);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = ck_pin_hash ("123456", 999, &error);

    g_assert_null (hash);
    g_assert_error (error, CK_PIN_ERROR, CK_PIN_ERROR_ITERATIONS);
  }
}

static void
test_bad_hashes (void)
{
  const struct { const char *hash; int code; } cases[] = {
    { "", CK_PIN_ERROR_FORMAT },
    { "123456", CK_PIN_ERROR_FORMAT },
    { "pbkdf2-sha1$1000$MDEyMzQ1Njc4OWFiY2RlZg==$F4YyV+GzF0pR9mfT+PRMqrf3n4YbDpITAH7wzdtbuRc=",
      CK_PIN_ERROR_FORMAT },
    { "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==", CK_PIN_ERROR_FORMAT },
    { "pbkdf2-sha256$1000$MDEy!zQ1Njc4OWFiY2RlZg==$F4YyV+GzF0pR9mfT+PRMqrf3n4YbDpITAH7wzdtbuRc=",
      CK_PIN_ERROR_FORMAT },
    { "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$F4YyV+GzF0pR9mfT+PRMqrf3n4Yb",
      CK_PIN_ERROR_FORMAT },
    { "pbkdf2-sha256$10$MDEyMzQ1Njc4OWFiY2RlZg==$F4YyV+GzF0pR9mfT+PRMqrf3n4YbDpITAH7wzdtbuRc=",
      CK_PIN_ERROR_ITERATIONS },
    { "pbkdf2-sha256$x$MDEyMzQ1Njc4OWFiY2RlZg==$F4YyV+GzF0pR9mfT+PRMqrf3n4YbDpITAH7wzdtbuRc=",
      CK_PIN_ERROR_ITERATIONS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ck_pin_check_hash (cases[i].hash, &error));
      g_assert_error (error, CK_PIN_ERROR, cases[i].code);
      g_assert_false (ck_pin_verify (cases[i].hash, "123456"));
    }
}

static void
test_limiter (void)
{
  CkPinLimiter limiter;
  gint64 now = (gint64)1000 * G_USEC_PER_SEC;

  ck_pin_limiter_init (&limiter);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 0);

  /* The first wrong PINs are free. */
  for (guint i = 1; i < CK_PIN_FREE_FAILURES; i++)
    {
      ck_pin_limiter_record (&limiter, FALSE, now);
      g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 0);
    }

  /* Then 30 s, 60 s, 120 s, … up to 15 minutes. */
  ck_pin_limiter_record (&limiter, FALSE, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 30);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now + 29 * G_USEC_PER_SEC + 1), ==, 1);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now + 30 * G_USEC_PER_SEC), ==, 0);

  now += 30 * G_USEC_PER_SEC;
  ck_pin_limiter_record (&limiter, FALSE, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 60);

  for (guint i = 0; i < 10; i++)
    {
      now += (gint64)3600 * G_USEC_PER_SEC;
      ck_pin_limiter_record (&limiter, FALSE, now);
    }
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, CK_PIN_MAX_LOCK_S);

  /* The right PIN clears it all. */
  ck_pin_limiter_record (&limiter, TRUE, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 0);
  ck_pin_limiter_record (&limiter, FALSE, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/pin/pbkdf2-vectors", test_pbkdf2_vectors);
  g_test_add_func ("/pin/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/pin/verify-known", test_verify_known);
  g_test_add_func ("/pin/bad-pins", test_bad_pins);
  g_test_add_func ("/pin/bad-hashes", test_bad_hashes);
  g_test_add_func ("/pin/limiter", test_limiter);

  return g_test_run ();
}
