/* ck-test-mock.c: starting and watching the HTTPS mock of the verification API
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The test programs' side of tests/mock-idcert: make-certs.sh makes the
 * certificates at test time (the environment names it in
 * CK_MOCK_MAKE_CERTS, and the mock in CK_MOCK_IDCERT), then the mock runs
 * until its standard input closes. */

#include "config.h"

#include <stdio.h>

#include "ck-test-mock.h"

/**
 * ck_test_mock_clear_env:
 *
 * Takes away what would send the client elsewhere than the mock, or
 * with another AppCode: libcurl honours the proxy variables, the
 * configuration CK_APPCODE.
 */
void
ck_test_mock_clear_env (void)
{
  static const char * const names[] = {
    "CK_APPCODE", "https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
}

/**
 * ck_test_mock_write_appcode:
 * @dir: an existing folder
 *
 * Writes the made-up AppCode to DIR/appcode, mode 0600 as the kiosk
 * requires of an appcode_file.
 */
void
ck_test_mock_write_appcode (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "appcode", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, CK_TEST_APPCODE "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

/**
 * ck_test_mock_start:
 * @dir: an existing folder for the certificates and the request log
 *
 * Starts the mock the environment names (CK_MOCK_IDCERT,
 * CK_MOCK_MAKE_CERTS), as meson test sets it.
 *
 * Returns: (transfer full): the running mock; the test fails if it cannot
 *   start
 */
CkTestMock *
ck_test_mock_start (const char *dir)
{
  return ck_test_mock_start_with (dir, g_getenv ("CK_MOCK_IDCERT"), g_getenv ("CK_MOCK_MAKE_CERTS"));
}

/**
 * ck_test_mock_start_with:
 * @dir: an existing folder for the certificates and the request log
 * @program: tests/mock-idcert/ck-mock-idcert, built
 * @make_certs: tests/mock-idcert/make-certs.sh
 *
 * Returns: (transfer full): the running mock; the test fails if it cannot
 *   start
 */
CkTestMock *
ck_test_mock_start_with (const char *dir,
                         const char *program,
                         const char *make_certs)
{
  CkTestMock *mock = g_new0 (CkTestMock, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { make_certs, NULL, NULL };
  int status = 0;

  g_assert_nonnull (make_certs);
  g_assert_nonnull (program);

  mock->dir = g_strdup (dir);
  mock->cert_dir = g_build_filename (dir, "certs", NULL);
  mock->request_log = g_build_filename (dir, "requests.log", NULL);
  g_file_set_contents (mock->request_log, "", 0, &error);
  g_assert_no_error (error);

  argv[1] = mock->cert_dir;
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  mock->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    program, mock->cert_dir, mock->request_log, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "good=%u otherhost=%u untrusted=%u",
                           &mock->good_port, &mock->otherhost_port, &mock->untrusted_port), ==, 3);

  return mock;
}

/**
 * ck_test_mock_stop:
 *
 * Ends the mock (it must exit cleanly) and frees @mock.
 */
void
ck_test_mock_stop (CkTestMock *mock)
{
  g_autoptr(GError) error = NULL;

  /* Closing its standard input ends it. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (mock->process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (mock->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&mock->process);
  g_free (mock->dir);
  g_free (mock->cert_dir);
  g_free (mock->request_log);
  g_free (mock);
}

/**
 * ck_test_mock_read_requests:
 *
 * Returns: (transfer full): one line a request the mock received:
 *   METHOD, PATH, RAW QUERY, AUTHORIZATION and the connection's number,
 *   tab-separated
 */
char **
ck_test_mock_read_requests (CkTestMock *mock)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char **lines;
  guint n;

  g_file_get_contents (mock->request_log, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  if (n > 0 && *lines[n - 1] == '\0')
    {
      g_free (lines[n - 1]);
      lines[n - 1] = NULL;
    }

  return lines;
}

guint
ck_test_mock_count_requests (CkTestMock *mock)
{
  g_auto(GStrv) lines = ck_test_mock_read_requests (mock);

  return g_strv_length (lines);
}

/**
 * ck_test_mock_last_connection:
 *
 * Returns: the mock's number for the connection its last request came on
 *   (it numbers them 1, 2, … as they open)
 */
guint
ck_test_mock_last_connection (CkTestMock *mock)
{
  g_auto(GStrv) lines = ck_test_mock_read_requests (mock);
  g_auto(GStrv) fields = NULL;
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 0);
  fields = g_strsplit (lines[n - 1], "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 5);

  return (guint)g_ascii_strtoull (fields[4], NULL, 10);
}

/**
 * ck_test_mock_endpoint:
 * @port: one of the mock's ports
 * @mode: (nullable): the answer wanted (see the mock's handle ()); %NULL
 *   for a match ("01")
 *
 * Returns: (transfer full): the endpoint to configure
 */
char *
ck_test_mock_endpoint (CkTestMock *mock,
                       guint       port,
                       const char *mode)
{
  return mode ? g_strdup_printf ("https://127.0.0.1:%u/%s/idcard", port, mode)
              : g_strdup_printf ("https://127.0.0.1:%u/idcard", port);
}
