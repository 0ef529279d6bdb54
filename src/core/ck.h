/* ck.h: everything libck offers, for the app, the CLI and the tests.
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ck-backup.h"
#include "ck-card-reader.h"
#include "ck-central.h"
#include "ck-central-query.h"
#include "ck-sync-queue.h"
#include "ck-config.h"
#include "ck-cups-print.h"
#include "ck-date.h"
#include "ck-export.h"
#include "ck-file.h"
#include "ck-flow.h"
#include "ck-font-set.h"
#include "ck-handwriting.h"
#include "ck-handwriting-trainer.h"
#include "ck-id-card.h"
#include "ck-idcard.h"
#include "ck-init.h"
#include "ck-name.h"
#include "ck-pdf.h"
#include "ck-pin.h"
#include "ck-pin-guard.h"
#include "ck-pinyin.h"
#include "ck-print-problem.h"
#include "ck-progress.h"
#include "ck-record-list.h"
#include "ck-sample-signature.h"
#include "ck-seal.h"
#include "ck-seal-queue.h"
#include "ck-seal-verify.h"
#include "ck-signature.h"
#include "ck-store.h"
#include "ck-stroke.h"
#include "ck-template.h"
#include "ck-tsa.h"
#include "ck-usage.h"
#include "ck-verify-queue.h"
#include "ck-verify-state.h"
#include "ck-voice.h"
