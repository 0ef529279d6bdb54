/* ck-seal.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ck-config.h"

G_BEGIN_DECLS

#define CK_SEAL_ERROR (ck_seal_error_quark ())

/**
 * CkSealError:
 * @CK_SEAL_ERROR_NOT_CONFIGURED: [signing] key is not set
 * @CK_SEAL_ERROR_FILE: a certificate, chain or key file is missing,
 *   unreadable, not of mode 0600 (key, password) or not PEM/PKCS#12
 * @CK_SEAL_ERROR_KEY: the key cannot be loaded or used: wrong password or
 *   PIN, token or object not found, module missing, or the key does not
 *   belong to the certificate
 * @CK_SEAL_ERROR_CERTIFICATE: the seal's certificate is expired, not yet
 *   valid, or not for signing
 * @CK_SEAL_ERROR_PDF: the PDF is not one this kiosk can sign (no trailer,
 *   no catalog or page found)
 * @CK_SEAL_ERROR_SIGN: OpenSSL could not make the signature
 * @CK_SEAL_ERROR_TSA_UNREACHABLE: the TSA did not answer in time, or not
 *   with HTTP 200 and application/timestamp-reply
 * @CK_SEAL_ERROR_TSA_REPLY: the TSA's reply is refused: not DER, status
 *   not granted, wrong imprint or nonce, untrusted or wrong certificate
 * @CK_SEAL_ERROR_INVALID: verification failed (ck-seal-verify.h)
 */
typedef enum
{
  CK_SEAL_ERROR_NOT_CONFIGURED,
  CK_SEAL_ERROR_FILE,
  CK_SEAL_ERROR_KEY,
  CK_SEAL_ERROR_CERTIFICATE,
  CK_SEAL_ERROR_PDF,
  CK_SEAL_ERROR_SIGN,
  CK_SEAL_ERROR_TSA_UNREACHABLE,
  CK_SEAL_ERROR_TSA_REPLY,
  CK_SEAL_ERROR_INVALID,
} CkSealError;

GQuark ck_seal_error_quark (void);

/**
 * CkSealPdfInfo:
 * @field_name: the signature field's name (/T): the organisation's name
 * @reason: /Reason, e.g. "个人信息授权"
 * @location: /Location: the kiosk id
 * @time: /M, the signing time as the kiosk's clock says
 */
typedef struct
{
  const char *field_name;
  const char *reason;
  const char *location;
  GDateTime  *time;
} CkSealPdfInfo;

#define CK_TYPE_SEAL (ck_seal_get_type ())
G_DECLARE_FINAL_TYPE (CkSeal, ck_seal, CK, SEAL, GObject)

CkSeal     *ck_seal_new                (CkConfig             *config,
                                        GError              **error);
const char *ck_seal_get_signer         (CkSeal               *self);
gboolean    ck_seal_get_has_tsa        (CkSeal               *self);
GBytes     *ck_seal_sign_pdf           (CkSeal               *self,
                                        GBytes               *pdf,
                                        const CkSealPdfInfo  *info,
                                        gboolean              timestamp,
                                        GError              **tsa_error,
                                        GError              **error);
GBytes     *ck_seal_timestamp_pdf      (CkSeal               *self,
                                        GBytes               *pdf,
                                        GError              **error);
GBytes     *ck_seal_sign_data          (CkSeal               *self,
                                        GBytes               *data,
                                        gboolean              timestamp,
                                        GError              **tsa_error,
                                        GError              **error);

G_END_DECLS
