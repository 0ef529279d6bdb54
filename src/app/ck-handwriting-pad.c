/* ck-handwriting-pad.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writing a name one character at a time: a square CkSignaturePad (the
 * same stroke capture as the signature, drawn over a writing grid), and
 * under it the characters CkHandwriting makes of the strokes. Recognition
 * runs RECOGNIZE_DELAY_MS after the pen last went up (5–20 ms on the main
 * thread), so a character written quickly is recognised once. Tapping a
 * candidate emits "character-chosen" and clears the pad for the next
 * character. */

#define G_LOG_DOMAIN "ck-handwriting-pad"

#include "config.h"

#include "ck.h"
#include "ck-candidate-bar.h"
#include "ck-handwriting-pad.h"
#include "ck-signature-pad.h"

struct _CkHandwritingPad
{
  GtkWidget parent_instance;

  GtkDrawingArea *grid;
  CkSignaturePad *pad;
  CkCandidateBar *candidates;

  CkHandwriting *recognizer;
  char *default_placeholder;
  guint recognize_id;
};

enum {
  CHARACTER_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkHandwritingPad, ck_handwriting_pad, GTK_TYPE_WIDGET)

#define RECOGNIZE_DELAY_MS 300
#define MAX_CANDIDATES 16

/**
 * ck_handwriting_pad_new:
 *
 * Returns: (transfer floating): a new handwriting pad
 */
GtkWidget *
ck_handwriting_pad_new (void)
{
  return g_object_new (CK_TYPE_HANDWRITING_PAD, NULL);
}

static void
show_candidates (CkHandwritingPad   *self,
                 const char * const *candidates,
                 const char         *message)
{
  ck_candidate_bar_set_candidates (self->candidates, candidates);
  ck_candidate_bar_set_placeholder (self->candidates, message ? message : self->default_placeholder);
}

static gboolean
recognize_cb (gpointer data)
{
  CkHandwritingPad *self = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;

  self->recognize_id = 0;

  candidates = ck_handwriting_recognize (self->recognizer,
                                         ck_signature_pad_get_signature (self->pad),
                                         MAX_CANDIDATES, &error);
  if (error)
    g_debug ("Not recognised: %s", error->message);
  show_candidates (self, (const char * const *)candidates, error ? error->message : NULL);

  return G_SOURCE_REMOVE;
}

static void
pad_changed (CkSignaturePad   *pad,
             CkHandwritingPad *self)
{
  gboolean empty = ck_signature_pad_get_empty (pad);

  g_clear_handle_id (&self->recognize_id, g_source_remove);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handwriting-pad.undo", !empty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handwriting-pad.clear", !empty);

  if (empty)
    show_candidates (self, NULL, NULL);
  else if (self->recognizer)
    self->recognize_id = g_timeout_add (RECOGNIZE_DELAY_MS, recognize_cb, self);
}

/* A stroke began (or one went): wait for the pen to go up. */
static void
pad_n_strokes_changed (CkSignaturePad   *pad,
                       GParamSpec       *pspec,
                       CkHandwritingPad *self)
{
  g_clear_handle_id (&self->recognize_id, g_source_remove);
}

static void
candidate_activated (CkCandidateBar   *candidates,
                     guint             index,
                     const char       *text,
                     CkHandwritingPad *self)
{
  g_signal_emit (self, signals[CHARACTER_CHOSEN], 0, text);
  ck_handwriting_pad_clear (self);
}

/* A 田字格: the frame and, dashed, the two middle lines. */
static void
draw_grid (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  static const double dashes[] = { 8.0, 6.0 };
  GdkRGBA color;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.25);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, width / 2.0, 0);
  cairo_line_to (cr, width / 2.0, height);
  cairo_move_to (cr, 0, height / 2.0);
  cairo_line_to (cr, width, height / 2.0);
  cairo_stroke (cr);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ck_signature_pad_undo (CK_HANDWRITING_PAD (widget)->pad);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ck_handwriting_pad_clear (CK_HANDWRITING_PAD (widget));
}

static void
ck_handwriting_pad_dispose (GObject *object)
{
  CkHandwritingPad *self = (CkHandwritingPad *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->recognize_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_HANDWRITING_PAD);
  /* The template's unnamed box. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->recognizer);
  g_clear_pointer (&self->default_placeholder, g_free);

  G_OBJECT_CLASS (ck_handwriting_pad_parent_class)->dispose (object);
}

static void
ck_handwriting_pad_class_init (CkHandwritingPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_handwriting_pad_dispose;

  /**
   * CkHandwritingPad::character-chosen:
   * @self: the pad
   * @character: the character the customer tapped
   *
   * Emitted when a candidate is chosen; the pad is cleared after it.
   */
  signals[CHARACTER_CHOSEN] =
    g_signal_new ("character-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "handwriting-pad.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "handwriting-pad.clear", NULL, clear_action);

  g_type_ensure (CK_TYPE_CANDIDATE_BAR);
  g_type_ensure (CK_TYPE_SIGNATURE_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-handwriting-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, CkHandwritingPad, grid);
  gtk_widget_class_bind_template_child (widget_class, CkHandwritingPad, pad);
  gtk_widget_class_bind_template_child (widget_class, CkHandwritingPad, candidates);
  gtk_widget_class_bind_template_callback (widget_class, pad_changed);
  gtk_widget_class_bind_template_callback (widget_class, pad_n_strokes_changed);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "handwritingpad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_handwriting_pad_init (CkHandwritingPad *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->grid, draw_grid, NULL, NULL);
  self->default_placeholder = g_strdup (ck_candidate_bar_get_placeholder (self->candidates));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handwriting-pad.undo", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handwriting-pad.clear", FALSE);

  self->recognizer = ck_handwriting_new (NULL, &error);
  if (self->recognizer == NULL)
    {
      /* Staff see why; the customer is offered pinyin (CkNameInput). */
      g_warning ("%s", error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->pad), FALSE);
      g_free (self->default_placeholder);
      self->default_placeholder = g_strdup (error->message);
      show_candidates (self, NULL, NULL);
    }
  /* The commonest surnames as schools teach them: without it, handwriting
   * still works, and 张 written that way is hard to find. */
  else if (!ck_handwriting_set_supplement (self->recognizer, ck_handwriting_get_default_supplement (),
                                           CK_HANDWRITING_SUPPLEMENT_MIN_SCORE, &error))
    g_message ("%s", error->message);
}

/**
 * ck_handwriting_pad_get_available:
 * @self: a #CkHandwritingPad
 *
 * Returns: whether handwriting can be recognised (the model is there)
 */
gboolean
ck_handwriting_pad_get_available (CkHandwritingPad *self)
{
  g_return_val_if_fail (CK_IS_HANDWRITING_PAD (self), FALSE);

  return self->recognizer != NULL;
}

/**
 * ck_handwriting_pad_get_candidates:
 * @self: a #CkHandwritingPad
 *
 * Returns: (transfer none) (nullable): what the strokes may be, best
 *   first; %NULL until something is recognised
 */
const char * const *
ck_handwriting_pad_get_candidates (CkHandwritingPad *self)
{
  g_return_val_if_fail (CK_IS_HANDWRITING_PAD (self), NULL);

  return ck_candidate_bar_get_candidates (self->candidates);
}

/**
 * ck_handwriting_pad_clear:
 * @self: a #CkHandwritingPad
 *
 * Removes the strokes and the candidates, e.g. for the next customer.
 */
void
ck_handwriting_pad_clear (CkHandwritingPad *self)
{
  g_return_if_fail (CK_IS_HANDWRITING_PAD (self));

  g_clear_handle_id (&self->recognize_id, g_source_remove);
  ck_signature_pad_clear (self->pad);
  show_candidates (self, NULL, NULL);
}
