/* ck-test-util.c: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "ck-test-util.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
tree_visit (GString    *out,
            const char *root,
            const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);

  /* SQLite's shared-memory index, and an empty WAL, which a read-only
   * connection leaves behind (it may not checkpoint, so not delete them):
   * bookkeeping, no data. */
  if (g_str_has_suffix (relative, "consents.db-shm") ||
      (g_str_has_suffix (relative, "consents.db-wal") && st.st_size == 0))
    return;

  if (S_ISLNK (st.st_mode))
    {
      g_autofree char *target = g_file_read_link (path, NULL);

      g_string_append_printf (out, "%s -> %s\n", relative, target);
      return;
    }
  if (S_ISREG (st.st_mode))
    {
      g_autofree char *contents = NULL;
      g_autofree char *sha256 = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
      g_string_append_printf (out, "%s %o %s\n", relative, st.st_mode & 07777, sha256);
      return;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_string_append_printf (out, "%s type %o %o\n", relative, st.st_mode & S_IFMT, st.st_mode & 07777);
      return;
    }

  g_string_append_printf (out, "%s/ %o\n", relative, st.st_mode & 07777);
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (relative, names->pdata[i], NULL);

      tree_visit (out, root, child);
    }
}

/**
 * ck_test_tree_digest:
 * @root: a folder
 *
 * Every file, link and folder under @root with its mode and, for a file,
 * its SHA-256 (a link is not followed): whatever changes on disk changes
 * this. SQLite's -shm file and an empty WAL are left out.
 *
 * Returns: (transfer full): one line per entry, sorted
 */
char *
ck_test_tree_digest (const char *root)
{
  GString *out = g_string_new (NULL);

  tree_visit (out, root, ".");
  return g_string_free (out, FALSE);
}

/**
 * ck_test_rm_rf:
 * @path: a file or folder a test made
 *
 * Removes @path and everything under it, making folders writable first
 * (tests take permissions away). Symbolic links are removed, not followed.
 */
void
ck_test_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          ck_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/**
 * ck_test_run_tool:
 * @argv: a program, found in $PATH, and its arguments; %NULL-terminated
 *
 * Runs the program and waits for it; fails the test, with what it wrote
 * to standard error, unless it exits 0.
 *
 * Returns: (transfer full): its standard output
 */
char *
ck_test_run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);

  return out;
}

/**
 * ck_test_load_hand:
 *
 * A real hand's signature, as ck_signature_serialize() writes it:
 * tests/fuzz/corpus/signature/hand, 160 samples in 4 strokes on a
 * 900 × 360 px pad. ck_signature_deserialize() reads it.
 *
 * Returns: (transfer full): the file's bytes
 */
GBytes *
ck_test_load_hand (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature", "hand", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = NULL;

  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);

  return g_mapped_file_get_bytes (file);
}

/**
 * ck_test_strv_rank:
 * @strv: (nullable): candidates, best first
 * @wanted: the one to look for
 *
 * Returns: where @wanted is in @strv, from 1; 0 if it is not there
 */
guint
ck_test_strv_rank (char       **strv,
                   const char  *wanted)
{
  for (guint i = 0; strv && strv[i]; i++)
    if (g_str_equal (strv[i], wanted))
      return i + 1;

  return 0;
}

/**
 * ck_test_locale_use_chinese:
 * @saved: (out caller-allocates): where to keep what to go back to
 *
 * Switches messages to simplified Chinese (the zh_CN.UTF-8 locale and
 * LANGUAGE=zh_CN) until ck_test_locale_restore(), or the end of a
 * g_auto(CkTestLocale) scope. Skips the test when the locale is not
 * installed.
 *
 * Returns: %TRUE if messages are now Chinese; %FALSE if the test was
 *   skipped
 */
gboolean
ck_test_locale_use_chinese (CkTestLocale *saved)
{
  saved->language = g_strdup (g_getenv ("LANGUAGE"));
  saved->locale = g_strdup (setlocale (LC_ALL, NULL));

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not installed");
      return FALSE;
    }

  g_setenv ("LANGUAGE", "zh_CN", TRUE);

  return TRUE;
}

void
ck_test_locale_restore (CkTestLocale *saved)
{
  if (saved->locale == NULL)
    return;

  g_setenv ("LANGUAGE", saved->language ? saved->language : "en", TRUE);
  setlocale (LC_ALL, saved->locale);
  g_clear_pointer (&saved->language, g_free);
  g_clear_pointer (&saved->locale, g_free);
}

/**
 * ck_test_load_strokes:
 * @name: a file in tests/data/strokes, e.g. "zhang.strokes"
 * @intended: (out) (optional): the character the strokes are meant to be
 *
 * Reads a handwriting fixture (format: tests/data/strokes/README.md);
 * a malformed one fails the test.
 *
 * Returns: (transfer full): one #GArray of #CkTestPoint per stroke, in
 *   writing order, in the 1000 × 1000 box
 */
GPtrArray *
ck_test_load_strokes (const char  *name,
                      char       **intended)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "strokes", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *strokes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  if (intended)
    *intended = NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;
      GArray *points;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;

      if (lines[i][0] == '#')
        {
          if (intended && *intended == NULL)
            {
              words = g_strsplit_set (lines[i] + 1, " \t", -1);
              for (guint w = 0; words[w] && *intended == NULL; w++)
                if (words[w][0] != '\0')
                  *intended = g_strdup (words[w]);
            }
          continue;
        }

      points = g_array_new (FALSE, FALSE, sizeof (CkTestPoint));
      words = g_strsplit (lines[i], " ", -1);
      for (guint w = 0; words[w]; w++)
        {
          CkTestPoint p;
          char *end;

          if (words[w][0] == '\0')
            continue;
          p.x = g_ascii_strtod (words[w], &end);
          g_assert_cmpint (*end, ==, ',');
          p.y = g_ascii_strtod (end + 1, &end);
          g_assert_cmpint (*end, ==, '\0');
          g_array_append_val (points, p);
        }
      g_assert_cmpuint (points->len, >, 0);
      g_ptr_array_add (strokes, points);
    }

  g_assert_cmpuint (strokes->len, >, 0);

  return strokes;
}

void
ck_test_run_clear (CkTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * ck_test_run_consentctl:
 * @env: (nullable): "NAME=VALUE" to set, "NAME" to unset, in order
 * @argv: consentctl's arguments, %NULL-terminated
 *
 * Runs the consentctl that $CK_CONSENTCTL names and waits for it to exit.
 */
void
ck_test_run_consentctl (CkTestRun          *run,
                        const char * const *env,
                        const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("CK_CONSENTCTL");

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (gpointer)binary);
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer)argv[i]);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env && env[i]; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      if (pair[1])
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/**
 * ck_test_consentctl_env:
 * @dir: a test's own folder
 * @system_conf: what the system configuration file says
 *
 * Writes @dir/system.conf and gives the environment consentctl runs in
 * there: that file, configuration and data homes under @dir, no AppCode,
 * English messages.
 *
 * Returns: (transfer full): "NAME=VALUE" and "NAME" (unset) entries, for
 *   ck_test_run_consentctl(); %NULL-terminated
 */
GPtrArray *
ck_test_consentctl_env (const char *dir,
                        const char *system_conf)
{
  g_autofree char *system = g_build_filename (dir, "system.conf", NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *env = g_ptr_array_new_null_terminated (8, g_free, TRUE);

  g_file_set_contents (system, system_conf, -1, &error);
  g_assert_no_error (error);
  g_ptr_array_add (env, g_strconcat ("CK_SYSTEM_CONFIG=", system, NULL));
  g_ptr_array_add (env, g_strconcat ("XDG_CONFIG_HOME=", dir, "/config", NULL));
  g_ptr_array_add (env, g_strconcat ("XDG_DATA_HOME=", dir, "/data", NULL));
  g_ptr_array_add (env, g_strdup ("CK_APPCODE"));
  g_ptr_array_add (env, g_strdup ("LANGUAGE=en"));
  g_ptr_array_add (env, g_strdup ("LC_ALL=C.UTF-8"));

  return env;
}

/**
 * ck_test_run_keeping:
 * @env: as for ck_test_run_consentctl()
 * @argv: as for ck_test_run_consentctl()
 * @secret: what consentctl must never print (a whole ID number)
 *
 * ck_test_run_consentctl(), failing the test if @secret appears in what
 * consentctl printed.
 */
void
ck_test_run_keeping (CkTestRun          *run,
                     GPtrArray          *env,
                     const char * const *argv,
                     const char         *secret)
{
  ck_test_run_consentctl (run, (const char * const *)env->pdata, argv);
  if (strstr (run->out, secret) || strstr (run->err, secret))
    g_error ("A whole ID number was printed: “%s” / “%s”", run->out, run->err);
}

/**
 * ck_test_assert_contains:
 * @haystack: a text, such as what consentctl printed
 * @needle: what it must contain
 *
 * Fails the test, showing both, unless @needle is in @haystack.
 */
void
ck_test_assert_contains (const char *haystack,
                         const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* Every test program links this file. Two things make its failures
 * readable in meson's log:
 *
 * - the locale of the environment (C.UTF-8 in tests/meson.build), so
 *   that GLib writes Chinese as it is rather than as "???";
 * - a log writer that writes a message's line breaks as "\n": GLib puts
 *   a fatal message after "Bail out!" on one TAP line, and a second line
 *   would be taken for unknown TAP output. */
static CkTestLogFilter log_filter;

static GLogWriterOutput
one_line_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autofree GLogField *copy = g_memdup2 (fields, n_fields * sizeof *fields);
  g_autoptr(GString) folded = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (copy[i].key, "MESSAGE") && copy[i].length < 0)
      {
        if (log_filter && log_filter (log_level, copy[i].value))
          return G_LOG_WRITER_HANDLED;
        if (strchr (copy[i].value, '\n') != NULL)
          {
            folded = g_string_new (copy[i].value);
            g_string_replace (folded, "\n", "\\n", 0);
            copy[i].value = folded->str;
          }
      }

  return g_log_writer_default (log_level, copy, n_fields, user_data);
}

/**
 * ck_test_log_set_filter:
 * @filter: (nullable): sees every message first; returns %TRUE to drop it
 *
 * The one place a test program looks at what is logged (GLib allows one
 * log writer a process, and ck-test-util.c has it).
 */
void
ck_test_log_set_filter (CkTestLogFilter filter)
{
  log_filter = filter;
}

__attribute__((constructor)) static void
ck_test_util_init (void)
{
  setlocale (LC_ALL, "");
  g_log_set_writer_func (one_line_writer, NULL, NULL);
}
