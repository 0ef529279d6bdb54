/* ck-store-detail.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The detail of an event: a JSON object, written and read with json-glib
 * here and nowhere else. Its members, by kind (docs/STORAGE.md):
 *
 *   withdrawal    {"note": string or null}
 *   reveal        {"field": "id_number", "via": string}
 *   verification  {"attempt": n, "outcome": string, "sha256": hex,
 *                  "requeued": bool}
 *                 (requeued: whether the consent stayed in the queue;
 *                 absent before it was added, and in the seals of
 *                 attempts found interrupted)
 *   purge         {"before": date, "removed": [[seq, hash, pdf_path], …],
 *                  "calls": n, "calls_sha256": hex, "seal": base64}
 *                 (pdf_path is absent before it was added, calls and
 *                 calls_sha256 before schema 5; seal, a CMS over the
 *                 purge's record (ck-store-anchor.c), when it was sealed)
 *   pdf-revision  {"kind": "seal" or "timestamp", "pdf_sha256": hex,
 *                  "pdf_size": n, "prev_sha256": hex, "prev_size": n,
 *                  "summary": string or null}
 *   anchor        {"seq": n, "hash": hex, "cms": base64}
 *   recovery      {"quarantined": path}, {"deleted_purged": path} or
 *                 {"revision_undone": path}
 *   restore       {"backup": …, "created_at": …, …} (ck-backup-restore.c)
 *
 * The detail is hashed into the chain as the text it was stored with, so
 * a reader never rewrites one; it only reads what it needs, and a detail
 * that does not parse reads as empty. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ck-store-impl-private.h"

/**
 * _ck_store_detail_to_string:
 * @builder: a builder holding one finished object
 *
 * Returns: (transfer full): the object as compact JSON
 */
char *
_ck_store_detail_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * _ck_store_detail_new:
 * @key: the first member's name
 * @...: its value (a string, or %NULL for null), then more pairs, ended by
 *   a %NULL name
 *
 * Returns: (transfer full): {"key": value, …}
 */
char *
_ck_store_detail_new (const char *key,
                      ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, key);
  for (; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, key);
      if (value)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  va_end (args);
  json_builder_end_object (builder);

  return _ck_store_detail_to_string (builder);
}

/**
 * _ck_store_detail_new_seal:
 * @requeued: 1 or 0 when the consent stays in the queue or leaves it, -1
 *   when the seal does not say
 *
 * Returns: (transfer full): a verification event's detail
 */
char *
_ck_store_detail_new_seal (guint       number,
                           const char *outcome,
                           const char *sha256,
                           int         requeued)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attempt");
  json_builder_add_int_value (builder, number);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, outcome);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  if (requeued >= 0)
    {
      json_builder_set_member_name (builder, "requeued");
      json_builder_add_boolean_value (builder, requeued);
    }
  json_builder_end_object (builder);

  return _ck_store_detail_to_string (builder);
}

/**
 * _ck_store_detail_parse:
 * @detail: (nullable): an event's detail
 *
 * Returns: (transfer full) (nullable): its object; %NULL when it is
 *   missing or not a JSON object
 */
JsonObject *
_ck_store_detail_parse (const char *detail)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (detail == NULL)
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, detail, -1, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* @object's member @name if it is a string, else %NULL. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Whether @object's member @name is a whole number ≥ 0; into @value. */
static gboolean
count_member (JsonObject *object,
              const char *name,
              gint64     *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

/**
 * ck_store_event_dup_note:
 * @event: a withdrawal event
 *
 * Returns: (transfer full) (nullable): the note staff recorded with it
 */
char *
ck_store_event_dup_note (const CkStoreEvent *event)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  object = _ck_store_detail_parse (event->detail);
  return g_strdup (string_member (object, "note"));
}

/**
 * _ck_store_detail_read_seal:
 * @detail: a verification event's detail
 * @number: (out): the attempt it seals
 * @sha256: (out) (transfer full): the attempt's hash
 *
 * Returns: whether @detail is a seal
 */
gboolean
_ck_store_detail_read_seal (const char  *detail,
                            guint       *number,
                            char       **sha256)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  const char *hash = string_member (object, "sha256");
  gint64 attempt;

  if (!count_member (object, "attempt", &attempt) || attempt > G_MAXUINT || !is_sha256 (hash))
    return FALSE;

  *number = (guint)attempt;
  *sha256 = g_strdup (hash);
  return TRUE;
}

/**
 * _ck_store_detail_read_requeued:
 * @detail: (nullable): a verification event's detail
 *
 * Returns: 1 or 0 when the seal says whether its consent stayed in the
 *   queue, -1 when it does not say
 */
int
_ck_store_detail_read_requeued (const char *detail)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  JsonNode *node = object ? json_object_get_member (object, "requeued") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;

  return json_node_get_boolean (node) ? 1 : 0;
}

/**
 * _ck_store_detail_read_queue_floor:
 * @detail: (nullable): a "queue-floor" event's detail, {"seq": N, …}
 *
 * Returns: the newest consent that was not in the verification queue when
 *   the store was upgraded to schema 7; 0 if @detail says none
 */
gint64
_ck_store_detail_read_queue_floor (const char *detail)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  gint64 seq = 0;

  return count_member (object, "seq", &seq) ? seq : 0;
}

/**
 * _ck_store_detail_read_ledger:
 * @detail: a purge event's detail
 * @n_calls: (out): how many paid calls the purge kept
 * @sha256: (out) (transfer full): their hash
 *
 * Returns: whether the purge kept a ledger (schema 5 on)
 */
gboolean
_ck_store_detail_read_ledger (const char  *detail,
                              guint64     *n_calls,
                              char       **sha256)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  const char *hash = string_member (object, "calls_sha256");
  gint64 calls = -1;

  if (hash == NULL)
    return FALSE;

  /* A ledger whose count or hash is not one still has a ledger: check
   * reports it as edited. */
  count_member (object, "calls", &calls);
  *n_calls = calls < 0 ? G_MAXUINT64 : (guint64)calls;
  *sha256 = g_strdup (hash);
  return TRUE;
}

/**
 * _ck_store_collect_purged:
 * @detail: a purge event's detail
 * @purged: (nullable): seq (gint64 *) → row hash of each link it cut
 * @paths: (nullable): the PDF paths it removed
 *
 * Reads a purge's "removed" list, [[seq, "hash", "path"], …] (the path is
 * absent in purges written before it was added).
 */
void
_ck_store_collect_purged (const char *detail,
                          GHashTable *purged,
                          GHashTable *paths)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  JsonNode *node = object ? json_object_get_member (object, "removed") : NULL;
  JsonArray *removed;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  removed = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (removed); i++)
    {
      JsonNode *link_node = json_array_get_element (removed, i);
      JsonArray *link;
      JsonNode *seq, *hash, *path;

      if (!JSON_NODE_HOLDS_ARRAY (link_node))
        continue;
      link = json_node_get_array (link_node);
      if (json_array_get_length (link) < 2)
        continue;
      seq = json_array_get_element (link, 0);
      hash = json_array_get_element (link, 1);
      if (!JSON_NODE_HOLDS_VALUE (seq) || json_node_get_value_type (seq) != G_TYPE_INT64 ||
          !JSON_NODE_HOLDS_VALUE (hash) || json_node_get_value_type (hash) != G_TYPE_STRING)
        continue;

      if (purged)
        {
          gint64 value = json_node_get_int (seq);

          g_hash_table_insert (purged, g_memdup2 (&value, sizeof value),
                               g_strdup (json_node_get_string (hash)));
        }

      path = json_array_get_length (link) > 2 ? json_array_get_element (link, 2) : NULL;
      if (paths && path && JSON_NODE_HOLDS_VALUE (path) && json_node_get_value_type (path) == G_TYPE_STRING)
        g_hash_table_add (paths, g_strdup (json_node_get_string (path)));
    }
}

/* @object's member @name as a string, or %NULL. */
static gboolean
sha256_member (JsonObject  *object,
               const char  *name,
               char       **value)
{
  const char *text = string_member (object, name);

  if (!is_sha256 (text))
    return FALSE;
  *value = g_strdup (text);
  return TRUE;
}

/**
 * _ck_store_detail_new_revision:
 * @summary: (nullable): what the revision is, e.g. the TSA's time
 *
 * Returns: (transfer full): a pdf-revision event's detail
 */
char *
_ck_store_detail_new_revision (const char *kind,
                               const char *sha256,
                               gint64      size,
                               const char *prev_sha256,
                               gint64      prev_size,
                               const char *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "pdf_sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_set_member_name (builder, "pdf_size");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "prev_sha256");
  json_builder_add_string_value (builder, prev_sha256);
  json_builder_set_member_name (builder, "prev_size");
  json_builder_add_int_value (builder, prev_size);
  json_builder_set_member_name (builder, "summary");
  if (summary)
    json_builder_add_string_value (builder, summary);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return _ck_store_detail_to_string (builder);
}

void
_ck_store_revision_clear (CkStoreRevision *revision)
{
  g_clear_pointer (&revision->kind, g_free);
  g_clear_pointer (&revision->sha256, g_free);
  g_clear_pointer (&revision->prev_sha256, g_free);
  g_clear_pointer (&revision->summary, g_free);
}

/**
 * _ck_store_detail_read_revision:
 * @detail: (nullable): a pdf-revision event's detail
 * @revision: (out caller-allocates): what it says; cleared first
 *
 * Returns: whether @detail is a revision: a kind, hashes and sizes
 */
gboolean
_ck_store_detail_read_revision (const char      *detail,
                                CkStoreRevision *revision)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  const char *kind = string_member (object, "kind");

  _ck_store_revision_clear (revision);
  if (!(g_strcmp0 (kind, "seal") == 0 || g_strcmp0 (kind, "timestamp") == 0) ||
      !sha256_member (object, "pdf_sha256", &revision->sha256) ||
      !sha256_member (object, "prev_sha256", &revision->prev_sha256) ||
      !count_member (object, "pdf_size", &revision->size) ||
      !count_member (object, "prev_size", &revision->prev_size))
    {
      _ck_store_revision_clear (revision);
      return FALSE;
    }
  revision->kind = g_strdup (kind);
  revision->summary = g_strdup (string_member (object, "summary"));

  return TRUE;
}

/**
 * _ck_store_detail_new_anchor:
 *
 * Returns: (transfer full): an anchor event's detail
 */
char *
_ck_store_detail_new_anchor (gint64      seq,
                             const char *hash,
                             GBytes     *cms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *base64 = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (cms, &len);

  base64 = g_base64_encode (data, len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, hash);
  json_builder_set_member_name (builder, "cms");
  json_builder_add_string_value (builder, base64);
  json_builder_end_object (builder);

  return _ck_store_detail_to_string (builder);
}

/* @object's member @name as base64 bytes, or %NULL. */
static GBytes *
base64_member (JsonObject *object,
               const char *name)
{
  const char *text = string_member (object, name);
  guchar *data;
  gsize len;

  if (text == NULL || *text == '\0')
    return NULL;
  data = g_base64_decode (text, &len);
  if (data == NULL || len == 0)
    {
      g_free (data);
      return NULL;
    }

  return g_bytes_new_take (data, len);
}

/**
 * _ck_store_detail_read_anchor:
 * @detail: (nullable): an anchor event's detail
 * @seq: (out): the link it anchors
 * @hash: (out) (transfer full): that link's hash
 * @cms: (out) (optional) (transfer full): the CMS over
 *   ck_store_anchor_data (@seq, @hash)
 *
 * Returns: whether @detail is an anchor
 */
gboolean
_ck_store_detail_read_anchor (const char  *detail,
                              gint64      *seq,
                              char       **hash,
                              GBytes     **cms)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *link = NULL;
  gint64 value;

  if (!count_member (object, "seq", &value) || value < 1 || !sha256_member (object, "hash", &link) ||
      !(bytes = base64_member (object, "cms")))
    return FALSE;

  *seq = value;
  *hash = g_steal_pointer (&link);
  if (cms)
    *cms = g_steal_pointer (&bytes);
  return TRUE;
}

/**
 * _ck_store_detail_read_purge:
 * @detail: (nullable): a purge event's detail
 * @links: (out) (transfer full): the links it cut (#CkStoreCut), by seq
 * @seal: (out) (transfer full) (nullable): its seal, %NULL when unsealed
 *
 * Returns: (transfer full) (nullable): the purge's date, %NULL when
 *   @detail is not a purge's
 */
char *
_ck_store_detail_read_purge (const char  *detail,
                             GArray     **links,
                             GBytes     **seal)
{
  g_autoptr(JsonObject) object = _ck_store_detail_parse (detail);
  g_autoptr(GHashTable) purged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  const char *before = string_member (object, "before");
  GHashTableIter iter;
  gpointer key, value;

  *links = NULL;
  *seal = NULL;
  if (before == NULL)
    return NULL;

  _ck_store_collect_purged (detail, purged, NULL);
  *links = g_array_new (FALSE, FALSE, sizeof (CkStoreCut));
  g_array_set_clear_func (*links, _ck_store_cut_clear);
  g_hash_table_iter_init (&iter, purged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CkStoreCut cut = { *(gint64 *)key, g_strdup (value) };

      g_array_append_val (*links, cut);
    }
  g_array_sort (*links, _ck_store_cut_compare);
  *seal = base64_member (object, "seal");

  return g_strdup (before);
}
