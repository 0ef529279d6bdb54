/* fuzz-seal-verify.c: libFuzzer target for verifying a sealed PDF
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Any input either fails with CK_SEAL_ERROR_PDF and a message (no "%PDF-"
 * in its first 1024 bytes), or yields a report that is not "ok" (no CA is
 * given, so nothing can be trusted), whose strings are valid UTF-8 with no
 * control characters, and whose problems are non-empty sentences. The
 * scanner's findings stay within the input: revisions in order, every
 * /Contents inside the file.
 *
 * Each input is also tried after a PDF header, so that the fuzzer reaches
 * the parser without having to find "%PDF-" first. The seeds in
 * corpus/seal-verify are small hand-made PDFs: an unsigned consent's
 * structure, a signed one with a document timestamp revision, and an
 * edited one. */

#include "config.h"

#include <string.h>

#include "ck.h"
#include "ck-pdf-scan-private.h"
#include "ck-seal.h"
#include "ck-seal-verify.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
assert_printable (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
check_scan (const guint8 *data,
            size_t        size)
{
  g_autoptr(CkPdfScan) scan = _ck_pdf_scan (data, size);
  gsize last = 0;

  for (guint i = 0; i < scan->revisions->len; i++)
    {
      CkPdfRevision *revision = scan->revisions->pdata[i];

      g_assert_cmpuint (revision->start, ==, last);
      g_assert_cmpuint (revision->start, <, revision->eof);
      g_assert_cmpuint (revision->eof, <=, revision->end);
      g_assert_cmpuint (revision->end, <=, size);
      last = revision->end;
    }
  for (guint i = 0; i < scan->objects->len; i++)
    {
      CkPdfObject *object = &g_array_index (scan->objects, CkPdfObject, i);

      g_assert_cmpuint (object->offset, <, object->value_start);
      g_assert_cmpuint (object->end, <=, size);
      g_assert_cmpuint (object->revision, <=, scan->revisions->len);
    }
  for (guint i = 0; i < scan->signatures->len; i++)
    {
      CkPdfSignature *signature = scan->signatures->pdata[i];

      g_assert_cmpuint (signature->object, <, scan->objects->len);
      if (signature->contents_hex)
        {
          g_assert_cmpuint (signature->contents_start, <, signature->contents_end);
          g_assert_cmpuint (signature->contents_end, <=, size);
          g_assert_cmpint (data[signature->contents_start], ==, '<');
        }
      if (signature->contents)
        g_assert_cmpuint (g_bytes_get_size (signature->contents), <=,
                          (signature->contents_end - signature->contents_start) / 2);
      assert_printable (signature->m);
    }
}

static void
check (const guint8 *data,
       size_t        size)
{
  g_autoptr(GBytes) input = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CkSealReport) report = NULL;

  check_scan (data, size);

  report = ck_seal_verify_pdf (input, NULL, NULL, &error);
  if (report == NULL)
    {
      g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF);
      g_assert_true (error->message[0] != '\0');
      return;
    }

  g_assert_no_error (error);
  g_assert_false (ck_seal_report_is_ok (report));
  g_assert_false (report->trusted);
  g_assert_cmpuint (report->problems->len, >, 0);
  if (!report->signed_)
    g_assert_false (report->valid);
  assert_printable (report->consent_id);
  assert_printable (report->name);
  assert_printable (report->signer);
  assert_printable (report->signing_time);
  for (guint i = 0; i < report->problems->len; i++)
    {
      g_assert_true (((const char *)report->problems->pdata[i])[0] != '\0');
      g_assert_true (g_utf8_validate (report->problems->pdata[i], -1, NULL));
    }
  for (guint i = 0; i < report->timestamps->len; i++)
    {
      CkSealTimestamp *timestamp = report->timestamps->pdata[i];

      g_assert_false (timestamp->valid);
      assert_printable (timestamp->time);
      assert_printable (timestamp->tsa);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char header[] = "%PDF-1.7\n";
  g_autofree guint8 *with_header = NULL;

  if (size > 4 * 1024 * 1024)
    return 0;

  check (data, size);

  with_header = g_malloc (sizeof header - 1 + size);
  memcpy (with_header, header, sizeof header - 1);
  if (size)
    memcpy (with_header + sizeof header - 1, data, size);
  check (with_header, sizeof header - 1 + size);

  return 0;
}
