/* ck-seal-verify-revisions.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Whether a revision appended after the consent signature is a document
 * timestamp and nothing else: read through its own cross-reference table
 * (what a reader follows), it may add objects, and change only the
 * catalog's /AcroForm, the form's /Fields and a page's /Annots, each entry
 * it adds a signature field; its trailer keeps /Root and /Info and points
 * /Prev at the revision before. Anything else is an edit after signing. */

#define G_LOG_DOMAIN "ck-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-pdf-scan-private.h"
#include "ck-seal-verify-private.h"

/* The value @value refers to, as defined last before @before; a direct
 * value is copied by parsing it again. */
CkPdfValue *
_ck_seal_resolve (const CkPdfScan  *scan,
                  const CkPdfValue *value,
                  gsize             before)
{
  gint index;

  if (value == NULL)
    return NULL;
  if (value->kind != CK_PDF_REF)
    return _ck_pdf_value_parse (scan->data, scan->len, value->start);
  if ((index = _ck_pdf_scan_find_object (scan, value->num, before)) < 0)
    return NULL;

  return _ck_pdf_scan_parse_object (scan, index);
}

static gboolean
same_value (const CkPdfScan  *scan,
            const CkPdfValue *a,
            const CkPdfValue *b)
{
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  ca = _ck_pdf_value_canonical (scan, a);
  cb = _ck_pdf_value_canonical (scan, b);

  return g_strcmp0 (ca, cb) == 0;
}

/* Whether the new dictionary @now keeps every key of @was (and adds none)
 * but @except; the first that differs in @key. */
static gboolean
same_dict_except (const CkPdfScan  *scan,
                  const CkPdfValue *was,
                  const CkPdfValue *now,
                  const char       *except,
                  const char      **key)
{
  const CkPdfValue *dicts[2] = { was, now };

  if (was->kind != CK_PDF_DICT || now->kind != CK_PDF_DICT)
    return FALSE;

  for (guint d = 0; d < 2; d++)
    for (guint i = 0; i + 1 < dicts[d]->items->len; i += 2)
      {
        const char *name = ((CkPdfValue *)dicts[d]->items->pdata[i])->name;

        if (g_strcmp0 (name, except) == 0)
          continue;
        if (!same_value (scan, _ck_pdf_dict_get (was, name), _ck_pdf_dict_get (now, name)))
          {
            *key = name;
            return FALSE;
          }
      }

  return TRUE;
}

/* Each entry @now adds to the list @was (of /Annots or /Fields) must be a
 * signature field, defined in @revision; none may go. */
static gboolean
only_signature_fields_added (const CkPdfScan     *scan,
                             const CkPdfRevision *revision,
                             const CkPdfValue    *was_ref,
                             const CkPdfValue    *now_ref)
{
  g_autoptr(CkPdfValue) was = _ck_seal_resolve (scan, was_ref, revision->start);
  g_autoptr(CkPdfValue) now = _ck_seal_resolve (scan, now_ref, revision->end);
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (now == NULL || now->kind != CK_PDF_ARRAY || (was && was->kind != CK_PDF_ARRAY))
    return FALSE;

  for (guint i = 0; was && i < was->items->len; i++)
    g_hash_table_add (old, _ck_pdf_value_canonical (scan, was->items->pdata[i]));

  for (guint i = 0; i < now->items->len; i++)
    {
      CkPdfValue *item = now->items->pdata[i];
      g_autofree char *canonical = _ck_pdf_value_canonical (scan, item);
      g_autoptr(CkPdfValue) field = NULL;
      gint index;

      if (g_hash_table_remove (old, canonical))
        continue;
      /* New: an object of this revision that is a signature field. */
      if (item->kind != CK_PDF_REF ||
          (index = _ck_pdf_scan_find_object (scan, item->num, revision->end)) < 0 ||
          g_array_index (scan->objects, CkPdfObject, index).offset < revision->start ||
          (field = _ck_pdf_scan_parse_object (scan, index)) == NULL ||
          !_ck_pdf_value_is_name (_ck_pdf_dict_get (field, "FT"), "Sig"))
        return FALSE;
    }

  return g_hash_table_size (old) == 0;
}

static gint64
ref_num (const CkPdfValue *value)
{
  return value && value->kind == CK_PDF_REF ? value->num : -1;
}

/* Whether revision @index, after the consent signature, is a document
 * timestamp and nothing else: NULL, or why not. */
char *
_ck_seal_check_timestamp_revision (const CkPdfScan *scan,
                                   guint            index)
{
  const CkPdfRevision *revision = scan->revisions->pdata[index];
  const CkPdfRevision *before = scan->revisions->pdata[index - 1];
  g_autoptr(CkPdfValue) trailer = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(CkPdfValue) catalog = NULL;
  CkPdfValue *prev;
  guint n_signatures = 0;
  gint64 root, acroform = -1;

  for (guint i = 0; i < scan->signatures->len; i++)
    {
      const CkPdfSignature *signature = scan->signatures->pdata[i];

      if (signature->revision != index)
        continue;
      if (!signature->doc_timestamp)
        return g_strdup (_("it adds a signature that is not a document timestamp"));
      n_signatures++;
    }
  if (n_signatures != 1)
    return g_strdup (_("it is not one document timestamp"));

  if (revision->startxref < (gint64)revision->start || revision->startxref >= (gint64)revision->eof ||
      (entries = _ck_pdf_scan_read_xref (scan, revision->startxref, &trailer)) == NULL)
    return g_strdup (_("its cross-reference table cannot be read"));
  /* A document timestamp adds a handful of objects. */
  if (entries->len > CK_SEAL_VERIFY_MAX_XREF_ENTRIES)
    return g_strdup (_("it changes more objects than a document timestamp does"));

  if (before->trailer == NULL)
    return g_strdup (_("the revision before it has no trailer to compare it with"));
  prev = _ck_pdf_dict_get (trailer, "Prev");
  if (prev == NULL || prev->kind != CK_PDF_INT || prev->num != before->startxref)
    return g_strdup (_("its trailer’s /Prev is not the revision before it"));
  root = ref_num (_ck_pdf_dict_get (trailer, "Root"));
  if (root < 0 || root != ref_num (_ck_pdf_dict_get (before->trailer, "Root")))
    return g_strdup (_("it changes the document’s catalog (/Root)"));
  if (!same_value (scan, _ck_pdf_dict_get (trailer, "Info"), _ck_pdf_dict_get (before->trailer, "Info")))
    return g_strdup (_("it changes the document information (/Info)"));
  if (_ck_pdf_dict_get (trailer, "Encrypt"))
    return g_strdup (_("it encrypts the document"));

  {
    gint i = _ck_pdf_scan_find_object (scan, root, revision->start);

    if (i >= 0 && (catalog = _ck_pdf_scan_parse_object (scan, i)))
      acroform = ref_num (_ck_pdf_dict_get (catalog, "AcroForm"));
  }

  for (guint i = 0; i < entries->len; i++)
    {
      const CkPdfXrefEntry *entry = &g_array_index (entries, CkPdfXrefEntry, i);
      g_autoptr(CkPdfValue) was = NULL;
      g_autoptr(CkPdfValue) now = NULL;
      const CkPdfObject *object = NULL;
      const char *key = NULL;
      gint earlier;

      if (!entry->in_use)
        {
          if (entry->num != 0)
            return g_strdup_printf (_("it deletes object %lld"), (long long)entry->num);
          continue;
        }
      if (entry->offset < (gint64)revision->start || entry->offset >= (gint64)revision->eof)
        return g_strdup_printf (_("it points object %lld at bytes outside the revision"),
                                (long long)entry->num);
      {
        gint at = _ck_pdf_scan_find_object (scan, entry->num, entry->offset + 1);

        if (at >= 0 && g_array_index (scan->objects, CkPdfObject, at).offset == (gsize)entry->offset)
          {
            object = &g_array_index (scan->objects, CkPdfObject, at);
            now = _ck_pdf_scan_parse_object (scan, at);
          }
      }
      if (object == NULL || now == NULL)
        return g_strdup_printf (_("its object %lld is not where its "
                                  "cross-reference table says"), (long long)entry->num);

      earlier = _ck_pdf_scan_find_object (scan, entry->num, revision->start);
      if (earlier < 0)
        continue;   /* a new object */
      if ((was = _ck_pdf_scan_parse_object (scan, earlier)) == NULL)
        return g_strdup_printf (_("it replaces object %lld"), (long long)entry->num);

      if (entry->num == root)
        {
          if (!same_dict_except (scan, was, now, "AcroForm", &key))
            return g_strdup_printf (_("it changes the catalog’s /%s"), key ? key : "Type");
          if (!_ck_pdf_value_is_name (_ck_pdf_dict_get (now, "Type"), "Catalog"))
            return g_strdup (_("it changes the catalog’s /Type"));
          /* An /AcroForm written in the catalog itself: its fields. */
          {
            CkPdfValue *old_form = _ck_pdf_dict_get (was, "AcroForm");
            CkPdfValue *new_form = _ck_pdf_dict_get (now, "AcroForm");

            if (new_form && new_form->kind == CK_PDF_DICT &&
                (old_form == NULL || old_form->kind == CK_PDF_DICT))
              {
                if ((old_form && !same_dict_except (scan, old_form, new_form, "Fields", &key)) ||
                    !only_signature_fields_added (scan, revision,
                                                  old_form ? _ck_pdf_dict_get (old_form, "Fields") : NULL,
                                                  _ck_pdf_dict_get (new_form, "Fields")))
                  return g_strdup (_("it adds form fields that are not signature fields"));
              }
            else if (!same_value (scan, old_form, new_form) &&
                     !(new_form && new_form->kind == CK_PDF_REF && old_form == NULL))
              return g_strdup (_("it changes the catalog’s /AcroForm"));
          }
        }
      else if (entry->num == acroform ||
               ref_num (_ck_pdf_dict_get (now, "AcroForm")) == entry->num)
        {
          if (!same_dict_except (scan, was, now, "Fields", &key))
            return g_strdup_printf (_("it changes the form’s /%s"), key ? key : "Fields");
          if (!only_signature_fields_added (scan, revision, _ck_pdf_dict_get (was, "Fields"),
                                            _ck_pdf_dict_get (now, "Fields")))
            return g_strdup (_("it adds form fields that are not signature fields"));
        }
      else if (_ck_pdf_value_is_name (_ck_pdf_dict_get (was, "Type"), "Page"))
        {
          if (!same_dict_except (scan, was, now, "Annots", &key))
            return g_strdup_printf (_("it changes a page’s /%s"), key ? key : "Type");
          if (!only_signature_fields_added (scan, revision, _ck_pdf_dict_get (was, "Annots"),
                                            _ck_pdf_dict_get (now, "Annots")))
            return g_strdup (_("it adds annotations to a page that are not signature fields"));
        }
      else
        return g_strdup_printf (_("it replaces object %lld, which the signature "
                                  "covers"), (long long)entry->num);
    }

  return NULL;
}

