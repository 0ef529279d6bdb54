/* ck-letter-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The letter and the declaration, as the PDF will carry them, with how far
 * the customer has read. The two agreements are separate check buttons
 * that stay locked until the text was scrolled to its end
 * (docs/ARCHITECTURE.md, invariant 2); Next needs both. Showing the page records the letter in
 * the flow (ck_flow_show), Next the agreements (ck_flow_agree). */

#define G_LOG_DOMAIN "ck-letter-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-letter-page.h"
#include "ck-letter-view.h"

/* Pixels from the end that count as the end (rounding, overshoot). */
#define END_SLACK 2.0

struct _CkLetterPage
{
  CkPage parent_instance;

  GtkScrolledWindow *scroller;
  CkLetterView *letter_view;
  GtkProgressBar *progress_bar;
  GtkButton *scroll_button;
  GtkLabel *hint_label;
  GtkCheckButton *letter_check;
  GtkCheckButton *declaration_check;
  GtkLabel *error_label;
  GtkButton *next_button;
  GtkButton *read_button;

  CkVoice *voice;             /* NULL: voice prompts off */
  GCancellable *reading;      /* while the letter is read aloud */

  double progress;
  gboolean read;
};

G_DEFINE_FINAL_TYPE (CkLetterPage, ck_letter_page, CK_TYPE_PAGE)

static void
update_sensitivity (CkLetterPage *self)
{
  gboolean both = gtk_check_button_get_active (self->letter_check) &&
                  gtk_check_button_get_active (self->declaration_check);

  gtk_widget_set_sensitive (GTK_WIDGET (self->letter_check), self->read);
  gtk_widget_set_sensitive (GTK_WIDGET (self->declaration_check), self->read);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scroll_button), !self->read);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), !self->read);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), self->read && both);
}

/* How far down the customer has seen, and whether that was the end. */
static void
on_adjustment_changed (CkLetterPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double upper = gtk_adjustment_get_upper (adjustment);
  double seen = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment);
  g_autofree char *text = NULL;

  /* Before the first allocation there is nothing to have read. */
  if (upper <= 0.0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->progress = MAX (self->progress, CLAMP (seen / upper, 0.0, 1.0));
  if (seen >= upper - END_SLACK)
    {
      self->progress = 1.0;
      self->read = TRUE;
    }

  gtk_progress_bar_set_fraction (self->progress_bar, self->progress);
  /* Translators: how much of the letter was read, e.g. "Read 45%" */
  text = g_strdup_printf (_("Read %d%%"), (int)(self->progress * 100.0 + 0.5));
  gtk_progress_bar_set_text (self->progress_bar, text);
  update_sensitivity (self);
}

static void
on_scroll_clicked (CkLetterPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) +
                            gtk_adjustment_get_page_size (adjustment) * 0.85);
}

static void
on_check_toggled (CkLetterPage *self)
{
  ck_page_show_error (CK_PAGE (self), self->error_label, NULL);
  update_sensitivity (self);
}

static void
on_next_clicked (CkLetterPage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));
  g_autoptr(GError) error = NULL;

  g_return_if_fail (flow != NULL);

  /* Back here from a later page, the flow is past agreeing already. */
  if (ck_flow_get_state (flow) == CK_FLOW_STATE_READING &&
      !ck_flow_agree (flow,
                      gtk_check_button_get_active (self->letter_check),
                      gtk_check_button_get_active (self->declaration_check),
                      &error))
    {
      ck_page_show_error (CK_PAGE (self), self->error_label, error->message);
      return;
    }

  ck_page_emit_next (CK_PAGE (self));
}

static void
on_cancel_clicked (CkLetterPage *self)
{
  ck_page_emit_cancel (CK_PAGE (self));
}

/* Reading aloud (issue 17): 朗读 reads the letter block by block, the
 * block being read highlighted and scrolled into view; 停止, leaving the
 * page or a wipe stops it. */

static void
update_read_button (CkLetterPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->read_button), self->voice != NULL);
  gtk_button_set_label (self->read_button,
                        self->reading ? _("Stop Reading") : _("Read Aloud"));
}

static void
stop_reading (CkLetterPage *self)
{
  if (self->reading)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  ck_letter_view_set_reading_block (self->letter_view, -1);
  update_read_button (self);
}

static void
scroll_to_block (CkLetterPage *self,
                 GtkWidget    *block)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scroller);
  double page_size = gtk_adjustment_get_page_size (adjustment);
  graphene_rect_t bounds;

  if (viewport == NULL || !gtk_widget_compute_bounds (block, viewport, &bounds))
    return;

  /* The viewport's children move as it scrolls: bounds are on screen. */
  if (bounds.origin.y < 0 || bounds.origin.y + bounds.size.height > page_size)
    gtk_adjustment_set_value (adjustment,
                              gtk_adjustment_get_value (adjustment) + bounds.origin.y - 24.0);
}

static void
on_read_paragraph (CkVoice  *voice,
                   guint     index,
                   gboolean  done,
                   gpointer  user_data)
{
  CkLetterPage *self = user_data;
  GtkWidget *block;

  if (done)
    return;

  ck_letter_view_set_reading_block (self->letter_view, (int)index);
  if ((block = ck_letter_view_get_block (self->letter_view, index)))
    scroll_to_block (self, block);
}

typedef struct
{
  CkLetterPage *self;
  GCancellable *reading;
} ReadData;

static void
on_read_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadData *data = user_data;
  CkLetterPage *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!ck_voice_speak_finish (CK_VOICE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Reading the letter aloud failed: %s", error->message);
      ck_page_show_error (CK_PAGE (self), self->error_label, error->message);
    }

  /* Only if this reading is still the page's (not one stopped before). */
  if (self->reading == data->reading)
    stop_reading (self);

  g_object_unref (data->reading);
  g_object_unref (data->self);
  g_free (data);
}

static void
on_read_clicked (CkLetterPage *self)
{
  g_auto(GStrv) texts = NULL;
  ReadData *data;

  if (self->reading || self->voice == NULL)
    {
      stop_reading (self);
      return;
    }

  texts = ck_letter_view_dup_block_texts (self->letter_view);
  ck_page_show_error (CK_PAGE (self), self->error_label, NULL);
  self->reading = g_cancellable_new ();
  data = g_new0 (ReadData, 1);
  data->self = g_object_ref (self);
  data->reading = g_object_ref (self->reading);
  ck_voice_speak_async (self->voice, (const char * const *)texts,
                        on_read_paragraph, self, self->reading,
                        on_read_done, data);
  update_read_button (self);
}

static void
ck_letter_page_shown (CkPage *page)
{
  CkLetterPage *self = CK_LETTER_PAGE (page);
  CkFlow *flow = ck_page_get_flow (page);
  CkTemplate *template = ck_letter_view_get_template (self->letter_view);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (flow != NULL && template != NULL);

  if (ck_flow_get_state (flow) == CK_FLOW_STATE_IDLE &&
      !ck_flow_show (flow, template, &error))
    ck_page_show_error (page, self->error_label, error->message);

  on_adjustment_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->scroll_button));
}

static void
ck_letter_page_reset (CkPage *page)
{
  CkLetterPage *self = CK_LETTER_PAGE (page);

  self->read = FALSE;
  self->progress = 0.0;
  gtk_check_button_set_active (self->letter_check, FALSE);
  gtk_check_button_set_active (self->declaration_check, FALSE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  ck_page_show_error (page, self->error_label, NULL);
  update_sensitivity (self);
  stop_reading (self);
}

static void
ck_letter_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ck_letter_page_parent_class)->map (widget);

  on_adjustment_changed (CK_LETTER_PAGE (widget));
}

/* Leaving the page stops reading aloud. */
static void
ck_letter_page_unmap (GtkWidget *widget)
{
  stop_reading (CK_LETTER_PAGE (widget));

  GTK_WIDGET_CLASS (ck_letter_page_parent_class)->unmap (widget);
}

static void
ck_letter_page_dispose (GObject *object)
{
  CkLetterPage *self = CK_LETTER_PAGE (object);

  if (self->reading)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_object (&self->voice);
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_LETTER_PAGE);

  G_OBJECT_CLASS (ck_letter_page_parent_class)->dispose (object);
}

static void
ck_letter_page_class_init (CkLetterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_letter_page_dispose;
  widget_class->map = ck_letter_page_map;
  widget_class->unmap = ck_letter_page_unmap;
  page_class->shown = ck_letter_page_shown;
  page_class->reset = ck_letter_page_reset;

  g_type_ensure (CK_TYPE_LETTER_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-letter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, letter_view);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, scroll_button);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, letter_check);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, declaration_check);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, CkLetterPage, read_button);
  gtk_widget_class_bind_template_callback (widget_class, on_scroll_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_read_clicked);
}

static void
ck_letter_page_init (CkLetterPage *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_adjustment_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (on_adjustment_changed), self, G_CONNECT_SWAPPED);
  update_sensitivity (self);
  update_read_button (self);
}

/**
 * ck_letter_page_set_letter:
 * @template: the letter the customer will sign
 * @values: the organisation's values for its blanks
 */
void
ck_letter_page_set_letter (CkLetterPage           *self,
                           CkTemplate             *template,
                           const CkTemplateValues  values)
{
  g_return_if_fail (CK_IS_LETTER_PAGE (self));

  ck_letter_view_set_template (self->letter_view, template);
  ck_letter_view_set_values (self->letter_view, values);
}

/**
 * ck_letter_page_get_progress:
 *
 * Returns: how much of the letter the customer has scrolled past, 0–1
 */
double
ck_letter_page_get_progress (CkLetterPage *self)
{
  g_return_val_if_fail (CK_IS_LETTER_PAGE (self), 0.0);

  return self->progress;
}

/**
 * ck_letter_page_get_read:
 *
 * Returns: whether the letter was scrolled to its end
 */
gboolean
ck_letter_page_get_read (CkLetterPage *self)
{
  g_return_val_if_fail (CK_IS_LETTER_PAGE (self), FALSE);

  return self->read;
}

/**
 * ck_letter_page_set_voice:
 * @voice: (nullable): the kiosk's voice, or %NULL when voice prompts are
 *   off (the 朗读 button is hidden)
 */
void
ck_letter_page_set_voice (CkLetterPage *self,
                          CkVoice      *voice)
{
  g_return_if_fail (CK_IS_LETTER_PAGE (self));
  g_return_if_fail (!voice || CK_IS_VOICE (voice));

  stop_reading (self);
  g_set_object (&self->voice, voice);
  update_read_button (self);
}

/**
 * ck_letter_page_get_reading:
 *
 * Returns: whether the letter is being read aloud
 */
gboolean
ck_letter_page_get_reading (CkLetterPage *self)
{
  g_return_val_if_fail (CK_IS_LETTER_PAGE (self), FALSE);

  return self->reading != NULL;
}

/**
 * ck_letter_page_get_voice:
 *
 * Returns: (transfer none) (nullable): the voice that reads the letter
 */
CkVoice *
ck_letter_page_get_voice (CkLetterPage *self)
{
  g_return_val_if_fail (CK_IS_LETTER_PAGE (self), NULL);

  return self->voice;
}
