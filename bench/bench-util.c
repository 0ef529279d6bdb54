/* bench-util.c: what the benchmarks share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "bench-util.h"
#include "ck.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Prints the median and the @percentile-th percentile of @ms (sorted in
 * place), as a line for people and a JSON line for tools. */
void
bench_report (const char *label,
              GArray     *ms,
              guint       percentile)
{
  double median, high;

  g_array_sort (ms, compare_doubles);
  median = g_array_index (ms, double, ms->len / 2);
  high = g_array_index (ms, double, MIN (ms->len - 1, (guint)(ms->len * (percentile / 100.0))));
  g_print ("%-28s %8u runs   median %8.3f ms   p%u %8.3f ms\n", label, ms->len, median, percentile, high);
  g_print ("{\"bench\":\"%s\",\"runs\":%u,\"median_ms\":%.3f,\"p%u_ms\":%.3f}\n",
           label, ms->len, median, percentile, high);
}

static const char *surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
static const char *given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣瑶梓涵子轩一诺依晨雨欣";

/* A common surname and one or two given-name characters. */
char *
bench_random_name (GRand *rand)
{
  glong ns = g_utf8_strlen (surnames, -1), ng = g_utf8_strlen (given, -1);
  GString *name = g_string_new (NULL);
  guint n_given = g_rand_int_range (rand, 1, 3);

  g_string_append_unichar (name, g_utf8_get_char (g_utf8_offset_to_pointer (surnames, g_rand_int_range (rand, 0, ns))));
  for (guint i = 0; i < n_given; i++)
    g_string_append_unichar (name, g_utf8_get_char (g_utf8_offset_to_pointer (given, g_rand_int_range (rand, 0, ng))));

  return g_string_free (name, FALSE);
}

/* A resident ID number with a valid check character. */
char *
bench_random_id (GRand *rand)
{
  static const guint codes[] = { 11, 31, 32, 33, 44, 51, 65 };
  char first17[18];

  g_snprintf (first17, sizeof first17, "%02u%04u%04u%02u%02u%03u",
              codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (codes))],
              (guint)g_rand_int_range (rand, 100, 10000),
              (guint)g_rand_int_range (rand, 1940, 2005),
              (guint)g_rand_int_range (rand, 1, 13),
              (guint)g_rand_int_range (rand, 1, 29),
              (guint)g_rand_int_range (rand, 0, 1000));

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

/* --- a store of many consents ------------------------------------------------ */

/* last_outcome, last_number, withdrawn, out of 100 consents */
static const struct {
  const char *outcome;
  int number;
  int withdrawn;
  int share;
} statuses[] = {
  { "verified",       1, 0, 62 },
  { NULL,             0, 0, 10 },   /* unverified */
  { "not-matched",    1, 0, 5 },
  { "undetermined",   1, 0, 4 },
  { "input-rejected", 1, 0, 3 },
  { "provider-fault", 1, 0, 5 },    /* retrying */
  { "config-fault",   1, 0, 4 },    /* failed */
  { "in-progress",    1, 0, 1 },
  { "verified",       1, 1, 6 },    /* withdrawn */
};

static void
check_sqlite (sqlite3 *db,
              int      rc,
              int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

/* Sign dates run from 2024-01-01 to 2026-11-28 with the seq. */
static char *
sign_date_of (guint i,
              guint n)
{
  g_autoptr(GDateTime) first = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (first, (gint)((guint64)i * 1062 / MAX (n, 1)));

  return g_date_time_format (day, "%Y-%m-%d");
}

static void
fill (const char *data_dir,
      guint       n,
      GBytes     *signature,
      GRand      *rand,
      GPtrArray  *some_surnames,
      GPtrArray  *some_tails)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *consent = NULL, *status = NULL;
  char prev[65] = { 0 };

  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO consents (seq, uuid, created_at, name, id_number, sign_date, org_name, org_business, "
    "org_purpose, template_sha256, pdf_path, pdf_sha256, pdf_size, signature, kiosk_id, operator, demo, "
    "prev_hash, row_hash, id_reversed) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, '示例银行股份有限公司', '个人贷款', '身份核验和风险管理', ?7, ?8, ?7, "
    "50000, ?9, 'bench-kiosk', '柜员甲', 0, ?10, ?11, ?12)", -1, &consent, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO consent_status (seq, uuid, last_outcome, last_number, withdrawn) VALUES (?, ?, ?, ?, ?)",
    -1, &status, NULL), SQLITE_OK);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = bench_random_name (rand);
      g_autofree char *id = bench_random_id (rand);
      g_autofree char *reversed = g_utf8_strreverse (id, -1);
      g_autofree char *date = sign_date_of (i, n);
      g_autofree char *created = g_strdup_printf ("%sT09:%02u:%02u.000000Z", date, i % 60, (i / 60) % 60);
      g_autofree char *pdf_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf", date, date + 5, uuid);
      g_autofree char *seq_text = g_strdup_printf ("%u", i + 1);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seq_text, -1);
      int pick = g_rand_int_range (rand, 0, 100), s = 0;

      while (pick >= statuses[s].share)
        pick -= statuses[s++].share;

      sqlite3_reset (consent);
      sqlite3_bind_int64 (consent, 1, i + 1);
      sqlite3_bind_text (consent, 2, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 3, created, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 4, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 5, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 6, date, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 7, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 8, pdf_path, -1, SQLITE_STATIC);
      sqlite3_bind_blob (consent, 9, g_bytes_get_data (signature, NULL), (int)g_bytes_get_size (signature),
                         SQLITE_STATIC);
      sqlite3_bind_text (consent, 10, i ? prev : "0", -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 11, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (consent, 12, reversed, -1, SQLITE_STATIC);
      check_sqlite (db, sqlite3_step (consent), SQLITE_DONE);

      sqlite3_reset (status);
      sqlite3_bind_int64 (status, 1, i + 1);
      sqlite3_bind_text (status, 2, uuid, -1, SQLITE_STATIC);
      if (statuses[s].outcome)
        sqlite3_bind_text (status, 3, statuses[s].outcome, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (status, 3);
      sqlite3_bind_int (status, 4, statuses[s].number);
      sqlite3_bind_int (status, 5, statuses[s].withdrawn);
      check_sqlite (db, sqlite3_step (status), SQLITE_DONE);

      g_strlcpy (prev, hash, sizeof prev);
      if (some_surnames && some_tails && i % MAX (1, n / 50) == 0)
        {
          g_ptr_array_add (some_surnames, g_utf8_substring (name, 0, 1));
          g_ptr_array_add (some_tails, g_strdup (id + 12));
        }
    }

  check_sqlite (db, sqlite3_exec (db, "UPDATE chain SET seq = (SELECT max (seq) FROM consents) WHERE id = 1;"
                                      "COMMIT;", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_finalize (consent);
  sqlite3_finalize (status);
  sqlite3_close (db);
}

/**
 * bench_fill_store:
 * @dir: (nullable): where the store's temporary directory goes; /dev/shm
 *   (or the temporary directory) by default
 * @n: consents
 * @rand: the names, ID numbers and states
 * @some_surnames: (nullable): gets the surnames of 50 consents spread over the store
 * @some_tails: (nullable): gets their ID numbers' last 6 characters
 *
 * Makes a store with ck_store_open () and fills it with @n consents in one
 * SQLite transaction of plain INSERTs (fill () above: the benchmarks' own,
 * not the store's save path), printing how long that took.
 *
 * Returns: the store's data directory; ck_test_rm_rf () it when done
 */
char *
bench_fill_store (const char *dir,
                  guint       n,
                  GRand      *rand,
                  GPtrArray  *some_surnames,
                  GPtrArray  *some_tails)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(GBytes) signature_bytes = ck_signature_serialize (signature);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *data_dir;
  gint64 start;

  data_dir = g_build_filename (dir ? dir : g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                               "ck-bench-store-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (data_dir));
  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  start = g_get_monotonic_time ();
  fill (data_dir, n, signature_bytes, rand, some_surnames, some_tails);
  g_print ("%-28s %8u records in %.1f s (one transaction; not the store's save path)\n", "fill",
           n, (g_get_monotonic_time () - start) / 1e6);

  return data_dir;
}

/**
 * bench_write_pdfs:
 * @data_dir: a store bench_fill_store () made
 * @size: bytes a file
 *
 * Puts a file of @size bytes at the PDF path of every consent, as a store
 * that saved them has them on its disk (they do not match the recorded
 * hashes: the benchmarks that use this do not check). Prints how long it
 * took.
 */
void
bench_write_pdfs (const char *data_dir,
                  gsize       size)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  g_autofree guint8 *bytes = g_malloc0 (size);
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n = 0;

  memcpy (bytes, "%PDF-1.7\n", MIN (size, 9));
  check_sqlite (db, sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db, "SELECT pdf_path FROM consents", -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *file = g_build_filename (data_dir, (const char *)sqlite3_column_text (stmt, 0), NULL);
      g_autofree char *dir = g_path_get_dirname (file);
      g_autoptr(GError) error = NULL;

      if (!g_hash_table_contains (dirs, dir))
        {
          g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
          g_hash_table_add (dirs, g_steal_pointer (&dir));
        }
      g_file_set_contents_full (file, (const char *)bytes, size, G_FILE_SET_CONTENTS_NONE, 0600, &error);
      g_assert_no_error (error);
      n++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_print ("%-28s %8u files of %zu bytes in %.1f s\n", "fill.pdfs", n, size,
           (g_get_monotonic_time () - start) / 1e6);
}

/**
 * bench_downgrade_to_5:
 *
 * Turns a store of schema 6 back into schema 5 (no files journal), for
 * timing a consentctl built before it.
 */
void
bench_downgrade_to_5 (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;

  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_exec (db, "BEGIN; ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; DROP TABLE seal_jobs; DROP TABLE pending_files; PRAGMA user_version = 5; COMMIT;",
                                  NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
}

/* The standard one-page consent, as bench-pdf, bench-seal and
 * tests/integration/test-pdf.c build it, with @template, @signature and
 * @created (all kept by the caller). */
void
bench_standard_request (CkPdfRequest *request,
                        CkTemplate   *template,
                        CkSignature  *signature,
                        GDateTime    *created)
{
  memset (request, 0, sizeof *request);
  request->template = template;
  request->signature = signature;
  request->created = created;
  request->values[CK_TEMPLATE_FIELD_COMPANY] = "示例银行股份有限";
  request->values[CK_TEMPLATE_FIELD_BUSINESS] = "个人贷款";
  request->values[CK_TEMPLATE_FIELD_PURPOSE] = "身份核验和风险管理";
  request->values[CK_TEMPLATE_FIELD_NAME] = "张三";
  request->values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  request->values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  request->values[CK_TEMPLATE_FIELD_MONTH] = "11";
  request->values[CK_TEMPLATE_FIELD_DAY] = "28";
  request->consent_id = "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11";
  request->kiosk_id = "branch-042-kiosk-1";
  request->organization = "示例银行股份有限公司";
}
