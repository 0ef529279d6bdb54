/* ck-seal-queue.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What sealing leaves for later (docs/SEALING.md), done in the background
 * so that a customer never waits for a token or a time-stamping authority:
 *
 *   - 'seal' jobs: consents stored unsealed because the key could not be
 *     used at save (a token unplugged); sealed now, as an incremental
 *     revision of the stored PDF, timestamped when the TSA answers;
 *   - 'timestamp' jobs: consents stored sealed (PAdES-B-B) because the TSA
 *     was slow, down or wrong; a document timestamp is appended now;
 *   - chain anchors: at most every [signing] anchor_interval_s while
 *     consents were added, and when staff asks, the chain's head is sealed
 *     and timestamped and appended to the chain as an 'anchor' event.
 *
 * A job that fails stays queued in the store and comes back on the
 * verification queue's schedule (ck_verify_backoff_ms ()): after 30 s,
 * 2 min, 10 min, then every hour; an anchor that could not be made is
 * tried again on the same schedule. Each run works on its own connection
 * to the store, in a worker thread: the kiosk's own connection, which the
 * save uses, is never shared with it. */

#define G_LOG_DOMAIN "ck-seal-queue"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-seal-queue.h"
#include "ck-verify-queue.h"

#define RUNNER_IDLE_S 60
#define JOBS_PER_RUN 64

struct _CkSealQueue
{
  GObject parent_instance;

  CkConfig *config;
  CkStore *store;
  GMutex lock;                  /* guards what follows */
  CkSeal *seal;                 /* NULL when not configured or not set up */
  GError *setup_error;          /* why it could not be set up, last time */
  gboolean running;
  guint anchor_failures;        /* in a row, for the backoff */
  gint64 anchor_retry_ms;       /* no due anchor before this */

  guint timeout_id;
  GCancellable *runner_cancellable;
};

G_DEFINE_FINAL_TYPE (CkSealQueue, ck_seal_queue, G_TYPE_OBJECT)

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

void
ck_seal_run_free (CkSealRun *run)
{
  if (run == NULL)
    return;

  g_free (run->anchor_error);
  g_free (run->first_error);
  g_free (run);
}

static void
ck_seal_queue_finalize (GObject *object)
{
  CkSealQueue *self = CK_SEAL_QUEUE (object);

  ck_seal_queue_stop (self);
  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->seal);
  g_clear_error (&self->setup_error);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ck_seal_queue_parent_class)->finalize (object);
}

static void
ck_seal_queue_class_init (CkSealQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ck_seal_queue_finalize;
}

static void
ck_seal_queue_init (CkSealQueue *self)
{
  g_mutex_init (&self->lock);
}

/**
 * ck_seal_queue_new:
 * @config: [signing]
 * @store: the kiosk's store; runs open their own connection to its folder
 *
 * Loads the seal once, when [signing] is configured. When it cannot be
 * loaded, ck_seal_queue_dup_setup_error() says why, and each run tries
 * again.
 *
 * Returns: (transfer full): the queue
 */
CkSealQueue *
ck_seal_queue_new (CkConfig *config,
                   CkStore  *store)
{
  CkSealQueue *self;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  self = g_object_new (CK_TYPE_SEAL_QUEUE, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  if (ck_config_get_signing_configured (config))
    self->seal = ck_seal_new (config, &self->setup_error);

  return self;
}

/* Returns: whether [signing] is configured: the queue then runs, and
 * loads the seal again at each run until it can (a token plugged in
 * late). */
gboolean
ck_seal_queue_is_enabled (CkSealQueue *self)
{
  g_return_val_if_fail (CK_IS_SEAL_QUEUE (self), FALSE);

  return ck_config_get_signing_configured (self->config);
}

/* The seal, loaded now if it could not be before. */
static CkSeal *
dup_seal (CkSealQueue  *self,
          GError      **error)
{
  g_autoptr(CkSeal) seal = NULL;
  GError *local_error = NULL;

  g_mutex_lock (&self->lock);
  seal = self->seal ? g_object_ref (self->seal) : NULL;
  g_mutex_unlock (&self->lock);
  if (seal)
    return g_steal_pointer (&seal);

  seal = ck_seal_new (self->config, &local_error);
  g_mutex_lock (&self->lock);
  g_clear_error (&self->setup_error);
  if (seal && self->seal == NULL)
    self->seal = g_object_ref (seal);
  else if (seal == NULL)
    self->setup_error = g_error_copy (local_error);
  g_mutex_unlock (&self->lock);

  if (local_error)
    g_propagate_error (error, local_error);
  return g_steal_pointer (&seal);
}

/**
 * ck_seal_queue_dup_setup_error:
 *
 * Returns: (nullable) (transfer full): why the seal could not be loaded
 *   the last time it was tried
 */
GError *
ck_seal_queue_dup_setup_error (CkSealQueue *self)
{
  GError *error;

  g_return_val_if_fail (CK_IS_SEAL_QUEUE (self), NULL);

  g_mutex_lock (&self->lock);
  error = self->setup_error ? g_error_copy (self->setup_error) : NULL;
  g_mutex_unlock (&self->lock);

  return error;
}

/**
 * ck_seal_queue_dup_seal:
 *
 * Returns: (nullable) (transfer full): the seal, for signing at save;
 *   %NULL while it cannot be loaded
 */
CkSeal *
ck_seal_queue_dup_seal (CkSealQueue *self)
{
  CkSeal *seal;

  g_return_val_if_fail (CK_IS_SEAL_QUEUE (self), NULL);

  g_mutex_lock (&self->lock);
  seal = self->seal ? g_object_ref (self->seal) : NULL;
  g_mutex_unlock (&self->lock);

  return seal;
}

/* --- one run ------------------------------------------------------------------ */

typedef struct
{
  CkSealRunFlags flags;
  char *data_dir;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->data_dir);
  g_free (data);
}

static void
note_error (char       **slot,
            const char  *message)
{
  if (*slot == NULL)
    *slot = g_strdup (message);
}

/* One job: the stored PDF's current revision, sealed or timestamped, and
 * appended to it. A 'seal' job whose TSA fails still seals, and leaves a
 * 'timestamp' job behind. */
static gboolean
run_job (CkSeal       *seal,
         CkStore      *store,
         const CkSealJob *job,
         CkSealRun    *run,
         GError      **error)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) revised = NULL;
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *summary = NULL;

  if (!(record = ck_store_lookup (store, job->uuid, error)) ||
      !(pdf = ck_store_read_pdf (store, record, error)))
    return FALSE;

  if (job->kind == CK_SEAL_JOB_SEAL)
    {
      CkSealPdfInfo info = { record->org_name, "个人信息授权", record->kiosk_id, now };

      if (!(revised = ck_seal_sign_pdf (seal, pdf, &info, ck_seal_get_has_tsa (seal),
                                        &tsa_error, error)))
        return FALSE;
      summary = g_strdup (tsa_error ? "sealed, not timestamped" : "sealed");
      if (!ck_store_append_pdf_revision (store, job->uuid, revised, "seal", summary, error))
        return FALSE;
      run->sealed++;
      /* Sealed, but the TSA was away: the time comes later. */
      if (tsa_error)
        {
          note_error (&run->first_error, tsa_error->message);
          return ck_store_queue_seal_job (store, job->uuid, CK_SEAL_JOB_TIMESTAMP, now_ms () + ck_verify_backoff_ms (1),
                                          tsa_error->message, error);
        }
      return TRUE;
    }

  if (!(revised = ck_seal_timestamp_pdf (seal, pdf, error)) ||
      !ck_store_append_pdf_revision (store, job->uuid, revised, "timestamp", "document timestamp", error))
    return FALSE;
  run->timestamped++;

  return TRUE;
}

static void
run_jobs (CkSeal      *seal,
          CkStore     *store,
          CkSealRun   *run,
          gboolean     all,
          GCancellable *cancellable)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  if (!(jobs = ck_store_list_seal_jobs (store, all ? G_MAXINT64 : now_ms (), JOBS_PER_RUN, &error)))
    {
      note_error (&run->first_error, error->message);
      return;
    }

  for (guint i = 0; i < jobs->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const CkSealJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(GError) job_error = NULL;
      g_autoptr(GError) record_error = NULL;

      if (run_job (seal, store, job, run, &job_error))
        continue;

      run->failed++;
      note_error (&run->first_error, job_error->message);
      g_message ("Sealing job for consent %s failed: %s", job->uuid, job_error->message);
      if (!ck_store_seal_job_failed (store, job->uuid, job_error->message,
                                     now_ms () + ck_verify_backoff_ms (job->attempts + 1), &record_error))
        g_warning ("Sealing job for consent %s cannot be rescheduled: %s", job->uuid, record_error->message);
    }
}

/* Whether an anchor is due: links were added since the last one, and the
 * interval has passed since it (or staff asked). */
static gboolean
anchor_due (CkSealQueue  *self,
            gboolean      now_asked,
            gint64        head_seq,
            gint64        anchor_seq,
            const char   *anchored_at)
{
  g_autoptr(GDateTime) at = anchored_at ? g_date_time_new_from_iso8601 (anchored_at, NULL) : NULL;
  gint64 interval_ms = (gint64)ck_config_get_anchor_interval_s (self->config) * 1000;
  gint64 retry_ms;

  /* Nothing since the last anchor's own event. */
  if (head_seq <= anchor_seq)
    return FALSE;
  if (now_asked)
    return TRUE;

  g_mutex_lock (&self->lock);
  retry_ms = self->anchor_retry_ms;
  g_mutex_unlock (&self->lock);
  if (now_ms () < retry_ms)
    return FALSE;

  return at == NULL || now_ms () - g_date_time_to_unix (at) * 1000 >= interval_ms;
}

static void
run_anchor (CkSealQueue *self,
            CkSeal      *seal,
            CkStore     *store,
            CkSealRun   *run,
            gboolean     now_asked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *anchored_at = NULL;
  gint64 head_seq = 0, anchored_seq = 0, anchor_seq = 0;
  gboolean has_tsa = ck_seal_get_has_tsa (seal);

  if (!ck_store_get_anchor_state (store, &head_seq, &head_hash, &anchored_seq, &anchor_seq, &anchored_at, &error))
    goto failed;
  if (!anchor_due (self, now_asked, head_seq, anchor_seq, anchored_at))
    return;

  /* An anchor without a trusted time proves less than the TSA would:
   * with a TSA configured, it waits for the TSA. */
  data = ck_store_anchor_data (head_seq, head_hash);
  if (!(cms = ck_seal_sign_data (seal, data, has_tsa, &tsa_error, &error)))
    goto failed;
  if (tsa_error)
    {
      g_propagate_error (&error, g_steal_pointer (&tsa_error));
      goto failed;
    }
  if (!ck_store_add_anchor (store, head_seq, head_hash, cms, &error))
    goto failed;

  run->anchored = TRUE;
  run->anchored_seq = head_seq;
  g_mutex_lock (&self->lock);
  self->anchor_failures = 0;
  self->anchor_retry_ms = 0;
  g_mutex_unlock (&self->lock);
  return;

failed:
  run->anchor_error = g_strdup (error->message);
  g_message ("The chain could not be anchored: %s", error->message);
  g_mutex_lock (&self->lock);
  self->anchor_failures++;
  self->anchor_retry_ms = now_ms () + ck_verify_backoff_ms (self->anchor_failures);
  g_mutex_unlock (&self->lock);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CkSealQueue *self = source_object;
  RunData *data = task_data;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(CkSealRun) run = g_new0 (CkSealRun, 1);
  GError *error = NULL;

  if (!(seal = dup_seal (self, &error)) ||
      !(store = ck_store_open (data->data_dir, 0, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  run_jobs (seal, store, run, (data->flags & CK_SEAL_RUN_ALL_JOBS) != 0, cancellable);
  if (!g_cancellable_is_cancelled (cancellable))
    run_anchor (self, seal, store, run, (data->flags & CK_SEAL_RUN_ANCHOR_NOW) != 0);

  g_task_return_pointer (task, g_steal_pointer (&run), (GDestroyNotify)ck_seal_run_free);
}

/**
 * ck_seal_queue_run_async:
 * @flags: what to do beyond the due work
 *
 * Runs the due jobs (all of them with %CK_SEAL_RUN_ALL_JOBS) and makes an
 * anchor when one is due (now, with %CK_SEAL_RUN_ANCHOR_NOW), in a worker
 * thread. Fails at once when sealing is disabled.
 */
void
ck_seal_queue_run_async (CkSealQueue         *self,
                         CkSealRunFlags       flags,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CK_IS_SEAL_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_seal_queue_run_async);

  if (!ck_seal_queue_is_enabled (self))
    {
      g_task_return_new_error (task, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED,
                               _("Consents are not sealed: [signing] key is not set."));
      return;
    }

  data = g_new0 (RunData, 1);
  data->flags = flags;
  data->data_dir = g_strdup (ck_store_get_data_dir (self->store));
  g_task_set_task_data (task, data, (GDestroyNotify)run_data_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * ck_seal_queue_run_finish:
 *
 * Returns: (transfer full) (nullable): what the run did
 */
CkSealRun *
ck_seal_queue_run_finish (CkSealQueue   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/**
 * ck_seal_queue_run:
 *
 * ck_seal_queue_run_async(), waiting for it: for consentctl.
 *
 * Returns: (transfer full) (nullable): what the run did
 */
CkSealRun *
ck_seal_queue_run (CkSealQueue     *self,
                   CkSealRunFlags   flags,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CK_IS_SEAL_QUEUE (self), NULL);

  g_main_context_push_thread_default (context);
  ck_seal_queue_run_async (self, flags, cancellable, sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return ck_seal_queue_run_finish (self, result, error);
}

/* --- the background runner ------------------------------------------------------ */

static void schedule (CkSealQueue *self,
                      guint        wait_s);

static void
runner_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CkSealQueue *self = CK_SEAL_QUEUE (object);
  g_autoptr(CkSealRun) run = NULL;
  g_autoptr(GError) error = NULL;

  if (!(run = ck_seal_queue_run_finish (self, result, &error)))
    g_warning ("The sealing queue could not run: %s", error->message);

  self->running = FALSE;
  if (self->runner_cancellable && !g_cancellable_is_cancelled (self->runner_cancellable))
    schedule (self, RUNNER_IDLE_S);
  g_object_unref (self);
}

static gboolean
runner_tick (gpointer user_data)
{
  CkSealQueue *self = user_data;

  self->timeout_id = 0;
  self->running = TRUE;
  ck_seal_queue_run_async (self, CK_SEAL_RUN_DUE, self->runner_cancellable, runner_done,
                           g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* Jobs and anchors are looked at every minute: an anchor's interval is
 * counted in minutes, and a job's first retry comes after 30 s. */
static void
schedule (CkSealQueue *self,
          guint        wait_s)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add_seconds (wait_s, runner_tick, self);
}

/**
 * ck_seal_queue_start:
 *
 * Runs the queue in the background on the thread-default main context
 * while the kiosk runs. Does nothing when sealing is disabled.
 */
void
ck_seal_queue_start (CkSealQueue *self)
{
  g_return_if_fail (CK_IS_SEAL_QUEUE (self));

  if (!ck_seal_queue_is_enabled (self) || self->runner_cancellable != NULL)
    return;

  self->runner_cancellable = g_cancellable_new ();
  schedule (self, 0);
}

/**
 * ck_seal_queue_kick:
 *
 * A consent was saved: a job it left, or an anchor it makes due, is
 * looked at now rather than at the next minute.
 */
void
ck_seal_queue_kick (CkSealQueue *self)
{
  g_return_if_fail (CK_IS_SEAL_QUEUE (self));

  if (self->runner_cancellable == NULL || self->running)
    return;

  schedule (self, 0);
}

/**
 * ck_seal_queue_stop:
 *
 * Stops the background runner; a run in flight finishes its job.
 */
void
ck_seal_queue_stop (CkSealQueue *self)
{
  g_return_if_fail (CK_IS_SEAL_QUEUE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->runner_cancellable)
    g_cancellable_cancel (self->runner_cancellable);
  g_clear_object (&self->runner_cancellable);
}
