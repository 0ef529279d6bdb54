/* ck-seal-verify-ca.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The CA files the verifier trusts, read into stores. `consentctl check`
 * verifies every sealed PDF of the store, up to a million, with the same
 * one or two CA files: parsing them again for each PDF cost more than the
 * rest of the verification. So a store is kept, by path, with the bytes it
 * was read from: each call still reads the file, and a file whose bytes
 * changed in any way is parsed again, so that the answer is always the
 * one the file gives now, as it was before there was a cache. A file that
 * cannot be read or holds no certificate is not kept: the error is the
 * same on every call.
 *
 * The cache is shared by every thread (the staff window verifies in a
 * worker, the sealing queue in another): it is guarded by a mutex, and a
 * store is handed out with a reference of its own, which the caller drops
 * with X509_STORE_free () as before. An X509_STORE holding only
 * certificates is only read by verifications, and OpenSSL locks its own
 * lookups, so that threads may verify against one store at once. It
 * holds at most CA_CACHE_MAX files, the one used least recently going
 * first. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <openssl/x509_vfy.h>

#include "ck-seal.h"
#include "ck-seal-verify-private.h"
#include "ck-tsa-private.h"

/* A seal's CA and a TSA's, and room for a few configurations at once. */
#define CA_CACHE_MAX 8

typedef struct
{
  char *path;
  GBytes *contents;             /* what the store was read from */
  X509_STORE *store;
} CaEntry;

static GMutex ca_lock;
static GPtrArray *ca_cache;     /* CaEntry, the one used last at the end */

static void
ca_entry_free (gpointer data)
{
  CaEntry *entry = data;

  g_free (entry->path);
  g_bytes_unref (entry->contents);
  X509_STORE_free (entry->store);
  g_free (entry);
}

/* With ca_lock held: @path's entry, or -1. */
static gint
ca_cache_find (const char *path)
{
  for (guint i = 0; ca_cache && i < ca_cache->len; i++)
    if (g_str_equal (((CaEntry *)ca_cache->pdata[i])->path, path))
      return (gint)i;

  return -1;
}

/* A new reference to the store kept for @path read from @contents, or
 * NULL. */
static X509_STORE *
ca_cache_lookup (const char *path,
                 GBytes     *contents)
{
  X509_STORE *store = NULL;
  gint i;

  g_mutex_lock (&ca_lock);
  if ((i = ca_cache_find (path)) >= 0)
    {
      CaEntry *entry = ca_cache->pdata[i];

      if (g_bytes_equal (entry->contents, contents) && X509_STORE_up_ref (entry->store))
        {
          store = entry->store;
          /* Used last: to the end, the last to go. */
          g_ptr_array_steal_index (ca_cache, (guint)i);
          g_ptr_array_add (ca_cache, entry);
        }
    }
  g_mutex_unlock (&ca_lock);

  return store;
}

/* Keeps @store (a reference of its own) for @path, read from @contents. */
static void
ca_cache_insert (const char *path,
                 GBytes     *contents,
                 X509_STORE *store)
{
  CaEntry *entry;
  gint i;

  if (!X509_STORE_up_ref (store))
    return;
  entry = g_new0 (CaEntry, 1);
  entry->path = g_strdup (path);
  entry->contents = g_bytes_ref (contents);
  entry->store = store;

  g_mutex_lock (&ca_lock);
  if (ca_cache == NULL)
    ca_cache = g_ptr_array_new_with_free_func (ca_entry_free);
  if ((i = ca_cache_find (path)) >= 0)
    g_ptr_array_remove_index (ca_cache, (guint)i);
  if (ca_cache->len >= CA_CACHE_MAX)
    g_ptr_array_remove_index (ca_cache, 0);
  g_ptr_array_add (ca_cache, entry);
  g_mutex_unlock (&ca_lock);
}

/**
 * _ck_seal_load_ca_file:
 * @ca_file: a PEM file of one or more CA certificates
 *
 * Returns: (transfer full): a store trusting exactly the certificates the
 *   file holds now (free with X509_STORE_free ()), or %NULL with
 *   CK_SEAL_ERROR_FILE
 */
X509_STORE *
_ck_seal_load_ca_file (const char  *ca_file,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) contents = NULL;
  char *text = NULL;
  gsize length = 0;
  X509_STORE *store;

  if (!g_file_get_contents (ca_file, &text, &length, &local_error))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("The CA file %s cannot be read: %s"), ca_file, local_error->message);
      return NULL;
    }
  contents = g_bytes_new_take (text, length);

  if ((store = ca_cache_lookup (ca_file, contents)))
    return store;

  if (!(store = _ck_tsa_ca_store_new (g_bytes_get_data (contents, NULL), length)))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("The CA file %s holds no PEM certificate."), ca_file);
      return NULL;
    }
  ca_cache_insert (ca_file, contents, store);

  return store;
}
