/* ck-cli-verify-pdf.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Proves a sealed consent with nothing but the file and the CAs: no store,
 * no configuration (unless --config names one, for its [signing] CA files),
 * so that anyone given a consent's PDF can check it on another machine. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-cli.h"

/* A consent is about 70 KB; a file this large is no consent. */
#define VERIFY_PDF_MAX_BYTES (64 * 1024 * 1024)

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static void
print_report (const char         *path,
              const CkSealReport *report)
{
  g_autoptr(GPtrArray) fields = ck_cli_fields_new ();
  gboolean ok = ck_seal_report_is_ok (report);

  ck_cli_fields_add (fields, _("File:"), path);
  ck_cli_fields_add (fields, _("Consent:"), report->consent_id);
  ck_cli_fields_add (fields, _("Name:"), report->name);
  ck_cli_fields_add (fields, _("Signed:"), yes_no (report->signed_));
  if (report->signed_)
    {
      ck_cli_fields_add (fields, _("Signing time:"), report->signing_time);
      ck_cli_fields_add (fields, _("Signer:"), report->signer);
      ck_cli_fields_add (fields, _("Signature valid:"), yes_no (report->valid));
      ck_cli_fields_add (fields, _("Signer trusted:"), yes_no (report->trusted));
      ck_cli_fields_add (fields, _("Whole document:"), yes_no (report->covers_document));
    }
  if (report->timestamps->len == 0)
    ck_cli_fields_add (fields, _("Timestamp:"), _("none"));
  for (guint i = 0; i < report->timestamps->len; i++)
    {
      const CkSealTimestamp *t = report->timestamps->pdata[i];
      /* TRANSLATORS: a timestamp: its time, the TSA's name, then "valid"
       * or "NOT valid" */
      g_autofree char *value = g_strdup_printf (_("%s by %s (%s)"),
                                                t->time ? t->time : "—",
                                                t->tsa ? t->tsa : "—",
                                                t->valid ? _("valid") : _("NOT valid"));

      ck_cli_fields_add (fields, t->document ? _("Document timestamp:") : _("Timestamp:"), value);
    }
  ck_cli_fields_add (fields, _("Result:"),
                     ok ? _("proven: sealed, unchanged and trusted")
                        : report->signed_ ? _("NOT proven") : _("NOT signed"));
  ck_cli_fields_print (fields);

  if (report->problems->len > 0)
    {
      g_print ("%s\n", _("Problems:"));
      for (guint i = 0; i < report->problems->len; i++)
        g_print ("  - %s\n", (const char *)report->problems->pdata[i]);
    }
}

static void
print_report_json (const char         *path,
                   const CkSealReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ck_seal_report_is_ok (report));
  json_builder_set_member_name (builder, "consent_id");
  if (report->consent_id)
    json_builder_add_string_value (builder, report->consent_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "name");
  if (report->name)
    json_builder_add_string_value (builder, report->name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "signed");
  json_builder_add_boolean_value (builder, report->signed_);
  json_builder_set_member_name (builder, "signing_time");
  if (report->signing_time)
    json_builder_add_string_value (builder, report->signing_time);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "signer");
  if (report->signer)
    json_builder_add_string_value (builder, report->signer);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, report->valid);
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, report->trusted);
  json_builder_set_member_name (builder, "covers_document");
  json_builder_add_boolean_value (builder, report->covers_document);

  json_builder_set_member_name (builder, "timestamps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->timestamps->len; i++)
    {
      const CkSealTimestamp *t = report->timestamps->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, t->document ? "document" : "signature");
      json_builder_set_member_name (builder, "time");
      if (t->time)
        json_builder_add_string_value (builder, t->time);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "tsa");
      if (t->tsa)
        json_builder_add_string_value (builder, t->tsa);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, t->valid);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->problems->len; i++)
    json_builder_add_string_value (builder, report->problems->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) root = json_builder_get_root (builder);

    json_generator_set_root (generator, root);
    json_generator_set_pretty (generator, TRUE);
    text = json_generator_to_data (generator, NULL);
  }
  g_print ("%s\n", text);
}

int
ck_cli_verify_pdf (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkSealReport) report = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *tsa_ca_file = NULL;
  gboolean json = FALSE;
  const char *path;
  int status;
  const GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("The CA certificates (PEM) the seal must chain to"), N_("FILE") },
    { "tsa-ca", 0, 0, G_OPTION_ARG_FILENAME, &tsa_ca_file,
      N_("The CA certificates (PEM) the time-stamping authority must chain to (default: --ca)"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — verify a sealed consent PDF"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Checks a consent's PDF with nothing but the file and the CA certificates: no\n"
      "store and no configuration are needed, so it works on any machine. Prints the\n"
      "consent id, the customer's name, the signing time and the signer; whether the\n"
      "signature is valid, chains to the CA given with --ca, and covers the whole file\n"
      "(later document timestamps apart); each timestamp's time and authority; and\n"
      "every problem found. With --config FILE, its [signing] ca_file and tsa_ca_file\n"
      "are the defaults of --ca and --tsa-ca.\n"
      "\n"
      "Exits 0 only when all of that holds and every timestamp is valid; 11 when the\n"
      "PDF carries no signature; 1 when it is signed but not proven, or when the file\n"
      "cannot be read or is not a PDF."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("FILE"))) != CK_CLI_EXIT_OK)
    return status;
  path = argv[1];

  if (ck_cli_get_config_path ())
    {
      if (!(config = ck_cli_load_config (&error)))
        return ck_cli_fail (error);
      if (ca_file == NULL && ck_config_get_signing_ca_file (config))
        ca_file = g_strdup (ck_config_get_signing_ca_file (config));
      if (tsa_ca_file == NULL && ck_config_get_tsa_ca_file (config))
        tsa_ca_file = g_strdup (ck_config_get_tsa_ca_file (config));
    }

  if (!(bytes = ck_file_read_regular (path, VERIFY_PDF_MAX_BYTES, &error)))
    return ck_cli_fail (error);
  if (!(report = ck_seal_verify_pdf (bytes, ca_file, tsa_ca_file, &error)))
    {
      g_prefix_error (&error, "%s: ", path);
      return ck_cli_fail (error);
    }

  if (json)
    print_report_json (path, report);
  else
    print_report (path, report);

  if (ck_seal_report_is_ok (report))
    return CK_CLI_EXIT_OK;

  return report->signed_ ? CK_CLI_EXIT_INVALID : CK_CLI_EXIT_NOT_SIGNED;
}
