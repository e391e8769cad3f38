/* pw-json.h: members for JsonBuilder, the way Printwatch writes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void pw_json_add_string (JsonBuilder *builder,
                         const char  *member,
                         const char  *value);
void pw_json_add_int    (JsonBuilder *builder,
                         const char  *member,
                         gint64       value);
void pw_json_add_time   (JsonBuilder *builder,
                         const char  *member,
                         gint64       unix_time);

G_END_DECLS
