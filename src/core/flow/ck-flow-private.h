/* ck-flow-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For tests: a flow whose clock stands still. */

#pragma once

#include "ck-flow.h"

G_BEGIN_DECLS

void ck_flow_set_now (CkFlow    *self,
                      GDateTime *now);

G_END_DECLS
