/* ck-config-private.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the files of the configuration (config/ck-config*.c) and
 * included by no other file: the object's fields, the key table's types
 * and the helpers one file defines for the others (named _ck_config_*). */

#pragma once

#include "ck-config.h"

G_BEGIN_DECLS

typedef enum
{
  KEY_ORGANIZATION_NAME,
  KEY_ORGANIZATION_BUSINESS,
  KEY_ORGANIZATION_PURPOSE,
  KEY_ORGANIZATION_EXAMPLE,
  KEY_KIOSK_ID,
  KEY_KIOSK_DATA_DIR,
  KEY_KIOSK_IDLE_TIMEOUT_S,
  KEY_KIOSK_FULLSCREEN,
  KEY_KIOSK_TEMPLATE,
  KEY_KIOSK_KIOSK_MODE,
  KEY_KIOSK_STAFF_PIN_HASH,
  KEY_KIOSK_PRINTER,
  KEY_KIOSK_VOICE,
  KEY_VERIFICATION_PROVIDER,
  KEY_VERIFICATION_ENDPOINT,
  KEY_VERIFICATION_ALLOW_INSECURE_HTTP,
  KEY_VERIFICATION_APPCODE_FILE,
  KEY_VERIFICATION_CA_FILE,
  KEY_VERIFICATION_CONNECT_TIMEOUT_S,
  KEY_VERIFICATION_TIMEOUT_S,
  KEY_VERIFICATION_MAX_ATTEMPTS,
  KEY_VERIFICATION_PACKAGE_SIZE,
  KEY_VERIFICATION_PACKAGE_START,
  KEY_SIGNING_CERTIFICATE,
  KEY_SIGNING_KEY,
  KEY_SIGNING_KEY_PASSWORD_FILE,
  KEY_SIGNING_PKCS11_MODULE,
  KEY_SIGNING_CHAIN,
  KEY_SIGNING_CA_FILE,
  KEY_SIGNING_TSA_URL,
  KEY_SIGNING_TSA_CA_FILE,
  KEY_SIGNING_TSA_TIMEOUT_S,
  KEY_SIGNING_ANCHOR_INTERVAL_S,
  KEY_CENTRAL_URL,
  KEY_CENTRAL_PASSWORD_FILE,
  KEY_CENTRAL_CLIENT_CERTIFICATE,
  KEY_CENTRAL_CLIENT_KEY,
  KEY_CENTRAL_CA_FILE,
  KEY_CENTRAL_SYNC_INTERVAL_S,
  KEY_CENTRAL_BATCH_SIZE,
  KEY_CENTRAL_REQUIRE_SYNCED_BEFORE_PURGE,
  KEY_CENTRAL_WARN_AFTER_S,
  KEY_STAFF_EXPORT_DIR,
  KEY_CARD_READER_DEVICE,
  KEY_CARD_READER_BAUD,
  N_KEYS
} KeyId;

typedef enum
{
  KIND_STRING,  /* any UTF-8 text */
  KIND_PATH,    /* an absolute path; empty means not set unless FLAG_NOT_EMPTY */
  KIND_UINT,    /* a whole number from min to max */
  KIND_BOOLEAN, /* true or false */
  KIND_CHOICE,  /* one of choices[], stored as its index */
  KIND_URI,     /* an http:// or https:// address */
} KeyKind;

typedef enum
{
  FLAG_NONE      = 0,
  FLAG_NOT_EMPTY = 1 << 0,
} KeyFlags;

typedef char     *(*DefaultFunc)  (CkConfig  *self);
typedef gboolean  (*ValidateFunc) (CkConfig  *self,
                                   KeyId      id,
                                   GError   **error);

typedef struct
{
  const char *group;
  const char *key;
  KeyKind kind;
  KeyFlags flags;
  const char *fallback;         /* the default as text; NULL: default_func, or not set */
  DefaultFunc default_func;     /* a default computed at load time */
  guint min;                    /* KIND_UINT */
  guint max;
  const char * const *choices;  /* KIND_CHOICE, NULL-terminated */
  ValidateFunc validate;        /* on the effective value, after all layers */
} KeyInfo;

typedef struct
{
  char *text;     /* normalised value as text; NULL: not set */
  guint number;   /* KIND_UINT value, KIND_BOOLEAN, KIND_CHOICE index */
  char *source;   /* the file it came from; NULL: the default */
} Value;

struct _CkConfig
{
  GObject parent_instance;
  Value values[N_KEYS];
  GPtrArray *warnings;
  gboolean appcode_in_environment;
};

static inline const char *
_ck_config_source_label (const char *source)
{
  return source ? source : CK_CONFIG_SOURCE_DEFAULT;
}

/* ck-config-keys.c: the table of keys, one line a key */
extern const KeyInfo _ck_config_keys[N_KEYS];

int       _ck_config_find_key               (const char     *group,
                                             const char     *key);
gboolean  _ck_config_is_known_group         (const char     *group);

/* ck-config-validate.c: checking values, and what is said when one is wrong */
G_GNUC_PRINTF (5, 6)
void      _ck_config_set_key_error          (GError        **error,
                                             CkConfigError   code,
                                             const char     *file,
                                             KeyId           id,
                                             const char     *format,
                                             ...);
G_GNUC_PRINTF (2, 3)
void      _ck_config_add_warning            (CkConfig       *self,
                                             const char     *format,
                                             ...);
gboolean  _ck_config_parse_value            (KeyId           id,
                                             const char     *file,
                                             const char     *input,
                                             Value          *value,
                                             GError        **error);
gboolean  _ck_config_validate_regular_file  (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_provider      (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_endpoint      (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_insecure      (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_pin_hash      (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_date          (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_secret_file   (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_signing_key   (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_baud          (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_tsa_url       (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_central_url   (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_client_cert   (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);
gboolean  _ck_config_validate_client_key    (CkConfig       *self,
                                             KeyId           id,
                                             GError        **error);

G_END_DECLS
