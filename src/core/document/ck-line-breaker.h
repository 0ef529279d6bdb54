/* ck-line-breaker.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  ck_line_breaker_is_closing (gunichar      c);
gboolean  ck_line_breaker_is_opening (gunichar      c);
GArray   *ck_line_breaker_break      (const gunichar *chars,
                                      const double   *widths,
                                      guint           n_chars,
                                      double          first_width,
                                      double          width);

G_END_DECLS
