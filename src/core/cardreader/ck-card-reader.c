/* ck-card-reader.c
 *
 * A second-generation ID card reader on a serial line (GA 467's SAM frame
 * protocol): the device opened raw and exclusively, the exchange status →
 * find → select → read run on the main context of the thread that made
 * the reader, a GSource on the descriptor and a timeout a request, never
 * blocking; polling for the kiosk.
 *
 * Nothing here logs a card's contents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-card-reader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ck-card-frame-private.h"
#include "ck-card-reader.h"

#define DEFAULT_TIMEOUT_MS 1000
/* The longest answer: text and photo (30 01). */
#define READ_ANSWER_BYTES (CK_CARD_FRAME_HEADER_LENGTH + 3 + 4 + CK_ID_CARD_TEXT_LENGTH + 1024 + 1)

G_DEFINE_QUARK (ck-card-reader-error-quark, ck_card_reader_error)

GType
ck_card_reader_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { CK_CARD_READER_STATE_STOPPED, "CK_CARD_READER_STATE_STOPPED", "stopped" },
        { CK_CARD_READER_STATE_WAITING, "CK_CARD_READER_STATE_WAITING", "waiting" },
        { CK_CARD_READER_STATE_READING, "CK_CARD_READER_STATE_READING", "reading" },
        { CK_CARD_READER_STATE_FAILED, "CK_CARD_READER_STATE_FAILED", "failed" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("CkCardReaderState"), values));
    }

  return type;
}

typedef enum
{
  STEP_STATUS,
  STEP_SAM_ID,
  STEP_FIND,
  STEP_SELECT,
  STEP_READ,
  STEP_DONE,
} Step;

static const Step read_steps[] = { STEP_STATUS, STEP_FIND, STEP_SELECT, STEP_READ, STEP_DONE };
static const Step status_steps[] = { STEP_STATUS, STEP_SAM_ID, STEP_DONE };

typedef struct
{
  const Step *steps;
  guint step;
  gboolean poll;            /* started by the poll */
  gboolean skip_if_found;   /* poll: the card on the reader was read already */
  GSource *cancel_source;
} Op;

struct _CkCardReader
{
  GObject parent_instance;

  char *device;
  guint baud;
  guint timeout_ms;
  GMainContext *context;

  int fd;
  GSource *fd_source;
  CkCardFrameParser *parser;

  GQueue waiting;          /* GTasks not started yet */
  GTask *task;             /* the one running */
  GSource *timeout_source;

  guint interval_ms;
  gboolean polling;
  gboolean card_reported;
  GCancellable *poll_cancellable;
  GSource *poll_source;
  CkCardReaderState state;
  GError *error;                /* the last failure's, ck_card_reader_get_error () */
};

G_DEFINE_FINAL_TYPE (CkCardReader, ck_card_reader, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CARD_READ,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_next (CkCardReader *self);
static void send_step (CkCardReader *self);

static void
op_free (Op *op)
{
  if (op->cancel_source)
    {
      g_source_destroy (op->cancel_source);
      g_source_unref (op->cancel_source);
    }
  g_free (op);
}

/* --- the device ------------------------------------------------------------------------- */

static const struct {
  guint baud;
  speed_t speed;
} bauds[] = {
  { 9600, B9600 },
  { 19200, B19200 },
  { 38400, B38400 },
  { 57600, B57600 },
  { 115200, B115200 },
  { 230400, B230400 },
};

/**
 * ck_card_reader_is_supported_baud:
 *
 * Returns: whether a reader can be driven at @baud (9600, 19200, 38400,
 *   57600, 115200 or 230400)
 */
gboolean
ck_card_reader_is_supported_baud (guint baud)
{
  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i].baud == baud)
      return TRUE;
  return FALSE;
}

static void
close_device (CkCardReader *self)
{
  if (self->fd_source)
    {
      g_source_destroy (self->fd_source);
      g_clear_pointer (&self->fd_source, g_source_unref);
    }
  if (self->fd >= 0)
    {
      /* The exclusive mode stays on the terminal, not on this descriptor. */
      ioctl (self->fd, TIOCNXCL);
      close (self->fd);
      self->fd = -1;
    }
  ck_card_frame_parser_reset (self->parser);
}

static void
set_open_error (CkCardReader  *self,
                int            saved_errno,
                GError       **error)
{
  switch (saved_errno)
    {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_MISSING,
                   _("The ID card reader %s is not there: check that it is plugged in and that "
                     "[card_reader] device names it."), self->device);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_PERMISSION,
                   _("The kiosk user may not open the ID card reader %s: add the user to the "
                     "device's group (“ls -l %s” shows it, usually dialout) and log in again."),
                   self->device, self->device);
      break;
    case EBUSY:
    case EWOULDBLOCK:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_BUSY,
                   _("The ID card reader %s is in use by another program: close it "
                     "(another consentctl card-read, the kiosk, a vendor's tool) and try again."),
                   self->device);
      break;
    default:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE,
                   _("The ID card reader %s could not be set up: %s"), self->device,
                   g_strerror (saved_errno));
      break;
    }
}

static gboolean on_readable (int fd, GIOCondition condition, gpointer user_data);

static gboolean
open_device (CkCardReader  *self,
             GError       **error)
{
  struct termios tio;
  speed_t speed = 0;
  int fd;

  if (self->fd >= 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i].baud == self->baud)
      speed = bauds[i].speed;
  if (speed == 0)
    {
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE,
                   _("The ID card reader cannot be driven at %u baud: use 9600, 19200, 38400, "
                     "57600, 115200 or 230400."), self->baud);
      return FALSE;
    }
  if (self->device == NULL || self->device[0] == '\0')
    {
      g_set_error_literal (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_MISSING,
                           _("No ID card reader is configured ([card_reader] device)."));
      return FALSE;
    }

  fd = open (self->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      set_open_error (self, errno, error);
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      int saved_errno = errno;

      close (fd);
      set_open_error (self, saved_errno == EWOULDBLOCK ? EBUSY : saved_errno, error);
      return FALSE;
    }
  if (tcgetattr (fd, &tio) < 0 || ioctl (fd, TIOCEXCL) < 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == ENOTTY || saved_errno == EINVAL)
        g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE,
                     _("%s is not a serial line: [card_reader] device must name the reader's "
                       "/dev/ttyUSB…, /dev/ttyACM… or /dev/ttyS…."), self->device);
      else
        set_open_error (self, saved_errno, error);
      return FALSE;
    }

  cfmakeraw (&tio);
  tio.c_cflag &= ~(PARENB | CSTOPB | CSIZE | CRTSCTS);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_cc[VMIN] = 1;  /* with 0, an empty line reads as 0 bytes, not EAGAIN */
  tio.c_cc[VTIME] = 0;
  if (cfsetispeed (&tio, speed) < 0 || cfsetospeed (&tio, speed) < 0 ||
      tcsetattr (fd, TCSANOW, &tio) < 0)
    {
      int saved_errno = errno;

      ioctl (fd, TIOCNXCL);
      close (fd);
      set_open_error (self, saved_errno, error);
      return FALSE;
    }
  tcflush (fd, TCIOFLUSH);

  self->fd = fd;
  self->fd_source = g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->fd_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_set_static_name (self->fd_source, "[ck] card reader");
  g_source_attach (self->fd_source, self->context);
  ck_card_frame_parser_reset (self->parser);

  return TRUE;
}

/* --- answers and errors ----------------------------------------------------------------- */

static void
set_status_error (GError **error,
                  guint8   sw3)
{
  switch (sw3)
    {
    case CK_CARD_SW3_NO_CARD:
      g_set_error_literal (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_NO_CARD,
                           _("No ID card on the reader: place the card on it."));
      break;
    case CK_CARD_SW3_SELECT_FAILED:
      g_set_error_literal (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_SELECT_FAILED,
                           _("The ID card could not be selected: lay it flat on the reader and "
                             "hold it still."));
      break;
    case CK_CARD_SW3_READ_FAILED:
      g_set_error_literal (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CARD_REMOVED,
                           _("The ID card was taken away before it was read: place it again and "
                             "hold it still."));
      break;
    case CK_CARD_SW3_AUTH_1:
    case CK_CARD_SW3_AUTH_2:
    case CK_CARD_SW3_AUTH_3:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_AUTHENTICATION,
                   _("The ID card and the reader did not authenticate each other (status 0x%02X): "
                     "the card may be damaged or not genuine. Enter the details by hand."), sw3);
      break;
    case CK_CARD_SW3_CHECKSUM:
    case CK_CARD_SW3_CARD_CHECKSUM:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CHECKSUM,
                   _("The ID card reader reports a checksum error (status 0x%02X): check its "
                     "cable and place the card again."), sw3);
      break;
    case CK_CARD_SW3_SAM_SELF_CHECK:
    case CK_CARD_SW3_SAM_UNAUTHORISED:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_SAM,
                   _("The ID card reader's security module (SAM) failed (status 0x%02X): the "
                     "reader needs service from its vendor."), sw3);
      break;
    default:
      g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_READER,
                   _("ID card reader error 0x%02X: place the card again; if it happens again, "
                     "the reader needs service."), sw3);
      break;
    }
}

static void
set_protocol_error (GError     **error,
                    const char  *what)
{
  g_set_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_PROTOCOL,
               _("The ID card reader's answer makes no sense (%s): check that the device is an "
                 "ID card reader speaking GA 467."), what);
}

static void
clear_timeout (CkCardReader *self)
{
  if (self->timeout_source)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
}

/* Ends the running operation; a failure of the line closes the device so
 * that the next operation opens it again. */
static void
finish (CkCardReader *self,
        GError       *error,
        gpointer      result,
        GDestroyNotify result_free)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_timeout (self);
  if (task == NULL)
    {
      if (error)
        g_error_free (error);
      if (result && result_free)
        result_free (result);
      return;
    }

  if (error && (g_error_matches (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CLOSED) ||
                g_error_matches (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE)))
    close_device (self);
  else
    ck_card_frame_parser_reset (self->parser);

  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, result_free);

  run_next (self);
}

static void
fail (CkCardReader *self,
      GError       *error)
{
  finish (self, error, NULL, NULL);
}

static char *
format_sam_id (const guint8 *b)
{
  /* As the vendors' tools show it: two 16-bit and three 32-bit numbers,
   * little-endian. */
  guint16 a = b[0] | (b[1] << 8), c = b[2] | (b[3] << 8);
  guint32 d = b[4] | (b[5] << 8) | (b[6] << 16) | ((guint32)b[7] << 24);
  guint32 e = b[8] | (b[9] << 8) | (b[10] << 16) | ((guint32)b[11] << 24);
  guint32 f = b[12] | (b[13] << 8) | (b[14] << 16) | ((guint32)b[15] << 24);

  return g_strdup_printf ("%02u.%02u-%08u-%010u-%010u", a, c, d, e, f);
}

static void
handle_answer (CkCardReader *self,
               CkCardFrame  *frame)
{
  Op *op = g_task_get_task_data (self->task);
  Step step = op->steps[op->step];
  GError *error = NULL;
  const guint8 *data;
  gsize len;
  guint8 sw3;

  if (frame->len < 3)
    {
      set_protocol_error (&error, _("an answer shorter than its status"));
      fail (self, error);
      return;
    }
  sw3 = frame->payload[2];
  data = frame->payload + 3;
  len = frame->len - 3;

  switch (step)
    {
    case STEP_FIND:
      if (sw3 != CK_CARD_SW3_CARD_FOUND)
        {
          if (sw3 == CK_CARD_SW3_NO_CARD)
            self->card_reported = FALSE;
          set_status_error (&error, sw3);
          fail (self, error);
          return;
        }
      if (op->poll && op->skip_if_found)
        {
          /* the same card, still on the reader: read once only */
          finish (self, NULL, NULL, NULL);
          return;
        }
      if (op->poll && self->state != CK_CARD_READER_STATE_READING)
        {
          self->state = CK_CARD_READER_STATE_READING;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
          if (self->task == NULL)
            return;
        }
      break;

    case STEP_READ:
      if (sw3 != CK_CARD_SW3_OK)
        break;
      {
        guint text_len, photo_len;
        CkIdCard *card;
        g_autoptr(GError) local_error = NULL;

        if (len < 4)
          {
            set_protocol_error (&error, _("no lengths in the card's data"));
            fail (self, error);
            return;
          }
        text_len = (data[0] << 8) | data[1];
        photo_len = (data[2] << 8) | data[3];
        if (text_len != CK_ID_CARD_TEXT_LENGTH || 4 + (gsize)text_len + photo_len > len)
          {
            set_protocol_error (&error, _("the card's data is not as long as its lengths say"));
            fail (self, error);
            return;
          }
        /* The photo is of no use to a consent kiosk: wiped at once. */
        memset (frame->payload + 3 + 4 + text_len, 0, photo_len);
        card = ck_id_card_decode (data + 4, text_len, &local_error);
        if (card == NULL)
          {
            set_protocol_error (&error, local_error->message);
            fail (self, error);
            return;
          }
        finish (self, NULL, card, (GDestroyNotify)ck_id_card_unref);
        return;
      }

    case STEP_SAM_ID:
      if (sw3 != CK_CARD_SW3_OK)
        break;
      if (len < 16)
        {
          set_protocol_error (&error, _("a SAM id shorter than 16 bytes"));
          fail (self, error);
          return;
        }
      finish (self, NULL, format_sam_id (data), g_free);
      return;

    case STEP_STATUS:
    case STEP_SELECT:
    case STEP_DONE:
    default:
      break;
    }

  if (step != STEP_FIND && sw3 != CK_CARD_SW3_OK)
    {
      set_status_error (&error, sw3);
      fail (self, error);
      return;
    }

  op->step++;
  send_step (self);
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  /* A callback run from here may drop the last other reference to the
   * reader, or close the device and open it again. */
  CkCardReader *self = g_object_ref (user_data);
  g_autoptr(GSource) source = g_source_ref (g_main_current_source ());
  guint8 buffer[4096];
  gboolean closed = FALSE;

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n > 0)
        {
          ck_card_frame_parser_push (self->parser, buffer, n);
          memset (buffer, 0, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      /* 0 or EIO: the line hung up */
      closed = TRUE;
      break;
    }
  if (!closed && (condition & (G_IO_HUP | G_IO_ERR)) && !(condition & G_IO_IN))
    closed = TRUE;

  for (;;)
    {
      g_auto(CkCardFrame) frame = { NULL, 0 };
      CkCardFrameResult result = ck_card_frame_parser_next (self->parser, &frame);

      if (result == CK_CARD_FRAME_NEED_MORE)
        break;
      if (self->task == NULL)
        continue;  /* an answer too late for its request */
      if (result == CK_CARD_FRAME_BAD_CHECKSUM)
        {
          fail (self, g_error_new_literal (CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CHECKSUM,
                                           _("The ID card reader's answer arrived damaged (checksum "
                                             "error): check its cable and place the card again.")));
          continue;
        }
      handle_answer (self, &frame);
    }

  if (self->fd_source != source)
    {
      /* a callback closed the device (stopped polling, say) */
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }

  if (closed)
    {
      /* The source must go (a hung-up line is readable for ever), and the
       * descriptor with it: the next operation opens the device again. */
      g_clear_pointer (&self->fd_source, g_source_unref);
      ioctl (self->fd, TIOCNXCL);
      close (self->fd);
      self->fd = -1;
      ck_card_frame_parser_reset (self->parser);
      if (self->task)
        fail (self, g_error_new (CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CLOSED,
                                 _("The ID card reader %s went away during the read: check its "
                                   "cable."), self->device));
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }

  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

/* --- requests --------------------------------------------------------------------------- */

static gboolean
on_timeout (gpointer user_data)
{
  CkCardReader *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  fail (self, g_error_new_literal (CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_NOT_ANSWERING,
                                   _("The ID card reader does not answer: check its cable and "
                                     "power, and that [card_reader] baud is its speed.")));
  return G_SOURCE_REMOVE;
}

static void
send_step (CkCardReader *self)
{
  Op *op = g_task_get_task_data (self->task);
  g_autoptr(GBytes) request = NULL;
  const guint8 *bytes;
  gsize len, answer_bytes = 64;
  ssize_t n;

  switch (op->steps[op->step])
    {
    case STEP_STATUS:
      request = ck_card_frame_build_request (CK_CARD_CMD_STATUS, NULL, 0);
      break;
    case STEP_SAM_ID:
      request = ck_card_frame_build_request (CK_CARD_CMD_SAM_ID, NULL, 0);
      break;
    case STEP_FIND:
      request = ck_card_frame_build_request (CK_CARD_CMD_FIND, NULL, 0);
      break;
    case STEP_SELECT:
      request = ck_card_frame_build_request (CK_CARD_CMD_SELECT, NULL, 0);
      break;
    case STEP_READ:
      request = ck_card_frame_build_request (CK_CARD_CMD_READ, NULL, 0);
      answer_bytes = READ_ANSWER_BYTES;
      break;
    case STEP_DONE:
    default:
      g_assert_not_reached ();
    }

  /* The previous request's timeout is done with; a late answer to it
   * must not pass for this one's. */
  clear_timeout (self);
  tcflush (self->fd, TCIFLUSH);
  ck_card_frame_parser_reset (self->parser);

  bytes = g_bytes_get_data (request, &len);
  do
    n = write (self->fd, bytes, len);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)len)
    {
      if (n < 0 && (errno == EIO || errno == ENXIO || errno == ENODEV))
        fail (self, g_error_new (CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_CLOSED,
                                 _("The ID card reader %s went away during the read: check its "
                                   "cable."), self->device));
      else
        fail (self, g_error_new (CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE,
                                 _("The ID card reader %s could not be set up: %s"), self->device,
                                 n < 0 ? g_strerror (errno) : _("a short write")));
      return;
    }

  /* The timeout is for the reader to think; the answer's time on the wire
   * (10 bits a byte) comes on top, which matters for the text and photo
   * at 9600 baud. */
  self->timeout_source = g_timeout_source_new (self->timeout_ms + answer_bytes * 10 * 1000 / self->baud);
  g_source_set_callback (self->timeout_source, on_timeout, self, NULL);
  g_source_set_static_name (self->timeout_source, "[ck] card reader timeout");
  g_source_attach (self->timeout_source, self->context);
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  CkCardReader *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_clear_pointer (&op->cancel_source, g_source_unref);
  if (self->task == task)
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (cancellable, &error);
      /* a late answer is flushed before the next request */
      fail (self, error);
    }
  else if (g_queue_remove (&self->waiting, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
run_next (CkCardReader *self)
{
  GError *error = NULL;

  while (self->task == NULL && !g_queue_is_empty (&self->waiting))
    {
      GTask *task = g_queue_pop_head (&self->waiting);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      self->task = task;
      if (!open_device (self, &error))
        {
          fail (self, error);
          continue;
        }
      send_step (self);
    }
}

static void
start_op (CkCardReader        *self,
          const Step          *steps,
          gboolean             poll,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  op->steps = steps;
  op->poll = poll;
  op->skip_if_found = poll && self->card_reported;
  g_task_set_task_data (task, op, (GDestroyNotify)op_free);

  if (cancellable)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (on_cancelled), task, NULL);
      g_source_attach (op->cancel_source, self->context);
    }

  g_queue_push_tail (&self->waiting, task);
  run_next (self);
}

/* --- the object ------------------------------------------------------------------------- */

static void
ck_card_reader_dispose (GObject *object)
{
  CkCardReader *self = CK_CARD_READER (object);

  ck_card_reader_stop (self);
  G_OBJECT_CLASS (ck_card_reader_parent_class)->dispose (object);
}

static void
ck_card_reader_finalize (GObject *object)
{
  CkCardReader *self = CK_CARD_READER (object);

  /* Every task holds a reference: none can be left here. */
  g_assert (self->task == NULL && g_queue_is_empty (&self->waiting));
  if (self->timeout_source)
    {
      g_source_destroy (self->timeout_source);
      g_source_unref (self->timeout_source);
    }
  close_device (self);
  ck_card_frame_parser_free (self->parser);
  g_main_context_unref (self->context);
  g_free (self->device);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (ck_card_reader_parent_class)->finalize (object);
}

static void
ck_card_reader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CkCardReader *self = CK_CARD_READER (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_card_reader_class_init (CkCardReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ck_card_reader_dispose;
  object_class->finalize = ck_card_reader_finalize;
  object_class->get_property = ck_card_reader_get_property;

  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CK_TYPE_CARD_READER_STATE, CK_CARD_READER_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkCardReader::card-read:
   * @card: the card, decoded, not checked (ck_id_card_check())
   *
   * While polling: a card was placed and read. Emitted once a card, not
   * again until the reader finds no card.
   */
  signals[SIGNAL_CARD_READ] =
    g_signal_new ("card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CK_TYPE_ID_CARD | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ck_card_reader_init (CkCardReader *self)
{
  self->fd = -1;
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->parser = ck_card_frame_parser_new ();
  g_queue_init (&self->waiting);
}

/**
 * ck_card_reader_new:
 * @device: the reader's serial device (/dev/ttyUSB0, a udev symlink, …)
 * @baud: its speed, usually %CK_CARD_READER_DEFAULT_BAUD
 *
 * Nothing is opened until the first operation. The reader works on the
 * thread-default main context of the thread that makes it.
 *
 * Returns: (transfer full): a new reader
 */
CkCardReader *
ck_card_reader_new (const char *device,
                    guint       baud)
{
  CkCardReader *self = g_object_new (CK_TYPE_CARD_READER, NULL);

  self->device = g_strdup (device);
  self->baud = baud ? baud : CK_CARD_READER_DEFAULT_BAUD;
  self->context = g_main_context_ref_thread_default ();
  return self;
}

const char *
ck_card_reader_get_device (CkCardReader *self)
{
  g_return_val_if_fail (CK_IS_CARD_READER (self), NULL);
  return self->device;
}

void
ck_card_reader_set_timeout (CkCardReader *self,
                            guint         timeout_ms)
{
  g_return_if_fail (CK_IS_CARD_READER (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

/**
 * ck_card_reader_read_async:
 *
 * Reads the card on the reader: status, find, select, then text and photo
 * (the photo wiped at once). Opens the device first if it is not open.
 * Several operations at once run one after the other.
 */
void
ck_card_reader_read_async (CkCardReader        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CK_IS_CARD_READER (self));

  start_op (self, read_steps, FALSE, ck_card_reader_read_async, cancellable, callback, user_data);
}

/**
 * ck_card_reader_read_finish:
 * @error: a #GError in the %CK_CARD_READER_ERROR domain, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the card, decoded but not checked
 */
CkIdCard *
ck_card_reader_read_finish (CkCardReader  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ck_card_reader_status_async:
 *
 * Asks the reader for its status (11 FF) and its SAM's id (12 FF).
 */
void
ck_card_reader_status_async (CkCardReader        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CK_IS_CARD_READER (self));

  start_op (self, status_steps, FALSE, ck_card_reader_status_async, cancellable, callback, user_data);
}

/**
 * ck_card_reader_status_finish:
 *
 * Returns: (transfer full) (nullable): the SAM's id as the vendors' tools
 *   show it, e.g. "05.01-20101010-0012345678-1234567890"
 */
char *
ck_card_reader_status_finish (CkCardReader  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- polling ---------------------------------------------------------------------------- */

static void
set_state (CkCardReader      *self,
           CkCardReaderState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void schedule_poll (CkCardReader *self, guint delay_ms);

static void
on_poll_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CkCardReader *self = CK_CARD_READER (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(CkIdCard) card = NULL;
  g_autoptr(GError) error = NULL;

  card = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->poll_cancellable)
    {
      /* stopped: the device is left for others */
      if (!self->polling && self->task == NULL && g_queue_is_empty (&self->waiting))
        close_device (self);
      return;
    }

  if (card)
    {
      self->card_reported = TRUE;
      set_state (self, CK_CARD_READER_STATE_WAITING);
      g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, card);
    }
  else if (error == NULL ||
           g_error_matches (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_NO_CARD))
    set_state (self, CK_CARD_READER_STATE_WAITING);
  else
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      g_debug ("Card reader %s: %s", self->device, error->message);
      /* notify even when already failed: the message may be new */
      if (self->state == CK_CARD_READER_STATE_FAILED)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      set_state (self, CK_CARD_READER_STATE_FAILED);
    }

  if (self->polling)
    schedule_poll (self, self->interval_ms);
}

static gboolean
on_poll (gpointer user_data)
{
  CkCardReader *self = user_data;

  g_clear_pointer (&self->poll_source, g_source_unref);
  start_op (self, read_steps, TRUE, ck_card_reader_start, self->poll_cancellable, on_poll_read, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (CkCardReader *self,
               guint         delay_ms)
{
  if (self->poll_source)
    {
      g_source_destroy (self->poll_source);
      g_source_unref (self->poll_source);
    }
  self->poll_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->poll_source, on_poll, self, NULL);
  g_source_set_static_name (self->poll_source, "[ck] card reader poll");
  g_source_attach (self->poll_source, self->context);
}

/**
 * ck_card_reader_start:
 * @interval_ms: the pause between two polls, about 1,000 ms at a kiosk
 *
 * Starts polling: the first poll at once, then one @interval_ms after the
 * previous one ended, whatever happened (a missing or failing reader is
 * tried again each time). Emits #CkCardReader::card-read once per card.
 */
void
ck_card_reader_start (CkCardReader *self,
                      guint         interval_ms)
{
  g_return_if_fail (CK_IS_CARD_READER (self));

  self->interval_ms = interval_ms;
  if (self->polling)
    return;
  self->polling = TRUE;
  self->card_reported = FALSE;
  self->poll_cancellable = g_cancellable_new ();
  set_state (self, CK_CARD_READER_STATE_WAITING);
  schedule_poll (self, 0);
}

/**
 * ck_card_reader_stop:
 *
 * Stops polling; a poll under way is cancelled. The device is closed.
 */
void
ck_card_reader_stop (CkCardReader *self)
{
  g_return_if_fail (CK_IS_CARD_READER (self));

  if (!self->polling)
    return;
  self->polling = FALSE;
  if (self->poll_source)
    {
      g_source_destroy (self->poll_source);
      g_clear_pointer (&self->poll_source, g_source_unref);
    }
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->card_reported = FALSE;
  if (self->task == NULL && g_queue_is_empty (&self->waiting))
    close_device (self);
  set_state (self, CK_CARD_READER_STATE_STOPPED);
}

CkCardReaderState
ck_card_reader_get_state (CkCardReader *self)
{
  g_return_val_if_fail (CK_IS_CARD_READER (self), CK_CARD_READER_STATE_STOPPED);
  return self->state;
}

const char *
ck_card_reader_get_last_error (CkCardReader *self)
{
  g_return_val_if_fail (CK_IS_CARD_READER (self), NULL);
  return self->error ? self->error->message : NULL;
}

/**
 * ck_card_reader_get_error:
 *
 * Returns: (nullable): the last failure of the poll (never "no card"):
 *   its code says whether the card or the reader was at fault
 */
const GError *
ck_card_reader_get_error (CkCardReader *self)
{
  g_return_val_if_fail (CK_IS_CARD_READER (self), NULL);
  return self->error;
}
