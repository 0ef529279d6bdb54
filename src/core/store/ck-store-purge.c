/* ck-store-purge.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Retention: purging consents signed before a date. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/file.h>
#include <unistd.h>

#include "ck-date.h"
#include "ck-store-impl-private.h"

/* --- purge ---------------------------------------------------------------------------- */

static gboolean
purge_verification (CkStore     *self,
                    const char  *before,
                    GError     **error)
{
  static const char * const statements[] = {
    "DELETE FROM attempts WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?)",
    "DELETE FROM verify_queue WHERE consent_uuid IN (SELECT uuid FROM consents WHERE sign_date < ?)",
    "DELETE FROM consent_status WHERE seq IN (SELECT seq FROM consents WHERE sign_date < ?)",
  };

  /* Their sealing jobs too (schema 8): nothing is left to seal. */
  if (self->schema_version >= 8 &&
      !_ck_store_exec_for_uuid (self, "DELETE FROM seal_jobs WHERE consent_uuid IN "
                                      "(SELECT uuid FROM consents WHERE sign_date < ?)", before, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, statements[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      _ck_store_bind_text (stmt, 1, before);
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        return _ck_store_sql_error (self, rc, error);
    }

  return TRUE;
}

/* Within the purge's transaction, before its rows go: a 'delete' row in
 * the journal for each PDF, under the seq its event is about to take. */
static gboolean
journal_deletes (CkStore     *self,
                 const char  *before,
                 gint64      *event_seq,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *now = _ck_store_now_iso8601 ();
  gint64 head_seq;
  int rc;

  if (!_ck_store_chain_head (self, &head_seq, &head_hash, error))
    return FALSE;
  *event_seq = head_seq + 1;

  stmt = _ck_store_prepare (self, "INSERT OR REPLACE INTO pending_files (path, action, consent_uuid, "
                                  "event_seq, since) "
                                  "SELECT pdf_path, 'delete', uuid, ?1, ?2 FROM consents WHERE sign_date < ?3",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *event_seq);
  _ck_store_bind_text (stmt, 2, now);
  _ck_store_bind_text (stmt, 3, before);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * _ck_store_forget_deletes:
 * @event_seq: the purge's event
 *
 * Once a purge's PDFs are deleted: its journal rows go.
 */
gboolean
_ck_store_forget_deletes (CkStore  *self,
                          gint64    event_seq,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _ck_store_prepare (self, "DELETE FROM pending_files WHERE action = 'delete' AND event_seq = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event_seq);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * ck_store_purge:
 *
 * ck_store_purge_full() without progress reports.
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_purge (CkStore     *self,
                const char  *before,
                const char  *operator_name,
                guint       *n_purged,
                GError     **error)
{
  return ck_store_purge_full (self, before, operator_name, NULL, NULL, n_purged, error);
}

/**
 * ck_store_purge_full:
 * @self: a #CkStore
 * @before: YYYY-MM-DD: consents signed before this date go
 * @operator_name: (nullable): who asked
 * @progress: (nullable): told how many PDFs are deleted, of how many
 * @progress_data: for @progress
 * @n_purged: (out) (optional): how many went
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Deletes old consents and their PDFs (retention). The purge is itself an
 * event in the chain, listing the links it cut, so `check` still passes.
 * Their attempts go too, but the calls the vendor charged (or may have)
 * stay in purged_calls, sealed by the event's "calls" and "calls_sha256",
 * so that the package's usage does not change.
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_purge_full (CkStore         *self,
                     const char      *before,
                     const char      *operator_name,
                     CkProgressFunc   progress,
                     gpointer         progress_data,
                     guint           *n_purged,
                     GError         **error)
{
  return ck_store_purge_sealed (self, before, operator_name, NULL, NULL, progress, progress_data, n_purged, error);
}

/* The links a purge before @before cuts, by seq. */
static GArray *
links_to_cut (CkStore     *self,
              const char  *before,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (CkStoreCut));
  int rc;

  g_array_set_clear_func (links, _ck_store_cut_clear);
  if (!(stmt = _ck_store_prepare (self, "SELECT seq, row_hash FROM consents WHERE sign_date < ? ORDER BY seq",
                                  error)))
    return NULL;
  _ck_store_bind_text (stmt, 1, before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkStoreCut cut = { sqlite3_column_int64 (stmt, 0), _ck_store_column_text (stmt, 1) };

      g_array_append_val (links, cut);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&links);
}

/* Before the purge's transaction, so that no save waits on a token or a
 * TSA: the seal over the record of what it is about to cut. */
static GBytes *
seal_purge (CkStore          *self,
            const char       *before,
            CkStoreSealFunc   seal,
            gpointer          seal_data,
            GBytes          **data,
            GError          **error)
{
  g_autoptr(GArray) links = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *cms;

  if (!_ck_store_exec (self, "BEGIN", error))
    return NULL;
  links = links_to_cut (self, before, error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (links == NULL)
    return NULL;

  *data = _ck_store_purge_data (before, links);
  if (!(cms = seal (*data, seal_data, &local_error)))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("The purge could not be sealed, and nothing was purged: %s"),
                   local_error ? local_error->message : _("the seal gave no signature"));
      return NULL;
    }

  return cms;
}

/**
 * ck_store_purge_sealed:
 * @self: a #CkStore
 * @before: YYYY-MM-DD: consents signed before this date go
 * @operator_name: (nullable): who asked
 * @seal: (nullable) (scope call): seals the purge's record; %NULL for an
 *   unsealed purge, as ck_store_purge_full()
 * @seal_data: for @seal
 * @progress: (nullable): told how many PDFs are deleted, of how many
 * @progress_data: for @progress
 * @n_purged: (out) (optional): how many went
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * ck_store_purge_full(), with the purge's record — its date and every link
 * it cuts, as seq and hash — sealed by @seal (ck_seal_sign_data()) and the
 * CMS kept in the purge's event. `check` requires that seal of every purge
 * that erases links an earlier anchor covered: without it, an event
 * appended by someone with write access could erase a consent unseen.
 * The seal is made before the purge's transaction; if consents to purge
 * changed meanwhile, nothing is purged (%CK_STORE_ERROR_BUSY).
 *
 * Returns: %TRUE on success
 */
gboolean
ck_store_purge_sealed (CkStore         *self,
                       const char      *before,
                       const char      *operator_name,
                       CkStoreSealFunc  seal,
                       gpointer         seal_data,
                       CkProgressFunc   progress,
                       gpointer         progress_data,
                       guint           *n_purged,
                       GError         **error)
{
  g_autoptr(GBytes) sealed_data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (CkStoreCut));
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) remove = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(CkStoreEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CkStoreFilesLock) lock = -1;
  g_autofree char *calls_sha256 = NULL;
  guint n = 0, n_calls = 0;
  gint64 event_seq = 0;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);

  if (!_ck_store_check_text (_("The operator's name"), operator_name, CK_STORE_MAX_OPERATOR_CHARS,
                             FALSE, error))
    return FALSE;
  if (!ck_date_parse (before, NULL))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("A purge needs a date as YYYY-MM-DD, not “%s”."), before ? before : "");
      return FALSE;
    }

  g_array_set_clear_func (links, _ck_store_cut_clear);
  if (seal && !(cms = seal_purge (self, before, seal, seal_data, &sealed_data, error)))
    return FALSE;

  /* Until the PDFs are gone, they are files without rows. */
  if (!_ck_store_files_lock (self, LOCK_SH, &lock, error) || !_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Nothing the central archive has not acknowledged goes. */
  if (!_ck_store_refuse_unsynced (self, before, &local_error))
    goto rollback;

  /* Each purged consent's seq and hash: check matches the cut links. */
  json_builder_begin_object (detail);
  json_builder_set_member_name (detail, "before");
  json_builder_add_string_value (detail, before);
  json_builder_set_member_name (detail, "removed");
  json_builder_begin_array (detail);
  select = _ck_store_prepare (self, "SELECT seq, row_hash, pdf_path FROM consents WHERE sign_date < ? ORDER BY seq",
                              &local_error);
  if (select == NULL)
    goto rollback;
  _ck_store_bind_text (select, 1, before);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      /* The path lets a later recovery delete, rather than keep, a PDF
       * whose purge was cut short by a crash. */
      json_builder_begin_array (detail);
      json_builder_add_int_value (detail, sqlite3_column_int64 (select, 0));
      json_builder_add_string_value (detail, (const char *)sqlite3_column_text (select, 1));
      json_builder_add_string_value (detail, (const char *)sqlite3_column_text (select, 2));
      json_builder_end_array (detail);
      g_ptr_array_add (paths, _ck_store_column_text (select, 2));
      {
        CkStoreCut cut = { sqlite3_column_int64 (select, 0), _ck_store_column_text (select, 1) };

        g_array_append_val (links, cut);
      }
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }
  json_builder_end_array (detail);

  /* The calls the vendor charged for them stay counted: the ledger's rows
   * are sealed by this purge's event, which records their count and
   * SHA-256. */
  if (!_ck_store_keep_purged_calls (self, before, &n_calls, &calls_sha256, &local_error))
    goto rollback;
  json_builder_set_member_name (detail, "calls");
  json_builder_add_int_value (detail, n_calls);
  json_builder_set_member_name (detail, "calls_sha256");
  json_builder_add_string_value (detail, calls_sha256);

  /* The seal covers exactly what is cut, or nothing is purged. */
  if (cms)
    {
      g_autoptr(GBytes) data = _ck_store_purge_data (before, links);
      g_autofree char *base64 = NULL;

      if (!g_bytes_equal (data, sealed_data))
        {
          g_set_error_literal (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_BUSY,
                               _("The consents to purge changed while the purge was being sealed; "
                                 "nothing was purged. Try again."));
          goto rollback;
        }
      base64 = g_base64_encode (g_bytes_get_data (cms, NULL), g_bytes_get_size (cms));
      json_builder_set_member_name (detail, "seal");
      json_builder_add_string_value (detail, base64);
    }
  json_builder_end_object (detail);

  /* Their attempts and queue entries go with them; the chain keeps the
   * sealing events, which name no person. */
  if (!purge_verification (self, before, &local_error))
    goto rollback;

  /* The journal lists the PDFs to delete once the rows are gone: should
   * the process die before it has deleted them all, recovery finishes. */
  if (!journal_deletes (self, before, &event_seq, &local_error))
    goto rollback;

  remove = _ck_store_prepare (self, "DELETE FROM consents WHERE sign_date < ?", &local_error);
  if (remove == NULL)
    goto rollback;
  _ck_store_bind_text (remove, 1, before);
  if ((rc = sqlite3_step (remove)) != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, &local_error);
      goto rollback;
    }

  event = g_new0 (CkStoreEvent, 1);
  event->kind = g_strdup ("purge");
  event->operator_name = g_strdup (operator_name);
  event->detail = _ck_store_detail_to_string (detail);
  if (!_ck_store_insert_event (self, event, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;

  /* The rows are gone for good; now their files, then their journal. */
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *path = g_build_filename (self->data_dir, paths->pdata[i], NULL);
      g_autofree char *dir = g_path_get_dirname (paths->pdata[i]);
      g_autofree char *name = g_path_get_basename (paths->pdata[i]);
      g_autoptr(GError) dir_error = NULL;
      g_auto(CkStoreFd) dir_fd = _ck_store_open_dir (self, dir, FALSE, &dir_error);

      /* A folder that is a link: its file is left, and check names it. */
      if (dir_fd < 0)
        g_message ("Purged PDF %s not removed: %s", path, dir_error->message);
      else if (unlinkat (dir_fd, name, 0) != 0 && errno != ENOENT)
        g_warning ("Cannot remove purged PDF %s: %s", path, g_strerror (errno));
      if (progress && (i + 1) % 256 == 0)
        progress (i + 1, paths->len, progress_data);
    }
  if (progress)
    progress (paths->len, paths->len, progress_data);
  if (!_ck_store_forget_deletes (self, event_seq, &local_error))
    g_warning ("The purge is done; its journal stays until the next start: %s", local_error->message);

  if (n_purged)
    *n_purged = n;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
