/* test-staff-seal.c: what staff see of sealed consents
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 15 in the records window, in Chinese as staff read it: a kiosk
 * with [signing] (a PKCS#12 seal and the in-process TSA of
 * tests/ck-test-tsa.h). Two consents stored by the kiosk's flow: one
 * sealed with a trusted time, one sealed while the TSA answered HTTP 500.
 * The window says who seals, that one consent waits for a timestamp and
 * that the chain is not anchored; the first consent's detail says it is
 * sealed and timestamped. With the TSA back, 立即锚定 (Anchor Now) finishes
 * the waiting consent and anchors the chain, and the window says so; the
 * store agrees. (A kiosk without [signing] saying its consents are not
 * sealed is tests/ui/test-staff.c's.) */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-record-detail.h"
#include "ck-staff-window.h"
#include "ck-test-tsa.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)
#define OPERATOR "柜员 0042"

static CkApplication *app;
static char *tmp_dir;
static char *data_dir;
static char *pki;
static CkTestTsa *tsa;
static char *waited_uuid;

typedef struct
{
  GtkWidget *widget;
  char *text;
  gboolean absent;     /* wait until no label holds it */
} TextWait;

static gboolean
label_holds (GtkWidget  *widget,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) && strstr (gtk_label_get_text (labels->pdata[i]), text))
      return TRUE;

  return FALSE;
}

static gboolean
text_wait_done (gpointer data)
{
  TextWait *wait = data;

  return label_holds (wait->widget, wait->text) != wait->absent;
}

static void
wait_for_text (GtkWidget  *widget,
               const char *text,
               gboolean    absent,
               const char *what)
{
  TextWait wait = { widget, (char *)text, absent };

  ck_ui_wait_until (text_wait_done, &wait, 30, what);
}

/* The part of a translated format before its first conversion. */
static char *
format_prefix (const char *format)
{
  const char *percent = strchr (format, '%');

  return g_strndup (format, percent ? (gsize)(percent - format) : strlen (format));
}

static CkConfig *
load_config (const char *contents)
{
  g_autofree char *conf = g_build_filename (tmp_dir, "maker.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);
  g_autoptr(GError) error = NULL;
  CkConfig *config;

  g_file_set_contents (conf, contents, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, conf, &error);
  g_assert_no_error (error);
  return config;
}

static char *
kiosk_conf (gboolean signing)
{
  return g_strdup_printf ("[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n"
                          "purpose = 身份核验\n"
                          "[kiosk]\ndata_dir = %1$s\nidle_timeout_s = 3600\n"
                          "[verification]\nprovider = none\n"
                          "%2$s%3$s%4$s%5$s%6$s",
                          data_dir,
                          signing ? "[signing]\nkey = " : "",
                          signing ? pki : "",
                          signing ? "/seal.p12\nca_file = " : "",
                          signing ? pki : "",
                          signing ? "/root.pem\n" : "");
}

static void
make_consents (void)
{
  g_autofree char *base = kiosk_conf (TRUE);
  g_autofree char *text = g_strdup_printf ("%skey_password_file = %s/seal.pass\ntsa_url = %s\n"
                                           "tsa_ca_file = %s/tsa-root.pem\ntsa_timeout_s = 5\n",
                                           base, pki, ck_test_tsa_get_url (tsa), pki);
  g_autoptr(CkConfig) config = load_config (text);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(CkConsentRecord) first = NULL;
  g_autoptr(CkConsentRecord) second = NULL;
  g_autoptr(GError) error = NULL;

  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  seal = ck_seal_new (config, &error);
  g_assert_no_error (error);

  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  first = ck_ui_store_sealed_consent (store, config, seal, "张三", "11010519491231002X");
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_HTTP_500);
  second = ck_ui_store_sealed_consent (store, config, seal, "李四", "110105198506151009");
  waited_uuid = g_strdup (second->uuid);
}

static gboolean
has_two_rows (gpointer data)
{
  return g_list_model_get_n_items (ck_staff_window_get_records (data)) == 2;
}

static gboolean
staff_window_gone (gpointer data)
{
  return ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW) == NULL;
}

static void
test_sealed (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkConfig *config = ck_application_get_config (app, NULL);
  CkSealQueue *seal_queue = ck_application_get_seal_queue (app, NULL);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed_by = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *not_anchored = NULL;
  g_autofree char *anchored = NULL;
  g_autofree char *timestamped = NULL;
  CkStaffWindow *records;
  GtkWidget *detail;

  g_assert_nonnull (seal_queue);
  seal = ck_seal_queue_dup_seal (seal_queue);
  g_assert_nonnull (seal);
  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (config, store);
  records = ck_staff_window_new (GTK_WINDOW (window), store, queue, config, OPERATOR, FALSE);
  ck_staff_window_set_seal_queue (records, seal_queue);
  gtk_window_present (GTK_WINDOW (records));

  /* Who seals, what waits, and no anchor yet (the TSA still fails). */
  sealed_by = g_strdup_printf (T ("Sealed by %s."), ck_seal_get_signer (seal));
  waiting = g_strdup_printf (T ("Waiting: %u to seal, %u to timestamp."), 0, 1);
  not_anchored = g_strdup (T ("The chain is not anchored yet."));
  wait_for_text (GTK_WIDGET (records), sealed_by, FALSE, "who seals");
  wait_for_text (GTK_WIDGET (records), waiting, FALSE, "one consent waiting for a timestamp");
  wait_for_text (GTK_WIDGET (records), not_anchored, FALSE, "the chain not anchored");

  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-seal-waiting"));

  /* The TSA is back: staff anchor now. */
  ck_test_tsa_set_mode (tsa, CK_TEST_TSA_GOOD);
  ck_ui_click (GTK_WIDGET (records), T ("Anchor Now"));
  anchored = format_prefix (T ("Chain last anchored %s."));
  wait_for_text (GTK_WIDGET (records), anchored, FALSE, "the chain anchored");
  wait_for_text (GTK_WIDGET (records), waiting, TRUE, "nothing waiting");
  /* The consent that waited: its detail says sealed, with a time now (its
   * document timestamp). */
  detail = ck_staff_window_get_detail (records);
  ck_ui_wait_until (has_two_rows, records, 30, "the two consents listed");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CkRecordItem) item = g_list_model_get_item (ck_staff_window_get_records (records), i);

      if (g_strcmp0 (ck_record_item_get_uuid (item), waited_uuid) == 0)
        gtk_single_selection_set_selected (ck_staff_window_get_selection (records), i);
    }
  g_assert_cmpstr (ck_record_detail_get_consent (CK_RECORD_DETAIL (detail)), ==, waited_uuid);
  {
    /* What stands between the signer and the time: "sealed …, timestamped at". */
    g_auto(GStrv) parts = g_strsplit (T ("Sealed by %s, timestamped at %s"), "%s", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 3);
    timestamped = g_strdup (parts[1]);
    g_test_message ("waiting for the detail to say “%s”", timestamped);
  }
  wait_for_text (detail, timestamped, FALSE, "the detail: sealed and timestamped");
  ck_ui_wait_for_frames (GTK_WIDGET (records), 30);

  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-seal"));

  /* The store agrees: nothing waits, the head is anchored, check clean. */
  {
    g_autofree char *head_hash = NULL;
    g_autofree char *at = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    gint64 head = 0, anchored_seq = 0, anchor_seq = 0;
    guint n_seal = 9, n_timestamp = 9;

    g_assert_true (ck_store_count_seal_jobs (store, &n_seal, &n_timestamp, &error));
    g_assert_cmpuint (n_seal + n_timestamp, ==, 0);
    g_assert_true (ck_store_get_anchor_state (store, &head, &head_hash, &anchored_seq, &anchor_seq, &at, &error));
    g_assert_cmpint (anchor_seq, ==, head);
    ck_store_set_trust (store, ck_config_get_signing_ca_file (config), ck_config_get_tsa_ca_file (config));
    problems = ck_store_check (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (records));
  ck_ui_wait_until (staff_window_gone, NULL, 10, "the records closed");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  ck_ui_ignore_desktop_services ();
  ck_ui_as_customers_see_it ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-staff-seal-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);
  pki = g_build_filename (tmp_dir, "pki", NULL);
  ck_init ();
  ck_test_make_pki (pki, NULL);
  tsa = ck_test_tsa_start (pki);
  make_consents ();

  base = kiosk_conf (TRUE);
  contents = g_strdup_printf ("%skey_password_file = %s/seal.pass\ntsa_url = %s\n"
                              "tsa_ca_file = %s/tsa-root.pem\ntsa_timeout_s = 5\n",
                              base, pki, ck_test_tsa_get_url (tsa), pki);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/staff-seal/sealed", test_sealed);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_tsa_stop (tsa);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&data_dir, g_free);
  g_clear_pointer (&pki, g_free);
  g_clear_pointer (&waited_uuid, g_free);

  return status;
}
