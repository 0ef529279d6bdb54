/* ck-test-card-sim.h: a second-generation ID card reader on a
 * pseudo-terminal, for the tests, the benchmark and tests/card-sim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Synthetic cards, made at run time with ck_id_card_encode() (never a
 * real person's data): the numbers' check characters are computed. */
typedef enum
{
  CK_TEST_CARD_NORMAL,          /* 王试样, male, valid to 2040 */
  CK_TEST_CARD_RARE_NAME,       /* 刘䶮 (U+4DAE), female */
  CK_TEST_CARD_LONG_TERM,       /* valid to 长期 */
  CK_TEST_CARD_EXPIRED,         /* valid to 2020-01-01 */
  CK_TEST_CARD_BAD_CHECK,       /* the number's check character is wrong */
  CK_TEST_CARD_BIRTH_MISMATCH,  /* the card's birth date is not the number's */
  CK_TEST_CARD_N_KINDS
} CkTestCardKind;

/* How the simulated reader misbehaves. */
typedef enum
{
  CK_TEST_CARD_FAULT_NONE,
  CK_TEST_CARD_FAULT_BAD_CHECKSUM,    /* the read's answer has a wrong checksum */
  CK_TEST_CARD_FAULT_GARBAGE,         /* garbage before every answer's preamble */
  CK_TEST_CARD_FAULT_SPLIT,           /* every answer in pieces, with pauses between */
  CK_TEST_CARD_FAULT_NO_ANSWER,       /* requests are read and not answered */
  CK_TEST_CARD_FAULT_CLOSE_MID_READ,  /* the device closes half-way through the read's answer */
} CkTestCardFault;

typedef struct _CkTestCardSim CkTestCardSim;

GBytes        *ck_test_card_make          (CkTestCardKind  kind);
const char    *ck_test_card_kind_to_string (CkTestCardKind kind);
gboolean       ck_test_card_kind_from_string (const char   *name,
                                              CkTestCardKind *kind);
/* The number written on @kind's card. */
char          *ck_test_card_dup_number    (CkTestCardKind  kind);

CkTestCardSim *ck_test_card_sim_new       (void);
void           ck_test_card_sim_free      (CkTestCardSim  *self);
const char    *ck_test_card_sim_get_path  (CkTestCardSim  *self);

void           ck_test_card_sim_place     (CkTestCardSim  *self,
                                           CkTestCardKind  kind);
void           ck_test_card_sim_place_text (CkTestCardSim *self,
                                            GBytes        *text);
void           ck_test_card_sim_remove    (CkTestCardSim  *self);
void           ck_test_card_sim_set_fault (CkTestCardSim  *self,
                                           CkTestCardFault fault);
/* Answer command @cmd with status @sw3 (0: as a reader would). */
void           ck_test_card_sim_set_status (CkTestCardSim *self,
                                            guint8         cmd,
                                            guint8         para,
                                            guint8         sw3);
/* Write answers at @baud (10 bits a byte) as a serial line would; 0: at once. */
void           ck_test_card_sim_set_baud  (CkTestCardSim  *self,
                                           guint           baud);

/* Requests received so far with this command (all: cmd 0). */
guint          ck_test_card_sim_count_requests (CkTestCardSim *self,
                                                guint8         cmd,
                                                guint8         para);
/* g_get_monotonic_time() when the simulator last answered find with a
 * card (9F), or 0. */
gint64         ck_test_card_sim_get_found_time (CkTestCardSim *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CkTestCardSim, ck_test_card_sim_free)

G_END_DECLS
