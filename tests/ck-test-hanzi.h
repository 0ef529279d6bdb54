/* ck-test-hanzi.h: real stroke-order data (Make Me a Hanzi medians) for
 * measuring the handwriting recognizer
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ck.h"

G_BEGIN_DECLS

/* One character of a medians file (data/handwriting/README.md): its
 * strokes in writing order, each a GArray of CkTestHanziPoint in the
 * 1024-unit glyph box, y growing downwards (as on a pad). */
typedef struct
{
  double x;
  double y;
} CkTestHanziPoint;

typedef struct
{
  char *character;
  GPtrArray *strokes;
} CkTestHanzi;

/* How a set of characters ranked: @n characters, @top[k] of them among
 * the first k + 1 candidates (k < 8). */
typedef struct
{
  guint n;
  guint top[8];
  double seconds;
} CkTestHanziScore;

/* The pad the kiosk writes on (ui/ck-handwriting-pad.ui), px. */
#define CK_TEST_HANZI_PAD 360.0

GPtrArray   *ck_test_hanzi_load    (const char         *path,
                                    GError            **error);
CkSignature *ck_test_hanzi_draw    (const CkTestHanzi  *hanzi,
                                    double              size,
                                    double              step,
                                    GRand              *rand);
guint        ck_test_hanzi_rank    (CkHandwriting      *recognizer,
                                    const CkTestHanzi  *hanzi,
                                    double              size,
                                    double              step,
                                    GRand              *rand,
                                    char             ***candidates);
void         ck_test_hanzi_measure (CkHandwriting      *recognizer,
                                    GPtrArray          *set,
                                    double              step,
                                    GRand              *rand,
                                    CkTestHanziScore   *score,
                                    GString            *misses);

G_END_DECLS
