/* ck-verify-queue.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Verification of stored consents, by consent id only
 * (docs/ARCHITECTURE.md, invariant 1), and the persistent queue that retries the failures another
 * attempt may not meet.
 *
 * One attempt:
 *
 *   1. the consent's row must still hash to its link in the chain and its
 *      PDF to the recorded SHA-256 (ck_store_lookup_intact ()); else it is
 *      refused and nothing is sent;
 *   2. the attempt is claimed in the store (durable, "in-progress"), so a
 *      second process cannot send a second paid request meanwhile and a
 *      crash leaves a trace that a call may have been made;
 *   3. the verifier sends the request with the row's name and number;
 *   4. the answer is recorded, sealed in the chain, and the consent is
 *      rescheduled or taken out of the queue, in one transaction.
 *
 * Retryable outcomes (provider and network faults, interrupted attempts)
 * come back after 30 s, 2 min, 10 min, then every hour, until
 * [verification] max_attempts attempts were made. Everything else needs
 * a person and is never retried automatically. A consent's state is
 * derived from its attempts alone. */

#define G_LOG_DOMAIN "ck-verify-queue"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-idcard.h"
#include "ck-store-private.h"
#include "ck-verifier-private.h"
#include "ck-verify-queue-private.h"

struct _CkVerifyQueue
{
  GObject parent_instance;

  CkConfig *config;
  CkStore *store;
  CkVerifier *verifier;        /* NULL when disabled or not set up */
  GError *setup_error;

  CkVerifyClockFunc clock;
  gpointer clock_data;

  GHashTable *running;         /* consent uuids with an attempt in flight */

  /* The background runner (ck_verify_queue_start ()). */
  guint timeout_id;
  GCancellable *runner_cancellable;
};

G_DEFINE_QUARK (ck-verify-queue-error-quark, ck_verify_queue_error)
G_DEFINE_FINAL_TYPE (CkVerifyQueue, ck_verify_queue, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CkVerification, ck_verification, ck_verification_copy, ck_verification_free)
/* How often the background runner looks for new work at most. */
#define RUNNER_IDLE_S 60

/* --- verifications ------------------------------------------------------- */

CkVerification *
ck_verification_copy (const CkVerification *verification)
{
  CkVerification *copy = g_new0 (CkVerification, 1);

  *copy = *verification;
  copy->consent_uuid = g_strdup (verification->consent_uuid);
  copy->outcome = g_strdup (verification->outcome);
  copy->attempts = verification->attempts ? g_ptr_array_ref (verification->attempts) : NULL;
  copy->customer_message = g_strdup (verification->customer_message);
  copy->staff_message = g_strdup (verification->staff_message);
  copy->refusal = g_strdup (verification->refusal);

  return copy;
}

void
ck_verification_free (CkVerification *verification)
{
  if (verification == NULL)
    return;

  g_free (verification->consent_uuid);
  g_free (verification->outcome);
  g_clear_pointer (&verification->attempts, g_ptr_array_unref);
  g_free (verification->customer_message);
  g_free (verification->staff_message);
  g_free (verification->refusal);
  g_free (verification);
}

/**
 * ck_verification_new_for_status:
 * @consent_uuid: the consent
 * @status: its status, as ck_store_foreach() gives it
 * @max_attempts: [verification] max_attempts
 *
 * Where a consent's verification stands, as far as a list shows it: the
 * state, the last outcome, demo and when the next attempt is due — what
 * ck_verify_queue_lookup() says of them, without reading the attempts.
 * No messages, no attempts.
 *
 * Returns: (transfer full): the verification
 */
CkVerification *
ck_verification_new_for_status (const char            *consent_uuid,
                                const CkConsentStatus *status,
                                guint                  max_attempts)
{
  CkVerification *v = g_new0 (CkVerification, 1);

  v->consent_uuid = g_strdup (consent_uuid);
  v->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  v->state = ck_verify_state_from_status (status->last_outcome, status->last_number,
                                          status->withdrawn, max_attempts);
  v->demo = status->last_demo;
  if (status->last_outcome && !g_str_equal (status->last_outcome, "in-progress"))
    v->outcome = g_strdup (status->last_outcome);
  if (v->state == CK_VERIFY_STATE_RETRYING)
    v->next_attempt_ms = status->last_started_ms + ck_verify_backoff_ms (status->last_number);

  return v;
}

/**
 * ck_verify_backoff_ms:
 * @n_attempts: how many attempts failed so far (1 or more)
 *
 * Returns: how long after the last failed attempt the next one is due:
 *   30 s, 2 min, 10 min, then 1 h
 */
gint64
ck_verify_backoff_ms (guint n_attempts)
{
  static const gint64 backoff_s[] = { 30, 2 * 60, 10 * 60, 60 * 60 };

  return backoff_s[CLAMP (n_attempts, 1, G_N_ELEMENTS (backoff_s)) - 1] * 1000;
}

/* The outcome class a stored outcome name stands for, for its messages;
 * an interrupted attempt reads as a network fault. */
static CkVerifyOutcome
outcome_from_string (const char *name)
{
  for (CkVerifyOutcome o = CK_VERIFY_OUTCOME_VERIFIED; o <= CK_VERIFY_OUTCOME_TLS_FAULT; o++)
    if (g_strcmp0 (ck_verify_outcome_to_string (o), name) == 0)
      return o;

  return g_strcmp0 (name, "interrupted") == 0 ? CK_VERIFY_OUTCOME_NETWORK_FAULT
                                              : CK_VERIFY_OUTCOME_PROVIDER_FAULT;
}

/* The stored attempt as the verifier reported it, for its messages. */
static CkVerifyResult *
result_from_attempt (const CkVerifyAttempt *attempt,
                     CkVerifyOutcome        outcome,
                     const char            *masked_id)
{
  CkVerifyResult *result = ck_verify_result_new ();

  result->outcome = outcome;
  result->http_status = attempt->http_status;
  result->provider_status = g_strdup (attempt->provider_status);
  result->provider_message = g_strdup (attempt->provider_message);
  result->request_id = g_strdup (attempt->request_id);
  result->error_code = g_strdup (attempt->error_code);
  result->error_message = g_strdup (attempt->error_message);
  result->duration_ms = MAX (attempt->duration_ms, 0);
  result->detail = g_strdup (attempt->detail);
  result->masked_id = g_strdup (masked_id);
  result->demo = attempt->demo;

  return result;
}

/* The state and messages a consent's attempts add up to. */
static CkVerification *
derive (const char         *consent_uuid,
        const char         *masked_id,
        GPtrArray          *attempts,
        const CkStoreEvent *withdrawal,
        guint               max_attempts)
{
  g_autoptr(CkVerification) v = g_new0 (CkVerification, 1);
  const CkVerifyAttempt *last = attempts->len ? attempts->pdata[attempts->len - 1] : NULL;
  CkVerifyOutcome outcome;
  CkVerifyState state;

  v->consent_uuid = g_strdup (consent_uuid);
  v->attempts = g_ptr_array_ref (attempts);

  if (withdrawal)
    {
      v->state = CK_VERIFY_STATE_WITHDRAWN;
      v->demo = last && last->demo;
      if (last && !g_str_equal (last->outcome, "in-progress"))
        v->outcome = g_strdup (last->outcome);
      v->customer_message = g_strdup (_("This consent was withdrawn; it is not verified any more."));
      v->staff_message = g_strdup_printf (_("Consent withdrawn at %s (recorded by %s); no verification "
                                            "runs for ID number %s any more."),
                                          withdrawal->at,
                                          withdrawal->operator_name ? withdrawal->operator_name : "-",
                                          masked_id);
      return g_steal_pointer (&v);
    }

  if (last == NULL)
    {
      v->state = CK_VERIFY_STATE_UNVERIFIED;
      v->customer_message = g_strdup (_("Your signed consent is saved; your identity has not been verified yet."));
      v->staff_message = g_strdup_printf (_("Not verified yet: no verification attempt was made for ID number %s."),
                                          masked_id);
      return g_steal_pointer (&v);
    }

  v->demo = last->demo;
  if (g_str_equal (last->outcome, "in-progress"))
    {
      v->state = CK_VERIFY_STATE_IN_PROGRESS;
      v->customer_message = g_strdup (_("Your identity is being verified…"));
      v->staff_message = g_strdup_printf (_("Attempt %u for ID number %s is running (started %s)."),
                                          last->number, masked_id, last->started_at);
      return g_steal_pointer (&v);
    }

  v->outcome = g_strdup (last->outcome);
  outcome = outcome_from_string (last->outcome);
  state = ck_verify_state_from_status (last->outcome, last->number, FALSE, max_attempts);

  {
    g_autoptr(CkVerifyResult) result = result_from_attempt (last, outcome, masked_id);
    g_autofree char *staff = ck_verify_result_dup_staff_message (result);

    v->customer_message = ck_verify_result_dup_customer_message (result);

    if (g_str_equal (last->outcome, "interrupted"))
      {
        g_clear_pointer (&staff, g_free);
        staff = g_strdup_printf (_("Attempt %u for ID number %s was interrupted: the process "
                                   "making the call stopped before the answer was recorded. "
                                   "The service may have counted the call."),
                                 last->number, masked_id);
      }

    if (state == CK_VERIFY_STATE_FAILED && ck_verify_outcome_is_retryable (last->outcome))
      {
        v->staff_message = g_strdup_printf (_("%s All %u automatic attempts failed; retry by hand "
                                              "(consentctl verify) once the service is reachable."),
                                            staff, last->number);
      }
    else if (state == CK_VERIFY_STATE_RETRYING)
      {
        g_autoptr(GDateTime) next = NULL;
        g_autoptr(GDateTime) local = NULL;
        g_autofree char *when = NULL;

        v->next_attempt_ms = last->started_ms + ck_verify_backoff_ms (last->number);
        next = g_date_time_new_from_unix_utc (v->next_attempt_ms / 1000);
        local = g_date_time_to_local (next);
        when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
        v->staff_message = g_strdup_printf (_("%s Attempt %u of %u; the next is due at %s."),
                                            staff, last->number, max_attempts, when);
      }
    else
      v->staff_message = g_steal_pointer (&staff);
  }

  v->state = state;
  return g_steal_pointer (&v);
}

/* --- the queue ------------------------------------------------------------- */

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

static void
ck_verify_queue_dispose (GObject *object)
{
  CkVerifyQueue *self = (CkVerifyQueue *)object;

  ck_verify_queue_stop (self);

  G_OBJECT_CLASS (ck_verify_queue_parent_class)->dispose (object);
}

static void
ck_verify_queue_finalize (GObject *object)
{
  CkVerifyQueue *self = (CkVerifyQueue *)object;

  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->verifier);
  g_clear_error (&self->setup_error);
  g_clear_pointer (&self->running, g_hash_table_unref);

  G_OBJECT_CLASS (ck_verify_queue_parent_class)->finalize (object);
}

static void
ck_verify_queue_class_init (CkVerifyQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ck_verify_queue_dispose;
  object_class->finalize = ck_verify_queue_finalize;
}

static void
ck_verify_queue_init (CkVerifyQueue *self)
{
  self->clock = real_clock;
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * ck_verify_queue_new:
 * @config: the configuration: provider, endpoint, AppCode, timeouts and
 *   max_attempts
 * @store: the store holding the consents
 *
 * A verifier that cannot be set up (provider `none`, no AppCode, a bad
 * endpoint) does not fail here: every verification then fails with the
 * reason, so a kiosk still saves consents.
 *
 * Returns: (transfer full): the queue
 */
CkVerifyQueue *
ck_verify_queue_new (CkConfig *config,
                     CkStore  *store)
{
  CkVerifyQueue *self;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  self = g_object_new (CK_TYPE_VERIFY_QUEUE, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  self->verifier = ck_verifier_new (config, &self->setup_error);

  return self;
}

/**
 * ck_verify_queue_set_clock:
 * @clock: (nullable): returns the time in Unix ms; %NULL for the real clock
 *
 * For tests: the time attempts are stamped with and the queue runs by.
 */
void
ck_verify_queue_set_clock (CkVerifyQueue     *self,
                           CkVerifyClockFunc  clock,
                           gpointer           user_data)
{
  g_return_if_fail (CK_IS_VERIFY_QUEUE (self));

  self->clock = clock ? clock : real_clock;
  self->clock_data = user_data;
}

gint64
ck_verify_queue_now_ms (CkVerifyQueue *self)
{
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), 0);

  return self->clock (self->clock_data);
}

/**
 * ck_verify_queue_is_enabled:
 *
 * Returns: whether verification requests can be made: the provider is not
 *   `none` and its settings work
 */
gboolean
ck_verify_queue_is_enabled (CkVerifyQueue *self)
{
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), FALSE);

  return self->verifier != NULL;
}

static CkVerification *
lookup_with (CkVerifyQueue          *self,
             const CkConsentRecord  *record,
             GError                **error)
{
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *masked = NULL;

  if (!(attempts = ck_store_list_attempts (self->store, record->uuid, error)))
    return NULL;
  withdrawal = ck_store_lookup_withdrawal (self->store, record->uuid, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  masked = ck_idcard_mask_number (record->id_number);

  return derive (record->uuid, masked, attempts, withdrawal, ck_config_get_max_attempts (self->config));
}

/**
 * ck_verification_new_for_attempts:
 * @record: the consent
 * @attempts: (element-type CkVerifyAttempt): its attempts, oldest first
 * @withdrawal: (nullable): its withdrawal event
 * @max_attempts: [verification] max_attempts
 *
 * Where a consent's verification stands, with its messages and attempts,
 * as ck_verify_queue_lookup() says it, from attempts read elsewhere: the
 * central archive's copy of a kiosk's (`consentctl --central URL show`).
 *
 * Returns: (transfer full): the verification
 */
CkVerification *
ck_verification_new_for_attempts (const CkConsentRecord *record,
                                  GPtrArray             *attempts,
                                  const CkStoreEvent    *withdrawal,
                                  guint                  max_attempts)
{
  g_autofree char *masked = NULL;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (attempts != NULL, NULL);

  masked = ck_idcard_mask_number (record->id_number);

  return derive (record->uuid, masked, attempts, withdrawal, max_attempts);
}

/**
 * ck_verify_queue_lookup:
 *
 * Returns: (transfer full) (nullable): where the consent's verification
 *   stands, from its stored attempts
 */
CkVerification *
ck_verify_queue_lookup (CkVerifyQueue  *self,
                        const char     *consent_uuid,
                        GError        **error)
{
  g_autoptr(CkConsentRecord) record = NULL;

  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), NULL);

  if (!(record = ck_store_lookup (self->store, consent_uuid, error)))
    return NULL;

  return lookup_with (self, record, error);
}

/* --- one attempt ------------------------------------------------------------ */

typedef struct
{
  CkConsentRecord *record;
  CkVerifyAttempt *attempt;
} Attempt;

static void
attempt_free (Attempt *job)
{
  ck_consent_record_free (job->record);
  ck_verify_attempt_free (job->attempt);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

/* A hung process's attempt is taken over after this long. */
static gint64
stale_after_ms (CkVerifyQueue *self)
{
  return 2 * (gint64)(ck_config_get_connect_timeout_s (self->config) +
                      ck_config_get_timeout_s (self->config)) * 1000 + 60 * 1000;
}

static void
record_answer (CkVerifyQueue   *self,
               GTask           *task,
               Attempt         *job,
               CkVerifyResult  *result,
               const GError    *failure)
{
  CkVerifyAttempt *attempt = job->attempt;
  g_autoptr(GError) error = NULL;
  CkVerification *verification;
  gint64 next_due = 0;

  g_free (attempt->outcome);
  if (result)
    {
      attempt->outcome = g_strdup (ck_verify_outcome_to_string (result->outcome));
      attempt->duration_ms = result->duration_ms;
      attempt->http_status = result->http_status;
      attempt->provider_status = g_strdup (result->provider_status);
      attempt->provider_message = g_strdup (result->provider_message);
      attempt->request_id = g_strdup (result->request_id);
      attempt->error_code = g_strdup (result->error_code);
      attempt->error_message = g_strdup (result->error_message);
      attempt->detail = g_strdup (result->detail);
      attempt->body = result->body ? g_bytes_ref (result->body) : NULL;
      attempt->body_truncated = result->body_truncated;
      attempt->demo = result->demo;
    }
  else
    {
      /* Cancelled (the kiosk is closing) or the HTTP library failed: the
       * request may have gone out. */
      attempt->outcome = g_strdup ("interrupted");
      attempt->detail = g_strdup (failure ? failure->message : "no answer");
    }

  if (ck_verify_outcome_is_retryable (attempt->outcome) &&
      attempt->number < ck_config_get_max_attempts (self->config))
    next_due = attempt->started_ms + ck_verify_backoff_ms (attempt->number);

  if (!ck_store_finish_attempt (self->store, attempt, next_due, &error))
    {
      g_warning ("The answer to attempt %u of consent %s could not be recorded: %s",
                 attempt->number, attempt->consent_uuid, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Consent %s, attempt %u: %s", attempt->consent_uuid, attempt->number, attempt->outcome);

  if (!(verification = lookup_with (self, job->record, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, verification, (GDestroyNotify)ck_verification_free);
}

static void
verify_done (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CkVerifyQueue *self = g_task_get_source_object (task);
  Attempt *job = g_task_get_task_data (task);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->running, job->record->uuid);
  result = ck_verifier_verify_finish (CK_VERIFIER (object), res, &error);
  record_answer (self, task, job, result, error);
}

/* Fails @task when no verifier could be made: provider `none`, or
 * settings that cannot work. */
static gboolean
return_if_disabled (CkVerifyQueue *self,
                    GTask         *task)
{
  if (self->verifier != NULL)
    return FALSE;

  if (g_error_matches (self->setup_error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_DISABLED))
    g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_DISABLED,
                             "%s", self->setup_error->message);
  else
    g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_SETUP,
                             _("Verification cannot run: %s"), self->setup_error->message);
  return TRUE;
}

/**
 * ck_verify_queue_verify_async:
 * @self: a #CkVerifyQueue
 * @consent_uuid: the id of a stored consent
 * @flags: %CK_VERIFY_AGAIN to ask again after the service answered
 * @cancellable: (nullable): cancels the request; the attempt is then
 *   recorded as interrupted and queued
 *
 * Verifies a stored consent: checks it is intact, claims and records the
 * attempt, reschedules or dequeues it. Refusals send nothing: provider
 * `none` (%CK_VERIFY_QUEUE_ERROR_DISABLED), an unknown or changed consent
 * (%CK_STORE_ERROR_NOT_FOUND, %CK_STORE_ERROR_TAMPERED), an attempt already
 * running (%CK_VERIFY_QUEUE_ERROR_BUSY), an answer already given
 * (%CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED).
 */
void
ck_verify_queue_verify_async (CkVerifyQueue       *self,
                              const char          *consent_uuid,
                              CkVerifyFlags        flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Attempt) job = g_new0 (Attempt, 1);
  g_autoptr(CkVerification) current = NULL;
  g_autoptr(GError) error = NULL;
  const char *provider;
  Attempt *owned;

  g_return_if_fail (CK_IS_VERIFY_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_verify_queue_verify_async);
  /* Once the request is out, its answer is recorded even if cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  if (return_if_disabled (self, task))
    return;

  if (consent_uuid && g_hash_table_contains (self->running, consent_uuid))
    {
      g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_BUSY,
                               _("Consent %s is being verified right now; wait for that attempt "
                                 "to finish."), consent_uuid);
      return;
    }

  /* Invariant 1: only a committed consent, exactly as signed. */
  if (!(job->record = ck_store_lookup_intact (self->store, consent_uuid, &error)) ||
      !(current = lookup_with (self, job->record, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (current->state == CK_VERIFY_STATE_WITHDRAWN)
    {
      g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN,
                               _("Consent %s was withdrawn by the customer: it is not verified "
                                 "any more, and no request was sent."),
                               consent_uuid);
      return;
    }

  if (ck_verify_state_is_answer (current->state) && !(flags & CK_VERIFY_AGAIN))
    {
      g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED,
                               _("The service already answered for consent %s (%s); another "
                                 "request would be another paid call."),
                               consent_uuid, current->outcome);
      return;
    }

  provider = ck_verifier_provider_to_string (ck_verifier_get_provider (self->verifier));
  job->attempt = ck_store_begin_attempt (self->store, job->record->uuid, provider,
                                         ck_verify_queue_now_ms (self), stale_after_ms (self), &error);
  if (job->attempt == NULL)
    {
      if (g_error_matches (error, CK_STORE_ERROR, CK_STORE_ERROR_BUSY))
        g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_BUSY,
                                 "%s", error->message);
      else if (g_error_matches (error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN))
        g_task_return_new_error (task, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN,
                                 "%s", error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_hash_table_add (self->running, g_strdup (job->record->uuid));
  owned = g_steal_pointer (&job);
  g_task_set_task_data (task, owned, (GDestroyNotify)attempt_free);
  ck_verifier_verify_async (self->verifier, owned->record->name, owned->record->id_number,
                            cancellable, verify_done, g_object_ref (task));
}

/**
 * ck_verify_queue_verify_finish:
 *
 * Returns: (transfer full) (nullable): where the consent's verification
 *   stands after the attempt
 */
CkVerification *
ck_verify_queue_verify_finish (CkVerifyQueue  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GAsyncResult *result;
} Sync;

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sync *sync = user_data;

  sync->result = g_object_ref (result);
}

static void
sync_wait (Sync *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
}

/**
 * ck_verify_queue_verify:
 *
 * ck_verify_queue_verify_async(), waiting for it: for consentctl.
 *
 * Returns: (transfer full) (nullable): where the verification stands
 */
CkVerification *
ck_verify_queue_verify (CkVerifyQueue  *self,
                        const char     *consent_uuid,
                        CkVerifyFlags   flags,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Sync sync = { NULL };
  CkVerification *verification;

  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), NULL);

  g_main_context_push_thread_default (context);
  ck_verify_queue_verify_async (self, consent_uuid, flags, cancellable, sync_done, &sync);
  sync_wait (&sync);
  g_main_context_pop_thread_default (context);

  verification = ck_verify_queue_verify_finish (self, sync.result, error);
  g_object_unref (sync.result);

  return verification;
}

/* --- the queue's runs --------------------------------------------------------- */

/**
 * ck_verify_queue_list_due:
 * @include_not_yet_due: also list queued consents whose time has not come
 *
 * Returns: (transfer full) (element-type CkQueueEntry) (nullable): the
 *   queued consents due now, the earliest first
 */
GPtrArray *
ck_verify_queue_list_due (CkVerifyQueue  *self,
                          gboolean        include_not_yet_due,
                          GError        **error)
{
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), NULL);

  return ck_store_list_queue (self->store,
                              include_not_yet_due ? G_MAXINT64 : ck_verify_queue_now_ms (self),
                              error);
}

/**
 * ck_verify_queue_get_next_due_ms:
 *
 * Returns: when the earliest queued consent is due (Unix ms), 0 if none
 *   is queued, -1 on error
 */
gint64
ck_verify_queue_get_next_due_ms (CkVerifyQueue  *self,
                                 GError        **error)
{
  gint64 due;

  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), -1);

  if (!ck_store_get_next_due (self->store, &due, error))
    return -1;

  return due;
}

typedef struct
{
  GPtrArray *entries;        /* CkQueueEntry, still to run */
  guint next;
  GPtrArray *verifications;  /* CkVerification, one an entry */
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->entries, g_ptr_array_unref);
  g_clear_pointer (&run->verifications, g_ptr_array_unref);
  g_free (run);
}

static void run_next (GTask *task);

static void
run_one_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CkVerifyQueue *self = CK_VERIFY_QUEUE (object);
  Run *run = g_task_get_task_data (task);
  const CkQueueEntry *entry = run->entries->pdata[run->next - 1];
  g_autoptr(GError) error = NULL;
  CkVerification *verification;

  verification = ck_verify_queue_verify_finish (self, result, &error);
  if (verification == NULL &&
      g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN))
    {
      /* Withdrawn since the run listed it: nothing to do, nothing to say. */
      g_debug ("Queued consent %s was withdrawn; skipped", entry->consent_uuid);
      run_next (g_steal_pointer (&task));
      return;
    }
  if (verification == NULL)
    {
      g_autoptr(GError) lookup_error = NULL;

      /* Refused: say why, with the state as it stands. */
      verification = ck_verify_queue_lookup (self, entry->consent_uuid, &lookup_error);
      if (verification == NULL)
        {
          verification = g_new0 (CkVerification, 1);
          verification->consent_uuid = g_strdup (entry->consent_uuid);
          verification->state = CK_VERIFY_STATE_UNVERIFIED;
          verification->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
        }
      verification->refusal = g_strdup (error->message);
      /* Not a fault of this program: staff sees it in the run's result. */
      g_message ("Queued consent %s was not verified: %s", entry->consent_uuid, error->message);
    }
  g_ptr_array_add (run->verifications, verification);

  run_next (g_steal_pointer (&task));
}

static void
run_next (GTask *task)
{
  CkVerifyQueue *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const CkQueueEntry *entry;

  if (run->next >= run->entries->len || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_pointer (task, g_ptr_array_ref (run->verifications),
                             (GDestroyNotify)g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  entry = run->entries->pdata[run->next++];
  ck_verify_queue_verify_async (self, entry->consent_uuid, CK_VERIFY_DEFAULT,
                                g_task_get_cancellable (task), run_one_done, task);
}

/**
 * ck_verify_queue_run_due_async:
 * @include_not_yet_due: also try queued consents whose time has not come
 *   (staff asking for it by hand)
 *
 * Verifies the due consents one after the other, the earliest first.
 */
void
ck_verify_queue_run_due_async (CkVerifyQueue       *self,
                               gboolean             include_not_yet_due,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  g_return_if_fail (CK_IS_VERIFY_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_verify_queue_run_due_async);
  g_task_set_check_cancellable (task, FALSE);

  if (return_if_disabled (self, task))
    return;

  run = g_new0 (Run, 1);
  run->verifications = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verification_free);
  g_task_set_task_data (task, run, (GDestroyNotify)run_free);
  if (!(run->entries = ck_verify_queue_list_due (self, include_not_yet_due, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run_next (g_steal_pointer (&task));
}

/**
 * ck_verify_queue_run_due_finish:
 *
 * Returns: (transfer full) (element-type CkVerification) (nullable): one
 *   verification each consent the run took up, in order; refused ones
 *   have @refusal set
 */
GPtrArray *
ck_verify_queue_run_due_finish (CkVerifyQueue  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ck_verify_queue_run_due:
 *
 * ck_verify_queue_run_due_async(), waiting for it: for consentctl.
 *
 * Returns: (transfer full) (element-type CkVerification) (nullable): as
 *   ck_verify_queue_run_due_finish()
 */
GPtrArray *
ck_verify_queue_run_due (CkVerifyQueue  *self,
                         gboolean        include_not_yet_due,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Sync sync = { NULL };
  GPtrArray *verifications;

  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (self), NULL);

  g_main_context_push_thread_default (context);
  ck_verify_queue_run_due_async (self, include_not_yet_due, cancellable, sync_done, &sync);
  sync_wait (&sync);
  g_main_context_pop_thread_default (context);

  verifications = ck_verify_queue_run_due_finish (self, sync.result, error);
  g_object_unref (sync.result);

  return verifications;
}

/* --- the background runner ------------------------------------------------------ */

static void schedule (CkVerifyQueue *self);

static void
runner_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CkVerifyQueue *self = CK_VERIFY_QUEUE (object);
  g_autoptr(GPtrArray) verifications = NULL;
  g_autoptr(GError) error = NULL;

  verifications = ck_verify_queue_run_due_finish (self, result, &error);
  if (verifications == NULL)
    g_warning ("The verification queue could not run: %s", error->message);

  if (self->runner_cancellable && !g_cancellable_is_cancelled (self->runner_cancellable))
    schedule (self);
  g_object_unref (self);
}

static gboolean
runner_tick (gpointer user_data)
{
  CkVerifyQueue *self = user_data;

  self->timeout_id = 0;
  ck_verify_queue_run_due_async (self, FALSE, self->runner_cancellable, runner_done,
                                 g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* Wakes up when the earliest entry is due, or within a minute to pick up
 * consents other processes queued. */
static void
schedule (CkVerifyQueue *self)
{
  g_autoptr(GError) error = NULL;
  gint64 due = ck_verify_queue_get_next_due_ms (self, &error);
  gint64 wait_s = RUNNER_IDLE_S;

  if (due < 0)
    g_warning ("The verification queue cannot be read: %s", error->message);
  else if (due > 0)
    wait_s = CLAMP ((due - ck_verify_queue_now_ms (self) + 999) / 1000, 0, RUNNER_IDLE_S);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add_seconds ((guint)wait_s, runner_tick, self);
}

/**
 * ck_verify_queue_start:
 *
 * Runs the queue in the background on the thread-default main context
 * while the kiosk runs. Does nothing when verification is disabled.
 */
void
ck_verify_queue_start (CkVerifyQueue *self)
{
  g_return_if_fail (CK_IS_VERIFY_QUEUE (self));

  if (self->verifier == NULL || self->runner_cancellable != NULL)
    return;

  self->runner_cancellable = g_cancellable_new ();
  schedule (self);
}

/**
 * ck_verify_queue_stop:
 *
 * Stops the background runner; an attempt in flight is recorded as
 * interrupted and stays queued.
 */
void
ck_verify_queue_stop (CkVerifyQueue *self)
{
  g_return_if_fail (CK_IS_VERIFY_QUEUE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->runner_cancellable)
    {
      g_cancellable_cancel (self->runner_cancellable);
      g_clear_object (&self->runner_cancellable);
    }
}
