/* ck-central.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-store.h"

G_BEGIN_DECLS

#define CK_CENTRAL_ERROR (ck_central_error_quark ())
#define CK_TYPE_CENTRAL (ck_central_get_type ())

/* The central schema this build creates and reads (data/central/). */
#define CK_CENTRAL_SCHEMA_VERSION 3

/* Seconds to wait for the central server to answer a connection. */
#define CK_CENTRAL_CONNECT_TIMEOUT_S 10

/**
 * CkCentralError:
 * @CK_CENTRAL_ERROR_CONFIG: the connection settings are unusable
 * @CK_CENTRAL_ERROR_CONNECT: the server cannot be reached
 * @CK_CENTRAL_ERROR_TLS: the server's certificate is not trusted, or not
 *   for the host named
 * @CK_CENTRAL_ERROR_AUTH: the server refused the role's password or
 *   certificate
 * @CK_CENTRAL_ERROR_SCHEMA: the database has no archive, or an older one
 *   (run `consentctl central migrate`)
 * @CK_CENTRAL_ERROR_NEWER_SCHEMA: the archive was made by a newer version
 * @CK_CENTRAL_ERROR_NOT_REGISTERED: the role is not registered for this
 *   kiosk (`consentctl central add-kiosk`)
 * @CK_CENTRAL_ERROR_REFUSED: the database refused what was sent or asked
 *   (a constraint, a missing privilege)
 * @CK_CENTRAL_ERROR_CONFLICT: the archive holds a link of this kiosk's
 *   chain that differs from the kiosk's: the chain was rewritten
 * @CK_CENTRAL_ERROR_LOST: the connection broke in the middle
 * @CK_CENTRAL_ERROR_FAILED: anything else the server reported
 */
typedef enum
{
  CK_CENTRAL_ERROR_CONFIG,
  CK_CENTRAL_ERROR_CONNECT,
  CK_CENTRAL_ERROR_TLS,
  CK_CENTRAL_ERROR_AUTH,
  CK_CENTRAL_ERROR_SCHEMA,
  CK_CENTRAL_ERROR_NEWER_SCHEMA,
  CK_CENTRAL_ERROR_NOT_REGISTERED,
  CK_CENTRAL_ERROR_REFUSED,
  CK_CENTRAL_ERROR_CONFLICT,
  CK_CENTRAL_ERROR_LOST,
  CK_CENTRAL_ERROR_FAILED,
} CkCentralError;

/**
 * CkCentralParams:
 * @url: a libpq URI, postgresql://ROLE@HOST[:PORT]/DB, without a password
 * @password_file: (nullable): a file (0600) holding the role's password
 * @client_certificate: (nullable): a client certificate (PEM)
 * @client_key: (nullable): its key (PEM, 0600)
 * @ca_file: (nullable): the CA that signed the server's certificate;
 *   required for a TCP host (the server is always verified: verify-full)
 *
 * How to reach the central archive ([central] in the configuration, or
 * `consentctl --central URL`).
 */
typedef struct
{
  const char *url;
  const char *password_file;
  const char *client_certificate;
  const char *client_key;
  const char *ca_file;
} CkCentralParams;

/**
 * CkSyncResult:
 * @sent: links sent in this batch (0 when nothing was pending)
 * @pdf_bytes: PDF bytes among them
 * @receipt_seq: the last link the archive acknowledges now
 * @pending: links still to send after this batch
 */
typedef struct
{
  guint sent;
  guint64 pdf_bytes;
  gint64 receipt_seq;
  gint64 pending;
} CkSyncResult;

G_DECLARE_FINAL_TYPE (CkCentral, ck_central, CK, CENTRAL, GObject)

GQuark      ck_central_error_quark        (void);

void        ck_central_params_from_config (CkCentralParams   *params,
                                           CkConfig          *config);
CkCentral  *ck_central_connect            (const CkCentralParams *params,
                                           GError           **error);
char       *ck_central_dup_display_url    (const char        *url);
const char *ck_central_get_role           (CkCentral         *self);

int         ck_central_get_schema_version (CkCentral         *self,
                                           GError           **error);
gboolean    ck_central_init_archive       (CkCentral         *self,
                                           int                to_version,
                                           GError           **error);
gboolean    ck_central_migrate            (CkCentral         *self,
                                           GError           **error);
gboolean    ck_central_add_kiosk          (CkCentral         *self,
                                           const char        *kiosk_id,
                                           const char        *branch,
                                           const char        *role,
                                           const char        *password,
                                           GError           **error);

gboolean    ck_central_sync_batch         (CkCentral         *self,
                                           CkStore           *store,
                                           const char        *kiosk_id,
                                           guint              batch_size,
                                           CkSyncResult      *result,
                                           GError           **error);
gboolean    ck_central_fetch_org_usage    (CkCentral         *self,
                                           const char        *since,
                                           guint64           *billed,
                                           guint64           *maybe_billed,
                                           guint             *kiosks,
                                           GError           **error);

G_END_DECLS
