/* ck-central-check.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `consentctl central check`: re-proves, in C, everything the archive's
 * constraints are meant to guarantee, so that an archive whose constraints
 * were dropped or whose rows were changed by its superuser is caught. For
 * each kiosk, in one snapshot (REPEATABLE READ):
 *
 *   - the chain's links run from 1 without a gap, each naming the hash of
 *     the one before;
 *   - each consent's and event's row, hashed again with the store's own
 *     canonical forms (ck-store-chain-private.h), gives its link's hash;
 *   - each consent's PDF hashes to the SHA-256 and size its record holds,
 *     each revision's to what its pdf-revision event records;
 *   - each attempt hashes to the SHA-256 its verification event records;
 *   - each 'cut' link (purged on the kiosk before it was synced) is named
 *     with its hash by a later purge event of the kiosk;
 *   - each consent link without its record was emptied by a central purge
 *     (ck.central_purges names it with its hash);
 *
 * and every conflict a kiosk reported (ck.sync_conflicts) is a problem.
 * Rows are read one at a time, PDFs hashed as they come: memory holds one
 * row, and per kiosk the links purges name. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-central-private.h"
#include "ck-central-query.h"
#include "ck-store-chain-private.h"

typedef struct
{
  CkCentral *central;
  const char *kiosk_id;
  GPtrArray *problems;
  CkCentralCheckCounts *counts;
  gint64 last_seq;        /* the last link read; 0 before the first */
  char *last_hash;
  GHashTable *covered;    /* "seq:hash" of the links central purges emptied */
  GHashTable *cuts;       /* seq → hash of the 'cut' links */
  GHashTable *named;      /* seq → hash of the links the kiosk's purge events name */
  gint64 last_purge;      /* the last purge event's link; 0 before any */
} KioskCheck;

static void
kiosk_check_clear (KioskCheck *check)
{
  g_clear_pointer (&check->last_hash, g_free);
  g_clear_pointer (&check->covered, g_hash_table_unref);
  g_clear_pointer (&check->cuts, g_hash_table_unref);
  g_clear_pointer (&check->named, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KioskCheck, kiosk_check_clear)

static void problem (KioskCheck *check,
                     gint64      seq,
                     const char *format,
                     ...) G_GNUC_PRINTF (3, 4);

/* Adds "Kiosk K, link N: …" to the problems. */
static void
problem (KioskCheck *check,
         gint64      seq,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->problems,
                   g_strdup_printf (_("Kiosk %s, link %lld: %s"), check->kiosk_id, (long long)seq, what));
}

static char *
link_key (gint64      seq,
          const char *hash)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%s", seq, hash);
}

/* The links central purges emptied, of this kiosk. */
static gboolean
load_covered (KioskCheck  *check,
              GError     **error)
{
  const char *values[] = { check->kiosk_id };
  g_autoptr(PGresult) result = NULL;

  if (!(result = _ck_central_exec_binary (check->central,
                                          "SELECT x->>1, x->>2 FROM ck.central_purges p, "
                                          "jsonb_array_elements (p.links) x WHERE x->>0 = $1",
                                          1, values, error)))
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_add (check->covered, link_key (_ck_central_get_int (result, row, 0),
                                                _ck_central_get_text (result, row, 1)));

  return TRUE;
}

/* --- pass 1: the links, their rows and their PDFs ------------------------ */

enum
{
  COL_SEQ,
  COL_KIND,
  COL_HASH,
  COL_PREV_HASH,
  COL_CONSENT,
  COL_EVENT = COL_CONSENT + CK_CENTRAL_N_CONSENT_COLUMNS,
  COL_PDF = COL_EVENT + CK_CENTRAL_N_EVENT_COLUMNS,
  COL_PDF_UUID,
  COL_PDF_DATA,
  COL_REVISED_CONSENT_KEPT,
};

static const char links_sql[] =
  "SELECT l.seq::text, l.kind, l.hash, l.prev_hash, " CK_CENTRAL_CONSENT_COLUMNS ", "
  CK_CENTRAL_EVENT_COLUMNS ", (p.seq IS NOT NULL)::text, p.consent_uuid, p.data, "
  "(e.kind = 'pdf-revision' AND EXISTS (SELECT 1 FROM ck.consents r WHERE r.kiosk_id = l.kiosk_id "
  "AND r.uuid = e.consent_uuid))::text "
  "FROM ck.links l "
  "LEFT JOIN ck.consents c ON c.kiosk_id = l.kiosk_id AND c.seq = l.seq "
  "LEFT JOIN ck.events e ON e.kiosk_id = l.kiosk_id AND e.seq = l.seq "
  "LEFT JOIN ck.pdfs p ON p.kiosk_id = l.kiosk_id AND p.seq = l.seq "
  "WHERE l.kiosk_id = $1 ORDER BY l.seq";

/* The PDF of this row against @sha256 and @size. */
static gboolean
pdf_matches (KioskCheck *check,
             PGresult   *result,
             int         row,
             const char *sha256,
             gint64      size)
{
  g_autofree char *computed = NULL;
  gsize length = (gsize)PQgetlength (result, row, COL_PDF_DATA);

  check->counts->pdfs++;
  computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)PQgetvalue (result, row, COL_PDF_DATA),
                                          length);

  return (gint64)length == size && g_strcmp0 (computed, sha256) == 0;
}

static void
check_consent (KioskCheck  *check,
               PGresult    *result,
               int          row,
               gint64       seq,
               const char  *hash,
               const char  *prev)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autofree char *computed = NULL;
  gboolean has_pdf = _ck_central_get_bool (result, row, COL_PDF);

  if (PQgetisnull (result, row, COL_CONSENT))
    {
      g_autofree char *key = link_key (seq, hash);

      if (!g_hash_table_contains (check->covered, key))
        problem (check, seq, _("the consent's record is missing, and no central purge emptied this link."));
      return;
    }

  check->counts->consents++;
  record = _ck_central_read_consent (result, row, COL_CONSENT);
  computed = _ck_store_hash_consent (record);
  if (g_strcmp0 (computed, hash) != 0 || g_strcmp0 (record->prev_hash, prev) != 0 ||
      g_strcmp0 (record->row_hash, hash) != 0)
    problem (check, seq, _("the record of consent %s does not match the link's hash: it was changed in "
                           "the archive."),
             record->uuid);

  if (!has_pdf)
    problem (check, seq, _("the PDF of consent %s is missing."), record->uuid);
  else if (g_strcmp0 (_ck_central_get_text (result, row, COL_PDF_UUID), record->uuid) != 0)
    problem (check, seq, _("the PDF of consent %s is filed under consent %s."), record->uuid,
             _ck_central_get_text (result, row, COL_PDF_UUID));
  else if (!pdf_matches (check, result, row, record->pdf_sha256, record->pdf_size))
    problem (check, seq, _("the PDF of consent %s does not match the SHA-256 and size its record holds: "
                           "it was changed in the archive."),
             record->uuid);
}

static void
check_event (KioskCheck  *check,
             PGresult    *result,
             int          row,
             gint64       seq,
             const char  *hash,
             const char  *prev)
{
  g_autoptr(CkStoreEvent) event = NULL;
  g_autofree char *computed = NULL;
  gboolean has_pdf = _ck_central_get_bool (result, row, COL_PDF);

  if (PQgetisnull (result, row, COL_EVENT))
    {
      problem (check, seq, _("the event's record is missing."));
      return;
    }

  check->counts->events++;
  event = _ck_central_read_event (result, row, COL_EVENT);
  computed = _ck_store_hash_event (event);
  if (g_strcmp0 (computed, hash) != 0 || g_strcmp0 (event->prev_hash, prev) != 0 ||
      g_strcmp0 (event->row_hash, hash) != 0)
    problem (check, seq, _("the record of the %s event does not match the link's hash: it was changed "
                           "in the archive."),
             event->kind);

  if (g_strcmp0 (event->kind, "purge") == 0)
    {
      g_autoptr(GHashTable) named = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer key, value;

      /* Only links before the purge: it cannot name what came after it. */
      check->last_purge = seq;
      _ck_store_collect_purged (event->detail, named, NULL);
      g_hash_table_iter_init (&iter, named);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (*(gint64 *)key < seq)
          {
            g_hash_table_iter_steal (&iter);
            g_hash_table_replace (check->named, key, value);
          }
    }

  if (g_strcmp0 (event->kind, "pdf-revision") == 0)
    {
      g_auto(CkStoreRevision) revision = { 0 };

      if (!_ck_store_detail_read_revision (event->detail, &revision))
        problem (check, seq, _("the pdf-revision event of consent %s does not say which PDF it made."),
                 event->consent_uuid ? event->consent_uuid : "—");
      else if (!has_pdf)
        {
          /* Purged with its consent, on the kiosk or centrally. */
          if (_ck_central_get_bool (result, row, COL_REVISED_CONSENT_KEPT))
            problem (check, seq, _("the PDF revision of consent %s is missing."), event->consent_uuid);
        }
      else if (g_strcmp0 (_ck_central_get_text (result, row, COL_PDF_UUID), event->consent_uuid) != 0)
        problem (check, seq, _("the PDF of consent %s is filed under consent %s."), event->consent_uuid,
                 _ck_central_get_text (result, row, COL_PDF_UUID));
      else if (!pdf_matches (check, result, row, revision.sha256, revision.size))
        problem (check, seq, _("the PDF revision of consent %s does not match the SHA-256 and size its "
                               "event records: it was changed in the archive."),
                 event->consent_uuid);
    }
  else if (has_pdf)
    problem (check, seq, _("a PDF is filed at this link, which is neither a consent nor a PDF revision."));
}

static gboolean
check_link (PGresult  *result,
            int        row,
            gpointer   user_data,
            GError   **error)
{
  KioskCheck *check = user_data;
  gint64 seq = _ck_central_get_int (result, row, COL_SEQ);
  const char *kind = _ck_central_get_text (result, row, COL_KIND);
  const char *hash = _ck_central_get_text (result, row, COL_HASH);
  const char *prev_hash = _ck_central_get_text (result, row, COL_PREV_HASH);
  /* What the link's record names as the one before. */
  const char *prev = prev_hash ? prev_hash : GENESIS_HASH;

  check->counts->links++;

  if (seq != check->last_seq + 1 && check->last_seq == 0)
    problem (check, 1, _("missing: the chain starts at link %lld."), (long long)seq);
  else if (seq != check->last_seq + 1)
    problem (check, check->last_seq + 1,
             _("missing: the chain goes from link %lld to link %lld."),
             (long long)check->last_seq, (long long)seq);
  else if (seq == 1 && prev_hash != NULL)
    problem (check, seq, _("the chain's first link names a link before it."));
  else if (seq > 1 && g_strcmp0 (prev_hash, check->last_hash) != 0)
    problem (check, seq, _("it does not follow link %lld: the hash it names before it is "
                           "not that link's."),
             (long long)check->last_seq);
  check->last_seq = seq;
  g_free (check->last_hash);
  check->last_hash = g_strdup (hash);

  if (g_strcmp0 (kind, "consent") == 0)
    check_consent (check, result, row, seq, hash, prev);
  else if (g_strcmp0 (kind, "event") == 0)
    check_event (check, result, row, seq, hash, prev);
  else
    {
      gint64 key = seq;

      g_hash_table_insert (check->cuts, g_memdup2 (&key, sizeof key), g_strdup (hash));
    }

  return TRUE;
}

/* --- pass 2: the attempts and their seals --------------------------------- */

enum
{
  ACOL_EVENT_SEQ,
  ACOL_EVENT_UUID,
  ACOL_EVENT_DETAIL,
  ACOL_ATTEMPT,
  ACOL_VERIFICATION_SEQ,
  ACOL_CONSENT_SEQ,
  ACOL_ATTEMPT_COLUMNS,
};

/* Every verification event beside the attempt that names it, if any. */
static const char attempts_sql[] =
  "SELECT e.seq::text, e.consent_uuid, e.detail, (a.kiosk_id IS NOT NULL)::text, a.verification_seq::text, "
  "(SELECT c.seq::text FROM ck.consents c WHERE c.kiosk_id = $1 AND "
  "c.uuid = coalesce (a.consent_uuid, e.consent_uuid)), " CK_CENTRAL_ATTEMPT_COLUMNS " "
  "FROM (SELECT * FROM ck.events WHERE kiosk_id = $1 AND kind = 'verification') e "
  "FULL JOIN (SELECT * FROM ck.attempts WHERE kiosk_id = $1) a ON a.verification_seq = e.seq "
  "ORDER BY coalesce (e.seq, a.verification_seq), a.number";

static gboolean
check_attempt (PGresult  *result,
               int        row,
               gpointer   user_data,
               GError   **error)
{
  KioskCheck *check = user_data;
  gboolean has_event = !PQgetisnull (result, row, ACOL_EVENT_SEQ);
  gboolean has_attempt = _ck_central_get_bool (result, row, ACOL_ATTEMPT);
  gboolean consent_kept = !PQgetisnull (result, row, ACOL_CONSENT_SEQ);
  gint64 consent_seq = _ck_central_get_int (result, row, ACOL_CONSENT_SEQ);
  g_autoptr(CkVerifyAttempt) attempt = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *computed = NULL;
  guint number = 0;

  if (!has_attempt)
    {
      gint64 seq = _ck_central_get_int (result, row, ACOL_EVENT_SEQ);

      /* Its consent purged (on the kiosk, before the attempt was synced,
       * or centrally) took the attempt with it. */
      if (consent_kept && !g_hash_table_contains (check->named, &consent_seq))
        problem (check, seq, _("the attempt this verification event seals is missing."));
      return TRUE;
    }

  check->counts->attempts++;
  attempt = _ck_central_read_attempt (result, row, ACOL_ATTEMPT_COLUMNS);
  if (!has_event ||
      g_strcmp0 (_ck_central_get_text (result, row, ACOL_EVENT_UUID), attempt->consent_uuid) != 0 ||
      !_ck_store_detail_read_seal (_ck_central_get_text (result, row, ACOL_EVENT_DETAIL), &number, &sealed) ||
      number != attempt->number)
    {
      problem (check, _ck_central_get_int (result, row, ACOL_VERIFICATION_SEQ),
               _("attempt %u of consent %s names this link as its seal, but it is no verification event "
                 "of that attempt."),
               attempt->number, attempt->consent_uuid);
      return TRUE;
    }

  /* A central purge empties the bodies of its consents' attempts: their
   * hashes cannot be recomputed, and the purge is what is checked. */
  if (!consent_kept)
    return TRUE;
  computed = _ck_store_hash_attempt (attempt);
  if (g_strcmp0 (computed, sealed) != 0)
    problem (check, _ck_central_get_int (result, row, ACOL_VERIFICATION_SEQ),
             _("attempt %u of consent %s does not match the SHA-256 its verification event records: it "
               "was changed in the archive."),
             attempt->number, attempt->consent_uuid);

  return TRUE;
}

/* --- the kiosks ------------------------------------------------------------- */

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static gboolean
check_kiosk (CkCentral             *self,
             const char            *kiosk_id,
             CkCentralCheckCounts  *counts,
             GPtrArray             *problems,
             GError               **error)
{
  const char *values[] = { kiosk_id };
  g_auto(KioskCheck) check = { 0 };
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key, value;

  check.central = self;
  check.kiosk_id = kiosk_id;
  check.problems = problems;
  check.counts = counts;
  check.covered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check.cuts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  check.named = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  if (!load_covered (&check, error) ||
      !_ck_central_foreach_row (self, links_sql, 1, values, check_link, &check, NULL, error) ||
      !_ck_central_foreach_row (self, attempts_sql, 1, values, check_attempt, &check, NULL, error))
    return FALSE;

  /* Each cut link, named with its hash by a later purge event. */
  g_hash_table_iter_init (&iter, check.cuts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *named = g_hash_table_lookup (check.named, key);

      if (g_strcmp0 (named, value) != 0)
        g_array_append_val (cuts, *(gint64 *)key);
    }
  g_array_sort (cuts, compare_seq);
  for (guint i = 0; i < cuts->len; i++)
    {
      gint64 seq = g_array_index (cuts, gint64, i);

      /* A batch may end between a cut link and the purge that names it:
       * say so, it is still a problem until the next batch comes. */
      if (check.last_purge > seq)
        problem (&check, seq, _("the kiosk purged this link before syncing it, but no later purge event of "
                                "the kiosk names it with this hash."));
      else
        problem (&check, seq, _("the kiosk purged this link before syncing it, and no purge event naming it "
                                "has reached the archive: if the kiosk's next sync does not bring one, the "
                                "link was forged."));
    }

  return TRUE;
}

/* Each conflict a kiosk reported. */
static gboolean
check_conflicts (CkCentral   *self,
                 const char  *kiosk_filter,
                 const char  *branch_filter,
                 GPtrArray   *problems,
                 GError     **error)
{
  const char *values[] = { kiosk_filter, branch_filter };
  g_autoptr(PGresult) result = NULL;

  if (!(result = _ck_central_exec_binary (self, "SELECT s.kiosk_id, s.seq::text, "
                                                "to_char (s.reported_at AT TIME ZONE 'UTC', "
                                                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), s.message "
                                                "FROM ck.sync_conflicts s JOIN ck.kiosks k ON k.kiosk_id = s.kiosk_id "
                                                "WHERE ($1::text IS NULL OR s.kiosk_id = $1) "
                                                "AND ($2::text IS NULL OR k.branch = $2) ORDER BY s.id",
                                          2, values, error)))
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      KioskCheck check = { .kiosk_id = _ck_central_get_text (result, row, 0), .problems = problems };

      problem (&check, _ck_central_get_int (result, row, 1), _("the kiosk reported a sync conflict at %s: %s"),
               _ck_central_get_text (result, row, 2), _ck_central_get_text (result, row, 3));
    }

  return TRUE;
}

/**
 * ck_central_check_full:
 * @self: a #CkCentral, connected as a role of ck_staff (or one that reads
 *   the whole archive)
 * @kiosk_filter: (nullable): only this kiosk
 * @branch_filter: (nullable): only the kiosks of this branch
 * @counts: (out caller-allocates) (optional): what was checked
 * @problems: (out) (transfer full) (element-type utf8): one translated
 *   sentence a problem, naming the kiosk and the link; empty when the
 *   archive is intact
 * @error: a #GError in the %CK_CENTRAL_ERROR domain: the archive could not
 *   be read (not a problem found in it)
 *
 * Re-proves every kiosk's chain, row, PDF and attempt in C (the list at the
 * top of this file), in one snapshot of the archive. Changes nothing.
 *
 * Returns: %TRUE when the archive could be checked (whatever was found)
 */
gboolean
ck_central_check_full (CkCentral             *self,
                       const char            *kiosk_filter,
                       const char            *branch_filter,
                       CkCentralCheckCounts  *counts,
                       GPtrArray            **problems,
                       GError               **error)
{
  const char *values[] = { kiosk_filter, branch_filter };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) kiosks = NULL;
  CkCentralCheckCounts done = { 0 };

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  if (!_ck_central_command (self, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", error))
    return FALSE;
  if (!(kiosks = _ck_central_exec_binary (self, "SELECT kiosk_id FROM ck.kiosks "
                                                "WHERE ($1::text IS NULL OR kiosk_id = $1) "
                                                "AND ($2::text IS NULL OR branch = $2) ORDER BY kiosk_id",
                                          2, values, &local_error)))
    goto failed;
  if (PQntuples (kiosks) == 0 && (kiosk_filter || branch_filter))
    {
      if (kiosk_filter && branch_filter)
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                     _("The central archive has no kiosk %s of the branch %s."), kiosk_filter, branch_filter);
      else if (kiosk_filter)
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                     _("The central archive has no kiosk %s."), kiosk_filter);
      else
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                     _("The central archive has no kiosk of the branch %s."), branch_filter);
      goto failed;
    }

  for (int row = 0; row < PQntuples (kiosks); row++)
    {
      if (!check_kiosk (self, PQgetvalue (kiosks, row, 0), &done, found, &local_error))
        goto failed;
      done.kiosks++;
    }
  if (!check_conflicts (self, kiosk_filter, branch_filter, found, &local_error) ||
      !_ck_central_command (self, "COMMIT", &local_error))
    goto failed;

  if (counts)
    *counts = done;
  *problems = g_steal_pointer (&found);
  return TRUE;

failed:
  _ck_central_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_central_check:
 * @self: a #CkCentral
 * @kiosk_filter: (nullable): only this kiosk
 * @branch_filter: (nullable): only the kiosks of this branch
 * @problems: (out) (transfer full) (element-type utf8): what is wrong
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * ck_central_check_full() without the counts.
 */
gboolean
ck_central_check (CkCentral   *self,
                  const char  *kiosk_filter,
                  const char  *branch_filter,
                  GPtrArray  **problems,
                  GError     **error)
{
  return ck_central_check_full (self, kiosk_filter, branch_filter, NULL, problems, error);
}
