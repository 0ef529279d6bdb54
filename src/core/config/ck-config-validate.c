/* ck-config-validate.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Checking values, and what is said when one is wrong: each value as a
 * file gives it (type, range, choice, address, absolute path), then the
 * effective values once all layers are merged (files readable, https://,
 * an AppCode for aliyun-idcert, the staff PIN's hash, dates). Errors name
 * the file, the group and the key; warnings are kept for
 * ck_config_get_warnings(). */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-config-private.h"
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
