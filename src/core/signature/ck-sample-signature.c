/* ck-sample-signature.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A made-up, deterministic signature: three cursive strokes sampled as a
 * pen would be at 100 Hz, for previews (consentctl render without
 * --signature) and benchmarks. Never used for a real consent. */

#define G_LOG_DOMAIN "ck-sample-signature"

#include "config.h"

#include <math.h>

#include "ck-sample-signature.h"

#define PAD_WIDTH  600.0
#define PAD_HEIGHT 240.0

/**
 * ck_sample_signature_new:
 * @n_samples: how many samples in all (at least 3)
 *
 * Returns: (transfer full): a signature of @n_samples samples in three
 *   strokes on a 600×240 pad
 */
CkSignature *
ck_sample_signature_new (guint n_samples)
{
  CkSignature *self = ck_signature_new (PAD_WIDTH, PAD_HEIGHT);
  guint32 t = 0;

  n_samples = MAX (n_samples, 3);

  for (guint stroke = 0; stroke < 3; stroke++)
    {
      guint n = n_samples / 3 + (stroke < n_samples % 3 ? 1 : 0);
      double x0 = 60 + stroke * 170;

      ck_signature_begin_stroke (self);
      for (guint i = 0; i < n; i++)
        {
          double s = (double)i / MAX (n - 1, 1);
          /* A loop-and-tail stroke: a Lissajous-like curve drifting right. */
          double x = x0 + 150 * s + 28 * sin (2 * G_PI * (2 + stroke) * s);
          double y = 120 + 70 * sin (2 * G_PI * (1.5 + 0.5 * stroke) * s + stroke)
                         * (1 - 0.4 * s);

          ck_signature_add_sample (self, x, y, t, NAN, NULL);
          t += 10 + (i % 3);
        }
      ck_signature_end_stroke (self);
      t += 180;
    }

  return self;
}
