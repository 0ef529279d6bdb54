/* test-pdfa.c: the consent PDF against the rules of PDF/A-2b (ISO 19005-2)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each test checks one group of rules on the rendered file, read through
 * qpdf's JSON (objects as written, and streams decoded) and, where the
 * rule is about bytes, the file itself. Nothing here knows how ck-pdf.c
 * writes a font or a dictionary: only what the output holds counts.
 * docs/PDFA.md maps each clause to the test that checks it. */

#define _GNU_SOURCE   /* memmem() */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ck-seal.h"
#include "pdf-fixture.h"

#define NS_RDF    "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC     "http://purl.org/dc/elements/1.1/"
#define NS_PDF    "http://ns.adobe.com/pdf/1.3/"
#define NS_XMP    "http://ns.adobe.com/xap/1.0/"
#define NS_PDFAID "http://www.aiim.org/pdfa/ns/id/"
#define NS_XML    "http://www.w3.org/XML/1998/namespace"

/* --- the file as qpdf reads it --------------------------------------- */

typedef struct
{
  GBytes *bytes;
  char *path;
  JsonParser *raw_parser;       /* objects as written: filters, lengths */
  JsonParser *decoded_parser;   /* streams decoded, their data inline */
  JsonObject *raw;              /* "obj:N G R" and "trailer" */
  JsonObject *decoded;
  char *pdf_version;
} Pdf;

static void
pdf_free (Pdf *pdf)
{
  g_clear_pointer (&pdf->bytes, g_bytes_unref);
  g_clear_object (&pdf->raw_parser);
  g_clear_object (&pdf->decoded_parser);
  if (pdf->path)
    g_unlink (pdf->path);
  g_clear_pointer (&pdf->path, g_free);
  g_clear_pointer (&pdf->pdf_version, g_free);
  g_free (pdf);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pdf, pdf_free)

static JsonParser *
qpdf_json (const char  *path,
           const char  *decode_level,
           const char  *stream_data,
           JsonObject **objects,
           char       **pdf_version)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *decode = g_strconcat ("--decode-level=", decode_level, NULL);
  g_autofree char *data = g_strconcat ("--json-stream-data=", stream_data, NULL);
  g_autofree char *out = NULL;
  JsonParser *parser = json_parser_new ();
  JsonArray *qpdf;

  out = ck_test_run_tool ((const char * const[]) { "qpdf", "--json=2", "--json-key=qpdf", decode, data,
                                                    path, "-", NULL });
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  qpdf = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "qpdf");
  g_assert_cmpuint (json_array_get_length (qpdf), ==, 2);
  *objects = json_array_get_object_element (qpdf, 1);
  if (pdf_version)
    *pdf_version = g_strdup (json_object_get_string_member (json_array_get_object_element (qpdf, 0),
                                                            "pdfversion"));

  return parser;
}

static Pdf *
pdf_load (GBytes     *bytes,
          const char *name)
{
  Pdf *pdf = g_new0 (Pdf, 1);

  pdf->bytes = g_bytes_ref (bytes);
  pdf->path = ck_pdf_fixture_save (bytes, name);

  pdf->raw_parser = qpdf_json (pdf->path, "none", "none", &pdf->raw, &pdf->pdf_version);
  pdf->decoded_parser = qpdf_json (pdf->path, "all", "inline", &pdf->decoded, NULL);

  return pdf;
}

static Pdf *
render (const CkPdfRequest *request,
        const char         *name)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = ck_pdf_render (fonts, request, &error);
  g_assert_no_error (error);

  return pdf_load (bytes, name);
}

/* "5 0 R" → "obj:5 0 R", or NULL when @node is no reference. */
static char *
reference_key (JsonNode *node)
{
  const char *s;
  guint n, g;
  char r;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  if (sscanf (s, "%u %u %c", &n, &g, &r) != 3 || r != 'R')
    return NULL;

  return g_strconcat ("obj:", s, NULL);
}

/* What @node is, references followed: a stream stands for its dictionary. */
static JsonNode *
resolve_in (JsonObject *objects,
            JsonNode   *node)
{
  g_autofree char *key = reference_key (node);
  JsonObject *object;

  if (key == NULL)
    return node;

  g_assert_true (json_object_has_member (objects, key));
  object = json_object_get_object_member (objects, key);
  if (json_object_has_member (object, "stream"))
    return json_object_get_member (json_object_get_object_member (object, "stream"), "dict");

  return json_object_get_member (object, "value");
}

static JsonNode *
resolve (Pdf      *pdf,
         JsonNode *node)
{
  return resolve_in (pdf->raw, node);
}

static gboolean
is_stream (Pdf      *pdf,
           JsonNode *node)
{
  g_autofree char *key = reference_key (node);

  return key && json_object_has_member (json_object_get_object_member (pdf->raw, key), "stream");
}

/* A dictionary entry, references followed; NULL when absent. */
static JsonNode *
dict_get (Pdf        *pdf,
          JsonNode   *dict,
          const char *key)
{
  JsonObject *object;

  dict = resolve (pdf, dict);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (dict));
  object = json_node_get_object (dict);
  if (!json_object_has_member (object, key))
    return NULL;

  return resolve (pdf, json_object_get_member (object, key));
}

static const char *
node_string (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);

  return json_node_get_string (node);
}

/* A name, with its slash: "/Catalog". */
static const char *
dict_get_name (Pdf        *pdf,
               JsonNode   *dict,
               const char *key)
{
  JsonNode *node = dict_get (pdf, dict, key);

  return node ? node_string (node) : NULL;
}

/* A text string as qpdf decodes it ("u:…"), as UTF-8. */
static const char *
text_string (JsonNode *node)
{
  const char *s = node_string (node);

  g_assert_true (g_str_has_prefix (s, "u:"));

  return s + 2;
}

static double
node_number (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);

  return json_node_get_double (node);
}

/* A stream's data, decoded. */
static GBytes *
stream_data (Pdf      *pdf,
             JsonNode *node)
{
  g_autofree char *key = reference_key (node);
  JsonObject *stream;
  const char *base64;
  guchar *data;
  gsize len;

  g_assert_nonnull (key);
  stream = json_object_get_object_member (json_object_get_object_member (pdf->decoded, key), "stream");
  g_assert_true (json_object_has_member (stream, "data"));
  base64 = json_object_get_string_member (stream, "data");
  data = g_base64_decode (base64, &len);

  return g_bytes_new_take (data, len);
}

static JsonNode *
catalog (Pdf *pdf)
{
  JsonNode *trailer = json_object_get_member (json_object_get_object_member (pdf->raw, "trailer"),
                                              "value");
  JsonNode *root = dict_get (pdf, trailer, "/Root");

  g_assert_cmpstr (dict_get_name (pdf, root, "/Type"), ==, "/Catalog");

  return root;
}

static JsonObject *
trailer (Pdf *pdf)
{
  return json_node_get_object (json_object_get_member (json_object_get_object_member (pdf->raw, "trailer"),
                                                       "value"));
}

/* Every page object, in order, with the resources it inherits. */
static void
collect_pages (Pdf       *pdf,
               JsonNode  *node,
               JsonNode  *resources,
               GPtrArray *pages,
               GPtrArray *page_resources)
{
  JsonNode *own = dict_get (pdf, node, "/Resources");
  const char *type = dict_get_name (pdf, node, "/Type");

  if (own)
    resources = own;

  if (g_strcmp0 (type, "/Pages") == 0)
    {
      JsonArray *kids = json_node_get_array (dict_get (pdf, node, "/Kids"));

      for (guint i = 0; i < json_array_get_length (kids); i++)
        collect_pages (pdf, json_array_get_element (kids, i), resources, pages, page_resources);
      return;
    }

  g_assert_cmpstr (type, ==, "/Page");
  g_ptr_array_add (pages, node);
  g_ptr_array_add (page_resources, resources);
}

/* The page's content, its streams joined. */
static GBytes *
page_contents (Pdf      *pdf,
               JsonNode *page)
{
  JsonObject *object = json_node_get_object (resolve (pdf, page));
  JsonNode *contents = json_object_get_member (object, "/Contents");
  GByteArray *all = g_byte_array_new ();

  if (JSON_NODE_HOLDS_ARRAY (contents))
    {
      JsonArray *array = json_node_get_array (contents);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GBytes) part = stream_data (pdf, json_array_get_element (array, i));

          g_byte_array_append (all, g_bytes_get_data (part, NULL), g_bytes_get_size (part));
          g_byte_array_append (all, (const guint8 *)"\n", 1);
        }
    }
  else
    {
      g_autoptr(GBytes) part = stream_data (pdf, contents);

      g_byte_array_append (all, g_bytes_get_data (part, NULL), g_bytes_get_size (part));
    }

  return g_byte_array_free_to_bytes (all);
}

/* --- content streams ------------------------------------------------- */

typedef enum
{
  TOKEN_NUMBER,
  TOKEN_NAME,
  TOKEN_STRING,       /* literal or hex: the bytes */
  TOKEN_OPERATOR,
  TOKEN_ARRAY_START,
  TOKEN_ARRAY_END,
  TOKEN_DICT_START,
  TOKEN_DICT_END,
} TokenKind;

typedef struct
{
  TokenKind kind;
  GBytes *bytes;      /* the string's bytes, the name or the operator */
} Token;

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_clear_pointer (&token->bytes, g_bytes_unref);
}

static gboolean
is_delimiter (guint8 c)
{
  return strchr ("()<>[]{}/%", c) != NULL && c != '\0';
}

static gboolean
is_white (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

static gboolean
token_is (const Token *token,
          const char  *text)
{
  gsize len = 0;
  const char *data = token->bytes ? g_bytes_get_data (token->bytes, &len) : NULL;

  return data && len == strlen (text) && memcmp (data, text, len) == 0;
}

static char *
token_text (const Token *token)
{
  gsize len;
  const char *data = g_bytes_get_data (token->bytes, &len);

  return g_strndup (data, len);
}

/* Splits a content stream into tokens (ISO 32000-1, 7.2). */
static GArray *
tokenize (GBytes *content)
{
  gsize len;
  const guint8 *s = g_bytes_get_data (content, &len);
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  gsize i = 0;

  g_array_set_clear_func (tokens, token_clear);

  while (i < len)
    {
      Token token = { 0 };

      if (is_white (s[i]))
        {
          i++;
          continue;
        }
      if (s[i] == '%')
        {
          while (i < len && s[i] != '\n' && s[i] != '\r')
            i++;
          continue;
        }

      if (s[i] == '(')
        {
          GByteArray *text = g_byte_array_new ();
          guint depth = 1;

          for (i++; i < len && depth > 0; i++)
            {
              guint8 c = s[i];

              if (c == '\\' && i + 1 < len)
                {
                  c = s[++i];
                  if (c >= '0' && c <= '7')
                    {
                      guint v = 0;

                      for (guint k = 0; k < 3 && i < len && s[i] >= '0' && s[i] <= '7'; k++)
                        v = v * 8 + (s[i++] - '0');
                      i--;
                      c = (guint8)v;
                    }
                  else if (c == 'n')
                    c = '\n';
                  else if (c == 'r')
                    c = '\r';
                  else if (c == 't')
                    c = '\t';
                  else if (c == 'b')
                    c = '\b';
                  else if (c == 'f')
                    c = '\f';
                  g_byte_array_append (text, &c, 1);
                  continue;
                }
              if (c == '(')
                depth++;
              else if (c == ')' && --depth == 0)
                continue;
              g_byte_array_append (text, &c, 1);
            }
          g_assert_cmpuint (depth, ==, 0);
          token.kind = TOKEN_STRING;
          token.bytes = g_byte_array_free_to_bytes (text);
        }
      else if (s[i] == '<' && i + 1 < len && s[i + 1] == '<')
        {
          token.kind = TOKEN_DICT_START;
          i += 2;
        }
      else if (s[i] == '>' && i + 1 < len && s[i + 1] == '>')
        {
          token.kind = TOKEN_DICT_END;
          i += 2;
        }
      else if (s[i] == '<')
        {
          GByteArray *text = g_byte_array_new ();
          int high = -1;

          for (i++; i < len && s[i] != '>'; i++)
            {
              int v = g_ascii_xdigit_value (s[i]);

              if (is_white (s[i]))
                continue;
              g_assert_cmpint (v, >=, 0);
              if (high < 0)
                high = v;
              else
                {
                  guint8 b = (guint8)(high * 16 + v);

                  g_byte_array_append (text, &b, 1);
                  high = -1;
                }
            }
          g_assert_cmpuint (i, <, len);
          /* ISO 19005-2, 6.1.6: an even number of hex digits. */
          g_assert_cmpint (high, ==, -1);
          i++;
          token.kind = TOKEN_STRING;
          token.bytes = g_byte_array_free_to_bytes (text);
        }
      else if (s[i] == '[' || s[i] == ']')
        {
          token.kind = s[i] == '[' ? TOKEN_ARRAY_START : TOKEN_ARRAY_END;
          i++;
        }
      else
        {
          gsize start = i;

          if (s[i] == '/')
            i++;
          while (i < len && !is_white (s[i]) && !is_delimiter (s[i]))
            i++;
          g_assert_cmpuint (i, >, start);
          token.bytes = g_bytes_new (s + start, i - start);
          if (s[start] == '/')
            token.kind = TOKEN_NAME;
          else if (g_ascii_isdigit (s[start]) || s[start] == '-' || s[start] == '+' || s[start] == '.' ||
                   token_is (&token, "true") || token_is (&token, "false") || token_is (&token, "null"))
            token.kind = TOKEN_NUMBER;   /* an operand, at least */
          else
            token.kind = TOKEN_OPERATOR;
        }

      g_array_append_val (tokens, token);
    }

  return tokens;
}

/* The operators of ISO 32000-1, Annex A; 6.2.2 allows no other. */
static const char *const operators[] = {
  "b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0", "d1",
  "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i", "ID", "j", "J",
  "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri", "s", "S", "SC", "sc",
  "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts", "Tw",
  "Tz", "v", "w", "W", "W*", "y", "'", "\"",
};

/* The operators that set a colour or a colour space. */
static const char *const colour_operators[] = {
  "CS", "cs", "SC", "sc", "SCN", "scn", "G", "g", "RG", "rg", "K", "k", "sh",
};

/* What one page's content does, as far as these tests ask. */
typedef struct
{
  GHashTable *operators;     /* operator → count */
  GPtrArray *shown_fonts;    /* font resource name of each shown string */
  GPtrArray *shown;          /* GBytes: the string's codes */
} Content;

static void
content_clear (Content *content)
{
  g_clear_pointer (&content->operators, g_hash_table_unref);
  g_clear_pointer (&content->shown_fonts, g_ptr_array_unref);
  g_clear_pointer (&content->shown, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Content, content_clear)

static void
read_content (GBytes  *data,
              Content *content)
{
  g_autoptr(GArray) tokens = tokenize (data);
  g_autofree char *font = NULL;
  guint operands = 0;   /* index of the first operand of the next operator */

  content->operators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  content->shown_fonts = g_ptr_array_new_with_free_func (g_free);
  content->shown = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = &g_array_index (tokens, Token, i);
      g_autofree char *op = NULL;
      gboolean known = FALSE;

      if (token->kind != TOKEN_OPERATOR)
        continue;

      op = token_text (token);
      for (guint k = 0; k < G_N_ELEMENTS (operators); k++)
        known |= g_str_equal (op, operators[k]);
      if (!known)
        g_error ("content stream operator “%s” is not defined in ISO 32000-1", op);
      /* Inline images are allowed with conditions this file never needs. */
      g_assert_cmpstr (op, !=, "BI");

      g_hash_table_insert (content->operators, g_strdup (op),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (content->operators, op)) + 1));

      if (g_str_equal (op, "Tf"))
        {
          g_assert_cmpuint (i, >=, operands + 2);
          g_assert_cmpint (g_array_index (tokens, Token, i - 2).kind, ==, TOKEN_NAME);
          g_free (font);
          font = token_text (&g_array_index (tokens, Token, i - 2));
        }
      else if (g_str_equal (op, "Tj") || g_str_equal (op, "TJ") ||
               g_str_equal (op, "'") || g_str_equal (op, "\""))
        {
          g_assert_nonnull (font);
          for (guint k = operands; k < i; k++)
            {
              const Token *operand = &g_array_index (tokens, Token, k);

              if (operand->kind == TOKEN_STRING)
                {
                  g_ptr_array_add (content->shown_fonts, g_strdup (font));
                  g_ptr_array_add (content->shown, g_bytes_ref (operand->bytes));
                }
            }
        }
      operands = i + 1;
    }
}

/* Finds "N G obj" at the start of a line; returns the offset after it. */
static gsize
find_object (const guint8 *data,
             gsize         len,
             const char   *ref)     /* "N G R" */
{
  guint n, g;
  g_autofree char *head = NULL;
  gsize head_len;

  g_assert_cmpint (sscanf (ref, "%u %u R", &n, &g), ==, 2);
  head = g_strdup_printf ("%u %u obj", n, g);
  head_len = strlen (head);
  for (gsize i = 0; i + head_len <= len; i++)
    if ((i == 0 || data[i - 1] == '\n' || data[i - 1] == '\r') &&
        memcmp (data + i, head, head_len) == 0 &&
        (i + head_len == len || is_white (data[i + head_len]) || data[i + head_len] == '<'))
      return i + head_len;

  g_error ("object %s is not in the file", ref);
}

/* A value anywhere in the file, with the key that led to it. */
typedef void (*VisitFunc) (const char *key,
                           JsonNode   *value,
                           gpointer    user_data);

static void
visit (JsonNode   *node,
       const char *key,
       VisitFunc   func,
       gpointer    user_data)
{
  func (key, node, user_data);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &value))
        visit (value, member, func, user_data);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        visit (json_array_get_element (array, i), key, func, user_data);
    }
}

/* --- tests: file structure ------------------------------------------- */

static void
check_limits (const char *key,
              JsonNode   *value,
              gpointer    user_data)
{
  if (key && strlen (key) > 128)   /* the slash and 127 bytes */
    g_error ("name %s is too long", key);
  if (!JSON_NODE_HOLDS_VALUE (value))
    return;
  if (json_node_get_value_type (value) == G_TYPE_INT64)
    {
      gint64 n = json_node_get_int (value);

      g_assert_cmpint (n, >=, G_MININT32);
      g_assert_cmpint (n, <=, G_MAXINT32);
    }
  else if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
    g_assert_cmpfloat (fabs (json_node_get_double (value)), <=, 3.403e38);
  else if (json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (value);

      if (s[0] == '/')
        g_assert_cmpuint (strlen (s), <=, 128);
      /* qpdf writes a string as "u:" and UTF-8, or "b:" and hex. */
      else if (g_str_has_prefix (s, "b:"))
        g_assert_cmpuint (strlen (s + 2) / 2, <=, 32767);
      else if (g_str_has_prefix (s, "u:"))
        {
          g_autofree gunichar2 *utf16 = NULL;
          glong n = 0;

          /* At most UTF-16 with its byte order mark. */
          utf16 = g_utf8_to_utf16 (s + 2, -1, NULL, &n, NULL);
          g_assert_nonnull (utf16);
          g_assert_cmpint (2 + 2 * n, <=, 32767);
        }
    }
}

/* 6.1.2 the header; 6.1.3 the trailer's ID, no Encrypt, nothing after
 * %%EOF; 6.1.4 the xref keyword; 6.1.9 obj and endobj on lines of their
 * own; 6.1.13 implementation limits; and the same request gives the same
 * bytes, the ID too. */
static void
test_pdfa_file_structure (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(Pdf) pdf = NULL;
  g_autoptr(Pdf) other = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  const char *id[2];
  JsonArray *ids;
  gsize len, i, eol;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = render (&consent.request, "structure.pdf");
  data = g_bytes_get_data (pdf->bytes, &len);

  /* 6.1.2: "%PDF-1.7", an end of line, then a comment of at least four
   * bytes above 127. */
  g_assert_cmpuint (len, >, 16);
  g_assert_cmpmem (data, 8, "%PDF-1.7", 8);
  g_assert_cmpstr (pdf->pdf_version, ==, "1.7");
  i = 8;
  g_assert_true (data[i] == '\n' || data[i] == '\r');
  i += data[i] == '\r' && data[i + 1] == '\n' ? 2 : 1;
  g_assert_cmpint (data[i], ==, '%');
  for (guint k = 1; k <= 4; k++)
    g_assert_cmpint (data[i + k], >, 127);

  /* 6.1.3: the last thing is %%EOF, and at most one end of line after it. */
  eol = data[len - 1] == '\n' ? (len >= 2 && data[len - 2] == '\r' ? 2 : 1) : data[len - 1] == '\r';
  g_assert_cmpuint (len, >, eol + 5);
  g_assert_cmpmem (data + len - eol - 5, 5, "%%EOF", 5);

  /* 6.1.3: an ID of two strings, here the same 16 bytes; no Encrypt. */
  g_assert_false (json_object_has_member (trailer (pdf), "/Encrypt"));
  g_assert_true (json_object_has_member (trailer (pdf), "/ID"));
  ids = json_object_get_array_member (trailer (pdf), "/ID");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  for (guint k = 0; k < 2; k++)
    {
      id[k] = node_string (json_array_get_element (ids, k));
      g_assert_true (g_str_has_prefix (id[k], "b:"));
      g_assert_cmpuint (strlen (id[k]), ==, 2 + 2 * 16);
    }
  g_assert_cmpstr (id[0], ==, id[1]);
  g_test_message ("ID %s", id[0] + 2);

  /* 6.1.4: the xref keyword, one end of line, the subsection header. */
  {
    const guint8 *p = memmem (data + len - 64, 64, "startxref", 9);
    g_autofree char *header = NULL;
    guint64 offset;

    g_assert_nonnull (p);
    offset = g_ascii_strtoull ((const char *)p + 10, NULL, 10);
    g_assert_cmpuint (offset + 4, <, len);
    g_assert_cmpmem (data + offset, 4, "xref", 4);
    i = offset + 4;
    i += data[i] == '\r' && data[i + 1] == '\n' ? 2 : 1;
    g_assert_true (data[i - 1] == '\n' || data[i - 1] == '\r');
    header = g_strndup ((const char *)data + i, 24);
    g_assert_true (g_regex_match_simple ("^\\d+ \\d+\r?\n", header, 0, 0));
  }

  /* 6.1.9: "N G obj" ends its line, "endobj" starts one. */
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;

    json_object_iter_init (&iter, pdf->raw);
    while (json_object_iter_next (&iter, &key, &value))
      {
        gsize at;
        const guint8 *end;

        if (!g_str_has_prefix (key, "obj:"))
          continue;
        at = find_object (data, len, key + 4);
        g_assert_true (data[at] == '\n' || data[at] == '\r');
        if (json_object_has_member (json_node_get_object (value), "stream"))
          continue;   /* test_pdfa_streams reads up to endstream */
        end = memmem (data + at, len - at, "endobj", 6);
        g_assert_nonnull (end);
        g_assert_true (end[-1] == '\n' || end[-1] == '\r');
      }
  }

  /* 6.1.13: within the implementation limits of ISO 32000-1, Annex C. */
  visit (json_object_get_member (pdf->raw, "trailer"), NULL, check_limits, NULL);
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;

    json_object_iter_init (&iter, pdf->raw);
    while (json_object_iter_next (&iter, &key, &value))
      visit (value, NULL, check_limits, NULL);
  }

  /* Reproducible: the same request, the same bytes. */
  again = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pdf->bytes, again));

  /* Another consent, another ID. */
  consent.request.consent_id = "5a1c7e0b-3f9d-4b2a-8e6c-1d2f3a4b5c6d";
  other = render (&consent.request, "other.pdf");
  g_assert_cmpstr (node_string (json_array_get_element (json_object_get_array_member (trailer (other), "/ID"), 0)),
                   !=, id[0]);
}

/* 6.1.7: every stream's Length is its length, "stream" is followed by CRLF
 * or LF and "endstream" preceded by an end of line; no external data, no
 * LZW or Crypt filter; qpdf finds no error. */
static void
test_pdfa_streams (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *check = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  const guint8 *data;
  gsize len;
  guint n_streams = 0;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = render (&consent.request, "streams.pdf");
  data = g_bytes_get_data (pdf->bytes, &len);

  check = ck_test_run_tool ((const char * const[]) { "qpdf", "--check", pdf->path, NULL });
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));

  json_object_iter_init (&iter, pdf->raw);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonObject *object = json_node_get_object (value);
      JsonObject *dict;
      JsonNode *filter, *length_node;
      gsize at, length;

      if (!json_object_has_member (object, "stream"))
        continue;
      n_streams++;
      dict = json_object_get_object_member (json_object_get_object_member (object, "stream"), "dict");

      g_assert_false (json_object_has_member (dict, "/F"));
      g_assert_false (json_object_has_member (dict, "/FFilter"));
      g_assert_false (json_object_has_member (dict, "/FDecodeParms"));

      filter = json_object_get_member (dict, "/Filter");
      if (filter)
        {
          g_autoptr(JsonArray) single = NULL;
          JsonArray *filters;

          if (JSON_NODE_HOLDS_ARRAY (filter))
            filters = json_node_get_array (filter);
          else
            {
              single = json_array_new ();
              json_array_add_element (single, json_node_copy (filter));
              filters = single;
            }
          for (guint k = 0; k < json_array_get_length (filters); k++)
            {
              const char *name = node_string (json_array_get_element (filters, k));

              g_assert_cmpstr (name, !=, "/LZWDecode");
              g_assert_cmpstr (name, !=, "/Crypt");
            }
        }

      /* The bytes between "stream" and "endstream" are Length long. */
      length_node = resolve (pdf, json_object_get_member (dict, "/Length"));
      length = (gsize)node_number (length_node);
      at = find_object (data, len, key + strlen ("obj:"));
      while (at + 6 <= len && memcmp (data + at, "stream", 6) != 0)
        {
          g_assert_true (memcmp (data + at, "endobj", 6) != 0);
          at++;
        }
      g_assert_cmpuint (at + 6, <=, len);
      at += 6;
      if (data[at] == '\r')
        at++;
      g_assert_cmpint (data[at], ==, '\n');
      at++;
      g_assert_cmpuint (at + length, <=, len);
      at += length;
      if (data[at] == '\r')
        at++;
      if (data[at] == '\n')
        at++;
      g_assert_true (data[at - 1] == '\n' || data[at - 1] == '\r');
      if (at + 9 > len || memcmp (data + at, "endstream", 9) != 0)
        g_error ("%s: no endstream after Length %zu bytes", key, length);
    }

  g_test_message ("%u streams checked", n_streams);
  g_assert_cmpuint (n_streams, >=, 5);
}

/* --- tests: graphics ------------------------------------------------- */

/* 6.2.3 one PDF/A output intent with an RGB display or printer profile;
 * 6.2.4.3 DeviceRGB and DeviceGray only, which that intent allows; 6.2.2
 * only the operators of ISO 32000-1. */
static void
test_pdfa_output_intent (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(Pdf) pdf = NULL;
  g_autoptr(GBytes) profile = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  g_autofree char *expected = NULL;
  JsonNode *intents_node, *intent, *dest;
  JsonArray *intents;
  const guint8 *icc;
  gsize expected_len, icc_len;
  guint rgb = 0;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = render (&consent.request, "intent.pdf");

  intents_node = dict_get (pdf, catalog (pdf), "/OutputIntents");
  g_assert_nonnull (intents_node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (intents_node));
  intents = json_node_get_array (intents_node);
  g_assert_cmpuint (json_array_get_length (intents), ==, 1);

  intent = json_array_get_element (intents, 0);
  g_assert_cmpstr (dict_get_name (pdf, intent, "/Type"), ==, "/OutputIntent");
  g_assert_cmpstr (dict_get_name (pdf, intent, "/S"), ==, "/GTS_PDFA1");
  g_assert_cmpstr (text_string (dict_get (pdf, intent, "/OutputConditionIdentifier")), ==,
                   "sRGB IEC61966-2.1");
  g_assert_null (dict_get (pdf, intent, "/DestOutputProfileRef"));

  /* The profile: a stream of three components, the configured file. */
  dest = json_object_get_member (json_node_get_object (resolve (pdf, intent)), "/DestOutputProfile");
  g_assert_true (is_stream (pdf, dest));
  g_assert_cmpfloat (node_number (dict_get (pdf, dest, "/N")), ==, 3);
  profile = stream_data (pdf, dest);
  icc = g_bytes_get_data (profile, &icc_len);
  g_assert_true (g_file_get_contents (CK_SRGB_PROFILE, &expected, &expected_len, NULL));
  g_assert_cmpmem (icc, icc_len, expected, expected_len);
  g_assert_cmpuint (icc_len, >=, 128);
  g_assert_cmpmem (icc + 36, 4, "acsp", 4);
  g_assert_cmpmem (icc + 16, 4, "RGB ", 4);
  g_assert_true (memcmp (icc + 12, "mntr", 4) == 0 || memcmp (icc + 12, "prtr", 4) == 0);
  g_assert_cmpint (icc[8], <=, 4);

  /* The pages paint in DeviceGray and DeviceRGB only, set with g/G and
   * rg/RG; they name no colour space of their own. */
  collect_pages (pdf, dict_get (pdf, catalog (pdf), "/Pages"), NULL, pages, resources);
  g_assert_cmpuint (pages->len, >=, 1);
  for (guint p = 0; p < pages->len; p++)
    {
      g_autoptr(GBytes) data = page_contents (pdf, pages->pdata[p]);
      g_auto(Content) content = { 0 };
      GHashTableIter iter;
      gpointer op;

      read_content (data, &content);
      g_hash_table_iter_init (&iter, content.operators);
      while (g_hash_table_iter_next (&iter, &op, NULL))
        for (guint k = 0; k < G_N_ELEMENTS (colour_operators); k++)
          if (g_str_equal (op, colour_operators[k]) &&
              !g_str_equal (op, "g") && !g_str_equal (op, "G") &&
              !g_str_equal (op, "rg") && !g_str_equal (op, "RG"))
            g_error ("page %u sets a colour with %s", p + 1, (const char *)op);
      rgb += GPOINTER_TO_UINT (g_hash_table_lookup (content.operators, "rg"));
      /* 6.2.6: no rendering intent is chosen, so none but the standard. */
      g_assert_null (g_hash_table_lookup (content.operators, "ri"));

      if (resources->pdata[p])
        {
          g_assert_null (dict_get (pdf, resources->pdata[p], "/ColorSpace"));
          g_assert_null (dict_get (pdf, resources->pdata[p], "/Shading"));
          g_assert_null (dict_get (pdf, resources->pdata[p], "/Pattern"));
          g_assert_null (dict_get (pdf, resources->pdata[p], "/XObject"));
        }
    }
  /* The signature's ink is RGB: the reader above saw it. */
  g_assert_cmpuint (rgb, >, 0);
}

static void
check_no_transparency_or_action (const char *key,
                                 JsonNode   *value,
                                 gpointer    user_data)
{
  guint *n_values = user_data;
  static const char *const forbidden[] = {
    /* 6.5 actions and 6.6.1 JavaScript */
    "/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/Next",
    /* 6.1.3 */
    "/Encrypt",
    /* 6.4 forms, 6.8 embedded files, 6.3 annotations, 6.9 optional
     * content, 6.1.12 permissions */
    "/AcroForm", "/EmbeddedFiles", "/Annots", "/OCProperties", "/Perms",
    /* no transparency at all: no soft masks, no groups */
    "/SMask", "/Group",
    /* 6.2.5: transfer functions and halftones with transfer functions */
    "/TR", "/TR2", "/HTP",
  };

  (*n_values)++;
  if (key == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    if (g_str_equal (key, forbidden[i]))
      g_error ("the file has %s", key);

  if (g_str_equal (key, "/CA") || g_str_equal (key, "/ca"))
    g_assert_cmpfloat (node_number (value), ==, 1.0);
  if (g_str_equal (key, "/BM"))
    {
      const char *mode = node_string (value);

      g_assert_true (g_str_equal (mode, "/Normal") || g_str_equal (mode, "/Compatible"));
    }
  /* A name or string anywhere naming JavaScript or an action is as bad. */
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (value);

      g_assert_cmpstr (s, !=, "/JavaScript");
      g_assert_cmpstr (s, !=, "/Launch");
      g_assert_cmpstr (s, !=, "/Transparency");
      g_assert_cmpstr (s, !=, "/LZWDecode");
    }
}

/* 6.2.10, 6.5, 6.6.1: no transparency (no soft mask, group, constant
 * alpha below 1 or blend mode other than Normal), no action, no
 * JavaScript, no Encrypt, forms, annotations or embedded files; in every
 * object of the file, used or not. */
static void
test_pdfa_no_transparency_no_actions (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(Pdf) pdf = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  g_autofree char *info = NULL;
  guint n_values = 0;

  ck_pdf_fixture_consent_init (&consent, "张三");
  consent.request.demo = TRUE;
  consent.request.example = TRUE;
  pdf = render (&consent.request, "plain.pdf");

  visit (json_object_get_member (pdf->raw, "trailer"), NULL, check_no_transparency_or_action, &n_values);
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;

    json_object_iter_init (&iter, pdf->raw);
    while (json_object_iter_next (&iter, &key, &value))
      visit (value, NULL, check_no_transparency_or_action, &n_values);
  }
  g_test_message ("%u values checked", n_values);
  g_assert_cmpuint (n_values, >, 100);

  /* Graphics states, where a page uses any, set no alpha either (the scan
   * above covers them); the content selects none it does not define. */
  collect_pages (pdf, dict_get (pdf, catalog (pdf), "/Pages"), NULL, pages, resources);
  for (guint p = 0; p < pages->len; p++)
    {
      g_autoptr(GBytes) data = page_contents (pdf, pages->pdata[p]);
      g_auto(Content) content = { 0 };

      read_content (data, &content);
      if (g_hash_table_lookup (content.operators, "gs"))
        g_assert_nonnull (dict_get (pdf, resources->pdata[p], "/ExtGState"));
      g_assert_null (g_hash_table_lookup (content.operators, "Do"));
    }

  info = ck_test_run_tool ((const char * const[]) { "pdfinfo", pdf->path, NULL });
  g_assert_nonnull (strstr (info, "JavaScript:      no\n"));
  g_assert_nonnull (strstr (info, "Encrypted:       no\n"));
}

/* --- tests: fonts ---------------------------------------------------- */

typedef struct
{
  Pdf *pdf;
  FT_Library library;
  guint n_fonts;
  guint n_glyphs;
} FontCheck;

static JsonNode *
font_file (Pdf      *pdf,
           JsonNode *descriptor,
           const char **which)
{
  static const char *const keys[] = { "/FontFile", "/FontFile2", "/FontFile3" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *node = json_object_get_member (json_node_get_object (resolve (pdf, descriptor)), keys[i]);

      if (node)
        {
          g_assert_true (is_stream (pdf, node));
          *which = keys[i];
          return node;
        }
    }

  return NULL;
}

/* The width /W (or /DW) gives a CID, or -1. */
static double
cid_width (Pdf      *pdf,
           JsonNode *cidfont,
           guint     cid)
{
  JsonNode *w = dict_get (pdf, cidfont, "/W");
  JsonNode *dw = dict_get (pdf, cidfont, "/DW");

  if (w)
    {
      JsonArray *array = json_node_get_array (w);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n;)
        {
          guint first = (guint)node_number (json_array_get_element (array, i));
          JsonNode *next = resolve (pdf, json_array_get_element (array, i + 1));

          if (JSON_NODE_HOLDS_ARRAY (next))
            {
              JsonArray *widths = json_node_get_array (next);

              if (cid >= first && cid < first + json_array_get_length (widths))
                return node_number (json_array_get_element (widths, cid - first));
              i += 2;
            }
          else
            {
              guint last = (guint)node_number (next);

              if (cid >= first && cid <= last)
                return node_number (json_array_get_element (array, i + 2));
              i += 3;
            }
        }
    }

  return dw ? node_number (dw) : 1000;
}

/* 6.2.11.3 and 6.2.11.4 for one composite font; 6.2.11.5 and 6.2.11.8
 * for the codes shown with it. */
static void
check_type0_font (FontCheck *check,
                  JsonNode  *font,
                  GPtrArray *shown)      /* GBytes of codes shown with it */
{
  Pdf *pdf = check->pdf;
  g_autoptr(GBytes) program = NULL;
  g_autoptr(GBytes) map = NULL;
  JsonNode *cidfont, *descriptor, *file, *to_gid, *cidset;
  JsonArray *descendants;
  const char *encoding, *subtype, *which = NULL;
  const guint8 *map_data = NULL;
  gsize map_len = 0;
  FT_Face face;

  /* 6.2.11.3.3: the CMap is Identity-H or -V (or embedded). */
  encoding = JSON_NODE_HOLDS_OBJECT (dict_get (pdf, font, "/Encoding"))
    ? NULL : dict_get_name (pdf, font, "/Encoding");
  if (encoding)
    g_assert_true (g_str_equal (encoding, "/Identity-H") || g_str_equal (encoding, "/Identity-V"));
  else
    g_assert_true (is_stream (pdf, json_object_get_member (json_node_get_object (resolve (pdf, font)), "/Encoding")));

  descendants = json_node_get_array (dict_get (pdf, font, "/DescendantFonts"));
  g_assert_cmpuint (json_array_get_length (descendants), ==, 1);
  cidfont = json_array_get_element (descendants, 0);
  subtype = dict_get_name (pdf, cidfont, "/Subtype");
  g_assert_true (g_str_equal (subtype, "/CIDFontType2") || g_str_equal (subtype, "/CIDFontType0"));
  g_assert_nonnull (dict_get (pdf, cidfont, "/CIDSystemInfo"));

  /* 6.2.11.4.1: the program is embedded, of the kind the font says. */
  descriptor = dict_get (pdf, cidfont, "/FontDescriptor");
  g_assert_nonnull (descriptor);
  file = font_file (pdf, json_object_get_member (json_node_get_object (resolve (pdf, cidfont)),
                                                 "/FontDescriptor"), &which);
  if (file == NULL)
    g_error ("font %s is not embedded", dict_get_name (pdf, font, "/BaseFont"));
  g_assert_cmpstr (which, ==, g_str_equal (subtype, "/CIDFontType2") ? "/FontFile2" : "/FontFile3");
  check->n_fonts++;

  /* 6.2.11.4.2: a CIDSet, if any, lists every CID shown. */
  cidset = json_object_get_member (json_node_get_object (resolve (pdf, descriptor)), "/CIDSet");
  if (cidset)
    {
      g_autoptr(GBytes) bits = stream_data (pdf, cidset);
      gsize bits_len;
      const guint8 *set = g_bytes_get_data (bits, &bits_len);

      for (guint s = 0; s < shown->len; s++)
        {
          gsize len;
          const guint8 *codes = g_bytes_get_data (shown->pdata[s], &len);

          for (gsize i = 0; i + 1 < len; i += 2)
            {
              guint cid = codes[i] << 8 | codes[i + 1];

              g_assert_cmpuint (cid / 8, <, bits_len);
              g_assert_true (set[cid / 8] & (0x80 >> (cid % 8)));
            }
        }
    }

  /* 6.2.11.3.2: a CIDFontType2 maps CIDs to glyphs, /Identity or a stream. */
  to_gid = json_object_get_member (json_node_get_object (resolve (pdf, cidfont)), "/CIDToGIDMap");
  if (g_str_equal (subtype, "/CIDFontType2"))
    {
      g_assert_nonnull (to_gid);
      if (is_stream (pdf, to_gid))
        {
          map = stream_data (pdf, to_gid);
          map_data = g_bytes_get_data (map, &map_len);
        }
      else
        g_assert_cmpstr (node_string (resolve (pdf, to_gid)), ==, "/Identity");
    }
  else
    return;   /* CFF: no TrueType glyph map to check against */

  /* 6.2.11.5: each shown glyph's width in the PDF is the program's. */
  program = stream_data (pdf, file);
  g_assert_cmpint (FT_New_Memory_Face (check->library, g_bytes_get_data (program, NULL),
                                       (FT_Long)g_bytes_get_size (program), 0, &face), ==, 0);
  for (guint s = 0; s < shown->len; s++)
    {
      gsize len;
      const guint8 *codes = g_bytes_get_data (shown->pdata[s], &len);

      /* Identity-H: two bytes a CID. */
      g_assert_cmpuint (len % 2, ==, 0);
      for (gsize i = 0; i < len; i += 2)
        {
          guint cid = codes[i] << 8 | codes[i + 1];
          guint gid = cid;
          double want, got;

          if (map_data)
            gid = 2 * cid + 1 < map_len ? (guint)(map_data[2 * cid] << 8 | map_data[2 * cid + 1]) : 0;
          /* 6.2.11.8: no .notdef. */
          if (gid == 0)
            g_error ("CID %u shows .notdef", cid);
          g_assert_cmpuint (gid, <, (guint)face->num_glyphs);
          g_assert_cmpint (FT_Load_Glyph (face, gid, FT_LOAD_NO_SCALE), ==, 0);
          want = face->glyph->metrics.horiAdvance * 1000.0 / face->units_per_EM;
          got = cid_width (pdf, cidfont, cid);
          if (fabs (got - want) > 1.0)
            g_error ("CID %u (glyph %u): width %g in the PDF, %g in the font", cid, gid, got, want);
          check->n_glyphs++;
        }
    }
  FT_Done_Face (face);
}

static void
check_fonts (FontCheck *check)
{
  Pdf *pdf = check->pdf;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  /* Every font in the file: embedded (6.2.11.4.1); Type3 fonts carry
   * their glyphs in themselves. */
  json_object_iter_init (&iter, pdf->raw);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonNode *dict = json_object_get_member (json_node_get_object (value), "value");
      const char *subtype, *which = NULL;
      JsonNode *descriptor;

      if (dict == NULL || !JSON_NODE_HOLDS_OBJECT (dict) ||
          g_strcmp0 (dict_get_name (pdf, dict, "/Type"), "/Font") != 0)
        continue;
      subtype = dict_get_name (pdf, dict, "/Subtype");
      if (g_str_equal (subtype, "/Type0") || g_str_equal (subtype, "/Type3"))
        continue;
      descriptor = json_object_get_member (json_node_get_object (dict), "/FontDescriptor");
      g_assert_nonnull (descriptor);
      if (font_file (pdf, descriptor, &which) == NULL)
        g_error ("%s (%s) is not embedded", key, subtype);
    }

  /* The fonts the pages show text with, and what they show. */
  collect_pages (pdf, dict_get (pdf, catalog (pdf), "/Pages"), NULL, pages, resources);
  for (guint p = 0; p < pages->len; p++)
    {
      g_autoptr(GBytes) data = page_contents (pdf, pages->pdata[p]);
      g_auto(Content) content = { 0 };
      JsonNode *font_resources = dict_get (pdf, resources->pdata[p], "/Font");
      JsonObjectIter fonts_iter;
      const char *name;
      JsonNode *font;

      read_content (data, &content);
      g_assert_nonnull (font_resources);
      json_object_iter_init (&fonts_iter, json_node_get_object (font_resources));
      while (json_object_iter_next (&fonts_iter, &name, &font))
        {
          g_autoptr(GPtrArray) shown = g_ptr_array_new ();
          const char *subtype = dict_get_name (pdf, font, "/Subtype");

          for (guint s = 0; s < content.shown->len; s++)
            if (g_str_equal (content.shown_fonts->pdata[s], name))
              g_ptr_array_add (shown, content.shown->pdata[s]);

          if (g_str_equal (subtype, "/Type0"))
            check_type0_font (check, font, shown);
          else
            g_error ("font %s is %s: this test reads composite fonts only", name, subtype);
        }
      /* Every font the content selects is in the resources. */
      for (guint s = 0; s < content.shown_fonts->len; s++)
        g_assert_nonnull (dict_get (pdf, font_resources, content.shown_fonts->pdata[s]));
    }
}

/* 6.2.11.4.1 every font embedded; 6.2.11.3 composite fonts with an
 * Identity CMap and a CIDToGIDMap; 6.2.11.5 the widths of every glyph
 * shown equal the embedded program's advances; 6.2.11.8 no .notdef. On
 * the standard consent and on one with rare names, which brings further
 * fonts and glyphs drawn as outlines. */
static void
test_pdfa_fonts (void)
{
  static const char *names[] = { "张三", "𠮷䶮·𪚥" };
  FontCheck check = { 0 };

  g_assert_cmpint (FT_Init_FreeType (&check.library), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CkTestConsent) consent;
      g_autoptr(Pdf) pdf = NULL;
      guint before = check.n_glyphs;

      ck_pdf_fixture_consent_init (&consent, names[i]);
      pdf = render (&consent.request, "fonts.pdf");
      check.pdf = pdf;
      check_fonts (&check);
      g_test_message ("%s: %u glyphs checked", names[i], check.n_glyphs - before);
      g_assert_cmpuint (check.n_glyphs - before, >, 200);
    }
  FT_Done_FreeType (check.library);
  g_test_message ("%u fonts", check.n_fonts);
  g_assert_cmpuint (check.n_fonts, >=, 2);
}

/* --- tests: metadata ------------------------------------------------- */

typedef struct
{
  GHashTable *namespaces;   /* prefix → URI ("" for none) */
  GHashTable *properties;   /* "{uri}name" → GPtrArray of values */
  GHashTable *alt_lang;     /* "{uri}name" → the x-default value */
  GPtrArray *stack;         /* element names, resolved */
  GString *text;
  char *property;           /* the property being read */
  char *lang;               /* xml:lang of the rdf:li being read */
  guint description_depth;  /* of rdf:Description, or 0 */
  guint n_descriptions;
  GPtrArray *instructions;  /* processing instructions, in order */
} Xmp;

static void
xmp_clear (Xmp *xmp)
{
  g_clear_pointer (&xmp->namespaces, g_hash_table_unref);
  g_clear_pointer (&xmp->properties, g_hash_table_unref);
  g_clear_pointer (&xmp->alt_lang, g_hash_table_unref);
  g_clear_pointer (&xmp->stack, g_ptr_array_unref);
  if (xmp->text)
    g_string_free (xmp->text, TRUE);
  xmp->text = NULL;
  g_clear_pointer (&xmp->property, g_free);
  g_clear_pointer (&xmp->lang, g_free);
  g_clear_pointer (&xmp->instructions, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Xmp, xmp_clear)

/* "dc:title" → "{http://purl.org/dc/elements/1.1/}title". */
static char *
xmp_resolve (Xmp        *xmp,
             const char *qname)
{
  const char *colon = strchr (qname, ':');
  g_autofree char *prefix = colon ? g_strndup (qname, colon - qname) : g_strdup ("");
  const char *uri;

  if (g_str_equal (prefix, "xml"))
    uri = NS_XML;
  else if (!(uri = g_hash_table_lookup (xmp->namespaces, prefix)))
    g_error ("XMP: prefix “%s” of “%s” is not declared", prefix, qname);

  return g_strdup_printf ("{%s}%s", uri, colon ? colon + 1 : qname);
}

static void
xmp_add (Xmp        *xmp,
         const char *property,
         const char *value)
{
  GPtrArray *values = g_hash_table_lookup (xmp->properties, property);

  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (xmp->properties, g_strdup (property), values);
    }
  g_ptr_array_add (values, g_strdup (value));
}

static void
xmp_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  Xmp *xmp = user_data;
  g_autofree char *resolved = NULL;
  guint depth;

  /* Namespaces first: they hold from this element on. */
  for (guint i = 0; names[i]; i++)
    if (g_str_has_prefix (names[i], "xmlns:"))
      g_hash_table_insert (xmp->namespaces, g_strdup (names[i] + 6), g_strdup (values[i]));
    else if (g_str_equal (names[i], "xmlns"))
      g_hash_table_insert (xmp->namespaces, g_strdup (""), g_strdup (values[i]));

  resolved = xmp_resolve (xmp, element);
  g_ptr_array_add (xmp->stack, g_strdup (resolved));
  depth = xmp->stack->len;
  g_string_truncate (xmp->text, 0);

  if (g_str_equal (resolved, "{" NS_RDF "}Description"))
    {
      g_assert_cmpuint (xmp->description_depth, ==, 0);
      xmp->description_depth = depth;
      xmp->n_descriptions++;
      for (guint i = 0; names[i]; i++)
        {
          g_autofree char *attribute = NULL;

          if (g_str_has_prefix (names[i], "xmlns"))
            continue;
          attribute = xmp_resolve (xmp, names[i]);
          if (g_str_equal (attribute, "{" NS_RDF "}about"))
            g_assert_cmpstr (values[i], ==, "");
          else
            xmp_add (xmp, attribute, values[i]);   /* a property as an attribute */
        }
    }
  else if (xmp->description_depth && depth == xmp->description_depth + 1)
    {
      g_free (xmp->property);
      xmp->property = g_strdup (resolved);
    }
  else if (xmp->description_depth && g_str_equal (resolved, "{" NS_RDF "}li"))
    {
      g_clear_pointer (&xmp->lang, g_free);
      for (guint i = 0; names[i]; i++)
        if (g_str_equal (names[i], "xml:lang"))
          xmp->lang = g_strdup (values[i]);
    }
}

static void
xmp_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  Xmp *xmp = user_data;
  guint depth = xmp->stack->len;
  const char *resolved = xmp->stack->pdata[depth - 1];

  if (xmp->description_depth && depth == xmp->description_depth + 1)
    {
      /* A simple property: its text. Containers were read at their rdf:li. */
      if (!g_hash_table_contains (xmp->properties, resolved))
        xmp_add (xmp, resolved, xmp->text->str);
      g_clear_pointer (&xmp->property, g_free);
    }
  else if (xmp->property && g_str_equal (resolved, "{" NS_RDF "}li"))
    {
      xmp_add (xmp, xmp->property, xmp->text->str);
      if (g_strcmp0 (xmp->lang, "x-default") == 0)
        g_hash_table_insert (xmp->alt_lang, g_strdup (xmp->property), g_strdup (xmp->text->str));
    }
  else if (depth == xmp->description_depth)
    xmp->description_depth = 0;

  g_string_truncate (xmp->text, 0);
  g_ptr_array_remove_index (xmp->stack, depth - 1);
}

static void
xmp_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 len,
          gpointer              user_data,
          GError              **error)
{
  Xmp *xmp = user_data;

  g_string_append_len (xmp->text, text, len);
}

static void
xmp_passthrough (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 len,
                 gpointer              user_data,
                 GError              **error)
{
  Xmp *xmp = user_data;

  g_ptr_array_add (xmp->instructions, g_strndup (text, len));
}

static const GMarkupParser xmp_parser = {
  xmp_start, xmp_end, xmp_text, xmp_passthrough, NULL,
};

/* Parses the catalog's XMP packet; asserts it is one well-formed packet. */
static void
xmp_read (Pdf *pdf,
          Xmp *xmp)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *metadata_ref;
  JsonNode *metadata;
  const char *text;
  gsize len;

  /* 6.6.2.1: a metadata stream in the catalog, uncompressed. */
  metadata_ref = json_object_get_member (json_node_get_object (catalog (pdf)), "/Metadata");
  g_assert_nonnull (metadata_ref);
  g_assert_true (is_stream (pdf, metadata_ref));
  metadata = resolve (pdf, metadata_ref);
  g_assert_cmpstr (dict_get_name (pdf, metadata, "/Type"), ==, "/Metadata");
  g_assert_cmpstr (dict_get_name (pdf, metadata, "/Subtype"), ==, "/XML");
  g_assert_null (dict_get (pdf, metadata, "/Filter"));
  data = stream_data (pdf, metadata_ref);
  text = g_bytes_get_data (data, &len);
  g_assert_true (g_utf8_validate (text, len, NULL));
  /* The packet as written is what a tool reads without decoding. */
  g_assert_nonnull (memmem (g_bytes_get_data (pdf->bytes, NULL), g_bytes_get_size (pdf->bytes), text, len));

  memset (xmp, 0, sizeof *xmp);
  xmp->namespaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  xmp->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  xmp->alt_lang = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  xmp->stack = g_ptr_array_new_with_free_func (g_free);
  xmp->text = g_string_new (NULL);
  xmp->instructions = g_ptr_array_new_with_free_func (g_free);

  context = g_markup_parse_context_new (&xmp_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, xmp, NULL);
  if (!g_markup_parse_context_parse (context, text, len, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("the XMP packet is not well-formed: %s\n%.*s", error->message, (int)len, text);
  g_assert_cmpuint (xmp->stack->len, ==, 0);
  g_assert_cmpuint (xmp->n_descriptions, >=, 1);

  /* 6.6.2.2: a packet header without bytes or encoding, and a trailer. */
  g_assert_cmpuint (xmp->instructions->len, ==, 2);
  g_assert_cmpstr (xmp->instructions->pdata[0], ==,
                   "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>");
  g_assert_true (g_str_has_prefix (text, xmp->instructions->pdata[0]));
  g_assert_true (g_str_equal (xmp->instructions->pdata[1], "<?xpacket end=\"w\"?>") ||
                 g_str_equal (xmp->instructions->pdata[1], "<?xpacket end=\"r\"?>"));
}

/* The one value of a property, or NULL. */
static const char *
xmp_get (Xmp        *xmp,
         const char *property)
{
  GPtrArray *values = g_hash_table_lookup (xmp->properties, property);

  if (values == NULL)
    return NULL;
  g_assert_cmpuint (values->len, ==, 1);

  return values->pdata[0];
}

/* D:YYYYMMDDHHmmSS with a time zone, as ISO 32000-1, 7.9.4 writes it. */
static GDateTime *
parse_pdf_date (const char *date)
{
  g_autoptr(GRegex) regex = g_regex_new ("^D:(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})"
                                         "(Z|([+-])(\\d{2})'(\\d{2})'?)(00'00'?)?$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  int field[6];

  if (!g_regex_match (regex, date, 0, &match))
    g_error ("“%s” is no well-formed PDF date with a time zone", date);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *s = g_match_info_fetch (match, i + 1);

      field[i] = atoi (s);
    }
  {
    g_autofree char *z = g_match_info_fetch (match, 7);

    if (g_str_equal (z, "Z"))
      zone = g_time_zone_new_utc ();
    else
      {
        g_autofree char *sign = g_match_info_fetch (match, 8);
        g_autofree char *hh = g_match_info_fetch (match, 9);
        g_autofree char *mm = g_match_info_fetch (match, 10);
        g_autofree char *id = g_strdup_printf ("%s%s:%s", sign, hh, mm);

        zone = g_time_zone_new_identifier (id);
        g_assert_nonnull (zone);
      }
  }

  return g_date_time_new (zone, field[0], field[1], field[2], field[3], field[4], field[5]);
}

/* 6.6.2.3.1: every Info entry equals its XMP property; and the reverse. */
static void
check_info_equals_xmp (Pdf *pdf,
                       Xmp *xmp)
{
  JsonObject *info = json_node_get_object (resolve (pdf, json_object_get_member (trailer (pdf), "/Info")));
  static const struct { const char *key; const char *property; gboolean alt; } pairs[] = {
    { "/Title", "{" NS_DC "}title", TRUE },
    { "/Author", "{" NS_DC "}creator", FALSE },
    { "/Subject", "{" NS_DC "}description", TRUE },
    { "/Keywords", "{" NS_PDF "}Keywords", FALSE },
    { "/Creator", "{" NS_XMP "}CreatorTool", FALSE },
    { "/Producer", "{" NS_PDF "}Producer", FALSE },
  };
  static const struct { const char *key; const char *property; } dates[] = {
    { "/CreationDate", "{" NS_XMP "}CreateDate" },
    { "/ModDate", "{" NS_XMP "}ModifyDate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      JsonNode *node = json_object_get_member (info, pairs[i].key);
      const char *xmp_value = pairs[i].alt ? g_hash_table_lookup (xmp->alt_lang, pairs[i].property)
                                           : xmp_get (xmp, pairs[i].property);

      if (node == NULL)
        {
          g_assert_false (g_hash_table_contains (xmp->properties, pairs[i].property));
          continue;
        }
      g_test_message ("%s = %s", pairs[i].key, text_string (node));
      if (xmp_value == NULL)
        g_error ("Info %s has no XMP %s", pairs[i].key, pairs[i].property);
      /* dc:creator is a Seq of one: the Author. */
      xmp_get (xmp, pairs[i].property);
      g_assert_cmpstr (xmp_value, ==, text_string (node));
    }

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      JsonNode *node = json_object_get_member (info, dates[i].key);
      const char *xmp_value = xmp_get (xmp, dates[i].property);
      g_autoptr(GDateTime) info_date = NULL;
      g_autoptr(GDateTime) xmp_date = NULL;

      if (node == NULL)
        {
          g_assert_null (xmp_value);
          continue;
        }
      info_date = parse_pdf_date (text_string (node));
      g_assert_nonnull (xmp_value);
      /* ISO 8601 with a time zone. */
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?(Z|[+-]\\d\\d:\\d\\d)$",
                                           xmp_value, 0, 0));
      xmp_date = g_date_time_new_from_iso8601 (xmp_value, NULL);
      g_assert_nonnull (xmp_date);
      g_test_message ("%s = %s; %s", dates[i].key, text_string (node), xmp_value);
      g_assert_true (g_date_time_equal (info_date, xmp_date));
    }
}

/* 6.6.2.1 the metadata stream; 6.6.2.2 its packet; 6.6.4 the PDF/A
 * identification (part 2, conformance B); 6.6.2.3.1 the Info dictionary
 * and the XMP say the same, dates well-formed and the same instant. */
static void
test_pdfa_metadata (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(Pdf) pdf = NULL;
  g_auto(Xmp) xmp;
  JsonObject *info;

  ck_pdf_fixture_consent_init (&consent, "张三");
  pdf = render (&consent.request, "metadata.pdf");
  xmp_read (pdf, &xmp);

  g_assert_cmpstr (xmp_get (&xmp, "{" NS_PDFAID "}part"), ==, "2");
  g_assert_cmpstr (xmp_get (&xmp, "{" NS_PDFAID "}conformance"), ==, "B");

  /* 6.6.2.3: only schemas XMP predefines (and pdfaid), so no extension
   * schema is needed. */
  {
    GHashTableIter iter;
    gpointer property;

    g_hash_table_iter_init (&iter, xmp.properties);
    while (g_hash_table_iter_next (&iter, &property, NULL))
      if (!g_str_has_prefix (property, "{" NS_DC "}") && !g_str_has_prefix (property, "{" NS_PDF "}") &&
          !g_str_has_prefix (property, "{" NS_XMP "}") && !g_str_has_prefix (property, "{" NS_PDFAID "}"))
        g_error ("XMP property %s needs an extension schema", (const char *)property);
  }

  info = json_node_get_object (resolve (pdf, json_object_get_member (trailer (pdf), "/Info")));
  /* What the consent's Info has, so that the comparison compares. */
  g_assert_cmpstr (text_string (json_object_get_member (info, "/Author")), ==, "示例银行股份有限公司");
  g_assert_true (json_object_has_member (info, "/CreationDate"));
  g_assert_true (json_object_has_member (info, "/Title"));
  check_info_equals_xmp (pdf, &xmp);
  {
    g_autoptr(GDateTime) created = parse_pdf_date (text_string (json_object_get_member (info, "/CreationDate")));

    g_assert_true (g_date_time_equal (created, consent.created));
  }

  /* No organisation: no Author, and no dc:creator either. */
  {
    g_autoptr(Pdf) anonymous = NULL;
    g_auto(Xmp) anonymous_xmp;

    consent.request.organization = NULL;
    anonymous = render (&consent.request, "anonymous.pdf");
    xmp_read (anonymous, &anonymous_xmp);
    g_assert_false (json_object_has_member (json_node_get_object (resolve (anonymous,
                                                                          json_object_get_member (trailer (anonymous), "/Info"))),
                                            "/Author"));
    check_info_equals_xmp (anonymous, &anonymous_xmp);
  }
}

/* Names and organisations with XML's special characters give well-formed
 * XMP whose values are exactly the Info strings. */
static void
test_pdfa_metadata_escaping (void)
{
  static const char *organizations[] = {
    "A&B <Bank> \"Trust\" 'Ltd' 示例银行",
    "&amp; &lt;not markup&gt; ]]> <![CDATA[x]]>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (organizations); i++)
    {
      g_auto(CkTestConsent) consent;
      g_autoptr(Pdf) pdf = NULL;
      g_auto(Xmp) xmp;
      JsonObject *info;
      g_autofree char *subject = NULL;

      ck_pdf_fixture_consent_init (&consent, "张<&>三");
      consent.request.organization = organizations[i];
      pdf = render (&consent.request, "escaping.pdf");
      xmp_read (pdf, &xmp);
      check_info_equals_xmp (pdf, &xmp);

      info = json_node_get_object (resolve (pdf, json_object_get_member (trailer (pdf), "/Info")));
      g_assert_cmpstr (text_string (json_object_get_member (info, "/Author")), ==, organizations[i]);
      g_assert_cmpstr (xmp_get (&xmp, "{" NS_DC "}creator"), ==, organizations[i]);
      subject = g_strdup_printf ("— %s", "张<&>三");
      g_assert_true (g_str_has_suffix (g_hash_table_lookup (xmp.alt_lang, "{" NS_DC "}description"), subject));
    }
}

/* --- the colour profile ---------------------------------------------- */

/* A missing or wrong profile is CK_PDF_ERROR_COLOR_PROFILE naming the
 * file, never a crash and never a PDF without its output intent. */
static void
test_pdfa_profile_errors (void)
{
  g_auto(CkTestConsent) consent;
  g_autofree char *missing = g_build_filename (workdir, "no-such.icc", NULL);
  g_autofree char *not_icc = g_build_filename (workdir, "not-an.icc", NULL);
  g_autofree char *cmyk = g_build_filename (workdir, "cmyk.icc", NULL);
  g_autofree char *profile = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  ck_pdf_fixture_consent_init (&consent, "张三");
  g_assert_null (g_getenv ("CK_SRGB_PROFILE"));

  g_setenv ("CK_SRGB_PROFILE", missing, TRUE);
  g_assert_null (ck_pdf_render (fonts, &consent.request, &error));
  g_assert_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (not_icc, "%PDF-1.7 is no profile", -1, NULL));
  g_setenv ("CK_SRGB_PROFILE", not_icc, TRUE);
  g_assert_null (ck_pdf_render (fonts, &consent.request, &error));
  g_assert_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE);
  g_clear_error (&error);

  /* The real profile said to be CMYK: refused, it does not fit the page. */
  g_assert_true (g_file_get_contents (CK_SRGB_PROFILE, &profile, &len, NULL));
  memcpy (profile + 16, "CMYK", 4);
  g_assert_true (g_file_set_contents (cmyk, profile, len, NULL));
  g_setenv ("CK_SRGB_PROFILE", cmyk, TRUE);
  g_assert_null (ck_pdf_render (fonts, &consent.request, &error));
  g_assert_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE);
  g_clear_error (&error);

  g_unsetenv ("CK_SRGB_PROFILE");
  g_unlink (not_icc);
  g_unlink (cmyk);
}

/* --- tests: a sealed consent ----------------------------------------- */

/* The seal (issue 15) is an incremental update; PDF/A-2b allows
 * signatures, and the file must stay PDF/A-2b with it: the original bytes
 * untouched, the update's own structure (trailer with /ID, xref, objects
 * on their lines, implementation limits, even for /Contents), a signature
 * widget that is printed and needs no appearance (zero Rect), no
 * NeedAppearances, the catalog's output intent and metadata kept. */
static void
test_pdfa_signed (void)
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(Pdf) pdf = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  g_autofree char *pki = g_build_filename (workdir, "pki", NULL);
  g_autofree char *conf = g_build_filename (workdir, "seal.conf", NULL);
  g_autofree char *conf_text = NULL;
  g_autofree char *check = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *script = g_getenv ("CK_TEST_MAKE_PKI");
  CkSealPdfInfo info = { "示例银行股份有限公司", "个人信息授权", "branch-042-kiosk-1", now };
  JsonNode *acroform, *fields, *annots, *page;
  JsonArray *ids;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  const guint8 *data;
  gsize len, original_len, eol;
  int status;

  g_assert_nonnull (script);
  g_spawn_sync (NULL, (char *[]) { (char *)"sh", (char *)script, pki, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("make-test-pki.sh failed: %s", err);
  conf_text = g_strdup_printf ("[signing]\nkey = %s/seal.p12\nkey_password_file = %s/seal.pass\n", pki, pki);
  g_file_set_contents (conf, conf_text, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (NULL, NULL, conf, &error);
  g_assert_no_error (error);
  seal = ck_seal_new (config, &error);
  g_assert_no_error (error);

  ck_pdf_fixture_consent_init (&consent, "张三");
  original = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);
  sealed = ck_seal_sign_pdf (seal, original, &info, FALSE, NULL, &error);
  g_assert_no_error (error);
  pdf = pdf_load (sealed, "signed.pdf");
  data = g_bytes_get_data (sealed, &len);
  original_len = g_bytes_get_size (original);

  /* 6.1.2 and the revision before: the original file, byte for byte. */
  g_assert_cmpmem (data, original_len, g_bytes_get_data (original, NULL), original_len);
  g_assert_cmpstr (pdf->pdf_version, ==, "1.7");

  /* 6.1.3: %%EOF last, at most one end of line after it; the update's
   * trailer has an ID, its first string the original's. */
  eol = data[len - 1] == '\n' ? (len >= 2 && data[len - 2] == '\r' ? 2 : 1) : data[len - 1] == '\r';
  g_assert_cmpmem (data + len - eol - 5, 5, "%%EOF", 5);
  ids = json_object_get_array_member (trailer (pdf), "/ID");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  for (guint k = 0; k < 2; k++)
    g_assert_cmpuint (strlen (node_string (json_array_get_element (ids, k))), ==, 2 + 2 * 16);
  g_assert_nonnull (memmem (data + original_len, len - original_len,
                            "/ID [<", 6));
  g_assert_false (json_object_has_member (trailer (pdf), "/Encrypt"));

  /* 6.1.4: the update's xref keyword, one end of line, the header. */
  {
    const guint8 *p = memmem (data + len - 64, 64, "startxref", 9);
    guint64 offset;
    gsize i;

    g_assert_nonnull (p);
    offset = g_ascii_strtoull ((const char *)p + 10, NULL, 10);
    g_assert_cmpuint (offset, >, original_len);
    g_assert_cmpmem (data + offset, 4, "xref", 4);
    i = offset + 4;
    i += data[i] == '\r' && data[i + 1] == '\n' ? 2 : 1;
    g_assert_true (g_regex_match_simple ("^\\d+ \\d+\r?\n", (const char *)data + i, 0, 0));
  }

  /* 6.1.9: each object of the update on lines of its own. */
  for (gsize at = original_len; at < len;)
    {
      const guint8 *obj = memmem (data + at, len - at, " obj", 4);
      const guint8 *end;

      if (obj == NULL)
        break;
      g_assert_true (obj[4] == '\n' || obj[4] == '\r');
      end = memmem (obj, len - (gsize)(obj - data), "endobj", 6);
      g_assert_nonnull (end);
      g_assert_true (end[-1] == '\n' || end[-1] == '\r');
      at = (gsize)(end - data) + 6;
    }

  /* 6.1.13: the limits, /Contents included. */
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;

    visit (json_object_get_member (pdf->raw, "trailer"), NULL, check_limits, NULL);
    json_object_iter_init (&iter, pdf->raw);
    while (json_object_iter_next (&iter, &key, &value))
      visit (value, NULL, check_limits, NULL);
  }

  check = ck_test_run_tool ((const char * const[]) { "qpdf", "--check", pdf->path, NULL });
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));

  /* 6.4: a form without NeedAppearances; 6.3.2/6.3.3: every annotation
   * printed, never hidden, and invisible only by a zero Rect, which needs
   * no appearance stream. */
  acroform = dict_get (pdf, catalog (pdf), "/AcroForm");
  g_assert_nonnull (acroform);
  g_assert_null (dict_get (pdf, acroform, "/NeedAppearances"));
  g_assert_cmpfloat (node_number (dict_get (pdf, acroform, "/SigFlags")), ==, 3);
  fields = dict_get (pdf, acroform, "/Fields");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fields)), ==, 1);

  collect_pages (pdf, dict_get (pdf, catalog (pdf), "/Pages"), NULL, pages, resources);
  page = pages->pdata[0];
  annots = dict_get (pdf, page, "/Annots");
  g_assert_nonnull (annots);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (annots)); i++)
    {
      JsonNode *annot = json_array_get_element (json_node_get_array (annots), i);
      JsonArray *rect = json_node_get_array (dict_get (pdf, annot, "/Rect"));
      guint flags = (guint)node_number (dict_get (pdf, annot, "/F"));

      g_assert_cmpstr (dict_get_name (pdf, annot, "/Subtype"), ==, "/Widget");
      g_assert_cmpstr (dict_get_name (pdf, annot, "/FT"), ==, "/Sig");
      g_assert_true (flags & 4);              /* Print */
      g_assert_false (flags & (1 | 2 | 32));  /* Invisible, Hidden, NoView */
      if (dict_get (pdf, annot, "/AP") == NULL)
        {
          g_assert_cmpfloat (node_number (json_array_get_element (rect, 0)), ==,
                             node_number (json_array_get_element (rect, 2)));
          g_assert_cmpfloat (node_number (json_array_get_element (rect, 1)), ==,
                             node_number (json_array_get_element (rect, 3)));
        }
      g_assert_cmpstr (dict_get_name (pdf, dict_get (pdf, annot, "/V"), "/SubFilter"), ==,
                       "/ETSI.CAdES.detached");
    }

  /* The page and the catalog kept what they had: contents, resources,
   * the output intent, the metadata. */
  g_assert_nonnull (dict_get (pdf, page, "/Contents"));
  g_assert_nonnull (dict_get (pdf, page, "/MediaBox"));
  g_assert_nonnull (dict_get (pdf, catalog (pdf), "/OutputIntents"));
  g_assert_nonnull (dict_get (pdf, catalog (pdf), "/Metadata"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-test-pdfa-XXXXXX");

  g_test_add_func ("/pdfa/file-structure", test_pdfa_file_structure);
  g_test_add_func ("/pdfa/streams", test_pdfa_streams);
  g_test_add_func ("/pdfa/output-intent", test_pdfa_output_intent);
  g_test_add_func ("/pdfa/no-transparency-no-actions", test_pdfa_no_transparency_no_actions);
  g_test_add_func ("/pdfa/fonts", test_pdfa_fonts);
  g_test_add_func ("/pdfa/metadata", test_pdfa_metadata);
  g_test_add_func ("/pdfa/metadata-escaping", test_pdfa_metadata_escaping);
  g_test_add_func ("/pdfa/profile-errors", test_pdfa_profile_errors);
  g_test_add_func ("/pdfa/signed", test_pdfa_signed);

  status = g_test_run ();

  ck_pdf_fixture_finish ();

  return status;
}
