/* ck-store-backup.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What backups and restores (ck-backup.c) ask of the store, so that no
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

/* One column as the schema declares it. */
typedef struct
{
  char *name;
  char *type;     /* INTEGER, TEXT or BLOB */
  gboolean not_null;
} Column;

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_free (column->type);
  g_free (column);
}

/* A schema: every object by name ("type tbl_name"), and every table's
 * columns, in order. */
typedef struct
{
  GHashTable *objects;   /* name → "type tbl_name" */
  GPtrArray *tables;     /* table names, in the order they were created */
  GHashTable *columns;   /* table name → GPtrArray of Column */
} Schema;

static void
schema_clear (Schema *schema)
{
  g_clear_pointer (&schema->objects, g_hash_table_unref);
  g_clear_pointer (&schema->tables, g_ptr_array_unref);
  g_clear_pointer (&schema->columns, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Schema, schema_clear)

static gboolean
is_foreign (const char         *table,
            const char * const *foreign_tables)
{
  return foreign_tables && table && g_strv_contains (foreign_tables, table);
}

/* "name" with its quotes doubled, for SQL. */
static char *
quote (const char *name)
{
  g_autoptr(GString) quoted = g_string_new (name);

  g_string_replace (quoted, "\"", "\"\"", 0);
  g_string_prepend_c (quoted, '"');
  g_string_append_c (quoted, '"');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* Reads the schema of @db, leaving out the objects of @foreign_tables. */
static int
read_schema (sqlite3            *db,
             const char * const *foreign_tables,
             Schema             *schema)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  schema->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->tables = g_ptr_array_new_with_free_func (g_free);
  schema->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);

  if ((rc = sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name FROM sqlite_schema ORDER BY rowid",
                                -1, &stmt, NULL)) != SQLITE_OK)
    return rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *)sqlite3_column_text (stmt, 0);
      const char *name = (const char *)sqlite3_column_text (stmt, 1);
      const char *table = (const char *)sqlite3_column_text (stmt, 2);

      if (type == NULL || name == NULL || table == NULL)
        return SQLITE_CORRUPT;
      g_hash_table_insert (schema->objects, g_strdup (name), g_strdup_printf ("%s %s", type, table));
      if (g_str_equal (type, "table") && !is_foreign (name, foreign_tables))
        g_ptr_array_add (schema->tables, g_strdup (name));
    }
  if (rc != SQLITE_DONE)
    return rc;

  for (guint i = 0; i < schema->tables->len; i++)
    {
      const char *table = schema->tables->pdata[i];
      g_autoptr(sqlite3_stmt) info = NULL;
      char *sql;
      GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);

      g_hash_table_insert (schema->columns, g_strdup (table), columns);
      /* table_xinfo: hidden and generated columns too. */
      sql = sqlite3_mprintf ("SELECT name, type, \"notnull\", hidden FROM pragma_table_xinfo (%Q)", table);
      rc = sqlite3_prepare_v2 (db, sql, -1, &info, NULL);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        return rc;
      while ((rc = sqlite3_step (info)) == SQLITE_ROW)
        {
          Column *column = g_new0 (Column, 1);

          column->name = g_strdup ((const char *)sqlite3_column_text (info, 0));
          column->type = g_ascii_strup ((const char *)sqlite3_column_text (info, 1) ?: "", -1);
          column->not_null = sqlite3_column_int (info, 2) != 0;
          if (sqlite3_column_int (info, 3) != 0)
            {
              /* A generated or hidden column: no schema of ours has one. */
              g_free (column->type);
              column->type = g_strdup ("GENERATED");
            }
          g_ptr_array_add (columns, column);
        }
      if (rc != SQLITE_DONE)
        return rc;
    }

  return SQLITE_OK;
}

static gboolean
same_columns (GPtrArray *a,
              GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const Column *x = a->pdata[i], *y = b->pdata[i];

      if (g_strcmp0 (x->name, y->name) != 0 || g_strcmp0 (x->type, y->type) != 0 ||
          x->not_null != y->not_null)
        return FALSE;
    }

  return TRUE;
}

/* The schema this version builds at @version, read back. */
static gboolean
expected_schema (int          version,
                 Schema      *schema,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc = _ck_store_open_connection (":memory:", SQLITE_OPEN_READWRITE, &db);

  if (rc == SQLITE_OK)
    rc = _ck_store_create_schema (db, version);
  if (rc == SQLITE_OK)
    rc = read_schema (db, NULL, schema);
  if (rc != SQLITE_OK)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO,
                 "The schema of version %d cannot be built: %s", version,
                 db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_close (db);

  return rc == SQLITE_OK;
}

static gboolean
refuse (const char  *db_path,
        const char  *what,
        GError     **error)
{
  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
               _("The consent database in %s is not one Consent Kiosk wrote: %s. Nothing from it "
                 "was used."),
               db_path, what);
  return FALSE;
}

/* Whether @db's schema is exactly what this version builds at @version,
 * but for @foreign_tables (plain tables, with no more than the indexes
 * SQLite makes for their own constraints). */
static gboolean
verify_schema (CkStore             *self,
               int                  version,
               const char * const  *foreign_tables,
               GError             **error)
{
  g_auto(Schema) want = { 0 };
  g_auto(Schema) have = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  if (!expected_schema (version, &want, error))
    return FALSE;
  if ((rc = read_schema (self->db, foreign_tables, &have)) != SQLITE_OK)
    return _ck_store_sql_error (self, rc, error);

  g_hash_table_iter_init (&iter, have.objects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key, *what = value;
      const char *wanted = g_hash_table_lookup (want.objects, name);
      const char *table = strchr (what, ' ') + 1;

      if (is_foreign (table, foreign_tables))
        {
          /* The caller's own tables: plain tables, and the indexes SQLite
           * makes for their PRIMARY KEY or UNIQUE constraints. */
          if (g_str_has_prefix (what, "table ") ||
              (g_str_has_prefix (what, "index ") && g_str_has_prefix (name, "sqlite_autoindex_")))
            continue;
        }
      else if (g_strcmp0 (wanted, what) == 0)
        continue;

      {
        g_autofree char *type = g_strndup (what, table - what - 1);
        g_autofree char *message = g_strdup_printf (_("it holds a %s “%s”, which Consent Kiosk "
                                                      "does not create"), type, name);

        return refuse (self->db_path, message, error);
      }
    }

  for (guint i = 0; i < want.tables->len; i++)
    {
      const char *table = want.tables->pdata[i];

      if (!g_hash_table_contains (have.columns, table))
        {
          g_autofree char *message = g_strdup_printf (_("the table “%s” is missing"), table);

          return refuse (self->db_path, message, error);
        }
      if (!same_columns (g_hash_table_lookup (want.columns, table),
                         g_hash_table_lookup (have.columns, table)))
        {
          g_autofree char *message = g_strdup_printf (_("the table “%s” has other columns than "
                                                        "Consent Kiosk gives it"), table);

          return refuse (self->db_path, message, error);
        }
    }

  /* Indexes this version makes that are missing would only be slow; a
   * missing table was refused above. */
  return TRUE;
}

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
      refuse (self->db_path, _("it has no schema version"), error);
      return NULL;
    }
  if (!verify_schema (self, version, foreign_tables, error))
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
 * A page of the consents' PDFs as their rows record them, in seq order.
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

  stmt = _ck_store_prepare (self, "SELECT seq, uuid, pdf_path, pdf_sha256, pdf_size FROM consents "
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
      g_ptr_array_add (page, pdf);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&page);
}

/* Whether @value may be stored in @column: of the type the column
 * declares (NULL only where allowed), text valid UTF-8 without NUL. */
static gboolean
value_fits (sqlite3_value *value,
            const Column  *column)
{
  switch (sqlite3_value_type (value))
    {
    case SQLITE_NULL:
      return !column->not_null;
    case SQLITE_INTEGER:
      return g_str_equal (column->type, "INTEGER");
    case SQLITE_TEXT:
      {
        const char *text = (const char *)sqlite3_value_text (value);
        int len = sqlite3_value_bytes (value);

        return g_str_equal (column->type, "TEXT") && text && (int)strlen (text) == len &&
               g_utf8_validate (text, len, NULL);
      }
    case SQLITE_BLOB:
      return g_str_equal (column->type, "BLOB");
    case SQLITE_FLOAT:
    default:
      return FALSE;
    }
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
  g_autofree char *quoted = quote (table);
  g_autofree char *select_sql = NULL;
  g_autofree char *delete_sql = NULL;
  gint64 row = 0;
  int rc;

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *column = quote (((Column *)columns->pdata[i])->name);

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
          const Column *column = columns->pdata[i];

          if (!value_fits (value, column))
            {
              g_autofree char *message = NULL;
              g_autofree char *row_text = g_strdup_printf ("%" G_GINT64_FORMAT, row);

              message = g_strdup_printf (_("row %s of the table “%s” holds a value of another type "
                                           "than its column “%s” (%s)"),
                                         row_text, table, column->name, column->type);
              return refuse (self->db_path, message, error);
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
  g_auto(Schema) schema = { 0 };
  sqlite3 *dst = NULL;
  int fd, rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!expected_schema (self->schema_version, &schema, error))
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
