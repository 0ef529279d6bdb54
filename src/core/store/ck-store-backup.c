/* ck-store-backup.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What backups and restores (ck-backup*.c) ask of the store, so that no
 * other file runs SQL on the store's tables:
 *
 *   - a consistent copy of the live database (SQLite's online backup API);
 *   - a store database outside a data directory (a backup file) opened
 *     read-only, after proving that its schema is one this version builds:
 *     the same tables with the same columns and the same indexes, and
 *     nothing else — no trigger, no view, no table of unknown purpose but
 *     the caller's own;
 *   - its summary (counts and the chain's head) and its PDFs, a page at a
 *     time;
 *   - a new database written from it: the schema from this version's own
 *     migrations, never from SQL text found in the file, and the rows of
 *     the known tables only, each value of the type its column declares.
 *
 * A database from outside is never trusted to run anything: its schema is
 * compared, not executed. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "ck-store-impl-private.h"

/**
 * ck_store_open_database:
 * @db_path: a store's database outside a data directory (a backup)
 * @foreign_tables: (nullable) (array zero-terminated=1): tables of the
 *   caller's own that the file may hold besides the store's
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Opens @db_path read-only, once its schema proves to be one this version
 * builds (ck-store-backup.c). Reading works as on any store; there are no
 * PDFs beside it.
 *
 * Returns: (transfer full) (nullable): the store
 */
CkStore *
ck_store_open_database (const char         *db_path,
                        const char * const *foreign_tables,
                        GError            **error)
{
  g_autoptr(CkStore) self = g_object_new (CK_TYPE_STORE, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc, version;

  g_return_val_if_fail (db_path != NULL, NULL);

  self->db_path = g_canonicalize_filename (db_path, NULL);
  self->data_dir = g_path_get_dirname (self->db_path);
  self->read_only = TRUE;

  if ((rc = _ck_store_open_connection (self->db_path, SQLITE_OPEN_READONLY, &self->db)) != SQLITE_OK)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  if (!(stmt = _ck_store_prepare (self, "PRAGMA user_version", error)))
    return NULL;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }
  version = sqlite3_column_int (stmt, 0);
  if (version > CK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA,
                   _("The consent database %s was written by a newer Consent Kiosk "
                     "(schema %d; this one knows up to %d). Nothing was changed; "
                     "update this kiosk."),
                   self->db_path, version, CK_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (version < 1)
    {
      _ck_store_refuse_database (self->db_path, _("it has no schema version"), error);
      return NULL;
    }
  if (!_ck_store_verify_schema (self, version, foreign_tables, error))
    return NULL;

  self->schema_version = version;
  return g_steal_pointer (&self);
}

/**
 * ck_store_copy_database:
 * @self: a #CkStore
 * @path: a new file (0600, created here; it must not exist)
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Copies the database with SQLite's online backup API: one read
 * transaction, so a consistent snapshot while other processes go on
 * saving. The copy is a single file (no WAL), synchronous=FULL; the
 * caller syncs it.
 *
 * Returns: %TRUE when the copy is complete
 */
gboolean
ck_store_copy_database (CkStore     *self,
                        const char  *path,
                        GError     **error)
{
  sqlite3_backup *backup;
  sqlite3 *dst = NULL;
  int fd, rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if ((fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
    return _ck_store_io_error (errno, path, error);
  close (fd);

  if ((rc = _ck_store_open_connection (path, SQLITE_OPEN_READWRITE, &dst)) != SQLITE_OK)
    goto out;

  if (!(backup = sqlite3_backup_init (dst, "main", self->db, "main")))
    {
      rc = sqlite3_errcode (dst);
      goto out;
    }
  for (guint tries = 0; ; tries++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if (((rc & 0xFF) != SQLITE_BUSY && (rc & 0xFF) != SQLITE_LOCKED) || tries == 1000)
        break;
      g_usleep (10 * 1000);
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    goto out;

  /* The copy carries the live database's WAL flag: make it one file. */
  if ((rc = sqlite3_exec (dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)) == SQLITE_OK)
    rc = sqlite3_exec (dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL);

out:
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    {
      if ((rc & 0xFF) == SQLITE_FULL)
        _ck_store_io_error (ENOSPC, path, error);
      else
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO, _("The database %s failed: %s."),
                     path, dst ? sqlite3_errmsg (dst) : sqlite3_errstr (rc));
      sqlite3_close (dst);
      return FALSE;
    }

  return sqlite3_close (dst) == SQLITE_OK;
}

/**
 * ck_store_summary_clear:
 */
void
ck_store_summary_clear (CkStoreSummary *summary)
{
  g_clear_pointer (&summary->chain_head, g_free);
}

static gint64
count_rows (CkStore     *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _ck_store_sql_error (self, rc, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * ck_store_get_summary:
 * @self: a #CkStore
 * @summary: (out caller-allocates): filled in; clear it with
 *   ck_store_summary_clear()
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Counts what the store holds, and reads the chain's head, in one read
 * transaction.
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_get_summary (CkStore         *self,
                      CkStoreSummary  *summary,
                      GError         **error)
{
  g_autofree char *head = NULL;
  gboolean ok;
  gint64 seq = 0;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  memset (summary, 0, sizeof *summary);
  if (!_ck_store_exec (self, "BEGIN", error))
    return FALSE;

  summary->schema_version = self->schema_version;
  ok = (summary->consents = count_rows (self, "SELECT count (*) FROM consents", error)) >= 0 &&
       (summary->events = count_rows (self, "SELECT count (*) FROM events", error)) >= 0 &&
       (self->schema_version < 3 ||
        (summary->attempts = count_rows (self, "SELECT count (*) FROM attempts", error)) >= 0) &&
       _ck_store_chain_head (self, &seq, &head, error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (!ok)
    return FALSE;

  summary->chain_seq = seq;
  summary->chain_head = g_steal_pointer (&head);
  return TRUE;
}

void
ck_store_pdf_free (CkStorePdf *pdf)
{
  if (pdf == NULL)
    return;

  g_free (pdf->uuid);
  g_free (pdf->path);
  g_free (pdf->sha256);
  g_free (pdf);
}

/**
 * ck_store_list_pdfs:
 * @self: a #CkStore
 * @after_seq: list consents after this seq (0 for the first page)
 * @max: at most this many
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * A page of the consents' PDFs as the store records them, in seq order:
 * the current revision's SHA-256 and size, which for a PDF that had
 * revisions appended (a seal, a document timestamp) are those of the
 * latest 'pdf-revision' event rather than the row's.
 * Each page is its own statement: a caller may write elsewhere between
 * pages, into the same file too.
 *
 * Returns: (transfer full) (element-type CkStorePdf): the page; empty
 *   after the last
 */
GPtrArray *
ck_store_list_pdfs (CkStore  *self,
                    gint64    after_seq,
                    guint     max,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_store_pdf_free);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  /* A PDF with revisions (schema 8) is its latest revision. */
  stmt = _ck_store_prepare (self, self->schema_version >= 8
                                  ? "SELECT c.seq, c.uuid, c.pdf_path, c.pdf_sha256, c.pdf_size, "
                                    "(SELECT e.detail FROM events e WHERE e.consent_uuid = c.uuid "
                                    " AND e.kind = 'pdf-revision' ORDER BY e.seq DESC LIMIT 1) "
                                    "FROM consents c WHERE c.seq > ? ORDER BY c.seq LIMIT ?"
                                  : "SELECT seq, uuid, pdf_path, pdf_sha256, pdf_size, NULL FROM consents "
                                    "WHERE seq > ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int (stmt, 2, (int)MIN (max, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkStorePdf *pdf = g_new0 (CkStorePdf, 1);

      pdf->seq = sqlite3_column_int64 (stmt, 0);
      pdf->uuid = _ck_store_column_text (stmt, 1);
      pdf->path = _ck_store_column_text (stmt, 2);
      pdf->sha256 = _ck_store_column_text (stmt, 3);
      pdf->size = sqlite3_column_int64 (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          g_auto(CkStoreRevision) revision = { 0 };

          /* A revision record that does not read as one: no file can
           * match it, and the backup says so. */
          if (_ck_store_detail_read_revision ((const char *)sqlite3_column_text (stmt, 5), &revision))
            {
              g_free (pdf->sha256);
              pdf->sha256 = g_steal_pointer (&revision.sha256);
              pdf->size = revision.size;
            }
          else
            {
              g_free (pdf->sha256);
              pdf->sha256 = g_strdup ("damaged revision record");
            }
        }
      g_ptr_array_add (page, pdf);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&page);
}

/* Copies the rows of @table from @self into @dst, checking each value. */
static gboolean
copy_table (CkStore     *self,
            sqlite3     *dst,
            const char  *dst_path,
            const char  *table,
            GPtrArray   *columns,
            GError     **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) insert_sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *quoted = _ck_store_quote (table);
  g_autofree char *select_sql = NULL;
  g_autofree char *delete_sql = NULL;
  gint64 row = 0;
  int rc;

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *column = _ck_store_quote (((CkStoreColumn *)columns->pdata[i])->name);

      g_string_append_printf (names, "%s%s", i ? ", " : "", column);
    }
  select_sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY rowid", names->str, quoted);
  g_string_printf (insert_sql, "INSERT INTO %s (%s) VALUES (", quoted, names->str);
  for (guint i = 0; i < columns->len; i++)
    g_string_append (insert_sql, i ? ", ?" : "?");
  g_string_append_c (insert_sql, ')');

  /* What the migrations inserted (the chain's genesis row) makes way for
   * the rows copied. */
  delete_sql = g_strdup_printf ("DELETE FROM %s", quoted);
  if ((rc = sqlite3_exec (dst, delete_sql, NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (dst, insert_sql->str, -1, &insert, NULL)) != SQLITE_OK)
    goto failed;
  if (!(select = _ck_store_prepare (self, select_sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      row++;
      sqlite3_reset (insert);
      for (guint i = 0; i < columns->len; i++)
        {
          sqlite3_value *value = sqlite3_column_value (select, (int)i);
          const CkStoreColumn *column = columns->pdata[i];

          if (!_ck_store_value_fits (value, column))
            {
              g_autofree char *message = NULL;
              g_autofree char *row_text = g_strdup_printf ("%" G_GINT64_FORMAT, row);

              message = g_strdup_printf (_("row %s of the table “%s” holds a value of another type "
                                           "than its column “%s” (%s)"),
                                         row_text, table, column->name, column->type);
              return _ck_store_refuse_database (self->db_path, message, error);
            }
          sqlite3_bind_value (insert, (int)i + 1, value);
        }
      if ((rc = sqlite3_step (insert)) != SQLITE_DONE)
        goto failed;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;

failed:
  if ((rc & 0xFF) == SQLITE_FULL)
    return _ck_store_io_error (ENOSPC, dst_path, error);
  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO, _("The database %s failed: %s."),
               dst_path, sqlite3_errmsg (dst));
  return FALSE;
}

/**
 * ck_store_write_database:
 * @self: a store opened with ck_store_open_database()
 * @path: the new database (0600, created here; it must not exist)
 * @durable: whether to write it synchronously (a restore) or not (a
 *   trial)
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Writes a new store database with @self's rows: the schema of @self's
 * version built by this version's migrations, then every row of every
 * table of that schema, each value checked against its column's declared
 * type. Nothing else of @self is copied. Opening the result with
 * ck_store_open() migrates it forward.
 *
 * Returns: %TRUE when @path is complete
 */
gboolean
ck_store_write_database (CkStore     *self,
                         const char  *path,
                         gboolean     durable,
                         GError     **error)
{
  g_auto(CkStoreSchema) schema = { 0 };
  sqlite3 *dst = NULL;
  int fd, rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!_ck_store_expected_schema (self->schema_version, &schema, error))
    return FALSE;

  if ((fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
    return _ck_store_io_error (errno, path, error);
  close (fd);

  if ((rc = _ck_store_open_connection (path, SQLITE_OPEN_READWRITE, &dst)) != SQLITE_OK ||
      (rc = sqlite3_exec (dst, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF",
                          NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = sqlite3_exec (dst, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = _ck_store_create_schema (dst, self->schema_version)) != SQLITE_OK)
    {
      g_set_error (error, CK_STORE_ERROR, (rc & 0xFF) == SQLITE_FULL ? CK_STORE_ERROR_DISK_FULL
                                                                     : CK_STORE_ERROR_IO,
                   _("The database %s failed: %s."), path, dst ? sqlite3_errmsg (dst) : sqlite3_errstr (rc));
      sqlite3_close (dst);
      return FALSE;
    }

  /* Read the source in one transaction: a consistent whole. */
  if (!_ck_store_exec (self, "BEGIN", error))
    {
      sqlite3_close (dst);
      return FALSE;
    }
  for (guint i = 0; i < schema.tables->len; i++)
    {
      const char *table = schema.tables->pdata[i];

      if (!copy_table (self, dst, path, table, g_hash_table_lookup (schema.columns, table), error))
        {
          sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
          sqlite3_close (dst);
          return FALSE;
        }
    }
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if ((rc = sqlite3_exec (dst, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
    {
      if ((rc & 0xFF) == SQLITE_FULL)
        _ck_store_io_error (ENOSPC, path, error);
      else
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO, _("The database %s failed: %s."),
                     path, sqlite3_errmsg (dst));
      sqlite3_close (dst);
      return FALSE;
    }

  return sqlite3_close (dst) == SQLITE_OK;
}
