/* ck-seal-pkcs11.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A seal key on a PKCS#11 token (a USB key, an HSM; SoftHSM2 in tests),
 * named by a pkcs11: URI, reached through libp11's OpenSSL engine
 * (libengine-pkcs11-openssl): Debian 12 has no PKCS#11 provider for
 * OpenSSL 3. OpenSSL 3 deprecates the ENGINE API; this is the only file of
 * the project that uses it, with the deprecation warnings silenced here and
 * nowhere else. When a provider can be had, only this file changes.
 *
 * The engine gets the module ([signing] pkcs11_module, p11-kit's proxy
 * when not set) and the PIN, then loads the key once; OpenSSL never
 * prompts (UI_null). A URI's pin-value never appears in a message. */

#define OPENSSL_SUPPRESS_DEPRECATED 1
#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ui.h>

#include "ck-seal-private.h"

#define ENGINE_ID "pkcs11"
#define ENGINE_SO "pkcs11.so"
#define ENGINES_DIR_FALLBACK "/usr/lib/x86_64-linux-gnu/engines-3"
#define P11_KIT_PROXY "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so"

/* The engine is one per process, whichever seal loads it: loading and
 * releasing keys are serialised. */
static GMutex engine_lock;

/* A pin-value attribute of the URI (RFC 7512), percent-decoded. */
static char *
uri_pin_value (const char *uri)
{
  g_auto(GStrv) parts = g_strsplit (uri + strlen ("pkcs11:"), ";", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *query = strchr (parts[i], '?');

      if (query)
        *query = '\0';
      if (g_str_has_prefix (parts[i], "pin-value="))
        {
          char *pin = g_uri_unescape_string (parts[i] + strlen ("pin-value="), NULL);

          for (guint k = 0; parts[k]; k++)
            OPENSSL_cleanse (parts[k], strlen (parts[k]));
          return pin;
        }
    }
  for (guint k = 0; parts[k]; k++)
    OPENSSL_cleanse (parts[k], strlen (parts[k]));

  return NULL;
}

static char *
openssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code ? ERR_reason_error_string (code) : NULL;

  ERR_clear_error ();
  return g_strdup (reason ? reason : "no detail");
}

static char *
engines_dir (void)
{
  /* "ENGINESDIR: \"/usr/lib/x86_64-linux-gnu/engines-3\"" */
  const char *text = OpenSSL_version (OPENSSL_ENGINES_DIR);
  const char *start = text ? strchr (text, '"') : NULL;
  const char *end = start ? strchr (start + 1, '"') : NULL;

  if (end == NULL || end == start + 1)
    return g_strdup (ENGINES_DIR_FALLBACK);
  return g_strndup (start + 1, (gsize)(end - start - 1));
}

/* libp11's engine: by its id (OpenSSL finds pkcs11.so in its engines
 * folder), else loaded from that folder by hand. */
static ENGINE *
find_engine (GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *so_path = NULL;
  g_autofree char *reason = NULL;
  ENGINE *engine;

  if ((engine = ENGINE_by_id (ENGINE_ID)))
    return engine;
  ERR_clear_error ();

  dir = engines_dir ();
  so_path = g_build_filename (dir, ENGINE_SO, NULL);
  engine = ENGINE_by_id ("dynamic");
  if (engine &&
      ENGINE_ctrl_cmd_string (engine, "SO_PATH", so_path, 0) &&
      ENGINE_ctrl_cmd_string (engine, "ID", ENGINE_ID, 0) &&
      ENGINE_ctrl_cmd_string (engine, "LIST_ADD", "1", 0) &&
      ENGINE_ctrl_cmd_string (engine, "LOAD", NULL, 0))
    return engine;

  reason = openssl_reason ();
  if (engine)
    ENGINE_free (engine);
  g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
               _("OpenSSL’s PKCS#11 engine (%s) cannot be loaded: %s. Install libengine-pkcs11-openssl."),
               so_path, reason);
  return NULL;
}

/**
 * _ck_seal_pkcs11_load:
 * @uri: a pkcs11: URI naming the private key
 * @pin: (nullable): the token's user PIN
 * @module: (nullable): the PKCS#11 module; p11-kit's proxy when %NULL
 *
 * Loads the key into @key (pkey and engine).
 */
gboolean
_ck_seal_pkcs11_load (CkSealKey   *key,
                      const char  *uri,
                      const char  *pin,
                      const char  *module,
                      GError     **error)
{
  /* libp11 writes the URI it could not load to standard error: it gets
   * one without the PIN, which it is given on its own. */
  g_autofree char *shown = _ck_seal_key_label (uri);
  g_autofree char *uri_pin = pin ? NULL : uri_pin_value (uri);
  ENGINE *engine;
  EVP_PKEY *pkey;

  if (module == NULL || module[0] == '\0')
    module = P11_KIT_PROXY;
  if (!g_file_test (module, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The PKCS#11 module “%s” does not exist: set pkcs11_module in [signing]."), module);
      return FALSE;
    }

  g_mutex_lock (&engine_lock);
  if (!(engine = find_engine (error)))
    {
      g_mutex_unlock (&engine_lock);
      return FALSE;
    }
  if (!ENGINE_ctrl_cmd_string (engine, "MODULE_PATH", module, 0) ||
      ((pin || uri_pin) && !ENGINE_ctrl_cmd_string (engine, "PIN", pin ? pin : uri_pin, 0)) ||
      !ENGINE_init (engine))
    {
      g_autofree char *reason = openssl_reason ();

      ENGINE_free (engine);
      g_mutex_unlock (&engine_lock);
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The PKCS#11 module “%s” cannot be used: %s."), module, reason);
      return FALSE;
    }

  pkey = ENGINE_load_private_key (engine, shown, (UI_METHOD *)UI_null (), NULL);
  /* Logged in or not, the engine keeps no copy of the PIN it was given. */
  ENGINE_ctrl_cmd (engine, "PIN", 0, NULL, NULL, 0);
  ERR_clear_error ();
  if (uri_pin)
    OPENSSL_cleanse (uri_pin, strlen (uri_pin));
  if (pkey == NULL)
    {
      ENGINE_finish (engine);
      ENGINE_free (engine);
      g_mutex_unlock (&engine_lock);
      if (pin || uri_pin)
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("The key “%s” cannot be loaded from the token: the token or the key is not there, "
                       "or the PIN in key_password_file is wrong."), shown);
      else
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("The key “%s” cannot be loaded from the token: the token or the key is not there, "
                       "or the token needs a PIN: set key_password_file in [signing]."), shown);
      return FALSE;
    }
  g_mutex_unlock (&engine_lock);

  key->pkey = pkey;
  key->engine = engine;

  return TRUE;
}

/* Frees the engine's references, once the key it made is freed. */
void
_ck_seal_pkcs11_release (CkSealKey *key)
{
  ENGINE *engine = key->engine;

  if (engine == NULL)
    return;
  key->engine = NULL;

  g_mutex_lock (&engine_lock);
  ENGINE_finish (engine);
  ENGINE_free (engine);
  g_mutex_unlock (&engine_lock);
}
