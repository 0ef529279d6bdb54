/* ck-init.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-init"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-init.h"
#include "ck-resources.h"

/**
 * ck_init:
 *
 * Prepares libck: binds its message catalogue and registers its resources
 * (the default letter template). Call once, early in main(), after
 * setlocale(). Calling it again does nothing.
 */
void
ck_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      const char *localedir = g_getenv ("CK_LOCALEDIR");

      bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      ck_core_register_resource ();

      g_once_init_leave (&initialized, 1);
    }
}
