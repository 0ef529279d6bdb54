/* ck-store-check.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `consentctl check`: every PDF, every link, every attempt and the
 * ledger, recomputed. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ck-store-impl-private.h"

/* --- check ------------------------------------------------------------------------------ */

typedef struct
{
  gint64 seq;
  char *prev_hash;
  char *row_hash;
  char *computed;
  char *label;
} Link;

static void
link_free (gpointer data)
{
  Link *link = data;

  g_free (link->prev_hash);
  g_free (link->row_hash);
  g_free (link->computed);
  g_free (link->label);
  g_free (link);
}

static int
link_compare (gconstpointer a,
              gconstpointer b)
{
  const Link *x = *(const Link * const *)a, *y = *(const Link * const *)b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
problem (GPtrArray  *problems,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (GPtrArray  *problems,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The files a data directory may hold at its top. */
static const char * const top_files[] = {
  "consents.db", "consents.db-wal", "consents.db-shm", "consents.db-journal", "consents.lock",
  "consents.head", NULL
};

static gboolean
digits (const char *name,
        gsize       n)
{
  if (strlen (name) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (name[i]))
      return FALSE;

  return TRUE;
}

/* Walks @relative under the data directory, @depth folders below it
 * (pdf/ or quarantine/ at 0): every PDF a row does not name goes to
 * @candidates, everything else out of place to @problems. */
static void
walk_files (CkStore    *self,
            const char *relative,
            guint       depth,
            gboolean    pdfs,
            GHashTable *paths,
            GPtrArray  *candidates,
            GPtrArray  *problems)
{
  g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *child_path = g_build_filename (self->data_dir, child, NULL);
      GStatBuf st;

      if (g_lstat (child_path, &st) != 0)
        continue;
      if (S_ISLNK (st.st_mode))
        problem (problems, _("%s is a symbolic link: nothing in the data directory may point "
                             "elsewhere. Remove it."), child);
      else if (S_ISDIR (st.st_mode))
        {
          /* pdf/YYYY/MM/; quarantine/ as recovery makes it. */
          if (depth < 2 && (!pdfs || digits (name, depth == 0 ? 4 : 2)))
            walk_files (self, child, depth + 1, pdfs, paths, candidates, problems);
          else
            problem (problems, _("%s does not belong in the data directory."), child);
        }
      else if (!S_ISREG (st.st_mode))
        problem (problems, _("%s is not a regular file: it does not belong in the data directory."),
                 child);
      else if (pdfs && depth == 2)
        {
          if (!g_hash_table_contains (paths, child))
            g_ptr_array_add (candidates, g_strdup (child));
        }
      else if (pdfs)
        problem (problems, _("%s does not belong in the data directory."), child);
    }
}

/* Every file of the data directory accounted for: the database and its
 * companions at the top, each consent's PDF at its row's path, what
 * quarantine/ keeps; PDFs no row names go to @candidates. */
static void
account_for_files (CkStore    *self,
                   GHashTable *paths,
                   GPtrArray  *candidates,
                   GPtrArray  *problems)
{
  g_autoptr(GDir) dir = g_dir_open (self->data_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (self->data_dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if ((g_str_equal (name, "pdf") || g_str_equal (name, "quarantine")) && S_ISDIR (st.st_mode))
        walk_files (self, name, 0, g_str_equal (name, "pdf"), paths, candidates, problems);
      else if (g_strv_contains (top_files, name) && S_ISREG (st.st_mode))
        continue;
      else if (S_ISLNK (st.st_mode))
        problem (problems, _("%s is a symbolic link: nothing in the data directory may point "
                             "elsewhere. Remove it."), name);
      else
        problem (problems, _("%s does not belong in the data directory."), name);
    }
}

/* What the files journal says of @relative (a PDF, or its .tmp):
 * "write", "delete", or %NULL. */
static gboolean
pending_action (CkStore     *self,
                const char  *relative,
                char       **action,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *pdf = g_str_has_suffix (relative, ".tmp")
                         ? g_strndup (relative, strlen (relative) - strlen (".tmp"))
                         : g_strdup (relative);
  int rc;

  *action = NULL;
  if (self->schema_version < 6)
    return TRUE;

  if (!(stmt = _ck_store_prepare (self, "SELECT action FROM pending_files WHERE path = ?", error)))
    return FALSE;
  _ck_store_bind_text (stmt, 1, pdf);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *action = _ck_store_column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* A file no row names may be a save in flight in another process (its
 * PDF is in place before its row commits). Wait for saves in flight —
 * they hold consents.lock shared — then ask again; what is still
 * unrecorded is extra. */
static gboolean
confirm_extras (CkStore    *self,
                GPtrArray  *candidates,
                GPtrArray  *problems,
                GError    **error)
{
  g_autofree char *lock_path = g_build_filename (self->data_dir, "consents.lock", NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int fd = self->lock_fd >= 0 ? self->lock_fd : open (lock_path, O_RDONLY | O_CLOEXEC);

  if (fd >= 0)
    while (flock (fd, LOCK_EX) != 0 && errno == EINTR)
      ;

  if (!(stmt = _ck_store_prepare (self, "SELECT 1 FROM consents WHERE pdf_path = ?", error)))
    goto out;

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *relative = candidates->pdata[i];
      g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);
      int rc;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;   /* a .tmp that has since been renamed */

      sqlite3_reset (stmt);
      _ck_store_bind_text (stmt, 1, relative);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_autofree char *action = NULL;

          if (!pending_action (self, relative, &action, error))
            {
              g_clear_pointer (&stmt, sqlite3_finalize);
              goto out;
            }
          if (g_strcmp0 (action, "write") == 0)
            problem (problems, _("%s is not the PDF of any stored consent: its save did not finish. "
                                 "It is moved to quarantine/ when the kiosk or consentctl next opens "
                                 "the store for writing."), relative);
          else if (g_strcmp0 (action, "delete") == 0)
            problem (problems, _("%s is not the PDF of any stored consent: it was purged, and is "
                                 "deleted when the kiosk or consentctl next opens the store for "
                                 "writing."), relative);
          else
            problem (problems, _("%s is not the PDF of any stored consent. No save or purge was "
                                 "under way for it: its record was lost after it was saved (a "
                                 "database put back from an older copy?), or the file was put "
                                 "there. It stays where it is; restore the store from the last "
                                 "backup, or ask IT."), relative);
        }
      else if (rc != SQLITE_ROW)
        {
          _ck_store_sql_error (self, rc, error);
          g_clear_pointer (&stmt, sqlite3_finalize);
          goto out;
        }
    }

out:
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      if (fd != self->lock_fd)
        close (fd);
    }

  return stmt != NULL;
}

/* For check: every finished attempt matches the hash its sealing event
 * recorded, and every seal of a stored consent has its attempt. */
static gboolean
check_attempts (CkStore    *self,
                GPtrArray  *problems,
                GError    **error)
{
  g_autoptr(GHashTable) seals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 3)
    return TRUE;

  /* Seals of consents still stored, by "uuid/number". */
  if (!(stmt = _ck_store_prepare (self, "SELECT e.consent_uuid, e.detail FROM events e "
                              "JOIN consents c ON c.uuid = e.consent_uuid "
                              "WHERE e.kind = 'verification'", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 0);
      const char *detail = (const char *)sqlite3_column_text (stmt, 1);
      char *sha256;
      guint number;

      if (_ck_store_detail_read_seal (detail, &number, &sha256))
        g_hash_table_insert (seals, g_strdup_printf ("%s/%u", uuid, number), sha256);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = _ck_store_prepare (self, "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE outcome != 'in-progress'",
                                  error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CkVerifyAttempt) a = _ck_store_read_attempt (stmt);
      g_autofree char *key = g_strdup_printf ("%s/%u", a->consent_uuid, a->number);
      g_autofree char *computed = _ck_store_hash_attempt (a);
      const char *sealed = g_hash_table_lookup (seals, key);

      if (sealed == NULL)
        problem (problems, _("Verification attempt %u of consent %s has no sealing event: it was "
                             "added outside the kiosk."), a->number, a->consent_uuid);
      else if (!g_str_equal (sealed, computed))
        problem (problems, _("Verification attempt %u of consent %s was edited: it does not match "
                             "its seal."), a->number, a->consent_uuid);
      g_hash_table_remove (seals, key);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seals);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      problem (problems, _("The verification attempt %s was deleted: the chain holds its seal."),
               (const char *)key);
  }

  return TRUE;
}

/* For check: each purge's rows in the ledger of purged calls are the ones
 * its event counted and hashed, and no row claims a purge that kept none. */
static gboolean
check_ledger (CkStore    *self,
              GPtrArray  *problems,
              GError    **error)
{
  g_autoptr(GHashTable) ledgers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 n_added = 0;
  int rc;

  if (self->schema_version < 5)
    return TRUE;

  if (!(stmt = _ck_store_prepare (self, "SELECT seq, detail FROM events WHERE kind = 'purge' ORDER BY seq",
                                  error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *detail = (const char *)sqlite3_column_text (stmt, 1);
      g_autofree char *sealed = NULL;
      g_autofree char *sha256 = NULL;
      guint64 n_sealed;
      guint n_rows;

      /* Purges before schema 5 kept no ledger. */
      if (!_ck_store_detail_read_ledger (detail, &n_sealed, &sealed))
        continue;
      g_hash_table_add (ledgers, g_memdup2 (&seq, sizeof seq));

      if (!_ck_store_ledger_digest (self, seq, &n_rows, &sha256, error))
        return FALSE;
      if (n_sealed != n_rows || !g_str_equal (sealed, sha256))
        {
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

          problem (problems, _("The paid calls that purge %s kept for the usage count were edited, "
                               "added or deleted: they do not match the purge's record."), seq_text);
        }
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Rows that claim a purge that kept no ledger. */
  if (!(stmt = _ck_store_prepare (self, "SELECT purge_seq, count (*) FROM purged_calls GROUP BY purge_seq",
                                  error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      if (!g_hash_table_contains (ledgers, &seq))
        n_added += sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  if (n_added > 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, n_added);

      problem (problems,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s paid call in the usage count was added outside a purge.",
                            "%s paid calls in the usage count were added outside a purge.",
                            (gulong)MIN (n_added, G_MAXULONG)),
               n);
    }

  return TRUE;
}

/* For check: the database against the copy of its head (ck-store-head.c);
 * stores before schema 7 had none. A database from a backup has none. */
static gboolean
check_head (CkStore    *self,
            GPtrArray  *problems,
            GError    **error)
{
  g_autofree char *problem = NULL;
  CkStoreError code;
  gboolean missing;

  if (self->head_path == NULL)
    return TRUE;
  if (!_ck_store_head_compare (self, &problem, &missing, &code, error))
    return FALSE;
  if (problem && !(missing && self->schema_version < 7))
    g_ptr_array_add (problems, g_steal_pointer (&problem));

  return TRUE;
}

/**
 * ck_store_set_trust:
 * @self: a #CkStore
 * @ca_file: (nullable): the CA certificates (PEM) the organisation's seal
 *   chains to: [signing] ca_file
 * @tsa_ca_file: (nullable): the TSA's CA certificates: [signing] tsa_ca_file
 *
 * What `check` trusts. With @ca_file it verifies every PDF's seal and
 * timestamps, every anchor's and sealed purge's CMS, and whether each
 * consent has a trusted time; without it, only the hashes of revisions,
 * anchors and purges (docs/STORAGE.md, "What check proves").
 */
void
ck_store_set_trust (CkStore    *self,
                    const char *ca_file,
                    const char *tsa_ca_file)
{
  g_return_if_fail (CK_IS_STORE (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_free (self->tsa_ca_file);
  self->tsa_ca_file = g_strdup (tsa_ca_file);
}

/**
 * ck_store_dup_check_warnings:
 * @self: a #CkStore
 *
 * What the last check found that is not (yet) a problem: consents of the
 * last day without a trusted time, say.
 *
 * Returns: (transfer full): one translated sentence a warning; empty
 *   before a check
 */
GStrv
ck_store_dup_check_warnings (CkStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  for (guint i = 0; self->check_warnings && i < self->check_warnings->len; i++)
    g_strv_builder_add (builder, self->check_warnings->pdata[i]);

  return g_strv_builder_end (builder);
}

/* The hash a link has as the check recomputed it, for the anchors. */
typedef struct
{
  GPtrArray *links;      /* Link, by seq */
  GHashTable *purged;
} LinkLookup;

static const char *
lookup_link (gint64   seq,
             gpointer user_data)
{
  LinkLookup *lookup = user_data;
  guint lo = 0, hi = lookup->links->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const Link *link = lookup->links->pdata[mid];

      if (link->seq == seq)
        return link->computed;
      if (link->seq < seq)
        lo = mid + 1;
      else
        hi = mid;
    }

  return g_hash_table_lookup (lookup->purged, &seq);
}

/**
 * ck_store_check:
 * @self: a #CkStore
 * @error: a #GError in the %CK_STORE_ERROR domain, if the check could
 *   not run at all
 *
 * ck_store_check_full() without progress reports.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): one translated
 *   sentence a problem; empty when the store is intact
 */
GPtrArray *
ck_store_check (CkStore  *self,
                GError  **error)
{
  return ck_store_check_full (self, NULL, NULL, error);
}

/**
 * ck_store_check_full:
 * @self: a #CkStore
 * @progress: (nullable): told how many consents are checked, of how many
 * @progress_data: for @progress
 * @error: a #GError in the %CK_STORE_ERROR domain, if the check could
 *   not run at all
 *
 * Recomputes every PDF's hash and every link of the chain and compares
 * the PDF folder with the rows. Finds a flipped byte in a PDF, an edited
 * field, a row deleted from the middle, a deleted PDF and an extra PDF.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): one translated
 *   sentence a problem; empty when the store is intact
 */
GPtrArray *
ck_store_check_full (CkStore         *self,
                     CkProgressFunc   progress,
                     gpointer         progress_data,
                GError  **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (link_free);
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) purged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  const char *expected_prev = GENESIS_HASH;
  gint64 expected_seq = 1, head_seq = 0;
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CkStoreSealCheck) seal = NULL;
  LinkLookup lookup;
  gint64 total = 0, done = 0;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  g_clear_pointer (&self->check_warnings, g_ptr_array_unref);
  if (!(seal = _ck_store_seal_check_new (self, problems, error)))
    return NULL;

  if (progress)
    {
      if ((total = ck_store_count (self, error)) < 0)
        return NULL;
      progress (0, total, progress_data);
    }

  /* Consents: their PDFs and their links. */
  if (!(stmt = _ck_store_prepare (self, "SELECT " CONSENT_COLUMNS " FROM consents", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CkConsentRecord) r = _ck_store_read_consent (stmt);
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(GError) read_error = NULL;
      Link *link = g_new0 (Link, 1);

      link->seq = r->seq;
      link->prev_hash = g_strdup (r->prev_hash);
      link->row_hash = g_strdup (r->row_hash);
      link->computed = _ck_store_hash_consent (r);
      link->label = g_strdup_printf (_("consent %s"), r->uuid);
      g_ptr_array_add (links, link);
      g_hash_table_add (paths, g_strdup (r->pdf_path));

      if (!(contents = _ck_store_read_file (self, r->pdf_path, &read_error)))
        {
          if (g_error_matches (read_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND))
            problem (problems, _("The PDF of consent %s (%s) is missing."), r->uuid, r->pdf_path);
          else
            g_ptr_array_add (problems, g_strdup (read_error->message));
        }
      else
        /* Its hash and its revisions', and its seal: read once. */
        _ck_store_seal_check_pdf (seal, r, contents, problems);
      if (progress && ++done % 256 == 0)
        progress (done, MAX (total, done), progress_data);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Events: their links, and the links purges cut. */
  if (!(stmt = _ck_store_prepare (self, "SELECT seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash "
                              "FROM events", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CkStoreEvent e = { 0 };
      Link *link = g_new0 (Link, 1);

      e.seq = sqlite3_column_int64 (stmt, 0);
      e.at = (char *)sqlite3_column_text (stmt, 1);
      e.kind = (char *)sqlite3_column_text (stmt, 2);
      e.consent_uuid = (char *)sqlite3_column_text (stmt, 3);
      e.operator_name = (char *)sqlite3_column_text (stmt, 4);
      e.detail = (char *)sqlite3_column_text (stmt, 5);
      e.prev_hash = (char *)sqlite3_column_text (stmt, 6);
      e.row_hash = (char *)sqlite3_column_text (stmt, 7);

      link->seq = e.seq;
      link->prev_hash = g_strdup (e.prev_hash);
      link->row_hash = g_strdup (e.row_hash);
      link->computed = _ck_store_hash_event (&e);
      {
        g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e.seq);

        link->label = g_strdup_printf (_("event %s (%s)"), seq, e.kind);
      }
      g_ptr_array_add (links, link);

      if (g_strcmp0 (e.kind, "purge") == 0)
        _ck_store_collect_purged (e.detail, purged, NULL);
      _ck_store_seal_check_event (seal, &e, problems);
    }
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Walk the chain in order. */
  g_ptr_array_sort (links, link_compare);
  for (guint i = 0; i < links->len; i++)
    {
      const Link *link = links->pdata[i];

      /* Links a purge cut stand in for their rows. */
      while (expected_seq < link->seq)
        {
          const char *cut = g_hash_table_lookup (purged, &expected_seq);

          if (cut == NULL)
            {
              g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, expected_seq);

              problem (problems, _("Record %s is missing from the chain before %s: a row "
                                   "was deleted."),
                       seq, link->label);
              expected_prev = NULL;
              expected_seq = link->seq;
              break;
            }
          expected_prev = cut;
          expected_seq++;
        }

      if (g_strcmp0 (link->computed, link->row_hash) != 0)
        problem (problems, _("The %s was edited: its contents do not match its hash."), link->label);
      else if (expected_prev && g_strcmp0 (link->prev_hash, expected_prev) != 0)
        problem (problems, _("The chain is broken at %s: it does not follow the record "
                             "before it."), link->label);

      expected_prev = link->row_hash;
      expected_seq = link->seq + 1;
    }

  /* The head the store recorded matches the last link. */
  if (!(stmt = _ck_store_prepare (self, "SELECT seq, hash FROM chain WHERE id = 1", error)))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      head_seq = sqlite3_column_int64 (stmt, 0);
      head_hash = _ck_store_column_text (stmt, 1);
    }
  while (expected_seq <= head_seq && g_hash_table_lookup (purged, &expected_seq))
    {
      expected_prev = g_hash_table_lookup (purged, &expected_seq);
      expected_seq++;
    }
  if (head_seq != expected_seq - 1 || (expected_prev && g_strcmp0 (head_hash, expected_prev) != 0))
    {
      g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, expected_seq - 1);
      g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT, head_seq);

      problem (problems, _("The last record of the chain (%s) is not the recorded head (%s): "
                           "records were deleted from the end."),
               last, head);
    }

  /* Anchors against the chain as recomputed, purges against anchors. */
  lookup.links = links;
  lookup.purged = purged;
  _ck_store_seal_check_chain (seal, lookup_link, &lookup, problems);
  if (!_ck_store_check_receipts (self, lookup_link, &lookup, problems, error))
    return NULL;

  if (!check_attempts (self, problems, error) || !_ck_store_check_derived (self, problems, error) ||
      !check_ledger (self, problems, error) || !check_head (self, problems, error) ||
      !_ck_store_check_integrity (self, problems, error) || !_ck_store_check_objects (self, problems, error) ||
      !_ck_store_check_types (self, problems, error))
    return NULL;

  /* Files nobody recorded. */
  account_for_files (self, paths, extras, problems);
  if (extras->len > 0 && !confirm_extras (self, extras, problems, error))
    return NULL;

  if (!_ck_store_seal_check_finish (seal, problems, warnings, error))
    return NULL;
  self->check_warnings = g_steal_pointer (&warnings);

  if (progress)
    progress (done, MAX (total, done), progress_data);

  return g_steal_pointer (&problems);
}
