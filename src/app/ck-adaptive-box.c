/* ck-adaptive-box.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A box that lays its children side by side where they fit and the space
 * is wider than tall, and one above the other otherwise: on a portrait
 * kiosk screen (1080×1920) the details page's fields go above the
 * on-screen input, on a landscape one (down to 1024×768) beside it.
 * libadwaita 1.2 has no AdwBreakpoint; this decides at every allocation,
 * from the size it is given, so that it never needs a second pass:
 *
 *   - measured for a width, it asks for the height of the row where the
 *     row fits that width, of the column where it does not;
 *   - allocated, it stacks where the row does not fit, or where the space
 *     is taller than wide and the column fits its height.
 *
 * Side by side, children that expand horizontally share what is left
 * after every child has its natural width; stacked, each gets the whole
 * width (its halign decides how much it takes). At most maximum-width is
 * used, centred; the children as a block are centred vertically. */

#define G_LOG_DOMAIN "ck-adaptive-box"

#include "config.h"

#include "ck-adaptive-box.h"

struct _CkAdaptiveBox
{
  GtkWidget parent_instance;

  int spacing;
  int maximum_width;
  gboolean stacked;
};

enum {
  PROP_0,
  PROP_SPACING,
  PROP_MAXIMUM_WIDTH,
  PROP_STACKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CkAdaptiveBox, ck_adaptive_box, GTK_TYPE_WIDGET)

/**
 * ck_adaptive_box_new:
 *
 * Returns: (transfer floating): a new, empty adaptive box
 */
GtkWidget *
ck_adaptive_box_new (void)
{
  return g_object_new (CK_TYPE_ADAPTIVE_BOX, NULL);
}

static guint
count_visible (CkAdaptiveBox *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      n++;

  return n;
}

/* The width the children may use out of @width. */
static int
usable_width (CkAdaptiveBox *self,
              int            width)
{
  return self->maximum_width > 0 ? MIN (width, self->maximum_width) : width;
}

/* The widths of the visible children side by side in @width (at least
 * their minimum each); returns the width they take together. */
static int
row_widths (CkAdaptiveBox *self,
            int            width,
            GArray        *widths)
{
  g_autofree GtkRequestedSize *sizes = NULL;
  guint n = count_visible (self);
  guint n_expand = 0;
  int extra = usable_width (self, width) - self->spacing * (int)(MAX (n, 1) - 1);
  int used = self->spacing * (int)(MAX (n, 1) - 1);
  guint i = 0;

  sizes = g_new0 (GtkRequestedSize, MAX (n, 1));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &sizes[i].minimum_size, &sizes[i].natural_size, NULL, NULL);
      sizes[i].data = child;
      extra -= sizes[i].minimum_size;
      if (gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
      i++;
    }

  if (extra > 0)
    extra = gtk_distribute_natural_allocation (extra, n, sizes);

  g_array_set_size (widths, 0);
  for (i = 0; i < n; i++)
    {
      int size = sizes[i].minimum_size;

      if (extra > 0 && n_expand > 0 &&
          gtk_widget_compute_expand (sizes[i].data, GTK_ORIENTATION_HORIZONTAL))
        size += extra / (int)n_expand;
      g_array_append_val (widths, size);
      used += size;
    }

  return used;
}

/* Whether the children fit side by side in @width. */
static gboolean
row_fits (CkAdaptiveBox *self,
          int            width)
{
  guint n = count_visible (self);
  int needed = self->spacing * (int)(MAX (n, 1) - 1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      needed += minimum;
    }

  return needed <= usable_width (self, width);
}

/* The height the children need side by side in @width. */
static void
measure_row_height (CkAdaptiveBox *self,
                    int            width,
                    int           *minimum,
                    int           *natural)
{
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  guint i = 0;

  *minimum = *natural = 0;
  row_widths (self, width, widths);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, g_array_index (widths, int, i++),
                          &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

/* The height the children need one above the other in @width. */
static void
measure_column_height (CkAdaptiveBox *self,
                       int            width,
                       int           *minimum,
                       int           *natural)
{
  guint n = 0;

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width < 0 ? -1 : usable_width (self, width),
                          &child_min, &child_nat, NULL, NULL);
      *minimum += child_min;
      *natural += child_nat;
      n++;
    }
  *minimum += self->spacing * (int)(MAX (n, 1) - 1);
  *natural += self->spacing * (int)(MAX (n, 1) - 1);
}

static void
ck_adaptive_box_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  CkAdaptiveBox *self = CK_ADAPTIVE_BOX (widget);

  *minimum = *natural = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least the widest child (stacked); naturally all side by side. */
      guint n = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min, child_nat;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural += child_nat;
          n++;
        }
      *natural += self->spacing * (int)(MAX (n, 1) - 1);
      if (self->maximum_width > 0)
        *natural = MAX (*minimum, MIN (*natural, self->maximum_width));
      *natural = MAX (*natural, *minimum);
    }
  else if (for_size < 0)
    {
      int row_min, row_nat, column_min, column_nat;

      measure_row_height (self, G_MAXINT / 2, &row_min, &row_nat);
      measure_column_height (self, -1, &column_min, &column_nat);
      *minimum = MIN (row_min, column_min);
      *natural = MAX (*minimum, column_nat);
    }
  else if (row_fits (self, for_size))
    measure_row_height (self, for_size, minimum, natural);
  else
    measure_column_height (self, for_size, minimum, natural);
}

static gboolean
should_stack (CkAdaptiveBox *self,
              int            width,
              int            height)
{
  int column_min, column_nat;

  if (!row_fits (self, width))
    return TRUE;
  if (height <= width)
    return FALSE;

  measure_column_height (self, width, &column_min, &column_nat);
  return column_min <= height;
}

static void
allocate_row (CkAdaptiveBox *self,
              int            width,
              int            height)
{
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  int used = row_widths (self, width, widths);
  int row_min, row_nat;
  int x = MAX (0, (width - used) / 2);
  int y, block;
  guint i = 0;

  measure_row_height (self, width, &row_min, &row_nat);
  /* Natural where there is room, never under the minimum. */
  block = CLAMP (row_nat, row_min, MAX (row_min, height));
  y = MAX (0, (height - block) / 2);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_width;

      if (!gtk_widget_should_layout (child))
        continue;
      child_width = g_array_index (widths, int, i++);
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, child_width, block }, -1);
      x += child_width + self->spacing;
    }
}

static void
allocate_column (CkAdaptiveBox *self,
                 int            width,
                 int            height)
{
  int column_width = usable_width (self, width);
  int x = MAX (0, (width - column_width) / 2);
  int column_min, column_nat;
  int y;

  measure_column_height (self, width, &column_min, &column_nat);
  y = MAX (0, (height - MIN (column_nat, MAX (height, column_min))) / 2);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat, child_height;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, column_width, &child_min, &child_nat, NULL, NULL);
      /* Natural heights where the whole column has them, else minimum. */
      child_height = column_nat <= height ? child_nat : child_min;
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, column_width, child_height }, -1);
      y += child_height + self->spacing;
    }
}

static void
ck_adaptive_box_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  CkAdaptiveBox *self = CK_ADAPTIVE_BOX (widget);
  gboolean stacked = should_stack (self, width, height);

  if (stacked)
    allocate_column (self, width, height);
  else
    allocate_row (self, width, height);

  if (stacked != self->stacked)
    {
      self->stacked = stacked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACKED]);
    }
}

static GtkSizeRequestMode
ck_adaptive_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ck_adaptive_box_compute_expand (GtkWidget *widget,
                                gboolean  *hexpand,
                                gboolean  *vexpand)
{
  *hexpand = *vexpand = FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child;
       child = gtk_widget_get_next_sibling (child))
    {
      *hexpand = *hexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      *vexpand = *vexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL);
    }
}

static void
ck_adaptive_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ck_adaptive_box_parent_class)->dispose (object);
}

static void
ck_adaptive_box_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CkAdaptiveBox *self = CK_ADAPTIVE_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;

    case PROP_MAXIMUM_WIDTH:
      g_value_set_int (value, self->maximum_width);
      break;

    case PROP_STACKED:
      g_value_set_boolean (value, self->stacked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_adaptive_box_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CkAdaptiveBox *self = CK_ADAPTIVE_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      ck_adaptive_box_set_spacing (self, g_value_get_int (value));
      break;

    case PROP_MAXIMUM_WIDTH:
      ck_adaptive_box_set_maximum_width (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_adaptive_box_class_init (CkAdaptiveBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_adaptive_box_dispose;
  object_class->get_property = ck_adaptive_box_get_property;
  object_class->set_property = ck_adaptive_box_set_property;

  widget_class->measure = ck_adaptive_box_measure;
  widget_class->size_allocate = ck_adaptive_box_size_allocate;
  widget_class->get_request_mode = ck_adaptive_box_get_request_mode;
  widget_class->compute_expand = ck_adaptive_box_compute_expand;

  /**
   * CkAdaptiveBox:spacing:
   *
   * The space between two children, side by side or stacked.
   */
  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkAdaptiveBox:maximum-width:
   *
   * The most width the children take together, centred; 0 for no limit.
   */
  properties[PROP_MAXIMUM_WIDTH] =
    g_param_spec_int ("maximum-width", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CkAdaptiveBox:stacked:
   *
   * Whether the children were last laid out one above the other.
   */
  properties[PROP_STACKED] =
    g_param_spec_boolean ("stacked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "adaptivebox");
}

static void
ck_adaptive_box_init (CkAdaptiveBox *self)
{
}

/**
 * ck_adaptive_box_get_stacked:
 *
 * Returns: whether the children were last laid out one above the other
 */
gboolean
ck_adaptive_box_get_stacked (CkAdaptiveBox *self)
{
  g_return_val_if_fail (CK_IS_ADAPTIVE_BOX (self), FALSE);

  return self->stacked;
}

int
ck_adaptive_box_get_spacing (CkAdaptiveBox *self)
{
  g_return_val_if_fail (CK_IS_ADAPTIVE_BOX (self), 0);

  return self->spacing;
}

void
ck_adaptive_box_set_spacing (CkAdaptiveBox *self,
                             int            spacing)
{
  g_return_if_fail (CK_IS_ADAPTIVE_BOX (self));
  g_return_if_fail (spacing >= 0);

  if (self->spacing == spacing)
    return;

  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

int
ck_adaptive_box_get_maximum_width (CkAdaptiveBox *self)
{
  g_return_val_if_fail (CK_IS_ADAPTIVE_BOX (self), 0);

  return self->maximum_width;
}

void
ck_adaptive_box_set_maximum_width (CkAdaptiveBox *self,
                                   int            maximum_width)
{
  g_return_if_fail (CK_IS_ADAPTIVE_BOX (self));
  g_return_if_fail (maximum_width >= 0);

  if (self->maximum_width == maximum_width)
    return;

  self->maximum_width = maximum_width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAXIMUM_WIDTH]);
}
