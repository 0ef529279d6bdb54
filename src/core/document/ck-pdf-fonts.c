/* ck-pdf-fonts.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fonts a document uses, each embedded as a subset in a Type0 font
 * whose objects are written here. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "ck-pdf-private.h"

/* --- fonts ----------------------------------------------------------- */

/* The fonts are written here rather than by libharu 2.3.0, whose Type0
 * fonts cost half a render: HPDF_GetFont walks all 65,536 BMP code points
 * through the font's cmap to build /W and a 128 KB CIDToGIDMap, and it
 * parses and rewrites the font file a byte at a time. Here, in a font of n
 * characters, the sorted characters get CIDs 1…n; a two-byte-a-CID map
 * gives their glyphs in the hb-subset subset, /W their advances (the
 * layout's, which are the subset's hmtx in thousandths of an em, rounded
 * down) and the ToUnicode map the characters back. Each object is what
 * PDF/A-2b asks of an embedded CIDFontType2: FontFile2, CIDToGIDMap,
 * CIDSystemInfo Adobe/Identity/0 for Identity-H, a subset tag, and a
 * descriptor with FontBBox, Ascent, Descent, CapHeight, ItalicAngle,
 * StemV and Flags. */



/* Six capital letters from the characters, so that the same text gives the
 * same name and different subsets of one font different names. */
static void
subset_tag (const gunichar *chars,
            guint           n,
            char            tag[7])
{
  guint32 h = 2166136261u;   /* FNV-1a */

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < 4; k++)
      {
        h ^= (chars[i] >> (8 * k)) & 0xFF;
        h *= 16777619u;
      }
  for (guint i = 0; i < 6; i++)
    {
      tag[i] = 'A' + h % 26;
      h /= 26;
      if (i == 2)
        h ^= n * 2654435761u;
    }
  tag[6] = '\0';
}

/* The ToUnicode CMap: CID_OF (i) → @chars[i], as UTF-16BE. */
static HPDF_Dict
to_unicode (Writer         *writer,
            const gunichar *chars,
            guint           n)
{
  g_autoptr(GString) cmap = g_string_sized_new (300 + 16 * n);

  g_string_append (cmap,
                   "/CIDInit /ProcSet findresource begin\n"
                   "12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  for (guint i = 0; i < n; i += 100)
    {
      guint count = MIN (100, n - i);

      g_string_append_printf (cmap, "%u beginbfchar\n", count);
      for (guint k = i; k < i + count; k++)
        {
          gunichar c = chars[k];

          if (c > 0xFFFF)
            g_string_append_printf (cmap, "<%04X> <%04X%04X>\n", CID_OF (k),
                                    0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
          else
            g_string_append_printf (cmap, "<%04X> <%04X>\n", CID_OF (k), c);
        }
      g_string_append (cmap, "endbfchar\n");
    }
  g_string_append (cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

  return _ck_pdf_new_stream (writer, cmap->str, cmap->len);
}

static HPDF_Array
int_array (Writer    *writer,
           const int *values,
           guint      n)
{
  HPDF_Array array = HPDF_Array_New (writer->pdf->mmgr);

  for (guint i = 0; array && i < n; i++)
    HPDF_Array_AddNumber (array, values[i]);

  return array;
}

/* Writes the Type0 font of @chars (sorted) from font @f: its subset, glyph
 * map, widths, descriptor and ToUnicode map. */
static HPDF_Dict
embed_font (Writer         *writer,
            Layout         *layout,
            guint           f,
            const gunichar *chars,
            guint           n)
{
  g_autofree guint16 *gids = g_new (guint16, n);
  g_autofree guint8 *gid_map = NULL;
  g_autoptr(GBytes) subset = NULL;
  g_autofree char *base_font = NULL;
  HPDF_MMgr mmgr = writer->pdf->mmgr;
  HPDF_Dict file, map, descriptor, cid_font, type0, system_info;
  HPDF_Array descendants, w, widths;
  const char *ps_name;
  CkFontMetrics metrics;
  char tag[7];

  if (n >= 0xFFFF)
    {
      g_set_error (&writer->error, CK_PDF_ERROR, CK_PDF_ERROR_WRITER,
                   _("No memory for the font %s."), ck_font_set_get_font_name (layout->fonts, f));
      return NULL;
    }

  subset = ck_font_set_subset_glyphs (layout->fonts, f, chars, n, gids, &writer->error);
  if (subset == NULL)
    return NULL;

  /* The font program, as hb-subset made it. */
  file = _ck_pdf_new_stream (writer, g_bytes_get_data (subset, NULL), g_bytes_get_size (subset));
  if (file == NULL)
    return NULL;
  HPDF_Dict_AddNumber (file, "Length1", (HPDF_INT32)g_bytes_get_size (subset));

  /* CID → glyph, two bytes each; CID 0 is .notdef. */
  gid_map = g_new0 (guint8, 2 * (n + 1));
  for (guint i = 0; i < n; i++)
    {
      gid_map[2 * CID_OF (i)] = gids[i] >> 8;
      gid_map[2 * CID_OF (i) + 1] = gids[i] & 0xFF;
    }
  map = _ck_pdf_new_stream (writer, gid_map, 2 * (n + 1));
  if (map == NULL)
    return NULL;

  subset_tag (chars, n, tag);
  ps_name = ck_font_set_get_postscript_name (layout->fonts, f);
  base_font = g_strdup_printf ("%s+%s", tag, ps_name && ps_name[0] ? ps_name : "Font");
  g_strdelimit (base_font, " ()<>[]{}/%#", '-');
  ck_font_set_get_metrics (layout->fonts, f, &metrics);

  descriptor = _ck_pdf_new_object (writer);
  if (descriptor == NULL)
    return NULL;
  HPDF_Dict_AddName (descriptor, "Type", "FontDescriptor");
  HPDF_Dict_AddName (descriptor, "FontName", base_font);
  HPDF_Dict_AddNumber (descriptor, "Flags", 32);   /* nonsymbolic, as libharu wrote it */
  HPDF_Dict_Add (descriptor, "FontBBox", int_array (writer, metrics.bbox, 4));
  HPDF_Dict_AddNumber (descriptor, "ItalicAngle", metrics.italic_angle);
  HPDF_Dict_AddNumber (descriptor, "Ascent", metrics.ascent);
  HPDF_Dict_AddNumber (descriptor, "Descent", metrics.descent);
  HPDF_Dict_AddNumber (descriptor, "CapHeight", metrics.cap_height);
  HPDF_Dict_AddNumber (descriptor, "StemV", 0);
  HPDF_Dict_Add (descriptor, "FontFile2", file);

  /* /W: [1 [w1 … wn]], the advances the layout used. */
  w = HPDF_Array_New (mmgr);
  widths = HPDF_Array_New (mmgr);
  if (w == NULL || widths == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    HPDF_Array_AddNumber (widths, (HPDF_INT32)ck_font_set_get_advance (layout->fonts, f, chars[i]));
  HPDF_Array_AddNumber (w, CID_OF (0));
  HPDF_Array_Add (w, widths);

  system_info = HPDF_Dict_New (mmgr);
  if (system_info == NULL)
    return NULL;
  HPDF_Dict_Add (system_info, "Registry", HPDF_String_New (mmgr, "Adobe", NULL));
  HPDF_Dict_Add (system_info, "Ordering", HPDF_String_New (mmgr, "Identity", NULL));
  HPDF_Dict_AddNumber (system_info, "Supplement", 0);

  cid_font = _ck_pdf_new_object (writer);
  if (cid_font == NULL)
    return NULL;
  HPDF_Dict_AddName (cid_font, "Type", "Font");
  HPDF_Dict_AddName (cid_font, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName (cid_font, "BaseFont", base_font);
  HPDF_Dict_Add (cid_font, "CIDSystemInfo", system_info);
  HPDF_Dict_Add (cid_font, "FontDescriptor", descriptor);
  HPDF_Dict_AddNumber (cid_font, "DW", 1000);
  HPDF_Dict_Add (cid_font, "W", w);
  HPDF_Dict_Add (cid_font, "CIDToGIDMap", map);

  type0 = _ck_pdf_new_object (writer);
  descendants = HPDF_Array_New (mmgr);
  if (type0 == NULL || descendants == NULL)
    return NULL;
  HPDF_Array_Add (descendants, cid_font);
  HPDF_Dict_AddName (type0, "Type", "Font");
  HPDF_Dict_AddName (type0, "Subtype", "Type0");
  HPDF_Dict_AddName (type0, "BaseFont", base_font);
  HPDF_Dict_AddName (type0, "Encoding", "Identity-H");
  HPDF_Dict_Add (type0, "DescendantFonts", descendants);
  HPDF_Dict_Add (type0, "ToUnicode", to_unicode (writer, chars, n));

  return writer->error ? NULL : type0;
}

static int
compare_chars (gconstpointer a,
               gconstpointer b)
{
  gunichar x = *(const gunichar *)a, y = *(const gunichar *)b;

  return x < y ? -1 : x > y;
}

gboolean
_ck_pdf_load_fonts (Writer  *writer,
                    Layout  *layout)
{
  guint n_fonts = ck_font_set_get_n_fonts (layout->fonts);
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);

  writer->n_fonts = n_fonts;
  writer->fonts = g_new0 (HPDF_Dict, n_fonts);
  writer->codes = g_new0 (GHashTable *, n_fonts);
  for (guint i = 0; i < n_fonts; i++)
    g_ptr_array_add (used, g_hash_table_new (NULL, NULL));

  writer->carrier_font = -1;
  for (guint i = 0; i < layout->glyphs->len; i++)
    {
      const Glyph *g = &g_array_index (layout->glyphs, Glyph, i);

      if (g->c != SIGNATURE_CHAR && g->use == CK_FONT_USE_TEXT)
        g_hash_table_add (used->pdata[g->font], GUINT_TO_POINTER (g->c));
      else if (g->use == CK_FONT_USE_OUTLINE && writer->carrier_font < 0)
        {
          guint font;
          CkFontUse use;

          if (ck_font_set_lookup (layout->fonts, CARRIER_CHAR, &font, &use) &&
              use == CK_FONT_USE_TEXT)
            {
              writer->carrier_font = (gint)font;
              g_hash_table_add (used->pdata[font], GUINT_TO_POINTER (CARRIER_CHAR));
            }
        }
    }

  for (guint f = 0; f < n_fonts; f++)
    {
      GHashTable *chars = used->pdata[f];
      g_autofree gunichar *list = NULL;
      GHashTableIter iter;
      gpointer key;
      guint n = 0;

      if (g_hash_table_size (chars) == 0)
        continue;

      /* Sorted, so that the same text gives the same font. */
      list = g_new (gunichar, g_hash_table_size (chars));
      g_hash_table_iter_init (&iter, chars);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        list[n++] = GPOINTER_TO_UINT (key);
      qsort (list, n, sizeof (gunichar), compare_chars);

      writer->codes[f] = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < n; i++)
        g_hash_table_insert (writer->codes[f], GUINT_TO_POINTER (list[i]),
                             GUINT_TO_POINTER (CID_OF (i)));

      writer->fonts[f] = embed_font (writer, layout, f, list, n);
      if (writer->fonts[f] == NULL || writer->error)
        return FALSE;
    }

  return TRUE;
}
