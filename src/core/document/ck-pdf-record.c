/* ck-pdf-record.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The signing record (签署信息) after the declaration's signature: a
 * compact framed table of what DocuSeal's and Documenso's audit pages say,
 * on the form itself. */

#define G_LOG_DOMAIN "ck-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-pdf-private.h"

G_DEFINE_ENUM_TYPE (CkEntryMethod, ck_entry_method,
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_TYPED, "typed"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_HANDWRITING, "handwriting"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_PINYIN, "pinyin"),
                    G_DEFINE_ENUM_VALUE (CK_ENTRY_METHOD_CARD, "card"))

/* --- the signing record ---------------------------------------------- */

/* A small framed table after the declaration's signature (issue 14):
 * what DocuSeal's and Documenso's audit pages say, on the form itself.
 * Everything comes from the request, so the same request gives the same
 * bytes. */

/**
 * ck_entry_method_to_string:
 * @method: a #CkEntryMethod
 *
 * Returns: its name in the signing record: 键盘输入, 手写输入, 拼音输入
 *   or 身份证读卡
 */
const char *
ck_entry_method_to_string (CkEntryMethod method)
{
  switch (method)
    {
    case CK_ENTRY_METHOD_TYPED:
      return "键盘输入";
    case CK_ENTRY_METHOD_HANDWRITING:
      return "手写输入";
    case CK_ENTRY_METHOD_PINYIN:
      return "拼音输入";
    case CK_ENTRY_METHOD_CARD:
      return "身份证读卡";
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * ck_entry_method_to_nick:
 * @method: a #CkEntryMethod
 *
 * Returns: its nick, "typed", "handwriting", "pinyin" or "card": what the
 *   store keeps (#CkConsentRecord's name_method and id_method) and the
 *   exports write
 */
const char *
ck_entry_method_to_nick (CkEntryMethod method)
{
  /* The nicks of the enum type above. */
  switch (method)
    {
    case CK_ENTRY_METHOD_TYPED:
      return "typed";
    case CK_ENTRY_METHOD_HANDWRITING:
      return "handwriting";
    case CK_ENTRY_METHOD_PINYIN:
      return "pinyin";
    case CK_ENTRY_METHOD_CARD:
      return "card";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ck_entry_method_describe:
 * @nick: (nullable): a stored entry method, as ck_entry_method_to_nick()
 *   gives it, or %NULL when the consent does not record it
 *
 * Returns: what staff read for it, translated: the signing record's
 *   wording in Chinese, or "Not recorded" for %NULL; an unknown nick as
 *   it is
 */
const char *
ck_entry_method_describe (const char *nick)
{
  if (nick == NULL)
    return _("Not recorded");
  if (g_str_equal (nick, "typed"))
    return _("Typed on a keyboard");
  if (g_str_equal (nick, "handwriting"))
    return _("Written by hand");
  if (g_str_equal (nick, "pinyin"))
    return _("Chosen on the pinyin keyboard");
  if (g_str_equal (nick, "card"))
    return _("Read from the ID card");

  return nick;
}

/* The signature's duration, first sample to last, in tenths of a second
 * (integers: no locale's decimal comma, the same bytes everywhere). */
static guint
signature_tenths (CkSignature *signature,
                  guint       *n_samples)
{
  const CkSignatureSample *samples = ck_signature_get_samples (signature, n_samples);
  guint32 ms;

  if (*n_samples == 0)
    return 0;

  /* GDK's times are unsigned and wrap: the difference is right either way. */
  ms = samples[*n_samples - 1].time_ms - samples[0].time_ms;
  return (guint)(((guint64)ms + 50) / 100);
}

/* Adds @text as one line's glyphs; its op, without a place yet. */
static gboolean
record_text (Layout     *layout,
             const char *text,
             double      size,
             gboolean    bold,
             Op         *op)
{
  guint first = layout->glyphs->len;

  if (!_ck_pdf_add_text (layout, text, CK_TEMPLATE_FIELD_NONE, ck_font_set_get_body_style (layout->fonts)))
    return FALSE;

  *op = (Op) { .kind = OP_LINE, .size = size, .bold = bold, .first = first,
               .n = layout->glyphs->len - first, .block = G_MAXUINT };
  return TRUE;
}

gboolean
_ck_pdf_layout_signing_record (Layout *layout)
{
  const CkPdfRequest *request = layout->request;
  g_autofree char *time = g_date_time_format (request->created, "%Y-%m-%d %H:%M:%S %:z");
  g_autofree char *template_hash = g_strndup (ck_template_get_sha256 (request->template), 16);
  g_autofree char *duration = NULL;
  g_autofree char *samples = NULL;
  const char *cells[][2] = {
    { "同意书编号", request->consent_id },
    { "终端", request->kiosk_id },
    { "签署时间", time },
    { "模板 SHA-256", template_hash },
    { "姓名录入方式", ck_entry_method_to_string (request->name_method) },
    { "证件号码录入方式", ck_entry_method_to_string (request->id_method) },
    { "签名用时", NULL },
    { "采样点数", NULL },
  };
  guint n_cells = G_N_ELEMENTS (cells);
  guint n_rows = (n_cells + 1) / 2;
  double left = MARGIN_LEFT;
  double width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
  double column = (width - 4 * RECORD_PAD) / 2;
  double label_width[2] = { 0, 0 };
  double height, top, baseline;
  Op labels[G_N_ELEMENTS (cells)], values[G_N_ELEMENTS (cells)], title, frame;
  guint n_samples, tenths;

  tenths = signature_tenths (request->signature, &n_samples);
  duration = g_strdup_printf ("%u.%u 秒", tenths / 10, tenths % 10);
  samples = g_strdup_printf ("%u", n_samples);
  cells[6][1] = duration;
  cells[7][1] = samples;

  /* A sealed PDF (docs/SEALING.md) says so in the legend, which takes no
   * height: the record of the longest name still fits its page. */
  if (!record_text (layout, request->sealed ? "签署信息（本文件已加盖电子签章）" : "签署信息",
                    RECORD_TITLE_SIZE, TRUE, &title))
    return FALSE;
  for (guint i = 0; i < n_cells; i++)
    {
      if (!record_text (layout, cells[i][0], RECORD_SIZE, FALSE, &labels[i]) ||
          !record_text (layout, cells[i][1], RECORD_SIZE, FALSE, &values[i]))
        return FALSE;
      label_width[i % 2] = MAX (label_width[i % 2],
                                _ck_pdf_glyphs_width (layout, labels[i].first, labels[i].n, RECORD_SIZE));
    }

  /* A value wider than its cell (a long kiosk id) is set smaller, never
   * cut: the record says exactly what the footer and metadata say. */
  for (guint i = 0; i < n_cells; i++)
    {
      double room = column - label_width[i % 2] - RECORD_LABEL_GAP - (i % 2 == 0 ? RECORD_LABEL_GAP : 0);
      double natural = _ck_pdf_glyphs_width (layout, values[i].first, values[i].n, RECORD_SIZE);

      if (natural > room)
        values[i].size = MAX (RECORD_SIZE * room / natural, RECORD_MIN_SIZE);
    }

  /* The whole block on one page, above the footer's margin; its title
   * sits in the frame's top edge, as a form's legend does. */
  height = 2 * RECORD_PAD + (n_rows - 1) * RECORD_LINE + RECORD_SIZE;
  if (layout->y - RECORD_GAP - height < MARGIN_BOTTOM)
    _ck_pdf_new_page (layout);
  else
    layout->y -= RECORD_GAP;
  top = layout->y;

  title.page = layout->page;
  title.x = left + 2 * RECORD_PAD;
  title.y = top - RECORD_TITLE_SIZE * 0.35;
  frame = (Op) { .kind = OP_FRAME, .page = layout->page, .x = left, .y = top - height,
                 .block = G_MAXUINT, .width = width, .height = height,
                 .gap_left = title.x - RECORD_LEGEND_GAP - left,
                 .gap_right = title.x + _ck_pdf_glyphs_width (layout, title.first, title.n, RECORD_TITLE_SIZE) +
                              RECORD_LEGEND_GAP - left };
  g_array_append_val (layout->ops, frame);
  g_array_append_val (layout->ops, title);
  baseline = top - RECORD_PAD - RECORD_SIZE * 0.88;

  for (guint i = 0; i < n_cells; i++)
    {
      guint col = i % 2;
      double x = left + 2 * RECORD_PAD + col * column;

      if (i > 0 && col == 0)
        baseline -= RECORD_LINE;

      labels[i].page = values[i].page = layout->page;
      labels[i].x = x;
      values[i].x = x + label_width[col] + RECORD_LABEL_GAP;
      labels[i].y = values[i].y = baseline;
      g_array_append_val (layout->ops, labels[i]);
      g_array_append_val (layout->ops, values[i]);
    }

  layout->y = top - height;
  return TRUE;
}
