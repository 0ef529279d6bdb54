/* ck-details-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Name and ID number, validated as they are typed with the core's own
 * checks and messages; today's date, shown, not editable. The ID number
 * has an on-screen keypad beside the physical keyboard. The name has an
 * on-screen Chinese input (CkNameInput: handwriting, pinyin), shown in the
 * keypad's place while the name is being filled, which types into the
 * entry like the keyboard.
 * With an ID card reader (ck_details_page_set_card_reader (), issue 18),
 * the page first asks for the card (CkCardPanel, in the on-screen input's
 * place): a card that passes its checks fills the name and the number,
 * read-only and marked as read from the card; "Enter by Hand" (or a tap
 * on a field) turns to typing at any time.
 * Next hands both to the flow (ck_flow_set_details_full), with how each
 * was entered. */

#define G_LOG_DOMAIN "ck-details-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-adaptive-box.h"
#include "ck-card-panel.h"
#include "ck-details-page.h"
#include "ck-keypad.h"
#include "ck-name-input.h"

struct _CkDetailsPage
{
  CkPage parent_instance;

  GtkEntry *name_entry;
  GtkStack *input_stack;
  CkNameInput *name_input;
  GtkLabel *name_message;
  GtkEntry *id_entry;
  GtkLabel *id_message;
  GtkLabel *date_value;
  CkKeypad *keypad;
  GtkLabel *error_label;
  CkCardPanel *card_panel;
  GtkButton *next_button;

  gboolean manual;              /* the customer chose to type: no card asked for */
  gboolean from_card;           /* the name and number are the card's */
};

G_DEFINE_FINAL_TYPE (CkDetailsPage, ck_details_page, CK_TYPE_PAGE)

static GDateTime *
dup_now (CkDetailsPage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));

  return flow ? ck_flow_dup_now (flow) : g_date_time_new_now_local ();
}

/* A message under a field: an error, or (@error FALSE) a neutral hint.
 * The label stays in place, empty when there is nothing to say: its
 * room is kept (two lines, style.css), so that a message never pushes
 * the fields below it down. */
static void
show_message (CkDetailsPage *self,
              GtkLabel      *label,
              const char    *message,
              gboolean       error)
{
  gtk_label_set_text (label, message ? message : "");
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
on_name_changed (CkDetailsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  gtk_label_set_text (self->error_label, "");
  if (text[0] == '\0' || (name = ck_name_normalize (text, CK_NAME_FLAGS_NONE, &error)))
    show_message (self, self->name_message, NULL, TRUE);
  else
    show_message (self, self->name_message, error->message, TRUE);
}

/* How many characters of an ID number have been typed: digits and X,
 * full-width or not; spaces and hyphens do not count. */
static guint
count_id_characters (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c) || c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58)
        n++;
    }

  return n;
}

static void
on_id_changed (CkDetailsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->id_entry));
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdcard) idcard = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *notice = NULL;
  GDate today;
  guint typed;

  gtk_label_set_text (self->error_label, "");
  if (text[0] == '\0')
    {
      show_message (self, self->id_message, NULL, TRUE);
      return;
    }

  now = dup_now (self);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  if ((idcard = ck_idcard_parse_on (text, &today, &error)))
    {
      notice = ck_idcard_dup_upgrade_notice (idcard);
      show_message (self, self->id_message, notice, FALSE);
      return;
    }

  /* Still typing: say how far, not that it is wrong. */
  typed = count_id_characters (text);
  if (g_error_matches (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_LENGTH) && typed < CK_IDCARD_LENGTH)
    {
      g_autofree char *hint = NULL;

      /* Translators: while an ID number is typed, e.g. "12 of 18 characters" */
      hint = g_strdup_printf (_("%u of %u characters"), typed, CK_IDCARD_LENGTH);
      show_message (self, self->id_message, hint, FALSE);
      return;
    }

  show_message (self, self->id_message, error->message, TRUE);
}

static void
on_next_clicked (CkDetailsPage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));
  g_autoptr(GError) error = NULL;

  g_return_if_fail (flow != NULL);

  /* From the card, or typed: the ID number on the keypad or a keyboard. */
  if (!ck_flow_set_details_full (flow,
                                 gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                 self->from_card ? CK_ENTRY_METHOD_CARD
                                                 : ck_name_input_get_entry_method (self->name_input),
                                 gtk_editable_get_text (GTK_EDITABLE (self->id_entry)),
                                 self->from_card ? CK_ENTRY_METHOD_CARD : CK_ENTRY_METHOD_TYPED,
                                 &error))
    {
      if (error->domain == CK_NAME_ERROR)
        {
          show_message (self, self->name_message, error->message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
        }
      else if (error->domain == CK_IDCARD_ERROR)
        {
          show_message (self, self->id_message, error->message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->id_entry));
        }
      else
        gtk_label_set_text (self->error_label, error->message);
      return;
    }

  ck_card_panel_stop (self->card_panel);
  ck_page_emit_next (CK_PAGE (self));
}

static void
on_back_clicked (CkDetailsPage *self)
{
  ck_page_emit_back (CK_PAGE (self));
}

static void
on_cancel_clicked (CkDetailsPage *self)
{
  ck_page_emit_cancel (CK_PAGE (self));
}

/* The fields as the card left them (read-only, marked) or for typing. */
static void
set_from_card (CkDetailsPage *self,
               gboolean       from_card)
{
  self->from_card = from_card;
  gtk_editable_set_editable (GTK_EDITABLE (self->name_entry), !from_card);
  gtk_editable_set_editable (GTK_EDITABLE (self->id_entry), !from_card);
  if (from_card)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "from-card");
      gtk_widget_add_css_class (GTK_WIDGET (self->id_entry), "from-card");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "from-card");
      gtk_widget_remove_css_class (GTK_WIDGET (self->id_entry), "from-card");
    }
}

static void
on_card_accepted (CkDetailsPage *self,
                  const char    *name,
                  const char    *number)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), number);
  set_from_card (self, TRUE);
  show_message (self, self->name_message, _("Read from the ID card"), FALSE);
  show_message (self, self->id_message, _("Read from the ID card"), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

/* Typing instead: what the card filled in goes (the customer types it
 * all), what was typed while waiting stays. */
static void
turn_to_typing (CkDetailsPage *self,
                const char    *input)
{
  ck_card_panel_stop (self->card_panel);
  self->manual = TRUE;
  if (self->from_card)
    {
      set_from_card (self, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->id_entry), "");
    }
  gtk_stack_set_visible_child_name (self->input_stack, input);
}

static void
on_manual (CkDetailsPage *self)
{
  turn_to_typing (self, "name");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static gboolean
asks_for_card (CkDetailsPage *self)
{
  return ck_card_panel_get_reader (self->card_panel) != NULL && !self->manual;
}

static void
ck_details_page_shown (CkPage *page)
{
  CkDetailsPage *self = CK_DETAILS_PAGE (page);
  g_autofree char *date = ck_page_dup_date_text (page);
  CkFlow *flow = ck_page_get_flow (page);

  gtk_label_set_text (self->date_value, date);
  if (asks_for_card (self))
    {
      g_autoptr(GDateTime) now = flow ? ck_flow_dup_now (flow) : NULL;

      gtk_stack_set_visible_child_name (self->input_stack, "card");
      ck_card_panel_set_today (self->card_panel, now);
      ck_card_panel_start (self->card_panel);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
ck_details_page_unmap (GtkWidget *widget)
{
  CkDetailsPage *self = CK_DETAILS_PAGE (widget);

  /* Away from the page, the reader rests (and its device is free). */
  ck_card_panel_stop (self->card_panel);

  GTK_WIDGET_CLASS (ck_details_page_parent_class)->unmap (widget);
}

static void
ck_details_page_reset (CkPage *page)
{
  CkDetailsPage *self = CK_DETAILS_PAGE (page);

  ck_card_panel_reset (self->card_panel);
  self->manual = FALSE;
  set_from_card (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), "");
  ck_name_input_reset (self->name_input);
  gtk_stack_set_visible_child_name (self->input_stack, "name");
  show_message (self, self->name_message, NULL, TRUE);
  show_message (self, self->id_message, NULL, TRUE);
  gtk_label_set_text (self->error_label, "");
}

static void
ck_details_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_DETAILS_PAGE);

  G_OBJECT_CLASS (ck_details_page_parent_class)->dispose (object);
}

static void
ck_details_page_class_init (CkDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_details_page_dispose;
  widget_class->unmap = ck_details_page_unmap;
  page_class->shown = ck_details_page_shown;
  page_class->reset = ck_details_page_reset;

  g_type_ensure (CK_TYPE_ADAPTIVE_BOX);
  g_type_ensure (CK_TYPE_CARD_PANEL);
  g_type_ensure (CK_TYPE_KEYPAD);
  g_type_ensure (CK_TYPE_NAME_INPUT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, input_stack);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, name_input);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, name_message);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, id_entry);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, id_message);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, date_value);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, card_panel);
  gtk_widget_class_bind_template_child (widget_class, CkDetailsPage, next_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_card_accepted);
  gtk_widget_class_bind_template_callback (widget_class, on_manual);
}

/* The on-screen input beside the fields follows the field being filled. */
/* While the card is asked for (or its fields are shown), the panel stays:
 * a focus that merely comes back to a field (GTK restores it when the
 * page returns) does not turn to typing; a tap does (on_field_pressed). */
static void
on_name_focus (CkDetailsPage *self)
{
  if (self->from_card || asks_for_card (self))
    return;
  gtk_stack_set_visible_child_name (self->input_stack, "name");
}

static void
on_id_focus (CkDetailsPage *self)
{
  if (self->from_card || asks_for_card (self))
    return;
  gtk_stack_set_visible_child_name (self->input_stack, "id");
}

/* A tap on a field while the card is asked for is typing instead; the
 * card's own fields are not typed into. */
static void
on_field_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  CkDetailsPage   *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (self->from_card || !asks_for_card (self))
    return;
  turn_to_typing (self, entry == GTK_WIDGET (self->id_entry) ? "id" : "name");
}

static void
follow_focus (CkDetailsPage *self,
              GtkWidget     *entry,
              GCallback      callback)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *press = gtk_gesture_click_new ();

  g_signal_connect_swapped (focus, "enter", callback, self);
  gtk_widget_add_controller (entry, focus);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_field_pressed), self);
  gtk_widget_add_controller (entry, GTK_EVENT_CONTROLLER (press));
}

static void
ck_details_page_init (CkDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  follow_focus (self, GTK_WIDGET (self->name_entry), G_CALLBACK (on_name_focus));
  follow_focus (self, GTK_WIDGET (self->id_entry), G_CALLBACK (on_id_focus));
}

/**
 * ck_details_page_get_name_entry:
 *
 * Returns: (transfer none): the entry the name is typed into, by the
 *   keyboard, the system's input method or an on-screen input
 */
GtkEntry *
ck_details_page_get_name_entry (CkDetailsPage *self)
{
  g_return_val_if_fail (CK_IS_DETAILS_PAGE (self), NULL);

  return self->name_entry;
}

/**
 * ck_details_page_get_name_input:
 *
 * Returns: (transfer none): the on-screen Chinese name input (handwriting,
 *   pinyin) that types into the name entry
 */
CkNameInput *
ck_details_page_get_name_input (CkDetailsPage *self)
{
  g_return_val_if_fail (CK_IS_DETAILS_PAGE (self), NULL);

  return self->name_input;
}

/**
 * ck_details_page_get_id_entry:
 *
 * Returns: (transfer none): the entry the ID number is typed into
 */
GtkEntry *
ck_details_page_get_id_entry (CkDetailsPage *self)
{
  g_return_val_if_fail (CK_IS_DETAILS_PAGE (self), NULL);

  return self->id_entry;
}

/**
 * ck_details_page_set_card_reader:
 * @self: a #CkDetailsPage
 * @reader: (nullable): the kiosk's ID card reader, or %NULL for none
 *
 * With a reader, each customer is asked for the card first.
 */
void
ck_details_page_set_card_reader (CkDetailsPage *self,
                                 CkCardReader  *reader)
{
  g_return_if_fail (CK_IS_DETAILS_PAGE (self));

  ck_card_panel_set_reader (self->card_panel, reader);
}

/**
 * ck_details_page_get_asks_for_card:
 *
 * Returns: whether the page asks for the ID card now (the voice says so)
 */
gboolean
ck_details_page_get_asks_for_card (CkDetailsPage *self)
{
  g_return_val_if_fail (CK_IS_DETAILS_PAGE (self), FALSE);

  return asks_for_card (self) && !self->from_card;
}

/**
 * ck_details_page_get_card_panel:
 *
 * Returns: (transfer none): the panel that asks for the ID card
 */
CkCardPanel *
ck_details_page_get_card_panel (CkDetailsPage *self)
{
  g_return_val_if_fail (CK_IS_DETAILS_PAGE (self), NULL);

  return self->card_panel;
}
