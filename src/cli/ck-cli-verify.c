/* ck-cli-verify.c: consentctl verify, and how every command shows a
 * consent's verification
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
#include "ck-export-full.h"

/**
 * ck_cli_verify_exit_help:
 *
 * Returns: the exit codes of verifying, translated, for the help of the
 *   commands that verify (record, verify) and the README's table
 */
const char *
ck_cli_verify_exit_help (void)
{
  return _("Exit status:\n"
           "   0  verified (by the demo provider too), or nothing was due\n"
           "   1  refused before any request was sent (no such consent, its record or PDF\n"
           "      changed after signing, another attempt running) or another failure\n"
           "   2  the command line was wrong\n"
           "   3  not matched: the name does not match the ID number\n"
           "   4  undetermined: the service cannot tell; staff decides\n"
           "   5  input rejected: the service refused the name or the ID number\n"
           "   6  configuration fault (HTTP 400, 401 or 403, or the settings); not retried\n"
           "   7  provider fault: the service failed; tried again later\n"
           "   8  network fault or interrupted attempt; tried again later\n"
           "   9  TLS fault: the service's certificate or host name did not verify\n"
           "  10  verification is disabled (provider none)");
}

/* The exit code of an outcome class, as ck_verify_outcome_to_string()
 * names it, or "interrupted". */
static int
outcome_exit (const char *outcome)
{
  static const struct {
    const char *outcome;
    CkCliExit exit;
  } codes[] = {
    { "verified", CK_CLI_EXIT_OK },
    { "not-matched", CK_CLI_EXIT_NOT_MATCHED },
    { "undetermined", CK_CLI_EXIT_UNDETERMINED },
    { "input-rejected", CK_CLI_EXIT_INPUT_REJECTED },
    { "config-fault", CK_CLI_EXIT_CONFIG_FAULT },
    { "provider-fault", CK_CLI_EXIT_PROVIDER_FAULT },
    { "network-fault", CK_CLI_EXIT_NETWORK_FAULT },
    { "interrupted", CK_CLI_EXIT_NETWORK_FAULT },
    { "tls-fault", CK_CLI_EXIT_TLS_FAULT },
  };

  for (guint i = 0; outcome && i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (outcome, codes[i].outcome))
      return codes[i].exit;

  /* No attempt finished, or an outcome this build does not know. */
  return CK_CLI_EXIT_INVALID;
}

/**
 * ck_cli_verification_exit:
 *
 * Returns: the exit code of @verification's last finished attempt
 */
int
ck_cli_verification_exit (const CkVerification *verification)
{
  return outcome_exit (verification->outcome);
}

/**
 * ck_cli_verify_fail:
 * @error: why no verification was made
 *
 * Prints @error's message on standard error.
 *
 * Returns: its exit code: %CK_CLI_EXIT_DISABLED for provider none,
 *   %CK_CLI_EXIT_CONFIG_FAULT for settings the verifier cannot work with,
 *   %CK_CLI_EXIT_INVALID for any other refusal or failure
 */
int
ck_cli_verify_fail (const GError *error)
{
  g_printerr ("%s\n", error->message);

  if (g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_DISABLED))
    return CK_CLI_EXIT_DISABLED;
  if (g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_SETUP) ||
      error->domain == CK_CONFIG_ERROR)
    return CK_CLI_EXIT_CONFIG_FAULT;

  return CK_CLI_EXIT_INVALID;
}

static char *
format_ms (gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static char *
state_text (const CkVerification *verification)
{
  return g_strconcat (ck_verify_state_to_string (verification->state),
                      verification->demo ? "  DEMO" : "", NULL);
}

/* A field under the one before it. */
static void
fields_add_detail (GPtrArray  *fields,
                   const char *label,
                   const char *value)
{
  g_autofree char *indented = g_strconcat ("  ", label, NULL);

  ck_cli_fields_add (fields, indented, value);
}

/* The parts of an attempt staff and support need: never its body (it is
 * kept, masked, in the database), never the AppCode or the ID number. */
static void
fields_add_attempt (GPtrArray             *fields,
                    const CkVerifyAttempt *attempt)
{
  g_autofree char *label = g_strdup_printf (_("Attempt %u:"), attempt->number);
  g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, attempt->duration_ms);
  /* -1 while it runs, or when it was interrupted */
  g_autofree char *took = attempt->duration_ms >= 0 ? g_strdup_printf (_("%s ms"), duration) : NULL;
  g_autofree char *http = attempt->http_status ? g_strdup_printf ("%u", attempt->http_status) : NULL;
  g_autofree char *provider = NULL;
  g_autofree char *gateway = NULL;
  g_autofree char *outcome = g_strconcat (attempt->outcome ? attempt->outcome : "—",
                                          attempt->demo ? "  DEMO" : "", NULL);

  if (attempt->provider_status || attempt->provider_message)
    provider = g_strdup_printf ("%s “%s”", attempt->provider_status ? attempt->provider_status : "—",
                                attempt->provider_message ? attempt->provider_message : "");
  if (attempt->error_code || attempt->error_message)
    gateway = g_strdup_printf ("%s “%s”", attempt->error_code ? attempt->error_code : "—",
                               attempt->error_message ? attempt->error_message : "");

  ck_cli_fields_add (fields, label, attempt->started_at);
  fields_add_detail (fields, _("Outcome:"), outcome);
  fields_add_detail (fields, _("Took:"), took);
  fields_add_detail (fields, _("HTTP status:"), http);
  fields_add_detail (fields, _("Provider status:"), provider);
  fields_add_detail (fields, _("Gateway error:"), gateway);
  fields_add_detail (fields, _("Request id:"), attempt->request_id);
  fields_add_detail (fields, _("Cause:"), attempt->detail);
}

/**
 * ck_cli_fields_add_verification:
 * @attempts: whether to add every attempt too
 *
 * Adds where @verification stands to @fields: its state, the outcome of
 * its last attempt, when the queue tries again, the staff message.
 */
void
ck_cli_fields_add_verification (GPtrArray            *fields,
                                const CkVerification *verification,
                                gboolean              attempts)
{
  g_autofree char *state = state_text (verification);
  g_autofree char *n_attempts = g_strdup_printf ("%u", verification->attempts->len);
  g_autofree char *next = NULL;

  ck_cli_fields_add (fields, _("Verification:"), state);
  ck_cli_fields_add (fields, _("Outcome:"), verification->outcome);
  ck_cli_fields_add (fields, _("Attempts:"), n_attempts);
  if (verification->next_attempt_ms != 0)
    {
      next = format_ms (verification->next_attempt_ms);
      ck_cli_fields_add (fields, _("Next attempt:"), next);
    }
  if (verification->staff_message && verification->staff_message[0])
    ck_cli_fields_add (fields, _("Message:"), verification->staff_message);

  for (guint i = 0; attempts && i < verification->attempts->len; i++)
    fields_add_attempt (fields, verification->attempts->pdata[i]);
}

/**
 * ck_cli_print_verification:
 * @with_consent: whether to name the consent first
 *
 * Prints where @verification stands, as ck_cli_fields_add_verification()
 * describes it, without the attempts.
 */
void
ck_cli_print_verification (const CkVerification *verification,
                           gboolean              with_consent)
{
  g_autoptr(GPtrArray) fields = ck_cli_fields_new ();

  if (with_consent)
    ck_cli_fields_add (fields, _("Consent:"), verification->consent_uuid);
  ck_cli_fields_add_verification (fields, verification, FALSE);
  ck_cli_fields_print (fields);
}

/**
 * ck_cli_json_add_verification:
 * @attempts: whether to add the staff message and every attempt too
 *
 * Adds a member "verification" to the object @builder is in: the state,
 * the last outcome and, with @attempts, what `show` prints.
 */
void
ck_cli_json_add_verification (JsonBuilder          *builder,
                              const CkVerification *verification,
                              gboolean              attempts)
{
  json_builder_set_member_name (builder, "verification");
  json_builder_begin_object (builder);
  ck_export_json_add_string (builder, "state", ck_verify_state_to_string (verification->state));
  ck_export_json_add_string (builder, "outcome", verification->outcome);
  json_builder_set_member_name (builder, "demo");
  json_builder_add_boolean_value (builder, verification->demo);
  json_builder_set_member_name (builder, "next_attempt_ms");
  json_builder_add_int_value (builder, verification->next_attempt_ms);
  if (!attempts)
    {
      json_builder_end_object (builder);
      return;
    }

  ck_export_json_add_string (builder, "staff_message", verification->staff_message);
  json_builder_set_member_name (builder, "attempts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < verification->attempts->len; i++)
    {
      const CkVerifyAttempt *attempt = verification->attempts->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "number");
      json_builder_add_int_value (builder, attempt->number);
      ck_export_json_add_string (builder, "started_at", attempt->started_at);
      ck_export_json_add_string (builder, "outcome", attempt->outcome);
      json_builder_set_member_name (builder, "demo");
      json_builder_add_boolean_value (builder, attempt->demo);
      json_builder_set_member_name (builder, "duration_ms");
      json_builder_add_int_value (builder, attempt->duration_ms);
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, attempt->http_status);
      ck_export_json_add_string (builder, "provider_status", attempt->provider_status);
      ck_export_json_add_string (builder, "provider_message", attempt->provider_message);
      ck_export_json_add_string (builder, "request_id", attempt->request_id);
      ck_export_json_add_string (builder, "error_code", attempt->error_code);
      ck_export_json_add_string (builder, "error_message", attempt->error_message);
      ck_export_json_add_string (builder, "detail", attempt->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* --- verify -------------------------------------------------------------- */

/* One line a consent: id, state, outcome, why it was refused. */
static void
print_due_line (const CkVerification *verification)
{
  g_autofree char *state = state_text (verification);

  g_print ("%s  %s  %s%s%s\n", verification->consent_uuid, state,
           verification->outcome ? verification->outcome : "—",
           verification->refusal ? "  " : "",
           verification->refusal ? verification->refusal : "");
}

static int
verify_pending (CkVerifyQueue *queue,
                gboolean       all)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  int status = CK_CLI_EXIT_OK;

  if (!(results = ck_verify_queue_run_due (queue, all, NULL, &error)))
    return ck_cli_verify_fail (error);

  if (results->len == 0)
    {
      g_print (all ? _("No consent is waiting for verification.\n")
                   : _("No consent is due for verification.\n"));
      return CK_CLI_EXIT_OK;
    }

  /* The exit code is that of the first consent, in the queue's order,
   * that the service did not answer for. */
  for (guint i = 0; i < results->len; i++)
    {
      const CkVerification *verification = results->pdata[i];

      print_due_line (verification);
      if (status != CK_CLI_EXIT_OK)
        continue;
      if (verification->refusal)
        status = CK_CLI_EXIT_INVALID;
      else if (!ck_verify_state_is_answer (verification->state))
        status = ck_cli_verification_exit (verification);
    }

  return status;
}

static int
verify_one (CkVerifyQueue *queue,
            const char    *consent_uuid,
            gboolean       again)
{
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;

  verification = ck_verify_queue_verify (queue, consent_uuid,
                                         again ? CK_VERIFY_AGAIN : CK_VERIFY_DEFAULT,
                                         NULL, &error);
  if (verification == NULL &&
      g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED))
    {
      g_clear_error (&error);
      if (!(verification = ck_verify_queue_lookup (queue, consent_uuid, &error)))
        return ck_cli_fail (error);

      ck_cli_print_verification (verification, TRUE);
      g_printerr (_("No request was sent: the service already answered for this consent. "
                    "“consentctl verify --again %s” asks it again, which is another paid call.\n"),
                  consent_uuid);
      return ck_cli_verification_exit (verification);
    }
  if (verification == NULL)
    return ck_cli_verify_fail (error);

  ck_cli_print_verification (verification, TRUE);
  return ck_cli_verification_exit (verification);
}

int
ck_cli_verify (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pending = FALSE, all = FALSE, again = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "pending", 0, 0, G_OPTION_ARG_NONE, &pending,
      N_("Verify every consent whose next attempt is due, instead of one"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("With --pending: also those whose next attempt is not due yet"), NULL },
    { "again", 0, 0, G_OPTION_ARG_NONE, &again,
      N_("Ask the service again even if it already answered (another paid call)"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ID | --pending — verify stored consents"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Asks the configured provider whether the name and ID number of a stored consent\n"
      "match, after checking that the consent's record and PDF are as signed; the\n"
      "attempt is stored with the consent. A consent the service already answered for\n"
      "is not asked again without --again. With --pending, verifies every consent that\n"
      "is waiting — never verified, or due for another try — one line each, and exits\n"
      "with the code of the first one the service did not answer for."));
  g_option_context_set_description (context, ck_cli_verify_exit_help ());

  if ((status = ck_cli_parse_options (context, &argc, &argv, -1, NULL)) != CK_CLI_EXIT_OK)
    return status;
  if (pending && again)
    {
      g_printerr (_("consentctl verify: --again verifies one consent; it does not go with --pending.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if (all && !pending)
    {
      g_printerr (_("consentctl verify: --all goes with --pending.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  if ((status = ck_cli_check_positional (argc, argv, pending ? 0 : 1,
                                         _("a consent id, or --pending"))) != CK_CLI_EXIT_OK)
    return status;

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_verify_fail (error);
  if (!(store = ck_cli_open_store (config, CK_STORE_OPEN_RECOVER, &error)))
    return ck_cli_fail (error);

  queue = ck_verify_queue_new (config, store);

  return pending ? verify_pending (queue, all) : verify_one (queue, argv[1], again);
}
