/* test-seal-store.c: sealed consents in the store, with the real seal
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 15 end to end in the store, with a PKI made at test time
 * (tests/pki/make-test-pki.sh), the organisation's seal as a PKCS#12 file
 * and the in-process TSA (tests/ck-test-tsa.h): consents stored sealed and
 * timestamped, sealed while the TSA is down (a 'timestamp' job, finished
 * with a document timestamp revision), unsealed while the key is away (a
 * 'seal' job, finished with a seal revision); an anchor; a sealed purge;
 * and `check` with the trust files clean. Then the attacks, as a script
 * does them with SQLite: an edited name with the chain recomputed, a
 * forged purge, a forged anchor — each reported with its own sentence. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ck-seal.h"
#include "ck-seal-verify.h"
#include "ck-test-tsa.h"
#include "pdf-fixture.h"

static char *pki;
static CkTestTsa *tsa;

static CkSeal *
new_seal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autofree char *path = g_build_filename (workdir, "kiosk.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[signing]\nkey = %1$s/seal.p12\nkey_password_file = %1$s/seal.pass\n"
                                           "ca_file = %1$s/root.pem\ntsa_url = %2$s\n"
                                           "tsa_ca_file = %1$s/tsa-root.pem\ntsa_timeout_s = 5\n",
                                           pki, ck_test_tsa_get_url (tsa));
  CkSeal *seal;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  config = ck_config_load (NULL, NULL, path, &error);
  g_assert_no_error (error);
  seal = ck_seal_new (config, &error);
  g_assert_no_error (error);
  return seal;
}

static CkConsentRecord *
make_record (const char *name)
{
  g_autoptr(CkSignature) signature = ck_sample_signature_new (90);
  CkConsentRecord *r = ck_consent_record_new ();

  r->uuid = g_uuid_string_random ();
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    r->created_at = g_date_time_format_iso8601 (now);
  }
  r->name = g_strdup (name);
  r->id_number = g_strdup ("11010519491231002X");
  r->sign_date = g_strdup ("2026-11-28");
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
  r->signature = ck_signature_serialize (signature);
  r->kiosk_id = g_strdup ("branch-042-kiosk-1");
  return r;
}

/* The consent's PDF as the kiosk renders it, naming @r's id and name. */
static GBytes *
render (const CkConsentRecord *r)
{
  g_auto(CkTestConsent) consent = { 0 };
  g_autoptr(GError) error = NULL;
  GBytes *pdf;

  ck_pdf_fixture_consent_init (&consent, r->name);
  consent.request.consent_id = r->uuid;
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  return pdf;
}

static GBytes *
seal_pdf (CkSeal    *seal,
          GBytes    *pdf,
          GError   **tsa_error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  CkSealPdfInfo info = { "示例银行股份有限公司", "个人信息授权", "branch-042-kiosk-1", now };
  g_autoptr(GError) error = NULL;
  GBytes *sealed = ck_seal_sign_pdf (seal, pdf, &info, TRUE, tsa_error, &error);

  g_assert_no_error (error);
  return sealed;
}

/* Saves a consent as CkFlow does: sealed, or left with @job. */
static char *
save (CkStore       *store,
      CkSeal        *seal,
      const char    *name,
      CkSealJobKind  want)
{
  g_autoptr(CkConsentRecord) r = make_record (name);
  g_autoptr(GBytes) pdf = render (r);
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GError) error = NULL;
  CkSealJobKind job = CK_SEAL_JOB_NONE;

  if (want == CK_SEAL_JOB_SEAL)
    job = CK_SEAL_JOB_SEAL;   /* the token is unplugged */
  else
    {
      GBytes *sealed = seal_pdf (seal, pdf, &tsa_error);

      g_bytes_unref (pdf);
      pdf = sealed;
      if (tsa_error)
        job = CK_SEAL_JOB_TIMESTAMP;
    }
  g_assert_cmpint (job, ==, want);
  g_assert_true (ck_store_save_full (store, r, pdf, job, &error));
  g_assert_no_error (error);
  return g_strdup (r->uuid);
}

/* What the sealing queue does with a job. */
static void
run_job (CkStore    *store,
         CkSeal     *seal,
         const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkSealJob) job = ck_store_get_seal_job (store, uuid, &error);
  g_autoptr(CkConsentRecord) r = ck_store_lookup (store, uuid, &error);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) revised = NULL;
  g_autoptr(GError) tsa_error = NULL;

  g_assert_no_error (error);
  pdf = ck_store_read_pdf (store, r, &error);
  g_assert_no_error (error);
  if (job->kind == CK_SEAL_JOB_SEAL)
    {
      revised = seal_pdf (seal, pdf, &tsa_error);
      g_assert_no_error (tsa_error);
      g_assert_true (ck_store_append_pdf_revision (store, uuid, revised, "seal", "sealed", &error));
    }
  else
    {
      revised = ck_seal_timestamp_pdf (seal, pdf, &error);
      g_assert_no_error (error);
      g_assert_true (ck_store_append_pdf_revision (store, uuid, revised, "timestamp", "document timestamp",
                                                   &error));
    }
  g_assert_no_error (error);
}

static void
anchor (CkStore *store,
        CkSeal  *seal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tsa_error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *at = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  gint64 head, anchored;

  g_assert_true (ck_store_get_anchor_state (store, &head, &hash, &anchored, NULL, &at, &error));
  data = ck_store_anchor_data (head, hash);
  cms = ck_seal_sign_data (seal, data, TRUE, &tsa_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (tsa_error);
  g_assert_true (ck_store_add_anchor (store, head, hash, cms, &error));
  g_assert_no_error (error);
}

static GBytes *
seal_purge (GBytes   *data,
            gpointer  user_data,
            GError  **error)
{
  return ck_seal_sign_data (CK_SEAL (user_data), data, TRUE, NULL, error);
}

static GPtrArray *
check_trusted (const char *data_dir,
               GStrv      *warnings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_autofree char *ca = g_build_filename (pki, "root.pem", NULL);
  g_autofree char *tsa_ca = g_build_filename (pki, "tsa-root.pem", NULL);
  GPtrArray *problems;

  g_assert_no_error (error);
  ck_store_set_trust (store, ca, tsa_ca);
  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  if (warnings)
    *warnings = ck_store_dup_check_warnings (store);
  return problems;
}

static void
assert_reported (GPtrArray  *problems,
                 const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], text))
      return;
  g_error ("no problem says “%s”", text);
}

static void
db_exec (const char *data_dir,
         const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* --- tests ------------------------------------------------------------------- */

static void
test_sealed_store (void)
{
  g_autofree char *data_dir = g_build_filename (workdir, "store", NULL);
  g_autoptr(CkSeal) seal = new_seal ();
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *old = NULL;
  g_autofree char *stamped = NULL;
  g_autofree char *late_stamp = NULL;
  g_autofree char *late_seal = NULL;
  guint n = 0;

  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);

  /* Sealed with a time; sealed while the TSA fails; while the key fails. */
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  old = save (store, seal, "张三", CK_SEAL_JOB_NONE);
  stamped = save (store, seal, "李四", CK_SEAL_JOB_NONE);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_HTTP_500);
  late_stamp = save (store, seal, "王五", CK_SEAL_JOB_TIMESTAMP);
  late_seal = save (store, seal, "赵六", CK_SEAL_JOB_SEAL);

  /* Not yet covered by a trusted time: warnings, not problems. */
  problems = check_trusted (data_dir, &warnings);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (g_strv_length (warnings), ==, 1);
  ck_test_assert_contains (warnings[0], "2 consents of the last day have no trusted time yet");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&warnings, g_strfreev);

  /* The queue's work, once the TSA answers: both revisions are appended. */
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  run_job (store, seal, late_stamp);
  run_job (store, seal, late_seal);
  {
    guint seal_jobs = 9, timestamp_jobs = 9;

    g_assert_true (ck_store_count_seal_jobs (store, &seal_jobs, &timestamp_jobs, &error));
    g_assert_cmpuint (seal_jobs + timestamp_jobs, ==, 0);
  }
  {
    g_autoptr(CkConsentRecord) r = ck_store_lookup (store, late_stamp, &error);
    g_autoptr(GBytes) pdf = ck_store_read_pdf (store, r, &error);
    g_autoptr(CkSealReport) report = NULL;
    g_autofree char *ca = g_build_filename (pki, "root.pem", NULL);
    g_autofree char *tsa_ca = g_build_filename (pki, "tsa-root.pem", NULL);

    g_assert_no_error (error);
    g_assert_cmpint ((gint64)g_bytes_get_size (pdf), >, r->pdf_size);
    report = ck_seal_verify_pdf (pdf, ca, tsa_ca, &error);
    g_assert_no_error (error);
    g_assert_true (ck_seal_report_is_ok (report));
    g_assert_true (ck_seal_report_is_timestamped (report));
  }

  /* An anchor, and a sealed purge of the first consent it covers. */
  anchor (store, seal);
  problems = check_trusted (data_dir, &warnings);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&warnings, g_strfreev);

  g_assert_true (ck_store_purge_sealed (store, "2026-11-29", "王经理", seal_purge, seal, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  problems = check_trusted (data_dir, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Consents sealed and anchored; then each attack on a copy. */
static void
make_anchored_store (const char *data_dir,
                     CkSeal     *seal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  a = save (store, seal, "张三", CK_SEAL_JOB_NONE);
  b = save (store, seal, "李四", CK_SEAL_JOB_NONE);
  c = save (store, seal, "王五", CK_SEAL_JOB_NONE);
  anchor (store, seal);
  g_assert_finalize_object (g_steal_pointer (&store));
  problems = check_trusted (data_dir, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_attacks (void)
{
  g_autoptr(CkSeal) seal = new_seal ();
  g_autofree char *base = g_build_filename (workdir, "attacked", NULL);
  g_autoptr(GPtrArray) problems = NULL;

  /* A name edited: the row's hash and the sealed PDF both say so, and
   * with every later link recomputed (test-store-seal's script), the
   * anchor would; here the link the anchor covers is edited in place. */
  make_anchored_store (base, seal);
  db_exec (base, "UPDATE consents SET name = '张三丰' WHERE seq = 1;"
                 "UPDATE consents SET prev_hash = '0000000000000000000000000000000000000000000000000000000000000001' "
                 "WHERE seq = 3");
  problems = check_trusted (base, NULL);
  assert_reported (problems, "was edited: its contents do not match its hash");
  assert_reported (problems, "names another consent or person than its record");
  assert_reported (problems, "The chain was rewritten before anchor 4: link 3 no longer has the hash");
  g_clear_pointer (&problems, g_ptr_array_unref);
  ck_test_rm_rf (base);

  /* The anchor's hash edited to match a rewrite: its seal no longer holds. */
  make_anchored_store (base, seal);
  db_exec (base, "UPDATE events SET detail = replace (detail, substr (json_extract (detail, '$.hash'), 1, 8), "
                 "'00000000') WHERE kind = 'anchor'");
  problems = check_trusted (base, NULL);
  assert_reported (problems, "The seal of anchor 4 does not hold");
  g_clear_pointer (&problems, g_ptr_array_unref);
  ck_test_rm_rf (base);

  /* A purge event forged after the anchor, its consent's row and PDF
   * gone: not sealed. */
  make_anchored_store (base, seal);
  db_exec (base, "BEGIN;"
                 "INSERT INTO events (seq, at, kind, detail, prev_hash, row_hash) "
                 "SELECT 5, '2026-11-29T01:00:00.000000Z', 'purge', "
                 "'{\"before\":\"2026-11-29\",\"removed\":[[2,\"' || row_hash || '\",\"' || pdf_path || '\"]]}', "
                 "(SELECT hash FROM chain), 'x' FROM consents WHERE seq = 2;"
                 "DELETE FROM consent_status WHERE seq = 2;"
                 "DELETE FROM verify_queue WHERE consent_uuid = (SELECT uuid FROM consents WHERE seq = 2);"
                 "DELETE FROM consents WHERE seq = 2;"
                 "COMMIT;");
  problems = check_trusted (base, NULL);
  assert_reported (problems, "Record 2 was erased by purge 5, which is not sealed");
  ck_test_rm_rf (base);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ck_pdf_fixture_init (&argc, &argv, "test-seal-store-XXXXXX");
  pki = g_build_filename (workdir, "pki", NULL);
  ck_test_make_pki (pki, NULL);
  tsa = ck_test_tsa_start (pki);

  g_test_add_func ("/seal-store/sealed", test_sealed_store);
  g_test_add_func ("/seal-store/attacks", test_attacks);
  status = g_test_run ();

  ck_test_tsa_stop (tsa);
  g_free (pki);
  ck_pdf_fixture_finish ();
  return status;
}
