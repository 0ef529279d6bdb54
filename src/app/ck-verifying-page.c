/* ck-verifying-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The stored consent is verified through the application's queue, by its
 * id (ck_flow_verify_async), while this page shows progress. Whatever
 * comes back, an answer or an error, goes on to the result page: the
 * consent is stored already, and a verification that did not happen is
 * queued and retried. */

#define G_LOG_DOMAIN "ck-verifying-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-verifying-page.h"

struct _CkVerifyingPage
{
  CkPage parent_instance;

  GtkSpinner *spinner;

  CkVerifyQueue *queue;
  CkVerification *verification;
  GError *error;
};

G_DEFINE_FINAL_TYPE (CkVerifyingPage, ck_verifying_page, CK_TYPE_PAGE)

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CkVerifyingPage) self = user_data;

  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_error (&self->error);
  self->verification = ck_flow_verify_finish (CK_FLOW (object), result, &self->error);
  gtk_spinner_stop (self->spinner);
  ck_page_set_busy (CK_PAGE (self), FALSE);

  /* Reset meanwhile (another customer): the attempt is stored anyway. */
  if (ck_page_get_flow (CK_PAGE (self)) != CK_FLOW (object))
    return;

  if (self->error)
    g_message ("No verification now: %s", self->error->message);
  else
    g_message ("Consent %s: verification %s", self->verification->consent_uuid,
               ck_verify_state_to_string (self->verification->state));
  ck_page_emit_next (CK_PAGE (self));
}

static void
ck_verifying_page_shown (CkPage *page)
{
  CkVerifyingPage *self = CK_VERIFYING_PAGE (page);
  CkFlow *flow = ck_page_get_flow (page);

  g_return_if_fail (flow != NULL && self->queue != NULL);

  if (ck_flow_get_state (flow) != CK_FLOW_STATE_SAVED)
    return;

  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_error (&self->error);
  gtk_spinner_start (self->spinner);
  ck_page_set_busy (page, TRUE);
  ck_flow_verify_async (flow, self->queue, NULL, on_verified, g_object_ref (self));
}

static void
ck_verifying_page_reset (CkPage *page)
{
  CkVerifyingPage *self = CK_VERIFYING_PAGE (page);

  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_error (&self->error);
}

static void
ck_verifying_page_dispose (GObject *object)
{
  CkVerifyingPage *self = (CkVerifyingPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_VERIFYING_PAGE);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (ck_verifying_page_parent_class)->dispose (object);
}

static void
ck_verifying_page_class_init (CkVerifyingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_verifying_page_dispose;
  page_class->shown = ck_verifying_page_shown;
  page_class->reset = ck_verifying_page_reset;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/consentkiosk/ConsentKiosk/ck-verifying-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkVerifyingPage, spinner);
}

static void
ck_verifying_page_init (CkVerifyingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
ck_verifying_page_set_queue (CkVerifyingPage *self,
                             CkVerifyQueue   *queue)
{
  g_return_if_fail (CK_IS_VERIFYING_PAGE (self));

  g_set_object (&self->queue, queue);
}

/**
 * ck_verifying_page_get_verification:
 *
 * Returns: (transfer none) (nullable): where the verification stands,
 *   once it came back
 */
const CkVerification *
ck_verifying_page_get_verification (CkVerifyingPage *self)
{
  g_return_val_if_fail (CK_IS_VERIFYING_PAGE (self), NULL);

  return self->verification;
}

/**
 * ck_verifying_page_get_error:
 *
 * Returns: (transfer none) (nullable): why no verification was made now
 *   (the consent stays queued)
 */
const GError *
ck_verifying_page_get_error (CkVerifyingPage *self)
{
  g_return_val_if_fail (CK_IS_VERIFYING_PAGE (self), NULL);

  return self->error;
}
