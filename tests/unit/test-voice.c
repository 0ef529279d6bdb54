/* test-voice.c: Mandarin speech with espeak-ng, captured to WAV files
 * (no sound card) and measured with sox
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ck.h"
#include "ck-test-util.h"

static const char *skip_reason;
static char *tmp_dir;

#define SENTENCE "请仔细阅读个人信息授权书，读完后勾选同意，然后点下一步。"

typedef struct
{
  gboolean done;
  GError *error;
  GArray *events;             /* index * 2 + done, in the order told */
  CkVoice *stop_on_first;     /* stops the voice when paragraph 0 starts */
  GCancellable *cancel_on_second; /* cancelled when paragraph 1 starts */
} Run;

static void
run_clear (Run *run)
{
  g_clear_error (&run->error);
  g_clear_pointer (&run->events, g_array_unref);
}

static void
on_paragraph (CkVoice  *voice,
              guint     index,
              gboolean  done,
              gpointer  user_data)
{
  Run *run = user_data;
  guint event = index * 2 + (done ? 1 : 0);

  g_array_append_val (run->events, event);
  if (index == 0 && !done && run->stop_on_first)
    ck_voice_stop (run->stop_on_first);
  if (index == 1 && !done && run->cancel_on_second)
    g_cancellable_cancel (run->cancel_on_second);
}

static void
on_spoken (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  ck_voice_speak_finish (CK_VOICE (source), result, &run->error);
  run->done = TRUE;
}

static void
speak (CkVoice            *voice,
       const char * const *paragraphs,
       Run                *run)
{
  run->done = FALSE;
  run->events = g_array_new (FALSE, FALSE, sizeof (guint));
  ck_voice_speak_async (voice, paragraphs, on_paragraph, run, run->cancel_on_second,
                        on_spoken, run);
}

static void
wait_for (Run *run)
{
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static CkVoice *
capture_voice (const char *name,
               const char *file,
               gboolean    paced)
{
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  CkVoice *voice = ck_voice_new (name);

  ck_voice_set_capture (voice, path, paced);
  return voice;
}

typedef struct
{
  double seconds;
  double rms;
} Stat;

/* `sox FILE -n stat`: its report goes to standard error. */
static Stat
sox_stat (const char *path)
{
  const char *argv[] = { "sox", path, "-n", "stat", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *at;
  Stat stat = { -1.0, -1.0 };
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  at = strstr (err, "Length (seconds):");
  g_assert_nonnull (at);
  stat.seconds = g_ascii_strtod (at + strlen ("Length (seconds):"), NULL);
  at = strstr (err, "RMS     amplitude:");
  g_assert_nonnull (at);
  stat.rms = g_ascii_strtod (at + strlen ("RMS     amplitude:"), NULL);
  g_test_message ("%s: %.3f s, RMS amplitude %.4f", path, stat.seconds, stat.rms);

  return stat;
}

/* A sentence is heard: not silence, and as long as saying it takes. */
static void
test_voice_capture (void)
{
  g_autoptr(CkVoice) voice = NULL;
  const char *one[] = { SENTENCE, NULL };
  const char *three[] = { SENTENCE SENTENCE SENTENCE, NULL };
  Run run = { 0 };
  Stat short_stat, long_stat;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  voice = capture_voice (NULL, "sentence.wav", FALSE);
  speak (voice, one, &run);
  g_assert_true (ck_voice_get_speaking (voice));
  wait_for (&run);
  g_assert_no_error (run.error);
  g_assert_false (ck_voice_get_speaking (voice));
  g_assert_cmpuint (run.events->len, ==, 2);
  g_assert_cmpuint (g_array_index (run.events, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (run.events, guint, 1), ==, 1);
  short_stat = sox_stat (ck_voice_get_capture (voice));
  g_assert_cmpfloat (short_stat.seconds, >, 0.5);
  g_assert_cmpfloat (short_stat.seconds, <, 20.0);
  g_assert_cmpfloat (short_stat.rms, >, 0.01);
  run_clear (&run);

  /* The same sentence three times takes about three times as long. */
  g_clear_object (&voice);
  voice = capture_voice (NULL, "three.wav", FALSE);
  speak (voice, three, &run);
  wait_for (&run);
  g_assert_no_error (run.error);
  long_stat = sox_stat (ck_voice_get_capture (voice));
  g_assert_cmpfloat (long_stat.seconds, >, 2.5 * short_stat.seconds);
  g_assert_cmpfloat (long_stat.seconds, <, 3.5 * short_stat.seconds);
  g_assert_cmpfloat (long_stat.rms, >, 0.01);
  run_clear (&run);
}

/* Paragraphs are told in order, each started and then heard; blank ones
 * are skipped. */
static void
test_voice_paragraphs (void)
{
  g_autoptr(CkVoice) voice = NULL;
  const char *paragraphs[] = { "第一段。", "  ", "第二段。", NULL };
  const guint expected[] = { 0, 1, 4, 5 };
  Run run = { 0 };

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  voice = capture_voice (NULL, "paragraphs.wav", TRUE);
  speak (voice, paragraphs, &run);
  wait_for (&run);
  g_assert_no_error (run.error);
  g_assert_cmpmem (run.events->data, run.events->len * sizeof (guint),
                   expected, sizeof expected);
  run_clear (&run);
}

static const char * const *
long_text (void)
{
  static const char *paragraphs[41];

  for (guint i = 0; i < G_N_ELEMENTS (paragraphs) - 1; i++)
    paragraphs[i] = SENTENCE;
  return paragraphs;
}

/* A long text stopped as its first paragraph starts, or cancelled as its
 * second does (paced as a sound card plays), ends at once, cancelled, with
 * nothing more than what was heard by then. */
static void
test_voice_cancel (void)
{
  g_autoptr(CkVoice) voice = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0 };
  Stat full, stopped;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  voice = capture_voice (NULL, "full.wav", FALSE);
  speak (voice, long_text (), &run);
  wait_for (&run);
  g_assert_no_error (run.error);
  full = sox_stat (ck_voice_get_capture (voice));
  g_assert_cmpfloat (full.seconds, >, 60.0);
  run_clear (&run);

  /* ck_voice_stop() */
  g_clear_object (&voice);
  voice = capture_voice (NULL, "stopped.wav", TRUE);
  run.stop_on_first = voice;
  speak (voice, long_text (), &run);
  wait_for (&run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ck_voice_get_speaking (voice));
  /* Nothing told after the stop. */
  g_assert_cmpuint (run.events->len, ==, 1);
  stopped = sox_stat (ck_voice_get_capture (voice));
  g_assert_cmpfloat (stopped.seconds, <, full.seconds / 2);
  run_clear (&run);

  /* The caller's cancellable, once the first paragraph was heard: the
   * audio is that paragraph and no more than a moment of the second. */
  run.stop_on_first = NULL;
  run.cancel_on_second = cancellable;
  speak (voice, long_text (), &run);
  wait_for (&run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.events->len, ==, 3);
  stopped = sox_stat (ck_voice_get_capture (voice));
  g_assert_cmpfloat (stopped.seconds, >=, full.seconds / 40 - 0.5);
  g_assert_cmpfloat (stopped.seconds, <, full.seconds / 2);
  run_clear (&run);
}

/* What a voice says next silences what it was saying. */
static void
test_voice_preempt (void)
{
  g_autoptr(CkVoice) voice = NULL;
  const char *one[] = { SENTENCE, NULL };
  Run first = { 0 };
  Run second = { 0 };

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  voice = capture_voice (NULL, "preempt.wav", TRUE);
  speak (voice, long_text (), &first);
  speak (voice, one, &second);
  wait_for (&first);
  wait_for (&second);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (second.error);
  g_assert_cmpuint (second.events->len, ==, 2);
  g_assert_false (ck_voice_get_speaking (voice));
  run_clear (&first);
  run_clear (&second);
}

/* A voice that is not installed, data that is not there, a capture file
 * that cannot be written: each its error, and nothing blocks. */
static void
test_voice_errors (void)
{
  g_autoptr(CkVoice) voice = NULL;
  const char *one[] = { SENTENCE, NULL };
  Run run = { 0 };

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  voice = capture_voice ("no-such-voice", "missing.wav", FALSE);
  speak (voice, one, &run);
  wait_for (&run);
  g_assert_error (run.error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_VOICE);
  g_assert_nonnull (strstr (run.error->message, "no-such-voice"));
  g_assert_cmpuint (run.events->len, ==, 0);
  run_clear (&run);

  g_clear_object (&voice);
  voice = capture_voice (NULL, "no-data.wav", FALSE);
  ck_voice_set_data_path (voice, "/nonexistent/espeak-ng-data");
  speak (voice, one, &run);
  wait_for (&run);
  g_assert_error (run.error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DATA);
  g_assert_nonnull (strstr (run.error->message, "/nonexistent/espeak-ng-data"));
  run_clear (&run);

  g_clear_object (&voice);
  voice = capture_voice (NULL, "no-such-folder/x.wav", FALSE);
  speak (voice, one, &run);
  wait_for (&run);
  g_assert_error (run.error, CK_VOICE_ERROR, CK_VOICE_ERROR_CAPTURE);
  run_clear (&run);

  /* And the voice still works after them. */
  g_clear_object (&voice);
  voice = capture_voice (NULL, "after.wav", FALSE);
  speak (voice, one, &run);
  wait_for (&run);
  g_assert_no_error (run.error);
  g_assert_cmpfloat (sox_stat (ck_voice_get_capture (voice)).rms, >, 0.01);
  run_clear (&run);
}

/* Skip only where espeak-ng's data is missing. */
static void
probe (void)
{
  g_autoptr(CkVoice) voice = capture_voice (NULL, "probe.wav", FALSE);
  const char *one[] = { "你好", NULL };
  static Run run = { 0 };

  speak (voice, one, &run);
  wait_for (&run);
  if (g_error_matches (run.error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DATA))
    skip_reason = g_strdup_printf ("espeak-ng's data is missing (espeak-ng-data): %s",
                                   run.error->message);
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  tmp_dir = g_dir_make_tmp ("ck-voice-XXXXXX", &error);
  g_assert_no_error (error);
  probe ();

  g_test_add_func ("/voice/capture", test_voice_capture);
  g_test_add_func ("/voice/paragraphs", test_voice_paragraphs);
  g_test_add_func ("/voice/cancel", test_voice_cancel);
  g_test_add_func ("/voice/preempt", test_voice_preempt);
  g_test_add_func ("/voice/errors", test_voice_errors);

  status = g_test_run ();
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
