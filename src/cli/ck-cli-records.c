/* ck-cli-records.c: consentctl record, list, show, export, pdf, purge, check;
 * with --central URL, list, show, export, pdf and check hand their options
 * to ck-cli-central-records.c, which prints with the same code
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ck.h"
#include "ck-cli.h"
#include "ck-export-full.h"


/* An optional date option: absent, or exactly YYYY-MM-DD. */
static gboolean
valid_date (const char *text)
{
  return text == NULL || ck_date_parse (text, NULL);
}

gboolean
ck_cli_check_dates (const char *since,
                    const char *until)
{
  if (!valid_date (since) || !valid_date (until))
    {
      g_printerr (_("consentctl: dates are written YYYY-MM-DD, not “%s”.\n"),
                  valid_date (since) ? until : since);
      return FALSE;
    }

  return TRUE;
}

/* --- record ------------------------------------------------------------ */

int
ck_cli_record (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name_arg = NULL;
  g_autofree char *id_arg = NULL;
  g_autofree char *signature_path = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id_number = NULL;
  g_autofree char *notice = NULL;
  gboolean no_verify = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name_arg, N_("The customer's name"), N_("NAME") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id_arg, N_("The resident ID number"), N_("ID") },
    { "signature", 0, 0, G_OPTION_ARG_FILENAME, &signature_path,
      N_("The customer's signature in the kiosk's format"), N_("FILE") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_("The staff member recording the consent"), N_("NAME") },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
      N_("Only store the consent; “consentctl verify --pending” verifies it later"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— store a signed consent"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Runs the consent flow the kiosk runs — the configured letter, both agreements,\n"
      "validated name and ID number, an acceptable signature — then renders the PDF and\n"
      "stores it durably with its record, and only then verifies the name and ID number\n"
      "with the configured provider. Use it for consents the customer agreed to and\n"
      "signed at the desk. Prints the consent id on the first line, then the outcome.\n"
      "\n"
      "Exits 0 once the consent is stored if verification is disabled (provider none)\n"
      "or --no-verify is given; otherwise with the code of the verification's outcome."));
  g_option_context_set_description (context, ck_cli_verify_exit_help ());

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;

  if (name_arg == NULL || id_arg == NULL || signature_path == NULL)
    {
      g_printerr (_("consentctl record: --name, --id and --signature are required.\n"));
      return CK_CLI_EXIT_USAGE;
    }

  name = ck_cli_arg_to_utf8 (name_arg);
  id_number = ck_cli_arg_to_utf8 (id_arg);

  if (!(bytes = ck_file_read_regular (signature_path, CK_SIGNATURE_MAX_BYTES, &error)))
    return ck_cli_fail (error);
  if (!(signature = ck_signature_deserialize (bytes, &error)))
    {
      g_prefix_error (&error, "%s: ", signature_path);
      return ck_cli_fail (error);
    }

  /* Settings that cannot work (no AppCode for aliyun-idcert, …) are a
   * configuration fault, as when verify meets them. */
  if (!(config = ck_cli_load_config (&error)) || !ck_config_check_organization (config, &error))
    return ck_cli_verify_fail (error);
  if (!(fonts = ck_font_set_new_default (&error)))
    return ck_cli_fail (error);

  template = ck_config_get_template_path (config)
    ? ck_template_new_from_file (ck_config_get_template_path (config), &error)
    : ck_template_new_default (&error);
  if (template == NULL)
    return ck_cli_fail (error);

  /* Bad input changes nothing (docs/ARCHITECTURE.md, invariant 5), but opening the
   * store creates the data directory and the database: check what the flow
   * will check, in its order, before. */
  {
    g_autofree char *normalized = NULL;
    g_autoptr(CkIdcard) idcard = NULL;

    if (!(normalized = ck_name_normalize (name, CK_NAME_FLAGS_NONE, &error)) ||
        !(idcard = ck_idcard_parse (id_number, &error)) ||
        !ck_signature_check_acceptable (signature, &error))
      return ck_cli_fail (error);
  }

  if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_RECOVER, &error)))
    return ck_cli_fail (error);

  flow = ck_flow_new (config, store, fonts);
  ck_flow_set_operator (flow, operator_name);
  /* As at the kiosk: a seal that cannot be used costs no consent; it is
   * stored unsealed, and `consentctl seal --run` seals it later. */
  if (ck_config_get_signing_configured (config))
    {
      g_autoptr(GError) seal_error = NULL;
      g_autoptr(CkSeal) seal = ck_seal_new (config, &seal_error);

      if (seal == NULL)
        g_printerr (_("Warning: the consent is stored unsealed, to be sealed later: %s\n"),
                    seal_error->message);
      ck_flow_set_seal (flow, seal);
    }
  if (!ck_flow_show (flow, template, &error) ||
      !ck_flow_agree (flow, TRUE, TRUE, &error) ||
      !ck_flow_set_details (flow, name, id_number, &error) ||
      !ck_flow_set_signature (flow, signature, &error) ||
      !(record = ck_flow_save (flow, NULL, &error)))
    return ck_cli_fail (error);

  if ((notice = ck_flow_dup_upgrade_notice (flow)))
    g_printerr (_("Note: %s\n"), notice);

  g_print ("%s\n", record->uuid);

  /* Stored: from here on, whatever happens, the consent stays. */
  queue = ck_verify_queue_new (config, store);
  if (!ck_verify_queue_is_enabled (queue))
    {
      g_print (_("Not verified: verification is disabled (provider none).\n"));
      return CK_CLI_EXIT_OK;
    }
  if (no_verify)
    {
      g_print (_("Not verified yet (--no-verify): it waits in the queue of “consentctl verify --pending”.\n"));
      return CK_CLI_EXIT_OK;
    }

  if (!(verification = ck_flow_verify (flow, queue, NULL, &error)))
    return ck_cli_verify_fail (error);

  ck_cli_print_verification (verification, FALSE);
  return ck_cli_verification_exit (verification);
}

/* --- list -------------------------------------------------------------- */

/**
 * ck_cli_list_begin:
 * @limit: how many to print; 0 for all (one more may be given: it only
 *   says that there are more)
 *
 * Starts what `list` prints: lines, or a JSON array with --json.
 */
void
ck_cli_list_begin (CkCliList *list,
                   gboolean   json,
                   guint      limit,
                   guint      max_attempts)
{
  memset (list, 0, sizeof *list);
  list->json = json;
  list->limit = limit;
  list->max_attempts = max_attempts;
  if (json)
    {
      list->builder = json_builder_new ();
      json_builder_begin_array (list->builder);
    }
}

/**
 * ck_cli_list_add:
 * @origin: (nullable): where a consent of the central archive comes from
 *
 * Prints one consent of `list`: its id, sign date, masked ID number,
 * kiosk, state, name; from the central archive, the branch after the
 * kiosk (— when none), and in JSON central_kiosk_id and branch.
 */
void
ck_cli_list_add (CkCliList             *list,
                 const CkConsentRecord *r,
                 const CkConsentStatus *status,
                 const CkCentralOrigin *origin)
{
  g_autoptr(CkVerification) verification = NULL;

  /* The one past the limit only says that there are more. */
  if (list->limit && list->n == list->limit)
    {
      list->more = TRUE;
      return;
    }
  list->n++;

  verification = ck_verification_new_for_status (r->uuid, status, list->max_attempts);
  if (list->json)
    {
      json_builder_begin_object (list->builder);
      ck_export_json_add_record (list->builder, r, FALSE, FALSE);
      ck_cli_json_add_verification (list->builder, verification, FALSE);
      if (origin)
        ck_export_json_add_origin (list->builder, origin);
      json_builder_end_object (list->builder);
    }
  else
    {
      g_autofree char *masked = ck_idcard_mask_number (r->id_number);
      g_autofree char *branch = origin ? g_strdup_printf ("  %s", origin->branch[0] ? origin->branch : "—")
                                       : NULL;

      g_print ("%s  %s  %s  %s%s  %-12s  %s%s\n", r->uuid, r->sign_date, masked, r->kiosk_id,
               branch ? branch : "", ck_verify_state_to_string (verification->state), r->name,
               r->demo ? "  DEMO" : "");
    }
}

/**
 * ck_cli_list_finish:
 *
 * Prints the JSON array, and on standard error whether more consents
 * match than were printed.
 */
void
ck_cli_list_finish (CkCliList *list)
{
  if (list->json)
    {
      g_autofree char *text = NULL;

      json_builder_end_array (list->builder);
      text = ck_export_json_to_string (list->builder);
      g_print ("%s\n", text);
      g_clear_object (&list->builder);
    }

  if (list->more)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "More consents match; this is the newest %u. --limit 0 lists them all.\n",
                             "More consents match; these are the newest %u. --limit 0 lists them all.\n",
                             list->n),
                list->n);
}

static gboolean
list_one (const CkConsentRecord  *r,
          const CkConsentStatus  *status,
          gpointer                user_data,
          GError                **error)
{
  ck_cli_list_add (user_data, r, status, NULL);
  return TRUE;
}

/**
 * ck_cli_check_filters:
 * @command: the command's name, for the message
 *
 * Returns: whether --kiosk and --branch, if given, come with --central
 *   URL; if not, says so on standard error
 */
gboolean
ck_cli_check_filters (const char *command,
                      const char *kiosk,
                      const char *branch)
{
  if ((kiosk || branch) && ck_cli_get_central_url () == NULL)
    {
      g_printerr (_("consentctl %s: --kiosk and --branch choose among the central archive's kiosks: "
                    "give --central URL before the command.\n"),
                  command);
      return FALSE;
    }

  return TRUE;
}

int
ck_cli_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *search = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *state = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  gboolean json = FALSE;
  int limit = CK_CLI_LIST_LIMIT;
  int status;
  CkStoreQuery query = { 0 };
  CkCliList job;
  g_autofree char *limit_help = g_strdup_printf (_("At most this many, newest first (default %d; 0 for all)"),
                                                 CK_CLI_LIST_LIMIT);
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("Only consents in this verification state: unverified, in-progress, verified, not-matched, "
         "undetermined, rejected, retrying, failed or withdrawn"), N_("STATE") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("A name (its beginning) or the last 4 or more characters of an ID number"), N_("TEXT") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Signed on or after this date"), N_("YYYY-MM-DD") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Signed on or before this date"), N_("YYYY-MM-DD") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, limit_help, N_("N") },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, N_("With --central: only this kiosk's consents"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only those of this branch's kiosks"),
      N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("— list stored consents, ID numbers masked"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (!ck_cli_check_dates (since, until))
    return CK_CLI_EXIT_USAGE;
  if (limit < 0)
    {
      g_printerr (_("consentctl list: --limit takes a number of consents, 0 or more, not %d.\n"),
                  limit);
      return CK_CLI_EXIT_USAGE;
    }
  if (state && !ck_cli_check_state (state))
    return CK_CLI_EXIT_USAGE;
  if (!ck_cli_check_filters ("list", kiosk, branch))
    return CK_CLI_EXIT_USAGE;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);

  {
    g_autofree char *utf8 = search ? ck_cli_arg_to_utf8 (search) : NULL;

    query.search = utf8;
    query.since = since;
    query.until = until;
    /* One more than shown, to know whether there are more. */
    query.limit = limit ? (guint)limit + 1 : 0;
    query.state = state;
    query.max_attempts = ck_config_get_max_attempts (config);

    if (ck_cli_get_central_url ())
      {
        g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
        g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;
        CkCentralQuery central_query = { query, kiosk_utf8, branch_utf8 };

        return ck_cli_central_list (config, &central_query, json);
      }

    if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_READ_ONLY, &error)))
      return ck_cli_fail (error);
    ck_cli_list_begin (&job, json, (guint)limit, query.max_attempts);
    if (!ck_store_foreach (store, &query, list_one, &job, NULL, &error))
      {
        g_clear_object (&job.builder);
        return ck_cli_fail (error);
      }
  }
  ck_cli_list_finish (&job);

  return CK_CLI_EXIT_OK;
}

/* --- show -------------------------------------------------------------- */

/**
 * ck_cli_print_consent:
 * @verification: where its verification stands, with its attempts
 * @withdrawal: (nullable): its withdrawal
 * @events: (element-type CkStoreEvent): its events, oldest first
 * @unmask: show the whole ID number (recorded before)
 * @origin: (nullable): where a consent of the central archive comes from
 *
 * Prints what `show` prints of a consent, as fields or JSON; from the
 * central archive, the kiosk that synced it and its branch after the
 * kiosk (in JSON: central_kiosk_id and branch).
 */
void
ck_cli_print_consent (const CkConsentRecord *r,
                      const CkVerification  *verification,
                      const CkStoreEvent    *withdrawal,
                      GPtrArray             *events,
                      gboolean               unmask,
                      gboolean               json,
                      const CkCentralOrigin *origin)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *note = withdrawal ? ck_store_event_dup_note (withdrawal) : NULL;
  g_autofree char *masked = NULL;
  g_autofree char *size = NULL;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      ck_export_json_add_record (builder, r, unmask, TRUE);
      ck_cli_json_add_verification (builder, verification, TRUE);
      if (withdrawal)
        {
          json_builder_set_member_name (builder, "withdrawal");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, withdrawal->at);
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, withdrawal->operator_name);
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, note);
          json_builder_end_object (builder);
        }
      if (origin)
        ck_export_json_add_origin (builder, origin);
      json_builder_end_object (builder);
      text = ck_export_json_to_string (builder);
      g_print ("%s\n", text);
      return;
    }

  masked = ck_idcard_mask_number (r->id_number);
  size = g_strdup_printf ("%" G_GINT64_FORMAT, r->pdf_size);
  fields = ck_cli_fields_new ();
  ck_cli_fields_add (fields, _("Consent:"), r->uuid);
  ck_cli_fields_add (fields, _("Created:"), r->created_at);
  ck_cli_fields_add (fields, _("Signed on:"), r->sign_date);
  ck_cli_fields_add (fields, _("Name:"), r->name);
  ck_cli_fields_add (fields, _("ID number:"), unmask ? r->id_number : masked);
  /* "Not recorded" for a consent signed before they were kept. */
  ck_cli_fields_add (fields, _("Name entered by:"), ck_entry_method_describe (r->name_method));
  ck_cli_fields_add (fields, _("ID number entered by:"), ck_entry_method_describe (r->id_method));
  ck_cli_fields_add (fields, _("Organization:"), r->org_name);
  ck_cli_fields_add (fields, _("Business:"), r->org_business);
  ck_cli_fields_add (fields, _("Purpose:"), r->org_purpose);
  ck_cli_fields_add (fields, _("Kiosk:"), r->kiosk_id);
  if (origin)
    {
      ck_cli_fields_add (fields, _("Synced by kiosk:"), origin->kiosk_id);
      ck_cli_fields_add (fields, _("Branch:"), origin->branch[0] ? origin->branch : NULL);
    }
  ck_cli_fields_add (fields, _("Operator:"), r->operator_name);
  ck_cli_fields_add (fields, _("Template:"), r->template_sha256);
  ck_cli_fields_add (fields, _("PDF:"), r->pdf_path);
  ck_cli_fields_add (fields, _("PDF SHA-256:"), r->pdf_sha256);
  ck_cli_fields_add (fields, _("PDF bytes:"), size);
  ck_cli_fields_add (fields, _("Verifier:"), r->demo ? "DEMO" : NULL);
  if (withdrawal)
    {
      ck_cli_fields_add (fields, _("Withdrawn:"), withdrawal->at);
      ck_cli_fields_add (fields, _("Withdrawn by:"), withdrawal->operator_name);
      ck_cli_fields_add (fields, _("Withdrawal note:"), note);
    }
  ck_cli_fields_add_verification (fields, verification, TRUE);
  ck_cli_fields_print (fields);

  for (guint i = 0; i < events->len; i++)
    {
      const CkStoreEvent *e = events->pdata[i];

      g_print (_("Event: %s %s by %s\n"), e->at, e->kind, e->operator_name ? e->operator_name : "—");
    }
}

int
ck_cli_show (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) r = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  gboolean json = FALSE, unmask = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "unmask", 0, 0, G_OPTION_ARG_NONE, &unmask,
      N_("Show the whole ID number (recorded in the event log)"), NULL },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_("Who is asking (recorded with --unmask)"), N_("NAME") },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk,
      N_("With --central: the kiosk that synced it, when two did"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only in this branch"), N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("ID — show one consent, its verification and its events"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a consent id"))) != CK_CLI_EXIT_OK)
    return status;
  if (unmask && (operator_name == NULL || operator_name[0] == '\0'))
    {
      g_printerr (_("consentctl show: --unmask needs --operator NAME: revealing an ID number is "
                    "recorded with who did it.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if (!ck_cli_check_filters ("show", kiosk, branch))
    return CK_CLI_EXIT_USAGE;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (ck_cli_get_central_url ())
    {
      g_autofree char *who = operator_name ? ck_cli_arg_to_utf8 (operator_name) : NULL;
      g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
      g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;

      return ck_cli_central_show (config, argv[1], kiosk_utf8, branch_utf8, json, unmask, who);
    }

  if (!(store = ck_cli_open_store (config, unmask ? CK_STORE_OPEN_DEFAULT : CK_STORE_OPEN_READ_ONLY,
                                   &error)) ||
      !(r = ck_store_lookup (store, argv[1], &error)))
    return ck_cli_fail (error);

  /* Revealing a full ID number is an audited act: log it first. */
  if (unmask)
    {
      g_autofree char *who = ck_cli_arg_to_utf8 (operator_name);

      if (!ck_store_record_reveal (store, r->uuid, who, "consentctl show", &error))
        return ck_cli_fail (error);
    }

  queue = ck_verify_queue_new (config, store);
  if (!(events = ck_store_list_events (store, r->uuid, &error)) ||
      !(verification = ck_verify_queue_lookup (queue, r->uuid, &error)))
    return ck_cli_fail (error);
  withdrawal = ck_store_lookup_withdrawal (store, r->uuid, &error);
  if (error)
    return ck_cli_fail (error);

  ck_cli_print_consent (r, verification, withdrawal, events, unmask, json, NULL);

  return CK_CLI_EXIT_OK;
}

/* --- export ------------------------------------------------------------ */

int
ck_cli_export (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkCliOutput) out = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *output = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  gboolean unmask = FALSE, quiet = FALSE;
  CkExportFormat export_format;
  CkStoreQuery query = { 0 };
  guint n = 0;
  int status;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv or json"), N_("FORMAT") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Signed on or after this date"), N_("YYYY-MM-DD") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Signed on or before this date"), N_("YYYY-MM-DD") },
    { "unmask", 0, 0, G_OPTION_ARG_NONE, &unmask,
      N_("Export whole ID numbers (recorded in the event log)"), NULL },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_("Who is exporting (recorded with --unmask)"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line on a terminal"), NULL },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, N_("With --central: only this kiosk's consents"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only those of this branch's kiosks"),
      N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("— export consent records, ID numbers masked"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (output == NULL || !ck_export_format_from_string (format, &export_format))
    {
      g_printerr (_("consentctl export: --format csv|json and -o FILE are required.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if (!ck_cli_check_dates (since, until) || !ck_cli_check_filters ("export", kiosk, branch))
    return CK_CLI_EXIT_USAGE;
  if (unmask && ck_cli_get_central_url () && (operator_name == NULL || operator_name[0] == '\0'))
    {
      g_printerr (_("consentctl export: --unmask needs --operator NAME: revealing ID numbers is "
                    "recorded with who did it.\n"));
      return CK_CLI_EXIT_USAGE;
    }

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);

  query.since = since;
  query.until = until;
  query.max_attempts = ck_config_get_max_attempts (config);

  if (ck_cli_get_central_url ())
    {
      g_autofree char *who = operator_name ? ck_cli_arg_to_utf8 (operator_name) : NULL;
      g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
      g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;
      CkCentralQuery central_query = { query, kiosk_utf8, branch_utf8 };

      return ck_cli_central_export (config, &central_query, export_format, unmask, who, output, quiet);
    }

  if (!(store = ck_cli_open_store (config, unmask ? CK_STORE_OPEN_DEFAULT : CK_STORE_OPEN_READ_ONLY,
                                   &error)))
    return ck_cli_fail (error);

  /* Written record by record into a private file beside FILE, which takes
   * FILE's place only when it is whole. */
  if (!(out = ck_cli_output_open (output, &error)))
    return ck_cli_fail (error);
  progress = ck_cli_progress_new (_("Exporting"), quiet);
  if (!ck_export_write_full (store, &query, export_format, unmask, ck_cli_output_get_stream (out),
                             ck_cli_progress_update, progress, NULL, &n, &error))
    return ck_cli_fail (error);
  g_clear_pointer (&progress, ck_cli_progress_free);

  /* Whole numbers leave the store only once the reveal is recorded: until
   * the commit, the file is a hidden temporary one. */
  if (unmask)
    {
      g_autofree char *detail = g_strdup_printf ("{\"field\":\"id_number\",\"via\":\"consentctl export\","
                                                 "\"records\":%u}", n);

      if (!ck_store_add_event (store, "reveal", NULL, operator_name, detail, &error))
        return ck_cli_fail (error);
    }

  if (!ck_cli_output_commit (out, &error))
    return ck_cli_fail (error);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Exported %u consent to %s.\n",
                           "Exported %u consents to %s.\n", n),
              n, output);
  return CK_CLI_EXIT_OK;
}

/* --- pdf ------------------------------------------------------------------ */

int
ck_cli_pdf (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) r = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the PDF"), N_("FILE") },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk,
      N_("With --central: the kiosk that synced it, when two did"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only in this branch"), N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("ID — copy out a consent's signed PDF, checked against its hash"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a consent id"))) != CK_CLI_EXIT_OK)
    return status;
  if (output == NULL)
    {
      g_printerr (_("consentctl pdf: -o FILE is required.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if (!ck_cli_check_filters ("pdf", kiosk, branch))
    return CK_CLI_EXIT_USAGE;

  if (ck_cli_get_central_url ())
    {
      g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
      g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;

      if (!(config = ck_cli_load_config (&error)))
        return ck_cli_fail (error);
      return ck_cli_central_pdf (config, argv[1], kiosk_utf8, branch_utf8, output);
    }

  if (!(config = ck_cli_load_config (&error)) ||
      !(store = ck_cli_open_store (config, CK_STORE_OPEN_READ_ONLY, &error)) ||
      !(r = ck_store_lookup (store, argv[1], &error)) ||
      !(pdf = ck_store_read_pdf (store, r, &error)) ||
      !ck_cli_write_private_file (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return ck_cli_fail (error);

  return CK_CLI_EXIT_OK;
}

/* --- purge ---------------------------------------------------------------- */

/* A purge's record, sealed (docs/SEALING.md): with a trusted time when the
 * TSA answers, without when it does not (the seal alone proves who). */
static GBytes *
seal_purge (GBytes    *data,
            gpointer   user_data,
            GError   **error)
{
  CkSeal *seal = user_data;
  g_autoptr(GError) tsa_error = NULL;
  GBytes *cms;

  cms = ck_seal_sign_data (seal, data, ck_seal_get_has_tsa (seal), &tsa_error, error);
  if (cms && tsa_error)
    g_printerr (_("Warning: the purge is sealed without a trusted time: %s\n"), tsa_error->message);

  return cms;
}

int
ck_cli_purge (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *operator_name = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(CkSeal) seal = NULL;
  gboolean quiet = FALSE, ok;
  guint n = 0;
  int status;
  const GOptionEntry entries[] = {
    { "before", 0, 0, G_OPTION_ARG_STRING, &before,
      N_("Remove consents signed before this date"), N_("YYYY-MM-DD") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, N_("Who is purging"), N_("NAME") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line on a terminal"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— remove old consents and their PDFs (retention)"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Removes the records and PDFs of consents signed before the date. The purge is\n"
      "recorded in the event log with the links of the hash chain it cut, so that\n"
      "“consentctl check” still passes. The paid verification calls made for the\n"
      "purged consents stay counted by “consentctl usage”. With [signing] configured\n"
      "the purge's record is sealed, and nothing is purged if it cannot be."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (before == NULL || !valid_date (before))
    {
      g_printerr (_("consentctl purge: --before YYYY-MM-DD is required.\n"));
      return CK_CLI_EXIT_USAGE;
    }

  if (!(config = ck_cli_load_config (&error)) ||
      !(store = ck_cli_open_store (config, CK_STORE_OPEN_RECOVER, &error)))
    return ck_cli_fail (error);
  /* Once the chain is anchored, check takes an unsealed purge of anchored
   * consents for a forged one: a kiosk that seals seals its purges. */
  if (ck_config_get_signing_configured (config) && !(seal = ck_seal_new (config, &error)))
    {
      g_prefix_error (&error, _("Nothing was purged: the purge must be sealed, and the seal cannot be used: "));
      return ck_cli_fail (error);
    }
  progress = ck_cli_progress_new (_("Purging"), quiet);
  ok = ck_store_purge_sealed (store, before, operator_name, seal ? seal_purge : NULL, seal,
                              ck_cli_progress_update, progress, &n, &error);
  g_clear_pointer (&progress, ck_cli_progress_free);
  if (!ok)
    return ck_cli_fail (error);

  g_print (g_dngettext (GETTEXT_PACKAGE, "Purged %u consent signed before %s.\n",
                        "Purged %u consents signed before %s.\n", n),
           n, before);
  return CK_CLI_EXIT_OK;
}

/* --- check ---------------------------------------------------------------- */

int
ck_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CkCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  gboolean quiet = FALSE, accept_head = FALSE;
  gint64 count;
  int status;
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line on a terminal"), NULL },
    { "accept-head", 0, 0, G_OPTION_ARG_NONE, &accept_head,
      N_("Take the database's chain as it is when the copy of its head (consents.head) is missing or "
         "disagrees, and record that in the event log; with --operator"), NULL },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, N_("Who decides that (with --accept-head)"),
      N_("NAME") },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, N_("With --central: only this kiosk's chain"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("With --central: only this branch's kiosks"),
      N_("BRANCH") },
    { NULL }
  };

  context = g_option_context_new (_("— verify every PDF and the hash chain"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Recomputes the SHA-256 of every PDF and every link of the hash chain over\n"
      "records and events; runs SQLite's integrity check; compares the schema and every\n"
      "value's type with what this version writes; recomputes each consent's status,\n"
      "queue place and search key; compares the chain's head with its copy\n"
      "(consents.head); and accounts for every file of the data directory. Reports each\n"
      "problem and exits 1 if there is any. Changes nothing, unless --accept-head is\n"
      "given: then a database that disagrees with the copy of its head is taken as it\n"
      "is, and that is recorded in the event log under --operator."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (!ck_cli_check_filters ("check", kiosk, branch))
    return CK_CLI_EXIT_USAGE;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (ck_cli_get_central_url ())
    {
      g_autoptr(CkCentral) central = NULL;
      g_autofree char *kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
      g_autofree char *branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;

      if (accept_head)
        {
          g_printerr (_("consentctl check: --accept-head is for a kiosk's own store, not the central "
                        "archive.\n"));
          return CK_CLI_EXIT_USAGE;
        }
      if (!(central = ck_cli_connect_central (config, ck_cli_get_central_url (), NULL, NULL, &error)))
        return ck_cli_fail (error);
      return ck_cli_print_central_check (central, kiosk_utf8, branch_utf8);
    }
  if (accept_head)
    {
      g_autoptr(CkStore) writer = NULL;
      g_autofree char *name = operator_name ? ck_cli_arg_to_utf8 (operator_name) : NULL;

      if (!(writer = ck_store_open_accepting_head (ck_cli_get_data_dir (config), name, &error)))
        return ck_cli_fail (error);
    }
  if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_READ_ONLY, &error)))
    return ck_cli_fail (error);
  /* With [signing], every seal, anchor and trusted time is verified too. */
  ck_store_set_trust (store, ck_config_get_signing_ca_file (config), ck_config_get_tsa_ca_file (config));
  progress = ck_cli_progress_new (_("Checking"), quiet);
  problems = ck_store_check_full (store, ck_cli_progress_update, progress, &error);
  g_clear_pointer (&progress, ck_cli_progress_free);
  if (problems == NULL || (count = ck_store_count (store, &error)) < 0)
    return ck_cli_fail (error);

  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)problems->pdata[i]);
  {
    g_auto(GStrv) warnings = ck_store_dup_check_warnings (store);

    for (guint i = 0; warnings[i]; i++)
      g_printerr (_("Warning: %s\n"), warnings[i]);
  }

  if (problems->len > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u problem found.\n", "%u problems found.\n",
                               problems->len),
                  problems->len);
      return CK_CLI_EXIT_INVALID;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "%u consent checked: intact.\n",
                        "%u consents checked: all intact.\n", (gulong)count),
           (guint)count);
  return CK_CLI_EXIT_OK;
}
