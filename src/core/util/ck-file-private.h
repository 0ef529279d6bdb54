/* ck-file-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Private to libck: the low-level file steps CkStore and the backups both
 * take. They return an errno rather than a GError, so that each caller
 * keeps its own error domain, codes and messages. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CkFileSync:
 * @CK_FILE_SYNC_FILE: fsync() a file
 * @CK_FILE_SYNC_DIR: fsync() a directory (its entries)
 * @CK_FILE_SYNC_FS: syncfs() the whole file system holding a directory
 *
 * What ck_file_sync() flushes to the disk.
 */
typedef enum
{
  CK_FILE_SYNC_FILE,
  CK_FILE_SYNC_DIR,
  CK_FILE_SYNC_FS,
} CkFileSync;

int ck_file_write_all (int           fd,
                       const guint8 *data,
                       gsize         len);
int ck_file_read_all  (int           fd,
                       gsize         max_bytes,
                       GByteArray   *out);
int ck_file_sync      (const char   *path,
                       CkFileSync    how);

G_END_DECLS
