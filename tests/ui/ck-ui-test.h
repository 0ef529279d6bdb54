/* ck-ui-test.h: helpers the kiosk's UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*CkUiCondition) (gpointer data);

void       ck_ui_wait_until        (CkUiCondition  condition,
                                    gpointer       data,
                                    double         seconds,
                                    const char    *what);
GtkWindow *ck_ui_present           (GApplication  *app);
void       ck_ui_wait_for_frames   (GtkWidget     *widget,
                                    guint          n_frames);
GtkWidget *ck_ui_find_descendant   (GtkWidget     *widget,
                                    GType          type);
void       ck_ui_collect           (GtkWidget     *widget,
                                    GType          type,
                                    GPtrArray     *found);
GtkWindow *ck_ui_find_toplevel     (GType          type);
GtkButton *ck_ui_find_button       (GtkWidget     *widget,
                                    const char    *label);
GtkLabel  *ck_ui_find_label        (GtkWidget     *widget,
                                    const char    *text);
void       ck_ui_click             (GtkWidget     *widget,
                                    const char    *label);
void       ck_ui_draw_stroke       (GtkWidget     *widget,
                                    const double  *points,
                                    guint          n_points);
char      *ck_ui_save_screenshot   (GtkWidget     *window,
                                    const char    *name);

G_END_DECLS
