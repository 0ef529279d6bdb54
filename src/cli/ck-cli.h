/* ck-cli.h: the commands of consentctl
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ck-config.h"

G_BEGIN_DECLS

/* Exit codes every command keeps to. */
typedef enum
{
  CK_CLI_EXIT_OK      = 0,
  CK_CLI_EXIT_INVALID = 1, /* the input (or the store) failed a check */
  CK_CLI_EXIT_USAGE   = 2, /* the command line itself was wrong */
} CkCliExit;

typedef int (*CkCliCommandFunc) (int    argc,
                                 char **argv);

int   ck_cli_record       (int           argc,
                           char        **argv);
int   ck_cli_list         (int           argc,
                           char        **argv);
int   ck_cli_show         (int           argc,
                           char        **argv);
int   ck_cli_export       (int           argc,
                           char        **argv);
int   ck_cli_pdf          (int           argc,
                           char        **argv);
int   ck_cli_purge        (int           argc,
                           char        **argv);
int   ck_cli_check        (int           argc,
                           char        **argv);
int   ck_cli_render       (int           argc,
                           char        **argv);
int   ck_cli_check_id     (int           argc,
                           char        **argv);
int   ck_cli_check_name   (int           argc,
                           char        **argv);
int   ck_cli_pin_hash     (int           argc,
                           char        **argv);
int   ck_cli_config       (int           argc,
                           char        **argv);

const char *ck_cli_get_config_path (void);
CkConfig   *ck_cli_load_config     (GError **error);
CkStore    *ck_cli_open_store      (CkConfig          *config,
                                    CkStoreOpenFlags   flags,
                                    GError           **error);

char *ck_cli_arg_to_utf8  (const char   *arg);
int   ck_cli_parse_options (GOptionContext *context,
                            int            *argc,
                            char         ***argv,
                            int             n_positional,
                            const char     *positional_name);

void  ck_cli_print_fields  (const char     *first_label,
                           ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
