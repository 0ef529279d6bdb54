/* ck-signature-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The customer signs on a CkSignaturePad; Undo takes back the last
 * stroke, Clear all of them. Next asks the core whether the signature is
 * acceptable (a dot, a scribble in a corner are not, with a message that
 * says what to do) and hands it to the flow (ck_flow_set_signature). */

#define G_LOG_DOMAIN "ck-signature-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-signature-page.h"

struct _CkSignaturePage
{
  CkPage parent_instance;

  CkSignaturePad *pad;
  GtkButton *undo_button;
  GtkButton *clear_button;
  GtkLabel *message_label;
  GtkButton *next_button;
};

G_DEFINE_FINAL_TYPE (CkSignaturePage, ck_signature_page, CK_TYPE_PAGE)

static void
update_sensitivity (CkSignaturePage *self)
{
  gboolean empty = ck_signature_pad_get_empty (self->pad);

  gtk_widget_set_sensitive (GTK_WIDGET (self->undo_button), !empty);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), !empty);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !empty);
}

static void
on_pad_changed (CkSignaturePage *self)
{
  ck_page_show_error (CK_PAGE (self), self->message_label, NULL);
  update_sensitivity (self);
}

static void
on_undo_clicked (CkSignaturePage *self)
{
  ck_signature_pad_undo (self->pad);
}

static void
on_clear_clicked (CkSignaturePage *self)
{
  ck_signature_pad_clear (self->pad);
}

static void
on_next_clicked (CkSignaturePage *self)
{
  CkFlow *flow = ck_page_get_flow (CK_PAGE (self));
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (flow != NULL);

  if (!ck_signature_pad_check_acceptable (self->pad, &error) ||
      !(signature = ck_signature_pad_dup_signature (self->pad)) ||
      !ck_flow_set_signature (flow, signature, &error))
    {
      ck_page_show_error (CK_PAGE (self), self->message_label,
                          error ? error->message : _("Please sign in the box."));
      return;
    }

  ck_page_emit_next (CK_PAGE (self));
}

static void
on_back_clicked (CkSignaturePage *self)
{
  ck_page_emit_back (CK_PAGE (self));
}

static void
on_cancel_clicked (CkSignaturePage *self)
{
  ck_page_emit_cancel (CK_PAGE (self));
}

static void
ck_signature_page_shown (CkPage *page)
{
  CkSignaturePage *self = CK_SIGNATURE_PAGE (page);

  update_sensitivity (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->pad));
}

static void
ck_signature_page_reset (CkPage *page)
{
  CkSignaturePage *self = CK_SIGNATURE_PAGE (page);

  ck_signature_pad_clear (self->pad);
  ck_page_show_error (page, self->message_label, NULL);
  update_sensitivity (self);
}

static void
ck_signature_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_SIGNATURE_PAGE);

  G_OBJECT_CLASS (ck_signature_page_parent_class)->dispose (object);
}

static void
ck_signature_page_class_init (CkSignaturePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_signature_page_dispose;
  page_class->shown = ck_signature_page_shown;
  page_class->reset = ck_signature_page_reset;

  g_type_ensure (CK_TYPE_SIGNATURE_PAD);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/consentkiosk/ConsentKiosk/ck-signature-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkSignaturePage, pad);
  gtk_widget_class_bind_template_child (widget_class, CkSignaturePage, undo_button);
  gtk_widget_class_bind_template_child (widget_class, CkSignaturePage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CkSignaturePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, CkSignaturePage, next_button);
  gtk_widget_class_bind_template_callback (widget_class, on_pad_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_undo_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
ck_signature_page_init (CkSignaturePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_sensitivity (self);
}

/**
 * ck_signature_page_get_pad:
 *
 * Returns: (transfer none): the signature pad
 */
CkSignaturePad *
ck_signature_page_get_pad (CkSignaturePage *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAGE (self), NULL);

  return self->pad;
}
