/* ck-letter-view.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shows a CkTemplate, block by block, as the customer reads it. The same
 * blocks feed the PDF. */

#define G_LOG_DOMAIN "ck-letter-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-letter-view.h"

struct _CkLetterView
{
  GtkWidget parent_instance;

  CkTemplate *template;
  char *values[CK_TEMPLATE_N_FIELDS];
  GtkBox *blocks_box;
};

enum {
  PROP_0,
  PROP_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CkLetterView, ck_letter_view, GTK_TYPE_WIDGET)

/* Two ideographic spaces: the customary first-line indent of Chinese text. */
#define FIRST_LINE_INDENT "\u3000\u3000"

/* How many ideographic spaces an unfilled blank shows as: room to write. */
static const guint8 blank_widths[CK_TEMPLATE_N_FIELDS] = {
  [CK_TEMPLATE_FIELD_COMPANY] = 6,
  [CK_TEMPLATE_FIELD_BUSINESS] = 4,
  [CK_TEMPLATE_FIELD_PURPOSE] = 6,
  [CK_TEMPLATE_FIELD_NAME] = 4,
  [CK_TEMPLATE_FIELD_ID_NUMBER] = 9,
  [CK_TEMPLATE_FIELD_YEAR] = 2,
  [CK_TEMPLATE_FIELD_MONTH] = 1,
  [CK_TEMPLATE_FIELD_DAY] = 1,
  [CK_TEMPLATE_FIELD_SIGNATURE] = 6,
};

/* Pango markup for a block: literal text as it is, each blank underlined,
 * filled with its value or left as room to write. */
static char *
block_markup (CkLetterView        *self,
              guint                position,
              CkTemplateBlockKind  kind)
{
  GString *markup = g_string_new (NULL);
  const CkTemplateRun *runs;
  guint n_runs;

  if (kind == CK_TEMPLATE_BLOCK_INDENTED)
    g_string_append (markup, FIRST_LINE_INDENT);

  runs = ck_template_get_runs (self->template, position, &n_runs);
  for (guint i = 0; i < n_runs; i++)
    {
      g_autofree char *escaped = NULL;
      const char *value;

      if (runs[i].field == CK_TEMPLATE_FIELD_NONE)
        {
          escaped = g_markup_escape_text (runs[i].text, -1);
          g_string_append (markup, escaped);
          continue;
        }

      value = self->values[runs[i].field];
      g_string_append (markup, "<u>");
      if (value && value[0] && runs[i].field != CK_TEMPLATE_FIELD_SIGNATURE)
        {
          escaped = g_markup_escape_text (value, -1);
          g_string_append_printf (markup, "\u2002%s\u2002", escaped);
        }
      else
        {
          for (guint k = 0; k < blank_widths[runs[i].field]; k++)
            g_string_append (markup, "\u3000");
        }
      g_string_append (markup, "</u>");
    }

  return g_string_free (markup, FALSE);
}

static GtkWidget *
create_block (CkLetterView        *self,
              guint                position,
              CkTemplateBlockKind  kind)
{
  g_autofree char *markup = block_markup (self, position, kind);
  GtkWidget *label;

  label = g_object_new (GTK_TYPE_LABEL,
                        "label", markup,
                        "use-markup", TRUE,
                        "accessible-role", (kind == CK_TEMPLATE_BLOCK_HEADING
                                            ? GTK_ACCESSIBLE_ROLE_HEADING
                                            : GTK_ACCESSIBLE_ROLE_LABEL),
                        NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  /* Left-aligned, not GTK_JUSTIFY_FILL: Pango stretches only spaces
   * (U+0020, U+00A0), so a justified Chinese line put all its slack into
   * the one space it had, a gap of several characters (issue 17).
   * Unjustified, a line of Chinese ends at most one character short. */
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_LEFT);
  gtk_widget_add_css_class (label, "letter-block");

  switch (kind)
    {
    case CK_TEMPLATE_BLOCK_HEADING:
      gtk_label_set_xalign (GTK_LABEL (label), 0.5f);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (label, "letter-heading");
      break;

    case CK_TEMPLATE_BLOCK_SIGNATURE:
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_widget_add_css_class (label, "letter-signature");
      break;

    case CK_TEMPLATE_BLOCK_CLAUSE:
      gtk_widget_add_css_class (label, "letter-clause");
      break;

    case CK_TEMPLATE_BLOCK_PARAGRAPH:
    case CK_TEMPLATE_BLOCK_INDENTED:
    default:
      break;
    }

  return label;
}

static void
rebuild (CkLetterView *self)
{
  GtkWidget *child;
  guint last_section = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box))))
    gtk_box_remove (self->blocks_box, child);

  if (self->template == NULL)
    return;

  for (guint i = 0; i < ck_template_get_n_blocks (self->template); i++)
    {
      CkTemplateBlockKind kind;
      guint section;

      kind = ck_template_get_block (self->template, i, &section, NULL);
      child = create_block (self, i, kind);
      if (section != last_section)
        gtk_widget_add_css_class (child, "letter-section-start");
      last_section = section;
      gtk_box_append (self->blocks_box, child);
    }
}

static void
ck_letter_view_dispose (GObject *object)
{
  CkLetterView *self = (CkLetterView *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_LETTER_VIEW);
  g_clear_object (&self->template);
  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    g_clear_pointer (&self->values[i], g_free);

  G_OBJECT_CLASS (ck_letter_view_parent_class)->dispose (object);
}

static void
ck_letter_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CkLetterView *self = CK_LETTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_letter_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CkLetterView *self = CK_LETTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      ck_letter_view_set_template (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_letter_view_class_init (CkLetterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_letter_view_dispose;
  object_class->get_property = ck_letter_view_get_property;
  object_class->set_property = ck_letter_view_set_property;

  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         CK_TYPE_TEMPLATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-letter-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CkLetterView, blocks_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "letterview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
ck_letter_view_init (CkLetterView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ck_letter_view_get_template:
 *
 * Returns: (transfer none) (nullable): the template shown
 */
CkTemplate *
ck_letter_view_get_template (CkLetterView *self)
{
  g_return_val_if_fail (CK_IS_LETTER_VIEW (self), NULL);

  return self->template;
}

void
ck_letter_view_set_template (CkLetterView *self,
                             CkTemplate   *template)
{
  g_return_if_fail (CK_IS_LETTER_VIEW (self));
  g_return_if_fail (!template || CK_IS_TEMPLATE (template));

  if (g_set_object (&self->template, template))
    {
      rebuild (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATE]);
    }
}

/**
 * ck_letter_view_set_values:
 * @self: a #CkLetterView
 * @values: a value for each blank; %NULL ones show as room to write
 *
 * Fills the letter's blanks, e.g. the organisation's name and the purpose
 * from the configuration before the customer has typed anything.
 */
void
ck_letter_view_set_values (CkLetterView           *self,
                           const CkTemplateValues  values)
{
  g_return_if_fail (CK_IS_LETTER_VIEW (self));

  for (guint i = 0; i < CK_TEMPLATE_N_FIELDS; i++)
    {
      g_free (self->values[i]);
      self->values[i] = g_strdup (values[i]);
    }

  rebuild (self);
}

/* Reading aloud (issue 17): the blocks as text, and the one being read
 * marked with the "letter-reading" style class. Kept apart from how the
 * blocks are laid out. */

/**
 * ck_letter_view_dup_block_texts:
 *
 * Returns: (transfer full): each block's text as shown, blanks filled or
 *   empty, in order: what reading the letter aloud says
 */
char **
ck_letter_view_dup_block_texts (CkLetterView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CK_IS_LETTER_VIEW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *text = NULL;

      if (!GTK_IS_LABEL (child))
        continue;
      text = g_strdup (gtk_label_get_text (GTK_LABEL (child)));
      g_strv_builder_add (builder, g_strstrip (text));
    }

  return g_strv_builder_end (builder);
}

/**
 * ck_letter_view_get_block:
 * @index: a block, from 0
 *
 * Returns: (transfer none) (nullable): the widget showing block @index
 */
GtkWidget *
ck_letter_view_get_block (CkLetterView *self,
                          guint         index)
{
  GtkWidget *child;

  g_return_val_if_fail (CK_IS_LETTER_VIEW (self), NULL);

  child = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box));
  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);

  return child;
}

/**
 * ck_letter_view_set_reading_block:
 * @index: the block being read aloud, or -1 for none
 *
 * Highlights block @index (and no other).
 */
void
ck_letter_view_set_reading_block (CkLetterView *self,
                                  int           index)
{
  int i = 0;

  g_return_if_fail (CK_IS_LETTER_VIEW (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      if (i == index)
        gtk_widget_add_css_class (child, "letter-reading");
      else
        gtk_widget_remove_css_class (child, "letter-reading");
    }
}

/**
 * ck_letter_view_get_reading_block:
 *
 * Returns: the block highlighted as being read aloud, or -1
 */
int
ck_letter_view_get_reading_block (CkLetterView *self)
{
  int i = 0;

  g_return_val_if_fail (CK_IS_LETTER_VIEW (self), -1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    if (gtk_widget_has_css_class (child, "letter-reading"))
      return i;

  return -1;
}
