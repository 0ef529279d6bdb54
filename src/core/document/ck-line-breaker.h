/* ck-line-breaker.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A paragraph's last line has at least this many characters besides
 * punctuation, where the text allows. */
#define CK_LINE_BREAKER_MIN_LAST_LINE 2

gboolean  ck_line_breaker_is_closing       (gunichar        c);
gboolean  ck_line_breaker_is_opening       (gunichar        c);
gboolean  ck_line_breaker_can_break_before (const gunichar *chars,
                                            const gboolean *keep,
                                            guint           i);
GArray   *ck_line_breaker_break            (const gunichar *chars,
                                            const double   *widths,
                                            const gboolean *keep,
                                            guint           n_chars,
                                            double          first_width,
                                            double          width);

G_END_DECLS
