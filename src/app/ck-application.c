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

  CkConfig *config;
  GError *config_error;
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

/**
 * ck_application_get_config:
 * @self: a #CkApplication
 * @error: why the configuration could not be read
 *
 * The configuration, read once at start-up from the system and user
 * files.
 *
 * Returns: (transfer none) (nullable): the configuration
 */
CkConfig *
ck_application_get_config (CkApplication  *self,
                           GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (self->config == NULL && self->config_error == NULL)
    self->config = ck_config_load (NULL, NULL, NULL, &self->config_error);

  if (self->config == NULL)
    {
      g_propagate_error (error, g_error_copy (self->config_error));
      return NULL;
    }

  return self->config;
}

static void
ck_application_finalize (GObject *object)
{
  CkApplication *self = (CkApplication *)object;

  g_clear_object (&self->config);
  g_clear_error (&self->config_error);

  G_OBJECT_CLASS (ck_application_parent_class)->finalize (object);
}

static void
ck_application_class_init (CkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ck_application_finalize;

  app_class->activate = ck_application_activate;
  app_class->startup = ck_application_startup;
}

static void
ck_application_init (CkApplication *self)
{
}
