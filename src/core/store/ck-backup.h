/* ck-backup.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-store.h"

G_BEGIN_DECLS

#define CK_BACKUP_ERROR (ck_backup_error_quark ())

/* The backup format this build writes, and the newest it reads. */
#define CK_BACKUP_FORMAT_VERSION 1

typedef enum
{
  CK_BACKUP_ERROR_EXISTS,          /* the backup file exists (use --force) */
  CK_BACKUP_ERROR_NOT_EMPTY,       /* the target data directory is not empty */
  CK_BACKUP_ERROR_NOT_BACKUP,      /* not an SQLite file, or not a Consent Kiosk backup */
  CK_BACKUP_ERROR_NEWER,           /* a newer backup format or store schema */
  CK_BACKUP_ERROR_DAMAGED,         /* truncated, or a file or row does not match */
  CK_BACKUP_ERROR_STORE,           /* the live store has a problem (run check) */
  CK_BACKUP_ERROR_IO,              /* a file could not be read or written */
} CkBackupError;

typedef enum
{
  CK_BACKUP_FLAGS_NONE = 0,
  CK_BACKUP_FORCE      = 1 << 0,   /* create: replace the backup file; restore: move a
                                      non-empty data directory aside */
} CkBackupFlags;

/**
 * CkBackupInfo:
 * @format: the backup format version
 * @created_at: when the backup was made, ISO 8601 UTC
 * @kiosk_id: (nullable): the kiosk that made it
 * @source_dir: the data directory it was made from
 * @schema_version: the store's schema version in it
 * @consents: consents in it
 * @events: events in it
 * @attempts: verification attempts in it
 * @files: files (PDFs, quarantined PDFs) in it
 * @file_bytes: the files' total size
 * @chain_seq: the last sequence number of the hash chain
 * @chain_head: the hash at the head of the chain
 * @moved_aside: (nullable): after a forced restore, where the data
 *   directory's previous contents went
 *
 * What a backup holds, from its manifest (checked against its contents).
 */
typedef struct
{
  int format;
  char *created_at;
  char *kiosk_id;
  char *source_dir;
  int schema_version;
  gint64 consents;
  gint64 events;
  gint64 attempts;
  gint64 files;
  gint64 file_bytes;
  gint64 chain_seq;
  char *chain_head;
  char *moved_aside;
} CkBackupInfo;

GQuark         ck_backup_error_quark (void);
void           ck_backup_info_free   (CkBackupInfo   *info);

CkBackupInfo  *ck_backup_create      (CkStore        *store,
                                      const char     *backup_file,
                                      const char     *kiosk_id,
                                      CkBackupFlags   flags,
                                      GError        **error);
CkBackupInfo  *ck_backup_create_full (CkStore        *store,
                                      const char     *backup_file,
                                      const char     *kiosk_id,
                                      CkBackupFlags   flags,
                                      CkProgressFunc  progress,
                                      gpointer        progress_data,
                                      GError        **error);
CkBackupInfo  *ck_backup_verify      (const char     *backup_file,
                                      GError        **error);
CkBackupInfo  *ck_backup_restore     (const char     *backup_file,
                                      const char     *data_dir,
                                      CkBackupFlags   flags,
                                      GError        **error);

CkBackupInfo  *ck_backup_restore_full (const char    *backup_file,
                                       const char    *data_dir,
                                       CkBackupFlags  flags,
                                       CkProgressFunc progress,
                                       gpointer       progress_data,
                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkBackupInfo, ck_backup_info_free)

G_END_DECLS
