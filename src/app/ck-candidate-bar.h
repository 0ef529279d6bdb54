/* ck-candidate-bar.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CK_TYPE_CANDIDATE_BAR (ck_candidate_bar_get_type ())

G_DECLARE_FINAL_TYPE (CkCandidateBar, ck_candidate_bar, CK, CANDIDATE_BAR, GtkWidget)

GtkWidget          *ck_candidate_bar_new              (void);
const char * const *ck_candidate_bar_get_candidates   (CkCandidateBar     *self);
void                ck_candidate_bar_set_candidates   (CkCandidateBar     *self,
                                                       const char * const *candidates);
const char         *ck_candidate_bar_get_placeholder  (CkCandidateBar     *self);
void                ck_candidate_bar_set_placeholder  (CkCandidateBar     *self,
                                                       const char         *placeholder);
guint               ck_candidate_bar_get_page_size    (CkCandidateBar     *self);
void                ck_candidate_bar_set_page_size    (CkCandidateBar     *self,
                                                       guint               page_size);
guint               ck_candidate_bar_get_page         (CkCandidateBar     *self);
void                ck_candidate_bar_get_shown        (CkCandidateBar     *self,
                                                       guint              *first,
                                                       guint              *n_shown);
GtkWidget          *ck_candidate_bar_get_button       (CkCandidateBar     *self,
                                                       guint               index);

G_END_DECLS
