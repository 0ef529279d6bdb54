/* ck-store-seal-jobs.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The sealing queue's jobs (seal_jobs, schema 8): what is left to do for
 * a consent stored unsealed ('seal') or sealed without a trusted time
 * ('timestamp'). A save queues its job in its own transaction
 * (ck_store_save_full ()); appending the revision that does the work
 * removes it in the transaction that records the revision
 * (ck-store-revision.c). The queue itself (ck-seal-queue.c) lists the due
 * jobs and reschedules those that fail. The table is not in the chain: it
 * says what is still to be done, never what was done. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-store-impl-private.h"

G_DEFINE_BOXED_TYPE (CkSealJob, ck_seal_job, ck_seal_job_copy, ck_seal_job_free)

CkSealJob *
ck_seal_job_copy (const CkSealJob *job)
{
  CkSealJob *copy;

  g_return_val_if_fail (job != NULL, NULL);

  copy = g_new0 (CkSealJob, 1);
  copy->uuid = g_strdup (job->uuid);
  copy->kind = job->kind;
  copy->attempts = job->attempts;
  copy->due_ms = job->due_ms;
  copy->last_error = g_strdup (job->last_error);
  return copy;
}

void
ck_seal_job_free (CkSealJob *job)
{
  if (job == NULL)
    return;

  g_free (job->uuid);
  g_free (job->last_error);
  g_free (job);
}

/**
 * ck_seal_job_kind_to_string:
 *
 * Returns: "seal", "timestamp", or "none": the kind as the store keeps it
 */
const char *
ck_seal_job_kind_to_string (CkSealJobKind kind)
{
  switch (kind)
    {
    case CK_SEAL_JOB_SEAL:
      return "seal";
    case CK_SEAL_JOB_TIMESTAMP:
      return "timestamp";
    case CK_SEAL_JOB_NONE:
    default:
      return "none";
    }
}

static CkSealJobKind
kind_from_string (const char *text)
{
  if (g_strcmp0 (text, "seal") == 0)
    return CK_SEAL_JOB_SEAL;
  if (g_strcmp0 (text, "timestamp") == 0)
    return CK_SEAL_JOB_TIMESTAMP;
  return CK_SEAL_JOB_NONE;
}

#define JOB_COLUMNS "consent_uuid, kind, attempts, due_ms, last_error"

static CkSealJob *
read_job (sqlite3_stmt *stmt)
{
  CkSealJob *job = g_new0 (CkSealJob, 1);

  job->uuid = _ck_store_column_text (stmt, 0);
  job->kind = kind_from_string ((const char *)sqlite3_column_text (stmt, 1));
  job->attempts = (guint)CLAMP (sqlite3_column_int64 (stmt, 2), 0, G_MAXUINT);
  job->due_ms = sqlite3_column_int64 (stmt, 3);
  job->last_error = _ck_store_column_text (stmt, 4);
  return job;
}

/* Stores before schema 8 have no queue: nothing to list, nothing to add. */
static gboolean
refuse_old_schema (CkStore  *self,
                   GError  **error)
{
  if (self->schema_version >= 8)
    return FALSE;

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA,
               _("The consent database %s is of schema %d, from before sealed consents: open it "
                 "once for writing to upgrade it."),
               self->db_path, self->schema_version);
  return TRUE;
}

static gboolean
check_uuid (const char  *uuid,
            GError     **error)
{
  if (_ck_store_is_uuid (uuid))
    return TRUE;

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
               _("“%s” is not a consent id."), uuid ? uuid : "");
  return FALSE;
}

/* Error messages are kept short in the queue: the cause, not a story. */
#define MAX_JOB_ERROR_CHARS 500

static char *
shortened (const char *message)
{
  if (message == NULL)
    return NULL;
  if (g_utf8_strlen (message, -1) <= MAX_JOB_ERROR_CHARS)
    return g_strdup (message);

  return g_utf8_substring (message, 0, MAX_JOB_ERROR_CHARS);
}

/**
 * ck_store_queue_seal_job:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @kind: %CK_SEAL_JOB_SEAL or %CK_SEAL_JOB_TIMESTAMP
 * @due_ms: when it is due, Unix milliseconds
 * @last_error: (nullable): why it is queued (the TSA's failure, say)
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Queues a job for a consent already stored, replacing the one it had: a
 * consent sealed by the queue while the TSA was away is left a
 * 'timestamp' job this way.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_queue_seal_job (CkStore        *self,
                         const char     *uuid,
                         CkSealJobKind   kind,
                         gint64          due_ms,
                         const char     *last_error,
                         GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = shortened (last_error);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind == CK_SEAL_JOB_SEAL || kind == CK_SEAL_JOB_TIMESTAMP, FALSE);

  if (refuse_old_schema (self, error) || !check_uuid (uuid, error))
    return FALSE;

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!(stmt = _ck_store_prepare (self, "SELECT 1 FROM consents WHERE uuid = ?", &local_error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, uuid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_DONE)
    {
      g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("No consent with the id %s is stored."), uuid);
      goto rollback;
    }
  if (rc != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = _ck_store_prepare (self, "INSERT OR REPLACE INTO seal_jobs (" JOB_COLUMNS ") "
                                        "VALUES (?, ?, 0, ?, ?)", &local_error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, uuid);
  _ck_store_bind_text (stmt, 2, ck_seal_job_kind_to_string (kind));
  sqlite3_bind_int64 (stmt, 3, due_ms);
  _ck_store_bind_text (stmt, 4, message);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!_ck_store_exec (self, "COMMIT", &local_error))
    goto rollback;
  return TRUE;

rollback:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_list_seal_jobs:
 * @self: a #CkStore
 * @now_ms: jobs due by then (Unix ms); %G_MAXINT64 for all
 * @limit: at most this many; 0 for all
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkSealJob): the due jobs, the
 *   longest due first; empty for a store before schema 8
 */
GPtrArray *
ck_store_list_seal_jobs (CkStore  *self,
                         gint64    now_ms,
                         guint     limit,
                         GError  **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_seal_job_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (self->schema_version < 8)
    return g_steal_pointer (&jobs);

  if (!(stmt = _ck_store_prepare (self, "SELECT " JOB_COLUMNS " FROM seal_jobs WHERE due_ms <= ? "
                                        "ORDER BY due_ms, consent_uuid LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64)limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, read_job (stmt));
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&jobs);
}

/**
 * ck_store_get_seal_job:
 * @self: a #CkStore
 * @uuid: a consent id
 * @error: a #GError in the %CK_STORE_ERROR domain:
 *   %CK_STORE_ERROR_NOT_FOUND when the consent has no job
 *
 * For staff and consentctl: what the sealing queue still owes a consent.
 *
 * Returns: (transfer full) (nullable): its job
 */
CkSealJob *
ck_store_get_seal_job (CkStore     *self,
                       const char  *uuid,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (!check_uuid (uuid, error))
    return NULL;
  if (self->schema_version >= 8)
    {
      if (!(stmt = _ck_store_prepare (self, "SELECT " JOB_COLUMNS " FROM seal_jobs WHERE consent_uuid = ?",
                                      error)))
        return NULL;
      _ck_store_bind_text (stmt, 1, uuid);
      if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        return read_job (stmt);
      if (rc != SQLITE_DONE)
        {
          _ck_store_sql_error (self, rc, error);
          return NULL;
        }
    }

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
               _("Consent %s has no sealing job."), uuid);
  return NULL;
}

/**
 * ck_store_seal_job_failed:
 * @self: a #CkStore
 * @uuid: the consent whose job failed
 * @message: (nullable): why, as the seal or the TSA said
 * @next_due_ms: when to try again, Unix ms
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Counts a failed attempt and reschedules the job. A job that is no
 * longer queued (another process finished it) is left alone.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_seal_job_failed (CkStore     *self,
                          const char  *uuid,
                          const char  *message,
                          gint64       next_due_ms,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = shortened (message);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (refuse_old_schema (self, error) || !check_uuid (uuid, error))
    return FALSE;

  if (!(stmt = _ck_store_prepare (self, "UPDATE seal_jobs SET attempts = attempts + 1, due_ms = ?, "
                                        "last_error = ? WHERE consent_uuid = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, next_due_ms);
  _ck_store_bind_text (stmt, 2, text);
  _ck_store_bind_text (stmt, 3, uuid);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_count_seal_jobs:
 * @self: a #CkStore
 * @seal: (out) (optional): consents waiting to be sealed
 * @timestamp: (out) (optional): consents waiting for a document timestamp
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_count_seal_jobs (CkStore  *self,
                          guint    *seal,
                          guint    *timestamp,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n_seal = 0, n_timestamp = 0;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (self->schema_version >= 8)
    {
      if (!(stmt = _ck_store_prepare (self, "SELECT kind, count (*) FROM seal_jobs GROUP BY kind", error)))
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          guint n = (guint)CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);

          switch (kind_from_string ((const char *)sqlite3_column_text (stmt, 0)))
            {
            case CK_SEAL_JOB_SEAL:
              n_seal = n;
              break;
            case CK_SEAL_JOB_TIMESTAMP:
              n_timestamp = n;
              break;
            case CK_SEAL_JOB_NONE:
            default:
              break;
            }
        }
      if (rc != SQLITE_DONE)
        return _ck_store_sql_error (self, rc, error);
    }

  if (seal)
    *seal = n_seal;
  if (timestamp)
    *timestamp = n_timestamp;
  return TRUE;
}
