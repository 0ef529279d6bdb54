/* ck-store-revision.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PDF revisions: a seal or a document timestamp appended to a stored PDF
 * as an incremental update (docs/STORAGE.md, "Sealed consents"). The
 * stored bytes are never rewritten: the new revision must begin with the
 * whole current file, and only what follows is written, in place:
 *
 *   1. the files lock, shared, until the end;
 *   2. an 'append' row in the files journal (path, consent, the file's
 *      size before), committed;
 *   3. the new bytes appended (O_APPEND) and the file fsynced;
 *   4. one transaction: a 'pdf-revision' event for the consent, in the
 *      chain, with the new revision's SHA-256 and size and the previous
 *      one's; the consent's sealing job and the journal's row gone.
 *
 * A crash before step 4's commit leaves the journal row: recovery cuts
 * the file back to the size it records (the bytes before it are the
 * previous revision, untouched), unless an event recorded the revision.
 * The consent's row keeps the original PDF's hash and size (they are in
 * its link of the chain); the current revision is the latest event's. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-file-private.h"
#include "ck-store-impl-private.h"

/* A revision's summary (the TSA's time, say) is short, one line. */
#define MAX_SUMMARY_CHARS 200

/**
 * _ck_store_current_revision:
 * @uuid: a consent
 * @revision: (out caller-allocates): its latest revision, when @revised
 * @revised: (out): whether its PDF has a revision
 *
 * Returns: %FALSE with @error set when the store cannot be read, or the
 *   latest revision's record does not read as one
 *   (%CK_STORE_ERROR_TAMPERED)
 */
gboolean
_ck_store_current_revision (CkStore          *self,
                            const char       *uuid,
                            CkStoreRevision  *revision,
                            gboolean         *revised,
                            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *revised = FALSE;
  if (self->schema_version < 8)
    return TRUE;

  if (!(stmt = _ck_store_prepare (self, "SELECT detail FROM events WHERE consent_uuid = ? "
                                        "AND kind = 'pdf-revision' ORDER BY seq DESC LIMIT 1", error)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, uuid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);

  if (!_ck_store_detail_read_revision ((const char *)sqlite3_column_text (stmt, 0), revision))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The record of the latest revision of consent %s's PDF is damaged."), uuid);
      return FALSE;
    }

  *revised = TRUE;
  return TRUE;
}

static gboolean
prefix_hashes_to (const guint8 *data,
                  gsize         len,
                  const char   *sha256)
{
  g_autofree char *computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

  return g_strcmp0 (computed, sha256) == 0;
}

/**
 * _ck_store_pdf_matches:
 * @contents: a PDF as read
 *
 * Returns: whether @contents is the current revision: @current_size bytes
 *   hashing to @current_sha256, whose first @original_size bytes hash to
 *   @original_sha256 (the consent's row)
 */
gboolean
_ck_store_pdf_matches (GBytes     *contents,
                       const char *original_sha256,
                       gint64      original_size,
                       const char *current_sha256,
                       gint64      current_size)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (contents, &len);

  if ((gint64)len != current_size || original_size < 0 || original_size > current_size)
    return FALSE;
  if (original_size != current_size && !prefix_hashes_to (data, (gsize)original_size, original_sha256))
    return FALSE;

  return prefix_hashes_to (data, len, current_sha256);
}

/* Commits the 'append' row: what recovery needs to cut the file back. */
static gboolean
journal_append (CkStore          *self,
                const char       *uuid,
                CkConsentRecord **record,
                CkStoreRevision  *current,
                GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = _ck_store_now_iso8601 ();
  gboolean revised = FALSE;
  int rc;

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = _ck_store_prepare (self, "SELECT " CONSENT_COLUMNS " FROM consents WHERE uuid = ?", &local_error)))
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
  *record = _ck_store_read_consent (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!_ck_store_current_revision (self, uuid, current, &revised, &local_error))
    goto rollback;
  if (!revised)
    {
      current->sha256 = g_strdup ((*record)->pdf_sha256);
      current->size = (*record)->pdf_size;
    }

  if (!(stmt = _ck_store_prepare (self, "INSERT INTO pending_files (path, action, consent_uuid, since, size) "
                                        "VALUES (?, 'append', ?, ?, ?)", &local_error)))
    goto rollback;
  _ck_store_bind_text (stmt, 1, (*record)->pdf_path);
  _ck_store_bind_text (stmt, 2, uuid);
  _ck_store_bind_text (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, current->size);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      /* Another revision of this PDF is under way, or one died and waits
       * for recovery (the next writer's open with recovery). */
      if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_BUSY,
                     _("Another revision of the PDF of consent %s is unfinished; it is settled "
                       "when the kiosk or consentctl next opens the store for writing."),
                     uuid);
      else
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

static gboolean
journal_forget (CkStore     *self,
                const char  *path,
                GError     **error)
{
  return _ck_store_exec_for_uuid (self, "DELETE FROM pending_files WHERE path = ? AND action = 'append'",
                                  path, error);
}

/* Appends @data to @fd, the first half apart, so that a crash at
 * "revision-half-appended" leaves a truly half-appended file; fsyncs. */
static int
append_synced (int           fd,
               const guint8 *data,
               gsize         len)
{
  gsize half = len / 2;
  int saved;

  if ((saved = ck_file_write_all (fd, data, half)) != 0)
    return saved;
  _ck_store_fault_point ("revision-half-appended");
  if ((saved = ck_file_write_all (fd, data + half, len - half)) != 0)
    return saved;
  _ck_store_fault_point ("revision-appended");
  if (fsync (fd) != 0)
    return errno;
  _ck_store_fault_point ("revision-synced");

  return 0;
}

/* Step 4: the revision in the chain, the job and the journal row gone. */
static gboolean
record_revision (CkStore          *self,
                 const char       *uuid,
                 const char       *pdf_path,
                 const char       *kind,
                 const char       *summary,
                 GBytes           *new_pdf,
                 CkStoreRevision  *current,
                 GError          **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, new_pdf);

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  _ck_store_fault_point ("revision-transaction-begun");

  event->kind = g_strdup ("pdf-revision");
  event->consent_uuid = g_strdup (uuid);
  event->detail = _ck_store_detail_new_revision (kind, sha256, (gint64)g_bytes_get_size (new_pdf),
                                                 current->sha256, current->size, summary);
  if (!_ck_store_insert_event (self, event, &local_error))
    goto rollback;
  _ck_store_fault_point ("revision-event-inserted");

  if (!_ck_store_exec_for_uuid (self, "DELETE FROM seal_jobs WHERE consent_uuid = ?", uuid, &local_error) ||
      !journal_forget (self, pdf_path, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;
  _ck_store_fault_point ("revision-committed");

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_append_pdf_revision:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @new_pdf: its PDF with a revision appended: the whole current file,
 *   then the incremental update (ck_seal_sign_pdf(), ck_seal_timestamp_pdf())
 * @kind: "seal" or "timestamp"
 * @summary: (nullable): one line on what it is, e.g. the TSA's time
 * @error: a #GError in the %CK_STORE_ERROR domain: %CK_STORE_ERROR_INVALID
 *   when @new_pdf does not begin with the stored PDF, or adds nothing;
 *   %CK_STORE_ERROR_TAMPERED when the stored PDF is not the revision the
 *   store records; %CK_STORE_ERROR_BUSY when another revision of it is
 *   unfinished
 *
 * Appends the new revision to the stored PDF in place, durably, in the
 * steps at the top of this file, and records it in the chain. The bytes
 * stored before are never rewritten. The consent's sealing job, if any,
 * goes in the same transaction.
 *
 * Returns: %TRUE once the revision is committed
 */
gboolean
ck_store_append_pdf_revision (CkStore     *self,
                              const char  *uuid,
                              GBytes      *new_pdf,
                              const char  *kind,
                              const char  *summary,
                              GError     **error)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GByteArray) stored = g_byte_array_new ();
  g_autoptr(GBytes) stored_bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CkStoreRevision) current = { 0 };
  g_auto(CkStoreFilesLock) lock = -1;
  g_auto(CkStoreFd) dir_fd = -1;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const guint8 *data;
  gsize len;
  int fd = -1, saved;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (new_pdf != NULL, FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                           _("The store was opened read-only."));
      return FALSE;
    }
  if (!_ck_store_is_uuid (uuid))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("“%s” is not a consent id."), uuid ? uuid : "");
      return FALSE;
    }
  if (g_strcmp0 (kind, "seal") != 0 && g_strcmp0 (kind, "timestamp") != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("A PDF revision is a seal or a timestamp, not “%s”."), kind ? kind : "");
      return FALSE;
    }
  if (!_ck_store_check_text (_("The revision's summary"), summary, MAX_SUMMARY_CHARS, FALSE, error))
    return FALSE;
  if (self->schema_version < 8)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA,
                   _("The consent database %s is of schema %d, from before sealed consents: open it "
                     "once for writing to upgrade it."),
                   self->db_path, self->schema_version);
      return FALSE;
    }

  /* 1–2. The lock, then the journal: from here recovery can undo it. */
  if (!_ck_store_files_lock (self, LOCK_SH, &lock, error) ||
      !journal_append (self, uuid, &record, &current, error))
    return FALSE;
  _ck_store_fault_point ("revision-journal-committed");

  dir = g_path_get_dirname (record->pdf_path);
  name = g_path_get_basename (record->pdf_path);
  path = g_build_filename (self->data_dir, record->pdf_path, NULL);
  if ((dir_fd = _ck_store_open_dir (self, dir, FALSE, &local_error)) < 0)
    goto forget;
  if ((fd = openat (dir_fd, name, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC)) < 0)
    {
      _ck_store_io_error (errno, path, &local_error);
      goto forget;
    }

  /* The file is the revision the store records, and the new one begins
   * with all of it. */
  if ((saved = ck_file_read_all (fd, G_MAXUINT, stored)) != 0)
    {
      _ck_store_io_error (saved, path, &local_error);
      goto forget;
    }
  stored_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&stored));
  if (!_ck_store_pdf_matches (stored_bytes, record->pdf_sha256, record->pdf_size, current.sha256, current.size))
    {
      g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The PDF of consent %s does not match its recorded hash: it was changed after "
                     "signing. No revision was added."),
                   uuid);
      goto forget;
    }
  data = g_bytes_get_data (new_pdf, &len);
  if ((gint64)len <= current.size || memcmp (data, g_bytes_get_data (stored_bytes, NULL), (gsize)current.size) != 0)
    {
      g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("The new revision of the PDF of consent %s does not begin with the stored PDF, or "
                     "adds nothing to it: a revision may only add to the stored bytes. Nothing was "
                     "changed."),
                   uuid);
      goto forget;
    }

  /* 3. Only the new bytes, after the old ones. */
  if ((saved = append_synced (fd, data + current.size, len - (gsize)current.size)) != 0)
    {
      _ck_store_io_error (saved, path, &local_error);
      goto cut_back;
    }

  /* 4. In the chain. */
  if (!record_revision (self, uuid, record->pdf_path, kind, summary, new_pdf, &current, &local_error))
    goto cut_back;

  close (fd);
  return TRUE;

cut_back:
  /* What was appended goes: the file is the revision the store records.
   * Should that fail, the journal row stays and recovery cuts it. */
  if (ftruncate (fd, (off_t)current.size) != 0 || fsync (fd) != 0)
    {
      close (fd);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
forget:
  if (fd >= 0)
    close (fd);
  journal_forget (self, record->pdf_path, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * _ck_store_recover_append:
 * @dir_fd: the PDF's folder
 * @name: the PDF's name in it
 * @relative: its path, for the log
 * @size: the file's size before the revision, as the journal has it
 *
 * Settles an 'append' row of the journal: a revision that the chain does
 * not record is cut off (the previous revision is untouched before it),
 * and a `recovery` event says so.
 */
gboolean
_ck_store_recover_append (CkStore     *self,
                          int          dir_fd,
                          const char  *name,
                          const char  *relative,
                          const char  *uuid,
                          gint64       size,
                          GError     **error)
{
  g_autoptr(CkStoreEvent) event = NULL;
  g_auto(CkStoreRevision) current = { 0 };
  gboolean revised = FALSE;
  struct stat st;
  int fd;

  if (size < 0)
    return TRUE;   /* not a row this version wrote: the file is left alone */
  if (!_ck_store_current_revision (self, uuid, &current, &revised, error))
    return FALSE;

  /* Recorded: the revision committed, then the process died. */
  if (revised && current.size > size)
    return TRUE;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode) || st.st_size <= size)
    return TRUE;

  if ((fd = openat (dir_fd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
    return _ck_store_io_error (errno, relative, error);
  if (ftruncate (fd, (off_t)size) != 0 || fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      return _ck_store_io_error (saved, relative, error);
    }
  close (fd);

  event = g_new0 (CkStoreEvent, 1);
  event->kind = g_strdup ("recovery");
  event->consent_uuid = g_strdup (uuid);
  event->detail = _ck_store_detail_new ("revision_undone", relative, NULL);
  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_ck_store_insert_event (self, event, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!_ck_store_commit (self, error))
    return FALSE;
  self->recovery.revisions_undone++;

  return TRUE;
}
