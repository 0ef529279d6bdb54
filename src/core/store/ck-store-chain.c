/* ck-store-chain.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The hash chain: canonical forms of consents, events and attempts,
 * the chain's head, and appending an event. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <string.h>

#include "ck-store-impl-private.h"

/* --- hash chain ------------------------------------------------------------ */

void
_ck_store_canon_field (GString    *out,
                       const char *key,
                       const char *value)
{
  if (value == NULL)
    g_string_append_printf (out, "%s:-\n", key);
  else
    g_string_append_printf (out, "%s:%zu:%s\n", key, strlen (value), value);
}

char *
_ck_store_hash_consent (const CkConsentRecord *r)
{
  g_autoptr(GString) canon = g_string_new ("ck-consent/1\n");
  g_autofree char *signature = NULL;
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, r->seq);
  g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, r->pdf_size);

  signature = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, r->signature);
  _ck_store_canon_field (canon, "prev", r->prev_hash);
  _ck_store_canon_field (canon, "seq", seq);
  _ck_store_canon_field (canon, "uuid", r->uuid);
  _ck_store_canon_field (canon, "created_at", r->created_at);
  _ck_store_canon_field (canon, "name", r->name);
  _ck_store_canon_field (canon, "id_number", r->id_number);
  _ck_store_canon_field (canon, "sign_date", r->sign_date);
  _ck_store_canon_field (canon, "org_name", r->org_name);
  _ck_store_canon_field (canon, "org_business", r->org_business);
  _ck_store_canon_field (canon, "org_purpose", r->org_purpose);
  _ck_store_canon_field (canon, "template_sha256", r->template_sha256);
  _ck_store_canon_field (canon, "pdf_path", r->pdf_path);
  _ck_store_canon_field (canon, "pdf_sha256", r->pdf_sha256);
  _ck_store_canon_field (canon, "pdf_size", size);
  _ck_store_canon_field (canon, "signature_sha256", signature);
  _ck_store_canon_field (canon, "kiosk_id", r->kiosk_id);
  _ck_store_canon_field (canon, "operator", r->operator_name);
  _ck_store_canon_field (canon, "demo", r->demo ? "1" : "0");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

char *
_ck_store_hash_event (const CkStoreEvent *e)
{
  g_autoptr(GString) canon = g_string_new ("ck-event/1\n");
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e->seq);

  _ck_store_canon_field (canon, "prev", e->prev_hash);
  _ck_store_canon_field (canon, "seq", seq);
  _ck_store_canon_field (canon, "at", e->at);
  _ck_store_canon_field (canon, "kind", e->kind);
  _ck_store_canon_field (canon, "consent_uuid", e->consent_uuid);
  _ck_store_canon_field (canon, "operator", e->operator_name);
  _ck_store_canon_field (canon, "detail", e->detail);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}

/* Within a transaction: the next link of the chain. */
gboolean
_ck_store_chain_head (CkStore  *self,
                      gint64   *seq,
                      char    **hash,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT seq, hash FROM chain WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _ck_store_sql_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);

  *seq = sqlite3_column_int64 (stmt, 0);
  *hash = _ck_store_column_text (stmt, 1);
  return TRUE;
}

gboolean
_ck_store_chain_advance (CkStore     *self,
                         gint64       seq,
                         const char  *hash,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "UPDATE chain SET seq = ?, hash = ? WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  _ck_store_bind_text (stmt, 2, hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* Within the transaction of a withdrawal event: the consent is marked
 * withdrawn and leaves the verification queue. */
static gboolean
apply_withdrawal (CkStore     *self,
                  const char  *uuid,
                  GError     **error)
{
  if (self->schema_version >= 4 &&
      !_ck_store_exec_for_uuid (self, "UPDATE consent_status SET withdrawn = 1 WHERE uuid = ?", uuid, error))
    return FALSE;
  if (self->schema_version >= 3 &&
      !_ck_store_exec_for_uuid (self, "DELETE FROM verify_queue WHERE consent_uuid = ?", uuid, error))
    return FALSE;

  return TRUE;
}

/* Within a transaction: appends an event to the chain. */
gboolean
_ck_store_insert_event (CkStore       *self,
                        CkStoreEvent  *event,
                        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq;
  int rc;

  if (!_ck_store_chain_head (self, &seq, &event->prev_hash, error))
    return FALSE;
  event->seq = seq + 1;
  if (event->at == NULL)
    event->at = _ck_store_now_iso8601 ();
  event->row_hash = _ck_store_hash_event (event);

  stmt = _ck_store_prepare (self,
                            "INSERT INTO events (seq, at, kind, consent_uuid, operator, detail, prev_hash, row_hash) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  _ck_store_bind_text (stmt, 2, event->at);
  _ck_store_bind_text (stmt, 3, event->kind);
  _ck_store_bind_text (stmt, 4, event->consent_uuid);
  _ck_store_bind_text (stmt, 5, event->operator_name);
  _ck_store_bind_text (stmt, 6, event->detail);
  _ck_store_bind_text (stmt, 7, event->prev_hash);
  _ck_store_bind_text (stmt, 8, event->row_hash);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  /* However it is written, a withdrawal takes effect with its event. */
  if (g_strcmp0 (event->kind, "withdrawal") == 0 && event->consent_uuid &&
      !apply_withdrawal (self, event->consent_uuid, error))
    return FALSE;

  return _ck_store_chain_advance (self, event->seq, event->row_hash, error);
}

char *
_ck_store_hash_attempt (const CkVerifyAttempt *a)
{
  g_autoptr(GString) canon = g_string_new ("ck-attempt/1\n");
  g_autofree char *number = g_strdup_printf ("%u", a->number);
  g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, a->started_ms);
  g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, a->duration_ms);
  g_autofree char *http = g_strdup_printf ("%u", a->http_status);
  g_autofree char *body = a->body ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a->body) : NULL;

  _ck_store_canon_field (canon, "consent_uuid", a->consent_uuid);
  _ck_store_canon_field (canon, "number", number);
  _ck_store_canon_field (canon, "started_ms", started);
  _ck_store_canon_field (canon, "started_at", a->started_at);
  _ck_store_canon_field (canon, "duration_ms", duration);
  _ck_store_canon_field (canon, "provider", a->provider);
  _ck_store_canon_field (canon, "outcome", a->outcome);
  _ck_store_canon_field (canon, "http_status", http);
  _ck_store_canon_field (canon, "provider_status", a->provider_status);
  _ck_store_canon_field (canon, "provider_message", a->provider_message);
  _ck_store_canon_field (canon, "request_id", a->request_id);
  _ck_store_canon_field (canon, "error_code", a->error_code);
  _ck_store_canon_field (canon, "error_message", a->error_message);
  _ck_store_canon_field (canon, "detail", a->detail);
  _ck_store_canon_field (canon, "body_sha256", body);
  _ck_store_canon_field (canon, "body_truncated", a->body_truncated ? "1" : "0");
  _ck_store_canon_field (canon, "demo", a->demo ? "1" : "0");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);
}
