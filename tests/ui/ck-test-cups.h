/* ck-test-cups.h: a private CUPS scheduler with a cups-pdf queue for UI tests
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CkTestCups CkTestCups;

CkTestCups *ck_test_cups_new             (void);
const char *ck_test_cups_get_skip_reason (CkTestCups  *self);
void        ck_test_cups_start           (CkTestCups  *self);
const char *ck_test_cups_get_printer     (CkTestCups  *self);
const char *ck_test_cups_get_output_dir  (CkTestCups  *self);
const char *ck_test_cups_get_pass_printer (CkTestCups *self);
const char *ck_test_cups_get_pass_file   (CkTestCups  *self);
char       *ck_test_cups_wait_for_pdf    (CkTestCups  *self,
                                          double       seconds);
guint       ck_test_cups_count_jobs      (CkTestCups  *self);
void        ck_test_cups_run             (CkTestCups  *self,
                                          const char * const *argv);
void        ck_test_cups_free            (CkTestCups  *self);

int         ck_test_pdf_pages            (const char  *path);
char       *ck_test_pdf_text             (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkTestCups, ck_test_cups_free)

G_END_DECLS
