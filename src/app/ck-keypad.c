/* ck-keypad.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An on-screen keypad for digits (and the X of ID numbers) that types
 * into an editable at its cursor: a kiosk has no keyboard. Its keys do
 * not take the focus from the editable, so the physical keyboard keeps
 * working beside it. */

#define G_LOG_DOMAIN "ck-keypad"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-keypad.h"

struct _CkKeypad
{
  GtkWidget parent_instance;

  GtkEditable *editable;
  GtkButton *x_button;
};

enum {
  PROP_0,
  PROP_EDITABLE,
  PROP_SHOW_X,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CkKeypad, ck_keypad, GTK_TYPE_WIDGET)

static void
on_key_clicked (CkKeypad  *self,
                GtkButton *button)
{
  const char *text = gtk_button_get_label (button);
  int position;

  if (self->editable == NULL || !gtk_editable_get_editable (self->editable))
    return;

  gtk_editable_delete_selection (self->editable);
  position = gtk_editable_get_position (self->editable);
  gtk_editable_insert_text (self->editable, text, -1, &position);
  gtk_editable_set_position (self->editable, position);
}

static void
on_backspace_clicked (CkKeypad *self)
{
  int start, end;

  if (self->editable == NULL || !gtk_editable_get_editable (self->editable))
    return;

  if (gtk_editable_get_selection_bounds (self->editable, &start, &end))
    {
      gtk_editable_delete_selection (self->editable);
      return;
    }

  end = gtk_editable_get_position (self->editable);
  if (end > 0)
    gtk_editable_delete_text (self->editable, end - 1, end);
}

static void
on_clear_clicked (CkKeypad *self)
{
  if (self->editable && gtk_editable_get_editable (self->editable))
    gtk_editable_set_text (self->editable, "");
}

static void
ck_keypad_dispose (GObject *object)
{
  CkKeypad *self = (CkKeypad *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_KEYPAD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_weak_pointer (&self->editable);

  G_OBJECT_CLASS (ck_keypad_parent_class)->dispose (object);
}

static void
ck_keypad_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CkKeypad *self = CK_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_object (value, self->editable);
      break;

    case PROP_SHOW_X:
      g_value_set_boolean (value, ck_keypad_get_show_x (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_keypad_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CkKeypad *self = CK_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      ck_keypad_set_editable (self, g_value_get_object (value));
      break;

    case PROP_SHOW_X:
      ck_keypad_set_show_x (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_keypad_class_init (CkKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_keypad_dispose;
  object_class->get_property = ck_keypad_get_property;
  object_class->set_property = ck_keypad_set_property;

  properties[PROP_EDITABLE] =
    g_param_spec_object ("editable", NULL, NULL,
                         GTK_TYPE_EDITABLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_X] =
    g_param_spec_boolean ("show-x", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-keypad.ui");
  gtk_widget_class_bind_template_child (widget_class, CkKeypad, x_button);
  gtk_widget_class_bind_template_callback (widget_class, on_key_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_backspace_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keypad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_keypad_init (CkKeypad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_keypad_get_editable:
 *
 * Returns: (transfer none) (nullable): what the keypad types into
 */
GtkEditable *
ck_keypad_get_editable (CkKeypad *self)
{
  g_return_val_if_fail (CK_IS_KEYPAD (self), NULL);

  return self->editable;
}

void
ck_keypad_set_editable (CkKeypad    *self,
                        GtkEditable *editable)
{
  g_return_if_fail (CK_IS_KEYPAD (self));
  g_return_if_fail (!editable || GTK_IS_EDITABLE (editable));

  if (g_set_weak_pointer (&self->editable, editable))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
ck_keypad_get_show_x (CkKeypad *self)
{
  g_return_val_if_fail (CK_IS_KEYPAD (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->x_button));
}

/**
 * ck_keypad_set_show_x:
 * @show_x: whether there is an X key (ID numbers) or not (PINs)
 */
void
ck_keypad_set_show_x (CkKeypad *self,
                      gboolean  show_x)
{
  g_return_if_fail (CK_IS_KEYPAD (self));

  if (ck_keypad_get_show_x (self) != !!show_x)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->x_button), show_x);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_X]);
    }
}
