/* verify-fixture.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck.h"
#include "ck-verify-queue-private.h"
#include "ck-test-mock.h"
#include "ck-test-util.h"

G_BEGIN_DECLS

#define ID_NUMBER "11010519491231002X"
#define ID_REVERSED "X20013219491501011"
#define ID_MASKED "110105********002X"
#define NAME      "张三"
#define REQUEST_ID "6A1B2C3D-0000-4000-8000-MOCK00000001"
/* What save_consent () stamps as the time of signing. */
#define CREATED_AT "2026-11-28T01:30:00.000000Z"
#define CREATED_MS G_GINT64_CONSTANT (1795829400000)

extern char *tmp_dir;
extern CkTestMock *mock;
/* Every message the run produced, logs included, for the final scan. */
extern GString *produced;

typedef struct
{
  char *dir;
  char *data;
  CkConfig *config;
  CkStore *store;
  CkVerifyQueue *queue;
  gint64 now_ms;       /* the injected clock */
} Fixture;

#define VERIFY_ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

void       verify_fixture_init   (int                 *argc,
                                  char              ***argv);
void       verify_fixture_finish (void);

void       add_produced          (const char          *text);
CkConfig  *make_config           (const char          *provider,
                                  guint                port,
                                  const char          *mode,
                                  guint                max_attempts);
void       fixture_open          (Fixture             *f,
                                  const char          *provider,
                                  guint                port,
                                  const char          *mode,
                                  guint                max_attempts);
void       fixture_set_up        (Fixture             *f,
                                  gconstpointer        data);
void       fixture_tear_down     (Fixture             *f,
                                  gconstpointer        data);
char      *save_consent_as       (Fixture             *f,
                                  const char          *name,
                                  const char          *id_number,
                                  const char          *sign_date);
char      *save_consent          (Fixture             *f);
void       db_exec               (Fixture             *f,
                                  const char          *sql);
void       assert_check_clean    (Fixture             *f);
void       give_attempts         (Fixture             *f,
                                  const char          *uuid,
                                  const char * const  *outcomes);
void       dump_table            (Fixture             *f,
                                  const char          *sql,
                                  GString             *out);
void       assert_clean_text     (const char          *text);
void       note                  (const CkVerification *v);
CkVerification *verify           (Fixture             *f,
                                  const char          *uuid,
                                  CkVerifyFlags        flags,
                                  GError             **error);
void       on_result             (GObject             *object,
                                  GAsyncResult        *result,
                                  gpointer             user_data);

G_END_DECLS
