/* ck-verify-state.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_TYPE_VERIFY_STATE (ck_verify_state_get_type ())

/* [verification] max_attempts when the configuration does not say. */
#define CK_VERIFY_DEFAULT_MAX_ATTEMPTS 5

/**
 * CkVerifyState:
 * @CK_VERIFY_STATE_UNVERIFIED: no attempt yet
 * @CK_VERIFY_STATE_IN_PROGRESS: an attempt is running
 * @CK_VERIFY_STATE_VERIFIED: the service confirmed name and ID number
 * @CK_VERIFY_STATE_NOT_MATCHED: the service says they do not match
 * @CK_VERIFY_STATE_UNDETERMINED: the service cannot tell; staff decides
 * @CK_VERIFY_STATE_REJECTED: the service refused the name or number
 * @CK_VERIFY_STATE_RETRYING: the last attempt failed in a way another may
 *   not; the next one is queued
 * @CK_VERIFY_STATE_FAILED: the last attempt failed in a way that needs
 *   staff (configuration, TLS), or every automatic attempt failed
 * @CK_VERIFY_STATE_WITHDRAWN: the customer withdrew the consent; nothing
 *   verifies it any more
 *
 * A consent's verification state, derived from its last attempt's
 * outcome and number and from its withdrawal (ck-verify-state.c).
 */
typedef enum
{
  CK_VERIFY_STATE_UNVERIFIED,
  CK_VERIFY_STATE_IN_PROGRESS,
  CK_VERIFY_STATE_VERIFIED,
  CK_VERIFY_STATE_NOT_MATCHED,
  CK_VERIFY_STATE_UNDETERMINED,
  CK_VERIFY_STATE_REJECTED,
  CK_VERIFY_STATE_RETRYING,
  CK_VERIFY_STATE_FAILED,
  CK_VERIFY_STATE_WITHDRAWN,
} CkVerifyState;

#define CK_VERIFY_N_STATES (CK_VERIFY_STATE_WITHDRAWN + 1)

GType          ck_verify_state_get_type         (void) G_GNUC_CONST;

const char    *ck_verify_state_to_string        (CkVerifyState  state);
gboolean       ck_verify_state_from_string      (const char    *name,
                                                 CkVerifyState *state);
const char    *ck_verify_state_get_label        (CkVerifyState  state);
const char    *ck_verify_state_get_style        (CkVerifyState  state);
const char    *ck_verify_state_get_icon         (CkVerifyState  state);
gboolean       ck_verify_state_is_answer        (CkVerifyState  state);

gboolean       ck_verify_outcome_is_known       (const char    *outcome);
gboolean       ck_verify_outcome_is_retryable   (const char    *outcome);

CkVerifyState  ck_verify_state_from_status      (const char    *last_outcome,
                                                 guint          last_number,
                                                 gboolean       withdrawn,
                                                 guint          max_attempts);
void           ck_verify_state_append_sql       (CkVerifyState  state,
                                                 const char    *withdrawn_column,
                                                 const char    *outcome_column,
                                                 const char    *number_column,
                                                 guint          max_attempts,
                                                 GString       *sql);

G_END_DECLS
