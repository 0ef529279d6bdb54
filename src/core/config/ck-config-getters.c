/* ck-config-getters.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The typed getters, one a key, and the check that the organisation is
 * named before a consent is stored. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-config-private.h"

static const char *
get_text (CkConfig *self,
          KeyId     id)
{
  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);

  return self->values[id].text;
}

static guint
get_number (CkConfig *self,
            KeyId     id)
{
  g_return_val_if_fail (CK_IS_CONFIG (self), 0);

  return self->values[id].number;
}

/* Empty unless configured: the template shows a visible blank. */
const char *
ck_config_get_organization_name (CkConfig *self)
{
  return get_text (self, KEY_ORGANIZATION_NAME);
}

const char *
ck_config_get_organization_business (CkConfig *self)
{
  return get_text (self, KEY_ORGANIZATION_BUSINESS);
}

const char *
ck_config_get_organization_purpose (CkConfig *self)
{
  return get_text (self, KEY_ORGANIZATION_PURPOSE);
}

/**
 * ck_config_get_organization_example:
 *
 * Returns: whether the organisation's values are an example
 *   (`[organization] example`, as in scripts/run-kiosk's demo settings):
 *   the kiosk and the PDF then say so
 */
gboolean
ck_config_get_organization_example (CkConfig *self)
{
  return get_number (self, KEY_ORGANIZATION_EXAMPLE) != 0;
}

/**
 * ck_config_check_organization:
 * @error: a #GError in the %CK_CONFIG_ERROR domain
 *
 * A consent is stored only with the processor named: the organisation's
 * name, its business and the purpose (PIPL Art. 17). `render` may preview
 * blanks; `record` and the kiosk refuse.
 *
 * Returns: %TRUE when all three are set; otherwise %FALSE with
 *   %CK_CONFIG_ERROR_ORGANIZATION_NOT_SET naming the first key that is not
 */
gboolean
ck_config_check_organization (CkConfig  *self,
                              GError   **error)
{
  static const KeyId needed[] = { KEY_ORGANIZATION_NAME, KEY_ORGANIZATION_BUSINESS, KEY_ORGANIZATION_PURPOSE };

  g_return_val_if_fail (CK_IS_CONFIG (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      const char *value = get_text (self, needed[i]);
      gboolean blank = TRUE;

      /* Spaces alone, full-width ones too, are no value. */
      for (const char *p = value ? value : ""; *p && blank; p = g_utf8_next_char (p))
        blank = g_unichar_isspace (g_utf8_get_char (p));

      if (blank)
        {
          g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_ORGANIZATION_NOT_SET,
                       _("[%s] %s is not set: a consent names the organisation, its business and the "
                         "purpose, so none is stored until the configuration gives all three (see "
                         "“consentctl config”)."),
                       _ck_config_keys[needed[i]].group, _ck_config_keys[needed[i]].key);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
ck_config_get_kiosk_id (CkConfig *self)
{
  return get_text (self, KEY_KIOSK_ID);
}

const char *
ck_config_get_data_dir (CkConfig *self)
{
  return get_text (self, KEY_KIOSK_DATA_DIR);
}

guint
ck_config_get_idle_timeout_s (CkConfig *self)
{
  return get_number (self, KEY_KIOSK_IDLE_TIMEOUT_S);
}

gboolean
ck_config_get_fullscreen (CkConfig *self)
{
  return get_number (self, KEY_KIOSK_FULLSCREEN);
}

/* Returns: (nullable): the customised letter, or %NULL for the built-in one */
const char *
ck_config_get_template_path (CkConfig *self)
{
  return get_text (self, KEY_KIOSK_TEMPLATE);
}

/* Whether the kiosk locks the customer in: fullscreen, no way out but the
 * staff PIN. */
gboolean
ck_config_get_kiosk_mode (CkConfig *self)
{
  return get_number (self, KEY_KIOSK_KIOSK_MODE);
}

/* Returns: (nullable): the staff PIN's hash, or %NULL when none is set */
const char *
ck_config_get_staff_pin_hash (CkConfig *self)
{
  const char *text = get_text (self, KEY_KIOSK_STAFF_PIN_HASH);

  return text && text[0] ? text : NULL;
}

/* Returns: (nullable): the printer to print to without asking, or %NULL
 * for GTK's print dialog */
const char *
ck_config_get_printer (CkConfig *self)
{
  const char *text = get_text (self, KEY_KIOSK_PRINTER);

  return text && text[0] ? text : NULL;
}

/* Whether each page's instruction and the idle warning are spoken, and
 * the letter can be read aloud (src/core/voice/). */
gboolean
ck_config_get_voice (CkConfig *self)
{
  return get_number (self, KEY_KIOSK_VOICE);
}

CkVerifierProvider
ck_config_get_provider (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_PROVIDER);
}

const char *
ck_config_get_endpoint (CkConfig *self)
{
  return get_text (self, KEY_VERIFICATION_ENDPOINT);
}

gboolean
ck_config_get_allow_insecure_http (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_ALLOW_INSECURE_HTTP);
}

/* Returns: (nullable) */
const char *
ck_config_get_appcode_file (CkConfig *self)
{
  return get_text (self, KEY_VERIFICATION_APPCODE_FILE);
}

/* Returns: (nullable): extra CA certificates, or %NULL for the system's */
const char *
ck_config_get_ca_file (CkConfig *self)
{
  return get_text (self, KEY_VERIFICATION_CA_FILE);
}

guint
ck_config_get_connect_timeout_s (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_CONNECT_TIMEOUT_S);
}

guint
ck_config_get_timeout_s (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_TIMEOUT_S);
}

guint
ck_config_get_max_attempts (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_MAX_ATTEMPTS);
}

/**
 * ck_config_get_package_size:
 *
 * Returns: how many verification calls the paid package holds
 *   ([verification] package_size); 0 when not set
 */
guint64
ck_config_get_package_size (CkConfig *self)
{
  return get_number (self, KEY_VERIFICATION_PACKAGE_SIZE);
}

/**
 * ck_config_get_package_start:
 *
 * Returns: (nullable): the day the package was bought, YYYY-MM-DD
 *   ([verification] package_start); %NULL when not set
 */
const char *
ck_config_get_package_start (CkConfig *self)
{
  const char *text = get_text (self, KEY_VERIFICATION_PACKAGE_START);

  return text && text[0] ? text : NULL;
}

/* --- [signing] --------------------------------------------------------- */

/* Returns: whether consents are sealed: [signing] key is set */
gboolean
ck_config_get_signing_configured (CkConfig *self)
{
  const char *key = get_text (self, KEY_SIGNING_KEY);

  return key != NULL && key[0] != '\0';
}

/* Returns: (nullable): the seal's certificate (PEM); from the PKCS#12
 * file when not set */
const char *
ck_config_get_signing_certificate (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_CERTIFICATE);
}

/* Returns: (nullable): a pkcs11: URI or the path of a key file */
const char *
ck_config_get_signing_key (CkConfig *self)
{
  return ck_config_get_signing_configured (self) ? get_text (self, KEY_SIGNING_KEY) : NULL;
}

/* Returns: (nullable): the file holding the PKCS#12 password or the token's PIN */
const char *
ck_config_get_signing_key_password_file (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_KEY_PASSWORD_FILE);
}

/* Returns: (nullable): the PKCS#11 module; p11-kit's proxy when not set */
const char *
ck_config_get_signing_pkcs11_module (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_PKCS11_MODULE);
}

/* Returns: (nullable): intermediate certificates (PEM) sent with each signature */
const char *
ck_config_get_signing_chain (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_CHAIN);
}

/* Returns: (nullable): the CA that issued the seal, trusted by check */
const char *
ck_config_get_signing_ca_file (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_CA_FILE);
}

/* Returns: (nullable): the RFC 3161 time-stamping authority */
const char *
ck_config_get_tsa_url (CkConfig *self)
{
  const char *url = get_text (self, KEY_SIGNING_TSA_URL);

  return url && url[0] ? url : NULL;
}

/* Returns: (nullable): the CA certificates the TSA's certificate must chain to */
const char *
ck_config_get_tsa_ca_file (CkConfig *self)
{
  return get_text (self, KEY_SIGNING_TSA_CA_FILE);
}

guint
ck_config_get_tsa_timeout_s (CkConfig *self)
{
  return get_number (self, KEY_SIGNING_TSA_TIMEOUT_S);
}

guint
ck_config_get_anchor_interval_s (CkConfig *self)
{
  return get_number (self, KEY_SIGNING_ANCHOR_INTERVAL_S);
}

/* --- [central] --------------------------------------------------------- */

/* Returns: whether consents are synced to a central archive: [central]
 * url is set */
gboolean
ck_config_get_central_configured (CkConfig *self)
{
  const char *url = get_text (self, KEY_CENTRAL_URL);

  return url != NULL && url[0] != '\0';
}

/* Returns: (nullable): the archive's libpq connection URI, which holds no
 * password; %NULL when consents stay on this kiosk only */
const char *
ck_config_get_central_url (CkConfig *self)
{
  return ck_config_get_central_configured (self) ? get_text (self, KEY_CENTRAL_URL) : NULL;
}

/* Returns: (nullable): the file holding the archive role's password */
const char *
ck_config_get_central_password_file (CkConfig *self)
{
  return get_text (self, KEY_CENTRAL_PASSWORD_FILE);
}

/* Returns: (nullable): the kiosk's client certificate for the archive */
const char *
ck_config_get_central_client_certificate (CkConfig *self)
{
  return get_text (self, KEY_CENTRAL_CLIENT_CERTIFICATE);
}

/* Returns: (nullable): the client certificate's private key */
const char *
ck_config_get_central_client_key (CkConfig *self)
{
  return get_text (self, KEY_CENTRAL_CLIENT_KEY);
}

/* Returns: (nullable): the CA that signed the archive server's certificate */
const char *
ck_config_get_central_ca_file (CkConfig *self)
{
  return get_text (self, KEY_CENTRAL_CA_FILE);
}

guint
ck_config_get_central_sync_interval_s (CkConfig *self)
{
  return get_number (self, KEY_CENTRAL_SYNC_INTERVAL_S);
}

guint
ck_config_get_central_batch_size (CkConfig *self)
{
  return get_number (self, KEY_CENTRAL_BATCH_SIZE);
}

/* Returns: whether a consent is purged only once the archive has it */
gboolean
ck_config_get_central_require_synced_before_purge (CkConfig *self)
{
  return get_number (self, KEY_CENTRAL_REQUIRE_SYNCED_BEFORE_PURGE) != 0;
}

guint
ck_config_get_central_warn_after_s (CkConfig *self)
{
  return get_number (self, KEY_CENTRAL_WARN_AFTER_S);
}

/**
 * ck_config_get_staff_export_dir:
 *
 * Returns: (nullable): the folder the records window exports to in kiosk
 *   mode, without a file chooser; %NULL when not set
 */
const char *
ck_config_get_staff_export_dir (CkConfig *self)
{
  const char *text = get_text (self, KEY_STAFF_EXPORT_DIR);

  return text && text[0] ? text : NULL;
}

/**
 * ck_config_get_card_reader_device:
 *
 * Returns: (nullable): the ID card reader's serial device
 *   (`[card_reader] device`), %NULL when there is no reader
 */
const char *
ck_config_get_card_reader_device (CkConfig *self)
{
  const char *text = get_text (self, KEY_CARD_READER_DEVICE);

  return text && text[0] ? text : NULL;
}

/**
 * ck_config_get_card_reader_baud:
 *
 * Returns: the reader's speed (`[card_reader] baud`, 115200 by default)
 */
guint
ck_config_get_card_reader_baud (CkConfig *self)
{
  return get_number (self, KEY_CARD_READER_BAUD);
}
