/* test-config.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ck.h"
#include "ck-test-util.h"

/* Made-up AppCodes, split so that they do not look like committed secrets. */
#define APPCODE       "0123456789abcdef" "0123456789ABCDEF"
#define OTHER_APPCODE "fedcba9876543210" "fedcba9876543210"
/* The PIN 123456 (tests/unit/test-pin.c). */
#define PIN_HASH "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$" \
                 "imjQBxEeE9WAa1HwKi1UL6Lhnt9Un0JiSp0wZ055Jgo="

typedef struct
{
  char *dir;
  char *system;
  char *user;
  char *explicit;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->system = g_build_filename (f->dir, "system.conf", NULL);
  f->user = g_build_filename (f->dir, "user.conf", NULL);
  f->explicit = g_build_filename (f->dir, "explicit.conf", NULL);
  g_unsetenv (CK_CONFIG_APPCODE_ENV);
  g_unsetenv ("CK_SYSTEM_CONFIG");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unsetenv (CK_CONFIG_APPCODE_ENV);
  g_unsetenv ("CK_SYSTEM_CONFIG");
  ck_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->system, g_free);
  g_clear_pointer (&f->user, g_free);
  g_clear_pointer (&f->explicit, g_free);
}

/* Writes @contents to @path with @mode; "@DIR@" stands for the fixture's
 * directory. */
static void
write_file (Fixture    *f,
            const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GString) text = g_string_new (contents);
  g_autoptr(GError) error = NULL;

  g_string_replace (text, "@DIR@", f->dir, 0);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static char *
fixture_path (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Loads with the given contents for the system, user and explicit files;
 * NULL means there is no such file (and no --config). */
static CkConfig *
load (Fixture     *f,
      const char  *system,
      const char  *user,
      const char  *explicit,
      GError     **error)
{
  const char *contents[] = { system, user, explicit };
  const char *paths[] = { f->system, f->user, f->explicit };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (contents[i])
        write_file (f, paths[i], contents[i], 0644);
      else
        g_unlink (paths[i]);
    }

  return ck_config_load (f->system, f->user, explicit ? f->explicit : NULL, error);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” contains “%s”", haystack, needle);
}

static void
assert_defaults (CkConfig *config)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "consent-kiosk", NULL);
  g_autoptr(GError) error = NULL;
  char *appcode;

  g_assert_cmpstr (ck_config_get_organization_name (config), ==, "");
  g_assert_cmpstr (ck_config_get_organization_business (config), ==, "");
  g_assert_cmpstr (ck_config_get_organization_purpose (config), ==, "");
  g_assert_false (ck_config_get_organization_example (config));
  g_assert_cmpstr (ck_config_get_kiosk_id (config), ==, g_get_host_name ());
  g_assert_cmpstr (ck_config_get_data_dir (config), ==, data_dir);
  g_assert_cmpuint (ck_config_get_idle_timeout_s (config), ==, 90);
  g_assert_false (ck_config_get_fullscreen (config));
  g_assert_null (ck_config_get_template_path (config));
  g_assert_false (ck_config_get_kiosk_mode (config));
  g_assert_null (ck_config_get_staff_pin_hash (config));
  g_assert_null (ck_config_get_printer (config));
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_DEMO);
  g_assert_cmpstr (ck_config_get_endpoint (config), ==,
                   "https://idcert.market.alicloudapi.com/idcard");
  g_assert_false (ck_config_get_allow_insecure_http (config));
  g_assert_null (ck_config_get_appcode_file (config));
  g_assert_null (ck_config_get_ca_file (config));
  g_assert_cmpuint (ck_config_get_connect_timeout_s (config), ==, 5);
  g_assert_cmpuint (ck_config_get_timeout_s (config), ==, 15);
  g_assert_cmpuint (ck_config_get_max_attempts (config), ==, 5);
  g_assert_cmpuint (ck_config_get_package_size (config), ==, 0);
  g_assert_null (ck_config_get_package_start (config));
  g_assert_false (ck_config_get_appcode_configured (config));
  g_assert_false (ck_config_get_central_configured (config));
  g_assert_null (ck_config_get_central_url (config));
  g_assert_null (ck_config_get_central_password_file (config));
  g_assert_null (ck_config_get_central_client_certificate (config));
  g_assert_null (ck_config_get_central_client_key (config));
  g_assert_null (ck_config_get_central_ca_file (config));
  g_assert_cmpuint (ck_config_get_central_sync_interval_s (config), ==, 60);
  g_assert_cmpuint (ck_config_get_central_batch_size (config), ==, 100);
  g_assert_true (ck_config_get_central_require_synced_before_purge (config));
  g_assert_cmpuint (ck_config_get_central_warn_after_s (config), ==, 3600);
  g_assert_null (ck_config_get_staff_export_dir (config));
  g_assert_cmpstrv (ck_config_get_warnings (config), ((const char * const[]) { NULL }));

  for (guint i = 0; i < ck_config_get_n_keys (); i++)
    {
      const char *group, *key;

      ck_config_get_key (i, &group, &key);
      g_assert_cmpstr (ck_config_get_source (config, group, key), ==, CK_CONFIG_SOURCE_DEFAULT);
    }
  g_assert_cmpstr (ck_config_get_source (config, "verification", "appcode"), ==,
                   CK_CONFIG_SOURCE_DEFAULT);

  appcode = ck_config_dup_appcode (config, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_NOT_SET);
  g_assert_null (appcode);
}

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  CkConfig *config;

  config = ck_config_new_defaults ();
  assert_defaults (config);
  g_assert_cmpuint (ck_config_get_n_keys (), ==, 45);
  value = ck_config_dup_value_text (config, "kiosk", "fullscreen");
  g_assert_cmpstr (value, ==, "false");
  g_free (value);
  /* No ID card reader unless one is configured, at 115200 baud. */
  g_assert_null (ck_config_get_card_reader_device (config));
  g_assert_cmpuint (ck_config_get_card_reader_baud (config), ==, 115200);
  /* Voice prompts are off unless asked for. */
  g_assert_false (ck_config_get_voice (config));
  value = ck_config_dup_value_text (config, "kiosk", "voice");
  g_assert_cmpstr (value, ==, "false");
  g_assert_null (ck_config_dup_value_text (config, "kiosk", "template"));
  g_assert_cmpstr (ck_verifier_provider_to_string (CK_VERIFIER_PROVIDER_ALIYUN_IDCERT), ==,
                   "aliyun-idcert");
  g_assert_finalize_object (config);

  /* No file at all is the same as the defaults. */
  config = load (f, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_defaults (config);
  g_assert_finalize_object (config);

  /* So are empty files. */
  config = load (f, "", "# nothing\n", "", &error);
  g_assert_no_error (error);
  assert_defaults (config);
  g_assert_finalize_object (config);
}

/* A consent is stored only with the organisation, its business and the
 * purpose named: the first key that is empty (or only spaces) is named. */
static void
test_organization (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *file;
    const char *missing;   /* NULL: complete */
  } cases[] = {
    { "", "[organization] name is not set" },
    { "[organization]\nname = 示例银行\n", "[organization] business is not set" },
    { "[organization]\nname = 示例银行\nbusiness = 个人贷款\npurpose =\n", "[organization] purpose is not set" },
    { "[organization]\nname = 示例银行\nbusiness = 个人贷款\npurpose = \u3000\n", "[organization] purpose is not set" },
    { "[organization]\nname = 示例银行\nbusiness = 个人贷款\npurpose = 身份核验\n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkConfig) config = load (f, NULL, NULL, cases[i].file, &error);

      g_assert_no_error (error);
      if (cases[i].missing == NULL)
        {
          g_assert_true (ck_config_check_organization (config, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (ck_config_check_organization (config, &error));
          g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_ORGANIZATION_NOT_SET);
          if (!g_str_has_prefix (error->message, cases[i].missing))
            g_error ("“%s” does not start with “%s”", error->message, cases[i].missing);
        }
    }
}

static void
test_every_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter = fixture_path (f, "letter.txt");
  g_autofree char *ca = fixture_path (f, "ca.pem");
  g_autofree char *appcode = fixture_path (f, "appcode");
  g_autofree char *data_dir = fixture_path (f, "data");
  CkConfig *config;

  write_file (f, letter, "# 授权书\n", 0644);
  write_file (f, ca, "-----BEGIN CERTIFICATE-----\n", 0644);
  write_file (f, appcode, APPCODE "\n", 0600);

  config = load (f, NULL, NULL,
                 "# every key\n"
                 "[organization]\n"
                 "name = 某某银行股份有限公司\n"
                 "business = 开立账户\n"
                 "purpose =   身份核验  \n"
                 "example = true\n"
                 "[kiosk]\n"
                 "id = branch-07\n"
                 "data_dir = @DIR@/data\n"
                 "idle_timeout_s = 120\n"
                 "fullscreen = true\n"
                 "template = @DIR@/letter.txt\n"
                 "kiosk_mode = true\n"
                 "staff_pin_hash = " PIN_HASH "\n"
                 "printer = Branch_Laser\n"
                 "voice = true\n"
                 "[verification]\n"
                 "provider = none\n"
                 "endpoint = https://verify.example.com:8443/idcard\n"
                 "allow_insecure_http = false\n"
                 "appcode_file = @DIR@/appcode\n"
                 "ca_file = @DIR@/ca.pem\n"
                 "connect_timeout_s = 60\n"
                 "timeout_s = 1\n"
                 "max_attempts = 20\n"
                 "package_size = 10000000\n"
                 "package_start = 2024-02-29\n"
                 "[signing]\n"
                 "certificate = @DIR@/ca.pem\n"
                 "key = pkcs11:token=kiosk;object=seal\n"
                 "key_password_file = @DIR@/appcode\n"
                 "pkcs11_module = @DIR@/ca.pem\n"
                 "chain = @DIR@/ca.pem\n"
                 "ca_file = @DIR@/ca.pem\n"
                 "tsa_url = http://127.0.0.1:3161/tsa\n"
                 "tsa_ca_file = @DIR@/ca.pem\n"
                 "tsa_timeout_s = 60\n"
                 "anchor_interval_s = 10\n"
                 "[central]\n"
                 "url = postgresql://kiosk_07@archive.example.com:5433/consents?connect_timeout=10\n"
                 "password_file = @DIR@/appcode\n"
                 "client_certificate = @DIR@/ca.pem\n"
                 "client_key = @DIR@/appcode\n"
                 "ca_file = @DIR@/ca.pem\n"
                 "sync_interval_s = 5\n"
                 "batch_size = 1000\n"
                 "require_synced_before_purge = false\n"
                 "warn_after_s = 604800\n"
                 "[staff]\n"
                 "export_dir = @DIR@/stick\n"
                 "[card_reader]\n"
                 "device = /dev/idcard-reader\n"
                 "baud = 9600\n",
                 &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ck_config_get_organization_name (config), ==, "某某银行股份有限公司");
  g_assert_cmpstr (ck_config_get_organization_business (config), ==, "开立账户");
  g_assert_cmpstr (ck_config_get_organization_purpose (config), ==, "身份核验");
  g_assert_true (ck_config_get_organization_example (config));
  g_assert_cmpstr (ck_config_get_kiosk_id (config), ==, "branch-07");
  g_assert_cmpstr (ck_config_get_data_dir (config), ==, data_dir);
  g_assert_cmpuint (ck_config_get_idle_timeout_s (config), ==, 120);
  g_assert_true (ck_config_get_fullscreen (config));
  g_assert_cmpstr (ck_config_get_template_path (config), ==, letter);
  g_assert_true (ck_config_get_kiosk_mode (config));
  g_assert_cmpstr (ck_config_get_staff_pin_hash (config), ==, PIN_HASH);
  g_assert_cmpstr (ck_config_get_printer (config), ==, "Branch_Laser");
  g_assert_true (ck_config_get_voice (config));
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_NONE);
  g_assert_cmpstr (ck_config_get_endpoint (config), ==, "https://verify.example.com:8443/idcard");
  g_assert_false (ck_config_get_allow_insecure_http (config));
  g_assert_cmpstr (ck_config_get_appcode_file (config), ==, appcode);
  g_assert_cmpstr (ck_config_get_ca_file (config), ==, ca);
  g_assert_cmpuint (ck_config_get_connect_timeout_s (config), ==, 60);
  g_assert_cmpuint (ck_config_get_timeout_s (config), ==, 1);
  g_assert_cmpuint (ck_config_get_max_attempts (config), ==, 20);
  g_assert_cmpuint (ck_config_get_package_size (config), ==, 10000000);
  g_assert_cmpstr (ck_config_get_package_start (config), ==, "2024-02-29");
  g_assert_true (ck_config_get_signing_configured (config));
  g_assert_cmpstr (ck_config_get_signing_certificate (config), ==, ca);
  g_assert_cmpstr (ck_config_get_signing_key (config), ==, "pkcs11:token=kiosk;object=seal");
  g_assert_cmpstr (ck_config_get_signing_key_password_file (config), ==, appcode);
  g_assert_cmpstr (ck_config_get_signing_pkcs11_module (config), ==, ca);
  g_assert_cmpstr (ck_config_get_signing_chain (config), ==, ca);
  g_assert_cmpstr (ck_config_get_signing_ca_file (config), ==, ca);
  g_assert_cmpstr (ck_config_get_tsa_url (config), ==, "http://127.0.0.1:3161/tsa");
  g_assert_cmpstr (ck_config_get_tsa_ca_file (config), ==, ca);
  g_assert_cmpuint (ck_config_get_tsa_timeout_s (config), ==, 60);
  g_assert_cmpuint (ck_config_get_anchor_interval_s (config), ==, 10);
  g_assert_true (ck_config_get_central_configured (config));
  g_assert_cmpstr (ck_config_get_central_url (config), ==,
                   "postgresql://kiosk_07@archive.example.com:5433/consents?connect_timeout=10");
  g_assert_cmpstr (ck_config_get_central_password_file (config), ==, appcode);
  g_assert_cmpstr (ck_config_get_central_client_certificate (config), ==, ca);
  g_assert_cmpstr (ck_config_get_central_client_key (config), ==, appcode);
  g_assert_cmpstr (ck_config_get_central_ca_file (config), ==, ca);
  g_assert_cmpuint (ck_config_get_central_sync_interval_s (config), ==, 5);
  g_assert_cmpuint (ck_config_get_central_batch_size (config), ==, 1000);
  g_assert_false (ck_config_get_central_require_synced_before_purge (config));
  g_assert_cmpuint (ck_config_get_central_warn_after_s (config), ==, 604800);
  {
    g_autofree char *stick = g_build_filename (f->dir, "stick", NULL);

    g_assert_cmpstr (ck_config_get_staff_export_dir (config), ==, stick);
  }
  g_assert_cmpstr (ck_config_get_card_reader_device (config), ==, "/dev/idcard-reader");
  g_assert_cmpuint (ck_config_get_card_reader_baud (config), ==, 9600);

  for (guint i = 0; i < ck_config_get_n_keys (); i++)
    {
      const char *group, *key;

      ck_config_get_key (i, &group, &key);
      g_assert_cmpstr (ck_config_get_source (config, group, key), ==, f->explicit);
    }
  g_assert_cmpstr (ck_config_get_source (config, "verification", "appcode"), ==, appcode);

  g_assert_finalize_object (config);
}

/* system < user < explicit, key by key. */
static void
test_layers (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *idle = NULL;
  CkConfig *config;

  config = load (f,
                 "[organization]\nname = S\nbusiness = S\npurpose = S\n"
                 "[kiosk]\nidle_timeout_s = 100\n",
                 "[organization]\nbusiness = U\npurpose = U\n"
                 "[kiosk]\nidle_timeout_s = 200\n",
                 "[organization]\npurpose = E\n",
                 &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ck_config_get_organization_name (config), ==, "S");
  g_assert_cmpstr (ck_config_get_source (config, "organization", "name"), ==, f->system);
  g_assert_cmpstr (ck_config_get_organization_business (config), ==, "U");
  g_assert_cmpstr (ck_config_get_source (config, "organization", "business"), ==, f->user);
  g_assert_cmpstr (ck_config_get_organization_purpose (config), ==, "E");
  g_assert_cmpstr (ck_config_get_source (config, "organization", "purpose"), ==, f->explicit);
  g_assert_cmpuint (ck_config_get_idle_timeout_s (config), ==, 200);
  g_assert_cmpstr (ck_config_get_source (config, "kiosk", "idle_timeout_s"), ==, f->user);
  idle = ck_config_dup_value_text (config, "kiosk", "idle_timeout_s");
  g_assert_cmpstr (idle, ==, "200");
  g_assert_cmpuint (ck_config_get_max_attempts (config), ==, 5);
  g_assert_cmpstr (ck_config_get_source (config, "verification", "max_attempts"), ==,
                   CK_CONFIG_SOURCE_DEFAULT);

  g_assert_finalize_object (config);
}

/* An empty path in a later layer un-sets the path an earlier one set. */
static void
test_unset_path (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter = fixture_path (f, "letter.txt");
  CkConfig *config;

  write_file (f, letter, "# 授权书\n", 0644);
  config = load (f, "[kiosk]\ntemplate = @DIR@/letter.txt\n", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_config_get_template_path (config), ==, letter);
  g_assert_finalize_object (config);

  config = load (f, "[kiosk]\ntemplate = @DIR@/letter.txt\n", "[kiosk]\ntemplate =\n", NULL,
                 &error);
  g_assert_no_error (error);
  g_assert_null (ck_config_get_template_path (config));
  g_assert_cmpstr (ck_config_get_source (config, "kiosk", "template"), ==, f->user);
  g_assert_finalize_object (config);
}

/* NULL paths: CK_SYSTEM_CONFIG (else /etc) and g_get_user_config_dir(). */
static void
test_default_paths (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_dir = g_build_filename (g_get_user_config_dir (), "consent-kiosk", NULL);
  g_autofree char *user_file = g_build_filename (user_dir, "kiosk.conf", NULL);
  CkConfig *config;

  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), g_get_tmp_dir ()));
  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), g_get_tmp_dir ()));
  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
  write_file (f, user_file, "[kiosk]\nid = from-user\n", 0644);
  write_file (f, f->system, "[kiosk]\nid = from-system\nfullscreen = true\n", 0644);
  g_setenv ("CK_SYSTEM_CONFIG", f->system, TRUE);

  config = ck_config_load (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_config_get_kiosk_id (config), ==, "from-user");
  g_assert_cmpstr (ck_config_get_source (config, "kiosk", "id"), ==, user_file);
  g_assert_true (ck_config_get_fullscreen (config));
  g_assert_cmpstr (ck_config_get_source (config, "kiosk", "fullscreen"), ==, f->system);
  g_assert_finalize_object (config);
  g_unlink (user_file);
}

static void
test_missing_explicit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = fixture_path (f, "no-such.conf");
  CkConfig *config;

  config = ck_config_load (f->system, f->user, missing, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_NOT_FOUND);
  g_assert_null (config);
  ck_test_assert_contains (error->message, missing);
}

static void
test_unreadable_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CkConfig *config;

  /* A directory where a file should be: an error even for the system file. */
  g_assert_cmpint (g_mkdir (f->system, 0700), ==, 0);
  config = ck_config_load (f->system, f->user, NULL, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_UNREADABLE);
  g_assert_null (config);
  ck_test_assert_contains (error->message, f->system);
}

static void
test_parse_error (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CkConfig *config;

  config = load (f, NULL, "[kiosk]\nthis is not a key file\n", NULL, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_PARSE);
  g_assert_null (config);
  ck_test_assert_contains (error->message, f->user);
  /* GKeyFile's own words follow. */
  ck_test_assert_contains (error->message, "this is not a key file");
}

/* Each kind of bad value: the error names the file, group and key. */
static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *contents;
    CkConfigError code;
    const char *group_key;
    const char *detail;
  } cases[] = {
    { "[kiosk]\nidle_timeout_s = ninety\n", CK_CONFIG_ERROR_NOT_A_NUMBER,
      "[kiosk] idle_timeout_s", "“ninety” is not a number" },
    { "[kiosk]\nidle_timeout_s = 9 0\n", CK_CONFIG_ERROR_NOT_A_NUMBER,
      "[kiosk] idle_timeout_s", "not a number" },
    { "[kiosk]\nidle_timeout_s = 14\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[kiosk] idle_timeout_s", "from 15 to 3600" },
    { "[kiosk]\nidle_timeout_s = 3601\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[kiosk] idle_timeout_s", "3601 is out of range" },
    { "[kiosk]\nidle_timeout_s = -90\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[kiosk] idle_timeout_s", "from 15 to 3600" },
    { "[kiosk]\nidle_timeout_s = 99999999999999999999999\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[kiosk] idle_timeout_s", "from 15 to 3600" },
    { "[card_reader]\nbaud = 12345\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[card_reader] baud", "12345 baud is not a speed" },
    { "[card_reader]\nbaud = 460800\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[card_reader] baud", "from 9600 to 230400" },
    { "[card_reader]\ndevice = ttyUSB0\n", CK_CONFIG_ERROR_RELATIVE_PATH,
      "[card_reader] device", "ttyUSB0" },
    { "[verification]\nconnect_timeout_s = 0\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[verification] connect_timeout_s", "from 1 to 60" },
    { "[verification]\ntimeout_s = 301\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[verification] timeout_s", "from 1 to 300" },
    { "[verification]\nmax_attempts = 21\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[verification] max_attempts", "from 1 to 20" },
    { "[verification]\npackage_size = 10000001\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[verification] package_size", "from 0 to 10000000" },
    { "[verification]\npackage_size = -1\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[verification] package_size", "from 0 to 10000000" },
    { "[verification]\npackage_size = 5k\n", CK_CONFIG_ERROR_NOT_A_NUMBER,
      "[verification] package_size", "“5k” is not a number" },
    { "[verification]\npackage_start = 2026-02-30\n", CK_CONFIG_ERROR_BAD_DATE,
      "[verification] package_start", "“2026-02-30” is not a date" },
    { "[verification]\npackage_start = 2026/11/01\n", CK_CONFIG_ERROR_BAD_DATE,
      "[verification] package_start", "YYYY-MM-DD" },
    { "[verification]\npackage_start = 1 November\n", CK_CONFIG_ERROR_BAD_DATE,
      "[verification] package_start", "not a date" },
    { "[kiosk]\nfullscreen = yes\n", CK_CONFIG_ERROR_NOT_A_BOOLEAN,
      "[kiosk] fullscreen", "“yes”" },
    { "[verification]\nprovider = aliyun\n", CK_CONFIG_ERROR_BAD_CHOICE,
      "[verification] provider", "aliyun-idcert, demo, none" },
    { "[verification]\nendpoint = idcert.example.com/idcard\n", CK_CONFIG_ERROR_BAD_URI,
      "[verification] endpoint", "not a valid address" },
    { "[verification]\nendpoint = ftp://idcert.example.com/idcard\n", CK_CONFIG_ERROR_BAD_URI,
      "[verification] endpoint", "https://" },
    { "[verification]\nendpoint = http://idcert.example.com/idcard\n", CK_CONFIG_ERROR_INSECURE_URI,
      "[verification] endpoint", "http://idcert.example.com/idcard" },
    { "[verification]\nendpoint =\n", CK_CONFIG_ERROR_EMPTY,
      "[verification] endpoint", "must not be empty" },
    { "[kiosk]\nid =   \n", CK_CONFIG_ERROR_EMPTY,
      "[kiosk] id", "must not be empty" },
    { "[kiosk]\ndata_dir =\n", CK_CONFIG_ERROR_EMPTY,
      "[kiosk] data_dir", "must not be empty" },
    { "[kiosk]\ndata_dir = consents\n", CK_CONFIG_ERROR_RELATIVE_PATH,
      "[kiosk] data_dir", "“consents” is not an absolute path" },
    { "[kiosk]\ntemplate = @DIR@/no-such-letter.txt\n", CK_CONFIG_ERROR_FILE_UNREADABLE,
      "[kiosk] template", "no-such-letter.txt" },
    { "[kiosk]\ntemplate = @DIR@\n", CK_CONFIG_ERROR_FILE_NOT_REGULAR,
      "[kiosk] template", "is not a regular file" },
    { "[verification]\nca_file = @DIR@/no-such-ca.pem\n", CK_CONFIG_ERROR_FILE_UNREADABLE,
      "[verification] ca_file", "no-such-ca.pem" },
    { "[verification]\nappcode_file = appcode\n", CK_CONFIG_ERROR_RELATIVE_PATH,
      "[verification] appcode_file", "“appcode”" },
    { "[organization]\nname = \xe6\x9f\x90\xff\n", CK_CONFIG_ERROR_INVALID_UTF8,
      "[organization] name", "UTF-8" },
    { "[organization]\nname = a\\qb\n", CK_CONFIG_ERROR_PARSE,
      "[organization] name", "escape" },
    { "[verification]\nprovider = aliyun-idcert\n", CK_CONFIG_ERROR_APPCODE_NOT_SET,
      "[verification] provider", "CK_APPCODE" },
    { "[kiosk]\nkiosk_mode = on\n", CK_CONFIG_ERROR_NOT_A_BOOLEAN,
      "[kiosk] kiosk_mode", "“on”" },
    { "[kiosk]\nstaff_pin_hash = 123456\n", CK_CONFIG_ERROR_BAD_PIN_HASH,
      "[kiosk] staff_pin_hash", "consentctl pin-hash" },
    { "[kiosk]\nstaff_pin_hash = pbkdf2-sha256$10$MDEyMzQ1Njc4OWFiY2RlZg==$"
      "imjQBxEeE9WAa1HwKi1UL6Lhnt9Un0JiSp0wZ055Jgo=\n", CK_CONFIG_ERROR_BAD_PIN_HASH,
      "[kiosk] staff_pin_hash", "iteration count" },
    { "[central]\nsync_interval_s = 4\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] sync_interval_s", "from 5 to 86400" },
    { "[central]\nsync_interval_s = 86401\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] sync_interval_s", "86401 is out of range" },
    { "[central]\nbatch_size = 0\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] batch_size", "from 1 to 1000" },
    { "[central]\nbatch_size = 1001\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] batch_size", "1001 is out of range" },
    { "[central]\nwarn_after_s = 59\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] warn_after_s", "from 60 to 604800" },
    { "[central]\nwarn_after_s = 604801\n", CK_CONFIG_ERROR_OUT_OF_RANGE,
      "[central] warn_after_s", "604801 is out of range" },
    { "[central]\nrequire_synced_before_purge = yes\n", CK_CONFIG_ERROR_NOT_A_BOOLEAN,
      "[central] require_synced_before_purge", "“yes”" },
    { "[central]\nca_file = @DIR@/no-such-ca.pem\n", CK_CONFIG_ERROR_FILE_UNREADABLE,
      "[central] ca_file", "no-such-ca.pem" },
    { "[central]\npassword_file = central.pass\n", CK_CONFIG_ERROR_RELATIVE_PATH,
      "[central] password_file", "“central.pass”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CkConfig *config;

      g_test_message ("case %u: %s", i, cases[i].group_key);
      config = load (f, NULL, NULL, cases[i].contents, &error);
      g_assert_null (config);
      g_assert_error (error, CK_CONFIG_ERROR, (int)cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, f->explicit));
      ck_test_assert_contains (error->message, cases[i].group_key);
      ck_test_assert_contains (error->message, cases[i].detail);
    }
}

/* A bad value is reported in the file that holds it. */
static void
test_error_names_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CkConfig *config;

  config = load (f, "[verification]\nmax_attempts = many\n", "[kiosk]\nid = x\n",
                 "[kiosk]\nfullscreen = true\n", &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_NOT_A_NUMBER);
  g_assert_null (config);
  ck_test_assert_contains (error->message, f->system);
  assert_lacks (error->message, f->user);
  assert_lacks (error->message, f->explicit);
}

static void
test_unknown_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const *warnings;
  CkConfig *config;

  config = load (f, NULL, "[kiosk]\nidel_timeout_s = 30\n[printer]\nname = lp0\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ck_config_get_idle_timeout_s (config), ==, 90);

  warnings = ck_config_get_warnings (config);
  g_assert_cmpuint (g_strv_length ((char **)warnings), ==, 2);
  ck_test_assert_contains (warnings[0], f->user);
  ck_test_assert_contains (warnings[0], "[kiosk]");
  ck_test_assert_contains (warnings[0], "idel_timeout_s");
  ck_test_assert_contains (warnings[1], f->user);
  ck_test_assert_contains (warnings[1], "[printer]");

  g_assert_finalize_object (config);
}

static void
test_appcode_mode (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (f, "appcode");
  CkConfig *config;
  char *appcode;

  write_file (f, path, APPCODE "\n", 0644);
  config = load (f, NULL, NULL, "[verification]\nappcode_file = @DIR@/appcode\n", &error);
  g_assert_no_error (error);

  appcode = ck_config_dup_appcode (config, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_MODE);
  g_assert_null (appcode);
  ck_test_assert_contains (error->message, f->explicit);
  ck_test_assert_contains (error->message, "[verification] appcode_file");
  ck_test_assert_contains (error->message, path);
  ck_test_assert_contains (error->message, "0644");
  assert_lacks (error->message, APPCODE);
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  appcode = ck_config_dup_appcode (config, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_MODE);
  ck_test_assert_contains (error->message, "0400");
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  appcode = ck_config_dup_appcode (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (appcode, ==, APPCODE);
  ck_config_free_appcode (appcode);
  g_assert_cmpstr (ck_config_get_source (config, "verification", "appcode"), ==, path);

  g_assert_finalize_object (config);
}

static void
test_appcode_not_regular (Fixture       *f,
                          gconstpointer  data)
{
  static const struct {
    const char *name;
    CkConfigError code;
    const char *detail;
  } cases[] = {
    { "link", CK_CONFIG_ERROR_FILE_NOT_REGULAR, "symbolic link" },
    { "dir", CK_CONFIG_ERROR_FILE_NOT_REGULAR, "not a regular file" },
    { "missing", CK_CONFIG_ERROR_FILE_UNREADABLE, "No such file" },
  };
  g_autofree char *target = fixture_path (f, "appcode");
  g_autofree char *link = fixture_path (f, "link");
  g_autofree char *dir = fixture_path (f, "dir");

  write_file (f, target, APPCODE "\n", 0600);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (g_mkdir (dir, 0600), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = g_strdup_printf ("[verification]\nappcode_file = @DIR@/%s\n",
                                                   cases[i].name);
      g_autofree char *path = fixture_path (f, cases[i].name);
      CkConfig *config;
      char *appcode;

      config = load (f, NULL, NULL, contents, &error);
      g_assert_no_error (error);
      appcode = ck_config_dup_appcode (config, &error);
      g_assert_null (appcode);
      g_assert_error (error, CK_CONFIG_ERROR, (int)cases[i].code);
      ck_test_assert_contains (error->message, path);
      ck_test_assert_contains (error->message, cases[i].detail);
      assert_lacks (error->message, APPCODE);
      g_assert_finalize_object (config);
    }
}

static void
test_appcode_format (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *contents;
    const char *expected;  /* NULL: refused */
  } cases[] = {
    { APPCODE, APPCODE },
    { APPCODE "\n", APPCODE },
    { APPCODE "\r\n", APPCODE },
    { APPCODE "\n\n", APPCODE },
    { APPCODE " \n", NULL },
    { " " APPCODE, NULL },
    { "0123456789abcdef0123456789ABCDEg", NULL },
    { "0123456789abcdef0123456789ABCDE", NULL },
    { APPCODE "0", NULL },
    { "", NULL },
    { APPCODE "\n" APPCODE "\n", NULL },
  };
  g_autofree char *path = fixture_path (f, "appcode");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CkConfig *config;
      char *appcode;

      g_test_message ("case %u", i);
      write_file (f, path, cases[i].contents, 0600);
      config = load (f, NULL, NULL, "[verification]\nappcode_file = @DIR@/appcode\n", &error);
      g_assert_no_error (error);
      appcode = ck_config_dup_appcode (config, &error);
      if (cases[i].expected)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (appcode, ==, cases[i].expected);
        }
      else
        {
          g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_FORMAT);
          g_assert_null (appcode);
          ck_test_assert_contains (error->message, path);
          ck_test_assert_contains (error->message, "[verification] appcode_file");
          if (cases[i].contents[0])
            assert_lacks (error->message, cases[i].contents);
          assert_lacks (error->message, "0123456789");
        }
      ck_config_free_appcode (appcode);
      g_assert_finalize_object (config);
    }
}

static void
test_appcode_environment (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (f, "appcode");
  CkConfig *config;
  char *appcode;

  /* The environment wins over appcode_file, even a file that would fail. */
  write_file (f, path, APPCODE "\n", 0644);
  g_setenv (CK_CONFIG_APPCODE_ENV, OTHER_APPCODE "\n", TRUE);
  config = load (f, NULL, NULL, "[verification]\nappcode_file = @DIR@/appcode\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_config_get_source (config, "verification", "appcode"), ==,
                   CK_CONFIG_SOURCE_ENVIRONMENT);
  appcode = ck_config_dup_appcode (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (appcode, ==, OTHER_APPCODE);
  ck_config_free_appcode (appcode);
  g_assert_finalize_object (config);

  /* A bad one is refused without being repeated. */
  g_setenv (CK_CONFIG_APPCODE_ENV, "secret-appcode-in-the-environment", TRUE);
  config = load (f, NULL, NULL, "", &error);
  g_assert_no_error (error);
  appcode = ck_config_dup_appcode (config, &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_APPCODE_FORMAT);
  g_assert_null (appcode);
  ck_test_assert_contains (error->message, "CK_APPCODE");
  assert_lacks (error->message, "secret");
  g_assert_finalize_object (config);

  /* An empty variable counts as not set. */
  g_clear_error (&error);
  g_setenv (CK_CONFIG_APPCODE_ENV, "", TRUE);
  config = load (f, NULL, NULL, "", &error);
  g_assert_no_error (error);
  g_assert_false (ck_config_get_appcode_configured (config));
  g_assert_finalize_object (config);
}

static void
test_provider_default (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (f, "appcode");
  CkConfig *config;

  write_file (f, path, APPCODE "\n", 0600);

  config = load (f, NULL, NULL, "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_DEMO);
  g_assert_finalize_object (config);

  config = load (f, NULL, "[verification]\nappcode_file = @DIR@/appcode\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ck_config_get_appcode_configured (config));
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_ALIYUN_IDCERT);
  g_assert_cmpstr (ck_config_get_source (config, "verification", "provider"), ==,
                   CK_CONFIG_SOURCE_DEFAULT);
  g_assert_finalize_object (config);

  /* Chosen explicitly, demo stays demo even with an AppCode. */
  config = load (f, NULL, "[verification]\nappcode_file = @DIR@/appcode\n",
                 "[verification]\nprovider = demo\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_DEMO);
  g_assert_finalize_object (config);

  g_setenv (CK_CONFIG_APPCODE_ENV, APPCODE, TRUE);
  config = load (f, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_ALIYUN_IDCERT);
  g_assert_finalize_object (config);

  config = ck_config_new_defaults ();
  g_assert_cmpint (ck_config_get_provider (config), ==, CK_VERIFIER_PROVIDER_ALIYUN_IDCERT);
  g_assert_finalize_object (config);
}

static void
test_insecure_http (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const *warnings;
  CkConfig *config;

  config = load (f, NULL, NULL,
                 "[verification]\nendpoint = http://127.0.0.1:8080/idcard\n", &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_INSECURE_URI);
  g_assert_null (config);
  g_clear_error (&error);

  /* allow_insecure_http may come from another layer than the endpoint. */
  config = load (f, "[verification]\nallow_insecure_http = true\n", NULL,
                 "[verification]\nendpoint = http://127.0.0.1:8080/idcard\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ck_config_get_endpoint (config), ==, "http://127.0.0.1:8080/idcard");
  g_assert_true (ck_config_get_allow_insecure_http (config));
  warnings = ck_config_get_warnings (config);
  g_assert_cmpuint (g_strv_length ((char **)warnings), ==, 1);
  ck_test_assert_contains (warnings[0], f->system);
  ck_test_assert_contains (warnings[0], "allow_insecure_http");
  g_assert_finalize_object (config);

  /* A later layer turning it off again wins. */
  config = load (f, "[verification]\nallow_insecure_http = true\n",
                 "[verification]\nallow_insecure_http = false\n",
                 "[verification]\nendpoint = http://127.0.0.1:8080/idcard\n", &error);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_INSECURE_URI);
  g_assert_null (config);
}

/* [central] url: a libpq URI of a role and a database, with no password,
 * verified against ca_file when the server is reached over the network.
 * A refused URI is never repeated (it may hold a password). */
static void
test_central_url (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *url;
    CkConfigError code;     /* -1: accepted */
    const char *detail;
  } cases[] = {
    /* Accepted: a TCP host with ca_file, or a socket without it. */
    { "postgresql://kiosk@archive.example.com/consents", -1, NULL },
    { "postgres://kiosk@archive.example.com:5433/consents?sslmode=verify-full&connect_timeout=5", -1, NULL },
    { "postgresql://kiosk@[2001:db8::5]/consents?application_name=branch-07", -1, NULL },
    { "postgresql://kiosk@%2Fvar%2Frun%2Fpostgresql/consents#NOCA", -1, NULL },
    { "postgresql://kiosk@/consents#NOCA", -1, NULL },
    { "postgresql:///consents?user=kiosk&host=/run/postgresql#NOCA", -1, NULL },
    { "postgresql://kiosk@,%2Frun%2Fpostgresql/consents#NOCA", -1, NULL },
    /* Not a PostgreSQL URI. */
    { "https://archive.example.com/consents", CK_CONFIG_ERROR_BAD_URI, "postgresql://ROLE@HOST/DBNAME" },
    { "host=archive.example.com user=kiosk dbname=consents", CK_CONFIG_ERROR_BAD_URI, "not a PostgreSQL connection URI" },
    { "POSTGRESQL://kiosk@archive.example.com/consents", CK_CONFIG_ERROR_BAD_URI, "not a PostgreSQL connection URI" },
    { "postgresql://kiosk@archive.example.com/consents?no_such_option=1", CK_CONFIG_ERROR_BAD_URI, "no_such_option" },
    /* A password, in the userinfo or as a parameter. */
    { "postgresql://kiosk:s3cret-pw@archive.example.com/consents", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk:@archive.example.com/consents", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?password=s3cret-pw", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?connect_timeout=5&password=s3cret-pw", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?pass%77ord=s3cret-pw", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?sslpassword=s3cret-pw", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    /* Caught before libpq, whose message would quote the password. */
    { "postgresql://kiosk:s3cret-pw%zz@archive.example.com/consents", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?password=s3cret-pw%zz", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?sslpassword=s3cret-pw%zz", CK_CONFIG_ERROR_PASSWORD_IN_URI, "password_file" },
    { "postgresql://kiosk@archive.example.com/consents?passwordless=1", CK_CONFIG_ERROR_BAD_URI, "passwordless" },
    /* No role, no database. */
    { "postgresql://archive.example.com/consents", CK_CONFIG_ERROR_BAD_URI, "names no user" },
    { "postgresql://@archive.example.com/consents", CK_CONFIG_ERROR_BAD_URI, "names no user" },
    { "postgresql://kiosk@archive.example.com", CK_CONFIG_ERROR_BAD_URI, "names no database" },
    { "postgresql://kiosk@archive.example.com/", CK_CONFIG_ERROR_BAD_URI, "names no database" },
    /* The server is always verified. */
    { "postgresql://kiosk@archive.example.com/consents?sslmode=require", CK_CONFIG_ERROR_INSECURE_URI, "remove sslmode" },
    { "postgresql://kiosk@archive.example.com/consents?sslmode=disable", CK_CONFIG_ERROR_INSECURE_URI, "sslmode=disable" },
    { "postgresql://kiosk@archive.example.com/consents?sslmode=verify-ca", CK_CONFIG_ERROR_INSECURE_URI, "always verifies the server" },
    { "postgresql://kiosk@archive.example.com/consents?ssl=true", CK_CONFIG_ERROR_INSECURE_URI, "sslmode=require" },
    { "postgresql://kiosk@%2Frun%2Fpostgresql/consents?sslmode=prefer#NOCA", CK_CONFIG_ERROR_INSECURE_URI, "remove sslmode" },
    /* Over the network without ca_file. */
    { "postgresql://kiosk@archive.example.com/consents#NOCA", CK_CONFIG_ERROR_EMPTY, "ca_file" },
    { "postgresql://kiosk@127.0.0.1:5432/consents#NOCA", CK_CONFIG_ERROR_EMPTY, "ca_file" },
    { "postgresql://kiosk@%2Frun%2Fpostgresql,archive.example.com/consents#NOCA", CK_CONFIG_ERROR_EMPTY, "ca_file" },
    { "postgresql://kiosk@/consents?hostaddr=192.0.2.7#NOCA", CK_CONFIG_ERROR_EMPTY, "ca_file" },
  };
  g_autofree char *ca = fixture_path (f, "ca.pem");

  write_file (f, ca, "-----BEGIN CERTIFICATE-----\n", 0644);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkConfig) config = NULL;
      g_autofree char *url = g_strdup (cases[i].url);
      char *no_ca = strstr (url, "#NOCA");
      g_autofree char *contents = NULL;

      if (no_ca)
        *no_ca = '\0';
      contents = g_strdup_printf ("[central]\nurl = %s\n%s", url,
                                  no_ca ? "" : "ca_file = @DIR@/ca.pem\n");
      g_test_message ("case %u: %s", i, contents);
      config = load (f, NULL, NULL, contents, &error);
      if ((int)cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ck_config_get_central_configured (config));
          g_assert_cmpstr (ck_config_get_central_url (config), ==, url);
          continue;
        }
      g_assert_null (config);
      g_assert_error (error, CK_CONFIG_ERROR, (int)cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, f->explicit));
      ck_test_assert_contains (error->message, "[central] url");
      ck_test_assert_contains (error->message, cases[i].detail);
      assert_lacks (error->message, "s3cret");
    }
}

/* password_file and client_key hold secrets: regular files of mode 0600,
 * not symbolic links; client_certificate and ca_file are readable regular
 * files; the certificate and its key go together; a password and a key
 * may both be given. */
static void
test_central_files (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *contents;
    CkConfigError code;     /* -1: accepted */
    const char *group_key;
    const char *detail;
  } cases[] = {
    { "password_file = @DIR@/central.pass\n", -1, NULL, NULL },
    { "password_file = @DIR@/central.pass\nclient_certificate = @DIR@/client.crt\n"
      "client_key = @DIR@/client.key\n", -1, NULL, NULL },
    { "password_file = @DIR@/loose.pass\n", CK_CONFIG_ERROR_SECRET_MODE,
      "[central] password_file", "chmod 600" },
    { "password_file = @DIR@/link.pass\n", CK_CONFIG_ERROR_FILE_NOT_REGULAR,
      "[central] password_file", "symbolic link" },
    { "password_file = @DIR@\n", CK_CONFIG_ERROR_FILE_NOT_REGULAR,
      "[central] password_file", "not a regular file" },
    { "password_file = @DIR@/no-such.pass\n", CK_CONFIG_ERROR_FILE_UNREADABLE,
      "[central] password_file", "no-such.pass" },
    { "client_certificate = @DIR@\nclient_key = @DIR@/client.key\n", CK_CONFIG_ERROR_FILE_NOT_REGULAR,
      "[central] client_certificate", "not a regular file" },
    { "client_certificate = @DIR@/no-such.crt\nclient_key = @DIR@/client.key\n",
      CK_CONFIG_ERROR_FILE_UNREADABLE, "[central] client_certificate", "no-such.crt" },
    { "client_certificate = @DIR@/client.crt\nclient_key = @DIR@/loose.pass\n",
      CK_CONFIG_ERROR_SECRET_MODE, "[central] client_key", "0644" },
    { "client_certificate = @DIR@/client.crt\nclient_key = @DIR@/link.pass\n",
      CK_CONFIG_ERROR_FILE_NOT_REGULAR, "[central] client_key", "symbolic link" },
    { "client_certificate = @DIR@/client.crt\n", CK_CONFIG_ERROR_EMPTY,
      "[central] client_certificate", "client_key is not set" },
    { "client_key = @DIR@/client.key\n", CK_CONFIG_ERROR_EMPTY,
      "[central] client_key", "client_certificate is not set" },
    { "ca_file = @DIR@\n", CK_CONFIG_ERROR_FILE_NOT_REGULAR,
      "[central] ca_file", "not a regular file" },
  };
  g_autofree char *pass = fixture_path (f, "central.pass");
  g_autofree char *loose = fixture_path (f, "loose.pass");
  g_autofree char *link = fixture_path (f, "link.pass");
  g_autofree char *crt = fixture_path (f, "client.crt");
  g_autofree char *key = fixture_path (f, "client.key");

  write_file (f, pass, "s3cret-pw\n", 0600);
  write_file (f, loose, "s3cret-pw\n", 0644);
  write_file (f, crt, "-----BEGIN CERTIFICATE-----\n", 0644);
  write_file (f, key, "-----BEGIN PRIVATE KEY-----\n", 0600);
  g_assert_cmpint (symlink (pass, link), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CkConfig) config = NULL;
      g_autofree char *contents = g_strconcat ("[central]\n", cases[i].contents, NULL);

      g_test_message ("case %u: %s", i, cases[i].contents);
      config = load (f, NULL, NULL, contents, &error);
      if ((int)cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (ck_config_get_central_password_file (config), ==, pass);
          continue;
        }
      g_assert_null (config);
      g_assert_error (error, CK_CONFIG_ERROR, (int)cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, f->explicit));
      ck_test_assert_contains (error->message, cases[i].group_key);
      ck_test_assert_contains (error->message, cases[i].detail);
      assert_lacks (error->message, "s3cret");
    }
}

/* data/kiosk.conf.example documents every key, in its group, and is
 * itself a valid configuration. */
static void
test_example (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *path;
  CkConfig *config;

  path = g_test_get_filename (G_TEST_DIST, "..", "data", "kiosk.conf.example", NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; i < ck_config_get_n_keys (); i++)
    {
      g_autofree char *header = NULL;
      g_autofree char *line = NULL;
      const char *group, *key, *current = NULL;
      gboolean found = FALSE;

      ck_config_get_key (i, &group, &key);
      header = g_strdup_printf ("[%s]", group);
      line = g_strdup_printf ("#%s =", key);
      for (guint l = 0; lines[l] && !found; l++)
        {
          if (lines[l][0] == '[')
            current = lines[l];
          else if (current && g_str_equal (current, header) && g_str_has_prefix (lines[l], line))
            found = TRUE;
        }
      if (!found)
        g_error ("%s does not show “%s” in %s", path, line, header);
    }

  config = ck_config_load (f->system, f->user, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (ck_config_get_warnings (config), ((const char * const[]) { NULL }));
  g_assert_finalize_object (config);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *data_home = NULL;
  int status;

  /* XDG directories of our own, set before GLib caches them, so that no
   * test reads or writes the real user's. (G_TEST_OPTION_ISOLATE_DIRS
   * would leak on purpose, which fails the sanitizer build.) */
  home = g_dir_make_tmp ("test-config-home-XXXXXX", &error);
  g_assert_no_error (error);
  config_home = g_build_filename (home, "config", NULL);
  data_home = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  ADD ("/config/defaults", test_defaults);
  ADD ("/config/every-key", test_every_key);
  ADD ("/config/organization", test_organization);
  ADD ("/config/layers", test_layers);
  ADD ("/config/unset-path", test_unset_path);
  ADD ("/config/default-paths", test_default_paths);
  ADD ("/config/error/missing-explicit", test_missing_explicit);
  ADD ("/config/error/unreadable", test_unreadable_file);
  ADD ("/config/error/parse", test_parse_error);
  ADD ("/config/error/bad-values", test_bad_values);
  ADD ("/config/error/names-file", test_error_names_file);
  ADD ("/config/unknown-keys", test_unknown_keys);
  ADD ("/config/appcode/mode", test_appcode_mode);
  ADD ("/config/appcode/not-regular", test_appcode_not_regular);
  ADD ("/config/appcode/format", test_appcode_format);
  ADD ("/config/appcode/environment", test_appcode_environment);
  ADD ("/config/provider-default", test_provider_default);
  ADD ("/config/insecure-http", test_insecure_http);
  ADD ("/config/central/url", test_central_url);
  ADD ("/config/central/files", test_central_files);
  ADD ("/config/example", test_example);

  status = g_test_run ();
  ck_test_rm_rf (home);

  return status;
}
