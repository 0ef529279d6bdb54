/* ck-store-recovery.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Recovery on open: what a crash left behind.
 *
 * Every file a save or a purge is about to write or delete has a row in
 * the journal (pending_files, schema 6) from before it is touched until
 * the transaction that settles it. So recovery reads the journal, and
 * touches only the files it names — nothing when it is empty, whatever
 * the store holds:
 *
 *   'write', no consent row   the save died before its commit: the .tmp
 *                             is removed, a PDF in place is moved to
 *                             quarantine/ (kept, not deleted), and a
 *                             "recovery" event says so;
 *   'write', a consent row    cannot happen (one transaction adds the row
 *                             and drops the journal's); the row stays;
 *   'delete'                  a purge committed and died before deleting
 *                             its files: recovery deletes them, as the
 *                             purge meant to, and logs each;
 *   'append'                  a PDF revision died before its event was
 *                             committed: the file is cut back to the size
 *                             the row records, and that is logged
 *                             (ck-store-revision.c).
 *
 * A PDF no journal row names is never touched here: if its row is gone,
 * it was lost after its save finished (a database restored from an older
 * copy), and `consentctl check` reports it, loudly, until staff act.
 *
 * A store upgraded from before the journal gets the old full walk once,
 * on the open that migrates it (recover_by_scan ()). The files lock is
 * held exclusive throughout: saves and purges in flight hold it shared. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>

#include "ck-store-impl-private.h"

/* --- recovery ------------------------------------------------------------------ */

static GHashTable *
known_uuids (CkStore  *self,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT uuid FROM consents", error);
  GHashTable *uuids;
  int rc;

  if (stmt == NULL)
    return NULL;

  uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (uuids, _ck_store_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      g_hash_table_unref (uuids);
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return uuids;
}

/* Calls @visit for each file under pdf/YYYY/MM/. */
void
_ck_store_walk_pdfs (CkStore           *self,
                     CkStorePdfVisitor  visit,
                     gpointer           user_data)
{
  g_autofree char *root = g_build_filename (self->data_dir, "pdf", NULL);
  g_autoptr(GDir) years = g_dir_open (root, 0, NULL);
  const char *year;

  while (years && (year = g_dir_read_name (years)))
    {
      g_autofree char *year_path = g_build_filename (root, year, NULL);
      g_autoptr(GDir) months = g_file_test (year_path, G_FILE_TEST_IS_SYMLINK) ? NULL
                                                                               : g_dir_open (year_path, 0, NULL);
      const char *month;

      while (months && (month = g_dir_read_name (months)))
        {
          g_autofree char *month_path = g_build_filename (year_path, month, NULL);
          g_autoptr(GDir) files = g_file_test (month_path, G_FILE_TEST_IS_SYMLINK) ? NULL
                                                                                   : g_dir_open (month_path, 0, NULL);
          const char *name;

          while (files && (name = g_dir_read_name (files)))
            {
              g_autofree char *relative = g_build_filename ("pdf", year, month, name, NULL);
              g_autofree char *path = g_build_filename (month_path, name, NULL);

              /* Nothing is followed: a link is check's to report. */
              if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
                visit (self, relative, name, user_data);
            }
        }
    }
}

typedef struct
{
  GHashTable *uuids;
  GPtrArray *orphans;
} RecoveryScan;

static void
recovery_visit (CkStore    *self,
                const char *relative,
                const char *name,
                gpointer    user_data)
{
  RecoveryScan *scan = user_data;
  g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);

  if (g_str_has_suffix (name, ".pdf.tmp"))
    {
      if (g_unlink (path) == 0)
        self->recovery.tmp_removed++;
      return;
    }

  if (g_str_has_suffix (name, ".pdf"))
    {
      g_autofree char *uuid = g_strndup (name, strlen (name) - 4);

      if (!g_hash_table_contains (scan->uuids, uuid))
        g_ptr_array_add (scan->orphans, g_strdup (relative));
    }
}

/* The PDF paths every purge removed. */
static GHashTable *
purged_paths (CkStore  *self,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT detail FROM events WHERE kind = 'purge'", error);
  GHashTable *paths;
  int rc;

  if (stmt == NULL)
    return NULL;

  paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _ck_store_collect_purged ((const char *)sqlite3_column_text (stmt, 0), NULL, paths);

  if (rc != SQLITE_DONE)
    {
      g_hash_table_unref (paths);
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return paths;
}

static gboolean
log_recovery (CkStore     *self,
              const char  *detail,
              GError     **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);

  event->kind = g_strdup ("recovery");
  event->detail = g_strdup (detail);
  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_ck_store_insert_event (self, event, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return _ck_store_commit (self, error);
}

/* Moves the PDF at @relative (pdf/…) to quarantine/…, and logs it. */
static gboolean
quarantine (CkStore     *self,
            const char  *relative,
            GError     **error)
{
  g_autofree char *from = g_build_filename (self->data_dir, relative, NULL);
  g_autofree char *from_dir = g_path_get_dirname (relative);
  g_autofree char *to_dir = g_strconcat ("quarantine/", from_dir + strlen ("pdf/"), NULL);
  g_autofree char *name = g_path_get_basename (relative);
  g_autofree char *detail = NULL;
  g_auto(CkStoreFd) from_fd = -1;
  g_auto(CkStoreFd) to_fd = -1;

  if ((from_fd = _ck_store_open_dir (self, from_dir, FALSE, error)) < 0 ||
      (to_fd = _ck_store_open_dir (self, to_dir, TRUE, error)) < 0)
    return FALSE;
  if (renameat (from_fd, name, to_fd, name) != 0)
    return _ck_store_io_error (errno, from, error);
  detail = _ck_store_detail_new ("quarantined", relative, NULL);
  if (!log_recovery (self, detail, error))
    return FALSE;
  g_ptr_array_add (self->recovery.quarantined, g_strdup (relative));

  return TRUE;
}

/* Deletes the PDF at @relative that a purge removed the row of, and logs
 * it: retention means the personal data goes. */
static gboolean
delete_purged (CkStore     *self,
               const char  *relative,
               GError     **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (relative);
  g_autofree char *name = g_path_get_basename (relative);
  g_autofree char *detail = NULL;
  g_auto(CkStoreFd) dir_fd = -1;

  if ((dir_fd = _ck_store_open_dir (self, dir, FALSE, error)) < 0)
    return FALSE;
  if (unlinkat (dir_fd, name, 0) != 0)
    return _ck_store_io_error (errno, path, error);
  detail = _ck_store_detail_new ("deleted_purged", relative, NULL);
  if (!log_recovery (self, detail, error))
    return FALSE;
  self->recovery.purged_removed++;

  return TRUE;
}

static gboolean
consent_has_pdf (CkStore     *self,
                 const char  *uuid,
                 const char  *relative,
                 gboolean    *has,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT 1 FROM consents WHERE uuid = ? "
                                                          "AND pdf_path = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, uuid);
  _ck_store_bind_text (stmt, 2, relative);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  *has = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean recover_by_scan (CkStore  *self,
                                 GError  **error);

/* Settles every row of the journal; see the top of this file. */
static gboolean
recover_journal (CkStore  *self,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!(stmt = _ck_store_prepare (self, self->schema_version >= 8
                                        ? "SELECT path, action, consent_uuid, size FROM pending_files ORDER BY rowid"
                                        : "SELECT path, action, consent_uuid, NULL FROM pending_files ORDER BY rowid",
                                  error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 size = sqlite3_column_type (stmt, 3) == SQLITE_INTEGER ? sqlite3_column_int64 (stmt, 3) : -1;

      g_ptr_array_add (paths, _ck_store_column_text (stmt, 0));
      g_ptr_array_add (actions, _ck_store_column_text (stmt, 1));
      g_ptr_array_add (uuids, _ck_store_column_text (stmt, 2));
      g_array_append_val (sizes, size);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *relative = paths->pdata[i];
      g_autofree char *dir = g_path_get_dirname (relative);
      g_autofree char *name = g_path_get_basename (relative);
      g_autofree char *tmp = g_strconcat (name, ".tmp", NULL);
      g_auto(CkStoreFd) dir_fd = -1;
      gboolean exists = FALSE;
      struct stat st;

      /* Not a path a save or purge writes, or its folder gone or not a
       * folder of the store: no file of it is touched. */
      if (g_str_has_prefix (relative, "pdf/") && strstr (relative, "..") == NULL)
        {
          g_autoptr(GError) dir_error = NULL;

          if ((dir_fd = _ck_store_open_dir (self, dir, FALSE, &dir_error)) < 0 &&
              !g_error_matches (dir_error, CK_STORE_ERROR, CK_STORE_ERROR_IO))
            {
              g_propagate_error (error, g_steal_pointer (&dir_error));
              return FALSE;
            }
          exists = dir_fd >= 0 && fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        }

      if (dir_fd >= 0 && g_strcmp0 (actions->pdata[i], "write") == 0)
        {
          gboolean recorded = FALSE;

          if (unlinkat (dir_fd, tmp, 0) == 0)
            self->recovery.tmp_removed++;
          if (!consent_has_pdf (self, uuids->pdata[i], relative, &recorded, error))
            return FALSE;
          if (exists && !recorded && !quarantine (self, relative, error))
            return FALSE;
        }
      else if (dir_fd >= 0 && g_strcmp0 (actions->pdata[i], "delete") == 0)
        {
          if (exists && !delete_purged (self, relative, error))
            return FALSE;
        }
      else if (dir_fd >= 0 && g_strcmp0 (actions->pdata[i], "append") == 0)
        {
          if (exists && !_ck_store_recover_append (self, dir_fd, name, relative, uuids->pdata[i],
                                                   g_array_index (sizes, gint64, i), error))
            return FALSE;
        }

      if (!_ck_store_exec_for_uuid (self, "DELETE FROM pending_files WHERE path = ?", relative, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * _ck_store_recover:
 *
 * Cleans up after a crash; see the top of this file.
 *
 * Returns: %TRUE unless the database or a file operation failed
 */
gboolean
_ck_store_recover (CkStore  *self,
                   GError  **error)
{
  g_auto(CkStoreFilesLock) lock = -1;

  if (!_ck_store_files_lock (self, LOCK_EX, &lock, error))
    return FALSE;

  /* Upgraded from before the journal: the old walk, once. */
  if (self->opened_version > 0 && self->opened_version < 6 && !recover_by_scan (self, error))
    return FALSE;

  if (!recover_journal (self, error))
    return FALSE;

  if (self->recovery.tmp_removed || self->recovery.quarantined->len ||
      self->recovery.missing_pdfs->len || self->recovery.purged_removed || self->recovery.revisions_undone)
    g_message ("Recovery in %s: %u unfinished file(s) removed, %u PDF(s) without a record "
               "quarantined, %u purged PDF(s) deleted, %u record(s) without a PDF, "
               "%u unfinished PDF revision(s) undone",
               self->data_dir, self->recovery.tmp_removed, self->recovery.quarantined->len,
               self->recovery.purged_removed, self->recovery.missing_pdfs->len,
               self->recovery.revisions_undone);

  return TRUE;
}

/* The walk over every PDF and every row that recovery was before the
 * journal, for a store that a version without it may have left. */
static gboolean
recover_by_scan (CkStore  *self,
                 GError  **error)
{
  g_autoptr(GHashTable) purged = NULL;
  g_autoptr(GHashTable) uuids = NULL;
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RecoveryScan scan;
  int rc;

  if (!(uuids = known_uuids (self, error)) || !(purged = purged_paths (self, error)))
    return FALSE;

  scan.uuids = uuids;
  scan.orphans = orphans;
  _ck_store_walk_pdfs (self, recovery_visit, &scan);

  /* A PDF without a row: a save that died before its commit — keep it,
   * out of the way — or a purge that died before deleting its files —
   * finish the purge: retention means the personal data goes. Either way
   * the log says so. */
  for (guint i = 0; i < orphans->len; i++)
    {
      const char *relative = orphans->pdata[i];

      if (g_hash_table_contains (purged, relative) ? !delete_purged (self, relative, error)
                                                   : !quarantine (self, relative, error))
        return FALSE;
    }

  /* A row whose PDF is gone cannot be mended here: report it. */
  if (!(stmt = _ck_store_prepare (self, "SELECT uuid, pdf_path FROM consents", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *path = g_build_filename (self->data_dir,
                                                (const char *)sqlite3_column_text (stmt, 1), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (self->recovery.missing_pdfs, _ck_store_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}
