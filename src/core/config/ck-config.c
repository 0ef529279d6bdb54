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
 * Every key is one line of keys[] below (group, key, kind, default, range
 * or choices, validator); reading, checking, defaults, sources and
 * `consentctl config` all walk that table. Adding a key means adding a
 * KeyId, its line in keys[] and a one-line getter.
 *
 * Values are checked as each file is read (type, range, choice, address,
 * absolute path), so the error names the file that holds the bad value;
 * checks that need the effective value of other keys or the file system
 * (template and ca_file readable, http:// only with allow_insecure_http,
 * an AppCode for aliyun-idcert) run once all layers are merged.
 *
 * The AppCode itself is only read by ck_config_dup_appcode(); no error,
 * warning or log message ever contains it. */

#define G_LOG_DOMAIN "ck-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck-config.h"
#include "ck-date.h"
#include "ck-file-private.h"
#include "ck-pin.h"
#include "ck-verify-state.h"

/* Configuration files larger than this are refused. */
#define MAX_CONFIG_SIZE (1024 * 1024)
/* An AppCode file holds 32 digits and a newline; anything this long is wrong. */
#define MAX_APPCODE_SIZE 256
#define APPCODE_LENGTH 32

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

G_DEFINE_QUARK (ck-config-error-quark, ck_config_error)
G_DEFINE_FINAL_TYPE (CkConfig, ck_config, G_TYPE_OBJECT)

static const char * const provider_choices[] = {
  [CK_VERIFIER_PROVIDER_ALIYUN_IDCERT] = "aliyun-idcert",
  [CK_VERIFIER_PROVIDER_DEMO] = "demo",
  [CK_VERIFIER_PROVIDER_NONE] = "none",
  NULL
};

static char     *default_kiosk_id      (CkConfig *self);
static char     *default_data_dir      (CkConfig *self);
static char     *default_provider      (CkConfig *self);
static gboolean  validate_regular_file (CkConfig *self, KeyId id, GError **error);
static gboolean  validate_provider     (CkConfig *self, KeyId id, GError **error);
static gboolean  validate_endpoint     (CkConfig *self, KeyId id, GError **error);
static gboolean  validate_insecure     (CkConfig *self, KeyId id, GError **error);
static gboolean  validate_pin_hash     (CkConfig *self, KeyId id, GError **error);
static gboolean  validate_date         (CkConfig *self, KeyId id, GError **error);

/* Organization strings default to empty: the letter then shows a visible
 * blank rather than a made-up company. */
static const KeyInfo keys[N_KEYS] = {
  [KEY_ORGANIZATION_NAME]                = { "organization", "name", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_BUSINESS]            = { "organization", "business", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_PURPOSE]             = { "organization", "purpose", KIND_STRING, .fallback = "" },
  [KEY_ORGANIZATION_EXAMPLE]             = { "organization", "example", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_ID]                         = { "kiosk", "id", KIND_STRING, FLAG_NOT_EMPTY, .default_func = default_kiosk_id },
  [KEY_KIOSK_DATA_DIR]                   = { "kiosk", "data_dir", KIND_PATH, FLAG_NOT_EMPTY, .default_func = default_data_dir },
  [KEY_KIOSK_IDLE_TIMEOUT_S]             = { "kiosk", "idle_timeout_s", KIND_UINT, .fallback = "90", .min = 15, .max = 3600 },
  [KEY_KIOSK_FULLSCREEN]                 = { "kiosk", "fullscreen", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_TEMPLATE]                   = { "kiosk", "template", KIND_PATH, .validate = validate_regular_file },
  [KEY_KIOSK_KIOSK_MODE]                 = { "kiosk", "kiosk_mode", KIND_BOOLEAN, .fallback = "false" },
  [KEY_KIOSK_STAFF_PIN_HASH]             = { "kiosk", "staff_pin_hash", KIND_STRING, .fallback = "", .validate = validate_pin_hash },
  [KEY_KIOSK_PRINTER]                    = { "kiosk", "printer", KIND_STRING, .fallback = "" },
  [KEY_VERIFICATION_PROVIDER]            = { "verification", "provider", KIND_CHOICE, .choices = provider_choices, .default_func = default_provider, .validate = validate_provider },
  [KEY_VERIFICATION_ENDPOINT]            = { "verification", "endpoint", KIND_URI, FLAG_NOT_EMPTY, .fallback = "https://idcert.market.alicloudapi.com/idcard", .validate = validate_endpoint },
  [KEY_VERIFICATION_ALLOW_INSECURE_HTTP] = { "verification", "allow_insecure_http", KIND_BOOLEAN, .fallback = "false", .validate = validate_insecure },
  [KEY_VERIFICATION_APPCODE_FILE]        = { "verification", "appcode_file", KIND_PATH },
  [KEY_VERIFICATION_CA_FILE]             = { "verification", "ca_file", KIND_PATH, .validate = validate_regular_file },
  [KEY_VERIFICATION_CONNECT_TIMEOUT_S]   = { "verification", "connect_timeout_s", KIND_UINT, .fallback = "5", .min = 1, .max = 60 },
  [KEY_VERIFICATION_TIMEOUT_S]           = { "verification", "timeout_s", KIND_UINT, .fallback = "15", .min = 1, .max = 300 },
  [KEY_VERIFICATION_MAX_ATTEMPTS]        = { "verification", "max_attempts", KIND_UINT, .fallback = G_STRINGIFY (CK_VERIFY_DEFAULT_MAX_ATTEMPTS), .min = 1, .max = 20 },
  [KEY_VERIFICATION_PACKAGE_SIZE]        = { "verification", "package_size", KIND_UINT, .fallback = "0", .min = 0, .max = 10000000 },
  [KEY_VERIFICATION_PACKAGE_START]       = { "verification", "package_start", KIND_STRING, .fallback = "", .validate = validate_date },
};

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

const char *
ck_verifier_provider_to_string (CkVerifierProvider provider)
{
  g_return_val_if_fail (provider < G_N_ELEMENTS (provider_choices) - 1, NULL);

  return provider_choices[provider];
}

static int
find_key (const char *group,
          const char *key)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].key, key))
      return (int)i;

  return -1;
}

static gboolean
is_known_group (const char *group)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (keys[i].group, group))
      return TRUE;

  return FALSE;
}

static const char *
source_label (const char *source)
{
  return source ? source : CK_CONFIG_SOURCE_DEFAULT;
}

/* Sets an error that names the file, the group and the key. */
G_GNUC_PRINTF (5, 6)
static void
set_key_error (GError        **error,
               CkConfigError   code,
               const char     *file,
               KeyId           id,
               const char     *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* TRANSLATORS: file, group, key, then what is wrong with the key's value */
  g_set_error (error, CK_CONFIG_ERROR, code, _("%s: [%s] %s: %s"),
               source_label (file), keys[id].group, keys[id].key, message);
}

G_GNUC_PRINTF (2, 3)
static void
add_warning (CkConfig   *self,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Parses @input (stripped of surrounding white space) as the value of key
 * @id and stores it in @value. */
static gboolean
parse_value (KeyId        id,
             const char  *file,
             const char  *input,
             Value       *value,
             GError     **error)
{
  const KeyInfo *info = &keys[id];
  g_autofree char *text = g_strstrip (g_strdup (input));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  guint number = 0;

  if (text[0] == '\0' && (info->flags & FLAG_NOT_EMPTY))
    {
      set_key_error (error, CK_CONFIG_ERROR_EMPTY, file, id, _("The value must not be empty."));
      return FALSE;
    }

  switch (info->kind)
    {
    case KIND_STRING:
      break;

    case KIND_PATH:
      if (text[0] == '\0')
        g_clear_pointer (&text, g_free);
      else if (!g_path_is_absolute (text))
        {
          set_key_error (error, CK_CONFIG_ERROR_RELATIVE_PATH, file, id,
                         _("“%s” is not an absolute path: give the full path, starting with /."),
                         text);
          return FALSE;
        }
      break;

    case KIND_UINT:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &n, &local_error) &&
            g_error_matches (local_error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_INVALID))
          {
            set_key_error (error, CK_CONFIG_ERROR_NOT_A_NUMBER, file, id,
                           _("“%s” is not a number."), text);
            return FALSE;
          }
        if (local_error != NULL || n < info->min || n > info->max)
          {
            set_key_error (error, CK_CONFIG_ERROR_OUT_OF_RANGE, file, id,
                           _("%s is out of range: use a whole number from %u to %u."),
                           text, info->min, info->max);
            return FALSE;
          }
        number = (guint)n;
        g_free (text);
        text = g_strdup_printf ("%u", number);
      }
      break;

    case KIND_BOOLEAN:
      if (g_str_equal (text, "true") || g_str_equal (text, "1"))
        number = TRUE;
      else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
        number = FALSE;
      else
        {
          set_key_error (error, CK_CONFIG_ERROR_NOT_A_BOOLEAN, file, id,
                         _("“%s” is neither true nor false."), text);
          return FALSE;
        }
      g_free (text);
      text = g_strdup (number ? "true" : "false");
      break;

    case KIND_CHOICE:
      for (number = 0; info->choices[number]; number++)
        if (g_str_equal (text, info->choices[number]))
          break;
      if (info->choices[number] == NULL)
        {
          g_autofree char *allowed = g_strjoinv (", ", (char **)info->choices);

          set_key_error (error, CK_CONFIG_ERROR_BAD_CHOICE, file, id,
                         _("“%s” is not allowed; the choices are: %s."), text, allowed);
          return FALSE;
        }
      break;

    case KIND_URI:
      if (!(uri = g_uri_parse (text, G_URI_FLAGS_NONE, &local_error)))
        {
          set_key_error (error, CK_CONFIG_ERROR_BAD_URI, file, id,
                         _("“%s” is not a valid address: %s."), text, local_error->message);
          return FALSE;
        }
      if ((g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
           g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0) ||
          g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
        {
          set_key_error (error, CK_CONFIG_ERROR_BAD_URI, file, id,
                         _("“%s” is not an https:// address."), text);
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_free (value->text);
  value->text = g_steal_pointer (&text);
  value->number = number;

  return TRUE;
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

      if (!is_known_group (groups[g]))
        {
          add_warning (self, _("%s: unknown group [%s], ignored."), path, groups[g]);
          continue;
        }

      names = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);
      for (guint k = 0; names[k]; k++)
        {
          g_autofree char *input = NULL;
          int id = find_key (groups[g], names[k]);

          if (id < 0)
            {
              add_warning (self, _("%s: [%s] unknown key “%s”, ignored."),
                           path, groups[g], names[k]);
              continue;
            }

          /* For an invalid escape, GLib returns a string and sets an error. */
          input = g_key_file_get_string (keyfile, groups[g], names[k], &local_error);
          if (input == NULL || local_error != NULL)
            {
              if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_UNKNOWN_ENCODING))
                set_key_error (error, CK_CONFIG_ERROR_INVALID_UTF8, path, id,
                               _("The value is not valid UTF-8 text."));
              else
                set_key_error (error, CK_CONFIG_ERROR_PARSE, path, id,
                               _("The value has an invalid escape sequence (a backslash "
                                 "not followed by s, n, t, r or another backslash)."));
              return FALSE;
            }

          if (!parse_value (id, path, input, &self->values[id], error))
            return FALSE;

          g_free (self->values[id].source);
          self->values[id].source = g_strdup (path);
        }
    }

  return TRUE;
}

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

      if (keys[i].default_func)
        text = computed = keys[i].default_func (self);
      else
        text = keys[i].fallback;

      g_clear_pointer (&self->values[i].text, g_free);
      if (text == NULL)
        continue;

      if (keys[i].kind == KIND_STRING || keys[i].kind == KIND_PATH)
        self->values[i].text = g_strdup (text);
      else if (!parse_value (i, NULL, text, &self->values[i], &error))
        g_error ("The default of [%s] %s is wrong: %s", keys[i].group, keys[i].key, error->message);
    }
}

static gboolean
validate_regular_file (CkConfig  *self,
                       KeyId      id,
                       GError   **error)
{
  const Value *value = &self->values[id];
  struct stat st;
  int saved_errno;
  int fd;

  if (value->text == NULL)
    return TRUE;

  fd = open (value->text, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      saved_errno = errno;
      set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source, id,
                     _("Cannot read “%s”: %s."), value->text, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source, id,
                     _("“%s” is not a regular file."), value->text);
      return FALSE;
    }
  close (fd);

  return TRUE;
}

static gboolean
validate_provider (CkConfig  *self,
                   KeyId      id,
                   GError   **error)
{
  if (self->values[id].number == CK_VERIFIER_PROVIDER_ALIYUN_IDCERT &&
      !ck_config_get_appcode_configured (self))
    {
      set_key_error (error, CK_CONFIG_ERROR_APPCODE_NOT_SET, self->values[id].source, id,
                     _("The aliyun-idcert provider needs an AppCode: set appcode_file in "
                       "[verification] or the CK_APPCODE environment variable."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_endpoint (CkConfig  *self,
                   KeyId      id,
                   GError   **error)
{
  const Value *value = &self->values[id];

  if (g_ascii_strncasecmp (value->text, "https:", 6) != 0 &&
      !self->values[KEY_VERIFICATION_ALLOW_INSECURE_HTTP].number)
    {
      set_key_error (error, CK_CONFIG_ERROR_INSECURE_URI, value->source, id,
                     _("“%s” is not an https:// address: plain HTTP would send the AppCode "
                       "and customers' data unencrypted."), value->text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_insecure (CkConfig  *self,
                   KeyId      id,
                   GError   **error)
{
  if (self->values[id].number)
    add_warning (self, _("%s: [%s] %s is true: plain HTTP is allowed. Use this only in tests."),
                 source_label (self->values[id].source), keys[id].group, keys[id].key);

  return TRUE;
}

static gboolean
validate_pin_hash (CkConfig  *self,
                   KeyId      id,
                   GError   **error)
{
  const Value *value = &self->values[id];
  g_autoptr(GError) local_error = NULL;

  if (value->text == NULL || value->text[0] == '\0')
    return TRUE;

  if (!ck_pin_check_hash (value->text, &local_error))
    {
      set_key_error (error, CK_CONFIG_ERROR_BAD_PIN_HASH, value->source, id,
                     "%s", local_error->message);
      return FALSE;
    }
  if (!ck_pin_hash_is_current (value->text))
    add_warning (self, _("%s: [%s] %s was made with fewer PBKDF2 iterations than %u: it still works, "
                         "but make it again with “consentctl pin-hash”."),
                 source_label (value->source), keys[id].group, keys[id].key, CK_PIN_DEFAULT_ITERATIONS);

  return TRUE;
}

static gboolean
validate_date (CkConfig  *self,
               KeyId      id,
               GError   **error)
{
  const Value *value = &self->values[id];
  g_autofree char *text = g_strstrip (g_strdup (value->text ? value->text : ""));

  if (text[0] != '\0' && !ck_date_parse (text, NULL))
    {
      set_key_error (error, CK_CONFIG_ERROR_BAD_DATE, value->source, id,
                     _("“%s” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31."), text);
      return FALSE;
    }

  return TRUE;
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
    if (keys[i].validate && !keys[i].validate (self, i, error))
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
      return source_label (self->values[KEY_VERIFICATION_APPCODE_FILE].text);
    }

  id = find_key (group, key);
  g_return_val_if_fail (id >= 0, NULL);

  return source_label (self->values[id].source);
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

  id = find_key (group, key);
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
    *group = keys[position].group;
  if (key)
    *key = keys[position].key;
}

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
                       keys[needed[i]].group, keys[needed[i]].key);
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

/**
 * ck_config_get_appcode_configured:
 *
 * Returns: whether an AppCode is configured, through `CK_APPCODE` (as it
 *   was when @self was made) or appcode_file; it is not read or checked
 */
gboolean
ck_config_get_appcode_configured (CkConfig *self)
{
  g_return_val_if_fail (CK_IS_CONFIG (self), FALSE);

  return self->appcode_in_environment ||
         self->values[KEY_VERIFICATION_APPCODE_FILE].text != NULL;
}

/**
 * ck_config_free_appcode:
 * @appcode: (nullable) (transfer full): from ck_config_dup_appcode()
 *
 * Overwrites the AppCode, then frees it.
 */
void
ck_config_free_appcode (char *appcode)
{
  if (appcode == NULL)
    return;

  explicit_bzero (appcode, strlen (appcode));
  g_free (appcode);
}

/* Reads appcode_file into @buffer: a regular file, not a symbolic link,
 * mode 0600. Error messages name the file, never its contents. */
static gboolean
read_appcode_file (CkConfig  *self,
                   char      *buffer,
                   gsize      size,
                   GError   **error)
{
  const Value *value = &self->values[KEY_VERIFICATION_APPCODE_FILE];
  const char *path = value->text;
  gsize length = 0;
  struct stat st;
  int saved_errno;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ELOOP)
        set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source,
                       KEY_VERIFICATION_APPCODE_FILE,
                       _("“%s” is a symbolic link: give the path of the file itself."), path);
      else
        set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source,
                       KEY_VERIFICATION_APPCODE_FILE,
                       _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      set_key_error (error, CK_CONFIG_ERROR_FILE_NOT_REGULAR, value->source,
                     KEY_VERIFICATION_APPCODE_FILE,
                     _("“%s” is not a regular file."), path);
      return FALSE;
    }

  if ((st.st_mode & 07777) != 0600)
    {
      close (fd);
      set_key_error (error, CK_CONFIG_ERROR_APPCODE_MODE, value->source,
                     KEY_VERIFICATION_APPCODE_FILE,
                     _("“%s” has mode %04o; it must be 0600 (readable and writable by its "
                       "owner only): chmod 600 %s"),
                     path, (guint)(st.st_mode & 07777), path);
      return FALSE;
    }

  while (length < size - 1)
    {
      gssize n = read (fd, buffer + length, size - 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          set_key_error (error, CK_CONFIG_ERROR_FILE_UNREADABLE, value->source,
                         KEY_VERIFICATION_APPCODE_FILE,
                         _("Cannot read “%s”: %s."), path, g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);
  buffer[length] = '\0';

  return TRUE;
}

static gboolean
is_appcode (const char *text)
{
  gsize i;

  for (i = 0; text[i]; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;

  return i == APPCODE_LENGTH;
}

/**
 * ck_config_dup_appcode:
 * @error: a #GError in the %CK_CONFIG_ERROR domain
 *
 * Reads the AppCode: from `CK_APPCODE` if it was set when @self was made,
 * else from appcode_file, which must be a regular file (not a symbolic
 * link) of mode 0600. A trailing newline is dropped; what is left must be
 * 32 hexadecimal digits. No error message contains the AppCode.
 *
 * Returns: (transfer full) (nullable): the AppCode; free it with
 *   ck_config_free_appcode()
 */
char *
ck_config_dup_appcode (CkConfig  *self,
                       GError   **error)
{
  char buffer[MAX_APPCODE_SIZE];
  const char *environment = NULL;
  char *appcode;
  gsize length;

  g_return_val_if_fail (CK_IS_CONFIG (self), NULL);

  if (self->appcode_in_environment)
    environment = g_getenv (CK_CONFIG_APPCODE_ENV);

  if (environment != NULL && environment[0] != '\0')
    {
      if (g_strlcpy (buffer, environment, sizeof buffer) >= sizeof buffer)
        buffer[0] = '\0';  /* far too long: fails the format check */
    }
  else if (!self->appcode_in_environment &&
           self->values[KEY_VERIFICATION_APPCODE_FILE].text != NULL)
    {
      if (!read_appcode_file (self, buffer, sizeof buffer, error))
        {
          explicit_bzero (buffer, sizeof buffer);
          return NULL;
        }
    }
  else
    {
      g_set_error_literal (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_NOT_SET,
                           _("No AppCode is configured: set appcode_file in [verification] "
                             "or the CK_APPCODE environment variable."));
      return NULL;
    }

  length = strlen (buffer);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';

  if (!is_appcode (buffer))
    {
      explicit_bzero (buffer, sizeof buffer);
      if (environment != NULL)
        g_set_error_literal (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_FORMAT,
                             _("The AppCode in the CK_APPCODE environment variable is not "
                               "32 hexadecimal digits."));
      else
        set_key_error (error, CK_CONFIG_ERROR_APPCODE_FORMAT,
                       self->values[KEY_VERIFICATION_APPCODE_FILE].source,
                       KEY_VERIFICATION_APPCODE_FILE,
                       _("The AppCode in “%s” is not 32 hexadecimal digits."),
                       self->values[KEY_VERIFICATION_APPCODE_FILE].text);
      return NULL;
    }

  appcode = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);

  return appcode;
}
