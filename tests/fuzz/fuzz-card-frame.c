/* fuzz-card-frame.c: libFuzzer target for the ID card reader's frame
 * parser and the card's text block
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The input is a stream from the serial line, pushed into the parser in
 * pieces whose sizes come from its first byte. Every frame found has its
 * checksum right and is rebuilt byte for byte; whatever the parser keeps
 * stays under its bound. A frame long enough to hold a read's answer has
 * its text block decoded: either a CK_ID_CARD_ERROR with a message, or a
 * card whose fields are valid UTF-8 and which encodes back to a block that
 * decodes to the same card. */

#include "config.h"

#include <string.h>

#include "ck.h"
#include "ck-card-frame-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_card (const guint8 *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = ck_id_card_decode (text, CK_ID_CARD_TEXT_LENGTH, &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(CkIdCard) card2 = NULL;
  GDate today;

  if (card == NULL)
    {
      g_assert_true (error != NULL && error->domain == CK_ID_CARD_ERROR);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return;
    }

  g_assert_true (g_utf8_validate (ck_id_card_get_name (card), -1, NULL));
  g_assert_true (g_utf8_validate (ck_id_card_get_address (card), -1, NULL));
  g_assert_cmpuint (strlen (ck_id_card_get_birth_date (card)), ==, 8);
  ck_id_card_get_nation_name (card);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 8, 12, 2026);
  if (!ck_id_card_check (card, &today, &error))
    g_assert_true (error != NULL && error->domain == CK_ID_CARD_ERROR);
  g_clear_error (&error);

  /* Fields with NULs inside or characters beyond the BMP do not encode back. */
  again = ck_id_card_encode (ck_id_card_get_name (card), ck_id_card_get_sex_code (card),
                             ck_id_card_get_nation_code (card), ck_id_card_get_birth_date (card),
                             ck_id_card_get_address (card), ck_id_card_get_number (card),
                             ck_id_card_get_authority (card), ck_id_card_get_valid_from (card),
                             ck_id_card_get_valid_to (card));
  if (again == NULL)
    return;
  card2 = ck_id_card_decode (g_bytes_get_data (again, NULL), CK_ID_CARD_TEXT_LENGTH, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_id_card_get_name (card2), ==, ck_id_card_get_name (card));
  g_assert_cmpstr (ck_id_card_get_number (card2), ==, ck_id_card_get_number (card));
  g_assert_cmpstr (ck_id_card_get_valid_to (card2), ==, ck_id_card_get_valid_to (card));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(CkCardFrameParser) parser = ck_card_frame_parser_new ();
  gsize piece, at;

  if (size == 0)
    return 0;
  piece = 1 + data[0] % 64;
  data++;
  size--;

  for (at = 0; at < size; at += piece)
    {
      ck_card_frame_parser_push (parser, data + at, MIN (piece, size - at));
      for (;;)
        {
          g_auto(CkCardFrame) frame = { NULL, 0 };
          CkCardFrameResult result = ck_card_frame_parser_next (parser, &frame);
          g_autoptr(GBytes) rebuilt = NULL;

          if (result == CK_CARD_FRAME_NEED_MORE)
            break;
          if (result == CK_CARD_FRAME_BAD_CHECKSUM)
            continue;
          rebuilt = ck_card_frame_build (frame.payload, frame.len);
          g_assert_nonnull (rebuilt);
          g_assert_cmpuint (g_bytes_get_size (rebuilt), ==, CK_CARD_FRAME_HEADER_LENGTH + frame.len + 1);
          if (frame.len >= 3 + 4 + CK_ID_CARD_TEXT_LENGTH)
            check_card (frame.payload + 3 + 4);
        }
      g_assert_cmpuint (ck_card_frame_parser_get_pending (parser), <=,
                        4 * (CK_CARD_FRAME_HEADER_LENGTH + CK_CARD_FRAME_MAX_LENGTH));
    }

  return 0;
}
