/* ck-ui-test-util.h: helpers the UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*CkUiTestCheck) (gpointer data);

void       ck_ui_test_load_style       (void);
GtkWidget *ck_ui_test_find_descendant  (GtkWidget     *widget,
                                        GType          type);
void       ck_ui_test_present          (GtkWindow     *window);
void       ck_ui_test_destroy          (GtkWindow     *window);
void       ck_ui_test_wait_until       (CkUiTestCheck  check,
                                        gpointer       data,
                                        double         seconds,
                                        const char    *what);
void       ck_ui_test_wait_for_count   (const guint   *counter,
                                        guint          target,
                                        double         seconds,
                                        const char    *what);
void       ck_ui_test_wait_for_frames  (GtkWidget     *widget,
                                        guint          n_frames);
void       ck_ui_test_run_xdotool      (GPtrArray     *args);
void       ck_ui_test_add_move         (GPtrArray     *args,
                                        GtkWidget     *widget,
                                        double         x,
                                        double         y);
void       ck_ui_test_click            (GtkWidget     *widget);
GdkTexture *ck_ui_test_screenshot      (GtkWidget     *widget,
                                        const char    *png);

G_END_DECLS
