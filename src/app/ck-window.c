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

static void load_letter (CkWindow      *self,
                         CkApplication *app);

CkWindow *
ck_window_new (CkApplication *application)
{
  CkWindow *self;

  g_return_val_if_fail (CK_IS_APPLICATION (application), NULL);

  self = g_object_new (CK_TYPE_WINDOW,
                       "application", application,
                       NULL);
  load_letter (self, application);

  return self;
}

static void
show_error (CkWindow     *self,
            const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* The letter, with the organisation's blanks filled from the
 * configuration; the customer's own blanks stay open. */
static void
load_letter (CkWindow      *self,
             CkApplication *app)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  CkTemplateValues values = { NULL };
  CkConfig *config;

  if (!(config = ck_application_get_config (app, &error)))
    {
      show_error (self, error);
      return;
    }

  template = ck_config_get_template_path (config)
    ? ck_template_new_from_file (ck_config_get_template_path (config), &error)
    : ck_template_new_default (&error);
  if (template == NULL)
    {
      show_error (self, error);
      return;
    }

  values[CK_TEMPLATE_FIELD_COMPANY] = ck_config_get_organization_name (config);
  values[CK_TEMPLATE_FIELD_BUSINESS] = ck_config_get_organization_business (config);
  values[CK_TEMPLATE_FIELD_PURPOSE] = ck_config_get_organization_purpose (config);
  ck_letter_view_set_template (self->letter_view, template);
  ck_letter_view_set_values (self->letter_view, values);
  gtk_stack_set_visible_child_name (self->stack, "letter");
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
  gtk_widget_init_template (GTK_WIDGET (self));
}
