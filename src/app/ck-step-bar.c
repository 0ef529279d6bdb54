/* ck-step-bar.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the customer is in the flow, by name: 阅读 · 填写 · 签名 · 确认 ·
 * 完成 (issue 17, 适老化). The current step is highlighted, the steps done
 * are ticked, the ones to come stay readable (style.css, "Elderly-friendly"
 * block: every state ≥ 4.5:1 against the bar). Screen readers hear "Step 2
 * of 5: Fill In". Step 0 hides the bar (the welcome page). */

#define G_LOG_DOMAIN "ck-step-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ck-step-bar.h"

struct _CkStepBar
{
  GtkWidget parent_instance;

  GtkBox *box;
  GtkLabel *labels[CK_STEP_BAR_N_STEPS];
  guint step;
};

G_DEFINE_FINAL_TYPE (CkStepBar, ck_step_bar, GTK_TYPE_WIDGET)

static const char *const step_names[CK_STEP_BAR_N_STEPS] = {
  /* Translators: the steps of the customer flow, as short as possible */
  N_("Read"),
  N_("Fill In"),
  N_("Sign"),
  N_("Confirm"),
  N_("Done"),
};

/**
 * ck_step_bar_get_step_name:
 * @step: 1 to %CK_STEP_BAR_N_STEPS
 *
 * Returns: the step's name, translated
 */
const char *
ck_step_bar_get_step_name (guint step)
{
  g_return_val_if_fail (step >= 1 && step <= CK_STEP_BAR_N_STEPS, NULL);

  return _(step_names[step - 1]);
}

GtkWidget *
ck_step_bar_new (void)
{
  return g_object_new (CK_TYPE_STEP_BAR, NULL);
}

static void
update (CkStepBar *self)
{
  for (guint i = 0; i < CK_STEP_BAR_N_STEPS; i++)
    {
      GtkWidget *label = GTK_WIDGET (self->labels[i]);
      guint step = i + 1;
      g_autofree char *text = NULL;

      gtk_widget_remove_css_class (label, "done");
      gtk_widget_remove_css_class (label, "current");
      gtk_widget_remove_css_class (label, "upcoming");
      if (step < self->step)
        {
          /* A tick before a step done. */
          text = g_strdup_printf ("\u2713\u2009%s", ck_step_bar_get_step_name (step));
          gtk_widget_add_css_class (label, "done");
        }
      else
        {
          text = g_strdup (ck_step_bar_get_step_name (step));
          gtk_widget_add_css_class (label, step == self->step ? "current" : "upcoming");
        }
      gtk_label_set_text (GTK_LABEL (label), text);
    }

  if (self->step > 0)
    {
      g_autofree char *where = NULL;

      /* Translators: where the customer is, e.g. "Step 2 of 5" */
      where = g_strdup_printf (_("Step %u of %u"), self->step, CK_STEP_BAR_N_STEPS);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, where,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      ck_step_bar_get_step_name (self->step),
                                      -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->step > 0);
}

guint
ck_step_bar_get_step (CkStepBar *self)
{
  g_return_val_if_fail (CK_IS_STEP_BAR (self), 0);

  return self->step;
}

/**
 * ck_step_bar_set_step:
 * @step: 1 to %CK_STEP_BAR_N_STEPS, or 0 to hide the bar
 */
void
ck_step_bar_set_step (CkStepBar *self,
                      guint      step)
{
  g_return_if_fail (CK_IS_STEP_BAR (self));
  g_return_if_fail (step <= CK_STEP_BAR_N_STEPS);

  self->step = step;
  update (self);
}

static void
ck_step_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CK_TYPE_STEP_BAR);

  G_OBJECT_CLASS (ck_step_bar_parent_class)->dispose (object);
}

static void
ck_step_bar_class_init (CkStepBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ck_step_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/consentkiosk/ConsentKiosk/ck-step-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CkStepBar, box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stepbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ck_step_bar_init (CkStepBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < CK_STEP_BAR_N_STEPS; i++)
    {
      if (i > 0)
        {
          GtkWidget *dot = g_object_new (GTK_TYPE_LABEL,
                                         "label", "\u00b7",
                                         "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                         NULL);

          gtk_widget_add_css_class (dot, "step-separator");
          gtk_box_append (self->box, dot);
        }
      self->labels[i] = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->labels[i]), "step");
      gtk_box_append (self->box, GTK_WIDGET (self->labels[i]));
    }
  update (self);
}
