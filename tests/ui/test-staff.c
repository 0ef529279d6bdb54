/* test-staff.c: staff find, reveal, reprint, withdraw and export consents
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A kiosk in kiosk mode with a staff PIN over a store of 30 consents
 * made through the core (distinct names, 张三 and 李四 among them, sign
 * dates over three months, one verified by the demo provider). Staff
 * open the staff dialog, give the PIN and who they are, and open the
 * records: the list shows all 30; a name prefix, an ID number's tail, a
 * date range and a state each narrow it to exactly the consents they
 * should; a selected row's detail shows it; revealing the ID number is an
 * event with the operator; a reprint reaches a private CUPS (as root);
 * a withdrawal is an event in the chain, shows in the row, leaves the
 * store's check clean and makes the verification queue refuse the
 * consent; an export writes the filtered rows with no whole ID number;
 * Close goes back to the customer's welcome page, and so does walking
 * away (the idle timeout), forgetting the search. Without a keyboard
 * (kiosk mode opens the on-screen one): 张 tapped in pinyin, an ID
 * number's tail tapped on the keypad, a date tapped on the keypad and a
 * day picked on the calendar, each narrowing the list. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck.h"
#include "ck-flow-private.h"
#include "ck-verify-queue-private.h"
#include "ck-application.h"
#include "ck-keypad.h"
#include "ck-name-input.h"
#include "ck-pinyin-keyboard.h"
#include "ck-record-detail.h"
#include "ck-staff-dialog.h"
#include "ck-staff-window.h"
#include "ck-test-cups.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)
#define PIN       "246810"
#define OPERATOR  "柜员 0042"
#define N_CONSENTS 30
/* Consents the paid service answered "not matched" for, and the package. */
#define FIRST_BILLED 18
#define N_BILLED 9
#define PACKAGE_SIZE 10

static const char * const names[N_CONSENTS] = {
  "张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十", "张伟", "李娜",
  "王芳", "刘洋", "陈静", "杨帆", "黄磊", "赵丽", "周杰", "吴昊", "徐明", "孙悦",
  "胡军", "朱琳", "高峰", "林涛", "何平", "郭靖", "马超", "罗兰", "梁晨", "张敏",
};

typedef struct
{
  char *uuid;
  char *name;
  char *id_number;
  char *sign_date;
} Made;

static CkApplication *app;
static char *tmp_dir;
static char *data_dir;
static CkTestCups *cups;
static Made made[N_CONSENTS];
static guint verified_index;

/* --- the consents, made through the core ----------------------------------- */

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

/* A valid ID number, different for each @i (the last four characters
 * too). */
static char *
make_id_number (guint i)
{
  g_autofree char *first17 = g_strdup_printf ("11010519850615%03u", 100 + 7 * i);

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

/* Answers the service gave for the consents from @first on: "not
 * matched", HTTP 200, each a billed call of the paid package. */
static void
bill_calls (CkStore *store,
            guint    first,
            guint    n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(CkVerifyAttempt) attempt = NULL;
      g_autoptr(GError) error = NULL;
      gint64 now_ms = g_get_real_time () / 1000;

      attempt = ck_store_begin_attempt (store, made[i].uuid, "aliyun-idcert", now_ms, 60 * 1000,
                                        &error);
      g_assert_no_error (error);
      g_free (attempt->outcome);
      attempt->outcome = g_strdup ("not-matched");
      attempt->http_status = 200;
      attempt->duration_ms = 240;
      attempt->request_id = g_strdup_printf ("TEST-REQUEST-%02u", i);
      g_assert_true (ck_store_finish_attempt (store, attempt, 0, &error));
      g_assert_no_error (error);
    }
}

static void
make_consents (void)
{
  g_autoptr(CkConfig) plain = NULL;
  g_autoptr(CkConfig) demo = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(CkTemplate) template = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  const char *organization = "[organization]\nname = 示例银行股份有限\n"
                             "business = 个人贷款\npurpose = 身份核验和风险管理\n";
  g_autofree char *plain_conf = g_strconcat (organization, "[verification]\nprovider = none\n", NULL);
  g_autofree char *demo_conf = g_strconcat (organization, "[verification]\nprovider = demo\n", NULL);

  plain = load_config (plain_conf);
  demo = load_config (demo_conf);
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  template = ck_template_new_default (&error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (demo, store);
  verified_index = 1;   /* 李四 */

  for (guint i = 0; i < N_CONSENTS; i++)
    {
      gboolean verify = i == verified_index;
      g_autoptr(CkFlow) flow = ck_flow_new (verify ? demo : plain, store, fonts);
      g_autoptr(CkSignature) signature = ck_sample_signature_new (300);
      g_autoptr(GDateTime) start = g_date_time_new_local (2026, 1, 5, 9, 30, 0);
      g_autoptr(GDateTime) now = g_date_time_add_full (start, 0, 0, 3 * i, i % 8, 7 * i, 0);
      g_autoptr(CkConsentRecord) record = NULL;

      made[i].name = g_strdup (names[i]);
      made[i].id_number = make_id_number (i);
      ck_flow_set_now (flow, now);
      ck_flow_set_operator (flow, "kiosk");
      g_assert_true (ck_flow_show (flow, template, &error));
      g_assert_true (ck_flow_agree (flow, TRUE, TRUE, &error));
      g_assert_true (ck_flow_set_details (flow, names[i], made[i].id_number, &error));
      g_assert_no_error (error);
      g_assert_true (ck_flow_set_signature (flow, signature, &error));
      record = ck_flow_save (flow, NULL, &error);
      g_assert_no_error (error);
      made[i].uuid = g_strdup (record->uuid);
      made[i].sign_date = g_strdup (record->sign_date);

      if (verify)
        {
          g_autoptr(CkVerification) verification = ck_flow_verify (flow, queue, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_VERIFIED);
        }
    }

  /* The real service answered for nine of them: nine of the package's
   * ten calls are used. */
  bill_calls (store, FIRST_BILLED, N_BILLED);
}

static void
made_clear (void)
{
  for (guint i = 0; i < N_CONSENTS; i++)
    {
      g_free (made[i].uuid);
      g_free (made[i].name);
      g_free (made[i].id_number);
      g_free (made[i].sign_date);
    }
}

static guint
find_made (const char *uuid)
{
  for (guint i = 0; i < N_CONSENTS; i++)
    if (g_strcmp0 (made[i].uuid, uuid) == 0)
      return i;

  g_error ("a consent the test did not make: %s", uuid);
}

/* --- driving the UI ----------------------------------------------------------- */

static gboolean
has_staff_dialog (gpointer data)
{
  return ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG) != NULL;
}

static gboolean
is_unlocked (gpointer data)
{
  return ck_staff_dialog_get_unlocked (CK_STAFF_DIALOG (data));
}

static gboolean
has_staff_window (gpointer data)
{
  return ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW) != NULL;
}

static gboolean
staff_window_gone (gpointer data)
{
  return ck_window_get_staff_window (CK_WINDOW (data)) == NULL &&
         ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW) == NULL;
}

/* The lock button, the PIN and the operator, then Records. */
static CkStaffWindow *
open_records (CkWindow *window)
{
  CkStaffDialog *dialog;
  CkStaffWindow *records;

  gtk_widget_activate (ck_ui_find_staff_button (GTK_WIDGET (window)));
  ck_ui_wait_until (has_staff_dialog, NULL, 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));

  /* Records needs the PIN and who the staff member is. */
  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), PIN);
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_until (is_unlocked, dialog, 10, "the right PIN accepted");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (dialog),
                                                                            T ("Records")))));
  gtk_editable_set_text (ck_staff_dialog_get_operator (dialog), "  " OPERATOR " ");
  ck_ui_click (GTK_WIDGET (dialog), T ("Records"));

  ck_ui_wait_until (has_staff_window, NULL, 10, "the records window");
  records = CK_STAFF_WINDOW (ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW));
  g_assert_cmpstr (ck_staff_window_get_operator (records), ==, OPERATOR);
  g_assert_null (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  while (!gtk_widget_get_mapped (GTK_WIDGET (records)))
    g_main_context_iteration (NULL, TRUE);

  return records;
}

typedef struct
{
  CkStaffWindow *records;
  guint n;
} ListWait;

static gboolean
list_has (gpointer data)
{
  ListWait *wait = data;

  return !ck_staff_window_get_busy (wait->records) &&
         g_list_model_get_n_items (ck_staff_window_get_records (wait->records)) == wait->n;
}

/* Waits until the list's query answered with @n rows. */
static void
wait_for_rows (CkStaffWindow *records,
               guint          n,
               const char    *what)
{
  ListWait wait = { records, n };

  ck_ui_wait_until (list_has, &wait, 30, what);
  ck_ui_wait_for_frames (GTK_WIDGET (records), 2);
}

static CkRecordItem *
row (CkStaffWindow *records,
     guint          position)
{
  g_autoptr(CkRecordItem) item = g_list_model_get_item (ck_staff_window_get_records (records),
                                                        position);

  g_assert_nonnull (item);
  return item;   /* the model keeps it */
}

static guint
count_made (gboolean (*match) (const Made *made, gconstpointer data),
            gconstpointer data)
{
  guint n = 0;

  for (guint i = 0; i < N_CONSENTS; i++)
    n += match (&made[i], data);

  return n;
}

static gboolean
name_has_prefix (const Made    *m,
                 gconstpointer  prefix)
{
  return g_str_has_prefix (m->name, prefix);
}

typedef struct
{
  const char *since;
  const char *until;
} Range;

static gboolean
signed_in (const Made    *m,
           gconstpointer  data)
{
  const Range *range = data;

  return strcmp (m->sign_date, range->since) >= 0 && strcmp (m->sign_date, range->until) <= 0;
}

/* The text in @path holds none of the consents' whole ID numbers. */
static void
assert_no_whole_id (const char *text)
{
  for (guint i = 0; i < N_CONSENTS; i++)
    g_assert_null (strstr (text, made[i].id_number));
}

static gboolean
not_busy (gpointer data)
{
  return !ck_staff_window_get_busy (data);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
has_message_dialog (gpointer data)
{
  return ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* The message dialog on screen, once it is there. */
static AdwMessageDialog *
wait_for_message_dialog (const char *what)
{
  AdwMessageDialog *dialog;

  ck_ui_wait_until (has_message_dialog, NULL, 10, what);
  dialog = ADW_MESSAGE_DIALOG (ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);

  return dialog;
}

static gboolean
no_message_dialog (gpointer data)
{
  return !has_message_dialog (data);
}

typedef struct
{
  CkStore *store;
  const char *uuid;
  const char *kind;
} EventWait;

static CkStoreEvent *
find_event (EventWait *wait)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = ck_store_list_events (wait->store, wait->uuid, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      CkStoreEvent *event = events->pdata[i];

      if (g_str_equal (event->kind, wait->kind))
        {
          g_ptr_array_steal_index (events, i);
          return event;
        }
    }

  return NULL;
}

static gboolean
has_event (gpointer data)
{
  g_autoptr(CkStoreEvent) event = find_event (data);

  return event != NULL;
}

typedef struct
{
  GtkWidget *widget;
  const char *text;
} TextWait;

/* A label on screen below @widget whose text holds @text, or NULL. */
static GtkLabel *
find_text (GtkWidget  *widget,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        strstr (gtk_label_get_text (labels->pdata[i]), text))
      return labels->pdata[i];

  return NULL;
}

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;

  return find_text (wait->widget, wait->text) != NULL;
}

/* No stack below @data is moving from one page to another. */
static gboolean
stacks_still (gpointer data)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  ck_ui_collect (data, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (stacks->pdata[i]))
      return FALSE;

  return TRUE;
}

/* Selects the row at @position; its consent's detail shows. */
static void
select_row (CkStaffWindow *records,
            guint          position)
{
  GtkWidget *detail = ck_staff_window_get_detail (records);
  CkRecordItem *item = row (records, position);
  TextWait name = { detail, ck_record_item_get_name (item) };

  gtk_single_selection_set_selected (ck_staff_window_get_selection (records), position);
  g_assert_cmpstr (ck_record_detail_get_consent (CK_RECORD_DETAIL (detail)), ==,
                   ck_record_item_get_uuid (item));
  ck_ui_wait_until (shows_text, &name, 10, "the selected consent's detail");
  ck_ui_wait_until (stacks_still, detail, 10, "the detail shown");
}

/* Revealing the whole ID number: asked first, recorded with the
 * operator, then shown. */
static void
reveal (GtkWidget *detail,
        CkStore   *store,
        guint      index)
{
  EventWait wait = { store, made[index].uuid, "reveal" };
  TextWait whole = { detail, made[index].id_number };
  g_autoptr(CkStoreEvent) event = NULL;
  AdwMessageDialog *dialog;

  g_assert_false (shows_text (&whole));
  g_assert_false (has_event (&wait));
  ck_ui_click (detail, T ("Show Full ID Number"));
  dialog = wait_for_message_dialog ("the question before the ID number is shown");
  ck_ui_click (GTK_WIDGET (dialog), T ("Show and Record"));
  ck_ui_wait_until (has_event, &wait, 10, "the reveal recorded");
  ck_ui_wait_until (shows_text, &whole, 10, "the whole ID number shown");
  event = find_event (&wait);
  g_assert_cmpstr (event->operator_name, ==, OPERATOR);
  g_assert_nonnull (strstr (event->detail, "id_number"));
  ck_ui_wait_until (no_message_dialog, NULL, 10, "the question gone");
}

/* Reprinting sends the stored PDF to the configured printer. */
static void
reprint (GtkWidget *detail,
         CkStore   *store,
         guint      index)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *stored = NULL;

  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_message ("reprint not tried: %s", ck_test_cups_get_skip_reason (cups));
      return;
    }

  record = ck_store_lookup (store, made[index].uuid, &error);
  g_assert_no_error (error);
  stored = g_build_filename (data_dir, record->pdf_path, NULL);
  ck_ui_click (detail, T ("Reprint"));
  printed = ck_test_cups_wait_for_pdf (cups, 120);
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, ck_test_pdf_pages (stored));
  g_assert_cmpuint (ck_test_cups_count_jobs (cups), ==, 1);
}

static gboolean
row_withdrawn (gpointer data)
{
  CkStaffWindow *records = data;
  CkRecordItem *item = g_list_model_get_n_items (ck_staff_window_get_records (records)) == 1
    ? g_list_model_get_item (ck_staff_window_get_records (records), 0) : NULL;
  gboolean withdrawn = item && ck_record_item_get_state (item) == CK_VERIFY_STATE_WITHDRAWN;

  g_clear_object (&item);
  return withdrawn;
}

/* The customer withdrew: an event in the chain, with the operator and the
 * note; the row says so; the chain checks; verification is refused. */
static void
withdraw (CkStaffWindow *records,
          GtkWidget     *detail,
          CkStore       *store,
          guint          index)
{
  const char *note = "客户到柜台书面撤回";
  EventWait wait = { store, made[index].uuid, "withdrawal" };
  g_autoptr(CkStoreEvent) withdrawal = NULL;
  g_autoptr(CkConfig) demo = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkTextView *view;

  ck_ui_click (detail, T ("Record Withdrawal…"));
  dialog = wait_for_message_dialog ("the withdrawal's question");
  view = GTK_TEXT_VIEW (ck_ui_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), note, -1);
  ck_ui_click (GTK_WIDGET (dialog), T ("Record Withdrawal"));
  ck_ui_wait_until (has_event, &wait, 10, "the withdrawal recorded");

  withdrawal = ck_store_lookup_withdrawal (store, made[index].uuid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (withdrawal);
  g_assert_cmpstr (withdrawal->operator_name, ==, OPERATOR);
  g_assert_nonnull (strstr (withdrawal->detail, note));

  /* The row says so, in the list's own words; it stays selected, its
   * detail on screen. */
  ck_ui_wait_until (row_withdrawn, records, 10, "the row withdrawn");
  g_assert_cmpuint (gtk_single_selection_get_selected (ck_staff_window_get_selection (records)),
                    ==, 0);
  g_assert_cmpstr (ck_record_detail_get_consent (CK_RECORD_DETAIL (detail)), ==,
                   made[index].uuid);
  ck_ui_wait_for_frames (GTK_WIDGET (records), 2);
  g_assert_nonnull (ck_ui_find_label (ck_ui_find_descendant (GTK_WIDGET (records),
                                                             GTK_TYPE_COLUMN_VIEW),
                                      T ("Withdrawn")));
  gtk_drop_down_set_selected (ck_staff_window_get_state_filter (records),
                              ck_staff_window_state_position (CK_VERIFY_STATE_WITHDRAWN));
  wait_for_rows (records, 1, "the withdrawn consent");
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, 0)), ==, made[index].uuid);
  gtk_drop_down_set_selected (ck_staff_window_get_state_filter (records), 0);

  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  demo = load_config ("[verification]\nprovider = demo\n");
  queue = ck_verify_queue_new (demo, store);
  verification = ck_verify_queue_verify (queue, made[index].uuid, CK_VERIFY_AGAIN, NULL, &error);
  g_assert_error (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN);
  g_assert_null (verification);
}

/* Export: the rows the list shows, no whole ID number; a file that
 * cannot be written says why. */
static void
export (CkStaffWindow *records)
{
  g_autofree char *path = g_build_filename (tmp_dir, "export.csv", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "no-such-folder", "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  guint n_rows = 0;

  gtk_editable_set_text (ck_staff_window_get_search (records), "张");
  wait_for_rows (records, count_made (name_has_prefix, "张"), "the consents of 张");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (records), "staff.export-to", "(ss)",
                                             "csv", path));
  ck_ui_wait_until (file_exists, path, 30, "the export written");
  ck_ui_wait_until (not_busy, records, 30, "the export done");
  /* Kiosk mode: a dialog says where it went. */
  dialog = wait_for_message_dialog ("where the export went");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, T ("Exported"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
  ck_ui_click (GTK_WIDGET (dialog), T ("Close"));
  ck_ui_wait_until (no_message_dialog, NULL, 10, "the message closed");
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  assert_no_whole_id (contents);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (lines[i][0] != '\0')
      n_rows++;
  g_assert_cmpuint (n_rows, ==, count_made (name_has_prefix, "张"));
  for (guint i = 0; i < N_CONSENTS; i++)
    {
      g_autofree char *masked = ck_idcard_mask_number (made[i].id_number);

      g_assert_cmpint (strstr (contents, made[i].name) != NULL, ==,
                       g_str_has_prefix (made[i].name, "张"));
      g_assert_cmpint (strstr (contents, masked) != NULL, ==,
                       g_str_has_prefix (made[i].name, "张"));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (records), "staff.export-to", "(ss)",
                                             "csv", bad));
  dialog = wait_for_message_dialog ("the export's failure");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, T ("The Export Failed"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "no-such-folder"));
  ck_ui_click (GTK_WIDGET (dialog), T ("Close"));
  ck_ui_wait_until (no_message_dialog, NULL, 10, "the failure closed");
  gtk_editable_set_text (ck_staff_window_get_search (records), "");
  wait_for_rows (records, N_CONSENTS, "all consents again");
}

static gboolean
has_label (gpointer data)
{
  GtkWindow *records = ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW);

  return records && ck_ui_find_label (GTK_WIDGET (records), data) != NULL;
}

static void
test_records (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CkStaffWindow *records;
  GtkWidget *detail;
  guint n;

  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* Kiosk mode: no keyboard shortcut to the records. */
  g_assert_true (ck_window_get_kiosk_mode (window));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (app), "records"));

  records = open_records (window);
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (records)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (records)));
  gtk_window_close (GTK_WINDOW (records));
  ck_ui_wait_for_frames (GTK_WIDGET (records), 2);
  g_assert_true (has_staff_window (NULL));

  /* Everything, newest first. */
  wait_for_rows (records, N_CONSENTS, "all consents listed");
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, 0)), ==, made[N_CONSENTS - 1].uuid);
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, N_CONSENTS - 1)), ==, made[0].uuid);
  for (guint i = 0; i < N_CONSENTS; i++)
    {
      CkRecordItem *item = row (records, i);
      const Made *m = &made[find_made (ck_record_item_get_uuid (item))];
      g_autofree char *masked = ck_idcard_mask_number (m->id_number);

      g_assert_cmpstr (ck_record_item_get_name (item), ==, m->name);
      g_assert_cmpstr (ck_record_item_get_masked_id (item), ==, masked);
      g_assert_cmpstr (ck_record_item_get_sign_date (item), ==, m->sign_date);
    }
  {
    g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u consent",
                                                           "%'u consents", N_CONSENTS),
                                              N_CONSENTS);

    g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (records), count));
  }

  /* Nine of the package's ten calls used: a warning. */
  {
    g_autoptr(CkUsage) usage = NULL;
    g_autofree char *summary = NULL;
    TextWait shown = { GTK_WIDGET (records), NULL };
    TextWait warning = { GTK_WIDGET (records), T ("Less than a fifth of the verification "
                                                  "package is left: order more calls now.") };
    GtkLabel *label;

    usage = ck_usage_compute (store, ck_application_get_config (app, NULL), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (usage->billable, ==, N_BILLED);
    g_assert_cmpuint (usage->package_size, ==, PACKAGE_SIZE);
    g_assert_true (usage->low);
    summary = ck_usage_dup_summary (usage);
    shown.text = summary;
    ck_ui_wait_until (shows_text, &shown, 10, "the package's use");
    ck_ui_wait_until (shows_text, &warning, 10, "the package's warning");
    label = find_text (GTK_WIDGET (records), summary);
    g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (GTK_WIDGET (label)),
                                             "warning"));
  }

  /* No [signing]: the window says the consents carry no seal. */
  {
    TextWait unsealed = { GTK_WIDGET (records), T ("Consents are not sealed: their PDFs carry no "
                                                   "electronic seal ([signing] is not configured).") };

    ck_ui_wait_until (shows_text, &unsealed, 10, "consents not sealed");
  }

  /* A name prefix. */
  gtk_editable_set_text (ck_staff_window_get_search (records), "张");
  n = count_made (name_has_prefix, "张");
  g_assert_cmpuint (n, ==, 3);
  wait_for_rows (records, n, "the consents of 张");
  for (guint i = 0; i < n; i++)
    g_assert_true (g_str_has_prefix (ck_record_item_get_name (row (records, i)), "张"));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-search"));

  /* An ID number's last four characters: exactly one. */
  gtk_editable_set_text (ck_staff_window_get_search (records),
                         made[2].id_number + strlen (made[2].id_number) - 4);
  wait_for_rows (records, 1, "the consent of one ID number");
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, 0)), ==, made[2].uuid);

  /* Nothing: the list says so. */
  gtk_editable_set_text (ck_staff_window_get_search (records), "欧阳");
  wait_for_rows (records, 0, "no consent of 欧阳");
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (records), T ("No Consents Match")));
  gtk_editable_set_text (ck_staff_window_get_search (records), "");
  wait_for_rows (records, N_CONSENTS, "all consents again");

  /* A date range; a date that is not one says so and changes nothing. */
  {
    Range range = { "2026-02-01", "2026-02-28" };
    g_autofree char *message = NULL;

    message = g_strdup_printf (T ("“%s” is not a date. Enter it as year-month-day, "
                                  "e.g. 2026-03-01."), "2026-02-30");
    gtk_editable_set_text (ck_staff_window_get_since (records), range.since);
    gtk_editable_set_text (ck_staff_window_get_until (records), "2026-02-30");
    ck_ui_wait_until (has_label, message, 10, "the wrong date refused");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ck_staff_window_get_until (records)),
                                             "error"));
    g_assert_false (ck_staff_window_get_busy (records));
    g_assert_cmpuint (g_list_model_get_n_items (ck_staff_window_get_records (records)), ==,
                      N_CONSENTS);

    gtk_editable_set_text (ck_staff_window_get_until (records), range.until);
    n = count_made (signed_in, &range);
    g_assert_cmpuint (n, >, 0);
    g_assert_cmpuint (n, <, N_CONSENTS);
    wait_for_rows (records, n, "the consents of February");
    g_assert_null (ck_ui_find_label (GTK_WIDGET (records), message));
    for (guint i = 0; i < n; i++)
      g_assert_true (signed_in (&made[find_made (ck_record_item_get_uuid (row (records, i)))],
                                &range));
    gtk_editable_set_text (ck_staff_window_get_since (records), "");
    gtk_editable_set_text (ck_staff_window_get_until (records), "");
    wait_for_rows (records, N_CONSENTS, "all consents again");
  }

  /* A state: the one the demo verified. */
  gtk_drop_down_set_selected (ck_staff_window_get_state_filter (records),
                              ck_staff_window_state_position (CK_VERIFY_STATE_VERIFIED));
  wait_for_rows (records, 1, "the verified consent");
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, 0)), ==, made[verified_index].uuid);
  g_assert_cmpint (ck_record_item_get_state (row (records, 0)), ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_true (ck_record_item_get_demo (row (records, 0)));
  g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (records), T ("DEMO")));
  gtk_drop_down_set_selected (ck_staff_window_get_state_filter (records),
                              ck_staff_window_state_position (CK_VERIFY_STATE_NOT_MATCHED));
  wait_for_rows (records, N_BILLED, "the consents not matched");
  for (guint i = 0; i < N_BILLED; i++)
    {
      guint index = find_made (ck_record_item_get_uuid (row (records, i)));

      g_assert_cmpuint (index, >=, FIRST_BILLED);
      g_assert_cmpuint (index, <, FIRST_BILLED + N_BILLED);
    }
  gtk_drop_down_set_selected (ck_staff_window_get_state_filter (records), 0);
  wait_for_rows (records, N_CONSENTS, "all consents again");

  /* A row selected: its detail. */
  detail = ck_staff_window_get_detail (records);
  select_row (records, 0);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-records"));

  gtk_editable_set_text (ck_staff_window_get_search (records), "张三");
  wait_for_rows (records, 1, "张三");
  g_assert_null (ck_record_detail_get_consent (CK_RECORD_DETAIL (detail)));
  select_row (records, 0);
  g_assert_cmpstr (ck_record_detail_get_consent (CK_RECORD_DETAIL (detail)), ==, made[0].uuid);

  reveal (detail, store, 0);
  reprint (detail, store, 0);
  withdraw (records, detail, store, 0);
  export (records);

  /* Close: back to the customer's welcome page. */
  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, window, 10, "the records closed");
  ck_ui_wait_for_page (window, "welcome", 10);
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (window)));
}

/* Staff walk away: the records close themselves; opened again, the
 * search is gone. */
static void
test_idle (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStaffWindow *records = open_records (window);

  gtk_editable_set_text (ck_staff_window_get_search (records), "李");
  wait_for_rows (records, count_made (name_has_prefix, "李"), "the consents of 李");
  gtk_single_selection_set_selected (ck_staff_window_get_selection (records), 0);
  ck_staff_window_set_idle_timeout (records, 1);
  ck_ui_wait_until (staff_window_gone, window, 30, "the records closed after the idle timeout");
  ck_ui_wait_for_page (window, "welcome", 10);

  records = open_records (window);
  g_assert_cmpstr (gtk_editable_get_text (ck_staff_window_get_search (records)), ==, "");
  wait_for_rows (records, N_CONSENTS, "all consents");
  g_assert_null (ck_record_detail_get_consent (CK_RECORD_DETAIL (ck_staff_window_get_detail (records))));
  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, window, 10, "the records closed");
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && stacks_still (gtk_widget_get_root (data));
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
keyboard_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

typedef struct
{
  GtkWidget *widget;
  const char *label;
} ButtonWait;

static gboolean
has_button (gpointer data)
{
  ButtonWait *wait = data;
  GtkButton *button = ck_ui_find_button (wait->widget, wait->label);

  return button && gtk_widget_get_mapped (GTK_WIDGET (button));
}

/* Taps the keys labelled with @text's characters, one by one. */
static void
tap_keys (GtkWidget  *input,
          const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      g_autofree char *key = g_utf8_substring (p, 0, 1);

      ck_ui_click (input, key);
    }
}

/* The menu button beside @entry whose popover holds a calendar. */
static GtkMenuButton *
calendar_button (GtkEditable *entry)
{
  for (GtkWidget *w = gtk_widget_get_next_sibling (GTK_WIDGET (entry)); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_MENU_BUTTON (w))
      return GTK_MENU_BUTTON (w);

  g_error ("no calendar button beside the date");
}

/* The calendar's label for @day of the month shown. */
static GtkWidget *
calendar_day (GtkCalendar *calendar,
              const char  *day)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (calendar), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "day-number") &&
        !gtk_widget_has_css_class (labels->pdata[i], "other-month") &&
        g_str_equal (gtk_label_get_text (labels->pdata[i]), day))
      return labels->pdata[i];

  g_error ("no day %s on the calendar", day);
}

static gboolean
signed_since (const Made    *m,
              gconstpointer  since)
{
  return strcmp (m->sign_date, since) >= 0;
}

/* A touchscreen without a keyboard: everything tapped on the on-screen
 * keyboard and the calendar. */
static void
test_touch (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStaffWindow *records = open_records (window);
  GtkEditable *search = ck_staff_window_get_search (records);
  GtkEditable *since = ck_staff_window_get_since (records);
  GtkWidget *name_input = ck_ui_find_descendant (GTK_WIDGET (records), CK_TYPE_NAME_INPUT);
  GtkWidget *keypad = ck_ui_find_descendant (GTK_WIDGET (records), CK_TYPE_KEYPAD);
  GtkWidget *revealer = gtk_widget_get_ancestor (name_input, GTK_TYPE_REVEALER);
  GtkButton *toggle = ck_ui_find_button (GTK_WIDGET (records), T ("Keyboard"));
  const char *id_tail = made[2].id_number + strlen (made[2].id_number) - 4;
  ButtonWait zhang = { name_input, "张" };
  GtkMenuButton *since_button;
  GtkPopover *popover;
  GtkCalendar *calendar;
  g_autoptr(GDateTime) shown = NULL;
  guint n;

  wait_for_rows (records, N_CONSENTS, "all consents");

  /* Kiosk mode: the keyboard is open, under the filters, for the search
   * (which has the focus): its toggle is a touch target. */
  g_assert_nonnull (toggle);
  g_assert_nonnull (revealer);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  ck_ui_wait_until (keyboard_shown, revealer, 10, "the keyboard open");
  ck_ui_wait_until (widget_mapped, name_input, 10, "the name input for the search");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (toggle)), >=, 56);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (toggle)), >=, 56);
  g_assert_true (ck_name_input_get_target (CK_NAME_INPUT (name_input)) == search);

  /* 张 in pinyin (the mode it opens in: shorter than the pad, it leaves the
   * list more rows): z h a n g, then the candidate. */
  g_assert_cmpint (ck_name_input_get_mode (CK_NAME_INPUT (name_input)), ==,
                   CK_NAME_INPUT_MODE_PINYIN);
  tap_keys (name_input, "zhang");
  ck_ui_wait_until (has_button, &zhang, 10, "张 among the candidates");
  /* Tapped where the next frame lays the new candidate out. */
  ck_ui_wait_for_frames (GTK_WIDGET (records), 2);
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (name_input, "张")));
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "张");
  n = count_made (name_has_prefix, "张");
  wait_for_rows (records, n, "the consents of 张, tapped");
  for (guint i = 0; i < n; i++)
    g_assert_true (g_str_has_prefix (ck_record_item_get_name (row (records, i)), "张"));
  /* The list stays usable under the keyboard: every row it found shows. */
  for (guint i = 0; i < n; i++)
    {
      TextWait name = { ck_ui_find_descendant (GTK_WIDGET (records), GTK_TYPE_COLUMN_VIEW),
                        ck_record_item_get_name (row (records, i)) };

      ck_ui_wait_until (shows_text, &name, 10, "the row on screen");
    }
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-keyboard"));

  /* Digits for an ID number's tail: the keypad, with its X. */
  ck_ui_click (name_input, T ("Clear"));
  ck_ui_click (GTK_WIDGET (records), T ("Digits"));
  ck_ui_wait_until (widget_mapped, keypad, 10, "the keypad for the search");
  g_assert_true (ck_keypad_get_editable (CK_KEYPAD (keypad)) == search);
  g_assert_true (ck_keypad_get_show_x (CK_KEYPAD (keypad)));
  tap_keys (keypad, id_tail);
  g_assert_cmpstr (gtk_editable_get_text (search), ==, id_tail);
  wait_for_rows (records, 1, "the consent of the ID number's tail, tapped");
  g_assert_cmpstr (ck_record_item_get_uuid (row (records, 0)), ==, made[2].uuid);
  ck_ui_click (keypad, T ("Clear"));
  wait_for_rows (records, N_CONSENTS, "all consents again");

  /* A date on the keypad (no X; the dashes come by themselves). */
  ck_ui_tap (GTK_WIDGET (since));
  ck_ui_wait_until (widget_mapped, keypad, 10, "the keypad for the date");
  g_assert_true (ck_keypad_get_editable (CK_KEYPAD (keypad)) == since);
  g_assert_false (ck_keypad_get_show_x (CK_KEYPAD (keypad)));
  g_assert_false (gtk_widget_get_mapped (name_input));
  tap_keys (keypad, "20260201");
  g_assert_cmpstr (gtk_editable_get_text (since), ==, "2026-02-01");
  n = count_made (signed_since, "2026-02-01");
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, N_CONSENTS);
  wait_for_rows (records, n, "the consents since February, tapped");

  /* The calendar beside it opens on that date; a day tapped is the date. */
  since_button = calendar_button (since);
  popover = gtk_menu_button_get_popover (since_button);
  calendar = GTK_CALENDAR (ck_ui_find_descendant (GTK_WIDGET (popover), GTK_TYPE_CALENDAR));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (since_button)), >=, 56);
  ck_ui_tap (GTK_WIDGET (since_button));
  ck_ui_wait_until (widget_mapped, popover, 10, "the calendar");
  g_free (ck_ui_save_screenshot (GTK_WIDGET (popover), "staff-calendar"));
  shown = gtk_calendar_get_date (calendar);
  g_assert_cmpint (g_date_time_get_year (shown), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (shown), ==, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (since), ==, "2026-02-01");
  ck_ui_tap (calendar_day (calendar, "15"));
  g_assert_cmpstr (gtk_editable_get_text (since), ==, "2026-02-15");
  ck_ui_wait_until (widget_unmapped, popover, 10, "the calendar closed");
  n = count_made (signed_since, "2026-02-15");
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, count_made (signed_since, "2026-02-01"));
  wait_for_rows (records, n, "the consents since the day picked");
  for (guint i = 0; i < n; i++)
    g_assert_true (signed_since (&made[find_made (ck_record_item_get_uuid (row (records, i)))],
                                 "2026-02-15"));

  /* Clear in the calendar: any date again. */
  ck_ui_tap (GTK_WIDGET (since_button));
  ck_ui_wait_until (widget_mapped, popover, 10, "the calendar again");
  ck_ui_click (GTK_WIDGET (popover), T ("Clear"));
  g_assert_cmpstr (gtk_editable_get_text (since), ==, "");
  ck_ui_wait_until (widget_unmapped, popover, 10, "the calendar closed again");
  wait_for_rows (records, N_CONSENTS, "all consents after Clear");

  /* The toggle hides the keyboard. */
  ck_ui_tap (GTK_WIDGET (toggle));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  ck_ui_wait_until (widget_unmapped, keypad, 10, "the keyboard hidden");

  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, window, 10, "the records closed");
}

/* @data's X window has the size of its widget: not still resizing. */
static gboolean
surface_fits (gpointer data)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (data));

  return surface && gdk_surface_get_width (surface) >= gtk_widget_get_width (data) &&
         gdk_surface_get_height (surface) >= gtk_widget_get_height (data) &&
         stacks_still (data);
}

/* The staff dialog on a touchscreen (issue 17). The PIN comes first: half
 * typed on the X keyboard, half tapped on its keypad; none of it reaches
 * the operator's entry. Who the staff member is comes after the unlock,
 * by touch only: a staff number on the digits keypad, then 张 in pinyin;
 * Records opens with it, and no event of the audit log holds the PIN. */
static void
test_dialog_touch (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autoptr(CkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keypads = g_ptr_array_new ();
  CkStaffDialog *dialog;
  GtkEditable *pin, *operator_entry;
  GtkWidget *pin_keypad = NULL, *number_keypad = NULL, *name_input;
  GtkButton *records_button;
  GtkWidget *focus;
  ButtonWait zhang;
  CkStaffWindow *records;

  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  ck_ui_tap (ck_ui_find_staff_button (GTK_WIDGET (window)));
  ck_ui_wait_until (has_staff_dialog, NULL, 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  pin = ck_staff_dialog_get_pin (dialog);
  operator_entry = ck_staff_dialog_get_operator (dialog);
  ck_ui_wait_until (widget_mapped, pin, 10, "the PIN asked");

  /* The PIN has the focus; who the staff member is is not asked yet. */
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_true (focus == GTK_WIDGET (pin) || gtk_widget_is_ancestor (focus, GTK_WIDGET (pin)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (operator_entry)));
  ck_ui_collect (GTK_WIDGET (dialog), CK_TYPE_KEYPAD, keypads);
  for (guint i = 0; i < keypads->len; i++)
    if (ck_keypad_get_editable (keypads->pdata[i]) == pin)
      pin_keypad = keypads->pdata[i];
    else if (ck_keypad_get_editable (keypads->pdata[i]) == operator_entry)
      number_keypad = keypads->pdata[i];
  g_assert_nonnull (pin_keypad);
  g_assert_nonnull (number_keypad);
  g_assert_true (gtk_widget_get_mapped (pin_keypad));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (dialog), "staff-dialog-pin"));

  ck_ui_press_keys (GTK_WIDGET (dialog), "2 4 6");
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (pin_keypad, "8")));
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (pin_keypad, "1")));
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (pin_keypad, "0")));
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, PIN);
  g_assert_cmpstr (gtk_editable_get_text (operator_entry), ==, "");

  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (dialog), T ("Unlock"))));
  ck_ui_wait_until (is_unlocked, dialog, 10, "the PIN tapped and typed accepted");
  ck_ui_wait_until (widget_mapped, operator_entry, 10, "who the staff member is asked");
  /* The dialog grew to the name input: taps go where it now is. */
  ck_ui_wait_until (surface_fits, dialog, 30, "the dialog at its new size");
  g_assert_cmpstr (gtk_editable_get_text (operator_entry), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, "");
  records_button = ck_ui_find_button (GTK_WIDGET (dialog), T ("Records"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (records_button)));
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_true (focus == GTK_WIDGET (operator_entry) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (operator_entry)));

  /* A staff number on the digits keypad. */
  ck_ui_tap_until (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (dialog), T ("Staff Number"))),
                   widget_mapped, number_keypad, 10, "the keypad for the staff number");
  g_assert_false (ck_keypad_get_show_x (CK_KEYPAD (number_keypad)));
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (number_keypad, "4")));
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (number_keypad, "2")));
  g_assert_cmpstr (gtk_editable_get_text (operator_entry), ==, "42");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (records_button)));
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (number_keypad, T ("Clear"))));
  g_assert_cmpstr (gtk_editable_get_text (operator_entry), ==, "");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (records_button)));

  /* A name in pinyin: z h a n g, then the candidate. */
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (dialog), T ("Name"))));
  name_input = ck_ui_find_descendant (GTK_WIDGET (dialog), CK_TYPE_NAME_INPUT);
  ck_ui_wait_until (widget_mapped, name_input, 10, "the name input");
  g_assert_true (ck_name_input_get_target (CK_NAME_INPUT (name_input)) == operator_entry);
  if (ck_name_input_get_mode (CK_NAME_INPUT (name_input)) != CK_NAME_INPUT_MODE_PINYIN)
    ck_ui_tap (GTK_WIDGET (ck_ui_find_button (name_input, T ("Pinyin"))));
  for (const char *p = "zhang"; *p; p++)
    {
      char key[2] = { *p, '\0' };

      ck_ui_tap (GTK_WIDGET (ck_ui_find_button (name_input, key)));
    }
  zhang.widget = name_input;
  zhang.label = "张";
  ck_ui_wait_until (has_button, &zhang, 10, "张 among the candidates");
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
  ck_ui_tap (GTK_WIDGET (ck_ui_find_button (name_input, "张")));
  g_assert_cmpstr (gtk_editable_get_text (operator_entry), ==, "张");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (records_button)));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (dialog), "staff-dialog-name"));

  ck_ui_tap (GTK_WIDGET (records_button));
  ck_ui_wait_until (has_staff_window, NULL, 10, "the records window");
  records = CK_STAFF_WINDOW (ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW));
  g_assert_cmpstr (ck_staff_window_get_operator (records), ==, "张");
  while (!gtk_widget_get_mapped (GTK_WIDGET (records)))
    g_main_context_iteration (NULL, TRUE);
  wait_for_rows (records, N_CONSENTS, "all consents");

  /* The PIN is nowhere in the audit log. */
  for (guint i = 0; i < N_CONSENTS; i++)
    {
      g_autoptr(GPtrArray) all = ck_store_list_events (store, made[i].uuid, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < all->len; j++)
        {
          CkStoreEvent *event = all->pdata[j];

          g_assert_null (strstr (event->operator_name ? event->operator_name : "", PIN));
          g_assert_null (strstr (event->operator_name ? event->operator_name : "", "246"));
          g_assert_null (strstr (event->detail ? event->detail : "", PIN));
        }
    }

  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, window, 10, "the records closed");
}

/* An export in kiosk mode goes into [staff] export_dir, without a file
 * chooser; the records window does not close for idleness under it, and
 * says where the file went. The main loop is held until the file is
 * written and the idle time is over: the export ends after its deadline. */
static void
test_export_idle (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkStaffWindow *records = open_records (window);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("consents-%s.csv", date);
  g_autofree char *path = g_build_filename (tmp_dir, "stick", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkButton *close;
  gint64 start;

  wait_for_rows (records, N_CONSENTS, "all consents");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  ck_staff_window_set_idle_timeout (records, 1);
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (records), "staff.export", "s", "csv"));
  while (!g_file_test (path, G_FILE_TEST_EXISTS) ||
         g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC / 2)
    g_usleep (10000);

  dialog = wait_for_message_dialog ("where the export went");
  g_assert_true (has_staff_window (NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, T ("Exported"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
  g_assert_null (ck_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  assert_no_whole_id (contents);
  close = ck_ui_find_button (GTK_WIDGET (dialog), T ("Close"));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (close)), >=, 64);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (dialog), "staff-export-dialog"));
  ck_ui_tap (GTK_WIDGET (close));
  ck_ui_wait_until (no_message_dialog, NULL, 10, "the message read");

  /* Nothing runs any more: walked away from, the records close. */
  ck_ui_wait_until (staff_window_gone, window, 30, "the records closed after the idle timeout");
}

/* At a staffed desk (not kiosk mode) there is a keyboard: the on-screen
 * one starts closed, its toggle there to open it. */
static void
test_touch_desk (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  CkConfig *config = ck_application_get_config (app, NULL);
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  CkStaffWindow *records;
  GtkWidget *revealer;
  GtkButton *toggle;

  store = ck_store_open (data_dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (config, store);
  records = ck_staff_window_new (GTK_WINDOW (window), store, queue, config, OPERATOR, FALSE);
  gtk_window_present (GTK_WINDOW (records));
  wait_for_rows (records, N_CONSENTS, "all consents at the desk");
  toggle = ck_ui_find_button (GTK_WIDGET (records), T ("Keyboard"));
  revealer = gtk_widget_get_ancestor (ck_ui_find_descendant (GTK_WIDGET (records),
                                                             CK_TYPE_NAME_INPUT),
                                      GTK_TYPE_REVEALER);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_false (gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)));
  ck_ui_click (GTK_WIDGET (records), T ("Keyboard"));
  ck_ui_wait_until (keyboard_shown, revealer, 10, "the keyboard opened at the desk");
  gtk_window_destroy (GTK_WINDOW (records));
  ck_ui_wait_until (staff_window_gone, window, 10, "the desk's records closed");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  ck_ui_ignore_desktop_services ();
  ck_ui_as_customers_see_it ();
  cups = ck_test_cups_new ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-staff-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);
  ck_init ();
  make_consents ();

  if (ck_test_cups_get_skip_reason (cups) == NULL)
    ck_test_cups_start (cups);
  hash = ck_pin_hash (PIN, CK_PIN_MIN_ITERATIONS, &error);
  g_assert_no_error (error);
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s\n"
                              "kiosk_mode = true\n"
                              "staff_pin_hash = %s\n"
                              "idle_timeout_s = 3600\n"
                              "%s%s\n"
                              "[verification]\n"
                              "provider = none\n"
                              "package_size = %u\n"
                              "package_start = 2026-01-01\n"
                              "[staff]\n"
                              "export_dir = %s/stick\n",
                              data_dir, hash,
                              ck_test_cups_get_skip_reason (cups) ? "" : "printer = ",
                              ck_test_cups_get_skip_reason (cups) ? "" : ck_test_cups_get_printer (cups),
                              PACKAGE_SIZE, tmp_dir);
  {
    g_autofree char *stick = g_build_filename (tmp_dir, "stick", NULL);

    g_assert_cmpint (g_mkdir_with_parents (stick, 0700), ==, 0);
  }
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/staff/records", test_records);
  g_test_add_func ("/staff/idle", test_idle);
  g_test_add_func ("/staff/touch", test_touch);
  g_test_add_func ("/staff/touch-desk", test_touch_desk);
  g_test_add_func ("/staff/dialog-touch", test_dialog_touch);
  g_test_add_func ("/staff/export-idle", test_export_idle);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  g_clear_pointer (&cups, ck_test_cups_free);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&data_dir, g_free);
  made_clear ();

  return status;
}
