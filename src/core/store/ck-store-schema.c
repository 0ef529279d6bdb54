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
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CK_STORE_SCHEMA_VERSION);

static int
read_user_version (CkStore *self)
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
  int version = read_user_version (self);

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
      if (read_user_version (self) != version)
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
