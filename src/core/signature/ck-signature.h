/* ck-signature.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_SIGNATURE_ERROR (ck_signature_error_quark ())
#define CK_TYPE_SIGNATURE (ck_signature_get_type ())

/**
 * CkSignatureError:
 * @CK_SIGNATURE_ERROR_INVALID_COORDINATE: a coordinate is NaN or infinite
 * @CK_SIGNATURE_ERROR_OUT_OF_RANGE: a coordinate is further than
 *   %CK_SIGNATURE_MAX_COORDINATE pixels from the origin
 * @CK_SIGNATURE_ERROR_INVALID_PRESSURE: a pressure that is neither NaN
 *   ("none") nor within 0–1
 * @CK_SIGNATURE_ERROR_TOO_MANY_SAMPLES: more than %CK_SIGNATURE_MAX_SAMPLES
 * @CK_SIGNATURE_ERROR_TOO_MANY_STROKES: more than %CK_SIGNATURE_MAX_STROKES
 * @CK_SIGNATURE_ERROR_EMPTY: nothing was signed
 * @CK_SIGNATURE_ERROR_SINGLE_DOT: every sample lies within a tiny square
 * @CK_SIGNATURE_ERROR_TOO_SMALL: the signature fits in a small corner of
 *   the capture area
 * @CK_SIGNATURE_ERROR_TOO_LITTLE_INK: the strokes are too short in total
 * @CK_SIGNATURE_ERROR_NOT_SIGNATURE: serialized data without the magic
 * @CK_SIGNATURE_ERROR_UNSUPPORTED_VERSION: an unknown major format version
 * @CK_SIGNATURE_ERROR_TRUNCATED: serialized data that ends too early
 * @CK_SIGNATURE_ERROR_CHECKSUM: serialized data whose CRC-32 is wrong
 * @CK_SIGNATURE_ERROR_MALFORMED: serialized data with a right checksum but
 *   contents no writer produces (bad sizes, counts, encodings)
 */
typedef enum
{
  CK_SIGNATURE_ERROR_INVALID_COORDINATE,
  CK_SIGNATURE_ERROR_OUT_OF_RANGE,
  CK_SIGNATURE_ERROR_INVALID_PRESSURE,
  CK_SIGNATURE_ERROR_TOO_MANY_SAMPLES,
  CK_SIGNATURE_ERROR_TOO_MANY_STROKES,
  CK_SIGNATURE_ERROR_EMPTY,
  CK_SIGNATURE_ERROR_SINGLE_DOT,
  CK_SIGNATURE_ERROR_TOO_SMALL,
  CK_SIGNATURE_ERROR_TOO_LITTLE_INK,
  CK_SIGNATURE_ERROR_NOT_SIGNATURE,
  CK_SIGNATURE_ERROR_UNSUPPORTED_VERSION,
  CK_SIGNATURE_ERROR_TRUNCATED,
  CK_SIGNATURE_ERROR_CHECKSUM,
  CK_SIGNATURE_ERROR_MALFORMED,
} CkSignatureError;

/* Hard limits, also enforced on deserialization before any allocation. */
#define CK_SIGNATURE_MAX_SAMPLES    200000
#define CK_SIGNATURE_MAX_STROKES    10000
#define CK_SIGNATURE_MAX_SIZE       100000.0   /* capture width/height, px */
#define CK_SIGNATURE_MAX_COORDINATE 200000.0   /* |x|, |y|, px */
#define CK_SIGNATURE_MAX_BYTES      (16 * 1024 * 1024)   /* serialized */

/* Coordinates and sizes are kept in steps of 1/10 px, pressure in steps of
 * 1/65535: every stored value is exactly what the format can hold. */
#define CK_SIGNATURE_COORDINATE_SCALE 10
#define CK_SIGNATURE_PRESSURE_SCALE   65535

#define CK_SIGNATURE_FORMAT_MAGIC         "CKSG"
#define CK_SIGNATURE_FORMAT_MAJOR_VERSION 1
#define CK_SIGNATURE_FORMAT_MINOR_VERSION 0

/**
 * CkSignatureSample:
 * @x: horizontal position in px from the capture area's left edge, a
 *   multiple of 0.1 (as near as a float gets); may lie outside the area
 * @y: vertical position in px from the top edge, likewise
 * @time_ms: the event time in milliseconds, as the toolkit gave it
 * @pressure: 0–1 in steps of 1/65535, or NAN when the device has none
 * @stroke: the index of the stroke, from 0
 *
 * One raw sample, kept as captured: the evidence.
 */
typedef struct
{
  float x;
  float y;
  guint32 time_ms;
  float pressure;
  guint32 stroke;
} CkSignatureSample;

/**
 * CkSignatureAcceptance:
 * @dot_size: a signature whose samples all fit in a square this many px
 *   wide is a single dot
 * @min_width_fraction: with @min_height_fraction: a signature whose
 *   bounding box is narrower than this fraction of the capture width AND
 *   lower than that fraction of its height is too small
 * @min_height_fraction: see @min_width_fraction
 * @min_ink_fraction: a signature whose strokes are shorter in total than
 *   this fraction of the capture width has too little ink
 */
typedef struct
{
  double dot_size;
  double min_width_fraction;
  double min_height_fraction;
  double min_ink_fraction;
} CkSignatureAcceptance;

G_DECLARE_FINAL_TYPE (CkSignature, ck_signature, CK, SIGNATURE, GObject)

GQuark                   ck_signature_error_quark              (void);

void                     ck_signature_acceptance_init_default  (CkSignatureAcceptance       *acceptance);

CkSignature             *ck_signature_new                      (double                       width,
                                                                double                       height);
void                     ck_signature_get_size                 (CkSignature                 *self,
                                                                double                      *width,
                                                                double                      *height);
void                     ck_signature_begin_stroke             (CkSignature                 *self);
gboolean                 ck_signature_add_sample               (CkSignature                 *self,
                                                                double                       x,
                                                                double                       y,
                                                                guint32                      time_ms,
                                                                double                       pressure,
                                                                GError                     **error);
void                     ck_signature_end_stroke               (CkSignature                 *self);
gboolean                 ck_signature_undo_stroke              (CkSignature                 *self);
void                     ck_signature_clear                    (CkSignature                 *self);
const CkSignatureSample *ck_signature_get_samples              (CkSignature                 *self,
                                                                guint                       *n_samples);
guint                    ck_signature_get_n_strokes            (CkSignature                 *self);
gboolean                 ck_signature_get_bounds               (CkSignature                 *self,
                                                                double                      *x0,
                                                                double                      *y0,
                                                                double                      *x1,
                                                                double                      *y1);
double                   ck_signature_get_ink_length           (CkSignature                 *self);
gboolean                 ck_signature_check_acceptable         (CkSignature                 *self,
                                                                GError                     **error);
gboolean                 ck_signature_check_acceptable_full    (CkSignature                 *self,
                                                                const CkSignatureAcceptance *acceptance,
                                                                GError                     **error);
GBytes                  *ck_signature_serialize                (CkSignature                 *self);
CkSignature             *ck_signature_deserialize              (GBytes                      *bytes,
                                                                GError                     **error);

G_END_DECLS
