/* ck-cli-backup.c: consentctl backup, restore
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-cli.h"

static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* The fields both commands print about a backup. */
static void
add_info_fields (GPtrArray          *fields,
                 const CkBackupInfo *info)
{
  g_autofree char *consents = format_count (info->consents);
  g_autofree char *events = format_count (info->events);
  g_autofree char *attempts = format_count (info->attempts);
  g_autofree char *files = NULL;
  g_autofree char *head = NULL;

  {
    g_autofree char *n = format_count (info->files);
    g_autofree char *bytes = format_count (info->file_bytes);

    /* TRANSLATORS: files in a backup, and their total size, e.g. "3 (150234 bytes)" */
    files = g_strdup_printf (_("%s (%s bytes)"), n, bytes);
  }
  {
    g_autofree char *seq = format_count (info->chain_seq);

    head = g_strdup_printf ("%s %s", seq, info->chain_head);
  }

  ck_cli_fields_add (fields, _("Made:"), info->created_at);
  ck_cli_fields_add (fields, _("Kiosk:"), info->kiosk_id);
  ck_cli_fields_add (fields, _("From:"), info->source_dir);
  ck_cli_fields_add (fields, _("Consents:"), consents);
  ck_cli_fields_add (fields, _("Events:"), events);
  ck_cli_fields_add (fields, _("Attempts:"), attempts);
  ck_cli_fields_add (fields, _("Files:"), files);
  ck_cli_fields_add (fields, _("Chain head:"), head);
}

/* --- backup ------------------------------------------------------------ */

int
ck_cli_backup (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE, quiet = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line on a terminal"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — write the data directory to one backup file"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Copies the consent database (consistently, while the kiosk keeps working) and\n"
      "every PDF it refers to into FILE, a single SQLite file (mode 0600), then checks\n"
      "it as a restore would and keeps it only if it would restore intact. The backup\n"
      "holds whole ID numbers and signatures: keep it as safe as the kiosk. It does\n"
      "not hold the configuration or the AppCode file.\n"
      "\n"
      "Exits 0 once FILE is written and checked, 1 if anything failed (FILE is then\n"
      "left as it was), 2 if the command line was wrong."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a backup file"))) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)) ||
      !(store = ck_cli_open_store (config, CK_STORE_OPEN_READ_ONLY, &error)))
    return ck_cli_fail (error);
  progress = ck_cli_progress_new (_("Backing up"), quiet);
  info = ck_backup_create_full (store, argv[1], ck_config_get_kiosk_id (config),
                                force ? CK_BACKUP_FORCE : CK_BACKUP_FLAGS_NONE,
                                ck_cli_progress_update, progress, &error);
  g_clear_pointer (&progress, ck_cli_progress_free);
  if (info == NULL)
    return ck_cli_fail (error);

  fields = ck_cli_fields_new ();
  ck_cli_fields_add (fields, _("Backup:"), argv[1]);
  add_info_fields (fields, info);
  ck_cli_fields_print (fields);
  g_print (_("The backup holds whole ID numbers and signatures (mode 0600): store and move it "
             "as carefully as the kiosk itself.\n"));

  return CK_CLI_EXIT_OK;
}

/* --- restore ----------------------------------------------------------- */

int
ck_cli_restore (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gboolean force = FALSE, quiet = FALSE;
  const char *target;
  int status;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Restore into this directory instead of the configured data directory"), N_("DIR") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Restore even if the directory is not empty: its contents are moved to "
         "DIR.before-restore-TIMESTAMP"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line on a terminal"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — restore a backup into an empty data directory"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Checks the whole backup first — that it is a Consent Kiosk backup this version\n"
      "reads, that it matches its manifest, every file its SHA-256 and the hash chain —\n"
      "and changes nothing if it is not intact. Then writes it into a new directory\n"
      "beside the target, checks it as “consentctl check” does, records the restore in\n"
      "its event log, and only then renames it into place: a restore that fails leaves\n"
      "the target as it was. Stop the kiosk first.\n"
      "\n"
      "Exits 0 once restored and intact, 1 if anything failed, 2 if the command line\n"
      "was wrong."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a backup file"))) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  target = dir ? dir : ck_cli_get_data_dir (config);

  progress = ck_cli_progress_new (_("Restoring"), quiet);
  info = ck_backup_restore_full (argv[1], target, force ? CK_BACKUP_FORCE : CK_BACKUP_FLAGS_NONE,
                                 ck_cli_progress_update, progress, &error);
  g_clear_pointer (&progress, ck_cli_progress_free);
  if (info == NULL)
    return ck_cli_fail (error);

  fields = ck_cli_fields_new ();
  ck_cli_fields_add (fields, _("Restored:"), argv[1]);
  add_info_fields (fields, info);
  ck_cli_fields_add (fields, _("Into:"), target);
  if (info->moved_aside)
    ck_cli_fields_add (fields, _("Moved aside:"), info->moved_aside);
  ck_cli_fields_print (fields);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u consent checked: intact.\n",
                        "%u consents checked: all intact.\n", (gulong)info->consents),
           (guint)info->consents);

  return CK_CLI_EXIT_OK;
}
