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

#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pcaudiolib/audio.h>
#include <stdio.h>
#include <string.h>

#include "ck-voice.h"

/* How long each buffer espeak-ng hands over is. */
#define BUFFER_MS 100
/* How far the device may be ahead of what was heard. */
#define LEAD_MS 250
/* How long a missing sound device is believed missing. */
#define DEVICE_RETRY_S 60
/* espeak-ng's own pace: its Mandarin is unhurried already (a 25-character
 * sentence takes 10 s). */
#define RATE_WPM espeakRATE_NORMAL

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

typedef struct
{
  char **paragraphs;
  char *voice_name;
  char *data_path;
  char *capture_path;
  gboolean paced;

  CkVoiceParagraphFunc func;
  gpointer func_data;
  GCancellable *cancellable;  /* the request's own */
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GAsyncReadyCallback callback;
  gpointer user_data;

  /* A wait on the worker, woken by a cancel. */
  GMutex mutex;
  GCond cond;

  /* The worker's. */
  FILE *wav;
  guint64 wav_samples;
  gboolean device_open;
  gint64 clock_start_us;
  guint64 clock_samples;
  GError *error;
} Request;

static void
request_free (gpointer data)
{
  Request *req = data;

  if (req->caller_handler)
    g_cancellable_disconnect (req->caller_cancellable, req->caller_handler);
  g_clear_object (&req->caller_cancellable);
  g_clear_object (&req->cancellable);
  g_strfreev (req->paragraphs);
  g_free (req->voice_name);
  g_free (req->data_path);
  g_free (req->capture_path);
  g_clear_error (&req->error);
  g_mutex_clear (&req->mutex);
  g_cond_clear (&req->cond);
  g_free (req);
}

static void
wake_request (GCancellable *cancellable,
              Request      *req)
{
  g_mutex_lock (&req->mutex);
  g_cond_broadcast (&req->cond);
  g_mutex_unlock (&req->mutex);
}

/* Waits until @end_us (monotonic) unless the request is cancelled first.
 * Returns: %FALSE when it was */
static gboolean
wait_until (Request *req,
            gint64   end_us)
{
  gboolean cancelled;

  g_mutex_lock (&req->mutex);
  while (!(cancelled = g_cancellable_is_cancelled (req->cancellable)) &&
         g_cond_wait_until (&req->cond, &req->mutex, end_us))
    ;
  g_mutex_unlock (&req->mutex);

  return !cancelled;
}

/* ---- The worker's: the engine and where the sound goes ---- */

static gboolean engine_ready;
static char *engine_voice;
static int engine_rate;
static Request *engine_request;
static struct audio_object *device;
static gint64 device_missing_us;

static gboolean
set_status_error (espeak_ng_STATUS   status,
                  GError           **error)
{
  char message[512] = "";

  espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
  g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_FAILED,
               /* Translators: %s is espeak-ng's own message, in English */
               _("The speech synthesizer failed: %s"), message);
  return FALSE;
}

static int
on_synth (short        *samples,
          int           n_samples,
          espeak_EVENT *events);

/* espeak-ng reads its data once a process; the folder @data_path (%NULL:
 * espeak-ng's own, or $ESPEAK_DATA_PATH) must hold it. */
static gboolean
ensure_engine (const char  *data_path,
               GError     **error)
{
  espeak_ng_ERROR_CONTEXT context = NULL;
  espeak_ng_STATUS status;
  g_autofree char *phontab = NULL;
  const char *path = data_path;

  /* Once loaded, a request for another folder must still find data
   * there; the engine keeps what it loaded. */
  if (engine_ready && data_path == NULL)
    return TRUE;
  if (!engine_ready)
    {
      espeak_ng_InitializePath (data_path);
      espeak_Info (&path);
    }
  phontab = g_build_filename (path ? path : "", "phontab", NULL);
  if (path == NULL || !g_file_test (phontab, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DATA,
                   /* Translators: %s is a folder; espeak-ng-data is a Debian package */
                   _("No speech data in “%s”: install espeak-ng-data"), path ? path : "");
      return FALSE;
    }
  if (engine_ready)
    return TRUE;

  status = espeak_ng_Initialize (&context);
  espeak_ng_ClearErrorContext (&context);
  if (status != ENS_OK)
    {
      char message[512] = "";

      espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
      g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DATA,
                   /* Translators: the first %s is a folder, the second espeak-ng's message */
                   _("Could not read the speech data in “%s”: %s"), path, message);
      return FALSE;
    }
  status = espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, BUFFER_MS, NULL);
  if (status != ENS_OK)
    return set_status_error (status, error);

  espeak_SetSynthCallback (on_synth);
  engine_rate = espeak_ng_GetSampleRate ();
  engine_ready = TRUE;
  g_debug ("espeak-ng %s, data in %s, %d Hz", espeak_Info (NULL), path, engine_rate);

  return TRUE;
}

static gboolean
ensure_voice (const char  *name,
              GError     **error)
{
  espeak_ng_STATUS status;

  if (g_strcmp0 (engine_voice, name) == 0)
    return TRUE;

  g_clear_pointer (&engine_voice, g_free);
  status = espeak_ng_SetVoiceByName (name);
  if (status == ENS_VOICE_NOT_FOUND)
    {
      g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_VOICE,
                   /* Translators: %s is an espeak-ng voice, e.g. cmn */
                   _("The speech voice “%s” is not installed"), name);
      return FALSE;
    }
  if (status != ENS_OK)
    return set_status_error (status, error);

  espeak_ng_SetParameter (espeakRATE, RATE_WPM, 0);
  engine_voice = g_strdup (name);

  return TRUE;
}

static void
put_le (guint8  *at,
        guint32  value,
        guint    size)
{
  for (guint i = 0; i < size; i++)
    at[i] = (value >> (8 * i)) & 0xff;
}

/* The 44-byte header of a 16-bit mono PCM WAV file. */
static void
wav_header (guint8  header[44],
            int     rate,
            guint64 n_samples)
{
  guint32 data_size = (guint32)MIN (n_samples * 2, G_MAXUINT32 - 36);

  memcpy (header, "RIFF", 4);
  put_le (header + 4, 36 + data_size, 4);
  memcpy (header + 8, "WAVEfmt ", 8);
  put_le (header + 16, 16, 4);
  put_le (header + 20, 1, 2);               /* PCM */
  put_le (header + 22, 1, 2);               /* mono */
  put_le (header + 24, rate, 4);
  put_le (header + 28, rate * 2, 4);        /* bytes a second */
  put_le (header + 32, 2, 2);               /* bytes a frame */
  put_le (header + 34, 16, 2);              /* bits a sample */
  memcpy (header + 36, "data", 4);
  put_le (header + 40, data_size, 4);
}

static gboolean
set_capture_error (Request  *req,
                   int       saved_errno,
                   GError  **error)
{
  g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_CAPTURE,
               /* Translators: the first %s is a file, the second why */
               _("Could not write the speech to “%s”: %s"),
               req->capture_path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
sink_open (Request  *req,
           GError  **error)
{
  static gboolean told;
  gint64 now = g_get_monotonic_time ();
  int status;

  if (req->capture_path)
    {
      guint8 header[44];

      req->wav = g_fopen (req->capture_path, "wb");
      wav_header (header, engine_rate, 0);
      if (req->wav == NULL || fwrite (header, sizeof header, 1, req->wav) != 1)
        return set_capture_error (req, errno, error);
      return TRUE;
    }

  if (device == NULL &&
      (device_missing_us == 0 || now - device_missing_us > DEVICE_RETRY_S * G_USEC_PER_SEC))
    {
      device = create_audio_device_object (NULL, "Consent Kiosk", "Voice prompts");
      if (device == NULL)
        device_missing_us = now;
    }
  status = device ? audio_object_open (device, AUDIO_OBJECT_FORMAT_S16LE, engine_rate, 1) : -1;
  if (status != 0)
    {
      if (!told)
        g_debug ("No sound device: nothing is spoken (%s)",
                 device ? audio_object_strerror (device, status) : "none found");
      told = TRUE;
      if (device)
        {
          audio_object_destroy (device);
          device = NULL;
          device_missing_us = now;
        }
      g_set_error_literal (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DEVICE,
                           _("There is no sound device to speak with"));
      return FALSE;
    }
  req->device_open = TRUE;

  return TRUE;
}

static gboolean
sink_write (Request      *req,
            const short  *samples,
            int           n_samples,
            GError      **error)
{
  if (req->wav)
    {
      g_autofree guint8 *bytes = g_malloc ((gsize)n_samples * 2);

      for (int i = 0; i < n_samples; i++)
        put_le (bytes + 2 * i, (guint16)samples[i], 2);
      if (fwrite (bytes, 2, n_samples, req->wav) != (size_t)n_samples)
        return set_capture_error (req, errno, error);
      req->wav_samples += n_samples;
    }
  else if (req->device_open)
    {
      int status = audio_object_write (device, samples, (size_t)n_samples * 2);

      if (status != 0)
        {
          g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DEVICE,
                       /* Translators: %s is the sound system's message */
                       _("The sound device failed: %s"),
                       audio_object_strerror (device, status));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
sink_close (Request  *req,
            gboolean  cancelled,
            GError  **error)
{
  gboolean ok = TRUE;

  if (req->wav)
    {
      guint8 header[44];

      wav_header (header, engine_rate, req->wav_samples);
      if (fseek (req->wav, 0, SEEK_SET) != 0 ||
          fwrite (header, sizeof header, 1, req->wav) != 1 ||
          fflush (req->wav) != 0)
        ok = set_capture_error (req, errno, error);
      if (fclose (req->wav) != 0 && ok)
        ok = set_capture_error (req, errno, error);
      req->wav = NULL;
    }
  if (req->device_open)
    {
      if (cancelled)
        audio_object_flush (device);
      else
        audio_object_drain (device);
      audio_object_close (device);
      req->device_open = FALSE;
    }

  return ok;
}

/* Keeps what was written no more than @lead_us ahead of what was heard;
 * a capture that is not paced is written as fast as it is made. */
static gboolean
pace (Request *req,
      gint64   lead_us)
{
  gint64 heard_us;

  if (req->capture_path && !req->paced)
    return !g_cancellable_is_cancelled (req->cancellable);

  heard_us = (gint64)(req->clock_samples * G_USEC_PER_SEC / (guint64)engine_rate);
  return wait_until (req, req->clock_start_us + heard_us - lead_us);
}

static int
on_synth (short        *samples,
          int           n_samples,
          espeak_EVENT *events)
{
  Request *req = engine_request;

  if (req == NULL || g_cancellable_is_cancelled (req->cancellable))
    return 1;
  if (samples == NULL || n_samples <= 0 || req->error)
    return req->error ? 1 : 0;

  if (req->clock_start_us == 0)
    req->clock_start_us = g_get_monotonic_time ();
  if (!sink_write (req, samples, n_samples, &req->error))
    return 1;
  req->clock_samples += n_samples;

  return pace (req, LEAD_MS * 1000) ? 0 : 1;
}

typedef struct
{
  GTask *task;
  guint index;
  gboolean done;
} Progress;

static gboolean
dispatch_progress (gpointer data)
{
  Progress *progress = data;
  Request *req = g_task_get_task_data (progress->task);

  if (req->func && !g_cancellable_is_cancelled (req->cancellable))
    req->func (g_task_get_source_object (progress->task), progress->index, progress->done,
               req->func_data);

  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->task);
  g_free (progress);
}

static void
post_progress (GTask    *task,
               guint     index,
               gboolean  done)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->task = g_object_ref (task);
  progress->index = index;
  progress->done = done;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              dispatch_progress, progress, progress_free);
}

static gboolean
speak (GTask    *task,
       Request  *req,
       GError  **error)
{
  gboolean cancelled = FALSE;

  if (!ensure_engine (req->data_path, error) ||
      !ensure_voice (req->voice_name, error) ||
      !sink_open (req, error))
    return FALSE;

  engine_request = req;
  for (guint i = 0; req->paragraphs[i] && !cancelled; i++)
    {
      const char *text = req->paragraphs[i];
      espeak_ng_STATUS status;

      if (text[strspn (text, " \t\n")] == '\0')
        continue;

      req->clock_start_us = 0;
      req->clock_samples = 0;
      post_progress (task, i, FALSE);
      status = espeak_ng_Synthesize (text, strlen (text) + 1, 0, POS_CHARACTER, 0,
                                     espeakCHARS_UTF8, NULL, req);
      if (req->error)
        break;
      if (status != ENS_OK && status != ENS_SPEECH_STOPPED &&
          !g_cancellable_is_cancelled (req->cancellable))
        {
          set_status_error (status, &req->error);
          break;
        }
      /* Done when the last of it was heard. */
      cancelled = !pace (req, 0);
      if (!cancelled)
        post_progress (task, i, TRUE);
    }
  engine_request = NULL;

  cancelled = g_cancellable_is_cancelled (req->cancellable);
  if (req->error)
    {
      g_propagate_error (error, g_steal_pointer (&req->error));
      sink_close (req, TRUE, NULL);
      return FALSE;
    }

  return sink_close (req, cancelled, error);
}

static gpointer
worker_main (gpointer data)
{
  GAsyncQueue *queue = data;

  for (;;)
    {
      g_autoptr(GTask) task = g_async_queue_pop (queue);
      Request *req = g_task_get_task_data (task);
      g_autoptr(GError) error = NULL;
      gulong handler;

      handler = g_cancellable_connect (req->cancellable, G_CALLBACK (wake_request), req, NULL);
      if (!g_cancellable_is_cancelled (req->cancellable) && !speak (task, req, &error))
        {
          g_cancellable_disconnect (req->cancellable, handler);
          g_task_return_error (task, g_steal_pointer (&error));
          continue;
        }
      g_cancellable_disconnect (req->cancellable, handler);
      /* A cancelled request's task returns G_IO_ERROR_CANCELLED. */
      g_task_return_boolean (task, TRUE);
    }

  return NULL;
}

static GAsyncQueue *
get_worker_queue (void)
{
  static GAsyncQueue *queue;

  if (g_once_init_enter (&queue))
    {
      GAsyncQueue *new_queue = g_async_queue_new ();

      /* Lives as long as the process: espeak-ng's engine is its. */
      g_thread_unref (g_thread_new ("ck-voice", worker_main, new_queue));
      g_once_init_leave (&queue, new_queue);
    }

  return queue;
}

/* ---- The object, in the caller's main context ---- */

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
  Request *req = g_task_get_task_data (G_TASK (result));

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
  Request *req;
  GTask *task;

  g_return_if_fail (CK_IS_VOICE (self));
  g_return_if_fail (paragraphs != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  req = g_new0 (Request, 1);
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
  g_task_set_task_data (task, req, request_free);
  g_async_queue_push (get_worker_queue (), task);
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
