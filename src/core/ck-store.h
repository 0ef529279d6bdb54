/* ck-store.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CK_STORE_ERROR (ck_store_error_quark ())
#define CK_TYPE_STORE (ck_store_get_type ())
#define CK_TYPE_CONSENT_RECORD (ck_consent_record_get_type ())

/* The schema this build writes; older databases are migrated forward. */
#define CK_STORE_SCHEMA_VERSION 2

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
} CkStoreError;

typedef enum
{
  CK_STORE_OPEN_DEFAULT   = 0,
  CK_STORE_OPEN_RECOVER   = 1 << 0,  /* clean up after a crash (writers do) */
  CK_STORE_OPEN_READ_ONLY = 1 << 1,  /* look without touching anything */
} CkStoreOpenFlags;

/**
 * CkConsentRecord:
 *
 * One stored consent. Strings are UTF-8; @created_at is ISO 8601 UTC;
 * @sign_date is YYYY-MM-DD; @pdf_path is relative to the data directory.
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
} CkStoreQuery;

/**
 * CkStoreRecovery:
 * @tmp_removed: half-written PDFs removed
 * @quarantined: PDFs without a row, moved to quarantine/ (relative paths)
 * @missing_pdfs: consents whose PDF is missing (uuids)
 * @purged_removed: PDFs a purge had removed the rows of, but had not yet
 *   deleted when it was interrupted: deleted now
 *
 * What opening with %CK_STORE_OPEN_RECOVER found and did.
 */
typedef struct
{
  guint tmp_removed;
  GPtrArray *quarantined;
  GPtrArray *missing_pdfs;
  guint purged_removed;
} CkStoreRecovery;

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
const char            *ck_store_get_data_dir       (CkStore               *self);
const CkStoreRecovery *ck_store_get_recovery       (CkStore               *self);
int                    ck_store_get_schema_version (CkStore               *self);

gboolean               ck_store_save               (CkStore               *self,
                                                    CkConsentRecord       *record,
                                                    GBytes                *pdf,
                                                    GError               **error);
CkConsentRecord       *ck_store_lookup             (CkStore               *self,
                                                    const char            *uuid,
                                                    GError               **error);
GPtrArray             *ck_store_list               (CkStore               *self,
                                                    const CkStoreQuery    *query,
                                                    GError               **error);
gint64                 ck_store_count              (CkStore               *self,
                                                    GError               **error);
GBytes                *ck_store_read_pdf           (CkStore               *self,
                                                    const CkConsentRecord *record,
                                                    GError               **error);
gboolean               ck_store_add_event          (CkStore               *self,
                                                    const char            *kind,
                                                    const char            *consent_uuid,
                                                    const char            *operator_name,
                                                    const char            *detail,
                                                    GError               **error);
GPtrArray             *ck_store_list_events        (CkStore               *self,
                                                    const char            *consent_uuid,
                                                    GError               **error);
gboolean               ck_store_purge              (CkStore               *self,
                                                    const char            *before,
                                                    const char            *operator_name,
                                                    guint                 *n_purged,
                                                    GError               **error);
GPtrArray             *ck_store_check              (CkStore               *self,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkConsentRecord, ck_consent_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkStoreEvent, ck_store_event_free)

G_END_DECLS
