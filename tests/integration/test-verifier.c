/* test-verifier.c: the verification call against the HTTPS mock
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Starts tests/mock-idcert (certificates made by make-certs.sh at test
 * time), points a CkVerifier at it for each behaviour of the API, checks
 * the outcome class, the fields and the messages, and finally scans
 * everything the verifier produced, logs included, for the AppCode, the
 * request URL and the full ID number. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "ck-init.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"
#include "ck-verifier-private.h"

#define APPCODE   CK_TEST_APPCODE
#define ID_NUMBER "11010519491231002X"
#define ID_MASKED "110105********002X"
#define NAME      "张三"
#define NAME_ENCODED "%E5%BC%A0%E4%B8%89"

static char *tmp_dir;
static CkTestMock *mock;

/* Everything the verifiers produced, and everything logged. */
static GMutex produced_lock;
static GString *produced;

static void
add_produced (const char *text)
{
  if (text == NULL)
    return;
  g_mutex_lock (&produced_lock);
  g_string_append (produced, text);
  g_string_append_c (produced, '\n');
  g_mutex_unlock (&produced_lock);
}

static gboolean
record_message (GLogLevelFlags  log_level,
                const char     *message)
{
  add_produced (message);
  return FALSE;
}

/* --- helpers ------------------------------------------------------------- */

static CkConfig *
make_config (const char *provider,
             guint       port,
             const char *mode,
             guint       timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "kiosk.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);
  g_autofree char *appcode = g_build_filename (tmp_dir, "appcode", NULL);
  g_autofree char *ca = g_build_filename (mock->cert_dir, "ca.pem", NULL);
  g_autofree char *endpoint = NULL;
  g_autofree char *text = NULL;
  CkConfig *config;

  endpoint = mode ? g_strdup_printf ("https://127.0.0.1:%u/%s/idcard", port, mode)
                  : g_strdup_printf ("https://127.0.0.1:%u/idcard", port);
  text = g_strdup_printf ("[verification]\n"
                          "provider = %s\n"
                          "endpoint = %s\n"
                          "appcode_file = %s\n"
                          "ca_file = %s\n"
                          "connect_timeout_s = 1\n"
                          "timeout_s = %u\n",
                          provider, endpoint, appcode, ca, timeout_s);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);

  return config;
}

static CkVerifier *
make_verifier (guint       port,
               const char *mode,
               guint       timeout_s)
{
  g_autoptr(CkConfig) config = make_config ("aliyun-idcert", port, mode, timeout_s);
  g_autoptr(GError) error = NULL;
  CkVerifier *verifier;

  verifier = ck_verifier_new (config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verifier);

  return verifier;
}

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static CkVerifyResult *
verify (CkVerifier   *verifier,
        const char   *name,
        const char   *id_number,
        GCancellable *cancellable,
        GError      **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  CkVerifyResult *result;

  ck_verifier_verify_async (verifier, name, id_number, cancellable, on_verified, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  result = ck_verifier_verify_finish (verifier, async_result, error);
  if (result != NULL)
    {
      g_autofree char *customer = ck_verify_result_dup_customer_message (result);
      g_autofree char *staff = ck_verify_result_dup_staff_message (result);

      g_assert_nonnull (customer);
      g_assert_nonnull (staff);
      g_assert_cmpstr (customer, !=, "");
      g_assert_nonnull (strstr (staff, result->masked_id));
      g_assert_null (strstr (customer, result->masked_id));
      add_produced (customer);
      add_produced (staff);
      add_produced (result->provider_status);
      add_produced (result->provider_message);
      add_produced (result->request_id);
      add_produced (result->error_code);
      add_produced (result->error_message);
      add_produced (result->detail);
      add_produced (result->masked_id);
      if (result->body)
        {
          g_autofree char *body = g_strndup (g_bytes_get_data (result->body, NULL),
                                             g_bytes_get_size (result->body));
          add_produced (body);
        }
      g_test_message ("%s", staff);
    }

  return result;
}

/* --- tests --------------------------------------------------------------- */

typedef struct
{
  const char *mode;
  CkVerifyOutcome outcome;
  guint http_status;
  const char *provider_status;
  const char *error_code;
} Case;

static const Case cases[] = {
  { "01",           CK_VERIFY_OUTCOME_VERIFIED,       200, "01",  NULL },
  { "02",           CK_VERIFY_OUTCOME_NOT_MATCHED,    200, "02",  NULL },
  { "202",          CK_VERIFY_OUTCOME_UNDETERMINED,   200, "202", NULL },
  { "203",          CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, "203", NULL },
  { "204",          CK_VERIFY_OUTCOME_INPUT_REJECTED, 200, "204", NULL },
  { "205",          CK_VERIFY_OUTCOME_INPUT_REJECTED, 200, "205", NULL },
  { "99",           CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, "99",  NULL },
  { "nostatus",     CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, NULL,  NULL },
  { "400",          CK_VERIFY_OUTCOME_CONFIG_FAULT,   400, NULL,  "I400IU" },
  { "401",          CK_VERIFY_OUTCOME_CONFIG_FAULT,   401, NULL,  "I401AC" },
  { "403",          CK_VERIFY_OUTCOME_CONFIG_FAULT,   403, NULL,  "Q403QE" },
  { "500",          CK_VERIFY_OUTCOME_PROVIDER_FAULT, 500, NULL,  NULL },
  { "502",          CK_VERIFY_OUTCOME_PROVIDER_FAULT, 502, NULL,  NULL },
  { "503",          CK_VERIFY_OUTCOME_PROVIDER_FAULT, 503, NULL,  NULL },
  { "malformed",    CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, NULL,  NULL },
  { "empty",        CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, NULL,  NULL },
  { "huge",         CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, NULL,  NULL },
  { "huge-chunked", CK_VERIFY_OUTCOME_PROVIDER_FAULT, 200, NULL,  NULL },
  { "redirect",     CK_VERIFY_OUTCOME_PROVIDER_FAULT, 302, NULL,  NULL },
  { "hang",         CK_VERIFY_OUTCOME_NETWORK_FAULT,  0,   NULL,  NULL },
  { "trickle",      CK_VERIFY_OUTCOME_NETWORK_FAULT,  200, NULL,  NULL },
  { "reset",        CK_VERIFY_OUTCOME_NETWORK_FAULT,  0,   NULL,  NULL },
  { "leaky",        CK_VERIFY_OUTCOME_CONFIG_FAULT,   403, NULL,  "Q403LK" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, c->mode, 2);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint before = ck_test_mock_count_requests (mock);
  gint64 start = g_get_monotonic_time ();

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ck_verify_outcome_to_string (result->outcome), ==,
                   ck_verify_outcome_to_string (c->outcome));
  g_assert_cmpuint (result->http_status, ==, c->http_status);
  g_assert_cmpstr (result->provider_status, ==, c->provider_status);
  g_assert_cmpstr (result->error_code, ==, c->error_code);
  g_assert_cmpstr (result->masked_id, ==, ID_MASKED);
  g_assert_false (result->demo);
  g_assert_cmpint (result->duration_ms, <=, 4000);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 4000);
  if (result->body)
    g_assert_cmpuint (g_bytes_get_size (result->body), <=, CK_VERIFY_BODY_KEEP_MAX);
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before + 1);

  if (c->http_status != 0)
    g_assert_cmpstr (result->request_id, ==, "6A1B2C3D-0000-4000-8000-MOCK00000001");
  if (g_str_equal (c->mode, "403"))
    g_assert_cmpstr (result->error_message, ==, "Quota Exhausted");
  if (g_str_has_prefix (c->mode, "huge"))
    {
      g_assert_true (result->body_truncated);
      g_assert_nonnull (strstr (result->detail, "transfer aborted"));
    }
  /* With a Content-Length, libcurl refuses before any of the body comes;
   * chunked, the cap stops the transfer and the start is kept. */
  if (g_str_equal (c->mode, "huge-chunked"))
    g_assert_cmpuint (g_bytes_get_size (result->body), ==, CK_VERIFY_BODY_KEEP_MAX);
  if (g_str_equal (c->mode, "leaky"))
    {
      g_autofree char *body = g_strndup (g_bytes_get_data (result->body, NULL),
                                         g_bytes_get_size (result->body));

      g_assert_cmpstr (result->error_message, ==,
                       "Invalid APPCODE ******************************** for " ID_MASKED);
      g_assert_cmpstr (body, ==, result->error_message);
    }
  if (g_str_equal (c->mode, "01"))
    {
      g_autofree char *body = g_strndup (g_bytes_get_data (result->body, NULL),
                                         g_bytes_get_size (result->body));

      g_assert_cmpstr (result->provider_message, ==, "实名认证通过！");
      /* The mock echoes the number; the kept body has it masked. */
      g_assert_nonnull (strstr (body, ID_MASKED));
      g_assert_null (strstr (body, ID_NUMBER));
    }
}

static void
test_tls (gconstpointer data)
{
  guint port = *(const guint *)data;
  g_autoptr(CkVerifier) verifier = make_verifier (port, NULL, 2);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint before = ck_test_mock_count_requests (mock);

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_verify_outcome_to_string (result->outcome), ==, "tls-fault");
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_nonnull (strstr (result->detail, "curl error 60:"));
  /* Nothing reached the handler: the name and number were never sent. */
  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
}

static void
test_refused (void)
{
  g_autoptr(CkVerifier) verifier = NULL;
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint port;

  /* A port that was free a moment ago: nobody listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  verifier = make_verifier (port, NULL, 2);
  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_verify_outcome_to_string (result->outcome), ==, "network-fault");
  g_assert_nonnull (strstr (result->detail, "curl error 7"));
}

static void
check_request (const char *name,
               const char *encoded_name)
{
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, NULL, 2);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *query = g_strdup_printf ("idCard=%s&name=%s", ID_NUMBER, encoded_name);

  result = verify (verifier, name, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CK_VERIFY_OUTCOME_VERIFIED);

  lines = ck_test_mock_read_requests (mock);
  g_assert_cmpuint (g_strv_length (lines), >, 0);
  fields = g_strsplit (lines[g_strv_length (lines) - 1], "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 5);
  g_assert_cmpstr (fields[0], ==, "GET");
  g_assert_cmpstr (fields[1], ==, "/idcard");
  g_assert_cmpstr (fields[2], ==, query);
  g_assert_cmpstr (fields[3], ==, "APPCODE " APPCODE);
}

static void
test_request (void)
{
  check_request (NAME, NAME_ENCODED);
  /* A middle dot, and a foreign name with a space and an apostrophe. */
  check_request ("阿依古丽·买买提", "%E9%98%BF%E4%BE%9D%E5%8F%A4%E4%B8%BD%C2%B7%E4%B9%B0%E4%B9%B0%E6%8F%90");
  check_request ("Anna O'Neil", "Anna%20O%27Neil");
}

static void
verify_ok (CkVerifier *verifier)
{
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CK_VERIFY_OUTCOME_VERIFIED);
}

/* A verifier keeps its connection: three attempts, one TCP and TLS
 * handshake. Another verifier (another configuration) gets its own. */
static void
test_reuse (void)
{
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, NULL, 2);
  g_autoptr(CkVerifier) other = make_verifier (mock->good_port, NULL, 2);
  guint previous = ck_test_mock_count_requests (mock) > 0 ? ck_test_mock_last_connection (mock) : 0;
  guint first;

  verify_ok (verifier);
  first = ck_test_mock_last_connection (mock);
  g_assert_cmpuint (first, >, previous);   /* a new connection */

  verify_ok (verifier);
  g_assert_cmpuint (ck_test_mock_last_connection (mock), ==, first);
  verify_ok (verifier);
  g_assert_cmpuint (ck_test_mock_last_connection (mock), ==, first);

  verify_ok (other);
  g_assert_cmpuint (ck_test_mock_last_connection (mock), >, first);
  verify_ok (verifier);
  g_assert_cmpuint (ck_test_mock_last_connection (mock), ==, first);
}

/* A second verification while the first is under way neither waits for it
 * nor shares its connection (libcurl does not support a connection cache
 * used by concurrent threads); afterwards the kept connection serves. */
static void
test_reuse_concurrent (void)
{
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, "pair", 5);
  g_autoptr(GAsyncResult) first_done = NULL;
  g_autoptr(GAsyncResult) second_done = NULL;
  g_autoptr(CkVerifyResult) first = NULL;
  g_autoptr(CkVerifyResult) second = NULL;
  g_autoptr(GError) error = NULL;
  guint before = ck_test_mock_count_requests (mock);
  guint first_connection;

  ck_verifier_verify_async (verifier, NAME, ID_NUMBER, NULL, on_verified, &first_done);
  /* Logged by the mock: the first transfer is under way, and held. */
  while (ck_test_mock_count_requests (mock) == before)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  first_connection = ck_test_mock_last_connection (mock);
  g_assert_null (first_done);

  /* The mock answers neither until both are under way: had the second
   * waited for the first, both would time out. */
  ck_verifier_verify_async (verifier, NAME, ID_NUMBER, NULL, on_verified, &second_done);
  while (first_done == NULL || second_done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ck_test_mock_last_connection (mock), !=, first_connection);

  first = ck_verifier_verify_finish (verifier, first_done, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->outcome, ==, CK_VERIFY_OUTCOME_VERIFIED);
  second = ck_verifier_verify_finish (verifier, second_done, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->outcome, ==, CK_VERIFY_OUTCOME_VERIFIED);

  /* Afterwards the kept connection serves again: a verifier sees this
   * mock only in pairs, so look at both requests of the next pair. */
  g_clear_object (&first_done);
  g_clear_object (&second_done);
  ck_verifier_verify_async (verifier, NAME, ID_NUMBER, NULL, on_verified, &first_done);
  ck_verifier_verify_async (verifier, NAME, ID_NUMBER, NULL, on_verified, &second_done);
  while (first_done == NULL || second_done == NULL)
    g_main_context_iteration (NULL, TRUE);
  {
    g_auto(GStrv) lines = ck_test_mock_read_requests (mock);
    guint n = g_strv_length (lines);
    g_autofree char *kept = g_strdup_printf ("\t%u", first_connection);

    g_assert_cmpuint (n, ==, before + 4);
    g_assert_true (g_str_has_suffix (lines[n - 1], kept) || g_str_has_suffix (lines[n - 2], kept));
  }
}

typedef struct
{
  GCancellable *cancellable;
  guint requests;
} CancelOnceSent;

/* Cancels once the mock has logged the request: the transfer is under
 * way (and held), whatever the machine's load. */
static gboolean
cancel_once_sent (gpointer data)
{
  CancelOnceSent *cancel = data;

  if (ck_test_mock_count_requests (mock) == cancel->requests)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (cancel->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, "hang", 30);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  CancelOnceSent cancel = { cancellable, ck_test_mock_count_requests (mock) };

  g_timeout_add (10, cancel_once_sent, &cancel);
  result = verify (verifier, NAME, ID_NUMBER, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  /* Ended by the cancellation, not by the 30 s timeout (which would give
   * a timeout outcome, not G_IO_ERROR_CANCELLED): libcurl's progress
   * callback, which looks at the cancellable, runs about once a second. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <, 30);

  /* Cancelled before it starts: nothing is sent. */
  g_clear_error (&error);
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();
    guint before = ck_test_mock_count_requests (mock);

    g_cancellable_cancel (cancelled);
    result = verify (verifier, NAME, ID_NUMBER, cancelled, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (result);
    g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
  }
}

static void
test_demo (void)
{
  /* The port is the mock's, to show that no request reaches it. */
  g_autoptr(CkConfig) config = make_config ("demo", mock->good_port, NULL, 2);
  g_autoptr(CkVerifier) verifier = NULL;
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *staff = NULL;
  guint before = ck_test_mock_count_requests (mock);

  verifier = ck_verifier_new (config, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_verifier_get_provider (verifier), ==, CK_VERIFIER_PROVIDER_DEMO);

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CK_VERIFY_OUTCOME_VERIFIED);
  g_assert_true (result->demo);
  g_assert_cmpuint (result->http_status, ==, 0);
  customer = ck_verify_result_dup_customer_message (result);
  staff = ck_verify_result_dup_staff_message (result);
  g_assert_nonnull (strstr (customer, "DEMO"));
  g_assert_nonnull (strstr (staff, "DEMO"));
  g_clear_pointer (&result, ck_verify_result_free);

  /* A wrong check character: not matched. */
  result = verify (verifier, NAME, "110105194912310021", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CK_VERIFY_OUTCOME_NOT_MATCHED);
  g_assert_true (result->demo);
  g_clear_pointer (&result, ck_verify_result_free);

  /* Not an ID number at all: rejected input. */
  result = verify (verifier, NAME, "12345", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CK_VERIFY_OUTCOME_INPUT_REJECTED);
  g_clear_pointer (&result, ck_verify_result_free);

  g_assert_cmpuint (ck_test_mock_count_requests (mock), ==, before);
}

static void
test_disabled (void)
{
  g_autoptr(CkConfig) config = make_config ("none", mock->good_port, NULL, 2);
  g_autoptr(CkVerifier) verifier = NULL;
  g_autoptr(GError) error = NULL;

  verifier = ck_verifier_new (config, &error);
  g_assert_error (error, CK_VERIFIER_ERROR, CK_VERIFIER_ERROR_DISABLED);
  g_assert_null (verifier);
}

/* A ca_file that holds no certificate: the kiosk's own setting is wrong. */
static void
test_bad_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "bad-ca.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);
  g_autofree char *appcode = g_build_filename (tmp_dir, "appcode", NULL);
  g_autofree char *ca = g_build_filename (tmp_dir, "not-a-ca.pem", NULL);
  g_autofree char *text = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkVerifier) verifier = NULL;
  g_autoptr(CkVerifyResult) result = NULL;

  g_file_set_contents (ca, "not a certificate\n", -1, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("[verification]\nprovider = aliyun-idcert\n"
                          "endpoint = https://127.0.0.1:%u/idcard\n"
                          "appcode_file = %s\nca_file = %s\n"
                          "connect_timeout_s = 1\ntimeout_s = 2\n",
                          mock->good_port, appcode, ca);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);
  verifier = ck_verifier_new (config, &error);
  g_assert_no_error (error);

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_verify_outcome_to_string (result->outcome), ==, "config-fault");
  g_assert_nonnull (strstr (result->detail, "curl error 77:"));
}

static void
test_appcode_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "open.conf", NULL);
  g_autofree char *none = g_build_filename (tmp_dir, "none.conf", NULL);
  g_autofree char *appcode = g_build_filename (tmp_dir, "appcode-0644", NULL);
  g_autofree char *text = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkVerifier) verifier = NULL;

  g_file_set_contents_full (appcode, APPCODE "\n", -1, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("[verification]\nprovider = aliyun-idcert\nappcode_file = %s\n", appcode);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  config = ck_config_load (none, none, path, &error);
  g_assert_no_error (error);

  /* An AppCode others can read is refused before anything is sent. */
  verifier = ck_verifier_new (config, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_MODE);
  g_assert_null (verifier);
  g_assert_null (strstr (error->message, APPCODE));
  add_produced (error->message);
}

/* The messages reach customers and staff in Chinese. */
static void
test_translated (void)
{
  g_autoptr(CkConfig) config = make_config ("demo", mock->good_port, NULL, 2);
  g_autoptr(CkVerifier) verifier = ck_verifier_new (config, NULL);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *customer = NULL;
  g_autofree char *staff = NULL;

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not installed");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  customer = ck_verify_result_dup_customer_message (result);
  staff = ck_verify_result_dup_staff_message (result);
  g_assert_cmpstr (customer, ==, "您的身份已核验通过。 （演示：未进行真实核验。）");
  g_assert_cmpstr (staff, ==, "核验通过：服务确认姓名与身份证号码 " ID_MASKED " 一致。 演示服务：未发送任何请求。");

  g_setenv ("LANGUAGE", old_language ? old_language : "en", TRUE);
  setlocale (LC_ALL, old_locale);
}

static void
test_result_copy (void)
{
  g_autoptr(CkVerifier) verifier = make_verifier (mock->good_port, "403", 2);
  g_autoptr(CkVerifyResult) result = NULL;
  g_autoptr(CkVerifyResult) copy = NULL;
  g_autoptr(GError) error = NULL;

  result = verify (verifier, NAME, ID_NUMBER, NULL, &error);
  g_assert_no_error (error);
  copy = g_boxed_copy (CK_TYPE_VERIFY_RESULT, result);
  g_assert_cmpint (copy->outcome, ==, result->outcome);
  g_assert_cmpstr (copy->error_message, ==, result->error_message);
  g_assert_cmpstr (copy->request_id, ==, result->request_id);
  g_assert_true (copy->body == NULL ? result->body == NULL : g_bytes_equal (copy->body, result->body));
}

/* Runs last (its suite is the last one made): nothing any verifier produced or logged holds a secret. */
static void
test_scan (void)
{
  g_autofree char *lower_id = g_ascii_strdown (ID_NUMBER, -1);
  g_autofree char *url_part = g_strdup_printf ("127.0.0.1:%u", mock->good_port);

  g_mutex_lock (&produced_lock);
  g_assert_cmpuint (produced->len, >, 1000);
  /* The scan sees what it should: the masked number is there. */
  g_assert_nonnull (strstr (produced->str, ID_MASKED));
  g_assert_null (strstr (produced->str, APPCODE));
  g_assert_null (strstr (produced->str, ID_NUMBER));
  g_assert_null (strstr (produced->str, lower_id));
  g_assert_null (strstr (produced->str, "idCard="));
  g_assert_null (strstr (produced->str, NAME_ENCODED));
  g_assert_null (strstr (produced->str, url_part));
  g_assert_null (strstr (produced->str, "/idcard"));
  g_mutex_unlock (&produced_lock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  ck_test_log_set_filter (record_message);
  ck_test_mock_clear_env ();
  produced = g_string_new (NULL);

  g_test_init (&argc, &argv, NULL);
  ck_init ();

  tmp_dir = g_dir_make_tmp ("test-verifier-XXXXXX", &error);
  g_assert_no_error (error);
  ck_test_mock_write_appcode (tmp_dir);
  mock = ck_test_mock_start (tmp_dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verifier/mode/%s", cases[i].mode);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_data_func ("/verifier/tls/other-host", &mock->otherhost_port, test_tls);
  g_test_add_data_func ("/verifier/tls/untrusted", &mock->untrusted_port, test_tls);
  g_test_add_func ("/verifier/refused", test_refused);
  g_test_add_func ("/verifier/request", test_request);
  g_test_add_func ("/verifier/reuse/sequential", test_reuse);
  g_test_add_func ("/verifier/reuse/concurrent", test_reuse_concurrent);
  g_test_add_func ("/verifier/cancel", test_cancel);
  g_test_add_func ("/verifier/demo", test_demo);
  g_test_add_func ("/verifier/disabled", test_disabled);
  g_test_add_func ("/verifier/appcode-mode", test_appcode_mode);
  g_test_add_func ("/verifier/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/verifier/translated", test_translated);
  g_test_add_func ("/verifier/result-copy", test_result_copy);
  g_test_add_func ("/verifier/secrets/scan", test_scan);

  status = g_test_run ();

  ck_test_mock_stop (mock);
  ck_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_string_free (produced, TRUE);

  return status;
}
