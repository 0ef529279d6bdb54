/* ck-verifier-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Private to libck. This API takes a raw name and ID number, and design
 * invariant 1 says no verification request may be sent without a durable
 * consent for exactly that person: so it is not in ck.h, and only CkFlow
 * (verifying a committed consent by its id) and the verifier's own tests
 * may call it. */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"

G_BEGIN_DECLS

#define CK_VERIFIER_ERROR (ck_verifier_error_quark ())
#define CK_TYPE_VERIFIER (ck_verifier_get_type ())
#define CK_TYPE_VERIFY_RESULT (ck_verify_result_get_type ())

/* The raw response body kept in a result, at most. */
#define CK_VERIFY_BODY_KEEP_MAX (8 * 1024)
/* A response body larger than this aborts the transfer. */
#define CK_VERIFY_BODY_MAX (64 * 1024)

/**
 * CkVerifierError:
 * @CK_VERIFIER_ERROR_DISABLED: the provider is `none`
 * @CK_VERIFIER_ERROR_BAD_ENDPOINT: the endpoint is not an https:// address
 *   (or http:// without allow_insecure_http)
 * @CK_VERIFIER_ERROR_INIT: the HTTP library could not be set up
 */
typedef enum
{
  CK_VERIFIER_ERROR_DISABLED,
  CK_VERIFIER_ERROR_BAD_ENDPOINT,
  CK_VERIFIER_ERROR_INIT,
} CkVerifierError;

/**
 * CkVerifyOutcome:
 * @CK_VERIFY_OUTCOME_VERIFIED: name and ID number match (HTTP 200, "01")
 * @CK_VERIFY_OUTCOME_NOT_MATCHED: they do not match ("02"); final
 * @CK_VERIFY_OUTCOME_UNDETERMINED: the service cannot tell ("202"); staff decides
 * @CK_VERIFY_OUTCOME_INPUT_REJECTED: the service refused the name or number
 *   ("204", "205")
 * @CK_VERIFY_OUTCOME_CONFIG_FAULT: the gateway refused the request (HTTP 400,
 *   e.g. "Invalid Url"), the AppCode is wrong, not authorised or used up
 *   (HTTP 401, 403), or the kiosk's own settings cannot work
 * @CK_VERIFY_OUTCOME_PROVIDER_FAULT: the service or its gateway failed (5xx,
 *   "203", an unknown status, a malformed, empty or oversized body, a redirect)
 * @CK_VERIFY_OUTCOME_NETWORK_FAULT: the service could not be reached or did
 *   not answer in time (DNS, refused, reset, timeout)
 * @CK_VERIFY_OUTCOME_TLS_FAULT: the service's certificate or host name did
 *   not verify
 */
typedef enum
{
  CK_VERIFY_OUTCOME_VERIFIED,
  CK_VERIFY_OUTCOME_NOT_MATCHED,
  CK_VERIFY_OUTCOME_UNDETERMINED,
  CK_VERIFY_OUTCOME_INPUT_REJECTED,
  CK_VERIFY_OUTCOME_CONFIG_FAULT,
  CK_VERIFY_OUTCOME_PROVIDER_FAULT,
  CK_VERIFY_OUTCOME_NETWORK_FAULT,
  CK_VERIFY_OUTCOME_TLS_FAULT,
} CkVerifyOutcome;

/**
 * CkVerifyResult:
 * @outcome: the outcome class
 * @http_status: the HTTP status, 0 when no response arrived (or demo)
 * @provider_status: (nullable): `status` of the JSON body
 * @provider_message: (nullable): `msg` of the JSON body
 * @request_id: (nullable): the `X-Ca-Request-Id` header
 * @error_code: (nullable): the `X-Ca-Error-Code` header
 * @error_message: (nullable): the `X-Ca-Error-Message` header
 * @duration_ms: how long the attempt took
 * @body: (nullable): the raw response body, at most %CK_VERIFY_BODY_KEEP_MAX
 *   bytes, with the ID number masked
 * @body_truncated: whether @body is shorter than what arrived
 * @detail: (nullable): what went wrong below HTTP (a libcurl error name),
 *   untranslated, for staff
 * @masked_id: the ID number as ck_idcard_mask_number() masks it
 * @demo: whether the in-process demo provider answered
 *
 * One verification attempt. No field holds the AppCode, the request URL or
 * the full ID number: anything the service sends back has them masked.
 */
typedef struct
{
  CkVerifyOutcome outcome;
  guint http_status;
  char *provider_status;
  char *provider_message;
  char *request_id;
  char *error_code;
  char *error_message;
  gint64 duration_ms;
  GBytes *body;
  gboolean body_truncated;
  char *detail;
  char *masked_id;
  gboolean demo;
} CkVerifyResult;

G_DECLARE_FINAL_TYPE (CkVerifier, ck_verifier, CK, VERIFIER, GObject)

GQuark              ck_verifier_error_quark              (void);
GType               ck_verify_result_get_type            (void) G_GNUC_CONST;

const char         *ck_verify_outcome_to_string          (CkVerifyOutcome       outcome);

CkVerifyResult     *ck_verify_result_new                 (void);
CkVerifyResult     *ck_verify_result_copy                (const CkVerifyResult *result);
void                ck_verify_result_free                (CkVerifyResult       *result);
char               *ck_verify_result_dup_customer_message (const CkVerifyResult *result);
char               *ck_verify_result_dup_staff_message   (const CkVerifyResult *result);

CkVerifier         *ck_verifier_new                      (CkConfig             *config,
                                                          GError              **error);
CkVerifierProvider  ck_verifier_get_provider             (CkVerifier           *self);
void                ck_verifier_verify_async             (CkVerifier           *self,
                                                          const char           *name,
                                                          const char           *id_number,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
CkVerifyResult     *ck_verifier_verify_finish            (CkVerifier           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkVerifyResult, ck_verify_result_free)

G_END_DECLS
