/* ck-font-set.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_FONT_SET_ERROR (ck_font_set_error_quark ())
#define CK_TYPE_FONT_SET (ck_font_set_get_type ())

typedef enum
{
  CK_FONT_SET_ERROR_NO_FONT,
  CK_FONT_SET_ERROR_FONT_FILE,
  CK_FONT_SET_ERROR_SUBSET,
} CkFontSetError;

/**
 * CkFontUse:
 * @CK_FONT_USE_TEXT: embedded as a TrueType subset, written as text
 * @CK_FONT_USE_OUTLINE: drawn as glyph outlines (a code point above
 *   U+FFFF, which libharu cannot encode, or a font it cannot embed)
 */
typedef enum
{
  CK_FONT_USE_TEXT,
  CK_FONT_USE_OUTLINE,
} CkFontUse;

/**
 * CkFontStyle:
 * @CK_FONT_STYLE_SANS: a Hei (sans) face
 * @CK_FONT_STYLE_SERIF: a Ming or Song (serif) face
 *
 * A font's style: one name is set in one style.
 */
typedef enum
{
  CK_FONT_STYLE_SANS,
  CK_FONT_STYLE_SERIF,
} CkFontStyle;

/* Receives a glyph outline in font units, y up; conics already cubics. */
typedef struct
{
  void (*move_to)  (gpointer user_data, double x, double y);
  void (*line_to)  (gpointer user_data, double x, double y);
  void (*curve_to) (gpointer user_data,
                    double x1, double y1, double x2, double y2, double x3, double y3);
  void (*close)    (gpointer user_data);
} CkOutlineSink;

G_DECLARE_FINAL_TYPE (CkFontSet, ck_font_set, CK, FONT_SET, GObject)

GQuark      ck_font_set_error_quark    (void);
CkFontSet  *ck_font_set_new            (const char * const  *paths,
                                        GError             **error);
CkFontSet  *ck_font_set_new_default    (GError             **error);
guint       ck_font_set_get_n_fonts    (CkFontSet           *self);
const char *ck_font_set_get_font_name  (CkFontSet           *self,
                                        guint                font);
const char *ck_font_set_get_font_file  (CkFontSet           *self,
                                        guint                font,
                                        guint               *index);
gboolean    ck_font_set_lookup         (CkFontSet           *self,
                                        gunichar             c,
                                        guint               *font,
                                        CkFontUse           *use);
gboolean    ck_font_set_lookup_style   (CkFontSet           *self,
                                        gunichar             c,
                                        CkFontStyle          style,
                                        guint               *font,
                                        CkFontUse           *use);
gboolean    ck_font_set_covers         (CkFontSet           *self,
                                        const char          *text,
                                        CkFontStyle          style);
CkFontStyle ck_font_set_get_body_style (CkFontSet           *self);
CkFontStyle ck_font_set_get_font_style (CkFontSet           *self,
                                        guint                font);
double      ck_font_set_get_advance    (CkFontSet           *self,
                                        guint                font,
                                        gunichar             c);
guint       ck_font_set_get_units_per_em (CkFontSet         *self,
                                        guint                font);
GBytes     *ck_font_set_subset         (CkFontSet           *self,
                                        guint                font,
                                        const gunichar      *chars,
                                        guint                n_chars,
                                        GError             **error);
GBytes     *ck_font_set_subset_glyphs  (CkFontSet           *self,
                                        guint                font,
                                        const gunichar      *chars,
                                        guint                n_chars,
                                        guint16             *gids,
                                        GError             **error);

typedef struct
{
  int bbox[4];          /* xMin, yMin, xMax, yMax */
  int ascent;
  int descent;
  int cap_height;
  int italic_angle;
} CkFontMetrics;

void        ck_font_set_get_metrics    (CkFontSet           *self,
                                        guint                font,
                                        CkFontMetrics       *metrics);
const char *ck_font_set_get_postscript_name (CkFontSet       *self,
                                        guint                font);
gboolean    ck_font_set_draw_outline   (CkFontSet           *self,
                                        guint                font,
                                        gunichar             c,
                                        const CkOutlineSink *sink,
                                        gpointer             user_data);

G_END_DECLS
