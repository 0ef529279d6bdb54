/* ck-central-query.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-central.h"
#include "ck-store.h"

G_BEGIN_DECLS

/**
 * CkCentralQuery:
 * @query: what a local list finds, found the same way across the archive:
 *   search (a name's beginning, or 4 to 18 final characters of an ID
 *   number), since, until, limit, offset, state, max_attempts
 * @kiosk: (nullable): only the consents this kiosk synced
 * @branch: (nullable): only those of the kiosks of this branch
 *
 * Which consents of the central archive (`consentctl --central URL list`).
 */
typedef struct
{
  CkStoreQuery query;
  const char *kiosk;
  const char *branch;
} CkCentralQuery;

/**
 * CkCentralOrigin:
 * @kiosk_id: the kiosk that synced the consent (its registered id)
 * @branch: that kiosk's branch, "" when none was given
 * @seq: the consent's link in that kiosk's chain
 *
 * Where a consent of the archive comes from: what the archive's output adds
 * to a local command's.
 */
typedef struct
{
  const char *kiosk_id;
  const char *branch;
  gint64 seq;
} CkCentralOrigin;

/**
 * CkCentralRecordFunc:
 * @record: a consent, as the kiosk stored it
 * @status: its verification status, from the attempts and withdrawals the
 *   kiosk synced
 * @origin: where it comes from
 * @user_data: what ck_central_foreach() was given
 * @error: where to say why to stop
 *
 * Returns: %TRUE to go on, %FALSE (with @error set) to stop
 */
typedef gboolean (*CkCentralRecordFunc) (const CkConsentRecord *record,
                                         const CkConsentStatus *status,
                                         const CkCentralOrigin *origin,
                                         gpointer               user_data,
                                         GError               **error);

/**
 * CkCentralConsent:
 * @record: the consent
 * @kiosk_id: the kiosk that synced it
 * @branch: that kiosk's branch
 *
 * One consent of the archive, found by its id (ck_central_lookup()).
 */
typedef struct
{
  CkConsentRecord *record;
  char *kiosk_id;
  char *branch;
} CkCentralConsent;

/**
 * CkCentralCall:
 * @attempt: the call, as ck_usage_list_calls() gives a local one: time,
 *   provider, outcome, HTTP status, request id; its consent's id, or
 *   %NULL when the kiosk had purged the consent before it was synced
 * @kiosk_id: the kiosk that made it
 * @branch: that kiosk's branch
 *
 * A paid verification call of the organisation (ck.org_calls).
 */
typedef struct
{
  CkVerifyAttempt *attempt;
  char *kiosk_id;
  char *branch;
} CkCentralCall;

/**
 * CkCentralCheckCounts:
 * @kiosks: kiosks checked
 * @links: links of their chains
 * @consents: consent records recomputed
 * @events: event records recomputed
 * @pdfs: PDFs hashed (consents' and revisions')
 * @attempts: verification attempts recomputed
 *
 * What ck_central_check_full() went through.
 */
typedef struct
{
  guint kiosks;
  gint64 links;
  gint64 consents;
  gint64 events;
  gint64 pdfs;
  gint64 attempts;
} CkCentralCheckCounts;

void              ck_central_consent_free        (CkCentralConsent      *consent);
void              ck_central_call_free           (CkCentralCall         *call);

gboolean          ck_central_foreach             (CkCentral             *self,
                                                  const CkCentralQuery  *query,
                                                  CkCentralRecordFunc    func,
                                                  gpointer               user_data,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
gint64            ck_central_count_matches       (CkCentral             *self,
                                                  const CkCentralQuery  *query,
                                                  GError               **error);
CkCentralConsent *ck_central_lookup              (CkCentral             *self,
                                                  const char            *uuid,
                                                  const char            *kiosk,
                                                  const char            *branch,
                                                  GError               **error);
GPtrArray        *ck_central_list_events         (CkCentral             *self,
                                                  const char            *kiosk_id,
                                                  const char            *consent_uuid,
                                                  GError               **error);
GPtrArray        *ck_central_list_attempts       (CkCentral             *self,
                                                  const char            *kiosk_id,
                                                  const char            *consent_uuid,
                                                  GError               **error);
GBytes           *ck_central_read_pdf            (CkCentral             *self,
                                                  const char            *kiosk_id,
                                                  const CkConsentRecord *record,
                                                  GError               **error);
gboolean          ck_central_record_reveal       (CkCentral             *self,
                                                  const char            *kiosk_id,
                                                  const char            *consent_uuid,
                                                  const char            *operator_name,
                                                  const char            *via,
                                                  guint                  n_records,
                                                  GError               **error);
GPtrArray        *ck_central_list_calls          (CkCentral             *self,
                                                  const char            *since,
                                                  const char            *kiosk,
                                                  const char            *branch,
                                                  GError               **error);
gboolean          ck_central_purge_before        (CkCentral             *self,
                                                  const char            *before,
                                                  const char            *operator_name,
                                                  gint64                *n_purged,
                                                  GError               **error);
char             *ck_central_default_kiosk_role  (const char            *kiosk_id);
gboolean          ck_central_add_kiosk_from_file (CkCentral             *self,
                                                  const char            *kiosk_id,
                                                  const char            *branch,
                                                  const char            *role,
                                                  const char            *password_file,
                                                  GError               **error);

gboolean          ck_central_check               (CkCentral             *self,
                                                  const char            *kiosk_filter,
                                                  const char            *branch_filter,
                                                  GPtrArray            **problems,
                                                  GError               **error);
gboolean          ck_central_check_full          (CkCentral             *self,
                                                  const char            *kiosk_filter,
                                                  const char            *branch_filter,
                                                  CkCentralCheckCounts  *counts,
                                                  GPtrArray            **problems,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkCentralConsent, ck_central_consent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkCentralCall, ck_central_call_free)

G_END_DECLS
