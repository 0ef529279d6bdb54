/* ck-export.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Consent records as CSV or JSON, ID numbers masked: what `consentctl
 * export` writes and the staff window's Export saves, byte for byte. Each
 * row ends with the consent's verification state. */

#define G_LOG_DOMAIN "ck-export"

#include "config.h"

#include <string.h>

#include "ck-export-full.h"
#include "ck-idcard.h"
#include "ck-store-private.h"

/**
 * ck_export_format_from_string:
 * @text: "csv" or "json"
 * @format: (out): the format
 *
 * Returns: whether @text names a format
 */
gboolean
ck_export_format_from_string (const char     *text,
                              CkExportFormat *format)
{
  if (g_strcmp0 (text, "csv") == 0)
    *format = CK_EXPORT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *format = CK_EXPORT_JSON;
  else
    return FALSE;

  return TRUE;
}

/**
 * ck_export_csv_field:
 * @out: the CSV so far
 * @value: (nullable): the field
 * @last: whether it ends the row
 *
 * Appends one field, quoted (RFC 4180) and defused against spreadsheet
 * formulas.
 */
void
ck_export_csv_field (GString    *out,
                     const char *value,
                     gboolean    last)
{
  /* RFC 4180: quote every field, double the quotes inside; a leading
   * =, +, - or @ — or tab or carriage return, which spreadsheets skip
   * before such a character (OWASP, CSV injection) — is defused so that
   * spreadsheets do not run it. */
  g_string_append_c (out, '"');
  if (value && value[0] && strchr ("=+-@\t\r", value[0]))
    g_string_append_c (out, '\'');
  for (const char *p = value ? value : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  g_string_append (out, last ? "\r\n" : ",");
}

/**
 * ck_export_json_add_record:
 * @builder: inside an object
 * @record: the consent
 * @unmask: the whole ID number rather than the masked one
 * @full: also the organization, template and PDF fields
 *
 * Adds the consent's members to the object @builder is in.
 */
void
ck_export_json_add_record (JsonBuilder           *builder,
                           const CkConsentRecord *r,
                           gboolean               unmask,
                           gboolean               full)
{
  g_autofree char *masked = ck_idcard_mask_number (r->id_number);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, r->uuid);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, r->created_at);
  json_builder_set_member_name (builder, "sign_date");
  json_builder_add_string_value (builder, r->sign_date);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, r->name);
  json_builder_set_member_name (builder, "id_number");
  json_builder_add_string_value (builder, unmask ? r->id_number : masked);
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, r->kiosk_id);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, r->operator_name);
  json_builder_set_member_name (builder, "demo");
  json_builder_add_boolean_value (builder, r->demo);
  if (full)
    {
      json_builder_set_member_name (builder, "organization");
      json_builder_add_string_value (builder, r->org_name);
      json_builder_set_member_name (builder, "business");
      json_builder_add_string_value (builder, r->org_business);
      json_builder_set_member_name (builder, "purpose");
      json_builder_add_string_value (builder, r->org_purpose);
      json_builder_set_member_name (builder, "template_sha256");
      json_builder_add_string_value (builder, r->template_sha256);
      json_builder_set_member_name (builder, "pdf_path");
      json_builder_add_string_value (builder, r->pdf_path);
      json_builder_set_member_name (builder, "pdf_sha256");
      json_builder_add_string_value (builder, r->pdf_sha256);
      json_builder_set_member_name (builder, "pdf_size");
      json_builder_add_int_value (builder, r->pdf_size);
      json_builder_set_member_name (builder, "row_hash");
      json_builder_add_string_value (builder, r->row_hash);
    }
}

/**
 * ck_export_json_to_string:
 *
 * Returns: (transfer full): @builder's document, pretty-printed
 */
char *
ck_export_json_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* The verification state of each record, by the status the store keeps. */
static GPtrArray *
record_states (CkStore             *store,
               GPtrArray           *records,
               const CkStoreQuery  *query,
               GError             **error)
{
  g_autoptr(GArray) seqs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), records->len);
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *states = g_ptr_array_new ();

  for (guint i = 0; i < records->len; i++)
    g_array_append_val (seqs, ((CkConsentRecord *)records->pdata[i])->seq);
  if (!(rows = ck_store_read_rows (store, (const gint64 *)(gpointer)seqs->data, seqs->len, error)))
    {
      g_ptr_array_unref (states);
      return NULL;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const CkStoreRow *row = rows->pdata[i];
      CkVerifyState state = row ? ck_verify_state_from_status (row->last_outcome, row->last_number,
                                                               row->withdrawn, query->max_attempts)
                                : CK_VERIFY_STATE_UNVERIFIED;

      g_ptr_array_add (states, (gpointer)ck_verify_state_to_string (state));
    }

  return states;
}

/**
 * ck_export_records_full:
 * @unmask: write whole ID numbers (consentctl export --unmask, which
 *   records the reveal first)
 * @n_records: (out) (optional): how many records the text holds
 *
 * ck_export_records(), optionally unmasked.
 */
GBytes *
ck_export_records_full (CkStore             *store,
                        const CkStoreQuery  *query,
                        CkExportFormat       format,
                        gboolean             unmask,
                        guint               *n_records,
                        GError             **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) states = NULL;
  CkStoreQuery none = { 0 };
  char *text;

  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  if (query == NULL)
    query = &none;
  if (!(records = ck_store_list (store, query, error)) ||
      !(states = record_states (store, records, query, error)))
    return NULL;

  if (format == CK_EXPORT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < records->len; i++)
        {
          json_builder_begin_object (builder);
          ck_export_json_add_record (builder, records->pdata[i], unmask, TRUE);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, states->pdata[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      text = ck_export_json_to_string (builder);
    }
  else
    {
      GString *csv = g_string_new (NULL);

      g_string_append (csv, "\xEF\xBB\xBF");   /* a BOM, so that spreadsheets read UTF-8 */
      g_string_append (csv, "id,created_at,sign_date,name,id_number,organization,business,"
                            "purpose,kiosk_id,operator,demo,template_sha256,pdf_sha256,state\r\n");
      for (guint i = 0; i < records->len; i++)
        {
          const CkConsentRecord *r = records->pdata[i];
          g_autofree char *masked = ck_idcard_mask_number (r->id_number);

          ck_export_csv_field (csv, r->uuid, FALSE);
          ck_export_csv_field (csv, r->created_at, FALSE);
          ck_export_csv_field (csv, r->sign_date, FALSE);
          ck_export_csv_field (csv, r->name, FALSE);
          ck_export_csv_field (csv, unmask ? r->id_number : masked, FALSE);
          ck_export_csv_field (csv, r->org_name, FALSE);
          ck_export_csv_field (csv, r->org_business, FALSE);
          ck_export_csv_field (csv, r->org_purpose, FALSE);
          ck_export_csv_field (csv, r->kiosk_id, FALSE);
          ck_export_csv_field (csv, r->operator_name, FALSE);
          ck_export_csv_field (csv, r->demo ? "1" : "0", FALSE);
          ck_export_csv_field (csv, r->template_sha256, FALSE);
          ck_export_csv_field (csv, r->pdf_sha256, FALSE);
          ck_export_csv_field (csv, states->pdata[i], TRUE);
        }
      text = g_string_free (csv, FALSE);
    }

  if (n_records)
    *n_records = records->len;
  return g_bytes_new_take (text, strlen (text));
}

/**
 * ck_export_records:
 * @store: the consent store
 * @query: (nullable): which consents (limit and offset honoured;
 *   max_attempts for the state column)
 * @format: CSV or JSON
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * The consents @query finds, newest first, ID numbers masked: the bytes
 * `consentctl export` writes. CSV starts with a UTF-8 BOM, quotes every
 * field and defuses formulas; both formats end each record with its
 * verification state.
 *
 * Returns: (transfer full) (nullable): the text
 */
GBytes *
ck_export_records (CkStore             *store,
                   const CkStoreQuery  *query,
                   CkExportFormat       format,
                   GError             **error)
{
  return ck_export_records_full (store, query, format, FALSE, NULL, error);
}
