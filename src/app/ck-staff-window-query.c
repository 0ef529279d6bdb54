/* ck-staff-window-query.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The records window's filters: the search, the dates from and to and the
 * state, read into a Filter and run as a query in the list's worker
 * thread (a newer one cancels the older); dates typed are looked at once
 * typing pauses. */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ck-staff-window-impl.h"

/* Dates typed are looked at once typing pauses this long. */
#define DATE_DELAY_MS 250

void
_ck_staff_window_filter_free (Filter *filter)
{
  g_free (filter->search);
  g_free (filter->since);
  g_free (filter->until);
  g_free (filter->state);
  g_free (filter);
}

Filter *
_ck_staff_window_filter_copy (const Filter *filter)
{
  Filter *copy = g_new0 (Filter, 1);

  copy->search = g_strdup (filter->search);
  copy->since = g_strdup (filter->since);
  copy->until = g_strdup (filter->until);
  copy->state = g_strdup (filter->state);

  return copy;
}

CkStoreQuery
_ck_staff_window_filter_to_query (const Filter *filter)
{
  CkStoreQuery query = { NULL };

  query.search = filter->search;
  query.since = filter->since;
  query.until = filter->until;
  query.state = filter->state;

  return query;
}

static void
show_filter_message (CkStaffWindow *self,
                     const char    *message)
{
  gtk_label_set_text (self->filter_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_message), message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), message == NULL);
}

/* The date in @entry: none, still being typed, a date, or not one. */
DateState
_ck_staff_window_read_date (GtkEntry  *entry,
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
  DateState since = _ck_staff_window_read_date (self->since_entry, &filter->since);
  DateState until = _ck_staff_window_read_date (self->until_entry, &filter->until);

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
  g_clear_pointer (&call->filter, _ck_staff_window_filter_free);
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
      g_clear_pointer (&self->shown, _ck_staff_window_filter_free);
      self->shown = g_steal_pointer (&call->filter);
    }
  _ck_staff_window_update_count (self);
  query_call_free (call);
}

/* Runs the query the filters say; a query still running is cancelled. */
void
_ck_staff_window_run_query (CkStaffWindow *self)
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
  query = _ck_staff_window_filter_to_query (filter);
  call = g_new0 (QueryCall, 1);
  call->self = g_object_ref (self);
  call->filter = g_steal_pointer (&filter);
  call->cancellable = g_object_ref (self->query_cancellable);
  ck_record_list_set_query_async (self->records, &query, self->query_cancellable,
                                  on_query_done, call);
}

void
_ck_staff_window_on_filter_changed (CkStaffWindow *self)
{
  _ck_staff_window_run_query (self);
}

static gboolean
on_date_timeout (gpointer user_data)
{
  CkStaffWindow *self = user_data;

  self->date_source = 0;
  _ck_staff_window_run_query (self);

  return G_SOURCE_REMOVE;
}

/* Typed dates are looked at once typing pauses; a date still being typed
 * changes nothing. */
void
_ck_staff_window_on_date_changed (CkStaffWindow *self)
{
  self->filter_dirty = TRUE;
  g_clear_handle_id (&self->date_source, g_source_remove);
  self->date_source = g_timeout_add (DATE_DELAY_MS, on_date_timeout, self);
}

void
_ck_staff_window_on_search_typed (CkStaffWindow *self)
{
  /* GtkSearchEntry says search-changed once typing pauses. */
  self->filter_dirty = TRUE;
}
