/* ck-review-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What will be signed, read back from the flow: the name, the whole ID
 * number grouped as 110105 19491231 002X for the customer to check it
 * (issue 17: a masked number cannot be checked), the date and the
 * signature, drawn as the PDF will print it (CkSignatureView). The number
 * is on this page only while it is shown: Confirm masks it before going on
 * to saving, and it is never logged; after saving it is masked everywhere
 * (the staff window, logs). */

#define G_LOG_DOMAIN "ck-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-review-page.h"
#include "ck-signature-view.h"

struct _CkReviewPage
{
  CkPage parent_instance;

  GtkLabel *name_value;
  GtkLabel *id_value;
  GtkLabel *date_value;
  CkSignatureView *signature_view;
  GtkLabel *notice_label;
  GtkButton *confirm_button;
};

G_DEFINE_FINAL_TYPE (CkReviewPage, ck_review_page, CK_TYPE_PAGE)

/* The whole number leaves the screen once the customer confirmed it. */
static void
hide_number (CkReviewPage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));
  g_autofree char *masked = NULL;

  if (flow && ck_flow_get_id_number (flow))
    masked = ck_idcard_mask_number (ck_flow_get_id_number (flow));
  gtk_label_set_text (self->id_value, masked ? masked : "");
}

static void
on_confirm_clicked (CkReviewPage *self)
{
  hide_number (self);
  ck_page_emit_next (CK_PAGE (self));
}

static void
on_back_clicked (CkReviewPage *self)
{
  ck_page_emit_back (CK_PAGE (self));
}

static void
on_cancel_clicked (CkReviewPage *self)
{
  ck_page_emit_cancel (CK_PAGE (self));
}

static void
ck_review_page_shown (CkPage *page)
{
  CkReviewPage *self = CK_REVIEW_PAGE (page);
  CkFlow *flow = ck_page_get_flow (page);
  g_autofree char *grouped = NULL;
  g_autofree char *date = NULL;
  g_autofree char *notice = NULL;

  g_return_if_fail (flow != NULL);

  if (ck_flow_get_id_number (flow))
    grouped = ck_idcard_group_number (ck_flow_get_id_number (flow));
  date = ck_page_dup_date_text (page);
  notice = ck_flow_dup_upgrade_notice (flow);

  gtk_label_set_text (self->name_value, ck_flow_get_name (flow));
  gtk_label_set_text (self->id_value, grouped);
  gtk_label_set_text (self->date_value, date);
  ck_signature_view_set_signature (self->signature_view, ck_flow_get_signature (flow));
  ck_page_show_error (page, self->notice_label, notice);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
}

static void
ck_review_page_reset (CkPage *page)
{
  CkReviewPage *self = CK_REVIEW_PAGE (page);

  gtk_label_set_text (self->name_value, "");
  gtk_label_set_text (self->id_value, "");
  gtk_label_set_text (self->date_value, "");
  ck_page_show_error (page, self->notice_label, NULL);
  ck_signature_view_set_signature (self->signature_view, NULL);
}

static void
ck_review_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_REVIEW_PAGE);

  G_OBJECT_CLASS (ck_review_page_parent_class)->dispose (object);
}

static void
ck_review_page_class_init (CkReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_review_page_dispose;
  page_class->shown = ck_review_page_shown;
  page_class->reset = ck_review_page_reset;

  g_type_ensure (CK_TYPE_SIGNATURE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, name_value);
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, id_value);
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, date_value);
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, signature_view);
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CkReviewPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
ck_review_page_init (CkReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_review_page_get_signature_view:
 *
 * Returns: (transfer none): the signature as it will be printed
 */
CkSignatureView *
ck_review_page_get_signature_view (CkReviewPage *self)
{
  g_return_val_if_fail (CK_IS_REVIEW_PAGE (self), NULL);

  return self->signature_view;
}
