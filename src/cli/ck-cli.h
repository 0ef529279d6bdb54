/* ck-cli.h: the commands of consentctl
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ck.h"
#include "ck-export-full.h"
#include "ck-verify-queue.h"

G_BEGIN_DECLS

/* Exit codes every command keeps to; 3 to 10 only come from verifying
 * (record, verify), one per outcome class of the verification; 11 only
 * from verify-pdf. */
typedef enum
{
  CK_CLI_EXIT_OK             = 0,  /* success; verified (by the demo provider too) */
  CK_CLI_EXIT_INVALID        = 1,  /* the input (or the store) failed a check; a
                                    * verification refused before any request */
  CK_CLI_EXIT_USAGE          = 2,  /* the command line itself was wrong */
  CK_CLI_EXIT_NOT_MATCHED    = 3,  /* the name does not match the ID number */
  CK_CLI_EXIT_UNDETERMINED   = 4,  /* the service cannot tell; staff decides */
  CK_CLI_EXIT_INPUT_REJECTED = 5,  /* the service refused the name or number */
  CK_CLI_EXIT_CONFIG_FAULT   = 6,  /* HTTP 400, 401, 403, or the settings */
  CK_CLI_EXIT_PROVIDER_FAULT = 7,  /* the service failed; retried later */
  CK_CLI_EXIT_NETWORK_FAULT  = 8,  /* unreachable, no answer in time, or an
                                    * interrupted attempt; retried later */
  CK_CLI_EXIT_TLS_FAULT      = 9,  /* the service's certificate did not verify */
  CK_CLI_EXIT_DISABLED       = 10, /* the provider is none */
  CK_CLI_EXIT_NOT_SIGNED     = 11, /* verify-pdf: the PDF carries no signature */
} CkCliExit;

typedef struct _CkCliOutput CkCliOutput;

CkCliOutput   *ck_cli_output_open        (const char   *path,
                                          GError      **error);
GOutputStream *ck_cli_output_get_stream  (CkCliOutput  *self);
gboolean       ck_cli_output_commit      (CkCliOutput  *self,
                                          GError      **error);
void           ck_cli_output_free        (CkCliOutput  *self);
gboolean       ck_cli_write_private_file (const char   *path,
                                          const char   *data,
                                          gsize         len,
                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkCliOutput, ck_cli_output_free)

typedef struct _CkCliProgress CkCliProgress;

CkCliProgress *ck_cli_progress_new    (const char    *what,
                                       gboolean       quiet);
void           ck_cli_progress_update (guint64        done,
                                       guint64        total,
                                       gpointer       user_data);
void           ck_cli_progress_free   (CkCliProgress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkCliProgress, ck_cli_progress_free)

/* How many consents `list` shows unless --limit says otherwise. */
#define CK_CLI_LIST_LIMIT 100

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
int   ck_cli_verify       (int           argc,
                           char        **argv);
int   ck_cli_withdraw     (int           argc,
                           char        **argv);
int   ck_cli_usage        (int           argc,
                           char        **argv);
int   ck_cli_backup       (int           argc,
                           char        **argv);
int   ck_cli_restore      (int           argc,
                           char        **argv);
int   ck_cli_seal         (int           argc,
                          char        **argv);
int   ck_cli_verify_pdf   (int           argc,
                           char        **argv);
int   ck_cli_sync         (int           argc,
                           char        **argv);
int   ck_cli_central      (int           argc,
                           char        **argv);
int   ck_cli_card_read    (int           argc,
                           char        **argv);

const char *ck_cli_get_config_path (void);
CkConfig   *ck_cli_load_config     (GError **error);
CkStore    *ck_cli_open_store      (CkConfig          *config,
                                    CkStoreOpenFlags   flags,
                                    GError           **error);
const char *ck_cli_get_data_dir    (CkConfig          *config);
const char *ck_cli_get_central_url (void);
CkCentral  *ck_cli_connect_central (CkConfig          *config,
                                    const char        *url,
                                    const char        *ca_file,
                                    const char        *password_file,
                                    GError           **error);

int   ck_cli_fail          (const GError   *error);
char *ck_cli_arg_to_utf8  (const char   *arg);
int   ck_cli_parse_options (GOptionContext *context,
                            int            *argc,
                            char         ***argv,
                            int             n_positional,
                            const char     *positional_name);
int   ck_cli_check_positional (int          argc,
                               char       **argv,
                               int          n_positional,
                               const char  *positional_name);

gboolean ck_cli_check_dates        (const char   *since,
                                   const char   *until);
gboolean ck_cli_check_state        (const char   *state);
gboolean ck_cli_write_private_file (const char   *path,
                                   const char   *data,
                                   gsize         len,
                                   GError      **error);

GPtrArray *ck_cli_fields_new   (void);
void  ck_cli_fields_add    (GPtrArray      *fields,
                            const char     *label,
                            const char     *value);
void  ck_cli_fields_print  (GPtrArray      *fields);
void  ck_cli_print_fields  (const char     *first_label,
                           ...) G_GNUC_NULL_TERMINATED;

/* What list, show, usage and check print, from the store or, with
 * --central URL, from the central archive (ck-cli-records.c,
 * ck-cli-staff.c); the archive adds where each consent comes from. */
typedef struct
{
  gboolean json;
  guint max_attempts;
  guint limit;           /* 0: all */
  guint n;
  gboolean more;
  JsonBuilder *builder;
} CkCliList;

void     ck_cli_list_begin          (CkCliList             *list,
                                     gboolean               json,
                                     guint                  limit,
                                     guint                  max_attempts);
void     ck_cli_list_add            (CkCliList             *list,
                                     const CkConsentRecord *record,
                                     const CkConsentStatus *status,
                                     const CkCentralOrigin *origin);
void     ck_cli_list_finish         (CkCliList             *list);
void     ck_cli_print_consent       (const CkConsentRecord *record,
                                     const CkVerification  *verification,
                                     const CkStoreEvent    *withdrawal,
                                     GPtrArray             *events,
                                     gboolean               unmask,
                                     gboolean               json,
                                     const CkCentralOrigin *origin);
gboolean ck_cli_write_calls         (GPtrArray             *calls,
                                     gboolean               central,
                                     CkExportFormat         format,
                                     const char            *output,
                                     GError               **error);
void     ck_cli_print_usage_summary (const CkUsage         *usage);
gboolean ck_cli_check_filters       (const char            *command,
                                     const char            *kiosk,
                                     const char            *branch);
int      ck_cli_print_central_check (CkCentral             *central,
                                     const char            *kiosk,
                                     const char            *branch);

/* With --central URL (ck-cli-central-records.c). */
int   ck_cli_central_list   (CkConfig             *config,
                             const CkCentralQuery *query,
                             gboolean              json);
int   ck_cli_central_show   (CkConfig             *config,
                             const char           *uuid,
                             const char           *kiosk,
                             const char           *branch,
                             gboolean              json,
                             gboolean              unmask,
                             const char           *operator_name);
int   ck_cli_central_export (CkConfig             *config,
                             const CkCentralQuery *query,
                             CkExportFormat        format,
                             gboolean              unmask,
                             const char           *operator_name,
                             const char           *output,
                             gboolean              quiet);
int   ck_cli_central_pdf    (CkConfig             *config,
                             const char           *uuid,
                             const char           *kiosk,
                             const char           *branch,
                             const char           *output);
int   ck_cli_central_usage  (CkConfig             *config,
                             const char           *since,
                             const char           *kiosk,
                             const char           *branch,
                             CkExportFormat        format,
                             const char           *output);

/* Verification, shared by record, verify, show and list (ck-cli-verify.c) */
const char *ck_cli_verify_exit_help        (void);
int         ck_cli_verification_exit       (const CkVerification *verification);
int         ck_cli_verify_fail             (const GError         *error);
void        ck_cli_fields_add_verification (GPtrArray            *fields,
                                            const CkVerification *verification,
                                            gboolean              attempts);
void        ck_cli_print_verification      (const CkVerification *verification,
                                            gboolean              with_consent);
void        ck_cli_json_add_verification   (JsonBuilder          *builder,
                                            const CkVerification *verification,
                                            gboolean              attempts);

G_END_DECLS
