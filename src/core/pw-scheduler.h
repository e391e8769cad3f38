/* pw-scheduler.h: the daily time of the upload, in local time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* A slot the wall clock jumped past (resume from suspend, a clock set
 * forward) still fires if the jump lands at most this long after it (s). */
#define PW_SCHEDULER_GRACE          3600
/* How often the wall clock is read (s). */
#define PW_SCHEDULER_CHECK_INTERVAL 30

#define PW_SCHEDULER_ERROR (pw_scheduler_error_quark ())
typedef enum {
  PW_SCHEDULER_ERROR_INVALID_TIME,  /* not a time of day in HH:MM form */
} PwSchedulerError;

#define PW_TYPE_SCHEDULER (pw_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (PwScheduler, pw_scheduler, PW, SCHEDULER, GObject)

GQuark       pw_scheduler_error_quark   (void);
gboolean     pw_scheduler_parse_time    (const char   *text,
                                         guint        *hour,
                                         guint        *minute,
                                         GError      **error);
gint64       pw_scheduler_next_run      (GTimeZone    *tz,
                                         guint         hour,
                                         guint         minute,
                                         gint64        now_unix);

PwScheduler *pw_scheduler_new           (PwStore      *store,
                                         const char   *time,
                                         GError      **error);
const char  *pw_scheduler_get_time      (PwScheduler  *self);
gboolean     pw_scheduler_set_time      (PwScheduler  *self,
                                         const char   *time,
                                         GError      **error);
gint64       pw_scheduler_get_next_run  (PwScheduler  *self);
gint64       pw_scheduler_get_last_slot (PwScheduler  *self);
void         pw_scheduler_run_now       (PwScheduler  *self);

G_END_DECLS
