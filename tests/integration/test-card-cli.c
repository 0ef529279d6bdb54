/* test-card-cli.c: consentctl card-read against the simulated reader
 * (tests/ck-test-card-sim.h), as IT runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ck.h"
#include "ck-test-card-sim.h"
#include "ck-test-util.h"

typedef struct
{
  char *dir;
  char *data_dir;
  CkTestCardSim *sim;
  GPtrArray *env;
  char *number;
  char *masked;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *conf = NULL;

  f->dir = g_dir_make_tmp ("test-card-cli-XXXXXX", NULL);
  f->data_dir = g_build_filename (f->dir, "store", NULL);
  f->sim = ck_test_card_sim_new ();
  /* the reader named by the configuration, as at a kiosk */
  conf = g_strdup_printf ("[card_reader]\ndevice = %s\n", ck_test_card_sim_get_path (f->sim));
  f->env = ck_test_consentctl_env (f->dir, conf);
  f->number = ck_test_card_dup_number (CK_TEST_CARD_NORMAL);
  f->masked = ck_idcard_mask_number (f->number);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ck_test_card_sim_free (f->sim);
  g_ptr_array_unref (f->env);
  ck_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->number);
  g_free (f->masked);
}

#define ARGV(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };

  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);
  ck_test_run_keeping (&run, f->env, ARGV ("card-read"), f->number);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "Name:       王试样\n");
  ck_test_assert_contains (run.out, "Sex:        male\n");
  ck_test_assert_contains (run.out, "Nation:     01 汉\n");
  ck_test_assert_contains (run.out, "Birth date: 1990-03-07\n");
  ck_test_assert_contains (run.out, f->masked);
  ck_test_assert_contains (run.out, "Valid to:   2040-01-01\n");
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) env = g_ptr_array_new_null_terminated (8, NULL, TRUE);
  JsonObject *object;

  /* --device, with no reader configured */
  for (guint i = 0; i < f->env->len; i++)
    if (!g_str_has_prefix (f->env->pdata[i], "CK_SYSTEM_CONFIG="))
      g_ptr_array_add (env, f->env->pdata[i]);
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_LONG_TERM);
  ck_test_run_keeping (&run, env, ARGV ("card-read", "--device", ck_test_card_sim_get_path (f->sim), "--json"),
                       f->number);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "赵长期");
  g_assert_cmpstr (json_object_get_string_member (object, "sex"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (object, "nation_name"), ==, "汉");
  g_assert_cmpstr (json_object_get_string_member (object, "valid_to"), ==, "长期");
  {
    g_autofree char *number = ck_test_card_dup_number (CK_TEST_CARD_LONG_TERM);
    g_autofree char *masked = ck_idcard_mask_number (number);

    g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, masked);
    g_assert_null (strstr (run.out, number));
  }
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };

  ck_test_run_consentctl (&run, (const char * const *)f->env->pdata, ARGV ("card-read", "--status"));
  g_assert_cmpint (run.status, ==, 0);
  ck_test_assert_contains (run.out, "SAM id: 05.01-20101010-0012345678-1234567890\n");
  /* a status is no read */
  g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x20, 0x01), ==, 0);
}

static guint
count_reveals (const char *data_dir,
               const char *operator_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = ck_store_open (data_dir, CK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(GPtrArray) events = NULL;
  guint n = 0;

  g_assert_no_error (error);
  events = ck_store_list_events (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const CkStoreEvent *e = events->pdata[i];

      if (g_str_equal (e->kind, "reveal") && e->consent_uuid == NULL &&
          g_strcmp0 (e->operator_name, operator_name) == 0 && strstr (e->detail, "consentctl card-read"))
        n++;
    }
  return n;
}

static void
test_unmask (Fixture       *f,
             gconstpointer  data)
{
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_NORMAL);

  /* who, first */
  {
    g_auto(CkTestRun) run = { 0 };

    ck_test_run_keeping (&run, f->env, ARGV ("--data-dir", f->data_dir, "card-read", "--unmask"), f->number);
    g_assert_cmpint (run.status, ==, 2);
    ck_test_assert_contains (run.err, "--operator");
  }

  /* no store to record the reveal in: no number */
  {
    g_auto(CkTestRun) run = { 0 };

    ck_test_run_keeping (&run, f->env,
                         ARGV ("--data-dir", f->data_dir, "card-read", "--unmask", "--operator", "审计员乙"),
                         f->number);
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "no store in");
    g_assert_cmpuint (ck_test_card_sim_count_requests (f->sim, 0x30, 0x01), ==, 0);
  }

  /* with the store: whole, and recorded */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(CkStore) store = ck_store_open (f->data_dir, CK_STORE_OPEN_RECOVER, &error);

    g_assert_no_error (error);
    g_clear_object (&store);
    ck_test_run_consentctl (&run, (const char * const *)f->env->pdata,
                            ARGV ("--data-dir", f->data_dir, "card-read", "--unmask", "--operator", "审计员乙"));
    g_assert_cmpint (run.status, ==, 0);
    ck_test_assert_contains (run.out, f->number);
    g_assert_cmpuint (count_reveals (f->data_dir, "审计员乙"), ==, 1);
  }
}

static void
test_no_card (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };

  ck_test_run_consentctl (&run, (const char * const *)f->env->pdata, ARGV ("card-read"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  ck_test_assert_contains (run.err, "No ID card on the reader");
}

static void
test_missing_device (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };

  ck_test_run_consentctl (&run, (const char * const *)f->env->pdata,
                          ARGV ("card-read", "--device", "/dev/no-such-idcard-reader"));
  g_assert_cmpint (run.status, ==, 1);
  ck_test_assert_contains (run.err, "/dev/no-such-idcard-reader is not there");
}

/* No reader at all: said, as a usage error. */
static void
test_no_reader (Fixture       *f,
                gconstpointer  data)
{
  g_auto(CkTestRun) run = { 0 };
  g_autoptr(GPtrArray) env = ck_test_consentctl_env (f->dir, "");

  ck_test_run_consentctl (&run, (const char * const *)env->pdata, ARGV ("card-read"));
  g_assert_cmpint (run.status, ==, 2);
  ck_test_assert_contains (run.err, "[card_reader] device");
}

static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  ck_test_card_sim_place (f->sim, CK_TEST_CARD_EXPIRED);

  {
    g_auto(CkTestRun) run = { 0 };

    ck_test_run_consentctl (&run, (const char * const *)f->env->pdata, ARGV ("card-read"));
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.out, "Valid to:   2020-01-01\n");
    ck_test_assert_contains (run.err, "expired (valid until 2020-01-01)");
  }

  /* and in Chinese, as the kiosk says it */
  {
    g_auto(CkTestRun) run = { 0 };
    g_autoptr(GPtrArray) env = g_ptr_array_new_null_terminated (8, NULL, TRUE);

    for (guint i = 0; i < f->env->len; i++)
      g_ptr_array_add (env, f->env->pdata[i]);
    g_ptr_array_add (env, (char *)"LANGUAGE=zh_CN");
    g_ptr_array_add (env, (char *)"LC_ALL=zh_CN.UTF-8");
    ck_test_run_consentctl (&run, (const char * const *)env->pdata, ARGV ("card-read"));
    g_assert_cmpint (run.status, ==, 1);
    ck_test_assert_contains (run.err, "身份证已过期（有效期至 2020年1月1日）");
  }
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  ADD ("/card-cli/read", test_read);
  ADD ("/card-cli/json", test_json);
  ADD ("/card-cli/status", test_status);
  ADD ("/card-cli/unmask", test_unmask);
  ADD ("/card-cli/no-card", test_no_card);
  ADD ("/card-cli/missing-device", test_missing_device);
  ADD ("/card-cli/no-reader", test_no_reader);
  ADD ("/card-cli/expired", test_expired);

  return g_test_run ();
}
