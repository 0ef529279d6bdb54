/* ck-pinyin-keyboard.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An on-screen pinyin keyboard for a kiosk without an input method: large
 * letter keys, the pinyin typed so far, and a row of candidates from
 * CkPinyin. Picking a candidate emits "text-chosen" and takes the letters
 * it stands for off the composition ("zhangsan", 张 → "san"); Space picks
 * the first (the on-screen key, or a physical one while letters are
 * typed). Backspace takes a letter off, and with no letters left emits
 * "backspace" for the name field.
 *
 * With the focus on the keyboard, a physical keyboard types the same
 * letters (staff testing a kiosk); in the name entry itself, the
 * keyboard and the system's input method work as usual.
 *
 * All keyboards share one CkPinyin while any is alive (libpinyin leaks a
 * little at every start; see ck-pinyin.c). */

#define G_LOG_DOMAIN "ck-pinyin-keyboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-candidate-bar.h"
#include "ck-pinyin-keyboard.h"

struct _CkPinyinKeyboard
{
  GtkWidget parent_instance;

  GtkLabel *composition_label;
  CkCandidateBar *candidates;
  GtkGrid *keys_grid;

  CkPinyin *engine;
  char *error_message;
  GString *composition;
  guint *spans;
};

enum {
  PROP_0,
  PROP_COMPOSITION,
  N_PROPS
};

enum {
  TEXT_CHOSEN,
  BACKSPACE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkPinyinKeyboard, ck_pinyin_keyboard, GTK_TYPE_WIDGET)

static const char * const key_rows[] = { "qwertyuiop", "asdfghjkl", "zxcvbnm" };

/**
 * ck_pinyin_keyboard_new:
 *
 * Returns: (transfer floating): a new pinyin keyboard
 */
GtkWidget *
ck_pinyin_keyboard_new (void)
{
  return g_object_new (CK_TYPE_PINYIN_KEYBOARD, NULL);
}

/* The engine every keyboard uses; made when the first needs it. */
static CkPinyin *
dup_shared_engine (GError **error)
{
  static CkPinyin *shared;

  if (shared)
    return g_object_ref (shared);

  shared = ck_pinyin_new (NULL, error);
  if (shared)
    g_object_add_weak_pointer (G_OBJECT (shared), (gpointer *)&shared);

  return shared;
}

/* New candidates and label for the composition as it now is. */
static void
update (CkPinyinKeyboard *self)
{
  g_auto(GStrv) candidates = NULL;
  gboolean composing = self->composition->len > 0;
  const char *placeholder = NULL;

  g_clear_pointer (&self->spans, g_free);
  if (composing && self->engine)
    candidates = ck_pinyin_candidates_with_spans (self->engine, self->composition->str, 0, &self->spans);

  if (self->engine == NULL)
    placeholder = self->error_message;
  else if (composing && (candidates == NULL || candidates[0] == NULL))
    placeholder = _("No characters match these letters.");

  ck_candidate_bar_set_candidates (self->candidates, (const char * const *)candidates);
  ck_candidate_bar_set_placeholder (self->candidates, placeholder);

  if (composing)
    {
      gtk_label_set_label (self->composition_label, self->composition->str);
      gtk_widget_remove_css_class (GTK_WIDGET (self->composition_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (self->composition_label, _("Type the name in pinyin"));
      gtk_widget_add_css_class (GTK_WIDGET (self->composition_label), "dim-label");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pinyin-keyboard.pick-first",
                                 candidates != NULL && candidates[0] != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPOSITION]);
}

static void
type_letter (CkPinyinKeyboard *self,
             char              letter)
{
  if (self->engine == NULL || self->composition->len >= CK_PINYIN_MAX_LETTERS)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  g_string_append_c (self->composition, g_ascii_tolower (letter));
  update (self);
}

static void
backspace (CkPinyinKeyboard *self)
{
  if (self->composition->len == 0)
    {
      g_signal_emit (self, signals[BACKSPACE], 0);
      return;
    }

  g_string_truncate (self->composition, self->composition->len - 1);
  update (self);
}

/* Emits @text and takes what it stands for off the composition. */
static void
choose (CkPinyinKeyboard *self,
        guint             index)
{
  const char * const *candidates = ck_candidate_bar_get_candidates (self->candidates);
  g_autofree char *text = NULL;
  guint span;

  g_return_if_fail (candidates != NULL && index < g_strv_length ((char **)candidates));

  text = g_strdup (candidates[index]);
  span = MIN (self->spans[index], self->composition->len);
  g_string_erase (self->composition, 0, span);
  update (self);

  g_signal_emit (self, signals[TEXT_CHOSEN], 0, text);
}

static void
candidate_activated (CkCandidateBar   *candidates,
                     guint             index,
                     const char       *text,
                     CkPinyinKeyboard *self)
{
  choose (self, index);
}

static void
type_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  const char *letter = g_variant_get_string (parameter, NULL);

  g_return_if_fail (g_ascii_isalpha (letter[0]) && letter[1] == '\0');

  type_letter (CK_PINYIN_KEYBOARD (widget), letter[0]);
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  backspace (CK_PINYIN_KEYBOARD (widget));
}

static void
pick_first_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose (CK_PINYIN_KEYBOARD (widget), 0);
}

/* A physical keyboard, while the focus is on this one: before the focused
 * key sees the event, so that Space picks a candidate while letters are
 * typed rather than pressing the key. */
static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             CkPinyinKeyboard      *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  gboolean composing = self->composition->len > 0;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
    return FALSE;

  if (c < 0x80 && g_ascii_isalpha ((char)c))
    {
      type_letter (self, (char)c);
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      backspace (self);
      return TRUE;

    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      /* As an input method does. Enter still presses the focused key. */
      if (!composing || ck_candidate_bar_get_candidates (self->candidates) == NULL)
        return FALSE;
      choose (self, 0);
      return TRUE;

    case GDK_KEY_Escape:
      if (!composing)
        return FALSE;
      ck_pinyin_keyboard_clear (self);
      return TRUE;

    case GDK_KEY_Page_Up:
      return gtk_widget_activate_action (GTK_WIDGET (self->candidates), "candidate-bar.previous", NULL);

    case GDK_KEY_Page_Down:
      return gtk_widget_activate_action (GTK_WIDGET (self->candidates), "candidate-bar.next", NULL);

    default:
      return FALSE;
    }
}

static GtkWidget *
create_key (char letter)
{
  char label[2] = { letter, '\0' };
  char upper[2] = { g_ascii_toupper (letter), '\0' };
  g_autofree char *name = NULL;
  GtkWidget *key;

  key = gtk_button_new_with_label (label);
  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_widget_add_css_class (key, "key");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), "pinyin-keyboard.type");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (key), g_variant_new_string (label));

  /* Translators: a key's name for screen readers; %s is A to Z. */
  name = g_strdup_printf (_("Letter %s"), upper);
  gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  return key;
}

static GtkWidget *
create_backspace_key (void)
{
  GtkWidget *key = gtk_button_new_with_label ("⌫");

  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_widget_add_css_class (key, "key");
  gtk_widget_add_css_class (key, "backspace-key");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), "pinyin-keyboard.backspace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backspace: delete the last letter typed, or else the character before the cursor"),
                                  -1);

  return key;
}

/* The letters on a grid of half-key columns: each key spans two, the
 * second row starts half a key in, the third a key and a half, and
 * Backspace spans three. */
static void
add_keys (CkPinyinKeyboard *self)
{
  static const int first_column[] = { 0, 1, 3 };

  for (guint r = 0; r < G_N_ELEMENTS (key_rows); r++)
    {
      int column = first_column[r];

      for (const char *p = key_rows[r]; *p; p++, column += 2)
        gtk_grid_attach (self->keys_grid, create_key (*p), column, r, 2, 1);
      if (r + 1 == G_N_ELEMENTS (key_rows))
        gtk_grid_attach (self->keys_grid, create_backspace_key (), column, r, 3, 1);
    }
}

static void
ck_pinyin_keyboard_dispose (GObject *object)
{
  CkPinyinKeyboard *self = (CkPinyinKeyboard *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_PINYIN_KEYBOARD);
  /* The template's unnamed box. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->spans, g_free);

  G_OBJECT_CLASS (ck_pinyin_keyboard_parent_class)->dispose (object);
}

static void
ck_pinyin_keyboard_finalize (GObject *object)
{
  CkPinyinKeyboard *self = (CkPinyinKeyboard *)object;

  g_string_free (self->composition, TRUE);
  g_free (self->error_message);

  G_OBJECT_CLASS (ck_pinyin_keyboard_parent_class)->finalize (object);
}

static void
ck_pinyin_keyboard_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CkPinyinKeyboard *self = CK_PINYIN_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_COMPOSITION:
      g_value_set_string (value, self->composition->str);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_pinyin_keyboard_class_init (CkPinyinKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_pinyin_keyboard_dispose;
  object_class->finalize = ck_pinyin_keyboard_finalize;
  object_class->get_property = ck_pinyin_keyboard_get_property;

  /**
   * CkPinyinKeyboard:composition:
   *
   * The pinyin letters typed and not yet turned into characters.
   */
  properties[PROP_COMPOSITION] =
    g_param_spec_string ("composition", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkPinyinKeyboard::text-chosen:
   * @self: the keyboard
   * @text: the characters the customer picked
   *
   * Emitted when a candidate is picked (tapped, or Space).
   */
  signals[TEXT_CHOSEN] =
    g_signal_new ("text-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CkPinyinKeyboard::backspace:
   * @self: the keyboard
   *
   * Emitted when Backspace is pressed with no letters typed: the name
   * field's character before the cursor should go.
   */
  signals[BACKSPACE] =
    g_signal_new ("backspace",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "pinyin-keyboard.type", "s", type_action);
  gtk_widget_class_install_action (widget_class, "pinyin-keyboard.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "pinyin-keyboard.pick-first", NULL, pick_first_action);

  g_type_ensure (CK_TYPE_CANDIDATE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-pinyin-keyboard.ui");
  gtk_widget_class_bind_template_child (widget_class, CkPinyinKeyboard, composition_label);
  gtk_widget_class_bind_template_child (widget_class, CkPinyinKeyboard, candidates);
  gtk_widget_class_bind_template_child (widget_class, CkPinyinKeyboard, keys_grid);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinyinkeyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_pinyin_keyboard_init (CkPinyinKeyboard *self)
{
  g_autoptr(GError) error = NULL;
  GtkEventController *keys;

  self->composition = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  add_keys (self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  self->engine = dup_shared_engine (&error);
  if (self->engine == NULL)
    {
      /* Staff see why; the customer still has handwriting (CkNameInput). */
      g_warning ("%s", error->message);
      self->error_message = g_strdup (error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->keys_grid), FALSE);
    }

  update (self);
}

/**
 * ck_pinyin_keyboard_get_available:
 * @self: a #CkPinyinKeyboard
 *
 * Returns: whether pinyin can be turned into characters (the engine's
 *   data is there)
 */
gboolean
ck_pinyin_keyboard_get_available (CkPinyinKeyboard *self)
{
  g_return_val_if_fail (CK_IS_PINYIN_KEYBOARD (self), FALSE);

  return self->engine != NULL;
}

/**
 * ck_pinyin_keyboard_get_composition:
 * @self: a #CkPinyinKeyboard
 *
 * Returns: (transfer none): the letters typed and not yet picked
 */
const char *
ck_pinyin_keyboard_get_composition (CkPinyinKeyboard *self)
{
  g_return_val_if_fail (CK_IS_PINYIN_KEYBOARD (self), NULL);

  return self->composition->str;
}

/**
 * ck_pinyin_keyboard_get_candidates:
 * @self: a #CkPinyinKeyboard
 *
 * Returns: (transfer none) (nullable): what the letters may mean, every
 *   page, best first
 */
const char * const *
ck_pinyin_keyboard_get_candidates (CkPinyinKeyboard *self)
{
  g_return_val_if_fail (CK_IS_PINYIN_KEYBOARD (self), NULL);

  return ck_candidate_bar_get_candidates (self->candidates);
}

/**
 * ck_pinyin_keyboard_clear:
 * @self: a #CkPinyinKeyboard
 *
 * Drops the letters typed, e.g. for the next customer.
 */
void
ck_pinyin_keyboard_clear (CkPinyinKeyboard *self)
{
  g_return_if_fail (CK_IS_PINYIN_KEYBOARD (self));

  g_string_truncate (self->composition, 0);
  update (self);
}
