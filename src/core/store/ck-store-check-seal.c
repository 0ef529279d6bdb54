/* ck-store-check-seal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What `consentctl check` verifies of sealed consents (docs/STORAGE.md,
 * "Sealed consents"), in the passes ck-store-check.c already makes:
 *
 *   - each PDF against its revisions: the first pdf_size bytes hash to the
 *     consent's row, each 'pdf-revision' event starts where the one before
 *     ended, and the whole file hashes to the latest (read once, hashed
 *     once: the digest is taken at each revision's end on the way);
 *   - with trust files (ck_store_set_trust ()): each PDF's seal through
 *     ck_seal_verify_pdf(), in the same pass that reads the PDF; its
 *     consent id and name against the row; an unsealed PDF without a
 *     'seal' job among sealed ones; the trusted time of each consent;
 *   - each anchor: its CMS over ck_store_anchor_data () (with trust
 *     files), and the hash the chain check recomputed at the anchored link
 *     against the anchored hash: a chain rewritten before an anchor no
 *     longer matches it;
 *   - each purge that erased links an earlier anchor covered carries a
 *     seal over its record (verified with trust files).
 *
 * Memory stays linear in the consents: a few numbers a consent at most,
 * and the PDFs one at a time. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ck-seal.h"
#include "ck-seal-verify.h"
#include "ck-store-impl-private.h"

/* A consent with no trusted time yet is a warning for this long after it
 * was signed, then a problem. */
#define COVER_GRACE_US (G_TIME_SPAN_DAY)

/* At most this many ids are named in one sentence. */
#define MAX_NAMED 10

typedef struct
{
  gint64 event_seq;
  gint64 seq;          /* the link it anchors */
  char *hash;
  GBytes *cms;
  gboolean timed;      /* its CMS verified, with a TSA's time */
} Anchor;

typedef struct
{
  gint64 event_seq;
  char *before;
  GArray *links;       /* CkStoreCut, by seq */
  GBytes *seal;
} Purge;

typedef struct
{
  gint64 seq;
  gint64 created_us;
} Uncovered;

struct _CkStoreSealCheck
{
  CkStore *store;
  gboolean trusted;            /* trust files given: verify seals */
  gboolean trust_failed;       /* … and one cannot be read: said once */

  GHashTable *revisions;       /* uuid → GPtrArray of CkStoreRevision, in order */
  GHashTable *seal_jobs;       /* uuids with a 'seal' job */
  GPtrArray *anchors;          /* Anchor, by event seq */
  GPtrArray *purges;           /* Purge, by event seq */

  gint64 first_sealed;         /* seq of the first sealed consent, 0 if none */
  gint64 last_sealed;
  GArray *unsealed;            /* seqs of unsealed consents without a job */
  GPtrArray *unsealed_uuids;   /* … and their ids */
  GArray *uncovered;           /* Uncovered */
  GPtrArray *appended;         /* CkConsentRecord: longer than recorded */
};

static void
anchor_free (gpointer data)
{
  Anchor *anchor = data;

  g_free (anchor->hash);
  g_clear_pointer (&anchor->cms, g_bytes_unref);
  g_free (anchor);
}

static void
purge_free (gpointer data)
{
  Purge *purge = data;

  g_free (purge->before);
  g_clear_pointer (&purge->links, g_array_unref);
  g_clear_pointer (&purge->seal, g_bytes_unref);
  g_free (purge);
}

static void
revision_free (gpointer data)
{
  _ck_store_revision_clear (data);
  g_free (data);
}

void
_ck_store_seal_check_free (CkStoreSealCheck *check)
{
  if (check == NULL)
    return;

  g_clear_pointer (&check->revisions, g_hash_table_unref);
  g_clear_pointer (&check->seal_jobs, g_hash_table_unref);
  g_clear_pointer (&check->anchors, g_ptr_array_unref);
  g_clear_pointer (&check->purges, g_ptr_array_unref);
  g_clear_pointer (&check->unsealed, g_array_unref);
  g_clear_pointer (&check->unsealed_uuids, g_ptr_array_unref);
  g_clear_pointer (&check->uncovered, g_array_unref);
  g_clear_pointer (&check->appended, g_ptr_array_unref);
  g_free (check);
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

static char *
seq_text (gint64 seq)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, seq);
}

/* The revisions of every PDF, from their events, in order; a record that
 * does not read as one is a problem. */
static gboolean
load_revisions (CkStoreSealCheck  *check,
                GPtrArray         *problems,
                GError           **error)
{
  CkStore *self = check->store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _ck_store_prepare (self, "SELECT seq, consent_uuid, detail FROM events "
                                        "WHERE kind = 'pdf-revision' ORDER BY seq", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 1);
      CkStoreRevision *revision = g_new0 (CkStoreRevision, 1);
      GPtrArray *list;

      if (uuid == NULL ||
          !_ck_store_detail_read_revision ((const char *)sqlite3_column_text (stmt, 2), revision))
        {
          g_autofree char *seq = seq_text (sqlite3_column_int64 (stmt, 0));

          problem (problems, _("The PDF revision recorded by event %s is damaged: it names no "
                               "consent, hash or size."), seq);
          revision_free (revision);
          continue;
        }
      if (!(list = g_hash_table_lookup (check->revisions, uuid)))
        {
          list = g_ptr_array_new_with_free_func (revision_free);
          g_hash_table_insert (check->revisions, g_strdup (uuid), list);
        }
      g_ptr_array_add (list, revision);
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

static gboolean
load_seal_jobs (CkStoreSealCheck  *check,
                GError           **error)
{
  CkStore *self = check->store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 8)
    return TRUE;
  if (!(stmt = _ck_store_prepare (self, "SELECT consent_uuid FROM seal_jobs WHERE kind = 'seal'", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (check->seal_jobs, _ck_store_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/**
 * _ck_store_seal_check_new:
 *
 * Before the pass over the consents: their revisions and sealing jobs.
 *
 * Returns: (transfer full) (nullable): the check's state
 */
CkStoreSealCheck *
_ck_store_seal_check_new (CkStore    *self,
                          GPtrArray  *problems,
                          GError    **error)
{
  CkStoreSealCheck *check = g_new0 (CkStoreSealCheck, 1);

  check->store = self;
  check->trusted = self->ca_file != NULL;
  check->revisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  check->seal_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check->anchors = g_ptr_array_new_with_free_func (anchor_free);
  check->purges = g_ptr_array_new_with_free_func (purge_free);
  check->unsealed = g_array_new (FALSE, FALSE, sizeof (gint64));
  check->unsealed_uuids = g_ptr_array_new_with_free_func (g_free);
  check->uncovered = g_array_new (FALSE, FALSE, sizeof (Uncovered));
  check->appended = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_consent_record_free);

  if (!load_revisions (check, problems, error) || !load_seal_jobs (check, error))
    {
      _ck_store_seal_check_free (check);
      return NULL;
    }

  return check;
}

/* Hashes @contents once, comparing the digest at each recorded end: the
 * original (the row), then each revision. */
typedef enum
{
  PDF_INTACT,
  PDF_LONGER,      /* intact up to the latest revision, with bytes after it */
  PDF_CHANGED,
  PDF_BROKEN,      /* the revisions do not follow one another */
} PdfState;

static gboolean
digest_is (GChecksum  *running,
           const char *sha256)
{
  g_autoptr(GChecksum) copy = g_checksum_copy (running);

  return g_strcmp0 (g_checksum_get_string (copy), sha256) == 0;
}

static PdfState
pdf_state (const CkConsentRecord *r,
           GPtrArray             *revisions,
           GBytes                *contents)
{
  g_autoptr(GChecksum) running = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len;
  const guint8 *data = g_bytes_get_data (contents, &len);
  const char *prev_sha256 = r->pdf_sha256;
  gint64 prev_size = r->pdf_size, done = 0;

  /* The revisions follow one another from the original on. */
  for (guint i = 0; revisions && i < revisions->len; i++)
    {
      const CkStoreRevision *revision = revisions->pdata[i];

      if (revision->prev_size != prev_size || g_strcmp0 (revision->prev_sha256, prev_sha256) != 0 ||
          revision->size <= prev_size)
        return PDF_BROKEN;
      prev_sha256 = revision->sha256;
      prev_size = revision->size;
    }

  if ((gint64)len < prev_size || r->pdf_size < 0)
    return PDF_CHANGED;

  g_checksum_update (running, data, (gssize)r->pdf_size);
  done = r->pdf_size;
  if (!digest_is (running, r->pdf_sha256))
    return PDF_CHANGED;
  for (guint i = 0; revisions && i < revisions->len; i++)
    {
      const CkStoreRevision *revision = revisions->pdata[i];

      g_checksum_update (running, data + done, (gssize)(revision->size - done));
      done = revision->size;
      if (!digest_is (running, revision->sha256))
        return PDF_CHANGED;
    }

  return (gint64)len > done ? PDF_LONGER : PDF_INTACT;
}

static gint64
parse_us (const char *iso8601)
{
  g_autoptr(GDateTime) time = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;

  return time ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

/* Whether @pdf has a signature dictionary's /ByteRange anywhere. */
static gboolean
looks_signed (GBytes *pdf)
{
  static const char needle[] = "/ByteRange";
  gsize len;
  const guint8 *data = g_bytes_get_data (pdf, &len);

  for (const guint8 *p = data; len >= sizeof needle - 1 && p <= data + len - (sizeof needle - 1); p++)
    {
      p = memchr (p, '/', (gsize)(data + len - p));
      if (p == NULL || (gsize)(data + len - p) < sizeof needle - 1)
        return FALSE;
      if (memcmp (p, needle, sizeof needle - 1) == 0)
        return TRUE;
    }

  return FALSE;
}

/* With trust files: the seal of a PDF that is as recorded. */
static void
check_seal (CkStoreSealCheck      *check,
            const CkConsentRecord *r,
            GBytes                *contents,
            GPtrArray             *problems)
{
  CkStore *self = check->store;
  g_autoptr(CkSealReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean covered = FALSE;

  report = ck_seal_verify_pdf (contents, self->ca_file, self->tsa_ca_file, &error);
  if (report == NULL && g_error_matches (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE))
    {
      /* Nothing can be verified: said once, not for every consent. */
      if (!check->trust_failed)
        problem (problems, _("The seals cannot be verified: %s"), error->message);
      check->trust_failed = TRUE;
      return;
    }
  if (report == NULL)
    {
      /* Not a PDF the verifier reads: unsealed, unless it looks signed. */
      if (looks_signed (contents))
        problem (problems, _("The seal of consent %s cannot be verified: %s"), r->uuid, error->message);
      else
        goto unsealed;
    }
  else if (report->signed_)
    {
      if (check->first_sealed == 0)
        check->first_sealed = r->seq;
      check->last_sealed = r->seq;

      if (!ck_seal_report_is_ok (report))
        {
          g_autoptr(GString) said = g_string_new (NULL);

          for (guint i = 0; report->problems && i < report->problems->len; i++)
            g_string_append_printf (said, "%s%s", i ? " " : "", (const char *)report->problems->pdata[i]);
          if (said->len == 0)
            g_string_append (said, _("the signature is not valid, not trusted, or does not cover the "
                                     "whole document."));
          problem (problems, _("The seal of consent %s does not hold: %s"), r->uuid, said->str);
        }
      else
        {
          if ((report->consent_id && g_strcmp0 (report->consent_id, r->uuid) != 0) ||
              (report->name && g_strcmp0 (report->name, r->name) != 0))
            problem (problems, _("The sealed PDF of consent %s names another consent or person than "
                                 "its record: the record was edited after the PDF was sealed."),
                     r->uuid);
          for (guint i = 0; report->timestamps && i < report->timestamps->len; i++)
            covered |= ((CkSealTimestamp *)report->timestamps->pdata[i])->valid;
        }
    }
  else
    goto unsealed;

  if (!covered)
    {
      Uncovered u = { r->seq, parse_us (r->created_at) };

      g_array_append_val (check->uncovered, u);
    }
  return;

unsealed:
  if (!g_hash_table_contains (check->seal_jobs, r->uuid))
    {
      g_array_append_val (check->unsealed, r->seq);
      g_ptr_array_add (check->unsealed_uuids, g_strdup (r->uuid));
    }
  {
    Uncovered u = { r->seq, parse_us (r->created_at) };

    g_array_append_val (check->uncovered, u);
  }
}

/**
 * _ck_store_seal_check_pdf:
 * @r: a consent
 * @contents: its PDF as read
 *
 * The PDF against its recorded revisions and, with trust files, its seal.
 */
void
_ck_store_seal_check_pdf (CkStoreSealCheck      *check,
                          const CkConsentRecord *r,
                          GBytes                *contents,
                          GPtrArray             *problems)
{
  GPtrArray *revisions = g_hash_table_lookup (check->revisions, r->uuid);

  switch (pdf_state (r, revisions, contents))
    {
    case PDF_BROKEN:
      problem (problems, _("The revisions recorded for the PDF of consent %s (%s) do not follow one "
                           "another: a revision event was edited, added or deleted."),
               r->uuid, r->pdf_path);
      return;
    case PDF_CHANGED:
      problem (problems, _("The PDF of consent %s (%s) was changed: its SHA-256 is not "
                           "the recorded one."), r->uuid, r->pdf_path);
      return;
    case PDF_LONGER:
      /* A revision being appended, perhaps: looked at again once no
       * revision is under way (_ck_store_seal_check_finish ()). */
      g_ptr_array_add (check->appended, ck_consent_record_copy (r));
      return;
    case PDF_INTACT:
    default:
      break;
    }

  if (check->trusted)
    check_seal (check, r, contents, problems);
}

/**
 * _ck_store_seal_check_event:
 *
 * In the pass over the events: anchors and purges, kept for after the
 * chain is walked.
 */
void
_ck_store_seal_check_event (CkStoreSealCheck   *check,
                            const CkStoreEvent *e,
                            GPtrArray          *problems)
{
  if (g_strcmp0 (e->kind, "anchor") == 0)
    {
      Anchor *anchor = g_new0 (Anchor, 1);

      anchor->event_seq = e->seq;
      if (!_ck_store_detail_read_anchor (e->detail, &anchor->seq, &anchor->hash, &anchor->cms) ||
          anchor->seq >= e->seq)
        {
          g_autofree char *seq = seq_text (e->seq);

          problem (problems, _("Anchor %s is damaged: it does not name an earlier link, its hash and "
                               "its seal."), seq);
          anchor_free (anchor);
          return;
        }
      g_ptr_array_add (check->anchors, anchor);
    }
  else if (g_strcmp0 (e->kind, "purge") == 0)
    {
      Purge *purge = g_new0 (Purge, 1);

      purge->event_seq = e->seq;
      if (!(purge->before = _ck_store_detail_read_purge (e->detail, &purge->links, &purge->seal)))
        {
          purge_free (purge);
          return;
        }
      g_ptr_array_add (check->purges, purge);
    }
}

/* Verifies a CMS over @data with the trust files; %FALSE with @message. */
static gboolean
cms_holds (CkStoreSealCheck  *check,
           GBytes            *data,
           GBytes            *cms,
           gboolean          *timed,
           char             **message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *time = NULL;

  if (!ck_seal_verify_data (data, cms, check->store->ca_file, check->store->tsa_ca_file, &signer, &time,
                            &error))
    {
      *message = g_strdup (error ? error->message : _("the seal does not verify"));
      return FALSE;
    }
  if (timed)
    *timed = time != NULL;
  return TRUE;
}

static char *
name_seqs (GArray *seqs,
           guint   n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < MIN (n, MAX_NAMED); i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? ", " : "", g_array_index (seqs, gint64, i));
  if (n > MAX_NAMED)
    g_string_append (out, ", …");

  return g_string_free (out, FALSE);
}

static gint
anchor_by_link (gconstpointer a,
                gconstpointer b)
{
  const Anchor *x = *(const Anchor * const *)a, *y = *(const Anchor * const *)b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

/**
 * _ck_store_seal_check_chain:
 * @link_hash: the hash the chain check recomputed for a link from its
 *   row (a purged link: the hash its purge recorded); %NULL for none
 *
 * After the chain is walked: each anchor against the recomputed chain and
 * its seal; each purge of anchored links against its seal.
 */
void
_ck_store_seal_check_chain (CkStoreSealCheck  *check,
                            CkStoreLinkHash    link_hash,
                            gpointer           link_data,
                            GPtrArray         *problems)
{
  g_autoptr(GPtrArray) by_link = g_ptr_array_new ();
  gint64 anchored = 0, matched = 0;
  guint next_anchor = 0;

  /* Each anchor's seal, and the chain at the link it anchors. */
  for (guint i = 0; i < check->anchors->len; i++)
    {
      Anchor *anchor = check->anchors->pdata[i];
      g_autofree char *event = seq_text (anchor->event_seq);

      if (check->trusted)
        {
          g_autoptr(GBytes) data = ck_store_anchor_data (anchor->seq, anchor->hash);
          g_autofree char *message = NULL;

          if (!cms_holds (check, data, anchor->cms, &anchor->timed, &message))
            problem (problems, _("The seal of anchor %s does not hold: %s"), event, message);
        }
      g_ptr_array_add (by_link, anchor);
    }

  /* In the order of the links they anchor: the first that no longer
   * matches, and the last before it that does, bound the rewrite. */
  g_ptr_array_sort (by_link, anchor_by_link);
  for (guint i = 0; i < by_link->len; i++)
    {
      const Anchor *anchor = by_link->pdata[i];
      const char *computed = link_hash (anchor->seq, link_data);
      g_autofree char *event = seq_text (anchor->event_seq);
      g_autofree char *link = seq_text (anchor->seq);

      if (g_strcmp0 (computed, anchor->hash) == 0)
        {
          matched = MAX (matched, anchor->seq);
          continue;
        }
      if (matched > 0)
        {
          g_autofree char *good = seq_text (matched);

          problem (problems, _("The chain was rewritten before anchor %s: link %s no longer has the "
                               "hash the anchor sealed. It still matches the anchors up to link %s, so "
                               "the rewrite is after that link."), event, link, good);
        }
      else
        problem (problems, _("The chain was rewritten before anchor %s: link %s no longer has the "
                             "hash the anchor sealed."), event, link);
    }

  /* A purge that erased links an earlier anchor covered is sealed. */
  for (guint i = 0; i < check->purges->len; i++)
    {
      const Purge *purge = check->purges->pdata[i];
      g_autoptr(GArray) covered = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *event = seq_text (purge->event_seq);

      for (; next_anchor < check->anchors->len; next_anchor++)
        {
          const Anchor *anchor = check->anchors->pdata[next_anchor];

          if (anchor->event_seq > purge->event_seq)
            break;
          anchored = MAX (anchored, anchor->seq);
        }

      for (guint j = 0; j < purge->links->len; j++)
        {
          const CkStoreCut *cut = &g_array_index (purge->links, CkStoreCut, j);

          if (cut->seq <= anchored)
            g_array_append_val (covered, cut->seq);
        }
      if (covered->len == 0)
        continue;

      if (purge->seal == NULL)
        {
          g_autofree char *named = name_seqs (covered, covered->len);

          problem (problems,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Record %s was erased by purge %s, which is not sealed: an anchor "
                                "covered it, so a purge of it must carry the seal. The purge was "
                                "forged, or made by a kiosk without its seal.",
                                "Records %s were erased by purge %s, which is not sealed: an anchor "
                                "covered them, so a purge of them must carry the seal. The purge was "
                                "forged, or made by a kiosk without its seal.",
                                covered->len),
                   named, event);
        }
      else if (check->trusted)
        {
          g_autoptr(GBytes) data = _ck_store_purge_data (purge->before, purge->links);
          g_autofree char *message = NULL;

          if (!cms_holds (check, data, purge->seal, NULL, &message))
            problem (problems, _("The seal of purge %s does not hold: %s"), event, message);
        }
    }
}

/* Under the files lock, held exclusive: no revision is being appended.
 * A PDF still longer than its latest revision had bytes put after it. */
static gboolean
recheck_appended (CkStoreSealCheck  *check,
                  GPtrArray         *problems,
                  GError           **error)
{
  CkStore *self = check->store;
  g_autofree char *lock_path = g_build_filename (self->data_dir, "consents.lock", NULL);
  gboolean ok = TRUE;
  int fd;

  if (check->appended->len == 0)
    return TRUE;

  fd = self->lock_fd >= 0 ? self->lock_fd : open (lock_path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    while (flock (fd, LOCK_EX) != 0 && errno == EINTR)
      ;

  for (guint i = 0; ok && i < check->appended->len; i++)
    {
      const CkConsentRecord *r = check->appended->pdata[i];
      g_auto(CkStoreRevision) current = { 0 };
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gboolean revised = FALSE, pending = FALSE;

      if (!(ok = _ck_store_current_revision (self, r->uuid, &current, &revised, error)))
        break;
      if (!(contents = _ck_store_read_file (self, r->pdf_path, NULL)))
        continue;   /* gone since: the main pass saw it; a purge took it */
      if (_ck_store_pdf_matches (contents, r->pdf_sha256, r->pdf_size,
                                 revised ? current.sha256 : r->pdf_sha256, revised ? current.size : r->pdf_size))
        continue;   /* a revision committed meanwhile */

      if (self->schema_version >= 8 &&
          (stmt = _ck_store_prepare (self, "SELECT 1 FROM pending_files WHERE path = ? AND action = 'append'",
                                     NULL)))
        {
          _ck_store_bind_text (stmt, 1, r->pdf_path);
          pending = sqlite3_step (stmt) == SQLITE_ROW;
        }
      if (pending)
        problem (problems, _("The PDF of consent %s (%s) has an unfinished revision after the one the "
                             "store records: it is cut back when the kiosk or consentctl next opens "
                             "the store for writing."), r->uuid, r->pdf_path);
      else
        problem (problems, _("The PDF of consent %s (%s) was changed: bytes were added after the "
                             "revision the store records."), r->uuid, r->pdf_path);
    }

  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      if (fd != self->lock_fd)
        close (fd);
    }

  return ok;
}

/**
 * _ck_store_seal_check_finish:
 * @warnings: where what is short of a problem goes
 *
 * After every pass: PDFs that were longer than recorded, unsealed PDFs
 * among sealed ones, and consents without a trusted time.
 */
gboolean
_ck_store_seal_check_finish (CkStoreSealCheck  *check,
                             GPtrArray         *problems,
                             GPtrArray         *warnings,
                             GError           **error)
{
  gint64 timed_anchor = 0, now_us = g_get_real_time ();
  g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_recent = 0;

  if (!recheck_appended (check, problems, error))
    return FALSE;

  /* An unsealed PDF without a job, between sealed ones: its seal was lost,
   * or it was stored by something other than the kiosk. (Before the first
   * sealed consent are the consents from before sealing was set up.) */
  for (guint i = 0; i < check->unsealed->len; i++)
    {
      gint64 seq = g_array_index (check->unsealed, gint64, i);

      if (check->first_sealed > 0 && seq > check->first_sealed && seq < check->last_sealed)
        problem (problems, _("Consent %s is not sealed, and no sealing job is queued for it, though "
                             "consents before and after it are sealed: it was stored without the kiosk's "
                             "seal, or its job was deleted."),
                 (const char *)check->unsealed_uuids->pdata[i]);
    }

  /* A trusted time is asked of consents only when a TSA is configured
   * (its CA is): a kiosk that seals without one has none to give. */
  if (!check->trusted || check->store->tsa_ca_file == NULL)
    return TRUE;

  /* A trusted time: a timestamp in the PDF, or a later timed anchor. */
  for (guint i = 0; i < check->anchors->len; i++)
    {
      const Anchor *anchor = check->anchors->pdata[i];

      if (anchor->timed)
        timed_anchor = MAX (timed_anchor, anchor->seq);
    }
  for (guint i = 0; i < check->uncovered->len; i++)
    {
      const Uncovered *u = &g_array_index (check->uncovered, Uncovered, i);

      if (u->seq <= timed_anchor)
        continue;
      if (u->created_us > 0 && now_us - u->created_us < COVER_GRACE_US)
        n_recent++;
      else
        g_array_append_val (old, u->seq);
    }

  if (old->len > 0)
    {
      g_autofree char *named = name_seqs (old, old->len);

      problem (problems,
               g_dngettext (GETTEXT_PACKAGE,
                            "%u consent signed more than a day ago has no trusted time: no timestamp in "
                            "its PDF and no anchor after it (record %s). Check that the TSA answers "
                            "([signing] tsa_url).",
                            "%u consents signed more than a day ago have no trusted time: no timestamp "
                            "in their PDFs and no anchor after them (records %s). Check that the TSA "
                            "answers ([signing] tsa_url).",
                            old->len),
               old->len, named);
    }
  if (n_recent > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u consent of the last day has no trusted time yet: "
                                                   "the sealing queue's next timestamp or anchor covers it.",
                                                   "%u consents of the last day have no trusted time yet: "
                                                   "the sealing queue's next timestamps or anchor cover "
                                                   "them.",
                                                   n_recent),
                                      n_recent));

  return TRUE;
}
