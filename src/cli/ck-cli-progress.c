/* ck-cli-progress.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A progress line on standard error for consentctl's long commands
 * (check, backup, restore, purge, export):
 *
 *   Checking: 12,345 of 100,000 (12 %), 1,234 a second, about 1 min 11 s left
 *
 * rewritten in place at most ten times a second, and erased when the work
 * ends. Nothing at all when standard error is not a terminal (a cron job,
 * a pipe, the tests) or with --quiet. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "ck-cli.h"

struct _CkCliProgress
{
  char *what;
  gint64 started_us;
  gint64 shown_us;
  gboolean shown;
};

/* 1234567 → "1,234,567". */
static char *
grouped (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

static char *
duration (double seconds)
{
  guint s = (guint)MIN (seconds + 0.5, (double)G_MAXUINT);

  if (s >= 3600)
    return g_strdup_printf (_("%u h %u min"), s / 3600, s / 60 % 60);
  if (s >= 60)
    return g_strdup_printf (_("%u min %u s"), s / 60, s % 60);

  return g_strdup_printf (_("%u s"), s);
}

/**
 * ck_cli_progress_new:
 * @what: what is being done, e.g. _("Checking")
 * @quiet: --quiet was given
 *
 * Returns: (transfer full) (nullable): a progress line, or %NULL when none
 *   is to be shown; both are fine to hand to ck_cli_progress_update()
 */
CkCliProgress *
ck_cli_progress_new (const char *what,
                     gboolean    quiet)
{
  CkCliProgress *self;

  if (quiet || !isatty (STDERR_FILENO))
    return NULL;

  self = g_new0 (CkCliProgress, 1);
  self->what = g_strdup (what);
  self->started_us = g_get_monotonic_time ();
  return self;
}

/**
 * ck_cli_progress_update:
 * @done: items done
 * @total: items in all; 0 when not known
 * @user_data: (nullable): a #CkCliProgress
 *
 * A #CkProgressFunc.
 */
void
ck_cli_progress_update (guint64  done,
                        guint64  total,
                        gpointer user_data)
{
  CkCliProgress *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  if (self == NULL || (self->shown && now - self->shown_us < G_USEC_PER_SEC / 10 && done < total))
    return;
  self->shown_us = now;
  self->shown = TRUE;
  elapsed = (now - self->started_us) / (double)G_USEC_PER_SEC;

  done_text = grouped (done);
  if (total > 0)
    {
      total_text = grouped (total);
      g_string_printf (line, _("%s: %s of %s (%u %%)"), self->what, done_text, total_text,
                       (guint)(done * 100 / total));
    }
  else
    g_string_printf (line, _("%s: %s"), self->what, done_text);

  if (elapsed >= 1.0 && done > 0)
    {
      double rate = done / elapsed;
      g_autofree char *rate_text = grouped ((guint64)(rate + 0.5));

      g_string_append_printf (line, _(", %s a second"), rate_text);
      if (total > done)
        {
          g_autofree char *left = duration ((total - done) / rate);

          g_string_append_printf (line, _(", about %s left"), left);
        }
    }

  /* Back to the start of the line, the new text, the rest erased. */
  g_printerr ("\r%s\033[K", line->str);
}

/**
 * ck_cli_progress_free:
 *
 * Erases the line.
 */
void
ck_cli_progress_free (CkCliProgress *self)
{
  if (self == NULL)
    return;

  if (self->shown)
    g_printerr ("\r\033[K");
  g_free (self->what);
  g_free (self);
}
