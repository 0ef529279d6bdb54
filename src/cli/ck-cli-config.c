/* ck-cli-config.c: consentctl config
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ck.h"
#include "ck-cli.h"

/* What the AppCode line says; the AppCode itself is never printed. */
typedef enum
{
  APPCODE_NOT_SET,
  APPCODE_USABLE,
  APPCODE_UNUSABLE,
} AppcodeState;

/* Control characters as C escapes, so that a value stays on its line. */
static char *
escape_value (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if ((guchar)*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\x%02x", (guchar)*p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

static const char *
source_text (const char *source)
{
  if (g_str_equal (source, CK_CONFIG_SOURCE_DEFAULT))
    return _("default");
  if (g_str_equal (source, CK_CONFIG_SOURCE_ENVIRONMENT))
    return _("environment (CK_APPCODE)");

  return source;
}

static void
print_line (const char *key,
            const char *value,
            const char *source)
{
  g_print ("%s = %s    # %s\n", key, value, source_text (source));
}

/* The central archive's URL as the central line shows it: without its
 * parameters. It holds no password: the configuration refuses one. */
static char *
dup_central_url_shown (const char *url)
{
  g_autofree char *shown = g_strndup (url, strcspn (url, "?"));

  return escape_value (shown);
}

static void
print_config (CkConfig     *config,
              AppcodeState  appcode,
              const char   *seal,
              const char   *central)
{
  const char *previous = NULL;

  for (guint i = 0; i < ck_config_get_n_keys (); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *escaped = NULL;
      const char *group;
      const char *key;

      ck_config_get_key (i, &group, &key);
      if (previous == NULL || !g_str_equal (previous, group))
        g_print ("%s[%s]\n", previous ? "\n" : "", group);
      previous = group;

      value = ck_config_dup_value_text (config, group, key);
      /* A six-digit PIN is found from its hash in moments: the hash is
       * as secret as the PIN, only whether it is set is shown. */
      if (g_str_equal (group, "kiosk") && g_str_equal (key, "staff_pin_hash"))
        escaped = value && value[0] ? g_strdup (_("(set, hidden)")) : NULL;
      else if (value)
        escaped = escape_value (value);
      print_line (key, escaped ? escaped : _("(not set)"),
                  ck_config_get_source (config, group, key));

      /* The AppCode itself, right after the file it may come from. */
      if (g_str_equal (group, "verification") && g_str_equal (key, "appcode_file"))
        print_line ("appcode",
                    appcode == APPCODE_USABLE ? _("(set, redacted)") :
                    appcode == APPCODE_UNUSABLE ? _("(set, unusable)") : _("(not set)"),
                    ck_config_get_source (config, "verification", "appcode"));

      /* Whether consents are sealed, and by whom, after the group. */
      if (g_str_equal (group, "signing") && g_str_equal (key, "anchor_interval_s"))
        print_line ("seal", seal, ck_config_get_source (config, "signing", "key"));

      /* Whether consents leave this kiosk, and for where, after the group. */
      if (g_str_equal (group, "central") && g_str_equal (key, "warn_after_s"))
        print_line ("central", central, ck_config_get_source (config, "central", "url"));
    }
}

int
ck_cli_config (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) appcode_error = NULL;
  AppcodeState appcode = APPCODE_NOT_SET;
  g_autoptr(GError) seal_error = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autofree char *seal_text = NULL;
  g_autofree char *central_text = NULL;
  const char * const *warnings;
  gboolean check = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Only check: say what is wrong and exit 1, or exit 0"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show the kiosk configuration"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads /etc/consent-kiosk/kiosk.conf, then ~/.config/consent-kiosk/kiosk.conf\n"
      "(in $XDG_CONFIG_HOME), then the file given with “consentctl --config FILE”,\n"
      "each overriding the one before, and prints the value of every key and where\n"
      "it came from. The AppCode and the staff PIN's hash are never shown.\n"
      "\n"
      "Unknown groups and keys are reported on standard error. An error in the\n"
      "configuration is printed on standard error and the exit status is 1.\n"
      "With --check, also an unusable AppCode is an error, and nothing but the\n"
      "verdict is printed."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, NULL)) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)))
    {
      g_printerr ("%s\n", error->message);
      return CK_CLI_EXIT_INVALID;
    }

  if (ck_config_get_appcode_configured (config))
    {
      char *code = ck_config_dup_appcode (config, &appcode_error);

      appcode = code ? APPCODE_USABLE : APPCODE_UNUSABLE;
      ck_config_free_appcode (code);
    }

  /* The key is loaded (never shown) to say whether it can seal. */
  if (!ck_config_get_signing_configured (config))
    seal_text = g_strdup (_("(not configured: consents are stored as unsealed PDFs)"));
  else if ((seal = ck_seal_new (config, &seal_error)))
    seal_text = g_strdup_printf (_("(usable: %s)"), ck_seal_get_signer (seal));
  else
    seal_text = g_strdup (_("(set, unusable)"));

  if (!ck_config_get_central_configured (config))
    central_text = g_strdup (_("(not configured: consents stay on this kiosk only)"));
  else
    {
      g_autofree char *url = dup_central_url_shown (ck_config_get_central_url (config));

      /* TRANSLATORS: the central archive's address, then seconds */
      central_text = g_strdup_printf (_("%s (sync every %u s)"), url,
                                      ck_config_get_central_sync_interval_s (config));
    }

  if (!check)
    print_config (config, appcode, seal_text, central_text);

  warnings = ck_config_get_warnings (config);
  for (guint i = 0; warnings[i]; i++)
    g_printerr (_("Warning: %s\n"), warnings[i]);

  if (appcode_error != NULL)
    {
      if (check)
        {
          g_printerr ("%s\n", appcode_error->message);
          return CK_CLI_EXIT_INVALID;
        }
      g_printerr (_("Warning: %s\n"), appcode_error->message);
    }

  if (seal_error != NULL)
    {
      if (check)
        {
          g_printerr ("%s\n", seal_error->message);
          return CK_CLI_EXIT_INVALID;
        }
      g_printerr (_("Warning: %s\n"), seal_error->message);
    }

  if (check)
    g_print (_("The configuration is valid.\n"));

  return CK_CLI_EXIT_OK;
}
