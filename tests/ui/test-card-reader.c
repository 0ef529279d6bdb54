/* test-card-reader.c: the ID card reader at the kiosk, with real X input
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A kiosk whose [card_reader] device is the simulated reader of
 * tests/ck-test-card-sim.h (a pseudo-terminal, synthetic cards). Every
 * tap and key goes through the X server (xdotool), as a customer's would:
 *
 *   /card-reader/card    the card laid on the reader fills name and number,
 *                        read-only and marked; the customer signs; the
 *                        stored consent says both came from the card;
 *   /card-reader/refused an expired card and one whose number disagrees
 *                        with its birth date are refused with what is wrong,
 *                        nothing filled; Enter by Hand types instead;
 *   /card-reader/broken  a reader that does not answer: the customer is told
 *                        to type, taps Enter by Hand, types, signs; the
 *                        consent says typed;
 *   /card-reader/staff   the staff window's line: the reader working with
 *                        its SAM id, then silent and what that means. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-card-panel.h"
#include "ck-details-page.h"
#include "ck-result-page.h"
#include "ck-staff-window.h"
#include "ck-test-card-sim.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

#define TYPED_NAME "张三"
#define TYPED_ID   "11010519491231002X"

static CkApplication *app;
static char *tmp_dir;
static CkTestCardSim *sim;

static void
tap_button (GtkWidget  *where,
            const char *label)
{
  GtkButton *button = ck_ui_find_button (where, label);

  if (button == NULL)
    g_error ("no button “%s”", label);
  ck_ui_tap (GTK_WIDGET (button));
}

static CkCardPanel *
card_panel (CkWindow *window)
{
  return ck_details_page_get_card_panel (CK_DETAILS_PAGE (ck_ui_page (window, "details")));
}

/* From welcome to the details page, the letter read and agreed. */
static CkFlow *
start_customer (CkWindow *window)
{
  CkFlow *flow;

  tap_button (ck_ui_page (window, "welcome"), T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  flow = g_object_ref (ck_window_get_flow (window));
  ck_ui_read_letter (window);
  tap_button (ck_ui_page (window, "letter"), T ("Next"));
  ck_ui_wait_for_page (window, "details", 5);

  return flow;
}

/* Signs with one stroke, confirms, and waits for the result. */
static void
sign_and_confirm (CkWindow *window,
                  CkFlow   *flow)
{
  CkSignaturePad *pad;
  double wave[2 * 40];
  int width, height;

  tap_button (ck_ui_page (window, "details"), T ("Next"));
  ck_ui_wait_for_page (window, "signature", 5);
  pad = ck_ui_signature_pad (window);
  width = gtk_widget_get_width (GTK_WIDGET (pad));
  height = gtk_widget_get_height (GTK_WIDGET (pad));
  for (guint i = 0; i < 40; i++)
    {
      wave[2 * i] = width * (0.2 + 0.6 * i / 39.0);
      wave[2 * i + 1] = height * (0.5 + 0.15 * sin (i / 2.5));
    }
  ck_ui_draw_on_pad (pad, wave, 40);
  tap_button (ck_ui_page (window, "signature"), T ("Next"));
  ck_ui_wait_for_page (window, "review", 5);
  tap_button (ck_ui_page (window, "review"), T ("Confirm and sign"));
  ck_ui_wait_until (ck_ui_flow_is_done, flow, 60, "the save and the verification");
  ck_ui_wait_for_page (window, "result", 10);
}

static CkConsentRecord *
stored_record (CkFlow *flow)
{
  CkStore *store = ck_application_get_store (app, NULL);
  g_autoptr(GError) error = NULL;
  CkConsentRecord *record;

  record = ck_store_lookup_intact (store, ck_flow_get_consent_id (flow), &error);
  g_assert_no_error (error);
  return record;
}

static void
back_home (CkWindow *window)
{
  tap_button (ck_ui_page (window, "result"), T ("Back to Home"));
  ck_ui_wait_for_page (window, "welcome", 5);
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, "");
}

static guint finds_wanted;

static gboolean
reader_looked_again (gpointer data)
{
  return ck_test_card_sim_count_requests (sim, 0x20, 0x01) >= finds_wanted;
}

/* Takes the card away and waits until the polling reader has seen the
 * reader empty: two finds after it (the first may have been under way). */
static void
take_card_away (CkWindow *window)
{
  finds_wanted = ck_test_card_sim_count_requests (sim, 0x20, 0x01) + 2;
  ck_test_card_sim_remove (sim);
  ck_ui_wait_until (reader_looked_again, window, 30, "the reader seeing the card gone");
}

static gboolean
name_filled (gpointer data)
{
  return gtk_editable_get_text (ck_ui_name_entry (data))[0] != '\0';
}

static const char *wanted_message;

static gboolean
panel_says (gpointer data)
{
  return strstr (ck_card_panel_get_message (card_panel (data)), wanted_message) != NULL;
}

static void
wait_for_message (CkWindow   *window,
                  const char *message)
{
  wanted_message = message;
  ck_ui_wait_until (panel_says, window, 30, message);
}

static void
test_card (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkFlow) flow = NULL;

  ck_result_page_set_return_after (CK_RESULT_PAGE (ck_ui_page (window, "result")), 0);
  ck_test_card_sim_remove (sim);
  flow = start_customer (window);

  /* Asked for the card, in the on-screen input's place. */
  g_assert_true (ck_details_page_get_asks_for_card (CK_DETAILS_PAGE (ck_ui_page (window, "details"))));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (card_panel (window))));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"),
                                      T ("Please lay your ID card on the card reader")));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-details-card-wait"));

  ck_test_card_sim_place (sim, CK_TEST_CARD_NORMAL);
  ck_ui_wait_until (name_filled, window, 30, "the card's name in the form");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "王试样");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, number);
  g_assert_false (gtk_editable_get_editable (ck_ui_name_entry (window)));
  g_assert_false (gtk_editable_get_editable (ck_ui_id_entry (window)));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"), T ("Read from the ID card")));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"), T ("Your ID card has been read")));
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-details-card-read"));

  /* A tap on the name and a key: the card's name stays. */
  ck_ui_tap (GTK_WIDGET (ck_ui_name_entry (window)));
  ck_ui_press_keys (GTK_WIDGET (ck_ui_name_entry (window)), "a");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "王试样");

  sign_and_confirm (window, flow);
  record = stored_record (flow);
  g_assert_cmpstr (record->name, ==, "王试样");
  g_assert_cmpstr (record->id_number, ==, number);
  g_assert_cmpstr (record->name_method, ==, "card");
  g_assert_cmpstr (record->id_method, ==, "card");
  back_home (window);
  ck_test_card_sim_remove (sim);
}

static void
test_refused (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autoptr(CkFlow) flow = NULL;

  ck_test_card_sim_remove (sim);
  flow = start_customer (window);

  /* Expired: refused with its date; nothing filled. */
  ck_test_card_sim_place (sim, CK_TEST_CARD_EXPIRED);
  wait_for_message (window, "2020");
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "details"), T ("This ID card cannot be used")));
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, "");
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-details-card-expired"));

  /* Taken away, another laid down whose number is not its birth date's. */
  take_card_away (window);
  ck_test_card_sim_place (sim, CK_TEST_CARD_BIRTH_MISMATCH);
  wait_for_message (window, T ("The details on this card could not be checked. Please tap Enter by "
                               "Hand, or ask a member of staff."));
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "");

  /* Typing instead. */
  tap_button (GTK_WIDGET (card_panel (window)), T ("Enter by Hand"));
  g_assert_false (ck_details_page_get_asks_for_card (CK_DETAILS_PAGE (ck_ui_page (window, "details"))));
  g_assert_true (gtk_editable_get_editable (ck_ui_name_entry (window)));
  ck_window_wipe (window);
  ck_ui_wait_for_page (window, "welcome", 5);
  ck_test_card_sim_remove (sim);
}

static void
test_broken (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  GtkWidget *details;
  GtkEditable *id;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkFlow) flow = NULL;
  char key[2] = { 0 };

  ck_result_page_set_return_after (CK_RESULT_PAGE (ck_ui_page (window, "result")), 0);
  ck_test_card_sim_set_fault (sim, CK_TEST_CARD_FAULT_NO_ANSWER);
  flow = start_customer (window);
  details = ck_ui_page (window, "details");

  wait_for_message (window, T ("The card reader is not working at the moment. Please tap Enter by "
                               "Hand, or ask a member of staff."));
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-details-card-broken"));

  tap_button (GTK_WIDGET (card_panel (window)), T ("Enter by Hand"));
  ck_ui_type (GTK_WIDGET (ck_ui_name_entry (window)), TYPED_NAME);
  id = ck_ui_id_entry (window);
  ck_ui_tap (GTK_WIDGET (id));
  for (const char *p = TYPED_ID; *p; p++)
    {
      key[0] = *p;
      ck_ui_tap (GTK_WIDGET (ck_ui_find_button (details, key)));
    }
  g_assert_cmpstr (gtk_editable_get_text (id), ==, TYPED_ID);
  sign_and_confirm (window, flow);
  record = stored_record (flow);
  g_assert_cmpstr (record->name, ==, TYPED_NAME);
  g_assert_cmpstr (record->name_method, ==, "typed");
  g_assert_cmpstr (record->id_method, ==, "typed");
  back_home (window);
  ck_test_card_sim_set_fault (sim, CK_TEST_CARD_FAULT_NONE);
}

static const char *wanted_text;

static gboolean
staff_line_says (gpointer data)
{
  return strstr (ck_staff_window_get_reader_text (data), wanted_text) != NULL;
}

/* The staff window's line about the reader: working, with its SAM id;
 * then, the reader silent, Check Reader (tapped) says what is wrong and
 * that customers type meanwhile. */
static void
test_staff (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStore *store = ck_application_get_store (app, NULL);
  CkVerifyQueue *queue = ck_application_get_verify_queue (app, NULL);
  CkConfig *config = ck_application_get_config (app, NULL);
  g_autoptr(CkCardReader) reader = ck_card_reader_new (ck_test_card_sim_get_path (sim),
                                                       CK_CARD_READER_DEFAULT_BAUD);
  CkStaffWindow *records;

  records = ck_staff_window_new (GTK_WINDOW (window), store, queue, config, "测试员", FALSE);
  ck_staff_window_set_card_reader (records, reader);
  gtk_window_present (GTK_WINDOW (records));
  wanted_text = "05.01-20101010-0012345678-1234567890";
  ck_ui_wait_until (staff_line_says, records, 30, "the reader working, with its SAM id");
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-card-reader"));

  ck_test_card_sim_set_fault (sim, CK_TEST_CARD_FAULT_NO_ANSWER);
  tap_button (GTK_WIDGET (records), T ("Check Reader"));
  wanted_text = T ("The ID card reader does not answer: check its cable and power, and that "
                   "[card_reader] baud is its speed.");
  ck_ui_wait_until (staff_line_says, records, 30, "the reader silent");
  g_assert_nonnull (strstr (ck_staff_window_get_reader_text (records), ck_test_card_sim_get_path (sim)));
  ck_test_card_sim_set_fault (sim, CK_TEST_CARD_FAULT_NONE);
  gtk_window_destroy (GTK_WINDOW (records));
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
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

  tmp_dir = g_dir_make_tmp ("test-card-reader-XXXXXX", &error);
  g_assert_no_error (error);
  g_unsetenv ("CK_APPCODE");
  sim = ck_test_card_sim_new ();
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s/data\n"
                              "[card_reader]\n"
                              "device = %s\n",
                              tmp_dir, ck_test_card_sim_get_path (sim));
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/card-reader/card", test_card);
  g_test_add_func ("/card-reader/refused", test_refused);
  g_test_add_func ("/card-reader/broken", test_broken);
  g_test_add_func ("/card-reader/staff", test_staff);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_card_sim_free (sim);
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
