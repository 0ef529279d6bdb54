/* test-kiosk.c: the customer flow through the kiosk's pages
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk window as customers use it, widgets driven from the test
 * (gtk_widget_activate, gtk_editable_set_text) and the signature drawn
 * with real X input (xdotool). Runs in Chinese when the zh_CN.UTF-8
 * locale exists, and saves a screenshot of every page as kiosk-*.png in
 * the build directory. Its configuration (tests/ui/kiosk.conf, then the
 * user file written here) keeps consents in a temporary directory, uses
 * the demo verifier and a 15 s idle timeout. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-details-page.h"
#include "ck-letter-page.h"
#include "ck-result-page.h"
#include "ck-signature-page.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

#define IDLE_TIMEOUT_S 15
#define NAME           "张三"
#define ID_NUMBER      "11010519491231002X"

static CkApplication *app;
static char *tmp_dir;

static CkWindow *
open_window (void)
{
  return CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
}

static GtkAdjustment *
letter_adjustment (CkWindow *window)
{
  GtkWidget *scroller = ck_ui_find_descendant (ck_ui_page (window, "letter"),
                                               GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static void
scroll_letter (CkWindow *window,
               double    fraction)
{
  GtkAdjustment *adjustment = letter_adjustment (window);

  gtk_adjustment_set_value (adjustment,
                            (gtk_adjustment_get_upper (adjustment) -
                             gtk_adjustment_get_page_size (adjustment)) * fraction);
  ck_ui_wait_for_frames (GTK_WIDGET (window), 1);
}

/* Welcome → letter, read to the end, both agreements → details. */
static void
start_and_agree (CkWindow *window)
{
  GtkCheckButton *letter, *declaration;

  g_assert_cmpstr (ck_ui_page_name (window), ==, "welcome");
  ck_ui_click (ck_ui_page (window, "welcome"), T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  g_assert_cmpint (ck_flow_get_state (ck_window_get_flow (window)), ==, CK_FLOW_STATE_READING);

  scroll_letter (window, 1.0);
  ck_ui_letter_checks (window, &letter, &declaration);
  gtk_check_button_set_active (letter, TRUE);
  gtk_check_button_set_active (declaration, TRUE);
  ck_ui_click (ck_ui_page (window, "letter"), T ("Next"));
  ck_ui_wait_for_page (window, "details", 5);
  g_assert_cmpint (ck_flow_get_state (ck_window_get_flow (window)), ==, CK_FLOW_STATE_AGREED);
}

static void
enter_details (CkWindow *window)
{
  gtk_editable_set_text (ck_ui_name_entry (window), NAME);
  gtk_editable_set_text (ck_ui_id_entry (window), ID_NUMBER);
}

/* A signature across the pad: a cursive wave and a cross stroke. */
static void
sign (CkWindow *window)
{
  GtkWidget *pad = GTK_WIDGET (ck_ui_signature_pad (window));
  int width = gtk_widget_get_width (pad);
  int height = gtk_widget_get_height (pad);
  double wave[2 * 60];
  double cross[2 * 20];

  for (guint i = 0; i < 60; i++)
    {
      wave[2 * i] = width * (0.2 + 0.6 * i / 59.0);
      wave[2 * i + 1] = height * (0.5 + 0.15 * sin (i / 3.0));
    }
  for (guint i = 0; i < 20; i++)
    {
      cross[2 * i] = width * (0.35 + 0.1 * i / 19.0);
      cross[2 * i + 1] = height * (0.25 + 0.5 * i / 19.0);
    }

  ck_ui_draw_on_pad (CK_SIGNATURE_PAD (pad), wave, 60);
  ck_ui_draw_on_pad (CK_SIGNATURE_PAD (pad), cross, 20);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (CK_SIGNATURE_PAD (pad)), ==, 2);
}

static gboolean
has_message_dialog (gpointer data)
{
  return ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Cancel on @name, then answer the question with @response. */
static void
cancel (CkWindow   *window,
        const char *name,
        const char *response)
{
  GtkWindow *dialog;

  ck_ui_click (ck_ui_page (window, name), T ("Cancel"));
  ck_ui_wait_until (has_message_dialog, NULL, 5, "the cancel question");
  dialog = ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Nothing of the customer before is left anywhere. */
static void
assert_wiped (CkWindow *window,
              CkFlow   *flow)
{
  GtkCheckButton *letter, *declaration;

  ck_ui_wait_for_page (window, "welcome", 5);
  g_assert_null (ck_window_get_flow (window));
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_IDLE);
  g_assert_null (ck_flow_get_name (flow));
  g_assert_null (ck_flow_get_id_number (flow));
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, "");
  ck_ui_letter_checks (window, &letter, &declaration);
  g_assert_false (gtk_check_button_get_active (letter));
  g_assert_false (gtk_check_button_get_active (declaration));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  g_assert_cmpfloat (gtk_adjustment_get_value (letter_adjustment (window)), ==, 0.0);
  g_assert_true (ck_signature_pad_get_empty (ck_ui_signature_pad (window)));
  g_assert_false (ck_window_get_idle_warning_shown (window));
}

static gboolean
time_has_come (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *)data;
}

/* (2) The agreements are locked until the letter was scrolled to its end,
 * and each is its own choice. */
static void
test_letter_locked (void)
{
  CkWindow *window = open_window ();
  GtkCheckButton *letter, *declaration;
  GtkButton *next;
  g_autoptr(CkFlow) flow = NULL;

  ck_ui_click (ck_ui_page (window, "welcome"), T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  flow = g_object_ref (ck_window_get_flow (window));
  ck_ui_letter_checks (window, &letter, &declaration);
  next = ck_ui_find_button (ck_ui_page (window, "letter"), T ("Next"));

  g_assert_cmpfloat (gtk_adjustment_get_upper (letter_adjustment (window)), >,
                     2 * gtk_adjustment_get_page_size (letter_adjustment (window)));
  g_assert_false (ck_letter_page_get_read (CK_LETTER_PAGE (ck_ui_page (window, "letter"))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (declaration)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (next)));

  scroll_letter (window, 0.5);
  g_assert_cmpfloat (ck_letter_page_get_progress (CK_LETTER_PAGE (ck_ui_page (window, "letter"))),
                     >, 0.3);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (declaration)));

  scroll_letter (window, 0.97);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (letter)));

  scroll_letter (window, 1.0);
  g_assert_true (ck_letter_page_get_read (CK_LETTER_PAGE (ck_ui_page (window, "letter"))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (letter)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (declaration)));
  g_assert_false (gtk_check_button_get_active (letter));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (next)));

  /* Scrolling back up does not lock them again: the end was seen. */
  scroll_letter (window, 0.0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (letter)));

  /* One agreement is not enough. */
  gtk_check_button_set_active (letter, TRUE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (next)));
  gtk_check_button_set_active (letter, FALSE);
  gtk_check_button_set_active (declaration, TRUE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (next)));
  gtk_check_button_set_active (letter, TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (next)));
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_READING);

  cancel (window, "letter", "wipe");
  assert_wiped (window, flow);
}

/* (3) A wrong ID number shows the core's own, specific message, under the
 * field, while it is typed; Next does not move on. */
static void
test_wrong_id (void)
{
  static const char * const wrong[] = {
    "110105194912310021",   /* check character */
    "990105194912310024",   /* province */
    "110105194913310021",   /* month */
    "1101051949123100A",    /* bad character */
  };
  CkWindow *window = open_window ();
  g_autoptr(CkFlow) flow = NULL;

  start_and_agree (window);
  flow = g_object_ref (ck_window_get_flow (window));
  gtk_editable_set_text (ck_ui_name_entry (window), NAME);

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkIdcard) idcard = ck_idcard_parse (wrong[i], &error);

      g_assert_null (idcard);
      g_assert_nonnull (error);
      gtk_editable_set_text (ck_ui_id_entry (window), wrong[i]);
      if (ck_ui_find_label (ck_ui_page (window, "details"), error->message) == NULL)
        g_error ("“%s” does not show “%s”", wrong[i], error->message);

      ck_ui_click (ck_ui_page (window, "details"), T ("Next"));
      g_assert_cmpstr (ck_ui_page_name (window), ==, "details");
      g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_AGREED);
    }

  /* While typing: how far, not an error. */
  {
    g_autofree char *hint = g_strdup_printf (T ("%u of %u characters"), 6, 18);

    gtk_editable_set_text (ck_ui_id_entry (window), "110105");
    g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"), hint));
  }

  /* A name with a digit: the name's own message. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *normalized = ck_name_normalize ("张3", CK_NAME_FLAGS_NONE, &error);

    g_assert_null (normalized);
    gtk_editable_set_text (ck_ui_name_entry (window), "张3");
    g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"), error->message));
  }

  cancel (window, "details", "wipe");
  assert_wiped (window, flow);
}

/* (1) Going back and forth keeps everything; cancel asks, then wipes;
 * the idle timeout counts down, then wipes. */
static void
test_keep_and_wipe (void)
{
  CkWindow *window = open_window ();
  GtkCheckButton *letter, *declaration;
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(CkFlow) idle_flow = NULL;
  gint64 started;
  double waited;

  start_and_agree (window);
  flow = g_object_ref (ck_window_get_flow (window));
  enter_details (window);

  /* Back to the letter and forth again. */
  ck_ui_click (ck_ui_page (window, "details"), T ("Back"));
  ck_ui_wait_for_page (window, "letter", 5);
  ck_ui_letter_checks (window, &letter, &declaration);
  g_assert_true (gtk_check_button_get_active (letter));
  g_assert_true (gtk_check_button_get_active (declaration));
  ck_ui_click (ck_ui_page (window, "letter"), T ("Next"));
  ck_ui_wait_for_page (window, "details", 5);
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, NAME);
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, ID_NUMBER);

  ck_ui_click (ck_ui_page (window, "details"), T ("Next"));
  ck_ui_wait_for_page (window, "signature", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_DETAILS_VALID);
  g_assert_cmpstr (ck_flow_get_name (flow), ==, NAME);
  sign (window);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));
  ck_ui_wait_for_page (window, "review", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_SIGNED);

  /* Back twice, forth twice: the signature and the details are kept. */
  ck_ui_click (ck_ui_page (window, "review"), T ("Back"));
  ck_ui_wait_for_page (window, "signature", 5);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (ck_ui_signature_pad (window)), ==, 2);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Back"));
  ck_ui_wait_for_page (window, "details", 5);
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, NAME);
  ck_ui_click (ck_ui_page (window, "details"), T ("Next"));
  ck_ui_wait_for_page (window, "signature", 5);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));
  ck_ui_wait_for_page (window, "review", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_SIGNED);

  /* Cancel asks first: keeping on changes nothing. */
  cancel (window, "review", "keep");
  g_assert_cmpstr (ck_ui_page_name (window), ==, "review");
  g_assert_true (ck_window_get_flow (window) == flow);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_SIGNED);

  cancel (window, "review", "wipe");
  assert_wiped (window, flow);

  /* The idle timeout: a countdown, then the same wipe. */
  start_and_agree (window);
  idle_flow = g_object_ref (ck_window_get_flow (window));
  g_assert_true (idle_flow != flow);
  enter_details (window);
  started = g_get_monotonic_time ();
  ck_ui_wait_until ((CkUiCondition)ck_window_get_idle_warning_shown, window,
                    IDLE_TIMEOUT_S + 5, "the idle countdown");
  waited = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  g_test_message ("countdown after %.1f s", waited);
  g_assert_cmpfloat (waited, >, IDLE_TIMEOUT_S / 2.0);
  g_assert_cmpstr (ck_ui_page_name (window), ==, "details");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, NAME);
  /* The countdown slides in. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    ck_ui_wait_until (time_has_come, &until, 5, "the countdown to slide in");
  }
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-idle-countdown"));

  ck_ui_wait_for_page (window, "welcome", IDLE_TIMEOUT_S);
  waited = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  g_test_message ("wiped after %.1f s", waited);
  g_assert_cmpfloat (waited, >=, IDLE_TIMEOUT_S - 1);
  assert_wiped (window, idle_flow);
}

/* Shows @name without running the ck_ui_page (saving, verifying are over too
 * soon to be photographed on their way), for its screenshot. */
static void
screenshot_page (CkWindow   *window,
                 const char *name,
                 const char *suffix)
{
  g_autofree char *file = g_strconcat ("kiosk-", name, suffix, NULL);
  g_autofree char *path = NULL;
  const char *shown = ck_ui_page_name (window);
  GtkWidget *spinner = ck_ui_find_descendant (ck_ui_page (window, name), GTK_TYPE_SPINNER);

  if (!g_str_equal (shown, name))
    gtk_stack_set_visible_child_name (ck_window_get_stack (window), name);
  /* Spinning, as while the page works. */
  if (spinner)
    gtk_spinner_start (GTK_SPINNER (spinner));
  ck_ui_wait_for_page (window, name, 5);
  path = ck_ui_save_screenshot (GTK_WIDGET (window), file);
  if (spinner)
    gtk_spinner_stop (GTK_SPINNER (spinner));
  if (!g_str_equal (shown, name))
    {
      gtk_stack_set_visible_child_name (ck_window_get_stack (window), shown);
      ck_ui_wait_for_page (window, shown, 5);
    }
}

/* (4) A customer goes through every page and leaves a stored consent,
 * verified by the demo provider; the next one finds a clean welcome
 * page. (6) Every page is photographed on the way. */
static void
test_whole_flow (void)
{
  CkWindow *window = open_window ();
  CkApplication *application = CK_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  CkStore *store = ck_application_get_store (application, NULL);
  CkVerifyQueue *queue = ck_application_get_verify_queue (application, NULL);
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) dot_error = NULL;
  g_autofree char *consent_id = NULL;
  g_autofree char *pdf_path = NULL;
  gint64 before;
  double dot[2];

  before = ck_store_count (store, &error);
  g_assert_no_error (error);

  screenshot_page (window, "welcome", NULL);
  ck_ui_click (ck_ui_page (window, "welcome"), T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  flow = g_object_ref (ck_window_get_flow (window));
  screenshot_page (window, "letter", NULL);
  {
    GtkCheckButton *letter, *declaration;

    scroll_letter (window, 1.0);
    ck_ui_letter_checks (window, &letter, &declaration);
    gtk_check_button_set_active (letter, TRUE);
    gtk_check_button_set_active (declaration, TRUE);
    screenshot_page (window, "letter", "-agreed");
    ck_ui_click (ck_ui_page (window, "letter"), T ("Next"));
  }

  ck_ui_wait_for_page (window, "details", 5);
  enter_details (window);
  screenshot_page (window, "details", NULL);
  ck_ui_click (ck_ui_page (window, "details"), T ("Next"));

  /* The signature page refuses a dot, with the core's message. */
  ck_ui_wait_for_page (window, "signature", 5);
  dot[0] = gtk_widget_get_width (GTK_WIDGET (ck_ui_signature_pad (window))) / 2.0;
  dot[1] = gtk_widget_get_height (GTK_WIDGET (ck_ui_signature_pad (window))) / 2.0;
  ck_ui_draw_on_pad (ck_ui_signature_pad (window), dot, 1);
  g_assert_false (ck_signature_pad_check_acceptable (ck_ui_signature_pad (window), &dot_error));
  g_assert_error (dot_error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));
  g_assert_cmpstr (ck_ui_page_name (window), ==, "signature");
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "signature"), dot_error->message));
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_DETAILS_VALID);
  screenshot_page (window, "signature", "-dot");

  ck_ui_click (ck_ui_page (window, "signature"), T ("Clear"));
  g_assert_true (ck_signature_pad_get_empty (ck_ui_signature_pad (window)));
  sign (window);
  screenshot_page (window, "signature", NULL);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));

  ck_ui_wait_for_page (window, "review", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_SIGNED);
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "review"), NAME));
  /* The whole number, grouped, for the customer to check (issue 17);
   * masked once confirmed. */
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "review"), "110105 19491231 002X"));
  screenshot_page (window, "review", NULL);
  ck_ui_click (ck_ui_page (window, "review"), T ("Confirm and sign"));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "review"), "110105********002X"));
  g_assert_null (ck_ui_find_label (ck_ui_page (window, "review"), "110105 19491231 002X"));

  /* Saving and verifying run in the background; the UI keeps drawing. */
  ck_ui_wait_until (ck_ui_flow_is_done, flow, 60, "the save and the verification");
  ck_ui_wait_for_page (window, "result", 10);
  screenshot_page (window, "saving", NULL);
  screenshot_page (window, "verifying", NULL);
  screenshot_page (window, "result", NULL);

  /* A stored, intact consent, verified by the demo provider. */
  consent_id = g_strdup (ck_flow_get_consent_id (flow));
  g_assert_nonnull (consent_id);
  g_assert_cmpint (ck_store_count (store, NULL), ==, before + 1);
  record = ck_store_lookup_intact (store, consent_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->name, ==, NAME);
  g_assert_cmpstr (record->id_number, ==, ID_NUMBER);
  g_assert_true (record->demo);
  pdf_path = g_build_filename (ck_store_get_data_dir (store), record->pdf_path, NULL);
  g_assert_true (g_file_test (pdf_path, G_FILE_TEST_IS_REGULAR));
  verification = ck_verify_queue_lookup (queue, consent_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_true (verification->demo);

  /* The result page says so, and DEMO. */
  g_assert_cmpint (ck_result_page_get_state (CK_RESULT_PAGE (ck_ui_page (window, "result"))), ==,
                   CK_VERIFY_STATE_VERIFIED);
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "result"), T ("Your identity is verified")));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "result"), verification->customer_message));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "result"),
                                      T ("DEMO — no real identity check was made")));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ck_ui_find_button (ck_ui_page (window, "result"),
                                                                          T ("Print")))));

  /* Back to Home: the next person finds a clean welcome page; the consent
   * stays. */
  ck_ui_click (ck_ui_page (window, "result"), T ("Back to Home"));
  assert_wiped (window, flow);
  g_assert_cmpint (ck_store_count (store, NULL), ==, before + 1);
  g_assert_null (ck_ui_find_label (GTK_WIDGET (window), NAME));
}

/* Each way a verification can end reads as it should on the result
 * page, with the core's message for the customer. */
static void
test_result_states (void)
{
  static const struct {
    CkVerifyState state;
    const char *title;
  } cases[] = {
    { CK_VERIFY_STATE_VERIFIED, N_("Your identity is verified") },
    { CK_VERIFY_STATE_NOT_MATCHED, N_("The name and the ID number do not match") },
    { CK_VERIFY_STATE_UNDETERMINED, N_("Your identity could not be confirmed") },
    { CK_VERIFY_STATE_REJECTED, N_("The name or ID number was not accepted") },
    { CK_VERIFY_STATE_RETRYING, N_("The verification service is not available") },
    { CK_VERIFY_STATE_FAILED, N_("The verification service is not available") },
  };
  CkWindow *window = open_window ();
  GtkWidget *result = ck_ui_page (window, "result");
  g_autoptr(GError) error = g_error_new_literal (CK_VERIFY_QUEUE_ERROR,
                                                 CK_VERIFY_QUEUE_ERROR_BUSY, "busy");
  g_autoptr(GError) disabled = g_error_new_literal (CK_VERIFY_QUEUE_ERROR,
                                                    CK_VERIFY_QUEUE_ERROR_DISABLED, "disabled");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CkVerification verification = { 0 };

      verification.state = cases[i].state;
      verification.customer_message = (char *)"MESSAGE";
      ck_result_page_set_result (CK_RESULT_PAGE (result), &verification, NULL, FALSE);
      g_assert_nonnull (ck_ui_find_label (result, T (cases[i].title)));
      g_assert_nonnull (ck_ui_find_label (result, "MESSAGE"));
      g_assert_null (ck_ui_find_label (result, T ("DEMO — no real identity check was made")));
    }

  /* No answer at all: the consent is kept, and the customer told so. */
  ck_result_page_set_result (CK_RESULT_PAGE (result), NULL, error, TRUE);
  g_assert_nonnull (ck_ui_find_label (result, T ("The verification service is not available")));
  g_assert_nonnull (ck_ui_find_label (result, T ("Your consent is kept and verification will be "
                                                 "retried. Staff will contact you if anything "
                                                 "more is needed.")));
  g_assert_nonnull (ck_ui_find_label (result, T ("DEMO — no real identity check was made")));

  /* Provider none: nothing to retry, and nobody is told otherwise. */
  ck_result_page_set_result (CK_RESULT_PAGE (result), NULL, disabled, FALSE);
  g_assert_cmpint (ck_result_page_get_state (CK_RESULT_PAGE (result)), ==, CK_VERIFY_STATE_UNVERIFIED);
  g_assert_nonnull (ck_ui_find_label (result, T ("Your consent is saved")));
  g_assert_null (ck_ui_find_label (result, T ("The verification service is not available")));
  ck_page_reset (CK_PAGE (result));
}

/* Text a control shows: a button's label, or any label inside it. */
static gboolean
shows_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget))[0])
    return TRUE;

  ck_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_label_get_text (labels->pdata[i])[0])
      return TRUE;

  return FALSE;
}

/* Every control of every page has a name for assistive technologies (its
 * text, an accessible label or a label it is labelled by) and can take
 * the keyboard focus. */
static void
test_accessible (void)
{
  CkWindow *window = open_window ();
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  GType types[] = { GTK_TYPE_BUTTON, GTK_TYPE_CHECK_BUTTON, GTK_TYPE_ENTRY, GTK_TYPE_PASSWORD_ENTRY,
                    GTK_TYPE_PROGRESS_BAR, CK_TYPE_SIGNATURE_PAD };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    ck_ui_collect (GTK_WIDGET (ck_window_get_stack (window)), types[t], controls);
  g_assert_cmpuint (controls->len, >=, 38);

  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *control = controls->pdata[i];
      GtkAccessible *accessible = GTK_ACCESSIBLE (control);
      gboolean labelled =
        gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
        gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      /* Entries show what was typed, not what they are for. */
      gboolean named = labelled ||
                       (!GTK_IS_ENTRY (control) && !GTK_IS_PASSWORD_ENTRY (control) &&
                        shows_text (control));

      if (!named)
        g_error ("a %s in %s has no accessible name", G_OBJECT_TYPE_NAME (control),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_ancestor (control, CK_TYPE_PAGE)));
      if (!GTK_IS_PROGRESS_BAR (control) && !GTK_IS_ENTRY (control) &&
          !gtk_widget_get_focusable (control))
        g_error ("a %s in %s cannot take the focus", G_OBJECT_TYPE_NAME (control),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_ancestor (control, CK_TYPE_PAGE)));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  ck_ui_as_customers_see_it ();

  g_test_init (&argc, &argv, NULL);

  /* A temporary data directory and a short idle timeout. */
  tmp_dir = g_dir_make_tmp ("test-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s/data\n"
                              "idle_timeout_s = %d\n"
                              "[verification]\n"
                              "provider = demo\n",
                              tmp_dir, IDLE_TIMEOUT_S);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/kiosk/letter-locked", test_letter_locked);
  g_test_add_func ("/kiosk/wrong-id", test_wrong_id);
  g_test_add_func ("/kiosk/keep-and-wipe", test_keep_and_wipe);
  g_test_add_func ("/kiosk/whole-flow", test_whole_flow);
  g_test_add_func ("/kiosk/result-states", test_result_states);
  g_test_add_func ("/kiosk/accessible", test_accessible);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
