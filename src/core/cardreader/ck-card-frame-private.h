/* ck-card-frame-private.h
 *
 * Frames of the SAM protocol (GA 467) spoken by second-generation ID card
 * readers: building them, and finding them in a stream of bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* AA AA AA 96 69, then the length (2 bytes, big-endian, counting what
 * follows it: the command or status bytes, the data and the checksum). */
#define CK_CARD_FRAME_PREAMBLE_LENGTH 5
#define CK_CARD_FRAME_HEADER_LENGTH   (CK_CARD_FRAME_PREAMBLE_LENGTH + 2)
/* The longest frame we accept: text, photo and fingerprint answers fit. */
#define CK_CARD_FRAME_MAX_LENGTH      4096

extern const guint8 ck_card_frame_preamble[CK_CARD_FRAME_PREAMBLE_LENGTH];

/* Status codes (SW3) of the reader's answers. */
enum
{
  CK_CARD_SW3_OK              = 0x90,
  CK_CARD_SW3_CARD_FOUND      = 0x9F,
  CK_CARD_SW3_CHECKSUM        = 0x10,
  CK_CARD_SW3_LENGTH          = 0x11,
  CK_CARD_SW3_UNKNOWN_COMMAND = 0x21,
  CK_CARD_SW3_OUT_OF_RANGE    = 0x23,
  CK_CARD_SW3_CARD_CHECKSUM   = 0x24,
  CK_CARD_SW3_AUTH_1          = 0x31,
  CK_CARD_SW3_AUTH_2          = 0x32,
  CK_CARD_SW3_AUTH_3          = 0x33,
  CK_CARD_SW3_UNKNOWN_ERROR   = 0x40,
  CK_CARD_SW3_READ_FAILED     = 0x41,
  CK_CARD_SW3_SAM_SELF_CHECK  = 0x60,
  CK_CARD_SW3_SAM_UNAUTHORISED = 0x66,
  CK_CARD_SW3_NO_CARD         = 0x80,
  CK_CARD_SW3_SELECT_FAILED   = 0x81,
  CK_CARD_SW3_NO_CONTENT      = 0x91,
};

/* Commands (CMD, PARA). */
#define CK_CARD_CMD_STATUS      0x11, 0xFF
#define CK_CARD_CMD_SAM_ID      0x12, 0xFF
#define CK_CARD_CMD_FIND        0x20, 0x01
#define CK_CARD_CMD_SELECT      0x20, 0x02
#define CK_CARD_CMD_READ        0x30, 0x01

guint8  ck_card_frame_checksum      (const guint8 *bytes,
                                     gsize         len);
/* A whole frame around @payload (CMD PARA data, or SW1 SW2 SW3 data). */
GBytes *ck_card_frame_build         (const guint8 *payload,
                                     gsize         len);
GBytes *ck_card_frame_build_request (guint8        cmd,
                                     guint8        para,
                                     const guint8 *data,
                                     gsize         len);
GBytes *ck_card_frame_build_answer  (guint8        sw3,
                                     const guint8 *data,
                                     gsize         len);

/* One frame found in the stream: its payload, between the length and the
 * checksum. ck_card_frame_clear() wipes it (a card's text is in it). */
typedef struct
{
  guint8 *payload;
  gsize   len;
} CkCardFrame;

void    ck_card_frame_clear         (CkCardFrame  *frame);

typedef enum
{
  CK_CARD_FRAME_NEED_MORE,     /* no whole frame yet */
  CK_CARD_FRAME_OK,            /* @frame holds one */
  CK_CARD_FRAME_BAD_CHECKSUM,  /* a whole frame whose checksum is wrong: dropped */
} CkCardFrameResult;

typedef struct _CkCardFrameParser CkCardFrameParser;

CkCardFrameParser *ck_card_frame_parser_new   (void);
void               ck_card_frame_parser_free  (CkCardFrameParser *self);
void               ck_card_frame_parser_reset (CkCardFrameParser *self);
void               ck_card_frame_parser_push  (CkCardFrameParser *self,
                                               const guint8      *bytes,
                                               gsize              len);
CkCardFrameResult  ck_card_frame_parser_next  (CkCardFrameParser *self,
                                               CkCardFrame       *frame);
/* How many bytes wait in the parser (garbage dropped as it goes). */
gsize              ck_card_frame_parser_get_pending (CkCardFrameParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkCardFrameParser, ck_card_frame_parser_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkCardFrame, ck_card_frame_clear)

G_END_DECLS
