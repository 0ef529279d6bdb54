/* ck-cli-seal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* consentctl seal: where sealing stands (the seal, the TSA, the jobs left,
 * the last anchor), and, on staff's request, the jobs run and the chain
 * anchored now (docs/SEALING.md). */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-cli.h"

static void
print_status (CkConfig    *config,
              CkStore     *store,
              CkSealQueue *queue)
{
  g_autoptr(GPtrArray) fields = ck_cli_fields_new ();
  g_autoptr(CkSeal) seal = ck_seal_queue_dup_seal (queue);
  g_autoptr(GError) setup_error = ck_seal_queue_dup_setup_error (queue);
  g_autoptr(GError) error = NULL;
  g_autofree char *seal_text = NULL;
  g_autofree char *jobs_text = NULL;
  g_autofree char *anchor_text = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *anchored_at = NULL;
  gint64 head_seq = 0, anchored_seq = 0, anchor_seq = 0;
  guint n_seal = 0, n_timestamp = 0;

  if (seal)
    seal_text = g_strdup (ck_seal_get_signer (seal));
  else
    seal_text = g_strdup_printf (_("cannot be used: %s"), setup_error ? setup_error->message : "");
  ck_cli_fields_add (fields, _("Seal:"), seal_text);
  ck_cli_fields_add (fields, _("Time-stamping authority:"),
                     ck_config_get_tsa_url (config) ? ck_config_get_tsa_url (config)
                                                    : _("none: no trusted time"));

  if (ck_store_count_seal_jobs (store, &n_seal, &n_timestamp, &error))
    jobs_text = g_strdup_printf (_("%u to seal, %u to timestamp"), n_seal, n_timestamp);
  else
    jobs_text = g_strdup (error->message);
  ck_cli_fields_add (fields, _("Waiting:"), jobs_text);

  g_clear_error (&error);
  if (!ck_store_get_anchor_state (store, &head_seq, &head_hash, &anchored_seq, &anchor_seq, &anchored_at, &error))
    anchor_text = g_strdup (error->message);
  else if (anchored_seq == 0)
    anchor_text = g_strdup_printf (_("none yet; the chain has %lld links"), (long long)head_seq);
  else
    anchor_text = g_strdup_printf (_("link %lld at %s; %lld links since"),
                                   (long long)anchored_seq, anchored_at, (long long)(head_seq - anchor_seq));
  ck_cli_fields_add (fields, _("Last anchor:"), anchor_text);

  ck_cli_fields_print (fields);
}

static int
run_now (CkSealQueue    *queue,
         CkSealRunFlags  flags)
{
  g_autoptr(CkSealRun) run = NULL;
  g_autoptr(GError) error = NULL;

  if (!(run = ck_seal_queue_run (queue, flags, NULL, &error)))
    return ck_cli_fail (error);

  g_print (_("Sealed: %u, timestamped: %u, failed: %u.\n"), run->sealed, run->timestamped, run->failed);
  if (run->first_error)
    g_printerr (_("First failure: %s\n"), run->first_error);
  if (run->anchored)
    g_print (_("Anchored the chain at link %lld.\n"), (long long)run->anchored_seq);
  else if (run->anchor_error)
    g_printerr (_("The chain was not anchored: %s\n"), run->anchor_error);
  else if (flags & CK_SEAL_RUN_ANCHOR_NOW)
    g_print (_("The chain's head is already anchored.\n"));

  return run->failed > 0 || run->anchor_error ? CK_CLI_EXIT_INVALID : CK_CLI_EXIT_OK;
}

int
ck_cli_seal (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSealQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  gboolean run = FALSE, anchor = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_NONE, &run,
      N_("Seal and timestamp every consent that waits for it, now"), NULL },
    { "anchor", 0, 0, G_OPTION_ARG_NONE, &anchor,
      N_("Anchor the chain's head now: sealed, and timestamped by the TSA"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show or finish the sealing of consents"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Shows the organisation's seal, the time-stamping authority, how many consents\n"
      "wait to be sealed or timestamped, and the chain's last anchor. The kiosk does\n"
      "this work in the background; --run does it now for every consent waiting,\n"
      "--anchor anchors the chain's head now. Exits 1 when something could not be done."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (!ck_config_get_signing_configured (config))
    {
      g_printerr (_("Consents are not sealed: [signing] key is not set (docs/ADMIN.md).\n"));
      return CK_CLI_EXIT_DISABLED;
    }
  if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_RECOVER, &error)))
    return ck_cli_fail (error);

  queue = ck_seal_queue_new (config, store);
  if (run || anchor)
    return run_now (queue, (run ? CK_SEAL_RUN_ALL_JOBS : 0) | (anchor ? CK_SEAL_RUN_ANCHOR_NOW : 0));

  print_status (config, store, queue);
  return CK_CLI_EXIT_OK;
}
