/* ck-test-tsa.h: an RFC 3161 time-stamping authority for tests, in-process
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CkTestTsaMode:
 * @CK_TEST_TSA_GOOD: a granted, correct token signed by tsa.pem
 * @CK_TEST_TSA_SLOW: no answer at all until ck_test_tsa_release() (or
 *   ck_test_tsa_stop()); a released request gets a good answer
 * @CK_TEST_TSA_HTTP_500: HTTP 500, a text body
 * @CK_TEST_TSA_GARBAGE: HTTP 200, application/timestamp-reply, not DER
 * @CK_TEST_TSA_WRONG_NONCE: a good token for the request with another nonce
 * @CK_TEST_TSA_WRONG_IMPRINT: a good token over another hash
 * @CK_TEST_TSA_UNTRUSTED: a good token signed by rogue-tsa.pem, which no
 *   trusted CA issued
 * @CK_TEST_TSA_REJECTION: status rejection, failure info systemFailure,
 *   text CK_TEST_TSA_REJECTION_TEXT
 * @CK_TEST_TSA_HUGE: HTTP 200 with 100 KB of zeros
 */
typedef enum
{
  CK_TEST_TSA_GOOD,
  CK_TEST_TSA_SLOW,
  CK_TEST_TSA_HTTP_500,
  CK_TEST_TSA_GARBAGE,
  CK_TEST_TSA_WRONG_NONCE,
  CK_TEST_TSA_WRONG_IMPRINT,
  CK_TEST_TSA_UNTRUSTED,
  CK_TEST_TSA_REJECTION,
  CK_TEST_TSA_HUGE,
} CkTestTsaMode;

#define CK_TEST_TSA_REJECTION_TEXT "The test TSA rejects this request on purpose."
#define CK_TEST_TSA_POLICY "1.3.6.1.4.1.99999.15.1"

typedef struct _CkTestTsa CkTestTsa;

void        ck_test_make_pki          (const char   *dir,
                                       const char   *option);
CkTestTsa  *ck_test_tsa_start         (const char   *pki_dir);
void        ck_test_tsa_stop          (CkTestTsa    *tsa);
const char *ck_test_tsa_get_url       (CkTestTsa    *tsa);
void        ck_test_tsa_set_mode      (CkTestTsa    *tsa,
                                       CkTestTsaMode mode);
guint       ck_test_tsa_count_requests (CkTestTsa   *tsa);
guint       ck_test_tsa_count_held    (CkTestTsa    *tsa);
void        ck_test_tsa_wait_requests (CkTestTsa    *tsa,
                                       guint         requests);
void        ck_test_tsa_wait_held     (CkTestTsa    *tsa,
                                       guint         held);
void        ck_test_tsa_release       (CkTestTsa    *tsa);

G_END_DECLS
