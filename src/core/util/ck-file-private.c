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
#include <unistd.h>

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
