/* ck-backup.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Backups of a data directory, as ONE file IT can copy off the machine.
 *
 * A backup is an SQLite database: a copy of consents.db made with SQLite's
 * online backup API (one read transaction, so it is consistent while the
 * kiosk keeps saving, and nobody waits for it), plus two tables of its own:
 *
 *   ck_backup_files     every file of the data directory the copy refers
 *                       to — each consent's PDF, and what quarantine/ holds —
 *                       as relative path, size, SHA-256 and bytes;
 *   ck_backup_manifest  one row: magic, format version, when, which kiosk,
 *                       from which directory, the schema version, counts
 *                       and the head of the hash chain.
 *
 * It is written to FILE.tmp, fsynced, then checked as a restore would check
 * it (every file's hash, the manifest against the contents, and
 * ck_store_check() on a trial restore), and only then renamed to FILE.
 *
 * A restore checks the same before it touches the target, writes into a
 * temporary directory beside it, fsyncs, runs ck_store_check() there, and
 * renames it into place; a non-empty target is moved aside, never deleted.
 *
 * Everything about the store's own tables — the copy, the counts, the
 * PDFs each consent records, the schema a restored store is built with —
 * is asked of the store (ck-store-backup.c); the SQL of the files below
 * touches only the backup's two tables.
 *
 * One file a job, sharing ck-backup-private.h:
 *
 *   ck-backup.c          errors, connections, progress, and what a backup
 *                        holds (CkBackupInfo);
 *   ck-backup-create.c   making a backup;
 *   ck-backup-read.c     opening a backup file and checking it: a file from
 *                        anywhere, never trusted;
 *   ck-backup-restore.c  extracting it into a new directory and checking the
 *                        store there: on trial (ck_backup_verify ()), or to
 *                        put it into place in a data directory. */

#define G_LOG_DOMAIN "ck-backup"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "ck-backup-private.h"
#include "ck-file-private.h"

G_DEFINE_QUARK (ck-backup-error-quark, ck_backup_error)

void
ck_backup_info_free (CkBackupInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->created_at);
  g_free (info->kiosk_id);
  g_free (info->source_dir);
  g_free (info->chain_head);
  g_free (info->moved_aside);
  g_free (info);
}

/* --- progress --------------------------------------------------------------- */

void
_ck_backup_report (CkBackupProgress *progress,
                   guint64           done)
{
  if (progress && progress->func)
    progress->func (MIN (progress->base + done, progress->total), progress->total, progress->data);
}

void
_ck_backup_step_done (CkBackupProgress *progress,
                      guint64           n)
{
  if (progress)
    progress->base += n;
}

/* A CkProgressFunc for a step that reports its own: within the step. */
void
_ck_backup_report_step (guint64  done,
                        guint64  total,
                        gpointer user_data)
{
  _ck_backup_report (user_data, done);
}

/* --- errors ------------------------------------------------------------------ */

gboolean
_ck_backup_io_error (int          saved_errno,
                     const char  *path,
                     GError     **error)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
                 _("The disk is full: %s could not be written."), path);
  else
    g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
                 _("%s could not be written: %s."), path, g_strerror (saved_errno));

  return FALSE;
}

/* A failure of SQLite on @path, while writing (the backup, or a restore). */
gboolean
_ck_backup_sql_error (sqlite3     *db,
                      const char  *path,
                      int          rc,
                      GError     **error)
{
  if ((rc & 0xFF) == SQLITE_FULL)
    return _ck_backup_io_error (ENOSPC, path, error);

  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
               _("The database %s failed: %s."), path,
               db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* A failure of SQLite while reading the backup: it is damaged. */
gboolean
_ck_backup_damaged (const char  *backup_file,
                    const char  *why,
                    GError     **error)
{
  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
               _("The backup %s is damaged or incomplete (%s). Nothing was changed."),
               backup_file, why);
  return FALSE;
}

/* --- connections and files ------------------------------------------------------ */

/* As the store's own connections: the file's schema may not call
 * functions, and no statement may rewrite the schema. */
void
_ck_backup_configure_db (sqlite3 *db)
{
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
}

gboolean
_ck_backup_fsync_path (const char  *path,
                       gboolean     directory,
                       GError     **error)
{
  int saved = ck_file_sync (path, directory ? CK_FILE_SYNC_DIR : CK_FILE_SYNC_FILE);

  return saved == 0 || _ck_backup_io_error (saved, path, error);
}
