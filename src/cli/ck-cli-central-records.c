/* ck-cli-central-records.c: consentctl --central URL list, show, export,
 * pdf, usage
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The local commands, reading the central archive as a staff role instead
 * of the kiosk's store: every branch's consents, chosen with --kiosk and
 * --branch besides the local options. They print with the local commands'
 * own code (ck-cli-records.c, ck-cli-staff.c), the kiosk and branch added;
 * whole ID numbers are shown only once ck.reveals records who saw them. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-cli.h"

static CkCentral *
connect_central (CkConfig  *config,
                 GError   **error)
{
  return ck_cli_connect_central (config, ck_cli_get_central_url (), NULL, NULL, error);
}

/* --- list -------------------------------------------------------------- */

static gboolean
list_one (const CkConsentRecord  *record,
          const CkConsentStatus  *status,
          const CkCentralOrigin  *origin,
          gpointer                user_data,
          GError                **error)
{
  ck_cli_list_add (user_data, record, status, origin);
  return TRUE;
}

int
ck_cli_central_list (CkConfig             *config,
                     const CkCentralQuery *query,
                     gboolean              json)
{
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  CkCliList list;

  if (!(central = connect_central (config, &error)))
    return ck_cli_fail (error);

  /* The query asks for one more than shown, to know whether there are more. */
  ck_cli_list_begin (&list, json, query->query.limit ? query->query.limit - 1 : 0, query->query.max_attempts);
  if (!ck_central_foreach (central, query, list_one, &list, NULL, &error))
    {
      g_clear_object (&list.builder);
      return ck_cli_fail (error);
    }
  ck_cli_list_finish (&list);

  return CK_CLI_EXIT_OK;
}

/* --- show -------------------------------------------------------------- */

int
ck_cli_central_show (CkConfig   *config,
                     const char *uuid,
                     const char *kiosk,
                     const char *branch,
                     gboolean    json,
                     gboolean    unmask,
                     const char *operator_name)
{
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(CkCentralConsent) consent = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  const CkStoreEvent *withdrawal = NULL;
  CkCentralOrigin origin;

  if (!(central = connect_central (config, &error)) ||
      !(consent = ck_central_lookup (central, uuid, kiosk, branch, &error)))
    return ck_cli_fail (error);

  /* Revealing a full ID number is an audited act: recorded first. */
  if (unmask && !ck_central_record_reveal (central, consent->kiosk_id, consent->record->uuid, operator_name,
                                           "consentctl --central show", 0, &error))
    return ck_cli_fail (error);

  if (!(events = ck_central_list_events (central, consent->kiosk_id, consent->record->uuid, &error)) ||
      !(attempts = ck_central_list_attempts (central, consent->kiosk_id, consent->record->uuid, &error)))
    return ck_cli_fail (error);
  for (guint i = 0; i < events->len && withdrawal == NULL; i++)
    if (g_strcmp0 (((CkStoreEvent *)events->pdata[i])->kind, "withdrawal") == 0)
      withdrawal = events->pdata[i];
  verification = ck_verification_new_for_attempts (consent->record, attempts, withdrawal,
                                                   ck_config_get_max_attempts (config));

  origin.kiosk_id = consent->kiosk_id;
  origin.branch = consent->branch;
  origin.seq = consent->record->seq;
  ck_cli_print_consent (consent->record, verification, withdrawal, events, unmask, json, &origin);

  return CK_CLI_EXIT_OK;
}

/* --- export ------------------------------------------------------------ */

int
ck_cli_central_export (CkConfig             *config,
                       const CkCentralQuery *query,
                       CkExportFormat        format,
                       gboolean              unmask,
                       const char           *operator_name,
                       const char           *output,
                       gboolean              quiet)
{
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(CkCliOutput) out = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!(central = connect_central (config, &error)) ||
      !(out = ck_cli_output_open (output, &error)))
    return ck_cli_fail (error);

  progress = ck_cli_progress_new (_("Exporting"), quiet);
  if (!ck_export_write_central (central, query, format, unmask, ck_cli_output_get_stream (out),
                                ck_cli_progress_update, progress, NULL, &n, &error))
    return ck_cli_fail (error);
  g_clear_pointer (&progress, ck_cli_progress_free);

  /* Whole numbers leave the archive only once the reveal is recorded:
   * until the commit, the file is a hidden temporary one. */
  if (unmask && !ck_central_record_reveal (central, NULL, NULL, operator_name, "consentctl --central export",
                                           n, &error))
    return ck_cli_fail (error);
  if (!ck_cli_output_commit (out, &error))
    return ck_cli_fail (error);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Exported %u consent to %s.\n",
                           "Exported %u consents to %s.\n", n),
              n, output);
  return CK_CLI_EXIT_OK;
}

/* --- pdf --------------------------------------------------------------- */

int
ck_cli_central_pdf (CkConfig   *config,
                    const char *uuid,
                    const char *kiosk,
                    const char *branch,
                    const char *output)
{
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(CkCentralConsent) consent = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  if (!(central = connect_central (config, &error)) ||
      !(consent = ck_central_lookup (central, uuid, kiosk, branch, &error)) ||
      !(pdf = ck_central_read_pdf (central, consent->kiosk_id, consent->record, &error)) ||
      !ck_cli_write_private_file (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return ck_cli_fail (error);

  return CK_CLI_EXIT_OK;
}

/* --- usage ------------------------------------------------------------- */

int
ck_cli_central_usage (CkConfig       *config,
                      const char     *since,
                      const char     *kiosk,
                      const char     *branch,
                      CkExportFormat  format,
                      const char     *output)
{
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(CkUsage) usage = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  const char *package_start = ck_config_get_package_start (config);
  guint64 billed = 0, maybe_billed = 0;
  guint kiosks = 0;

  if (!(central = connect_central (config, &error)) ||
      !ck_central_fetch_org_usage (central, package_start, &billed, &maybe_billed, &kiosks, &error) ||
      !(calls = ck_central_list_calls (central, since ? since : package_start, kiosk, branch, &error)) ||
      !ck_cli_write_calls (calls, TRUE, format, output, &error))
    return ck_cli_fail (error);

  /* The summary says whose calls they are: the organisation's, now. */
  usage = ck_usage_new_for_counts (config, billed, maybe_billed, kiosks);
  ck_cli_print_usage_summary (usage);

  return CK_CLI_EXIT_OK;
}
