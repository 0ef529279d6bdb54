/* ck-page.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ck.h"

G_BEGIN_DECLS

#define CK_TYPE_PAGE (ck_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (CkPage, ck_page, CK, PAGE, GtkWidget)

/**
 * CkPageClass:
 * @shown: the page became the visible one; start what it does
 * @reset: wipe everything the customer entered or saw on the page
 *
 * A page of the customer flow. It drives the flow it is given and says
 * where to go with the #CkPage::next, #CkPage::back and #CkPage::cancel
 * signals; the window decides which page that is.
 */
struct _CkPageClass
{
  GtkWidgetClass parent_class;

  void (*shown) (CkPage *self);
  void (*reset) (CkPage *self);
};

CkFlow   *ck_page_get_flow        (CkPage     *self);
void      ck_page_set_flow        (CkPage     *self,
                                   CkFlow     *flow);
gboolean  ck_page_get_busy        (CkPage     *self);
void      ck_page_set_busy        (CkPage     *self,
                                   gboolean    busy);
void      ck_page_shown           (CkPage     *self);
void      ck_page_reset           (CkPage     *self);
void      ck_page_emit_next       (CkPage     *self);
void      ck_page_emit_back       (CkPage     *self);
void      ck_page_emit_cancel     (CkPage     *self);
char     *ck_page_dup_date_text   (CkPage     *self);
void      ck_page_show_error      (CkPage     *self,
                                   GtkLabel   *label,
                                   const char *message);

G_END_DECLS
