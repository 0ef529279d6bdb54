/* ck-voice.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CK_VOICE_ERROR (ck_voice_error_quark ())
#define CK_TYPE_VOICE (ck_voice_get_type ())

/* espeak-ng's Mandarin voice. */
#define CK_VOICE_DEFAULT_NAME "cmn"

/**
 * CkVoiceError:
 * @CK_VOICE_ERROR_NO_DATA: espeak-ng's data (espeak-ng-data) is missing
 *   or unreadable
 * @CK_VOICE_ERROR_NO_VOICE: the voice is not installed
 * @CK_VOICE_ERROR_NO_DEVICE: there is no sound device to play on
 * @CK_VOICE_ERROR_CAPTURE: the capture file could not be written
 * @CK_VOICE_ERROR_FAILED: espeak-ng could not speak the text
 */
typedef enum
{
  CK_VOICE_ERROR_NO_DATA,
  CK_VOICE_ERROR_NO_VOICE,
  CK_VOICE_ERROR_NO_DEVICE,
  CK_VOICE_ERROR_CAPTURE,
  CK_VOICE_ERROR_FAILED,
} CkVoiceError;

G_DECLARE_FINAL_TYPE (CkVoice, ck_voice, CK, VOICE, GObject)

/**
 * CkVoiceParagraphFunc:
 * @voice: the voice
 * @index: which paragraph, from 0
 * @done: %FALSE when it starts to be heard, %TRUE when it was heard
 * @user_data: what ck_voice_speak_async() was given
 *
 * Called in the thread-default main context of ck_voice_speak_async()'s
 * caller; never after the request was cancelled.
 */
typedef void (*CkVoiceParagraphFunc) (CkVoice  *voice,
                                      guint     index,
                                      gboolean  done,
                                      gpointer  user_data);

GQuark    ck_voice_error_quark    (void);

CkVoice  *ck_voice_new            (const char           *voice_name);
void      ck_voice_set_data_path  (CkVoice              *self,
                                   const char           *data_path);
void      ck_voice_set_capture    (CkVoice              *self,
                                   const char           *wav_path,
                                   gboolean              paced);
const char *ck_voice_get_capture  (CkVoice              *self);
void      ck_voice_speak_async    (CkVoice              *self,
                                   const char * const   *paragraphs,
                                   CkVoiceParagraphFunc  paragraph_func,
                                   gpointer              paragraph_data,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  ck_voice_speak_finish   (CkVoice              *self,
                                   GAsyncResult         *result,
                                   GError              **error);
void      ck_voice_say            (CkVoice              *self,
                                   const char           *text);
void      ck_voice_stop           (CkVoice              *self);
gboolean  ck_voice_get_speaking   (CkVoice              *self);

G_END_DECLS
