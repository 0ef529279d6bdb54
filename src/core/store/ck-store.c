/* ck-store.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The durable consent store: SQLite (WAL, synchronous=FULL) for records,
 * pdf/YYYY/MM/<uuid>.pdf for the signed documents.
 *
 * Save protocol (docs/ARCHITECTURE.md, "Saving a consent"; the steps are
 * in ck-store-save.c): a row in the files journal is committed; the PDF,
 * rendered in memory and hashed, is written to <uuid>.pdf.tmp, fsynced,
 * renamed into place, and its directory fsynced; only then does one
 * IMMEDIATE transaction insert the row with the PDF's SHA-256 and drop
 * the journal's row. A crash at any instant leaves either a complete
 * consent or none: the journal names what is left (a .tmp file, removed
 * on the next open, or a PDF without a row, moved to quarantine/ and
 * logged), and recovery looks at nothing else (ck-store-recovery.c).
 *
 * Consents and events form one hash chain ordered by a shared sequence
 * number: row_hash = SHA-256 (prev_hash || canonical row). A purge records
 * which links it cut, so the chain still verifies after it.
 *
 * One file a job, sharing ck-store-impl-private.h:
 *
 *   ck-store.c           the object, opening, the record types
 *   ck-store-db.c        errors, SQL and file helpers, the files lock
 *   ck-store-schema.c    migrations
 *   ck-store-chain.c     canonical forms, hashes, the chain's head, events
 *   ck-store-detail.c    the JSON detail of events
 *   ck-store-recovery.c  what a crash left behind, on open
 *   ck-store-save.c      saving a consent
 *   ck-store-query.c     lookups, lists, searches, rows, PDFs
 *   ck-store-events.c    the event log, withdrawals, reveals
 *   ck-store-attempts.c  verification attempts and the queue
 *   ck-store-billing.c   the paid package: billable calls, purged calls
 *   ck-store-purge.c     retention
 *   ck-store-check.c     `consentctl check`
 *   ck-store-check-seal.c  check's part for sealed consents: signatures,
 *                        revisions, anchors, sealed purges, trusted time
 *   ck-store-backup.c    what backups and restores ask of the store
 *   ck-store-seal-jobs.c the sealing queue's jobs
 *   ck-store-revision.c  PDF revisions (a seal or a timestamp appended)
 *   ck-store-anchor.c    chain anchors, sealed purges' records */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ck-store-impl-private.h"

G_DEFINE_QUARK (ck-store-error-quark, ck_store_error)
G_DEFINE_FINAL_TYPE (CkStore, ck_store, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CkConsentRecord, ck_consent_record, ck_consent_record_copy, ck_consent_record_free)

/* --- records ----------------------------------------------------------- */

CkConsentRecord *
ck_consent_record_new (void)
{
  return g_new0 (CkConsentRecord, 1);
}

void
ck_consent_record_free (CkConsentRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->uuid);
  g_free (record->created_at);
  g_free (record->name);
  if (record->id_number)
    memset (record->id_number, 0, strlen (record->id_number));
  g_free (record->id_number);
  g_free (record->sign_date);
  g_free (record->org_name);
  g_free (record->org_business);
  g_free (record->org_purpose);
  g_free (record->template_sha256);
  g_free (record->pdf_path);
  g_free (record->pdf_sha256);
  g_clear_pointer (&record->signature, g_bytes_unref);
  g_free (record->kiosk_id);
  g_free (record->operator_name);
  g_free (record->prev_hash);
  g_free (record->row_hash);
  g_free (record->name_method);
  g_free (record->id_method);
  g_free (record);
}

CkConsentRecord *
ck_consent_record_copy (const CkConsentRecord *record)
{
  CkConsentRecord *copy = ck_consent_record_new ();

  copy->uuid = g_strdup (record->uuid);
  copy->created_at = g_strdup (record->created_at);
  copy->name = g_strdup (record->name);
  copy->id_number = g_strdup (record->id_number);
  copy->sign_date = g_strdup (record->sign_date);
  copy->org_name = g_strdup (record->org_name);
  copy->org_business = g_strdup (record->org_business);
  copy->org_purpose = g_strdup (record->org_purpose);
  copy->template_sha256 = g_strdup (record->template_sha256);
  copy->pdf_path = g_strdup (record->pdf_path);
  copy->pdf_sha256 = g_strdup (record->pdf_sha256);
  copy->pdf_size = record->pdf_size;
  copy->signature = record->signature ? g_bytes_ref (record->signature) : NULL;
  copy->kiosk_id = g_strdup (record->kiosk_id);
  copy->operator_name = g_strdup (record->operator_name);
  copy->demo = record->demo;
  copy->seq = record->seq;
  copy->prev_hash = g_strdup (record->prev_hash);
  copy->row_hash = g_strdup (record->row_hash);
  copy->name_method = g_strdup (record->name_method);
  copy->id_method = g_strdup (record->id_method);

  return copy;
}

void
ck_store_event_free (CkStoreEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->at);
  g_free (event->kind);
  g_free (event->consent_uuid);
  g_free (event->operator_name);
  g_free (event->detail);
  g_free (event->prev_hash);
  g_free (event->row_hash);
  g_free (event);
}

/* --- verification attempts and queue entries -------------------------------------------------------- */

/* An attempt is claimed (a row "in-progress") in one committed transaction
 * before its request goes out, and finished in another that also seals it
 * with a "verification" event in the hash chain. So a second process never
 * sends a second paid request for the same consent while one runs, a
 * crash mid-call leaves a record that a call may have been made, and an
 * edited attempt (a "not-matched" turned "verified") fails `check`. */

CkVerifyAttempt *
ck_verify_attempt_new (void)
{
  CkVerifyAttempt *attempt = g_new0 (CkVerifyAttempt, 1);

  attempt->duration_ms = -1;
  return attempt;
}

void
ck_verify_attempt_free (CkVerifyAttempt *attempt)
{
  if (attempt == NULL)
    return;

  g_free (attempt->consent_uuid);
  g_free (attempt->started_at);
  g_free (attempt->provider);
  g_free (attempt->outcome);
  g_free (attempt->provider_status);
  g_free (attempt->provider_message);
  g_free (attempt->request_id);
  g_free (attempt->error_code);
  g_free (attempt->error_message);
  g_free (attempt->detail);
  g_clear_pointer (&attempt->body, g_bytes_unref);
  g_free (attempt->claimed_by);
  g_free (attempt);
}

CkVerifyAttempt *
ck_verify_attempt_copy (const CkVerifyAttempt *attempt)
{
  CkVerifyAttempt *copy = ck_verify_attempt_new ();

  *copy = *attempt;
  copy->consent_uuid = g_strdup (attempt->consent_uuid);
  copy->started_at = g_strdup (attempt->started_at);
  copy->provider = g_strdup (attempt->provider);
  copy->outcome = g_strdup (attempt->outcome);
  copy->provider_status = g_strdup (attempt->provider_status);
  copy->provider_message = g_strdup (attempt->provider_message);
  copy->request_id = g_strdup (attempt->request_id);
  copy->error_code = g_strdup (attempt->error_code);
  copy->error_message = g_strdup (attempt->error_message);
  copy->detail = g_strdup (attempt->detail);
  copy->body = attempt->body ? g_bytes_ref (attempt->body) : NULL;
  copy->claimed_by = g_strdup (attempt->claimed_by);

  return copy;
}

G_DEFINE_BOXED_TYPE (CkVerifyAttempt, ck_verify_attempt, ck_verify_attempt_copy, ck_verify_attempt_free)

void
ck_queue_entry_free (CkQueueEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->consent_uuid);
  g_free (entry);
}

/* Turning a new database to WAL takes an exclusive lock as an upgrade of
 * a read lock, and SQLite does not wait for that one (the busy timeout
 * would risk a deadlock there): it fails at once with SQLITE_BUSY when
 * another process opens the same new store at the same instant. Wait
 * here instead, as long as the busy timeout would. */
static gboolean
set_wal (CkStore  *self,
         GError  **error)
{
  for (guint tries = 0; ; tries++)
    {
      int rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xFF) != SQLITE_BUSY || tries == 1000)
        return _ck_store_sql_error (self, rc, error);
      g_usleep (10 * 1000);
    }
}

/* An empty database: a new store, unless the copy of the head or a PDF
 * says a store was here (_ck_store_refuse_new ()). Looked at again under
 * the write lock: another process creating the same new store may have
 * built its schema, written the copy and saved a consent since the
 * database was seen empty, and that is not a lost store. No schema under
 * the lock means nobody has got that far. */
static gboolean
refuse_new_database (CkStore  *self,
                     GError  **error)
{
  gboolean ok;

  _ck_store_pause_point ("empty-database-seen");
  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = _ck_store_user_version (self) != 0 || _ck_store_refuse_new (self, error);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  return ok;
}

/* --- object -------------------------------------------------------------------- */

static void
ck_store_finalize (GObject *object)
{
  CkStore *self = (CkStore *)object;

  g_clear_pointer (&self->db, sqlite3_close);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->head_path, g_free);
  g_clear_pointer (&self->head_written_hash, g_free);
  g_clear_pointer (&self->recovery.quarantined, g_ptr_array_unref);
  g_clear_pointer (&self->recovery.missing_pdfs, g_ptr_array_unref);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->tsa_ca_file, g_free);
  g_clear_pointer (&self->check_warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (ck_store_parent_class)->finalize (object);
}

static void
ck_store_class_init (CkStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_store_finalize;
}

static void
ck_store_init (CkStore *self)
{
  self->lock_fd = -1;
  self->opened_version = -1;
  self->head_written_seq = -1;
  self->recovery.quarantined = g_ptr_array_new_with_free_func (g_free);
  self->recovery.missing_pdfs = g_ptr_array_new_with_free_func (g_free);
}

/* A reader in a data directory it cannot write (a read-only mount, an
 * auditor's copy): SQLite cannot make the shared-memory file a WAL
 * database needs. The database is then read as the file holds it
 * (immutable), which is all of it unless a write-ahead log with commits
 * not yet folded in lies beside it: that is said too. */
static gboolean
open_where_read_only (CkStore  *self,
                      GError  **error)
{
  g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
  g_autofree char *uri = NULL;
  GStatBuf st;
  int rc = sqlite3_exec (self->db, "SELECT count (*) FROM sqlite_schema", NULL, NULL, NULL);

  if (rc == SQLITE_OK || ((rc & 0xFF) != SQLITE_CANTOPEN && (rc & 0xFF) != SQLITE_READONLY))
    return TRUE;

  g_clear_pointer (&self->db, sqlite3_close);
  uri = g_strdup_printf ("file:%s?immutable=1", self->db_path);
  rc = _ck_store_open_connection (uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &self->db);
  if (rc != SQLITE_OK)
    return _ck_store_sql_error (self, rc, error);

  self->immutable = TRUE;
  self->wal_ignored = g_stat (wal, &st) == 0 && st.st_size > 0;
  return TRUE;
}

/* Fails unless the database has no trigger and no view: this program
 * makes none, and one made behind its back runs with every write. */
static gboolean
refuse_foreign_objects (CkStore  *self,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _ck_store_prepare (self, "SELECT type, name FROM sqlite_schema "
                                        "WHERE type IN ('trigger', 'view') LIMIT 1", error)))
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _ck_store_sql_error (self, rc, error);

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
               _("The consent database %s holds a %s “%s” that Consent Kiosk did not create: it "
                 "was changed behind the kiosk's back, and nothing is saved into it. Run "
                 "“consentctl check” and restore the last backup."),
               self->db_path, (const char *)sqlite3_column_text (stmt, 0),
               (const char *)sqlite3_column_text (stmt, 1));
  return FALSE;
}

/* For a writer: the database must agree with the copy of its head
 * (ck-store-head.c); a store migrated to schema 7 just now gets its first
 * copy. With %CK_STORE_OPEN_ACCEPT_HEAD, a disagreement is accepted and
 * logged as a "head-accepted" event. */
static gboolean
check_head (CkStore           *self,
            CkStoreOpenFlags   flags,
            const char        *accepted_by,
            GError           **error)
{
  g_autofree char *problem = NULL;
  CkStoreError code;
  gboolean missing;

  if (!_ck_store_head_compare (self, &problem, &missing, &code, error))
    return FALSE;

  /* Before schema 7 there was no copy. */
  if (missing && self->opened_version < 7)
    g_clear_pointer (&problem, g_free);

  if (problem && (flags & CK_STORE_OPEN_ACCEPT_HEAD))
    {
      g_autofree char *detail = _ck_store_detail_new ("problem", problem, NULL);
      g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);

      event->kind = g_strdup ("head-accepted");
      event->operator_name = g_strdup (accepted_by);
      event->detail = g_steal_pointer (&detail);
      if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_ck_store_insert_event (self, event, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_ck_store_commit (self, error))
        return FALSE;
      g_message ("The copy of the chain's head was accepted as the database has it: %s", problem);
      g_clear_pointer (&problem, g_free);
    }

  if (problem)
    {
      g_set_error (error, CK_STORE_ERROR, code,
                   _("%s Nothing was changed. (If the database is right and only its copy was lost, "
                     "“consentctl check --accept-head --operator NAME” records that and goes on.)"),
                   problem);
      return FALSE;
    }

  return _ck_store_head_write (self, error);
}

/**
 * ck_store_open:
 * @data_dir: the data directory (created 0700 if missing)
 * @flags: whether to recover after a crash, or only to look
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Opens (creating if needed) the store and migrates its schema forward.
 *
 * Returns: (transfer full) (nullable): the store
 */
static CkStore *open_store (const char        *data_dir,
                            CkStoreOpenFlags   flags,
                            const char        *accepted_by,
                            GError           **error);

CkStore *
ck_store_open (const char        *data_dir,
               CkStoreOpenFlags   flags,
               GError           **error)
{
  g_return_val_if_fail ((flags & CK_STORE_OPEN_ACCEPT_HEAD) == 0, NULL);

  return open_store (data_dir, flags, NULL, error);
}

/**
 * ck_store_open_accepting_head:
 * @data_dir: the data directory
 * @operator_name: who decided that the database is right
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Opens the store for writing although the copy of its chain's head is
 * missing or disagrees with the database (ck-store-head.c): the copy is
 * written from the database, and a "head-accepted" event records who
 * did it and what was wrong. For IT, once they know the database is the
 * right one (consentctl check --accept-head).
 *
 * Returns: (transfer full) (nullable): the store
 */
CkStore *
ck_store_open_accepting_head (const char  *data_dir,
                              const char  *operator_name,
                              GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (operator_name ? operator_name : ""));

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("Say who does this: the operator's name is empty."));
      return NULL;
    }

  return open_store (data_dir, CK_STORE_OPEN_RECOVER | CK_STORE_OPEN_ACCEPT_HEAD, stripped, error);
}

static CkStore *
open_store (const char        *data_dir,
            CkStoreOpenFlags   flags,
            const char        *accepted_by,
            GError           **error)
{
  g_autoptr(CkStore) self = g_object_new (CK_TYPE_STORE, NULL);
  g_autofree char *lock_path = NULL;
  int rc, sqlite_flags;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->db_path = g_build_filename (self->data_dir, "consents.db", NULL);
  self->head_path = g_build_filename (self->data_dir, "consents.head", NULL);
  self->read_only = (flags & CK_STORE_OPEN_READ_ONLY) != 0;

  if (self->read_only)
    {
      if (!g_file_test (self->db_path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                       _("There is no consent database in %s."), self->data_dir);
          return NULL;
        }
      sqlite_flags = SQLITE_OPEN_READONLY;
    }
  else
    {
      int fd;

      g_auto(CkStoreFd) pdf_fd = -1;

      if (g_mkdir_with_parents (self->data_dir, 0700) != 0 || access (self->data_dir, W_OK | X_OK) != 0)
        {
          _ck_store_io_error (errno, self->data_dir, error);
          return NULL;
        }
      if ((pdf_fd = _ck_store_open_dir (self, "pdf", TRUE, error)) < 0)
        return NULL;
      /* A lost database is never a new beginning. (The database may
       * appear meanwhile, made by another process opening the same new
       * store: refuse_new_database () below looks again, under a lock.) */
      if (!g_file_test (self->db_path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GError) refused = NULL;

          _ck_store_pause_point ("no-database-seen");
          if (!_ck_store_refuse_new (self, &refused) && !g_file_test (self->db_path, G_FILE_TEST_EXISTS))
            {
              g_propagate_error (error, g_steal_pointer (&refused));
              return NULL;
            }
        }
      /* Create the database 0600 ourselves: SQLite gives its WAL and shared
       * memory files the database's mode. */
      fd = open (self->db_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          _ck_store_io_error (errno, self->db_path, error);
          return NULL;
        }
      close (fd);
      sqlite_flags = SQLITE_OPEN_READWRITE;

      lock_path = g_build_filename (self->data_dir, "consents.lock", NULL);
      self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (self->lock_fd < 0)
        {
          _ck_store_io_error (errno, lock_path, error);
          return NULL;
        }
    }

  rc = _ck_store_open_connection (self->db_path, sqlite_flags, &self->db);
  if (rc != SQLITE_OK)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }
  if (self->read_only && !open_where_read_only (self, error))
    return NULL;

  /* An empty database where a store was is a lost one too; one holding a
   * trigger or a view is not one this program wrote: either could make
   * the next save do something else than it says. */
  if (!self->read_only && _ck_store_user_version (self) == 0 && !refuse_new_database (self, error))
    return NULL;
  if (!self->read_only && !refuse_foreign_objects (self, error))
    return NULL;

  if ((!self->read_only && !set_wal (self, error)) ||
      !_ck_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_ck_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !_ck_store_migrate (self, error))
    return NULL;

  /* The database against the copy of its head; then the copy follows it.
   * The open that brings a store to schema 7 also marks the consents that
   * are out of the verification queue because they are older than it. */
  _ck_store_pause_point ("schema-ready");
  if (!self->read_only && !check_head (self, flags, accepted_by, error))
    return NULL;
  if (!self->read_only && self->opened_version >= 1 && self->opened_version < 7 &&
      !_ck_store_record_queue_floor (self, error))
    return NULL;

  if ((flags & CK_STORE_OPEN_RECOVER) && !self->read_only && !_ck_store_recover (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
ck_store_get_data_dir (CkStore *self)
{
  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  return self->data_dir;
}

/**
 * ck_store_dup_read_only_note:
 *
 * Returns: (transfer full) (nullable): when the store was opened in a
 *   data directory that cannot be written, what a reader should know
 *   (translated); %NULL otherwise
 */
char *
ck_store_dup_read_only_note (CkStore *self)
{
  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (!self->immutable)
    return NULL;
  if (self->wal_ignored)
    return g_strdup_printf (_("%s cannot be written: the store was read as its database file holds "
                              "it, without recovery, and without the last commits still in its "
                              "write-ahead log (open it once where it can be written to see them)."),
                            self->data_dir);

  return g_strdup_printf (_("%s cannot be written: the store was read as it is, without recovery "
                            "(a save interrupted since the kiosk last started is not cleaned up)."),
                          self->data_dir);
}

/**
 * ck_store_get_recovery:
 *
 * Returns: what opening with %CK_STORE_OPEN_RECOVER found
 */
const CkStoreRecovery *
ck_store_get_recovery (CkStore *self)
{
  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  return &self->recovery;
}

int
ck_store_get_schema_version (CkStore *self)
{
  g_return_val_if_fail (CK_IS_STORE (self), 0);

  return self->schema_version;
}
