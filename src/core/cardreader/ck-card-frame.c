/* ck-card-frame.c
 *
 * Frames of the SAM protocol (GA 467): built with their checksum, found in
 * a byte stream that may hold garbage, split frames or several at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-card-reader"

#include "config.h"

#include <string.h>

#include "ck-card-frame-private.h"

const guint8 ck_card_frame_preamble[CK_CARD_FRAME_PREAMBLE_LENGTH] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

/**
 * ck_card_frame_checksum:
 *
 * Returns: the XOR of @len bytes
 */
guint8
ck_card_frame_checksum (const guint8 *bytes,
                        gsize         len)
{
  guint8 sum = 0;

  for (gsize i = 0; i < len; i++)
    sum ^= bytes[i];

  return sum;
}

/**
 * ck_card_frame_build:
 * @payload: the command or status bytes and the data
 *
 * Returns: (transfer full): the preamble, the length, @payload and the
 *   checksum of everything after the preamble
 */
GBytes *
ck_card_frame_build (const guint8 *payload,
                     gsize         len)
{
  gsize length = len + 1;
  guint8 *frame;

  g_return_val_if_fail (length <= CK_CARD_FRAME_MAX_LENGTH, NULL);

  frame = g_malloc (CK_CARD_FRAME_HEADER_LENGTH + length);
  memcpy (frame, ck_card_frame_preamble, CK_CARD_FRAME_PREAMBLE_LENGTH);
  frame[5] = (guint8)(length >> 8);
  frame[6] = (guint8)(length & 0xFF);
  if (len)
    memcpy (frame + CK_CARD_FRAME_HEADER_LENGTH, payload, len);
  frame[CK_CARD_FRAME_HEADER_LENGTH + len] =
    ck_card_frame_checksum (frame + CK_CARD_FRAME_PREAMBLE_LENGTH, 2 + len);

  return g_bytes_new_take (frame, CK_CARD_FRAME_HEADER_LENGTH + length);
}

static GBytes *
build_with_head (const guint8 *head,
                 gsize         head_len,
                 const guint8 *data,
                 gsize         len)
{
  g_autofree guint8 *payload = g_malloc (head_len + len);
  GBytes *frame;

  memcpy (payload, head, head_len);
  if (len)
    memcpy (payload + head_len, data, len);
  frame = ck_card_frame_build (payload, head_len + len);
  memset (payload, 0, head_len + len);

  return frame;
}

/**
 * ck_card_frame_build_request:
 *
 * Returns: (transfer full): the frame of command @cmd @para with @data
 */
GBytes *
ck_card_frame_build_request (guint8        cmd,
                             guint8        para,
                             const guint8 *data,
                             gsize         len)
{
  const guint8 head[] = { cmd, para };

  return build_with_head (head, sizeof head, data, len);
}

/**
 * ck_card_frame_build_answer:
 *
 * Returns: (transfer full): a reader's answer, SW1 SW2 00 00 then @sw3
 *   and @data (for the simulator and the tests)
 */
GBytes *
ck_card_frame_build_answer (guint8        sw3,
                            const guint8 *data,
                            gsize         len)
{
  const guint8 head[] = { 0x00, 0x00, sw3 };

  return build_with_head (head, sizeof head, data, len);
}

void
ck_card_frame_clear (CkCardFrame *frame)
{
  if (frame->payload)
    memset (frame->payload, 0, frame->len);
  g_clear_pointer (&frame->payload, g_free);
  frame->len = 0;
}

/* A fixed buffer, never reallocated, so that no copy of a card's text or
 * photo is left behind in freed memory: wiped as it is consumed. */
#define PARSER_CAPACITY (4 * (CK_CARD_FRAME_HEADER_LENGTH + CK_CARD_FRAME_MAX_LENGTH))

struct _CkCardFrameParser
{
  gsize len;
  guint8 data[PARSER_CAPACITY];
};

CkCardFrameParser *
ck_card_frame_parser_new (void)
{
  return g_new0 (CkCardFrameParser, 1);
}

/* Drops the first @n bytes and wipes what is no longer in use. */
static void
drop (CkCardFrameParser *self,
      gsize              n)
{
  n = MIN (n, self->len);
  if (n == 0)
    return;
  memmove (self->data, self->data + n, self->len - n);
  memset (self->data + self->len - n, 0, n);
  self->len -= n;
}

void
ck_card_frame_parser_reset (CkCardFrameParser *self)
{
  drop (self, self->len);
}

void
ck_card_frame_parser_free (CkCardFrameParser *self)
{
  if (self == NULL)
    return;
  ck_card_frame_parser_reset (self);
  g_free (self);
}

/**
 * ck_card_frame_parser_push:
 *
 * Adds bytes read from the line. Pull the frames out with
 * ck_card_frame_parser_next() after each push: should the buffer fill up
 * (16 KiB without a frame), its oldest bytes are dropped.
 */
void
ck_card_frame_parser_push (CkCardFrameParser *self,
                           const guint8      *bytes,
                           gsize              len)
{
  if (len > PARSER_CAPACITY)
    {
      bytes += len - PARSER_CAPACITY;
      len = PARSER_CAPACITY;
    }
  if (self->len + len > PARSER_CAPACITY)
    drop (self, self->len + len - PARSER_CAPACITY);
  memcpy (self->data + self->len, bytes, len);
  self->len += len;
}

gsize
ck_card_frame_parser_get_pending (CkCardFrameParser *self)
{
  return self->len;
}

/* Where the preamble starts in the buffer, or where a partial preamble at
 * its end starts, or its length. */
static gsize
find_preamble (CkCardFrameParser *self,
               gboolean          *whole)
{
  const guint8 *b = self->data;
  gsize len = self->len;

  for (gsize i = 0; i < len; i++)
    {
      gsize n = MIN (CK_CARD_FRAME_PREAMBLE_LENGTH, len - i);

      if (memcmp (b + i, ck_card_frame_preamble, n) == 0)
        {
          *whole = n == CK_CARD_FRAME_PREAMBLE_LENGTH;
          return i;
        }
    }

  *whole = FALSE;
  return len;
}

/**
 * ck_card_frame_parser_next:
 * @frame: (out caller-allocates): the frame found, to be cleared with
 *   ck_card_frame_clear()
 *
 * Looks for the next whole frame in what was pushed: bytes before a
 * preamble are dropped, and so is a preamble whose length cannot be (the
 * search goes on after it).
 */
CkCardFrameResult
ck_card_frame_parser_next (CkCardFrameParser *self,
                           CkCardFrame       *frame)
{
  memset (frame, 0, sizeof *frame);

  for (;;)
    {
      gboolean whole;
      gsize start = find_preamble (self, &whole);
      gsize length;
      const guint8 *b;

      drop (self, start);
      if (!whole || self->len < CK_CARD_FRAME_HEADER_LENGTH)
        return CK_CARD_FRAME_NEED_MORE;

      b = self->data;
      length = ((gsize)b[5] << 8) | b[6];
      if (length < 1 || length > CK_CARD_FRAME_MAX_LENGTH)
        {
          /* not a frame after all: look past this preamble's first byte */
          drop (self, 1);
          continue;
        }
      if (self->len < CK_CARD_FRAME_HEADER_LENGTH + length)
        return CK_CARD_FRAME_NEED_MORE;

      if (ck_card_frame_checksum (b + CK_CARD_FRAME_PREAMBLE_LENGTH, 2 + length - 1) !=
          b[CK_CARD_FRAME_HEADER_LENGTH + length - 1])
        {
          drop (self, CK_CARD_FRAME_HEADER_LENGTH + length);
          return CK_CARD_FRAME_BAD_CHECKSUM;
        }

      frame->len = length - 1;
      frame->payload = g_memdup2 (b + CK_CARD_FRAME_HEADER_LENGTH, frame->len ? frame->len : 1);
      drop (self, CK_CARD_FRAME_HEADER_LENGTH + length);
      return CK_CARD_FRAME_OK;
    }
}
