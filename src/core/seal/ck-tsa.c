/* ck-tsa.c: TEMPORARY stand-in, until branch seal-tsa merges
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The RFC 3161 client is written on branch seal-tsa. This file only lets
 * the signer link before that: it answers every request with
 * CK_SEAL_ERROR_TSA_UNREACHABLE, so a configured TSA leaves consents
 * sealed without a token (PAdES-B-B), as a TSA that is down would. When
 * seal-tsa merges, its ck-tsa.c replaces this file whole (take theirs). */

#define G_LOG_DOMAIN "ck-tsa"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ck-seal.h"
#include "ck-tsa.h"

struct _CkTsa
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (CkTsa, ck_tsa, G_TYPE_OBJECT)

static void
ck_tsa_class_init (CkTsaClass *klass)
{
}

static void
ck_tsa_init (CkTsa *self)
{
}

CkTsa *
ck_tsa_new (const char  *url,
            const char  *ca_file,
            guint        timeout_s,
            GError     **error)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (ca_file != NULL, NULL);

  return g_object_new (CK_TYPE_TSA, NULL);
}

GBytes *
ck_tsa_stamp (CkTsa         *self,
              const guint8  *sha256,
              GError       **error)
{
  g_return_val_if_fail (CK_IS_TSA (self), NULL);

  g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE,
                       _("This build has no time-stamping client yet."));
  return NULL;
}

GBytes *
ck_tsa_stamp_data (CkTsa   *self,
                   GBytes  *data,
                   GError **error)
{
  return ck_tsa_stamp (self, NULL, error);
}
