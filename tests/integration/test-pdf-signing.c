/* test-pdf-signing.c: the signature and the signing record on the consent PDF
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 14, read back from the written file as a reader's tools see it:
 * the thinnest line of the signature in the content stream (qpdf
 * uncompresses it), and the signing record's labels and values through
 * pdftotext. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf-fixture.h"

/* The consent, signed in a real hand (ck_test_load_hand(): 160 samples
 * in 4 strokes on a 900 × 360 px pad) at 9:30:07.25 Beijing time. */
static void
consent_init (CkTestConsent *consent)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GBytes) hand = ck_test_load_hand ();
  g_autoptr(GError) error = NULL;
  CkSignature *signature = ck_signature_deserialize (hand, &error);

  g_assert_no_error (error);
  ck_pdf_fixture_consent_init_full (consent, "张三", signature,
                                    g_date_time_new (beijing, 2026, 11, 28, 9, 30, 7.25));
}

static char *
render_to_file (const CkPdfRequest *request,
                const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ck_pdf_render (fonts, request, &error);

  g_assert_no_error (error);

  return ck_pdf_fixture_save (pdf, name);
}

/* The widths of the lines stroked in the signature's drawing: the part of
 * the uncompressed content between its "0.1 0 0 0.1 0 0 cm" (coordinates
 * in tenths of a point) and the Q that ends it. In points. */
static GArray *
signature_line_widths (const char *pdf)
{
  g_autofree char *qdf = g_strconcat (pdf, ".qdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *content = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *widths = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean inside = FALSE;
  guint blocks = 0;
  gsize length;

  out = ck_test_run_tool ((const char * const[]) { "qpdf", "--qdf", "--object-streams=disable", pdf, qdf, NULL });
  g_assert_true (g_file_get_contents (qdf, &content, &length, NULL));
  /* Binary streams (the ICC profile) hold NULs; the lines around them count. */
  for (gsize i = 0; i < length; i++)
    if (content[i] == '\0')
      content[i] = ' ';
  lines = g_strsplit (content, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *end = NULL;
      double w;

      if (g_str_has_prefix (lines[i], "0.1 0 0 0.1 0 0 cm"))
        {
          inside = TRUE;
          blocks++;
        }
      else if (g_str_equal (lines[i], "Q"))
        inside = FALSE;
      else if (inside && g_str_has_suffix (lines[i], " w"))
        {
          w = g_ascii_strtod (lines[i], &end);
          g_assert_true (end != lines[i]);
          w /= 10;
          g_array_append_val (widths, w);
        }
    }
  g_unlink (qdf);

  /* One drawing at each signature line: the letter's and the declaration's. */
  g_assert_cmpuint (blocks, ==, 2);

  return widths;
}

/* The thinnest stroke of a real signature prints at 0.6 pt or more (it was
 * 0.1 pt: faint on the screen, lost by a printer). */
static void
test_signing_min_stroke (void)
{
  g_auto(CkTestConsent) consent;
  g_autofree char *path = NULL;
  g_autoptr(GArray) widths = NULL;
  double min = G_MAXDOUBLE, max = 0;

  consent_init (&consent);
  path = render_to_file (&consent.request, "hand.pdf");
  widths = signature_line_widths (path);

  g_assert_cmpuint (widths->len, >, 100);
  for (guint i = 0; i < widths->len; i++)
    {
      min = MIN (min, g_array_index (widths, double, i));
      max = MAX (max, g_array_index (widths, double, i));
    }
  g_test_message ("signature lines %.2f–%.2f pt", min, max);
  g_assert_cmpfloat (min, >=, 0.6 - 1e-9);
  /* Still a pen's line, and still varying with the pen's speed. */
  g_assert_cmpfloat (max, <=, 3.0 + 1e-9);
  g_assert_cmpfloat (max, >, min);
}

/* The signing record after the declaration's signature: each label and
 * its value, on one line as pdftotext -layout reads it, and the frame. */
static void
test_signing_record (void)
{
  g_auto(CkTestConsent) consent;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hash16 = NULL;
  g_autofree char *pages = NULL;
  g_auto(GStrv) lines = NULL;
  const char *declaration;
  const char *record;
  const struct { const char *label; const char *value; } rows[] = {
    { "同意书编号", "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11" },
    { "终端", "branch-042-kiosk-1" },
    { "签署时间", "2026-11-28 09:30:07 +08:00" },
    { "模板 SHA-256", NULL },
    { "姓名录入方式", "手写输入" },
    { "证件号码录入方式", "键盘输入" },
    /* 120,350 to 122,672 ms */
    { "签名用时", "2.3 秒" },
    { "采样点数", "160" },
  };

  consent_init (&consent);
  consent.request.name_method = CK_ENTRY_METHOD_HANDWRITING;
  consent.request.id_method = CK_ENTRY_METHOD_TYPED;
  hash16 = g_strndup (ck_template_get_sha256 (consent.template), 16);
  path = render_to_file (&consent.request, "record.pdf");
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL });

  /* After the declaration's signature. */
  declaration = strstr (text, "声明人");
  record = strstr (text, "签署信息");
  g_assert_nonnull (declaration);
  g_assert_nonnull (record);
  g_assert_true (record > declaration);

  lines = g_strsplit (record, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *value = rows[i].value ? rows[i].value : hash16;
      gboolean found = FALSE;

      for (guint l = 0; lines[l] && !found; l++)
        {
          const char *label = strstr (lines[l], rows[i].label);
          const char *after = label ? strstr (label + strlen (rows[i].label), value) : NULL;

          /* The value follows its label on its line, before the next label. */
          found = after != NULL;
        }
      if (!found)
        g_error ("no “%s %s” in the record:\n%s", rows[i].label, value, record);
    }

  /* Each method has its words. */
  consent.request.name_method = CK_ENTRY_METHOD_PINYIN;
  g_free (path);
  path = render_to_file (&consent.request, "record-pinyin.pdf");
  g_free (text);
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  g_assert_nonnull (strstr (text, "拼音输入"));
  g_assert_null (strstr (text, "手写输入"));

  /* Read by the card reader (issue 18): the card's wording, for both. */
  {
    g_autofree char *card_path = NULL;
    g_autofree char *card_text = NULL;
    g_auto(GStrv) card_lines = NULL;
    guint seen = 0;

    consent.request.name_method = CK_ENTRY_METHOD_CARD;
    consent.request.id_method = CK_ENTRY_METHOD_CARD;
    card_path = render_to_file (&consent.request, "record-card.pdf");
    card_text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", card_path,
                                                          "-", NULL });
    card_lines = g_strsplit (card_text, "\n", -1);
    for (guint l = 0; card_lines[l]; l++)
      {
        const char *name_label = strstr (card_lines[l], "姓名录入方式");
        const char *id_label = strstr (card_lines[l], "证件号码录入方式");

        if (name_label && strstr (name_label, "身份证读卡"))
          seen |= 1;
        if (id_label && strstr (id_label, "身份证读卡"))
          seen |= 2;
      }
    g_assert_cmpuint (seen, ==, 3);
    g_assert_null (strstr (card_text, "键盘输入"));
    g_assert_null (strstr (card_text, "拼音输入"));
    g_assert_null (strstr (card_text, "手写输入"));
    consent.request.name_method = CK_ENTRY_METHOD_PINYIN;
    consent.request.id_method = CK_ENTRY_METHOD_TYPED;
  }

  /* It stays above the footer on its page (poppler's word boxes, y
   * down): its last row ends well above the footer's first word. */
  pages = ck_test_run_tool ((const char * const[]) { "pdftotext", "-bbox", path, "-", NULL });
  {
    const char *row = strstr (pages, ">采样点数</word>");
    const char *page_start, *footer, *y;
    double row_bottom, footer_top;

    g_assert_nonnull (row);
    page_start = g_strrstr_len (pages, row - pages, "<page ");
    g_assert_nonnull (page_start);
    y = g_strrstr_len (pages, row - pages, "yMax=\"");
    row_bottom = g_ascii_strtod (y + strlen ("yMax=\""), NULL);
    footer = strstr (page_start, ">编号</word>");
    g_assert_nonnull (footer);
    y = g_strrstr_len (pages, footer - pages, "yMin=\"");
    footer_top = g_ascii_strtod (y + strlen ("yMin=\""), NULL);
    g_test_message ("record's last row ends at %.1f pt, the footer starts at %.1f pt", row_bottom, footer_top);
    g_assert_cmpfloat (row_bottom, <, CK_PDF_PAGE_HEIGHT - 46.0);
    g_assert_cmpfloat (row_bottom, <, footer_top - 12);
  }
}

/* With [signing] configured the record's legend says the file is sealed,
 * and the record stays on the declaration's page above the footer, even
 * with a 29-character name. Without, it says nothing of a seal. */
static void
test_signing_record_sealed (void)
{
  g_auto(CkTestConsent) consent;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *boxes = NULL;
  const char *row, *footer, *y, *page;
  double row_bottom, footer_top;

  consent_init (&consent);
  path = render_to_file (&consent.request, "unsealed.pdf");
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  g_assert_null (strstr (text, "电子签章"));

  consent.request.sealed = TRUE;
  consent.request.values[CK_TEMPLATE_FIELD_NAME] = "欧阳娜娜·阿依古丽·买买提·努尔兰别克·再依努尔·古丽米拉";
  g_free (path);
  path = render_to_file (&consent.request, "sealed.pdf");
  g_free (text);
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL });
  g_assert_nonnull (strstr (text, "本文件已加盖电子签章"));
  g_assert_nonnull (strstr (text, "签署信息（本文件已加盖电子签章）"));

  boxes = ck_test_run_tool ((const char * const[]) { "pdftotext", "-bbox", path, "-", NULL });
  row = strstr (boxes, ">采样点数</word>");
  g_assert_nonnull (row);
  page = g_strrstr_len (boxes, row - boxes, "<page ");
  y = g_strrstr_len (boxes, row - boxes, "yMax=\"");
  row_bottom = g_ascii_strtod (y + strlen ("yMax=\""), NULL);
  footer = strstr (page, ">编号</word>");
  g_assert_nonnull (footer);
  y = g_strrstr_len (boxes, footer - boxes, "yMin=\"");
  footer_top = g_ascii_strtod (y + strlen ("yMin=\""), NULL);
  g_test_message ("the sealed record's last row ends at %.1f pt, the footer starts at %.1f pt", row_bottom, footer_top);
  g_assert_cmpfloat (row_bottom, <, footer_top - 12);
  /* The record is on the page of the declaration's signature. */
  g_assert_true (g_strrstr_len (boxes, row - boxes, ">声明人") > page);
}

/* A kiosk id too long for its cell is set smaller inside the frame, whole. */
static void
test_signing_long_kiosk_id (void)
{
  g_auto(CkTestConsent) consent;
  g_autofree char *path = NULL;
  g_autofree char *boxes = NULL;
  g_autofree char *word = NULL;
  const char *kiosk_id = "branch-0042-front-desk-kiosk-in-the-north-hall-by-the-lifts-second-floor-left";
  const char *at, *x_max;

  consent_init (&consent);
  consent.request.kiosk_id = kiosk_id;
  path = render_to_file (&consent.request, "long-kiosk.pdf");
  boxes = ck_test_run_tool ((const char * const[]) { "pdftotext", "-bbox", path, "-", NULL });

  /* Its first occurrence is the record's (the footer's comes after). */
  word = g_strdup_printf (">%s</word>", kiosk_id);
  at = strstr (boxes, word);
  g_assert_nonnull (at);
  g_assert_nonnull (strstr (at + 1, word));
  x_max = g_strrstr_len (boxes, at - boxes, "xMax=\"");
  g_assert_nonnull (x_max);
  g_test_message ("the record's kiosk id ends at %.1f pt",
                  g_ascii_strtod (x_max + strlen ("xMax=\""), NULL));
  /* Inside the frame, which ends at the right margin. */
  g_assert_cmpfloat (g_ascii_strtod (x_max + strlen ("xMax=\""), NULL), <=, CK_PDF_PAGE_WIDTH - 56.0);

  /* The footer, the page's last line, with the id in it, also ends
   * inside the margin. */
  g_assert_nonnull (strstr (boxes, "</page>"));
  x_max = g_strrstr_len (boxes, strstr (boxes, "</page>") - boxes, "xMax=\"");
  g_test_message ("the footer's last word ends at %.1f pt",
                  g_ascii_strtod (x_max + strlen ("xMax=\""), NULL));
  g_assert_cmpfloat (g_ascii_strtod (x_max + strlen ("xMax=\""), NULL), <=, CK_PDF_PAGE_WIDTH - 56.0);
}

/* The same request gives the same bytes, record and all. */
static void
test_signing_deterministic (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  consent_init (&consent);
  consent.request.name_method = CK_ENTRY_METHOD_PINYIN;
  a = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  b = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (a, b));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-pdf-signing-XXXXXX");

  g_test_add_func ("/pdf-signing/min-stroke", test_signing_min_stroke);
  g_test_add_func ("/pdf-signing/record", test_signing_record);
  g_test_add_func ("/pdf-signing/record-sealed", test_signing_record_sealed);
  g_test_add_func ("/pdf-signing/long-kiosk-id", test_signing_long_kiosk_id);
  g_test_add_func ("/pdf-signing/deterministic", test_signing_deterministic);

  status = g_test_run ();

  ck_pdf_fixture_finish ();

  return status;
}
