/* ck-store-db.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Errors, SQL and file helpers of the store, and the files lock. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "ck-file-private.h"
#include "ck-store-impl-private.h"

/* --- errors ------------------------------------------------------------ */

static CkStoreError
code_for_sqlite (int rc)
{
  switch (rc & 0xFF)
    {
    case SQLITE_FULL:
      return CK_STORE_ERROR_DISK_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return CK_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return CK_STORE_ERROR_PERMISSION;
    case SQLITE_CONSTRAINT:
      return CK_STORE_ERROR_DUPLICATE;
    default:
      return CK_STORE_ERROR_IO;
    }
}

gboolean
_ck_store_sql_error (CkStore     *self,
                     int          rc,
                     GError     **error)
{
  CkStoreError code = code_for_sqlite (rc);

  switch (code)
    {
    case CK_STORE_ERROR_DISK_FULL:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The disk holding %s is full: what was being written was not saved."),
                   self->data_dir);
      break;
    case CK_STORE_ERROR_CORRUPT:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s is damaged (%s); restore it from a backup."),
                   self->db_path, sqlite3_errstr (rc));
      break;
    case CK_STORE_ERROR_PERMISSION:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s cannot be written (%s)."),
                   self->db_path, sqlite3_errstr (rc));
      break;
    case CK_STORE_ERROR_OPEN:
    case CK_STORE_ERROR_NEWER_SCHEMA:
    case CK_STORE_ERROR_IO:
    case CK_STORE_ERROR_NOT_FOUND:
    case CK_STORE_ERROR_DUPLICATE:
    case CK_STORE_ERROR_INVALID:
    case CK_STORE_ERROR_TAMPERED:
    case CK_STORE_ERROR_BUSY:
    case CK_STORE_ERROR_WITHDRAWN:
    case CK_STORE_ERROR_LOST:
    case CK_STORE_ERROR_UNSYNCED:
    default:
      g_set_error (error, CK_STORE_ERROR, code,
                   _("The consent database %s failed: %s."),
                   self->db_path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

/* A failed file operation on @path, classified for the caller. */
gboolean
_ck_store_io_error (int          saved_errno,
                    const char  *path,
                    GError     **error)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DISK_FULL,
                 _("The disk is full: %s could not be written, and nothing was saved."),
                 path);
  else if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                 _("No permission to write %s (%s)."), path, g_strerror (saved_errno));
  else
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_IO,
                 _("%s could not be written: %s."), path, g_strerror (saved_errno));

  return FALSE;
}

/* --- SQL helpers --------------------------------------------------------- */

/**
 * _ck_store_open_connection:
 * @path: a database file, or ":memory:"
 * @flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE
 * @db: (out): the connection; set even on failure (for the message)
 *
 * Opens a connection as every connection of the store is opened:
 * extended result codes, a 10 s busy timeout, SQLite's defensive mode
 * (no writable schema, no journal tricks) and schemas not trusted to call
 * functions, and the store's own ck_reverse () function.
 *
 * Returns: an SQLite result code
 */
int
_ck_store_open_connection (const char  *path,
                           int          flags,
                           sqlite3    **db)
{
  int rc = sqlite3_open_v2 (path, db, flags | SQLITE_OPEN_FULLMUTEX, NULL);

  if (rc != SQLITE_OK)
    return rc;

  sqlite3_extended_result_codes (*db, 1);
  sqlite3_busy_timeout (*db, 10000);
  sqlite3_db_config (*db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (*db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  return sqlite3_create_function (*db, "ck_reverse", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, _ck_store_sql_reverse, NULL, NULL);
}

gboolean
_ck_store_exec (CkStore     *self,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : _ck_store_sql_error (self, rc, error);
}

sqlite3_stmt *
_ck_store_prepare (CkStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return stmt;
}

char *
_ck_store_column_text (sqlite3_stmt *stmt,
                       int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *)text) : NULL;
}

void
_ck_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* reverse(text): the ID number backwards, so that its final characters
 * can be searched through an index as a prefix. */
void
_ck_store_sql_reverse (sqlite3_context *context,
                       int              argc,
                       sqlite3_value  **argv)
{
  const char *text = (const char *)sqlite3_value_text (argv[0]);
  g_autofree char *reversed = NULL;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  reversed = g_utf8_strreverse (text, -1);
  sqlite3_result_text (context, reversed, -1, SQLITE_TRANSIENT);
}

/* --- free text ------------------------------------------------------------ */

/**
 * _ck_store_check_text:
 * @what: what the text is, translated, for the message ("The operator's name")
 * @text: (nullable): staff's free text
 * @max_chars: the most characters it may have
 * @lines: whether it may have more than one line
 *
 * Free text staff type goes into the chain as it is, and into every
 * export and report after it: valid UTF-8, no control characters (but
 * line breaks where @lines), and not longer than @max_chars.
 *
 * Returns: whether @text may be stored; %FALSE with a specific message
 */
gboolean
_ck_store_check_text (const char  *what,
                      const char  *text,
                      guint        max_chars,
                      gboolean     lines,
                      GError     **error)
{
  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   _("%s is not valid text (UTF-8); nothing was recorded."), what);
      return FALSE;
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && !(lines && (c == '\n' || c == '\t')))
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                       lines ? _("%s holds a control character; nothing was recorded.")
                             : _("%s holds a line break or another control character; nothing was "
                                 "recorded."),
                       what);
          return FALSE;
        }
    }
  if (g_utf8_strlen (text, -1) > (glong)max_chars)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s is longer than %u character; nothing was recorded.",
                                "%s is longer than %u characters; nothing was recorded.", max_chars),
                   what, max_chars);
      return FALSE;
    }

  return TRUE;
}

/* --- files --------------------------------------------------------------- */

/* Inside the data directory nothing is followed: every folder is opened
 * with O_NOFOLLOW from the one above it, must be a real folder of this
 * user, and is made 0700 when missing; files are opened with O_NOFOLLOW
 * from their folder. A symbolic link someone put there (pdf/2026 → /etc)
 * is refused, never written through. The data directory itself may be a
 * link (IT may put it on another disk). */

static gboolean
not_followed (const char  *path,
              int          saved_errno,
              GError     **error)
{
  if (saved_errno == ELOOP || saved_errno == ENOTDIR)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("%s is not a folder of the store but a symbolic link or a file: nothing is "
                     "written through it. Run “consentctl check” and remove it."),
                   path);
      return FALSE;
    }

  return _ck_store_io_error (saved_errno, path, error);
}

void
_ck_store_fd_close (CkStoreFd *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/**
 * _ck_store_open_dir:
 * @relative: a folder below the data directory ("pdf/2026/11"), or ""
 * @create: make missing folders (0700)
 *
 * Returns: a descriptor of the folder, or -1 with @error set
 */
int
_ck_store_open_dir (CkStore     *self,
                    const char  *relative,
                    gboolean     create,
                    GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);
  g_autoptr(GString) done = g_string_new (self->data_dir);
  int fd = open (self->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      not_followed (self->data_dir, errno, error);
      return -1;
    }

  for (guint i = 0; parts[i]; i++)
    {
      struct stat st;
      int next;

      if (parts[i][0] == '\0')
        continue;
      g_string_append_printf (done, "/%s", parts[i]);

      next = openat (fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0 && errno == ENOENT && create)
        {
          if (mkdirat (fd, parts[i], 0700) != 0 && errno != EEXIST)
            {
              int saved = errno;

              close (fd);
              _ck_store_io_error (saved, done->str, error);
              return -1;
            }
          next = openat (fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
      if (next < 0)
        {
          int saved = errno;

          close (fd);
          not_followed (done->str, saved, error);
          return -1;
        }
      close (fd);
      fd = next;

      if (fstat (fd, &st) != 0 || st.st_uid != geteuid ())
        {
          close (fd);
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_PERMISSION,
                       _("%s belongs to another user: the store's folders must be its own."),
                       done->str);
          return -1;
        }
    }

  return fd;
}

/**
 * _ck_store_read_file:
 * @relative: a file below the data directory ("pdf/2026/11/….pdf")
 *
 * Reads a file of the store without following a symbolic link anywhere
 * below the data directory.
 *
 * Returns: (transfer full) (nullable): its bytes; %NULL with
 *   %CK_STORE_ERROR_NOT_FOUND if there is none
 */
GBytes *
_ck_store_read_file (CkStore     *self,
                     const char  *relative,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (relative);
  g_autofree char *name = g_path_get_basename (relative);
  g_autofree char *path = g_build_filename (self->data_dir, relative, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  int dir_fd, fd, rc;

  if ((dir_fd = _ck_store_open_dir (self, dir, FALSE, error)) < 0)
    return NULL;
  fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  close (dir_fd);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND, _("%s is missing."), path);
      else
        not_followed (path, saved, error);
      return NULL;
    }

  rc = ck_file_read_all (fd, G_MAXUINT, bytes);
  close (fd);
  if (rc != 0)
    {
      _ck_store_io_error (rc, path, error);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Writes @bytes to @name (0600, new) in the folder @dir_fd and fsyncs it;
 * removes it on failure. The first half is written apart from the rest,
 * so that a crash at "tmp-half-written" leaves a truly half-written
 * file. @path names it in messages. */
gboolean
_ck_store_write_synced (int          dir_fd,
                        const char  *name,
                        const char  *path,
                        GBytes      *bytes,
                        GError     **error)
{
  const guint8 *data;
  gsize len, half;
  int fd, saved;

  fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return not_followed (path, errno, error);

  data = g_bytes_get_data (bytes, &len);
  half = MIN (len / 2 + 1, len);
  saved = ck_file_write_all (fd, data, half);
  if (saved == 0)
    {
      _ck_store_fault_point ("tmp-half-written");
      saved = ck_file_write_all (fd, data + half, len - half);
    }
  if (saved != 0)
    {
      close (fd);
      unlinkat (dir_fd, name, 0);
      return _ck_store_io_error (saved, path, error);
    }

  _ck_store_fault_point ("tmp-written");

  if (fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      unlinkat (dir_fd, name, 0);
      return _ck_store_io_error (saved, path, error);
    }

  if (close (fd) != 0)
    {
      saved = errno;
      unlinkat (dir_fd, name, 0);
      return _ck_store_io_error (saved, path, error);
    }

  return TRUE;
}

/* --- the files lock ---------------------------------------------------------- */

/* Between a save's first file and its commit, its .tmp or its PDF has no
 * row yet, exactly like a crash's leftovers. So saves and purges hold
 * consents.lock shared while they touch files, and recovery holds it
 * exclusive: another process opening the store never removes or
 * quarantines a live save's files. The kernel lets go when a process
 * dies, so a crashed save never blocks recovery. */
void
_ck_store_files_lock_release (CkStoreFilesLock *lock)
{
  if (*lock >= 0)
    flock (*lock, LOCK_UN);
  *lock = -1;
}

/* Takes the lock (LOCK_SH or LOCK_EX) into @lock, waiting for it. */
gboolean
_ck_store_files_lock (CkStore           *self,
                      int                operation,
                      CkStoreFilesLock  *lock,
                      GError           **error)
{
  if (self->lock_fd < 0)
    return TRUE;   /* read-only: SQLite refuses the writes */

  while (flock (self->lock_fd, operation) != 0)
    if (errno != EINTR)
      {
        g_autofree char *path = g_build_filename (self->data_dir, "consents.lock", NULL);

        return _ck_store_io_error (errno, path, error);
      }

  *lock = self->lock_fd;
  return TRUE;
}

char *
_ck_store_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Within a transaction: runs @sql, binding @uuid to each parameter. */
gboolean
_ck_store_exec_for_uuid (CkStore     *self,
                         const char  *sql,
                         const char  *uuid,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (int i = 1; i <= sqlite3_bind_parameter_count (stmt); i++)
    _ck_store_bind_text (stmt, i, uuid);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}
