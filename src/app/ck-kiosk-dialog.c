/* ck-kiosk-dialog.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The message dialogs a customer or staff member can meet at the kiosk
 * (issue 17): the question before everything is cleared, the records
 * window's confirmations, where an export went. A kiosk has a finger,
 * not a keyboard: the dialog is large, its text large, its buttons at
 * least 64 px tall (the kiosk-dialog block of ui/style.css), and no label
 * carries a mnemonic letter ("继续办理(K)"), whatever a translation says.
 * Each is an AdwMessageDialog, modal over @parent: the kiosk's compositor
 * (cage) centres a dialog over the screen, and its "response" signal is
 * the one callers and tests already know. */

#define G_LOG_DOMAIN "ck-kiosk-dialog"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "ck-kiosk-dialog.h"

/* How wide a kiosk dialog is at least, and at most as a share of its
 * parent's width. */
#define MIN_WIDTH 560
#define PARENT_SHARE 0.7

/**
 * ck_kiosk_dialog_strip_mnemonic:
 * @label: a label as GTK reads it with use-underline
 *
 * Returns: (transfer full): @label as shown, without its mnemonic: a
 *   "(_K)" after the text (as Chinese translations mark one) goes, and so
 *   does a lone underscore ("_Close"); a doubled one stays (it shows as one)
 */
char *
ck_kiosk_dialog_strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (label != NULL, NULL);

  for (const char *p = label; *p; p++)
    {
      /* "(_K)" or "（_K）" */
      if ((p[0] == '(' && p[1] == '_' && p[2] && p[2] != ')' && p[3] == ')'))
        {
          p += 3;
          continue;
        }
      if (g_str_has_prefix (p, "（_") && p[strlen ("（_")] &&
          g_str_has_prefix (p + strlen ("（_") + 1, "）"))
        {
          p += strlen ("（_") + strlen ("）");
          continue;
        }
      if (p[0] == '_')
        {
          if (p[1] == '_')
            {
              /* Kept doubled: the button reads labels with use-underline. */
              g_string_append (out, "__");
              p++;
            }
          continue;
        }
      g_string_append_c (out, *p);
    }

  /* The space a "(_K)" leaves at the end. */
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

/**
 * ck_kiosk_dialog_new:
 * @parent: (nullable): the window the dialog is about
 * @heading: the question, short
 * @body: (nullable): what it means
 *
 * Returns: (transfer none): a modal message dialog in the kiosk's style,
 *   not yet shown; add responses with ck_kiosk_dialog_add_responses ()
 */
AdwMessageDialog *
ck_kiosk_dialog_new (GtkWindow  *parent,
                     const char *heading,
                     const char *body)
{
  AdwMessageDialog *dialog;
  int width = MIN_WIDTH;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (dialog), "kiosk-dialog");
  if (parent && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    width = MAX (width, (int)(gtk_widget_get_width (GTK_WIDGET (parent)) * PARENT_SHARE));
  gtk_window_set_default_size (GTK_WINDOW (dialog), MIN (width, 960), -1);

  return dialog;
}

/**
 * ck_kiosk_dialog_add_responses:
 * @first_id: the first response's id, then its label, and so on, ended
 *   by %NULL
 *
 * Adds responses as adw_message_dialog_add_responses () does, their
 * labels without mnemonics.
 */
void
ck_kiosk_dialog_add_responses (AdwMessageDialog *dialog,
                               const char       *first_id,
                               ...)
{
  va_list args;

  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    {
      g_autofree char *label = ck_kiosk_dialog_strip_mnemonic (va_arg (args, const char *));

      adw_message_dialog_add_response (dialog, id, label);
    }
  va_end (args);
}
