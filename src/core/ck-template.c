/* ck-template.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The letter and declaration as one parsed structure: the GTK display and
 * the PDF both walk these blocks, so what is shown is what is signed. The
 * file format is described in data/templates/README.md. */

#define G_LOG_DOMAIN "ck-template"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-template.h"

typedef struct
{
  CkTemplateBlockKind kind;
  guint section;
  char *text;
} Block;

struct _CkTemplate
{
  GObject parent_instance;
  GArray *blocks;
  char *sha256;
};

G_DEFINE_QUARK (ck-template-error-quark, ck_template_error)
G_DEFINE_FINAL_TYPE (CkTemplate, ck_template, G_TYPE_OBJECT)

static void
block_clear (gpointer data)
{
  Block *block = data;

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

static gboolean
parse_line (CkTemplate  *self,
            const char  *line,
            guint        lineno,
            guint       *section,
            GError     **error)
{
  Block block = { CK_TEMPLATE_BLOCK_PARAGRAPH, 0, NULL };
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

  return g_steal_pointer (&self);
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
 * Returns: the SHA-256 of the template's bytes, in lowercase hex
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
 * @text: (out) (optional): the block's text, owned by @self
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
