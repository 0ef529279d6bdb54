/* ck-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The base of the customer flow's pages: the flow they drive, whether
 * they are busy (saving or verifying: no cancel, no idle wipe), and the
 * three ways out. */

#define G_LOG_DOMAIN "ck-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-page.h"

typedef struct
{
  CkFlow *flow;
  gboolean busy;
} CkPagePrivate;

enum {
  PROP_0,
  PROP_FLOW,
  PROP_BUSY,
  N_PROPS
};

enum {
  NEXT,
  BACK,
  CANCEL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CkPage, ck_page, GTK_TYPE_WIDGET)

static void
ck_page_dispose (GObject *object)
{
  CkPage *self = (CkPage *)object;
  CkPagePrivate *priv = ck_page_get_instance_private (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&priv->flow);

  G_OBJECT_CLASS (ck_page_parent_class)->dispose (object);
}

static void
ck_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CkPage *self = CK_PAGE (object);

  switch (prop_id)
    {
    case PROP_FLOW:
      g_value_set_object (value, ck_page_get_flow (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, ck_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CkPage *self = CK_PAGE (object);

  switch (prop_id)
    {
    case PROP_FLOW:
      ck_page_set_flow (self, g_value_get_object (value));
      break;

    case PROP_BUSY:
      ck_page_set_busy (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_page_class_init (CkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_page_dispose;
  object_class->get_property = ck_page_get_property;
  object_class->set_property = ck_page_set_property;

  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         CK_TYPE_FLOW,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkPage::next:
   *
   * The page is done and the flow moved on.
   */
  signals[NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CkPage::back:
   *
   * The customer wants to see the page before, keeping what was entered.
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CkPage::cancel:
   *
   * The customer wants to stop; the window asks before wiping.
   */
  signals[CANCEL] = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ck_page_init (CkPage *self)
{
}

/**
 * ck_page_get_flow:
 *
 * Returns: (transfer none) (nullable): the flow of the customer at the
 *   kiosk, %NULL between customers
 */
CkFlow *
ck_page_get_flow (CkPage *self)
{
  CkPagePrivate *priv = ck_page_get_instance_private (self);

  g_return_val_if_fail (CK_IS_PAGE (self), NULL);

  return priv->flow;
}

void
ck_page_set_flow (CkPage *self,
                  CkFlow *flow)
{
  CkPagePrivate *priv = ck_page_get_instance_private (self);

  g_return_if_fail (CK_IS_PAGE (self));
  g_return_if_fail (!flow || CK_IS_FLOW (flow));

  if (g_set_object (&priv->flow, flow))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
}

/**
 * ck_page_get_busy:
 *
 * Returns: whether the page is waiting for work that must not be
 *   interrupted (a save): no cancel, no idle wipe meanwhile
 */
gboolean
ck_page_get_busy (CkPage *self)
{
  CkPagePrivate *priv = ck_page_get_instance_private (self);

  g_return_val_if_fail (CK_IS_PAGE (self), FALSE);

  return priv->busy;
}

void
ck_page_set_busy (CkPage   *self,
                  gboolean  busy)
{
  CkPagePrivate *priv = ck_page_get_instance_private (self);

  g_return_if_fail (CK_IS_PAGE (self));

  busy = !!busy;
  if (priv->busy != busy)
    {
      priv->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

void
ck_page_shown (CkPage *self)
{
  g_return_if_fail (CK_IS_PAGE (self));

  if (CK_PAGE_GET_CLASS (self)->shown)
    CK_PAGE_GET_CLASS (self)->shown (self);
}

void
ck_page_reset (CkPage *self)
{
  g_return_if_fail (CK_IS_PAGE (self));

  if (CK_PAGE_GET_CLASS (self)->reset)
    CK_PAGE_GET_CLASS (self)->reset (self);
}

void
ck_page_emit_next (CkPage *self)
{
  g_return_if_fail (CK_IS_PAGE (self));

  g_signal_emit (self, signals[NEXT], 0);
}

void
ck_page_emit_back (CkPage *self)
{
  g_return_if_fail (CK_IS_PAGE (self));

  g_signal_emit (self, signals[BACK], 0);
}

void
ck_page_emit_cancel (CkPage *self)
{
  g_return_if_fail (CK_IS_PAGE (self));

  g_signal_emit (self, signals[CANCEL], 0);
}

/**
 * ck_page_show_error:
 * @label: where the page shows messages about one field or step
 * @message: (nullable): a translated message; %NULL or "" hides @label
 *
 * Messages under a field: shown only while there is one.
 */
void
ck_page_show_error (CkPage     *self,
                    GtkLabel   *label,
                    const char *message)
{
  g_return_if_fail (CK_IS_PAGE (self));
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && message[0] != '\0');
}

/**
 * ck_page_dup_date_text:
 *
 * Returns: (transfer full): the date the consent will carry (the flow's;
 *   today without one), as the customer reads dates
 */
char *
ck_page_dup_date_text (CkPage *self)
{
  g_autoptr(GDateTime) now = NULL;
  CkFlow *flow;

  g_return_val_if_fail (CK_IS_PAGE (self), NULL);

  flow = ck_page_get_flow (self);
  now = flow ? ck_flow_dup_now (flow) : g_date_time_new_now_local ();

  /* Translators: the date on the form, as g_date_time_format() writes it:
   * e.g. "November 29, 2026"; in Chinese "%Y年%-m月%-d日" */
  return g_date_time_format (now, _("%B %-d, %Y"));
}
