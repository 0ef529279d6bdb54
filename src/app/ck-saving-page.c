/* ck-saving-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The consent is rendered and stored in a worker thread
 * (ck_flow_save_async) while this page shows that something happens; the
 * UI never waits on it. A failed save keeps everything entered and offers
 * to try again. The page is busy meanwhile: no cancel, no idle wipe, as a
 * save cannot be taken back half-way. */

#define G_LOG_DOMAIN "ck-saving-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-saving-page.h"

struct _CkSavingPage
{
  CkPage parent_instance;

  GtkStack *stack;
  GtkSpinner *spinner;
  GtkLabel *error_label;
  GtkButton *retry_button;

  CkConsentRecord *record;
};

G_DEFINE_FINAL_TYPE (CkSavingPage, ck_saving_page, CK_TYPE_PAGE)

static void start_save (CkSavingPage *self);

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CkSavingPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->record, ck_consent_record_free);
  self->record = ck_flow_save_finish (CK_FLOW (object), result, &error);
  gtk_spinner_stop (self->spinner);
  ck_page_set_busy (CK_PAGE (self), FALSE);

  if (self->record == NULL)
    {
      g_warning ("A consent could not be saved: %s", error->message);
      gtk_label_set_text (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
      return;
    }

  g_message ("Consent %s saved", self->record->uuid);
  ck_page_emit_next (CK_PAGE (self));
}

static void
start_save (CkSavingPage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));

  g_return_if_fail (flow != NULL);
  g_return_if_fail (ck_flow_get_state (flow) == CK_FLOW_STATE_SIGNED);

  gtk_stack_set_visible_child_name (self->stack, "saving");
  gtk_spinner_start (self->spinner);
  ck_page_set_busy (CK_PAGE (self), TRUE);
  ck_flow_save_async (flow, NULL, on_saved, g_object_ref (self));
}

static void
on_retry_clicked (CkSavingPage *self)
{
  start_save (self);
}

static void
on_cancel_clicked (CkSavingPage *self)
{
  ck_page_emit_cancel (CK_PAGE (self));
}

static void
ck_saving_page_shown (CkPage *page)
{
  CkSavingPage *self = CK_SAVING_PAGE (page);
  CkFlow *flow = ck_page_get_flow (page);

  if (flow && ck_flow_get_state (flow) == CK_FLOW_STATE_SIGNED)
    start_save (self);
}

static void
ck_saving_page_reset (CkPage *page)
{
  CkSavingPage *self = CK_SAVING_PAGE (page);

  g_clear_pointer (&self->record, ck_consent_record_free);
  gtk_label_set_text (self->error_label, "");
  gtk_stack_set_visible_child_name (self->stack, "saving");
}

static void
ck_saving_page_dispose (GObject *object)
{
  CkSavingPage *self = (CkSavingPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_SAVING_PAGE);
  g_clear_pointer (&self->record, ck_consent_record_free);

  G_OBJECT_CLASS (ck_saving_page_parent_class)->dispose (object);
}

static void
ck_saving_page_class_init (CkSavingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_saving_page_dispose;
  page_class->shown = ck_saving_page_shown;
  page_class->reset = ck_saving_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-saving-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkSavingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CkSavingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CkSavingPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CkSavingPage, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
ck_saving_page_init (CkSavingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_saving_page_get_record:
 *
 * Returns: (transfer none) (nullable): the consent stored, once saved
 */
const CkConsentRecord *
ck_saving_page_get_record (CkSavingPage *self)
{
  g_return_val_if_fail (CK_IS_SAVING_PAGE (self), NULL);

  return self->record;
}
