/* ck-config.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CK_CONFIG_ERROR (ck_config_error_quark ())
#define CK_TYPE_CONFIG (ck_config_get_type ())

/* The system-wide file; the CK_SYSTEM_CONFIG environment variable replaces
 * it (for tests). */
#define CK_CONFIG_SYSTEM_PATH "/etc/consent-kiosk/kiosk.conf"
/* Below g_get_user_config_dir(). */
#define CK_CONFIG_USER_FILE   "consent-kiosk/kiosk.conf"
#define CK_CONFIG_APPCODE_ENV "CK_APPCODE"

/* What ck_config_get_source() returns besides a file path. */
#define CK_CONFIG_SOURCE_DEFAULT     "default"
#define CK_CONFIG_SOURCE_ENVIRONMENT "environment (CK_APPCODE)"

/**
 * CkConfigError:
 * @CK_CONFIG_ERROR_NOT_FOUND: the file given with `--config` does not exist
 * @CK_CONFIG_ERROR_UNREADABLE: a configuration file exists but cannot be read
 * @CK_CONFIG_ERROR_PARSE: a configuration file is not a valid key file
 * @CK_CONFIG_ERROR_INVALID_UTF8: a value is not valid UTF-8 text
 * @CK_CONFIG_ERROR_EMPTY: a value that must not be empty is empty
 * @CK_CONFIG_ERROR_NOT_A_NUMBER: a number was expected
 * @CK_CONFIG_ERROR_OUT_OF_RANGE: a number outside the key's range
 * @CK_CONFIG_ERROR_NOT_A_BOOLEAN: true or false was expected
 * @CK_CONFIG_ERROR_BAD_CHOICE: a value that is none of the key's choices
 * @CK_CONFIG_ERROR_BAD_URI: an address that does not parse, or is not http(s)
 * @CK_CONFIG_ERROR_INSECURE_URI: an http:// address without allow_insecure_http;
 *   a [central] url whose sslmode would not verify the server
 * @CK_CONFIG_ERROR_RELATIVE_PATH: a path that is not absolute
 * @CK_CONFIG_ERROR_FILE_UNREADABLE: a file named by a key cannot be read
 * @CK_CONFIG_ERROR_FILE_NOT_REGULAR: a file named by a key is a directory,
 *   a device, or (appcode_file) a symbolic link
 * @CK_CONFIG_ERROR_APPCODE_NOT_SET: an AppCode is needed but none is configured
 * @CK_CONFIG_ERROR_APPCODE_MODE: appcode_file's mode is not 0600
 * @CK_CONFIG_ERROR_APPCODE_FORMAT: the AppCode is not 32 hexadecimal digits
 * @CK_CONFIG_ERROR_BAD_PIN_HASH: staff_pin_hash is not what
 *   `consentctl pin-hash` writes
 * @CK_CONFIG_ERROR_BAD_DATE: a date that is not a real YYYY-MM-DD
 * @CK_CONFIG_ERROR_SECRET_MODE: a key or password file of [signing] or
 *   [central] is not of mode 0600
 * @CK_CONFIG_ERROR_PASSWORD_IN_URI: [central] url holds a password, which
 *   belongs in password_file
 * @CK_CONFIG_ERROR_ORGANIZATION_NOT_SET: the organisation's name, business
 *   or purpose is empty where a consent is to be stored
 */
typedef enum
{
  CK_CONFIG_ERROR_NOT_FOUND,
  CK_CONFIG_ERROR_UNREADABLE,
  CK_CONFIG_ERROR_PARSE,
  CK_CONFIG_ERROR_INVALID_UTF8,
  CK_CONFIG_ERROR_EMPTY,
  CK_CONFIG_ERROR_NOT_A_NUMBER,
  CK_CONFIG_ERROR_OUT_OF_RANGE,
  CK_CONFIG_ERROR_NOT_A_BOOLEAN,
  CK_CONFIG_ERROR_BAD_CHOICE,
  CK_CONFIG_ERROR_BAD_URI,
  CK_CONFIG_ERROR_INSECURE_URI,
  CK_CONFIG_ERROR_RELATIVE_PATH,
  CK_CONFIG_ERROR_FILE_UNREADABLE,
  CK_CONFIG_ERROR_FILE_NOT_REGULAR,
  CK_CONFIG_ERROR_APPCODE_NOT_SET,
  CK_CONFIG_ERROR_APPCODE_MODE,
  CK_CONFIG_ERROR_APPCODE_FORMAT,
  CK_CONFIG_ERROR_BAD_PIN_HASH,
  CK_CONFIG_ERROR_BAD_DATE,
  CK_CONFIG_ERROR_ORGANIZATION_NOT_SET,
  CK_CONFIG_ERROR_SECRET_MODE,
  CK_CONFIG_ERROR_PASSWORD_IN_URI,
} CkConfigError;

/**
 * CkVerifierProvider:
 * @CK_VERIFIER_PROVIDER_ALIYUN_IDCERT: the identity-verification service
 *   (`aliyun-idcert`), which needs an AppCode
 * @CK_VERIFIER_PROVIDER_DEMO: the in-process stand-in (`demo`)
 * @CK_VERIFIER_PROVIDER_NONE: no verification (`none`)
 */
typedef enum
{
  CK_VERIFIER_PROVIDER_ALIYUN_IDCERT,
  CK_VERIFIER_PROVIDER_DEMO,
  CK_VERIFIER_PROVIDER_NONE,
} CkVerifierProvider;

G_DECLARE_FINAL_TYPE (CkConfig, ck_config, CK, CONFIG, GObject)

GQuark               ck_config_error_quark               (void);
const char          *ck_verifier_provider_to_string      (CkVerifierProvider  provider);

CkConfig            *ck_config_new_defaults              (void);
CkConfig            *ck_config_load                      (const char         *system_path,
                                                          const char         *user_path,
                                                          const char         *explicit_path,
                                                          GError            **error);

const char * const  *ck_config_get_warnings              (CkConfig           *self);
const char          *ck_config_get_source                (CkConfig           *self,
                                                          const char         *group,
                                                          const char         *key);
char                *ck_config_dup_value_text            (CkConfig           *self,
                                                          const char         *group,
                                                          const char         *key);
guint                ck_config_get_n_keys                (void);
void                 ck_config_get_key                   (guint               position,
                                                          const char        **group,
                                                          const char        **key);

/* [organization] */
const char          *ck_config_get_organization_name     (CkConfig           *self);
const char          *ck_config_get_organization_business (CkConfig           *self);
const char          *ck_config_get_organization_purpose  (CkConfig           *self);
gboolean             ck_config_get_organization_example  (CkConfig           *self);
gboolean             ck_config_check_organization        (CkConfig           *self,
                                                          GError            **error);
/* [kiosk] */
const char          *ck_config_get_kiosk_id              (CkConfig           *self);
const char          *ck_config_get_data_dir              (CkConfig           *self);
guint                ck_config_get_idle_timeout_s        (CkConfig           *self);
gboolean             ck_config_get_fullscreen            (CkConfig           *self);
const char          *ck_config_get_template_path         (CkConfig           *self);
gboolean             ck_config_get_kiosk_mode            (CkConfig           *self);
const char          *ck_config_get_staff_pin_hash        (CkConfig           *self);
const char          *ck_config_get_printer               (CkConfig           *self);
gboolean             ck_config_get_voice                 (CkConfig           *self);
/* [verification] */
CkVerifierProvider   ck_config_get_provider              (CkConfig           *self);
const char          *ck_config_get_endpoint              (CkConfig           *self);
gboolean             ck_config_get_allow_insecure_http   (CkConfig           *self);
const char          *ck_config_get_appcode_file          (CkConfig           *self);
const char          *ck_config_get_ca_file               (CkConfig           *self);
guint                ck_config_get_connect_timeout_s     (CkConfig           *self);
guint                ck_config_get_timeout_s             (CkConfig           *self);
guint                ck_config_get_max_attempts          (CkConfig           *self);
guint64              ck_config_get_package_size          (CkConfig           *self);
const char          *ck_config_get_package_start         (CkConfig           *self);
/* [signing] */
gboolean             ck_config_get_signing_configured    (CkConfig           *self);
const char          *ck_config_get_signing_certificate   (CkConfig           *self);
const char          *ck_config_get_signing_key           (CkConfig           *self);
const char          *ck_config_get_signing_key_password_file (CkConfig       *self);
const char          *ck_config_get_signing_pkcs11_module (CkConfig           *self);
const char          *ck_config_get_signing_chain         (CkConfig           *self);
const char          *ck_config_get_signing_ca_file       (CkConfig           *self);
const char          *ck_config_get_tsa_url               (CkConfig           *self);
const char          *ck_config_get_tsa_ca_file           (CkConfig           *self);
guint                ck_config_get_tsa_timeout_s         (CkConfig           *self);
guint                ck_config_get_anchor_interval_s     (CkConfig           *self);
/* [central] */
gboolean             ck_config_get_central_configured    (CkConfig           *self);
const char          *ck_config_get_central_url           (CkConfig           *self);
const char          *ck_config_get_central_password_file (CkConfig           *self);
const char          *ck_config_get_central_client_certificate (CkConfig      *self);
const char          *ck_config_get_central_client_key    (CkConfig           *self);
const char          *ck_config_get_central_ca_file       (CkConfig           *self);
guint                ck_config_get_central_sync_interval_s (CkConfig         *self);
guint                ck_config_get_central_batch_size    (CkConfig           *self);
gboolean             ck_config_get_central_require_synced_before_purge (CkConfig *self);
guint                ck_config_get_central_warn_after_s  (CkConfig           *self);
const char          *ck_config_get_staff_export_dir      (CkConfig           *self);

const char          *ck_config_get_card_reader_device    (CkConfig           *self);
guint                ck_config_get_card_reader_baud      (CkConfig           *self);

gboolean             ck_config_get_appcode_configured    (CkConfig           *self);
char                *ck_config_dup_appcode               (CkConfig           *self,
                                                          GError            **error);
void                 ck_config_free_appcode              (char               *appcode);

G_END_DECLS
