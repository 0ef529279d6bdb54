/* ck-file.h
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *ck_file_read_regular (const char  *path,
                              gsize        max_bytes,
                              GError     **error);

G_END_DECLS
