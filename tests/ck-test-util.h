/* ck-test-util.h: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a run of consentctl gave: its exit code and its output. */
typedef struct
{
  int status;
  char *out;
  char *err;
} CkTestRun;

void ck_test_rm_rf          (const char         *path);
void ck_test_run_clear      (CkTestRun          *run);
void ck_test_run_consentctl (CkTestRun          *run,
                             const char * const *env,
                             const char * const *argv);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkTestRun, ck_test_run_clear)

G_END_DECLS
