/* ck-test-util.h: helpers the test programs share
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a run of consentctl gave: its exit code and its output. */
typedef struct
{
  int status;
  char *out;
  char *err;
} CkTestRun;

/* A point of a handwriting fixture (tests/data/strokes/README.md). */
typedef struct
{
  double x;
  double y;
} CkTestPoint;

/* The message language and locale, as ck_test_locale_use_chinese() found
 * them. */
typedef struct
{
  char *language;
  char *locale;
} CkTestLocale;

/**
 * CkTestLogFilter:
 * @log_level: the message's level
 * @message: the message
 *
 * Returns: %TRUE to drop the message, %FALSE to log it
 */
typedef gboolean (*CkTestLogFilter) (GLogLevelFlags  log_level,
                                     const char     *message);

void       ck_test_log_set_filter (CkTestLogFilter     filter);
void       ck_test_rm_rf          (const char         *path);
char      *ck_test_run_tool       (const char * const *argv);
GBytes    *ck_test_load_hand      (void);
char      *ck_test_tree_digest    (const char         *root);
void       ck_test_assert_contains (const char        *haystack,
                                    const char        *needle);
guint      ck_test_strv_rank      (char              **strv,
                                   const char         *wanted);
gboolean   ck_test_locale_use_chinese (CkTestLocale   *saved);
void       ck_test_locale_restore (CkTestLocale       *saved);
GPtrArray *ck_test_load_strokes   (const char         *name,
                                   char              **intended);
void       ck_test_run_clear      (CkTestRun          *run);
void       ck_test_run_consentctl (CkTestRun          *run,
                                   const char * const *env,
                                   const char * const *argv);
GPtrArray *ck_test_consentctl_env (const char         *dir,
                                   const char         *system_conf);
void       ck_test_run_keeping    (CkTestRun          *run,
                                   GPtrArray          *env,
                                   const char * const *argv,
                                   const char         *secret);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkTestRun, ck_test_run_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CkTestLocale, ck_test_locale_restore)

G_END_DECLS
