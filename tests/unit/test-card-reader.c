/* test-card-reader.c: CkCardReader against the simulated reader on a
 * pseudo-terminal (tests/ck-test-card-sim.h): every fault, every status
 * code, polling. Waits run the main context until a state holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ck.h"
#include "ck-test-card-sim.h"

typedef struct
{
  CkTestCardSim *sim;
  CkCardReader *reader;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = ck_test_card_sim_new ();
  f->reader = ck_card_reader_new (ck_test_card_sim_get_path (f->sim), CK_CARD_READER_DEFAULT_BAUD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ck_card_reader_stop (f->reader);
  /* a poll cancelled by stop ends on the next iterations */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->reader);
  ck_test_card_sim_free (f->sim);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static CkIdCard *
read_card (CkCardReader  *reader,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ck_card_reader_read_async (reader, cancellable, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ck_card_reader_read_finish (reader, result, error);
}

static char *
read_status (CkCardReader  *reader,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ck_card_reader_status_async (reader, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ck_card_reader_status_finish (reader, result, error);
}

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;
  g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  card = read_card (f->reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
  g_assert_cmpstr (ck_id_card_get_number (card), ==, number);
  g_assert_cmpstr (ck_id_card_get_address (card), ==, "北京市东城区测试路1号");
  g_assert_true (ck_id_card_check (card, NULL, &error));
  /* status, find, select, read: one each */
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x11, 0xFF), ==, 1);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x20, 0x01), ==, 1);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x20, 0x02), ==, 1);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x30, 0x01), ==, 1);
}

static void
test_read_rare_name (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_RARE_NAME);
  card = read_card (f->reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_id_card_get_name (card), ==, "刘䶮");
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = read_status (f->reader, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "05.01-20101010-0012345678-1234567890");
}

static void
test_no_card (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = read_card (f->reader, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_NO_CARD);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x20, 0x02), ==, 0);
}

/* Every status code of the protocol, at the command that gives it. */
static void
test_status_codes (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    guint8 cmd, para, sw3;
    CkCardReaderError code;
  } cases[] = {
    { 0x20, 0x01, 0x80, CK_CARD_READER_ERROR_NO_CARD },
    { 0x20, 0x02, 0x81, CK_CARD_READER_ERROR_SELECT_FAILED },
    { 0x30, 0x01, 0x41, CK_CARD_READER_ERROR_CARD_REMOVED },
    { 0x30, 0x01, 0x31, CK_CARD_READER_ERROR_AUTHENTICATION },
    { 0x30, 0x01, 0x32, CK_CARD_READER_ERROR_AUTHENTICATION },
    { 0x30, 0x01, 0x33, CK_CARD_READER_ERROR_AUTHENTICATION },
    { 0x11, 0xFF, 0x10, CK_CARD_READER_ERROR_CHECKSUM },
    { 0x30, 0x01, 0x24, CK_CARD_READER_ERROR_CHECKSUM },
    { 0x11, 0xFF, 0x60, CK_CARD_READER_ERROR_SAM },
    { 0x11, 0xFF, 0x66, CK_CARD_READER_ERROR_SAM },
    { 0x11, 0xFF, 0x11, CK_CARD_READER_ERROR_READER },
    { 0x11, 0xFF, 0x21, CK_CARD_READER_ERROR_READER },
    { 0x30, 0x01, 0x23, CK_CARD_READER_ERROR_READER },
    { 0x30, 0x01, 0x40, CK_CARD_READER_ERROR_READER },
    { 0x30, 0x01, 0x47, CK_CARD_READER_ERROR_READER },
    { 0x30, 0x01, 0x91, CK_CARD_READER_ERROR_READER },
    { 0x20, 0x01, 0x90, CK_CARD_READER_ERROR_READER },  /* find must say 9F or 80 */
    { 0x20, 0x02, 0x9F, CK_CARD_READER_ERROR_READER },  /* never success elsewhere */
    { 0x30, 0x01, 0xEE, CK_CARD_READER_ERROR_READER },  /* unknown */
  };

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkIdCard) card = NULL;

      ck_test_card_sim_set_status (f->sim, cases[i].cmd, cases[i].para, cases[i].sw3);
      card = read_card (f->reader, NULL, &error);
      g_test_message ("%02X %02X → SW3 %02X: %s", cases[i].cmd, cases[i].para, cases[i].sw3,
                      error ? error->message : "(read)");
      g_assert_null (card);
      g_assert_error (error, CK_CARD_READER_ERROR, cases[i].code);
      if (cases[i].code == CK_CARD_READER_ERROR_READER)
        {
          g_autofree char *hex = g_strdup_printf ("0x%02X", cases[i].sw3);

          g_assert_nonnull (strstr (error->message, hex));
        }
      ck_test_card_sim_set_status (f->sim, cases[i].cmd, cases[i].para, 0);
    }

  /* and the reader reads again once the reader answers well */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkIdCard) card = read_card (f->reader, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (card);
  }
}

static void
test_fault_read (Fixture          *f,
                 CkTestCardFault   fault,
                 CkCardReaderError expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  ck_test_card_sim_set_fault (f->sim, fault);
  card = read_card (f->reader, NULL, &error);
  if (expected == (CkCardReaderError)-1)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
    }
  else
    {
      g_assert_null (card);
      g_assert_error (error, CK_CARD_READER_ERROR, expected);
    }
}

static void
test_bad_checksum (Fixture       *f,
                   gconstpointer  data)
{
  test_fault_read (f, CK_TEST_CARD_FAULT_BAD_CHECKSUM, CK_CARD_READER_ERROR_CHECKSUM);

  /* the next read, with a good answer, works */
  ck_test_card_sim_set_fault (f->sim, CK_TEST_CARD_FAULT_NONE);
  test_fault_read (f, CK_TEST_CARD_FAULT_NONE, -1);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  test_fault_read (f, CK_TEST_CARD_FAULT_GARBAGE, -1);
}

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  test_fault_read (f, CK_TEST_CARD_FAULT_SPLIT, -1);
}

static void
test_no_answer (Fixture       *f,
                gconstpointer  data)
{
  ck_card_reader_set_timeout (f->reader, 50);
  test_fault_read (f, CK_TEST_CARD_FAULT_NO_ANSWER, CK_CARD_READER_ERROR_NOT_ANSWERING);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0, 0), ==, 1);

  /* answering again: read */
  test_fault_read (f, CK_TEST_CARD_FAULT_NONE, -1);
}

/* A slow line: the whole read takes longer than one request's timeout,
 * each answer comes within its own (the read's counts its bytes on the
 * wire at the line's speed). */
static void
test_slow_line (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CkCardReader) reader = ck_card_reader_new (ck_test_card_sim_get_path (f->sim), 9600);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  ck_card_reader_set_timeout (reader, 300);
  ck_test_card_sim_set_baud (f->sim, 9600);
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  card = read_card (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
}

static void
test_closed_mid_read (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  test_fault_read (f, CK_TEST_CARD_FAULT_CLOSE_MID_READ, CK_CARD_READER_ERROR_CLOSED);

  /* the device was closed, and is opened again: it is gone */
  card = read_card (f->reader, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_MISSING);
}

static void
test_missing_device (void)
{
  g_autoptr(CkCardReader) reader = ck_card_reader_new ("/dev/no-such-idcard-reader", 115200);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = read_card (reader, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_MISSING);
  g_assert_nonnull (strstr (error->message, "/dev/no-such-idcard-reader"));
}

static void
test_not_a_tty (void)
{
  g_autoptr(CkCardReader) reader = ck_card_reader_new ("/dev/null", 115200);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = read_card (reader, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE);
}

static void
test_bad_baud (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CkCardReader) reader = ck_card_reader_new (ck_test_card_sim_get_path (f->sim), 12345);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = read_card (reader, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE);
  g_assert_false (ck_card_reader_is_supported_baud (12345));
  g_assert_true (ck_card_reader_is_supported_baud (9600));
}

/* A second reader on the same device while the first has it open. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CkCardReader) other = ck_card_reader_new (ck_test_card_sim_get_path (f->sim), 115200);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = read_status (f->reader, &error);
  g_autofree char *other_status = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (status);
  other_status = read_status (other, &error);
  g_assert_null (other_status);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_DEVICE_BUSY);
}

static void
test_permission (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CkCardReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may open any file");
      return;
    }

  dir = g_dir_make_tmp ("ck-card-XXXXXX", NULL);
  path = g_build_filename (dir, "ttyUSB0", NULL);
  g_file_set_contents (path, "", 0, NULL);
  g_chmod (path, 0);
  reader = ck_card_reader_new (path, 115200);
  card = read_card (reader, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CK_CARD_READER_ERROR, CK_CARD_READER_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, path));
  g_remove (path);
  g_rmdir (dir);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkIdCard) card = NULL;

  ck_test_card_sim_set_fault (f->sim, CK_TEST_CARD_FAULT_NO_ANSWER);
  ck_card_reader_set_timeout (f->reader, 60 * 1000);
  ck_card_reader_read_async (f->reader, cancellable, on_done, &result);
  while (ck_test_card_sim_count_requests (f->sim, 0, 0) == 0)
    g_main_context_iteration (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  card = ck_card_reader_read_finish (f->reader, result, &error);
  g_assert_null (card);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* --- polling -------------------------------------------------------------------------- */

typedef struct
{
  guint n_cards;
  GArray *states;
} PollLog;

static void
on_card_read (CkCardReader *reader,
              CkIdCard     *card,
              PollLog      *log)
{
  g_assert_cmpstr (ck_id_card_get_name (card), ==, "王试样");
  log->n_cards++;
}

static void
on_state (CkCardReader *reader,
          GParamSpec   *pspec,
          PollLog      *log)
{
  CkCardReaderState state = ck_card_reader_get_state (reader);

  if (log->states->len == 0 || g_array_index (log->states, CkCardReaderState, log->states->len - 1) != state)
    g_array_append_val (log->states, state);
}

static void
wait_finds (Fixture *f,
            guint    n)
{
  guint target = ck_test_card_sim_count_requests (f->sim, 0x20, 0x01) + n;

  while (ck_test_card_sim_count_requests (f->sim, 0x20, 0x01) < target)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_poll (Fixture       *f,
           gconstpointer  data)
{
  PollLog log = { 0, g_array_new (FALSE, FALSE, sizeof (CkCardReaderState)) };
  static const CkCardReaderState expected[] = {
    CK_CARD_READER_STATE_WAITING, CK_CARD_READER_STATE_READING, CK_CARD_READER_STATE_WAITING,
    CK_CARD_READER_STATE_READING, CK_CARD_READER_STATE_WAITING, CK_CARD_READER_STATE_STOPPED,
  };

  g_signal_connect (f->reader, "card-read", G_CALLBACK (on_card_read), &log);
  g_signal_connect (f->reader, "notify::state", G_CALLBACK (on_state), &log);
  g_assert_cmpint (ck_card_reader_get_state (f->reader), ==, CK_CARD_READER_STATE_STOPPED);

  ck_card_reader_start (f->reader, 5);
  wait_finds (f, 2);
  g_assert_cmpint (ck_card_reader_get_state (f->reader), ==, CK_CARD_READER_STATE_WAITING);
  g_assert_cmpuint (log.n_cards, ==, 0);

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  while (log.n_cards == 0)
    g_main_context_iteration (NULL, TRUE);

  /* the card stays: found again and again, read once */
  wait_finds (f, 3);
  g_assert_cmpuint (log.n_cards, ==, 1);
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x30, 0x01), ==, 1);

  /* taken away, then placed again: read again */
  ck_test_card_sim_remove (f->sim);
  wait_finds (f, 2);
  g_assert_cmpuint (log.n_cards, ==, 1);
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  while (log.n_cards == 1)
    g_main_context_iteration (NULL, TRUE);
  wait_finds (f, 2);
  g_assert_cmpuint (log.n_cards, ==, 2);

  ck_card_reader_stop (f->reader);
  g_assert_cmpuint (log.states->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (log.states, CkCardReaderState, i), ==, expected[i]);
  g_array_unref (log.states);
}

/* A reader that stops answering, then answers again: the poll never stops. */
static void
test_poll_failure (Fixture       *f,
                   gconstpointer  data)
{
  PollLog log = { 0, g_array_new (FALSE, FALSE, sizeof (CkCardReaderState)) };

  g_signal_connect (f->reader, "card-read", G_CALLBACK (on_card_read), &log);
  ck_card_reader_set_timeout (f->reader, 20);
  ck_test_card_sim_set_fault (f->sim, CK_TEST_CARD_FAULT_NO_ANSWER);
  ck_card_reader_start (f->reader, 5);
  while (ck_card_reader_get_state (f->reader) != CK_CARD_READER_STATE_FAILED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (ck_card_reader_get_last_error (f->reader));
  g_assert_nonnull (strstr (ck_card_reader_get_last_error (f->reader), "does not answer"));

  /* still trying */
  {
    guint n = ck_test_card_sim_count_requests (f->sim, 0, 0);

    while (ck_test_card_sim_count_requests (f->sim, 0, 0) < n + 2)
      g_main_context_iteration (NULL, TRUE);
  }

  ck_test_card_sim_set_fault (f->sim, CK_TEST_CARD_FAULT_NONE);
  ck_card_reader_set_timeout (f->reader, 1000);
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  while (log.n_cards == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ck_card_reader_get_state (f->reader), ==, CK_CARD_READER_STATE_WAITING);
  g_array_unref (log.states);
}

static void
stop_on_card (CkCardReader *reader,
              CkIdCard     *card,
              PollLog      *log)
{
  log->n_cards++;
  ck_card_reader_stop (reader);
}

/* The kiosk's page stops polling as soon as a card is read: from inside
 * ::card-read. The device is then free for others. */
static void
test_stop_in_handler (Fixture       *f,
                      gconstpointer  data)
{
  PollLog log = { 0, NULL };
  g_autoptr(CkCardReader) other = ck_card_reader_new (ck_test_card_sim_get_path (f->sim), 115200);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  g_signal_connect (f->reader, "card-read", G_CALLBACK (stop_on_card), &log);
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  ck_card_reader_start (f->reader, 5);
  while (log.n_cards == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ck_card_reader_get_state (f->reader), ==, CK_CARD_READER_STATE_STOPPED);

  status = read_status (other, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpuint (log.n_cards, ==, 1);
}

/* A reader plugged in after the kiosk started: missing, then found. */
static void
test_poll_missing (Fixture       *f,
                   gconstpointer  data)
{
  PollLog log = { 0, g_array_new (FALSE, FALSE, sizeof (CkCardReaderState)) };
  g_autofree char *dir = g_dir_make_tmp ("ck-card-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (dir, "idcard-reader", NULL);
  g_autoptr(CkCardReader) reader = ck_card_reader_new (link, 115200);

  g_signal_connect (reader, "card-read", G_CALLBACK (on_card_read), &log);
  ck_card_reader_start (reader, 5);
  while (ck_card_reader_get_state (reader) != CK_CARD_READER_STATE_FAILED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (ck_card_reader_get_last_error (reader), link));

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  g_assert_no_errno (symlink (ck_test_card_sim_get_path (f->sim), link));
  while (log.n_cards == 0)
    g_main_context_iteration (NULL, TRUE);

  ck_card_reader_stop (reader);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_remove (link);
  g_rmdir (dir);
  g_array_unref (log.states);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  ADD ("/card-reader/read", test_read);
  ADD ("/card-reader/read-rare-name", test_read_rare_name);
  ADD ("/card-reader/status", test_status);
  ADD ("/card-reader/no-card", test_no_card);
  ADD ("/card-reader/status-codes", test_status_codes);
  ADD ("/card-reader/bad-checksum", test_bad_checksum);
  ADD ("/card-reader/garbage", test_garbage);
  ADD ("/card-reader/split", test_split);
  ADD ("/card-reader/no-answer", test_no_answer);
  ADD ("/card-reader/slow-line", test_slow_line);
  ADD ("/card-reader/closed-mid-read", test_closed_mid_read);
  ADD ("/card-reader/bad-baud", test_bad_baud);
  ADD ("/card-reader/busy", test_busy);
  ADD ("/card-reader/cancel", test_cancel);
  ADD ("/card-reader/poll", test_poll);
  ADD ("/card-reader/poll-failure", test_poll_failure);
  ADD ("/card-reader/poll-missing", test_poll_missing);
  ADD ("/card-reader/stop-in-handler", test_stop_in_handler);
  g_test_add_func ("/card-reader/missing-device", test_missing_device);
  g_test_add_func ("/card-reader/not-a-tty", test_not_a_tty);
  g_test_add_func ("/card-reader/permission", test_permission);

  return g_test_run ();
}
