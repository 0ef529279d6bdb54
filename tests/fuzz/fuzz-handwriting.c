/* fuzz-handwriting.c: libFuzzer target for handwriting recognition
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Strokes from arbitrary bytes: each 4-byte record is a point (x, y as
 * 16-bit values in a 300 px square pad, reaching well outside it), and a
 * record of 0xFFFF, 0xFFFF ends the stroke. Whatever the strokes, zinnia
 * answers within libFuzzer's time and memory limits (unsimplified, a
 * shaky stroke makes it allocate gigabytes): up to 10 single Han
 * characters, or a CK_HANDWRITING_ERROR with a message. */

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ck.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static CkHandwriting *recognizer;

static void
drop_recognizer (void)
{
  g_clear_object (&recognizer);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(CkSignature) strokes = ck_signature_new (300, 300);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;
  gboolean open = FALSE;

  if (recognizer == NULL)
    {
      recognizer = ck_handwriting_new (NULL, &error);
      g_assert_no_error (error);
      atexit (drop_recognizer);
    }

  for (size_t i = 0; i + 4 <= size; i += 4)
    {
      guint x = data[i] | data[i + 1] << 8;
      guint y = data[i + 2] | data[i + 3] << 8;

      if (x == 0xFFFF && y == 0xFFFF)
        {
          if (open)
            ck_signature_end_stroke (strokes);
          open = FALSE;
          continue;
        }

      if (!open)
        {
          ck_signature_begin_stroke (strokes);
          open = TRUE;
        }
      /* -100 … 1,210 px: samples outside the pad too. */
      if (!ck_signature_add_sample (strokes, x / 50.0 - 100, y / 50.0 - 100, i, NAN, NULL))
        break;
    }
  if (open)
    ck_signature_end_stroke (strokes);

  candidates = ck_handwriting_recognize (recognizer, strokes, 10, &error);
  if (candidates == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CK_HANDWRITING_ERROR);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return 0;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (candidates), <=, 10);
  for (guint i = 0; candidates[i]; i++)
    {
      g_assert_cmpint (g_utf8_strlen (candidates[i], -1), ==, 1);
      g_assert_true (ck_name_is_han (g_utf8_get_char (candidates[i])));
    }

  return 0;
}
