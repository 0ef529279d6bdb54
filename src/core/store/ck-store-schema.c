/* ck-store-schema.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The store's schema: one migration a version, applied forward. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ck-store-impl-private.h"

/* Each entry takes the schema from version i to i + 1. Never edit one
 * that has shipped: add a new one. */
static const char * const migrations[] = {
  /* 0 → 1: consents, the event log, the head of the hash chain. */
  "CREATE TABLE consents ("
  "  seq INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  id_number TEXT NOT NULL,"
  "  sign_date TEXT NOT NULL,"
  "  org_name TEXT NOT NULL,"
  "  org_business TEXT NOT NULL,"
  "  org_purpose TEXT NOT NULL,"
  "  template_sha256 TEXT NOT NULL,"
  "  pdf_path TEXT NOT NULL,"
  "  pdf_sha256 TEXT NOT NULL,"
  "  pdf_size INTEGER NOT NULL,"
  "  signature BLOB NOT NULL,"
  "  kiosk_id TEXT NOT NULL,"
  "  operator TEXT,"
  "  demo INTEGER NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  row_hash TEXT NOT NULL UNIQUE);"
  "CREATE INDEX consents_name ON consents (name);"
  "CREATE INDEX consents_sign_date ON consents (sign_date);"
  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  consent_uuid TEXT,"
  "  operator TEXT,"
  "  detail TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  row_hash TEXT NOT NULL UNIQUE);"
  "CREATE INDEX events_consent ON events (consent_uuid);"
  "CREATE TABLE chain ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq INTEGER NOT NULL,"
  "  hash TEXT NOT NULL);"
  "INSERT INTO chain VALUES (1, 0, '" GENESIS_HASH "');",

  /* 1 → 2: search by the final characters of an ID number through an index. */
  "ALTER TABLE consents ADD COLUMN id_reversed TEXT;"
  "UPDATE consents SET id_reversed = ck_reverse (id_number);"
  "CREATE INDEX consents_id_reversed ON consents (id_reversed);",

  /* 2 → 3: verification attempts, and the queue of consents to verify.
   * Consents stored before have no attempt and are not queued: nothing
   * starts paid calls for them unless staff asks. */
  "CREATE TABLE attempts ("
  "  id INTEGER PRIMARY KEY,"
  "  consent_uuid TEXT NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  started_ms INTEGER NOT NULL,"
  "  started_at TEXT NOT NULL,"
  "  duration_ms INTEGER NOT NULL,"
  "  provider TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  http_status INTEGER NOT NULL,"
  "  provider_status TEXT,"
  "  provider_message TEXT,"
  "  request_id TEXT,"
  "  error_code TEXT,"
  "  error_message TEXT,"
  "  detail TEXT,"
  "  body BLOB,"
  "  body_truncated INTEGER NOT NULL,"
  "  demo INTEGER NOT NULL,"
  "  claimed_by TEXT NOT NULL,"
  "  UNIQUE (consent_uuid, number));"
  "CREATE INDEX attempts_outcome ON attempts (outcome);"
  "CREATE TABLE verify_queue ("
  "  consent_uuid TEXT PRIMARY KEY,"
  "  attempts INTEGER NOT NULL,"
  "  due_ms INTEGER NOT NULL);"
  "CREATE INDEX verify_queue_due ON verify_queue (due_ms);",

  /* 3 → 4: each consent's verification status in a small table, kept in
   * the transactions that change it, so that lists filter by state through
   * an index: the last attempt's outcome and number (the state follows
   * from them and [verification] max_attempts) and whether the consent was
   * withdrawn. Computed here from the attempts and the event log, the
   * same way ck_store_check () recomputes it. */
  "CREATE TABLE consent_status ("
  "  seq INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  last_outcome TEXT,"
  "  last_number INTEGER NOT NULL,"
  "  withdrawn INTEGER NOT NULL);"
  "INSERT INTO consent_status (seq, uuid, last_outcome, last_number, withdrawn) "
  "  SELECT seq, uuid, " STATUS_LAST_OUTCOME ", " STATUS_LAST_NUMBER ", " STATUS_WITHDRAWN
  "  FROM consents c;"
  "CREATE INDEX consent_status_state ON consent_status (withdrawn, last_outcome, last_number);",

  /* 4 → 5: the paid calls of purged consents. A purge deletes a consent's
   * attempts; for each one the vendor charged (or may have charged) it
   * keeps a row here, in the same transaction, so that the package's
   * usage does not go down. No consent id, name, ID number or body: only
   * what the vendor's statement is compared with. purge_seq is the purge
   * event whose detail holds the count and SHA-256 of its rows. Stores
   * purged before this version lost those calls already: empty. */
  "CREATE TABLE purged_calls ("
  "  id INTEGER PRIMARY KEY,"
  "  purge_seq INTEGER NOT NULL,"
  "  started_ms INTEGER NOT NULL,"
  "  started_at TEXT NOT NULL,"
  "  provider TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  http_status INTEGER NOT NULL,"
  "  request_id TEXT,"
  "  billed TEXT NOT NULL,"
  "  demo INTEGER NOT NULL);"
  "CREATE INDEX purged_calls_started ON purged_calls (started_at);"
  "CREATE INDEX purged_calls_purge ON purged_calls (purge_seq);",

  /* 5 → 6: the files journal, so that opening a store no longer walks
   * every PDF and row looking for a crash's leftovers. A save commits a
   * 'write' row for its PDF before it writes the file, and deletes it in
   * the transaction that inserts the consent; a purge adds a 'delete'
   * row for each PDF in the transaction that removes the consents, and
   * deletes them once the files are gone. Recovery looks at these rows
   * only (ck-store-recovery.c). event_seq is the purge's event. */
  "CREATE TABLE pending_files ("
  "  path TEXT PRIMARY KEY,"
  "  action TEXT NOT NULL,"
  "  consent_uuid TEXT NOT NULL,"
  "  event_seq INTEGER,"
  "  since TEXT NOT NULL);",

  /* 6 → 7: from this version on, the chain's head has a copy beside the
   * database (consents.head, ck-store-head.c), written on the open that
   * migrates and after every commit. Events are found by kind through an
   * index: the staff PIN's wrong tries since the last unlock (CkPinGuard)
   * and the verification queue's floor are looked up at every start. */
  "CREATE INDEX events_kind ON events (kind, seq);",

  /* 7 → 8: sealed consents (docs/STORAGE.md, "Sealed consents"). The
   * sealing queue's jobs: a consent stored unsealed because the key could
   * not be used ('seal'), or sealed without a trusted time because the TSA
   * failed ('timestamp'); each is finished later by appending a revision
   * to its PDF, which a 'pdf-revision' event records in the chain. The
   * files journal learns 'append' rows, whose size is the PDF's before
   * the revision: recovery cuts an unrecorded revision back to it. */
  "CREATE TABLE seal_jobs ("
  "  consent_uuid TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('seal', 'timestamp')),"
  "  attempts INTEGER NOT NULL,"
  "  due_ms INTEGER NOT NULL,"
  "  last_error TEXT);"
  "CREATE INDEX seal_jobs_due ON seal_jobs (due_ms);"
  "ALTER TABLE pending_files ADD COLUMN size INTEGER;",

  /* 8 → 9: the central archive (docs/CENTRAL.md). Each receipt is the
   * archive's acknowledgement of the chain up to a link (seq, hash),
   * chained in turn (receipt_hash over the receipt's canonical form and
   * the previous receipt's hash), so that `check` can compare the chain
   * with what left the machine. sync_state is what staff see: when sync
   * last worked or failed, why, and the organisation's package usage as
   * the archive last counted it; it proves nothing and is not checked. */
  "CREATE TABLE sync_receipts ("
  "  n INTEGER PRIMARY KEY,"
  "  seq INTEGER NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  prev TEXT NOT NULL,"
  "  receipt_hash TEXT NOT NULL UNIQUE);"
  "CREATE TABLE sync_state ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  last_try_at TEXT,"
  "  last_ok_at TEXT,"
  "  failing_since TEXT,"
  "  last_error TEXT,"
  "  conflict_seq INTEGER,"
  "  org_billed INTEGER,"
  "  org_maybe_billed INTEGER,"
  "  org_kiosks INTEGER,"
  "  org_at TEXT);",

  /* 9 → 10: how the name and the ID number were entered (issue 18): a
   * CkEntryMethod's nick, "typed", "handwriting", "pinyin" or "card".
   * Consents stored before keep NULL, "not recorded": nothing can tell
   * now how they were entered, and nothing guesses. Outside the chain's
   * canonical record, as id_reversed is: the PDF's signing record says
   * the same and is covered by pdf_sha256, and chains and central
   * archives written before stay verifiable as they are. */
  "ALTER TABLE consents ADD COLUMN name_method TEXT; ALTER TABLE consents ADD COLUMN id_method TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CK_STORE_SCHEMA_VERSION);

int
_ck_store_user_version (CkStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int (stmt, 0);
}

/**
 * _ck_store_create_schema:
 * @db: an empty database, in a transaction
 * @version: the schema version to build, 1 to %CK_STORE_SCHEMA_VERSION
 *
 * Builds the schema @version by running the migrations up to it, exactly
 * as a store that was created then and migrated since has it: what a
 * restore builds, and what a database from outside is compared with.
 *
 * Returns: an SQLite result code
 */
int
_ck_store_create_schema (sqlite3 *db,
                         int      version)
{
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version);
  int rc = SQLITE_OK;

  g_return_val_if_fail (version >= 1 && version <= CK_STORE_SCHEMA_VERSION, SQLITE_MISUSE);

  for (int i = 0; i < version && rc == SQLITE_OK; i++)
    rc = sqlite3_exec (db, migrations[i], NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, bump, NULL, NULL, NULL);

  return rc;
}

gboolean
_ck_store_migrate (CkStore  *self,
                   GError  **error)
{
  int version = _ck_store_user_version (self);

  if (version < 0)
    {
      int rc = sqlite3_errcode (self->db);

      return _ck_store_sql_error (self, rc == SQLITE_OK ? SQLITE_CORRUPT : rc, error);
    }

  if (version > CK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA,
                   _("The consent database %s was written by a newer Consent Kiosk "
                     "(schema %d; this one knows up to %d). Nothing was changed; "
                     "update this kiosk."),
                   self->db_path, version, CK_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (self->opened_version < 0)
    self->opened_version = version;

  if (version < CK_STORE_SCHEMA_VERSION && self->read_only)
    {
      self->schema_version = version;
      return TRUE;   /* read what is there; a writer migrates */
    }

  while (version < CK_STORE_SCHEMA_VERSION)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* Under the write lock, look again: another process opening the
       * same store may have migrated it while this one waited. */
      if (_ck_store_user_version (self) != version)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return _ck_store_migrate (self, error);
        }
      if (!_ck_store_exec (self, migrations[version], error) || !_ck_store_exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_ck_store_exec (self, "COMMIT", error))
        return FALSE;
      g_debug ("Migrated %s to schema %d", self->db_path, version + 1);
      version++;
    }

  self->schema_version = version;
  return TRUE;
}

/* --- comparing a database with the schema this version builds ------------------- */

static void
column_free (gpointer data)
{
  CkStoreColumn *column = data;

  g_free (column->name);
  g_free (column->type);
  g_free (column);
}

void
_ck_store_schema_clear (CkStoreSchema *schema)
{
  g_clear_pointer (&schema->objects, g_hash_table_unref);
  g_clear_pointer (&schema->sql, g_hash_table_unref);
  g_clear_pointer (&schema->tables, g_ptr_array_unref);
  g_clear_pointer (&schema->columns, g_hash_table_unref);
}

static gboolean
is_foreign (const char         *table,
            const char * const *foreign_tables)
{
  return foreign_tables && table && g_strv_contains (foreign_tables, table);
}

/* "name" with its quotes doubled, for SQL. */
char *
_ck_store_quote (const char *name)
{
  g_autoptr(GString) quoted = g_string_new (name);

  g_string_replace (quoted, "\"", "\"\"", 0);
  g_string_prepend_c (quoted, '"');
  g_string_append_c (quoted, '"');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* @sql with every run of white space one space: the text SQLite keeps of
 * a CREATE statement, compared as a whole. */
static char *
normalized (const char *sql)
{
  GString *out;
  gboolean space = FALSE;

  if (sql == NULL)
    return g_strdup ("");

  out = g_string_new (NULL);
  for (const char *p = sql; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* Reads the schema of @db, leaving out the objects of @foreign_tables. */
static int
read_schema (sqlite3            *db,
             const char * const *foreign_tables,
             CkStoreSchema      *schema)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  schema->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->tables = g_ptr_array_new_with_free_func (g_free);
  schema->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);

  if ((rc = sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid",
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
      g_hash_table_insert (schema->sql, g_strdup (name), normalized ((const char *)sqlite3_column_text (stmt, 3)));
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
          CkStoreColumn *column = g_new0 (CkStoreColumn, 1);

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
      const CkStoreColumn *x = a->pdata[i], *y = b->pdata[i];

      if (g_strcmp0 (x->name, y->name) != 0 || g_strcmp0 (x->type, y->type) != 0 ||
          x->not_null != y->not_null)
        return FALSE;
    }

  return TRUE;
}

/* The schema this version builds at @version, read back. */
gboolean
_ck_store_expected_schema (int             version,
                 CkStoreSchema *schema,
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

gboolean
_ck_store_refuse_database (const char  *db_path,
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
gboolean
_ck_store_verify_schema (CkStore             *self,
               int                  version,
               const char * const  *foreign_tables,
               GError             **error)
{
  g_auto(CkStoreSchema) want = { 0 };
  g_auto(CkStoreSchema) have = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  if (!_ck_store_expected_schema (version, &want, error))
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
        {
          /* The very text of its CREATE statement: SQLite keeps and parses
           * the first statement of it only, so anything after that would
           * otherwise go unseen. */
          if (g_strcmp0 (g_hash_table_lookup (want.sql, name), g_hash_table_lookup (have.sql, name)) == 0)
            continue;
          {
            g_autofree char *message = g_strdup_printf (_("the statement that created “%s” is not the "
                                                          "one Consent Kiosk wrote"), name);

            return _ck_store_refuse_database (self->db_path, message, error);
          }
        }

      {
        g_autofree char *type = g_strndup (what, table - what - 1);
        g_autofree char *message = g_strdup_printf (_("it holds a %s “%s”, which Consent Kiosk "
                                                      "does not create"), type, name);

        return _ck_store_refuse_database (self->db_path, message, error);
      }
    }

  for (guint i = 0; i < want.tables->len; i++)
    {
      const char *table = want.tables->pdata[i];

      if (!g_hash_table_contains (have.columns, table))
        {
          g_autofree char *message = g_strdup_printf (_("the table “%s” is missing"), table);

          return _ck_store_refuse_database (self->db_path, message, error);
        }
      if (!same_columns (g_hash_table_lookup (want.columns, table),
                         g_hash_table_lookup (have.columns, table)))
        {
          g_autofree char *message = g_strdup_printf (_("the table “%s” has other columns than "
                                                        "Consent Kiosk gives it"), table);

          return _ck_store_refuse_database (self->db_path, message, error);
        }
    }

  /* Indexes this version makes that are missing would only be slow; a
   * missing table was refused above. */
  return TRUE;
}

/* Whether @value may be stored in @column: of the type the column
 * declares (NULL only where allowed), text valid UTF-8 without NUL. */
gboolean
_ck_store_value_fits (sqlite3_value       *value,
                      const CkStoreColumn *column)
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
