/* bench-handwriting.c: how well handwriting finds the commonest surnames
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes each character of a medians file (tests/data/hanzi: real stroke
 * order from Make Me a Hanzi, by default the 100 commonest surnames) on
 * the kiosk's 360 px pad, a sample every --step px, and ranks it with
 * CkHandwriting and a zinnia model (--model, by default the build's):
 * once as drawn, then --rounds times with the random variations of a hand
 * (ck_test_hanzi_draw(); --seed). Reports the top-1, top-5 and top-8
 * (the first page of candidates) rates, the characters not first, where
 * 张 in school stroke order ranks, and the time a character takes. */

#include "config.h"

#include <locale.h>
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

int
main (int   argc,
      char *argv[])
{
  g_autofree char *medians = g_strdup (CK_BENCH_SURNAMES);
  g_autofree char *model = NULL;
  int rounds = 10, seed = 17;
  double step = 3;
  GOptionEntry entries[] = {
    { "medians", 0, 0, G_OPTION_ARG_FILENAME, &medians, "Characters to write (tests/data/hanzi format)", "FILE" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "The zinnia model (default: the build's)", "FILE" },
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

  recognizer = ck_handwriting_new (model, &error);
  if (recognizer == NULL)
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

  g_print ("model %s\ncharacters %s (%u), on a %g px pad, a sample every %g px\n",
           model ? model : ck_handwriting_get_default_model (), medians, set->len,
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

  return 0;
}
