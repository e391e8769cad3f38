/* pw-history.h: what a device's meter history says, day by day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-store.h"

G_BEGIN_DECLS

/* Pages printed on one local day. */
typedef struct {
  gint64 day;    /* unix seconds of the day's local midnight */
  gint64 pages;  /* -1: no two readings tell */
} PwDailyPages;

GArray *pw_history_pages_per_day     (GPtrArray            *snapshots,
                                      GTimeZone            *tz,
                                      gint64                now,
                                      guint                 n_days);
void    pw_history_load_pages_async  (PwStore              *store,
                                      gint64                device_id,
                                      guint                 n_days,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GArray *pw_history_load_pages_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
