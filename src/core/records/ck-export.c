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
#include "ck-verify-state.h"

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
 * ck_export_json_add_string:
 * @builder: inside an object
 * @member: the member's name
 * @value: (nullable): its value; %NULL adds null
 *
 * Adds a string member, or null.
 */
void
ck_export_json_add_string (JsonBuilder *builder,
                           const char  *member,
                           const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
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
  /* How the name and the ID number were entered: "typed", "handwriting",
   * "pinyin" or "card"; null when the consent does not record it. */
  ck_export_json_add_string (builder, "name_method", r->name_method);
  ck_export_json_add_string (builder, "id_method", r->id_method);
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

/* How many records a progress report may wait for. */
#define PROGRESS_EVERY 256

typedef struct
{
  GOutputStream *out;
  GCancellable *cancellable;
  CkExportFormat format;
  gboolean unmask;
  guint max_attempts;
  guint n;
  guint64 total;
  CkProgressFunc progress;
  gpointer progress_data;
  GString *buffer;
} Export;

static gboolean
flush (Export  *job,
       GError **error)
{
  gboolean ok = g_output_stream_write_all (job->out, job->buffer->str, job->buffer->len, NULL,
                                           job->cancellable, error);

  g_string_truncate (job->buffer, 0);
  return ok;
}

/**
 * ck_export_json_add_origin:
 * @builder: inside an object
 * @origin: where a consent of the central archive comes from
 *
 * Adds what the central archive's output adds to a record's members:
 * "central_kiosk_id" (the kiosk that synced it) and "branch".
 */
void
ck_export_json_add_origin (JsonBuilder           *builder,
                           const CkCentralOrigin *origin)
{
  json_builder_set_member_name (builder, "central_kiosk_id");
  json_builder_add_string_value (builder, origin->kiosk_id);
  json_builder_set_member_name (builder, "branch");
  json_builder_add_string_value (builder, origin->branch);
}

/* The object of one record, pretty-printed as json-glib prints it inside
 * an array: each line indented one level. */
static void
append_json_record (Export                *job,
                    const CkConsentRecord *record,
                    const char            *state,
                    const CkCentralOrigin *origin)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  json_builder_begin_object (builder);
  ck_export_json_add_record (builder, record, job->unmask, TRUE);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  if (origin)
    ck_export_json_add_origin (builder, origin);
  json_builder_end_object (builder);
  text = ck_export_json_to_string (builder);

  g_string_append (job->buffer, job->n ? ",\n" : "[\n");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (job->buffer, "%s  %s", i ? "\n" : "", lines[i]);
}

static void
append_csv_record (Export                *job,
                   const CkConsentRecord *r,
                   const char            *state,
                   const CkCentralOrigin *origin)
{
  g_autofree char *masked = ck_idcard_mask_number (r->id_number);
  GString *csv = job->buffer;

  ck_export_csv_field (csv, r->uuid, FALSE);
  ck_export_csv_field (csv, r->created_at, FALSE);
  ck_export_csv_field (csv, r->sign_date, FALSE);
  ck_export_csv_field (csv, r->name, FALSE);
  ck_export_csv_field (csv, job->unmask ? r->id_number : masked, FALSE);
  ck_export_csv_field (csv, r->org_name, FALSE);
  ck_export_csv_field (csv, r->org_business, FALSE);
  ck_export_csv_field (csv, r->org_purpose, FALSE);
  ck_export_csv_field (csv, r->kiosk_id, FALSE);
  ck_export_csv_field (csv, r->operator_name, FALSE);
  ck_export_csv_field (csv, r->demo ? "1" : "0", FALSE);
  ck_export_csv_field (csv, r->template_sha256, FALSE);
  ck_export_csv_field (csv, r->pdf_sha256, FALSE);
  ck_export_csv_field (csv, r->name_method, FALSE);   /* empty: not recorded */
  ck_export_csv_field (csv, r->id_method, FALSE);
  ck_export_csv_field (csv, state, origin == NULL);
  if (origin)
    {
      ck_export_csv_field (csv, origin->kiosk_id, FALSE);
      ck_export_csv_field (csv, origin->branch, TRUE);
    }
}

/* One record, written; @origin for the central archive's. */
static gboolean
write_record (Export                 *job,
              const CkConsentRecord  *record,
              const CkConsentStatus  *status,
              const CkCentralOrigin  *origin,
              GError                **error)
{
  CkVerifyState state = ck_verify_state_from_status (status->last_outcome, status->last_number,
                                                     status->withdrawn, job->max_attempts);

  if (job->format == CK_EXPORT_JSON)
    append_json_record (job, record, ck_verify_state_to_string (state), origin);
  else
    append_csv_record (job, record, ck_verify_state_to_string (state), origin);
  job->n++;

  if (job->n % PROGRESS_EVERY == 0)
    {
      if (!flush (job, error))
        return FALSE;
      if (job->progress)
        job->progress (job->n, job->total, job->progress_data);
    }

  return TRUE;
}

static gboolean
export_one (const CkConsentRecord  *record,
            const CkConsentStatus  *status,
            gpointer                user_data,
            GError                **error)
{
  return write_record (user_data, record, status, NULL, error);
}

static gboolean
export_central_one (const CkConsentRecord  *record,
                    const CkConsentStatus  *status,
                    const CkCentralOrigin  *origin,
                    gpointer                user_data,
                    GError                **error)
{
  return write_record (user_data, record, status, origin, error);
}

/* The CSV's header, or nothing for JSON; progress at 0 of @total. */
static void
export_begin (Export  *job,
              gboolean central,
              gint64   total)
{
  if (job->progress)
    {
      job->total = (guint64)MAX (total, 0);
      job->progress (0, job->total, job->progress_data);
    }

  if (job->format == CK_EXPORT_CSV)
    {
      g_string_append (job->buffer, "\xEF\xBB\xBF");   /* a BOM, so that spreadsheets read UTF-8 */
      g_string_append (job->buffer, "id,created_at,sign_date,name,id_number,organization,business,"
                                    "purpose,kiosk_id,operator,demo,template_sha256,pdf_sha256,"
                                    "name_method,id_method,state");
      g_string_append (job->buffer, central ? ",central_kiosk_id,branch\r\n" : "\r\n");
    }
}

static gboolean
export_end (Export  *job,
            guint   *n_records,
            GError **error)
{
  if (job->format == CK_EXPORT_JSON)
    g_string_append (job->buffer, job->n ? "\n]" : "[]");
  if (!flush (job, error) || !g_output_stream_flush (job->out, job->cancellable, error))
    return FALSE;

  if (job->progress)
    job->progress (job->n, MAX (job->total, job->n), job->progress_data);
  if (n_records)
    *n_records = job->n;
  return TRUE;
}

/**
 * ck_export_write_full:
 * @unmask: write whole ID numbers (consentctl export --unmask, which
 *   records the reveal before the file leaves its hands)
 *
 * ck_export_write(), optionally unmasked.
 */
gboolean
ck_export_write_full (CkStore             *store,
                      const CkStoreQuery  *query,
                      CkExportFormat       format,
                      gboolean             unmask,
                      GOutputStream       *out,
                      CkProgressFunc       progress,
                      gpointer             progress_data,
                      GCancellable        *cancellable,
                      guint               *n_records,
                      GError             **error)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  CkStoreQuery none = { 0 };
  Export job = { 0 };
  gint64 total;

  g_return_val_if_fail (CK_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (query == NULL)
    query = &none;

  job.out = out;
  job.cancellable = cancellable;
  job.format = format;
  job.unmask = unmask;
  job.max_attempts = query->max_attempts;
  job.progress = progress;
  job.progress_data = progress_data;
  job.buffer = buffer;

  total = 0;
  if (progress)
    {
      if ((total = ck_store_count_matches (store, query, cancellable, error)) < 0)
        return FALSE;
      total = MAX (total - (gint64)query->offset, 0);
      total = query->limit ? MIN (total, (gint64)query->limit) : total;
    }
  export_begin (&job, FALSE, total);

  /* One read transaction, one record at a time, written as it comes. */
  if (!ck_store_foreach (store, query, export_one, &job, cancellable, error))
    return FALSE;

  return export_end (&job, n_records, error);
}

/**
 * ck_export_write_central:
 * @central: a #CkCentral, connected as a role of ck_staff
 * @query: (nullable): which consents of the archive (limit and offset
 *   honoured; max_attempts for the state column)
 * @format: CSV or JSON
 * @unmask: write whole ID numbers (record the reveal with
 *   ck_central_record_reveal() before the file leaves your hands)
 * @out: where to write
 * @progress: (nullable): told how far the export is
 * @progress_data: for @progress
 * @cancellable: (nullable): stops the export
 * @n_records: (out) (optional): how many records were written
 * @error: a #GError in the %CK_CENTRAL_ERROR or %G_IO_ERROR domain
 *
 * ck_export_write_full() on the central archive: the same bytes for each
 * record, then where it comes from (CSV columns and JSON members
 * central_kiosk_id and branch, after the state), records of every kiosk
 * newest first as ck_central_foreach() gives them.
 *
 * Returns: %TRUE when every record is written
 */
gboolean
ck_export_write_central (CkCentral             *central,
                         const CkCentralQuery  *query,
                         CkExportFormat         format,
                         gboolean               unmask,
                         GOutputStream         *out,
                         CkProgressFunc         progress,
                         gpointer               progress_data,
                         GCancellable          *cancellable,
                         guint                 *n_records,
                         GError               **error)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  CkCentralQuery none = { { 0 } };
  Export job = { 0 };
  gint64 total = 0;

  g_return_val_if_fail (CK_IS_CENTRAL (central), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (query == NULL)
    query = &none;

  job.out = out;
  job.cancellable = cancellable;
  job.format = format;
  job.unmask = unmask;
  job.max_attempts = query->query.max_attempts;
  job.progress = progress;
  job.progress_data = progress_data;
  job.buffer = buffer;

  if (progress)
    {
      if ((total = ck_central_count_matches (central, query, error)) < 0)
        return FALSE;
      total = MAX (total - (gint64)query->query.offset, 0);
      total = query->query.limit ? MIN (total, (gint64)query->query.limit) : total;
    }
  export_begin (&job, TRUE, total);

  if (!ck_central_foreach (central, query, export_central_one, &job, cancellable, error))
    return FALSE;

  return export_end (&job, n_records, error);
}

/**
 * ck_export_write:
 * @store: the consent store
 * @query: (nullable): which consents (limit and offset honoured;
 *   max_attempts for the state column)
 * @format: CSV or JSON
 * @out: where to write
 * @progress: (nullable): told how far the export is
 * @progress_data: for @progress
 * @cancellable: (nullable): stops the export
 * @n_records: (out) (optional): how many records were written
 * @error: a #GError in the %CK_STORE_ERROR or %G_IO_ERROR domain
 *
 * Writes the consents @query finds, newest first, ID numbers masked: the
 * bytes `consentctl export` writes. CSV starts with a UTF-8 BOM, quotes
 * every field and defuses formulas; both formats end each record with its
 * verification state. Memory stays the same however many there are.
 *
 * Returns: %TRUE when every record is written
 */
gboolean
ck_export_write (CkStore             *store,
                 const CkStoreQuery  *query,
                 CkExportFormat       format,
                 GOutputStream       *out,
                 CkProgressFunc       progress,
                 gpointer             progress_data,
                 GCancellable        *cancellable,
                 guint               *n_records,
                 GError             **error)
{
  return ck_export_write_full (store, query, format, FALSE, out, progress, progress_data,
                               cancellable, n_records, error);
}

/**
 * ck_export_records:
 * @store: the consent store
 * @query: (nullable): which consents (limit and offset honoured;
 *   max_attempts for the state column)
 * @format: CSV or JSON
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * ck_export_write() into memory.
 *
 * Returns: (transfer full) (nullable): the text
 */
GBytes *
ck_export_records (CkStore             *store,
                   const CkStoreQuery  *query,
                   CkExportFormat       format,
                   GError             **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!ck_export_write (store, query, format, out, NULL, NULL, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}
