/* test-pin.c: PBKDF2-HMAC-SHA256 and the staff PIN
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

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

  /* The default iteration count (one PBKDF2 of 600,000: tens of
   * seconds under AddressSanitizer, whose slow unwinder runs on each of
   * OpenSSL's allocations). */
  g_clear_pointer (&other, g_free);
  other = ck_pin_hash ("13579246", 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (other, "pbkdf2-sha256$600000$"));
  g_assert_true (ck_pin_hash_is_current (other));

  /* Hashes of older versions verify, but are not current. */
  g_assert_false (ck_pin_hash_is_current (hash));
  g_assert_false (ck_pin_hash_is_current ("pbkdf2-sha256$100000$MDEyMzQ1Njc4OWFiY2RlZg==$"
                                          "imjQBxEeE9WAa1HwKi1UL6Lhnt9Un0JiSp0wZ055Jgo="));
}

/* Every byte of the derived key counts: a stored hash that differs from
 * the right one in any single byte, the first or the last, refuses it. */
static void
test_every_key_byte (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ck_pin_hash ("246810", 1000, &error);
  g_auto(GStrv) parts = g_strsplit (hash, "$", -1);
  g_autofree guint8 *key = NULL;
  gsize length;

  g_assert_no_error (error);
  key = g_base64_decode (parts[3], &length);
  g_assert_cmpuint (length, ==, CK_PIN_HASH_LENGTH);

  for (gsize i = 0; i < length; i++)
    {
      g_autofree char *encoded = NULL;
      g_autofree char *changed = NULL;

      key[i] ^= 0x01;
      encoded = g_base64_encode (key, length);
      changed = g_strdup_printf ("%s$%s$%s$%s", parts[0], parts[1], parts[2], encoded);
      key[i] ^= 0x01;
      if (ck_pin_verify (changed, "246810"))
        g_error ("A hash with byte %" G_GSIZE_FORMAT " of its key changed accepted the PIN", i);
    }
  g_assert_true (ck_pin_verify (hash, "246810"));
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

  /* Put back after a restart: locked as long as after the last wrong one. */
  ck_pin_limiter_restore (&limiter, CK_PIN_FREE_FAILURES + 1, now - 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 50);
  ck_pin_limiter_restore (&limiter, CK_PIN_FREE_FAILURES - 1, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 0);
  ck_pin_limiter_record (&limiter, FALSE, now);
  g_assert_cmpuint (ck_pin_limiter_get_wait_s (&limiter, now), ==, 30);
}

/* --- the guard ----------------------------------------------------------------- */

typedef struct
{
  gboolean done;
  gboolean checked;
  gboolean right;
  GError *error;
} Check;

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Check *check = user_data;

  check->checked = ck_pin_guard_check_finish (CK_PIN_GUARD (object), result, &check->right, &check->error);
  check->done = TRUE;
}

static void
wait_for (Check *check)
{
  while (!check->done)
    g_main_context_iteration (NULL, TRUE);
}

static CkStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CkStore *store = ck_store_open (dir, CK_STORE_OPEN_RECOVER, &error);

  g_assert_no_error (error);
  return store;
}

static guint
stored_tries (CkStore *store)
{
  g_autoptr(GError) error = NULL;
  guint tries;
  gint64 last_us;

  g_assert_true (ck_store_count_pin_tries (store, &tries, &last_us, &error));
  g_assert_no_error (error);
  return tries;
}

static void
test_guard (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-pin-XXXXXX", &error);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *hash = ck_pin_hash ("246810", 1000, &error);
  g_autoptr(CkStore) store = open_store (data);
  g_autoptr(CkPinGuard) guard = ck_pin_guard_new (hash, store);
  Check first = { 0 }, second = { 0 }, third = { 0 }, right = { 0 };

  g_assert_true (ck_pin_guard_has_pin (guard));
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 0);

  /* Counted when given, before its check ends; one given meanwhile is
   * not checked, and counts. */
  ck_pin_guard_check_async (guard, "135791", NULL, check_done, &first);
  g_assert_true (ck_pin_guard_get_checking (guard));
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 1);
  g_assert_cmpuint (stored_tries (store), ==, 1);
  ck_pin_guard_check_async (guard, "246810", NULL, check_done, &second);
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 2);
  wait_for (&second);
  g_assert_false (second.checked);
  g_assert_error (second.error, CK_PIN_ERROR, CK_PIN_ERROR_BUSY);
  wait_for (&first);
  g_assert_true (first.checked);
  g_assert_false (first.right);
  g_assert_false (ck_pin_guard_get_checking (guard));
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), ==, 0);

  /* The third wrong one locks: the right one is then not even checked. */
  ck_pin_guard_check_async (guard, "111111", NULL, check_done, &third);
  wait_for (&third);
  g_assert_true (third.checked && !third.right);
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), >, 0);
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), <=, CK_PIN_FIRST_LOCK_S);
  ck_pin_guard_check_async (guard, "246810", NULL, check_done, &right);
  wait_for (&right);
  g_assert_error (right.error, CK_PIN_ERROR, CK_PIN_ERROR_LOCKED);
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 3);
  g_assert_cmpuint (stored_tries (store), ==, 3);

  /* A kiosk started again is as locked. */
  g_clear_object (&guard);
  g_clear_object (&store);
  store = open_store (data);
  guard = ck_pin_guard_new (hash, store);
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 3);
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), >, 0);
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), <=, CK_PIN_FIRST_LOCK_S);

  /* Once the lock is over (as the store has it, 31 s ago), the right PIN
   * unlocks, and the count starts again, across a restart too. */
  g_clear_object (&guard);
  {
    g_autoptr(GDateTime) then = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) earlier = g_date_time_add_seconds (then, -(CK_PIN_FIRST_LOCK_S + 1));
    g_autofree char *at = g_date_time_format_iso8601 (earlier);
    g_autofree char *db = g_build_filename (data, "consents.db", NULL);
    g_autofree char *sql = g_strdup_printf ("UPDATE events SET at = '%s' WHERE kind = 'staff-pin-tried'", at);

    /* Only the times: the chain notices, which is beside the point here. */
    g_clear_object (&store);
    {
      sqlite3 *handle = NULL;

      g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (handle);
    }
    store = open_store (data);
  }
  guard = ck_pin_guard_new (hash, store);
  g_assert_cmpuint (ck_pin_guard_get_wait_s (guard), ==, 0);
  g_clear_error (&right.error);
  memset (&right, 0, sizeof right);
  ck_pin_guard_check_async (guard, "246810", NULL, check_done, &right);
  wait_for (&right);
  g_assert_no_error (right.error);
  g_assert_true (right.checked && right.right);
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 0);
  g_assert_cmpuint (stored_tries (store), ==, 0);

  g_clear_error (&second.error);
  g_clear_error (&right.error);
  g_clear_object (&guard);
  g_clear_object (&store);
  ck_test_rm_rf (dir);
}

/* Without a PIN, nothing is counted and nothing unlocks. */
static void
test_guard_no_pin (void)
{
  g_autoptr(CkPinGuard) guard = ck_pin_guard_new (NULL, NULL);
  Check check = { 0 };

  g_assert_false (ck_pin_guard_has_pin (guard));
  ck_pin_guard_check_async (guard, "246810", NULL, check_done, &check);
  wait_for (&check);
  g_assert_error (check.error, CK_PIN_ERROR, CK_PIN_ERROR_NO_PIN);
  g_assert_cmpuint (ck_pin_guard_get_failures (guard), ==, 0);
  g_clear_error (&check.error);
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
  g_test_add_func ("/pin/every-key-byte", test_every_key_byte);
  g_test_add_func ("/pin/guard", test_guard);
  g_test_add_func ("/pin/guard-no-pin", test_guard_no_pin);

  return g_test_run ();
}
