/* test-pinyin.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "ck.h"
#include "ck-test-util.h"

/* The test's own temporary, home and XDG directories (set before GLib
 * caches them): nothing may be left in them. */
static char *scratch;

/* One engine for the ranking tests, as the kiosk has. */
static CkPinyin *pinyin;

static void
log_candidates (const char  *letters,
                char       **candidates)
{
  g_autofree char *joined = NULL;
  char *saved;

  /* The first 12 are enough to see the order. */
  if (g_strv_length (candidates) > 12)
    {
      saved = candidates[12];
      candidates[12] = NULL;
      joined = g_strjoinv (" ", candidates);
      candidates[12] = saved;
    }
  else
    joined = g_strjoinv (" ", candidates);

  g_test_message ("%s → %s …", letters, joined);
}

/* Names and surnames at the front of the list. */
static void
test_pinyin_names (void)
{
  static const struct {
    const char *letters;
    const char *wanted;
    guint rank;  /* at most */
  } vectors[] = {
    { "zhang", "张", 3 },
    { "li", "李", 3 },
    { "wang", "王", 3 },
    { "zhangsan", "张三", 3 },
    { "lyu", "吕", 3 },       /* passport spelling */
    { "lv", "吕", 3 },
    { "nyu", "女", 3 },
    { "chen", "陈", 1 },
    { "liu", "刘", 1 },
    { "huang", "黄", 1 },
    { "zeng", "曾", 1 },
    { "zhangwei", "张伟", 3 },
    { "wangfang", "王芳", 3 },
    { "lixiaolong", "李小龙", 1 },
    { "ouyang", "欧阳", 1 },
    { "zhuge", "诸葛", 1 },
    { "ZHANG", "张", 3 },     /* a customer's caps lock */
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_auto(GStrv) candidates = ck_pinyin_candidates (pinyin, vectors[i].letters, 0);
      guint rank = ck_test_strv_rank (candidates, vectors[i].wanted);

      log_candidates (vectors[i].letters, candidates);
      if (rank == 0 || rank > vectors[i].rank)
        g_error ("%s: %s at rank %u, expected at most %u",
                 vectors[i].letters, vectors[i].wanted, rank, vectors[i].rank);
    }
}

/* The order a name wants: for one syllable, characters (common surnames
 * first) before any phrase; for several, the phrases for all of them,
 * then the first syllable's characters. Only Han, no duplicates. */
static void
test_pinyin_order (void)
{
  g_auto(GStrv) zhang = ck_pinyin_candidates (pinyin, "zhang", 0);
  g_auto(GStrv) zhangsan = ck_pinyin_candidates (pinyin, "zhangsan", 0);
  g_auto(GStrv) zh = ck_pinyin_candidates (pinyin, "zh", 0);
  g_auto(GStrv) xian = ck_pinyin_candidates (pinyin, "xian", 0);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean phrases = FALSE;

  g_assert_cmpstr (zhang[0], ==, "张");
  g_assert_cmpuint (g_strv_length (zhang), >, 30);
  for (guint i = 0; zhang[i]; i++)
    {
      g_assert_true (g_hash_table_add (seen, zhang[i]));
      g_assert_cmpint (g_utf8_strlen (zhang[i], -1), ==, 1);
      for (const char *p = zhang[i]; *p; p = g_utf8_next_char (p))
        g_assert_true (ck_name_is_han (g_utf8_get_char (p)));
    }

  g_assert_cmpstr (zhangsan[0], ==, "张三");
  for (guint i = 0; zhangsan[i]; i++)
    {
      /* Phrases, then characters, then (perhaps) shorter phrases. */
      if (g_utf8_strlen (zhangsan[i], -1) == 1)
        phrases = TRUE;
      else if (!phrases)
        g_assert_cmpint (g_utf8_strlen (zhangsan[i], -1), ==, 2);
    }
  g_assert_true (phrases);
  g_assert_cmpuint (ck_test_strv_rank (zhangsan, "张"), <, ck_test_strv_rank (zhangsan, "章"));

  /* A bare initial: the common surnames that start so. */
  log_candidates ("zh", zh);
  g_assert_cmpstr (zh[0], ==, "张");
  g_assert_cmpstr (zh[1], ==, "赵");
  g_assert_cmpstr (zh[2], ==, "周");

  /* One syllable: 冼 and 先 before 西安. */
  g_assert_cmpuint (ck_test_strv_rank (xian, "先"), <, ck_test_strv_rank (xian, "西安"));
  g_assert_cmpuint (ck_test_strv_rank (xian, "冼"), <, ck_test_strv_rank (xian, "西安"));
}

/* What each candidate stands for in the letters, so that picking 张 from
 * "zhangsan" leaves "san". */
static void
test_pinyin_spans (void)
{
  static const struct {
    const char *letters;
    const char *candidate;
    guint span;
  } vectors[] = {
    { "zhangsan", "张三", 8 },
    { "zhangsan", "张", 5 },
    { "zhang", "张", 5 },
    { "lyu", "吕", 3 },
    { "lyuxiaoming", "吕", 3 },   /* l|yu → lv, then mapped back */
    { "wanglyu", "王", 4 },
    { "zhenyu", "振", 4 },        /* zhen|yu: no l or n of its own */
    { "zhenyu", "阵雨", 6 },
    { "xian", "西安", 4 },
    { "zh", "张", 2 },
    { "zhangs", "张", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree guint *spans = NULL;
      g_auto(GStrv) candidates = NULL;
      guint rank;

      candidates = ck_pinyin_candidates_with_spans (pinyin, vectors[i].letters, 0, &spans);
      rank = ck_test_strv_rank (candidates, vectors[i].candidate);
      if (rank == 0)
        g_error ("%s: no %s", vectors[i].letters, vectors[i].candidate);
      if (spans[rank - 1] != vectors[i].span)
        g_error ("%s: %s stands for %u letters, not %u",
                 vectors[i].letters, vectors[i].candidate, spans[rank - 1], vectors[i].span);

      for (guint k = 0; candidates[k]; k++)
        {
          g_assert_cmpuint (spans[k], >, 0);
          g_assert_cmpuint (spans[k], <=, strlen (vectors[i].letters));
        }
    }
}

/* "zhenyu" is zhen|yu: no "nv" rewrite, so no 女 for its first syllable. */
static void
test_pinyin_no_false_rewrite (void)
{
  g_autofree guint *spans = NULL;
  g_auto(GStrv) candidates = ck_pinyin_candidates_with_spans (pinyin, "zhenyu", 0, &spans);

  log_candidates ("zhenyu", candidates);
  g_assert_cmpuint (ck_test_strv_rank (candidates, "女"), ==, 0);
  g_assert_cmpuint (ck_test_strv_rank (candidates, "振"), >, 0);
}

static void
test_pinyin_max (void)
{
  g_autofree guint *spans = NULL;
  g_auto(GStrv) three = ck_pinyin_candidates_with_spans (pinyin, "wang", 3, &spans);
  g_auto(GStrv) all = ck_pinyin_candidates (pinyin, "wang", 0);

  g_assert_cmpuint (g_strv_length (three), ==, 3);
  g_assert_cmpuint (spans[3], ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (three[i], ==, all[i]);
}

/* Input that is not pinyin gives nothing (and no crash). */
static void
test_pinyin_not_pinyin (void)
{
  static const char * const inputs[] = {
    "", "zh4ng", "张", "zhang san", "'", "\xff", "xi'an", "k'is", "i", "v",
    "zhangzhangzhangzhangzhangzhangzhangzhangzhangzhan",  /* 49 letters */
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree guint *spans = NULL;
      g_auto(GStrv) candidates = ck_pinyin_candidates_with_spans (pinyin, inputs[i], 0, &spans);

      g_autofree char *escaped = g_strescape (inputs[i], NULL);

      g_assert_nonnull (candidates);
      g_test_message ("“%s”: %u candidates", escaped, g_strv_length (candidates));
      if (i < 8 || i == 10)
        g_assert_cmpuint (g_strv_length (candidates), ==, 0);
    }

  /* 48 letters are still pinyin. */
  {
    g_auto(GStrv) candidates = ck_pinyin_candidates (pinyin, "zhangzhangzhangzhangzhangzhangzhangzhangzhangzha", 5);

    g_assert_cmpuint (strlen ("zhangzhangzhangzhangzhangzhangzhangzhangzhangzha"), ==, CK_PINYIN_MAX_LETTERS);
    g_assert_cmpuint (g_strv_length (candidates), ==, 5);
  }
}

/* Lists every file and folder under @path, relative to it. */
static void
list_tree (const char *path,
           const char *prefix,
           GPtrArray  *entries)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *relative = *prefix ? g_build_filename (prefix, name, NULL) : g_strdup (name);

      g_ptr_array_add (entries, g_strdup (relative));
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_tree (child, relative, entries);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static char *
describe_tree (const char *path)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

  list_tree (path, "", entries);
  g_ptr_array_sort (entries, compare_strings);
  g_ptr_array_add (entries, NULL);

  return g_strjoinv (" ", (char **)entries->pdata);
}

/* Modification times of the engine's system data. */
static char *
describe_data (void)
{
  g_autoptr(GDir) dir = g_dir_open (ck_pinyin_get_default_data_dir (), 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (ck_pinyin_get_default_data_dir (), name, NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_ptr_array_add (lines, g_strdup_printf ("%s %ld %ld", name, (long)st.st_mtime, (long)st.st_size));
    }
  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);

  return g_strjoinv ("\n", (char **)lines->pdata);
}

/* The engine works in a private folder of its own that goes with it;
 * nothing is written anywhere else (temporary, home and XDG folders, its
 * system data); and nothing is learnt: the same letters give the same
 * list however often they come. */
static void
test_pinyin_private (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = describe_tree (scratch);
  g_autofree char *data_before = describe_data ();
  g_autofree char *data_after = NULL;
  g_autofree char *after = NULL;
  g_autofree char *private_dir = NULL;
  g_auto(GStrv) first = NULL;
  g_autofree char *during = NULL;
  g_auto(GStrv) new_entries = NULL;
  CkPinyin *engine;
  GStatBuf st;

  engine = ck_pinyin_new (NULL, &error);
  g_assert_no_error (error);

  /* One new folder, in the temporary folder, the owner's only. */
  during = describe_tree (scratch);
  g_test_message ("before: %s; with the engine: %s", before, during);
  new_entries = g_strsplit (during, " ", -1);
  for (guint i = 0; new_entries[i]; i++)
    {
      g_autofree char *word = g_strdup_printf (" %s ", new_entries[i]);
      g_autofree char *padded = g_strdup_printf (" %s ", before);

      if (strstr (padded, word))
        continue;
      g_assert_true (g_str_has_prefix (new_entries[i], "tmp/ck-pinyin-"));
      if (strchr (new_entries[i] + strlen ("tmp/"), '/') == NULL)
        {
          g_assert_null (private_dir);
          private_dir = g_build_filename (scratch, new_entries[i], NULL);
        }
    }
  g_assert_nonnull (private_dir);
  g_assert_cmpint (g_stat (private_dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  first = ck_pinyin_candidates (engine, "zhang", 0);
  for (guint i = 0; i < 50; i++)
    {
      g_auto(GStrv) again = ck_pinyin_candidates (engine, i % 2 ? "zhangsan" : "zhang", 0);

      if (i % 2 == 0)
        g_assert_true (g_strv_equal ((const char * const *)first, (const char * const *)again));
    }
  {
    /* A customer picking the 5th candidate over and over. */
    g_auto(GStrv) fifth = ck_pinyin_candidates (engine, first[4], 0);

    g_assert_cmpuint (g_strv_length (fifth), ==, 0);
  }

  g_assert_finalize_object (engine);

  g_assert_false (g_file_test (private_dir, G_FILE_TEST_EXISTS));
  after = describe_tree (scratch);
  g_assert_cmpstr (after, ==, before);
  data_after = describe_data ();
  g_assert_cmpstr (data_after, ==, data_before);

  /* A new engine ranks as the first did. */
  {
    g_autoptr(CkPinyin) fresh = ck_pinyin_new (NULL, &error);
    g_auto(GStrv) again = NULL;

    g_assert_no_error (error);
    again = ck_pinyin_candidates (fresh, "zhang", 0);
    g_assert_true (g_strv_equal ((const char * const *)first, (const char * const *)again));
  }
}

static void
test_pinyin_no_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_build_filename (scratch, "home", NULL);
  CkPinyin *engine;

  engine = ck_pinyin_new ("/nonexistent/libpinyin/data", &error);
  g_assert_null (engine);
  g_assert_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_NO_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent/libpinyin/data"));
  g_assert_nonnull (strstr (error->message, "libpinyin-data"));
  g_clear_error (&error);

  /* A folder without the data: nothing is left behind either. */
  engine = ck_pinyin_new (empty, &error);
  g_assert_null (engine);
  g_assert_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "libpinyin-data"));
}

/* The message reaches the customer in Chinese. */
static void
test_pinyin_translated (void)
{
  g_auto(CkTestLocale) saved = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  if (!ck_test_locale_use_chinese (&saved))
    return;

  g_assert_null (ck_pinyin_new ("/nonexistent/libpinyin/data", &error));
  g_assert_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_NO_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "拼音输入不可用"));
  g_assert_nonnull (strstr (error->message, "libpinyin-data"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  int status;

  /* Before anything asks GLib for these folders: it keeps the answer. */
  template = g_build_filename (g_getenv ("TMPDIR") ? g_getenv ("TMPDIR") : "/tmp",
                               "test-pinyin-XXXXXX", NULL);
  scratch = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (scratch);
  {
    static const char * const vars[][2] = {
      { "TMPDIR", "tmp" }, { "HOME", "home" }, { "XDG_CACHE_HOME", "cache" },
      { "XDG_CONFIG_HOME", "config" }, { "XDG_DATA_HOME", "data" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
      {
        g_autofree char *path = g_build_filename (scratch, vars[i][1], NULL);

        g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
        g_setenv (vars[i][0], path, TRUE);
      }
  }

  /* Candidates in the log as characters, not "?". */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  pinyin = ck_pinyin_new (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/pinyin/names", test_pinyin_names);
  g_test_add_func ("/pinyin/order", test_pinyin_order);
  g_test_add_func ("/pinyin/spans", test_pinyin_spans);
  g_test_add_func ("/pinyin/no-false-rewrite", test_pinyin_no_false_rewrite);
  g_test_add_func ("/pinyin/max", test_pinyin_max);
  g_test_add_func ("/pinyin/not-pinyin", test_pinyin_not_pinyin);
  g_test_add_func ("/pinyin/private", test_pinyin_private);
  g_test_add_func ("/pinyin/no-data", test_pinyin_no_data);
  g_test_add_func ("/pinyin/translated", test_pinyin_translated);

  status = g_test_run ();

  /* With the last engine gone, the folders are as they were. */
  g_assert_finalize_object (pinyin);
  {
    g_autofree char *left = describe_tree (scratch);

    g_assert_cmpstr (left, ==, "cache config data home tmp");
  }

  ck_test_rm_rf (scratch);
  g_free (scratch);

  return status;
}
