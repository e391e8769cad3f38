/* pw-store-report.h: the store read whole, in order, for reports.
 *
 * Reports walk every device and every reading of a period; these calls
 * hand the rows to a callback one at a time instead of building one array
 * of everything, so a fleet of ten thousand printers fits in little memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-store.h"

G_BEGIN_DECLS

/* One meter read of a device, in a period. */
typedef struct {
  gint64      device_id;
  gint64      taken_at;   /* unix seconds */
  const char *name;       /* the counter's name */
  gint64      value;
  const char *unit;       /* nullable */
  gboolean    reset;      /* lower than the device's reading before it */
} PwStoreReading;

/* One supply's level in one snapshot, in a period. */
typedef struct {
  gint64  device_id;
  gint64  taken_at;
  gint    index;          /* prtMarkerSuppliesIndex */
  gint64  level;          /* with RFC 3805's special values -1, -2, -3 */
  gint64  max_capacity;
} PwStoreSupplyLevel;

/* An alert with the span it was seen in. */
typedef struct {
  gint64   device_id;
  PwAlert  alert;         /* its description is borrowed */
  gint64   first_seen;    /* unix seconds: the first poll that showed it */
  gint64   last_seen;     /* the last one */
  gint64   cleared_at;    /* the first poll that no longer did, or 0 while open */
} PwStoreAlertSpan;

/* Each returns FALSE with @error set to stop the walk with that error. */
typedef gboolean (*PwStoreDeviceFunc)      (PwDevice                 *device,
                                            gpointer                  user_data,
                                            GError                  **error);
typedef gboolean (*PwStoreReadingFunc)     (const PwStoreReading     *reading,
                                            gpointer                  user_data,
                                            GError                  **error);
typedef gboolean (*PwStoreSupplyLevelFunc) (const PwStoreSupplyLevel *level,
                                            gpointer                  user_data,
                                            GError                  **error);
typedef gboolean (*PwStoreAlertFunc)       (const PwStoreAlertSpan   *span,
                                            gpointer                  user_data,
                                            GError                  **error);

gboolean pw_store_read_begin            (PwStore                 *self,
                                         GError                 **error);
void     pw_store_read_end              (PwStore                 *self);
gboolean pw_store_foreach_device        (PwStore                 *self,
                                         PwStoreDeviceFunc        func,
                                         gpointer                 user_data,
                                         GCancellable            *cancellable,
                                         GError                 **error);
gboolean pw_store_foreach_reading       (PwStore                 *self,
                                         gint64                   from,
                                         gint64                   to,
                                         PwStoreReadingFunc       func,
                                         gpointer                 user_data,
                                         GCancellable            *cancellable,
                                         GError                 **error);
gboolean pw_store_foreach_supply_level  (PwStore                 *self,
                                         gint64                   from,
                                         gint64                   to,
                                         PwStoreSupplyLevelFunc   func,
                                         gpointer                 user_data,
                                         GCancellable            *cancellable,
                                         GError                 **error);
gboolean pw_store_foreach_alert         (PwStore                 *self,
                                         gint64                   from,
                                         gint64                   to,
                                         PwStoreAlertFunc         func,
                                         gpointer                 user_data,
                                         GCancellable            *cancellable,
                                         GError                 **error);

G_END_DECLS
