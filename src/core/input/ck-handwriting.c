/* ck-handwriting.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One handwritten character → candidate characters, with zinnia and the
 * tegaki zh_CN model (Debian: tegaki-zinnia-simplified-chinese; GB2312's
 * 6,763 characters). The model is mmap()ed read-only; classifying takes
 * 5–20 ms, so the caller's (main) thread is fine. Not thread-safe: zinnia
 * keeps its error text in the recognizer.
 *
 * zinnia must never see raw touch input. Its feature extraction splits a
 * stroke recursively at the point farthest from the chord and keeps the
 * pieces in a vector indexed like a binary heap: a long, shaky stroke
 * (1,000 samples with ±2 % jitter) makes it allocate gigabytes and abort
 * with std::bad_alloc (measured in proto-ime). The split depth, and so
 * the vector's size exponent, is bounded by the number of points, so
 * every stroke is first reduced to at most MAX_POINTS points (thinning,
 * then Douglas–Peucker with a tolerance that grows until it fits). The
 * prototype's cap of 24 still let a 24-point spiral cost 66 MB and 300 ms;
 * at 16 no stroke shape measured costs more than 15 ms or any memory
 * worth counting, and the fixtures' candidates did not change. */

#define G_LOG_DOMAIN "ck-handwriting"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <zinnia.h>

#include "ck-handwriting.h"
#include "ck-handwriting-private.h"
#include "ck-name.h"

struct _CkHandwriting
{
  GObject parent_instance;

  zinnia_recognizer_t *recognizer;
  zinnia_character_t *character;
  /* ck_handwriting_set_supplement () */
  zinnia_recognizer_t *supplement;
  float supplement_min_score;
};

G_DEFINE_QUARK (ck-handwriting-error-quark, ck_handwriting_error)
G_DEFINE_FINAL_TYPE (CkHandwriting, ck_handwriting, G_TYPE_OBJECT)

/* Strokes are scaled into a square of CANVAS units (zinnia takes ints and
 * normalises x and y separately: the square keeps the proportions). */
#define CANVAS 1000
/* The share of the canvas left empty each side (see fill_character()). */
#define MARGIN 0.2
/* Thinning: a point closer than this to the last one kept is dropped. */
#define MIN_STEP 2
/* At most this many points reach Douglas–Peucker. */
#define MAX_THINNED 1024
/* Douglas–Peucker: 0.5 % of the canvas to start with, and the cap
 * (zinnia allocates in proportion to 2^MAX_POINTS at worst). */
#define TOLERANCE 5.0
#define MAX_POINTS 16

typedef struct
{
  int x;
  int y;
} Point;

static void
ck_handwriting_finalize (GObject *object)
{
  CkHandwriting *self = (CkHandwriting *)object;

  g_clear_pointer (&self->character, zinnia_character_destroy);
  g_clear_pointer (&self->recognizer, zinnia_recognizer_destroy);
  g_clear_pointer (&self->supplement, zinnia_recognizer_destroy);

  G_OBJECT_CLASS (ck_handwriting_parent_class)->finalize (object);
}

static void
ck_handwriting_class_init (CkHandwritingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_handwriting_finalize;
}

static void
ck_handwriting_init (CkHandwriting *self)
{
}

/**
 * ck_handwriting_get_default_model:
 *
 * Returns: where Debian's tegaki-zinnia-simplified-chinese puts its model
 *   (the build option handwriting_model)
 */
const char *
ck_handwriting_get_default_model (void)
{
  return CK_HANDWRITING_MODEL;
}

/**
 * ck_handwriting_get_default_supplement:
 *
 * Returns: the surname supplement built from data/handwriting/ and
 *   installed with the kiosk, or the file CK_HANDWRITING_SUPPLEMENT names
 *   (the tests and scripts/run-kiosk, which use the build's)
 */
const char *
ck_handwriting_get_default_supplement (void)
{
  const char *path = g_getenv ("CK_HANDWRITING_SUPPLEMENT");

  return path && *path ? path : PACKAGE_DATADIR "/handwriting-surnames.model";
}

/**
 * ck_handwriting_new:
 * @model_path: (nullable): a zinnia model, or %NULL for
 *   ck_handwriting_get_default_model()
 * @error: return location for a #GError in %CK_HANDWRITING_ERROR
 *
 * Opens the model (an mmap(), 5–30 ms).
 *
 * Returns: (transfer full) (nullable): a recognizer, or %NULL with
 *   %CK_HANDWRITING_ERROR_NO_MODEL when the model cannot be used
 */
CkHandwriting *
ck_handwriting_new (const char  *model_path,
                    GError     **error)
{
  g_autoptr(CkHandwriting) self = NULL;
  GStatBuf st;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (model_path == NULL)
    model_path = ck_handwriting_get_default_model ();

  /* zinnia's own messages name its source lines; say it in words. */
  if (g_stat (model_path, &st) != 0 || g_access (model_path, R_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL,
                   /* Translators: the first %s is a file name, the second
                    * the system's reason, e.g. "No such file or directory". */
                   _("Handwriting recognition is not available: the model %s cannot be read (%s). "
                     "Install the package tegaki-zinnia-simplified-chinese."),
                   model_path, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (CK_TYPE_HANDWRITING, NULL);
  self->recognizer = zinnia_recognizer_new ();
  self->character = zinnia_character_new ();

  if (!S_ISREG (st.st_mode) || !zinnia_recognizer_open (self->recognizer, model_path))
    {
      if (S_ISREG (st.st_mode))
        g_debug ("zinnia: %s", zinnia_recognizer_strerror (self->recognizer));
      g_set_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL,
                   _("Handwriting recognition is not available: %s is not a handwriting model "
                     "or is damaged. Install the package tegaki-zinnia-simplified-chinese."),
                   model_path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Whether zinnia's answer may go into a name: one Han character. */
static gboolean
is_name_character (const char *value)
{
  if (value == NULL || !g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) != 1)
    return FALSE;

  return ck_name_is_han (g_utf8_get_char (value));
}

/**
 * ck_handwriting_set_supplement:
 * @self: a #CkHandwriting
 * @model_path: a zinnia model of a few characters (the commonest
 *   surnames, data/handwriting), or %NULL for none
 * @min_score: how sure the supplement must be (its score for its first
 *   candidate) to be heard
 * @error: return location for a #GError in %CK_HANDWRITING_ERROR
 *
 * A second opinion for the characters a name starts with: Debian's model
 * expects some of them (张 among them) in an order schools do not teach.
 * The supplement's first candidate, when it is at least @min_score, comes
 * second among the candidates (first if the main model put it first), and
 * the main model's order follows; see docs/NAME-INPUT.md for what that
 * gives and costs.
 *
 * Returns: %FALSE with %CK_HANDWRITING_ERROR_NO_MODEL when the model
 *   cannot be used
 */
gboolean
ck_handwriting_set_supplement (CkHandwriting  *self,
                               const char     *model_path,
                               double          min_score,
                               GError        **error)
{
  g_return_val_if_fail (CK_IS_HANDWRITING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_pointer (&self->supplement, zinnia_recognizer_destroy);
  if (model_path == NULL)
    return TRUE;

  self->supplement = zinnia_recognizer_new ();
  self->supplement_min_score = (float)min_score;
  if (!g_file_test (model_path, G_FILE_TEST_IS_REGULAR) ||
      !zinnia_recognizer_open (self->supplement, model_path))
    {
      g_clear_pointer (&self->supplement, zinnia_recognizer_destroy);
      g_set_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL,
                   _("The surname handwriting model %s is missing or damaged: "
                     "handwriting works without it, less well for some surnames."),
                   model_path);
      return FALSE;
    }

  return TRUE;
}

/* The supplement's first candidate, if it is sure enough; else NULL. */
static char *
supplement_first (CkHandwriting *self)
{
  zinnia_result_t *result;
  char *first = NULL;

  if (self->supplement == NULL)
    return NULL;

  result = zinnia_recognizer_classify (self->supplement, self->character, 1);
  if (result == NULL)
    return NULL;
  if (zinnia_result_size (result) > 0 && zinnia_result_score (result, 0) >= self->supplement_min_score &&
      is_name_character (zinnia_result_value (result, 0)))
    first = g_strdup (zinnia_result_value (result, 0));
  zinnia_result_destroy (result);

  return first;
}

/* Douglas–Peucker without recursion: marks in @keep the points of
 * @points[0..n-1] that stay with tolerance @tolerance. */
static void
mark_douglas_peucker (const Point *points,
                      guint        n,
                      double       tolerance,
                      gboolean    *keep,
                      guint       *stack)
{
  double tolerance2 = tolerance * tolerance;
  guint top = 0;

  keep[0] = keep[n - 1] = TRUE;
  stack[top++] = 0;
  stack[top++] = n - 1;

  while (top > 0)
    {
      guint b = stack[--top];
      guint a = stack[--top];
      double dx = points[b].x - points[a].x;
      double dy = points[b].y - points[a].y;
      double length2 = dx * dx + dy * dy;
      double best = -1;
      guint best_index = 0;

      for (guint i = a + 1; i < b; i++)
        {
          double px = points[i].x - points[a].x;
          double py = points[i].y - points[a].y;
          double d2;

          if (length2 == 0)
            d2 = px * px + py * py;
          else
            {
              double cross = dx * py - dy * px;

              d2 = cross * cross / length2;
            }

          if (d2 > best)
            {
              best = d2;
              best_index = i;
            }
        }

      if (best <= tolerance2)
        continue;

      keep[best_index] = TRUE;
      /* Each pair splits a range in two smaller ones: the stack holds at
       * most n pairs. */
      stack[top++] = a;
      stack[top++] = best_index;
      stack[top++] = best_index;
      stack[top++] = b;
    }
}

/* Reduces @points (in place) to at most MAX_POINTS, keeping both ends;
 * returns how many are left. */
static guint
simplify_stroke (Point *points,
                 guint  n)
{
  g_autofree gboolean *keep = NULL;
  g_autofree guint *stack = NULL;
  double tolerance = TOLERANCE;
  guint kept = 0;

  /* Thinning: samples a motion event repeats or barely moved. */
  for (guint i = 1; i < n; i++)
    {
      if (abs (points[i].x - points[kept].x) < MIN_STEP &&
          abs (points[i].y - points[kept].y) < MIN_STEP &&
          i + 1 < n)
        continue;
      points[++kept] = points[i];
    }
  n = kept + 1;

  /* A stroke that wanders a long way: every k-th point and the last. */
  if (n > MAX_THINNED)
    {
      guint step = (n + MAX_THINNED - 2) / (MAX_THINNED - 1);
      guint m = 0;

      for (guint i = 0; i < n - 1; i += step)
        points[m++] = points[i];
      points[m++] = points[n - 1];
      n = m;
    }

  if (n <= MAX_POINTS)
    return n;

  keep = g_new (gboolean, n);
  stack = g_new (guint, 4 * n);
  for (;;)
    {
      memset (keep, 0, n * sizeof (gboolean));
      mark_douglas_peucker (points, n, tolerance, keep, stack);

      kept = 0;
      for (guint i = 0; i < n; i++)
        kept += keep[i];
      if (kept <= MAX_POINTS)
        break;
      tolerance *= 1.5;
    }

  kept = 0;
  for (guint i = 0; i < n; i++)
    if (keep[i])
      points[kept++] = points[i];

  return kept;
}

/* Fills @character from @strokes, simplified, as the recognizer and the
 * trainer (ck-handwriting-trainer.c) see them; returns the number of
 * strokes. The strokes' bounding box, not the pad, is scaled
 * (proportions kept, centred) into the canvas less a MARGIN each side:
 * zinnia does not normalise position or size, and the tegaki model knows
 * characters of that size in the middle of the box, whereas customers
 * write large, small or off centre. Measured with bench-handwriting (the
 * 100 commonest surnames, docs/NAME-INPUT.md): top-5 as drawn 87 % → 90 %,
 * with varied writing 85 % → 87 %. */
guint
ck_handwriting_fill_zinnia (zinnia_character_t *character,
                            CkSignature        *strokes)
{
  const CkSignatureSample *samples;
  g_autofree Point *points = NULL;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double width, height, side, offset_x, offset_y, scale;
  guint n_samples, n_strokes = 0;

  samples = ck_signature_get_samples (strokes, &n_samples);
  for (guint i = 0; i < n_samples; i++)
    {
      min_x = MIN (min_x, samples[i].x);
      max_x = MAX (max_x, samples[i].x);
      min_y = MIN (min_y, samples[i].y);
      max_y = MAX (max_y, samples[i].y);
    }
  /* A dot or a tiny scribble is not blown up to fill the box: at most
   * 10 times, i.e. as if it spanned a tenth of the pad. */
  ck_signature_get_size (strokes, &width, &height);
  side = MAX (MAX (max_x - min_x, max_y - min_y), MAX (MAX (width, height) / 10, 1.0));
  scale = CANVAS * (1 - 2 * MARGIN) / side;
  offset_x = CANVAS / 2.0 - (min_x + max_x) / 2 * scale;
  offset_y = CANVAS / 2.0 - (min_y + max_y) / 2 * scale;

  points = g_new (Point, MAX (n_samples, 1));

  zinnia_character_clear (character);
  zinnia_character_set_width (character, CANVAS);
  zinnia_character_set_height (character, CANVAS);

  for (guint first = 0; first < n_samples;)
    {
      guint end = first, n;

      while (end < n_samples && samples[end].stroke == samples[first].stroke)
        {
          double x = samples[end].x * scale + offset_x;
          double y = samples[end].y * scale + offset_y;

          points[end - first].x = (int)CLAMP (lround (x), 0, CANVAS - 1);
          points[end - first].y = (int)CLAMP (lround (y), 0, CANVAS - 1);
          end++;
        }

      n = simplify_stroke (points, end - first);
      /* Stroke ids must be consecutive from 0, or classify gives NULL. */
      for (guint i = 0; i < n; i++)
        zinnia_character_add (character, n_strokes, points[i].x, points[i].y);
      n_strokes++;
      first = end;
    }

  return n_strokes;
}


/**
 * ck_handwriting_recognize:
 * @self: a #CkHandwriting
 * @strokes: one character's strokes, in writing order (where and how
 *   large in the capture area does not matter: they are centred and
 *   scaled to the model's size)
 * @max: how many candidates at most, > 0
 * @error: return location for a #GError in %CK_HANDWRITING_ERROR
 *
 * Recognises one character. The stroke order matters: the model expects
 * 张 and 长 as 横, 竖提, 撇, 捺 for 长, not the school order.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): up to
 *   @max single Han characters, best first; %NULL with
 *   %CK_HANDWRITING_ERROR_EMPTY when there are no strokes
 */
char **
ck_handwriting_recognize (CkHandwriting  *self,
                          CkSignature    *strokes,
                          guint           max,
                          GError        **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *second = NULL;
  gboolean second_placed = FALSE;
  zinnia_result_t *result;
  guint n_strokes, n_found = 0;

  g_return_val_if_fail (CK_IS_HANDWRITING (self), NULL);
  g_return_val_if_fail (CK_IS_SIGNATURE (strokes), NULL);
  g_return_val_if_fail (max > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_strokes = ck_signature_get_n_strokes (strokes);
  if (n_strokes == 0)
    {
      g_set_error_literal (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_EMPTY,
                           _("Write a character in the box."));
      return NULL;
    }

  if (n_strokes > CK_HANDWRITING_MAX_STROKES)
    {
      g_set_error_literal (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_TOO_MANY_STROKES,
                           _("That is too many strokes for one character. "
                             "Clear the box and write one character."));
      return NULL;
    }

  ck_handwriting_fill_zinnia (self->character, strokes);

  /* A few more than asked for, in case some are filtered out. */
  result = zinnia_recognizer_classify (self->recognizer, self->character, max + 8);
  if (result == NULL)
    {
      g_set_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_FAILED,
                   _("The handwriting could not be recognised: %s"),
                   zinnia_recognizer_strerror (self->recognizer));
      return NULL;
    }

  /* The main model's first, the supplement's (if sure), then the rest
   * of the main model's, each once. */
  second = supplement_first (self);
  builder = g_strv_builder_new ();
  for (gsize i = 0; i < zinnia_result_size (result) && n_found < max; i++)
    {
      const char *value = zinnia_result_value (result, i);

      if (!is_name_character (value))
        continue;
      if (g_strcmp0 (value, second) == 0)
        {
          if (second_placed)
            continue;
          second_placed = TRUE;
        }
      g_strv_builder_add (builder, value);
      n_found++;
      if (n_found == 1 && second && !second_placed && n_found < max)
        {
          g_strv_builder_add (builder, second);
          second_placed = TRUE;
          n_found++;
        }
    }
  if (second && !second_placed)
    g_strv_builder_add (builder, second);
  zinnia_result_destroy (result);

  return g_strv_builder_end (builder);
}
