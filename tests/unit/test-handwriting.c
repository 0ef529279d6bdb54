/* test-handwriting.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ck.h"
#include "ck-test-hanzi.h"
#include "ck-test-util.h"

#if defined (__SANITIZE_ADDRESS__)
# define WITH_ASAN 1
#elif defined (__has_feature)
# if __has_feature (address_sanitizer)
#  define WITH_ASAN 1
# endif
#endif
#ifndef WITH_ASAN
# define WITH_ASAN 0
#endif

/* One recognizer for the whole run, as the kiosk has. */
static CkHandwriting *recognizer;

/* The fixture @name as a pad of @size px would capture it: scaled, with a
 * sample every @step px along the pen's path (0: the key points only). */
static CkSignature *
load_signature (const char  *name,
                double       size,
                double       step,
                char       **intended)
{
  g_autoptr(GPtrArray) strokes = ck_test_load_strokes (name, intended);
  CkSignature *signature = ck_signature_new (size, size);
  double scale = size / 1000;
  guint32 time_ms = 0;

  for (guint k = 0; k < strokes->len; k++)
    {
      GArray *points = strokes->pdata[k];

      ck_signature_begin_stroke (signature);
      for (guint i = 0; i < points->len; i++)
        {
          CkTestPoint *p = &g_array_index (points, CkTestPoint, i);
          guint n = 1;

          if (i > 0 && step > 0)
            {
              CkTestPoint *q = p - 1;

              n = MAX (1, (guint)ceil (hypot (p->x - q->x, p->y - q->y) * scale / step));
              for (guint m = 1; m < n; m++)
                {
                  double x = q->x + (p->x - q->x) * m / n;
                  double y = q->y + (p->y - q->y) * m / n;

                  g_assert_true (ck_signature_add_sample (signature, x * scale, y * scale,
                                                          time_ms += 8, NAN, NULL));
                }
            }
          g_assert_true (ck_signature_add_sample (signature, p->x * scale, p->y * scale,
                                                  time_ms += 8, NAN, NULL));
        }
      ck_signature_end_stroke (signature);
    }

  return signature;
}

static void
log_candidates (const char  *what,
                char       **candidates)
{
  g_autofree char *joined = g_strjoinv (" ", candidates);

  g_test_message ("%s: %s", what, joined);
}

/* 十, 三 and 张 from their key points, and as pads of 200, 300 and
 * 400 px capture them (a sample every 3 px), are among the first three. */
static void
test_handwriting_fixtures (void)
{
  static const char * const names[] = { "shi.strokes", "san.strokes", "zhang.strokes" };
  static const struct { double size, step; } captures[] = {
    { 1000, 0 }, { 200, 3 }, { 300, 3 }, { 400, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint j = 0; j < G_N_ELEMENTS (captures); j++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *intended = NULL;
        g_autofree char *what = NULL;
        g_autoptr(CkSignature) signature = NULL;
        g_auto(GStrv) candidates = NULL;

        signature = load_signature (names[i], captures[j].size, captures[j].step, &intended);
        candidates = ck_handwriting_recognize (recognizer, signature, 10, &error);
        g_assert_no_error (error);

        what = g_strdup_printf ("%s at %g px", names[i], captures[j].size);
        log_candidates (what, candidates);
        g_assert_cmpuint (g_strv_length (candidates), ==, 10);
        g_assert_cmpuint (ck_test_strv_rank (candidates, intended), >=, 1);
        g_assert_cmpuint (ck_test_strv_rank (candidates, intended), <=, 3);

        /* Single Han characters only. */
        for (guint k = 0; candidates[k]; k++)
          {
            g_assert_cmpint (g_utf8_strlen (candidates[k], -1), ==, 1);
            g_assert_true (ck_name_is_han (g_utf8_get_char (candidates[k])));
          }
      }
}

/* What the model makes of 张 in the order schools teach (see
 * tests/data/strokes/README.md): logged, so a new model shows up. */
static void
test_handwriting_school_order (void)
{
  g_autoptr(CkSignature) signature = load_signature ("zhang-gb-order.strokes", 300, 3, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;

  candidates = ck_handwriting_recognize (recognizer, signature, 20, &error);
  g_assert_no_error (error);
  log_candidates ("张 in GB stroke order", candidates);
  g_test_message ("rank of 张: %u (0: not in the first 20)", ck_test_strv_rank (candidates, "张"));
  g_assert_cmpuint (g_strv_length (candidates), ==, 20);
}

/* The floors of /handwriting/surnames: a little under what was measured
 * (docs/NAME-INPUT.md), so that a worse model or preprocessing fails. */
#define SURNAMES_TOP1_FLOOR 70
#define SURNAMES_TOP5_FLOOR 88
#define SURNAMES_VARIED_TOP5_FLOOR 84

/* The 100 commonest surnames in the order schools teach (Make Me a
 * Hanzi's medians, data/handwriting), written on the kiosk's 360 px pad
 * with a sample every 3 px: as drawn, and with the variations of a hand
 * (three rounds of ck_test_hanzi_draw()'s random ones, a fixed seed). The
 * rates are logged; bench-handwriting reports them at length. */
static void
test_handwriting_surnames (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "handwriting", "surnames.medians", NULL);
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GString) misses = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;
  CkTestHanziScore drawn = { 0 }, varied = { 0 };
  const CkTestHanzi *zhang = NULL;
  guint rank;

  set = ck_test_hanzi_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->len, ==, 100);

  ck_test_hanzi_measure (recognizer, set, 3, NULL, &drawn, misses);
  g_test_message ("as drawn: top-1 %u %%, top-5 %u %%; not first: %s",
                  drawn.top[0], drawn.top[4], misses->str);
  for (guint round = 0; round < 3; round++)
    ck_test_hanzi_measure (recognizer, set, 3, rand, &varied, NULL);
  g_test_message ("varied (%u): top-1 %.1f %%, top-5 %.1f %%", varied.n,
                  100.0 * varied.top[0] / varied.n, 100.0 * varied.top[4] / varied.n);

  /* 张 as schools teach it (长: 撇, 横, 竖提, 捺). */
  for (guint i = 0; i < set->len; i++)
    if (g_str_equal (((CkTestHanzi *)set->pdata[i])->character, "张"))
      zhang = set->pdata[i];
  g_assert_nonnull (zhang);
  rank = ck_test_hanzi_rank (recognizer, zhang, CK_TEST_HANZI_PAD, 3, NULL, &candidates);
  log_candidates ("张 in school order (Make Me a Hanzi)", candidates);
  g_test_message ("rank of 张: %u (0: not in the first 20)", rank);

  g_assert_cmpuint (drawn.top[0], >=, SURNAMES_TOP1_FLOOR);
  g_assert_cmpuint (drawn.top[4], >=, SURNAMES_TOP5_FLOOR);
  g_assert_cmpuint (varied.top[4] * 100, >=, SURNAMES_VARIED_TOP5_FLOOR * varied.n);
}

/* A model trained (CkHandwritingTrainer) on ten surnames' medians and a
 * variation of each: the recognizer opens it and finds each of them,
 * written with other variations, first. zinnia's trainer prints its
 * progress on standard output: the training runs in a child. */
static void
test_handwriting_trainer (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "handwriting", "surnames.medians", NULL);
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GPtrArray) ten = g_ptr_array_new ();
  g_autoptr(CkHandwriting) trained = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  g_autofree char *name = NULL;
  CkTestHanziScore score = { 0 };

  set = ck_test_hanzi_load (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (ten, set->pdata[i]);

  if (g_test_subprocess ())
    {
      g_autoptr(CkHandwritingTrainer) trainer = ck_handwriting_trainer_new ();

      for (guint i = 0; i < ten->len; i++)
        for (guint v = 0; v < 2; v++)
          {
            const CkTestHanzi *hanzi = ten->pdata[i];
            g_autoptr(CkSignature) strokes = ck_test_hanzi_draw (hanzi, CK_TEST_HANZI_PAD, 3, v ? rand : NULL);

            ck_handwriting_trainer_add (trainer, hanzi->character, strokes);
          }
      ck_handwriting_trainer_train (trainer, g_getenv ("CK_TEST_MODEL"), &error);
      g_assert_no_error (error);
      return;
    }

  name = g_strdup_printf ("ck-test-handwriting-%d.model", (int)getpid ());
  model = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_setenv ("CK_TEST_MODEL", model, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  trained = ck_handwriting_new (model, &error);
  g_assert_no_error (error);
  ck_test_hanzi_measure (trained, ten, 3, rand, &score, NULL);
  g_assert_cmpuint (score.n, ==, 10);
  g_assert_cmpuint (score.top[0], ==, 10);
  g_unlink (model);
}

/* The surname supplement this build trained (data/handwriting/): 张 in
 * the order schools teach comes second, from Make Me a Hanzi's medians
 * and from another hand (tests/data/strokes, a person's), where Debian's
 * model alone puts it far down; every one of the 100 surnames comes in
 * the first five; and the main model's first candidate stays first, with
 * no candidate twice. (Non-surnames are measured by bench-handwriting:
 * the supplement does not move their rates, docs/NAME-INPUT.md.) */
static void
test_handwriting_supplement (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "handwriting", "surnames.medians", NULL);
  g_autoptr(CkSignature) gb_order = load_signature ("zhang-gb-order.strokes", 300, 3, NULL);
  g_autoptr(CkHandwriting) with = ck_handwriting_new (NULL, NULL);
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) alone = NULL;
  g_auto(GStrv) helped = NULL;
  CkTestHanziScore drawn = { 0 };
  const CkTestHanzi *zhang = NULL;

  g_assert_nonnull (with);
  g_assert_true (ck_handwriting_set_supplement (with, ck_handwriting_get_default_supplement (),
                                                CK_HANDWRITING_SUPPLEMENT_MIN_SCORE, &error));
  g_assert_no_error (error);

  alone = ck_handwriting_recognize (recognizer, gb_order, 20, &error);
  g_assert_no_error (error);
  helped = ck_handwriting_recognize (with, gb_order, 20, &error);
  g_assert_no_error (error);
  log_candidates ("张 in GB stroke order, with the supplement", helped);
  g_assert_cmpuint (ck_test_strv_rank (alone, "张"), !=, 1);
  g_assert_cmpuint (ck_test_strv_rank (alone, "张"), !=, 2);
  g_assert_cmpuint (ck_test_strv_rank (helped, "张"), ==, 2);
  g_assert_cmpstr (helped[0], ==, alone[0]);
  g_assert_cmpuint (g_strv_length (helped), ==, 20);
  for (guint i = 0; helped[i]; i++)
    g_assert_cmpuint (ck_test_strv_rank (helped, helped[i]), ==, i + 1);

  set = ck_test_hanzi_load (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < set->len; i++)
    if (g_str_equal (((CkTestHanzi *)set->pdata[i])->character, "张"))
      zhang = set->pdata[i];
  g_assert_cmpuint (ck_test_hanzi_rank (recognizer, zhang, CK_TEST_HANZI_PAD, 3, NULL, NULL), !=, 1);
  g_assert_cmpuint (ck_test_hanzi_rank (with, zhang, CK_TEST_HANZI_PAD, 3, NULL, NULL), <=, 2);
  g_assert_cmpuint (ck_test_hanzi_rank (with, zhang, CK_TEST_HANZI_PAD, 3, NULL, NULL), >=, 1);
  ck_test_hanzi_measure (with, set, 3, NULL, &drawn, NULL);
  g_assert_cmpuint (drawn.top[4], ==, drawn.n);

  /* None, and one that is not there. */
  g_assert_true (ck_handwriting_set_supplement (with, NULL, 0, &error));
  g_assert_false (ck_handwriting_set_supplement (with, "/nonexistent/surnames.model", 0, &error));
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL);
}

static void
test_handwriting_max (void)
{
  g_autoptr(CkSignature) signature = load_signature ("san.strokes", 300, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) one = NULL;

  one = ck_handwriting_recognize (recognizer, signature, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (one), ==, 1);
  g_assert_cmpstr (one[0], ==, "三");
}

static gint64
peak_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);

  return usage.ru_maxrss;
}

/* A shaky finger: one stroke of 1,000 samples with ±2 % jitter, a
 * 20,000-sample scribble all over the pad, and a spiral (each of its
 * points peels off one at a time in zinnia's recursive split: kept at 24
 * points it cost 66 MB). Unsimplified, the first makes zinnia allocate
 * gigabytes and abort. Run in a child with its address space capped at
 * 1 GiB (not under AddressSanitizer, which reserves terabytes); time and
 * peak memory are bounded either way. */
static void
test_handwriting_noisy (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CkSignature) line = load_signature ("noisy-line.strokes", 300, 0, NULL);
      g_autoptr(CkSignature) scribble = ck_signature_new (300, 300);
      g_autoptr(CkSignature) spiral = ck_signature_new (300, 300);
      g_autoptr(GRand) rand = g_rand_new_with_seed (6);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) candidates = NULL;
      gint64 rss_before, start;
      double seconds;

      if (!WITH_ASAN)
        {
          struct rlimit limit = { 1024 * 1024 * 1024, 1024 * 1024 * 1024 };

          g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
        }

      ck_signature_begin_stroke (scribble);
      for (guint i = 0; i < 20000; i++)
        g_assert_true (ck_signature_add_sample (scribble,
                                                150 + 140 * sin (i * 0.05) + g_rand_double_range (rand, -6, 6),
                                                150 + 140 * cos (i * 0.031) + g_rand_double_range (rand, -6, 6),
                                                i, NAN, NULL));
      ck_signature_end_stroke (scribble);

      ck_signature_begin_stroke (spiral);
      for (guint i = 0; i < 1536; i++)
        {
          double t = i / 1536.0;

          g_assert_true (ck_signature_add_sample (spiral,
                                                  150 + 140 * t * cos (40 * t),
                                                  150 + 140 * t * sin (40 * t),
                                                  i, NAN, NULL));
        }
      ck_signature_end_stroke (spiral);

      /* The model's pages come in on the first recognition. */
      candidates = ck_handwriting_recognize (recognizer, scribble, 10, &error);
      g_assert_no_error (error);
      g_clear_pointer (&candidates, g_strfreev);

      rss_before = peak_rss_kb ();
      start = g_get_monotonic_time ();

      candidates = ck_handwriting_recognize (recognizer, line, 10, &error);
      g_assert_no_error (error);
      log_candidates ("noisy line", candidates);
      g_assert_cmpuint (g_strv_length (candidates), >, 0);
      g_clear_pointer (&candidates, g_strfreev);

      candidates = ck_handwriting_recognize (recognizer, spiral, 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (candidates), >, 0);

      seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
      g_test_message ("%.3f s, peak RSS +%" G_GINT64_FORMAT " KiB", seconds, peak_rss_kb () - rss_before);
      g_assert_cmpfloat (seconds, <, 2.0);
      g_assert_cmpint (peak_rss_kb () - rss_before, <, 16 * 1024);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_handwriting_empty (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (300, 300);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;

  candidates = ck_handwriting_recognize (recognizer, signature, 10, &error);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_EMPTY);
  g_assert_null (candidates);
  g_assert_cmpstr (error->message, ==, "Write a character in the box.");

  /* A stroke begun and ended without a sample is no stroke. */
  g_clear_error (&error);
  ck_signature_begin_stroke (signature);
  ck_signature_end_stroke (signature);
  candidates = ck_handwriting_recognize (recognizer, signature, 10, &error);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_EMPTY);
}

/* A tap is a dot (丶 and friends); samples outside the capture area
 * count as at its edge. */
static void
test_handwriting_odd_strokes (void)
{
  g_autoptr(CkSignature) tap = ck_signature_new (300, 300);
  g_autoptr(CkSignature) outside = ck_signature_new (300, 300);
  g_autoptr(CkSignature) wide = ck_signature_new (500, 300);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;

  ck_signature_begin_stroke (tap);
  g_assert_true (ck_signature_add_sample (tap, 150, 150, 0, NAN, NULL));
  ck_signature_end_stroke (tap);
  candidates = ck_handwriting_recognize (recognizer, tap, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (candidates), >, 0);
  g_clear_pointer (&candidates, g_strfreev);

  ck_signature_begin_stroke (outside);
  g_assert_true (ck_signature_add_sample (outside, -5000, -20, 0, NAN, NULL));
  g_assert_true (ck_signature_add_sample (outside, 150, 150, 8, NAN, NULL));
  g_assert_true (ck_signature_add_sample (outside, 9000, 100000, 16, NAN, NULL));
  ck_signature_end_stroke (outside);
  candidates = ck_handwriting_recognize (recognizer, outside, 5, &error);
  g_assert_no_error (error);
  g_clear_pointer (&candidates, g_strfreev);

  /* A capture area that is not square: the strokes keep their shape. */
  {
    g_autoptr(CkSignature) square = load_signature ("shi.strokes", 300, 3, NULL);
    const CkSignatureSample *samples;
    guint n_samples;

    samples = ck_signature_get_samples (square, &n_samples);
    for (guint i = 0; i < n_samples; i++)
      {
        if (i == 0 || samples[i].stroke != samples[i - 1].stroke)
          {
            if (i > 0)
              ck_signature_end_stroke (wide);
            ck_signature_begin_stroke (wide);
          }
        g_assert_true (ck_signature_add_sample (wide, samples[i].x + 100, samples[i].y,
                                                samples[i].time_ms, NAN, NULL));
      }
    ck_signature_end_stroke (wide);
  }
  candidates = ck_handwriting_recognize (recognizer, wide, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_test_strv_rank (candidates, "十"), >=, 1);
}

static void
test_handwriting_too_many_strokes (void)
{
  g_autoptr(CkSignature) signature = ck_signature_new (300, 300);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;

  for (guint i = 0; i <= CK_HANDWRITING_MAX_STROKES; i++)
    {
      ck_signature_begin_stroke (signature);
      g_assert_true (ck_signature_add_sample (signature, i * 4, i * 4, i, NAN, NULL));
      ck_signature_end_stroke (signature);
    }

  candidates = ck_handwriting_recognize (recognizer, signature, 10, &error);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_TOO_MANY_STROKES);
  g_assert_null (candidates);

  /* One fewer is a character. */
  g_clear_error (&error);
  g_assert_true (ck_signature_undo_stroke (signature));
  candidates = ck_handwriting_recognize (recognizer, signature, 10, &error);
  g_assert_no_error (error);
}

/* A missing, unreadable or foreign model: a message that names the
 * package, in English and in Chinese. */
static void
test_handwriting_no_model (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *foreign = NULL;
  g_autoptr(GError) error = NULL;
  CkHandwriting *handwriting;

  dir = g_dir_make_tmp ("test-handwriting-XXXXXX", &error);
  g_assert_no_error (error);

  handwriting = ck_handwriting_new ("/nonexistent/handwriting-zh_CN.model", &error);
  g_assert_null (handwriting);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent/handwriting-zh_CN.model"));
  g_assert_nonnull (strstr (error->message, "tegaki-zinnia-simplified-chinese"));
  g_clear_error (&error);

  /* A directory, then a file that is not a model. */
  handwriting = ck_handwriting_new (dir, &error);
  g_assert_null (handwriting);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL);
  g_clear_error (&error);

  foreign = g_build_filename (dir, "handwriting.model", NULL);
  g_file_set_contents (foreign, "not a model\n", -1, &error);
  g_assert_no_error (error);
  handwriting = ck_handwriting_new (foreign, &error);
  g_assert_null (handwriting);
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "tegaki-zinnia-simplified-chinese"));
  g_clear_error (&error);

  ck_test_rm_rf (dir);
}

/* The message reaches the customer in Chinese. */
static void
test_handwriting_translated (void)
{
  g_auto(CkTestLocale) saved = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  if (!ck_test_locale_use_chinese (&saved))
    return;

  g_assert_null (ck_handwriting_new ("/nonexistent/handwriting-zh_CN.model", &error));
  g_assert_error (error, CK_HANDWRITING_ERROR, CK_HANDWRITING_ERROR_NO_MODEL);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "手写识别不可用"));
  g_assert_nonnull (strstr (error->message, "tegaki-zinnia-simplified-chinese"));
}

/* The default model opens, and the object goes when its last reference
 * does. */
static void
test_handwriting_lifetime (void)
{
  g_autoptr(GError) error = NULL;
  CkHandwriting *handwriting = ck_handwriting_new (NULL, &error);

  g_assert_no_error (error);
  g_assert_true (CK_IS_HANDWRITING (handwriting));
  g_assert_cmpstr (ck_handwriting_get_default_model (), ==,
                   "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model");
  g_assert_finalize_object (handwriting);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Candidates in the log as characters, not "?". */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  recognizer = ck_handwriting_new (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/handwriting/fixtures", test_handwriting_fixtures);
  g_test_add_func ("/handwriting/school-order", test_handwriting_school_order);
  g_test_add_func ("/handwriting/surnames", test_handwriting_surnames);
  g_test_add_func ("/handwriting/trainer", test_handwriting_trainer);
  g_test_add_func ("/handwriting/supplement", test_handwriting_supplement);
  g_test_add_func ("/handwriting/max", test_handwriting_max);
  g_test_add_func ("/handwriting/noisy", test_handwriting_noisy);
  g_test_add_func ("/handwriting/empty", test_handwriting_empty);
  g_test_add_func ("/handwriting/odd-strokes", test_handwriting_odd_strokes);
  g_test_add_func ("/handwriting/too-many-strokes", test_handwriting_too_many_strokes);
  g_test_add_func ("/handwriting/no-model", test_handwriting_no_model);
  g_test_add_func ("/handwriting/translated", test_handwriting_translated);
  g_test_add_func ("/handwriting/lifetime", test_handwriting_lifetime);

  status = g_test_run ();
  g_assert_finalize_object (recognizer);

  return status;
}
