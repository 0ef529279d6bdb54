/* test-store-seal.c: the store's side of sealed consents (issue 15)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Schema 8 and what it holds: the sealing queue's jobs, PDF revisions
 * (appended, never rewritten; read back as the current revision; backed up
 * and restored), chain anchors, sealed purges; and the two attacks of
 * issue 15 done as a script does them, with SQLite on the database file:
 * the chain recomputed after an edit, and a forged purge. Without the
 * trust files check verifies no CMS (the verifier's own tests do): here
 * anchors are opaque bytes, and what is tested is the hashes. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <zlib.h>

#include "ck.h"
#include "ck-test-chain.h"
#include "ck-test-util.h"

typedef struct
{
  char *dir;
  char *data;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-store-seal-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
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

static GBytes *
fake_pdf (const char *text)
{
  return g_bytes_new_take (g_strdup_printf ("%%PDF-1.7\n%% %s\n%%%%EOF\n", text),
                           strlen (text) + strlen ("%PDF-1.7\n% \n%%EOF\n"));
}

static CkConsentRecord *
make_record (const char *name,
             const char *sign_date)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (90);
  CkConsentRecord *r = ck_consent_record_new ();

  r->uuid = g_uuid_string_random ();
  r->created_at = g_strdup_printf ("%sT01:30:00.000000Z", sign_date);
  r->name = g_strdup (name);
  r->id_number = g_strdup ("11010519491231002X");
  r->sign_date = g_strdup (sign_date);
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042-kiosk-1");
  return r;
}

static char *
save_one (CkStore       *store,
          const char    *name,
          const char    *sign_date,
          CkSealJobKind  job)
{
  g_autoptr(CkConsentRecord) r = make_record (name, sign_date);
  g_autoptr(GBytes) pdf = fake_pdf (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_store_save_full (store, r, pdf, job, &error));
  g_assert_no_error (error);
  return g_strdup (r->uuid);
}

static GPtrArray *
check (CkStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = ck_store_check (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  return problems;
}

static void
assert_clean (CkStore *store)
{
  g_autoptr(GPtrArray) problems = check (store);

  g_assert_cmpuint (problems->len, ==, 0);
}

/* A problem of @problems holds @text. */
static void
assert_reported (GPtrArray  *problems,
                 const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], text))
      return;
  g_error ("no problem says “%s”", text);
}

static char *
pdf_file (Fixture    *f,
          CkStore    *store,
          const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) r = ck_store_lookup (store, uuid, &error);

  g_assert_no_error (error);
  return ck_store_dup_pdf_file (store, r);
}

static GBytes *
read_pdf (CkStore     *store,
          const char  *uuid,
          GError     **error)
{
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(CkConsentRecord) r = ck_store_lookup (store, uuid, &lookup_error);

  g_assert_no_error (lookup_error);
  return ck_store_read_pdf (store, r, error);
}

static gboolean
has_job (CkStore    *store,
         const char *uuid)
{
  g_autoptr(CkSealJob) job = ck_store_get_seal_job (store, uuid, NULL);

  return job != NULL;
}

/* @pdf with @tail appended: what an incremental update looks like. */
static GBytes *
revised (GBytes     *pdf,
         const char *tail)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (pdf, NULL), (guint)g_bytes_get_size (pdf));
  g_byte_array_append (out, (const guint8 *)tail, (guint)strlen (tail));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Anchors the chain's head, as the sealing queue does (with opaque bytes
 * for the seal: without trust files check compares hashes only). */
static gint64
anchor_head (CkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *at = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) cms = g_bytes_new_static ("not a real CMS", 14);
  gint64 head = 0, anchored = 0;

  g_assert_true (ck_store_get_anchor_state (store, &head, &hash, &anchored, NULL, &at, &error));
  g_assert_no_error (error);
  data = ck_store_anchor_data (head, hash);
  g_assert_nonnull (data);
  g_assert_true (ck_store_add_anchor (store, head, hash, cms, &error));
  g_assert_no_error (error);
  return head;
}

/* --- tests ----------------------------------------------------------------- */

static void
test_migrate_v7 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *b = NULL;
  g_autofree char *sql = NULL;
  guint seal = 9, timestamp = 9;

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Back to schema 7, as a kiosk before sealed consents left it. */
  ck_test_db_exec (f->data, "BEGIN; ALTER TABLE consents DROP COLUMN name_method; ALTER TABLE consents DROP COLUMN id_method; DROP TABLE sync_receipts; DROP TABLE sync_state; DROP TABLE seal_jobs; ALTER TABLE pending_files DROP COLUMN size; "
                    "PRAGMA user_version = 7; COMMIT;");
  sql = ck_test_db_query (f->data, "SELECT sql FROM sqlite_schema WHERE name = 'pending_files'");
  g_assert_null (strstr (sql, "size"));

  /* A reader leaves it so, and finds no jobs. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, 7);
  jobs = ck_store_list_seal_jobs (store, G_MAXINT64, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 0);
  g_assert_true (ck_store_count_seal_jobs (store, &seal, &timestamp, &error));
  g_assert_cmpuint (seal + timestamp, ==, 0);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A writer migrates; the consent is intact, new ones take jobs. */
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_assert_cmpint (ck_store_get_schema_version (store), ==, CK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (CK_STORE_SCHEMA_VERSION, >=, 8);
  assert_clean (store);
  b = save_one (store, "李四", "2026-11-28", CK_SEAL_JOB_SEAL);
  g_assert_true (ck_store_count_seal_jobs (store, &seal, &timestamp, &error));
  g_assert_cmpuint (seal, ==, 1);
  g_assert_cmpuint (timestamp, ==, 0);
  assert_clean (store);
  g_clear_pointer (&sql, g_free);
  sql = ck_test_db_query (f->data, "SELECT count (*) FROM sqlite_schema WHERE name = 'seal_jobs_due'");
  g_assert_cmpstr (sql, ==, "1");
}

static void
test_save_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(CkSealJob) job = NULL;
  g_autoptr(CkSealJob) copy = NULL;
  g_autofree char *none = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *seal = save_one (store, "李四", "2026-11-27", CK_SEAL_JOB_SEAL);
  g_autofree char *stamp = save_one (store, "王五", "2026-11-27", CK_SEAL_JOB_TIMESTAMP);
  gint64 now_ms = g_get_real_time () / 1000;
  guint n_seal = 0, n_timestamp = 0;

  g_assert_true (ck_store_count_seal_jobs (store, &n_seal, &n_timestamp, &error));
  g_assert_cmpuint (n_seal, ==, 1);
  g_assert_cmpuint (n_timestamp, ==, 1);

  /* None: no job. */
  g_assert_null (ck_store_get_seal_job (store, none, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The others are due a moment after the save, not at once. */
  job = ck_store_get_seal_job (store, seal, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->uuid, ==, seal);
  g_assert_cmpint (job->kind, ==, CK_SEAL_JOB_SEAL);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_null (job->last_error);
  g_assert_cmpint (job->due_ms, >, now_ms);
  g_assert_cmpint (job->due_ms, <=, now_ms + CK_STORE_SEAL_JOB_DELAY_MS + 1000);
  copy = ck_seal_job_copy (job);
  g_assert_cmpstr (copy->uuid, ==, job->uuid);
  g_assert_cmpstr (ck_seal_job_kind_to_string (CK_SEAL_JOB_TIMESTAMP), ==, "timestamp");

  due = ck_store_list_seal_jobs (store, now_ms, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 0);
  all = ck_store_list_seal_jobs (store, G_MAXINT64, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = ck_store_list_seal_jobs (store, G_MAXINT64, 1, &error);
  g_assert_cmpuint (all->len, ==, 1);

  /* A failure counts and reschedules. */
  g_assert_true (ck_store_seal_job_failed (store, stamp, "the TSA did not answer", now_ms - 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = ck_store_list_seal_jobs (store, now_ms, 0, &error);
  g_assert_cmpuint (due->len, ==, 1);
  job = (ck_seal_job_free (job), g_ptr_array_steal_index (due, 0));
  g_assert_cmpstr (job->uuid, ==, stamp);
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpstr (job->last_error, ==, "the TSA did not answer");

  /* Queued again as another kind: replaced, counted afresh. */
  g_assert_true (ck_store_queue_seal_job (store, seal, CK_SEAL_JOB_TIMESTAMP, now_ms, "sealed; TSA away", &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_count_seal_jobs (store, &n_seal, &n_timestamp, &error));
  g_assert_cmpuint (n_seal, ==, 0);
  g_assert_cmpuint (n_timestamp, ==, 2);
  g_assert_false (ck_store_queue_seal_job (store, "0f8fad5b-d9cb-469f-a165-70867728950e", CK_SEAL_JOB_SEAL, 0,
                                           NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_clean (store);

  /* A purge takes their jobs with them. */
  g_assert_true (ck_store_purge (store, "2026-11-28", NULL, NULL, &error));
  g_assert_true (ck_store_count_seal_jobs (store, &n_seal, &n_timestamp, &error));
  g_assert_cmpuint (n_seal + n_timestamp, ==, 0);
  assert_clean (store);
}

static void
test_revision (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_SEAL);
  g_autofree char *other = save_one (store, "李四", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *path = pdf_file (f, store, uuid);
  g_autoptr(GBytes) original = read_pdf (store, uuid, &error);
  g_autoptr(GBytes) sealed = revised (original, "\n% a seal revision\n%%EOF\n");
  g_autoptr(GBytes) stamped = revised (sealed, "\n% a document timestamp\n%%EOF\n");
  g_autoptr(GBytes) foreign = fake_pdf ("something else altogether, longer than the original");
  g_autoptr(GBytes) now = NULL;
  g_autoptr(GBytes) stale = revised (original, "\n% built on the original\n");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CkConsentRecord) r = NULL;
  g_autofree char *on_disk = NULL;
  gsize len;
  gboolean found = FALSE;

  g_assert_no_error (error);

  /* Refused, and nothing changes: not beginning with the stored bytes, or
   * adding nothing, or a kind or a summary that is not one. */
  g_assert_false (ck_store_append_pdf_revision (store, uuid, foreign, "seal", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ck_store_append_pdf_revision (store, uuid, original, "seal", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ck_store_append_pdf_revision (store, uuid, sealed, "signature", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ck_store_append_pdf_revision (store, uuid, sealed, "seal", "two\nlines", &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &on_disk, &len, NULL));
  g_assert_cmpuint (len, ==, g_bytes_get_size (original));
  g_assert_true (has_job (store, uuid));
  g_clear_pointer (&on_disk, g_free);
  g_assert_null (ck_test_db_query (f->data, "SELECT path FROM pending_files"));

  /* Sealed: appended in place, in the chain, its job gone. */
  g_assert_true (ck_store_append_pdf_revision (store, uuid, sealed, "seal", "sealed", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &on_disk, &len, NULL));
  g_assert_cmpmem (on_disk, len, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  g_assert_null (ck_store_get_seal_job (store, uuid, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  now = read_pdf (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (now, sealed));
  g_clear_pointer (&now, g_bytes_unref);
  assert_clean (store);

  /* The row keeps the original: its link in the chain. */
  r = ck_store_lookup (store, uuid, &error);
  g_assert_cmpint (r->pdf_size, ==, (gint64)g_bytes_get_size (original));
  {
    g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, original);

    g_assert_cmpstr (r->pdf_sha256, ==, sha);
  }
  events = ck_store_list_events (store, uuid, &error);
  for (guint i = 0; i < events->len; i++)
    {
      const CkStoreEvent *e = events->pdata[i];

      if (g_str_equal (e->kind, "pdf-revision"))
        {
          g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sealed);

          ck_test_assert_contains (e->detail, "\"kind\":\"seal\"");
          ck_test_assert_contains (e->detail, sha);
          ck_test_assert_contains (e->detail, "\"summary\":\"sealed\"");
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* A revision built on an older one is refused; on the current, taken. */
  g_assert_false (ck_store_append_pdf_revision (store, uuid, stale, "timestamp", NULL, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ck_store_append_pdf_revision (store, uuid, stamped, "timestamp", "2026-11-27T01:31:00Z", &error));
  g_assert_no_error (error);
  now = read_pdf (store, uuid, &error);
  g_assert_true (g_bytes_equal (now, stamped));
  g_clear_pointer (&now, g_bytes_unref);
  assert_clean (store);

  /* The other consent is untouched. */
  now = read_pdf (store, other, &error);
  g_assert_no_error (error);
  g_clear_pointer (&now, g_bytes_unref);

  /* Bytes put after the recorded revision: check says so, reads refuse. */
  {
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GByteArray) junk = g_byte_array_new ();

    g_byte_array_append (junk, g_bytes_get_data (stamped, NULL), (guint)g_bytes_get_size (stamped));
    g_byte_array_append (junk, (const guint8 *)"junk", 4);
    g_assert_true (g_file_set_contents (path, (const char *)junk->data, junk->len, NULL));
    problems = check (store);
    g_assert_cmpuint (problems->len, ==, 1);
    assert_reported (problems, "bytes were added after the revision the store records");
    g_assert_null (read_pdf (store, uuid, &error));
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);
    g_clear_error (&error);

    /* A byte of the seal revision flipped. */
    g_clear_pointer (&problems, g_ptr_array_unref);
    junk->data[g_bytes_get_size (original) + 3] ^= 1;
    g_byte_array_set_size (junk, (guint)g_bytes_get_size (stamped));
    g_assert_true (g_file_set_contents (path, (const char *)junk->data, junk->len, NULL));
    problems = check (store);
    g_assert_cmpuint (problems->len, ==, 1);
    assert_reported (problems, "was changed: its SHA-256 is not the recorded one");
    g_assert_null (read_pdf (store, uuid, &error));
    g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED);
    g_clear_error (&error);
  }
}

/* A revision that died before its commit, and one that committed, as the
 * files journal and recovery see them (the crash test kills real ones). */
static void
test_revision_recovery (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_SEAL);
  g_autofree char *path = pdf_file (f, store, uuid);
  g_autoptr(GBytes) original = read_pdf (store, uuid, &error);
  g_autoptr(GBytes) sealed = revised (original, "\n% a seal revision that never committed\n");
  g_autoptr(GBytes) now = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *sql = NULL;
  const CkStoreRecovery *recovery;

  g_assert_finalize_object (g_steal_pointer (&store));

  /* The journal row, and half the new bytes on the disk. */
  pdf_path = ck_test_db_query (f->data, "SELECT pdf_path FROM consents");
  sql = g_strdup_printf ("INSERT INTO pending_files (path, action, consent_uuid, since, size) "
                         "VALUES ('%s', 'append', '%s', '2026-11-27T01:31:00Z', %" G_GSIZE_FORMAT ")",
                         pdf_path, uuid, g_bytes_get_size (original));
  ck_test_db_exec (f->data, sql);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (sealed, NULL),
                                      (gssize)g_bytes_get_size (sealed) - 10, NULL));

  /* A reader meanwhile gets the recorded revision, check says why. */
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  now = read_pdf (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (now, original));
  g_clear_pointer (&now, g_bytes_unref);
  {
    g_autoptr(GPtrArray) problems = check (store);

    g_assert_cmpuint (problems->len, ==, 1);
    assert_reported (problems, "has an unfinished revision");
  }
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A writer's open cuts it back and says so. */
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  recovery = ck_store_get_recovery (store);
  g_assert_cmpuint (recovery->revisions_undone, ==, 1);
  {
    g_autofree char *on_disk = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &on_disk, &len, NULL));
    g_assert_cmpmem (on_disk, len, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  }
  g_assert_null (ck_test_db_query (f->data, "SELECT path FROM pending_files"));
  g_assert_true (has_job (store, uuid));
  assert_clean (store);

  /* Then it goes through. */
  g_assert_true (ck_store_append_pdf_revision (store, uuid, sealed, "seal", NULL, &error));
  g_assert_no_error (error);
  assert_clean (store);
}

static void
test_backup_revised (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_SEAL);
  g_autofree char *plain = save_one (store, "李四", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autoptr(GBytes) original = read_pdf (store, uuid, &error);
  g_autoptr(GBytes) sealed = revised (original, "\n% a seal revision\n");
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(CkBackupInfo) restored = NULL;
  g_autoptr(CkStore) back = NULL;
  g_autoptr(GBytes) now = NULL;
  g_autofree char *backup = g_build_filename (f->dir, "kiosk.ckbackup", NULL);
  g_autofree char *target = g_build_filename (f->dir, "restored", NULL);

  g_assert_true (ck_store_append_pdf_revision (store, uuid, sealed, "seal", NULL, &error));
  g_assert_no_error (error);
  anchor_head (store);

  info = ck_backup_create (store, backup, "branch-042-kiosk-1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->files, ==, 2);
  restored = ck_backup_restore (backup, target, 0, &error);
  g_assert_no_error (error);

  back = open_store (target, CK_STORE_OPEN_RECOVER);
  now = read_pdf (back, uuid, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (now, sealed));
  g_clear_pointer (&now, g_bytes_unref);
  now = read_pdf (back, plain, &error);
  g_assert_no_error (error);
  assert_clean (back);
}

static GBytes *
fake_seal (GBytes   *data,
           gpointer  user_data,
           GError  **error)
{
  guint *calls = user_data;

  (*calls)++;
  g_assert_true (g_str_has_prefix (g_bytes_get_data (data, NULL), "ck-purge/1\nbefore:2026-11-28\ncut:1:"));
  return g_bytes_new_static ("a seal", 6);
}

static void
test_anchor (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *hash = NULL;
  g_autofree char *at = NULL;
  g_autofree char *first_hash = NULL;
  g_autoptr(GBytes) cms = g_bytes_new_static ("cms", 3);
  g_autoptr(GBytes) text = NULL;
  gint64 head = -1, anchored = -1, first;
  g_autofree char *b = NULL;
  guint calls = 0;

  g_assert_true (g_uuid_string_is_valid (a));
  /* The text an anchor seals, byte for byte. */
  text = ck_store_anchor_data (12, "ab12");
  g_assert_cmpmem (g_bytes_get_data (text, NULL), g_bytes_get_size (text), "ck-anchor/1\nseq:12\nhash:ab12\n", 29);

  g_assert_true (ck_store_get_anchor_state (store, &head, &hash, &anchored, NULL, &at, &error));
  g_assert_cmpint (head, ==, 1);
  g_assert_cmpint (anchored, ==, 0);
  g_assert_null (at);
  first = head;
  first_hash = g_strdup (hash);

  /* Only a link the chain has. */
  g_assert_false (ck_store_add_anchor (store, head, "0000000000000000000000000000000000000000000000000000000000000001",
                                       cms, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ck_store_add_anchor (store, head + 1, hash, cms, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ck_store_add_anchor (store, head, "not a hash", cms, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (anchor_head (store), ==, 1);
  g_clear_pointer (&hash, g_free);
  g_clear_pointer (&at, g_free);
  g_assert_true (ck_store_get_anchor_state (store, &head, &hash, &anchored, NULL, &at, &error));
  g_assert_cmpint (head, ==, 2);   /* the anchor is a link too */
  g_assert_cmpint (anchored, ==, 1);
  g_assert_nonnull (at);
  assert_clean (store);

  /* An earlier link, and one a purge cut, may be anchored too. (The
   * purge erases an anchored link: it is sealed.) */
  b = save_one (store, "李四", "2026-11-28", CK_SEAL_JOB_NONE);
  g_assert_true (ck_store_purge_sealed (store, "2026-11-28", NULL, fake_seal, &calls, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ck_store_add_anchor (store, first, first_hash, cms, &error));
  g_assert_no_error (error);
  assert_clean (store);
}

/* Issue 15's first attack: a name edited and every later link recomputed
 * with the canonical forms of docs/STORAGE.md, the head and its copy
 * too. Before an anchor covers the edit nothing inside the machine can
 * tell (documented); after one, check names it. */
static void
test_rechain (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autofree char *a = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *b = save_one (store, "李四", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 anchored;

  g_assert_true (g_uuid_string_is_valid (a) && g_uuid_string_is_valid (b));
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Before any anchor: the script wins. */
  ck_test_db_exec (f->data, "UPDATE consents SET name = '张三丰' WHERE seq = 1");
  ck_test_rechain_from (f->data, 1);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* An anchor, more consents, then the same script on the other name. */
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  anchored = anchor_head (store);
  c = save_one (store, "王五", "2026-11-28", CK_SEAL_JOB_NONE);
  anchor_head (store);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The last consent, after the first anchor: bounded by it. */
  ck_test_db_exec (f->data, "UPDATE consents SET name = '王五五' WHERE seq = 4");
  ck_test_rechain_from (f->data, 4);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  problems = check (store);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_reported (problems, "The chain was rewritten before anchor 5: link 4 no longer has the hash the anchor "
                             "sealed. It still matches the anchors up to link 2, so the rewrite is after that "
                             "link.");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* One both anchors cover. */
  ck_test_db_exec (f->data, "UPDATE consents SET name = '李四四' WHERE seq = 2");
  ck_test_rechain_from (f->data, 2);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  problems = check (store);
  g_assert_cmpuint (problems->len, ==, 2);
  assert_reported (problems, "The chain was rewritten before anchor 3: link 2 no longer has the hash the anchor "
                             "sealed.");
  assert_reported (problems, "The chain was rewritten before anchor 5: link 4 no longer has the hash");
  g_assert_cmpint (anchored, ==, 2);
}

static GBytes *
failing_seal (GBytes   *data,
              gpointer  user_data,
              GError  **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the token is unplugged");
  return NULL;
}

/* Forges a purge of consent @seq as a script does: a purge event listing
 * its link, appended after the head, and its rows and PDF gone. */
static void
forge_purge (Fixture    *f,
             gint64      seq)
{
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *head_seq = ck_test_db_query (f->data, "SELECT seq FROM chain");
  g_autofree char *head_hash = ck_test_db_query (f->data, "SELECT hash FROM chain");
  g_autofree char *file = NULL;
  gint64 event_seq = g_ascii_strtoll (head_seq, NULL, 10) + 1;

  sql = g_strdup_printf ("SELECT row_hash FROM consents WHERE seq = %" G_GINT64_FORMAT, seq);
  hash = ck_test_db_query (f->data, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT pdf_path FROM consents WHERE seq = %" G_GINT64_FORMAT, seq);
  path = ck_test_db_query (f->data, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT uuid FROM consents WHERE seq = %" G_GINT64_FORMAT, seq);
  uuid = ck_test_db_query (f->data, sql);
  g_free (sql);

  sql = g_strdup_printf ("BEGIN;"
                         "DELETE FROM consents WHERE seq = %1$" G_GINT64_FORMAT ";"
                         "DELETE FROM consent_status WHERE seq = %1$" G_GINT64_FORMAT ";"
                         "DELETE FROM verify_queue WHERE consent_uuid = '%2$s';"
                         "INSERT INTO events (seq, at, kind, detail, prev_hash, row_hash) VALUES "
                         "(%3$" G_GINT64_FORMAT ", '2026-11-29T01:00:00.000000Z', 'purge', "
                         "'{\"before\":\"2026-11-28\",\"removed\":[[%1$" G_GINT64_FORMAT ",\"%4$s\",\"%5$s\"]]}', "
                         "'%6$s', 'to be computed');"
                         "COMMIT;",
                         seq, uuid, event_seq, hash, path, head_hash);
  ck_test_db_exec (f->data, sql);
  ck_test_rechain_from (f->data, event_seq);
  file = g_build_filename (f->data, path, NULL);
  g_assert_cmpint (g_unlink (file), ==, 0);
}

/* Issue 15's second attack: a middle consent erased by a forged purge. */
static void
test_forged_purge (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CkStore) store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = save_one (store, "张三", "2026-11-27", CK_SEAL_JOB_NONE);
  g_autofree char *b = save_one (store, "李四", "2026-11-28", CK_SEAL_JOB_NONE);
  g_autofree char *c = save_one (store, "王五", "2026-11-29", CK_SEAL_JOB_NONE);
  g_autofree char *d = NULL;
  guint calls = 0, n = 0;

  g_assert_true (g_uuid_string_is_valid (b) && g_uuid_string_is_valid (c));
  /* Not covered by an anchor: the forgery passes (documented). */
  g_assert_finalize_object (g_steal_pointer (&store));
  forge_purge (f, 3);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* An anchor covers consent 2; a genuine purge of consent 1 after it is
   * sealed (a seal that fails purges nothing), and passes. */
  store = open_store (f->data, CK_STORE_OPEN_RECOVER);
  d = save_one (store, "赵六", "2026-11-30", CK_SEAL_JOB_NONE);
  anchor_head (store);
  g_assert_false (ck_store_purge_sealed (store, "2026-11-28", NULL, failing_seal, NULL, NULL, NULL, &n, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID);
  ck_test_assert_contains (error->message, "the token is unplugged");
  g_clear_error (&error);
  {
    g_autoptr(CkConsentRecord) kept = ck_store_lookup (store, a, &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
  }
  g_assert_true (ck_store_purge_sealed (store, "2026-11-28", "王经理", fake_seal, &calls, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (n, ==, 1);
  assert_clean (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The forged purge of consent 2 is caught. */
  forge_purge (f, 2);
  store = open_store (f->data, CK_STORE_OPEN_READ_ONLY);
  problems = check (store);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_reported (problems, "Record 2 was erased by purge");
  assert_reported (problems, "which is not sealed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-seal/migrate/v7", test_migrate_v7);
  ADD ("/store-seal/save-full", test_save_full);
  ADD ("/store-seal/revision", test_revision);
  ADD ("/store-seal/revision/recovery", test_revision_recovery);
  ADD ("/store-seal/backup", test_backup_revised);
  ADD ("/store-seal/anchor", test_anchor);
  ADD ("/store-seal/attack/rechain", test_rechain);
  ADD ("/store-seal/attack/forged-purge", test_forged_purge);
#undef ADD

  return g_test_run ();
}
