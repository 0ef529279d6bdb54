/* store-saver.c: saves consents in a loop, for test-store-crash
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Linked with the fault-injection build of the core: CK_FAULT_POINT=<step>
 * kills this process at that step of the save protocol. Prints "open"
 * once the store is open, then each committed consent's uuid, one a line,
 * flushed, so that the test knows what must have survived a kill.
 *
 * With --revise each consent is saved with a 'seal' job, then a revision
 * is appended to its PDF (as the sealing queue does) and "+UUID" printed
 * once that is committed.
 *
 * Usage: store-saver [--count N] [--arm-after K] [--seed S] [--revise] DATA_DIR
 *   --count N      save N consents, then exit 0 (default 0: until killed)
 *   --arm-after K  ignore CK_FAULT_POINT for the first K saves
 *   --revise       append a revision to each consent's PDF after saving it */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck.h"

#define BIG_MIN   150000
#define BIG_MAX   400000

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CkStore) store = NULL;
  g_autoptr(CkSignature) signature = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *fault = g_strdup (g_getenv ("CK_FAULT_POINT"));
  g_autofree guint8 *noise = NULL;
  int count = 0, arm_after = 0, seed = 0;
  gboolean revise = FALSE;
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "How many to save (0: until killed)", "N" },
    { "arm-after", 0, 0, G_OPTION_ARG_INT, &arm_after, "Saves before CK_FAULT_POINT applies", "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (0: any)", "S" },
    { "revise", 0, 0, G_OPTION_ARG_NONE, &revise, "Append a revision to each PDF", NULL },
    { NULL }
  };

  context = g_option_context_new ("DATA_DIR");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("store-saver: %s\n", error ? error->message : "one DATA_DIR, please");
      return 2;
    }

  rand = seed ? g_rand_new_with_seed (seed) : g_rand_new ();
  if (arm_after > 0)
    g_unsetenv ("CK_FAULT_POINT");

  /* Large PDFs are slices of this, so that kills land mid-write too. */
  noise = g_malloc (BIG_MAX);
  for (guint i = 0; i < BIG_MAX; i++)
    noise[i] = (guint8)g_rand_int_range (rand, 0, 256);

  signature = ck_sample_signature_new (120);
  signature_bytes = ck_signature_serialize (signature);

  store = ck_store_open (argv[1], CK_STORE_OPEN_RECOVER, &error);
  if (store == NULL)
    {
      g_printerr ("store-saver: %s\n", error->message);
      return 1;
    }
  printf ("open\n");
  fflush (stdout);

  for (int i = 0; count == 0 || i < count; i++)
    {
      g_autoptr(CkConsentRecord) r = ck_consent_record_new ();
      g_autoptr(GString) pdf_text = g_string_new ("%PDF-1.4\n% consent ");
      g_autoptr(GBytes) pdf = NULL;
      guint month = 1 + g_rand_int_range (rand, 0, 12);
      guint day = 1 + g_rand_int_range (rand, 0, 28);
      gsize size;

      if (i == arm_after && fault)
        g_setenv ("CK_FAULT_POINT", fault, TRUE);

      r->uuid = g_uuid_string_random ();
      r->sign_date = g_strdup_printf ("2026-%02u-%02u", month, day);
      r->created_at = g_strdup_printf ("%sT09:00:00.000000Z", r->sign_date);
      r->name = g_strdup_printf ("测试%d", i);
      r->id_number = g_strdup_printf ("1101051990%08d", g_rand_int_range (rand, 0, 100000000));
      r->org_name = g_strdup ("示例银行股份有限公司");
      r->org_business = g_strdup ("个人贷款");
      r->org_purpose = g_strdup ("身份核验和风险管理");
      r->template_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "letter", -1);
      r->signature = g_bytes_ref (signature_bytes);
      r->kiosk_id = g_strdup ("crash-test");

      /* One in four a few hundred KB, the rest a few KB. */
      g_string_append_printf (pdf_text, "%s\n", r->uuid);
      size = g_rand_int_range (rand, 0, 4) == 0
             ? (gsize)g_rand_int_range (rand, BIG_MIN, BIG_MAX)
             : (gsize)g_rand_int_range (rand, 1000, 8000);
      g_string_append_len (pdf_text, (const char *)noise, size);
      pdf = g_string_free_to_bytes (g_steal_pointer (&pdf_text));

      if (!ck_store_save_full (store, r, pdf, revise ? CK_SEAL_JOB_SEAL : CK_SEAL_JOB_NONE, &error))
        {
          g_printerr ("store-saver: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", r->uuid);
      fflush (stdout);

      if (revise)
        {
          g_autoptr(GByteArray) revised = g_byte_array_new ();
          g_autoptr(GBytes) revised_pdf = NULL;
          gsize len, tail = (gsize)g_rand_int_range (rand, 100, 6000);
          const guint8 *data = g_bytes_get_data (pdf, &len);

          /* The whole stored file, then an "incremental update". */
          g_byte_array_append (revised, data, (guint)len);
          g_byte_array_append (revised, (const guint8 *)"\n% revision\n", 13);
          g_byte_array_append (revised, noise + BIG_MAX - tail, (guint)tail);
          revised_pdf = g_byte_array_free_to_bytes (g_steal_pointer (&revised));
          if (!ck_store_append_pdf_revision (store, r->uuid, revised_pdf, "seal", "sealed", &error))
            {
              g_printerr ("store-saver: %s\n", error->message);
              return 1;
            }
          printf ("+%s\n", r->uuid);
          fflush (stdout);
        }
    }

  return 0;
}
