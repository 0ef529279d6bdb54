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
  CK_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
  CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER,
  CK_TEMPLATE_ERROR_MISSING_VALUE,
  CK_TEMPLATE_ERROR_READ,
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

/**
 * CkTemplateField:
 *
 * The named blanks of a letter. Company, business and purpose come from
 * the configuration; name, ID number and the date from the form; the
 * signature is drawn, not written.
 */
typedef enum
{
  CK_TEMPLATE_FIELD_COMPANY,
  CK_TEMPLATE_FIELD_BUSINESS,
  CK_TEMPLATE_FIELD_PURPOSE,
  CK_TEMPLATE_FIELD_NAME,
  CK_TEMPLATE_FIELD_ID_NUMBER,
  CK_TEMPLATE_FIELD_YEAR,
  CK_TEMPLATE_FIELD_MONTH,
  CK_TEMPLATE_FIELD_DAY,
  CK_TEMPLATE_FIELD_SIGNATURE,
  CK_TEMPLATE_N_FIELDS,
  CK_TEMPLATE_FIELD_NONE = -1,
} CkTemplateField;

/**
 * CkTemplateRun:
 * @field: %CK_TEMPLATE_FIELD_NONE for literal text, else the blank
 * @text: the literal text (for a field: its placeholder name)
 *
 * A piece of a block: literal text or a blank to fill.
 */
typedef struct
{
  CkTemplateField field;
  const char *text;
} CkTemplateRun;

/* Values for every field, indexed by CkTemplateField; NULL = not known yet. */
typedef const char *CkTemplateValues[CK_TEMPLATE_N_FIELDS];

#define CK_TEMPLATE_DEFAULT_RESOURCE "/org/consentkiosk/ConsentKiosk/templates/authorization-letter.txt"

G_DECLARE_FINAL_TYPE (CkTemplate, ck_template, CK, TEMPLATE, GObject)

GQuark               ck_template_error_quark      (void);
CkTemplate          *ck_template_new_from_bytes   (GBytes                *bytes,
                                                   GError               **error);
CkTemplate          *ck_template_new_from_file    (const char            *path,
                                                   GError               **error);
CkTemplate          *ck_template_new_default      (GError               **error);
const char          *ck_template_get_sha256       (CkTemplate            *self);
guint                ck_template_get_n_blocks     (CkTemplate            *self);
CkTemplateBlockKind  ck_template_get_block        (CkTemplate            *self,
                                                   guint                  position,
                                                   guint                 *section,
                                                   const char           **text);
const CkTemplateRun *ck_template_get_runs         (CkTemplate            *self,
                                                   guint                  position,
                                                   guint                 *n_runs);
gboolean             ck_template_uses_field       (CkTemplate            *self,
                                                   CkTemplateField        field);
gboolean             ck_template_check_values     (CkTemplate            *self,
                                                   const CkTemplateValues values,
                                                   GError               **error);
char                *ck_template_fill_block       (CkTemplate            *self,
                                                   guint                  position,
                                                   const CkTemplateValues values);
char                *ck_template_fill_text        (CkTemplate            *self,
                                                   const CkTemplateValues values);

const char          *ck_template_field_to_string  (CkTemplateField        field);
CkTemplateField      ck_template_field_from_string (const char           *name);

G_END_DECLS
