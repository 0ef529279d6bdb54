/* ck-test-hanzi.c: real stroke-order data for measuring the handwriting
 * recognizer
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The medians of data/handwriting come from the npm package
 * hanzi-writer-data (Make Me a Hanzi): for each stroke, the line down its
 * middle, in the order the strokes are taught (GB 13000.1 stroke order).
 * ck_test_hanzi_draw() turns one into what the kiosk's pad would capture:
 * scaled to the pad, a sample every @step px along the pen's path, and,
 * given a GRand, with the variations of a real hand (the whole character
 * a little larger or smaller, wider or narrower, slanted, off centre; each
 * stroke a little displaced; each key point a little off). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ck-test-hanzi.h"

static void
hanzi_free (gpointer data)
{
  CkTestHanzi *hanzi = data;

  g_free (hanzi->character);
  g_ptr_array_unref (hanzi->strokes);
  g_free (hanzi);
}

/**
 * ck_test_hanzi_load:
 * @path: a medians file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CkTestHanzi): the characters in
 *   the file's order, or %NULL with @error set
 */
GPtrArray *
ck_test_hanzi_load (const char  *path,
                    GError     **error)
{
  g_autoptr(GPtrArray) set = g_ptr_array_new_with_free_func (hanzi_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) strokes = NULL;
      CkTestHanzi *hanzi;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      fields = g_strsplit (lines[i], "\t", 2);
      if (g_strv_length (fields) != 2 || g_utf8_strlen (fields[0], -1) != 1)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: not “character<TAB>strokes”",
                       path, i + 1);
          return NULL;
        }

      hanzi = g_new0 (CkTestHanzi, 1);
      hanzi->character = g_strdup (fields[0]);
      hanzi->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
      g_ptr_array_add (set, hanzi);

      strokes = g_strsplit (fields[1], ";", -1);
      for (guint k = 0; strokes[k]; k++)
        {
          g_auto(GStrv) points = g_strsplit (strokes[k], " ", -1);
          GArray *stroke = g_array_new (FALSE, FALSE, sizeof (CkTestHanziPoint));

          g_ptr_array_add (hanzi->strokes, stroke);
          for (guint p = 0; points[p]; p++)
            {
              CkTestHanziPoint point;
              char *end;

              if (points[p][0] == '\0')
                continue;
              point.x = g_ascii_strtod (points[p], &end);
              if (*end == ',')
                point.y = g_ascii_strtod (end + 1, &end);
              if (*end != '\0')
                {
                  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: bad point “%s”",
                               path, i + 1, points[p]);
                  return NULL;
                }
              /* Make Me a Hanzi's y grows upwards from the baseline
               * (-124) to the top (900). */
              point.y = 900 - point.y;
              g_array_append_val (stroke, point);
            }
          if (stroke->len == 0)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: an empty stroke",
                           path, i + 1);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&set);
}

static double
wobble (GRand  *rand,
        double  amount)
{
  return rand ? g_rand_double_range (rand, -amount, amount) : 0;
}

/**
 * ck_test_hanzi_draw:
 * @hanzi: a character
 * @size: the pad's side, px
 * @step: px between samples along the pen's path (0: the key points only)
 * @rand: (nullable): the variations of a hand, or %NULL for the medians
 *   as they are
 *
 * Returns: (transfer full): @hanzi as a pad of @size px would capture it
 */
CkSignature *
ck_test_hanzi_draw (const CkTestHanzi *hanzi,
                    double             size,
                    double             step,
                    GRand             *rand)
{
  CkSignature *signature = ck_signature_new (size, size);
  double scale_x = 1 + wobble (rand, 0.10), scale_y = 1 + wobble (rand, 0.10);
  double angle = wobble (rand, 0.07), shear = wobble (rand, 0.10);
  double shift_x = wobble (rand, 40), shift_y = wobble (rand, 40);
  guint32 time_ms = 0;

  for (guint k = 0; k < hanzi->strokes->len; k++)
    {
      GArray *stroke = hanzi->strokes->pdata[k];
      double stroke_x = wobble (rand, 12), stroke_y = wobble (rand, 12);
      double last_x = 0, last_y = 0;

      ck_signature_begin_stroke (signature);
      for (guint i = 0; i < stroke->len; i++)
        {
          CkTestHanziPoint *p = &g_array_index (stroke, CkTestHanziPoint, i);
          /* Around the glyph box's centre. */
          double x = p->x - 512 + wobble (rand, 10), y = p->y - 512 + wobble (rand, 10);
          double tx = scale_x * (x * cos (angle) - y * sin (angle)) + shear * y;
          double ty = scale_y * (x * sin (angle) + y * cos (angle));

          tx = CLAMP ((tx + 512 + shift_x + stroke_x) * size / 1024, 0, size);
          ty = CLAMP ((ty + 512 + shift_y + stroke_y) * size / 1024, 0, size);

          if (i > 0 && step > 0)
            {
              guint n = MAX (1, (guint)ceil (hypot (tx - last_x, ty - last_y) / step));

              for (guint m = 1; m < n; m++)
                g_assert_true (ck_signature_add_sample (signature,
                                                        last_x + (tx - last_x) * m / n,
                                                        last_y + (ty - last_y) * m / n,
                                                        time_ms += 8, NAN, NULL));
            }
          g_assert_true (ck_signature_add_sample (signature, tx, ty, time_ms += 8, NAN, NULL));
          last_x = tx;
          last_y = ty;
        }
      ck_signature_end_stroke (signature);
    }

  return signature;
}

/**
 * ck_test_hanzi_rank:
 * @recognizer: a recognizer
 * @hanzi: a character
 * @size: the pad's side, px
 * @step: as for ck_test_hanzi_draw()
 * @rand: (nullable): as for ck_test_hanzi_draw()
 * @candidates: (out) (optional) (transfer full): the first 20 candidates
 *
 * Returns: where @hanzi came among the first 20 candidates (from 1), or 0
 */
guint
ck_test_hanzi_rank (CkHandwriting      *recognizer,
                    const CkTestHanzi  *hanzi,
                    double              size,
                    double              step,
                    GRand              *rand,
                    char             ***candidates)
{
  g_autoptr(CkSignature) signature = ck_test_hanzi_draw (hanzi, size, step, rand);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) found = NULL;
  guint rank = 0;

  found = ck_handwriting_recognize (recognizer, signature, 20, &error);
  g_assert_no_error (error);
  for (guint i = 0; found[i] && rank == 0; i++)
    if (g_str_equal (found[i], hanzi->character))
      rank = i + 1;

  if (candidates)
    *candidates = g_steal_pointer (&found);

  return rank;
}

/**
 * ck_test_hanzi_measure:
 * @recognizer: a recognizer
 * @set: (element-type CkTestHanzi): the characters
 * @step: as for ck_test_hanzi_draw()
 * @rand: (nullable): as for ck_test_hanzi_draw()
 * @score: (out caller-allocates): how they ranked (added to)
 * @misses: (nullable): gets "张:12 " for each not first (0: not in the
 *   first 20)
 *
 * Writes each character of @set on the kiosk's pad and ranks it.
 */
void
ck_test_hanzi_measure (CkHandwriting    *recognizer,
                       GPtrArray        *set,
                       double            step,
                       GRand            *rand,
                       CkTestHanziScore *score,
                       GString          *misses)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < set->len; i++)
    {
      const CkTestHanzi *hanzi = set->pdata[i];
      guint rank = ck_test_hanzi_rank (recognizer, hanzi, CK_TEST_HANZI_PAD, step, rand, NULL);

      score->n++;
      for (guint k = 0; k < G_N_ELEMENTS (score->top); k++)
        if (rank >= 1 && rank <= k + 1)
          score->top[k]++;
      if (misses && rank != 1)
        g_string_append_printf (misses, "%s:%u ", hanzi->character, rank);
    }

  score->seconds += (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}
