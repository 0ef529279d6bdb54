/* ck-store.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-progress.h"

G_BEGIN_DECLS

#define CK_STORE_ERROR (ck_store_error_quark ())
#define CK_TYPE_STORE (ck_store_get_type ())
#define CK_TYPE_CONSENT_RECORD (ck_consent_record_get_type ())
#define CK_TYPE_VERIFY_ATTEMPT (ck_verify_attempt_get_type ())
#define CK_TYPE_SEAL_JOB (ck_seal_job_get_type ())

/* A new consent enters the verification queue due this long after it was
 * saved, so that the kiosk's own first attempt comes before the queue's. */
#define CK_STORE_QUEUE_GRACE_MS (30 * 1000)

/* The most characters of an operator's name (staff name or number) and of
 * a note staff write (a withdrawal's), as stored in the chain. */
#define CK_STORE_MAX_OPERATOR_CHARS 64
#define CK_STORE_MAX_NOTE_CHARS     500

/* A job left for the sealing queue when a consent is saved is due this
 * long after: the token or the TSA that just failed gets a moment. */
#define CK_STORE_SEAL_JOB_DELAY_MS (30 * 1000)

/* The schema this build writes; older databases are migrated forward. */
#define CK_STORE_SCHEMA_VERSION 10

typedef enum
{
  CK_STORE_ERROR_OPEN,
  CK_STORE_ERROR_PERMISSION,
  CK_STORE_ERROR_DISK_FULL,
  CK_STORE_ERROR_CORRUPT,
  CK_STORE_ERROR_NEWER_SCHEMA,
  CK_STORE_ERROR_IO,
  CK_STORE_ERROR_NOT_FOUND,
  CK_STORE_ERROR_DUPLICATE,
  CK_STORE_ERROR_INVALID,
  CK_STORE_ERROR_TAMPERED,
  CK_STORE_ERROR_BUSY,
  CK_STORE_ERROR_WITHDRAWN,
  CK_STORE_ERROR_LOST,
  CK_STORE_ERROR_UNSYNCED,
} CkStoreError;

/**
 * CkSealJobKind:
 * @CK_SEAL_JOB_NONE: nothing left to do: sealed and timestamped, or
 *   sealing is not configured
 * @CK_SEAL_JOB_SEAL: the PDF was stored unsealed (the key could not be
 *   used at save) and is to be sealed as a revision
 * @CK_SEAL_JOB_TIMESTAMP: the PDF was stored sealed without a trusted time
 *   (the TSA was slow, down or wrong): a document timestamp is to be
 *   appended as a revision
 *
 * What the sealing queue still owes a stored consent (seal_jobs, schema 8).
 */
typedef enum
{
  CK_SEAL_JOB_NONE,
  CK_SEAL_JOB_SEAL,
  CK_SEAL_JOB_TIMESTAMP,
} CkSealJobKind;

typedef enum
{
  CK_STORE_OPEN_DEFAULT   = 0,
  CK_STORE_OPEN_RECOVER   = 1 << 0,  /* clean up after a crash (writers do) */
  CK_STORE_OPEN_READ_ONLY = 1 << 1,  /* look without touching anything */
  CK_STORE_OPEN_ACCEPT_HEAD = 1 << 2, /* ck_store_open_accepting_head () */
} CkStoreOpenFlags;

/**
 * CkConsentRecord:
 *
 * One stored consent. Strings are UTF-8; @created_at is ISO 8601 UTC;
 * @sign_date is YYYY-MM-DD; @pdf_path is relative to the data directory.
 * @name_method and @id_method say how the name and the ID number were
 * entered, as a #CkEntryMethod's nick ("typed", "handwriting", "pinyin",
 * "card"; schema 10), or %NULL: not recorded (stored before, or saved
 * without them). They are not in the chain's canonical record: the PDF's
 * signing record, which the chain covers, is what proves them.
 */
typedef struct
{
  char *uuid;
  char *created_at;
  char *name;
  char *id_number;
  char *sign_date;
  char *org_name;
  char *org_business;
  char *org_purpose;
  char *template_sha256;
  char *pdf_path;
  char *pdf_sha256;
  gint64 pdf_size;
  GBytes *signature;
  char *kiosk_id;
  char *operator_name;
  gboolean demo;
  gint64 seq;
  char *prev_hash;
  char *row_hash;
  char *name_method;
  char *id_method;
} CkConsentRecord;

/**
 * CkStoreEvent:
 *
 * An entry of the append-only event log: purges, withdrawals, reveals of
 * unmasked data, recoveries.
 */
typedef struct
{
  gint64 seq;
  char *at;
  char *kind;
  char *consent_uuid;
  char *operator_name;
  char *detail;
  char *prev_hash;
  char *row_hash;
} CkStoreEvent;

typedef struct
{
  const char *search;   /* a name prefix, or 4+ final characters of an ID number */
  const char *since;    /* YYYY-MM-DD, on the sign date, inclusive */
  const char *until;    /* YYYY-MM-DD, inclusive */
  guint limit;          /* 0 = no limit */
  guint offset;
  const char *state;    /* NULL = any; else a ck_verify_state_to_string ()
                           name ("unverified", "in-progress", "verified",
                           "not-matched", "undetermined", "rejected",
                           "retrying", "failed") or "withdrawn" */
  guint max_attempts;   /* for "retrying" and "failed": [verification]
                           max_attempts; 0 = CK_VERIFY_DEFAULT_MAX_ATTEMPTS */
} CkStoreQuery;

/**
 * CkConsentStatus:
 * @last_outcome: (nullable): the last attempt's outcome; %NULL without one
 * @last_number: its number (0 without one)
 * @last_started_ms: when it started, Unix ms (0 without one)
 * @last_demo: whether the demo provider made it
 * @withdrawn: whether the customer withdrew the consent
 *
 * What a consent's verification state follows from
 * (ck_verify_state_from_status()), as the store keeps it for every
 * consent. Strings belong to the store and live as long as the callback
 * they are given to.
 */
typedef struct
{
  const char *last_outcome;
  guint last_number;
  gint64 last_started_ms;
  gboolean last_demo;
  gboolean withdrawn;
} CkConsentStatus;

/**
 * CkStoreRecordFunc:
 * @record: a consent
 * @status: its verification status
 * @user_data: what ck_store_foreach() was given
 * @error: where to say why to stop
 *
 * Returns: %TRUE to go on, %FALSE (with @error set) to stop
 */
typedef gboolean (*CkStoreRecordFunc) (const CkConsentRecord *record,
                                       const CkConsentStatus *status,
                                       gpointer               user_data,
                                       GError               **error);

/**
 * CkStoreRecovery:
 * @tmp_removed: half-written PDFs removed
 * @quarantined: PDFs without a row, moved to quarantine/ (relative paths)
 * @missing_pdfs: consents whose PDF is missing (uuids)
 * @purged_removed: PDFs a purge had removed the rows of, but had not yet
 *   deleted when it was interrupted: deleted now
 * @revisions_undone: PDFs whose new revision was being appended when the
 *   process died, before the store recorded it: cut back to the revision
 *   the store records
 *
 * What opening with %CK_STORE_OPEN_RECOVER found and did.
 */
typedef struct
{
  guint tmp_removed;
  GPtrArray *quarantined;
  GPtrArray *missing_pdfs;
  guint purged_removed;
  guint revisions_undone;
} CkStoreRecovery;

/**
 * CkVerifyAttempt:
 * @id: the row id
 * @consent_uuid: (nullable): the consent verified; %NULL for a call of a
 *   purged consent, which ck_usage_list_calls() lists from the ledger a
 *   purge keeps (docs/VERIFICATION.md)
 * @number: 1 for a consent's first attempt, 2 for its second, …
 * @started_ms: when the attempt began, Unix milliseconds
 * @started_at: the same as ISO 8601 UTC
 * @duration_ms: how long it took; -1 while it runs or when interrupted
 * @provider: "aliyun-idcert" or "demo"
 * @outcome: "in-progress" while it runs, "interrupted" when the process
 *   making it stopped before recording its answer, else an outcome class
 *   ("verified", "not-matched", "undetermined", "input-rejected",
 *   "config-fault", "provider-fault", "network-fault", "tls-fault")
 * @http_status: 0 when no HTTP answer came
 * @provider_status: (nullable): the body's `status`
 * @provider_message: (nullable): the body's `msg`, ID numbers masked
 * @request_id: (nullable): X-Ca-Request-Id
 * @error_code: (nullable): X-Ca-Error-Code
 * @error_message: (nullable): X-Ca-Error-Message
 * @detail: (nullable): the cause below HTTP, untranslated
 * @body: (nullable): the raw body, at most 8 KiB, ID numbers masked
 * @body_truncated: whether more arrived than @body holds
 * @demo: whether the demo provider answered
 * @claimed_by: "HOST:PID" of the process making the attempt
 *
 * One verification attempt as stored. Nothing in it holds the AppCode,
 * the request URL or a full ID number.
 */
typedef struct
{
  gint64 id;
  char *consent_uuid;
  guint number;
  gint64 started_ms;
  char *started_at;
  gint64 duration_ms;
  char *provider;
  char *outcome;
  guint http_status;
  char *provider_status;
  char *provider_message;
  char *request_id;
  char *error_code;
  char *error_message;
  char *detail;
  GBytes *body;
  gboolean body_truncated;
  gboolean demo;
  char *claimed_by;
} CkVerifyAttempt;

/**
 * CkQueueEntry:
 * @consent_uuid: the consent to verify
 * @attempts: how many attempts it had
 * @due_ms: when the next is due, Unix milliseconds
 */
typedef struct
{
  char *consent_uuid;
  guint attempts;
  gint64 due_ms;
} CkQueueEntry;

/**
 * CkSealJob:
 * @uuid: the consent
 * @kind: %CK_SEAL_JOB_SEAL or %CK_SEAL_JOB_TIMESTAMP
 * @attempts: how many times the queue tried and failed
 * @due_ms: when it is next due, Unix milliseconds
 * @last_error: (nullable): why the last attempt failed
 *
 * A job of the sealing queue, as stored (seal_jobs).
 */
typedef struct
{
  char *uuid;
  CkSealJobKind kind;
  guint attempts;
  gint64 due_ms;
  char *last_error;
} CkSealJob;

/**
 * CkStoreLinkKind:
 * @CK_STORE_LINK_CONSENT: a consent
 * @CK_STORE_LINK_EVENT: an event
 * @CK_STORE_LINK_CUT: a link a purge removed: only its seq and hash remain
 */
typedef enum
{
  CK_STORE_LINK_CONSENT,
  CK_STORE_LINK_EVENT,
  CK_STORE_LINK_CUT,
} CkStoreLinkKind;

/**
 * CkPurgedCall:
 *
 * A paid call of a purged consent, as the purge @purge_seq kept it
 * (purged_calls; docs/VERIFICATION.md). @local_id is its row id.
 */
typedef struct
{
  gint64 local_id;
  gint64 purge_seq;
  gint64 started_ms;
  char *started_at;
  char *provider;
  char *outcome;
  guint http_status;
  char *request_id;
  char *billed;
  gboolean demo;
} CkPurgedCall;

/**
 * CkStoreLink:
 * @seq: its place in the chain
 * @kind: what it is
 * @hash: its row hash
 * @prev_hash: the link before's (64 zeros for the first)
 * @consent: (nullable): a consent link's record
 * @event: (nullable): an event link's record
 * @pdf_uuid: (nullable): the consent @pdf belongs to
 * @pdf: (nullable): a consent's PDF as signed, or, for a `pdf-revision`
 *   event, the whole file up to that revision (%NULL once purged)
 * @pdf_sha256: (nullable): @pdf's SHA-256
 * @attempt: (nullable): the attempt a `verification` event seals (%NULL
 *   once its consent is purged)
 * @purged_calls: (nullable) (element-type CkPurgedCall): the paid calls a
 *   `purge` event kept
 *
 * A link of the chain, whole, as the central archive's sync sends it
 * (ck_store_read_links()).
 */
typedef struct
{
  gint64 seq;
  CkStoreLinkKind kind;
  char *hash;
  char *prev_hash;
  CkConsentRecord *consent;
  CkStoreEvent *event;
  char *pdf_uuid;
  GBytes *pdf;
  char *pdf_sha256;
  CkVerifyAttempt *attempt;
  GPtrArray *purged_calls;
} CkStoreLink;

/**
 * CkSyncStatus:
 * @receipt_seq: the last link the central archive acknowledged (0: none)
 * @receipt_hash: (nullable): its hash
 * @receipt_at: (nullable): when the receipt came
 * @head_seq: the chain's last link
 * @pending: links not acknowledged yet
 * @last_try_at, @last_ok_at, @failing_since: (nullable): ISO 8601 UTC
 * @last_error: (nullable): why the last sync failed (none after a success)
 * @conflict_seq: a link the archive holds otherwise than this kiosk, or -1
 * @has_org_usage: whether the archive's count below was ever read
 * @org_billed, @org_maybe_billed: the organisation's paid calls as the
 *   archive counted them at @org_at
 * @org_kiosks: how many kiosks the archive knows
 * @unsent_billed, @unsent_maybe_billed: this kiosk's paid calls the
 *   archive has not acknowledged (not in the count above)
 *
 * Where the central archive's sync stands (ck_store_get_sync_status()).
 */
typedef struct
{
  gint64 receipt_seq;
  char *receipt_hash;
  char *receipt_at;
  gint64 head_seq;
  gint64 pending;
  char *last_try_at;
  char *last_ok_at;
  char *failing_since;
  char *last_error;
  gint64 conflict_seq;
  gboolean has_org_usage;
  guint64 org_billed;
  guint64 org_maybe_billed;
  guint org_kiosks;
  char *org_at;
  guint64 unsent_billed;
  guint64 unsent_maybe_billed;
} CkSyncStatus;

/**
 * CkStoreSealFunc:
 * @data: the canonical text to seal
 * @user_data: what the caller gave with the function
 * @error: where to say why it could not be sealed
 *
 * Seals @data with the organisation's key (ck_seal_sign_data()), so that
 * the store never handles a key.
 *
 * Returns: (transfer full) (nullable): a detached CMS (DER) over @data;
 *   %NULL with @error set
 */
typedef GBytes *(*CkStoreSealFunc) (GBytes   *data,
                                    gpointer  user_data,
                                    GError  **error);

G_DECLARE_FINAL_TYPE (CkStore, ck_store, CK, STORE, GObject)

GQuark                 ck_store_error_quark        (void);
GType                  ck_consent_record_get_type  (void) G_GNUC_CONST;
CkConsentRecord       *ck_consent_record_new       (void);
CkConsentRecord       *ck_consent_record_copy      (const CkConsentRecord *record);
void                   ck_consent_record_free      (CkConsentRecord       *record);
void                   ck_store_event_free         (CkStoreEvent          *event);

CkStore               *ck_store_open               (const char            *data_dir,
                                                    CkStoreOpenFlags       flags,
                                                    GError               **error);
CkStore               *ck_store_open_accepting_head (const char           *data_dir,
                                                     const char           *operator_name,
                                                     GError              **error);
const char            *ck_store_get_data_dir       (CkStore               *self);
const CkStoreRecovery *ck_store_get_recovery       (CkStore               *self);
char                  *ck_store_dup_read_only_note (CkStore               *self);
int                    ck_store_get_schema_version (CkStore               *self);

gboolean               ck_store_save               (CkStore               *self,
                                                    CkConsentRecord       *record,
                                                    GBytes                *pdf,
                                                    GError               **error);
gboolean               ck_store_save_full          (CkStore               *self,
                                                    CkConsentRecord       *record,
                                                    GBytes                *pdf,
                                                    CkSealJobKind          job,
                                                    GError               **error);
CkConsentRecord       *ck_store_lookup             (CkStore               *self,
                                                    const char            *uuid,
                                                    GError               **error);
GPtrArray             *ck_store_list               (CkStore               *self,
                                                    const CkStoreQuery    *query,
                                                    GError               **error);
gint64                 ck_store_count              (CkStore               *self,
                                                    GError               **error);
gint64                 ck_store_count_matches      (CkStore               *self,
                                                    const CkStoreQuery    *query,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
gboolean               ck_store_foreach            (CkStore               *self,
                                                    const CkStoreQuery    *query,
                                                    CkStoreRecordFunc      func,
                                                    gpointer               user_data,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
char                  *ck_store_dup_pdf_file       (CkStore               *self,
                                                    const CkConsentRecord *record);
GBytes                *ck_store_read_pdf           (CkStore               *self,
                                                    const CkConsentRecord *record,
                                                    GError               **error);
gboolean               ck_store_add_event          (CkStore               *self,
                                                    const char            *kind,
                                                    const char            *consent_uuid,
                                                    const char            *operator_name,
                                                    const char            *detail,
                                                    GError               **error);
char                  *ck_store_event_dup_note     (const CkStoreEvent    *event);
GPtrArray             *ck_store_list_events        (CkStore               *self,
                                                    const char            *consent_uuid,
                                                    GError               **error);
gboolean               ck_store_purge              (CkStore               *self,
                                                    const char            *before,
                                                    const char            *operator_name,
                                                    guint                 *n_purged,
                                                    GError               **error);
gboolean               ck_store_purge_full         (CkStore               *self,
                                                    const char            *before,
                                                    const char            *operator_name,
                                                    CkProgressFunc         progress,
                                                    gpointer               progress_data,
                                                    guint                 *n_purged,
                                                    GError               **error);
gboolean               ck_store_purge_sealed       (CkStore               *self,
                                                    const char            *before,
                                                    const char            *operator_name,
                                                    CkStoreSealFunc        seal,
                                                    gpointer               seal_data,
                                                    CkProgressFunc         progress,
                                                    gpointer               progress_data,
                                                    guint                 *n_purged,
                                                    GError               **error);
void                   ck_store_set_trust          (CkStore               *self,
                                                    const char            *ca_file,
                                                    const char            *tsa_ca_file);
GStrv                  ck_store_dup_check_warnings (CkStore               *self);
GPtrArray             *ck_store_check              (CkStore               *self,
                                                    GError               **error);
GPtrArray             *ck_store_check_full         (CkStore               *self,
                                                    CkProgressFunc         progress,
                                                    gpointer               progress_data,
                                                    GError               **error);
gboolean               ck_store_withdraw           (CkStore               *self,
                                                    const char            *uuid,
                                                    const char            *operator_name,
                                                    const char            *note,
                                                    GError               **error);
CkStoreEvent          *ck_store_lookup_withdrawal  (CkStore               *self,
                                                    const char            *uuid,
                                                    GError               **error);
gboolean               ck_store_record_reveal      (CkStore               *self,
                                                    const char            *uuid,
                                                    const char            *operator_name,
                                                    const char            *via,
                                                    GError               **error);
gboolean               ck_store_record_pin_tried   (CkStore               *self,
                                                    GError               **error);
gboolean               ck_store_record_unlocked    (CkStore               *self,
                                                    GError               **error);
gboolean               ck_store_count_pin_tries    (CkStore               *self,
                                                    guint                 *tries,
                                                    gint64                *last_us,
                                                    GError               **error);

GType                  ck_verify_attempt_get_type  (void) G_GNUC_CONST;
CkVerifyAttempt       *ck_verify_attempt_new       (void);
CkVerifyAttempt       *ck_verify_attempt_copy      (const CkVerifyAttempt *attempt);
void                   ck_verify_attempt_free      (CkVerifyAttempt       *attempt);
void                   ck_queue_entry_free         (CkQueueEntry          *entry);
CkConsentRecord       *ck_store_lookup_intact      (CkStore               *self,
                                                    const char            *uuid,
                                                    GError               **error);
CkVerifyAttempt       *ck_store_begin_attempt      (CkStore               *self,
                                                    const char            *consent_uuid,
                                                    const char            *provider,
                                                    gint64                 now_ms,
                                                    gint64                 stale_after_ms,
                                                    GError               **error);
gboolean               ck_store_finish_attempt     (CkStore               *self,
                                                    const CkVerifyAttempt *attempt,
                                                    gint64                 next_due_ms,
                                                    GError               **error);
GPtrArray             *ck_store_list_attempts      (CkStore               *self,
                                                    const char            *consent_uuid,
                                                    GError               **error);
GPtrArray             *ck_store_list_queue         (CkStore               *self,
                                                    gint64                 due_by_ms,
                                                    GError               **error);
gboolean               ck_store_get_next_due       (CkStore               *self,
                                                    gint64                *due_ms,
                                                    GError               **error);

/* Sealed consents (docs/STORAGE.md, "Sealed consents"). */
GType                  ck_seal_job_get_type        (void) G_GNUC_CONST;
CkSealJob             *ck_seal_job_copy            (const CkSealJob       *job);
void                   ck_seal_job_free            (CkSealJob             *job);
const char            *ck_seal_job_kind_to_string  (CkSealJobKind          kind);
gboolean               ck_store_queue_seal_job     (CkStore               *self,
                                                    const char            *uuid,
                                                    CkSealJobKind          kind,
                                                    gint64                 due_ms,
                                                    const char            *last_error,
                                                    GError               **error);
GPtrArray             *ck_store_list_seal_jobs     (CkStore               *self,
                                                    gint64                 now_ms,
                                                    guint                  limit,
                                                    GError               **error);
CkSealJob             *ck_store_get_seal_job       (CkStore               *self,
                                                    const char            *uuid,
                                                    GError               **error);
gboolean               ck_store_seal_job_failed    (CkStore               *self,
                                                    const char            *uuid,
                                                    const char            *message,
                                                    gint64                 next_due_ms,
                                                    GError               **error);
gboolean               ck_store_count_seal_jobs    (CkStore               *self,
                                                    guint                 *seal,
                                                    guint                 *timestamp,
                                                    GError               **error);
gboolean               ck_store_append_pdf_revision (CkStore              *self,
                                                     const char           *uuid,
                                                     GBytes               *new_pdf,
                                                     const char           *kind,
                                                     const char           *summary,
                                                     GError              **error);
gboolean               ck_store_get_anchor_state   (CkStore               *self,
                                                    gint64                *head_seq,
                                                    char                 **head_hash,
                                                    gint64                *anchored_seq,
                                                    gint64                *anchor_seq,
                                                    char                 **anchored_at,
                                                    GError               **error);
gboolean               ck_store_add_anchor         (CkStore               *self,
                                                    gint64                 seq,
                                                    const char            *hash,
                                                    GBytes                *cms,
                                                    GError               **error);
GBytes                *ck_store_anchor_data        (gint64                 seq,
                                                    const char            *hash);

void                   ck_purged_call_free         (CkPurgedCall          *call);
void                   ck_store_link_free          (CkStoreLink           *link);
void                   ck_sync_status_clear        (CkSyncStatus          *status);
GPtrArray             *ck_store_read_links         (CkStore               *self,
                                                    gint64                 after,
                                                    guint                  limit,
                                                    GError               **error);
gboolean               ck_store_get_chain_head     (CkStore               *self,
                                                    gint64                *seq,
                                                    char                 **hash,
                                                    GError               **error);
gboolean               ck_store_get_link_hash      (CkStore               *self,
                                                    gint64                 seq,
                                                    char                 **hash,
                                                    GError               **error);
gboolean               ck_store_add_sync_receipt   (CkStore               *self,
                                                    gint64                 seq,
                                                    const char            *hash,
                                                    GError               **error);
gboolean               ck_store_note_sync_failure  (CkStore               *self,
                                                    const char            *message,
                                                    gint64                 conflict_seq,
                                                    GError               **error);
gboolean               ck_store_note_org_usage     (CkStore               *self,
                                                    guint64                billed,
                                                    guint64                maybe_billed,
                                                    guint                  kiosks,
                                                    GError               **error);
gboolean               ck_store_get_sync_status    (CkStore               *self,
                                                    const char            *since,
                                                    CkSyncStatus          *status,
                                                    GError               **error);
void                   ck_store_set_require_synced (CkStore               *self,
                                                    gboolean               require);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkConsentRecord, ck_consent_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSealJob, ck_seal_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStoreLink, ck_store_link_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkPurgedCall, ck_purged_call_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkSyncStatus, ck_sync_status_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStoreEvent, ck_store_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkVerifyAttempt, ck_verify_attempt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkQueueEntry, ck_queue_entry_free)

G_END_DECLS
