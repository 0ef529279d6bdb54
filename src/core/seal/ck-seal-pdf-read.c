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
 * without trusting anything: values are parsed by the verifier's parser
 * (ck-pdf-value.c: bounds-checked, nesting and size bounded), offsets and
 * numbers are bounded here, and anything else (an xref stream, an object
 * that is not where its xref says) is refused with CK_SEAL_ERROR_PDF.
 * What is kept (CkSealPdfDoc): the last trailer's /Size /Root /Info /ID,
 * the catalog, the first page, and the fields and annotations already
 * there. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-seal-pdf-private.h"

#define MAX_SECTIONS 256       /* xref sections followed through /Prev */
#define MAX_OBJECTS 10000000   /* a /Size beyond this is not ours */
#define MAX_PAGE_DEPTH 16      /* page tree levels to the first page */
#define TAIL_SEARCH 1024       /* startxref is this near the end */
#define MAX_UINT 9999999999    /* the largest offset or count read: 10 digits */

void
_ck_seal_pdf_doc_clear (CkSealPdfDoc *doc)
{
  g_clear_pointer (&doc->xref, g_hash_table_unref);
  g_clear_pointer (&doc->trailer, _ck_pdf_value_free);
  g_clear_pointer (&doc->catalog, _ck_pdf_value_free);
  g_clear_pointer (&doc->page, _ck_pdf_value_free);
  g_clear_pointer (&doc->acroform_object, _ck_pdf_value_free);
  doc->acroform = NULL;
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

/* A non-negative integer of at most 10 digits. */
static gboolean
value_uint (const CkPdfValue *value,
            guint64          *out)
{
  if (value == NULL || value->kind != CK_PDF_INT || value->bad || value->num < 0 || value->num > MAX_UINT)
    return FALSE;
  *out = (guint64)value->num;
  return TRUE;
}

/* "N G R" with N and G in the ranges an update writes them in. */
static gboolean
value_is_ref (const CkPdfValue *value)
{
  return value && value->kind == CK_PDF_REF && value->num <= G_MAXUINT && value->gen <= 65535;
}

/* A string with nothing malformed: a literal one closed, a hex one of hex
 * digits and white space only (an odd number of digits is allowed: the
 * last is followed by 0, ISO 32000-1, 7.3.4.3). */
static gboolean
string_is_clean (const CkSealPdfDoc *doc,
                 const CkPdfValue   *value)
{
  if (value->kind != CK_PDF_STRING)
    return FALSE;
  if (!value->hex)
    return !value->bad;
  if (value->end - value->start < 2 || doc->data[value->end - 1] != '>')
    return FALSE;
  for (gsize i = value->start + 1; i < value->end - 1; i++)
    if (!g_ascii_isxdigit (doc->data[i]) && !g_ascii_isspace (doc->data[i]) && doc->data[i] != '\f' &&
        doc->data[i] != 0)
      return FALSE;

  return TRUE;
}

/* Every string in @value clean. Values come from the verifier's parser,
 * which reads a malformed string on, marked bad: the update copies
 * values as they are written, so it takes none. The parser bounded
 * @value's depth (CK_PDF_MAX_DEPTH). */
static gboolean
value_is_clean (const CkSealPdfDoc *doc,
                const CkPdfValue   *value)
{
  if (value->kind == CK_PDF_STRING)
    return string_is_clean (doc, value);
  if (value->kind == CK_PDF_ARRAY || value->kind == CK_PDF_DICT)
    for (guint i = 0; i < value->items->len; i++)
      if (!value_is_clean (doc, value->items->pdata[i]))
        return FALSE;

  return TRUE;
}

/* --- the cross-reference sections and trailers ------------------------ */

static gboolean
read_xref_section (CkSealPdfDoc  *doc,
                   gsize          offset,
                   CkPdfValue   **trailer,
                   GError       **error)
{
  g_autoptr(GArray) entries = NULL;
  CkPdfXrefFault fault;

  entries = _ck_pdf_read_xref (doc->data, doc->len, offset, trailer, &fault);
  if (entries && !value_is_clean (doc, *trailer))
    {
      g_clear_pointer (&entries, g_array_unref);
      g_clear_pointer (trailer, _ck_pdf_value_free);
      fault = CK_PDF_XREF_BAD_TRAILER;
    }
  if (entries == NULL)
    switch (fault)
      {
      case CK_PDF_XREF_NOT_A_TABLE:
        return refuse (error, _("its cross-reference is not a classic xref table"));
      case CK_PDF_XREF_BAD_SUBSECTION:
        return refuse (error, _("an xref subsection header cannot be read"));
      case CK_PDF_XREF_BAD_ENTRY:
        return refuse (error, _("an xref entry cannot be read"));
      case CK_PDF_XREF_BAD_TRAILER:
      default:
        return refuse (error, _("its trailer cannot be read"));
      }

  for (guint i = 0; i < entries->len; i++)
    {
      const CkPdfXrefEntry *entry = &g_array_index (entries, CkPdfXrefEntry, i);

      if (entry->num >= MAX_OBJECTS)
        return refuse (error, _("an xref subsection header cannot be read"));
      if (entry->offset > MAX_UINT || entry->gen > 65535)
        return refuse (error, _("an xref entry cannot be read"));
    }

  for (guint i = 0; i < entries->len; i++)
    {
      CkPdfXrefEntry entry = g_array_index (entries, CkPdfXrefEntry, i);

      /* The newest section is read first: older entries do not count. */
      if (g_hash_table_contains (doc->xref, GUINT_TO_POINTER ((guint)entry.num)))
        continue;
      entry.in_use = entry.in_use && entry.num != 0;
      if (entry.in_use && (guint64)entry.offset >= doc->len)
        return refuse (error, _("an xref entry points past the end of the file"));
      g_hash_table_insert (doc->xref, GUINT_TO_POINTER ((guint)entry.num),
                           g_memdup2 (&entry, sizeof entry));
    }

  return TRUE;
}

static gboolean
read_trailers (CkSealPdfDoc *doc,
               GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(CkPdfValue) startxref = NULL;
  const CkPdfValue *value;
  const guint8 *tail;
  gsize tail_len, at;
  guint64 offset;

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
  startxref = _ck_pdf_value_parse (doc->data, doc->len, at + 9);
  if (!value_uint (startxref, &offset) || offset >= doc->len)
    return refuse (error, _("its startxref cannot be read"));
  /* White space only (ISO 32000-1, 7.2.2), then the marker. */
  at = startxref->end;
  while (at < doc->len && (doc->data[at] == 0 || doc->data[at] == '\t' || doc->data[at] == '\n' ||
                           doc->data[at] == '\f' || doc->data[at] == '\r' || doc->data[at] == ' '))
    at++;
  if (at + 5 > doc->len || memcmp (doc->data + at, "%%EOF", 5) != 0)
    return refuse (error, _("it does not end with an end-of-file marker"));
  doc->startxref = (gsize)offset;

  for (guint section = 0;; section++)
    {
      g_autoptr(CkPdfValue) trailer = NULL;

      if (section >= MAX_SECTIONS || g_hash_table_contains (seen, GSIZE_TO_POINTER ((gsize)offset)))
        return refuse (error, _("its xref sections go round in a circle"));
      g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize)offset));

      if (!read_xref_section (doc, (gsize)offset, &trailer, error))
        return FALSE;
      if (_ck_pdf_dict_get (trailer, "XRefStm"))
        return refuse (error, _("its cross-reference is not a classic xref table"));
      value = _ck_pdf_dict_get (trailer, "Prev");
      if (section == 0)
        doc->trailer = g_steal_pointer (&trailer);
      if (value == NULL)
        break;
      if (!value_uint (value, &offset) || offset >= doc->len)
        return refuse (error, _("a trailer’s /Prev cannot be read"));
    }

  /* /Size, /Root, /Info, /ID of the last trailer. */
  value = _ck_pdf_dict_get (doc->trailer, "Size");
  if (!value_uint (value, &offset) || offset < 1 || offset > MAX_OBJECTS)
    return refuse (error, _("its trailer has no valid /Size"));
  doc->size = (guint)offset;

  value = _ck_pdf_dict_get (doc->trailer, "Root");
  if (!value_is_ref (value) || value->num >= doc->size)
    return refuse (error, _("its trailer has no /Root"));
  doc->root_num = (guint)value->num;
  doc->root_gen = (guint)value->gen;

  if ((value = _ck_pdf_dict_get (doc->trailer, "Info")))
    {
      if (!value_is_ref (value))
        return refuse (error, _("its trailer’s /Info is not a reference"));
      doc->info_num = (guint)value->num;
      doc->info_gen = (guint)value->gen;
      doc->has_info = TRUE;
    }

  /* /ID[0] is copied into the new trailer as it is written. */
  if ((value = _ck_pdf_dict_get (doc->trailer, "ID")))
    {
      if (value->kind != CK_PDF_ARRAY || value->items->len == 0 ||
          !string_is_clean (doc, value->items->pdata[0]))
        return refuse (error, _("its trailer’s /ID cannot be read"));
      doc->id0 = value->items->pdata[0];
    }

  return TRUE;
}

/* --- objects ------------------------------------------------------------ */

/* Object @num's value, where its xref says it is. */
static CkPdfValue *
read_object (CkSealPdfDoc *doc,
             guint         num,
             guint        *gen_out,
             GError      **error)
{
  const CkPdfXrefEntry *xref = g_hash_table_lookup (doc->xref, GUINT_TO_POINTER (num));
  CkPdfValue *value;
  gint64 n, gen;
  gsize pos;

  if (xref == NULL || !xref->in_use)
    {
      refuse (error, _("an object it refers to is not in its xref"));
      return NULL;
    }

  pos = (gsize)xref->offset;
  if (!_ck_pdf_read_object_header (doc->data, doc->len, &pos, &n, &gen) || n != num || gen != xref->gen)
    {
      refuse (error, _("an object is not where its xref says"));
      return NULL;
    }
  if (!(value = _ck_pdf_value_parse (doc->data, doc->len, pos)) || !value_is_clean (doc, value))
    {
      g_clear_pointer (&value, _ck_pdf_value_free);
      refuse (error, _("an object cannot be read"));
      return NULL;
    }
  if (gen_out)
    *gen_out = (guint)gen;

  return value;
}

static CkPdfValue *
read_dict (CkSealPdfDoc *doc,
           guint         num,
           guint        *gen,
           GError      **error)
{
  g_autoptr(CkPdfValue) value = NULL;

  if (!(value = read_object (doc, num, gen, error)))
    return NULL;
  if (value->kind != CK_PDF_DICT)
    {
      refuse (error, _("an object that must be a dictionary is not one"));
      return NULL;
    }

  return g_steal_pointer (&value);
}

/* An array of references, given directly or by reference, as "N G R "
 * into @out. */
static gboolean
collect_ref_array (CkSealPdfDoc     *doc,
                   const CkPdfValue *value,
                   GString          *out,
                   guint            *count,
                   GError          **error)
{
  g_autoptr(CkPdfValue) object = NULL;

  if (value_is_ref (value))
    {
      if (!(object = read_object (doc, (guint)value->num, NULL, error)))
        return FALSE;
      value = object;
    }
  if (value->kind != CK_PDF_ARRAY)
    return refuse (error, _("an array of fields or annotations cannot be read"));

  for (guint i = 0; i < value->items->len; i++)
    {
      const CkPdfValue *item = value->items->pdata[i];

      if (!value_is_ref (item))
        return refuse (error, _("an array of fields or annotations cannot be read"));
      g_string_append_printf (out, "%u %u R ", (guint)item->num, (guint)item->gen);
      if (count)
        (*count)++;
    }

  return TRUE;
}

/* The first page, down the page tree. */
static gboolean
find_first_page (CkSealPdfDoc *doc,
                 GError      **error)
{
  const CkPdfValue *pages = _ck_pdf_dict_get (doc->catalog, "Pages");
  guint num;

  if (!value_is_ref (pages))
    return refuse (error, _("its catalog has no /Pages"));
  num = (guint)pages->num;

  for (guint depth = 0; depth < MAX_PAGE_DEPTH; depth++)
    {
      g_autoptr(CkPdfValue) node = NULL;
      const CkPdfValue *type, *kids, *first;
      guint gen;

      if (!(node = read_dict (doc, num, &gen, error)))
        return FALSE;
      type = _ck_pdf_dict_get (node, "Type");
      if (_ck_pdf_value_is_name (type, "Page"))
        {
          doc->page_num = num;
          doc->page_gen = gen;
          doc->page = g_steal_pointer (&node);
          return TRUE;
        }
      if (!_ck_pdf_value_is_name (type, "Pages"))
        return refuse (error, _("its page tree holds something that is not a page"));

      kids = _ck_pdf_dict_get (node, "Kids");
      if (kids == NULL || kids->kind != CK_PDF_ARRAY)
        return refuse (error, _("its page tree has no /Kids"));
      first = kids->items->len > 0 ? kids->items->pdata[0] : NULL;
      if (!value_is_ref (first))
        return refuse (error, _("it has no page"));
      num = (guint)first->num;
    }

  return refuse (error, _("its page tree is too deep"));
}

gboolean
_ck_seal_pdf_read (CkSealPdfDoc *doc,
                   GBytes       *pdf,
                   GError      **error)
{
  const CkPdfValue *value;
  guint gen;

  memset (doc, 0, sizeof *doc);
  doc->data = g_bytes_get_data (pdf, &doc->len);
  doc->xref = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  doc->fields = g_string_new (NULL);
  doc->annots = g_string_new (NULL);

  if (doc->len < 16 || memcmp (doc->data, "%PDF-", 5) != 0)
    return refuse (error, _("it is not a PDF file"));

  if (!read_trailers (doc, error) ||
      !(doc->catalog = read_dict (doc, doc->root_num, &gen, error)))
    return FALSE;
  if (gen != doc->root_gen)
    return refuse (error, _("its catalog is not the one its trailer names"));
  if (!_ck_pdf_value_is_name (_ck_pdf_dict_get (doc->catalog, "Type"), "Catalog"))
    return refuse (error, _("its catalog is not a /Catalog"));
  if (!find_first_page (doc, error))
    return FALSE;

  /* The fields and annotations already there: a signature, before a
   * document timestamp. */
  if ((value = _ck_pdf_dict_get (doc->catalog, "AcroForm")))
    {
      const CkPdfValue *fields;

      if (value_is_ref (value))
        {
          if (!(doc->acroform_object = read_dict (doc, (guint)value->num, NULL, error)))
            return FALSE;
          doc->acroform = doc->acroform_object;
        }
      else if (value->kind == CK_PDF_DICT)
        doc->acroform = value;
      else
        return refuse (error, _("its /AcroForm cannot be read"));

      if ((fields = _ck_pdf_dict_get (doc->acroform, "Fields")) &&
          !collect_ref_array (doc, fields, doc->fields, &doc->n_fields, error))
        return FALSE;
    }
  if ((value = _ck_pdf_dict_get (doc->page, "Annots")) &&
      !collect_ref_array (doc, value, doc->annots, NULL, error))
    return FALSE;

  return TRUE;
}
