/* ck-central-sync.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The outbox sync: the kiosk's SQLite store stays the source of truth and
 * sends its chain, strictly in order, a batch of links a transaction.
 *
 *   1. who am I: the archive's kiosk for this role must be this kiosk;
 *   2. where is the archive: its last link of this kiosk (C, Hc). This
 *      kiosk's link C must have the hash Hc, else the chain was rewritten
 *      here after it was sent (or the store put back from an older copy):
 *      a conflict, reported on both sides, and nothing sent. A C ahead of
 *      the last receipt is a batch whose receipt was lost (the process
 *      died after the commit): its receipt is stored now;
 *   3. the links after C, read in one read transaction of the store;
 *   4. one pipeline: BEGIN, each link with its row, PDF, attempt or paid
 *      calls (INSERT … ON CONFLICT DO NOTHING), COMMIT. PostgreSQL checks
 *      every hash, every PDF's SHA-256 and the chain's continuity itself;
 *   5. the archive's seq and hash of each link sent, compared with ours;
 *   6. the receipt (last seq, hash), stored and chained in the store.
 *
 * A process killed anywhere leaves the archive with the batch or without
 * it, and step 2 of the next sync finds out which. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-central-private.h"

enum { STMT_LINK, STMT_CONSENT, STMT_EVENT, STMT_PDF, STMT_ATTEMPT, STMT_PURGED, N_STMTS };

static const struct
{
  const char *name;
  const char *sql;
  int n_params;
} statements[N_STMTS] = {
  [STMT_LINK] = { "ck_link",
    "INSERT INTO ck.links (kiosk_id, seq, kind, hash, prev_hash) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT DO NOTHING", 5 },
  [STMT_CONSENT] = { "ck_consent",
    "INSERT INTO ck.consents (kiosk_id, seq, hash, prev, uuid, created_at, name, id_number, sign_date, "
    "org_name, org_business, org_purpose, template_sha256, pdf_path, pdf_sha256, pdf_size, signature, "
    "record_kiosk_id, operator, demo, name_method, id_method) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) ON CONFLICT DO NOTHING", 22 },
  [STMT_EVENT] = { "ck_event",
    "INSERT INTO ck.events (kiosk_id, seq, hash, prev, at, kind, consent_uuid, operator, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING", 9 },
  [STMT_PDF] = { "ck_pdf",
    "INSERT INTO ck.pdfs (kiosk_id, seq, consent_uuid, sha256, size, data) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING", 6 },
  [STMT_ATTEMPT] = { "ck_attempt",
    "INSERT INTO ck.attempts (kiosk_id, verification_seq, consent_uuid, number, started_ms, started_at, "
    "duration_ms, provider, outcome, http_status, provider_status, provider_message, request_id, "
    "error_code, error_message, detail, body, body_truncated, demo, claimed_by) VALUES ($1, $2, $3, "
    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) "
    "ON CONFLICT DO NOTHING", 20 },
  [STMT_PURGED] = { "ck_purged_call",
    "INSERT INTO ck.purged_calls (kiosk_id, local_id, purge_seq, started_ms, started_at, provider, "
    "outcome, http_status, request_id, billed, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11) ON CONFLICT DO NOTHING", 11 },
};

#define MAX_PARAMS 22

/* One statement's parameters: text, or binary for bytea. */
typedef struct
{
  const char *values[MAX_PARAMS];
  int lengths[MAX_PARAMS];
  int formats[MAX_PARAMS];
  GPtrArray *owned;
  int n;
} Params;

static void
params_init (Params *p)
{
  memset (p, 0, sizeof *p);
  p->owned = g_ptr_array_new_with_free_func (g_free);
}

static void
params_clear (Params *p)
{
  g_clear_pointer (&p->owned, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Params, params_clear)

static void
add_text (Params     *p,
          const char *text)
{
  p->values[p->n] = text;
  p->formats[p->n++] = 0;
}

static void
add_int (Params *p,
         gint64  value)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  g_ptr_array_add (p->owned, text);
  add_text (p, text);
}

static void
add_bool (Params   *p,
          gboolean  value)
{
  add_text (p, value ? "t" : "f");
}

static void
add_bytes (Params *p,
           GBytes *bytes)
{
  gsize size = 0;

  if (bytes == NULL)
    {
      add_text (p, NULL);
      return;
    }
  p->values[p->n] = g_bytes_get_data (bytes, &size);
  if (p->values[p->n] == NULL)
    p->values[p->n] = "";
  p->lengths[p->n] = (int)size;
  p->formats[p->n++] = 1;
}

static gboolean
prepare (CkCentral  *self,
         GError    **error)
{
  if (self->prepared)
    return TRUE;
  for (guint i = 0; i < N_STMTS; i++)
    {
      g_autoptr(PGresult) result = PQprepare (self->conn, statements[i].name, statements[i].sql,
                                              statements[i].n_params, NULL);

      if (result == NULL || PQresultStatus (result) != PGRES_COMMAND_OK)
        return _ck_central_result_error (self, result, error);
    }
  self->prepared = TRUE;

  return TRUE;
}

/* Queues one prepared statement in the pipeline. */
static gboolean
send (CkCentral  *self,
      int         which,
      Params     *p,
      guint      *queued,
      GError    **error)
{
  g_assert (p->n == statements[which].n_params);
  if (!PQsendQueryPrepared (self->conn, statements[which].name, p->n, p->values, p->lengths, p->formats, 0))
    return _ck_central_result_error (self, NULL, error);
  (*queued)++;
  _ck_central_fault_point ("sync-statement-sent");

  return TRUE;
}

static gboolean
send_link (CkCentral          *self,
           const char         *kiosk_id,
           const CkStoreLink  *link,
           guint              *queued,
           guint64            *pdf_bytes,
           GError            **error)
{
  static const char * const kinds[] = { "consent", "event", "cut" };
  const char *prev = link->seq == 1 ? NULL : link->prev_hash;

  {
    g_auto(Params) p;

    params_init (&p);
    add_text (&p, kiosk_id);
    add_int (&p, link->seq);
    add_text (&p, kinds[link->kind]);
    add_text (&p, link->hash);
    add_text (&p, prev);
    if (!send (self, STMT_LINK, &p, queued, error))
      return FALSE;
  }

  if (link->consent)
    {
      const CkConsentRecord *r = link->consent;
      g_auto(Params) p;

      params_init (&p);
      add_text (&p, kiosk_id);
      add_int (&p, link->seq);
      add_text (&p, link->hash);
      add_text (&p, link->prev_hash);
      add_text (&p, r->uuid);
      add_text (&p, r->created_at);
      add_text (&p, r->name);
      add_text (&p, r->id_number);
      add_text (&p, r->sign_date);
      add_text (&p, r->org_name);
      add_text (&p, r->org_business);
      add_text (&p, r->org_purpose);
      add_text (&p, r->template_sha256);
      add_text (&p, r->pdf_path);
      add_text (&p, r->pdf_sha256);
      add_int (&p, r->pdf_size);
      add_bytes (&p, r->signature);
      add_text (&p, r->kiosk_id);
      add_text (&p, r->operator_name);
      add_bool (&p, r->demo);
      add_text (&p, r->name_method);
      add_text (&p, r->id_method);
      if (!send (self, STMT_CONSENT, &p, queued, error))
        return FALSE;
    }

  if (link->event)
    {
      const CkStoreEvent *e = link->event;
      g_auto(Params) p;

      params_init (&p);
      add_text (&p, kiosk_id);
      add_int (&p, link->seq);
      add_text (&p, link->hash);
      add_text (&p, link->prev_hash);
      add_text (&p, e->at);
      add_text (&p, e->kind);
      add_text (&p, e->consent_uuid);
      add_text (&p, e->operator_name);
      add_text (&p, e->detail);
      if (!send (self, STMT_EVENT, &p, queued, error))
        return FALSE;
    }

  if (link->pdf)
    {
      g_auto(Params) p;

      params_init (&p);
      add_text (&p, kiosk_id);
      add_int (&p, link->seq);
      add_text (&p, link->pdf_uuid);
      add_text (&p, link->pdf_sha256);
      add_int (&p, (gint64)g_bytes_get_size (link->pdf));
      add_bytes (&p, link->pdf);
      if (!send (self, STMT_PDF, &p, queued, error))
        return FALSE;
      *pdf_bytes += g_bytes_get_size (link->pdf);
    }

  if (link->attempt)
    {
      const CkVerifyAttempt *a = link->attempt;
      g_auto(Params) p;

      params_init (&p);
      add_text (&p, kiosk_id);
      add_int (&p, link->seq);
      add_text (&p, a->consent_uuid);
      add_int (&p, a->number);
      add_int (&p, a->started_ms);
      add_text (&p, a->started_at);
      add_int (&p, a->duration_ms);
      add_text (&p, a->provider);
      add_text (&p, a->outcome);
      add_int (&p, a->http_status);
      add_text (&p, a->provider_status);
      add_text (&p, a->provider_message);
      add_text (&p, a->request_id);
      add_text (&p, a->error_code);
      add_text (&p, a->error_message);
      add_text (&p, a->detail);
      add_bytes (&p, a->body);
      add_bool (&p, a->body_truncated);
      add_bool (&p, a->demo);
      add_text (&p, a->claimed_by);
      if (!send (self, STMT_ATTEMPT, &p, queued, error))
        return FALSE;
    }

  for (guint i = 0; link->purged_calls && i < link->purged_calls->len; i++)
    {
      const CkPurgedCall *c = link->purged_calls->pdata[i];
      g_auto(Params) p;

      params_init (&p);
      add_text (&p, kiosk_id);
      add_int (&p, c->local_id);
      add_int (&p, c->purge_seq);
      add_int (&p, c->started_ms);
      add_text (&p, c->started_at);
      add_text (&p, c->provider);
      add_text (&p, c->outcome);
      add_int (&p, c->http_status);
      add_text (&p, c->request_id);
      add_text (&p, c->billed);
      add_bool (&p, c->demo);
      if (!send (self, STMT_PURGED, &p, queued, error))
        return FALSE;
    }

  return TRUE;
}

/* Reads the pipeline's results up to its sync point: the first error, if
 * any, is the batch's (the statements after it were not run). */
static gboolean
collect (CkCentral  *self,
         guint       queued,
         GError    **error)
{
  g_autoptr(GError) first = NULL;
  gboolean synced = FALSE;

  while (!synced)
    {
      g_autoptr(PGresult) result = PQgetResult (self->conn);
      ExecStatusType status;

      if (result == NULL)
        {
          /* The end of one statement's results; a broken connection
           * never reaches the sync point. */
          if (PQstatus (self->conn) == CONNECTION_BAD)
            {
              if (first == NULL)
                _ck_central_result_error (self, NULL, &first);
              break;
            }
          continue;
        }
      status = PQresultStatus (result);
      if (status == PGRES_PIPELINE_SYNC)
        synced = TRUE;
      else if (status == PGRES_FATAL_ERROR && first == NULL)
        _ck_central_result_error (self, result, &first);
    }

  if (first)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }

  return TRUE;
}

/* Sends @links in one transaction, through one pipeline. */
static gboolean
send_batch (CkCentral   *self,
            const char  *kiosk_id,
            GPtrArray   *links,
            guint64     *pdf_bytes,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint queued = 0;
  gboolean ok;

  if (!prepare (self, error))
    return FALSE;
  if (!PQenterPipelineMode (self->conn))
    return _ck_central_result_error (self, NULL, error);

  ok = PQsendQueryParams (self->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
  for (guint i = 0; ok && i < links->len; i++)
    ok = send_link (self, kiosk_id, links->pdata[i], &queued, pdf_bytes, &local_error);
  _ck_central_fault_point ("sync-batch-sent");
  ok = ok && PQsendQueryParams (self->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
  ok = ok && PQpipelineSync (self->conn);
  if (!ok && local_error == NULL)
    _ck_central_result_error (self, NULL, &local_error);
  if (ok)
    ok = collect (self, queued, &local_error);
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQexitPipelineMode (self->conn);
  _ck_central_rollback (self);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  _ck_central_fault_point ("sync-committed");

  return TRUE;
}

/* The archive's last link of @kiosk_id: seq 0 and no hash when none. */
static gboolean
central_head (CkCentral   *self,
              const char  *kiosk_id,
              gint64      *seq,
              char       **hash,
              GError     **error)
{
  const char *values[] = { kiosk_id };
  g_autoptr(PGresult) result = _ck_central_exec (self, "SELECT seq, hash FROM ck.links WHERE kiosk_id = $1 "
                                                       "ORDER BY seq DESC LIMIT 1", 1, values, error);

  if (result == NULL)
    return FALSE;
  *seq = 0;
  *hash = NULL;
  if (PQntuples (result) == 1)
    {
      *seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      *hash = g_strdup (PQgetvalue (result, 0, 1));
    }

  return TRUE;
}

/* Reports a conflict on both sides: in the archive's sync_conflicts (best
 * effort: the archive may be what failed) and in the store's sync state. */
static void
report_conflict (CkCentral   *self,
                 CkStore     *store,
                 const char  *kiosk_id,
                 gint64       seq,
                 const char  *ours,
                 const char  *theirs,
                 const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_auto(CkSyncStatus) status = { 0 };
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *values[] = { kiosk_id, seq_text, ours ? ours : "", theirs, message };

  /* Once a conflict, not once a retry. */
  if (!ck_store_get_sync_status (store, NULL, &status, &error) || status.conflict_seq != seq)
    {
      g_autoptr(PGresult) result = NULL;

      g_clear_error (&error);
      result = _ck_central_exec (self, "INSERT INTO ck.sync_conflicts (kiosk_id, seq, kiosk_hash, central_hash, "
                                       "message) VALUES ($1, $2, $3, NULLIF ($4, ''), $5)",
                                 5, values, &error);
      if (result == NULL)
        g_warning ("The conflict could not be reported to the central archive: %s", error->message);
    }
  g_clear_error (&error);
  if (!ck_store_note_sync_failure (store, message, seq, &error))
    g_warning ("The conflict could not be noted in the store: %s", error->message);
}

static gboolean
conflict (CkCentral   *self,
          CkStore     *store,
          const char  *kiosk_id,
          gint64       seq,
          const char  *ours,
          const char  *theirs,
          GError     **error)
{
  g_autofree char *message = NULL;

  if (ours == NULL)
    message = g_strdup_printf (_("The central archive holds link %lld of kiosk %s, which "
                                 "this kiosk's chain does not have: the store was put back from an "
                                 "older copy, or its chain was cut. Nothing more is sent; ask IT."),
                               (long long)seq, kiosk_id);
  else
    message = g_strdup_printf (_("Link %lld of this kiosk's chain differs from the one "
                                 "the central archive holds: the chain was rewritten on this kiosk "
                                 "after it was sent. Nothing more is sent; ask IT."),
                               (long long)seq);
  report_conflict (self, store, kiosk_id, seq, ours, theirs, message);
  g_set_error_literal (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFLICT, message);

  return FALSE;
}

static gboolean
store_receipt (CkCentral   *self,
               CkStore     *store,
               const char  *kiosk_id,
               gint64       seq,
               const char  *hash,
               GError     **error)
{
  if (!ck_store_add_sync_receipt (store, seq, hash, error))
    return FALSE;
  g_free (self->receipt_kiosk);
  self->receipt_kiosk = g_strdup (kiosk_id);
  self->receipt_seq = seq;

  return TRUE;
}

/* Step 2: where the archive stands, checked against this kiosk's chain. */
static gboolean
reconcile (CkCentral   *self,
           CkStore     *store,
           const char  *kiosk_id,
           gint64       head,
           gint64      *central_seq,
           GError     **error)
{
  g_autofree char *theirs = NULL;
  g_autofree char *ours = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!central_head (self, kiosk_id, central_seq, &theirs, error))
    return FALSE;
  if (*central_seq == 0)
    return TRUE;
  if (*central_seq > head)
    return conflict (self, store, kiosk_id, head + 1, NULL, theirs, error);
  if (!ck_store_get_link_hash (store, *central_seq, &ours, &local_error))
    {
      if (!g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return conflict (self, store, kiosk_id, *central_seq, NULL, theirs, error);
    }
  if (!g_str_equal (ours, theirs))
    return conflict (self, store, kiosk_id, *central_seq, ours, theirs, error);

  /* This connection stored that receipt with its last batch: nothing to
   * write again (one durable commit a batch, not two). */
  if (*central_seq == self->receipt_seq && g_strcmp0 (kiosk_id, self->receipt_kiosk) == 0)
    return TRUE;

  /* A batch committed whose receipt was never stored, or the first look
   * of this connection: the receipt, and the sync noted as working. */
  return store_receipt (self, store, kiosk_id, *central_seq, theirs, error);
}

/* Step 5: each link sent, as the archive holds it now. */
static gboolean
verify_sent (CkCentral   *self,
             CkStore     *store,
             const char  *kiosk_id,
             GPtrArray   *links,
             GError     **error)
{
  const CkStoreLink *first = links->pdata[0];
  const CkStoreLink *last = links->pdata[links->len - 1];
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, first->seq);
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, last->seq);
  const char *values[] = { kiosk_id, from, to };
  g_autoptr(PGresult) result = _ck_central_exec (self, "SELECT seq, hash FROM ck.links WHERE kiosk_id = $1 "
                                                       "AND seq BETWEEN $2 AND $3 ORDER BY seq",
                                                 3, values, error);

  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < links->len; i++)
    {
      const CkStoreLink *link = links->pdata[i];
      const char *theirs = (int)i < PQntuples (result) ? PQgetvalue (result, (int)i, 1) : NULL;
      gint64 seq = (int)i < PQntuples (result) ? g_ascii_strtoll (PQgetvalue (result, (int)i, 0), NULL, 10) : -1;

      if (seq != link->seq || g_strcmp0 (theirs, link->hash) != 0)
        return conflict (self, store, kiosk_id, link->seq, link->hash, theirs ? theirs : "", error);
    }
  _ck_central_fault_point ("sync-verified");

  return TRUE;
}

/**
 * ck_central_sync_batch:
 * @self: a #CkCentral, connected as the kiosk's role
 * @store: the kiosk's store
 * @kiosk_id: the kiosk's [kiosk] id, as registered in the archive
 * @batch_size: links at most in this batch
 * @result: (out caller-allocates) (optional): what was done
 * @error: a #GError in the %CK_CENTRAL_ERROR or %CK_STORE_ERROR domain
 *
 * Sends one batch of the links the archive lacks, in one transaction, and
 * stores the receipt (the steps at the top of this file). A failure is
 * recorded in the store's sync state, for staff.
 *
 * Returns: %TRUE when the batch was sent (or nothing was pending)
 */
gboolean
ck_central_sync_batch (CkCentral     *self,
                       CkStore       *store,
                       const char    *kiosk_id,
                       guint          batch_size,
                       CkSyncResult  *result,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) me = NULL;
  g_autoptr(GPtrArray) links = NULL;
  CkSyncResult done = { 0 };
  gint64 central = 0, head = 0;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);
  g_return_val_if_fail (CK_IS_STORE (store), FALSE);
  g_return_val_if_fail (kiosk_id != NULL, FALSE);

  batch_size = CLAMP (batch_size, 1, 1000);  /* [central] batch_size's range */

  /* 1. */
  {
    const char *values[] = { kiosk_id };

    if (!(me = _ck_central_exec (self, "SELECT coalesce (ck.kiosk_of (current_user), ''), "
                                       "(SELECT coalesce (max (version), 0) FROM ck.schema_migrations)",
                                 0, NULL, &local_error)))
      goto failed;
    if (!g_str_equal (PQgetvalue (me, 0, 0), values[0]))
      {
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_NOT_REGISTERED,
                     _("The central archive does not know the role %s as kiosk %s: register it with "
                       "“consentctl central add-kiosk”."),
                     self->role, kiosk_id);
        goto failed;
      }
    if (atoi (PQgetvalue (me, 0, 1)) > CK_CENTRAL_SCHEMA_VERSION)
      {
        /* Its rules (constraints, what a link may hold) may be ones this
         * kiosk does not know: send nothing rather than guess. */
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_NEWER_SCHEMA,
                     _("The central archive has schema version %d, newer than this kiosk knows (%d): "
                       "update the kiosk's software. Nothing was sent."),
                     atoi (PQgetvalue (me, 0, 1)), CK_CENTRAL_SCHEMA_VERSION);
        goto failed;
      }
    if (atoi (PQgetvalue (me, 0, 1)) < CK_CENTRAL_SCHEMA_VERSION)
      {
        g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_SCHEMA,
                     _("The central archive's schema is older than this kiosk's (version %d): run "
                       "“consentctl central migrate”."),
                     CK_CENTRAL_SCHEMA_VERSION);
        goto failed;
      }
  }

  /* 2. */
  if (!ck_store_get_chain_head (store, &head, NULL, &local_error) ||
      !reconcile (self, store, kiosk_id, head, &central, &local_error))
    goto failed;

  /* 3. */
  if (!(links = ck_store_read_links (store, central, batch_size, &local_error)))
    goto failed;
  _ck_central_fault_point ("sync-links-read");

  if (links->len > 0)
    {
      const CkStoreLink *last = links->pdata[links->len - 1];

      /* 4., 5., 6. */
      if (!send_batch (self, kiosk_id, links, &done.pdf_bytes, &local_error) ||
          !verify_sent (self, store, kiosk_id, links, &local_error) ||
          !store_receipt (self, store, kiosk_id, last->seq, last->hash, &local_error))
        goto failed;
      _ck_central_fault_point ("sync-receipt-stored");
      done.sent = links->len;
      central = last->seq;
    }
  done.receipt_seq = central;
  done.pending = MAX (head - central, 0);
  if (result)
    *result = done;

  return TRUE;

failed:
  /* A conflict noted itself, with its link. */
  if (!g_error_matches (local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFLICT))
    {
      g_autoptr(GError) note_error = NULL;

      if (!ck_store_note_sync_failure (store, local_error->message, -1, &note_error))
        g_warning ("The sync's failure could not be noted: %s", note_error->message);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

/**
 * ck_central_fetch_org_usage:
 * @self: a #CkCentral
 * @since: (nullable): YYYY-MM-DD the package is counted from
 * @billed: (out): the organisation's billed calls
 * @maybe_billed: (out): its calls that may have been billed
 * @kiosks: (out): how many kiosks the archive knows
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Reads the paid package's usage by every kiosk (ck.org_usage ()).
 */
gboolean
ck_central_fetch_org_usage (CkCentral   *self,
                            const char  *since,
                            guint64     *billed,
                            guint64     *maybe_billed,
                            guint       *kiosks,
                            GError     **error)
{
  const char *values[] = { since && since[0] ? since : NULL };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  if (!(result = _ck_central_exec (self, "SELECT billed, maybe_billed, kiosks FROM ck.org_usage ($1)",
                                   1, values, error)))
    return FALSE;
  *billed = g_ascii_strtoull (PQgetvalue (result, 0, 0), NULL, 10);
  *maybe_billed = g_ascii_strtoull (PQgetvalue (result, 0, 1), NULL, 10);
  *kiosks = (guint)g_ascii_strtoull (PQgetvalue (result, 0, 2), NULL, 10);

  return TRUE;
}
