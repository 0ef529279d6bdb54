/* ck-pdf-scan.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads what the verifier needs of a PDF it did not write: the objects in
 * file order, the revisions (each ends at a "%%EOF" read outside any
 * object, string or stream), their trailers, and the signature
 * dictionaries (/ByteRange and /Contents).
 *
 * The input is hostile. The lexer reads one token at a time and never
 * past the end; nesting is kept on a stack of its own, at most
 * CK_PDF_MAX_DEPTH deep, and a value holds at most CK_PDF_MAX_VALUES
 * values, so neither a deep nor a huge object exhausts the stack or
 * memory; a stream is skipped by its /Length when that is a direct integer
 * followed by "endstream", else up to the first "endstream". Objects are
 * remembered by offset and parsed again when asked for
 * (_ck_pdf_scan_parse_object ()), so that only signature dictionaries and
 * trailers stay in memory. Nothing here decides whether a signature holds:
 * ck-seal-verify.c does, with what this file found. */

#define _GNU_SOURCE   /* memmem() */
#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <string.h>

#include "ck-pdf-lex-private.h"

/* --- the scan -------------------------------------------------------- */

static void
revision_free (gpointer data)
{
  CkPdfRevision *revision = data;

  _ck_pdf_value_free (revision->trailer);
  g_free (revision);
}

static void
signature_free (gpointer data)
{
  CkPdfSignature *signature = data;

  g_free (signature->sub_filter);
  g_free (signature->m);
  g_clear_pointer (&signature->contents, g_bytes_unref);
  g_free (signature);
}

void
_ck_pdf_scan_free (CkPdfScan *scan)
{
  if (scan == NULL)
    return;
  g_array_unref (scan->objects);
  g_ptr_array_unref (scan->revisions);
  g_ptr_array_unref (scan->signatures);
  g_hash_table_unref (scan->by_num);
  g_free (scan);
}

/* Past a stream's data: by its /Length when that is a direct integer that
 * ends where "endstream" begins, else at the first "endstream". */
static gsize
skip_stream (const guint8     *d,
             gsize             len,
             gsize             p,
             const CkPdfValue *dict)
{
  static const char endstream[] = "endstream";
  CkPdfValue *length = _ck_pdf_dict_get (dict, "Length");
  const guint8 *found;

  if (p < len && d[p] == '\r')
    p++;
  if (p < len && d[p] == '\n')
    p++;

  if (length && length->kind == CK_PDF_INT && !length->bad && length->num >= 0 &&
      (guint64)length->num <= len - p)
    {
      gsize q = p + length->num;
      CkPdfToken t;

      _ck_pdf_lex (d, len, &q, &t);
      if (_ck_pdf_token_is_word (d, &t, "endstream"))
        return t.end;
    }

  found = memmem (d + p, len - p, endstream, strlen (endstream));
  return found ? (gsize)(found - d) + strlen (endstream) : len;
}

static gboolean
is_signature_dict (const CkPdfValue *dict)
{
  CkPdfValue *type = _ck_pdf_dict_get (dict, "Type");

  if (_ck_pdf_dict_get (dict, "ByteRange") == NULL || _ck_pdf_dict_get (dict, "Contents") == NULL)
    return FALSE;
  if (type == NULL)
    return _ck_pdf_dict_get (dict, "SubFilter") != NULL || _ck_pdf_dict_get (dict, "Filter") != NULL;

  return _ck_pdf_value_is_name (type, "Sig") || _ck_pdf_value_is_name (type, "DocTimeStamp");
}

static CkPdfSignature *
signature_new (const CkPdfValue *dict,
               guint             object)
{
  CkPdfSignature *signature = g_new0 (CkPdfSignature, 1);
  CkPdfValue *sub_filter = _ck_pdf_dict_get (dict, "SubFilter");
  CkPdfValue *byte_range = _ck_pdf_dict_get (dict, "ByteRange");
  CkPdfValue *contents = _ck_pdf_dict_get (dict, "Contents");
  CkPdfValue *m = _ck_pdf_dict_get (dict, "M");

  signature->object = object;
  signature->doc_timestamp = _ck_pdf_value_is_name (_ck_pdf_dict_get (dict, "Type"), "DocTimeStamp");
  if (sub_filter && sub_filter->kind == CK_PDF_NAME)
    signature->sub_filter = g_strdup (sub_filter->name);

  if (byte_range->kind == CK_PDF_ARRAY && byte_range->items->len == 4)
    {
      signature->byte_range_ok = TRUE;
      for (guint i = 0; i < 4; i++)
        {
          CkPdfValue *n = byte_range->items->pdata[i];

          if (n->kind != CK_PDF_INT || n->bad || n->num < 0)
            signature->byte_range_ok = FALSE;
          else
            signature->byte_range[i] = n->num;
        }
    }

  if (contents->kind == CK_PDF_STRING && contents->hex)
    {
      signature->contents_hex = TRUE;
      signature->contents_start = contents->start;
      signature->contents_end = contents->end;
      if (!contents->bad)
        signature->contents = g_bytes_ref (contents->string);
    }

  if (m && m->kind == CK_PDF_STRING)
    signature->m = _ck_pdf_text_to_utf8 (m->string);

  return signature;
}

static guint
revision_of (const CkPdfScan *scan,
             gsize            offset)
{
  guint low = 0, high = scan->revisions->len;

  /* The first revision that ends after @offset: they are in order. */
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (offset < ((CkPdfRevision *)scan->revisions->pdata[mid])->end)
        high = mid;
      else
        low = mid + 1;
    }

  return low;
}

/**
 * _ck_pdf_read_object_header:
 * @data: a PDF's bytes
 * @len: how many
 * @pos: (inout): where to read, white space before it skipped; on success,
 *   moved past "obj"
 * @num: (out): the object number
 * @gen: (out): its generation
 *
 * Reads "NUM GEN obj", NUM and GEN non-negative integers.
 *
 * Returns: whether it is there; if not, *@pos is left alone
 */
gboolean
_ck_pdf_read_object_header (const guint8 *data,
                            gsize         len,
                            gsize        *pos,
                            gint64       *num,
                            gint64       *gen)
{
  gsize q = *pos;
  CkPdfToken n, g, obj;

  _ck_pdf_lex (data, len, &q, &n);
  if (n.kind != TOK_INT || n.bad || n.num < 0)
    return FALSE;
  _ck_pdf_lex (data, len, &q, &g);
  if (g.kind != TOK_INT || g.bad || g.num < 0)
    return FALSE;
  _ck_pdf_lex (data, len, &q, &obj);
  if (!_ck_pdf_token_is_word (data, &obj, "obj"))
    return FALSE;

  *num = n.num;
  *gen = g.num;
  *pos = q;
  return TRUE;
}

/**
 * _ck_pdf_scan:
 * @data: a PDF's bytes, which must outlive the scan
 * @len: how many
 *
 * Reads the objects, revisions, trailers and signature dictionaries of
 * @data, whatever it holds: what cannot be read is skipped.
 *
 * Returns: (transfer full): what was found
 */
CkPdfScan *
_ck_pdf_scan (const guint8 *data,
              gsize         len)
{
  CkPdfScan *scan = g_new0 (CkPdfScan, 1);
  CkPdfValue *trailer = NULL;
  gint64 startxref = -1;
  gsize revision_start = 0;
  gsize p = 0;

  scan->data = data;
  scan->len = len;
  scan->objects = g_array_new (FALSE, TRUE, sizeof (CkPdfObject));
  scan->revisions = g_ptr_array_new_with_free_func (revision_free);
  scan->signatures = g_ptr_array_new_with_free_func (signature_free);
  scan->by_num = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify)g_array_unref);

  for (;;)
    {
      CkPdfToken t;

      _ck_pdf_lex (data, len, &p, &t);
      if (t.kind == TOK_END)
        break;

      if (t.kind == TOK_COMMENT)
        {
          CkPdfRevision *revision;
          gsize q = t.start + 5;

          if (t.end - t.start < 5 || memcmp (data + t.start, "%%EOF", 5) != 0)
            continue;
          while (q < t.end && (data[q] == ' ' || data[q] == '\t'))
            q++;
          if (q != t.end)
            continue;

          revision = g_new0 (CkPdfRevision, 1);
          revision->start = revision_start;
          revision->eof = t.start + 5;
          q = t.end;
          if (q < len && data[q] == '\r')
            q++;
          if (q < len && data[q] == '\n')
            q++;
          revision->end = q;
          revision->startxref = startxref;
          revision->trailer = g_steal_pointer (&trailer);
          g_ptr_array_add (scan->revisions, revision);
          revision_start = p = q;
          startxref = -1;
          continue;
        }

      if (t.kind == TOK_INT)
        {
          gsize q = t.start;
          CkPdfObject object = { 0 };
          g_autoptr(CkPdfValue) value = NULL;

          if (!_ck_pdf_read_object_header (data, len, &q, &object.num, &object.gen))
            continue;

          object.offset = t.start;
          object.value_start = q;
          value = _ck_pdf_parse_value (data, len, &q);
          if (value == NULL)
            {
              /* Broken: go on reading after "obj". */
              object.end = object.value_start;
              g_array_append_val (scan->objects, object);
              p = object.value_start;
              continue;
            }

          p = q;
          _ck_pdf_lex (data, len, &q, &t);
          if (_ck_pdf_token_is_word (data, &t, "stream") && value->kind == CK_PDF_DICT)
            {
              object.is_stream = TRUE;
              p = q = skip_stream (data, len, t.end, value);
              _ck_pdf_lex (data, len, &q, &t);
            }
          if (_ck_pdf_token_is_word (data, &t, "endobj"))
            p = t.end;
          object.end = p;
          g_array_append_val (scan->objects, object);

          if (value->kind == CK_PDF_DICT && !object.is_stream && is_signature_dict (value))
            g_ptr_array_add (scan->signatures, signature_new (value, scan->objects->len - 1));
          continue;
        }

      if (_ck_pdf_token_is_word (data, &t, "trailer"))
        {
          gsize q = p;
          CkPdfValue *value = _ck_pdf_parse_value (data, len, &q);

          if (value && value->kind == CK_PDF_DICT)
            {
              _ck_pdf_value_free (trailer);
              trailer = value;
              p = q;
            }
          else
            _ck_pdf_value_free (value);
          continue;
        }

      if (_ck_pdf_token_is_word (data, &t, "startxref"))
        {
          gsize q = p;
          CkPdfToken offset;

          _ck_pdf_lex (data, len, &q, &offset);
          if (offset.kind == TOK_INT && !offset.bad && offset.num >= 0)
            {
              startxref = offset.num;
              p = q;
            }
          continue;
        }
    }

  _ck_pdf_value_free (trailer);

  for (guint i = 0; i < scan->objects->len; i++)
    {
      CkPdfObject *object = &g_array_index (scan->objects, CkPdfObject, i);

      GArray *defs;

      object->revision = revision_of (scan, object->offset);
      if ((defs = g_hash_table_lookup (scan->by_num, &object->num)) == NULL)
        {
          defs = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (scan->by_num, g_memdup2 (&object->num, sizeof object->num), defs);
        }
      g_array_append_val (defs, i);
    }
  for (guint i = 0; i < scan->signatures->len; i++)
    {
      CkPdfSignature *signature = scan->signatures->pdata[i];

      signature->revision = g_array_index (scan->objects, CkPdfObject, signature->object).revision;
    }

  return scan;
}

/**
 * _ck_pdf_scan_parse_object:
 * @index: an index in @scan's objects
 *
 * Returns: (transfer full) (nullable): the object's value, parsed again
 */
CkPdfValue *
_ck_pdf_scan_parse_object (const CkPdfScan *scan,
                           guint            index)
{
  g_return_val_if_fail (index < scan->objects->len, NULL);

  return _ck_pdf_value_parse (scan->data, scan->len,
                              g_array_index (scan->objects, CkPdfObject, index).value_start);
}

/**
 * _ck_pdf_scan_find_object:
 * @num: an object number
 * @before: an offset
 *
 * Returns: the index of the last definition of object @num that begins
 *   before @before, or -1
 */
gint
_ck_pdf_scan_find_object (const CkPdfScan *scan,
                          gint64           num,
                          gsize            before)
{
  GArray *defs = g_hash_table_lookup (scan->by_num, &num);

  /* Its definitions, in file order. */
  for (guint i = defs ? defs->len : 0; i > 0; i--)
    {
      guint index = g_array_index (defs, guint, i - 1);

      if (g_array_index (scan->objects, CkPdfObject, index).offset < before)
        return index;
    }

  return -1;
}

/**
 * _ck_pdf_read_xref:
 * @data: a PDF's bytes
 * @len: how many
 * @offset: where a cross-reference table should begin ("xref")
 * @trailer: (out) (optional): its trailer dictionary
 * @fault: (out) (optional): what could not be read, when %NULL is returned
 *
 * Reads a classic cross-reference table and the trailer that follows.
 *
 * Returns: (transfer full) (nullable) (element-type CkPdfXrefEntry): its
 *   entries, or %NULL if there is no well-formed table and trailer there
 */
GArray *
_ck_pdf_read_xref (const guint8    *data,
                   gsize            len,
                   gsize            offset,
                   CkPdfValue     **trailer,
                   CkPdfXrefFault  *fault)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CkPdfXrefEntry));
  CkPdfXrefFault unused;
  gsize p = offset;
  CkPdfToken t;

  if (fault == NULL)
    fault = &unused;
  *fault = CK_PDF_XREF_NOT_A_TABLE;
  if (offset >= len)
    return NULL;
  _ck_pdf_lex (data, len, &p, &t);
  if (t.start != offset || !_ck_pdf_token_is_word (data, &t, "xref"))
    return NULL;

  for (;;)
    {
      CkPdfToken first, count;

      _ck_pdf_lex (data, len, &p, &first);
      if (_ck_pdf_token_is_word (data, &first, "trailer"))
        break;
      _ck_pdf_lex (data, len, &p, &count);
      *fault = CK_PDF_XREF_BAD_SUBSECTION;
      if (first.kind != TOK_INT || first.bad || first.num < 0 ||
          count.kind != TOK_INT || count.bad || count.num < 0 ||
          (guint64)count.num > (len - p) / 18 + 1 ||
          first.num > G_MAXINT64 - count.num)
        return NULL;

      *fault = CK_PDF_XREF_BAD_ENTRY;
      for (gint64 i = 0; i < count.num; i++)
        {
          CkPdfXrefEntry entry = { first.num + i, 0, 0, FALSE };
          CkPdfToken off, gen, kind;

          _ck_pdf_lex (data, len, &p, &off);
          _ck_pdf_lex (data, len, &p, &gen);
          _ck_pdf_lex (data, len, &p, &kind);
          if (off.kind != TOK_INT || off.bad || off.num < 0 ||
              gen.kind != TOK_INT || gen.bad || gen.num < 0)
            return NULL;
          if (_ck_pdf_token_is_word (data, &kind, "n"))
            entry.in_use = TRUE;
          else if (!_ck_pdf_token_is_word (data, &kind, "f"))
            return NULL;
          entry.offset = off.num;
          entry.gen = gen.num;
          g_array_append_val (entries, entry);
        }
    }

  if (trailer)
    {
      CkPdfValue *value = _ck_pdf_parse_value (data, len, &p);

      *fault = CK_PDF_XREF_BAD_TRAILER;
      if (value == NULL || value->kind != CK_PDF_DICT)
        {
          _ck_pdf_value_free (value);
          return NULL;
        }
      *trailer = value;
    }

  return g_steal_pointer (&entries);
}

/**
 * _ck_pdf_scan_read_xref:
 * @offset: where a cross-reference table should begin ("xref")
 * @trailer: (out) (optional): its trailer dictionary
 *
 * _ck_pdf_read_xref () on @scan's bytes.
 *
 * Returns: (transfer full) (nullable) (element-type CkPdfXrefEntry): its
 *   entries, or %NULL if there is no well-formed table and trailer there
 */
GArray *
_ck_pdf_scan_read_xref (const CkPdfScan  *scan,
                        gsize             offset,
                        CkPdfValue      **trailer)
{
  return _ck_pdf_read_xref (scan->data, scan->len, offset, trailer, NULL);
}
