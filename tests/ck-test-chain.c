/* ck-test-chain.c: a store's database as a script sees it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SQLite on a store's consents.db, behind the store's back, and the
 * attacker's script of issue 15: the canonical records of docs/STORAGE.md
 * recomputed from any link on, head and head copy included. Shared by the
 * store's tests and the central archive's (the rechain attack). */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "ck-test-chain.h"

sqlite3 *
ck_test_db_open (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

void
ck_test_db_exec (const char *data_dir,
         const char *sql)
{
  sqlite3 *db = ck_test_db_open (data_dir);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

char *
ck_test_db_query (const char *data_dir,
          const char *sql)
{
  sqlite3 *db = ck_test_db_open (data_dir);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return value;
}

/* --- the attacker's script: the canonical records of docs/STORAGE.md ------- */

static void
canon (GString    *out,
       const char *key,
       const char *value)
{
  if (value == NULL)
    g_string_append_printf (out, "%s:-\n", key);
  else
    g_string_append_printf (out, "%s:%zu:%s\n", key, strlen (value), value);
}

/* The row hash of the consent or event in @stmt's row, with @prev. */
char *
ck_test_hash_row (sqlite3_stmt *stmt,
          gboolean      consent,
          const char   *prev)
{
  g_autoptr(GString) text = g_string_new (consent ? "ck-consent/1\n" : "ck-event/1\n");
  static const char * const consent_fields[] = {
    "seq", "uuid", "created_at", "name", "id_number", "sign_date", "org_name", "org_business",
    "org_purpose", "template_sha256", "pdf_path", "pdf_sha256", "pdf_size", "signature", "kiosk_id",
    "operator", "demo",
  };
  static const char * const event_fields[] = { "seq", "at", "kind", "consent_uuid", "operator", "detail" };
  const char * const *fields = consent ? consent_fields : event_fields;
  guint n = consent ? G_N_ELEMENTS (consent_fields) : G_N_ELEMENTS (event_fields);

  canon (text, "prev", prev);
  for (guint i = 0; i < n; i++)
    {
      int column = -1;

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        if (g_str_equal (sqlite3_column_name (stmt, c), fields[i]))
          column = c;
      g_assert_cmpint (column, >=, 0);
      if (g_str_equal (fields[i], "signature"))
        {
          g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, sqlite3_column_blob (stmt, column),
                                                              sqlite3_column_bytes (stmt, column));

          canon (text, "signature_sha256", sha);
        }
      else
        canon (text, fields[i], (const char *)sqlite3_column_text (stmt, column));
    }

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

/* Writes consents.head as ck-store-head.c does: what the script copies. */
void
ck_test_write_head (const char *data_dir,
            gint64      seq,
            const char *hash)
{
  g_autofree char *body = g_strdup_printf ("ck-head/1 %020" G_GINT64_FORMAT " %s", seq, hash);
  g_autofree char *line = g_strdup_printf ("%s %08x\n", body, (guint32)crc32 (0, (const Bytef *)body,
                                                                            (uInt)strlen (body)));
  g_autofree char *path = g_build_filename (data_dir, "consents.head", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, line, -1, &error));
  g_assert_no_error (error);
}

/* Recomputes every link from @from on, each from the one before, and the
 * head and its copy: the 70-line script of issue 15. */
void
ck_test_rechain_from (const char *data_dir,
              gint64      from)
{
  sqlite3 *db = ck_test_db_open (data_dir);
  g_autofree char *prev = NULL;
  gint64 seq;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT prev_hash FROM consents WHERE seq = ?1 "
                                             "UNION ALL SELECT prev_hash FROM events WHERE seq = ?1", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    sqlite3_bind_int64 (stmt, 1, from);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    prev = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }

  for (seq = from;; seq++)
    {
      sqlite3_stmt *stmt = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *update = NULL;
      gboolean consent = TRUE;
      int rc;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM consents WHERE seq = ?", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, seq);
      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        {
          sqlite3_finalize (stmt);
          consent = FALSE;
          g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM events WHERE seq = ?", -1, &stmt, NULL), ==, SQLITE_OK);
          sqlite3_bind_int64 (stmt, 1, seq);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_ROW)
        {
          sqlite3_finalize (stmt);
          break;
        }
      hash = ck_test_hash_row (stmt, consent, prev);
      sqlite3_finalize (stmt);

      update = sqlite3_mprintf ("UPDATE %s SET prev_hash = %Q, row_hash = %Q WHERE seq = %lld",
                                consent ? "consents" : "events", prev, hash, (long long)seq);
      g_assert_cmpint (sqlite3_exec (db, update, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_free (update);
      update = NULL;
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }

  {
    char *sql = sqlite3_mprintf ("UPDATE chain SET seq = %lld, hash = %Q", (long long)(seq - 1), prev);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_free (sql);
  }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  ck_test_write_head (data_dir, seq - 1, prev);
}
