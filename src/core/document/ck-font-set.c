/* ck-font-set.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fonts a consent PDF is written with, in order of preference, each of
 * a style, sans or serif. For each character the first font of the wanted
 * style that has a glyph for it wins, and only then a font of the other
 * style: a name in the sans letter takes a rare character from a sans font
 * before any Ming face, and a name that only Ming faces can write is set
 * in Ming throughout (ck-pdf asks ck_font_set_covers ()). libharu 2.3.0 can
 * embed TrueType (glyf) fonts and encode the Basic Multilingual Plane only
 * (docs/ARCHITECTURE.md, "The signed PDF"): such characters become text in a
 * per-document subset made with hb-subset; every other character (above
 * U+FFFF, or only in a CFF font) is drawn from its outline. No character
 * may come out blank, so one that no font has is an error. */

#define G_LOG_DOMAIN "ck-font-set"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include <hb.h>
#include <hb-subset.h>

#include "ck-font-set.h"

typedef struct
{
  char *path;
  guint index;
  char *name;
  FT_Face face;
  gboolean truetype;   /* has glyf outlines: libharu can embed it */
  CkFontStyle style;
  GHashTable *advances;   /* character → advance + 1, under the set's lock */
} Font;

struct _CkFontSet
{
  GObject parent_instance;

  FT_Library library;
  GArray *fonts;
  GMutex lock;           /* the advance caches */
};

G_DEFINE_QUARK (ck-font-set-error-quark, ck_font_set_error)
G_DEFINE_FINAL_TYPE (CkFontSet, ck_font_set, G_TYPE_OBJECT)

/* Debian 12 paths, "file" or "file#index" for a collection. The order:
 * the sans face of the letter (its glyphs are a third the size of a Ming
 * face's, which keeps the PDF small), then Noto Sans CJK SC, drawn from
 * its outlines (CFF: libharu cannot embed it), for what WenQuanYi lacks,
 * Extensions A and B included; then the Ming faces: AR PL UMing, HanaMin
 * for Extensions A (BMP) and B+ (drawn), then Noto Serif CJK SC, drawn. */
static const char * const default_paths[] = {
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",  /* WenQuanYi Micro Hei */
  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2", /* Noto Sans CJK SC */
  "/usr/share/fonts/truetype/arphic/uming.ttc#0",      /* AR PL UMing CN */
  "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
  "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
  "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#2", /* Noto Serif CJK SC */
  NULL
};

/* A font's style, from its family name: Hei, Sans and Gothic faces are
 * sans; Ming, Song, Kai and everything else, serif. */
static CkFontStyle
style_of (const char *family)
{
  static const char * const sans[] = { "Sans", "Hei", "Gothic", "黑" };

  for (guint i = 0; family && i < G_N_ELEMENTS (sans); i++)
    if (strstr (family, sans[i]))
      return CK_FONT_STYLE_SANS;

  return CK_FONT_STYLE_SERIF;
}

static void
font_clear (gpointer data)
{
  Font *font = data;

  g_clear_pointer (&font->path, g_free);
  g_clear_pointer (&font->name, g_free);
  g_clear_pointer (&font->face, FT_Done_Face);
  g_clear_pointer (&font->advances, g_hash_table_unref);
}

static void
ck_font_set_finalize (GObject *object)
{
  CkFontSet *self = (CkFontSet *)object;

  g_clear_pointer (&self->fonts, g_array_unref);
  g_clear_pointer (&self->library, FT_Done_FreeType);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ck_font_set_parent_class)->finalize (object);
}

static void
ck_font_set_class_init (CkFontSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_font_set_finalize;
}

static void
ck_font_set_init (CkFontSet *self)
{
  self->fonts = g_array_new (FALSE, TRUE, sizeof (Font));
  g_array_set_clear_func (self->fonts, font_clear);
  g_mutex_init (&self->lock);
}

/**
 * ck_font_set_new:
 * @paths: font files in order of preference, each "path" or "path#index"
 * @error: a #GError in the %CK_FONT_SET_ERROR domain
 *
 * Opens every font that exists; missing ones are skipped (a branch PC may
 * lack an optional font). At least one TrueType font must open.
 *
 * Returns: (transfer full) (nullable): the font set
 */
CkFontSet *
ck_font_set_new (const char * const  *paths,
                 GError             **error)
{
  g_autoptr(CkFontSet) self = g_object_new (CK_TYPE_FONT_SET, NULL);
  gboolean have_truetype = FALSE;

  if (FT_Init_FreeType (&self->library) != 0)
    {
      g_set_error_literal (error, CK_FONT_SET_ERROR, CK_FONT_SET_ERROR_FONT_FILE,
                           _("The font engine could not start."));
      return NULL;
    }

  for (guint i = 0; paths[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (paths[i], "#", 2);
      Font font = { 0 };

      font.path = g_strdup (parts[0]);
      font.index = parts[1] ? (guint)g_ascii_strtoull (parts[1], NULL, 10) : 0;

      if (!g_file_test (font.path, G_FILE_TEST_IS_REGULAR) ||
          FT_New_Face (self->library, font.path, font.index, &font.face) != 0)
        {
          g_debug ("Font %s is not available", paths[i]);
          font_clear (&font);
          continue;
        }

      font.truetype = FT_IS_SFNT (font.face) &&
                      FT_Load_Sfnt_Table (font.face, FT_MAKE_TAG ('g', 'l', 'y', 'f'),
                                          0, NULL, &(FT_ULong) { 0 }) == 0;
      font.name = g_strdup_printf ("%s %s",
                                   font.face->family_name ? font.face->family_name : "?",
                                   font.face->style_name ? font.face->style_name : "");
      g_strchomp (font.name);
      font.style = style_of (font.face->family_name);
      font.advances = g_hash_table_new (NULL, NULL);
      have_truetype |= font.truetype;
      g_array_append_val (self->fonts, font);
    }

  if (!have_truetype)
    {
      g_set_error_literal (error, CK_FONT_SET_ERROR, CK_FONT_SET_ERROR_NO_FONT,
                           _("No TrueType font for Chinese text is installed "
                             "(Debian: fonts-arphic-uming or fonts-wqy-microhei)."));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * ck_font_set_new_default:
 *
 * Returns: (transfer full) (nullable): the fonts Debian 12 provides for a
 *   consent, as scripts/install-deps installs them
 */
CkFontSet *
ck_font_set_new_default (GError **error)
{
  return ck_font_set_new (default_paths, error);
}

guint
ck_font_set_get_n_fonts (CkFontSet *self)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), 0);

  return self->fonts->len;
}

/**
 * ck_font_set_get_font_name:
 *
 * Returns: the family and style of the @font-th font
 */
const char *
ck_font_set_get_font_name (CkFontSet *self,
                           guint      font)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), NULL);
  g_return_val_if_fail (font < self->fonts->len, NULL);

  return g_array_index (self->fonts, Font, font).name;
}

/**
 * ck_font_set_get_font_file:
 * @self: a #CkFontSet
 * @font: which font
 * @index: (out) (optional): the face's index in a collection
 *
 * Returns: the path of the @font-th font's file
 */
const char *
ck_font_set_get_font_file (CkFontSet *self,
                           guint      font,
                           guint     *index)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), NULL);
  g_return_val_if_fail (font < self->fonts->len, NULL);

  if (index)
    *index = g_array_index (self->fonts, Font, font).index;

  return g_array_index (self->fonts, Font, font).path;
}

/* In @style's fonts only, in font order: one that can carry @c as text,
 * failing that the first with its outline. */
static gboolean
lookup_in_style (CkFontSet   *self,
                 gunichar     c,
                 CkFontStyle  style,
                 guint       *font,
                 CkFontUse   *use)
{
  gboolean encodable = c <= 0xFFFF;
  gint outline_font = -1;

  for (guint i = 0; i < self->fonts->len; i++)
    {
      const Font *f = &g_array_index (self->fonts, Font, i);

      if (f->style != style || FT_Get_Char_Index (f->face, c) == 0)
        continue;

      if (encodable && f->truetype)
        {
          *font = i;
          *use = CK_FONT_USE_TEXT;
          return TRUE;
        }

      if (outline_font < 0)
        outline_font = (gint)i;
    }

  if (outline_font < 0)
    return FALSE;

  *font = (guint)outline_font;
  *use = CK_FONT_USE_OUTLINE;
  return TRUE;
}

/**
 * ck_font_set_get_body_style:
 *
 * Returns: the style of the set's first font, the letter's
 */
CkFontStyle
ck_font_set_get_body_style (CkFontSet *self)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), CK_FONT_STYLE_SANS);

  return g_array_index (self->fonts, Font, 0).style;
}

/**
 * ck_font_set_get_font_style:
 *
 * Returns: the style of the @font-th font
 */
CkFontStyle
ck_font_set_get_font_style (CkFontSet *self,
                            guint      font)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), CK_FONT_STYLE_SANS);
  g_return_val_if_fail (font < self->fonts->len, CK_FONT_STYLE_SANS);

  return g_array_index (self->fonts, Font, font).style;
}

/**
 * ck_font_set_lookup_style:
 * @self: a #CkFontSet
 * @c: a character
 * @style: the style wanted
 * @font: (out): the font to take it from
 * @use: (out): whether it is written as text or drawn
 *
 * A font of @style first — one that can carry @c as text, else one that
 * has its outline — and only if none has @c, one of the other style.
 *
 * Returns: %FALSE if no font has a glyph for @c
 */
gboolean
ck_font_set_lookup_style (CkFontSet   *self,
                          gunichar     c,
                          CkFontStyle  style,
                          guint       *font,
                          CkFontUse   *use)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), FALSE);

  return lookup_in_style (self, c, style, font, use) ||
         lookup_in_style (self, c, style == CK_FONT_STYLE_SANS ? CK_FONT_STYLE_SERIF : CK_FONT_STYLE_SANS,
                          font, use);
}

/**
 * ck_font_set_lookup:
 *
 * ck_font_set_lookup_style() in the style of the letter's body.
 *
 * Returns: %FALSE if no font has a glyph for @c
 */
gboolean
ck_font_set_lookup (CkFontSet *self,
                    gunichar   c,
                    guint     *font,
                    CkFontUse *use)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), FALSE);

  return ck_font_set_lookup_style (self, c, ck_font_set_get_body_style (self), font, use);
}

/**
 * ck_font_set_covers:
 * @text: UTF-8
 * @style: a style
 *
 * Returns: whether fonts of @style alone have every character of @text
 *   (white space aside)
 */
gboolean
ck_font_set_covers (CkFontSet   *self,
                    const char  *text,
                    CkFontStyle  style)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), FALSE);

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint font;
      CkFontUse use;

      if (!g_unichar_isspace (c) && !lookup_in_style (self, c, style, &font, &use))
        return FALSE;
    }

  return TRUE;
}

guint
ck_font_set_get_units_per_em (CkFontSet *self,
                              guint      font)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), 1000);
  g_return_val_if_fail (font < self->fonts->len, 1000);

  return g_array_index (self->fonts, Font, font).face->units_per_EM;
}

/**
 * ck_font_set_get_advance:
 *
 * Each character's advance is loaded once and then remembered: a consent
 * asks for every glyph's, twice (layout and the PDF's /W), and its
 * characters are mostly the template's. FT_Get_Advance () would read hmtx
 * faster but differs from the loaded glyph's advance where a composite
 * glyph takes a component's metrics (U+02BC and U+02CD in WenQuanYi Micro
 * Hei), and the layout must not change.
 *
 * Returns: the advance width of @c in @font, in thousandths of an em
 *   (rounded down as libharu rounds its /W widths), or 0 if it has none
 */
double
ck_font_set_get_advance (CkFontSet *self,
                         guint      font,
                         gunichar   c)
{
  Font *f;
  FT_UInt gid;
  gpointer cached;
  guint advance = 0;

  g_return_val_if_fail (CK_IS_FONT_SET (self), 0);
  g_return_val_if_fail (font < self->fonts->len, 0);

  f = &g_array_index (self->fonts, Font, font);
  g_mutex_lock (&self->lock);
  if ((cached = g_hash_table_lookup (f->advances, GUINT_TO_POINTER (c))))
    {
      g_mutex_unlock (&self->lock);
      return GPOINTER_TO_UINT (cached) - 1;
    }

  if ((gid = FT_Get_Char_Index (f->face, c)) != 0 &&
      FT_Load_Glyph (f->face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) == 0)
    advance = (guint)((f->face->glyph->metrics.horiAdvance * 1000) / f->face->units_per_EM);
  g_hash_table_insert (f->advances, GUINT_TO_POINTER (c), GUINT_TO_POINTER (advance + 1));
  g_mutex_unlock (&self->lock);

  return advance;
}

/* Tables a PDF reader does not use in an embedded CIDFontType2 font: the
 * layout tables (dropping GSUB also keeps its substitutes out of the glyph
 * closure), vertical metrics, bitmaps and tool tables. What stays is what
 * libharu used to embed: OS/2, cmap, glyf, head, hhea, hmtx, loca, maxp,
 * name, post (cvt, fpgm and prep go with the hinting). */
static const char * const dropped_tables[] = {
  "GDEF", "GPOS", "GSUB", "BASE", "JSTF", "MATH", "gasp", "vhea", "vmtx", "VORG",
  "FFTM", "BDF ", "EBDT", "EBLC", "EBSC", "prop", "hdmx", "VDMX", "LTSH", "kern",
  "DSIG", "PCLT",
};

static GBytes *
subset_font (CkFontSet       *self,
             guint            font,
             const gunichar  *chars,
             guint            n_chars,
             guint16         *gids,
             GError         **error)
{
  const Font *f;
  hb_blob_t *blob;
  hb_face_t *face;
  hb_face_t *subset = NULL;
  hb_subset_input_t *input;
  hb_subset_plan_t *plan = NULL;
  GBytes *bytes = NULL;

  g_return_val_if_fail (CK_IS_FONT_SET (self), NULL);
  g_return_val_if_fail (font < self->fonts->len, NULL);

  f = &g_array_index (self->fonts, Font, font);
  blob = hb_blob_create_from_file_or_fail (f->path);
  if (blob == NULL)
    {
      g_set_error (error, CK_FONT_SET_ERROR, CK_FONT_SET_ERROR_FONT_FILE,
                   _("Cannot read the font file %s."), f->path);
      return NULL;
    }

  face = hb_face_create (blob, f->index);
  input = hb_subset_input_create_or_fail ();
  for (guint i = 0; i < n_chars; i++)
    hb_set_add (hb_subset_input_unicode_set (input), chars[i]);
  for (guint i = 0; i < G_N_ELEMENTS (dropped_tables); i++)
    hb_set_add (hb_subset_input_set (input, HB_SUBSET_SETS_DROP_TABLE_TAG),
                hb_tag_from_string (dropped_tables[i], 4));
  hb_subset_input_set_flags (input, HB_SUBSET_FLAGS_NO_HINTING);

  plan = hb_subset_plan_create_or_fail (face, input);
  if (plan)
    subset = hb_subset_plan_execute_or_fail (plan);

  if (subset && gids)
    {
      const hb_map_t *to_old = hb_subset_plan_unicode_to_old_glyph_mapping (plan);
      const hb_map_t *to_new = hb_subset_plan_old_to_new_glyph_mapping (plan);

      for (guint i = 0; i < n_chars; i++)
        {
          hb_codepoint_t old = hb_map_get (to_old, chars[i]);
          hb_codepoint_t gid = old == HB_MAP_VALUE_INVALID ? HB_MAP_VALUE_INVALID
                                                           : hb_map_get (to_new, old);

          if (gid == HB_MAP_VALUE_INVALID || gid == 0 || gid > G_MAXUINT16)
            {
              g_clear_pointer (&subset, hb_face_destroy);
              break;
            }
          gids[i] = (guint16)gid;
        }
    }

  if (subset == NULL)
    {
      g_set_error (error, CK_FONT_SET_ERROR, CK_FONT_SET_ERROR_SUBSET,
                   _("Cannot make a subset of the font %s."), f->name);
    }
  else
    {
      hb_blob_t *result = hb_face_reference_blob (subset);
      unsigned int len;
      const char *data = hb_blob_get_data (result, &len);

      bytes = g_bytes_new (data, len);
      hb_blob_destroy (result);
      hb_face_destroy (subset);
    }

  g_clear_pointer (&plan, hb_subset_plan_destroy);
  hb_subset_input_destroy (input);
  hb_face_destroy (face);
  hb_blob_destroy (blob);

  return bytes;
}

/**
 * ck_font_set_subset:
 * @self: a #CkFontSet
 * @font: a TrueType font of the set
 * @chars: the characters the document takes from it
 * @n_chars: how many
 * @error: a #GError in the %CK_FONT_SET_ERROR domain
 *
 * Makes a TrueType font with only @chars (hb-subset, hinting, layout and
 * vertical tables dropped). The glyphs are renumbered from 1.
 *
 * Returns: (transfer full) (nullable): the subset font file
 */
GBytes *
ck_font_set_subset (CkFontSet       *self,
                    guint            font,
                    const gunichar  *chars,
                    guint            n_chars,
                    GError         **error)
{
  return subset_font (self, font, chars, n_chars, NULL, error);
}

/**
 * ck_font_set_subset_glyphs:
 * @self: a #CkFontSet
 * @font: a TrueType font of the set
 * @chars: the characters the document takes from it
 * @n_chars: how many
 * @gids: (out caller-allocates) (array length=n_chars): each character's
 *   glyph in the subset
 * @error: a #GError in the %CK_FONT_SET_ERROR domain
 *
 * Like ck_font_set_subset(), and says where each character's glyph went,
 * as hb-subset's plan numbered them: the PDF maps its codes to glyphs with
 * that, so neither the subset's cmap nor libharu's whole-BMP scan of it is
 * needed.
 *
 * Returns: (transfer full) (nullable): the subset font file
 */
GBytes *
ck_font_set_subset_glyphs (CkFontSet       *self,
                           guint            font,
                           const gunichar  *chars,
                           guint            n_chars,
                           guint16         *gids,
                           GError         **error)
{
  g_return_val_if_fail (gids != NULL || n_chars == 0, NULL);

  return subset_font (self, font, chars, n_chars, gids, error);
}

/**
 * ck_font_set_get_metrics:
 * @self: a #CkFontSet
 * @font: a font of the set
 * @metrics: (out): what a PDF font descriptor says of it
 *
 * In thousandths of an em, rounded towards zero as libharu did: the bounding
 * box of all glyphs (head), ascent and descent (hhea), the cap height
 * (OS/2 from version 2, else the ascent) and the italic angle (post).
 */
void
ck_font_set_get_metrics (CkFontSet     *self,
                         guint          font,
                         CkFontMetrics *metrics)
{
  const Font *f;
  FT_Face face;
  const TT_OS2 *os2;
  const TT_Postscript *post;
  FT_Long em;

  g_return_if_fail (CK_IS_FONT_SET (self));
  g_return_if_fail (font < self->fonts->len);

  f = &g_array_index (self->fonts, Font, font);
  face = f->face;
  em = face->units_per_EM ? face->units_per_EM : 1000;

  metrics->bbox[0] = (int)(face->bbox.xMin * 1000 / em);
  metrics->bbox[1] = (int)(face->bbox.yMin * 1000 / em);
  metrics->bbox[2] = (int)(face->bbox.xMax * 1000 / em);
  metrics->bbox[3] = (int)(face->bbox.yMax * 1000 / em);
  metrics->ascent = (int)(face->ascender * 1000 / em);
  metrics->descent = (int)(face->descender * 1000 / em);
  os2 = FT_Get_Sfnt_Table (face, FT_SFNT_OS2);
  if (os2 && os2->version >= 2 && os2->version != 0xFFFF && os2->sCapHeight > 0)
    metrics->cap_height = (int)(os2->sCapHeight * 1000 / em);
  else
    metrics->cap_height = metrics->ascent;
  post = FT_Get_Sfnt_Table (face, FT_SFNT_POST);
  metrics->italic_angle = post ? (int)(post->italicAngle / 65536) : 0;
}

/**
 * ck_font_set_get_postscript_name:
 *
 * Returns: (nullable): the font's PostScript name, or %NULL if it has none
 */
const char *
ck_font_set_get_postscript_name (CkFontSet *self,
                                 guint      font)
{
  g_return_val_if_fail (CK_IS_FONT_SET (self), NULL);
  g_return_val_if_fail (font < self->fonts->len, NULL);

  return FT_Get_Postscript_Name (g_array_index (self->fonts, Font, font).face);
}

typedef struct
{
  const CkOutlineSink *sink;
  gpointer user_data;
  double x, y;   /* the current point */
  gboolean open;
} Decompose;

static int
decompose_move_to (const FT_Vector *to,
                   void            *data)
{
  Decompose *d = data;

  if (d->open)
    d->sink->close (d->user_data);
  d->sink->move_to (d->user_data, to->x, to->y);
  d->x = to->x;
  d->y = to->y;
  d->open = TRUE;
  return 0;
}

static int
decompose_line_to (const FT_Vector *to,
                   void            *data)
{
  Decompose *d = data;

  d->sink->line_to (d->user_data, to->x, to->y);
  d->x = to->x;
  d->y = to->y;
  return 0;
}

/* A quadratic Bézier is exactly a cubic with control points 2/3 of the way
 * to the quadratic's control point. */
static int
decompose_conic_to (const FT_Vector *control,
                    const FT_Vector *to,
                    void            *data)
{
  Decompose *d = data;
  double c1x = d->x + 2.0 / 3.0 * (control->x - d->x);
  double c1y = d->y + 2.0 / 3.0 * (control->y - d->y);
  double c2x = to->x + 2.0 / 3.0 * (control->x - to->x);
  double c2y = to->y + 2.0 / 3.0 * (control->y - to->y);

  d->sink->curve_to (d->user_data, c1x, c1y, c2x, c2y, to->x, to->y);
  d->x = to->x;
  d->y = to->y;
  return 0;
}

static int
decompose_cubic_to (const FT_Vector *control1,
                    const FT_Vector *control2,
                    const FT_Vector *to,
                    void            *data)
{
  Decompose *d = data;

  d->sink->curve_to (d->user_data, control1->x, control1->y, control2->x, control2->y,
                     to->x, to->y);
  d->x = to->x;
  d->y = to->y;
  return 0;
}

/**
 * ck_font_set_draw_outline:
 * @self: a #CkFontSet
 * @font: the font, as ck_font_set_lookup() chose it
 * @c: the character
 * @sink: receives the outline in font units, y up
 * @user_data: for @sink
 *
 * Returns: %FALSE if @font has no outline for @c
 */
gboolean
ck_font_set_draw_outline (CkFontSet           *self,
                          guint                font,
                          gunichar             c,
                          const CkOutlineSink *sink,
                          gpointer             user_data)
{
  static const FT_Outline_Funcs funcs = {
    decompose_move_to,
    decompose_line_to,
    decompose_conic_to,
    decompose_cubic_to,
    0,
    0,
  };
  Decompose d = { sink, user_data, 0, 0, FALSE };
  const Font *f;
  FT_UInt gid;

  g_return_val_if_fail (CK_IS_FONT_SET (self), FALSE);
  g_return_val_if_fail (font < self->fonts->len, FALSE);

  f = &g_array_index (self->fonts, Font, font);
  if ((gid = FT_Get_Char_Index (f->face, c)) == 0 ||
      FT_Load_Glyph (f->face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
      f->face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
    return FALSE;

  if (FT_Outline_Decompose (&f->face->glyph->outline, &funcs, &d) != 0)
    return FALSE;
  if (d.open)
    sink->close (user_data);

  return TRUE;
}
