/* train-handwriting.c: a zinnia model from Make Me a Hanzi's medians
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Trains a handwriting model (CkHandwritingTrainer) from a medians file
 * (data/handwriting format): each character as drawn on the kiosk's pad
 * and --variants times with a hand's random variations (--seed; the
 * measurements use other seeds). scripts/make-handwriting-model makes the
 * medians of GB2312's 3,755 level-1 characters and the surnames from the
 * npm package and runs this; docs/NAME-INPUT.md has what it gives. */

#include "config.h"

#include <locale.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ck.h"
#include "ck-test-hanzi.h"

int
main (int   argc,
      char *argv[])
{
  g_autofree char *medians = NULL;
  g_autofree char *output = NULL;
  int variants = 2, seed = 1;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "medians", 0, 0, G_OPTION_ARG_FILENAME, &medians, "Characters to learn (data/handwriting format)", "FILE" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "The model to write", "FILE" },
    { "variants", 0, 0, G_OPTION_ARG_INT, &variants, "Varied samples a character besides the drawn one (default 2)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "The variations' random seed (default 1)", "N" },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &quiet, "Without zinnia's progress on standard output (the build)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— train a handwriting model");
  g_autoptr(GError) error = NULL;
  g_autoptr(CkHandwritingTrainer) trainer = NULL;
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GRand) rand = NULL;
  gint64 start;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || medians == NULL || output == NULL ||
      variants < 0)
    {
      g_printerr ("%s\n", error ? error->message : "--medians and --output are needed");
      return 2;
    }
  ck_init ();

  set = ck_test_hanzi_load (medians, &error);
  if (set == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  trainer = ck_handwriting_trainer_new ();
  rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < set->len; i++)
    {
      const CkTestHanzi *hanzi = set->pdata[i];

      for (int v = 0; v <= variants; v++)
        {
          g_autoptr(CkSignature) strokes = ck_test_hanzi_draw (hanzi, CK_TEST_HANZI_PAD, 3, v == 0 ? NULL : rand);

          ck_handwriting_trainer_add (trainer, hanzi->character, strokes);
        }
    }

  /* zinnia's trainer prints a line a character on standard output. */
  if (quiet)
    {
      int null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

      if (null_fd >= 0)
        {
          fflush (stdout);
          dup2 (null_fd, STDOUT_FILENO);
          close (null_fd);
        }
    }

  if (!ck_handwriting_trainer_train (trainer, output, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!quiet)
    g_printerr ("%s: %u characters, %d samples each, %.0f s\n", output, set->len, variants + 1,
                (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);

  return 0;
}
