/* ck-central.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A connection to the central archive (docs/CENTRAL.md): PostgreSQL
 * through libpq, the server always verified (sslmode=verify-full for a
 * TCP host), the role's password read from a 0600 file or a client
 * certificate, nothing secret ever in a message. The archive's schema:
 * ck-central-schema.c; the sync: ck-central-sync.c. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "ck-central-private.h"
#include "ck-seal-private.h"

G_DEFINE_QUARK (ck-central-error-quark, ck_central_error)

G_DEFINE_FINAL_TYPE (CkCentral, ck_central, G_TYPE_OBJECT)

static void
ck_central_finalize (GObject *object)
{
  CkCentral *self = (CkCentral *)object;

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->role);
  g_free (self->display_url);
  g_free (self->receipt_kiosk);

  G_OBJECT_CLASS (ck_central_parent_class)->finalize (object);
}

static void
ck_central_class_init (CkCentralClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ck_central_finalize;
}

static void
ck_central_init (CkCentral *self)
{
}

#ifdef CK_FAULT_INJECTION
void
_ck_central_fault_point (const char *name)
{
  static int count;
  const char *want = g_getenv ("CK_FAULT_POINT");
  const char *nth = g_getenv ("CK_FAULT_COUNT");

  if (want == NULL || !g_str_equal (want, name))
    return;
  if (nth == NULL || ++count >= atoi (nth))
    {
      /* CK_FAULT_ACTION=stop: stop here instead, for the test to act
       * (stop the server) while the batch is in flight, then continue. */
      if (g_strcmp0 (g_getenv ("CK_FAULT_ACTION"), "stop") == 0)
        {
          count = G_MININT;
          raise (SIGSTOP);
          return;
        }
      raise (SIGKILL);
    }
}
#endif

/**
 * ck_central_params_from_config:
 * @params: (out caller-allocates): filled with strings @config owns
 * @config: a #CkConfig
 */
void
ck_central_params_from_config (CkCentralParams *params,
                               CkConfig        *config)
{
  memset (params, 0, sizeof *params);
  params->url = ck_config_get_central_url (config);
  params->password_file = ck_config_get_central_password_file (config);
  params->client_certificate = ck_config_get_central_client_certificate (config);
  params->client_key = ck_config_get_central_client_key (config);
  params->ca_file = ck_config_get_central_ca_file (config);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && text[0] != '\0';
}

/**
 * ck_central_dup_display_url:
 * @url: a connection URI
 *
 * Returns: (transfer full): @url as messages may show it: user, host,
 *   port and database, nothing else (never a password)
 */
char *
ck_central_dup_display_url (const char *url)
{
  PQconninfoOption *options;
  const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;
  char *display;

  if (url == NULL || !(options = PQconninfoParse (url, NULL)))
    return g_strdup (_("(an unreadable URL)"));
  for (PQconninfoOption *o = options; o->keyword; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "user"))
        user = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
      else if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
    }
  display = g_strdup_printf ("postgresql://%s%s%s%s%s/%s",
                             user ? user : "", user ? "@" : "",
                             host ? host : "", port ? ":" : "", port ? port : "",
                             dbname ? dbname : "");
  PQconninfoFree (options);

  return display;
}

/* libpq's message, one line, for the end of ours. */
static char *
libpq_message (const char *message)
{
  g_autofree char *text = g_strdup (message ? message : "");

  g_strstrip (text);
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';

  return g_steal_pointer (&text);
}

static void
set_connect_error (const char  *display_url,
                   const char  *message,
                   GError     **error)
{
  g_autofree char *why = libpq_message (message);

  if (strstr (why, "certificate verify failed") || strstr (why, "does not match host name") ||
      strstr (why, "SSL") || strstr (why, "root certificate"))
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_TLS,
                 _("The central archive at %s could not prove who it is: its certificate is not "
                   "signed by the CA in [central] ca_file, or not issued for that host name. Nothing "
                   "was sent. (%s)"),
                 display_url, why);
  else if (strstr (why, "password") || strstr (why, "authentication failed") ||
           strstr (why, "pg_hba.conf") || strstr (why, "does not exist"))
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_AUTH,
                 _("The central archive at %s refused this kiosk's login: check the role, "
                   "[central] password_file or client_certificate. (%s)"),
                 display_url, why);
  else
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONNECT,
                 _("The central archive at %s cannot be reached. (%s)"), display_url, why);
}

/* Whether @host names a TCP host rather than a Unix socket's folder. */
static gboolean
is_tcp_host (const char *host)
{
  return is_set (host) && host[0] != '/' && host[0] != '@';
}

static void
log_notice (void       *user_data,
            const char *message)
{
  g_debug ("central archive: %s", message);
}

/**
 * ck_central_connect:
 * @params: where the archive is and how to log in
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Connects, verifying a TCP server's certificate and host name against
 * @params->ca_file (sslmode=verify-full) and refusing a URL that carries
 * a password or weakens the check.
 *
 * Returns: (transfer full) (nullable): the connection
 */
CkCentral *
ck_central_connect (const CkCentralParams  *params,
                    GError                **error)
{
  g_autoptr(CkCentral) self = NULL;
  g_autofree char *password = NULL;
  g_autofree char *timeout = g_strdup_printf ("%d", CK_CENTRAL_CONNECT_TIMEOUT_S);
  PQconninfoOption *options;
  const char *keywords[24], *values[24];
  char *parse_error = NULL;
  gboolean tcp = FALSE;
  guint n = 0;

  g_return_val_if_fail (params != NULL, NULL);

  if (!is_set (params->url))
    {
      g_set_error_literal (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                           _("No central archive is configured: set url in [central]."));
      return NULL;
    }
  if (!(options = PQconninfoParse (params->url, &parse_error)))
    {
      g_autofree char *why = libpq_message (parse_error);

      PQfreemem (parse_error);
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("The central archive's URL cannot be read (%s)."), why);
      return NULL;
    }
  for (PQconninfoOption *o = options; o->keyword; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "password") && o->val[0])
        {
          PQconninfoFree (options);
          g_set_error_literal (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                               _("The central archive's URL holds a password: remove it and put it in "
                                 "the file [central] password_file names."));
          return NULL;
        }
      if (g_str_equal (o->keyword, "host") || g_str_equal (o->keyword, "hostaddr"))
        {
          g_auto(GStrv) hosts = g_strsplit (o->val, ",", -1);

          for (guint i = 0; hosts[i]; i++)
            tcp = tcp || is_tcp_host (hosts[i]);
        }
    }
  PQconninfoFree (options);

  self = g_object_new (CK_TYPE_CENTRAL, NULL);
  self->display_url = ck_central_dup_display_url (params->url);

  if (tcp && !is_set (params->ca_file))
    {
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("The central archive at %s is reached over the network: set ca_file in "
                     "[central] to the CA that signed its certificate."),
                   self->display_url);
      return NULL;
    }
  if (is_set (params->password_file))
    {
      g_autoptr(GError) local_error = NULL;

      if (!(password = _ck_seal_read_secret (params->password_file, &local_error)))
        {
          g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                       _("[central] password_file: %s"), local_error->message);
          return NULL;
        }
    }

  /* The URL first: the keywords after it override what it says. */
  keywords[n] = "dbname", values[n++] = params->url;
  keywords[n] = "connect_timeout", values[n++] = timeout;
  keywords[n] = "application_name", values[n++] = "consent-kiosk";
  keywords[n] = "client_encoding", values[n++] = "UTF8";
  /* A server that stops answering mid-batch is given up on, and the
   * batch rolled back, rather than waited for forever. */
  keywords[n] = "keepalives_idle", values[n++] = "30";
  keywords[n] = "keepalives_interval", values[n++] = "10";
  keywords[n] = "keepalives_count", values[n++] = "3";
  keywords[n] = "tcp_user_timeout", values[n++] = "60000";
  keywords[n] = "options", values[n++] = "-c statement_timeout=300000 -c idle_in_transaction_session_timeout=300000";
  /* The password comes from password_file or nowhere: not ~/.pgpass. */
  keywords[n] = "passfile", values[n++] = "/dev/null/none";
  if (tcp)
    {
      keywords[n] = "sslmode", values[n++] = "verify-full";
      keywords[n] = "sslrootcert", values[n++] = params->ca_file;
      keywords[n] = "sslcrl", values[n++] = "";
    }
  if (is_set (params->client_certificate))
    {
      keywords[n] = "sslcert", values[n++] = params->client_certificate;
      keywords[n] = "sslkey", values[n++] = params->client_key;
    }
  else if (tcp)
    {
      /* Not ~/.postgresql/postgresql.crt behind the administrator's back. */
      keywords[n] = "sslcert", values[n++] = "/dev/null/none";
    }
  if (password)
    keywords[n] = "password", values[n++] = password;
  keywords[n] = NULL, values[n] = NULL;

  self->conn = PQconnectdbParams (keywords, values, 1);
  if (password)
    {
      memset (password, 0, strlen (password));
      g_clear_pointer (&password, _ck_seal_free_secret);
    }
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      set_connect_error (self->display_url, self->conn ? PQerrorMessage (self->conn) : "out of memory", error);
      return NULL;
    }
  self->role = g_strdup (PQuser (self->conn));
  /* The server's notices ("role … is already a member …") are for the
   * debug log, not the staff's terminal. */
  PQsetNoticeProcessor (self->conn, log_notice, NULL);

  return g_steal_pointer (&self);
}

const char *
ck_central_get_role (CkCentral *self)
{
  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);

  return self->role;
}

/* Turns a failed result (or a lost connection) into a GError. */
gboolean
_ck_central_result_error (CkCentral  *self,
                          PGresult   *result,
                          GError    **error)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *why = libpq_message (result ? PQresultErrorMessage (result) : PQerrorMessage (self->conn));

  if (PQstatus (self->conn) == CONNECTION_BAD || (state && g_str_has_prefix (state, "08")) ||
      g_strcmp0 (state, "57P01") == 0 || g_strcmp0 (state, "57P02") == 0 || g_strcmp0 (state, "57P03") == 0)
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_LOST,
                 _("The connection to the central archive at %s broke off; nothing half-sent was "
                   "kept, the next sync sends it again. (%s)"),
                 self->display_url, why);
  else if (state && (g_str_equal (state, "3F000") || g_str_equal (state, "42P01") ||
                     g_str_equal (state, "42883")))
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_SCHEMA,
                 _("The database at %s holds no central archive of this version: run "
                   "“consentctl central init” or “migrate”. (%s)"),
                 self->display_url, why);
  else if (state && (g_str_has_prefix (state, "23") || g_str_equal (state, "42501")))
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_REFUSED,
                 _("The central archive at %s refused it. (%s)"), self->display_url, why);
  else
    g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_FAILED,
                 _("The central archive at %s answered with an error. (%s)"), self->display_url, why);

  return FALSE;
}

/**
 * _ck_central_exec:
 *
 * Runs @sql with text parameters.
 *
 * Returns: (transfer full) (nullable): a result that holds tuples or
 *   succeeded as a command; %NULL with @error set
 */
PGresult *
_ck_central_exec (CkCentral          *self,
                  const char         *sql,
                  int                 n_params,
                  const char * const *values,
                  GError            **error)
{
  PGresult *result = PQexecParams (self->conn, sql, n_params, NULL, values, NULL, NULL, 0);
  ExecStatusType status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return result;

  _ck_central_result_error (self, result, error);
  g_clear_pointer (&result, PQclear);
  return NULL;
}

gboolean
_ck_central_command (CkCentral   *self,
                     const char  *sql,
                     GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);
  ExecStatusType status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return TRUE;

  return _ck_central_result_error (self, result, error);
}

void
_ck_central_rollback (CkCentral *self)
{
  if (PQstatus (self->conn) == CONNECTION_OK && PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    {
      PGresult *result = PQexec (self->conn, "ROLLBACK");

      PQclear (result);
    }
}
