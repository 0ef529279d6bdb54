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
  { "record", ck_cli_record, N_("Store a signed consent") },
  { "list", ck_cli_list, N_("List stored consents") },
  { "show", ck_cli_show, N_("Show one consent") },
  { "pdf", ck_cli_pdf, N_("Copy out a consent's signed PDF") },
  { "export", ck_cli_export, N_("Export consent records as CSV or JSON") },
  { "purge", ck_cli_purge, N_("Remove consents older than a date") },
  { "check", ck_cli_check, N_("Verify every PDF and the hash chain") },
  { "render", ck_cli_render, N_("Write a consent PDF without storing anything") },
  { "config", ck_cli_config, N_("Show or check the kiosk configuration") },
  { "pin-hash", ck_cli_pin_hash, N_("Make the staff PIN's hash for the configuration") },
};

/* From the global options --config FILE and --data-dir DIR. */
static const char *config_path;
static const char *data_dir;

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
  return ck_store_open (data_dir ? data_dir : ck_config_get_data_dir (config), flags, error);
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

/* Parses the options of a command and checks that exactly @n_positional
 * arguments follow its name; @positional_name is not used when there are
 * none. */
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

  if (n_positional == 0 && *argc > 1)
    {
      g_printerr (_("consentctl %s: unexpected argument “%s”.\n"), (*argv)[0], (*argv)[1]);
      g_printerr (_("Try “consentctl %s --help”.\n"), (*argv)[0]);
      return CK_CLI_EXIT_USAGE;
    }

  if (*argc != n_positional + 1)
    {
      g_printerr (_("consentctl %s: expected %s.\n"), (*argv)[0], positional_name);
      g_printerr (_("Try “consentctl %s --help”.\n"), (*argv)[0]);
      return CK_CLI_EXIT_USAGE;
    }

  return CK_CLI_EXIT_OK;
}

/**
 * ck_cli_print_fields:
 * @first_label: a translated label, then its value, then more pairs, then %NULL
 *
 * Prints one "label value" line a pair, the values aligned in a column
 * whatever the labels' language (a Han character takes two columns).
 */
void
ck_cli_print_fields (const char *first_label,
                     ...)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();
  glong width = 0;
  const char *label;
  va_list args;

  va_start (args, first_label);
  for (label = first_label; label; label = va_arg (args, const char *))
    {
      g_autofree gunichar *ucs = g_utf8_to_ucs4 (label, -1, NULL, NULL, NULL);
      glong w = 0;

      for (guint i = 0; ucs && ucs[i]; i++)
        w += g_unichar_iswide (ucs[i]) ? 2 : 1;
      width = MAX (width, w);

      g_ptr_array_add (pairs, (gpointer)label);
      g_ptr_array_add (pairs, va_arg (args, char *));
      g_ptr_array_add (pairs, GSIZE_TO_POINTER (w));
    }
  va_end (args);

  for (guint i = 0; i < pairs->len; i += 3)
    g_print ("%s%*s %s\n",
             (const char *)pairs->pdata[i],
             (int)(width - GPOINTER_TO_SIZE (pairs->pdata[i + 2])), "",
             (const char *)pairs->pdata[i + 1]);
}

static void
print_usage (gboolean to_stderr)
{
  g_autoptr(GString) usage = g_string_new (NULL);

  g_string_append_printf (usage, "%s\n  consentctl %s\n\n%s\n",
                          _("Usage:"), _("[--config FILE] [--data-dir DIR] COMMAND [OPTION…] [ARGUMENT…]"),
                          _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (usage, "  %-14s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (usage,
                          "\n%s\n  -h, --help       %s\n  --version        %s\n  --config FILE    %s\n"
                          "  --data-dir DIR   %s\n\n%s\n",
                          _("Options:"),
                          _("Show this help"),
                          _("Show the version"),
                          _("Read this configuration file after the system and user ones"),
                          _("Use this data directory instead of the configured one"),
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
