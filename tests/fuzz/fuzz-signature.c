/* fuzz-signature.c: libFuzzer target for the signature deserializer
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Any input either fails with a CK_SIGNATURE_ERROR carrying a message, or
 * yields a signature within the limits whose serialization deserializes
 * to the same samples; for version 1.0 input (no extension data) the
 * serialization is the input itself, byte for byte. Its segments are all
 * finite.
 *
 * A mutated input almost never has a right CRC-32, so each input is also
 * tried "resealed": its length field and checksum rewritten to fit, which
 * lets the fuzzer reach the body parser. The seeds in corpus/signature are
 * written by test-signature (CK_WRITE_SIGNATURE_SEEDS=1). */

#include "config.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "ck.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

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
  if (na > 0)
    g_assert_cmpmem (sa, na * sizeof *sa, sb, nb * sizeof *sb);
}

static void
check (const guint8 *data,
       size_t        size)
{
  g_autoptr(GBytes) input = g_bytes_new (data, size);
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(CkSignature) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  const CkSignatureSample *samples;
  double width, height;
  guint n;

  signature = ck_signature_deserialize (input, &error);
  if (signature == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CK_SIGNATURE_ERROR);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return;
    }

  g_assert_no_error (error);
  ck_signature_get_size (signature, &width, &height);
  g_assert_cmpfloat (width, >, 0);
  g_assert_cmpfloat (width, <=, CK_SIGNATURE_MAX_SIZE);
  g_assert_cmpfloat (height, >, 0);
  g_assert_cmpfloat (height, <=, CK_SIGNATURE_MAX_SIZE);
  g_assert_cmpuint (ck_signature_get_n_strokes (signature), <=, CK_SIGNATURE_MAX_STROKES);

  samples = ck_signature_get_samples (signature, &n);
  g_assert_cmpuint (n, <=, CK_SIGNATURE_MAX_SAMPLES);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (fabsf (samples[i].x) <= CK_SIGNATURE_MAX_COORDINATE);
      g_assert_true (fabsf (samples[i].y) <= CK_SIGNATURE_MAX_COORDINATE);
      g_assert_true (isnan (samples[i].pressure) ||
                     (samples[i].pressure >= 0 && samples[i].pressure <= 1));
      g_assert_cmpuint (samples[i].stroke, <, ck_signature_get_n_strokes (signature));
      if (i > 0)
        g_assert_true (samples[i].stroke == samples[i - 1].stroke ||
                       samples[i].stroke == samples[i - 1].stroke + 1);
    }

  bytes = ck_signature_serialize (signature);
  again = ck_signature_deserialize (bytes, &error);
  g_assert_no_error (error);
  assert_same_samples (signature, again);

  if (data[5] == CK_SIGNATURE_FORMAT_MINOR_VERSION)
    g_assert_true (g_bytes_equal (bytes, input));

  segments = ck_signature_build_segments (signature, NULL);
  g_assert_cmpuint (segments->len, <=, n);
  for (guint i = 0; i < segments->len; i++)
    {
      const CkStrokeSegment *s = &g_array_index (segments, CkStrokeSegment, i);

      g_assert_true (isfinite (s->x0) && isfinite (s->y0) && isfinite (s->x1) && isfinite (s->y1));
      g_assert_true (isfinite (s->x2) && isfinite (s->y2) && isfinite (s->x3) && isfinite (s->y3));
      g_assert_true (isfinite (s->start_width) && isfinite (s->end_width));
    }

  ck_signature_check_acceptable (signature, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree guint8 *sealed = NULL;
  guint32 crc;

  check (data, size);

  if (size < 16 || size > 16 * 1024 * 1024)
    return 0;

  sealed = g_memdup2 (data, size);
  sealed[8] = size & 0xff;
  sealed[9] = (size >> 8) & 0xff;
  sealed[10] = (size >> 16) & 0xff;
  sealed[11] = (size >> 24) & 0xff;
  crc = crc32 (0, sealed, size - 4);
  sealed[size - 4] = crc & 0xff;
  sealed[size - 3] = (crc >> 8) & 0xff;
  sealed[size - 2] = (crc >> 16) & 0xff;
  sealed[size - 1] = (crc >> 24) & 0xff;
  check (sealed, size);

  return 0;
}
