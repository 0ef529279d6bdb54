/* ck-template.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CK_TEMPLATE_ERROR (ck_template_error_quark ())
#define CK_TYPE_TEMPLATE (ck_template_get_type ())

typedef enum
{
  CK_TEMPLATE_ERROR_INVALID_UTF8,
  CK_TEMPLATE_ERROR_EMPTY,
  CK_TEMPLATE_ERROR_SYNTAX,
} CkTemplateError;

/**
 * CkTemplateBlockKind:
 * @CK_TEMPLATE_BLOCK_HEADING: a section title, centred; each heading after
 *   the first opens a new section
 * @CK_TEMPLATE_BLOCK_PARAGRAPH: body text
 * @CK_TEMPLATE_BLOCK_INDENTED: body text whose first line is indented
 * @CK_TEMPLATE_BLOCK_CLAUSE: a numbered clause ("1.4.1 …")
 * @CK_TEMPLATE_BLOCK_SIGNATURE: a line set flush right (signature, date)
 */
typedef enum
{
  CK_TEMPLATE_BLOCK_HEADING,
  CK_TEMPLATE_BLOCK_PARAGRAPH,
  CK_TEMPLATE_BLOCK_INDENTED,
  CK_TEMPLATE_BLOCK_CLAUSE,
  CK_TEMPLATE_BLOCK_SIGNATURE,
} CkTemplateBlockKind;

#define CK_TEMPLATE_DEFAULT_RESOURCE "/org/consentkiosk/ConsentKiosk/templates/authorization-letter.txt"

G_DECLARE_FINAL_TYPE (CkTemplate, ck_template, CK, TEMPLATE, GObject)

GQuark               ck_template_error_quark      (void);
CkTemplate          *ck_template_new_from_bytes   (GBytes       *bytes,
                                                   GError      **error);
CkTemplate          *ck_template_new_default      (GError      **error);
const char          *ck_template_get_sha256       (CkTemplate   *self);
guint                ck_template_get_n_blocks     (CkTemplate   *self);
CkTemplateBlockKind  ck_template_get_block        (CkTemplate   *self,
                                                   guint         position,
                                                   guint        *section,
                                                   const char  **text);

G_END_DECLS
