/* ck-pinyin.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Pinyin letters → Chinese characters for the kiosk's on-screen keyboard,
 * with libpinyin (Debian: libpinyin15, libpinyin-data).
 *
 * Nothing a customer types may outlive them: the engine learns only when
 * told to (pinyin_train, pinyin_remember_user_input) and writes only on
 * pinyin_save, and none of these is ever called here; it also gets a user
 * directory of its own, made empty and private (0700) for this object and
 * removed with it, because pinyin_init deletes the files it knows in the
 * user directory it is given.
 *
 * The engine ranks by general word frequency, and names are rare words:
 * 章 comes before 张 for "zhang". A short table of the most common
 * surnames puts them first when the first syllable matches. Passports
 * spell ü as "yu" after l and n (吕 LYU): "lyu" and "nyu" are read as
 * "lv" and "nv", which is how the engine spells them.
 *
 * Not thread-safe (libpinyin is not); every query takes a few ms, so the
 * main thread is fine. Make one per process and keep it: libpinyin 2.8.1
 * leaks about 16 KB of Berkeley DB handles at every pinyin_init (see
 * tests/lsan.supp), and since nothing is learnt there is nothing to reset
 * between customers. */

#define G_LOG_DOMAIN "ck-pinyin"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdbool.h>  /* pinyin.h uses bool without including it */
#include <pinyin.h>
#include <string.h>
#include <unistd.h>

#include "ck-name.h"
#include "ck-pinyin.h"

struct _CkPinyin
{
  GObject parent_instance;

  char *user_dir;
  pinyin_context_t *context;
  pinyin_instance_t *instance;
};

G_DEFINE_QUARK (ck-pinyin-error-quark, ck_pinyin_error)
G_DEFINE_FINAL_TYPE (CkPinyin, ck_pinyin, G_TYPE_OBJECT)

/* The most common surnames (2020 census order), each with its reading as
 * a surname (曾 zeng, 单 shan, 解 xie, 仇 qiu: not their usual one). */
static const struct {
  const char *pinyin;
  const char *surname;
} surnames[] = {
  { "wang", "王" }, { "li", "李" }, { "zhang", "张" }, { "liu", "刘" },
  { "chen", "陈" }, { "yang", "杨" }, { "huang", "黄" }, { "zhao", "赵" },
  { "wu", "吴" }, { "zhou", "周" }, { "xu", "徐" }, { "sun", "孙" },
  { "ma", "马" }, { "zhu", "朱" }, { "hu", "胡" }, { "guo", "郭" },
  { "he", "何" }, { "lin", "林" }, { "gao", "高" }, { "luo", "罗" },
  { "zheng", "郑" }, { "liang", "梁" }, { "xie", "谢" }, { "song", "宋" },
  { "tang", "唐" }, { "xu", "许" }, { "han", "韩" }, { "deng", "邓" },
  { "feng", "冯" }, { "cao", "曹" }, { "peng", "彭" }, { "zeng", "曾" },
  { "xiao", "肖" }, { "tian", "田" }, { "dong", "董" }, { "pan", "潘" },
  { "yuan", "袁" }, { "cai", "蔡" }, { "jiang", "蒋" }, { "yu", "余" },
  { "yu", "于" }, { "du", "杜" }, { "ye", "叶" }, { "cheng", "程" },
  { "wei", "魏" }, { "su", "苏" }, { "lv", "吕" }, { "ding", "丁" },
  { "ren", "任" }, { "lu", "卢" }, { "yao", "姚" }, { "shen", "沈" },
  { "zhong", "钟" }, { "jiang", "姜" }, { "cui", "崔" }, { "tan", "谭" },
  { "lu", "陆" }, { "fan", "范" }, { "wang", "汪" }, { "liao", "廖" },
  { "shi", "石" }, { "jin", "金" }, { "wei", "韦" }, { "jia", "贾" },
  { "xia", "夏" }, { "fu", "付" }, { "fang", "方" }, { "zou", "邹" },
  { "xiong", "熊" }, { "bai", "白" }, { "meng", "孟" }, { "qin", "秦" },
  { "qiu", "邱" }, { "hou", "侯" }, { "jiang", "江" }, { "yin", "尹" },
  { "xue", "薛" }, { "yan", "闫" }, { "duan", "段" }, { "lei", "雷" },
  { "long", "龙" }, { "li", "黎" }, { "shi", "史" }, { "tao", "陶" },
  { "he", "贺" }, { "mao", "毛" }, { "hao", "郝" }, { "gu", "顾" },
  { "gong", "龚" }, { "shao", "邵" }, { "wan", "万" }, { "qin", "覃" },
  { "wu", "武" }, { "qian", "钱" }, { "dai", "戴" }, { "yan", "严" },
  { "mo", "莫" }, { "kong", "孔" }, { "xiang", "向" }, { "chang", "常" },
  { "tang", "汤" }, { "kang", "康" }, { "yi", "易" }, { "qiao", "乔" },
  { "lai", "赖" }, { "wen", "文" }, { "shi", "施" }, { "hong", "洪" },
  { "yan", "颜" }, { "niu", "牛" }, { "fu", "傅" }, { "guan", "关" },
  { "shan", "单" }, { "xie", "解" }, { "qiu", "仇" }, { "zha", "查" },
};

typedef struct
{
  char *text;
  guint n_chars;
  guint span;  /* letters of the engine's input it stands for */
} Candidate;

static void
candidate_clear (gpointer data)
{
  Candidate *candidate = data;

  g_free (candidate->text);
}

/* Removes the private directory and whatever is in it (flat: the engine
 * makes no subdirectories). */
static void
remove_user_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_unlink (file) != 0)
        g_warning ("Could not remove %s: %s", file, g_strerror (errno));
    }

  if (g_rmdir (path) != 0)
    g_warning ("Could not remove %s: %s", path, g_strerror (errno));
}

static void
ck_pinyin_finalize (GObject *object)
{
  CkPinyin *self = (CkPinyin *)object;

  g_clear_pointer (&self->instance, pinyin_free_instance);
  g_clear_pointer (&self->context, pinyin_fini);
  if (self->user_dir)
    remove_user_dir (self->user_dir);
  g_clear_pointer (&self->user_dir, g_free);

  G_OBJECT_CLASS (ck_pinyin_parent_class)->finalize (object);
}

static void
ck_pinyin_class_init (CkPinyinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_pinyin_finalize;
}

static void
ck_pinyin_init (CkPinyin *self)
{
}

/**
 * ck_pinyin_get_default_data_dir:
 *
 * Returns: libpinyin's system data, as its pkg-config file names it
 */
const char *
ck_pinyin_get_default_data_dir (void)
{
  return CK_PINYIN_DATADIR;
}

/* libpinyin prints "open …/user.conf failed." on standard output (the
 * tests' TAP stream) when the user directory has none. The version lines
 * of the system's table.conf keep it quiet; it still treats the directory
 * as new and writes nothing there. */
static gboolean
write_user_conf (const char  *table_conf,
                 const char  *user_dir,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (user_dir, "user.conf", NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) conf = g_string_new (NULL);

  if (!g_file_get_contents (table_conf, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "binary format version:") ||
        g_str_has_prefix (lines[i], "model data version:"))
      g_string_append_printf (conf, "%s\n", lines[i]);

  return g_file_set_contents_full (path, conf->str, conf->len,
                                   G_FILE_SET_CONTENTS_NONE, 0600, error);
}

/**
 * ck_pinyin_new:
 * @data_dir: (nullable): libpinyin's system data, or %NULL for
 *   ck_pinyin_get_default_data_dir()
 * @error: return location for a #GError in %CK_PINYIN_ERROR
 *
 * Starts the engine (a few ms) in a new private directory under
 * g_get_tmp_dir(), which goes when the object does.
 *
 * Returns: (transfer full) (nullable): the engine, or %NULL with
 *   %CK_PINYIN_ERROR_NO_DATA when the data cannot be used
 */
CkPinyin *
ck_pinyin_new (const char  *data_dir,
               GError     **error)
{
  g_autoptr(CkPinyin) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *table_conf = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data_dir == NULL)
    data_dir = ck_pinyin_get_default_data_dir ();

  table_conf = g_build_filename (data_dir, "table.conf", NULL);
  if (g_access (table_conf, R_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_NO_DATA,
                   /* Translators: the first %s is a folder, the second the
                    * system's reason, e.g. "No such file or directory". */
                   _("Pinyin input is not available: the pinyin data in %s cannot be read (%s). "
                     "Install the package libpinyin-data."),
                   data_dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (CK_TYPE_PINYIN, NULL);

  self->user_dir = g_dir_make_tmp ("ck-pinyin-XXXXXX", &local_error);
  if (self->user_dir == NULL)
    {
      g_set_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_FAILED,
                   _("Pinyin input is not available: %s"), local_error->message);
      return NULL;
    }

  if (!write_user_conf (table_conf, self->user_dir, &local_error))
    g_debug ("No user.conf: %s", local_error->message);

  self->context = pinyin_init (data_dir, self->user_dir);
  if (self->context == NULL)
    {
      g_set_error (error, CK_PINYIN_ERROR, CK_PINYIN_ERROR_NO_DATA,
                   _("Pinyin input is not available: the pinyin data in %s is incomplete "
                     "or damaged. Install the package libpinyin-data."),
                   data_dir);
      return NULL;
    }

  /* No DYNAMIC_ADJUST: it ranks by what was chosen before. */
  pinyin_set_options (self->context,
                      PINYIN_INCOMPLETE | PINYIN_CORRECT_ALL |
                      USE_DIVIDED_TABLE | USE_RESPLIT_TABLE);
  self->instance = pinyin_alloc_instance (self->context);

  return g_steal_pointer (&self);
}

/* ASCII letters only, lower-cased, at most CK_PINYIN_MAX_LETTERS;
 * anything else gives no candidates. No apostrophes either: libpinyin
 * abort()s (a failed assertion) on a syllable break before a letter no
 * syllable starts with, such as "k'is". */
static gboolean
normalize_letters (const char *letters,
                   char       *out)
{
  gsize length = strlen (letters);

  if (length == 0 || length > CK_PINYIN_MAX_LETTERS)
    return FALSE;

  for (gsize i = 0; i <= length; i++)
    {
      if (letters[i] != '\0' && !g_ascii_isalpha (letters[i]))
        return FALSE;
      out[i] = g_ascii_tolower (letters[i]);
    }

  return TRUE;
}

/* Gives @letters to the engine; fills @bounds with where its syllables
 * begin and the last one ends (letter offsets) and returns how many
 * syllables there are. */
static guint
parse (CkPinyin   *self,
       const char *letters,
       GArray     *bounds)
{
  size_t parsed, offset = 0;

  g_array_set_size (bounds, 0);
  pinyin_reset (self->instance);
  pinyin_parse_more_full_pinyins (self->instance, letters);
  parsed = pinyin_get_parsed_input_length (self->instance);
  if (parsed == 0)
    return 0;

  pinyin_guess_sentence (self->instance);
  g_array_append_val (bounds, offset);
  while (offset < parsed)
    {
      size_t right = offset;

      if (!pinyin_get_right_pinyin_offset (self->instance, offset, &right) || right <= offset)
        right = parsed;
      offset = MIN (right, parsed);
      g_array_append_val (bounds, offset);
    }

  return bounds->len - 1;
}

static inline guint
bound (GArray *bounds,
       guint   i)
{
  return (guint)g_array_index (bounds, size_t, i);
}

/* Rewrites the passport spelling "lyu"/"nyu" (the engine reads l + yu)
 * into "lv"/"nv" where l or n is a syllable of its own and "yu" or "yue"
 * the next one. @origin[i] is the offset in @letters of @out[i] (and of
 * its end). Returns whether anything changed. */
static gboolean
rewrite_passport_yu (const char *letters,
                     GArray     *bounds,
                     char       *out,
                     guint      *origin)
{
  gsize length = strlen (letters), o = 0;
  gboolean changed = FALSE;
  guint n_syllables = bounds->len - 1;

  for (guint s = 0; s < n_syllables; s++)
    {
      guint begin = bound (bounds, s), end = bound (bounds, s + 1);

      if (end - begin == 1 && (letters[begin] == 'l' || letters[begin] == 'n') &&
          s + 1 < n_syllables && letters[end] == 'y' && letters[end + 1] == 'u')
        {
          guint next_end = bound (bounds, s + 2);

          if (next_end - end == 2 || (next_end - end == 3 && letters[end + 2] == 'e'))
            {
              /* l|yu|e → lv|e: 'v' stands for "yu". */
              origin[o] = begin;
              out[o++] = letters[begin];
              origin[o] = end;
              out[o++] = 'v';
              for (guint i = end + 2; i < next_end; i++)
                {
                  origin[o] = i;
                  out[o++] = letters[i];
                }
              s++;
              changed = TRUE;
              continue;
            }
        }

      for (guint i = begin; i < end; i++)
        {
          origin[o] = i;
          out[o++] = letters[i];
        }
    }

  /* What the engine left unparsed, as it is. */
  for (gsize i = bound (bounds, n_syllables); i < length; i++)
    {
      origin[o] = i;
      out[o++] = letters[i];
    }
  origin[o] = length;
  out[o] = '\0';

  return changed;
}

static gboolean
is_all_han (const char *text)
{
  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!ck_name_is_han (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Whether @surname_pinyin is what the first syllable @syllable says:
 * the same, or, for a bare initial ("zh", "l"), one that starts so. */
static gboolean
surname_matches (const char *surname_pinyin,
                 const char *syllable)
{
  if (g_str_equal (surname_pinyin, syllable))
    return TRUE;

  if (strpbrk (syllable, "aeiouv") != NULL)
    return FALSE;

  return g_str_has_prefix (surname_pinyin, syllable);
}

/* Appends a candidate unless its text is there already. */
static void
add_candidate (GArray     *result,
               GHashTable *seen,
               const char *text,
               guint       span)
{
  Candidate copy;

  if (g_hash_table_contains (seen, text))
    return;

  copy.text = g_strdup (text);
  copy.n_chars = g_utf8_strlen (text, -1);
  copy.span = span;
  g_array_append_val (result, copy);
  g_hash_table_add (seen, copy.text);
}

/**
 * ck_pinyin_candidates_with_spans:
 * @self: a #CkPinyin
 * @letters: pinyin as typed, ASCII letters ("zhang", "zhangsan", "lyu",
 *   "zh")
 * @max: how many candidates at most, 0 for all
 * @spans: (out) (optional) (transfer full) (array): for each candidate,
 *   how many bytes at the start of @letters it stands for: what to take
 *   off the composition when the customer picks it
 *
 * Candidates in the order a name wants them: when there are several
 * syllables, the phrases for all of them first ("zhangsan" → 张三); then
 * single characters for the first syllable, the common surnames that read
 * so before the rest ("zhang" → 张, "lyu" → 吕); then shorter phrases.
 * Only Han characters, no duplicates.
 *
 * Returns: (transfer full) (array zero-terminated=1): the candidates,
 *   empty when @letters is not pinyin
 */
char **
ck_pinyin_candidates_with_spans (CkPinyin    *self,
                                 const char  *letters,
                                 guint        max,
                                 guint      **spans)
{
  char input[CK_PINYIN_MAX_LETTERS + 1];
  char rewritten[CK_PINYIN_MAX_LETTERS + 1];
  guint origin[CK_PINYIN_MAX_LETTERS + 1];
  g_autoptr(GArray) bounds = g_array_new (FALSE, FALSE, sizeof (size_t));
  g_autoptr(GArray) engine = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GArray) result = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autofree char *first_syllable = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_syllables, n_candidates = 0, whole = 0, first_span = 0, count;

  g_return_val_if_fail (CK_IS_PINYIN (self), NULL);
  g_return_val_if_fail (letters != NULL, NULL);

  g_array_set_clear_func (engine, candidate_clear);
  g_array_set_clear_func (result, candidate_clear);

  for (guint i = 0; i <= CK_PINYIN_MAX_LETTERS; i++)
    origin[i] = i;

  n_syllables = 0;
  if (normalize_letters (letters, input))
    {
      n_syllables = parse (self, input, bounds);
      if (n_syllables > 1 && rewrite_passport_yu (input, bounds, rewritten, origin))
        n_syllables = parse (self, rewritten, bounds);
      else
        memcpy (rewritten, input, sizeof input);
    }

  if (n_syllables > 0)
    {
      whole = bound (bounds, n_syllables);
      first_span = bound (bounds, 1);

      pinyin_guess_candidates (self->instance, 0,
                               SORT_BY_PHRASE_LENGTH_AND_PINYIN_LENGTH_AND_FREQUENCY);
      pinyin_get_n_candidate (self->instance, &n_candidates);
      for (guint i = 0; i < n_candidates; i++)
        {
          lookup_candidate_t *lookup = NULL;
          const char *text = NULL;
          Candidate candidate;

          if (!pinyin_get_candidate (self->instance, i, &lookup) ||
              !pinyin_get_candidate_string (self->instance, lookup, &text) ||
              !is_all_han (text))
            continue;

          candidate.text = g_strdup (text);
          candidate.n_chars = g_utf8_strlen (text, -1);
          /* A phrase of n characters stands for n syllables (a divided
           * one such as 西安 for "xian" for all of them). */
          candidate.span = candidate.n_chars >= n_syllables ? whole : bound (bounds, candidate.n_chars);
          g_array_append_val (engine, candidate);
        }

      first_syllable = g_strndup (rewritten, first_span);
      for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
        if (surname_matches (surnames[i].pinyin, first_syllable))
          g_ptr_array_add (matching, (gpointer)surnames[i].surname);

      /* Phrases for every syllable, those starting with a common surname
       * first, in the surnames' order. */
      if (n_syllables > 1)
        {
          for (guint k = 0; k <= matching->len; k++)
            for (guint i = 0; i < engine->len; i++)
              {
                Candidate *c = &g_array_index (engine, Candidate, i);
                gboolean with_surname = FALSE;

                if (c->n_chars < 2 || c->span != whole)
                  continue;
                for (guint j = 0; j < matching->len && !with_surname; j++)
                  with_surname = g_str_has_prefix (c->text, matching->pdata[j]);
                if (k < matching->len ? g_str_has_prefix (c->text, matching->pdata[k]) : !with_surname)
                  add_candidate (result, seen, c->text, c->span);
              }
        }

      /* Characters for the first syllable. */
      for (guint j = 0; j < matching->len; j++)
        add_candidate (result, seen, matching->pdata[j], first_span);
      for (guint i = 0; i < engine->len; i++)
        {
          Candidate *c = &g_array_index (engine, Candidate, i);

          if (c->n_chars == 1)
            add_candidate (result, seen, c->text, c->span);
        }

      /* The rest: shorter phrases; "xian" as 西安. */
      for (guint i = 0; i < engine->len; i++)
        {
          Candidate *c = &g_array_index (engine, Candidate, i);

          add_candidate (result, seen, c->text, c->span);
        }
    }

  count = max > 0 ? MIN (max, result->len) : result->len;
  if (spans)
    *spans = g_new0 (guint, count + 1);
  for (guint i = 0; i < count; i++)
    {
      Candidate *c = &g_array_index (result, Candidate, i);

      g_strv_builder_add (builder, c->text);
      if (spans)
        (*spans)[i] = origin[c->span];
    }

  return g_strv_builder_end (builder);
}

/**
 * ck_pinyin_candidates:
 * @self: a #CkPinyin
 * @letters: pinyin as typed
 * @max: how many candidates at most, 0 for all
 *
 * ck_pinyin_candidates_with_spans() without the spans.
 *
 * Returns: (transfer full) (array zero-terminated=1): the candidates
 */
char **
ck_pinyin_candidates (CkPinyin   *self,
                      const char *letters,
                      guint       max)
{
  return ck_pinyin_candidates_with_spans (self, letters, max, NULL);
}
