/* ck-central-query.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading the central archive for staff and compliance (`consentctl
 * --central URL list|show|export|pdf|usage`), as a role of ck_staff. The
 * answers are the structs the local store gives — CkConsentRecord,
 * CkConsentStatus, CkStoreEvent, CkVerifyAttempt — so that consentctl
 * prints them with the same code; what the archive adds is where each
 * consent comes from (CkCentralOrigin). Searches follow the store's rules
 * (ck-store-query.c): 4 to 18 digits or X are an ID number's last
 * characters, looked up reversed; anything else is a name's beginning;
 * both as byte ranges (COLLATE "C") on the archive's indexes. Rows are
 * read one at a time (libpq's single-row mode): memory stays the same
 * however many consents a query finds. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ck-central-private.h"
#include "ck-central-query.h"
#include "ck-store-chain-private.h"
#include "ck-verify-state.h"

/* --- results ------------------------------------------------------------- */

/**
 * _ck_central_exec_binary:
 *
 * _ck_central_exec(), its result in binary format.
 */
PGresult *
_ck_central_exec_binary (CkCentral          *self,
                         const char         *sql,
                         int                 n_params,
                         const char * const *values,
                         GError            **error)
{
  PGresult *result = PQexecParams (self->conn, sql, n_params, NULL, values, NULL, NULL, 1);
  ExecStatusType status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return result;

  _ck_central_result_error (self, result, error);
  g_clear_pointer (&result, PQclear);
  return NULL;
}

/* Asks the server to stop the statement running; its results are then
 * read to their end and dropped. */
static void
cancel_statement (CkCentral *self)
{
  PGcancel *cancel = PQgetCancel (self->conn);
  char why[256];

  if (cancel)
    {
      PQcancel (cancel, why, sizeof why);
      PQfreeCancel (cancel);
    }
}

/**
 * _ck_central_foreach_row:
 * @func: called for each row, in the order the query gives
 *
 * Runs @sql (results in binary format) and gives @func its rows one at a
 * time, as they arrive. When @func fails or @cancellable is cancelled,
 * the statement is cancelled on the server.
 *
 * Returns: %TRUE when every row was given to @func
 */
gboolean
_ck_central_foreach_row (CkCentral          *self,
                         const char         *sql,
                         int                 n_params,
                         const char * const *values,
                         CkCentralRowFunc    func,
                         gpointer            user_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  PGresult *result;

  if (!PQsendQueryParams (self->conn, sql, n_params, NULL, values, NULL, NULL, 1))
    return _ck_central_result_error (self, NULL, error);
  /* Without single-row mode the whole result comes at once: still right. */
  PQsetSingleRowMode (self->conn);

  while ((result = PQgetResult (self->conn)))
    {
      ExecStatusType status = PQresultStatus (result);

      if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK)
        {
          for (int row = 0; row < PQntuples (result) && local_error == NULL; row++)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, &local_error) ||
                  !func (result, row, user_data, &local_error))
                {
                  if (local_error == NULL)
                    g_set_error_literal (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_FAILED,
                                         "stopped");
                  cancel_statement (self);
                }
            }
        }
      else if (status != PGRES_COMMAND_OK && local_error == NULL)
        _ck_central_result_error (self, result, &local_error);
      PQclear (result);
    }
  if (local_error == NULL && PQstatus (self->conn) == CONNECTION_BAD)
    _ck_central_result_error (self, NULL, &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * _ck_central_get_text:
 *
 * Returns: (nullable): the value as the C string libpq ends it with;
 *   %NULL for SQL NULL
 */
const char *
_ck_central_get_text (PGresult *result,
                      int       row,
                      int       column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

gint64
_ck_central_get_int (PGresult *result,
                     int       row,
                     int       column)
{
  const char *text = _ck_central_get_text (result, row, column);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* A boolean cast to text: "true" or "false". */
gboolean
_ck_central_get_bool (PGresult *result,
                      int       row,
                      int       column)
{
  const char *text = _ck_central_get_text (result, row, column);

  return text && (text[0] == 't' || text[0] == '1');
}

static char *
dup_text (PGresult *result,
          int       row,
          int       column)
{
  return g_strdup (_ck_central_get_text (result, row, column));
}

static GBytes *
dup_bytes (PGresult *result,
           int       row,
           int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;

  return g_bytes_new (PQgetvalue (result, row, column), (gsize)PQgetlength (result, row, column));
}

/**
 * _ck_central_read_consent:
 * @first: the column of %CK_CENTRAL_CONSENT_COLUMNS' first
 *
 * Returns: (transfer full): the consent, as the store's
 *   _ck_store_read_consent () reads one: the archive's prev is the
 *   record's prev_hash, its hash the record's row_hash, record_kiosk_id
 *   the record's kiosk_id
 */
CkConsentRecord *
_ck_central_read_consent (PGresult *result,
                          int       row,
                          int       first)
{
  CkConsentRecord *r = ck_consent_record_new ();
  int i = first;

  r->seq = _ck_central_get_int (result, row, i++);
  r->uuid = dup_text (result, row, i++);
  r->created_at = dup_text (result, row, i++);
  r->name = dup_text (result, row, i++);
  r->id_number = dup_text (result, row, i++);
  r->sign_date = dup_text (result, row, i++);
  r->org_name = dup_text (result, row, i++);
  r->org_business = dup_text (result, row, i++);
  r->org_purpose = dup_text (result, row, i++);
  r->template_sha256 = dup_text (result, row, i++);
  r->pdf_path = dup_text (result, row, i++);
  r->pdf_sha256 = dup_text (result, row, i++);
  r->pdf_size = _ck_central_get_int (result, row, i++);
  r->signature = dup_bytes (result, row, i++);
  if (r->signature == NULL)
    r->signature = g_bytes_new (NULL, 0);
  r->kiosk_id = dup_text (result, row, i++);
  r->operator_name = dup_text (result, row, i++);
  r->demo = _ck_central_get_bool (result, row, i++);
  r->prev_hash = dup_text (result, row, i++);
  r->row_hash = dup_text (result, row, i++);
  r->name_method = dup_text (result, row, i++);
  r->id_method = dup_text (result, row, i++);
  g_assert (i - first == CK_CENTRAL_N_CONSENT_COLUMNS);

  return r;
}

CkStoreEvent *
_ck_central_read_event (PGresult *result,
                        int       row,
                        int       first)
{
  CkStoreEvent *e = g_new0 (CkStoreEvent, 1);
  int i = first;

  e->seq = _ck_central_get_int (result, row, i++);
  e->at = dup_text (result, row, i++);
  e->kind = dup_text (result, row, i++);
  e->consent_uuid = dup_text (result, row, i++);
  e->operator_name = dup_text (result, row, i++);
  e->detail = dup_text (result, row, i++);
  e->prev_hash = dup_text (result, row, i++);
  e->row_hash = dup_text (result, row, i++);
  g_assert (i - first == CK_CENTRAL_N_EVENT_COLUMNS);

  return e;
}

CkVerifyAttempt *
_ck_central_read_attempt (PGresult *result,
                          int       row,
                          int       first)
{
  CkVerifyAttempt *a = ck_verify_attempt_new ();
  int i = first;

  a->consent_uuid = dup_text (result, row, i++);
  a->number = (guint)_ck_central_get_int (result, row, i++);
  a->started_ms = _ck_central_get_int (result, row, i++);
  a->started_at = dup_text (result, row, i++);
  a->duration_ms = _ck_central_get_int (result, row, i++);
  a->provider = dup_text (result, row, i++);
  a->outcome = dup_text (result, row, i++);
  a->http_status = (guint)_ck_central_get_int (result, row, i++);
  a->provider_status = dup_text (result, row, i++);
  a->provider_message = dup_text (result, row, i++);
  a->request_id = dup_text (result, row, i++);
  a->error_code = dup_text (result, row, i++);
  a->error_message = dup_text (result, row, i++);
  a->detail = dup_text (result, row, i++);
  a->body = dup_bytes (result, row, i++);
  a->body_truncated = _ck_central_get_bool (result, row, i++);
  a->demo = _ck_central_get_bool (result, row, i++);
  a->claimed_by = dup_text (result, row, i++);
  g_assert (i - first == CK_CENTRAL_N_ATTEMPT_COLUMNS);

  return a;
}

void
ck_central_consent_free (CkCentralConsent *consent)
{
  if (consent == NULL)
    return;

  ck_consent_record_free (consent->record);
  g_free (consent->kiosk_id);
  g_free (consent->branch);
  g_free (consent);
}

void
ck_central_call_free (CkCentralCall *call)
{
  if (call == NULL)
    return;

  ck_verify_attempt_free (call->attempt);
  g_free (call->kiosk_id);
  g_free (call->branch);
  g_free (call);
}

/* --- a query's conditions -------------------------------------------------- */

#define MAX_PARAMS 12

/* An SQL text and its parameters ($1, $2, …), as text. */
typedef struct
{
  GString *sql;
  const char *values[MAX_PARAMS];
  GPtrArray *owned;
  int n;
} Statement;

static void
statement_init (Statement  *s,
                const char *sql)
{
  memset (s, 0, sizeof *s);
  s->sql = g_string_new (sql);
  s->owned = g_ptr_array_new_with_free_func (g_free);
}

static void
statement_clear (Statement *s)
{
  if (s->sql)
    g_string_free (s->sql, TRUE);
  s->sql = NULL;
  g_clear_pointer (&s->owned, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Statement, statement_clear)

/* Appends "$N" for @value to the SQL. */
static void
add_param (Statement  *s,
           const char *value)
{
  g_assert (s->n < MAX_PARAMS);
  s->values[s->n++] = value;
  g_string_append_printf (s->sql, "$%d", s->n);
}

static void
add_owned_param (Statement *s,
                 char      *value)
{
  g_ptr_array_add (s->owned, value);
  add_param (s, value);
}

static gboolean
looks_like_id_tail (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++, n++)
    if (!g_ascii_isdigit (*p) && *p != 'X' && *p != 'x')
      return FALSE;

  return n >= 4 && n <= 18;
}

/* The status of a consent c: its last attempt as la (a join), withdrawn
 * as 1 or 0, from the rows the kiosk synced. */
#define LAST_ATTEMPT_JOIN \
  " LEFT JOIN LATERAL (SELECT a.outcome, a.number, a.started_ms, a.demo FROM ck.attempts a " \
  "WHERE a.kiosk_id = c.kiosk_id AND a.consent_uuid = c.uuid ORDER BY a.number DESC LIMIT 1) la ON true"
#define WITHDRAWN \
  "(CASE WHEN EXISTS (SELECT 1 FROM ck.events w WHERE w.kiosk_id = c.kiosk_id AND w.consent_uuid = c.uuid " \
  "AND w.kind = 'withdrawal') THEN 1 ELSE 0 END)"

/* Appends " AND …" for each condition of @query, on ck.consents as c,
 * ck.kiosks as k, and la (LAST_ATTEMPT_JOIN) when it filters by state. */
static gboolean
append_conditions (Statement             *s,
                   const CkCentralQuery  *query,
                   GError               **error)
{
  const CkStoreQuery *q = &query->query;

  if (q->search && q->search[0])
    {
      char *key;
      const char *column;

      if (looks_like_id_tail (q->search))
        {
          g_autofree char *upper = g_ascii_strup (q->search, -1);

          key = g_utf8_strreverse (upper, -1);
          column = "(c.id_reversed COLLATE \"C\")";
        }
      else
        {
          key = g_strdup (q->search);
          column = "(c.name COLLATE \"C\")";
        }
      g_string_append_printf (s->sql, " AND %s >= ", column);
      add_owned_param (s, key);
      g_string_append_printf (s->sql, " AND %s < ", column);
      /* The smallest string greater than every string with this prefix. */
      add_owned_param (s, g_strconcat (key, "\xf4\x8f\xbf\xbf", NULL));
    }
  if (q->since)
    {
      g_string_append (s->sql, " AND c.sign_date >= ");
      add_param (s, q->since);
    }
  if (q->until)
    {
      g_string_append (s->sql, " AND c.sign_date <= ");
      add_param (s, q->until);
    }
  if (query->kiosk)
    {
      g_string_append (s->sql, " AND c.kiosk_id = ");
      add_param (s, query->kiosk);
    }
  if (query->branch)
    {
      g_string_append (s->sql, " AND k.branch = ");
      add_param (s, query->branch);
    }
  if (q->state)
    {
      CkVerifyState state;

      if (!ck_verify_state_from_string (q->state, &state))
        {
          g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                       _("“%s” is not a verification state (unverified, in-progress, verified, "
                         "not-matched, undetermined, rejected, retrying, failed, withdrawn)."),
                       q->state);
          return FALSE;
        }
      /* The same condition the store runs, on the synced attempts. */
      g_string_append (s->sql, " AND (");
      ck_verify_state_append_sql (state, WITHDRAWN, "la.outcome", "coalesce (la.number, 0)",
                                  q->max_attempts, s->sql);
      g_string_append (s->sql, ")");
    }

  return TRUE;
}

/* --- lists ------------------------------------------------------------------ */

typedef struct
{
  CkCentralRecordFunc func;
  gpointer user_data;
} Foreach;

static gboolean
foreach_row (PGresult  *result,
             int        row,
             gpointer   user_data,
             GError   **error)
{
  Foreach *job = user_data;
  int i = CK_CENTRAL_N_CONSENT_COLUMNS;
  g_autoptr(CkConsentRecord) record = _ck_central_read_consent (result, row, 0);
  CkCentralOrigin origin;
  CkConsentStatus status;

  origin.kiosk_id = _ck_central_get_text (result, row, i++);
  origin.branch = _ck_central_get_text (result, row, i++);
  origin.seq = record->seq;
  status.last_outcome = _ck_central_get_text (result, row, i++);
  status.last_number = (guint)_ck_central_get_int (result, row, i++);
  status.last_started_ms = _ck_central_get_int (result, row, i++);
  status.last_demo = _ck_central_get_bool (result, row, i++);
  status.withdrawn = _ck_central_get_int (result, row, i++) != 0;

  return job->func (record, &status, &origin, job->user_data, error);
}

/**
 * ck_central_foreach:
 * @self: a #CkCentral, connected as a role of ck_staff
 * @query: (nullable): which consents; limit and offset honoured
 * @func: called for each, newest first (by sign date, then kiosk, then
 *   chain: for one kiosk, the local store's order)
 * @user_data: for @func
 * @cancellable: (nullable): stops the query
 * @error: a #GError in the %CK_CENTRAL_ERROR domain (%CK_STORE_ERROR_INVALID
 *   for a state that is none), or @func's
 *
 * Reads the consents of every kiosk that @query finds, one at a time,
 * each with its verification status as the archive knows it (the
 * attempts and withdrawals synced) and where it comes from. Attempts
 * still running on a kiosk are not synced: “in-progress” finds none.
 *
 * Returns: %TRUE when every consent was given to @func
 */
gboolean
ck_central_foreach (CkCentral             *self,
                    const CkCentralQuery  *query,
                    CkCentralRecordFunc    func,
                    gpointer               user_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_auto(Statement) s;
  CkCentralQuery none = { { 0 } };
  Foreach job = { func, user_data };

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (query == NULL)
    query = &none;

  statement_init (&s, "SELECT " CK_CENTRAL_CONSENT_COLUMNS ", c.kiosk_id, k.branch, la.outcome, "
                  "coalesce (la.number, 0)::text, coalesce (la.started_ms, 0)::text, "
                  "coalesce (la.demo, false)::text, " WITHDRAWN "::text "
                  "FROM ck.consents c JOIN ck.kiosks k ON k.kiosk_id = c.kiosk_id" LAST_ATTEMPT_JOIN
                  " WHERE true");
  if (!append_conditions (&s, query, error))
    return FALSE;
  /* Backwards along consents_sign_date (sign_date, kiosk_id, seq). */
  g_string_append (s.sql, " ORDER BY c.sign_date DESC, c.kiosk_id DESC, c.seq DESC");
  if (query->query.limit)
    g_string_append_printf (s.sql, " LIMIT %u", query->query.limit);
  if (query->query.offset)
    g_string_append_printf (s.sql, " OFFSET %u", query->query.offset);

  return _ck_central_foreach_row (self, s.sql->str, s.n, s.values, foreach_row, &job, cancellable, error);
}

/**
 * ck_central_count_matches:
 * @self: a #CkCentral
 * @query: (nullable): which consents; limit and offset ignored
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Returns: how many consents ck_central_foreach() would give without a
 *   limit; -1 on failure
 */
gint64
ck_central_count_matches (CkCentral             *self,
                          const CkCentralQuery  *query,
                          GError               **error)
{
  g_auto(Statement) s;
  g_autoptr(PGresult) result = NULL;
  CkCentralQuery none = { { 0 } };

  g_return_val_if_fail (CK_IS_CENTRAL (self), -1);

  if (query == NULL)
    query = &none;

  statement_init (&s, "SELECT count (*)::text FROM ck.consents c JOIN ck.kiosks k ON k.kiosk_id = c.kiosk_id");
  if (query->query.state)
    g_string_append (s.sql, LAST_ATTEMPT_JOIN);
  g_string_append (s.sql, " WHERE true");
  if (!append_conditions (&s, query, error) ||
      !(result = _ck_central_exec_binary (self, s.sql->str, s.n, s.values, error)))
    return -1;

  return _ck_central_get_int (result, 0, 0);
}

/* --- one consent ------------------------------------------------------------ */

/**
 * ck_central_lookup:
 * @self: a #CkCentral
 * @uuid: a consent's id
 * @kiosk: (nullable): the kiosk that synced it
 * @branch: (nullable): that kiosk's branch
 * @error: a #GError: %CK_STORE_ERROR_NOT_FOUND when the archive holds no
 *   such consent, %CK_STORE_ERROR_DUPLICATE when two kiosks synced one
 *   with this id (name the kiosk); else %CK_CENTRAL_ERROR
 *
 * Returns: (transfer full) (nullable): the consent and where it comes
 *   from
 */
CkCentralConsent *
ck_central_lookup (CkCentral   *self,
                   const char  *uuid,
                   const char  *kiosk,
                   const char  *branch,
                   GError     **error)
{
  g_auto(Statement) s;
  g_autoptr(PGresult) result = NULL;
  CkCentralConsent *consent;

  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  statement_init (&s, "SELECT " CK_CENTRAL_CONSENT_COLUMNS ", c.kiosk_id, k.branch FROM ck.consents c "
                  "JOIN ck.kiosks k ON k.kiosk_id = c.kiosk_id WHERE c.uuid = ");
  add_param (&s, uuid);
  if (kiosk)
    {
      g_string_append (s.sql, " AND c.kiosk_id = ");
      add_param (&s, kiosk);
    }
  if (branch)
    {
      g_string_append (s.sql, " AND k.branch = ");
      add_param (&s, branch);
    }
  g_string_append (s.sql, " ORDER BY c.kiosk_id LIMIT 2");
  if (!(result = _ck_central_exec_binary (self, s.sql->str, s.n, s.values, error)))
    return NULL;

  if (PQntuples (result) == 0)
    {
      if (kiosk || branch)
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                     _("No consent with the id %s is in the central archive for the kiosk or branch named."),
                     uuid);
      else
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                     _("No consent with the id %s is in the central archive."), uuid);
      return NULL;
    }
  if (PQntuples (result) > 1)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_DUPLICATE,
                   _("Two kiosks synced a consent with the id %s (%s and %s): name one with --kiosk."),
                   uuid, PQgetvalue (result, 0, CK_CENTRAL_N_CONSENT_COLUMNS),
                   PQgetvalue (result, 1, CK_CENTRAL_N_CONSENT_COLUMNS));
      return NULL;
    }

  consent = g_new0 (CkCentralConsent, 1);
  consent->record = _ck_central_read_consent (result, 0, 0);
  consent->kiosk_id = dup_text (result, 0, CK_CENTRAL_N_CONSENT_COLUMNS);
  consent->branch = dup_text (result, 0, CK_CENTRAL_N_CONSENT_COLUMNS + 1);

  return consent;
}

/**
 * ck_central_list_events:
 * @self: a #CkCentral
 * @kiosk_id: the kiosk that synced the consent
 * @consent_uuid: the consent
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Returns: (transfer full) (element-type CkStoreEvent): the consent's
 *   events the kiosk synced, oldest first, as ck_store_list_events()
 *   gives them
 */
GPtrArray *
ck_central_list_events (CkCentral   *self,
                        const char  *kiosk_id,
                        const char  *consent_uuid,
                        GError     **error)
{
  const char *values[] = { kiosk_id, consent_uuid };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *events;

  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);

  if (!(result = _ck_central_exec_binary (self, "SELECT " CK_CENTRAL_EVENT_COLUMNS " FROM ck.events e "
                                                "WHERE e.kiosk_id = $1 AND e.consent_uuid = $2 ORDER BY e.seq",
                                          2, values, error)))
    return NULL;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_store_event_free);
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (events, _ck_central_read_event (result, row, 0));

  return events;
}

/**
 * ck_central_list_attempts:
 * @self: a #CkCentral
 * @kiosk_id: the kiosk that synced the consent
 * @consent_uuid: the consent
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the consent's
 *   finished attempts the kiosk synced, oldest first (their row ids are
 *   the kiosk's own and not kept: 0)
 */
GPtrArray *
ck_central_list_attempts (CkCentral   *self,
                          const char  *kiosk_id,
                          const char  *consent_uuid,
                          GError     **error)
{
  const char *values[] = { kiosk_id, consent_uuid };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *attempts;

  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);

  if (!(result = _ck_central_exec_binary (self, "SELECT " CK_CENTRAL_ATTEMPT_COLUMNS " FROM ck.attempts a "
                                                "WHERE a.kiosk_id = $1 AND a.consent_uuid = $2 "
                                                "ORDER BY a.number",
                                          2, values, error)))
    return NULL;

  attempts = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_verify_attempt_free);
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (attempts, _ck_central_read_attempt (result, row, 0));

  return attempts;
}

/**
 * ck_central_read_pdf:
 * @self: a #CkCentral
 * @kiosk_id: the kiosk that synced the consent
 * @record: the consent (ck_central_lookup())
 * @error: a #GError: %CK_STORE_ERROR_NOT_FOUND when the archive holds no
 *   PDF of it, %CK_STORE_ERROR_TAMPERED when the bytes do not match the
 *   SHA-256 the chain records; else %CK_CENTRAL_ERROR
 *
 * Reads the consent's current PDF as the archive holds it: the PDF of its
 * latest pdf-revision event, else the PDF as signed (an earlier one is
 * never given in place of a revision the archive lacks); its SHA-256 and
 * size computed here and compared with what the chain records for it (the
 * consent's record, or the revision's event).
 *
 * Returns: (transfer full) (nullable): the PDF, byte for byte the kiosk's
 */
GBytes *
ck_central_read_pdf (CkCentral              *self,
                     const char             *kiosk_id,
                     const CkConsentRecord  *record,
                     GError                **error)
{
  g_autofree char *consent_seq = NULL;
  g_autoptr(PGresult) result = NULL;
  g_auto(CkStoreRevision) revision = { 0 };
  g_autofree char *sha256 = NULL;
  const char *want_sha256;
  gint64 seq, want_size;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  /* The PDF of the consent's last revision, else its own: never an older
   * one in place of a revision the archive lost. */
  consent_seq = g_strdup_printf ("%" G_GINT64_FORMAT, record->seq);
  {
    const char *values[] = { kiosk_id, record->uuid, consent_seq };

    if (!(result = _ck_central_exec_binary (self,
            "WITH w AS (SELECT coalesce ((SELECT max (seq) FROM ck.events WHERE kiosk_id = $1 "
            "AND consent_uuid = $2 AND kind = 'pdf-revision'), $3::bigint) AS seq) "
            "SELECT w.seq::text, p.data, e.kind, e.detail FROM w "
            "LEFT JOIN ck.pdfs p ON p.kiosk_id = $1 AND p.seq = w.seq AND p.consent_uuid = $2 "
            "LEFT JOIN ck.events e ON e.kiosk_id = $1 AND e.seq = w.seq",
            3, values, error)))
      return NULL;
  }
  seq = _ck_central_get_int (result, 0, 0);
  if (PQgetisnull (result, 0, 1))
    {
      if (seq == record->seq)
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                     _("The central archive holds no PDF of consent %s."), record->uuid);
      else
        g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_NOT_FOUND,
                     _("The central archive lacks the current revision of consent %s's PDF (link %lld of "
                       "kiosk %s): run “consentctl central check”."),
                     record->uuid, (long long)seq, kiosk_id);
      return NULL;
    }

  data = PQgetvalue (result, 0, 1);
  size = (gsize)PQgetlength (result, 0, 1);
  if (seq == record->seq)
    {
      want_sha256 = record->pdf_sha256;
      want_size = record->pdf_size;
    }
  else if (_ck_store_detail_read_revision (_ck_central_get_text (result, 0, 3), &revision))
    {
      want_sha256 = revision.sha256;
      want_size = revision.size;
    }
  else
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The pdf-revision event at link %lld of kiosk %s does not say which PDF it made."),
                   (long long)seq, kiosk_id);
      return NULL;
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if ((gint64)size != want_size || g_strcmp0 (sha256, want_sha256) != 0)
    {
      g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED,
                   _("The central archive's PDF of consent %s does not match the SHA-256 the chain "
                     "records for it: it was changed in the archive."),
                   record->uuid);
      return NULL;
    }

  return g_bytes_new (data, size);
}

/* An operator's name as the chain takes one: 1 to 64 characters of text,
 * no control character. */
static gboolean
check_operator (const char  *operator_name,
                GError     **error)
{
  gboolean ok = operator_name && operator_name[0] && g_utf8_validate (operator_name, -1, NULL) &&
                g_utf8_strlen (operator_name, -1) <= CK_STORE_MAX_OPERATOR_CHARS;

  for (const char *p = operator_name; ok && *p; p = g_utf8_next_char (p))
    ok = !g_unichar_iscntrl (g_utf8_get_char (p));
  if (!ok)
    g_set_error (error, CK_STORE_ERROR, CK_STORE_ERROR_INVALID,
                 _("The operator's name must be 1 to %d characters of text, without line breaks; "
                   "nothing was recorded."),
                 CK_STORE_MAX_OPERATOR_CHARS);

  return ok;
}

/**
 * ck_central_record_reveal:
 * @self: a #CkCentral, connected as a role of ck_staff
 * @kiosk_id: (nullable): the kiosk whose consent it is; %NULL for an export
 * @consent_uuid: (nullable): the consent; %NULL for an export
 * @operator_name: who sees the whole ID numbers
 * @via: how, e.g. "consentctl show"
 * @n_records: for an export, how many records it holds
 * @error: a #GError
 *
 * Records in ck.reveals, as the role logged in, that @operator_name saw
 * whole ID numbers read from the archive, as a kiosk's `reveal` event
 * does locally. Call it before showing them, and show them only if this
 * returns %TRUE.
 *
 * Returns: %TRUE once committed
 */
gboolean
ck_central_record_reveal (CkCentral   *self,
                          const char  *kiosk_id,
                          const char  *consent_uuid,
                          const char  *operator_name,
                          const char  *via,
                          guint        n_records,
                          GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  if (!check_operator (operator_name, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "id_number");
  json_builder_set_member_name (builder, "via");
  json_builder_add_string_value (builder, via);
  if (consent_uuid)
    {
      json_builder_set_member_name (builder, "kiosk_id");
      json_builder_add_string_value (builder, kiosk_id);
      json_builder_set_member_name (builder, "consent");
      json_builder_add_string_value (builder, consent_uuid);
    }
  else
    {
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, n_records);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  what = json_generator_to_data (generator, NULL);

  {
    const char *values[] = { operator_name, what };

    result = _ck_central_exec (self, "INSERT INTO ck.reveals (operator, what) VALUES ($1, $2)", 2, values, error);
  }

  return result != NULL;
}

/* --- the package ------------------------------------------------------------ */

/**
 * ck_central_list_calls:
 * @self: a #CkCentral, connected as a role of ck_staff
 * @since: (nullable): YYYY-MM-DD, UTC: calls started on or after this day
 * @kiosk: (nullable): only this kiosk's calls
 * @branch: (nullable): only those of this branch's kiosks
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Returns: (transfer full) (element-type CkCentralCall): the
 *   organisation's billed and maybe billed calls (ck.org_calls: every
 *   kiosk's, those of consents the kiosks purged included), oldest first
 */
GPtrArray *
ck_central_list_calls (CkCentral   *self,
                       const char  *since,
                       const char  *kiosk,
                       const char  *branch,
                       GError     **error)
{
  const char *values[] = { since, kiosk, branch };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *calls;

  g_return_val_if_fail (CK_IS_CENTRAL (self), NULL);

  /* An attempt's own row gives its consent; a purged call has none. */
  if (!(result = _ck_central_exec_binary (self,
          "SELECT o.kiosk_id, k.branch, o.started_ms::text, o.started_at, o.provider, o.outcome, "
          "o.http_status::text, o.request_id, o.billed, "
          "(SELECT a.consent_uuid FROM ck.attempts a WHERE a.kiosk_id = o.kiosk_id AND "
          "a.started_ms = o.started_ms AND a.provider = o.provider AND "
          "a.request_id IS NOT DISTINCT FROM o.request_id AND a.billed <> 'no' "
          "ORDER BY a.consent_uuid LIMIT 1) "
          "FROM ck.org_calls o JOIN ck.kiosks k ON k.kiosk_id = o.kiosk_id "
          "WHERE ($1::text IS NULL OR o.started_at >= $1) AND ($2::text IS NULL OR o.kiosk_id = $2) "
          "AND ($3::text IS NULL OR k.branch = $3) ORDER BY o.started_ms, o.kiosk_id",
          3, values, error)))
    return NULL;

  calls = g_ptr_array_new_with_free_func ((GDestroyNotify)ck_central_call_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      CkCentralCall *call = g_new0 (CkCentralCall, 1);
      CkVerifyAttempt *a = ck_verify_attempt_new ();
      const char *billed = _ck_central_get_text (result, row, 8);

      call->kiosk_id = dup_text (result, row, 0);
      call->branch = dup_text (result, row, 1);
      a->started_ms = _ck_central_get_int (result, row, 2);
      a->started_at = dup_text (result, row, 3);
      a->provider = dup_text (result, row, 4);
      /* A call whose consent was purged before the attempt was synced
       * keeps only billed "maybe": it reads as interrupted, as locally. */
      a->outcome = g_strcmp0 (billed, "maybe") == 0 ? g_strdup ("interrupted") : dup_text (result, row, 5);
      a->http_status = (guint)_ck_central_get_int (result, row, 6);
      a->request_id = dup_text (result, row, 7);
      a->consent_uuid = dup_text (result, row, 9);
      a->duration_ms = -1;
      call->attempt = a;
      g_ptr_array_add (calls, call);
    }

  return calls;
}
