/* ck-central-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of the central archive (central/ck-central*.c). */

#pragma once

#include <libpq-fe.h>

#include "ck-central.h"

G_BEGIN_DECLS

struct _CkCentral
{
  GObject parent_instance;

  PGconn *conn;
  char *role;          /* the role logged in as */
  char *display_url;   /* the URL without anything secret, for messages */
  gboolean prepared;   /* the sync's statements are prepared */
  char *receipt_kiosk; /* the last receipt this connection stored: for */
  gint64 receipt_seq;  /* which kiosk, up to which link (ck-central-sync.c) */
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Test builds (-DCK_FAULT_INJECTION) die here when CK_FAULT_POINT names
 * the step, as the store's do: the sync's crash test kills batches at
 * every step. CK_FAULT_COUNT=N kills at the Nth time instead of the first;
 * CK_FAULT_ACTION=stop stops the process there (SIGSTOP) instead, once. */
#ifdef CK_FAULT_INJECTION
void _ck_central_fault_point (const char *name);
#else
# define _ck_central_fault_point(name) G_STMT_START { } G_STMT_END
#endif

gboolean   _ck_central_result_error   (CkCentral          *self,
                                       PGresult           *result,
                                       GError            **error);
PGresult  *_ck_central_exec           (CkCentral          *self,
                                       const char         *sql,
                                       int                 n_params,
                                       const char * const *values,
                                       GError            **error);
gboolean   _ck_central_command        (CkCentral          *self,
                                       const char         *sql,
                                       GError            **error);
void       _ck_central_rollback       (CkCentral          *self);

/* ck-central-query.c: reading the archive. Results come in binary format
 * (bytea as its bytes); every column that is not text or bytea is cast to
 * text by the query, so a value is read as the C string it prints as. */
typedef gboolean (*CkCentralRowFunc) (PGresult  *result,
                                      int        row,
                                      gpointer   user_data,
                                      GError   **error);

/* The columns _ck_central_read_consent () reads, of ck.consents as c:
 * 21, in the order of the store's (the entry methods last, schema 3). */
#define CK_CENTRAL_CONSENT_COLUMNS \
  "c.seq::text, c.uuid, c.created_at, c.name, c.id_number, c.sign_date, c.org_name, c.org_business, " \
  "c.org_purpose, c.template_sha256, c.pdf_path, c.pdf_sha256, c.pdf_size::text, c.signature, " \
  "c.record_kiosk_id, c.operator, c.demo::text, c.prev, c.hash, c.name_method, c.id_method"
#define CK_CENTRAL_N_CONSENT_COLUMNS 21

/* _ck_central_read_event ()'s, of ck.events as e: 8. */
#define CK_CENTRAL_EVENT_COLUMNS \
  "e.seq::text, e.at, e.kind, e.consent_uuid, e.operator, e.detail, e.prev, e.hash"
#define CK_CENTRAL_N_EVENT_COLUMNS 8

/* _ck_central_read_attempt ()'s, of ck.attempts as a: 18. */
#define CK_CENTRAL_ATTEMPT_COLUMNS \
  "a.consent_uuid, a.number::text, a.started_ms::text, a.started_at, a.duration_ms::text, a.provider, " \
  "a.outcome, a.http_status::text, a.provider_status, a.provider_message, a.request_id, a.error_code, " \
  "a.error_message, a.detail, a.body, a.body_truncated::text, a.demo::text, a.claimed_by"
#define CK_CENTRAL_N_ATTEMPT_COLUMNS 18

PGresult        *_ck_central_exec_binary  (CkCentral          *self,
                                           const char         *sql,
                                           int                 n_params,
                                           const char * const *values,
                                           GError            **error);
gboolean         _ck_central_foreach_row  (CkCentral          *self,
                                           const char         *sql,
                                           int                 n_params,
                                           const char * const *values,
                                           CkCentralRowFunc    func,
                                           gpointer            user_data,
                                           GCancellable       *cancellable,
                                           GError            **error);
const char      *_ck_central_get_text     (PGresult           *result,
                                           int                 row,
                                           int                 column);
gint64           _ck_central_get_int      (PGresult           *result,
                                           int                 row,
                                           int                 column);
gboolean         _ck_central_get_bool     (PGresult           *result,
                                           int                 row,
                                           int                 column);
CkConsentRecord *_ck_central_read_consent (PGresult           *result,
                                           int                 row,
                                           int                 first);
CkStoreEvent    *_ck_central_read_event   (PGresult           *result,
                                           int                 row,
                                           int                 first);
CkVerifyAttempt *_ck_central_read_attempt (PGresult           *result,
                                           int                 row,
                                           int                 first);

G_END_DECLS
