/* ck-store-canon.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The canonical forms of consents, events and attempts, and their hashes
 * (docs/STORAGE.md, "The canonical record"): what the store chains and
 * `consentctl check` recomputes, and what the central archive's check
 * recomputes from the rows the kiosks sent (ck-central-check.c). Nothing
 * here reads the store: only the records given. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <string.h>

#include "ck-store-chain-private.h"

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
