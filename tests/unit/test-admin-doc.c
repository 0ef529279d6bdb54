/* test-admin-doc.c: docs/ADMIN.md documents every configuration key
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ck.h"

/* The configuration reference of docs/ADMIN.md has a "### `[GROUP]`" section
 * per group, with a table row "| `KEY` | type, range | default | meaning |"
 * per key. Returns the row of @key in @group's section, or NULL. */
static char *
find_key_row (const char *doc,
              const char *group,
              const char *key)
{
  g_autofree char *heading = g_strdup_printf ("\n### `[%s]`\n", group);
  g_autofree char *cell = g_strdup_printf ("\n| `%s` |", key);
  const char *section = strstr (doc, heading);
  const char *end;
  const char *row;

  if (section == NULL)
    return NULL;
  section += strlen (heading) - 1;
  /* The section ends at the next heading of level 2 or 3. */
  end = section + strlen (section);
  for (const char *h = strstr (section, "\n#"); h != NULL; h = strstr (h + 1, "\n#"))
    if (g_str_has_prefix (h, "\n## ") || g_str_has_prefix (h, "\n### "))
      {
        end = h;
        break;
      }

  row = strstr (section, cell);
  if (row == NULL || row >= end)
    return NULL;
  row++;
  return g_strndup (row, strcspn (row, "\n"));
}

static char *
read_admin_doc (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "ADMIN.md", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Every key the code knows (what consentctl config lists) has its row: a
 * key added to ck-config.c without documentation fails here. */
static void
test_every_key_documented (void)
{
  g_autofree char *doc = read_admin_doc ();
  guint n_keys = ck_config_get_n_keys ();

  g_assert_cmpuint (n_keys, >, 0);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *group = NULL;
      const char *key = NULL;
      g_autofree char *row = NULL;
      g_auto(GStrv) cells = NULL;

      ck_config_get_key (i, &group, &key);
      row = find_key_row (doc, group, key);
      if (row == NULL)
        {
          g_test_message ("[%s] %s has no row in the configuration reference of docs/ADMIN.md",
                          group, key);
          g_test_fail ();
          continue;
        }

      /* "| key | type | default | meaning |" splits into 6: the outer two empty. */
      cells = g_strsplit (row, " | ", -1);
      if (g_strv_length (cells) != 4)
        {
          g_test_message ("[%s] %s: the row needs 4 cells (key, type and range, default, "
                          "meaning): %s", group, key, row);
          g_test_fail ();
          continue;
        }
      for (guint c = 0; c < 4; c++)
        {
          g_autofree char *text = g_strstrip (g_strdup (cells[c]));
          if (g_strcmp0 (text, "|") == 0 || text[0] == '\0')
            {
              g_test_message ("[%s] %s: cell %u is empty: %s", group, key, c + 1, row);
              g_test_fail ();
            }
        }
    }
}

/* The check above can tell a missing key: a made-up one is not found, nor a
 * real key looked for in the wrong group. */
static void
test_lookup_can_fail (void)
{
  g_autofree char *doc = read_admin_doc ();
  g_autofree char *row = find_key_row (doc, "kiosk", "idle_timeout_s");
  g_autofree char *made_up = find_key_row (doc, "kiosk", "no_such_key");
  g_autofree char *wrong_group = find_key_row (doc, "organization", "idle_timeout_s");

  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (row, "| `idle_timeout_s` |"));
  g_assert_null (made_up);
  g_assert_null (wrong_group);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ck_init ();

  g_test_add_func ("/admin-doc/every-key-documented", test_every_key_documented);
  g_test_add_func ("/admin-doc/lookup-can-fail", test_lookup_can_fail);

  return g_test_run ();
}
