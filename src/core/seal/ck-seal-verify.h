/* ck-seal-verify.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CkSealTimestamp:
 * @time: when the TSA says it saw the signature (ISO 8601, UTC)
 * @tsa: the TSA certificate's subject, as one line
 * @valid: the token's signature holds, its imprint is that of the
 *   signature value (or of the document revision it stamps) and its
 *   certificate chains to the trusted TSA CAs
 * @document: %TRUE for a document timestamp (/DocTimeStamp revision),
 *   %FALSE for a token inside the signature (PAdES-B-T)
 */
typedef struct
{
  char     *time;
  char     *tsa;
  gboolean  valid;
  gboolean  document;
} CkSealTimestamp;

/**
 * CkSealReport:
 * @signed_: the PDF has a consent signature (/Sig, ETSI.CAdES.detached)
 * @valid: its CMS signature is valid over its ByteRange (digest and
 *   signature value), with signingCertificateV2 matching the signer
 * @trusted: the signer's certificate chains to the given CA
 * @covers_document: the ByteRange covers the whole file except /Contents,
 *   up to the end of its revision, and every later revision is a document
 *   timestamp only
 * @consent_id: from the document information (Keywords consent-id:)
 * @name: the customer's name, from the document information (Subject)
 * @signer: the signer certificate's subject (O and CN)
 * @signing_time: /M of the signature dictionary, ISO 8601
 * @timestamps: (element-type CkSealTimestamp): every timestamp found
 * @problems: (element-type utf8): translated sentences, one per fault
 *
 * What ck_seal_verify_pdf() found: a consent proves itself when @signed_,
 * @valid, @trusted, @covers_document hold, every timestamp is valid, and
 * @problems is empty (ck_seal_report_is_ok()).
 */
typedef struct
{
  gboolean   signed_;
  gboolean   valid;
  gboolean   trusted;
  gboolean   covers_document;
  char      *consent_id;
  char      *name;
  char      *signer;
  char      *signing_time;
  GPtrArray *timestamps;
  GPtrArray *problems;
} CkSealReport;

CkSealReport *ck_seal_verify_pdf        (GBytes              *pdf,
                                         const char          *ca_file,
                                         const char          *tsa_ca_file,
                                         GError             **error);
gboolean      ck_seal_report_is_ok      (const CkSealReport  *report);
gboolean      ck_seal_report_is_timestamped (const CkSealReport *report);
void          ck_seal_report_free       (CkSealReport        *report);
gboolean      ck_seal_verify_data       (GBytes              *data,
                                         GBytes              *cms,
                                         const char          *ca_file,
                                         const char          *tsa_ca_file,
                                         char               **signer,
                                         char               **timestamp,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkSealReport, ck_seal_report_free)

G_END_DECLS
