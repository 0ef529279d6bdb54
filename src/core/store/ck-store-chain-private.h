/* ck-store-chain-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Private to libck: the hash chain as anyone who re-proves it needs it,
 * written once. The canonical forms of consents, events and attempts and
 * their hashes (docs/STORAGE.md, "The canonical record"; ck-store-canon.c),
 * and what an event's detail says of other links or of a PDF or an
 * attempt (ck-store-detail.c). The store's own files reach it through
 * ck-store-impl-private.h; the central archive's check
 * (central/ck-central-check.c) includes it to recompute what the kiosks
 * sent with the very code that hashed it. */

#pragma once

#include <gio/gio.h>

#include "ck-store.h"

G_BEGIN_DECLS

/* The link before the first. */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ck-store-canon.c */
void             _ck_store_canon_field         (GString                *out,
                                                const char             *key,
                                                const char             *value);
char            *_ck_store_hash_consent        (const CkConsentRecord  *record);
char            *_ck_store_hash_event          (const CkStoreEvent     *event);
char            *_ck_store_hash_attempt        (const CkVerifyAttempt  *attempt);

/* A PDF revision as its pdf-revision event records it (ck-store-detail.c). */
typedef struct
{
  char *kind;          /* "seal" or "timestamp" */
  char *sha256;        /* the whole file after it */
  gint64 size;
  char *prev_sha256;   /* the whole file before it */
  gint64 prev_size;
  char *summary;
} CkStoreRevision;

/* ck-store-detail.c */
gboolean         _ck_store_detail_read_seal    (const char             *detail,
                                                guint                  *number,
                                                char                  **sha256);
void             _ck_store_collect_purged      (const char             *detail,
                                                GHashTable             *purged,
                                                GHashTable             *paths);
void             _ck_store_revision_clear      (CkStoreRevision        *revision);
gboolean         _ck_store_detail_read_revision (const char            *detail,
                                                 CkStoreRevision       *revision);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkStoreRevision, _ck_store_revision_clear)

G_END_DECLS
