/* ck-seal-pdf-update.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writing the incremental update (ck-seal-pdf.c says what it holds): the
 * original bytes, then the signature field and its widget, the signature
 * dictionary (/Sig or /DocTimeStamp) with a fixed-width /ByteRange
 * placeholder and a /Contents of zeros, the catalog and the first page
 * again, an xref section for these objects only and a trailer with /Prev.
 * Then /ByteRange is filled in, and /Contents once the CMS or the token
 * is there. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "ck-seal-pdf-private.h"

#define BYTE_RANGE_WIDTH 40    /* "0 a b c" and spaces, inside [ ] */

void
_ck_seal_pdf_update_clear (CkSealPdfUpdate *update)
{
  g_clear_pointer (&update->out, g_byte_array_unref);
}

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
append_span (GByteArray         *out,
             const CkSealPdfDoc *doc,
             gsize               start,
             gsize               end)
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

/* A dictionary again, without the keys in @skip (names without their
 * slash, NULL-terminated), and open: the caller adds its own keys and
 * ">>". */
static void
append_dict_except (GByteArray         *out,
                    const CkSealPdfDoc *doc,
                    const CkPdfValue   *dict,
                    const char * const *skip)
{
  append (out, "<<\n");
  for (guint i = 0; i + 1 < dict->items->len; i += 2)
    {
      const CkPdfValue *key = dict->items->pdata[i];
      const CkPdfValue *value = dict->items->pdata[i + 1];

      if (g_strv_contains (skip, key->name))
        continue;
      append_span (out, doc, key->start, key->end);
      append (out, " ");
      append_span (out, doc, value->start, value->end);
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
begin_object (CkSealPdfUpdate *update,
              GArray          *written,
              guint            num,
              guint            gen)
{
  Written w = { num, gen, update->out->len };

  g_array_append_val (written, w);
  appendf (update->out, "%u %u obj\n", num, gen);
}

/* The incremental update, with /ByteRange and /Contents to fill in. */
void
_ck_seal_pdf_build_update (const CkSealPdfDoc  *doc,
                           CkSealPdfUpdateKind  kind,
                           const CkSealPdfInfo *info,
                           gsize                contents_bytes,
                           const guint8        *id1,
                           CkSealPdfUpdate     *update)
{
  static const char * const catalog_skip[] = { "AcroForm", NULL };
  static const char * const acroform_skip[] = { "Fields", "SigFlags", NULL };
  static const char * const page_skip[] = { "Annots", NULL };
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (Written));
  g_autofree char *name = NULL;
  GByteArray *out;
  guint field_num = doc->size;
  guint sig_num = doc->size + 1;
  gboolean add_extensions = _ck_pdf_dict_get (doc->catalog, "Extensions") == NULL;
  guint i;

  out = update->out = g_byte_array_sized_new ((guint)(doc->len + 2 * contents_bytes + 4096));
  g_byte_array_append (out, doc->data, (guint)doc->len);
  if (doc->data[doc->len - 1] != '\n' && doc->data[doc->len - 1] != '\r')
    append (out, "\n");

  /* The signature field, merged with its widget. */
  if (kind == CK_SEAL_PDF_UPDATE_DOC_TIMESTAMP)
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
  if (kind == CK_SEAL_PDF_UPDATE_DOC_TIMESTAMP)
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
  begin_object (update, written, doc->root_num, doc->root_gen);
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

    appendf (out, "trailer\n<<\n/Size %u\n/Root %u %u R\n", doc->size + 2, doc->root_num, doc->root_gen);
    if (doc->has_info)
      appendf (out, "/Info %u %u R\n", doc->info_num, doc->info_gen);
    append (out, "/ID [");
    if (doc->id0)
      append_span (out, doc, doc->id0->start, doc->id0->end);
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
void
_ck_seal_pdf_fill_byte_range (CkSealPdfUpdate *update,
                              CkSealRange      ranges[2])
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

void
_ck_seal_pdf_fill_contents (CkSealPdfUpdate *update,
                            GBytes          *der)
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
void
_ck_seal_pdf_new_id (const CkSealPdfDoc *doc,
                     guint8             *id1)
{
  guint8 digest[32];

  EVP_Digest (doc->data, doc->len, digest, NULL, EVP_sha256 (), NULL);
  memcpy (id1, digest, 16);
}
