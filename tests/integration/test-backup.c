/* test-backup.c: consentctl backup and restore
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Stores are filled through the store API (consents, a purge, a reveal, a
 * quarantined PDF) and consentctl (a verification with the demo provider);
 * backups and restores run as IT runs them, through consentctl. SQLite
 * only to read every row and to damage backups on purpose. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "ck.h"
#include "ck-test-util.h"

#define FULL_ID "11010519491231002X"

typedef struct
{
  char *dir;
  char *data_dir;   /* not created */
  char *backup;     /* not created */
  GPtrArray *env;
} Box;

static void
box_clear (Box *box)
{
  if (box->dir)
    ck_test_rm_rf (box->dir);
  g_clear_pointer (&box->dir, g_free);
  g_clear_pointer (&box->data_dir, g_free);
  g_clear_pointer (&box->backup, g_free);
  g_clear_pointer (&box->env, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Box, box_clear)

static void
box_init (Box *box)
{
  g_autoptr(GError) error = NULL;

  box->dir = g_dir_make_tmp ("test-backup-XXXXXX", &error);
  g_assert_no_error (error);
  box->data_dir = g_build_filename (box->dir, "store", NULL);
  box->backup = g_build_filename (box->dir, "kiosk.ckbackup", NULL);
  box->env = ck_test_consentctl_env (box->dir, "[kiosk]\nid = branch-042\n");
}

/* Runs consentctl; no whole ID number may appear in what it prints. */
static void
run_argv (CkTestRun          *run,
          Box                *box,
          const char * const *argv)
{
  ck_test_run_keeping (run, box->env, argv, FULL_ID);
}

#define RUN(run, box, ...) run_argv (run, box, (const char * const[]) { __VA_ARGS__, NULL })

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* --- filling a store ---------------------------------------------------------- */

static const char * const names[] = { "张三", "李四", "王五", "赵六", "阿依古丽·买买提", "欧阳修远" };

static CkConsentRecord *
new_record (const char *sign_date,
            guint       i)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (60 + i);
  CkConsentRecord *r = ck_consent_record_new ();

  r->uuid = g_uuid_string_random ();
  r->sign_date = g_strdup (sign_date);
  r->created_at = g_strdup_printf ("%sT09:%02u:00.000000Z", sign_date, i % 60);
  r->name = g_strdup (names[i % G_N_ELEMENTS (names)]);
  r->id_number = g_strdup (FULL_ID);
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042");
  r->operator_name = g_strdup ("王芳");

  return r;
}

static GBytes *
new_pdf (GRand      *rand,
         const char *uuid)
{
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n% consent ");
  guint size = g_rand_int_range (rand, 2000, 60000);

  g_string_append_printf (pdf, "%s\n", uuid);
  for (guint i = 0; i < size; i++)
    g_string_append_c (pdf, (char)g_rand_int_range (rand, 0, 256));

  return g_string_free_to_bytes (g_steal_pointer (&pdf));
}

static char *
save_one (CkStore    *store,
          GRand      *rand,
          const char *sign_date,
          guint       i)
{
  g_autoptr(CkConsentRecord) r = new_record (sign_date, i);
  g_autoptr(GBytes) pdf = new_pdf (rand, r->uuid);
  g_autoptr(GError) error = NULL;

  ck_store_save (store, r, pdf, &error);
  g_assert_no_error (error);

  return g_strdup (r->uuid);
}

/* Five consents, two of them purged; a reveal; a withdrawal; a quarantined PDF; one
 * consent verified by the demo provider through consentctl. */
static void
fill_store (Box *box)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *old = NULL;
  g_autofree char *withdrawn = NULL;
  g_autofree char *stray_dir = NULL;
  g_autofree char *stray = NULL;
  g_autofree char *stray_uuid = g_uuid_string_random ();
  g_auto(CkTestRun) verify = { 0 };
  guint purged = 0;

  store = ck_store_open (box->data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  old = save_one (store, rand, "2019-03-01", 0);
  g_free (save_one (store, rand, "2019-04-01", 1));
  /* A call the vendor billed, for a consent the purge removes: the
   * ledger of purged calls keeps it. */
  {
    g_autoptr(CkVerifyAttempt) attempt = ck_store_begin_attempt (store, old, "aliyun-idcert",
                                                                 G_GINT64_CONSTANT (1772000000000),
                                                                 60000, &error);

    g_assert_no_error (error);
    g_free (attempt->outcome);
    attempt->outcome = g_strdup ("verified");
    attempt->http_status = 200;
    attempt->request_id = g_strdup ("REQ-PURGED-1");
    g_assert_true (ck_store_finish_attempt (store, attempt, 0, &error));
    g_assert_no_error (error);
  }
  kept = save_one (store, rand, "2026-11-02", 2);
  withdrawn = save_one (store, rand, "2026-11-03", 3);
  g_free (save_one (store, rand, "2026-11-04", 4));

  ck_store_purge (store, "2020-01-01", "李主管", &purged, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 2);
  ck_store_add_event (store, "reveal", kept, "王芳",
                      "{\"field\":\"id_number\",\"via\":\"test-backup\"}", &error);
  g_assert_no_error (error);
  /* As ck_store_withdraw() records it (staff-api.md), through the same chain. */
  ck_store_add_event (store, "withdrawal", withdrawn, "王芳", "{\"note\":\"客户来电撤回\"}", &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  /* A PDF without a record, as a crash leaves it (the save's journal row
   * committed, its PDF in place, its row not): quarantined on open. */
  stray_dir = g_build_filename (box->data_dir, "pdf", "2026", "11", NULL);
  stray = g_strdup_printf ("%s/%s.pdf", stray_dir, stray_uuid);
  g_file_set_contents (stray, "%PDF-1.4\n% half a save\n", -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *db_path = g_build_filename (box->data_dir, "consents.db", NULL);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO pending_files (path, action, consent_uuid, since) "
                                            "VALUES ('pdf/2026/11/%s.pdf', 'write', '%s', "
                                            "'2026-11-30T10:00:00.000000Z')",
                                            stray_uuid, stray_uuid);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = ck_store_open (box->data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_store_get_recovery (store)->quarantined->len, ==, 1);
  g_clear_object (&store);

  RUN (&verify, box, "--data-dir", box->data_dir, "verify", kept);
  g_assert_cmpint (verify.status, ==, 0);
  ck_test_assert_contains (verify.out, "DEMO");
}

/* --- what a store holds ----------------------------------------------------------- */

static void
dump_table (sqlite3    *db,
            const char *table,
            GPtrArray  *lines)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", table);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *line = g_string_new (table);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const void *blob = sqlite3_column_blob (stmt, c);
          int len = sqlite3_column_bytes (stmt, c);
          g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                              blob ? blob : (const void *)"", len);

          g_string_append_printf (line, "|%d:%s", sqlite3_column_type (stmt, c), sha);
        }
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);
}

static void
dump_files (const char *root,
            const char *relative,
            GPtrArray  *lines)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *child_path = g_build_filename (root, child, NULL);

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        dump_files (root, child, lines);
      else
        {
          g_autofree char *contents = NULL;
          g_autofree char *sha = NULL;
          g_autoptr(GError) error = NULL;
          gsize len;

          g_file_get_contents (child_path, &contents, &len, &error);
          g_assert_no_error (error);
          sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
          g_ptr_array_add (lines, g_strdup_printf ("file|%s|%zu|%s", child, len, sha));
        }
    }
}

/* Every row but the events and the chain's head, and every file. */
typedef struct
{
  GPtrArray *rows;
  GPtrArray *events;
} Snapshot;

static void
snapshot_clear (Snapshot *snap)
{
  g_clear_pointer (&snap->rows, g_ptr_array_unref);
  g_clear_pointer (&snap->events, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
take_snapshot (const char *data_dir,
               Snapshot   *snap)
{
  g_autofree char *db_path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;

  snap->rows = g_ptr_array_new_with_free_func (g_free);
  snap->events = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  dump_table (db, "consents", snap->rows);
  dump_table (db, "attempts", snap->rows);
  dump_table (db, "verify_queue", snap->rows);
  dump_table (db, "purged_calls", snap->rows);
  dump_table (db, "events", snap->events);
  sqlite3_close (db);

  dump_files (data_dir, "pdf", snap->rows);
  dump_files (data_dir, "quarantine", snap->rows);
  g_ptr_array_sort (snap->rows, compare_strings);
}

static void
assert_same_lines (GPtrArray *a,
                   GPtrArray *b,
                   guint      n)
{
  g_assert_cmpuint (a->len, >=, n);
  g_assert_cmpuint (b->len, >=, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
}

/* @after holds what @before held, and one more event: the restore's. */
static void
assert_restored (const char *data_dir,
                 Snapshot   *before)
{
  g_auto(Snapshot) after = { 0 };
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  const CkStoreEvent *last;
  const CkVerifyAttempt *call;

  take_snapshot (data_dir, &after);
  g_assert_cmpuint (after.rows->len, ==, before->rows->len);
  assert_same_lines (after.rows, before->rows, before->rows->len);
  g_assert_cmpuint (after.events->len, ==, before->events->len + 1);
  assert_same_lines (after.events, before->events, before->events->len);

  store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  events = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);
  last = events->pdata[events->len - 1];
  g_assert_cmpstr (last->kind, ==, "restore");
  ck_test_assert_contains (last->detail, "\"kiosk_id\":\"branch-042\"");
  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  /* The purged consent's billed call still counts. */
  calls = ck_usage_list_calls (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  call = calls->pdata[0];
  g_assert_cmpstr (ck_usage_consent_id_to_string (call), ==, CK_USAGE_PURGED_CONSENT);
  g_assert_cmpstr (call->request_id, ==, "REQ-PURGED-1");
  g_assert_cmpstr (ck_usage_billed_to_string (call), ==, "yes");
}

/* --- backup, wipe, restore --------------------------------------------------------- */

static void
test_round_trip (void)
{
  g_auto(Box) box = { 0 };
  g_auto(Snapshot) before = { 0 };
  g_auto(CkTestRun) backup = { 0 };
  g_auto(CkTestRun) restore = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_auto(CkTestRun) again = { 0 };
  g_autofree char *second = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);

  box_init (&box);
  fill_store (&box);
  take_snapshot (box.data_dir, &before);

  /* Every kind of event the brief names is in the store being saved. */
  store = ck_store_open (box.data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  events = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_hash_table_add (kinds, ((CkStoreEvent *)events->pdata[i])->kind);
  g_assert_true (g_hash_table_contains (kinds, "purge"));
  g_assert_true (g_hash_table_contains (kinds, "reveal"));
  g_assert_true (g_hash_table_contains (kinds, "withdrawal"));
  g_assert_true (g_hash_table_contains (kinds, "recovery"));
  g_assert_true (g_hash_table_contains (kinds, "verification"));
  g_clear_object (&store);

  RUN (&backup, &box, "--data-dir", box.data_dir, "backup", box.backup);
  g_assert_cmpstr (backup.err, ==, "");
  g_assert_cmpint (backup.status, ==, 0);
  ck_test_assert_contains (backup.out, "Consents:   3\n");
  ck_test_assert_contains (backup.out, "Files:      4 (");
  ck_test_assert_contains (backup.out, "Kiosk:      branch-042\n");
  ck_test_assert_contains (backup.out, "whole ID numbers");
  assert_mode (box.backup, 0600);
  {
    g_autofree char *tmp = g_strconcat (box.backup, ".tmp", NULL);

    g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  }

  ck_test_rm_rf (box.data_dir);
  g_assert_false (g_file_test (box.data_dir, G_FILE_TEST_EXISTS));

  RUN (&restore, &box, "--data-dir", box.data_dir, "restore", box.backup);
  g_assert_cmpstr (restore.err, ==, "");
  g_assert_cmpint (restore.status, ==, 0);
  ck_test_assert_contains (restore.out, "3 consents checked: all intact.\n");

  RUN (&check, &box, "--data-dir", box.data_dir, "check");
  g_assert_cmpint (check.status, ==, 0);
  assert_restored (box.data_dir, &before);
  {
    g_autofree char *db = g_build_filename (box.data_dir, "consents.db", NULL);
    g_autofree char *pdf = g_build_filename (box.data_dir, "pdf", NULL);

    assert_mode (db, 0600);
    assert_mode (pdf, 0700);
    assert_mode (box.data_dir, 0700);
  }

  /* The command's own --data-dir, into an empty directory that exists. */
  second = g_build_filename (box.dir, "second", NULL);
  g_assert_cmpint (g_mkdir (second, 0700), ==, 0);
  RUN (&again, &box, "restore", box.backup, "--data-dir", second);
  g_assert_cmpint (again.status, ==, 0);
  assert_restored (second, &before);
}

/* --- a backup while another thread saves ------------------------------------------- */

typedef struct
{
  char *data_dir;
  gint saved;
  gint stop;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (w->data_dir, CK_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  for (guint i = 0; !g_atomic_int_get (&w->stop); i++)
    {
      g_free (save_one (store, rand, "2026-11-20", 100 + i));
      g_atomic_int_inc (&w->saved);
    }

  return NULL;
}

static void
wait_for_saves (Writer *w,
                gint    n)
{
  while (g_atomic_int_get (&w->saved) < n)
    g_usleep (1000);
}

static void
test_while_writing (void)
{
  g_auto(Box) box = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GThread) thread = NULL;
  Writer w = { 0 };

  box_init (&box);
  store = ck_store_open (box.data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);

  w.data_dir = box.data_dir;
  thread = g_thread_new ("writer", writer_thread, &w);
  wait_for_saves (&w, 3);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/during-%u.ckbackup", box.dir, i);
      g_autofree char *dir = g_strdup_printf ("%s/restored-%u", box.dir, i);
      g_autoptr(CkBackupInfo) made = NULL;
      g_autoptr(CkBackupInfo) restored = NULL;
      gint saved_before = g_atomic_int_get (&w.saved);

      made = ck_backup_create (store, file, "branch-042", CK_BACKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (made->consents, >=, saved_before);
      g_assert_cmpint (made->consents, <=, g_atomic_int_get (&w.saved) + 1);
      g_assert_cmpint (made->files, ==, made->consents);
      assert_mode (file, 0600);

      restored = ck_backup_restore (file, dir, CK_BACKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (restored->consents, ==, made->consents);
      g_assert_cmpstr (restored->chain_head, ==, made->chain_head);
      /* Let the writer move on between backups. */
      wait_for_saves (&w, g_atomic_int_get (&w.saved) + 2);
    }

  g_atomic_int_set (&w.stop, 1);
  g_thread_join (g_steal_pointer (&thread));

  {
    g_autoptr(GPtrArray) problems = ck_store_check (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* --- refusals -------------------------------------------------------------------- */

static void
make_backup (Box *box)
{
  g_auto(CkTestRun) run = { 0 };

  fill_store (box);
  RUN (&run, box, "--data-dir", box->data_dir, "backup", box->backup);
  g_assert_cmpint (run.status, ==, 0);
}

static char *
read_all (const char *path,
          gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);

  return contents;
}

static void
test_refuse_existing_file (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) refused = { 0 };
  g_auto(CkTestRun) forced = { 0 };
  g_auto(CkTestRun) restore = { 0 };
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  box_init (&box);
  fill_store (&box);
  g_file_set_contents (box.backup, "last week's backup", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (box.backup, 0644), ==, 0);

  RUN (&refused, &box, "--data-dir", box.data_dir, "backup", box.backup);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  ck_test_assert_contains (refused.err, "already exists; nothing was written");
  contents = read_all (box.backup, NULL);
  g_assert_cmpstr (contents, ==, "last week's backup");

  RUN (&forced, &box, "--data-dir", box.data_dir, "backup", "--force", box.backup);
  g_assert_cmpint (forced.status, ==, 0);
  assert_mode (box.backup, 0600);

  ck_test_rm_rf (box.data_dir);
  RUN (&restore, &box, "--data-dir", box.data_dir, "restore", box.backup);
  g_assert_cmpint (restore.status, ==, 0);
}

static void
test_refuse_non_empty (void)
{
  g_auto(Box) box = { 0 };
  g_auto(Snapshot) before = { 0 };
  g_auto(CkTestRun) refused = { 0 };
  g_auto(CkTestRun) forced = { 0 };
  g_autofree char *target = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_keep = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  box_init (&box);
  make_backup (&box);
  take_snapshot (box.data_dir, &before);

  target = g_build_filename (box.dir, "target", NULL);
  keep = g_build_filename (target, "keep.txt", NULL);
  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
  g_file_set_contents (keep, "still here", -1, &error);
  g_assert_no_error (error);

  RUN (&refused, &box, "--data-dir", target, "restore", box.backup);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  ck_test_assert_contains (refused.err, "is not empty; nothing was changed");
  contents = read_all (keep, NULL);
  g_assert_cmpstr (contents, ==, "still here");
  dir = g_dir_open (target, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "keep.txt");
  g_assert_null (g_dir_read_name (dir));

  RUN (&forced, &box, "--data-dir", target, "restore", "--force", box.backup);
  g_assert_cmpint (forced.status, ==, 0);
  ck_test_assert_contains (forced.out, "Moved aside:");
  assert_restored (target, &before);

  /* The old contents, whole, beside it. */
  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (box.dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "target.before-restore-"))
      {
        g_assert_null (aside);
        aside = g_build_filename (box.dir, name, NULL);
      }
  g_assert_nonnull (aside);
  ck_test_assert_contains (forced.out, aside);
  aside_keep = g_build_filename (aside, "keep.txt", NULL);
  g_free (contents);
  contents = read_all (aside_keep, NULL);
  g_assert_cmpstr (contents, ==, "still here");
}

/* Damages a copy of a good backup through SQLite. */
static void
damage_sql (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Flips one byte in the middle of the first embedded PDF; with
 * @rehash, also writes the changed file's hash into the file list. */
static void
flip_pdf_byte (const char *path,
               gboolean    rehash)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree guint8 *data = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *sha = NULL;
  int len;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT path, data FROM ck_backup_files "
                                           "WHERE path LIKE 'pdf/%' ORDER BY path LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pdf_path = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  len = sqlite3_column_bytes (stmt, 1);
  data = g_memdup2 (sqlite3_column_blob (stmt, 1), len);
  sqlite3_finalize (stmt);

  data[len / 2] ^= 0x01;
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  g_assert_cmpint (sqlite3_prepare_v2 (db, rehash
                                           ? "UPDATE ck_backup_files SET data = ?, sha256 = ? WHERE path = ?"
                                           : "UPDATE ck_backup_files SET data = ? WHERE path = ?3",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, data, len, SQLITE_STATIC);
  if (rehash)
    sqlite3_bind_text (stmt, 2, sha, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pdf_path, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

typedef enum
{
  FLIP_PDF_BYTE,
  FLIP_PDF_BYTE_REHASHED,
  EDIT_ROW,
  DELETE_EVENT,
  TRUNCATE,
  RANDOM_SQLITE,
  STORE_DATABASE,
  NOT_SQLITE,
  EMPTY,
  NEWER_FORMAT,
  NEWER_SCHEMA,
  ESCAPING_PATH,
} Damage;

static const struct {
  Damage damage;
  const char *message;
} damages[] = {
  { FLIP_PDF_BYTE, "in the backup @FILE@ does not match its SHA-256: the backup was changed or damaged" },
  { FLIP_PDF_BYTE_REHASHED, "lacks the PDF of consent" },
  { EDIT_ROW, "does not pass the integrity check:\nThe consent " },
  { DELETE_EVENT, "does not match its manifest (events)" },
  { TRUNCATE, "is damaged or incomplete" },
  { RANDOM_SQLITE, "is an SQLite database but not a Consent Kiosk backup" },
  { STORE_DATABASE, "is an SQLite database but not a Consent Kiosk backup" },
  { NOT_SQLITE, "is not a Consent Kiosk backup: it is not an SQLite database" },
  { EMPTY, "is not a Consent Kiosk backup: it is not an SQLite database" },
  { NEWER_FORMAT, "was made by a newer Consent Kiosk (backup format 2; this one reads up to 1)" },
  { NEWER_SCHEMA, "holds a consent database of a newer Consent Kiosk (schema 99;" },
  { ESCAPING_PATH, "names a file outside the data directory (../outside.pdf)" },
};

static void
make_damaged (Box        *box,
              Damage      damage,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  gsize len;

  good = read_all (box->backup, &len);
  g_file_set_contents (path, good, len, &error);
  g_assert_no_error (error);

  switch (damage)
    {
    case FLIP_PDF_BYTE:
      flip_pdf_byte (path, FALSE);
      break;
    case FLIP_PDF_BYTE_REHASHED:
      flip_pdf_byte (path, TRUE);
      break;
    case EDIT_ROW:
      damage_sql (path, "UPDATE consents SET name = '李四' WHERE seq = (SELECT min (seq) FROM consents)");
      break;
    case DELETE_EVENT:
      damage_sql (path, "DELETE FROM events WHERE seq = (SELECT max (seq) FROM events)");
      break;
    case TRUNCATE:
      g_file_set_contents (path, good, len / 2, &error);
      g_assert_no_error (error);
      break;
    case RANDOM_SQLITE:
      g_assert_cmpint (g_unlink (path), ==, 0);
      damage_sql (path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
      break;
    case STORE_DATABASE:
      {
        g_autofree char *db = g_build_filename (box->data_dir, "consents.db", NULL);
        g_autofree char *live = read_all (db, &len);

        g_file_set_contents (path, live, len, &error);
        g_assert_no_error (error);
      }
      break;
    case NOT_SQLITE:
      g_file_set_contents (path, "%PDF-1.4\nnot a backup at all, but long enough to have a header "
                                 "of a hundred bytes, which it does not.\n", -1, &error);
      g_assert_no_error (error);
      break;
    case EMPTY:
      g_file_set_contents (path, "", 0, &error);
      g_assert_no_error (error);
      break;
    case NEWER_FORMAT:
      damage_sql (path, "UPDATE ck_backup_manifest SET format = 2");
      break;
    case NEWER_SCHEMA:
      damage_sql (path, "UPDATE ck_backup_manifest SET schema_version = 99");
      break;
    case ESCAPING_PATH:
      damage_sql (path, "UPDATE ck_backup_files SET path = '../outside.pdf' "
                        "WHERE path = (SELECT min (path) FROM ck_backup_files)");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
assert_no_leftovers (const char *dir,
                     const char *allowed_prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    if (strstr (name, ".restore-") || g_str_has_prefix (name, allowed_prefix))
      g_error ("%s was left in %s", name, dir);
}

static void
test_refuse_damaged (void)
{
  g_auto(Box) box = { 0 };

  box_init (&box);
  make_backup (&box);

  for (guint i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      g_auto(CkTestRun) run = { 0 };
      g_autofree char *path = g_strdup_printf ("%s/damaged-%u.ckbackup", box.dir, i);
      g_autofree char *target = g_build_filename (box.dir, "target", NULL);
      g_autoptr(GString) expected = g_string_new (damages[i].message);

      make_damaged (&box, damages[i].damage, path);
      RUN (&run, &box, "--data-dir", target, "restore", path);
      if (run.status != 1)
        g_error ("case %u: exit %d, “%s”", i, run.status, run.err);
      g_assert_cmpstr (run.out, ==, "");
      g_string_replace (expected, "@FILE@", path, 0);
      ck_test_assert_contains (run.err, expected->str);
      ck_test_assert_contains (run.err, path);
      g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
      assert_no_leftovers (box.dir, "target");
    }
}

/* A store that does not pass its own check is not backed up. */
static void
test_refuse_damaged_store (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) missing = { 0 };
  g_auto(CkTestRun) changed = { 0 };
  g_auto(CkTestRun) edited = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *tmp = NULL;
  CkConsentRecord *first;
  CkStoreQuery query = { 0 };

  box_init (&box);
  tmp = g_strconcat (box.backup, ".tmp", NULL);

  RUN (&missing, &box, "--data-dir", box.data_dir, "backup", box.backup);
  g_assert_cmpint (missing.status, ==, 1);
  ck_test_assert_contains (missing.err, "There is no consent database in");

  fill_store (&box);
  store = ck_store_open (box.data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  records = ck_store_list (store, &query, &error);
  g_assert_no_error (error);
  first = records->pdata[0];

  /* A changed PDF. */
  {
    g_autofree char *path = g_build_filename (box.data_dir, first->pdf_path, NULL);
    g_autofree char *good = NULL;
    gsize len;

    good = read_all (path, &len);
    good[len / 2] ^= 0x01;
    g_file_set_contents (path, good, len, &error);
    g_assert_no_error (error);
    RUN (&changed, &box, "--data-dir", box.data_dir, "backup", box.backup);
    g_assert_cmpint (changed.status, ==, 1);
    ck_test_assert_contains (changed.err, "was changed: its SHA-256 is not the recorded one");
    ck_test_assert_contains (changed.err, first->uuid);
    g_assert_false (g_file_test (box.backup, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
    good[len / 2] ^= 0x01;
    g_file_set_contents (path, good, len, &error);
    g_assert_no_error (error);
  }

  /* An edited record: the trial restore's check finds it. */
  db_path = g_build_filename (box.data_dir, "consents.db", NULL);
  g_clear_object (&store);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE consents SET name = '李四' WHERE uuid = '%s'",
                                            first->uuid);
    damage_sql (db_path, sql);
  }
  RUN (&edited, &box, "--data-dir", box.data_dir, "backup", box.backup);
  g_assert_cmpint (edited.status, ==, 1);
  ck_test_assert_contains (edited.err, "The backup was not kept");
  ck_test_assert_contains (edited.err, "was edited");
  g_assert_false (g_file_test (box.backup, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  assert_no_leftovers (box.dir, "kiosk.ckbackup.");
}

static void
test_usage (void)
{
  g_auto(Box) box = { 0 };
  const char * const *cases[] = {
    (const char * const[]) { "backup", NULL },
    (const char * const[]) { "backup", "a", "b", NULL },
    (const char * const[]) { "restore", NULL },
    (const char * const[]) { "restore", "--no-such-option", "a", NULL },
  };

  box_init (&box);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CkTestRun) run = { 0 };

      run_argv (&run, &box, cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
    }
}

/* A refusal in Chinese: the messages are translated. */
static void
test_translated (void)
{
  g_auto(Box) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *junk = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;

  box_init (&box);
  g_ptr_array_add (box.env, g_strdup ("LANGUAGE=zh_CN"));
  g_ptr_array_add (box.env, g_strdup ("LC_ALL=zh_CN.UTF-8"));
  junk = g_build_filename (box.dir, "junk", NULL);
  target = g_build_filename (box.dir, "target", NULL);
  g_file_set_contents (junk, "junk", -1, &error);
  g_assert_no_error (error);

  RUN (&run, &box, "--data-dir", target, "restore", junk);
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, "不是 Consent Kiosk 备份");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backup/round-trip", test_round_trip);
  g_test_add_func ("/backup/while-writing", test_while_writing);
  g_test_add_func ("/backup/refuse/existing-file", test_refuse_existing_file);
  g_test_add_func ("/backup/refuse/non-empty", test_refuse_non_empty);
  g_test_add_func ("/backup/refuse/damaged", test_refuse_damaged);
  g_test_add_func ("/backup/refuse/damaged-store", test_refuse_damaged_store);
  g_test_add_func ("/backup/usage", test_usage);
  g_test_add_func ("/backup/translated", test_translated);

  return g_test_run ();
}
