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
 * is asked of the store (ck-store-backup.c); the SQL here touches only the
 * backup's two tables. */

#define G_LOG_DOMAIN "ck-backup"
#define _GNU_SOURCE   /* renameat2() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-backup.h"
#include "ck-file-private.h"
#include "ck-store-private.h"

#define BACKUP_MAGIC "consent-kiosk-backup"
#define SQLITE_MAGIC "SQLite format 3"   /* and a NUL: the first 16 bytes */
#define MAX_TRIES    5                   /* copies restarted because a purge ran */
#define PAGE_SIZE    256                 /* PDFs read, then written, at a time */

G_DEFINE_QUARK (ck-backup-error-quark, ck_backup_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)

/* How far a backup or a restore is, over all its steps: each step adds
 * what it did to @base once it is done. */
typedef struct
{
  CkProgressFunc func;
  gpointer data;
  guint64 total;
  guint64 base;
} Progress;

static void
report (Progress *progress,
        guint64   done)
{
  if (progress && progress->func)
    progress->func (MIN (progress->base + done, progress->total), progress->total, progress->data);
}

static void
step_done (Progress *progress,
           guint64   n)
{
  if (progress)
    progress->base += n;
}

/* A CkProgressFunc for a step that reports its own: within the step. */
static void
report_step (guint64  done,
             guint64  total,
             gpointer user_data)
{
  report (user_data, done);
}

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

/* --- errors ------------------------------------------------------------------ */

static gboolean
io_error (int          saved_errno,
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
static gboolean
sql_error (sqlite3     *db,
           const char  *path,
           int          rc,
           GError     **error)
{
  if ((rc & 0xFF) == SQLITE_FULL)
    return io_error (ENOSPC, path, error);

  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
               _("The database %s failed: %s."), path,
               db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* A failure of SQLite while reading the backup: it is damaged. */
static gboolean
damaged (const char  *backup_file,
         const char  *why,
         GError     **error)
{
  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
               _("The backup %s is damaged or incomplete (%s). Nothing was changed."),
               backup_file, why);
  return FALSE;
}

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

  return rc == SQLITE_OK ? TRUE : sql_error (db, path, rc, error);
}

/* As the store's own connections: the file's schema may not call
 * functions, and no statement may rewrite the schema. */
static void
configure_db (sqlite3 *db)
{
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
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
      sql_error (db, path, rc, error);
      return NULL;
    }
  configure_db (db);

  return g_steal_pointer (&db);
}

/* --- files ---------------------------------------------------------------------- */

static gboolean
fsync_path (const char  *path,
            gboolean     directory,
            GError     **error)
{
  int saved = ck_file_sync (path, directory ? CK_FILE_SYNC_DIR : CK_FILE_SYNC_FILE);

  return saved == 0 || io_error (saved, path, error);
}

/* Writes @len bytes to the new file @path (0600); the caller syncs. */
static gboolean
write_file (const char    *path,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int saved;

  if (fd < 0)
    return io_error (errno, path, error);

  saved = ck_file_write_all (fd, data, len);
  if (saved != 0)
    {
      close (fd);
      return io_error (saved, path, error);
    }

  if (close (fd) != 0)
    return io_error (errno, path, error);

  return TRUE;
}

/* Flushes the whole file system holding @dir to the disk. */
static gboolean
sync_file_system (const char  *dir,
                  GError     **error)
{
  int saved = ck_file_sync (dir, CK_FILE_SYNC_FS);

  return saved == 0 || io_error (saved, dir, error);
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Whether @path is a directory with nothing in it; %FALSE too if it is
 * missing. */
static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir && g_dir_read_name (dir) == NULL;
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

/* A path a backup may write to: relative, under pdf/ or quarantine/, and
 * without "." or ".." components — a changed backup must not write
 * anywhere else. */
static gboolean
safe_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] == '\0' || path[0] == '/')
    return FALSE;

  parts = g_strsplit (path, "/", -1);
  if (g_strv_length (parts) < 2 ||
      (!g_str_equal (parts[0], "pdf") && !g_str_equal (parts[0], "quarantine")))
    return FALSE;

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;

  return TRUE;
}

/* --- reading what a database holds -------------------------------------------- */

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* --- making a backup ------------------------------------------------------------ */

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
add_pdfs (CkStore       *live,
          CkStore       *snapshot,
          sqlite3       *dst,
          sqlite3_stmt  *insert,
          const char    *tmp_path,
          CkBackupInfo  *info,
          Progress      *progress,
          gboolean      *purged_meanwhile,
          GError       **error)
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

          if (g_strcmp0 (sha256, pdf->sha256) != 0)
            {
              g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_STORE,
                           _("The PDF of consent %s (%s) was changed: its SHA-256 is not the recorded "
                             "one. Run “consentctl check”; nothing was backed up."),
                           pdf->uuid, pdf->path);
              return FALSE;
            }

          if (!add_file (insert, pdf->path, bytes, sha256, info))
            return sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
          after = pdf->seq;
        }
      if (!exec (dst, tmp_path, "COMMIT", error))
        return FALSE;
      done += page->len;
      report (progress, done);
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
        return sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
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
    return sql_error (dst, tmp_path, sqlite3_errcode (dst), error);

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
    return sql_error (dst, tmp_path, sqlite3_errcode (dst), error);

  return TRUE;
}

/* Writes the whole backup to @tmp_path and fsyncs it. */
static CkBackupInfo *
write_backup (CkStore     *store,
              const char  *tmp_path,
              const char  *kiosk_id,
              Progress    *progress,
              gboolean    *purged_meanwhile,
              GError     **error)
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
      report (progress, 0);
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
      sql_error (dst, tmp_path, sqlite3_errcode (dst), error);
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
  if (!fsync_path (tmp_path, FALSE, error))
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
      return errno == EEXIST ? exists_error (to, error) : io_error (errno, to, error);
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

static CkBackupInfo *verify_backup (const char  *backup_file,
                                    Progress    *progress,
                                    GError     **error);

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
  Progress progress = { progress_func, progress_data, 0, 0 };

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
  step_done (&progress, info->consents);
  if (!(checked = verify_backup (tmp_path, &progress, error)))
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
  if (!fsync_path (dir, TRUE, error))
    return NULL;

  if (progress.func)
    progress.func (progress.total, progress.total, progress.data);
  return g_steal_pointer (&info);
}

/* --- reading and checking a backup --------------------------------------------- */

/* Whether @path starts like an SQLite database. */
static gboolean
looks_like_sqlite (const char  *path,
                   GError     **error)
{
  char header[100];
  gssize n;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
                   _("The backup %s cannot be read: %s."), path, g_strerror (saved));
      return FALSE;
    }
  n = read (fd, header, sizeof header);
  close (fd);

  if (n != (gssize)sizeof header || memcmp (header, SQLITE_MAGIC, sizeof SQLITE_MAGIC) != 0)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NOT_BACKUP,
                   _("%s is not a Consent Kiosk backup: it is not an SQLite database. Nothing "
                     "was changed."),
                   path);
      return FALSE;
    }

  return TRUE;
}

/* The manifest, checked for magic and versions. */
static CkBackupInfo *
read_manifest (sqlite3     *db,
               const char  *backup_file,
               GError     **error)
{
  g_autoptr(CkBackupInfo) info = g_new0 (CkBackupInfo, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *magic;

  if (!has_table (db, "ck_backup_manifest") ||
      sqlite3_prepare_v2 (db, "SELECT magic, format FROM ck_backup_manifest WHERE id = 1",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW ||
      !(magic = (const char *)sqlite3_column_text (stmt, 0)) || !g_str_equal (magic, BACKUP_MAGIC))
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NOT_BACKUP,
                   _("%s is an SQLite database but not a Consent Kiosk backup. Nothing was "
                     "changed."),
                   backup_file);
      return NULL;
    }

  info->format = sqlite3_column_int (stmt, 1);
  if (info->format > CK_BACKUP_FORMAT_VERSION || info->format < 1)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NEWER,
                   _("The backup %s was made by a newer Consent Kiosk (backup format %d; this one "
                     "reads up to %d). Nothing was changed; update this kiosk first."),
                   backup_file, info->format, CK_BACKUP_FORMAT_VERSION);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Format 1 from here on. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT created_at, kiosk_id, source_dir, schema_version, consents, events, "
                          "attempts, files, file_bytes, chain_seq, chain_head "
                          "FROM ck_backup_manifest WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      damaged (backup_file, sqlite3_errmsg (db), error);
      return NULL;
    }
  info->created_at = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  info->kiosk_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  info->source_dir = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  info->schema_version = sqlite3_column_int (stmt, 3);
  info->consents = sqlite3_column_int64 (stmt, 4);
  info->events = sqlite3_column_int64 (stmt, 5);
  info->attempts = sqlite3_column_int64 (stmt, 6);
  info->files = sqlite3_column_int64 (stmt, 7);
  info->file_bytes = sqlite3_column_int64 (stmt, 8);
  info->chain_seq = sqlite3_column_int64 (stmt, 9);
  info->chain_head = g_strdup ((const char *)sqlite3_column_text (stmt, 10));

  if (info->schema_version > CK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NEWER,
                   _("The backup %s holds a consent database of a newer Consent Kiosk (schema %d; "
                     "this one knows up to %d). Nothing was changed; update this kiosk first."),
                   backup_file, info->schema_version, CK_STORE_SCHEMA_VERSION);
      return NULL;
    }

  return g_steal_pointer (&info);
}

/* The contents against the manifest: counts, the chain's head, and every
 * file against its hash and its consent's recorded hash. */
static gboolean
check_contents (sqlite3             *db,
                CkStore             *contents,
                const char          *backup_file,
                const CkBackupInfo  *manifest,
                Progress            *progress,
                GError             **error)
{
  g_autoptr(CkBackupInfo) found = g_new0 (CkBackupInfo, 1);
  g_auto(CkStoreSummary) summary = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *what = NULL;
  gint64 after = 0;
  int rc;

  if (!ck_store_get_summary (contents, &summary, &local_error))
    return damaged (backup_file, local_error->message, error);

  if (summary.schema_version != manifest->schema_version)
    what = "schema_version";
  else if (summary.consents != manifest->consents)
    what = "consents";
  else if (summary.events != manifest->events)
    what = "events";
  else if (summary.attempts != manifest->attempts)
    what = "attempts";
  else if (summary.chain_seq != manifest->chain_seq ||
           g_strcmp0 (summary.chain_head, manifest->chain_head) != 0)
    what = "chain_head";
  if (what)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                   _("The backup %s does not match its manifest (%s): it was changed or is "
                     "incomplete. Nothing was changed."),
                   backup_file, what);
      return FALSE;
    }

  /* Every file: a safe path, its size, its hash. */
  if (sqlite3_prepare_v2 (db, "SELECT path, size, sha256, data FROM ck_backup_files",
                          -1, &stmt, NULL) != SQLITE_OK)
    return damaged (backup_file, sqlite3_errmsg (db), error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *path = (const char *)sqlite3_column_text (stmt, 0);
      const void *data = sqlite3_column_blob (stmt, 3);
      gsize len = (gsize)sqlite3_column_bytes (stmt, 3);
      g_autofree char *sha256 = NULL;

      if (!safe_relative_path (path))
        {
          g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                       _("The backup %s names a file outside the data directory (%s): it was "
                         "changed. Nothing was changed."),
                       backup_file, path ? path : "");
          return FALSE;
        }
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data ? data : (const void *)"", len);
      if ((gint64)len != sqlite3_column_int64 (stmt, 1) ||
          g_strcmp0 (sha256, (const char *)sqlite3_column_text (stmt, 2)) != 0)
        {
          g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                       _("The file %s in the backup %s does not match its SHA-256: the backup was "
                         "changed or damaged. Nothing was changed."),
                       path, backup_file);
          return FALSE;
        }
      found->files++;
      found->file_bytes += (gint64)len;
      if (found->files % 256 == 0)
        report (progress, (guint64)found->files);
    }
  if (rc != SQLITE_DONE)
    return damaged (backup_file, sqlite3_errmsg (db), error);
  if (found->files != manifest->files || found->file_bytes != manifest->file_bytes)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                   _("The backup %s does not match its manifest (%s): it was changed or is "
                     "incomplete. Nothing was changed."),
                   backup_file, "files");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  step_done (progress, (guint64)found->files);

  /* Every consent has its PDF, the one it recorded. */
  if (sqlite3_prepare_v2 (db, "SELECT sha256 FROM ck_backup_files WHERE path = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    return damaged (backup_file, sqlite3_errmsg (db), error);
  for (;;)
    {
      g_autoptr(GPtrArray) page = ck_store_list_pdfs (contents, after, PAGE_SIZE, &local_error);

      if (page == NULL)
        return damaged (backup_file, local_error->message, error);
      if (page->len == 0)
        return TRUE;

      for (guint i = 0; i < page->len; i++)
        {
          const CkStorePdf *pdf = page->pdata[i];

          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, pdf->path, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return damaged (backup_file, sqlite3_errmsg (db), error);
          if (rc == SQLITE_DONE || g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), pdf->sha256) != 0)
            {
              g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                           _("The backup %s lacks the PDF of consent %s, or holds another one. Nothing "
                             "was changed."),
                           backup_file, pdf->uuid);
              return FALSE;
            }
          after = pdf->seq;
        }
    }
}

/* The backup's own tables, beside the store's. */
static const char * const backup_tables[] = { "ck_backup_files", "ck_backup_manifest", NULL };

/* Opens @backup_file read-only and checks everything but the chain: into
 * @db_out the file, into @contents_out the store it holds. */
static CkBackupInfo *
open_backup (const char  *backup_file,
             sqlite3    **db_out,
             CkStore    **contents_out,
             Progress    *progress,
             GError     **error)
{
  g_autoptr(CkStore) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  const char *verdict;
  int rc;

  if (!looks_like_sqlite (backup_file, error))
    return NULL;

  rc = sqlite3_open_v2 (backup_file, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      damaged (backup_file, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc), error);
      return NULL;
    }
  configure_db (db);

  /* A truncated file opens, but its pages are missing. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      damaged (backup_file, sqlite3_errmsg (db), error);
      return NULL;
    }
  verdict = (const char *)sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (verdict, "ok") != 0)
    {
      damaged (backup_file, verdict ? verdict : "", error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(info = read_manifest (db, backup_file, error)))
    return NULL;

  /* A restore: checking each file, extracting it, checking each consent
   * of the trial restore and of the restored store. */
  if (progress && progress->total == 0)
    {
      progress->total = 2 * (guint64)MAX (info->files, 0) + 2 * (guint64)MAX (info->consents, 0);
      report (progress, 0);
    }

  /* The store in it: a schema this version builds and nothing else, then
   * its contents against the manifest. */
  if (!(contents = ck_store_open_database (backup_file, backup_tables, &local_error)))
    {
      damaged (backup_file, local_error->message, error);
      return NULL;
    }
  if (!check_contents (db, contents, backup_file, info, progress, error))
    return NULL;

  *db_out = g_steal_pointer (&db);
  *contents_out = g_steal_pointer (&contents);
  return g_steal_pointer (&info);
}

/* Writes the store the backup @db holds (@contents, read from
 * @backup_file) into the empty directory @dir: consents.db, built by the
 * store from this version's schema with the known tables' rows only, and
 * every file. */
static gboolean
extract (sqlite3     *db,
         const char  *backup_file,
         CkStore     *contents,
         const char  *dir,
         gboolean     durable,
         Progress    *progress,
         GError     **error)
{
  guint64 n = 0;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *db_path = g_build_filename (dir, "consents.db", NULL);
  g_autofree char *pdf_dir = g_build_filename (dir, "pdf", NULL);
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!ck_store_write_database (contents, db_path, durable, &local_error))
    {
      if (g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED))
        return damaged (backup_file, local_error->message, error);
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }

  if (g_mkdir (pdf_dir, 0700) != 0)
    return io_error (errno, pdf_dir, error);
  g_hash_table_add (dirs, g_strdup (dir));

  if (sqlite3_prepare_v2 (db, "SELECT path, data FROM ck_backup_files", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (db, db_path, sqlite3_errcode (db), error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *relative = (const char *)sqlite3_column_text (stmt, 0);
      const guint8 *data = sqlite3_column_blob (stmt, 1);
      gsize len = (gsize)sqlite3_column_bytes (stmt, 1);
      g_autofree char *path = g_build_filename (dir, relative, NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      if (!g_hash_table_contains (dirs, parent))
        {
          if (g_mkdir_with_parents (parent, 0700) != 0)
            return io_error (errno, parent, error);
          g_hash_table_add (dirs, g_steal_pointer (&parent));
        }
      if (!write_file (path, data ? data : (const guint8 *)"", len, error))
        return FALSE;
      if (++n % 256 == 0)
        report (progress, n);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, db_path, rc, error);
  step_done (progress, n);

  /* Every file and folder written above at once: one syncfs() of the
   * file system rather than an fsync() a PDF, which took minutes for ten
   * thousand of them. */
  return !durable || sync_file_system (dir, error);
}

/* The restored database is the one to trust in @dir: its head gets its
 * copy there (ck-store-head.c). */
static gboolean
seal_head (const char  *dir,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ck_store_seal_head (dir, &local_error))
    return TRUE;

  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO, "%s", local_error->message);
  return FALSE;
}

/* Runs ck_store_check() on the store in @dir; @label names it in the
 * message. */
static gboolean
check_store (CkStore     *store,
             const char  *label,
             Progress    *progress,
             GError     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *joined = NULL;

  problems = ck_store_check_full (store, progress && progress->func ? report_step : NULL, progress, error);
  if (problems == NULL)
    return FALSE;
  step_done (progress, (guint64)MAX (ck_store_count (store, NULL), 0));
  if (problems->len == 0)
    return TRUE;

  g_ptr_array_add (problems, NULL);
  joined = g_strjoinv ("\n", (char **)problems->pdata);
  g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
               _("The store in the backup %s does not pass the integrity check:\n%s"),
               label, joined);
  return FALSE;
}

/* Opens the backup, checks it, extracts it into a new directory beside
 * @near (a path) and checks the store there. Returns the directory. */
static char *
extract_checked (const char     *backup_file,
                 const char     *near,
                 gboolean        durable,
                 Progress       *progress,
                 CkBackupInfo  **info_out,
                 GError        **error)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkStore) contents = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autofree char *parent = g_path_get_dirname (near);
  g_autofree char *base = g_path_get_basename (near);
  g_autofree char *dir = NULL;

  if (!(info = open_backup (backup_file, &db, &contents, progress, error)))
    return NULL;

  dir = g_strdup_printf ("%s/.%s.restore-XXXXXX", parent, base);
  if (g_mkdtemp_full (dir, 0700) == NULL)
    {
      io_error (errno, dir, error);
      return NULL;
    }

  if (!extract (db, backup_file, contents, dir, durable, progress, error) ||
      !seal_head (dir, error) ||
      !(store = ck_store_open (dir, CK_STORE_OPEN_READ_ONLY, error)) ||
      !check_store (store, backup_file, progress, error))
    {
      g_clear_object (&store);
      remove_tree (dir);
      return NULL;
    }

  *info_out = g_steal_pointer (&info);
  return g_steal_pointer (&dir);
}

/**
 * ck_backup_verify:
 * @backup_file: a backup
 * @error: a #GError in the %CK_BACKUP_ERROR domain
 *
 * Checks that @backup_file would restore intact: it is a backup this build
 * reads, it matches its manifest, every file its hash, and a trial restore
 * (in a temporary directory beside it, removed after) passes
 * ck_store_check().
 *
 * Returns: (transfer full) (nullable): what the backup holds
 */
CkBackupInfo *
ck_backup_verify (const char  *backup_file,
                  GError     **error)
{
  g_return_val_if_fail (backup_file != NULL, NULL);

  return verify_backup (backup_file, NULL, error);
}

static CkBackupInfo *
verify_backup (const char  *backup_file,
               Progress    *progress,
               GError     **error)
{
  g_autoptr(CkBackupInfo) info = NULL;
  g_autofree char *dir = NULL;

  if (!(dir = extract_checked (backup_file, backup_file, FALSE, progress, &info, error)))
    return NULL;
  remove_tree (dir);

  return g_steal_pointer (&info);
}

/* --- restoring ------------------------------------------------------------------ */

/* DIR.before-restore-YYYYMMDDTHHMMSSZ, or with -2, -3, … if taken. */
static char *
aside_name (const char *target)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  char *name = g_strdup_printf ("%s.before-restore-%s", target, stamp);

  for (guint i = 2; g_file_test (name, G_FILE_TEST_EXISTS); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s.before-restore-%s-%u", target, stamp, i);
    }

  return name;
}

static char *
restore_detail (const char          *backup_file,
                const CkBackupInfo  *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "backup");
  json_builder_add_string_value (builder, backup_file);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, info->created_at);
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, info->kiosk_id);
  json_builder_set_member_name (builder, "chain_seq");
  json_builder_add_int_value (builder, info->chain_seq);
  json_builder_set_member_name (builder, "chain_head");
  json_builder_add_string_value (builder, info->chain_head);
  json_builder_set_member_name (builder, "moved_aside");
  json_builder_add_string_value (builder, info->moved_aside);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A restore failed before it moved anything: says so, unless the message
 * already does. */
static void
left_as_it_was (GError     **error,
                const char  *target)
{
  char *message;

  if (error == NULL || *error == NULL || g_error_matches (*error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED))
    return;

  message = g_strdup_printf (_("%s The data directory %s was left as it was."), (*error)->message, target);
  g_free ((*error)->message);
  (*error)->message = message;
}

/**
 * ck_backup_restore:
 * @backup_file: a backup made by ck_backup_create()
 * @data_dir: the data directory to restore into: missing or empty, or
 *   anything with %CK_BACKUP_FORCE (its contents are then moved to
 *   DIR.before-restore-TIMESTAMP, not deleted)
 * @flags: %CK_BACKUP_FORCE
 * @error: a #GError in the %CK_BACKUP_ERROR or %CK_STORE_ERROR domain
 *
 * Checks the whole backup first (see ck_backup_verify()); a backup that
 * fails changes nothing. Then writes it into a temporary directory beside
 * @data_dir, fsyncs it, checks the store there, renames it into place,
 * opens it as the kiosk does, checks it again and logs a "restore" event
 * in the hash chain.
 *
 * Returns: (transfer full) (nullable): what was restored
 */
CkBackupInfo *
ck_backup_restore (const char     *backup_file,
                   const char     *data_dir,
                   CkBackupFlags   flags,
                   GError        **error)
{
  return ck_backup_restore_full (backup_file, data_dir, flags, NULL, NULL, error);
}

/**
 * ck_backup_restore_full:
 * @progress: (nullable): told how far the restore is, over all its steps
 * @progress_data: for @progress
 *
 * ck_backup_restore() with progress reports.
 *
 * Returns: (transfer full) (nullable): what was restored
 */
CkBackupInfo *
ck_backup_restore_full (const char      *backup_file,
                        const char      *data_dir,
                        CkBackupFlags    flags,
                        CkProgressFunc   progress_func,
                        gpointer         progress_data,
                        GError         **error)
{
  Progress progress = { progress_func, progress_data, 0, 0 };
  g_autofree char *target = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkStore) store = NULL;
  gboolean exists;

  g_return_val_if_fail (backup_file != NULL && data_dir != NULL, NULL);

  target = g_canonicalize_filename (data_dir, NULL);
  parent = g_path_get_dirname (target);
  exists = g_file_test (target, G_FILE_TEST_EXISTS);

  if (exists && !g_file_test (target, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NOT_EMPTY,
                   _("%s is not a directory; nothing was changed."), target);
      return NULL;
    }
  if (exists && !dir_is_empty (target) && !(flags & CK_BACKUP_FORCE))
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_NOT_EMPTY,
                   _("The data directory %s is not empty; nothing was changed. Restore into an "
                     "empty or new directory, or give --force to move its contents aside first."),
                   target);
      return NULL;
    }
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      io_error (errno, parent, error);
      return NULL;
    }

  if (!(tmp_dir = extract_checked (backup_file, target, TRUE, &progress, &info, error)))
    {
      left_as_it_was (error, target);
      return NULL;
    }

  /* As the kiosk will open it (an older schema is migrated), checked
   * again, and the audit trail says what happened: all of it beside the
   * target, before anything there is touched. A disk that fills up now
   * leaves the target as it was. */
  if (exists && !dir_is_empty (target))
    info->moved_aside = aside_name (target);
  detail = restore_detail (backup_file, info);
  if (!(store = ck_store_open (tmp_dir, CK_STORE_OPEN_RECOVER, error)) ||
      !check_store (store, backup_file, &progress, error) ||
      !ck_store_add_event (store, "restore", NULL, NULL, detail, error))
    {
      g_clear_object (&store);
      remove_tree (tmp_dir);
      g_clear_pointer (&info->moved_aside, g_free);
      left_as_it_was (error, target);
      return NULL;
    }
  g_clear_object (&store);

  /* Into place: whatever was there is moved aside, never deleted. */
  if (info->moved_aside)
    {
      if (g_rename (target, info->moved_aside) != 0)
        {
          io_error (errno, info->moved_aside, error);
          remove_tree (tmp_dir);
          left_as_it_was (error, target);
          return NULL;
        }
    }
  if (g_rename (tmp_dir, target) != 0)
    {
      int saved = errno;

      if (info->moved_aside && g_rename (info->moved_aside, target) != 0)
        {
          int lost = errno;

          remove_tree (tmp_dir);
          g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO,
                       _("The restored store could not be renamed to %s (%s), and what was there "
                         "could not be put back from %s (%s): move it back by hand before the "
                         "kiosk starts."),
                       target, g_strerror (saved), info->moved_aside, g_strerror (lost));
          return NULL;
        }
      remove_tree (tmp_dir);
      io_error (saved, target, error);
      left_as_it_was (error, target);
      return NULL;
    }
  if (!fsync_path (parent, TRUE, error))
    return NULL;

  return g_steal_pointer (&info);
}
