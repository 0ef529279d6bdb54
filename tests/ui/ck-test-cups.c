/* ck-test-cups.c: a private CUPS scheduler with a cups-pdf queue for UI tests
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A CUPS scheduler of the test's own (cupsd with its own configuration,
 * spool and socket in a temporary directory) with a cups-pdf queue whose
 * output directory is temporary too: what the "printer" received lands
 * there as a PDF. libcups, GTK's CUPS backend and the CUPS tools talk to
 * this scheduler only (CUPS_SERVER).
 *
 * Usage, in main() before GTK is initialised:
 *
 *   cups = ck_test_cups_new ();      // sets CUPS_SERVER
 *
 * then in a test:
 *
 *   if (ck_test_cups_get_skip_reason (cups)) { g_test_skip (...); return; }
 *   ck_test_cups_start (cups);       // once; later calls do nothing
 *   print to ck_test_cups_get_printer (cups) ...
 *   pdf = ck_test_cups_wait_for_pdf (cups, 120);
 *
 * and ck_test_cups_free() at the end. cups-pdf reads its output directory
 * only from /etc/cups/cups-pdf-QUEUE.conf and its backend runs as root, so
 * this needs root; elsewhere the skip reason says so. */

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ck-test-cups.h"
#include "ck-test-util.h"
#include "ck-ui-test.h"

#define CUPSD         "/usr/sbin/cupsd"
#define CUPS_PDF      "/usr/lib/cups/backend/cups-pdf"
#define CUPS_PDF_PPD  "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
#define CUPS_CONF_DIR "/etc/cups"
#define QUEUE_PREFIX  "cktest"

struct _CkTestCups
{
  char *tmp_dir;
  char *socket_path;
  char *out_dir;
  char *queue;              /* the cups-pdf queue's own name, for its .conf */
  char *printer;            /* the CUPS printer */
  char *pass_printer;       /* the queue that keeps the PDF as a printer gets it */
  char *pass_file;          /* where it keeps it */
  char *queue_conf;         /* /etc/cups/cups-pdf-QUEUE.conf */
  char *skip_reason;
  GSubprocess *cupsd;
  GHashTable *seen;         /* output PDFs already returned */
};

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Runs @argv to its end; returns its standard output, NULL if it failed. */
static char *
run (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error) ||
      !g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_test_message ("%s failed: %s", argv[0], error ? error->message : err);
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * ck_test_pdf_pages:
 *
 * Returns: the number of pages of the PDF at @path, as pdfinfo counts them
 */
int
ck_test_pdf_pages (const char *path)
{
  g_autofree char *info = run ((const char * const[]) { "pdfinfo", path, NULL });
  const char *pages;

  g_assert_nonnull (info);
  pages = strstr (info, "\nPages:");
  g_assert_nonnull (pages);

  return atoi (pages + strlen ("\nPages:"));
}

/**
 * ck_test_pdf_text:
 *
 * Returns: (transfer full): the text of the PDF at @path, as pdftotext
 *   reads it, without any white space (a printer's PDF breaks lines and
 *   spaces its own way)
 */
char *
ck_test_pdf_text (const char *path)
{
  g_autofree char *text = run ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path,
                                                       "-", NULL });
  GString *packed = g_string_new (NULL);

  g_assert_nonnull (text);
  for (const char *c = text; *c; c = g_utf8_next_char (c))
    if (!g_unichar_isspace (g_utf8_get_char (c)))
      g_string_append_unichar (packed, g_utf8_get_char (c));

  return g_string_free (packed, FALSE);
}

/* Why CUPS with cups-pdf cannot run here, or NULL. */
static char *
check_can_run (void)
{
  g_autofree char *lpadmin = NULL;
  g_autofree char *lpstat = NULL;
  g_autofree char *pdfinfo = NULL;

  if (!g_file_test (CUPSD, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (CUPSD " is missing: install the Debian package cups (scripts/install-deps)");
  if (!g_file_test (CUPS_PDF, G_FILE_TEST_EXISTS) ||
      !g_file_test (CUPS_PDF_PPD, G_FILE_TEST_EXISTS))
    return g_strdup ("cups-pdf is missing: install printer-driver-cups-pdf (scripts/install-deps)");
  if (!(lpadmin = g_find_program_in_path ("lpadmin")) ||
      !(lpstat = g_find_program_in_path ("lpstat")) ||
      !(pdfinfo = g_find_program_in_path ("pdfinfo")))
    return g_strdup ("lpadmin, lpstat or pdfinfo is missing: install cups-client and "
                     "poppler-utils");
  if (geteuid () != 0)
    return g_strdup ("not root: cups-pdf reads its output directory only from "
                     CUPS_CONF_DIR "/cups-pdf-QUEUE.conf, which only root may write, and its "
                     "backend must run as root under cupsd");
  if (access (CUPS_CONF_DIR, W_OK) != 0)
    return g_strdup_printf ("%s is not writable: %s", CUPS_CONF_DIR, g_strerror (errno));

  return NULL;
}

/* Queue configurations a crashed run left behind (their pid is gone). */
static void
remove_stale_queue_confs (void)
{
  const char *prefix = "cups-pdf-" QUEUE_PREFIX;
  g_autoptr(GDir) dir = g_dir_open (CUPS_CONF_DIR, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *digits = NULL;
      g_autofree char *path = NULL;
      guint64 pid;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".conf"))
        continue;

      digits = g_strndup (name + strlen (prefix),
                          strlen (name) - strlen (prefix) - strlen (".conf"));
      path = g_build_filename (CUPS_CONF_DIR, name, NULL);
      if (g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT, &pid, NULL) &&
          kill ((pid_t)pid, 0) != 0 && errno == ESRCH)
        g_unlink (path);
    }
}

/**
 * ck_test_cups_new:
 *
 * Chooses the temporary directory and the printer's name, and points
 * libcups, the CUPS clients and GTK's print backend at the private
 * scheduler (CUPS_SERVER). Call it in main() before GTK is initialised.
 * Starts nothing:
 * ck_test_cups_start() does.
 *
 * Returns: (transfer full): the private CUPS, not running yet
 */
CkTestCups *
ck_test_cups_new (void)
{
  CkTestCups *self = g_new0 (CkTestCups, 1);
  g_autoptr(GError) error = NULL;

  self->tmp_dir = g_dir_make_tmp ("ck-test-cups-XXXXXX", &error);
  g_assert_no_error (error);
  self->socket_path = g_build_filename (self->tmp_dir, "cups.sock", NULL);
  self->out_dir = g_build_filename (self->tmp_dir, "out", NULL);
  self->queue = g_strdup_printf (QUEUE_PREFIX "%d", (int)getpid ());
  self->printer = g_strdup_printf ("CkTest_%d", (int)getpid ());
  self->pass_printer = g_strdup_printf ("CkTestPass_%d", (int)getpid ());
  self->pass_file = g_build_filename (self->tmp_dir, "out", "passed.pdf", NULL);
  self->queue_conf = g_strdup_printf (CUPS_CONF_DIR "/cups-pdf-%s.conf", self->queue);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->skip_reason = check_can_run ();
  if (self->skip_reason == NULL)
    remove_stale_queue_confs ();

  g_setenv ("CUPS_SERVER", self->socket_path, TRUE);

  return self;
}

/**
 * ck_test_cups_get_skip_reason:
 *
 * Returns: (nullable): why the private CUPS cannot run here (for
 *   g_test_skip()), or %NULL when it can
 */
const char *
ck_test_cups_get_skip_reason (CkTestCups *self)
{
  return self->skip_reason;
}

/* cupsd dies with the test, even one that aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
socket_exists (gpointer data)
{
  CkTestCups *self = data;

  return g_file_test (self->socket_path, G_FILE_TEST_EXISTS);
}

/**
 * ck_test_cups_start:
 *
 * Starts the scheduler and adds the cups-pdf printer; does nothing when
 * they run already. Only where ck_test_cups_get_skip_reason() is %NULL.
 */
void
ck_test_cups_start (CkTestCups *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files_conf = NULL;
  g_autofree char *cupsd_conf = NULL;
  g_autofree char *queue_conf = NULL;
  g_autofree char *files_path = NULL;
  g_autofree char *cupsd_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *added = NULL;
  const char *dirs[] = { "conf", "spool", "spool/tmp", "cache", "state", "log", "out", NULL };

  g_assert_null (self->skip_reason);
  if (self->cupsd)
    return;

  for (guint i = 0; dirs[i]; i++)
    {
      g_autofree char *dir = g_build_filename (self->tmp_dir, dirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      /* Filters run as lp, cups-pdf writes as the job's owner. */
      g_assert_cmpint (g_chmod (dir, 01777), ==, 0);
    }
  g_assert_cmpint (g_chmod (self->tmp_dir, 0755), ==, 0);

  files_conf = g_strdup_printf ("ServerRoot %1$s/conf\n"
                                "RequestRoot %1$s/spool\n"
                                "TempDir %1$s/spool/tmp\n"
                                "CacheDir %1$s/cache\n"
                                "StateDir %1$s/state\n"
                                "AccessLog %1$s/log/access_log\n"
                                "ErrorLog %1$s/log/error_log\n"
                                "PageLog %1$s/log/page_log\n"
                                "User lp\n"
                                "Group lp\n"
                                "SystemGroup root\n"
                                "FileDevice Yes\n", self->tmp_dir);
  files_path = g_build_filename (self->tmp_dir, "cups-files.conf", NULL);
  write_file (files_path, files_conf);
  cupsd_conf = g_strdup_printf ("LogLevel debug\n"
                                "Listen %s\n"
                                "Browsing Off\n"
                                "WebInterface No\n"
                                "DefaultAuthType None\n"
                                "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                                "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
                                "<Policy default>\n  <Limit All>\n    Order deny,allow\n"
                                "  </Limit>\n</Policy>\n", self->socket_path);
  cupsd_path = g_build_filename (self->tmp_dir, "cupsd.conf", NULL);
  write_file (cupsd_path, cupsd_conf);

  /* cups-pdf takes a queue's settings from /etc/cups/cups-pdf-QUEUE.conf,
   * QUEUE from its device URI cups-pdf:/QUEUE. */
  queue_conf = g_strdup_printf ("Out %1$s\nAnonDirName %1$s\nLabel 0\n", self->out_dir);
  write_file (self->queue_conf, queue_conf);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->cupsd = g_subprocess_launcher_spawn (launcher, &error, CUPSD, "-f", "-c", cupsd_path,
                                             "-s", files_path, NULL);
  g_assert_no_error (error);
  ck_ui_wait_until (socket_exists, self, 20, "cupsd's socket");

  device = g_strdup_printf ("cups-pdf:/%s", self->queue);
  added = run ((const char * const[]) { "lpadmin", "-p", self->printer, "-E", "-v", device,
                                        "-P", CUPS_PDF_PPD, NULL });
  g_assert_nonnull (added);

  /* cups-pdf prints through PostScript and Ghostscript, which keep how
   * the text looks but not which characters it is (pdftotext reads
   * nonsense from its CJK). The pass-through queue keeps the PDF as CUPS
   * hands it to a driverless printer (pdftopdf's output) in a file. */
  {
    g_autofree char *ppd = NULL;
    g_autofree char *pass_ppd = g_build_filename (self->tmp_dir, "pass.ppd", NULL);
    g_autofree char *pass_device = g_strconcat ("file://", self->pass_file, NULL);
    g_autofree char *pass_added = NULL;
    g_autofree char *with_filter = NULL;

    g_file_get_contents (CUPS_PDF_PPD, &ppd, NULL, &error);
    g_assert_no_error (error);
    with_filter = g_strconcat (ppd, "\n*cupsFilter2: \"application/vnd.cups-pdf application/pdf "
                               "0 -\"\n", NULL);
    write_file (pass_ppd, with_filter);
    pass_added = run ((const char * const[]) { "lpadmin", "-p", self->pass_printer, "-E", "-v",
                                               pass_device, "-P", pass_ppd, NULL });
    g_assert_nonnull (pass_added);
  }
}

/**
 * ck_test_cups_get_pass_printer:
 *
 * Returns: the pass-through printer's CUPS name: what it is sent lands in
 *   ck_test_cups_get_pass_file() as the PDF a driverless printer gets
 */
const char *
ck_test_cups_get_pass_printer (CkTestCups *self)
{
  return self->pass_printer;
}

/**
 * ck_test_cups_get_pass_file:
 *
 * Returns: the file the pass-through printer's last job was written to
 */
const char *
ck_test_cups_get_pass_file (CkTestCups *self)
{
  return self->pass_file;
}

/**
 * ck_test_cups_get_printer:
 *
 * Returns: the cups-pdf printer's CUPS name, to print to
 */
const char *
ck_test_cups_get_printer (CkTestCups *self)
{
  return self->printer;
}

/**
 * ck_test_cups_get_output_dir:
 *
 * Returns: the directory cups-pdf writes what it printed into
 */
const char *
ck_test_cups_get_output_dir (CkTestCups *self)
{
  return self->out_dir;
}

typedef struct
{
  CkTestCups *self;
  char *path;
} Printed;

/* Whether the PDF at @path is whole: cups-pdf writes it in pieces, and
 * the last thing in a PDF is its %%EOF marker. */
static gboolean
pdf_is_whole (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &contents, &length, NULL) && length > 16 &&
         g_strrstr_len (contents + length - 16, 16, "%%EOF") != NULL;
}

/* A PDF cups-pdf finished writing in out/ (whole, and untouched for a
 * second: mtimes have whole seconds, so that alone can be a moment) that
 * was not returned before. */
static gboolean
find_printed (gpointer data)
{
  Printed *printed = data;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (printed->path)
    return TRUE;

  dir = g_dir_open (printed->self->out_dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (printed->self->out_dir, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".pdf") &&
          !g_hash_table_contains (printed->self->seen, path) &&
          g_stat (path, &st) == 0 && st.st_size > 0 &&
          (g_get_real_time () / G_USEC_PER_SEC) - st.st_mtime >= 1 && pdf_is_whole (path))
        {
          printed->path = g_steal_pointer (&path);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ck_test_cups_wait_for_pdf:
 *
 * Runs the main loop until cups-pdf has written a job's PDF that no
 * earlier call returned; fails the test after @seconds.
 *
 * Returns: (transfer full): the printed PDF's path
 */
char *
ck_test_cups_wait_for_pdf (CkTestCups *self,
                           double      seconds)
{
  Printed printed = { self, NULL };

  ck_ui_wait_until (find_printed, &printed, seconds, "cups-pdf's output");
  g_hash_table_add (self->seen, g_strdup (printed.path));
  g_test_message ("printed: %s", printed.path);

  return printed.path;
}

/**
 * ck_test_cups_count_jobs:
 *
 * Returns: how many jobs the printer was given, finished or not
 */
guint
ck_test_cups_count_jobs (CkTestCups *self)
{
  g_autofree char *jobs = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_nonnull (self->cupsd);
  jobs = run ((const char * const[]) { "lpstat", "-W", "all", "-o", self->printer, NULL });
  g_assert_nonnull (jobs);
  lines = g_strsplit (jobs, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], self->printer))
      n++;

  return n;
}

/**
 * ck_test_cups_run:
 * @argv: a CUPS tool and its arguments (lpadmin, cupsdisable, …)
 *
 * Runs @argv against the private scheduler; fails the test if it fails.
 */
void
ck_test_cups_run (CkTestCups         *self,
                  const char * const *argv)
{
  g_autofree char *out = NULL;

  g_assert_nonnull (self->cupsd);
  out = run (argv);
  g_assert_nonnull (out);
}

/**
 * ck_test_cups_free:
 *
 * Stops the scheduler, removes the queue's configuration and the
 * temporary directory.
 */
void
ck_test_cups_free (CkTestCups *self)
{
  if (self == NULL)
    return;

  if (self->cupsd)
    {
      g_subprocess_send_signal (self->cupsd, SIGTERM);
      g_subprocess_wait (self->cupsd, NULL, NULL);
      g_clear_object (&self->cupsd);
    }
  if (self->skip_reason == NULL)
    g_unlink (self->queue_conf);
  ck_test_rm_rf (self->tmp_dir);
  g_free (self->tmp_dir);
  g_free (self->socket_path);
  g_free (self->out_dir);
  g_free (self->queue);
  g_free (self->printer);
  g_free (self->pass_printer);
  g_free (self->pass_file);
  g_free (self->queue_conf);
  g_free (self->skip_reason);
  g_hash_table_unref (self->seen);
  g_free (self);
}
