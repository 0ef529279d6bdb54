/* ck-voice-prompts.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the kiosk says, with [kiosk] voice = true: each customer page's
 * instruction as the page shows, and the idle warning. Short: espeak-ng's
 * Mandarin takes about 0.4 s a character. Whatever was being said stops
 * (CkVoice says one thing at a time), so moving on silences a page. */

#define G_LOG_DOMAIN "ck-voice-prompts"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-voice-prompts.h"

static const struct {
  const char *page;
  const char *prompt;
} prompts[] = {
  { "welcome", N_("Welcome. Tap Start to begin.") },
  { "letter", N_("Please read the letter to the end, tick both boxes, then tap Next. "
                 "Tap Read Aloud to hear it.") },
  { "details", N_("Please enter your name and your ID number.") },
  { "details-card", N_("Please lay your ID card on the card reader. No ID card with you? "
                       "Tap Enter by Hand.") },
  { "signature", N_("Please sign with your finger in the box.") },
  { "review", N_("Please check your name and ID number, then tap Confirm and sign.") },
  { "result", N_("All done. Please take your ID card with you.") },
};

/**
 * ck_voice_prompt_for_page:
 * @page_name: a page of the window's stack ("welcome", "letter", …)
 *
 * Returns: (nullable): what is said when the page shows, translated;
 *   %NULL for a page that says nothing (saving, verifying)
 */
const char *
ck_voice_prompt_for_page (const char *page_name)
{
  for (guint i = 0; page_name && i < G_N_ELEMENTS (prompts); i++)
    if (g_str_equal (prompts[i].page, page_name))
      return _(prompts[i].prompt);

  return NULL;
}

/**
 * ck_voice_prompt_page:
 * @voice: (nullable): the kiosk's voice; %NULL when voice prompts are off
 * @page_name: the page that showed
 *
 * Says the page's instruction, silencing what was said before.
 */
void
ck_voice_prompt_page (CkVoice    *voice,
                      const char *page_name)
{
  const char *prompt = ck_voice_prompt_for_page (page_name);

  if (voice == NULL)
    return;

  if (prompt)
    ck_voice_say (voice, prompt);
  else
    ck_voice_stop (voice);
}

/**
 * ck_voice_prompt_idle:
 * @voice: (nullable): the kiosk's voice
 *
 * Says the idle warning.
 */
void
ck_voice_prompt_idle (CkVoice *voice)
{
  if (voice)
    ck_voice_say (voice, _("Are you still there? Tap the screen to carry on, "
                           "or everything you entered will be cleared."));
}
