/* pw-scheduler-private.h: a scheduler on another clock, for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-scheduler.h"

G_BEGIN_DECLS

/* Returns the wall clock in unix seconds. */
typedef gint64 (*PwSchedulerClock) (gpointer user_data);

/* @tz: (nullable): the zone of the daily time; %NULL for the local one.
 * @clock: (nullable): read once per check; %NULL for the system's.
 * @check_interval_ms: 0 for PW_SCHEDULER_CHECK_INTERVAL. */
PwScheduler *_pw_scheduler_new_full (PwStore           *store,
                                     const char        *time,
                                     GTimeZone         *tz,
                                     PwSchedulerClock   clock,
                                     gpointer           clock_data,
                                     guint              check_interval_ms,
                                     GError           **error);

G_END_DECLS
