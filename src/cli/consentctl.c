/* consentctl.c: the staff and automation tool
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ck.h"
#include "ck-cli.h"

static const struct {
  const char *name;
  CkCliCommandFunc func;
  const char *summary;
} commands[] = {
  { "check-id", ck_cli_check_id, N_("Validate a resident ID number") },
  { "check-name", ck_cli_check_name, N_("Validate a customer's name") },
  { "record", ck_cli_record, N_("Store a signed consent, then verify it") },
  { "verify", ck_cli_verify, N_("Verify a stored consent, or every one due") },
  { "list", ck_cli_list, N_("List stored consents") },
  { "show", ck_cli_show, N_("Show one consent") },
  { "pdf", ck_cli_pdf, N_("Copy out a consent's signed PDF") },
  { "export", ck_cli_export, N_("Export consent records as CSV or JSON") },
  { "withdraw", ck_cli_withdraw, N_("Record that the customer withdrew a consent") },
  { "usage", ck_cli_usage, N_("Show the paid verification calls used, and export them") },
  { "purge", ck_cli_purge, N_("Remove consents older than a date") },
  { "check", ck_cli_check, N_("Verify every PDF and the hash chain") },
  { "sync", ck_cli_sync, N_("Send this kiosk's consents to the central archive, or show where that stands") },
  { "central", ck_cli_central, N_("Set up the central archive, register kiosks, check and purge it") },
  { "seal", ck_cli_seal, N_("Show what waits to be sealed or timestamped; seal and anchor now") },
  { "verify-pdf", ck_cli_verify_pdf, N_("Verify a sealed consent PDF, with no store needed") },
  { "backup", ck_cli_backup, N_("Write the data directory to one backup file") },
  { "restore", ck_cli_restore, N_("Restore a backup file into an empty data directory") },
  { "card-read", ck_cli_card_read, N_("Read the ID card on the reader, or the reader's status") },
  { "render", ck_cli_render, N_("Write a consent PDF without storing anything") },
  { "config", ck_cli_config, N_("Show or check the kiosk configuration") },
  { "pin-hash", ck_cli_pin_hash, N_("Make the staff PIN's hash for the configuration") },
};

/* From the global options --config FILE and --data-dir DIR. */
static const char *config_path;
static const char *data_dir;
/* From --central URL, --central-ca-file FILE, --central-password-file FILE. */
static const char *central_url;
static const char *central_ca_file;
static const char *central_password_file;

/* The commands that read the central archive with --central URL. */
static const char * const central_commands[] = { "list", "show", "export", "pdf", "usage", "check" };

/**
 * ck_cli_get_config_path:
 *
 * Returns: (nullable): the file given with `consentctl --config FILE`
 */
const char *
ck_cli_get_config_path (void)
{
  return config_path;
}

/**
 * ck_cli_load_config:
 *
 * Loads the configuration every command uses: the system file, the user's
 * file, then the file given with `--config`, if any.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
CkConfig *
ck_cli_load_config (GError **error)
{
  return ck_config_load (NULL, NULL, config_path, error);
}

/**
 * ck_cli_open_store:
 * @config: the configuration
 * @flags: %CK_STORE_OPEN_RECOVER for commands that write,
 *   %CK_STORE_OPEN_READ_ONLY for those that only look
 *
 * Opens the store in `--data-dir DIR`, else in the configured data_dir.
 *
 * Returns: (transfer full) (nullable): the store
 */
CkStore *
ck_cli_open_store (CkConfig          *config,
                   CkStoreOpenFlags   flags,
                   GError           **error)
{
  CkStore *store = ck_store_open (ck_cli_get_data_dir (config), flags, error);
  g_autofree char *note = store ? ck_store_dup_read_only_note (store) : NULL;

  if (note)
    g_printerr ("%s\n", note);
  /* A purge leaves alone what the central archive has not acknowledged. */
  if (store)
    ck_store_set_require_synced (store, ck_config_get_central_configured (config) &&
                                        ck_config_get_central_require_synced_before_purge (config));

  return store;
}

/**
 * ck_cli_get_data_dir:
 * @config: the configuration
 *
 * Returns: the data directory given with `--data-dir DIR`, else the
 *   configured one
 */
const char *
ck_cli_get_data_dir (CkConfig *config)
{
  return data_dir ? data_dir : ck_config_get_data_dir (config);
}

/**
 * ck_cli_get_central_url:
 *
 * Returns: (nullable): the archive given with `consentctl --central URL`:
 *   list, show, export, pdf, usage and check read it instead of the store
 */
const char *
ck_cli_get_central_url (void)
{
  return central_url;
}

/**
 * ck_cli_connect_central:
 * @config: the configuration
 * @url: the archive's URL, a role of staff or IT
 *
 * Connects to the central archive with `--central-ca-file` and
 * `--central-password-file`, each else [central] ca_file and
 * password_file of @config.
 *
 * Returns: (transfer full) (nullable): the connection
 */
CkCentral *
ck_cli_connect_central (CkConfig    *config,
                        const char  *url,
                        const char  *ca_file,
                        const char  *password_file,
                        GError     **error)
{
  CkCentralParams params = { 0 };

  params.url = url;
  params.ca_file = ca_file ? ca_file : central_ca_file;
  params.password_file = password_file ? password_file : central_password_file;
  if (params.ca_file == NULL && config)
    params.ca_file = ck_config_get_central_ca_file (config);
  if (params.password_file == NULL && config)
    params.password_file = ck_config_get_central_password_file (config);

  return ck_central_connect (&params, error);
}

/* Converts a command-line argument from the locale's encoding; invalid
 * bytes are left for the validators, which name the problem. */
char *
ck_cli_arg_to_utf8 (const char *arg)
{
  char *utf8;

  if (g_get_charset (NULL))
    return g_strdup (arg);

  if ((utf8 = g_locale_to_utf8 (arg, -1, NULL, NULL, NULL)))
    return utf8;

  return g_strdup (arg);
}

/**
 * ck_cli_fail:
 * @error: why the command failed
 *
 * Prints @error's message on standard error.
 *
 * Returns: %CK_CLI_EXIT_INVALID
 */
int
ck_cli_fail (const GError *error)
{
  g_printerr ("%s\n", error->message);
  return CK_CLI_EXIT_INVALID;
}

/* Parses the options of a command and checks that exactly @n_positional
 * arguments follow its name; @positional_name is not used when there are
 * none. With @n_positional -1 the command checks its arguments itself,
 * with ck_cli_check_positional(), once its options say how many it takes. */
int
ck_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv,
                      int               n_positional,
                      const char       *positional_name)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("consentctl %s: %s\n", (*argv)[0], error->message);
      g_printerr (_("Try “consentctl %s --help”.\n"), (*argv)[0]);
      return CK_CLI_EXIT_USAGE;
    }

  if (n_positional < 0)
    return CK_CLI_EXIT_OK;

  return ck_cli_check_positional (*argc, *argv, n_positional, positional_name);
}

/* Checks that exactly @n_positional arguments follow the command's name
 * once its options are parsed. */
int
ck_cli_check_positional (int          argc,
                         char       **argv,
                         int          n_positional,
                         const char  *positional_name)
{
  if (n_positional == 0 && argc > 1)
    {
      g_printerr (_("consentctl %s: unexpected argument “%s”.\n"), argv[0], argv[1]);
      g_printerr (_("Try “consentctl %s --help”.\n"), argv[0]);
      return CK_CLI_EXIT_USAGE;
    }

  if (argc != n_positional + 1)
    {
      g_printerr (_("consentctl %s: expected %s.\n"), argv[0], positional_name);
      g_printerr (_("Try “consentctl %s --help”.\n"), argv[0]);
      return CK_CLI_EXIT_USAGE;
    }

  return CK_CLI_EXIT_OK;
}

/**
 * ck_cli_fields_new:
 *
 * Returns: (transfer full): an empty list of label and value pairs for
 *   ck_cli_fields_add() and ck_cli_fields_print()
 */
GPtrArray *
ck_cli_fields_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

/**
 * ck_cli_fields_add:
 * @label: a translated label
 * @value: (nullable): its value; %NULL is shown as “—”
 *
 * Adds a copy of the pair to @fields.
 */
void
ck_cli_fields_add (GPtrArray  *fields,
                   const char *label,
                   const char *value)
{
  g_ptr_array_add (fields, g_strdup (label));
  g_ptr_array_add (fields, g_strdup (value ? value : "—"));
}

/**
 * ck_cli_fields_print:
 *
 * Prints one "label value" line a pair of @fields, the values aligned in a
 * column whatever the labels' language (a Han character takes two columns).
 */
void
ck_cli_fields_print (GPtrArray *fields)
{
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (glong));
  glong width = 0;

  for (guint i = 0; i + 1 < fields->len; i += 2)
    {
      g_autofree gunichar *ucs = g_utf8_to_ucs4 (fields->pdata[i], -1, NULL, NULL, NULL);
      glong w = 0;

      for (guint c = 0; ucs && ucs[c]; c++)
        w += g_unichar_iswide (ucs[c]) ? 2 : 1;
      width = MAX (width, w);
      g_array_append_val (widths, w);
    }

  for (guint i = 0; i + 1 < fields->len; i += 2)
    g_print ("%s%*s %s\n",
             (const char *)fields->pdata[i],
             (int)(width - g_array_index (widths, glong, i / 2)), "",
             (const char *)fields->pdata[i + 1]);
}

/**
 * ck_cli_print_fields:
 * @first_label: a translated label, then its value, then more pairs, then %NULL
 *
 * Prints the pairs as ck_cli_fields_print() does.
 */
void
ck_cli_print_fields (const char *first_label,
                     ...)
{
  g_autoptr(GPtrArray) fields = ck_cli_fields_new ();
  const char *label;
  va_list args;

  va_start (args, first_label);
  for (label = first_label; label; label = va_arg (args, const char *))
    ck_cli_fields_add (fields, label, va_arg (args, const char *));
  va_end (args);

  ck_cli_fields_print (fields);
}

static void
print_usage (gboolean to_stderr)
{
  g_autoptr(GString) usage = g_string_new (NULL);

  g_string_append_printf (usage, "%s\n  consentctl %s\n  consentctl %s\n\n%s\n",
                          _("Usage:"), _("[--config FILE] [--data-dir DIR] COMMAND [OPTION…] [ARGUMENT…]"),
                          _("--central URL [--central-ca-file FILE] [--central-password-file FILE] "
                            "list|show|export|pdf|usage|check [OPTION…]"),
                          _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (usage, "  %-14s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (usage,
                          "\n%s\n  -h, --help       %s\n  --version        %s\n  --config FILE    %s\n"
                          "  --data-dir DIR   %s\n  --central URL    %s\n"
                          "  --central-ca-file FILE, --central-password-file FILE\n                   %s\n\n%s\n",
                          _("Options:"),
                          _("Show this help"),
                          _("Show the version"),
                          _("Read this configuration file after the system and user ones"),
                          _("Use this data directory instead of the configured one"),
                          _("Read the central archive, every branch, as this staff role (a libpq URI)"),
                          _("Its CA and the role's password (0600); else [central] ca_file and password_file"),
                          _("“consentctl COMMAND --help” describes a command."));

  if (to_stderr)
    g_printerr ("%s", usage->str);
  else
    g_print ("%s", usage->str);
}

int
main (int    argc,
      char **argv)
{
  const char *name;
  int first = 1;

  setlocale (LC_ALL, "");
  /* Standard output is for results (record's first line is the consent
   * id): debugging messages (G_MESSAGES_DEBUG) go with the others. */
  g_log_writer_default_set_use_stderr (TRUE);
  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("consentctl");

  /* Global options come before the command. */
  while (first < argc)
    {
      static const struct {
        const char *name;
        const char **value;
      } globals[] = {
        { "--config", &config_path },
        { "--data-dir", &data_dir },
        { "--central", &central_url },
        { "--central-ca-file", &central_ca_file },
        { "--central-password-file", &central_password_file },
      };
      gboolean matched = FALSE;

      for (guint g = 0; g < G_N_ELEMENTS (globals) && !matched; g++)
        {
          gsize len = strlen (globals[g].name);

          if (!g_str_has_prefix (argv[first], globals[g].name) ||
              (argv[first][len] != '\0' && argv[first][len] != '='))
            continue;

          matched = TRUE;
          if (argv[first][len] == '=' && argv[first][len + 1])
            {
              *globals[g].value = argv[first] + len + 1;
              first += 1;
            }
          else if (argv[first][len] == '\0' && first + 1 < argc && argv[first + 1][0])
            {
              *globals[g].value = argv[first + 1];
              first += 2;
            }
          else
            {
              g_printerr (_("consentctl: %s needs a value.\n"), globals[g].name);
              return CK_CLI_EXIT_USAGE;
            }
        }

      if (!matched)
        break;
    }

  if (first >= argc)
    {
      print_usage (TRUE);
      return CK_CLI_EXIT_USAGE;
    }

  name = argv[first];

  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (FALSE);
      return CK_CLI_EXIT_OK;
    }

  if (g_str_equal (name, "--version"))
    {
      g_print ("consentctl %s\n", PACKAGE_VERSION);
      return CK_CLI_EXIT_OK;
    }

  if ((central_ca_file || central_password_file) && !central_url)
    {
      g_printerr (_("consentctl: --central-ca-file and --central-password-file go with --central URL.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if (central_url)
    {
      gboolean reads_central = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (central_commands); i++)
        reads_central = reads_central || g_str_equal (name, central_commands[i]);
      if (!reads_central)
        {
          g_printerr (_("consentctl: --central URL goes with list, show, export, pdf, usage and check, "
                        "not “%s”.\n"),
                      name);
          return CK_CLI_EXIT_USAGE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("consentctl %s", name);

        /* So that “COMMAND --help” says “consentctl COMMAND”. */
        g_set_prgname (prgname);
        return commands[i].func (argc - first, argv + first);
      }

  g_printerr (_("consentctl: unknown command “%s”.\n"), name);
  print_usage (TRUE);

  return CK_CLI_EXIT_USAGE;
}
