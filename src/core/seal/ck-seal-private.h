/* ck-seal-private.h: what the seal's own files share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* CkSeal is split by job (docs/ARCHITECTURE.md):
 *
 *   ck-seal.c         the object: certificate, chain and key from [signing],
 *                     the TSA, the public API
 *   ck-seal-key.c     the key: PKCS#12, PEM, or a pkcs11: URI, and the
 *                     password or PIN from key_password_file
 *   ck-seal-pkcs11.c  the PKCS#11 token through libp11's OpenSSL engine:
 *                     the only file that touches OpenSSL's ENGINE API
 *   ck-seal-cms.c     the detached CAdES signature (CMS), with or without
 *                     a timestamp token
 *   ck-seal-pdf*.c    the PDF: reading the last trailer and xref, the
 *                     incremental update, the ByteRange; they share
 *                     ck-seal-pdf-private.h
 *
 * A helper one of them defines for another is named _ck_seal_*. Tests
 * include this header for _ck_seal_set_stamp_func(). */

#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ck-seal.h"
#include "ck-tsa.h"

G_BEGIN_DECLS

/* The largest CMS a /Contents may hold, in bytes (32,000 hex digits stay
 * under the 32,767-byte string limit of PDF/A-2's implementation limits). */
#define CK_SEAL_CONTENTS_MAX 16000

/* Room reserved for a timestamp token before the first one is seen:
 * a token with its TSA certificate is about 1.5 KB. After each token the
 * reserve follows the TSA's real size (_ck_seal_note_token_size()). */
#define CK_SEAL_TOKEN_RESERVE_DEFAULT 2560

/* What an id-aa-timeStampToken attribute adds to a SignerInfo besides the
 * token: [1] { SEQUENCE { OID, SET { … } } } and the lengths that grow. */
#define CK_SEAL_TOKEN_OVERHEAD 48

/**
 * CkSealStampFunc:
 * @sha256: (array fixed-size=32): the digest to stamp
 *
 * Asks a time-stamping authority for a token over @sha256.
 *
 * Returns: (transfer full): the TimeStampToken (DER), verified; or %NULL
 *   with an error in CK_SEAL_ERROR (a CK_SEAL_ERROR_TSA_* code)
 */
typedef GBytes *(*CkSealStampFunc) (const guint8  *sha256,
                                    gpointer       user_data,
                                    GError       **error);

/* The loaded key: from a file (PKCS#12, which may carry the certificate
 * and chain, or PEM), or from a token (engine set). */
typedef struct
{
  EVP_PKEY *pkey;
  X509 *cert;                   /* from PKCS#12 only */
  STACK_OF (X509) *chain;       /* from PKCS#12 only */
  gpointer engine;              /* ENGINE *, for a pkcs11: key */
} CkSealKey;

struct _CkSeal
{
  GObject parent_instance;

  X509 *cert;
  STACK_OF (X509) *chain;       /* intermediates embedded in each signature */
  CkSealKey key;
  char *signer;                 /* the certificate's subject, one line */
  char *key_label;              /* the key file, or the URI without PIN */
  char *cert_label;             /* the certificate's file */

  /* The key is used under this lock: a PKCS#11 session is not to be
   * shared by two threads at once, and one lock costs nothing here. */
  GMutex key_lock;

  gsize cms_size_max;           /* a CMS without token, at most, in bytes */
  gint token_reserve;           /* atomic: bytes reserved for a token */

  CkTsa *tsa;
  CkSealStampFunc stamp_func;
  gpointer stamp_data;
  GDestroyNotify stamp_destroy;
};

typedef struct
{
  const guint8 *data;
  gsize len;
} CkSealRange;

/* ck-seal.c */
void      _ck_seal_set_stamp_func     (CkSeal              *self,
                                       CkSealStampFunc      func,
                                       gpointer             user_data,
                                       GDestroyNotify       destroy);
GBytes   *_ck_seal_stamp              (CkSeal              *self,
                                       const guint8        *sha256,
                                       GError             **error);
gsize     _ck_seal_get_token_reserve  (CkSeal              *self);
void      _ck_seal_note_token_size    (CkSeal              *self,
                                       gsize                size);

/* ck-seal-key.c */
gboolean  _ck_seal_key_load           (CkSealKey           *key,
                                       const char          *spec,
                                       const char          *password_file,
                                       const char          *pkcs11_module,
                                       GError             **error);
void      _ck_seal_key_clear          (CkSealKey           *key);
char     *_ck_seal_key_label          (const char          *spec);
char     *_ck_seal_read_secret        (const char          *path,
                                       GError             **error);
void      _ck_seal_free_secret        (char                *secret);

/* ck-seal-pkcs11.c */
gboolean  _ck_seal_pkcs11_load        (CkSealKey           *key,
                                       const char          *uri,
                                       const char          *pin,
                                       const char          *module,
                                       GError             **error);
void      _ck_seal_pkcs11_release     (CkSealKey           *key);

/* ck-seal-cms.c */
gboolean  _ck_seal_cms_check          (CkSeal              *self,
                                       GError             **error);
gboolean  _ck_seal_cms_measure        (CkSeal              *self,
                                       GError             **error);
GBytes   *_ck_seal_cms_sign           (CkSeal              *self,
                                       const CkSealRange   *ranges,
                                       guint                n_ranges,
                                       gboolean             signing_time,
                                       gboolean             timestamp,
                                       gsize                max_size,
                                       gsize               *needed_size,
                                       GError             **tsa_error,
                                       GError             **error);
char     *_ck_seal_name_one_line      (const X509_NAME     *name);

G_END_DECLS
