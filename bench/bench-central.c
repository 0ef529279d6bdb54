/* bench-central.c: the central PostgreSQL archive (issue 16)
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A private PostgreSQL 15 server (tests/ck-test-pg.h) with its durable
 * defaults (CK_TEST_PG_NONE: fsync, synchronous commit, full page writes;
 * the data under the temporary directory, a disk here), the archive made
 * by ck_central_init_archive () and each kiosk registered by
 * ck_central_add_kiosk (), as `consentctl central init` and `add-kiosk`
 * do. Five parts, the last first (its archive is a database of its own),
 * a CHECKPOINT between parts:
 *
 *   sync      --rounds pairs of kiosk stores of --consents consents, each
 *             rendered as the kiosk renders it (the standard consent of
 *             bench_standard_request () with its own name, ID number and
 *             consent id) and saved by ck_store_save (); each store synced
 *             by ck_central_sync_batch () loops (--batch-size, 100) until
 *             nothing is pending, one over the Unix socket, one over TLS
 *             on 127.0.0.1 (verify-full, SCRAM), alternating. Consents/s
 *             and PDF MB/s, the server's CPU time (every postgres process,
 *             from /proc) and the benchmark's own.
 *   bytes     the archive's bytes per consent after the sync part:
 *             pg_total_relation_size () of ck.links, ck.consents,
 *             ck.events and ck.pdfs over the consents, and the PDFs' own
 *             size.
 *   per-save  --per-save consents saved one at a time, each followed by
 *             the run the kiosk's sync queue makes after a save
 *             (ck_sync_queue_run (): open the store, connect over TLS,
 *             send, fetch the organisation's usage): the run's time and
 *             the server's CPU a run, against 100 kiosks signing one
 *             consent a minute each (1.67 a second).
 *   initial   one store of --initial-consents consents, every one with the
 *             same real PDF (the standard consent rendered once: rendering
 *             100,000 would take minutes and measure ck-pdf), synced over
 *             TLS from nothing: time and rate, first and last tenth.
 *   list      --central-consents consents of --kiosks kiosks written
 *             straight into a database of their own as the archive's owner
 *             (COPY, in seq order, each consent followed by the
 *             verification event sealing its one billed attempt, each
 *             kiosk's chain hashed by the store's own code and every CHECK,
 *             foreign key and completeness trigger of the schema checking
 *             it; a 64-byte stand-in PDF, which the queries never read),
 *             VACUUM ANALYZE, then the staff's searches with the SQL of
 *             `consentctl --central URL list`, as a ck_staff role over the
 *             Unix socket, --queries each, median and p95: a surname alone
 *             (about 1 % of the consents), a whole name, an ID number's
 *             last 6 characters, the newest 100 without a search, and the
 *             surname again with the 100 picked before the joins (an
 *             alternative); then ck.org_usage (), which every sync run of
 *             every kiosk calls, all time and since a day.
 *
 * Kiosk stores go in --dir (default /dev/shm: filling is quick, and the
 * receipt a batch stores costs no fsync there).
 *
 *   bench-central [--consents N] [--rounds R] [--batch-size B]
 *                 [--per-save S] [--initial-consents M]
 *                 [--central-consents C] [--kiosks K] [--queries Q]
 *                 [--dir DIR] [--pdf-storage EXTERNAL]
 *
 * Exits 77 (skipped) when the PostgreSQL 15 server programs are missing. */

#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench-util.h"
#include "ck.h"
#include "ck-central.h"
#include "ck-sync-queue.h"
#include "ck-test-pg.h"
#include "ck-test-util.h"

/* The store's canonical hashes (docs/STORAGE.md, "The canonical record"),
 * which the archive's CHECKs recompute: declared here, as
 * ck-store-impl-private.h is the store's alone (tests/unit/check-layers.py). */
char *_ck_store_hash_consent (const CkConsentRecord *record);
char *_ck_store_hash_event   (const CkStoreEvent    *event);
char *_ck_store_hash_attempt (const CkVerifyAttempt *attempt);

/* The link before the first. */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* 100 kiosks, one consent a minute each. */
#define PEAK_PER_S (100.0 / 60.0)

typedef struct
{
  CkTestPg *pg;
  PGconn *admin;          /* ckadmin over the socket, database consents */
  CkCentral *central;     /* the same, for init and add-kiosk */
  char *tmp;              /* password files, configurations */
  char *dir;              /* kiosk stores */
  CkTemplate *template;
  CkFontSet *fonts;
  CkSignature *signature;
  GBytes *signature_bytes;
  GRand *rand;
  GDateTime *created;
  guint batch_size;
} Bench;

/* --- measuring ----------------------------------------------------------------- */

static void
print_load (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("# load average %s: %s", when, text);
}

/* utime + stime (+ cutime + cstime) of /proc/PID/stat, in ticks. */
static gboolean
proc_ticks (const char *pid,
            gboolean    with_children,
            gint64     *ppid,
            gint64     *ticks)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(after = strrchr (text, ')')))
    return FALSE;
  /* After the command: state, ppid, …; utime is the 14th field of the
   * line, the 12th after the command. */
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 15)
    return FALSE;
  *ppid = g_ascii_strtoll (fields[1], NULL, 10);
  *ticks = g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
  if (with_children)
    *ticks += g_ascii_strtoll (fields[13], NULL, 10) + g_ascii_strtoll (fields[14], NULL, 10);

  return TRUE;
}

/* CPU seconds the server has used: the postmaster, the children it reaped
 * (the connections that ended) and the ones alive. */
static double
server_cpu_s (Bench *b)
{
  g_autofree char *pid_file = g_build_filename (ck_test_pg_get_dir (b->pg), "data", "postmaster.pid", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GDir) proc = NULL;
  const char *name;
  gint64 postmaster, ppid, ticks, total = 0;
  char pid[32];

  if (!g_file_get_contents (pid_file, &text, NULL, NULL))
    return 0;
  postmaster = g_ascii_strtoll (text, NULL, 10);
  g_snprintf (pid, sizeof pid, "%" G_GINT64_FORMAT, postmaster);
  if (!proc_ticks (pid, TRUE, &ppid, &total))
    return 0;
  proc = g_dir_open ("/proc", 0, NULL);
  while (proc && (name = g_dir_read_name (proc)))
    if (g_ascii_isdigit (name[0]) && proc_ticks (name, FALSE, &ppid, &ticks) && ppid == postmaster)
      total += ticks;

  return (double)total / (double)sysconf (_SC_CLK_TCK);
}

/* CPU seconds this process has used, every thread. */
static double
client_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
median_of (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);

  if (sorted->len == 0)
    return 0;
  g_array_sort (sorted, compare_doubles);
  if (sorted->len % 2 == 0)
    return (g_array_index (sorted, double, sorted->len / 2 - 1) + g_array_index (sorted, double, sorted->len / 2)) / 2;
  return g_array_index (sorted, double, sorted->len / 2);
}

/* --- the server ---------------------------------------------------------------- */

static PGresult *
admin_query (PGconn     *conn,
             const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));

  return result;
}

static void
admin_exec (PGconn     *conn,
            const char *sql)
{
  PQclear (admin_query (conn, sql));
}

static gint64
admin_int (PGconn     *conn,
           const char *sql)
{
  PGresult *result = admin_query (conn, sql);
  gint64 value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  PQclear (result);
  return value;
}

static PGconn *
connect_or_die (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", conninfo, PQerrorMessage (conn));

  return conn;
}

/* The admin's conninfo for @database. */
static char *
admin_conninfo (Bench      *b,
                const char *database)
{
  return g_strdup_printf ("host='%s' port=%u user=" CK_TEST_PG_ADMIN " dbname=%s",
                          ck_test_pg_get_socket_dir (b->pg), ck_test_pg_get_port (b->pg), database);
}

static char *
write_password (Bench      *b,
                const char *role)
{
  g_autofree char *name = g_strconcat (role, ".password", NULL);
  char *path = g_build_filename (b->tmp, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, "bench-password\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  return path;
}

/* Registers @kiosk_id with its own role and password, as `consentctl
 * central add-kiosk` does, and returns its password file. */
static char *
add_kiosk (Bench      *b,
           CkCentral  *central,
           const char *kiosk_id,
           const char *role)
{
  g_autoptr(GError) error = NULL;

  if (!ck_central_add_kiosk (central, kiosk_id, "bench-branch", role, "bench-password", &error))
    g_error ("add-kiosk %s: %s", kiosk_id, error->message);

  return write_password (b, role);
}

typedef enum { OVER_SOCKET, OVER_TLS } Transport;

static const char * const transport_names[] = { "socket", "tls" };

/* Connects as @role, as the kiosk's configuration would. */
static CkCentral *
connect_kiosk (Bench      *b,
               Transport   transport,
               const char *role,
               const char *password_file)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  CkCentralParams params = { 0 };
  CkCentral *central;

  if (transport == OVER_TLS)
    url = g_strdup_printf ("postgresql://%s@localhost:%u/" CK_TEST_PG_DATABASE, role, ck_test_pg_get_port (b->pg));
  else
    url = g_strdup_printf ("host='%s' port=%u user=%s dbname=" CK_TEST_PG_DATABASE,
                           ck_test_pg_get_socket_dir (b->pg), ck_test_pg_get_port (b->pg), role);
  params.url = url;
  params.password_file = password_file;
  params.ca_file = transport == OVER_TLS ? ck_test_pg_get_ca_file (b->pg) : NULL;
  if (!(central = ck_central_connect (&params, &error)))
    g_error ("connecting as %s: %s", role, error->message);

  return central;
}

/* --- kiosk stores ---------------------------------------------------------------- */

static char *
new_store_dir (Bench      *b,
               const char *label)
{
  g_autofree char *template = g_strdup_printf ("ck-bench-central-%s-XXXXXX", label);
  char *dir = g_build_filename (b->dir, template, NULL);

  if (!g_mkdtemp (dir))
    g_error ("mkdtemp %s: %s", dir, g_strerror (errno));

  return dir;
}

static CkStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CkStore *store = ck_store_open (dir, CK_STORE_OPEN_RECOVER, &error);

  g_assert_no_error (error);
  return store;
}

/* The record the kiosk's save job fills in (ck-flow.c), for a consent
 * with these values. */
static CkConsentRecord *
make_record (Bench      *b,
             const char *uuid,
             const char *name,
             const char *id_number,
             const char *kiosk_id)
{
  CkConsentRecord *r = ck_consent_record_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  r->uuid = g_strdup (uuid);
  r->created_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  r->name = g_strdup (name);
  r->id_number = g_strdup (id_number);
  r->sign_date = g_date_time_format (now, "%Y-%m-%d");
  r->org_name = g_strdup ("示例银行股份有限公司");
  r->org_business = g_strdup ("个人贷款");
  r->org_purpose = g_strdup ("身份核验和风险管理");
  r->template_sha256 = g_strdup (ck_template_get_sha256 (b->template));
  r->signature = g_bytes_ref (b->signature_bytes);
  r->kiosk_id = g_strdup (kiosk_id);
  r->operator_name = g_strdup ("柜员甲");

  return r;
}

/* The consent's PDF as the kiosk renders it. */
static GBytes *
render (Bench      *b,
        const char *uuid,
        const char *name,
        const char *id_number)
{
  g_autoptr(GError) error = NULL;
  CkPdfRequest request;
  GBytes *pdf;

  bench_standard_request (&request, b->template, b->signature, b->created);
  request.values[CK_TEMPLATE_FIELD_NAME] = name;
  request.values[CK_TEMPLATE_FIELD_ID_NUMBER] = id_number;
  request.consent_id = uuid;
  if (!(pdf = ck_pdf_render (b->fonts, &request, &error)))
    g_error ("render: %s", error->message);

  return pdf;
}

static void
save (CkStore         *store,
      CkConsentRecord *record,
      GBytes          *pdf)
{
  g_autoptr(GError) error = NULL;

  if (!ck_store_save (store, record, pdf, &error))
    g_error ("save: %s", error->message);
}

/* --- syncing --------------------------------------------------------------------- */

typedef struct
{
  double seconds;
  guint links;
  guint batches;
  guint64 pdf_bytes;
  double server_cpu;
  double client_cpu;
  GArray *batch_ms;
  GArray *tenths;         /* seconds at each tenth of the links */
} SyncRun;

static void
sync_run_clear (SyncRun *run)
{
  g_clear_pointer (&run->batch_ms, g_array_unref);
  g_clear_pointer (&run->tenths, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncRun, sync_run_clear)

/* ck_central_sync_batch () until nothing is pending. */
static void
sync_all (Bench     *b,
          CkCentral *central,
          CkStore   *store,
          const char *kiosk_id,
          guint      total_links,
          SyncRun   *run)
{
  double start = now_s (), server = server_cpu_s (b), client = client_cpu_s ();
  guint next_tenth = 1;
  CkSyncResult result = { 0 };

  memset (run, 0, sizeof *run);
  run->batch_ms = g_array_new (FALSE, FALSE, sizeof (double));
  run->tenths = g_array_new (FALSE, FALSE, sizeof (double));
  do
    {
      g_autoptr(GError) error = NULL;
      double batch_start = now_s (), ms;

      if (!ck_central_sync_batch (central, store, kiosk_id, b->batch_size, &result, &error))
        g_error ("sync of %s: %s", kiosk_id, error->message);
      ms = (now_s () - batch_start) * 1000;
      if (result.sent == 0)
        break;
      g_array_append_val (run->batch_ms, ms);
      run->links += result.sent;
      run->pdf_bytes += result.pdf_bytes;
      run->batches++;
      while (total_links > 0 && next_tenth <= 10 && run->links >= (guint64)total_links * next_tenth / 10)
        {
          double at = now_s () - start;

          g_array_append_val (run->tenths, at);
          next_tenth++;
        }
    }
  while (result.pending > 0);
  run->seconds = now_s () - start;
  run->server_cpu = server_cpu_s (b) - server;
  run->client_cpu = client_cpu_s () - client;
}

/* The archive's consents of @kiosk_id: every one must have arrived. */
static void
check_arrived (Bench      *b,
               const char *kiosk_id,
               guint       consents)
{
  const char *values[] = { kiosk_id };
  PGresult *result = PQexecParams (b->admin, "SELECT count (*) FROM ck.consents c JOIN ck.pdfs p "
                                             "USING (kiosk_id, seq) WHERE kiosk_id = $1",
                                   1, NULL, values, NULL, NULL, 0);
  gint64 n;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("counting: %s", PQerrorMessage (b->admin));
  n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  if (n != consents)
    g_error ("kiosk %s: %" G_GINT64_FORMAT " consents with their PDF in the archive, not %u",
             kiosk_id, n, consents);
}

static void
print_sync (const char *label,
            guint       consents,
            SyncRun    *run)
{
  double rate = consents / run->seconds, mb = run->pdf_bytes / 1e6 / run->seconds;

  g_print ("%-28s %8u consents (%u links, %u batches) in %7.2f s   %7.1f consents/s   %6.2f MB/s   "
           "server CPU %.2f s (%.2f ms a consent), this process %.2f s; batch median %.1f ms\n",
           label, consents, run->links, run->batches, run->seconds, rate, mb, run->server_cpu,
           run->server_cpu * 1000 / MAX (consents, 1), run->client_cpu, median_of (run->batch_ms));
  g_print ("{\"bench\":\"%s\",\"consents\":%u,\"links\":%u,\"batches\":%u,\"seconds\":%.3f,"
           "\"consents_per_s\":%.2f,\"mb_per_s\":%.3f,\"pdf_bytes\":%" G_GUINT64_FORMAT ","
           "\"server_cpu_s\":%.2f,\"client_cpu_s\":%.2f}\n",
           label, consents, run->links, run->batches, run->seconds, rate, mb, run->pdf_bytes,
           run->server_cpu, run->client_cpu);
}

/* --- part 1: sync throughput --------------------------------------------------------- */

typedef struct
{
  char *kiosk_id;
  char *role;
  char *password_file;
  char *dir;
  CkStore *store;
  Transport transport;
} Kiosk;

static void
kiosk_free (Kiosk *k)
{
  g_free (k->kiosk_id);
  g_free (k->role);
  g_free (k->password_file);
  g_clear_object (&k->store);
  if (k->dir)
    ck_test_rm_rf (k->dir);
  g_free (k->dir);
  g_free (k);
}

static Kiosk *
kiosk_new (Bench      *b,
           const char *kiosk_id,
           const char *role,
           Transport   transport)
{
  Kiosk *k = g_new0 (Kiosk, 1);

  k->kiosk_id = g_strdup (kiosk_id);
  k->role = g_strdup (role);
  k->transport = transport;
  k->password_file = add_kiosk (b, b->central, kiosk_id, role);
  k->dir = new_store_dir (b, role);
  k->store = open_store (k->dir);

  return k;
}

static void
part_sync (Bench *b,
           guint  consents,
           guint  rounds,
           double rates[2])
{
  g_autoptr(GPtrArray) kiosks = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_free);
  g_autoptr(GArray) socket_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tls_rates = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *by_transport[2] = { socket_rates, tls_rates };
  g_autoptr(GArray) pdf_sizes = g_array_new (FALSE, FALSE, sizeof (double));
  double start, render_s = 0;

  for (guint r = 0; r < rounds; r++)
    for (guint t = 0; t < 2; t++)
      {
        /* Socket first in even rounds, TLS first in odd ones. */
        Transport transport = (r % 2 == 0) == (t == 0) ? OVER_SOCKET : OVER_TLS;
        g_autofree char *id = g_strdup_printf ("bench-%s-%u", transport_names[transport], r + 1);
        g_autofree char *role = g_strdup_printf ("bench_%s_%u", transport_names[transport], r + 1);

        g_ptr_array_add (kiosks, kiosk_new (b, id, role, transport));
      }

  /* Each consent rendered once, saved in every store (each its kiosk). */
  start = now_s ();
  for (guint i = 0; i < consents; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = bench_random_name (b->rand);
      g_autofree char *id_number = bench_random_id (b->rand);
      double render_start = now_s (), size;
      g_autoptr(GBytes) pdf = render (b, uuid, name, id_number);

      render_s += now_s () - render_start;
      size = g_bytes_get_size (pdf);
      g_array_append_val (pdf_sizes, size);
      for (guint k = 0; k < kiosks->len; k++)
        {
          Kiosk *kiosk = kiosks->pdata[k];
          g_autoptr(CkConsentRecord) record = make_record (b, uuid, name, id_number, kiosk->kiosk_id);

          save (kiosk->store, record, pdf);
        }
    }
  g_print ("%-28s %8u consents in %u stores in %.1f s (rendering %.1f s); PDF median %.0f bytes\n",
           "fill.sync", consents, kiosks->len, now_s () - start, render_s, median_of (pdf_sizes));

  for (guint k = 0; k < kiosks->len; k++)
    {
      Kiosk *kiosk = kiosks->pdata[k];
      g_autoptr(CkCentral) central = connect_kiosk (b, kiosk->transport, kiosk->role, kiosk->password_file);
      g_autofree char *label = g_strdup_printf ("sync.%s.%u", transport_names[kiosk->transport], k / 2 + 1);
      g_auto(SyncRun) run = { 0 };
      double rate;

      sync_all (b, central, kiosk->store, kiosk->kiosk_id, consents, &run);
      check_arrived (b, kiosk->kiosk_id, consents);
      print_sync (label, consents, &run);
      rate = consents / run.seconds;
      g_array_append_val (by_transport[kiosk->transport], rate);
    }

  for (guint t = 0; t < 2; t++)
    {
      rates[t] = median_of (by_transport[t]);
      g_print ("%-28s %8.1f consents/s (median of %u runs)\n",
               t == OVER_SOCKET ? "sync.socket" : "sync.tls", rates[t], by_transport[t]->len);
      g_print ("{\"bench\":\"sync.%s\",\"runs\":%u,\"median_consents_per_s\":%.2f}\n",
               transport_names[t], by_transport[t]->len, rates[t]);
    }
  g_print ("%-28s TLS %.2f of the socket's rate\n", "sync.tls-over-socket", rates[OVER_TLS] / rates[OVER_SOCKET]);
}

/* --- part 2: bytes a consent --------------------------------------------------------- */

static void
part_bytes (Bench      *b,
            PGconn     *conn,
            const char *label)
{
  static const char * const tables[] = { "ck.links", "ck.consents", "ck.events", "ck.pdfs" };
  gint64 consents = admin_int (conn, "SELECT count (*) FROM ck.consents");
  gint64 pdf_bytes = admin_int (conn, "SELECT coalesce (sum (size), 0) FROM ck.pdfs");
  gint64 total = 0;
  GString *parts = g_string_new (NULL);

  if (consents == 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT pg_total_relation_size ('%s')", tables[i]);
      gint64 bytes = admin_int (conn, sql);

      total += bytes;
      g_string_append_printf (parts, "%s%s %.0f", i ? ", " : "", tables[i] + 3, (double)bytes / consents);
    }
  g_print ("%-28s %8" G_GINT64_FORMAT " consents   %.0f bytes a consent (%s), of which the PDF %.0f bytes; "
           "%.0f bytes beyond the PDF; %.2f GB in all\n",
           label, consents, (double)total / consents, parts->str, (double)pdf_bytes / consents,
           (double)(total - pdf_bytes) / consents, total / 1e9);
  g_print ("{\"bench\":\"%s\",\"consents\":%" G_GINT64_FORMAT ",\"bytes_per_consent\":%.0f,"
           "\"pdf_bytes_per_consent\":%.0f,\"total_bytes\":%" G_GINT64_FORMAT "}\n",
           label, consents, (double)total / consents, (double)pdf_bytes / consents, total);
  g_string_free (parts, TRUE);
}

/* --- part 3: the run after each save --------------------------------------------------- */

static void
part_per_save (Bench  *b,
               guint   saves,
               double  tls_rate)
{
  g_autoptr(GArray) run_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(CkConfig) config = NULL;
  g_autoptr(CkSyncQueue) queue = NULL;
  g_autofree char *conf_path = g_build_filename (b->tmp, "per-save.conf", NULL);
  g_autofree char *conf = NULL;
  Kiosk *kiosk = kiosk_new (b, "bench-per-save", "bench_per_save", OVER_TLS);
  double server = 0, total_s = 0, server_per_run, runs_per_s, capacity;

  conf = g_strdup_printf ("[kiosk]\nid = %s\n[central]\nurl = postgresql://%s@localhost:%u/%s\n"
                          "password_file = %s\nca_file = %s\nbatch_size = %u\n",
                          kiosk->kiosk_id, kiosk->role, ck_test_pg_get_port (b->pg), CK_TEST_PG_DATABASE,
                          kiosk->password_file, ck_test_pg_get_ca_file (b->pg), b->batch_size);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);
  if (!(config = ck_config_load (NULL, NULL, conf_path, &error)))
    g_error ("%s: %s", conf_path, error->message);
  queue = ck_sync_queue_new (config, kiosk->store);

  for (guint i = 0; i < saves; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = bench_random_name (b->rand);
      g_autofree char *id_number = bench_random_id (b->rand);
      g_autoptr(GBytes) pdf = render (b, uuid, name, id_number);
      g_autoptr(CkConsentRecord) record = make_record (b, uuid, name, id_number, kiosk->kiosk_id);
      g_autoptr(CkSyncRun) run = NULL;
      double start, server_start, ms;

      save (kiosk->store, record, pdf);
      server_start = server_cpu_s (b);
      start = now_s ();
      if (!(run = ck_sync_queue_run (queue, CK_SYNC_RUN_ALL, NULL, &error)))
        g_error ("sync run %u: %s", i + 1, error->message);
      ms = (now_s () - start) * 1000;
      server += server_cpu_s (b) - server_start;
      total_s += ms / 1000;
      if (run->sent != 1 || run->pending != 0 || run->usage_error)
        g_error ("sync run %u sent %u links, %" G_GINT64_FORMAT " pending (%s)", i + 1, run->sent,
                 run->pending, run->usage_error ? run->usage_error : "usage read");
      g_array_append_val (run_ms, ms);
    }
  check_arrived (b, kiosk->kiosk_id, saves);
  kiosk_free (kiosk);

  server_per_run = server / saves;
  runs_per_s = saves / total_s;
  /* Two cores' worth of server CPU, if the server's CPU is what limits. */
  capacity = server_per_run > 0 ? 2.0 / server_per_run : 0;
  bench_report ("per-save.run", run_ms, 95);
  g_print ("%-28s %.1f runs/s one after the other (%.0fx the peak of 100 kiosks, %.2f/s); server CPU "
           "%.1f ms a run, so 2 cores serve about %.0f runs/s (%.0fx the peak)\n",
           "per-save.capacity", runs_per_s, runs_per_s / PEAK_PER_S, PEAK_PER_S, server_per_run * 1000,
           capacity, capacity / PEAK_PER_S);
  g_print ("{\"bench\":\"per-save.capacity\",\"runs\":%u,\"runs_per_s\":%.2f,\"server_cpu_ms_per_run\":%.2f,"
           "\"server_runs_per_s_2_cores\":%.1f,\"peak_per_s\":%.3f}\n",
           saves, runs_per_s, server_per_run * 1000, capacity, PEAK_PER_S);
  if (tls_rate > 0)
    g_print ("%-28s batches of %u over TLS: %.1f consents/s, %.0fx the peak\n", "per-save.catch-up",
             b->batch_size, tls_rate, tls_rate / PEAK_PER_S);
}

/* --- part 4: initial sync ---------------------------------------------------------------- */

static void
part_initial (Bench *b,
              guint  consents)
{
  g_autoptr(GBytes) pdf = NULL;
  g_auto(SyncRun) run = { 0 };
  g_autoptr(CkCentral) central = NULL;
  Kiosk *kiosk = kiosk_new (b, "bench-initial", "bench_initial", OVER_TLS);
  double start = now_s ();

  {
    CkPdfRequest request;
    g_autoptr(GError) error = NULL;

    bench_standard_request (&request, b->template, b->signature, b->created);
    if (!(pdf = ck_pdf_render (b->fonts, &request, &error)))
      g_error ("render: %s", error->message);
  }
  for (guint i = 0; i < consents; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = bench_random_name (b->rand);
      g_autofree char *id_number = bench_random_id (b->rand);
      g_autoptr(CkConsentRecord) record = make_record (b, uuid, name, id_number, kiosk->kiosk_id);

      save (kiosk->store, record, pdf);
    }
  g_print ("%-28s %8u consents in %.1f s, every one with the same real PDF of %zu bytes "
           "(the standard consent, rendered once)\n",
           "fill.initial", consents, now_s () - start, g_bytes_get_size (pdf));

  print_load ("before the initial sync");
  central = connect_kiosk (b, OVER_TLS, kiosk->role, kiosk->password_file);
  sync_all (b, central, kiosk->store, kiosk->kiosk_id, consents, &run);
  check_arrived (b, kiosk->kiosk_id, consents);
  print_sync ("initial.tls", consents, &run);
  if (run.tenths->len == 10 && run.batches >= 20)
    {
      double first = g_array_index (run.tenths, double, 0);
      double last = g_array_index (run.tenths, double, 9) - g_array_index (run.tenths, double, 8);

      g_print ("%-28s first tenth %.1f consents/s, last tenth %.1f consents/s\n", "initial.tls.tenths",
               consents / 10.0 / first, consents / 10.0 / last);
    }
  print_load ("after the initial sync");
  kiosk_free (kiosk);
}

/* --- part 5: staff searches at a million consents ------------------------------------------ */

/* COPY's text format: \N for NULL, backslash, tab and newlines escaped. */
static void
copy_field (GString    *out,
            const char *value,
            gboolean    last)
{
  if (value == NULL)
    g_string_append (out, "\\N");
  else
    for (const char *p = value; *p; p++)
      switch (*p)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default: g_string_append_c (out, *p);
        }
  g_string_append_c (out, last ? '\n' : '\t');
}

static char *
bytea_text (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *text = g_string_sized_new (2 + size * 2);

  g_string_append (text, "\\x");
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);

  return g_string_free (text, FALSE);
}

static void
copy_in (PGconn     *conn,
         const char *sql,
         GString    *rows)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COPY_IN)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  if (PQputCopyData (conn, rows->str, (int)rows->len) != 1 || PQputCopyEnd (conn, NULL) != 1)
    g_error ("COPY: %s", PQerrorMessage (conn));
  while ((result = PQgetResult (conn)))
    {
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (result));
      PQclear (result);
    }
  g_string_truncate (rows, 0);
}

/* Sign dates run from 2024-01-01 to 2026-11-28 with the seq. */
static char *
sign_date_of (guint i,
              guint n)
{
  g_autoptr(GDateTime) first = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (first, (gint)((guint64)i * 1062 / MAX (n, 1)));

  return g_date_time_format (day, "%Y-%m-%d");
}

/* Writes @per_kiosk consents of each of @kiosks kiosks, each followed by
 * the verification event that seals its one attempt (billed: HTTP 200,
 * verified), @chunk consents a transaction, through COPY as the archive's
 * owner; keeps some surnames, names and ID tails to search for. */
static void
generate (Bench     *b,
          PGconn    *conn,
          guint      kiosks,
          guint      per_kiosk,
          GPtrArray *surnames,
          GPtrArray *names,
          GPtrArray *tails)
{
  static const char pdf_text[] = "%PDF-1.7 a 64-byte stand-in; the searches never read it.....\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_text, 64);
  g_autofree char *pdf_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autofree char *pdf_hex = bytea_text (pdf);
  g_autofree char *signature_hex = bytea_text (b->signature_bytes);
  g_autofree char *size = g_strdup_printf ("%zu", g_bytes_get_size (pdf));
  g_autoptr(GString) links = g_string_new (NULL);
  g_autoptr(GString) consents = g_string_new (NULL);
  g_autoptr(GString) events = g_string_new (NULL);
  g_autoptr(GString) pdfs = g_string_new (NULL);
  g_autoptr(GString) attempts = g_string_new (NULL);
  const guint chunk = 10000;
  guint total = kiosks * per_kiosk, every = MAX (1, total / 50);

  admin_exec (conn, "SET ROLE ck_owner");
  for (guint k = 0; k < kiosks; k++)
    {
      g_autofree char *kiosk_id = g_strdup_printf ("branch-%03u-kiosk-1", k + 1);
      g_autofree char *prev = g_strdup (GENESIS_HASH);

      for (guint i = 0; i < per_kiosk; i++)
        {
          g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
          g_autoptr(CkStoreEvent) e = g_new0 (CkStoreEvent, 1);
          g_autoptr(CkVerifyAttempt) a = g_new0 (CkVerifyAttempt, 1);
          g_autofree char *date = sign_date_of (i, per_kiosk);
          g_autofree char *seq = g_strdup_printf ("%u", 2 * i + 1);
          g_autofree char *event_seq = g_strdup_printf ("%u", 2 * i + 2);
          g_autofree char *attempt_hash = NULL;
          g_autofree char *started_ms = NULL;

          if (i % chunk == 0)
            admin_exec (conn, "BEGIN");
          r->seq = 2 * i + 1;
          r->uuid = g_uuid_string_random ();
          r->created_at = g_strdup_printf ("%sT%02u:%02u:%02u.%06uZ", date, 1 + i % 9, (i / 9) % 60, i % 60,
                                           (k * 7919 + i) % 1000000);
          r->name = bench_random_name (b->rand);
          r->id_number = bench_random_id (b->rand);
          r->sign_date = g_strdup (date);
          r->org_name = g_strdup ("示例银行股份有限公司");
          r->org_business = g_strdup ("个人贷款");
          r->org_purpose = g_strdup ("身份核验和风险管理");
          r->template_sha256 = g_strdup (ck_template_get_sha256 (b->template));
          r->pdf_path = g_strdup_printf ("pdf/%.4s/%.2s/%s.pdf", date, date + 5, r->uuid);
          r->pdf_sha256 = g_strdup (pdf_sha256);
          r->pdf_size = (gint64)g_bytes_get_size (pdf);
          r->signature = g_bytes_ref (b->signature_bytes);
          r->kiosk_id = g_strdup (kiosk_id);
          r->operator_name = g_strdup ("柜员甲");
          r->prev_hash = g_strdup (prev);
          r->row_hash = _ck_store_hash_consent (r);

          a->consent_uuid = g_strdup (r->uuid);
          a->number = 1;
          a->started_ms = 1700000000000 + (gint64)i * 60000 + k;
          a->started_at = g_strdup_printf ("%sT%02u:%02u:%02u.500Z", date, 1 + i % 9, (i / 9) % 60, i % 60);
          a->duration_ms = 350;
          a->provider = g_strdup ("aliyun-idcert");
          a->outcome = g_strdup ("verified");
          a->http_status = 200;
          a->provider_status = g_strdup ("01");
          a->request_id = g_uuid_string_random ();
          a->claimed_by = g_strdup_printf ("%s:1234", kiosk_id);
          attempt_hash = _ck_store_hash_attempt (a);
          started_ms = g_strdup_printf ("%" G_GINT64_FORMAT, a->started_ms);

          e->seq = 2 * i + 2;
          e->at = g_strdup (a->started_at);
          e->kind = g_strdup ("verification");
          e->consent_uuid = g_strdup (r->uuid);
          e->detail = g_strdup_printf ("{\"attempt\":1,\"outcome\":\"verified\",\"sha256\":\"%s\",\"requeued\":false}",
                                       attempt_hash);
          e->prev_hash = g_strdup (r->row_hash);
          e->row_hash = _ck_store_hash_event (e);

          copy_field (links, kiosk_id, FALSE);
          copy_field (links, seq, FALSE);
          copy_field (links, "consent", FALSE);
          copy_field (links, r->row_hash, FALSE);
          copy_field (links, i == 0 ? NULL : prev, TRUE);
          copy_field (links, kiosk_id, FALSE);
          copy_field (links, event_seq, FALSE);
          copy_field (links, "event", FALSE);
          copy_field (links, e->row_hash, FALSE);
          copy_field (links, r->row_hash, TRUE);

          copy_field (consents, kiosk_id, FALSE);
          copy_field (consents, seq, FALSE);
          copy_field (consents, r->row_hash, FALSE);
          copy_field (consents, r->prev_hash, FALSE);
          copy_field (consents, r->uuid, FALSE);
          copy_field (consents, r->created_at, FALSE);
          copy_field (consents, r->name, FALSE);
          copy_field (consents, r->id_number, FALSE);
          copy_field (consents, r->sign_date, FALSE);
          copy_field (consents, r->org_name, FALSE);
          copy_field (consents, r->org_business, FALSE);
          copy_field (consents, r->org_purpose, FALSE);
          copy_field (consents, r->template_sha256, FALSE);
          copy_field (consents, r->pdf_path, FALSE);
          copy_field (consents, r->pdf_sha256, FALSE);
          copy_field (consents, size, FALSE);
          copy_field (consents, signature_hex, FALSE);
          copy_field (consents, kiosk_id, FALSE);
          copy_field (consents, r->operator_name, FALSE);
          copy_field (consents, "f", TRUE);

          copy_field (events, kiosk_id, FALSE);
          copy_field (events, event_seq, FALSE);
          copy_field (events, e->row_hash, FALSE);
          copy_field (events, e->prev_hash, FALSE);
          copy_field (events, e->at, FALSE);
          copy_field (events, e->kind, FALSE);
          copy_field (events, e->consent_uuid, FALSE);
          copy_field (events, NULL, FALSE);
          copy_field (events, e->detail, TRUE);

          copy_field (pdfs, kiosk_id, FALSE);
          copy_field (pdfs, seq, FALSE);
          copy_field (pdfs, r->uuid, FALSE);
          copy_field (pdfs, pdf_sha256, FALSE);
          copy_field (pdfs, size, FALSE);
          copy_field (pdfs, pdf_hex, TRUE);

          copy_field (attempts, kiosk_id, FALSE);
          copy_field (attempts, event_seq, FALSE);
          copy_field (attempts, a->consent_uuid, FALSE);
          copy_field (attempts, "1", FALSE);
          copy_field (attempts, started_ms, FALSE);
          copy_field (attempts, a->started_at, FALSE);
          copy_field (attempts, "350", FALSE);
          copy_field (attempts, a->provider, FALSE);
          copy_field (attempts, a->outcome, FALSE);
          copy_field (attempts, "200", FALSE);
          copy_field (attempts, a->provider_status, FALSE);
          copy_field (attempts, NULL, FALSE);
          copy_field (attempts, a->request_id, FALSE);
          copy_field (attempts, NULL, FALSE);
          copy_field (attempts, NULL, FALSE);
          copy_field (attempts, NULL, FALSE);
          copy_field (attempts, NULL, FALSE);
          copy_field (attempts, "f", FALSE);
          copy_field (attempts, "f", FALSE);
          copy_field (attempts, a->claimed_by, TRUE);

          if ((k * per_kiosk + i) % every == 0)
            {
              g_ptr_array_add (surnames, g_utf8_substring (r->name, 0, 1));
              g_ptr_array_add (names, g_strdup (r->name));
              g_ptr_array_add (tails, g_strdup (r->id_number + 12));
            }
          g_free (prev);
          prev = g_strdup (e->row_hash);

          if ((i + 1) % chunk == 0 || i + 1 == per_kiosk)
            {
              copy_in (conn, "COPY ck.links (kiosk_id, seq, kind, hash, prev_hash) FROM STDIN", links);
              copy_in (conn, "COPY ck.consents (kiosk_id, seq, hash, prev, uuid, created_at, name, id_number, "
                             "sign_date, org_name, org_business, org_purpose, template_sha256, pdf_path, "
                             "pdf_sha256, pdf_size, signature, record_kiosk_id, operator, demo) FROM STDIN",
                       consents);
              copy_in (conn, "COPY ck.events (kiosk_id, seq, hash, prev, at, kind, consent_uuid, operator, "
                             "detail) FROM STDIN", events);
              copy_in (conn, "COPY ck.pdfs (kiosk_id, seq, consent_uuid, sha256, size, data) FROM STDIN", pdfs);
              copy_in (conn, "COPY ck.attempts (kiosk_id, verification_seq, consent_uuid, number, started_ms, "
                             "started_at, duration_ms, provider, outcome, http_status, provider_status, "
                             "provider_message, request_id, error_code, error_message, detail, body, "
                             "body_truncated, demo, claimed_by) FROM STDIN", attempts);
              /* The completeness trigger runs here. */
              admin_exec (conn, "COMMIT");
              /* A kiosk the statistics have not seen is planned as if it
               * had no rows: the trigger's and foreign keys' lookups by
               * (kiosk_id, seq) then take an index on (kiosk_id,
               * consent_uuid) with seq as a filter, and read every row of
               * the kiosk each time (a fill that slowed from 7,000 links a
               * second to 500). A kiosk's first transaction is analysed. */
              if (i + 1 == MIN (chunk, per_kiosk))
                admin_exec (conn, "ANALYZE ck.links, ck.consents, ck.events, ck.pdfs, ck.attempts");
            }
        }
    }
  admin_exec (conn, "RESET ROLE");
}

/* The staff's searches: the SQL of `consentctl --central URL list`
 * (ck_central_foreach () of src/core/central/ck-central-query.c, copied
 * from the branch that writes it): each consent with its kiosk's branch,
 * its last attempt and whether it was withdrawn, newest first along the
 * (sign_date, kiosk_id, seq) index read backwards, 100 at most (the
 * list's default). A search is a byte range on the name or on the
 * reversed ID number (COLLATE "C", as the indexes are built). */
#define LIST_SELECT_FROM(consents) \
  "SELECT c.seq::text, c.uuid, c.created_at, c.name, c.id_number, c.sign_date, c.org_name, " \
  "c.org_business, c.org_purpose, c.template_sha256, c.pdf_path, c.pdf_sha256, c.pdf_size::text, " \
  "c.signature, c.record_kiosk_id, c.operator, c.demo::text, c.prev, c.hash, c.kiosk_id, k.branch, " \
  "la.outcome, coalesce (la.number, 0)::text, coalesce (la.started_ms, 0)::text, " \
  "coalesce (la.demo, false)::text, " \
  "(CASE WHEN EXISTS (SELECT 1 FROM ck.events w WHERE w.kiosk_id = c.kiosk_id AND " \
  "w.consent_uuid = c.uuid AND w.kind = 'withdrawal') THEN 1 ELSE 0 END)::text " \
  "FROM " consents " c JOIN ck.kiosks k ON k.kiosk_id = c.kiosk_id " \
  "LEFT JOIN LATERAL (SELECT a.outcome, a.number, a.started_ms, a.demo FROM ck.attempts a " \
  "WHERE a.kiosk_id = c.kiosk_id AND a.consent_uuid = c.uuid ORDER BY a.number DESC LIMIT 1) la ON true " \
  "WHERE true"
#define LIST_SELECT LIST_SELECT_FROM ("ck.consents")
#define LIST_ORDER " ORDER BY c.sign_date DESC, c.kiosk_id DESC, c.seq DESC LIMIT 100"

static const struct
{
  const char *name;
  const char *what;
  const char *sql;
} searches[] = {
  { "list.surname", "a surname alone, e.g. --search 王",
    LIST_SELECT " AND (c.name COLLATE \"C\") >= $1 AND (c.name COLLATE \"C\") < $2" LIST_ORDER },
  { "list.name", "a whole name",
    LIST_SELECT " AND (c.name COLLATE \"C\") >= $1 AND (c.name COLLATE \"C\") < $2" LIST_ORDER },
  { "list.id-tail", "an ID number's last 6 characters",
    LIST_SELECT " AND (c.id_reversed COLLATE \"C\") >= $1 AND (c.id_reversed COLLATE \"C\") < $2" LIST_ORDER },
  { "list.newest", "no search: the newest 100",
    LIST_SELECT LIST_ORDER },
  /* Not what consentctl sends: the same answer with the 100 consents
   * picked before the joins, which then run 100 times rather than once a
   * match. */
  { "list.surname-limit-first", "a surname alone, the 100 picked before the joins (an alternative)",
    LIST_SELECT_FROM ("(SELECT * FROM ck.consents WHERE (name COLLATE \"C\") >= $1 AND (name COLLATE \"C\") < $2 "
                      "ORDER BY sign_date DESC, kiosk_id DESC, seq DESC LIMIT 100)") LIST_ORDER },
};

static void
print_plan (PGconn      *conn,
            const char  *label,
            const char  *sql,
            const char  *low,
            const char  *high)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN (COSTS OFF) ", sql, NULL);
  const char *values[] = { low, high };
  PGresult *result = PQexecParams (conn, explain, strstr (sql, "$2") ? 2 : strstr (sql, "$1") ? 1 : 0, NULL, values, NULL, NULL, 0);
  GString *plan = g_string_new (NULL);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", explain, PQerrorMessage (conn));
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (PQgetvalue (result, i, 0)));

      g_string_append_printf (plan, "%s%s", i ? " | " : "", line);
    }
  g_print ("# plan %s: %s\n", label, plan->str);
  g_string_free (plan, TRUE);
  PQclear (result);
}

static void
part_list (Bench *b,
           guint  central_consents,
           guint  kiosks,
           guint  queries)
{
  g_autoptr(GPtrArray) surnames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *conninfo = admin_conninfo (b, "archive_list");
  g_autofree char *staff_conninfo = NULL;
  g_autoptr(CkCentral) central = NULL;
  g_autoptr(GError) error = NULL;
  CkCentralParams params = { 0 };
  PGconn *admin, *staff;
  guint per_kiosk = MAX (1, central_consents / kiosks);
  double start;

  admin_exec (b->admin, "CREATE DATABASE archive_list");
  params.url = conninfo;
  if (!(central = ck_central_connect (&params, &error)) || !ck_central_init_archive (central, 0, &error))
    g_error ("central init of archive_list: %s", error->message);
  for (guint k = 0; k < kiosks; k++)
    {
      g_autofree char *kiosk_id = g_strdup_printf ("branch-%03u-kiosk-1", k + 1);
      g_autofree char *role = g_strdup_printf ("list_kiosk_%u", k + 1);

      if (!ck_central_add_kiosk (central, kiosk_id, "bench", role, NULL, &error))
        g_error ("add-kiosk %s: %s", kiosk_id, error->message);
    }
  g_clear_object (&central);

  admin = connect_or_die (conninfo);
  print_load ("before writing the list archive");
  start = now_s ();
  generate (b, admin, kiosks, per_kiosk, surnames, names, tails);
  g_print ("%-28s %8u consents of %u kiosks in %.1f s, each with its verification event and billed "
           "attempt (COPY as ck_owner, 10,000 consents a transaction, every CHECK, foreign key and trigger "
           "checking; ANALYZE after each kiosk's first; 64-byte stand-in PDFs)\n",
           "fill.list", per_kiosk * kiosks, kiosks, now_s () - start);
  start = now_s ();
  admin_exec (admin, "VACUUM ANALYZE");
  g_print ("%-28s %.1f s\n", "fill.list.vacuum-analyze", now_s () - start);
  part_bytes (b, admin, "bytes.list");
  print_load ("after writing the list archive");

  admin_exec (admin, "CREATE ROLE bench_staff LOGIN PASSWORD 'bench-password' IN ROLE ck_staff");
  PQfinish (admin);
  staff_conninfo = g_strdup_printf ("host='%s' port=%u user=bench_staff password=bench-password dbname=archive_list",
                                    ck_test_pg_get_socket_dir (b->pg), ck_test_pg_get_port (b->pg));
  staff = connect_or_die (staff_conninfo);

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (double));
      GPtrArray *terms = s == 0 || s == 4 ? surnames : s == 1 ? names : s == 2 ? tails : NULL;
      g_autofree char *label = g_strdup_printf ("%s@%u", searches[s].name, per_kiosk * kiosks);

      /* One round unmeasured, to warm the caches as staff's use does. */
      for (guint q = 0; q < queries + (terms ? terms->len : 1); q++)
        {
          const char *term = terms ? terms->pdata[q % terms->len] : NULL;
          g_autofree char *low = NULL;
          g_autofree char *high = NULL;
          const char *values[2];
          PGresult *result;
          double t0, elapsed;

          if (term)
            {
              low = s == 2 ? g_utf8_strreverse (term, -1) : g_strdup (term);
              high = g_strconcat (low, "\xf4\x8f\xbf\xbf", NULL);
            }
          values[0] = low;
          values[1] = high;
          if (q == 0)
            print_plan (staff, searches[s].name, searches[s].sql, low, high);
          t0 = now_s ();
          result = PQexecParams (staff, searches[s].sql, term ? 2 : 0, NULL, values, NULL, NULL, 0);
          elapsed = (now_s () - t0) * 1000;
          if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) == 0)
            g_error ("%s (%s): %s", searches[s].name, term ? term : "", PQerrorMessage (staff));
          if (q >= (terms ? terms->len : 1))
            {
              double n = PQntuples (result);

              g_array_append_val (ms, elapsed);
              g_array_append_val (matches, n);
            }
          PQclear (result);
        }
      bench_report (label, ms, 95);
      g_print ("%-28s %s; rows returned median %.0f (at most 100)\n", "", searches[s].what, median_of (matches));
    }

  /* How many consents a surname matches (the sort's input). */
  {
    const char *values[2];
    g_autofree char *high = g_strconcat (surnames->pdata[0], "\xf4\x8f\xbf\xbf", NULL);
    PGresult *result;

    values[0] = surnames->pdata[0];
    values[1] = high;
    result = PQexecParams (staff, "SELECT count (*) FROM ck.consents WHERE (name COLLATE \"C\") >= $1 "
                                  "AND (name COLLATE \"C\") < $2", 2, NULL, values, NULL, NULL, 0);
    if (PQresultStatus (result) == PGRES_TUPLES_OK)
      g_print ("%-28s %s matches %s consents\n", "list.surname.matches", (char *)surnames->pdata[0],
               PQgetvalue (result, 0, 0));
    PQclear (result);
  }

  /* What every sync run of every kiosk asks after sending: the
   * organisation's paid calls, all time and since a package start. */
  for (guint u = 0; u < 2; u++)
    {
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      const char *values[] = { u == 0 ? NULL : "2026-01-01" };
      g_autofree char *label = g_strdup_printf ("usage.org-%s@%u", u == 0 ? "all" : "since", per_kiosk * kiosks);
      g_autofree char *billed = NULL;
      guint runs = MIN (queries, 50);
      double cpu = 0;

      print_plan (staff, u == 0 ? "usage.org-all" : "usage.org-since",
                  "SELECT count (*) FILTER (WHERE billed = 'yes'), count (*) FILTER (WHERE billed = 'maybe') "
                  "FROM ck.org_calls WHERE $1::text IS NULL OR started_at >= $1", values[0], NULL);
      for (guint q = 0; q < runs + 1; q++)
        {
          double cpu0 = server_cpu_s (b), t0 = now_s (), elapsed;
          PGresult *result = PQexecParams (staff, "SELECT billed, maybe_billed, kiosks FROM ck.org_usage ($1)",
                                           1, NULL, values, NULL, NULL, 0);

          elapsed = (now_s () - t0) * 1000;
          if (PQresultStatus (result) != PGRES_TUPLES_OK)
            g_error ("org_usage: %s", PQerrorMessage (staff));
          if (q > 0)
            {
              g_array_append_val (ms, elapsed);
              cpu += server_cpu_s (b) - cpu0;
            }
          g_free (billed);
          billed = g_strdup (PQgetvalue (result, 0, 0));
          PQclear (result);
        }
      bench_report (label, ms, 95);
      g_print ("%-28s ck.org_usage (%s): %s billed calls counted; server CPU %.1f ms a call (its parallel "
               "workers included)\n", "", u == 0 ? "NULL" : "'2026-01-01'", billed,
               cpu * 1000 / runs);
    }
  PQfinish (staff);
}

/* --- main ----------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *pdf_storage = NULL;
  int consents = 2000, rounds = 2, batch_size = 100, per_save = 200, initial = 100000;
  int central_consents = 1000000, kiosks = 10, queries = 200;
  double rates[2] = { 0, 0 };
  Bench bench = { 0 }, *b = &bench;
  const GOptionEntry entries[] = {
    { "consents", 0, 0, G_OPTION_ARG_INT, &consents, "Consents in each store of the sync part (2000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Stores synced over each transport (2)", "R" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size, "Links a batch ([central] batch_size, 100)", "B" },
    { "per-save", 0, 0, G_OPTION_ARG_INT, &per_save, "Saves each followed by the queue's run (200; 0: none)", "S" },
    { "initial-consents", 0, 0, G_OPTION_ARG_INT, &initial, "Consents of the initial sync (100000; 0: none)", "M" },
    { "central-consents", 0, 0, G_OPTION_ARG_INT, &central_consents,
      "Consents in the archive the searches run on (1000000; 0: none)", "C" },
    { "kiosks", 0, 0, G_OPTION_ARG_INT, &kiosks, "Kiosks they come from (10)", "K" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &queries, "Timed runs of each search (200)", "Q" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the kiosk stores go (/dev/shm)", "DIR" },
    { "pdf-storage", 0, 0, G_OPTION_ARG_STRING, &pdf_storage,
      "An experiment: ck.pdfs.data's STORAGE (EXTERNAL: no compression tried) before syncing", "STORAGE" },
    { NULL }
  };

  context = g_option_context_new ("— the central PostgreSQL archive: sync, size, searches");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || consents < 1 || rounds < 1 ||
      batch_size < 1 || per_save < 0 || initial < 0 || central_consents < 0 || kiosks < 1 || queries < 1)
    {
      g_printerr ("bench-central: %s\n", error ? error->message : "sizes must be positive");
      return 2;
    }
  if (!ck_test_pg_available (&reason))
    {
      g_print ("bench-central: skipped: PostgreSQL 15 server programs missing (%s)\n", reason);
      return 77;
    }

  ck_init ();
  b->batch_size = (guint)batch_size;
  b->rand = g_rand_new_with_seed (20261208);
  b->created = g_date_time_new_utc (2026, 11, 28, 1, 30, 0);
  b->dir = g_strdup (dir ? dir : g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ());
  b->tmp = g_dir_make_tmp ("bench-central-XXXXXX", &error);
  g_assert_no_error (error);
  if (!(b->template = ck_template_new_default (&error)) || !(b->fonts = ck_font_set_new_default (&error)))
    g_error ("%s", error->message);
  b->signature = ck_sample_signature_new (400);
  b->signature_bytes = ck_signature_serialize (b->signature);

  print_load ("at start");
  if (!(b->pg = ck_test_pg_start (CK_TEST_PG_NONE, &error)))
    g_error ("the PostgreSQL server: %s", error->message);
  conninfo = admin_conninfo (b, CK_TEST_PG_DATABASE);
  b->admin = connect_or_die (conninfo);
  {
    PGresult *settings = admin_query (b->admin, "SELECT version (), current_setting ('shared_buffers'), "
                                                "current_setting ('max_wal_size'), current_setting ('fsync'), "
                                                "current_setting ('synchronous_commit'), "
                                                "current_setting ('full_page_writes')");

    g_print ("# %s; shared_buffers %s, max_wal_size %s, fsync %s, synchronous_commit %s, "
             "full_page_writes %s; data in %s\n",
             PQgetvalue (settings, 0, 0), PQgetvalue (settings, 0, 1), PQgetvalue (settings, 0, 2),
             PQgetvalue (settings, 0, 3), PQgetvalue (settings, 0, 4), PQgetvalue (settings, 0, 5),
             ck_test_pg_get_dir (b->pg));
    PQclear (settings);
  }
  {
    CkCentralParams params = { .url = conninfo };

    if (!(b->central = ck_central_connect (&params, &error)) || !ck_central_init_archive (b->central, 0, &error))
      g_error ("central init: %s", error->message);
  }
  if (pdf_storage)
    {
      g_autofree char *alter = NULL;

      if (!g_str_equal (pdf_storage, "EXTERNAL") && !g_str_equal (pdf_storage, "EXTENDED") &&
          !g_str_equal (pdf_storage, "MAIN"))
        g_error ("--pdf-storage: EXTERNAL, EXTENDED or MAIN");
      alter = g_strdup_printf ("ALTER TABLE ck.pdfs ALTER COLUMN data SET STORAGE %s", pdf_storage);
      admin_exec (b->admin, alter);
      g_print ("# experiment: %s (not the schema's)\n", alter);
    }

  /* The searches' archive first, in a database of its own, while the
   * server is new; then a checkpoint before each part, so that none
   * starts with another's dirty pages still to write. */
  if (central_consents > 0)
    {
      part_list (b, (guint)central_consents, (guint)kiosks, (guint)queries);
      admin_exec (b->admin, "CHECKPOINT");
    }
  print_load ("before the sync part");
  part_sync (b, (guint)consents, (guint)rounds, rates);
  part_bytes (b, b->admin, "bytes.real-pdfs");
  admin_exec (b->admin, "VACUUM ANALYZE");
  admin_exec (b->admin, "CHECKPOINT");
  if (per_save > 0)
    {
      print_load ("before the per-save part");
      part_per_save (b, (guint)per_save, rates[OVER_TLS]);
      admin_exec (b->admin, "CHECKPOINT");
    }
  if (initial > 0)
    {
      part_initial (b, (guint)initial);
      part_bytes (b, b->admin, "bytes.after-initial");
    }
  print_load ("at the end");

  g_clear_object (&b->central);
  PQfinish (b->admin);
  ck_test_pg_free (b->pg);
  ck_test_rm_rf (b->tmp);
  g_free (b->tmp);
  g_free (b->dir);
  g_clear_object (&b->template);
  g_clear_object (&b->fonts);
  g_clear_object (&b->signature);
  g_bytes_unref (b->signature_bytes);
  g_rand_free (b->rand);
  g_date_time_unref (b->created);

  return 0;
}
