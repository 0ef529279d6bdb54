/* ck-voice-prompts.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck.h"

G_BEGIN_DECLS

const char *ck_voice_prompt_for_page  (const char *page_name);
void        ck_voice_prompt_page      (CkVoice    *voice,
                                       const char *page_name);
void        ck_voice_prompt_idle      (CkVoice    *voice);

G_END_DECLS
