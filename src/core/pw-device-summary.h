/* pw-device-summary.h: one device in a line, for lists of thousands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-types.h"
#include "pw-device.h"
#include "pw-snapshot.h"

G_BEGIN_DECLS

/* How a device is doing, worst last: lists sort by it. */
typedef enum {
  PW_DEVICE_HEALTH_OK,           /* ready, printing, warming up */
  PW_DEVICE_HEALTH_UNKNOWN,      /* never polled */
  PW_DEVICE_HEALTH_WARNING,      /* prints, but needs someone soon: toner low, paper low */
  PW_DEVICE_HEALTH_ERROR,        /* does not print: jam, door open, no toner, down */
  PW_DEVICE_HEALTH_UNREACHABLE,  /* did not answer its last poll */
} PwDeviceHealth;

/* What a list shows and sorts by, computed once per device object (the
 * store gives a new object for every change). Read-only. */
typedef struct {
  PwDeviceHealth  health;
  char           *status;          /* in words: "Ready", "Toner low", "No answer" */
  char           *vendor_model;    /* "Xerox AltaLink C8045", or NULL */
  gint64          black;           /* the "black" meter, else "total"; -1 when neither was read */
  gint64          colour;          /* the "colour" meter; -1 when not read */
  int             lowest_percent;  /* the emptiest supply in percent; -1 when none tells */
  char           *lowest_name;     /* that supply's description, or NULL */
  char           *search_text;     /* name, address, vendor, model, serial, location; casefolded */
  char           *name_key;        /* collation keys (g_utf8_collate_key) */
  char           *address_key;     /* sorts 10.0.0.9 before 10.0.0.10 */
  char           *model_key;
  char           *serial_key;
} PwDeviceSummary;

const PwDeviceSummary *pw_device_summary_get          (PwDevice       *device);
gboolean               pw_device_summary_matches      (PwDevice       *device,
                                                       const char     *casefolded_text);
char                  *pw_supply_describe_level       (const PwSupply *supply);

G_END_DECLS
