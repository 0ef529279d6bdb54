/* ck-test-util.c: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
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
