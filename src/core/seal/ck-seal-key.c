/* ck-seal-key.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The seal's private key, loaded once: a PKCS#12 file (which usually
 * carries the certificate and its chain as well), a PEM key file, or a
 * pkcs11: URI (ck-seal-pkcs11.c). The password or PIN is the first line of
 * key_password_file.
 *
 * Secrets never leave this file but as OpenSSL needs them: no message
 * quotes a password, a PIN or a byte of a key file; errors name the file.
 * Secret buffers are wiped before they are freed. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "ck-seal-private.h"

/* Key and password files are small; anything larger is not one. */
#define SECRET_FILE_MAX (256 * 1024)

/* Reads a file that holds a secret: a regular file of mode 0600, opened
 * without following a symbolic link. The configuration checked that when
 * it was loaded; the file may have changed since. */
static GBytes *
read_secret_file (const char  *path,
                  GError     **error)
{
  struct stat st;
  guint8 *buffer;
  gsize length = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   saved_errno == ELOOP ? _("“%s” is a symbolic link: give the path of the file itself.")
                                        : _("Cannot read “%s”: %s."),
                   path, g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE, _("“%s” is not a regular file."), path);
      close (fd);
      return NULL;
    }
  if ((st.st_mode & 07777) != 0600)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("“%s” has mode %04o; it must be 0600 (readable and writable by its owner only): "
                     "chmod 600 %s"),
                   path, (guint)(st.st_mode & 07777), path);
      close (fd);
      return NULL;
    }
  if (st.st_size > SECRET_FILE_MAX)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("“%s” is too large to be a key or password file."), path);
      close (fd);
      return NULL;
    }

  buffer = g_malloc ((gsize)st.st_size + 1);
  while (length < (gsize)st.st_size)
    {
      ssize_t n = read (fd, buffer + length, (gsize)st.st_size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          OPENSSL_cleanse (buffer, (gsize)st.st_size + 1);
          g_free (buffer);
          close (fd);
          g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE, _("Cannot read “%s”: %s."),
                       path, g_strerror (saved_errno));
          return NULL;
        }
      length += (gsize)n;
    }
  close (fd);
  buffer[length] = '\0';

  return g_bytes_new_with_free_func (buffer, length, g_free, buffer);
}

/* Wipes a secret file's bytes, then lets them go. */
static void
free_secret_bytes (GBytes *bytes)
{
  gsize length;
  gconstpointer data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  /* The last reference is ours: the buffer is wiped before it is freed. */
  if (data)
    OPENSSL_cleanse ((gpointer)data, length);
  g_bytes_unref (bytes);
}

typedef GBytes CkSealSecretBytes;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSealSecretBytes, free_secret_bytes)

/**
 * _ck_seal_read_secret:
 * @path: key_password_file
 *
 * Returns: (transfer full): the file's first line, without its end of
 *   line; free it with _ck_seal_free_secret()
 */
char *
_ck_seal_read_secret (const char  *path,
                      GError     **error)
{
  g_autoptr(CkSealSecretBytes) bytes = NULL;
  const char *data;
  gsize length, line;
  char *secret;

  if (!(bytes = read_secret_file (path, error)))
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  for (line = 0; line < length && data[line] != '\n' && data[line] != '\r'; line++)
    ;
  if (line == 0)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The first line of “%s” is empty: it must hold the password or PIN."), path);
      return NULL;
    }
  if (memchr (data, '\0', line) != NULL || !g_utf8_validate (data, (gssize)line, NULL))
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                   _("The first line of “%s” is not UTF-8 text."), path);
      return NULL;
    }

  secret = g_malloc (line + 1);
  memcpy (secret, data, line);
  secret[line] = '\0';

  return secret;
}

void
_ck_seal_free_secret (char *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

typedef char CkSealSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSealSecret, _ck_seal_free_secret)

static gboolean
load_pkcs12 (CkSealKey    *key,
             const char   *path,
             GBytes       *contents,
             const char   *password,
             const char   *password_file,
             GError      **error)
{
  const unsigned char *p = g_bytes_get_data (contents, NULL);
  PKCS12 *p12;
  gboolean ok;

  p12 = d2i_PKCS12 (NULL, &p, (long)g_bytes_get_size (contents));
  if (p12 == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                   _("“%s” is neither a PKCS#12 file nor a PEM key."), path);
      return FALSE;
    }

  /* PKCS12_parse checks the MAC with the password (UTF-8) first. */
  ok = PKCS12_parse (p12, password ? password : "", &key->pkey, &key->cert, &key->chain);
  PKCS12_free (p12);
  if (!ok || key->pkey == NULL)
    {
      ERR_clear_error ();
      if (password_file)
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("The password in “%s” does not open “%s”."), password_file, path);
      else
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("“%s” needs a password: set key_password_file in [signing]."), path);
      return FALSE;
    }

  return TRUE;
}

/* The password for an encrypted PEM key, or none: OpenSSL must never ask
 * on a terminal. */
static int
pem_password (char *buffer,
              int   size,
              int   rwflag,
              void *user_data)
{
  const char *password = user_data;
  size_t length;

  if (password == NULL)
    return -1;
  length = strlen (password);
  if (length > (size_t)size)
    return -1;
  memcpy (buffer, password, length);

  return (int)length;
}

static gboolean
load_pem (CkSealKey   *key,
          const char  *path,
          GBytes      *contents,
          const char  *password,
          const char  *password_file,
          GError     **error)
{
  BIO *bio = BIO_new_mem_buf (g_bytes_get_data (contents, NULL), (int)g_bytes_get_size (contents));

  key->pkey = PEM_read_bio_PrivateKey (bio, NULL, pem_password, (gpointer)password);
  BIO_free (bio);
  if (key->pkey == NULL)
    {
      unsigned long code = ERR_peek_last_error ();

      ERR_clear_error ();
      if (ERR_GET_REASON (code) == PEM_R_NO_START_LINE)
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE,
                     _("“%s” holds no private key (PEM)."), path);
      else if (password_file)
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("The password in “%s” does not open “%s”."), password_file, path);
      else
        g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_KEY,
                     _("“%s” cannot be read as a private key; if it is encrypted, set key_password_file "
                       "in [signing]."), path);
      return FALSE;
    }

  return TRUE;
}

/**
 * _ck_seal_key_load:
 * @spec: [signing] key: a pkcs11: URI or a key file's path
 * @password_file: (nullable): [signing] key_password_file
 * @pkcs11_module: (nullable): [signing] pkcs11_module
 *
 * Fills @key. CK_SEAL_ERROR_FILE when a file is missing, of the wrong mode
 * or not a key; CK_SEAL_ERROR_KEY when the password or PIN is wrong or the
 * token or object cannot be found.
 */
gboolean
_ck_seal_key_load (CkSealKey   *key,
                   const char  *spec,
                   const char  *password_file,
                   const char  *pkcs11_module,
                   GError     **error)
{
  g_autoptr(CkSealSecret) password = NULL;
  g_autoptr(CkSealSecretBytes) contents = NULL;
  const char *data;
  gsize length;

  memset (key, 0, sizeof *key);

  if (password_file && password_file[0] && !(password = _ck_seal_read_secret (password_file, error)))
    return FALSE;
  if (password_file && !password_file[0])
    password_file = NULL;

  if (g_str_has_prefix (spec, "pkcs11:"))
    return _ck_seal_pkcs11_load (key, spec, password, pkcs11_module, error);

  if (!(contents = read_secret_file (spec, error)))
    return FALSE;
  data = g_bytes_get_data (contents, &length);
  if (length == 0)
    {
      g_set_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE, _("“%s” is empty."), spec);
      return FALSE;
    }

  if (g_strstr_len (data, (gssize)MIN (length, 4096), "-----BEGIN ") != NULL)
    return load_pem (key, spec, contents, password, password_file, error);

  return load_pkcs12 (key, spec, contents, password, password_file, error);
}

/**
 * _ck_seal_key_label:
 * @spec: [signing] key
 *
 * Returns: (transfer full): @spec as messages show it: a file's path, or
 *   a pkcs11: URI without its pin-value or pin-source, nor a query
 */
char *
_ck_seal_key_label (const char *spec)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autofree char *path = NULL;
  g_autofree char *joined = NULL;
  char *query;

  if (!g_str_has_prefix (spec, "pkcs11:"))
    return g_strdup (spec);

  path = g_strdup (spec + strlen ("pkcs11:"));
  if ((query = strchr (path, '?')))
    *query = '\0';
  parts = g_strsplit (path, ";", -1);
  kept = g_ptr_array_new ();
  for (guint i = 0; parts[i]; i++)
    if (!g_str_has_prefix (parts[i], "pin-"))
      g_ptr_array_add (kept, parts[i]);
  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv (";", (char **)kept->pdata);

  return g_strconcat ("pkcs11:", joined, NULL);
}

void
_ck_seal_key_clear (CkSealKey *key)
{
  g_clear_pointer (&key->pkey, EVP_PKEY_free);
  g_clear_pointer (&key->cert, X509_free);
  if (key->chain)
    sk_X509_pop_free (key->chain, X509_free);
  key->chain = NULL;
  /* The engine after the key it made. */
  _ck_seal_pkcs11_release (key);
}
