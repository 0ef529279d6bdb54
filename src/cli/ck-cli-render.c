/* ck-cli-render.c: consentctl render
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


static CkSignature *
load_signature (const char  *path,
                GError     **error)
{
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(bytes = ck_file_read_regular (path, CK_SIGNATURE_MAX_BYTES, &local_error)))
    {
      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("Cannot read the signature %s: %s"), path, local_error->message);
      return NULL;
    }

  if (!(signature = ck_signature_deserialize (bytes, &local_error)) ||
      !ck_signature_check_acceptable (signature, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }

  return g_steal_pointer (&signature);
}

int
ck_cli_render (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name_arg = NULL;
  g_autofree char *id_arg = NULL;
  g_autofree char *date_arg = NULL;
  g_autofree char *signature_path = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *consent_id = NULL;
  g_autofree char *created_arg = NULL;
  g_autofree char *name = NULL;
  g_autofree char *year = NULL;
  g_autofree char *month = NULL;
  g_autofree char *day = NULL;
  g_autofree char *digest = NULL;
  CkPdfRequest request = { 0 };
  GDate date;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name_arg, N_("The customer's name"), N_("NAME") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id_arg, N_("The resident ID number"), N_("ID") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_arg,
      N_("The date of signing (default: today)"), N_("YYYY-MM-DD") },
    { "signature", 0, 0, G_OPTION_ARG_FILENAME, &signature_path,
      N_("A signature in the kiosk's format (default: a sample signature)"), N_("FILE") },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path,
      N_("A letter template (default: [kiosk] template, else the built-in letter)"), N_("FILE") },
    { "consent-id", 0, 0, G_OPTION_ARG_STRING, &consent_id,
      N_("The consent id in the footer (default: a new UUID)"), N_("UUID") },
    { "created", 0, 0, G_OPTION_ARG_STRING, &created_arg,
      N_("The creation time in the metadata, ISO 8601 (default: now)"), N_("TIME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the PDF"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— write a consent PDF without storing anything"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Renders the letter and declaration filled with the organisation's values from the\n"
      "configuration and the given name, ID number and date, with the signature drawn\n"
      "at both signature lines, as the kiosk would store it. For previews and template\n"
      "checks: nothing is saved and nothing is verified. The PDF is written with mode\n"
      "0600, since it holds personal data.\n"
      "\n"
      "Exits 1 with the specific message when an input is invalid."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;

  if (name_arg == NULL || id_arg == NULL || output == NULL)
    {
      g_printerr (_("consentctl render: --name, --id and -o are required.\n"));
      return CK_CLI_EXIT_USAGE;
    }

  g_date_clear (&date, 1);
  if (date_arg == NULL)
    g_date_set_time_t (&date, time (NULL));
  else if (!ck_date_parse (date_arg, &date))
    {
      g_printerr (_("consentctl: --date takes a date as YYYY-MM-DD, not “%s”.\n"), date_arg);
      return CK_CLI_EXIT_USAGE;
    }

  if (created_arg == NULL)
    created = g_date_time_new_now_utc ();
  else if (!(created = g_date_time_new_from_iso8601 (created_arg, utc)))
    {
      g_printerr (_("consentctl: --created takes an ISO 8601 time such as "
                    "2026-11-28T09:30:00+08:00, not “%s”.\n"), created_arg);
      return CK_CLI_EXIT_USAGE;
    }

  if (!(config = ck_cli_load_config (&error)))
    goto invalid;

  {
    g_autofree char *input = ck_cli_arg_to_utf8 (name_arg);

    if (!(name = ck_name_normalize (input, CK_NAME_FLAGS_NONE, &error)))
      goto invalid;
  }
  {
    g_autofree char *input = ck_cli_arg_to_utf8 (id_arg);

    if (!(idcard = ck_idcard_parse_on (input, &date, &error)))
      goto invalid;
  }

  if (template_path == NULL && ck_config_get_template_path (config))
    template_path = g_strdup (ck_config_get_template_path (config));
  template = template_path ? ck_template_new_from_file (template_path, &error)
                           : ck_template_new_default (&error);
  if (template == NULL)
    goto invalid;

  signature = signature_path ? load_signature (signature_path, &error)
                             : ck_sample_signature_new (400);
  if (signature == NULL)
    goto invalid;

  if (!(fonts = ck_font_set_new_default (&error)))
    goto invalid;

  year = g_strdup_printf ("%u", g_date_get_year (&date));
  month = g_strdup_printf ("%u", g_date_get_month (&date));
  day = g_strdup_printf ("%u", g_date_get_day (&date));
  if (consent_id == NULL)
    consent_id = g_uuid_string_random ();

  request.template = template;
  request.values[CK_TEMPLATE_FIELD_COMPANY] = ck_config_get_organization_name (config);
  request.values[CK_TEMPLATE_FIELD_BUSINESS] = ck_config_get_organization_business (config);
  request.values[CK_TEMPLATE_FIELD_PURPOSE] = ck_config_get_organization_purpose (config);
  request.values[CK_TEMPLATE_FIELD_NAME] = name;
  request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = ck_idcard_get_number (idcard);
  request.values[CK_TEMPLATE_FIELD_YEAR] = year;
  request.values[CK_TEMPLATE_FIELD_MONTH] = month;
  request.values[CK_TEMPLATE_FIELD_DAY] = day;
  request.signature = signature;
  request.consent_id = consent_id;
  request.kiosk_id = ck_config_get_kiosk_id (config);
  request.organization = ck_config_get_organization_name (config);
  request.created = created;
  request.demo = ck_config_get_provider (config) == CK_VERIFIER_PROVIDER_DEMO;
  request.example = ck_config_get_organization_example (config);

  for (guint i = CK_TEMPLATE_FIELD_COMPANY; i <= CK_TEMPLATE_FIELD_PURPOSE; i++)
    if (ck_template_uses_field (template, i) && !(request.values[i] && request.values[i][0]))
      g_printerr (_("Note: the configuration sets no value for {%s}; the PDF shows a blank.\n"),
                  ck_template_field_to_string (i));

  if (!(pdf = ck_pdf_render (fonts, &request, &error)))
    goto invalid;

  if (!ck_cli_write_private_file (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    goto invalid;

  digest = ck_pdf_compute_digest (&request);
  g_print (_("Wrote %s (%zu bytes); content digest %s\n"),
           output, g_bytes_get_size (pdf), digest);

  return CK_CLI_EXIT_OK;

invalid:
  g_printerr ("%s\n", error->message);
  return CK_CLI_EXIT_INVALID;
}
