/* ck-ink.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

typedef struct _CkInk CkInk;

CkInk   *ck_ink_new            (void);
void     ck_ink_free           (CkInk                   *self);
gboolean ck_ink_set_size       (CkInk                   *self,
                                int                      width,
                                int                      height,
                                int                      scale);
void     ck_ink_replay         (CkInk                   *self,
                                CkSignature             *signature,
                                gboolean                 last_stroke_open);
void     ck_ink_add_sample     (CkInk                   *self,
                                const CkSignatureSample *sample);
void     ck_ink_end_stroke     (CkInk                   *self);
const CkStrokeStyle *
         ck_ink_get_style      (CkInk                   *self);
void     ck_ink_snapshot       (CkInk                   *self,
                                GtkSnapshot             *snapshot);
void     ck_ink_draw_segment   (cairo_t                 *cr,
                                const CkStrokeSegment   *segment);
void     ck_ink_set_source     (cairo_t                 *cr);
gboolean ck_ink_draw_fitted    (cairo_t                 *cr,
                                CkSignature             *signature,
                                double                   width,
                                double                   height,
                                double                   min_line_width,
                                CkStrokeFit             *fit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkInk, ck_ink_free)

G_END_DECLS
