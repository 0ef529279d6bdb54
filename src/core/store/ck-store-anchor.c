/* ck-store-anchor.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Chain anchors and the records sealed purges sign (docs/STORAGE.md,
 * "Sealed consents").
 *
 * The chain is plain SHA-256: whoever can write the data directory can
 * recompute it from any link on. An anchor is a link's (seq, hash) sealed
 * with the organisation's key and timestamped by a TSA, kept in the chain
 * as an 'anchor' event: a chain rewritten before the anchored link no
 * longer hashes to the anchored value at that link, and the rewriter
 * cannot make a new anchor with a past time. What the seal signs is a
 * canonical text, the same for the sealing queue and for check:
 *
 *   ck-anchor/1\nseq:N\nhash:H\n
 *
 * A purge that erases links an anchor covered must be sealed too, or a
 * forged purge event could erase a consent without touching a link: it
 * signs
 *
 *   ck-purge/1\nbefore:YYYY-MM-DD\ncut:SEQ:HASH\n…   (one line a cut link, by seq)
 *
 * The store never handles a key: callers pass the CMS, or a function that
 * makes it (ck_store_purge_sealed ()). */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-store-impl-private.h"

/**
 * ck_store_anchor_data:
 * @seq: a link of the chain
 * @hash: its row hash (lowercase hex)
 *
 * Returns: (transfer full): the text an anchor of that link seals
 */
GBytes *
ck_store_anchor_data (gint64      seq,
                      const char *hash)
{
  GString *text;

  g_return_val_if_fail (hash != NULL, NULL);

  text = g_string_new ("ck-anchor/1\n");
  g_string_append_printf (text, "seq:%" G_GINT64_FORMAT "\nhash:%s\n", seq, hash);
  return g_string_free_to_bytes (text);
}

void
_ck_store_cut_clear (gpointer data)
{
  CkStoreCut *cut = data;

  g_clear_pointer (&cut->hash, g_free);
}

int
_ck_store_cut_compare (gconstpointer a,
                       gconstpointer b)
{
  const CkStoreCut *x = a, *y = b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

/**
 * _ck_store_purge_data:
 * @before: the purge's date
 * @links: (element-type CkStoreCut): the links it cuts, by seq
 *
 * Returns: (transfer full): the record a sealed purge signs
 */
GBytes *
_ck_store_purge_data (const char *before,
                      GArray     *links)
{
  GString *text = g_string_new ("ck-purge/1\n");

  g_string_append_printf (text, "before:%s\n", before);
  for (guint i = 0; i < links->len; i++)
    {
      const CkStoreCut *cut = &g_array_index (links, CkStoreCut, i);

      g_string_append_printf (text, "cut:%" G_GINT64_FORMAT ":%s\n", cut->seq, cut->hash);
    }

  return g_string_free_to_bytes (text);
}

static gboolean
is_hash (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

/**
 * ck_store_get_anchor_state:
 * @self: a #CkStore
 * @head_seq: (out): the chain's head
 * @head_hash: (out) (transfer full): its hash
 * @anchored_seq: (out): the link the last anchor covers; 0 without one
 * @anchor_seq: (out) (optional): the last anchor's own event; 0 without
 *   one. When it is the head, nothing was added since: an anchor's event
 *   needs no anchor of its own, its seal proves it
 * @anchored_at: (out) (transfer full) (nullable): when the last anchor
 *   was added (ISO 8601 UTC); %NULL without one
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * What the sealing queue needs to tell whether an anchor is due.
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_get_anchor_state (CkStore  *self,
                           gint64   *head_seq,
                           char    **head_hash,
                           gint64   *anchored_seq,
                           gint64   *anchor_seq,
                           char    **anchored_at,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = 0, anchored = 0, event_seq = 0;
  g_autofree char *at = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  /* One read transaction: the head and the last anchor agree. */
  if (!_ck_store_exec (self, "BEGIN", error))
    return FALSE;
  if (!_ck_store_chain_head (self, &seq, &hash, error))
    goto rollback;
  if (!(stmt = _ck_store_prepare (self, "SELECT at, detail, seq FROM events WHERE kind = 'anchor' "
                                        "ORDER BY seq DESC LIMIT 1", error)))
    goto rollback;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *anchored_hash = NULL;

      if (_ck_store_detail_read_anchor ((const char *)sqlite3_column_text (stmt, 1), &anchored,
                                        &anchored_hash, NULL))
        {
          at = _ck_store_column_text (stmt, 0);
          event_seq = sqlite3_column_int64 (stmt, 2);
        }
      else
        anchored = 0;
    }
  else if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      goto rollback;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  *head_seq = seq;
  *head_hash = g_steal_pointer (&hash);
  *anchored_seq = anchored;
  if (anchor_seq)
    *anchor_seq = event_seq;
  *anchored_at = g_steal_pointer (&at);
  return TRUE;

rollback:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Within a transaction: whether (@seq, @hash) is a link the chain has or
 * had: the head, a row's link, or a link a purge cut. */
static gboolean
is_link (CkStore     *self,
         gint64       seq,
         const char  *hash,
         gboolean    *found,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  gint64 head_seq;
  int rc;

  *found = FALSE;
  if (!_ck_store_chain_head (self, &head_seq, &head_hash, error))
    return FALSE;
  if (seq < 1 || seq > head_seq)
    return TRUE;
  if (seq == head_seq)
    {
      *found = g_str_equal (head_hash, hash);
      return TRUE;
    }

  if (!(stmt = _ck_store_prepare (self, "SELECT row_hash FROM consents WHERE seq = ?1 "
                                        "UNION ALL SELECT row_hash FROM events WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *found = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), hash) == 0;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Cut by a purge: its event names the link. Purges are few. */
  if (!(stmt = _ck_store_prepare (self, "SELECT detail FROM events WHERE kind = 'purge'", error)))
    return FALSE;
  while (!*found && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GHashTable) purged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

      _ck_store_collect_purged ((const char *)sqlite3_column_text (stmt, 0), purged, NULL);
      *found = g_strcmp0 (g_hash_table_lookup (purged, &seq), hash) == 0;
    }
  if (!*found && rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_add_anchor:
 * @self: a #CkStore
 * @seq: the anchored link: the chain's head, or an earlier link
 * @hash: that link's hash
 * @cms: a CMS (DER) over ck_store_anchor_data (@seq, @hash), made with the
 *   organisation's seal and carrying the TSA's token
 * @error: a #GError in the %CK_STORE_ERROR domain:
 *   %CK_STORE_ERROR_INVALID when (@seq, @hash) is not a link of the chain
 *
 * Appends an 'anchor' event holding @seq, @hash and @cms. `check`
 * verifies the CMS and that the chain still hashes to @hash at @seq.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_add_anchor (CkStore     *self,
                     gint64       seq,
                     const char  *hash,
                     GBytes      *cms,
                     GError     **error)
{
  g_autoptr(CkStoreEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!is_hash (hash) || cms == NULL || g_bytes_get_size (cms) == 0)
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("An anchor needs a link's hash (64 hexadecimal digits) and its seal."));
      return FALSE;
    }

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!is_link (self, seq, hash, &found, &local_error))
    goto rollback;
  if (!found)
    {
      g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("Link %s of the chain does not have the hash the anchor names: nothing was "
                     "anchored."),
                   seq_text);
      goto rollback;
    }

  event = g_new0 (CkStoreEvent, 1);
  event->kind = g_strdup ("anchor");
  event->detail = _ck_store_detail_new_anchor (seq, hash, cms);
  if (!_ck_store_insert_event (self, event, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
