/* ck-name-input.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Name entry without a keyboard or an input method (issue 6): the details
 * page puts this next to its name field. Two ways to write — handwriting
 * (CkHandwritingPad) and an on-screen pinyin keyboard (CkPinyinKeyboard) —
 * plus the middle dot of names such as 阿依古丽·买买提, backspace and clear.
 * Whatever is chosen goes into the target editable at its cursor, through
 * gtk_editable_insert_text(), as typing would; backspace and clear act on
 * the target. The target stays an ordinary entry: at a staffed desk, its
 * physical keyboard and input method work as usual.
 *
 * When one engine cannot start (its package is missing), the other mode
 * is offered first.
 *
 * :entry-method follows the last insertion into the target: the mode's
 * method when this widget inserted it, typed when anything else did (a
 * keyboard, the system's input method); the signing record says it. */

#define G_LOG_DOMAIN "ck-name-input"

#include "config.h"

#include "ck-handwriting-pad.h"
#include "ck-name-input.h"
#include "ck-pinyin-keyboard.h"

struct _CkNameInput
{
  GtkWidget parent_instance;

  GtkToggleButton *handwriting_toggle;
  GtkToggleButton *pinyin_toggle;
  GtkStack *stack;
  CkHandwritingPad *handwriting_pad;
  CkPinyinKeyboard *pinyin_keyboard;

  GtkEditable *target;
  CkNameInputMode mode;
  gboolean inserting;
  CkEntryMethod entry_method;
};

enum {
  PROP_0,
  PROP_MODE,
  PROP_TARGET,
  PROP_ENTRY_METHOD,
  PROP_HOMOGENEOUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (CkNameInputMode, ck_name_input_mode,
                    G_DEFINE_ENUM_VALUE (CK_NAME_INPUT_MODE_HANDWRITING, "handwriting"),
                    G_DEFINE_ENUM_VALUE (CK_NAME_INPUT_MODE_PINYIN, "pinyin"))

G_DEFINE_FINAL_TYPE (CkNameInput, ck_name_input, GTK_TYPE_WIDGET)

/* U+00B7 MIDDLE DOT, the one CkName stores. */
#define MIDDLE_DOT "\u00B7"

/**
 * ck_name_input_new:
 *
 * Returns: (transfer floating): a new name input, without a target
 */
GtkWidget *
ck_name_input_new (void)
{
  return g_object_new (CK_TYPE_NAME_INPUT, NULL);
}

/* The target, if it takes text now. */
static GtkEditable *
editable_target (CkNameInput *self)
{
  if (self->target == NULL ||
      !gtk_editable_get_editable (self->target) ||
      !gtk_widget_is_sensitive (GTK_WIDGET (self->target)))
    return NULL;

  return self->target;
}

/* The on-screen input never replaces or deletes a selection: at a
 * touchscreen the customer did not make it — the entry selects its whole
 * text when it takes the focus (after Back, or a Next refused with a
 * message), and a tapped 十 used to replace a whole 张三. Its text goes in
 * at the selection's end, and backspace takes the character before that. */
static void
collapse_selection (GtkEditable *target)
{
  int start, end;

  if (gtk_editable_get_selection_bounds (target, &start, &end))
    gtk_editable_set_position (target, MAX (start, end));
}

/* At the cursor, as typing would, but never over a selection. */
static void
insert_text (CkNameInput *self,
             const char  *text)
{
  GtkEditable *target = editable_target (self);
  int position;

  if (target == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  collapse_selection (target);
  position = gtk_editable_get_position (target);
  self->inserting = TRUE;
  gtk_editable_insert_text (target, text, -1, &position);
  self->inserting = FALSE;
  gtk_editable_set_position (target, position);
}

static void
set_entry_method (CkNameInput   *self,
                  CkEntryMethod  method)
{
  if (self->entry_method == method)
    return;

  self->entry_method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY_METHOD]);
}

/* Any insertion into the target, ours or a keyboard's. */
static void
target_insert_text (GtkEditable *editable,
                    const char  *text,
                    int          length,
                    int         *position,
                    CkNameInput *self)
{
  if (!self->inserting)
    set_entry_method (self, CK_ENTRY_METHOD_TYPED);
  else if (self->mode == CK_NAME_INPUT_MODE_PINYIN)
    set_entry_method (self, CK_ENTRY_METHOD_PINYIN);
  else
    set_entry_method (self, CK_ENTRY_METHOD_HANDWRITING);
}

/* Where insertions happen: a GtkEntry's text delegate. */
static GtkEditable *
insertion_target (GtkEditable *editable)
{
  GtkEditable *delegate = gtk_editable_get_delegate (editable);

  return delegate ? delegate : editable;
}

static void
delete_backward (CkNameInput *self)
{
  GtkEditable *target = editable_target (self);
  int position;

  if (target == NULL)
    return;

  collapse_selection (target);
  position = gtk_editable_get_position (target);
  if (position > 0)
    gtk_editable_delete_text (target, position - 1, position);
}

static void
text_chosen (GtkWidget   *source,
             const char  *text,
             CkNameInput *self)
{
  insert_text (self, text);
}

static void
keyboard_backspace (CkPinyinKeyboard *keyboard,
                    CkNameInput      *self)
{
  delete_backward (self);
}

static void
mode_toggled (GtkToggleButton *toggle,
              CkNameInput     *self)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  ck_name_input_set_mode (self, toggle == self->pinyin_toggle ? CK_NAME_INPUT_MODE_PINYIN
                                                              : CK_NAME_INPUT_MODE_HANDWRITING);
}

static void
insert_dot_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  insert_text (CK_NAME_INPUT (widget), MIDDLE_DOT);
}

static void
delete_backward_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  delete_backward (CK_NAME_INPUT (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CkNameInput *self = CK_NAME_INPUT (widget);
  GtkEditable *target = editable_target (self);

  ck_handwriting_pad_clear (self->handwriting_pad);
  ck_pinyin_keyboard_clear (self->pinyin_keyboard);
  if (target)
    gtk_editable_delete_text (target, 0, -1);
}

/* The mode a fresh form starts in: handwriting, unless it cannot work. */
static CkNameInputMode
default_mode (CkNameInput *self)
{
  if (!ck_handwriting_pad_get_available (self->handwriting_pad) &&
      ck_pinyin_keyboard_get_available (self->pinyin_keyboard))
    return CK_NAME_INPUT_MODE_PINYIN;

  return CK_NAME_INPUT_MODE_HANDWRITING;
}

static void
target_gone (gpointer  data,
             GObject  *where_the_object_was)
{
  CkNameInput *self = data;

  self->target = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

static void
ck_name_input_dispose (GObject *object)
{
  CkNameInput *self = (CkNameInput *)object;
  GtkWidget *child;

  if (self->target)
    {
      g_signal_handlers_disconnect_by_func (insertion_target (self->target), target_insert_text, self);
      g_object_weak_unref (G_OBJECT (self->target), target_gone, self);
      self->target = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_NAME_INPUT);
  /* The template's unnamed box. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ck_name_input_parent_class)->dispose (object);
}

static void
ck_name_input_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CkNameInput *self = CK_NAME_INPUT (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;

    case PROP_ENTRY_METHOD:
      g_value_set_enum (value, self->entry_method);
      break;

    case PROP_HOMOGENEOUS:
      g_value_set_boolean (value, ck_name_input_get_homogeneous (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_name_input_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CkNameInput *self = CK_NAME_INPUT (object);

  switch (prop_id)
    {
    case PROP_MODE:
      ck_name_input_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_TARGET:
      ck_name_input_set_target (self, g_value_get_object (value));
      break;

    case PROP_HOMOGENEOUS:
      ck_name_input_set_homogeneous (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_name_input_class_init (CkNameInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_name_input_dispose;
  object_class->get_property = ck_name_input_get_property;
  object_class->set_property = ck_name_input_set_property;

  /**
   * CkNameInput:mode:
   *
   * Handwriting or pinyin.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       CK_TYPE_NAME_INPUT_MODE, CK_NAME_INPUT_MODE_HANDWRITING,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkNameInput:target:
   *
   * The editable (the name entry) that chosen characters go into. Not
   * owned: it may go first.
   */
  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL,
                         GTK_TYPE_EDITABLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkNameInput:entry-method:
   *
   * How the target's text was last written: handwriting or pinyin when
   * this widget inserted it, typed otherwise.
   */
  properties[PROP_ENTRY_METHOD] =
    g_param_spec_enum ("entry-method", NULL, NULL,
                       CK_TYPE_ENTRY_METHOD, CK_ENTRY_METHOD_TYPED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkNameInput:homogeneous:
   *
   * Whether it keeps one size in both modes (the larger): where it sits
   * beside or above other controls that must not move when the customer
   * switches, as on the details page. Otherwise each mode takes its own
   * size (pinyin is shorter, and leaves the staff's list more rows).
   */
  properties[PROP_HOMOGENEOUS] =
    g_param_spec_boolean ("homogeneous", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "name-input.insert-dot", NULL, insert_dot_action);
  gtk_widget_class_install_action (widget_class, "name-input.delete-backward", NULL, delete_backward_action);
  gtk_widget_class_install_action (widget_class, "name-input.clear", NULL, clear_action);

  g_type_ensure (CK_TYPE_HANDWRITING_PAD);
  g_type_ensure (CK_TYPE_PINYIN_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-name-input.ui");
  gtk_widget_class_bind_template_child (widget_class, CkNameInput, handwriting_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkNameInput, pinyin_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkNameInput, stack);
  gtk_widget_class_bind_template_child (widget_class, CkNameInput, handwriting_pad);
  gtk_widget_class_bind_template_child (widget_class, CkNameInput, pinyin_keyboard);
  gtk_widget_class_bind_template_callback (widget_class, text_chosen);
  gtk_widget_class_bind_template_callback (widget_class, keyboard_backspace);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nameinput");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_name_input_init (CkNameInput *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Different from any mode, so that setting it takes effect. */
  self->mode = (CkNameInputMode)-1;
  ck_name_input_set_mode (self, default_mode (self));
}

/**
 * ck_name_input_get_target:
 * @self: a #CkNameInput
 *
 * Returns: (transfer none) (nullable): the editable that gets the name
 */
GtkEditable *
ck_name_input_get_target (CkNameInput *self)
{
  g_return_val_if_fail (CK_IS_NAME_INPUT (self), NULL);

  return self->target;
}

/**
 * ck_name_input_set_target:
 * @self: a #CkNameInput
 * @entry: (nullable): the name entry
 *
 * Sets where chosen characters go: @entry, at its cursor. @entry is not
 * referenced.
 */
void
ck_name_input_set_target (CkNameInput *self,
                          GtkEditable *entry)
{
  g_return_if_fail (CK_IS_NAME_INPUT (self));
  g_return_if_fail (entry == NULL || GTK_IS_EDITABLE (entry));

  if (self->target == entry)
    return;

  if (self->target)
    {
      g_signal_handlers_disconnect_by_func (insertion_target (self->target), target_insert_text, self);
      g_object_weak_unref (G_OBJECT (self->target), target_gone, self);
    }
  self->target = entry;
  if (self->target)
    {
      g_object_weak_ref (G_OBJECT (self->target), target_gone, self);
      g_signal_connect (insertion_target (self->target), "insert-text",
                        G_CALLBACK (target_insert_text), self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

CkNameInputMode
ck_name_input_get_mode (CkNameInput *self)
{
  g_return_val_if_fail (CK_IS_NAME_INPUT (self), CK_NAME_INPUT_MODE_HANDWRITING);

  return self->mode;
}

void
ck_name_input_set_mode (CkNameInput     *self,
                        CkNameInputMode  mode)
{
  gboolean pinyin = mode == CK_NAME_INPUT_MODE_PINYIN;

  g_return_if_fail (CK_IS_NAME_INPUT (self));
  g_return_if_fail (mode == CK_NAME_INPUT_MODE_HANDWRITING || pinyin);

  if (self->mode == mode)
    return;

  self->mode = mode;
  gtk_toggle_button_set_active (pinyin ? self->pinyin_toggle : self->handwriting_toggle, TRUE);
  gtk_stack_set_visible_child_name (self->stack, pinyin ? "pinyin" : "handwriting");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

/**
 * ck_name_input_reset:
 * @self: a #CkNameInput
 *
 * Forgets what is half-written (strokes on the pad, pinyin letters) and
 * goes back to the first mode: for the next customer. The target's text
 * is the form's to wipe.
 */
void
ck_name_input_reset (CkNameInput *self)
{
  g_return_if_fail (CK_IS_NAME_INPUT (self));

  ck_handwriting_pad_clear (self->handwriting_pad);
  ck_pinyin_keyboard_clear (self->pinyin_keyboard);
  ck_name_input_set_mode (self, default_mode (self));
  set_entry_method (self, CK_ENTRY_METHOD_TYPED);
}

/**
 * ck_name_input_get_entry_method:
 * @self: a #CkNameInput
 *
 * Returns: how the target's text was last written
 */
CkEntryMethod
ck_name_input_get_entry_method (CkNameInput *self)
{
  g_return_val_if_fail (CK_IS_NAME_INPUT (self), CK_ENTRY_METHOD_TYPED);

  return self->entry_method;
}

gboolean
ck_name_input_get_homogeneous (CkNameInput *self)
{
  g_return_val_if_fail (CK_IS_NAME_INPUT (self), FALSE);

  return gtk_stack_get_vhomogeneous (self->stack);
}

void
ck_name_input_set_homogeneous (CkNameInput *self,
                               gboolean     homogeneous)
{
  g_return_if_fail (CK_IS_NAME_INPUT (self));

  homogeneous = !!homogeneous;
  if (ck_name_input_get_homogeneous (self) == homogeneous)
    return;

  gtk_stack_set_hhomogeneous (self->stack, homogeneous);
  gtk_stack_set_vhomogeneous (self->stack, homogeneous);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOMOGENEOUS]);
}
