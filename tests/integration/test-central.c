/* test-central.c: kiosks syncing to the central archive (issue 16)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Against a real PostgreSQL 15 started here (tests/ck-test-pg.h): three
 * kiosks syncing at once, every row, event and PDF identical centrally;
 * the syncing process killed at every step of a batch and at a hundred
 * random statements, then resumed; the server stopped in the middle of a
 * batch; TLS refused (wrong CA, wrong host) with nothing sent; the kiosk
 * role refused by PostgreSQL itself when it writes another kiosk's rows,
 * updates or deletes; the rechain attack refused centrally and reported
 * by check; the organisation's usage summed; purges that would erase what
 * the archive lacks refused. */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "ck.h"
#include "ck-test-chain.h"
#include "ck-test-pg.h"
#include "ck-test-util.h"

static CkTestPg *server;
static char *work_dir;
static guint n_kiosks;

/* Steps of a batch, as ck-central-sync.c names its fault points. */
static const char * const steps[] = {
  "sync-links-read",
  "sync-statement-sent",
  "sync-batch-sent",
  "sync-committed",
  "sync-verified",
  "sync-receipt-stored",
};

typedef struct
{
  char *id;
  char *role;
  char *password_file;
  char *data;
} Kiosk;

static void
kiosk_free (Kiosk *k)
{
  g_free (k->id);
  g_free (k->role);
  g_free (k->password_file);
  g_free (k->data);
  g_free (k);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Kiosk, kiosk_free)

static char *
admin_url (void)
{
  return g_strdup_printf ("postgresql://" CK_TEST_PG_ADMIN "@/" CK_TEST_PG_DATABASE "?host=%s&port=%u",
                          ck_test_pg_get_socket_dir (server), ck_test_pg_get_port (server));
}

static CkCentral *
admin_connect (void)
{
  g_autofree char *url = admin_url ();
  CkCentralParams params = { .url = url };
  g_autoptr(GError) error = NULL;
  CkCentral *central = ck_central_connect (&params, &error);

  g_assert_no_error (error);
  return central;
}

/* One value of an admin query. */
static char *
admin_query (const char *sql)
{
  g_autofree char *conninfo = g_strdup (ck_test_pg_get_admin_conninfo (server));
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;
  char *value = NULL;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) > 0)
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

static gint64
admin_count (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static gint64
admin_count (const char *format,
             ...)
{
  g_autofree char *sql = NULL;
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  value = admin_query (sql);
  return g_ascii_strtoll (value, NULL, 10);
}

/* A new kiosk, registered in the archive with its own role and password. */
static Kiosk *
kiosk_new (void)
{
  g_autoptr(CkCentral) admin = admin_connect ();
  g_autoptr(GError) error = NULL;
  Kiosk *k = g_new0 (Kiosk, 1);
  guint n = ++n_kiosks;
  g_autofree char *password = g_strdup_printf ("pw-%u-%08x", n, g_random_int ());

  k->id = g_strdup_printf ("branch-%02u-kiosk-1", n);
  k->role = g_strdup_printf ("ck_kiosk_t%u", n);
  k->data = g_strdup_printf ("%s/kiosk-%u", work_dir, n);
  k->password_file = g_strdup_printf ("%s/kiosk-%u.password", work_dir, n);
  g_assert_true (g_file_set_contents (k->password_file, password, -1, &error));
  g_assert_cmpint (g_chmod (k->password_file, 0600), ==, 0);
  g_assert_true (ck_central_add_kiosk (admin, k->id, n % 2 ? "north" : "south", k->role, password, &error));
  g_assert_no_error (error);
  return k;
}

/* The kiosk's connection: over TLS on loopback, or the Unix socket. */
static CkCentral *
kiosk_connect (Kiosk     *k,
               gboolean   tls,
               GError   **error)
{
  g_autofree char *url = NULL;
  CkCentralParams params = { .password_file = k->password_file };

  if (tls)
    {
      url = g_strdup_printf ("postgresql://%s@localhost:%u/" CK_TEST_PG_DATABASE, k->role,
                             ck_test_pg_get_port (server));
      params.ca_file = ck_test_pg_get_ca_file (server);
    }
  else
    url = g_strdup_printf ("postgresql://%s@/" CK_TEST_PG_DATABASE "?host=%s&port=%u", k->role,
                           ck_test_pg_get_socket_dir (server), ck_test_pg_get_port (server));
  params.url = url;
  return ck_central_connect (&params, error);
}

static CkStore *
open_store (Kiosk *k)
{
  g_autoptr(GError) error = NULL;
  CkStore *store = ck_store_open (k->data, CK_STORE_OPEN_RECOVER, &error);

  g_assert_no_error (error);
  return store;
}

static GBytes *
fake_pdf (const char *uuid,
          guint       size)
{
  GString *text = g_string_new ("%PDF-1.7\n% ");

  g_string_append (text, uuid);
  while (text->len < size)
    g_string_append_printf (text, "\n%% %08x", g_random_int ());
  g_string_append (text, "\n%%EOF\n");
  return g_string_free_to_bytes (text);
}

/* Saves @n consents of @k, each with a few events: a reveal, every third
 * a paid verification attempt, every fifth a withdrawal, every seventh a
 * PDF revision. Returns the uuids. */
static GPtrArray *
add_consents (CkStore    *store,
              Kiosk      *k,
              guint       n,
              const char *sign_date)
{
  static const char * const names[] = { "张三", "李四", "王小明", "欧阳娜娜", "䶮王" };
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CkSignature) signature = ck_sample_signature_new (60);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
      g_autoptr(GBytes) pdf = NULL;
      static guint count;

      count++;
      r->uuid = g_uuid_string_random ();
      r->created_at = g_strdup_printf ("%sT01:%02u:00.000000Z", sign_date, count % 60);
      r->name = g_strdup (names[count % G_N_ELEMENTS (names)]);
      r->id_number = g_strdup (count % 2 ? "11010519491231002X" : "440524188001010014");
      r->sign_date = g_strdup (sign_date);
      r->org_name = g_strdup ("示例银行股份有限公司");
      r->org_business = g_strdup ("个人贷款");
      r->org_purpose = g_strdup ("身份核验和风险管理");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "the letter", -1);
      r->signature = ck_signature_serialize (signature);
      r->kiosk_id = g_strdup (k->id);
      r->demo = count % 4 == 0;
      pdf = fake_pdf (r->uuid, 2000 + g_random_int_range (0, 20000));
      g_assert_true (ck_store_save (store, r, pdf, &error));
      g_assert_no_error (error);
      g_ptr_array_add (uuids, g_strdup (r->uuid));

      g_assert_true (ck_store_record_reveal (store, r->uuid, "王经理", "show", &error));
      g_assert_no_error (error);
      if (count % 3 == 0)
        {
          g_autoptr(CkVerifyAttempt) a = ck_store_begin_attempt (store, r->uuid, "aliyun-idcert",
                                                                 g_get_real_time () / 1000, 60000, &error);

          g_assert_no_error (error);
          g_free (a->outcome);
          a->outcome = g_strdup ("verified");
          a->http_status = 200;
          a->duration_ms = 120;
          a->request_id = g_strdup_printf ("REQ-%u-%s", count, k->id);
          a->body = g_bytes_new_static ("{\"status\":\"01\"}", 15);
          g_assert_true (ck_store_finish_attempt (store, a, 0, &error));
          g_assert_no_error (error);
        }
      if (count % 5 == 0)
        {
          g_assert_true (ck_store_withdraw (store, r->uuid, "李柜员", "客户来电撤回", &error));
          g_assert_no_error (error);
        }
      if (count % 7 == 0)
        {
          g_autoptr(GBytes) now = ck_store_read_pdf (store, r, &error);
          g_autoptr(GByteArray) longer = g_byte_array_new ();

          g_assert_no_error (error);
          g_byte_array_append (longer, g_bytes_get_data (now, NULL), (guint)g_bytes_get_size (now));
          g_byte_array_append (longer, (const guint8 *)"% a later revision\n%%EOF\n", 25);
          {
            g_autoptr(GBytes) revised = g_byte_array_free_to_bytes (g_steal_pointer (&longer));

            g_assert_true (ck_store_append_pdf_revision (store, r->uuid, revised, "timestamp", "test", &error));
            g_assert_no_error (error);
          }
        }
    }

  return uuids;
}

static gint64
head_of (CkStore *store)
{
  g_auto(CkSyncStatus) status = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_store_get_sync_status (store, NULL, &status, &error));
  g_assert_no_error (error);
  return status.head_seq;
}

static gint64
receipt_of (CkStore *store)
{
  g_auto(CkSyncStatus) status = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_store_get_sync_status (store, NULL, &status, &error));
  g_assert_no_error (error);
  return status.receipt_seq;
}

static void
assert_store_clean (CkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = ck_store_check (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static char *
sha256_hex (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* The archive holds exactly the first @upto links of @k's chain: each
 * link's seq, kind and hash; each consent's name, ID number, signature and
 * PDF; each event's kind, detail and operator; each revision's PDF; each
 * attempt. One query, compared row by row (PDFs and signatures by their
 * SHA-256, computed by PostgreSQL from the bytes it holds). */
static void
assert_central_holds (CkStore *store,
                      Kiosk   *k,
                      gint64   upto)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = ck_store_read_links (store, 0, (guint)upto, &error);
  g_autofree char *conninfo = g_strdup (ck_test_pg_get_admin_conninfo (server));
  const char *values[] = { k->id };
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_no_error (error);
  g_assert_cmpint (links->len, ==, upto);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexecParams (conn, "SELECT l.seq, l.hash, l.kind, c.name, c.id_number, "
                               "encode (sha256 (c.signature), 'hex'), encode (sha256 (p.data), 'hex'), "
                               "e.kind, e.detail, e.operator, "
                               "(SELECT count (*) FROM ck.attempts a WHERE a.kiosk_id = l.kiosk_id "
                               "  AND a.verification_seq = l.seq) "
                               "FROM ck.links l "
                               "LEFT JOIN ck.consents c USING (kiosk_id, seq) "
                               "LEFT JOIN ck.events e USING (kiosk_id, seq) "
                               "LEFT JOIN ck.pdfs p USING (kiosk_id, seq) "
                               "WHERE l.kiosk_id = $1 ORDER BY l.seq",
                         1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, upto);

  for (guint i = 0; i < links->len; i++)
    {
      const CkStoreLink *link = links->pdata[i];
      int row = (int)i;

      g_assert_cmpint (g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10), ==, link->seq);
      g_assert_cmpstr (PQgetvalue (result, row, 1), ==, link->hash);
      if (link->consent)
        {
          g_autofree char *signature = sha256_hex (link->consent->signature);

          g_assert_cmpstr (PQgetvalue (result, row, 2), ==, "consent");
          g_assert_cmpstr (PQgetvalue (result, row, 3), ==, link->consent->name);
          g_assert_cmpstr (PQgetvalue (result, row, 4), ==, link->consent->id_number);
          g_assert_cmpstr (PQgetvalue (result, row, 5), ==, signature);
        }
      else if (link->event)
        {
          g_assert_cmpstr (PQgetvalue (result, row, 2), ==, "event");
          g_assert_cmpstr (PQgetvalue (result, row, 7), ==, link->event->kind);
          g_assert_cmpstr (PQgetvalue (result, row, 8), ==, link->event->detail ? link->event->detail : "");
          g_assert_cmpstr (PQgetvalue (result, row, 9), ==,
                           link->event->operator_name ? link->event->operator_name : "");
        }
      else
        {
          /* Purged here: sent as a cut link, or as the consent it was
           * when it was sent before the purge (the archive keeps it). */
          g_assert_true (g_str_equal (PQgetvalue (result, row, 2), "cut") ||
                         g_str_equal (PQgetvalue (result, row, 2), "consent"));
          continue;
        }
      if (link->pdf)
        {
          g_autofree char *pdf = sha256_hex (link->pdf);

          g_assert_cmpstr (PQgetvalue (result, row, 6), ==, pdf);
        }
      else
        g_assert_true (PQgetisnull (result, row, 6));
      g_assert_cmpstr (PQgetvalue (result, row, 10), ==, link->attempt ? "1" : "0");
    }
  PQclear (result);
  PQfinish (conn);
}

/* central check re-proves @k's chain in the archive: clean. */
static void
assert_central_check_clean (Kiosk *k)
{
  g_autoptr(CkCentral) admin = admin_connect ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ck_central_check (admin, k->id, NULL, &problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("central problem: %s", (const char *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Syncs everything @k's store holds, in batches of @batch. */
static void
sync_all (CkStore *store,
          Kiosk   *k,
          gboolean tls,
          guint    batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CkCentral) central = kiosk_connect (k, tls, &error);
  CkSyncResult result = { 0 };

  g_assert_no_error (error);
  do
    {
      g_assert_true (ck_central_sync_batch (central, store, k->id, batch, &result, &error));
      g_assert_no_error (error);
    }
  while (result.pending > 0);
  g_assert_cmpint (result.receipt_seq, ==, head_of (store));
}

/* --- three kiosks at once --------------------------------------------------------- */

typedef struct
{
  Kiosk *kiosk;
  gboolean tls;
} SyncJob;

static gpointer
sync_thread (gpointer data)
{
  SyncJob *job = data;
  g_autoptr(CkStore) store = open_store (job->kiosk);

  sync_all (store, job->kiosk, job->tls, 3);
  return NULL;
}

static void
test_three_kiosks (void)
{
  Kiosk *kiosks[3];
  SyncJob jobs[3];
  GThread *threads[3];

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CkStore) store = NULL;
      g_autoptr(GPtrArray) uuids = NULL;

      kiosks[i] = kiosk_new ();
      store = open_store (kiosks[i]);
      uuids = add_consents (store, kiosks[i], 12, "2026-12-01");
    }
  for (guint i = 0; i < 3; i++)
    {
      jobs[i] = (SyncJob) { kiosks[i], i != 1 };
      threads[i] = g_thread_new ("sync", sync_thread, &jobs[i]);
    }
  for (guint i = 0; i < 3; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CkStore) store = open_store (kiosks[i]);

      assert_central_holds (store, kiosks[i], head_of (store));
      g_assert_cmpint (receipt_of (store), ==, head_of (store));
      assert_store_clean (store);

      /* More consents later go after them. */
      g_ptr_array_unref (add_consents (store, kiosks[i], 2, "2026-12-02"));
      sync_all (store, kiosks[i], TRUE, 100);
      assert_central_holds (store, kiosks[i], head_of (store));
      assert_central_check_clean (kiosks[i]);
      kiosk_free (kiosks[i]);
    }
}

/* The kiosk's background sync and staff's Sync Now at the same moment:
 * both finish, nothing is sent twice, the receipts agree. */
static void
test_same_kiosk_twice (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  SyncJob jobs[2] = { { k, TRUE }, { k, FALSE } };
  GThread *threads[2];

  {
    g_autoptr(CkStore) store = open_store (k);

    g_ptr_array_unref (add_consents (store, k, 20, "2026-12-01"));
  }
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("sync", sync_thread, &jobs[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  {
    g_autoptr(CkStore) store = open_store (k);

    assert_central_holds (store, k, head_of (store));
    g_assert_cmpint (receipt_of (store), ==, head_of (store));
    assert_store_clean (store);
  }
}

/* A receipt lost (the process died after the commit): the next sync finds
 * the batch in the archive, stores the receipt and sends nothing twice. */
static void
test_lost_receipt (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(CkStore) store = open_store (k);
  g_autoptr(GPtrArray) uuids G_GNUC_UNUSED = add_consents (store, k, 4, "2026-12-01");
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  CkSyncResult result = { 0 };
  gint64 head = head_of (store);

  sync_all (store, k, FALSE, 100);
  ck_test_db_exec (k->data, "DELETE FROM sync_receipts");
  g_assert_cmpint (receipt_of (store), ==, 0);

  central = kiosk_connect (k, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (ck_central_sync_batch (central, store, k->id, 100, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.sent, ==, 0);
  g_assert_cmpint (result.receipt_seq, ==, head);
  g_assert_cmpint (receipt_of (store), ==, head);
  assert_central_holds (store, k, head);
}

/* --- kills --------------------------------------------------------------------------- */

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GPtrArray *
syncer_argv (Kiosk      *k,
             gboolean    tls,
             const char *ca_file,
             guint       batch)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (g_getenv ("CK_CENTRAL_SYNCER")));
  g_ptr_array_add (argv, g_strdup ("--url"));
  if (tls)
    g_ptr_array_add (argv, g_strdup_printf ("postgresql://%s@localhost:%u/" CK_TEST_PG_DATABASE, k->role,
                                            ck_test_pg_get_port (server)));
  else
    g_ptr_array_add (argv, g_strdup_printf ("postgresql://%s@/" CK_TEST_PG_DATABASE "?host=%s&port=%u", k->role,
                                            ck_test_pg_get_socket_dir (server), ck_test_pg_get_port (server)));
  g_ptr_array_add (argv, g_strdup ("--password-file"));
  g_ptr_array_add (argv, g_strdup (k->password_file));
  if (ca_file)
    {
      g_ptr_array_add (argv, g_strdup ("--ca-file"));
      g_ptr_array_add (argv, g_strdup (ca_file));
    }
  g_ptr_array_add (argv, g_strdup ("--kiosk"));
  g_ptr_array_add (argv, g_strdup (k->id));
  g_ptr_array_add (argv, g_strdup_printf ("--batch=%u", batch));
  g_ptr_array_add (argv, g_strdup (k->data));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs the syncer to its end with @fault armed (NULL: none). */
static void
run_syncer (Run        *run,
            Kiosk      *k,
            guint       batch,
            const char *fault,
            guint       nth)
{
  g_autoptr(GPtrArray) argv = syncer_argv (k, FALSE, NULL, batch);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;

  if (fault)
    {
      g_autofree char *count = g_strdup_printf ("%u", nth);

      envp = g_environ_setenv (envp, "CK_FAULT_POINT", fault, TRUE);
      envp = g_environ_setenv (envp, "CK_FAULT_COUNT", count, TRUE);
    }
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
}

static gboolean
killed (const Run *run)
{
  return WIFSIGNALED (run->status) && WTERMSIG (run->status) == SIGKILL;
}

/* After a kill: the archive holds a prefix of the chain, identical, and
 * the kiosk's receipts never claim more than it holds. */
static void
assert_consistent (CkStore *store,
                   Kiosk   *k)
{
  gint64 central = admin_count ("SELECT coalesce (max (seq), 0) FROM ck.links WHERE kiosk_id = '%s'", k->id);

  g_autofree char *conninfo = g_strdup (ck_test_pg_get_admin_conninfo (server));
  const char *values[] = { k->id };
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_cmpint (central, <=, head_of (store));
  g_assert_cmpint (receipt_of (store), <=, central);

  /* Seq and hash of every link: the whole comparison comes with sync_clean. */
  result = PQexecParams (conn, "SELECT seq, hash FROM ck.links WHERE kiosk_id = $1 ORDER BY seq",
                         1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQntuples (result), ==, central);
  for (int row = 0; row < PQntuples (result); row++)
    {
      g_autofree char *ours = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10), ==, row + 1);
      g_assert_true (ck_store_get_link_hash (store, row + 1, &ours, &error));
      g_assert_cmpstr (PQgetvalue (result, row, 1), ==, ours);
    }
  PQclear (result);
  PQfinish (conn);
}

static void
sync_clean (Kiosk *k)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = NULL;
  g_autoptr(CkStore) store = NULL;

  run_syncer (&run, k, 3, NULL, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 0);
  store = open_store (k);
  expected = g_strdup_printf ("synced %" G_GINT64_FORMAT "\n", head_of (store));
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpint (receipt_of (store), ==, head_of (store));
  assert_central_holds (store, k, head_of (store));
  assert_store_clean (store);
  assert_central_check_clean (k);
}

/* Every fault point is one ck-central-sync.c has, and the other way round. */
static void
test_kill_step_names (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CK_CENTRAL_SOURCE_DIR"), "ck-central-sync.c", NULL);
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  guint found = 0;

  g_assert_true (g_file_get_contents (path, &source, NULL, &error));
  g_assert_no_error (error);
  for (const char *p = source; (p = strstr (p, "_ck_central_fault_point (\"")); p++)
    {
      const char *name = p + strlen ("_ck_central_fault_point (\"");
      g_autofree char *step = g_strndup (name, strcspn (name, "\""));

      g_assert_true (g_strv_contains (steps, step));
      found++;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (steps));
}

static void
test_kill_steps (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_auto(Run) run = { 0 };

      {
        g_autoptr(CkStore) store = open_store (k);

        g_ptr_array_unref (add_consents (store, k, 3, "2026-12-01"));
      }
      g_test_message ("killed at %s", steps[i]);
      run_syncer (&run, k, 4, steps[i], 1);
      g_assert_true (killed (&run));
      {
        g_autoptr(CkStore) store = open_store (k);

        assert_consistent (store, k);
      }
      sync_clean (k);
    }
}

/* A hundred kills at random statements of random batches: each round adds
 * links, and the syncer dies at the Nth statement it sends (N random,
 * small enough to land inside the round's batches more often than not). */
static void
test_kill_random (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(GRand) rand = g_rand_new ();
  guint n_killed = 0, round;

  for (round = 0; n_killed < 100 && round < 400; round++)
    {
      g_auto(Run) run = { 0 };
      guint nth = (guint)g_rand_int_range (rand, 1, 12);

      {
        g_autoptr(CkStore) store = open_store (k);

        g_ptr_array_unref (add_consents (store, k, 2, "2026-12-01"));
      }
      run_syncer (&run, k, (guint)g_rand_int_range (rand, 1, 6), "sync-statement-sent", nth);
      if (killed (&run))
        n_killed++;
      else
        g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 0);
      {
        g_autoptr(CkStore) store = open_store (k);

        assert_consistent (store, k);
      }
      if (round % 10 == 9)
        sync_clean (k);
    }
  g_test_message ("%u runs, %u killed mid-batch", round, n_killed);
  g_assert_cmpuint (n_killed, ==, 100);
  sync_clean (k);
}

/* The server goes away while a batch is in flight, and comes back. */
static void
test_server_restart (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(GPtrArray) argv = syncer_argv (k, TRUE, ck_test_pg_get_ca_file (server), 5);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  GPid pid;
  int err_fd, status;

  {
    g_autoptr(CkStore) store = open_store (k);

    g_ptr_array_unref (add_consents (store, k, 8, "2026-12-01"));
  }
  envp = g_environ_setenv (envp, "CK_FAULT_POINT", "sync-batch-sent", TRUE);
  envp = g_environ_setenv (envp, "CK_FAULT_ACTION", "stop", TRUE);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv->pdata, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &pid, NULL, NULL, &err_fd, &error));
  g_assert_no_error (error);

  /* Stopped with its first batch sent, not committed. */
  g_assert_cmpint (waitpid (pid, &status, WUNTRACED), ==, pid);
  g_assert_true (WIFSTOPPED (status));
  g_assert_true (ck_test_pg_stop (server, FALSE, &error));
  g_assert_no_error (error);
  kill (pid, SIGCONT);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  {
    g_autoptr(GInputStream) stream = g_unix_input_stream_new (err_fd, TRUE);
    g_autoptr(GBytes) bytes = g_input_stream_read_bytes (stream, 65536, NULL, &error);

    g_assert_no_error (error);
    err = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  }
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "broke off"));

  g_assert_true (ck_test_pg_restart_server (server, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CkStore) store = open_store (k);

    g_assert_cmpint (receipt_of (store), ==, 0);
    g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.links WHERE kiosk_id = '%s'", k->id), ==, 0);
  }
  sync_clean (k);
}

/* --- TLS ------------------------------------------------------------------------------- */

static void
assert_tls_refused (Kiosk       *k,
                    const char  *url,
                    const char  *ca_file)
{
  CkCentralParams params = { .url = url, .password_file = k->password_file, .ca_file = ca_file };
  g_autoptr(GError) error = NULL;
  g_autoptr(CkCentral) central = ck_central_connect (&params, &error);

  g_assert_null (central);
  g_assert_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Nothing was sent"));
  g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.links WHERE kiosk_id = '%s'", k->id), ==, 0);
}

static void
test_tls_refused (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(CkStore) store = open_store (k);
  g_autoptr(GPtrArray) uuids G_GNUC_UNUSED = add_consents (store, k, 1, "2026-12-01");
  g_autofree char *good = g_strdup_printf ("postgresql://%s@localhost:%u/" CK_TEST_PG_DATABASE, k->role,
                                           ck_test_pg_get_port (server));
  g_autofree char *wrong_host = g_strdup_printf ("postgresql://%s@wronghost:%u/" CK_TEST_PG_DATABASE
                                                 "?hostaddr=127.0.0.1", k->role, ck_test_pg_get_port (server));
  g_autofree char *plain = g_strdup_printf ("postgresql://%s@localhost:%u/" CK_TEST_PG_DATABASE
                                            "?sslmode=disable", k->role, ck_test_pg_get_port (server));
  CkCentralParams params = { .url = plain, .password_file = k->password_file,
                             .ca_file = ck_test_pg_get_ca_file (server) };
  g_autoptr(GError) error = NULL;
  g_autoptr(CkCentral) central = NULL;

  assert_tls_refused (k, good, ck_test_pg_get_wrong_ca_file (server));
  assert_tls_refused (k, wrong_host, ck_test_pg_get_ca_file (server));

  /* sslmode=disable in the URL does not weaken it: verify-full wins (the
   * server's pg_hba.conf refuses TCP without TLS, so connecting proves it). */
  central = ck_central_connect (&params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (central);
  g_clear_object (&central);

  /* No CA for a TCP host: refused before connecting. */
  params.url = good;
  params.ca_file = NULL;
  central = ck_central_connect (&params, &error);
  g_assert_null (central);
  g_assert_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "ca_file"));
}

/* --- what PostgreSQL refuses a kiosk ---------------------------------------------------- */

static void
assert_refused (PGconn     *conn,
                const char *sql,
                const char *sqlstate)
{
  PGresult *result = PQexec (conn, sql);

  g_test_message ("%s → %s", sql, PQresultErrorMessage (result));
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, sqlstate);
  PQclear (result);
}

static void
test_kiosk_role_limits (void)
{
  g_autoptr(Kiosk) a = kiosk_new ();
  g_autoptr(Kiosk) b = kiosk_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *insert = NULL;
  PGconn *conn;

  {
    g_autoptr(CkStore) store = open_store (b);

    g_ptr_array_unref (add_consents (store, b, 2, "2026-12-01"));
    sync_all (store, b, FALSE, 100);
  }
  {
    g_autoptr(CkStore) store = open_store (a);

    g_ptr_array_unref (add_consents (store, a, 1, "2026-12-01"));
    sync_all (store, a, FALSE, 100);
  }

  g_assert_true (g_file_get_contents (a->password_file, &password, NULL, &error));
  conninfo = g_strdup_printf ("host=%s port=%u dbname=" CK_TEST_PG_DATABASE " user=%s password=%s",
                              ck_test_pg_get_socket_dir (server), ck_test_pg_get_port (server), a->role, password);
  conn = PQconnectdb (conninfo);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  /* A row of another kiosk, as the next link of its chain. */
  insert = g_strdup_printf ("INSERT INTO ck.links (kiosk_id, seq, kind, hash, prev_hash) VALUES ('%s', 1000, "
                            "'cut', repeat ('a', 64), repeat ('b', 64))", b->id);
  assert_refused (conn, insert, "42501");
  assert_refused (conn, "UPDATE ck.links SET received_at = now ()", "42501");
  assert_refused (conn, "DELETE FROM ck.links", "42501");
  assert_refused (conn, "DELETE FROM ck.pdfs", "42501");
  assert_refused (conn, "UPDATE ck.consents SET name = '张三'", "42501");
  assert_refused (conn, "TRUNCATE ck.events", "42501");
  assert_refused (conn, "SELECT name FROM ck.consents", "42501");
  assert_refused (conn, "SELECT data FROM ck.pdfs", "42501");
  assert_refused (conn, "SELECT * FROM ck.kiosks", "42501");
  /* A link of its own kiosk that does not follow the chain. */
  {
    g_autofree char *gap = g_strdup_printf ("INSERT INTO ck.links (kiosk_id, seq, kind, hash, prev_hash) VALUES "
                                            "('%s', 1000, 'cut', repeat ('a', 64), repeat ('b', 64))", a->id);

    assert_refused (conn, gap, "23503");
  }
  /* Its own receipts it reads; another kiosk's it does not see. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM ck.links WHERE kiosk_id = '%s'", b->id);
    PGresult *result = PQexec (conn, sql);

    g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
    g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "0");
    PQclear (result);
    result = PQexec (conn, "SELECT count (*) > 0 FROM ck.links");
    g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "t");
    PQclear (result);
  }
  PQfinish (conn);

  /* A role the archive does not know as this kiosk. */
  {
    g_autoptr(CkStore) store = open_store (a);
    g_autoptr(CkCentral) central = kiosk_connect (a, FALSE, &error);
    CkSyncResult result = { 0 };

    g_assert_no_error (error);
    g_assert_false (ck_central_sync_batch (central, store, b->id, 100, &result, &error));
    g_assert_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_NOT_REGISTERED);
  }
}

/* --- the rechain attack ------------------------------------------------------------------- */

static void
test_rechain (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *sql = NULL;
  g_auto(CkSyncStatus) status = { 0 };
  gint64 head;

  {
    g_autoptr(CkStore) store = open_store (k);

    g_ptr_array_unref (add_consents (store, k, 5, "2026-12-01"));
    sync_all (store, k, TRUE, 100);
    head = head_of (store);
  }

  /* Behind the kiosk's back: a name changed, the chain recomputed from
   * there, head and head copy included. Then a new consent on top. */
  ck_test_db_exec (k->data, "UPDATE consents SET name = '张冒名' WHERE seq = 1");
  ck_test_rechain_from (k->data, 1);
  {
    g_autoptr(CkStore) store = open_store (k);
    g_autoptr(CkCentral) central = kiosk_connect (k, TRUE, &error);
    CkSyncResult result = { 0 };

    g_assert_no_error (error);
    g_ptr_array_unref (add_consents (store, k, 1, "2026-12-02"));

    /* The kiosk's own check sees it against the receipts. */
    problems = ck_store_check (store, &error);
    g_assert_no_error (error);
    seq = g_strdup_printf ("link %" G_GINT64_FORMAT " no longer has the hash the archive acknowledged", head);
    for (guint i = 0; i < problems->len; i++)
      g_test_message ("problem: %s", (const char *)problems->pdata[i]);
    g_assert_cmpuint (problems->len, >=, 1);
    ck_test_assert_contains (problems->pdata[0], "The chain was rewritten after it reached the central archive");

    /* The archive refuses it, and both sides say so. */
    g_assert_false (ck_central_sync_batch (central, store, k->id, 100, &result, &error));
    g_assert_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONFLICT);
    g_clear_error (&error);
    g_assert_true (ck_store_get_sync_status (store, NULL, &status, &error));
    g_assert_cmpint (status.conflict_seq, ==, head);
    g_assert_nonnull (strstr (status.last_error, "rewritten"));
  }
  g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.sync_conflicts WHERE kiosk_id = '%s' AND seq = %"
                                G_GINT64_FORMAT, k->id, head), ==, 1);
  /* And the archive's own check names it. */
  {
    g_autoptr(CkCentral) admin = admin_connect ();
    g_autoptr(GPtrArray) central_problems = NULL;

    g_assert_true (ck_central_check (admin, k->id, NULL, &central_problems, &error));
    g_assert_cmpuint (central_problems->len, ==, 1);
    ck_test_assert_contains (central_problems->pdata[0], "the kiosk reported a sync conflict");
  }
  g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.links WHERE kiosk_id = '%s'", k->id), ==, head);
  sql = g_strdup_printf ("SELECT name FROM ck.consents WHERE kiosk_id = '%s' AND seq = 1", k->id);
  {
    g_autofree char *name = admin_query (sql);

    g_assert_cmpstr (name, !=, "张冒名");
  }
}

/* --- usage and purges ------------------------------------------------------------------------- */

static void
test_org_usage (void)
{
  g_autoptr(Kiosk) a = kiosk_new ();
  g_autoptr(Kiosk) b = kiosk_new ();
  g_autoptr(CkCentral) admin = admin_connect ();
  g_autoptr(GError) error = NULL;
  guint64 billed_before = 0, billed = 0, maybe = 0;
  guint kiosks = 0;
  guint n_billed = 0;

  g_assert_true (ck_central_fetch_org_usage (admin, NULL, &billed_before, &maybe, &kiosks, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      Kiosk *k = i ? b : a;
      g_autoptr(CkStore) store = open_store (k);
      g_autoptr(GPtrArray) uuids G_GNUC_UNUSED = add_consents (store, k, 6 + 3 * i, "2026-11-01");
      g_autoptr(GPtrArray) calls = ck_usage_list_calls (store, NULL, &error);

      g_assert_no_error (error);
      n_billed += calls->len;
      sync_all (store, k, FALSE, 5);
    }
  g_assert_cmpuint (n_billed, >, 0);
  g_assert_true (ck_central_fetch_org_usage (admin, NULL, &billed, &maybe, &kiosks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (billed - billed_before, ==, n_billed);
  g_assert_cmpuint (kiosks, ==, n_kiosks);

  /* A purge keeps the calls of what it removes, and sends them: the
   * archive counts each call once. */
  {
    g_autoptr(CkStore) store = open_store (a);
    guint purged = 0;

    ck_store_set_require_synced (store, TRUE);
    g_assert_true (ck_store_purge (store, "2026-11-30", "王经理", &purged, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (purged, >, 0);
    sync_all (store, a, FALSE, 5);
    assert_store_clean (store);
  }
  g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.purged_calls WHERE kiosk_id = '%s'", a->id), >, 0);
  g_assert_true (ck_central_fetch_org_usage (admin, NULL, &billed, &maybe, &kiosks, &error));
  g_assert_cmpuint (billed - billed_before, ==, n_billed);
}

static void
test_purge_guard (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(CkStore) store = open_store (k);
  g_autoptr(GPtrArray) uuids G_GNUC_UNUSED = add_consents (store, k, 4, "2026-11-01");
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  CkSyncResult result = { 0 };
  guint purged = 0;

  /* Only the first batch reached the archive. */
  central = kiosk_connect (k, FALSE, &error);
  g_assert_true (ck_central_sync_batch (central, store, k->id, 2, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.pending, >, 0);

  ck_store_set_require_synced (store, TRUE);
  g_assert_false (ck_store_purge (store, "2026-11-30", "王经理", &purged, &error));
  g_assert_error (error, CK_STORE_ERROR, CK_STORE_ERROR_UNSYNCED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (ck_store_count (store, NULL), ==, 4);

  /* Without the guard (require_synced_before_purge = false) the purge
   * goes; its links reach the archive as cut links, the chain still whole. */
  ck_store_set_require_synced (store, FALSE);
  g_assert_true (ck_store_purge (store, "2026-11-30", "王经理", &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 4);
  sync_all (store, k, FALSE, 3);
  assert_central_holds (store, k, head_of (store));
  g_assert_cmpint (admin_count ("SELECT count (*) FROM ck.links WHERE kiosk_id = '%s' AND kind = 'cut'", k->id),
                   >, 0);
  assert_store_clean (store);
  assert_central_check_clean (k);
}

/* --- never in the customer's way ---------------------------------------------------------- */

static void
sync_finished (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* A server that takes the connection and never answers: the background
 * sync waits in its own thread while the kiosk saves, then gives up with
 * a message for staff; nothing is lost, and the next sync sends it all. */
static void
test_never_in_the_way (void)
{
  g_autoptr(Kiosk) k = kiosk_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketConnection) accepted = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSyncQueue) queue = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CkSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf_path = g_strdup_printf ("%s/%s.conf", work_dir, k->id);
  g_autofree char *conf = NULL;
  g_auto(CkSyncStatus) status = { 0 };
  guint16 port;

  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  conf = g_strdup_printf ("[kiosk]\nid=%s\ndata_dir=%s\n[central]\n"
                          "url=postgresql://%s@localhost:%u/consents\npassword_file=%s\nca_file=%s\n",
                          k->id, k->data, k->role, port, k->password_file, ck_test_pg_get_ca_file (server));
  g_assert_true (g_file_set_contents (conf_path, conf, -1, &error));
  config = ck_config_load (NULL, NULL, conf_path, &error);
  g_assert_no_error (error);

  store = open_store (k);
  g_ptr_array_unref (add_consents (store, k, 1, "2026-12-01"));
  queue = ck_sync_queue_new (config, store);
  ck_sync_queue_run_async (queue, CK_SYNC_RUN_ALL, NULL, sync_finished, &result);

  /* The sync is stuck in the server's silence... */
  accepted = g_socket_listener_accept (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (result);

  /* ...and the customer's consents are saved all the same. */
  g_ptr_array_unref (add_consents (store, k, 2, "2026-12-01"));

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  run = ck_sync_queue_run_finish (queue, result, &error);
  g_assert_null (run);
  g_assert_error (error, CK_CENTRAL_ERROR, CK_CENTRAL_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_true (ck_store_get_sync_status (store, NULL, &status, NULL));
  g_assert_nonnull (status.failing_since);
  g_assert_nonnull (strstr (status.last_error, "cannot be reached"));
  g_assert_cmpint (status.pending, ==, head_of (store));

  sync_all (store, k, TRUE, 100);
  assert_central_holds (store, k, head_of (store));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  ck_test_pg_require_or_skip ();
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  server = ck_test_pg_start (CK_TEST_PG_FAST, &error);
  g_assert_no_error (error);
  work_dir = g_dir_make_tmp ("test-central-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autoptr(CkCentral) admin = admin_connect ();

    g_assert_true (ck_central_init_archive (admin, 0, &error));
    g_assert_no_error (error);
  }

  g_test_add_func ("/central/sync/three-kiosks", test_three_kiosks);
  g_test_add_func ("/central/sync/lost-receipt", test_lost_receipt);
  g_test_add_func ("/central/sync/same-kiosk-twice", test_same_kiosk_twice);
  g_test_add_func ("/central/kill/step-names", test_kill_step_names);
  g_test_add_func ("/central/kill/steps", test_kill_steps);
  g_test_add_func ("/central/kill/random", test_kill_random);
  g_test_add_func ("/central/server-restart", test_server_restart);
  g_test_add_func ("/central/tls/refused", test_tls_refused);
  g_test_add_func ("/central/kiosk-role-limits", test_kiosk_role_limits);
  g_test_add_func ("/central/rechain", test_rechain);
  g_test_add_func ("/central/org-usage", test_org_usage);
  g_test_add_func ("/central/purge-guard", test_purge_guard);
  g_test_add_func ("/central/never-in-the-way", test_never_in_the_way);

  status = g_test_run ();

  ck_test_rm_rf (work_dir);
  g_free (work_dir);
  ck_test_pg_free (server);
  return status;
}
