/* ck-staff-window.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The records browser staff open from the staff dialog: every stored
 * consent, newest first, in a GtkColumnView over the core's paged
 * CkRecordList (rows are read a page at a time, so it scrolls at a
 * million records), with a search (a name prefix or an ID number's last
 * characters), the sign date from and to, and the verification state.
 * Each change runs the query in the list's worker thread; a newer one
 * cancels the older. The selected consent's detail (CkRecordDetail) is
 * beside the list: revealing, reprinting, verifying again, withdrawing,
 * each recorded with the operator staff gave. The consents shown can be
 * exported (CSV or JSON, ID numbers masked, the bytes `consentctl export`
 * writes), and the paid verification package's use is shown, with a
 * warning under 20 % left (the organisation's, with a central archive).
 * Above the list, whether consents are sealed (ck-staff-window-seal.c)
 * and, with a central archive, where the sync to it stands
 * (ck-staff-window-sync.c).
 *
 * A kiosk has a touchscreen and no keyboard: the Keyboard button (open
 * from the start in kiosk mode) reveals, under the filters, the input for
 * the field with the focus: for the search, CkNameInput (handwriting and
 * pinyin) or CkKeypad for an ID number's tail (its X too), for the dates
 * CkKeypad (the dashes come by themselves). Beside each date, a calendar
 * in a popover picks it with a tap.
 *
 * In kiosk mode the window fills the screen and is left only through
 * its Close button, back to the customer screen. Without input for the
 * configured idle timeout (staff walked away) it closes itself: with it
 * go the operator, the search, the selection and any ID number revealed. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

/* How often the idle timeout is looked at. */
#define IDLE_TICK_MS 1000

G_DEFINE_FINAL_TYPE (CkStaffWindow, ck_staff_window, ADW_TYPE_WINDOW)

GQuark _ck_staff_window_column_quark;
GQuark _ck_staff_window_watched_quark;

/* A connection of its own to the store in @data_dir (the window's
 * store's, taken on the main thread: a closed window has none), read
 * only, for a thread: the window's store is one SQLite connection, and
 * two threads' read transactions on it would collide ("cannot start a
 * transaction within a transaction"). */
CkStore *
_ck_staff_window_open_reader (const char  *data_dir,
                              GError     **error)
{
  return ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, error);
}

/* --- the type -------------------------------------------------------------------------- */

/* In kiosk mode only Close and the idle timeout (ck-staff-window-closing.c)
 * close the window. */
static gboolean
ck_staff_window_close_request (GtkWindow *window)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (window);

  if (self->kiosk_mode && !self->closing_allowed)
    return TRUE;

  return GTK_WINDOW_CLASS (ck_staff_window_parent_class)->close_request (window);
}

static void
ck_staff_window_dispose (GObject *object)
{
  CkStaffWindow *self = (CkStaffWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->query_cancellable)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->date_source, g_source_remove);
  g_clear_handle_id (&self->sync_source, g_source_remove);
  if (self->sync_queue)
    g_signal_handlers_disconnect_by_data (self->sync_queue, self);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->column_view)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_STAFF_WINDOW);
  self->detail = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->records);
  g_clear_object (&self->store);
  g_clear_object (&self->queue);
  g_clear_object (&self->seal_queue);
  g_clear_object (&self->sync_queue);
  g_clear_object (&self->card_reader);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_staff_window_parent_class)->dispose (object);
}

static void
ck_staff_window_finalize (GObject *object)
{
  CkStaffWindow *self = (CkStaffWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_pointer (&self->shown, _ck_staff_window_filter_free);
  g_clear_pointer (&self->operator_name, g_free);

  G_OBJECT_CLASS (ck_staff_window_parent_class)->finalize (object);
}

static void
ck_staff_window_class_init (CkStaffWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ck_staff_window_dispose;
  object_class->finalize = ck_staff_window_finalize;
  window_class->close_request = ck_staff_window_close_request;

  _ck_staff_window_column_quark = g_quark_from_static_string ("ck-staff-window-column");
  _ck_staff_window_watched_quark = g_quark_from_static_string ("ck-staff-window-watched");

  g_type_ensure (CK_TYPE_KEYPAD);
  g_type_ensure (CK_TYPE_NAME_INPUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-staff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, export_progress);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, since_entry);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, until_entry);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, since_popover);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, until_popover);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, since_calendar);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, until_calendar);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, keyboard_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, search_modes);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, digits_toggle);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, input_stack);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, name_input);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, keypad);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, filter_message);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, seal_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, seal_icon);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, seal_label);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, anchor_button);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_icon);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_label);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, reader_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, reader_label);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, reader_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, reader_button);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "date_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_DATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "time_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_TIME]));
  gtk_widget_class_bind_template_child_full (widget_class, "name_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_NAME]));
  gtk_widget_class_bind_template_child_full (widget_class, "id_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_ID]));
  gtk_widget_class_bind_template_child_full (widget_class, "state_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_STATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "demo_column", FALSE,
                                             G_STRUCT_OFFSET (CkStaffWindow, columns[COLUMN_DEMO]));
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, detail_bin);
  gtk_widget_class_bind_template_callback (widget_class, _ck_staff_window_on_anchor_clicked);
  gtk_widget_class_bind_template_callback (widget_class, _ck_staff_window_on_sync_clicked);
  gtk_widget_class_bind_template_callback (widget_class, _ck_staff_window_check_reader);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filter_changed",
                                                G_CALLBACK (_ck_staff_window_on_filter_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_date_changed",
                                                G_CALLBACK (_ck_staff_window_on_date_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_close_clicked",
                                                G_CALLBACK (_ck_staff_window_on_close_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_mode_toggled",
                                                G_CALLBACK (_ck_staff_window_on_search_mode_toggled));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_since_popover_show",
                                                G_CALLBACK (_ck_staff_window_on_since_popover_show));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_until_popover_show",
                                                G_CALLBACK (_ck_staff_window_on_until_popover_show));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_since_day_selected",
                                                G_CALLBACK (_ck_staff_window_on_since_day_selected));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_until_day_selected",
                                                G_CALLBACK (_ck_staff_window_on_until_day_selected));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_since_cleared",
                                                G_CALLBACK (_ck_staff_window_on_since_cleared));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_until_cleared",
                                                G_CALLBACK (_ck_staff_window_on_until_cleared));

  gtk_widget_class_install_action (widget_class, "staff.export", "s",
                                   _ck_staff_window_export_action);
  gtk_widget_class_install_action (widget_class, "staff.export-to", "(ss)",
                                   _ck_staff_window_export_to_action);
}

static void
ck_staff_window_init (CkStaffWindow *self)
{
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);
  GtkEventController *controller;

  self->cancellable = g_cancellable_new ();
  self->idle_timeout_s = 90;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (_ck_staff_window_setup_cell),
                        GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (_ck_staff_window_bind_cell),
                        GUINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (self->columns[i], factory);
    }

  gtk_string_list_append (states, _("Any State"));
  for (CkVerifyState state = 0; state < CK_VERIFY_N_STATES; state++)
    gtk_string_list_append (states, ck_verify_state_get_label (state));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_drop_down_set_selected (self->state_dropdown, 0);

  g_signal_connect_object (self->search_entry, "changed",
                           G_CALLBACK (_ck_staff_window_on_search_typed), self, G_CONNECT_SWAPPED);
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->since_entry)), "insert-text",
                    G_CALLBACK (_ck_staff_window_on_date_insert_text), self);
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->until_entry)), "insert-text",
                    G_CALLBACK (_ck_staff_window_on_date_insert_text), self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (_ck_staff_window_on_focus_changed),
                    NULL);

  self->last_input_us = g_get_monotonic_time ();
  _ck_staff_window_watch_input (self, GTK_WIDGET (self));
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (_ck_staff_window_on_key_pressed),
                            self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (_ck_staff_window_on_fullscreened),
                    NULL);
}

/**
 * ck_staff_window_new:
 * @parent: the kiosk window
 * @store: where the consents are
 * @queue: the verification queue (verifying again)
 * @config: the configuration (idle timeout, printer, package)
 * @operator_name: who the staff member said they are: recorded with
 *   everything audited
 * @kiosk_mode: fill the screen, leave only through Close
 *
 * Returns: (transfer full): the records window, showing every consent
 */
CkStaffWindow *
ck_staff_window_new (GtkWindow     *parent,
                     CkStore       *store,
                     CkVerifyQueue *queue,
                     CkConfig      *config,
                     const char    *operator_name,
                     gboolean       kiosk_mode)
{
  CkStaffWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (queue), NULL);
  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (operator_name != NULL && operator_name[0] != '\0', NULL);

  self = g_object_new (CK_TYPE_STAFF_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->queue = g_object_ref (queue);
  self->config = g_object_ref (config);
  self->operator_name = g_strdup (operator_name);
  self->kiosk_mode = kiosk_mode;
  self->idle_timeout_s = ck_config_get_idle_timeout_s (config);

  /* Translators: under the records window's title; %s is the staff member */
  subtitle = g_strdup_printf (_("Signed in as %s"), operator_name);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  self->records = ck_record_list_new (store, ck_config_get_max_attempts (config));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->records)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (_ck_staff_window_on_selection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->records, "items-changed",
                           G_CALLBACK (_ck_staff_window_update_count), self, G_CONNECT_SWAPPED);

  self->detail = ck_record_detail_new (store, queue, config);
  ck_record_detail_set_operator (self->detail, operator_name);
  g_signal_connect_object (self->detail, "changed",
                           G_CALLBACK (_ck_staff_window_on_detail_changed), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->detail_bin, GTK_WIDGET (self->detail));

  if (kiosk_mode)
    {
      gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
      adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
      adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  /* A kiosk's touchscreen has no keyboard; a desk PC has one. */
  gtk_toggle_button_set_active (self->keyboard_toggle, kiosk_mode);

  self->idle_source = g_timeout_add (IDLE_TICK_MS, _ck_staff_window_on_idle_tick, self);
  g_message ("Staff opened the records");
  _ck_staff_window_run_query (self);
  _ck_staff_window_setup_sync (self);
  _ck_staff_window_compute_usage (self);
  _ck_staff_window_show_seal (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->search_entry));

  return self;
}

const char *
ck_staff_window_get_operator (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return self->operator_name;
}

/**
 * ck_staff_window_get_records:
 *
 * Returns: (transfer none): the consents the list shows (CkRecordItem)
 */
GListModel *
ck_staff_window_get_records (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return G_LIST_MODEL (self->records);
}

/**
 * ck_staff_window_get_selection:
 *
 * Returns: (transfer none): the list's selection
 */
GtkSingleSelection *
ck_staff_window_get_selection (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return self->selection;
}

GtkEditable *
ck_staff_window_get_search (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkEditable *
ck_staff_window_get_since (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return GTK_EDITABLE (self->since_entry);
}

GtkEditable *
ck_staff_window_get_until (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return GTK_EDITABLE (self->until_entry);
}

GtkDropDown *
ck_staff_window_get_state_filter (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return self->state_dropdown;
}

/**
 * ck_staff_window_get_detail:
 *
 * Returns: (transfer none): the selected consent's CkRecordDetail
 */
GtkWidget *
ck_staff_window_get_detail (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), NULL);

  return GTK_WIDGET (self->detail);
}

/**
 * ck_staff_window_get_busy:
 *
 * Returns: whether a filter changed and its query has not answered yet,
 *   or an export is being written
 */
gboolean
ck_staff_window_get_busy (CkStaffWindow *self)
{
  g_return_val_if_fail (CK_IS_STAFF_WINDOW (self), FALSE);

  return self->filter_dirty || self->query_running || self->n_exports > 0;
}

/**
 * ck_staff_window_set_seal_queue:
 * @queue: (nullable): the sealing queue
 *
 * With it, staff can anchor the chain now and see what waits to be sealed
 * or timestamped; whether consents are sealed is shown either way.
 */
void
ck_staff_window_set_seal_queue (CkStaffWindow *self,
                                CkSealQueue   *queue)
{
  g_return_if_fail (CK_IS_STAFF_WINDOW (self));
  g_return_if_fail (queue == NULL || CK_IS_SEAL_QUEUE (queue));

  g_set_object (&self->seal_queue, queue);
  _ck_staff_window_show_seal (self);
}

/**
 * ck_staff_window_set_sync_queue:
 * @queue: (nullable): the kiosk's sync to the central archive
 *
 * With it, staff can sync now, and the sync's row is read again each time
 * the kiosk's background sync finishes a run; where the sync stands is
 * shown either way when [central] is configured.
 */
void
ck_staff_window_set_sync_queue (CkStaffWindow *self,
                                CkSyncQueue   *queue)
{
  g_return_if_fail (CK_IS_STAFF_WINDOW (self));
  g_return_if_fail (queue == NULL || CK_IS_SYNC_QUEUE (queue));

  if (self->sync_queue == queue)
    return;
  if (self->sync_queue)
    g_signal_handlers_disconnect_by_data (self->sync_queue, self);
  g_set_object (&self->sync_queue, queue);
  if (queue)
    g_signal_connect_object (queue, "finished", G_CALLBACK (_ck_staff_window_on_sync_finished), self,
                             G_CONNECT_SWAPPED);
  _ck_staff_window_show_sync (self);
}

/**
 * ck_staff_window_set_idle_timeout:
 *
 * Closes the window after @seconds without input from now on (the
 * configuration's idle timeout by default).
 */
void
ck_staff_window_set_idle_timeout (CkStaffWindow *self,
                                  guint          seconds)
{
  g_return_if_fail (CK_IS_STAFF_WINDOW (self));

  self->idle_timeout_s = seconds;
}

/**
 * ck_staff_window_state_position:
 *
 * Returns: the position of @state in the state filter (0 is any state)
 */
guint
ck_staff_window_state_position (CkVerifyState state)
{
  g_return_val_if_fail (state < CK_VERIFY_N_STATES, 0);

  return state + 1;
}
