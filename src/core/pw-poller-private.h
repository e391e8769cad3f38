/* pw-poller-private.h: what the poller's files share: the columns a poll
 * walks, and making a snapshot of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-poller.h"

G_BEGIN_DECLS

/* The walks of one poll, in the order they are started: the system group
 * first, as it tells which credentials answer. */
enum {
  WALK_SYSTEM,
  WALK_IF_PHYS_ADDRESS,
  WALK_HR_DEVICE_TYPE,
  WALK_HR_DEVICE_DESCR,
  WALK_HR_DEVICE_STATUS,
  WALK_HR_PRINTER_STATUS,
  WALK_HR_PRINTER_ERRORS,
  WALK_PRINTER_NAME,
  WALK_SERIAL,
  WALK_MARKER_UNIT,
  WALK_MARKER_LIFE_COUNT,
  WALK_SUPPLY_COLORANT,
  WALK_SUPPLY_CLASS,
  WALK_SUPPLY_TYPE,
  WALK_SUPPLY_DESCR,
  WALK_SUPPLY_UNIT,
  WALK_SUPPLY_MAX,
  WALK_SUPPLY_LEVEL,
  WALK_COLORANT_VALUE,
  WALK_ALERT_SEVERITY,
  WALK_ALERT_TRAINING,
  WALK_ALERT_GROUP,
  WALK_ALERT_GROUP_INDEX,
  WALK_ALERT_LOCATION,
  WALK_ALERT_CODE,
  WALK_ALERT_DESCR,
  WALK_ALERT_TIME,
  WALK_DEVICE_ID,
  N_WALKS
};

typedef struct {
  const char *oid;       /* numeric, the column or group walked */
  guint       max_rows;  /* the most rows read of it */
} PwPollerWalk;

extern const PwPollerWalk _pw_poller_walks[N_WALKS];

PwSnapshot *_pw_poller_build_snapshot (GPtrArray **columns,
                                       gint64      taken_at);

G_END_DECLS
