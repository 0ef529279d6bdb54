/* ck-seal.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The organisation's electronic seal (issue 15, docs/SEALING.md): the
 * certificate, its chain and the private key of [signing], loaded once in
 * ck_seal_new() and checked there (the key belongs to the certificate,
 * which is valid now and for signing), and the time-stamping authority.
 *
 * What it signs: a consent PDF (PAdES, ck-seal-pdf.c), a document
 * timestamp revision of one (ck-seal-pdf.c), and any bytes (a detached
 * CAdES signature, for chain anchors and sealed purges). All of it may run
 * in worker threads at once: the key is used under a lock, the TSA without
 * it. The key, its password and its PIN are never printed or logged. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "ck-seal-private.h"

G_DEFINE_FINAL_TYPE (CkSeal, ck_seal, G_TYPE_OBJECT)

static void
ck_seal_finalize (GObject *object)
{
  CkSeal *self = CK_SEAL (object);

  if (self->stamp_destroy)
    self->stamp_destroy (self->stamp_data);
  g_clear_object (&self->tsa);
  _ck_seal_key_clear (&self->key);
  g_clear_pointer (&self->cert, X509_free);
  if (self->chain)
    sk_X509_pop_free (self->chain, X509_free);
  g_free (self->signer);
  g_free (self->key_label);
  g_free (self->cert_label);
  g_mutex_clear (&self->key_lock);

  G_OBJECT_CLASS (ck_seal_parent_class)->finalize (object);
}

static void
ck_seal_class_init (CkSealClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ck_seal_finalize;
}

static void
ck_seal_init (CkSeal *self)
{
  g_mutex_init (&self->key_lock);
  self->token_reserve = CK_SEAL_TOKEN_RESERVE_DEFAULT;
}

/* Every certificate of a PEM file, in order. */
static STACK_OF (X509) *
read_certificates (const char  *path,
                   const char  *key_name,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  STACK_OF (X509) *certs;
  gsize length;
  BIO *bio;
  X509 *cert;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE, _("Cannot read “%s” ([signing] %s): %s"),
                   path, key_name, local_error->message);
      return NULL;
    }

  certs = sk_X509_new_null ();
  bio = BIO_new_mem_buf (contents, (int)MIN (length, G_MAXINT));
  while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    sk_X509_push (certs, cert);
  BIO_free (bio);
  ERR_clear_error ();

  if (sk_X509_num (certs) == 0)
    {
      sk_X509_free (certs);
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("“%s” ([signing] %s) holds no PEM certificate."), path, key_name);
      return NULL;
    }

  return certs;
}

static gboolean
contains_cert (STACK_OF (X509) *certs,
               X509            *cert)
{
  for (int i = 0; i < sk_X509_num (certs); i++)
    if (X509_cmp (sk_X509_value (certs, i), cert) == 0)
      return TRUE;
  return FALSE;
}

/* The certificate: [signing] certificate, else the one in the PKCS#12
 * file; the chain: [signing] chain, else the PKCS#12 file's others; the
 * seal's own certificate and duplicates left out. */
static gboolean
load_certificates (CkSeal    *self,
                   CkConfig  *config,
                   GError   **error)
{
  const char *cert_path = ck_config_get_signing_certificate (config);
  const char *chain_path = ck_config_get_signing_chain (config);
  STACK_OF (X509) *source = NULL;

  if (cert_path && cert_path[0])
    {
      STACK_OF (X509) *certs = read_certificates (cert_path, "certificate", error);

      if (certs == NULL)
        return FALSE;
      self->cert = sk_X509_shift (certs);
      sk_X509_pop_free (certs, X509_free);
      self->cert_label = g_strdup (cert_path);
    }
  else if (self->key.cert)
    {
      self->cert = g_steal_pointer (&self->key.cert);
      self->cert_label = g_strdup (self->key_label);
    }
  else
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("[signing] certificate is not set: a key on a token or in a PEM file needs the "
                     "certificate that goes with it."));
      return FALSE;
    }

  if (chain_path && chain_path[0])
    {
      if (!(source = read_certificates (chain_path, "chain", error)))
        return FALSE;
    }
  else if (self->key.chain)
    source = g_steal_pointer (&self->key.chain);

  self->chain = sk_X509_new_null ();
  while (source && sk_X509_num (source) > 0)
    {
      X509 *cert = sk_X509_shift (source);

      if (X509_cmp (cert, self->cert) == 0 || contains_cert (self->chain, cert))
        X509_free (cert);
      else
        sk_X509_push (self->chain, cert);
    }
  if (source)
    sk_X509_free (source);

  return TRUE;
}

static GBytes *
tsa_stamp (const guint8  *sha256,
           gpointer       user_data,
           GError       **error)
{
  return ck_tsa_stamp (CK_TSA (user_data), sha256, error);
}

/**
 * ck_seal_new:
 * @config: [signing]
 *
 * Loads the seal's key, certificate and chain, and checks them: the key
 * belongs to the certificate (one signature made and verified, which also
 * proves a token's PIN), the certificate is valid now and for signing.
 * Sets up the TSA client when tsa_url is set.
 *
 * Returns: (transfer full): the seal, or %NULL with
 *   %CK_SEAL_ERROR_NOT_CONFIGURED, %CK_SEAL_ERROR_FILE, %CK_SEAL_ERROR_KEY,
 *   %CK_SEAL_ERROR_CERTIFICATE or %CK_SEAL_ERROR_SIGN; messages name files,
 *   never what is in them
 */
CkSeal *
ck_seal_new (CkConfig  *config,
             GError   **error)
{
  g_autoptr(CkSeal) self = NULL;
  const char *spec;
  const char *tsa_url;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);

  if (!ck_config_get_signing_configured (config))
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED,
                           _("Consents are not sealed: [signing] key is not set."));
      return NULL;
    }

  self = g_object_new (CK_TYPE_SEAL, NULL);
  spec = ck_config_get_signing_key (config);
  self->key_label = _ck_seal_key_label (spec);
  if (!_ck_seal_key_load (&self->key, spec, ck_config_get_signing_key_password_file (config),
                          ck_config_get_signing_pkcs11_module (config), error) ||
      !load_certificates (self, config, error))
    return NULL;

  self->signer = _ck_seal_name_one_line (X509_get_subject_name (self->cert));
  if (!_ck_seal_cms_check (self, error) || !_ck_seal_cms_measure (self, error))
    return NULL;

  if ((tsa_url = ck_config_get_tsa_url (config)))
    {
      const char *ca_file = ck_config_get_tsa_ca_file (config);

      if (ca_file == NULL || ca_file[0] == '\0')
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                               _("A time-stamping authority is set but tsa_ca_file is not: its replies "
                                 "could not be checked. Set tsa_ca_file in [signing]."));
          return NULL;
        }
      if (!(self->tsa = ck_tsa_new (tsa_url, ca_file, ck_config_get_tsa_timeout_s (config), error)))
        return NULL;
      _ck_seal_set_stamp_func (self, tsa_stamp, g_object_ref (self->tsa), g_object_unref);
    }

  g_debug ("Seal loaded: %s, a signature of at most %zu bytes", self->signer, self->cms_size_max);

  return g_steal_pointer (&self);
}

/**
 * ck_seal_get_signer:
 *
 * Returns: the certificate's subject as one line of UTF-8: "O, CN"
 */
const char *
ck_seal_get_signer (CkSeal *self)
{
  g_return_val_if_fail (CK_IS_SEAL (self), NULL);

  return self->signer;
}

/**
 * ck_seal_get_has_tsa:
 *
 * Returns: whether signatures can be timestamped: tsa_url is set
 */
gboolean
ck_seal_get_has_tsa (CkSeal *self)
{
  g_return_val_if_fail (CK_IS_SEAL (self), FALSE);

  return self->stamp_func != NULL;
}

/**
 * _ck_seal_set_stamp_func:
 * @func: (nullable): what asks a TSA for a token; %NULL for none
 *
 * Replaces the TSA client: for tests, which stamp without a network. Call
 * it before the seal is used.
 */
void
_ck_seal_set_stamp_func (CkSeal          *self,
                         CkSealStampFunc  func,
                         gpointer         user_data,
                         GDestroyNotify   destroy)
{
  g_return_if_fail (CK_IS_SEAL (self));

  if (self->stamp_destroy)
    self->stamp_destroy (self->stamp_data);
  self->stamp_func = func;
  self->stamp_data = user_data;
  self->stamp_destroy = destroy;
}

GBytes *
_ck_seal_stamp (CkSeal        *self,
                const guint8  *sha256,
                GError       **error)
{
  GError *local_error = NULL;
  GBytes *token;

  if (self->stamp_func == NULL)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED,
                           _("No time-stamping authority is configured: set tsa_url in [signing]."));
      return NULL;
    }

  token = self->stamp_func (sha256, self->stamp_data, &local_error);
  if (token == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                             _("The time-stamping authority gave no token."));
      g_propagate_error (error, local_error);
    }

  return token;
}

/* Room for a token, in bytes: the last token's size and a margin, for
 * tokens of one TSA differ by a few bytes (serial, time, nonce). */
gsize
_ck_seal_get_token_reserve (CkSeal *self)
{
  return (gsize)g_atomic_int_get (&self->token_reserve);
}

void
_ck_seal_note_token_size (CkSeal *self,
                          gsize   size)
{
  g_atomic_int_set (&self->token_reserve, (gint)MIN (size + 96, CK_SEAL_CONTENTS_MAX));
}

/**
 * ck_seal_sign_data:
 * @data: the bytes to sign
 * @timestamp: add a TSA token (when a TSA is configured; otherwise the
 *   signature is made without one, and @tsa_error is not set)
 * @tsa_error: (out) (optional): why there is no token when the TSA failed
 *
 * A detached CAdES signature over @data: the same CMS as a PDF's, with a
 * signingTime attribute. The token is the unsigned attribute
 * id-aa-timeStampToken over the signature value. When the TSA fails the
 * signature is still returned, without token, and @tsa_error says why.
 *
 * Returns: (transfer full): the CMS (DER), or %NULL with @error
 */
GBytes *
ck_seal_sign_data (CkSeal    *self,
                   GBytes    *data,
                   gboolean   timestamp,
                   GError   **tsa_error,
                   GError   **error)
{
  CkSealRange range;
  gsize needed;

  g_return_val_if_fail (CK_IS_SEAL (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  range.data = g_bytes_get_data (data, &range.len);

  return _ck_seal_cms_sign (self, &range, 1, TRUE, timestamp, 0, &needed, tsa_error, error);
}
