/* test-pdf.c: the consent PDF as poppler, qpdf and a reader see it
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "pdf-fixture.h"

/* --- helpers --------------------------------------------------------- */

/* Text as a reader sees it, white space removed. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x3000 && c != '\f')
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  int width;
  int height;
  guint8 *pixels;   /* 0 = black ink, 255 = paper */
} Gray;

static void
gray_free (Gray *gray)
{
  g_free (gray->pixels);
  g_free (gray);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Gray, gray_free)

/* One page rendered by poppler, as 8-bit gray. */
static Gray *
rasterize (const char *pdf,
           guint       page,
           guint       dpi)
{
  g_autofree char *prefix = g_build_filename (workdir, "page", NULL);
  g_autofree char *page_str = g_strdup_printf ("%u", page);
  g_autofree char *dpi_str = g_strdup_printf ("%u", dpi);
  g_autofree char *out = NULL;
  g_autofree char *pgm = NULL;
  g_autofree char *data = NULL;
  Gray *gray = g_new0 (Gray, 1);
  const char *p;
  gsize len;
  int maxval;

  out = ck_test_run_tool ((const char * const[]) { "pdftoppm", "-gray", "-r", dpi_str, "-f", page_str,
                                                    "-l", page_str, "-singlefile", pdf, prefix, NULL });
  pgm = g_strconcat (prefix, ".pgm", NULL);
  g_assert_true (g_file_get_contents (pgm, &data, &len, NULL));
  g_assert_cmpint (sscanf (data, "P5 %d %d %d", &gray->width, &gray->height, &maxval), ==, 3);
  g_assert_cmpint (maxval, ==, 255);
  /* The header ends after the third number and one white-space byte. */
  p = data + 2;
  for (int fields = 0; fields < 3; fields++)
    {
      while (g_ascii_isspace (*p))
        p++;
      while (g_ascii_isdigit (*p))
        p++;
    }
  p++;
  g_assert_cmpuint (len - (p - data), ==, (gsize)gray->width * gray->height);
  gray->pixels = g_memdup2 (p, (gsize)gray->width * gray->height);
  g_unlink (pgm);

  return gray;
}

/* Dark pixels in a box given in PDF points (y up). */
static guint
ink_in_box (const Gray *gray,
            guint       dpi,
            double      x,
            double      y,
            double      width,
            double      height)
{
  double s = dpi / 72.0;
  int x0 = (int)(x * s), x1 = (int)((x + width) * s);
  int y0 = (int)((CK_PDF_PAGE_HEIGHT - y - height) * s), y1 = (int)((CK_PDF_PAGE_HEIGHT - y) * s);
  guint ink = 0;

  for (int py = MAX (y0, 0); py < MIN (y1, gray->height); py++)
    for (int px = MAX (x0, 0); px < MIN (x1, gray->width); px++)
      ink += gray->pixels[py * gray->width + px] < 128;

  return ink;
}

/* 48 paragraphs whose punctuation falls at every possible line position,
 * each ending at a different place of its last line. */
static GBytes *
stress_text (void)
{
  GString *stress = g_string_new ("# 标题\n{name}{id_number}{signature}\n");

  /* Paragraphs whose punctuation falls at every possible line position. */
  for (guint shift = 0; shift < 48; shift++)
    {
      for (guint k = 0; k < shift; k++)
        g_string_append (stress, "字");
      g_string_append (stress, "甲，乙。丙、丁；戊：己？庚！（辛）《壬》「癸」『子』【丑】");
      for (guint k = 0; k < 50; k++)
        g_string_append (stress, k % 7 == 6 ? "，" : "文");
      g_string_append (stress, "（注）。\n");
    }

  return g_string_free_to_bytes (stress);
}

/* --- tests ----------------------------------------------------------- */

/* pdftotext gives back every word of the letter and the declaration, the
 * name and the ID number, in order. */
static void
test_pdf_text (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  const char *cursor;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  path = ck_pdf_fixture_save (pdf, "text.pdf");

  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  flat = squeeze (text);
  cursor = flat;

  for (guint b = 0; b < ck_template_get_n_blocks (consent.template); b++)
    {
      g_autofree char *block = ck_template_fill_block (consent.template, b, consent.request.values);
      g_autofree char *want = squeeze (block);
      const char *found = strstr (cursor, want);

      if (found == NULL)
        g_error ("block %u “%s” is not in the text after “%.60s”", b, want, cursor);
      cursor = found + strlen (want);
    }

  g_assert_nonnull (strstr (flat, "本人张三（身份证号码：11010519491231002X）"));
  g_assert_nonnull (strstr (flat, "编号0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11"));
  g_assert_nonnull (strstr (flat, "第1/1页"));
  g_assert_null (strstr (flat, "DEMO"));
  g_assert_null (strstr (flat, "示例机构"));

  /* An example organisation (the demo settings) says so on the page. */
  {
    g_autoptr(GBytes) example = NULL;
    g_autofree char *example_path = NULL;
    g_autofree char *example_text = NULL;
    g_autofree char *example_flat = NULL;

    consent.request.example = TRUE;
    consent.request.demo = TRUE;
    example = ck_pdf_render (fonts, &consent.request, &error);
    g_assert_no_error (error);
    example_path = ck_pdf_fixture_save (example, "example.pdf");
    example_text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", example_path, "-", NULL });
    example_flat = squeeze (example_text);
    g_assert_nonnull (strstr (example_flat, "示例机构DEMO演示"));
  }
}

/* Every font is embedded; qpdf finds nothing wrong; the standard consent,
 * signing record included, is one page under 80 KB; the same request gives
 * the same bytes. */
static void
test_pdf_structure (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fonts_out = NULL;
  g_autofree char *check = NULL;
  g_autofree char *info = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fonts = 0;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  path = ck_pdf_fixture_save (pdf, "structure.pdf");
  g_test_message ("standard consent: %zu bytes", g_bytes_get_size (pdf));
  g_assert_cmpuint (g_bytes_get_size (pdf), <, 80 * 1024);

  fonts_out = ck_test_run_tool ((const char * const[]) { "pdffonts", path, NULL });
  lines = g_strsplit (fonts_out, "\n", -1);
  for (guint i = 2; lines[i] && lines[i][0]; i++)
    {
      g_auto(GStrv) cols = g_strsplit_set (lines[i], " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint k = 0; cols[k]; k++)
        if (cols[k][0])
          g_ptr_array_add (words, cols[k]);
      /* name type… encoding emb sub uni object ID: "emb" is 5th from the end */
      g_assert_cmpuint (words->len, >=, 6);
      g_assert_cmpstr (words->pdata[words->len - 5], ==, "yes");
      n_fonts++;
    }
  g_assert_cmpuint (n_fonts, >=, 1);

  check = ck_test_run_tool ((const char * const[]) { "qpdf", "--check", path, NULL });
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));

  info = ck_test_run_tool ((const char * const[]) { "pdfinfo", "-enc", "UTF-8", path, NULL });
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (info, "Author:          示例银行股份有限公司\n"));
  g_assert_nonnull (strstr (info, "CreationDate:"));

  again = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pdf, again));

  g_date_time_unref (consent.created);
  consent.created = g_date_time_new_utc (2026, 11, 28, 1, 30, 1);
  consent.request.created = consent.created;
  later = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (pdf, later));
}

/* Rare and composite names put ink in the name field, come back from
 * pdftotext, and are exact in the metadata. */
static void
test_pdf_rare_names (void)
{
  static const char *names[] = { "𠮷", "王䶮", "阿依古丽·买买提", "𠮷䶮·𪚥" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CkTestConsent) consent;
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GArray) boxes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Gray) page = NULL;
      g_autofree char *path = NULL;
      g_autofree char *info = NULL;
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;
      g_autofree char *subject = NULL;
      guint name_boxes = 0;

      g_test_message ("name %s", names[i]);
      ck_pdf_fixture_consent_init (&consent, names[i]);
      pdf = ck_pdf_render_full (fonts, &consent.request, &boxes, NULL, &error);
      g_assert_no_error (error);
      path = ck_pdf_fixture_save (pdf, "name.pdf");

      page = rasterize (path, 1, 144);
      for (guint b = 0; b < boxes->len; b++)
        {
          const CkPdfFieldBox *box = &g_array_index (boxes, CkPdfFieldBox, b);
          guint ink, area;

          if (box->field != CK_TEMPLATE_FIELD_NAME)
            continue;
          name_boxes++;
          ink = ink_in_box (page, 144, box->x, box->y, box->width, box->height);
          area = (guint)(box->width * box->height * 4);
          g_test_message ("name box %.1f,%.1f %.1f×%.1f: %u of %u pixels inked",
                          box->x, box->y, box->width, box->height, ink, area);
          /* Every character puts down ink: at least 4% of the box a character. */
          g_assert_cmpuint (ink, >, area / 25);
        }
      g_assert_cmpuint (name_boxes, ==, 1);

      text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
      flat = squeeze (text);
      if (!strstr (flat, names[i]))
        g_error ("“%s” is not in the extracted text", names[i]);

      info = ck_test_run_tool ((const char * const[]) { "pdfinfo", "-enc", "UTF-8", path, NULL });
      subject = g_strdup_printf ("— %s\n", names[i]);
      g_assert_nonnull (strstr (info, subject));
    }
}

/* No rendered line starts with closing punctuation or ends with opening
 * punctuation, in the letter or in a text made to provoke it. */
static void
test_pdf_line_breaks (void)
{
  static const char *closing = "。，、；：？！）》」』】";
  static const char *opening = "（《「『【";
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) bytes = stress_text ();
  g_autoptr(GError) error = NULL;
  guint checked = 0;

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(CkTemplate) template = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      ck_pdf_fixture_consent_init (&consent, "张三");
      if (pass == 1)
        {
          template = ck_template_new_from_bytes (bytes, &error);
          g_assert_no_error (error);
          g_set_object (&consent.template, template);
          consent.request.template = template;
        }

      pdf = ck_pdf_render (fonts, &consent.request, &error);
      g_assert_no_error (error);
      path = ck_pdf_fixture_save (pdf, "breaks.pdf");
      text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL });
      lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          g_autofree char *line = g_strstrip (g_strdup (lines[i]));
          const char *last;
          char first[8] = { 0 }, end[8] = { 0 };

          if (line[0] == '\0' || line[0] == '\f')
            continue;
          g_unichar_to_utf8 (g_utf8_get_char (line), first);
          last = g_utf8_prev_char (line + strlen (line));
          g_unichar_to_utf8 (g_utf8_get_char (last), end);
          if (strstr (closing, first))
            g_error ("line %u starts with %s: %s", i, first, line);
          if (strstr (opening, end))
            g_error ("line %u ends with %s: %s", i, end, line);
          checked++;
        }
      g_clear_object (&consent.template);
      ck_pdf_fixture_consent_clear (&consent);
    }

  g_test_message ("%u lines checked", checked);
  g_assert_cmpuint (checked, >, 100);
}

/* Text that does not fit flows onto further pages, each with its footer. */
static void
test_pdf_flows (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GString) long_letter = g_string_new ("# 长信\n{name}{id_number}\n");
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  for (guint i = 0; i < 90; i++)
    g_string_append_printf (long_letter, "%u.1 第%u段：本人同意授权贵公司收集、查询并验证本人的个人信息。\n",
                            i + 1, i + 1);
  g_string_append (long_letter, "> 授权人：{signature}\n");
  bytes = g_bytes_new (long_letter->str, long_letter->len);
  template = ck_template_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  ck_pdf_fixture_consent_init (&consent, "张三");
  consent.request.template = template;
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  path = ck_pdf_fixture_save (pdf, "flows.pdf");
  text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  flat = squeeze (text);
  g_assert_nonnull (strstr (flat, "第1/3页"));
  g_assert_nonnull (strstr (flat, "第3/3页"));
  g_assert_nonnull (strstr (flat, "第90段"));
}

static void
test_pdf_errors (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  ck_pdf_fixture_consent_init (&consent, NULL);
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_error (error, CK_PDF_ERROR, CK_PDF_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "{name}"));
  g_assert_null (pdf);
  g_clear_error (&error);

  /* U+0378 is unassigned: no font has it, and it must not print blank. */
  consent.request.values[CK_TEMPLATE_FIELD_NAME] = "张\u0378";
  pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_error (error, CK_PDF_ERROR, CK_PDF_ERROR_MISSING_GLYPH);
  g_assert_nonnull (strstr (error->message, "U+0378"));
  g_assert_null (pdf);
}

/* --- glyph correctness ---------------------------------------------- */

/* Characters sampled over all of GBK (every 9th code), plus characters
 * outside the BMP that must be drawn as outlines. */
static GArray *
sample_gbk (void)
{
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GIConv conv = g_iconv_open ("UTF-8", "GBK");
  static const gunichar extra[] = { 0x20BB7, 0x4DAE, 0x2A6A5, 0x00B7 };
  guint n = 0;

  g_assert_true (conv != (GIConv)-1);

  for (guint lead = 0x81; lead <= 0xFE; lead++)
    for (guint trail = 0x40; trail <= 0xFE; trail++)
      {
        char in[2] = { (char)lead, (char)trail }, out[8] = { 0 };
        char *inp = in, *outp = out;
        gsize inleft = 2, outleft = sizeof out - 1;
        gunichar c;

        if (trail == 0x7F || n++ % 9 != 0)
          continue;
        g_iconv (conv, NULL, NULL, NULL, NULL);
        if (g_iconv (conv, &inp, &inleft, &outp, &outleft) == (gsize)-1)
          continue;
        c = g_utf8_get_char (out);
        /* Private use and spaces have no glyph to compare. */
        if ((c >= 0xE000 && c <= 0xF8FF) || g_unichar_isspace (c) || !g_unichar_isgraph (c))
          continue;
        g_array_append_val (chars, c);
      }

  g_iconv_close (conv);
  g_array_append_vals (chars, extra, G_N_ELEMENTS (extra));

  return chars;
}

typedef struct
{
  FT_Library library;
  FT_Face faces[16];
} Faces;

/* Every font of the set, opened by FreeType from the same file. */
static void
faces_open (Faces     *faces,
            CkFontSet *set)
{
  memset (faces, 0, sizeof *faces);
  g_assert_cmpint (FT_Init_FreeType (&faces->library), ==, 0);
  g_assert_cmpuint (ck_font_set_get_n_fonts (set), <=, G_N_ELEMENTS (faces->faces));
  for (guint f = 0; f < ck_font_set_get_n_fonts (set); f++)
    {
      guint index;
      const char *file = ck_font_set_get_font_file (set, f, &index);

      g_assert_cmpint (FT_New_Face (faces->library, file, index, &faces->faces[f]), ==, 0);
    }
}

static void
faces_close (Faces *faces)
{
  for (guint f = 0; f < G_N_ELEMENTS (faces->faces); f++)
    if (faces->faces[f])
      FT_Done_Face (faces->faces[f]);
  FT_Done_FreeType (faces->library);
}

/* Compares the cell poppler rendered with FreeType's own rendering of the
 * glyph from the font the PDF took it from. Returns a score in [0, 1]:
 * the smaller of the two shares of each image's solid ink (coverage at
 * least 50%) that the other image inks at all (coverage at least 20%)
 * within a pixel; the faint side lets hairlines of Ming faces, which
 * antialias differently in the two rasterisers, count. A blank glyph
 * scores 0, a wrong or broken one low. */
static double
compare_cell (Faces       *faces,
              const Gray  *page,
              guint        dpi,
              gunichar     c,
              guint        font,
              double       origin_x,
              double       origin_y,   /* PDF points, y up */
              double       size,
              double       cell_x,
              double       cell_top,
              double       cell)
{
  double s = dpi / 72.0;
  int w = (int)(cell * s), h = (int)(cell * s);
  int cx0 = (int)(cell_x * s), cy0 = (int)((CK_PDF_PAGE_HEIGHT - cell_top) * s);
  int ox = (int)round (origin_x * s) - cx0, oy = (int)round ((CK_PDF_PAGE_HEIGHT - origin_y) * s) - cy0;
  g_autofree guint8 *want = g_new0 (guint8, w * h);   /* coverage 0–255 */
  g_autofree guint8 *got = g_new0 (guint8, w * h);
  guint want_ink = 0, got_ink = 0, want_hit = 0, got_hit = 0;
  FT_Face face = faces->faces[font];
  FT_Bitmap *bitmap;

  g_assert_cmpint (FT_Set_Char_Size (face, 0, (FT_F26Dot6)(size * 64), dpi, dpi), ==, 0);
  g_assert_cmpint (FT_Load_Char (face, c, FT_LOAD_RENDER | FT_LOAD_NO_HINTING), ==, 0);
  bitmap = &face->glyph->bitmap;

  for (guint r = 0; r < bitmap->rows; r++)
    for (guint col = 0; col < bitmap->width; col++)
      {
        int x = ox + face->glyph->bitmap_left + (int)col;
        int y = oy - face->glyph->bitmap_top + (int)r;

        if (x >= 0 && x < w && y >= 0 && y < h)
          want[y * w + x] = bitmap->buffer[r * bitmap->pitch + col];
      }

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (cy0 + y < page->height && cx0 + x < page->width)
        got[y * w + x] = 255 - page->pixels[(cy0 + y) * page->width + cx0 + x];

#define SOLID(v) ((v) >= 128)
#define FAINT(v) ((v) >= 51)
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gboolean want_near = FALSE, got_near = FALSE;

        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            {
              int nx = x + dx, ny = y + dy;

              if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                continue;
              want_near |= FAINT (want[ny * w + nx]);
              got_near |= FAINT (got[ny * w + nx]);
            }

        want_ink += SOLID (want[y * w + x]);
        got_ink += SOLID (got[y * w + x]);
        want_hit += SOLID (want[y * w + x]) && got_near;
        got_hit += SOLID (got[y * w + x]) && want_near;
      }
#undef SOLID
#undef FAINT

  if (want_ink == 0)
    return got_ink == 0 ? 1.0 : 0.0;
  if (got_ink == 0)
    return 0.0;

  return MIN ((double)want_hit / want_ink, (double)got_hit / got_ink);
}

static void
test_pdf_glyphs (void)
{
  g_autoptr(GArray) chars = sample_gbk ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const double cell = 24;
  const guint dpi = 144;
  guint columns = (guint)((CK_PDF_PAGE_WIDTH - 2 * CK_PDF_SPECIMEN_MARGIN) / cell);
  guint rows = (guint)((CK_PDF_PAGE_HEIGHT - 2 * CK_PDF_SPECIMEN_MARGIN) / cell);
  guint per_page = columns * rows, bad = 0, outlines = 0;
  double worst = 1;
  Faces faces;

  g_test_message ("%u characters sampled across GBK", chars->len);
  g_assert_cmpuint (chars->len, >=, 2000);

  pdf = ck_pdf_render_specimen (fonts, (const gunichar *)(gpointer)chars->data, chars->len,
                                cell, &error);
  g_assert_no_error (error);
  path = ck_pdf_fixture_save (pdf, "specimen.pdf");
  g_test_message ("specimen: %zu bytes", g_bytes_get_size (pdf));

  faces_open (&faces, fonts);

  for (guint page_no = 0; page_no * per_page < chars->len; page_no++)
    {
      g_autoptr(Gray) page = rasterize (path, page_no + 1, dpi);

      for (guint i = page_no * per_page; i < MIN (chars->len, (page_no + 1) * per_page); i++)
        {
          gunichar c = g_array_index (chars, gunichar, i);
          guint row = (i % per_page) / columns, column = i % columns, font;
          double cell_x = CK_PDF_SPECIMEN_MARGIN + column * cell;
          double cell_top = CK_PDF_PAGE_HEIGHT - CK_PDF_SPECIMEN_MARGIN - row * cell;
          CkFontUse use;
          double score;

          g_assert_true (ck_font_set_lookup (fonts, c, &font, &use));
          outlines += use == CK_FONT_USE_OUTLINE;
          score = compare_cell (&faces, page, dpi, c, font,
                                cell_x + CK_PDF_SPECIMEN_ORIGIN_X * cell,
                                cell_top - CK_PDF_SPECIMEN_BASELINE * cell,
                                CK_PDF_SPECIMEN_SIZE * cell, cell_x, cell_top, cell);
          worst = MIN (worst, score);
          if (score < 0.9)
            {
              g_test_message ("U+%04X (font %s): score %.2f", c,
                              ck_font_set_get_font_name (fonts, font), score);
              bad++;
            }
        }
    }

  g_test_message ("worst score %.3f; %u drawn as outlines", worst, outlines);
  faces_close (&faces);

  g_assert_cmpuint (outlines, >=, 2);
  g_assert_cmpuint (bad, ==, 0);
}


/* A name is set in one style: with the sans letter, a character the body
 * font lacks comes from Noto Sans CJK, not from a Ming face, and poppler's
 * rendering of each character matches FreeType's from that font better
 * than from any Ming face that also has it. */
static void
check_font_styles (CkFontSet   *set,
                   CkFontStyle  body)
{
  static const char *names[] = { "张三", "王𠮷", "李䶮", "𪚥𪚥", "张𪚥" };
  const guint dpi = 600;
  Faces faces;

  faces_open (&faces, set);
  g_assert_cmpint (ck_font_set_get_body_style (set), ==, body);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CkTestConsent) consent;
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GArray) glyphs = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Gray) page = NULL;
      g_autofree char *path = NULL;
      gboolean have_style = FALSE;
      CkFontStyle name_style = body;
      guint seen = 0;

      ck_pdf_fixture_consent_init (&consent, names[i]);
      pdf = ck_pdf_render_full (set, &consent.request, NULL, &glyphs, &error);
      g_assert_no_error (error);
      path = ck_pdf_fixture_save (pdf, "styles.pdf");
      page = rasterize (path, 1, dpi);

      for (guint g = 0; g < glyphs->len; g++)
        {
          const CkPdfGlyphBox *box = &g_array_index (glyphs, CkPdfGlyphBox, g);
          CkFontStyle style = ck_font_set_get_font_style (set, box->font);
          double score, best_other = 0;

          if (box->field != CK_TEMPLATE_FIELD_NAME)
            continue;
          if (!have_style)
            name_style = style;
          have_style = TRUE;
          seen++;

          /* One style for the whole name, the body's wherever its fonts
           * have every character. */
          g_assert_cmpint (style, ==, name_style);
          g_assert_cmpint (style, ==, ck_font_set_covers (set, names[i], body) ? body : style);

          score = compare_cell (&faces, page, dpi, box->c, box->font, box->x, box->y, box->size,
                                box->x, box->y + 0.88 * box->size, box->size);
          for (guint f = 0; f < ck_font_set_get_n_fonts (set); f++)
            if (f != box->font &&
                ck_font_set_get_font_style (set, f) != style &&
                FT_Get_Char_Index (faces.faces[f], box->c) != 0)
              best_other = MAX (best_other,
                                compare_cell (&faces, page, dpi, box->c, f, box->x, box->y, box->size,
                                              box->x, box->y + 0.88 * box->size, box->size));
          g_test_message ("U+%04X of name %u: %s (%s), score %.2f; best other-style font %.2f",
                          box->c, i, ck_font_set_get_font_name (set, box->font),
                          style == CK_FONT_STYLE_SANS ? "sans" : "serif", score, best_other);
          g_assert_cmpfloat (score, >=, 0.85);
          g_assert_cmpfloat (score, >, best_other + 0.1);
        }

      g_assert_cmpuint (seen, ==, g_utf8_strlen (names[i], -1));
      /* Both styles have 𠮷 and 䶮 (Noto Sans CJK; UMing and HanaMin):
       * those names stay in the body's style. */
      if (g_str_equal (names[i], "王𠮷") || g_str_equal (names[i], "李䶮"))
        g_assert_cmpint (name_style, ==, body);
    }

  faces_close (&faces);
}

static void
test_pdf_font_styles (void)
{
  check_font_styles (fonts, CK_FONT_STYLE_SANS);
}

/* A letter set in a Ming face takes its fallbacks from Ming faces first. */
static void
test_pdf_font_styles_serif (void)
{
  static const char * const serif_first[] = {
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CkFontSet) serif = ck_font_set_new (serif_first, &error);

  g_assert_no_error (error);
  check_font_styles (serif, CK_FONT_STYLE_SERIF);
}

/* The consent with a long name, laid out: the ID number's unit on one
 * line, the room of every justified line spread evenly over its gaps,
 * clauses hanging their numbers, and no paragraph ending on a line of
 * fewer than two characters besides punctuation. */
static gboolean
is_text_char (gunichar c)
{
  return !g_unichar_ispunct (c) && !g_unichar_isspace (c) && c != 0x3000 && c != 0xFFFC;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  guint lines;
  guint justified;
  guint paragraphs;
  guint hung;
  double widest_gap;       /* in ems */
} Typography;

/* Checks every line of a laid-out letter; returns what it saw. */
static Typography
check_typography (const CkTemplate *template,
                  GArray           *glyphs)
{
  Typography seen = { 0 };
  guint g = 0;

  while (g < glyphs->len)
    {
      const CkPdfGlyphBox *first = &g_array_index (glyphs, CkPdfGlyphBox, g);
      g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
      guint end = g, text_chars = 0;
      double median, widest = 0;

      while (end < glyphs->len && g_array_index (glyphs, CkPdfGlyphBox, end).line == first->line)
        end++;
      seen.lines++;

      for (guint i = g; i < end; i++)
        {
          const CkPdfGlyphBox *box = &g_array_index (glyphs, CkPdfGlyphBox, i);

          text_chars += is_text_char (box->c);
          if (i + 1 < end)
            {
              const CkPdfGlyphBox *next = &g_array_index (glyphs, CkPdfGlyphBox, i + 1);
              double gap = next->x - box->x - box->advance;

              g_array_append_val (gaps, gap);
              widest = MAX (widest, gap);
            }
        }

      /* Even: no gap wider than 1.5× the line's median. */
      if (gaps->len > 0 && !first->last_line)
        {
          g_array_sort (gaps, compare_doubles);
          median = g_array_index (gaps, double, gaps->len / 2);
          if (widest > 1.5 * median + 1e-6)
            g_error ("line %u: a gap of %.2f pt, the median %.2f pt", first->line, widest, median);
          seen.justified++;
          seen.widest_gap = MAX (seen.widest_gap, widest / first->size);
        }

      /* A paragraph's last line, if it has a line before it. */
      if (first->last_line && !first->first_line)
        {
          seen.paragraphs++;
          if (text_chars < 2)
            g_error ("block %u ends on a line of %u characters", first->block, text_chars);
        }

      /* A clause's later lines start under its text. */
      if (ck_template_get_block ((CkTemplate *)template, first->block, NULL, NULL) == CK_TEMPLATE_BLOCK_CLAUSE &&
          !first->first_line)
        {
          guint k = g;

          /* Back to the block's first line, past "1.4.2 ". */
          while (k > 0 && g_array_index (glyphs, CkPdfGlyphBox, k - 1).block == first->block)
            k--;
          while (g_array_index (glyphs, CkPdfGlyphBox, k).c != ' ')
            k++;
          g_assert_cmpfloat (fabs (first->x - g_array_index (glyphs, CkPdfGlyphBox, k + 1).x), <, 0.01);
          seen.hung++;
        }

      g = end;
    }

  return seen;
}

static void
test_pdf_justification (void)
{
  /* Thirty characters: the longest name the kiosk takes. */
  static const char *long_name = "阿依古丽买买提艾力阿不都热合曼欧阳司马诸葛亮孔明德华夏东方红";
  static const char *names[] = { "张三", "欧阳娜娜", "阿依古丽·买买提", "爱新觉罗·溥仪", NULL };
  Typography seen;

  g_assert_cmpint (g_utf8_strlen (long_name, -1), ==, 30);
  names[G_N_ELEMENTS (names) - 1] = long_name;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CkTestConsent) consent;
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GArray) glyphs = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *info = NULL;
      guint open = 0, close = 0, id_line = G_MAXUINT;

      ck_pdf_fixture_consent_init (&consent, names[i]);
      pdf = ck_pdf_render_full (fonts, &consent.request, NULL, &glyphs, &error);
      g_assert_no_error (error);

      /* Even the longest name leaves the letter, the declaration and the
       * signing record on one page. */
      path = ck_pdf_fixture_save (pdf, "justified.pdf");
      info = ck_test_run_tool ((const char * const[]) { "pdfinfo", path, NULL });
      g_assert_nonnull (strstr (info, "Pages:           1\n"));

      seen = check_typography (consent.template, glyphs);
      g_test_message ("%s: %u lines, %u justified (widest gap %.3f em), %u paragraphs of "
                      "several lines, %u clause lines hung",
                      names[i], seen.lines, seen.justified, seen.widest_gap, seen.paragraphs, seen.hung);
      g_assert_cmpuint (seen.justified, >=, 10);
      g_assert_cmpuint (seen.hung, >=, 6);
      /* Never letter-spaced: a gap grows by an eighth of an em at most. */
      g_assert_cmpfloat (seen.widest_gap, <=, 0.125 + 1e-6);

      /* "（身份证号码：110…X）" is on one line. */
      for (guint g = 0; g < glyphs->len; g++)
        {
          const CkPdfGlyphBox *box = &g_array_index (glyphs, CkPdfGlyphBox, g);

          if (box->field == CK_TEMPLATE_FIELD_ID_NUMBER)
            {
              if (id_line != G_MAXUINT)
                g_assert_cmpuint (box->line, ==, id_line);
              id_line = box->line;
            }
        }
      for (guint g = 0; g < glyphs->len; g++)
        {
          const CkPdfGlyphBox *box = &g_array_index (glyphs, CkPdfGlyphBox, g);

          if (box->c == 0xFF08 && g + 1 < glyphs->len &&
              g_array_index (glyphs, CkPdfGlyphBox, g + 1).c == 0x8EAB /* 身 */)
            {
              g_assert_cmpuint (box->line, ==, id_line);
              open++;
            }
          if (box->c == 0xFF09 && g > 0 &&
              g_array_index (glyphs, CkPdfGlyphBox, g - 1).field == CK_TEMPLATE_FIELD_ID_NUMBER)
            {
              g_assert_cmpuint (box->line, ==, id_line);
              close++;
            }
        }
      g_assert_cmpuint (open, ==, 1);
      g_assert_cmpuint (close, ==, 1);
    }
}

/* None of the stress text's paragraphs ends on fewer than two characters. */
static void
test_pdf_last_lines (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) text = stress_text ();
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) glyphs = NULL;
  g_autoptr(GError) error = NULL;
  Typography seen;

  ck_pdf_fixture_consent_init (&consent, "张三");
  template = ck_template_new_from_bytes (text, &error);
  g_assert_no_error (error);
  g_set_object (&consent.template, template);
  consent.request.template = template;

  pdf = ck_pdf_render_full (fonts, &consent.request, NULL, &glyphs, &error);
  g_assert_no_error (error);
  seen = check_typography (template, glyphs);
  g_test_message ("%u lines, %u paragraphs of several lines", seen.lines, seen.paragraphs);
  g_assert_cmpuint (seen.paragraphs, ==, 48);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-test-pdf-XXXXXX");

  g_test_add_func ("/pdf/text", test_pdf_text);
  g_test_add_func ("/pdf/structure", test_pdf_structure);
  g_test_add_func ("/pdf/rare-names", test_pdf_rare_names);
  g_test_add_func ("/pdf/line-breaks", test_pdf_line_breaks);
  g_test_add_func ("/pdf/flows", test_pdf_flows);
  g_test_add_func ("/pdf/errors", test_pdf_errors);
  g_test_add_func ("/pdf/glyphs", test_pdf_glyphs);
  g_test_add_func ("/pdf/font-styles", test_pdf_font_styles);
  g_test_add_func ("/pdf/font-styles-serif", test_pdf_font_styles_serif);
  g_test_add_func ("/pdf/justification", test_pdf_justification);
  g_test_add_func ("/pdf/last-lines", test_pdf_last_lines);

  status = g_test_run ();

  ck_pdf_fixture_finish ();

  return status;
}
