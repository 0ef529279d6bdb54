/* ck-ui-test.h: helpers the kiosk's UI tests share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ck.h"
#include "ck-application.h"
#include "ck-signature-pad.h"
#include "ck-window.h"

G_BEGIN_DECLS

typedef gboolean (*CkUiCondition) (gpointer data);

void       ck_ui_wait_until        (CkUiCondition  condition,
                                    gpointer       data,
                                    double         seconds,
                                    const char    *what);
GtkWindow *ck_ui_present           (GApplication  *app);
void       ck_ui_present_window    (GtkWindow     *window,
                                     guint          n_frames);
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
GtkWidget *ck_ui_find_staff_button (GtkWidget     *window);
void       ck_ui_click             (GtkWidget     *widget,
                                    const char    *label);
void       ck_ui_draw_stroke       (GtkWidget     *widget,
                                    const double  *points,
                                    guint          n_points);
void       ck_ui_tap               (GtkWidget     *widget);
void       ck_ui_tap_until         (GtkWidget     *widget,
                                    CkUiCondition  condition,
                                    gpointer       data,
                                    double         seconds,
                                    const char    *what);
void       ck_ui_type              (GtkWidget     *widget,
                                    const char    *text);
void       ck_ui_press_keys        (GtkWidget     *widget,
                                    const char    *keys);
void       ck_ui_press_keys_every  (GtkWidget     *widget,
                                    const char    *keys,
                                    guint          delay_ms);
void       ck_ui_scroll            (GtkWidget     *widget,
                                    int            clicks);
char      *ck_ui_save_screenshot   (GtkWidget     *window,
                                    const char    *name);

const char     *ck_ui_page_name      (CkWindow        *window);
GtkWidget      *ck_ui_page           (CkWindow        *window,
                                      const char      *name);
void            ck_ui_wait_for_page  (CkWindow        *window,
                                      const char      *name,
                                      double           seconds);
void            ck_ui_letter_checks  (CkWindow        *window,
                                      GtkCheckButton **letter,
                                      GtkCheckButton **declaration);
void            ck_ui_read_letter    (CkWindow        *window);
GtkEditable    *ck_ui_name_entry     (CkWindow        *window);
GtkEditable    *ck_ui_id_entry       (CkWindow        *window);
CkSignaturePad *ck_ui_signature_pad  (CkWindow        *window);
void       ck_ui_draw_on_pad       (CkSignaturePad  *pad,
                                    const double    *points,
                                    guint            n_points);
gboolean        ck_ui_flow_is_done   (gpointer         data);

CkApplication  *ck_ui_start_kiosk    (const char      *tmp_dir,
                                      const char      *config);
void            ck_ui_stop_kiosk     (CkApplication   *app);
void            ck_ui_as_customers_see_it (void);
void            ck_ui_ignore_desktop_services (void);
CkConsentRecord *ck_ui_store_consent (CkStore         *store,
                                      CkConfig        *config,
                                      const char      *name,
                                      const char      *id_number);
CkConsentRecord *ck_ui_store_sealed_consent (CkStore  *store,
                                      CkConfig        *config,
                                      CkSeal          *seal,
                                      const char      *name,
                                      const char      *id_number);

G_END_DECLS
