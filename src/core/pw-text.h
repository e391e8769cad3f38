/* pw-text.h: making text from printers and the network safe to keep and show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text kept from a printer for one field, in characters. */
#define PW_TEXT_MAX_CHARS 1024

char *pw_text_sanitize (const char *data,
                        gssize      len,
                        gsize       max_chars);

G_END_DECLS
