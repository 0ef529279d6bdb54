/* bench-launch.c: time from launch to the kiosk's first frame
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Starts consent-kiosk N times, one after the other, on the X display of
 * the environment (run it under xvfb-run, as scripts/run-benchmarks and
 * `meson test --benchmark` do) with CK_BENCH_FIRST_FRAME set: the kiosk
 * prints the monotonic time of its first painted frame (GdkFrameClock
 * "after-paint") and quits. The time from just before the spawn to that
 * frame is a launch; the median, minimum and maximum over the launches
 * after the first are printed (the first also on its own: it creates the
 * consent store), with a JSON line for tools. The kiosk runs in Chinese
 * with the UI tests' configuration and a temporary data directory (or
 * --data-dir, say a store of a million consents bench-store-scale --keep
 * left), cairo rendering, GL off, as on Xvfb in the tests.
 *
 *   bench-launch [--launches N] [--kiosk PATH] [--data-dir DIR]
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck-test-util.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* One launch: milliseconds to the first frame, or a negative number. */
static double
launch (const char *kiosk,
        const char *config_home,
        GError    **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  const char *line;
  gint64 start, frame;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "CK_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "CK_SYSTEM_CONFIG", CK_BENCH_KIOSK_CONF, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "CK_LOCALEDIR", CK_BENCH_LOCALEDIR, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "zh_CN.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "zh_CN", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", "gl-disable", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);

  start = g_get_monotonic_time ();
  if (!(process = g_subprocess_launcher_spawn (launcher, error, kiosk, NULL)) ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return -1;

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0 ||
      !(line = strstr (out, "first-frame-us ")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s did not report a first frame (is DISPLAY an X server?)", kiosk);
      return -1;
    }

  frame = g_ascii_strtoll (line + strlen ("first-frame-us "), NULL, 10);

  return (frame - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmp_dir = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *config = NULL;
  g_autofree char *kiosk = g_strdup (CK_BENCH_KIOSK);
  g_autofree char *data_dir = NULL;
  g_autofree char *label = NULL;
  int launches = 11;
  double first = 0.0, median;
  const GOptionEntry entries[] = {
    { "launches", 0, 0, G_OPTION_ARG_INT, &launches, "How many times to start the kiosk", "N" },
    { "kiosk", 0, 0, G_OPTION_ARG_FILENAME, &kiosk, "The consent-kiosk binary", "PATH" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "An existing store to start on", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— time from launch to the kiosk's first frame");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || launches < 2)
    {
      g_printerr ("bench-launch: %s\n", error ? error->message : "--launches must be 2 or more");
      return 2;
    }

  /* The user's configuration: a data directory of the benchmark's own. */
  tmp_dir = g_dir_make_tmp ("bench-launch-XXXXXX", &error);
  g_assert_no_error (error);
  config_dir = g_build_filename (tmp_dir, "consent-kiosk", NULL);
  g_mkdir_with_parents (config_dir, 0700);
  if (data_dir)
    config = g_strdup_printf ("[kiosk]\ndata_dir = %s\n", data_dir);
  else
    config = g_strdup_printf ("[kiosk]\ndata_dir = %s/data\n", tmp_dir);
  {
    g_autofree char *path = g_build_filename (config_dir, "kiosk.conf", NULL);

    g_file_set_contents (path, config, -1, &error);
    g_assert_no_error (error);
  }

  for (int i = 0; i < launches; i++)
    {
      double ms = launch (kiosk, tmp_dir, &error);

      if (ms < 0)
        {
          g_printerr ("bench-launch: %s\n", error->message);
          ck_test_rm_rf (tmp_dir);
          return 1;
        }
      if (i == 0)
        first = ms;
      else
        g_array_append_val (times, ms);
    }

  g_array_sort (times, compare_doubles);
  median = g_array_index (times, double, times->len / 2);
  label = g_strdup (data_dir ? "launch.first-frame.store" : "launch.first-frame");
  g_print ("%-22s first %7.1f ms   then median %7.1f ms  (min %7.1f, max %7.1f, %u launches)\n",
           label, first, median,
           g_array_index (times, double, 0), g_array_index (times, double, times->len - 1),
           times->len);
  g_print ("{\"bench\":\"%s\",\"launches\":%u,\"first_ms\":%.1f,\"median_ms\":%.1f,"
           "\"min_ms\":%.1f,\"max_ms\":%.1f}\n",
           label, times->len, first, median, g_array_index (times, double, 0),
           g_array_index (times, double, times->len - 1));

  ck_test_rm_rf (tmp_dir);

  return 0;
}
