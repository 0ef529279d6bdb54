/* ck-application.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-application.h"
#include "ck-window.h"

struct _CkApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CkApplication, ck_application, ADW_TYPE_APPLICATION)

CkApplication *
ck_application_new (void)
{
  return g_object_new (CK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/consentkiosk/ConsentKiosk",
                       NULL);
}

static void
ck_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ck_window_new (CK_APPLICATION (app)));

  gtk_window_present (window);
}

static void
ck_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ck_application_parent_class)->startup (app);

  g_set_application_name (_("Consent Kiosk"));
  gtk_window_set_default_icon_name (APP_ID);
}

static void
ck_application_class_init (CkApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = ck_application_activate;
  app_class->startup = ck_application_startup;
}

static void
ck_application_init (CkApplication *self)
{
}
