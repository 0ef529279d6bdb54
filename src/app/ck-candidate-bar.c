/* ck-candidate-bar.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A row of candidates to tap, a page at a time (‹ ›): what the handwriting
 * pad recognised, or what the pinyin keyboard's letters may mean. Each
 * candidate is a large button whose accessible name is its text. The
 * buttons do not take the focus on a tap, so the name entry keeps its
 * cursor; they stay reachable with Tab. With no candidates, the bar shows
 * its placeholder: a hint, or why there are none. */

#define G_LOG_DOMAIN "ck-candidate-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-candidate-bar.h"

struct _CkCandidateBar
{
  GtkWidget parent_instance;

  GtkButton *previous_button;
  GtkBox *buttons_box;
  GtkLabel *placeholder_label;
  GtkButton *next_button;

  char **candidates;
  guint n_candidates;
  guint page_size;
  guint page;
};

enum {
  PROP_0,
  PROP_CANDIDATES,
  PROP_PAGE_SIZE,
  PROP_PLACEHOLDER,
  N_PROPS
};

enum {
  CANDIDATE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CkCandidateBar, ck_candidate_bar, GTK_TYPE_WIDGET)

#define DEFAULT_PAGE_SIZE 8
#define INDEX_KEY "ck-candidate-index"

/**
 * ck_candidate_bar_new:
 *
 * Returns: (transfer floating): an empty candidate bar
 */
GtkWidget *
ck_candidate_bar_new (void)
{
  return g_object_new (CK_TYPE_CANDIDATE_BAR, NULL);
}

static guint
n_pages (CkCandidateBar *self)
{
  return (self->n_candidates + self->page_size - 1) / self->page_size;
}

static void
candidate_clicked (GtkButton      *button,
                   CkCandidateBar *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), INDEX_KEY));
  g_autofree char *text = NULL;

  g_return_if_fail (index < self->n_candidates);

  /* A handler may replace the candidates. */
  text = g_strdup (self->candidates[index]);
  g_signal_emit (self, signals[CANDIDATE_ACTIVATED], 0, index, text);
}

static GtkWidget *
create_button (CkCandidateBar *self,
               guint           index)
{
  g_autofree char *description = NULL;
  GtkWidget *button;

  button = gtk_button_new_with_label (self->candidates[index]);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_add_css_class (button, "candidate");
  g_object_set_data (G_OBJECT (button), INDEX_KEY, GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (candidate_clicked), self);

  /* Translators: read out after a candidate, e.g. "张, candidate 1 of 63". */
  description = g_strdup_printf (_("Candidate %u of %u"), index + 1, self->n_candidates);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->candidates[index],
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  return button;
}

/* Shows the current page; keeps the focus in the bar if it was on a
 * candidate. */
static void
rebuild (CkCandidateBar *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->buttons_box));
  gboolean had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self->buttons_box)) != NULL;
  guint first = self->page * self->page_size;
  guint end = MIN (first + self->page_size, self->n_candidates);
  GtkWidget *first_button = NULL;

  while (child)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != GTK_WIDGET (self->placeholder_label))
        gtk_box_remove (self->buttons_box, child);
      child = next;
    }

  for (guint i = first; i < end; i++)
    {
      GtkWidget *button = create_button (self, i);

      if (first_button == NULL)
        first_button = button;
      gtk_box_append (self->buttons_box, button);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), self->n_candidates == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->previous_button), n_pages (self) > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), n_pages (self) > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate-bar.previous", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate-bar.next", self->page + 1 < n_pages (self));

  if (had_focus && first_button)
    gtk_widget_grab_focus (first_button);
}

static void
turn_page (CkCandidateBar *self,
           int             delta)
{
  if ((delta < 0 && self->page == 0) || (delta > 0 && self->page + 1 >= n_pages (self)))
    return;

  self->page += delta;
  rebuild (self);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  turn_page (CK_CANDIDATE_BAR (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  turn_page (CK_CANDIDATE_BAR (widget), 1);
}

static void
ck_candidate_bar_dispose (GObject *object)
{
  CkCandidateBar *self = (CkCandidateBar *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_CANDIDATE_BAR);
  /* The template's unnamed scrolled window. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->candidates, g_strfreev);
  self->n_candidates = 0;

  G_OBJECT_CLASS (ck_candidate_bar_parent_class)->dispose (object);
}

static void
ck_candidate_bar_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CkCandidateBar *self = CK_CANDIDATE_BAR (object);

  switch (prop_id)
    {
    case PROP_CANDIDATES:
      g_value_set_boxed (value, self->candidates);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    case PROP_PLACEHOLDER:
      g_value_set_string (value, ck_candidate_bar_get_placeholder (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_candidate_bar_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CkCandidateBar *self = CK_CANDIDATE_BAR (object);

  switch (prop_id)
    {
    case PROP_CANDIDATES:
      ck_candidate_bar_set_candidates (self, g_value_get_boxed (value));
      break;

    case PROP_PAGE_SIZE:
      ck_candidate_bar_set_page_size (self, g_value_get_uint (value));
      break;

    case PROP_PLACEHOLDER:
      ck_candidate_bar_set_placeholder (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_candidate_bar_class_init (CkCandidateBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_candidate_bar_dispose;
  object_class->get_property = ck_candidate_bar_get_property;
  object_class->set_property = ck_candidate_bar_set_property;

  properties[PROP_CANDIDATES] =
    g_param_spec_boxed ("candidates", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL,
                       1, 100, DEFAULT_PAGE_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PLACEHOLDER] =
    g_param_spec_string ("placeholder", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CkCandidateBar::candidate-activated:
   * @self: the bar
   * @index: the candidate's position in the whole list
   * @text: the candidate
   *
   * Emitted when a candidate is tapped or activated with the keyboard.
   */
  signals[CANDIDATE_ACTIVATED] =
    g_signal_new ("candidate-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "candidate-bar.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "candidate-bar.next", NULL, next_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "candidate-bar.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "candidate-bar.next", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-candidate-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, previous_button);
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, next_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "candidatebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_candidate_bar_init (CkCandidateBar *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 8);
  rebuild (self);
}

/**
 * ck_candidate_bar_get_candidates:
 * @self: a #CkCandidateBar
 *
 * Returns: (transfer none) (nullable): the candidates, all pages
 */
const char * const *
ck_candidate_bar_get_candidates (CkCandidateBar *self)
{
  g_return_val_if_fail (CK_IS_CANDIDATE_BAR (self), NULL);

  return (const char * const *)self->candidates;
}

/**
 * ck_candidate_bar_set_candidates:
 * @self: a #CkCandidateBar
 * @candidates: (nullable) (array zero-terminated=1): the new candidates,
 *   best first
 *
 * Shows the first page of @candidates.
 */
void
ck_candidate_bar_set_candidates (CkCandidateBar     *self,
                                 const char * const *candidates)
{
  char **copy;

  g_return_if_fail (CK_IS_CANDIDATE_BAR (self));

  copy = candidates && candidates[0] ? g_strdupv ((char **)candidates) : NULL;
  g_strfreev (self->candidates);
  self->candidates = copy;
  self->n_candidates = copy ? g_strv_length (copy) : 0;
  self->page = 0;

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANDIDATES]);
}

const char *
ck_candidate_bar_get_placeholder (CkCandidateBar *self)
{
  g_return_val_if_fail (CK_IS_CANDIDATE_BAR (self), NULL);

  return gtk_label_get_label (self->placeholder_label);
}

/**
 * ck_candidate_bar_set_placeholder:
 * @self: a #CkCandidateBar
 * @placeholder: (nullable): what to show while there are no candidates
 */
void
ck_candidate_bar_set_placeholder (CkCandidateBar *self,
                                  const char     *placeholder)
{
  g_return_if_fail (CK_IS_CANDIDATE_BAR (self));

  if (g_strcmp0 (placeholder, ck_candidate_bar_get_placeholder (self)) == 0)
    return;

  gtk_label_set_label (self->placeholder_label, placeholder ? placeholder : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEHOLDER]);
}

guint
ck_candidate_bar_get_page_size (CkCandidateBar *self)
{
  g_return_val_if_fail (CK_IS_CANDIDATE_BAR (self), DEFAULT_PAGE_SIZE);

  return self->page_size;
}

void
ck_candidate_bar_set_page_size (CkCandidateBar *self,
                                guint           page_size)
{
  g_return_if_fail (CK_IS_CANDIDATE_BAR (self));
  g_return_if_fail (page_size > 0);

  if (self->page_size == page_size)
    return;

  self->page_size = page_size;
  self->page = 0;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

/**
 * ck_candidate_bar_get_page:
 * @self: a #CkCandidateBar
 *
 * Returns: the page shown, from 0
 */
guint
ck_candidate_bar_get_page (CkCandidateBar *self)
{
  g_return_val_if_fail (CK_IS_CANDIDATE_BAR (self), 0);

  return self->page;
}

/**
 * ck_candidate_bar_get_button:
 * @self: a #CkCandidateBar
 * @index: a candidate's position in the whole list
 *
 * Returns: (transfer none) (nullable): the candidate's button, or %NULL
 *   when it is not on the page shown
 */
GtkWidget *
ck_candidate_bar_get_button (CkCandidateBar *self,
                             guint           index)
{
  g_return_val_if_fail (CK_IS_CANDIDATE_BAR (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->buttons_box));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != GTK_WIDGET (self->placeholder_label) &&
          GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), INDEX_KEY)) == index)
        return child;
    }

  return NULL;
}
