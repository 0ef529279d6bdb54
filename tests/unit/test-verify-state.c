/* test-verify-state.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The verification state is written once (ck-verify-state.c) and read in
 * two languages: C, for one consent, and SQL, for lists filtered by state.
 * These tests run the SQL on every combination of withdrawal, outcome and
 * attempt number and compare it with the C derivation, state by state. */

#include "config.h"

#include <sqlite3.h>

#include "ck.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Every outcome an attempt can be stored with, one this version does not
 * know, and none (no attempt yet). */
static const char * const outcomes[] = {
  NULL, "in-progress", "verified", "not-matched", "undetermined", "input-rejected",
  "config-fault", "tls-fault", "provider-fault", "network-fault", "interrupted",
  "from-a-newer-version",
};

#define MAX_NUMBER 22

/* A table of every (withdrawn, last_outcome, last_number). */
static sqlite3 *
status_table (void)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE status (withdrawn INTEGER NOT NULL, "
                                     "last_outcome TEXT, last_number INTEGER NOT NULL)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO status VALUES (?, ?, ?)", -1, &insert, NULL),
                   ==, SQLITE_OK);

  for (int withdrawn = 0; withdrawn <= 1; withdrawn++)
    for (guint o = 0; o < G_N_ELEMENTS (outcomes); o++)
      for (int number = 0; number <= MAX_NUMBER; number++)
        {
          /* No attempt means number 0; an attempt means 1 or more. */
          if ((outcomes[o] == NULL) != (number == 0))
            continue;
          sqlite3_reset (insert);
          sqlite3_bind_int (insert, 1, withdrawn);
          if (outcomes[o])
            sqlite3_bind_text (insert, 2, outcomes[o], -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (insert, 2);
          sqlite3_bind_int (insert, 3, number);
          g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
        }

  return db;
}

static void
test_sql_agrees (void)
{
  sqlite3 *db = status_table ();
  const guint max_attempts[] = { 0, 1, 2, 5, 20 };
  guint checked = 0;

  for (guint m = 0; m < G_N_ELEMENTS (max_attempts); m++)
    for (CkVerifyState state = 0; state < CK_VERIFY_N_STATES; state++)
      {
        g_autoptr(GString) sql = g_string_new ("SELECT withdrawn, last_outcome, last_number, (");
        g_autoptr(sqlite3_stmt) stmt = NULL;
        guint n_in_state = 0;
        int rc;

        ck_verify_state_append_sql (state, "withdrawn", "last_outcome", "last_number",
                                    max_attempts[m], sql);
        g_string_append (sql, ") FROM status");
        if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
          g_error ("%s: %s", sql->str, sqlite3_errmsg (db));

        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            gboolean withdrawn = sqlite3_column_int (stmt, 0) != 0;
            const char *outcome = (const char *)sqlite3_column_text (stmt, 1);
            guint number = (guint)sqlite3_column_int (stmt, 2);
            gboolean in_sql = sqlite3_column_int (stmt, 3) != 0;
            CkVerifyState derived = ck_verify_state_from_status (outcome, number, withdrawn,
                                                                 max_attempts[m]);

            if (in_sql != (derived == state))
              g_error ("withdrawn %d, outcome %s, attempt %u, max_attempts %u: C says %s, "
                       "the SQL for %s says %s",
                       withdrawn, outcome ? outcome : "(none)", number, max_attempts[m],
                       ck_verify_state_to_string (derived), ck_verify_state_to_string (state),
                       in_sql ? "yes" : "no");
            n_in_state += in_sql;
            checked++;
          }
        g_assert_cmpint (rc, ==, SQLITE_DONE);

        /* Every state is reachable (but retrying when one attempt is
         * all there is), so a filter that matched nothing would be as
         * wrong as one that matched too much. */
        if (state != CK_VERIFY_STATE_RETRYING || max_attempts[m] != 1)
          g_assert_cmpuint (n_in_state, >, 0);
      }

  g_assert_cmpuint (checked, >, 1000);
  sqlite3_close (db);
}

static void
test_derivation (void)
{
  /* The rules as docs/VERIFICATION.md states them. */
  g_assert_cmpint (ck_verify_state_from_status (NULL, 0, FALSE, 5), ==, CK_VERIFY_STATE_UNVERIFIED);
  g_assert_cmpint (ck_verify_state_from_status ("verified", 1, TRUE, 5), ==, CK_VERIFY_STATE_WITHDRAWN);
  g_assert_cmpint (ck_verify_state_from_status ("in-progress", 2, FALSE, 5), ==,
                   CK_VERIFY_STATE_IN_PROGRESS);
  g_assert_cmpint (ck_verify_state_from_status ("input-rejected", 1, FALSE, 5), ==,
                   CK_VERIFY_STATE_REJECTED);
  g_assert_cmpint (ck_verify_state_from_status ("tls-fault", 1, FALSE, 5), ==, CK_VERIFY_STATE_FAILED);
  g_assert_cmpint (ck_verify_state_from_status ("network-fault", 4, FALSE, 5), ==,
                   CK_VERIFY_STATE_RETRYING);
  g_assert_cmpint (ck_verify_state_from_status ("network-fault", 5, FALSE, 5), ==,
                   CK_VERIFY_STATE_FAILED);
  g_assert_cmpint (ck_verify_state_from_status ("interrupted", 5, FALSE, 0), ==, CK_VERIFY_STATE_FAILED);
  g_assert_cmpint (ck_verify_state_from_status ("interrupted", 4, FALSE, 0), ==,
                   CK_VERIFY_STATE_RETRYING);
  g_assert_cmpint (ck_verify_state_from_status ("from-a-newer-version", 1, FALSE, 5), ==,
                   CK_VERIFY_STATE_FAILED);

  g_assert_true (ck_verify_outcome_is_retryable ("provider-fault"));
  g_assert_true (ck_verify_outcome_is_retryable ("network-fault"));
  g_assert_true (ck_verify_outcome_is_retryable ("interrupted"));
  g_assert_false (ck_verify_outcome_is_retryable ("tls-fault"));
  g_assert_false (ck_verify_outcome_is_retryable ("config-fault"));
  g_assert_false (ck_verify_outcome_is_retryable (NULL));
  g_assert_true (ck_verify_outcome_is_known ("in-progress"));
  g_assert_false (ck_verify_outcome_is_known ("from-a-newer-version"));
}

static void
test_names_and_labels (void)
{
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (CK_TYPE_VERIFY_STATE);
  CkVerifyState parsed;

  g_assert_cmpuint (enum_class->n_values, ==, CK_VERIFY_N_STATES);

  for (CkVerifyState state = 0; state < CK_VERIFY_N_STATES; state++)
    {
      const char *name = ck_verify_state_to_string (state);
      const char *label = ck_verify_state_get_label (state);

      /* The GType's nicks are the CLI's names. */
      g_assert_cmpstr (g_enum_get_value (enum_class, state)->value_nick, ==, name);
      g_assert_true (ck_verify_state_from_string (name, &parsed));
      g_assert_cmpint (parsed, ==, state);

      /* Each state its own words, style and icon. */
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
      g_assert_true (g_hash_table_add (labels, (gpointer)label));
      g_assert_nonnull (ck_verify_state_get_style (state));
      g_assert_true (g_str_has_suffix (ck_verify_state_get_icon (state), "-symbolic"));
    }

  g_assert_false (ck_verify_state_from_string ("verifying", NULL));
  g_assert_false (ck_verify_state_from_string (NULL, NULL));
  g_assert_cmpstr (ck_verify_state_to_string (CK_VERIFY_N_STATES), ==, "unknown");

  /* Another call is a paid one exactly where the service answered. */
  for (CkVerifyState state = 0; state < CK_VERIFY_N_STATES; state++)
    g_assert_cmpint (ck_verify_state_is_answer (state), ==,
                     state == CK_VERIFY_STATE_VERIFIED || state == CK_VERIFY_STATE_NOT_MATCHED ||
                     state == CK_VERIFY_STATE_UNDETERMINED || state == CK_VERIFY_STATE_REJECTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/verify-state/sql-agrees-with-c", test_sql_agrees);
  g_test_add_func ("/verify-state/derivation", test_derivation);
  g_test_add_func ("/verify-state/names-and-labels", test_names_and_labels);

  return g_test_run ();
}
