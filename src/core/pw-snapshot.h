/* pw-snapshot.h: what one poll read from one device at one time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* One meter read: "total", "black", "colour", "print", "copy", or a vendor's counter. */
typedef struct {
  char   *name;
  gint64  value;
  char   *unit;   /* "impressions", "sheets", ...; NULL when not told */
  gboolean reset; /* lower than the device's previous reading: replaced or reset (set by the store) */
} PwCounter;

/* One prtMarkerSuppliesTable row (RFC 3805). level and max_capacity keep the
 * special values: -1 other, -2 unknown, -3 "some remaining". */
typedef struct {
  gint    index;
  char   *description;
  gint    type;          /* prtMarkerSuppliesType */
  gint    supply_class;  /* prtMarkerSuppliesClass: 3 consumed, 4 filled */
  gint    unit;          /* prtMarkerSuppliesSupplyUnit */
  gint64  max_capacity;
  gint64  level;
  char   *colour;        /* prtMarkerColorantValue; NULL when not told */
} PwSupply;

/* One prtAlertTable row (RFC 3805). */
typedef struct {
  gint    index;
  gint    severity;      /* prtAlertSeverityLevel */
  gint    training;      /* prtAlertTrainingLevel */
  gint    group;         /* prtAlertGroup */
  gint    group_index;
  gint    location;
  gint    code;          /* prtAlertCode */
  char   *description;
  gint64  time;          /* prtAlertTime: device uptime in 1/100 s */
} PwAlert;

/* An installed part: a tray, a bin, duplex, a finisher, memory or a disk.
 * Capacities and levels of trays and bins are in @unit (PrtCapacityUnitTC)
 * and keep the special values -1 other, -2 unknown, -3 "some remaining";
 * memory and disks count bytes. */
typedef struct {
  PwOptionKind kind;
  gint         index;
  gint         type;      /* prtInputType, prtOutputType, prtMediaPathType or finDeviceType; 0 when none */
  char        *name;      /* the printer's name or description of it; NULL when not told */
  char        *media;     /* an input tray's prtInputMediaName; else NULL */
  gint         unit;      /* PrtCapacityUnitTC of trays and bins; else 0 */
  gint64       capacity;  /* the most it holds */
  gint64       level;     /* a tray's sheets, a bin's remaining room, a disk's bytes used */
} PwOption;

/* Bit i (1 << i) of a snapshot's error state is bit i of RFC 2790's
 * hrPrinterDetectedErrorState, counted from the most significant bit of its
 * first octet: 0 lowPaper … 15 overduePreventMaint. */
#define PW_PRINTER_ERROR_BITS 16

#define PW_TYPE_SNAPSHOT (pw_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (PwSnapshot, pw_snapshot, PW, SNAPSHOT, GObject)

PwSnapshot     *pw_snapshot_new                (gint64            taken_at);
gint64          pw_snapshot_get_id             (PwSnapshot       *self);
gint64          pw_snapshot_get_taken_at       (PwSnapshot       *self);
const char     *pw_snapshot_get_identity       (PwSnapshot       *self,
                                                PwIdentityField   field);
void            pw_snapshot_set_identity       (PwSnapshot       *self,
                                                PwIdentityField   field,
                                                const char       *value);
PwDeviceStatus  pw_snapshot_get_device_status  (PwSnapshot       *self);
PwPrinterStatus pw_snapshot_get_printer_status (PwSnapshot       *self);
guint32         pw_snapshot_get_error_state    (PwSnapshot       *self);
void            pw_snapshot_set_status         (PwSnapshot       *self,
                                                PwDeviceStatus    device_status,
                                                PwPrinterStatus   printer_status,
                                                guint32           error_state);
gint64          pw_snapshot_get_uptime         (PwSnapshot       *self);
void            pw_snapshot_set_uptime         (PwSnapshot       *self,
                                                gint64            uptime);
void            pw_snapshot_add_counter        (PwSnapshot       *self,
                                                const char       *name,
                                                gint64            value,
                                                const char       *unit);
gboolean        pw_snapshot_lookup_counter     (PwSnapshot       *self,
                                                const char       *name,
                                                gint64           *value);
GPtrArray      *pw_snapshot_get_counters       (PwSnapshot       *self);
void            pw_snapshot_add_supply         (PwSnapshot       *self,
                                                const PwSupply   *supply);
GPtrArray      *pw_snapshot_get_supplies       (PwSnapshot       *self);
void            pw_snapshot_add_alert          (PwSnapshot       *self,
                                                const PwAlert    *alert);
GPtrArray      *pw_snapshot_get_alerts         (PwSnapshot       *self);
void            pw_snapshot_add_option         (PwSnapshot       *self,
                                                const PwOption   *option);
GPtrArray      *pw_snapshot_get_options        (PwSnapshot       *self);
GStrv           pw_snapshot_describe_status    (PwSnapshot       *self);
int             pw_supply_get_percent          (const PwSupply   *supply);
const char     *pw_counter_name_get_label      (const char       *name);
const char     *pw_option_kind_get_label       (PwOptionKind      kind);

G_END_DECLS
