/* ck-progress.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CkProgressFunc:
 * @done: how many items are done
 * @total: how many there are in all (0 when not known)
 * @user_data: what the long operation was given with this function
 *
 * How far a long operation (check, backup, restore, purge, export) is.
 * Called from the thread doing the work, at most every few hundred items
 * and once at the end (@done == @total); it must return quickly.
 */
typedef void (*CkProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

G_END_DECLS
