/* ck-record-detail.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One stored consent, for staff: its fields with the ID number masked,
 * where its verification stands and every attempt, its withdrawal if the
 * customer withdrew it, and the first page of the signed PDF (rendered by
 * poppler in a worker thread). Staff can show the whole ID number for
 * 30 seconds (recorded in the event log first, under the operator's name),
 * reprint the stored PDF (checked against its hash first), retry the
 * verification (another paid call needs a confirmation), and record a
 * withdrawal. Failures are shown in the widget; nothing is lost.
 *
 * The store and the verification queue are used from the main thread
 * only, as everywhere in the app; the preview's worker reads the PDF
 * file, which touches no database. */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "ck-print.h"
#include "ck-record-detail.h"

/* How long the whole ID number stays on screen. */
#define REVEAL_SECONDS 30

/* The preview's height on screen, and how much finer it is rendered (for
 * scaled displays and a sharp downscale). */
#define PREVIEW_HEIGHT 480
#define PREVIEW_OVERSAMPLE 2

/* What covers the ID number on the preview: Adwaita's dark 4. */
#define PREVIEW_COVER_GRAY (0x3d / 255.0)

typedef enum
{
  STATUS_INFO,
  STATUS_BUSY,
  STATUS_ERROR,
} StatusKind;

struct _CkRecordDetail
{
  AdwBin parent_instance;

  GtkStack *stack;
  GtkScrolledWindow *scrolled;
  GtkLabel *name_label;
  GtkLabel *demo_label;
  GtkLabel *state_label;
  GtkLabel *header_id_label;
  GtkButton *reveal_button;
  AdwButtonContent *reveal_content;
  GtkButton *reprint_button;
  GtkButton *retry_button;
  GtkButton *withdraw_button;
  GtkLabel *reasons_label;
  GtkBox *status_box;
  GtkSpinner *status_spinner;
  GtkImage *status_icon;
  GtkLabel *status_label;
  AdwPreferencesGroup *withdrawal_group;
  AdwActionRow *withdrawn_at_row;
  AdwActionRow *withdrawn_by_row;
  AdwActionRow *withdrawal_note_row;
  AdwActionRow *id_row;
  AdwActionRow *sign_date_row;
  AdwActionRow *created_row;
  AdwActionRow *kiosk_row;
  AdwActionRow *org_row;
  AdwActionRow *business_row;
  AdwActionRow *purpose_row;
  AdwActionRow *uuid_row;
  AdwActionRow *verification_row;
  GtkImage *verification_icon;
  GtkListBox *attempts_list;
  GtkStack *preview_stack;
  GtkSpinner *preview_spinner;
  GtkPicture *preview_picture;
  GtkLabel *preview_message;

  CkStore *store;
  CkVerifyQueue *queue;
  CkConfig *config;

  char *uuid;
  char *operator_name;
  CkConsentRecord *record;          /* NULL when none, or it cannot be read */
  CkVerification *verification;     /* NULL when it cannot be looked up */
  CkStoreEvent *withdrawal;         /* NULL unless withdrawn */
  char *verification_error;         /* why @verification is NULL */

  gboolean revealed;
  guint reveal_source;
  gboolean verifying;
  gboolean printing;

  GCancellable *cancellable;        /* everything: cancelled on dispose */
  GCancellable *preview_cancellable;/* the current consent's preview */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkRecordDetail, ck_record_detail, ADW_TYPE_BIN)

static void update_actions (CkRecordDetail *self);

/* --- small helpers ------------------------------------------------------------------ */

/* @iso (ISO 8601, UTC) in local time, as staff read it. */
static char *
format_local_time (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("—");
  if (!(utc = g_date_time_new_from_iso8601 (iso, NULL)) || !(local = g_date_time_to_local (utc)))
    return g_strdup (iso);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static void
set_row_value (AdwActionRow *row,
               const char   *value)
{
  adw_action_row_set_subtitle (row, value && value[0] ? value : "—");
}

/* An attempt's outcome class, as ck_verify_outcome_to_string() names it,
 * in staff's words. */
static const char *
outcome_text (const char *outcome)
{
  static const struct {
    const char *outcome;
    const char *text;
  } texts[] = {
    { "in-progress", N_("Running") },
    { "interrupted", N_("Interrupted") },
    { "verified", N_("Verified") },
    { "not-matched", N_("Not matched") },
    { "undetermined", N_("Undetermined") },
    { "input-rejected", N_("Name or ID number rejected") },
    { "config-fault", N_("Configuration fault") },
    { "provider-fault", N_("Service fault") },
    { "network-fault", N_("Network fault") },
    { "tls-fault", N_("TLS fault") },
  };

  for (guint i = 0; outcome && i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (outcome, texts[i].outcome))
      return _(texts[i].text);

  return outcome ? outcome : "—";
}

static gboolean
is_withdrawn (CkRecordDetail *self)
{
  return self->withdrawal != NULL ||
         (self->verification && self->verification->state == CK_VERIFY_STATE_WITHDRAWN);
}

static gboolean
has_operator (CkRecordDetail *self)
{
  return self->operator_name != NULL && self->operator_name[0] != '\0';
}

static const char *
no_operator_text (void)
{
  return _("Enter your name as the operator first: it is recorded with this action.");
}

static GtkWindow *
parent_window (CkRecordDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A message under the actions: what happened, what is running, or what
 * went wrong; %NULL hides it. */
static void
show_status (CkRecordDetail *self,
             StatusKind      kind,
             const char     *message)
{
  GtkWidget *box = GTK_WIDGET (self->status_box);

  gtk_widget_set_visible (box, message != NULL);
  gtk_label_set_text (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), kind == STATUS_BUSY);
  gtk_spinner_set_spinning (self->status_spinner, kind == STATUS_BUSY && message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), kind != STATUS_BUSY);
  gtk_image_set_from_icon_name (self->status_icon, kind == STATUS_ERROR ? "dialog-error-symbolic"
                                                                        : "emblem-ok-symbolic");
  if (kind == STATUS_ERROR)
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
}

/* --- the ID number -------------------------------------------------------------------- */

static void
show_id_number (CkRecordDetail *self)
{
  g_autofree char *masked = NULL;
  g_autofree char *header = NULL;

  if (self->record == NULL)
    {
      set_row_value (self->id_row, NULL);
      gtk_label_set_text (self->header_id_label, "");
      return;
    }

  masked = ck_idcard_mask_number (self->record->id_number);
  /* TRANSLATORS: the ID number under the customer's name */
  header = g_strdup_printf (_("ID %s"), self->revealed ? self->record->id_number : masked);
  gtk_label_set_text (self->header_id_label, header);
  set_row_value (self->id_row, self->revealed ? self->record->id_number : masked);

  adw_button_content_set_label (self->reveal_content, self->revealed ? _("Hide ID Number")
                                                                     : _("Show Full ID Number"));
  adw_button_content_set_icon_name (self->reveal_content, self->revealed ? "view-conceal-symbolic"
                                                                         : "view-reveal-symbolic");
  if (self->revealed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "revealed");
      gtk_widget_add_css_class (GTK_WIDGET (self->header_id_label), "revealed");
      gtk_widget_remove_css_class (GTK_WIDGET (self->header_id_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "revealed");
      gtk_widget_remove_css_class (GTK_WIDGET (self->header_id_label), "revealed");
      gtk_widget_add_css_class (GTK_WIDGET (self->header_id_label), "dim-label");
    }
}

static void
mask_id_number (CkRecordDetail *self)
{
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  if (!self->revealed)
    return;

  self->revealed = FALSE;
  show_id_number (self);
  update_actions (self);
}

static gboolean
on_reveal_timeout (gpointer user_data)
{
  CkRecordDetail *self = user_data;

  self->reveal_source = 0;
  mask_id_number (self);

  return G_SOURCE_REMOVE;
}

/* Records the reveal first; shows the number only once that worked. */
static void
reveal_id_number (CkRecordDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->record == NULL || !has_operator (self))
    return;

  if (!ck_store_record_reveal (self->store, self->record->uuid, self->operator_name,
                               "staff window", &error))
    {
      g_warning ("Revealing the ID number of consent %s was refused: %s",
                 self->record->uuid, error->message);
      message = g_strdup_printf (_("The full ID number is not shown: the audit log could not "
                                   "record it. %s"), error->message);
      show_status (self, STATUS_ERROR, message);
      return;
    }

  g_message ("The full ID number of consent %s was shown to %s", self->record->uuid,
             self->operator_name);
  self->revealed = TRUE;
  self->reveal_source = g_timeout_add_seconds (REVEAL_SECONDS, on_reveal_timeout, self);
  show_id_number (self);
  message = g_strdup_printf (ngettext ("The full ID number is shown for %d second; this was "
                                       "recorded in the audit log.",
                                       "The full ID number is shown for %d seconds; this was "
                                       "recorded in the audit log.", REVEAL_SECONDS),
                             REVEAL_SECONDS);
  show_status (self, STATUS_INFO, message);
  update_actions (self);
}

static void
on_reveal_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");

  /* Only for the consent the question was about. */
  if (!g_str_equal (response, "reveal") || g_strcmp0 (uuid, self->uuid) != 0)
    return;
  if (!has_operator (self))
    show_status (self, STATUS_ERROR, no_operator_text ());
  else
    reveal_id_number (self);
}

static void
on_reveal_clicked (CkRecordDetail *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->revealed)
    {
      mask_id_number (self);
      show_status (self, STATUS_INFO, NULL);
      return;
    }
  if (self->record == NULL || !has_operator (self))
    return;

  body = g_strdup_printf (ngettext ("The whole ID number of %s will be shown for %d second. "
                                    "This is recorded in the audit log under your name, %s.",
                                    "The whole ID number of %s will be shown for %d seconds. "
                                    "This is recorded in the audit log under your name, %s.",
                                    REVEAL_SECONDS),
                          self->record->name, REVEAL_SECONDS, self->operator_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Show the Full ID Number?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "reveal", _("_Show and Record"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "reveal", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reveal_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- showing the consent -------------------------------------------------------------- */

/* Which actions make sense now, and why the others do not. */
static void
update_actions (CkRecordDetail *self)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  gboolean have = self->record != NULL;
  gboolean withdrawn = is_withdrawn (self);
  gboolean enabled = self->queue != NULL && ck_verify_queue_is_enabled (self->queue);
  const char *no_operator = no_operator_text ();
  const char *retry_reason = NULL;
  const char *reveal_reason = NULL;
  const char *withdraw_reason = NULL;

  if (have && !has_operator (self))
    reveal_reason = withdraw_reason = no_operator;
  if (have && withdrawn)
    {
      retry_reason = _("A withdrawn consent is not verified any more.");
      withdraw_reason = _("The withdrawal is already recorded.");
    }
  else if (have && !enabled)
    retry_reason = _("Verification is turned off in the configuration ([verification] "
                     "provider = none).");
  else if (have && self->verifying)
    withdraw_reason = _("Wait until the verification finishes.");

  gtk_widget_set_sensitive (GTK_WIDGET (self->reveal_button),
                            have && (self->revealed || reveal_reason == NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button), reveal_reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reprint_button), have && !self->printing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button),
                            have && retry_reason == NULL && !self->verifying);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button), retry_reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->withdraw_button), have && withdraw_reason == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->withdraw_button), withdraw_reason);

  /* The reasons in words too: a tooltip is no use on a touchscreen. */
  if (retry_reason)
    g_string_append (reasons, retry_reason);
  if (reveal_reason && !self->revealed)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "\n" : "", reveal_reason);
  if (withdraw_reason && withdraw_reason != reveal_reason && withdraw_reason != retry_reason &&
      !withdrawn)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "\n" : "", withdraw_reason);
  gtk_label_set_text (self->reasons_label, reasons->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons->len > 0);
}

static GtkWidget *
attempt_row_new (const CkVerifyAttempt *attempt)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *started = format_local_time (attempt->started_at);
  g_autoptr(GString) subtitle = g_string_new (started);

  /* TRANSLATORS: "Attempt 2: Network fault" */
  title = g_strdup_printf (_("Attempt %u: %s"), attempt->number, outcome_text (attempt->outcome));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  if (attempt->http_status)
    g_string_append_printf (subtitle, " · HTTP %u", attempt->http_status);
  else
    g_string_append_printf (subtitle, " · %s", _("no HTTP answer"));
  /* -1 while it runs, or when it was interrupted */
  if (attempt->duration_ms >= 0)
    {
      g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, attempt->duration_ms);
      g_autofree char *took = g_strdup_printf (_("%s ms"), duration);

      g_string_append_printf (subtitle, " · %s", took);
    }
  if (attempt->request_id)
    {
      g_autofree char *request = g_strdup_printf (_("request %s"), attempt->request_id);

      g_string_append_printf (subtitle, " · %s", request);
    }
  if (attempt->demo)
    g_string_append_printf (subtitle, " · %s", _("DEMO"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  return row;
}

static void
show_attempts (CkRecordDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attempts_list))))
    gtk_list_box_remove (self->attempts_list, child);

  if (self->verification == NULL || self->verification->attempts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No attempts yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->attempts_list, row);
      return;
    }

  /* Newest first: the one staff asks about. */
  for (guint i = self->verification->attempts->len; i > 0; i--)
    gtk_list_box_append (self->attempts_list,
                         attempt_row_new (self->verification->attempts->pdata[i - 1]));
}

static void
set_state_badge (CkRecordDetail *self,
                 CkVerifyState   state,
                 const char     *text)
{
  static const char *classes[] = { "success", "error", "warning", "accent", "neutral", "dim-label" };
  const char *css = ck_verify_state_get_style (state);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
  gtk_widget_add_css_class (GTK_WIDGET (self->verification_icon), css);
  gtk_image_set_from_icon_name (self->verification_icon, ck_verify_state_get_icon (state));
  gtk_label_set_text (self->state_label, text);
}

static void
show_verification (CkRecordDetail *self)
{
  const CkVerification *v = self->verification;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (v == NULL)
    {
      set_state_badge (self, CK_VERIFY_STATE_UNVERIFIED, _("Unknown"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verification_row), _("Unknown"));
      adw_action_row_set_subtitle (self->verification_row,
                                   self->verification_error ? self->verification_error : "");
      show_attempts (self);
      return;
    }

  set_state_badge (self, v->state, ck_verify_state_get_label (v->state));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verification_row),
                                 ck_verify_state_get_label (v->state));
  if (v->staff_message && v->staff_message[0])
    g_string_append (subtitle, v->staff_message);
  if (!ck_verify_queue_is_enabled (self->queue) && v->state != CK_VERIFY_STATE_WITHDRAWN)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "",
                            _("This kiosk does not verify identities online."));
  if (v->next_attempt_ms > 0 && v->state != CK_VERIFY_STATE_WITHDRAWN)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (v->next_attempt_ms / 1000);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

      if (when)
        {
          g_autofree char *next = g_strdup_printf (_("Next automatic attempt: %s"), when);

          g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "", next);
        }
    }
  adw_action_row_set_subtitle (self->verification_row, subtitle->str);
  show_attempts (self);
}

static void
show_withdrawal (CkRecordDetail *self)
{
  g_autofree char *at = NULL;
  g_autofree char *note = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->withdrawal_group), self->withdrawal != NULL);
  if (self->withdrawal == NULL)
    return;

  at = format_local_time (self->withdrawal->at);
  note = ck_store_event_dup_note (self->withdrawal);
  set_row_value (self->withdrawn_at_row, at);
  set_row_value (self->withdrawn_by_row, self->withdrawal->operator_name);
  set_row_value (self->withdrawal_note_row, note);
}

static void
show_fields (CkRecordDetail *self)
{
  const CkConsentRecord *r = self->record;
  g_autofree char *created = NULL;

  if (r == NULL)
    {
      gtk_label_set_text (self->name_label, _("Unreadable consent"));
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
      show_id_number (self);
      set_row_value (self->sign_date_row, NULL);
      set_row_value (self->created_row, NULL);
      set_row_value (self->kiosk_row, NULL);
      set_row_value (self->org_row, NULL);
      set_row_value (self->business_row, NULL);
      set_row_value (self->purpose_row, NULL);
      set_row_value (self->uuid_row, self->uuid);
      return;
    }

  created = format_local_time (r->created_at);
  gtk_label_set_text (self->name_label, r->name);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label),
                          r->demo || (self->verification && self->verification->demo));
  show_id_number (self);
  set_row_value (self->sign_date_row, r->sign_date);
  set_row_value (self->created_row, created);
  set_row_value (self->kiosk_row, r->kiosk_id);
  set_row_value (self->org_row, r->org_name);
  set_row_value (self->business_row, r->org_business);
  set_row_value (self->purpose_row, r->org_purpose);
  set_row_value (self->uuid_row, r->uuid);
}

/* Reads the consent, its verification and its withdrawal again; a part
 * that cannot be read is said so, and the rest is still shown. */
static void
reload (CkRecordDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) verification_error = NULL;
  g_autoptr(GError) withdrawal_error = NULL;

  g_clear_pointer (&self->record, ck_consent_record_free);
  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_pointer (&self->withdrawal, ck_store_event_free);
  g_clear_pointer (&self->verification_error, g_free);

  if (!(self->record = ck_store_lookup (self->store, self->uuid, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("This consent cannot be read: %s"),
                                                  error->message);

      g_warning ("Consent %s cannot be read: %s", self->uuid, error->message);
      show_status (self, STATUS_ERROR, message);
    }
  else
    {
      if (!(self->verification = ck_verify_queue_lookup (self->queue, self->uuid,
                                                         &verification_error)))
        self->verification_error = g_strdup (verification_error->message);
      self->withdrawal = ck_store_lookup_withdrawal (self->store, self->uuid, &withdrawal_error);
      if (withdrawal_error)
        {
          g_autofree char *message = g_strdup_printf (_("Whether this consent was withdrawn "
                                                        "cannot be read: %s"),
                                                      withdrawal_error->message);

          show_status (self, STATUS_ERROR, message);
        }
    }

  show_fields (self);
  show_verification (self);
  show_withdrawal (self);
  update_actions (self);
}

/* --- the preview ---------------------------------------------------------------------- */

typedef struct
{
  CkStore *store;
  CkConsentRecord *record;
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_clear_object (&job->store);
  ck_consent_record_free (job->record);
  g_free (job);
}

/* Covers every place the page's text has @id_number: the letter carries
 * the whole number, and the preview is no way around revealing it. */
static gboolean
cover_id_number (PopplerPage *page,
                 cairo_t     *cr,
                 double       page_height,
                 const char  *id_number)
{
  GList *found = poppler_page_find_text (page, id_number);
  gboolean covered = found != NULL;

  cairo_set_source_rgb (cr, PREVIEW_COVER_GRAY, PREVIEW_COVER_GRAY, PREVIEW_COVER_GRAY);
  for (GList *l = found; l; l = l->next)
    {
      PopplerRectangle *r = l->data;

      /* PDF coordinates: the origin is the bottom left corner. */
      cairo_rectangle (cr, MIN (r->x1, r->x2) - 1, page_height - MAX (r->y1, r->y2) - 1,
                       fabs (r->x2 - r->x1) + 2, fabs (r->y2 - r->y1) + 2);
    }
  cairo_fill (cr);
  g_list_free_full (found, (GDestroyNotify)poppler_rectangle_free);

  return covered;
}

/* The first page of @pdf, rendered on white at PREVIEW_OVERSAMPLE ×
 * PREVIEW_HEIGHT pixels high, @id_number covered. */
static GdkTexture *
render_first_page (GBytes      *pdf,
                   const char  *id_number,
                   GError     **error)
{
  PopplerDocument *document;
  PopplerPage *page;
  GBytes *pixels;
  GdkTexture *texture;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autofree char *text = NULL;
  double page_width, page_height, scale;
  gboolean covered;
  int width, height, stride;

  /* Poppler 22.12 has no autoptr cleanup for its types. */
  if (!(document = poppler_document_new_from_bytes (pdf, NULL, error)))
    return NULL;
  page = poppler_document_get_n_pages (document) > 0 ? poppler_document_get_page (document, 0)
                                                     : NULL;
  g_object_unref (document);
  if (page == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The PDF has no pages."));
      return NULL;
    }

  poppler_page_get_size (page, &page_width, &page_height);
  if (page_width < 1 || page_height < 1)
    {
      g_object_unref (page);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The PDF's first page has no size."));
      return NULL;
    }
  scale = (double)(PREVIEW_HEIGHT * PREVIEW_OVERSAMPLE) / page_height;
  width = MAX (1, (int)(page_width * scale + 0.5));
  height = MAX (1, (int)(page_height * scale + 0.5));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  covered = cover_id_number (page, cr, page_height, id_number);
  text = poppler_page_get_text (page);
  cairo_destroy (cr);
  g_object_unref (page);

  /* Shown on the page, yet not found where: nothing is shown. */
  if (!covered && text && strstr (text, id_number))
    {
      cairo_surface_destroy (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The ID number on the page cannot be covered."));
      return NULL;
    }
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  /* Cairo's ARGB32 is premultiplied BGRA in memory on little-endian,
   * ARGB on big-endian: GDK_MEMORY_DEFAULT says the same. */
  stride = cairo_image_surface_get_stride (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize)stride * height);
  cairo_surface_destroy (surface);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, pixels, stride);
  g_bytes_unref (pixels);

  return texture;
}

static void
render_preview_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  GdkTexture *texture;

  /* Reads the file and checks it against the recorded hash: no database. */
  if (!(pdf = ck_store_read_pdf (job->store, job->record, &error)) ||
      !(texture = render_first_page (pdf, job->record->id_number, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_preview_rendered (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CkRecordDetail *self = CK_RECORD_DETAIL (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  gtk_spinner_set_spinning (self->preview_spinner, FALSE);
  if (texture == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The signed letter cannot be shown: %s"),
                                                  error->message);

      g_warning ("The PDF of consent %s cannot be shown: %s", self->uuid, error->message);
      gtk_label_set_text (self->preview_message, message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      return;
    }

  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_size_request (GTK_WIDGET (self->preview_picture),
                               gdk_texture_get_width (texture) / PREVIEW_OVERSAMPLE,
                               gdk_texture_get_height (texture) / PREVIEW_OVERSAMPLE);
  gtk_stack_set_visible_child_name (self->preview_stack, "picture");
}

static void
start_preview (CkRecordDetail *self)
{
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  gtk_picture_set_paintable (self->preview_picture, NULL);

  if (self->record == NULL)
    {
      gtk_label_set_text (self->preview_message, _("The signed letter cannot be shown."));
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      return;
    }

  self->preview_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  gtk_spinner_set_spinning (self->preview_spinner, TRUE);

  job = g_new0 (PreviewJob, 1);
  job->store = g_object_ref (self->store);
  job->record = ck_consent_record_copy (self->record);
  task = g_task_new (self, self->preview_cancellable, on_preview_rendered, NULL);
  g_task_set_source_tag (task, start_preview);
  g_task_set_task_data (task, job, (GDestroyNotify)preview_job_free);
  g_task_run_in_thread (task, render_preview_thread);
}

/* --- reprint -------------------------------------------------------------------------- */

static void
on_printed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CkRecordDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->printing = FALSE;
  update_actions (self);
  if (!ck_print_file_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, STATUS_INFO, NULL);
      else
        {
          g_warning ("Reprinting failed: %s", error->message);
          show_status (self, STATUS_ERROR, error->message);
        }
      return;
    }

  show_status (self, STATUS_INFO, _("Sent to the printer."));
}

static void
on_reprint_clicked (CkRecordDetail *self)
{
  g_autoptr(CkConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (self->uuid == NULL || self->printing)
    return;

  /* What is printed must be what was signed: the row and the PDF are
   * checked against their hashes first. */
  if (!(record = ck_store_lookup_intact (self->store, self->uuid, &error)))
    {
      g_warning ("Consent %s is not reprinted: %s", self->uuid, error->message);
      if (g_error_matches (error, CK_STORE_ERROR, CK_STORE_ERROR_TAMPERED))
        show_status (self, STATUS_ERROR,
                     _("Not printed: the stored consent was changed after signing. Check "
                       "the data directory with “consentctl check” and tell IT."));
      else
        {
          g_autofree char *message = g_strdup_printf (_("Not printed: %s"), error->message);

          show_status (self, STATUS_ERROR, message);
        }
      return;
    }

  path = ck_store_dup_pdf_file (self->store, record);
  self->printing = TRUE;
  update_actions (self);
  show_status (self, STATUS_BUSY, _("Printing…"));
  g_message ("Reprinting consent %s", record->uuid);
  ck_print_file_async (parent_window (self), path, _("Signed consent"),
                       ck_config_get_printer (self->config), self->cancellable,
                       on_printed, g_object_ref (self));
}

/* --- retry verification --------------------------------------------------------------- */

static void start_verify (CkRecordDetail *self,
                          CkVerifyFlags   flags);

static void
on_again_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");

  if (g_str_equal (response, "verify") && g_strcmp0 (uuid, self->uuid) == 0)
    start_verify (self, CK_VERIFY_AGAIN);
}

/* The service already answered: another call is paid for too. */
static void
ask_verify_again (CkRecordDetail *self,
                  CkVerifyState   state)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("The service already answered for this consent (%s). Verifying "
                            "again makes another call, which is paid for."),
                          ck_verify_state_get_label (state));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Verify Again?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "verify", _("_Verify Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "verify", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_again_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  CkRecordDetail *self;
  char *uuid;
} VerifyJob;

static void
verify_job_free (VerifyJob *job)
{
  g_object_unref (job->self);
  g_free (job->uuid);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyJob, verify_job_free)

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VerifyJob) job = user_data;
  CkRecordDetail *self = job->self;
  g_autoptr(CkVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  gboolean current;

  verification = ck_verify_queue_verify_finish (CK_VERIFY_QUEUE (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->verifying = FALSE;
  current = g_strcmp0 (job->uuid, self->uuid) == 0;
  if (current)
    reload (self);
  else
    update_actions (self);

  if (verification == NULL)
    {
      g_warning ("Verifying consent %s again failed: %s", job->uuid, error->message);
      if (!current)
        return;
      if (g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_ALREADY_ANSWERED) &&
          self->verification)
        {
          show_status (self, STATUS_INFO, NULL);
          ask_verify_again (self, self->verification->state);
          return;
        }
      show_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (current)
    {
      g_autofree char *message = g_strdup_printf (_("Verification finished: %s"),
                                                  ck_verify_state_get_label (verification->state));

      show_status (self, verification->state == CK_VERIFY_STATE_VERIFIED ? STATUS_INFO
                                                                          : STATUS_ERROR,
                   message);
    }
  g_signal_emit (self, signals[CHANGED], 0, job->uuid);
}

static void
start_verify (CkRecordDetail *self,
              CkVerifyFlags   flags)
{
  VerifyJob *job;

  if (self->record == NULL || self->verifying || is_withdrawn (self))
    return;

  job = g_new0 (VerifyJob, 1);
  job->self = g_object_ref (self);
  job->uuid = g_strdup (self->uuid);
  self->verifying = TRUE;
  update_actions (self);
  show_status (self, STATUS_BUSY, _("Verifying with the service…"));
  g_message ("Staff asked to verify consent %s again", self->uuid);
  ck_verify_queue_verify_async (self->queue, self->uuid, flags, self->cancellable,
                                on_verified, job);
}

static void
on_retry_clicked (CkRecordDetail *self)
{
  if (self->verification && ck_verify_state_is_answer (self->verification->state))
    ask_verify_again (self, self->verification->state);
  else
    start_verify (self, CK_VERIFY_DEFAULT);
}

/* --- withdrawal ----------------------------------------------------------------------- */

static void
on_withdraw_response (AdwMessageDialog *dialog,
                      const char       *response,
                      CkRecordDetail   *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "consent");
  GtkTextView *note_view = g_object_get_data (G_OBJECT (dialog), "note");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (note_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *message = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "withdraw") || g_strcmp0 (uuid, self->uuid) != 0)
    return;
  if (!has_operator (self))
    {
      show_status (self, STATUS_ERROR, no_operator_text ());
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (!ck_store_withdraw (self->store, uuid, self->operator_name, note[0] ? note : NULL, &error))
    {
      g_warning ("The withdrawal of consent %s was not recorded: %s", uuid, error->message);
      message = g_strdup_printf (_("The withdrawal was not recorded: %s"), error->message);
      reload (self);
      show_status (self, STATUS_ERROR, message);
      return;
    }

  g_message ("%s recorded the withdrawal of consent %s", self->operator_name, uuid);
  mask_id_number (self);
  reload (self);
  show_status (self, STATUS_INFO, _("The withdrawal is recorded. This consent is no longer "
                                    "verified."));
  g_signal_emit (self, signals[CHANGED], 0, uuid);
}

static void
on_withdraw_clicked (CkRecordDetail *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *scrolled, *note;
  g_autofree char *body = NULL;

  if (self->record == NULL || !has_operator (self) || is_withdrawn (self))
    return;

  body = g_strdup_printf (_("Record that %s withdrew this consent. This cannot be undone: the "
                            "consent is kept, marked as withdrawn, and never verified again. "
                            "It is recorded under your name, %s."),
                          self->record->name, self->operator_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Record the Withdrawal?"), body));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new_with_mnemonic (_("_Note (optional)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  note = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (note), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (note), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (note), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (note), 8);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), note);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (note),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), note);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_add_css_class (scrolled, "record-note");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "withdraw", _("_Record Withdrawal"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "consent", g_strdup (self->uuid), g_free);
  g_object_set_data (G_OBJECT (dialog), "note", note);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_withdraw_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (note);
}

/* --- the type ------------------------------------------------------------------------- */

static void
ck_record_detail_unmap (GtkWidget *widget)
{
  CkRecordDetail *self = CK_RECORD_DETAIL (widget);

  /* Nobody looks: the number goes. */
  mask_id_number (self);

  GTK_WIDGET_CLASS (ck_record_detail_parent_class)->unmap (widget);
}

static void
ck_record_detail_dispose (GObject *object)
{
  CkRecordDetail *self = (CkRecordDetail *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  /* AdwBin unparents its child in its own dispose: it goes first, or the
   * template's disposal leaves AdwBin a dangling child. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_RECORD_DETAIL);
  g_clear_object (&self->queue);
  g_clear_object (&self->store);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_record_detail_parent_class)->dispose (object);
}

static void
ck_record_detail_finalize (GObject *object)
{
  CkRecordDetail *self = (CkRecordDetail *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->record, ck_consent_record_free);
  g_clear_pointer (&self->verification, ck_verification_free);
  g_clear_pointer (&self->withdrawal, ck_store_event_free);
  g_clear_pointer (&self->verification_error, g_free);

  G_OBJECT_CLASS (ck_record_detail_parent_class)->finalize (object);
}

static void
ck_record_detail_class_init (CkRecordDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_record_detail_dispose;
  object_class->finalize = ck_record_detail_finalize;
  widget_class->unmap = ck_record_detail_unmap;

  /**
   * CkRecordDetail::changed:
   * @uuid: the consent
   *
   * A withdrawal or a verification changed the stored consent: lists
   * showing it should read it again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-record-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, demo_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, header_id_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reveal_content);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reprint_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_box);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawal_group);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawn_at_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawn_by_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, withdrawal_note_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, id_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, sign_date_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, kiosk_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, org_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, business_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, uuid_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, verification_row);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, verification_icon);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, attempts_list);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, CkRecordDetail, preview_message);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reprint_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_withdraw_clicked);
  gtk_widget_class_set_css_name (widget_class, "recorddetail");
}

static void
ck_record_detail_init (CkRecordDetail *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_record_detail_new:
 * @store: the consents
 * @queue: their verification
 * @config: the kiosk's configuration (the printer)
 *
 * Returns: (transfer full): a detail showing no consent yet
 */
CkRecordDetail *
ck_record_detail_new (CkStore       *store,
                      CkVerifyQueue *queue,
                      CkConfig      *config)
{
  CkRecordDetail *self;

  g_return_val_if_fail (CK_IS_STORE (store), NULL);
  g_return_val_if_fail (CK_IS_VERIFY_QUEUE (queue), NULL);
  g_return_val_if_fail (CK_IS_CONFIG (config), NULL);

  self = g_object_new (CK_TYPE_RECORD_DETAIL, NULL);
  self->store = g_object_ref (store);
  self->queue = g_object_ref (queue);
  self->config = g_object_ref (config);
  update_actions (self);

  return self;
}

/**
 * ck_record_detail_set_consent:
 * @uuid: (nullable): the consent to show; %NULL shows none
 *
 * Shows @uuid's consent: its fields, verification and withdrawal at
 * once, the preview as soon as it is rendered. A whole ID number shown
 * is masked again.
 */
void
ck_record_detail_set_consent (CkRecordDetail *self,
                              const char     *uuid)
{
  g_return_if_fail (CK_IS_RECORD_DETAIL (self));
  /* Made by ck_record_detail_new(), which gives it the store. */
  g_return_if_fail (self->store != NULL);

  mask_id_number (self);
  show_status (self, STATUS_INFO, NULL);
  g_free (self->uuid);
  self->uuid = g_strdup (uuid);

  if (uuid == NULL)
    {
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
      gtk_picture_set_paintable (self->preview_picture, NULL);
      g_clear_pointer (&self->record, ck_consent_record_free);
      g_clear_pointer (&self->verification, ck_verification_free);
      g_clear_pointer (&self->withdrawal, ck_store_event_free);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }

  reload (self);
  start_preview (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
  gtk_stack_set_visible_child_name (self->stack, "detail");
}

/**
 * ck_record_detail_get_consent:
 *
 * Returns: (nullable): the consent shown
 */
const char *
ck_record_detail_get_consent (CkRecordDetail *self)
{
  g_return_val_if_fail (CK_IS_RECORD_DETAIL (self), NULL);

  return self->uuid;
}

/**
 * ck_record_detail_set_operator:
 * @operator_name: (nullable): who is at the desk; recorded with a reveal
 *   or a withdrawal, which need one
 */
void
ck_record_detail_set_operator (CkRecordDetail *self,
                               const char     *operator_name)
{
  g_return_if_fail (CK_IS_RECORD_DETAIL (self));

  g_free (self->operator_name);
  self->operator_name = operator_name ? g_strstrip (g_strdup (operator_name)) : NULL;
  update_actions (self);
}
