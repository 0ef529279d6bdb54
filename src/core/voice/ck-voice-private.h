/* ck-voice-private.h: what the voice's object and its worker share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include "ck-voice.h"

G_BEGIN_DECLS

/* One ck_voice_speak_async (): the task's data. */
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
} CkVoiceRequest;

void          _ck_voice_request_free      (gpointer data);
GAsyncQueue  *_ck_voice_get_worker_queue  (void);

G_END_DECLS
