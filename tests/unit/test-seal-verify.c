/* test-seal-verify.c: reading signatures out of hostile PDFs
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The verifier's parser (ck-pdf-scan.c) and its judgement of what it
 * found, on PDFs made by hand here: cut short, with absurd or overlapping
 * byte ranges, /Contents that is no hex, numbers too large for 64 bits,
 * no %%EOF, nesting deeper than any stack. None of these files carries a
 * real signature: tests/integration/test-verify-pdf.c verifies the
 * signer's. */

#include "config.h"

#include <string.h>

#include "ck.h"
#include "ck-pdf-scan-private.h"
#include "ck-seal.h"
#include "ck-seal-verify.h"

#define HEADER "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"

/* UTF-16BE hex of "consent-id:7d3b…" and "Title — 张三", as ck-pdf writes. */
static char *
utf16_hex (const char *text)
{
  g_autofree gunichar2 *units = NULL;
  GString *out = g_string_new ("<FEFF");
  glong n = 0;

  units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  for (glong i = 0; i < n; i++)
    g_string_append_printf (out, "%04X", units[i]);
  g_string_append_c (out, '>');

  return g_string_free (out, FALSE);
}

static const char *CONSENT_ID = "7d3b0a4e-2f61-4c8e-9b1a-5e2d8c7f6a01";

/* An unsigned consent: one revision, an Info dictionary as ck-pdf's. */
static GString *
original (void)
{
  g_autofree char *keywords = NULL;
  g_autofree char *subject = utf16_hex ("个人信息授权书 — 张三");
  g_autofree char *kw_text = g_strdup_printf ("consent-id:%s digest:00 template:11", CONSENT_ID);
  GString *pdf = g_string_new (HEADER);
  gsize xref;

  keywords = utf16_hex (kw_text);
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  g_string_append (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                        "/Contents 5 0 R >>\nendobj\n");
  g_string_append_printf (pdf, "4 0 obj\n<< /Subject %s /Keywords %s >>\nendobj\n", subject, keywords);
  g_string_append (pdf, "5 0 obj\n<< /Length 12 >>\nstream\n(%%EOF) endobj\nendstream\nendobj\n");
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 6\n0000000000 65535 f \n");
  for (guint i = 0; i < 5; i++)
    g_string_append (pdf, "0000000010 00000 n \n");
  g_string_append_printf (pdf, "trailer\n<< /Size 6 /Root 1 0 R /Info 4 0 R >>\nstartxref\n%"
                          G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
  return pdf;
}

/* Appends a revision with a signature dictionary whose /Contents is
 * @contents (hex digits, or anything) and whose /ByteRange is right, or
 * @byte_range when given. */
static GString *
with_signature (GString    *pdf,
                const char *type,
                const char *sub_filter,
                const char *contents,
                const char *byte_range)
{
  gsize sig = pdf->len, xref, cs, ce;
  char *place;

  g_string_append_printf (pdf, "6 0 obj\n<< /Type /%s /Filter /Adobe.PPKLite /SubFilter /%s "
                               "/M (D:20261207163209+08'00') "
                               "/ByteRange [0 0000000000 0000000000 0000000000] /Contents %s >>\nendobj\n",
                          type, sub_filter, contents);
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 1\n0000000000 65535 f \n6 1\n%010" G_GSIZE_MODIFIER "u 00000 n \n"
                               "trailer\n<< /Size 7 /Root 1 0 R /Info 4 0 R /Prev 0 >>\nstartxref\n%"
                               G_GSIZE_FORMAT "\n%%%%EOF\n", sig, xref);

  cs = strstr (pdf->str + sig, "/Contents ") - pdf->str + strlen ("/Contents ");
  ce = strstr (pdf->str + cs, " >>\nendobj") - pdf->str;
  place = strstr (pdf->str + sig, "[0 0000000000 0000000000 0000000000]");
  if (byte_range)
    {
      g_autofree char *padded = g_strdup_printf ("%-36s", byte_range);

      g_assert_cmpuint (strlen (padded), ==, 36);
      memcpy (place, padded, 36);
    }
  else
    {
      g_autofree char *range = g_strdup_printf ("[0 %010" G_GSIZE_MODIFIER "u %010" G_GSIZE_MODIFIER
                                                "u %010" G_GSIZE_MODIFIER "u]", cs, ce, pdf->len - ce);

      memcpy (place, range, strlen (range));
    }

  return pdf;
}

static CkSealReport *
verify (GString *pdf)
{
  g_autoptr(GBytes) bytes = g_bytes_new (pdf->str, pdf->len);
  g_autoptr(GError) error = NULL;
  CkSealReport *report = ck_seal_verify_pdf (bytes, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("problem: %s", (const char *)report->problems->pdata[i]);

  return report;
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

/* --- the scanner ----------------------------------------------------- */

static void
test_scan_unsigned (void)
{
  g_autoptr(GString) pdf = original ();
  g_autoptr(CkPdfScan) scan = _ck_pdf_scan ((const guint8 *)pdf->str, pdf->len);
  CkPdfRevision *revision;

  g_assert_cmpuint (scan->objects->len, ==, 5);
  g_assert_cmpuint (scan->signatures->len, ==, 0);
  /* The "%%EOF" in the stream and in its string ends no revision. */
  g_assert_cmpuint (scan->revisions->len, ==, 1);
  revision = scan->revisions->pdata[0];
  g_assert_cmpuint (revision->end, ==, pdf->len);
  g_assert_cmpuint (revision->eof, ==, pdf->len - 1);
  g_assert_nonnull (revision->trailer);
  g_assert_cmpint (revision->startxref, >, 0);
  g_assert_true (g_array_index (scan->objects, CkPdfObject, 4).is_stream);
}

static void
test_scan_signature (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<0A0B 0c0d>", NULL);
  g_autoptr(CkPdfScan) scan = _ck_pdf_scan ((const guint8 *)pdf->str, pdf->len);
  CkPdfSignature *signature;

  g_assert_cmpuint (scan->revisions->len, ==, 2);
  g_assert_cmpuint (scan->signatures->len, ==, 1);
  signature = scan->signatures->pdata[0];
  g_assert_cmpuint (signature->revision, ==, 1);
  g_assert_false (signature->doc_timestamp);
  g_assert_cmpstr (signature->sub_filter, ==, "ETSI.CAdES.detached");
  g_assert_true (signature->byte_range_ok);
  g_assert_true (signature->contents_hex);
  g_assert_cmpuint (signature->byte_range[1], ==, signature->contents_start);
  g_assert_cmpuint (signature->byte_range[2], ==, signature->contents_end);
  g_assert_cmpint (pdf->str[signature->contents_start], ==, '<');
  g_assert_cmpint (pdf->str[signature->contents_end - 1], ==, '>');
  g_assert_cmpmem (g_bytes_get_data (signature->contents, NULL), g_bytes_get_size (signature->contents),
                   "\x0a\x0b\x0c\x0d", 4);
  g_assert_cmpstr (signature->m, ==, "D:20261207163209+08'00'");
}

static void
test_scan_xref (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(CkPdfScan) scan = _ck_pdf_scan ((const guint8 *)pdf->str, pdf->len);
  CkPdfRevision *revision = scan->revisions->pdata[1];
  g_autoptr(CkPdfValue) trailer = NULL;
  g_autoptr(GArray) entries = _ck_pdf_scan_read_xref (scan, revision->startxref, &trailer);

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_false (g_array_index (entries, CkPdfXrefEntry, 0).in_use);
  g_assert_cmpint (g_array_index (entries, CkPdfXrefEntry, 1).num, ==, 6);
  g_assert_true (g_array_index (entries, CkPdfXrefEntry, 1).in_use);
  g_assert_nonnull (_ck_pdf_dict_get (trailer, "Prev"));

  /* Not at a table; an absurd count. */
  g_assert_null (_ck_pdf_scan_read_xref (scan, 0, NULL));
  g_assert_null (_ck_pdf_scan_read_xref (scan, pdf->len + 10, NULL));
  {
    static const char absurd[] = "xref\n0 99999999999\n0000000000 65535 f \ntrailer\n<< >>\n";
    CkPdfScan fake = { (const guint8 *)absurd, strlen (absurd), NULL, NULL, NULL };

    g_assert_null (_ck_pdf_scan_read_xref (&fake, 0, NULL));
  }
}

static void
test_values (void)
{
  static const char a[] = "<< /A  1 /B (x\\051) /C [1 0 R /N#20ame] >>";
  static const char b[] = "<</A 1/B<78 29>/C[1 0 R/N#20ame]>>";
  static const char c[] = "<< /A 2 /B (x\\051) /C [1 0 R /N#20ame] >>";
  CkPdfScan sa = { (const guint8 *)a, strlen (a), NULL, NULL, NULL };
  CkPdfScan sb = { (const guint8 *)b, strlen (b), NULL, NULL, NULL };
  CkPdfScan sc = { (const guint8 *)c, strlen (c), NULL, NULL, NULL };
  g_autoptr(CkPdfValue) va = _ck_pdf_value_parse (sa.data, sa.len, 0);
  g_autoptr(CkPdfValue) vb = _ck_pdf_value_parse (sb.data, sb.len, 0);
  g_autoptr(CkPdfValue) vc = _ck_pdf_value_parse (sc.data, sc.len, 0);
  g_autofree char *ca = _ck_pdf_value_canonical (&sa, va);
  g_autofree char *cb = _ck_pdf_value_canonical (&sb, vb);
  g_autofree char *cc = _ck_pdf_value_canonical (&sc, vc);
  CkPdfValue *array;

  g_assert_nonnull (va);
  g_assert_cmpint (va->kind, ==, CK_PDF_DICT);
  g_assert_cmpint (_ck_pdf_dict_get (va, "A")->num, ==, 1);
  array = _ck_pdf_dict_get (va, "C");
  g_assert_cmpint (array->kind, ==, CK_PDF_ARRAY);
  g_assert_cmpuint (array->items->len, ==, 2);
  g_assert_cmpint (((CkPdfValue *)array->items->pdata[0])->kind, ==, CK_PDF_REF);
  g_assert_cmpstr (((CkPdfValue *)array->items->pdata[1])->name, ==, "N ame");
  g_assert_cmpstr (ca, ==, cb);
  g_assert_cmpstr (ca, !=, cc);
}

static void
test_numbers_too_large (void)
{
  static const char text[] = "[99999999999999999999999 -5 1.5 +7]";
  g_autoptr(CkPdfValue) v = _ck_pdf_value_parse ((const guint8 *)text, strlen (text), 0);
  CkPdfValue *huge;

  g_assert_nonnull (v);
  huge = v->items->pdata[0];
  g_assert_cmpint (huge->kind, ==, CK_PDF_INT);
  g_assert_true (huge->bad);
  g_assert_cmpint (((CkPdfValue *)v->items->pdata[1])->num, ==, -5);
  g_assert_cmpint (((CkPdfValue *)v->items->pdata[2])->kind, ==, CK_PDF_REAL);
  g_assert_cmpint (((CkPdfValue *)v->items->pdata[3])->num, ==, 7);
}

static void
test_deep_nesting (void)
{
  /* A million brackets: no recursion, no stack to exhaust. */
  gsize n = 1000000;
  g_autofree char *text = g_malloc (2 * n + 1);
  g_autoptr(GString) pdf = g_string_new (HEADER "1 0 obj\n");
  g_autoptr(CkPdfScan) scan = NULL;

  memset (text, '[', n);
  memset (text + n, ']', n);
  text[2 * n] = '\0';
  g_assert_null (_ck_pdf_value_parse ((const guint8 *)text, 2 * n, 0));

  g_string_append (pdf, text);
  g_string_append (pdf, "\nendobj\n%%EOF\n");
  scan = _ck_pdf_scan ((const guint8 *)pdf->str, pdf->len);
  g_assert_cmpuint (scan->revisions->len, ==, 1);

  {
    /* Deep enough, but not too deep; one more is too deep. */
    char ok[2 * CK_PDF_MAX_DEPTH + 2];
    g_autoptr(CkPdfValue) v = NULL;
    g_autoptr(CkPdfValue) w = NULL;

    memset (ok, '[', CK_PDF_MAX_DEPTH);
    memset (ok + CK_PDF_MAX_DEPTH, ']', CK_PDF_MAX_DEPTH);
    v = _ck_pdf_value_parse ((const guint8 *)ok, 2 * CK_PDF_MAX_DEPTH, 0);
    g_assert_nonnull (v);
    memset (ok, '[', CK_PDF_MAX_DEPTH + 1);
    memset (ok + CK_PDF_MAX_DEPTH + 1, ']', CK_PDF_MAX_DEPTH + 1);
    w = _ck_pdf_value_parse ((const guint8 *)ok, 2 * CK_PDF_MAX_DEPTH + 2, 0);
    g_assert_null (w);
  }
}

static void
test_broken_values (void)
{
  static const char *const broken[] = {
    "<< /A 1", "<< /A >>", "<< 1 2 >>", "[1 2", "[ endobj ]", "]", ">>", "", "   ",
    "<< /A << /B ] >> >>", "<< /A (x)) >>",
  };
  static const char *const cut_short[] = { "(unterminated", "<ABC", "(a\\" };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(CkPdfValue) v = _ck_pdf_value_parse ((const guint8 *)broken[i], strlen (broken[i]), 0);

      g_assert_null (v);
    }
  /* A string cut off by the end of the file is a string, marked bad. */
  for (guint i = 0; i < G_N_ELEMENTS (cut_short); i++)
    {
      g_autoptr(CkPdfValue) v = _ck_pdf_value_parse ((const guint8 *)cut_short[i], strlen (cut_short[i]), 0);

      g_assert_nonnull (v);
      g_assert_cmpint (v->kind, ==, CK_PDF_STRING);
      g_assert_true (v->bad);
    }
}

static void
test_text_strings (void)
{
  static const guint8 utf16[] = { 0xFE, 0xFF, 0x5F, 0x20, 0xD8, 0x42, 0xDF, 0xB7, 0xD8, 0x00, 0x00, 0x1B };
  static const guint8 latin[] = { 'A', 0xE9, 0x07 };
  g_autoptr(GBytes) a = g_bytes_new_static (utf16, sizeof utf16);
  g_autoptr(GBytes) b = g_bytes_new_static (latin, sizeof latin);
  g_autofree char *ta = _ck_pdf_text_to_utf8 (a);
  g_autofree char *tb = _ck_pdf_text_to_utf8 (b);

  /* 张, 𠮷 (a surrogate pair), a lone surrogate, ESC: no control character
   * reaches a terminal. */
  g_assert_cmpstr (ta, ==, "张𠮷\xEF\xBF\xBD\xEF\xBF\xBD");
  g_assert_cmpstr (tb, ==, "Aé\xEF\xBF\xBD");
}

/* --- the verifier on hand-made files --------------------------------- */

static void
test_not_a_pdf (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (ck_seal_verify_pdf (bytes, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF);
  g_clear_error (&error);
  g_assert_null (ck_seal_verify_pdf (empty, NULL, NULL, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF);
  g_clear_error (&error);

  /* A CA file that is missing is the caller's mistake, not the PDF's. */
  {
    g_autoptr(GString) pdf = original ();
    g_autoptr(GBytes) ok = g_bytes_new (pdf->str, pdf->len);

    g_assert_null (ck_seal_verify_pdf (ok, "/nonexistent/ca.pem", NULL, &error));
    g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
  }
}

static void
test_unsigned (void)
{
  g_autoptr(GString) pdf = original ();
  g_autoptr(CkSealReport) report = verify (pdf);

  g_assert_false (report->signed_);
  g_assert_false (ck_seal_report_is_ok (report));
  g_assert_cmpstr (report->consent_id, ==, CONSENT_ID);
  g_assert_cmpstr (report->name, ==, "张三");
  g_assert_true (has_problem (report, "not signed"));
}

static void
test_garbage_cms (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached",
                                           "<3082000102030405060708090000000000>", NULL);
  g_autoptr(CkSealReport) report = verify (pdf);

  g_assert_true (report->signed_);
  g_assert_false (report->valid);
  g_assert_false (report->trusted);
  /* The range itself is right. */
  g_assert_true (report->covers_document);
  g_assert_cmpstr (report->signing_time, ==, "2026-12-07T16:32:09+08:00");
  g_assert_true (has_problem (report, "not a CMS signature"));
  g_assert_false (ck_seal_report_is_ok (report));
}

typedef struct
{
  const char *contents;
  const char *byte_range;   /* NULL: the right one */
  const char *problem;
} BadCase;

static void
test_bad_signatures (void)
{
  static const BadCase cases[] = {
    { "<ZZ00>", NULL, "no hex digit" },
    { "<ABC>", NULL, "odd number" },
    { "(literal)", NULL, "not a hex string" },
    { "<00>", "[0 99999999999 5 5]", "beyond the end" },
    { "<00>", "[0 100 50 10]", "other bytes than exactly" },
    { "<00>", "[0 10 20 30]", "other bytes than exactly" },
    { "<00>", "[5 10 20 30]", "first byte" },
    { "<00>", "[0 -1 20 30]", "four whole numbers" },
    { "<00>", "[0 99999999999999999999 1 1]", "four whole numbers" },
    { "<00>", "[0 1 2]", "four whole numbers" },
    { "<00>", "[0 1 2 3 4]", "four whole numbers" },
    { "<00>", "[0 1 2 (x)]", "four whole numbers" },
    { "<00>", "[0 1.5 2 3]", "four whole numbers" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached",
                                               cases[i].contents, cases[i].byte_range);
      g_autoptr(CkSealReport) report = verify (pdf);

      g_test_message ("case %u: %s %s", i, cases[i].contents, cases[i].byte_range);
      g_assert_true (report->signed_);
      g_assert_false (report->valid);
      g_assert_true (has_problem (report, cases[i].problem));
      g_assert_false (ck_seal_report_is_ok (report));
    }
}

static void
test_other_sub_filters (void)
{
  g_autoptr(GString) pkcs7 = with_signature (original (), "Sig", "adbe.pkcs7.detached", "<00>", NULL);
  g_autoptr(GString) sha1 = with_signature (original (), "Sig", "adbe.x509.rsa_sha1", "<00>", NULL);
  g_autoptr(GString) stamp = with_signature (original (), "DocTimeStamp", "ETSI.RFC3161", "<00>", NULL);
  g_autoptr(CkSealReport) a = verify (pkcs7);
  g_autoptr(CkSealReport) b = verify (sha1);
  g_autoptr(CkSealReport) c = verify (stamp);

  g_assert_true (has_problem (a, "adbe.pkcs7.detached"));
  g_assert_true (has_problem (b, "adbe.x509.rsa_sha1"));
  g_assert_false (b->valid);
  /* A document timestamp alone is no consent signature. */
  g_assert_false (c->signed_);
  g_assert_cmpuint (c->timestamps->len, ==, 1);
  g_assert_false (((CkSealTimestamp *)c->timestamps->pdata[0])->valid);
  g_assert_true (((CkSealTimestamp *)c->timestamps->pdata[0])->document);
}

static void
test_missing_eof (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(CkSealReport) report = NULL;

  g_string_truncate (pdf, pdf->len - strlen ("%%EOF\n"));
  report = verify (pdf);
  g_assert_true (report->signed_);
  g_assert_false (report->covers_document);
}

static void
test_bytes_after_eof (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(CkSealReport) report = NULL;

  g_string_append (pdf, "\n\n1 0 obj << /Type /Catalog >> endobj\n");
  report = verify (pdf);
  g_assert_false (report->covers_document);
  g_assert_true (has_problem (report, "after its last end-of-file"));
}

static void
test_edited_revision (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(CkSealReport) report = NULL;
  gsize info = pdf->len, xref;

  /* The customer's name, changed in a revision of its own. */
  g_string_append (pdf, "4 0 obj\n<< /Subject (Other) >>\nendobj\n");
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 1\n0000000000 65535 f \n4 1\n%010" G_GSIZE_MODIFIER "u 00000 n \n"
                               "trailer\n<< /Size 7 /Root 1 0 R /Info 4 0 R >>\nstartxref\n%"
                               G_GSIZE_FORMAT "\n%%%%EOF\n", info, xref);
  report = verify (pdf);
  g_assert_false (report->covers_document);
  g_assert_true (has_problem (report, "Revision 3"));
  /* The name is the original's. */
  g_assert_cmpstr (report->name, ==, "张三");
}

/* Every prefix of a signed file: never a crash, and never "ok". */
static void
test_truncated (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<3082000100>", NULL);

  for (gsize n = 0; n <= pdf->len; n++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (pdf->str, n);
      g_autoptr(CkSealReport) report = ck_seal_verify_pdf (bytes, NULL, NULL, NULL);

      if (report)
        g_assert_false (ck_seal_report_is_ok (report));
      else
        g_assert_cmpuint (n, <, 5);
    }
}

/* A file made to cost: many revisions, each with an object, and many
 * signature dictionaries over the whole file. Bounded work, and said. */
static void
test_costly (void)
{
  g_autoptr(GString) pdf = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(GString) sigs = with_signature (original (), "Sig", "ETSI.CAdES.detached", "<00>", NULL);
  g_autoptr(CkSealReport) report = NULL;
  g_autoptr(CkSealReport) sigs_report = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (pdf, "%u 0 obj\n<< /Type /Page >>\nendobj\n%%%%EOF\n", 1 + i % 7);
  report = verify (pdf);
  g_assert_false (report->covers_document);
  g_assert_true (has_problem (report, "revisions after its signature"));

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (sigs, "%u 0 obj\n<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 "
                                  "/ByteRange [0 1 2 %zu] /Contents <00> >>\nendobj\n",
                            100 + i, sigs->len);
  g_string_append (sigs, "%%EOF\n");
  sigs_report = verify (sigs);
  g_assert_true (has_problem (sigs_report, "only the first"));
  g_assert_cmpuint (sigs_report->timestamps->len, <=, 16);

  g_test_message ("%.1f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
}

static void
test_verify_data_garbage (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("anchor", 6);
  g_autoptr(GBytes) cms = g_bytes_new_static ("\x30\x03\x02\x01\x01", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *timestamp = NULL;

  g_assert_false (ck_seal_verify_data (data, cms, NULL, NULL, &signer, &timestamp, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_INVALID);
  g_assert_null (signer);
  g_assert_null (timestamp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/seal-verify/scan/unsigned", test_scan_unsigned);
  g_test_add_func ("/seal-verify/scan/signature", test_scan_signature);
  g_test_add_func ("/seal-verify/scan/xref", test_scan_xref);
  g_test_add_func ("/seal-verify/scan/values", test_values);
  g_test_add_func ("/seal-verify/scan/numbers-too-large", test_numbers_too_large);
  g_test_add_func ("/seal-verify/scan/deep-nesting", test_deep_nesting);
  g_test_add_func ("/seal-verify/scan/broken-values", test_broken_values);
  g_test_add_func ("/seal-verify/scan/text-strings", test_text_strings);
  g_test_add_func ("/seal-verify/not-a-pdf", test_not_a_pdf);
  g_test_add_func ("/seal-verify/unsigned", test_unsigned);
  g_test_add_func ("/seal-verify/garbage-cms", test_garbage_cms);
  g_test_add_func ("/seal-verify/bad-signatures", test_bad_signatures);
  g_test_add_func ("/seal-verify/other-sub-filters", test_other_sub_filters);
  g_test_add_func ("/seal-verify/missing-eof", test_missing_eof);
  g_test_add_func ("/seal-verify/bytes-after-eof", test_bytes_after_eof);
  g_test_add_func ("/seal-verify/edited-revision", test_edited_revision);
  g_test_add_func ("/seal-verify/truncated", test_truncated);
  g_test_add_func ("/seal-verify/costly", test_costly);
  g_test_add_func ("/seal-verify/verify-data-garbage", test_verify_data_garbage);

  return g_test_run ();
}
