/* ck-mock-idcert.c: an HTTPS mock of the identity-verification API
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Usage: ck-mock-idcert CERT_DIR REQUEST_LOG
 *
 * CERT_DIR is what make-certs.sh made. Three HTTPS servers listen on
 * 127.0.0.1, each on a port it picks: one with the good certificate, one
 * with a certificate for another host, one with an untrusted certificate.
 * Once they listen, one line goes to standard output:
 *
 *   good=PORT otherhost=PORT untrusted=PORT
 *
 * The path chooses the answer: /idcard answers "01"; /MODE/idcard answers
 * MODE (see handle ()). Every request appends one line to REQUEST_LOG:
 *
 *   METHOD<TAB>PATH<TAB>RAW QUERY<TAB>AUTHORIZATION HEADER<TAB>CONNECTION
 *
 * CONNECTION numbers the TCP (and so TLS) connections the request came
 * on, from 1, across all three servers: two requests with the same
 * number came on one connection, which a client reused.
 *
 * The mock exits when its standard input closes. */

#define G_LOG_DOMAIN "ck-mock-idcert"

#include "config.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static FILE *request_log;
static guint connections;

/* 10 MB, for the "huge" mode. */
#define HUGE_SIZE (10 * 1024 * 1024)

static void
answer_json (SoupServerMessage *msg,
             const char        *status,
             GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *id = query ? g_hash_table_lookup (query, "idCard") : NULL;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  const char *message = g_str_equal (status, "01") ? "实名认证通过！" :
                        g_str_equal (status, "02") ? "实名认证不通过！" :
                        "无法验证";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "msg");
  json_builder_add_string_value (builder, message);
  /* The real service echoes the number: the verifier must mask it. */
  json_builder_set_member_name (builder, "idCard");
  json_builder_add_string_value (builder, id ? id : "");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name ? name : "");
  json_builder_set_member_name (builder, "sex");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

static void
gateway_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "X-Ca-Error-Code", code);
  soup_message_headers_replace (headers, "X-Ca-Error-Message", message);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
}

typedef struct
{
  SoupServerMessage *msg;
  guint sent;
  gboolean finished;
} Trickle;

static void
trickle_finished (SoupServerMessage *msg,
                  Trickle           *trickle)
{
  trickle->finished = TRUE;
}

static gboolean
trickle_next (gpointer data)
{
  Trickle *trickle = data;

  if (trickle->finished || trickle->sent >= 100)
    {
      if (!trickle->finished)
        soup_message_body_complete (soup_server_message_get_response_body (trickle->msg));
      if (!trickle->finished)
        soup_server_message_unpause (trickle->msg);
      g_signal_handlers_disconnect_by_func (trickle->msg, trickle_finished, trickle);
      g_object_unref (trickle->msg);
      g_free (trickle);
      return G_SOURCE_REMOVE;
    }

  soup_message_body_append (soup_server_message_get_response_body (trickle->msg),
                            SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (trickle->msg);
  trickle->sent++;

  return G_SOURCE_CONTINUE;
}

static void
late_finished (SoupServerMessage *msg,
               gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "ck-mock-finished", GINT_TO_POINTER (1));
}

/* The first request of a "pair", held until the second comes. */
static SoupServerMessage *pair_waiting;

/* Answers a held request "01" and drops the hold's reference. */
static void
answer_late (SoupServerMessage *msg)
{
  /* Unless the client gave up and the message is gone. */
  if (g_object_get_data (G_OBJECT (msg), "ck-mock-finished") == NULL)
    {
      answer_json (msg, "01", NULL);
      soup_server_message_unpause (msg);
    }
  g_object_unref (msg);
}

static void
reset_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  struct linger linger = { 1, 0 };
  GIOStream *stream;

  /* SO_LINGER 0: close () sends RST instead of FIN. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_object_ref (socket);
  stream = soup_server_message_steal_connection (msg);
  g_socket_close (socket, NULL);
  g_object_unref (socket);
  g_clear_object (&stream);
}

/* The number of the connection @msg came on; a new connection gets the
 * next one. libsoup keeps one GSocket a connection. */
static guint
connection_number (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  guint number;

  if (socket == NULL)
    return 0;
  number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), "ck-mock-connection"));
  if (number == 0)
    {
      number = ++connections;
      g_object_set_data (G_OBJECT (socket), "ck-mock-connection", GUINT_TO_POINTER (number));
    }

  return number;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (request, "Authorization");
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *mode = "01";

  fprintf (request_log, "%s\t%s\t%s\t%s\t%u\n", soup_server_message_get_method (msg), path,
           raw_query ? raw_query : "", authorization ? authorization : "",
           connection_number (msg));
  fflush (request_log);

  /* "/idcard" → { "", "idcard" }; "/MODE/idcard" → { "", MODE, "idcard" } */
  if (g_strv_length (parts) == 3 && g_str_equal (parts[2], "idcard"))
    mode = parts[1];
  else if (!(g_strv_length (parts) == 2 && g_str_equal (parts[1], "idcard")))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_message_headers_replace (response, "X-Ca-Request-Id", "6A1B2C3D-0000-4000-8000-MOCK00000001");

  if (g_str_equal (mode, "01") || g_str_equal (mode, "02") || g_str_equal (mode, "202") ||
      g_str_equal (mode, "203") || g_str_equal (mode, "204") || g_str_equal (mode, "205") ||
      g_str_equal (mode, "99"))
    answer_json (msg, mode, query);
  else if (g_str_equal (mode, "nostatus"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"msg\":\"x\"}", 11);
    }
  else if (g_str_equal (mode, "400"))
    gateway_error (msg, 400, "I400IU", "Invalid Url");
  else if (g_str_equal (mode, "401"))
    gateway_error (msg, 401, "I401AC", "Invalid AppCode");
  else if (g_str_equal (mode, "403"))
    gateway_error (msg, 403, "Q403QE", "Quota Exhausted");
  else if (g_str_equal (mode, "leaky"))
    {
      /* A careless gateway: echoes the AppCode and the number back, in a
       * header and in the body. The verifier must keep neither. */
      const char *id = query ? g_hash_table_lookup (query, "idCard") : NULL;
      g_autofree char *text = g_strdup_printf ("Invalid %s for %s",
                                               authorization ? authorization : "", id ? id : "");

      gateway_error (msg, 403, "Q403LK", text);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else if (g_str_equal (mode, "500") || g_str_equal (mode, "502") || g_str_equal (mode, "503"))
    {
      soup_server_message_set_status (msg, atoi (mode), NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "error", 5);
    }
  else if (g_str_equal (mode, "malformed"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"status\":\"01\",", 14);
    }
  else if (g_str_equal (mode, "empty"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "", 0);
    }
  else if (g_str_equal (mode, "huge") || g_str_equal (mode, "huge-chunked"))
    {
      char *body = g_malloc (HUGE_SIZE);

      memset (body, ' ', HUGE_SIZE);
      body[0] = '{';
      soup_server_message_set_status (msg, 200, NULL);
      if (g_str_equal (mode, "huge-chunked"))
        soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, HUGE_SIZE);
    }
  else if (g_str_equal (mode, "hang"))
    soup_server_message_pause (msg);   /* never unpaused: headers never come */
  else if (g_str_equal (mode, "pair"))
    {
      /* "01", but only once a second "pair" request is under way too: a
       * client that sends one request at a time never gets an answer. */
      if (pair_waiting == NULL)
        {
          g_signal_connect (msg, "finished", G_CALLBACK (late_finished), NULL);
          soup_server_message_pause (msg);
          pair_waiting = g_object_ref (msg);
        }
      else
        {
          answer_late (g_steal_pointer (&pair_waiting));
          answer_json (msg, "01", query);
        }
    }
  else if (g_str_equal (mode, "trickle"))
    {
      Trickle *trickle = g_new0 (Trickle, 1);

      trickle->msg = g_object_ref (msg);
      g_signal_connect (msg, "finished", G_CALLBACK (trickle_finished), trickle);
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_message_body_append (soup_server_message_get_response_body (msg),
                                SOUP_MEMORY_STATIC, "{", 1);
      g_timeout_add (200, trickle_next, trickle);
    }
  else if (g_str_equal (mode, "reset"))
    reset_connection (msg);
  else if (g_str_equal (mode, "redirect"))
    {
      g_autofree char *location = g_strdup_printf ("http://127.0.0.1:%u/idcard?%s",
                                                   g_uri_get_port (soup_server_message_get_uri (msg)),
                                                   raw_query ? raw_query : "");

      soup_server_message_set_redirect (msg, 302, location);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static SoupServer *
start_server (const char  *cert_dir,
              const char  *name,
              guint       *port,
              GError     **error)
{
  g_autofree char *cert_path = g_strdup_printf ("%s/%s.pem", cert_dir, name);
  g_autofree char *key_path = g_strdup_printf ("%s/%s.key", cert_dir, name);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);
  if (certificate == NULL)
    return NULL;

  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, handle, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (server);
  *port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return g_steal_pointer (&server);
}

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[64];

  if (read (fd, buffer, sizeof buffer) <= 0)
    _exit (0);   /* the test is done (or gone); no clean-up needed */

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) good = NULL;
  g_autoptr(SoupServer) otherhost = NULL;
  g_autoptr(SoupServer) untrusted = NULL;
  guint good_port = 0, otherhost_port = 0, untrusted_port = 0;

  if (argc != 3)
    {
      g_printerr ("Usage: %s CERT_DIR REQUEST_LOG\n", argv[0]);
      return 2;
    }

  request_log = fopen (argv[2], "a");
  if (request_log == NULL)
    {
      g_printerr ("%s: cannot open %s\n", argv[0], argv[2]);
      return 1;
    }

  if ((good = start_server (argv[1], "good", &good_port, &error)) == NULL ||
      (otherhost = start_server (argv[1], "otherhost", &otherhost_port, &error)) == NULL ||
      (untrusted = start_server (argv[1], "untrusted", &untrusted_port, &error)) == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, NULL);

  g_print ("good=%u otherhost=%u untrusted=%u\n", good_port, otherhost_port, untrusted_port);
  fflush (stdout);

  g_main_loop_run (loop);

  return 0;
}
