/* pdf-fixture.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck.h"
#include "ck-test-util.h"

G_BEGIN_DECLS

/* The default fonts, and a folder of the run's own for the files the
 * tools read; ck_pdf_fixture_init() makes them. */
extern CkFontSet *fonts;
extern char *workdir;

/* A consent to render: the request and what it points to. */
typedef struct
{
  CkPdfRequest request;
  CkTemplate *template;
  CkSignature *signature;
  GDateTime *created;
} CkTestConsent;

void       ck_pdf_fixture_init               (int            *argc,
                                              char         ***argv,
                                              const char     *workdir_template);
void       ck_pdf_fixture_finish             (void);

void       ck_pdf_fixture_consent_init       (CkTestConsent  *consent,
                                              const char     *name);
void       ck_pdf_fixture_consent_init_full  (CkTestConsent  *consent,
                                              const char     *name,
                                              CkSignature    *signature,
                                              GDateTime      *created);
void       ck_pdf_fixture_consent_clear      (CkTestConsent  *consent);
char      *ck_pdf_fixture_save               (GBytes         *pdf,
                                              const char     *name);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkTestConsent, ck_pdf_fixture_consent_clear)

G_END_DECLS
