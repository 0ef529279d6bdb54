/* ck-test-card-sim.c: a second-generation ID card reader on a
 * pseudo-terminal
 *
 * openpty(3) gives a pair; the simulator serves the master on a thread of
 * its own with its own main context, so that tests in the same process
 * and programs run by them (consentctl card-read) can open the slave's
 * path as they would /dev/ttyUSB0. Answers are GA 467 frames built with
 * the core's own frame code; faults and pacing at a baud rate on demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ck-card-frame-private.h"
#include "ck-id-card.h"
#include "ck-idcard.h"
#include "ck-test-card-sim.h"

#define PHOTO_LENGTH 1024

struct _CkTestCardSim
{
  int master;
  int slave;
  char *path;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GSource *source;
  CkCardFrameParser *parser;

  GMutex lock;  /* the fields below */
  GBytes *card;
  CkTestCardFault fault;
  guint baud;
  GHashTable *statuses;   /* cmd << 8 | para → sw3 */
  GHashTable *counts;     /* cmd << 8 | para → count */
  guint n_requests;
  gint64 found_time;
};

static const struct {
  const char *name;
  const char *person;
  char sex;
  const char *first17;
  const char *birth;
  const char *valid_from;
  const char *valid_to;
} cards[CK_TEST_CARD_N_KINDS] = {
  [CK_TEST_CARD_NORMAL] = { "normal", "王试样", '1', "11010119900307123", "19900307", "20200101", "20400101" },
  [CK_TEST_CARD_RARE_NAME] = { "rare-name", "刘䶮", '2', "44010219850612126", "19850612", "20150101", "20350101" },
  [CK_TEST_CARD_LONG_TERM] = { "long-term", "赵长期", '1', "31010119500101021", "19500101", "20100101", NULL },
  [CK_TEST_CARD_EXPIRED] = { "expired", "钱过期", '2', "32010219800808024", "19800808", "20000101", "20200101" },
  [CK_TEST_CARD_BAD_CHECK] = { "bad-check", "孙校验", '1', "11010119900307123", "19900307", "20200101", "20400101" },
  [CK_TEST_CARD_BIRTH_MISMATCH] = { "birth-mismatch", "李生日", '1', "11010119900307123", "19900308", "20200101", "20400101" },
};

const char *
ck_test_card_kind_to_string (CkTestCardKind kind)
{
  g_return_val_if_fail (kind < CK_TEST_CARD_N_KINDS, NULL);
  return cards[kind].name;
}

gboolean
ck_test_card_kind_from_string (const char     *name,
                               CkTestCardKind *kind)
{
  for (guint i = 0; i < CK_TEST_CARD_N_KINDS; i++)
    if (g_strcmp0 (name, cards[i].name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

char *
ck_test_card_dup_number (CkTestCardKind kind)
{
  char check;

  g_return_val_if_fail (kind < CK_TEST_CARD_N_KINDS, NULL);

  check = ck_idcard_compute_check_character (cards[kind].first17);
  if (kind == CK_TEST_CARD_BAD_CHECK)
    check = check == '0' ? '1' : check == 'X' ? '0' : check == '9' ? 'X' : check + 1;

  return g_strdup_printf ("%s%c", cards[kind].first17, check);
}

/**
 * ck_test_card_make:
 *
 * Returns: (transfer full): the text block of a synthetic card
 */
GBytes *
ck_test_card_make (CkTestCardKind kind)
{
  g_autofree char *number = ck_test_card_dup_number (kind);

  return ck_id_card_encode (cards[kind].person, cards[kind].sex, "01", cards[kind].birth,
                            "北京市东城区测试路1号", number, "北京市公安局东城分局",
                            cards[kind].valid_from, cards[kind].valid_to);
}

/* --- answering ------------------------------------------------------------------------ */

static void
write_all (CkTestCardSim *self,
           const guint8  *bytes,
           gsize          len)
{
  while (len > 0)
    {
      ssize_t n = write (self->master, bytes, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { self->master, POLLOUT, 0 };

          poll (&pfd, 1, 100);
          continue;
        }
      if (n < 0)
        return;
      bytes += n;
      len -= n;
    }
}

/* Writes @len bytes as the wire would at @baud: each chunk no earlier
 * than its last byte would have arrived. */
static void
write_paced (CkTestCardSim *self,
             const guint8  *bytes,
             gsize          len,
             guint          baud)
{
  gint64 start = g_get_monotonic_time ();
  gsize sent = 0;

  if (baud == 0)
    {
      write_all (self, bytes, len);
      return;
    }

  while (sent < len)
    {
      gsize chunk = MIN (32, len - sent);
      gint64 due = start + (gint64)(sent + chunk) * 10 * G_USEC_PER_SEC / baud;
      gint64 now = g_get_monotonic_time ();

      if (due > now)
        g_usleep (due - now);
      write_all (self, bytes + sent, chunk);
      sent += chunk;
    }
}

static GBytes *
build_read_answer (GBytes *card,
                   guint8  sw3)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  const guint8 lengths[] = { 0x01, 0x00, PHOTO_LENGTH >> 8, PHOTO_LENGTH & 0xFF };
  guint8 photo[PHOTO_LENGTH] = { 'W', 'L', 'T', };

  if (sw3 != CK_CARD_SW3_OK)
    return ck_card_frame_build_answer (sw3, NULL, 0);

  g_byte_array_append (data, lengths, sizeof lengths);
  g_byte_array_append (data, g_bytes_get_data (card, NULL), g_bytes_get_size (card));
  for (guint i = 3; i < PHOTO_LENGTH; i++)
    photo[i] = (guint8)(i * 7);
  g_byte_array_append (data, photo, sizeof photo);

  return ck_card_frame_build_answer (sw3, data->data, data->len);
}

static void
answer (CkTestCardSim *self,
        guint8         cmd,
        guint8         para)
{
  /* The SAM id the vendors' tools show as 05.01-20101010-0012345678-1234567890. */
  static const guint8 sam_id[16] = {
    0x05, 0x00, 0x01, 0x00, 0x92, 0xB7, 0x32, 0x01, 0x4E, 0x61, 0xBC, 0x00, 0xD2, 0x02, 0x96, 0x49,
  };
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GBytes) card = NULL;
  g_autofree guint8 *bytes = NULL;
  CkTestCardFault fault;
  guint baud;
  guint8 sw3;
  gsize len;

  g_mutex_lock (&self->lock);
  self->n_requests++;
  g_hash_table_insert (self->counts, GUINT_TO_POINTER (cmd << 8 | para),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts,
                                                                                GUINT_TO_POINTER (cmd << 8 | para))) + 1));
  sw3 = GPOINTER_TO_UINT (g_hash_table_lookup (self->statuses, GUINT_TO_POINTER (cmd << 8 | para)));
  card = self->card ? g_bytes_ref (self->card) : NULL;
  fault = self->fault;
  baud = self->baud;
  g_mutex_unlock (&self->lock);

  if (fault == CK_TEST_CARD_FAULT_NO_ANSWER)
    return;

  switch (cmd << 8 | para)
    {
    case 0x11FF:
      frame = ck_card_frame_build_answer (sw3 ? sw3 : CK_CARD_SW3_OK, NULL, 0);
      break;
    case 0x12FF:
      frame = sw3 ? ck_card_frame_build_answer (sw3, NULL, 0)
                  : ck_card_frame_build_answer (CK_CARD_SW3_OK, sam_id, sizeof sam_id);
      break;
    case 0x2001:
      if (sw3 == 0)
        sw3 = card ? CK_CARD_SW3_CARD_FOUND : CK_CARD_SW3_NO_CARD;
      frame = ck_card_frame_build_answer (sw3, NULL, 0);
      break;
    case 0x2002:
      if (sw3 == 0)
        sw3 = card ? CK_CARD_SW3_OK : CK_CARD_SW3_SELECT_FAILED;
      frame = ck_card_frame_build_answer (sw3, NULL, 0);
      break;
    case 0x3001:
      if (sw3 == 0)
        sw3 = card ? CK_CARD_SW3_OK : CK_CARD_SW3_READ_FAILED;
      frame = build_read_answer (card, sw3);
      break;
    default:
      frame = ck_card_frame_build_answer (CK_CARD_SW3_UNKNOWN_COMMAND, NULL, 0);
      break;
    }

  bytes = g_bytes_unref_to_data (g_steal_pointer (&frame), &len);
  if (fault == CK_TEST_CARD_FAULT_BAD_CHECKSUM && cmd == 0x30)
    bytes[len - 1] ^= 0x5A;

  if (fault == CK_TEST_CARD_FAULT_GARBAGE)
    {
      /* a partial preamble and bytes that look like a length among them */
      static const guint8 garbage[] = { 0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0x00, 0xFF, 0xAA, 0xAA };

      write_all (self, garbage, sizeof garbage);
    }

  if (cmd == 0x20 && para == 0x01 && sw3 == CK_CARD_SW3_CARD_FOUND)
    {
      g_mutex_lock (&self->lock);
      self->found_time = g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
    }

  if (fault == CK_TEST_CARD_FAULT_CLOSE_MID_READ && cmd == 0x30)
    {
      write_paced (self, bytes, len / 2, baud);
      g_source_destroy (self->source);
      close (self->master);
      self->master = -1;
      close (self->slave);
      self->slave = -1;
      return;
    }

  if (fault == CK_TEST_CARD_FAULT_SPLIT)
    {
      /* three pieces, one cut in the preamble, one in the length */
      gsize cuts[] = { 3, 6, len / 2, len };
      gsize at = 0;

      for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
        {
          gsize to = MIN (cuts[i], len);

          if (to > at)
            write_paced (self, bytes + at, to - at, baud);
          at = MAX (at, to);
          g_usleep (20 * 1000);
        }
      return;
    }

  write_paced (self, bytes, len, baud);
  memset (bytes, 0, len);
}

static gboolean
on_master (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  CkTestCardSim *self = user_data;
  guint8 buffer[512];

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n > 0)
        {
          ck_card_frame_parser_push (self->parser, buffer, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      break;
    }

  for (;;)
    {
      g_auto(CkCardFrame) frame = { NULL, 0 };
      CkCardFrameResult result = ck_card_frame_parser_next (self->parser, &frame);

      if (result == CK_CARD_FRAME_NEED_MORE)
        break;
      if (result == CK_CARD_FRAME_BAD_CHECKSUM)
        {
          g_autoptr(GBytes) bad = ck_card_frame_build_answer (CK_CARD_SW3_CHECKSUM, NULL, 0);

          write_all (self, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));
          continue;
        }
      if (frame.len >= 2)
        answer (self, frame.payload[0], frame.payload[1]);
      if (self->master < 0)
        return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gpointer
serve (gpointer user_data)
{
  CkTestCardSim *self = user_data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * ck_test_card_sim_new:
 *
 * Starts a simulated reader, with no card on it.
 *
 * Returns: (transfer full): the simulator
 */
CkTestCardSim *
ck_test_card_sim_new (void)
{
  CkTestCardSim *self = g_new0 (CkTestCardSim, 1);
  struct termios tio;
  char name[256];

  if (openpty (&self->master, &self->slave, name, NULL, NULL) < 0)
    g_error ("openpty: %s", g_strerror (errno));
  self->path = g_strdup (name);
  /* the slave is raw, as a reader's line; the simulator keeps it open so
   * that the master never sees a hang-up between two users */
  tcgetattr (self->slave, &tio);
  cfmakeraw (&tio);
  tcsetattr (self->slave, TCSANOW, &tio);
  g_unix_set_fd_nonblocking (self->master, TRUE, NULL);
  fcntl (self->master, F_SETFD, FD_CLOEXEC);
  fcntl (self->slave, F_SETFD, FD_CLOEXEC);

  g_mutex_init (&self->lock);
  self->statuses = g_hash_table_new (NULL, NULL);
  self->counts = g_hash_table_new (NULL, NULL);
  self->parser = ck_card_frame_parser_new ();
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->source = g_unix_fd_source_new (self->master, G_IO_IN);
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_master), self, NULL);
  g_source_attach (self->source, self->context);
  self->thread = g_thread_new ("card-sim", serve, self);

  return self;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
ck_test_card_sim_free (CkTestCardSim *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  if (self->master >= 0)
    close (self->master);
  if (self->slave >= 0)
    close (self->slave);
  ck_card_frame_parser_free (self->parser);
  g_clear_pointer (&self->card, g_bytes_unref);
  g_hash_table_unref (self->statuses);
  g_hash_table_unref (self->counts);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self);
}

const char *
ck_test_card_sim_get_path (CkTestCardSim *self)
{
  return self->path;
}

void
ck_test_card_sim_place_text (CkTestCardSim *self,
                             GBytes        *text)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->card, g_bytes_unref);
  self->card = g_bytes_ref (text);
  g_mutex_unlock (&self->lock);
}

void
ck_test_card_sim_place (CkTestCardSim  *self,
                        CkTestCardKind  kind)
{
  g_autoptr(GBytes) text = ck_test_card_make (kind);

  ck_test_card_sim_place_text (self, text);
}

void
ck_test_card_sim_remove (CkTestCardSim *self)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->card, g_bytes_unref);
  g_mutex_unlock (&self->lock);
}

void
ck_test_card_sim_set_fault (CkTestCardSim   *self,
                            CkTestCardFault  fault)
{
  g_mutex_lock (&self->lock);
  self->fault = fault;
  g_mutex_unlock (&self->lock);
}

void
ck_test_card_sim_set_status (CkTestCardSim *self,
                             guint8         cmd,
                             guint8         para,
                             guint8         sw3)
{
  g_mutex_lock (&self->lock);
  if (sw3)
    g_hash_table_insert (self->statuses, GUINT_TO_POINTER (cmd << 8 | para), GUINT_TO_POINTER (sw3));
  else
    g_hash_table_remove (self->statuses, GUINT_TO_POINTER (cmd << 8 | para));
  g_mutex_unlock (&self->lock);
}

void
ck_test_card_sim_set_baud (CkTestCardSim *self,
                           guint          baud)
{
  g_mutex_lock (&self->lock);
  self->baud = baud;
  g_mutex_unlock (&self->lock);
}

guint
ck_test_card_sim_count_requests (CkTestCardSim *self,
                                 guint8         cmd,
                                 guint8         para)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = cmd == 0 ? self->n_requests
               : GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, GUINT_TO_POINTER (cmd << 8 | para)));
  g_mutex_unlock (&self->lock);
  return n;
}

gint64
ck_test_card_sim_get_found_time (CkTestCardSim *self)
{
  gint64 t;

  g_mutex_lock (&self->lock);
  t = self->found_time;
  g_mutex_unlock (&self->lock);
  return t;
}
