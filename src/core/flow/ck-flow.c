/* ck-flow.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The consent flow as a state machine, shared by the kiosk and consentctl:
 *
 *   idle → reading → agreed → details valid → signed → saving → saved
 *        → verifying → done
 *
 * Each step is only accepted from the state before it (details and the
 * signature may be entered again), so no caller can skip the letter, the
 * agreements, validation or the signature. Reset wipes everything entered
 * from any state; a saved consent stays in the store. Verification goes
 * through CkVerifyQueue by the saved consent's id only. */

#define G_LOG_DOMAIN "ck-flow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-flow-private.h"
#include "ck-idcard.h"
#include "ck-name.h"
#include "ck-pdf.h"

struct _CkFlow
{
  GObject parent_instance;

  CkConfig *config;
  CkStore *store;
  CkFontSet *fonts;
  CkSeal *seal;              /* NULL: consents are not sealed */

  CkFlowState state;
  char *operator_name;
  GDateTime *now;            /* for tests; NULL = the clock */

  CkTemplate *template;
  char *name;
  CkIdcard *idcard;
  CkEntryMethod name_method;
  CkEntryMethod id_method;
  CkSignature *signature;
  char *consent_id;
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (ck-flow-error-quark, ck_flow_error)
G_DEFINE_FINAL_TYPE (CkFlow, ck_flow, G_TYPE_OBJECT)

const char *
ck_flow_state_to_string (CkFlowState state)
{
  static const char * const names[] = {
    "idle", "reading", "agreed", "details-valid", "signed", "saving", "saved",
    "verifying", "done",
  };

  g_return_val_if_fail (state <= CK_FLOW_STATE_DONE, NULL);

  return names[state];
}

static void
set_state (CkFlow      *self,
           CkFlowState  state)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* @allowed is a bit mask of states from which the step may be taken. */
static gboolean
require_state (CkFlow      *self,
               guint        allowed,
               const char  *step,
               GError     **error)
{
  if (allowed & (1u << self->state))
    return TRUE;

  g_set_error (error, CK_FLOW_ERROR, CK_FLOW_ERROR_WRONG_STATE,
               /* Translators: the first %s is a step (e.g. "Signing"), the second a
                * state's identifier (e.g. "reading"). */
               _("%s is not possible now: the consent flow is at “%s”."),
               step, ck_flow_state_to_string (self->state));
  return FALSE;
}

#define STATE(s) (1u << CK_FLOW_STATE_##s)

static void
wipe (CkFlow *self)
{
  g_clear_object (&self->template);
  if (self->name)
    memset (self->name, 0, strlen (self->name));
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->idcard, ck_idcard_unref);
  self->name_method = CK_ENTRY_METHOD_TYPED;
  self->id_method = CK_ENTRY_METHOD_TYPED;
  g_clear_object (&self->signature);
  g_clear_pointer (&self->consent_id, g_free);
}

static void
ck_flow_finalize (GObject *object)
{
  CkFlow *self = (CkFlow *)object;

  wipe (self);
  g_clear_object (&self->config);
  g_clear_object (&self->seal);
  g_clear_object (&self->store);
  g_clear_object (&self->fonts);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (ck_flow_parent_class)->finalize (object);
}

static void
ck_flow_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CkFlow *self = CK_FLOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_flow_class_init (CkFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_flow_finalize;
  object_class->get_property = ck_flow_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      CK_FLOW_STATE_IDLE, CK_FLOW_STATE_DONE, CK_FLOW_STATE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ck_flow_init (CkFlow *self)
{
}

/**
 * ck_flow_new:
 * @config: the organisation's values and the kiosk id
 * @store: where consents are saved
 * @fonts: the fonts PDFs are written with
 *
 * Returns: (transfer full): a flow in the idle state
 */
CkFlow *
ck_flow_new (CkConfig  *config,
             CkStore   *store,
             CkFontSet *fonts)
{
  CkFlow *self;

  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (CK_IS_FONT_SET (fonts), NULL);

  self = g_object_new (CK_TYPE_FLOW, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  self->fonts = g_object_ref (fonts);

  return self;
}

CkFlowState
ck_flow_get_state (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), CK_FLOW_STATE_IDLE);

  return self->state;
}

void
ck_flow_set_operator (CkFlow     *self,
                      const char *operator_name)
{
  g_return_if_fail (CK_IS_FLOW (self));

  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
}

/**
 * ck_flow_set_seal:
 * @seal: (nullable): the organisation's seal
 *
 * Each consent saved from now on is sealed right after its PDF is
 * rendered (docs/SEALING.md). Without a seal, when [signing] is
 * configured (its key could not be loaded), consents are stored unsealed
 * with a job for the sealing queue.
 */
void
ck_flow_set_seal (CkFlow *self,
                  CkSeal *seal)
{
  g_return_if_fail (CK_IS_FLOW (self));
  g_return_if_fail (seal == NULL || CK_IS_SEAL (seal));

  g_set_object (&self->seal, seal);
}

/**
 * ck_flow_set_now:
 * @now: (nullable): the time to stamp consents with; %NULL for the clock
 *
 * For tests and reproducible renders.
 */
void
ck_flow_set_now (CkFlow    *self,
                 GDateTime *now)
{
  g_return_if_fail (CK_IS_FLOW (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now)
    self->now = g_date_time_ref (now);
}

static GDateTime *
flow_now (CkFlow *self)
{
  return self->now ? g_date_time_ref (self->now) : g_date_time_new_now_local ();
}

/**
 * ck_flow_show:
 * @self: a #CkFlow
 * @template: the letter being shown to the customer
 * @error: a #GError in the %CK_FLOW_ERROR domain
 *
 * idle → reading. The template shown is the one that will be signed.
 *
 * Returns: %TRUE if the flow moved on
 */
gboolean
ck_flow_show (CkFlow      *self,
              CkTemplate  *template,
              GError     **error)
{
  g_return_val_if_fail (CK_IS_FLOW (self), FALSE);
  g_return_val_if_fail (CK_IS_TEMPLATE (template), FALSE);

  if (!require_state (self, STATE (IDLE), _("Showing the letter"), error))
    return FALSE;

  g_set_object (&self->template, template);
  set_state (self, CK_FLOW_STATE_READING);
  return TRUE;
}

/**
 * ck_flow_agree:
 * @letter: the customer agreed to the authorization letter
 * @declaration: the customer agreed to the declaration
 *
 * reading → agreed, only with both agreements.
 *
 * Returns: %TRUE if the flow moved on
 */
gboolean
ck_flow_agree (CkFlow    *self,
               gboolean   letter,
               gboolean   declaration,
               GError   **error)
{
  g_return_val_if_fail (CK_IS_FLOW (self), FALSE);

  if (!require_state (self, STATE (READING), _("Agreeing"), error))
    return FALSE;

  if (!letter || !declaration)
    {
      g_set_error_literal (error, CK_FLOW_ERROR, CK_FLOW_ERROR_NOT_AGREED,
                           !letter
                           ? _("The authorization letter has not been agreed to.")
                           : _("The declaration has not been agreed to."));
      return FALSE;
    }

  set_state (self, CK_FLOW_STATE_AGREED);
  return TRUE;
}

/**
 * ck_flow_set_details:
 * @name: the name as entered
 * @id_number: the ID number as entered
 * @error: a #GError in the %CK_FLOW_ERROR, %CK_NAME_ERROR or
 *   %CK_IDCARD_ERROR domain
 *
 * ck_flow_set_details_full() with both typed (consentctl's arguments).
 *
 * Returns: %TRUE if the details are valid
 */
gboolean
ck_flow_set_details (CkFlow      *self,
                     const char  *name,
                     const char  *id_number,
                     GError     **error)
{
  return ck_flow_set_details_full (self, name, CK_ENTRY_METHOD_TYPED,
                                   id_number, CK_ENTRY_METHOD_TYPED, error);
}

/**
 * ck_flow_set_details_full:
 * @name: the name as entered
 * @name_method: how the customer entered it
 * @id_number: the ID number as entered
 * @id_method: how the customer entered it
 * @error: a #GError in the %CK_FLOW_ERROR, %CK_NAME_ERROR or
 *   %CK_IDCARD_ERROR domain
 *
 * agreed (or details valid) → details valid, once both validate. The
 * birth date is judged against the flow's date. The methods go into the
 * PDF's signing record.
 *
 * Returns: %TRUE if the details are valid
 */
gboolean
ck_flow_set_details_full (CkFlow         *self,
                          const char     *name,
                          CkEntryMethod   name_method,
                          const char     *id_number,
                          CkEntryMethod   id_method,
                          GError        **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(CkIdcard) idcard = NULL;
  GDate today;

  g_return_val_if_fail (CK_IS_FLOW (self), FALSE);
  g_return_val_if_fail (name != NULL && id_number != NULL, FALSE);

  if (!require_state (self, STATE (AGREED) | STATE (DETAILS_VALID) | STATE (SIGNED),
                      _("Entering the details"), error))
    return FALSE;

  if (!(normalized = ck_name_normalize (name, CK_NAME_FLAGS_NONE, error)))
    return FALSE;

  now = flow_now (self);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (!(idcard = ck_idcard_parse_on (id_number, &today, error)))
    return FALSE;

  g_free (self->name);
  self->name = g_steal_pointer (&normalized);
  g_clear_pointer (&self->idcard, ck_idcard_unref);
  self->idcard = g_steal_pointer (&idcard);
  self->name_method = name_method;
  self->id_method = id_method;
  /* New details need a new signature. */
  g_clear_object (&self->signature);
  set_state (self, CK_FLOW_STATE_DETAILS_VALID);
  return TRUE;
}

/**
 * ck_flow_dup_upgrade_notice:
 *
 * Returns: (transfer full) (nullable): the notice for a 15-digit number
 *   that was converted, to show the customer
 */
char *
ck_flow_dup_upgrade_notice (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return self->idcard ? ck_idcard_dup_upgrade_notice (self->idcard) : NULL;
}

/**
 * ck_flow_set_signature:
 * @signature: the signature drawn
 * @error: a #GError in the %CK_FLOW_ERROR or %CK_SIGNATURE_ERROR domain
 *
 * details valid (or signed) → signed, once the signature is acceptable.
 *
 * Returns: %TRUE if the flow moved on
 */
gboolean
ck_flow_set_signature (CkFlow       *self,
                       CkSignature  *signature,
                       GError      **error)
{
  g_return_val_if_fail (CK_IS_FLOW (self), FALSE);
  g_return_val_if_fail (CK_IS_SIGNATURE (signature), FALSE);

  if (!require_state (self, STATE (DETAILS_VALID) | STATE (SIGNED), _("Signing"), error))
    return FALSE;

  if (!ck_signature_check_acceptable (signature, error))
    return FALSE;

  g_set_object (&self->signature, signature);
  set_state (self, CK_FLOW_STATE_SIGNED);
  return TRUE;
}

typedef struct
{
  CkStore *store;
  CkFontSet *fonts;
  CkSeal *seal;
  gboolean sealing;
  CkTemplate *template;
  CkSignature *signature;
  CkConsentRecord *record;
  GDateTime *created;
  char *values[CK_TEMPLATE_N_FIELDS];
  CkEntryMethod name_method;
  CkEntryMethod id_method;
  gboolean demo;
  gboolean example;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->fonts);
  g_clear_object (&job->seal);
  g_clear_object (&job->template);
  g_clear_object (&job->signature);
  g_clear_pointer (&job->record, ck_consent_record_free);
  g_clear_pointer (&job->created, g_date_time_unref);
  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    g_free (job->values[i]);
  g_free (job);
}

/* What a save needs, taken from the flow as it is now. */
static SaveJob *
save_job_new (CkFlow *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) utc = NULL;
  SaveJob *job;

  now = flow_now (self);
  utc = g_date_time_to_utc (now);

  job = g_new0 (SaveJob, 1);
  job->store = g_object_ref (self->store);
  job->fonts = g_object_ref (self->fonts);
  job->seal = self->seal ? g_object_ref (self->seal) : NULL;
  job->sealing = ck_config_get_signing_configured (self->config);
  job->template = g_object_ref (self->template);
  job->signature = g_object_ref (self->signature);
  job->created = g_date_time_ref (now);
  job->name_method = self->name_method;
  job->id_method = self->id_method;
  job->demo = ck_config_get_provider (self->config) == CK_VERIFIER_PROVIDER_DEMO;
  job->example = ck_config_get_organization_example (self->config);
  job->values[CK_TEMPLATE_FIELD_COMPANY] = g_strdup (ck_config_get_organization_name (self->config));
  job->values[CK_TEMPLATE_FIELD_BUSINESS] = g_strdup (ck_config_get_organization_business (self->config));
  job->values[CK_TEMPLATE_FIELD_PURPOSE] = g_strdup (ck_config_get_organization_purpose (self->config));
  job->values[CK_TEMPLATE_FIELD_NAME] = g_strdup (self->name);
  job->values[CK_TEMPLATE_FIELD_ID_NUMBER] = g_strdup (ck_idcard_get_number (self->idcard));
  job->values[CK_TEMPLATE_FIELD_YEAR] = g_strdup_printf ("%d", g_date_time_get_year (now));
  job->values[CK_TEMPLATE_FIELD_MONTH] = g_strdup_printf ("%d", g_date_time_get_month (now));
  job->values[CK_TEMPLATE_FIELD_DAY] = g_strdup_printf ("%d", g_date_time_get_day_of_month (now));

  job->record = ck_consent_record_new ();
  job->record->uuid = g_uuid_string_random ();
  job->record->created_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  job->record->name = g_strdup (self->name);
  job->record->id_number = g_strdup (ck_idcard_get_number (self->idcard));
  job->record->sign_date = g_date_time_format (now, "%Y-%m-%d");
  job->record->org_name = g_strdup (job->values[CK_TEMPLATE_FIELD_COMPANY]);
  job->record->org_business = g_strdup (job->values[CK_TEMPLATE_FIELD_BUSINESS]);
  job->record->org_purpose = g_strdup (job->values[CK_TEMPLATE_FIELD_PURPOSE]);
  job->record->template_sha256 = g_strdup (ck_template_get_sha256 (self->template));
  job->record->signature = ck_signature_serialize (self->signature);
  job->record->kiosk_id = g_strdup (ck_config_get_kiosk_id (self->config));
  job->record->operator_name = g_strdup (self->operator_name);
  job->record->demo = job->demo;
  job->record->name_method = g_strdup (ck_entry_method_to_nick (job->name_method));
  job->record->id_method = g_strdup (ck_entry_method_to_nick (job->id_method));


  return job;
}

/* Seals *pdf in place, or leaves it unsealed when the key cannot be
 * used; *kind says what is left for the sealing queue. */
static void
seal_pdf (SaveJob        *job,
          GBytes        **pdf,
          CkSealJobKind  *kind)
{
  g_autoptr(GError) tsa_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) utc = g_date_time_to_utc (job->created);
  CkSealPdfInfo info = { job->record->org_name, "个人信息授权", job->record->kiosk_id, utc };
  GBytes *sealed;

  sealed = ck_seal_sign_pdf (job->seal, *pdf, &info, ck_seal_get_has_tsa (job->seal), &tsa_error, &error);
  if (sealed == NULL)
    {
      g_message ("Consent %s is stored unsealed, to be sealed later: %s", job->record->uuid, error->message);
      *kind = CK_SEAL_JOB_SEAL;
      return;
    }

  if (tsa_error)
    {
      g_message ("Consent %s is sealed without a trusted time, to be timestamped later: %s",
                 job->record->uuid, tsa_error->message);
      *kind = CK_SEAL_JOB_TIMESTAMP;
    }
  g_bytes_unref (*pdf);
  *pdf = sealed;
}

/* Renders, then saves durably: in the worker thread of
 * ck_flow_save_async(), or in the caller's of ck_flow_save(). */
static CkConsentRecord *
save_job_run (SaveJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GBytes) pdf = NULL;
  CkPdfRequest request = { 0 };
  CkSealJobKind seal_job = CK_SEAL_JOB_NONE;

  request.template = job->template;
  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    request.values[i] = job->values[i];
  request.signature = job->signature;
  request.consent_id = job->record->uuid;
  request.kiosk_id = job->record->kiosk_id;
  request.organization = job->record->org_name;
  request.created = job->created;
  request.demo = job->demo;
  request.example = job->example;
  request.name_method = job->name_method;
  request.id_method = job->id_method;
  request.sealed = job->sealing;

  if (!(pdf = ck_pdf_render (job->fonts, &request, error)))
    return NULL;

  /* Sealed right after rendering, before the hash and the store. Neither
   * a token nor a TSA ever costs the customer the consent: unsealed, or
   * sealed without a trusted time, it is stored with a job that finishes
   * the work later. */
  if (job->seal)
    seal_pdf (job, &pdf, &seal_job);
  else if (job->sealing)
    seal_job = CK_SEAL_JOB_SEAL;

  /* Past this point a cancellation no longer applies: the save is atomic
   * and a consent half-saved would be worse than one saved. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!ck_store_save_full (job->store, job->record, pdf, seal_job, error))
    return NULL;

  return ck_consent_record_copy (job->record);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CkConsentRecord *record = save_job_run (task_data, cancellable, &error);

  if (record)
    g_task_return_pointer (task, record, (GDestroyNotify)ck_consent_record_free);
  else
    g_task_return_error (task, error);
}

/* The flow after its save: saved, or back to signed. */
static void
save_finished (CkFlow                *self,
               const CkConsentRecord *record)
{
  if (record == NULL)
    {
      set_state (self, CK_FLOW_STATE_SIGNED);
      return;
    }

  g_free (self->consent_id);
  self->consent_id = g_strdup (record->uuid);
  set_state (self, CK_FLOW_STATE_SAVED);
}

/* Back on the caller's main context: the flow moves on before the
 * caller hears of it, so its callback sees "saved" (or "signed"). */
static void
save_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CkFlow *self = CK_FLOW (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  CkConsentRecord *record;

  record = g_task_propagate_pointer (G_TASK (result), &error);
  save_finished (self, record);
  if (record == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, record, (GDestroyNotify)ck_consent_record_free);
}

/**
 * ck_flow_save_async:
 *
 * signed → saving → saved: renders the PDF and stores the consent in a
 * worker thread. On failure the flow goes back to signed, everything
 * entered kept, so the save can be tried again.
 */
void
ck_flow_save_async (CkFlow              *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *inner;
  g_autoptr(GError) error = NULL;
  SaveJob *job;

  g_return_if_fail (CK_IS_FLOW (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_flow_save_async);
  /* Once stored, a consent is reported as saved even if @cancellable
   * fired meanwhile: by default GTask turns any result into
   * G_IO_ERROR_CANCELLED when the cancellable is cancelled by the time it
   * is propagated, which would report a stored consent as not saved. The
   * worker checks the cancellable itself where it still applies. */
  g_task_set_check_cancellable (task, FALSE);

  if (!require_state (self, STATE (SIGNED), _("Saving"), &error) ||
      !ck_config_check_organization (self->config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = save_job_new (self);
  set_state (self, CK_FLOW_STATE_SAVING);

  inner = g_task_new (self, cancellable, save_done, g_steal_pointer (&task));
  g_task_set_source_tag (inner, save_thread);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, job, (GDestroyNotify)save_job_free);
  g_task_run_in_thread (inner, save_thread);
  g_object_unref (inner);
}

/**
 * ck_flow_save_finish:
 *
 * Returns: (transfer full) (nullable): the stored consent
 */
CkConsentRecord *
ck_flow_save_finish (CkFlow        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ck_flow_save:
 *
 * ck_flow_save_async() in the calling thread, for consentctl: no worker
 * is left holding the store when the command exits, so its database is
 * closed (and its write-ahead log checkpointed) before the process ends.
 *
 * Returns: (transfer full) (nullable): the stored consent
 */
CkConsentRecord *
ck_flow_save (CkFlow        *self,
              GCancellable  *cancellable,
              GError       **error)
{
  SaveJob *job;
  CkConsentRecord *record;

  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  if (!require_state (self, STATE (SIGNED), _("Saving"), error) ||
      !ck_config_check_organization (self->config, error))
    return NULL;

  job = save_job_new (self);
  set_state (self, CK_FLOW_STATE_SAVING);
  record = save_job_run (job, cancellable, error);
  save_job_free (job);
  save_finished (self, record);

  return record;
}

static void
verify_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CkFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  CkVerification *verification;

  verification = ck_verify_queue_verify_finish (CK_VERIFY_QUEUE (object), result, &error);
  /* Unless the flow was reset meanwhile: the attempt is stored anyway. */
  if (self->state == CK_FLOW_STATE_VERIFYING)
    set_state (self, CK_FLOW_STATE_DONE);

  if (verification == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, verification, (GDestroyNotify)ck_verification_free);
}

/**
 * ck_flow_verify_async:
 * @self: a #CkFlow, saved
 * @queue: the verification queue
 * @cancellable: (nullable): a #GCancellable
 *
 * Verifies the consent this flow saved, by its id: the flow never hands
 * the name and ID number it holds to the verifier, so what is verified is
 * what was committed (docs/ARCHITECTURE.md, invariant 1). Done afterwards, whatever
 * the answer; a retryable failure stays queued.
 */
void
ck_flow_verify_async (CkFlow              *self,
                      CkVerifyQueue       *queue,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CK_IS_FLOW (self));
  g_return_if_fail (CK_IS_VERIFY_QUEUE (queue));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_flow_verify_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!require_state (self, STATE (SAVED), _("Verifying"), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_state (self, CK_FLOW_STATE_VERIFYING);
  ck_verify_queue_verify_async (queue, self->consent_id, CK_VERIFY_DEFAULT, cancellable,
                                verify_done, g_steal_pointer (&task));
}

/**
 * ck_flow_verify_finish:
 *
 * Returns: (transfer full) (nullable): where the verification stands
 */
CkVerification *
ck_flow_verify_finish (CkFlow        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GAsyncResult *result;
} SyncResult;

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncResult *sync = user_data;

  sync->result = g_object_ref (result);
}

/**
 * ck_flow_verify:
 *
 * ck_flow_verify_async(), waiting for it: for consentctl.
 *
 * Returns: (transfer full) (nullable): where the verification stands
 */
CkVerification *
ck_flow_verify (CkFlow         *self,
                CkVerifyQueue  *queue,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncResult sync = { NULL };
  CkVerification *verification;

  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  g_main_context_push_thread_default (context);
  ck_flow_verify_async (self, queue, cancellable, sync_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  verification = ck_flow_verify_finish (self, sync.result, error);
  g_object_unref (sync.result);

  return verification;
}

/**
 * ck_flow_get_name:
 *
 * Returns: (nullable): the name as it will be signed (normalised), once
 *   the details are valid
 */
const char *
ck_flow_get_name (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return self->name;
}

/**
 * ck_flow_get_id_number:
 *
 * Returns: (nullable): the ID number as it will be signed (normalised,
 *   18 characters), once the details are valid; mask it before showing
 *   it anywhere but to its owner
 */
const char *
ck_flow_get_id_number (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return self->idcard ? ck_idcard_get_number (self->idcard) : NULL;
}

/**
 * ck_flow_dup_now:
 *
 * Returns: (transfer full): the time a consent saved now is stamped with
 *   (its date is the one the letter shows)
 */
GDateTime *
ck_flow_dup_now (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return flow_now (self);
}

/**
 * ck_flow_get_name_method:
 *
 * Returns: how the name was entered (typed until details are set)
 */
CkEntryMethod
ck_flow_get_name_method (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), CK_ENTRY_METHOD_TYPED);

  return self->name_method;
}

/**
 * ck_flow_get_id_method:
 *
 * Returns: how the ID number was entered
 */
CkEntryMethod
ck_flow_get_id_method (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), CK_ENTRY_METHOD_TYPED);

  return self->id_method;
}

/**
 * ck_flow_get_signature:
 *
 * Returns: (transfer none) (nullable): the signature, once signed
 */
CkSignature *
ck_flow_get_signature (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return self->signature;
}

/**
 * ck_flow_get_consent_id:
 *
 * Returns: (nullable): the id of the consent saved, once saved
 */
const char *
ck_flow_get_consent_id (CkFlow *self)
{
  g_return_val_if_fail (CK_IS_FLOW (self), NULL);

  return self->consent_id;
}

/**
 * ck_flow_reset:
 *
 * Wipes everything entered and goes back to idle, from any state but
 * saving (a save in progress finishes first). A saved consent stays in
 * the store.
 */
void
ck_flow_reset (CkFlow *self)
{
  g_return_if_fail (CK_IS_FLOW (self));
  g_return_if_fail (self->state != CK_FLOW_STATE_SAVING);

  wipe (self);
  set_state (self, CK_FLOW_STATE_IDLE);
}
