/* ck-cli-card.c: consentctl card-read, for IT to test an ID card reader
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

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
wait_run (Wait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (wait->loop);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
print_status (CkCardReader *reader,
              gboolean      json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sam_id = NULL;
  Wait wait = { 0 };

  ck_card_reader_status_async (reader, NULL, on_done, &wait);
  wait_run (&wait);
  sam_id = ck_card_reader_status_finish (reader, wait.result, &error);
  g_clear_object (&wait.result);
  if (sam_id == NULL)
    return ck_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      ck_export_json_add_string (builder, "device", ck_card_reader_get_device (reader));
      ck_export_json_add_string (builder, "status", "ok");
      ck_export_json_add_string (builder, "sam_id", sam_id);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    ck_cli_print_fields (_("Device:"), ck_card_reader_get_device (reader),
                         _("Reader:"), _("answers, its security module (SAM) is ready"),
                         _("SAM id:"), sam_id,
                         NULL);

  return CK_CLI_EXIT_OK;
}

static char *
format_date (const char *yyyymmdd)
{
  if (yyyymmdd == NULL)
    return g_strdup (_("long term (长期)"));
  return g_strdup_printf ("%.4s-%.2s-%.2s", yyyymmdd, yyyymmdd + 4, yyyymmdd + 6);
}

static const char *
sex_label (char code)
{
  switch (code)
    {
    case '1':
      return _("male");
    case '2':
      return _("female");
    case '9':
      return _("unspecified");
    default:
      return _("unknown");
    }
}

static void
print_card (CkCardReader *reader,
            CkIdCard     *card,
            const char   *number,
            gboolean      json)
{
  g_autofree char *nation = g_strdup_printf ("%s %s", ck_id_card_get_nation_code (card),
                                             ck_id_card_get_nation_name (card)
                                             ? ck_id_card_get_nation_name (card) : "?");
  g_autofree char *birth = format_date (ck_id_card_get_birth_date (card));
  g_autofree char *from = format_date (ck_id_card_get_valid_from (card));
  g_autofree char *to = format_date (ck_id_card_get_valid_to (card));
  char sex[2] = { ck_id_card_get_sex_code (card), '\0' };

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      ck_export_json_add_string (builder, "device", ck_card_reader_get_device (reader));
      ck_export_json_add_string (builder, "name", ck_id_card_get_name (card));
      ck_export_json_add_string (builder, "sex", sex);
      ck_export_json_add_string (builder, "nation", ck_id_card_get_nation_code (card));
      ck_export_json_add_string (builder, "nation_name", ck_id_card_get_nation_name (card));
      ck_export_json_add_string (builder, "birth_date", birth);
      ck_export_json_add_string (builder, "address", ck_id_card_get_address (card));
      ck_export_json_add_string (builder, "id_number", number);
      ck_export_json_add_string (builder, "authority", ck_id_card_get_authority (card));
      ck_export_json_add_string (builder, "valid_from", from);
      ck_export_json_add_string (builder, "valid_to", ck_id_card_is_long_term (card) ? "长期" : to);
      json_builder_end_object (builder);
      print_json (builder);
      return;
    }

  ck_cli_print_fields (_("Name:"), ck_id_card_get_name (card),
                       _("Sex:"), sex_label (sex[0]),
                       _("Nation:"), nation,
                       _("Birth date:"), birth,
                       _("Address:"), ck_id_card_get_address (card),
                       _("ID number:"), number,
                       _("Issued by:"), ck_id_card_get_authority (card),
                       _("Valid from:"), from,
                       _("Valid to:"), to,
                       NULL);
}

/* --unmask: the store's event log records who saw a whole number, as
 * `show --unmask` does; no store, no reveal. */
static CkStore *
open_store_for_reveal (CkConfig  *config,
                       GError   **error)
{
  const char *data_dir = ck_cli_get_data_dir (config);
  g_autofree char *db = g_build_filename (data_dir, "consents.db", NULL);

  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("consentctl card-read: --unmask records the reveal in the store's event log, "
                     "and there is no store in %s: set [kiosk] data_dir or give --data-dir DIR, or "
                     "read the card without --unmask (the number masked)."), data_dir);
      return NULL;
    }

  return ck_cli_open_store (config, CK_STORE_OPEN_DEFAULT, error);
}

int
ck_cli_card_read (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkCardReader) reader = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkIdCard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autofree char *device = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *number = NULL;
  gboolean json = FALSE, status_only = FALSE, unmask = FALSE;
  Wait wait = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_FILENAME, &device,
      N_("The reader's serial device (else [card_reader] device)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only,
      N_("Only ask the reader for its status and its SAM id"), NULL },
    { "unmask", 0, 0, G_OPTION_ARG_NONE, &unmask,
      N_("Show the whole ID number (recorded in the event log)"), NULL },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_("Who is asking (recorded with --unmask)"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("— read the ID card on the reader, to test the reader"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads one second-generation resident ID card from the reader (GA 467 over a\n"
      "serial line) and prints its fields, the ID number masked; or, with --status,\n"
      "the reader's status and its SAM id. The card is checked as the kiosk checks it\n"
      "(number, birth date and sex against the number, name, validity).\n"
      "\n"
      "Exits 0 for a card the kiosk would accept; prints what is wrong on standard\n"
      "error and exits 1 otherwise (no card, a reader error, a refused card)."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (unmask && (operator_name == NULL || operator_name[0] == '\0'))
    {
      g_printerr (_("consentctl card-read: --unmask needs --operator NAME: revealing an ID number is "
                    "recorded with who did it.\n"));
      return CK_CLI_EXIT_USAGE;
    }

  if (!(config = ck_cli_load_config (&error)))
    return ck_cli_fail (error);
  if (device == NULL && ck_config_get_card_reader_device (config) == NULL)
    {
      g_printerr (_("consentctl card-read: no reader: give --device PATH or set [card_reader] device.\n"));
      return CK_CLI_EXIT_USAGE;
    }
  reader = ck_card_reader_new (device ? device : ck_config_get_card_reader_device (config),
                               ck_config_get_card_reader_baud (config));

  if (status_only)
    return print_status (reader, json);

  /* The store first: no card is read for a reveal that cannot be recorded. */
  if (unmask && !(store = open_store_for_reveal (config, &error)))
    return ck_cli_fail (error);

  ck_card_reader_read_async (reader, NULL, on_done, &wait);
  wait_run (&wait);
  card = ck_card_reader_read_finish (reader, wait.result, &error);
  g_clear_object (&wait.result);
  if (card == NULL)
    return ck_cli_fail (error);

  ck_id_card_check (card, NULL, &check_error);

  if (unmask)
    {
      g_autofree char *who = ck_cli_arg_to_utf8 (operator_name);

      /* Revealing a whole number is an audited act: recorded first. */
      if (!ck_store_add_event (store, "reveal", NULL, who,
                               "{\"field\":\"id_number\",\"via\":\"consentctl card-read\"}", &error))
        return ck_cli_fail (error);
      number = g_strdup (ck_id_card_get_number (card));
    }
  else
    {
      g_autoptr(CkIdcard) idcard = ck_idcard_parse (ck_id_card_get_number (card), NULL);

      number = idcard ? ck_idcard_dup_masked (idcard) : ck_idcard_mask_number (ck_id_card_get_number (card));
    }

  print_card (reader, card, number, json);

  if (check_error)
    {
      g_printerr (_("The kiosk would refuse this card: %s\n"), check_error->message);
      return CK_CLI_EXIT_INVALID;
    }

  return CK_CLI_EXIT_OK;
}
