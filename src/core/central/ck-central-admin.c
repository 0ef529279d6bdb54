/* ck-central-admin.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What IT does to the central archive besides its schema: registering a
 * kiosk with the password from a file, and retention (`consentctl central
 * add-kiosk`, `purge`). The archive decides who may: purges run through
 * ck.purge_before (), which only members of ck_purger may execute. */

#define G_LOG_DOMAIN "ck-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-central-private.h"
#include "ck-central-query.h"
#include "ck-date.h"
#include "ck-seal-private.h"

/**
 * ck_central_default_kiosk_role:
 * @kiosk_id: a kiosk's [kiosk] id
 *
 * Returns: (transfer full): the login role `consentctl central add-kiosk`
 *   gives the kiosk unless told otherwise: "ck_kiosk_" and the id, its
 *   letters lowercased and every character but ASCII letters and digits
 *   turned into "_" (ck_central_add_kiosk() checks the result)
 */
char *
ck_central_default_kiosk_role (const char *kiosk_id)
{
  GString *role = g_string_new ("ck_kiosk_");

  g_return_val_if_fail (kiosk_id != NULL, NULL);

  for (const char *p = kiosk_id; *p; )
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (role, g_ascii_tolower (*p++));
      else
        {
          g_string_append_c (role, '_');
          /* One "_" a character, whatever its length in UTF-8. */
          p = g_utf8_validate (p, -1, NULL) ? g_utf8_next_char (p) : p + 1;
        }
    }

  return g_string_free (role, FALSE);
}

/**
 * ck_central_add_kiosk_from_file:
 * @self: a #CkCentral, connected as for ck_central_add_kiosk()
 * @kiosk_id: the kiosk's [kiosk] id
 * @branch: (nullable): its branch
 * @role: the login role it will use
 * @password_file: (nullable): a file (0600) whose first line is the role's
 *   password, the one the kiosk's [central] password_file holds; %NULL
 *   for a role that logs in with a client certificate
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * ck_central_add_kiosk() with the password read from a file and wiped
 * after use: it never appears on a command line.
 */
gboolean
ck_central_add_kiosk_from_file (CkCentral   *self,
                                const char  *kiosk_id,
                                const char  *branch,
                                const char  *role,
                                const char  *password_file,
                                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *password = NULL;
  gboolean ok;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  if (password_file && !(password = _ck_seal_read_secret (password_file, &local_error)))
    {
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("The kiosk's password file: %s"), local_error->message);
      return FALSE;
    }
  ok = ck_central_add_kiosk (self, kiosk_id, branch, role, password, error);
  _ck_seal_free_secret (password);

  return ok;
}

/**
 * ck_central_purge_before:
 * @self: a #CkCentral, connected as a member of ck_purger
 * @before: YYYY-MM-DD: consents signed before this day go
 * @operator_name: who is purging, recorded with the purge
 * @n_purged: (out) (optional): how many consents were purged
 * @error: a #GError in the %CK_CENTRAL_ERROR domain
 *
 * Retention in the archive (ck.purge_before ()): removes the records and
 * PDFs of every kiosk's consents signed before @before and the bodies of
 * their attempts, keeps every link so that the chains still verify, and
 * records the purge in ck.central_purges with the links it emptied. The
 * kiosks' own stores are not touched.
 */
gboolean
ck_central_purge_before (CkCentral   *self,
                         const char  *before,
                         const char  *operator_name,
                         gint64      *n_purged,
                         GError     **error)
{
  const char *values[] = { before, operator_name };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (CK_IS_CENTRAL (self), FALSE);

  if (before == NULL || !ck_date_parse (before, NULL))
    {
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("A purge needs a date, YYYY-MM-DD, not “%s”."), before ? before : "");
      return FALSE;
    }
  if (operator_name == NULL || operator_name[0] == '\0' || strlen (operator_name) > 256)
    {
      g_set_error_literal (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                           _("A purge of the central archive is recorded with who did it: name the "
                             "operator."));
      return FALSE;
    }
  if (!(result = _ck_central_exec (self, "SELECT ck.purge_before ($1, $2)", 2, values, error)))
    return FALSE;
  if (n_purged)
    *n_purged = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  return TRUE;
}
