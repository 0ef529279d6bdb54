/* ck-window.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-letter-view.h"
#include "ck-window.h"

struct _CkWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack *stack;
  CkLetterView *letter_view;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (CkWindow, ck_window, ADW_TYPE_APPLICATION_WINDOW)

CkWindow *
ck_window_new (CkApplication *application)
{
  return g_object_new (CK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
ck_window_class_init (CkWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (CK_TYPE_LETTER_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, letter_view);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, error_page);
}

static void
ck_window_init (CkWindow *self)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (!(template = ck_template_new_default (&error)))
    {
      g_warning ("Cannot load the letter: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  ck_letter_view_set_template (self->letter_view, template);
  gtk_stack_set_visible_child_name (self->stack, "letter");
}
