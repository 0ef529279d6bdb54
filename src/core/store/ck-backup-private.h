/* ck-backup-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of backups (store/ck-backup*.c) and included by no
 * other file: how far a backup or a restore is, the constants of the
 * format, and the helpers one file defines for the others (named
 * _ck_backup_*). */

#pragma once

#include <sqlite3.h>

#include "ck-backup.h"
#include "ck-store-private.h"

G_BEGIN_DECLS

#define BACKUP_MAGIC "consent-kiosk-backup"
#define PAGE_SIZE    256                 /* PDFs read, then written, at a time */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)

/* How far a backup or a restore is, over all its steps: each step adds
 * what it did to @base once it is done. */
typedef struct
{
  CkProgressFunc func;
  gpointer data;
  guint64 total;
  guint64 base;
} CkBackupProgress;

/* ck-backup.c */
void          _ck_backup_report         (CkBackupProgress    *progress,
                                         guint64              done);
void          _ck_backup_step_done      (CkBackupProgress    *progress,
                                         guint64              n);
void          _ck_backup_report_step    (guint64              done,
                                         guint64              total,
                                         gpointer             user_data);
gboolean      _ck_backup_io_error       (int                  saved_errno,
                                         const char          *path,
                                         GError             **error);
gboolean      _ck_backup_sql_error      (sqlite3             *db,
                                         const char          *path,
                                         int                  rc,
                                         GError             **error);
gboolean      _ck_backup_damaged        (const char          *backup_file,
                                         const char          *why,
                                         GError             **error);
void          _ck_backup_configure_db   (sqlite3             *db);
gboolean      _ck_backup_fsync_path     (const char          *path,
                                         gboolean             directory,
                                         GError             **error);

/* ck-backup-read.c */
CkBackupInfo *_ck_backup_open           (const char          *backup_file,
                                         sqlite3            **db_out,
                                         CkStore            **contents_out,
                                         CkBackupProgress    *progress,
                                         GError             **error);

/* ck-backup-restore.c */
CkBackupInfo *_ck_backup_verify         (const char          *backup_file,
                                         CkBackupProgress    *progress,
                                         GError             **error);

G_END_DECLS
