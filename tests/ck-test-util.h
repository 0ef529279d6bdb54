/* ck-test-util.h: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CkTestMockPorts:
 * @good: the server with a certificate for 127.0.0.1 from the test CA
 * @otherhost: the one whose certificate names another host
 * @untrusted: the one with a self-signed certificate
 *
 * The ports the HTTPS mock of the verification API listens on.
 */
typedef struct
{
  guint good;
  guint otherhost;
  guint untrusted;
} CkTestMockPorts;

void         ck_test_rm_rf             (const char      *path);
GSubprocess *ck_test_mock_idcert_start (const char      *program,
                                        const char      *make_certs,
                                        const char      *cert_dir,
                                        const char      *request_log,
                                        CkTestMockPorts *ports);
void         ck_test_mock_idcert_stop  (GSubprocess     *mock);

G_END_DECLS
