/* ck-pdf-scan-private.h: reading a PDF's revisions and signatures
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The verifier reads PDFs that come from anywhere: every offset is checked
 * against the length, nesting is walked with a stack of its own (at most
 * CK_PDF_MAX_DEPTH deep) rather than by recursion, and no object's value
 * holds more than CK_PDF_MAX_VALUES values. */
#define CK_PDF_MAX_DEPTH   32
#define CK_PDF_MAX_VALUES  200000

typedef enum
{
  CK_PDF_NULL,
  CK_PDF_BOOL,
  CK_PDF_INT,
  CK_PDF_REAL,
  CK_PDF_NAME,
  CK_PDF_STRING,
  CK_PDF_ARRAY,
  CK_PDF_DICT,
  CK_PDF_REF,
  CK_PDF_KEYWORD,   /* a bare word that is none of the above */
} CkPdfKind;

typedef struct _CkPdfValue CkPdfValue;

/**
 * CkPdfValue:
 * @kind: what it is
 * @start: its first byte in the file
 * @end: the byte after its last
 * @num: an integer's value, a boolean, a reference's object number
 * @gen: a reference's generation
 * @hex: a string written as <hex digits>
 * @bad: a string with a character that is not a hex digit, or an odd number
 *   of them; an integer too large for 64 bits
 * @name: a name (decoded, without its slash) or a keyword
 * @string: a string's bytes, decoded
 * @items: an array's values; a dictionary's keys and values, alternating
 */
struct _CkPdfValue
{
  CkPdfKind   kind;
  gsize       start;
  gsize       end;
  gint64      num;
  gint64      gen;
  gboolean    hex;
  gboolean    bad;
  char       *name;
  GBytes     *string;
  GPtrArray  *items;
};

/**
 * CkPdfObject:
 * @num: the object number
 * @gen: its generation
 * @offset: where "NUM GEN obj" begins
 * @value_start: where its value begins
 * @end: after its "endobj" (or where the scan stopped reading it)
 * @is_stream: the value is followed by a stream
 * @revision: the index of the revision it is in
 */
typedef struct
{
  gint64   num;
  gint64   gen;
  gsize    offset;
  gsize    value_start;
  gsize    end;
  gboolean is_stream;
  guint    revision;
} CkPdfObject;

/**
 * CkPdfRevision:
 * @start: its first byte (0, or the end of the revision before)
 * @eof: after its "%%EOF"
 * @end: after the end-of-line that follows "%%EOF", if any
 * @startxref: the offset its "startxref" gives, -1 if none could be read
 * @trailer: (nullable): its trailer dictionary, if it has one
 */
typedef struct
{
  gsize       start;
  gsize       eof;
  gsize       end;
  gint64      startxref;
  CkPdfValue *trailer;
} CkPdfRevision;

/**
 * CkPdfSignature:
 * @object: the index in the scan's objects of its dictionary
 * @revision: the revision it is in
 * @doc_timestamp: /Type /DocTimeStamp (else /Sig, or no /Type)
 * @sub_filter: (nullable): /SubFilter
 * @byte_range: /ByteRange, when it is four integers
 * @byte_range_ok: it is
 * @contents_hex: /Contents is a hex string (else it is missing or
 *   something else, and @contents_start and @contents_end are 0)
 * @contents_start: where /Contents' hex string begins (its "<")
 * @contents_end: after its ">"
 * @contents: (nullable): its bytes, decoded; %NULL when /Contents is not a
 *   hex string, has a character that is no hex digit or an odd number of them
 * @m: (nullable): /M as written (a PDF date)
 */
typedef struct
{
  guint     object;
  guint     revision;
  gboolean  doc_timestamp;
  char     *sub_filter;
  gint64    byte_range[4];
  gboolean  byte_range_ok;
  gboolean  contents_hex;
  gsize     contents_start;
  gsize     contents_end;
  GBytes   *contents;
  char     *m;
} CkPdfSignature;

/**
 * CkPdfXrefEntry:
 * @num: object number
 * @offset: its offset (in use) or the next free object (free)
 * @gen: generation
 * @in_use: an "n" entry, else "f"
 */
typedef struct
{
  gint64   num;
  gint64   offset;
  gint64   gen;
  gboolean in_use;
} CkPdfXrefEntry;

/**
 * CkPdfXrefFault:
 * @CK_PDF_XREF_NOT_A_TABLE: no "xref" where the table should begin
 * @CK_PDF_XREF_BAD_SUBSECTION: a subsection's header cannot be read
 * @CK_PDF_XREF_BAD_ENTRY: an entry cannot be read
 * @CK_PDF_XREF_BAD_TRAILER: the trailer is not a dictionary
 *
 * Why _ck_pdf_read_xref () found no table.
 */
typedef enum
{
  CK_PDF_XREF_NOT_A_TABLE,
  CK_PDF_XREF_BAD_SUBSECTION,
  CK_PDF_XREF_BAD_ENTRY,
  CK_PDF_XREF_BAD_TRAILER,
} CkPdfXrefFault;

typedef struct
{
  const guint8 *data;
  gsize         len;
  GArray       *objects;      /* CkPdfObject, in file order */
  GPtrArray    *revisions;    /* CkPdfRevision, in file order */
  GPtrArray    *signatures;   /* CkPdfSignature, in file order */
  GHashTable   *by_num;       /* object number → GArray of indices in objects */
} CkPdfScan;

CkPdfScan  *_ck_pdf_scan             (const guint8      *data,
                                      gsize              len);
void        _ck_pdf_scan_free        (CkPdfScan         *scan);
CkPdfValue *_ck_pdf_scan_parse_object (const CkPdfScan  *scan,
                                      guint              index);
gint        _ck_pdf_scan_find_object (const CkPdfScan   *scan,
                                      gint64             num,
                                      gsize              before);
GArray     *_ck_pdf_scan_read_xref   (const CkPdfScan   *scan,
                                      gsize              offset,
                                      CkPdfValue       **trailer);
GArray     *_ck_pdf_read_xref        (const guint8      *data,
                                      gsize              len,
                                      gsize              offset,
                                      CkPdfValue       **trailer,
                                      CkPdfXrefFault    *fault);
gboolean    _ck_pdf_read_object_header (const guint8  *data,
                                        gsize          len,
                                        gsize         *pos,
                                        gint64        *num,
                                        gint64        *gen);
char       *_ck_pdf_value_canonical  (const CkPdfScan   *scan,
                                      const CkPdfValue  *value);

CkPdfValue *_ck_pdf_value_parse      (const guint8      *data,
                                      gsize              len,
                                      gsize              offset);
void        _ck_pdf_value_free       (CkPdfValue        *value);
CkPdfValue *_ck_pdf_dict_get         (const CkPdfValue  *dict,
                                      const char        *key);
gboolean    _ck_pdf_value_is_name    (const CkPdfValue  *value,
                                      const char        *name);
char       *_ck_pdf_text_to_utf8     (GBytes            *string);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkPdfScan, _ck_pdf_scan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkPdfValue, _ck_pdf_value_free)

G_END_DECLS
