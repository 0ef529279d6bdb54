/* ck-welcome-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the kiosk shows between customers: the organisation and a big
 * Start button. Nothing of the customer before is left here. */

#define G_LOG_DOMAIN "ck-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-welcome-page.h"

struct _CkWelcomePage
{
  CkPage parent_instance;

  GtkLabel *organization_label;
  GtkLabel *example_label;
  GtkButton *start_button;
};

G_DEFINE_FINAL_TYPE (CkWelcomePage, ck_welcome_page, CK_TYPE_PAGE)

static void
on_start_clicked (CkWelcomePage *self)
{
  ck_page_emit_next (CK_PAGE (self));
}

static void
ck_welcome_page_shown (CkPage *page)
{
  CkWelcomePage *self = CK_WELCOME_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}

static void
ck_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (ck_welcome_page_parent_class)->dispose (object);
}

static void
ck_welcome_page_class_init (CkWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_welcome_page_dispose;
  page_class->shown = ck_welcome_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkWelcomePage, organization_label);
  gtk_widget_class_bind_template_child (widget_class, CkWelcomePage, example_label);
  gtk_widget_class_bind_template_child (widget_class, CkWelcomePage, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
}

static void
ck_welcome_page_init (CkWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_welcome_page_set_organization:
 * @name: (nullable): the organisation's name from the configuration
 * @example: whether it is an example (`[organization] example`): the page
 *   then says so under it
 */
void
ck_welcome_page_set_organization (CkWelcomePage *self,
                                  const char    *name,
                                  gboolean       example)
{
  g_return_if_fail (CK_IS_WELCOME_PAGE (self));

  gtk_label_set_text (self->organization_label, name ? name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->organization_label), name && name[0]);
  gtk_widget_set_visible (GTK_WIDGET (self->example_label), example);
}
