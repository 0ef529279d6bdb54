/* ck-record-detail-preview.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record detail's preview: the first page of the signed PDF, rendered
 * by poppler in a worker thread with the ID number covered. The worker
 * reads the PDF file, which touches no database. */

#define G_LOG_DOMAIN "ck-record-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "ck-record-detail-impl.h"

/* The preview's height on screen, and how much finer it is rendered (for
 * scaled displays and a sharp downscale). */
#define PREVIEW_HEIGHT 480
#define PREVIEW_OVERSAMPLE 2

/* What covers the ID number on the preview: Adwaita's dark 4. */
#define PREVIEW_COVER_GRAY (0x3d / 255.0)

typedef struct
{
  CkStore *store;
  CkConsentRecord *record;
  char *ca_file;                /* [signing] ca_file, tsa_ca_file */
  char *tsa_ca_file;
} PreviewJob;

/* What the worker found: the page, and what the seal proves. */
typedef struct
{
  GdkTexture *texture;
  char *seal;
} Preview;

static void
preview_job_free (PreviewJob *job)
{
  g_clear_object (&job->store);
  ck_consent_record_free (job->record);
  g_free (job->ca_file);
  g_free (job->tsa_ca_file);
  g_free (job);
}

static void
preview_free (Preview *preview)
{
  g_clear_object (&preview->texture);
  g_free (preview->seal);
  g_free (preview);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Preview, preview_free)

/* One line on the PDF's seal (docs/SEALING.md): sealed by whom, with a
 * trusted time or not yet, not sealed, or not valid and why. */
static char *
describe_seal (GBytes     *pdf,
               const char *ca_file,
               const char *tsa_ca_file)
{
  g_autoptr(CkSealReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const CkSealTimestamp *stamp = NULL;

  if (!(report = ck_seal_verify_pdf (pdf, ca_file, tsa_ca_file, &error)))
    return g_strdup (error->message);
  if (!report->signed_)
    return g_strdup (_("Not sealed"));
  if (!ck_seal_report_is_ok (report))
    return g_strdup_printf (_("Seal NOT valid: %s"),
                            report->problems->len ? (const char *)report->problems->pdata[0] : "");

  for (guint i = 0; i < report->timestamps->len && stamp == NULL; i++)
    if (((const CkSealTimestamp *)report->timestamps->pdata[i])->valid)
      stamp = report->timestamps->pdata[i];
  if (stamp)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (stamp->time, NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *at = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (stamp->time);

      return g_strdup_printf (_("Sealed by %s, timestamped at %s"), report->signer, at);
    }

  return g_strdup_printf (_("Sealed by %s, no trusted time yet"), report->signer);
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
  Preview *preview;
  GdkTexture *texture;

  /* Reads the file and checks it against the recorded hash. */
  if (!(pdf = ck_store_read_pdf (job->store, job->record, &error)) ||
      !(texture = render_first_page (pdf, job->record->id_number, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  preview = g_new0 (Preview, 1);
  preview->texture = texture;
  preview->seal = describe_seal (pdf, job->ca_file, job->tsa_ca_file);
  g_task_return_pointer (task, preview, (GDestroyNotify)preview_free);
}

static void
on_preview_rendered (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CkRecordDetail *self = CK_RECORD_DETAIL (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(Preview) preview = NULL;
  GdkTexture *texture;

  preview = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  gtk_spinner_set_spinning (self->preview_spinner, FALSE);
  _ck_record_detail_set_row_value (self->seal_row, preview ? preview->seal : NULL);
  texture = preview ? preview->texture : NULL;
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

void
_ck_record_detail_start_preview (CkRecordDetail *self)
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
  job->ca_file = g_strdup (ck_config_get_signing_ca_file (self->config));
  job->tsa_ca_file = g_strdup (ck_config_get_tsa_ca_file (self->config));
  job->record = ck_consent_record_copy (self->record);
  task = g_task_new (self, self->preview_cancellable, on_preview_rendered, NULL);
  g_task_set_source_tag (task, _ck_record_detail_start_preview);
  g_task_set_task_data (task, job, (GDestroyNotify)preview_job_free);
  g_task_run_in_thread (task, render_preview_thread);
}
