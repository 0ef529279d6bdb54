/* ck-flow.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ck-config.h"
#include "ck-font-set.h"
#include "ck-pdf.h"
#include "ck-seal.h"
#include "ck-signature.h"
#include "ck-store.h"
#include "ck-template.h"
#include "ck-verify-queue.h"

G_BEGIN_DECLS

#define CK_FLOW_ERROR (ck_flow_error_quark ())
#define CK_TYPE_FLOW (ck_flow_get_type ())

typedef enum
{
  CK_FLOW_ERROR_WRONG_STATE,
  CK_FLOW_ERROR_NOT_AGREED,
} CkFlowError;

/**
 * CkFlowState:
 * @CK_FLOW_STATE_IDLE: nothing begun
 * @CK_FLOW_STATE_READING: the letter is shown; its hash is recorded
 * @CK_FLOW_STATE_AGREED: the customer agreed to the letter and the declaration
 * @CK_FLOW_STATE_DETAILS_VALID: a valid name and ID number are entered
 * @CK_FLOW_STATE_SIGNED: an acceptable signature is drawn
 * @CK_FLOW_STATE_SAVING: the PDF is being rendered and stored
 * @CK_FLOW_STATE_SAVED: the consent is durably stored
 * @CK_FLOW_STATE_VERIFYING: the stored consent is being verified
 * @CK_FLOW_STATE_DONE: the service answered or the attempt is queued
 *
 * The consent flow (docs/ARCHITECTURE.md, "The consent flow").
 */
typedef enum
{
  CK_FLOW_STATE_IDLE,
  CK_FLOW_STATE_READING,
  CK_FLOW_STATE_AGREED,
  CK_FLOW_STATE_DETAILS_VALID,
  CK_FLOW_STATE_SIGNED,
  CK_FLOW_STATE_SAVING,
  CK_FLOW_STATE_SAVED,
  CK_FLOW_STATE_VERIFYING,
  CK_FLOW_STATE_DONE,
} CkFlowState;

G_DECLARE_FINAL_TYPE (CkFlow, ck_flow, CK, FLOW, GObject)

GQuark           ck_flow_error_quark        (void);
CkFlow          *ck_flow_new                (CkConfig             *config,
                                             CkStore              *store,
                                             CkFontSet            *fonts);
CkFlowState      ck_flow_get_state          (CkFlow               *self);
const char      *ck_flow_state_to_string    (CkFlowState           state);
void             ck_flow_set_operator       (CkFlow               *self,
                                             const char           *operator_name);
void             ck_flow_set_seal           (CkFlow               *self,
                                             CkSeal               *seal);
gboolean         ck_flow_show               (CkFlow               *self,
                                             CkTemplate           *template,
                                             GError              **error);
gboolean         ck_flow_agree              (CkFlow               *self,
                                             gboolean              letter,
                                             gboolean              declaration,
                                             GError              **error);
gboolean         ck_flow_set_details        (CkFlow               *self,
                                             const char           *name,
                                             const char           *id_number,
                                             GError              **error);
gboolean         ck_flow_set_details_full   (CkFlow               *self,
                                             const char           *name,
                                             CkEntryMethod         name_method,
                                             const char           *id_number,
                                             CkEntryMethod         id_method,
                                             GError              **error);
gboolean         ck_flow_set_signature      (CkFlow               *self,
                                             CkSignature          *signature,
                                             GError              **error);
void             ck_flow_save_async         (CkFlow               *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
CkConsentRecord *ck_flow_save_finish        (CkFlow               *self,
                                             GAsyncResult         *result,
                                             GError              **error);
CkConsentRecord *ck_flow_save               (CkFlow               *self,
                                             GCancellable         *cancellable,
                                             GError              **error);
void             ck_flow_verify_async       (CkFlow               *self,
                                             CkVerifyQueue        *queue,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
CkVerification  *ck_flow_verify_finish      (CkFlow               *self,
                                             GAsyncResult         *result,
                                             GError              **error);
CkVerification  *ck_flow_verify             (CkFlow               *self,
                                             CkVerifyQueue        *queue,
                                             GCancellable         *cancellable,
                                             GError              **error);
const char      *ck_flow_get_consent_id     (CkFlow               *self);
const char      *ck_flow_get_name           (CkFlow               *self);
const char      *ck_flow_get_id_number      (CkFlow               *self);
CkEntryMethod    ck_flow_get_name_method    (CkFlow               *self);
CkEntryMethod    ck_flow_get_id_method      (CkFlow               *self);
CkSignature     *ck_flow_get_signature      (CkFlow               *self);
GDateTime       *ck_flow_dup_now            (CkFlow               *self);
char            *ck_flow_dup_upgrade_notice (CkFlow               *self);
void             ck_flow_reset              (CkFlow               *self);

G_END_DECLS
