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
 * warning under 20 % left.
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
#include <stdio.h>
#include <string.h>

#include "ck-keypad.h"
#include "ck-name-input.h"
#include "ck-record-detail.h"
#include "ck-staff-window.h"
#include "ck-window.h"

/* How often the idle timeout is looked at. */
#define IDLE_TICK_MS 1000
/* Dates typed are looked at once typing pauses this long. */
#define DATE_DELAY_MS 250

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

static void
filter_free (Filter *filter)
{
  g_free (filter->search);
  g_free (filter->since);
  g_free (filter->until);
  g_free (filter->state);
  g_free (filter);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Filter, filter_free)

static Filter *
filter_copy (const Filter *filter)
{
  Filter *copy = g_new0 (Filter, 1);

  copy->search = g_strdup (filter->search);
  copy->since = g_strdup (filter->since);
  copy->until = g_strdup (filter->until);
  copy->state = g_strdup (filter->state);

  return copy;
}

static CkStoreQuery
filter_to_query (const Filter *filter)
{
  CkStoreQuery query = { NULL };

  query.search = filter->search;
  query.since = filter->since;
  query.until = filter->until;
  query.state = filter->state;

  return query;
}

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
  GtkWidget *usage_box;
  GtkWidget *usage_icon;
  GtkLabel *usage_label;
  GtkStack *list_stack;
  GtkColumnView *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  AdwBin *detail_bin;
  CkRecordDetail *detail;

  CkStore *store;
  CkVerifyQueue *queue;
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

  guint idle_timeout_s;
  gint64 last_input_us;
  guint idle_source;
};

G_DEFINE_FINAL_TYPE (CkStaffWindow, ck_staff_window, ADW_TYPE_WINDOW)

static GQuark column_quark;
static GQuark watched_quark;

/* --- the list ---------------------------------------------------------------- */

/* "2026-03-01T02:04:05Z" as the kiosk's local time of day. */
static char *
format_time (const char *created_at)
{
  g_autoptr(GDateTime) utc = created_at ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%H:%M") : g_strdup ("");
}

/* Fills a cell's label from the row's item: only what the item holds,
 * no query per row. */
static void
update_cell (GtkLabel     *label,
             CkRecordItem *item)
{
  Column column = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (label), column_quark));

  switch (column)
    {
    case COLUMN_DATE:
      gtk_label_set_text (label, ck_record_item_get_sign_date (item));
      break;

    case COLUMN_TIME:
      {
        g_autofree char *time = format_time (ck_record_item_get_created_at (item));

        gtk_label_set_text (label, time);
      }
      break;

    case COLUMN_NAME:
      gtk_label_set_text (label, ck_record_item_get_name (item));
      break;

    case COLUMN_ID:
      gtk_label_set_text (label, ck_record_item_get_masked_id (item));
      break;

    case COLUMN_STATE:
      {
        CkVerifyState state = ck_record_item_get_state (item);

        gtk_label_set_text (label, ck_verify_state_get_label (state));
        gtk_widget_set_css_classes (GTK_WIDGET (label),
                                    (const char *[]) { ck_verify_state_get_style (state), NULL });
      }
      break;

    case COLUMN_DEMO:
      /* Translators: the badge of a consent the demo verifier answered */
      gtk_label_set_text (label, ck_record_item_get_demo (item) ? _("DEMO") : "");
      gtk_widget_set_visible (GTK_WIDGET (label), ck_record_item_get_demo (item));
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  Column column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_qdata (G_OBJECT (label), column_quark, data);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_DATE || column == COLUMN_TIME || column == COLUMN_ID)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COLUMN_DEMO)
    {
      gtk_widget_add_css_class (label, "staff-demo");
      gtk_widget_set_halign (label, GTK_ALIGN_START);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  CkRecordItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));

  update_cell (label, item);
}

static void
update_count (CkStaffWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->records));
  g_autofree char *text = NULL;

  /* Translators: how many consents the search found, e.g. "12,345 consents" */
  text = g_strdup_printf (ngettext ("%'u consent", "%'u consents", n), n);
  gtk_label_set_text (self->count_label, text);
  if (!self->query_running)
    gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

/* --- the query ---------------------------------------------------------------- */

static void
show_filter_message (CkStaffWindow *self,
                     const char    *message)
{
  gtk_label_set_text (self->filter_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_message), message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), message == NULL);
}

typedef enum
{
  DATE_EMPTY,
  DATE_INCOMPLETE,
  DATE_VALID,
  DATE_INVALID,
} DateState;

/* The date in @entry: none, still being typed, a date, or not one. */
static DateState
read_date (GtkEntry  *entry,
           char     **date)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  gsize length = strlen (text);
  DateState state;

  if (length == 0)
    state = DATE_EMPTY;
  else if (ck_date_parse (text, NULL))
    state = DATE_VALID;
  else if (length < 10 && strspn (text, "0123456789-") == length)
    state = DATE_INCOMPLETE;
  else
    state = DATE_INVALID;

  if (state == DATE_INVALID)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");

  *date = state == DATE_VALID ? g_steal_pointer (&text) : NULL;

  return state;
}

/* The filter as entered, or NULL (with the reason shown) when a date is
 * not one. */
static Filter *
read_filter (CkStaffWindow *self)
{
  g_autoptr(Filter) filter = g_new0 (Filter, 1);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint position = gtk_drop_down_get_selected (self->state_dropdown);
  DateState since = read_date (self->since_entry, &filter->since);
  DateState until = read_date (self->until_entry, &filter->until);

  if (since == DATE_INVALID || until == DATE_INVALID)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (since == DATE_INVALID
                                                              ? self->since_entry
                                                              : self->until_entry));
      g_autofree char *message = NULL;

      /* Translators: %s is what staff typed as a date */
      message = g_strdup_printf (_("“%s” is not a date. Enter it as year-month-day, "
                                   "e.g. 2026-03-01."), text);
      show_filter_message (self, message);
      return NULL;
    }
  if (filter->since && filter->until && strcmp (filter->since, filter->until) > 0)
    {
      show_filter_message (self, _("The first date is after the last one."));
      return NULL;
    }

  show_filter_message (self, NULL);
  filter->search = g_strstrip (g_strdup (search));
  if (filter->search[0] == '\0')
    g_clear_pointer (&filter->search, g_free);
  if (position != GTK_INVALID_LIST_POSITION && position > 0 && position <= CK_VERIFY_N_STATES)
    filter->state = g_strdup (ck_verify_state_to_string (position - 1));

  return g_steal_pointer (&filter);
}

typedef struct
{
  CkStaffWindow *self;
  Filter *filter;
  GCancellable *cancellable;
} QueryCall;

static void
query_call_free (QueryCall *call)
{
  g_object_unref (call->self);
  g_clear_pointer (&call->filter, filter_free);
  g_object_unref (call->cancellable);
  g_free (call);
}

static void
on_query_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  QueryCall *call = user_data;
  CkStaffWindow *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ck_record_list_set_query_finish (CK_RECORD_LIST (object), result, &error);
  if (g_cancellable_is_cancelled (call->cancellable))
    {
      query_call_free (call);
      return;
    }

  self->query_running = FALSE;
  if (!ok)
    {
      g_warning ("The records cannot be listed: %s", error->message);
      show_filter_message (self, error->message);
    }
  else
    {
      g_clear_pointer (&self->shown, filter_free);
      self->shown = g_steal_pointer (&call->filter);
    }
  update_count (self);
  query_call_free (call);
}

/* Runs the query the filters say; a query still running is cancelled. */
static void
run_query (CkStaffWindow *self)
{
  g_autoptr(Filter) filter = NULL;
  CkStoreQuery query;
  QueryCall *call;

  g_clear_handle_id (&self->date_source, g_source_remove);
  self->filter_dirty = FALSE;
  if (self->query_cancellable)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_running = FALSE;

  if (self->records == NULL || !(filter = read_filter (self)))
    return;

  self->query_cancellable = g_cancellable_new ();
  self->query_running = TRUE;
  query = filter_to_query (filter);
  call = g_new0 (QueryCall, 1);
  call->self = g_object_ref (self);
  call->filter = g_steal_pointer (&filter);
  call->cancellable = g_object_ref (self->query_cancellable);
  ck_record_list_set_query_async (self->records, &query, self->query_cancellable,
                                  on_query_done, call);
}

static void
on_filter_changed (CkStaffWindow *self)
{
  run_query (self);
}

static gboolean
on_date_timeout (gpointer user_data)
{
  CkStaffWindow *self = user_data;

  self->date_source = 0;
  run_query (self);

  return G_SOURCE_REMOVE;
}

/* Typed dates are looked at once typing pauses; a date still being typed
 * changes nothing. */
static void
on_date_changed (CkStaffWindow *self)
{
  self->filter_dirty = TRUE;
  g_clear_handle_id (&self->date_source, g_source_remove);
  self->date_source = g_timeout_add (DATE_DELAY_MS, on_date_timeout, self);
}

static void
on_search_typed (CkStaffWindow *self)
{
  /* GtkSearchEntry says search-changed once typing pauses. */
  self->filter_dirty = TRUE;
}

/* The keypad has no dash: a digit typed at the end of a year or a month
 * brings the dash YYYY-MM-DD wants. Typing the dash works as before. */
static void
on_date_insert_text (GtkEditable *editable,
                     const char  *text,
                     int          length,
                     int         *position,
                     gpointer     user_data)
{
  const char *current = gtk_editable_get_text (editable);
  int n = (int)strlen (current);
  char with_dash[3] = { '-', text[0], '\0' };

  if (length < 0)
    length = (int)strlen (text);
  if (length != 1 || !g_ascii_isdigit (text[0]) || *position != n || (n != 4 && n != 7) ||
      strspn (current, "0123456789") != 4 || (n == 7 && current[4] != '-'))
    return;

  g_signal_handlers_block_by_func (editable, on_date_insert_text, user_data);
  gtk_editable_insert_text (editable, with_dash, 2, position);
  g_signal_handlers_unblock_by_func (editable, on_date_insert_text, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

/* --- the on-screen input ------------------------------------------------------ */

static gboolean
has_focus_in (GtkWidget *focus,
              gpointer   entry)
{
  return focus == entry || gtk_widget_is_ancestor (focus, entry);
}

/* Shows the input for the field with the focus; focus anywhere else
 * leaves it as it is. */
static void
on_focus_changed (CkStaffWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkEditable *date = NULL;

  if (focus == NULL)
    return;

  if (has_focus_in (focus, self->search_entry))
    {
      gboolean digits = gtk_toggle_button_get_active (self->digits_toggle);

      ck_keypad_set_editable (self->keypad, GTK_EDITABLE (self->search_entry));
      ck_keypad_set_show_x (self->keypad, TRUE);
      gtk_widget_set_visible (self->search_modes, TRUE);
      gtk_stack_set_visible_child_name (self->input_stack, digits ? "digits" : "chinese");
      return;
    }

  if (has_focus_in (focus, self->since_entry))
    date = GTK_EDITABLE (self->since_entry);
  else if (has_focus_in (focus, self->until_entry))
    date = GTK_EDITABLE (self->until_entry);
  if (date == NULL)
    return;

  ck_keypad_set_editable (self->keypad, date);
  ck_keypad_set_show_x (self->keypad, FALSE);
  gtk_widget_set_visible (self->search_modes, FALSE);
  gtk_stack_set_visible_child_name (self->input_stack, "digits");
}

/* 汉字 or 数字 for the search; the search keeps the focus. */
static void
on_search_mode_toggled (CkStaffWindow   *self,
                        GtkToggleButton *toggle)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  gtk_stack_set_visible_child_name (self->input_stack,
                                    toggle == self->digits_toggle ? "digits" : "chinese");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- the calendars ------------------------------------------------------------- */

/* The popover opens on the entry's date, or today. */
static void
show_date_in (CkStaffWindow *self,
              GtkEntry      *entry,
              GtkCalendar   *calendar)
{
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;

  if (read_date (entry, &date) == DATE_VALID &&
      sscanf (date, "%4d-%2d-%2d", &year, &month, &mday) == 3)
    day = g_date_time_new_local (year, month, mday, 0, 0, 0);
  if (day == NULL)
    day = g_date_time_new_now_local ();

  self->syncing_calendar = TRUE;
  gtk_calendar_select_day (calendar, day);
  self->syncing_calendar = FALSE;
}

/* A day tapped: it is the date, and the list shows it at once. */
static void
date_picked (CkStaffWindow *self,
             GtkEntry      *entry,
             GtkCalendar   *calendar,
             GtkPopover    *popover)
{
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *text = NULL;

  if (self->syncing_calendar)
    return;

  day = gtk_calendar_get_date (calendar);
  text = g_date_time_format (day, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_popover_popdown (popover);
  run_query (self);
}

static void
date_cleared (CkStaffWindow *self,
              GtkEntry      *entry,
              GtkPopover    *popover)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_popover_popdown (popover);
  run_query (self);
}

static void
on_since_popover_show (CkStaffWindow *self)
{
  show_date_in (self, self->since_entry, self->since_calendar);
}

static void
on_until_popover_show (CkStaffWindow *self)
{
  show_date_in (self, self->until_entry, self->until_calendar);
}

static void
on_since_day_selected (CkStaffWindow *self)
{
  date_picked (self, self->since_entry, self->since_calendar, self->since_popover);
}

static void
on_until_day_selected (CkStaffWindow *self)
{
  date_picked (self, self->until_entry, self->until_calendar, self->until_popover);
}

static void
on_since_cleared (CkStaffWindow *self)
{
  date_cleared (self, self->since_entry, self->since_popover);
}

static void
on_until_cleared (CkStaffWindow *self)
{
  date_cleared (self, self->until_entry, self->until_popover);
}

/* --- the detail ----------------------------------------------------------------- */

static void
on_selection_changed (CkStaffWindow *self)
{
  CkRecordItem *item = gtk_single_selection_get_selected_item (self->selection);
  const char *uuid = item ? ck_record_item_get_uuid (item) : NULL;

  /* A row read again is the same consent: the detail stays as it is. */
  if (self->refreshing || g_strcmp0 (uuid, ck_record_detail_get_consent (self->detail)) == 0)
    return;

  ck_record_detail_set_consent (self->detail, uuid);
}

static void compute_usage (CkStaffWindow *self);

/* The detail changed a consent (withdrawn, verified again): its row, and
 * the package's use, are read again. */
static void
on_detail_changed (CkStaffWindow *self,
                   const char    *uuid)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  /* The list puts a new item where a row changed, and the selection lets
   * go of it: the row keeps its position, so it is selected again. */
  self->refreshing = TRUE;
  ck_record_list_refresh (self->records);
  self->refreshing = FALSE;
  if (selected != GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, selected);
  compute_usage (self);
}

/* --- the package's use ------------------------------------------------------------ */

static void
usage_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CkStaffWindow *self = source_object;
  GError *error = NULL;
  CkUsage *usage;

  if ((usage = ck_usage_compute (self->store, self->config, &error)))
    g_task_return_pointer (task, usage, (GDestroyNotify)ck_usage_free);
  else
    g_task_return_error (task, error);
}

static void
on_usage_computed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  CkUsage *usage;

  usage = g_task_propagate_pointer (G_TASK (result), &error);
  if (usage == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("The verification package's use cannot be counted: %s", error->message);
          gtk_label_set_text (self->usage_label, error->message);
          gtk_widget_set_visible (self->usage_box, TRUE);
        }
      return;
    }

  gtk_widget_set_visible (self->usage_box, usage->package_size > 0);
  summary = ck_usage_dup_summary (usage);
  if (usage->low)
    {
      g_autofree char *text = NULL;

      /* Translators: the package's use, then the warning that little is left */
      text = g_strdup_printf (_("%s %s"), summary,
                              _("Less than a fifth of the verification package is left: "
                                "order more calls now."));
      gtk_label_set_text (self->usage_label, text);
      gtk_widget_add_css_class (self->usage_box, "warning");
    }
  else
    {
      gtk_label_set_text (self->usage_label, summary);
      gtk_widget_remove_css_class (self->usage_box, "warning");
    }
  gtk_widget_set_visible (self->usage_icon, usage->low);
  ck_usage_free (usage);
}

static void
compute_usage (CkStaffWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (ck_config_get_package_size (self->config) == 0)
    {
      gtk_widget_set_visible (self->usage_box, FALSE);
      return;
    }

  task = g_task_new (self, self->cancellable, on_usage_computed, NULL);
  g_task_set_source_tag (task, compute_usage);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, usage_thread);
}

/* --- export ----------------------------------------------------------------------- */

typedef struct
{
  CkStore *store;
  Filter *filter;
  guint max_attempts;
  CkExportFormat format;
  GFile *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_object_unref (job->store);
  filter_free (job->filter);
  g_object_unref (job->file);
  g_free (job);
}

/* How far an export is, handed from its thread to the window's. */
typedef struct
{
  CkStaffWindow *self;
  guint64 done;
  guint64 total;
} ExportProgress;

static gboolean
show_export_progress (gpointer data)
{
  ExportProgress *progress = data;
  CkStaffWindow *self = progress->self;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), self->n_exports > 0);
  gtk_progress_bar_set_fraction (self->export_progress,
                                 progress->total ? (double)progress->done / progress->total : 0.0);
  text = g_strdup_printf (_("Exporting: %u of %u"), (guint)MIN (progress->done, G_MAXUINT),
                          (guint)MIN (progress->total, G_MAXUINT));
  gtk_progress_bar_set_text (self->export_progress, text);

  return G_SOURCE_REMOVE;
}

static void
export_progress_free (gpointer data)
{
  ExportProgress *progress = data;

  g_object_unref (progress->self);
  g_free (progress);
}

/* A CkProgressFunc, in the export's thread. */
static void
on_export_progress (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ExportProgress *progress = g_new0 (ExportProgress, 1);

  progress->self = g_object_ref (g_task_get_source_object (task));
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, show_export_progress,
                              progress, export_progress_free);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  CkStoreQuery query = filter_to_query (job->filter);
  g_autoptr(GFile) parent = g_file_get_parent (job->file);
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *part_name = NULL;
  g_autoptr(GFile) part = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;

  /* Tells "will be retried" from "failed" for the state filter. */
  query.max_attempts = job->max_attempts;

  /* Names and masked ID numbers, for the owner's eyes only: written to a
   * private file beside the chosen one, which takes its place only when
   * it is whole. */
  part_name = g_strdup_printf (".%s.%08x.part", name, g_random_int ());
  part = g_file_get_child (parent, part_name);
  if (!(out = g_file_create (part, G_FILE_CREATE_PRIVATE, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!ck_export_write (job->store, &query, job->format, G_OUTPUT_STREAM (out), on_export_progress, task,
                        cancellable, NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error) ||
      !g_file_move (part, job->file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_file_delete (part, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (object);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_file_get_parse_name (job->file);

  self->n_exports--;
  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), self->n_exports > 0);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      AdwMessageDialog *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_message ("The export to %s failed: %s", where, error->message);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                           _("The Export Failed"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (_("Exported to %s"), where);

    g_message ("The records shown were exported to %s", where);
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  }
}

/* Writes the consents the list shows to @file. */
static void
export_to_file (CkStaffWindow  *self,
                GFile          *file,
                CkExportFormat  format)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);
  Filter none = { NULL };

  job->store = g_object_ref (self->store);
  job->filter = filter_copy (self->shown ? self->shown : &none);
  job->max_attempts = ck_config_get_max_attempts (self->config);
  job->format = format;
  job->file = g_object_ref (file);
  self->n_exports++;
  task = g_task_new (self, self->cancellable, on_exported, NULL);
  g_task_set_source_tag (task, export_to_file);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     CkStaffWindow   *self)
{
  CkExportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "format"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    export_to_file (self, file, format);

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

/* staff.export "csv"|"json": asks where, then exports. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *file_name = NULL;
  GtkFileChooserNative *chooser;
  CkExportFormat format;

  if (!ck_export_format_from_string (name, &format) || self->chooser)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Consents"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  file_name = g_strdup_printf ("consents-%s.%s", date, name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_object_set_data (G_OBJECT (chooser), "format", GUINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* staff.export-to ("csv"|"json", PATH): exports without asking (what the
 * file chooser's answer does). */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (widget);
  g_autoptr(GFile) file = NULL;
  const char *name, *path;
  CkExportFormat format;

  g_variant_get (parameter, "(&s&s)", &name, &path);
  if (!ck_export_format_from_string (name, &format))
    {
      g_warning ("Unknown export format “%s”", name);
      return;
    }
  file = g_file_new_for_path (path);
  export_to_file (self, file, format);
}

/* --- closing ------------------------------------------------------------------------ */

/* Closes the window, and the dialogs it opened: everything staff saw
 * goes with it. */
static void
close_now (CkStaffWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, g_object_ref (toplevel));
    }
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (dialogs->pdata[i]);

  self->closing_allowed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_close_clicked (CkStaffWindow *self)
{
  g_message ("Staff closed the records");
  close_now (self);
}

static gboolean
ck_staff_window_close_request (GtkWindow *window)
{
  CkStaffWindow *self = CK_STAFF_WINDOW (window);

  if (self->kiosk_mode && !self->closing_allowed)
    return TRUE;

  return GTK_WINDOW_CLASS (ck_staff_window_parent_class)->close_request (window);
}

static gboolean
on_input_event (CkStaffWindow *self,
                GdkEvent      *event)
{
  switch ((int)gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_MOTION_NOTIFY:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_SCROLL:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      self->last_input_us = g_get_monotonic_time ();
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Input anywhere in @window counts, before any widget sees it. */
static void
watch_input (CkStaffWindow *self,
             GtkWidget     *window)
{
  GtkEventController *controller;

  if (g_object_get_qdata (G_OBJECT (window), watched_quark))
    return;

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_input_event), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (window, controller);
  g_object_set_qdata (G_OBJECT (window), watched_quark, GINT_TO_POINTER (TRUE));
}

/* Whether a window of ours (a dialog of the detail, the file chooser) is
 * up; input there counts too. */
static gboolean
watch_dialogs (CkStaffWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean any = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        {
          watch_input (self, GTK_WIDGET (toplevel));
          any = TRUE;
        }
    }

  return any;
}

static gboolean
on_idle_tick (gpointer user_data)
{
  CkStaffWindow *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_input_us;

  watch_dialogs (self);
  if (idle_us < (gint64)self->idle_timeout_s * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_message ("Nobody used the records for %u s: closing them", self->idle_timeout_s);
  self->idle_source = 0;
  close_now (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_key_pressed (CkStaffWindow   *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  if (self->kiosk_mode && ck_window_key_leaves_kiosk (keyval, state))
    return GDK_EVENT_STOP;

  return GDK_EVENT_PROPAGATE;
}

/* Back to full screen in kiosk mode, unless a dialog of ours is up. */
static void
on_fullscreened (CkStaffWindow *self)
{
  if (self->kiosk_mode && !self->closing_allowed &&
      !gtk_window_is_fullscreen (GTK_WINDOW (self)) && !watch_dialogs (self))
    gtk_window_fullscreen (GTK_WINDOW (self));
}

/* --- the type -------------------------------------------------------------------------- */

static void
ck_staff_window_dispose (GObject *object)
{
  CkStaffWindow *self = (CkStaffWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->query_cancellable)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->date_source, g_source_remove);
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
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_staff_window_parent_class)->dispose (object);
}

static void
ck_staff_window_finalize (GObject *object)
{
  CkStaffWindow *self = (CkStaffWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_pointer (&self->shown, filter_free);
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

  column_quark = g_quark_from_static_string ("ck-staff-window-column");
  watched_quark = g_quark_from_static_string ("ck-staff-window-watched");

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
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_box);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_icon);
  gtk_widget_class_bind_template_child (widget_class, CkStaffWindow, usage_label);
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
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_since_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_until_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_since_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_until_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_since_cleared);
  gtk_widget_class_bind_template_callback (widget_class, on_until_cleared);

  gtk_widget_class_install_action (widget_class, "staff.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "staff.export-to", "(ss)", export_to_action);
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

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (self->columns[i], factory);
    }

  gtk_string_list_append (states, _("Any State"));
  for (CkVerifyState state = 0; state < CK_VERIFY_N_STATES; state++)
    gtk_string_list_append (states, ck_verify_state_get_label (state));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_drop_down_set_selected (self->state_dropdown, 0);

  g_signal_connect_object (self->search_entry, "changed", G_CALLBACK (on_search_typed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->since_entry)), "insert-text",
                    G_CALLBACK (on_date_insert_text), self);
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->until_entry)), "insert-text",
                    G_CALLBACK (on_date_insert_text), self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_changed), NULL);

  self->last_input_us = g_get_monotonic_time ();
  watch_input (self, GTK_WIDGET (self));
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);
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
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->records, "items-changed", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);

  self->detail = ck_record_detail_new (store, queue, config);
  ck_record_detail_set_operator (self->detail, operator_name);
  g_signal_connect_object (self->detail, "changed", G_CALLBACK (on_detail_changed), self,
                           G_CONNECT_SWAPPED);
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

  self->idle_source = g_timeout_add (IDLE_TICK_MS, on_idle_tick, self);
  g_message ("Staff opened the records");
  run_query (self);
  compute_usage (self);
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
