/* ck-signature.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The customer's signature as evidence: the raw samples (position, time,
 * pressure, stroke) exactly as the touchscreen or pen delivered them, with
 * the size of the area they were captured in. Drawing is ck-stroke's job;
 * nothing here is smoothed.
 *
 * Every value is stored already quantised to what the binary format holds
 * (1/10 px, 1/65535 of full pressure), so serializing and deserializing
 * gives back the same samples, and serializing those the same bytes. The
 * format is described byte by byte in docs/signature-format.md. */

#define G_LOG_DOMAIN "ck-signature"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

#include "ck-signature.h"

struct _CkSignature
{
  GObject parent_instance;

  /* Capture area size in 1/10 px. */
  guint32 width;
  guint32 height;

  GArray *samples;  /* of CkSignatureSample */
  guint n_strokes;

  /* Between begin_stroke and end_stroke; the stroke only exists (and
   * counts) once its first sample arrived. */
  guint in_stroke : 1;
  guint stroke_has_samples : 1;
};

enum {
  PROP_0,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_N_STROKES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (ck-signature-error-quark, ck_signature_error)
G_DEFINE_FINAL_TYPE (CkSignature, ck_signature, G_TYPE_OBJECT)

#define MAX_FIXED_COORDINATE ((gint64)(CK_SIGNATURE_MAX_COORDINATE * CK_SIGNATURE_COORDINATE_SCALE))
#define MAX_FIXED_SIZE       ((guint64)(CK_SIGNATURE_MAX_SIZE * CK_SIGNATURE_COORDINATE_SCALE))

/* Format constants; see docs/signature-format.md. */
#define HEADER_SIZE        12
#define TRAILER_SIZE       4
#define MIN_BODY_SIZE      4           /* four one-byte varints */
#define MAX_SERIALIZED     CK_SIGNATURE_MAX_BYTES
#define FLAG_PRESSURE      0x01
#define MIN_SAMPLE_BYTES   3           /* x/flag, y, time: one byte each at least */
#define PRESSURE_NONE_CODE 0

/* Fixed point <-> float: the one place either direction is computed, so a
 * stored coordinate always maps back to the same integer (|v| < 2^20 px
 * keeps float error below 1/20 px). */
static inline gint64
coordinate_to_fixed (double v)
{
  return (gint64)llround (v * CK_SIGNATURE_COORDINATE_SCALE);
}

static inline float
fixed_to_coordinate (gint64 q)
{
  return (float)((double)q / CK_SIGNATURE_COORDINATE_SCALE);
}

/* 0: no pressure, 1 + round (p * 65535) otherwise. */
static inline guint32
pressure_to_code (double p)
{
  if (isnan (p))
    return PRESSURE_NONE_CODE;
  return 1 + (guint32)llround (p * CK_SIGNATURE_PRESSURE_SCALE);
}

static inline float
code_to_pressure (guint32 code)
{
  if (code == PRESSURE_NONE_CODE)
    return NAN;
  return (float)((double)(code - 1) / CK_SIGNATURE_PRESSURE_SCALE);
}

static void
ck_signature_finalize (GObject *object)
{
  CkSignature *self = (CkSignature *)object;

  g_clear_pointer (&self->samples, g_array_unref);

  G_OBJECT_CLASS (ck_signature_parent_class)->finalize (object);
}

static void
ck_signature_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CkSignature *self = CK_SIGNATURE (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      g_value_set_double (value, (double)self->width / CK_SIGNATURE_COORDINATE_SCALE);
      break;

    case PROP_HEIGHT:
      g_value_set_double (value, (double)self->height / CK_SIGNATURE_COORDINATE_SCALE);
      break;

    case PROP_N_STROKES:
      g_value_set_uint (value, self->n_strokes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_signature_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CkSignature *self = CK_SIGNATURE (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      self->width = (guint32)coordinate_to_fixed (g_value_get_double (value));
      break;

    case PROP_HEIGHT:
      self->height = (guint32)coordinate_to_fixed (g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_signature_class_init (CkSignatureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_signature_finalize;
  object_class->get_property = ck_signature_get_property;
  object_class->set_property = ck_signature_set_property;

  /**
   * CkSignature:width:
   *
   * Width of the capture area in px, in steps of 0.1 px.
   */
  properties[PROP_WIDTH] =
    g_param_spec_double ("width", NULL, NULL,
                         0.1, CK_SIGNATURE_MAX_SIZE, 100.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CkSignature:height:
   *
   * Height of the capture area in px, in steps of 0.1 px.
   */
  properties[PROP_HEIGHT] =
    g_param_spec_double ("height", NULL, NULL,
                         0.1, CK_SIGNATURE_MAX_SIZE, 100.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CkSignature:n-strokes:
   *
   * How many strokes hold samples; notified when a stroke gets its first
   * sample, on undo and on clear (for Undo and Clear buttons).
   */
  properties[PROP_N_STROKES] =
    g_param_spec_uint ("n-strokes", NULL, NULL,
                       0, CK_SIGNATURE_MAX_STROKES, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ck_signature_init (CkSignature *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (CkSignatureSample));
}

/**
 * ck_signature_acceptance_init_default:
 * @acceptance: (out caller-allocates): the rules to fill in
 *
 * The rules ck_signature_check_acceptable() applies: a dot is anything
 * within a 2 px square; a signature is too small when its bounding box is
 * both narrower than 12% of the capture width and lower than 8% of its
 * height; it has too little ink when its strokes are shorter in total than
 * 35% of the capture width (a two-character name such as 王五 written
 * 60 px high has roughly twice that on a 900 px pad).
 */
void
ck_signature_acceptance_init_default (CkSignatureAcceptance *acceptance)
{
  g_return_if_fail (acceptance != NULL);

  acceptance->dot_size = 2.0;
  acceptance->min_width_fraction = 0.12;
  acceptance->min_height_fraction = 0.08;
  acceptance->min_ink_fraction = 0.35;
}

/**
 * ck_signature_new:
 * @width: the capture area's width in px, 0.1–%CK_SIGNATURE_MAX_SIZE
 * @height: its height in px, likewise
 *
 * Creates an empty signature. The size is rounded to 0.1 px.
 *
 * Returns: (transfer full): a new #CkSignature
 */
CkSignature *
ck_signature_new (double width,
                  double height)
{
  g_return_val_if_fail (width >= 0.1 && width <= CK_SIGNATURE_MAX_SIZE, NULL);
  g_return_val_if_fail (height >= 0.1 && height <= CK_SIGNATURE_MAX_SIZE, NULL);

  return g_object_new (CK_TYPE_SIGNATURE,
                       "width", width,
                       "height", height,
                       NULL);
}

/**
 * ck_signature_get_size:
 * @self: a #CkSignature
 * @width: (out) (optional): the capture area's width in px
 * @height: (out) (optional): its height in px
 */
void
ck_signature_get_size (CkSignature *self,
                       double      *width,
                       double      *height)
{
  g_return_if_fail (CK_IS_SIGNATURE (self));

  if (width)
    *width = (double)self->width / CK_SIGNATURE_COORDINATE_SCALE;
  if (height)
    *height = (double)self->height / CK_SIGNATURE_COORDINATE_SCALE;
}

/**
 * ck_signature_begin_stroke:
 * @self: a #CkSignature
 *
 * Starts a stroke (pen or finger down). The stroke counts once its first
 * sample is added; a stroke that gets none leaves no trace. Beginning a
 * stroke while one is open ends that one.
 */
void
ck_signature_begin_stroke (CkSignature *self)
{
  g_return_if_fail (CK_IS_SIGNATURE (self));

  self->in_stroke = TRUE;
  self->stroke_has_samples = FALSE;
}

/**
 * ck_signature_end_stroke:
 * @self: a #CkSignature
 *
 * Ends the open stroke (pen or finger up), if any.
 */
void
ck_signature_end_stroke (CkSignature *self)
{
  g_return_if_fail (CK_IS_SIGNATURE (self));

  self->in_stroke = FALSE;
  self->stroke_has_samples = FALSE;
}

static gboolean
check_coordinate (double       x,
                  double       y,
                  GError     **error)
{
  if (!isfinite (x) || !isfinite (y))
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_INVALID_COORDINATE,
                           _("A signature point has a coordinate that is not a finite number; "
                             "the point was not recorded."));
      return FALSE;
    }

  if (fabs (x) > CK_SIGNATURE_MAX_COORDINATE || fabs (y) > CK_SIGNATURE_MAX_COORDINATE)
    {
      g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_OUT_OF_RANGE,
                   /* Translators: the point's x and y in pixels, then the limit. */
                   _("The signature point (%.1f, %.1f) lies too far outside the signing area "
                     "(more than %.0f pixels); the point was not recorded."),
                   x, y, CK_SIGNATURE_MAX_COORDINATE);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_pressure (double    pressure,
                GError  **error)
{
  if (isnan (pressure) || (pressure >= 0.0 && pressure <= 1.0))
    return TRUE;

  g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_INVALID_PRESSURE,
               _("The pen pressure %g is outside the range 0 to 1; the point was not recorded."),
               pressure);
  return FALSE;
}

static void
set_too_many_samples (GError **error)
{
  g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_MANY_SAMPLES,
               _("The signature has reached the limit of %u points. "
                 "Please clear it and sign again."),
               (guint)CK_SIGNATURE_MAX_SAMPLES);
}

static void
set_too_many_strokes (GError **error)
{
  g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_MANY_STROKES,
               _("The signature has reached the limit of %u strokes. "
                 "Please clear it and sign again."),
               (guint)CK_SIGNATURE_MAX_STROKES);
}

/**
 * ck_signature_add_sample:
 * @self: a #CkSignature
 * @x: horizontal position in px from the capture area's left edge
 * @y: vertical position in px from its top edge
 * @time_ms: the event time in milliseconds
 * @pressure: 0–1, or NAN when the device reports none
 * @error: return location for a #GError
 *
 * Adds a sample to the open stroke (see ck_signature_begin_stroke()).
 * Positions are rounded to 0.1 px and pressure to 1/65535; nothing is
 * clamped. Positions outside the capture area are kept as long as they
 * are within %CK_SIGNATURE_MAX_COORDINATE px of the origin.
 *
 * Returns: %TRUE if the sample was added; %FALSE with @error set (and
 *   the signature unchanged) otherwise
 */
gboolean
ck_signature_add_sample (CkSignature  *self,
                         double        x,
                         double        y,
                         guint32       time_ms,
                         double        pressure,
                         GError      **error)
{
  CkSignatureSample sample;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), FALSE);
  g_return_val_if_fail (self->in_stroke, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_coordinate (x, y, error) || !check_pressure (pressure, error))
    return FALSE;

  if (self->samples->len >= CK_SIGNATURE_MAX_SAMPLES)
    {
      set_too_many_samples (error);
      return FALSE;
    }

  if (!self->stroke_has_samples && self->n_strokes >= CK_SIGNATURE_MAX_STROKES)
    {
      set_too_many_strokes (error);
      return FALSE;
    }

  if (!self->stroke_has_samples)
    {
      self->stroke_has_samples = TRUE;
      self->n_strokes++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
    }

  sample.x = fixed_to_coordinate (coordinate_to_fixed (x));
  sample.y = fixed_to_coordinate (coordinate_to_fixed (y));
  sample.time_ms = time_ms;
  sample.pressure = code_to_pressure (pressure_to_code (pressure));
  sample.stroke = self->n_strokes - 1;
  g_array_append_val (self->samples, sample);

  return TRUE;
}

/**
 * ck_signature_undo_stroke:
 * @self: a #CkSignature
 *
 * Removes the last stroke (the open one, if it has samples) and ends any
 * open stroke.
 *
 * Returns: %TRUE if a stroke was removed, %FALSE if there was none
 */
gboolean
ck_signature_undo_stroke (CkSignature *self)
{
  guint len;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), FALSE);

  ck_signature_end_stroke (self);

  if (self->n_strokes == 0)
    return FALSE;

  self->n_strokes--;
  len = self->samples->len;
  while (len > 0 && g_array_index (self->samples, CkSignatureSample, len - 1).stroke == self->n_strokes)
    len--;
  g_array_set_size (self->samples, len);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);

  return TRUE;
}

/**
 * ck_signature_clear:
 * @self: a #CkSignature
 *
 * Removes every sample and ends any open stroke. The size stays.
 */
void
ck_signature_clear (CkSignature *self)
{
  g_return_if_fail (CK_IS_SIGNATURE (self));

  ck_signature_end_stroke (self);
  g_array_set_size (self->samples, 0);

  if (self->n_strokes != 0)
    {
      self->n_strokes = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
    }
}

/**
 * ck_signature_get_samples:
 * @self: a #CkSignature
 * @n_samples: (out) (optional): how many samples there are
 *
 * Returns: (transfer none) (array length=n_samples) (nullable): the samples
 *   in the order they were captured, strokes numbered from 0 in order;
 *   valid until @self changes
 */
const CkSignatureSample *
ck_signature_get_samples (CkSignature *self,
                          guint       *n_samples)
{
  g_return_val_if_fail (CK_IS_SIGNATURE (self), NULL);

  if (n_samples)
    *n_samples = self->samples->len;

  return self->samples->len ? (const CkSignatureSample *)(gpointer)self->samples->data : NULL;
}

guint
ck_signature_get_n_strokes (CkSignature *self)
{
  g_return_val_if_fail (CK_IS_SIGNATURE (self), 0);

  return self->n_strokes;
}

/**
 * ck_signature_get_bounds:
 * @self: a #CkSignature
 * @x0: (out) (optional): the smallest x of any sample
 * @y0: (out) (optional): the smallest y
 * @x1: (out) (optional): the largest x
 * @y1: (out) (optional): the largest y
 *
 * The bounding box of the samples (not of the drawn ink, which is wider
 * by half a line width).
 *
 * Returns: %TRUE, or %FALSE (all four set to 0) when there are no samples
 */
gboolean
ck_signature_get_bounds (CkSignature *self,
                         double      *x0,
                         double      *y0,
                         double      *x1,
                         double      *y1)
{
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), FALSE);

  for (guint i = 0; i < self->samples->len; i++)
    {
      const CkSignatureSample *s = &g_array_index (self->samples, CkSignatureSample, i);

      if (i == 0 || s->x < min_x)
        min_x = s->x;
      if (i == 0 || s->y < min_y)
        min_y = s->y;
      if (i == 0 || s->x > max_x)
        max_x = s->x;
      if (i == 0 || s->y > max_y)
        max_y = s->y;
    }

  if (x0)
    *x0 = min_x;
  if (y0)
    *y0 = min_y;
  if (x1)
    *x1 = max_x;
  if (y1)
    *y1 = max_y;

  return self->samples->len > 0;
}

/**
 * ck_signature_get_ink_length:
 * @self: a #CkSignature
 *
 * Returns: the total length in px of the polylines through the samples of
 *   each stroke
 */
double
ck_signature_get_ink_length (CkSignature *self)
{
  double length = 0;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), 0);

  for (guint i = 1; i < self->samples->len; i++)
    {
      const CkSignatureSample *a = &g_array_index (self->samples, CkSignatureSample, i - 1);
      const CkSignatureSample *b = &g_array_index (self->samples, CkSignatureSample, i);

      if (a->stroke == b->stroke)
        length += hypot ((double)b->x - a->x, (double)b->y - a->y);
    }

  return length;
}

/**
 * ck_signature_check_acceptable:
 * @self: a #CkSignature
 * @error: return location for a #GError
 *
 * Judges the signature with the default rules (see
 * ck_signature_acceptance_init_default()). The error message tells the
 * customer what to do.
 *
 * Returns: %TRUE if the signature may be accepted
 */
gboolean
ck_signature_check_acceptable (CkSignature  *self,
                               GError      **error)
{
  CkSignatureAcceptance acceptance;

  ck_signature_acceptance_init_default (&acceptance);

  return ck_signature_check_acceptable_full (self, &acceptance, error);
}

/**
 * ck_signature_check_acceptable_full:
 * @self: a #CkSignature
 * @acceptance: the rules
 * @error: return location for a #GError
 *
 * Checks, in this order: %CK_SIGNATURE_ERROR_EMPTY,
 * %CK_SIGNATURE_ERROR_SINGLE_DOT, %CK_SIGNATURE_ERROR_TOO_SMALL,
 * %CK_SIGNATURE_ERROR_TOO_LITTLE_INK.
 *
 * Returns: %TRUE if the signature may be accepted
 */
gboolean
ck_signature_check_acceptable_full (CkSignature                  *self,
                                    const CkSignatureAcceptance  *acceptance,
                                    GError                      **error)
{
  double x0, y0, x1, y1, width, height;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), FALSE);
  g_return_val_if_fail (acceptance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ck_signature_get_bounds (self, &x0, &y0, &x1, &y1))
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_EMPTY,
                           _("Please sign your full name in the box."));
      return FALSE;
    }

  ck_signature_get_size (self, &width, &height);

  if (x1 - x0 <= acceptance->dot_size && y1 - y0 <= acceptance->dot_size)
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT,
                           _("Only a dot was drawn. Please sign your full name in the box."));
      return FALSE;
    }

  if (x1 - x0 < acceptance->min_width_fraction * width &&
      y1 - y0 < acceptance->min_height_fraction * height)
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_SMALL,
                           _("The signature is too small. Please sign your full name larger, "
                             "using more of the box."));
      return FALSE;
    }

  if (ck_signature_get_ink_length (self) < acceptance->min_ink_fraction * width)
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TOO_LITTLE_INK,
                           _("The signature is too short. Please sign with your full name."));
      return FALSE;
    }

  return TRUE;
}

/* Serialization ---------------------------------------------------------- */

static inline guint64
zigzag (gint64 v)
{
  return ((guint64)v << 1) ^ (guint64)(v >> 63);
}

static inline gint64
unzigzag (guint64 u)
{
  return (gint64)(u >> 1) ^ -(gint64)(u & 1);
}

static void
put_uvarint (GByteArray *out,
             guint64     v)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      guint8 b = v & 0x7f;

      v >>= 7;
      if (v)
        b |= 0x80;
      buf[n++] = b;
    }
  while (v);

  g_byte_array_append (out, buf, n);
}

static void
put_u32le (guint8  *p,
           guint32  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static guint32
get_u32le (const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint32
compute_crc (const guint8 *data,
             gsize         len)
{
  return (guint32)crc32 (crc32 (0L, Z_NULL, 0), data, (uInt)len);
}

/**
 * ck_signature_serialize:
 * @self: a #CkSignature
 *
 * Encodes the size and every sample in the format of
 * docs/signature-format.md (version 1.0). The encoding is canonical: the
 * same signature always gives the same bytes.
 *
 * Returns: (transfer full): the encoded signature
 */
GBytes *
ck_signature_serialize (CkSignature *self)
{
  g_autoptr(GByteArray) out = NULL;
  gboolean has_pressure = FALSE;
  gint64 prev_x = 0, prev_y = 0, prev_t = 0, prev_p = 0;
  guint32 prev_stroke = G_MAXUINT32;

  g_return_val_if_fail (CK_IS_SIGNATURE (self), NULL);

  for (guint i = 0; i < self->samples->len; i++)
    if (!isnan (g_array_index (self->samples, CkSignatureSample, i).pressure))
      has_pressure = TRUE;

  out = g_byte_array_sized_new (HEADER_SIZE + 16 + self->samples->len * 5 + TRAILER_SIZE);
  g_byte_array_set_size (out, HEADER_SIZE);
  memcpy (out->data, CK_SIGNATURE_FORMAT_MAGIC, 4);
  out->data[4] = CK_SIGNATURE_FORMAT_MAJOR_VERSION;
  out->data[5] = CK_SIGNATURE_FORMAT_MINOR_VERSION;
  out->data[6] = has_pressure ? FLAG_PRESSURE : 0;
  out->data[7] = 0;
  /* Bytes 8–11, the total length, are filled in at the end. */

  put_uvarint (out, self->width);
  put_uvarint (out, self->height);
  put_uvarint (out, self->samples->len);
  put_uvarint (out, self->n_strokes);

  for (guint i = 0; i < self->samples->len; i++)
    {
      const CkSignatureSample *s = &g_array_index (self->samples, CkSignatureSample, i);
      gint64 x = coordinate_to_fixed (s->x);
      gint64 y = coordinate_to_fixed (s->y);
      gint64 p = pressure_to_code (s->pressure);
      guint64 starts_stroke = s->stroke != prev_stroke;

      put_uvarint (out, (zigzag (x - prev_x) << 1) | starts_stroke);
      put_uvarint (out, zigzag (y - prev_y));
      put_uvarint (out, zigzag ((gint64)s->time_ms - prev_t));
      if (has_pressure)
        put_uvarint (out, zigzag (p - prev_p));

      prev_x = x;
      prev_y = y;
      prev_t = s->time_ms;
      prev_p = p;
      prev_stroke = s->stroke;
    }

  g_byte_array_set_size (out, out->len + TRAILER_SIZE);
  put_u32le (out->data + 8, out->len);
  put_u32le (out->data + out->len - TRAILER_SIZE,
             compute_crc (out->data, out->len - TRAILER_SIZE));

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Reader;

/* LEB128, at most 10 bytes, canonical (no superfluous zero groups). */
static gboolean
read_uvarint (Reader  *r,
              guint64 *value)
{
  guint64 result = 0;

  for (guint shift = 0; shift <= 63; shift += 7)
    {
      guint8 b;

      if (r->p == r->end)
        return FALSE;

      b = *r->p++;
      if (shift == 63 && b > 1)
        return FALSE;

      result |= (guint64)(b & 0x7f) << shift;

      if (!(b & 0x80))
        {
          if (b == 0 && shift > 0)
            return FALSE;
          *value = result;
          return TRUE;
        }
    }

  return FALSE;
}

static void
set_malformed (GError     **error,
               const char  *detail)
{
  g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_MALFORMED,
               /* Translators: %s is one of the reasons below, such as "a number is badly encoded". */
               _("The stored signature is malformed: %s."), detail);
}

static void
set_truncated (GError **error,
               gsize    len)
{
  g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_TRUNCATED,
               /* Translators: %lu is how many bytes there are. */
               _("The stored signature is incomplete: it ends after %lu bytes."),
               (gulong)len);
}

static gboolean
read_number (Reader   *r,
             guint64  *value,
             GError  **error)
{
  if (read_uvarint (r, value))
    return TRUE;

  set_malformed (error, _("a number is badly encoded"));
  return FALSE;
}

/* Adds a zigzag-encoded delta to *@acc unless its magnitude exceeds
 * @limit (which keeps every sum far from overflow). */
static gboolean
add_delta (guint64  encoded,
           gint64   limit,
           gint64  *acc)
{
  gint64 delta = unzigzag (encoded);

  if (delta > limit || delta < -limit)
    return FALSE;

  *acc += delta;
  return TRUE;
}

static inline gboolean
fixed_coordinate_in_range (gint64 v)
{
  return v >= -MAX_FIXED_COORDINATE && v <= MAX_FIXED_COORDINATE;
}

static gboolean
read_samples (CkSignature   *self,
              Reader        *r,
              guint          n_samples,
              guint          n_strokes,
              gboolean       has_pressure,
              GError       **error)
{
  gint64 x = 0, y = 0, t = 0, p = 0;
  gboolean any_pressure = FALSE;
  guint strokes_seen = 0;

  for (guint i = 0; i < n_samples; i++)
    {
      CkSignatureSample sample;
      guint64 head, dy, dt, dp = 0;

      if (!read_number (r, &head, error) ||
          !read_number (r, &dy, error) ||
          !read_number (r, &dt, error) ||
          (has_pressure && !read_number (r, &dp, error)))
        return FALSE;

      if (head & 1)
        {
          if (strokes_seen == n_strokes)
            {
              set_malformed (error, _("it has more strokes than its header says"));
              return FALSE;
            }
          strokes_seen++;
        }
      else if (i == 0)
        {
          set_malformed (error, _("the first point does not start a stroke"));
          return FALSE;
        }

      if (!add_delta (head >> 1, 2 * MAX_FIXED_COORDINATE, &x) ||
          !add_delta (dy, 2 * MAX_FIXED_COORDINATE, &y) ||
          !fixed_coordinate_in_range (x) || !fixed_coordinate_in_range (y))
        {
          g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_OUT_OF_RANGE,
                       _("The stored signature has a point further than %.0f pixels from "
                         "the signing area."),
                       CK_SIGNATURE_MAX_COORDINATE);
          return FALSE;
        }

      if (!add_delta (dt, G_MAXUINT32, &t) || t < 0 || t > G_MAXUINT32)
        {
          set_malformed (error, _("a point's time is out of range"));
          return FALSE;
        }

      if (!add_delta (dp, CK_SIGNATURE_PRESSURE_SCALE + 1, &p) ||
          p < 0 || p > CK_SIGNATURE_PRESSURE_SCALE + 1)
        {
          g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_INVALID_PRESSURE,
                               _("The stored signature has a pen pressure outside the "
                                 "range 0 to 1."));
          return FALSE;
        }
      any_pressure |= p != PRESSURE_NONE_CODE;

      sample.x = fixed_to_coordinate (x);
      sample.y = fixed_to_coordinate (y);
      sample.time_ms = (guint32)t;
      sample.pressure = code_to_pressure ((guint32)p);
      sample.stroke = strokes_seen - 1;
      g_array_append_val (self->samples, sample);
    }

  if (strokes_seen != n_strokes)
    {
      set_malformed (error, _("it has fewer strokes than its header says"));
      return FALSE;
    }

  if (has_pressure && !any_pressure)
    {
      set_malformed (error, _("the pressure flag is set but no point has a pressure"));
      return FALSE;
    }

  self->n_strokes = n_strokes;

  return TRUE;
}

/**
 * ck_signature_deserialize:
 * @bytes: data written by ck_signature_serialize()
 * @error: return location for a #GError
 *
 * Decodes a signature. Every problem has its own error: not a signature,
 * an unknown major version, truncated, damaged (checksum), or malformed.
 * Limits are checked before anything is allocated for the samples.
 * Readers of major version 1 accept any minor version and skip what a
 * later minor version added after the samples.
 *
 * Returns: (transfer full): the signature, or %NULL with @error set
 */
CkSignature *
ck_signature_deserialize (GBytes  *bytes,
                          GError **error)
{
  g_autoptr(CkSignature) self = NULL;
  const guint8 *data;
  gsize len;
  guint32 declared;
  guint8 minor, flags;
  guint64 width, height, n_samples, n_strokes;
  Reader r;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      set_truncated (error, len);
      return NULL;
    }

  if (memcmp (data, CK_SIGNATURE_FORMAT_MAGIC, MIN (len, 4)) != 0)
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_NOT_SIGNATURE,
                           _("The data is not a stored signature."));
      return NULL;
    }

  if (len < 5)
    {
      set_truncated (error, len);
      return NULL;
    }

  if (data[4] != CK_SIGNATURE_FORMAT_MAJOR_VERSION)
    {
      g_set_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_UNSUPPORTED_VERSION,
                   _("The stored signature uses format version %u, which this version of "
                     "Consent Kiosk cannot read."),
                   (guint)data[4]);
      return NULL;
    }

  if (len < HEADER_SIZE)
    {
      set_truncated (error, len);
      return NULL;
    }

  declared = get_u32le (data + 8);
  if (declared < HEADER_SIZE + MIN_BODY_SIZE + TRAILER_SIZE || declared > MAX_SERIALIZED)
    {
      set_malformed (error, _("its length field is impossible"));
      return NULL;
    }

  if (len < declared)
    {
      set_truncated (error, len);
      return NULL;
    }

  if (len > declared)
    {
      set_malformed (error, _("there is data after its end"));
      return NULL;
    }

  if (compute_crc (data, len - TRAILER_SIZE) != get_u32le (data + len - TRAILER_SIZE))
    {
      g_set_error_literal (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_CHECKSUM,
                           _("The stored signature is damaged: its checksum does not match "
                             "its contents."));
      return NULL;
    }

  minor = data[5];
  flags = data[6];
  if ((flags & ~FLAG_PRESSURE) != 0 || data[7] != 0)
    {
      set_malformed (error, _("reserved header bits are set"));
      return NULL;
    }

  r.p = data + HEADER_SIZE;
  r.end = data + len - TRAILER_SIZE;

  if (!read_number (&r, &width, error) ||
      !read_number (&r, &height, error) ||
      !read_number (&r, &n_samples, error) ||
      !read_number (&r, &n_strokes, error))
    return NULL;

  if (width < 1 || width > MAX_FIXED_SIZE || height < 1 || height > MAX_FIXED_SIZE)
    {
      set_malformed (error, _("the size of the signing area is invalid"));
      return NULL;
    }

  if (n_samples > CK_SIGNATURE_MAX_SAMPLES)
    {
      set_too_many_samples (error);
      return NULL;
    }

  if (n_strokes > CK_SIGNATURE_MAX_STROKES)
    {
      set_too_many_strokes (error);
      return NULL;
    }

  if (n_strokes > n_samples || (n_samples > 0 && n_strokes == 0) ||
      n_samples > (guint64)(r.end - r.p) / (MIN_SAMPLE_BYTES + !!(flags & FLAG_PRESSURE)))
    {
      set_malformed (error, _("its point and stroke counts do not fit its data"));
      return NULL;
    }

  self = g_object_new (CK_TYPE_SIGNATURE,
                       "width", (double)width / CK_SIGNATURE_COORDINATE_SCALE,
                       "height", (double)height / CK_SIGNATURE_COORDINATE_SCALE,
                       NULL);
  g_assert (self->width == width && self->height == height);
  g_clear_pointer (&self->samples, g_array_unref);
  self->samples = g_array_sized_new (FALSE, FALSE, sizeof (CkSignatureSample), (guint)n_samples);

  if (!read_samples (self, &r, (guint)n_samples, (guint)n_strokes,
                     (flags & FLAG_PRESSURE) != 0, error))
    return NULL;

  if (minor == 0 && r.p != r.end)
    {
      set_malformed (error, _("there is data after the last point"));
      return NULL;
    }

  return g_steal_pointer (&self);
}
