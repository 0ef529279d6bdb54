/* ck-sync-queue.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk's background sync to the central archive: right after each
 * save (ck_sync_queue_kick ()) and every [central] sync_interval_s, in a
 * worker thread with its own store connection and its own connection to
 * the archive, so that a slow, down or refusing server never holds up the
 * customer. Failures back off on the verification queue's table (30 s,
 * 2 min, 10 min, then hourly), never longer than the interval. Each run
 * ends by reading the organisation's package usage, which the store keeps
 * for the staff window. "finished" is emitted on the main context after
 * each background run. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-central.h"
#include "ck-sync-queue.h"
#include "ck-verify-queue.h"

struct _CkSyncQueue
{
  GObject parent_instance;

  CkConfig *config;
  CkStore *store;

  GCancellable *runner_cancellable;
  guint timeout_id;
  gboolean running;
  gboolean kicked;       /* a save came while a run was in flight */
  guint failures;        /* runs failed in a row */
};

G_DEFINE_FINAL_TYPE (CkSyncQueue, ck_sync_queue, G_TYPE_OBJECT)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  CkSyncRunFlags flags;
  char *data_dir;
  char *kiosk_id;
  char *url;
  char *password_file;
  char *client_certificate;
  char *client_key;
  char *ca_file;
  char *since;
  guint batch_size;
} RunData;

void
ck_sync_run_free (CkSyncRun *run)
{
  if (run == NULL)
    return;
  g_free (run->usage_error);
  g_free (run);
}

static void
run_data_free (RunData *data)
{
  g_free (data->data_dir);
  g_free (data->kiosk_id);
  g_free (data->url);
  g_free (data->password_file);
  g_free (data->client_certificate);
  g_free (data->client_key);
  g_free (data->ca_file);
  g_free (data->since);
  g_free (data);
}

static void
ck_sync_queue_finalize (GObject *object)
{
  CkSyncQueue *self = (CkSyncQueue *)object;

  ck_sync_queue_stop (self);
  g_clear_object (&self->config);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ck_sync_queue_parent_class)->finalize (object);
}

static void
ck_sync_queue_class_init (CkSyncQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ck_sync_queue_finalize;

  /**
   * CkSyncQueue::finished:
   * @self: the queue
   * @ok: whether the run worked
   *
   * A background run ended; the store's sync status says where it stands.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
ck_sync_queue_init (CkSyncQueue *self)
{
}

/**
 * ck_sync_queue_new:
 * @config: the configuration ([central], [kiosk] id, the package's start)
 * @store: the kiosk's store (its data directory; runs open their own)
 *
 * Returns: (transfer full): a queue, idle until started
 */
CkSyncQueue *
ck_sync_queue_new (CkConfig *config,
                   CkStore  *store)
{
  CkSyncQueue *self;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  self = g_object_new (CK_TYPE_SYNC_QUEUE, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);

  return self;
}

/**
 * ck_sync_queue_is_enabled:
 *
 * Returns: whether [central] url is set
 */
gboolean
ck_sync_queue_is_enabled (CkSyncQueue *self)
{
  g_return_val_if_fail (CK_IS_SYNC_QUEUE (self), FALSE);

  return ck_config_get_central_configured (self->config);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  CkCentralParams params = {
    .url = data->url,
    .password_file = data->password_file,
    .client_certificate = data->client_certificate,
    .client_key = data->client_key,
    .ca_file = data->ca_file,
  };
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(CkSyncRun) run = g_new0 (CkSyncRun, 1);
  g_autoptr(GError) usage_error = NULL;
  GError *error = NULL;
  guint64 billed = 0, maybe_billed = 0;
  guint kiosks = 0;

  if (!(store = ck_store_open (data->data_dir, 0, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!(central = ck_central_connect (&params, &error)))
    {
      g_autoptr(GError) note_error = NULL;

      if (!ck_store_note_sync_failure (store, error->message, -1, &note_error))
        g_warning ("The sync's failure could not be noted: %s", note_error->message);
      g_task_return_error (task, error);
      return;
    }

  do
    {
      CkSyncResult result = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          !ck_central_sync_batch (central, store, data->kiosk_id, data->batch_size, &result, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      run->batches += result.sent > 0;
      run->sent += result.sent;
      run->pdf_bytes += result.pdf_bytes;
      run->receipt_seq = result.receipt_seq;
      run->pending = result.pending;
    }
  while (run->pending > 0 && !(data->flags & CK_SYNC_RUN_ONCE));

  if (!ck_central_fetch_org_usage (central, data->since, &billed, &maybe_billed, &kiosks, &usage_error) ||
      !ck_store_note_org_usage (store, billed, maybe_billed, kiosks, &usage_error))
    run->usage_error = g_strdup (usage_error->message);

  g_task_return_pointer (task, g_steal_pointer (&run), (GDestroyNotify)ck_sync_run_free);
}

/**
 * ck_sync_queue_run_async:
 * @flags: one batch, or until nothing is pending
 *
 * Syncs in a worker thread. Fails at once when [central] is not set.
 */
void
ck_sync_queue_run_async (CkSyncQueue         *self,
                         CkSyncRunFlags       flags,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CK_IS_SYNC_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_sync_queue_run_async);

  if (!ck_sync_queue_is_enabled (self))
    {
      g_task_return_new_error (task, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                               _("No central archive is configured: set url in [central]."));
      return;
    }

  data = g_new0 (RunData, 1);
  data->flags = flags;
  data->data_dir = g_strdup (ck_store_get_data_dir (self->store));
  data->kiosk_id = g_strdup (ck_config_get_kiosk_id (self->config));
  data->url = g_strdup (ck_config_get_central_url (self->config));
  data->password_file = g_strdup (ck_config_get_central_password_file (self->config));
  data->client_certificate = g_strdup (ck_config_get_central_client_certificate (self->config));
  data->client_key = g_strdup (ck_config_get_central_client_key (self->config));
  data->ca_file = g_strdup (ck_config_get_central_ca_file (self->config));
  data->since = g_strdup (ck_config_get_package_start (self->config));
  data->batch_size = ck_config_get_central_batch_size (self->config);
  g_task_set_task_data (task, data, (GDestroyNotify)run_data_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * ck_sync_queue_run_finish:
 *
 * Returns: (transfer full) (nullable): what the run did
 */
CkSyncRun *
ck_sync_queue_run_finish (CkSyncQueue   *self,
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
 * ck_sync_queue_run:
 *
 * ck_sync_queue_run_async(), waiting for it: for consentctl.
 *
 * Returns: (transfer full) (nullable): what the run did
 */
CkSyncRun *
ck_sync_queue_run (CkSyncQueue     *self,
                   CkSyncRunFlags   flags,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CK_IS_SYNC_QUEUE (self), NULL);

  g_main_context_push_thread_default (context);
  ck_sync_queue_run_async (self, flags, cancellable, sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return ck_sync_queue_run_finish (self, result, error);
}

/* --- the background runner ------------------------------------------------------ */

static void schedule (CkSyncQueue *self,
                      guint        wait_s);

static void
runner_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CkSyncQueue *self = CK_SYNC_QUEUE (object);
  g_autoptr(CkSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  guint interval_s = ck_config_get_central_sync_interval_s (self->config);
  guint wait_s = interval_s;

  if (!(run = ck_sync_queue_run_finish (self, result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Sync with the central archive failed: %s", error->message);
      self->failures++;
      wait_s = (guint)MIN ((gint64)interval_s, ck_verify_backoff_ms (self->failures) / 1000);
    }
  else
    self->failures = 0;

  self->running = FALSE;
  if (self->runner_cancellable && !g_cancellable_is_cancelled (self->runner_cancellable))
    {
      schedule (self, self->kicked ? 0 : wait_s);
      self->kicked = FALSE;
      g_signal_emit (self, signals[FINISHED], 0, run != NULL);
    }
  g_object_unref (self);
}

static gboolean
runner_tick (gpointer user_data)
{
  CkSyncQueue *self = user_data;

  self->timeout_id = 0;
  self->running = TRUE;
  ck_sync_queue_run_async (self, CK_SYNC_RUN_ALL, self->runner_cancellable, runner_done,
                           g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule (CkSyncQueue *self,
          guint        wait_s)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add_seconds (wait_s, runner_tick, self);
}

/**
 * ck_sync_queue_start:
 *
 * Syncs in the background on the thread-default main context while the
 * kiosk runs: now, then every [central] sync_interval_s. Does nothing
 * when [central] is not set.
 */
void
ck_sync_queue_start (CkSyncQueue *self)
{
  g_return_if_fail (CK_IS_SYNC_QUEUE (self));

  if (!ck_sync_queue_is_enabled (self) || self->runner_cancellable != NULL)
    return;

  self->runner_cancellable = g_cancellable_new ();
  schedule (self, 0);
}

/**
 * ck_sync_queue_kick:
 *
 * A consent (or an event) was saved: sync now, or right after the run in
 * flight, even while backing off (the network may be back).
 */
void
ck_sync_queue_kick (CkSyncQueue *self)
{
  g_return_if_fail (CK_IS_SYNC_QUEUE (self));

  if (self->runner_cancellable == NULL)
    return;
  if (self->running)
    self->kicked = TRUE;
  else
    schedule (self, 0);
}

/**
 * ck_sync_queue_stop:
 *
 * Stops the background runner; a batch in flight finishes or rolls back.
 */
void
ck_sync_queue_stop (CkSyncQueue *self)
{
  g_return_if_fail (CK_IS_SYNC_QUEUE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->runner_cancellable)
    g_cancellable_cancel (self->runner_cancellable);
  g_clear_object (&self->runner_cancellable);
}
