/* test-name-input.c: writing a name without a keyboard, with real X input
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A window with a name entry and a CkNameInput on the test's Xvfb, as the
 * details page has them. xdotool draws 十, 三 and 张 from
 * tests/data/strokes on the handwriting pad with the mouse, taps the
 * candidates, switches to pinyin and taps z h a n g on the on-screen
 * keyboard; the entry gets what a customer would see. The main flows run
 * in Chinese (when the zh_CN.UTF-8 locale is installed), as a kiosk does,
 * and leave screenshots of both modes in the build folder. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ck.h"
#include "ck-candidate-bar.h"
#include "ck-handwriting-pad.h"
#include "ck-name-input.h"
#include "ck-pinyin-keyboard.h"
#include "ck-signature-pad.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

typedef struct
{
  CkTestLocale locale;

  GtkWindow *window;
  GtkEntry *entry;
  CkNameInput *input;

  CkHandwritingPad *handwriting;
  CkSignaturePad *pad;
  CkCandidateBar *pad_candidates;
  CkPinyinKeyboard *keyboard;
  CkCandidateBar *keyboard_candidates;

  guint changed;
  guint candidates_notified;
} Fixture;

/* The app's style sheet, as CkApplication (an AdwApplication) loads it:
 * the window here is not the kiosk's. */
static void
load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/org/consentkiosk/ConsentKiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

typedef struct
{
  const guint *counter;
  guint target;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *count = data;

  return *count->counter >= count->target;
}

/* Taps @widget with the mouse where the next frame lays it out (a
 * candidate may be new). */
static void
tap (GtkWidget *widget)
{
  ck_ui_wait_for_frames (GTK_WIDGET (gtk_widget_get_native (widget)), 2);
  ck_ui_tap (widget);
}

/* Waits until a signal handler has counted *@counter up to @target. */
static void
wait_for_count (const guint *counter,
                guint        target,
                const char  *what)
{
  Count count = { counter, target };

  ck_ui_wait_until (count_reached, &count, 10, what);
  g_assert_cmpuint (*counter, ==, target);
}

/* The button under @root with @action (and @target, a string, if given). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *action,
             const char *target)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_ui_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkActionable *actionable = buttons->pdata[i];
      GVariant *value = gtk_actionable_get_action_target_value (actionable);

      if (g_strcmp0 (gtk_actionable_get_action_name (actionable), action) != 0)
        continue;
      if (target == NULL ||
          (value && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), target)))
        return buttons->pdata[i];
    }

  g_error ("no button for %s %s", action, target ? target : "");
  return NULL;
}

static void
count_changed (CkSignaturePad *pad,
               Fixture        *fixture)
{
  fixture->changed++;
}

static void
count_candidates (CkCandidateBar *bar,
                  GParamSpec     *pspec,
                  Fixture        *fixture)
{
  fixture->candidates_notified++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean chinese = GPOINTER_TO_INT (data);
  GtkWidget *box;

  /* Before the widgets are built: their templates are translated then. */
  if (chinese && !ck_test_locale_use_chinese (&fixture->locale))
    g_test_message ("no zh_CN.UTF-8 locale: the flow runs in English");

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (fixture->window, "Name input test");
  gtk_window_set_default_size (fixture->window, 1280, 800);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  gtk_widget_set_margin_start (box, 32);
  gtk_widget_set_margin_end (box, 32);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_window_set_child (fixture->window, box);

  fixture->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (fixture->entry, "姓名");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->entry));

  fixture->input = CK_NAME_INPUT (ck_name_input_new ());
  ck_name_input_set_target (fixture->input, GTK_EDITABLE (fixture->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->input));

  fixture->handwriting = CK_HANDWRITING_PAD (ck_ui_find_descendant (GTK_WIDGET (fixture->input), CK_TYPE_HANDWRITING_PAD));
  fixture->pad = CK_SIGNATURE_PAD (ck_ui_find_descendant (GTK_WIDGET (fixture->handwriting), CK_TYPE_SIGNATURE_PAD));
  fixture->pad_candidates = CK_CANDIDATE_BAR (ck_ui_find_descendant (GTK_WIDGET (fixture->handwriting), CK_TYPE_CANDIDATE_BAR));
  fixture->keyboard = CK_PINYIN_KEYBOARD (ck_ui_find_descendant (GTK_WIDGET (fixture->input), CK_TYPE_PINYIN_KEYBOARD));
  fixture->keyboard_candidates = CK_CANDIDATE_BAR (ck_ui_find_descendant (GTK_WIDGET (fixture->keyboard), CK_TYPE_CANDIDATE_BAR));
  g_assert_nonnull (fixture->pad);
  g_assert_nonnull (fixture->pad_candidates);
  g_assert_nonnull (fixture->keyboard_candidates);
  g_signal_connect (fixture->pad, "changed", G_CALLBACK (count_changed), fixture);
  g_signal_connect (fixture->pad_candidates, "notify::candidates", G_CALLBACK (count_candidates), fixture);

  ck_ui_present_window (fixture->window, 3);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  ck_test_locale_restore (&fixture->locale);
}

/* The strokes of @name (tests/data/strokes), drawn on the pad with the
 * mouse: a move every 4 px or so, 5 ms apart, one xdotool run a stroke. */
static char *
draw_character (Fixture    *fixture,
                const char *name)
{
  char *intended = NULL;
  g_autoptr(GPtrArray) strokes = ck_test_load_strokes (name, &intended);
  GtkWidget *pad = GTK_WIDGET (fixture->pad);
  double size = gtk_widget_get_width (pad);

  /* The pad is square, as the model wants. */
  g_assert_cmpint (gtk_widget_get_width (pad), ==, gtk_widget_get_height (pad));
  g_assert_cmpfloat (size, >=, 300);

  for (guint k = 0; k < strokes->len; k++)
    {
      GArray *points = strokes->pdata[k];
      g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (double));
      guint changed = fixture->changed;

      for (guint i = 0; i < points->len; i++)
        {
          CkTestPoint *p = &g_array_index (points, CkTestPoint, i);
          double x = round (p->x * size / 1000), y = round (p->y * size / 1000);
          CkTestPoint *q = i > 0 ? p - 1 : p;
          double qx = round (q->x * size / 1000), qy = round (q->y * size / 1000);
          guint n = i > 0 ? MAX (1, (guint)(hypot (x - qx, y - qy) / 4)) : 1;

          for (guint m = 1; m <= n; m++)
            {
              double move[2] = { round (qx + (x - qx) * m / n), round (qy + (y - qy) * m / n) };

              g_array_append_vals (moves, move, 2);
            }
        }
      ck_ui_draw_stroke (pad, (const double *)(gpointer)moves->data, moves->len / 2);

      wait_for_count (&fixture->changed, changed + 1, "the end of a stroke");
      g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, k + 1);
    }

  return intended;
}

typedef struct
{
  const char *(*get) (gpointer object);
  gpointer object;
  const char *expected;
} StringWait;

static gboolean
string_is (gpointer data)
{
  StringWait *wait = data;

  return g_str_equal (wait->get (wait->object), wait->expected);
}

/* Waits until the entry reads @text. */
static void
wait_for_text (Fixture    *fixture,
               const char *text)
{
  StringWait wait = { (gpointer)gtk_editable_get_text, fixture->entry, text };
  g_autofree char *what = g_strdup_printf ("the entry to read “%s”", text);

  ck_ui_wait_until (string_is, &wait, 10, what);
}

/* Waits until the keyboard's composition line shows @letters. */
static void
wait_for_composition (Fixture    *fixture,
                      const char *letters)
{
  StringWait wait = { (gpointer)ck_pinyin_keyboard_get_composition, fixture->keyboard, letters };
  g_autofree char *what = g_strdup_printf ("the composition “%s”", letters);

  ck_ui_wait_until (string_is, &wait, 10, what);
}

/* How many candidates the bar's page shows (whole tiles). */
static guint
visible_count (CkCandidateBar *bar)
{
  guint first, n_shown;

  ck_candidate_bar_get_shown (bar, &first, &n_shown);
  g_assert_cmpuint (first, ==, 0);

  return n_shown;
}

/* Writes @name, waits for what the pad makes of it, and taps the
 * intended character; returns the pad's candidates. */
static char **
write_and_choose (Fixture    *fixture,
                  const char *name,
                  const char *expected_text,
                  const char *screenshot)
{
  g_autofree char *intended = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) candidates = NULL;
  guint notified, rank;

  intended = draw_character (fixture, name);

  /* The recognition after the last stroke (300 ms after the pen went up). */
  notified = fixture->candidates_notified;
  wait_for_count (&fixture->candidates_notified, notified + 1, "the candidates");

  candidates = g_strdupv ((char **)ck_handwriting_pad_get_candidates (fixture->handwriting));
  g_assert_nonnull (candidates);
  joined = g_strjoinv (" ", candidates);
  rank = ck_test_strv_rank (candidates, intended);
  g_test_message ("%s drawn with the mouse: %s (rank %u)", intended, joined, rank);

  /* On the first page, where the customer sees it. */
  g_assert_cmpuint (rank, >=, 1);
  g_assert_cmpuint (rank, <=, visible_count (fixture->pad_candidates));
  g_assert_cmpuint (rank, <=, 3);

  if (screenshot)
    g_free (ck_ui_save_screenshot (GTK_WIDGET (fixture->window), screenshot));

  tap (ck_candidate_bar_get_button (fixture->pad_candidates, rank - 1));
  wait_for_text (fixture, expected_text);

  /* The pad is ready for the next character. */
  g_assert_true (ck_signature_pad_get_empty (fixture->pad));
  g_assert_null (ck_handwriting_pad_get_candidates (fixture->handwriting));

  return g_steal_pointer (&candidates);
}

/* The signing record of a consent with the entry's name, entered as the
 * name input says it was: the PDF's text names @words (issue 14). */
static void
assert_method_in_pdf (Fixture    *fixture,
                      const char *words,
                      const char *not_words)
{
  g_autoptr(CkTemplate) template = ck_template_new_default (NULL);
  g_autoptr(CkSignature) signature = ck_sample_signature_new (200);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  g_autoptr(CkFontSet) fonts = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  int status;
  CkPdfRequest request = { 0 };

  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);
  request.template = template;
  request.signature = signature;
  request.created = created;
  request.values[CK_TEMPLATE_FIELD_COMPANY] = "示例银行股份有限";
  request.values[CK_TEMPLATE_FIELD_BUSINESS] = "个人贷款";
  request.values[CK_TEMPLATE_FIELD_PURPOSE] = "身份核验和风险管理";
  request.values[CK_TEMPLATE_FIELD_NAME] = gtk_editable_get_text (GTK_EDITABLE (fixture->entry));
  request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = "11010519491231002X";
  request.values[CK_TEMPLATE_FIELD_YEAR] = "2026";
  request.values[CK_TEMPLATE_FIELD_MONTH] = "11";
  request.values[CK_TEMPLATE_FIELD_DAY] = "28";
  request.consent_id = "0f8e2a64-6a0e-4c4e-9d7e-2b6f0c1d9a11";
  request.kiosk_id = "test";
  request.name_method = ck_name_input_get_entry_method (fixture->input);
  request.id_method = CK_ENTRY_METHOD_TYPED;
  pdf = ck_pdf_render (fonts, &request, &error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("ck-name-input-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "consent.pdf", NULL);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **)(const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL },
                NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ck_test_rm_rf (dir);

  if (strstr (text, words) == NULL)
    g_error ("no “%s” in the PDF:\n%s", words, text);
  g_assert_null (strstr (text, not_words));
}

/* 十, 三 and 张 written with the mouse; each tapped candidate goes into
 * the entry. */
static void
test_handwriting (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(GStrv) shi = NULL;
  g_auto(GStrv) san = NULL;
  g_auto(GStrv) zhang = NULL;

  g_assert_cmpint (ck_name_input_get_mode (fixture->input), ==, CK_NAME_INPUT_MODE_HANDWRITING);
  g_assert_true (ck_handwriting_pad_get_available (fixture->handwriting));
  /* A writing grid, not a signature line. */
  g_assert_false (ck_signature_pad_get_guide (fixture->pad));

  shi = write_and_choose (fixture, "shi.strokes", "十", NULL);
  san = write_and_choose (fixture, "san.strokes", "十三", NULL);
  zhang = write_and_choose (fixture, "zhang.strokes", "十三张", "name-input-handwriting");

  /* The entry's cursor follows what goes in. */
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (fixture->entry)), ==, 3);

  /* The consent says the name was handwritten. */
  g_assert_cmpint (ck_name_input_get_entry_method (fixture->input), ==, CK_ENTRY_METHOD_HANDWRITING);
  assert_method_in_pdf (fixture, "姓名录入方式 手写输入", "拼音输入");
}

/* Undo and rewrite on the pad, tapped. */
static void
test_handwriting_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *undo = find_button (GTK_WIDGET (fixture->handwriting), "handwriting-pad.undo", NULL);
  GtkWidget *rewrite = find_button (GTK_WIDGET (fixture->handwriting), "handwriting-pad.clear", NULL);
  g_autofree char *intended = NULL;
  guint changed;

  g_assert_false (gtk_widget_is_sensitive (undo));
  intended = draw_character (fixture, "zhang.strokes");
  g_assert_true (gtk_widget_is_sensitive (undo));

  changed = fixture->changed;
  tap (undo);
  wait_for_count (&fixture->changed, changed + 1, "the undo");
  g_assert_cmpuint (ck_signature_pad_get_n_strokes (fixture->pad), ==, 6);

  changed = fixture->changed;
  tap (rewrite);
  wait_for_count (&fixture->changed, changed + 1, "the rewrite");
  g_assert_true (ck_signature_pad_get_empty (fixture->pad));
  g_assert_null (ck_handwriting_pad_get_candidates (fixture->handwriting));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "");
}

static gboolean
is_pinyin_mode_shown (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (fixture->keyboard)));

  return ck_name_input_get_mode (fixture->input) == CK_NAME_INPUT_MODE_PINYIN &&
         gtk_widget_get_mapped (GTK_WIDGET (fixture->keyboard)) &&
         !gtk_stack_get_transition_running (stack);
}

/* Taps the keys for @letters; returns when the keyboard shows them. */
static void
tap_letters (Fixture    *fixture,
             const char *letters)
{
  g_autoptr(GString) typed = g_string_new (ck_pinyin_keyboard_get_composition (fixture->keyboard));

  for (const char *p = letters; *p; p++)
    {
      char letter[2] = { *p, '\0' };

      tap (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", letter));
      g_string_append_c (typed, *p);
      wait_for_composition (fixture, typed->str);
    }
}

static void
switch_to_pinyin (Fixture *fixture)
{
  GtkWidget *toggle = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (fixture->input), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len && toggle == NULL; i++)
    if (GTK_IS_TOGGLE_BUTTON (buttons->pdata[i]) &&
        g_str_equal (gtk_button_get_label (buttons->pdata[i]), _("Pinyin")))
      toggle = buttons->pdata[i];
  g_assert_nonnull (toggle);

  tap (toggle);
  ck_ui_wait_until (is_pinyin_mode_shown, fixture, 10, "the pinyin keyboard");
  ck_ui_wait_for_frames (GTK_WIDGET (fixture->window), 2);
}

/* Taps the candidate @text on the keyboard's first page. */
static void
tap_candidate (Fixture    *fixture,
               const char *text)
{
  const char * const *candidates = ck_pinyin_keyboard_get_candidates (fixture->keyboard);
  guint rank = ck_test_strv_rank ((char **)candidates, text);

  g_assert_cmpuint (rank, >=, 1);
  g_assert_cmpuint (rank, <=, visible_count (fixture->keyboard_candidates));
  tap (ck_candidate_bar_get_button (fixture->keyboard_candidates, rank - 1));
}

/* z h a n g on the on-screen keyboard offers 张; tapping it appends it.
 * Then ·, 李 from "li", backspace and clear, all tapped. */
static void
test_pinyin (Fixture       *fixture,
             gconstpointer  data)
{
  const char * const *candidates;
  g_autofree char *joined = NULL;

  switch_to_pinyin (fixture);

  tap_letters (fixture, "zhang");
  candidates = ck_pinyin_keyboard_get_candidates (fixture->keyboard);
  g_assert_nonnull (candidates);
  joined = g_strjoinv (" ", (char **)candidates);
  g_test_message ("zhang: %.60s…", joined);
  g_assert_cmpuint (ck_test_strv_rank ((char **)candidates, "张"), >=, 1);
  g_assert_cmpuint (ck_test_strv_rank ((char **)candidates, "张"), <=, 3);
  g_free (ck_ui_save_screenshot (GTK_WIDGET (fixture->window), "name-input-pinyin"));

  tap_candidate (fixture, "张");
  wait_for_text (fixture, "张");
  g_assert_cmpstr (ck_pinyin_keyboard_get_composition (fixture->keyboard), ==, "");

  /* Typed on the keyboard, then chosen on the pinyin keyboard: the last
   * way counts, and the consent says it. */
  g_assert_cmpint (ck_name_input_get_entry_method (fixture->input), ==, CK_ENTRY_METHOD_PINYIN);
  gtk_widget_grab_focus (GTK_WIDGET (fixture->entry));
  gtk_editable_set_position (GTK_EDITABLE (fixture->entry), -1);
  ck_ui_type (GTK_WIDGET (fixture->entry), "a");
  wait_for_text (fixture, "张a");
  g_assert_cmpint (ck_name_input_get_entry_method (fixture->input), ==, CK_ENTRY_METHOD_TYPED);
  tap (find_button (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  wait_for_text (fixture, "张");
  tap_letters (fixture, "san");
  tap_candidate (fixture, "三");
  wait_for_text (fixture, "张三");
  g_assert_cmpint (ck_name_input_get_entry_method (fixture->input), ==, CK_ENTRY_METHOD_PINYIN);
  assert_method_in_pdf (fixture, "姓名录入方式 拼音输入", "手写输入");
  tap (find_button (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  wait_for_text (fixture, "张");

  /* zhangsan: 张 first leaves "san" to pick from. */
  tap_letters (fixture, "zhangsan");
  g_assert_cmpstr (ck_pinyin_keyboard_get_candidates (fixture->keyboard)[0], ==, "张三");
  tap_candidate (fixture, "张");
  wait_for_text (fixture, "张张");
  g_assert_cmpstr (ck_pinyin_keyboard_get_composition (fixture->keyboard), ==, "san");
  tap_candidate (fixture, "三");
  wait_for_text (fixture, "张张三");

  tap (find_button (GTK_WIDGET (fixture->input), "name-input.insert-dot", NULL));
  wait_for_text (fixture, "张张三·");

  tap_letters (fixture, "li");
  tap (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.pick-first", NULL));
  wait_for_text (fixture, "张张三·李");

  /* What was written is a valid name, as the form will check it. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = ck_name_normalize (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)),
                                               CK_NAME_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (name, ==, "张张三·李");
  }

  /* The keyboard's backspace takes letters first, then characters. */
  tap_letters (fixture, "wa");
  tap (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.backspace", NULL));
  wait_for_composition (fixture, "w");
  tap (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.backspace", NULL));
  wait_for_composition (fixture, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "张张三·李");
  tap (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.backspace", NULL));
  wait_for_text (fixture, "张张三·");

  tap (find_button (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  wait_for_text (fixture, "张张三");

  tap (find_button (GTK_WIDGET (fixture->input), "name-input.clear", NULL));
  wait_for_text (fixture, "");
}

/* Text goes in at the cursor; a selection (the entry selects everything
 * when it takes the focus) is never replaced or deleted by a tap: text
 * goes in at its end, backspace takes the character before that (issue
 * 17: a tapped 十 replaced 三, 李 replaced 王·). Nothing goes into an entry
 * that takes none. */
static void
test_cursor (Fixture       *fixture,
             gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (fixture->entry);

  gtk_editable_set_text (entry, "阿依古丽买买提");
  gtk_editable_set_position (entry, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->input), "name-input.insert-dot", NULL));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·买买提");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 5);

  gtk_editable_set_text (entry, "阿依古丽·买买");
  gtk_editable_select_region (entry, 0, -1);
  g_signal_emit_by_name (fixture->keyboard, "text-chosen", "提");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·买买提");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 8);
  gtk_editable_select_region (entry, 5, 8);
  g_signal_emit_by_name (fixture->handwriting, "character-chosen", "王");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·买买提王");
  gtk_editable_select_region (entry, 0, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·买买提");
  gtk_editable_set_text (entry, "阿依古丽·王");

  gtk_editable_set_position (entry, 1);
  g_signal_emit_by_name (fixture->handwriting, "character-chosen", "张");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿张依古丽·王");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·王");
  gtk_editable_set_position (entry, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->input), "name-input.delete-backward", NULL));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·王");

  gtk_editable_set_editable (entry, FALSE);
  g_signal_emit_by_name (fixture->keyboard, "text-chosen", "王");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->input), "name-input.clear", NULL));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·王");

  /* Without a target, nothing happens. */
  ck_name_input_set_target (fixture->input, NULL);
  g_signal_emit_by_name (fixture->keyboard, "text-chosen", "王");
  gtk_editable_set_editable (entry, TRUE);
  ck_name_input_set_target (fixture->input, entry);
  g_assert_true (ck_name_input_get_target (fixture->input) == entry);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "阿依古丽·王");

  /* The next customer: no half-typed pinyin, back to handwriting. */
  ck_name_input_set_mode (fixture->input, CK_NAME_INPUT_MODE_PINYIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "s", "l"));
  g_assert_cmpstr (ck_pinyin_keyboard_get_composition (fixture->keyboard), ==, "l");
  ck_name_input_reset (fixture->input);
  g_assert_cmpstr (ck_pinyin_keyboard_get_composition (fixture->keyboard), ==, "");
  g_assert_null (ck_pinyin_keyboard_get_candidates (fixture->keyboard));
  g_assert_cmpint (ck_name_input_get_mode (fixture->input), ==, CK_NAME_INPUT_MODE_HANDWRITING);
}

/* Presses @keys (xdotool key names, space-separated) on the X server's
 * keyboard, into the window; waits until the composition is @expected. */
static void
press_keys (Fixture    *fixture,
            const char *keys,
            const char *expected)
{
  ck_ui_press_keys (GTK_WIDGET (fixture->window), keys);
  wait_for_composition (fixture, expected);
}

/* Every control can be reached with Tab, and the letters typed on a
 * physical keyboard while the on-screen one has the focus compose pinyin
 * (a staffed desk). */
static void
test_keyboard_access (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_name_input_set_mode (fixture->input, CK_NAME_INPUT_MODE_PINYIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "s", "w"));
  ck_ui_wait_until (is_pinyin_mode_shown, fixture, 10, "the pinyin keyboard");

  /* Tab through everything, twice round. */
  gtk_widget_grab_focus (GTK_WIDGET (fixture->entry));
  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      for (; focus; focus = gtk_widget_get_parent (focus))
        g_hash_table_add (reached, focus);
    }

  ck_ui_collect (GTK_WIDGET (fixture->input), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];

      if (!gtk_widget_get_mapped (button) || !gtk_widget_is_sensitive (button))
        continue;
      if (!g_hash_table_contains (reached, button))
        g_error ("Tab never reaches the button “%s”", gtk_button_get_label (GTK_BUTTON (button)));
      g_assert_cmpint (gtk_widget_get_height (button), >=, 56);
    }

  /* Letters from the X server's keyboard, with a key of ours focused. */
  ck_pinyin_keyboard_clear (fixture->keyboard);
  gtk_widget_grab_focus (find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "q"));
  press_keys (fixture, "l i", "li");
  press_keys (fixture, "BackSpace", "l");
  press_keys (fixture, "i", "li");
  /* Space picks the first candidate, as an input method's does. */
  press_keys (fixture, "space", "");
  wait_for_text (fixture, "李");
  /* With no letters typed, Space and Enter press the focused key;
   * Escape drops the letters. */
  press_keys (fixture, "Return", "q");
  press_keys (fixture, "Escape", "");
  press_keys (fixture, "space", "q");
  press_keys (fixture, "Escape", "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "李");
  /* Backspace with no letters: the name's last character goes. */
  press_keys (fixture, "BackSpace", "");
  wait_for_text (fixture, "");
}

/* Every control has a name a screen reader can speak. */
static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{

  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *key_z = find_button (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "z");
  g_autofree char *wrong = NULL;

  /* Candidates too. */
  ck_name_input_set_mode (fixture->input, CK_NAME_INPUT_MODE_PINYIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "s", "x"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "s", "u"));

  ck_ui_collect (GTK_WIDGET (fixture->input), GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, >, 40);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkAccessible *button = buttons->pdata[i];

      if (!gtk_test_accessible_has_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("the button “%s” has no accessible name", gtk_button_get_label (buttons->pdata[i]));
    }

  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (key_z), GTK_ACCESSIBLE_PROPERTY_LABEL, "Letter Z");
  g_assert_null (wrong);

  {
    GtkWidget *first = ck_candidate_bar_get_button (fixture->keyboard_candidates, 0);
    const char *text = ck_pinyin_keyboard_get_candidates (fixture->keyboard)[0];
    g_autofree char *candidate_wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (first), GTK_ACCESSIBLE_PROPERTY_LABEL, text);

    g_assert_cmpstr (text, ==, "徐");
    g_assert_null (candidate_wrong);
  }

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (fixture->pad), GTK_ACCESSIBLE_PROPERTY_LABEL));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (fixture->pad), GTK_ACCESSIBLE_PROPERTY_LABEL, "Handwriting pad");
  g_assert_null (wrong);
}

static int
natural_width (Fixture *fixture)
{
  int minimum, natural;

  gtk_widget_measure (GTK_WIDGET (fixture->input), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, natural);

  return natural;
}

/* The details page lays the name input out once: it keeps its size in
 * both modes and whatever the candidates (phrases make wide buttons),
 * and fits beside the fields at 1024×768: 976 px less the fields' 420
 * and 24 between, and the 552 px left under the header and above the
 * buttons (tests/ui/test-layout.c checks the whole page). */
static void
test_size (Fixture       *fixture,
           gconstpointer  data)
{
  int width;
  int height;

  /* As the details page has it. */
  ck_name_input_set_homogeneous (fixture->input, TRUE);
  width = natural_width (fixture);
  g_test_message ("%d px wide", width);
  g_assert_cmpint (width, <=, 532);

  ck_name_input_set_mode (fixture->input, CK_NAME_INPUT_MODE_PINYIN);
  g_assert_cmpint (natural_width (fixture), ==, width);
  for (const char *p = "lixiaolong"; *p; p++)
    {
      char letter[2] = { *p, '\0' };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->keyboard), "pinyin-keyboard.type", "s", letter));
    }
  g_assert_cmpuint (g_strv_length ((char **)ck_pinyin_keyboard_get_candidates (fixture->keyboard)), >, 8);
  g_assert_cmpint (natural_width (fixture), ==, width);

  gtk_widget_measure (GTK_WIDGET (fixture->input), GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  g_test_message ("%d px high", height);
  g_assert_cmpint (height, <=, 552);
}

/* Asserts that every tile of @bar's page lies wholly between ‹ and ›,
 * inside the bar and inside @window; returns how many the page shows. */
static guint
assert_page_visible (CkCandidateBar *bar,
                     GtkWidget      *window,
                     guint          *first)
{
  graphene_rect_t bar_bounds, left, right;
  guint n_shown;
  int bar_height = gtk_widget_get_height (GTK_WIDGET (bar));
  GtkWidget *arrow_left = NULL, *arrow_right = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (bar), window, &bar_bounds));
  g_assert_cmpfloat (bar_bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bar_bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bar_bounds.origin.x + bar_bounds.size.width, <=, gtk_widget_get_width (window));
  g_assert_cmpfloat (bar_bounds.origin.y + bar_bounds.size.height, <=, gtk_widget_get_height (window));

  ck_ui_collect (GTK_WIDGET (bar), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      const char *action = gtk_actionable_get_action_name (buttons->pdata[i]);

      if (g_strcmp0 (action, "candidate-bar.previous") == 0)
        arrow_left = buttons->pdata[i];
      else if (g_strcmp0 (action, "candidate-bar.next") == 0)
        arrow_right = buttons->pdata[i];
    }
  g_assert_nonnull (arrow_left);
  g_assert_nonnull (arrow_right);
  g_assert_true (gtk_widget_get_mapped (arrow_left));
  g_assert_true (gtk_widget_get_mapped (arrow_right));
  g_assert_true (gtk_widget_compute_bounds (arrow_left, GTK_WIDGET (bar), &left));
  g_assert_true (gtk_widget_compute_bounds (arrow_right, GTK_WIDGET (bar), &right));

  ck_candidate_bar_get_shown (bar, first, &n_shown);
  g_assert_cmpuint (n_shown, >=, 1);
  g_assert_cmpuint (n_shown, <=, ck_candidate_bar_get_page_size (bar));
  for (guint i = *first; i < *first + n_shown; i++)
    {
      GtkWidget *tile = ck_candidate_bar_get_button (bar, i);
      graphene_rect_t r;

      g_assert_nonnull (tile);
      g_assert_true (gtk_widget_get_mapped (tile));
      g_assert_true (gtk_widget_compute_bounds (tile, GTK_WIDGET (bar), &r));
      g_assert_cmpfloat (r.size.width, >=, 56);
      g_assert_cmpfloat (r.origin.x, >=, left.origin.x + left.size.width);
      g_assert_cmpfloat (r.origin.x + r.size.width, <=, right.origin.x);
      g_assert_cmpfloat (r.origin.y, >=, 0);
      g_assert_cmpfloat (r.origin.y + r.size.height, <=, bar_height);
    }
  /* Nothing past the page is drawn. */
  g_assert_null (ck_candidate_bar_get_button (bar, *first + n_shown));

  return n_shown;
}

static GtkWidget *
next_button (CkCandidateBar *bar)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (bar), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "candidate-bar.next") == 0)
      return buttons->pdata[i];

  g_assert_not_reached ();
  return NULL;
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

/* All 16 candidates, page by page, each page's tiles whole; returns how
 * many the first page shows. */
static guint
assert_all_pages_visible (CkCandidateBar     *bar,
                          GtkWidget          *window,
                          const char * const *candidates)
{
  guint expected_first = 0, n_first_page = 0, n = g_strv_length ((char **)candidates);

  for (guint page = 0; expected_first < n; page++)
    {
      guint first, n_shown;

      ck_ui_wait_for_frames (window, 2);
      n_shown = assert_page_visible (bar, window, &first);
      g_assert_cmpuint (ck_candidate_bar_get_page (bar), ==, page);
      g_assert_cmpuint (first, ==, expected_first);
      for (guint i = first; i < first + n_shown; i++)
        g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ck_candidate_bar_get_button (bar, i))), ==, candidates[i]);
      if (page == 0)
        n_first_page = n_shown;
      expected_first += n_shown;
      if (expected_first < n)
        {
          /* › follows the allocation that fitted the page. */
          ck_ui_wait_until (is_sensitive, next_button (bar), 10, "› to be enabled");
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "candidate-bar.next", NULL));
        }
      else
        g_assert_false (gtk_widget_get_sensitive (next_button (bar)));
    }

  /* And back to the first page. */
  while (ck_candidate_bar_get_page (bar) > 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "candidate-bar.previous", NULL));
  ck_ui_wait_for_frames (window, 2);

  return n_first_page;
}

/* The candidate row at the kiosk's screen widths: every tile of every
 * page whole, inside the bar and the window (issue 17: the 7th was half
 * under ›), the row as high with candidates as without, and a narrower
 * bar showing fewer whole tiles rather than cut ones. */
static void
test_candidate_bar (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const candidates[] = {
    "张", "长", "弦", "强", "弥", "引", "弘", "弛", "弧", "弯", "弓", "弟", "弗", "弱", "弹", "弼", NULL
  };
  static const struct { int width, height; } sizes[] = {
    { 1080, 1920 }, { 1920, 1080 }, { 1024, 768 },
  };
  static const int bar_widths[] = { 240, 400, 600, 900 };
  guint previous_count = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      /* A window of the screen's size, laid out as the fixture's. */
      g_autoptr(GtkWindow) screen = GTK_WINDOW (g_object_ref_sink (gtk_window_new ()));
      GtkWidget *window = GTK_WIDGET (screen);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *input = ck_name_input_new ();
      CkCandidateBar *bar;
      int empty_height, height;
      guint count;

      gtk_widget_set_margin_start (box, 32);
      gtk_widget_set_margin_end (box, 32);
      gtk_widget_set_margin_top (box, 24);
      gtk_widget_set_margin_bottom (box, 24);
      gtk_box_append (GTK_BOX (box), entry);
      gtk_box_append (GTK_BOX (box), input);
      gtk_window_set_child (screen, box);
      ck_name_input_set_target (CK_NAME_INPUT (input), GTK_EDITABLE (entry));
      bar = CK_CANDIDATE_BAR (ck_ui_find_descendant (ck_ui_find_descendant (input, CK_TYPE_HANDWRITING_PAD),
                                                     CK_TYPE_CANDIDATE_BAR));
      gtk_window_set_default_size (screen, sizes[s].width, sizes[s].height);
      ck_ui_present_window (screen, 3);
      g_assert_cmpint (gtk_widget_get_width (window), ==, sizes[s].width);
      empty_height = gtk_widget_get_height (GTK_WIDGET (bar));

      ck_candidate_bar_set_candidates (bar, candidates);
      count = assert_all_pages_visible (bar, window, candidates);
      height = gtk_widget_get_height (GTK_WIDGET (bar));
      g_test_message ("%d × %d: the bar is %d px wide, %u candidates a page, %d px high",
                      sizes[s].width, sizes[s].height, gtk_widget_get_width (GTK_WIDGET (bar)), count, height);
      g_assert_cmpint (height, ==, empty_height);
      /* The name input keeps its width: eight a page everywhere. */
      g_assert_cmpuint (count, ==, ck_candidate_bar_get_page_size (bar));

      g_free (ck_ui_save_screenshot (window, s == 0 ? "candidate-bar-1080" : s == 1 ? "candidate-bar-1920" : "candidate-bar-1024"));

      /* Empty again: the same height. */
      ck_candidate_bar_set_candidates (bar, NULL);
      ck_ui_wait_for_frames (window, 2);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (bar)), ==, empty_height);
      gtk_window_destroy (screen);
    }

  /* The same bar squeezed: fewer tiles a page, never a cut one. */
  for (guint w = 0; w < G_N_ELEMENTS (bar_widths); w++)
    {
      GtkWidget *window;
      g_autoptr(GtkWidget) lone = NULL;
      g_autoptr(GtkWindow) small = GTK_WINDOW (g_object_ref_sink (gtk_window_new ()));
      CkCandidateBar *bar;
      guint count;

      lone = g_object_ref_sink (ck_candidate_bar_new ());
      bar = CK_CANDIDATE_BAR (lone);
      gtk_widget_set_size_request (lone, bar_widths[w], -1);
      gtk_widget_set_halign (lone, GTK_ALIGN_START);
      gtk_widget_set_valign (lone, GTK_ALIGN_START);
      gtk_window_set_child (small, lone);
      gtk_window_set_default_size (small, bar_widths[w], 100);
      ck_ui_present_window (small, 2);
      ck_candidate_bar_set_candidates (bar, candidates);
      window = GTK_WIDGET (small);
      count = assert_all_pages_visible (bar, window, candidates);
      g_test_message ("a bar %d px wide: %u candidates a page", gtk_widget_get_width (lone), count);
      g_assert_cmpint (gtk_widget_get_width (lone), ==, bar_widths[w]);
      g_assert_cmpuint (count, >=, previous_count);
      g_assert_cmpuint (count, >=, 1);
      previous_count = count;
      gtk_window_destroy (small);
    }
  g_assert_cmpuint (previous_count, ==, ck_candidate_bar_get_page_size (fixture->pad_candidates));
}

int
main (int   argc,
      char *argv[])
{
  /* Characters in the log as characters, not "?". */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();
  /* GtkBuilder translates templates in the default domain, as main.c
   * sets it. */
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  load_style ();

  g_test_add ("/name-input/handwriting", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_handwriting, fixture_tear_down);
  g_test_add ("/name-input/handwriting-undo", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_handwriting_undo, fixture_tear_down);
  g_test_add ("/name-input/pinyin", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pinyin, fixture_tear_down);
  g_test_add ("/name-input/cursor", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_cursor, fixture_tear_down);
  g_test_add ("/name-input/keyboard-access", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_keyboard_access, fixture_tear_down);
  g_test_add ("/name-input/accessible", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_accessible, fixture_tear_down);
  g_test_add ("/name-input/candidate-bar", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_candidate_bar, fixture_tear_down);
  g_test_add ("/name-input/size", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_size, fixture_tear_down);

  return g_test_run ();
}
