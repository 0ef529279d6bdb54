/* card-sim.c: a simulated ID card reader on a pseudo-terminal, by hand
 *
 *   _build/dev/tests/card-sim [--card KIND] [--no-card] [--baud N] [--fault FAULT]
 *
 * prints the device's path, then serves it until standard input closes
 * (Ctrl-D) or reads "q"; a line "r" takes the card away, "p" puts it back.
 * Point consentctl card-read --device PATH, or [card_reader] device, at
 * the path. The cards are synthetic (tests/ck-test-card-sim.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "ck-test-card-sim.h"

/* --fault NAME, as CkTestCardFault */
static const char * const faults[] = {
  [CK_TEST_CARD_FAULT_NONE] = "none",
  [CK_TEST_CARD_FAULT_BAD_CHECKSUM] = "bad-checksum",
  [CK_TEST_CARD_FAULT_GARBAGE] = "garbage",
  [CK_TEST_CARD_FAULT_SPLIT] = "split",
  [CK_TEST_CARD_FAULT_NO_ANSWER] = "no-answer",
  [CK_TEST_CARD_FAULT_CLOSE_MID_READ] = "close-mid-read",
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkTestCardSim) sim = NULL;
  g_autofree char *card = NULL;
  g_autofree char *fault = NULL;
  gboolean no_card = FALSE, removed;
  CkTestCardFault chosen = CK_TEST_CARD_FAULT_NONE;
  int baud = 0;
  CkTestCardKind kind = CK_TEST_CARD_NORMAL;
  char line[64];
  const GOptionEntry entries[] = {
    { "card", 0, 0, G_OPTION_ARG_STRING, &card,
      "normal, rare-name, long-term, expired, bad-check or birth-mismatch", "KIND" },
    { "no-card", 0, 0, G_OPTION_ARG_NONE, &no_card, "Start with no card on the reader", NULL },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud, "Answer at this speed (default: at once)", "N" },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault,
      "bad-checksum, garbage, split, no-answer, close-mid-read or removed (SW3 41 to the read)", "FAULT" },
    { NULL }
  };

  context = g_option_context_new ("— a simulated ID card reader on a pseudo-terminal");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (card && !ck_test_card_kind_from_string (card, &kind)) || baud < 0)
    {
      g_printerr ("card-sim: %s\n", error ? error->message : "unknown --card or --baud");
      return 2;
    }


  removed = g_strcmp0 (fault, "removed") == 0;
  for (guint i = 0; fault && !removed && i < G_N_ELEMENTS (faults); i++)
    if (g_str_equal (fault, faults[i]))
      chosen = i;
  if (fault && !removed && chosen == CK_TEST_CARD_FAULT_NONE && !g_str_equal (fault, "none"))
    {
      g_printerr ("card-sim: unknown --fault %s\n", fault);
      return 2;
    }

  sim = ck_test_card_sim_new ();
  ck_test_card_sim_set_fault (sim, chosen);
  if (removed)
    ck_test_card_sim_set_status (sim, 0x30, 0x01, 0x41);
  ck_test_card_sim_set_baud (sim, baud);
  if (!no_card)
    ck_test_card_sim_place (sim, kind);

  g_print ("%s\n", ck_test_card_sim_get_path (sim));
  g_printerr ("card-sim: a %s card %s; r: take it away, p: put it back, q: quit\n",
              ck_test_card_kind_to_string (kind), no_card ? "ready" : "on the reader");
  fflush (stdout);

  while (fgets (line, sizeof line, stdin))
    {
      if (line[0] == 'q')
        break;
      if (line[0] == 'r')
        ck_test_card_sim_remove (sim);
      else if (line[0] == 'p')
        ck_test_card_sim_place (sim, kind);
    }

  return 0;
}
