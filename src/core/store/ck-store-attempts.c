/* ck-store-attempts.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Verification attempts: claimed before the request, finished and
 * sealed after it; the queue of consents to verify. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ck-store-impl-private.h"

/* Within a transaction that changed @uuid's attempts: its status row
 * follows them. */
static gboolean
status_sync (CkStore     *self,
             const char  *uuid,
             GError     **error)
{
  if (self->schema_version < 4)
    return TRUE;

  return _ck_store_exec_for_uuid (self,
                                  "UPDATE consent_status AS s SET "
                                  "  last_outcome = (SELECT a.outcome FROM attempts a WHERE a.consent_uuid = ?1 "
                                  "                  ORDER BY a.number DESC LIMIT 1),"
                                  "  last_number = coalesce ((SELECT max (a.number) FROM attempts a "
                                  "                           WHERE a.consent_uuid = ?1), 0) "
                                  "WHERE s.uuid = ?1",
                                  uuid, error);
}

CkVerifyAttempt *
_ck_store_read_attempt (sqlite3_stmt *stmt)
{
  CkVerifyAttempt *a = ck_verify_attempt_new ();

  a->id = sqlite3_column_int64 (stmt, 0);
  a->consent_uuid = _ck_store_column_text (stmt, 1);
  a->number = (guint)sqlite3_column_int (stmt, 2);
  a->started_ms = sqlite3_column_int64 (stmt, 3);
  a->started_at = _ck_store_column_text (stmt, 4);
  a->duration_ms = sqlite3_column_int64 (stmt, 5);
  a->provider = _ck_store_column_text (stmt, 6);
  a->outcome = _ck_store_column_text (stmt, 7);
  a->http_status = (guint)sqlite3_column_int (stmt, 8);
  a->provider_status = _ck_store_column_text (stmt, 9);
  a->provider_message = _ck_store_column_text (stmt, 10);
  a->request_id = _ck_store_column_text (stmt, 11);
  a->error_code = _ck_store_column_text (stmt, 12);
  a->error_message = _ck_store_column_text (stmt, 13);
  a->detail = _ck_store_column_text (stmt, 14);
  if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
    a->body = g_bytes_new (sqlite3_column_blob (stmt, 15), sqlite3_column_bytes (stmt, 15));
  a->body_truncated = sqlite3_column_int (stmt, 16) != 0;
  a->demo = sqlite3_column_int (stmt, 17) != 0;
  a->claimed_by = _ck_store_column_text (stmt, 18);

  return a;
}

/**
 * ck_store_lookup_intact:
 *
 * Looks up a consent and proves it is the one signed: its row still hashes
 * to its link in the chain, and its PDF on disk to the recorded SHA-256.
 * Verification calls this first (docs/ARCHITECTURE.md, invariant 1).
 *
 * Returns: (transfer full) (nullable): the consent, or %NULL with
 *   %CK_STORE_ERROR_NOT_FOUND or %CK_STORE_ERROR_TAMPERED
 */
CkConsentRecord *
ck_store_lookup_intact (CkStore     *self,
                        const char  *uuid,
                        GError     **error)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *computed = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (!_ck_store_is_uuid (uuid))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not a consent id."), uuid ? uuid : "");
      return NULL;
    }
  if (!(record = ck_store_lookup (self, uuid, error)))
    return NULL;

  computed = _ck_store_hash_consent (record);
  if (g_strcmp0 (computed, record->row_hash) != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The record of consent %s was edited after signing: it does not match "
                     "its hash."), uuid);
      return NULL;
    }
  if (!(pdf = ck_store_read_pdf (self, record, error)))
    return NULL;

  return g_steal_pointer (&record);
}

static char *
claim_owner (void)
{
  return g_strdup_printf ("%s:%d", g_get_host_name (), (int)getpid ());
}

/* Whether the process that claimed an attempt is gone: same host, and its
 * pid no longer exists. */
static gboolean
claim_is_dead (const char *claimed_by)
{
  const char *colon = claimed_by ? strrchr (claimed_by, ':') : NULL;
  g_autofree char *host = NULL;
  gint64 pid;

  if (colon == NULL)
    return FALSE;
  host = g_strndup (claimed_by, colon - claimed_by);
  if (!g_str_equal (host, g_get_host_name ()) ||
      !g_ascii_string_to_signed (colon + 1, 10, 1, G_MAXINT, &pid, NULL))
    return FALSE;

  return kill ((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static gboolean
insert_seal (CkStore                *self,
             const CkVerifyAttempt  *attempt,
             int                     requeued,
             GError                **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autofree char *hash = _ck_store_hash_attempt (attempt);

  event->kind = g_strdup ("verification");
  event->consent_uuid = g_strdup (attempt->consent_uuid);
  event->detail = _ck_store_detail_new_seal (attempt->number, attempt->outcome, hash, requeued);

  return _ck_store_insert_event (self, event, error);
}

static gboolean
update_attempt (CkStore                *self,
                const CkVerifyAttempt  *a,
                GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _ck_store_prepare (self,
                            "UPDATE attempts SET duration_ms = ?, provider = ?, outcome = ?, http_status = ?, "
                            "provider_status = ?, provider_message = ?, request_id = ?, error_code = ?, "
                            "error_message = ?, detail = ?, body = ?, body_truncated = ?, demo = ? "
                            "WHERE id = ? AND outcome = 'in-progress'",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a->duration_ms);
  _ck_store_bind_text (stmt, 2, a->provider);
  _ck_store_bind_text (stmt, 3, a->outcome);
  sqlite3_bind_int (stmt, 4, (int)a->http_status);
  _ck_store_bind_text (stmt, 5, a->provider_status);
  _ck_store_bind_text (stmt, 6, a->provider_message);
  _ck_store_bind_text (stmt, 7, a->request_id);
  _ck_store_bind_text (stmt, 8, a->error_code);
  _ck_store_bind_text (stmt, 9, a->error_message);
  _ck_store_bind_text (stmt, 10, a->detail);
  if (a->body)
    sqlite3_bind_blob (stmt, 11, g_bytes_get_data (a->body, NULL),
                       (int)MIN (g_bytes_get_size (a->body), 8 * 1024), SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 11);
  sqlite3_bind_int (stmt, 12, a->body_truncated || (a->body && g_bytes_get_size (a->body) > 8 * 1024));
  sqlite3_bind_int (stmt, 13, a->demo);
  sqlite3_bind_int64 (stmt, 14, a->id);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("Attempt %u of consent %s is not running: its answer cannot be recorded."),
                   a->number, a->consent_uuid);
      return FALSE;
    }

  return TRUE;
}

/* Within a transaction: the attempts at @uuid still "in-progress"; those
 * whose process is gone, or that are older than @stale_after_ms, are
 * sealed as "interrupted". Fails with %CK_STORE_ERROR_BUSY if one is live. */
static gboolean
settle_running (CkStore     *self,
                const char  *uuid,
                gint64       now_ms,
                gint64       stale_after_ms,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  int rc;

  stmt = _ck_store_prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts "
                        "WHERE consent_uuid = ? AND outcome = 'in-progress'", error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, uuid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (running, _ck_store_read_attempt (stmt));
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  for (guint i = 0; i < running->len; i++)
    {
      CkVerifyAttempt *a = running->pdata[i];

      if (!claim_is_dead (a->claimed_by) && now_ms - a->started_ms < stale_after_ms)
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_BUSY,
                       _("Consent %s is being verified right now (by %s); wait for that "
                         "attempt to finish."), uuid, a->claimed_by);
          return FALSE;
        }

      g_free (a->outcome);
      a->outcome = g_strdup ("interrupted");
      a->duration_ms = -1;
      a->detail = g_strdup ("the process making the call stopped before its answer was recorded");
      if (!update_attempt (self, a, error) || !insert_seal (self, a, -1, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * ck_store_begin_attempt:
 * @self: a #CkStore
 * @consent_uuid: a stored consent
 * @provider: the provider about to be asked
 * @now_ms: the time, Unix milliseconds
 * @stale_after_ms: an attempt still running after this long belongs to a
 *   process that hung; it is sealed as interrupted
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Claims the consent's next attempt durably, before any request is sent.
 *
 * Returns: (transfer full) (nullable): the claimed attempt, "in-progress";
 *   %NULL with %CK_STORE_ERROR_BUSY while another attempt runs, or
 *   %CK_STORE_ERROR_WITHDRAWN when the consent was withdrawn
 */
CkVerifyAttempt *
ck_store_begin_attempt (CkStore     *self,
                        const char  *consent_uuid,
                        const char  *provider,
                        gint64       now_ms,
                        gint64       stale_after_ms,
                        GError     **error)
{
  g_autoptr(CkVerifyAttempt) attempt = ck_verify_attempt_new ();
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *seconds = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (consent_uuid != NULL && provider != NULL, NULL);

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;

  /* Under the write lock: a withdrawal committed by another process
   * since the caller looked is seen here. */
  if (!_ck_store_refuse_withdrawn (self, consent_uuid, &local_error) ||
      !settle_running (self, consent_uuid, now_ms, stale_after_ms, &local_error))
    goto rollback;

  count = _ck_store_prepare (self, "SELECT count(*) FROM attempts WHERE consent_uuid = ?", &local_error);
  if (count == NULL)
    goto rollback;
  _ck_store_bind_text (count, 1, consent_uuid);
  if ((rc = sqlite3_step (count)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }

  started = g_date_time_new_from_unix_utc (now_ms / 1000);
  seconds = g_date_time_format (started, "%Y-%m-%dT%H:%M:%S");
  attempt->consent_uuid = g_strdup (consent_uuid);
  attempt->number = (guint)sqlite3_column_int (count, 0) + 1;
  attempt->started_ms = now_ms;
  attempt->started_at = g_strdup_printf ("%s.%03dZ", seconds, (int)(now_ms % 1000));
  attempt->provider = g_strdup (provider);
  attempt->outcome = g_strdup ("in-progress");
  attempt->claimed_by = claim_owner ();

  insert = _ck_store_prepare (self,
                              "INSERT INTO attempts (consent_uuid, number, started_ms, started_at, duration_ms, "
                              "provider, outcome, http_status, body_truncated, demo, claimed_by) "
                              "VALUES (?, ?, ?, ?, -1, ?, ?, 0, 0, 0, ?)",
                              &local_error);
  if (insert == NULL)
    goto rollback;
  _ck_store_bind_text (insert, 1, attempt->consent_uuid);
  sqlite3_bind_int (insert, 2, (int)attempt->number);
  sqlite3_bind_int64 (insert, 3, attempt->started_ms);
  _ck_store_bind_text (insert, 4, attempt->started_at);
  _ck_store_bind_text (insert, 5, attempt->provider);
  _ck_store_bind_text (insert, 6, attempt->outcome);
  _ck_store_bind_text (insert, 7, attempt->claimed_by);
  if ((rc = sqlite3_step (insert)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  attempt->id = sqlite3_last_insert_rowid (self->db);

  if (!status_sync (self, consent_uuid, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;

  return g_steal_pointer (&attempt);

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * ck_store_finish_attempt:
 * @self: a #CkStore
 * @attempt: an attempt from ck_store_begin_attempt() with its answer filled
 *   in: outcome, duration and what the service sent
 * @next_due_ms: when the queue should try again (Unix ms), or 0 to take
 *   the consent out of the queue
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records the answer, seals it in the chain and reschedules the consent,
 * in one durable transaction.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_finish_attempt (CkStore                *self,
                         const CkVerifyAttempt  *attempt,
                         gint64                  next_due_ms,
                         GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (attempt != NULL && attempt->outcome != NULL, FALSE);

  if (g_str_equal (attempt->outcome, "in-progress"))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("Attempt %u of consent %s has no outcome to record."),
                   attempt->number, attempt->consent_uuid);
      return FALSE;
    }

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Withdrawn while the request was out: the answer is recorded, but the
   * consent is not queued again. */
  if (next_due_ms > 0)
    {
      gboolean withdrawn;

      if (!_ck_store_lookup_withdrawn (self, attempt->consent_uuid, &withdrawn, &local_error))
        goto rollback;
      if (withdrawn)
        next_due_ms = 0;
    }

  /* The seal says whether the consent stays in the queue, so that check
   * finds a queue row deleted behind the kiosk's back. */
  if (!update_attempt (self, attempt, &local_error) ||
      !insert_seal (self, attempt, next_due_ms > 0, &local_error) ||
      !status_sync (self, attempt->consent_uuid, &local_error))
    goto rollback;

  stmt = _ck_store_prepare (self, next_due_ms > 0
                            ? "INSERT OR REPLACE INTO verify_queue (consent_uuid, attempts, due_ms) VALUES (?, ?, ?)"
                            : "DELETE FROM verify_queue WHERE consent_uuid = ?",
                            &local_error);
  if (stmt == NULL)
    goto rollback;
  _ck_store_bind_text (stmt, 1, attempt->consent_uuid);
  if (next_due_ms > 0)
    {
      sqlite3_bind_int (stmt, 2, (int)attempt->number);
      sqlite3_bind_int64 (stmt, 3, next_due_ms);
    }
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }

  if (!_ck_store_commit (self, &local_error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_list_attempts:
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the consent's
 *   attempts, first first
 */
GPtrArray *
ck_store_list_attempts (CkStore     *self,
                        const char  *consent_uuid,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (self->schema_version < 3)
    return g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);

  stmt = _ck_store_prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE consent_uuid = ? ORDER BY number",
                            error);
  if (stmt == NULL)
    return NULL;
  _ck_store_bind_text (stmt, 1, consent_uuid);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _ck_store_read_attempt (stmt));
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * ck_store_list_queue:
 * @self: a #CkStore
 * @due_by_ms: list those due at or before this time (Unix ms);
 *   %G_MAXINT64 for every queued consent
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkQueueEntry): queued consents,
 *   the earliest due first
 */
GPtrArray *
ck_store_list_queue (CkStore     *self,
                     gint64       due_by_ms,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = _ck_store_prepare (self, "SELECT consent_uuid, attempts, due_ms FROM verify_queue "
                        "WHERE due_ms <= ? ORDER BY due_ms, consent_uuid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, due_by_ms);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_queue_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkQueueEntry *entry = g_new0 (CkQueueEntry, 1);

      entry->consent_uuid = _ck_store_column_text (stmt, 0);
      entry->attempts = (guint)sqlite3_column_int (stmt, 1);
      entry->due_ms = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (result, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * ck_store_get_next_due:
 * @self: a #CkStore
 * @due_ms: (out): when the earliest queued consent is due; 0 if none is
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_get_next_due (CkStore  *self,
                       gint64   *due_ms,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (due_ms != NULL, FALSE);

  if (!(stmt = _ck_store_prepare (self, "SELECT min(due_ms) FROM verify_queue", error)))
    return FALSE;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);

  *due_ms = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * _ck_store_record_queue_floor:
 *
 * On the open that upgrades a store to schema 7. Since schema 3 every
 * consent is queued when it is saved, and leaves the queue only with an
 * answer, a fault no retry mends or a withdrawal; consents saved before
 * schema 3 that were never verified are not in it. So that `check` can
 * tell those from a queue row deleted behind the kiosk's back, the newest
 * of them is written into the chain once, as a "queue-floor" event
 * ({"seq": N, "consents": count}); nothing is written when there is none.
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
_ck_store_record_queue_floor (CkStore  *self,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CkStoreEvent) event = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 floor_seq, count;
  int rc;

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = _ck_store_prepare (self,
                            "SELECT coalesce (max (s.seq), 0), count (*) FROM consent_status s "
                            "WHERE s.withdrawn = 0 AND (s.last_number = 0 OR s.last_outcome = 'in-progress') "
                            "AND NOT EXISTS (SELECT 1 FROM verify_queue q WHERE q.consent_uuid = s.uuid) "
                            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = 'queue-floor')",
                            &local_error);
  if (stmt == NULL)
    goto rollback;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  floor_seq = sqlite3_column_int64 (stmt, 0);
  count = sqlite3_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (count == 0)
    return _ck_store_exec (self, "COMMIT", error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, floor_seq);
  json_builder_set_member_name (builder, "consents");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);

  event = g_new0 (CkStoreEvent, 1);
  event->kind = g_strdup ("queue-floor");
  event->detail = _ck_store_detail_to_string (builder);
  if (!_ck_store_insert_event (self, event, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;
  g_debug ("%" G_GINT64_FORMAT " consents from before the verification queue, up to record %"
           G_GINT64_FORMAT ", stay out of it", count, floor_seq);

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
