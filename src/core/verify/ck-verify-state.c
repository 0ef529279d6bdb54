/* ck-verify-state.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one place that says what a consent's verification state is.
 *
 * A state follows from three things the store keeps for every consent
 * (its consent_status row): the outcome of its last attempt, that
 * attempt's number, and whether the consent was withdrawn; and from
 * [verification] max_attempts. Two tables below say everything: which
 * state each stored outcome gives, and how each state is named, labelled
 * for staff and styled. The C derivation (ck_verify_state_from_status ())
 * and the SQL filter the store runs (ck_verify_state_append_sql ()) are
 * both written from them, and test-verify-state proves they agree for
 * every state, outcome and attempt count. docs/VERIFICATION.md explains
 * the states to staff. */

#define G_LOG_DOMAIN "ck-verify-state"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-verify-state.h"

G_DEFINE_ENUM_TYPE (CkVerifyState, ck_verify_state,
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_UNVERIFIED, "unverified"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_IN_PROGRESS, "in-progress"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_VERIFIED, "verified"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_NOT_MATCHED, "not-matched"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_UNDETERMINED, "undetermined"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_REJECTED, "rejected"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_RETRYING, "retrying"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (CK_VERIFY_STATE_WITHDRAWN, "withdrawn"))

/* Each state: its name (the CLI's and the exports'), what staff read, the
 * style class and icon the staff window shows it with, and whether the
 * service itself answered (then another attempt is another paid call). */
static const struct {
  const char *name;
  const char *label;
  const char *style;
  const char *icon;
  gboolean answer;
} states[] = {
  [CK_VERIFY_STATE_UNVERIFIED]   = { "unverified",   N_("Not verified yet"), "neutral",   "dialog-question-symbolic",    FALSE },
  [CK_VERIFY_STATE_IN_PROGRESS]  = { "in-progress",  N_("Being verified"),   "accent",    "content-loading-symbolic",    FALSE },
  [CK_VERIFY_STATE_VERIFIED]     = { "verified",     N_("Verified"),         "success",   "emblem-ok-symbolic",          TRUE },
  [CK_VERIFY_STATE_NOT_MATCHED]  = { "not-matched",  N_("Not matched"),      "error",     "dialog-error-symbolic",       TRUE },
  [CK_VERIFY_STATE_UNDETERMINED] = { "undetermined", N_("Undetermined"),     "warning",   "dialog-warning-symbolic",     TRUE },
  [CK_VERIFY_STATE_REJECTED]     = { "rejected",     N_("Rejected"),         "error",     "dialog-error-symbolic",       TRUE },
  [CK_VERIFY_STATE_RETRYING]     = { "retrying",     N_("Will be retried"),  "warning",   "dialog-warning-symbolic",     FALSE },
  [CK_VERIFY_STATE_FAILED]       = { "failed",       N_("Failed"),           "error",     "dialog-error-symbolic",       FALSE },
  [CK_VERIFY_STATE_WITHDRAWN]    = { "withdrawn",    N_("Withdrawn"),        "dim-label", "action-unavailable-symbolic", FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (states) == CK_VERIFY_N_STATES);

/* Each outcome an attempt is stored with, and the state it leaves its
 * consent in. A RETRYING outcome is retried by the queue until the
 * attempt's number reaches max_attempts; then the state is FAILED. An
 * outcome not listed (a newer version's, or an edited row) is FAILED. */
static const struct {
  const char *outcome;
  CkVerifyState state;
} outcomes[] = {
  { "in-progress",    CK_VERIFY_STATE_IN_PROGRESS },
  { "verified",       CK_VERIFY_STATE_VERIFIED },
  { "not-matched",    CK_VERIFY_STATE_NOT_MATCHED },
  { "undetermined",   CK_VERIFY_STATE_UNDETERMINED },
  { "input-rejected", CK_VERIFY_STATE_REJECTED },
  { "config-fault",   CK_VERIFY_STATE_FAILED },
  { "tls-fault",      CK_VERIFY_STATE_FAILED },
  { "provider-fault", CK_VERIFY_STATE_RETRYING },
  { "network-fault",  CK_VERIFY_STATE_RETRYING },
  /* The process making the call stopped before its answer was recorded. */
  { "interrupted",    CK_VERIFY_STATE_RETRYING },
};

static gboolean
state_is_valid (CkVerifyState state)
{
  return (guint)state < G_N_ELEMENTS (states);
}

const char *
ck_verify_state_to_string (CkVerifyState state)
{
  return state_is_valid (state) ? states[state].name : "unknown";
}

/**
 * ck_verify_state_from_string:
 * @name: a state's name, as ck_verify_state_to_string() gives it
 * @state: (out) (optional): the state
 *
 * Returns: whether @name names a state
 */
gboolean
ck_verify_state_from_string (const char    *name,
                             CkVerifyState *state)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (name, states[i].name))
      {
        if (state)
          *state = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * ck_verify_state_get_label:
 *
 * Returns: the state in staff's words, translated
 */
const char *
ck_verify_state_get_label (CkVerifyState state)
{
  return state_is_valid (state) ? _(states[state].label) : ck_verify_state_to_string (state);
}

/**
 * ck_verify_state_get_style:
 *
 * Returns: the style class a state is shown with: "success", "warning",
 *   "error", "accent", "neutral" or "dim-label"
 */
const char *
ck_verify_state_get_style (CkVerifyState state)
{
  return state_is_valid (state) ? states[state].style : "neutral";
}

/**
 * ck_verify_state_get_icon:
 *
 * Returns: the symbolic icon a state is shown with
 */
const char *
ck_verify_state_get_icon (CkVerifyState state)
{
  return state_is_valid (state) ? states[state].icon : "dialog-question-symbolic";
}

/**
 * ck_verify_state_is_answer:
 *
 * Returns: whether the service itself answered (verified, not matched,
 *   undetermined, rejected): another attempt is another paid call, made
 *   only when staff asks for it
 */
gboolean
ck_verify_state_is_answer (CkVerifyState state)
{
  return state_is_valid (state) && states[state].answer;
}

static gboolean
lookup_outcome (const char    *outcome,
                CkVerifyState *state)
{
  for (guint i = 0; outcome && i < G_N_ELEMENTS (outcomes); i++)
    if (g_str_equal (outcome, outcomes[i].outcome))
      {
        *state = outcomes[i].state;
        return TRUE;
      }

  return FALSE;
}

/**
 * ck_verify_outcome_is_known:
 * @outcome: (nullable): a stored attempt's outcome
 *
 * Returns: whether this version knows @outcome ("in-progress" included)
 */
gboolean
ck_verify_outcome_is_known (const char *outcome)
{
  CkVerifyState state;

  return lookup_outcome (outcome, &state);
}

/**
 * ck_verify_outcome_is_retryable:
 * @outcome: (nullable): a stored attempt's outcome
 *
 * Returns: whether the queue tries again after an attempt that ended so
 *   (provider and network faults, interrupted attempts), while attempts
 *   are left
 */
gboolean
ck_verify_outcome_is_retryable (const char *outcome)
{
  CkVerifyState state;

  return lookup_outcome (outcome, &state) && state == CK_VERIFY_STATE_RETRYING;
}

/**
 * ck_verify_state_from_status:
 * @last_outcome: (nullable): the last attempt's outcome; %NULL without one
 * @last_number: its number
 * @withdrawn: whether the consent was withdrawn
 * @max_attempts: [verification] max_attempts; 0 for its default
 *
 * Returns: the consent's state
 */
CkVerifyState
ck_verify_state_from_status (const char *last_outcome,
                             guint       last_number,
                             gboolean    withdrawn,
                             guint       max_attempts)
{
  CkVerifyState state;

  if (max_attempts == 0)
    max_attempts = CK_VERIFY_DEFAULT_MAX_ATTEMPTS;

  if (withdrawn)
    return CK_VERIFY_STATE_WITHDRAWN;
  if (last_outcome == NULL)
    return CK_VERIFY_STATE_UNVERIFIED;
  if (!lookup_outcome (last_outcome, &state))
    return CK_VERIFY_STATE_FAILED;
  if (state == CK_VERIFY_STATE_RETRYING && last_number >= max_attempts)
    return CK_VERIFY_STATE_FAILED;

  return state;
}

/* "'a', 'b'": the outcomes whose own state is @state, or every outcome
 * for %CK_VERIFY_N_STATES. Empty when there is none. */
static void
append_outcomes (GString       *sql,
                 CkVerifyState  state)
{
  gboolean first = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (state == CK_VERIFY_N_STATES || outcomes[i].state == state)
      {
        g_string_append_printf (sql, "%s'%s'", first ? "" : ", ", outcomes[i].outcome);
        first = FALSE;
      }
}

static gboolean
has_outcomes (CkVerifyState state)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (outcomes[i].state == state)
      return TRUE;

  return FALSE;
}

/**
 * ck_verify_state_append_sql:
 * @state: a state
 * @withdrawn_column: an SQL expression: 1 when withdrawn, else 0
 * @outcome_column: an SQL expression: the last attempt's outcome, or NULL
 * @number_column: an SQL expression: the last attempt's number
 * @max_attempts: [verification] max_attempts; 0 for its default
 * @sql: where to append
 *
 * Appends an SQL condition that holds exactly for the consents
 * ck_verify_state_from_status() puts in @state, written from the same
 * tables. The expressions are copied as given (column names or
 * subqueries of the store's own making, never outside input).
 */
void
ck_verify_state_append_sql (CkVerifyState  state,
                            const char    *withdrawn_column,
                            const char    *outcome_column,
                            const char    *number_column,
                            guint          max_attempts,
                            GString       *sql)
{
  const char *or = "";

  g_return_if_fail (state_is_valid (state));

  if (max_attempts == 0)
    max_attempts = CK_VERIFY_DEFAULT_MAX_ATTEMPTS;

  if (state == CK_VERIFY_STATE_WITHDRAWN)
    {
      g_string_append_printf (sql, "%s = 1", withdrawn_column);
      return;
    }

  g_string_append_printf (sql, "%s = 0 AND (", withdrawn_column);

  if (state == CK_VERIFY_STATE_UNVERIFIED)
    {
      g_string_append_printf (sql, "%s IS NULL", outcome_column);
      or = " OR ";
    }

  /* The outcomes that give this state whatever the attempt's number. */
  if (has_outcomes (state) && state != CK_VERIFY_STATE_RETRYING)
    {
      g_string_append_printf (sql, "%s%s IN (", or, outcome_column);
      append_outcomes (sql, state);
      g_string_append (sql, ")");
      or = " OR ";
    }

  /* Retryable outcomes: retrying while attempts are left, then failed. */
  if (state == CK_VERIFY_STATE_RETRYING || state == CK_VERIFY_STATE_FAILED)
    {
      g_string_append_printf (sql, "%s(%s IN (", or, outcome_column);
      append_outcomes (sql, CK_VERIFY_STATE_RETRYING);
      g_string_append_printf (sql, ") AND %s %s %u)", number_column,
                              state == CK_VERIFY_STATE_RETRYING ? "<" : ">=", max_attempts);
      or = " OR ";
    }

  /* An outcome this version does not know. */
  if (state == CK_VERIFY_STATE_FAILED)
    {
      g_string_append_printf (sql, "%s%s NOT IN (", or, outcome_column);
      append_outcomes (sql, CK_VERIFY_N_STATES);
      g_string_append (sql, ")");
      or = " OR ";
    }

  /* A state no row can be in gives no row (not reached with these tables). */
  if (or[0] == '\0')
    g_string_append (sql, "0");

  g_string_append (sql, ")");
}
