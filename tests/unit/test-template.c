/* test-template.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ck.h"

static CkTemplate *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return ck_template_new_from_bytes (bytes, error);
}

static void
test_template_default (void)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  guint headings = 0, signatures = 0, clauses = 0, last_section = 0;
  const char *text;

  template = ck_template_new_default (&error);
  g_assert_no_error (error);

  g_assert_cmpint (ck_template_get_block (template, 0, NULL, &text), ==,
                   CK_TEMPLATE_BLOCK_HEADING);
  g_assert_cmpstr (text, ==, "个人信息授权书");

  for (guint i = 0; i < ck_template_get_n_blocks (template); i++)
    {
      guint section;

      switch (ck_template_get_block (template, i, &section, &text))
        {
        case CK_TEMPLATE_BLOCK_HEADING:
          headings++;
          break;
        case CK_TEMPLATE_BLOCK_SIGNATURE:
          signatures++;
          break;
        case CK_TEMPLATE_BLOCK_CLAUSE:
          clauses++;
          break;
        case CK_TEMPLATE_BLOCK_PARAGRAPH:
        case CK_TEMPLATE_BLOCK_INDENTED:
        default:
          break;
        }
      last_section = section;
    }

  /* Letter and declaration; 授权人 and date, 声明人 and date; 1.1 … 1.5. */
  g_assert_cmpuint (headings, ==, 2);
  g_assert_cmpuint (signatures, ==, 4);
  g_assert_cmpuint (clauses, ==, 8);
  g_assert_cmpuint (last_section, ==, 1);
  g_assert_cmpuint (strlen (ck_template_get_sha256 (template)), ==, 64);
}

/* Keeps only what a reader sees as text: markers, white space and the
 * line structure go, every other character stays in order. A written
 * placeholder becomes the seed's 【】 blank; the signature and the date
 * parts, which the seed leaves as bare space, become nothing. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '{')
        {
          const char *close = strchr (p, '}');
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          CkTemplateField field = ck_template_field_from_string (name);

          g_assert_cmpint (field, !=, CK_TEMPLATE_FIELD_NONE);
          if (field <= CK_TEMPLATE_FIELD_ID_NUMBER)
            g_string_append (out, "【】");
          p = close;
          continue;
        }

      if (g_unichar_isspace (c) || c == 0x3000 || c == 0xA0)
        continue;
      if ((c == '#' || c == '>') && (p == text || p[-1] == '\n'))
        continue;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
read_transcription (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "templates",
                                                 "seed-transcription.txt", NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* The transcription is the seed's section 六, character for character. */
static void
test_template_matches_seed (void)
{
  g_autofree char *seed_dir = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *ours_text = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name, *begin, *end;

  seed_dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "seed", NULL);
  if (!(dir = g_dir_open (seed_dir, 0, NULL)))
    {
      g_test_skip ("shared/seed is not beside the checkout");
      return;
    }

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (seed_dir, name, NULL);
      g_autofree char *contents = NULL;

      if (g_str_has_suffix (name, ".txt") &&
          g_file_get_contents (path, &contents, NULL, NULL) &&
          strstr (contents, "个人信息授权书"))
        seed = g_steal_pointer (&contents);
    }
  g_assert_nonnull (seed);

  /* From the title to the end of the declaration's date line. */
  begin = strstr (seed, "个人信息授权书");
  end = strstr (seed, "以上协议，在用户核验前");
  g_assert_nonnull (begin);
  g_assert_nonnull (end);
  {
    g_autofree char *section = g_strndup (begin, end - begin);

    seed_text = squeeze (section);
  }

  ours = read_transcription ();
  ours_text = squeeze (ours);

  g_assert_cmpstr (ours_text, ==, seed_text);
}

/* The shipped letter is the transcription with exactly the edits
 * data/templates/README.md lists, applied once each. */
static void
test_template_default_edits (void)
{
  static const char * const edits[][2] = {
    { "# 个人信息授权书 （参考）\n", "# 个人信息授权书\n" },
    { "合法存续的的第三方机构", "合法存续的第三方机构" },
    { "> 授权人:{signature}", "> 授权人：{signature}" },
  };
  g_autofree char *transcription = read_transcription ();
  g_autoptr(GString) edited = g_string_new (transcription);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shipped = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    g_assert_cmpuint (g_string_replace (edited, edits[i][0], edits[i][1], 0), ==, 1);

  bytes = g_resources_lookup_data (CK_TEMPLATE_DEFAULT_RESOURCE, 0, &error);
  g_assert_no_error (error);
  shipped = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (shipped, ==, edited->str);

  /* And nothing of what was edited is left. */
  g_assert_null (strstr (shipped, "参考"));
  g_assert_null (strstr (shipped, "的的"));
  g_assert_null (strstr (shipped, ":"));
}

static void
test_template_errors (void)
{
  static const struct {
    const char *text;
    CkTemplateError code;
  } cases[] = {
    { "", CK_TEMPLATE_ERROR_EMPTY },
    { "\n\n\n", CK_TEMPLATE_ERROR_EMPTY },
    { "# 标题\n\xff\xfe\n", CK_TEMPLATE_ERROR_INVALID_UTF8 },
    { "#标题\n", CK_TEMPLATE_ERROR_SYNTAX },
    { "# 标题\n>签名\n", CK_TEMPLATE_ERROR_SYNTAX },
    { "# 标题\n>   \n", CK_TEMPLATE_ERROR_SYNTAX },
    { "# 标题\n正文\n", CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CkTemplate) template = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      template = parse (cases[i].text, &error);
      g_assert_error (error, CK_TEMPLATE_ERROR, cases[i].code);
      g_assert_null (template);
    }
}

static void
test_template_placeholder_errors (void)
{
  static const struct {
    const char *text;
    CkTemplateError code;
    const char *in_message;
  } cases[] = {
    { "# 甲\n本人{nmae}{id_number}{signature}\n", CK_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER, "{nmae}" },
    { "# 甲\n本人{name{id_number}{signature}\n", CK_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER, "{name{id_number}" },
    { "# 甲\n本人{name}{id_number}{signature\n", CK_TEMPLATE_ERROR_SYNTAX, "Line 2" },
    { "# 甲\n本人{name}}{id_number}{signature}\n", CK_TEMPLATE_ERROR_SYNTAX, "Line 2" },
    { "# 甲\n本人{name}{signature}\n", CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER, "{id_number}" },
    { "# 甲\n本人{name}{id_number}\n", CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER, "{signature}" },
    { "# 甲\n本人{id_number}{signature}\n", CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER, "{name}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CkTemplate) template = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      template = parse (cases[i].text, &error);
      g_assert_error (error, CK_TEMPLATE_ERROR, cases[i].code);
      g_assert_null (template);
      if (!strstr (error->message, cases[i].in_message))
        g_error ("“%s” lacks “%s”", error->message, cases[i].in_message);
    }
}

static void
test_template_fill (void)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *partial = NULL;
  const CkTemplateRun *runs;
  guint n_runs;
  CkTemplateValues values = { NULL };

  template = parse ("# {{甲}}\n{company}：本人 {name}（{id_number}）\n> 签名：{signature}\n"
                    "> {year} 年 {month} 月 {day} 日\n", &error);
  g_assert_no_error (error);

  runs = ck_template_get_runs (template, 1, &n_runs);
  g_assert_cmpuint (n_runs, ==, 6);
  g_assert_cmpint (runs[0].field, ==, CK_TEMPLATE_FIELD_COMPANY);
  g_assert_cmpint (runs[1].field, ==, CK_TEMPLATE_FIELD_NONE);
  g_assert_cmpstr (runs[1].text, ==, "：本人 ");
  g_assert_cmpint (runs[2].field, ==, CK_TEMPLATE_FIELD_NAME);
  g_assert_true (ck_template_uses_field (template, CK_TEMPLATE_FIELD_DAY));
  g_assert_false (ck_template_uses_field (template, CK_TEMPLATE_FIELD_PURPOSE));

  /* Missing values are named; a template's unused fields need none. */
  values[CK_TEMPLATE_FIELD_COMPANY] = "某某银行";
  values[CK_TEMPLATE_FIELD_NAME] = "张三";
  g_assert_false (ck_template_check_values (template, values, &error));
  g_assert_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_MISSING_VALUE);
  g_assert_nonnull (strstr (error->message, "{id_number}"));
  g_clear_error (&error);
  partial = ck_template_fill_text (template, values);
  g_assert_cmpstr (partial, ==, "{甲}\n某某银行：本人 张三（）\n签名：\n 年  月  日\n");

  values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  values[CK_TEMPLATE_FIELD_MONTH] = "11";
  values[CK_TEMPLATE_FIELD_DAY] = "28";
  g_assert_true (ck_template_check_values (template, values, &error));
  g_assert_no_error (error);
  text = ck_template_fill_text (template, values);
  g_assert_cmpstr (text, ==,
                   "{甲}\n某某银行：本人 张三（11010519491231002X）\n签名：\n2026 年 11 月 28 日\n");
}

static void
test_template_file (void)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ck-template-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.txt", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);

  g_assert_true (g_file_set_contents (good, "# 甲\n{name}{id_number}{signature}\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "# 甲\n{name}{signature}\n", -1, NULL));

  template = ck_template_new_from_file (good, &error);
  g_assert_no_error (error);
  g_clear_object (&template);

  template = ck_template_new_from_file (bad, &error);
  g_assert_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_clear_error (&error);

  template = ck_template_new_from_file (missing, &error);
  g_assert_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_READ);
  g_assert_nonnull (strstr (error->message, missing));

  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_template_blocks (void)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkTemplate) other = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  guint section;

  template = parse ("# 甲\n正文{name}{id_number}\n    缩进\n1.2 条款\n1. 不是条款\n> 授权人：{signature}\n\n# 乙\n正文\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_template_get_n_blocks (template), ==, 8);

  g_assert_cmpint (ck_template_get_block (template, 0, &section, &text), ==, CK_TEMPLATE_BLOCK_HEADING);
  g_assert_cmpstr (text, ==, "甲");
  g_assert_cmpuint (section, ==, 0);
  g_assert_cmpint (ck_template_get_block (template, 1, NULL, &text), ==, CK_TEMPLATE_BLOCK_PARAGRAPH);
  g_assert_cmpint (ck_template_get_block (template, 2, NULL, &text), ==, CK_TEMPLATE_BLOCK_INDENTED);
  g_assert_cmpstr (text, ==, "缩进");
  g_assert_cmpint (ck_template_get_block (template, 3, NULL, &text), ==, CK_TEMPLATE_BLOCK_CLAUSE);
  g_assert_cmpint (ck_template_get_block (template, 4, NULL, &text), ==, CK_TEMPLATE_BLOCK_PARAGRAPH);
  g_assert_cmpint (ck_template_get_block (template, 5, NULL, &text), ==, CK_TEMPLATE_BLOCK_SIGNATURE);
  g_assert_cmpstr (text, ==, "授权人：{signature}");
  g_assert_cmpint (ck_template_get_block (template, 6, &section, &text), ==, CK_TEMPLATE_BLOCK_HEADING);
  g_assert_cmpuint (section, ==, 1);

  /* The identity is the bytes: one changed character, another hash. */
  other = parse ("# 甲\n正文{name}{id_number}\n    缩进\n1.2 条款\n1. 不是条款\n> 授权人:{signature}\n\n# 乙\n正文\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_template_get_sha256 (template), !=, ck_template_get_sha256 (other));
  g_assert_finalize_object (g_steal_pointer (&other));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/template/default", test_template_default);
  g_test_add_func ("/template/matches-seed", test_template_matches_seed);
  g_test_add_func ("/template/default-edits", test_template_default_edits);
  g_test_add_func ("/template/errors", test_template_errors);
  g_test_add_func ("/template/blocks", test_template_blocks);
  g_test_add_func ("/template/placeholder-errors", test_template_placeholder_errors);
  g_test_add_func ("/template/fill", test_template_fill);
  g_test_add_func ("/template/file", test_template_file);

  return g_test_run ();
}
