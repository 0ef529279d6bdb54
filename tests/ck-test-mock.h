/* ck-test-mock.h: starting and watching the HTTPS mock of the verification API
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A made-up AppCode, split so that it does not look like a committed secret. */
#define CK_TEST_APPCODE "0123456789abcdef" "0123456789abcdef"

/**
 * CkTestMock:
 * @dir: the folder the mock's files live in (the caller's)
 * @cert_dir: its certificates; `ca.pem` is the CA that signed the good one
 * @request_log: one line a request it received
 * @good_port: the listener with the good certificate
 * @otherhost_port: the listener with a certificate for another host
 * @untrusted_port: the listener with a self-signed certificate
 */
typedef struct
{
  GSubprocess *process;
  char *dir;
  char *cert_dir;
  char *request_log;
  guint good_port;
  guint otherhost_port;
  guint untrusted_port;
} CkTestMock;

void         ck_test_mock_clear_env      (void);
void         ck_test_mock_write_appcode  (const char *dir);
CkTestMock  *ck_test_mock_start          (const char *dir);
CkTestMock  *ck_test_mock_start_with     (const char *dir,
                                          const char *program,
                                          const char *make_certs);
void         ck_test_mock_stop           (CkTestMock *mock);
char       **ck_test_mock_read_requests  (CkTestMock *mock);
guint        ck_test_mock_count_requests (CkTestMock *mock);
guint        ck_test_mock_last_connection (CkTestMock *mock);
char        *ck_test_mock_endpoint       (CkTestMock *mock,
                                          guint       port,
                                          const char *mode);

G_END_DECLS
