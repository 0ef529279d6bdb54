/* test-staff-sync.c: what staff see of the central archive's sync
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 16 in the records window, in Chinese as staff read it, without a
 * PostgreSQL server: the kiosk's [central] url names a Unix socket
 * directory where none listens, so every sync fails at once, as when the
 * branch's network is down. The store holds five consents, each with a
 * billed call of the paid package, and the organisation's usage as the
 * archive last counted it (78 billed calls of 3 kiosks).
 *
 * Staff open the records through the staff dialog (the PIN): the sync's
 * row says nothing was synced and how many records wait, and that the
 * kiosk tries again; the usage is the organisation's (78 and this kiosk's
 * 5 not sent: 17 of 100 left, under a fifth: the warning), saying so.
 * Sync Now, tapped with xdotool, fails and says why. Once the failure is
 * older than [central] warn_after_s (its start written two hours back in
 * the store's SQLite), the next Sync Now turns the row into the warning,
 * with how long and the last error; nothing else in the window moved. A
 * store whose link the archive holds otherwise (a conflict) shows the
 * error, telling staff to call IT; a kiosk without [central] shows no
 * sync row and its own count. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-staff-dialog.h"
#include "ck-staff-window.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)
#define PIN       "246810"
#define OPERATOR  "柜员 0042"
#define N_CONSENTS 5
#define CENTRAL_URL "postgresql://k@/consents?host=/nonexistent"
#define ORGANIZATION "[organization]\nname = 示例银行股份有限公司\nbusiness = 个人贷款\n" \
                     "purpose = 身份核验\n"

static const char * const names[N_CONSENTS] = { "张三", "李四", "王五", "赵六", "孙七" };

static CkApplication *app;
static char *tmp_dir;
static char *data_dir;

/* --- finding text ------------------------------------------------------------ */

typedef struct
{
  GtkWidget *widget;
  const char *text;
} TextWait;

static GtkLabel *
label_holding (GtkWidget  *widget,
               const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) && strstr (gtk_label_get_text (labels->pdata[i]), text))
      return labels->pdata[i];

  return NULL;
}

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return label_holding (wait->widget, wait->text) != NULL;
}

static GtkLabel *
wait_for_text (GtkWidget  *widget,
               const char *text,
               const char *what)
{
  TextWait wait = { widget, text };

  g_test_message ("waiting for “%s”", text);
  ck_ui_wait_until (text_shown, &wait, 30, what);

  return label_holding (widget, text);
}

/* The part of a translated format before its first conversion. */
static char *
format_prefix (const char *format)
{
  const char *percent = strchr (format, '%');

  return g_strndup (format, percent ? (gsize)(percent - format) : strlen (format));
}

static char *
records_waiting (gint64 n)
{
  g_autofree char *number = g_strdup_printf ("%lld", (long long)n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record waiting", "%s records waiting", n),
                          number);
}

/* The box the label is in: where the state's style goes. */
static gboolean
box_has_class (GtkLabel   *label,
               const char *name)
{
  return gtk_widget_has_css_class (gtk_widget_get_parent (GTK_WIDGET (label)), name);
}

/* --- the store --------------------------------------------------------------- */

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

/* A valid ID number, different for each @i. */
static char *
make_id_number (guint i)
{
  g_autofree char *first17 = g_strdup_printf ("11010519850615%03u", 100 + 7 * i);

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

/* The service answered "not matched" for @uuid: a billed call. */
static void
bill_call (CkStore    *store,
           const char *uuid)
{
  g_autoptr(CkVerifyAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;

  attempt = ck_store_begin_attempt (store, uuid, "aliyun-idcert", g_get_real_time () / 1000, 60 * 1000, &error);
  g_assert_no_error (error);
  g_free (attempt->outcome);
  attempt->outcome = g_strdup ("not-matched");
  attempt->http_status = 200;
  attempt->duration_ms = 240;
  attempt->request_id = g_strdup_printf ("TEST-REQUEST-%s", uuid);
  g_assert_true (ck_store_finish_attempt (store, attempt, 0, &error));
  g_assert_no_error (error);
}

/* In @dir: @n consents, each with a billed call. */
static CkStore *
make_store (const char *dir,
            guint       n)
{
  g_autoptr(CkConfig) config = load_config (ORGANIZATION "[verification]\nprovider = none\n");
  g_autoptr(GError) error = NULL;
  CkStore *store = ck_store_open (dir, CK_STORE_OPEN_RECOVER, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id_number = make_id_number (i);
      g_autoptr(CkConsentRecord) record = ck_ui_store_consent (store, config, names[i], id_number);

      bill_call (store, record->uuid);
    }

  return store;
}

static void
make_kiosk_store (void)
{
  g_autoptr(CkStore) store = make_store (data_dir, N_CONSENTS);
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_store_note_org_usage (store, 78, 0, 3, &error));
  g_assert_no_error (error);
}

/* The links of the kiosk's store: none was received, all wait. */
static gint64
read_pending (void)
{
  g_autoptr(CkStore) store = NULL;
  g_auto(CkSyncStatus) status = { 0 };
  g_autoptr(GError) error = NULL;

  store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (ck_store_get_sync_status (store, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status.receipt_seq, ==, 0);
  g_assert_cmpint (status.pending, ==, status.head_seq);
  g_assert_cmpint (status.pending, >=, 2 * N_CONSENTS);

  return status.pending;
}

/* The sync has failed since @ago, as a kiosk cut off that long would
 * have it: written in the store's database by another connection. */
static void
fail_since (GTimeSpan ago)
{
  g_autofree char *path = g_build_filename (data_dir, "consents.db", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add (now, -ago);
  g_autofree char *at = g_date_time_format (then, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *sql = g_strdup_printf ("UPDATE sync_state SET failing_since = '%s' WHERE id = 1", at);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
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
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
staff_window_gone (gpointer data)
{
  return ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW) == NULL;
}

/* The lock button, the PIN and the operator, then Records: the records
 * window as the kiosk makes it. */
static CkStaffWindow *
open_records (CkWindow *window)
{
  CkStaffDialog *dialog;
  CkStaffWindow *records;

  gtk_widget_activate (ck_ui_find_staff_button (GTK_WIDGET (window)));
  ck_ui_wait_until (has_staff_dialog, NULL, 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), PIN);
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_until (is_unlocked, dialog, 10, "the right PIN accepted");
  gtk_editable_set_text (ck_staff_dialog_get_operator (dialog), OPERATOR);
  ck_ui_click (GTK_WIDGET (dialog), T ("Records"));

  ck_ui_wait_until (has_staff_window, NULL, 10, "the records window");
  records = CK_STAFF_WINDOW (ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW));
  while (!gtk_widget_get_mapped (GTK_WIDGET (records)))
    g_main_context_iteration (NULL, TRUE);
  /* Kiosk mode: the records fill the screen. */
  ck_ui_wait_until (is_fullscreen, records, 10, "the records full screen");

  return records;
}

/* Where the controls are: none may move when the row's text changes. */
typedef struct
{
  graphene_rect_t sync_button;
  graphene_rect_t usage;
  graphene_rect_t list;
  graphene_rect_t seal;
} Layout;

static graphene_rect_t
bounds (GtkWidget *widget,
        GtkWidget *window)
{
  graphene_rect_t rect;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &rect));
  return rect;
}

static void
read_layout (GtkWidget  *window,
             GtkLabel   *usage,
             GtkLabel   *seal,
             Layout     *layout)
{
  ck_ui_wait_for_frames (window, 3);
  layout->sync_button = bounds (GTK_WIDGET (ck_ui_find_button (window, T ("Sync Now"))), window);
  layout->usage = bounds (GTK_WIDGET (usage), window);
  layout->list = bounds (ck_ui_find_descendant (window, GTK_TYPE_COLUMN_VIEW), window);
  layout->seal = bounds (GTK_WIDGET (seal), window);
}

static void
assert_same_rect (const graphene_rect_t *a,
                  const graphene_rect_t *b,
                  const char            *what)
{
  if (!graphene_rect_equal (a, b))
    g_error ("%s moved: %.0f,%.0f %.0f×%.0f → %.0f,%.0f %.0f×%.0f", what,
             a->origin.x, a->origin.y, a->size.width, a->size.height,
             b->origin.x, b->origin.y, b->size.width, b->size.height);
}

static void
assert_same_layout (const Layout *a,
                    const Layout *b)
{
  assert_same_rect (&a->sync_button, &b->sync_button, "Sync Now");
  assert_same_rect (&a->usage, &b->usage, "the usage");
  assert_same_rect (&a->list, &b->list, "the list");
  assert_same_rect (&a->seal, &b->seal, "the seal's line");
}

static gboolean
button_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

/* Sync Now, tapped; waits until its answer came and the button is back. */
static void
sync_now (CkStaffWindow *records)
{
  GtkWidget *button = GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (records), T ("Sync Now")));
  g_autofree char *failed = format_prefix (T ("The sync failed: %s"));
  GtkLabel *toast;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  /* Laid out where it stays: the window is full screen by now. */
  ck_ui_wait_for_frames (GTK_WIDGET (records), 3);
  ck_ui_tap (button);
  toast = wait_for_text (GTK_WIDGET (records), failed, "Sync Now's answer");
  g_test_message ("Sync Now: %s", gtk_label_get_text (toast));
  /* It says why: the archive cannot be reached. */
  g_assert_cmpuint (strlen (gtk_label_get_text (toast)), >, strlen (failed) + 10);
  ck_ui_wait_until (button_sensitive, button, 30, "Sync Now back");
}

/* --- the tests ---------------------------------------------------------------- */

static void
test_failing (void)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autofree char *waiting = NULL;
  g_autofree char *not_synced = NULL;
  g_autofree char *retrying = g_strdup (T ("The last try failed; the kiosk tries again by itself."));
  g_autofree char *used = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *kiosks = NULL;
  g_autofree char *failed_for = NULL;
  g_autofree char *two_hours = NULL;
  g_autofree char *warning_text = NULL;
  GtkLabel *sync_label;
  GtkLabel *usage_label;
  GtkLabel *seal_label;
  CkStaffWindow *records;
  Layout before, after;
  gint64 pending;

  /* The consents, their calls' seals, and the staff PIN's events. */
  records = open_records (window);
  pending = read_pending ();
  waiting = records_waiting (pending);
  not_synced = g_strdup_printf (T ("Central archive: not synced yet, %s."), waiting);

  /* Nothing synced, every record waiting, and the kiosk retrying: not yet
   * a warning. */
  sync_label = wait_for_text (GTK_WIDGET (records), not_synced, "the records waiting");
  wait_for_text (GTK_WIDGET (records), retrying, "the sync failing, retried");
  g_assert_false (box_has_class (sync_label, "warning"));
  g_assert_false (box_has_class (sync_label, "error"));

  /* The organisation's usage: 78 + 5 of 100, 17 left, under a fifth. */
  used = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s call used; %s left.",
                                       "%s of %s calls used; %s left.", 100),
                          "83", "100", "17");
  usage_label = wait_for_text (GTK_WIDGET (records), used, "the organisation's usage");
  kiosks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u kiosk", "%u kiosks", 3), 3);
  {
    g_autofree char *prefix = format_prefix (T ("Organisation-wide: %s, counted just now."));

    organisation = g_strconcat (prefix, kiosks, NULL);
  }
  g_assert_nonnull (strstr (gtk_label_get_text (usage_label), organisation));
  g_assert_nonnull (strstr (gtk_label_get_text (usage_label),
                            T ("Less than a fifth of the verification package is left: order more calls "
                               "now.")));
  g_assert_true (box_has_class (usage_label, "warning"));
  seal_label = wait_for_text (GTK_WIDGET (records), T ("Consents are not sealed: their PDFs carry no "
                                                       "electronic seal ([signing] is not configured)."),
                              "the seal's line");

  /* Sync Now: it fails, and says why; still no warning. */
  sync_now (records);
  g_assert_false (box_has_class (sync_label, "warning"));
  g_assert_nonnull (strstr (gtk_label_get_text (sync_label), not_synced));
  read_layout (GTK_WIDGET (records), usage_label, seal_label, &before);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-sync-pending"));

  /* Failing for two hours, longer than warn_after_s (an hour): the next
   * run keeps when it started failing and the row warns, with how long,
   * what waits and why. */
  fail_since (2 * G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_SECOND);
  sync_now (records);
  two_hours = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", 2), 2);
  failed_for = g_strdup_printf (T ("Sync with the central archive has failed for %s (%s): %s"),
                                two_hours, waiting, "");
  sync_label = wait_for_text (GTK_WIDGET (records), failed_for, "the sync's warning");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (sync_label), failed_for));
  warning_text = g_strdup (gtk_label_get_text (sync_label));
  g_test_message ("the warning: %s", warning_text);
  g_assert_cmpuint (strlen (warning_text), >, strlen (failed_for) + 10);
  g_assert_true (box_has_class (sync_label, "warning"));
  g_assert_false (box_has_class (sync_label, "error"));

  /* Nothing else moved. */
  read_layout (GTK_WIDGET (records), usage_label, seal_label, &after);
  assert_same_layout (&before, &after);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-sync-warning"));

  /* The store agrees: failing since two hours, nothing received. */
  {
    g_autoptr(CkStore) store = NULL;
    g_auto(CkSyncStatus) status = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GDateTime) since = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    g_assert_true (ck_store_get_sync_status (store, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status.receipt_seq, ==, 0);
    g_assert_cmpint (status.pending, ==, pending);
    g_assert_nonnull (status.failing_since);
    g_assert_nonnull (status.last_error);
    g_assert_nonnull (strstr (warning_text, status.last_error));
    since = g_date_time_new_from_iso8601 (status.failing_since, NULL);
    g_assert_cmpint (g_date_time_difference (now, since), >=, 2 * G_TIME_SPAN_HOUR);
  }

  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, NULL, 10, "the records closed");
}

/* A records window over @dir with @config, as the kiosk opens it but
 * without a sync queue (no Sync Now, no background run). */
static CkStaffWindow *
open_directly (const char *dir,
               CkConfig   *config)
{
  CkWindow *window = CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkVerifyQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  CkStaffWindow *records;

  store = ck_store_open (dir, CK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (config, store);
  records = ck_staff_window_new (GTK_WINDOW (window), store, queue, config, OPERATOR, FALSE);
  gtk_window_present (GTK_WINDOW (records));
  while (!gtk_widget_get_mapped (GTK_WIDGET (records)))
    g_main_context_iteration (NULL, TRUE);

  return records;
}

static void
test_conflict (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "conflict", NULL);
  g_autofree char *conf = g_strdup_printf (ORGANIZATION "[kiosk]\ndata_dir = %s\nidle_timeout_s = 3600\n"
                                           "[verification]\nprovider = none\npackage_size = 100\n"
                                           "[central]\nurl = " CENTRAL_URL "\n", dir);
  g_autoptr(CkConfig) config = load_config (conf);
  g_autofree char *says = NULL;
  g_autofree char *prefix = NULL;
  CkStaffWindow *records;
  GtkLabel *sync_label;

  /* The archive holds link 2 otherwise: the sync noted the conflict. */
  {
    g_autoptr(CkStore) store = make_store (dir, 2);
    g_autoptr(GError) error = NULL;

    g_assert_true (ck_store_note_sync_failure (store, "The central archive holds another link 2 than this "
                                                      "kiosk's chain.", 2, &error));
    g_assert_no_error (error);
  }

  records = open_directly (dir, config);
  says = g_strdup_printf (T ("The central archive holds record %lld otherwise than this kiosk: the sync "
                             "has stopped. Call IT now; do not purge consents."), 2LL);
  sync_label = wait_for_text (GTK_WIDGET (records), says, "the conflict");
  g_assert_true (box_has_class (sync_label, "error"));
  g_assert_false (box_has_class (sync_label, "warning"));
  /* No queue given: no Sync Now. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (records),
                                                                         T ("Sync Now")))));
  /* No count from the archive yet: this kiosk's, saying so. */
  wait_for_text (GTK_WIDGET (records), T ("This kiosk only: the central archive has not counted the "
                                          "organisation's calls yet."), "this kiosk's usage");
  g_free (ck_ui_save_screenshot (GTK_WIDGET (records), "staff-sync-conflict"));
  gtk_window_destroy (GTK_WINDOW (records));
  ck_ui_wait_until (staff_window_gone, NULL, 10, "the records closed");

  /* Without [central]: no sync row, this kiosk's count. */
  {
    g_autofree char *plain_conf = g_strdup_printf (ORGANIZATION "[kiosk]\ndata_dir = %s\n"
                                                   "idle_timeout_s = 3600\n[verification]\nprovider = none\n"
                                                   "package_size = 100\n", dir);
    g_autoptr(CkConfig) plain = load_config (plain_conf);

    records = open_directly (dir, plain);
    wait_for_text (GTK_WIDGET (records), T ("This kiosk only."), "this kiosk's usage");
    ck_ui_wait_for_frames (GTK_WIDGET (records), 3);
    prefix = format_prefix (T ("Central archive: not synced yet, %s."));
    g_assert_null (label_holding (GTK_WIDGET (records), prefix));
    g_assert_null (label_holding (GTK_WIDGET (records), T ("The central archive holds record")));
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (ck_ui_find_button (GTK_WIDGET (records),
                                                                          T ("Sync Now")))));
    gtk_window_destroy (GTK_WINDOW (records));
    ck_ui_wait_until (staff_window_gone, NULL, 10, "the records closed");
  }
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
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-staff-sync-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);
  ck_init ();
  make_kiosk_store ();

  hash = ck_pin_hash (PIN, CK_PIN_MIN_ITERATIONS, &error);
  g_assert_no_error (error);
  contents = g_strdup_printf (ORGANIZATION
                              "[kiosk]\n"
                              "data_dir = %s\n"
                              "kiosk_mode = true\n"
                              "staff_pin_hash = %s\n"
                              "idle_timeout_s = 3600\n"
                              "[verification]\n"
                              "provider = none\n"
                              "package_size = 100\n"
                              "[central]\n"
                              "url = " CENTRAL_URL "\n"
                              "warn_after_s = 3600\n",
                              data_dir, hash);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/staff-sync/failing", test_failing);
  g_test_add_func ("/staff-sync/conflict", test_conflict);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&data_dir, g_free);

  return status;
}
