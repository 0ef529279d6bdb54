/* ck-signature-pad.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the customer signs, with a pen, a finger or a mouse. Every sample
 * the toolkit delivers goes, as it came, into a CkSignature (the evidence;
 * samples in the pad's coordinates, clamped to it), and from there into
 * CkInk, which draws the shared stroke geometry at constant cost a sample.
 *
 * Pens come through GtkGestureStylus, with pressure and the samples GDK
 * folded into one motion event (the backlog); touch and mouse through
 * GtkGestureDrag, with the same history for a mouse and no pressure (the
 * core's "none"). One stroke a press–release; while one device draws,
 * the others are ignored.
 *
 * The model's size is the pad's size when drawing began: while the
 * signature is empty it follows the pad, by replacing the model with a
 * new empty one (notify::signature); once there is ink it stays. */

#define G_LOG_DOMAIN "ck-signature-pad"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ck-ink.h"
#include "ck-signature-pad.h"

struct _CkSignaturePad
{
  GtkWidget parent_instance;

  CkSignature *signature;
  CkInk *ink;

  GtkGesture *stylus;
  GtkGesture *drag;

  /* The gesture whose stroke is open, or NULL. */
  GtkGesture *drawing;
  double drag_x;
  double drag_y;

  /* The newest sample of the open stroke, to drop a sample the toolkit
   * reports twice (a motion event and its own history). */
  double last_x;
  double last_y;
  guint32 last_time;

  /* As last notified. */
  guint n_strokes;
  gboolean empty;
};

enum {
  PROP_0,
  PROP_EMPTY,
  PROP_N_STROKES,
  PROP_SIGNATURE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkSignaturePad, ck_signature_pad, GTK_TYPE_WIDGET)

/* Where the signature line lies, as a fraction of the height. */
#define LINE_POSITION 0.75

/**
 * ck_signature_pad_new:
 *
 * Returns: (transfer floating): a new, empty signature pad
 */
GtkWidget *
ck_signature_pad_new (void)
{
  return g_object_new (CK_TYPE_SIGNATURE_PAD, NULL);
}

static void
sync_state (CkSignaturePad *self)
{
  guint n_strokes = ck_signature_get_n_strokes (self->signature);
  gboolean empty = n_strokes == 0;

  g_object_freeze_notify (G_OBJECT (self));

  if (n_strokes != self->n_strokes)
    {
      self->n_strokes = n_strokes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
    }

  if (empty != self->empty)
    {
      self->empty = empty;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "signature-pad.undo", !empty);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "signature-pad.clear", !empty);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* While the signature is empty, its size follows the pad's. */
static void
fit_model (CkSignaturePad *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double model_width, model_height;

  if (width <= 0 || height <= 0 || self->drawing != NULL ||
      ck_signature_get_n_strokes (self->signature) != 0)
    return;

  ck_signature_get_size (self->signature, &model_width, &model_height);
  if (fabs (model_width - width) < 0.05 && fabs (model_height - height) < 0.05)
    return;

  g_object_unref (self->signature);
  self->signature = ck_signature_new (MIN (width, CK_SIGNATURE_MAX_SIZE),
                                      MIN (height, CK_SIGNATURE_MAX_SIZE));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE]);
}

/* Ends the open stroke; "changed" follows. */
static void
finish_stroke (CkSignaturePad *self)
{
  ck_signature_end_stroke (self->signature);
  ck_ink_end_stroke (self->ink);
  self->drawing = NULL;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
add_sample (CkSignaturePad *self,
            double          x,
            double          y,
            guint32         time_ms,
            double          pressure)
{
  g_autoptr(GError) error = NULL;
  const CkSignatureSample *samples;
  guint n_samples;

  x = CLAMP (x, 0, gtk_widget_get_width (GTK_WIDGET (self)));
  y = CLAMP (y, 0, gtk_widget_get_height (GTK_WIDGET (self)));
  if (!isnan (pressure))
    pressure = CLAMP (pressure, 0.0, 1.0);

  if (x == self->last_x && y == self->last_y && time_ms == self->last_time)
    return;

  if (!ck_signature_add_sample (self->signature, x, y, time_ms, pressure, &error))
    {
      /* Only the model's limits (200,000 samples) get here. */
      g_debug ("Sample refused, stroke ended: %s", error->message);
      finish_stroke (self);
      return;
    }

  self->last_x = x;
  self->last_y = y;
  self->last_time = time_ms;

  samples = ck_signature_get_samples (self->signature, &n_samples);
  ck_ink_add_sample (self->ink, &samples[n_samples - 1]);
  sync_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A sample at the drawing gesture's current event, if it still draws
 * (a refused sample ends the stroke). */
static void
add_current_sample (CkSignaturePad *self,
                    double          x,
                    double          y,
                    double          pressure)
{
  if (self->drawing == NULL)
    return;

  add_sample (self, x, y,
              gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (self->drawing)),
              pressure);
}

static void
begin_stroke (CkSignaturePad *self,
              GtkGesture     *gesture,
              double          x,
              double          y,
              double          pressure)
{
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  if (gtk_widget_get_focus_on_click (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));

  fit_model (self);
  self->drawing = gesture;
  self->last_x = self->last_y = NAN;
  ck_signature_begin_stroke (self->signature);
  add_current_sample (self, x, y, pressure);
}

/* Pen up: the release point, then the end of the stroke. */
static void
end_stroke_at (CkSignaturePad *self,
               double          x,
               double          y,
               double          pressure)
{
  add_current_sample (self, x, y, pressure);
  if (self->drawing != NULL)
    finish_stroke (self);
}

/* The samples GDK folded into a motion event (motion compression), in
 * the pad's coordinates, as gtk_gesture_stylus_get_backlog() gives them. */
static void
add_history (CkSignaturePad     *self,
             const GdkTimeCoord *coords,
             guint               n_coords,
             gboolean            surface_relative)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  double surface_x = 0, surface_y = 0;

  if (surface_relative)
    gtk_native_get_surface_transform (native, &surface_x, &surface_y);

  for (guint i = 0; i < n_coords && self->drawing; i++)
    {
      double x = coords[i].axes[GDK_AXIS_X];
      double y = coords[i].axes[GDK_AXIS_Y];
      double pressure = NAN;

      if (surface_relative)
        {
          graphene_point_t p;

          if (!gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                         &GRAPHENE_POINT_INIT (x - surface_x, y - surface_y), &p))
            continue;
          x = p.x;
          y = p.y;
        }

      if (coords[i].flags & GDK_AXIS_FLAG_PRESSURE)
        pressure = coords[i].axes[GDK_AXIS_PRESSURE];

      add_sample (self, x, y, coords[i].time, pressure);
    }
}

/* Pens ------------------------------------------------------------------- */

static double
stylus_pressure (GtkGestureStylus *stylus)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (stylus, GDK_AXIS_PRESSURE, &pressure))
    return pressure;

  return NAN;
}

static void
stylus_down (GtkGestureStylus *stylus,
             double            x,
             double            y,
             CkSignaturePad   *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (stylus));

  /* Only pens: a mouse or a finger is the drag gesture's. */
  if (self->drawing != NULL || event == NULL || gdk_event_get_device_tool (event) == NULL)
    return;

  begin_stroke (self, GTK_GESTURE (stylus), x, y, stylus_pressure (stylus));
}

static void
stylus_motion (GtkGestureStylus *stylus,
               double            x,
               double            y,
               CkSignaturePad   *self)
{
  g_autofree GdkTimeCoord *backlog = NULL;
  guint n_backlog = 0;

  if (self->drawing != GTK_GESTURE (stylus))
    return;

  if (gtk_gesture_stylus_get_backlog (stylus, &backlog, &n_backlog))
    add_history (self, backlog, n_backlog, FALSE);

  add_current_sample (self, x, y, stylus_pressure (stylus));
}

static void
stylus_up (GtkGestureStylus *stylus,
           double            x,
           double            y,
           CkSignaturePad   *self)
{
  if (self->drawing == GTK_GESTURE (stylus))
    end_stroke_at (self, x, y, stylus_pressure (stylus));
}

/* Touch and mouse ------------------------------------------------------- */

static void
drag_begin (GtkGestureDrag *drag,
            double          x,
            double          y,
            CkSignaturePad *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (drag));

  /* A pen is the stylus gesture's. */
  if (self->drawing != NULL || (event && gdk_event_get_device_tool (event) != NULL))
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_x = x;
  self->drag_y = y;
  begin_stroke (self, GTK_GESTURE (drag), x, y, NAN);
}

static void
drag_update (GtkGestureDrag *drag,
             double          offset_x,
             double          offset_y,
             CkSignaturePad *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (drag));

  if (self->drawing != GTK_GESTURE (drag))
    return;

  if (event && gdk_event_get_event_type (event) == GDK_MOTION_NOTIFY)
    {
      g_autofree GdkTimeCoord *history = NULL;
      guint n_history = 0;

      history = gdk_event_get_history (event, &n_history);
      add_history (self, history, n_history, TRUE);
    }

  add_current_sample (self, self->drag_x + offset_x, self->drag_y + offset_y, NAN);
}

static void
drag_end (GtkGestureDrag *drag,
          double          offset_x,
          double          offset_y,
          CkSignaturePad *self)
{
  if (self->drawing == GTK_GESTURE (drag))
    end_stroke_at (self, self->drag_x + offset_x, self->drag_y + offset_y, NAN);
}

/* Drops the open stroke's gesture: it draws nothing more until its
 * device is lifted and pressed again. */
static void
abandon_stroke (CkSignaturePad *self)
{
  GtkGesture *gesture = self->drawing;

  if (gesture == NULL)
    return;

  self->drawing = NULL;
  ck_signature_end_stroke (self->signature);
  gtk_event_controller_reset (GTK_EVENT_CONTROLLER (gesture));
}

/* GtkWidget -------------------------------------------------------------- */

static void
ck_signature_pad_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    {
      *minimum = 120;
      *natural = 280;
    }
}

static void
ck_signature_pad_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  fit_model (CK_SIGNATURE_PAD (widget));
}

static void
snapshot_guide (CkSignaturePad *self,
                GtkSnapshot    *snapshot,
                int             width,
                int             height)
{
  GdkRGBA color, line_color;
  double margin = MIN (width * 0.06, 32);
  double line_y = round (height * LINE_POSITION);

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);

  line_color = color;
  line_color.alpha *= 0.4;
  gtk_snapshot_append_color (snapshot, &line_color,
                             &GRAPHENE_RECT_INIT (margin, line_y, width - 2 * margin, 2));

  if (self->empty && self->drawing == NULL)
    {
      g_autoptr(PangoLayout) layout = NULL;
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
      GdkRGBA hint_color = color;
      int text_width, text_height;

      pango_attr_list_insert (attrs, pango_attr_scale_new (1.6));
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("Sign here"));
      pango_layout_set_attributes (layout, attrs);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);

      hint_color.alpha *= 0.35;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((width - text_width) / 2.0,
                                                    line_y - text_height - 12));
      gtk_snapshot_append_layout (snapshot, layout, &hint_color);
      gtk_snapshot_restore (snapshot);
    }
}

static void
ck_signature_pad_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  CkSignaturePad *self = CK_SIGNATURE_PAD (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;

  /* A new size or scale: draw everything once, at the new one. */
  if (ck_ink_set_size (self->ink, width, height, gtk_widget_get_scale_factor (widget)))
    ck_ink_replay (self->ink, self->signature, self->drawing != NULL);

  snapshot_guide (self, snapshot, width, height);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ck_ink_snapshot (self->ink, snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ck_signature_pad_undo (CK_SIGNATURE_PAD (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ck_signature_pad_clear (CK_SIGNATURE_PAD (widget));
}

/* GObject ---------------------------------------------------------------- */

static void
ck_signature_pad_dispose (GObject *object)
{
  CkSignaturePad *self = (CkSignaturePad *)object;

  self->drawing = NULL;
  g_clear_object (&self->signature);
  g_clear_pointer (&self->ink, ck_ink_free);

  G_OBJECT_CLASS (ck_signature_pad_parent_class)->dispose (object);
}

static void
ck_signature_pad_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CkSignaturePad *self = CK_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_EMPTY:
      g_value_set_boolean (value, self->empty);
      break;

    case PROP_N_STROKES:
      g_value_set_uint (value, self->n_strokes);
      break;

    case PROP_SIGNATURE:
      g_value_set_object (value, self->signature);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_signature_pad_class_init (CkSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_signature_pad_dispose;
  object_class->get_property = ck_signature_pad_get_property;

  widget_class->measure = ck_signature_pad_measure;
  widget_class->size_allocate = ck_signature_pad_size_allocate;
  widget_class->snapshot = ck_signature_pad_snapshot;

  /**
   * CkSignaturePad:empty:
   *
   * Whether nothing is signed.
   */
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkSignaturePad:n-strokes:
   *
   * How many strokes the signature has, the one being drawn included.
   */
  properties[PROP_N_STROKES] =
    g_param_spec_uint ("n-strokes", NULL, NULL,
                       0, CK_SIGNATURE_MAX_STROKES, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkSignaturePad:signature:
   *
   * The live model (see ck_signature_pad_get_signature()). Replaced by a
   * new, empty one when the pad changes size while nothing is signed.
   */
  properties[PROP_SIGNATURE] =
    g_param_spec_object ("signature", NULL, NULL,
                         CK_TYPE_SIGNATURE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkSignaturePad::changed:
   *
   * Emitted when a stroke ends, and after a clear or an undo that removed
   * something.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "signature-pad.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "signature-pad.clear", NULL, clear_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "signature-pad.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0,
                                       "signature-pad.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "signature-pad.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "signature-pad.clear", NULL);

  gtk_widget_class_set_css_name (widget_class, "signaturepad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ck_signature_pad_init (CkSignaturePad *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->signature = ck_signature_new (720, 280);
  self->ink = ck_ink_new ();
  self->empty = TRUE;
  gtk_widget_action_set_enabled (widget, "signature-pad.undo", FALSE);
  gtk_widget_action_set_enabled (widget, "signature-pad.clear", FALSE);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_cursor_from_name (widget, "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Signature pad"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Sign your full name here with a finger or the pen. "
                                    "Ctrl+Z or Backspace undoes the last stroke; Delete clears the signature."),
                                  -1);

  self->stylus = gtk_gesture_stylus_new ();
  g_signal_connect (self->stylus, "down", G_CALLBACK (stylus_down), self);
  g_signal_connect (self->stylus, "motion", G_CALLBACK (stylus_motion), self);
  g_signal_connect (self->stylus, "up", G_CALLBACK (stylus_up), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (self->stylus));

  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (self->drag));
}

/**
 * ck_signature_pad_get_signature:
 * @self: a #CkSignaturePad
 *
 * The live model: the raw samples in the pad's coordinates (0.1 px), its
 * size the pad's size when drawing began. While nothing is signed the pad
 * replaces it when its own size changes (notify::signature): fetch it
 * when needed rather than keeping it.
 *
 * Returns: (transfer none): the signature
 */
CkSignature *
ck_signature_pad_get_signature (CkSignaturePad *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), NULL);

  return self->signature;
}

/**
 * ck_signature_pad_dup_signature:
 * @self: a #CkSignaturePad
 *
 * Returns: (transfer full): a copy of the signature that later drawing
 *   does not change, e.g. for ck_flow_set_signature()
 */
CkSignature *
ck_signature_pad_dup_signature (CkSignaturePad *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CkSignature *copy;

  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), NULL);

  bytes = ck_signature_serialize (self->signature);
  copy = ck_signature_deserialize (bytes, &error);
  /* What the model wrote, it reads. */
  g_assert_no_error (error);

  return copy;
}

/**
 * ck_signature_pad_clear:
 * @self: a #CkSignaturePad
 *
 * Removes every stroke (the one being drawn too). Emits "changed" if
 * there was any.
 */
void
ck_signature_pad_clear (CkSignaturePad *self)
{
  g_return_if_fail (CK_IS_SIGNATURE_PAD (self));

  abandon_stroke (self);

  if (ck_signature_get_n_strokes (self->signature) == 0)
    return;

  ck_signature_clear (self->signature);
  ck_ink_replay (self->ink, self->signature, FALSE);
  sync_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * ck_signature_pad_undo:
 * @self: a #CkSignaturePad
 *
 * Removes the last stroke (the one being drawn, if any). Emits "changed"
 * if there was one.
 *
 * Returns: %TRUE if a stroke was removed
 */
gboolean
ck_signature_pad_undo (CkSignaturePad *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), FALSE);

  abandon_stroke (self);

  if (!ck_signature_undo_stroke (self->signature))
    return FALSE;

  ck_ink_replay (self->ink, self->signature, FALSE);
  sync_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

/**
 * ck_signature_pad_check_acceptable:
 * @self: a #CkSignaturePad
 * @error: return location for a #GError in %CK_SIGNATURE_ERROR
 *
 * Judges the signature as ck_signature_check_acceptable() does; the
 * message tells the customer what to do.
 *
 * Returns: %TRUE if the signature may be accepted
 */
gboolean
ck_signature_pad_check_acceptable (CkSignaturePad  *self,
                                   GError         **error)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), FALSE);

  return ck_signature_check_acceptable (self->signature, error);
}

gboolean
ck_signature_pad_get_empty (CkSignaturePad *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), TRUE);

  return self->empty;
}

guint
ck_signature_pad_get_n_strokes (CkSignaturePad *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE_PAD (self), 0);

  return self->n_strokes;
}
