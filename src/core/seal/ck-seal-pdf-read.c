/* ck-seal-pdf-read.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading the consent PDF before an update (ck-seal-pdf.c says what the
 * update holds). The PDF is ck-pdf's own (libharu: classic xref tables, a
 * trailer with /Root /Info /ID /Size), or one ck-seal-pdf-update.c already
 * updated. It is read from its last startxref back through every /Prev,
 * without trusting anything: offsets, numbers and nesting are bounded, and
 * anything else (an xref stream, an object that is not where its xref
 * says) is refused with CK_SEAL_ERROR_PDF. What is kept (CkSealPdfDoc): the
 * last trailer's /Size /Root /Info /ID, the catalog, the first page, and
 * the fields and annotations already there. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-seal-pdf-private.h"

#define MAX_DEPTH 32           /* nesting of arrays and dictionaries */
#define MAX_SECTIONS 256       /* xref sections followed through /Prev */
#define MAX_OBJECTS 10000000   /* a /Size beyond this is not ours */
#define MAX_PAGE_DEPTH 16      /* page tree levels to the first page */
#define TAIL_SEARCH 1024       /* startxref is this near the end */

typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
} Lexer;

typedef struct
{
  gsize offset;
  guint gen;
  gboolean in_use;
} XrefEntry;

void
_ck_seal_pdf_doc_clear (CkSealPdfDoc *doc)
{
  g_clear_pointer (&doc->xref, g_hash_table_unref);
  g_clear_pointer (&doc->trailer, g_array_unref);
  g_clear_pointer (&doc->catalog, g_array_unref);
  g_clear_pointer (&doc->page, g_array_unref);
  g_clear_pointer (&doc->acroform, g_array_unref);
  if (doc->fields)
    g_string_free (doc->fields, TRUE);
  if (doc->annots)
    g_string_free (doc->annots, TRUE);
  doc->fields = doc->annots = NULL;
}

static gboolean
refuse (GError    **error,
        const char *why)
{
  g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF,
               _("The PDF cannot be sealed: %s."), why);
  return FALSE;
}

/* --- the lexer ---------------------------------------------------------- */

static inline gboolean
is_space (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static inline gboolean
is_delimiter (guint8 c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '/' || c == '%';
}

static inline gboolean
is_regular (guint8 c)
{
  return !is_space (c) && !is_delimiter (c);
}

static void
skip_space (Lexer *lx)
{
  while (lx->pos < lx->len)
    {
      guint8 c = lx->data[lx->pos];

      if (is_space (c))
        lx->pos++;
      else if (c == '%')
        {
          while (lx->pos < lx->len && lx->data[lx->pos] != '\n' && lx->data[lx->pos] != '\r')
            lx->pos++;
        }
      else
        break;
    }
}

static gboolean
at_keyword (Lexer      *lx,
            const char *keyword)
{
  gsize n = strlen (keyword);

  return lx->pos + n <= lx->len && memcmp (lx->data + lx->pos, keyword, n) == 0 &&
         (lx->pos + n == lx->len || !is_regular (lx->data[lx->pos + n]));
}

/* An unsigned integer of at most 10 digits. */
static gboolean
read_uint (Lexer   *lx,
           guint64 *out)
{
  guint64 value = 0;
  gsize start = lx->pos;

  while (lx->pos < lx->len && g_ascii_isdigit (lx->data[lx->pos]) && lx->pos - start < 10)
    value = value * 10 + (guint64)(lx->data[lx->pos++] - '0');
  if (lx->pos == start || (lx->pos < lx->len && is_regular (lx->data[lx->pos])))
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean parse_value (Lexer          *lx,
                             guint           depth,
                             CkSealPdfValue *value,
                             GArray         *entries);

static gboolean
parse_literal_string (Lexer *lx)
{
  guint nesting = 0;

  for (; lx->pos < lx->len; lx->pos++)
    {
      guint8 c = lx->data[lx->pos];

      if (c == '\\')
        lx->pos++;
      else if (c == '(')
        nesting++;
      else if (c == ')' && --nesting == 0)
        {
          lx->pos++;
          return TRUE;
        }
    }
  return FALSE;
}

/* One value at the lexer, spaces before it skipped. With @entries, a
 * dictionary's entries are collected (its own, not nested ones). */
static gboolean
parse_value (Lexer          *lx,
             guint           depth,
             CkSealPdfValue *value,
             GArray         *entries)
{
  guint8 c;

  skip_space (lx);
  if (lx->pos >= lx->len || depth > MAX_DEPTH)
    return FALSE;

  memset (value, 0, sizeof *value);
  value->start = lx->pos;
  c = lx->data[lx->pos];

  if (c == '<' && lx->pos + 1 < lx->len && lx->data[lx->pos + 1] == '<')
    {
      value->type = CK_SEAL_PDF_VALUE_DICT;
      lx->pos += 2;
      for (;;)
        {
          CkSealPdfEntry entry = { 0 };

          skip_space (lx);
          if (lx->pos + 1 < lx->len && lx->data[lx->pos] == '>' && lx->data[lx->pos + 1] == '>')
            {
              lx->pos += 2;
              break;
            }
          if (lx->pos >= lx->len || lx->data[lx->pos] != '/')
            return FALSE;
          entry.key_start = lx->pos++;
          while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
            lx->pos++;
          entry.key_end = lx->pos;
          if (!parse_value (lx, depth + 1, &entry.value, NULL))
            return FALSE;
          if (entries)
            g_array_append_val (entries, entry);
        }
    }
  else if (c == '[')
    {
      value->type = CK_SEAL_PDF_VALUE_ARRAY;
      lx->pos++;
      for (;;)
        {
          CkSealPdfValue item;

          skip_space (lx);
          if (lx->pos < lx->len && lx->data[lx->pos] == ']')
            {
              lx->pos++;
              break;
            }
          if (!parse_value (lx, depth + 1, &item, NULL))
            return FALSE;
        }
    }
  else if (c == '<')
    {
      value->type = CK_SEAL_PDF_VALUE_STRING;
      for (lx->pos++; lx->pos < lx->len && lx->data[lx->pos] != '>'; lx->pos++)
        if (!g_ascii_isxdigit (lx->data[lx->pos]) && !is_space (lx->data[lx->pos]))
          return FALSE;
      if (lx->pos >= lx->len)
        return FALSE;
      lx->pos++;
    }
  else if (c == '(')
    {
      value->type = CK_SEAL_PDF_VALUE_STRING;
      if (!parse_literal_string (lx))
        return FALSE;
    }
  else if (c == '/')
    {
      value->type = CK_SEAL_PDF_VALUE_NAME;
      for (lx->pos++; lx->pos < lx->len && is_regular (lx->data[lx->pos]); lx->pos++)
        ;
    }
  else if (g_ascii_isdigit (c))
    {
      Lexer ahead;
      guint64 num, gen;

      /* "N G R" is a reference; anything else starting with a digit, a
       * number. */
      ahead = *lx;
      if (read_uint (&ahead, &num) && (skip_space (&ahead), read_uint (&ahead, &gen)) &&
          (skip_space (&ahead), at_keyword (&ahead, "R")) && num <= G_MAXUINT && gen <= 65535)
        {
          value->type = CK_SEAL_PDF_VALUE_REF;
          value->num = (guint)num;
          value->gen = (guint)gen;
          lx->pos = ahead.pos + 1;
        }
      else
        {
          value->type = CK_SEAL_PDF_VALUE_NUMBER;
          while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
            lx->pos++;
        }
    }
  else if (c == '+' || c == '-' || c == '.')
    {
      value->type = CK_SEAL_PDF_VALUE_NUMBER;
      while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
        lx->pos++;
    }
  else if (is_regular (c))
    {
      value->type = CK_SEAL_PDF_VALUE_KEYWORD;
      while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
        lx->pos++;
      if (!at_keyword (&(Lexer) { lx->data, lx->len, value->start }, "true") &&
          !at_keyword (&(Lexer) { lx->data, lx->len, value->start }, "false") &&
          !at_keyword (&(Lexer) { lx->data, lx->len, value->start }, "null"))
        return FALSE;
    }
  else
    return FALSE;

  value->end = lx->pos;
  return TRUE;
}

const CkSealPdfEntry *
_ck_seal_pdf_dict_lookup (const CkSealPdfDoc *doc,
                          GArray             *entries,
                          const char         *key)
{
  gsize n = strlen (key);

  for (guint i = 0; entries && i < entries->len; i++)
    {
      const CkSealPdfEntry *entry = &g_array_index (entries, CkSealPdfEntry, i);

      if (entry->key_end - entry->key_start == n && memcmp (doc->data + entry->key_start, key, n) == 0)
        return entry;
    }
  return NULL;
}

static gboolean
value_is (const CkSealPdfDoc   *doc,
          const CkSealPdfValue *value,
          const char           *text)
{
  gsize n = strlen (text);

  return value->end - value->start == n && memcmp (doc->data + value->start, text, n) == 0;
}

/* The references of an array value, written "N G R " into @out. */
static gboolean
collect_refs (const CkSealPdfDoc   *doc,
              const CkSealPdfValue *array,
              GString              *out,
              guint                *count)
{
  Lexer lx = { doc->data, array->end - 1, array->start + 1 };

  for (;;)
    {
      CkSealPdfValue item;

      skip_space (&lx);
      if (lx.pos >= lx.len)
        return TRUE;
      if (!parse_value (&lx, 1, &item, NULL) || item.type != CK_SEAL_PDF_VALUE_REF)
        return FALSE;
      g_string_append_printf (out, "%u %u R ", item.num, item.gen);
      if (count)
        (*count)++;
    }
}

/* --- the cross-reference sections and trailers ------------------------ */

static gboolean
read_xref_section (CkSealPdfDoc *doc,
                   gsize         offset,
                   GArray      **trailer,
                   GError      **error)
{
  Lexer lx = { doc->data, doc->len, offset };

  if (!at_keyword (&lx, "xref"))
    return refuse (error, _("its cross-reference is not a classic xref table"));
  lx.pos += 4;

  for (;;)
    {
      guint64 first, count;

      skip_space (&lx);
      if (at_keyword (&lx, "trailer"))
        break;
      if (!read_uint (&lx, &first) || (skip_space (&lx), !read_uint (&lx, &count)) ||
          first + count > MAX_OBJECTS)
        return refuse (error, _("an xref subsection header cannot be read"));

      for (guint64 i = 0; i < count; i++)
        {
          guint64 field1, field2;
          guint8 kind;
          guint num = (guint)(first + i);

          skip_space (&lx);
          if (!read_uint (&lx, &field1) || (skip_space (&lx), !read_uint (&lx, &field2)))
            return refuse (error, _("an xref entry cannot be read"));
          skip_space (&lx);
          if (lx.pos >= lx.len)
            return refuse (error, _("an xref entry cannot be read"));
          kind = doc->data[lx.pos++];
          if ((kind != 'n' && kind != 'f') || field2 > 65535)
            return refuse (error, _("an xref entry cannot be read"));

          /* The newest section is read first: older entries do not count. */
          if (!g_hash_table_contains (doc->xref, GUINT_TO_POINTER (num)))
            {
              XrefEntry *entry = g_new (XrefEntry, 1);

              entry->offset = (gsize)field1;
              entry->gen = (guint)field2;
              entry->in_use = kind == 'n' && num != 0;
              if (entry->in_use && entry->offset >= doc->len)
                {
                  g_free (entry);
                  return refuse (error, _("an xref entry points past the end of the file"));
                }
              g_hash_table_insert (doc->xref, GUINT_TO_POINTER (num), entry);
            }
        }
    }

  lx.pos += strlen ("trailer");
  {
    CkSealPdfValue value;
    g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (CkSealPdfEntry));

    if (!parse_value (&lx, 0, &value, entries) || value.type != CK_SEAL_PDF_VALUE_DICT)
      return refuse (error, _("its trailer cannot be read"));
    *trailer = g_steal_pointer (&entries);
  }

  return TRUE;
}

static gboolean
read_uint_value (const CkSealPdfDoc   *doc,
                 const CkSealPdfEntry *entry,
                 guint64              *out)
{
  Lexer lx = { doc->data, entry->value.end, entry->value.start };

  return entry->value.type == CK_SEAL_PDF_VALUE_NUMBER && read_uint (&lx, out);
}

static gboolean
read_trailers (CkSealPdfDoc *doc,
               GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  const guint8 *tail;
  gsize tail_len, at;
  guint64 offset;
  const CkSealPdfEntry *entry;
  Lexer lx;

  /* The last "startxref", a number, "%%EOF". */
  tail_len = MIN (doc->len, TAIL_SEARCH);
  tail = doc->data + doc->len - tail_len;
  at = G_MAXSIZE;
  for (gsize i = tail_len; i-- > 0;)
    if (tail_len - i >= 9 && memcmp (tail + i, "startxref", 9) == 0)
      {
        at = doc->len - tail_len + i;
        break;
      }
  if (at == G_MAXSIZE)
    return refuse (error, _("it has no startxref"));
  lx = (Lexer) { doc->data, doc->len, at + 9 };
  skip_space (&lx);
  if (!read_uint (&lx, &offset) || offset >= doc->len)
    return refuse (error, _("its startxref cannot be read"));
  /* Spaces only: skip_space() would take the marker for a comment. */
  while (lx.pos < lx.len && is_space (lx.data[lx.pos]))
    lx.pos++;
  if (lx.pos + 5 > doc->len || memcmp (doc->data + lx.pos, "%%EOF", 5) != 0)
    return refuse (error, _("it does not end with an end-of-file marker"));
  doc->startxref = (gsize)offset;

  for (guint section = 0;; section++)
    {
      g_autoptr(GArray) trailer = NULL;

      if (section >= MAX_SECTIONS || g_hash_table_contains (seen, GSIZE_TO_POINTER ((gsize)offset)))
        return refuse (error, _("its xref sections go round in a circle"));
      g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize)offset));

      if (!read_xref_section (doc, (gsize)offset, &trailer, error))
        return FALSE;
      if (_ck_seal_pdf_dict_lookup (doc, trailer, "/XRefStm"))
        return refuse (error, _("its cross-reference is not a classic xref table"));
      entry = _ck_seal_pdf_dict_lookup (doc, trailer, "/Prev");
      if (section == 0)
        doc->trailer = g_array_ref (trailer);
      if (entry == NULL)
        break;
      if (!read_uint_value (doc, entry, &offset) || offset >= doc->len)
        return refuse (error, _("a trailer’s /Prev cannot be read"));
    }

  /* /Size, /Root, /Info, /ID of the last trailer. */
  entry = _ck_seal_pdf_dict_lookup (doc, doc->trailer, "/Size");
  if (entry == NULL || !read_uint_value (doc, entry, &offset) || offset < 1 || offset > MAX_OBJECTS)
    return refuse (error, _("its trailer has no valid /Size"));
  doc->size = (guint)offset;

  entry = _ck_seal_pdf_dict_lookup (doc, doc->trailer, "/Root");
  if (entry == NULL || entry->value.type != CK_SEAL_PDF_VALUE_REF || entry->value.num >= doc->size)
    return refuse (error, _("its trailer has no /Root"));
  doc->root = entry->value;

  if ((entry = _ck_seal_pdf_dict_lookup (doc, doc->trailer, "/Info")))
    {
      if (entry->value.type != CK_SEAL_PDF_VALUE_REF)
        return refuse (error, _("its trailer’s /Info is not a reference"));
      doc->info = entry->value;
      doc->has_info = TRUE;
    }

  if ((entry = _ck_seal_pdf_dict_lookup (doc, doc->trailer, "/ID")))
    {
      Lexer ids = { doc->data, entry->value.end, entry->value.start + 1 };

      if (entry->value.type != CK_SEAL_PDF_VALUE_ARRAY || !parse_value (&ids, 1, &doc->id0, NULL) ||
          doc->id0.type != CK_SEAL_PDF_VALUE_STRING)
        return refuse (error, _("its trailer’s /ID cannot be read"));
      doc->has_id = TRUE;
    }

  return TRUE;
}

/* --- objects ------------------------------------------------------------ */

/* Object @num's value: a dictionary's entries into @entries. */
static gboolean
read_object (CkSealPdfDoc   *doc,
             guint           num,
             guint          *gen_out,
             CkSealPdfValue *value,
             GArray         *entries,
             GError        **error)
{
  const XrefEntry *xref = g_hash_table_lookup (doc->xref, GUINT_TO_POINTER (num));
  Lexer lx;
  guint64 n, gen;

  if (xref == NULL || !xref->in_use)
    return refuse (error, _("an object it refers to is not in its xref"));

  lx = (Lexer) { doc->data, doc->len, xref->offset };
  skip_space (&lx);
  if (!read_uint (&lx, &n) || n != num || (skip_space (&lx), !read_uint (&lx, &gen)) || gen != xref->gen ||
      (skip_space (&lx), !at_keyword (&lx, "obj")))
    return refuse (error, _("an object is not where its xref says"));
  lx.pos += 3;
  if (!parse_value (&lx, 0, value, entries))
    return refuse (error, _("an object cannot be read"));
  if (gen_out)
    *gen_out = (guint)gen;

  return TRUE;
}

static GArray *
read_dict (CkSealPdfDoc *doc,
           guint         num,
           guint        *gen,
           GError      **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (CkSealPdfEntry));
  CkSealPdfValue value;

  if (!read_object (doc, num, gen, &value, entries, error))
    return NULL;
  if (value.type != CK_SEAL_PDF_VALUE_DICT)
    {
      refuse (error, _("an object that must be a dictionary is not one"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* An array, given directly or by reference, as "N G R " into @out. */
static gboolean
collect_ref_array (CkSealPdfDoc         *doc,
                   const CkSealPdfValue *value,
                   GString              *out,
                   guint                *count,
                   GError              **error)
{
  CkSealPdfValue resolved = *value;

  if (value->type == CK_SEAL_PDF_VALUE_REF && !read_object (doc, value->num, NULL, &resolved, NULL, error))
    return FALSE;
  if (resolved.type != CK_SEAL_PDF_VALUE_ARRAY || !collect_refs (doc, &resolved, out, count))
    return refuse (error, _("an array of fields or annotations cannot be read"));

  return TRUE;
}

/* The first page, down the page tree. */
static gboolean
find_first_page (CkSealPdfDoc *doc,
                 GError      **error)
{
  const CkSealPdfEntry *entry = _ck_seal_pdf_dict_lookup (doc, doc->catalog, "/Pages");
  guint num;

  if (entry == NULL || entry->value.type != CK_SEAL_PDF_VALUE_REF)
    return refuse (error, _("its catalog has no /Pages"));
  num = entry->value.num;

  for (guint depth = 0; depth < MAX_PAGE_DEPTH; depth++)
    {
      g_autoptr(GArray) node = NULL;
      const CkSealPdfEntry *type, *kids;
      CkSealPdfValue first;
      Lexer lx;
      guint gen;

      if (!(node = read_dict (doc, num, &gen, error)))
        return FALSE;
      type = _ck_seal_pdf_dict_lookup (doc, node, "/Type");
      if (type && value_is (doc, &type->value, "/Page"))
        {
          doc->page_num = num;
          doc->page_gen = gen;
          doc->page = g_steal_pointer (&node);
          return TRUE;
        }
      if (type == NULL || !value_is (doc, &type->value, "/Pages"))
        return refuse (error, _("its page tree holds something that is not a page"));

      kids = _ck_seal_pdf_dict_lookup (doc, node, "/Kids");
      if (kids == NULL || kids->value.type != CK_SEAL_PDF_VALUE_ARRAY)
        return refuse (error, _("its page tree has no /Kids"));
      lx = (Lexer) { doc->data, kids->value.end - 1, kids->value.start + 1 };
      if (!parse_value (&lx, 1, &first, NULL) || first.type != CK_SEAL_PDF_VALUE_REF)
        return refuse (error, _("it has no page"));
      num = first.num;
    }

  return refuse (error, _("its page tree is too deep"));
}

gboolean
_ck_seal_pdf_read (CkSealPdfDoc *doc,
                   GBytes       *pdf,
                   GError      **error)
{
  const CkSealPdfEntry *entry;
  guint gen;

  memset (doc, 0, sizeof *doc);
  doc->data = g_bytes_get_data (pdf, &doc->len);
  doc->xref = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  doc->fields = g_string_new (NULL);
  doc->annots = g_string_new (NULL);

  if (doc->len < 16 || memcmp (doc->data, "%PDF-", 5) != 0)
    return refuse (error, _("it is not a PDF file"));

  if (!read_trailers (doc, error) ||
      !(doc->catalog = read_dict (doc, doc->root.num, &gen, error)))
    return FALSE;
  if (gen != doc->root.gen)
    return refuse (error, _("its catalog is not the one its trailer names"));
  entry = _ck_seal_pdf_dict_lookup (doc, doc->catalog, "/Type");
  if (entry == NULL || !value_is (doc, &entry->value, "/Catalog"))
    return refuse (error, _("its catalog is not a /Catalog"));
  if (!find_first_page (doc, error))
    return FALSE;

  /* The fields and annotations already there: a signature, before a
   * document timestamp. */
  if ((entry = _ck_seal_pdf_dict_lookup (doc, doc->catalog, "/AcroForm")))
    {
      const CkSealPdfEntry *fields;

      if (entry->value.type == CK_SEAL_PDF_VALUE_REF)
        {
          if (!(doc->acroform = read_dict (doc, entry->value.num, NULL, error)))
            return FALSE;
        }
      else if (entry->value.type == CK_SEAL_PDF_VALUE_DICT)
        {
          Lexer lx = { doc->data, entry->value.end, entry->value.start };
          CkSealPdfValue value;

          doc->acroform = g_array_new (FALSE, FALSE, sizeof (CkSealPdfEntry));
          if (!parse_value (&lx, 0, &value, doc->acroform))
            return refuse (error, _("its /AcroForm cannot be read"));
        }
      else
        return refuse (error, _("its /AcroForm cannot be read"));

      if ((fields = _ck_seal_pdf_dict_lookup (doc, doc->acroform, "/Fields")) &&
          !collect_ref_array (doc, &fields->value, doc->fields, &doc->n_fields, error))
        return FALSE;
    }
  if ((entry = _ck_seal_pdf_dict_lookup (doc, doc->page, "/Annots")) &&
      !collect_ref_array (doc, &entry->value, doc->annots, NULL, error))
    return FALSE;

  return TRUE;
}
