/* ck-config-describe.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The configuration described key by key, for `consentctl config`: the
 * keys in the table's order, each effective value as it would be written
 * in a file, and where it came from. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include "ck-config-private.h"

/**
 * ck_config_get_source:
 * @group: a group, such as "kiosk"
 * @key: a key of @group, such as "idle_timeout_s"; or "appcode" in
 *   "verification" for the AppCode itself
 *
 * Returns: where the effective value came from: %CK_CONFIG_SOURCE_DEFAULT
 *   or the path of the configuration file that set it; for the AppCode,
 *   %CK_CONFIG_SOURCE_ENVIRONMENT, the path of appcode_file, or
 *   %CK_CONFIG_SOURCE_DEFAULT when there is none
 */
const char *
ck_config_get_source (CkConfig   *self,
                      const char *group,
                      const char *key)
{
  int id;

  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (group, "verification") && g_str_equal (key, "appcode"))
    {
      if (self->appcode_in_environment)
        return CK_CONFIG_SOURCE_ENVIRONMENT;
      return _ck_config_source_label (self->values[KEY_VERIFICATION_APPCODE_FILE].text);
    }

  id = _ck_config_find_key (group, key);
  g_return_val_if_fail (id >= 0, NULL);

  return _ck_config_source_label (self->values[id].source);
}

/**
 * ck_config_dup_value_text:
 * @group: a group, such as "kiosk"
 * @key: a key of @group
 *
 * Returns: (transfer full) (nullable): the effective value as it would be
 *   written in a file ("90", "true", "demo", a path…), or %NULL if the key
 *   is not set
 */
char *
ck_config_dup_value_text (CkConfig   *self,
                          const char *group,
                          const char *key)
{
  int id;

  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  id = _ck_config_find_key (group, key);
  g_return_val_if_fail (id >= 0, NULL);

  return g_strdup (self->values[id].text);
}

/**
 * ck_config_get_n_keys:
 *
 * Returns: how many keys the configuration knows, for ck_config_get_key()
 */
guint
ck_config_get_n_keys (void)
{
  return N_KEYS;
}

/**
 * ck_config_get_key:
 * @position: from 0 to ck_config_get_n_keys() - 1
 * @group: (out) (optional): the key's group
 * @key: (out) (optional): the key's name
 *
 * Lists the keys in the order of the example file, grouped by group.
 */
void
ck_config_get_key (guint        position,
                   const char **group,
                   const char **key)
{
  g_return_if_fail (position < N_KEYS);

  if (group)
    *group = _ck_config_keys[position].group;
  if (key)
    *key = _ck_config_keys[position].key;
}
