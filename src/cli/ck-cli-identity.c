/* ck-cli-identity.c: consentctl check-id and check-name
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ck.h"
#include "ck-cli.h"

int
ck_cli_check_id (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *on = NULL;
  g_autofree char *input = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *province = NULL;
  GDate today;
  int status;
  const GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_STRING, &on,
      N_("Judge the birth date as of that date instead of today"), N_("YYYY-MM-DD") },
    { NULL }
  };

  context = g_option_context_new (_("ID — validate a resident ID number"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Normalises the number (full-width digits, spaces, hyphens and a lowercase x are\n"
      "accepted) and checks its length, province, birth date and check character.\n"
      "A 15-digit number from an old card is converted to 18 characters.\n"
      "\n"
      "Prints the normalised number, birth date, sex and province and exits 0;\n"
      "prints what is wrong on standard error and exits 1 otherwise."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("ID"))) != CK_CLI_EXIT_OK)
    return status;

  g_date_clear (&today, 1);
  if (on != NULL)
    {
      if (!ck_date_parse (on, &today))
        {
          g_printerr (_("consentctl: --on takes a date as YYYY-MM-DD, not “%s”.\n"), on);
          return CK_CLI_EXIT_USAGE;
        }
    }
  else
    g_date_set_time_t (&today, time (NULL));

  input = ck_cli_arg_to_utf8 (argv[1]);
  if (!(idcard = ck_idcard_parse_on (input, &today, &error)))
    {
      g_printerr ("%s\n", error->message);
      return CK_CLI_EXIT_INVALID;
    }

  if ((notice = ck_idcard_dup_upgrade_notice (idcard)))
    g_printerr (_("Note: %s\n"), notice);

  birth = ck_idcard_format_birth_date (idcard);
  province = g_strdup_printf ("%s %s",
                              ck_idcard_get_province_code (idcard),
                              ck_idcard_get_province_name (idcard));
  ck_cli_print_fields (_("Number:"), ck_idcard_get_number (idcard),
                       _("Birth date:"), birth,
                       _("Sex:"), ck_sex_to_string (ck_idcard_get_sex (idcard)),
                       _("Province:"), province,
                       NULL);

  return CK_CLI_EXIT_OK;
}

int
ck_cli_check_name (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *name = NULL;
  gboolean allow_latin = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "allow-latin", 0, 0, G_OPTION_ARG_NONE, &allow_latin,
      N_("Also accept foreign names in Latin letters"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("NAME — validate a customer's name"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Accepts Han characters from every CJK block (Extensions A–G included) and the\n"
      "middle dot; normalises to NFC, trims white space and turns middle-dot look-alikes\n"
      "into U+00B7. Rejects digits, Latin letters, control characters and names longer\n"
      "than 30 characters.\n"
      "\n"
      "Prints the normalised name and exits 0; prints what is wrong on standard error\n"
      "and exits 1 otherwise."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("NAME"))) != CK_CLI_EXIT_OK)
    return status;

  input = ck_cli_arg_to_utf8 (argv[1]);
  if (!(name = ck_name_normalize (input,
                                  allow_latin ? CK_NAME_FLAGS_ALLOW_LATIN : CK_NAME_FLAGS_NONE,
                                  &error)))
    {
      g_printerr ("%s\n", error->message);
      return CK_CLI_EXIT_INVALID;
    }

  g_print ("%s\n", name);

  return CK_CLI_EXIT_OK;
}
