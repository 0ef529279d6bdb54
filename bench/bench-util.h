/* bench-util.h: what the benchmarks share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ck.h"

G_BEGIN_DECLS

void   bench_report      (const char *label,
                          GArray     *ms,
                          guint       percentile);
char  *bench_random_name (GRand      *rand);
char  *bench_random_id   (GRand      *rand);
char  *bench_fill_store  (const char *dir,
                          guint       n,
                          GRand      *rand,
                          GPtrArray  *some_surnames,
                          GPtrArray  *some_tails);

void   bench_write_pdfs  (const char *data_dir,
                          gsize       size);

void   bench_downgrade_to_5 (const char *data_dir);

void   bench_standard_request (CkPdfRequest *request,
                               CkTemplate   *template,
                               CkSignature  *signature,
                               GDateTime    *created);

G_END_DECLS
