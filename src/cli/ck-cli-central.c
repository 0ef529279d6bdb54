/* ck-cli-central.c: consentctl central init|migrate|add-kiosk|check|purge
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* IT's commands for the central archive (docs/CENTRAL.md), each given the
 * archive with --central-url: a role that owns the database (init,
 * migrate, add-kiosk), one of ck_staff (check), one of ck_purger (purge).
 * Passwords come from 0600 files, never from the command line. */

#define G_LOG_DOMAIN "consentctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ck.h"
#include "ck-cli.h"

/* The options every subcommand takes. */
typedef struct
{
  char *url;
  char *password_file;
  char *ca_file;
} Connection;

static void
connection_clear (Connection *c)
{
  g_clear_pointer (&c->url, g_free);
  g_clear_pointer (&c->password_file, g_free);
  g_clear_pointer (&c->ca_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Connection, connection_clear)

/* A subcommand's context: its own options, then the connection's. */
static GOptionContext *
new_context (const char         *parameter,
             const GOptionEntry *entries,
             Connection         *connection)
{
  const GOptionEntry connection_entries[] = {
    { "central-url", 0, 0, G_OPTION_ARG_STRING, &connection->url,
      N_("The central archive: a libpq URI, postgresql://ROLE@HOST[:PORT]/DB, without a password "
         "(required)"), N_("URL") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &connection->password_file,
      N_("A file (mode 0600) whose first line is the role's password"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &connection->ca_file,
      N_("The CA that signed the server's certificate (required for a TCP host)"), N_("FILE") },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, connection_entries, GETTEXT_PACKAGE);

  return context;
}

static CkCentral *
connect_archive (const char  *command,
                 Connection  *connection,
                 GError     **error)
{
  if (connection->url == NULL)
    {
      g_set_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG,
                   _("consentctl central %s: --central-url URL is required."), command);
      return NULL;
    }

  return ck_cli_connect_central (NULL, connection->url, connection->ca_file, connection->password_file, error);
}

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("consentctl central %s: %s\n", command, message);
  g_printerr (_("Try “consentctl central %s --help”.\n"), command);
  return CK_CLI_EXIT_USAGE;
}

/* --- init, migrate ----------------------------------------------------- */

static int
central_init (int    argc,
              char **argv)
{
  g_auto(Connection) connection = { 0 };
  g_autoptr(GOptionContext) context = new_context (_("— create the central archive's roles and schema"),
                                                   NULL, &connection);
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  int status;

  g_option_context_set_summary (context,
    _("Creates the group roles ck_owner, ck_kiosk, ck_staff and ck_purger (when\n"
      "missing) and the archive's schema “ck”, at the version this consentctl knows,\n"
      "in one transaction. Connect as the database's owner or a superuser. Refuses a\n"
      "database that already holds an archive: use “consentctl central migrate”."));
  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (connection.url == NULL)
    return usage_error ("init", _("--central-url URL is required."));

  if (!(central = connect_archive ("init", &connection, &error)) ||
      !ck_central_init_archive (central, 0, &error))
    return ck_cli_fail (error);

  display = ck_central_dup_display_url (connection.url);
  g_print (_("The central archive at %s is set up: schema version %d.\n"), display, CK_CENTRAL_SCHEMA_VERSION);
  return CK_CLI_EXIT_OK;
}

static int
central_migrate (int    argc,
                 char **argv)
{
  g_auto(Connection) connection = { 0 };
  g_autoptr(GOptionContext) context = new_context (_("— bring the central archive's schema forward"),
                                                   NULL, &connection);
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  int status, version;

  g_option_context_set_summary (context,
    _("Applies, in one transaction, the schema versions the archive lacks, up to the one\n"
      "this consentctl knows. An archive already there is left as it is; one of a newer\n"
      "version is refused (update consentctl)."));
  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (connection.url == NULL)
    return usage_error ("migrate", _("--central-url URL is required."));

  if (!(central = connect_archive ("migrate", &connection, &error)) ||
      (version = ck_central_get_schema_version (central, &error)) < 0)
    return ck_cli_fail (error);
  if (version == CK_CENTRAL_SCHEMA_VERSION)
    {
      g_print (_("The central archive is already at version %d: nothing to do.\n"), version);
      return CK_CLI_EXIT_OK;
    }
  if (!ck_central_migrate (central, &error))
    return ck_cli_fail (error);

  g_print (_("The central archive was migrated from version %d to version %d.\n"), version,
           CK_CENTRAL_SCHEMA_VERSION);
  return CK_CLI_EXIT_OK;
}

/* --- add-kiosk --------------------------------------------------------- */

static int
central_add_kiosk (int    argc,
                   char **argv)
{
  g_auto(Connection) connection = { 0 };
  g_autofree char *branch_arg = NULL;
  g_autofree char *role_arg = NULL;
  g_autofree char *kiosk_password_file = NULL;
  const GOptionEntry entries[] = {
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch_arg, N_("The kiosk's branch (required)"), N_("BRANCH") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_arg,
      N_("The role it logs in as (default: ck_kiosk_ and its id, lowercase, other characters as _)"),
      N_("ROLE") },
    { "kiosk-password-file", 0, 0, G_OPTION_ARG_FILENAME, &kiosk_password_file,
      N_("A file (0600) holding the role's password, the one the kiosk's [central] password_file holds; "
         "without it, the role logs in with a client certificate"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (_("KIOSK_ID — register a kiosk and make its login role"),
                                                   entries, &connection);
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kiosk_id = NULL;
  g_autofree char *branch = NULL;
  g_autofree char *role = NULL;
  int status;

  g_option_context_set_summary (context,
    _("Registers a kiosk with the archive: makes its login role (or takes an existing\n"
      "one), member of ck_kiosk, which may insert only that kiosk's rows and never change\n"
      "or delete any, and records its branch for --branch."));
  if ((status = ck_cli_parse_options (context, &argc, &argv, 1, _("a kiosk id"))) != CK_CLI_EXIT_OK)
    return status;
  if (connection.url == NULL)
    return usage_error ("add-kiosk", _("--central-url URL is required."));
  if (branch_arg == NULL)
    return usage_error ("add-kiosk", _("--branch NAME is required."));

  kiosk_id = ck_cli_arg_to_utf8 (argv[1]);
  branch = ck_cli_arg_to_utf8 (branch_arg);
  role = role_arg ? g_strdup (role_arg) : ck_central_default_kiosk_role (kiosk_id);

  if (!(central = connect_archive ("add-kiosk", &connection, &error)) ||
      !ck_central_add_kiosk_from_file (central, kiosk_id, branch, role, kiosk_password_file, &error))
    return ck_cli_fail (error);

  g_print (_("Kiosk %s of the branch %s is registered: it logs in as the role %s.\n"), kiosk_id, branch, role);
  return CK_CLI_EXIT_OK;
}

/* --- check ------------------------------------------------------------- */

/**
 * ck_cli_print_central_check:
 * @central: a connection to the archive, as a role of ck_staff
 * @kiosk: (nullable): only this kiosk
 * @branch: (nullable): only this branch's kiosks
 *
 * Runs ck_central_check_full() and prints as `consentctl check` does: one
 * problem a line on standard output, how many on standard error.
 *
 * Returns: the exit code: 0 intact, 1 a problem or the archive unreadable
 */
int
ck_cli_print_central_check (CkCentral  *central,
                            const char *kiosk,
                            const char *branch)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *links = NULL;
  g_autofree char *consents = NULL;
  g_autofree char *pdfs = NULL;
  g_autofree char *attempts = NULL;
  CkCentralCheckCounts counts = { 0 };

  if (!ck_central_check_full (central, kiosk, branch, &counts, &problems, &error))
    return ck_cli_fail (error);

  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)problems->pdata[i]);
  if (problems->len > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u problem found.\n", "%u problems found.\n", problems->len),
                  problems->len);
      return CK_CLI_EXIT_INVALID;
    }

  links = g_strdup_printf ("%" G_GINT64_FORMAT, counts.links);
  consents = g_strdup_printf ("%" G_GINT64_FORMAT, counts.consents);
  pdfs = g_strdup_printf ("%" G_GINT64_FORMAT, counts.pdfs);
  attempts = g_strdup_printf ("%" G_GINT64_FORMAT, counts.attempts);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "%u kiosk checked: %s links, %s consents, %s PDFs, %s attempts; all intact.\n",
                        "%u kiosks checked: %s links, %s consents, %s PDFs, %s attempts; all intact.\n",
                        counts.kiosks),
           counts.kiosks, links, consents, pdfs, attempts);
  return CK_CLI_EXIT_OK;
}

static int
central_check (int    argc,
               char **argv)
{
  g_auto(Connection) connection = { 0 };
  g_autofree char *kiosk = NULL;
  g_autofree char *branch = NULL;
  const GOptionEntry entries[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, N_("Only this kiosk's chain"), N_("KIOSK") },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &branch, N_("Only this branch's kiosks"), N_("BRANCH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (_("— re-prove every kiosk's chain and every PDF"),
                                                   entries, &connection);
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kiosk_utf8 = NULL;
  g_autofree char *branch_utf8 = NULL;
  int status;

  g_option_context_set_summary (context,
    _("Recomputes, in one snapshot of the archive: each kiosk's chain from link 1 without\n"
      "a gap; each consent's and event's hash from its row, as the kiosk computed it;\n"
      "each PDF's SHA-256 against its record or its revision's event; each attempt's\n"
      "against its verification event; that each link the kiosk purged before syncing\n"
      "is named by a later purge event, and each emptied consent by a central purge.\n"
      "Every conflict a kiosk reported is a problem. Reports each problem, naming the\n"
      "kiosk and the link, and exits 1 if there is any. Changes nothing."));
  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (connection.url == NULL)
    return usage_error ("check", _("--central-url URL is required."));

  kiosk_utf8 = kiosk ? ck_cli_arg_to_utf8 (kiosk) : NULL;
  branch_utf8 = branch ? ck_cli_arg_to_utf8 (branch) : NULL;
  if (!(central = connect_archive ("check", &connection, &error)))
    return ck_cli_fail (error);

  return ck_cli_print_central_check (central, kiosk_utf8, branch_utf8);
}

/* --- purge ------------------------------------------------------------- */

static int
central_purge (int    argc,
               char **argv)
{
  g_auto(Connection) connection = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *operator_arg = NULL;
  const GOptionEntry entries[] = {
    { "before", 0, 0, G_OPTION_ARG_STRING, &before,
      N_("Purge consents signed before this date (required)"), N_("YYYY-MM-DD") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_arg, N_("Who is purging (required)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (_("— remove old consents from the central archive (retention)"),
                                                   entries, &connection);
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_name = NULL;
  gint64 n = 0;
  int status;

  g_option_context_set_summary (context,
    _("Removes, for every kiosk, the records and PDFs of the consents signed before the\n"
      "date and the bodies of their verification attempts. Every link stays, so the\n"
      "chains still verify, and the purge is recorded (ck.central_purges) with who did it\n"
      "and the links it emptied. Connect as a member of ck_purger. The kiosks' own stores\n"
      "are not touched."));
  if ((status = ck_cli_parse_options (context, &argc, &argv, 0, "")) != CK_CLI_EXIT_OK)
    return status;
  if (connection.url == NULL)
    return usage_error ("purge", _("--central-url URL is required."));
  if (before == NULL || !ck_date_parse (before, NULL))
    return usage_error ("purge", _("--before YYYY-MM-DD is required."));
  operator_name = operator_arg ? g_strstrip (ck_cli_arg_to_utf8 (operator_arg)) : NULL;
  if (operator_name == NULL || operator_name[0] == '\0')
    return usage_error ("purge", _("--operator NAME is required."));

  if (!(central = connect_archive ("purge", &connection, &error)) ||
      !ck_central_purge_before (central, before, operator_name, &n, &error))
    return ck_cli_fail (error);

  g_print (g_dngettext (GETTEXT_PACKAGE, "Purged %lld consent signed before %s from the central archive.\n",
                        "Purged %lld consents signed before %s from the central archive.\n",
                        (gulong)MIN (n, G_MAXLONG)),
           (long long)n, before);
  return CK_CLI_EXIT_OK;
}

/* --- the command --------------------------------------------------------- */

static const struct {
  const char *name;
  CkCliCommandFunc func;
  const char *summary;
} subcommands[] = {
  { "init", central_init, N_("Create the archive's roles and schema") },
  { "migrate", central_migrate, N_("Bring the archive's schema to this version") },
  { "add-kiosk", central_add_kiosk, N_("Register a kiosk and make its login role") },
  { "check", central_check, N_("Re-prove every kiosk's chain and every PDF") },
  { "purge", central_purge, N_("Remove old consents from the archive (retention)") },
};

static void
print_subcommands (gboolean to_stderr)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n  consentctl central %s\n\n%s\n", _("Usage:"),
                          _("COMMAND --central-url URL [--password-file FILE] [--ca-file FILE] [OPTION…]"),
                          _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_string_append_printf (text, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
  g_string_append_printf (text, "\n%s\n", _("“consentctl central COMMAND --help” describes a command."));

  if (to_stderr)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

int
ck_cli_central (int    argc,
                char **argv)
{
  if (argc < 2)
    {
      print_subcommands (TRUE);
      return CK_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_subcommands (FALSE);
      return CK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      {
        g_autofree char *name = g_strdup_printf ("central %s", subcommands[i].name);
        g_autofree char *prgname = g_strdup_printf ("consentctl %s", name);
        g_autofree char **args = g_new0 (char *, argc);

        /* "consentctl central init: …" in messages and --help. */
        g_set_prgname (prgname);
        args[0] = name;
        for (int a = 2; a < argc; a++)
          args[a - 1] = argv[a];
        return subcommands[i].func (argc - 1, args);
      }

  g_printerr (_("consentctl central: unknown command “%s”.\n"), argv[1]);
  print_subcommands (TRUE);
  return CK_CLI_EXIT_USAGE;
}
