/* ck-config-keys.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The table of keys: for each its group, name, kind, default (as text or
 * computed when the configuration is made), range or choices, and the
 * check run on its effective value. The table's order is that of the
 * example file. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include "ck-config-private.h"
#include "ck-verify-state.h"
#include "ck-card-reader.h"

static const char * const provider_choices[] = {
  [CK_VERIFIER_PROVIDER_ALIYUN_IDCERT] = "aliyun-idcert",
  [CK_VERIFIER_PROVIDER_DEMO] = "demo",
  [CK_VERIFIER_PROVIDER_NONE] = "none",
  NULL
};

static char *
default_kiosk_id (CkConfig *self)
{
  return g_strdup (g_get_host_name ());
}

static char *
default_data_dir (CkConfig *self)
{
  return g_build_filename (g_get_user_data_dir (), "consent-kiosk", NULL);
}

static char *
default_provider (CkConfig *self)
{
  CkVerifierProvider provider = ck_config_get_appcode_configured (self)
                                ? CK_VERIFIER_PROVIDER_ALIYUN_IDCERT
                                : CK_VERIFIER_PROVIDER_DEMO;

  return g_strdup (provider_choices[provider]);
}

/* Organization strings default to empty: the letter then shows a visible
 * blank rather than a made-up company. */
const KeyInfo _ck_config_keys[N_KEYS] = {
  [KEY_ORGANIZATION_NAME]                = { "organization", "name", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_BUSINESS]            = { "organization", "business", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_PURPOSE]             = { "organization", "purpose", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_EXAMPLE]             = { "organization", "example", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_ID]                         = { "kiosk", "id", KIND_STRING, FLAG_NOT_EMPTY, .default_func = default_kiosk_id },
  [KEY_KIOSK_DATA_DIR]                   = { "kiosk", "data_dir", KIND_PATH, FLAG_NOT_EMPTY, .default_func = default_data_dir },
  [KEY_KIOSK_IDLE_TIMEOUT_S]             = { "kiosk", "idle_timeout_s", KIND_UINT, .fallback = "90", .min = 15, .max = 3600 },
  [KEY_KIOSK_FULLSCREEN]                 = { "kiosk", "fullscreen", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_TEMPLATE]                   = { "kiosk", "template", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_KIOSK_KIOSK_MODE]                 = { "kiosk", "kiosk_mode", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_STAFF_PIN_HASH]             = { "kiosk", "staff_pin_hash", KIND_STRING, .fallback = "", .validate = _ck_config_validate_pin_hash },
  [KEY_KIOSK_PRINTER]                    = { "kiosk", "printer", KIND_STRING, .fallback = "" },
  [KEY_KIOSK_VOICE]                      = { "kiosk", "voice", KIND_BOOLEAN, .fallback = "false" },
  [KEY_VERIFICATION_PROVIDER]            = { "verification", "provider", KIND_CHOICE, .choices = provider_choices, .default_func = default_provider, .validate = _ck_config_validate_provider },
  [KEY_VERIFICATION_ENDPOINT]            = { "verification", "endpoint", KIND_URI, FLAG_NOT_EMPTY, .fallback = "https://idcert.market.alicloudapi.com/idcard", .validate = _ck_config_validate_endpoint },
  [KEY_VERIFICATION_ALLOW_INSECURE_HTTP] = { "verification", "allow_insecure_http", KIND_BOOLEAN, .fallback = "false", .validate = _ck_config_validate_insecure },
  [KEY_VERIFICATION_APPCODE_FILE]        = { "verification", "appcode_file", KIND_PATH },
  [KEY_VERIFICATION_CA_FILE]             = { "verification", "ca_file", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_VERIFICATION_CONNECT_TIMEOUT_S]   = { "verification", "connect_timeout_s", KIND_UINT, .fallback = "5", .min = 1, .max = 60 },
  [KEY_VERIFICATION_TIMEOUT_S]           = { "verification", "timeout_s", KIND_UINT, .fallback = "15", .min = 1, .max = 300 },
  [KEY_VERIFICATION_MAX_ATTEMPTS]        = { "verification", "max_attempts", KIND_UINT, .fallback = G_STRINGIFY (CK_VERIFY_DEFAULT_MAX_ATTEMPTS), .min = 1, .max = 20 },
  [KEY_VERIFICATION_PACKAGE_SIZE]        = { "verification", "package_size", KIND_UINT, .fallback = "0", .min = 0, .max = 10000000 },
  [KEY_VERIFICATION_PACKAGE_START]       = { "verification", "package_start", KIND_STRING, .fallback = "", .validate = _ck_config_validate_date },
  [KEY_SIGNING_CERTIFICATE]              = { "signing", "certificate", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_SIGNING_KEY]                      = { "signing", "key", KIND_STRING, .fallback = "", .validate = _ck_config_validate_signing_key },
  [KEY_SIGNING_KEY_PASSWORD_FILE]        = { "signing", "key_password_file", KIND_PATH, .validate = _ck_config_validate_secret_file },
  [KEY_SIGNING_PKCS11_MODULE]            = { "signing", "pkcs11_module", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_SIGNING_CHAIN]                    = { "signing", "chain", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_SIGNING_CA_FILE]                  = { "signing", "ca_file", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_SIGNING_TSA_URL]                  = { "signing", "tsa_url", KIND_URI, .validate = _ck_config_validate_tsa_url },
  [KEY_SIGNING_TSA_CA_FILE]              = { "signing", "tsa_ca_file", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_SIGNING_TSA_TIMEOUT_S]            = { "signing", "tsa_timeout_s", KIND_UINT, .fallback = "3", .min = 1, .max = 60 },
  [KEY_SIGNING_ANCHOR_INTERVAL_S]        = { "signing", "anchor_interval_s", KIND_UINT, .fallback = "300", .min = 10, .max = 86400 },
  [KEY_CENTRAL_URL]                      = { "central", "url", KIND_STRING, .fallback = "", .validate = _ck_config_validate_central_url },
  [KEY_CENTRAL_PASSWORD_FILE]            = { "central", "password_file", KIND_PATH, .validate = _ck_config_validate_secret_file },
  [KEY_CENTRAL_CLIENT_CERTIFICATE]       = { "central", "client_certificate", KIND_PATH, .validate = _ck_config_validate_client_cert },
  [KEY_CENTRAL_CLIENT_KEY]               = { "central", "client_key", KIND_PATH, .validate = _ck_config_validate_client_key },
  [KEY_CENTRAL_CA_FILE]                  = { "central", "ca_file", KIND_PATH, .validate = _ck_config_validate_regular_file },
  [KEY_CENTRAL_SYNC_INTERVAL_S]          = { "central", "sync_interval_s", KIND_UINT, .fallback = "60", .min = 5, .max = 86400 },
  [KEY_CENTRAL_BATCH_SIZE]               = { "central", "batch_size", KIND_UINT, .fallback = "100", .min = 1, .max = 1000 },
  [KEY_CENTRAL_REQUIRE_SYNCED_BEFORE_PURGE] = { "central", "require_synced_before_purge", KIND_BOOLEAN, .fallback = "true" },
  [KEY_CENTRAL_WARN_AFTER_S]             = { "central", "warn_after_s", KIND_UINT, .fallback = "3600", .min = 60, .max = 604800 },
  [KEY_STAFF_EXPORT_DIR]                 = { "staff", "export_dir", KIND_PATH },
  [KEY_CARD_READER_DEVICE]               = { "card_reader", "device", KIND_PATH },
  [KEY_CARD_READER_BAUD]                 = { "card_reader", "baud", KIND_UINT, .fallback = G_STRINGIFY (CK_CARD_READER_DEFAULT_BAUD), .min = 9600, .max = 230400, .validate = _ck_config_validate_baud },
};

const char *
ck_verifier_provider_to_string (CkVerifierProvider provider)
{
  g_return_val_if_fail (provider < G_N_ELEMENTS (provider_choices) - 1, NULL);

  return provider_choices[provider];
}

int
_ck_config_find_key (const char *group,
                     const char *key)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (_ck_config_keys[i].group, group) &&
        g_str_equal (_ck_config_keys[i].key, key))
      return (int)i;

  return -1;
}

gboolean
_ck_config_is_known_group (const char *group)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (_ck_config_keys[i].group, group))
      return TRUE;

  return FALSE;
}
