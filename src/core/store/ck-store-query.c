/* ck-store-query.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading consents: lookups, lists and searches, rows for CkRecordList,
 * and the PDF of a consent. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-idcard.h"
#include "ck-store-impl-private.h"

/* --- reading ------------------------------------------------------------------------ */

CkConsentRecord *
_ck_store_read_consent (sqlite3_stmt *stmt)
{
  CkConsentRecord *r = ck_consent_record_new ();

  r->seq = sqlite3_column_int64 (stmt, 0);
  r->uuid = _ck_store_column_text (stmt, 1);
  r->created_at = _ck_store_column_text (stmt, 2);
  r->name = _ck_store_column_text (stmt, 3);
  r->id_number = _ck_store_column_text (stmt, 4);
  r->sign_date = _ck_store_column_text (stmt, 5);
  r->org_name = _ck_store_column_text (stmt, 6);
  r->org_business = _ck_store_column_text (stmt, 7);
  r->org_purpose = _ck_store_column_text (stmt, 8);
  r->template_sha256 = _ck_store_column_text (stmt, 9);
  r->pdf_path = _ck_store_column_text (stmt, 10);
  r->pdf_sha256 = _ck_store_column_text (stmt, 11);
  r->pdf_size = sqlite3_column_int64 (stmt, 12);
  r->signature = g_bytes_new (sqlite3_column_blob (stmt, 13), sqlite3_column_bytes (stmt, 13));
  r->kiosk_id = _ck_store_column_text (stmt, 14);
  r->operator_name = _ck_store_column_text (stmt, 15);
  r->demo = sqlite3_column_int (stmt, 16) != 0;
  r->prev_hash = _ck_store_column_text (stmt, 17);
  r->row_hash = _ck_store_column_text (stmt, 18);
  /* With CONSENT_ENTRY_COLUMNS: readers that need no entry methods
   * (the check, the sync) leave them out. */
  if (sqlite3_column_count (stmt) >= 21)
    {
      r->name_method = _ck_store_column_text (stmt, 19);
      r->id_method = _ck_store_column_text (stmt, 20);
    }

  return r;
}

/**
 * ck_store_lookup:
 *
 * Returns: (transfer full) (nullable): the consent with @uuid
 */
CkConsentRecord *
ck_store_lookup (CkStore     *self,
                 const char  *uuid,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  sql = g_strconcat ("SELECT " CONSENT_COLUMNS, CONSENT_ENTRY_COLUMNS (self), "FROM consents WHERE uuid = ?", NULL);
  stmt = _ck_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  _ck_store_bind_text (stmt, 1, uuid);

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    return _ck_store_read_consent (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                 _("No consent with the id %s is stored."), uuid);
  else
    _ck_store_sql_error (self, rc, error);

  return NULL;
}

static gboolean
looks_like_id_tail (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++, n++)
    if (!g_ascii_isdigit (*p) && *p != 'X' && *p != 'x')
      return FALSE;

  return n >= 4 && n <= 18;
}

/* Appends the SQL condition for consents in @state (a state's name), on
 * a status of columns withdrawn, last_outcome and last_number, as
 * ck-verify-state.c writes it. */
gboolean
_ck_store_append_state_condition (CkStore     *self,
                                  GString     *sql,
                                  const char  *state,
                                  guint        max_attempts,
                                  GError     **error)
{
  CkVerifyState parsed;

  if (!ck_verify_state_from_string (state, &parsed))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("“%s” is not a verification state (unverified, in-progress, verified, "
                     "not-matched, undetermined, rejected, retrying, failed, withdrawn)."),
                   state);
      return FALSE;
    }

  if (self->schema_version < 4)
    /* A reader of an older store: computed on the fly. */
    ck_verify_state_append_sql (parsed, STATUS_WITHDRAWN, STATUS_LAST_OUTCOME, STATUS_LAST_NUMBER,
                                max_attempts, sql);
  else
    ck_verify_state_append_sql (parsed, "withdrawn", "last_outcome", "last_number", max_attempts, sql);

  return TRUE;
}

void
_ck_store_filter_clear (CkStoreFilter *filter)
{
  g_clear_pointer (&filter->key, g_free);
  g_clear_pointer (&filter->key_end, g_free);
}

/* Appends " AND …" for each condition of @query to @sql, on the consents
 * as c. */
gboolean
_ck_store_filter_append (CkStore             *self,
                         CkStoreFilter       *filter,
                         const CkStoreQuery  *query,
                         GString             *sql,
                         GError             **error)
{
  if (query->search && query->search[0])
    {
      if (looks_like_id_tail (query->search))
        {
          g_autofree char *upper = g_ascii_strup (query->search, -1);

          filter->key = g_utf8_strreverse (upper, -1);
          g_string_append (sql, self->schema_version >= 2
                           ? " AND c.id_reversed >= ? AND c.id_reversed < ?"
                           : " AND ck_reverse (c.id_number) >= ? AND ck_reverse (c.id_number) < ?");
        }
      else
        {
          filter->key = g_strdup (query->search);
          g_string_append (sql, " AND c.name >= ? AND c.name < ?");
        }
      /* The smallest string greater than every string with this prefix. */
      filter->key_end = g_strconcat (filter->key, "\xf4\x8f\xbf\xbf", NULL);
    }
  if ((filter->since = query->since))
    g_string_append (sql, " AND c.sign_date >= ?");
  if ((filter->until = query->until))
    g_string_append (sql, " AND c.sign_date <= ?");

  /* Per consent the other conditions find, by seq: a search or a month
   * narrows first (bench-records, a million consents: a surname with a
   * state took 540 ms as "seq IN (…)", 88 ms so). */
  if (query->state)
    {
      g_string_append (sql, self->schema_version >= 4
                       ? " AND EXISTS (SELECT 1 FROM consent_status s WHERE s.seq = c.seq AND "
                       : " AND (");
      if (!_ck_store_append_state_condition (self, sql, query->state, query->max_attempts, error))
        return FALSE;
      g_string_append (sql, ")");
    }

  return TRUE;
}

void
_ck_store_filter_bind (const CkStoreFilter *filter,
                       sqlite3_stmt        *stmt)
{
  int index = 1;

  if (filter->key)
    {
      _ck_store_bind_text (stmt, index++, filter->key);
      _ck_store_bind_text (stmt, index++, filter->key_end);
    }
  if (filter->since)
    _ck_store_bind_text (stmt, index++, filter->since);
  if (filter->until)
    _ck_store_bind_text (stmt, index++, filter->until);
}

/**
 * ck_store_list:
 * @self: a #CkStore
 * @query: (nullable): what to look for
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Lists consents, newest first. A search of 4 to 18 digits (and X) finds
 * ID numbers ending so; any other text finds names starting so. Both use
 * an index, and so does a filter by verification state.
 *
 * Returns: (transfer full) (element-type CkConsentRecord): the consents
 */
GPtrArray *
ck_store_list (CkStore             *self,
               const CkStoreQuery  *query,
               GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CONSENT_COLUMNS);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_auto(CkStoreFilter) filter = { 0 };
  CkStoreQuery none = { 0 };
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (query == NULL)
    query = &none;

  g_string_append (sql, CONSENT_ENTRY_COLUMNS (self));
  g_string_append (sql, "FROM consents c WHERE 1");
  if (!_ck_store_filter_append (self, &filter, query, sql, error))
    return NULL;
  g_string_append (sql, " ORDER BY seq DESC");
  /* SQLite takes an OFFSET only after a LIMIT; -1 is none. */
  if (query->limit || query->offset)
    g_string_append_printf (sql, " LIMIT %" G_GINT64_FORMAT " OFFSET %u",
                            query->limit ? (gint64)query->limit : (gint64)-1, query->offset);

  if (!(stmt = _ck_store_prepare (self, sql->str, error)))
    return NULL;
  _ck_store_filter_bind (&filter, stmt);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_consent_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _ck_store_read_consent (stmt));

  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* The status columns of ck_store_foreach (), after CONSENT_COLUMNS_C and
 * CONSENT_ENTRY_COLUMNS_C, and
 * the joins they need: from the status table (schema 4 on) and the last
 * attempt through its unique (consent_uuid, number) index. */
#define FOREACH_STATUS_COLUMNS \
  ", s.last_outcome, coalesce (s.last_number, 0), coalesce (a.started_ms, 0), coalesce (a.demo, 0), " \
  "coalesce (s.withdrawn, 0) "
#define FOREACH_STATUS_JOINS \
  "LEFT JOIN consent_status s ON s.seq = c.seq " \
  "LEFT JOIN attempts a ON a.consent_uuid = c.uuid AND a.number = s.last_number "
/* The same computed from the attempts and events, for a reader of an
 * older store. */
#define FOREACH_COMPUTED_COLUMNS \
  ", " STATUS_LAST_OUTCOME ", " STATUS_LAST_NUMBER ", 0, 0, " STATUS_WITHDRAWN " "

/**
 * ck_store_foreach:
 * @self: a #CkStore
 * @query: (nullable): which consents, as ck_store_list() finds them; limit
 *   and offset honoured
 * @func: called for each, newest first
 * @user_data: for @func
 * @cancellable: (nullable): stops the query
 * @error: a #GError in the %CK_STORE_ERROR or %G_IO_ERROR domain, or
 *   @func's
 *
 * Reads the consents @query finds one at a time, each with its
 * verification status, in one statement and one read transaction: memory
 * stays the same however many there are, and no statement runs a row.
 *
 * Returns: %TRUE when every consent was given to @func
 */
gboolean
ck_store_foreach (CkStore             *self,
                  const CkStoreQuery  *query,
                  CkStoreRecordFunc    func,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CONSENT_COLUMNS_C);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(CkStoreFilter) filter = { 0 };
  CkStoreQuery none = { 0 };
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (query == NULL)
    query = &none;

  /* The seqs first, from the indexes alone (a search's index holds the
   * seq): sorting ten thousand hits costs that, not ten thousand rows
   * with their signatures. Then the rows of the page, by seq. */
  g_string_append (sql, CONSENT_ENTRY_COLUMNS_C (self));
  g_string_append (sql, self->schema_version >= 4 ? FOREACH_STATUS_COLUMNS : FOREACH_COMPUTED_COLUMNS);
  g_string_append (sql, "FROM (SELECT c.seq FROM consents c WHERE 1");
  if (!_ck_store_filter_append (self, &filter, query, sql, error))
    return FALSE;
  g_string_append (sql, " ORDER BY c.seq DESC");
  if (query->limit || query->offset)
    g_string_append_printf (sql, " LIMIT %" G_GINT64_FORMAT " OFFSET %u",
                            query->limit ? (gint64)query->limit : (gint64)-1, query->offset);
  g_string_append (sql, ") AS k JOIN consents c ON c.seq = k.seq ");
  if (self->schema_version >= 4)
    g_string_append (sql, FOREACH_STATUS_JOINS);
  g_string_append (sql, "ORDER BY c.seq DESC");

  if (!(stmt = _ck_store_prepare (self, sql->str, error)))
    return FALSE;
  _ck_store_filter_bind (&filter, stmt);

  if (cancellable)
    sqlite3_progress_handler (self->db, 10000, _ck_store_progress_cancelled, cancellable);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CkConsentRecord) record = _ck_store_read_consent (stmt);
      CkConsentStatus status;

      status.last_outcome = (const char *)sqlite3_column_text (stmt, 21);
      status.last_number = (guint)sqlite3_column_int (stmt, 22);
      status.last_started_ms = sqlite3_column_int64 (stmt, 23);
      status.last_demo = sqlite3_column_int (stmt, 24) != 0;
      status.withdrawn = sqlite3_column_int (stmt, 25) != 0;
      ok = func (record, &status, user_data, error);
    }
  if (cancellable)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (!ok)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_count_matches:
 * @self: a #CkStore
 * @query: (nullable): which consents; limit and offset ignored
 * @cancellable: (nullable): stops the count
 * @error: a #GError in the %CK_STORE_ERROR or %G_IO_ERROR domain
 *
 * Returns: how many consents @query finds, through the indexes it uses;
 *   -1 on failure
 */
gint64
ck_store_count_matches (CkStore             *self,
                        const CkStoreQuery  *query,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count (*) FROM consents c WHERE 1");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(CkStoreFilter) filter = { 0 };
  CkStoreQuery none = { 0 };
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), -1);

  if (query == NULL)
    query = &none;
  if (!_ck_store_filter_append (self, &filter, query, sql, error) ||
      !(stmt = _ck_store_prepare (self, sql->str, error)))
    return -1;
  _ck_store_filter_bind (&filter, stmt);

  if (cancellable)
    sqlite3_progress_handler (self->db, 10000, _ck_store_progress_cancelled, cancellable);
  rc = sqlite3_step (stmt);
  if (cancellable)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (rc != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gint64
ck_store_count (CkStore  *self,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), -1);

  if (!(stmt = _ck_store_prepare (self, "SELECT count(*) FROM consents", error)))
    return -1;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * ck_store_dup_pdf_file:
 * @self: a #CkStore
 * @record: a stored consent
 *
 * Returns: (transfer full): the path of @record's PDF, to hand to a
 *   printer; read it with ck_store_read_pdf() to check it first
 */
char *
ck_store_dup_pdf_file (CkStore               *self,
                       const CkConsentRecord *record)
{
  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (record != NULL && record->pdf_path != NULL, NULL);

  return g_build_filename (self->data_dir, record->pdf_path, NULL);
}

/**
 * ck_store_read_data_file:
 * @relative: a file below the data directory
 *
 * Reads a file of the store as it is, following no symbolic link below
 * the data directory: for backups.
 *
 * Returns: (transfer full) (nullable): its bytes
 */
GBytes *
ck_store_read_data_file (CkStore     *self,
                         const char  *relative,
                         GError     **error)
{
  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  return _ck_store_read_file (self, relative, error);
}

/* Whether a revision of the PDF at @relative is being appended, or died
 * before recovery cut it back. */
static gboolean
appending (CkStore    *self,
           const char *relative)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->schema_version < 8 ||
      !(stmt = _ck_store_prepare (self, "SELECT 1 FROM pending_files WHERE path = ? AND action = 'append'", NULL)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, relative);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* Whether a revision longer than @size was recorded since it was read. */
static gboolean
revised_since (CkStore    *self,
               const char *uuid,
               gint64      size)
{
  g_auto(CkStoreRevision) now = { 0 };
  gboolean revised = FALSE;

  return _ck_store_current_revision (self, uuid, &now, &revised, NULL) && revised && now.size > size;
}

/**
 * ck_store_read_pdf:
 *
 * Reads a consent's PDF as the store records it: its current revision
 * (the latest 'pdf-revision' event's, else the original), checked against
 * the recorded SHA-256, and its first bytes against the original's. A
 * revision being appended at that moment (the files journal says so) is
 * not part of it yet: the bytes before it are returned.
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
ck_store_read_pdf (CkStore                *self,
                   const CkConsentRecord  *record,
                   GError                **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CkStoreRevision) current = { 0 };
  gboolean revised = FALSE;
  const char *sha256;
  gint64 size;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  /* The record first, then the file: a revision committed in between
   * only makes the file longer than the revision read. */
  if (!_ck_store_current_revision (self, record->uuid, &current, &revised, error))
    return NULL;
  sha256 = revised ? current.sha256 : record->pdf_sha256;
  size = revised ? current.size : record->pdf_size;

  if (!(contents = _ck_store_read_file (self, record->pdf_path, &local_error)))
    {
      g_set_error (error, CK_STORE_ERROR,
                   g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED)
                   ? CK_STORE_ERROR_TAMPERED : CK_STORE_ERROR_NOT_FOUND,
                   _("The PDF of consent %s cannot be read: %s"),
                   record->uuid, local_error->message);
      return NULL;
    }

  if ((gint64)g_bytes_get_size (contents) > size && size >= 0 &&
      (appending (self, record->pdf_path) || revised_since (self, record->uuid, size)))
    {
      GBytes *prefix = g_bytes_new_from_bytes (contents, 0, (gsize)size);

      g_bytes_unref (contents);
      contents = prefix;
    }

  if (!_ck_store_pdf_matches (contents, record->pdf_sha256, record->pdf_size, sha256, size))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The PDF of consent %s does not match its recorded hash: it was "
                     "changed after signing."),
                   record->uuid);
      return NULL;
    }

  return g_steal_pointer (&contents);
}
