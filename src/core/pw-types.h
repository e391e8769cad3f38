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
typedef struct _PwSnmpCredentials PwSnmpCredentials;
typedef struct _PwSnmpEngine      PwSnmpEngine;
typedef struct _PwSnmpVarbind     PwSnmpVarbind;

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

/* What part of a printer a PwOption describes. */
typedef enum {
  PW_OPTION_INPUT,     /* an input tray: prtInputTable (RFC 3805) */
  PW_OPTION_OUTPUT,    /* an output bin: prtOutputTable */
  PW_OPTION_DUPLEX,    /* a duplex media path: prtMediaPathTable */
  PW_OPTION_FINISHER,  /* a finishing device: finDeviceTable (RFC 3806) */
  PW_OPTION_MEMORY,    /* main memory: hrMemorySize (RFC 2790) */
  PW_OPTION_DISK,      /* a fixed disk: hrStorageTable */
} PwOptionKind;

/* The SNMP message versions Printwatch speaks. */
typedef enum {
  PW_SNMP_VERSION_1,
  PW_SNMP_VERSION_2C,
  PW_SNMP_VERSION_3,
} PwSnmpVersion;

/* SNMPv3 USM authentication (RFC 3414, RFC 7860). */
typedef enum {
  PW_SNMP_AUTH_NONE,
  PW_SNMP_AUTH_MD5,
  PW_SNMP_AUTH_SHA1,
  PW_SNMP_AUTH_SHA224,
  PW_SNMP_AUTH_SHA256,
  PW_SNMP_AUTH_SHA384,
  PW_SNMP_AUTH_SHA512,
} PwSnmpAuthProtocol;

/* SNMPv3 USM privacy (RFC 3414, RFC 3826; AES-192/256 as net-snmp keys them). */
typedef enum {
  PW_SNMP_PRIV_NONE,
  PW_SNMP_PRIV_DES,
  PW_SNMP_PRIV_AES128,
  PW_SNMP_PRIV_AES192,
  PW_SNMP_PRIV_AES256,
} PwSnmpPrivProtocol;

/* The type of one varbind's value (RFC 2578 types, RFC 3416 exceptions). */
typedef enum {
  PW_SNMP_VALUE_NULL,
  PW_SNMP_VALUE_INTEGER,
  PW_SNMP_VALUE_OCTET_STRING,
  PW_SNMP_VALUE_OID,
  PW_SNMP_VALUE_IP_ADDRESS,
  PW_SNMP_VALUE_COUNTER32,
  PW_SNMP_VALUE_GAUGE32,
  PW_SNMP_VALUE_TIME_TICKS,
  PW_SNMP_VALUE_OPAQUE,
  PW_SNMP_VALUE_COUNTER64,
  PW_SNMP_VALUE_NO_SUCH_OBJECT,
  PW_SNMP_VALUE_NO_SUCH_INSTANCE,
  PW_SNMP_VALUE_END_OF_MIB_VIEW,
} PwSnmpValueType;

/* How PwUploader proves who it is to the collection server. */
typedef enum {
  PW_UPLOADER_AUTH_NONE,
  PW_UPLOADER_AUTH_BASIC,   /* Authorization: Basic, user and password */
  PW_UPLOADER_AUTH_BEARER,  /* Authorization: Bearer, a token */
} PwUploaderAuth;

/* What a report covers (PwReport); the nicks name them on the command line. */
typedef enum {
  PW_REPORT_KIND_FLEET,     /* every device: identity, address, scope, status, counters, supplies */
  PW_REPORT_KIND_METERS,    /* the meter reads of a period, per device and counter, with fleet totals */
  PW_REPORT_KIND_SUPPLIES,  /* every supply by urgency, with the days left where the history tells */
  PW_REPORT_KIND_ALERTS,    /* the alerts of a period, and what is wrong now */
  PW_REPORT_KIND_SYNC_LOG,  /* the sync log of a period */
} PwReportKind;

/* The periods the export dialog offers. */
typedef enum {
  PW_REPORT_PERIOD_LAST_30_DAYS,  /* the 30 days before today, and today */
  PW_REPORT_PERIOD_LAST_MONTH,    /* the calendar month before this one */
  PW_REPORT_PERIOD_THIS_YEAR,     /* from 1 January to now */
  PW_REPORT_PERIOD_CUSTOM,        /* days the user gives */
} PwReportPeriod;

/* How a report is written. */
typedef enum {
  PW_REPORT_FORMAT_CSV,   /* RFC 4180, UTF-8, one header row */
  PW_REPORT_FORMAT_HTML,  /* one self-contained page, for screen and A4 */
} PwReportFormat;

/* How PwSmtp protects the connection to the mail server. */
typedef enum {
  PW_SMTP_SECURITY_STARTTLS,  /* plain connect, then STARTTLS (RFC 3207), required */
  PW_SMTP_SECURITY_TLS,       /* TLS from the first byte (RFC 8314, port 465) */
  PW_SMTP_SECURITY_NONE,      /* no encryption: a relay on the local network only */
} PwSmtpSecurity;

G_END_DECLS
