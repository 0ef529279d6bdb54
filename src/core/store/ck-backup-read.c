/* ck-backup-read.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opening a backup file and checking it, as a file from anywhere: that it
 * is an SQLite database and whole, its manifest (magic and versions), the
 * store in it (a schema this version builds and nothing else, proved by
 * ck-store-backup.c), and its contents against the manifest: counts, the
 * chain's head, every file's path, size and hash, every consent's PDF.
 * Nothing in the file is ever run. */

#define G_LOG_DOMAIN "ck-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "ck-backup-private.h"

#define SQLITE_MAGIC "SQLite format 3"   /* and a NUL: the first 16 bytes */

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
      _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
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
                CkBackupProgress    *progress,
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
    return _ck_backup_damaged (backup_file, local_error->message, error);

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
    return _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
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
        _ck_backup_report (progress, (guint64)found->files);
    }
  if (rc != SQLITE_DONE)
    return _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
  if (found->files != manifest->files || found->file_bytes != manifest->file_bytes)
    {
      g_set_error (error, CK_BACKUP_ERROR, CK_BACKUP_ERROR_DAMAGED,
                   _("The backup %s does not match its manifest (%s): it was changed or is "
                     "incomplete. Nothing was changed."),
                   backup_file, "files");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _ck_backup_step_done (progress, (guint64)found->files);

  /* Every consent has its PDF, the one it recorded. */
  if (sqlite3_prepare_v2 (db, "SELECT sha256 FROM ck_backup_files WHERE path = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    return _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
  for (;;)
    {
      g_autoptr(GPtrArray) page = ck_store_list_pdfs (contents, after, PAGE_SIZE, &local_error);

      if (page == NULL)
        return _ck_backup_damaged (backup_file, local_error->message, error);
      if (page->len == 0)
        return TRUE;

      for (guint i = 0; i < page->len; i++)
        {
          const CkStorePdf *pdf = page->pdata[i];

          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, pdf->path, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
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
CkBackupInfo *
_ck_backup_open (const char        *backup_file,
                 sqlite3          **db_out,
                 CkStore          **contents_out,
                 CkBackupProgress  *progress,
                 GError           **error)
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
      _ck_backup_damaged (backup_file, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc), error);
      return NULL;
    }
  _ck_backup_configure_db (db);

  /* A truncated file opens, but its pages are missing. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _ck_backup_damaged (backup_file, sqlite3_errmsg (db), error);
      return NULL;
    }
  verdict = (const char *)sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (verdict, "ok") != 0)
    {
      _ck_backup_damaged (backup_file, verdict ? verdict : "", error);
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
      _ck_backup_report (progress, 0);
    }

  /* The store in it: a schema this version builds and nothing else, then
   * its contents against the manifest. */
  if (!(contents = ck_store_open_database (backup_file, backup_tables, &local_error)))
    {
      _ck_backup_damaged (backup_file, local_error->message, error);
      return NULL;
    }
  if (!check_contents (db, contents, backup_file, info, progress, error))
    return NULL;

  *db_out = g_steal_pointer (&db);
  *contents_out = g_steal_pointer (&contents);
  return g_steal_pointer (&info);
}
