/* ck-cli-sync.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* consentctl sync: sends what the central archive lacks now, or says where
 * the sync stands (docs/CENTRAL.md). The kiosk does the same in the
 * background. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-cli.h"

static char *
or_never (const char *text)
{
  return g_strdup (text ? text : _("never"));
}

static int
print_status (CkConfig *config,
              CkStore  *store)
{
  g_autoptr(GPtrArray) fields = ck_cli_fields_new ();
  g_auto(CkSyncStatus) status = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ck_central_dup_display_url (ck_config_get_central_url (config));
  g_autofree char *receipt = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *last_ok = NULL;
  g_autofree char *usage = NULL;

  if (!ck_store_get_sync_status (store, ck_config_get_package_start (config), &status, &error))
    return ck_cli_fail (error);

  ck_cli_fields_add (fields, _("Central archive:"), url);
  if (status.receipt_seq > 0)
    receipt = g_strdup_printf (_("link %lld (%s), at %s"), (long long)status.receipt_seq,
                               status.receipt_hash, status.receipt_at);
  else
    receipt = g_strdup (_("none yet"));
  ck_cli_fields_add (fields, _("Last receipt:"), receipt);
  pending = g_strdup_printf (_("%lld links (the chain has %lld)"), (long long)status.pending,
                             (long long)status.head_seq);
  ck_cli_fields_add (fields, _("Not yet sent:"), pending);
  last_ok = or_never (status.last_ok_at);
  ck_cli_fields_add (fields, _("Last success:"), last_ok);
  if (status.failing_since)
    ck_cli_fields_add (fields, _("Failing since:"), status.failing_since);
  if (status.last_error)
    ck_cli_fields_add (fields, _("Last error:"), status.last_error);
  if (status.has_org_usage)
    usage = g_strdup_printf (_("%llu billed, %llu maybe billed, by %u kiosks, as counted at %s; "
                               "this kiosk's not yet sent: %llu billed, %llu maybe"),
                             (unsigned long long)status.org_billed, (unsigned long long)status.org_maybe_billed,
                             status.org_kiosks, status.org_at,
                             (unsigned long long)status.unsent_billed,
                             (unsigned long long)status.unsent_maybe_billed);
  else
    usage = g_strdup (_("not read yet"));
  ck_cli_fields_add (fields, _("Organisation's usage:"), usage);
  ck_cli_fields_print (fields);

  return status.last_error || status.conflict_seq >= 0 ? CK_CLI_EXIT_INVALID : CK_CLI_EXIT_OK;
}

int
ck_cli_sync (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSyncQueue) queue = NULL;
  g_autoptr(CkSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gboolean once = FALSE, status_only = FALSE;
  g_autofree char *megabytes = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Send one batch ([central] batch_size links), not everything pending"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only,
      N_("Only show where the sync stands: the last receipt, what is pending, the last error"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— send this kiosk's consents to the central archive"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Sends every link of the chain the central archive does not hold yet — consents\n"
      "with their PDFs, events, verification attempts — a batch a transaction, and\n"
      "stores the archive's receipt. The kiosk does this in the background; this does\n"
      "it now. Exits 1 when the archive cannot be reached or refuses, 10 when no\n"
      "archive is configured."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (!ck_config_get_central_configured (config))
    {
      g_printerr (_("No central archive is configured: [central] url is not set (docs/CENTRAL.md).\n"));
      return CK_CLI_EXIT_DISABLED;
    }
  if (!(store = ck_cli_open_store (config, status_only ? CK_STORE_OPEN_READ_ONLY : CK_STORE_OPEN_RECOVER,
                                   &error)))
    return ck_cli_fail (error);
  if (status_only)
    return print_status (config, store);

  queue = ck_sync_queue_new (config, store);
  if (!(run = ck_sync_queue_run (queue, once ? CK_SYNC_RUN_ONCE : CK_SYNC_RUN_ALL, NULL, &error)))
    return ck_cli_fail (error);

  megabytes = g_strdup_printf ("%.1f", run->pdf_bytes / 1e6);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Sent %u link (%s MB of PDFs); the archive acknowledges the chain up to link %lld; "
                        "%lld still to send.\n",
                        "Sent %u links (%s MB of PDFs); the archive acknowledges the chain up to link %lld; "
                        "%lld still to send.\n",
                        run->sent),
           run->sent, megabytes, (long long)run->receipt_seq, (long long)run->pending);
  if (run->usage_error)
    g_printerr (_("The organisation's package usage could not be read: %s\n"), run->usage_error);

  return CK_CLI_EXIT_OK;
}
