/* test-sealing.c: sealed consents through consentctl, end to end
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 15 as IT and an auditor meet it, through consentctl only: the same
 * CkFlow the kiosk runs stores each consent sealed (PAdES) with a trusted
 * time from the in-process TSA (tests/ck-test-tsa.h); the signing record
 * says so; `verify-pdf` proves the copied-out PDF with nothing but the CA
 * files, and pdfsig agrees. When the TSA fails or the key cannot be used,
 * the consent is stored all the same and `seal` shows what waits; `seal
 * --run` finishes it once they are back, and `seal --anchor` anchors the
 * chain. `check` is clean throughout, a purge is sealed, and a consent's
 * PDF edited on disk is caught by check and by verify-pdf. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ck-test-tsa.h"
#include "ck-test-util.h"

#define FULL_ID "11010519491231002X"

static char *pki;
static CkTestTsa *tsa;

typedef struct
{
  char *dir;
  char *data_dir;
  char *conf;
  GPtrArray *env;
} Sandbox;

static void
sandbox_clear (Sandbox *box)
{
  if (box->dir)
    ck_test_rm_rf (box->dir);
  g_free (box->dir);
  g_free (box->data_dir);
  g_free (box->conf);
  g_clear_pointer (&box->env, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sandbox, sandbox_clear)

/* The kiosk's configuration, its [signing] with @password_file: the right
 * one, or one that cannot open the PKCS#12 file (the token is "away"). */
static void
write_conf (Sandbox    *box,
            const char *password_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;

  conf = g_strdup_printf ("[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n"
                          "purpose = 身份核验\n"
                          "[kiosk]\nid = branch-042-kiosk-1\ndata_dir = %1$s\n"
                          "[verification]\nprovider = none\n"
                          "[signing]\nkey = %2$s/seal.p12\nkey_password_file = %3$s\n"
                          "chain = %2$s/intermediate.pem\nca_file = %2$s/root.pem\n"
                          "tsa_url = %4$s\ntsa_ca_file = %2$s/tsa-root.pem\ntsa_timeout_s = 5\n",
                          box->data_dir, pki, password_file, ck_test_tsa_get_url (tsa));
  g_file_set_contents (box->conf, conf, -1, &error);
  g_assert_no_error (error);
}

static void
sandbox_init (Sandbox    *box,
              const char *password_file)
{
  g_autoptr(GError) error = NULL;

  box->dir = g_dir_make_tmp ("ck-sealing-XXXXXX", &error);
  g_assert_no_error (error);
  box->data_dir = g_build_filename (box->dir, "data", NULL);
  box->conf = g_build_filename (box->dir, "kiosk.conf", NULL);
  write_conf (box, password_file);
  box->env = ck_test_consentctl_env (box->dir, "");
}

static void
run (CkTestRun  *result,
     Sandbox    *box,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer)"--config");
  g_ptr_array_add (argv, box->conf);
  va_start (args, box);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  ck_test_run_consentctl (result, (const char * const *)box->env->pdata, (const char * const *)argv->pdata);
}

#define RUN(result, box, ...) run (result, box, __VA_ARGS__, NULL)

/* Records a consent; returns its id (the first line consentctl prints). */
static char *
record (Sandbox    *box,
        const char *name)
{
  g_autofree char *signature = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature", "hand",
                                                      NULL);
  g_auto(CkTestRun) result = { 0 };

  RUN (&result, box, "record", "--name", name, "--id", FULL_ID, "--signature", signature, "--no-verify");
  if (result.status != 0)
    g_error ("record failed (%d): %s", result.status, result.err);
  {
    char *uuid = g_strndup (result.out, 36);

    g_assert_true (g_uuid_string_is_valid (uuid));
    return uuid;
  }
}

/* Copies a consent's PDF out, as staff hand it to an auditor. */
static char *
copy_out (Sandbox    *box,
          const char *uuid)
{
  g_autofree char *name = g_strconcat (uuid, ".pdf", NULL);
  char *path = g_build_filename (box->dir, name, NULL);
  g_auto(CkTestRun) result = { 0 };

  RUN (&result, box, "pdf", uuid, "-o", path);
  g_assert_cmpint (result.status, ==, 0);
  return path;
}

static void
verify_pdf (CkTestRun  *result,
            Sandbox    *box,
            const char *path)
{
  g_autofree char *ca = g_build_filename (pki, "root.pem", NULL);
  g_autofree char *tsa_ca = g_build_filename (pki, "tsa-root.pem", NULL);
  const char *argv[] = { "verify-pdf", path, "--ca", ca, "--tsa-ca", tsa_ca, NULL };

  /* No --config: another machine has only the file and the CAs. */
  ck_test_run_consentctl (result, (const char * const *)box->env->pdata, argv);
}

static void
assert_check_clean (Sandbox *box)
{
  g_auto(CkTestRun) result = { 0 };

  RUN (&result, box, "check", "--quiet");
  if (result.status != 0)
    g_error ("check failed (%d):\n%s%s", result.status, result.out, result.err);
}

/* The TSA answers: the consent is sealed and timestamped at once (B-T),
 * and proves itself with nothing but the file and the CA files. */
static void
test_sealed_at_save (void)
{
  g_autofree char *pass = g_build_filename (pki, "seal.pass", NULL);
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) verified = { 0 };
  g_auto(CkTestRun) status = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *nssdb = NULL;
  g_autofree char *pdfsig = NULL;
  g_autofree char *text = NULL;

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  sandbox_init (&box, pass);
  uuid = record (&box, "张三");
  path = copy_out (&box, uuid);

  verify_pdf (&verified, &box, path);
  if (verified.status != 0)
    g_error ("verify-pdf failed (%d):\n%s%s", verified.status, verified.out, verified.err);
  ck_test_assert_contains (verified.out, uuid);
  ck_test_assert_contains (verified.out, "张三");
  ck_test_assert_contains (verified.out, "示例银行");
  ck_test_assert_contains (verified.out, "Test Time Stamping Authority");

  /* An independent reader: NSS, through pdfsig (its text, never its exit). */
  nssdb = g_build_filename (pki, "nssdb", NULL);
  {
    g_autofree char *arg = g_strconcat ("sql:", nssdb, NULL);

    pdfsig = ck_test_run_tool ((const char * const[]) { "pdfsig", "-nssdir", arg, path, NULL });
  }
  ck_test_assert_contains (pdfsig, "Signature is Valid");
  ck_test_assert_contains (pdfsig, "Total document signed");
  ck_test_assert_contains (pdfsig, "ETSI.CAdES.detached");

  /* The page says so. */
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  ck_test_assert_contains (text, "本文件已加盖电子签章");

  RUN (&status, &box, "seal");
  g_assert_cmpint (status.status, ==, 0);
  ck_test_assert_contains (status.out, "0 to seal, 0 to timestamp");
  assert_check_clean (&box);
}

/* The TSA fails in each way it can: the consent is stored sealed without a
 * time and a job waits; once the TSA is good, `seal --run` appends a
 * document timestamp, and the PDF then proves its time too. */
static void
test_tsa_away (void)
{
  static const CkTestTsaMode modes[] = {
    CK_TEST_TSA_HTTP_500, CK_TEST_TSA_GARBAGE, CK_TEST_TSA_WRONG_NONCE, CK_TEST_TSA_WRONG_IMPRINT,
    CK_TEST_TSA_UNTRUSTED, CK_TEST_TSA_REJECTION,
  };
  g_autofree char *pass = g_build_filename (pki, "seal.pass", NULL);
  g_auto(Sandbox) box = { 0 };
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_auto(CkTestRun) status = { 0 };
  g_auto(CkTestRun) ran = { 0 };
  g_autofree char *waiting = NULL;

  sandbox_init (&box, pass);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_auto(CkTestRun) verified = { 0 };
      g_autofree char *path = NULL;
      char *uuid;

      ck_test_tsa_set_mode (tsa, modes[i]);
      uuid = record (&box, "李四");
      g_ptr_array_add (uuids, uuid);

      /* Sealed, valid, but no trusted time yet. */
      path = copy_out (&box, uuid);
      verify_pdf (&verified, &box, path);
      g_test_message ("TSA mode %u: verify-pdf says\n%s", modes[i], verified.out);
      g_assert_cmpint (verified.status, ==, 0);
      ck_test_assert_contains (verified.out, "李四");
    }

  RUN (&status, &box, "seal");
  g_assert_cmpint (status.status, ==, 0);
  waiting = g_strdup_printf ("0 to seal, %u to timestamp", (guint)G_N_ELEMENTS (modes));
  ck_test_assert_contains (status.out, waiting);
  assert_check_clean (&box);

  /* Still away: the jobs stay, the exit says so. */
  {
    g_auto(CkTestRun) failed = { 0 };

    ck_test_tsa_set_mode (tsa, CK_TEST_TSA_HTTP_500);
    RUN (&failed, &box, "seal", "--run");
    g_assert_cmpint (failed.status, ==, 1);
    ck_test_assert_contains (failed.out, "timestamped: 0");
  }

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  RUN (&ran, &box, "seal", "--run");
  g_assert_cmpint (ran.status, ==, 0);
  {
    g_autofree char *done = g_strdup_printf ("timestamped: %u, failed: 0", (guint)G_N_ELEMENTS (modes));

    ck_test_assert_contains (ran.out, done);
  }

  for (guint i = 0; i < uuids->len; i++)
    {
      g_auto(CkTestRun) verified = { 0 };
      g_autofree char *path = copy_out (&box, uuids->pdata[i]);

      verify_pdf (&verified, &box, path);
      g_assert_cmpint (verified.status, ==, 0);
      ck_test_assert_contains (verified.out, "Test Time Stamping Authority");
    }
  assert_check_clean (&box);
}

/* The key cannot be used (a token unplugged; here a wrong password): the
 * consent is stored unsealed all the same, and sealed once it can be. */
static void
test_key_away (void)
{
  g_autofree char *pass = g_build_filename (pki, "seal.pass", NULL);
  g_autofree char *wrong = NULL;
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) status = { 0 };
  g_auto(CkTestRun) ran = { 0 };
  g_auto(CkTestRun) before = { 0 };
  g_auto(CkTestRun) after = { 0 };
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  sandbox_init (&box, pass);
  wrong = g_build_filename (box.dir, "wrong.pass", NULL);
  g_file_set_contents (wrong, "not the password\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (wrong, 0600), ==, 0);
  write_conf (&box, wrong);

  uuid = record (&box, "王五");
  path = copy_out (&box, uuid);
  verify_pdf (&before, &box, path);
  g_assert_cmpint (before.status, ==, 11);   /* not signed */

  RUN (&status, &box, "seal");
  ck_test_assert_contains (status.out, "1 to seal, 0 to timestamp");

  write_conf (&box, pass);
  RUN (&ran, &box, "seal", "--run");
  g_assert_cmpint (ran.status, ==, 0);
  ck_test_assert_contains (ran.out, "Sealed: 1");

  g_free (path);
  path = copy_out (&box, uuid);
  verify_pdf (&after, &box, path);
  if (after.status != 0)
    g_error ("verify-pdf failed (%d):\n%s%s", after.status, after.out, after.err);
  assert_check_clean (&box);
}

/* The chain is anchored on request; a purge is sealed and check stays
 * clean; a PDF edited on disk is caught by check and verify-pdf. */
static void
test_anchor_purge_tamper (void)
{
  g_autofree char *pass = g_build_filename (pki, "seal.pass", NULL);
  g_auto(Sandbox) box = { 0 };
  g_auto(CkTestRun) anchored = { 0 };
  g_auto(CkTestRun) again = { 0 };
  g_auto(CkTestRun) status = { 0 };
  g_auto(CkTestRun) purged = { 0 };
  g_auto(CkTestRun) checked = { 0 };
  g_auto(CkTestRun) verified = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  sandbox_init (&box, pass);
  first = record (&box, "赵六");
  second = record (&box, "钱七");

  RUN (&anchored, &box, "seal", "--anchor");
  g_assert_cmpint (anchored.status, ==, 0);
  ck_test_assert_contains (anchored.out, "Anchored the chain at link 2");
  RUN (&again, &box, "seal", "--anchor");
  ck_test_assert_contains (again.out, "already anchored");
  RUN (&status, &box, "seal");
  ck_test_assert_contains (status.out, "link 2 at ");
  assert_check_clean (&box);

  /* Every consent is from today: purging before tomorrow takes both, and
   * the purge is sealed, so the anchor's links may go. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autofree char *date = g_date_time_format (tomorrow, "%Y-%m-%d");

    RUN (&purged, &box, "purge", "--before", date, "--operator", "审计员");
    g_assert_cmpint (purged.status, ==, 0);
    ck_test_assert_contains (purged.out, "Purged 2 consents");
    assert_check_clean (&box);
  }

  /* A new consent, anchored, then its PDF edited in its signed range. */
  g_free (first);
  first = record (&box, "孙八");
  stored = copy_out (&box, first);
  {
    g_autofree char *pdf_dir = g_build_filename (box.data_dir, "pdf", NULL);
    g_autofree char *name = g_strconcat (first, ".pdf", NULL);
    g_autofree char *cmd = g_strdup_printf ("find '%s' -name '%s'", pdf_dir, name);
    g_autofree char *found = NULL;

    g_spawn_command_line_sync (cmd, &found, NULL, NULL, &error);
    g_assert_no_error (error);
    g_strstrip (found);
    g_assert_true (g_file_get_contents (found, &contents, &length, &error));
    /* The Producer, in the original revision's Info dictionary. */
    {
      char *at = g_strstr_len (contents, length, "/Producer");

      g_assert_nonnull (at);
      at[2] ^= 0x01;
    }
    g_assert_cmpint (g_chmod (found, 0644), ==, 0);
    g_assert_true (g_file_set_contents (found, contents, length, &error));
  }
  RUN (&checked, &box, "check", "--quiet");
  g_assert_cmpint (checked.status, ==, 1);
  ck_test_assert_contains (checked.out, first);

  /* The copy made before the edit still proves itself; a copy of the
   * edited file does not. */
  verify_pdf (&verified, &box, stored);
  g_assert_cmpint (verified.status, ==, 0);
  {
    g_auto(CkTestRun) edited = { 0 };
    g_autofree char *copy = g_build_filename (box.dir, "edited.pdf", NULL);

    g_assert_true (g_file_set_contents (copy, contents, length, &error));
    verify_pdf (&edited, &box, copy);
    g_assert_cmpint (edited.status, !=, 0);
    g_assert_cmpint (edited.status, !=, 11);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  pki = g_dir_make_tmp ("ck-sealing-pki-XXXXXX", &error);
  g_assert_no_error (error);
  ck_test_make_pki (pki, "--nss");
  tsa = ck_test_tsa_start (pki);

  g_test_add_func ("/sealing/at-save", test_sealed_at_save);
  g_test_add_func ("/sealing/tsa-away", test_tsa_away);
  g_test_add_func ("/sealing/key-away", test_key_away);
  g_test_add_func ("/sealing/anchor-purge-tamper", test_anchor_purge_tamper);

  status = g_test_run ();

  ck_test_tsa_stop (tsa);
  ck_test_rm_rf (pki);
  g_free (pki);
  return status;
}
