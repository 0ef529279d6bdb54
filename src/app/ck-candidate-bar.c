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
 * its placeholder: a hint, or why there are none.
 *
 * A page holds as many whole tiles as fit between ‹ and › at the width
 * the bar is given, up to page-size: the bar lays its children out itself
 * and hides (child-visible) the tiles past the last that fits, so no tile
 * is ever cut off, whatever the screen. Paging goes on from the first
 * candidate not shown. The row's height does not depend on its contents:
 * ‹ and › are measured (and keep their place) even with no candidates. */

#define G_LOG_DOMAIN "ck-candidate-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-candidate-bar.h"

struct _CkCandidateBar
{
  GtkWidget parent_instance;

  GtkButton *previous_button;
  GtkLabel *placeholder_label;
  GtkButton *next_button;

  char **candidates;
  guint n_candidates;
  guint page_size;
  /* The first candidate of the page shown, and those of the pages before
   * it (for ‹). */
  guint first;
  GArray *previous_firsts;
  /* Tiles for candidates first … first + tiles->len - 1; the last
   * allocation showed the first n_shown of them. */
  GPtrArray *tiles;
  guint n_shown;
  guint update_actions_id;
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
#define SPACING 8
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
  /* A phrase wider than the whole row is shortened rather than cut. */
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), PANGO_ELLIPSIZE_END);
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

/* ‹ and › follow the page shown: › needs the last allocation's count. */
static void
update_actions (CkCandidateBar *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate-bar.previous",
                                 self->previous_firsts->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate-bar.next",
                                 self->first + MAX (self->n_shown, 1) < self->n_candidates);
}

static gboolean
update_actions_idle (gpointer data)
{
  CkCandidateBar *self = data;

  self->update_actions_id = 0;
  update_actions (self);

  return G_SOURCE_REMOVE;
}

/* Makes the tiles of the page that starts at self->first; keeps the focus
 * in the bar if it was on a candidate. */
static void
rebuild (CkCandidateBar *self)
{
  gboolean had_focus = FALSE;
  guint end = MIN (self->first + self->page_size, self->n_candidates);

  for (guint i = 0; i < self->tiles->len; i++)
    {
      GtkWidget *tile = self->tiles->pdata[i];

      had_focus |= gtk_widget_has_focus (tile);
      gtk_widget_unparent (tile);
    }
  g_ptr_array_set_size (self->tiles, 0);

  for (guint i = self->first; i < end; i++)
    {
      GtkWidget *button = create_button (self, i);

      gtk_widget_insert_before (button, GTK_WIDGET (self), GTK_WIDGET (self->next_button));
      g_ptr_array_add (self->tiles, button);
    }
  /* Until the next allocation says how many fit. */
  self->n_shown = self->tiles->len;

  gtk_widget_set_child_visible (GTK_WIDGET (self->placeholder_label), self->n_candidates == 0);
  gtk_widget_set_child_visible (GTK_WIDGET (self->previous_button), self->n_candidates > 0);
  gtk_widget_set_child_visible (GTK_WIDGET (self->next_button), self->n_candidates > 0);
  update_actions (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (had_focus && self->tiles->len > 0)
    gtk_widget_grab_focus (self->tiles->pdata[0]);
}

static void
ck_candidate_bar_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  CkCandidateBar *self = CK_CANDIDATE_BAR (widget);
  int previous_min, next_min, label_min, label_nat, child_min, child_nat;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* ‹, one tile (or the placeholder) and ›; the bar takes the width
       * its neighbours give it and fills it with whole tiles. */
      gtk_widget_measure (GTK_WIDGET (self->previous_button), orientation, -1,
                          &previous_min, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (self->next_button), orientation, -1,
                          &next_min, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (self->placeholder_label), orientation, -1,
                          &label_min, NULL, NULL, NULL);
      child_min = label_min;
      if (self->tiles->len > 0)
        {
          int tile_min;

          gtk_widget_measure (self->tiles->pdata[0], orientation, -1, &tile_min, NULL, NULL, NULL);
          child_min = MAX (child_min, tile_min);
        }
      *minimum = *natural = previous_min + next_min + child_min + 2 * SPACING;
      return;
    }

  /* The same height with or without candidates: the arrows and the
   * placeholder count whether shown or not, and a tile is as high as an
   * arrow (style.css). */
  *minimum = *natural = 0;
  gtk_widget_measure (GTK_WIDGET (self->previous_button), orientation, -1,
                      &child_min, &child_nat, NULL, NULL);
  *minimum = MAX (*minimum, child_min);
  *natural = MAX (*natural, child_nat);
  gtk_widget_measure (GTK_WIDGET (self->next_button), orientation, -1,
                      &child_min, &child_nat, NULL, NULL);
  *minimum = MAX (*minimum, child_min);
  *natural = MAX (*natural, child_nat);
  gtk_widget_measure (GTK_WIDGET (self->placeholder_label), GTK_ORIENTATION_HORIZONTAL, -1,
                      &label_min, &label_nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->placeholder_label), orientation,
                      for_size < 0 ? -1 : MAX (for_size, label_min),
                      &child_min, &child_nat, NULL, NULL);
  *minimum = MAX (*minimum, child_min);
  *natural = MAX (*natural, child_nat);
  for (guint i = 0; i < self->tiles->len; i++)
    {
      gtk_widget_measure (self->tiles->pdata[i], orientation, -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
  *natural = MAX (*natural, *minimum);
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        width,
                int        height)
{
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, width, height }, -1);
}

static void
ck_candidate_bar_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  CkCandidateBar *self = CK_CANDIDATE_BAR (widget);
  int previous_width, next_width, x, end;
  guint n_shown = 0;

  gtk_widget_measure (GTK_WIDGET (self->previous_button), GTK_ORIENTATION_HORIZONTAL, height,
                      &previous_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->next_button), GTK_ORIENTATION_HORIZONTAL, height,
                      &next_width, NULL, NULL, NULL);

  if (self->n_candidates == 0)
    {
      allocate_child (GTK_WIDGET (self->placeholder_label), 0, width, height);
      allocate_child (GTK_WIDGET (self->previous_button), 0, previous_width, height);
      allocate_child (GTK_WIDGET (self->next_button), MAX (width - next_width, 0), next_width, height);
    }
  else
    {
      allocate_child (GTK_WIDGET (self->placeholder_label), 0, width, height);
      allocate_child (GTK_WIDGET (self->previous_button), 0, previous_width, height);
      allocate_child (GTK_WIDGET (self->next_button), MAX (width - next_width, 0), next_width, height);

      x = previous_width + SPACING;
      end = width - next_width - SPACING;
      for (guint i = 0; i < self->tiles->len; i++)
        {
          GtkWidget *tile = self->tiles->pdata[i];
          int tile_min, tile_nat, tile_width;
          gboolean fits;

          gtk_widget_measure (tile, GTK_ORIENTATION_HORIZONTAL, height, &tile_min, &tile_nat, NULL, NULL);
          tile_width = tile_nat;
          /* The first tile always shows, shortened if it must be. */
          if (i == 0)
            tile_width = MAX (tile_min, MIN (tile_nat, end - x));
          fits = i == 0 || (i == n_shown && x + tile_width <= end);

          gtk_widget_set_child_visible (tile, fits);
          if (fits)
            {
              allocate_child (tile, x, tile_width, height);
              x += tile_width + SPACING;
              n_shown++;
            }
          else
            allocate_child (tile, 0, tile_min, height);
        }
    }

  if (n_shown != self->n_shown)
    {
      self->n_shown = n_shown;
      /* Not while allocating: it changes the buttons' state. Before the
       * next frame, not after a redraw-priority flood. */
      if (self->update_actions_id == 0)
        self->update_actions_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_actions_idle, self, NULL);
    }
}

static void
turn_page (CkCandidateBar *self,
           int             delta)
{
  if (delta < 0)
    {
      if (self->previous_firsts->len == 0)
        return;
      self->first = g_array_index (self->previous_firsts, guint, self->previous_firsts->len - 1);
      g_array_set_size (self->previous_firsts, self->previous_firsts->len - 1);
    }
  else
    {
      guint next = self->first + MAX (self->n_shown, 1);

      if (next >= self->n_candidates)
        return;
      g_array_append_val (self->previous_firsts, self->first);
      self->first = next;
    }

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

  g_clear_handle_id (&self->update_actions_id, g_source_remove);
  if (self->tiles)
    {
      for (guint i = 0; i < self->tiles->len; i++)
        gtk_widget_unparent (self->tiles->pdata[i]);
      g_clear_pointer (&self->tiles, g_ptr_array_unref);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CK_TYPE_CANDIDATE_BAR);
  g_clear_pointer (&self->previous_firsts, g_array_unref);
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
  widget_class->measure = ck_candidate_bar_measure;
  widget_class->size_allocate = ck_candidate_bar_size_allocate;
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
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, CkCandidateBar, next_button);

  gtk_widget_class_set_css_name (widget_class, "candidatebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_candidate_bar_init (CkCandidateBar *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  self->tiles = g_ptr_array_new ();
  self->previous_firsts = g_array_new (FALSE, FALSE, sizeof (guint));

  gtk_widget_init_template (GTK_WIDGET (self));
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
  self->first = 0;
  g_array_set_size (self->previous_firsts, 0);

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
  self->first = 0;
  g_array_set_size (self->previous_firsts, 0);
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

  return self->previous_firsts->len;
}

/**
 * ck_candidate_bar_get_shown:
 * @self: a #CkCandidateBar
 * @first: (out) (optional): the position of the page's first candidate
 *   in the whole list
 * @n_shown: (out) (optional): how many candidates the page shows, as
 *   the last allocation fitted them (at most #CkCandidateBar:page-size)
 */
void
ck_candidate_bar_get_shown (CkCandidateBar *self,
                            guint          *first,
                            guint          *n_shown)
{
  g_return_if_fail (CK_IS_CANDIDATE_BAR (self));

  if (first)
    *first = self->first;
  if (n_shown)
    *n_shown = self->n_candidates > 0 ? self->n_shown : 0;
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

  if (index < self->first || index - self->first >= MIN (self->n_shown, self->tiles->len))
    return NULL;

  return self->tiles->pdata[index - self->first];
}
