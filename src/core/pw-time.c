/* pw-time.c: times in words, for the sync window and its kin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-time.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

/**
 * pw_time_describe_relative:
 * @when: unix seconds; 0 or less means never
 * @now: unix seconds
 *
 * Returns: (transfer full): "just now", "5 minutes ago", "in 3 hours",
 *   "2 days ago", "never", in the user's language
 */
char *
pw_time_describe_relative (gint64 when,
                           gint64 now)
{
  gint64 delta = now - when;
  gboolean future = delta < 0;
  guint64 span = future ? (guint64) -delta : (guint64) delta;
  gulong n;

  if (when <= 0)
    return g_strdup (_("never"));
  if (span < 60)
    return g_strdup (_("just now"));
  if (span < 3600)
    {
      n = (gulong) (span / 60);
      return future ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %lu minute", "in %lu minutes", n), n)
                    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu minute ago", "%lu minutes ago", n), n);
    }
  if (span < 2 * 86400)
    {
      n = (gulong) (span / 3600);
      return future ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %lu hour", "in %lu hours", n), n)
                    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu hour ago", "%lu hours ago", n), n);
    }
  n = (gulong) (span / 86400);
  return future ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %lu day", "in %lu days", n), n)
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu day ago", "%lu days ago", n), n);
}

/**
 * pw_time_parse_day:
 * @text: a day, "2026-11-24"
 * @end_of_day: give the midnight after the day rather than the one that begins it
 * @unix_time: (out): that local midnight, in unix seconds
 *
 * Returns: %FALSE when @text is not a day of the calendar
 */
gboolean
pw_time_parse_day (const char *text,
                   gboolean    end_of_day,
                   gint64     *unix_time)
{
  g_autoptr(GDateTime) day = NULL;
  int year = 0, month = 0, mday = 0, n = 0;

  g_return_val_if_fail (unix_time != NULL, FALSE);

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%n", &year, &month, &mday, &n) != 3 || text[n] != '\0')
    return FALSE;
  day = g_date_time_new_local (year, month, mday, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  if (end_of_day)
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = next;
    }
  *unix_time = g_date_time_to_unix (day);
  return TRUE;
}
