/* test-consentctl.c: consentctl as a user runs it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

/* Runs consentctl with @argv (NULL-terminated) in @language; @env holds
 * "NAME=VALUE" to set and "NAME" to unset, or is NULL. */
static void
run_consentctl_env (CkTestRun          *run,
                    const char         *language,
                    const char * const *env,
                    const char * const *argv)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_null_terminated (8, g_free, TRUE);

  g_ptr_array_add (all, g_strconcat ("LANGUAGE=", language, NULL));
  /* glibc ignores LANGUAGE under the C locale: zh_CN needs its own. */
  g_ptr_array_add (all, g_strdup (g_str_equal (language, "zh_CN") ? "LC_ALL=zh_CN.UTF-8"
                                                                  : "LC_ALL=C.UTF-8"));
  for (guint i = 0; env && env[i]; i++)
    g_ptr_array_add (all, g_strdup (env[i]));

  ck_test_run_consentctl (run, (const char * const *)all->pdata, argv);
}

static void
run_consentctl (CkTestRun          *run,
                const char         *language,
                const char * const *argv)
{
  run_consentctl_env (run, language, NULL, argv);
}

#define RUN(run, ...) run_consentctl (run, "en", (const char * const[]) { __VA_ARGS__, NULL })

static void
test_check_id_valid (void)
{
  g_auto(CkTestRun) run = { 0 };

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
  g_auto(CkTestRun) run = { 0 };

  RUN (&run, "check-id", "１１０１０５ １９４９-１２３１ ００２ｘ");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Number:     11010519491231002X\n"));
}

static void
test_check_id_legacy (void)
{
  g_auto(CkTestRun) run = { 0 };

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
      g_auto(CkTestRun) run = { 0 };

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
  g_auto(CkTestRun) before = { 0 };
  g_auto(CkTestRun) after = { 0 };
  g_auto(CkTestRun) bad = { 0 };

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
  g_auto(CkTestRun) ok = { 0 };
  g_auto(CkTestRun) rare = { 0 };
  g_auto(CkTestRun) bad = { 0 };
  g_auto(CkTestRun) latin = { 0 };

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
      g_auto(CkTestRun) run = { 0 };

      run_consentctl (&run, "en", cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
    }
}

static void
test_help (void)
{
  g_auto(CkTestRun) top = { 0 };
  g_auto(CkTestRun) id = { 0 };
  g_auto(CkTestRun) name = { 0 };
  g_auto(CkTestRun) version = { 0 };

  RUN (&top, "--help");
  g_assert_cmpint (top.status, ==, 0);
  g_assert_nonnull (strstr (top.out, "check-id"));
  g_assert_nonnull (strstr (top.out, "check-name"));
  g_assert_nonnull (strstr (top.out, "  config "));
  g_assert_nonnull (strstr (top.out, "--config FILE"));
  g_assert_nonnull (strstr (top.out, "--data-dir DIR"));
  {
    static const char * const commands[] = {
      "record", "verify", "list", "show", "withdraw", "usage", "pdf", "export", "purge", "check",
      "render", "verify-pdf",
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autofree char *line = g_strdup_printf ("\n  %s ", commands[i]);

        g_assert_nonnull (strstr (top.out, line));
      }
  }

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

/* consentctl config runs in a sandbox: its own system file, XDG
 * directories and no CK_APPCODE from the caller. */
/* A made-up AppCode, split so that it does not look like a committed secret. */
#define APPCODE     "0123456789abcdef" "0123456789abcdef"
#define BAD_APPCODE "this-is-a-secret-not-an-appcode!"

typedef struct
{
  char *dir;
  char *system;
  char *user;
  char *explicit;
  char *appcode;
  char *data_dir;   /* for --data-dir; not created */
  GPtrArray *env;
} Sandbox;


static void
sandbox_clear (Sandbox *box)
{
  if (box->dir)
    ck_test_rm_rf (box->dir);
  g_clear_pointer (&box->dir, g_free);
  g_clear_pointer (&box->system, g_free);
  g_clear_pointer (&box->user, g_free);
  g_clear_pointer (&box->explicit, g_free);
  g_clear_pointer (&box->appcode, g_free);
  g_clear_pointer (&box->data_dir, g_free);
  g_clear_pointer (&box->env, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sandbox, sandbox_clear)

/* "NAME=VALUE" sets, "NAME" unsets, replacing what was said before. */
static void
sandbox_setenv (Sandbox    *box,
                const char *assignment)
{
  gsize len = strcspn (assignment, "=");

  for (guint i = 0; i < box->env->len; i++)
    {
      const char *old = box->env->pdata[i];

      if (strncmp (old, assignment, len) == 0 && (old[len] == '=' || old[len] == '\0'))
        {
          g_ptr_array_remove_index (box->env, i);
          break;
        }
    }
  g_ptr_array_add (box->env, g_strdup (assignment));
}

static void
sandbox_init (Sandbox *box)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *user_dir = NULL;

  box->dir = g_dir_make_tmp ("test-consentctl-XXXXXX", &error);
  g_assert_no_error (error);
  box->system = g_build_filename (box->dir, "system.conf", NULL);
  config_home = g_build_filename (box->dir, "config", NULL);
  data_home = g_build_filename (box->dir, "data", NULL);
  user_dir = g_build_filename (config_home, "consent-kiosk", NULL);
  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
  box->user = g_build_filename (user_dir, "kiosk.conf", NULL);
  box->explicit = g_build_filename (box->dir, "explicit.conf", NULL);
  box->appcode = g_build_filename (box->dir, "appcode", NULL);
  box->data_dir = g_build_filename (box->dir, "store", NULL);

  box->env = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  g_ptr_array_add (box->env, g_strconcat ("CK_SYSTEM_CONFIG=", box->system, NULL));
  g_ptr_array_add (box->env, g_strconcat ("XDG_CONFIG_HOME=", config_home, NULL));
  g_ptr_array_add (box->env, g_strconcat ("XDG_DATA_HOME=", data_home, NULL));
  g_ptr_array_add (box->env, g_strdup ("CK_APPCODE"));
}

/* Writes @contents ("@DIR@" for the sandbox) to @path with @mode. */
static void
sandbox_write (Sandbox    *box,
               const char *path,
               const char *contents,
               int         mode)
{
  g_autoptr(GString) text = g_string_new (contents);
  g_autoptr(GError) error = NULL;

  g_string_replace (text, "@DIR@", box->dir, 0);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* Runs consentctl in @box; whatever happens, no AppCode, good or bad,
 * may appear in its output. */
static void
run_config (CkTestRun          *run,
            Sandbox            *box,
            const char         *language,
            const char * const *argv)
{
  static const char * const secrets[] = {
    APPCODE, BAD_APPCODE, "0123456789abcdef", "this-is-a-secret",
  };

  run_consentctl_env (run, language, (const char * const *)box->env->pdata, argv);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      if (strstr (run->out, secrets[i]) || strstr (run->err, secrets[i]))
        g_error ("The AppCode leaked: “%s” / “%s”", run->out, run->err);
    }
}

#define RUN_CONFIG(run, box, ...) \
  run_config (run, box, "en", (const char * const[]) { __VA_ARGS__, NULL })

static void
test_config_defaults (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *data_dir = NULL;

  sandbox_init (&box);
  RUN_CONFIG (&run, &box, "config");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "[organization]\nname =     # default\n"));
  data_dir = g_strdup_printf ("\ndata_dir = %s/data/consent-kiosk    # default\n", box.dir);
  ck_test_assert_contains (run.out, data_dir);
  ck_test_assert_contains (run.out, "\n\n[kiosk]\n");
  ck_test_assert_contains (run.out, "\nidle_timeout_s = 90    # default\n");
  ck_test_assert_contains (run.out, "\ntemplate = (not set)    # default\n");
  ck_test_assert_contains (run.out, "\n\n[verification]\nprovider = demo    # default\n");
  ck_test_assert_contains (run.out, "\nappcode_file = (not set)    # default\n"
                                    "appcode = (not set)    # default\n");
  ck_test_assert_contains (run.out, "\nmax_attempts = 5    # default\n");
  /* No seal: said, not hidden. */
  ck_test_assert_contains (run.out, "\n\n[signing]\ncertificate = (not set)    # default\n");
  ck_test_assert_contains (run.out, "\nseal = (not configured: consents are stored as unsealed PDFs)    "
                                    "# default\n");
  /* No central archive: said too. */
  ck_test_assert_contains (run.out, "\n\n[central]\nurl =     # default\n");
  ck_test_assert_contains (run.out, "\nwarn_after_s = 3600    # default\n"
                                    "central = (not configured: consents stay on this kiosk only)    "
                                    "# default\n");
}

static void
test_config_layers (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) equals = { 0 };
  g_autofree char *option = NULL;
  g_autofree char *line = NULL;

  sandbox_init (&box);
  sandbox_write (&box, box.system, "[organization]\nname = 系统\nbusiness = 开户\n", 0644);
  sandbox_write (&box, box.user, "[organization]\nname = 用户\n[kiosk]\nidle_timeout_s = 120\n", 0644);
  sandbox_write (&box, box.explicit,
                 "[kiosk]\nidle_timeout_s = 300\nfullscreen = true\n"
                 "[verification]\nappcode_file = @DIR@/appcode\n", 0644);
  sandbox_write (&box, box.appcode, APPCODE "\n", 0600);

  RUN_CONFIG (&run, &box, "--config", box.explicit, "config");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  line = g_strdup_printf ("\nname = 用户    # %s\n", box.user);
  ck_test_assert_contains (run.out, line);
  g_free (line);
  line = g_strdup_printf ("\nbusiness = 开户    # %s\n", box.system);
  ck_test_assert_contains (run.out, line);
  g_free (line);
  line = g_strdup_printf ("\nidle_timeout_s = 300    # %s\nfullscreen = true    # %s\n",
                          box.explicit, box.explicit);
  ck_test_assert_contains (run.out, line);
  g_free (line);
  line = g_strdup_printf ("\nappcode = (set, redacted)    # %s\n", box.appcode);
  ck_test_assert_contains (run.out, line);
  ck_test_assert_contains (run.out, "\nprovider = aliyun-idcert    # default\n");

  /* --config=FILE is the same. */
  option = g_strconcat ("--config=", box.explicit, NULL);
  RUN_CONFIG (&equals, &box, option, "config");
  g_assert_cmpint (equals.status, ==, 0);
  g_assert_cmpstr (equals.out, ==, run.out);
}

static void
test_config_check (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) good = { 0 };
  g_auto(CkTestRun) bad = { 0 };
  g_auto(CkTestRun) bad_show = { 0 };
  g_auto(CkTestRun) unknown = { 0 };

  sandbox_init (&box);
  sandbox_write (&box, box.explicit, "[kiosk]\nidle_timeout_s = 600\n", 0644);
  RUN_CONFIG (&good, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (good.status, ==, 0);
  g_assert_cmpstr (good.out, ==, "The configuration is valid.\n");
  g_assert_cmpstr (good.err, ==, "");

  sandbox_write (&box, box.explicit, "[kiosk]\nidle_timeout_s = 5\n", 0644);
  RUN_CONFIG (&bad, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_cmpstr (bad.out, ==, "");
  ck_test_assert_contains (bad.err, box.explicit);
  ck_test_assert_contains (bad.err, "[kiosk] idle_timeout_s");
  ck_test_assert_contains (bad.err, "from 15 to 3600");

  /* Without --check there is nothing to show either. */
  RUN_CONFIG (&bad_show, &box, "--config", box.explicit, "config");
  g_assert_cmpint (bad_show.status, ==, 1);
  g_assert_cmpstr (bad_show.out, ==, "");
  g_assert_cmpstr (bad_show.err, ==, bad.err);

  /* An unknown key is a warning, not an error. */
  sandbox_write (&box, box.user, "[kiosk]\nidle_timout_s = 30\n", 0644);
  RUN_CONFIG (&unknown, &box, "config", "--check");
  g_assert_cmpint (unknown.status, ==, 0);
  g_assert_cmpstr (unknown.out, ==, "The configuration is valid.\n");
  ck_test_assert_contains (unknown.err, "Warning: ");
  ck_test_assert_contains (unknown.err, box.user);
  ck_test_assert_contains (unknown.err, "idle_timout_s");
}

static void
test_config_appcode (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_auto(CkTestRun) format = { 0 };
  g_auto(CkTestRun) env = { 0 };
  g_auto(CkTestRun) env_check = { 0 };
  g_auto(CkTestRun) bad_env = { 0 };
  g_auto(CkTestRun) missing = { 0 };

  sandbox_init (&box);
  sandbox_write (&box, box.explicit, "[verification]\nappcode_file = @DIR@/appcode\n", 0644);

  /* Readable by others: shown as unusable, refused by --check. */
  sandbox_write (&box, box.appcode, APPCODE "\n", 0644);
  RUN_CONFIG (&show, &box, "--config", box.explicit, "config");
  g_assert_cmpint (show.status, ==, 0);
  ck_test_assert_contains (show.out, "\nappcode = (set, unusable)    # ");
  ck_test_assert_contains (show.err, "Warning: ");
  ck_test_assert_contains (show.err, "0644");

  RUN_CONFIG (&check, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (check.status, ==, 1);
  g_assert_cmpstr (check.out, ==, "");
  ck_test_assert_contains (check.err, box.appcode);
  ck_test_assert_contains (check.err, "0644");

  /* Not an AppCode: refused without being repeated. */
  sandbox_write (&box, box.appcode, BAD_APPCODE "\n", 0600);
  RUN_CONFIG (&format, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (format.status, ==, 1);
  ck_test_assert_contains (format.err, "not 32 hexadecimal digits");

  /* CK_APPCODE wins over the file. */
  sandbox_setenv (&box, "CK_APPCODE=" APPCODE);
  RUN_CONFIG (&env, &box, "--config", box.explicit, "config");
  g_assert_cmpint (env.status, ==, 0);
  g_assert_cmpstr (env.err, ==, "");
  ck_test_assert_contains (env.out, "\nappcode = (set, redacted)    # environment (CK_APPCODE)\n");
  RUN_CONFIG (&env_check, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (env_check.status, ==, 0);

  sandbox_setenv (&box, "CK_APPCODE=" BAD_APPCODE);
  RUN_CONFIG (&bad_env, &box, "config", "--check");
  g_assert_cmpint (bad_env.status, ==, 1);
  ck_test_assert_contains (bad_env.err, "CK_APPCODE");

  /* aliyun-idcert with no AppCode at all. */
  sandbox_setenv (&box, "CK_APPCODE");
  sandbox_write (&box, box.explicit, "[verification]\nprovider = aliyun-idcert\n", 0644);
  RUN_CONFIG (&missing, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (missing.status, ==, 1);
  ck_test_assert_contains (missing.err, "[verification] provider");
  ck_test_assert_contains (missing.err, "needs an AppCode");
}

/* The central line names the archive, without the URI's parameters, and
 * how often it is synced. A URI with a password is refused, and the
 * password is not repeated. */
static void
test_config_central (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(CkTestRun) via_socket = { 0 };
  g_auto(CkTestRun) password = { 0 };
  g_auto(CkTestRun) translated = { 0 };
  g_autofree char *ca = NULL;
  g_autofree char *line = NULL;

  sandbox_init (&box);
  ca = g_build_filename (box.dir, "central-ca.pem", NULL);
  sandbox_write (&box, ca, "-----BEGIN CERTIFICATE-----\n", 0644);

  sandbox_write (&box, box.explicit,
                 "[central]\n"
                 "url = postgresql://kiosk_07@archive.example.com:5433/consents?application_name=branch-07\n"
                 "ca_file = @DIR@/central-ca.pem\n"
                 "sync_interval_s = 30\n", 0644);
  RUN_CONFIG (&show, &box, "--config", box.explicit, "config");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (show.err, ==, "");
  line = g_strdup_printf ("\nwarn_after_s = 3600    # default\n"
                          "central = postgresql://kiosk_07@archive.example.com:5433/consents "
                          "(sync every 30 s)    # %s\n", box.explicit);
  ck_test_assert_contains (show.out, line);
  g_clear_pointer (&line, g_free);

  /* A socket folder needs no CA. */
  sandbox_write (&box, box.explicit,
                 "[central]\nurl = postgresql://kiosk@%2Fvar%2Frun%2Fpostgresql/consents\n", 0644);
  RUN_CONFIG (&via_socket, &box, "--config", box.explicit, "config");
  g_assert_cmpint (via_socket.status, ==, 0);
  line = g_strdup_printf ("\ncentral = postgresql://kiosk@%%2Fvar%%2Frun%%2Fpostgresql/consents "
                          "(sync every 60 s)    # %s\n", box.explicit);
  ck_test_assert_contains (via_socket.out, line);

  sandbox_write (&box, box.explicit,
                 "[central]\n"
                 "url = postgresql://kiosk_07:this-is-a-secret@archive.example.com/consents\n"
                 "ca_file = @DIR@/central-ca.pem\n", 0644);
  RUN_CONFIG (&password, &box, "--config", box.explicit, "config", "--check");
  g_assert_cmpint (password.status, ==, 1);
  g_assert_cmpstr (password.out, ==, "");
  ck_test_assert_contains (password.err, "[central] url");
  ck_test_assert_contains (password.err, "password_file");

  run_config (&translated, &box, "zh_CN",
              (const char * const[]) { "--config", box.explicit, "config", "--check", NULL });
  g_assert_cmpint (translated.status, ==, 1);
  ck_test_assert_contains (translated.err, "[central] url");
  ck_test_assert_contains (translated.err, "URI 中含有密码");
}

/* The staff PIN's hash lets six digits be found by trying them all: the
 * line says it is set and where from, never the hash (nor its salt or
 * digest). */
static void
test_config_pin_hash (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(CkTestRun) unset = { 0 };
  g_auto(CkTestRun) chinese = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ck_pin_hash ("246810", 1000, &error);
  g_autofree char *conf = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_no_error (error);
  sandbox_init (&box);
  conf = g_strdup_printf ("[kiosk]\nstaff_pin_hash = %s\n", hash);
  sandbox_write (&box, box.explicit, conf, 0644);

  /* A hash of fewer iterations than today's works, with a warning. */
  RUN_CONFIG (&show, &box, "--config", box.explicit, "config");
  g_assert_cmpint (show.status, ==, 0);
  ck_test_assert_contains (show.err, "staff_pin_hash was made with fewer PBKDF2 iterations than 600000: it "
                                     "still works, but make it again with “consentctl pin-hash”.");
  line = g_strdup_printf ("\nstaff_pin_hash = (set, hidden)    # %s\n", box.explicit);
  ck_test_assert_contains (show.out, line);
  parts = g_strsplit (hash, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  for (guint i = 2; i < 4; i++)
    if (strstr (show.out, parts[i]))
      g_error ("The PIN's hash was printed: “%s”", show.out);

  run_config (&chinese, &box, "zh_CN",
              (const char * const[]) { "--config", box.explicit, "config", NULL });
  g_assert_cmpint (chinese.status, ==, 0);
  ck_test_assert_contains (chinese.out, "\nstaff_pin_hash = （已设置，已隐藏）    # ");
  g_assert_null (strstr (chinese.out, parts[3]));

  RUN_CONFIG (&unset, &box, "config");
  g_assert_cmpint (unset.status, ==, 0);
  ck_test_assert_contains (unset.out, "\nstaff_pin_hash = (not set)    # default\n");

  /* One of today's iteration count (the form is all config reads): no
   * warning. */
  {
    g_auto(CkTestRun) current = { 0 };
    const char *made_conf = "[kiosk]\nstaff_pin_hash = pbkdf2-sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg==$"
                            "imjQBxEeE9WAa1HwKi1UL6Lhnt9Un0JiSp0wZ055Jgo=\n";

    sandbox_write (&box, box.explicit, made_conf, 0644);
    RUN_CONFIG (&current, &box, "--config", box.explicit, "config");
    g_assert_cmpint (current.status, ==, 0);
    g_assert_cmpstr (current.err, ==, "");
  }
}

static void
test_config_missing (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_auto(CkTestRun) no_file = { 0 };
  g_auto(CkTestRun) empty = { 0 };
  g_auto(CkTestRun) extra = { 0 };
  g_autofree char *missing = NULL;

  sandbox_init (&box);
  missing = g_build_filename (box.dir, "no-such.conf", NULL);

  RUN_CONFIG (&show, &box, "--config", missing, "config");
  g_assert_cmpint (show.status, ==, 1);
  g_assert_cmpstr (show.out, ==, "");
  ck_test_assert_contains (show.err, missing);
  ck_test_assert_contains (show.err, "does not exist");

  RUN_CONFIG (&check, &box, "--config", missing, "config", "--check");
  g_assert_cmpint (check.status, ==, 1);
  ck_test_assert_contains (check.err, missing);

  RUN_CONFIG (&no_file, &box, "--config");
  g_assert_cmpint (no_file.status, ==, 2);
  ck_test_assert_contains (no_file.err, "--config");

  RUN_CONFIG (&empty, &box, "--config=", "config");
  g_assert_cmpint (empty.status, ==, 2);

  RUN_CONFIG (&extra, &box, "config", "extra");
  g_assert_cmpint (extra.status, ==, 2);
}

static void
test_config_translated (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) show = { 0 };
  g_auto(CkTestRun) bad = { 0 };

  sandbox_init (&box);
  run_config (&show, &box, "zh_CN", (const char * const[]) { "config", NULL });
  g_assert_cmpint (show.status, ==, 0);
  ck_test_assert_contains (show.out, "\nidle_timeout_s = 90    # 默认值\n");
  ck_test_assert_contains (show.out, "\nappcode = （未设置）    # 默认值\n");

  sandbox_write (&box, box.explicit, "[verification]\nmax_attempts = 50\n", 0644);
  run_config (&bad, &box, "zh_CN",
              (const char * const[]) { "--config", box.explicit, "config", "--check", NULL });
  g_assert_cmpint (bad.status, ==, 1);
  ck_test_assert_contains (bad.err, "[verification] max_attempts");
  ck_test_assert_contains (bad.err, "50 超出范围：请填写 1 到 20 之间的整数。");
}

/* With LANGUAGE=zh_CN the messages come from the zh_CN catalogue. */
static void
test_translated (void)
{
  g_auto(CkTestRun) bad = { 0 };
  g_auto(CkTestRun) ok = { 0 };
  g_auto(CkTestRun) name = { 0 };

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

/* consentctl render: a PDF from the configuration's values and the
 * command line, nothing stored. */
static void
test_render (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *pdf = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *data_dir = NULL;
  GStatBuf st;
  gsize len;

  sandbox_init (&box);
  sandbox_write (&box, box.system,
                 "[organization]\nname = 示例银行股份有限\nbusiness = 个人贷款\n"
                 "purpose = 身份核验\n[kiosk]\nid = branch-042\n", 0644);
  pdf = g_build_filename (box.dir, "zhangsan.pdf", NULL);

  RUN_CONFIG (&run, &box, "render", "--name", "张三", "--id", "11010519491231002X",
              "--date", "2026-11-28", "--consent-id", "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11",
              "--created", "2026-11-28T09:30:00+08:00", "-o", pdf);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "zhangsan.pdf");
  g_assert_cmpstr (run.err, ==, "");

  g_assert_true (g_file_get_contents (pdf, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);   /* personal data */

  /* Nothing stored: no data directory appeared. */
  data_dir = g_build_filename (box.dir, "data", "consent-kiosk", NULL);
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));

  {
    g_autofree char *out = NULL;
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, NULL, NULL));
    ck_test_assert_contains (out, "示例银行股份有限");
    ck_test_assert_contains (out, "张三");
    ck_test_assert_contains (out, "11010519491231002X");
    ck_test_assert_contains (out, "branch-042");
  }
}

static void
test_render_invalid (void)
{
  static const struct {
    const char *args[4];
    int status;
    const char *message;
  } cases[] = {
    { { "--name", "张三3", "--id", "11010519491231002X" }, 1, "is a digit" },
    { { "--name", "张三", "--id", "110105194912310021" }, 1, "does not fit the others" },
    { { "--name", "张三", "--id", "11010519491231002X" }, 2, "-o" },
  };
  g_auto(Sandbox) box = { 0 };
  g_autofree char *pdf = NULL;
  g_autofree char *garbage = NULL;
  g_autofree char *template = NULL;

  sandbox_init (&box);
  pdf = g_build_filename (box.dir, "out.pdf", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CkTestRun) run = { 0 };

      if (cases[i].status == 1)
        RUN_CONFIG (&run, &box, "render", cases[i].args[0], cases[i].args[1],
                    cases[i].args[2], cases[i].args[3], "-o", pdf);
      else
        RUN_CONFIG (&run, &box, "render", cases[i].args[0], cases[i].args[1],
                    cases[i].args[2], cases[i].args[3]);
      g_assert_cmpint (run.status, ==, cases[i].status);
      ck_test_assert_contains (run.err, cases[i].message);
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }

  {
    g_auto(CkTestRun) run = { 0 };

    RUN_CONFIG (&run, &box, "render", "--name", "张三", "--id", "11010519491231002X",
                "--date", "2026-02-30", "-o", pdf);
    g_assert_cmpint (run.status, ==, 2);
    ck_test_assert_contains (run.err, "YYYY-MM-DD");
  }

  /* A file that is not a signature, and a template with a bad placeholder. */
  garbage = g_build_filename (box.dir, "garbage", NULL);
  sandbox_write (&box, garbage, "not a signature", 0600);
  {
    g_auto(CkTestRun) run = { 0 };

    RUN_CONFIG (&run, &box, "render", "--name", "张三", "--id", "11010519491231002X",
                "--signature", garbage, "-o", pdf);
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "garbage: ");
    ck_test_assert_contains (run.err, "not a stored signature");
  }

  template = g_build_filename (box.dir, "letter.txt", NULL);
  sandbox_write (&box, template, "# 甲\n{name}{id_number}{signature}{nmae}\n", 0644);
  {
    g_auto(CkTestRun) run = { 0 };

    RUN_CONFIG (&run, &box, "render", "--name", "张三", "--id", "11010519491231002X",
                "--template", template, "-o", pdf);
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "{nmae}");
  }
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* A signature that is only a dot is refused with the customer's message. */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autofree char *dot = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                  "dot", NULL);

    RUN_CONFIG (&run, &box, "render", "--name", "张三", "--id", "11010519491231002X",
                "--signature", dot, "-o", pdf);
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "Only a dot was drawn");
  }
}

/* --- the records commands: record, list, show, pdf, export, purge, check --- */

#define RUN_DATA(run, box, ...) \
  RUN_CONFIG (run, box, "--data-dir", (box)->data_dir, __VA_ARGS__)

#define FULL_ID   "11010519491231002X"
#define MASKED_ID "110105********002X"

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle))
    g_error ("“%s” contains “%s”", haystack, needle);
}

/* An organisation whose values need care in CSV, and an AppCode in the
 * environment, which no output may show. */
static void
records_sandbox_init (Sandbox *box)
{
  sandbox_init (box);
  sandbox_write (box, box->system,
                 "[organization]\nname = 示例银行股份有限\n"
                 "business = 个人贷款, \"快贷\"\n"
                 "purpose = =HYPERLINK(\"http://example.com\")\n"
                 "[kiosk]\nid = branch-042\n", 0644);
  sandbox_setenv (box, "CK_APPCODE=" APPCODE);
}

/* Records 张三's consent through consentctl record, not verified (that
 * is test-verify-cli's); returns its id. */
static char *
record_consent (Sandbox    *box,
                const char *operator_name)
{
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                      "hand", NULL);
  char *newline;

  RUN_DATA (&run, box, "record", "--name", "张三", "--id", FULL_ID, "--signature", signature,
            "--operator", operator_name, "--no-verify");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  /* The id, then a line saying how it will be verified. */
  newline = strchr (run.out, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\nNot verified yet (--no-verify): it waits in the queue of "
                                "“consentctl verify --pending”.\n");
  *newline = '\0';
  g_assert_true (g_uuid_string_is_valid (run.out));

  return g_steal_pointer (&run.out);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);

  return contents;
}

static void
assert_private_file (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Where the store keeps the consent's PDF, as `show --json` says. */
static char *
stored_pdf_path (Sandbox    *box,
                 const char *id)
{
  g_auto(CkTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  RUN_DATA (&run, box, "show", id, "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, MASKED_ID);
  g_assert_cmpstr (json_object_get_string_member (object, "name_method"), ==, "typed");
  g_assert_cmpstr (json_object_get_string_member (object, "id_method"), ==, "typed");

  return g_build_filename (box->data_dir, json_object_get_string_member (object, "pdf_path"), NULL);
}

/* Export reveals (they name no consent) by @operator_name in the event log. */
static guint
count_export_reveals (Sandbox    *box,
                      const char *operator_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint n = 0;

  store = ck_store_open (box->data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  events = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < events->len; i++)
    {
      const CkStoreEvent *e = events->pdata[i];

      if (g_str_equal (e->kind, "reveal") && e->consent_uuid == NULL &&
          g_strcmp0 (e->operator_name, operator_name) == 0 &&
          strstr (e->detail, "consentctl export"))
        n++;
    }

  return n;
}

static char *
local_date (int days_from_today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days_from_today);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_records (void)
{
  g_auto(Sandbox) box = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *today = local_date (0);
  g_autofree char *tomorrow = local_date (1);
  g_autofree char *stored_pdf = NULL;

  records_sandbox_init (&box);
  id = record_consent (&box, "柜员甲");

  /* list: the ID number masked, never whole. */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autofree char *line = g_strdup_printf ("%s  %s  " MASKED_ID "  branch-042  %-12s  张三\n", id,
                                             today, ck_verify_state_to_string (CK_VERIFY_STATE_UNVERIFIED));

    RUN_DATA (&run, &box, "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, line);
  }

  /* list --search: a name's beginning, or 4 or more last characters of
   * the ID number. */
  {
    static const struct {
      const char *search;
      gboolean found;
    } cases[] = {
      { "张", TRUE }, { "张三", TRUE }, { "002X", TRUE }, { "1231002X", TRUE },
      { "李", FALSE }, { "三", FALSE }, { "9999", FALSE }, { "002", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(CkTestRun) run = { 0 };

        RUN_DATA (&run, &box, "list", "--search", cases[i].search);
        g_assert_cmpint (run.status, ==, 0);
        if (cases[i].found)
          ck_test_assert_contains (run.out, id);
        else
          g_assert_cmpstr (run.out, ==, "");
        assert_lacks (run.out, FULL_ID);
      }
  }

  /* list --json */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *array;
    JsonObject *object;

    RUN_DATA (&run, &box, "list", "--json");
    g_assert_cmpint (run.status, ==, 0);
    assert_lacks (run.out, FULL_ID);
    root = parse_json (run.out);
    array = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    object = json_array_get_object_element (array, 0);
    g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (object, "sign_date"), ==, today);
    g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "张三");
    g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, MASKED_ID);
    g_assert_cmpstr (json_object_get_string_member (object, "kiosk_id"), ==, "branch-042");
    g_assert_cmpstr (json_object_get_string_member (object, "operator"), ==, "柜员甲");
    g_assert_false (json_object_get_boolean_member (object, "demo"));
    /* `record` takes what was typed on its command line (issue 18). */
    g_assert_cmpstr (json_object_get_string_member (object, "name_method"), ==, "typed");
    g_assert_cmpstr (json_object_get_string_member (object, "id_method"), ==, "typed");
    object = json_object_get_object_member (object, "verification");
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==,
                     ck_verify_state_to_string (CK_VERIFY_STATE_UNVERIFIED));
    g_assert_true (json_object_get_null_member (object, "outcome"));
  }

  /* show: masked; --unmask shows the number and is logged. */
  {
    g_auto(CkTestRun) masked = { 0 };
    g_auto(CkTestRun) unmasked = { 0 };
    g_auto(CkTestRun) after = { 0 };

    RUN_DATA (&masked, &box, "show", id);
    g_assert_cmpint (masked.status, ==, 0);
    ck_test_assert_contains (masked.out, MASKED_ID);
    assert_lacks (masked.out, FULL_ID);
    ck_test_assert_contains (masked.out, "张三");
    ck_test_assert_contains (masked.out, "个人贷款, \"快贷\"");
    ck_test_assert_contains (masked.out, "Name entered by:");
    ck_test_assert_contains (masked.out, "ID number entered by:");
    ck_test_assert_contains (masked.out, "Typed on a keyboard\n");
    assert_lacks (masked.out, "Not recorded");
    assert_lacks (masked.out, "Event:");

    RUN_DATA (&unmasked, &box, "show", id, "--unmask", "--operator", "审计员乙");
    g_assert_cmpint (unmasked.status, ==, 0);
    g_assert_cmpstr (unmasked.err, ==, "");
    ck_test_assert_contains (unmasked.out, FULL_ID);

    RUN_DATA (&after, &box, "show", id);
    g_assert_cmpint (after.status, ==, 0);
    assert_lacks (after.out, FULL_ID);
    ck_test_assert_contains (after.out, " reveal by 审计员乙\n");
  }

  /* pdf: the stored bytes, 0600, replacing what was there. */
  stored_pdf = stored_pdf_path (&box, id);
  {
    g_auto(CkTestRun) run = { 0 };
    g_autofree char *copy = g_build_filename (box.dir, "copy.pdf", NULL);
    g_autofree char *copied = NULL;
    g_autofree char *stored = NULL;
    gsize copied_len, stored_len;

    sandbox_write (&box, copy, "an older file", 0644);
    RUN_DATA (&run, &box, "pdf", id, "-o", copy);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    assert_private_file (copy);
    copied = read_file (copy, &copied_len);
    stored = read_file (stored_pdf, &stored_len);
    g_assert_true (g_str_has_prefix (copied, "%PDF-"));
    g_assert_cmpmem (copied, copied_len, stored, stored_len);
  }

  /* export: masked by default, CSV quoted and defused. */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autofree char *path = g_build_filename (box.dir, "export.csv", NULL);
    g_autofree char *csv = NULL;
    g_autofree char *row_start = g_strdup_printf ("\r\n\"%s\",\"", id);

    RUN_DATA (&run, &box, "export", "--format", "csv", "-o", path);
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.err, "Exported 1 consent to ");
    assert_private_file (path);
    csv = read_file (path, NULL);
    g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "id,created_at,sign_date,name,id_number,"));
    ck_test_assert_contains (csv, ",template_sha256,pdf_sha256,name_method,id_method,state\r\n");
    ck_test_assert_contains (csv, ",\"typed\",\"typed\",\"unverified\"\r\n");
    ck_test_assert_contains (csv, row_start);
    ck_test_assert_contains (csv, ",\"张三\",\"" MASKED_ID "\",\"示例银行股份有限\",");
    ck_test_assert_contains (csv, ",\"个人贷款, \"\"快贷\"\"\",");
    ck_test_assert_contains (csv, ",\"'=HYPERLINK(\"\"http://example.com\"\")\",");
    ck_test_assert_contains (csv, ",\"柜员甲\",");
    g_assert_true (g_str_has_suffix (csv, "\"\r\n"));
    assert_lacks (csv, FULL_ID);
    assert_lacks (csv, "0123456789abcdef");
  }
  {
    g_auto(CkTestRun) run = { 0 };
    g_autofree char *path = g_build_filename (box.dir, "export.json", NULL);
    g_autofree char *json = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonObject *object;

    RUN_DATA (&run, &box, "export", "--format", "json", "-o", path);
    g_assert_cmpint (run.status, ==, 0);
    assert_private_file (path);
    json = read_file (path, NULL);
    assert_lacks (json, FULL_ID);
    assert_lacks (json, "0123456789abcdef");
    root = parse_json (json);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
    object = json_array_get_object_element (json_node_get_array (root), 0);
    g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, MASKED_ID);
    g_assert_cmpstr (json_object_get_string_member (object, "name_method"), ==, "typed");
    g_assert_cmpstr (json_object_get_string_member (object, "id_method"), ==, "typed");
    /* JSON carries the values as they are. */
    g_assert_cmpstr (json_object_get_string_member (object, "business"), ==, "个人贷款, \"快贷\"");
    g_assert_cmpstr (json_object_get_string_member (object, "purpose"), ==,
                     "=HYPERLINK(\"http://example.com\")");
    g_assert_cmpstr (json_object_get_string_member (object, "pdf_sha256"), !=, NULL);
  }
  g_assert_cmpuint (count_export_reveals (&box, "审计员乙"), ==, 0);

  /* export --unmask: whole numbers, and an event. */
  {
    g_auto(CkTestRun) csv_run = { 0 };
    g_auto(CkTestRun) json_run = { 0 };
    g_autofree char *csv_path = g_build_filename (box.dir, "unmasked.csv", NULL);
    g_autofree char *json_path = g_build_filename (box.dir, "unmasked.json", NULL);
    g_autofree char *csv = NULL;
    g_autofree char *json = NULL;

    RUN_DATA (&csv_run, &box, "export", "--format", "csv", "--unmask", "--operator", "审计员乙",
              "-o", csv_path);
    g_assert_cmpint (csv_run.status, ==, 0);
    csv = read_file (csv_path, NULL);
    ck_test_assert_contains (csv, ",\"" FULL_ID "\",");
    assert_lacks (csv, MASKED_ID);
    g_assert_cmpuint (count_export_reveals (&box, "审计员乙"), ==, 1);

    RUN_DATA (&json_run, &box, "export", "--format", "json", "--unmask", "-o", json_path);
    g_assert_cmpint (json_run.status, ==, 0);
    json = read_file (json_path, NULL);
    ck_test_assert_contains (json, "\"" FULL_ID "\"");
    g_assert_cmpuint (count_export_reveals (&box, NULL), ==, 1);
  }

  /* check; purge (nothing is signed before today); check; list. */
  {
    g_auto(CkTestRun) check = { 0 };
    g_auto(CkTestRun) purge_none = { 0 };
    g_auto(CkTestRun) purge = { 0 };
    g_auto(CkTestRun) check_after = { 0 };
    g_auto(CkTestRun) list = { 0 };
    g_auto(CkTestRun) show = { 0 };
    g_autofree char *purged = g_strdup_printf ("Purged 1 consent signed before %s.\n", tomorrow);

    RUN_DATA (&check, &box, "check");
    g_assert_cmpint (check.status, ==, 0);
    g_assert_cmpstr (check.out, ==, "1 consent checked: intact.\n");
    g_assert_cmpstr (check.err, ==, "");

    RUN_DATA (&purge_none, &box, "purge", "--before", today, "--operator", "管理员");
    g_assert_cmpint (purge_none.status, ==, 0);
    ck_test_assert_contains (purge_none.out, "Purged 0 consents");

    RUN_DATA (&purge, &box, "purge", "--before", tomorrow, "--operator", "管理员");
    g_assert_cmpint (purge.status, ==, 0);
    g_assert_cmpstr (purge.out, ==, purged);
    g_assert_false (g_file_test (stored_pdf, G_FILE_TEST_EXISTS));

    RUN_DATA (&check_after, &box, "check");
    g_assert_cmpint (check_after.status, ==, 0);
    g_assert_cmpstr (check_after.out, ==, "0 consents checked: all intact.\n");

    RUN_DATA (&list, &box, "list");
    g_assert_cmpint (list.status, ==, 0);
    g_assert_cmpstr (list.out, ==, "");

    RUN_DATA (&show, &box, "show", id);
    g_assert_cmpint (show.status, ==, 1);
    ck_test_assert_contains (show.err, id);
  }
}

/* A PDF changed after signing: check names the consent and fails, and
 * pdf refuses to copy it out. */
static void
test_records_tampered (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) check = { 0 };
  g_auto(CkTestRun) pdf = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  records_sandbox_init (&box);
  id = record_consent (&box, "柜员甲");
  path = stored_pdf_path (&box, id);

  contents = read_file (path, &len);
  contents[len / 2] ^= 0x01;
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);

  RUN_DATA (&check, &box, "check");
  g_assert_cmpint (check.status, ==, 1);
  ck_test_assert_contains (check.out, id);
  ck_test_assert_contains (check.err, "1 problem found.");

  copy = g_build_filename (box.dir, "copy.pdf", NULL);
  RUN_DATA (&pdf, &box, "pdf", id, "-o", copy);
  g_assert_cmpint (pdf.status, ==, 1);
  ck_test_assert_contains (pdf.err, id);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
}

/* Every field a spreadsheet would run is defused. */
static void
test_records_csv_guard (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;

  sandbox_init (&box);
  sandbox_write (&box, box.system,
                 "[organization]\nname = @示例银行\nbusiness = +个人贷款\npurpose = -身份核验\n", 0644);
  id = record_consent (&box, "=1+2");

  path = g_build_filename (box.dir, "export.csv", NULL);
  RUN_DATA (&run, &box, "export", "--format", "csv", "-o", path);
  g_assert_cmpint (run.status, ==, 0);
  csv = read_file (path, NULL);
  ck_test_assert_contains (csv, ",\"'@示例银行\",\"'+个人贷款\",\"'-身份核验\",");
  ck_test_assert_contains (csv, ",\"'=1+2\",");
}

/* No consent is stored while the organisation, its business or the
 * purpose is not configured: a configuration fault (exit 6) naming the
 * key, and nothing written. render still previews the blank. */
static void
test_records_no_organization (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) preview = { 0 };
  g_autofree char *signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                      "hand", NULL);
  g_autofree char *pdf = NULL;

  sandbox_init (&box);
  sandbox_write (&box, box.system,
                 "[organization]\nname = 示例银行股份有限\nbusiness = 个人贷款\n"
                 "[kiosk]\nid = branch-042\n", 0644);

  RUN_DATA (&run, &box, "record", "--name", "张三", "--id", FULL_ID, "--signature", signature,
            "--no-verify");
  g_assert_cmpint (run.status, ==, 6);
  g_assert_cmpstr (run.out, ==, "");
  ck_test_assert_contains (run.err, "[organization] purpose is not set");
  g_assert_false (g_file_test (box.data_dir, G_FILE_TEST_EXISTS));

  pdf = g_build_filename (box.dir, "preview.pdf", NULL);
  RUN_DATA (&preview, &box, "render", "--name", "张三", "--id", FULL_ID, "-o", pdf);
  g_assert_cmpint (preview.status, ==, 0);
  ck_test_assert_contains (preview.err, "{purpose}");
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
}

static void
test_records_invalid (void)
{
  g_auto(Sandbox) box = { 0 };
  g_autofree char *signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                      "hand", NULL);
  g_autofree char *dot = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                "dot", NULL);
  g_autofree char *id = NULL;
  static const struct {
    const char *name;
    const char *id_number;
    gboolean dot;
    const char *message;
  } refused[] = {
    { "张三", "110105194912310021", FALSE, "The last character of the ID number does not fit the others" },
    { "张三", "1101051949123100", FALSE, "this one has 16" },
    { "张三3", FULL_ID, FALSE, "Character 3 of the name, “3”, is a digit" },
    { "张三", FULL_ID, TRUE, "Only a dot was drawn" },
  };

  records_sandbox_init (&box);

  /* Refused input changes nothing: not even the data directory appears. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
        {
          g_auto(CkTestRun) run = { 0 };

          RUN_DATA (&run, &box, "record", "--name", refused[i].name, "--id", refused[i].id_number,
                    "--signature", refused[i].dot ? dot : signature);
          g_assert_cmpint (run.status, ==, 1);
          g_assert_cmpstr (run.out, ==, "");
          ck_test_assert_contains (run.err, refused[i].message);
          if (round == 0)
            g_assert_false (g_file_test (box.data_dir, G_FILE_TEST_EXISTS));
        }

      /* With a consent stored, it stays the only one. */
      if (round == 0)
        id = record_consent (&box, "柜员甲");
      else
        {
          g_auto(CkTestRun) list = { 0 };

          RUN_DATA (&list, &box, "list");
          g_assert_cmpint (list.status, ==, 0);
          g_assert_true (g_str_has_prefix (list.out, id));
          g_assert_cmpstr (strchr (list.out, '\n'), ==, "\n");   /* one line */
        }
    }

  /* In Chinese too. */
  {
    g_auto(CkTestRun) run = { 0 };

    run_config (&run, &box, "zh_CN",
                (const char * const[]) { "--data-dir", box.data_dir, "record", "--name", "张三",
                                         "--id", "110105194912310021", "--signature", signature,
                                         NULL });
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "身份证号码的校验码");
  }

  /* Command lines that are wrong: 2, with a word on what is missing. */
  {
    static const struct {
      const char *args[6];
      const char *message;
    } usage[] = {
      { { "record", "--name", "张三", "--id", FULL_ID }, "--signature" },
      { { "record", "--id", FULL_ID }, "--name" },
      { { "list", "--since", "2026-13-01" }, "2026-13-01" },
      { { "list", "--until", "2026-02-30" }, "YYYY-MM-DD" },
      { { "list", "--since", "2026- 9-01" }, "YYYY-MM-DD" },
      { { "list", "--since", "+026-09-01" }, "YYYY-MM-DD" },
      { { "list", "--limit=-1" }, "--limit" },
      { { "list", "extra" }, "extra" },
      { { "show" }, "consent id" },
      { { "pdf", "00000000-0000-4000-8000-000000000000" }, "-o" },
      { { "export", "--format", "csv" }, "-o" },
      { { "export", "--format", "xml", "-o", "x" }, "--format" },
      { { "purge" }, "--before" },
      { { "purge", "--before", "2026- 9-01" }, "--before" },
      { { "check", "extra" }, "extra" },
      { { "verify" }, "a consent id, or --pending" },
      { { "verify", "--pending", "extra" }, "extra" },
      { { "verify", "--all", "00000000-0000-4000-8000-000000000000" }, "--all goes with --pending" },
      { { "verify", "--again", "--pending" }, "--again" },
      { { "verify", "--no-such-option", "x" }, "--no-such-option" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
      {
        g_auto(CkTestRun) run = { 0 };
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();

        g_ptr_array_add (argv, (gpointer)"--data-dir");
        g_ptr_array_add (argv, box.data_dir);
        for (guint a = 0; a < G_N_ELEMENTS (usage[i].args) && usage[i].args[a]; a++)
          g_ptr_array_add (argv, (gpointer)usage[i].args[a]);
        g_ptr_array_add (argv, NULL);

        run_config (&run, &box, "en", (const char * const *)argv->pdata);
        if (run.status != 2)
          g_error ("%s: exit %d, “%s”", usage[i].args[0], run.status, run.err);
        g_assert_cmpstr (run.out, ==, "");
        ck_test_assert_contains (run.err, usage[i].message);
      }
  }

  /* Still there, still intact. */
  {
    g_auto(CkTestRun) check = { 0 };

    RUN_DATA (&check, &box, "check");
    g_assert_cmpint (check.status, ==, 0);
    g_assert_cmpstr (check.out, ==, "1 consent checked: intact.\n");
  }

  /* An unknown consent. */
  {
    g_auto(CkTestRun) show = { 0 };
    g_auto(CkTestRun) pdf = { 0 };
    g_autofree char *copy = g_build_filename (box.dir, "copy.pdf", NULL);

    RUN_DATA (&show, &box, "show", "00000000-0000-4000-8000-000000000000");
    g_assert_cmpint (show.status, ==, 1);
    ck_test_assert_contains (show.err, "No consent with the id 00000000-0000-4000-8000-000000000000");

    RUN_DATA (&pdf, &box, "pdf", "00000000-0000-4000-8000-000000000000", "-o", copy);
    g_assert_cmpint (pdf.status, ==, 1);
    g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  }

  /* A data directory that cannot be: under a regular file. */
  {
    g_auto(CkTestRun) record = { 0 };
    g_auto(CkTestRun) list = { 0 };
    g_autofree char *plain = g_build_filename (box.dir, "plain", NULL);
    g_autofree char *under = g_build_filename (plain, "store", NULL);

    sandbox_write (&box, plain, "a regular file", 0600);
    RUN_CONFIG (&record, &box, "--data-dir", under, "record", "--name", "张三", "--id", FULL_ID,
                "--signature", signature);
    g_assert_cmpint (record.status, ==, 1);
    g_assert_cmpstr (record.out, ==, "");
    ck_test_assert_contains (record.err, under);
    ck_test_assert_contains (record.err, "Not a directory");

    RUN_CONFIG (&list, &box, "--data-dir", under, "list");
    g_assert_cmpint (list.status, ==, 1);
    ck_test_assert_contains (list.err, under);
  }
}

/* Runs `consentctl pin-hash` with @iterations (NULL: the default) and
 * @input on standard input; returns its exit status. */
static int
run_pin_hash (const char  *iterations,
              const char  *input,
              char       **out,
              char       **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("CK_CONSENTCTL"), "pin-hash",
                              iterations ? "--iterations" : NULL, iterations, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

/* pin-hash reads the PIN from standard input and prints a hash that
 * verifies it and that the configuration accepts. */
static void
test_pin_hash (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *bad_out = NULL;
  g_autofree char *bad_err = NULL;

  g_assert_cmpint (run_pin_hash ("1000", "24681357\n", &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "pbkdf2-sha256$1000$"));
  g_assert_null (strstr (out, "24681357"));
  g_strchomp (out);
  g_assert_true (ck_pin_check_hash (out, NULL));
  g_assert_true (ck_pin_verify (out, "24681357"));

  /* Without --iterations: today's count, 600,000. */
  {
    g_autofree char *made = NULL;
    g_autofree char *made_err = NULL;

    g_assert_cmpint (run_pin_hash (NULL, "24681357\n", &made, &made_err), ==, 0);
    g_assert_true (g_str_has_prefix (made, "pbkdf2-sha256$600000$"));
  }

  g_assert_cmpint (run_pin_hash (NULL, "1234\n", &bad_out, &bad_err), ==, 1);
  g_assert_cmpstr (bad_out, ==, "");
  g_assert_nonnull (strstr (bad_err, "6 to 16 digits"));
}

/* list shows the newest 100 unless --limit says otherwise, and says on
 * standard error when more match; --limit 0 shows them all. */
static void
test_records_list_limit (void)
{
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) all = { 0 };
  g_auto(CkTestRun) two = { 0 };
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSignature) signature = ck_sample_signature_new (60);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7 stand-in\n", 18);
  g_autoptr(GError) error = NULL;
  g_autofree char *newest = NULL;
  g_auto(GStrv) lines = NULL;

  records_sandbox_init (&box);
  store = ck_store_open (box.data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 101; i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();

      r->uuid = g_uuid_string_random ();
      r->created_at = g_strdup ("2026-11-28T01:30:00.000000Z");
      r->name = g_strdup (i % 2 ? "张三" : "李四");
      r->id_number = g_strdup (FULL_ID);
      r->sign_date = g_strdup ("2026-11-28");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
      r->signature = ck_signature_serialize (signature);
      r->kiosk_id = g_strdup ("branch-042");
      g_assert_true (ck_store_save (store, r, pdf, &error));
      g_assert_no_error (error);
      g_free (newest);
      newest = g_strdup (r->uuid);
    }
  g_clear_object (&store);

  RUN_DATA (&run, &box, "list");
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 100 + 1);   /* and the empty one after the last */
  g_assert_true (g_str_has_prefix (lines[0], newest));
  ck_test_assert_contains (run.err, "More consents match; these are the newest 100. --limit 0 lists them all.");

  RUN_DATA (&all, &box, "list", "--limit", "0");
  g_assert_cmpint (all.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (all.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 101 + 1);
  g_assert_cmpstr (all.err, ==, "");

  /* A search: 50 of the 101 are 张三's. */
  RUN_DATA (&two, &box, "list", "--search", "张", "--limit", "40");
  g_assert_cmpint (two.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (two.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 40 + 1);
  ck_test_assert_contains (two.err, "these are the newest 40");
  g_assert_null (strstr (two.out, "李四"));
  ck_test_run_clear (&two);
  RUN_DATA (&two, &box, "list", "--search", "张", "--limit", "50");
  g_assert_cmpint (two.status, ==, 0);
  g_assert_cmpstr (two.err, ==, "");
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
  g_test_add_func ("/consentctl/config/defaults", test_config_defaults);
  g_test_add_func ("/consentctl/config/layers", test_config_layers);
  g_test_add_func ("/consentctl/config/check", test_config_check);
  g_test_add_func ("/consentctl/config/appcode", test_config_appcode);
  g_test_add_func ("/consentctl/config/pin-hash", test_config_pin_hash);
  g_test_add_func ("/consentctl/config/central", test_config_central);
  g_test_add_func ("/consentctl/config/missing", test_config_missing);
  g_test_add_func ("/consentctl/config/translated", test_config_translated);
  g_test_add_func ("/consentctl/render", test_render);
  g_test_add_func ("/consentctl/render/invalid", test_render_invalid);
  g_test_add_func ("/consentctl/records", test_records);
  g_test_add_func ("/consentctl/records/tampered", test_records_tampered);
  g_test_add_func ("/consentctl/records/csv-guard", test_records_csv_guard);
  g_test_add_func ("/consentctl/records/invalid", test_records_invalid);
  g_test_add_func ("/consentctl/records/no-organization", test_records_no_organization);
  g_test_add_func ("/consentctl/records/list-limit", test_records_list_limit);
  g_test_add_func ("/consentctl/pin-hash", test_pin_hash);

  return g_test_run ();
}
