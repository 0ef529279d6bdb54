/* test-letter-voice.c: voice prompts (issue 17) as a customer hears them,
 * captured to a WAV file paced as a sound card plays (no sound card)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-letter-page.h"
#include "ck-letter-view.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-voice-prompts.h"
#include "ck-window.h"

/* The tests run in Chinese where the locale is installed. */
#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

static char *tmp_dir;
static char *capture;
static const char *skip_reason;

typedef struct
{
  CkLetterView *view;
  int block;
} Reading;

static gboolean
is_reading_block (gpointer data)
{
  Reading *reading = data;

  return ck_letter_view_get_reading_block (reading->view) == reading->block;
}

static gboolean
is_quiet (gpointer data)
{
  return !ck_voice_get_speaking (data);
}

/* `sox FILE -n stat`: the length in seconds. */
static double
sox_seconds (const char *path)
{
  const char *argv[] = { "sox", path, "-n", "stat", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *at;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  at = strstr (err, "Length (seconds):");
  g_assert_nonnull (at);
  return g_ascii_strtod (at + strlen ("Length (seconds):"), NULL);
}

/* The letter page's instruction is spoken as it shows; 朗读 reads the
 * letter block by block, highlighting the block being read; 停止 and
 * leaving the page stop it. */
static void
test_letter_voice (void)
{
  CkApplication *app;
  GtkWindow *window;
  CkLetterPage *page;
  CkVoice *voice;
  GtkButton *read_button;
  Reading reading;
  double seconds;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }

  app = ck_ui_start_kiosk (tmp_dir, "[kiosk]\nvoice = true\n");
  window = ck_ui_present (G_APPLICATION (app));
  g_assert_true (CK_IS_WINDOW (window));

  ck_ui_click (GTK_WIDGET (window), T ("Start"));
  ck_ui_wait_for_page (CK_WINDOW (window), "letter", 10);
  page = CK_LETTER_PAGE (ck_ui_page (CK_WINDOW (window), "letter"));
  voice = ck_letter_page_get_voice (page);
  g_assert_nonnull (voice);
  g_assert_cmpstr (ck_voice_get_capture (voice), ==, capture);

  /* The page's instruction, heard to its end. */
  g_assert_true (ck_voice_get_speaking (voice));
  ck_ui_wait_until (is_quiet, voice, 60, "the letter page's instruction");
  seconds = sox_seconds (capture);
  g_test_message ("the letter page's instruction: %.1f s", seconds);
  g_assert_cmpfloat (seconds, >, 1.0);
  g_assert_cmpfloat (seconds, <, 60.0);

  /* 朗读: the heading, then the first paragraph. */
  read_button = ck_ui_find_button (GTK_WIDGET (page), T ("Read Aloud"));
  g_assert_nonnull (read_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (read_button)));
  ck_ui_tap (GTK_WIDGET (read_button));
  g_assert_true (ck_letter_page_get_reading (page));
  g_assert_cmpstr (gtk_button_get_label (read_button), ==, T ("Stop Reading"));

  reading.view = CK_LETTER_VIEW (ck_ui_find_descendant (GTK_WIDGET (page), CK_TYPE_LETTER_VIEW));
  reading.block = 0;
  ck_ui_wait_until (is_reading_block, &reading, 30, "block 0 read aloud");
  reading.block = 1;
  ck_ui_wait_until (is_reading_block, &reading, 60, "block 1 read aloud");
  g_assert_true (ck_voice_get_speaking (voice));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-letter-reading"));

  /* 停止 */
  ck_ui_tap (GTK_WIDGET (read_button));
  g_assert_false (ck_letter_page_get_reading (page));
  g_assert_cmpint (ck_letter_view_get_reading_block (reading.view), ==, -1);
  g_assert_cmpstr (gtk_button_get_label (read_button), ==, T ("Read Aloud"));
  ck_ui_wait_until (is_quiet, voice, 30, "silence after Stop");
  g_assert_cmpint (ck_letter_view_get_reading_block (reading.view), ==, -1);

  /* Again, and then the customer is gone: the wipe leaves the page. */
  ck_ui_tap (GTK_WIDGET (read_button));
  reading.block = 0;
  ck_ui_wait_until (is_reading_block, &reading, 30, "block 0 read aloud again");
  ck_window_wipe (CK_WINDOW (window));
  ck_ui_wait_for_page (CK_WINDOW (window), "welcome", 10);
  g_assert_false (ck_letter_page_get_reading (page));
  g_assert_cmpint (ck_letter_view_get_reading_block (reading.view), ==, -1);
  /* The welcome page's instruction replaced it, and nothing of the
   * letter is highlighted after it. */
  ck_ui_wait_until (is_quiet, voice, 60, "the welcome page's instruction");
  g_assert_cmpint (ck_letter_view_get_reading_block (reading.view), ==, -1);
  g_assert_false (ck_letter_page_get_reading (page));

  ck_ui_stop_kiosk (app);
}

/* Voice off (the default): no 朗读 button. */
static void
test_letter_voice_off (void)
{
  g_autoptr(CkVoice) voice = ck_voice_new (NULL);
  CkLetterPage *page = g_object_ref_sink (g_object_new (CK_TYPE_LETTER_PAGE, NULL));
  GtkButton *read_button = ck_ui_find_button (GTK_WIDGET (page), T ("Read Aloud"));

  g_assert_nonnull (read_button);
  g_assert_null (ck_letter_page_get_voice (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (read_button)));
  ck_letter_page_set_voice (page, voice);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (read_button)));
  ck_letter_page_set_voice (page, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (read_button)));

  g_object_unref (page);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (ck_voice_speak_finish (CK_VOICE (source), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "spoken");
}

/* Skip only where espeak-ng's data is missing. */
static void
probe (void)
{
  g_autoptr(CkVoice) voice = ck_voice_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *one[] = { "你好", NULL };

  ck_voice_set_capture (voice, capture, FALSE);
  ck_voice_speak_async (voice, one, NULL, NULL, NULL, on_probed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (error, CK_VOICE_ERROR, CK_VOICE_ERROR_NO_DATA))
    skip_reason = g_strdup_printf ("espeak-ng's data is missing (espeak-ng-data): %s",
                                   error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  int status;

  ck_ui_ignore_desktop_services ();
  ck_ui_as_customers_see_it ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("ck-test-letter-voice-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  /* Where ck_ui_start_kiosk() writes the configuration, before GLib
   * caches the folder. */
  config_home = g_build_filename (tmp_dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  /* Speech goes to a file, at the pace a sound card would play it. */
  capture = g_build_filename (tmp_dir, "voice.wav", NULL);
  g_setenv ("CK_VOICE_CAPTURE", capture, TRUE);
  g_setenv ("CK_VOICE_CAPTURE_PACED", "1", TRUE);
  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  probe ();

  g_test_add_func ("/letter-voice/off", test_letter_voice_off);
  g_test_add_func ("/letter-voice/read-aloud", test_letter_voice);

  status = g_test_run ();
  ck_test_rm_rf (tmp_dir);
  g_free (capture);
  g_free (tmp_dir);

  return status;
}
