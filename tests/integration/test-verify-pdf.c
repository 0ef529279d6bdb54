/* test-verify-pdf.c: a sealed consent proves itself, and an edited one does not
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 15's third-party verification: real consents rendered by ck-pdf,
 * sealed by the real signer (ck-seal, PKCS#12) with tokens from the
 * in-process TSA over HTTP (the real CkTsa client), then verified by
 * ck_seal_verify_pdf () and by `consentctl verify-pdf`, which needs no
 * store: valid, B-B and B-T, with a document timestamp; one byte flipped
 * at several places of the signed range; a revision appended that is not a
 * document timestamp (alone, and hidden under one); the wrong CA; a PDF
 * with no signature; a file that is no PDF. And ck_seal_verify_data () on
 * a chain anchor's signature. */

#define _GNU_SOURCE   /* memmem() */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ck.h"
#include "ck-seal.h"
#include "ck-seal-verify.h"
#include "ck-test-tsa.h"
#include "pdf-fixture.h"

#define CONSENT_ID "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11"

static char *pki;
static CkTestTsa *tsa;
static GBytes *unsigned_pdf;    /* the consent as ck-pdf renders it */
static GBytes *sealed_bb;       /* sealed, no timestamp (PAdES-B-B) */
static GBytes *sealed_bt;       /* sealed with a token (PAdES-B-T) */
static GBytes *stamped;         /* sealed_bb, then a document timestamp */
static CkSeal *seal;

/* --- set-up ------------------------------------------------------------- */

static char *
pki_path (const char *name)
{
  return g_build_filename (pki, name, NULL);
}

static CkSeal *
new_seal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autofree char *path = g_build_filename (workdir, "kiosk.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[signing]\nkey = %s/seal.p12\nkey_password_file = %s/seal.pass\n"
                                           "tsa_url = %s\ntsa_ca_file = %s/tsa-root.pem\n"
                                           "ca_file = %s/root.pem\n",
                                           pki, pki, ck_test_tsa_get_url (tsa), pki, pki);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (NULL, NULL, path, &error);
  g_assert_no_error (error);

  return ck_seal_new (config, &error);
}

static GBytes *
sign (GBytes   *pdf,
      gboolean  timestamp)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  CkSealPdfInfo info = { "示例银行股份有限公司", "个人信息授权", "branch-042-kiosk-1", now };
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *sealed;

  sealed = ck_seal_sign_pdf (seal, pdf, &info, timestamp, &tsa_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (tsa_error);
  g_assert_nonnull (sealed);

  return sealed;
}

static CkSealReport *
verify_with (GBytes     *pdf,
             const char *ca,
             const char *tsa_ca)
{
  g_autofree char *ca_path = ca ? pki_path (ca) : NULL;
  g_autofree char *tsa_path = tsa_ca ? pki_path (tsa_ca) : NULL;
  g_autoptr(GError) error = NULL;
  CkSealReport *report = ck_seal_verify_pdf (pdf, ca_path, tsa_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("problem: %s", (const char *)report->problems->pdata[i]);

  return report;
}

static CkSealReport *
verify (GBytes *pdf)
{
  return verify_with (pdf, "root.pem", "tsa-root.pem");
}

/* consentctl verify-pdf FILE ARGS… (no store, no configuration). */
static void
run_verify_pdf (CkTestRun  *run,
                GBytes     *pdf,
                const char *first_arg,
                ...)
{
  g_autofree char *path = ck_pdf_fixture_save (pdf, "verify.pdf");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  g_ptr_array_add (argv, g_strdup ("verify-pdf"));
  g_ptr_array_add (argv, g_strdup (path));
  va_start (args, first_arg);
  for (const char *a = first_arg; a; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_str_has_prefix (a, "@") ? pki_path (a + 1) : g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  ck_test_run_consentctl (run, NULL, (const char * const *)argv->pdata);
  g_test_message ("verify-pdf exit %d:\n%s%s", run->status, run->out, run->err);
}

static gboolean
has_problem (const CkSealReport *report,
             const char         *part)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (report->problems->pdata[i], part))
      return TRUE;

  return FALSE;
}

static GBytes *
flip (GBytes *pdf,
      gsize   offset)
{
  gsize len = g_bytes_get_size (pdf);
  guint8 *copy = g_memdup2 (g_bytes_get_data (pdf, NULL), len);

  g_assert_cmpuint (offset, <, len);
  copy[offset] ^= 0x01;

  return g_bytes_new_take (copy, len);
}

static gsize
find (GBytes     *pdf,
      const char *needle,
      gsize       from)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (pdf, &len);
  const guint8 *at = memmem (data + from, len - from, needle, strlen (needle));

  g_assert_nonnull (at);
  return at - data;
}

/* --- tests -------------------------------------------------------------- */

static void
assert_proven (const CkSealReport *report)
{
  g_assert_true (report->signed_);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);
  g_assert_true (report->covers_document);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_true (ck_seal_report_is_ok (report));
  g_assert_cmpstr (report->consent_id, ==, CONSENT_ID);
  g_assert_cmpstr (report->name, ==, "张三");
  ck_test_assert_contains (report->signer, "示例银行股份有限公司");
  ck_test_assert_contains (report->signer, "示例银行 电子签章");
  g_assert_nonnull (report->signing_time);
  g_assert_true (g_str_has_prefix (report->signing_time, "2026-11-28T09:30:00"));
}

static void
test_valid (void)
{
  g_autoptr(CkSealReport) bb = verify (sealed_bb);
  g_autoptr(CkSealReport) bt = verify (sealed_bt);
  const CkSealTimestamp *t;
  g_auto(CkTestRun) run = { 0 };

  assert_proven (bb);
  g_assert_cmpuint (bb->timestamps->len, ==, 0);
  g_assert_false (ck_seal_report_is_timestamped (bb));

  assert_proven (bt);
  g_assert_cmpuint (bt->timestamps->len, ==, 1);
  g_assert_true (ck_seal_report_is_timestamped (bt));
  t = bt->timestamps->pdata[0];
  g_assert_true (t->valid);
  g_assert_false (t->document);
  ck_test_assert_contains (t->tsa, "Test Time Stamping Authority");
  g_assert_true (g_str_has_suffix (t->time, "Z"));

  run_verify_pdf (&run, sealed_bt, "--ca", "@root.pem", "--tsa-ca", "@tsa-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, CONSENT_ID);
  ck_test_assert_contains (run.out, "张三");
  ck_test_assert_contains (run.out, "示例银行 电子签章");
  ck_test_assert_contains (run.out, "Test Time Stamping Authority");
  ck_test_assert_contains (run.out, "proven");
  g_assert_null (strstr (run.out, "Problems:"));
}

/* One CA file holding both roots serves for the seal and the TSA. */
static void
test_one_ca_file (void)
{
  g_autofree char *root = NULL;
  g_autofree char *tsa_root = NULL;
  g_autofree char *both = NULL;
  g_autofree char *path = pki_path ("both.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(CkSealReport) report = NULL;
  g_auto(CkTestRun) run = { 0 };
  g_autofree char *root_path = pki_path ("root.pem");
  g_autofree char *tsa_path = pki_path ("tsa-root.pem");

  g_file_get_contents (root_path, &root, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (tsa_path, &tsa_root, NULL, &error);
  g_assert_no_error (error);
  both = g_strconcat (root, tsa_root, NULL);
  g_file_set_contents (path, both, -1, &error);
  g_assert_no_error (error);

  report = verify_with (sealed_bt, "both.pem", NULL);
  assert_proven (report);

  run_verify_pdf (&run, sealed_bt, "--ca", "@both.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

/* One byte flipped anywhere in the signed range: not valid, exit 1. */
static void
test_flipped (void)
{
  gsize len = g_bytes_get_size (sealed_bb);
  gsize original_end = g_bytes_get_size (unsigned_pdf);
  gsize sig = find (sealed_bb, "/ByteRange", original_end);
  struct {
    const char *where;
    gsize offset;
  } places[] = {
    { "header (the version)", 5 },
    { "a content stream", find (sealed_bb, "stream", find (sealed_bb, "/FlateDecode", 0)) + 40 },
    { "the Info dictionary", find (sealed_bb, "/Subject <FEFF", 0) + 16 },
    { "the signature dictionary, outside /Contents", find (sealed_bb, "/M (D:", original_end) + 8 },
    { "the signature's /ByteRange", sig + 14 },
    { "the original trailer", find (sealed_bb, "/Root", find (sealed_bb, "trailer", 0)) + 2 },
    { "the signed revision's cross-reference table", find (sealed_bb, "xref", original_end) + 8 },
    { "the last byte", len - 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autoptr(GBytes) edited = flip (sealed_bb, places[i].offset);
      g_autoptr(CkSealReport) report = NULL;
      g_auto(CkTestRun) run = { 0 };

      g_test_message ("flipped: %s, byte %zu", places[i].where, places[i].offset);
      report = verify (edited);
      g_assert_false (ck_seal_report_is_ok (report));
      g_assert_cmpuint (report->problems->len, >, 0);

      run_verify_pdf (&run, edited, "--ca", "@root.pem", NULL);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_cmpint (run.status, !=, 2);
    }

  /* Inside /Contents the bytes are not signed; the CMS itself then breaks. */
  {
    gsize contents = find (sealed_bb, "/Contents <", original_end) + strlen ("/Contents <") + 20;
    g_autoptr(GBytes) edited = flip (sealed_bb, contents);
    g_autoptr(CkSealReport) report = verify (edited);

    g_assert_false (report->valid);
    g_assert_false (ck_seal_report_is_ok (report));
  }
}

/* The number after the last @key in @pdf ("/Info 12 0 R" → 12). */
static guint64
last_number_after (GBytes     *pdf,
                   const char *key)
{
  gsize len, n = strlen (key);
  const char *data = g_bytes_get_data (pdf, &len);

  for (gsize i = len - n; i > 0; i--)
    if (memcmp (data + i, key, n) == 0)
      return g_ascii_strtoull (data + i + n, NULL, 10);

  g_assert_not_reached ();
}

/* The Info dictionary again, with another name, as an incremental update:
 * the signature still holds over what it covers, but not the document. */
static GBytes *
append_edited_info (GBytes *pdf)
{
  gsize len;
  const char *data = g_bytes_get_data (pdf, &len);
  g_autoptr(GString) out = g_string_new_len (data, len);
  guint64 info = last_number_after (pdf, "/Info ");
  guint64 root = last_number_after (pdf, "/Root ");
  guint64 size = last_number_after (pdf, "/Size ");
  guint64 startxref = last_number_after (pdf, "startxref");
  gsize object, xref;

  object = out->len;
  g_string_append_printf (out, "%" G_GUINT64_FORMAT " 0 obj\n<< /Subject <FEFF674E56DB> "
                               "/Keywords (consent-id:%s) >>\nendobj\n", info, CONSENT_ID);
  xref = out->len;
  g_string_append_printf (out, "xref\n0 1\n0000000000 65535 f \n%" G_GUINT64_FORMAT " 1\n%010zu 00000 n \n"
                               "trailer\n<< /Size %" G_GUINT64_FORMAT " /Root %" G_GUINT64_FORMAT " 0 R "
                               "/Info %" G_GUINT64_FORMAT " 0 R /Prev %" G_GUINT64_FORMAT " >>\n"
                               "startxref\n%zu\n%%%%EOF\n",
                          info, object, size, root, info, startxref, xref);

  return g_bytes_new (out->str, out->len);
}

static void
test_appended_revision (void)
{
  g_autoptr(GBytes) edited = append_edited_info (sealed_bt);
  g_autoptr(GBytes) hidden = NULL;
  g_autoptr(CkSealReport) report = verify (edited);
  g_autoptr(CkSealReport) hidden_report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) run = { 0 };

  g_assert_true (report->signed_);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);
  g_assert_false (report->covers_document);
  g_assert_false (ck_seal_report_is_ok (report));
  g_assert_true (has_problem (report, "Revision 3"));
  /* What is shown is what was signed. */
  g_assert_cmpstr (report->name, ==, "张三");

  run_verify_pdf (&run, edited, "--ca", "@root.pem", "--tsa-ca", "@tsa-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.out, "Whole document:");
  ck_test_assert_contains (run.out, "Revision 3");

  /* The edit, then a genuine document timestamp over it: still caught. */
  hidden = ck_seal_timestamp_pdf (seal, edited, &error);
  g_assert_no_error (error);
  hidden_report = verify (hidden);
  g_assert_false (hidden_report->covers_document);
  g_assert_false (ck_seal_report_is_ok (hidden_report));
  g_assert_true (has_problem (hidden_report, "Revision 3"));
}

static void
test_document_timestamp (void)
{
  g_autoptr(CkSealReport) report = verify (stamped);
  g_autoptr(GBytes) both = NULL;
  g_autoptr(CkSealReport) both_report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) run = { 0 };
  const CkSealTimestamp *t;

  assert_proven (report);
  g_assert_cmpuint (report->timestamps->len, ==, 1);
  t = report->timestamps->pdata[0];
  g_assert_true (t->document);
  g_assert_true (t->valid);
  ck_test_assert_contains (t->tsa, "Test Time Stamping Authority");

  run_verify_pdf (&run, stamped, "--ca", "@root.pem", "--tsa-ca", "@tsa-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "Document timestamp:");

  /* B-T and a document timestamp: both listed, both valid. */
  both = ck_seal_timestamp_pdf (seal, sealed_bt, &error);
  g_assert_no_error (error);
  both_report = verify (both);
  assert_proven (both_report);
  g_assert_cmpuint (both_report->timestamps->len, ==, 2);
  g_assert_false (((CkSealTimestamp *)both_report->timestamps->pdata[0])->document);
  g_assert_true (((CkSealTimestamp *)both_report->timestamps->pdata[1])->document);

  /* A byte of the timestamp's revision flipped (outside its token). */
  {
    gsize at = find (stamped, "/DocTimeStamp", g_bytes_get_size (sealed_bb)) + 3;
    g_autoptr(GBytes) edited = flip (stamped, at);
    g_autoptr(CkSealReport) bad = verify (edited);

    g_assert_false (ck_seal_report_is_ok (bad));
  }

  /* Without the TSA's CA, the timestamp proves nothing. */
  {
    g_autoptr(CkSealReport) untrusted = verify_with (stamped, "root.pem", "rogue-root.pem");

    g_assert_false (((CkSealTimestamp *)untrusted->timestamps->pdata[0])->valid);
    g_assert_false (ck_seal_report_is_ok (untrusted));
  }
}

/* The CA files are kept between calls (ck-seal-verify-ca.c): a file
 * changed under the same name is read again, one gone or emptied is an
 * error again, on the next call. */
static void
test_ca_file_changed (void)
{
  g_autofree char *ca = g_build_filename (workdir, "changing-ca.pem", NULL);
  g_autofree char *tsa_ca = pki_path ("tsa-root.pem");
  g_autofree char *root = NULL;
  g_autofree char *rogue = NULL;
  g_autofree char *rogue_path = pki_path ("rogue-root.pem");
  g_autofree char *root_path = pki_path ("root.pem");
  g_autoptr(GError) error = NULL;

  g_file_get_contents (root_path, &root, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (rogue_path, &rogue, NULL, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(CkSealReport) trusted = NULL;
      g_autoptr(CkSealReport) again = NULL;
      g_autoptr(CkSealReport) untrusted = NULL;
      g_autoptr(CkSealReport) none = NULL;

      g_file_set_contents (ca, root, -1, &error);
      g_assert_no_error (error);
      trusted = ck_seal_verify_pdf (sealed_bb, ca, tsa_ca, &error);
      g_assert_no_error (error);
      g_assert_true (trusted->trusted);
      again = ck_seal_verify_pdf (sealed_bb, ca, tsa_ca, &error);
      g_assert_no_error (error);
      g_assert_true (again->trusted);

      /* Another CA under the same name. */
      g_file_set_contents (ca, rogue, -1, &error);
      g_assert_no_error (error);
      untrusted = ck_seal_verify_pdf (sealed_bb, ca, tsa_ca, &error);
      g_assert_no_error (error);
      g_assert_false (untrusted->trusted);
      g_assert_false (ck_seal_report_is_ok (untrusted));

      g_file_set_contents (ca, "no certificate\n", -1, &error);
      g_assert_no_error (error);
      none = ck_seal_verify_pdf (sealed_bb, ca, tsa_ca, &error);
      g_assert_null (none);
      g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
      g_clear_error (&error);

      g_assert_no_errno (g_unlink (ca));
      g_assert_null (ck_seal_verify_pdf (sealed_bb, ca, tsa_ca, &error));
      g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
      g_clear_error (&error);
    }
}

static gpointer
verify_many (gpointer data)
{
  g_autofree char *ca = pki_path ("root.pem");
  g_autofree char *tsa_ca = pki_path ("tsa-root.pem");

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkSealReport) report = ck_seal_verify_pdf (data, ca, tsa_ca, &error);

      if (report == NULL || !ck_seal_report_is_ok (report))
        return GINT_TO_POINTER (FALSE);
    }

  return GINT_TO_POINTER (TRUE);
}

/* Threads verifying at once share the CA files' stores. */
static void
test_ca_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("verify", verify_many, i % 2 ? sealed_bt : stamped);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

static void
test_wrong_ca (void)
{
  g_autoptr(CkSealReport) report = verify_with (sealed_bb, "tsa-root.pem", NULL);
  g_autoptr(CkSealReport) no_ca = verify_with (sealed_bb, NULL, NULL);
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) run_no_ca = { 0 };

  g_assert_true (report->valid);
  g_assert_false (report->trusted);
  g_assert_true (report->covers_document);
  g_assert_false (ck_seal_report_is_ok (report));
  g_assert_true (has_problem (report, "does not chain"));

  g_assert_true (no_ca->valid);
  g_assert_false (no_ca->trusted);
  g_assert_true (has_problem (no_ca, "--ca"));

  run_verify_pdf (&run, sealed_bb, "--ca", "@tsa-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 1);
  run_verify_pdf (&run_no_ca, sealed_bb, NULL);
  g_assert_cmpint (run_no_ca.status, ==, 1);
}

static void
test_not_signed (void)
{
  g_autoptr(CkSealReport) report = verify (unsigned_pdf);
  g_auto(CkTestRun) run = { 0 };

  g_assert_false (report->signed_);
  g_assert_false (ck_seal_report_is_ok (report));
  g_assert_cmpstr (report->consent_id, ==, CONSENT_ID);

  run_verify_pdf (&run, unsigned_pdf, "--ca", "@root.pem", NULL);
  g_assert_cmpint (run.status, ==, 11);
  ck_test_assert_contains (run.out, "NOT signed");
}

static void
test_not_a_pdf (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("hello\n", 6);
  g_autofree char *missing = g_build_filename (workdir, "missing.pdf", NULL);
  g_auto(CkTestRun) run = { 0 };
  g_auto(CkTestRun) run_missing = { 0 };
  g_auto(CkTestRun) run_bad_ca = { 0 };

  run_verify_pdf (&run, text, NULL);
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, "not a PDF");

  ck_test_run_consentctl (&run_missing, NULL, (const char * const[]) { "verify-pdf", missing, NULL });
  g_assert_cmpint (run_missing.status, ==, 1);
  ck_test_assert_contains (run_missing.err, "missing.pdf");

  run_verify_pdf (&run_bad_ca, sealed_bb, "--ca", "@no-such-ca.pem", NULL);
  g_assert_cmpint (run_bad_ca.status, ==, 1);
  ck_test_assert_contains (run_bad_ca.err, "no-such-ca.pem");
}

static void
test_json (void)
{
  g_auto(CkTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *timestamps;

  run_verify_pdf (&run, sealed_bt, "--ca", "@root.pem", "--tsa-ca", "@tsa-root.pem", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "consent_id"), ==, CONSENT_ID);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "张三");
  timestamps = json_object_get_array_member (object, "timestamps");
  g_assert_cmpuint (json_array_get_length (timestamps), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "problems")), ==, 0);
}

/* With --config, [signing] ca_file and tsa_ca_file are the defaults. */
static void
test_config_defaults (void)
{
  g_autofree char *conf = g_build_filename (workdir, "verify.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[signing]\nca_file = %s/root.pem\ntsa_ca_file = %s/tsa-root.pem\n",
                                           pki, pki);
  g_autofree char *path = ck_pdf_fixture_save (sealed_bt, "config.pdf");
  g_autoptr(GError) error = NULL;
  g_auto(CkTestRun) run = { 0 };

  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  ck_test_run_consentctl (&run, NULL, (const char * const[]) { "--config", conf, "verify-pdf", path, NULL });
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
}

/* A chain anchor's signature: detached CAdES over any bytes, with a token. */
static void
test_verify_data (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("anchor 42 5f3a", 14);
  g_autoptr(GBytes) other = g_bytes_new_static ("anchor 42 5f3b", 14);
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *root = pki_path ("root.pem");
  g_autofree char *tsa_root = pki_path ("tsa-root.pem");
  g_autofree char *wrong = pki_path ("rogue-root.pem");

  cms = ck_seal_sign_data (seal, data, TRUE, &tsa_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (tsa_error);

  g_assert_true (ck_seal_verify_data (data, cms, root, tsa_root, &signer, &timestamp, &error));
  g_assert_no_error (error);
  ck_test_assert_contains (signer, "示例银行 电子签章");
  g_assert_nonnull (timestamp);

  g_assert_false (ck_seal_verify_data (other, cms, root, tsa_root, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (ck_seal_verify_data (data, cms, wrong, tsa_root, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (ck_seal_verify_data (data, cms, root, wrong, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GError) error = NULL;
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-test-verify-pdf-XXXXXX");

  pki = g_build_filename (workdir, "pki", NULL);
  ck_test_make_pki (pki, NULL);
  tsa = ck_test_tsa_start (pki);
  seal = new_seal ();
  g_assert_nonnull (seal);

  ck_pdf_fixture_consent_init (&consent, "张三");
  g_assert_cmpstr (consent.request.consent_id, ==, CONSENT_ID);
  unsigned_pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  sealed_bb = sign (unsigned_pdf, FALSE);
  sealed_bt = sign (unsigned_pdf, TRUE);
  stamped = ck_seal_timestamp_pdf (seal, sealed_bb, &error);
  g_assert_no_error (error);

  g_test_add_func ("/verify-pdf/valid", test_valid);
  g_test_add_func ("/verify-pdf/one-ca-file", test_one_ca_file);
  g_test_add_func ("/verify-pdf/flipped", test_flipped);
  g_test_add_func ("/verify-pdf/appended-revision", test_appended_revision);
  g_test_add_func ("/verify-pdf/document-timestamp", test_document_timestamp);
  g_test_add_func ("/verify-pdf/wrong-ca", test_wrong_ca);
  g_test_add_func ("/verify-pdf/ca-file-changed", test_ca_file_changed);
  g_test_add_func ("/verify-pdf/ca-threads", test_ca_threads);
  g_test_add_func ("/verify-pdf/not-signed", test_not_signed);
  g_test_add_func ("/verify-pdf/not-a-pdf", test_not_a_pdf);
  g_test_add_func ("/verify-pdf/json", test_json);
  g_test_add_func ("/verify-pdf/config-defaults", test_config_defaults);
  g_test_add_func ("/verify-pdf/verify-data", test_verify_data);

  status = g_test_run ();

  g_clear_object (&seal);
  ck_test_tsa_stop (tsa);
  g_clear_pointer (&unsigned_pdf, g_bytes_unref);
  g_clear_pointer (&sealed_bb, g_bytes_unref);
  g_clear_pointer (&sealed_bt, g_bytes_unref);
  g_clear_pointer (&stamped, g_bytes_unref);
  g_clear_pointer (&pki, g_free);
  ck_pdf_fixture_finish ();

  return status;
}
