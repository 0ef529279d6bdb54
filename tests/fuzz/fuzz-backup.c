/* fuzz-backup.c: libFuzzer target for the restore path
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each input is a backup file. ck_backup_verify() opens it, checks it and
 * restores it on trial beside it; any input either passes, and then a real
 * restore into an empty folder gives a store that checks clean, or fails
 * with a message in the backup's or the store's error domain. Either way
 * nothing is left beside the file and nothing outside the fuzzer's folder
 * is touched (a backup whose SQL ran would write elsewhere: the store
 * never runs SQL from a backup).
 *
 * The seed is a real backup of a small store (two consents, a withdrawal,
 * a reveal), which LLVMFuzzerInitialize writes into $CK_FUZZ_SEED_DIR
 * when that folder is empty: a backup is an SQLite file of about 100 KB,
 * too large a binary to keep in the repository. Mutations of its bytes
 * mostly keep SQLite's format readable (a changed byte in a row, in a
 * schema's text, in the manifest), which is what the checks must catch;
 * run with -max_len large enough for the whole file (run-fuzzer.sh takes
 * it from the seed). */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *work_dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
write_seed (const char *seed_dir)
{
  g_autofree char *store_dir = g_build_filename (work_dir, "seed-store", NULL);
  g_autofree char *backup = g_build_filename (seed_dir, "two-consents.ckbackup", NULL);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *uuids[2];

  store = ck_store_open (store_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
      g_autoptr(CkSignature) signature = ck_sample_signature_new (20);
      g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n% seed\n", 16);

      r->uuid = g_uuid_string_random ();
      r->created_at = g_strdup ("2026-11-27T01:30:00.000000Z");
      r->name = g_strdup (i ? "李四" : "张三");
      r->id_number = g_strdup ("11010519491231002X");
      r->sign_date = g_strdup ("2026-11-27");
      r->org_name = g_strdup ("示例银行");
      r->org_business = g_strdup ("个人贷款");
      r->org_purpose = g_strdup ("身份核验");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
      r->signature = ck_signature_serialize (signature);
      r->kiosk_id = g_strdup ("branch-042");
      r->operator_name = g_strdup ("王芳");
      g_assert_true (ck_store_save (store, r, pdf, &error));
      uuids[i] = g_strdup (r->uuid);
    }
  g_assert_true (ck_store_withdraw (store, uuids[0], "王芳", "客户来电", &error));
  g_assert_true (ck_store_record_reveal (store, uuids[1], "王芳", "fuzz seed", &error));
  g_assert_no_error (error);

  info = ck_backup_create (store, backup, "branch-042", 0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  remove_tree (store_dir);
  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    g_free (uuids[i]);
}

static void
remove_work_dir (void)
{
  remove_tree (work_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  const char *seed_dir = g_getenv ("CK_FUZZ_SEED_DIR");
  g_autoptr(GError) error = NULL;

  ck_init ();

  /* In memory where there is /dev/shm: a restore writes and syncs files. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      work_dir = g_build_filename ("/dev/shm", "fuzz-backup-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp_full (work_dir, 0700));
    }
  else
    {
      work_dir = g_dir_make_tmp ("fuzz-backup-XXXXXX", &error);
      g_assert_no_error (error);
    }

  atexit (remove_work_dir);

  if (seed_dir)
    {
      g_autoptr(GDir) dir = NULL;

      g_mkdir_with_parents (seed_dir, 0700);
      dir = g_dir_open (seed_dir, 0, &error);
      g_assert_no_error (error);
      if (g_dir_read_name (dir) == NULL)
        write_seed (seed_dir);
    }

  return 0;
}

/* Everything under @dir, but @keep. */
static guint
count_entries (const char *dir,
               const char *keep)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle && (name = g_dir_read_name (handle)))
    n += g_strcmp0 (name, keep) != 0;

  return n;
}

static void
assert_error_says_why (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == CK_BACKUP_ERROR || error->domain == CK_STORE_ERROR);
  g_assert_true (error->message && error->message[0]);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *dir = g_build_filename (work_dir, "run", NULL);
  g_autofree char *backup = g_build_filename (dir, "input.ckbackup", NULL);
  g_autofree char *target = g_build_filename (dir, "restored", NULL);
  g_autoptr(CkBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (backup, (const char *)data, (gssize)size, NULL));

  info = ck_backup_verify (backup, &error);
  /* The trial restore beside the file is gone, pass or fail. */
  g_assert_cmpuint (count_entries (dir, "input.ckbackup"), ==, 0);

  if (info == NULL)
    assert_error_says_why (error);
  else
    {
      g_autoptr(CkBackupInfo) restored = NULL;
      g_autoptr(CkStore) store = NULL;
      g_autoptr(GPtrArray) problems = NULL;

      g_assert_no_error (error);
      restored = ck_backup_restore (backup, target, 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (restored);
      store = ck_store_open (target, CK_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      problems = ck_store_check (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (problems->len, ==, 0);
    }

  remove_tree (dir);
  /* Nothing else appeared in the fuzzer's folder (a backup whose SQL ran
   * could have written there, or anywhere). */
  g_assert_cmpuint (count_entries (work_dir, "run"), ==, 0);

  return 0;
}
