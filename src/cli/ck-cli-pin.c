/* ck-cli-pin.c: consentctl pin-hash
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ck.h"
#include "ck-cli.h"

/* Reads one line from standard input, without echo on a terminal. */
static char *
read_pin (const char *prompt)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char line[256];
  char *pin = NULL;

  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  if (fgets (line, sizeof line, stdin))
    {
      line[strcspn (line, "\r\n")] = '\0';
      pin = g_strdup (line);
    }
  memset (line, 0, sizeof line);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  return pin;
}

static void
free_pin (char *pin)
{
  if (pin)
    memset (pin, 0, strlen (pin));
  g_free (pin);
}

int
ck_cli_pin_hash (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char *pin = NULL;
  char *again = NULL;
  int iterations = CK_PIN_DEFAULT_ITERATIONS;
  int status;
  g_autofree char *iterations_help = g_strdup_printf (_("PBKDF2 iterations (default %u; fewer only for tests)"),
                                                      CK_PIN_DEFAULT_ITERATIONS);
  const GOptionEntry entries[] = {
    { "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, iterations_help, N_("N") },
    { NULL }
  };

  context = g_option_context_new (_("— make the staff PIN's hash for the configuration"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads a PIN of 6 to 16 digits from standard input (asking twice, without echo, on\n"
      "a terminal) and prints its PBKDF2-HMAC-SHA256 hash with a random salt, for\n"
      "[kiosk] staff_pin_hash in kiosk.conf. The PIN itself is not printed or stored."));

  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, NULL)) != CK_CLI_EXIT_OK)
    return status;

  if (iterations < CK_PIN_MIN_ITERATIONS || iterations > CK_PIN_MAX_ITERATIONS)
    {
      g_printerr (_("consentctl pin-hash: the iteration count must be from %u to %u.\n"),
                  CK_PIN_MIN_ITERATIONS, CK_PIN_MAX_ITERATIONS);
      return CK_CLI_EXIT_USAGE;
    }

  pin = read_pin (_("Staff PIN: "));
  if (pin == NULL)
    {
      g_printerr (_("No PIN was given.\n"));
      return CK_CLI_EXIT_INVALID;
    }

  if (isatty (STDIN_FILENO))
    {
      again = read_pin (_("The same PIN again: "));
      if (again == NULL || !g_str_equal (pin, again))
        {
          free_pin (pin);
          free_pin (again);
          g_printerr (_("The two PINs differ.\n"));
          return CK_CLI_EXIT_INVALID;
        }
      free_pin (again);
    }

  hash = ck_pin_hash (pin, (guint)iterations, &error);
  free_pin (pin);
  if (hash == NULL)
    {
      g_printerr ("%s\n", error->message);
      return CK_CLI_EXIT_INVALID;
    }

  g_print ("%s\n", hash);

  return CK_CLI_EXIT_OK;
}
