/* ck-config.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk's configuration: GKeyFile layers, each overriding the one
 * before: built-in defaults < the system file < the user's file < the file
 * given with --config. A missing system or user file is fine; a missing
 * --config file is an error.
 *
 * Every key is one line of the table in ck-config-keys.c (group, key,
 * kind, default, range or choices, validator); reading, checking,
 * defaults, sources and `consentctl config` all walk that table. Adding a
 * key means adding a KeyId (ck-config-private.h), its line in the table
 * and a one-line getter (ck-config-getters.c).
 *
 * Values are checked as each file is read (type, range, choice, address,
 * absolute path), so the error names the file that holds the bad value;
 * checks that need the effective value of other keys or the file system
 * (template and ca_file readable, http:// only with allow_insecure_http,
 * an AppCode for aliyun-idcert) run once all layers are merged. Both are
 * in ck-config-validate.c.
 *
 * The AppCode itself is only read by ck_config_dup_appcode()
 * (ck-config-appcode.c); no error, warning or log message ever contains
 * it.
 *
 * This file holds the object and the loading: reading each file, merging
 * the layers, giving the keys no file set their defaults. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-config-private.h"
#include "ck-file-private.h"

/* Configuration files larger than this are refused. */
#define MAX_CONFIG_SIZE (1024 * 1024)

G_DEFINE_QUARK (ck-config-error-quark, ck_config_error)
G_DEFINE_FINAL_TYPE (CkConfig, ck_config, G_TYPE_OBJECT)

static void
ck_config_finalize (GObject *object)
{
  CkConfig *self = (CkConfig *)object;

  for (guint i = 0; i < N_KEYS; i++)
    {
      g_clear_pointer (&self->values[i].text, g_free);
      g_clear_pointer (&self->values[i].source, g_free);
    }
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (ck_config_parent_class)->finalize (object);
}

static void
ck_config_class_init (CkConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_config_finalize;
}

static void
ck_config_init (CkConfig *self)
{
  const char *appcode = g_getenv (CK_CONFIG_APPCODE_ENV);

  self->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->appcode_in_environment = appcode != NULL && appcode[0] != '\0';
}

/* Reads a whole configuration file. Returns NULL without an error when
 * the file does not exist and @must_exist is FALSE. */
static char *
read_config_file (const char  *path,
                  gboolean     must_exist,
                  gsize       *length,
                  GError     **error)
{
  g_autoptr(GByteArray) contents = NULL;
  struct stat st;
  int saved_errno;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      saved_errno = errno;
      if ((saved_errno == ENOENT || saved_errno == ENOTDIR) && !must_exist)
        return NULL;
      if (saved_errno == ENOENT)
        g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_NOT_FOUND,
                     _("The configuration file %s does not exist."), path);
      else
        g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_UNREADABLE,
                     _("Cannot read the configuration file %s: %s."),
                     path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_UNREADABLE,
                   _("Cannot read the configuration file %s: it is not a regular file."), path);
      return NULL;
    }

  contents = g_byte_array_sized_new (MIN ((gsize)st.st_size, MAX_CONFIG_SIZE) + 1);
  saved_errno = ck_file_read_all (fd, MAX_CONFIG_SIZE, contents);
  close (fd);
  if (saved_errno == EFBIG)
    {
      g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_UNREADABLE,
                   _("Cannot read the configuration file %s: it is larger than 1 MiB."), path);
      return NULL;
    }
  if (saved_errno != 0)
    {
      g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_UNREADABLE,
                   _("Cannot read the configuration file %s: %s."), path, g_strerror (saved_errno));
      return NULL;
    }

  *length = contents->len;
  g_byte_array_append (contents, (const guint8 *)"", 1);
  return (char *)g_byte_array_free (g_steal_pointer (&contents), FALSE);
}

/* Reads one configuration file over the values read so far. */
static gboolean
load_layer (CkConfig    *self,
            const char  *path,
            gboolean     must_exist,
            GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!(contents = read_config_file (path, must_exist, &length, &local_error)))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!g_key_file_load_from_data (keyfile, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_PARSE,
                   _("The configuration file %s is not valid: %s."), path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      g_auto(GStrv) names = NULL;

      if (!_ck_config_is_known_group (groups[g]))
        {
          _ck_config_add_warning (self, _("%s: unknown group [%s], ignored."), path, groups[g]);
          continue;
        }

      names = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);
      for (guint k = 0; names[k]; k++)
        {
          g_autofree char *input = NULL;
          int id = _ck_config_find_key (groups[g], names[k]);

          if (id < 0)
            {
              _ck_config_add_warning (self, _("%s: [%s] unknown key “%s”, ignored."),
                                      path, groups[g], names[k]);
              continue;
            }

          /* For an invalid escape, GLib returns a string and sets an error. */
          input = g_key_file_get_string (keyfile, groups[g], names[k], &local_error);
          if (input == NULL || local_error != NULL)
            {
              if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_UNKNOWN_ENCODING))
                _ck_config_set_key_error (error, CK_CONFIG_ERROR_INVALID_UTF8, path, id,
                                          _("The value is not valid UTF-8 text."));
              else
                _ck_config_set_key_error (error, CK_CONFIG_ERROR_PARSE, path, id,
                                          _("The value has an invalid escape sequence (a backslash "
                                            "not followed by s, n, t, r or another backslash)."));
              return FALSE;
            }

          if (!_ck_config_parse_value (id, path, input, &self->values[id], error))
            return FALSE;

          g_free (self->values[id].source);
          self->values[id].source = g_strdup (path);
        }
    }

  return TRUE;
}

/* Gives every key no file set its default. Defaults computed from the
 * environment (host name, data directory) are taken as they are. */
static void
apply_defaults (CkConfig *self)
{
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autofree char *computed = NULL;
      g_autoptr(GError) error = NULL;
      const char *text;

      if (self->values[i].source != NULL)
        continue;

      if (_ck_config_keys[i].default_func)
        text = computed = _ck_config_keys[i].default_func (self);
      else
        text = _ck_config_keys[i].fallback;

      g_clear_pointer (&self->values[i].text, g_free);
      if (text == NULL)
        continue;

      if (_ck_config_keys[i].kind == KIND_STRING || _ck_config_keys[i].kind == KIND_PATH)
        self->values[i].text = g_strdup (text);
      else if (!_ck_config_parse_value (i, NULL, text, &self->values[i], &error))
        g_error ("The default of [%s] %s is wrong: %s",
                 _ck_config_keys[i].group, _ck_config_keys[i].key, error->message);
    }
}

/**
 * ck_config_new_defaults:
 *
 * The configuration with no file at all: every key has its default. The
 * provider is aliyun-idcert if `CK_APPCODE` is set, else demo.
 *
 * Returns: (transfer full): a new #CkConfig
 */
CkConfig *
ck_config_new_defaults (void)
{
  CkConfig *self = g_object_new (CK_TYPE_CONFIG, NULL);

  apply_defaults (self);

  return self;
}

/**
 * ck_config_load:
 * @system_path: (nullable): the system file; %NULL for `CK_SYSTEM_CONFIG`
 *   from the environment or else %CK_CONFIG_SYSTEM_PATH
 * @user_path: (nullable): the user's file; %NULL for %CK_CONFIG_USER_FILE
 *   in g_get_user_config_dir()
 * @explicit_path: (nullable): the file given with `--config`, which must exist
 * @error: a #GError in the %CK_CONFIG_ERROR domain
 *
 * Reads the layers, each overriding the one before, gives the keys no file
 * set their defaults and checks the result. Unknown groups and keys do not
 * fail: they are collected as ck_config_get_warnings(). The AppCode itself
 * is not read: ck_config_dup_appcode() does that.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
CkConfig *
ck_config_load (const char  *system_path,
                const char  *user_path,
                const char  *explicit_path,
                GError     **error)
{
  g_autoptr(CkConfig) self = g_object_new (CK_TYPE_CONFIG, NULL);
  g_autofree char *default_user_path = NULL;

  if (system_path == NULL)
    system_path = g_getenv ("CK_SYSTEM_CONFIG");
  if (system_path == NULL)
    system_path = CK_CONFIG_SYSTEM_PATH;
  if (user_path == NULL)
    user_path = default_user_path = g_build_filename (g_get_user_config_dir (),
                                                      CK_CONFIG_USER_FILE, NULL);

  if (!load_layer (self, system_path, FALSE, error) ||
      !load_layer (self, user_path, FALSE, error) ||
      (explicit_path != NULL && !load_layer (self, explicit_path, TRUE, error)))
    return NULL;

  apply_defaults (self);

  for (guint i = 0; i < N_KEYS; i++)
    if (_ck_config_keys[i].validate && !_ck_config_keys[i].validate (self, i, error))
      return NULL;

  return g_steal_pointer (&self);
}

/**
 * ck_config_get_warnings:
 *
 * Returns: (transfer none): translated messages about what was ignored
 *   (unknown groups and keys) or is risky, %NULL-terminated; empty if none
 */
const char * const *
ck_config_get_warnings (CkConfig *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);

  /* pdata stays NULL until something is added. */
  if (self->warnings->pdata == NULL)
    return none;

  return (const char * const *)self->warnings->pdata;
}
