/* ck-central-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of the central archive (central/ck-central*.c). */

#pragma once

#include <libpq-fe.h>

#include "ck-central.h"

G_BEGIN_DECLS

struct _CkCentral
{
  GObject parent_instance;

  PGconn *conn;
  char *role;          /* the role logged in as */
  char *display_url;   /* the URL without anything secret, for messages */
  gboolean prepared;   /* the sync's statements are prepared */
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Test builds (-DCK_FAULT_INJECTION) die here when CK_FAULT_POINT names
 * the step, as the store's do: the sync's crash test kills batches at
 * every step. CK_FAULT_COUNT=N kills at the Nth time instead of the first;
 * CK_FAULT_ACTION=stop stops the process there (SIGSTOP) instead, once. */
#ifdef CK_FAULT_INJECTION
void _ck_central_fault_point (const char *name);
#else
# define _ck_central_fault_point(name) G_STMT_START { } G_STMT_END
#endif

gboolean   _ck_central_result_error   (CkCentral          *self,
                                       PGresult           *result,
                                       GError            **error);
PGresult  *_ck_central_exec           (CkCentral          *self,
                                       const char         *sql,
                                       int                 n_params,
                                       const char * const *values,
                                       GError            **error);
gboolean   _ck_central_command        (CkCentral          *self,
                                       const char         *sql,
                                       GError            **error);
void       _ck_central_rollback       (CkCentral          *self);

G_END_DECLS
