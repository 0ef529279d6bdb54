/* test-signature.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "ck.h"
#include "ck-test-util.h"

/* The example of docs/signature-format.md: a 100 × 50 px area, one stroke
 * through (10.0, 20.0) at 1000 ms and (12.5, 19.0) at 1016 ms. */
static const guint8 golden[] = {
  0x43, 0x4b, 0x53, 0x47, 0x01, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00,
  0xe8, 0x07, 0xf4, 0x03, 0x02, 0x01, 0x91, 0x03, 0x90, 0x03, 0xd0, 0x0f,
  0x64, 0x13, 0x20, 0xa4, 0x2b, 0x4a, 0x20,
};

static void
add (CkSignature *signature,
     double       x,
     double       y,
     guint32      time_ms,
     double       pressure)
{
  g_autoptr(GError) error = NULL;

  ck_signature_add_sample (signature, x, y, time_ms, pressure, &error);
  g_assert_no_error (error);
}

/* Two strokes, eleven samples, no pressure: small enough to corrupt at
 * every byte. */
static CkSignature *
make_small (void)
{
  CkSignature *signature = ck_signature_new (300, 120);

  ck_signature_begin_stroke (signature);
  add (signature, 20.0, 60.0, 5000, NAN);
  add (signature, 35.3, 48.1, 5016, NAN);
  add (signature, 52.7, 40.0, 5033, NAN);
  add (signature, 70.2, 55.5, 5049, NAN);
  add (signature, 88.8, 71.9, 5066, NAN);
  add (signature, 101.4, 64.0, 5083, NAN);
  ck_signature_end_stroke (signature);

  ck_signature_begin_stroke (signature);
  add (signature, 140.0, 30.0, 5400, NAN);
  add (signature, 141.0, 90.0, 5450, NAN);
  add (signature, 139.5, 99.9, 5466, NAN);
  add (signature, 160.0, 99.9, 5466, NAN);   /* same time: it happens */
  add (signature, 0.0, 0.0, 5500, NAN);
  ck_signature_end_stroke (signature);

  return signature;
}

/* A pen: pressure on most samples, none on one. */
static CkSignature *
make_with_pressure (void)
{
  CkSignature *signature = ck_signature_new (640.5, 240.25);

  ck_signature_begin_stroke (signature);
  add (signature, 10.0, 10.0, 1, 0.0);
  add (signature, 20.0, 15.0, 9, 0.25);
  add (signature, 30.0, 25.0, 17, 1.0);
  add (signature, 40.0, 20.0, 25, NAN);
  add (signature, 50.0, 10.0, 33, 0.333333);
  ck_signature_end_stroke (signature);

  return signature;
}

/* About @n samples of a plausible hand: loops drifting right, a stroke
 * every @per_stroke samples, 8 ms apart. */
static CkSignature *
make_hand (guint n,
           guint per_stroke)
{
  CkSignature *signature = ck_signature_new (900, 360);
  guint32 t = 120000;

  for (guint i = 0; i < n; i++)
    {
      double phase = i * 0.21;
      double x = 60 + (i % per_stroke) * (700.0 / per_stroke) + 25 * cos (phase);
      double y = 180 + 70 * sin (phase * 1.3) + (i / per_stroke) * 3 % 40;

      if (i % per_stroke == 0)
        {
          ck_signature_end_stroke (signature);
          ck_signature_begin_stroke (signature);
          t += 350;
        }
      add (signature, x, y, t, NAN);
      t += 8;
    }
  ck_signature_end_stroke (signature);

  return signature;
}

static void
assert_same_samples (CkSignature *a,
                     CkSignature *b)
{
  const CkSignatureSample *sa, *sb;
  guint na, nb;
  double wa, ha, wb, hb;

  ck_signature_get_size (a, &wa, &ha);
  ck_signature_get_size (b, &wb, &hb);
  g_assert_cmpfloat (wa, ==, wb);
  g_assert_cmpfloat (ha, ==, hb);
  g_assert_cmpuint (ck_signature_get_n_strokes (a), ==, ck_signature_get_n_strokes (b));

  sa = ck_signature_get_samples (a, &na);
  sb = ck_signature_get_samples (b, &nb);
  g_assert_cmpuint (na, ==, nb);

  for (guint i = 0; i < na; i++)
    {
      g_assert_cmpfloat (sa[i].x, ==, sb[i].x);
      g_assert_cmpfloat (sa[i].y, ==, sb[i].y);
      g_assert_cmpuint (sa[i].time_ms, ==, sb[i].time_ms);
      g_assert_cmpuint (sa[i].stroke, ==, sb[i].stroke);
      g_assert_cmpint (isnan (sa[i].pressure), ==, isnan (sb[i].pressure));
      if (!isnan (sa[i].pressure))
        g_assert_cmpfloat (sa[i].pressure, ==, sb[i].pressure);
    }

  /* No padding in the struct: the bytes are the samples. */
  g_assert_cmpuint (sizeof (CkSignatureSample), ==, 20);
  if (na > 0)
    g_assert_cmpmem (sa, na * sizeof *sa, sb, nb * sizeof *sb);
}

/* Serialize, deserialize, serialize: same samples, same bytes. */
static void
assert_round_trip (CkSignature *signature)
{
  g_autoptr(GBytes) bytes = ck_signature_serialize (signature);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(CkSignature) copy = NULL;
  g_autoptr(GError) error = NULL;

  copy = ck_signature_deserialize (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  assert_same_samples (signature, copy);

  again = ck_signature_serialize (copy);
  g_assert_true (g_bytes_equal (bytes, again));
}

/* Deserializing @data must fail; the error is left in @error. */
static void
deserialize_error (const guint8 *data,
                   gsize         len,
                   GError      **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(CkSignature) signature = ck_signature_deserialize (bytes, error);

  g_assert_null (signature);
}

static void
assert_deserialize_fails (const guint8 *data,
                          gsize         len,
                          int           code)
{
  g_autoptr(GError) error = NULL;

  deserialize_error (data, len, &error);
  g_assert_error (error, CK_SIGNATURE_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
}

/* A blob with a right length field and checksum around @body. */
static GBytes *
forge (guint8        major,
       guint8        minor,
       guint8        flags,
       const guint8 *body,
       gsize         body_len)
{
  gsize len = 12 + body_len + 4;
  guint8 *data = g_malloc (len);
  guint32 crc;

  memcpy (data, "CKSG", 4);
  data[4] = major;
  data[5] = minor;
  data[6] = flags;
  data[7] = 0;
  data[8] = len & 0xff;
  data[9] = (len >> 8) & 0xff;
  data[10] = (len >> 16) & 0xff;
  data[11] = (len >> 24) & 0xff;
  memcpy (data + 12, body, body_len);
  crc = crc32 (0, data, len - 4);
  data[len - 4] = crc & 0xff;
  data[len - 3] = (crc >> 8) & 0xff;
  data[len - 2] = (crc >> 16) & 0xff;
  data[len - 1] = (crc >> 24) & 0xff;

  return g_bytes_new_take (data, len);
}

/* Rewrites the length and checksum of @data after an edit. */
static void
reseal (guint8 *data,
        gsize   len)
{
  guint32 crc;

  data[8] = len & 0xff;
  data[9] = (len >> 8) & 0xff;
  data[10] = (len >> 16) & 0xff;
  data[11] = (len >> 24) & 0xff;
  crc = crc32 (0, data, len - 4);
  data[len - 4] = crc & 0xff;
  data[len - 3] = (crc >> 8) & 0xff;
  data[len - 2] = (crc >> 16) & 0xff;
  data[len - 1] = (crc >> 24) & 0xff;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
test_signature_new (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (300.04, 119.96);
  double width, height, x0 = -1, y0 = -1, x1 = -1, y1 = -1;
  guint n = 99;

  ck_signature_get_size (signature, &width, &height);
  g_assert_cmpfloat (width, ==, 300.0);
  g_assert_cmpfloat (height, ==, 120.0);
  g_assert_null (ck_signature_get_samples (signature, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 0);
  g_assert_false (ck_signature_get_bounds (signature, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (y1, ==, 0);
  g_assert_cmpfloat (ck_signature_get_ink_length (signature), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&signature));
}

static void
test_signature_strokes (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (200, 100);
  const CkSignatureSample *samples;
  guint notified = 0;
  guint n;
  double x0, y0, x1, y1;

  g_signal_connect (signature, "notify::n-strokes", G_CALLBACK (count_notify), &notified);

  /* A stroke without samples leaves no trace. */
  ck_signature_begin_stroke (signature);
  ck_signature_end_stroke (signature);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 0);
  g_assert_cmpuint (notified, ==, 0);

  ck_signature_begin_stroke (signature);
  add (signature, 1, 2, 10, NAN);
  g_assert_cmpuint (notified, ==, 1);
  add (signature, 3, 4, 20, NAN);
  g_assert_cmpuint (notified, ==, 1);
  /* Beginning a stroke ends the open one. */
  ck_signature_begin_stroke (signature);
  add (signature, 50, 60, 30, NAN);
  ck_signature_end_stroke (signature);
  ck_signature_begin_stroke (signature);
  add (signature, -5, 150, 40, 0.5);   /* outside the area: kept as is */
  ck_signature_end_stroke (signature);

  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 3);
  g_assert_cmpuint (notified, ==, 3);
  samples = ck_signature_get_samples (signature, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (samples[0].stroke, ==, 0);
  g_assert_cmpuint (samples[1].stroke, ==, 0);
  g_assert_cmpuint (samples[2].stroke, ==, 1);
  g_assert_cmpuint (samples[3].stroke, ==, 2);
  g_assert_cmpfloat (samples[3].x, ==, -5.0f);
  g_assert_cmpfloat (samples[3].y, ==, 150.0f);
  g_assert_cmpuint (samples[3].time_ms, ==, 40);
  g_assert_cmpfloat (samples[3].pressure, ==, (float)(32768.0 / 65535.0));
  g_assert_true (isnan (samples[0].pressure));

  g_assert_true (ck_signature_get_bounds (signature, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x0, ==, -5);
  g_assert_cmpfloat (y0, ==, 2);
  g_assert_cmpfloat (x1, ==, 50);
  g_assert_cmpfloat (y1, ==, 150);
  g_assert_cmpfloat_with_epsilon (ck_signature_get_ink_length (signature), 2 * G_SQRT2, 1e-6);

  /* Undo removes the last stroke, also an open one. */
  g_assert_true (ck_signature_undo_stroke (signature));
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 2);
  ck_signature_begin_stroke (signature);
  add (signature, 7, 7, 50, NAN);
  add (signature, 8, 8, 60, NAN);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 3);
  g_assert_true (ck_signature_undo_stroke (signature));
  samples = ck_signature_get_samples (signature, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (samples[2].stroke, ==, 1);

  /* The next stroke gets the next free index. */
  ck_signature_begin_stroke (signature);
  add (signature, 9, 9, 70, NAN);
  ck_signature_end_stroke (signature);
  samples = ck_signature_get_samples (signature, &n);
  g_assert_cmpuint (samples[3].stroke, ==, 2);

  notified = 0;
  ck_signature_clear (signature);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (ck_signature_get_samples (signature, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 0);
  g_assert_false (ck_signature_undo_stroke (signature));
  ck_signature_clear (signature);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&signature));
}

/* Adding a sample with no stroke open is a programming error. */
static void
test_signature_no_stroke (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (200, 100);
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("ck-signature", G_LOG_LEVEL_CRITICAL, "*in_stroke*");
  g_assert_false (ck_signature_add_sample (signature, 1, 1, 1, NAN, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (ck_signature_get_samples (signature, NULL));
}

static void
test_signature_quantisation (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (1000, 1000);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CkSignature) copy = NULL;
  g_autoptr(GError) error = NULL;
  const CkSignatureSample *samples;
  GRand *rand = g_rand_new_with_seed (20261128);
  guint n;

  ck_signature_begin_stroke (signature);
  add (signature, 10.04, 10.06, 0, 0.5);
  add (signature, -0.04, -0.06, 0, 1e-9);
  samples = ck_signature_get_samples (signature, &n);
  g_assert_cmpfloat (samples[0].x, ==, 10.0f);
  g_assert_cmpfloat (samples[0].y, ==, 10.1f);
  g_assert_cmpfloat (samples[1].x, ==, 0.0f);
  g_assert_cmpfloat (samples[1].y, ==, -0.1f);
  g_assert_cmpfloat (samples[1].pressure, ==, 0.0f);

  /* Extremes and random values across the whole range keep their fixed
   * point value through float and back: the round trip is exact. */
  add (signature, CK_SIGNATURE_MAX_COORDINATE, -CK_SIGNATURE_MAX_COORDINATE, G_MAXUINT32, 1.0);
  add (signature, -CK_SIGNATURE_MAX_COORDINATE, CK_SIGNATURE_MAX_COORDINATE, 0, 0.0);
  add (signature, 199999.9, -199999.9, 17, NAN);
  for (guint i = 0; i < 20000; i++)
    {
      double x = g_rand_double_range (rand, -CK_SIGNATURE_MAX_COORDINATE, CK_SIGNATURE_MAX_COORDINATE);
      double y = g_rand_double_range (rand, -2000, 2000);
      double p = g_rand_double (rand);

      add (signature, x, y, g_rand_int (rand), (i % 3) ? p : NAN);
    }
  g_rand_free (rand);

  samples = ck_signature_get_samples (signature, &n);
  for (guint i = 0; i < n; i++)
    {
      double q = samples[i].x * 10.0;

      g_assert_cmpfloat (fabs (q - round (q)), <, 0.1);
    }

  assert_round_trip (signature);

  bytes = ck_signature_serialize (signature);
  copy = ck_signature_deserialize (bytes, &error);
  g_assert_no_error (error);
  samples = ck_signature_get_samples (copy, &n);
  g_assert_cmpfloat (samples[2].x, ==, (float)CK_SIGNATURE_MAX_COORDINATE);
  g_assert_cmpuint (samples[2].time_ms, ==, G_MAXUINT32);
  g_assert_cmpfloat (samples[2].pressure, ==, 1.0f);
}

static void
test_signature_invalid_input (void)
{
  static const struct {
    double x, y, pressure;
    int code;
  } bad[] = {
    { NAN, 10, NAN, CK_SIGNATURE_ERROR_INVALID_COORDINATE },
    { 10, NAN, NAN, CK_SIGNATURE_ERROR_INVALID_COORDINATE },
    { INFINITY, 10, NAN, CK_SIGNATURE_ERROR_INVALID_COORDINATE },
    { 10, -INFINITY, NAN, CK_SIGNATURE_ERROR_INVALID_COORDINATE },
    { 1e9, 10, NAN, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { 10, -1e9, NAN, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { 200000.1, 0, NAN, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { 1e308, 1e308, NAN, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { 10, 10, -0.01, CK_SIGNATURE_ERROR_INVALID_PRESSURE },
    { 10, 10, 1.01, CK_SIGNATURE_ERROR_INVALID_PRESSURE },
    { 10, 10, INFINITY, CK_SIGNATURE_ERROR_INVALID_PRESSURE },
  };
  g_autoptr(CkSignature) signature = ck_signature_new (300, 100);
  g_autoptr(GBytes) before = NULL;

  /* Rejected as the first sample of a stroke: the stroke does not count.
   * Rejected later: nothing changes either. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) after = NULL;

          g_test_message ("round %u, case %u", round, i);
          g_clear_pointer (&before, g_bytes_unref);
          before = ck_signature_serialize (signature);
          ck_signature_begin_stroke (signature);
          g_assert_false (ck_signature_add_sample (signature, bad[i].x, bad[i].y, 1,
                                                   bad[i].pressure, &error));
          g_assert_error (error, CK_SIGNATURE_ERROR, bad[i].code);
          g_assert_cmpstr (error->message, !=, "");
          after = ck_signature_serialize (signature);
          g_assert_true (g_bytes_equal (before, after));
          g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, round);
          ck_signature_end_stroke (signature);
        }

      ck_signature_begin_stroke (signature);
      add (signature, 5, 5, 2, NAN);
    }

  /* The limits themselves are fine. */
  add (signature, 200000, -200000, 3, 0.0);
  add (signature, 1, 1, 4, 1.0);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 2);
}

static void
test_signature_limits (void)
{
  g_autoptr(CkSignature) strokes = ck_signature_new (300, 100);
  g_autoptr(CkSignature) samples = ck_signature_new (300, 100);
  g_autoptr(GError) error = NULL;
  guint n;

  for (guint i = 0; i < CK_SIGNATURE_MAX_STROKES; i++)
    {
      ck_signature_begin_stroke (strokes);
      add (strokes, i % 300, i / 300, i, NAN);
    }
  ck_signature_begin_stroke (strokes);
  g_assert_false (ck_signature_add_sample (strokes, 1, 1, 1, NAN, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_MANY_STROKES);
  g_assert_nonnull (strstr (error->message, "10000"));
  g_clear_error (&error);
  g_assert_cmpuint (ck_signature_get_n_strokes (strokes), ==, CK_SIGNATURE_MAX_STROKES);
  assert_round_trip (strokes);

  /* Undo makes room again. */
  g_assert_true (ck_signature_undo_stroke (strokes));
  ck_signature_begin_stroke (strokes);
  add (strokes, 1, 1, 1, NAN);

  ck_signature_begin_stroke (samples);
  for (guint i = 0; i < CK_SIGNATURE_MAX_SAMPLES; i++)
    add (samples, i % 300, (i / 300) % 100, i, NAN);
  g_assert_false (ck_signature_add_sample (samples, 1, 1, 1, NAN, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_MANY_SAMPLES);
  g_assert_nonnull (strstr (error->message, "200000"));
  ck_signature_get_samples (samples, &n);
  g_assert_cmpuint (n, ==, CK_SIGNATURE_MAX_SAMPLES);
  assert_round_trip (samples);
}

static void
test_signature_round_trip (void)
{
  g_autoptr(CkSignature) empty = ck_signature_new (0.1, CK_SIGNATURE_MAX_SIZE);
  g_autoptr(CkSignature) small = make_small ();
  g_autoptr(CkSignature) pressure = make_with_pressure ();
  g_autoptr(CkSignature) hand = make_hand (400, 50);

  assert_round_trip (empty);
  assert_round_trip (small);
  assert_round_trip (pressure);
  assert_round_trip (hand);
}

static void
test_signature_golden (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (100, 50);
  g_autoptr(CkSignature) copy = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static (golden, sizeof golden);
  g_autoptr(GError) error = NULL;

  ck_signature_begin_stroke (signature);
  add (signature, 10.0, 20.0, 1000, NAN);
  add (signature, 12.5, 19.0, 1016, NAN);
  ck_signature_end_stroke (signature);

  bytes = ck_signature_serialize (signature);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   golden, sizeof golden);

  copy = ck_signature_deserialize (expected, &error);
  g_assert_no_error (error);
  assert_same_samples (signature, copy);
}

static void
test_signature_large (void)
{
  g_autoptr(CkSignature) signature = make_hand (100000, 400);
  g_autoptr(CkSignature) typical = make_hand (400, 40);
  g_autoptr(GBytes) bytes = ck_signature_serialize (signature);
  g_autoptr(GBytes) typical_bytes = ck_signature_serialize (typical);
  guint n;

  ck_signature_get_samples (signature, &n);
  g_assert_cmpuint (n, ==, 100000);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 250);
  g_test_message ("100000 samples in 250 strokes: %" G_GSIZE_FORMAT " bytes (%.2f per sample)",
                  g_bytes_get_size (bytes), g_bytes_get_size (bytes) / 100000.0);
  g_test_message ("400 samples in 10 strokes: %" G_GSIZE_FORMAT " bytes",
                  g_bytes_get_size (typical_bytes));
  /* Compact: a typical signature well under 2 KB, no sample over 8 bytes. */
  g_assert_cmpuint (g_bytes_get_size (typical_bytes), <, 2048);
  g_assert_cmpuint (g_bytes_get_size (bytes), <, 8 * 100000);

  assert_round_trip (signature);
}

static void
test_signature_truncated (void)
{
  g_autoptr(CkSignature) small = make_small ();
  g_autoptr(CkSignature) pressure = make_with_pressure ();
  CkSignature *signatures[] = { small, pressure };

  for (guint s = 0; s < G_N_ELEMENTS (signatures); s++)
    {
      g_autoptr(GBytes) bytes = ck_signature_serialize (signatures[s]);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      for (gsize prefix = 0; prefix < len; prefix++)
        {
          g_autoptr(GError) error = NULL;

          deserialize_error (data, prefix, &error);
          if (!g_error_matches (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TRUNCATED))
            g_test_message ("prefix of %" G_GSIZE_FORMAT " bytes", prefix);
          g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TRUNCATED);
        }
    }
}

/* Every byte replaced by every other value: always an error, and the one
 * the position calls for. */
static void
test_signature_corrupt (void)
{
  g_autoptr(CkSignature) small = make_small ();
  g_autoptr(CkSignature) pressure = make_with_pressure ();
  CkSignature *signatures[] = { small, pressure };
  guint tried = 0;

  for (guint s = 0; s < G_N_ELEMENTS (signatures); s++)
    {
      g_autoptr(GBytes) bytes = ck_signature_serialize (signatures[s]);
      gsize len;
      g_autofree guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &len);

      for (gsize pos = 0; pos < len; pos++)
        {
          guint8 original = data[pos];

          for (guint value = 0; value < 256; value++)
            {
              g_autoptr(GError) error = NULL;

              if (value == original)
                continue;

              data[pos] = value;
              deserialize_error (data, len, &error);
              g_assert_nonnull (error);
              g_assert_true (error->domain == CK_SIGNATURE_ERROR);
              tried++;

              if (pos < 4)
                g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_NOT_SIGNATURE);
              else if (pos == 4)
                g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_UNSUPPORTED_VERSION);
              else if (pos >= 8 && pos < 12)
                g_assert_true (error->code == CK_SIGNATURE_ERROR_TRUNCATED ||
                               error->code == CK_SIGNATURE_ERROR_MALFORMED);
              else
                g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_CHECKSUM);
            }
          data[pos] = original;
        }
    }

  g_test_message ("%u corrupted copies refused", tried);
}

static void
test_signature_wrong_magic (void)
{
  static const char *inputs[] = {
    "CKSH\x01\x00\x00\x00\x1f\x00\x00\x00",
    "%PDF-1.7",
    "X",
    "cksg\x01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    assert_deserialize_fails ((const guint8 *)inputs[i], strlen (inputs[i]),
                              CK_SIGNATURE_ERROR_NOT_SIGNATURE);

  /* A prefix of the magic is a truncated signature, not another thing. */
  assert_deserialize_fails ((const guint8 *)"CK", 2, CK_SIGNATURE_ERROR_TRUNCATED);
  assert_deserialize_fails ((const guint8 *)"", 0, CK_SIGNATURE_ERROR_TRUNCATED);
}

static void
test_signature_versions (void)
{
  static const guint8 body[] = { 0xe8, 0x07, 0xf4, 0x03, 0x00, 0x00 };
  g_autoptr(CkSignature) small = make_small ();
  g_autoptr(GBytes) bytes = ck_signature_serialize (small);
  gsize len = g_bytes_get_size (bytes);
  g_autofree guint8 *extended = g_malloc (len + 3);

  /* Another major version: refused before the checksum is looked at,
   * since a later version may place it elsewhere. */
  for (guint major = 0; major < 256; major++)
    {
      g_autoptr(GBytes) forged = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *number = NULL;

      if (major == CK_SIGNATURE_FORMAT_MAJOR_VERSION)
        continue;
      forged = forge (major, 0, 0, body, sizeof body);
      deserialize_error (g_bytes_get_data (forged, NULL), g_bytes_get_size (forged), &error);
      g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_UNSUPPORTED_VERSION);
      number = g_strdup_printf (" %u,", major);
      g_assert_nonnull (strstr (error->message, number));
    }

  /* A later minor version may add data after the samples; this reader
   * skips it. Version 1.0 has none. */
  memcpy (extended, g_bytes_get_data (bytes, NULL), len - 4);
  memcpy (extended + len - 4, "\x01\x02\x03", 3);
  extended[5] = 1;
  reseal (extended, len + 3);
  {
    g_autoptr(GBytes) later = g_bytes_new (extended, len + 3);
    g_autoptr(GError) error = NULL;
    g_autoptr(CkSignature) copy = ck_signature_deserialize (later, &error);

    g_assert_no_error (error);
    assert_same_samples (small, copy);
  }
  extended[5] = 0;
  reseal (extended, len + 3);
  assert_deserialize_fails (extended, len + 3, CK_SIGNATURE_ERROR_MALFORMED);

  /* An empty signature in a minimal body. */
  {
    g_autoptr(GBytes) forged = forge (1, 0, 0, body, sizeof body);
    g_autoptr(GError) error = NULL;
    g_autoptr(CkSignature) copy = ck_signature_deserialize (forged, &error);
    double width, height;

    g_assert_no_error (error);
    ck_signature_get_size (copy, &width, &height);
    g_assert_cmpfloat (width, ==, 100);
    g_assert_cmpfloat (height, ==, 50);
    g_assert_null (ck_signature_get_samples (copy, NULL));
  }
}

/* Contents no writer produces, with right lengths and checksums. */
static void
test_signature_malformed (void)
{
  static const struct {
    const char *what;
    guint8 flags;
    guint8 body[24];
    gsize len;
    int code;
  } cases[] = {
    /* width 1000, height 500, then counts and samples */
    { "width 0", 0, { 0x00, 0xf4, 0x03, 0x00, 0x00 }, 5, CK_SIGNATURE_ERROR_MALFORMED },
    { "height 100000.1 px", 0, { 0xe8, 0x07, 0xc1, 0x84, 0x3d, 0x00, 0x00 }, 7, CK_SIGNATURE_ERROR_MALFORMED },
    { "200001 samples", 0, { 0xe8, 0x07, 0xf4, 0x03, 0xc1, 0x9a, 0x0c, 0x01 }, 8, CK_SIGNATURE_ERROR_TOO_MANY_SAMPLES },
    { "10001 strokes", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x91, 0x4e }, 7, CK_SIGNATURE_ERROR_TOO_MANY_STROKES },
    { "more samples than bytes", 0, { 0xe8, 0x07, 0xf4, 0x03, 0xe8, 0x07, 0x01, 0x01, 0x00, 0x00 }, 10, CK_SIGNATURE_ERROR_MALFORMED },
    { "more strokes than samples", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x02, 0x01, 0x00, 0x00 }, 9, CK_SIGNATURE_ERROR_MALFORMED },
    { "samples but no stroke", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00 }, 9, CK_SIGNATURE_ERROR_MALFORMED },
    { "first sample starts no stroke", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00 }, 9, CK_SIGNATURE_ERROR_MALFORMED },
    { "more stroke starts than strokes", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x02, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00 }, 12, CK_SIGNATURE_ERROR_MALFORMED },
    { "fewer stroke starts than strokes", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }, 12, CK_SIGNATURE_ERROR_MALFORMED },
    { "non-canonical varint", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x81, 0x00, 0x00, 0x00 }, 10, CK_SIGNATURE_ERROR_MALFORMED },
    { "varint over 64 bits", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00 }, 18, CK_SIGNATURE_ERROR_MALFORMED },
    { "varint runs off the end", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x80 }, 9, CK_SIGNATURE_ERROR_MALFORMED },
    { "x of 200000.1 px", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x85, 0xa4, 0xe8, 0x03, 0x00, 0x00 }, 12, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { "x of -200000.1 px", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x83, 0xa4, 0xe8, 0x03, 0x00, 0x00 }, 12, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { "y delta of 2^63", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00 }, 18, CK_SIGNATURE_ERROR_OUT_OF_RANGE },
    { "negative time", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x01 }, 9, CK_SIGNATURE_ERROR_MALFORMED },
    { "time past 2^32", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x20 }, 13, CK_SIGNATURE_ERROR_MALFORMED },
    { "pressure code 65537", 1, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x00, 0x82, 0x80, 0x08 }, 12, CK_SIGNATURE_ERROR_INVALID_PRESSURE },
    { "negative pressure code", 1, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x00, 0x01 }, 10, CK_SIGNATURE_ERROR_INVALID_PRESSURE },
    { "pressure flag, no pressure", 1, { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00 }, 10, CK_SIGNATURE_ERROR_MALFORMED },
    { "reserved flag", 2, { 0xe8, 0x07, 0xf4, 0x03, 0x00, 0x00 }, 6, CK_SIGNATURE_ERROR_MALFORMED },
    { "data after the samples", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x00, 0x00, 0x00 }, 7, CK_SIGNATURE_ERROR_MALFORMED },
    { "length below the minimum", 0, { 0xe8, 0x07, 0xf4 }, 3, CK_SIGNATURE_ERROR_MALFORMED },
    { "body too short for the counts", 0, { 0xe8, 0x07, 0xf4, 0x03, 0x01 }, 5, CK_SIGNATURE_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) forged = forge (1, 0, cases[i].flags, cases[i].body, cases[i].len);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].what);
      deserialize_error (g_bytes_get_data (forged, NULL), g_bytes_get_size (forged), &error);
      g_assert_error (error, CK_SIGNATURE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* The sane single-sample body those cases bend is accepted. */
  {
    static const guint8 body[] = { 0xe8, 0x07, 0xf4, 0x03, 0x01, 0x01, 0x01, 0x00, 0x00 };
    g_autoptr(GBytes) forged = forge (1, 0, 0, body, sizeof body);
    g_autoptr(GError) error = NULL;
    g_autoptr(CkSignature) signature = ck_signature_deserialize (forged, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ck_signature_get_n_strokes (signature), ==, 1);
  }

  /* The length field: impossible, or disagreeing with the data. */
  {
    g_autoptr(CkSignature) small = make_small ();
    g_autoptr(GBytes) bytes = ck_signature_serialize (small);
    gsize len;
    g_autofree guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &len);
    g_autofree guint8 *longer = g_malloc0 (len + 1);

    memcpy (longer, data, len);
    assert_deserialize_fails (longer, len + 1, CK_SIGNATURE_ERROR_MALFORMED);

    data[8] = 19;
    data[9] = data[10] = data[11] = 0;
    assert_deserialize_fails (data, len, CK_SIGNATURE_ERROR_MALFORMED);
    data[11] = 0x01;  /* 16 MiB and more */
    assert_deserialize_fails (data, len, CK_SIGNATURE_ERROR_MALFORMED);
  }
}

static void
test_signature_acceptance (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (900, 360);
  g_autoptr(GError) error = NULL;
  CkSignatureAcceptance rules;

  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, "Please sign your full name in the box.");
  g_clear_error (&error);

  /* A tap, then a few taps and a wobble within 2 px. */
  ck_signature_begin_stroke (signature);
  add (signature, 400, 200, 1, NAN);
  ck_signature_end_stroke (signature);
  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);
  g_clear_error (&error);
  ck_signature_begin_stroke (signature);
  add (signature, 402, 201, 10, NAN);
  add (signature, 401, 202, 20, NAN);
  ck_signature_end_stroke (signature);
  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);
  g_clear_error (&error);

  /* A dense scribble in a 100 × 25 px corner: plenty of ink, too small
   * (12% of 900 is 108, 8% of 360 is 28.8). */
  ck_signature_clear (signature);
  ck_signature_begin_stroke (signature);
  for (guint i = 0; i < 60; i++)
    add (signature, 10 + (i % 2) * 100, 10 + (i % 26), i * 8, NAN);
  ck_signature_end_stroke (signature);
  g_assert_cmpfloat (ck_signature_get_ink_length (signature), >, 5000);
  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_SMALL);
  g_clear_error (&error);

  /* 30 px taller is no longer small. */
  ck_signature_begin_stroke (signature);
  add (signature, 10, 10, 1000, NAN);
  add (signature, 10, 40, 1010, NAN);
  ck_signature_end_stroke (signature);
  g_assert_true (ck_signature_check_acceptable (signature, NULL));

  /* A single 300 px line: large enough, too little ink (35% of 900 is
   * 315); 20 px more and it passes. */
  ck_signature_clear (signature);
  ck_signature_begin_stroke (signature);
  add (signature, 100, 200, 0, NAN);
  add (signature, 400, 200, 100, NAN);
  ck_signature_end_stroke (signature);
  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_LITTLE_INK);
  g_clear_error (&error);
  ck_signature_begin_stroke (signature);
  add (signature, 300, 210, 200, NAN);
  add (signature, 300, 230, 210, NAN);
  ck_signature_end_stroke (signature);
  g_assert_true (ck_signature_check_acceptable (signature, &error));
  g_assert_no_error (error);

  /* Rules are configurable. */
  ck_signature_acceptance_init_default (&rules);
  g_assert_cmpfloat (rules.dot_size, ==, 2.0);
  g_assert_cmpfloat (rules.min_width_fraction, ==, 0.12);
  g_assert_cmpfloat (rules.min_height_fraction, ==, 0.08);
  g_assert_cmpfloat (rules.min_ink_fraction, ==, 0.35);
  rules.min_ink_fraction = 0.5;
  g_assert_false (ck_signature_check_acceptable_full (signature, &rules, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_LITTLE_INK);
  g_clear_error (&error);

  /* A hand-like signature passes. */
  {
    g_autoptr(CkSignature) hand = make_hand (400, 40);

    g_assert_true (ck_signature_check_acceptable (hand, &error));
    g_assert_no_error (error);
  }
}

/* The messages reach the customer in Chinese. */
static void
test_signature_translated (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (900, 360);
  g_auto(CkTestLocale) saved = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  if (!ck_test_locale_use_chinese (&saved))
    return;

  g_assert_false (ck_signature_check_acceptable (signature, &error));
  g_assert_cmpstr (error->message, ==, "请在框内签写您的全名。");
}

typedef struct
{
  const char *name;
  CkSignature *(*make) (void);
  gboolean minor_1;
} Seed;

static CkSignature *
seed_empty (void)
{
  return ck_signature_new (900, 360);
}

static CkSignature *
seed_dot (void)
{
  CkSignature *signature = ck_signature_new (900, 360);

  ck_signature_begin_stroke (signature);
  add (signature, 450.5, 180.2, 73310, NAN);
  ck_signature_end_stroke (signature);

  return signature;
}

static CkSignature *
seed_hand (void)
{
  return make_hand (160, 40);
}

/* The fuzzer's seeds, from the code that makes them. Set
 * CK_WRITE_SIGNATURE_SEEDS=1 to (re)write them after a format change. */
static void
test_signature_fuzz_seeds (void)
{
  static const Seed seeds[] = {
    { "empty", seed_empty, FALSE },
    { "dot", seed_dot, FALSE },
    { "two-strokes", make_small, FALSE },
    { "pressure", make_with_pressure, FALSE },
    { "hand", seed_hand, FALSE },
    { "minor-1", make_small, TRUE },
  };
  gboolean write = g_getenv ("CK_WRITE_SIGNATURE_SEEDS") != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr(CkSignature) signature = seeds[i].make ();
      g_autoptr(GBytes) bytes = ck_signature_serialize (signature);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                     seeds[i].name, NULL);
      g_autofree char *contents = NULL;
      gsize contents_len;
      g_autoptr(GError) error = NULL;
      gsize len = g_bytes_get_size (bytes);
      g_autofree guint8 *data = g_malloc (len + 2);

      memcpy (data, g_bytes_get_data (bytes, NULL), len);
      if (seeds[i].minor_1)
        {
          memcpy (data + len - 4, "\x2a\x2a", 2);
          data[5] = 1;
          len += 2;
          reseal (data, len);
        }
      g_assert_cmpuint (len, <, 2048);

      if (write)
        {
          g_file_set_contents (path, (const char *)data, len, &error);
          g_assert_no_error (error);
          g_test_message ("wrote %s (%" G_GSIZE_FORMAT " bytes)", path, len);
          continue;
        }

      g_test_message ("%s", path);
      g_file_get_contents (path, &contents, &contents_len, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (contents, contents_len, data, len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/signature/new", test_signature_new);
  g_test_add_func ("/signature/strokes", test_signature_strokes);
  g_test_add_func ("/signature/no-stroke", test_signature_no_stroke);
  g_test_add_func ("/signature/quantisation", test_signature_quantisation);
  g_test_add_func ("/signature/invalid-input", test_signature_invalid_input);
  g_test_add_func ("/signature/limits", test_signature_limits);
  g_test_add_func ("/signature/round-trip", test_signature_round_trip);
  g_test_add_func ("/signature/golden", test_signature_golden);
  g_test_add_func ("/signature/large", test_signature_large);
  g_test_add_func ("/signature/truncated", test_signature_truncated);
  g_test_add_func ("/signature/corrupt", test_signature_corrupt);
  g_test_add_func ("/signature/wrong-magic", test_signature_wrong_magic);
  g_test_add_func ("/signature/versions", test_signature_versions);
  g_test_add_func ("/signature/malformed", test_signature_malformed);
  g_test_add_func ("/signature/acceptance", test_signature_acceptance);
  g_test_add_func ("/signature/translated", test_signature_translated);
  g_test_add_func ("/signature/fuzz-seeds", test_signature_fuzz_seeds);

  return g_test_run ();
}
