/* ck-seal-verify-private.h: what ck-seal-verify*.c share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <openssl/cms.h>
#include <openssl/x509_vfy.h>

#include "ck-pdf-scan-private.h"
#include "ck-seal-verify.h"

G_BEGIN_DECLS

#define SHA256_LEN 32

/* Bounds on the work a hostile file can ask for: signatures verified (each
 * hashes up to the whole file), revisions checked after the consent
 * signature, objects a document timestamp's revision may list. */
#define CK_SEAL_VERIFY_MAX_SIGNATURES    16
#define CK_SEAL_VERIFY_MAX_REVISIONS     16
#define CK_SEAL_VERIFY_MAX_XREF_ENTRIES  256

/* What _ck_seal_check_cms () found. */
typedef struct
{
  gboolean  cms_read;     /* the DER is a CMS SignedData with one signer */
  gboolean  valid;
  gboolean  trusted;
  char     *signer;
  GBytes   *token;        /* the embedded id-aa-timeStampToken, if any */
  guint8    signature_sha256[SHA256_LEN];
  GPtrArray *problems;    /* translated sentences */
} CkSealCmsCheck;

void             _ck_seal_timestamp_free      (gpointer          data);
X509_STORE      *_ck_seal_load_ca_file       (const char       *ca_file,
                                              GError          **error);
int              _ck_seal_verify_chain       (X509_STORE       *store,
                                              X509             *signer,
                                              CMS_ContentInfo  *cms,
                                              time_t            at);
CMS_ContentInfo *_ck_seal_check_cms          (const guint8     *der,
                                              gsize             der_len,
                                              const guint8     *content,
                                              gsize             content_len,
                                              gboolean          cades,
                                              CkSealCmsCheck   *check);
void             _ck_seal_cms_check_clear    (CkSealCmsCheck   *check);
CkSealTimestamp *_ck_seal_check_token        (GBytes           *token,
                                              const guint8     *sha256,
                                              X509_STORE       *tsa_store,
                                              gboolean          document,
                                              char            **why);
CkPdfValue      *_ck_seal_resolve            (const CkPdfScan  *scan,
                                              const CkPdfValue *value,
                                              gsize             before);
char            *_ck_seal_check_timestamp_revision (const CkPdfScan *scan,
                                                    guint            index);

G_END_DECLS
