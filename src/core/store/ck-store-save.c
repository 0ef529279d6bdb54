/* ck-store-save.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Saving a consent (docs/ARCHITECTURE.md, "Saving a consent"):
 *
 *   1. the files lock, shared, until the end;
 *   2. a 'write' row in the files journal, committed;
 *   3. the PDF written to <uuid>.pdf.tmp and fsynced;
 *   4. renamed to <uuid>.pdf, its folder fsynced;
 *   5. one transaction: the consent's row, the chain's head, the queue,
 *      the status, the sealing job if any, and the journal's row gone.
 *
 * Each step has a fault point at which the crash test kills the process;
 * recovery (ck-store-recovery.c) finds what each leaves through the
 * journal. A save that fails removes what it wrote. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "ck-date.h"
#include "ck-store-impl-private.h"

/* --- saving ------------------------------------------------------------------------ */

/* Within the save's transaction: the new consent's place in the queue. */
static gboolean
queue_new_consent (CkStore                *self,
                   const CkConsentRecord  *record,
                   GError                **error)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (record->created_at, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 created_ms;
  int rc;

  created_ms = created ? g_date_time_to_unix (created) * 1000 + g_date_time_get_microsecond (created) / 1000
                       : g_get_real_time () / 1000;
  stmt = _ck_store_prepare (self, "INSERT INTO verify_queue (consent_uuid, attempts, due_ms) VALUES (?, 0, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, record->uuid);
  sqlite3_bind_int64 (stmt, 2, created_ms + CK_STORE_QUEUE_GRACE_MS);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* Within the save's transaction: the new consent's status row. */
static gboolean
insert_status (CkStore                *self,
               const CkConsentRecord  *record,
               GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _ck_store_prepare (self, "INSERT INTO consent_status (seq, uuid, last_outcome, last_number, withdrawn) "
                        "VALUES (?, ?, NULL, 0, 0)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->seq);
  _ck_store_bind_text (stmt, 2, record->uuid);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* Before anything is written: a 'write' row for the PDF, committed, so
 * that recovery finds what a crash leaves of this save without looking
 * at any other file (ck-store-recovery.c). */
static gboolean
journal_write (CkStore                *self,
               const CkConsentRecord  *record,
               GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _ck_store_now_iso8601 ();
  int rc;

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!(stmt = _ck_store_prepare (self, "INSERT INTO pending_files (path, action, consent_uuid, since) "
                                        "VALUES (?, 'write', ?, ?)", error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, record->pdf_path);
  _ck_store_bind_text (stmt, 2, record->uuid);
  _ck_store_bind_text (stmt, 3, now);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                     _("A consent with the id %s is already stored."), record->uuid);
      else
        _ck_store_sql_error (self, rc, error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  return _ck_store_exec (self, "COMMIT", error);

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Within the save's transaction, or after a failed save: the PDF's
 * journal row goes. */
static gboolean
journal_done (CkStore     *self,
              const char  *pdf_path,
              GError     **error)
{
  return _ck_store_exec_for_uuid (self, "DELETE FROM pending_files WHERE path = ? AND action = 'write'",
                                  pdf_path, error);
}

/* Within the save's transaction: what the sealing queue is left to do. */
static gboolean
queue_seal_job (CkStore                *self,
                const CkConsentRecord  *record,
                CkSealJobKind           job,
                GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (job == CK_SEAL_JOB_NONE)
    return TRUE;

  stmt = _ck_store_prepare (self, "INSERT INTO seal_jobs (consent_uuid, kind, attempts, due_ms, last_error) "
                                  "VALUES (?, ?, 0, ?, NULL)", error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, record->uuid);
  _ck_store_bind_text (stmt, 2, ck_seal_job_kind_to_string (job));
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / 1000 + CK_STORE_SEAL_JOB_DELAY_MS);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

gboolean
_ck_store_is_uuid (const char *text)
{
  return text && g_uuid_string_is_valid (text);
}

/**
 * ck_store_save:
 * @self: a #CkStore
 * @record: the consent, as for ck_store_save_full()
 * @pdf: the rendered PDF
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * ck_store_save_full() with nothing left for the sealing queue.
 *
 * Returns: %TRUE once the row is committed
 */
gboolean
ck_store_save (CkStore          *self,
               CkConsentRecord  *record,
               GBytes           *pdf,
               GError          **error)
{
  return ck_store_save_full (self, record, pdf, CK_SEAL_JOB_NONE, error);
}

/**
 * ck_store_save_full:
 * @self: a #CkStore
 * @record: the consent; uuid, created_at, name, id_number, sign_date,
 *   organisation fields, template_sha256, signature and kiosk_id set. The
 *   store fills in pdf_path, pdf_sha256, pdf_size, seq and the hashes.
 * @pdf: the rendered PDF, sealed or not
 * @job: what the sealing queue is left to do for it: seal it (the key
 *   could not be used), timestamp it (the TSA failed), or nothing
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Saves durably, in the steps at the top of this file; the job, if any,
 * is queued in the transaction that stores the consent, so that no crash
 * leaves a consent the queue has forgotten. When this returns %TRUE the
 * consent survives a power cut.
 *
 * Returns: %TRUE once the row is committed
 */
/* NULL (not recorded) or a CkEntryMethod's nick: the store does not
 * depend on the document layer, so the nicks are spelt here. */
static gboolean
entry_method_valid (const char *method)
{
  static const char * const nicks[] = { "typed", "handwriting", "pinyin", "card", NULL };

  return method == NULL || g_strv_contains (nicks, method);
}

gboolean
ck_store_save_full (CkStore          *self,
                    CkConsentRecord  *record,
                    GBytes           *pdf,
                    CkSealJobKind     job,
                    GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *month_dir = NULL;
  g_autofree char *final_path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *reversed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CkStoreFilesLock) lock = -1;
  g_auto(CkStoreFd) month_fd = -1;
  gint64 seq;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL && pdf != NULL, FALSE);
  g_return_val_if_fail (job >= CK_SEAL_JOB_NONE && job <= CK_SEAL_JOB_TIMESTAMP, FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                           _("The store was opened read-only."));
      return FALSE;
    }

  /* The sign date names the PDF's folder: only a real YYYY-MM-DD keeps it
   * under pdf/. */
  if (!_ck_store_is_uuid (record->uuid) || !record->name || !record->id_number ||
      !ck_date_parse (record->sign_date, NULL) || !record->created_at || !record->template_sha256 ||
      !record->signature || !record->kiosk_id)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("The consent is incomplete and was not saved."));
      return FALSE;
    }
  if (!entry_method_valid (record->name_method) || !entry_method_valid (record->id_method))
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("The consent names an unknown way of entering the name or ID number "
                             "and was not saved."));
      return FALSE;
    }

  if (!_ck_store_check_text (_("The operator's name"), record->operator_name, CK_STORE_MAX_OPERATOR_CHARS,
                             FALSE, error))
    return FALSE;

  record->pdf_sha256 = (g_free (record->pdf_sha256),
                        g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf));
  record->pdf_size = g_bytes_get_size (pdf);
  g_free (record->pdf_path);
  record->pdf_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf",
                                      record->sign_date, record->sign_date + 5, record->uuid);
  final_path = g_build_filename (self->data_dir, record->pdf_path, NULL);
  tmp_path = g_strconcat (final_path, ".tmp", NULL);
  month_dir = g_path_get_dirname (record->pdf_path);
  name = g_path_get_basename (record->pdf_path);
  tmp_name = g_strconcat (name, ".tmp", NULL);

  /* The uuid may be stored under another sign date, so another path: ask
   * the database too, before anything is written. */
  stmt = _ck_store_prepare (self, "SELECT 1 FROM consents WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, record->uuid);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  if (rc == SQLITE_ROW || g_file_test (final_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                   _("A consent with the id %s is already stored."), record->uuid);
      return FALSE;
    }

  /* 1. The journal says a PDF is on its way. From here until the commit
   * the files lock is held shared: recovery, which holds it exclusive,
   * never takes this save for a crash's leftovers. The PDF's folder is
   * opened (made if missing) first: one that cannot be, such as a link
   * out of the data directory, refuses the save before it writes. */
  if (!_ck_store_files_lock (self, LOCK_SH, &lock, error) ||
      (month_fd = _ck_store_open_dir (self, month_dir, TRUE, error)) < 0 ||
      !journal_write (self, record, error))
    return FALSE;
  _ck_store_fault_point ("journal-committed");

  /* 2. The PDF, durably in place under its final name. */
  _ck_store_fault_point ("before-tmp");
  if (!_ck_store_write_synced (month_fd, tmp_name, tmp_path, pdf, error))
    goto forget;
  _ck_store_fault_point ("tmp-synced");

  if (renameat (month_fd, tmp_name, month_fd, name) != 0)
    {
      int saved = errno;

      unlinkat (month_fd, tmp_name, 0);
      _ck_store_io_error (saved, final_path, error);
      goto forget;
    }
  _ck_store_fault_point ("renamed");

  if (fsync (month_fd) != 0)
    {
      _ck_store_io_error (errno, final_path, error);
      goto remove_pdf;
    }
  _ck_store_fault_point ("dir-synced");

  /* 3. One transaction: the row, the chain's new head, the queue, and the
   * journal row gone. */
  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    goto remove_pdf;
  _ck_store_fault_point ("transaction-begun");

  g_free (record->prev_hash);
  record->prev_hash = NULL;
  if (!_ck_store_chain_head (self, &seq, &record->prev_hash, &local_error))
    goto rollback;
  record->seq = seq + 1;
  g_free (record->row_hash);
  record->row_hash = _ck_store_hash_consent (record);
  reversed = g_utf8_strreverse (record->id_number, -1);

  stmt = _ck_store_prepare (self,
                            "INSERT INTO consents (seq, uuid, created_at, name, id_number, sign_date, "
                            "org_name, org_business, org_purpose, template_sha256, pdf_path, pdf_sha256, "
                            "pdf_size, signature, kiosk_id, operator, demo, prev_hash, row_hash, id_reversed, "
                            "name_method, id_method) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            &local_error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, record->seq);
  _ck_store_bind_text (stmt, 2, record->uuid);
  _ck_store_bind_text (stmt, 3, record->created_at);
  _ck_store_bind_text (stmt, 4, record->name);
  _ck_store_bind_text (stmt, 5, record->id_number);
  _ck_store_bind_text (stmt, 6, record->sign_date);
  _ck_store_bind_text (stmt, 7, record->org_name ? record->org_name : "");
  _ck_store_bind_text (stmt, 8, record->org_business ? record->org_business : "");
  _ck_store_bind_text (stmt, 9, record->org_purpose ? record->org_purpose : "");
  _ck_store_bind_text (stmt, 10, record->template_sha256);
  _ck_store_bind_text (stmt, 11, record->pdf_path);
  _ck_store_bind_text (stmt, 12, record->pdf_sha256);
  sqlite3_bind_int64 (stmt, 13, record->pdf_size);
  sqlite3_bind_blob (stmt, 14, g_bytes_get_data (record->signature, NULL),
                     (int)g_bytes_get_size (record->signature), SQLITE_TRANSIENT);
  _ck_store_bind_text (stmt, 15, record->kiosk_id);
  _ck_store_bind_text (stmt, 16, record->operator_name);
  sqlite3_bind_int (stmt, 17, record->demo ? 1 : 0);
  _ck_store_bind_text (stmt, 18, record->prev_hash);
  _ck_store_bind_text (stmt, 19, record->row_hash);
  _ck_store_bind_text (stmt, 20, reversed);
  _ck_store_bind_text (stmt, 21, record->name_method);
  _ck_store_bind_text (stmt, 22, record->id_method);

  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      /* Another writer stored the same uuid since the check above. */
      if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                     _("A consent with the id %s is already stored."), record->uuid);
      else
        _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  _ck_store_fault_point ("row-inserted");

  if (!_ck_store_chain_advance (self, record->seq, record->row_hash, &local_error))
    goto rollback;

  /* Queued in the same transaction: a crash after the commit cannot leave
   * a consent that nobody will verify. */
  if (!queue_new_consent (self, record, &local_error) || !insert_status (self, record, &local_error) ||
      !queue_seal_job (self, record, job, &local_error) || !journal_done (self, record->pdf_path, &local_error))
    goto rollback;

  if (!_ck_store_commit (self, &local_error))
    goto rollback;
  _ck_store_fault_point ("committed");

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
remove_pdf:
  /* No row: the PDF must not stay behind as a consent nobody recorded. */
  unlinkat (month_fd, name, 0);
  fsync (month_fd);
forget:
  /* Nothing of this save is left; should this fail too, recovery finds
   * the journal row and no file. */
  journal_done (self, record->pdf_path, NULL);
  return FALSE;
}
