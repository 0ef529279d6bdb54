/* ck-staff-window-impl.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of the records window (ck-staff-window*.c) and
 * included by no other file: the instance struct, the filter a query and
 * an export run on, and the functions one part defines for the others
 * (named _ck_staff_window_*). Not "-private.h": the layers check takes
 * every ck-*-private.h in src/app for one of the core's. */

#pragma once

#include "ck-keypad.h"
#include "ck-name-input.h"
#include "ck-record-detail.h"
#include "ck-staff-window.h"

G_BEGIN_DECLS

typedef enum
{
  COLUMN_DATE,
  COLUMN_TIME,
  COLUMN_NAME,
  COLUMN_ID,
  COLUMN_STATE,
  COLUMN_DEMO,
  N_COLUMNS
} Column;

/* A query's text parts, owned: queries and exports run in threads. */
typedef struct
{
  char *search;
  char *since;
  char *until;
  char *state;
} Filter;

struct _CkStaffWindow
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkProgressBar *export_progress;
  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  GtkSearchEntry *search_entry;
  GtkEntry *since_entry;
  GtkEntry *until_entry;
  GtkPopover *since_popover;
  GtkPopover *until_popover;
  GtkCalendar *since_calendar;
  GtkCalendar *until_calendar;
  GtkToggleButton *keyboard_toggle;
  GtkWidget *search_modes;
  GtkToggleButton *digits_toggle;
  GtkStack *input_stack;
  CkNameInput *name_input;
  CkKeypad *keypad;
  GtkDropDown *state_dropdown;
  GtkLabel *count_label;
  GtkLabel *filter_message;
  GtkWidget *seal_box;
  GtkWidget *seal_icon;
  GtkLabel *seal_label;
  GtkWidget *anchor_button;
  GtkWidget *usage_box;
  GtkWidget *usage_icon;
  GtkLabel *usage_label;
  GtkWidget *status_box;
  GtkWidget *sync_box;
  GtkWidget *sync_icon;
  GtkLabel *sync_label;
  GtkSpinner *sync_spinner;
  GtkWidget *sync_button;
  GtkWidget *reader_box;
  GtkLabel *reader_label;
  GtkSpinner *reader_spinner;
  GtkWidget *reader_button;
  GtkStack *list_stack;
  GtkColumnView *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  AdwBin *detail_bin;
  CkRecordDetail *detail;

  CkStore *store;
  CkVerifyQueue *queue;
  CkSealQueue *seal_queue;      /* NULL until set */
  CkSyncQueue *sync_queue;      /* NULL until set */
  CkCardReader *card_reader;    /* NULL without [card_reader] device */
  CkConfig *config;
  char *operator_name;
  gboolean kiosk_mode;
  gboolean closing_allowed;

  CkRecordList *records;
  GtkSingleSelection *selection;
  Filter *shown;                /* the query the list shows */
  GCancellable *query_cancellable;
  gboolean query_running;
  gboolean filter_dirty;        /* changed, not yet queried */
  gboolean refreshing;
  guint date_source;
  gboolean syncing_calendar;   /* the calendar shown the entry's date */
  guint n_exports;
  GCancellable *cancellable;    /* exports, usage: cancelled on close */
  GtkNativeDialog *chooser;

  guint sync_generation;        /* the last read of the sync's state */
  guint sync_source;

  guint idle_timeout_s;
  gint64 last_input_us;
  guint idle_source;
};

typedef enum
{
  DATE_EMPTY,
  DATE_INCOMPLETE,
  DATE_VALID,
  DATE_INVALID,
} DateState;

extern GQuark _ck_staff_window_column_quark;
extern GQuark _ck_staff_window_watched_quark;

/* ck-staff-window-seal.c: whether consents are sealed, what waits, anchoring now */
void          _ck_staff_window_show_seal              (CkStaffWindow            *self);
void          _ck_staff_window_on_anchor_clicked      (CkStaffWindow            *self);

/* ck-staff-window.c */
CkStore      *_ck_staff_window_open_reader            (const char               *data_dir,
                                                       GError                  **error);

/* ck-staff-window-sync.c: the central archive's sync, Sync Now */
void          _ck_staff_window_setup_sync             (CkStaffWindow            *self);
void          _ck_staff_window_show_sync              (CkStaffWindow            *self);
void          _ck_staff_window_on_sync_finished       (CkStaffWindow            *self,
                                                       gboolean                  ok);
void          _ck_staff_window_on_sync_clicked        (CkStaffWindow            *self);

/* ck-staff-window-reader.c */
void          _ck_staff_window_check_reader           (CkStaffWindow            *self);

/* ck-staff-window-query.c: the filters, read and queried */
void          _ck_staff_window_filter_free            (Filter                   *filter);
Filter       *_ck_staff_window_filter_copy            (const Filter             *filter);
CkStoreQuery  _ck_staff_window_filter_to_query        (const Filter             *filter);
DateState     _ck_staff_window_read_date              (GtkEntry                 *entry,
                                                       char                    **date);
void          _ck_staff_window_run_query              (CkStaffWindow            *self);
void          _ck_staff_window_on_filter_changed      (CkStaffWindow            *self);
void          _ck_staff_window_on_date_changed        (CkStaffWindow            *self);
void          _ck_staff_window_on_search_typed        (CkStaffWindow            *self);

/* ck-staff-window-list.c: the rows, their count, the selected one's detail */
void          _ck_staff_window_setup_cell             (GtkSignalListItemFactory *factory,
                                                       GtkListItem              *list_item,
                                                       gpointer                  data);
void          _ck_staff_window_bind_cell              (GtkSignalListItemFactory *factory,
                                                       GtkListItem              *list_item,
                                                       gpointer                  data);
void          _ck_staff_window_update_count           (CkStaffWindow            *self);
void          _ck_staff_window_on_selection_changed   (CkStaffWindow            *self);
void          _ck_staff_window_on_detail_changed      (CkStaffWindow            *self,
                                                       const char               *uuid);

/* ck-staff-window-input.c: typing on a touchscreen, the calendars */
void          _ck_staff_window_on_date_insert_text    (GtkEditable              *editable,
                                                       const char               *text,
                                                       int                       length,
                                                       int                      *position,
                                                       gpointer                  user_data);
void          _ck_staff_window_on_focus_changed       (CkStaffWindow            *self);
void          _ck_staff_window_on_search_mode_toggled (CkStaffWindow            *self,
                                                       GtkToggleButton          *toggle);
void          _ck_staff_window_on_since_popover_show  (CkStaffWindow            *self);
void          _ck_staff_window_on_until_popover_show  (CkStaffWindow            *self);
void          _ck_staff_window_on_since_day_selected  (CkStaffWindow            *self);
void          _ck_staff_window_on_until_day_selected  (CkStaffWindow            *self);
void          _ck_staff_window_on_since_cleared       (CkStaffWindow            *self);
void          _ck_staff_window_on_until_cleared       (CkStaffWindow            *self);

/* ck-staff-window-usage.c: the verification package's use */
void          _ck_staff_window_compute_usage          (CkStaffWindow            *self);

/* ck-staff-window-export.c: the consents shown, to CSV or JSON */
void          _ck_staff_window_export_action          (GtkWidget                *widget,
                                                       const char               *action_name,
                                                       GVariant                 *parameter);
void          _ck_staff_window_export_to_action       (GtkWidget                *widget,
                                                       const char               *action_name,
                                                       GVariant                 *parameter);

/* ck-staff-window-closing.c: Close, the idle timeout, kiosk mode held */
void          _ck_staff_window_on_close_clicked       (CkStaffWindow            *self);
void          _ck_staff_window_watch_input            (CkStaffWindow            *self,
                                                       GtkWidget                *window);
gboolean      _ck_staff_window_on_idle_tick           (gpointer                  user_data);
gboolean      _ck_staff_window_on_key_pressed         (CkStaffWindow            *self,
                                                       guint                     keyval,
                                                       guint                     keycode,
                                                       GdkModifierType           state);
void          _ck_staff_window_on_fullscreened        (CkStaffWindow            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Filter, _ck_staff_window_filter_free)

G_END_DECLS
