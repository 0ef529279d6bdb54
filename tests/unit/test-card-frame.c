/* test-card-frame.c: GA 467 frames, built and found byte by byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ck-card-frame-private.h"

/* The find-card request every vendor's manual prints. */
static void
test_build_request (void)
{
  static const guint8 find[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22 };
  static const guint8 status[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x11, 0xFF, 0xED };
  static const guint8 read[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32 };
  g_autoptr(GBytes) f = ck_card_frame_build_request (CK_CARD_CMD_FIND, NULL, 0);
  g_autoptr(GBytes) s = ck_card_frame_build_request (CK_CARD_CMD_STATUS, NULL, 0);
  g_autoptr(GBytes) r = ck_card_frame_build_request (CK_CARD_CMD_READ, NULL, 0);
  g_autoptr(GBytes) expected_f = g_bytes_new_static (find, sizeof find);
  g_autoptr(GBytes) expected_s = g_bytes_new_static (status, sizeof status);
  g_autoptr(GBytes) expected_r = g_bytes_new_static (read, sizeof read);

  g_assert_true (g_bytes_equal (f, expected_f));
  g_assert_true (g_bytes_equal (s, expected_s));
  g_assert_true (g_bytes_equal (r, expected_r));
}

/* The "card found" answer: AA AA AA 96 69 00 04 00 00 9F 9B. */
static void
test_build_answer (void)
{
  static const guint8 found[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x9F, 0x9B };
  g_autoptr(GBytes) a = ck_card_frame_build_answer (CK_CARD_SW3_CARD_FOUND, NULL, 0);
  g_autoptr(GBytes) expected = g_bytes_new_static (found, sizeof found);
  guint8 data[300];
  g_autoptr(GBytes) big = NULL;
  const guint8 *b;
  gsize len;

  g_assert_true (g_bytes_equal (a, expected));

  for (guint i = 0; i < sizeof data; i++)
    data[i] = i;
  big = ck_card_frame_build_answer (CK_CARD_SW3_OK, data, sizeof data);
  b = g_bytes_get_data (big, &len);
  g_assert_cmpuint (len, ==, 7 + 3 + sizeof data + 1);
  g_assert_cmpuint ((b[5] << 8) | b[6], ==, 3 + sizeof data + 1);
  g_assert_cmpuint (b[len - 1], ==, ck_card_frame_checksum (b + 5, len - 6));
}

static CkCardFrameResult
next (CkCardFrameParser *parser,
      guint8            *sw3,
      gsize             *data_len)
{
  g_auto(CkCardFrame) frame = { NULL, 0 };
  CkCardFrameResult result = ck_card_frame_parser_next (parser, &frame);

  if (result == CK_CARD_FRAME_OK)
    {
      g_assert_cmpuint (frame.len, >=, 3);
      *sw3 = frame.payload[2];
      *data_len = frame.len - 3;
    }
  return result;
}

/* Fed one byte at a time, a frame appears with its last byte, not before. */
static void
test_parse_byte_by_byte (void)
{
  g_autoptr(CkCardFrameParser) parser = ck_card_frame_parser_new ();
  guint8 data[1284];
  g_autoptr(GBytes) frame = NULL;
  const guint8 *b;
  gsize len, data_len = 0;
  guint8 sw3 = 0;

  memset (data, 0x69, sizeof data);  /* bytes of the preamble inside the data */
  data[0] = 0xAA;
  frame = ck_card_frame_build_answer (CK_CARD_SW3_OK, data, sizeof data);
  b = g_bytes_get_data (frame, &len);

  for (gsize i = 0; i < len; i++)
    {
      ck_card_frame_parser_push (parser, b + i, 1);
      if (i + 1 < len)
        g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);
    }
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_OK);
  g_assert_cmpuint (sw3, ==, 0x90);
  g_assert_cmpuint (data_len, ==, sizeof data);
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);
  g_assert_cmpuint (ck_card_frame_parser_get_pending (parser), ==, 0);
}

/* Garbage before the preamble, a partial preamble, a preamble with an
 * impossible length: all skipped; two frames in one read both found. */
static void
test_parse_resync (void)
{
  static const guint8 garbage[] = {
    0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96,           /* a partial preamble */
    0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF,     /* a preamble and an impossible length */
    0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x00,     /* and a length of 0 */
  };
  g_autoptr(CkCardFrameParser) parser = ck_card_frame_parser_new ();
  g_autoptr(GBytes) a = ck_card_frame_build_answer (CK_CARD_SW3_CARD_FOUND, NULL, 0);
  g_autoptr(GBytes) b = ck_card_frame_build_answer (CK_CARD_SW3_NO_CARD, NULL, 0);
  gsize data_len = 0;
  guint8 sw3 = 0;

  ck_card_frame_parser_push (parser, garbage, sizeof garbage);
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);
  ck_card_frame_parser_push (parser, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  ck_card_frame_parser_push (parser, garbage, 3);
  ck_card_frame_parser_push (parser, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_OK);
  g_assert_cmpuint (sw3, ==, 0x9F);
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_OK);
  g_assert_cmpuint (sw3, ==, 0x80);
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);

  /* A stream of garbage with no preamble is not kept (bar a possible
   * preamble's start at its end). */
  for (guint i = 0; i < 100; i++)
    ck_card_frame_parser_push (parser, (const guint8 *)"garbage!", 8);
  g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);
  g_assert_cmpuint (ck_card_frame_parser_get_pending (parser), <, 5);
}

/* A flipped bit anywhere after the preamble is a bad checksum, and the
 * frame after it is still found. */
static void
test_parse_bad_checksum (void)
{
  g_autoptr(GBytes) a = ck_card_frame_build_answer (CK_CARD_SW3_OK, (const guint8 *)"0123456789", 10);
  g_autoptr(GBytes) ok = ck_card_frame_build_answer (CK_CARD_SW3_NO_CARD, NULL, 0);
  gsize len = g_bytes_get_size (a);

  for (gsize i = 7; i < len; i++)
    {
      g_autoptr(CkCardFrameParser) parser = ck_card_frame_parser_new ();
      g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (a, NULL), len);
      gsize data_len = 0;
      guint8 sw3 = 0;

      bad[i] ^= 0x04;
      ck_card_frame_parser_push (parser, bad, len);
      ck_card_frame_parser_push (parser, g_bytes_get_data (ok, NULL), g_bytes_get_size (ok));
      g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_BAD_CHECKSUM);
      g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_OK);
      g_assert_cmpuint (sw3, ==, 0x80);
    }
}

/* A frame split at every possible place, in two pushes. */
static void
test_parse_split (void)
{
  g_autoptr(GBytes) a = ck_card_frame_build_answer (CK_CARD_SW3_OK, (const guint8 *)"abcdefgh", 8);
  const guint8 *b;
  gsize len;

  b = g_bytes_get_data (a, &len);
  for (gsize cut = 1; cut < len; cut++)
    {
      g_autoptr(CkCardFrameParser) parser = ck_card_frame_parser_new ();
      gsize data_len = 0;
      guint8 sw3 = 0;

      ck_card_frame_parser_push (parser, b, cut);
      g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_NEED_MORE);
      ck_card_frame_parser_push (parser, b + cut, len - cut);
      g_assert_cmpint (next (parser, &sw3, &data_len), ==, CK_CARD_FRAME_OK);
      g_assert_cmpuint (data_len, ==, 8);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/card-frame/build-request", test_build_request);
  g_test_add_func ("/card-frame/build-answer", test_build_answer);
  g_test_add_func ("/card-frame/parse-byte-by-byte", test_parse_byte_by_byte);
  g_test_add_func ("/card-frame/parse-resync", test_parse_resync);
  g_test_add_func ("/card-frame/parse-bad-checksum", test_parse_bad_checksum);
  g_test_add_func ("/card-frame/parse-split", test_parse_split);

  return g_test_run ();
}
