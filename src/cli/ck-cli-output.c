/* ck-cli-output.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where consentctl writes with -o FILE: exports, PDFs, usage, renders.
 * What goes there is personal data, so:
 *
 *   - a new or a regular FILE is written to a private (0600) temporary
 *     file beside it, synced, and renamed over FILE only once it is whole
 *     (ck_cli_output_commit ()); a failure leaves FILE as it was;
 *   - "-" is standard output, and a terminal (say /dev/tty) is written
 *     directly;
 *   - anything else — a symbolic link, a device, a FIFO, a socket, a
 *     folder — is refused with a message, never replaced: as root,
 *     -o /dev/full must not destroy the device node. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-cli.h"

struct _CkCliOutput
{
  char *path;
  char *tmp_path;          /* NULL when written directly */
  GOutputStream *stream;
  int fd;
  gboolean committed;
};

static gboolean
refuse (const char  *path,
        const char  *what,
        GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
               _("%s is %s: consentctl writes only to a regular file, a terminal or “-” "
                 "(standard output). Nothing was written."),
               path, what);
  return FALSE;
}

/* What is at @path now: fine to replace, to write directly, or refused. */
static gboolean
check_target (const char  *path,
              gboolean    *direct,
              GError     **error)
{
  GStatBuf st;

  *direct = FALSE;
  if (g_lstat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("%s cannot be written: %s."), path, g_strerror (errno));
      return FALSE;
    }

  if (S_ISREG (st.st_mode))
    return TRUE;
  if (S_ISLNK (st.st_mode))
    return refuse (path, _("a symbolic link"), error);
  if (S_ISDIR (st.st_mode))
    return refuse (path, _("a folder"), error);
  if (S_ISFIFO (st.st_mode))
    return refuse (path, _("a FIFO"), error);
  if (S_ISSOCK (st.st_mode))
    return refuse (path, _("a socket"), error);
  if (S_ISCHR (st.st_mode))
    {
      int fd = open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
      gboolean tty = fd >= 0 && isatty (fd);

      if (fd >= 0)
        close (fd);
      if (tty)
        {
          *direct = TRUE;
          return TRUE;
        }
    }

  return refuse (path, _("a device"), error);
}

/**
 * ck_cli_output_open:
 * @path: -o's argument
 * @error: a #GError in the %G_IO_ERROR domain
 *
 * Returns: (transfer full) (nullable): where to write; commit it with
 *   ck_cli_output_commit(), or free it to leave @path as it was
 */
CkCliOutput *
ck_cli_output_open (const char  *path,
                    GError     **error)
{
  g_autoptr(CkCliOutput) self = g_new0 (CkCliOutput, 1);
  gboolean direct;

  self->path = g_strdup (path);
  self->fd = -1;

  if (g_str_equal (path, "-"))
    {
      self->stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      return g_steal_pointer (&self);
    }

  if (!check_target (path, &direct, error))
    return NULL;

  if (direct)
    self->fd = open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);

      self->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0600);
      if (self->fd < 0)
        g_clear_pointer (&self->tmp_path, g_free);
    }
  if (self->fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("%s cannot be written: %s."), path, g_strerror (errno));
      return NULL;
    }

  self->stream = g_unix_output_stream_new (self->fd, FALSE);
  return g_steal_pointer (&self);
}

GOutputStream *
ck_cli_output_get_stream (CkCliOutput *self)
{
  return self->stream;
}

/**
 * ck_cli_output_commit:
 *
 * Flushes what was written and, for a file, syncs it and puts it in the
 * place of @path.
 *
 * Returns: %TRUE once @path holds it all
 */
gboolean
ck_cli_output_commit (CkCliOutput  *self,
                      GError      **error)
{
  if (!g_output_stream_flush (self->stream, NULL, error))
    return FALSE;

  if (self->tmp_path)
    {
      if (fsync (self->fd) != 0 || g_rename (self->tmp_path, self->path) != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       _("%s cannot be written: %s."), self->path, g_strerror (errno));
          return FALSE;
        }
      g_clear_pointer (&self->tmp_path, g_free);
    }

  self->committed = TRUE;
  return TRUE;
}

/**
 * ck_cli_output_free:
 *
 * Closes the output; one not committed leaves its target as it was.
 */
void
ck_cli_output_free (CkCliOutput *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}

/**
 * ck_cli_write_private_file:
 * @path: -o's argument
 *
 * Writes @data to @path as ck_cli_output_open() says.
 *
 * Returns: %TRUE once @path holds it all
 */
gboolean
ck_cli_write_private_file (const char  *path,
                           const char  *data,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(CkCliOutput) output = ck_cli_output_open (path, error);

  return output != NULL &&
         g_output_stream_write_all (ck_cli_output_get_stream (output), data, len, NULL, NULL, error) &&
         ck_cli_output_commit (output, error);
}
