/* ck-record-detail-reprint.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record detail's reprint: the stored PDF, checked against its hashes
 * first, sent to the configured printer. */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-print.h"
#include "ck-record-detail-impl.h"

static void
on_printed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CkRecordDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->printing = FALSE;
  _ck_record_detail_update_actions (self);
  if (!ck_print_file_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ck_record_detail_show_status (self, STATUS_INFO, NULL);
      else
        {
          g_message ("Reprinting failed: %s", error->message);
          _ck_record_detail_show_status (self, STATUS_ERROR, error->message);
        }
      return;
    }

  _ck_record_detail_show_status (self, STATUS_INFO, _("Sent to the printer."));
}

/* The configured printer waits: out of paper, paused, … */
static void
on_print_progress (CkPrintProblem problem,
                   gpointer       user_data)
{
  CkRecordDetail *self = user_data;
  g_autofree char *message = NULL;

  if (problem == CK_PRINT_PROBLEM_NONE)
    {
      _ck_record_detail_show_status (self, STATUS_BUSY, _("Printing…"));
      return;
    }

  message = g_strdup_printf (_("The job waits for the printer: %s"),
                             ck_print_problem_get_label (problem));
  _ck_record_detail_show_status (self, STATUS_BUSY, message);
}

void
_ck_record_detail_on_reprint_clicked (CkRecordDetail *self)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (self->uuid == NULL || self->printing)
    return;

  /* What is printed must be what was signed: the row and the PDF are
   * checked against their hashes first. */
  if (!(record = ck_store_lookup_intact (self->store, self->uuid, &error)))
    {
      g_warning ("Consent %s is not reprinted: %s", self->uuid, error->message);
      if (g_error_matches (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED))
        _ck_record_detail_show_status (self, STATUS_ERROR,
                                       _("Not printed: the stored consent was changed after "
                                         "signing. Check the data directory with “consentctl "
                                         "check” and tell IT."));
      else
        {
          g_autofree char *message = g_strdup_printf (_("Not printed: %s"), error->message);

          _ck_record_detail_show_status (self, STATUS_ERROR, message);
        }
      return;
    }

  path = ck_store_dup_pdf_file (self->store, record);
  self->printing = TRUE;
  _ck_record_detail_update_actions (self);
  _ck_record_detail_show_status (self, STATUS_BUSY, _("Printing…"));
  g_message ("Reprinting consent %s", record->uuid);
  ck_print_file_async (_ck_record_detail_parent_window (self), path, _("Signed consent"),
                       ck_config_get_printer (self->config), on_print_progress, self,
                       self->cancellable, on_printed, g_object_ref (self));
}
