/* bench-staff-scroll.c: the records window scrolling a million consents
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fills a store with --records consents (default 1,000,000; the
 * benchmarks' own fill, bench_fill_store ()), then opens the real staff
 * window (CkStaffWindow, in kiosk mode, with an operator, its GtkColumnView
 * over CkRecordList) at 1280×800 on the X display it is given (run it
 * under tests/ui/run-under-xvfb.sh, as scripts/run-benchmarks and
 * `meson test --benchmark` do), and measures:
 *
 * 1. open: from ck_staff_window_new () to the first painted frame
 *    (GdkFrameClock "after-paint") that shows rows, --opens times (a new
 *    window each, the query over every consent included);
 * 2. scrolling, on the last window: the GtkScrolledWindow's vadjustment
 *    set in steps, each after the frame clock went idle, and the time
 *    from the step to the next "after-paint" (and the frame's own work,
 *    "before-paint" to "after-paint"):
 *    - flicks: --flicks runs of small steps, 20–80 px decaying by 5 % a
 *      frame as a finger's flick does, from where the list is;
 *    - jumps: --jumps positions at random (the very end and the very top
 *      among them), as dragging the scrollbar's slider does.
 *    After every step the rows painted are checked against the model: the
 *    visible rows are consecutive, start at the position the adjustment
 *    says, cover the view, and show the name and masked ID number of
 *    ck_record_list's item at their position (at the end, the last
 *    consent). A wrong row ends the benchmark with an error.
 *
 * Median, 95th percentile, maximum and frames over 16.7 ms for each kind
 * of step, and the process's resident memory after.
 *
 *   bench-staff-scroll [--records N] [--opens N] [--flicks N] [--jumps N] [--dir DIR]
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-staff-window.h"
#include "ck-test-util.h"

#define OPERATOR "柜员 0042"
#define FRAME_BUDGET_MS (1000.0 / 60.0)
/* Between steps: longer than a refresh interval, so that GdkFrameClock
 * starts the next frame at once instead of pacing it. */
#define SETTLE_MS 25
/* The columns of the window's GtkColumnView (ui/ck-staff-window.ui). */
#define N_CELLS 6
#define CELL_NAME 2
#define CELL_ID 3

typedef struct
{
  gint64 before_paint_us;   /* of the latest frame */
  gint64 layout_us;         /* its layout done (rows bound: pages read) */
  gint64 after_paint_us;
  guint frames;             /* painted */
} Clock;

static void
on_before_paint (GdkFrameClock *frame_clock,
                 Clock         *clock)
{
  clock->before_paint_us = g_get_monotonic_time ();
}

static void
on_layout (GdkFrameClock *frame_clock,
           Clock         *clock)
{
  clock->layout_us = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                Clock         *clock)
{
  clock->after_paint_us = g_get_monotonic_time ();
  clock->frames++;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until a frame is painted after frame @frames;
 * FALSE if none within @seconds. */
static gboolean
wait_for_frame (Clock *clock,
                guint  frames,
                double seconds)
{
  gboolean late = FALSE;
  guint source = g_timeout_add ((guint)(seconds * 1000), on_timeout, &late);

  while (clock->frames == frames && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (source);

  return clock->frames != frames;
}

/* Runs the main loop for @ms, painting whatever is asked for. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* --- what the rows show --------------------------------------------------------- */

typedef struct
{
  GtkWidget *widget;
  double y;
} Row;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  double x = ((const Row *)a)->y, y = ((const Row *)b)->y;

  return (x > y) - (x < y);
}

static const char *
cell_text (GtkWidget *row,
           guint      index)
{
  GtkWidget *cell = gtk_widget_get_first_child (row);

  for (guint i = 0; i < index && cell; i++)
    cell = gtk_widget_get_next_sibling (cell);
  cell = cell ? gtk_widget_get_first_child (cell) : NULL;

  return GTK_IS_LABEL (cell) ? gtk_label_get_text (GTK_LABEL (cell)) : NULL;
}

/* The row widgets of @list_view that show in its height, top to bottom. */
static GArray *
visible_rows (GtkWidget *list_view)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  int height = gtk_widget_get_height (list_view);

  for (GtkWidget *child = gtk_widget_get_first_child (list_view); child;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_point_t top;
      Row row = { child, 0 };

      if (!gtk_widget_get_mapped (child) || !gtk_widget_get_child_visible (child) ||
          !gtk_widget_compute_point (child, list_view, &GRAPHENE_POINT_INIT (0, 0), &top))
        continue;
      row.y = top.y;
      if (row.y + gtk_widget_get_height (child) > 0 && row.y < height)
        g_array_append_val (rows, row);
    }
  g_array_sort (rows, compare_rows);

  return rows;
}

/* Whether the rows painted are the model's items where the adjustment
 * says; if not, why in @why. */
static gboolean
rows_are_right (GtkWidget      *list_view,
                GtkAdjustment  *vadjustment,
                GListModel     *records,
                char          **why)
{
  g_autoptr(GArray) rows = visible_rows (list_view);
  guint n = g_list_model_get_n_items (records);
  double value = gtk_adjustment_get_value (vadjustment);
  double pitch, first_y, last_bottom;
  guint first;
  gboolean at_end;

  if (rows->len < 2)
    {
      *why = g_strdup_printf ("%u rows shown", rows->len);
      return FALSE;
    }

  /* Every row is as high as the others: the adjustment's value over the
   * pitch is the position of the first row shown. */
  pitch = g_array_index (rows, Row, 1).y - g_array_index (rows, Row, 0).y;
  first_y = g_array_index (rows, Row, 0).y;
  first = (guint)floor ((value + first_y) / pitch + 0.5);
  at_end = value >= gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment) - 0.5;
  last_bottom = g_array_index (rows, Row, rows->len - 1).y +
                gtk_widget_get_height (g_array_index (rows, Row, rows->len - 1).widget);

  /* (The first row starts a pixel down: its separator's border.) */
  if (first_y > 2 || (!at_end && last_bottom < gtk_widget_get_height (list_view) - 2))
    {
      *why = g_strdup_printf ("rows from %.1f to %.1f px in a view of %d px", first_y, last_bottom,
                              gtk_widget_get_height (list_view));
      return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      guint position = first + i;
      g_autoptr(CkRecordItem) item = position < n ? g_list_model_get_item (records, position) : NULL;
      const char *name = cell_text (row->widget, CELL_NAME);
      const char *id = cell_text (row->widget, CELL_ID);

      if (fabs (row->y - (first_y + i * pitch)) > 0.5)
        {
          *why = g_strdup_printf ("row %u of the view at %.1f px, not %.1f", i, row->y, first_y + i * pitch);
          return FALSE;
        }
      if (item == NULL || g_strcmp0 (name, ck_record_item_get_name (item)) != 0 ||
          g_strcmp0 (id, ck_record_item_get_masked_id (item)) != 0)
        {
          *why = g_strdup_printf ("position %u shows %s %s, the model has %s %s", position,
                                  name ? name : "(none)", id ? id : "(none)",
                                  item ? ck_record_item_get_name (item) : "(nothing)",
                                  item ? ck_record_item_get_masked_id (item) : "");
          return FALSE;
        }
    }

  if (at_end && first + rows->len != n)
    {
      *why = g_strdup_printf ("at the end, the last row shown is position %u of %u", first + rows->len - 1, n);
      return FALSE;
    }

  return TRUE;
}

/* --- steps -------------------------------------------------------------------------- */

typedef struct
{
  const char *label;
  GArray *latency_ms;       /* step to after-paint */
  GArray *set_ms;           /* in gtk_adjustment_set_value () */
  GArray *work_ms;          /* before-paint to after-paint */
  GArray *layout_ms;        /* before-paint to layout done */
  guint wrong_first_frame;  /* rows wrong in the step's first frame, right once settled */
} Steps;

static void
steps_init (Steps      *steps,
            const char *label)
{
  steps->label = label;
  steps->latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  steps->set_ms = g_array_new (FALSE, FALSE, sizeof (double));
  steps->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  steps->layout_ms = g_array_new (FALSE, FALSE, sizeof (double));
  steps->wrong_first_frame = 0;
}

static void
steps_clear (Steps *steps)
{
  g_array_unref (steps->latency_ms);
  g_array_unref (steps->set_ms);
  g_array_unref (steps->work_ms);
  g_array_unref (steps->layout_ms);
}

/* Moves the list to @value and waits for the frame that shows it. */
static void
step (Steps         *steps,
      Clock         *clock,
      GtkAdjustment *vadjustment,
      GtkWidget     *list_view,
      GListModel    *records,
      double         value)
{
  g_autofree char *why = NULL;
  guint frames = clock->frames;
  gint64 start;
  double latency, set, work, layout;

  settle (SETTLE_MS);
  frames = clock->frames;
  start = g_get_monotonic_time ();
  gtk_adjustment_set_value (vadjustment, value);
  set = (g_get_monotonic_time () - start) / 1000.0;
  if (!wait_for_frame (clock, frames, 10))
    g_error ("No frame after scrolling to %.0f px", value);

  latency = (clock->after_paint_us - start) / 1000.0;
  work = (clock->after_paint_us - MAX (clock->before_paint_us, start)) / 1000.0;
  layout = (MAX (clock->layout_us, start) - MAX (clock->before_paint_us, start)) / 1000.0;
  g_array_append_val (steps->latency_ms, latency);
  g_array_append_val (steps->set_ms, set);
  g_array_append_val (steps->work_ms, work);
  g_array_append_val (steps->layout_ms, layout);

  if (rows_are_right (list_view, vadjustment, records, &why))
    return;

  /* Wrong in that frame: right once the list settles? */
  steps->wrong_first_frame++;
  g_clear_pointer (&why, g_free);
  settle (200);
  if (!rows_are_right (list_view, vadjustment, records, &why))
    g_error ("%s: at %.0f px of %.0f, the rows are wrong: %s", steps->label, value,
             gtk_adjustment_get_upper (vadjustment), why);
}

static void
steps_report (Steps *steps)
{
  g_autofree char *set_label = g_strconcat (steps->label, ".set-value", NULL);
  g_autofree char *work_label = g_strconcat (steps->label, ".frame-work", NULL);
  g_autofree char *layout_label = g_strconcat (steps->label, ".frame-layout", NULL);
  GArray *ms = steps->latency_ms;
  double max;
  guint over = 0;

  for (guint i = 0; i < ms->len; i++)
    over += g_array_index (ms, double, i) > FRAME_BUDGET_MS;
  bench_report (steps->label, ms, 95);   /* sorts */
  max = g_array_index (ms, double, ms->len - 1);
  g_print ("%-28s %8u over 16.7 ms   max %8.3f ms   rows wrong in the first frame: %u\n", "", over, max,
           steps->wrong_first_frame);
  g_print ("{\"bench\":\"%s\",\"over_16_7_ms\":%u,\"max_ms\":%.3f,\"wrong_first_frame\":%u}\n",
           steps->label, over, max, steps->wrong_first_frame);
  bench_report (set_label, steps->set_ms, 95);
  bench_report (work_label, steps->work_ms, 95);
  bench_report (layout_label, steps->layout_ms, 95);
}

/* --- the window ------------------------------------------------------------------- */

typedef struct
{
  CkStore *store;
  CkVerifyQueue *queue;
  CkConfig *config;
  GtkWindow *parent;
} Kiosk;

typedef struct
{
  CkStaffWindow *window;
  GtkWidget *list_view;
  GtkAdjustment *vadjustment;
  Clock clock;
  GdkFrameClock *frame_clock;
} Shown;

static void
on_realize (GtkWidget *widget,
            Shown     *shown)
{
  shown->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  g_signal_connect (shown->frame_clock, "before-paint", G_CALLBACK (on_before_paint), &shown->clock);
  g_signal_connect_after (shown->frame_clock, "layout", G_CALLBACK (on_layout), &shown->clock);
  g_signal_connect (shown->frame_clock, "after-paint", G_CALLBACK (on_after_paint), &shown->clock);
}

static void
shown_close (Shown *shown)
{
  if (shown->frame_clock)
    g_signal_handlers_disconnect_by_data (shown->frame_clock, &shown->clock);
  g_clear_object (&shown->frame_clock);
  gtk_window_destroy (GTK_WINDOW (shown->window));
  shown->window = NULL;
  settle (50);
}

/* Opens the records window; returns the milliseconds from
 * ck_staff_window_new () to the first frame that shows rows, right ones. */
static double
open_window (Kiosk *kiosk,
             Shown *shown,
             guint  n)
{
  g_autofree char *why = NULL;
  GtkWidget *column_view;
  GListModel *records;
  gint64 start = g_get_monotonic_time ();

  memset (shown, 0, sizeof *shown);
  shown->window = ck_staff_window_new (kiosk->parent, kiosk->store, kiosk->queue, kiosk->config, OPERATOR, TRUE);
  /* A branch PC's screen, with or without a window manager to make the
   * kiosk mode's fullscreen so. */
  gtk_window_set_default_size (GTK_WINDOW (shown->window), 1280, 800);
  /* The benchmark takes longer than staff stay away. */
  ck_staff_window_set_idle_timeout (shown->window, G_MAXUINT / 2);
  g_signal_connect (shown->window, "realize", G_CALLBACK (on_realize), shown);
  gtk_window_present (GTK_WINDOW (shown->window));

  records = ck_staff_window_get_records (shown->window);
  column_view = NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (shown->window)); w; )
    {
      /* Depth first, to the GtkColumnView. */
      if (GTK_IS_COLUMN_VIEW (w))
        {
          column_view = w;
          break;
        }
      if (gtk_widget_get_first_child (w))
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w && !gtk_widget_get_next_sibling (w))
            w = gtk_widget_get_parent (w);
          w = w ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_true (GTK_IS_COLUMN_VIEW (column_view));
  for (GtkWidget *w = gtk_widget_get_first_child (column_view); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_VIEW (w))
      shown->list_view = w;
  g_assert_nonnull (shown->list_view);
  shown->vadjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (column_view, GTK_TYPE_SCROLLED_WINDOW)));

  /* Frames until one shows the query's rows. */
  for (;;)
    {
      g_autoptr(GArray) rows = NULL;

      if (!wait_for_frame (&shown->clock, shown->clock.frames, 120))
        g_error ("The records window painted nothing for 2 minutes");
      if (g_list_model_get_n_items (records) != n)
        continue;
      rows = visible_rows (shown->list_view);
      if (rows->len > 0)
        break;
    }
  if (!rows_are_right (shown->list_view, shown->vadjustment, records, &why))
    g_error ("The first rows shown are wrong: %s", why);

  return (shown->clock.after_paint_us - start) / 1000.0;
}

static gsize
resident_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, field)))
    return 0;

  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

static CkConfig *
load_config (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bench.conf", NULL);
  g_autofree char *none = g_build_filename (dir, "none.conf", NULL);
  g_autoptr(GError) error = NULL;
  CkConfig *config;

  g_file_set_contents (path, "[kiosk]\nid = bench-kiosk\n[verification]\nprovider = none\n", -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);

  return config;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  int records = 1000000, opens = 3, flicks = 10, jumps = 100;
  Kiosk kiosk = { NULL };
  Shown shown = { NULL };
  Steps flick_steps, jump_steps;
  GListModel *model;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Consents in the store", "N" },
    { "opens", 0, 0, G_OPTION_ARG_INT, &opens, "Times to open the window", "N" },
    { "flicks", 0, 0, G_OPTION_ARG_INT, &flicks, "Flicks of small steps", "N" },
    { "jumps", 0, 0, G_OPTION_ARG_INT, &jumps, "Jumps to random positions", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the store goes", "DIR" },
    { NULL }
  };

  /* As the kiosk runs on Xvfb and in the UI tests: X11, cairo, no GL. */
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);

  context = g_option_context_new ("— benchmark scrolling the records window");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || records < 2 || opens < 1 || flicks < 1 ||
      jumps < 2)
    {
      g_printerr ("bench-staff-scroll: %s\n",
                  error ? error->message : "--records and --jumps must be 2 or more, --opens and --flicks positive");
      return 2;
    }

  ck_init ();
  if (!gtk_init_check ())
    {
      g_printerr ("bench-staff-scroll: no display (run it under tests/ui/run-under-xvfb.sh)\n");
      return 1;
    }
  adw_init ();

  data_dir = bench_fill_store (dir, (guint)records, rand, NULL, NULL);
  kiosk.store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  kiosk.config = load_config (data_dir);
  kiosk.queue = ck_verify_queue_new (kiosk.config, kiosk.store);
  kiosk.parent = GTK_WINDOW (gtk_window_new ());

  /* 1. Opening. */
  for (int i = 0; i < opens; i++)
    {
      double ms = open_window (&kiosk, &shown, (guint)records);

      g_array_append_val (open_ms, ms);
      if (i + 1 < opens)
        shown_close (&shown);
    }
  bench_report ("open.first-rows", open_ms, 95);
  {
    g_autoptr(GArray) rows = visible_rows (shown.list_view);

    g_print ("%-28s window %d×%d, %u rows shown\n", "", gtk_widget_get_width (GTK_WIDGET (shown.window)),
             gtk_widget_get_height (GTK_WIDGET (shown.window)), rows->len);
  }

  /* 2. Scrolling. */
  model = ck_staff_window_get_records (shown.window);
  steps_init (&flick_steps, "scroll.flick");
  steps_init (&jump_steps, "scroll.jump");

  for (int f = 0; f < flicks; f++)
    {
      /* Down, or up when near the end. */
      double speed = g_rand_double_range (rand, 20, 80);
      double end = gtk_adjustment_get_upper (shown.vadjustment) - gtk_adjustment_get_page_size (shown.vadjustment);
      double direction = gtk_adjustment_get_value (shown.vadjustment) + 2000 < end ? 1 : -1;

      for (; speed >= 1; speed *= 0.95)
        step (&flick_steps, &shown.clock, shown.vadjustment, shown.list_view, model,
              CLAMP (gtk_adjustment_get_value (shown.vadjustment) + direction * speed, 0, end));
    }

  for (int j = 0; j < jumps; j++)
    {
      double end = gtk_adjustment_get_upper (shown.vadjustment) - gtk_adjustment_get_page_size (shown.vadjustment);
      double value = j == 0 ? end : j == 1 ? 0 : g_rand_double_range (rand, 0, end);

      step (&jump_steps, &shown.clock, shown.vadjustment, shown.list_view, model, value);
    }

  steps_report (&flick_steps);
  steps_report (&jump_steps);
  g_print ("%-28s %8zu kB resident after (peak %zu kB)\n", "memory", resident_kb ("VmRSS:"), resident_kb ("VmHWM:"));
  g_print ("{\"bench\":\"memory\",\"rss_kb\":%zu,\"peak_kb\":%zu}\n", resident_kb ("VmRSS:"), resident_kb ("VmHWM:"));

  steps_clear (&flick_steps);
  steps_clear (&jump_steps);
  shown_close (&shown);
  gtk_window_destroy (kiosk.parent);
  g_clear_object (&kiosk.queue);
  g_clear_object (&kiosk.config);
  g_clear_object (&kiosk.store);
  ck_test_rm_rf (data_dir);

  return EXIT_SUCCESS;
}
