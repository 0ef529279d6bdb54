/* ck-test-util.c: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>

#include "ck-test-util.h"

/**
 * ck_test_rm_rf:
 * @path: a file or folder a test made
 *
 * Removes @path and everything under it, making folders writable first
 * (tests take permissions away). Symbolic links are removed, not followed.
 */
void
ck_test_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          ck_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/**
 * ck_test_mock_idcert_start:
 * @program: the mock (tests/mock-idcert/ck-mock-idcert)
 * @make_certs: tests/mock-idcert/make-certs.sh
 * @cert_dir: where the certificates go (made with openssl, now)
 * @request_log: the mock appends a line a request here
 * @ports: (out): where it listens
 *
 * Makes the mock's certificates and starts it; it listens once this
 * returns. Any failure is a failed assertion.
 *
 * Returns: (transfer full): the mock; end it with ck_test_mock_idcert_stop()
 */
GSubprocess *
ck_test_mock_idcert_start (const char      *program,
                           const char      *make_certs,
                           const char      *cert_dir,
                           const char      *request_log,
                           CkTestMockPorts *ports)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { make_certs, cert_dir, NULL };
  GSubprocess *mock;
  int status = 0;

  g_assert_nonnull (program);
  g_assert_nonnull (make_certs);

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           program, cert_dir, request_log, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "good=%u otherhost=%u untrusted=%u",
                           &ports->good, &ports->otherhost, &ports->untrusted), ==, 3);

  return mock;
}

/**
 * ck_test_mock_idcert_stop:
 * @mock: (transfer full): what ck_test_mock_idcert_start() returned
 *
 * Ends the mock (closing its standard input does) and waits for it.
 */
void
ck_test_mock_idcert_stop (GSubprocess *mock)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (mock), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (mock, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (mock);
}
