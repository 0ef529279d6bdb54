/* ck-signature-view.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A signature as the PDF prints it, for the review page: its ink fitted
 * into a box of the PDF signature box's proportions (118 × 40), centred in
 * the widget, with the same line widths relative to the box
 * (ck_ink_draw_fitted(), over ck_stroke_fit()). Not the pad's pixels: the
 * pad's thin lines shrunk to the review's size were faint (issue 14), and
 * the PDF crops to the ink where the pad does not. No line is thinner than
 * CK_SIGNATURE_VIEW_MIN_LINE_WIDTH px, as on the pad (issue 17: at less
 * than its natural size the PDF's widths made a broken hairline). */

#define G_LOG_DOMAIN "ck-signature-view"

#include "config.h"

#include "ck-ink.h"
#include "ck-signature-view.h"

struct _CkSignatureView
{
  GtkWidget parent_instance;

  CkSignature *signature;
};

enum {
  PROP_0,
  PROP_SIGNATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CkSignatureView, ck_signature_view, GTK_TYPE_WIDGET)

GtkWidget *
ck_signature_view_new (void)
{
  return g_object_new (CK_TYPE_SIGNATURE_VIEW, NULL);
}

/* The largest box of the PDF box's proportions in @width × @height,
 * centred. */
static void
box_in (double           width,
        double           height,
        graphene_rect_t *box)
{
  double unit = MIN (width / CK_STROKE_PRINT_BOX_WIDTH, height / CK_STROKE_PRINT_BOX_HEIGHT);
  double w = unit * CK_STROKE_PRINT_BOX_WIDTH;
  double h = unit * CK_STROKE_PRINT_BOX_HEIGHT;

  graphene_rect_init (box, (width - w) / 2, (height - h) / 2, w, h);
}

/**
 * ck_signature_view_get_box:
 * @self: a #CkSignatureView
 * @box: (out caller-allocates): the box the signature is fitted into, in
 *   the widget's coordinates
 *
 * Returns: %FALSE if the widget has no size yet
 */
gboolean
ck_signature_view_get_box (CkSignatureView *self,
                           graphene_rect_t *box)
{
  int width, height;

  g_return_val_if_fail (CK_IS_SIGNATURE_VIEW (self), FALSE);
  g_return_val_if_fail (box != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  box_in (width, height, box);

  return width > 0 && height > 0;
}

static void
ck_signature_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CkSignatureView *self = CK_SIGNATURE_VIEW (widget);
  graphene_rect_t box;
  cairo_t *cr;

  if (self->signature == NULL || !ck_signature_view_get_box (self, &box))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &box);
  cairo_translate (cr, box.origin.x, box.origin.y);
  ck_ink_draw_fitted (cr, self->signature, box.size.width, box.size.height,
                      CK_SIGNATURE_VIEW_MIN_LINE_WIDTH, NULL);
  cairo_destroy (cr);
}

static void
ck_signature_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  double side = orientation == GTK_ORIENTATION_HORIZONTAL ? CK_STROKE_PRINT_BOX_WIDTH
                                                          : CK_STROKE_PRINT_BOX_HEIGHT;

  *minimum = (int)side;
  *natural = (int)(side * CK_SIGNATURE_VIEW_SCALE);
}

static void
ck_signature_view_dispose (GObject *object)
{
  CkSignatureView *self = CK_SIGNATURE_VIEW (object);

  g_clear_object (&self->signature);

  G_OBJECT_CLASS (ck_signature_view_parent_class)->dispose (object);
}

static void
ck_signature_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CkSignatureView *self = CK_SIGNATURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE:
      g_value_set_object (value, self->signature);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_signature_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CkSignatureView *self = CK_SIGNATURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE:
      ck_signature_view_set_signature (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_signature_view_class_init (CkSignatureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_signature_view_dispose;
  object_class->get_property = ck_signature_view_get_property;
  object_class->set_property = ck_signature_view_set_property;
  widget_class->snapshot = ck_signature_view_snapshot;
  widget_class->measure = ck_signature_view_measure;

  /**
   * CkSignatureView:signature:
   *
   * The signature shown; not copied: it is not to change while shown.
   */
  properties[PROP_SIGNATURE] =
    g_param_spec_object ("signature", NULL, NULL,
                         CK_TYPE_SIGNATURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "signatureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ck_signature_view_init (CkSignatureView *self)
{
}

/**
 * ck_signature_view_get_signature:
 *
 * Returns: (transfer none) (nullable): the signature shown
 */
CkSignature *
ck_signature_view_get_signature (CkSignatureView *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_VIEW (self), NULL);

  return self->signature;
}

/**
 * ck_signature_view_set_signature:
 * @signature: (nullable): the signature to show
 */
void
ck_signature_view_set_signature (CkSignatureView *self,
                                 CkSignature     *signature)
{
  g_return_if_fail (CK_IS_SIGNATURE_VIEW (self));
  g_return_if_fail (signature == NULL || CK_IS_SIGNATURE (signature));

  if (!g_set_object (&self->signature, signature))
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE]);
}
