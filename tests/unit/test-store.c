/* test-store.c: the consent store, its checks and its failures
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ck.h"
#include "ck-export-full.h"
#include "ck-test-util.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char *dir;    /* the temporary directory, removed at the end */
  char *data;   /* the store's data directory, inside it */
  char *mount;  /* a file system mounted by the test, or NULL */
} Fixture;

/* --- helpers --------------------------------------------------------- */


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->mount)
    {
      if (umount2 (f->mount, MNT_DETACH) != 0)
        g_error ("umount %s: %s", f->mount, g_strerror (errno));
      g_clear_pointer (&f->mount, g_free);
    }
  ck_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->data, g_free);
}

static CkStore *
open_store (const char       *data_dir,
            CkStoreOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  CkStore *store = ck_store_open (data_dir, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

/* Any bytes will do: the store only hashes them. */
static GBytes *
fake_pdf (gsize size)
{
  guint8 *data = g_malloc (size);
  const char head[] = "%PDF-1.4\n";

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)g_test_rand_int_range (0, 256);
  memcpy (data, head, MIN (size, sizeof head - 1));

  return g_bytes_new_take (data, size);
}

static CkConsentRecord *
make_record (const char *name,
             const char *id_number,
             const char *sign_date)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (90);
  CkConsentRecord *r = ck_consent_record_new ();

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup_printf ("%sT01:30:00.000000Z", sign_date);
  r->name = g_strdup (name);
  r->id_number = g_strdup (id_number);
  r->sign_date = g_strdup (sign_date);
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042-kiosk-1");
  r->operator_name = g_strdup ("王经理");

  return r;
}

/* Saves a consent with a small fake PDF; returns its uuid. */
static char *
save_one (CkStore    *store,
          const char *name,
          const char *id_number,
          const char *sign_date)
{
  g_autoptr(CkConsentRecord) r = make_record (name, id_number, sign_date);
  g_autoptr(GBytes) pdf = fake_pdf (2000 + g_test_rand_int_range (0, 2000));
  g_autoptr(GError) error = NULL;

  gboolean saved = ck_store_save (store, r, pdf, &error);

  g_assert_no_error (error);
  g_assert_true (saved);

  return g_strdup (r->uuid);
}

/* Runs @sql on the store's database behind its back, as an intruder would. */
static void
db_exec (const char *data_dir,
         const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* The first column of the first row @sql gives, as text (%NULL for none). */
static char *
db_query (const char *data_dir,
          const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  return value;
}

static int
db_user_version (const char *data_dir)
{
  g_autofree char *version = db_query (data_dir, "PRAGMA user_version");

  return atoi (version);
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
}

static GPtrArray *
check (CkStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = ck_store_check (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (problems);
  print_problems (problems);

  return problems;
}

static void
assert_clean (CkStore *store)
{
  g_autoptr(GPtrArray) problems = check (store);

  g_assert_cmpuint (problems->len, ==, 0);
}

/* Some problem mentions both @a and @b. */
static void
assert_problem (GPtrArray  *problems,
                const char *a,
                const char *b)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], a) && strstr (problems->pdata[i], b))
      return;

  g_error ("No problem mentions “%s” and “%s”", a, b);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 07777) != mode)
    g_error ("%s: mode %o, not %o", path, st.st_mode & 07777, mode);
}

static char *
pdf_path (const char *data_dir,
          const char *sign_date,
          const char *uuid)
{
  g_autofree char *year = g_strndup (sign_date, 4);
  g_autofree char *month = g_strndup (sign_date + 5, 2);
  g_autofree char *name = g_strconcat (uuid, ".pdf", NULL);

  return g_build_filename (data_dir, "pdf", year, month, name, NULL);
}

/* Mounts a tmpfs of @size_kb at @path, or returns FALSE (and skips the
 * test) where this process may not mount. */
static gboolean
mount_tmpfs (Fixture    *f,
             const char *path,
             guint       size_kb)
{
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kb);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  if (mount ("tmpfs", path, "tmpfs", 0, options) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot mount a tmpfs (%s): this test needs root",
                                                 g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  f->mount = g_strdup (path);

  return TRUE;
}

/* --- saving and reading ------------------------------------------------ */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_consent_record_free);
  g_autoptr(GPtrArray) pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) missing = NULL;
  g_autofree char *db = g_build_filename (f->data, "consents.db", NULL);
  g_autofree char *wal = g_build_filename (f->data, "consents.db-wal", NULL);
  g_autofree char *shm = g_build_filename (f->data, "consents.db-shm", NULL);
  g_autofree char *pdf_dir = g_build_filename (f->data, "pdf", NULL);
  g_autofree char *year_dir = g_build_filename (f->data, "pdf", "2026", NULL);
  g_autofree char *month_dir = g_build_filename (f->data, "pdf", "2026", "11", NULL);
  const char *names[] = { "张三", "李四", "王五" };
  const char *dates[] = { "2026-11-28", "2026-11-29", "2026-12-01" };
  const char *prev = GENESIS;

  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (db_user_version (f->data), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (ck_store_count (store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_store_get_recovery (store)->tmp_removed, ==, 0);
  g_assert_cmpuint (ck_store_get_recovery (store)->quarantined->len, ==, 0);
  assert_clean (store);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CkConsentRecord) r = make_record (names[i], "11010519491231002X", dates[i]);
      GBytes *pdf = fake_pdf (5000 + i);
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
      g_autofree char *expected_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf",
                                                        dates[i], dates[i] + 5, r->uuid);

      g_assert_true (ck_store_save (store, r, pdf, &error));
      g_assert_no_error (error);
      /* The store filled in the rest. */
      g_assert_cmpstr (r->pdf_path, ==, expected_path);
      g_assert_cmpstr (r->pdf_sha256, ==, sha256);
      g_assert_cmpint (r->pdf_size, ==, 5000 + i);
      g_assert_cmpint (r->seq, ==, i + 1);
      g_assert_cmpstr (r->prev_hash, ==, prev);
      g_assert_cmpuint (strlen (r->row_hash), ==, 64);
      prev = r->row_hash;
      g_ptr_array_add (pdfs, pdf);
      g_ptr_array_add (saved, g_steal_pointer (&r));
    }
  g_assert_cmpint (ck_store_count (store, &error), ==, 3);

  /* Lookup gives back every field, the signature byte for byte. */
  for (guint i = 0; i < saved->len; i++)
    {
      const CkConsentRecord *s = saved->pdata[i];
      g_autoptr(CkConsentRecord) r = ck_store_lookup (store, s->uuid, &error);
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(CkSignature) signature = NULL;
      guint n_samples;

      g_assert_no_error (error);
      g_assert_nonnull (r);
      g_assert_cmpstr (r->uuid, ==, s->uuid);
      g_assert_cmpstr (r->created_at, ==, s->created_at);
      g_assert_cmpstr (r->name, ==, names[i]);
      g_assert_cmpstr (r->id_number, ==, "11010519491231002X");
      g_assert_cmpstr (r->sign_date, ==, dates[i]);
      g_assert_cmpstr (r->org_name, ==, "示例银行股份有限公司");
      g_assert_cmpstr (r->org_business, ==, "个人贷款");
      g_assert_cmpstr (r->org_purpose, ==, "身份核验和风险管理");
      g_assert_cmpstr (r->template_sha256, ==, s->template_sha256);
      g_assert_cmpstr (r->pdf_path, ==, s->pdf_path);
      g_assert_cmpstr (r->pdf_sha256, ==, s->pdf_sha256);
      g_assert_cmpint (r->pdf_size, ==, s->pdf_size);
      g_assert_true (g_bytes_equal (r->signature, s->signature));
      g_assert_cmpstr (r->kiosk_id, ==, "branch-042-kiosk-1");
      g_assert_cmpstr (r->operator_name, ==, "王经理");
      g_assert_false (r->demo);
      g_assert_cmpint (r->seq, ==, s->seq);
      g_assert_cmpstr (r->prev_hash, ==, s->prev_hash);
      g_assert_cmpstr (r->row_hash, ==, s->row_hash);

      signature = ck_signature_deserialize (r->signature, &error);
      g_assert_no_error (error);
      ck_signature_get_samples (signature, &n_samples);
      g_assert_cmpuint (n_samples, ==, 90);

      pdf = ck_store_read_pdf (store, r, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (pdf, pdfs->pdata[i]));
    }

  /* Newest first. */
  list = ck_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const CkConsentRecord *r = list->pdata[i];

      g_assert_cmpstr (r->uuid, ==, ((CkConsentRecord *)saved->pdata[2 - i])->uuid);
    }

  missing = ck_store_lookup (store, "6a1b1f7e-5c43-4c8e-9a55-7b5b5f0b6d2e", &error);
  g_assert_null (missing);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Invariant 4: data files 0600, folders 0700. */
  assert_mode (f->data, 0700);
  assert_mode (pdf_dir, 0700);
  assert_mode (year_dir, 0700);
  assert_mode (month_dir, 0700);
  assert_mode (db, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  for (guint i = 0; i < saved->len; i++)
    {
      const CkConsentRecord *r = saved->pdata[i];
      g_autofree char *path = g_build_filename (f->data, r->pdf_path, NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      assert_mode (path, 0600);
      assert_mode (dir, 0700);
    }

  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Everything is there after reopening, read-only too. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (ck_store_count (store, &error), ==, 3);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *id_number;
    const char *sign_date;
  } people[] = {
    { "张三",      "11010519491231002X", "2026-01-15" },
    { "张三丰",    "110105199001011234", "2026-02-01" },
    { "李四",      "310101198512240018", "2026-02-28" },
    { "Zhang Wei", "44030519770707771X", "2026-03-10" },
    { "Zhao Min",  "440305197707075678", "2026-03-31" },
    { "王五",      "510104200002291234", "2026-04-01" },
  };
  static const struct {
    CkStoreQuery query;
    const char *expected;   /* indexes into people, newest first */
  } cases[] = {
    { { "张", NULL, NULL, 0, 0 }, "10" },
    { { "张三", NULL, NULL, 0, 0 }, "10" },
    { { "张三丰", NULL, NULL, 0, 0 }, "1" },
    { { "张四", NULL, NULL, 0, 0 }, "" },
    { { "三", NULL, NULL, 0, 0 }, "" },          /* a prefix, not a substring */
    { { "Zh", NULL, NULL, 0, 0 }, "43" },
    { { "Zhang", NULL, NULL, 0, 0 }, "3" },
    { { "zhang", NULL, NULL, 0, 0 }, "" },       /* names match exactly */
    { { "王五", NULL, NULL, 0, 0 }, "5" },
    /* ID tails: the final 4 or more characters, X in either case. */
    { { "002X", NULL, NULL, 0, 0 }, "0" },
    { { "002x", NULL, NULL, 0, 0 }, "0" },
    { { "231002x", NULL, NULL, 0, 0 }, "0" },
    { { "11010519491231002X", NULL, NULL, 0, 0 }, "0" },
    { { "1234", NULL, NULL, 0, 0 }, "51" },
    { { "771x", NULL, NULL, 0, 0 }, "3" },
    { { "0018", NULL, NULL, 0, 0 }, "2" },
    { { "1231", NULL, NULL, 0, 0 }, "" },        /* the tail, not the middle */
    { { "1101", NULL, NULL, 0, 0 }, "" },        /* nor the head */
    { { "9999", NULL, NULL, 0, 0 }, "" },
    /* Dates, inclusive on both ends. */
    { { NULL, "2026-02-01", NULL, 0, 0 }, "54321" },
    { { NULL, NULL, "2026-02-28", 0, 0 }, "210" },
    { { NULL, "2026-02-01", "2026-03-10", 0, 0 }, "321" },
    { { NULL, "2026-03-11", "2026-03-30", 0, 0 }, "" },
    { { "张", "2026-01-16", NULL, 0, 0 }, "1" },
    { { "1234", NULL, "2026-03-31", 0, 0 }, "1" },
    /* Pages. */
    { { NULL, NULL, NULL, 2, 0 }, "54" },
    { { NULL, NULL, NULL, 2, 2 }, "32" },
    { { NULL, NULL, NULL, 2, 4 }, "10" },
    { { NULL, NULL, NULL, 2, 6 }, "" },
    { { NULL, NULL, NULL, 0, 4 }, "10" },        /* no limit, an offset */
    { { "Zh", NULL, NULL, 1, 1 }, "3" },
    { { "", NULL, NULL, 0, 0 }, "543210" },
  };
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    g_ptr_array_add (uuids, save_one (store, people[i].name, people[i].id_number,
                                      people[i].sign_date));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CkStoreQuery *q = &cases[i].query;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = ck_store_list (store, q, &error);
      g_autoptr(GString) got = g_string_new (NULL);

      g_assert_no_error (error);
      for (guint j = 0; j < found->len; j++)
        {
          const CkConsentRecord *r = found->pdata[j];

          for (guint k = 0; k < uuids->len; k++)
            if (g_str_equal (r->uuid, uuids->pdata[k]))
              g_string_append_printf (got, "%u", k);
        }
      if (!g_str_equal (got->str, cases[i].expected))
        g_error ("search “%s” since %s until %s limit %u offset %u: got “%s”, expected “%s”",
                 q->search ? q->search : "(null)", q->since ? q->since : "-",
                 q->until ? q->until : "-", q->limit, q->offset, got->str, cases[i].expected);
    }

  g_assert_finalize_object (g_steal_pointer (&store));
}

/* --- check: a clean store and every kind of tampering ------------------- */

typedef struct
{
  CkStore *store;
  char *uuids[3];
} Three;

/* Three consents on two dates and an event, then closed. */
static void
three_init (Three      *t,
            const char *data_dir)
{
  g_autoptr(GError) error = NULL;

  memset (t, 0, sizeof *t);
  t->store = open_store (data_dir, CK_STORE_OPEN_RECOVER);
  t->uuids[0] = save_one (t->store, "张三", "11010519491231002X", "2026-11-27");
  t->uuids[1] = save_one (t->store, "李四", "310101198512240018", "2026-11-28");
  g_assert_true (ck_store_add_event (t->store, "reveal", t->uuids[1], "王经理",
                                     "{\"reason\":\"customer asked\"}", &error));
  g_assert_no_error (error);
  t->uuids[2] = save_one (t->store, "王五", "510104200002291234", "2026-11-28");
  assert_clean (t->store);
  g_assert_finalize_object (g_steal_pointer (&t->store));
}

static void
three_clear (Three *t)
{
  g_clear_object (&t->store);
  for (guint i = 0; i < G_N_ELEMENTS (t->uuids); i++)
    g_clear_pointer (&t->uuids[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Three, three_clear)

/* The problems a reopened store finds; at least one. */
static GPtrArray *
reopen_and_check (const char *data_dir)
{
  g_autoptr(CkStore) store = open_store (data_dir, CK_STORE_OPEN_READ_ONLY);
  GPtrArray *problems = check (store);

  g_assert_cmpuint (problems->len, >, 0);
  g_assert_finalize_object (g_steal_pointer (&store));

  return problems;
}

static void
test_check_clean (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(CkStore) store = NULL;

  three_init (&t, f->data);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_check_pdf_flipped (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(Three) t;
  g_autofree char *path = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) r = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  guint8 byte;
  int fd;

  three_init (&t, f->data);
  path = pdf_path (f->data, "2026-11-28", t.uuids[1]);
  relative = g_strdup_printf ("pdf/2026/11/%s.pdf", t.uuids[1]);

  /* One bit, in place. */
  fd = open (path, O_RDWR);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &byte, 1, 1000), ==, 1);
  byte ^= 0x01;
  g_assert_cmpint (pwrite (fd, &byte, 1, 1000), ==, 1);
  close (fd);

  problems = reopen_and_check (f->data);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, t.uuids[1], relative);
  assert_problem (problems, t.uuids[1], "SHA-256");

  /* Reading it says so too. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  r = ck_store_lookup (store, t.uuids[1], &error);
  g_assert_no_error (error);
  pdf = ck_store_read_pdf (store, r, &error);
  g_assert_null (pdf);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_check_row_edited (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *sql = NULL;

  three_init (&t, f->data);
  sql = g_strdup_printf ("UPDATE consents SET name = '张二' WHERE uuid = '%s'", t.uuids[0]);
  db_exec (f->data, sql);

  problems = reopen_and_check (f->data);
  assert_problem (problems, t.uuids[0], "edited");
}

static void
test_check_row_deleted (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *relative = NULL;

  three_init (&t, f->data);
  sql = g_strdup_printf ("DELETE FROM consents WHERE uuid = '%s'", t.uuids[1]);
  db_exec (f->data, sql);

  /* The chain has a hole at seq 2, and the PDF has no row. */
  problems = reopen_and_check (f->data);
  relative = g_strdup_printf ("pdf/2026/11/%s.pdf", t.uuids[1]);
  assert_problem (problems, "Record 2 ", "deleted");
  assert_problem (problems, relative, "not the PDF of any stored consent");
}

static void
test_check_pdf_deleted (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *path = NULL;

  three_init (&t, f->data);
  path = pdf_path (f->data, "2026-11-27", t.uuids[0]);
  g_assert_cmpint (g_unlink (path), ==, 0);

  problems = reopen_and_check (f->data);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, t.uuids[0], "missing");
}

static void
test_check_extra_pdf (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *relative = NULL;

  three_init (&t, f->data);
  path = pdf_path (f->data, "2026-11-28", uuid);
  g_file_set_contents (path, "%PDF-1.4\nnot a consent\n", -1, &error);
  g_assert_no_error (error);

  problems = reopen_and_check (f->data);
  relative = g_strdup_printf ("pdf/2026/11/%s.pdf", uuid);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, relative, "not the PDF of any stored consent");
}

static void
test_check_event_edited (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;

  three_init (&t, f->data);
  db_exec (f->data, "UPDATE events SET detail = '{\"reason\":\"audit\"}' WHERE kind = 'reveal'");

  problems = reopen_and_check (f->data);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, "event 3 (reveal)", "edited");
}

static void
test_check_deleted_from_end (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(Three) t;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *relative = NULL;

  three_init (&t, f->data);
  /* The last row goes, and nothing else changes: the chain that is left
   * is whole, but shorter than its recorded head. */
  sql = g_strdup_printf ("DELETE FROM consents WHERE uuid = '%s'", t.uuids[2]);
  db_exec (f->data, sql);

  problems = reopen_and_check (f->data);
  relative = g_strdup_printf ("pdf/2026/11/%s.pdf", t.uuids[2]);
  assert_problem (problems, "(3)", "deleted from the end");
  assert_problem (problems, relative, "not the PDF of any stored consent");
}

/* Every column the row hash covers, edited alone: check names the row as
 * edited. (A hash that left a column out would let that edit pass.) The
 * new value keeps the column's type, so that only the hash can tell. */
static void
test_check_every_hashed_column (Fixture       *f,
                                gconstpointer  data)
{
  static const struct {
    const char *table;
    const char *set;       /* the edit */
    const char *message;   /* what check says, @ID@ the first consent's id */
  } edits[] = {
    { "consents", "seq = 100", "The consent @ID@ was edited" },
    { "consents", "created_at = '2026-11-27T01:30:01.000000Z'", "The consent @ID@ was edited" },
    { "consents", "name = '张二'", "The consent @ID@ was edited" },
    { "consents", "id_number = '110105194912310037', id_reversed = '730013219491501011'",
      "The consent @ID@ was edited" },
    { "consents", "sign_date = '2026-11-26'", "The consent @ID@ was edited" },
    { "consents", "org_name = '另一家银行'", "The consent @ID@ was edited" },
    { "consents", "org_business = '信用卡'", "The consent @ID@ was edited" },
    { "consents", "org_purpose = '营销'", "The consent @ID@ was edited" },
    { "consents", "template_sha256 = '" "0000000000000000000000000000000000000000000000000000000000000001'",
      "The consent @ID@ was edited" },
    { "consents", "pdf_path = replace (pdf_path, '/11/', '/10/')", "The consent @ID@ was edited" },
    { "consents", "pdf_sha256 = '" "0000000000000000000000000000000000000000000000000000000000000001'",
      "The consent @ID@ was edited" },
    { "consents", "pdf_size = pdf_size + 1", "The consent @ID@ was edited" },
    { "consents", "signature = CAST (X'00' || signature AS BLOB)", "The consent @ID@ was edited" },
    { "consents", "kiosk_id = 'branch-043-kiosk-1'", "The consent @ID@ was edited" },
    { "consents", "operator = '李经理'", "The consent @ID@ was edited" },
    { "consents", "demo = 1 - demo", "The consent @ID@ was edited" },
    { "consents", "prev_hash = '" "0000000000000000000000000000000000000000000000000000000000000001'",
      "The consent @ID@ was edited" },
    { "events", "at = '2026-11-28T09:00:00.000000Z'", "The event 3 (reveal) was edited" },
    { "events", "kind = 'withdrawal'", "The event 3 (withdrawal) was edited" },
    { "events", "consent_uuid = NULL", "The event 3 (reveal) was edited" },
    { "events", "operator = '李经理'", "The event 3 (reveal) was edited" },
    { "events", "detail = '{\"reason\":\"audit\"}'", "The event 3 (reveal) was edited" },
    { "events", "prev_hash = '" "0000000000000000000000000000000000000000000000000000000000000001'",
      "The event 3 (reveal) was edited" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *name = g_strdup_printf ("edit-%u", i);
      g_autofree char *data_dir = g_build_filename (f->data, name, NULL);
      g_autofree char *sql = NULL;
      g_autoptr(GString) message = g_string_new (edits[i].message);
      g_autoptr(GPtrArray) problems = NULL;
      g_auto(Three) t;
      gboolean found = FALSE;

      three_init (&t, data_dir);
      sql = g_str_equal (edits[i].table, "consents")
            ? g_strdup_printf ("UPDATE consents SET %s WHERE uuid = '%s'", edits[i].set, t.uuids[0])
            : g_strdup_printf ("UPDATE events SET %s WHERE kind = 'reveal'", edits[i].set);
      db_exec (data_dir, sql);
      g_string_replace (message, "@ID@", t.uuids[0], 0);

      problems = reopen_and_check (data_dir);
      for (guint k = 0; k < problems->len && !found; k++)
        found = strstr (problems->pdata[k], message->str) != NULL;
      if (!found)
        g_error ("After “%s”, no problem says “%s”", sql, message->str);
    }
}

/* The row hash of a consent, pinned: a fixed consent saved as the first
 * of a new store has this hash, and it is the SHA-256 of the canonical
 * text docs/STORAGE.md describes for anyone who verifies the chain
 * without this code. */
static void
test_row_hash_vector (Fixture       *f,
                      gconstpointer  data)
{
  static const guint8 signature_bytes[] = "not a real signature";
  static const char pdf_bytes[] = "%PDF-1.4\n% a fixed PDF for the test vector\n";
  static const char expected_hash[] = "f1a1ee867802fe3086ab65ee5d0a54fe3146ee5da450382fd7eaea716b091bb0";
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_bytes, sizeof pdf_bytes - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) canon = g_string_new ("ck-consent/1\n");
  g_autofree char *signature_sha256 = NULL;
  g_autofree char *pdf_sha256 = NULL;
  g_autofree char *canon_sha256 = NULL;
  const char *fields[][2] = {
    { "prev", "0000000000000000000000000000000000000000000000000000000000000000" },
    { "seq", "1" },
    { "uuid", "0f8fad5b-d9cb-469f-a165-70867728950e" },
    { "created_at", "2026-11-27T01:30:00.000000Z" },
    { "name", "张三" },
    { "id_number", "11010519491231002X" },
    { "sign_date", "2026-11-27" },
    { "org_name", "示例银行股份有限公司" },
    { "org_business", "个人贷款" },
    { "org_purpose", "身份核验和风险管理" },
    { "template_sha256", "5d41402abc4b2a76b9719d911017c592ae1b3b1d3b2f1ef7c4e5f0e1c3e2a1b0" },
    { "pdf_path", "pdf/2026/11/0f8fad5b-d9cb-469f-a165-70867728950e.pdf" },
    { "pdf_sha256", NULL },          /* filled below */
    { "pdf_size", NULL },
    { "signature_sha256", NULL },
    { "kiosk_id", "branch-042-kiosk-1" },
    { "operator", NULL },            /* none: written as "operator:-" */
    { "demo", "0" },
  };
  g_autofree char *size = g_strdup_printf ("%zu", sizeof pdf_bytes - 1);

  r->uuid = g_strdup (fields[2][1]);
  r->created_at = g_strdup (fields[3][1]);
  r->name = g_strdup (fields[4][1]);
  r->id_number = g_strdup (fields[5][1]);
  r->sign_date = g_strdup (fields[6][1]);
  r->org_name = g_strdup (fields[7][1]);
  r->org_business = g_strdup (fields[8][1]);
  r->org_purpose = g_strdup (fields[9][1]);
  r->template_sha256 = g_strdup (fields[10][1]);
  r->signature = g_bytes_new_static (signature_bytes, sizeof signature_bytes - 1);
  r->kiosk_id = g_strdup (fields[15][1]);
  g_assert_true (ck_store_save (store, r, pdf, &error));
  g_assert_no_error (error);

  /* The canonical text, built here from the description alone. */
  pdf_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)pdf_bytes, sizeof pdf_bytes - 1);
  signature_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, signature_bytes, sizeof signature_bytes - 1);
  fields[12][1] = pdf_sha256;
  fields[13][1] = size;
  fields[14][1] = signature_sha256;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i][1])
      g_string_append_printf (canon, "%s:%zu:%s\n", fields[i][0], strlen (fields[i][1]), fields[i][1]);
    else
      g_string_append_printf (canon, "%s:-\n", fields[i][0]);
  canon_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, canon->len);

  g_test_message ("canonical text:\n%s", canon->str);
  g_assert_cmpstr (r->row_hash, ==, canon_sha256);
  g_assert_cmpstr (r->row_hash, ==, expected_hash);
  assert_clean (store);

  /* docs/STORAGE.md shows the same text, indented by four spaces, and the
   * same hash. */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "STORAGE.md", NULL);
    g_autofree char *doc = NULL;
    g_autoptr(GString) shown = g_string_new (NULL);
    const char *block;

    g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
    block = strstr (doc, "\n    ck-consent/1\n");
    g_assert_nonnull (block);
    for (const char *line = block + 1; g_str_has_prefix (line, "    "); line = strchr (line, '\n') + 1)
      {
        const char *end = strchr (line, '\n');

        g_string_append_len (shown, line + 4, end - line - 4);
        g_string_append_c (shown, '\n');
      }
    g_assert_cmpstr (shown->str, ==, canon->str);
    ck_test_assert_contains (doc, expected_hash);
  }
}

/* --- purge and events -------------------------------------------------- */

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old1 = NULL;
  g_autofree char *old2 = NULL;
  g_autofree char *kept1 = NULL;
  g_autofree char *kept2 = NULL;
  g_autofree char *later = NULL;
  g_autofree char *old1_path = NULL;
  g_autofree char *old2_path = NULL;
  g_autofree char *kept1_path = NULL;
  const CkStoreEvent *purge;
  guint n = 99;

  /* Sign dates out of save order: the purge cuts links in the middle. */
  old1 = save_one (store, "张三", "11010519491231002X", "2023-05-01");
  kept1 = save_one (store, "李四", "310101198512240018", "2026-01-01");
  old2 = save_one (store, "王五", "510104200002291234", "2025-12-31");
  kept2 = save_one (store, "赵六", "440305197707075678", "2026-03-01");
  g_assert_true (ck_store_add_event (store, "reveal", kept1, "王经理", NULL, &error));
  g_assert_no_error (error);
  old1_path = pdf_path (f->data, "2023-05-01", old1);
  old2_path = pdf_path (f->data, "2025-12-31", old2);
  kept1_path = pdf_path (f->data, "2026-01-01", kept1);

  g_assert_true (ck_store_purge (store, "2026-01-01", "王经理", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (ck_store_count (store, &error), ==, 2);
  g_assert_false (g_file_test (old1_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old2_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept1_path, G_FILE_TEST_EXISTS));
  g_assert_null (ck_store_lookup (store, old1, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The purge is logged, with who and what. */
  events = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  purge = events->pdata[1];
  g_assert_cmpstr (purge->kind, ==, "purge");
  g_assert_cmpstr (purge->operator_name, ==, "王经理");
  g_assert_cmpint (purge->seq, ==, 6);
  g_assert_nonnull (strstr (purge->detail, "\"before\":\"2026-01-01\""));
  g_assert_nonnull (strstr (purge->detail, "[1,\""));
  g_assert_nonnull (strstr (purge->detail, "[3,\""));
  assert_clean (store);

  /* Nothing more to purge: still an event, still whole. */
  g_assert_true (ck_store_purge (store, "2026-01-01", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  assert_clean (store);

  /* Later saves continue the chain. */
  later = save_one (store, "钱七", "110105199001011234", "2026-04-01");
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (ck_store_count (store, &error), ==, 3);
  assert_clean (store);

  /* Purging the newest consent, the head of the chain, is fine too. */
  g_assert_finalize_object (g_steal_pointer (&store));
  store = open_store (f->data, CK_STORE_OPEN_DEFAULT);
  g_assert_true (ck_store_purge (store, "2026-12-31", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  assert_clean (store);
  g_free (save_one (store, "孙八", "110105199001011234", "2027-01-02"));
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A purge that dies after its commit but before deleting the files leaves
 * PDFs without rows. Recovery must finish the purge — delete them —
 * rather than keep the purged personal data in quarantine/. */
static void
test_purge_interrupted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *quarantine = NULL;
  g_autofree char *contents = NULL;
  const CkStoreRecovery *recovery;
  gsize len;
  guint n = 0;

  old = save_one (store, "张三", "11010519491231002X", "2023-05-01");
  kept = save_one (store, "李四", "310101198512240018", "2026-01-01");
  old_path = pdf_path (f->data, "2023-05-01", old);
  g_assert_true (g_file_get_contents (old_path, &contents, &len, NULL));

  g_assert_true (ck_store_purge (store, "2024-01-01", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* As if the process had died before unlinking: the file is back, and
   * so is the journal row the purge committed for it. */
  g_assert_true (g_file_set_contents (old_path, contents, len, NULL));
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO pending_files (path, action, consent_uuid, "
                                            "event_seq, since) SELECT 'pdf/2023/05/%s.pdf', 'delete', "
                                            "'%s', max (seq), '2026-01-02T00:00:00.000000Z' FROM events "
                                            "WHERE kind = 'purge'", old, old);

    db_exec (f->data, sql);
  }

  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  recovery = ck_store_get_recovery (store);
  g_assert_cmpuint (recovery->purged_removed, ==, 1);
  g_assert_cmpuint (recovery->quarantined->len, ==, 0);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  quarantine = g_build_filename (f->data, "quarantine", NULL);
  g_assert_false (g_file_test (quarantine, G_FILE_TEST_EXISTS));
  assert_clean (store);

  /* An orphan that no purge removed is still kept, in quarantine: a save
   * that died after putting its PDF in place, before its commit. */
  copy = pdf_path (f->data, "2026-01-01", "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11");
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  db_exec (f->data, "INSERT INTO pending_files (path, action, consent_uuid, since) VALUES "
                    "('pdf/2026/01/0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11.pdf', 'write', "
                    "'0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11', '2026-01-02T00:00:00.000000Z')");
  g_assert_finalize_object (g_steal_pointer (&store));
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpuint (ck_store_get_recovery (store)->quarantined->len, ==, 1);
  g_assert_cmpuint (ck_store_get_recovery (store)->purged_removed, ==, 0);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_purge_bad_date (Fixture       *f,
                     gconstpointer  data)
{
  const char *bad[] = { "", "yesterday", "2026-13-01", "2026-02-30", "2026-1-01",
                        "2026-01-01x", "26-01-01", "2026/01/01", "2026-+1-01",
                        "2026- 1-01", " 2026-1-01", "+2026-01-1" };
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *uuid = save_one (store, "张三", "11010519491231002X", "2020-01-01");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (uuid);
  g_assert_finalize_object (g_steal_pointer (&store));
  before = ck_test_tree_digest (f->data);
  store = open_store (f->data, CK_STORE_OPEN_DEFAULT);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint n = 99;

      if (ck_store_purge (store, bad[i], NULL, &n, &error))
        g_error ("purge before “%s” was accepted", bad[i]);
      g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "YYYY-MM-DD"));
      g_assert_cmpuint (n, ==, 99);
      g_clear_error (&error);
    }
  g_assert_false (ck_store_purge (store, NULL, NULL, NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (ck_store_count (store, &error), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));
  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *a = save_one (store, "张三", "11010519491231002X", "2026-11-28");
  g_autofree char *b = save_one (store, "李四", "310101198512240018", "2026-11-28");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GPtrArray) of_b = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const CkStoreEvent *e;

  g_assert_true (ck_store_add_event (store, "reveal", a, "王经理",
                                     "{\"field\":\"id_number\"}", &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_add_event (store, "withdrawal", a, NULL,
                                     "{\"reason\":\"customer withdrew\"}", &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_add_event (store, "reveal", b, "李主管", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_add_event (store, "note", NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  all = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);

  of_a = ck_store_list_events (store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_a->len, ==, 2);
  e = of_a->pdata[0];
  g_assert_cmpint (e->seq, ==, 3);
  g_assert_cmpstr (e->kind, ==, "reveal");
  g_assert_cmpstr (e->consent_uuid, ==, a);
  g_assert_cmpstr (e->operator_name, ==, "王经理");
  g_assert_cmpstr (e->detail, ==, "{\"field\":\"id_number\"}");
  g_assert_true (g_str_has_suffix (e->at, "Z"));
  g_assert_cmpuint (strlen (e->row_hash), ==, 64);
  e = of_a->pdata[1];
  g_assert_cmpint (e->seq, ==, 4);
  g_assert_cmpstr (e->kind, ==, "withdrawal");
  g_assert_null (e->operator_name);
  g_assert_cmpstr (e->prev_hash, ==, ((CkStoreEvent *)of_a->pdata[0])->row_hash);

  of_b = ck_store_list_events (store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_b->len, ==, 1);
  g_assert_cmpstr (((CkStoreEvent *)of_b->pdata[0])->operator_name, ==, "李主管");

  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Tampering with an event's detail is found. */
  db_exec (f->data, "UPDATE events SET detail = '{\"reason\":\"none\"}' WHERE kind = 'withdrawal'");
  problems = reopen_and_check (f->data);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, "event 4 (withdrawal)", "edited");
}

/* --- withdrawal ----------------------------------------------------------- */

static guint
count_listed (CkStore    *store,
              const char *state)
{
  g_autoptr(GError) error = NULL;
  CkStoreQuery query = { .state = state };
  g_autoptr(GPtrArray) found = ck_store_list (store, &query, &error);

  g_assert_no_error (error);
  return found->len;
}

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *old = save_one (store, "张三", "11010519491231002X", "2026-11-27");
  g_autofree char *kept = save_one (store, "李四", "310101198512240018", "2026-11-28");
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  guint n = 0;

  g_assert_cmpuint (count_listed (store, "unverified"), ==, 2);
  g_assert_cmpuint (count_listed (store, "withdrawn"), ==, 0);

  g_assert_true (ck_store_withdraw (store, old, "王经理", NULL, &error));
  g_assert_no_error (error);
  withdrawal = ck_store_lookup_withdrawal (store, old, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (withdrawal->detail, ==, "{\"note\":null}");
  g_assert_cmpint (withdrawal->seq, ==, 3);
  g_assert_cmpstr (withdrawal->prev_hash, !=, GENESIS);

  /* Out of the queue, in the withdrawn list, and the chain checks. */
  queue = ck_store_list_queue (store, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpstr (((CkQueueEntry *)queue->pdata[0])->consent_uuid, ==, kept);
  g_assert_cmpuint (count_listed (store, "withdrawn"), ==, 1);
  g_assert_cmpuint (count_listed (store, "unverified"), ==, 1);
  assert_clean (store);

  /* A reveal is an event of its own, which does not withdraw. */
  g_assert_true (ck_store_record_reveal (store, kept, "李主管", "test", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_listed (store, "withdrawn"), ==, 1);
  events = ck_store_list_events (store, kept, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((CkStoreEvent *)events->pdata[0])->kind, ==, "reveal");

  /* Purged, the withdrawn consent's status goes with it; its events stay. */
  g_assert_true (ck_store_purge (store, "2026-11-28", "审计员", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (count_listed (store, "withdrawn"), ==, 0);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A status row edited behind the store's back is found. */
  sql = g_strdup_printf ("UPDATE consent_status SET last_outcome = 'verified', last_number = 1 "
                         "WHERE uuid = '%s'", kept);
  db_exec (f->data, sql);
  problems = reopen_and_check (f->data);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, kept, "was edited");
}

/* --- migrations -------------------------------------------------------- */

static void
test_migrate_v1 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = save_one (store, "张三", "11010519491231002X", "2026-11-27");
  g_autofree char *b = save_one (store, "李四", "310101198512240018", "2026-11-28");
  g_autofree char *c = save_one (store, "王五", "510104200002291234", "2026-11-28");
  g_autofree char *d = NULL;
  CkStoreQuery by_tail = { "002x", NULL, NULL, 0, 0 };

  g_assert_finalize_object (g_steal_pointer (&store));

  /* Back to schema 1, which is migration 0 of ck-store.c: its consents
   * table had no id_reversed column (SQLite ≥ 3.35 can drop one), and
   * there were no attempts or queue (schema 3), status (schema 4) or
   * ledger of purged calls (schema 5) or files journal (schema 6). */
  db_exec (f->data,
           "BEGIN;"
           "ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; "
           "DROP TABLE sync_receipts; DROP TABLE sync_state;"
           "DROP TABLE seal_jobs;"
           "DROP INDEX events_kind;"
           "DROP TABLE pending_files;"
           "DROP TABLE consent_status;"
           "DROP TABLE purged_calls;"
           "DROP TABLE attempts;"
           "DROP TABLE verify_queue;"
           "DROP INDEX consents_id_reversed;"
           "ALTER TABLE consents DROP COLUMN id_reversed;"
           "PRAGMA user_version = 1;"
           "COMMIT;");
  g_assert_cmpint (db_user_version (f->data), ==, 1);

  /* A reader leaves it as it is and still finds by ID tail. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, 1);
  found = ck_store_list (store, &by_tail, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, a);
  g_clear_pointer (&found, g_ptr_array_unref);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (db_user_version (f->data), ==, 1);

  /* A writer migrates it. */
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (db_user_version (f->data), ==, CK_STORE_SCHEMA_VERSION);
  found = ck_store_list (store, &by_tail, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, a);
  g_clear_pointer (&found, g_ptr_array_unref);
  by_tail.search = "0018";
  found = ck_store_list (store, &by_tail, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, b);
  g_clear_pointer (&found, g_ptr_array_unref);
  assert_clean (store);

  /* The three from before the verification queue stay out of it: the
   * chain says once which they are. */
  {
    g_autofree char *floor = db_query (f->data, "SELECT detail FROM events WHERE kind = 'queue-floor'");
    g_autofree char *queued = db_query (f->data, "SELECT count (*) FROM verify_queue");

    g_assert_cmpstr (floor, ==, "{\"seq\":3,\"consents\":3}");
    g_assert_cmpstr (queued, ==, "0");
  }

  /* New consents are found by tail too, and the chain goes on. */
  d = save_one (store, "赵六", "440305197707075678", "2026-11-29");
  by_tail.search = "5678";
  found = ck_store_list (store, &by_tail, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  by_tail.search = "1234";
  g_clear_pointer (&found, g_ptr_array_unref);
  found = ck_store_list (store, &by_tail, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CkConsentRecord *)found->pdata[0])->uuid, ==, c);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A new consent is queued; deleting its place is found, and only its. */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM verify_queue WHERE consent_uuid = '%s'", d);
    g_autoptr(GPtrArray) problems = NULL;

    db_exec (f->data, sql);
    problems = reopen_and_check (f->data);
    g_assert_cmpuint (problems->len, ==, 1);
    assert_problem (problems, d, "its place in the queue was deleted");
  }
}

static void
test_migrate_empty_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->data, "consents.db", NULL);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* An empty file is an SQLite database of user_version 0. */
  g_assert_cmpint (g_mkdir (f->data, 0700), ==, 0);
  g_file_set_contents (db, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_user_version (f->data), ==, 0);

  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (ck_store_count (store, &error), ==, 0);
  g_free (save_one (store, "张三", "11010519491231002X", "2026-11-27"));
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (db_user_version (f->data), ==, CK_STORE_SCHEMA_VERSION);
}

/* A store of schema 5 (before the files journal) may hold a crash's
 * leftovers that only a walk of the PDF folders finds: the open that
 * migrates it walks them once; opens after it read the journal only. */
static void
test_migrate_journal (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *stray = pdf_path (f->data, "2026-11-27", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  g_autofree char *later = pdf_path (f->data, "2026-11-27", "6fa459ea-ee8a-3ca4-894e-db77e160355e");
  g_autofree char *moved = g_build_filename (f->data, "quarantine", "2026", "11",
                                             "1b4e28ba-2fa1-11d2-883f-0016d3cca427.pdf", NULL);
  g_autoptr(GPtrArray) problems = NULL;

  g_free (save_one (store, "张三", "11010519491231002X", "2026-11-27"));
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Back to schema 5, with the PDF of a save that died under it. */
  db_exec (f->data, "BEGIN; ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; DROP TABLE sync_receipts; DROP TABLE sync_state; DROP TABLE seal_jobs; DROP INDEX events_kind; DROP TABLE pending_files; PRAGMA user_version = 5; COMMIT;");
  g_assert_true (g_file_set_contents (stray, "%PDF-1.4\n% a save that died\n", -1, NULL));

  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (ck_store_get_recovery (store)->quarantined->len, ==, 1);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Now a file appears that no save or purge journalled: the next open
   * leaves it, and check names it. */
  g_assert_true (g_file_set_contents (later, "%PDF-1.4\n% from nowhere\n", -1, NULL));
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpuint (ck_store_get_recovery (store)->quarantined->len, ==, 0);
  g_assert_true (g_file_test (later, G_FILE_TEST_IS_REGULAR));
  problems = check (store);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "No save or purge was under way"));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* --- bad input and a bad environment ------------------------------------ */

/* A store of two consents, closed; returns the digest of its files. */
static char *
two_consents (const char *data_dir)
{
  g_autoptr(CkStore) store = open_store (data_dir, CK_STORE_OPEN_RECOVER);

  g_free (save_one (store, "张三", "11010519491231002X", "2026-11-27"));
  g_free (save_one (store, "李四", "310101198512240018", "2026-11-28"));
  g_assert_finalize_object (g_steal_pointer (&store));

  return ck_test_tree_digest (data_dir);
}

static void
test_error_unwritable (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (f->dir, "file", "data", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* chmod 0500 stops nobody here: tests run as root, and root writes
   * anyway. What stops root: a path through a regular file (ENOTDIR) ... */
  g_file_set_contents (file, "not a folder", -1, &error);
  g_assert_no_error (error);
  store = ck_store_open (under_file, CK_STORE_OPEN_RECOVER, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, under_file));
  g_clear_error (&error);

  /* ... and a read-only file system (EROFS): an existing store behind a
   * read-only bind mount. */
  before = two_consents (f->data);
  if (mount (f->data, f->data, NULL, MS_BIND, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot bind-mount (%s): this test needs root",
                                                 g_strerror (errno));

      g_test_skip (reason);
      return;
    }
  f->mount = g_strdup (f->data);
  g_assert_cmpint (mount (NULL, f->data, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), ==, 0);

  store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, f->data));
  g_clear_error (&error);

  store = ck_store_open (f->data, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
}

static void
test_error_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->data, "consents.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char garbage[16] = "Not SQLite at al";
  int fd;

  g_free (two_consents (f->data));

  /* The 16-byte magic string "SQLite format 3\0" overwritten. */
  fd = open (db, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, 0), ==, sizeof garbage);
  close (fd);
  before = ck_test_tree_digest (f->data);

  store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, db));
  g_clear_error (&error);

  store = ck_store_open (f->data, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
}

static void
test_error_newer_schema (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_free (two_consents (f->data));
  db_exec (f->data, "PRAGMA user_version = 99");
  before = ck_test_tree_digest (f->data);

  store = ck_store_open (f->data, CK_STORE_OPEN_RECOVER, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);

  store = ck_store_open (f->data, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NEWER_SCHEMA);
  g_clear_error (&error);

  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (db_user_version (f->data), ==, 99);
}

/* Fills the file system holding @dir; returns how many bytes it took. */
static gsize
fill_disk (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  char block[4096];
  gsize total = 0;
  int fd;

  memset (block, 0x5a, sizeof block);
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  g_assert_cmpint (fd, >=, 0);
  for (gsize size = sizeof block; size > 0; size /= 2)
    {
      gssize n;

      while ((n = write (fd, block, size)) > 0)
        total += n;
      g_assert_cmpint (errno, ==, ENOSPC);
    }
  close (fd);

  return total;
}

static void
test_error_disk_full (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *mnt = g_build_filename (f->dir, "small", NULL);
  g_autofree char *data_dir = g_build_filename (mnt, "data", NULL);
  g_autofree char *filler = g_build_filename (mnt, "filler", NULL);
  g_autofree char *uuid = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;
  guint saved = 0;

  if (!mount_tmpfs (f, mnt, 512))
    return;

  g_free (two_consents (data_dir));
  store = open_store (data_dir, CK_STORE_OPEN_RECOVER);
  g_test_message ("filler: %zu bytes", fill_disk (mnt));

  /* A large PDF does not fit. */
  {
    g_autoptr(CkConsentRecord) r = make_record ("王五", "510104200002291234", "2026-11-28");
    g_autoptr(GBytes) pdf = fake_pdf (100000);
    g_autofree char *path = NULL;
    g_autofree char *tmp = NULL;

    g_assert_false (ck_store_save (store, r, pdf, &error));
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DISK_FULL);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
    path = pdf_path (data_dir, "2026-11-28", r->uuid);
    tmp = g_strconcat (path, ".tmp", NULL);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  }
  assert_clean (store);

  /* Free a little: small saves go through until the disk is full again,
   * wherever it then fails (the PDF, the WAL). */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (filler, &st), ==, 0);
    g_assert_cmpint (truncate (filler, MAX (st.st_size - 120000, 0)), ==, 0);
  }
  for (;;)
    {
      g_autoptr(CkConsentRecord) r = make_record ("赵六", "440305197707075678", "2026-11-29");
      g_autoptr(GBytes) pdf = fake_pdf (3000);

      if (!ck_store_save (store, r, pdf, &error))
        break;
      saved++;
      g_assert_cmpuint (saved, <, 100);
    }
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DISK_FULL);
  g_test_message ("%u saved, then: %s", saved, error->message);
  g_clear_error (&error);
  count = ck_store_count (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 2 + saved);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The store opens again on the full disk, and is whole. */
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_store_count (store, &error), ==, count);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* With space again, saving goes on. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  store = open_store (data_dir, CK_STORE_OPEN_RECOVER);
  uuid = save_one (store, "钱七", "110105199001011234", "2026-11-30");
  g_assert_cmpint (ck_store_count (store, &error), ==, count + 1);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* --- save refuses ------------------------------------------------------- */

static void
test_save_duplicate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(CkConsentRecord) first = make_record ("张三", "11010519491231002X", "2026-11-28");
  g_autoptr(CkConsentRecord) again = NULL;
  g_autoptr(CkConsentRecord) other_date = NULL;
  g_autoptr(CkConsentRecord) found = NULL;
  g_autoptr(GBytes) pdf = fake_pdf (4000);
  g_autoptr(GBytes) pdf2 = fake_pdf (4000);
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (ck_store_save (store, first, pdf, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  before = ck_test_tree_digest (f->data);
  store = open_store (f->data, CK_STORE_OPEN_DEFAULT);

  /* The same uuid again, same day (same PDF path) and another day. */
  again = make_record ("李四", "310101198512240018", "2026-11-28");
  g_free (again->uuid);
  again->uuid = g_strdup (first->uuid);
  g_assert_false (ck_store_save (store, again, pdf2, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, first->uuid));
  g_clear_error (&error);

  other_date = make_record ("李四", "310101198512240018", "2026-12-05");
  g_free (other_date->uuid);
  other_date->uuid = g_strdup (first->uuid);
  g_assert_false (ck_store_save (store, other_date, pdf2, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, first->uuid));
  g_clear_error (&error);
  other_path = pdf_path (f->data, "2026-12-05", first->uuid);
  g_assert_false (g_file_test (other_path, G_FILE_TEST_EXISTS));

  /* The first is intact. */
  found = ck_store_lookup (store, first->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "张三");
  g_assert_cmpstr (found->row_hash, ==, first->row_hash);
  read = ck_store_read_pdf (store, found, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, pdf));
  g_assert_cmpint (ck_store_count (store, &error), ==, 1);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Nothing at all was written. */
  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
}

static void
test_save_incomplete (Fixture       *f,
                      gconstpointer  data)
{
  enum { NO_UUID, BAD_UUID, NO_NAME, NO_ID, NO_DATE, SHORT_DATE, BAD_DATE, NOT_A_DATE,
         DATE_TRAVERSAL, NO_CREATED, NO_TEMPLATE, NO_SIGNATURE, NO_KIOSK, N_CASES };
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GBytes) pdf = fake_pdf (4000);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *outside_before = NULL;
  g_autofree char *outside_after = NULL;

  g_free (save_one (store, "张三", "11010519491231002X", "2026-11-27"));
  g_assert_finalize_object (g_steal_pointer (&store));
  before = ck_test_tree_digest (f->data);
  outside_before = ck_test_tree_digest (f->dir);
  store = open_store (f->data, CK_STORE_OPEN_DEFAULT);

  for (int i = 0; i < N_CASES; i++)
    {
      g_autoptr(CkConsentRecord) r = make_record ("李四", "310101198512240018", "2026-11-28");

      switch (i)
        {
        case NO_UUID:        g_clear_pointer (&r->uuid, g_free); break;
        case BAD_UUID:       g_free (r->uuid); r->uuid = g_strdup ("../../consent"); break;
        case NO_NAME:        g_clear_pointer (&r->name, g_free); break;
        case NO_ID:          g_clear_pointer (&r->id_number, g_free); break;
        case NO_DATE:        g_clear_pointer (&r->sign_date, g_free); break;
        case SHORT_DATE:     g_free (r->sign_date); r->sign_date = g_strdup ("2026-1-28"); break;
        case BAD_DATE:       g_free (r->sign_date); r->sign_date = g_strdup ("2026-02-30"); break;
        case NOT_A_DATE:     g_free (r->sign_date); r->sign_date = g_strdup ("yesterday!"); break;
        /* Ten characters that would put the PDF outside pdf/, and the data folder. */
        case DATE_TRAVERSAL: g_free (r->sign_date); r->sign_date = g_strdup ("../.x..abc"); break;
        case NO_CREATED:     g_clear_pointer (&r->created_at, g_free); break;
        case NO_TEMPLATE:    g_clear_pointer (&r->template_sha256, g_free); break;
        case NO_SIGNATURE:   g_clear_pointer (&r->signature, g_bytes_unref); break;
        case NO_KIOSK:       g_clear_pointer (&r->kiosk_id, g_free); break;
        default:             g_assert_not_reached ();
        }

      if (ck_store_save (store, r, pdf, &error))
        g_error ("incomplete record %d was saved", i);
      g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_cmpint (ck_store_count (store, &error), ==, 1);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
  outside_after = ck_test_tree_digest (f->dir);
  g_assert_cmpstr (outside_after, ==, outside_before);
}

static void
test_save_read_only (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkConsentRecord) r = make_record ("李四", "310101198512240018", "2026-11-28");
  g_autoptr(GBytes) pdf = fake_pdf (4000);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* Nothing there: a reader does not create a store. */
  store = ck_store_open (f->data, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (f->data, G_FILE_TEST_EXISTS));

  before = two_consents (f->data);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_false (ck_store_save (store, r, pdf, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (ck_store_count (store, &error), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&store));
  after = ck_test_tree_digest (f->data);
  g_assert_cmpstr (after, ==, before);
}

/* Every field a spreadsheet would run as a formula is defused, also
 * behind the tab or carriage return spreadsheets skip; quotes double. */
/* --- how the name and the ID number were entered (issue 18) -------------- */

static gboolean
collect_methods (const CkConsentRecord  *record,
                 const CkConsentStatus  *status,
                 gpointer                user_data,
                 GError                **error)
{
  GHashTable *methods = user_data;

  g_hash_table_insert (methods, g_strdup (record->uuid),
                       g_strdup_printf ("%s/%s", record->name_method ? record->name_method : "(null)",
                                        record->id_method ? record->id_method : "(null)"));
  return TRUE;
}

/* The methods of @uuid as ck_store_lookup (), ck_store_list () and
 * ck_store_foreach () read them: the same through all three. */
static char *
read_methods (CkStore    *store,
              const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) r = ck_store_lookup (store, uuid, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *looked_up = NULL;
  gboolean found = FALSE;

  g_assert_no_error (error);
  looked_up = g_strdup_printf ("%s/%s", r->name_method ? r->name_method : "(null)",
                               r->id_method ? r->id_method : "(null)");

  all = ck_store_list (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      const CkConsentRecord *listed = all->pdata[i];

      if (g_str_equal (listed->uuid, uuid))
        {
          g_assert_cmpstr (listed->name_method, ==, r->name_method);
          g_assert_cmpstr (listed->id_method, ==, r->id_method);
          found = TRUE;
        }
    }
  g_assert_true (found);

  g_assert_true (ck_store_foreach (store, NULL, collect_methods, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (seen, uuid), ==, looked_up);

  return g_steal_pointer (&looked_up);
}

static char *
save_with_methods (CkStore    *store,
                   const char *name_method,
                   const char *id_method)
{
  g_autoptr(CkConsentRecord) r = make_record ("张三", "11010519491231002X", "2026-11-27");
  g_autoptr(GBytes) pdf = fake_pdf (2000);
  g_autoptr(GError) error = NULL;

  r->name_method = g_strdup (name_method);
  r->id_method = g_strdup (id_method);
  g_assert_true (ck_store_save (store, r, pdf, &error));
  g_assert_no_error (error);

  return g_strdup (r->uuid);
}

static void
test_entry_methods (Fixture       *f,
                    gconstpointer  data)
{
  static const CkEntryMethod methods[] = {
    CK_ENTRY_METHOD_TYPED, CK_ENTRY_METHOD_HANDWRITING, CK_ENTRY_METHOD_PINYIN, CK_ENTRY_METHOD_CARD,
  };
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

  /* Each method as the name's and as the ID number's, never the same
   * one for both, so that a swap is seen. */
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      const char *name_method = ck_entry_method_to_nick (methods[i]);
      const char *id_method = ck_entry_method_to_nick (methods[(i + 1) % G_N_ELEMENTS (methods)]);
      g_autofree char *uuid = save_with_methods (store, name_method, id_method);
      g_autofree char *want = g_strdup_printf ("%s/%s", name_method, id_method);
      g_autofree char *have = read_methods (store, uuid);

      g_assert_cmpstr (have, ==, want);
      g_ptr_array_add (uuids, g_steal_pointer (&uuid));
    }

  /* Saved without them: not recorded, not guessed. */
  {
    g_autofree char *uuid = save_with_methods (store, NULL, NULL);
    g_autofree char *have = read_methods (store, uuid);

    g_assert_cmpstr (have, ==, "(null)/(null)");
  }

  /* What is not a method is refused, and nothing is stored. */
  {
    g_autoptr(CkConsentRecord) r = make_record ("李四", "310101198512240018", "2026-11-28");
    g_autoptr(GBytes) pdf = fake_pdf (2000);
    g_autoptr(GError) error = NULL;
    gint64 before = ck_store_count (store, NULL);

    r->id_method = g_strdup ("telepathy");
    g_assert_false (ck_store_save (store, r, pdf, &error));
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
    g_assert_cmpint (ck_store_count (store, NULL), ==, before);
  }

  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* They survive a reopen, read-only too. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  {
    g_autofree char *have = read_methods (store, uuids->pdata[3]);

    g_assert_cmpstr (have, ==, "card/typed");
  }
}

/* A store from before schema 10: its consents say "not recorded", to a
 * reader that does not migrate it and after a writer did; new consents
 * record their methods, and the chain checks clean throughout. */
static void
test_migrate_entry_methods (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *old = save_with_methods (store, "handwriting", "typed");
  g_autofree char *later = NULL;

  g_assert_finalize_object (g_steal_pointer (&store));
  db_exec (f->data, "BEGIN; ALTER TABLE consents DROP COLUMN name_method; "
                    "ALTER TABLE consents DROP COLUMN id_method; PRAGMA user_version = 9; COMMIT;");

  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, 9);
  {
    g_autofree char *have = read_methods (store, old);

    g_assert_cmpstr (have, ==, "(null)/(null)");
  }
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (db_user_version (f->data), ==, 9);

  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkConsentRecord) r = ck_store_lookup (store, old, &error);
    g_autofree char *have = read_methods (store, old);

    g_assert_no_error (error);
    g_assert_cmpstr (have, ==, "(null)/(null)");
    /* What staff read for it. */
    g_assert_cmpstr (ck_entry_method_describe (r->name_method), ==, "Not recorded");
    g_assert_cmpstr (ck_entry_method_describe (r->id_method), ==, "Not recorded");
  }
  later = save_with_methods (store, "pinyin", "card");
  {
    g_autofree char *have = read_methods (store, later);

    g_assert_cmpstr (have, ==, "pinyin/card");
  }
  assert_clean (store);
}

static void
test_csv_field (void)
{
  static const struct {
    const char *value;
    const char *field;
  } cases[] = {
    { "张三", "\"张三\"," },
    { "=1+2", "\"'=1+2\"," },
    { "+1", "\"'+1\"," },
    { "-1", "\"'-1\"," },
    { "@SUM(A1)", "\"'@SUM(A1)\"," },
    { "\t=1+2", "\"'\t=1+2\"," },
    { "\r=1+2", "\"'\r=1+2\"," },
    { "a=1", "\"a=1\"," },
    { "say \"hi\"", "\"say \"\"hi\"\"\"," },
    { "", "\"\"," },
    { NULL, "\"\"," },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      ck_export_csv_field (out, cases[i].value, FALSE);
      g_assert_cmpstr (out->str, ==, cases[i].field);
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);

    ck_export_csv_field (out, "end", TRUE);
    g_assert_cmpstr (out->str, ==, "\"end\"\r\n");
  }
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/search", test_search);
  ADD ("/store/check/clean", test_check_clean);
  ADD ("/store/check/pdf-flipped", test_check_pdf_flipped);
  ADD ("/store/check/row-edited", test_check_row_edited);
  ADD ("/store/check/row-deleted", test_check_row_deleted);
  ADD ("/store/check/pdf-deleted", test_check_pdf_deleted);
  ADD ("/store/check/extra-pdf", test_check_extra_pdf);
  ADD ("/store/check/event-edited", test_check_event_edited);
  ADD ("/store/check/deleted-from-end", test_check_deleted_from_end);
  ADD ("/store/check/every-hashed-column", test_check_every_hashed_column);
  ADD ("/store/row-hash-vector", test_row_hash_vector);
  ADD ("/store/purge", test_purge);
  ADD ("/store/purge/interrupted", test_purge_interrupted);
  ADD ("/store/purge/bad-date", test_purge_bad_date);
  ADD ("/store/events", test_events);
  ADD ("/store/migrate/v1", test_migrate_v1);
  ADD ("/store/migrate/empty-file", test_migrate_empty_file);
  ADD ("/store/migrate/journal", test_migrate_journal);
  ADD ("/store/migrate/entry-methods", test_migrate_entry_methods);
  ADD ("/store/entry-methods", test_entry_methods);
  ADD ("/store/error/unwritable", test_error_unwritable);
  ADD ("/store/error/corrupt", test_error_corrupt);
  ADD ("/store/error/newer-schema", test_error_newer_schema);
  ADD ("/store/error/disk-full", test_error_disk_full);
  ADD ("/store/save/duplicate", test_save_duplicate);
  ADD ("/store/save/incomplete", test_save_incomplete);
  ADD ("/store/save/read-only", test_save_read_only);
  ADD ("/store/withdraw", test_withdraw);
  g_test_add_func ("/store/export/csv-field", test_csv_field);

  return g_test_run ();
}
