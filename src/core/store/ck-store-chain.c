/* ck-store-chain.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The hash chain: its head, and appending an event. The canonical forms
 * it hashes: ck-store-canon.c. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include "ck-store-impl-private.h"

/* Within a transaction: the next link of the chain. */
gboolean
_ck_store_chain_head (CkStore  *self,
                      gint64   *seq,
                      char    **hash,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT seq, hash FROM chain WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _ck_store_sql_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);

  *seq = sqlite3_column_int64 (stmt, 0);
  *hash = _ck_store_column_text (stmt, 1);
  return TRUE;
}

gboolean
_ck_store_chain_advance (CkStore     *self,
                         gint64       seq,
                         const char  *hash,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "UPDATE chain SET seq = ?, hash = ? WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  _ck_store_bind_text (stmt, 2, hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* Within the transaction of a withdrawal event: the consent is marked
 * withdrawn and leaves the verification queue. */
static gboolean
apply_withdrawal (CkStore     *self,
                  const char  *uuid,
                  GError     **error)
{
  if (self->schema_version >= 4 &&
      !_ck_store_exec_for_uuid (self, "UPDATE consent_status SET withdrawn = 1 WHERE uuid = ?", uuid, error))
    return FALSE;
  if (self->schema_version >= 3 &&
      !_ck_store_exec_for_uuid (self, "DELETE FROM verify_queue WHERE consent_uuid = ?", uuid, error))
    return FALSE;

  return TRUE;
}

/* Within a transaction: appends an event to the chain. */
gboolean
_ck_store_insert_event (CkStore       *self,
                        CkStoreEvent  *event,
                        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq;
  int rc;

  if (!_ck_store_chain_head (self, &seq, &event->prev_hash, error))
    return FALSE;
  event->seq = seq + 1;
  if (event->at == NULL)
    event->at = _ck_store_now_iso8601 ();
  event->row_hash = _ck_store_hash_event (event);

  stmt = _ck_store_prepare (self,
                            "INSERT INTO events (seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  _ck_store_bind_text (stmt, 2, event->at);
  _ck_store_bind_text (stmt, 3, event->kind);
  _ck_store_bind_text (stmt, 4, event->consent_uuid);
  _ck_store_bind_text (stmt, 5, event->operator_name);
  _ck_store_bind_text (stmt, 6, event->detail);
  _ck_store_bind_text (stmt, 7, event->prev_hash);
  _ck_store_bind_text (stmt, 8, event->row_hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  /* However it is written, a withdrawal takes effect with its event. */
  if (g_strcmp0 (event->kind, "withdrawal") == 0 && event->consent_uuid &&
      !apply_withdrawal (self, event->consent_uuid, error))
    return FALSE;

  return _ck_store_chain_advance (self, event->seq, event->row_hash, error);
}
