/* ck-store-events.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The event log: events, withdrawals, reveals, and the details purges
 * write. */

#define G_LOG_DOMAIN "ck-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-store-impl-private.h"

/* --- events ---------------------------------------------------------------------------- */

/**
 * ck_store_add_event:
 * @self: a #CkStore
 * @kind: e.g. "reveal", "withdrawal"
 * @consent_uuid: (nullable): the consent it concerns
 * @operator_name: (nullable): who did it
 * @detail: (nullable): more, as JSON
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Appends to the event log, in the hash chain.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_add_event (CkStore     *self,
                    const char  *kind,
                    const char  *consent_uuid,
                    const char  *operator_name,
                    const char  *detail,
                    GError     **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  if (!_ck_store_check_text (_("The operator's name"), operator_name, CK_STORE_MAX_OPERATOR_CHARS,
                             FALSE, error))
    return FALSE;

  event->kind = g_strdup (kind);
  event->consent_uuid = g_strdup (consent_uuid);
  event->operator_name = g_strdup (operator_name);
  event->detail = g_strdup (detail);

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_ck_store_insert_event (self, event, &local_error) || !_ck_store_commit (self, &local_error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

CkStoreEvent *
_ck_store_read_event (sqlite3_stmt *stmt)
{
  CkStoreEvent *e = g_new0 (CkStoreEvent, 1);

  e->seq = sqlite3_column_int64 (stmt, 0);
  e->at = _ck_store_column_text (stmt, 1);
  e->kind = _ck_store_column_text (stmt, 2);
  e->consent_uuid = _ck_store_column_text (stmt, 3);
  e->operator_name = _ck_store_column_text (stmt, 4);
  e->detail = _ck_store_column_text (stmt, 5);
  e->prev_hash = _ck_store_column_text (stmt, 6);
  e->row_hash = _ck_store_column_text (stmt, 7);

  return e;
}

/**
 * ck_store_list_events:
 * @consent_uuid: (nullable): only those about this consent
 *
 * Returns: (transfer full) (element-type CkStoreEvent): events, oldest first
 */
GPtrArray *
ck_store_list_events (CkStore     *self,
                      const char  *consent_uuid,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_store_event_free);
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = _ck_store_prepare (self,
                            consent_uuid
                            ? "SELECT " EVENT_COLUMNS " FROM events WHERE consent_uuid = ? ORDER BY seq"
                            : "SELECT " EVENT_COLUMNS " FROM events ORDER BY seq",
                            error);
  if (stmt == NULL)
    return NULL;
  if (consent_uuid)
    _ck_store_bind_text (stmt, 1, consent_uuid);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, _ck_store_read_event (stmt));

  if (rc != SQLITE_DONE)
    {
      _ck_store_sql_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

/* Whether @uuid has a withdrawal event. The kinds are compared as the
 * chain hashes them, as typed bytes: a withdrawal whose kind was turned
 * into a BLOB, or given a NUL, to hide it from SQL's "kind = 'withdrawal'"
 * is an edit (%CK_STORE_ERROR_TAMPERED), not a consent to verify again. */
gboolean
_ck_store_lookup_withdrawn (CkStore     *self,
                            const char  *uuid,
                            gboolean    *withdrawn,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _ck_store_prepare (self, "SELECT seq, kind FROM events WHERE consent_uuid IN (?1, CAST(?1 AS BLOB))",
                            error);
  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, uuid);

  *withdrawn = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The type first: reading the text converts it. */
      int type = sqlite3_column_type (stmt, 1);
      const char *kind = (const char *)sqlite3_column_text (stmt, 1);

      if (type != SQLITE_TEXT ||
          (gsize)sqlite3_column_bytes (stmt, 1) != strlen (kind))
        {
          g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));

          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                       _("Event %s of consent %s was edited: its kind is not plain text. Nothing "
                         "was done; run “consentctl check”."),
                       seq, uuid);
          return FALSE;
        }
      if (g_str_equal (kind, "withdrawal"))
        *withdrawn = TRUE;
    }
  if (rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* Fails with %CK_STORE_ERROR_WITHDRAWN if @uuid was withdrawn. */
gboolean
_ck_store_refuse_withdrawn (CkStore     *self,
                            const char  *uuid,
                            GError     **error)
{
  gboolean withdrawn;

  if (!_ck_store_lookup_withdrawn (self, uuid, &withdrawn, error))
    return FALSE;
  if (withdrawn)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN,
                   _("Consent %s was withdrawn by the customer: it is not verified any more."),
                   uuid);
      return FALSE;
    }

  return TRUE;
}

/* --- the staff PIN ------------------------------------------------------------------ */

#define PIN_TRIED "staff-pin-tried"
#define UNLOCKED  "staff-unlocked"
#define MAX_TRIES 64   /* more in a row lock as long as this many: CK_PIN_MAX_LOCK_S */

/**
 * ck_store_record_pin_tried:
 * @self: a #CkStore
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records that a staff PIN was given, before it is checked: until a
 * "staff-unlocked" event follows, it counts as a wrong one, also across
 * a restart (CkPinGuard).
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_record_pin_tried (CkStore  *self,
                           GError  **error)
{
  return ck_store_add_event (self, PIN_TRIED, NULL, NULL, NULL, error);
}

/**
 * ck_store_record_unlocked:
 * @self: a #CkStore
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records that the right staff PIN was given: the tries before it are
 * forgiven.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_record_unlocked (CkStore  *self,
                          GError  **error)
{
  return ck_store_add_event (self, UNLOCKED, NULL, NULL, NULL, error);
}

/**
 * ck_store_count_pin_tries:
 * @self: a #CkStore
 * @tries: (out): staff PINs given since the last unlock (at most 64)
 * @last_us: (out): when the last of them was given (real time, µs); 0
 *   if none was
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
ck_store_count_pin_tries (CkStore  *self,
                          guint    *tries,
                          gint64   *last_us,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (tries != NULL && last_us != NULL, FALSE);

  *tries = 0;
  *last_us = 0;
  stmt = _ck_store_prepare (self, "SELECT kind, at FROM events WHERE kind IN ('" PIN_TRIED "', '" UNLOCKED "') "
                                  "ORDER BY seq DESC LIMIT ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, MAX_TRIES);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW &&
         g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), PIN_TRIED) == 0)
    {
      if ((*tries)++ == 0)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ((const char *)sqlite3_column_text (stmt, 1),
                                                                   NULL);

          /* An unreadable time: as if it were now, which locks longest. */
          *last_us = at ? g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at)
                        : g_get_real_time ();
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ck_store_sql_error (self, rc, error);

  return TRUE;
}

/* --- withdrawal and reveals ---------------------------------------------------------- */

/* Within a transaction: fails with %CK_STORE_ERROR_NOT_FOUND unless a
 * consent @uuid is stored. */
static gboolean
require_consent (CkStore     *self,
                 const char  *uuid,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _ck_store_prepare (self, "SELECT 1 FROM consents WHERE uuid = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _ck_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                   _("No consent with the id %s is stored."), uuid);
      return FALSE;
    }

  return rc == SQLITE_ROW ? TRUE : _ck_store_sql_error (self, rc, error);
}

static gboolean
require_operator (const char  *operator_name,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (operator_name ? operator_name : ""));

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                           _("Say who does this: the operator's name is empty."));
      return FALSE;
    }

  return _ck_store_check_text (_("The operator's name"), operator_name, CK_STORE_MAX_OPERATOR_CHARS,
                               FALSE, error);
}

/* Appends an event about a stored consent, in one transaction; a
 * withdrawal only once. */
static gboolean
add_consent_event (CkStore     *self,
                   const char  *kind,
                   const char  *uuid,
                   const char  *operator_name,
                   const char  *detail,
                   GError     **error)
{
  g_autoptr(CkStoreEvent) event = g_new0 (CkStoreEvent, 1);
  g_autoptr(GError) local_error = NULL;

  if (!require_operator (operator_name, error))
    return FALSE;

  event->kind = g_strdup (kind);
  event->consent_uuid = g_strdup (uuid);
  event->operator_name = g_strdup (operator_name);
  event->detail = g_strdup (detail);

  if (!_ck_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!require_consent (self, uuid, &local_error))
    goto rollback;
  if (g_str_equal (kind, "withdrawal"))
    {
      gboolean withdrawn;

      if (!_ck_store_lookup_withdrawn (self, uuid, &withdrawn, &local_error))
        goto rollback;
      if (withdrawn)
        {
          g_set_error (&local_error, CK_STORE_ERROR, CK_STORE_ERROR_WITHDRAWN,
                       _("Consent %s was already withdrawn."), uuid);
          goto rollback;
        }
    }
  /* _ck_store_insert_event () applies a withdrawal: status and queue. */
  if (!_ck_store_insert_event (self, event, &local_error) || !_ck_store_commit (self, &local_error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_store_withdraw:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @operator_name: the member of staff recording it
 * @note: (nullable): what the customer said, or a reference
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records the customer's withdrawal of consent as a "withdrawal" event in
 * the hash chain (detail `{"note":…}`) and takes the consent out of the
 * verification queue, in one transaction. Afterwards
 * ck_store_begin_attempt () refuses it with %CK_STORE_ERROR_WITHDRAWN.
 *
 * Returns: %TRUE once committed; %FALSE with %CK_STORE_ERROR_NOT_FOUND,
 *   %CK_STORE_ERROR_WITHDRAWN (already) or %CK_STORE_ERROR_INVALID (no
 *   operator)
 */
gboolean
ck_store_withdraw (CkStore     *self,
                   const char  *uuid,
                   const char  *operator_name,
                   const char  *note,
                   GError     **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!_ck_store_check_text (_("The note"), note, CK_STORE_MAX_NOTE_CHARS, TRUE, error))
    return FALSE;
  detail = _ck_store_detail_new ("note", note, NULL);
  return add_consent_event (self, "withdrawal", uuid, operator_name, detail, error);
}

/**
 * ck_store_lookup_withdrawal:
 *
 * Returns: (transfer full) (nullable): the consent's withdrawal event, or
 *   %NULL with @error unset when it was not withdrawn
 */
CkStoreEvent *
ck_store_lookup_withdrawal (CkStore     *self,
                            const char  *uuid,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CK_IS_STORE (self), NULL);

  stmt = _ck_store_prepare (self, "SELECT " EVENT_COLUMNS " FROM events "
                        "WHERE consent_uuid = ? AND kind = 'withdrawal' ORDER BY seq LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _ck_store_bind_text (stmt, 1, uuid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    return _ck_store_read_event (stmt);
  if (rc != SQLITE_DONE)
    _ck_store_sql_error (self, rc, error);

  return NULL;
}

/**
 * ck_store_record_reveal:
 * @self: a #CkStore
 * @uuid: a stored consent
 * @operator_name: who sees the whole ID number
 * @via: how, e.g. "staff-window" or "consentctl"
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Records that @operator_name saw @uuid's whole ID number: a "reveal"
 * event in the chain, detail `{"field":"id_number","via":…}`. Call it
 * before showing the number, and show it only if this returns %TRUE.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_store_record_reveal (CkStore     *self,
                        const char  *uuid,
                        const char  *operator_name,
                        const char  *via,
                        GError     **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (CK_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  detail = _ck_store_detail_new ("field", "id_number", "via", via, NULL);
  return add_consent_event (self, "reveal", uuid, operator_name, detail, error);
}

/* Parses a purge event's "removed" list: [[seq,"hash"],…]. */
