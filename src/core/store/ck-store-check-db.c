/* ck-store-check-db.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What `consentctl check` asks of the database itself, besides the chain
 * (ck-store-check.c):
 *
 *   - SQLite's own integrity check: a damaged page or index;
 *   - the schema: exactly what this version's migrations build, nothing
 *     else (no trigger, no view, no table or index of unknown purpose);
 *   - every value of the type its column declares, text without NUL: the
 *     chain hashes a value's text, so a BLOB or a text with a NUL in the
 *     middle would hash alike to the text the program reads, while SQL
 *     compares them as different (a withdrawal SQL no longer saw);
 *   - what is derived from the chained rows agrees with them, recomputed
 *     here in C: the reversed ID numbers search uses, each consent's
 *     status (withdrawn, last attempt), and the verification queue. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-store-impl-private.h"

/* At most this many lines of SQLite's integrity check are reported. */
#define MAX_INTEGRITY_LINES 10

static void
add (GPtrArray  *problems,
     char       *problem)
{
  g_ptr_array_add (problems, problem);
}

gboolean
_ck_store_check_integrity (CkStore    *self,
                           GPtrArray  *problems,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA integrity_check (%d)", MAX_INTEGRITY_LINES);
  int rc;

  if (!(stmt = _ck_store_prepare (self, sql, error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        add (problems, g_strdup_printf (_("The consent database is damaged: %s. Restore the last "
                                          "backup."), line ? line : "?"));
    }
  /* A database too damaged to say more is a problem to report too. */
  if (rc != SQLITE_DONE)
    add (problems, g_strdup_printf (_("The consent database is damaged: %s. Restore the last backup."),
                                    sqlite3_errmsg (self->db)));

  return TRUE;
}

gboolean
_ck_store_check_objects (CkStore    *self,
                         GPtrArray  *problems,
                         GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->schema_version < 1)
    return TRUE;

  if (!_ck_store_verify_schema (self, self->schema_version, NULL, &local_error))
    {
      if (!g_error_matches (local_error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      add (problems, g_strdup (local_error->message));
    }

  return TRUE;
}

/* Every value of every table of the schema, against its column. */
gboolean
_ck_store_check_types (CkStore    *self,
                       GPtrArray  *problems,
                       GError    **error)
{
  g_auto(CkStoreSchema) schema = { 0 };

  if (self->schema_version < 1)
    return TRUE;
  if (!_ck_store_expected_schema (self->schema_version, &schema, error))
    return FALSE;

  for (guint t = 0; t < schema.tables->len; t++)
    {
      const char *table = schema.tables->pdata[t];
      GPtrArray *columns = g_hash_table_lookup (schema.columns, table);
      g_autoptr(GString) sql = g_string_new ("SELECT rowid");
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *quoted = _ck_store_quote (table);
      guint reported = 0;
      int rc;

      for (guint i = 0; i < columns->len; i++)
        {
          g_autofree char *column = _ck_store_quote (((CkStoreColumn *)columns->pdata[i])->name);

          g_string_append_printf (sql, ", %s", column);
        }
      g_string_append_printf (sql, " FROM %s", quoted);
      if (!(stmt = _ck_store_prepare (self, sql->str, error)))
        return FALSE;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && reported < 10)
        for (guint i = 0; i < columns->len; i++)
          {
            const CkStoreColumn *column = columns->pdata[i];

            if (!_ck_store_value_fits (sqlite3_column_value (stmt, (int)i + 1), column))
              {
                g_autofree char *row = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                        (gint64)sqlite3_column_int64 (stmt, 0));

                add (problems, g_strdup_printf (_("Row %s of the table “%s” holds a value of another "
                                                  "type than its column “%s” (%s), or a text with a "
                                                  "NUL byte: it was edited."),
                                                row, table, column->name, column->type));
                reported++;
              }
          }
      if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return _ck_store_sql_error (self, rc, error);
    }

  return TRUE;
}

/* The consents a withdrawal event names, the kind compared as the chain
 * hashes it (a C string). */
static GHashTable *
withdrawn_consents (CkStore  *self,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT kind, consent_uuid FROM events "
                                                          "WHERE consent_uuid IS NOT NULL", error);
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "withdrawal") == 0)
      g_hash_table_add (uuids, _ck_store_column_text (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&uuids);
}

/* The newest consent left out of the verification queue because it is
 * older than the queue (_ck_store_record_queue_floor ()); 0 if none; -1
 * before schema 7, which did not say. */
static gboolean
queue_floor (CkStore  *self,
             gint64   *floor_seq,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *floor_seq = -1;
  if (self->schema_version < 7)
    return TRUE;

  if (!(stmt = _ck_store_prepare (self, "SELECT detail FROM events WHERE kind = 'queue-floor' "
                                        "ORDER BY seq DESC LIMIT 1", error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  *floor_seq = rc == SQLITE_ROW ? _ck_store_detail_read_queue_floor ((const char *)sqlite3_column_text (stmt, 0)) : 0;
  return TRUE;
}

/* Each consent's status row against its attempts and its events, and its
 * place in the verification queue against its last attempt's seal. */
static gboolean
check_status_and_queue (CkStore    *self,
                        GPtrArray  *problems,
                        GError    **error)
{
  g_autoptr(GHashTable) withdrawn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 floor_seq;
  int rc;

  if (self->schema_version < 4)
    return TRUE;
  if (!(withdrawn = withdrawn_consents (self, error)) || !queue_floor (self, &floor_seq, error))
    return FALSE;

  stmt = _ck_store_prepare (self,
                            "SELECT c.uuid, s.seq, s.uuid, s.last_outcome, s.last_number, s.withdrawn, "
                            "  (SELECT a.outcome FROM attempts a WHERE a.consent_uuid = c.uuid "
                            "   ORDER BY a.number DESC LIMIT 1), "
                            "  coalesce ((SELECT max (a.number) FROM attempts a "
                            "             WHERE a.consent_uuid = c.uuid), 0), "
                            "  (SELECT q.attempts FROM verify_queue q WHERE q.consent_uuid = c.uuid), "
                            "  (SELECT e.detail FROM events e WHERE e.consent_uuid = c.uuid "
                            "   AND e.kind = 'verification' ORDER BY e.seq DESC LIMIT 1), "
                            "  c.seq "
                            "FROM consents c LEFT JOIN consent_status s ON s.seq = c.seq",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 0);
      gint64 c_seq = sqlite3_column_int64 (stmt, 10);
      const char *last_outcome = (const char *)sqlite3_column_text (stmt, 6);
      guint last_number = (guint)sqlite3_column_int (stmt, 7);
      gboolean is_withdrawn = g_hash_table_contains (withdrawn, uuid);
      gboolean queued = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
      int requeued = _ck_store_detail_read_requeued ((const char *)sqlite3_column_text (stmt, 9));
      CkVerifyState state = ck_verify_state_from_status (last_outcome, last_number, is_withdrawn, 0);

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL ||
          g_strcmp0 ((const char *)sqlite3_column_text (stmt, 2), uuid) != 0 ||
          g_strcmp0 ((const char *)sqlite3_column_text (stmt, 3), last_outcome) != 0 ||
          (guint)sqlite3_column_int (stmt, 4) != last_number ||
          (sqlite3_column_int (stmt, 5) != 0) != is_withdrawn)
        add (problems, g_strdup_printf (_("The verification status of consent %s does not follow from "
                                          "its attempts and events: it was edited."), uuid));

      /* The queue: a consent whose verification is over (answered, a
       * fault no retry mends, withdrawn) is not in it; one whose last
       * attempt's seal kept it there is, due after that attempt. The
       * state of a retryable outcome depends on max_attempts, which the
       * seal answers for. */
      if (queued && (is_withdrawn || ck_verify_state_is_answer (state) ||
                     (last_outcome && ck_verify_outcome_is_known (last_outcome) &&
                      !ck_verify_outcome_is_retryable (last_outcome) &&
                      !g_str_equal (last_outcome, "in-progress"))))
        add (problems, g_strdup_printf (_("Consent %s is in the verification queue although its "
                                          "verification is over (%s): the queue was edited."),
                                        uuid, ck_verify_state_to_string (state)));
      else if (!is_withdrawn && last_outcome && g_strcmp0 (last_outcome, "in-progress") != 0 &&
               requeued == 1 && (!queued || (guint)sqlite3_column_int (stmt, 8) != last_number))
        add (problems, g_strdup_printf (_("Consent %s waits for another verification attempt, but its "
                                          "place in the queue was deleted or edited."), uuid));
      /* Never answered: queued since it was saved (schema 3 on), unless
       * it is older than the queue. */
      else if (!is_withdrawn && floor_seq >= 0 && c_seq > floor_seq &&
               (last_number == 0 || g_strcmp0 (last_outcome, "in-progress") == 0) && !queued)
        add (problems, g_strdup_printf (_("Consent %s waits for its verification, but its place in "
                                          "the queue was deleted: it was edited."), uuid));
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Status and queue rows of consents that are not stored. */
  if (!(stmt = _ck_store_prepare (self, "SELECT s.uuid FROM consent_status s "
                                        "WHERE NOT EXISTS (SELECT 1 FROM consents c WHERE c.seq = s.seq) "
                                        "UNION ALL SELECT q.consent_uuid FROM verify_queue q "
                                        "WHERE NOT EXISTS (SELECT 1 FROM consents c "
                                        "                  WHERE c.uuid = q.consent_uuid)", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add (problems, g_strdup_printf (_("The verification status or queue holds consent %s, which is "
                                      "not stored: it was edited."),
                                    (const char *)sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* The reversed ID numbers a search by the final digits uses. */
static gboolean
check_reversed (CkStore    *self,
                GPtrArray  *problems,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (self->schema_version < 2)
    return TRUE;

  if (!(stmt = _ck_store_prepare (self, "SELECT uuid, id_number, id_reversed FROM consents", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *)sqlite3_column_text (stmt, 1);
      g_autofree char *reversed = id ? g_utf8_strreverse (id, -1) : NULL;

      if (g_strcmp0 (reversed, (const char *)sqlite3_column_text (stmt, 2)) != 0)
        add (problems, g_strdup_printf (_("The search key of consent %s is not its ID number reversed: "
                                          "it was edited, and a search by the last digits would not "
                                          "find the right consent."),
                                        (const char *)sqlite3_column_text (stmt, 0)));
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

gboolean
_ck_store_check_derived (CkStore    *self,
                         GPtrArray  *problems,
                         GError    **error)
{
  return check_reversed (self, problems, error) &&
         check_status_and_queue (self, problems, error);
}
