/* ck-handwriting-trainer.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Trains a zinnia model for CkHandwriting from samples (a character and
 * its strokes), preprocessed exactly as the recognizer preprocesses what
 * a customer writes (ck_handwriting_fill_zinnia()).
 *
 * zinnia's trainer fits one linear SVM a character against every sample
 * of every other: for 3,757 characters and 11,000 samples that is hours.
 * Its features are indexed by stroke, so characters whose stroke counts
 * differ by two or more compete less; each character is therefore
 * trained against the characters of its own stroke count and of one more
 * or one less, and a sprinkling of the others (small problems a stroke
 * count instead of one huge one: minutes), and the per-character lines
 * of those text models
 * are put together into one, converted to zinnia's binary form. A
 * development tool (bench/train-handwriting.c), not used by the kiosk. */

#define G_LOG_DOMAIN "ck-handwriting"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zinnia.h>

#include "ck-handwriting.h"
#include "ck-handwriting-private.h"
#include "ck-handwriting-trainer.h"

/* zinnia drops weights smaller than this from the binary model (its own
 * default). */
#define COMPRESSION_THRESHOLD 0.001
/* Stroke counts a character is trained against: its own ± WINDOW. */
#define WINDOW 1
/* …and against every OUTSIDER_STRIDE-th sample of the rest. */
#define OUTSIDER_STRIDE 23

typedef struct
{
  char *character;
  guint n_strokes;
  zinnia_character_t *sample;
} Sample;

struct _CkHandwritingTrainer
{
  GObject parent_instance;

  GArray *samples;
};

G_DEFINE_FINAL_TYPE (CkHandwritingTrainer, ck_handwriting_trainer, G_TYPE_OBJECT)

static void
sample_clear (gpointer data)
{
  Sample *sample = data;

  g_free (sample->character);
  zinnia_character_destroy (sample->sample);
}

static void
ck_handwriting_trainer_finalize (GObject *object)
{
  CkHandwritingTrainer *self = (CkHandwritingTrainer *)object;

  g_array_unref (self->samples);

  G_OBJECT_CLASS (ck_handwriting_trainer_parent_class)->finalize (object);
}

static void
ck_handwriting_trainer_class_init (CkHandwritingTrainerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ck_handwriting_trainer_finalize;
}

static void
ck_handwriting_trainer_init (CkHandwritingTrainer *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_array_set_clear_func (self->samples, sample_clear);
}

CkHandwritingTrainer *
ck_handwriting_trainer_new (void)
{
  return g_object_new (CK_TYPE_HANDWRITING_TRAINER, NULL);
}

/**
 * ck_handwriting_trainer_add:
 * @self: a #CkHandwritingTrainer
 * @character: what @strokes are, one character
 * @strokes: its strokes in writing order, at least one
 */
void
ck_handwriting_trainer_add (CkHandwritingTrainer *self,
                            const char           *character,
                            CkSignature          *strokes)
{
  Sample sample;

  g_return_if_fail (CK_IS_HANDWRITING_TRAINER (self));
  g_return_if_fail (character != NULL && g_utf8_strlen (character, -1) == 1);
  g_return_if_fail (CK_IS_SIGNATURE (strokes));
  g_return_if_fail (ck_signature_get_n_strokes (strokes) > 0);

  sample.character = g_strdup (character);
  sample.sample = zinnia_character_new ();
  sample.n_strokes = ck_handwriting_fill_zinnia (sample.sample, strokes);
  zinnia_character_set_value (sample.sample, character);
  g_array_append_val (self->samples, sample);
}

/* Trains the characters of @n_strokes strokes against those of
 * @n_strokes ± WINDOW; appends their lines to @model. */
static gboolean
train_group (CkHandwritingTrainer  *self,
             guint                  n_strokes,
             const char            *dir,
             GString               *model,
             GError               **error)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = g_strdup_printf ("%s/group-%u.model", dir, n_strokes);
  g_autofree char *text_path = g_strconcat (path, ".txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  zinnia_trainer_t *trainer;
  guint window = WINDOW;
  gboolean ok;

  for (guint i = 0; i < self->samples->len; i++)
    {
      Sample *sample = &g_array_index (self->samples, Sample, i);

      if (sample->n_strokes == n_strokes)
        g_hash_table_add (wanted, sample->character);
    }
  if (g_hash_table_size (wanted) == 0)
    return TRUE;

  /* zinnia needs a character to learn against: a wider window where the
   * stroke counts around are empty. */
  for (;; window++)
    {
      g_hash_table_remove_all (labels);
      for (guint i = 0; i < self->samples->len; i++)
        {
          Sample *sample = &g_array_index (self->samples, Sample, i);

          if (sample->n_strokes + window >= n_strokes && sample->n_strokes <= n_strokes + window)
            g_hash_table_add (labels, sample->character);
        }
      if (g_hash_table_size (labels) > 1 || window > CK_HANDWRITING_MAX_STROKES)
        break;
    }

  trainer = zinnia_trainer_new ();
  for (guint i = 0; i < self->samples->len; i++)
    {
      Sample *sample = &g_array_index (self->samples, Sample, i);

      if (sample->n_strokes + window >= n_strokes && sample->n_strokes <= n_strokes + window)
        zinnia_trainer_add (trainer, sample->sample);
      /* A sprinkling of every other stroke count, so that a character's
       * score stays low for writing of quite another count (a 2-stroke
       * 十 must not look like a 20-stroke character never set against
       * it). */
      else if (i % OUTSIDER_STRIDE == 0)
        zinnia_trainer_add (trainer, sample->sample);
    }

  ok = zinnia_trainer_train (trainer, path);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "zinnia could not train %u strokes: %s",
                 n_strokes, zinnia_trainer_strerror (trainer));
  zinnia_trainer_destroy (trainer);
  g_unlink (path);
  if (!ok || !g_file_get_contents (text_path, &text, NULL, error))
    return FALSE;
  g_unlink (text_path);

  /* "character bias index:weight …", one line a character. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *space = strchr (lines[i], ' ');
      g_autofree char *character = NULL;

      if (space == NULL)
        continue;
      character = g_strndup (lines[i], space - lines[i]);
      if (g_hash_table_contains (wanted, character))
        {
          g_string_append (model, lines[i]);
          g_string_append_c (model, '\n');
        }
    }

  return TRUE;
}

/**
 * ck_handwriting_trainer_train:
 * @self: a #CkHandwritingTrainer
 * @path: where to write the model
 * @error: return location for a #GError
 *
 * Trains a model of every character added (blocks: minutes for
 * thousands of characters).
 *
 * Returns: whether the model was written
 */
gboolean
ck_handwriting_trainer_train (CkHandwritingTrainer  *self,
                              const char            *path,
                              GError               **error)
{
  g_autoptr(GString) model = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *text_path = NULL;
  guint max_strokes = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (CK_IS_HANDWRITING_TRAINER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_dir_make_tmp ("ck-handwriting-XXXXXX", error);
  if (dir == NULL)
    return FALSE;

  for (guint i = 0; i < self->samples->len; i++)
    max_strokes = MAX (max_strokes, g_array_index (self->samples, Sample, i).n_strokes);
  for (guint n = 1; n <= max_strokes && ok; n++)
    ok = train_group (self, n, dir, model, error);

  text_path = g_build_filename (dir, "model.txt", NULL);
  if (ok)
    ok = g_file_set_contents (text_path, model->str, model->len, error);
  if (ok && !zinnia_trainer_convert_model (text_path, path, COMPRESSION_THRESHOLD))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "zinnia could not write %s", path);
      ok = FALSE;
    }
  g_unlink (text_path);
  g_rmdir (dir);

  return ok;
}
