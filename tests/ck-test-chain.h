/* ck-test-chain.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

sqlite3 *ck_test_db_open       (const char   *data_dir);
void     ck_test_db_exec       (const char   *data_dir,
                                const char   *sql);
char    *ck_test_db_query      (const char   *data_dir,
                                const char   *sql);
char    *ck_test_hash_row      (sqlite3_stmt *stmt,
                                gboolean      consent,
                                const char   *prev);
void     ck_test_write_head    (const char   *data_dir,
                                gint64        seq,
                                const char   *hash);
void     ck_test_rechain_from  (const char   *data_dir,
                                gint64        from);

G_END_DECLS
