/* test-record-detail.c: the staff window's detail of one consent
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* CkRecordDetail in a window of its own, over a temporary data directory
 * with three consents saved the way the kiosk saves them, verified by the
 * demo provider: the fields with the ID number masked (the whole number
 * nowhere in the widget), the first page's preview, showing the whole
 * number (recorded first, under the operator's name), recording a
 * withdrawal (in the hash chain; no more verification), retrying a
 * verification (another attempt; another paid call asks first), and
 * reprinting through a private CUPS (ck-test-cups.h), which a PDF changed
 * after signing never reaches. Screenshots: record-detail.png,
 * record-detail-revealed.png, record-detail-withdrawn.png. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "ck.h"
#include "ck-record-detail.h"
#include "ck-test-cups.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

#define OPERATOR "王芳"

static const struct {
  const char *name;
  const char *id_number;
  const char *birth;          /* the digits masking hides */
} customers[] = {
  { "张三", "11010519491231002X", "19491231" },
  { "李四", "440301198503151232", "19850315" },
  { "王五", "320102199001014564", "19900101" },
};

static CkTestCups *cups;
static char *tmp_dir;
static char *data_dir;
static CkConfig *config;
static CkStore *store;
static CkVerifyQueue *queue;
static char *uuids[G_N_ELEMENTS (customers)];

/* --- the consents ------------------------------------------------------------------ */

static void
write_config (const char *path,
              const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static CkConfig *
load_config (const char *contents)
{
  g_autofree char *path = g_build_filename (tmp_dir, "kiosk.conf", NULL);
  g_autoptr(GError) error = NULL;
  CkConfig *loaded;

  write_config (path, contents);
  loaded = ck_config_load (NULL, NULL, path, &error);
  g_assert_no_error (error);

  return loaded;
}

/* --- looking at the widget ----------------------------------------------------------- */

typedef struct
{
  GtkWindow *window;
  CkRecordDetail *detail;
  GPtrArray *changed;           /* uuids "changed" named */
} Fixture;

static void
on_changed (CkRecordDetail *detail,
            const char     *uuid,
            GPtrArray      *changed)
{
  g_ptr_array_add (changed, g_strdup (uuid));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 560, 800);
  f->detail = ck_record_detail_new (store, queue, config);
  gtk_window_set_child (f->window, GTK_WIDGET (f->detail));
  f->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->detail, "changed", G_CALLBACK (on_changed), f->changed);
  ck_ui_present_window (f->window, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_ptr_array_unref (f->changed);
}

/* Every text the widget shows or would say: labels, editables, tooltips. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (GTK_IS_EDITABLE (widget))
    g_ptr_array_add (texts, g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))));
  if (tooltip)
    g_ptr_array_add (texts, g_strdup (tooltip));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

/* Whether @text appears in any text of @widget's tree. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  collect_texts (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (strstr (texts->pdata[i], text))
      return TRUE;

  return FALSE;
}

/* The label showing exactly @text on screen (mapped), or NULL. */
static GtkLabel *
find_shown_label (CkRecordDetail *detail,
                  const char     *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (detail), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];

  return NULL;
}

static gboolean
is_sensitive (CkRecordDetail *detail,
              const char     *label)
{
  GtkButton *button = ck_ui_find_button (GTK_WIDGET (detail), label);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (GTK_WIDGET (button));
}

static gboolean
dialog_shown (gpointer data)
{
  return ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Answers the message dialog the last click opened with @response. */
static void
answer_dialog (const char *response)
{
  AdwMessageDialog *dialog;

  ck_ui_wait_until (dialog_shown, NULL, 10, "the confirmation");
  dialog = ADW_MESSAGE_DIALOG (ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static guint
count_events (const char *uuid,
              const char *kind,
              const char *operator_name)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  events = ck_store_list_events (store, uuid, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const CkStoreEvent *event = events->pdata[i];

      if (g_strcmp0 (event->kind, kind) == 0 &&
          g_strcmp0 (event->consent_uuid, uuid) == 0 &&
          (operator_name == NULL || g_strcmp0 (event->operator_name, operator_name) == 0))
        n++;
    }

  return n;
}

static CkVerification *
lookup_verification (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  CkVerification *verification = ck_verify_queue_lookup (queue, uuid, &error);

  g_assert_no_error (error);
  return verification;
}

static gboolean
preview_done (gpointer data)
{
  CkRecordDetail *detail = data;
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (detail), GTK_TYPE_SPINNER, spinners);
  for (guint i = 0; i < spinners->len; i++)
    if (gtk_spinner_get_spinning (spinners->pdata[i]) && gtk_widget_get_mapped (spinners->pdata[i]))
      return FALSE;

  return TRUE;
}

static GtkPicture *
preview_picture (CkRecordDetail *detail)
{
  return GTK_PICTURE (ck_ui_find_descendant (GTK_WIDGET (detail), GTK_TYPE_PICTURE));
}

/* The width / height of a PDF's first page, as pdfinfo says. */
static double
pdf_page_aspect (const char *path)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *size;
  double width = 0, height = 0;
  int status = 0;

  g_spawn_sync (NULL, (char *[]) { (char *)"pdfinfo", (char *)path, NULL }, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  size = strstr (out, "\nPage size:");
  g_assert_nonnull (size);
  g_assert_cmpint (sscanf (size, "\nPage size: %lf x %lf", &width, &height), ==, 2);
  g_assert_cmpfloat (height, >, 0);

  return width / height;
}

/* Whether every place the PDF's first page has @id_number is covered in
 * @texture, a rendering of that page. */
static void
assert_id_covered (GdkTexture *texture,
                   const char *pdf_path,
                   const char *id_number)
{
  g_autofree char *uri = g_filename_to_uri (pdf_path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  GList *found;
  double page_width, page_height, scale;
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, &page_width, &page_height);
  scale = height / page_height;
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);

  found = poppler_page_find_text (page, id_number);
  g_assert_nonnull (found);
  for (GList *l = found; l; l = l->next)
    {
      PopplerRectangle *r = l->data;
      /* The middle of the number; PDF coordinates start at the bottom. */
      int x = (int)((r->x1 + r->x2) / 2 * scale);
      int y = (int)((page_height - (r->y1 + r->y2) / 2) * scale);
      const guchar *bgra = pixels + ((gsize)y * width + x) * 4;

      g_test_message ("ID number at %d,%d: %02x%02x%02x", x, y, bgra[2], bgra[1], bgra[0]);
      g_assert_cmpint (bgra[0], ==, 0x3d);
      g_assert_cmpint (bgra[1], ==, 0x3d);
      g_assert_cmpint (bgra[2], ==, 0x3d);
    }
  g_list_free_full (found, (GDestroyNotify)poppler_rectangle_free);
  g_object_unref (page);
  g_object_unref (document);
}

static char *
pdf_path_of (const char *uuid)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = ck_store_lookup (store, uuid, &error);
  g_assert_no_error (error);
  return g_build_filename (data_dir, record->pdf_path, NULL);
}

/* --- the tests ------------------------------------------------------------------------ */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_assert_nonnull (find_shown_label (f->detail, T ("Choose a consent")));
  g_assert_null (ck_record_detail_get_consent (f->detail));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-empty"));

  ck_record_detail_set_consent (f->detail, uuids[0]);
  g_assert_null (find_shown_label (f->detail, T ("Choose a consent")));
  ck_record_detail_set_consent (f->detail, NULL);
  g_assert_nonnull (find_shown_label (f->detail, T ("Choose a consent")));
  g_assert_false (is_sensitive (f->detail, T ("Reprint")));
}

static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *masked = ck_idcard_mask_number (customers[0].id_number);
  g_autofree char *pdf = pdf_path_of (uuids[0]);
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scrolleds = g_ptr_array_new ();
  GtkScrolledWindow *scrolled = NULL;
  GtkAdjustment *adjustment;
  GdkPaintable *paintable;
  double aspect;

  record = ck_store_lookup (store, uuids[0], &error);
  g_assert_no_error (error);
  ck_record_detail_set_consent (f->detail, uuids[0]);
  g_assert_cmpstr (ck_record_detail_get_consent (f->detail), ==, uuids[0]);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");

  g_assert_nonnull (find_shown_label (f->detail, customers[0].name));
  g_assert_nonnull (find_shown_label (f->detail, masked));
  g_assert_nonnull (find_shown_label (f->detail, record->sign_date));
  g_assert_nonnull (find_shown_label (f->detail, "test-kiosk"));
  g_assert_nonnull (find_shown_label (f->detail, record->org_purpose));
  g_assert_nonnull (find_shown_label (f->detail, T ("Not verified yet")));
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[0].id_number));
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[0].birth));

  /* The first page, as a picture of the page's proportions. */
  paintable = gtk_picture_get_paintable (preview_picture (f->detail));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preview_picture (f->detail))));
  aspect = (double)gdk_texture_get_width (GDK_TEXTURE (paintable)) /
           gdk_texture_get_height (GDK_TEXTURE (paintable));
  g_test_message ("preview %dx%d, page aspect %.4f",
                  gdk_texture_get_width (GDK_TEXTURE (paintable)),
                  gdk_texture_get_height (GDK_TEXTURE (paintable)), pdf_page_aspect (pdf));
  g_assert_cmpfloat_with_epsilon (aspect, pdf_page_aspect (pdf), 0.005);
  /* The letter has the whole number; the preview does not show it. */
  assert_id_covered (GDK_TEXTURE (paintable), pdf, customers[0].id_number);

  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail"));

  /* Further down: the verification and the letter. */
  ck_ui_collect (GTK_WIDGET (f->detail), GTK_TYPE_SCROLLED_WINDOW, scrolleds);
  for (guint i = 0; i < scrolleds->len; i++)
    if (gtk_widget_get_mapped (scrolleds->pdata[i]))
      scrolled = scrolleds->pdata[i];
  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-scrolled"));
}

/* The subtitle of the row titled @title, shown on screen. */
static const char *
row_value (CkRecordDetail *detail,
           const char     *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (detail), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]) &&
        g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return adw_action_row_get_subtitle (rows->pdata[i]);

  g_error ("No row “%s” is shown", title);
}

/* A copy of the first consent under a new id, with these entry methods. */
static char *
store_copy_with_methods (const char *name_method,
                         const char *id_method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) record = ck_store_lookup (store, uuids[0], &error);
  g_autofree char *pdf_file = pdf_path_of (uuids[0]);
  g_autoptr(GBytes) pdf = NULL;
  char *contents = NULL;
  gsize length;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_file, &contents, &length, &error));
  pdf = g_bytes_new_take (contents, length);
  g_free (record->uuid);
  record->uuid = g_uuid_string_random ();
  g_free (record->name_method);
  record->name_method = g_strdup (name_method);
  g_free (record->id_method);
  record->id_method = g_strdup (id_method);
  g_assert_true (ck_store_save (store, record, pdf, &error));
  g_assert_no_error (error);

  return g_strdup (record->uuid);
}

/* Issue 18: how the name and the number were entered, in staff's words;
 * "not recorded" for a consent that does not say. */
static void
test_entry_methods (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *card = store_copy_with_methods ("card", "pinyin");
  g_autofree char *unknown = store_copy_with_methods (NULL, NULL);
  const char *name_title = T ("Name entered by");
  const char *id_title = T ("ID number entered by");

  /* Recorded by the kiosk's flow: typed, both. */
  ck_record_detail_set_consent (f->detail, uuids[0]);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_assert_cmpstr (row_value (f->detail, name_title), ==, T ("Typed on a keyboard"));
  g_assert_cmpstr (row_value (f->detail, id_title), ==, T ("Typed on a keyboard"));

  ck_record_detail_set_consent (f->detail, card);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_assert_cmpstr (row_value (f->detail, name_title), ==, T ("Read from the ID card"));
  g_assert_cmpstr (row_value (f->detail, id_title), ==, T ("Chosen on the pinyin keyboard"));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-entry-methods"));

  ck_record_detail_set_consent (f->detail, unknown);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_assert_cmpstr (row_value (f->detail, name_title), ==, T ("Not recorded"));
  g_assert_cmpstr (row_value (f->detail, id_title), ==, T ("Not recorded"));
}

static void
test_reveal (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *masked = ck_idcard_mask_number (customers[1].id_number);
  const char *uuid = uuids[1];

  ck_record_detail_set_consent (f->detail, uuid);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");

  /* Nobody to record it under: not possible, and it says why. */
  g_assert_false (is_sensitive (f->detail, T ("Show Full ID Number")));
  g_assert_true (shows_text (GTK_WIDGET (f->detail),
                             T ("Enter your name as the operator first: it is recorded with "
                                "this action.")));
  ck_record_detail_set_operator (f->detail, "   ");
  g_assert_false (is_sensitive (f->detail, T ("Show Full ID Number")));

  /* Cancelled: nothing recorded, nothing shown. */
  ck_record_detail_set_operator (f->detail, OPERATOR);
  ck_ui_click (GTK_WIDGET (f->detail), T ("Show Full ID Number"));
  answer_dialog ("cancel");
  g_assert_cmpuint (count_events (uuid, "reveal", NULL), ==, 0);
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));

  /* Confirmed: recorded under the operator, then shown. */
  ck_ui_click (GTK_WIDGET (f->detail), T ("Show Full ID Number"));
  answer_dialog ("reveal");
  g_assert_cmpuint (count_events (uuid, "reveal", OPERATOR), ==, 1);
  g_assert_nonnull (find_shown_label (f->detail, customers[1].id_number));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-revealed"));

  /* Hidden again: by the button, by another consent, when unmapped. */
  ck_ui_click (GTK_WIDGET (f->detail), T ("Hide ID Number"));
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));
  g_assert_nonnull (find_shown_label (f->detail, masked));

  ck_ui_click (GTK_WIDGET (f->detail), T ("Show Full ID Number"));
  answer_dialog ("reveal");
  g_assert_cmpuint (count_events (uuid, "reveal", OPERATOR), ==, 2);
  g_assert_true (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));
  ck_record_detail_set_consent (f->detail, uuids[2]);
  ck_record_detail_set_consent (f->detail, uuid);
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));

  ck_ui_click (GTK_WIDGET (f->detail), T ("Show Full ID Number"));
  answer_dialog ("reveal");
  g_assert_true (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));
  gtk_widget_set_visible (GTK_WIDGET (f->detail), FALSE);
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[1].id_number));
  gtk_widget_set_visible (GTK_WIDGET (f->detail), TRUE);
  g_assert_cmpuint (count_events (uuid, "reveal", OPERATOR), ==, 3);

  /* Nothing of this changed the consent. */
  g_assert_cmpuint (f->changed->len, ==, 0);
}

/* A reveal the store cannot record is not shown. */
static void
test_reveal_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) reader = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(CkVerifyQueue) reader_queue = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CkRecordDetail *detail;
  guint before = count_events (uuids[2], "reveal", NULL);
  const char *refused;
  g_autofree char *prefix = NULL;

  g_assert_no_error (error);
  reader_queue = ck_verify_queue_new (config, reader);
  detail = ck_record_detail_new (reader, reader_queue, config);
  gtk_window_set_child (window, GTK_WIDGET (detail));
  gtk_window_present (window);
  ck_record_detail_set_consent (detail, uuids[2]);
  ck_record_detail_set_operator (detail, OPERATOR);

  g_test_expect_message ("ck-record-detail", G_LOG_LEVEL_WARNING, "*was refused*");
  ck_ui_click (GTK_WIDGET (detail), T ("Show Full ID Number"));
  answer_dialog ("reveal");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (count_events (uuids[2], "reveal", NULL), ==, before);
  g_assert_false (shows_text (GTK_WIDGET (detail), customers[2].id_number));
  refused = T ("The full ID number is not shown: the audit log could not record it. %s");
  prefix = g_strndup (refused, strstr (refused, "%s") - refused);
  g_assert_true (shows_text (GTK_WIDGET (detail), prefix));
  g_assert_nonnull (ck_ui_find_button (GTK_WIDGET (detail), T ("Show Full ID Number")));
  gtk_window_destroy (window);
}

static gboolean
changed_for (gpointer data)
{
  Fixture *f = ((gpointer *)data)[0];
  const char *uuid = ((gpointer *)data)[1];

  for (guint i = 0; i < f->changed->len; i++)
    if (g_str_equal (f->changed->pdata[i], uuid))
      return TRUE;

  return FALSE;
}

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  const char *uuid = uuids[0];
  const char *note = "客户来电要求撤回。\nTicket 42";
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(CkVerification) refused = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkTextView *note_view;

  ck_record_detail_set_consent (f->detail, uuid);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_assert_false (is_sensitive (f->detail, T ("Record Withdrawal…")));
  ck_record_detail_set_operator (f->detail, OPERATOR);
  g_assert_true (is_sensitive (f->detail, T ("Retry Verification")));

  ck_ui_click (GTK_WIDGET (f->detail), T ("Record Withdrawal…"));
  ck_ui_wait_until (dialog_shown, NULL, 10, "the withdrawal dialog");
  dialog = ADW_MESSAGE_DIALOG (ck_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  note_view = GTK_TEXT_VIEW (ck_ui_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (note_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (note_view), note, -1);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (dialog), "record-detail-withdraw-dialog"));
  answer_dialog ("withdraw");

  /* In the hash chain, under the operator, with the note. */
  g_assert_cmpuint (count_events (uuid, "withdrawal", OPERATOR), ==, 1);
  problems = ck_store_check (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (changed_for ((gpointer[]) { f, (gpointer)uuid }));

  /* Shown as withdrawn, with who, when and why; nothing more to do. */
  verification = lookup_verification (uuid);
  g_assert_cmpint (verification->state, ==, CK_VERIFY_STATE_WITHDRAWN);
  g_assert_nonnull (find_shown_label (f->detail, T ("Withdrawal")));
  g_assert_nonnull (find_shown_label (f->detail, OPERATOR));
  g_assert_nonnull (find_shown_label (f->detail, note));
  g_assert_false (is_sensitive (f->detail, T ("Retry Verification")));
  g_assert_false (is_sensitive (f->detail, T ("Record Withdrawal…")));
  g_assert_true (shows_text (GTK_WIDGET (f->detail),
                             T ("A withdrawn consent is not verified any more.")));
  g_assert_false (shows_text (GTK_WIDGET (f->detail), customers[0].id_number));

  /* And the queue refuses it. */
  refused = ck_verify_queue_verify (queue, uuid, CK_VERIFY_AGAIN, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_WITHDRAWN);

  /* Shown again from the store, the same. */
  ck_record_detail_set_consent (f->detail, uuids[1]);
  ck_record_detail_set_consent (f->detail, uuid);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_assert_nonnull (find_shown_label (f->detail, note));
  g_assert_false (is_sensitive (f->detail, T ("Retry Verification")));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-withdrawn"));
}

static gboolean
not_verifying (gpointer data)
{
  return find_shown_label (data, T ("Verifying with the service…")) == NULL;
}

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  const char *uuid = uuids[2];
  g_autoptr(CkVerification) before = lookup_verification (uuid);
  g_autoptr(CkVerification) after = NULL;
  g_autoptr(CkVerification) again = NULL;
  guint n_before = before->attempts->len;

  ck_record_detail_set_consent (f->detail, uuid);
  ck_record_detail_set_operator (f->detail, OPERATOR);
  g_assert_true (is_sensitive (f->detail, T ("Retry Verification")));

  /* Not answered yet: no question. */
  ck_ui_click (GTK_WIDGET (f->detail), T ("Retry Verification"));
  ck_ui_wait_until (changed_for, (gpointer[]) { f, (gpointer)uuid }, 60, "“changed”");
  ck_ui_wait_until (not_verifying, f->detail, 60, "the verification");
  after = lookup_verification (uuid);
  g_assert_cmpuint (after->attempts->len, ==, n_before + 1);
  g_assert_true (after->demo);
  g_assert_cmpint (after->state, ==, CK_VERIFY_STATE_VERIFIED);
  g_assert_nonnull (find_shown_label (f->detail, T ("Verified")));
  g_assert_nonnull (find_shown_label (f->detail, T ("DEMO")));

  /* Answered: another paid call only when confirmed. */
  g_ptr_array_set_size (f->changed, 0);
  ck_ui_click (GTK_WIDGET (f->detail), T ("Retry Verification"));
  answer_dialog ("cancel");
  g_clear_pointer (&again, ck_verification_free);
  again = lookup_verification (uuid);
  g_assert_cmpuint (again->attempts->len, ==, n_before + 1);
  g_assert_cmpuint (f->changed->len, ==, 0);

  ck_ui_click (GTK_WIDGET (f->detail), T ("Retry Verification"));
  answer_dialog ("verify");
  ck_ui_wait_until (changed_for, (gpointer[]) { f, (gpointer)uuid }, 60, "“changed”");
  ck_ui_wait_until (not_verifying, f->detail, 60, "the verification");
  g_clear_pointer (&again, ck_verification_free);
  again = lookup_verification (uuid);
  g_assert_cmpuint (again->attempts->len, ==, n_before + 2);
  g_assert_nonnull (find_shown_label (f->detail, again->staff_message));
  g_free (ck_ui_save_screenshot (GTK_WIDGET (f->window), "record-detail-verified"));
}

/* Verification turned off: Retry says why it cannot. */
static void
test_retry_disabled (void)
{
  g_autoptr(CkConfig) off = load_config ("[verification]\nprovider = none\n");
  g_autoptr(CkVerifyQueue) off_queue = ck_verify_queue_new (off, store);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CkRecordDetail *detail = ck_record_detail_new (store, off_queue, off);

  gtk_window_set_child (window, GTK_WIDGET (detail));
  gtk_window_present (window);
  ck_record_detail_set_consent (detail, uuids[1]);
  g_assert_false (is_sensitive (detail, T ("Retry Verification")));
  g_assert_true (shows_text (GTK_WIDGET (detail),
                             T ("Verification is turned off in the configuration "
                                "([verification] provider = none).")));
  g_assert_true (is_sensitive (detail, T ("Reprint")));
  gtk_window_destroy (window);
}

static gboolean
reprint_finished (gpointer data)
{
  return is_sensitive (CK_RECORD_DETAIL (data), T ("Reprint"));
}

static void
test_reprint (Fixture       *f,
              gconstpointer  data)
{
  const char *uuid = uuids[1];
  g_autofree char *pdf = pdf_path_of (uuid);
  g_autofree char *printed = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GError) error = NULL;
  const char *shown;
  gsize len;

  if (ck_test_cups_get_skip_reason (cups))
    {
      g_test_skip (ck_test_cups_get_skip_reason (cups));
      return;
    }
  ck_test_cups_start (cups);

  ck_record_detail_set_consent (f->detail, uuid);
  ck_ui_click (GTK_WIDGET (f->detail), T ("Reprint"));
  ck_ui_wait_until (reprint_finished, f->detail, 60, "the job handed to CUPS");
  g_assert_nonnull (find_shown_label (f->detail, T ("Sent to the printer.")));
  printed = ck_test_cups_wait_for_pdf (cups, 120);
  g_assert_cmpint (ck_test_pdf_pages (printed), ==, ck_test_pdf_pages (pdf));
  g_assert_cmpuint (ck_test_cups_count_jobs (cups), ==, 1);

  /* One byte of the stored PDF changed after signing: not printed. */
  g_file_get_contents (pdf, &contents, &len, &error);
  g_assert_no_error (error);
  contents[len / 2] ^= 0x01;
  g_chmod (pdf, 0644);
  g_file_set_contents (pdf, contents, len, &error);
  g_assert_no_error (error);

  g_test_expect_message ("ck-record-detail", G_LOG_LEVEL_WARNING, "*is not reprinted*");
  ck_ui_click (GTK_WIDGET (f->detail), T ("Reprint"));
  g_test_assert_expected_messages ();
  g_assert_nonnull (find_shown_label (f->detail,
                                      T ("Not printed: the stored consent was changed after "
                                         "signing. Check the data directory with “consentctl "
                                         "check” and tell IT.")));
  g_assert_true (is_sensitive (f->detail, T ("Reprint")));
  g_assert_cmpuint (ck_test_cups_count_jobs (cups), ==, 1);

  /* Nor shown as the signed letter. */
  ck_record_detail_set_consent (f->detail, uuids[2]);
  g_test_expect_message ("ck-record-detail", G_LOG_LEVEL_WARNING, "*cannot be shown*");
  ck_record_detail_set_consent (f->detail, uuid);
  ck_ui_wait_until (preview_done, f->detail, 60, "the preview");
  g_test_assert_expected_messages ();
  g_assert_null (gtk_picture_get_paintable (preview_picture (f->detail)));
  shown = T ("The signed letter cannot be shown: %s");
  prefix = g_strndup (shown, strstr (shown, "%s") - shown);
  g_assert_true (shows_text (GTK_WIDGET (f->detail), prefix));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  g_autofree char *conf = NULL;
  int status;

  ck_ui_ignore_desktop_services ();
  ck_ui_as_customers_see_it ();
  g_test_init (&argc, &argv, NULL);
  /* GTK's CUPS backend and the CUPS tools talk to a scheduler of our own. */
  cups = ck_test_cups_new ();

  ck_init ();
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  /* The app's style sheet, as AdwApplication loads it for the app. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/consentkiosk/ConsentKiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  tmp_dir = g_dir_make_tmp ("test-record-detail-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);
  conf = g_strdup_printf ("[organization]\nname = 示例银行股份有限\nbusiness = 个人贷款\n"
                          "purpose = 身份核验和风险管理\n"
                          "[kiosk]\nid = test-kiosk\nprinter = %s\n"
                          "[verification]\nprovider = demo\n",
                          ck_test_cups_get_printer (cups));
  config = load_config (conf);
  store = ck_store_open (data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);
  queue = ck_verify_queue_new (config, store);
  for (guint i = 0; i < G_N_ELEMENTS (customers); i++)
    {
      g_autoptr(CkConsentRecord) record = ck_ui_store_consent (store, config, customers[i].name,
                                                               customers[i].id_number);

      uuids[i] = g_strdup (record->uuid);
    }

  g_test_add ("/record-detail/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);
  g_test_add ("/record-detail/fields", Fixture, NULL, fixture_set_up, test_fields,
              fixture_tear_down);
  g_test_add ("/record-detail/entry-methods", Fixture, NULL, fixture_set_up, test_entry_methods,
              fixture_tear_down);
  g_test_add ("/record-detail/reveal", Fixture, NULL, fixture_set_up, test_reveal,
              fixture_tear_down);
  g_test_add_func ("/record-detail/reveal-refused", test_reveal_refused);
  g_test_add ("/record-detail/withdraw", Fixture, NULL, fixture_set_up, test_withdraw,
              fixture_tear_down);
  g_test_add ("/record-detail/retry", Fixture, NULL, fixture_set_up, test_retry,
              fixture_tear_down);
  g_test_add_func ("/record-detail/retry-disabled", test_retry_disabled);
  g_test_add ("/record-detail/reprint", Fixture, NULL, fixture_set_up, test_reprint,
              fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&queue);
  g_clear_object (&store);
  g_clear_object (&config);
  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    g_clear_pointer (&uuids[i], g_free);
  g_clear_pointer (&cups, ck_test_cups_free);
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&data_dir, g_free);

  return status;
}
