/* bench-util.c: what the benchmarks share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-util.h"
#include "ck.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Prints the median and the @percentile-th percentile of @ms (sorted in
 * place), as a line for people and a JSON line for tools. */
void
bench_report (const char *label,
              GArray     *ms,
              guint       percentile)
{
  double median, high;

  g_array_sort (ms, compare_doubles);
  median = g_array_index (ms, double, ms->len / 2);
  high = g_array_index (ms, double, MIN (ms->len - 1, (guint)(ms->len * (percentile / 100.0))));
  g_print ("%-28s %8u runs   median %8.3f ms   p%u %8.3f ms\n", label, ms->len, median, percentile, high);
  g_print ("{\"bench\":\"%s\",\"runs\":%u,\"median_ms\":%.3f,\"p%u_ms\":%.3f}\n",
           label, ms->len, median, percentile, high);
}

static const char *surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
static const char *given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣瑶梓涵子轩一诺依晨雨欣";

/* A common surname and one or two given-name characters. */
char *
bench_random_name (GRand *rand)
{
  glong ns = g_utf8_strlen (surnames, -1), ng = g_utf8_strlen (given, -1);
  GString *name = g_string_new (NULL);
  guint n_given = g_rand_int_range (rand, 1, 3);

  g_string_append_unichar (name, g_utf8_get_char (g_utf8_offset_to_pointer (surnames, g_rand_int_range (rand, 0, ns))));
  for (guint i = 0; i < n_given; i++)
    g_string_append_unichar (name, g_utf8_get_char (g_utf8_offset_to_pointer (given, g_rand_int_range (rand, 0, ng))));

  return g_string_free (name, FALSE);
}

/* A resident ID number with a valid check character. */
char *
bench_random_id (GRand *rand)
{
  static const guint codes[] = { 11, 31, 32, 33, 44, 51, 65 };
  char first17[18];

  g_snprintf (first17, sizeof first17, "%02u%04u%04u%02u%02u%03u",
              codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (codes))],
              (guint)g_rand_int_range (rand, 100, 10000),
              (guint)g_rand_int_range (rand, 1940, 2005),
              (guint)g_rand_int_range (rand, 1, 13),
              (guint)g_rand_int_range (rand, 1, 29),
              (guint)g_rand_int_range (rand, 0, 1000));

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}
