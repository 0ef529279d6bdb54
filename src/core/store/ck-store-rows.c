/* ck-store-rows.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the records window's list (CkRecordList) reads: the seqs a query
 * finds, then rows a page at a time, with the masked ID number only and
 * the verification status. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include "ck-idcard.h"
#include "ck-store-impl-private.h"

/* --- rows for lists (ck-store-private.h) ------------------------------------------- */

void
ck_store_row_free (CkStoreRow *row)
{
  if (row == NULL)
    return;

  g_free (row->uuid);
  g_free (row->created_at);
  g_free (row->sign_date);
  g_free (row->name);
  g_free (row->masked_id);
  g_free (row->last_outcome);
  g_free (row);
}

int
_ck_store_progress_cancelled (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

/**
 * ck_store_list_seqs:
 * @self: a #CkStore
 * @query: what to look for; limit and offset are ignored
 * @cancellable: (nullable): stops the query
 * @error: a #GError in the %CK_STORE_ERROR or %G_IO_ERROR domain
 *
 * The seqs of the consents @query finds, newest first, through indexes:
 * the state alone reads the small consent_status table only.
 *
 * Returns: (transfer full) (element-type gint64): the seqs
 */
GArray *
ck_store_list_seqs (CkStore             *self,
                    const CkStoreQuery  *query,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(CkStoreFilter) filter = { 0 };
  gboolean by_status_only;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  by_status_only = self->schema_version >= 4 && !(query->search && query->search[0]) &&
                   !query->since && !query->until;
  if (by_status_only)
    {
      g_string_append (sql, "SELECT seq FROM consent_status");
      if (query->state)
        {
          g_string_append (sql, " WHERE ");
          if (!_ck_store_append_state_condition (self, sql, query->state, query->max_attempts, error))
            return NULL;
        }
    }
  else
    {
      g_string_append (sql, "SELECT seq FROM consents c WHERE 1");
      if (!_ck_store_filter_append (self, &filter, query, sql, error))
        return NULL;
    }
  g_string_append (sql, " ORDER BY seq DESC");

  if (!(stmt = _ck_store_prepare (self, sql->str, error)))
    return NULL;
  _ck_store_filter_bind (&filter, stmt);

  if (cancellable)
    sqlite3_progress_handler (self->db, 10000, _ck_store_progress_cancelled, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  if (cancellable)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&seqs);
}

/**
 * ck_store_read_rows:
 * @self: a #CkStore
 * @seqs: (array length=n_seqs): consents' seqs
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkStoreRow): one row a seq, in
 *   order; %NULL elements for consents no longer stored (purged)
 */
GPtrArray *
ck_store_read_rows (CkStore       *self,
                    const gint64  *seqs,
                    guint          n_seqs,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = _ck_store_prepare (self, self->schema_version >= 4
                            ? "SELECT c.seq, c.uuid, c.created_at, c.sign_date, c.name, c.id_number, c.demo, "
                    "  s.last_outcome, s.last_number, s.withdrawn "
                    "FROM consents c JOIN consent_status s ON s.seq = c.seq WHERE c.seq = ?"
                  : "SELECT c.seq, c.uuid, c.created_at, c.sign_date, c.name, c.id_number, c.demo, "
                    STATUS_LAST_OUTCOME ", " STATUS_LAST_NUMBER ", " STATUS_WITHDRAWN " "
                    "FROM consents c WHERE c.seq = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_full (n_seqs, (GDestroyNotify)ck_store_row_free);
  for (guint i = 0; i < n_seqs; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, seqs[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          CkStoreRow *row = g_new0 (CkStoreRow, 1);

          row->seq = sqlite3_column_int64 (stmt, 0);
          row->uuid = _ck_store_column_text (stmt, 1);
          row->created_at = _ck_store_column_text (stmt, 2);
          row->sign_date = _ck_store_column_text (stmt, 3);
          row->name = _ck_store_column_text (stmt, 4);
          row->masked_id = ck_idcard_mask_number ((const char *)sqlite3_column_text (stmt, 5));
          row->demo = sqlite3_column_int (stmt, 6) != 0;
          row->last_outcome = _ck_store_column_text (stmt, 7);
          row->last_number = (guint)sqlite3_column_int (stmt, 8);
          row->withdrawn = sqlite3_column_int (stmt, 9) != 0;
          g_ptr_array_add (rows, row);
        }
      else if (rc == SQLITE_DONE)
        g_ptr_array_add (rows, NULL);
      else
        {
          _ck_store_sql_error (self, rc, error);
          return NULL;
        }
    }

  return g_steal_pointer (&rows);
}
