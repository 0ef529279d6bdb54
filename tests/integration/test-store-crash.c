/* test-store-crash.c: kill saves at every step and at random; save from
 * two processes at once
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Invariant 3 of docs/ARCHITECTURE.md: a crash at any instant leaves either a
 * complete consent (PDF + row, hashes matching) or none, and the next
 * start finds and reports the leftovers. store-saver (the core built with
 * fault injection) saves in a loop; it is killed at each named step of the
 * save protocol and after random delays, and after each kill the store is
 * opened with CK_STORE_OPEN_RECOVER and checked. With --revise it appends
 * a PDF revision after each save (as the sealing queue does), and is
 * killed at each step of that too: an unrecorded revision is cut back. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

#define RUNS_PER_FAULT_POINT 10
#define RANDOM_KILLS         120
#define KILLS_PER_DIR        10

static char *workdir;
static guint total_kills;

/* --- helpers --------------------------------------------------------- */


/* The step names of the save protocol: every fault_point ("…") in the
 * store's files (src/core/store/ck-store*.c), so that a new step is killed
 * at too. */
static GPtrArray *
fault_points (void)
{
  const char *source_dir = g_getenv ("CK_STORE_SOURCE_DIR");
  g_autoptr(GRegex) regex = g_regex_new ("fault_point \\(\"([a-z0-9-]+)\"\\)", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *file;

  g_assert_nonnull (source_dir);
  dir = g_dir_open (source_dir, 0, &error);
  g_assert_no_error (error);

  while ((file = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (source_dir, file, NULL);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *text = NULL;

      if (!g_str_has_prefix (file, "ck-store") || !g_str_has_suffix (file, ".c"))
        continue;
      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);

      g_regex_match (regex, text, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, g_steal_pointer (&name));
          g_match_info_next (match, NULL);
        }
    }
  g_assert_cmpuint (names->len, >, 0);

  return names;
}

static GSubprocess *
spawn_saver_full (const char *data_dir,
                  const char *fault,
                  int         count,
                  int         arm_after,
                  gboolean    revise,
                  const char *pause)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count_arg = g_strdup_printf ("--count=%d", count);
  g_autofree char *arm_arg = g_strdup_printf ("--arm-after=%d", arm_after);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%d", g_test_rand_int_range (1, G_MAXINT));
  const char *saver = g_getenv ("CK_STORE_SAVER");
  GSubprocess *process;

  g_assert_nonnull (saver);
  /* stderr is the test's: whatever the saver complains about shows. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (fault)
    g_subprocess_launcher_setenv (launcher, "CK_FAULT_POINT", fault, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CK_FAULT_POINT");
  /* Paused at @pause until the test says go (pause_dir ()). */
  if (pause)
    {
      g_subprocess_launcher_setenv (launcher, "CK_PAUSE_POINT", pause, TRUE);
      g_subprocess_launcher_setenv (launcher, "CK_PAUSE_DIR", workdir, TRUE);
    }
  else
    g_subprocess_launcher_unsetenv (launcher, "CK_PAUSE_POINT");
  {
    const char *argv[] = { saver, count_arg, arm_arg, seed_arg, data_dir, NULL, NULL };

    /* --revise before the data directory */
    if (revise)
      {
        argv[4] = "--revise";
        argv[5] = data_dir;
      }
    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  }
  g_assert_no_error (error);

  return process;
}

static GSubprocess *
spawn_saver (const char *data_dir,
             const char *fault,
             int         count,
             int         arm_after)
{
  return spawn_saver_full (data_dir, fault, count, arm_after, FALSE, NULL);
}

static GDataInputStream *
saver_output (GSubprocess *process)
{
  return g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
}

/* Reads the saver's lines to the end: "open", then committed uuids, and
 * "+UUID" for each revision committed (into @revised, if given). */
static void
read_lines_full (GDataInputStream *out,
                 GPtrArray        *uuids,
                 GPtrArray        *revised)
{
  g_autoptr(GError) error = NULL;
  char *line;

  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)))
    {
      if (g_str_equal (line, "open"))
        g_free (line);
      else if (line[0] == '+')
        {
          g_assert_true (g_uuid_string_is_valid (line + 1));
          if (revised)
            g_ptr_array_add (revised, g_strdup (line + 1));
          g_free (line);
        }
      else
        {
          g_assert_true (g_uuid_string_is_valid (line));
          g_ptr_array_add (uuids, line);
        }
    }
  g_assert_no_error (error);
}

static void
read_lines (GDataInputStream *out,
            GPtrArray        *uuids)
{
  read_lines_full (out, uuids, NULL);
}

static void
assert_killed (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_signaled (process))
    g_error ("the saver was not killed: exit status %d", g_subprocess_get_exit_status (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  total_kills++;
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
}

/* A data directory that savers are killed in, again and again. */
typedef struct
{
  char *data;
  GHashTable *printed;   /* uuids a saver reported as committed */
  gint64 unprinted;      /* consents committed, then killed before reporting */
} Dir;

static void
dir_init (Dir *d)
{
  static guint n;

  d->data = g_strdup_printf ("%s/data-%u", workdir, n++);
  d->printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  d->unprinted = 0;
}

static void
dir_clear (Dir *d)
{
  if (d->data)
    ck_test_rm_rf (d->data);
  g_clear_pointer (&d->data, g_free);
  g_clear_pointer (&d->printed, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dir, dir_clear)

typedef struct
{
  guint tmp_removed;
  guint quarantined;
  guint committed_unprinted;   /* 1 when the kill came between commit and print */
  guint revisions_undone;
} Outcome;

typedef struct
{
  GHashTable *paths;   /* uuid → pdf_path of every row */
  guint files;
  GPtrArray *problems;
} PdfWalk;

/* Every file under pdf/ is the PDF of a row, at that row's path. */
static void
walk_pdf_dir (PdfWalk    *walk,
              const char *root,
              const char *relative,
              guint       depth)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *uuid = NULL;
      const char *row_path;

      if (depth < 2)
        {
          walk_pdf_dir (walk, root, child, depth + 1);
          continue;
        }

      walk->files++;
      if (!g_str_has_suffix (name, ".pdf"))
        {
          g_ptr_array_add (walk->problems, g_strdup_printf ("%s is left over", child));
          continue;
        }
      uuid = g_strndup (name, strlen (name) - 4);
      row_path = g_hash_table_lookup (walk->paths, uuid);
      if (row_path == NULL)
        g_ptr_array_add (walk->problems, g_strdup_printf ("%s has no row", child));
      else if (!g_str_equal (row_path, child))
        g_ptr_array_add (walk->problems, g_strdup_printf ("%s is not at its row's path %s",
                                                          child, row_path));
    }
}

static void
verify (Dir     *d,
        Outcome *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) walk_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);
  const CkStoreRecovery *recovery;
  PdfWalk walk = { 0 };
  GHashTableIter iter;
  gpointer uuid;
  gint64 unprinted;

  store = ck_store_open (d->data, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);

  /* One save was in flight at most: one leftover at most. */
  recovery = ck_store_get_recovery (store);
  g_assert_cmpuint (recovery->missing_pdfs->len, ==, 0);
  g_assert_cmpuint (recovery->tmp_removed + recovery->quarantined->len + recovery->revisions_undone, <=, 1);
  for (guint i = 0; i < recovery->quarantined->len; i++)
    {
      const char *relative = recovery->quarantined->pdata[i];
      g_autofree char *moved = g_build_filename (d->data, "quarantine", relative + strlen ("pdf/"),
                                                 NULL);
      g_autofree char *left = g_build_filename (d->data, relative, NULL);

      g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
      g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
    }

  /* Every row has its PDF with the recorded hash, the chain is whole. */
  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  print_problems (problems);
  g_assert_cmpuint (problems->len, ==, 0);

  /* No PDF lacks a row; nothing half-written is left. (One list, not a
   * lookup a file: sanitizer builds pay for every allocation.) */
  rows = ck_store_list (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const CkConsentRecord *r = rows->pdata[i];

      g_hash_table_insert (paths, r->uuid, r->pdf_path);
    }
  walk.paths = paths;
  walk.problems = walk_problems;
  {
    g_autofree char *pdf_dir = g_build_filename (d->data, "pdf", NULL);

    if (g_file_test (pdf_dir, G_FILE_TEST_IS_DIR))
      walk_pdf_dir (&walk, d->data, "pdf", 0);
  }
  print_problems (walk_problems);
  g_assert_cmpuint (walk_problems->len, ==, 0);

  /* Every consent reported committed is there. */
  g_hash_table_iter_init (&iter, d->printed);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    if (!g_hash_table_contains (paths, uuid))
      g_error ("consent %s was reported saved, and is not in the store", (const char *)uuid);

  g_assert_cmpint (rows->len, ==, walk.files);
  unprinted = (gint64)rows->len - g_hash_table_size (d->printed);
  g_assert_cmpint (unprinted, >=, d->unprinted);
  g_assert_cmpint (unprinted, <=, d->unprinted + 1);

  outcome->tmp_removed = recovery->tmp_removed;
  outcome->quarantined = recovery->quarantined->len;
  outcome->revisions_undone = recovery->revisions_undone;
  outcome->committed_unprinted = unprinted - d->unprinted;
  d->unprinted = unprinted;

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
add_printed (Dir       *d,
             GPtrArray *uuids)
{
  for (guint i = 0; i < uuids->len; i++)
    g_assert_true (g_hash_table_add (d->printed, g_strdup (uuids->pdata[i])));
}

/* The steps of appending a PDF revision (ck-store-revision.c), in order. */
static const char * const revision_steps[] = {
  "revision-journal-committed", "revision-half-appended", "revision-appended", "revision-synced",
  "revision-transaction-begun", "revision-event-inserted", "revision-committed",
};

/* After a kill at step @name of the revision of consent @uuid (saved, with
 * a 'seal' job): before the commit, the PDF is the original again (cut
 * back if anything was appended) and the job is still queued; after it,
 * the PDF is the revision and the job is gone. */
static void
assert_revision_outcome (Dir           *d,
                         const char    *name,
                         const char    *uuid,
                         const Outcome *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (d->data, CK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(CkConsentRecord) r = NULL;
  g_autoptr(CkSealJob) job = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gboolean committed = g_str_equal (name, "revision-committed");
  gboolean appended = !committed && !g_str_equal (name, "revision-journal-committed");

  g_assert_no_error (error);
  r = ck_store_lookup (store, uuid, &error);
  g_assert_no_error (error);
  pdf = ck_store_read_pdf (store, r, &error);
  g_assert_no_error (error);
  job = ck_store_get_seal_job (store, uuid, &error);

  g_assert_cmpuint (outcome->revisions_undone, ==, appended ? 1 : 0);
  g_assert_cmpuint (outcome->tmp_removed + outcome->quarantined + outcome->committed_unprinted, ==, 0);
  if (committed)
    {
      g_assert_cmpint ((gint64)g_bytes_get_size (pdf), >, r->pdf_size);
      g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND);
    }
  else
    {
      g_assert_cmpint ((gint64)g_bytes_get_size (pdf), ==, r->pdf_size);
      g_assert_no_error (error);
      g_assert_cmpint (job->kind, ==, CK_SEAL_JOB_SEAL);
    }
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* --- tests --------------------------------------------------------------- */

static void
test_fault_points (void)
{
  g_autoptr(GPtrArray) names = fault_points ();
  const char * const known[] = { "journal-committed", "before-tmp", "tmp-half-written", "tmp-written", "tmp-synced",
                                 "renamed", "dir-synced", "transaction-begun", "row-inserted",
                                 "committed" };

  /* The steps the expectations below know about are all still there. */
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (!g_ptr_array_find_with_equal_func (names, known[i], g_str_equal, NULL))
      g_error ("the store has no fault point “%s” any more", known[i]);
  for (guint i = 0; i < G_N_ELEMENTS (revision_steps); i++)
    if (!g_ptr_array_find_with_equal_func (names, revision_steps[i], g_str_equal, NULL))
      g_error ("the store has no fault point “%s” any more", revision_steps[i]);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_auto(Dir) d = { 0 };
      guint tmp_removed = 0, quarantined = 0, committed = 0, undone = 0;

      dir_init (&d);
      for (guint run = 0; run < RUNS_PER_FAULT_POINT; run++)
        {
          int arm_after = g_test_rand_int_range (0, 3);
          gboolean revision = g_str_has_prefix (name, "revision-");
          g_autoptr(GSubprocess) process = spawn_saver_full (d.data, name, 0, arm_after, revision, NULL);
          g_autoptr(GDataInputStream) out = saver_output (process);
          g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GPtrArray) revised = g_ptr_array_new_with_free_func (g_free);
          Outcome outcome;

          /* It dies in its first save after arming, at that step; or, for
           * a step of a revision, in the revision after that save. */
          read_lines_full (out, uuids, revised);
          assert_killed (process);
          g_assert_cmpuint (uuids->len, ==, arm_after + (revision ? 1 : 0));
          g_assert_cmpuint (revised->len, ==, revision ? arm_after : 0);
          add_printed (&d, uuids);
          verify (&d, &outcome);

          tmp_removed += outcome.tmp_removed;
          quarantined += outcome.quarantined;
          committed += outcome.committed_unprinted;
          undone += outcome.revisions_undone;

          /* What each step leaves behind. */
          if (revision)
            assert_revision_outcome (&d, name, uuids->pdata[uuids->len - 1], &outcome);
          else if (g_str_equal (name, "journal-committed") || g_str_equal (name, "before-tmp"))
            g_assert_cmpuint (outcome.tmp_removed + outcome.quarantined + outcome.committed_unprinted, ==, 0);
          else if (g_str_has_prefix (name, "tmp-"))
            g_assert_cmpuint (outcome.tmp_removed, ==, 1);
          else if (g_str_equal (name, "renamed") || g_str_equal (name, "dir-synced") ||
                   g_str_equal (name, "transaction-begun") || g_str_equal (name, "row-inserted"))
            {
              /* The PDF is in place, its row never committed: quarantined. */
              g_assert_cmpuint (outcome.quarantined, ==, 1);
              g_assert_cmpuint (outcome.committed_unprinted, ==, 0);
            }
          else if (g_str_equal (name, "committed"))
            {
              /* Committed, only not reported: saved, nothing to recover. */
              g_assert_cmpuint (outcome.committed_unprinted, ==, 1);
              g_assert_cmpuint (outcome.tmp_removed + outcome.quarantined, ==, 0);
            }
        }
      g_test_message ("fault point %s: %u kills, %u tmp removed, %u quarantined, "
                      "%u committed unreported, %u revisions undone",
                      name, RUNS_PER_FAULT_POINT, tmp_removed, quarantined, committed, undone);
    }
}

static void
test_random_kills (void)
{
  guint tmp_removed = 0, quarantined = 0, committed = 0, printed = 0;
  g_auto(Dir) d = { 0 };

  for (guint kill = 0; kill < RANDOM_KILLS; kill++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autofree char *first = NULL;
      Outcome outcome;

      /* A fresh store now and then: check rereads every PDF. */
      if (kill % KILLS_PER_DIR == 0)
        {
          dir_clear (&d);
          dir_init (&d);
        }

      /* Every other store appends revisions too, so that kills land in
       * them as well. */
      process = spawn_saver_full (d.data, NULL, 0, 0, (kill / KILLS_PER_DIR) % 2 == 1, NULL);
      out = saver_output (process);
      /* Time from the store being open, so that kills land in saves. */
      first = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (first, ==, "open");
      g_usleep (1000 * g_test_rand_int_range (1, 61));
      g_subprocess_send_signal (process, SIGKILL);
      read_lines (out, uuids);
      assert_killed (process);

      printed += uuids->len;
      add_printed (&d, uuids);
      verify (&d, &outcome);
      tmp_removed += outcome.tmp_removed;
      quarantined += outcome.quarantined;
      committed += outcome.committed_unprinted;
    }

  g_test_message ("%u random kills: %u consents reported; %u tmp removed, %u quarantined, "
                  "%u committed unreported",
                  RANDOM_KILLS, printed, tmp_removed, quarantined, committed);
}

static void
collect_output (GSubprocess *process,
                GHashTable  *uuids)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] && lines[i][0] != '+' && !g_str_equal (lines[i], "open"))
      {
        g_assert_true (g_uuid_string_is_valid (lines[i]));
        g_assert_true (g_hash_table_add (uuids, g_strdup (lines[i])));
      }
}

static void
assert_store (const char *data_dir,
              GHashTable *uuids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(GPtrArray) problems = NULL;
  GHashTableIter iter;
  gpointer uuid;

  g_assert_no_error (error);
  g_assert_cmpint (ck_store_count (store, &error), ==, g_hash_table_size (uuids));
  g_hash_table_iter_init (&iter, uuids);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    {
      g_autoptr(CkConsentRecord) r = ck_store_lookup (store, uuid, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (r->uuid, ==, uuid);
    }
  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  print_problems (problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Two writers on one store: BEGIN IMMEDIATE and the busy timeout keep
 * them in line. */
static void
test_two_savers (void)
{
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_auto(Dir) d = { 0 };

  dir_init (&d);
  a = spawn_saver (d.data, NULL, 30, 0);
  b = spawn_saver (d.data, NULL, 30, 0);
  collect_output (a, uuids);
  collect_output (b, uuids);
  g_assert_cmpuint (g_hash_table_size (uuids), ==, 60);
  assert_store (d.data, uuids);
}

/* Two writers creating the same new store at once: one creates the
 * schema, the other must not try again. */
static void
test_two_savers_new_store (void)
{
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_auto(Dir) d = { 0 };

      dir_init (&d);
      a = spawn_saver (d.data, NULL, 2, 0);
      b = spawn_saver (d.data, NULL, 2, 0);
      collect_output (a, uuids);
      collect_output (b, uuids);
      g_assert_cmpuint (g_hash_table_size (uuids), ==, 4);
      assert_store (d.data, uuids);
    }
}

/* Two writers creating the same new store, the paused one's steps put
 * where the race is worst: it saw no database, or an empty one, and the
 * other then built the store, wrote the copy of its head and saved a
 * consent before the paused one looked for the signs of a lost store
 * (those signs are the other's: it must go on, not refuse); or it built
 * the schema and had not written the copy yet when the other opened the
 * store, or had created the copy's file and not written it (no copy, or
 * an empty one, with no link and no PDF is a new store, not a lost or
 * damaged copy). */
static void
test_new_store_race (void)
{
  const char *points[] = { "no-database-seen", "empty-database-seen", "schema-ready", "head-created" };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *paused = g_strconcat (workdir, "/", points[i], ".paused", NULL);
      g_autofree char *go = g_strconcat (workdir, "/", points[i], ".go", NULL);
      g_autoptr(GSubprocess) second = NULL;
      g_autoptr(GSubprocess) first = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(Dir) d = { 0 };

      dir_init (&d);
      second = spawn_saver_full (d.data, NULL, 1, 0, FALSE, points[i]);
      /* Until it is there (or gone: it must not end before the go). */
      while (!g_file_test (paused, G_FILE_TEST_EXISTS))
        {
          g_assert_nonnull (g_subprocess_get_identifier (second));
          g_usleep (10 * 1000);
        }
      first = spawn_saver (d.data, NULL, 1, 0);
      collect_output (first, uuids);
      g_assert_true (g_file_set_contents (go, "", 0, &error));
      g_assert_no_error (error);
      collect_output (second, uuids);
      g_assert_cmpuint (g_hash_table_size (uuids), ==, 2);
      assert_store (d.data, uuids);
      g_assert_cmpint (g_unlink (paused), ==, 0);
      g_assert_cmpint (g_unlink (go), ==, 0);
    }
}

/* A writer starting (and recovering) while another one saves must not
 * take the other's unfinished files for a crash's leftovers. */
static void
test_recover_while_saving (void)
{
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) saver = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Dir) d = { 0 };
  guint opens = 0;

  dir_init (&d);
  {
    g_autoptr(CkStore) store = ck_store_open (d.data, CK_STORE_OPEN_RECOVER, &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
  }
  saver = spawn_saver (d.data, NULL, 40, 0);
  while (g_subprocess_get_identifier (saver) != NULL)
    {
      g_autoptr(CkStore) store = ck_store_open (d.data, CK_STORE_OPEN_RECOVER, &error);
      const CkStoreRecovery *recovery;

      g_assert_no_error (error);
      recovery = ck_store_get_recovery (store);
      g_assert_cmpuint (recovery->tmp_removed, ==, 0);
      g_assert_cmpuint (recovery->quarantined->len, ==, 0);
      g_assert_cmpuint (recovery->missing_pdfs->len, ==, 0);
      g_assert_finalize_object (g_steal_pointer (&store));
      opens++;
    }
  collect_output (saver, uuids);
  g_test_message ("%u recovering opens during 40 saves", opens);
  g_assert_cmpuint (g_hash_table_size (uuids), ==, 40);
  assert_store (d.data, uuids);
}

/* The PDF of a consent whose save finished, whose row was then lost (the
 * database put back from a copy made before the save): recovery must not
 * take it for a save that died. The copy of the chain's head beside the
 * database says that a record is missing, so no writer opens the store —
 * nothing is quarantined, nothing starts again on top — and check reports
 * the loss and the PDF on every run until staff restore a backup. */
static void
test_committed_then_lost (void)
{
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) killed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *db_copy = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *contents = NULL;
  g_auto(Dir) d = { 0 };
  gsize len;

  dir_init (&d);
  db_path = g_build_filename (d.data, "consents.db", NULL);
  db_copy = g_build_filename (d.data, "..", "consents.db.copy", NULL);
  wal = g_strconcat (db_path, "-wal", NULL);
  shm = g_strconcat (db_path, "-shm", NULL);

  /* One consent, and a copy of the database with it (its last connection
   * closed, so the file holds everything). */
  first = spawn_saver (d.data, NULL, 1, 0);
  collect_output (first, uuids);
  g_assert_cmpuint (g_hash_table_size (uuids), ==, 1);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (db_path, &contents, &len, &error));
  g_assert_true (g_file_set_contents (db_copy, contents, len, &error));
  g_assert_no_error (error);

  /* A second consent, committed (killed right after), then lost. */
  killed = spawn_saver (d.data, "committed", 0, 0);
  {
    g_autoptr(GDataInputStream) out = saver_output (killed);
    g_autoptr(GPtrArray) printed = g_ptr_array_new_with_free_func (g_free);

    read_lines (out, printed);
    assert_killed (killed);
    g_assert_cmpuint (printed->len, ==, 0);
  }
  g_assert_true (g_file_set_contents (db_path, contents, len, &error));
  g_assert_no_error (error);
  g_unlink (wal);
  g_unlink (shm);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(CkStore) writer = ck_store_open (d.data, CK_STORE_OPEN_RECOVER, &error);
      g_autoptr(CkStore) reader = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autofree char *lost = NULL;
      g_autofree char *lost_path = NULL;
      gboolean head_reported = FALSE;

      /* No writer: the store lost a commit. */
      g_assert_null (writer);
      g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_LOST);
      ck_test_assert_contains (error->message, "what was committed after record 1 is lost");
      g_clear_error (&error);

      /* A reader sees it; check names the loss and the PDF without a row,
       * which stays where it is. */
      reader = ck_store_open (d.data, CK_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      problems = ck_store_check (reader, &error);
      g_assert_no_error (error);
      print_problems (problems);
      g_assert_cmpuint (problems->len, ==, 2);
      for (guint i = 0; i < problems->len; i++)
        {
          const char *p = problems->pdata[i];

          if (strstr (p, "is lost"))
            head_reported = TRUE;
          else
            {
              ck_test_assert_contains (p, "lost after it was saved");
              lost = g_strndup (p, strstr (p, ".pdf") + 4 - p);
            }
        }
      g_assert_true (head_reported);
      g_assert_nonnull (lost);
      lost_path = g_build_filename (d.data, lost, NULL);
      g_assert_true (g_file_test (lost_path, G_FILE_TEST_IS_REGULAR));
      g_assert_finalize_object (g_steal_pointer (&reader));
    }

  g_unlink (db_copy);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gint64 start;
  int status;

  g_test_init (&argc, &argv, NULL);

  workdir = g_dir_make_tmp ("test-store-crash-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/store-crash/fault-points", test_fault_points);
  g_test_add_func ("/store-crash/random-kills", test_random_kills);
  g_test_add_func ("/store-crash/two-savers", test_two_savers);
  g_test_add_func ("/store-crash/two-savers-new-store", test_two_savers_new_store);
  g_test_add_func ("/store-crash/new-store-race", test_new_store_race);
  g_test_add_func ("/store-crash/recover-while-saving", test_recover_while_saving);
  g_test_add_func ("/store-crash/committed-then-lost", test_committed_then_lost);

  start = g_get_monotonic_time ();
  status = g_test_run ();
  g_test_message ("%u kills in all; %.1f s", total_kills,
                  (g_get_monotonic_time () - start) / 1e6);

  ck_test_rm_rf (workdir);
  g_free (workdir);

  return status;
}
