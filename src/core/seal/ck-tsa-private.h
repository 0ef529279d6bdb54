/* ck-tsa-private.h: what the seal's own files need of RFC 3161 tokens
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <openssl/x509_vfy.h>

#include "ck-tsa.h"

G_BEGIN_DECLS

/* The largest TSA reply read (bytes): a token with its certificate is
 * about 1.5 KB; more than this is not a time-stamp reply. */
#define CK_TSA_REPLY_MAX (64 * 1024)

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

G_END_DECLS
