/* pw-json.c: members for JsonBuilder, the way Printwatch writes them:
 * unknown values as null, times as ISO 8601 in UTC ("2026-11-25T06:00:00Z").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-json.h"

/* @value: (nullable): written as null when %NULL */
void
pw_json_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
pw_json_add_int (JsonBuilder *builder,
                 const char  *member,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* @unix_time: seconds; 0 or less (never) is written as null */
void
pw_json_add_time (JsonBuilder *builder,
                  const char  *member,
                  gint64       unix_time)
{
  g_autoptr(GDateTime) when = unix_time > 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
  g_autofree char *text = when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  pw_json_add_string (builder, member, text);
}
