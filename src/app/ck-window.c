/* ck-window.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The kiosk window: the customer flow's pages in a GtkStack, and what
 * happens between them. Pages drive the flow; the window only decides
 * where "next", "back" and "cancel" lead, gives each customer a fresh
 * CkFlow, and wipes everything entered on cancel (after asking), on Done
 * and after the idle timeout (with a visible countdown first). In kiosk
 * mode it fills the screen and cannot be closed but through the staff
 * PIN.
 *
 * The idle timeout counts input in every window of the kiosk (issue 17):
 * the staff dialog, the question before clearing, any dialog; while the
 * records window is open it keeps its own time (and holds it during an
 * export), and its closing wipes the form. A wipe closes every dialog
 * over the kiosk window, so that nothing entered survives in one. The
 * countdown is large and centred; ::idle-warning says when it starts
 * (the voice prompts speak it). */

#define G_LOG_DOMAIN "ck-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ck.h"
#include "ck-details-page.h"
#include "ck-kiosk-dialog.h"
#include "ck-letter-page.h"
#include "ck-result-page.h"
#include "ck-review-page.h"
#include "ck-saving-page.h"
#include "ck-signature-page.h"
#include "ck-staff-dialog.h"
#include "ck-staff-window.h"
#include "ck-step-bar.h"
#include "ck-verifying-page.h"
#include "ck-voice-prompts.h"
#include "ck-welcome-page.h"
#include "ck-window.h"

/* How often the idle countdown is looked at. */
#define IDLE_TICK_MS 250
/* The countdown shows for the last this many seconds (at most a third
 * of the timeout). */
#define IDLE_WARNING_S 10

struct _CkWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  GtkButton *staff_button;
  GtkToggleButton *large_text_button;
  CkStepBar *step_bar;
  GtkStack *stack;
  CkWelcomePage *welcome_page;
  CkLetterPage *letter_page;
  CkDetailsPage *details_page;
  CkSignaturePage *signature_page;
  CkReviewPage *review_page;
  CkSavingPage *saving_page;
  CkVerifyingPage *verifying_page;
  CkResultPage *result_page;
  AdwStatusPage *error_page;
  GtkRevealer *idle_revealer;
  GtkLabel *idle_label;

  CkConfig *config;
  CkStore *store;
  CkVerifyQueue *queue;
  CkFlow *flow;
  CkVoice *voice;             /* [kiosk] voice = true only */

  gint64 last_input_us;
  guint idle_timeout_s;
  guint idle_source;
  gboolean idle_warned;       /* ::idle-warning emitted for this countdown */

  gboolean kiosk_mode;
  gboolean closing_allowed;
  CkPinGuard *guard;          /* made when the staff dialog first opens */
  GtkWindow *confirm_dialog;
  GtkWindow *staff_dialog;
  GtkWindow *staff_window;

  CkPage *pages[8];
};

G_DEFINE_FINAL_TYPE (CkWindow, ck_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  IDLE_WARNING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char *name;
  const char *title;
  guint step;
} page_info[] = {
  { "welcome", N_("Personal Information Authorization"), 0 },
  { "letter", N_("Read the Letter"), 1 },
  { "details", N_("Your Details"), 2 },
  { "signature", N_("Sign"), 3 },
  { "review", N_("Check and Confirm"), 4 },
  { "saving", N_("Saving"), 5 },
  { "verifying", N_("Verifying"), 5 },
  { "result", N_("Result"), 5 },
};

static void
note_activity (CkWindow *self)
{
  self->last_input_us = g_get_monotonic_time ();
  if (self->voice && gtk_revealer_get_reveal_child (self->idle_revealer))
    ck_voice_stop (self->voice);
  self->idle_warned = FALSE;
  gtk_revealer_set_reveal_child (self->idle_revealer, FALSE);
  /* Hidden, the countdown takes no touch from the page under it. */
  gtk_widget_set_can_target (GTK_WIDGET (self->idle_revealer), FALSE);
}

/* The windows over the kiosk window (its dialogs, the staff dialog, the
 * records window), visible or not. */
static GPtrArray *
list_dialogs (CkWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, g_object_ref (toplevel));
    }

  return dialogs;
}

/* Whether a dialog of the kiosk window is on screen. */
static gboolean
has_dialogs (CkWindow *self)
{
  g_autoptr(GPtrArray) dialogs = list_dialogs (self);

  for (guint i = 0; i < dialogs->len; i++)
    if (gtk_widget_get_visible (dialogs->pdata[i]))
      return TRUE;

  return FALSE;
}

/* Closes every dialog over the kiosk window but the records window (it
 * is staff's, and keeps its own time): the question before clearing, the
 * staff dialog with whatever was typed in it. */
static void
close_dialogs (CkWindow *self)
{
  g_autoptr(GPtrArray) dialogs = list_dialogs (self);

  for (guint i = 0; i < dialogs->len; i++)
    if (dialogs->pdata[i] != (gpointer)self->staff_window)
      gtk_window_destroy (dialogs->pdata[i]);
}

/* The header follows the page on show: its title and the step bar. */
static void
on_visible_page_changed (CkWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  guint step = 0;

  for (guint i = 0; name && i < G_N_ELEMENTS (page_info); i++)
    {
      if (!g_str_equal (page_info[i].name, name))
        continue;

      adw_window_title_set_title (self->window_title, _(page_info[i].title));
      step = page_info[i].step;
    }
  ck_step_bar_set_step (self->step_bar, step);
}

/* Large text (大字, issue 17): a class on the window that large-text.css
 * styles; the customer's choice holds on every page until the wipe. */
static void
on_large_text_toggled (CkWindow *self)
{
  if (gtk_toggle_button_get_active (self->large_text_button))
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  note_activity (self);
}

/* large-text.css, once for the display: it only styles a window with the
 * large-text class, so the staff's windows never change. */
static void
load_large_text_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "ck-large-text-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/consentkiosk/ConsentKiosk/large-text.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "ck-large-text-css", g_object_ref (provider),
                          g_object_unref);
}

static void
show_page (CkWindow *self,
           CkPage   *page)
{
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  note_activity (self);
  ck_page_shown (page);
  ck_voice_prompt_page (self->voice, gtk_stack_get_visible_child_name (self->stack));
}

static void
show_error (CkWindow     *self,
            const GError *error)
{
  g_warning ("%s", error->message);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static CkPage *
get_visible_page (CkWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return CK_IS_PAGE (child) ? CK_PAGE (child) : NULL;
}

/**
 * ck_window_wipe:
 *
 * Forgets the customer: the flow is reset and dropped (a saved consent
 * stays in the store), every page is cleared, and the welcome page
 * returns. Not while a save is running.
 */
void
ck_window_wipe (CkWindow *self)
{
  g_return_if_fail (CK_IS_WINDOW (self));
  g_return_if_fail (!self->flow || ck_flow_get_state (self->flow) != CK_FLOW_STATE_SAVING);

  close_dialogs (self);

  if (self->flow)
    ck_flow_reset (self->flow);

  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    {
      ck_page_reset (self->pages[i]);
      ck_page_set_flow (self->pages[i], NULL);
    }
  g_clear_object (&self->flow);
  /* The next customer starts with the default size. */
  gtk_toggle_button_set_active (self->large_text_button, FALSE);

  g_debug ("Everything entered was wiped");
  show_page (self, CK_PAGE (self->welcome_page));
}

static gboolean
on_idle_tick (gpointer user_data)
{
  CkWindow *self = user_data;
  CkPage *page = get_visible_page (self);
  gint64 now = g_get_monotonic_time ();
  gint64 remaining_us;
  guint warning_s;

  /* Listening to the letter read aloud is not being idle. */
  if (ck_letter_page_get_reading (self->letter_page))
    note_activity (self);

  /* Nobody to wipe (no customer, no dialog), a save that must finish
   * first, or staff in the records (they keep their own time, and close
   * to a wiped form). */
  if ((self->flow == NULL && !has_dialogs (self)) || page == NULL || ck_page_get_busy (page) ||
      self->staff_window != NULL)
    {
      note_activity (self);
      return G_SOURCE_CONTINUE;
    }

  remaining_us = (gint64)self->idle_timeout_s * G_USEC_PER_SEC - (now - self->last_input_us);
  if (remaining_us <= 0)
    {
      g_message ("Nobody touched the kiosk for %u s: wiping the form", self->idle_timeout_s);
      ck_window_wipe (self);
      return G_SOURCE_CONTINUE;
    }

  warning_s = MIN (IDLE_WARNING_S, self->idle_timeout_s / 3);
  if (remaining_us <= (gint64)warning_s * G_USEC_PER_SEC)
    {
      guint seconds = (guint)((remaining_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      g_autofree char *text = NULL;

      /* A dialog in the middle of the screen would hide the countdown
       * (it is in the middle of the window): the dialogs go now, as the
       * wipe would take them, and the countdown is what is left. With no
       * form under them (staff's dialog over the welcome page) there is
       * nothing to count down to. */
      if (has_dialogs (self))
        {
          close_dialogs (self);
          gtk_window_present (GTK_WINDOW (self));
          if (self->flow == NULL)
            {
              note_activity (self);
              return G_SOURCE_CONTINUE;
            }
        }

      text = g_strdup_printf (ngettext ("Are you still there? Everything you entered will be "
                                        "cleared in %u second.",
                                        "Are you still there? Everything you entered will be "
                                        "cleared in %u seconds.", seconds), seconds);
      gtk_label_set_text (self->idle_label, text);
      if (!gtk_revealer_get_reveal_child (self->idle_revealer))
        ck_voice_prompt_idle (self->voice);
      gtk_revealer_set_reveal_child (self->idle_revealer, TRUE);
      gtk_widget_set_can_target (GTK_WIDGET (self->idle_revealer), TRUE);
      if (!self->idle_warned)
        {
          self->idle_warned = TRUE;
          g_signal_emit (self, signals[IDLE_WARNING], 0, seconds, text);
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Any input counts: touch, mouse, keys, in any window of the kiosk. */
static gboolean
on_input_event (CkWindow *self,
                GdkEvent *event)
{
  switch ((int)gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_MOTION_NOTIFY:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_SCROLL:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      note_activity (self);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/**
 * ck_window_key_leaves_kiosk:
 *
 * Returns: whether the key would take a window out of kiosk mode (Alt+F4,
 *   Escape, F11, Ctrl+Q, Ctrl+W): kiosk windows swallow it
 */
gboolean
ck_window_key_leaves_kiosk (guint           keyval,
                            GdkModifierType state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  return (keyval == GDK_KEY_F4 && (mods & GDK_ALT_MASK)) ||
         keyval == GDK_KEY_Escape ||
         keyval == GDK_KEY_F11 ||
         ((keyval == GDK_KEY_q || keyval == GDK_KEY_w) && (mods & GDK_CONTROL_MASK));
}

/* Keys that would take a customer out of kiosk mode. */
static gboolean
on_key_pressed (CkWindow        *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  if (self->kiosk_mode && ck_window_key_leaves_kiosk (keyval, state))
    {
      g_debug ("Key blocked in kiosk mode");
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Back to full screen if anything took the kiosk out of it; not while
 * one of its own dialogs is up (going full screen again raises the
 * window above them where no window manager keeps them on top). */
static void
on_fullscreened (CkWindow *self)
{
  if (self->kiosk_mode && !self->closing_allowed && !self->confirm_dialog &&
      !self->staff_dialog && !self->staff_window && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    gtk_window_fullscreen (GTK_WINDOW (self));
}

static gboolean
ck_window_close_request (GtkWindow *window)
{
  CkWindow *self = CK_WINDOW (window);

  if (self->kiosk_mode && !self->closing_allowed)
    {
      g_message ("Closing the kiosk needs the staff PIN");
      return TRUE;
    }

  return GTK_WINDOW_CLASS (ck_window_parent_class)->close_request (window);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CkWindow         *self)
{
  if (g_str_equal (response, "wipe"))
    ck_window_wipe (self);
}

static void
ask_wipe (CkWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->confirm_dialog)
    return;

  dialog = ck_kiosk_dialog_new (GTK_WINDOW (self), _("Cancel and Clear Everything?"),
                                _("Everything you entered will be cleared and nothing is "
                                  "signed."));
  ck_kiosk_dialog_add_responses (dialog,
                                 "keep", _("Keep Going"),
                                 "wipe", _("Clear Everything"),
                                 NULL);
  adw_message_dialog_set_response_appearance (dialog, "wipe", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  g_set_weak_pointer (&self->confirm_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_welcome_next (CkWindow *self)
{
  CkApplication *app = CK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GError) error = NULL;
  CkFontSet *fonts;

  if (!(fonts = ck_application_get_fonts (app, &error)))
    {
      show_error (self, error);
      return;
    }

  /* A fresh flow for each customer. */
  g_clear_object (&self->flow);
  self->flow = ck_flow_new (self->config, self->store, fonts);
  {
    CkSealQueue *seal_queue = ck_application_get_seal_queue (app, NULL);
    g_autoptr(CkSeal) seal = seal_queue ? ck_seal_queue_dup_seal (seal_queue) : NULL;

    ck_flow_set_seal (self->flow, seal);
  }
  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    ck_page_set_flow (self->pages[i], self->flow);

  show_page (self, CK_PAGE (self->letter_page));
}

static void
on_letter_next (CkWindow *self)
{
  show_page (self, CK_PAGE (self->details_page));
}

static void
on_details_next (CkWindow *self)
{
  show_page (self, CK_PAGE (self->signature_page));
}

static void
on_details_back (CkWindow *self)
{
  show_page (self, CK_PAGE (self->letter_page));
}

static void
on_signature_next (CkWindow *self)
{
  /* The review reads the signature from the flow and draws it as the
   * PDF will. */
  show_page (self, CK_PAGE (self->review_page));
}

static void
on_signature_back (CkWindow *self)
{
  show_page (self, CK_PAGE (self->details_page));
}

static void
on_review_next (CkWindow *self)
{
  show_page (self, CK_PAGE (self->saving_page));
}

static void
on_review_back (CkWindow *self)
{
  show_page (self, CK_PAGE (self->signature_page));
}

static void
on_saving_next (CkWindow *self)
{
  const CkConsentRecord *record = ck_saving_page_get_record (self->saving_page);
  g_autofree char *pdf_path = NULL;

  g_return_if_fail (record != NULL);

  /* A job this save left, or an anchor it makes due, without waiting
   * for the queue's next minute. */
  {
    CkApplication *app = CK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
    CkSealQueue *seal_queue = app ? ck_application_get_seal_queue (app, NULL) : NULL;
    CkSyncQueue *sync_queue = app ? ck_application_get_sync_queue (app, NULL) : NULL;

    if (seal_queue)
      ck_seal_queue_kick (seal_queue);
    /* The central archive gets it now, not at the next interval. */
    if (sync_queue)
      ck_sync_queue_kick (sync_queue);
  }

  pdf_path = ck_store_dup_pdf_file (self->store, record);
  ck_result_page_set_pdf (self->result_page, pdf_path, ck_config_get_printer (self->config));
  show_page (self, CK_PAGE (self->verifying_page));
}

static void
on_verifying_next (CkWindow *self)
{
  ck_result_page_set_result (self->result_page,
                             ck_verifying_page_get_verification (self->verifying_page),
                             ck_verifying_page_get_error (self->verifying_page),
                             ck_config_get_provider (self->config) == CK_VERIFIER_PROVIDER_DEMO);
  show_page (self, CK_PAGE (self->result_page));
}

static void
on_result_next (CkWindow *self)
{
  ck_window_wipe (self);
}

static void
on_page_cancel (CkWindow *self)
{
  ask_wipe (self);
}

static void
on_idle_button_clicked (CkWindow *self)
{
  note_activity (self);
}

static void
on_pending_verified (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CkWindow) self = user_data;
  g_autoptr(GPtrArray) verifications = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  verifications = ck_verify_queue_run_due_finish (CK_VERIFY_QUEUE (object), result, &error);
  if (verifications == NULL)
    text = g_strdup (error->message);
  else
    text = g_strdup_printf (ngettext ("%u waiting consent was tried.",
                                      "%u waiting consents were tried.", verifications->len),
                            verifications->len);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
on_staff_verify_pending (CkWindow *self)
{
  if (self->queue && ck_verify_queue_is_enabled (self->queue))
    ck_verify_queue_run_due_async (self->queue, TRUE, NULL, on_pending_verified,
                                   g_object_ref (self));
}

static void
on_staff_quit (CkWindow *self)
{
  CkPage *page = get_visible_page (self);

  g_message ("Staff left the kiosk");
  if (page == NULL || !ck_page_get_busy (page))
    ck_window_wipe (self);
  self->closing_allowed = TRUE;
  if (self->staff_dialog)
    gtk_window_destroy (self->staff_dialog);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The records closed: staff are done, the next customer comes. */
static void
on_staff_window_destroyed (CkWindow *self)
{
  CkPage *page = get_visible_page (self);

  if (page == NULL || !ck_page_get_busy (page))
    ck_window_wipe (self);
  note_activity (self);
  on_fullscreened (self);
}

static void
on_staff_records (CkWindow   *self,
                  const char *operator_name)
{
  CkStaffWindow *records;

  if (self->staff_window)
    {
      gtk_window_present (self->staff_window);
      return;
    }
  if (self->store == NULL)
    return;

  records = ck_staff_window_new (GTK_WINDOW (self), self->store, self->queue, self->config,
                                 operator_name, self->kiosk_mode);
  {
    CkApplication *app = CK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

    ck_staff_window_set_seal_queue (records, app ? ck_application_get_seal_queue (app, NULL) : NULL);
    ck_staff_window_set_sync_queue (records, app ? ck_application_get_sync_queue (app, NULL) : NULL);
  }
  g_signal_connect_object (records, "destroy", G_CALLBACK (on_staff_window_destroyed), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->staff_window, GTK_WINDOW (records));
  gtk_window_present (GTK_WINDOW (records));
}

/**
 * ck_window_show_staff:
 *
 * Opens the staff dialog (the PIN first), as the lock button does.
 */
void
ck_window_show_staff (CkWindow *self)
{
  CkStaffDialog *dialog;
  const char *hash = self->config ? ck_config_get_staff_pin_hash (self->config) : NULL;

  if (self->staff_dialog)
    {
      gtk_window_present (self->staff_dialog);
      return;
    }

  /* The wrong PINs counted since the last unlock, before a restart too,
   * come from the store. */
  if (self->guard == NULL)
    self->guard = ck_pin_guard_new (hash, self->store);
  dialog = ck_staff_dialog_new (GTK_WINDOW (self), self->guard);
  /* At a staffed desk without a PIN, staff functions are open. */
  if (hash == NULL && !self->kiosk_mode)
    ck_staff_dialog_unlock (dialog);
  g_signal_connect_object (dialog, "quit", G_CALLBACK (on_staff_quit), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "verify-pending", G_CALLBACK (on_staff_verify_pending), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "records", G_CALLBACK (on_staff_records), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->staff_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_staff_clicked (CkWindow *self)
{
  ck_window_show_staff (self);
}

static void
set_kiosk_mode (CkWindow *self,
                gboolean  kiosk_mode,
                gboolean  fullscreen)
{
  self->kiosk_mode = kiosk_mode;
  if (kiosk_mode)
    {
      gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
      adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
      adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
      g_message ("Kiosk mode: full screen; the staff PIN leaves it");
    }
  if (kiosk_mode || fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (self));
}

/* Reads what the application loaded; shows an error page if anything is
 * missing. */
static void
load (CkWindow      *self,
      CkApplication *app)
{
  g_autoptr(GError) error = NULL;
  CkTemplateValues values = { NULL };
  CkTemplate *template;

  set_kiosk_mode (self, ck_application_get_kiosk_mode (app),
                  ck_application_get_config (app, NULL) &&
                  ck_config_get_fullscreen (ck_application_get_config (app, NULL)));

  if (!(self->config = ck_application_get_config (app, &error)) ||
      !(template = ck_application_get_template (app, &error)) ||
      !(self->store = ck_application_get_store (app, &error)) ||
      !(self->queue = ck_application_get_verify_queue (app, &error)))
    {
      self->config = NULL;
      self->store = NULL;
      self->queue = NULL;
      show_error (self, error);
      return;
    }
  g_object_ref (self->config);
  g_object_ref (self->store);
  g_object_ref (self->queue);

  /* No consent without the processor named: staff see which key is
   * missing, customers never get past it. */
  if (!ck_config_check_organization (self->config, &error))
    {
      show_error (self, error);
      return;
    }

  self->idle_timeout_s = ck_config_get_idle_timeout_s (self->config);
  values[CK_TEMPLATE_FIELD_COMPANY] = ck_config_get_organization_name (self->config);
  values[CK_TEMPLATE_FIELD_BUSINESS] = ck_config_get_organization_business (self->config);
  values[CK_TEMPLATE_FIELD_PURPOSE] = ck_config_get_organization_purpose (self->config);
  ck_letter_page_set_letter (self->letter_page, template, values);
  ck_welcome_page_set_organization (self->welcome_page,
                                    ck_config_get_organization_name (self->config),
                                    ck_config_get_organization_example (self->config));
  ck_verifying_page_set_queue (self->verifying_page, self->queue);
  if (ck_config_get_voice (self->config))
    self->voice = ck_voice_new (NULL);
  ck_letter_page_set_voice (self->letter_page, self->voice);

  show_page (self, CK_PAGE (self->welcome_page));
}

CkWindow *
ck_window_new (CkApplication *application)
{
  CkWindow *self;

  g_return_val_if_fail (CK_IS_APPLICATION (application), NULL);

  self = g_object_new (CK_TYPE_WINDOW,
                       "application", application,
                       NULL);
  load (self, application);

  return self;
}

/* Input in every other window of the kiosk counts as well: each new one
 * is watched as it comes, before any of its widgets sees the input. */
static void
on_toplevels_changed (CkWindow *self)
{
  static GQuark watched_quark;
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (watched_quark == 0)
    watched_quark = g_quark_from_static_string ("ck-window-watched");

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      GtkEventController *controller;

      if (toplevel == GTK_WINDOW (self) ||
          g_object_get_qdata (G_OBJECT (toplevel), watched_quark) == self)
        continue;

      controller = gtk_event_controller_legacy_new ();
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect_object (controller, "event", G_CALLBACK (on_input_event), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_add_controller (GTK_WIDGET (toplevel), controller);
      g_object_set_qdata (G_OBJECT (toplevel), watched_quark, self);
    }
}

static void
ck_window_dispose (GObject *object)
{
  CkWindow *self = (CkWindow *)object;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->confirm_dialog)
    gtk_window_destroy (self->confirm_dialog);
  if (self->staff_dialog)
    gtk_window_destroy (self->staff_dialog);
  if (self->staff_window)
    {
      g_signal_handlers_disconnect_by_func (self->staff_window, on_staff_window_destroyed, self);
      gtk_window_destroy (self->staff_window);
    }
  g_clear_weak_pointer (&self->confirm_dialog);
  g_clear_weak_pointer (&self->staff_dialog);
  g_clear_weak_pointer (&self->staff_window);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_WINDOW);
  g_clear_object (&self->flow);
  g_clear_object (&self->voice);
  g_clear_object (&self->guard);
  g_clear_object (&self->queue);
  g_clear_object (&self->store);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ck_window_parent_class)->dispose (object);
}

static void
ck_window_class_init (CkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ck_window_dispose;
  window_class->close_request = ck_window_close_request;

  /**
   * CkWindow::idle-warning:
   * @seconds: how long until everything entered is cleared
   * @text: the warning on screen
   *
   * The idle countdown has just appeared: once a countdown, for the voice
   * prompts to speak it.
   */
  signals[IDLE_WARNING] = g_signal_new ("idle-warning", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  g_type_ensure (CK_TYPE_WELCOME_PAGE);
  g_type_ensure (CK_TYPE_LETTER_PAGE);
  g_type_ensure (CK_TYPE_DETAILS_PAGE);
  g_type_ensure (CK_TYPE_SIGNATURE_PAGE);
  g_type_ensure (CK_TYPE_REVIEW_PAGE);
  g_type_ensure (CK_TYPE_SAVING_PAGE);
  g_type_ensure (CK_TYPE_VERIFYING_PAGE);
  g_type_ensure (CK_TYPE_RESULT_PAGE);
  g_type_ensure (CK_TYPE_STEP_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, staff_button);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, step_bar);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, letter_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, details_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, signature_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, saving_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, verifying_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, result_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, idle_revealer);
  gtk_widget_class_bind_template_child (widget_class, CkWindow, idle_label);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_next);
  gtk_widget_class_bind_template_callback (widget_class, on_letter_next);
  gtk_widget_class_bind_template_callback (widget_class, on_details_next);
  gtk_widget_class_bind_template_callback (widget_class, on_details_back);
  gtk_widget_class_bind_template_callback (widget_class, on_signature_next);
  gtk_widget_class_bind_template_callback (widget_class, on_signature_back);
  gtk_widget_class_bind_template_callback (widget_class, on_review_next);
  gtk_widget_class_bind_template_callback (widget_class, on_review_back);
  gtk_widget_class_bind_template_callback (widget_class, on_saving_next);
  gtk_widget_class_bind_template_callback (widget_class, on_verifying_next);
  gtk_widget_class_bind_template_callback (widget_class, on_result_next);
  gtk_widget_class_bind_template_callback (widget_class, on_idle_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_staff_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_large_text_toggled);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_letter_cancel",
                                                G_CALLBACK (on_page_cancel));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_details_cancel",
                                                G_CALLBACK (on_page_cancel));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_signature_cancel",
                                                G_CALLBACK (on_page_cancel));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_review_cancel",
                                                G_CALLBACK (on_page_cancel));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_saving_cancel",
                                                G_CALLBACK (on_page_cancel));
}

static void
ck_window_init (CkWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_large_text_css (GTK_WIDGET (self));
  self->pages[0] = CK_PAGE (self->welcome_page);
  self->pages[1] = CK_PAGE (self->letter_page);
  self->pages[2] = CK_PAGE (self->details_page);
  self->pages[3] = CK_PAGE (self->signature_page);
  self->pages[4] = CK_PAGE (self->review_page);
  self->pages[5] = CK_PAGE (self->saving_page);
  self->pages[6] = CK_PAGE (self->verifying_page);
  self->pages[7] = CK_PAGE (self->result_page);
  self->idle_timeout_s = 90;

  /* Input anywhere in the window, before any widget sees it. */
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (on_input_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed",
                           G_CALLBACK (on_toplevels_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_page_changed), self, G_CONNECT_SWAPPED);
  on_visible_page_changed (self);

  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    ck_page_reset (self->pages[i]);

  note_activity (self);
  self->idle_source = g_timeout_add (IDLE_TICK_MS, on_idle_tick, self);
}

/**
 * ck_window_get_flow:
 *
 * Returns: (transfer none) (nullable): the flow of the customer at the
 *   kiosk; %NULL on the welcome page
 */
CkFlow *
ck_window_get_flow (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), NULL);

  return self->flow;
}

/**
 * ck_window_get_stack:
 *
 * Returns: (transfer none): the stack of pages (named "welcome", "letter",
 *   "details", "signature", "review", "saving", "verifying", "result",
 *   "error")
 */
GtkStack *
ck_window_get_stack (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), NULL);

  return self->stack;
}

/**
 * ck_window_get_idle_warning_shown:
 *
 * Returns: whether the idle countdown is on screen
 */
gboolean
ck_window_get_idle_warning_shown (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->idle_revealer);
}

/**
 * ck_window_get_large_text:
 *
 * Returns: whether the customer chose large text
 */
gboolean
ck_window_get_large_text (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), FALSE);

  return gtk_toggle_button_get_active (self->large_text_button);
}

/**
 * ck_window_get_step_bar:
 *
 * Returns: (transfer none): the bar of named steps under the header
 */
CkStepBar *
ck_window_get_step_bar (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), NULL);

  return self->step_bar;
}

gboolean
ck_window_get_kiosk_mode (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), FALSE);

  return self->kiosk_mode;
}

/**
 * ck_window_get_staff_window:
 *
 * Returns: (transfer none) (nullable): the records window, while open
 */
GtkWindow *
ck_window_get_staff_window (CkWindow *self)
{
  g_return_val_if_fail (CK_IS_WINDOW (self), NULL);

  return self->staff_window;
}

/**
 * ck_window_set_idle_timeout:
 *
 * Wipes the form after @seconds without input in any window of the kiosk
 * from now on (the configuration's idle timeout by default, at least
 * 15 s; tests take less).
 */
void
ck_window_set_idle_timeout (CkWindow *self,
                            guint     seconds)
{
  g_return_if_fail (CK_IS_WINDOW (self));
  g_return_if_fail (seconds > 0);

  self->idle_timeout_s = seconds;
}
