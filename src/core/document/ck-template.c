/* ck-template.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The letter and declaration as one parsed structure: the GTK display and
 * the PDF both walk these blocks and their runs, so what is shown is what
 * is signed. The file format is described in data/templates/README.md. */

#define G_LOG_DOMAIN "ck-template"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-template.h"

typedef struct
{
  CkTemplateBlockKind kind;
  guint section;
  char *text;       /* the line as written, markers removed */
  GArray *runs;     /* of CkTemplateRun; texts owned by the block */
} Block;

struct _CkTemplate
{
  GObject parent_instance;
  GArray *blocks;
  char *sha256;
  guint field_uses[CK_TEMPLATE_N_FIELDS];
};

G_DEFINE_QUARK (ck-template-error-quark, ck_template_error)
G_DEFINE_FINAL_TYPE (CkTemplate, ck_template, G_TYPE_OBJECT)

static const char * const field_names[CK_TEMPLATE_N_FIELDS] = {
  [CK_TEMPLATE_FIELD_COMPANY] = "company",
  [CK_TEMPLATE_FIELD_BUSINESS] = "business",
  [CK_TEMPLATE_FIELD_PURPOSE] = "purpose",
  [CK_TEMPLATE_FIELD_NAME] = "name",
  [CK_TEMPLATE_FIELD_ID_NUMBER] = "id_number",
  [CK_TEMPLATE_FIELD_YEAR] = "year",
  [CK_TEMPLATE_FIELD_MONTH] = "month",
  [CK_TEMPLATE_FIELD_DAY] = "day",
  [CK_TEMPLATE_FIELD_SIGNATURE] = "signature",
};

/* A consent that does not name the person, or carries no signature, binds
 * nobody: every template must have these blanks. */
static const CkTemplateField required_fields[] = {
  CK_TEMPLATE_FIELD_NAME,
  CK_TEMPLATE_FIELD_ID_NUMBER,
  CK_TEMPLATE_FIELD_SIGNATURE,
};

const char *
ck_template_field_to_string (CkTemplateField field)
{
  g_return_val_if_fail (field >= 0 && field < CK_TEMPLATE_N_FIELDS, NULL);

  return field_names[field];
}

CkTemplateField
ck_template_field_from_string (const char *name)
{
  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    if (g_strcmp0 (name, field_names[i]) == 0)
      return (CkTemplateField)i;

  return CK_TEMPLATE_FIELD_NONE;
}

static char *
known_field_list (void)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    g_string_append_printf (list, "%s{%s}", i ? ", " : "", field_names[i]);

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static void
block_clear (gpointer data)
{
  Block *block = data;

  if (block->runs)
    {
      for (guint i = 0; i < block->runs->len; i++)
        g_free ((char *)g_array_index (block->runs, CkTemplateRun, i).text);
      g_clear_pointer (&block->runs, g_array_unref);
    }
  g_clear_pointer (&block->text, g_free);
}

static void
ck_template_finalize (GObject *object)
{
  CkTemplate *self = (CkTemplate *)object;

  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->sha256, g_free);

  G_OBJECT_CLASS (ck_template_parent_class)->finalize (object);
}

static void
ck_template_class_init (CkTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_template_finalize;
}

static void
ck_template_init (CkTemplate *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
}

/* "1.4.1 …": digits, then at least one ".digits", then a space. */
static gboolean
is_clause (const char *line)
{
  const char *p = line;
  guint dots = 0;

  if (!g_ascii_isdigit (*p))
    return FALSE;

  while (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1]) && ++dots))
    p++;

  return dots > 0 && *p == ' ';
}

static void
append_run (GArray          *runs,
            CkTemplateField  field,
            const char      *text,
            gsize            len)
{
  CkTemplateRun run = { field, g_strndup (text, len) };

  g_array_append_val (runs, run);
}

/* Splits @text into literal runs and {placeholder} runs; "{{" and "}}"
 * stand for literal braces. */
static GArray *
parse_runs (CkTemplate  *self,
            const char  *text,
            guint        lineno,
            GError     **error)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (CkTemplateRun));
  g_autoptr(GString) literal = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (literal, p[0]);
          p += 2;
        }
      else if (*p == '{')
        {
          const char *close = strchr (p, '}');
          g_autofree char *name = NULL;
          CkTemplateField field;

          if (close == NULL)
            {
              g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_SYNTAX,
                           _("Line %u of the letter template: a “{” is not closed by “}” "
                             "(write “{{” for a brace)."),
                           lineno);
              goto failure;
            }

          name = g_strndup (p + 1, close - p - 1);
          field = ck_template_field_from_string (name);
          if (field == CK_TEMPLATE_FIELD_NONE)
            {
              g_autofree char *known = known_field_list ();

              g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
                           _("Line %u of the letter template: unknown placeholder {%s}; "
                             "the known ones are %s."),
                           lineno, name, known);
              goto failure;
            }

          if (literal->len)
            {
              append_run (runs, CK_TEMPLATE_FIELD_NONE, literal->str, literal->len);
              g_string_truncate (literal, 0);
            }
          append_run (runs, field, name, strlen (name));
          self->field_uses[field]++;
          p = close + 1;
        }
      else if (*p == '}')
        {
          g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_SYNTAX,
                       _("Line %u of the letter template: a “}” has no “{” "
                         "(write “}}” for a brace)."),
                       lineno);
          goto failure;
        }
      else
        {
          g_string_append_c (literal, *p);
          p++;
        }
    }

  if (literal->len)
    append_run (runs, CK_TEMPLATE_FIELD_NONE, literal->str, literal->len);

  return g_steal_pointer (&runs);

failure:
  for (guint i = 0; i < runs->len; i++)
    g_free ((char *)g_array_index (runs, CkTemplateRun, i).text);
  return NULL;
}

static gboolean
parse_line (CkTemplate  *self,
            const char  *line,
            guint        lineno,
            guint       *section,
            GError     **error)
{
  Block block = { CK_TEMPLATE_BLOCK_PARAGRAPH, 0, NULL, NULL };
  const char *text = line;

  if (line[0] == '\0')
    return TRUE;

  if (g_str_has_prefix (line, "# "))
    {
      block.kind = CK_TEMPLATE_BLOCK_HEADING;
      text = line + 2;
      if (self->blocks->len > 0)
        (*section)++;
    }
  else if (g_str_has_prefix (line, "> "))
    {
      block.kind = CK_TEMPLATE_BLOCK_SIGNATURE;
      text = line + 2;
    }
  else if (g_str_has_prefix (line, "    "))
    {
      block.kind = CK_TEMPLATE_BLOCK_INDENTED;
      text = line + 4;
    }
  else if (is_clause (line))
    {
      block.kind = CK_TEMPLATE_BLOCK_CLAUSE;
    }
  else if (line[0] == '#' || line[0] == '>')
    {
      g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u of the letter template: “%c” must be followed by a space."),
                   lineno, line[0]);
      return FALSE;
    }

  block.section = *section;
  block.text = g_strdup (text);
  g_strchomp (block.text);

  if (block.text[0] == '\0')
    {
      g_free (block.text);
      g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u of the letter template has a marker but no text."),
                   lineno);
      return FALSE;
    }

  if (!(block.runs = parse_runs (self, block.text, lineno, error)))
    {
      g_free (block.text);
      return FALSE;
    }

  g_array_append_val (self->blocks, block);

  return TRUE;
}

/**
 * ck_template_new_from_bytes:
 * @bytes: the template file's contents
 * @error: a #GError in the %CK_TEMPLATE_ERROR domain
 *
 * Returns: (transfer full) (nullable): the parsed template
 */
CkTemplate *
ck_template_new_from_bytes (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(CkTemplate) self = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  const char *data;
  guint section = 0;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error_literal (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_EMPTY,
                           _("The letter template is empty."));
      return NULL;
    }

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_INVALID_UTF8,
                           _("The letter template is not valid UTF-8 text."));
      return NULL;
    }

  self = g_object_new (CK_TYPE_TEMPLATE, NULL);
  self->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  text = g_strndup (data, len);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_strchomp (lines[i]);
      if (!parse_line (self, lines[i], i + 1, &section, error))
        return NULL;
    }

  if (self->blocks->len == 0)
    {
      g_set_error_literal (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_EMPTY,
                           _("The letter template is empty."));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (required_fields); i++)
    {
      if (self->field_uses[required_fields[i]] == 0)
        {
          g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_MISSING_PLACEHOLDER,
                       _("The letter template has no {%s} placeholder; a consent must "
                         "name the person and carry the signature."),
                       field_names[required_fields[i]]);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * ck_template_new_from_file:
 * @path: an organisation's own template
 * @error: a #GError in the %CK_TEMPLATE_ERROR domain
 *
 * Returns: (transfer full) (nullable): the parsed template
 */
CkTemplate *
ck_template_new_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  CkTemplate *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!(file = g_mapped_file_new (path, FALSE, &local_error)))
    {
      g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_READ,
                   _("Cannot read the letter template %s: %s"),
                   path, local_error->message);
      return NULL;
    }

  bytes = g_mapped_file_get_bytes (file);
  if (!(self = ck_template_new_from_bytes (bytes, &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }

  return self;
}

/**
 * ck_template_new_default:
 *
 * Returns: (transfer full) (nullable): the letter shipped with the kiosk
 */
CkTemplate *
ck_template_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resources_lookup_data (CK_TEMPLATE_DEFAULT_RESOURCE, 0, error);
  if (bytes == NULL)
    return NULL;

  return ck_template_new_from_bytes (bytes, error);
}

/**
 * ck_template_get_sha256:
 *
 * Returns: the SHA-256 of the template's bytes, in lowercase hex: the
 *   template's identity, stored with every consent
 */
const char *
ck_template_get_sha256 (CkTemplate *self)
{
  g_return_val_if_fail (CK_IS_TEMPLATE (self), NULL);

  return self->sha256;
}

guint
ck_template_get_n_blocks (CkTemplate *self)
{
  g_return_val_if_fail (CK_IS_TEMPLATE (self), 0);

  return self->blocks->len;
}

/**
 * ck_template_get_block:
 * @self: a #CkTemplate
 * @position: index of the block
 * @section: (out) (optional): the section the block belongs to, from 0
 * @text: (out) (optional): the block's text as written, placeholders
 *   included, owned by @self
 *
 * Returns: the kind of block
 */
CkTemplateBlockKind
ck_template_get_block (CkTemplate  *self,
                       guint        position,
                       guint       *section,
                       const char **text)
{
  const Block *block;

  g_return_val_if_fail (CK_IS_TEMPLATE (self), CK_TEMPLATE_BLOCK_PARAGRAPH);
  g_return_val_if_fail (position < self->blocks->len, CK_TEMPLATE_BLOCK_PARAGRAPH);

  block = &g_array_index (self->blocks, Block, position);

  if (section)
    *section = block->section;
  if (text)
    *text = block->text;

  return block->kind;
}

/**
 * ck_template_get_runs:
 * @self: a #CkTemplate
 * @position: index of the block
 * @n_runs: (out): how many runs the block has
 *
 * Returns: (array length=n_runs): the block's literal and placeholder runs
 */
const CkTemplateRun *
ck_template_get_runs (CkTemplate *self,
                      guint       position,
                      guint      *n_runs)
{
  const Block *block;

  g_return_val_if_fail (CK_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (position < self->blocks->len, NULL);
  g_return_val_if_fail (n_runs != NULL, NULL);

  block = &g_array_index (self->blocks, Block, position);
  *n_runs = block->runs->len;

  return (const CkTemplateRun *)(gpointer)block->runs->data;
}

gboolean
ck_template_uses_field (CkTemplate      *self,
                        CkTemplateField  field)
{
  g_return_val_if_fail (CK_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (field >= 0 && field < CK_TEMPLATE_N_FIELDS, FALSE);

  return self->field_uses[field] > 0;
}

/**
 * ck_template_check_values:
 * @self: a #CkTemplate
 * @values: a value for each field
 * @error: a #GError in the %CK_TEMPLATE_ERROR domain
 *
 * Checks that every written field the template uses has a non-empty value
 * (the signature is drawn, so it needs none here).
 *
 * Returns: %TRUE if the letter can be filled
 */
gboolean
ck_template_check_values (CkTemplate             *self,
                          const CkTemplateValues  values,
                          GError                **error)
{
  g_return_val_if_fail (CK_IS_TEMPLATE (self), FALSE);

  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    {
      if (i == CK_TEMPLATE_FIELD_SIGNATURE || self->field_uses[i] == 0)
        continue;

      if (values[i] == NULL || values[i][0] == '\0')
        {
          g_set_error (error, CK_TEMPLATE_ERROR, CK_TEMPLATE_ERROR_MISSING_VALUE,
                       _("The letter needs a value for {%s}, and none was given."),
                       field_names[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * ck_template_fill_block:
 * @self: a #CkTemplate
 * @position: index of the block
 * @values: a value for each field; %NULL ones stay empty
 *
 * Returns: (transfer full): the block's text with its blanks filled (the
 *   signature placeholder contributes nothing)
 */
char *
ck_template_fill_block (CkTemplate             *self,
                        guint                   position,
                        const CkTemplateValues  values)
{
  const CkTemplateRun *runs;
  GString *text = g_string_new (NULL);
  guint n_runs;

  runs = ck_template_get_runs (self, position, &n_runs);
  for (guint i = 0; i < n_runs; i++)
    {
      if (runs[i].field == CK_TEMPLATE_FIELD_NONE)
        g_string_append (text, runs[i].text);
      else if (runs[i].field != CK_TEMPLATE_FIELD_SIGNATURE && values[runs[i].field])
        g_string_append (text, values[runs[i].field]);
    }

  return g_string_free (text, FALSE);
}

/**
 * ck_template_fill_text:
 * @self: a #CkTemplate
 * @values: a value for each field
 *
 * Returns: (transfer full): the whole filled letter as plain text, one
 *   block a line: what the customer reads and signs, in words
 */
char *
ck_template_fill_text (CkTemplate             *self,
                       const CkTemplateValues  values)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (CK_IS_TEMPLATE (self), NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      g_autofree char *block = ck_template_fill_block (self, i, values);

      g_string_append (text, block);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}
