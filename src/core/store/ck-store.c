/* ck-store.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The durable consent store: SQLite (WAL, synchronous=FULL) for records,
 * pdf/YYYY/MM/<uuid>.pdf for the signed documents.
 *
 * Save protocol (design.md, "Storage"): the PDF, rendered in memory and
 * hashed, is written to <uuid>.pdf.tmp, fsynced, renamed into place, and
 * its directory fsynced; only then does one IMMEDIATE transaction insert
 * the row with the PDF's SHA-256. A crash at any instant leaves either a
 * complete consent or none: a .tmp file (removed on the next open) or a
 * PDF without a row (moved to quarantine/ on the next open, and logged).
 *
 * Consents and events form one hash chain ordered by a shared sequence
 * number: row_hash = SHA-256 (prev_hash || canonical row). A purge records
 * which links it cut, so the chain still verifies after it. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-date.h"
#include "ck-file-private.h"
#include "ck-idcard.h"
#include "ck-store-private.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

struct _CkStore
{
  GObject parent_instance;

  char *data_dir;
  char *db_path;
  sqlite3 *db;
  gboolean read_only;
  int lock_fd;          /* consents.lock, for flock (); -1 when read-only */
  int schema_version;
  CkStoreRecovery recovery;
};

G_DEFINE_QUARK (ck-store-error-quark, ck_store_error)
G_DEFINE_FINAL_TYPE (CkStore, ck_store, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CkConsentRecord, ck_consent_record, ck_consent_record_copy, ck_consent_record_free)

/* Test builds (-DCK_FAULT_INJECTION) die here when CK_FAULT_POINT names
 * the step: the crash-safety test kills saves at every step this way. */
#ifdef CK_FAULT_INJECTION
static void
fault_point (const char *name)
{
  const char *want = g_getenv ("CK_FAULT_POINT");

  if (want && g_str_equal (want, name))
    raise (SIGKILL);
}
#else
# define fault_point(name) G_STMT_START { } G_STMT_END
#endif

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

/* --- errors ------------------------------------------------------------ */

static CkStoreError
code_for_sqlite (int rc)
{
  switch (rc & 0xFF)
    {
    case SQLITE_FULL:
      return CK_STORE_ERROR_DISK_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return CK_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return CK_STORE_ERROR_PERMISSION;
    case SQLITE_CONSTRAINT:
      return CK_STORE_ERROR_DUPLICATE;
    default:
      return CK_STORE_ERROR_IO;
    }
}

static gboolean
sql_error (CkStore     *self,
           int          rc,
           GError     **error)
{
  CkStoreError code = code_for_sqlite (rc);

  switch (code)
    {
    case CK_STORE_ERROR_DISK_FULL:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The disk holding %s is full; the consent was not saved."),
                   self->data_dir);
      break;
    case CK_STORE_ERROR_CORRUPT:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s is damaged (%s); restore it from a backup."),
                   self->db_path, sqlite3_errstr (rc));
      break;
    case CK_STORE_ERROR_PERMISSION:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s cannot be written (%s)."),
                   self->db_path, sqlite3_errstr (rc));
      break;
    case CK_STORE_ERROR_OPEN:
    case CK_STORE_ERROR_NEWER_SCHEMA:
    case CK_STORE_ERROR_IO:
    case CK_STORE_ERROR_NOT_FOUND:
    case CK_STORE_ERROR_DUPLICATE:
    case CK_STORE_ERROR_INVALID:
    case CK_STORE_ERROR_TAMPERED:
    case CK_STORE_ERROR_BUSY:
    case CK_STORE_ERROR_WITHDRAWN:
    default:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s failed: %s."),
                   self->db_path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

/* A failed file operation on @path, classified for the caller. */
static gboolean
io_error (int          saved_errno,
          const char  *path,
          GError     **error)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DISK_FULL,
                 _("The disk is full: %s could not be written, and nothing was saved."),
                 path);
  else if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                 _("No permission to write %s (%s)."), path, g_strerror (saved_errno));
  else
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO,
                 _("%s could not be written: %s."), path, g_strerror (saved_errno));

  return FALSE;
}

/* --- SQL helpers --------------------------------------------------------- */

static gboolean
exec (CkStore     *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : sql_error (self, rc, error);
}

static sqlite3_stmt *
prepare (CkStore     *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *)text) : NULL;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* reverse(text): the ID number backwards, so that its final characters
 * can be searched through an index as a prefix. */
static void
sql_reverse (sqlite3_context *context,
             int              argc,
             sqlite3_value  **argv)
{
  const char *text = (const char *)sqlite3_value_text (argv[0]);
  g_autofree char *reversed = NULL;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  reversed = g_utf8_strreverse (text, -1);
  sqlite3_result_text (context, reversed, -1, SQLITE_TRANSIENT);
}

/* --- schema -------------------------------------------------------------- */

/* A consent's status as its attempts and events give it, for a row c of
 * consents: the migration to schema 4 fills consent_status with these,
 * status_sync () keeps it so, ck_store_check () compares. */
#define STATUS_LAST_OUTCOME \
  "(SELECT a.outcome FROM attempts a WHERE a.consent_uuid = c.uuid ORDER BY a.number DESC LIMIT 1)"
#define STATUS_LAST_NUMBER \
  "coalesce ((SELECT max (a.number) FROM attempts a WHERE a.consent_uuid = c.uuid), 0)"
#define STATUS_WITHDRAWN \
  "EXISTS (SELECT 1 FROM events e WHERE e.consent_uuid = c.uuid AND e.kind = 'withdrawal')"

/* Which attempts the vendor charges, docs/VERIFICATION.md ("Usage of the
 * paid package"): an answer from the service itself — HTTP 200, whatever
 * its body said — is billed; an interrupted attempt may have been; no
 * answer, a gateway's 4xx or 5xx, and the demo provider are not. */
#define ATTEMPT_REAL "demo = 0 AND provider != 'demo'"
#define ATTEMPT_BILLED ATTEMPT_REAL " AND http_status = 200 AND outcome NOT IN ('in-progress', 'interrupted')"
#define ATTEMPT_MAYBE_BILLED ATTEMPT_REAL " AND outcome = 'interrupted'"

/* A purge keeps these of the attempts it deletes in purged_calls: the
 * billed and maybe billed ones, and real attempts still running, which
 * can no longer be finished (kept as interrupted). */
#define ATTEMPT_KEPT_BY_PURGE \
  "(" ATTEMPT_BILLED ") OR (" ATTEMPT_REAL " AND outcome IN ('interrupted', 'in-progress'))"

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

static gboolean
migrate (CkStore  *self,
         GError  **error)
{
  int version = read_user_version (self);

  if (version < 0)
    {
      int rc = sqlite3_errcode (self->db);

      return sql_error (self, rc == SQLITE_OK ? SQLITE_CORRUPT : rc, error);
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

  if (version < CK_STORE_SCHEMA_VERSION && self->read_only)
    {
      self->schema_version = version;
      return TRUE;   /* read what is there; a writer migrates */
    }

  while (version < CK_STORE_SCHEMA_VERSION)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* Under the write lock, look again: another process opening the
       * same store may have migrated it while this one waited. */
      if (read_user_version (self) != version)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return migrate (self, error);
        }
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
      g_debug ("Migrated %s to schema %d", self->db_path, version + 1);
      version++;
    }

  self->schema_version = version;
  return TRUE;
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
        return sql_error (self, rc, error);
      g_usleep (10 * 1000);
    }
}

/* --- files --------------------------------------------------------------- */

static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    return io_error (errno, path, error);

  if (access (path, W_OK | X_OK) != 0)
    return io_error (errno, path, error);

  return TRUE;
}

static gboolean
fsync_dir (const char  *path,
           GError     **error)
{
  int saved = ck_file_sync (path, CK_FILE_SYNC_DIR);

  return saved == 0 || io_error (saved, path, error);
}

/* Writes @bytes to @path (0600) and fsyncs it; removes it on failure. The
 * first half is written apart from the rest, so that a crash at
 * "tmp-half-written" leaves a truly half-written file. */
static gboolean
write_synced (const char  *path,
              GBytes      *bytes,
              GError     **error)
{
  const guint8 *data;
  gsize len, half;
  int fd, saved;

  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return io_error (errno, path, error);

  data = g_bytes_get_data (bytes, &len);
  half = MIN (len / 2 + 1, len);
  saved = ck_file_write_all (fd, data, half);
  if (saved == 0)
    {
      fault_point ("tmp-half-written");
      saved = ck_file_write_all (fd, data + half, len - half);
    }
  if (saved != 0)
    {
      close (fd);
      g_unlink (path);
      return io_error (saved, path, error);
    }

  fault_point ("tmp-written");

  if (fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      g_unlink (path);
      return io_error (saved, path, error);
    }

  if (close (fd) != 0)
    {
      saved = errno;
      g_unlink (path);
      return io_error (saved, path, error);
    }

  return TRUE;
}

/* --- the files lock ---------------------------------------------------------- */

/* Between a save's first file and its commit, its .tmp or its PDF has no
 * row yet, exactly like a crash's leftovers. So saves and purges hold
 * consents.lock shared while they touch files, and recovery holds it
 * exclusive: another process opening the store never removes or
 * quarantines a live save's files. The kernel lets go when a process
 * dies, so a crashed save never blocks recovery. */
typedef int FilesLock;

static void
files_lock_release (FilesLock *fd)
{
  if (*fd >= 0)
    flock (*fd, LOCK_UN);
  *fd = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FilesLock, files_lock_release)

/* Takes the lock (LOCK_SH or LOCK_EX) into @lock, waiting for it. */
static gboolean
files_lock (CkStore    *self,
            int         operation,
            FilesLock  *lock,
            GError    **error)
{
  if (self->lock_fd < 0)
    return TRUE;   /* read-only: SQLite refuses the writes */

  while (flock (self->lock_fd, operation) != 0)
    if (errno != EINTR)
      {
        g_autofree char *path = g_build_filename (self->data_dir, "consents.lock", NULL);

        return io_error (errno, path, error);
      }

  *lock = self->lock_fd;
  return TRUE;
}

/* --- hash chain ------------------------------------------------------------ */

static void
canon_field (GString    *out,
             const char *key,
             const char *value)
{
  if (value == NULL)
    g_string_append_printf (out, "%s:-\n", key);
  else
    g_string_append_printf (out, "%s:%zu:%s\n", key, strlen (value), value);
}

static char *
hash_consent (const CkConsentRecord *r)
{
  g_autoptr(GString) canon = g_string_new ("ck-consent/1\n");
  g_autofree char *signature = NULL;
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, r->seq);
  g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, r->pdf_size);

  signature = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, r->signature);
  canon_field (canon, "prev", r->prev_hash);
  canon_field (canon, "seq", seq);
  canon_field (canon, "uuid", r->uuid);
  canon_field (canon, "created_at", r->created_at);
  canon_field (canon, "name", r->name);
  canon_field (canon, "id_number", r->id_number);
  canon_field (canon, "sign_date", r->sign_date);
  canon_field (canon, "org_name", r->org_name);
  canon_field (canon, "org_business", r->org_business);
  canon_field (canon, "org_purpose", r->org_purpose);
  canon_field (canon, "template_sha256", r->template_sha256);
  canon_field (canon, "pdf_path", r->pdf_path);
  canon_field (canon, "pdf_sha256", r->pdf_sha256);
  canon_field (canon, "pdf_size", size);
  canon_field (canon, "signature_sha256", signature);
  canon_field (canon, "kiosk_id", r->kiosk_id);
  canon_field (canon, "operator", r->operator_name);
  canon_field (canon, "demo", r->demo ? "1" : "0");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

static char *
hash_event (const CkStoreEvent *e)
{
  g_autoptr(GString) canon = g_string_new ("ck-event/1\n");
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e->seq);

  canon_field (canon, "prev", e->prev_hash);
  canon_field (canon, "seq", seq);
  canon_field (canon, "at", e->at);
  canon_field (canon, "kind", e->kind);
  canon_field (canon, "consent_uuid", e->consent_uuid);
  canon_field (canon, "operator", e->operator_name);
  canon_field (canon, "detail", e->detail);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

/* Within a transaction: the next link of the chain. */
static gboolean
chain_head (CkStore  *self,
            gint64   *seq,
            char    **hash,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT seq, hash FROM chain WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return sql_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);

  *seq = sqlite3_column_int64 (stmt, 0);
  *hash = column_text (stmt, 1);
  return TRUE;
}

static gboolean
chain_advance (CkStore     *self,
               gint64       seq,
               const char  *hash,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "UPDATE chain SET seq = ?, hash = ? WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_text (stmt, 2, hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  return TRUE;
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Within a transaction: runs @sql, binding @uuid to each parameter. */
static gboolean
exec_for_uuid (CkStore     *self,
               const char  *sql,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (int i = 1; i <= sqlite3_bind_parameter_count (stmt); i++)
    bind_text (stmt, i, uuid);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  return TRUE;
}

/* Within a transaction that changed @uuid's attempts: its status row
 * follows them. */
static gboolean
status_sync (CkStore     *self,
             const char  *uuid,
             GError     **error)
{
  if (self->schema_version < 4)
    return TRUE;

  return exec_for_uuid (self,
                        "UPDATE consent_status AS s SET "
                        "  last_outcome = (SELECT a.outcome FROM attempts a WHERE a.consent_uuid = ?1 "
                        "                  ORDER BY a.number DESC LIMIT 1),"
                        "  last_number = coalesce ((SELECT max (a.number) FROM attempts a "
                        "                           WHERE a.consent_uuid = ?1), 0) "
                        "WHERE s.uuid = ?1",
                        uuid, error);
}

/* Within the transaction of a withdrawal event: the consent is marked
 * withdrawn and leaves the verification queue. */
static gboolean
apply_withdrawal (CkStore     *self,
                  const char  *uuid,
                  GError     **error)
{
  if (self->schema_version >= 4 &&
      !exec_for_uuid (self, "UPDATE consent_status SET withdrawn = 1 WHERE uuid = ?", uuid, error))
    return FALSE;
  if (self->schema_version >= 3 &&
      !exec_for_uuid (self, "DELETE FROM verify_queue WHERE consent_uuid = ?", uuid, error))
    return FALSE;

  return TRUE;
}

/* Within a transaction: appends an event to the chain. */
static gboolean
insert_event (CkStore       *self,
              CkStoreEvent  *event,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq;
  int rc;

  if (!chain_head (self, &seq, &event->prev_hash, error))
    return FALSE;
  event->seq = seq + 1;
  if (event->at == NULL)
    event->at = now_iso8601 ();
  event->row_hash = hash_event (event);

  stmt = prepare (self,
                  "INSERT INTO events (seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  bind_text (stmt, 2, event->at);
  bind_text (stmt, 3, event->kind);
  bind_text (stmt, 4, event->consent_uuid);
  bind_text (stmt, 5, event->operator_name);
  bind_text (stmt, 6, event->detail);
  bind_text (stmt, 7, event->prev_hash);
  bind_text (stmt, 8, event->row_hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  /* However it is written, a withdrawal takes effect with its event. */
  if (g_strcmp0 (event->kind, "withdrawal") == 0 && event->consent_uuid &&
      !apply_withdrawal (self, event->consent_uuid, error))
    return FALSE;

  return chain_advance (self, event->seq, event->row_hash, error);
}

/* --- recovery ------------------------------------------------------------------ */

static GHashTable *
known_uuids (CkStore  *self,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT uuid FROM consents", error);
  GHashTable *uuids;
  int rc;

  if (stmt == NULL)
    return NULL;

  uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (uuids, column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      g_hash_table_unref (uuids);
      sql_error (self, rc, error);
      return NULL;
    }

  return uuids;
}

typedef void (*PdfVisitor) (CkStore    *self,
                            const char *relative,
                            const char *name,
                            gpointer    user_data);

/* Calls @visit for each file under pdf/YYYY/MM/. */
static void
walk_pdfs (CkStore    *self,
           PdfVisitor  visit,
           gpointer    user_data)
{
  g_autofree char *root = g_build_filename (self->data_dir, "pdf", NULL);
  g_autoptr(GDir) years = g_dir_open (root, 0, NULL);
  const char *year;

  while (years && (year = g_dir_read_name (years)))
    {
      g_autofree char *year_path = g_build_filename (root, year, NULL);
      g_autoptr(GDir) months = g_dir_open (year_path, 0, NULL);
      const char *month;

      while (months && (month = g_dir_read_name (months)))
        {
          g_autofree char *month_path = g_build_filename (year_path, month, NULL);
          g_autoptr(GDir) files = g_dir_open (month_path, 0, NULL);
          const char *name;

          while (files && (name = g_dir_read_name (files)))
            {
              g_autofree char *relative = g_build_filename ("pdf", year, month, name, NULL);

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

static void collect_purged (const char *detail,
                            GHashTable *purged,
                            GHashTable *paths);

/* The PDF paths every purge removed. */
static GHashTable *
purged_paths (CkStore  *self,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT detail FROM events WHERE kind = 'purge'", error);
  GHashTable *paths;
  int rc;

  if (stmt == NULL)
    return NULL;

  paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    collect_purged ((const char *)sqlite3_column_text (stmt, 0), NULL, paths);

  if (rc != SQLITE_DONE)
    {
      g_hash_table_unref (paths);
      sql_error (self, rc, error);
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
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!insert_event (self, event, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return exec (self, "COMMIT", error);
}

static gboolean
recover (CkStore  *self,
         GError  **error)
{
  g_autoptr(GHashTable) purged = NULL;
  g_autoptr(GHashTable) uuids = NULL;
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(FilesLock) lock = -1;
  RecoveryScan scan;
  int rc;

  if (!files_lock (self, LOCK_EX, &lock, error) || !(uuids = known_uuids (self, error)) ||
      !(purged = purged_paths (self, error)))
    return FALSE;

  scan.uuids = uuids;
  scan.orphans = orphans;
  walk_pdfs (self, recovery_visit, &scan);

  /* A PDF without a row: a save that died before its commit — keep it,
   * out of the way — or a purge that died before deleting its files —
   * finish the purge: retention means the personal data goes. Either way
   * the log says so. */
  for (guint i = 0; i < orphans->len; i++)
    {
      const char *relative = orphans->pdata[i];
      g_autofree char *from = g_build_filename (self->data_dir, relative, NULL);
      g_autofree char *detail = NULL;

      if (g_hash_table_contains (purged, relative))
        {
          if (g_unlink (from) != 0)
            return io_error (errno, from, error);
          detail = g_strdup_printf ("{\"deleted_purged\":\"%s\"}", relative);
          if (!log_recovery (self, detail, error))
            return FALSE;
          self->recovery.purged_removed++;
        }
      else
        {
          g_autofree char *to = g_build_filename (self->data_dir, "quarantine", relative + 4, NULL);
          g_autofree char *to_dir = g_path_get_dirname (to);

          if (!ensure_dir (to_dir, error))
            return FALSE;
          if (g_rename (from, to) != 0)
            return io_error (errno, from, error);
          detail = g_strdup_printf ("{\"quarantined\":\"%s\"}", relative);
          if (!log_recovery (self, detail, error))
            return FALSE;
          g_ptr_array_add (self->recovery.quarantined, g_strdup (relative));
        }
    }

  /* A row whose PDF is gone cannot be mended here: report it. */
  if (!(stmt = prepare (self, "SELECT uuid, pdf_path FROM consents", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *path = g_build_filename (self->data_dir,
                                                (const char *)sqlite3_column_text (stmt, 1), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (self->recovery.missing_pdfs, column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  if (self->recovery.tmp_removed || self->recovery.quarantined->len ||
      self->recovery.missing_pdfs->len || self->recovery.purged_removed)
    g_message ("Recovery in %s: %u unfinished file(s) removed, %u PDF(s) without a record "
               "quarantined, %u purged PDF(s) deleted, %u record(s) without a PDF",
               self->data_dir, self->recovery.tmp_removed, self->recovery.quarantined->len,
               self->recovery.purged_removed, self->recovery.missing_pdfs->len);

  return TRUE;
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
  g_clear_pointer (&self->recovery.quarantined, g_ptr_array_unref);
  g_clear_pointer (&self->recovery.missing_pdfs, g_ptr_array_unref);

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
  self->recovery.quarantined = g_ptr_array_new_with_free_func (g_free);
  self->recovery.missing_pdfs = g_ptr_array_new_with_free_func (g_free);
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
CkStore *
ck_store_open (const char        *data_dir,
               CkStoreOpenFlags   flags,
               GError           **error)
{
  g_autoptr(CkStore) self = g_object_new (CK_TYPE_STORE, NULL);
  g_autofree char *pdf_dir = NULL;
  g_autofree char *lock_path = NULL;
  int rc, sqlite_flags;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->db_path = g_build_filename (self->data_dir, "consents.db", NULL);
  self->read_only = (flags & CK_STORE_OPEN_READ_ONLY) != 0;
  pdf_dir = g_build_filename (self->data_dir, "pdf", NULL);

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

      if (!ensure_dir (self->data_dir, error) || !ensure_dir (pdf_dir, error))
        return NULL;
      /* Create the database 0600 ourselves: SQLite gives its WAL and shared
       * memory files the database's mode. */
      fd = open (self->db_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          io_error (errno, self->db_path, error);
          return NULL;
        }
      close (fd);
      sqlite_flags = SQLITE_OPEN_READWRITE;

      lock_path = g_build_filename (self->data_dir, "consents.lock", NULL);
      self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (self->lock_fd < 0)
        {
          io_error (errno, lock_path, error);
          return NULL;
        }
    }

  rc = sqlite3_open_v2 (self->db_path, &self->db, sqlite_flags | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_create_function (self->db, "ck_reverse", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, sql_reverse, NULL, NULL);

  if ((!self->read_only && !set_wal (self, error)) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  if ((flags & CK_STORE_OPEN_RECOVER) && !self->read_only && !recover (self, error))
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

/* --- saving ------------------------------------------------------------------------ */

/* Within the save's transaction: the new consent's place in the queue. */
static gboolean
queue_new_consent (CkStore                *self,
                   const CkConsentRecord  *record,
                   GError                **error)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (record->created_at, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 created_ms;
  int rc;

  created_ms = created ? g_date_time_to_unix (created) * 1000 + g_date_time_get_microsecond (created) / 1000
                       : g_get_real_time () / 1000;
  stmt = prepare (self, "INSERT INTO verify_queue (consent_uuid, attempts, due_ms) VALUES (?, 0, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record->uuid);
  sqlite3_bind_int64 (stmt, 2, created_ms + CK_STORE_QUEUE_GRACE_MS);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  return TRUE;
}

/* Within the save's transaction: the new consent's status row. */
static gboolean
insert_status (CkStore                *self,
               const CkConsentRecord  *record,
               GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "INSERT INTO consent_status (seq, uuid, last_outcome, last_number, withdrawn) "
                        "VALUES (?, ?, NULL, 0, 0)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->seq);
  bind_text (stmt, 2, record->uuid);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  return TRUE;
}

static gboolean
is_uuid (const char *text)
{
  return text && g_uuid_string_is_valid (text);
}


/**
 * ck_store_save:
 * @self: a #CkStore
 * @record: the consent; uuid, created_at, name, id_number, sign_date,
 *   organisation fields, template_sha256, signature and kiosk_id set. The
 *   store fills in pdf_path, pdf_sha256, pdf_size, seq and the hashes.
 * @pdf: the rendered PDF
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Saves durably, following the protocol at the top of this file. When
 * this returns %TRUE the consent survives a power cut.
 *
 * Returns: %TRUE once the row is committed
 */
gboolean
ck_store_save (CkStore          *self,
               CkConsentRecord  *record,
               GBytes           *pdf,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *month_dir = NULL;
  g_autofree char *final_path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *reversed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(FilesLock) lock = -1;
  gint64 seq;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL && pdf != NULL, FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                           _("The store was opened read-only."));
      return FALSE;
    }

  /* The sign date names the PDF's folder: only a real YYYY-MM-DD keeps it
   * under pdf/. */
  if (!is_uuid (record->uuid) || !record->name || !record->id_number ||
      !ck_date_parse (record->sign_date, NULL) || !record->created_at || !record->template_sha256 ||
      !record->signature || !record->kiosk_id)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("The consent is incomplete and was not saved."));
      return FALSE;
    }

  /* 1. The PDF, durably in place under its final name. */
  record->pdf_sha256 = (g_free (record->pdf_sha256),
                        g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf));
  record->pdf_size = g_bytes_get_size (pdf);
  g_free (record->pdf_path);
  record->pdf_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf",
                                      record->sign_date, record->sign_date + 5, record->uuid);
  final_path = g_build_filename (self->data_dir, record->pdf_path, NULL);
  tmp_path = g_strconcat (final_path, ".tmp", NULL);
  month_dir = g_path_get_dirname (final_path);

  /* The uuid may be stored under another sign date, so another path: ask
   * the database too, before anything is written. */
  stmt = prepare (self, "SELECT 1 FROM consents WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record->uuid);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  if (rc == SQLITE_ROW || g_file_test (final_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                   _("A consent with the id %s is already stored."), record->uuid);
      return FALSE;
    }

  if (!files_lock (self, LOCK_SH, &lock, error))
    return FALSE;
  fault_point ("before-tmp");
  if (!ensure_dir (month_dir, error) || !write_synced (tmp_path, pdf, error))
    return FALSE;
  fault_point ("tmp-synced");

  if (g_rename (tmp_path, final_path) != 0)
    {
      int saved = errno;

      g_unlink (tmp_path);
      return io_error (saved, final_path, error);
    }
  fault_point ("renamed");

  if (!fsync_dir (month_dir, error))
    goto remove_pdf;
  fault_point ("dir-synced");

  /* 2. One transaction: the row and the chain's new head. */
  if (!exec (self, "BEGIN IMMEDIATE", error))
    goto remove_pdf;
  fault_point ("transaction-begun");

  g_free (record->prev_hash);
  record->prev_hash = NULL;
  if (!chain_head (self, &seq, &record->prev_hash, &local_error))
    goto rollback;
  record->seq = seq + 1;
  g_free (record->row_hash);
  record->row_hash = hash_consent (record);
  reversed = g_utf8_strreverse (record->id_number, -1);

  stmt = prepare (self,
                  "INSERT INTO consents (seq, uuid, created_at, name, id_number, sign_date, "
                  "org_name, org_business, org_purpose, template_sha256, pdf_path, pdf_sha256, "
                  "pdf_size, signature, kiosk_id, operator, demo, prev_hash, row_hash, id_reversed) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  &local_error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, record->seq);
  bind_text (stmt, 2, record->uuid);
  bind_text (stmt, 3, record->created_at);
  bind_text (stmt, 4, record->name);
  bind_text (stmt, 5, record->id_number);
  bind_text (stmt, 6, record->sign_date);
  bind_text (stmt, 7, record->org_name ? record->org_name : "");
  bind_text (stmt, 8, record->org_business ? record->org_business : "");
  bind_text (stmt, 9, record->org_purpose ? record->org_purpose : "");
  bind_text (stmt, 10, record->template_sha256);
  bind_text (stmt, 11, record->pdf_path);
  bind_text (stmt, 12, record->pdf_sha256);
  sqlite3_bind_int64 (stmt, 13, record->pdf_size);
  sqlite3_bind_blob (stmt, 14, g_bytes_get_data (record->signature, NULL),
                     (int)g_bytes_get_size (record->signature), SQLITE_TRANSIENT);
  bind_text (stmt, 15, record->kiosk_id);
  bind_text (stmt, 16, record->operator_name);
  sqlite3_bind_int (stmt, 17, record->demo ? 1 : 0);
  bind_text (stmt, 18, record->prev_hash);
  bind_text (stmt, 19, record->row_hash);
  bind_text (stmt, 20, reversed);

  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      /* Another writer stored the same uuid since the check above. */
      if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                     _("A consent with the id %s is already stored."), record->uuid);
      else
        sql_error (self, rc, &local_error);
      goto rollback;
    }
  fault_point ("row-inserted");

  if (!chain_advance (self, record->seq, record->row_hash, &local_error))
    goto rollback;

  /* Queued in the same transaction: a crash after the commit cannot leave
   * a consent that nobody will verify. */
  if (!queue_new_consent (self, record, &local_error) || !insert_status (self, record, &local_error))
    goto rollback;

  if ((rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }
  fault_point ("committed");

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
remove_pdf:
  /* No row: the PDF must not stay behind as a consent nobody recorded. */
  g_unlink (final_path);
  fsync_dir (month_dir, NULL);
  return FALSE;
}

/* --- reading ------------------------------------------------------------------------ */

#define CONSENT_COLUMNS \
  "seq, uuid, created_at, name, id_number, sign_date, org_name, org_business, org_purpose, " \
  "template_sha256, pdf_path, pdf_sha256, pdf_size, signature, kiosk_id, operator, demo, " \
  "prev_hash, row_hash"

static CkConsentRecord *
read_consent (sqlite3_stmt *stmt)
{
  CkConsentRecord *r = ck_consent_record_new ();

  r->seq = sqlite3_column_int64 (stmt, 0);
  r->uuid = column_text (stmt, 1);
  r->created_at = column_text (stmt, 2);
  r->name = column_text (stmt, 3);
  r->id_number = column_text (stmt, 4);
  r->sign_date = column_text (stmt, 5);
  r->org_name = column_text (stmt, 6);
  r->org_business = column_text (stmt, 7);
  r->org_purpose = column_text (stmt, 8);
  r->template_sha256 = column_text (stmt, 9);
  r->pdf_path = column_text (stmt, 10);
  r->pdf_sha256 = column_text (stmt, 11);
  r->pdf_size = sqlite3_column_int64 (stmt, 12);
  r->signature = g_bytes_new (sqlite3_column_blob (stmt, 13), sqlite3_column_bytes (stmt, 13));
  r->kiosk_id = column_text (stmt, 14);
  r->operator_name = column_text (stmt, 15);
  r->demo = sqlite3_column_int (stmt, 16) != 0;
  r->prev_hash = column_text (stmt, 17);
  r->row_hash = column_text (stmt, 18);

  return r;
}

/**
 * ck_store_lookup:
 *
 * Returns: (transfer full) (nullable): the consent with @uuid
 */
CkConsentRecord *
ck_store_lookup (CkStore     *self,
                 const char  *uuid,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " CONSENT_COLUMNS " FROM consents WHERE uuid = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, uuid);

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    return read_consent (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                 _("No consent with the id %s is stored."), uuid);
  else
    sql_error (self, rc, error);

  return NULL;
}

static gboolean
looks_like_id_tail (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++, n++)
    if (!g_ascii_isdigit (*p) && *p != 'X' && *p != 'x')
      return FALSE;

  return n >= 4 && n <= 18;
}

/* The known outcomes, by the state their last attempt gives a consent
 * (ck-verify-queue.c, derive ()): they must agree. */
#define OUTCOMES_RETRYABLE "'provider-fault', 'network-fault', 'interrupted'"
#define OUTCOMES_KNOWN \
  "'in-progress', 'verified', 'not-matched', 'undetermined', 'input-rejected', " \
  "'config-fault', 'tls-fault', " OUTCOMES_RETRYABLE

/* Appends the SQL condition for consents in @state, on a status of
 * columns withdrawn, last_outcome and last_number. */
static gboolean
append_state_condition (CkStore     *self,
                        GString     *sql,
                        const char  *state,
                        guint        max_attempts,
                        GError     **error)
{
  const char *w = "withdrawn", *o = "last_outcome", *n = "last_number";

  if (self->schema_version < 4)
    {
      /* A reader of an older store: computed on the fly. */
      w = STATUS_WITHDRAWN;
      o = STATUS_LAST_OUTCOME;
      n = STATUS_LAST_NUMBER;
    }
  if (max_attempts == 0)
    max_attempts = 5;

  if (g_str_equal (state, "withdrawn"))
    {
      g_string_append_printf (sql, "%s = 1", w);
      return TRUE;
    }

  g_string_append_printf (sql, "%s = 0 AND ", w);
  if (g_str_equal (state, "unverified"))
    g_string_append_printf (sql, "%s IS NULL", o);
  else if (g_str_equal (state, "in-progress") || g_str_equal (state, "verified") ||
           g_str_equal (state, "not-matched") || g_str_equal (state, "undetermined"))
    g_string_append_printf (sql, "%s = '%s'", o, state);
  else if (g_str_equal (state, "rejected"))
    g_string_append_printf (sql, "%s = 'input-rejected'", o);
  else if (g_str_equal (state, "retrying"))
    g_string_append_printf (sql, "%s IN (" OUTCOMES_RETRYABLE ") AND %s < %u", o, n, max_attempts);
  else if (g_str_equal (state, "failed"))
    g_string_append_printf (sql, "(%s IN ('config-fault', 'tls-fault') OR "
                                 "(%s IN (" OUTCOMES_RETRYABLE ") AND %s >= %u) OR "
                                 "%s NOT IN (" OUTCOMES_KNOWN "))",
                            o, o, n, max_attempts, o);
  else
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("“%s” is not a verification state (unverified, in-progress, verified, "
                     "not-matched, undetermined, rejected, retrying, failed, withdrawn)."),
                   state);
      return FALSE;
    }

  return TRUE;
}

/* A query's search and dates as SQL conditions on consents, and their
 * values to bind, in order. */
typedef struct
{
  char *key;
  char *key_end;
  const char *since;
  const char *until;
} Filter;

static void
filter_clear (Filter *filter)
{
  g_clear_pointer (&filter->key, g_free);
  g_clear_pointer (&filter->key_end, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Filter, filter_clear)

/* Appends " AND …" for each condition of @query to @sql. */
static gboolean
filter_append (CkStore             *self,
               Filter              *filter,
               const CkStoreQuery  *query,
               GString             *sql,
               GError             **error)
{
  if (query->search && query->search[0])
    {
      if (looks_like_id_tail (query->search))
        {
          g_autofree char *upper = g_ascii_strup (query->search, -1);

          filter->key = g_utf8_strreverse (upper, -1);
          g_string_append (sql, self->schema_version >= 2
                           ? " AND id_reversed >= ? AND id_reversed < ?"
                           : " AND ck_reverse (id_number) >= ? AND ck_reverse (id_number) < ?");
        }
      else
        {
          filter->key = g_strdup (query->search);
          g_string_append (sql, " AND name >= ? AND name < ?");
        }
      /* The smallest string greater than every string with this prefix. */
      filter->key_end = g_strconcat (filter->key, "\xf4\x8f\xbf\xbf", NULL);
    }
  if ((filter->since = query->since))
    g_string_append (sql, " AND sign_date >= ?");
  if ((filter->until = query->until))
    g_string_append (sql, " AND sign_date <= ?");

  /* Per consent the other conditions find, by seq: a search or a month
   * narrows first (bench-records, a million consents: a surname with a
   * state took 540 ms as "seq IN (…)", 88 ms so). */
  if (query->state)
    {
      g_string_append (sql, self->schema_version >= 4
                       ? " AND EXISTS (SELECT 1 FROM consent_status s WHERE s.seq = c.seq AND "
                       : " AND (");
      if (!append_state_condition (self, sql, query->state, query->max_attempts, error))
        return FALSE;
      g_string_append (sql, ")");
    }

  return TRUE;
}

static void
filter_bind (const Filter *filter,
             sqlite3_stmt *stmt)
{
  int index = 1;

  if (filter->key)
    {
      bind_text (stmt, index++, filter->key);
      bind_text (stmt, index++, filter->key_end);
    }
  if (filter->since)
    bind_text (stmt, index++, filter->since);
  if (filter->until)
    bind_text (stmt, index++, filter->until);
}

/**
 * ck_store_list:
 * @self: a #CkStore
 * @query: (nullable): what to look for
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Lists consents, newest first. A search of 4 to 18 digits (and X) finds
 * ID numbers ending so; any other text finds names starting so. Both use
 * an index, and so does a filter by verification state.
 *
 * Returns: (transfer full) (element-type CkConsentRecord): the consents
 */
GPtrArray *
ck_store_list (CkStore             *self,
               const CkStoreQuery  *query,
               GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CONSENT_COLUMNS " FROM consents c WHERE 1");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_auto(Filter) filter = { 0 };
  CkStoreQuery none = { 0 };
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (query == NULL)
    query = &none;

  if (!filter_append (self, &filter, query, sql, error))
    return NULL;
  g_string_append (sql, " ORDER BY seq DESC");
  /* SQLite takes an OFFSET only after a LIMIT; -1 is none. */
  if (query->limit || query->offset)
    g_string_append_printf (sql, " LIMIT %" G_GINT64_FORMAT " OFFSET %u",
                            query->limit ? (gint64)query->limit : (gint64)-1, query->offset);

  if (!(stmt = prepare (self, sql->str, error)))
    return NULL;
  filter_bind (&filter, stmt);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_consent_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_consent (stmt));

  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* --- rows for lists (ck-store-private.h) ------------------------------------------- */

void
ck_store_row_free (CkStoreRow *row)
{
  if (row == NULL)
    return;

  g_free (row->uuid);
  g_free (row->created_at);
  g_free (row->sign_date);
  g_free (row->name);
  g_free (row->masked_id);
  g_free (row->last_outcome);
  g_free (row);
}

static int
progress_cancelled (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

/**
 * ck_store_list_seqs:
 * @self: a #CkStore
 * @query: what to look for; limit and offset are ignored
 * @cancellable: (nullable): stops the query
 * @error: a #GError in the %CK_STORE_ERROR or %G_IO_ERROR domain
 *
 * The seqs of the consents @query finds, newest first, through indexes:
 * the state alone reads the small consent_status table only.
 *
 * Returns: (transfer full) (element-type gint64): the seqs
 */
GArray *
ck_store_list_seqs (CkStore             *self,
                    const CkStoreQuery  *query,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(Filter) filter = { 0 };
  gboolean by_status_only;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  by_status_only = self->schema_version >= 4 && !(query->search && query->search[0]) &&
                   !query->since && !query->until;
  if (by_status_only)
    {
      g_string_append (sql, "SELECT seq FROM consent_status");
      if (query->state)
        {
          g_string_append (sql, " WHERE ");
          if (!append_state_condition (self, sql, query->state, query->max_attempts, error))
            return NULL;
        }
    }
  else
    {
      g_string_append (sql, "SELECT seq FROM consents c WHERE 1");
      if (!filter_append (self, &filter, query, sql, error))
        return NULL;
    }
  g_string_append (sql, " ORDER BY seq DESC");

  if (!(stmt = prepare (self, sql->str, error)))
    return NULL;
  filter_bind (&filter, stmt);

  if (cancellable)
    sqlite3_progress_handler (self->db, 10000, progress_cancelled, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  if (cancellable)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&seqs);
}

/**
 * ck_store_read_rows:
 * @self: a #CkStore
 * @seqs: (array length=n_seqs): consents' seqs
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkStoreRow): one row a seq, in
 *   order; %NULL elements for consents no longer stored (purged)
 */
GPtrArray *
ck_store_read_rows (CkStore       *self,
                    const gint64  *seqs,
                    guint          n_seqs,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = prepare (self, self->schema_version >= 4
                  ? "SELECT c.seq, c.uuid, c.created_at, c.sign_date, c.name, c.id_number, c.demo, "
                    "  s.last_outcome, s.last_number, s.withdrawn "
                    "FROM consents c JOIN consent_status s ON s.seq = c.seq WHERE c.seq = ?"
                  : "SELECT c.seq, c.uuid, c.created_at, c.sign_date, c.name, c.id_number, c.demo, "
                    STATUS_LAST_OUTCOME ", " STATUS_LAST_NUMBER ", " STATUS_WITHDRAWN " "
                    "FROM consents c WHERE c.seq = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_full (n_seqs, (GDestroyNotify)ck_store_row_free);
  for (guint i = 0; i < n_seqs; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, seqs[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          CkStoreRow *row = g_new0 (CkStoreRow, 1);

          row->seq = sqlite3_column_int64 (stmt, 0);
          row->uuid = column_text (stmt, 1);
          row->created_at = column_text (stmt, 2);
          row->sign_date = column_text (stmt, 3);
          row->name = column_text (stmt, 4);
          row->masked_id = ck_idcard_mask_number ((const char *)sqlite3_column_text (stmt, 5));
          row->demo = sqlite3_column_int (stmt, 6) != 0;
          row->last_outcome = column_text (stmt, 7);
          row->last_number = (guint)sqlite3_column_int (stmt, 8);
          row->withdrawn = sqlite3_column_int (stmt, 9) != 0;
          g_ptr_array_add (rows, row);
        }
      else if (rc == SQLITE_DONE)
        g_ptr_array_add (rows, NULL);
      else
        {
          sql_error (self, rc, error);
          return NULL;
        }
    }

  return g_steal_pointer (&rows);
}

gint64
ck_store_count (CkStore  *self,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), -1);

  if (!(stmt = prepare (self, "SELECT count(*) FROM consents", error)))
    return -1;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      sql_error (self, rc, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * ck_store_read_pdf:
 *
 * Reads a consent's PDF and checks it against the recorded SHA-256.
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
ck_store_read_pdf (CkStore                *self,
                   const CkConsentRecord  *record,
                   GError                **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  path = g_build_filename (self->data_dir, record->pdf_path, NULL);
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("The PDF of consent %s cannot be read: %s"),
                   record->uuid, local_error->message);
      return NULL;
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
  if (g_strcmp0 (sha256, record->pdf_sha256) != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The PDF of consent %s does not match its recorded hash: it was "
                     "changed after signing."),
                   record->uuid);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* --- events ---------------------------------------------------------------------------- */

/**
 * ck_store_add_event:
 * @self: a #CkStore
 * @kind: e.g. "reveal", "withdrawal"
 * @consent_uuid: (nullable): the consent it concerns
 * @operator_name: (nullable): who did it
 * @detail: (nullable): more, as JSON
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Appends to the event log, in the hash chain.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_add_event (CkStore     *self,
                    const char  *kind,
                    const char  *consent_uuid,
                    const char  *operator_name,
                    const char  *detail,
                    GError     **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  event->kind = g_strdup (kind);
  event->consent_uuid = g_strdup (consent_uuid);
  event->operator_name = g_strdup (operator_name);
  event->detail = g_strdup (detail);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!insert_event (self, event, &local_error) || !exec (self, "COMMIT", &local_error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

#define EVENT_COLUMNS "seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash"

static CkStoreEvent *
read_event (sqlite3_stmt *stmt)
{
  CkStoreEvent *e = g_new0 (CkStoreEvent, 1);

  e->seq = sqlite3_column_int64 (stmt, 0);
  e->at = column_text (stmt, 1);
  e->kind = column_text (stmt, 2);
  e->consent_uuid = column_text (stmt, 3);
  e->operator_name = column_text (stmt, 4);
  e->detail = column_text (stmt, 5);
  e->prev_hash = column_text (stmt, 6);
  e->row_hash = column_text (stmt, 7);

  return e;
}

/**
 * ck_store_list_events:
 * @consent_uuid: (nullable): only those about this consent
 *
 * Returns: (transfer full) (element-type CkStoreEvent): events, oldest first
 */
GPtrArray *
ck_store_list_events (CkStore     *self,
                      const char  *consent_uuid,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_store_event_free);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = prepare (self,
                  consent_uuid
                  ? "SELECT " EVENT_COLUMNS " FROM events WHERE consent_uuid = ? ORDER BY seq"
                  : "SELECT " EVENT_COLUMNS " FROM events ORDER BY seq",
                  error);
  if (stmt == NULL)
    return NULL;
  if (consent_uuid)
    bind_text (stmt, 1, consent_uuid);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, read_event (stmt));

  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

/* Whether @uuid has a withdrawal event. */
static gboolean
lookup_withdrawn (CkStore     *self,
                  const char  *uuid,
                  gboolean    *withdrawn,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT 1 FROM events WHERE consent_uuid = ? AND kind = 'withdrawal' LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  *withdrawn = rc == SQLITE_ROW;
  return TRUE;
}

/* Fails with %CK_STORE_ERROR_WITHDRAWN if @uuid was withdrawn. */
static gboolean
refuse_withdrawn (CkStore     *self,
                  const char  *uuid,
                  GError     **error)
{
  gboolean withdrawn;

  if (!lookup_withdrawn (self, uuid, &withdrawn, error))
    return FALSE;
  if (withdrawn)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN,
                   _("Consent %s was withdrawn by the customer: it is not verified any more."),
                   uuid);
      return FALSE;
    }

  return TRUE;
}

/* --- withdrawal and reveals ---------------------------------------------------------- */

/* {"key":value,…} from pairs of strings (a %NULL value is null), ended by
 * a %NULL key. */
static char *
json_detail (const char *key,
             ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, key);
  for (; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, key);
      if (value)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Within a transaction: fails with %CK_STORE_ERROR_NOT_FOUND unless a
 * consent @uuid is stored. */
static gboolean
require_consent (CkStore     *self,
                 const char  *uuid,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT 1 FROM consents WHERE uuid = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("No consent with the id %s is stored."), uuid);
      return FALSE;
    }

  return rc == SQLITE_ROW ? TRUE : sql_error (self, rc, error);
}

static gboolean
require_operator (const char  *operator_name,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (operator_name ? operator_name : ""));

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("Say who does this: the operator's name is empty."));
      return FALSE;
    }

  return TRUE;
}

/* Appends an event about a stored consent, in one transaction; a
 * withdrawal only once. */
static gboolean
add_consent_event (CkStore     *self,
                   const char  *kind,
                   const char  *uuid,
                   const char  *operator_name,
                   const char  *detail,
                   GError     **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autoptr(GError) local_error = NULL;

  if (!require_operator (operator_name, error))
    return FALSE;

  event->kind = g_strdup (kind);
  event->consent_uuid = g_strdup (uuid);
  event->operator_name = g_strdup (operator_name);
  event->detail = g_strdup (detail);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!require_consent (self, uuid, &local_error))
    goto rollback;
  if (g_str_equal (kind, "withdrawal"))
    {
      gboolean withdrawn;

      if (!lookup_withdrawn (self, uuid, &withdrawn, &local_error))
        goto rollback;
      if (withdrawn)
        {
          g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN,
                       _("Consent %s was already withdrawn."), uuid);
          goto rollback;
        }
    }
  /* insert_event () applies a withdrawal: status and queue. */
  if (!insert_event (self, event, &local_error) || !exec (self, "COMMIT", &local_error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_withdraw:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @operator_name: the member of staff recording it
 * @note: (nullable): what the customer said, or a reference
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records the customer's withdrawal of consent as a "withdrawal" event in
 * the hash chain (detail `{"note":…}`) and takes the consent out of the
 * verification queue, in one transaction. Afterwards
 * ck_store_begin_attempt () refuses it with %CK_STORE_ERROR_WITHDRAWN.
 *
 * Returns: %TRUE once committed; %FALSE with %CK_STORE_ERROR_NOT_FOUND,
 *   %CK_STORE_ERROR_WITHDRAWN (already) or %CK_STORE_ERROR_INVALID (no
 *   operator)
 */
gboolean
ck_store_withdraw (CkStore     *self,
                   const char  *uuid,
                   const char  *operator_name,
                   const char  *note,
                   GError     **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  detail = json_detail ("note", note, NULL);
  return add_consent_event (self, "withdrawal", uuid, operator_name, detail, error);
}

/**
 * ck_store_lookup_withdrawal:
 *
 * Returns: (transfer full) (nullable): the consent's withdrawal event, or
 *   %NULL with @error unset when it was not withdrawn
 */
CkStoreEvent *
ck_store_lookup_withdrawal (CkStore     *self,
                            const char  *uuid,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " EVENT_COLUMNS " FROM events "
                        "WHERE consent_uuid = ? AND kind = 'withdrawal' ORDER BY seq LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, uuid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    return read_event (stmt);
  if (rc != SQLITE_DONE)
    sql_error (self, rc, error);

  return NULL;
}

/**
 * ck_store_record_reveal:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @operator_name: who sees the whole ID number
 * @via: how, e.g. "staff-window" or "consentctl"
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records that @operator_name saw @uuid's whole ID number: a "reveal"
 * event in the chain, detail `{"field":"id_number","via":…}`. Call it
 * before showing the number, and show it only if this returns %TRUE.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_record_reveal (CkStore     *self,
                        const char  *uuid,
                        const char  *operator_name,
                        const char  *via,
                        GError     **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  detail = json_detail ("field", "id_number", "via", via, NULL);
  return add_consent_event (self, "reveal", uuid, operator_name, detail, error);
}

/* --- the ledger of purged calls -------------------------------------------------------- */

/* purged_calls keeps, for the package's usage, the paid calls of consents
 * a purge removed (docs/VERIFICATION.md). Each purge's event records how
 * many rows it added and the SHA-256 of their canonical forms, in the
 * order added; ck_store_check () recomputes both. */

/* The purge events of schema 5 on: each records the rows it kept. */
#define PURGE_WITH_LEDGER "kind = 'purge' AND instr (detail, '\"calls_sha256\":\"') > 0"

#define LEDGER_COLUMNS "started_ms, started_at, provider, outcome, http_status, request_id, billed, demo"

/* Adds one row, read with LEDGER_COLUMNS, to @digest in its canonical form. */
static void
ledger_digest_row (GChecksum    *digest,
                   sqlite3_stmt *stmt)
{
  g_autoptr(GString) canon = g_string_new ("ck-purged-call/1\n");
  g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));
  g_autofree char *http = g_strdup_printf ("%d", sqlite3_column_int (stmt, 4));

  canon_field (canon, "started_ms", started);
  canon_field (canon, "started_at", (const char *)sqlite3_column_text (stmt, 1));
  canon_field (canon, "provider", (const char *)sqlite3_column_text (stmt, 2));
  canon_field (canon, "outcome", (const char *)sqlite3_column_text (stmt, 3));
  canon_field (canon, "http_status", http);
  canon_field (canon, "request_id", (const char *)sqlite3_column_text (stmt, 5));
  canon_field (canon, "billed", (const char *)sqlite3_column_text (stmt, 6));
  canon_field (canon, "demo", sqlite3_column_int (stmt, 7) ? "1" : "0");
  g_checksum_update (digest, (const guchar *)canon->str, (gssize)canon->len);
}

/* The count and SHA-256 of the rows the purge event @purge_seq kept. */
static gboolean
ledger_digest (CkStore  *self,
               gint64    purge_seq,
               guint    *n_rows,
               char    **sha256,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);
  int rc;

  stmt = prepare (self, "SELECT " LEDGER_COLUMNS " FROM purged_calls WHERE purge_seq = ? ORDER BY id",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, purge_seq);
  *n_rows = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ledger_digest_row (digest, stmt);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  *sha256 = g_strdup (g_checksum_get_string (digest));
  return TRUE;
}

/* Within a purge's transaction, before its attempts go: keeps the calls
 * of the consents signed before @before that count against the package,
 * under the seq the purge's event is about to take. */
static gboolean
keep_purged_calls (CkStore     *self,
                   const char  *before,
                   guint       *n_calls,
                   char       **sha256,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *head_hash = NULL;
  gint64 head_seq;
  int rc;

  if (!chain_head (self, &head_seq, &head_hash, error))
    return FALSE;

  insert = prepare (self,
                    "INSERT INTO purged_calls (purge_seq, " LEDGER_COLUMNS ") "
                    "SELECT ?1, started_ms, started_at, provider, "
                    "  CASE outcome WHEN 'in-progress' THEN 'interrupted' ELSE outcome END, "
                    "  http_status, request_id, "
                    "  CASE WHEN " ATTEMPT_BILLED " THEN 'yes' ELSE 'maybe' END, demo "
                    "FROM attempts WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?2) "
                    "AND (" ATTEMPT_KEPT_BY_PURGE ") ORDER BY started_ms, id",
                    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, head_seq + 1);
  bind_text (insert, 2, before);
  if ((rc = sqlite3_step (insert)) != SQLITE_DONE)
    return sql_error (self, rc, error);

  return ledger_digest (self, head_seq + 1, n_calls, sha256, error);
}

/* --- purge ---------------------------------------------------------------------------- */

static gboolean
purge_verification (CkStore     *self,
                    const char  *before,
                    GError     **error)
{
  static const char * const statements[] = {
    "DELETE FROM attempts WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?)",
    "DELETE FROM verify_queue WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?)",
    "DELETE FROM consent_status WHERE seq IN (SELECT seq FROM consents WHERE sign_date < ?)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = prepare (self, statements[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, before);
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        return sql_error (self, rc, error);
    }

  return TRUE;
}

/**
 * ck_store_purge:
 * @self: a #CkStore
 * @before: YYYY-MM-DD: consents signed before this date go
 * @operator_name: (nullable): who asked
 * @n_purged: (out) (optional): how many went
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Deletes old consents and their PDFs (retention). The purge is itself an
 * event in the chain, listing the links it cut, so `check` still passes.
 * Their attempts go too, but the calls the vendor charged (or may have)
 * stay in purged_calls, sealed by the event's "calls" and "calls_sha256",
 * so that the package's usage does not change.
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_purge (CkStore     *self,
                const char  *before,
                const char  *operator_name,
                guint       *n_purged,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) remove = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) detail = NULL;
  g_autoptr(CkStoreEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(FilesLock) lock = -1;
  g_autofree char *calls_sha256 = NULL;
  guint n = 0, n_calls = 0;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!ck_date_parse (before, NULL))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("A purge needs a date as YYYY-MM-DD, not “%s”."), before ? before : "");
      return FALSE;
    }

  /* Until the PDFs are gone, they are files without rows. */
  if (!files_lock (self, LOCK_SH, &lock, error) || !exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Each purged consent's seq and hash: check matches the cut links. */
  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"before\":\"%s\",\"removed\":[", before);
  select = prepare (self, "SELECT seq, row_hash, pdf_path FROM consents WHERE sign_date < ? ORDER BY seq",
                    &local_error);
  if (select == NULL)
    goto rollback;
  bind_text (select, 1, before);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      /* The path lets a later recovery delete, rather than keep, a PDF
       * whose purge was cut short by a crash. */
      g_string_append_printf (detail, "%s[%" G_GINT64_FORMAT ",\"%s\",\"%s\"]", n ? "," : "",
                              (gint64)sqlite3_column_int64 (select, 0),
                              (const char *)sqlite3_column_text (select, 1),
                              (const char *)sqlite3_column_text (select, 2));
      g_ptr_array_add (paths, column_text (select, 2));
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }
  g_string_append (detail, "]");

  /* The calls the vendor charged for them stay counted: the ledger's rows
   * are sealed by this purge's event, which records their count and
   * SHA-256. */
  if (!keep_purged_calls (self, before, &n_calls, &calls_sha256, &local_error))
    goto rollback;
  g_string_append_printf (detail, ",\"calls\":%u,\"calls_sha256\":\"%s\"}", n_calls, calls_sha256);

  /* Their attempts and queue entries go with them; the chain keeps the
   * sealing events, which name no person. */
  if (!purge_verification (self, before, &local_error))
    goto rollback;

  remove = prepare (self, "DELETE FROM consents WHERE sign_date < ?", &local_error);
  if (remove == NULL)
    goto rollback;
  bind_text (remove, 1, before);
  if ((rc = sqlite3_step (remove)) != SQLITE_DONE)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }

  event = g_new0 (CkStoreEvent, 1);
  event->kind = g_strdup ("purge");
  event->operator_name = g_strdup (operator_name);
  event->detail = g_strdup (detail->str);
  if (!insert_event (self, event, &local_error) || !exec (self, "COMMIT", &local_error))
    goto rollback;

  /* The rows are gone for good; now their files. */
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *path = g_build_filename (self->data_dir, paths->pdata[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Cannot remove purged PDF %s: %s", path, g_strerror (errno));
    }

  if (n_purged)
    *n_purged = n;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* --- check ------------------------------------------------------------------------------ */

typedef struct
{
  gint64 seq;
  char *prev_hash;
  char *row_hash;
  char *computed;
  char *label;
} Link;

static void
link_free (gpointer data)
{
  Link *link = data;

  g_free (link->prev_hash);
  g_free (link->row_hash);
  g_free (link->computed);
  g_free (link->label);
  g_free (link);
}

static int
link_compare (gconstpointer a,
              gconstpointer b)
{
  const Link *x = *(const Link * const *)a, *y = *(const Link * const *)b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
problem (GPtrArray  *problems,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (GPtrArray  *problems,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

typedef struct
{
  GHashTable *paths;   /* pdf_path of every row */
  GPtrArray *problems;
} ExtraScan;

static void
extra_visit (CkStore    *self,
             const char *relative,
             const char *name,
             gpointer    user_data)
{
  ExtraScan *scan = user_data;

  if (!g_hash_table_contains (scan->paths, relative))
    g_ptr_array_add (scan->problems, g_strdup (relative));
}

/* A file no row names may be a save in flight in another process (its
 * PDF is in place before its row commits). Wait for saves in flight —
 * they hold consents.lock shared — then ask again; what is still
 * unrecorded is extra. */
static gboolean
confirm_extras (CkStore    *self,
                GPtrArray  *candidates,
                GPtrArray  *problems,
                GError    **error)
{
  g_autofree char *lock_path = g_build_filename (self->data_dir, "consents.lock", NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int fd = self->lock_fd >= 0 ? self->lock_fd : open (lock_path, O_RDONLY | O_CLOEXEC);

  if (fd >= 0)
    while (flock (fd, LOCK_EX) != 0 && errno == EINTR)
      ;

  if (!(stmt = prepare (self, "SELECT 1 FROM consents WHERE pdf_path = ?", error)))
    goto out;

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *relative = candidates->pdata[i];
      g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);
      int rc;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;   /* a .tmp that has since been renamed */

      sqlite3_reset (stmt);
      bind_text (stmt, 1, relative);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        problem (problems, _("%s is not the PDF of any stored consent."), relative);
      else if (rc != SQLITE_ROW)
        {
          sql_error (self, rc, error);
          g_clear_pointer (&stmt, sqlite3_finalize);
          goto out;
        }
    }

out:
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      if (fd != self->lock_fd)
        close (fd);
    }

  return stmt != NULL;
}

/* Parses a purge event's "removed" list: [[seq,"hash"],…]. */
/* Parses a purge event's "removed" list, [[seq,"hash","path"],…] (the
 * path is absent in purges written before it was added): the cut links
 * into @purged (seq → hash) and, when @paths is given, the PDF paths. */
static void
collect_purged (const char *detail,
                GHashTable *purged,
                GHashTable *paths)
{
  const char *p = detail ? strstr (detail, "\"removed\":[") : NULL;

  if (p == NULL)
    return;
  p += strlen ("\"removed\":[");

  while (*p == '[')
    {
      const char *close = strchr (p, ']');
      const char *q1, *q2;
      char *end;
      gint64 seq;

      if (close == NULL)
        return;
      seq = g_ascii_strtoll (p + 1, &end, 10);
      q1 = strchr (end, '"');
      if (q1 == NULL || q1 > close || close - q1 < 66)
        return;
      if (purged)
        g_hash_table_insert (purged, g_memdup2 (&seq, sizeof seq), g_strndup (q1 + 1, 64));

      /* An optional third member: the PDF's path. */
      q1 = strchr (q1 + 66, '"');
      if (paths && q1 && q1 < close && (q2 = strchr (q1 + 1, '"')) && q2 < close)
        g_hash_table_add (paths, g_strndup (q1 + 1, q2 - q1 - 1));

      p = close + 1;
      if (*p == ',')
        p++;
    }
}

/* --- verification attempts -------------------------------------------------------- */

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

static char *
hash_attempt (const CkVerifyAttempt *a)
{
  g_autoptr(GString) canon = g_string_new ("ck-attempt/1\n");
  g_autofree char *number = g_strdup_printf ("%u", a->number);
  g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, a->started_ms);
  g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, a->duration_ms);
  g_autofree char *http = g_strdup_printf ("%u", a->http_status);
  g_autofree char *body = a->body ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a->body) : NULL;

  canon_field (canon, "consent_uuid", a->consent_uuid);
  canon_field (canon, "number", number);
  canon_field (canon, "started_ms", started);
  canon_field (canon, "started_at", a->started_at);
  canon_field (canon, "duration_ms", duration);
  canon_field (canon, "provider", a->provider);
  canon_field (canon, "outcome", a->outcome);
  canon_field (canon, "http_status", http);
  canon_field (canon, "provider_status", a->provider_status);
  canon_field (canon, "provider_message", a->provider_message);
  canon_field (canon, "request_id", a->request_id);
  canon_field (canon, "error_code", a->error_code);
  canon_field (canon, "error_message", a->error_message);
  canon_field (canon, "detail", a->detail);
  canon_field (canon, "body_sha256", body);
  canon_field (canon, "body_truncated", a->body_truncated ? "1" : "0");
  canon_field (canon, "demo", a->demo ? "1" : "0");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

#define ATTEMPT_COLUMNS \
  "id, consent_uuid, number, started_ms, started_at, duration_ms, provider, outcome, " \
  "http_status, provider_status, provider_message, request_id, error_code, error_message, " \
  "detail, body, body_truncated, demo, claimed_by"

static CkVerifyAttempt *
read_attempt (sqlite3_stmt *stmt)
{
  CkVerifyAttempt *a = ck_verify_attempt_new ();

  a->id = sqlite3_column_int64 (stmt, 0);
  a->consent_uuid = column_text (stmt, 1);
  a->number = (guint)sqlite3_column_int (stmt, 2);
  a->started_ms = sqlite3_column_int64 (stmt, 3);
  a->started_at = column_text (stmt, 4);
  a->duration_ms = sqlite3_column_int64 (stmt, 5);
  a->provider = column_text (stmt, 6);
  a->outcome = column_text (stmt, 7);
  a->http_status = (guint)sqlite3_column_int (stmt, 8);
  a->provider_status = column_text (stmt, 9);
  a->provider_message = column_text (stmt, 10);
  a->request_id = column_text (stmt, 11);
  a->error_code = column_text (stmt, 12);
  a->error_message = column_text (stmt, 13);
  a->detail = column_text (stmt, 14);
  if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
    a->body = g_bytes_new (sqlite3_column_blob (stmt, 15), sqlite3_column_bytes (stmt, 15));
  a->body_truncated = sqlite3_column_int (stmt, 16) != 0;
  a->demo = sqlite3_column_int (stmt, 17) != 0;
  a->claimed_by = column_text (stmt, 18);

  return a;
}

/**
 * ck_store_lookup_intact:
 *
 * Looks up a consent and proves it is the one signed: its row still hashes
 * to its link in the chain, and its PDF on disk to the recorded SHA-256.
 * Verification calls this first (design.md, invariant 1).
 *
 * Returns: (transfer full) (nullable): the consent, or %NULL with
 *   %CK_STORE_ERROR_NOT_FOUND or %CK_STORE_ERROR_TAMPERED
 */
CkConsentRecord *
ck_store_lookup_intact (CkStore     *self,
                        const char  *uuid,
                        GError     **error)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *computed = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (!is_uuid (uuid))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not a consent id."), uuid ? uuid : "");
      return NULL;
    }
  if (!(record = ck_store_lookup (self, uuid, error)))
    return NULL;

  computed = hash_consent (record);
  if (g_strcmp0 (computed, record->row_hash) != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The record of consent %s was edited after signing: it does not match "
                     "its hash."), uuid);
      return NULL;
    }
  if (!(pdf = ck_store_read_pdf (self, record, error)))
    return NULL;

  return g_steal_pointer (&record);
}

static char *
claim_owner (void)
{
  return g_strdup_printf ("%s:%d", g_get_host_name (), (int)getpid ());
}

/* Whether the process that claimed an attempt is gone: same host, and its
 * pid no longer exists. */
static gboolean
claim_is_dead (const char *claimed_by)
{
  const char *colon = claimed_by ? strrchr (claimed_by, ':') : NULL;
  g_autofree char *host = NULL;
  gint64 pid;

  if (colon == NULL)
    return FALSE;
  host = g_strndup (claimed_by, colon - claimed_by);
  if (!g_str_equal (host, g_get_host_name ()) ||
      !g_ascii_string_to_signed (colon + 1, 10, 1, G_MAXINT, &pid, NULL))
    return FALSE;

  return kill ((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static gboolean
insert_seal (CkStore                *self,
             const CkVerifyAttempt  *attempt,
             GError                **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autofree char *hash = hash_attempt (attempt);

  event->kind = g_strdup ("verification");
  event->consent_uuid = g_strdup (attempt->consent_uuid);
  event->detail = g_strdup_printf ("{\"attempt\":%u,\"outcome\":\"%s\",\"sha256\":\"%s\"}",
                                   attempt->number, attempt->outcome, hash);

  return insert_event (self, event, error);
}

static gboolean
update_attempt (CkStore                *self,
                const CkVerifyAttempt  *a,
                GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self,
                  "UPDATE attempts SET duration_ms = ?, provider = ?, outcome = ?, http_status = ?, "
                  "provider_status = ?, provider_message = ?, request_id = ?, error_code = ?, "
                  "error_message = ?, detail = ?, body = ?, body_truncated = ?, demo = ? "
                  "WHERE id = ? AND outcome = 'in-progress'",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a->duration_ms);
  bind_text (stmt, 2, a->provider);
  bind_text (stmt, 3, a->outcome);
  sqlite3_bind_int (stmt, 4, (int)a->http_status);
  bind_text (stmt, 5, a->provider_status);
  bind_text (stmt, 6, a->provider_message);
  bind_text (stmt, 7, a->request_id);
  bind_text (stmt, 8, a->error_code);
  bind_text (stmt, 9, a->error_message);
  bind_text (stmt, 10, a->detail);
  if (a->body)
    sqlite3_bind_blob (stmt, 11, g_bytes_get_data (a->body, NULL),
                       (int)MIN (g_bytes_get_size (a->body), 8 * 1024), SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 11);
  sqlite3_bind_int (stmt, 12, a->body_truncated || (a->body && g_bytes_get_size (a->body) > 8 * 1024));
  sqlite3_bind_int (stmt, 13, a->demo);
  sqlite3_bind_int64 (stmt, 14, a->id);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return sql_error (self, rc, error);
  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("Attempt %u of consent %s is not running: its answer cannot be recorded."),
                   a->number, a->consent_uuid);
      return FALSE;
    }

  return TRUE;
}

/* Within a transaction: the attempts at @uuid still "in-progress"; those
 * whose process is gone, or that are older than @stale_after_ms, are
 * sealed as "interrupted". Fails with %CK_STORE_ERROR_BUSY if one is live. */
static gboolean
settle_running (CkStore     *self,
                const char  *uuid,
                gint64       now_ms,
                gint64       stale_after_ms,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  int rc;

  stmt = prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts "
                        "WHERE consent_uuid = ? AND outcome = 'in-progress'", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, uuid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (running, read_attempt (stmt));
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  for (guint i = 0; i < running->len; i++)
    {
      CkVerifyAttempt *a = running->pdata[i];

      if (!claim_is_dead (a->claimed_by) && now_ms - a->started_ms < stale_after_ms)
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_BUSY,
                       _("Consent %s is being verified right now (by %s); wait for that "
                         "attempt to finish."), uuid, a->claimed_by);
          return FALSE;
        }

      g_free (a->outcome);
      a->outcome = g_strdup ("interrupted");
      a->duration_ms = -1;
      a->detail = g_strdup ("the process making the call stopped before its answer was recorded");
      if (!update_attempt (self, a, error) || !insert_seal (self, a, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * ck_store_begin_attempt:
 * @self: a #CkStore
 * @consent_uuid: a stored consent
 * @provider: the provider about to be asked
 * @now_ms: the time, Unix milliseconds
 * @stale_after_ms: an attempt still running after this long belongs to a
 *   process that hung; it is sealed as interrupted
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Claims the consent's next attempt durably, before any request is sent.
 *
 * Returns: (transfer full) (nullable): the claimed attempt, "in-progress";
 *   %NULL with %CK_STORE_ERROR_BUSY while another attempt runs, or
 *   %CK_STORE_ERROR_WITHDRAWN when the consent was withdrawn
 */
CkVerifyAttempt *
ck_store_begin_attempt (CkStore     *self,
                        const char  *consent_uuid,
                        const char  *provider,
                        gint64       now_ms,
                        gint64       stale_after_ms,
                        GError     **error)
{
  g_autoptr(CkVerifyAttempt) attempt = ck_verify_attempt_new ();
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *seconds = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);
  g_return_val_if_fail (consent_uuid != NULL && provider != NULL, NULL);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;

  /* Under the write lock: a withdrawal committed by another process
   * since the caller looked is seen here. */
  if (!refuse_withdrawn (self, consent_uuid, &local_error) ||
      !settle_running (self, consent_uuid, now_ms, stale_after_ms, &local_error))
    goto rollback;

  count = prepare (self, "SELECT count(*) FROM attempts WHERE consent_uuid = ?", &local_error);
  if (count == NULL)
    goto rollback;
  bind_text (count, 1, consent_uuid);
  if ((rc = sqlite3_step (count)) != SQLITE_ROW)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }

  started = g_date_time_new_from_unix_utc (now_ms / 1000);
  seconds = g_date_time_format (started, "%Y-%m-%dT%H:%M:%S");
  attempt->consent_uuid = g_strdup (consent_uuid);
  attempt->number = (guint)sqlite3_column_int (count, 0) + 1;
  attempt->started_ms = now_ms;
  attempt->started_at = g_strdup_printf ("%s.%03dZ", seconds, (int)(now_ms % 1000));
  attempt->provider = g_strdup (provider);
  attempt->outcome = g_strdup ("in-progress");
  attempt->claimed_by = claim_owner ();

  insert = prepare (self,
                    "INSERT INTO attempts (consent_uuid, number, started_ms, started_at, duration_ms, "
                    "provider, outcome, http_status, body_truncated, demo, claimed_by) "
                    "VALUES (?, ?, ?, ?, -1, ?, ?, 0, 0, 0, ?)",
                    &local_error);
  if (insert == NULL)
    goto rollback;
  bind_text (insert, 1, attempt->consent_uuid);
  sqlite3_bind_int (insert, 2, (int)attempt->number);
  sqlite3_bind_int64 (insert, 3, attempt->started_ms);
  bind_text (insert, 4, attempt->started_at);
  bind_text (insert, 5, attempt->provider);
  bind_text (insert, 6, attempt->outcome);
  bind_text (insert, 7, attempt->claimed_by);
  if ((rc = sqlite3_step (insert)) != SQLITE_DONE)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }
  attempt->id = sqlite3_last_insert_rowid (self->db);

  if (!status_sync (self, consent_uuid, &local_error) || !exec (self, "COMMIT", &local_error))
    goto rollback;

  return g_steal_pointer (&attempt);

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * ck_store_finish_attempt:
 * @self: a #CkStore
 * @attempt: an attempt from ck_store_begin_attempt() with its answer filled
 *   in: outcome, duration and what the service sent
 * @next_due_ms: when the queue should try again (Unix ms), or 0 to take
 *   the consent out of the queue
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records the answer, seals it in the chain and reschedules the consent,
 * in one durable transaction.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_finish_attempt (CkStore                *self,
                         const CkVerifyAttempt  *attempt,
                         gint64                  next_due_ms,
                         GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (attempt != NULL && attempt->outcome != NULL, FALSE);

  if (g_str_equal (attempt->outcome, "in-progress"))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("Attempt %u of consent %s has no outcome to record."),
                   attempt->number, attempt->consent_uuid);
      return FALSE;
    }

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!update_attempt (self, attempt, &local_error) || !insert_seal (self, attempt, &local_error) ||
      !status_sync (self, attempt->consent_uuid, &local_error))
    goto rollback;

  /* Withdrawn while the request was out: the answer is recorded, but the
   * consent is not queued again. */
  if (next_due_ms > 0)
    {
      gboolean withdrawn;

      if (!lookup_withdrawn (self, attempt->consent_uuid, &withdrawn, &local_error))
        goto rollback;
      if (withdrawn)
        next_due_ms = 0;
    }

  stmt = prepare (self, next_due_ms > 0
                  ? "INSERT OR REPLACE INTO verify_queue (consent_uuid, attempts, due_ms) VALUES (?, ?, ?)"
                  : "DELETE FROM verify_queue WHERE consent_uuid = ?",
                  &local_error);
  if (stmt == NULL)
    goto rollback;
  bind_text (stmt, 1, attempt->consent_uuid);
  if (next_due_ms > 0)
    {
      sqlite3_bind_int (stmt, 2, (int)attempt->number);
      sqlite3_bind_int64 (stmt, 3, next_due_ms);
    }
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      sql_error (self, rc, &local_error);
      goto rollback;
    }

  if (!exec (self, "COMMIT", &local_error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_list_attempts:
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the consent's
 *   attempts, first first
 */
GPtrArray *
ck_store_list_attempts (CkStore     *self,
                        const char  *consent_uuid,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (self->schema_version < 3)
    return g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);

  stmt = prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE consent_uuid = ? ORDER BY number",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, consent_uuid);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_attempt (stmt));
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * ck_store_list_queue:
 * @self: a #CkStore
 * @due_by_ms: list those due at or before this time (Unix ms);
 *   %G_MAXINT64 for every queued consent
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkQueueEntry): queued consents,
 *   the earliest due first
 */
GPtrArray *
ck_store_list_queue (CkStore     *self,
                     gint64       due_by_ms,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT consent_uuid, attempts, due_ms FROM verify_queue "
                        "WHERE due_ms <= ? ORDER BY due_ms, consent_uuid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, due_by_ms);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_queue_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkQueueEntry *entry = g_new0 (CkQueueEntry, 1);

      entry->consent_uuid = column_text (stmt, 0);
      entry->attempts = (guint)sqlite3_column_int (stmt, 1);
      entry->due_ms = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (result, entry);
    }
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * ck_store_get_next_due:
 * @self: a #CkStore
 * @due_ms: (out): when the earliest queued consent is due; 0 if none is
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_get_next_due (CkStore  *self,
                       gint64   *due_ms,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (due_ms != NULL, FALSE);

  if (!(stmt = prepare (self, "SELECT min(due_ms) FROM verify_queue", error)))
    return FALSE;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return sql_error (self, rc, error);

  *due_ms = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* --- usage of the paid package (ck-usage.c) ------------------------------------- */

/* ATTEMPT_BILLED and ATTEMPT_MAYBE_BILLED are defined with the schema. */

/**
 * ck_store_count_billable:
 * @since: (nullable): YYYY-MM-DD: attempts started on or after this day
 *   (UTC); %NULL for all
 * @billed: (out): attempts the service answered
 * @maybe_billed: (out): interrupted attempts
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_count_billable (CkStore     *self,
                         const char  *since,
                         guint64     *billed,
                         guint64     *maybe_billed,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  *billed = *maybe_billed = 0;
  if (self->schema_version < 3)
    return TRUE;

  /* With the calls of purged consents, from schema 5 on. */
  stmt = prepare (self, self->schema_version < 5
                  ? "SELECT coalesce (sum (CASE WHEN " ATTEMPT_BILLED " THEN 1 ELSE 0 END), 0), "
                    "       coalesce (sum (CASE WHEN " ATTEMPT_MAYBE_BILLED " THEN 1 ELSE 0 END), 0) "
                    "FROM attempts WHERE ?1 IS NULL OR started_at >= ?1"
                  : "SELECT coalesce (sum (billed), 0), coalesce (sum (maybe), 0) FROM ("
                    "  SELECT " ATTEMPT_BILLED " AS billed, " ATTEMPT_MAYBE_BILLED " AS maybe "
                    "  FROM attempts WHERE ?1 IS NULL OR started_at >= ?1 "
                    "  UNION ALL "
                    "  SELECT billed = 'yes', billed = 'maybe' "
                    "  FROM purged_calls WHERE ?1 IS NULL OR started_at >= ?1)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, since);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return sql_error (self, rc, error);

  *billed = (guint64)sqlite3_column_int64 (stmt, 0);
  *maybe_billed = (guint64)sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/**
 * ck_store_list_billable:
 * @since: (nullable): as ck_store_count_billable()
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the billed and
 *   the maybe billed attempts, oldest first
 */
GPtrArray *
ck_store_list_billable (CkStore     *self,
                        const char  *since,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  if (self->schema_version < 3)
    return g_steal_pointer (&result);

  /* From schema 5 on, with the calls of purged consents: no consent id,
   * nothing but what the ledger keeps. */
  stmt = prepare (self, self->schema_version < 5
                  ? "SELECT " ATTEMPT_COLUMNS " FROM attempts "
                    "WHERE (?1 IS NULL OR started_at >= ?1) "
                    "AND ((" ATTEMPT_BILLED ") OR (" ATTEMPT_MAYBE_BILLED ")) "
                    "ORDER BY started_ms, id"
                  : "SELECT " ATTEMPT_COLUMNS " FROM ("
                    "  SELECT 0 AS purged, " ATTEMPT_COLUMNS " FROM attempts "
                    "  WHERE (?1 IS NULL OR started_at >= ?1) "
                    "  AND ((" ATTEMPT_BILLED ") OR (" ATTEMPT_MAYBE_BILLED ")) "
                    "  UNION ALL "
                    "  SELECT 1, id, NULL, 0, started_ms, started_at, -1, provider, outcome, http_status, "
                    "    NULL, NULL, request_id, NULL, NULL, NULL, NULL, 0, demo, '' "
                    "  FROM purged_calls WHERE ?1 IS NULL OR started_at >= ?1) "
                    "ORDER BY started_ms, purged, id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_attempt (stmt));
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* For check: every finished attempt matches the hash its sealing event
 * recorded, and every seal of a stored consent has its attempt. */
static gboolean
check_attempts (CkStore    *self,
                GPtrArray  *problems,
                GError    **error)
{
  g_autoptr(GHashTable) seals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 3)
    return TRUE;

  /* Seals of consents still stored, by "uuid/number". */
  if (!(stmt = prepare (self, "SELECT e.consent_uuid, e.detail FROM events e "
                              "JOIN consents c ON c.uuid = e.consent_uuid "
                              "WHERE e.kind = 'verification'", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 0);
      const char *detail = (const char *)sqlite3_column_text (stmt, 1);
      const char *number = detail ? strstr (detail, "\"attempt\":") : NULL;
      const char *sha = detail ? strstr (detail, "\"sha256\":\"") : NULL;

      if (number && sha && strlen (sha) >= 10 + 64)
        g_hash_table_insert (seals,
                             g_strdup_printf ("%s/%u", uuid, (guint)g_ascii_strtoull (number + 10, NULL, 10)),
                             g_strndup (sha + 10, 64));
    }
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE outcome != 'in-progress'",
                        error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CkVerifyAttempt) a = read_attempt (stmt);
      g_autofree char *key = g_strdup_printf ("%s/%u", a->consent_uuid, a->number);
      g_autofree char *computed = hash_attempt (a);
      const char *sealed = g_hash_table_lookup (seals, key);

      if (sealed == NULL)
        problem (problems, _("Verification attempt %u of consent %s has no sealing event: it was "
                             "added outside the kiosk."), a->number, a->consent_uuid);
      else if (!g_str_equal (sealed, computed))
        problem (problems, _("Verification attempt %u of consent %s was edited: it does not match "
                             "its seal."), a->number, a->consent_uuid);
      g_hash_table_remove (seals, key);
    }
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seals);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      problem (problems, _("The verification attempt %s was deleted: the chain holds its seal."),
               (const char *)key);
  }

  return TRUE;
}

/* For check: each purge's rows in the ledger of purged calls are the ones
 * its event counted and hashed, and no row claims a purge that kept none. */
static gboolean
check_ledger (CkStore    *self,
              GPtrArray  *problems,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 5)
    return TRUE;

  if (!(stmt = prepare (self, "SELECT seq, detail FROM events WHERE " PURGE_WITH_LEDGER " ORDER BY seq",
                        error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *detail = (const char *)sqlite3_column_text (stmt, 1);
      const char *count = strstr (detail, "\"calls\":");
      const char *sealed = strstr (detail, "\"calls_sha256\":\"") + strlen ("\"calls_sha256\":\"");
      g_autofree char *sha256 = NULL;
      guint n_rows;

      if (!ledger_digest (self, seq, &n_rows, &sha256, error))
        return FALSE;
      if (count == NULL || g_ascii_strtoull (count + strlen ("\"calls\":"), NULL, 10) != n_rows ||
          strlen (sealed) < 64 || strncmp (sealed, sha256, 64) != 0)
        {
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

          problem (problems, _("The paid calls that purge %s kept for the usage count were edited, "
                               "added or deleted: they do not match the purge's record."), seq_text);
        }
    }
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "SELECT count (*) FROM purged_calls WHERE purge_seq NOT IN ("
                              "  SELECT seq FROM events WHERE " PURGE_WITH_LEDGER ")",
                        error)))
    return FALSE;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return sql_error (self, rc, error);
  if (sqlite3_column_int64 (stmt, 0) > 0)
    {
      gint64 n_added = sqlite3_column_int64 (stmt, 0);
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, n_added);

      problem (problems,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s paid call in the usage count was added outside a purge.",
                            "%s paid calls in the usage count were added outside a purge.",
                            (gulong)MIN (n_added, G_MAXULONG)),
               n);
    }

  return TRUE;
}

/* For check: each consent's status row is what its attempts and events
 * give, and no status row is left without its consent. */
static gboolean
check_status (CkStore    *self,
              GPtrArray  *problems,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 4)
    return TRUE;

  if (!(stmt = prepare (self, "SELECT c.uuid FROM consents c LEFT JOIN consent_status s ON s.seq = c.seq "
                              "WHERE s.seq IS NULL OR s.uuid IS NOT c.uuid "
                              "OR s.last_outcome IS NOT " STATUS_LAST_OUTCOME " "
                              "OR s.last_number IS NOT " STATUS_LAST_NUMBER " "
                              "OR s.withdrawn IS NOT " STATUS_WITHDRAWN " "
                              "UNION ALL "
                              "SELECT s.uuid FROM consent_status s "
                              "WHERE NOT EXISTS (SELECT 1 FROM consents c WHERE c.seq = s.seq)",
                        error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    problem (problems, _("The verification status of consent %s does not follow from its attempts "
                         "and events: it was edited."),
             (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_check:
 * @self: a #CkStore
 * @error: a #GError in the %CK_STORE_ERROR domain, if the check could
 *   not run at all
 *
 * Recomputes every PDF's hash and every link of the chain and compares
 * the PDF folder with the rows. Finds a flipped byte in a PDF, an edited
 * field, a row deleted from the middle, a deleted PDF and an extra PDF.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): one translated
 *   sentence a problem; empty when the store is intact
 */
GPtrArray *
ck_store_check (CkStore  *self,
                GError  **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (link_free);
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) purged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  const char *expected_prev = GENESIS_HASH;
  gint64 expected_seq = 1, head_seq = 0;
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  ExtraScan scan;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  /* Consents: their PDFs and their links. */
  if (!(stmt = prepare (self, "SELECT " CONSENT_COLUMNS " FROM consents", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CkConsentRecord) r = read_consent (stmt);
      g_autofree char *path = g_build_filename (self->data_dir, r->pdf_path, NULL);
      g_autofree char *contents = NULL;
      Link *link = g_new0 (Link, 1);
      gsize len;

      link->seq = r->seq;
      link->prev_hash = g_strdup (r->prev_hash);
      link->row_hash = g_strdup (r->row_hash);
      link->computed = hash_consent (r);
      link->label = g_strdup_printf (_("consent %s"), r->uuid);
      g_ptr_array_add (links, link);
      g_hash_table_add (paths, g_strdup (r->pdf_path));

      if (!g_file_get_contents (path, &contents, &len, NULL))
        problem (problems, _("The PDF of consent %s (%s) is missing."), r->uuid, r->pdf_path);
      else
        {
          g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                                 (const guchar *)contents, len);

          if (g_strcmp0 (sha256, r->pdf_sha256) != 0)
            problem (problems, _("The PDF of consent %s (%s) was changed: its SHA-256 is not "
                                 "the recorded one."), r->uuid, r->pdf_path);
        }
    }
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Events: their links, and the links purges cut. */
  if (!(stmt = prepare (self, "SELECT seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash "
                              "FROM events", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkStoreEvent e = { 0 };
      Link *link = g_new0 (Link, 1);

      e.seq = sqlite3_column_int64 (stmt, 0);
      e.at = (char *)sqlite3_column_text (stmt, 1);
      e.kind = (char *)sqlite3_column_text (stmt, 2);
      e.consent_uuid = (char *)sqlite3_column_text (stmt, 3);
      e.operator_name = (char *)sqlite3_column_text (stmt, 4);
      e.detail = (char *)sqlite3_column_text (stmt, 5);
      e.prev_hash = (char *)sqlite3_column_text (stmt, 6);
      e.row_hash = (char *)sqlite3_column_text (stmt, 7);

      link->seq = e.seq;
      link->prev_hash = g_strdup (e.prev_hash);
      link->row_hash = g_strdup (e.row_hash);
      link->computed = hash_event (&e);
      {
        g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e.seq);

        link->label = g_strdup_printf (_("event %s (%s)"), seq, e.kind);
      }
      g_ptr_array_add (links, link);

      if (g_strcmp0 (e.kind, "purge") == 0)
        collect_purged (e.detail, purged, NULL);
    }
  if (rc != SQLITE_DONE)
    {
      sql_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Walk the chain in order. */
  g_ptr_array_sort (links, link_compare);
  for (guint i = 0; i < links->len; i++)
    {
      const Link *link = links->pdata[i];

      /* Links a purge cut stand in for their rows. */
      while (expected_seq < link->seq)
        {
          const char *cut = g_hash_table_lookup (purged, &expected_seq);

          if (cut == NULL)
            {
              g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, expected_seq);

              problem (problems, _("Record %s is missing from the chain before %s: a row "
                                   "was deleted."),
                       seq, link->label);
              expected_prev = NULL;
              expected_seq = link->seq;
              break;
            }
          expected_prev = cut;
          expected_seq++;
        }

      if (g_strcmp0 (link->computed, link->row_hash) != 0)
        problem (problems, _("The %s was edited: its contents do not match its hash."), link->label);
      else if (expected_prev && g_strcmp0 (link->prev_hash, expected_prev) != 0)
        problem (problems, _("The chain is broken at %s: it does not follow the record "
                             "before it."), link->label);

      expected_prev = link->row_hash;
      expected_seq = link->seq + 1;
    }

  /* The head the store recorded matches the last link. */
  if (!(stmt = prepare (self, "SELECT seq, hash FROM chain WHERE id = 1", error)))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      head_seq = sqlite3_column_int64 (stmt, 0);
      head_hash = column_text (stmt, 1);
    }
  while (expected_seq <= head_seq && g_hash_table_lookup (purged, &expected_seq))
    {
      expected_prev = g_hash_table_lookup (purged, &expected_seq);
      expected_seq++;
    }
  if (head_seq != expected_seq - 1 || (expected_prev && g_strcmp0 (head_hash, expected_prev) != 0))
    {
      g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, expected_seq - 1);
      g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT, head_seq);

      problem (problems, _("The last record of the chain (%s) is not the recorded head (%s): "
                           "records were deleted from the end."),
               last, head);
    }

  if (!check_attempts (self, problems, error) || !check_status (self, problems, error) ||
      !check_ledger (self, problems, error))
    return NULL;

  /* Files nobody recorded. */
  scan.paths = paths;
  scan.problems = extras;
  walk_pdfs (self, extra_visit, &scan);
  if (extras->len > 0 && !confirm_extras (self, extras, problems, error))
    return NULL;

  return g_steal_pointer (&problems);
}
