/* ck-cli-staff.c: consentctl withdraw, usage
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ck.h"
#include "ck-cli.h"
#include "ck-export-full.h"

/**
 * ck_cli_check_state:
 * @state: a --state argument
 *
 * Returns: whether @state names a verification state; if not, says so on
 *   standard error
 */
gboolean
ck_cli_check_state (const char *state)
{
  if (ck_verify_state_from_string (state, NULL))
    return TRUE;

  g_printerr (_("consentctl: “%s” is not a verification state (unverified, in-progress, verified, "
                "not-matched, undetermined, rejected, retrying, failed, withdrawn).\n"), state);
  return FALSE;
}

/* --- withdraw ------------------------------------------------------------ */

int
ck_cli_withdraw (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_arg = NULL;
  g_autofree char *note_arg = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *note = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_arg,
      N_("The staff member recording the withdrawal (required)"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note_arg,
      N_("What the customer said, or a reference"), N_("TEXT") },
    { NULL }
  };

  context = g_option_context_new (_("ID — record that the customer withdrew consent"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Records the customer's withdrawal of the consent as an event in the hash chain\n"
      "(time, operator, note) and takes the consent out of the verification queue: no\n"
      "verification runs for it any more. The consent and its PDF are kept, as the\n"
      "record of what was agreed and when it was withdrawn.\n"
      "\n"
      "Exits 0 once recorded; 1 for an unknown or already withdrawn consent."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a consent id"))) != CK_CLI_EXIT_OK)
    return status;
  operator_name = operator_arg ? g_strstrip (ck_cli_arg_to_utf8 (operator_arg)) : NULL;
  if (operator_name == NULL || operator_name[0] == '\0')
    {
      g_printerr (_("consentctl withdraw: --operator NAME is required.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  note = note_arg ? ck_cli_arg_to_utf8 (note_arg) : NULL;

  if (!(config = ck_cli_load_config (&error)) ||
      !(store = ck_cli_open_store (config, CK_STORE_OPEN_RECOVER, &error)) ||
      !ck_store_withdraw (store, argv[1], operator_name, note, &error) ||
      !(withdrawal = ck_store_lookup_withdrawal (store, argv[1], &error)))
    return ck_cli_fail (error);

  g_print (_("Consent %s withdrawn at %s, recorded by %s. It is not verified any more.\n"),
           withdrawal->consent_uuid, withdrawal->at, withdrawal->operator_name);
  return CK_CLI_EXIT_OK;
}

/* --- usage --------------------------------------------------------------- */

/* The attempt of element @i of @calls: CkVerifyAttempt, or with @central
 * CkCentralCall. */
static const CkVerifyAttempt *
call_attempt (GPtrArray *calls,
              gboolean   central,
              guint      i)
{
  return central ? ((CkCentralCall *)calls->pdata[i])->attempt : calls->pdata[i];
}

static char *
calls_csv (GPtrArray *calls,
           gboolean   central)
{
  GString *csv = g_string_new ("\xEF\xBB\xBF");   /* a BOM, as export writes */

  g_string_append (csv, "time,consent_id,outcome,http_status,request_id,billed");
  g_string_append (csv, central ? ",kiosk_id,branch\r\n" : "\r\n");
  for (guint i = 0; i < calls->len; i++)
    {
      const CkVerifyAttempt *a = call_attempt (calls, central, i);
      g_autofree char *http = g_strdup_printf ("%u", a->http_status);

      ck_export_csv_field (csv, a->started_at, FALSE);
      ck_export_csv_field (csv, ck_usage_consent_id_to_string (a), FALSE);
      ck_export_csv_field (csv, a->outcome, FALSE);
      ck_export_csv_field (csv, http, FALSE);
      ck_export_csv_field (csv, a->request_id, FALSE);
      ck_export_csv_field (csv, ck_usage_billed_to_string (a), !central);
      if (central)
        {
          const CkCentralCall *call = calls->pdata[i];

          ck_export_csv_field (csv, call->kiosk_id, FALSE);
          ck_export_csv_field (csv, call->branch, TRUE);
        }
    }

  return g_string_free (csv, FALSE);
}

static char *
calls_json (GPtrArray *calls,
            gboolean   central)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < calls->len; i++)
    {
      const CkVerifyAttempt *a = call_attempt (calls, central, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, a->started_at);
      json_builder_set_member_name (builder, "consent_id");
      json_builder_add_string_value (builder, ck_usage_consent_id_to_string (a));
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, a->outcome);
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, a->http_status);
      json_builder_set_member_name (builder, "request_id");
      json_builder_add_string_value (builder, a->request_id);
      json_builder_set_member_name (builder, "billed");
      json_builder_add_string_value (builder, ck_usage_billed_to_string (a));
      if (central)
        {
          const CkCentralCall *call = calls->pdata[i];

          json_builder_set_member_name (builder, "kiosk_id");
          json_builder_add_string_value (builder, call->kiosk_id);
          json_builder_set_member_name (builder, "branch");
          json_builder_add_string_value (builder, call->branch);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return ck_export_json_to_string (builder);
}

/**
 * ck_cli_write_calls:
 * @calls: (element-type CkVerifyAttempt): the paid calls, or with
 *   @central (element-type CkCentralCall) the archive's
 * @output: (nullable): the file to write, else standard output
 *
 * Writes what `usage` writes of the calls; the archive's with their
 * kiosk and branch last.
 */
gboolean
ck_cli_write_calls (GPtrArray       *calls,
                    gboolean         central,
                    CkExportFormat   format,
                    const char      *output,
                    GError         **error)
{
  g_autofree char *text = format == CK_EXPORT_JSON ? calls_json (calls, central) : calls_csv (calls, central);

  if (output)
    return ck_cli_write_private_file (output, text, strlen (text), error);

  g_print ("%s%s", text, format == CK_EXPORT_JSON ? "\n" : "");
  return TRUE;
}

/**
 * ck_cli_print_usage_summary:
 *
 * Prints on standard error the calls used and left, and a warning when
 * less than %CK_USAGE_LOW_PERCENT % is left.
 */
void
ck_cli_print_usage_summary (const CkUsage *usage)
{
  g_autofree char *summary = ck_usage_dup_summary (usage);

  g_printerr ("%s\n", summary);
  if (usage->low)
    g_printerr (_("Warning: less than %d %% of the verification package is left: buy more calls "
                  "before it runs out.\n"), CK_USAGE_LOW_PERCENT);
}

int
ck_cli_usage (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkUsage) usage = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  CkExportFormat export_format = CK_EXPORT_CSV;
  int status;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since,
      N_("Calls made on or after this day (UTC); default: [verification] package_start"),
      N_("YYYY-MM-DD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv (the default) or json"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the calls (default: standard output)"), N_("FILE") },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, N_("With --central: only this kiosk's calls"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only this branch's kiosks' calls"),
      N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("— the paid verification calls used, and their details"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Writes one row per verification call the vendor charges for (the service\n"
      "answered: HTTP 200; billed “yes”) or may have charged for (the attempt was\n"
      "interrupted; billed “maybe”): time, consent id, outcome, HTTP status, request id.\n"
      "The demo provider and calls the service never answered are not counted. Calls\n"
      "of consents purged since stay counted, with the consent id “(purged)”. No\n"
      "name and no ID number is written.\n"
      "\n"
      "On standard error, the calls used and left of [verification] package_size since\n"
      "package_start, with a warning when less than 20 percent is left. With a central\n"
      "archive ([central] url) that has counted them, these are the organisation's: every\n"
      "kiosk's calls as the archive last counted them (its age is said), plus this\n"
      "kiosk's calls not sent yet; otherwise this kiosk's only. The rows are this\n"
      "kiosk's calls either way.\n"
      "\n"
      "With --central URL, the calls of every kiosk of the organisation, each with its\n"
      "kiosk and branch, and the package's use counted by the central archive now; --kiosk\n"
      "and --branch choose which calls are written, not what the package counts."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (format && !ck_export_format_from_string (format, &export_format))
    {
      g_printerr (_("consentctl usage: --format is csv or json, not “%s”.\n"), format);
      return CK_CLI_EXIT_USAGE;
    }
  if (!ck_cli_check_dates (since, NULL) || !ck_cli_check_filters ("usage", kiosk, branch))
    return CK_CLI_EXIT_USAGE;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (ck_cli_get_central_url ())
    {
      g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
      g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;

      return ck_cli_central_usage (config, since, kiosk_utf8, branch_utf8, export_format, output);
    }

  if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_READ_ONLY, &error)) ||
      !(usage = ck_usage_compute (store, config, &error)) ||
      !(calls = ck_usage_list_calls (store, since ? since : usage->since, &error)) ||
      !ck_cli_write_calls (calls, FALSE, export_format, output, &error))
    return ck_cli_fail (error);

  ck_cli_print_usage_summary (usage);

  return CK_CLI_EXIT_OK;
}
