/* ck-record-list.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The records browser's model: a GListModel of CkRecordItem over the
 * consents a query finds, newest first.
 *
 * A query runs in a worker thread on its own read-only connection to the
 * store and yields only the consents' seqs (a million of them are 8 MB),
 * so the model knows its length and every position at once. Items are
 * built when asked for, a page of CK_RECORD_LIST_PAGE_SIZE rows at a time
 * read by seq on the caller's store, and at most CK_RECORD_LIST_PAGES_KEPT
 * pages are kept: scrolling through a million consents reads and holds
 * only what is shown. Items hold the masked ID number, never the whole. */

#define G_LOG_DOMAIN "ck-record-list"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-record-list.h"
#include "ck-store-private.h"

/* --- items ------------------------------------------------------------------ */

struct _CkRecordItem
{
  GObject parent_instance;

  gint64 seq;
  char *uuid;
  char *created_at;
  char *sign_date;
  char *name;
  char *masked_id;
  CkVerifyState state;
  gboolean demo;
};

G_DEFINE_FINAL_TYPE (CkRecordItem, ck_record_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_SEQ,
  ITEM_PROP_UUID,
  ITEM_PROP_CREATED_AT,
  ITEM_PROP_SIGN_DATE,
  ITEM_PROP_NAME,
  ITEM_PROP_MASKED_ID,
  ITEM_PROP_STATE,
  ITEM_PROP_DEMO,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
ck_record_item_finalize (GObject *object)
{
  CkRecordItem *self = (CkRecordItem *)object;

  g_free (self->uuid);
  g_free (self->created_at);
  g_free (self->sign_date);
  g_free (self->name);
  g_free (self->masked_id);

  G_OBJECT_CLASS (ck_record_item_parent_class)->finalize (object);
}

static void
ck_record_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CkRecordItem *self = CK_RECORD_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_SEQ:
      g_value_set_int64 (value, self->seq);
      break;
    case ITEM_PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case ITEM_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case ITEM_PROP_SIGN_DATE:
      g_value_set_string (value, self->sign_date);
      break;
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ITEM_PROP_MASKED_ID:
      g_value_set_string (value, self->masked_id);
      break;
    case ITEM_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case ITEM_PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_record_item_class_init (CkRecordItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ck_record_item_finalize;
  object_class->get_property = ck_record_item_get_property;

  item_properties[ITEM_PROP_SEQ] =
    g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_properties[ITEM_PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_SIGN_DATE] = g_param_spec_string ("sign-date", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_MASKED_ID] = g_param_spec_string ("masked-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CK_TYPE_VERIFY_STATE, CK_VERIFY_STATE_UNVERIFIED, flags);
  item_properties[ITEM_PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
ck_record_item_init (CkRecordItem *self)
{
}

/* An item for @row; for a consent no longer stored (@row %NULL), one
 * with its seq and empty fields. */
static CkRecordItem *
item_new (gint64            seq,
          const CkStoreRow *row,
          guint             max_attempts)
{
  CkRecordItem *self = g_object_new (CK_TYPE_RECORD_ITEM, NULL);

  self->seq = seq;
  self->uuid = g_strdup (row ? row->uuid : "");
  self->created_at = g_strdup (row ? row->created_at : "");
  self->sign_date = g_strdup (row ? row->sign_date : "");
  self->name = g_strdup (row ? row->name : "");
  self->masked_id = g_strdup (row ? row->masked_id : "");
  self->demo = row && row->demo;
  self->state = row ? ck_verify_state_from_status (row->last_outcome, row->last_number,
                                                   row->withdrawn, max_attempts)
                    : CK_VERIFY_STATE_UNVERIFIED;

  return self;
}

static gboolean
item_equal (const CkRecordItem *a,
            const CkRecordItem *b)
{
  return a->seq == b->seq && a->state == b->state && a->demo == b->demo &&
         g_str_equal (a->uuid, b->uuid) && g_str_equal (a->created_at, b->created_at) &&
         g_str_equal (a->sign_date, b->sign_date) && g_str_equal (a->name, b->name) &&
         g_str_equal (a->masked_id, b->masked_id);
}

gint64
ck_record_item_get_seq (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), 0);
  return self->seq;
}

const char *
ck_record_item_get_uuid (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), NULL);
  return self->uuid;
}

/**
 * ck_record_item_get_created_at:
 *
 * Returns: when the consent was saved, ISO 8601 UTC
 */
const char *
ck_record_item_get_created_at (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), NULL);
  return self->created_at;
}

/**
 * ck_record_item_get_sign_date:
 *
 * Returns: the sign date, YYYY-MM-DD
 */
const char *
ck_record_item_get_sign_date (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), NULL);
  return self->sign_date;
}

const char *
ck_record_item_get_name (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), NULL);
  return self->name;
}

/**
 * ck_record_item_get_masked_id:
 *
 * Returns: the ID number as ck_idcard_mask_number () masks it: an item
 *   never holds the whole number
 */
const char *
ck_record_item_get_masked_id (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), NULL);
  return self->masked_id;
}

CkVerifyState
ck_record_item_get_state (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), CK_VERIFY_STATE_UNVERIFIED);
  return self->state;
}

gboolean
ck_record_item_get_demo (CkRecordItem *self)
{
  g_return_val_if_fail (CK_IS_RECORD_ITEM (self), FALSE);
  return self->demo;
}

/* --- the list ----------------------------------------------------------------- */

struct _CkRecordList
{
  GObject parent_instance;

  CkStore *store;
  guint max_attempts;

  GArray *seqs;          /* gint64, newest first: one a position */
  GHashTable *pages;     /* page number → GPtrArray of CkRecordItem */
  GQueue lru;            /* page numbers, the most recently used first */
  guint generation;      /* of the latest query asked for */
};

static void ck_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CkRecordList, ck_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ck_record_list_model_init))

static void
drop_pages (CkRecordList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static void
ck_record_list_finalize (GObject *object)
{
  CkRecordList *self = (CkRecordList *)object;

  drop_pages (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->seqs, g_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ck_record_list_parent_class)->finalize (object);
}

static void
ck_record_list_class_init (CkRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_record_list_finalize;
}

static void
ck_record_list_init (CkRecordList *self)
{
  self->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)g_ptr_array_unref);
  g_queue_init (&self->lru);
}

/* The items of page @page, read from the store. */
static GPtrArray *
read_page (CkRecordList *self,
           guint         page)
{
  guint first = page * CK_RECORD_LIST_PAGE_SIZE;
  guint n = MIN (CK_RECORD_LIST_PAGE_SIZE, self->seqs->len - first);
  const gint64 *seqs = &g_array_index (self->seqs, gint64, first);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  rows = ck_store_read_rows (self->store, seqs, n, &error);
  if (rows == NULL)
    g_warning ("Cannot read consents for the list: %s", error->message);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, item_new (seqs[i], rows ? rows->pdata[i] : NULL, self->max_attempts));

  return items;
}

static GPtrArray *
get_page (CkRecordList *self,
          guint         page)
{
  gpointer key = GUINT_TO_POINTER (page);
  GPtrArray *items = g_hash_table_lookup (self->pages, key);

  if (items)
    {
      /* Most recently used first. */
      GList *link = g_queue_find (&self->lru, key);

      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      return items;
    }

  items = read_page (self, page);
  g_hash_table_insert (self->pages, key, items);
  g_queue_push_head (&self->lru, key);
  while (self->lru.length > CK_RECORD_LIST_PAGES_KEPT)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));

  return items;
}

static GType
ck_record_list_get_item_type (GListModel *model)
{
  return CK_TYPE_RECORD_ITEM;
}

static guint
ck_record_list_get_n_items (GListModel *model)
{
  return CK_RECORD_LIST (model)->seqs->len;
}

static gpointer
ck_record_list_get_item (GListModel *model,
                         guint       position)
{
  CkRecordList *self = CK_RECORD_LIST (model);
  GPtrArray *items;

  if (position >= self->seqs->len)
    return NULL;

  items = get_page (self, position / CK_RECORD_LIST_PAGE_SIZE);
  return g_object_ref (items->pdata[position % CK_RECORD_LIST_PAGE_SIZE]);
}

static void
ck_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ck_record_list_get_item_type;
  iface->get_n_items = ck_record_list_get_n_items;
  iface->get_item = ck_record_list_get_item;
}

/**
 * ck_record_list_new:
 * @store: the store to read, from the thread that calls the list
 * @max_attempts: [verification] max_attempts, for the retrying and
 *   failed states; 0 for its default
 *
 * Returns: (transfer full): an empty list; ck_record_list_set_query_async ()
 *   fills it
 */
CkRecordList *
ck_record_list_new (CkStore *store,
                    guint    max_attempts)
{
  CkRecordList *self;

  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  self = g_object_new (CK_TYPE_RECORD_LIST, NULL);
  self->store = g_object_ref (store);
  self->max_attempts = max_attempts;

  return self;
}

/* A query's copy, for the worker. */
typedef struct
{
  char *data_dir;
  char *search;
  char *since;
  char *until;
  char *state;
  guint max_attempts;
  guint generation;
} Job;

static void
job_free (Job *job)
{
  g_free (job->data_dir);
  g_free (job->search);
  g_free (job->since);
  g_free (job->until);
  g_free (job->state);
  g_free (job);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CkStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  CkStoreQuery query = { 0 };
  GArray *seqs;

  /* SQLite connections are not shared between threads here: this one is
   * the worker's own, and sees what is committed. */
  if (!(reader = ck_store_open (job->data_dir, CK_STORE_OPEN_READ_ONLY, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  query.search = job->search;
  query.since = job->since;
  query.until = job->until;
  query.state = job->state;
  query.max_attempts = job->max_attempts;
  if (!(seqs = ck_store_list_seqs (reader, &query, cancellable, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, seqs, (GDestroyNotify)g_array_unref);
}

static void
query_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CkRecordList *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(GError) error = NULL;
  guint removed;

  if (!(seqs = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->generation != self->generation)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("A newer search replaced this one."));
      return;
    }

  removed = self->seqs->len;
  g_array_unref (self->seqs);
  self->seqs = g_steal_pointer (&seqs);
  drop_pages (self);
  if (removed || self->seqs->len)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->seqs->len);

  g_task_return_boolean (task, TRUE);
}

/**
 * ck_record_list_set_query_async:
 * @self: a #CkRecordList
 * @query: what to list: search, since, until and state (limit, offset
 *   and max_attempts are ignored)
 * @cancellable: (nullable): stops the query; the list stays as it was
 *
 * Runs @query in a worker thread, then replaces the list's contents with
 * one items-changed. A later call supersedes an earlier one still
 * running: that one finishes with %G_IO_ERROR_CANCELLED.
 */
void
ck_record_list_set_query_async (CkRecordList        *self,
                                const CkStoreQuery  *query,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  Job *job;

  g_return_if_fail (CK_IS_RECORD_LIST (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_record_list_set_query_async);

  job = g_new0 (Job, 1);
  job->data_dir = g_strdup (ck_store_get_data_dir (self->store));
  job->search = g_strdup (query->search);
  job->since = g_strdup (query->since);
  job->until = g_strdup (query->until);
  job->state = g_strdup (query->state);
  job->max_attempts = self->max_attempts;
  job->generation = ++self->generation;

  /* The worker's thread may let go of its task after query_done (): only
   * the caller's task refers to the list, so that the list (and the store)
   * is never finalized in that thread. */
  worker = g_task_new (NULL, cancellable, query_done, g_steal_pointer (&task));
  g_task_set_source_tag (worker, ck_record_list_set_query_async);
  g_task_set_task_data (worker, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (worker, query_thread);
}

/**
 * ck_record_list_set_query_finish:
 *
 * Returns: %TRUE once the list shows the query's consents
 */
gboolean
ck_record_list_set_query_finish (CkRecordList  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ck_record_list_refresh:
 * @self: a #CkRecordList
 *
 * Reads the rows already read again (after a withdrawal or a verification
 * changed one) and signals those that changed. Positions stay: a consent
 * no longer matching the query stays until the next query.
 */
void
ck_record_list_refresh (CkRecordList *self)
{
  g_return_if_fail (CK_IS_RECORD_LIST (self));

  for (GList *l = self->lru.head; l; l = l->next)
    {
      guint page = GPOINTER_TO_UINT (l->data);
      GPtrArray *items = g_hash_table_lookup (self->pages, l->data);
      g_autoptr(GPtrArray) fresh = read_page (self, page);

      for (guint i = 0; i < items->len; i++)
        if (!item_equal (items->pdata[i], fresh->pdata[i]))
          {
            g_object_unref (items->pdata[i]);
            items->pdata[i] = g_object_ref (fresh->pdata[i]);
            g_list_model_items_changed (G_LIST_MODEL (self), page * CK_RECORD_LIST_PAGE_SIZE + i, 1, 1);
          }
    }
}
