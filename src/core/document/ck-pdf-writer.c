/* ck-pdf-writer.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libharu's document, objects and streams as ck-pdf uses them: errors,
 * raw operators, UTF-16BE strings, new objects and streams deflated here. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <zlib.h>

#include "ck-pdf-private.h"

/* --- writing --------------------------------------------------------- */

void
_ck_pdf_writer_error (HPDF_STATUS  error_no,
                      HPDF_STATUS  detail_no,
                      void        *user_data)
{
  Writer *writer = user_data;

  if (writer->error == NULL)
    g_set_error (&writer->error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                 _("The PDF could not be written (libharu error 0x%04X, detail %u)."),
                 (guint)error_no, (guint)detail_no);
}

void
_ck_pdf_raw (Writer     *writer,
             const char *text)
{
  HPDF_PageAttr attr = (HPDF_PageAttr)writer->page->attr;

  HPDF_Stream_WriteStr (attr->stream, text);
}

/* A PDF text string: UTF-16BE with a byte-order mark, written as hex, so
 * that every character, those above U+FFFF too, is kept exactly. */
static HPDF_Binary
utf16_string (Writer     *writer,
              const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  g_autofree guint8 *bytes = NULL;
  glong n = 0;

  utf16 = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  bytes = g_malloc (2 + 2 * n);
  bytes[0] = 0xFE;
  bytes[1] = 0xFF;
  for (glong i = 0; i < n; i++)
    {
      bytes[2 + 2 * i] = utf16[i] >> 8;
      bytes[3 + 2 * i] = utf16[i] & 0xFF;
    }

  return HPDF_Binary_New (writer->pdf->mmgr, bytes, 2 + 2 * n);
}

void
_ck_pdf_set_info (Writer     *writer,
                  const char *key,
                  const char *value)
{
  if (value && value[0])
    HPDF_Dict_Add (writer->pdf->info, key, utf16_string (writer, value));
}

HPDF_Dict
_ck_pdf_new_object (Writer *writer)
{
  HPDF_Dict dict = HPDF_Dict_New (writer->pdf->mmgr);

  if (dict)
    HPDF_Xref_Add (writer->pdf->xref, dict);

  return dict;
}

/* --- deflate --------------------------------------------------------- */

/* Streams are deflated here rather than by libharu, at zlib level 4 rather
 * than its fixed 6: deflate was 60 % of a render's instructions. Measured
 * on the standard consent, level 6 → 4: the font subset 34,573 → 35,158
 * bytes, the content stream 9,105 → 9,345; zlib's instructions 19.8 M →
 * 12.9 M a render (levels 1–3 cost 1–2 KB more a consent for a little
 * more speed). */
#define DEFLATE_LEVEL 4

/* libharu removes a stream's /Filter when its own filter is none: the
 * entry for data deflated here is written after the others. */
static HPDF_STATUS
write_flate_filter (HPDF_Dict   dict,
                    HPDF_Stream stream)
{
  return HPDF_Stream_WriteStr (stream, "/Filter /FlateDecode\012");
}

/* Deflates the @n_parts buffers of @parts, one after the other, into a
 * byte array; NULL if zlib fails. */
static GByteArray *
deflate_parts (const guint8 * const *parts,
               const gsize          *lens,
               guint                 n_parts)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize total = 0;
  z_stream z = { 0 };
  int ret = Z_OK;

  for (guint i = 0; i < n_parts; i++)
    total += lens[i];
  if (deflateInit (&z, DEFLATE_LEVEL) != Z_OK)
    return NULL;
  g_byte_array_set_size (out, deflateBound (&z, total));
  z.next_out = out->data;
  z.avail_out = out->len;
  for (guint i = 0; i <= n_parts && ret == Z_OK; i++)
    {
      z.next_in = (Bytef *)(i < n_parts ? parts[i] : NULL);
      z.avail_in = i < n_parts ? (uInt)lens[i] : 0;
      ret = deflate (&z, i < n_parts ? Z_NO_FLUSH : Z_FINISH);
      if (i < n_parts && z.avail_in > 0)
        ret = Z_BUF_ERROR;   /* deflateBound () was wrong: cannot be */
    }
  g_byte_array_set_size (out, z.total_out);
  deflateEnd (&z);

  return ret == Z_STREAM_END ? g_steal_pointer (&out) : NULL;
}

static void
mark_deflated (HPDF_Dict dict)
{
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_flate_filter;
}

/**
 * _ck_pdf_deflate:
 * @data: bytes
 * @len: how many
 *
 * Returns: (transfer full) (nullable): @data deflated at DEFLATE_LEVEL, or
 *   %NULL if zlib fails
 */
GBytes *
_ck_pdf_deflate (const void *data,
                 gsize       len)
{
  const guint8 *parts[1] = { data };
  GByteArray *deflated = deflate_parts (parts, &len, 1);

  return deflated ? g_byte_array_free_to_bytes (deflated) : NULL;
}

/* A stream object holding @deflated, already deflated (a profile deflated
 * once for every document). */
HPDF_Dict
_ck_pdf_new_deflated_stream (Writer *writer,
                             GBytes *deflated)
{
  HPDF_Dict stream = HPDF_DictStream_New (writer->pdf->mmgr, writer->pdf->xref);

  if (stream == NULL)
    return NULL;
  HPDF_Stream_Write (stream->stream, g_bytes_get_data (deflated, NULL), g_bytes_get_size (deflated));
  mark_deflated (stream);

  return stream;
}

/* A stream object holding @data, deflated. */
HPDF_Dict
_ck_pdf_new_stream (Writer     *writer,
                    const void *data,
                    gsize       len)
{
  g_autoptr(GBytes) deflated = _ck_pdf_deflate (data, len);

  if (deflated == NULL)
    {
      _ck_pdf_writer_error (HPDF_STREAM_EOF, 0, writer);
      return NULL;
    }

  return _ck_pdf_new_deflated_stream (writer, deflated);
}

/* Deflates a page's content stream as the document is saved, once: what
 * libharu's page operators wrote into its memory stream is taken buffer by
 * buffer and replaced by the deflated bytes. */
static HPDF_STATUS
deflate_contents (HPDF_Dict contents)
{
  HPDF_Stream stream = contents->stream;
  HPDF_UINT n = HPDF_MemStream_GetBufCount (stream);
  g_autofree const guint8 **parts = g_new (const guint8 *, n + 1);
  g_autofree gsize *lens = g_new (gsize, n + 1);
  g_autoptr(GByteArray) deflated = NULL;

  contents->before_write_fn = NULL;
  for (HPDF_UINT i = 0; i < n; i++)
    {
      HPDF_UINT len = 0;

      parts[i] = HPDF_MemStream_GetBufPtr (stream, i, &len);
      lens[i] = len;
      if (parts[i] == NULL)
        return HPDF_STREAM_EOF;
    }
  if (!(deflated = deflate_parts (parts, lens, n)))
    return HPDF_STREAM_EOF;

  HPDF_MemStream_FreeData (stream);
  HPDF_Stream_Write (stream, deflated->data, deflated->len);
  mark_deflated (contents);

  return HPDF_OK;
}

void
_ck_pdf_deflate_page_contents (Writer *writer)
{
  HPDF_Dict contents = ((HPDF_PageAttr)writer->page->attr)->contents;

  if (contents->before_write_fn == NULL && contents->write_fn == NULL)
    contents->before_write_fn = deflate_contents;
}

void
_ck_pdf_writer_clear (Writer *writer)
{
  g_clear_pointer (&writer->pdf, HPDF_Free);
  for (guint i = 0; writer->codes && i < writer->n_fonts; i++)
    g_clear_pointer (&writer->codes[i], g_hash_table_unref);
  g_clear_pointer (&writer->codes, g_free);
  g_clear_pointer (&writer->segments, g_array_unref);
  g_clear_pointer (&writer->fonts, g_free);
  g_clear_error (&writer->error);
}
