/* pw-poller-private.h: what the poller's files share: the columns a poll
 * walks, and making a snapshot of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-poller.h"
#include "pw-profile.h"

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
  WALK_MARKER_POWER_ON_COUNT,
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
  WALK_INPUT,
  WALK_OUTPUT,
  WALK_MEDIA_PATH_TYPE,
  WALK_FINISHER,
  WALK_MEMORY,
  WALK_STORAGE,
  WALK_ENTITY_CLASS,
  WALK_ENTITY_FIRMWARE,
  WALK_ENTITY_SOFTWARE,
  WALK_ENTITY_SERIAL,
  N_WALKS
};

/* Few rows: scalars, or one row per marker, interface or hrDevice entry. */
#define SMALL_TABLE_ROWS 64
/* Rows read at most of a vendor's counter table. */
#define PW_POLLER_COUNTER_TABLE_ROWS 256

#define PRT_INPUT_ENTRY  "1.3.6.1.2.1.43.8.2.1"
#define PRT_OUTPUT_ENTRY "1.3.6.1.2.1.43.9.2.1"
#define FIN_DEVICE_ENTRY "1.3.6.1.2.1.43.30.1.1"
#define HR_STORAGE_ENTRY "1.3.6.1.2.1.25.2.3.1"
#define HR_STORAGE_FIXED_DISK "1.3.6.1.2.1.25.2.1.4"
#define ENTITY_CLASS_CHASSIS 3

/* Columns read of a table entry, ascending, 0-terminated. */
#define PW_POLLER_MAX_ENTRY_COLUMNS 8

typedef struct {
  const char *oid;       /* numeric, the column or group walked */
  guint       max_rows;  /* the most rows read of it (of each column, for an entry) */
  /* For a table entry: only these columns of it are walked, their rows
   * kept one column after the other, as a walk of the entry has them. */
  guint8      columns[PW_POLLER_MAX_ENTRY_COLUMNS];
} PwPollerWalk;

extern const PwPollerWalk _pw_poller_walks[N_WALKS];

PwSnapshot *_pw_poller_build_snapshot (GPtrArray **columns,
                                       gint64      taken_at);
void        _pw_poller_read_options   (GPtrArray  **columns,
                                       PwSnapshot  *snapshot);
char       *_pw_poller_entity_text    (GPtrArray  **columns,
                                       guint        walk);
GPtrArray  *_pw_poller_vendor_queries (PwSnapshot  *snapshot);
void        _pw_poller_apply_vendor   (PwSnapshot  *snapshot,
                                       GPtrArray   *queries,
                                       GPtrArray   *varbinds);

/* pw-poller-columns.c */
gboolean             _pw_varbind_int          (const PwSnmpVarbind *varbind,
                                               gint64              *value);
gboolean             _pw_varbind_counter      (const PwSnmpVarbind *varbind,
                                               gint64              *value);
gboolean             _pw_varbind_ticks        (const PwSnmpVarbind *varbind,
                                               gint64              *value);
const char          *_pw_instance_of          (const char          *oid,
                                               const char          *column);
GHashTable          *_pw_cells_of             (GPtrArray           *varbinds,
                                               const char          *column);
GHashTable          *_pw_column_rows          (GPtrArray          **columns,
                                               guint                walk);
gint                 _pw_instance_index       (const char          *instance);
GPtrArray           *_pw_table_instances      (GPtrArray          **columns,
                                               guint                first,
                                               guint                last,
                                               guint                max_rows);
const PwSnmpVarbind *_pw_scalar               (GPtrArray           *varbinds,
                                               const char          *oid);
char                *_pw_first_text           (GPtrArray           *varbinds);
gint                 _pw_int_or               (GHashTable          *column,
                                               const char          *row,
                                               gint                 fallback);
GHashTable          *_pw_entry_column         (GPtrArray           *varbinds,
                                               const char          *entry,
                                               guint                column);
GPtrArray           *_pw_entry_rows           (GPtrArray           *varbinds,
                                               const char          *entry);
gint64               _pw_capacity_or_unknown  (GHashTable          *column,
                                               const char          *row);

G_END_DECLS
