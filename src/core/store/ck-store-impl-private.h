/* ck-store-impl-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of the store (store/ck-store*.c) and included by no
 * other file: the object's fields, the SQL that several of them run, and
 * the helpers one file defines for the others (named _ck_store_*). */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "ck-store-chain-private.h"
#include "ck-store-private.h"

G_BEGIN_DECLS

struct _CkStore
{
  GObject parent_instance;

  char *data_dir;
  char *db_path;
  sqlite3 *db;
  gboolean read_only;
  gboolean immutable;   /* read from a place that cannot be written */
  gboolean wal_ignored; /* … beside a write-ahead log it could not read */
  int lock_fd;          /* consents.lock, for flock (); -1 when read-only */
  int schema_version;
  int opened_version;   /* the schema it had when opened, before migrating */
  CkStoreRecovery recovery;

  char *head_path;              /* consents.head (ck-store-head.c) */
  gint64 head_written_seq;      /* what the copy says, as far as known */
  char *head_written_hash;

  char *ca_file;                /* ck_store_set_trust () */
  char *tsa_ca_file;
  GPtrArray *check_warnings;    /* what the last check found short of a problem */
  gboolean require_synced;      /* ck_store_set_require_synced () */
};

/* Test builds (-DCK_FAULT_INJECTION) die here when CK_FAULT_POINT names
 * the step: the crash-safety test kills saves at every step this way. */
#ifdef CK_FAULT_INJECTION
# include <signal.h>
# include <unistd.h>

static inline void
_ck_store_fault_point (const char *name)
{
  const char *want = g_getenv ("CK_FAULT_POINT");

  if (want && g_str_equal (want, name))
    raise (SIGKILL);
}

/* …and wait here when CK_PAUSE_POINT names the step: they create
 * CK_PAUSE_DIR/NAME.paused and go on once the test creates NAME.go, so
 * that a test can put another process's work between two steps. */
static inline void
_ck_store_pause_point (const char *name)
{
  const char *want = g_getenv ("CK_PAUSE_POINT");
  const char *dir = g_getenv ("CK_PAUSE_DIR");
  g_autofree char *paused = NULL;
  g_autofree char *go = NULL;

  if (!want || !dir || !g_str_equal (want, name))
    return;
  paused = g_strconcat (dir, "/", name, ".paused", NULL);
  go = g_strconcat (dir, "/", name, ".go", NULL);
  g_file_set_contents (paused, "", 0, NULL);
  /* Not for ever: a test that failed meanwhile never says go. */
  for (guint i = 0; !g_file_test (go, G_FILE_TEST_EXISTS); i++)
    {
      if (i == 12000)
        _exit (3);
      g_usleep (10 * 1000);
    }
}
#else
# define _ck_store_fault_point(name) G_STMT_START { } G_STMT_END
# define _ck_store_pause_point(name) G_STMT_START { } G_STMT_END
#endif

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

#define CONSENT_COLUMNS \
  "seq, uuid, created_at, name, id_number, sign_date, org_name, org_business, org_purpose, " \
  "template_sha256, pdf_path, pdf_sha256, pdf_size, signature, kiosk_id, operator, demo, " \
  "prev_hash, row_hash"

/* The same, of the consents as c, for queries that join other tables. */
#define CONSENT_COLUMNS_C \
  "c.seq, c.uuid, c.created_at, c.name, c.id_number, c.sign_date, c.org_name, c.org_business, " \
  "c.org_purpose, c.template_sha256, c.pdf_path, c.pdf_sha256, c.pdf_size, c.signature, c.kiosk_id, " \
  "c.operator, c.demo, c.prev_hash, c.row_hash"

/* After CONSENT_COLUMNS or CONSENT_COLUMNS_C: how the name and the ID
 * number were entered (schema 10), NULL from an older store a reader
 * has not migrated. */
#define CONSENT_ENTRY_COLUMNS(self) \
  ((self)->schema_version >= 10 ? ", name_method, id_method " : ", NULL, NULL ")
#define CONSENT_ENTRY_COLUMNS_C(self) \
  ((self)->schema_version >= 10 ? ", c.name_method, c.id_method " : ", NULL, NULL ")

#define EVENT_COLUMNS "seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash"

#define LEDGER_COLUMNS "started_ms, started_at, provider, outcome, http_status, request_id, billed, demo"

#define ATTEMPT_COLUMNS \
  "id, consent_uuid, number, started_ms, started_at, duration_ms, provider, outcome, " \
  "http_status, provider_status, provider_message, request_id, error_code, error_message, " \
  "detail, body, body_truncated, demo, claimed_by"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Between a save's first file and its commit, its .tmp or its PDF has no
 * row yet, exactly like a crash's leftovers. So saves and purges hold
 * consents.lock shared while they touch files, and recovery holds it
 * exclusive (ck-store-db.c). */
typedef int CkStoreFilesLock;

/* A descriptor closed at the end of its scope. */
typedef int CkStoreFd;

typedef void (*CkStorePdfVisitor) (CkStore    *self,
                                   const char *relative,
                                   const char *name,
                                   gpointer    user_data);

/* ck-store-db.c */
gboolean         _ck_store_sql_error           (CkStore                *self,
                                                int                     rc,
                                                GError                **error);
gboolean         _ck_store_io_error            (int                     saved_errno,
                                                const char             *path,
                                                GError                **error);
int              _ck_store_open_connection     (const char             *path,
                                                int                     flags,
                                                sqlite3               **db);
gboolean         _ck_store_exec                (CkStore                *self,
                                                const char             *sql,
                                                GError                **error);
sqlite3_stmt    *_ck_store_prepare             (CkStore                *self,
                                                const char             *sql,
                                                GError                **error);
char            *_ck_store_column_text         (sqlite3_stmt           *stmt,
                                                int                     column);
void             _ck_store_bind_text           (sqlite3_stmt           *stmt,
                                                int                     index,
                                                const char             *text);
void             _ck_store_sql_reverse         (sqlite3_context        *context,
                                                int                     argc,
                                                sqlite3_value         **argv);
gboolean         _ck_store_exec_for_uuid       (CkStore                *self,
                                                const char             *sql,
                                                const char             *uuid,
                                                GError                **error);
char            *_ck_store_now_iso8601         (void);
gboolean         _ck_store_check_text          (const char             *what,
                                                const char             *text,
                                                guint                   max_chars,
                                                gboolean                lines,
                                                GError                **error);
int              _ck_store_open_dir            (CkStore                *self,
                                                const char             *relative,
                                                gboolean                create,
                                                GError                **error);
GBytes          *_ck_store_read_file           (CkStore                *self,
                                                const char             *relative,
                                                GError                **error);
gboolean         _ck_store_write_synced        (int                     dir_fd,
                                                const char             *name,
                                                const char             *path,
                                                GBytes                 *bytes,
                                                GError                **error);
gboolean         _ck_store_files_lock          (CkStore                *self,
                                                int                     operation,
                                                CkStoreFilesLock       *lock,
                                                GError                **error);
void             _ck_store_files_lock_release  (CkStoreFilesLock       *lock);
void             _ck_store_fd_close            (CkStoreFd              *fd);

/* ck-store-head.c */
gboolean         _ck_store_commit              (CkStore                *self,
                                                GError                **error);
gboolean         _ck_store_head_write          (CkStore                *self,
                                                GError                **error);
gboolean         _ck_store_head_compare        (CkStore                *self,
                                                char                  **problem,
                                                gboolean               *missing,
                                                CkStoreError           *code,
                                                GError                **error);
gboolean         _ck_store_refuse_new          (CkStore                *self,
                                                GError                **error);

/* ck-store-schema.c: one column as the schema declares it, and a schema:
 * every object by name ("type tbl_name") with its CREATE statement, every
 * table's columns, in order. */
typedef struct
{
  char *name;
  char *type;     /* INTEGER, TEXT or BLOB */
  gboolean not_null;
} CkStoreColumn;

typedef struct
{
  GHashTable *objects;   /* name → "type tbl_name" */
  GHashTable *sql;       /* name → its CREATE statement, spaces folded */
  GPtrArray *tables;     /* table names, in the order they were created */
  GHashTable *columns;   /* table name → GPtrArray of CkStoreColumn */
} CkStoreSchema;

int              _ck_store_user_version        (CkStore                *self);
void             _ck_store_schema_clear        (CkStoreSchema          *schema);
gboolean         _ck_store_expected_schema     (int                     version,
                                                CkStoreSchema          *schema,
                                                GError                **error);
gboolean         _ck_store_verify_schema       (CkStore                *self,
                                                int                     version,
                                                const char * const     *foreign_tables,
                                                GError                **error);
gboolean         _ck_store_value_fits          (sqlite3_value          *value,
                                                const CkStoreColumn    *column);
gboolean         _ck_store_refuse_database     (const char             *db_path,
                                                const char             *what,
                                                GError                **error);
char            *_ck_store_quote               (const char             *name);
int              _ck_store_create_schema       (sqlite3                *db,
                                                int                     version);
gboolean         _ck_store_migrate             (CkStore                *self,
                                                GError                **error);

/* ck-store-chain.c (the canonical forms: ck-store-chain-private.h) */
gboolean         _ck_store_chain_head          (CkStore                *self,
                                                gint64                 *seq,
                                                char                  **hash,
                                                GError                **error);
gboolean         _ck_store_chain_advance       (CkStore                *self,
                                                gint64                  seq,
                                                const char             *hash,
                                                GError                **error);
gboolean         _ck_store_insert_event        (CkStore                *self,
                                                CkStoreEvent           *event,
                                                GError                **error);

/* ck-store-recovery.c */
void             _ck_store_walk_pdfs           (CkStore                *self,
                                                CkStorePdfVisitor       visit,
                                                gpointer                user_data);
gboolean         _ck_store_recover             (CkStore                *self,
                                                GError                **error);

/* ck-store.c */
gboolean         _ck_store_is_uuid             (const char             *text);

/* ck-store-query.c: a query's search and dates as SQL conditions on the
 * consents (as c), and the values to bind, in order. */
typedef struct
{
  char *key;
  char *key_end;
  const char *since;
  const char *until;
} CkStoreFilter;

CkConsentRecord *_ck_store_read_consent        (sqlite3_stmt           *stmt);
void             _ck_store_filter_clear        (CkStoreFilter          *filter);
gboolean         _ck_store_filter_append       (CkStore                *self,
                                                CkStoreFilter          *filter,
                                                const CkStoreQuery     *query,
                                                GString                *sql,
                                                GError                **error);
void             _ck_store_filter_bind         (const CkStoreFilter    *filter,
                                                sqlite3_stmt           *stmt);
gboolean         _ck_store_append_state_condition (CkStore             *self,
                                                   GString             *sql,
                                                   const char          *state,
                                                   guint                max_attempts,
                                                   GError             **error);

/* ck-store-rows.c */
int              _ck_store_progress_cancelled  (void                   *user_data);

/* ck-store-events.c */
CkStoreEvent    *_ck_store_read_event          (sqlite3_stmt           *stmt);
gboolean         _ck_store_lookup_withdrawn    (CkStore                *self,
                                                const char             *uuid,
                                                gboolean               *withdrawn,
                                                GError                **error);
gboolean         _ck_store_refuse_withdrawn    (CkStore                *self,
                                                const char             *uuid,
                                                GError                **error);

/* A link a purge cut. */
typedef struct
{
  gint64 seq;
  char *hash;
} CkStoreCut;

/* ck-store-detail.c (its readers of seals, purges and revisions:
 * ck-store-chain-private.h) */
char            *_ck_store_detail_to_string    (JsonBuilder            *builder);
char            *_ck_store_detail_new          (const char             *key,
                                                ...) G_GNUC_NULL_TERMINATED;
char            *_ck_store_detail_new_seal     (guint                   number,
                                                const char             *outcome,
                                                const char             *sha256,
                                                int                     requeued);
int              _ck_store_detail_read_requeued (const char            *detail);
gint64           _ck_store_detail_read_queue_floor (const char         *detail);
JsonObject      *_ck_store_detail_parse        (const char             *detail);
gboolean         _ck_store_detail_read_ledger  (const char             *detail,
                                                guint64                *n_calls,
                                                char                  **sha256);
char            *_ck_store_detail_new_revision (const char             *kind,
                                                const char             *sha256,
                                                gint64                  size,
                                                const char             *prev_sha256,
                                                gint64                  prev_size,
                                                const char             *summary);
char            *_ck_store_detail_new_anchor   (gint64                  seq,
                                                const char             *hash,
                                                GBytes                 *cms);
gboolean         _ck_store_detail_read_anchor  (const char             *detail,
                                                gint64                 *seq,
                                                char                  **hash,
                                                GBytes                **cms);
char            *_ck_store_detail_read_purge   (const char             *detail,
                                                GArray                **links,
                                                GBytes                **seal);

/* ck-store-revision.c */
gboolean         _ck_store_current_revision    (CkStore                *self,
                                                const char             *uuid,
                                                CkStoreRevision        *revision,
                                                gboolean               *revised,
                                                GError                **error);
gboolean         _ck_store_pdf_matches         (GBytes                 *contents,
                                                const char             *original_sha256,
                                                gint64                  original_size,
                                                const char             *current_sha256,
                                                gint64                  current_size);
gboolean         _ck_store_recover_append      (CkStore                *self,
                                                int                     dir_fd,
                                                const char             *name,
                                                const char             *relative,
                                                const char             *uuid,
                                                gint64                  size,
                                                GError                **error);

/* ck-store-anchor.c */
void             _ck_store_cut_clear           (gpointer                data);
int              _ck_store_cut_compare         (gconstpointer           a,
                                                gconstpointer           b);
GBytes          *_ck_store_purge_data          (const char             *before,
                                                GArray                 *links);

/* ck-store-billing.c */
gboolean         _ck_store_ledger_digest       (CkStore                *self,
                                                gint64                  purge_seq,
                                                guint                  *n_rows,
                                                char                  **sha256,
                                                GError                **error);
gboolean         _ck_store_keep_purged_calls   (CkStore                *self,
                                                const char             *before,
                                                guint                  *n_calls,
                                                char                  **sha256,
                                                GError                **error);

/* ck-store-check-db.c */
gboolean         _ck_store_check_integrity     (CkStore                *self,
                                                GPtrArray              *problems,
                                                GError                **error);
gboolean         _ck_store_check_objects       (CkStore                *self,
                                                GPtrArray              *problems,
                                                GError                **error);
gboolean         _ck_store_check_types         (CkStore                *self,
                                                GPtrArray              *problems,
                                                GError                **error);
gboolean         _ck_store_check_derived       (CkStore                *self,
                                                GPtrArray              *problems,
                                                GError                **error);

/* ck-store-check-seal.c: check's part for sealed consents, fed by the
 * passes of ck-store-check.c. */
typedef struct _CkStoreSealCheck CkStoreSealCheck;

/* The hash check recomputed for link @seq, or a purged link's cut hash;
 * %NULL when the chain has no such link. */
typedef const char *(*CkStoreLinkHash) (gint64   seq,
                                        gpointer user_data);

/* ck-store-sync.c */
char            *_ck_store_hash_receipt        (const char             *prev,
                                                gint64                  seq,
                                                const char             *hash,
                                                const char             *at);
gboolean         _ck_store_refuse_unsynced     (CkStore                *self,
                                                const char             *before,
                                                GError                **error);
gboolean         _ck_store_check_receipts      (CkStore                *self,
                                                CkStoreLinkHash         link_hash,
                                                gpointer                user_data,
                                                GPtrArray              *problems,
                                                GError                **error);


CkStoreSealCheck *_ck_store_seal_check_new     (CkStore                *self,
                                                GPtrArray              *problems,
                                                GError                **error);
void             _ck_store_seal_check_free     (CkStoreSealCheck       *check);
void             _ck_store_seal_check_pdf      (CkStoreSealCheck       *check,
                                                const CkConsentRecord  *r,
                                                GBytes                 *contents,
                                                GPtrArray              *problems);
void             _ck_store_seal_check_event    (CkStoreSealCheck       *check,
                                                const CkStoreEvent     *e,
                                                GPtrArray              *problems);
void             _ck_store_seal_check_chain    (CkStoreSealCheck       *check,
                                                CkStoreLinkHash         link_hash,
                                                gpointer                link_data,
                                                GPtrArray              *problems);
gboolean         _ck_store_seal_check_finish   (CkStoreSealCheck       *check,
                                                GPtrArray              *problems,
                                                GPtrArray              *warnings,
                                                GError                **error);

/* ck-store-purge.c */
gboolean         _ck_store_forget_deletes      (CkStore                *self,
                                                gint64                  event_seq,
                                                GError                **error);

/* ck-store-attempts.c */
CkVerifyAttempt *_ck_store_read_attempt        (sqlite3_stmt           *stmt);
gboolean         _ck_store_record_queue_floor  (CkStore                *self,
                                                GError                **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreFilesLock, _ck_store_files_lock_release)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreFd, _ck_store_fd_close)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreFilter, _ck_store_filter_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreSchema, _ck_store_schema_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStoreSealCheck, _ck_store_seal_check_free)

G_END_DECLS
