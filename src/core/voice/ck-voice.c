/* ck-voice.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Mandarin speech with espeak-ng (Debian's libespeak-ng, voice "cmn").
 *
 * espeak-ng keeps its state in globals: one engine a process. So every
 * call into it is made by one worker thread ("ck-voice"), started the
 * first time anything is spoken, that takes requests from a queue one
 * after the other. The main loop never waits for it.
 *
 * The engine runs in its synchronous mode and hands each ~100 ms of
 * 16-bit mono samples to a callback, which writes them to where they go:
 * the sound device (pcaudiolib, the library espeak-ng itself plays with:
 * PulseAudio, else ALSA, else OSS) or a WAV file (the capture, for tests:
 * CK_VOICE_CAPTURE=FILE.wav). The worker keeps the device no more than
 * LEAD_MS ahead of what was heard, so that a request cancelled — the
 * customer moved on — goes quiet at once, and a paragraph is reported
 * heard when it was. The callback checks the request's cancellable after
 * every buffer and stops the synthesis; waits are woken by a cancel.
 *
 * A new request silences the one before it: one voice, one thing said at
 * a time. Without a sound device nothing is played and nothing blocks:
 * the request fails with CK_VOICE_ERROR_NO_DEVICE, and the device is
 * looked for again a minute later. */

#define G_LOG_DOMAIN "ck-voice"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-voice-private.h"

struct _CkVoice
{
  GObject parent_instance;

  char *voice_name;
  char *data_path;
  char *capture_path;
  gboolean paced;

  GCancellable *current;      /* the latest request's; main context only */
};

G_DEFINE_QUARK (ck-voice-error-quark, ck_voice_error)
G_DEFINE_FINAL_TYPE (CkVoice, ck_voice, G_TYPE_OBJECT)

static void
ck_voice_finalize (GObject *object)
{
  CkVoice *self = (CkVoice *)object;

  g_clear_object (&self->current);
  g_free (self->voice_name);
  g_free (self->data_path);
  g_free (self->capture_path);

  G_OBJECT_CLASS (ck_voice_parent_class)->finalize (object);
}

static void
ck_voice_dispose (GObject *object)
{
  ck_voice_stop (CK_VOICE (object));

  G_OBJECT_CLASS (ck_voice_parent_class)->dispose (object);
}

static void
ck_voice_class_init (CkVoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ck_voice_dispose;
  object_class->finalize = ck_voice_finalize;
}

static void
ck_voice_init (CkVoice *self)
{
}

/**
 * ck_voice_new:
 * @voice_name: (nullable): an espeak-ng voice; %NULL for Mandarin
 *   (%CK_VOICE_DEFAULT_NAME)
 *
 * Nothing is loaded until something is said. When CK_VOICE_CAPTURE names
 * a file, speech is written there as a WAV file instead of played (for
 * tests, with no sound card), as fast as it is made, or as a sound card
 * would play it when CK_VOICE_CAPTURE_PACED=1.
 *
 * Returns: (transfer full): a voice
 */
CkVoice *
ck_voice_new (const char *voice_name)
{
  CkVoice *self = g_object_new (CK_TYPE_VOICE, NULL);
  const char *capture = g_getenv ("CK_VOICE_CAPTURE");

  self->voice_name = g_strdup (voice_name ? voice_name : CK_VOICE_DEFAULT_NAME);
  if (capture && capture[0])
    ck_voice_set_capture (self, capture, g_strcmp0 (g_getenv ("CK_VOICE_CAPTURE_PACED"), "1") == 0);

  return self;
}

/**
 * ck_voice_set_data_path:
 * @data_path: (nullable): the folder of espeak-ng's data; %NULL for its
 *   own
 *
 * espeak-ng loads its data once a process: a later folder is only checked
 * for data.
 */
void
ck_voice_set_data_path (CkVoice    *self,
                        const char *data_path)
{
  g_return_if_fail (CK_IS_VOICE (self));

  g_free (self->data_path);
  self->data_path = g_strdup (data_path);
}

/**
 * ck_voice_set_capture:
 * @wav_path: (nullable): a WAV file each request's speech is written to
 *   (replacing it), or %NULL to play on the sound device
 * @paced: write no faster than a sound card would play
 */
void
ck_voice_set_capture (CkVoice    *self,
                      const char *wav_path,
                      gboolean    paced)
{
  g_return_if_fail (CK_IS_VOICE (self));

  g_free (self->capture_path);
  self->capture_path = g_strdup (wav_path);
  self->paced = paced;
}

/**
 * ck_voice_get_capture:
 *
 * Returns: (nullable): the WAV file speech is written to, if not played
 */
const char *
ck_voice_get_capture (CkVoice *self)
{
  g_return_val_if_fail (CK_IS_VOICE (self), NULL);

  return self->capture_path;
}

static void
cancel_request (GCancellable *caller,
                GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CkVoice *self = CK_VOICE (source);
  CkVoiceRequest *req = g_task_get_task_data (G_TASK (result));

  if (self->current == req->cancellable)
    g_clear_object (&self->current);
  if (req->callback)
    req->callback (source, result, req->user_data);
}

/**
 * ck_voice_speak_async:
 * @paragraphs: the text, a paragraph each
 * @paragraph_func: (nullable): told as each paragraph starts to be heard
 *   and when it was
 * @paragraph_data: for @paragraph_func; must live until @callback
 * @cancellable: (nullable): stops the speech
 * @callback: (nullable): called when all was said, or it failed or was
 *   stopped
 *
 * Says @paragraphs one after the other, on the voice's worker. Whatever
 * this voice was saying stops (its request finishes cancelled).
 */
void
ck_voice_speak_async (CkVoice              *self,
                      const char * const   *paragraphs,
                      CkVoiceParagraphFunc  paragraph_func,
                      gpointer              paragraph_data,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  CkVoiceRequest *req;
  GTask *task;

  g_return_if_fail (CK_IS_VOICE (self));
  g_return_if_fail (paragraphs != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  req = g_new0 (CkVoiceRequest, 1);
  g_mutex_init (&req->mutex);
  g_cond_init (&req->cond);
  req->paragraphs = g_strdupv ((char **)paragraphs);
  req->voice_name = g_strdup (self->voice_name);
  req->data_path = g_strdup (self->data_path);
  req->capture_path = g_strdup (self->capture_path);
  req->paced = self->paced;
  req->func = paragraph_func;
  req->func_data = paragraph_data;
  req->callback = callback;
  req->user_data = user_data;
  req->cancellable = g_cancellable_new ();
  if (cancellable)
    {
      req->caller_cancellable = g_object_ref (cancellable);
      req->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_request),
                                                   g_object_ref (req->cancellable),
                                                   g_object_unref);
    }

  ck_voice_stop (self);
  self->current = g_object_ref (req->cancellable);

  task = g_task_new (self, req->cancellable, on_request_done, NULL);
  g_task_set_source_tag (task, ck_voice_speak_async);
  g_task_set_task_data (task, req, _ck_voice_request_free);
  g_async_queue_push (_ck_voice_get_worker_queue (), task);
}

/**
 * ck_voice_speak_finish:
 *
 * Returns: %TRUE when everything was said; %FALSE with
 *   %G_IO_ERROR_CANCELLED when it was stopped, or a %CK_VOICE_ERROR
 */
gboolean
ck_voice_speak_finish (CkVoice       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (CK_IS_VOICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_said (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  static gboolean told[CK_VOICE_ERROR_FAILED + 1];
  g_autoptr(GError) error = NULL;

  if (ck_voice_speak_finish (CK_VOICE (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Once each: a kiosk without a sound card would say it all day. */
  if (error->domain == CK_VOICE_ERROR && error->code >= 0 &&
      error->code <= CK_VOICE_ERROR_FAILED)
    {
      if (told[error->code])
        return;
      told[error->code] = TRUE;
    }
  /* No sound card was logged at debug level as it was found missing. */
  if (!g_error_matches (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DEVICE))
    g_message ("Voice prompts: %s", error->message);
}

/**
 * ck_voice_say:
 * @text: a prompt
 *
 * Says @text instead of whatever was being said; failures are logged once.
 */
void
ck_voice_say (CkVoice    *self,
              const char *text)
{
  const char *paragraphs[] = { text, NULL };

  g_return_if_fail (CK_IS_VOICE (self));
  g_return_if_fail (text != NULL);

  ck_voice_speak_async (self, paragraphs, NULL, NULL, NULL, on_said, NULL);
}

/**
 * ck_voice_stop:
 *
 * Silences whatever this voice is saying, at once.
 */
void
ck_voice_stop (CkVoice *self)
{
  g_return_if_fail (CK_IS_VOICE (self));

  if (self->current)
    g_cancellable_cancel (self->current);
  g_clear_object (&self->current);
}

/**
 * ck_voice_get_speaking:
 *
 * Returns: whether a request of this voice is still being said
 */
gboolean
ck_voice_get_speaking (CkVoice *self)
{
  g_return_val_if_fail (CK_IS_VOICE (self), FALSE);

  return self->current != NULL;
}
