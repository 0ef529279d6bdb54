/* bench-identity.c: how fast ID numbers and names are validated
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures ck_idcard_parse_on() and ck_name_normalize() on generated
 * input: valid 18-character numbers, full-width spaced ones, numbers with a
 * wrong check character, and names with rare characters. Each case runs
 * ROUNDS rounds of N calls; the median and 99th percentile of the per-call
 * time across rounds are printed, with one JSON line per case for tools.
 * Then the staff PIN's check (ck_pin_verify()) at the iteration count a
 * new hash gets: PIN_ROUNDS single calls, median and slowest, in ms.
 *
 *   bench-identity [--calls N] [--rounds R] [--pin-rounds P]
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ck.h"

typedef void (*BenchFunc) (const char *input);

static GDate today;
static volatile gsize sink;

static void
run_idcard (const char *input)
{
  g_autoptr(CkIdcard) idcard = ck_idcard_parse_on (input, &today, NULL);

  sink += idcard != NULL;
}

static void
run_name (const char *input)
{
  g_autofree char *name = ck_name_normalize (input, CK_NAME_FLAGS_NONE, NULL);

  sink += name != NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static void
bench (const char  *label,
       BenchFunc    func,
       GPtrArray   *inputs,
       guint        rounds)
{
  g_autofree double *per_call = g_new (double, rounds);
  double median, p99;

  for (guint r = 0; r < rounds; r++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < inputs->len; i++)
        func (inputs->pdata[i]);

      per_call[r] = (double)(g_get_monotonic_time () - start) * 1000.0 / inputs->len;
    }

  qsort (per_call, rounds, sizeof (double), compare_doubles);
  median = per_call[rounds / 2];
  p99 = per_call[MIN (rounds - 1, (guint)(rounds * 0.99))];

  g_print ("%-28s %8u calls x %3u rounds   median %8.1f ns/call   p99 %8.1f ns/call\n",
           label, inputs->len, rounds, median, p99);
  g_print ("{\"bench\":\"%s\",\"calls\":%u,\"rounds\":%u,\"median_ns\":%.1f,\"p99_ns\":%.1f}\n",
           label, inputs->len, rounds, median, p99);
}

/* The staff PIN's check: what a staff member waits for after Enter, and
 * what one guess costs whoever has the hash. */
static void
bench_pin (guint rounds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ck_pin_hash ("246810", 0, &error);
  g_autofree double *ms = g_new (double, rounds);

  g_assert_no_error (error);
  for (guint r = 0; r < rounds; r++)
    {
      gint64 start = g_get_monotonic_time ();

      sink += ck_pin_verify (hash, r % 2 ? "246810" : "135791");
      ms[r] = (double)(g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (ms, rounds, sizeof (double), compare_doubles);
  g_print ("%-28s %8u iterations x %3u rounds   median %8.1f ms   max %8.1f ms\n",
           "pin.verify", CK_PIN_DEFAULT_ITERATIONS, rounds, ms[rounds / 2], ms[rounds - 1]);
  g_print ("{\"bench\":\"pin.verify\",\"iterations\":%u,\"rounds\":%u,\"median_ms\":%.1f,\"max_ms\":%.1f}\n",
           CK_PIN_DEFAULT_ITERATIONS, rounds, ms[rounds / 2], ms[rounds - 1]);
}

static char *
random_number (GRand *rand)
{
  static const guint codes[] = { 11, 31, 44, 51, 65, 81 };
  char first17[18];

  g_snprintf (first17, sizeof first17, "%02u%04u%04u%02u%02u%03u",
              codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (codes))],
              (guint)g_rand_int_range (rand, 0, 10000),
              (guint)g_rand_int_range (rand, 1920, 2020),
              (guint)g_rand_int_range (rand, 1, 13),
              (guint)g_rand_int_range (rand, 1, 29),
              (guint)g_rand_int_range (rand, 0, 1000));

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

static char *
full_width (const char *number)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; number[i]; i++)
    {
      if (i == 6 || i == 14)
        g_string_append_c (s, ' ');
      g_string_append_unichar (s, number[i] == 'X' ? 0xFF38 : 0xFF10 + (number[i] - '0'));
    }

  return g_string_free (s, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) valid = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) wide = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) wrong = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  static const char *name_pool[] = { "张三", "阿依古丽·买买提", "𠮷䶮", "欧阳修远", "  李四  " };
  int calls = 100000, rounds = 21, pin_rounds = 11;
  const GOptionEntry entries[] = {
    { "calls", 'n', 0, G_OPTION_ARG_INT, &calls, "Calls per round", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds", "R" },
    { "pin-rounds", 0, 0, G_OPTION_ARG_INT, &pin_rounds, "Staff PIN checks", "P" },
    { NULL }
  };

  context = g_option_context_new ("— benchmark ID number and name validation");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || calls < 1 || rounds < 1 || pin_rounds < 1)
    {
      g_printerr ("bench-identity: %s\n", error ? error->message : "--calls, --rounds and --pin-rounds must be positive");
      return 2;
    }

  ck_init ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 28, 11, 2026);

  for (int i = 0; i < calls; i++)
    {
      char *number = random_number (rand);

      g_ptr_array_add (wide, full_width (number));
      g_ptr_array_add (wrong, g_strdup (number));
      ((char *)wrong->pdata[i])[17] = number[17] == '0' ? '1' : '0';
      g_ptr_array_add (valid, number);
      g_ptr_array_add (names, g_strdup (name_pool[i % G_N_ELEMENTS (name_pool)]));
    }

  bench ("idcard.valid", run_idcard, valid, rounds);
  bench ("idcard.full-width-spaced", run_idcard, wide, rounds);
  bench ("idcard.wrong-check", run_idcard, wrong, rounds);
  bench ("name.mixed", run_name, names, rounds);
  bench_pin (pin_rounds);

  return 0;
}
