/* bench-handwriting.c: how well handwriting finds the commonest surnames
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes each character of a medians file (data/handwriting: real stroke
 * order from Make Me a Hanzi, by default the 100 commonest surnames) on
 * the kiosk's 360 px pad, a sample every --step px, and ranks it with
 * CkHandwriting and a zinnia model (--model, by default the build's):
 * once as drawn, then --rounds times with the random variations of a hand
 * (ck_test_hanzi_draw(); --seed). Reports the top-1, top-5 and top-8
 * (the first page of candidates) rates, the characters not first, where
 * 张 in school stroke order ranks, and the time a character takes. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "ck.h"
#include "ck-test-hanzi.h"

static void
report (const char             *label,
        const CkTestHanziScore *score)
{
  g_print ("%-10s %5u characters   top-1 %5.1f %%   top-5 %5.1f %%   top-8 %5.1f %%   %6.1f ms/character\n",
           label, score->n, 100.0 * score->top[0] / score->n, 100.0 * score->top[4] / score->n,
           100.0 * score->top[7] / score->n, 1000.0 * score->seconds / score->n);
  g_print ("{\"bench\":\"handwriting.%s\",\"characters\":%u,\"top1\":%.3f,\"top5\":%.3f,\"top8\":%.3f,\"ms\":%.2f}\n",
           label, score->n, (double)score->top[0] / score->n, (double)score->top[4] / score->n,
           (double)score->top[7] / score->n, 1000.0 * score->seconds / score->n);
}

/* A fixture of tests/data/strokes (another hand: the input-method
 * prototype's author's), drawn on the pad a sample every @step px. */
static CkSignature *
load_fixture (const char  *name,
              double       step,
              char       **intended)
{
  g_autofree char *path = g_build_filename (CK_BENCH_STROKES, name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  CkSignature *signature = ck_signature_new (CK_TEST_HANZI_PAD, CK_TEST_HANZI_PAD);
  double scale = CK_TEST_HANZI_PAD / 1000;
  guint32 time_ms = 0;

  *intended = NULL;
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return signature;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;
      double last_x = 0, last_y = 0;

      g_strstrip (lines[i]);
      if (lines[i][0] == '#' && *intended == NULL)
        {
          words = g_strsplit_set (lines[i] + 1, " \t", -1);
          for (guint w = 0; words[w] && *intended == NULL; w++)
            if (words[w][0] != '\0')
              *intended = g_strdup (words[w]);
        }
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      words = g_strsplit (lines[i], " ", -1);
      ck_signature_begin_stroke (signature);
      for (guint w = 0; words[w]; w++)
        {
          char *end;
          double x = g_ascii_strtod (words[w], &end) * scale;
          double y = g_ascii_strtod (end + 1, NULL) * scale;
          guint n = w > 0 ? MAX (1, (guint)ceil (hypot (x - last_x, y - last_y) / step)) : 1;

          for (guint m = 1; m <= n; m++)
            ck_signature_add_sample (signature, w > 0 ? last_x + (x - last_x) * m / n : x,
                                     w > 0 ? last_y + (y - last_y) * m / n : y, time_ms += 8, NAN, NULL);
          last_x = x;
          last_y = y;
        }
      ck_signature_end_stroke (signature);
    }

  return signature;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *medians = g_strdup (CK_BENCH_SURNAMES);
  g_autofree char *model = NULL;
  g_autofree char *supplement = NULL;
  gboolean no_supplement = FALSE;
  double min_score = CK_HANDWRITING_SUPPLEMENT_MIN_SCORE;
  int rounds = 10, seed = 17;
  double step = 3;
  GOptionEntry entries[] = {
    { "medians", 0, 0, G_OPTION_ARG_FILENAME, &medians, "Characters to write (data/handwriting format)", "FILE" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "The zinnia model (default: the build's)", "FILE" },
    { "supplement", 0, 0, G_OPTION_ARG_FILENAME, &supplement, "The surname supplement (default: the build's)", "FILE" },
    { "no-supplement", 0, 0, G_OPTION_ARG_NONE, &no_supplement, "The model alone", NULL },
    { "min-score", 0, 0, G_OPTION_ARG_DOUBLE, &min_score, "How sure the supplement must be (default 0.5)", "SCORE" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of varied writing (default 10)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "The variations' random seed (default 17)", "N" },
    { "step", 0, 0, G_OPTION_ARG_DOUBLE, &step, "px between samples (default 3)", "PX" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— handwriting recognition rates");
  g_autoptr(GError) error = NULL;
  g_autoptr(CkHandwriting) recognizer = NULL;
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GString) misses = g_string_new (NULL);
  g_auto(GStrv) candidates = NULL;
  CkTestHanziScore drawn = { 0 }, varied = { 0 };

  /* Characters as characters, not "?". */
  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || rounds < 0 || step < 0)
    {
      g_printerr ("%s\n", error ? error->message : "bad --rounds or --step");
      return 2;
    }
  ck_init ();

  if (supplement == NULL && !no_supplement)
    supplement = g_strdup (CK_BENCH_SUPPLEMENT);
  recognizer = ck_handwriting_new (model, &error);
  if (recognizer == NULL || !ck_handwriting_set_supplement (recognizer, supplement, min_score, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  set = ck_test_hanzi_load (medians, &error);
  if (set == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("model %s\nsupplement %s (heard from %g)\ncharacters %s (%u), on a %g px pad, a sample every %g px\n",
           model ? model : ck_handwriting_get_default_model (), supplement ? supplement : "none", min_score,
           medians, set->len,
           CK_TEST_HANZI_PAD, step);

  ck_test_hanzi_measure (recognizer, set, step, NULL, &drawn, misses);
  report ("drawn", &drawn);
  g_print ("not first (character:rank, 0 = not in the first 20): %s\n", misses->str);

  rand = g_rand_new_with_seed (seed);
  for (int r = 0; r < rounds; r++)
    ck_test_hanzi_measure (recognizer, set, step, rand, &varied, NULL);
  if (varied.n > 0)
    report ("varied", &varied);

  for (guint i = 0; i < set->len; i++)
    {
      const CkTestHanzi *hanzi = set->pdata[i];

      if (g_str_equal (hanzi->character, "张"))
        {
          guint rank = ck_test_hanzi_rank (recognizer, hanzi, CK_TEST_HANZI_PAD, step, NULL, &candidates);
          g_autofree char *joined = g_strjoinv (" ", candidates);

          g_print ("张 in school stroke order: rank %u (%s)\n", rank, joined);
        }
    }

  /* The tests' hand-drawn fixtures: not Make Me a Hanzi's hand. */
  for (guint i = 0; i < 4; i++)
    {
      static const char * const names[] = { "shi.strokes", "san.strokes", "zhang.strokes", "zhang-gb-order.strokes" };
      g_autofree char *intended = NULL;
      g_autoptr(CkSignature) strokes = load_fixture (names[i], step, &intended);
      g_auto(GStrv) found = NULL;
      g_autofree char *joined = NULL;
      guint rank = 0;

      if (intended == NULL)
        continue;
      found = ck_handwriting_recognize (recognizer, strokes, 20, NULL);
      for (guint k = 0; found && found[k] && rank == 0; k++)
        if (g_str_equal (found[k], intended))
          rank = k + 1;
      joined = found ? g_strjoinv (" ", found) : g_strdup ("");
      g_print ("fixture %-24s %s rank %u (%s)\n", names[i], intended, rank, joined);
    }

  return 0;
}
