/* test-pdf-fonts.c: the embedded fonts of the consent PDF, object by object
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* ck-pdf writes its Type0 fonts itself (no longer libharu's HPDF_GetFont).
 * These tests read what it wrote through qpdf's JSON, with the streams
 * decoded, and check each font against what PDF/A-2b asks of an embedded
 * CIDFontType2, and against its own font program read by FreeType:
 *
 * - Type0, Encoding Identity-H, one descendant CIDFontType2 whose
 *   CIDSystemInfo is Adobe/Identity/0, CIDToGIDMap /Identity or a stream;
 * - a FontDescriptor with FontName = BaseFont = ABCDEF+name, Flags,
 *   FontBBox, ItalicAngle, Ascent, Descent, CapHeight, StemV, and a
 *   FontFile2 FreeType opens;
 * - for every code the page's text shows: a glyph that exists in that font
 *   program, a /W width equal to FreeType's advance of that glyph in
 *   thousandths of an em (rounded down), and a ToUnicode entry. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "pdf-fixture.h"

static FT_Library library;

/* --- the PDF as qpdf's JSON -------------------------------------------- */

typedef struct
{
  JsonParser *parser;
  JsonObject *objects;   /* "obj:N 0 R" → { "value" } or { "stream": { "dict", "data" } }, "trailer" */
} Pdf;

static void
pdf_clear (Pdf *pdf)
{
  g_clear_object (&pdf->parser);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pdf, pdf_clear)

static void
pdf_load (Pdf    *pdf,
          GBytes *bytes,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ck_pdf_fixture_save (bytes, name);
  g_autofree char *out = NULL;
  JsonArray *qpdf;

  out = ck_test_run_tool ((const char * const[]) { "qpdf", "--json", "--json-stream-data=inline",
                                                   "--decode-level=generalized", path, NULL });

  memset (pdf, 0, sizeof *pdf);
  pdf->parser = json_parser_new ();
  json_parser_load_from_data (pdf->parser, out, -1, &error);
  g_assert_no_error (error);
  qpdf = json_object_get_array_member (json_node_get_object (json_parser_get_root (pdf->parser)), "qpdf");
  pdf->objects = json_array_get_object_element (qpdf, 1);   /* [ header, objects ] */
  g_assert_nonnull (pdf->objects);
}

/* The object an indirect reference "N 0 R" names. */
static JsonObject *
pdf_object (Pdf        *pdf,
            const char *ref)
{
  g_autofree char *key = g_strdup_printf ("obj:%s", ref);

  g_assert_true (json_object_has_member (pdf->objects, key));
  return json_object_get_object_member (pdf->objects, key);
}

static gboolean
is_ref (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
         g_str_has_suffix (json_node_get_string (node), " R");
}

/* A dictionary: the value of @node, followed if it is a reference. */
static JsonObject *
dict_of (Pdf      *pdf,
         JsonNode *node)
{
  JsonObject *object;

  if (!is_ref (node))
    return json_node_get_object (node);
  object = pdf_object (pdf, json_node_get_string (node));
  if (json_object_has_member (object, "stream"))
    return json_object_get_object_member (json_object_get_object_member (object, "stream"), "dict");
  return json_object_get_object_member (object, "value");
}

/* A stream's decoded data. */
static GBytes *
stream_data (Pdf      *pdf,
             JsonNode *ref)
{
  JsonObject *stream;
  guchar *data;
  gsize len;

  g_assert_true (is_ref (ref));
  stream = json_object_get_object_member (pdf_object (pdf, json_node_get_string (ref)), "stream");
  g_assert_nonnull (stream);
  g_assert_true (json_object_has_member (stream, "data"));
  data = g_base64_decode (json_object_get_string_member (stream, "data"), &len);

  return g_bytes_new_take (data, len);
}

static const char *
string_member (JsonObject *dict,
               const char *key)
{
  g_assert_true (json_object_has_member (dict, key));
  return json_object_get_string_member (dict, key);
}

/* --- what the content stream shows ------------------------------------ */

/* For each font resource name ("/F1"), the set of two-byte codes shown
 * with it in a <hex> Tj. */
static GHashTable *
codes_shown (GBytes *content)
{
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)g_hash_table_unref);
  g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *font = NULL;

  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];

      if (line[0] == '/' && g_str_has_suffix (line, " Tf"))
        {
          g_free (font);
          font = g_strndup (line, strcspn (line, " "));
        }
      else if (line[0] == '<' && g_str_has_suffix (line, "> Tj"))
        {
          GHashTable *codes;
          const char *end = strchr (line, '>');

          g_assert_nonnull (font);
          g_assert_cmpuint ((end - line - 1) % 4, ==, 0);
          if (!(codes = g_hash_table_lookup (shown, font)))
            g_hash_table_insert (shown, g_strdup (font), codes = g_hash_table_new (NULL, NULL));
          for (const char *p = line + 1; p < end; p += 4)
            {
              char hex[5] = { p[0], p[1], p[2], p[3], 0 };

              g_hash_table_add (codes, GUINT_TO_POINTER ((guint)g_ascii_strtoull (hex, NULL, 16)));
            }
        }
    }

  return shown;
}

/* The source codes a ToUnicode CMap maps (bfchar and bfrange). */
static GHashTable *
to_unicode_codes (GBytes *cmap)
{
  GHashTable *codes = g_hash_table_new (NULL, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (cmap, NULL), g_bytes_get_size (cmap));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_char = FALSE, in_range = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      guint a, b, c;

      if (g_str_has_suffix (lines[i], "beginbfchar"))
        in_char = TRUE;
      else if (g_str_has_suffix (lines[i], "beginbfrange"))
        in_range = TRUE;
      else if (g_str_has_prefix (lines[i], "endbf"))
        in_char = in_range = FALSE;
      else if (in_char && sscanf (lines[i], "<%x> <%x>", &a, &b) == 2)
        g_hash_table_add (codes, GUINT_TO_POINTER (a));
      else if (in_range && sscanf (lines[i], "<%x> <%x> <%x>", &a, &b, &c) == 3)
        for (guint k = a; k <= b; k++)
          g_hash_table_add (codes, GUINT_TO_POINTER (k));
    }

  return codes;
}

/* /W: CID → width, both of its forms (c [w…] and c_first c_last w). */
static GHashTable *
widths_of (JsonArray *w)
{
  GHashTable *widths = g_hash_table_new (NULL, NULL);
  guint n = json_array_get_length (w);

  for (guint i = 0; i < n;)
    {
      guint first = (guint)json_array_get_int_element (w, i);
      JsonNode *next = json_array_get_element (w, i + 1);

      if (JSON_NODE_HOLDS_ARRAY (next))
        {
          JsonArray *list = json_node_get_array (next);

          for (guint k = 0; k < json_array_get_length (list); k++)
            g_hash_table_insert (widths, GUINT_TO_POINTER (first + k),
                                 GINT_TO_POINTER ((gint)json_array_get_int_element (list, k)));
          i += 2;
        }
      else
        {
          guint last = (guint)json_node_get_int (next);
          gint width = (gint)json_array_get_int_element (w, i + 2);

          for (guint k = first; k <= last; k++)
            g_hash_table_insert (widths, GUINT_TO_POINTER (k), GINT_TO_POINTER (width));
          i += 3;
        }
    }

  return widths;
}

static gboolean
is_subset_name (const char *name)
{
  if (name[0] != '/' || strlen (name) < 9 || name[7] != '+')
    return FALSE;
  for (guint i = 1; i <= 6; i++)
    if (name[i] < 'A' || name[i] > 'Z')
      return FALSE;

  return TRUE;
}

/* Checks every font the page uses; returns how many codes it checked. */
static guint
check_page_fonts (Pdf        *pdf,
                  guint      *n_fonts)
{
  JsonObject *catalog = NULL, *pages, *page, *font_resources;
  g_autoptr(GHashTable) shown = NULL;
  g_autoptr(GBytes) content = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint checked = 0;
  GList *members = json_object_get_members (pdf->objects);

  /* The first page of the document. */
  for (GList *l = members; l; l = l->next)
    {
      JsonObject *object = json_object_get_object_member (pdf->objects, l->data);

      if (json_object_has_member (object, "value") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "value")))
        {
          JsonObject *dict = json_object_get_object_member (object, "value");

          if (json_object_has_member (dict, "/Type") &&
              g_str_equal (json_object_get_string_member (dict, "/Type"), "/Catalog"))
            catalog = dict;
        }
    }
  g_list_free (members);
  g_assert_nonnull (catalog);
  pages = dict_of (pdf, json_object_get_member (catalog, "/Pages"));
  page = dict_of (pdf, json_array_get_element (json_object_get_array_member (pages, "/Kids"), 0));
  font_resources = dict_of (pdf, json_object_get_member (dict_of (pdf, json_object_get_member (page, "/Resources")),
                                                         "/Font"));
  content = stream_data (pdf, json_object_get_member (page, "/Contents"));
  shown = codes_shown (content);
  g_assert_cmpuint (g_hash_table_size (shown), >=, 1);
  *n_fonts = g_hash_table_size (shown);

  g_hash_table_iter_init (&iter, shown);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GHashTable *codes = value;
      JsonObject *type0, *cid_font, *info, *descriptor;
      JsonNode *map_node;
      JsonArray *descendants, *bbox;
      g_autoptr(GHashTable) widths = NULL;
      g_autoptr(GHashTable) unicode = NULL;
      g_autoptr(GBytes) program = NULL;
      g_autoptr(GBytes) map = NULL;
      g_autoptr(GBytes) cmap = NULL;
      const char *font_name;
      FT_Face face = NULL;
      GHashTableIter codes_iter;
      gpointer code;

      g_test_message ("font %s: %u codes shown", (const char *)key, g_hash_table_size (codes));
      g_assert_true (json_object_has_member (font_resources, (const char *)key));
      type0 = dict_of (pdf, json_object_get_member (font_resources, (const char *)key));
      g_assert_cmpstr (string_member (type0, "/Subtype"), ==, "/Type0");
      g_assert_cmpstr (string_member (type0, "/Encoding"), ==, "/Identity-H");
      descendants = json_object_get_array_member (type0, "/DescendantFonts");
      g_assert_cmpuint (json_array_get_length (descendants), ==, 1);
      cid_font = dict_of (pdf, json_array_get_element (descendants, 0));
      g_assert_cmpstr (string_member (cid_font, "/Subtype"), ==, "/CIDFontType2");

      info = dict_of (pdf, json_object_get_member (cid_font, "/CIDSystemInfo"));
      g_assert_cmpstr (string_member (info, "/Registry"), ==, "u:Adobe");
      g_assert_cmpstr (string_member (info, "/Ordering"), ==, "u:Identity");
      g_assert_cmpint (json_object_get_int_member (info, "/Supplement"), ==, 0);

      descriptor = dict_of (pdf, json_object_get_member (cid_font, "/FontDescriptor"));
      g_assert_cmpstr (string_member (descriptor, "/Type"), ==, "/FontDescriptor");
      font_name = string_member (descriptor, "/FontName");
      g_assert_true (is_subset_name (font_name));
      g_assert_cmpstr (string_member (cid_font, "/BaseFont"), ==, font_name);
      g_assert_cmpstr (string_member (type0, "/BaseFont"), ==, font_name);
      for (guint k = 0; k < 8; k++)
        {
          const char *required[] = { "/Flags", "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent",
                                     "/CapHeight", "/StemV", "/FontFile2" };

          if (!json_object_has_member (descriptor, required[k]))
            g_error ("%s: the font descriptor has no %s", font_name, required[k]);
        }
      bbox = json_object_get_array_member (descriptor, "/FontBBox");
      g_assert_cmpuint (json_array_get_length (bbox), ==, 4);

      program = stream_data (pdf, json_object_get_member (descriptor, "/FontFile2"));
      g_assert_cmpint (FT_New_Memory_Face (library, g_bytes_get_data (program, NULL),
                                           (FT_Long)g_bytes_get_size (program), 0, &face), ==, 0);
      g_assert_true (FT_IS_SFNT (face));

      map_node = json_object_get_member (cid_font, "/CIDToGIDMap");
      g_assert_nonnull (map_node);
      if (!is_ref (map_node))
        g_assert_cmpstr (json_node_get_string (map_node), ==, "/Identity");
      else
        map = stream_data (pdf, map_node);

      g_assert_true (json_object_has_member (cid_font, "/W"));
      widths = widths_of (json_object_get_array_member (cid_font, "/W"));
      cmap = stream_data (pdf, json_object_get_member (type0, "/ToUnicode"));
      unicode = to_unicode_codes (cmap);

      g_hash_table_iter_init (&codes_iter, codes);
      while (g_hash_table_iter_next (&codes_iter, &code, NULL))
        {
          guint cid = GPOINTER_TO_UINT (code), gid = cid;
          FT_Fixed advance;

          if (map)
            {
              const guint8 *bytes = g_bytes_get_data (map, NULL);

              g_assert_cmpuint (2 * cid + 1, <, g_bytes_get_size (map));
              gid = (guint)bytes[2 * cid] << 8 | bytes[2 * cid + 1];
            }
          if (gid == 0 || gid >= (guint)face->num_glyphs)
            g_error ("%s: CID %u maps to glyph %u of %ld", font_name, cid, gid, face->num_glyphs);
          g_assert_cmpint (FT_Load_Glyph (face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                                          FT_LOAD_NO_BITMAP), ==, 0);
          advance = face->glyph->metrics.horiAdvance * 1000 / face->units_per_EM;
          if (!g_hash_table_contains (widths, code))
            g_error ("%s: CID %u has no /W width", font_name, cid);
          if (GPOINTER_TO_INT (g_hash_table_lookup (widths, code)) != advance)
            g_error ("%s: CID %u (glyph %u) is %d wide in /W, %ld in the font program",
                     font_name, cid, gid, GPOINTER_TO_INT (g_hash_table_lookup (widths, code)),
                     (long)advance);
          if (!g_hash_table_contains (unicode, code))
            g_error ("%s: CID %u has no ToUnicode entry", font_name, cid);
          checked++;
        }
      FT_Done_Face (face);
    }

  return checked;
}

static void
consent_request (CkPdfRequest *request,
                 CkTemplate   *template,
                 CkSignature  *signature,
                 GDateTime    *created,
                 const char   *name)
{
  memset (request, 0, sizeof *request);
  request->template = template;
  request->signature = signature;
  request->created = created;
  request->values[CK_TEMPLATE_FIELD_COMPANY] = "示例银行股份有限";
  request->values[CK_TEMPLATE_FIELD_BUSINESS] = "个人贷款";
  request->values[CK_TEMPLATE_FIELD_PURPOSE] = "身份核验和风险管理";
  request->values[CK_TEMPLATE_FIELD_NAME] = name;
  request->values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  request->values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  request->values[CK_TEMPLATE_FIELD_MONTH] = "11";
  request->values[CK_TEMPLATE_FIELD_DAY] = "28";
  request->consent_id = "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11";
  request->kiosk_id = "branch-042-kiosk-1";
  request->organization = "示例银行股份有限公司";
}

/* The standard consent, with a common and with a rare name. */
static void
test_pdf_fonts_consent (void)
{
  static const char *names[] = { "张三", "王䶮" };
  g_autoptr(CkTemplate) template = ck_template_new_default (NULL);
  g_autoptr(CkSignature) signature = ck_sample_signature_new (400);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(Pdf) pdf;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      CkPdfRequest request;
      guint checked, n_fonts = 0;

      consent_request (&request, template, signature, created, names[i]);
      bytes = ck_pdf_render (fonts, &request, &error);
      g_assert_no_error (error);
      pdf_load (&pdf, bytes, "consent.pdf");
      checked = check_page_fonts (&pdf, &n_fonts);
      g_test_message ("name %u: %u codes in %u fonts checked", i, checked, n_fonts);
      g_assert_cmpuint (checked, >, 200);
    }
}

/* A specimen with characters from three TrueType fonts (WenQuanYi Micro
 * Hei; U+FA70 and U+FA71 only in AR PL UMing, the hexagrams U+4DC0 and
 * U+4DC1 only in HanaMin A) and two drawn from outlines: each font its own
 * objects, every code checked. */
static void
test_pdf_fonts_specimen (void)
{
  static const char *text = "张三ABCxyz0123，。“”《》䶮乂\uFA70\uFA71\u4DC0\u4DC1鿋𠮷";
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Pdf) pdf;
  guint checked, n_fonts = 0, n_text = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint font;
      CkFontUse use;

      g_array_append_val (chars, c);
      g_assert_true (ck_font_set_lookup (fonts, c, &font, &use));
      n_text += use == CK_FONT_USE_TEXT;
    }
  bytes = ck_pdf_render_specimen (fonts, (const gunichar *)(gpointer)chars->data, chars->len, 24, &error);
  g_assert_no_error (error);
  pdf_load (&pdf, bytes, "specimen.pdf");
  checked = check_page_fonts (&pdf, &n_fonts);
  g_test_message ("specimen: %u codes in %u fonts checked, %u of %u characters as text",
                  checked, n_fonts, n_text, chars->len);
  g_assert_cmpuint (n_fonts, ==, 3);
  g_assert_cmpuint (n_text, <, chars->len);      /* some drawn, with the carrier as text */
  g_assert_cmpuint (checked, >=, n_text);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-test-pdf-fonts-XXXXXX");

  g_assert_cmpint (FT_Init_FreeType (&library), ==, 0);

  g_test_add_func ("/pdf-fonts/consent", test_pdf_fonts_consent);
  g_test_add_func ("/pdf-fonts/specimen", test_pdf_fonts_specimen);

  status = g_test_run ();

  FT_Done_FreeType (library);
  ck_pdf_fixture_finish ();

  return status;
}
