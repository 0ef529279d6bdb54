/* ck-result-page.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How the verification went, in the customer's words (the core's
 * customer_message): verified, not matched, undetermined, or the service
 * unavailable, in which case the consent is kept and verified later.
 * DEMO when the demo provider answered. Print sends the stored PDF to a
 * printer; Back to Home wipes everything and returns to the welcome page.
 * What happens next is said in words, and the page goes back to the
 * welcome page by itself after a visible countdown (issue 17), unless the
 * customer tapped Print (then the idle timeout clears it). */

#define G_LOG_DOMAIN "ck-result-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-print.h"
#include "ck-result-page.h"

struct _CkResultPage
{
  CkPage parent_instance;

  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *message_label;
  GtkLabel *demo_label;
  GtkLabel *print_label;
  GtkButton *print_button;
  GtkButton *done_button;
  GtkLabel *next_label;
  GtkLabel *countdown_label;

  CkVerifyState state;
  char *pdf_path;
  char *printer_name;
  GCancellable *print_cancellable;

  guint return_after_s;
  gint64 countdown_end_us;    /* 0: no countdown */
  guint countdown_left_s;
  guint countdown_source;
};

/* How often the countdown is looked at. */
#define COUNTDOWN_TICK_MS 250

G_DEFINE_FINAL_TYPE (CkResultPage, ck_result_page, CK_TYPE_PAGE)

static void
show_print_status (CkResultPage *self,
                   const char   *message,
                   gboolean      error)
{
  ck_page_show_error (CK_PAGE (self), self->print_label, message);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->print_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->print_label), "error");
}

/* What the printer reports while the job waits: the customer is told in
 * plain words, and to ask staff. */
static void
on_print_progress (CkPrintProblem problem,
                   gpointer       user_data)
{
  CkResultPage *self = user_data;

  if (problem == CK_PRINT_PROBLEM_NONE)
    show_print_status (self, _("Printing…"), FALSE);
  else
    show_print_status (self, ck_print_problem_get_customer_message (problem),
                       ck_print_problem_is_blocking (problem));
}

static void
on_printed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CkResultPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The customer this job was for left (the page was reset since, and
   * may be printing for the next one). */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), TRUE);
  if (!ck_print_file_finish (result, &error))
    {
      CkPrintProblem problem = CK_PRINT_PROBLEM_FAILED;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_print_status (self, NULL, FALSE);
          return;
        }

      /* CUPS's words go to the journal, never to the customer. */
      g_message ("Printing failed: %s", error->message);
      if (error->domain == CK_PRINT_ERROR && ck_print_problem_is_blocking (error->code))
        problem = error->code;
      show_print_status (self, ck_print_problem_get_customer_message (problem), TRUE);
      return;
    }

  show_print_status (self, _("Printed. Please take your copy from the printer."), FALSE);
}

/**
 * ck_result_page_print:
 *
 * Prints the stored consent: to the configured printer, or through GTK's
 * print dialog at a staffed desk. A kiosk without a printer tells the
 * customer to ask staff for a printed copy, and opens nothing.
 */
void
ck_result_page_print (CkResultPage *self)
{
  GtkRoot *root;

  g_return_if_fail (CK_IS_RESULT_PAGE (self));
  g_return_if_fail (self->pdf_path != NULL);

  if (self->printer_name == NULL && ck_print_is_locked_down ())
    {
      show_print_status (self, ck_print_problem_get_customer_message (CK_PRINT_PROBLEM_NO_PRINTER),
                         FALSE);
      return;
    }

  if (self->print_cancellable == NULL)
    self->print_cancellable = g_cancellable_new ();

  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), FALSE);
  show_print_status (self, _("Printing…"), FALSE);
  ck_print_file_async (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       self->pdf_path,
                       _("Signed consent"),
                       self->printer_name,
                       on_print_progress,
                       self,
                       self->print_cancellable,
                       on_printed,
                       g_object_ref (self));
}

static void
on_print_clicked (CkResultPage *self)
{
  ck_result_page_print (self);
}

static void
on_done_clicked (CkResultPage *self)
{
  ck_page_emit_next (CK_PAGE (self));
}

/* The countdown's line keeps its height when it says nothing, so that
 * nothing moves when it stops. */
static void
stop_countdown (CkResultPage *self)
{
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  self->countdown_end_us = 0;
  self->countdown_left_s = 0;
  gtk_label_set_text (self->countdown_label, "");
}

static gboolean
on_countdown_tick (gpointer user_data)
{
  CkResultPage *self = user_data;
  gint64 left_us = self->countdown_end_us - g_get_monotonic_time ();
  g_autofree char *text = NULL;

  if (left_us <= 0)
    {
      self->countdown_source = 0;
      stop_countdown (self);
      g_debug ("The result page's countdown ran out: back to the welcome page");
      ck_page_emit_next (CK_PAGE (self));
      return G_SOURCE_REMOVE;
    }

  self->countdown_left_s = (guint)((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  /* Translators: the result page goes back to the welcome page by itself */
  text = g_strdup_printf (ngettext ("Back to the start page in %u second",
                                    "Back to the start page in %u seconds",
                                    self->countdown_left_s),
                          self->countdown_left_s);
  gtk_label_set_text (self->countdown_label, text);

  return G_SOURCE_CONTINUE;
}

static void
start_countdown (CkResultPage *self)
{
  stop_countdown (self);
  if (self->return_after_s == 0)
    return;

  self->countdown_end_us = g_get_monotonic_time () + (gint64)self->return_after_s * G_USEC_PER_SEC;
  on_countdown_tick (self);
  self->countdown_source = g_timeout_add (COUNTDOWN_TICK_MS, on_countdown_tick, self);
}

/* Print holds the page: the customer waits for the paper. The print
 * handler itself is on_print_clicked; this one only stops the clock. */
static void
on_print_clicked_stop_countdown (CkResultPage *self)
{
  if (self->countdown_source)
    g_debug ("Print was tapped: the countdown stops");
  stop_countdown (self);
}

static void
ck_result_page_shown (CkPage *page)
{
  CkResultPage *self = CK_RESULT_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  start_countdown (self);
}

static void
ck_result_page_reset (CkPage *page)
{
  CkResultPage *self = CK_RESULT_PAGE (page);

  /* A print job already handed over goes on; its answer is not shown to
   * the next customer. */
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  g_clear_pointer (&self->pdf_path, g_free);
  g_clear_pointer (&self->printer_name, g_free);
  stop_countdown (self);
  self->state = CK_VERIFY_STATE_UNVERIFIED;
  gtk_label_set_text (self->title_label, "");
  gtk_label_set_text (self->message_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), FALSE);
  show_print_status (self, NULL, FALSE);
}

static void
ck_result_page_dispose (GObject *object)
{
  CkResultPage *self = (CkResultPage *)object;

  g_clear_handle_id (&self->countdown_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_RESULT_PAGE);
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  g_clear_pointer (&self->pdf_path, g_free);
  g_clear_pointer (&self->printer_name, g_free);

  G_OBJECT_CLASS (ck_result_page_parent_class)->dispose (object);
}

static void
ck_result_page_class_init (CkResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CkPageClass *page_class = CK_PAGE_CLASS (klass);

  object_class->dispose = ck_result_page_dispose;
  page_class->shown = ck_result_page_shown;
  page_class->reset = ck_result_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, icon);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, print_label);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, next_label);
  gtk_widget_class_bind_template_child (widget_class, CkResultPage, countdown_label);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked);
}

static void
ck_result_page_init (CkResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->return_after_s = CK_RESULT_PAGE_RETURN_AFTER_S;
  g_signal_connect_swapped (self->print_button, "clicked",
                            G_CALLBACK (on_print_clicked_stop_countdown), self);
}

/**
 * ck_result_page_set_result:
 * @verification: (nullable): where the verification stands
 * @error: (nullable): why no verification was made now, when
 *   @verification is %NULL
 * @demo: whether the demo provider is configured
 */
void
ck_result_page_set_result (CkResultPage         *self,
                           const CkVerification *verification,
                           const GError         *error,
                           gboolean              demo)
{
  const char *icon_name = "dialog-warning-symbolic";
  const char *css = "warning";
  const char *title;
  const char *message = NULL;

  g_return_if_fail (CK_IS_RESULT_PAGE (self));

  self->state = verification ? verification->state : CK_VERIFY_STATE_RETRYING;
  /* Provider none: nothing is verified here, and nothing will be retried. */
  if (verification == NULL && g_error_matches (error, CK_VERIFY_QUEUE_ERROR, CK_VERIFY_QUEUE_ERROR_DISABLED))
    {
      self->state = CK_VERIFY_STATE_UNVERIFIED;
      icon_name = "emblem-ok-symbolic";
      css = "success";
      title = _("Your consent is saved");
      message = _("This kiosk does not verify identities online; a member of staff will check "
                  "your ID card.");
    }
  else switch (self->state)
    {
    case CK_VERIFY_STATE_VERIFIED:
      icon_name = "emblem-ok-symbolic";
      css = "success";
      title = _("Your identity is verified");
      break;

    case CK_VERIFY_STATE_NOT_MATCHED:
      icon_name = "dialog-error-symbolic";
      css = "error";
      title = _("The name and the ID number do not match");
      break;

    case CK_VERIFY_STATE_UNDETERMINED:
      title = _("Your identity could not be confirmed");
      break;

    case CK_VERIFY_STATE_REJECTED:
      icon_name = "dialog-error-symbolic";
      css = "error";
      title = _("The name or ID number was not accepted");
      break;

    case CK_VERIFY_STATE_UNVERIFIED:
    case CK_VERIFY_STATE_IN_PROGRESS:
    case CK_VERIFY_STATE_RETRYING:
    case CK_VERIFY_STATE_FAILED:
    case CK_VERIFY_STATE_WITHDRAWN:
    default:
      title = _("The verification service is not available");
      message = _("Your consent is kept and verification will be retried. Staff will contact "
                  "you if anything more is needed.");
      break;
    }

  if (verification && verification->customer_message && verification->customer_message[0])
    message = verification->customer_message;
  else if (message == NULL && error)
    message = error->message;

  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), css);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label),
                          demo || (verification && verification->demo));
}

/**
 * ck_result_page_set_pdf:
 * @pdf_path: (nullable): the stored consent's PDF
 * @printer_name: (nullable): the configured printer; %NULL: the dialog at a
 *   staffed desk, "ask staff" at a kiosk (ck_print_lock_down())
 */
void
ck_result_page_set_pdf (CkResultPage *self,
                        const char   *pdf_path,
                        const char   *printer_name)
{
  g_return_if_fail (CK_IS_RESULT_PAGE (self));

  g_free (self->pdf_path);
  self->pdf_path = g_strdup (pdf_path);
  g_free (self->printer_name);
  self->printer_name = g_strdup (printer_name);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), pdf_path != NULL);
}

/**
 * ck_result_page_get_state:
 *
 * Returns: the verification state shown
 */
CkVerifyState
ck_result_page_get_state (CkResultPage *self)
{
  g_return_val_if_fail (CK_IS_RESULT_PAGE (self), CK_VERIFY_STATE_UNVERIFIED);

  return self->state;
}

/**
 * ck_result_page_set_return_after:
 * @seconds: how long the page stays before it goes back to the welcome
 *   page by itself; 0 for never
 *
 * %CK_RESULT_PAGE_RETURN_AFTER_S unless set (tests set less). Takes effect
 * the next time the page is shown.
 */
void
ck_result_page_set_return_after (CkResultPage *self,
                                 guint         seconds)
{
  g_return_if_fail (CK_IS_RESULT_PAGE (self));

  self->return_after_s = seconds;
}

/**
 * ck_result_page_get_countdown:
 *
 * Returns: the seconds left before the page goes back to the welcome page
 *   by itself, as shown; 0 when no countdown runs
 */
guint
ck_result_page_get_countdown (CkResultPage *self)
{
  g_return_val_if_fail (CK_IS_RESULT_PAGE (self), 0);

  return self->countdown_left_s;
}
