/* ck-staff-dialog.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Staff functions behind the PIN: the records, leaving kiosk mode and
 * quitting, and verifying waiting consents now. The PIN is checked
 * against the configured hash in a worker thread (PBKDF2 takes a tenth of
 * a second), and wrong PINs are rate limited by the window's
 * CkPinLimiter, which outlives this dialog. Staff say who they are (a
 * name or a staff number): the records window records it as the operator
 * of everything it audits, and forgets it when it closes.
 *
 * On a touchscreen without a keyboard (issue 17) the PIN comes first, on
 * a keypad bound to the PIN entry alone; who the staff member is comes
 * only after the unlock, with an input of its own: CkNameInput
 * (handwriting or pinyin) for a name, a digits keypad for a staff number.
 * The operator's entry is not on screen, and takes no input, before the
 * unlock; the unlock empties it: a PIN typed anywhere can never become
 * the operator's name that the audit log records. */

#define G_LOG_DOMAIN "ck-staff-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ck-keypad.h"
#include "ck-name-input.h"
#include "ck-staff-dialog.h"

struct _CkStaffDialog
{
  AdwWindow parent_instance;

  GtkStack *stack;
  GtkOrientable *functions_box;
  GtkBox *pin_box;
  GtkBox *pin_column;
  GtkWidget *operator_box;
  GtkEntry *operator_entry;
  GtkToggleButton *name_toggle;
  GtkToggleButton *number_toggle;
  GtkStack *operator_input_stack;
  CkNameInput *operator_name_input;
  CkKeypad *operator_keypad;
  GtkPasswordEntry *pin_entry;
  CkKeypad *keypad;
  GtkLabel *pin_message;
  GtkButton *unlock_button;
  GtkButton *quit_button;
  GtkButton *records_button;

  CkPinGuard *guard;
  GCancellable *cancellable;
  gboolean unlocked;
};

enum {
  QUIT,
  VERIFY_PENDING,
  RECORDS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkStaffDialog, ck_staff_dialog, ADW_TYPE_WINDOW)

static void
show_pin_message (CkStaffDialog *self,
                  const char    *message)
{
  /* Shown empty when there is nothing to say: its room is kept, so that
   * a message never pushes the keypad down (issue 17). */
  gtk_label_set_text (self->pin_message, message ? message : "");
}

/**
 * ck_staff_dialog_dup_operator:
 *
 * Returns: (transfer full): who the staff member said they are, without
 *   surrounding spaces; "" if nobody said
 */
char *
ck_staff_dialog_dup_operator (CkStaffDialog *self)
{
  g_return_val_if_fail (CK_IS_STAFF_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->operator_entry))));
}

/* Records needs the PIN and a name: everything it does is audited. */
static void
on_operator_changed (CkStaffDialog *self)
{
  g_autofree char *operator_name = ck_staff_dialog_dup_operator (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->records_button),
                            self->unlocked && operator_name[0] != '\0');
}

static void
on_operator_activate (CkStaffDialog *self)
{
  if (!self->unlocked)
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  else if (gtk_widget_is_sensitive (GTK_WIDGET (self->records_button)))
    gtk_widget_activate (GTK_WIDGET (self->records_button));
}

/* A name (handwriting or pinyin) or a staff number (digits): the
 * operator's entry keeps the focus, so that a keyboard works too. */
static void
on_operator_mode_toggled (CkStaffDialog *self)
{
  gboolean number = gtk_toggle_button_get_active (self->number_toggle);

  gtk_stack_set_visible_child_name (self->operator_input_stack, number ? "number" : "name");
  if (self->unlocked)
    gtk_widget_grab_focus (GTK_WIDGET (self->operator_entry));
}

/**
 * ck_staff_dialog_unlock:
 *
 * Shows the staff functions: the right PIN was given (or none is needed).
 */
void
ck_staff_dialog_unlock (CkStaffDialog *self)
{
  g_return_if_fail (CK_IS_STAFF_DIALOG (self));

  self->unlocked = TRUE;
  /* Nothing given before the unlock is taken for a name. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->operator_entry), "");
  gtk_editable_set_editable (GTK_EDITABLE (self->operator_entry), TRUE);
  gtk_widget_set_visible (self->operator_box, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "functions");
  on_operator_changed (self);
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->records_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->records_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->operator_entry));
}

static void
on_pin_checked (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CkStaffDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean right = FALSE;
  guint wait_s;

  if (!ck_pin_guard_check_finish (CK_PIN_GUARD (object), result, &right, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_pin_message (self, error->message);
      return;
    }

  if (right)
    {
      ck_staff_dialog_unlock (self);
      return;
    }

  wait_s = ck_pin_guard_get_wait_s (self->guard);
  if (wait_s > 0)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("Wrong PIN. Try again in %u second.",
                                   "Wrong PIN. Try again in %u seconds.", wait_s), wait_s);

      show_pin_message (self, message);
    }
  else
    show_pin_message (self, _("Wrong PIN."));
}

/* The PIN is taken out of the entry as it is given: one given while the
 * guard checks another is counted wrong, not checked (CkPinGuard). */
static void
on_unlock_clicked (CkStaffDialog *self)
{
  g_autofree char *pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));

  if (!ck_pin_guard_has_pin (self->guard) || pin[0] == '\0')
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  show_pin_message (self, NULL);
  ck_pin_guard_check_async (self->guard, pin, self->cancellable, on_pin_checked, g_object_ref (self));
  memset (pin, 0, strlen (pin));
}

/* While a PIN is checked, the button says so and does nothing. */
static void
on_checking_changed (CkStaffDialog *self)
{
  gboolean checking = ck_pin_guard_get_checking (self->guard);

  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !checking);
  gtk_button_set_label (self->unlock_button, checking ? _("Checking…") : _("Unlock"));
}

static void
on_quit_clicked (CkStaffDialog *self)
{
  g_return_if_fail (self->unlocked);

  g_signal_emit (self, signals[QUIT], 0);
}

static void
on_verify_clicked (CkStaffDialog *self)
{
  g_return_if_fail (self->unlocked);

  g_signal_emit (self, signals[VERIFY_PENDING], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_records_clicked (CkStaffDialog *self)
{
  g_autofree char *operator_name = ck_staff_dialog_dup_operator (self);

  g_return_if_fail (self->unlocked);
  g_return_if_fail (operator_name[0] != '\0');

  g_signal_emit (self, signals[RECORDS], 0, operator_name);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_close_clicked (CkStaffDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
ck_staff_dialog_dispose (GObject *object)
{
  CkStaffDialog *self = (CkStaffDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_STAFF_DIALOG);

  G_OBJECT_CLASS (ck_staff_dialog_parent_class)->dispose (object);
}

static void
ck_staff_dialog_finalize (GObject *object)
{
  CkStaffDialog *self = (CkStaffDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->guard);

  G_OBJECT_CLASS (ck_staff_dialog_parent_class)->finalize (object);
}

static void
ck_staff_dialog_class_init (CkStaffDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_staff_dialog_dispose;
  object_class->finalize = ck_staff_dialog_finalize;

  /**
   * CkStaffDialog::quit:
   *
   * Staff asked to leave the kiosk.
   */
  signals[QUIT] = g_signal_new ("quit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CkStaffDialog::verify-pending:
   *
   * Staff asked to verify every waiting consent now.
   */
  signals[VERIFY_PENDING] = g_signal_new ("verify-pending", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  /**
   * CkStaffDialog::records:
   * @operator_name: who the staff member said they are
   *
   * Staff asked for the records.
   */
  signals[RECORDS] = g_signal_new ("records", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CK_TYPE_KEYPAD);
  g_type_ensure (CK_TYPE_NAME_INPUT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-staff-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, functions_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, pin_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, pin_column);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, operator_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, operator_entry);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, name_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, number_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, operator_input_stack);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, operator_name_input);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, operator_keypad);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, keypad);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, pin_message);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, quit_button);
  gtk_widget_class_bind_template_child (widget_class, CkStaffDialog, records_button);
  gtk_widget_class_bind_template_callback (widget_class, on_operator_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_operator_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_records_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_quit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_verify_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_operator_mode_toggled);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ck_staff_dialog_init (CkStaffDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Until the unlock, the operator's entry is neither shown nor takes
   * text (ck_staff_dialog_unlock ()). */
  gtk_widget_set_visible (self->operator_box, FALSE);
  gtk_editable_set_editable (GTK_EDITABLE (self->operator_entry), FALSE);
}

/* Whether @parent, the kiosk window (full screen: the screen's shape), is
 * taller than wide; before it has a size, its screen. */
static gboolean
is_portrait (GtkWidget *parent)
{
  GtkNative *native = gtk_widget_get_native (parent);
  GdkSurface *surface = native ? gtk_native_get_surface (native) : NULL;
  GdkMonitor *monitor = NULL;
  GdkRectangle geometry;

  if (gtk_widget_get_width (parent) > 0 && gtk_widget_get_height (parent) > 0)
    return gtk_widget_get_height (parent) > gtk_widget_get_width (parent);
  if (surface)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (parent), surface);
  if (monitor)
    {
      gdk_monitor_get_geometry (monitor, &geometry);
      return geometry.height > geometry.width;
    }

  return FALSE;
}

/* On a landscape screen (800 px high) the keypad beside the PIN, Unlock
 * under the PIN, and the name input beside the buttons; on a portrait one
 * (1080 px wide) each under the other, Unlock under the keypad. */
static void
set_portrait (CkStaffDialog *self,
              gboolean       portrait)
{
  GtkWidget *unlock = GTK_WIDGET (self->unlock_button);
  GtkBox *home = portrait ? self->pin_box : self->pin_column;

  gtk_orientable_set_orientation (self->functions_box,
                                  portrait ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->pin_box),
                                  portrait ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  if (gtk_widget_get_parent (unlock) != GTK_WIDGET (home))
    {
      g_object_ref (unlock);
      gtk_box_remove (GTK_BOX (gtk_widget_get_parent (unlock)), unlock);
      gtk_box_append (home, unlock);
      g_object_unref (unlock);
    }
  gtk_widget_set_vexpand (unlock, !portrait);
  gtk_widget_set_valign (unlock, portrait ? GTK_ALIGN_FILL : GTK_ALIGN_END);
}

static void
update_orientation (CkStaffDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    set_portrait (self, is_portrait (GTK_WIDGET (parent)));
}

static void
on_parent_layout (CkStaffDialog *self,
                  int            width,
                  int            height)
{
  set_portrait (self, height > width);
}

/**
 * ck_staff_dialog_new:
 * @parent: the kiosk window
 * @guard: the kiosk's staff PIN and the count of wrong ones; without a
 *   PIN, nothing unlocks (the dialog says so)
 *
 * Returns: (transfer full): a modal dialog asking for the staff PIN
 */
CkStaffDialog *
ck_staff_dialog_new (GtkWindow  *parent,
                     CkPinGuard *guard)
{
  CkStaffDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CK_IS_PIN_GUARD (guard), NULL);

  self = g_object_new (CK_TYPE_STAFF_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->guard = g_object_ref (guard);
  g_signal_connect_object (guard, "notify::checking", G_CALLBACK (on_checking_changed), self,
                           G_CONNECT_SWAPPED);
  on_checking_changed (self);
  update_orientation (self);
  /* And again when the kiosk's window takes another size (a screen turned
   * to portrait). */
  if (gtk_native_get_surface (GTK_NATIVE (parent)) != NULL)
    g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (parent)), "layout",
                             G_CALLBACK (on_parent_layout), self, G_CONNECT_SWAPPED);
  if (!ck_pin_guard_has_pin (guard))
    gtk_stack_set_visible_child_name (self->stack, "no-pin");
  else
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->pin_entry));

  return self;
}

/**
 * ck_staff_dialog_get_operator:
 *
 * Returns: (transfer none): the entry for the staff member's name or number
 */
GtkEditable *
ck_staff_dialog_get_operator (CkStaffDialog *self)
{
  g_return_val_if_fail (CK_IS_STAFF_DIALOG (self), NULL);

  return GTK_EDITABLE (self->operator_entry);
}

/**
 * ck_staff_dialog_get_pin:
 *
 * Returns: (transfer none): the PIN entry
 */
GtkEditable *
ck_staff_dialog_get_pin (CkStaffDialog *self)
{
  g_return_val_if_fail (CK_IS_STAFF_DIALOG (self), NULL);

  return GTK_EDITABLE (self->pin_entry);
}

gboolean
ck_staff_dialog_get_unlocked (CkStaffDialog *self)
{
  g_return_val_if_fail (CK_IS_STAFF_DIALOG (self), FALSE);

  return self->unlocked;
}
