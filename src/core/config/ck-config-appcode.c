/* ck-config-appcode.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The AppCode: whether one is configured, and reading it from
 * `CK_APPCODE` or from appcode_file (a regular file of mode 0600). No
 * error, warning or log message ever contains it. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-config-private.h"

/* An AppCode file holds 32 digits and a newline; anything this long is wrong. */
#define MAX_APPCODE_SIZE 256
#define APPCODE_LENGTH 32

/**
 * ck_config_get_appcode_configured:
 *
 * Returns: whether an AppCode is configured, through `CK_APPCODE` (as it
 *   was when @self was made) or appcode_file; it is not read or checked
 */
gboolean
ck_config_get_appcode_configured (CkConfig *self)
{
  g_return_val_if_fail (CK_IS_CONFIG (self), FALSE);

  return self->appcode_in_environment ||
         self->values[KEY_VERIFICATION_APPCODE_FILE].text != NULL;
}

/**
 * ck_config_free_appcode:
 * @appcode: (nullable) (transfer full): from ck_config_dup_appcode()
 *
 * Overwrites the AppCode, then frees it.
 */
void
ck_config_free_appcode (char *appcode)
{
  if (appcode == NULL)
    return;

  explicit_bzero (appcode, strlen (appcode));
  g_free (appcode);
}

/* Reads appcode_file into @buffer: a regular file, not a symbolic link,
 * mode 0600. Error messages name the file, never its contents. */
static gboolean
read_appcode_file (CkConfig  *self,
                   char      *buffer,
                   gsize      size,
                   GError   **error)
{
  const Value *value = &self->values[KEY_VERIFICATION_APPCODE_FILE];
  const char *path = value->text;
  gsize length = 0;
  struct stat st;
  int saved_errno;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ELOOP)
        _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source,
                                  KEY_VERIFICATION_APPCODE_FILE,
                                  _("“%s” is a symbolic link: give the path of the file itself."), path);
      else
        _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source,
                                  KEY_VERIFICATION_APPCODE_FILE,
                                  _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source,
                                KEY_VERIFICATION_APPCODE_FILE,
                                _("“%s” is not a regular file."), path);
      return FALSE;
    }

  if ((st.st_mode & 07777) != 0600)
    {
      close (fd);
      _ck_config_set_key_error (error, CK_CONFIG_ERROR_APPCODE_MODE, value->source,
                                KEY_VERIFICATION_APPCODE_FILE,
                                _("“%s” has mode %04o; it must be 0600 (readable and writable by its "
                                  "owner only): chmod 600 %s"),
                                path, (guint)(st.st_mode & 07777), path);
      return FALSE;
    }

  while (length < size - 1)
    {
      gssize n = read (fd, buffer + length, size - 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          _ck_config_set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source,
                                    KEY_VERIFICATION_APPCODE_FILE,
                                    _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);
  buffer[length] = '\0';

  return TRUE;
}

static gboolean
is_appcode (const char *text)
{
  gsize i;

  for (i = 0; text[i]; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;

  return i == APPCODE_LENGTH;
}

/**
 * ck_config_dup_appcode:
 * @error: a #GError in the %CK_CONFIG_ERROR domain
 *
 * Reads the AppCode: from `CK_APPCODE` if it was set when @self was made,
 * else from appcode_file, which must be a regular file (not a symbolic
 * link) of mode 0600. A trailing newline is dropped; what is left must be
 * 32 hexadecimal digits. No error message contains the AppCode.
 *
 * Returns: (transfer full) (nullable): the AppCode; free it with
 *   ck_config_free_appcode()
 */
char *
ck_config_dup_appcode (CkConfig  *self,
                       GError   **error)
{
  char buffer[MAX_APPCODE_SIZE];
  const char *environment = NULL;
  char *appcode;
  gsize length;

  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);

  if (self->appcode_in_environment)
    environment = g_getenv (CK_CONFIG_APPCODE_ENV);

  if (environment != NULL && environment[0] != '\0')
    {
      if (g_strlcpy (buffer, environment, sizeof buffer) >= sizeof buffer)
        buffer[0] = '\0';  /* far too long: fails the format check */
    }
  else if (!self->appcode_in_environment &&
           self->values[KEY_VERIFICATION_APPCODE_FILE].text != NULL)
    {
      if (!read_appcode_file (self, buffer, sizeof buffer, error))
        {
          explicit_bzero (buffer, sizeof buffer);
          return NULL;
        }
    }
  else
    {
      g_set_error_literal (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_NOT_SET,
                           _("No AppCode is configured: set appcode_file in [verification] "
                             "or the CK_APPCODE environment variable."));
      return NULL;
    }

  length = strlen (buffer);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';

  if (!is_appcode (buffer))
    {
      explicit_bzero (buffer, sizeof buffer);
      if (environment != NULL)
        g_set_error_literal (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_FORMAT,
                             _("The AppCode in the CK_APPCODE environment variable is not "
                               "32 hexadecimal digits."));
      else
        _ck_config_set_key_error (error, CK_CONFIG_ERROR_APPCODE_FORMAT,
                                  self->values[KEY_VERIFICATION_APPCODE_FILE].source,
                                  KEY_VERIFICATION_APPCODE_FILE,
                                  _("The AppCode in “%s” is not 32 hexadecimal digits."),
                                  self->values[KEY_VERIFICATION_APPCODE_FILE].text);
      return NULL;
    }

  appcode = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);

  return appcode;
}
