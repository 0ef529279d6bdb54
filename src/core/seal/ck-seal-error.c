/* ck-seal-error.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The seal's error domain (CK_SEAL_ERROR, ck-seal.h), in a file of its own:
 * the signer (ck-seal.c), the TSA client (ck-tsa.c) and the verifier all
 * report in it, and it is defined here once, for all of them. */

#include "config.h"

#include "ck-seal.h"

G_DEFINE_QUARK (ck-seal-error-quark, ck_seal_error)
