/* ck-card-panel.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The ID card on the details page (issue 18): while the kiosk's reader
 * ([card_reader] device) is polled, the customer is asked to lay the card
 * on it; a card read is checked (ck_id_card_check (): its number, that the
 * number agrees with the card's birth date and sex, its name, that it has
 * not expired) and only its name and number leave this widget, through
 * ::card-accepted. The card itself (address, nation, photo) is dropped at
 * once. What went wrong is said in words a customer can act on; the
 * reader's own message (device, status code) goes to the log and to the
 * staff window. "Enter by Hand" (::manual) is there whatever happens: a
 * missing or broken reader never stops a customer. */

#define G_LOG_DOMAIN "ck-card-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-card-panel.h"

/* About once a second (the "polls about once a second"). */
#define POLL_INTERVAL_MS 1000

struct _CkCardPanel
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkPicture *picture;
  GtkLabel *title;
  GtkLabel *message;
  GtkButton *manual_button;

  CkCardReader *reader;
  GDateTime *now;               /* the flow's clock, for the expiry */
  gboolean accepted;            /* a card's name and number were handed over */
  char *logged_error;           /* the reader's trouble last logged */
};

G_DEFINE_FINAL_TYPE (CkCardPanel, ck_card_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_READER,
  N_PROPS
};

enum {
  SIGNAL_CARD_ACCEPTED,
  SIGNAL_MANUAL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show (CkCardPanel *self,
      const char  *title,
      const char  *message,
      gboolean     error)
{
  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->message, message ? message : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
}

static void
show_waiting (CkCardPanel *self)
{
  show (self, _("Please lay your ID card on the card reader"),
        _("Keep it still for a moment. No ID card with you? Tap Enter by Hand."), FALSE);
}

/* A reader that failed, in a customer's words: why the card could not be
 * read when it was the card or its placing, "use the keyboard" when it is
 * the reader itself (staff see which in the staff window). */
static const char *
customer_message (const GError *error)
{
  /* A card refused: its expiry (with the date) as it is; that its details
   * disagree, without the core's "forged or damaged" to the customer. */
  if (error->domain == CK_ID_CARD_ERROR)
    return error->code == CK_ID_CARD_ERROR_EXPIRED
           ? error->message
           : _("The details on this card could not be checked. Please tap Enter by Hand, or ask "
               "a member of staff.");
  if (error->domain != CK_CARD_READER_ERROR)
    return error->message;

  switch ((CkCardReaderError)error->code)
    {
    case CK_CARD_READER_ERROR_CARD_REMOVED:
      return _("The card was moved while it was being read. Please lay it on the reader again "
               "and keep it still.");
    case CK_CARD_READER_ERROR_SELECT_FAILED:
    case CK_CARD_READER_ERROR_AUTHENTICATION:
    case CK_CARD_READER_ERROR_CHECKSUM:
      return _("This card could not be read. Please lay it flat on the reader again, or tap "
               "Enter by Hand.");
    case CK_CARD_READER_ERROR_NO_CARD:
      return NULL;
    case CK_CARD_READER_ERROR_DEVICE_MISSING:
    case CK_CARD_READER_ERROR_DEVICE_BUSY:
    case CK_CARD_READER_ERROR_PERMISSION:
    case CK_CARD_READER_ERROR_DEVICE:
    case CK_CARD_READER_ERROR_NOT_ANSWERING:
    case CK_CARD_READER_ERROR_CLOSED:
    case CK_CARD_READER_ERROR_SAM:
    case CK_CARD_READER_ERROR_READER:
    case CK_CARD_READER_ERROR_PROTOCOL:
    default:
      return _("The card reader is not working at the moment. Please tap Enter by Hand, or ask "
               "a member of staff.");
    }
}

static void
on_reader_state (CkCardPanel *self)
{
  const GError *error;

  if (self->accepted)
    return;

  switch (ck_card_reader_get_state (self->reader))
    {
    case CK_CARD_READER_STATE_READING:
      show (self, _("Reading your ID card…"), _("Please keep the card still."), FALSE);
      break;
    case CK_CARD_READER_STATE_FAILED:
      error = ck_card_reader_get_error (self->reader);
      /* Polled once a second: the journal gets each new trouble once. */
      if (error && g_strcmp0 (error->message, self->logged_error) != 0)
        {
          g_message ("Card reader: %s", error->message);
          g_free (self->logged_error);
          self->logged_error = g_strdup (error->message);
        }
      show (self, _("Please lay your ID card on the card reader"),
            error ? customer_message (error) : NULL, TRUE);
      break;
    case CK_CARD_READER_STATE_WAITING:
      /* Keep what the last card's trouble was until the next card. */
      if (gtk_label_get_text (self->message)[0] == '\0' ||
          !gtk_widget_has_css_class (GTK_WIDGET (self->message), "error"))
        show_waiting (self);
      break;
    case CK_CARD_READER_STATE_STOPPED:
    default:
      break;
    }
}

static void
on_card_read (CkCardPanel *self,
              CkIdCard    *card)
{
  g_autoptr(GDateTime) now = self->now ? g_date_time_ref (self->now) : g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  GDate today;

  if (self->accepted)
    return;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (!ck_id_card_check (card, &today, &error))
    {
      /* Never the name or number in the log: the kind of refusal only. */
      g_message ("An ID card was refused (%s %d)", g_quark_to_string (error->domain), error->code);
      show (self, _("This ID card cannot be used"), customer_message (error), TRUE);
      return;
    }

  self->accepted = TRUE;
  ck_card_reader_stop (self->reader);
  show (self, _("Your ID card has been read"),
        _("Please check your name and ID number, then tap Next. You can take your card now."),
        FALSE);
  gtk_button_set_label (self->manual_button, _("Enter by Hand Instead"));
  g_signal_emit (self, signals[SIGNAL_CARD_ACCEPTED], 0,
                 ck_id_card_get_name (card), ck_id_card_get_number (card));
}

static void
on_manual_clicked (CkCardPanel *self)
{
  ck_card_panel_stop (self);
  g_signal_emit (self, signals[SIGNAL_MANUAL], 0);
}

/**
 * ck_card_panel_start:
 * @self: a #CkCardPanel
 *
 * Asks for the card and polls the reader, about once a second, until a
 * card is accepted or ck_card_panel_stop(). Nothing without a reader.
 */
void
ck_card_panel_start (CkCardPanel *self)
{
  g_return_if_fail (CK_IS_CARD_PANEL (self));

  if (self->reader == NULL || self->accepted)
    return;
  show_waiting (self);
  ck_card_reader_start (self->reader, POLL_INTERVAL_MS);
}

/**
 * ck_card_panel_stop:
 * @self: a #CkCardPanel
 *
 * Stops polling (the reader's device is closed): when the customer leaves
 * the page or types instead.
 */
void
ck_card_panel_stop (CkCardPanel *self)
{
  g_return_if_fail (CK_IS_CARD_PANEL (self));

  if (self->reader)
    ck_card_reader_stop (self->reader);
}

/**
 * ck_card_panel_reset:
 * @self: a #CkCardPanel
 *
 * For the next customer: stopped, nothing accepted, the request shown.
 */
void
ck_card_panel_reset (CkCardPanel *self)
{
  g_return_if_fail (CK_IS_CARD_PANEL (self));

  ck_card_panel_stop (self);
  self->accepted = FALSE;
  g_clear_pointer (&self->now, g_date_time_unref);
  gtk_button_set_label (self->manual_button, _("Enter by Hand"));
  show_waiting (self);
}

/**
 * ck_card_panel_set_today:
 * @self: a #CkCardPanel
 * @now: (nullable): the flow's clock (a card's expiry is judged by its
 *   date), or %NULL for the system's
 */
void
ck_card_panel_set_today (CkCardPanel *self,
                         GDateTime   *now)
{
  g_return_if_fail (CK_IS_CARD_PANEL (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now)
    self->now = g_date_time_ref (now);
}

/**
 * ck_card_panel_get_message:
 * @self: a #CkCardPanel
 *
 * Returns: what the panel says under its title now (for tests)
 */
const char *
ck_card_panel_get_message (CkCardPanel *self)
{
  g_return_val_if_fail (CK_IS_CARD_PANEL (self), NULL);

  return gtk_label_get_text (self->message);
}

CkCardReader *
ck_card_panel_get_reader (CkCardPanel *self)
{
  g_return_val_if_fail (CK_IS_CARD_PANEL (self), NULL);

  return self->reader;
}

/**
 * ck_card_panel_set_reader:
 * @self: a #CkCardPanel
 * @reader: (nullable): the kiosk's reader
 */
void
ck_card_panel_set_reader (CkCardPanel  *self,
                          CkCardReader *reader)
{
  g_return_if_fail (CK_IS_CARD_PANEL (self));
  g_return_if_fail (!reader || CK_IS_CARD_READER (reader));

  if (self->reader == reader)
    return;

  if (self->reader)
    {
      ck_card_reader_stop (self->reader);
      g_signal_handlers_disconnect_by_data (self->reader, self);
    }
  g_set_object (&self->reader, reader);
  if (self->reader)
    {
      g_signal_connect_object (self->reader, "notify::state", G_CALLBACK (on_reader_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "card-read", G_CALLBACK (on_card_read), self,
                               G_CONNECT_SWAPPED);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READER]);
}

static void
ck_card_panel_dispose (GObject *object)
{
  CkCardPanel *self = CK_CARD_PANEL (object);

  ck_card_panel_set_reader (self, NULL);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->logged_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_CARD_PANEL);

  G_OBJECT_CLASS (ck_card_panel_parent_class)->dispose (object);
}

static void
ck_card_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CkCardPanel *self = CK_CARD_PANEL (object);

  switch (prop_id)
    {
    case PROP_READER:
      g_value_set_object (value, self->reader);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_card_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CkCardPanel *self = CK_CARD_PANEL (object);

  switch (prop_id)
    {
    case PROP_READER:
      ck_card_panel_set_reader (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_card_panel_class_init (CkCardPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_card_panel_dispose;
  object_class->get_property = ck_card_panel_get_property;
  object_class->set_property = ck_card_panel_set_property;

  properties[PROP_READER] =
    g_param_spec_object ("reader", NULL, NULL, CK_TYPE_CARD_READER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkCardPanel::card-accepted:
   * @name: the card's name
   * @number: the card's ID number
   *
   * A card was read and passed every check; the panel stops polling.
   */
  signals[SIGNAL_CARD_ACCEPTED] =
    g_signal_new ("card-accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * CkCardPanel::manual:
   *
   * The customer chose to type instead; the panel has stopped polling.
   */
  signals[SIGNAL_MANUAL] =
    g_signal_new ("manual", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-card-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CkCardPanel, box);
  gtk_widget_class_bind_template_child (widget_class, CkCardPanel, picture);
  gtk_widget_class_bind_template_child (widget_class, CkCardPanel, title);
  gtk_widget_class_bind_template_child (widget_class, CkCardPanel, message);
  gtk_widget_class_bind_template_child (widget_class, CkCardPanel, manual_button);
  gtk_widget_class_bind_template_callback (widget_class, on_manual_clicked);
}

static void
ck_card_panel_init (CkCardPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_picture_set_resource (self->picture, "/org/consentkiosk/ConsentKiosk/id-card-reader.svg");
  show_waiting (self);
}
