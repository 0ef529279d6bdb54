/* ck-usage.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How much of the paid verification package is used: the billable
 * attempts since [verification] package_start, those of purged consents
 * included (purges keep them in purged_calls), against package_size. The
 * rule for what is billable lives with its SQL in ck-store.c
 * (ck_store_count_billable ()) and is explained in docs/VERIFICATION.md. */

#define G_LOG_DOMAIN "ck-usage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-store-private.h"
#include "ck-usage.h"

/**
 * ck_usage_compute:
 * @store: the consent store
 * @config: its configuration: package_size and package_start
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (nullable): the usage, for ck_usage_free()
 */
CkUsage *
ck_usage_compute (CkStore   *store,
                  CkConfig  *config,
                  GError   **error)
{
  g_autoptr(CkUsage) usage = g_new0 (CkUsage, 1);

  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);

  usage->since = g_strdup (ck_config_get_package_start (config));
  usage->package_size = ck_config_get_package_size (config);
  if (!ck_store_count_billable (store, usage->since, &usage->billable, &usage->maybe_billed, error))
    return NULL;

  if (usage->package_size == 0)
    usage->remaining = -1;
  else
    {
      usage->remaining = (gint64)usage->package_size - (gint64)usage->billable - (gint64)usage->maybe_billed;
      /* remaining / size < 20 %, in whole numbers */
      usage->low = usage->remaining * 100 < (gint64)usage->package_size * CK_USAGE_LOW_PERCENT;
    }

  return g_steal_pointer (&usage);
}

void
ck_usage_free (CkUsage *usage)
{
  if (usage == NULL)
    return;

  g_free (usage->since);
  g_free (usage);
}

/**
 * ck_usage_dup_summary:
 *
 * Returns: (transfer full): one translated line for staff, e.g. "1204 of
 *   5000 calls used; 3796 left."
 */
char *
ck_usage_dup_summary (const CkUsage *usage)
{
  g_autofree char *used = NULL;
  g_autofree char *size = NULL;
  g_autofree char *left = NULL;
  g_autofree char *maybe = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  guint64 n_used;

  g_return_val_if_fail (usage != NULL, NULL);

  n_used = usage->billable + usage->maybe_billed;
  used = g_strdup_printf ("%" G_GUINT64_FORMAT, n_used);
  if (usage->package_size == 0)
    g_string_append_printf (summary,
                            g_dngettext (GETTEXT_PACKAGE, "%s call used; no package size is configured.",
                                         "%s calls used; no package size is configured.",
                                         (gulong)MIN (n_used, G_MAXULONG)),
                            used);
  else
    {
      size = g_strdup_printf ("%" G_GUINT64_FORMAT, usage->package_size);
      left = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (usage->remaining, 0));
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE, "%s of %s call used; %s left.",
                                           "%s of %s calls used; %s left.",
                                           (gulong)MIN (usage->package_size, G_MAXULONG)),
                              used, size, left);
    }

  if (usage->maybe_billed > 0)
    {
      maybe = g_strdup_printf ("%" G_GUINT64_FORMAT, usage->maybe_billed);
      g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "(%s of them was interrupted and may not have been counted.)",
                                           "(%s of them were interrupted and may not have been counted.)",
                                           (gulong)MIN (usage->maybe_billed, G_MAXULONG)),
                              maybe);
    }

  if (usage->since)
    {
      g_string_append_c (summary, ' ');
      g_string_append_printf (summary, _("Counted since %s."), usage->since);
    }

  return g_string_free (g_steal_pointer (&summary), FALSE);
}

/**
 * ck_usage_list_calls:
 * @store: the consent store
 * @since: (nullable): YYYY-MM-DD, UTC: calls started on or after this day
 * @error: a #GError in the %CK_STORE_ERROR domain
 *
 * Returns: (transfer full) (element-type CkVerifyAttempt): the billable and
 *   maybe billed attempts, oldest first, those of purged consents
 *   included (with a %NULL consent_uuid and nothing but the time,
 *   provider, outcome, HTTP status, request id and demo flag); they hold
 *   no full ID number
 */
GPtrArray *
ck_usage_list_calls (CkStore     *store,
                     const char  *since,
                     GError     **error)
{
  g_return_val_if_fail (CK_IS_STORE (store), NULL);

  return ck_store_list_billable (store, since, error);
}

/**
 * ck_usage_billed_to_string:
 * @attempt: an attempt from ck_usage_list_calls()
 *
 * Returns: "yes" for a call the service answered, "maybe" for an
 *   interrupted one
 */
const char *
ck_usage_billed_to_string (const CkVerifyAttempt *attempt)
{
  g_return_val_if_fail (attempt != NULL, NULL);

  return g_strcmp0 (attempt->outcome, "interrupted") == 0 ? "maybe" : "yes";
}

/**
 * ck_usage_consent_id_to_string:
 * @attempt: an attempt from ck_usage_list_calls()
 *
 * Returns: the consent's id, or %CK_USAGE_PURGED_CONSENT for a call of a
 *   consent that was purged since
 */
const char *
ck_usage_consent_id_to_string (const CkVerifyAttempt *attempt)
{
  g_return_val_if_fail (attempt != NULL, NULL);

  return attempt->consent_uuid ? attempt->consent_uuid : CK_USAGE_PURGED_CONSENT;
}
