/* main.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ck.h"
#include "ck-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CkApplication) app = NULL;

  setlocale (LC_ALL, "");
  ck_init ();
  textdomain (GETTEXT_PACKAGE);

  app = ck_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
