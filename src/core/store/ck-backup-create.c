/* ck-backup-create.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Making a backup: a snapshot of the live database, every consent's PDF
 * and what quarantine/ holds, the manifest; written to FILE.tmp, checked
 * as a restore would check it (ck-backup-restore.c), then renamed. */

#define G_LOG_DOMAIN "ck-backup"
#define _GNU_SOURCE   /* renameat2() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "ck-backup-private.h"

#define MAX_TRIES 5   /* copies restarted because a purge ran */

/* A failure of the store while a backup is made: the live store has a
 * problem that `consentctl check` names. */
static gboolean
store_failed (GError  *store_error,
              GError **error)
{
  if (g_error_matches (store_error, CK_STORE_ERROR, CK_STORE_ERROR_DISK_FULL))
    g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO, "%s", store_error->message);
  else
    g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_STORE,
                 _("%s Run “consentctl check”; nothing was backed up."), store_error->message);
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *path,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : _ck_backup_sql_error (db, path, rc, error);
}

static sqlite3 *
open_db (const char  *path,
         int          flags,
         GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags, NULL);

  if (rc != SQLITE_OK)
    {
      _ck_backup_sql_error (db, path, rc, error);
      return NULL;
    }
  _ck_backup_configure_db (db);

  return g_steal_pointer (&db);
}

/* Adds the path, relative to @root, of every regular file under
 * @root/@relative to @out. */
static void
collect_files (const char *root,
               const char *relative,
               GPtrArray  *out)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *child_path = g_build_filename (root, child, NULL);

      if (g_file_test (child_path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        collect_files (root, child, out);
      else if (g_file_test (child_path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static const char backup_schema[] =
  "CREATE TABLE ck_backup_files ("
  "  path TEXT PRIMARY KEY,"
  "  size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE TABLE ck_backup_manifest ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  magic TEXT NOT NULL,"
  "  format INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  kiosk_id TEXT,"
  "  source_dir TEXT NOT NULL,"
  "  schema_version INTEGER NOT NULL,"
  "  consents INTEGER NOT NULL,"
  "  events INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL,"
  "  files INTEGER NOT NULL,"
  "  file_bytes INTEGER NOT NULL,"
  "  chain_seq INTEGER NOT NULL,"
  "  chain_head TEXT NOT NULL);";

static gboolean
add_file (sqlite3_stmt  *insert,
          const char    *relative,
          GBytes        *bytes,
          const char    *sha256,
          CkBackupInfo  *info)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  sqlite3_reset (insert);
  sqlite3_bind_text (insert, 1, relative, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, (gint64)len);
  sqlite3_bind_text (insert, 3, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (insert, 4, data ? (const void *)data : "", len, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return FALSE;

  info->files++;
  info->file_bytes += (gint64)len;
  return TRUE;
}

/* The contents of @relative in the store, read without following a link,
 * and their SHA-256. */
static GBytes *
read_hashed (CkStore     *store,
             const char  *relative,
             char       **sha256,
             GError     **error)
{
  GBytes *bytes = ck_store_read_data_file (store, relative, error);

  if (bytes)
    *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  return bytes;
}

/* Whether the live store still has consent @uuid: a PDF missing from under
 * the snapshot is one that a purge removed meanwhile. */
static gboolean
live_has_consent (CkStore    *live,
                  const char *uuid)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = ck_store_lookup (live, uuid, &error);
  return record != NULL || !g_error_matches (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
}

/* Every consent's PDF in the snapshot, checked against its row, into
 * ck_backup_files: a page of rows at a time, read from the snapshot
 * between the writes into the same file. */
static gboolean
add_pdfs (CkStore           *live,
          CkStore           *snapshot,
          sqlite3           *dst,
          sqlite3_stmt      *insert,
          const char        *tmp_path,
          CkBackupInfo      *info,
          CkBackupProgress  *progress,
          gboolean          *purged_meanwhile,
          GError           **error)
{
  gint64 after = 0;
  guint64 done = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!(page = ck_store_list_pdfs (snapshot, after, PAGE_SIZE, &local_error)))
        return store_failed (local_error, error);
      if (page->len == 0)
        return TRUE;

      /* No read of the snapshot is open while this page is written. */
      if (!exec (dst, tmp_path, "BEGIN", error))
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          const CkStorePdf *pdf = page->pdata[i];
          g_autoptr(GBytes) bytes = NULL;
          g_autofree char *sha256 = NULL;

          if (!(bytes = read_hashed (live, pdf->path, &sha256, &local_error)))
            {
              if (g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND) &&
                  !live_has_consent (live, pdf->uuid))
                {
                  *purged_meanwhile = TRUE;
                  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_STORE,
                               _("Consents were purged while the backup was being made; try again."));
                  return FALSE;
                }
              g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_STORE,
                           _("The PDF of consent %s (%s) cannot be read: %s. Run “consentctl check”; "
                             "nothing was backed up."),
                           pdf->uuid, pdf->path, local_error->message);
              return FALSE;
            }

          /* Revisions only ever add to a PDF (a seal, a document
           * timestamp): one added or being added since the snapshot is
           * after the revision the snapshot records, which is taken. */
          if ((gint64)g_bytes_get_size (bytes) > pdf->size && pdf->size >= 0)
            {
              GBytes *prefix = g_bytes_new_from_bytes (bytes, 0, (gsize)pdf->size);

              g_bytes_unref (bytes);
              bytes = prefix;
              g_free (sha256);
              sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
            }

          if (g_strcmp0 (sha256, pdf->sha256) != 0)
            {
              g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_STORE,
                           _("The PDF of consent %s (%s) was changed: its SHA-256 is not the recorded "
                             "one. Run “consentctl check”; nothing was backed up."),
                           pdf->uuid, pdf->path);
              return FALSE;
            }

          if (!add_file (insert, pdf->path, bytes, sha256, info))
            return _ck_backup_sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
          after = pdf->seq;
        }
      if (!exec (dst, tmp_path, "COMMIT", error))
        return FALSE;
      done += page->len;
      _ck_backup_report (progress, done);
    }
}

/* What quarantine/ holds (PDFs found without a record after a crash): kept
 * as they are, with the hash they have now. */
static gboolean
add_quarantine (CkStore       *store,
                sqlite3       *dst,
                sqlite3_stmt  *insert,
                const char    *data_dir,
                const char    *tmp_path,
                CkBackupInfo  *info,
                GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  collect_files (data_dir, "quarantine", files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *relative = files->pdata[i];
      g_autofree char *path = g_build_filename (data_dir, relative, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *sha256 = NULL;

      if (!(bytes = read_hashed (store, relative, &sha256, &local_error)))
        {
          g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
                       _("%s cannot be read: %s."), path, local_error->message);
          return FALSE;
        }
      if (!add_file (insert, relative, bytes, sha256, info))
        return _ck_backup_sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
    }

  return TRUE;
}

static gboolean
insert_manifest (sqlite3             *dst,
                 const char          *tmp_path,
                 const CkBackupInfo  *info,
                 GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (dst,
                          "INSERT INTO ck_backup_manifest (id, magic, format, created_at, kiosk_id, "
                          "source_dir, schema_version, consents, events, attempts, files, file_bytes, "
                          "chain_seq, chain_head) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _ck_backup_sql_error (dst, tmp_path, sqlite3_errcode (dst), error);

  sqlite3_bind_text (stmt, 1, BACKUP_MAGIC, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, info->format);
  sqlite3_bind_text (stmt, 3, info->created_at, -1, SQLITE_STATIC);
  if (info->kiosk_id)
    sqlite3_bind_text (stmt, 4, info->kiosk_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, info->source_dir, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, info->schema_version);
  sqlite3_bind_int64 (stmt, 7, info->consents);
  sqlite3_bind_int64 (stmt, 8, info->events);
  sqlite3_bind_int64 (stmt, 9, info->attempts);
  sqlite3_bind_int64 (stmt, 10, info->files);
  sqlite3_bind_int64 (stmt, 11, info->file_bytes);
  sqlite3_bind_int64 (stmt, 12, info->chain_seq);
  sqlite3_bind_text (stmt, 13, info->chain_head, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _ck_backup_sql_error (dst, tmp_path, sqlite3_errcode (dst), error);

  return TRUE;
}

/* Writes the whole backup to @tmp_path and fsyncs it. */
static CkBackupInfo *
write_backup (CkStore           *store,
              const char        *tmp_path,
              const char        *kiosk_id,
              CkBackupProgress  *progress,
              gboolean          *purged_meanwhile,
              GError           **error)
{
  const char *data_dir = ck_store_get_data_dir (store);
  g_autofree char *journal = g_strconcat (tmp_path, "-journal", NULL);
  g_autoptr(CkBackupInfo) info = g_new0 (CkBackupInfo, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(CkStoreSummary) summary = { 0 };
  g_autoptr(CkStore) snapshot = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(sqlite3) dst = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  info->format = CK_BACKUP_FORMAT_VERSION;
  info->created_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  info->kiosk_id = g_strdup (kiosk_id);
  info->source_dir = g_strdup (data_dir);

  /* Leftovers of an interrupted backup are ours to replace. */
  g_unlink (tmp_path);
  g_unlink (journal);

  /* A consistent snapshot of the database, then what it holds. */
  if (!ck_store_copy_database (store, tmp_path, &local_error) ||
      !(snapshot = ck_store_open_database (tmp_path, NULL, &local_error)) ||
      !ck_store_get_summary (snapshot, &summary, &local_error))
    {
      store_failed (local_error, error);
      return NULL;
    }
  info->schema_version = summary.schema_version;
  info->consents = summary.consents;
  info->events = summary.events;
  info->attempts = summary.attempts;
  info->chain_seq = summary.chain_seq;
  info->chain_head = g_strdup (summary.chain_head);

  /* Copying each PDF, then (ck_backup_verify ()) checking each file,
   * extracting it, and checking each consent of the trial restore. */
  if (progress)
    {
      progress->base = 0;
      progress->total = 4 * (guint64)summary.consents;
      _ck_backup_report (progress, 0);
    }

  /* The backup's own tables, in the same file. It is synced once at the
   * end, and kept only if it then checks out. */
  if (!(dst = open_db (tmp_path, SQLITE_OPEN_READWRITE, error)) ||
      !exec (dst, tmp_path, "PRAGMA synchronous = OFF", error) ||
      !exec (dst, tmp_path, backup_schema, error))
    return NULL;
  if (sqlite3_prepare_v2 (dst, "INSERT INTO ck_backup_files (path, size, sha256, data) "
                               "VALUES (?, ?, ?, ?)", -1, &insert, NULL) != SQLITE_OK)
    {
      _ck_backup_sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
      return NULL;
    }
  if (!add_pdfs (store, snapshot, dst, insert, tmp_path, info, progress, purged_meanwhile, error) ||
      !exec (dst, tmp_path, "BEGIN", error) ||
      !add_quarantine (store, dst, insert, data_dir, tmp_path, info, error) ||
      !insert_manifest (dst, tmp_path, info, error) ||
      !exec (dst, tmp_path, "COMMIT", error))
    return NULL;

  g_clear_object (&snapshot);
  g_clear_pointer (&insert, sqlite3_finalize);
  g_clear_pointer (&dst, sqlite3_close_v2);
  if (!_ck_backup_fsync_path (tmp_path, FALSE, error))
    return NULL;

  return g_steal_pointer (&info);
}

static gboolean
exists_error (const char  *path,
              GError     **error)
{
  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_EXISTS,
               _("The backup file %s already exists; nothing was written. Choose another "
                 "name, or replace it with --force."),
               path);
  return FALSE;
}

/* Renames @from to @to, refusing to replace @to unless @replace. */
static gboolean
move_into_place (const char  *from,
                 const char  *to,
                 gboolean     replace,
                 GError     **error)
{
  int rc;

  if (replace)
    rc = rename (from, to);
  else
    {
      rc = renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
      /* Not every file system knows RENAME_NOREPLACE (vfat, some network
       * ones): look, then rename. */
      if (rc != 0 && (errno == EINVAL || errno == ENOSYS))
        {
          if (g_file_test (to, G_FILE_TEST_EXISTS))
            errno = EEXIST;
          else
            rc = rename (from, to);
        }
    }

  if (rc != 0)
    {
      return errno == EEXIST ? exists_error (to, error) : _ck_backup_io_error (errno, to, error);
    }

  return TRUE;
}

/**
 * ck_backup_create:
 * @store: the store to back up (read-only is enough)
 * @backup_file: the file to write (mode 0600)
 * @kiosk_id: (nullable): the kiosk's id, for the manifest
 * @flags: %CK_BACKUP_FORCE to replace an existing @backup_file
 * @error: a #GError in the %CK_BACKUP_ERROR domain
 *
 * Writes a backup of the store's data directory to @backup_file while the
 * kiosk may go on saving, then checks it as a restore would, and keeps it
 * only if it would restore intact. The file holds whole ID numbers.
 *
 * Returns: (transfer full) (nullable): what the backup holds
 */
CkBackupInfo *
ck_backup_create (CkStore        *store,
                  const char     *backup_file,
                  const char     *kiosk_id,
                  CkBackupFlags   flags,
                  GError        **error)
{
  return ck_backup_create_full (store, backup_file, kiosk_id, flags, NULL, NULL, error);
}

/**
 * ck_backup_create_full:
 * @progress: (nullable): told how far the backup is, over all its steps
 * @progress_data: for @progress
 *
 * ck_backup_create() with progress reports.
 *
 * Returns: (transfer full) (nullable): what the backup holds
 */
CkBackupInfo *
ck_backup_create_full (CkStore         *store,
                       const char      *backup_file,
                       const char      *kiosk_id,
                       CkBackupFlags    flags,
                       CkProgressFunc   progress_func,
                       gpointer         progress_data,
                       GError         **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkBackupInfo) checked = NULL;
  CkBackupProgress progress = { progress_func, progress_data, 0, 0 };

  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (backup_file != NULL, NULL);

  if (!(flags & CK_BACKUP_FORCE) && g_file_test (backup_file, G_FILE_TEST_EXISTS))
    {
      exists_error (backup_file, error);
      return NULL;
    }

  tmp_path = g_strconcat (backup_file, ".tmp", NULL);
  for (guint tries = 1; ; tries++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean purged_meanwhile = FALSE;

      if ((info = write_backup (store, tmp_path, kiosk_id, &progress, &purged_meanwhile, &local_error)))
        break;
      g_unlink (tmp_path);
      if (!purged_meanwhile || tries == MAX_TRIES)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("A purge ran during the backup; starting again");
    }

  /* Keep only a backup that would restore. */
  _ck_backup_step_done (&progress, info->consents);
  if (!(checked = _ck_backup_verify (tmp_path, &progress, error)))
    {
      g_prefix_error (error, _("The backup was not kept: "));
      g_unlink (tmp_path);
      return NULL;
    }

  dir = g_path_get_dirname (backup_file);
  if (!move_into_place (tmp_path, backup_file, (flags & CK_BACKUP_FORCE) != 0, error))
    {
      g_unlink (tmp_path);
      return NULL;
    }
  if (!_ck_backup_fsync_path (dir, TRUE, error))
    return NULL;

  if (progress.func)
    progress.func (progress.total, progress.total, progress.data);
  return g_steal_pointer (&info);
}
