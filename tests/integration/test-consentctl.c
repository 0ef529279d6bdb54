/* test-consentctl.c: consentctl as a user runs it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs consentctl with @argv (NULL-terminated) in @language. */
static void
run_consentctl (Run                *run,
                const char         *language,
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
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  /* glibc ignores LANGUAGE under the C locale: zh_CN needs its own. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL",
                                g_str_equal (language, "zh_CN") ? "zh_CN.UTF-8" : "C.UTF-8",
                                TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

#define RUN(run, ...) run_consentctl (run, "en", (const char * const[]) { __VA_ARGS__, NULL })

static void
test_check_id_valid (void)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "check-id", "11010519491231002X");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "Number:     11010519491231002X\n"
                   "Birth date: 1949-12-31\n"
                   "Sex:        Female\n"
                   "Province:   11 Beijing\n");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_check_id_full_width (void)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "check-id", "１１０１０５ １９４９-１２３１ ００２ｘ");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Number:     11010519491231002X\n"));
}

static void
test_check_id_legacy (void)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "check-id", "110105491231002");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Number:     11010519491231002X\n"));
  g_assert_nonnull (strstr (run.err, "15-digit"));
}

static void
test_check_id_invalid (void)
{
  static const struct {
    const char *id;
    const char *message;
  } cases[] = {
    { "110105194912310021", "The last character of the ID number does not fit the others" },
    { "11010519491231002A", "Character 18 of the ID number, “A” (U+0041), is not allowed" },
    { "1101051949123100", "this one has 16" },
    { "99010519491231002X", "starts with 99" },
    { "110105202302290011", "2023-02 has no day 29" },
    { "", "Enter the ID number." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      RUN (&run, "check-id", cases[i].id);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      if (!strstr (run.err, cases[i].message))
        g_error ("“%s” lacks “%s”", run.err, cases[i].message);
    }
}

static void
test_check_id_on (void)
{
  g_auto(Run) before = { 0 };
  g_auto(Run) after = { 0 };
  g_auto(Run) bad = { 0 };

  RUN (&before, "check-id", "--on", "2000-02-28", "110105200002290013");
  g_assert_cmpint (before.status, ==, 1);
  g_assert_nonnull (strstr (before.err, "in the future"));

  RUN (&after, "check-id", "--on=2000-02-29", "110105200002290013");
  g_assert_cmpint (after.status, ==, 0);

  RUN (&bad, "check-id", "--on", "2000-02-30", "110105200002290013");
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "YYYY-MM-DD"));
}

static void
test_check_name (void)
{
  g_auto(Run) ok = { 0 };
  g_auto(Run) rare = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) latin = { 0 };

  RUN (&ok, "check-name", " 阿依古丽•买买提 ");
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==, "阿依古丽·买买提\n");

  RUN (&rare, "check-name", "𠮷䶮");
  g_assert_cmpint (rare.status, ==, 0);
  g_assert_cmpstr (rare.out, ==, "𠮷䶮\n");

  RUN (&bad, "check-name", "张三3");
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_cmpstr (bad.out, ==, "");
  g_assert_nonnull (strstr (bad.err, "Character 3 of the name, “3”, is a digit"));

  RUN (&latin, "check-name", "--allow-latin", "John  Smith");
  g_assert_cmpint (latin.status, ==, 0);
  g_assert_cmpstr (latin.out, ==, "John Smith\n");
}

static void
test_usage (void)
{
  const char * const *cases[] = {
    (const char * const[]) { NULL },
    (const char * const[]) { "no-such-command", NULL },
    (const char * const[]) { "check-id", NULL },
    (const char * const[]) { "check-id", "1", "2", NULL },
    (const char * const[]) { "check-id", "--no-such-option", "1", NULL },
    (const char * const[]) { "check-name", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_consentctl (&run, "en", cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
    }
}

static void
test_help (void)
{
  g_auto(Run) top = { 0 };
  g_auto(Run) id = { 0 };
  g_auto(Run) name = { 0 };
  g_auto(Run) version = { 0 };

  RUN (&top, "--help");
  g_assert_cmpint (top.status, ==, 0);
  g_assert_nonnull (strstr (top.out, "check-id"));
  g_assert_nonnull (strstr (top.out, "check-name"));

  RUN (&id, "check-id", "--help");
  g_assert_cmpint (id.status, ==, 0);
  g_assert_nonnull (strstr (id.out, "consentctl check-id"));
  g_assert_nonnull (strstr (id.out, "--on"));
  g_assert_nonnull (strstr (id.out, "check character"));

  RUN (&name, "check-name", "--help");
  g_assert_cmpint (name.status, ==, 0);
  g_assert_nonnull (strstr (name.out, "--allow-latin"));

  RUN (&version, "--version");
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "consentctl " PACKAGE_VERSION "\n");
}

/* With LANGUAGE=zh_CN the messages come from the zh_CN catalogue. */
static void
test_translated (void)
{
  g_auto(Run) bad = { 0 };
  g_auto(Run) ok = { 0 };
  g_auto(Run) name = { 0 };

  run_consentctl (&bad, "zh_CN", (const char * const[]) { "check-id", "110105194912310021", NULL });
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_cmpstr (bad.err, ==, "身份证号码的校验码（最后一位）与前面的数字不符，请检查号码是否输错。\n");

  run_consentctl (&ok, "zh_CN", (const char * const[]) { "check-id", "11010519491231002X", NULL });
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==,
                   "号码：     11010519491231002X\n"
                   "出生日期： 1949-12-31\n"
                   "性别：     女\n"
                   "省份：     11 北京市\n");

  run_consentctl (&name, "zh_CN", (const char * const[]) { "check-name", "张三3", NULL });
  g_assert_cmpint (name.status, ==, 1);
  g_assert_nonnull (strstr (name.err, "姓名的第 3 个字符"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/consentctl/check-id/valid", test_check_id_valid);
  g_test_add_func ("/consentctl/check-id/full-width", test_check_id_full_width);
  g_test_add_func ("/consentctl/check-id/legacy", test_check_id_legacy);
  g_test_add_func ("/consentctl/check-id/invalid", test_check_id_invalid);
  g_test_add_func ("/consentctl/check-id/on", test_check_id_on);
  g_test_add_func ("/consentctl/check-name", test_check_name);
  g_test_add_func ("/consentctl/usage", test_usage);
  g_test_add_func ("/consentctl/help", test_help);
  g_test_add_func ("/consentctl/translated", test_translated);

  return g_test_run ();
}
