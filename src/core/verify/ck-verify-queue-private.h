/* ck-verify-queue-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For tests: a queue that runs by a clock of the test's. */

#pragma once

#include "ck-verify-queue.h"

G_BEGIN_DECLS

/**
 * CkVerifyClockFunc:
 *
 * Returns: the current time in Unix milliseconds
 */
typedef gint64 (*CkVerifyClockFunc) (gpointer user_data);

void ck_verify_queue_set_clock (CkVerifyQueue     *self,
                                CkVerifyClockFunc  clock,
                                gpointer           user_data);

G_END_DECLS
