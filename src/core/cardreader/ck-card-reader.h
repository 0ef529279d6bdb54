/* ck-card-reader.h
 *
 * A second-generation ID card reader (二代证阅读器) on a serial line,
 * speaking the SAM frame protocol of GA 467.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-id-card.h"

G_BEGIN_DECLS

#define CK_TYPE_CARD_READER (ck_card_reader_get_type ())
#define CK_CARD_READER_ERROR (ck_card_reader_error_quark ())
#define CK_TYPE_CARD_READER_STATE (ck_card_reader_state_get_type ())

/**
 * CkCardReaderError:
 * @CK_CARD_READER_ERROR_DEVICE_MISSING: no such device (unplugged?)
 * @CK_CARD_READER_ERROR_DEVICE_BUSY: another program has the device open
 * @CK_CARD_READER_ERROR_PERMISSION: the kiosk user may not open the device
 * @CK_CARD_READER_ERROR_DEVICE: any other failure to open or set up the line
 * @CK_CARD_READER_ERROR_NOT_ANSWERING: no (complete) answer within the timeout
 * @CK_CARD_READER_ERROR_CLOSED: the device went away in the middle of a read
 * @CK_CARD_READER_ERROR_CHECKSUM: a frame's checksum is wrong (either way:
 *   ours as the reader saw it, SW3 10/24, or the reader's as we saw it)
 * @CK_CARD_READER_ERROR_NO_CARD: no card on the reader (SW3 80)
 * @CK_CARD_READER_ERROR_SELECT_FAILED: the card could not be selected (SW3 81)
 * @CK_CARD_READER_ERROR_CARD_REMOVED: the read failed, the card was
 *   probably taken away during it (SW3 41)
 * @CK_CARD_READER_ERROR_AUTHENTICATION: the card and the reader's SAM did
 *   not authenticate each other (SW3 31, 32, 33)
 * @CK_CARD_READER_ERROR_SAM: the SAM failed its self-check or is not
 *   authorised (SW3 60, 66)
 * @CK_CARD_READER_ERROR_READER: any other status ("reader error NN")
 * @CK_CARD_READER_ERROR_PROTOCOL: an answer that makes no sense (wrong
 *   length, unexpected data)
 *
 * Why a reader could not read a card. Every message is translated and
 * says what to do.
 */
typedef enum
{
  CK_CARD_READER_ERROR_DEVICE_MISSING,
  CK_CARD_READER_ERROR_DEVICE_BUSY,
  CK_CARD_READER_ERROR_PERMISSION,
  CK_CARD_READER_ERROR_DEVICE,
  CK_CARD_READER_ERROR_NOT_ANSWERING,
  CK_CARD_READER_ERROR_CLOSED,
  CK_CARD_READER_ERROR_CHECKSUM,
  CK_CARD_READER_ERROR_NO_CARD,
  CK_CARD_READER_ERROR_SELECT_FAILED,
  CK_CARD_READER_ERROR_CARD_REMOVED,
  CK_CARD_READER_ERROR_AUTHENTICATION,
  CK_CARD_READER_ERROR_SAM,
  CK_CARD_READER_ERROR_READER,
  CK_CARD_READER_ERROR_PROTOCOL,
} CkCardReaderError;

/**
 * CkCardReaderState:
 * @CK_CARD_READER_STATE_STOPPED: not polling
 * @CK_CARD_READER_STATE_WAITING: polling; the reader answers, no card on it
 * @CK_CARD_READER_STATE_READING: a card was found and is being read
 * @CK_CARD_READER_STATE_FAILED: polling, but the last attempt failed for a
 *   reason other than "no card" (see ck_card_reader_get_last_error()); the
 *   poll goes on and the state returns to WAITING when the reader answers
 *
 * What a polling reader is doing, for the kiosk's page and the staff window.
 */
typedef enum
{
  CK_CARD_READER_STATE_STOPPED,
  CK_CARD_READER_STATE_WAITING,
  CK_CARD_READER_STATE_READING,
  CK_CARD_READER_STATE_FAILED,
} CkCardReaderState;

#define CK_CARD_READER_DEFAULT_BAUD 115200

G_DECLARE_FINAL_TYPE (CkCardReader, ck_card_reader, CK, CARD_READER, GObject)

GQuark             ck_card_reader_error_quark        (void);
GType              ck_card_reader_state_get_type     (void) G_GNUC_CONST;

/* 9600, 19200, 38400, 57600, 115200 or 230400 (the configuration checks
 * [card_reader] baud with it) */
gboolean           ck_card_reader_is_supported_baud  (guint                 baud);

CkCardReader      *ck_card_reader_new                (const char           *device,
                                                      guint                 baud);
const char        *ck_card_reader_get_device         (CkCardReader         *self);

/* Timeout for one answer (default 1,000 ms); tests shorten it. */
void               ck_card_reader_set_timeout        (CkCardReader         *self,
                                                      guint                 timeout_ms);

/* One whole read: open if needed, status → find → select → read text and
 * photo (the photo dropped at once). The card is decoded but not checked:
 * call ck_id_card_check(). Never blocks the thread's main context. */
void               ck_card_reader_read_async         (CkCardReader         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CkIdCard          *ck_card_reader_read_finish        (CkCardReader         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Reader status (11 FF) then SAM id (12 FF), as "05.01-20101010-0012345678-1234567890"-like text */
void               ck_card_reader_status_async       (CkCardReader         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char              *ck_card_reader_status_finish      (CkCardReader         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Polling, about once every @interval_ms: emits ::card-read (CkIdCard *,
 * decoded, not checked) once per card placed (not again until the card
 * has been taken away: find answers 80), ::notify::state as it goes.
 * A poll under way holds a reference: stop before dropping the reader. */
void               ck_card_reader_start              (CkCardReader         *self,
                                                      guint                 interval_ms);
void               ck_card_reader_stop               (CkCardReader         *self);
CkCardReaderState  ck_card_reader_get_state          (CkCardReader         *self);
/* the translated message of the last failure, or NULL */
const char        *ck_card_reader_get_last_error     (CkCardReader         *self);
const GError      *ck_card_reader_get_error          (CkCardReader         *self);

G_END_DECLS
