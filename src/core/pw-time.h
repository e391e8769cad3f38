/* pw-time.h: times in words, for the sync window and its kin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *pw_time_describe_relative (gint64      when,
                                     gint64      now);
gboolean  pw_time_parse_day         (const char *text,
                                     gboolean    end_of_day,
                                     gint64     *unix_time);

G_END_DECLS
