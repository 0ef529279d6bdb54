/* central-syncer.c: syncs a store to the central archive, for test-central
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Linked with the fault-injection build of the core: CK_FAULT_POINT=<step>
 * (and CK_FAULT_COUNT=N, CK_FAULT_ACTION=stop) kills or stops this
 * process at that step of a batch (src/core/central/ck-central-sync.c).
 * Sends batches until nothing is pending, then prints "synced SEQ".
 *
 * Usage: central-syncer --url URL [--password-file F] [--ca-file F]
 *                       --kiosk ID [--batch N] DATA_DIR */

#include "config.h"

#include <stdio.h>

#include "ck.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkCentral) central = NULL;
  g_autofree char *url = NULL, *password_file = NULL, *ca_file = NULL, *kiosk = NULL;
  CkCentralParams params = { 0 };
  CkSyncResult result = { 0 };
  int batch = 10;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The archive", "URL" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, "The role's password", "F" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "The server's CA", "F" },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, "The kiosk id", "ID" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Links a batch", "N" },
    { NULL }
  };

  context = g_option_context_new ("DATA_DIR");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || !url || !kiosk)
    {
      g_printerr ("central-syncer: %s\n", error ? error->message : "--url, --kiosk and one DATA_DIR, please");
      return 2;
    }

  params.url = url;
  params.password_file = password_file;
  params.ca_file = ca_file;
  if (!(store = ck_store_open (argv[1], CK_STORE_OPEN_RECOVER, &error)) ||
      !(central = ck_central_connect (&params, &error)))
    {
      g_printerr ("central-syncer: %s\n", error->message);
      return 1;
    }

  do
    {
      if (!ck_central_sync_batch (central, store, kiosk, (guint)batch, &result, &error))
        {
          g_printerr ("central-syncer: %s\n", error->message);
          return g_error_matches (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFLICT) ? 3 : 1;
        }
    }
  while (result.pending > 0);

  g_print ("synced %" G_GINT64_FORMAT "\n", result.receipt_seq);
  return 0;
}
