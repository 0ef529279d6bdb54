/* test-layout.c: every page and dialog fits every kiosk screen
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A customer walks through the kiosk (in Chinese where the locale
 * exists), and at each page, each on-screen input (handwriting, pinyin
 * with candidates, the digit keypad) and each error state, the window is
 * made each kiosk screen's size in turn: 1080×1920 (portrait), 1920×1080,
 * 1280×800 and 1024×768. At each, the window must keep that size (no
 * content wider or taller than the screen) and every mapped widget must
 * lie inside the window, and inside its scrolled window horizontally,
 * which must not scroll sideways. The staff dialog and the records window
 * are checked the same way.
 *
 * On the details page nothing may move under a finger: the fields and the
 * buttons are where they were whichever field has the focus, whichever
 * on-screen input shows, and whatever message a field shows.
 *
 * Every state is saved as layout-STATE-WxH.png in the build's tests/
 * folder; scripts/screenshot copies them to docs/screenshots/. The test
 * runs on a 2048×2048 X screen (tests/ui/meson.build) so that every size
 * is on screen for the real X input the signature needs. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "ck.h"
#include "ck-adaptive-box.h"
#include "ck-application.h"
#include "ck-candidate-bar.h"
#include "ck-details-page.h"
#include "ck-handwriting-pad.h"
#include "ck-keypad.h"
#include "ck-name-input.h"
#include "ck-pinyin-keyboard.h"
#include "ck-signature-page.h"
#include "ck-staff-dialog.h"
#include "ck-staff-window.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"
#include "ck-result-page.h"
#include "ck-window.h"

#define T(s) g_dgettext (GETTEXT_PACKAGE, s)

#define PIN       "246810"
#define NAME      "张三"
#define ID_NUMBER "11010519491231002X"

typedef struct
{
  int width;
  int height;
} Size;

static const Size sizes[] = {
  { 1080, 1920 },
  { 1920, 1080 },
  { 1280, 800 },
  { 1024, 768 },
};

static CkApplication *app;
static char *tmp_dir;

/* --- sizes ----------------------------------------------------------------- */

typedef struct
{
  GtkWidget *window;
  int width;
  int height;
} SizeWait;

static gboolean
has_size (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_width (wait->window) == wait->width &&
         gtk_widget_get_height (wait->window) == wait->height;
}

/* Makes @window @size and waits until it is laid out at it. A window
 * whose content needs more than the screen grows past it: fails, saying
 * how much the content needs. */
static void
resize (GtkWindow  *window,
        const Size *size)
{
  SizeWait wait = { GTK_WIDGET (window), size->width, size->height };
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  /* The frame GTK draws around a window that is not fullscreen (its
   * resize borders): the content is to be the screen's size, as it is
   * fullscreen in kiosk mode. */
  int frame_width = gdk_surface_get_width (surface) - gtk_widget_get_width (GTK_WIDGET (window));
  int frame_height = gdk_surface_get_height (surface) - gtk_widget_get_height (GTK_WIDGET (window));

  gtk_window_set_default_size (window, size->width + frame_width, size->height + frame_height);
  /* The X server answers the resize within a few frames; more frames
   * than that mean the window will not take the size. */
  for (guint frames = 0; frames < 30 && !has_size (&wait); frames++)
    ck_ui_wait_for_frames (GTK_WIDGET (window), 1);

  if (!has_size (&wait))
    {
      int min_width, min_height;

      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, size->width, &min_height, NULL, NULL, NULL);
      g_error ("%s is %d×%d, not %d×%d: its content needs at least %d×%d",
               G_OBJECT_TYPE_NAME (window),
               gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)),
               size->width, size->height, min_width, min_height);
    }
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
}

/* --- what fits --------------------------------------------------------------- */

/* A path of types from the window to @widget, and what it says, for
 * messages. */
static char *
describe (GtkWidget *widget)
{
  g_autoptr(GString) path = g_string_new (NULL);
  const char *text = NULL;

  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    {
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (GTK_IS_NATIVE (w))
        break;
      g_string_prepend (path, " > ");
    }
  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text)
    g_string_append_printf (path, " “%s”", text);

  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* Saves @window as layout-@state-WxH.png. */
static void
shoot (GtkWindow  *window,
       const char *state,
       const Size *size)
{
  g_autofree char *name = g_strdup_printf ("layout-%s-%dx%d", state, size->width, size->height);

  g_free (ck_ui_save_screenshot (GTK_WIDGET (window), name));
}

/* Tolerance for fractional positions (centred children) and for the
 * 1 px border Adwaita gives a window that is not fullscreen, which its
 * header bar overlaps. */
#define SLACK 1.01

static void
check_widget (GtkWidget       *window,
              GtkWidget       *widget,
              graphene_rect_t *clip,
              const char      *state,
              const Size      *size,
              guint           *n_checked)
{
  graphene_rect_t bounds;
  graphene_rect_t inner = *clip;

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_get_child_visible (widget))
    return;
  /* Popovers and other surfaces of their own. */
  if (widget != window && GTK_IS_NATIVE (widget))
    return;
  if (gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    return;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  (*n_checked)++;

  /* The window's own bounds take in its frame. */
  if (widget != window && (bounds.origin.x < clip->origin.x - SLACK ||
      bounds.origin.x + bounds.size.width > clip->origin.x + clip->size.width + SLACK ||
      bounds.origin.y < clip->origin.y - SLACK ||
      bounds.origin.y + bounds.size.height > clip->origin.y + clip->size.height + SLACK))
    {
      g_autofree char *path = describe (widget);

      g_error ("%s at %d×%d: %s at (%.0f, %.0f) %.0f×%.0f is outside (%.0f, %.0f) %.0f×%.0f",
               state, size->width, size->height, path,
               bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
               clip->origin.x, clip->origin.y, clip->size.width, clip->size.height);
    }

  /* A scrolled window: no sideways scrolling; what is inside lies within
   * its width (and may be scrolled out of sight vertically). */
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (widget));

      if (gtk_adjustment_get_upper (h) - gtk_adjustment_get_lower (h) >
          gtk_adjustment_get_page_size (h) + SLACK)
        {
          g_autofree char *path = describe (widget);

          g_error ("%s at %d×%d: %s scrolls sideways: %.0f px in %.0f", state, size->width, size->height,
                   path, gtk_adjustment_get_upper (h) - gtk_adjustment_get_lower (h),
                   gtk_adjustment_get_page_size (h));
        }
      inner = GRAPHENE_RECT_INIT (bounds.origin.x, -G_MAXFLOAT / 4, bounds.size.width, G_MAXFLOAT / 2);
    }

  /* A scrollbar's slider overhangs its trough as its style wants. */
  if (GTK_IS_SCROLLBAR (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child;
       child = gtk_widget_get_next_sibling (child))
    check_widget (window, child, &inner, state, size, n_checked);
}

/* Every mapped widget of @window lies inside it. */
static void
check_fits (GtkWindow  *window,
            const char *state,
            const Size *size)
{
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, size->width, size->height);
  guint n_checked = 0;

  check_widget (GTK_WIDGET (window), GTK_WIDGET (window), &all, state, size, &n_checked);
  g_assert_cmpuint (n_checked, >, 10);
  g_test_message ("%s at %d×%d: %u widgets inside", state, size->width, size->height, n_checked);
}

/* @window at every size: fits, photographed as layout-@state-WxH.png;
 * back at @restore (the size the test drives it at) afterwards. */
static void
check_all_sizes (GtkWindow  *window,
                 const char *state,
                 const Size *restore)
{
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      resize (window, &sizes[i]);
      check_fits (window, state, &sizes[i]);
      shoot (window, state, &sizes[i]);
    }
  if (restore)
    resize (window, restore);
}

/* --- the customer's pages -------------------------------------------------------- */

static CkDetailsPage *
details_page (CkWindow *window)
{
  return CK_DETAILS_PAGE (ck_ui_page (window, "details"));
}

static gboolean
stack_settled (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (data));
}

/* Waits for every stack on the details page to finish its crossfade. */
static void
settle (CkWindow *window)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  ck_ui_collect (GTK_WIDGET (details_page (window)), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    ck_ui_wait_until (stack_settled, stacks->pdata[i], 5, "a stack's transition");
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
}

/* Where the details page's fields and buttons are: what must not move. */
static GArray *
record_form (CkWindow *window)
{
  GtkWidget *page = GTK_WIDGET (details_page (window));
  GtkWidget *widgets[] = {
    GTK_WIDGET (ck_details_page_get_name_entry (details_page (window))),
    GTK_WIDGET (ck_details_page_get_id_entry (details_page (window))),
    GTK_WIDGET (ck_details_page_get_name_input (details_page (window))),
    GTK_WIDGET (ck_ui_find_button (page, T ("Next"))),
    GTK_WIDGET (ck_ui_find_button (page, T ("Back"))),
    GTK_WIDGET (ck_ui_find_button (page, T ("Cancel"))),
    ck_ui_find_descendant (page, GTK_TYPE_STACK),
  };
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      graphene_rect_t rect;

      g_assert_nonnull (widgets[i]);
      g_assert_true (gtk_widget_compute_bounds (widgets[i], GTK_WIDGET (window), &rect));
      g_array_append_val (bounds, rect);
    }

  return bounds;
}

static void
assert_form_unmoved (GArray     *before,
                     GArray     *after,
                     const char *what,
                     const Size *size)
{
  g_assert_cmpuint (before->len, ==, after->len);
  for (guint i = 0; i < before->len; i++)
    {
      graphene_rect_t *a = &g_array_index (before, graphene_rect_t, i);
      graphene_rect_t *b = &g_array_index (after, graphene_rect_t, i);

      if (!graphene_rect_equal (a, b))
        g_error ("at %d×%d, %s moved the form: widget %u from (%.0f, %.0f) %.0f×%.0f "
                 "to (%.0f, %.0f) %.0f×%.0f", size->width, size->height, what, i,
                 a->origin.x, a->origin.y, a->size.width, a->size.height,
                 b->origin.x, b->origin.y, b->size.width, b->size.height);
    }
}

static void
focus_entry (CkWindow *window,
             GtkEntry *entry)
{
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  settle (window);
}

static gboolean
reader_failed (gpointer data)
{
  return ck_card_reader_get_state (data) == CK_CARD_READER_STATE_FAILED;
}

/* The details page in each of its states, at every size; the form stays
 * put through all of them. */
static void
check_details (CkWindow   *window,
               const Size *restore)
{
  CkDetailsPage *page = details_page (window);
  CkNameInput *input = ck_details_page_get_name_input (page);
  CkAdaptiveBox *form = CK_ADAPTIVE_BOX (ck_ui_find_descendant (GTK_WIDGET (page), CK_TYPE_ADAPTIVE_BOX));
  GtkWidget *pad = ck_ui_find_descendant (GTK_WIDGET (input), CK_TYPE_HANDWRITING_PAD);
  GtkWidget *keyboard = ck_ui_find_descendant (GTK_WIDGET (input), CK_TYPE_PINYIN_KEYBOARD);
  CkCandidateBar *written = CK_CANDIDATE_BAR (ck_ui_find_descendant (pad, CK_TYPE_CANDIDATE_BAR));
  static const char * const recognised[] = { "张", "弦", "弘", "弛", "引", "弓", "弥", "强", "弹", "弼", NULL };
  g_autoptr(GError) name_error = NULL;
  g_autofree char *bad_name = ck_name_normalize ("张3", CK_NAME_FLAGS_NONE, &name_error);
  g_autoptr(CkCardReader) reader = ck_card_reader_new ("/nonexistent/idcard-reader", CK_CARD_READER_DEFAULT_BAUD);

  g_assert_null (bad_name);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GArray) start = NULL;
      g_autoptr(GArray) moved = NULL;
      const Size *size = &sizes[i];

      resize (GTK_WINDOW (window), size);
      gtk_editable_set_text (ck_ui_name_entry (window), "");
      gtk_editable_set_text (ck_ui_id_entry (window), "");
      ck_name_input_set_mode (input, CK_NAME_INPUT_MODE_HANDWRITING);
      ck_candidate_bar_set_candidates (written, NULL);
      focus_entry (window, ck_details_page_get_name_entry (page));
      check_fits (GTK_WINDOW (window), "details", size);
      /* Portrait: the fields above the on-screen input; landscape, down
       * to 1024×768, beside it. */
      g_assert_cmpint (ck_adaptive_box_get_stacked (form), ==, size->height > size->width);
      start = record_form (window);
      shoot (GTK_WINDOW (window), "details", size);

      /* With an ID card reader, the card asked for in the input's place
       * (a missing one: its message under the request). */
      {
        CkCardPanel *panel = ck_details_page_get_card_panel (page);
        GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_STACK));

        ck_card_panel_set_reader (panel, reader);
        gtk_stack_set_visible_child (stack, GTK_WIDGET (panel));
        ck_card_panel_start (panel);
        ck_ui_wait_until (reader_failed, reader, 10, "the missing reader's message");
        settle (window);
        check_fits (GTK_WINDOW (window), "details-card", size);
        g_clear_pointer (&moved, g_array_unref);
        assert_form_unmoved (start, moved = record_form (window), "the card request", size);
        shoot (GTK_WINDOW (window), "details-card", size);
        ck_card_panel_reset (panel);
        ck_card_panel_set_reader (panel, NULL);
        gtk_stack_set_visible_child_name (stack, "name");
        settle (window);
      }

      /* A character written: a full page of candidates. */
      ck_candidate_bar_set_candidates (written, recognised);
      settle (window);
      check_fits (GTK_WINDOW (window), "details-handwriting", size);
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "candidates", size);
      shoot (GTK_WINDOW (window), "details-handwriting", size);
      ck_candidate_bar_set_candidates (written, NULL);

      /* Pinyin, "zhang" typed: its candidates. */
      ck_name_input_set_mode (input, CK_NAME_INPUT_MODE_PINYIN);
      settle (window);
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "pinyin", size);
      for (const char *p = "zhang"; *p; p++)
        {
          char letter[2] = { *p, '\0' };

          g_assert_true (gtk_widget_activate_action (keyboard, "pinyin-keyboard.type", "s", letter));
        }
      settle (window);
      check_fits (GTK_WINDOW (window), "details-pinyin", size);
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "pinyin candidates", size);
      shoot (GTK_WINDOW (window), "details-pinyin", size);
      ck_pinyin_keyboard_clear (CK_PINYIN_KEYBOARD (keyboard));

      /* The ID number: the keypad in the name input's place. */
      focus_entry (window, ck_details_page_get_id_entry (page));
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "the ID number's focus", size);
      check_fits (GTK_WINDOW (window), "details-keypad", size);
      shoot (GTK_WINDOW (window), "details-keypad", size);

      /* Messages under both fields, and Next refused. */
      gtk_editable_set_text (ck_ui_name_entry (window), "张3");
      gtk_editable_set_text (ck_ui_id_entry (window), "110105194912310021");
      ck_ui_click (GTK_WIDGET (page), T ("Next"));
      settle (window);
      g_assert_cmpstr (ck_ui_page_name (window), ==, "details");
      g_assert_nonnull (ck_ui_find_label (GTK_WIDGET (page), name_error->message));
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "the error messages", size);
      check_fits (GTK_WINDOW (window), "details-errors", size);
      shoot (GTK_WINDOW (window), "details-errors", size);

      /* And gone again. */
      gtk_editable_set_text (ck_ui_name_entry (window), NAME);
      gtk_editable_set_text (ck_ui_id_entry (window), ID_NUMBER);
      focus_entry (window, ck_details_page_get_name_entry (page));
      g_clear_pointer (&moved, g_array_unref);
      assert_form_unmoved (start, moved = record_form (window), "the messages gone", size);
    }

  resize (GTK_WINDOW (window), restore);
}

static void
sign (CkWindow *window)
{
  CkSignaturePad *pad = ck_ui_signature_pad (window);
  int width = gtk_widget_get_width (GTK_WIDGET (pad));
  int height = gtk_widget_get_height (GTK_WIDGET (pad));
  double wave[2 * 40];

  for (guint i = 0; i < 40; i++)
    {
      wave[2 * i] = width * (0.2 + 0.6 * i / 39.0);
      wave[2 * i + 1] = height * (0.5 + 0.15 * sin (i / 3.0));
    }
  ck_ui_draw_on_pad (pad, wave, 40);
}

/* Shows @name without running it (saving and verifying are over too soon
 * to be checked on their way), spinning as while it works. */
static void
check_shown_page (CkWindow   *window,
                  const char *name,
                  const Size *restore)
{
  GtkStack *stack = ck_window_get_stack (window);
  g_autofree char *shown = g_strdup (ck_ui_page_name (window));
  GtkWidget *spinner = ck_ui_find_descendant (ck_ui_page (window, name), GTK_TYPE_SPINNER);

  gtk_stack_set_visible_child_name (stack, name);
  if (spinner)
    gtk_spinner_start (GTK_SPINNER (spinner));
  ck_ui_wait_for_page (window, name, 5);
  check_all_sizes (GTK_WINDOW (window), name, restore);
  if (spinner)
    gtk_spinner_stop (GTK_SPINNER (spinner));
  gtk_stack_set_visible_child_name (stack, shown);
  ck_ui_wait_for_page (window, shown, 5);
}

static CkWindow *
open_window (void)
{
  return CK_WINDOW (ck_ui_present (G_APPLICATION (app)));
}

/* Welcome to the result, every page and state at every size. */
static void
test_customer (void)
{
  CkWindow *window = open_window ();
  const Size *drive = &sizes[2];
  g_autoptr(CkFlow) flow = NULL;
  GtkCheckButton *letter, *declaration;
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  g_autoptr(GError) dot_error = NULL;
  double dot[2];

  resize (GTK_WINDOW (window), drive);
  check_all_sizes (GTK_WINDOW (window), "welcome", drive);

  ck_ui_click (ck_ui_page (window, "welcome"), T ("Start"));
  ck_ui_wait_for_page (window, "letter", 5);
  flow = g_object_ref (ck_window_get_flow (window));
  check_all_sizes (GTK_WINDOW (window), "letter", drive);

  scroller = GTK_SCROLLED_WINDOW (ck_ui_find_descendant (ck_ui_page (window, "letter"),
                                                         GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  ck_ui_wait_for_frames (GTK_WIDGET (window), 2);
  ck_ui_letter_checks (window, &letter, &declaration);
  gtk_check_button_set_active (letter, TRUE);
  gtk_check_button_set_active (declaration, TRUE);
  check_all_sizes (GTK_WINDOW (window), "letter-agreed", drive);
  ck_ui_click (ck_ui_page (window, "letter"), T ("Next"));

  ck_ui_wait_for_page (window, "details", 5);
  check_details (window, drive);
  gtk_editable_set_text (ck_ui_name_entry (window), NAME);
  gtk_editable_set_text (ck_ui_id_entry (window), ID_NUMBER);
  ck_ui_click (ck_ui_page (window, "details"), T ("Next"));

  ck_ui_wait_for_page (window, "signature", 5);
  check_all_sizes (GTK_WINDOW (window), "signature", drive);
  /* A dot: the signature's message. */
  dot[0] = gtk_widget_get_width (GTK_WIDGET (ck_ui_signature_pad (window))) / 2.0;
  dot[1] = gtk_widget_get_height (GTK_WIDGET (ck_ui_signature_pad (window))) / 2.0;
  ck_ui_draw_on_pad (ck_ui_signature_pad (window), dot, 1);
  g_assert_false (ck_signature_pad_check_acceptable (ck_ui_signature_pad (window), &dot_error));
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));
  g_assert_nonnull (ck_ui_find_label (ck_ui_page (window, "signature"), dot_error->message));
  check_all_sizes (GTK_WINDOW (window), "signature-error", drive);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Clear"));
  sign (window);
  check_all_sizes (GTK_WINDOW (window), "signature-signed", drive);
  ck_ui_click (ck_ui_page (window, "signature"), T ("Next"));

  ck_ui_wait_for_page (window, "review", 5);
  check_all_sizes (GTK_WINDOW (window), "review", drive);
  /* The result page stays while it is measured (its countdown home is
   * tested in test-elderly). */
  ck_result_page_set_return_after (CK_RESULT_PAGE (ck_ui_page (window, "result")), 0);
  ck_ui_click (ck_ui_page (window, "review"), T ("Confirm and sign"));

  ck_ui_wait_until (ck_ui_flow_is_done, flow, 60, "the save and the verification");
  ck_ui_wait_for_page (window, "result", 10);
  check_all_sizes (GTK_WINDOW (window), "result", drive);
  check_shown_page (window, "saving", drive);
  check_shown_page (window, "verifying", drive);

  ck_ui_click (ck_ui_page (window, "result"), T ("Back to Home"));
  ck_ui_wait_for_page (window, "welcome", 5);
}

/* --- staff ------------------------------------------------------------------------ */

static gboolean
has_staff_dialog (gpointer data)
{
  GtkWindow *dialog = ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG);

  return dialog && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
is_unlocked (gpointer data)
{
  return ck_staff_dialog_get_unlocked (CK_STAFF_DIALOG (data));
}

static gboolean
has_staff_window (gpointer data)
{
  GtkWindow *records = ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW);

  return records && gtk_widget_get_mapped (GTK_WIDGET (records));
}

static gboolean
staff_window_gone (gpointer data)
{
  return ck_window_get_staff_window (CK_WINDOW (data)) == NULL;
}

/* The dialog is its own window, over the kiosk's: it must fit the screen
 * and hold all it shows. */
static void
check_dialog (CkWindow   *window,
              GtkWindow  *dialog,
              const char *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Size size;

      resize (GTK_WINDOW (window), &sizes[i]);
      ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
      size.width = gtk_widget_get_width (GTK_WIDGET (dialog));
      size.height = gtk_widget_get_height (GTK_WIDGET (dialog));
      g_assert_cmpint (size.width, <=, sizes[i].width);
      g_assert_cmpint (size.height, <=, sizes[i].height);
      check_fits (dialog, state, &size);
      shoot (dialog, state, &sizes[i]);
    }
}

static void
test_staff (void)
{
  CkWindow *window = open_window ();
  const Size *drive = &sizes[2];
  CkStaffDialog *dialog;
  GtkWindow *records;
  GtkWidget *keypad;
  graphene_rect_t before, after;

  resize (GTK_WINDOW (window), drive);
  ck_window_show_staff (window);
  ck_ui_wait_until (has_staff_dialog, NULL, 5, "the staff dialog");
  dialog = CK_STAFF_DIALOG (ck_ui_find_toplevel (CK_TYPE_STAFF_DIALOG));
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
  check_dialog (window, GTK_WINDOW (dialog), "staff-dialog");

  /* A wrong PIN: the message, in room kept for it: the keypad stays. */
  keypad = ck_ui_find_descendant (GTK_WIDGET (dialog), CK_TYPE_KEYPAD);
  g_assert_true (gtk_widget_compute_bounds (keypad, GTK_WIDGET (dialog), &before));
  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), "000000");
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_assert_false (ck_staff_dialog_get_unlocked (dialog));
  g_assert_true (gtk_widget_compute_bounds (keypad, GTK_WIDGET (dialog), &after));
  if (!graphene_rect_equal (&before, &after))
    g_error ("the wrong PIN's message moved the keypad from y = %.0f to %.0f",
             before.origin.y, after.origin.y);
  check_dialog (window, GTK_WINDOW (dialog), "staff-dialog-error");

  gtk_editable_set_text (ck_staff_dialog_get_pin (dialog), PIN);
  ck_ui_click (GTK_WIDGET (dialog), T ("Unlock"));
  ck_ui_wait_until (is_unlocked, dialog, 10, "the right PIN accepted");
  gtk_editable_set_text (ck_staff_dialog_get_operator (dialog), "柜员 0042");
  check_dialog (window, GTK_WINDOW (dialog), "staff-dialog-unlocked");
  ck_ui_click (GTK_WIDGET (dialog), T ("Records"));

  ck_ui_wait_until (has_staff_window, NULL, 10, "the records window");
  records = ck_ui_find_toplevel (CK_TYPE_STAFF_WINDOW);
  ck_ui_wait_for_frames (GTK_WIDGET (records), 2);
  check_all_sizes (records, "staff-records", NULL);

  ck_ui_click (GTK_WIDGET (records), T ("Close"));
  ck_ui_wait_until (staff_window_gone, window, 10, "the records closed");
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

  tmp_dir = g_dir_make_tmp ("test-layout-XXXXXX", &error);
  g_assert_no_error (error);
  ck_init ();
  hash = ck_pin_hash (PIN, CK_PIN_MIN_ITERATIONS, &error);
  g_assert_no_error (error);
  /* Not kiosk mode: kiosk mode makes the window the screen's size, and
   * this test chooses the size. */
  contents = g_strdup_printf ("[kiosk]\n"
                              "data_dir = %s/data\n"
                              "staff_pin_hash = %s\n"
                              "idle_timeout_s = 3600\n"
                              "[verification]\n"
                              "provider = demo\n",
                              tmp_dir, hash);
  app = ck_ui_start_kiosk (tmp_dir, contents);

  g_test_add_func ("/layout/customer", test_customer);
  g_test_add_func ("/layout/staff", test_staff);

  status = g_test_run ();

  ck_ui_stop_kiosk (g_steal_pointer (&app));
  ck_test_rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
