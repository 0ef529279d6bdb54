/* ck-backup-restore.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Restoring a backup: extracting it into a new directory and checking the
 * store there — on trial beside the backup (ck_backup_verify ()), or
 * beside the data directory — and then putting it into place, whatever
 * was there moved aside, never deleted. */

#define G_LOG_DOMAIN "ck-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-backup-private.h"
#include "ck-file-private.h"

/* --- files ---------------------------------------------------------------------- */

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
    return _ck_backup_io_error (errno, path, error);

  saved = ck_file_write_all (fd, data, len);
  if (saved != 0)
    {
      close (fd);
      return _ck_backup_io_error (saved, path, error);
    }

  if (close (fd) != 0)
    return _ck_backup_io_error (errno, path, error);

  return TRUE;
}

/* Flushes the whole file system holding @dir to the disk. */
static gboolean
sync_file_system (const char  *dir,
                  GError     **error)
{
  int saved = ck_file_sync (dir, CK_FILE_SYNC_FS);

  return saved == 0 || _ck_backup_io_error (saved, dir, error);
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

/* --- extracting ---------------------------------------------------------------- */

/* Writes the store the backup @db holds (@contents, read from
 * @backup_file) into the empty directory @dir: consents.db, built by the
 * store from this version's schema with the known tables' rows only, and
 * every file. */
static gboolean
extract (sqlite3           *db,
         const char        *backup_file,
         CkStore           *contents,
         const char        *dir,
         gboolean           durable,
         CkBackupProgress  *progress,
         GError           **error)
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
        return _ck_backup_damaged (backup_file, local_error->message, error);
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }

  if (g_mkdir (pdf_dir, 0700) != 0)
    return _ck_backup_io_error (errno, pdf_dir, error);
  g_hash_table_add (dirs, g_strdup (dir));

  if (sqlite3_prepare_v2 (db, "SELECT path, data FROM ck_backup_files", -1, &stmt, NULL) != SQLITE_OK)
    return _ck_backup_sql_error (db, db_path, sqlite3_errcode (db), error);
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
            return _ck_backup_io_error (errno, parent, error);
          g_hash_table_add (dirs, g_steal_pointer (&parent));
        }
      if (!write_file (path, data ? data : (const guint8 *)"", len, error))
        return FALSE;
      if (++n % 256 == 0)
        _ck_backup_report (progress, n);
    }
  if (rc != SQLITE_DONE)
    return _ck_backup_sql_error (db, db_path, rc, error);
  _ck_backup_step_done (progress, n);

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
check_store (CkStore           *store,
             const char        *label,
             CkBackupProgress  *progress,
             GError           **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *joined = NULL;

  problems = ck_store_check_full (store, progress && progress->func ? _ck_backup_report_step : NULL,
                                  progress, error);
  if (problems == NULL)
    return FALSE;
  _ck_backup_step_done (progress, (guint64)MAX (ck_store_count (store, NULL), 0));
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
extract_checked (const char        *backup_file,
                 const char        *near,
                 gboolean           durable,
                 CkBackupProgress  *progress,
                 CkBackupInfo     **info_out,
                 GError           **error)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkStore) contents = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autofree char *parent = g_path_get_dirname (near);
  g_autofree char *base = g_path_get_basename (near);
  g_autofree char *dir = NULL;

  if (!(info = _ck_backup_open (backup_file, &db, &contents, progress, error)))
    return NULL;

  dir = g_strdup_printf ("%s/.%s.restore-XXXXXX", parent, base);
  if (g_mkdtemp_full (dir, 0700) == NULL)
    {
      _ck_backup_io_error (errno, dir, error);
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

  return _ck_backup_verify (backup_file, NULL, error);
}

/* ck_backup_verify () with progress reports, for ck_backup_create (). */
CkBackupInfo *
_ck_backup_verify (const char        *backup_file,
                   CkBackupProgress  *progress,
                   GError           **error)
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
  CkBackupProgress progress = { progress_func, progress_data, 0, 0 };
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
      _ck_backup_io_error (errno, parent, error);
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
          _ck_backup_io_error (errno, info->moved_aside, error);
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
      _ck_backup_io_error (saved, target, error);
      left_as_it_was (error, target);
      return NULL;
    }
  if (!_ck_backup_fsync_path (parent, TRUE, error))
    return NULL;

  return g_steal_pointer (&info);
}
