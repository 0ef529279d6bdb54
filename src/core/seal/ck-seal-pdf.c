/* ck-seal-pdf.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A signature or a document timestamp appended to a consent PDF as an
 * incremental update (ISO 32000-1, 7.5.6; PAdES, ETSI EN 319 142-1): the
 * original bytes stay an exact prefix of the result.
 *
 * The PDF is ck-pdf's own (libharu: classic xref tables, a trailer with
 * /Root /Info /ID /Size), or one this file already updated. It is read
 * from its last startxref back through every /Prev, without trusting
 * anything: offsets, numbers and nesting are bounded, and anything else
 * (an xref stream, an object that is not where its xref says) is refused
 * with CK_SEAL_ERROR_PDF.
 *
 * The update holds:
 *   - the catalog again, with /AcroForm << /Fields [… field] /SigFlags 3 >>
 *     (and /Extensions /ESIC, PAdES's extension, when it has none);
 *   - the first page again, every key kept, with /Annots [… field];
 *   - the signature field, merged with its widget: invisible (/Rect
 *     [0 0 0 0], which PDF/A-2 lets go without an appearance) and printed
 *     (/F 132: Print, Locked), as PDF/A-2b wants;
 *   - the signature dictionary: /Sig with ETSI.CAdES.detached, /M /Reason
 *     /Location; or /DocTimeStamp with ETSI.RFC3161;
 *   - an xref section for these objects only, and a trailer with /Prev,
 *     the same /ID[0] and a new /ID[1].
 * /ByteRange is written as a fixed-width placeholder and /Contents as a
 * run of zeros, then both are filled in: the ranges are hashed, signed,
 * and the signature's hex fills /Contents. The room is the largest CMS
 * the seal's key makes (measured once) plus the last token's size; a
 * token that does not fit makes the update again with room for it, once. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ck-seal-private.h"

#define MAX_DEPTH 32           /* nesting of arrays and dictionaries */
#define MAX_SECTIONS 256       /* xref sections followed through /Prev */
#define MAX_OBJECTS 10000000   /* a /Size beyond this is not ours */
#define MAX_PAGE_DEPTH 16      /* page tree levels to the first page */
#define TAIL_SEARCH 1024       /* startxref is this near the end */
#define BYTE_RANGE_WIDTH 40    /* "0 a b c" and spaces, inside [ ] */

typedef enum
{
  VALUE_NONE,
  VALUE_DICT,
  VALUE_ARRAY,
  VALUE_NAME,
  VALUE_STRING,
  VALUE_NUMBER,
  VALUE_REF,
  VALUE_KEYWORD,
} ValueType;

typedef struct
{
  ValueType type;
  gsize start;                  /* the value's bytes, [start, end) */
  gsize end;
  guint num;                    /* VALUE_REF */
  guint gen;
} Value;

typedef struct
{
  gsize key_start;              /* the key's name, with its slash */
  gsize key_end;
  Value value;
} Entry;

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

typedef struct
{
  const guint8 *data;
  gsize len;
  GHashTable *xref;             /* number → XrefEntry, the newest */
  GArray *trailer;              /* Entry, of the last trailer */
  guint size;
  gsize startxref;
  Value root;
  Value info;
  Value id0;
  gboolean has_info;
  gboolean has_id;
  GArray *catalog;              /* Entry */
  guint page_num;
  guint page_gen;
  GArray *page;                 /* Entry */
  GString *fields;              /* "a 0 R b 0 R " already in /AcroForm /Fields */
  guint n_fields;
  GString *annots;              /* already in the page's /Annots */
  GArray *acroform;             /* Entry, a direct or resolved /AcroForm, or NULL */
} Doc;

static void
doc_clear (Doc *doc)
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Doc, doc_clear)

static gboolean
refuse (GError     **error,
        const char  *why)
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

static gboolean parse_value (Lexer  *lx,
                             guint   depth,
                             Value  *value,
                             GArray *entries);

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
parse_value (Lexer  *lx,
             guint   depth,
             Value  *value,
             GArray *entries)
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
      value->type = VALUE_DICT;
      lx->pos += 2;
      for (;;)
        {
          Entry entry = { 0 };

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
      value->type = VALUE_ARRAY;
      lx->pos++;
      for (;;)
        {
          Value item;

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
      value->type = VALUE_STRING;
      for (lx->pos++; lx->pos < lx->len && lx->data[lx->pos] != '>'; lx->pos++)
        if (!g_ascii_isxdigit (lx->data[lx->pos]) && !is_space (lx->data[lx->pos]))
          return FALSE;
      if (lx->pos >= lx->len)
        return FALSE;
      lx->pos++;
    }
  else if (c == '(')
    {
      value->type = VALUE_STRING;
      if (!parse_literal_string (lx))
        return FALSE;
    }
  else if (c == '/')
    {
      value->type = VALUE_NAME;
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
          value->type = VALUE_REF;
          value->num = (guint)num;
          value->gen = (guint)gen;
          lx->pos = ahead.pos + 1;
        }
      else
        {
          value->type = VALUE_NUMBER;
          while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
            lx->pos++;
        }
    }
  else if (c == '+' || c == '-' || c == '.')
    {
      value->type = VALUE_NUMBER;
      while (lx->pos < lx->len && is_regular (lx->data[lx->pos]))
        lx->pos++;
    }
  else if (is_regular (c))
    {
      value->type = VALUE_KEYWORD;
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

static const Entry *
dict_lookup (const Doc  *doc,
             GArray     *entries,
             const char *key)
{
  gsize n = strlen (key);

  for (guint i = 0; entries && i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);

      if (entry->key_end - entry->key_start == n && memcmp (doc->data + entry->key_start, key, n) == 0)
        return entry;
    }
  return NULL;
}

static gboolean
value_is (const Doc   *doc,
          const Value *value,
          const char  *text)
{
  gsize n = strlen (text);

  return value->end - value->start == n && memcmp (doc->data + value->start, text, n) == 0;
}

/* The references of an array value, written "N G R " into @out. */
static gboolean
collect_refs (const Doc   *doc,
              const Value *array,
              GString     *out,
              guint       *count)
{
  Lexer lx = { doc->data, array->end - 1, array->start + 1 };

  for (;;)
    {
      Value item;

      skip_space (&lx);
      if (lx.pos >= lx.len)
        return TRUE;
      if (!parse_value (&lx, 1, &item, NULL) || item.type != VALUE_REF)
        return FALSE;
      g_string_append_printf (out, "%u %u R ", item.num, item.gen);
      if (count)
        (*count)++;
    }
}

/* --- the cross-reference sections and trailers ------------------------ */

static gboolean
read_xref_section (Doc     *doc,
                   gsize    offset,
                   GArray **trailer,
                   GError **error)
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
    Value value;
    g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));

    if (!parse_value (&lx, 0, &value, entries) || value.type != VALUE_DICT)
      return refuse (error, _("its trailer cannot be read"));
    *trailer = g_steal_pointer (&entries);
  }

  return TRUE;
}

static gboolean
read_uint_value (const Doc   *doc,
                 const Entry *entry,
                 guint64     *out)
{
  Lexer lx = { doc->data, entry->value.end, entry->value.start };

  return entry->value.type == VALUE_NUMBER && read_uint (&lx, out);
}

static gboolean
read_trailers (Doc     *doc,
               GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  const guint8 *tail;
  gsize tail_len, at;
  guint64 offset;
  const Entry *entry;
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
      if (dict_lookup (doc, trailer, "/XRefStm"))
        return refuse (error, _("its cross-reference is not a classic xref table"));
      entry = dict_lookup (doc, trailer, "/Prev");
      if (section == 0)
        doc->trailer = g_array_ref (trailer);
      if (entry == NULL)
        break;
      if (!read_uint_value (doc, entry, &offset) || offset >= doc->len)
        return refuse (error, _("a trailer’s /Prev cannot be read"));
    }

  /* /Size, /Root, /Info, /ID of the last trailer. */
  entry = dict_lookup (doc, doc->trailer, "/Size");
  if (entry == NULL || !read_uint_value (doc, entry, &offset) || offset < 1 || offset > MAX_OBJECTS)
    return refuse (error, _("its trailer has no valid /Size"));
  doc->size = (guint)offset;

  entry = dict_lookup (doc, doc->trailer, "/Root");
  if (entry == NULL || entry->value.type != VALUE_REF || entry->value.num >= doc->size)
    return refuse (error, _("its trailer has no /Root"));
  doc->root = entry->value;

  if ((entry = dict_lookup (doc, doc->trailer, "/Info")))
    {
      if (entry->value.type != VALUE_REF)
        return refuse (error, _("its trailer’s /Info is not a reference"));
      doc->info = entry->value;
      doc->has_info = TRUE;
    }

  if ((entry = dict_lookup (doc, doc->trailer, "/ID")))
    {
      Lexer ids = { doc->data, entry->value.end, entry->value.start + 1 };

      if (entry->value.type != VALUE_ARRAY || !parse_value (&ids, 1, &doc->id0, NULL) ||
          doc->id0.type != VALUE_STRING)
        return refuse (error, _("its trailer’s /ID cannot be read"));
      doc->has_id = TRUE;
    }

  return TRUE;
}

/* --- objects ------------------------------------------------------------ */

/* Object @num's value: a dictionary's entries into @entries. */
static gboolean
read_object (Doc     *doc,
             guint    num,
             guint   *gen_out,
             Value   *value,
             GArray  *entries,
             GError **error)
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
read_dict (Doc     *doc,
           guint    num,
           guint   *gen,
           GError **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  Value value;

  if (!read_object (doc, num, gen, &value, entries, error))
    return NULL;
  if (value.type != VALUE_DICT)
    {
      refuse (error, _("an object that must be a dictionary is not one"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* An array, given directly or by reference, as "N G R " into @out. */
static gboolean
collect_ref_array (Doc         *doc,
                   const Value *value,
                   GString     *out,
                   guint       *count,
                   GError     **error)
{
  Value resolved = *value;

  if (value->type == VALUE_REF && !read_object (doc, value->num, NULL, &resolved, NULL, error))
    return FALSE;
  if (resolved.type != VALUE_ARRAY || !collect_refs (doc, &resolved, out, count))
    return refuse (error, _("an array of fields or annotations cannot be read"));

  return TRUE;
}

/* The first page, down the page tree. */
static gboolean
find_first_page (Doc     *doc,
                 GError **error)
{
  const Entry *entry = dict_lookup (doc, doc->catalog, "/Pages");
  guint num;

  if (entry == NULL || entry->value.type != VALUE_REF)
    return refuse (error, _("its catalog has no /Pages"));
  num = entry->value.num;

  for (guint depth = 0; depth < MAX_PAGE_DEPTH; depth++)
    {
      g_autoptr(GArray) node = NULL;
      const Entry *type, *kids;
      Value first;
      Lexer lx;
      guint gen;

      if (!(node = read_dict (doc, num, &gen, error)))
        return FALSE;
      type = dict_lookup (doc, node, "/Type");
      if (type && value_is (doc, &type->value, "/Page"))
        {
          doc->page_num = num;
          doc->page_gen = gen;
          doc->page = g_steal_pointer (&node);
          return TRUE;
        }
      if (type == NULL || !value_is (doc, &type->value, "/Pages"))
        return refuse (error, _("its page tree holds something that is not a page"));

      kids = dict_lookup (doc, node, "/Kids");
      if (kids == NULL || kids->value.type != VALUE_ARRAY)
        return refuse (error, _("its page tree has no /Kids"));
      lx = (Lexer) { doc->data, kids->value.end - 1, kids->value.start + 1 };
      if (!parse_value (&lx, 1, &first, NULL) || first.type != VALUE_REF)
        return refuse (error, _("it has no page"));
      num = first.num;
    }

  return refuse (error, _("its page tree is too deep"));
}

static gboolean
doc_read (Doc           *doc,
          GBytes        *pdf,
          GError       **error)
{
  const Entry *entry;
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
  entry = dict_lookup (doc, doc->catalog, "/Type");
  if (entry == NULL || !value_is (doc, &entry->value, "/Catalog"))
    return refuse (error, _("its catalog is not a /Catalog"));
  if (!find_first_page (doc, error))
    return FALSE;

  /* The fields and annotations already there: a signature, before a
   * document timestamp. */
  if ((entry = dict_lookup (doc, doc->catalog, "/AcroForm")))
    {
      const Entry *fields;

      if (entry->value.type == VALUE_REF)
        {
          if (!(doc->acroform = read_dict (doc, entry->value.num, NULL, error)))
            return FALSE;
        }
      else if (entry->value.type == VALUE_DICT)
        {
          Lexer lx = { doc->data, entry->value.end, entry->value.start };
          Value value;

          doc->acroform = g_array_new (FALSE, FALSE, sizeof (Entry));
          if (!parse_value (&lx, 0, &value, doc->acroform))
            return refuse (error, _("its /AcroForm cannot be read"));
        }
      else
        return refuse (error, _("its /AcroForm cannot be read"));

      if ((fields = dict_lookup (doc, doc->acroform, "/Fields")) &&
          !collect_ref_array (doc, &fields->value, doc->fields, &doc->n_fields, error))
        return FALSE;
    }
  if ((entry = dict_lookup (doc, doc->page, "/Annots")) &&
      !collect_ref_array (doc, &entry->value, doc->annots, NULL, error))
    return FALSE;

  return TRUE;
}

/* --- writing -------------------------------------------------------------- */

typedef enum
{
  UPDATE_SIGNATURE,
  UPDATE_DOC_TIMESTAMP,
} UpdateKind;

typedef struct
{
  GByteArray *out;
  gsize byte_range_at;          /* the placeholder's first byte, inside [ ] */
  gsize hole_start;             /* '<' of /Contents */
  gsize hole_end;               /* after its '>' */
} Update;

static void
update_clear (Update *update)
{
  g_clear_pointer (&update->out, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Update, update_clear)

static void
append (GByteArray *out,
        const char *text)
{
  g_byte_array_append (out, (const guint8 *)text, (guint)strlen (text));
}

G_GNUC_PRINTF (2, 3)
static void
appendf (GByteArray *out,
         const char *format,
         ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  append (out, text);
}

static void
append_span (GByteArray *out,
             const Doc  *doc,
             gsize       start,
             gsize       end)
{
  g_byte_array_append (out, doc->data + start, (guint)(end - start));
}

/* A text string: UTF-16BE with its byte order mark, in hex. */
static void
append_text_string (GByteArray *out,
                    const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong n = 0;

  utf16 = g_utf8_to_utf16 (text ? text : "", -1, NULL, &n, NULL);
  append (out, "<FEFF");
  for (glong i = 0; utf16 && i < n; i++)
    appendf (out, "%04X", (guint)utf16[i]);
  append (out, ">");
}

/* "D:YYYYMMDDHHmmSS+HH'mm'" */
static char *
pdf_date (GDateTime *time)
{
  g_autofree char *base = g_date_time_format (time, "D:%Y%m%d%H%M%S");
  gint64 offset_s = g_date_time_get_utc_offset (time) / G_USEC_PER_SEC;
  gint64 minutes = ABS (offset_s) / 60;

  if (offset_s == 0)
    return g_strconcat (base, "Z", NULL);
  return g_strdup_printf ("%s%c%02d'%02d'", base, offset_s < 0 ? '-' : '+', (int)(minutes / 60),
                          (int)(minutes % 60));
}

/* A field's partial name may hold no period (ISO 32000-1, 12.7.3.2). */
static char *
field_name (const char *name,
            guint       n_fields)
{
  g_autofree char *clean = g_strdup (name && name[0] ? name : "Seal");

  g_strdelimit (clean, ".", '_');
  if (n_fields > 0)
    return g_strdup_printf ("%s %u", clean, n_fields + 1);
  return g_steal_pointer (&clean);
}

/* A dictionary again, without @skip (NULL-terminated), and open: the
 * caller adds its own keys and ">>". */
static void
append_dict_except (GByteArray         *out,
                    const Doc          *doc,
                    GArray             *entries,
                    const char * const *skip)
{
  append (out, "<<\n");
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      gboolean skipped = FALSE;

      for (guint k = 0; skip[k] && !skipped; k++)
        skipped = entry->key_end - entry->key_start == strlen (skip[k]) &&
                  memcmp (doc->data + entry->key_start, skip[k], strlen (skip[k])) == 0;
      if (skipped)
        continue;
      append_span (out, doc, entry->key_start, entry->key_end);
      append (out, " ");
      append_span (out, doc, entry->value.start, entry->value.end);
      append (out, "\n");
    }
}

typedef struct
{
  guint num;
  guint gen;
  gsize offset;
} Written;

static int
compare_written (gconstpointer a,
                 gconstpointer b)
{
  const Written *x = a, *y = b;

  return x->num < y->num ? -1 : x->num > y->num;
}

static void
begin_object (Update *update,
              GArray *written,
              guint   num,
              guint   gen)
{
  Written w = { num, gen, update->out->len };

  g_array_append_val (written, w);
  appendf (update->out, "%u %u obj\n", num, gen);
}

/* The incremental update, with /ByteRange and /Contents to fill in. */
static void
build_update (const Doc           *doc,
              UpdateKind           kind,
              const CkSealPdfInfo *info,
              gsize                contents_bytes,
              const guint8        *id1,
              Update              *update)
{
  static const char * const catalog_skip[] = { "/AcroForm", NULL, NULL };
  static const char * const acroform_skip[] = { "/Fields", "/SigFlags", NULL };
  static const char * const page_skip[] = { "/Annots", NULL };
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (Written));
  g_autofree char *name = NULL;
  GByteArray *out;
  guint field_num = doc->size;
  guint sig_num = doc->size + 1;
  gboolean add_extensions = dict_lookup (doc, doc->catalog, "/Extensions") == NULL;
  guint i;

  out = update->out = g_byte_array_sized_new ((guint)(doc->len + 2 * contents_bytes + 4096));
  g_byte_array_append (out, doc->data, (guint)doc->len);
  if (doc->data[doc->len - 1] != '\n' && doc->data[doc->len - 1] != '\r')
    append (out, "\n");

  /* The signature field, merged with its widget. */
  if (kind == UPDATE_DOC_TIMESTAMP)
    name = g_strdup_printf ("DocTimeStamp %u", doc->n_fields + 1);
  else
    name = field_name (info->field_name, doc->n_fields);
  begin_object (update, written, field_num, 0);
  append (out, "<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/T ");
  append_text_string (out, name);
  appendf (out, "\n/V %u 0 R\n/F 132\n/Rect [0 0 0 0]\n/P %u %u R\n>>\nendobj\n", sig_num,
           doc->page_num, doc->page_gen);

  /* The signature dictionary. */
  begin_object (update, written, sig_num, 0);
  if (kind == UPDATE_DOC_TIMESTAMP)
    append (out, "<<\n/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n");
  else
    {
      g_autofree char *date = pdf_date (info->time);

      append (out, "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n");
      appendf (out, "/M (%s)\n", date);
      if (info->reason)
        {
          append (out, "/Reason ");
          append_text_string (out, info->reason);
          append (out, "\n");
        }
      if (info->location)
        {
          append (out, "/Location ");
          append_text_string (out, info->location);
          append (out, "\n");
        }
    }
  append (out, "/ByteRange [");
  update->byte_range_at = out->len;
  for (i = 0; i < BYTE_RANGE_WIDTH; i++)
    append (out, " ");
  append (out, "]\n/Contents ");
  update->hole_start = out->len;
  g_byte_array_set_size (out, out->len + 2 * (guint)contents_bytes + 2);
  out->data[update->hole_start] = '<';
  memset (out->data + update->hole_start + 1, '0', 2 * contents_bytes);
  out->data[out->len - 1] = '>';
  update->hole_end = out->len;
  append (out, "\n>>\nendobj\n");

  /* The catalog, with the form. */
  begin_object (update, written, doc->root.num, doc->root.gen);
  append_dict_except (out, doc, doc->catalog, catalog_skip);
  append (out, "/AcroForm ");
  if (doc->acroform)
    append_dict_except (out, doc, doc->acroform, acroform_skip);
  else
    append (out, "<<\n");
  appendf (out, "/Fields [%s%u 0 R]\n/SigFlags 3\n>>\n", doc->fields->str, field_num);
  /* PAdES's extension of ISO 32000-1 (ETSI EN 319 142-1, 5.3). */
  if (add_extensions)
    append (out, "/Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 2 >> >>\n");
  append (out, ">>\nendobj\n");

  /* The first page, with the widget. */
  begin_object (update, written, doc->page_num, doc->page_gen);
  append_dict_except (out, doc, doc->page, page_skip);
  appendf (out, "/Annots [%s%u 0 R]\n>>\nendobj\n", doc->annots->str, field_num);

  /* The xref section of these objects, in runs of consecutive numbers. */
  {
    gsize xref_at = out->len;

    g_array_sort (written, compare_written);
    append (out, "xref\n");
    for (i = 0; i < written->len;)
      {
        guint run = 1;

        while (i + run < written->len &&
               g_array_index (written, Written, i + run).num == g_array_index (written, Written, i).num + run)
          run++;
        appendf (out, "%u %u\n", g_array_index (written, Written, i).num, run);
        for (guint k = 0; k < run; k++)
          {
            const Written *w = &g_array_index (written, Written, i + k);

            appendf (out, "%010" G_GSIZE_FORMAT " %05u n\r\n", w->offset, w->gen);
          }
        i += run;
      }

    appendf (out, "trailer\n<<\n/Size %u\n/Root %u %u R\n", doc->size + 2, doc->root.num, doc->root.gen);
    if (doc->has_info)
      appendf (out, "/Info %u %u R\n", doc->info.num, doc->info.gen);
    append (out, "/ID [");
    if (doc->has_id)
      append_span (out, doc, doc->id0.start, doc->id0.end);
    else
      {
        append (out, "<");
        for (i = 0; i < 16; i++)
          appendf (out, "%02X", id1[i]);
        append (out, ">");
      }
    append (out, " <");
    for (i = 0; i < 16; i++)
      appendf (out, "%02X", id1[i]);
    appendf (out, ">]\n/Prev %" G_GSIZE_FORMAT "\n>>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
             doc->startxref, xref_at);
  }
}

/* Fills /ByteRange in; returns the two signed ranges. */
static void
fill_byte_range (Update      *update,
                 CkSealRange  ranges[2])
{
  gsize len = update->out->len;
  g_autofree char *text = g_strdup_printf ("0 %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT,
                                           update->hole_start, update->hole_end, len - update->hole_end);

  g_assert (strlen (text) <= BYTE_RANGE_WIDTH);
  memcpy (update->out->data + update->byte_range_at, text, strlen (text));

  ranges[0].data = update->out->data;
  ranges[0].len = update->hole_start;
  ranges[1].data = update->out->data + update->hole_end;
  ranges[1].len = len - update->hole_end;
}

static void
fill_contents (Update *update,
               GBytes *der)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize length;
  const guint8 *data = g_bytes_get_data (der, &length);
  guint8 *p = update->out->data + update->hole_start + 1;

  g_assert (2 * length <= update->hole_end - update->hole_start - 2);
  for (gsize i = 0; i < length; i++)
    {
      *p++ = (guint8)hex[data[i] >> 4];
      *p++ = (guint8)hex[data[i] & 0xf];
    }
}

/* The new /ID[1]: the first 16 bytes of the SHA-256 of the revision
 * before it, so that each revision has its own. */
static void
new_id (const Doc *doc,
        guint8    *id1)
{
  guint8 digest[32];

  EVP_Digest (doc->data, doc->len, digest, NULL, EVP_sha256 (), NULL);
  memcpy (id1, digest, 16);
}

/**
 * ck_seal_sign_pdf:
 * @pdf: a consent PDF as ck-pdf writes it, or one already updated
 * @info: the field's name, /Reason, /Location, /M
 * @timestamp: add a TSA token (PAdES-B-T) when a TSA is configured
 * @tsa_error: (out) (optional): why there is no token when the TSA failed
 *
 * Seals @pdf: appends an incremental update with a PAdES signature
 * (ETSI.CAdES.detached) over the whole file but its /Contents. When the
 * TSA fails, the PDF is still sealed, without token (PAdES-B-B), and
 * @tsa_error says why, with its CK_SEAL_ERROR_TSA_* code.
 *
 * Returns: (transfer full): the sealed PDF, of which @pdf is a prefix;
 *   or %NULL with CK_SEAL_ERROR_PDF (not a PDF this kiosk can sign),
 *   CK_SEAL_ERROR_KEY, CK_SEAL_ERROR_CERTIFICATE or CK_SEAL_ERROR_SIGN
 */
GBytes *
ck_seal_sign_pdf (CkSeal               *self,
                  GBytes               *pdf,
                  const CkSealPdfInfo  *info,
                  gboolean              timestamp,
                  GError              **tsa_error,
                  GError              **error)
{
  g_auto(Doc) doc = { 0 };
  guint8 id1[16];
  gboolean want_token;

  g_return_val_if_fail (CK_IS_SEAL (self), NULL);
  g_return_val_if_fail (pdf != NULL, NULL);
  g_return_val_if_fail (info != NULL && info->time != NULL, NULL);

  if (!doc_read (&doc, pdf, error))
    return NULL;
  new_id (&doc, id1);
  want_token = timestamp && self->stamp_func != NULL;

  for (guint attempt = 0;; attempt++)
    {
      g_auto(Update) update = { 0 };
      g_autoptr(GBytes) der = NULL;
      g_autoptr(GError) local_tsa_error = NULL;
      CkSealRange ranges[2];
      gsize room = self->cms_size_max;
      gsize needed = 0;

      if (want_token)
        room = MIN (room + _ck_seal_get_token_reserve (self) + CK_SEAL_TOKEN_OVERHEAD, CK_SEAL_CONTENTS_MAX);

      build_update (&doc, UPDATE_SIGNATURE, info, room, id1, &update);
      fill_byte_range (&update, ranges);
      if (!(der = _ck_seal_cms_sign (self, ranges, 2, FALSE, want_token, room, &needed,
                                     &local_tsa_error, error)))
        return NULL;

      /* The token did not fit: once, again with room for it. */
      if (needed > 0 && attempt == 0 && needed <= CK_SEAL_CONTENTS_MAX)
        {
          g_debug ("A signature with its token takes %zu bytes, %zu were reserved: again", needed, room);
          continue;
        }
      if (needed > 0)
        g_set_error (&local_tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                     _("The time-stamping authority’s token is too large (%zu bytes with the signature; "
                       "a PDF signature holds at most %d)."), needed, CK_SEAL_CONTENTS_MAX);

      fill_contents (&update, der);
      if (local_tsa_error)
        g_propagate_error (tsa_error, g_steal_pointer (&local_tsa_error));

      return g_byte_array_free_to_bytes (g_steal_pointer (&update.out));
    }
}

/**
 * ck_seal_timestamp_pdf:
 * @pdf: a sealed consent PDF
 *
 * Appends a document timestamp revision (/DocTimeStamp, ETSI.RFC3161): a
 * TSA token over the whole file but its /Contents, in a new signature
 * field beside the existing ones (PAdES-B-LT's time, for a consent sealed
 * while the TSA was away).
 *
 * Returns: (transfer full): the PDF with its new revision, of which @pdf
 *   is a prefix; or %NULL with CK_SEAL_ERROR_NOT_CONFIGURED (no TSA),
 *   CK_SEAL_ERROR_PDF, or the TSA's CK_SEAL_ERROR_TSA_* error
 */
GBytes *
ck_seal_timestamp_pdf (CkSeal   *self,
                       GBytes   *pdf,
                       GError  **error)
{
  g_auto(Doc) doc = { 0 };
  guint8 id1[16];

  g_return_val_if_fail (CK_IS_SEAL (self), NULL);
  g_return_val_if_fail (pdf != NULL, NULL);

  if (self->stamp_func == NULL)
    {
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED,
                           _("No time-stamping authority is configured: set tsa_url in [signing]."));
      return NULL;
    }
  if (!doc_read (&doc, pdf, error))
    return NULL;
  new_id (&doc, id1);

  for (guint attempt = 0;; attempt++)
    {
      g_auto(Update) update = { 0 };
      g_autoptr(GBytes) token = NULL;
      CkSealRange ranges[2];
      guint8 digest[32];
      gsize room = MIN (_ck_seal_get_token_reserve (self), CK_SEAL_CONTENTS_MAX);
      EVP_MD_CTX *md;
      gboolean ok;

      build_update (&doc, UPDATE_DOC_TIMESTAMP, NULL, room, id1, &update);
      fill_byte_range (&update, ranges);

      md = EVP_MD_CTX_new ();
      ok = md != NULL && EVP_DigestInit_ex (md, EVP_sha256 (), NULL) &&
           EVP_DigestUpdate (md, ranges[0].data, ranges[0].len) &&
           EVP_DigestUpdate (md, ranges[1].data, ranges[1].len) &&
           EVP_DigestFinal_ex (md, digest, NULL);
      EVP_MD_CTX_free (md);
      if (!ok)
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_SIGN,
                               _("The document could not be hashed for its timestamp."));
          return NULL;
        }

      if (!(token = _ck_seal_stamp (self, digest, error)))
        return NULL;
      if (g_bytes_get_size (token) < 2 || ((const guint8 *)g_bytes_get_data (token, NULL))[0] != 0x30)
        {
          g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                               _("The time-stamping authority’s token is not a CMS structure."));
          return NULL;
        }
      _ck_seal_note_token_size (self, g_bytes_get_size (token));

      if (g_bytes_get_size (token) > room)
        {
          if (attempt == 0 && g_bytes_get_size (token) <= CK_SEAL_CONTENTS_MAX)
            continue;
          g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_REPLY,
                       _("The time-stamping authority’s token is too large (%zu bytes; a PDF signature "
                         "holds at most %d)."), g_bytes_get_size (token), CK_SEAL_CONTENTS_MAX);
          return NULL;
        }

      fill_contents (&update, token);
      return g_byte_array_free_to_bytes (g_steal_pointer (&update.out));
    }
}
