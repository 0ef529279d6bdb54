/* ck-line-breaker.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Breaks Chinese text into lines as a typesetter would (GB/T 15834 and the
 * W3C's "Requirements for Chinese Text Layout"): a line may break between
 * any two Han characters, never inside a run of Latin letters or digits
 * (an ID number, "1.4.1") unless the run alone is wider than the line; no
 * line starts with closing punctuation (，。、；：？！）》」』】…) and none
 * ends with opening punctuation (（《「『【…). Where the greedy break would
 * do either, characters move down to the next line (oikomi is not used:
 * lines are justified afterwards, spreading the room over every gap). A
 * caller may mark a unit that moves as one (an ID number with its
 * parentheses), and a paragraph never ends on a line of fewer than
 * CK_LINE_BREAKER_MIN_LAST_LINE characters besides punctuation. */

#define G_LOG_DOMAIN "ck-line-breaker"

#include "config.h"

#include "ck-line-breaker.h"

gboolean
ck_line_breaker_is_closing (gunichar c)
{
  switch (c)
    {
    case 0xFF0C: /* ， */
    case 0x3002: /* 。 */
    case 0x3001: /* 、 */
    case 0xFF1B: /* ； */
    case 0xFF1A: /* ： */
    case 0xFF1F: /* ？ */
    case 0xFF01: /* ！ */
    case 0xFF09: /* ） */
    case 0x300B: /* 》 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x3011: /* 】 */
    case 0x3015: /* 〕 */
    case 0x3017: /* 〗 */
    case 0x3009: /* 〉 */
    case 0x201D: /* ” */
    case 0x2019: /* ’ */
    case 0xFF0E: /* ． */
    case 0x2026: /* … */
    case 0x00B7: /* · */
    case 0xFF5D: /* ｝ */
    case 0xFF3D: /* ］ */
    case ',':
    case '.':
    case ':':
    case ';':
    case '?':
    case '!':
    case ')':
    case ']':
    case '}':
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
ck_line_breaker_is_opening (gunichar c)
{
  switch (c)
    {
    case 0xFF08: /* （ */
    case 0x300A: /* 《 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x3010: /* 【 */
    case 0x3014: /* 〔 */
    case 0x3016: /* 〖 */
    case 0x3008: /* 〈 */
    case 0x201C: /* “ */
    case 0x2018: /* ‘ */
    case 0xFF5B: /* ｛ */
    case 0xFF3B: /* ［ */
    case '(':
    case '[':
    case '{':
      return TRUE;
    default:
      return FALSE;
    }
}

/* Letters and digits that stay together, with the dots and hyphens inside
 * numbers such as 1.4.1. */
static gboolean
is_word_char (gunichar c)
{
  return c < 0x80 && (g_ascii_isalnum ((char)c) || c == '.' || c == '-' || c == '\'');
}

/**
 * ck_line_breaker_can_break_before:
 * @chars: the paragraph
 * @keep: (nullable): positions inside a unit that moves as one
 * @i: an index, from 1
 *
 * Returns: whether a line may start at @chars[@i]
 */
gboolean
ck_line_breaker_can_break_before (const gunichar *chars,
                                  const gboolean *keep,
                                  guint           i)
{
  gunichar before = chars[i - 1];
  gunichar after = chars[i];

  if (keep != NULL && keep[i])
    return FALSE;
  if (is_word_char (before) && is_word_char (after))
    return FALSE;
  if (ck_line_breaker_is_closing (after) || ck_line_breaker_is_opening (before))
    return FALSE;
  /* Nor inside a run of dashes or ellipses (——, ……). */
  if (before == after && (before == 0x2014 || before == 0x2026))
    return FALSE;

  return TRUE;
}

/* Characters of a line that count towards its length: not spaces, not
 * punctuation. */
static guint
count_core (const gunichar *chars,
            guint           begin,
            guint           end)
{
  guint n = 0;

  for (guint i = begin; i < end; i++)
    if (chars[i] != ' ' && chars[i] != 0x3000 &&
        !ck_line_breaker_is_closing (chars[i]) && !ck_line_breaker_is_opening (chars[i]))
      n++;

  return n;
}

/* A paragraph's last line holds at least CK_LINE_BREAKER_MIN_LAST_LINE
 * characters besides its punctuation ("险。" alone is a widow): the break
 * before it moves back, one allowed place at a time, so long as the line
 * before keeps more than it gives. */
static void
pull_down_last_line (GArray         *starts,
                     const gunichar *chars,
                     const gboolean *keep,
                     guint           n_chars)
{
  guint *last, prev_start;

  if (starts->len < 2)
    return;

  last = &g_array_index (starts, guint, starts->len - 1);
  prev_start = g_array_index (starts, guint, starts->len - 2);

  while (count_core (chars, *last, n_chars) < CK_LINE_BREAKER_MIN_LAST_LINE)
    {
      guint brk = *last - 1;

      while (brk > prev_start + 1 && !ck_line_breaker_can_break_before (chars, keep, brk))
        brk--;
      if (brk <= prev_start + 1 || !ck_line_breaker_can_break_before (chars, keep, brk) ||
          count_core (chars, prev_start, brk) <= CK_LINE_BREAKER_MIN_LAST_LINE)
        return;
      *last = brk;
    }
}

/**
 * ck_line_breaker_break:
 * @chars: the paragraph
 * @widths: each character's advance, in any unit
 * @keep: (nullable): where %TRUE, no line may start at that index (the
 *   inside of a unit such as "（身份证号码：110…）", which moves as one)
 * @n_chars: how many
 * @first_width: the first line's width (less its indent)
 * @width: every other line's width (less a hanging indent)
 *
 * Returns: (transfer full) (element-type guint): the index at which each
 *   line starts; the first is 0. Spaces at a line's end stay on it (the
 *   caller leaves them out when justifying).
 */
GArray *
ck_line_breaker_break (const gunichar *chars,
                       const double   *widths,
                       const gboolean *keep,
                       guint           n_chars,
                       double          first_width,
                       double          width)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start = 0;

  g_array_append_val (starts, start);

  while (start < n_chars)
    {
      double limit = starts->len == 1 ? first_width : width;
      double used = 0;
      guint end = start;
      guint brk;

      /* Greedy: as many characters as fit; spaces may hang past the edge. */
      while (end < n_chars &&
             (used + widths[end] <= limit + 1e-6 || chars[end] == ' ' || end == start))
        used += widths[end++];

      if (end >= n_chars)
        break;

      /* Step back to a place where a break is allowed. */
      brk = end;
      while (brk > start + 1 && !ck_line_breaker_can_break_before (chars, keep, brk))
        brk--;

      /* No allowed break on this line (a unit wider than a line): break
       * where punctuation allows, else where the line is full. */
      if (brk == start + 1 && !ck_line_breaker_can_break_before (chars, keep, brk))
        {
          brk = end;
          while (brk > start + 1 && !ck_line_breaker_can_break_before (chars, NULL, brk))
            brk--;
          if (brk == start + 1 && !ck_line_breaker_can_break_before (chars, NULL, brk))
            brk = end;
        }

      start = brk;
      g_array_append_val (starts, start);
    }

  pull_down_last_line (starts, chars, keep, n_chars);

  return starts;
}
