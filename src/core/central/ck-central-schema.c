/* ck-central-schema.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The central archive's schema, owned by the project and versioned: each
 * data/central/NNNN-*.sql takes it one version forward, in one transaction
 * with the others of that run, as the role ck_owner. `consentctl central
 * init` makes the group roles and applies them all; `migrate` applies the
 * ones a database lacks. A database of a newer version is left alone. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-central-private.h"

static const char * const migrations[CK_CENTRAL_SCHEMA_VERSION] = {
  "/org/consentkiosk/ConsentKiosk/central/0001-chain.sql",
  "/org/consentkiosk/ConsentKiosk/central/0002-verification.sql",
  "/org/consentkiosk/ConsentKiosk/central/0003-entry-methods.sql",
};

/* The group roles the schema grants to; made by init when missing. */
static const char roles_sql[] =
  "DO $$ DECLARE r text; BEGIN "
  "  FOREACH r IN ARRAY ARRAY['ck_owner', 'ck_kiosk', 'ck_staff', 'ck_purger'] LOOP "
  "    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN "
  "      EXECUTE format ('CREATE ROLE %I NOLOGIN', r); "
  "    END IF; "
  "  END LOOP; "
  "  EXECUTE format ('GRANT ck_owner TO %I', current_user); "
  "  EXECUTE format ('GRANT CREATE ON DATABASE %I TO ck_owner', current_database ()); "
  "END $$";

/**
 * ck_central_get_schema_version:
 * @self: a #CkCentral
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Returns: the archive's schema version, 0 for a database without one,
 *   -1 on error
 */
int
ck_central_get_schema_version (CkCentral  *self,
                               GError    **error)
{
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) version = NULL;

  g_return_val_if_fail (CK_IS_CENTRAL (self), -1);

  if (!(exists = _ck_central_exec (self, "SELECT to_regclass ('ck.schema_migrations') IS NOT NULL", 0, NULL, error)))
    return -1;
  if (!g_str_equal (PQgetvalue (exists, 0, 0), "t"))
    return 0;
  if (!(version = _ck_central_exec (self, "SELECT coalesce (max (version), 0) FROM ck.schema_migrations",
                                    0, NULL, error)))
    return -1;

  return atoi (PQgetvalue (version, 0, 0));
}

static gboolean
apply (CkCentral  *self,
       gboolean    creating,
       int         to_version,
       GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) encoding = NULL;
  int version;

  if (to_version <= 0 || to_version > CK_CENTRAL_SCHEMA_VERSION)
    to_version = CK_CENTRAL_SCHEMA_VERSION;

  if (!_ck_central_command (self, "BEGIN", error))
    return FALSE;
  /* One migrating process at a time. */
  if (!_ck_central_command (self, "SELECT pg_advisory_xact_lock (hashtext ('ck-central-schema'))", &local_error))
    goto rollback;
  if (!(encoding = _ck_central_exec (self, "SHOW server_encoding", 0, NULL, &local_error)))
    goto rollback;
  if (!g_str_equal (PQgetvalue (encoding, 0, 0), "UTF8"))
    {
      g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("The central database must be UTF-8, not %s: create it with ENCODING 'UTF8'."),
                   PQgetvalue (encoding, 0, 0));
      goto rollback;
    }
  if ((version = ck_central_get_schema_version (self, &local_error)) < 0)
    goto rollback;
  if (version > CK_CENTRAL_SCHEMA_VERSION)
    {
      g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_NEWER_SCHEMA,
                   _("The central archive has schema version %d, newer than this version of Consent "
                     "Kiosk reads (%d): update consentctl first. Nothing was changed."),
                   version, CK_CENTRAL_SCHEMA_VERSION);
      goto rollback;
    }
  if (creating && version > 0)
    {
      g_set_error (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("This database already holds a central archive (schema version %d): use "
                     "“consentctl central migrate” to bring it forward."),
                   version);
      goto rollback;
    }
  if (!creating && version == 0)
    {
      g_set_error_literal (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_SCHEMA,
                           _("This database holds no central archive yet: run “consentctl central "
                             "init” first."));
      goto rollback;
    }

  if (!_ck_central_command (self, roles_sql, &local_error) ||
      !_ck_central_command (self, "SET LOCAL ROLE ck_owner", &local_error))
    goto rollback;
  for (int v = version + 1; v <= to_version; v++)
    {
      g_autoptr(GBytes) sql = g_resources_lookup_data (migrations[v - 1], 0, &local_error);
      g_autofree char *text = NULL;
      g_autofree char *record = g_strdup_printf ("INSERT INTO ck.schema_migrations (version) VALUES (%d)", v);

      if (sql == NULL)
        goto rollback;
      text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
      if (!_ck_central_command (self, text, &local_error) || !_ck_central_command (self, record, &local_error))
        goto rollback;
      g_debug ("central archive: schema version %d applied", v);
    }
  if (!_ck_central_command (self, "RESET ROLE", &local_error) ||
      !_ck_central_command (self, "COMMIT", &local_error))
    goto rollback;

  return TRUE;

rollback:
  _ck_central_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * ck_central_init_archive:
 * @self: a #CkCentral, connected as a role that may create roles and
 *   schemas in the database (its owner, or a superuser)
 * @to_version: the version to stop at; 0 (or anything out of range) for
 *   %CK_CENTRAL_SCHEMA_VERSION. Tests stop early to test migrations.
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Makes the group roles ck_owner, ck_kiosk, ck_staff and ck_purger (when
 * missing) and the archive's schema `ck`, in one transaction. Refuses a
 * database that already holds one.
 */
gboolean
ck_central_init_archive (CkCentral  *self,
                         int         to_version,
                         GError    **error)
{
  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  return apply (self, TRUE, to_version, error);
}

/**
 * ck_central_migrate:
 * @self: a #CkCentral, connected as for ck_central_init_archive()
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Brings the archive's schema to %CK_CENTRAL_SCHEMA_VERSION, one version
 * at a time, in one transaction. Nothing to do is success.
 */
gboolean
ck_central_migrate (CkCentral  *self,
                    GError    **error)
{
  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  return apply (self, FALSE, CK_CENTRAL_SCHEMA_VERSION, error);
}

static gboolean
is_role_name (const char *role)
{
  if (role == NULL || !g_ascii_islower (role[0]) || strlen (role) > 63)
    return FALSE;
  for (const char *p = role; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/**
 * ck_central_add_kiosk:
 * @self: a #CkCentral, connected as for ck_central_init_archive()
 * @kiosk_id: the kiosk's [kiosk] id
 * @branch: (nullable): its branch, for `--branch` filters
 * @role: the login role it will use: lowercase letters, digits and _
 * @password: (nullable): the role's password (sent only as a SCRAM
 *   verifier); %NULL for a role that logs in with a client certificate
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Registers a kiosk: makes its login role (or takes an existing one),
 * member of ck_kiosk, and records which kiosk it syncs for.
 */
gboolean
ck_central_add_kiosk (CkCentral   *self,
                      const char  *kiosk_id,
                      const char  *branch,
                      const char  *role,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *statement = NULL;
  char *id;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  if (kiosk_id == NULL || kiosk_id[0] == '\0' || strlen (kiosk_id) > 128 || !g_utf8_validate (kiosk_id, -1, NULL))
    {
      g_set_error_literal (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                           _("A kiosk id has 1 to 128 characters."));
      return FALSE;
    }
  if (!is_role_name (role))
    {
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("“%s” cannot be a kiosk's role: use lowercase letters, digits and _, starting "
                     "with a letter, at most 63."),
                   role ? role : "");
      return FALSE;
    }

  id = PQescapeIdentifier (self->conn, role, strlen (role));
  quoted = g_strdup (id);
  PQfreemem (id);

  if (!_ck_central_command (self, "BEGIN", error))
    return FALSE;
  {
    const char *values[] = { role };

    if (!(exists = _ck_central_exec (self, "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, values, &local_error)))
      goto rollback;
  }
  if (PQntuples (exists) == 0)
    statement = g_strdup_printf ("CREATE ROLE %s LOGIN IN ROLE ck_kiosk", quoted);
  else
    statement = g_strdup_printf ("GRANT ck_kiosk TO %s", quoted);
  if (!_ck_central_command (self, statement, &local_error))
    goto rollback;
  if (password)
    {
      char *verifier = PQencryptPasswordConn (self->conn, password, role, "scram-sha-256");
      char *literal = verifier ? PQescapeLiteral (self->conn, verifier, strlen (verifier)) : NULL;
      g_autofree char *alter = literal ? g_strdup_printf ("ALTER ROLE %s PASSWORD %s", quoted, literal) : NULL;

      if (verifier)
        PQfreemem (verifier);
      if (literal)
        PQfreemem (literal);
      if (alter == NULL)
        {
          g_set_error_literal (&local_error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_FAILED,
                               _("The password could not be prepared for the server."));
          goto rollback;
        }
      if (!_ck_central_command (self, alter, &local_error))
        goto rollback;
    }
  {
    const char *values[] = { kiosk_id, branch ? branch : "", role };

    if (!(inserted = _ck_central_exec (self, "INSERT INTO ck.kiosks (kiosk_id, branch, role_name) "
                                             "VALUES ($1, $2, $3)", 3, values, &local_error)))
      goto rollback;
  }
  if (!_ck_central_command (self, "COMMIT", &local_error))
    goto rollback;

  return TRUE;

rollback:
  _ck_central_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
