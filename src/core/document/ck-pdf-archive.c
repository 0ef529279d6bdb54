/* ck-pdf-archive.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What PDF/A-2b asks of the file itself: the PDF 1.7 header, the trailer
 * /ID, the sRGB output intent and the XMP metadata. docs/PDFA.md lists each
 * rule and the test that checks it. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "ck-pdf-private.h"

/* --- PDF/A-2b: the document-level objects ------------------------------
 *
 * ISO 19005-2 level B asks of the file itself, beyond its pages and fonts:
 * a PDF 1.7 header, an /ID in the trailer, an output intent with an
 * embedded ICC profile (the content paints in DeviceRGB and DeviceGray),
 * and XMP metadata in the catalog saying PDF/A-2B and repeating the Info
 * dictionary. docs/PDFA.md lists each rule and the test that checks it. */

#define OUTPUT_CONDITION "sRGB IEC61966-2.1"
#define ICC_HEADER_SIZE 128

/* The profile's path: CK_SRGB_PROFILE in the environment (tests), else the
 * one meson was configured with. */
static const char *
srgb_profile_path (void)
{
  const char *path = g_getenv ("CK_SRGB_PROFILE");

  return path && path[0] ? path : CK_SRGB_PROFILE;
}

/* Reads the sRGB profile and checks that its header describes what PDF 1.7
 * takes as an output intent: an ICC profile (version 2 to 4) of a display
 * or printer, in RGB, exactly as long as it says. */
static GBytes *
read_srgb_profile (GError **error)
{
  const char *path = srgb_profile_path ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  const guint8 *h;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE,
                   _("The colour profile %s cannot be read (%s); scripts/install-deps "
                     "installs it (Debian package colord-data)."),
                   path, local_error->message);
      return NULL;
    }

  h = (const guint8 *)data;
  if (len < ICC_HEADER_SIZE ||
      ((guint32)h[0] << 24 | (guint32)h[1] << 16 | (guint32)h[2] << 8 | h[3]) != len ||
      h[8] < 2 || h[8] > 4 ||
      (memcmp (h + 12, "mntr", 4) != 0 && memcmp (h + 12, "prtr", 4) != 0) ||
      memcmp (h + 16, "RGB ", 4) != 0 ||
      memcmp (h + 36, "acsp", 4) != 0)
    {
      g_set_error (error, CK_PDF_ERROR, CK_PDF_ERROR_COLOR_PROFILE,
                   _("The file %s is not an RGB display or printer ICC profile, "
                     "which a PDF/A consent needs as its output intent."),
                   path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&data), len);
}

/* The profile of @path, checked and deflated, read once a process: every
 * consent embeds the same bytes, and a render need not read 20 KB from
 * disk and deflate them again. A file that fails is not remembered. */
static GBytes *
deflated_srgb_profile (GError **error)
{
  static GMutex lock;
  static GHashTable *profiles;   /* path → deflated profile */
  const char *path = srgb_profile_path ();
  g_autoptr(GBytes) profile = NULL;
  GBytes *deflated;

  g_mutex_lock (&lock);
  if (profiles == NULL)
    profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  if ((deflated = g_hash_table_lookup (profiles, path)))
    g_bytes_ref (deflated);
  else if ((profile = read_srgb_profile (error)))
    {
      if ((deflated = _ck_pdf_deflate (g_bytes_get_data (profile, NULL), g_bytes_get_size (profile))))
        g_hash_table_insert (profiles, g_strdup (path), g_bytes_ref (deflated));
      else
        g_set_error_literal (error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER, _("The PDF could not be written."));
    }
  g_mutex_unlock (&lock);

  return deflated;
}

/* The catalog's /OutputIntents: one GTS_PDFA1 intent whose destination
 * profile is the sRGB profile. */
gboolean
_ck_pdf_add_output_intent (Writer *writer)
{
  g_autoptr(GBytes) profile = NULL;
  HPDF_Dict intent;
  HPDF_Dict icc;
  HPDF_Array intents;

  if (!(profile = deflated_srgb_profile (&writer->error)))
    return FALSE;

  if (!(icc = _ck_pdf_new_deflated_stream (writer, profile)))
    return FALSE;
  HPDF_Dict_AddNumber (icc, "N", 3);

  intent = HPDF_Dict_New (writer->pdf->mmgr);
  intents = HPDF_Array_New (writer->pdf->mmgr);
  if (intent == NULL || intents == NULL)
    return FALSE;
  HPDF_Dict_AddName (intent, "Type", "OutputIntent");
  HPDF_Dict_AddName (intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add (intent, "OutputConditionIdentifier",
                 HPDF_String_New (writer->pdf->mmgr, OUTPUT_CONDITION, NULL));
  HPDF_Dict_Add (intent, "Info", HPDF_String_New (writer->pdf->mmgr, OUTPUT_CONDITION, NULL));
  HPDF_Dict_Add (intent, "DestOutputProfile", icc);
  HPDF_Array_Add (intents, intent);
  HPDF_Dict_Add (writer->pdf->catalog, "OutputIntents", intents);

  return writer->error == NULL;
}

/* Dates are written in UT, as the Info dictionary's D:YYYYMMDDHHmmSSZ
 * and as XMP's ISO 8601: the same instant in both. */
static char *
info_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "D:%Y%m%d%H%M%SZ");
}

static char *
xmp_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
_ck_pdf_set_info_date (Writer     *writer,
                       const char *key,
                       GDateTime  *time)
{
  g_autofree char *value = info_date (time);

  HPDF_Dict_Add (writer->pdf->info, key, HPDF_String_New (writer->pdf->mmgr, value, NULL));
}

/* Text for an XML element's content; a carriage return is written as a
 * character reference, since a parser would read it as a line feed. */
static void
append_xml_text (GString    *xml,
                 const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  for (const char *p = escaped; *p; p++)
    if (*p == '\r')
      g_string_append (xml, "&#13;");
    else
      g_string_append_c (xml, *p);
}

/* A simple property, an rdf:Seq of one entry, or an rdf:Alt in the default
 * language; nothing where the Info dictionary has no entry either. */
static void
append_xmp_property (GString    *xml,
                     const char *name,
                     const char *container,
                     const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_string_append_printf (xml, "   <%s>", name);
  if (container)
    g_string_append_printf (xml, "<rdf:%s><rdf:li%s>", container,
                            g_str_equal (container, "Alt") ? " xml:lang=\"x-default\"" : "");
  append_xml_text (xml, value);
  if (container)
    g_string_append_printf (xml, "</rdf:li></rdf:%s>", container);
  g_string_append_printf (xml, "</%s>\n", name);
}

/* The XMP packet: the PDF/A identification and the Info dictionary's
 * entries again, each under the property ISO 19005-2 pairs it with. */
static char *
build_xmp (const Info *info,
           const char *creator)
{
  GString *xml = g_string_new (NULL);
  g_autofree char *created = info->created ? xmp_date (info->created) : NULL;

  g_string_append (xml,
                   "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                   "  <rdf:Description rdf:about=\"\"\n"
                   "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                   "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                   "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                   "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                   "   <pdfaid:part>2</pdfaid:part>\n"
                   "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                   "   <dc:format>application/pdf</dc:format>\n");
  append_xmp_property (xml, "dc:title", "Alt", info->title);
  append_xmp_property (xml, "dc:creator", "Seq", info->author);
  append_xmp_property (xml, "dc:description", "Alt", info->subject);
  append_xmp_property (xml, "pdf:Keywords", NULL, info->keywords);
  append_xmp_property (xml, "pdf:Producer", NULL, PRODUCER);
  append_xmp_property (xml, "xmp:CreatorTool", NULL, creator);
  append_xmp_property (xml, "xmp:CreateDate", NULL, created);
  g_string_append (xml,
                   "  </rdf:Description>\n"
                   " </rdf:RDF>\n"
                   "</x:xmpmeta>\n"
                   "<?xpacket end=\"w\"?>");

  return g_string_free (xml, FALSE);
}

/* The catalog's /Metadata, uncompressed so that any tool finds it. */
void
_ck_pdf_add_metadata (Writer     *writer,
                      const Info *info,
                      const char *creator)
{
  g_autofree char *xmp = build_xmp (info, creator);
  HPDF_Dict stream;

  stream = HPDF_DictStream_New (writer->pdf->mmgr, writer->pdf->xref);
  if (stream == NULL)
    return;
  stream->filter = HPDF_STREAM_FILTER_NONE;
  HPDF_Dict_AddName (stream, "Type", "Metadata");
  HPDF_Dict_AddName (stream, "Subtype", "XML");
  HPDF_Stream_Write (stream->stream, (const HPDF_BYTE *)xmp, strlen (xmp));
  HPDF_Dict_Add (writer->pdf->catalog, "Metadata", stream);
}

/* The trailer's /ID: both halves the same 16 bytes, the start of a SHA-256
 * over the Info dictionary's values, which name the consent, its content
 * digest and its time. The same request gives the same ID. */
void
_ck_pdf_add_file_id (Writer     *writer,
                     const Info *info,
                     const char *creator)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *created = info->created ? info_date (info->created) : NULL;
  const char *values[] = { info->title, info->author, info->subject, info->keywords,
                           creator, PRODUCER, created };
  guint8 digest[32];
  gsize len = sizeof digest;
  HPDF_Array id;

  g_checksum_update (checksum, (const guchar *)"consent-kiosk/pdf-id/1", -1);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_checksum_update (checksum, (const guchar *)"\n", 1);
      if (values[i])
        g_checksum_update (checksum, (const guchar *)values[i], -1);
    }
  g_checksum_get_digest (checksum, digest, &len);

  id = HPDF_Array_New (writer->pdf->mmgr);
  if (id == NULL)
    return;
  HPDF_Array_Add (id, HPDF_Binary_New (writer->pdf->mmgr, digest, 16));
  HPDF_Array_Add (id, HPDF_Binary_New (writer->pdf->mmgr, digest, 16));
  HPDF_Dict_Add (writer->pdf->trailer, "ID", id);
}

/* libharu writes "%PDF-1.7" and a comment of four bytes above 127. */
void
_ck_pdf_set_pdf_version (Writer *writer)
{
  writer->pdf->pdf_version = HPDF_VER_17;
}
