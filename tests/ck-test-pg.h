/* ck-test-pg.h: a private PostgreSQL 15 server for tests and benchmarks
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CkTestPgFlags:
 * @CK_TEST_PG_NONE: PostgreSQL's durable defaults (fsync, synchronous
 *   commit, full page writes): what a benchmark measures
 * @CK_TEST_PG_FAST: fsync, synchronous_commit and full_page_writes off:
 *   for tests, which never survive a power cut anyway
 */
typedef enum
{
  CK_TEST_PG_NONE = 0,
  CK_TEST_PG_FAST = 1 << 0,
} CkTestPgFlags;

/* The superuser initdb makes, and the database ck_test_pg_start() creates. */
#define CK_TEST_PG_ADMIN "ckadmin"
#define CK_TEST_PG_DATABASE "consents"
/* The group whose members log in over TLS with a client certificate. */
#define CK_TEST_PG_CERT_GROUP "ck_cert_login"

typedef struct _CkTestPg CkTestPg;

gboolean    ck_test_pg_available          (char          **reason);
void        ck_test_pg_require_or_skip    (void);
CkTestPg   *ck_test_pg_start              (CkTestPgFlags   flags,
                                           GError        **error);
const char *ck_test_pg_get_dir            (CkTestPg       *pg);
const char *ck_test_pg_get_socket_dir     (CkTestPg       *pg);
guint16     ck_test_pg_get_port           (CkTestPg       *pg);
const char *ck_test_pg_get_admin_conninfo (CkTestPg       *pg);
const char *ck_test_pg_get_ca_file        (CkTestPg       *pg);
const char *ck_test_pg_get_wrong_ca_file  (CkTestPg       *pg);
const char *ck_test_pg_get_log_path       (CkTestPg       *pg);
gboolean    ck_test_pg_make_client_cert   (CkTestPg       *pg,
                                           const char     *role,
                                           char          **cert_path,
                                           char          **key_path,
                                           GError        **error);
gboolean    ck_test_pg_exec               (CkTestPg       *pg,
                                           const char     *sql,
                                           GError        **error);
gboolean    ck_test_pg_stop               (CkTestPg       *pg,
                                           gboolean        immediate,
                                           GError        **error);
gboolean    ck_test_pg_restart_server     (CkTestPg       *pg,
                                           GError        **error);
void        ck_test_pg_free               (CkTestPg       *pg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkTestPg, ck_test_pg_free)

G_END_DECLS
