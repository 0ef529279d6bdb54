/* ck-staff-window-list.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The records window's list: a GtkColumnView of the consents the query
 * found, each cell filled from its row's item, the count above it, and
 * the selected consent handed to the detail beside it (its row read again
 * when the detail changed it). */

#define G_LOG_DOMAIN "ck-staff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-staff-window-impl.h"

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
  Column column = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (label),
                                                        _ck_staff_window_column_quark));

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

void
_ck_staff_window_setup_cell (GtkSignalListItemFactory *factory,
                             GtkListItem              *list_item,
                             gpointer                  data)
{
  Column column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_qdata (G_OBJECT (label), _ck_staff_window_column_quark, data);
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

void
_ck_staff_window_bind_cell (GtkSignalListItemFactory *factory,
                            GtkListItem              *list_item,
                            gpointer                  data)
{
  CkRecordItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));

  update_cell (label, item);
}

void
_ck_staff_window_update_count (CkStaffWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->records));
  g_autofree char *text = NULL;

  /* Translators: how many consents the search found, e.g. "12,345 consents" */
  text = g_strdup_printf (ngettext ("%'u consent", "%'u consents", n), n);
  gtk_label_set_text (self->count_label, text);
  if (!self->query_running)
    gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}
/* --- the detail ----------------------------------------------------------------- */

void
_ck_staff_window_on_selection_changed (CkStaffWindow *self)
{
  CkRecordItem *item = gtk_single_selection_get_selected_item (self->selection);
  const char *uuid = item ? ck_record_item_get_uuid (item) : NULL;

  /* A row read again is the same consent: the detail stays as it is. */
  if (self->refreshing || g_strcmp0 (uuid, ck_record_detail_get_consent (self->detail)) == 0)
    return;

  ck_record_detail_set_consent (self->detail, uuid);
}

/* The detail changed a consent (withdrawn, verified again): its row, and
 * the package's use, are read again. */
void
_ck_staff_window_on_detail_changed (CkStaffWindow *self,
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
  _ck_staff_window_compute_usage (self);
}
