/* ck-store-sync.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the central archive's sync (src/core/central/) asks of the store:
 * the links of the chain after a point, whole (a consent with its PDF, an
 * event with the attempt it seals or the paid calls its purge kept, a link
 * a purge cut as its seq and hash); the receipts the archive gave, chained
 * (sync_receipts, schema 9); the sync's state for staff (sync_state); and
 * the guard that keeps a purge from erasing what the archive has not
 * acknowledged. docs/CENTRAL.md says how they fit. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-store-impl-private.h"

void
ck_purged_call_free (CkPurgedCall *call)
{
  if (call == NULL)
    return;
  g_free (call->started_at);
  g_free (call->provider);
  g_free (call->outcome);
  g_free (call->request_id);
  g_free (call->billed);
  g_free (call);
}

void
ck_store_link_free (CkStoreLink *link)
{
  if (link == NULL)
    return;
  g_free (link->hash);
  g_free (link->prev_hash);
  g_clear_pointer (&link->consent, ck_consent_record_free);
  g_clear_pointer (&link->event, ck_store_event_free);
  g_free (link->pdf_uuid);
  g_free (link->pdf_sha256);
  g_clear_pointer (&link->pdf, g_bytes_unref);
  g_clear_pointer (&link->attempt, ck_verify_attempt_free);
  g_clear_pointer (&link->purged_calls, g_ptr_array_unref);
  g_free (link);
}

void
ck_sync_status_clear (CkSyncStatus *status)
{
  g_clear_pointer (&status->receipt_hash, g_free);
  g_clear_pointer (&status->receipt_at, g_free);
  g_clear_pointer (&status->last_try_at, g_free);
  g_clear_pointer (&status->last_ok_at, g_free);
  g_clear_pointer (&status->failing_since, g_free);
  g_clear_pointer (&status->last_error, g_free);
  g_clear_pointer (&status->org_at, g_free);
}

/* Every link the purges cut: seq (gint64 *) → hash. Purges are few. */
static GHashTable *
collect_cut (CkStore  *self,
             GError  **error)
{
  g_autoptr(GHashTable) cut = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _ck_store_prepare (self, "SELECT detail FROM events WHERE kind = 'purge' ORDER BY seq", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _ck_store_collect_purged ((const char *)sqlite3_column_text (stmt, 0), cut, NULL);
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&cut);
}

/* The @size first bytes of a consent's PDF file, if they hash to @sha256;
 * NULL (no error) when the file is gone. */
static GBytes *
read_pdf_prefix (CkStore     *self,
                 const char  *path,
                 gint64       size,
                 const char  *sha256,
                 GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *actual = NULL;

  if (!(contents = _ck_store_read_file (self, path, &local_error)))
    {
      if (g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (size < 0 || (gint64)g_bytes_get_size (contents) < size)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The PDF %s is shorter than its record says: it was changed after signing."),
                   path);
      return NULL;
    }
  prefix = g_bytes_new_from_bytes (contents, 0, (gsize)size);
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, prefix);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The PDF %s does not match its recorded hash: it was changed after signing."),
                   path);
      return NULL;
    }

  return g_steal_pointer (&prefix);
}

static gboolean
fill_consent (CkStore      *self,
              CkStoreLink  *link,
              GError      **error)
{
  CkConsentRecord *r = link->consent;
  g_autoptr(GError) local_error = NULL;

  link->pdf_uuid = g_strdup (r->uuid);
  link->pdf_sha256 = g_strdup (r->pdf_sha256);
  link->pdf = read_pdf_prefix (self, r->pdf_path, r->pdf_size, r->pdf_sha256, &local_error);
  if (link->pdf == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                     _("The PDF of consent %s is missing: it cannot be sent to the central "
                       "archive. Run “consentctl check”."),
                     r->uuid);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* A pdf-revision event: the whole file up to that revision; none when the
 * consent was purged since (its PDF went with it). */
static gboolean
fill_revision (CkStore      *self,
               CkStoreLink  *link,
               GError      **error)
{
  g_auto(CkStoreRevision) revision = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  if (!_ck_store_detail_read_revision (link->event->detail, &revision) || link->event->consent_uuid == NULL)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("Event %lld records a PDF revision it does not describe."),
                   (long long)link->seq);
      return FALSE;
    }
  if (!(stmt = _ck_store_prepare (self, "SELECT pdf_path FROM consents WHERE uuid = ?", error)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, link->event->consent_uuid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);

  link->pdf_uuid = g_strdup (link->event->consent_uuid);
  link->pdf_sha256 = g_strdup (revision.sha256);
  link->pdf = read_pdf_prefix (self, (const char *)sqlite3_column_text (stmt, 0), revision.size,
                               revision.sha256, &local_error);
  if (link->pdf == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
fill_attempt (CkStore      *self,
              CkStoreLink  *link,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sha256 = NULL;
  guint number = 0;
  int rc;

  if (link->event->consent_uuid == NULL || !_ck_store_detail_read_seal (link->event->detail, &number, &sha256))
    return TRUE;
  if (!(stmt = _ck_store_prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts "
                                        "WHERE consent_uuid = ? AND number = ?", error)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, link->event->consent_uuid);
  sqlite3_bind_int (stmt, 2, (int)number);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    link->attempt = _ck_store_read_attempt (stmt);
  else if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

static gboolean
fill_purged_calls (CkStore      *self,
                   CkStoreLink  *link,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  link->purged_calls = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_purged_call_free);
  if (!(stmt = _ck_store_prepare (self, "SELECT id, " LEDGER_COLUMNS " FROM purged_calls "
                                        "WHERE purge_seq = ? ORDER BY id", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, link->seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkPurgedCall *call = g_new0 (CkPurgedCall, 1);

      call->local_id = sqlite3_column_int64 (stmt, 0);
      call->purge_seq = link->seq;
      call->started_ms = sqlite3_column_int64 (stmt, 1);
      call->started_at = _ck_store_column_text (stmt, 2);
      call->provider = _ck_store_column_text (stmt, 3);
      call->outcome = _ck_store_column_text (stmt, 4);
      call->http_status = (guint)sqlite3_column_int (stmt, 5);
      call->request_id = _ck_store_column_text (stmt, 6);
      call->billed = _ck_store_column_text (stmt, 7);
      call->demo = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (link->purged_calls, call);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

static gboolean
read_links (CkStore    *self,
            gint64      after,
            guint       limit,
            GPtrArray  *links,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) consents = NULL;
  g_autoptr(sqlite3_stmt) events = NULL;
  g_autoptr(GHashTable) cut = NULL;
  g_autofree char *consents_sql = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *prev = NULL;
  gint64 head, last;
  int rc;

  if (!_ck_store_chain_head (self, &head, &head_hash, error))
    return FALSE;
  last = MIN (head, after + (gint64)limit);
  if (last <= after)
    return TRUE;
  if (after > 0 && !ck_store_get_link_hash (self, after, &prev, error))
    return FALSE;

  consents_sql = g_strconcat ("SELECT " CONSENT_COLUMNS, CONSENT_ENTRY_COLUMNS (self), "FROM consents WHERE seq = ?",
                              NULL);
  if (!(consents = _ck_store_prepare (self, consents_sql, error)) ||
      !(events = _ck_store_prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE seq = ?", error)))
    return FALSE;

  for (gint64 seq = after + 1; seq <= last; seq++)
    {
      g_autoptr(CkStoreLink) link = g_new0 (CkStoreLink, 1);

      link->seq = seq;
      sqlite3_reset (consents);
      sqlite3_reset (events);
      sqlite3_bind_int64 (consents, 1, seq);
      sqlite3_bind_int64 (events, 1, seq);
      if ((rc = sqlite3_step (consents)) == SQLITE_ROW)
        {
          link->kind = CK_STORE_LINK_CONSENT;
          link->consent = _ck_store_read_consent (consents);
          link->hash = g_strdup (link->consent->row_hash);
          link->prev_hash = g_strdup (link->consent->prev_hash);
          if (!fill_consent (self, link, error))
            return FALSE;
        }
      else if (rc != SQLITE_DONE)
        return _ck_store_sql_error (self, rc, error);
      else if ((rc = sqlite3_step (events)) == SQLITE_ROW)
        {
          link->kind = CK_STORE_LINK_EVENT;
          link->event = _ck_store_read_event (events);
          link->hash = g_strdup (link->event->row_hash);
          link->prev_hash = g_strdup (link->event->prev_hash);
          if (g_strcmp0 (link->event->kind, "pdf-revision") == 0 && !fill_revision (self, link, error))
            return FALSE;
          if (g_strcmp0 (link->event->kind, "verification") == 0 && !fill_attempt (self, link, error))
            return FALSE;
          if (g_strcmp0 (link->event->kind, "purge") == 0 && !fill_purged_calls (self, link, error))
            return FALSE;
        }
      else if (rc != SQLITE_DONE)
        return _ck_store_sql_error (self, rc, error);
      else
        {
          const char *hash;

          if (cut == NULL && !(cut = collect_cut (self, error)))
            return FALSE;
          if (!(hash = g_hash_table_lookup (cut, &seq)))
            {
              g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                           _("Link %lld of the chain is missing and no purge "
                             "accounts for it: run “consentctl check”."),
                           (long long)seq);
              return FALSE;
            }
          link->kind = CK_STORE_LINK_CUT;
          link->hash = g_strdup (hash);
          link->prev_hash = g_strdup (prev ? prev : GENESIS_HASH);
        }

      if (g_strcmp0 (link->prev_hash, prev ? prev : GENESIS_HASH) != 0)
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                       _("Link %lld of the chain does not follow the link before "
                         "it: run “consentctl check”."),
                       (long long)seq);
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (link->hash);
      g_ptr_array_add (links, g_steal_pointer (&link));
    }

  return TRUE;
}

/**
 * ck_store_read_links:
 * @self: a #CkStore
 * @after: the last link already sent (0 for none)
 * @limit: how many links at most
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Reads, in one read transaction, the links of the chain after @after, in
 * order: each consent with its PDF as signed (the first pdf_size bytes of
 * its file, checked against the row), each event with, for a
 * `pdf-revision`, the file up to that revision (none once the consent is
 * purged), for a `verification`, the attempt it seals (none once purged),
 * for a `purge`, the paid calls it kept; and each link a purge cut, as its
 * seq and hash. Each link's prev_hash is checked against the link before.
 *
 * Returns: (transfer container) (element-type CkStoreLink): the links;
 *   %NULL with @error set
 */
GPtrArray *
ck_store_read_links (CkStore  *self,
                     gint64    after,
                     guint     limit,
                     GError  **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_store_link_free);
  gboolean ok;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (after >= 0, NULL);

  if (!_ck_store_exec (self, "BEGIN", error))
    return NULL;
  ok = read_links (self, after, limit, links, error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  return ok ? g_steal_pointer (&links) : NULL;
}

/**
 * ck_store_get_link_hash:
 * @self: a #CkStore
 * @seq: a link of the chain (1 or more)
 * @hash: (out): its row hash, or the hash the purge that cut it recorded
 * @error: %CK_STORE_ERROR_NOT_FOUND for a link the chain never had
 *
 * Returns: %TRUE when found
 */
gboolean
ck_store_get_link_hash (CkStore     *self,
                        gint64       seq,
                        char       **hash,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) cut = NULL;
  const char *found;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!(stmt = _ck_store_prepare (self, "SELECT row_hash FROM consents WHERE seq = ?1 "
                                        "UNION ALL SELECT row_hash FROM events WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *hash = _ck_store_column_text (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  if (!(cut = collect_cut (self, error)))
    return FALSE;
  if ((found = g_hash_table_lookup (cut, &seq)))
    {
      *hash = g_strdup (found);
      return TRUE;
    }

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
               _("The chain has no link %lld."), (long long)seq);
  return FALSE;
}

/* The canonical form of a receipt, hashed into its receipt_hash. */
char *
_ck_store_hash_receipt (const char *prev,
                        gint64      seq,
                        const char *hash,
                        const char *at)
{
  g_autoptr(GString) canon = g_string_new ("ck-receipt/1\n");
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  _ck_store_canon_field (canon, "prev", prev);
  _ck_store_canon_field (canon, "seq", seq_text);
  _ck_store_canon_field (canon, "hash", hash);
  _ck_store_canon_field (canon, "at", at);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

static gboolean
last_receipt (CkStore  *self,
              gint64   *seq,
              char    **hash,
              char    **receipt_hash,
              char    **at,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *seq = 0;
  if (!(stmt = _ck_store_prepare (self, "SELECT seq, hash, receipt_hash, at FROM sync_receipts "
                                        "ORDER BY n DESC LIMIT 1", error)))
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      if (hash)
        *hash = _ck_store_column_text (stmt, 1);
      if (receipt_hash)
        *receipt_hash = _ck_store_column_text (stmt, 2);
      if (at)
        *at = _ck_store_column_text (stmt, 3);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  if (receipt_hash)
    *receipt_hash = g_strdup (GENESIS_HASH);

  return TRUE;
}

static gboolean
state_row (CkStore  *self,
           GError  **error)
{
  return _ck_store_exec (self, "INSERT OR IGNORE INTO sync_state (id) VALUES (1)", error);
}

/**
 * ck_store_add_sync_receipt:
 * @self: a #CkStore
 * @seq: the last link the central archive acknowledged
 * @hash: the hash the archive holds for it
 * @error: %CK_STORE_ERROR_TAMPERED when the chain's link @seq does not
 *   have @hash (nothing is stored: that is a conflict)
 *
 * Stores the archive's receipt, chained to the one before, and notes the
 * sync as working.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_add_sync_receipt (CkStore     *self,
                           gint64       seq,
                           const char  *hash,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *receipt_hash = NULL;
  g_autofree char *at = _ck_store_now_iso8601 ();
  gint64 last = 0;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!last_receipt (self, &last, NULL, &prev, NULL, &local_error) ||
      !ck_store_get_link_hash (self, seq, &ours, &local_error))
    goto rollback;
  if (!g_str_equal (ours, hash))
    {
      g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The central archive holds another link %lld than this "
                     "kiosk's chain: the chain was rewritten after it was sent."),
                   (long long)seq);
      goto rollback;
    }
  /* A receipt behind the last one (two syncs at once: the kiosk's and
   * staff's Sync Now) is implied by it: nothing to add. */
  if (seq > last)
    {
      receipt_hash = _ck_store_hash_receipt (prev, seq, hash, at);
      if (!(stmt = _ck_store_prepare (self, "INSERT INTO sync_receipts (seq, hash, at, prev, receipt_hash) "
                                            "VALUES (?, ?, ?, ?, ?)", &local_error)))
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, seq);
      _ck_store_bind_text (stmt, 2, hash);
      _ck_store_bind_text (stmt, 3, at);
      _ck_store_bind_text (stmt, 4, prev);
      _ck_store_bind_text (stmt, 5, receipt_hash);
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        {
          _ck_store_sql_error (self, rc, &local_error);
          goto rollback;
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  if (!state_row (self, &local_error) ||
      !(stmt = _ck_store_prepare (self, "UPDATE sync_state SET last_try_at = ?1, last_ok_at = ?1, "
                                        "failing_since = NULL, last_error = NULL, conflict_seq = NULL "
                                        "WHERE id = 1", &local_error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, at);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  return _ck_store_commit (self, error);

rollback:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Runs @sql on the state row with ?1 the time, ?2 @text and ?3… the
 * @n_numbers @numbers (a negative one as NULL). */
static gboolean
update_state (CkStore       *self,
              const char    *sql,
              const char    *text,
              const gint64  *numbers,
              guint          n_numbers,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *at = _ck_store_now_iso8601 ();
  int rc;

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!state_row (self, &local_error) || !(stmt = _ck_store_prepare (self, sql, &local_error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, at);
  _ck_store_bind_text (stmt, 2, text);
  for (guint i = 0; i < n_numbers; i++)
    if (numbers[i] >= 0)
      sqlite3_bind_int64 (stmt, 3 + (int)i, numbers[i]);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  return _ck_store_commit (self, error);

rollback:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_note_sync_failure:
 * @self: a #CkStore
 * @message: why the sync failed, for staff (no secret in it)
 * @conflict_seq: the link the archive holds otherwise, or -1
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records a failed sync: its time, its message, since when it fails. A
 * conflict once noted stays until a sync succeeds: a later failure to
 * connect does not make it go away.
 */
gboolean
ck_store_note_sync_failure (CkStore     *self,
                            const char  *message,
                            gint64       conflict_seq,
                            GError     **error)
{
  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  return update_state (self,
                       "UPDATE sync_state SET last_try_at = ?1, last_error = ?2, "
                       "failing_since = coalesce (failing_since, ?1), "
                       "conflict_seq = coalesce (?3, conflict_seq) WHERE id = 1",
                       message, &conflict_seq, 1, error);
}

/**
 * ck_store_note_org_usage:
 * @self: a #CkStore
 * @billed: the organisation's billed calls, as the archive counts them
 * @maybe_billed: its calls that may have been billed
 * @kiosks: how many kiosks the archive knows
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Keeps the organisation's package usage as the archive last counted it,
 * with the time, for the staff window and `consentctl usage`.
 */
gboolean
ck_store_note_org_usage (CkStore  *self,
                         guint64   billed,
                         guint64   maybe_billed,
                         guint     kiosks,
                         GError  **error)
{
  const gint64 numbers[] = { (gint64)MIN (billed, G_MAXINT64), (gint64)MIN (maybe_billed, G_MAXINT64), kiosks };

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  return update_state (self,
                       "UPDATE sync_state SET org_at = ?1, org_billed = ?3, org_maybe_billed = ?4, "
                       "org_kiosks = ?5 WHERE id = 1",
                       NULL, numbers, G_N_ELEMENTS (numbers), error);
}

/**
 * ck_store_get_sync_status:
 * @self: a #CkStore
 * @status: (out caller-allocates): filled in; ck_sync_status_clear() it
 * @since: (nullable): YYYY-MM-DD the package is counted from, for the
 *   calls of this kiosk the archive has not acknowledged yet
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * What the sync stands at, read in one transaction: the last receipt, the
 * chain's head (so the links still to send), the last success and
 * failure, and the organisation's usage as last counted, with this
 * kiosk's paid calls sealed after the last receipt (not counted there).
 */
gboolean
ck_store_get_sync_status (CkStore       *self,
                          const char    *since,
                          CkSyncStatus  *status,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *head_hash = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  memset (status, 0, sizeof *status);
  status->conflict_seq = -1;
  if (!_ck_store_exec (self, "BEGIN", error))
    return FALSE;
  if (!_ck_store_chain_head (self, &status->head_seq, &head_hash, &local_error) ||
      !last_receipt (self, &status->receipt_seq, &status->receipt_hash, NULL, &status->receipt_at, &local_error))
    goto out;
  status->pending = status->head_seq - status->receipt_seq;

  if (!(stmt = _ck_store_prepare (self, "SELECT last_try_at, last_ok_at, failing_since, last_error, "
                                        "conflict_seq, org_billed, org_maybe_billed, org_kiosks, org_at "
                                        "FROM sync_state WHERE id = 1", &local_error)))
    goto out;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      status->last_try_at = _ck_store_column_text (stmt, 0);
      status->last_ok_at = _ck_store_column_text (stmt, 1);
      status->failing_since = _ck_store_column_text (stmt, 2);
      status->last_error = _ck_store_column_text (stmt, 3);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        status->conflict_seq = sqlite3_column_int64 (stmt, 4);
      status->has_org_usage = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
      status->org_billed = (guint64)sqlite3_column_int64 (stmt, 5);
      status->org_maybe_billed = (guint64)sqlite3_column_int64 (stmt, 6);
      status->org_kiosks = (guint)sqlite3_column_int (stmt, 7);
      status->org_at = _ck_store_column_text (stmt, 8);
    }
  else if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* This kiosk's paid calls whose seal the archive has not acknowledged:
   * through the events after the receipt (events_kind), not every attempt. */
  if (!(stmt = _ck_store_prepare (self,
                                  "SELECT count (*) FILTER (WHERE " ATTEMPT_BILLED "), "
                                  "       count (*) FILTER (WHERE " ATTEMPT_MAYBE_BILLED ") "
                                  "FROM events e JOIN attempts a ON a.consent_uuid = e.consent_uuid "
                                  "  AND a.number = json_extract (e.detail, '$.attempt') "
                                  "WHERE e.kind = 'verification' AND e.seq > ?2 "
                                  "  AND (?1 IS NULL OR a.started_at >= ?1)",
                                  &local_error)))
    goto out;
  _ck_store_bind_text (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, status->receipt_seq);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto out;
    }
  status->unsent_billed = (guint64)sqlite3_column_int64 (stmt, 0);
  status->unsent_maybe_billed = (guint64)sqlite3_column_int64 (stmt, 1);

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (local_error)
    {
      ck_sync_status_clear (status);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * ck_store_set_require_synced:
 * @self: a #CkStore
 * @require: whether a purge must leave alone what the central archive has
 *   not acknowledged ([central] require_synced_before_purge)
 */
void
ck_store_set_require_synced (CkStore  *self,
                             gboolean  require)
{
  g_return_if_fail (CK_IS_STORE (self));

  self->require_synced = require;
}

/* Within a purge's transaction: refuses when a consent signed before
 * @before, or an event about one, is after the last receipt. */
gboolean
_ck_store_refuse_unsynced (CkStore     *self,
                           const char  *before,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 receipt = 0;
  int rc;

  if (!self->require_synced)
    return TRUE;
  if (!last_receipt (self, &receipt, NULL, NULL, NULL, error))
    return FALSE;
  if (!(stmt = _ck_store_prepare (self,
                                  "SELECT count (*) FROM consents c WHERE c.sign_date < ?1 AND "
                                  "  (c.seq > ?2 OR EXISTS (SELECT 1 FROM events e "
                                  "   WHERE e.consent_uuid = c.uuid AND e.seq > ?2))",
                                  error)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, before);
  sqlite3_bind_int64 (stmt, 2, receipt);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);
  if (sqlite3_column_int64 (stmt, 0) > 0)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);

      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_UNSYNCED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%lld consent to purge has not reached the central "
                                "archive yet: nothing was purged. Run “consentctl sync” and try again.",
                                "%lld consents to purge have not reached the central "
                                "archive yet: nothing was purged. Run “consentctl sync” and try again.",
                                (gulong)n),
                   (long long)n);
      return FALSE;
    }

  return TRUE;
}

/**
 * _ck_store_check_receipts:
 * @link_hash: the hash the check recomputed for a link (a cut link's as
 *   its purge recorded it)
 *
 * Part of ck_store_check (): the receipts of the central archive are a
 * chain of their own (each names the one before and hashes its canonical
 * form), and each receipt's link must still have the hash the archive
 * acknowledged. A chain rewritten here after it was sent — the rechain
 * attack, which a head copy beside the database cannot catch — shows here
 * (the archive refuses the next batch too).
 */
gboolean
_ck_store_check_receipts (CkStore          *self,
                          CkStoreLinkHash   link_hash,
                          gpointer          user_data,
                          GPtrArray        *problems,
                          GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *expected_prev = g_strdup (GENESIS_HASH);
  gint64 head = 0, last_seq = 0;
  int rc;

  if (self->schema_version < 9)
    return TRUE;
  if (!_ck_store_chain_head (self, &head, &head_hash, error))
    return FALSE;
  if (!(stmt = _ck_store_prepare (self, "SELECT n, seq, hash, at, prev, receipt_hash FROM sync_receipts "
                                        "ORDER BY n", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);
      gint64 seq = sqlite3_column_int64 (stmt, 1);
      const char *hash = (const char *)sqlite3_column_text (stmt, 2);
      const char *at = (const char *)sqlite3_column_text (stmt, 3);
      const char *prev = (const char *)sqlite3_column_text (stmt, 4);
      const char *stored = (const char *)sqlite3_column_text (stmt, 5);
      g_autofree char *computed = _ck_store_hash_receipt (prev, seq, hash, at);
      g_autofree char *n_text = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
      const char *ours;

      if (g_strcmp0 (computed, stored) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("Receipt %s of the central archive was edited: its "
                                                      "contents do not match its hash."),
                                                    n_text));
      else if (g_strcmp0 (prev, expected_prev) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("The central archive's receipts are broken at "
                                                      "receipt %s: one before it was deleted or edited."),
                                                    n_text));
      if (seq <= last_seq || seq > head)
        g_ptr_array_add (problems, g_strdup_printf (_("Receipt %s of the central archive names link %s, "
                                                      "out of order or beyond the chain's head."),
                                                    n_text, seq_text));
      else if (g_strcmp0 ((ours = link_hash (seq, user_data)), hash) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("The chain was rewritten after it reached the central "
                                                      "archive: link %s no longer has the hash the archive "
                                                      "acknowledged at %s."),
                                                    seq_text, at ? at : ""));
      last_seq = MAX (last_seq, seq);
      g_free (expected_prev);
      expected_prev = g_strdup (stored);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_get_chain_head:
 * @self: a #CkStore
 * @seq: (out): the chain's last link (0 for an empty chain)
 * @hash: (out) (optional): its hash
 * @error: a #GError in the %CK_STORE_ERROR domain
 */
gboolean
ck_store_get_chain_head (CkStore  *self,
                         gint64   *seq,
                         char    **hash,
                         GError  **error)
{
  g_autofree char *head_hash = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!_ck_store_chain_head (self, seq, &head_hash, error))
    return FALSE;
  if (hash)
    *hash = g_steal_pointer (&head_hash);

  return TRUE;
}
