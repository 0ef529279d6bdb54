/* pdf-fixture.c: what the tests of the consent PDF share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The default fonts, a temporary folder for the files poppler-utils and
 * qpdf read, and the consent every test renders: 张三, 示例银行, signed on
 * 2026-11-28. */

#include "config.h"

#include <string.h>

#include "pdf-fixture.h"

CkFontSet *fonts;
char *workdir;

/**
 * ck_pdf_fixture_init:
 * @workdir_template: as for g_dir_make_tmp(), e.g. "ck-test-pdf-XXXXXX"
 *
 * g_test_init() and ck_init(), then loads the default fonts into @fonts
 * and makes @workdir.
 */
void
ck_pdf_fixture_init (int          *argc,
                     char       ***argv,
                     const char   *workdir_template)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  ck_init ();

  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  workdir = g_dir_make_tmp (workdir_template, &error);
  g_assert_no_error (error);
}

/**
 * ck_pdf_fixture_finish:
 *
 * Removes @workdir and all in it, and frees @fonts.
 */
void
ck_pdf_fixture_finish (void)
{
  ck_test_rm_rf (workdir);
  g_clear_pointer (&workdir, g_free);
  g_clear_object (&fonts);
}

/**
 * ck_pdf_fixture_consent_init_full:
 * @name: the signer's name
 * @signature: (transfer full): the signature
 * @created: (transfer full): the time of signing
 *
 * The default template filled in for @name: 示例银行's personal loan,
 * ID 11010519491231002X, dated 2026-11-28.
 */
void
ck_pdf_fixture_consent_init_full (CkTestConsent *consent,
                                  const char    *name,
                                  CkSignature   *signature,
                                  GDateTime     *created)
{
  memset (consent, 0, sizeof *consent);
  consent->template = ck_template_new_default (NULL);
  consent->signature = signature;
  consent->created = created;

  consent->request.template = consent->template;
  consent->request.signature = consent->signature;
  consent->request.created = consent->created;
  consent->request.values[CK_TEMPLATE_FIELD_COMPANY] = "示例银行股份有限";
  consent->request.values[CK_TEMPLATE_FIELD_BUSINESS] = "个人贷款";
  consent->request.values[CK_TEMPLATE_FIELD_PURPOSE] = "身份核验和风险管理";
  consent->request.values[CK_TEMPLATE_FIELD_NAME] = name;
  consent->request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  consent->request.values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  consent->request.values[CK_TEMPLATE_FIELD_MONTH] = "11";
  consent->request.values[CK_TEMPLATE_FIELD_DAY] = "28";
  consent->request.consent_id = "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11";
  consent->request.kiosk_id = "branch-042-kiosk-1";
  consent->request.organization = "示例银行股份有限公司";
}

/**
 * ck_pdf_fixture_consent_init:
 * @name: the signer's name
 *
 * ck_pdf_fixture_consent_init_full() with the 400-sample sample signature,
 * signed at 2026-11-28 01:30:00 UTC.
 */
void
ck_pdf_fixture_consent_init (CkTestConsent *consent,
                             const char    *name)
{
  ck_pdf_fixture_consent_init_full (consent, name,
                                    ck_sample_signature_new (400),
                                    g_date_time_new_utc (2026, 11, 28, 1, 30, 0));
}

void
ck_pdf_fixture_consent_clear (CkTestConsent *consent)
{
  g_clear_object (&consent->template);
  g_clear_object (&consent->signature);
  g_clear_pointer (&consent->created, g_date_time_unref);
}

/**
 * ck_pdf_fixture_save:
 * @pdf: a rendered PDF
 * @name: a file name
 *
 * Writes @pdf to @name in @workdir.
 *
 * Returns: (transfer full): the file's path
 */
char *
ck_pdf_fixture_save (GBytes     *pdf,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (workdir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);

  return path;
}
