/* ck-file-private.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ck-file"
#define _GNU_SOURCE   /* syncfs() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-file.h"
#include "ck-file-private.h"

/**
 * ck_file_write_all:
 * @fd: a file open for writing
 * @data: (array length=len): the bytes
 * @len: how many
 *
 * Writes all @len bytes to @fd, again after an interrupted or short
 * write. A write that writes nothing counts as a full disk.
 *
 * Returns: 0, or the errno of the failure
 */
int
ck_file_write_all (int           fd,
                   const guint8 *data,
                   gsize         len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return n < 0 ? errno : ENOSPC;
      done += n;
    }

  return 0;
}

/**
 * ck_file_read_all:
 * @fd: a file open for reading
 * @max_bytes: the most it may hold
 * @out: where its bytes go
 *
 * Reads @fd to its end, again after an interrupted read, into @out.
 *
 * Returns: 0; %EFBIG once @out would hold more than @max_bytes (a file
 *   that grows while it is read, or a device without end); or the errno
 *   of the failure
 */
int
ck_file_read_all (int         fd,
                  gsize       max_bytes,
                  GByteArray *out)
{
  for (;;)
    {
      guint8 buffer[65536];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno;
      if (n == 0)
        return 0;
      if ((gsize)n > max_bytes - MIN (out->len, max_bytes))
        return EFBIG;
      g_byte_array_append (out, buffer, (guint)n);
    }
}

/**
 * ck_file_read_regular:
 * @path: a file named from outside (the command line)
 * @max_bytes: the most it may hold
 * @error: a #GError in the %G_IO_ERROR domain
 *
 * Reads a regular file of at most @max_bytes; anything else (a device
 * such as /dev/zero, a FIFO, a folder, a file too large) is refused
 * before a byte is read, with a message that names @path.
 *
 * Returns: (transfer full) (nullable): its bytes
 */
GBytes *
ck_file_read_regular (const char  *path,
                      gsize        max_bytes,
                      GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  int rc;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s cannot be read: %s."), path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s is not a regular file: nothing was read from it."), path);
      return NULL;
    }
  if ((guint64)st.st_size > max_bytes)
    {
      g_autofree char *size = g_format_size ((guint64)st.st_size);
      g_autofree char *most = g_format_size (max_bytes);

      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is too large (%s; at most %s): nothing was read from it."), path, size, most);
      return NULL;
    }

  rc = ck_file_read_all (fd, max_bytes, bytes);
  close (fd);
  if (rc == EFBIG)
    {
      g_autofree char *most = g_format_size (max_bytes);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is too large (at most %s): nothing was read from it."), path, most);
      return NULL;
    }
  if (rc != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc),
                   _("%s cannot be read: %s."), path, g_strerror (rc));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * ck_file_sync:
 * @path: a file, or a directory
 * @how: what to flush
 *
 * Flushes @path (or, with %CK_FILE_SYNC_FS, its whole file system) to
 * the disk.
 *
 * Returns: 0, or the errno of the failure
 */
int
ck_file_sync (const char *path,
              CkFileSync  how)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | (how == CK_FILE_SYNC_FILE ? 0 : O_DIRECTORY));
  int rc;

  if (fd < 0)
    return errno;

  rc = how == CK_FILE_SYNC_FS ? syncfs (fd) : fsync (fd);
  if (rc != 0)
    {
      int saved = errno;

      close (fd);
      return saved;
    }

  close (fd);
  return 0;
}
