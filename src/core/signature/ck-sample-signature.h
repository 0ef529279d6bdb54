/* ck-sample-signature.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-signature.h"

G_BEGIN_DECLS

CkSignature *ck_sample_signature_new (guint n_samples);

G_END_DECLS
