/* test-seal.c: the organisation's seal on a consent PDF (issue 15)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A real consent rendered by ck-pdf, sealed with keys of a PKI made for
 * this run (tests/pki/make-test-pki.sh): from PKCS#12 files (P-256 and
 * RSA-2048), from a PEM key, and from a SoftHSM2 token through libp11's
 * engine. Each result is checked by tools that know nothing of this code,
 * reading their text: pdfsig (whose exit code says nothing of the
 * signature's validity), openssl cms -verify -cades on the ByteRange cut
 * out of the file, openssl ts -verify on the token, qpdf --check. The TSA
 * is OpenSSL's own TS_RESP_CTX in this process, behind the seal's stamp
 * function: the network client (ck-tsa.c) has tests of its own. */

#define _GNU_SOURCE   /* memmem() */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>

#include "ck-seal-private.h"
#include "pdf-fixture.h"

static char *pki;               /* the PKI's folder */
static gboolean have_softhsm;   /* the token was made */
static gboolean have_nss;       /* pdfsig's database was made */
static GBytes *consent_pdf;     /* the consent every test seals */

#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define PASSWORD "correct horse 电池"
#define SIGNER "示例银行股份有限公司, 示例银行 电子签章"

/* --- set-up ------------------------------------------------------------- */

static char *
pki_path (const char *name)
{
  return g_build_filename (pki, name, NULL);
}

/* A configuration of [signing] lines (@DIR@ is the PKI's folder). */
static CkConfig *
load_config (const char  *signing,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) text = g_string_new ("[signing]\n");
  g_autofree char *path = g_build_filename (workdir, "kiosk.conf", NULL);

  g_string_append (text, signing);
  g_string_replace (text, "@DIR@", pki, 0);
  g_file_set_contents (path, text->str, -1, &local_error);
  g_assert_no_error (local_error);

  return ck_config_load (NULL, NULL, path, error);
}

static CkSeal *
new_seal (const char *signing)
{
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  CkSeal *seal;

  config = load_config (signing, &error);
  g_assert_no_error (error);
  seal = ck_seal_new (config, &error);
  g_assert_no_error (error);

  return seal;
}

#define P12_SIGNING \
  "key = @DIR@/seal.p12\nkey_password_file = @DIR@/seal.pass\n"
#define RSA_SIGNING \
  "key = @DIR@/seal-rsa.p12\nkey_password_file = @DIR@/seal.pass\n"
#define PEM_SIGNING \
  "key = @DIR@/seal.key\ncertificate = @DIR@/seal.pem\nchain = @DIR@/intermediate.pem\n"
#define PKCS11_SIGNING \
  "key = pkcs11:token=kiosk;object=seal;type=private\ncertificate = @DIR@/seal.pem\n" \
  "chain = @DIR@/intermediate.pem\nkey_password_file = @DIR@/pin\npkcs11_module = " SOFTHSM_MODULE "\n"

static GBytes *
sign (CkSeal   *seal,
      GBytes   *pdf,
      gboolean  timestamp,
      GError  **tsa_error)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  CkSealPdfInfo info = { "示例银行股份有限公司", "个人信息授权", "branch-042-kiosk-1", now };
  g_autoptr(GError) error = NULL;
  GBytes *sealed;

  sealed = ck_seal_sign_pdf (seal, pdf, &info, timestamp, tsa_error, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sealed);

  return sealed;
}

/* --- reading what was written --------------------------------------------- */

/* Runs a program; its exit status, standard output and error. */
static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);

  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* The last signature's ByteRange and /Contents (decoded, whole). */
static void
last_signature (GBytes  *pdf,
                GBytes **signed_bytes,
                GBytes **contents)
{
  gsize len;
  const char *data = g_bytes_get_data (pdf, &len);
  const char *at = NULL, *p = data;
  guint64 range[4];
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  g_autoptr(GByteArray) decoded = g_byte_array_new ();
  char *end;

  while ((p = memmem (p, len - (gsize)(p - data), "/ByteRange [", 12)))
    at = p++;
  g_assert_nonnull (at);
  at += 12;
  for (guint i = 0; i < 4; i++)
    {
      range[i] = g_ascii_strtoull (at, &end, 10);
      g_assert_true (end != at);
      at = end;
    }
  g_assert_cmpuint (range[0], ==, 0);
  g_assert_cmpuint (range[2] + range[3], ==, len);
  g_assert_cmpint (data[range[1]], ==, '<');
  g_assert_cmpint (data[range[2] - 1], ==, '>');

  g_byte_array_append (joined, (const guint8 *)data, (guint)range[1]);
  g_byte_array_append (joined, (const guint8 *)data + range[2], (guint)range[3]);
  *signed_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&joined));

  for (guint64 i = range[1] + 1; i + 1 < range[2] - 1 + 1 && data[i] != '>'; i += 2)
    {
      guint8 b = (guint8)(g_ascii_xdigit_value (data[i]) << 4 | g_ascii_xdigit_value (data[i + 1]));

      g_byte_array_append (decoded, &b, 1);
    }
  *contents = g_byte_array_free_to_bytes (g_steal_pointer (&decoded));
}

/* The CMS as DER, without the zeros that pad /Contents. */
static GBytes *
cms_der (GBytes *contents)
{
  const unsigned char *p = g_bytes_get_data (contents, NULL);
  const unsigned char *start = p;
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, (long)g_bytes_get_size (contents));

  g_assert_nonnull (cms);
  CMS_ContentInfo_free (cms);
  for (gsize i = (gsize)(p - start); i < g_bytes_get_size (contents); i++)
    g_assert_cmpint (start[i], ==, 0);

  return g_bytes_new (start, (gsize)(p - start));
}

static char *
save (GBytes     *bytes,
      const char *name)
{
  return ck_pdf_fixture_save (bytes, name);
}

/* openssl cms -verify -cades of a detached CMS over @data, against the
 * test root. */
static void
assert_openssl_verifies (GBytes *cms,
                         GBytes *data,
                         const char *name)
{
  g_autofree char *cms_name = g_strconcat (name, ".der", NULL);
  g_autofree char *data_name = g_strconcat (name, ".bin", NULL);
  g_autofree char *cms_path = save (cms, cms_name);
  g_autofree char *data_path = save (data, data_name);
  g_autofree char *root = pki_path ("root.pem");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run ((const char * const[]) { "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                                         cms_path, "-content", data_path, "-CAfile", root, "-purpose",
                                         "any", "-cades", "-out", "/dev/null", NULL },
                &out, &err);
  if (status != 0 || strstr (err, "Verification successful") == NULL)
    g_error ("openssl cms -verify failed: %s", err);
}

static char *
pdfsig (const char *path)
{
  g_autofree char *nssdb = NULL;
  g_autofree char *dir = pki_path ("nssdb");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  nssdb = g_strconcat ("sql:", dir, NULL);
  run ((const char * const[]) { "pdfsig", "-nssdir", nssdb, path, NULL }, &out, &err);
  /* pdfsig says so when it did not find its database: every validation
   * then fails for that reason alone. */
  g_assert_null (strstr (err, "NSS_Shutdown failed"));

  return g_steal_pointer (&out);
}

/* Everything a sealed PDF must be: @original its prefix, pdfsig's and
 * OpenSSL's word, qpdf's. */
static void
assert_sealed (GBytes     *original,
               GBytes     *sealed,
               const char *name)
{
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
  g_autofree char *path = save (sealed, pdf_name);
  g_autofree char *check = NULL;

  /* The original bytes, untouched, then the update. */
  g_assert_cmpuint (g_bytes_get_size (sealed), >, g_bytes_get_size (original));
  g_assert_cmpmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (original),
                   g_bytes_get_data (original, NULL), g_bytes_get_size (original));

  last_signature (sealed, &signed_bytes, &contents);
  der = cms_der (contents);
  assert_openssl_verifies (der, signed_bytes, name);

  check = ck_test_run_tool ((const char * const[]) { "qpdf", "--check", path, NULL });
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));

  if (have_nss)
    {
      g_autofree char *out = pdfsig (path);

      ck_test_assert_contains (out, "Signature Type: ETSI.CAdES.detached");
      ck_test_assert_contains (out, "Signature Validation: Signature is Valid.");
      ck_test_assert_contains (out, "Certificate Validation: Certificate is Trusted.");
      ck_test_assert_contains (out, "Total document signed");
      ck_test_assert_contains (out, "Signer Certificate Common Name: 示例银行 电子签章");
    }
}

/* --- a TSA in this process ------------------------------------------------- */

typedef struct
{
  guint calls;
  gboolean fail;                /* answer as a TSA that is down */
  gboolean large;               /* a token with every certificate */
} Tsa;

static ASN1_INTEGER *
serial_cb (TS_RESP_CTX *ctx,
           void        *data)
{
  ASN1_INTEGER *serial = ASN1_INTEGER_new ();
  Tsa *tsa = data;

  ASN1_INTEGER_set (serial, (long)++tsa->calls);
  return serial;
}

static GBytes *
stamp (const guint8  *sha256,
       gpointer       user_data,
       GError       **error)
{
  Tsa *tsa = user_data;
  g_autofree char *cert_path = pki_path ("tsa.pem");
  g_autofree char *key_path = pki_path ("tsa.key");
  g_autofree char *root_path = pki_path ("tsa-root.pem");
  TS_RESP_CTX *ctx;
  TS_REQ *req;
  TS_MSG_IMPRINT *imprint;
  X509_ALGOR *algo;
  TS_RESP *resp;
  BIO *bio, *file;
  X509 *cert, *root;
  EVP_PKEY *key;
  ASN1_INTEGER *nonce;
  ASN1_OBJECT *policy;
  unsigned char *der = NULL;
  int length;
  GBytes *token;

  if (tsa->fail)
    {
      tsa->calls++;
      g_set_error_literal (error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE, "The TSA did not answer.");
      return NULL;
    }

  req = TS_REQ_new ();
  imprint = TS_MSG_IMPRINT_new ();
  algo = X509_ALGOR_new ();
  nonce = ASN1_INTEGER_new ();
  policy = OBJ_txt2obj ("1.3.6.1.4.1.99999.1", 1);
  file = BIO_new_file (cert_path, "r");
  cert = PEM_read_bio_X509 (file, NULL, NULL, NULL);
  BIO_free (file);
  file = BIO_new_file (root_path, "r");
  root = PEM_read_bio_X509 (file, NULL, NULL, NULL);
  BIO_free (file);
  file = BIO_new_file (key_path, "r");
  key = PEM_read_bio_PrivateKey (file, NULL, NULL, NULL);
  BIO_free (file);
  g_assert_true (cert && root && key);

  X509_ALGOR_set0 (algo, OBJ_nid2obj (NID_sha256), V_ASN1_NULL, NULL);
  TS_MSG_IMPRINT_set_algo (imprint, algo);
  TS_MSG_IMPRINT_set_msg (imprint, (unsigned char *)sha256, 32);
  TS_REQ_set_version (req, 1);
  TS_REQ_set_msg_imprint (req, imprint);
  ASN1_INTEGER_set (nonce, 0x5eed);
  TS_REQ_set_nonce (req, nonce);
  TS_REQ_set_cert_req (req, 1);
  bio = BIO_new (BIO_s_mem ());
  i2d_TS_REQ_bio (bio, req);

  ctx = TS_RESP_CTX_new ();
  TS_RESP_CTX_set_signer_cert (ctx, cert);
  TS_RESP_CTX_set_signer_key (ctx, key);
  TS_RESP_CTX_set_signer_digest (ctx, EVP_sha256 ());
  TS_RESP_CTX_set_ess_cert_id_digest (ctx, EVP_sha256 ());
  TS_RESP_CTX_set_def_policy (ctx, policy);
  TS_RESP_CTX_add_md (ctx, EVP_sha256 ());
  TS_RESP_CTX_set_serial_cb (ctx, serial_cb, tsa);
  if (tsa->large)
    {
      STACK_OF (X509) *certs = sk_X509_new_null ();

      /* A bigger token than the seal reserved room for. */
      for (guint i = 0; i < 3; i++)
        sk_X509_push (certs, root);
      TS_RESP_CTX_set_certs (ctx, certs);
      sk_X509_free (certs);
    }
  resp = TS_RESP_create_response (ctx, bio);
  g_assert_nonnull (resp);
  g_assert_cmpint (ASN1_INTEGER_get (TS_STATUS_INFO_get0_status (TS_RESP_get_status_info (resp))), ==, 0);
  length = i2d_PKCS7 (TS_RESP_get_token (resp), &der);
  g_assert_cmpint (length, >, 0);
  token = g_bytes_new (der, (gsize)length);

  OPENSSL_free (der);
  TS_RESP_free (resp);
  TS_RESP_CTX_free (ctx);
  BIO_free (bio);
  TS_REQ_free (req);
  TS_MSG_IMPRINT_free (imprint);
  X509_ALGOR_free (algo);
  ASN1_INTEGER_free (nonce);
  ASN1_OBJECT_free (policy);
  X509_free (cert);
  X509_free (root);
  EVP_PKEY_free (key);

  return token;
}

/* The token of a CMS's signer, and the SHA-256 of its signature value. */
static GBytes *
cms_token (GBytes *der,
           GBytes **signature_value)
{
  const unsigned char *p = g_bytes_get_data (der, NULL);
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, (long)g_bytes_get_size (der));
  CMS_SignerInfo *si;
  ASN1_OCTET_STRING *value;
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *type;
  GBytes *token = NULL;
  int loc;

  g_assert_nonnull (cms);
  g_assert_cmpint (sk_CMS_SignerInfo_num (CMS_get0_SignerInfos (cms)), ==, 1);
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
  value = CMS_SignerInfo_get0_signature (si);
  if (signature_value)
    *signature_value = g_bytes_new (ASN1_STRING_get0_data (value), (gsize)ASN1_STRING_length (value));

  /* PAdES: no signingTime (the time is /M); CAdES-B keeps it. */
  loc = CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1);
  if (loc >= 0)
    {
      attr = CMS_unsigned_get_attr (si, loc);
      type = X509_ATTRIBUTE_get0_type (attr, 0);
      g_assert_cmpint (ASN1_TYPE_get (type), ==, V_ASN1_SEQUENCE);
      token = g_bytes_new (type->value.sequence->data, (gsize)type->value.sequence->length);
    }
  CMS_ContentInfo_free (cms);

  return token;
}

static gboolean
cms_has_signing_time (GBytes *der)
{
  const unsigned char *p = g_bytes_get_data (der, NULL);
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, (long)g_bytes_get_size (der));
  CMS_SignerInfo *si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
  gboolean has = CMS_signed_get_attr_by_NID (si, NID_pkcs9_signingTime, -1) >= 0;

  g_assert_cmpint (CMS_signed_get_attr_by_NID (si, NID_id_smime_aa_signingCertificateV2, -1), >=, 0);
  CMS_ContentInfo_free (cms);
  return has;
}

/* openssl ts -verify of @token over @data, against the TSA's root. */
static void
assert_token_verifies (GBytes     *token,
                       GBytes     *data,
                       const char *name)
{
  g_autofree char *token_name = g_strconcat (name, ".tst", NULL);
  g_autofree char *data_name = g_strconcat (name, ".stamped", NULL);
  g_autofree char *token_path = save (token, token_name);
  g_autofree char *data_path = save (data, data_name);
  g_autofree char *root = pki_path ("tsa-root.pem");
  g_autofree char *untrusted = pki_path ("tsa.pem");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run ((const char * const[]) { "openssl", "ts", "-verify", "-data", data_path, "-in", token_path,
                                         "-token_in", "-CAfile", root, "-untrusted", untrusted, NULL },
                &out, &err);
  if (status != 0 || strstr (out, "Verification: OK") == NULL)
    g_error ("openssl ts -verify failed: %s%s", out, err);
}

/* --- tests: sealing ------------------------------------------------------- */

static void
test_seal_pkcs12 (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) tsa_error = NULL;
  gsize growth;

  g_assert_cmpstr (ck_seal_get_signer (seal), ==, SIGNER);
  g_assert_false (ck_seal_get_has_tsa (seal));

  sealed = sign (seal, consent_pdf, TRUE, &tsa_error);
  /* No TSA configured: no token, and nothing failed. */
  g_assert_no_error (tsa_error);
  assert_sealed (consent_pdf, sealed, "p12");

  last_signature (sealed, &signed_bytes, &contents);
  der = cms_der (contents);
  g_assert_false (cms_has_signing_time (der));
  g_assert_null (cms_token (der, NULL));

  growth = g_bytes_get_size (sealed) - g_bytes_get_size (consent_pdf);
  g_test_message ("P-256, PKCS#12, B-B: the PDF grew %zu bytes (CMS %zu)", growth, g_bytes_get_size (der));
  g_assert_cmpuint (growth, <=, 10 * 1024);

  /* The dictionary's text strings are UTF-16BE, the field named for the
   * organisation. */
  {
    const char *data = g_bytes_get_data (sealed, NULL);
    gsize len = g_bytes_get_size (sealed);

    g_assert_nonnull (memmem (data, len, "/SubFilter /ETSI.CAdES.detached", 31));
    g_assert_nonnull (memmem (data, len, "/Reason <FEFF4E2A4EBA4FE1606F63886743>", 38));
    g_assert_nonnull (memmem (data, len, "/M (D:20261128093000", 20));
    g_assert_nonnull (memmem (data, len, "/SigFlags 3", 11));
    g_assert_nonnull (memmem (data, len, "/F 132\n/Rect [0 0 0 0]", 22));
  }
}

static void
test_seal_rsa (void)
{
  g_autoptr(CkSeal) seal = new_seal (RSA_SIGNING);
  g_autoptr(GBytes) sealed = NULL;

  g_assert_cmpstr (ck_seal_get_signer (seal), ==, SIGNER " RSA");
  sealed = sign (seal, consent_pdf, FALSE, NULL);
  assert_sealed (consent_pdf, sealed, "rsa");
  g_test_message ("RSA-2048, PKCS#12, B-B: the PDF grew %zu bytes",
                  g_bytes_get_size (sealed) - g_bytes_get_size (consent_pdf));
}

static void
test_seal_pem (void)
{
  g_autoptr(CkSeal) seal = new_seal (PEM_SIGNING);
  g_autoptr(GBytes) sealed = NULL;

  g_assert_cmpstr (ck_seal_get_signer (seal), ==, SIGNER);
  sealed = sign (seal, consent_pdf, FALSE, NULL);
  assert_sealed (consent_pdf, sealed, "pem");
}

static void
test_seal_pkcs11 (void)
{
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) again = NULL;

  if (!have_softhsm)
    {
      g_test_skip ("softhsm2-util or " SOFTHSM_MODULE " is missing (scripts/install-deps)");
      return;
    }

  seal = new_seal (PKCS11_SIGNING);
  g_assert_cmpstr (ck_seal_get_signer (seal), ==, SIGNER);
  sealed = sign (seal, consent_pdf, FALSE, NULL);
  assert_sealed (consent_pdf, sealed, "pkcs11");
  /* The key stays loaded: a second signature needs no second login. */
  again = sign (seal, consent_pdf, FALSE, NULL);
  assert_sealed (consent_pdf, again, "pkcs11-again");
}

typedef struct
{
  CkSeal *seal;
  GBytes *sealed;
} ThreadData;

static gpointer
sign_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  data->sealed = sign (data->seal, consent_pdf, FALSE, NULL);
  return NULL;
}

/* The seal is used from worker threads: four at once, each signature whole. */
static void
test_seal_threads (void)
{
  g_autoptr(CkSeal) seal = NULL;
  ThreadData data[4];
  GThread *threads[4];

  if (!have_softhsm)
    {
      g_test_skip ("softhsm2-util or " SOFTHSM_MODULE " is missing (scripts/install-deps)");
      return;
    }

  seal = new_seal (PKCS11_SIGNING);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].seal = seal;
      data[i].sealed = NULL;
      threads[i] = g_thread_new ("sign", sign_thread, &data[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GBytes) signed_bytes = NULL;
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(GBytes) der = NULL;
      g_autofree char *name = g_strdup_printf ("thread-%u", i);

      g_thread_join (threads[i]);
      last_signature (data[i].sealed, &signed_bytes, &contents);
      der = cms_der (contents);
      assert_openssl_verifies (der, signed_bytes, name);
      g_bytes_unref (data[i].sealed);
    }
}

/* --- tests: timestamps --------------------------------------------------- */

static void
test_seal_timestamp (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autoptr(GError) tsa_error = NULL;
  Tsa tsa = { 0 };
  gsize growth;

  _ck_seal_set_stamp_func (seal, stamp, &tsa, NULL);
  g_assert_true (ck_seal_get_has_tsa (seal));

  sealed = sign (seal, consent_pdf, TRUE, &tsa_error);
  g_assert_no_error (tsa_error);
  g_assert_cmpuint (tsa.calls, ==, 1);
  assert_sealed (consent_pdf, sealed, "b-t");

  last_signature (sealed, &signed_bytes, &contents);
  der = cms_der (contents);
  token = cms_token (der, &value);
  g_assert_nonnull (token);
  assert_token_verifies (token, value, "b-t");

  growth = g_bytes_get_size (sealed) - g_bytes_get_size (consent_pdf);
  g_test_message ("P-256, PKCS#12, B-T: the PDF grew %zu bytes (CMS %zu, token %zu)", growth,
                  g_bytes_get_size (der), g_bytes_get_size (token));
  g_assert_cmpuint (growth, <=, 10 * 1024);
}

/* A token larger than the room reserved: made again, once, with room. */
static void
test_seal_timestamp_large (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autoptr(GError) tsa_error = NULL;
  Tsa tsa = { .large = TRUE };

  _ck_seal_set_stamp_func (seal, stamp, &tsa, NULL);
  _ck_seal_note_token_size (seal, 100);

  sealed = sign (seal, consent_pdf, TRUE, &tsa_error);
  g_assert_no_error (tsa_error);
  g_assert_cmpuint (tsa.calls, ==, 2);
  assert_sealed (consent_pdf, sealed, "b-t-large");
  last_signature (sealed, &signed_bytes, &contents);
  der = cms_der (contents);
  token = cms_token (der, &value);
  g_assert_nonnull (token);
  assert_token_verifies (token, value, "b-t-large");

  /* The next one fits at once. */
  g_clear_pointer (&sealed, g_bytes_unref);
  sealed = sign (seal, consent_pdf, TRUE, &tsa_error);
  g_assert_no_error (tsa_error);
  g_assert_cmpuint (tsa.calls, ==, 3);
}

/* A TSA that is down: the PDF is sealed all the same (B-B), the TSA's
 * error said. */
static void
test_seal_timestamp_down (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) tsa_error = NULL;
  Tsa tsa = { .fail = TRUE };

  _ck_seal_set_stamp_func (seal, stamp, &tsa, NULL);
  sealed = sign (seal, consent_pdf, TRUE, &tsa_error);
  g_assert_error (tsa_error, CK_SEAL_ERROR, CK_SEAL_ERROR_TSA_UNREACHABLE);
  g_assert_cmpuint (tsa.calls, ==, 1);
  assert_sealed (consent_pdf, sealed, "b-b-tsa-down");

  last_signature (sealed, &signed_bytes, &contents);
  der = cms_der (contents);
  g_assert_null (cms_token (der, NULL));
}

/* A document timestamp on a PDF sealed while the TSA was away: a second
 * revision, the first signature still valid over its own. */
static void
test_seal_document_timestamp (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) stamped = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *check = NULL;
  Tsa tsa = { 0 };

  /* Without a TSA there is nothing to stamp with. */
  sealed = sign (seal, consent_pdf, FALSE, NULL);
  g_assert_null (ck_seal_timestamp_pdf (seal, sealed, &error));
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  _ck_seal_set_stamp_func (seal, stamp, &tsa, NULL);
  stamped = ck_seal_timestamp_pdf (seal, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (stamped, NULL), g_bytes_get_size (sealed),
                   g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));

  last_signature (stamped, &signed_bytes, &contents);
  token = cms_der (contents);
  assert_token_verifies (token, signed_bytes, "doc-timestamp");

  path = save (stamped, "doc-timestamp.pdf");
  check = ck_test_run_tool ((const char * const[]) { "qpdf", "--check", path, NULL });
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));
  g_assert_nonnull (memmem (g_bytes_get_data (stamped, NULL), g_bytes_get_size (stamped),
                            "/SubFilter /ETSI.RFC3161", 24));

  if (have_nss)
    {
      g_autofree char *out = pdfsig (path);
      const char *second = strstr (out, "Signature #2");

      g_assert_nonnull (second);
      /* The seal, valid over its revision; the timestamp after it. */
      g_assert_nonnull (g_strstr_len (out, second - out, "Signature is Valid"));
      g_assert_nonnull (g_strstr_len (out, second - out, "ETSI.CAdES.detached"));
      /* pdfsig 22.12 knows no ETSI.RFC3161 ("Signature Type: unknown")
       * and checks no token: openssl ts did, above. */
      ck_test_assert_contains (second, "Signature Field Name: DocTimeStamp 2");
      ck_test_assert_contains (second, "Signer Certificate Common Name: Test Time Stamping Authority");
      ck_test_assert_contains (second, "Total document signed");
    }
}

/* A detached CAdES over any bytes, with signingTime, and its token. */
static void
test_seal_sign_data (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) data = g_bytes_new_static ("anchor 42 5f3a…", strlen ("anchor 42 5f3a…"));
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tsa_error = NULL;
  Tsa tsa = { 0 };

  cms = ck_seal_sign_data (seal, data, FALSE, &tsa_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (tsa_error);
  assert_openssl_verifies (cms, data, "data");
  g_assert_true (cms_has_signing_time (cms));
  g_assert_null (cms_token (cms, NULL));
  g_clear_pointer (&cms, g_bytes_unref);

  _ck_seal_set_stamp_func (seal, stamp, &tsa, NULL);
  cms = ck_seal_sign_data (seal, data, TRUE, &tsa_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (tsa_error);
  assert_openssl_verifies (cms, data, "data-t");
  token = cms_token (cms, &value);
  g_assert_nonnull (token);
  assert_token_verifies (token, value, "data-t");
}

/* --- tests: what is refused ------------------------------------------------ */

static void
assert_seal_error (const char *signing,
                   int         code,
                   const char *secret)
{
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GError) error = NULL;

  config = load_config (signing, &error);
  g_assert_no_error (error);
  seal = ck_seal_new (config, &error);
  g_assert_null (seal);
  g_assert_error (error, CK_SEAL_ERROR, code);
  g_test_message ("%s", error->message);
  if (secret)
    g_assert_null (strstr (error->message, secret));
}

static void
test_seal_wrong_password (void)
{
  g_autofree char *wrong = pki_path ("wrong.pass");
  g_autoptr(GError) error = NULL;

  g_file_set_contents (wrong, "Tr0ub4dor&3\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (wrong, 0600), ==, 0);

  assert_seal_error ("key = @DIR@/seal.p12\nkey_password_file = @DIR@/wrong.pass\n", CK_SEAL_ERROR_KEY,
                     "Tr0ub4dor");
  assert_seal_error ("key = @DIR@/seal.p12\n", CK_SEAL_ERROR_KEY, NULL);

}

/* A wrong PIN, in a process of its own: in this one the token is logged
 * in already (PKCS#11 logs in an application, not a key), and a wrong PIN
 * would go unnoticed. */
static void
test_seal_wrong_pin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  if (!have_softhsm)
    {
      g_test_skip ("softhsm2-util or " SOFTHSM_MODULE " is missing (scripts/install-deps)");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  pin = pki_path ("wrong.pin");
  g_file_set_contents (pin, "4321\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (pin, 0600), ==, 0);
  assert_seal_error ("key = pkcs11:token=kiosk;object=seal;type=private;pin-value=4321\n"
                     "certificate = @DIR@/seal.pem\nkey_password_file = @DIR@/wrong.pin\n"
                     "pkcs11_module = " SOFTHSM_MODULE "\n",
                     CK_SEAL_ERROR_KEY, "4321");
  assert_seal_error ("key = pkcs11:token=nowhere;object=seal\ncertificate = @DIR@/seal.pem\n"
                     "key_password_file = @DIR@/pin\npkcs11_module = " SOFTHSM_MODULE "\n",
                     CK_SEAL_ERROR_KEY, NULL);
  assert_seal_error ("key = pkcs11:token=kiosk;object=seal\ncertificate = @DIR@/seal.pem\n"
                     "key_password_file = @DIR@/pin\npkcs11_module = @DIR@/seal.pem\n",
                     CK_SEAL_ERROR_KEY, NULL);
}

/* A key file others may read: the configuration refuses it; so does the
 * seal, when it changed after the configuration was read. */
static void
test_seal_key_mode (void)
{
  g_autofree char *p12 = pki_path ("seal.p12");
  g_autofree char *loose = pki_path ("loose.p12");
  g_autofree char *contents = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (p12, &contents, &length, NULL));
  g_file_set_contents (loose, contents, (gssize)length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (loose, 0644), ==, 0);

  config = load_config ("key = @DIR@/loose.p12\nkey_password_file = @DIR@/seal.pass\n", &error);
  g_assert_null (config);
  g_assert_error (error, CK_CONFIG_ERROR, CK_CONFIG_ERROR_SECRET_MODE);
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (loose, 0600), ==, 0);
  config = load_config ("key = @DIR@/loose.p12\nkey_password_file = @DIR@/seal.pass\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (loose, 0644), ==, 0);
  seal = ck_seal_new (config, &error);
  g_assert_null (seal);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_FILE);
  ck_test_assert_contains (error->message, "loose.p12");
}

static void
test_seal_mismatch (void)
{
  /* The P-256 key with the RSA seal's certificate, each way. */
  assert_seal_error (P12_SIGNING "certificate = @DIR@/seal-rsa.pem\n", CK_SEAL_ERROR_KEY, NULL);
  assert_seal_error ("key = @DIR@/seal.key\ncertificate = @DIR@/seal-rsa.pem\n", CK_SEAL_ERROR_KEY, NULL);
  if (have_softhsm)
    assert_seal_error ("key = pkcs11:token=kiosk;object=seal;type=private\n"
                       "certificate = @DIR@/seal-rsa.pem\nkey_password_file = @DIR@/pin\n"
                       "pkcs11_module = " SOFTHSM_MODULE "\n",
                       CK_SEAL_ERROR_KEY, NULL);
  /* A key alone, with no certificate to go with it. */
  assert_seal_error ("key = @DIR@/seal.key\n", CK_SEAL_ERROR_FILE, NULL);
  /* A certificate that is not one. */
  assert_seal_error (P12_SIGNING "certificate = @DIR@/seal.pass\n", CK_SEAL_ERROR_FILE, NULL);
}

static void
test_seal_not_configured (void)
{
  g_autoptr(CkConfig) config = ck_config_new_defaults ();
  g_autoptr(CkSeal) seal = NULL;
  g_autoptr(GError) error = NULL;

  seal = ck_seal_new (config, &error);
  g_assert_null (seal);
  g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_NOT_CONFIGURED);
}

/* What is not a PDF this kiosk wrote is refused, and nothing is signed. */
static void
test_seal_bad_pdf (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  CkSealPdfInfo info = { "示例银行股份有限公司", "个人信息授权", "kiosk", now };
  gsize len;
  const char *data = g_bytes_get_data (consent_pdf, &len);
  const char *xref = NULL;
  char *copy;
  struct
  {
    const char *what;
    GBytes *pdf;
  } cases[7];
  guint n = 0;

  for (const char *p = data; (p = memmem (p, len - (gsize)(p - data), "\nxref\n", 6)); p++)
    xref = p + 1;
  g_assert_nonnull (xref);

  cases[n].what = "empty";
  cases[n++].pdf = g_bytes_new_static ("", 0);
  cases[n].what = "not a PDF";
  cases[n++].pdf = g_bytes_new_static ("Hello, world, this is not a PDF file\n", 37);
  cases[n].what = "cut short";
  cases[n++].pdf = g_bytes_new_from_bytes (consent_pdf, 0, len / 2);
  cases[n].what = "no %%EOF";
  cases[n++].pdf = g_bytes_new_from_bytes (consent_pdf, 0, len - 6);

  copy = g_memdup2 (data, len);
  memcpy (copy + (xref - data), "XREF", 4);
  cases[n].what = "no xref table";
  cases[n++].pdf = g_bytes_new_take (copy, len);

  copy = g_memdup2 (data, len);
  {
    char *root = memmem (copy + (xref - data), len - (gsize)(xref - data), "/Root 1 0 R", 11);

    g_assert_nonnull (root);
    root[6] = '7';    /* the root is now an object that is no catalog */
  }
  cases[n].what = "wrong root";
  cases[n++].pdf = g_bytes_new_take (copy, len);

  copy = g_memdup2 (data, len);
  {
    char *prev = memmem (copy + (xref - data), len - (gsize)(xref - data), "/Size ", 6);

    g_assert_nonnull (prev);
    memcpy (prev, "/Prev ", 6);  /* /Prev of its own size: an xref that is none */
  }
  cases[n].what = "bad prev";
  cases[n++].pdf = g_bytes_new_take (copy, len);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) sealed = NULL;

      sealed = ck_seal_sign_pdf (seal, cases[i].pdf, &info, FALSE, NULL, &error);
      g_test_message ("%s: %s", cases[i].what, error ? error->message : "(signed)");
      g_assert_null (sealed);
      g_assert_error (error, CK_SEAL_ERROR, CK_SEAL_ERROR_PDF);
      g_bytes_unref (cases[i].pdf);
    }
}

/* One byte changed in the signed range: pdfsig sees it. */
static void
test_seal_tampered (void)
{
  g_autoptr(CkSeal) seal = new_seal (P12_SIGNING);
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *copy = NULL;
  char *producer;
  gsize len;

  if (!have_nss)
    {
      g_test_skip ("certutil is missing: no NSS database for pdfsig (scripts/install-deps)");
      return;
    }

  sealed = sign (seal, consent_pdf, FALSE, NULL);
  len = g_bytes_get_size (sealed);
  copy = g_memdup2 (g_bytes_get_data (sealed, NULL), len);
  producer = memmem (copy, len, "(libharu 2.3.0)", 15);
  g_assert_nonnull (producer);
  producer[9] = '3';
  path = g_build_filename (workdir, "tampered.pdf", NULL);
  g_assert_true (g_file_set_contents (path, copy, (gssize)len, NULL));

  out = pdfsig (path);
  ck_test_assert_contains (out, "Digest Mismatch");
  g_assert_null (strstr (out, "Signature is Valid"));
}

static gboolean
has_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(CkTestConsent) consent;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  const char *script = g_getenv ("CK_TEST_MAKE_PKI");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  ck_pdf_fixture_init (&argc, &argv, "ck-test-seal-XXXXXX");
  g_assert_nonnull (script);

  /* A subprocess (test_seal_wrong_pin) uses its parent's PKI. */
  if (g_getenv ("CK_TEST_SEAL_PKI"))
    pki = g_strdup (g_getenv ("CK_TEST_SEAL_PKI"));
  else
    pki = g_build_filename (workdir, "pki", NULL);
  have_softhsm = g_file_test (SOFTHSM_MODULE, G_FILE_TEST_EXISTS) && has_program ("softhsm2-util");
  have_nss = has_program ("certutil") && has_program ("pdfsig");
  g_ptr_array_add (args, (char *)"sh");
  g_ptr_array_add (args, (char *)script);
  g_ptr_array_add (args, pki);
  if (have_softhsm)
    g_ptr_array_add (args, (char *)"--softhsm");
  if (have_nss)
    g_ptr_array_add (args, (char *)"--nss");
  g_ptr_array_add (args, NULL);
  if (!g_getenv ("CK_TEST_SEAL_PKI"))
    {
      status = run ((const char * const *)args->pdata, &out, &err);
      if (status != 0)
        g_error ("make-test-pki.sh failed: %s", err);
      g_setenv ("CK_TEST_SEAL_PKI", pki, TRUE);
    }
  /* SoftHSM2 reads its configuration when the module starts. */
  conf = pki_path ("softhsm2.conf");
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);

  ck_pdf_fixture_consent_init (&consent, "张三");
  consent_pdf = ck_pdf_render (fonts, &consent.request, &error);
  g_assert_no_error (error);

  g_test_add_func ("/seal/pkcs12", test_seal_pkcs12);
  g_test_add_func ("/seal/rsa", test_seal_rsa);
  g_test_add_func ("/seal/pem", test_seal_pem);
  g_test_add_func ("/seal/pkcs11", test_seal_pkcs11);
  g_test_add_func ("/seal/threads", test_seal_threads);
  g_test_add_func ("/seal/timestamp", test_seal_timestamp);
  g_test_add_func ("/seal/timestamp-large", test_seal_timestamp_large);
  g_test_add_func ("/seal/timestamp-down", test_seal_timestamp_down);
  g_test_add_func ("/seal/document-timestamp", test_seal_document_timestamp);
  g_test_add_func ("/seal/sign-data", test_seal_sign_data);
  g_test_add_func ("/seal/wrong-password", test_seal_wrong_password);
  g_test_add_func ("/seal/wrong-pin", test_seal_wrong_pin);
  g_test_add_func ("/seal/key-mode", test_seal_key_mode);
  g_test_add_func ("/seal/mismatch", test_seal_mismatch);
  g_test_add_func ("/seal/not-configured", test_seal_not_configured);
  g_test_add_func ("/seal/bad-pdf", test_seal_bad_pdf);
  g_test_add_func ("/seal/tampered", test_seal_tampered);

  status = g_test_run ();

  g_clear_pointer (&consent_pdf, g_bytes_unref);
  g_clear_pointer (&pki, g_free);
  ck_pdf_fixture_finish ();

  return status;
}
