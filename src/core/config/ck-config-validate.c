/* ck-config-validate.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Checking values, and what is said when one is wrong: each value as a
 * file gives it (type, range, choice, address, absolute path), then the
 * effective values once all layers are merged (files readable, https://,
 * an AppCode for aliyun-idcert, the staff PIN's hash, dates, the central
 * archive's URI). Errors name the file, the group and the key; warnings
 * are kept for ck_config_get_warnings(). */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-config-private.h"
#include "ck-card-reader.h"
#include "ck-date.h"
#include "ck-pin.h"

/* Sets an error that names the file, the group and the key. */
void
_ck_config_set_key_error (GError        **error,
                          CkConfigError   code,
                          const char     *file,
                          KeyId           id,
                          const char     *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* TRANSLATORS: file, group, key, then what is wrong with the key's value */
  g_set_error (error, CK_CONFIG_ERROR, code, _("%s: [%s] %s: %s"),
               _ck_config_source_label (file), _ck_config_keys[id].group, _ck_config_keys[id].key,
               message);
}

void
_ck_config_add_warning (CkConfig   *self,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Parses @input (stripped of surrounding white space) as the value of key
 * @id and stores it in @value. */
gboolean
_ck_config_parse_value (KeyId        id,
                        const char  *file,
                        const char  *input,
                        Value       *value,
                        GError     **error)
{
  const KeyInfo *info = &_ck_config_keys[id];
  g_autofree char *text = g_strstrip (g_strdup (input));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  guint number = 0;

  if (text[0] == '\0' && (info->flags & FLAG_NOT_EMPTY))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_EMPTY, file, id,
                                _("The value must not be empty."));
      return FALSE;
    }

  switch (info->kind)
    {
    case KIND_STRING:
      break;

    case KIND_PATH:
      if (text[0] == '\0')
        g_clear_pointer (&text, g_free);
      else if (!g_path_is_absolute (text))
        {
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_RELATIVE_PATH, file, id,
                                    _("“%s” is not an absolute path: give the full path, starting with /."),
                                    text);
          return FALSE;
        }
      break;

    case KIND_UINT:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &n, &local_error) &&
            g_error_matches (local_error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_INVALID))
          {
            _ck_config_set_key_error (error, CK_CONFIG_ERROR_NOT_A_NUMBER, file, id,
                                      _("“%s” is not a number."), text);
            return FALSE;
          }
        if (local_error != NULL || n < info->min || n > info->max)
          {
            _ck_config_set_key_error (error, CK_CONFIG_ERROR_OUT_OF_RANGE, file, id,
                                      _("%s is out of range: use a whole number from %u to %u."),
                                      text, info->min, info->max);
            return FALSE;
          }
        number = (guint)n;
        g_free (text);
        text = g_strdup_printf ("%u", number);
      }
      break;

    case KIND_BOOLEAN:
      if (g_str_equal (text, "true") || g_str_equal (text, "1"))
        number = TRUE;
      else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
        number = FALSE;
      else
        {
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_NOT_A_BOOLEAN, file, id,
                                    _("“%s” is neither true nor false."), text);
          return FALSE;
        }
      g_free (text);
      text = g_strdup (number ? "true" : "false");
      break;

    case KIND_CHOICE:
      for (number = 0; info->choices[number]; number++)
        if (g_str_equal (text, info->choices[number]))
          break;
      if (info->choices[number] == NULL)
        {
          g_autofree char *allowed = g_strjoinv (", ", (char **)info->choices);

          _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_CHOICE, file, id,
                                    _("“%s” is not allowed; the choices are: %s."), text, allowed);
          return FALSE;
        }
      break;

    case KIND_URI:
      if (!(uri = g_uri_parse (text, G_URI_FLAGS_NONE, &local_error)))
        {
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, file, id,
                                    _("“%s” is not a valid address: %s."), text, local_error->message);
          return FALSE;
        }
      if ((g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
           g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0) ||
          g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
        {
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, file, id,
                                    _("“%s” is not an https:// address."), text);
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_free (value->text);
  value->text = g_steal_pointer (&text);
  value->number = number;

  return TRUE;
}

gboolean
_ck_config_validate_regular_file (CkConfig  *self,
                                  KeyId      id,
                                  GError   **error)
{
  const Value *value = &self->values[id];
  struct stat st;
  int saved_errno;
  int fd;

  if (value->text == NULL)
    return TRUE;

  fd = open (value->text, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      saved_errno = errno;
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source, id,
                                _("Cannot read “%s”: %s."), value->text, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source, id,
                                _("“%s” is not a regular file."), value->text);
      return FALSE;
    }
  close (fd);

  return TRUE;
}

gboolean
_ck_config_validate_provider (CkConfig  *self,
                              KeyId      id,
                              GError   **error)
{
  if (self->values[id].number == CK_VERIFIER_PROVIDER_ALIYUN_IDCERT &&
      !ck_config_get_appcode_configured (self))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_APPCODE_NOT_SET, self->values[id].source, id,
                                _("The aliyun-idcert provider needs an AppCode: set appcode_file in "
                                  "[verification] or the CK_APPCODE environment variable."));
      return FALSE;
    }

  return TRUE;
}

gboolean
_ck_config_validate_endpoint (CkConfig  *self,
                              KeyId      id,
                              GError   **error)
{
  const Value *value = &self->values[id];

  if (g_ascii_strncasecmp (value->text, "https:", 6) != 0 &&
      !self->values[KEY_VERIFICATION_ALLOW_INSECURE_HTTP].number)
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_INSECURE_URI, value->source, id,
                                _("“%s” is not an https:// address: plain HTTP would send the AppCode "
                                  "and customers' data unencrypted."), value->text);
      return FALSE;
    }

  return TRUE;
}

gboolean
_ck_config_validate_insecure (CkConfig  *self,
                              KeyId      id,
                              GError   **error)
{
  if (self->values[id].number)
    _ck_config_add_warning (self, _("%s: [%s] %s is true: plain HTTP is allowed. Use this only in tests."),
                            _ck_config_source_label (self->values[id].source),
                            _ck_config_keys[id].group, _ck_config_keys[id].key);

  return TRUE;
}

gboolean
_ck_config_validate_pin_hash (CkConfig  *self,
                              KeyId      id,
                              GError   **error)
{
  const Value *value = &self->values[id];
  g_autoptr(GError) local_error = NULL;

  if (value->text == NULL || value->text[0] == '\0')
    return TRUE;

  if (!ck_pin_check_hash (value->text, &local_error))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_PIN_HASH, value->source, id,
                                "%s", local_error->message);
      return FALSE;
    }
  if (!ck_pin_hash_is_current (value->text))
    _ck_config_add_warning (self, _("%s: [%s] %s was made with fewer PBKDF2 iterations than %u: it still works, "
                                    "but make it again with “consentctl pin-hash”."),
                            _ck_config_source_label (value->source), _ck_config_keys[id].group,
                            _ck_config_keys[id].key, CK_PIN_DEFAULT_ITERATIONS);

  return TRUE;
}

gboolean
_ck_config_validate_date (CkConfig  *self,
                          KeyId      id,
                          GError   **error)
{
  const Value *value = &self->values[id];
  g_autofree char *text = g_strstrip (g_strdup (value->text ? value->text : ""));

  if (text[0] != '\0' && !ck_date_parse (text, NULL))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_DATE, value->source, id,
                                _("“%s” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31."), text);
      return FALSE;
    }

  return TRUE;
}

/* [card_reader] baud: a speed the reader's line can be set to. */
gboolean
_ck_config_validate_baud (CkConfig  *self,
                          KeyId      id,
                          GError   **error)
{
  const Value *value = &self->values[id];

  if (!ck_card_reader_is_supported_baud (value->number))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_OUT_OF_RANGE, value->source, id,
                                _("%u baud is not a speed an ID card reader is driven at: use 9600, "
                                  "19200, 38400, 57600, 115200 or 230400."), value->number);
      return FALSE;
    }

  return TRUE;
}

/* A file that holds a secret (a key, its password): a regular file, not
 * a symbolic link, of mode 0600. Messages name the file, never what is
 * in it. */
static gboolean
check_secret_path (CkConfig    *self,
                   KeyId        id,
                   const char  *path,
                   GError     **error)
{
  const Value *value = &self->values[id];
  struct stat st;

  if (lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source, id,
                                _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (S_ISLNK (st.st_mode))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source, id,
                                _("“%s” is a symbolic link: give the path of the file itself."), path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source, id,
                                _("“%s” is not a regular file."), path);
      return FALSE;
    }
  if ((st.st_mode & 07777) != 0600)
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_SECRET_MODE, value->source, id,
                                _("“%s” has mode %04o; it must be 0600 (readable and writable by its "
                                  "owner only): chmod 600 %s"),
                                path, (guint)(st.st_mode & 07777), path);
      return FALSE;
    }
  if (access (path, R_OK) != 0)
    {
      int saved_errno = errno;

      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source, id,
                                _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
_ck_config_validate_secret_file (CkConfig  *self,
                                 KeyId      id,
                                 GError   **error)
{
  const char *path = self->values[id].text;

  return path == NULL || path[0] == '\0' || check_secret_path (self, id, path, error);
}

/* [signing] key: empty (no seal), a pkcs11: URI, or the absolute path of
 * a PKCS#12 or PEM key file of mode 0600. */
gboolean
_ck_config_validate_signing_key (CkConfig  *self,
                                 KeyId      id,
                                 GError   **error)
{
  const Value *value = &self->values[id];
  const char *text = value->text;

  if (text == NULL || text[0] == '\0' || g_str_has_prefix (text, "pkcs11:"))
    return TRUE;

  if (!g_path_is_absolute (text))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_RELATIVE_PATH, value->source, id,
                                _("“%s” is neither a pkcs11: URI nor an absolute path."), text);
      return FALSE;
    }

  return check_secret_path (self, id, text, error);
}

/* A TSA's replies are only worth anything checked against its CA. */
gboolean
_ck_config_validate_tsa_url (CkConfig  *self,
                             KeyId      id,
                             GError   **error)
{
  const Value *value = &self->values[id];
  const char *ca = self->values[KEY_SIGNING_TSA_CA_FILE].text;

  if (value->text == NULL || value->text[0] == '\0')
    return TRUE;
  if (ca == NULL || ca[0] == '\0')
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_EMPTY, value->source, id,
                                _("A time-stamping authority is set but tsa_ca_file is not: its "
                                  "replies could not be checked. Set tsa_ca_file in [signing]."));
      return FALSE;
    }

  return TRUE;
}

/* --- [central] ---------------------------------------------------------- */

/* Whether one host of a libpq host list is reached over TCP: libpq takes
 * an empty host for the default socket folder and one starting with /
 * (written %2F in a URI, decoded by then) for a socket folder. */
static gboolean
is_tcp_host (const char *host)
{
  return host[0] != '\0' && host[0] != '/';
}

/* The userinfo of a connection URI, as libpq finds it: what comes before
 * the first @ that is not after a /. NULL when there is none. */
static char *
dup_uri_userinfo (const char *uri)
{
  const char *start = strstr (uri, "://") + strlen ("://");
  const char *end = start + strcspn (start, "@/");

  return *end == '@' ? g_strndup (start, end - start) : NULL;
}

/* Whether the query of a connection URI names @keyword, e.g. password. */
static gboolean
uri_has_parameter (const char *uri,
                   const char *keyword)
{
  const char *query = strchr (uri, '?');
  g_auto(GStrv) parameters = NULL;
  gsize length = strlen (keyword);

  if (query == NULL)
    return FALSE;

  parameters = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; parameters[i]; i++)
    if (strncmp (parameters[i], keyword, length) == 0 && parameters[i][length] == '=')
      return TRUE;

  return FALSE;
}

static void
set_password_in_uri_error (CkConfig  *self,
                           KeyId      id,
                           GError   **error)
{
  _ck_config_set_key_error (error, CK_CONFIG_ERROR_PASSWORD_IN_URI, self->values[id].source, id,
                            _("The URI holds a password: remove it and put the password in "
                              "password_file (a file of mode 0600)."));
}

/* [central] url: empty (no central archive), or a libpq connection URI
 * that names a role and a database and holds no password (the password
 * is in password_file, of mode 0600: the URL is printed by `consentctl
 * config`). The kiosk always connects with sslmode=verify-full, so a TCP
 * host needs ca_file and any other sslmode is refused. The URL is never
 * repeated in an error: a wrong one may hold a password. */
gboolean
_ck_config_validate_central_url (CkConfig  *self,
                                 KeyId      id,
                                 GError   **error)
{
  const Value *value = &self->values[id];
  const char *text = value->text;
  const char *ca = self->values[KEY_CENTRAL_CA_FILE].text;
  g_autofree char *userinfo = NULL;
  char *parse_error = NULL;
  PQconninfoOption *options;
  const char *user = NULL, *dbname = NULL, *host = NULL, *hostaddr = NULL, *sslmode = NULL;
  gboolean has_secret = FALSE;
  gboolean ok = FALSE;

  if (text == NULL || text[0] == '\0')
    return TRUE;

  if (!g_str_has_prefix (text, "postgresql://") && !g_str_has_prefix (text, "postgres://"))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, value->source, id,
                                _("The value is not a PostgreSQL connection URI: write it as "
                                  "postgresql://ROLE@HOST/DBNAME."));
      return FALSE;
    }

  /* Before libpq parses it: its messages may quote what they cannot parse. */
  userinfo = dup_uri_userinfo (text);
  if ((userinfo && strchr (userinfo, ':')) || uri_has_parameter (text, "password") ||
      uri_has_parameter (text, "sslpassword"))
    {
      set_password_in_uri_error (self, id, error);
      return FALSE;
    }

  if (!(options = PQconninfoParse (text, &parse_error)))
    {
      /* NULL without a message: out of memory. */
      g_autofree char *reason = g_strstrip (g_strdup (parse_error ? parse_error
                                                                  : g_strerror (ENOMEM)));

      PQfreemem (parse_error);
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, value->source, id,
                                _("The value is not a valid PostgreSQL connection URI: %s"), reason);
      return FALSE;
    }

  for (PQconninfoOption *o = options; o->keyword; o++)
    {
      if (o->val == NULL)
        continue;
      /* libpq marks the options that hold a secret with "*". */
      if (o->dispchar && o->dispchar[0] == '*')
        has_secret = TRUE;
      else if (g_str_equal (o->keyword, "user"))
        user = o->val;
      else if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "hostaddr"))
        hostaddr = o->val;
      else if (g_str_equal (o->keyword, "sslmode"))
        sslmode = o->val;
    }

  if (has_secret)
    set_password_in_uri_error (self, id, error);
  else if (user == NULL || user[0] == '\0')
    _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, value->source, id,
                              _("The URI names no user: write it as postgresql://ROLE@HOST/DBNAME."));
  else if (dbname == NULL || dbname[0] == '\0')
    _ck_config_set_key_error (error, CK_CONFIG_ERROR_BAD_URI, value->source, id,
                              _("The URI names no database: write it as postgresql://ROLE@HOST/DBNAME."));
  else if (sslmode != NULL && !g_str_equal (sslmode, "verify-full"))
    _ck_config_set_key_error (error, CK_CONFIG_ERROR_INSECURE_URI, value->source, id,
                              /* TRANSLATORS: %s is the sslmode the URI asks for, e.g. require */
                              _("The URI sets sslmode=%s, but the kiosk always verifies the server "
                                "(verify-full): remove sslmode."), sslmode);
  else
    ok = TRUE;

  if (ok && (ca == NULL || ca[0] == '\0'))
    {
      g_auto(GStrv) hosts = g_strsplit (host ? host : "", ",", -1);
      gboolean tcp = hostaddr != NULL && hostaddr[0] != '\0';

      for (guint i = 0; hosts[i] && !tcp; i++)
        tcp = is_tcp_host (hosts[i]);
      if (tcp)
        {
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_EMPTY, value->source, id,
                                    _("The server is reached over the network but ca_file is not "
                                      "set: the kiosk always verifies the server's certificate "
                                      "(sslmode=verify-full). Set ca_file in [central] to the CA "
                                      "that signed it."));
          ok = FALSE;
        }
    }

  PQconninfoFree (options);

  return ok;
}

/* The kiosk's own certificate for the central server and its key go
 * together: libpq uses neither without the other. */
static gboolean
is_set (CkConfig *self,
        KeyId     id)
{
  return self->values[id].text != NULL && self->values[id].text[0] != '\0';
}

/* [central] client_certificate: a readable regular file, with client_key. */
gboolean
_ck_config_validate_client_cert (CkConfig  *self,
                                 KeyId      id,
                                 GError   **error)
{
  if (!is_set (self, id))
    return TRUE;
  if (!_ck_config_validate_regular_file (self, id, error))
    return FALSE;
  if (!is_set (self, KEY_CENTRAL_CLIENT_KEY))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_EMPTY, self->values[id].source, id,
                                _("client_key is not set: the kiosk's certificate is of no use "
                                  "without its key. Set client_key in [central] too, or neither."));
      return FALSE;
    }

  return TRUE;
}

/* [central] client_key: a secret file (mode 0600), with client_certificate. */
gboolean
_ck_config_validate_client_key (CkConfig  *self,
                                KeyId      id,
                                GError   **error)
{
  if (!is_set (self, id))
    return TRUE;
  if (!_ck_config_validate_secret_file (self, id, error))
    return FALSE;
  if (!is_set (self, KEY_CENTRAL_CLIENT_CERTIFICATE))
    {
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_EMPTY, self->values[id].source, id,
                                _("client_certificate is not set: the kiosk's key is of no use "
                                  "without its certificate. Set client_certificate in [central] "
                                  "too, or neither."));
      return FALSE;
    }

  return TRUE;
}
