/* ck-verify-queue.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-store.h"
#include "ck-verify-state.h"

G_BEGIN_DECLS

#define CK_VERIFY_QUEUE_ERROR (ck_verify_queue_error_quark ())
#define CK_TYPE_VERIFY_QUEUE (ck_verify_queue_get_type ())
#define CK_TYPE_VERIFICATION (ck_verification_get_type ())

/**
 * CkVerifyQueueError:
 * @CK_VERIFY_QUEUE_ERROR_DISABLED: the provider is `none`
 * @CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED: the service already answered
 *   for this consent (verified, not matched, undetermined, input rejected);
 *   another paid call needs %CK_VERIFY_AGAIN
 * @CK_VERIFY_QUEUE_ERROR_BUSY: another attempt for this consent is running
 * @CK_VERIFY_QUEUE_ERROR_SETUP: the verifier cannot be set up
 * @CK_VERIFY_QUEUE_ERROR_WITHDRAWN: the customer withdrew the consent
 *
 * Refusals before any request is sent. A consent that is not stored, or
 * whose row or PDF changed after signing, is refused with the store's
 * %CK_STORE_ERROR_NOT_FOUND or %CK_STORE_ERROR_TAMPERED.
 */
typedef enum
{
  CK_VERIFY_QUEUE_ERROR_DISABLED,
  CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED,
  CK_VERIFY_QUEUE_ERROR_BUSY,
  CK_VERIFY_QUEUE_ERROR_SETUP,
  CK_VERIFY_QUEUE_ERROR_WITHDRAWN,
} CkVerifyQueueError;

/**
 * CkVerifyFlags:
 * @CK_VERIFY_DEFAULT: verify unless the service already answered
 * @CK_VERIFY_AGAIN: make another paid call even if it did
 */
typedef enum
{
  CK_VERIFY_DEFAULT = 0,
  CK_VERIFY_AGAIN   = 1 << 0,
} CkVerifyFlags;

/**
 * CkVerification:
 * @consent_uuid: the consent
 * @state: derived from @attempts
 * @outcome: (nullable): the last finished attempt's outcome class, as
 *   `ck_verify_outcome_to_string()` names it ("verified", "not-matched",
 *   "undetermined", "input-rejected", "config-fault", "provider-fault",
 *   "network-fault", "tls-fault") or "interrupted"
 * @attempts: (element-type CkVerifyAttempt): every attempt, oldest first
 * @next_attempt_ms: when the queue tries again (Unix ms), 0 if it does not
 * @demo: whether the demo provider answered the last attempt
 * @customer_message: translated, for the customer; no AppCode, no ID number
 * @staff_message: translated, precise, for staff; the ID number masked
 * @refusal: (nullable): from ck_verify_queue_run_due_finish() only: why no
 *   request was sent for this consent (translated), e.g. its PDF changed
 *
 * Where a consent's verification stands.
 */
typedef struct
{
  char *consent_uuid;
  CkVerifyState state;
  char *outcome;
  GPtrArray *attempts;
  gint64 next_attempt_ms;
  gboolean demo;
  char *customer_message;
  char *staff_message;
  char *refusal;
} CkVerification;

G_DECLARE_FINAL_TYPE (CkVerifyQueue, ck_verify_queue, CK, VERIFY_QUEUE, GObject)

GQuark           ck_verify_queue_error_quark       (void);
GType            ck_verification_get_type          (void) G_GNUC_CONST;

CkVerification  *ck_verification_copy              (const CkVerification *verification);
void             ck_verification_free              (CkVerification      *verification);
CkVerification  *ck_verification_new_for_status    (const char          *consent_uuid,
                                                    const CkConsentStatus *status,
                                                    guint                max_attempts);
CkVerification  *ck_verification_new_for_attempts  (const CkConsentRecord *record,
                                                    GPtrArray           *attempts,
                                                    const CkStoreEvent  *withdrawal,
                                                    guint                max_attempts);

gint64           ck_verify_backoff_ms              (guint                n_attempts);

CkVerifyQueue   *ck_verify_queue_new               (CkConfig            *config,
                                                    CkStore             *store);
gint64           ck_verify_queue_now_ms            (CkVerifyQueue       *self);
gboolean         ck_verify_queue_is_enabled        (CkVerifyQueue       *self);

CkVerification  *ck_verify_queue_lookup            (CkVerifyQueue       *self,
                                                    const char          *consent_uuid,
                                                    GError             **error);

void             ck_verify_queue_verify_async      (CkVerifyQueue       *self,
                                                    const char          *consent_uuid,
                                                    CkVerifyFlags        flags,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CkVerification  *ck_verify_queue_verify_finish     (CkVerifyQueue       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
CkVerification  *ck_verify_queue_verify            (CkVerifyQueue       *self,
                                                    const char          *consent_uuid,
                                                    CkVerifyFlags        flags,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

GPtrArray       *ck_verify_queue_list_due          (CkVerifyQueue       *self,
                                                    gboolean             include_not_yet_due,
                                                    GError             **error);
gint64           ck_verify_queue_get_next_due_ms   (CkVerifyQueue       *self,
                                                    GError             **error);
void             ck_verify_queue_run_due_async     (CkVerifyQueue       *self,
                                                    gboolean             include_not_yet_due,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray       *ck_verify_queue_run_due_finish    (CkVerifyQueue       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
GPtrArray       *ck_verify_queue_run_due           (CkVerifyQueue       *self,
                                                    gboolean             include_not_yet_due,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
void             ck_verify_queue_start             (CkVerifyQueue       *self);
void             ck_verify_queue_stop              (CkVerifyQueue       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkVerification, ck_verification_free)

G_END_DECLS
