/* bench-card-read.c: from a card found to its fields in hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The simulated reader of tests/ck-test-card-sim.h on a pseudo-terminal,
 * answering at --baud (10 bits a byte, as 8N1 on the wire; the answer to
 * the read is 1,295 bytes: text, photo and frame), and a polling
 * CkCardReader as the kiosk runs it. For each of --reads cards: the card
 * is placed, and the time from the simulator's answer "card found" (9F)
 * to ::card-read is taken (select, then read, then decoding); then the
 * card is taken away and the reader sees it gone. Median and p95 (and a
 * JSON line for tools, bench_report ()), then the wire's own share.
 *
 *   bench-card-read [--reads N] [--baud B] [--interval MS]
 */

#include "config.h"

#include "bench-util.h"
#include "ck.h"
#include "ck-test-card-sim.h"

typedef struct
{
  guint n;
  gint64 at;
} Reads;

static void
on_card_read (CkCardReader *reader,
              CkIdCard     *card,
              Reads        *reads)
{
  reads->at = g_get_monotonic_time ();
  reads->n++;
}

static void
wait_finds (CkTestCardSim *sim,
            guint          n)
{
  guint target = ck_test_card_sim_count_requests (sim, 0x20, 0x01) + n;

  while (ck_test_card_sim_count_requests (sim, 0x20, 0x01) < target)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkTestCardSim) sim = NULL;
  g_autoptr(CkCardReader) reader = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *label = NULL;
  int n_reads = 50, baud = 115200, interval = 20;
  Reads reads = { 0, 0 };
  double wire;
  const GOptionEntry entries[] = {
    { "reads", 0, 0, G_OPTION_ARG_INT, &n_reads, "Cards read (50)", "N" },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud, "The line's speed (115200)", "B" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "The poll's interval (20 ms)", "MS" },
    { NULL }
  };

  context = g_option_context_new ("— time from a card found to its fields read");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_reads < 1 ||
      !ck_card_reader_is_supported_baud (baud) || interval < 1)
    {
      g_printerr ("bench-card-read: %s\n", error ? error->message : "bad --reads, --baud or --interval");
      return 2;
    }
  ck_init ();

  sim = ck_test_card_sim_new ();
  ck_test_card_sim_set_baud (sim, baud);
  reader = ck_card_reader_new (ck_test_card_sim_get_path (sim), baud);
  g_signal_connect (reader, "card-read", G_CALLBACK (on_card_read), &reads);
  ck_card_reader_start (reader, interval);
  wait_finds (sim, 1);

  for (int i = 0; i < n_reads; i++)
    {
      guint before = reads.n;

      ck_test_card_sim_place (sim, CK_TEST_CARD_NORMAL);
      while (reads.n == before)
        {
          g_main_context_iteration (NULL, TRUE);
          if (ck_card_reader_get_state (reader) == CK_CARD_READER_STATE_FAILED)
            g_error ("bench-card-read: after %u reads: %s", reads.n,
                     ck_card_reader_get_last_error (reader));
        }
      {
        double t = (reads.at - ck_test_card_sim_get_found_time (sim)) / 1000.0;

        g_array_append_val (ms, t);
      }
      ck_test_card_sim_remove (sim);
      /* the first find after taking it away says 80: the next card is new */
      wait_finds (sim, 2);
    }
  ck_card_reader_stop (reader);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* what the simulator paces from the moment it is timed: the answers to
   * find and select (11 bytes each) and the read's (1,295) */
  wire = (11 + 11 + 1295) * 10 * 1000.0 / baud;
  label = g_strdup_printf ("card-read.%d-baud", baud);
  bench_report (label, ms, 95);
  g_print ("%-28s %8d runs   %.3f ms of bytes on the wire alone\n", label, n_reads, wire);
  g_print ("{\"bench\":\"%s.wire\",\"wire_ms\":%.3f}\n", label, wire);

  return 0;
}
