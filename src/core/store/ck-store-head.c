/* ck-store-head.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A copy of the hash chain's head outside the database: consents.head,
 * one line (0600), written and synced after every transaction that moves
 * the head (_ck_store_commit ()):
 *
 *   ck-head/1 SEQ(20 digits) SHA256(64 hex) CRC32(8 hex)\n
 *
 * The database holds what its last commits left; the copy what the kiosk
 * last knew it had committed. So a database put back from an older copy,
 * a write-ahead log cut short (committed consents lost), or a database
 * swapped for another, is noticed when the store is opened:
 *
 *   database head behind the copy        records committed since are lost
 *   same seq, another hash               another database
 *   ahead of the copy                    fine (the process died between its
 *                                        commit and the copy); the link at
 *                                        the copy's seq must still be the
 *                                        copy's hash, unless a purge cut it
 *
 * A writer refuses such a store, and tells staff to restore the last
 * backup; a reader opens it and `check` reports it. A missing database
 * while the copy or consent PDFs exist is never taken for a new store.
 *
 * What this cannot catch: someone with write access who rewrites the
 * database and the copy together. Only a head anchored off the machine
 * catches that (docs/STORAGE.md, "What the chain proves"). */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <zlib.h>

#include "ck-file-private.h"
#include "ck-store-impl-private.h"

#define HEAD_MAGIC "ck-head/1"
/* "ck-head/1 " + 20 + " " + 64 + " " + 8 + "\n" */
#define HEAD_LENGTH (10 + 20 + 1 + 64 + 1 + 8 + 1)

static char *
head_line (gint64      seq,
           const char *hash)
{
  g_autofree char *body = g_strdup_printf (HEAD_MAGIC " %020" G_GINT64_FORMAT " %s", seq, hash);
  guint32 crc = (guint32)crc32 (0, (const Bytef *)body, (uInt)strlen (body));

  return g_strdup_printf ("%s %08x\n", body, crc);
}

/* Parses a copy; %FALSE when it is not one (torn, edited, empty). */
static gboolean
parse_head (const char  *text,
            gsize        len,
            gint64      *seq,
            char       **hash)
{
  g_autofree char *body = NULL;
  g_autofree char *crc_text = NULL;
  guint64 crc, value;

  if (len != HEAD_LENGTH || text[HEAD_LENGTH - 1] != '\n' || !g_str_has_prefix (text, HEAD_MAGIC " "))
    return FALSE;

  body = g_strndup (text, HEAD_LENGTH - 10);
  crc_text = g_strndup (text + HEAD_LENGTH - 9, 8);
  if (!g_ascii_string_to_unsigned (crc_text, 16, 0, G_MAXUINT32, &crc, NULL) ||
      (guint32)crc32 (0, (const Bytef *)body, (uInt)strlen (body)) != (guint32)crc)
    return FALSE;

  {
    g_autofree char *digits = g_strndup (text + 10, 20);

    if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &value, NULL))
      return FALSE;
  }

  *seq = (gint64)value;
  *hash = g_strndup (text + 31, 64);
  return TRUE;
}

/* Reads consents.head, under the lock its writers take (so never half
 * written): 1 when read, 0 when there is none, -1 when it is not a copy. */
static int
read_head (CkStore  *self,
           gint64   *seq,
           char    **hash)
{
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  int fd = open (self->head_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  int rc;

  if (fd < 0)
    return errno == ENOENT ? 0 : -1;
  while ((rc = flock (fd, LOCK_SH)) != 0 && errno == EINTR)
    ;
  /* A read-only medium may refuse the lock: nobody writes there. */
  rc = ck_file_read_all (fd, HEAD_LENGTH + 1, contents);
  close (fd);
  if (rc != 0)
    return -1;
  /* Created and not written yet: its writer creates it before it takes
   * the lock (another process opening the same new store). No copy. */
  if (contents->len == 0)
    return 0;

  return parse_head ((const char *)contents->data, contents->len, seq, hash) ? 1 : -1;
}

/**
 * _ck_store_head_write:
 *
 * Writes the database's head to the copy, synced, unless the copy says
 * that already. Under a lock of the file's own, and with the head read
 * under it, so that two writers' copies follow the database's order.
 *
 * Returns: %TRUE once the copy is on the disk
 */
gboolean
_ck_store_head_write (CkStore  *self,
                      GError  **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *line = NULL;
  gint64 seq;
  int fd, saved = 0;

  if (self->read_only)
    return TRUE;

  fd = open (self->head_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return _ck_store_io_error (errno, self->head_path, error);
  _ck_store_pause_point ("head-created");
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        saved = errno;
        close (fd);
        return _ck_store_io_error (saved, self->head_path, error);
      }

  if (!_ck_store_chain_head (self, &seq, &hash, error))
    {
      close (fd);
      return FALSE;
    }
  if (seq == self->head_written_seq && g_strcmp0 (hash, self->head_written_hash) == 0)
    {
      close (fd);
      return TRUE;
    }

  line = head_line (seq, hash);
  if (pwrite (fd, line, HEAD_LENGTH, 0) != HEAD_LENGTH || ftruncate (fd, HEAD_LENGTH) != 0 ||
      fdatasync (fd) != 0)
    saved = errno ? errno : EIO;
  close (fd);
  if (saved)
    return _ck_store_io_error (saved, self->head_path, error);

  self->head_written_seq = seq;
  g_free (self->head_written_hash);
  self->head_written_hash = g_steal_pointer (&hash);
  return TRUE;
}

/**
 * _ck_store_commit:
 *
 * Commits the transaction, then copies the chain's head, if it moved, to
 * consents.head. The commit is what counts: once it succeeded the caller
 * must not undo anything, so a copy that cannot be written is logged and
 * written after the next commit.
 *
 * Returns: whether the commit succeeded
 */
gboolean
_ck_store_commit (CkStore  *self,
                  GError  **error)
{
  g_autoptr(GError) head_error = NULL;
  int rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _ck_store_sql_error (self, rc, error);

  if (!_ck_store_head_write (self, &head_error))
    g_message ("The copy of the chain's head could not be written: %s", head_error->message);

  return TRUE;
}

/* The row hash of the link @seq, consent or event; %NULL if no row has it
 * (a purge cut it). */
static gboolean
link_hash (CkStore     *self,
           gint64       seq,
           char       **hash,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT row_hash FROM consents WHERE seq = ?1 "
                                                          "UNION ALL SELECT row_hash FROM events WHERE seq = ?1",
                                                    error);
  int rc;

  *hash = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *hash = _ck_store_column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

static gboolean pdfs_exist (const char *data_dir);

/**
 * _ck_store_head_compare:
 * @problem: (out) (transfer full): what is wrong, translated; %NULL when
 *   the database agrees with the copy
 * @missing: (out): whether there is no copy, or one that is not a copy
 * @code: (out): %CK_STORE_ERROR_LOST when records or the copy are lost,
 *   %CK_STORE_ERROR_TAMPERED when the database is another one
 *
 * Compares the database's chain with consents.head.
 *
 * Returns: %FALSE when the database could not be read
 */
gboolean
_ck_store_head_compare (CkStore       *self,
                        char         **problem,
                        gboolean      *missing,
                        CkStoreError  *code,
                        GError       **error)
{
  g_autofree char *copy_hash = NULL;
  g_autofree char *db_hash = NULL;
  gint64 copy_seq = 0, db_seq;
  int read;

  *problem = NULL;
  *missing = FALSE;
  *code = CK_STORE_ERROR_LOST;

  /* The copy first: it is written after each commit, so the database,
   * read after it, can only be as far or further, whatever other
   * processes commit meanwhile. Read the other way round, a commit and
   * its copy falling between the two reads would look like records lost. */
  read = read_head (self, &copy_seq, &copy_hash);
  if (!_ck_store_chain_head (self, &db_seq, &db_hash, error))
    return FALSE;

  /* No copy, no link in the chain and no PDF: a new store, whose creator
   * (another process, maybe) has built the schema and not yet written the
   * copy. Nothing can have been lost; the copy is written now. */
  if (read == 0 && db_seq == 0 && !pdfs_exist (self->data_dir))
    {
      *missing = TRUE;
      return TRUE;
    }

  if (read <= 0)
    {
      *missing = TRUE;
      *problem = read == 0
                 ? g_strdup_printf (_("The copy of the hash chain's head (%s) is missing."), self->head_path)
                 : g_strdup_printf (_("The copy of the hash chain's head (%s) is damaged."), self->head_path);
      return TRUE;
    }

  self->head_written_seq = copy_seq;
  g_free (self->head_written_hash);
  self->head_written_hash = g_strdup (copy_hash);

  if (db_seq < copy_seq)
    {
      g_autofree char *have = g_strdup_printf ("%" G_GINT64_FORMAT, db_seq);
      g_autofree char *had = g_strdup_printf ("%" G_GINT64_FORMAT, copy_seq);

      *problem = g_strdup_printf (_("The consent database ends at record %s, but it had reached record %s: "
                                    "what was committed after record %s is lost (a database put back from "
                                    "an older copy, or its write-ahead log cut short). Restore the last "
                                    "backup."),
                                  have, had, have);
    }
  else if (db_seq == copy_seq && !g_str_equal (db_hash, copy_hash))
    {
      *code = CK_STORE_ERROR_TAMPERED;
      *problem = g_strdup (_("The consent database is not the one this kiosk wrote: its last record is not "
                           "the one recorded beside it. Restore the last backup."));
    }
  else if (db_seq > copy_seq && copy_seq > 0)
    {
      g_autofree char *at = NULL;

      if (!link_hash (self, copy_seq, &at, error))
        return FALSE;
      *code = CK_STORE_ERROR_TAMPERED;
      if (at && !g_str_equal (at, copy_hash))
        *problem = g_strdup (_("The consent database is not the one this kiosk wrote: a record it had "
                               "written is another one now. Restore the last backup."));
    }

  return TRUE;
}

/* Whether the PDF folders hold any file: a store that had consents. */
static gboolean
pdfs_exist (const char *data_dir)
{
  g_autofree char *root = g_build_filename (data_dir, "pdf", NULL);
  g_autoptr(GDir) years = g_dir_open (root, 0, NULL);
  const char *year;

  while (years && (year = g_dir_read_name (years)))
    {
      g_autofree char *year_path = g_build_filename (root, year, NULL);
      g_autoptr(GDir) months = g_dir_open (year_path, 0, NULL);
      const char *month;

      while (months && (month = g_dir_read_name (months)))
        {
          g_autofree char *month_path = g_build_filename (year_path, month, NULL);
          g_autoptr(GDir) files = g_dir_open (month_path, 0, NULL);

          if (files && g_dir_read_name (files))
            return TRUE;
        }
    }

  return FALSE;
}

/**
 * _ck_store_refuse_new:
 *
 * Before a store is created where there is no database, or an empty one:
 * refuses if the copy of the head or a consent's PDF says that a store
 * was here.
 *
 * Returns: %TRUE if a new store may begin here
 */
gboolean
_ck_store_refuse_new (CkStore  *self,
                      GError  **error)
{
  gboolean head = g_file_test (self->head_path, G_FILE_TEST_EXISTS);

  if (!head && !pdfs_exist (self->data_dir))
    return TRUE;

  g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_LOST,
               _("The consent database %s is missing or empty, but %s shows that consents were stored "
                 "here. Nothing was changed: a new database would start a new hash chain and leave "
                 "the consents without their records. Restore the last backup (consentctl restore)."),
               self->db_path, head ? self->head_path : _("the PDF folder"));
  return FALSE;
}

/**
 * ck_store_seal_head:
 * @data_dir: a data directory a restore has just written
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Writes the copy of the chain's head from the database in @data_dir, as
 * it is: for a store built from a backup, whose database is the one to
 * trust there.
 *
 * Returns: %TRUE once the copy is on the disk
 */
gboolean
ck_store_seal_head (const char  *data_dir,
                    GError     **error)
{
  g_autoptr(CkStore) self = g_object_new (CK_TYPE_STORE, NULL);
  int rc;

  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->db_path = g_build_filename (self->data_dir, "consents.db", NULL);
  self->head_path = g_build_filename (self->data_dir, "consents.head", NULL);

  if ((rc = _ck_store_open_connection (self->db_path, SQLITE_OPEN_READONLY, &self->db)) != SQLITE_OK)
    return _ck_store_sql_error (self, rc, error);

  return _ck_store_head_write (self, error);
}
