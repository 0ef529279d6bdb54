/* ck-application.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk application owns what outlives a customer: the configuration
 * (read once), the letter, the store (opened with crash recovery), the
 * fonts PDFs are written with, and the verification queue, which retries
 * waiting consents in the background for as long as the kiosk runs. Each
 * customer gets a fresh CkFlow from the window. */

#define G_LOG_DOMAIN "ck-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-application.h"
#include "ck-print.h"
#include "ck-window.h"

struct _CkApplication
{
  AdwApplication parent_instance;

  CkConfig *config;
  CkTemplate *template;
  CkStore *store;
  CkFontSet *fonts;
  CkVerifyQueue *queue;
  CkSealQueue *seal_queue;
  CkSyncQueue *sync_queue;
  /* Why each of the above could not be had; kept to tell the window. */
  GError *config_error;
  GError *template_error;
  GError *store_error;
  GError *fonts_error;

  gboolean kiosk_option;
  char *config_path;   /* --config FILE */
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

static gboolean
propagate (const GError  *stored,
           GError       **error)
{
  if (stored)
    g_propagate_error (error, g_error_copy (stored));

  return stored == NULL;
}

/* Prints the time of the first frame and quits: bench/bench-launch. */
static void
on_first_frame (GdkFrameClock *clock,
                GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, app);
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (app);
}

static void
on_window_realize (GtkWidget    *window,
                   GApplication *app)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (on_first_frame), app, 0);
}

static void
ck_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (ck_window_new (CK_APPLICATION (app)));
      if (g_getenv ("CK_BENCH_FIRST_FRAME"))
        g_signal_connect_object (window, "realize", G_CALLBACK (on_window_realize), app, 0);
    }

  gtk_window_present (window);
}

/* app.records (Ctrl+Alt+R at a staffed desk): the staff dialog, its PIN
 * first, as the lock button opens it. */
static void
on_records_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (CK_IS_WINDOW (window))
    ck_window_show_staff (CK_WINDOW (window));
}

static void
ck_application_startup (GApplication *app)
{
  CkApplication *self = CK_APPLICATION (app);

  G_APPLICATION_CLASS (ck_application_parent_class)->startup (app);

  g_set_application_name (_("Consent Kiosk"));
  gtk_window_set_default_icon_name (APP_ID);

  if (!(self->config = ck_config_load (NULL, NULL, self->config_path, &self->config_error)))
    {
      g_warning ("The configuration cannot be read: %s", self->config_error->message);
      return;
    }

  /* A customer must never see a print dialog, "Print to File" or a file
   * chooser: the configured printer only, or "ask staff". */
  if (ck_application_get_kiosk_mode (self))
    ck_print_lock_down ();

  /* A shortcut to the records at a staffed desk; a kiosk has no keyboard
   * for customers to find it with, and its lock button is enough. */
  if (!ck_application_get_kiosk_mode (self))
    {
      g_autoptr(GSimpleAction) records = g_simple_action_new ("records", NULL);

      g_signal_connect_object (records, "activate", G_CALLBACK (on_records_activated), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (records));
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.records",
                                             (const char *[]) { "<Ctrl><Alt>r", NULL });
    }

  self->template = ck_config_get_template_path (self->config)
    ? ck_template_new_from_file (ck_config_get_template_path (self->config), &self->template_error)
    : ck_template_new_default (&self->template_error);

  self->store = ck_store_open (ck_config_get_data_dir (self->config), CK_STORE_OPEN_RECOVER,
                               &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("The consent store cannot be opened: %s", self->store_error->message);
      return;
    }

  /* Consents a crash, an outage or another process left unverified are
   * retried in the background. */
  self->queue = ck_verify_queue_new (self->config, self->store);
  if (ck_verify_queue_is_enabled (self->queue))
    ck_verify_queue_start (self->queue);

  /* Seals, timestamps and anchors left for later are finished in the
   * background too (docs/SEALING.md). */
  self->seal_queue = ck_seal_queue_new (self->config, self->store);
  ck_seal_queue_start (self->seal_queue);

  /* And everything stored goes to the central archive, when there is
   * one (docs/CENTRAL.md). */
  self->sync_queue = ck_sync_queue_new (self->config, self->store);
  ck_sync_queue_start (self->sync_queue);
}

static void
ck_application_shutdown (GApplication *app)
{
  CkApplication *self = CK_APPLICATION (app);

  if (self->queue)
    ck_verify_queue_stop (self->queue);
  if (self->seal_queue)
    ck_seal_queue_stop (self->seal_queue);
  if (self->sync_queue)
    ck_sync_queue_stop (self->sync_queue);

  G_APPLICATION_CLASS (ck_application_parent_class)->shutdown (app);
}

static int
ck_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CkApplication *self = CK_APPLICATION (app);

  if (g_variant_dict_contains (options, "kiosk"))
    self->kiosk_option = TRUE;
  g_clear_pointer (&self->config_path, g_free);
  g_variant_dict_lookup (options, "config", "^ay", &self->config_path);

  return -1;
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

  if (!propagate (self->config_error, error))
    return NULL;

  g_return_val_if_fail (self->config != NULL, NULL);

  return self->config;
}

/**
 * ck_application_get_template:
 *
 * Returns: (transfer none) (nullable): the letter customers read and sign
 */
CkTemplate *
ck_application_get_template (CkApplication  *self,
                             GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (!ck_application_get_config (self, error) || !propagate (self->template_error, error))
    return NULL;

  return self->template;
}

/**
 * ck_application_get_store:
 *
 * Returns: (transfer none) (nullable): where consents are stored
 */
CkStore *
ck_application_get_store (CkApplication  *self,
                          GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (!ck_application_get_config (self, error) || !propagate (self->store_error, error))
    return NULL;

  return self->store;
}

/**
 * ck_application_get_verify_queue:
 *
 * Returns: (transfer none) (nullable): the verification queue, running
 */
CkVerifyQueue *
ck_application_get_verify_queue (CkApplication  *self,
                                 GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (!ck_application_get_store (self, error))
    return NULL;

  return self->queue;
}

/**
 * ck_application_get_seal_queue:
 *
 * Returns: (transfer none) (nullable): the sealing queue, running when
 *   [signing] is configured
 */
CkSealQueue *
ck_application_get_seal_queue (CkApplication  *self,
                               GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (!ck_application_get_store (self, error))
    return NULL;

  return self->seal_queue;
}

/**
 * ck_application_get_sync_queue:
 *
 * Returns: (transfer none) (nullable): the central archive's sync,
 *   running when [central] is configured
 */
CkSyncQueue *
ck_application_get_sync_queue (CkApplication  *self,
                               GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (!ck_application_get_store (self, error))
    return NULL;

  return self->sync_queue;
}

/**
 * ck_application_get_fonts:
 *
 * The fonts PDFs are written with, looked up the first time a customer
 * starts (not at start-up: the welcome page does not need them).
 *
 * Returns: (transfer none) (nullable): the font set
 */
CkFontSet *
ck_application_get_fonts (CkApplication  *self,
                          GError        **error)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), NULL);

  if (self->fonts == NULL && self->fonts_error == NULL)
    self->fonts = ck_font_set_new_default (&self->fonts_error);

  if (!propagate (self->fonts_error, error))
    return NULL;

  return self->fonts;
}

/**
 * ck_application_get_kiosk_mode:
 *
 * Returns: whether the kiosk runs locked down, from `--kiosk` or
 *   `[kiosk] kiosk_mode`
 */
gboolean
ck_application_get_kiosk_mode (CkApplication *self)
{
  g_return_val_if_fail (CK_IS_APPLICATION (self), FALSE);

  return self->kiosk_option || (self->config && ck_config_get_kiosk_mode (self->config));
}

static void
ck_application_finalize (GObject *object)
{
  CkApplication *self = (CkApplication *)object;

  g_clear_object (&self->queue);
  g_clear_object (&self->seal_queue);
  g_clear_object (&self->sync_queue);
  g_clear_object (&self->fonts);
  g_clear_object (&self->store);
  g_clear_object (&self->template);
  g_clear_object (&self->config);
  g_clear_error (&self->config_error);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_error (&self->template_error);
  g_clear_error (&self->store_error);
  g_clear_error (&self->fonts_error);

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
  app_class->shutdown = ck_application_shutdown;
  app_class->handle_local_options = ck_application_handle_local_options;
}

static void
ck_application_init (CkApplication *self)
{
  const GOptionEntry entries[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Run as a self-service kiosk: full screen, left only with the staff PIN"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Read this configuration file after the system and user ones"), N_("FILE") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
