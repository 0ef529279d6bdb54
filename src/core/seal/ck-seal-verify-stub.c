/* ck-seal-verify-stub.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* TEMPORARY, on branch seal-store only: ck-seal-verify.h's functions
 * until the verifier (branch seal-verify) is merged, which replaces this
 * file. It finds no seal in any PDF and verifies no CMS. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ck-seal-verify.h"

CkSealReport *
ck_seal_verify_pdf (GBytes      *pdf,
                    const char  *ca_file,
                    const char  *tsa_ca_file,
                    GError     **error)
{
  CkSealReport *report = g_new0 (CkSealReport, 1);

  report->timestamps = g_ptr_array_new ();
  report->problems = g_ptr_array_new_with_free_func (g_free);
  return report;
}

gboolean
ck_seal_report_is_ok (const CkSealReport *report)
{
  return report->signed_ && report->valid && report->trusted && report->covers_document &&
         report->problems->len == 0;
}

gboolean
ck_seal_report_is_timestamped (const CkSealReport *report)
{
  return FALSE;
}

void
ck_seal_report_free (CkSealReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->timestamps, g_ptr_array_unref);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report->consent_id);
  g_free (report->name);
  g_free (report->signer);
  g_free (report->signing_time);
  g_free (report);
}

gboolean
ck_seal_verify_data (GBytes      *data,
                     GBytes      *cms,
                     const char  *ca_file,
                     const char  *tsa_ca_file,
                     char       **signer,
                     char       **timestamp,
                     GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no verifier in this build");
  return FALSE;
}
