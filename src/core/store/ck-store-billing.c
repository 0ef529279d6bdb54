/* ck-store-billing.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The paid package: the ledger of purged calls and the billable
 * attempts ck-usage.c counts. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include "ck-store-impl-private.h"

/* --- the ledger of purged calls -------------------------------------------------------- */

/* purged_calls keeps, for the package's usage, the paid calls of consents
 * a purge removed (docs/VERIFICATION.md). Each purge's event records how
 * many rows it added and the SHA-256 of their canonical forms, in the
 * order added; ck_store_check () recomputes both. */

/* Adds one row, read with LEDGER_COLUMNS, to @digest in its canonical form. */
static void
ledger_digest_row (GChecksum    *digest,
                   sqlite3_stmt *stmt)
{
  g_autoptr(GString) canon = g_string_new ("ck-purged-call/1\n");
  g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));
  g_autofree char *http = g_strdup_printf ("%d", sqlite3_column_int (stmt, 4));

  _ck_store_canon_field (canon, "started_ms", started);
  _ck_store_canon_field (canon, "started_at", (const char *)sqlite3_column_text (stmt, 1));
  _ck_store_canon_field (canon, "provider", (const char *)sqlite3_column_text (stmt, 2));
  _ck_store_canon_field (canon, "outcome", (const char *)sqlite3_column_text (stmt, 3));
  _ck_store_canon_field (canon, "http_status", http);
  _ck_store_canon_field (canon, "request_id", (const char *)sqlite3_column_text (stmt, 5));
  _ck_store_canon_field (canon, "billed", (const char *)sqlite3_column_text (stmt, 6));
  _ck_store_canon_field (canon, "demo", sqlite3_column_int (stmt, 7) ? "1" : "0");
  g_checksum_update (digest, (const guchar *)canon->str, (gssize)canon->len);
}

/* The count and SHA-256 of the rows the purge event @purge_seq kept. */
gboolean
_ck_store_ledger_digest (CkStore  *self,
                         gint64    purge_seq,
                         guint    *n_rows,
                         char    **sha256,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);
  int rc;

  stmt = _ck_store_prepare (self, "SELECT " LEDGER_COLUMNS " FROM purged_calls WHERE purge_seq = ? ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, purge_seq);
  *n_rows = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ledger_digest_row (digest, stmt);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  *sha256 = g_strdup (g_checksum_get_string (digest));
  return TRUE;
}

/* Within a purge's transaction, before its attempts go: keeps the calls
 * of the consents signed before @before that count against the package,
 * under the seq the purge's event is about to take. */
gboolean
_ck_store_keep_purged_calls (CkStore     *self,
                             const char  *before,
                             guint       *n_calls,
                             char       **sha256,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *head_hash = NULL;
  gint64 head_seq;
  int rc;

  if (!_ck_store_chain_head (self, &head_seq, &head_hash, error))
    return FALSE;

  insert = _ck_store_prepare (self,
                              "INSERT INTO purged_calls (purge_seq, " LEDGER_COLUMNS ") "
                              "SELECT ?1, started_ms, started_at, provider, "
                              "  CASE outcome WHEN 'in-progress' THEN 'interrupted' ELSE outcome END, "
                              "  http_status, request_id, "
                              "  CASE WHEN " ATTEMPT_BILLED " THEN 'yes' ELSE 'maybe' END, demo "
                              "FROM attempts WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?2) "
                              "AND (" ATTEMPT_KEPT_BY_PURGE ") ORDER BY started_ms, id",
                              error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, head_seq + 1);
  _ck_store_bind_text (insert, 2, before);
  if ((rc = sqlite3_step (insert)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return _ck_store_ledger_digest (self, head_seq + 1, n_calls, sha256, error);
}

/* --- usage of the paid package (ck-usage.c) ------------------------------------- */

/* ATTEMPT_BILLED and ATTEMPT_MAYBE_BILLED are defined with the schema. */

/**
 * ck_store_count_billable:
 * @since: (nullable): YYYY-MM-DD: attempts started on or after this day
 *   (UTC); %NULL for all
 * @billed: (out): attempts the service answered
 * @maybe_billed: (out): interrupted attempts
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_count_billable (CkStore     *self,
                         const char  *since,
                         guint64     *billed,
                         guint64     *maybe_billed,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  *billed = *maybe_billed = 0;
  if (self->schema_version < 3)
    return TRUE;

  /* With the calls of purged consents, from schema 5 on. */
  stmt = _ck_store_prepare (self, self->schema_version < 5
                            ? "SELECT coalesce (sum (CASE WHEN " ATTEMPT_BILLED " THEN 1 ELSE 0 END), 0), "
                    "       coalesce (sum (CASE WHEN " ATTEMPT_MAYBE_BILLED " THEN 1 ELSE 0 END), 0) "
                    "FROM attempts WHERE ?1 IS NULL OR started_at >= ?1"
                  : "SELECT coalesce (sum (billed), 0), coalesce (sum (maybe), 0) FROM ("
                    "  SELECT " ATTEMPT_BILLED " AS billed, " ATTEMPT_MAYBE_BILLED " AS maybe "
                    "  FROM attempts WHERE ?1 IS NULL OR started_at >= ?1 "
                    "  UNION ALL "
                    "  SELECT billed = 'yes', billed = 'maybe' "
                    "  FROM purged_calls WHERE ?1 IS NULL OR started_at >= ?1)",
                  error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, since);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);

  *billed = (guint64)sqlite3_column_int64 (stmt, 0);
  *maybe_billed = (guint64)sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/**
 * ck_store_list_billable:
 * @since: (nullable): as ck_store_count_billable()
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the billed and
 *   the maybe billed attempts, oldest first
 */
GPtrArray *
ck_store_list_billable (CkStore     *self,
                        const char  *since,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (self->schema_version < 3)
    return g_steal_pointer (&result);

  /* From schema 5 on, with the calls of purged consents: no consent id,
   * nothing but what the ledger keeps. */
  stmt = _ck_store_prepare (self, self->schema_version < 5
                            ? "SELECT " ATTEMPT_COLUMNS " FROM attempts "
                    "WHERE (?1 IS NULL OR started_at >= ?1) "
                    "AND ((" ATTEMPT_BILLED ") OR (" ATTEMPT_MAYBE_BILLED ")) "
                    "ORDER BY started_ms, id"
                  : "SELECT " ATTEMPT_COLUMNS " FROM ("
                    "  SELECT 0 AS purged, " ATTEMPT_COLUMNS " FROM attempts "
                    "  WHERE (?1 IS NULL OR started_at >= ?1) "
                    "  AND ((" ATTEMPT_BILLED ") OR (" ATTEMPT_MAYBE_BILLED ")) "
                    "  UNION ALL "
                    "  SELECT 1, id, NULL, 0, started_ms, started_at, -1, provider, outcome, http_status, "
                    "    NULL, NULL, request_id, NULL, NULL, NULL, NULL, 0, demo, '' "
                    "  FROM purged_calls WHERE ?1 IS NULL OR started_at >= ?1) "
                    "ORDER BY started_ms, purged, id",
                  error);
  if (stmt == NULL)
    return NULL;
  _ck_store_bind_text (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _ck_store_read_attempt (stmt));
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}
