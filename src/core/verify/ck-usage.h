/* ck-usage.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-store.h"

G_BEGIN_DECLS

/* Below this share of the package left, usage is low (the vendor warns
 * at 20 % too). */
#define CK_USAGE_LOW_PERCENT 20

/* The consent id `consentctl usage` writes for a call of a purged
 * consent: the ledger a purge keeps holds no consent id. */
#define CK_USAGE_PURGED_CONSENT "(purged)"

/**
 * CkUsage:
 * @billable: attempts the service answered (counted as billed) since @since
 * @maybe_billed: interrupted attempts: the service may have counted them
 * @package_size: calls bought; 0 when not configured
 * @remaining: @package_size - @billable - @maybe_billed (may go below 0);
 *   -1 without a package size
 * @low: a package is configured and @remaining is below
 *   %CK_USAGE_LOW_PERCENT % of it
 * @since: (nullable): YYYY-MM-DD counted from ([verification]
 *   package_start), or %NULL for all time
 * @central: a central archive is configured ([central] url)
 * @organisation: @billable and @maybe_billed are the organisation's: the
 *   central archive's count of every kiosk's calls at @counted_at, plus
 *   this kiosk's calls the archive had not acknowledged then; %FALSE: this
 *   kiosk's calls only
 * @kiosks: with @organisation, how many kiosks the archive knows
 * @counted_at: (nullable): with @organisation, when the archive counted
 *   (ISO 8601, UTC)
 *
 * The paid verification package's usage, counted from the attempts table
 * and the calls of purged consents that purges keep (docs/VERIFICATION.md
 * says which attempts count), or, when the central archive has counted
 * the organisation's calls, from that count: the package is bought per
 * AppCode and shared by every kiosk.
 */
typedef struct
{
  guint64 billable;
  guint64 maybe_billed;
  guint64 package_size;
  gint64 remaining;
  gboolean low;
  char *since;
  gboolean central;
  gboolean organisation;
  guint kiosks;
  char *counted_at;
} CkUsage;

CkUsage    *ck_usage_compute           (CkStore                *store,
                                        CkConfig               *config,
                                        GError                **error);
CkUsage    *ck_usage_new_for_counts    (CkConfig               *config,
                                        guint64                 billable,
                                        guint64                 maybe_billed,
                                        guint                   kiosks);
void        ck_usage_free              (CkUsage                *usage);
char       *ck_usage_dup_summary       (const CkUsage          *usage);
char       *ck_usage_dup_scope         (const CkUsage          *usage,
                                        GDateTime              *now);

GPtrArray  *ck_usage_list_calls        (CkStore                *store,
                                        const char             *since,
                                        GError                **error);
const char *ck_usage_billed_to_string  (const CkVerifyAttempt  *attempt);
const char *ck_usage_consent_id_to_string (const CkVerifyAttempt *attempt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkUsage, ck_usage_free)

G_END_DECLS
