/* ck-tsa-private.h: what the seal's own files need of RFC 3161 tokens
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include "ck-tsa.h"

G_BEGIN_DECLS

/* The largest TSA reply read (bytes): a token with its certificate is
 * about 1.5 KB; more than this is not a time-stamp reply. */
#define CK_TSA_REPLY_MAX (64 * 1024)

/* The length of a SHA-256 digest, the only digest stamped. */
#define CK_TSA_SHA256_LEN 32

X509_STORE *_ck_tsa_ca_store_new  (const char    *pem,
                                   gsize          length);
X509_STORE *_ck_tsa_load_ca_file  (const char    *ca_file,
                                   GError       **error);
gboolean    _ck_tsa_parse_token   (GBytes        *token,
                                   char         **gen_time,
                                   char         **tsa_name,
                                   guint8        *imprint,
                                   GError       **error);
gboolean    _ck_tsa_verify_token  (GBytes        *token,
                                   const guint8  *sha256,
                                   X509_STORE    *store,
                                   char         **gen_time,
                                   char         **tsa_name,
                                   GError       **error);
gboolean    _ck_tsa_verify_token_with_ca_file (GBytes        *token,
                                               const guint8  *sha256,
                                               const char    *ca_file,
                                               char         **gen_time,
                                               char         **tsa_name,
                                               GError       **error);

/* Shared by ck-tsa.c, ck-tsa-token.c and the verifier. */
char       *_ck_tsa_openssl_errors (void);
char       *_ck_tsa_name_one_line (const X509_NAME *name);
char       *_ck_tsa_printable     (const char    *text,
                                   gsize          length,
                                   glong          max);
gboolean    _ck_tsa_imprint_matches (TS_TST_INFO  *tst_info,
                                     const guint8 *sha256);

G_END_DECLS
