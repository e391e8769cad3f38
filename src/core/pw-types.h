/* pw-types.h: forward declarations and shared enums of the Printwatch core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _PwDevice   PwDevice;
typedef struct _PwSnapshot PwSnapshot;
typedef struct _PwStore    PwStore;

/* The identity fields of a device, as a printer reports them. Each maps to
 * one column of the devices table; a snapshot carries the ones a poll read. */
typedef enum {
  PW_IDENTITY_VENDOR,
  PW_IDENTITY_MODEL,
  PW_IDENTITY_SERIAL,
  PW_IDENTITY_FIRMWARE,
  PW_IDENTITY_MAC,
  PW_IDENTITY_SYS_NAME,
  PW_IDENTITY_SYS_DESCR,
  PW_IDENTITY_SYS_OBJECT_ID,
  PW_IDENTITY_LOCATION,
  PW_IDENTITY_CONTACT,
  PW_N_IDENTITY_FIELDS /*< skip >*/
} PwIdentityField;

/* hrDeviceStatus (RFC 2790); 0 when the printer did not tell. */
typedef enum {
  PW_DEVICE_STATUS_NONE = 0,
  PW_DEVICE_STATUS_UNKNOWN = 1,
  PW_DEVICE_STATUS_RUNNING = 2,
  PW_DEVICE_STATUS_WARNING = 3,
  PW_DEVICE_STATUS_TESTING = 4,
  PW_DEVICE_STATUS_DOWN = 5,
} PwDeviceStatus;

/* hrPrinterStatus (RFC 2790); 0 when the printer did not tell. */
typedef enum {
  PW_PRINTER_STATUS_NONE = 0,
  PW_PRINTER_STATUS_OTHER = 1,
  PW_PRINTER_STATUS_UNKNOWN = 2,
  PW_PRINTER_STATUS_IDLE = 3,
  PW_PRINTER_STATUS_PRINTING = 4,
  PW_PRINTER_STATUS_WARMUP = 5,
} PwPrinterStatus;

G_END_DECLS
