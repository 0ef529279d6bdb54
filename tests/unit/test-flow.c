/* test-flow.c: the consent flow state machine, CkFlow
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ck.h"
#include "ck-flow-private.h"
#include "ck-test-util.h"

#define NAME      "张三"
#define ID_NUMBER "11010519491231002X"

static CkFontSet *fonts;

typedef struct
{
  char *dir;
  char *data_dir;
  CkConfig *config;
  CkStore *store;
  CkTemplate *template;
  CkSignature *signature;
  CkFlow *flow;
  GArray *notified;     /* CkFlowState at each notify::state */
} Fixture;


static void
on_notify_state (CkFlow     *flow,
                 GParamSpec *pspec,
                 Fixture    *f)
{
  CkFlowState state = ck_flow_get_state (flow);

  g_array_append_val (f->notified, state);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *no_system = NULL;
  g_autofree char *no_user = NULL;

  f->dir = g_dir_make_tmp ("test-flow-XXXXXX", &error);
  g_assert_no_error (error);

  /* Only this file: no system or user configuration. */
  conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  no_system = g_build_filename (f->dir, "no-system.conf", NULL);
  no_user = g_build_filename (f->dir, "no-user.conf", NULL);
  g_file_set_contents (conf,
                       "[organization]\n"
                       "name = 示例银行股份有限\n"
                       "business = 个人贷款\n"
                       "purpose = 身份核验\n"
                       "[kiosk]\n"
                       "id = branch-042-kiosk-1\n"
                       "[verification]\n"
                       "provider = demo\n",
                       -1, &error);
  g_assert_no_error (error);
  f->config = ck_config_load (no_system, no_user, conf, &error);
  g_assert_no_error (error);

  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->store = ck_store_open (f->data_dir, CK_STORE_OPEN_RECOVER, &error);
  g_assert_no_error (error);

  f->template = ck_template_new_default (&error);
  g_assert_no_error (error);
  f->signature = ck_sample_signature_new (400);

  f->flow = ck_flow_new (f->config, f->store, fonts);
  ck_flow_set_operator (f->flow, "operator-7");
  f->notified = g_array_new (FALSE, FALSE, sizeof (CkFlowState));
  g_signal_connect (f->flow, "notify::state", G_CALLBACK (on_notify_state), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->flow, f);
  /* Not g_assert_finalize_object(): the save's worker thread may drop its
   * references a moment after the caller heard of the result. */
  g_clear_object (&f->flow);
  g_clear_object (&f->signature);
  g_clear_object (&f->template);
  g_clear_object (&f->store);
  g_clear_object (&f->config);
  g_clear_pointer (&f->notified, g_array_unref);
  ck_test_rm_rf (f->dir);
  g_clear_pointer (&f->data_dir, g_free);
  g_clear_pointer (&f->dir, g_free);
}

static CkSignature *
load_signature (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "signature",
                                                 name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CkSignature *signature;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  signature = ck_signature_deserialize (bytes, &error);
  g_assert_no_error (error);

  return signature;
}

/* Another valid ID number, with its check character computed. */
static char *
other_id_number (void)
{
  const char *first17 = "44030619851015123";

  return g_strdup_printf ("%s%c", first17, ck_idcard_compute_check_character (first17));
}

static gint64
store_count (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 count = ck_store_count (f->store, &error);

  g_assert_no_error (error);
  return count;
}

static void
assert_store_clean (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = ck_store_check (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("# %s\n", (const char *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_notified (Fixture           *f,
                 const CkFlowState *expected,
                 guint              n_expected)
{
  for (guint i = 0; i < MIN (n_expected, f->notified->len); i++)
    g_assert_cmpstr (ck_flow_state_to_string (g_array_index (f->notified, CkFlowState, i)), ==,
                     ck_flow_state_to_string (expected[i]));
  g_assert_cmpuint (f->notified->len, ==, n_expected);
}

/* Walks the flow from where it is to @target (signed at most) with the
 * standard values. */
static void
advance_to (Fixture     *f,
            CkFlowState  target)
{
  g_autoptr(GError) error = NULL;

  while (ck_flow_get_state (f->flow) < target)
    {
      switch (ck_flow_get_state (f->flow))
        {
        case CK_FLOW_STATE_IDLE:
          g_assert_true (ck_flow_show (f->flow, f->template, &error));
          break;
        case CK_FLOW_STATE_READING:
          g_assert_true (ck_flow_agree (f->flow, TRUE, TRUE, &error));
          break;
        case CK_FLOW_STATE_AGREED:
          g_assert_true (ck_flow_set_details (f->flow, NAME, ID_NUMBER, &error));
          break;
        case CK_FLOW_STATE_DETAILS_VALID:
          g_assert_true (ck_flow_set_signature (f->flow, f->signature, &error));
          break;
        case CK_FLOW_STATE_SIGNED:
        case CK_FLOW_STATE_SAVING:
        case CK_FLOW_STATE_SAVED:
        case CK_FLOW_STATE_VERIFYING:
        case CK_FLOW_STATE_DONE:
        default:
          g_assert_not_reached ();
        }
      g_assert_no_error (error);
    }
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, target);
}

static CkConsentRecord *
save_sync (Fixture  *f,
           GError  **error)
{
  return ck_flow_save (f->flow, NULL, error);
}

typedef struct
{
  GMainLoop *loop;
  CkConsentRecord *record;
  GError *error;
  CkFlowState state_in_callback;
} AsyncSave;

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncSave *save = user_data;

  save->state_in_callback = ck_flow_get_state (CK_FLOW (object));
  save->record = ck_flow_save_finish (CK_FLOW (object), result, &save->error);
  g_main_loop_quit (save->loop);
}

static CkConsentRecord *
save_async (Fixture       *f,
            GCancellable  *cancellable,
            GError       **error)
{
  AsyncSave save = { 0 };

  save.loop = g_main_loop_new (NULL, FALSE);
  ck_flow_save_async (f->flow, cancellable, save_cb, &save);
  g_main_loop_run (save.loop);
  g_main_loop_unref (save.loop);

  /* The flow moved on before the caller heard of it. */
  g_assert_cmpint (save.state_in_callback, ==, ck_flow_get_state (f->flow));
  if (save.record)
    g_assert_cmpint (save.state_in_callback, ==, CK_FLOW_STATE_SAVED);

  if (save.error)
    g_propagate_error (error, save.error);
  return save.record;
}

/* The stored consent is what the flow was given. */
static void
assert_stored (Fixture               *f,
               const CkConsentRecord *saved,
               const char            *name,
               const char            *id_number,
               CkSignature           *signature)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) r = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) signed_bytes = ck_signature_serialize (signature);
  g_autofree char *pdf_sha256 = NULL;

  g_assert_cmpstr (ck_flow_get_consent_id (f->flow), ==, saved->uuid);
  g_assert_true (g_uuid_string_is_valid (saved->uuid));

  r = ck_store_lookup (f->store, saved->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->name, ==, name);
  g_assert_cmpstr (r->id_number, ==, id_number);
  g_assert_cmpstr (r->template_sha256, ==, ck_template_get_sha256 (f->template));
  g_assert_true (g_bytes_equal (r->signature, signed_bytes));
  g_assert_cmpstr (r->org_name, ==, "示例银行股份有限");
  g_assert_cmpstr (r->org_business, ==, "个人贷款");
  g_assert_cmpstr (r->org_purpose, ==, "身份核验");
  g_assert_cmpstr (r->kiosk_id, ==, "branch-042-kiosk-1");
  g_assert_cmpstr (r->operator_name, ==, "operator-7");
  g_assert_true (r->demo);
  g_assert_cmpstr (r->pdf_sha256, ==, saved->pdf_sha256);
  g_assert_cmpstr (r->row_hash, ==, saved->row_hash);

  pdf = ck_store_read_pdf (f->store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (pdf), ==, r->pdf_size);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
  pdf_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_assert_cmpstr (pdf_sha256, ==, r->pdf_sha256);

  assert_store_clean (f);
}

static const CkFlowState happy_states[] = {
  CK_FLOW_STATE_READING, CK_FLOW_STATE_AGREED, CK_FLOW_STATE_DETAILS_VALID,
  CK_FLOW_STATE_SIGNED, CK_FLOW_STATE_SAVING, CK_FLOW_STATE_SAVED,
};

static void
run_happy_path (Fixture  *f,
                gboolean  async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) record = NULL;

  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_IDLE);
  g_assert_null (ck_flow_get_consent_id (f->flow));

  g_assert_true (ck_flow_show (f->flow, f->template, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_READING);
  g_assert_true (ck_flow_agree (f->flow, TRUE, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_AGREED);
  /* Entered with spaces, full-width digits and a small x: stored normalized. */
  g_assert_true (ck_flow_set_details (f->flow, " 张三 ", "１１０１０５１９４９１２３１００２ｘ", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_DETAILS_VALID);
  g_assert_null (ck_flow_dup_upgrade_notice (f->flow));
  g_assert_cmpstr (ck_flow_get_name (f->flow), ==, "张三");
  g_assert_cmpstr (ck_flow_get_id_number (f->flow), ==, "11010519491231002X");
  g_assert_true (ck_flow_set_signature (f->flow, f->signature, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);
  g_assert_null (ck_flow_get_consent_id (f->flow));

  record = async ? save_async (f, NULL, &error) : save_sync (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVED);

  assert_notified (f, happy_states, G_N_ELEMENTS (happy_states));
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
  g_assert_cmpint (store_count (f), ==, 1);
}

static void
test_happy_async (Fixture       *f,
                  gconstpointer  data)
{
  run_happy_path (f, TRUE);
}

static void
test_happy_sync (Fixture       *f,
                 gconstpointer  data)
{
  run_happy_path (f, FALSE);
}

/* --- skipping steps ------------------------------------------------------ */

typedef enum
{
  STEP_SHOW,
  STEP_AGREE,
  STEP_DETAILS,
  STEP_SIGN,
  STEP_SAVE,
  STEP_SAVE_ASYNC,
  N_STEPS
} Step;

static const char * const step_names[] = {
  "show", "agree", "details", "sign", "save", "save-async",
};

/* The states each step is accepted from. */
static gboolean
step_allowed (Step        step,
              CkFlowState state)
{
  switch (step)
    {
    case STEP_SHOW:
      return state == CK_FLOW_STATE_IDLE;
    case STEP_AGREE:
      return state == CK_FLOW_STATE_READING;
    case STEP_DETAILS:
      return state == CK_FLOW_STATE_AGREED || state == CK_FLOW_STATE_DETAILS_VALID ||
             state == CK_FLOW_STATE_SIGNED;
    case STEP_SIGN:
      return state == CK_FLOW_STATE_DETAILS_VALID || state == CK_FLOW_STATE_SIGNED;
    case STEP_SAVE:
    case STEP_SAVE_ASYNC:
      return state == CK_FLOW_STATE_SIGNED;
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/* Takes @step with values other than the standard ones, so that a step
 * wrongly taken would show in the stored record. */
static gboolean
try_step (Fixture  *f,
          Step      step,
          GError  **error)
{
  switch (step)
    {
    case STEP_SHOW:
      {
        static const char letter[] = "# 另一封信\n{name}{id_number}{signature}\n";
        g_autoptr(GBytes) text = g_bytes_new_static (letter, sizeof letter - 1);
        g_autoptr(CkTemplate) other = ck_template_new_from_bytes (text, NULL);

        g_assert_nonnull (other);
        return ck_flow_show (f->flow, other, error);
      }
    case STEP_AGREE:
      return ck_flow_agree (f->flow, TRUE, TRUE, error);
    case STEP_DETAILS:
      {
        g_autofree char *id_number = other_id_number ();

        return ck_flow_set_details (f->flow, "李四", id_number, error);
      }
    case STEP_SIGN:
      {
        g_autoptr(CkSignature) other = ck_sample_signature_new (90);

        return ck_flow_set_signature (f->flow, other, error);
      }
    case STEP_SAVE:
      {
        g_autoptr(CkConsentRecord) record = save_sync (f, error);

        return record != NULL;
      }
    case STEP_SAVE_ASYNC:
      {
        g_autoptr(CkConsentRecord) record = save_async (f, NULL, error);

        return record != NULL;
      }
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_wrong_state (Fixture       *f,
                  gconstpointer  data)
{
  static const CkFlowState states[] = {
    CK_FLOW_STATE_IDLE, CK_FLOW_STATE_READING, CK_FLOW_STATE_AGREED,
    CK_FLOW_STATE_DETAILS_VALID, CK_FLOW_STATE_SIGNED, CK_FLOW_STATE_SAVED,
  };
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      if (states[s] == CK_FLOW_STATE_SAVED)
        {
          record = save_sync (f, &error);
          g_assert_no_error (error);
        }
      else
        advance_to (f, states[s]);

      for (Step step = 0; step < N_STEPS; step++)
        {
          g_autoptr(GError) step_error = NULL;
          guint n_notified = f->notified->len;

          if (step_allowed (step, states[s]))
            continue;

          g_test_message ("%s from %s", step_names[step], ck_flow_state_to_string (states[s]));
          g_assert_false (try_step (f, step, &step_error));
          g_assert_error (step_error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
          g_assert_nonnull (strstr (step_error->message, ck_flow_state_to_string (states[s])));
          g_assert_cmpint (ck_flow_get_state (f->flow), ==, states[s]);
          g_assert_cmpuint (f->notified->len, ==, n_notified);
          g_assert_cmpint (store_count (f), ==, states[s] == CK_FLOW_STATE_SAVED ? 1 : 0);
          if (states[s] == CK_FLOW_STATE_SAVED)
            g_assert_cmpstr (ck_flow_get_consent_id (f->flow), ==, record->uuid);
          else
            g_assert_null (ck_flow_get_consent_id (f->flow));
        }
    }

  /* Nothing of the refused steps reached the consent. */
  assert_notified (f, happy_states, G_N_ELEMENTS (happy_states));
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
}

/* While the save runs, nothing can be changed. */
static void
test_wrong_state_saving (Fixture       *f,
                         gconstpointer  data)
{
  AsyncSave save = { 0 };

  advance_to (f, CK_FLOW_STATE_SIGNED);
  save.loop = g_main_loop_new (NULL, FALSE);
  ck_flow_save_async (f->flow, NULL, save_cb, &save);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVING);

  for (Step step = 0; step < STEP_SAVE_ASYNC; step++)
    {
      g_autoptr(GError) step_error = NULL;

      g_test_message ("%s while saving", step_names[step]);
      g_assert_false (try_step (f, step, &step_error));
      g_assert_error (step_error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
      g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVING);
    }

  g_main_loop_run (save.loop);
  g_main_loop_unref (save.loop);
  g_assert_no_error (save.error);
  assert_notified (f, happy_states, G_N_ELEMENTS (happy_states));
  assert_stored (f, save.record, NAME, ID_NUMBER, f->signature);
  g_assert_cmpint (store_count (f), ==, 1);
  ck_consent_record_free (save.record);
}

static void
test_not_agreed (Fixture       *f,
                 gconstpointer  data)
{
  static const gboolean cases[][2] = { { FALSE, TRUE }, { TRUE, FALSE }, { FALSE, FALSE } };

  advance_to (f, CK_FLOW_STATE_READING);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ck_flow_agree (f->flow, cases[i][0], cases[i][1], &error));
      g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_NOT_AGREED);
      g_assert_nonnull (strstr (error->message, cases[i][0] ? "declaration" : "letter"));
      g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_READING);
    }
  g_assert_cmpuint (f->notified->len, ==, 1);

  advance_to (f, CK_FLOW_STATE_AGREED);
}

/* Invalid details are refused with their own domain's error, from each
 * state details may be entered in, and change nothing. */
static void
test_invalid_details (Fixture       *f,
                      gconstpointer  data)
{
  static const CkFlowState states[] = {
    CK_FLOW_STATE_AGREED, CK_FLOW_STATE_DETAILS_VALID, CK_FLOW_STATE_SIGNED,
  };
  static const struct {
    const char *name;
    const char *id_number;
    const char *domain;
    int code;
  } cases[] = {
    { "张三3", ID_NUMBER, "ck-name-error-quark", CK_NAME_ERROR_DIGIT },
    { "  ", ID_NUMBER, "ck-name-error-quark", CK_NAME_ERROR_EMPTY },
    { NAME, "110105194912310021", "ck-idcard-error-quark", CK_IDCARD_ERROR_CHECK_CHARACTER },
    { NAME, "", "ck-idcard-error-quark", CK_IDCARD_ERROR_EMPTY },
    { NAME, "1101051949123100", "ck-idcard-error-quark", CK_IDCARD_ERROR_LENGTH },
  };
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      advance_to (f, states[s]);

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autoptr(GError) step_error = NULL;
          guint n_notified = f->notified->len;

          g_assert_false (ck_flow_set_details (f->flow, cases[i].name, cases[i].id_number,
                                               &step_error));
          g_assert_nonnull (step_error);
          g_assert_cmpstr (g_quark_to_string (step_error->domain), ==, cases[i].domain);
          g_assert_cmpint (step_error->code, ==, cases[i].code);
          g_assert_cmpint (ck_flow_get_state (f->flow), ==, states[s]);
          g_assert_cmpuint (f->notified->len, ==, n_notified);
        }
    }

  /* Still signed, with what was entered before. */
  record = save_sync (f, &error);
  g_assert_no_error (error);
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
}

static void
test_bad_signature (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CkSignature) dot = load_signature ("dot");
  g_autoptr(CkSignature) empty = ck_signature_new (600, 240);
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  advance_to (f, CK_FLOW_STATE_DETAILS_VALID);
  g_assert_false (ck_flow_set_signature (f->flow, dot, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);
  g_clear_error (&error);
  g_assert_false (ck_flow_set_signature (f->flow, empty, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_DETAILS_VALID);

  {
    g_autoptr(CkConsentRecord) refused = save_sync (f, &error);

    g_assert_null (refused);
    g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
    g_clear_error (&error);
  }

  /* Signed; a dot drawn afterwards does not replace the signature. */
  advance_to (f, CK_FLOW_STATE_SIGNED);
  g_assert_false (ck_flow_set_signature (f->flow, dot, &error));
  g_assert_error (error, CK_SIGNATURE_ERROR, CK_SIGNATURE_ERROR_SINGLE_DOT);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);

  record = save_sync (f, &error);
  g_assert_no_error (error);
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
}

/* New details after signing need a new signature; signing again replaces
 * the signature. */
static void
test_redo_details (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CkSignature) second = load_signature ("hand");
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_number = other_id_number ();
  static const CkFlowState expected[] = {
    CK_FLOW_STATE_READING, CK_FLOW_STATE_AGREED, CK_FLOW_STATE_DETAILS_VALID,
    CK_FLOW_STATE_SIGNED, CK_FLOW_STATE_DETAILS_VALID, CK_FLOW_STATE_SIGNED,
    CK_FLOW_STATE_SAVING, CK_FLOW_STATE_SAVED,
  };

  advance_to (f, CK_FLOW_STATE_SIGNED);
  g_assert_true (ck_flow_set_details (f->flow, "李四", id_number, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_DETAILS_VALID);

  {
    g_autoptr(CkConsentRecord) refused = save_sync (f, &error);

    g_assert_null (refused);
    g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
    g_clear_error (&error);
  }
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_DETAILS_VALID);

  /* The same details again are fine too, and keep asking for a signature. */
  g_assert_true (ck_flow_set_details (f->flow, "李四", id_number, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_DETAILS_VALID);

  g_assert_true (ck_flow_set_signature (f->flow, f->signature, &error));
  g_assert_no_error (error);
  /* Signing again replaces the signature. */
  g_assert_true (ck_flow_set_signature (f->flow, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);

  record = save_async (f, NULL, &error);
  g_assert_no_error (error);
  assert_notified (f, expected, G_N_ELEMENTS (expected));
  assert_stored (f, record, "李四", id_number, second);
}

/* --- a failing save -------------------------------------------------------- */

static void
test_save_fails (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_dir = g_build_filename (f->data_dir, "pdf", NULL);
  static const CkFlowState expected[] = {
    CK_FLOW_STATE_READING, CK_FLOW_STATE_AGREED, CK_FLOW_STATE_DETAILS_VALID,
    CK_FLOW_STATE_SIGNED,
    CK_FLOW_STATE_SAVING, CK_FLOW_STATE_SIGNED,     /* async, failed */
    CK_FLOW_STATE_SAVING, CK_FLOW_STATE_SIGNED,     /* sync, failed */
    CK_FLOW_STATE_SAVING, CK_FLOW_STATE_SAVED,      /* fixed */
  };

  advance_to (f, CK_FLOW_STATE_SIGNED);

  /* The PDF folder is a regular file now: no PDF can be written. */
  ck_test_rm_rf (pdf_dir);
  g_file_set_contents (pdf_dir, "not a folder", -1, &error);
  g_assert_no_error (error);

  record = save_async (f, NULL, &error);
  g_assert_null (record);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CK_STORE_ERROR);
  g_test_message ("async: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);
  g_assert_null (ck_flow_get_consent_id (f->flow));

  record = save_sync (f, &error);
  g_assert_null (record);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CK_STORE_ERROR);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);
  g_assert_null (ck_flow_get_consent_id (f->flow));
  g_assert_cmpint (store_count (f), ==, 0);

  /* Fixed: the retry stores what was entered before the failures. */
  g_assert_cmpint (g_unlink (pdf_dir), ==, 0);
  g_assert_cmpint (g_mkdir (pdf_dir, 0700), ==, 0);
  record = save_sync (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVED);
  assert_notified (f, expected, G_N_ELEMENTS (expected));
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
  g_assert_cmpint (store_count (f), ==, 1);
}

/* --- cancelling a save ------------------------------------------------------ */

static void
cancel_on_state (CkFlow     *flow,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GCancellable *cancellable = user_data;
  CkFlowState state = ck_flow_get_state (flow);

  if (state == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cancellable), "cancel-on")))
    g_cancellable_cancel (cancellable);
}

/* Cancelled before the worker ran: nothing is stored, the flow is back at
 * signed and can save again. */
static void
test_cancel_early (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;

  advance_to (f, CK_FLOW_STATE_SIGNED);
  g_object_set_data (G_OBJECT (cancellable), "cancel-on", GINT_TO_POINTER (CK_FLOW_STATE_SAVING));
  handler = g_signal_connect (f->flow, "notify::state", G_CALLBACK (cancel_on_state), cancellable);

  record = save_async (f, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (record);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SIGNED);
  g_assert_null (ck_flow_get_consent_id (f->flow));
  g_assert_cmpint (store_count (f), ==, 0);
  assert_store_clean (f);

  g_signal_handler_disconnect (f->flow, handler);
  record = save_sync (f, &error);
  g_assert_no_error (error);
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
}

/* Cancelled once the consent is durably stored: a saved consent is not
 * undone, so the caller must hear of it as saved — not as cancelled, or
 * it would save the same consent a second time. */
static void
test_cancel_late (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  advance_to (f, CK_FLOW_STATE_SIGNED);

  /* Cancel while the worker's result waits for the main loop: watch the
   * database from a second connection until the row is committed. */
  {
    AsyncSave save = { 0 };
    g_autoptr(CkStore) watcher = NULL;
    gint64 count = 0;
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    save.loop = g_main_loop_new (NULL, FALSE);
    ck_flow_save_async (f->flow, cancellable, save_cb, &save);
    watcher = ck_store_open (f->data_dir, CK_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    while ((count = ck_store_count (watcher, &error)) == 0)
      {
        g_assert_no_error (error);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (2000);
      }
    g_assert_no_error (error);
    g_assert_cmpint (count, ==, 1);
    g_cancellable_cancel (cancellable);

    g_main_loop_run (save.loop);
    g_main_loop_unref (save.loop);
    g_assert_no_error (save.error);
    g_assert_nonnull (save.record);
    g_assert_cmpint (save.state_in_callback, ==, CK_FLOW_STATE_SAVED);
    assert_stored (f, save.record, NAME, ID_NUMBER, f->signature);
    ck_consent_record_free (save.record);
  }
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVED);

  /* Cancelled as the flow reaches saved, before the caller hears of it. */
  ck_flow_reset (f->flow);
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (cancellable), "cancel-on", GINT_TO_POINTER (CK_FLOW_STATE_SAVED));
  g_signal_connect (f->flow, "notify::state", G_CALLBACK (cancel_on_state), cancellable);
  advance_to (f, CK_FLOW_STATE_SIGNED);
  record = save_async (f, cancellable, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_SAVED);
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);
  g_assert_cmpint (store_count (f), ==, 2);
  g_signal_handlers_disconnect_by_data (f->flow, cancellable);
}

/* --- reset ------------------------------------------------------------------- */

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  static const CkFlowState states[] = {
    CK_FLOW_STATE_IDLE, CK_FLOW_STATE_READING, CK_FLOW_STATE_AGREED,
    CK_FLOW_STATE_DETAILS_VALID, CK_FLOW_STATE_SIGNED, CK_FLOW_STATE_SAVED,
  };
  g_autofree char *saved_id = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      guint n_notified;

      g_test_message ("reset from %s", ck_flow_state_to_string (states[s]));
      if (states[s] == CK_FLOW_STATE_SAVED)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(CkConsentRecord) record = NULL;

          advance_to (f, CK_FLOW_STATE_SIGNED);
          record = save_sync (f, &error);
          g_assert_no_error (error);
          saved_id = g_strdup (record->uuid);
          g_assert_cmpstr (ck_flow_get_consent_id (f->flow), ==, saved_id);
        }
      else
        {
          /* A 15-digit number leaves a notice to wipe too. */
          advance_to (f, MIN (states[s], CK_FLOW_STATE_AGREED));
          if (states[s] >= CK_FLOW_STATE_DETAILS_VALID)
            {
              g_autoptr(GError) error = NULL;

              g_assert_true (ck_flow_set_details (f->flow, NAME, "110105491231002", &error));
              g_assert_no_error (error);
            }
          advance_to (f, states[s]);
        }

      n_notified = f->notified->len;
      ck_flow_reset (f->flow);
      g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_IDLE);
      g_assert_null (ck_flow_get_consent_id (f->flow));
      g_assert_null (ck_flow_dup_upgrade_notice (f->flow));
      g_assert_null (ck_flow_get_name (f->flow));
      g_assert_null (ck_flow_get_id_number (f->flow));
      g_assert_cmpuint (f->notified->len, ==,
                        n_notified + (states[s] == CK_FLOW_STATE_IDLE ? 0 : 1));
      if (states[s] != CK_FLOW_STATE_IDLE)
        g_assert_cmpint (g_array_index (f->notified, CkFlowState, f->notified->len - 1), ==,
                         CK_FLOW_STATE_IDLE);

      /* After a reset nothing entered before counts: signing needs
       * everything again. */
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (ck_flow_set_signature (f->flow, f->signature, &error));
        g_assert_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE);
      }
    }

  /* The saved consent stays. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkConsentRecord) r = ck_store_lookup (f->store, saved_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (r->id_number, ==, ID_NUMBER);
    g_assert_cmpint (store_count (f), ==, 1);
    assert_store_clean (f);
  }

  /* And the flow runs again from the start. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CkConsentRecord) record = NULL;

    advance_to (f, CK_FLOW_STATE_SIGNED);
    record = save_async (f, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (record->uuid, !=, saved_id);
    assert_stored (f, record, NAME, ID_NUMBER, f->signature);
    g_assert_cmpint (store_count (f), ==, 2);
  }
}

/* --- details ---------------------------------------------------------------- */

static void
test_upgrade_notice (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *none = NULL;

  advance_to (f, CK_FLOW_STATE_AGREED);
  g_assert_null (ck_flow_dup_upgrade_notice (f->flow));
  g_assert_true (ck_flow_set_details (f->flow, NAME, "110105491231002", &error));
  g_assert_no_error (error);
  notice = ck_flow_dup_upgrade_notice (f->flow);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "15-digit"));
  g_assert_nonnull (strstr (notice, ID_NUMBER));

  /* The converted 18-character number is what is signed and stored. */
  advance_to (f, CK_FLOW_STATE_SIGNED);
  record = save_sync (f, &error);
  g_assert_no_error (error);
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);

  /* An 18-character number has no notice. */
  ck_flow_reset (f->flow);
  advance_to (f, CK_FLOW_STATE_DETAILS_VALID);
  none = ck_flow_dup_upgrade_notice (f->flow);
  g_assert_null (none);
}

static void
test_now (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  /* 01:30 in Beijing is the day before in UTC: the sign date is local. */
  g_autoptr(GDateTime) now = g_date_time_new (beijing, 2026, 3, 6, 1, 30, 0);
  g_autoptr(GDateTime) birthday_eve = g_date_time_new (beijing, 1949, 12, 30, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(CkConsentRecord) stored = NULL;
  g_autoptr(CkConsentRecord) clock = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *today_text = NULL;
  g_autoptr(GBytes) pdf = NULL;

  /* The flow's date also judges the birth date. */
  ck_flow_set_now (f->flow, birthday_eve);
  advance_to (f, CK_FLOW_STATE_AGREED);
  g_assert_false (ck_flow_set_details (f->flow, NAME, ID_NUMBER, &error));
  g_assert_error (error, CK_IDCARD_ERROR, CK_IDCARD_ERROR_FUTURE);
  g_clear_error (&error);
  g_assert_cmpint (ck_flow_get_state (f->flow), ==, CK_FLOW_STATE_AGREED);

  ck_flow_set_now (f->flow, now);
  {
    g_autoptr(GDateTime) stamped = ck_flow_dup_now (f->flow);

    g_assert_true (g_date_time_equal (stamped, now));
  }
  advance_to (f, CK_FLOW_STATE_SIGNED);
  record = save_sync (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->sign_date, ==, "2026-03-06");
  g_assert_cmpstr (record->created_at, ==, "2026-03-05T17:30:00.000000Z");
  stored = ck_store_lookup (f->store, record->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->sign_date, ==, "2026-03-06");
  g_assert_true (g_str_has_prefix (stored->pdf_path, "pdf/2026/03/"));
  pdf = ck_store_read_pdf (f->store, stored, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                  "D:20260305173000Z"));
  assert_stored (f, record, NAME, ID_NUMBER, f->signature);

  /* Back to the clock. */
  ck_flow_set_now (f->flow, NULL);
  ck_flow_reset (f->flow);
  advance_to (f, CK_FLOW_STATE_SIGNED);
  today = g_date_time_new_now_local ();
  clock = save_sync (f, &error);
  g_assert_no_error (error);
  today_text = g_date_time_format (today, "%Y-%m-%d");
  g_assert_cmpstr (clock->sign_date, ==, today_text);
}

/* Issue 14: how the customer entered the name and the number reaches the
 * PDF's signing record, as a reader's pdftotext sees it; a new customer
 * starts from typed again. */
static void
test_entry_methods (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConsentRecord) record = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  int status;

  advance_to (f, CK_FLOW_STATE_AGREED);
  g_assert_cmpint (ck_flow_get_name_method (f->flow), ==, CK_ENTRY_METHOD_TYPED);
  g_assert_true (ck_flow_set_details_full (f->flow, NAME, CK_ENTRY_METHOD_PINYIN,
                                           ID_NUMBER, CK_ENTRY_METHOD_HANDWRITING, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ck_flow_get_name_method (f->flow), ==, CK_ENTRY_METHOD_PINYIN);
  g_assert_cmpint (ck_flow_get_id_method (f->flow), ==, CK_ENTRY_METHOD_HANDWRITING);
  advance_to (f, CK_FLOW_STATE_SIGNED);
  record = save_sync (f, &error);
  g_assert_no_error (error);

  path = ck_store_dup_pdf_file (f->store, record);
  g_spawn_sync (NULL, (char **)(const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, &text, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (text, "姓名录入方式"));
  g_assert_nonnull (strstr (text, "拼音输入"));
  g_assert_nonnull (strstr (text, "证件号码录入方式"));
  g_assert_nonnull (strstr (text, "手写输入"));
  g_assert_null (strstr (text, "键盘输入"));

  /* Issue 18: the store keeps them with the consent, by their nicks. */
  g_assert_cmpstr (record->name_method, ==, "pinyin");
  g_assert_cmpstr (record->id_method, ==, "handwriting");
  {
    g_autoptr(CkConsentRecord) stored = ck_store_lookup (f->store, record->uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored->name_method, ==, "pinyin");
    g_assert_cmpstr (stored->id_method, ==, "handwriting");
  }

  ck_flow_reset (f->flow);
  g_assert_cmpint (ck_flow_get_name_method (f->flow), ==, CK_ENTRY_METHOD_TYPED);
  g_assert_cmpint (ck_flow_get_id_method (f->flow), ==, CK_ENTRY_METHOD_TYPED);

  /* Read from the ID card: "card" in the store, the card's wording in
   * the signing record, for both. */
  advance_to (f, CK_FLOW_STATE_AGREED);
  g_assert_true (ck_flow_set_details_full (f->flow, NAME, CK_ENTRY_METHOD_CARD,
                                           ID_NUMBER, CK_ENTRY_METHOD_CARD, &error));
  g_assert_no_error (error);
  advance_to (f, CK_FLOW_STATE_SIGNED);
  g_clear_pointer (&record, ck_consent_record_free);
  record = save_sync (f, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CkConsentRecord) stored = ck_store_lookup (f->store, record->uuid, &error);
    g_autofree char *card_path = ck_store_dup_pdf_file (f->store, stored);
    g_autofree char *card_text = NULL;
    const char *name_label, *id_label;

    g_assert_no_error (error);
    g_assert_cmpstr (stored->name_method, ==, "card");
    g_assert_cmpstr (stored->id_method, ==, "card");
    card_text = ck_test_run_tool ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8",
                                                          card_path, "-", NULL });
    name_label = strstr (card_text, "姓名录入方式");
    id_label = strstr (card_text, "证件号码录入方式");
    g_assert_nonnull (name_label);
    g_assert_nonnull (id_label);
    /* Each label's line says 身份证读卡; no other method appears. */
    for (guint i = 0; i < 2; i++)
      {
        const char *label = i == 0 ? name_label : id_label;
        g_autofree char *line = g_strndup (label, strcspn (label, "\n"));

        g_assert_nonnull (strstr (line, "身份证读卡"));
      }
    g_assert_null (strstr (card_text, "键盘输入"));
    g_assert_null (strstr (card_text, "拼音输入"));
    g_assert_null (strstr (card_text, "手写输入"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  ck_init ();

  fonts = ck_font_set_new_default (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/flow/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("happy/async", test_happy_async);
  ADD ("happy/sync", test_happy_sync);
  ADD ("wrong-state", test_wrong_state);
  ADD ("wrong-state/saving", test_wrong_state_saving);
  ADD ("not-agreed", test_not_agreed);
  ADD ("invalid-details", test_invalid_details);
  ADD ("bad-signature", test_bad_signature);
  ADD ("redo-details", test_redo_details);
  ADD ("save-fails", test_save_fails);
  ADD ("cancel/early", test_cancel_early);
  ADD ("cancel/late", test_cancel_late);
  ADD ("reset", test_reset);
  ADD ("upgrade-notice", test_upgrade_notice);
  ADD ("now", test_now);
  ADD ("entry-methods", test_entry_methods);

#undef ADD

  status = g_test_run ();
  g_clear_object (&fonts);

  return status;
}
