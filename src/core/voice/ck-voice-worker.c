/* ck-voice-worker.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The voice's worker thread: espeak-ng's engine, where the sound goes (the
 * sound device or a WAV file), the pace, and what is told back to the
 * caller's main context. ck-voice.c has the whole story. */

#define G_LOG_DOMAIN "ck-voice"

#include "config.h"

#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pcaudiolib/audio.h>
#include <stdio.h>
#include <string.h>

#include "ck-voice-private.h"

/* How long each buffer espeak-ng hands over is. */
#define BUFFER_MS 100
/* How far the device may be ahead of what was heard. */
#define LEAD_MS 250
/* How long a missing sound device is believed missing. */
#define DEVICE_RETRY_S 60
/* espeak-ng's own pace: its Mandarin is unhurried already (a 25-character
 * sentence takes 10 s). */
#define RATE_WPM espeakRATE_NORMAL

void
_ck_voice_request_free (gpointer data)
{
  CkVoiceRequest *req = data;

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
wake_request (GCancellable   *cancellable,
              CkVoiceRequest *req)
{
  g_mutex_lock (&req->mutex);
  g_cond_broadcast (&req->cond);
  g_mutex_unlock (&req->mutex);
}

/* Waits until @end_us (monotonic) unless the request is cancelled first.
 * Returns: %FALSE when it was */
static gboolean
wait_until (CkVoiceRequest *req,
            gint64          end_us)
{
  gboolean cancelled;

  g_mutex_lock (&req->mutex);
  while (!(cancelled = g_cancellable_is_cancelled (req->cancellable)) &&
         g_cond_wait_until (&req->cond, &req->mutex, end_us))
    ;
  g_mutex_unlock (&req->mutex);

  return !cancelled;
}

static gboolean engine_ready;
static char *engine_voice;
static int engine_rate;
static CkVoiceRequest *engine_request;
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
set_capture_error (CkVoiceRequest  *req,
                   int              saved_errno,
                   GError         **error)
{
  g_set_error (error, CK_VOICE_ERROR, CK_VOICE_ERROR_CAPTURE,
               /* Translators: the first %s is a file, the second why */
               _("Could not write the speech to “%s”: %s"),
               req->capture_path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
sink_open (CkVoiceRequest  *req,
           GError         **error)
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
sink_write (CkVoiceRequest  *req,
            const short     *samples,
            int              n_samples,
            GError         **error)
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
sink_close (CkVoiceRequest  *req,
            gboolean         cancelled,
            GError         **error)
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
pace (CkVoiceRequest *req,
      gint64          lead_us)
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
  CkVoiceRequest *req = engine_request;

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
  CkVoiceRequest *req = g_task_get_task_data (progress->task);

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
speak (GTask           *task,
       CkVoiceRequest  *req,
       GError         **error)
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
      CkVoiceRequest *req = g_task_get_task_data (task);
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

GAsyncQueue *
_ck_voice_get_worker_queue (void)
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
