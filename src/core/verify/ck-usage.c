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
 * (ck_store_count_billable ()) and is explained in docs/VERIFICATION.md.
 *
 * The package is bought per AppCode and shared by every kiosk of the
 * organisation: with a central archive ([central] url) that has counted
 * every kiosk's calls (the sync reads ck.org_usage () after each run and
 * the store keeps it, ck_store_note_org_usage ()), the figure is that
 * count plus this kiosk's calls the archive had not acknowledged yet
 * (ck_store_get_sync_status () counts them), and the 20 % warning comes
 * from it. Otherwise it is this kiosk's count, and says so. */

#define G_LOG_DOMAIN "ck-usage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-store-private.h"
#include "ck-usage.h"

/* What is left of the package, and whether it is low. */
static void
set_remaining (CkUsage *usage)
{
  if (usage->package_size == 0)
    usage->remaining = -1;
  else
    {
      usage->remaining = (gint64)usage->package_size - (gint64)usage->billable - (gint64)usage->maybe_billed;
      /* remaining / size < 20 %, in whole numbers */
      usage->low = usage->remaining * 100 < (gint64)usage->package_size * CK_USAGE_LOW_PERCENT;
    }
}

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
  /* A count left from a [central] url since removed is not used: the
   * archive no longer hears of this kiosk's calls. A store before schema 9
   * never synced (and a read-only open does not migrate it). */
  usage->central = ck_config_get_central_configured (config);
  if (usage->central && ck_store_get_schema_version (store) >= 9)
    {
      g_auto(CkSyncStatus) status = { 0 };

      if (!ck_store_get_sync_status (store, usage->since, &status, error))
        return NULL;
      if (status.has_org_usage)
        {
          usage->organisation = TRUE;
          usage->billable = status.org_billed + status.unsent_billed;
          usage->maybe_billed = status.org_maybe_billed + status.unsent_maybe_billed;
          usage->kiosks = status.org_kiosks;
          usage->counted_at = g_strdup (status.org_at);
        }
    }
  if (!usage->organisation &&
      !ck_store_count_billable (store, usage->since, &usage->billable, &usage->maybe_billed, error))
    return NULL;
  set_remaining (usage);

  return g_steal_pointer (&usage);
}

/**
 * ck_usage_new_for_counts:
 * @config: the configuration: package_size and package_start
 * @billable: the organisation's calls billed since package_start
 * @maybe_billed: its calls that may have been billed since then
 * @kiosks: how many kiosks the count covers
 *
 * The organisation's usage as the central archive counts it now
 * (ck.org_usage (), read by `consentctl --central URL usage`), without a
 * store.
 *
 * Returns: (transfer full): the usage, for ck_usage_free()
 */
CkUsage *
ck_usage_new_for_counts (CkConfig *config,
                         guint64   billable,
                         guint64   maybe_billed,
                         guint     kiosks)
{
  CkUsage *usage;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);

  usage = g_new0 (CkUsage, 1);
  usage->since = g_strdup (ck_config_get_package_start (config));
  usage->package_size = ck_config_get_package_size (config);
  usage->billable = billable;
  usage->maybe_billed = maybe_billed;
  usage->central = TRUE;
  usage->organisation = TRUE;
  usage->kiosks = kiosks;
  usage->counted_at = g_date_time_format_iso8601 (now);
  set_remaining (usage);

  return usage;
}

void
ck_usage_free (CkUsage *usage)
{
  if (usage == NULL)
    return;

  g_free (usage->since);
  g_free (usage->counted_at);
  g_free (usage);
}

/**
 * ck_usage_dup_scope:
 * @usage: the usage
 * @now: (nullable): the time to say the count's age against; %NULL for now
 *
 * Returns: (transfer full): which figure @usage is, translated, e.g.
 *   "Organisation-wide: 3 kiosks, counted 12 minutes ago." or "This
 *   kiosk only."
 */
char *
ck_usage_dup_scope (const CkUsage *usage,
                    GDateTime     *now)
{
  g_autoptr(GDateTime) counted = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *kiosks = NULL;
  GTimeSpan age;

  g_return_val_if_fail (usage != NULL, NULL);

  if (!usage->organisation)
    return g_strdup (usage->central
                     ? _("This kiosk only: the central archive has not counted the organisation's "
                         "calls yet.")
                     : _("This kiosk only."));

  /* Translators: how many kiosks the central archive counted the calls of */
  kiosks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u kiosk", "%u kiosks", usage->kiosks),
                            usage->kiosks);
  at = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  counted = usage->counted_at ? g_date_time_new_from_iso8601 (usage->counted_at, NULL) : NULL;
  if (counted == NULL)
    /* Translators: %s is how many kiosks, e.g. "3 kiosks" */
    return g_strdup_printf (_("Organisation-wide: %s."), kiosks);

  age = g_date_time_difference (at, counted);
  if (age < G_TIME_SPAN_MINUTE)
    /* Translators: %s is how many kiosks, e.g. "3 kiosks" */
    return g_strdup_printf (_("Organisation-wide: %s, counted just now."), kiosks);
  if (age < 120 * G_TIME_SPAN_MINUTE)
    {
      guint minutes = (guint)(age / G_TIME_SPAN_MINUTE);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is how many kiosks, e.g. "3 kiosks" */
                                           "Organisation-wide: %s, counted %u minute ago.",
                                           "Organisation-wide: %s, counted %u minutes ago.", minutes),
                              kiosks, minutes);
    }
  if (age < 48 * G_TIME_SPAN_HOUR)
    {
      guint hours = (guint)(age / G_TIME_SPAN_HOUR);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is how many kiosks, e.g. "3 kiosks" */
                                           "Organisation-wide: %s, counted %u hour ago.",
                                           "Organisation-wide: %s, counted %u hours ago.", hours),
                              kiosks, hours);
    }

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (counted);
    g_autofree char *day = g_date_time_format (local, "%Y-%m-%d %H:%M");

    /* Translators: the first %s is how many kiosks, the second a local time, 2026-12-07 10:30 */
    return g_strdup_printf (_("Organisation-wide: %s, counted on %s."), kiosks, day);
  }
}

/**
 * ck_usage_dup_summary:
 *
 * Returns: (transfer full): one translated line for staff, e.g. "1204 of
 *   5000 calls used; 3796 left. Organisation-wide: 3 kiosks, counted 12
 *   minutes ago." (ck_usage_dup_scope() says which figure it is)
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

  {
    g_autofree char *scope = ck_usage_dup_scope (usage, NULL);

    g_string_append_c (summary, ' ');
    g_string_append (summary, scope);
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
