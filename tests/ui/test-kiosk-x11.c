/* test-kiosk-x11.c: a customer at the kiosk, with real X input only
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Everything the customer does goes through the X server as xdotool
 * sends it: taps on buttons, the mouse wheel on the letter, keys typed into
 * the name, taps on the ID keypad, the signature drawn with mouse drags.
 * Verification goes to the HTTPS mock of the API (tests/mock-idcert), not
 * the demo. At the end: a stored, intact consent whose record holds
 * exactly the signature drawn, whose PDF is exactly the letter with that
 * name, number, date and signature, verified by one request to the mock;
 * and after Done, a clean welcome page. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-result-page.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

#define NAME      "张三"
#define ID_NUMBER "11010519491231002X"

static CkApplication *app;
static char *tmp_dir;
static CkTestMock *mock;

static void
tap_button (CkWindow   *window,
            const char *page,
            const char *label)
{
  GtkButton *button = ck_ui_find_button (ck_ui_page (window, page), label);

  if (button == NULL)
    g_error ("no button “%s” on the %s page", label, page);
  ck_ui_tap (GTK_WIDGET (button));
}

static void
enter_details (CkWindow *window)
{
  GtkEditable *name = ck_ui_name_entry (window);
  GtkEditable *id = ck_ui_id_entry (window);
  GtkWidget *details = ck_ui_page (window, "details");
  char key[2] = { 0 };

  /* The name on the keyboard, the number on the keypad. */
  ck_ui_tap (GTK_WIDGET (name));
  ck_ui_type (GTK_WIDGET (name), NAME);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, NAME);

  ck_ui_tap (GTK_WIDGET (id));
  for (const char *p = ID_NUMBER; *p; p++)
    {
      GtkButton *button;

      key[0] = *p;
      button = ck_ui_find_button (details, key);
      g_assert_nonnull (button);
      ck_ui_tap (GTK_WIDGET (button));
    }
  g_assert_cmpstr (gtk_editable_get_text (id), ==, ID_NUMBER);
}

/* Two strokes with mouse drags; returns the signature as drawn. */
static GBytes *
sign (CkWindow *window)
{
  CkSignaturePad *pad = ck_ui_signature_pad (window);
  int width = gtk_widget_get_width (GTK_WIDGET (pad));
  int height = gtk_widget_get_height (GTK_WIDGET (pad));
  double wave[2 * 50];
  double stroke[2 * 15];
  g_autoptr(CkSignature) drawn = NULL;

  for (guint i = 0; i < 50; i++)
    {
      wave[2 * i] = width * (0.2 + 0.6 * i / 49.0);
      wave[2 * i + 1] = height * (0.55 + 0.12 * sin (i / 2.5));
    }
  for (guint i = 0; i < 15; i++)
    {
      stroke[2 * i] = width * (0.3 + 0.05 * i / 14.0);
      stroke[2 * i + 1] = height * (0.2 + 0.5 * i / 14.0);
    }
  ck_ui_draw_stroke (GTK_WIDGET (pad), wave, 50);
  ck_ui_draw_stroke (GTK_WIDGET (pad), stroke, 15);
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (pad), ==, 2);

  drawn = ck_signature_pad_dup_signature (pad);
  return ck_signature_serialize (drawn);
}

/* The PDF the flow would render for @record: the default letter, the
 * organisation's values, the customer's, the date, and @signature. */
static GBytes *
render_again (CkFontSet             *fonts,
              const CkConsentRecord *record,
              CkSignature           *signature)
{
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (record->created_at, NULL);
  g_autoptr(GDate) date = g_date_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *year = NULL, *month = NULL, *day = NULL;
  CkPdfRequest request = { 0 };
  GBytes *pdf;

  template = ck_template_new_default (&error);
  g_assert_no_error (error);
  g_assert_true (ck_date_parse (record->sign_date, date));
  year = g_strdup_printf ("%d", g_date_get_year (date));
  month = g_strdup_printf ("%d", g_date_get_month (date));
  day = g_strdup_printf ("%d", g_date_get_day (date));

  request.template = template;
  request.values[CK_TEMPLATE_FIELD_COMPANY] = record->org_name;
  request.values[CK_TEMPLATE_FIELD_BUSINESS] = record->org_business;
  request.values[CK_TEMPLATE_FIELD_PURPOSE] = record->org_purpose;
  request.values[CK_TEMPLATE_FIELD_NAME] = record->name;
  request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = record->id_number;
  request.values[CK_TEMPLATE_FIELD_YEAR] = year;
  request.values[CK_TEMPLATE_FIELD_MONTH] = month;
  request.values[CK_TEMPLATE_FIELD_DAY] = day;
  request.signature = signature;
  request.consent_id = record->uuid;
  request.kiosk_id = record->kiosk_id;
  request.organization = record->org_name;
  request.created = created;
  request.demo = record->demo;

  pdf = ck_pdf_render (fonts, &request, &error);
  g_assert_no_error (error);
  return pdf;
}

static void
test_customer (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStore *store = ck_application_get_store (app, NULL);
  CkFontSet *fonts = ck_application_get_fonts (app, NULL);
  CkVerifyQueue *queue = ck_application_get_verify_queue (app, NULL);
  g_autoptr(CkFlow) flow = NULL;
  g_autoptr(GBytes) drawn = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkSignature) signed_signature = NULL;
  g_autoptr(CkSignature) other = ck_sample_signature_new (90);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) with_other = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) requests = NULL;
  const CkVerifyAttempt *attempt;
  guint before = ck_test_mock_count_requests (mock);

  /* The result page waits for the tap however long the checks below take
   * (its countdown home is tested in test-elderly). */
  ck_result_page_set_return_after (CK_RESULT_PAGE (ck_ui_page (window, "result")), 0);

  g_assert_cmpint (ck_store_count (store, NULL), ==, 0);

  tap_button (window, "welcome", T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  flow = g_object_ref (ck_window_get_flow (window));

  ck_ui_read_letter (window);
  tap_button (window, "letter", T ("Next"));
  ck_ui_wait_for_page (window, "details", 5);

  enter_details (window);
  tap_button (window, "details", T ("Next"));
  ck_ui_wait_for_page (window, "signature", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_DETAILS_VALID);

  drawn = sign (window);
  tap_button (window, "signature", T ("Next"));
  ck_ui_wait_for_page (window, "review", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_SIGNED);

  tap_button (window, "review", T ("Confirm and sign"));
  ck_ui_wait_until (ck_ui_flow_is_done, flow, 60, "the save and the verification");
  ck_ui_wait_for_page (window, "result", 10);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), "kiosk-x11-result"));

  /* One consent, as signed. */
  g_assert_cmpint (ck_store_count (store, NULL), ==, 1);
  record = ck_store_lookup_intact (store, ck_flow_get_consent_id (flow), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->name, ==, NAME);
  g_assert_cmpstr (record->id_number, ==, ID_NUMBER);
  g_assert_false (record->demo);
  g_assert_true (g_bytes_equal (record->signature, drawn));

  /* Its PDF is the letter with exactly that signature: rendered again from
   * the record it is the same bytes, and with another signature it is not. */
  pdf = ck_store_read_pdf (store, record, &error);
  g_assert_no_error (error);
  signed_signature = ck_signature_deserialize (record->signature, &error);
  g_assert_no_error (error);
  again = render_again (fonts, record, signed_signature);
  g_assert_true (g_bytes_equal (pdf, again));
  with_other = render_again (fonts, record, other);
  g_assert_false (g_bytes_equal (pdf, with_other));

  /* Verified by the mock: one request, after the save, with this number. */
  requests = ck_test_mock_read_requests (mock);
  g_assert_cmpuint (g_strv_length (requests), ==, before + 1);
  g_assert_nonnull (strstr (requests[before], "idCard=" ID_NUMBER));
  verification = ck_verify_queue_lookup (queue, record->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_false (verification->demo);
  g_assert_cmpuint (verification->attempts->len, ==, 1);
  attempt = verification->attempts->pdata[0];
  g_assert_cmpstr (attempt->provider, ==, "aliyun-idcert");
  g_assert_cmpuint (attempt->http_status, ==, 200);
  g_assert_cmpint (ck_result_page_get_state (CK_RESULT_PAGE (ck_ui_page (window, "result"))), ==,
                   CK_VERIFY_STATE_VERIFIED);
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "result"), verification->customer_message));

  /* Done, tapped: the next customer finds nothing of this one. */
  tap_button (window, "result", T ("Back to Home"));
  ck_ui_wait_for_page (window, "welcome", 5);
  g_assert_cmpint (ck_flow_get_state (flow), ==, CK_FLOW_STATE_IDLE);
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_name_entry (window)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (ck_ui_id_entry (window)), ==, "");
  g_assert_true (ck_signature_pad_get_empty (ck_ui_signature_pad (window)));
  g_assert_null (ck_ui_find_label (GTK_WIDGET (window), NAME));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  ck_ui_as_customers_see_it ();

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-kiosk-x11-XXXXXX", &error);
  g_assert_no_error (error);
  ck_test_mock_clear_env ();
  mock = ck_test_mock_start (tmp_dir);
  g_setenv ("CK_APPCODE", CK_TEST_APPCODE, TRUE);

  /* A temporary data directory; the verification service at the mock. */
  endpoint = ck_test_mock_endpoint (mock, mock->good_port, NULL);
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s/data\n"
                              "[verification]\n"
                              "provider = aliyun-idcert\n"
                              "endpoint = %s\n"
                              "ca_file = %s/ca.pem\n",
                              tmp_dir, endpoint, mock->cert_dir);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/kiosk-x11/customer", test_customer);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
