/* pw-profile.h: vendor knowledge, loaded from data/profiles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PW_PROFILE_ERROR (pw_profile_error_quark ())
typedef enum {
  PW_PROFILE_ERROR_INVALID,  /* the profile data is malformed */
} PwProfileError;

/* What a printer said about itself; any field may be NULL. */
typedef struct {
  const char *sys_object_id;  /* "1.3.6.1.4.1.253.8.62.1" (a leading dot is fine) */
  const char *sys_descr;
  const char *device_descr;   /* hrDeviceDescr of the printer entry */
  const char *device_id;      /* IEEE 1284 device ID: "MFG:HP;MDL:LaserJet M402;…" */
  const char *printer_name;   /* prtGeneralPrinterName */
} PwIdentityClues;

/* What a poll asks a vendor's MIB for, after the standard MIBs. */
typedef enum {
  PW_PROFILE_QUERY_SERIAL,    /* the serial number, when the Printer-MIB has none */
  PW_PROFILE_QUERY_FIRMWARE,  /* the firmware version */
  PW_PROFILE_QUERY_COUNTER,   /* a meter: name and unit say which */
  PW_PROFILE_QUERY_COUNTER_TABLE,  /* meters the printer names: oid is the values' column */
  PW_PROFILE_QUERY_COUNTER_RECORD, /* a meter packed in a string of records: record is its code */
} PwProfileQueryKind;

typedef struct {
  PwProfileQueryKind  kind;
  char               *oid;    /* numeric, the instance a GET reads, or a table's column */
  char               *name;   /* counters: "black", "copy-colour", …; tables: the names' column */
  char               *unit;   /* counters: "impressions", "sheets", …; nullable */
  GRegex             *model;  /* nullable: only for models this matches */
  guint               record; /* counter records: the code of the meter's record */
} PwProfileQuery;

gboolean    pw_profile_read_counter_record (GBytes             *records,
                                            guint               code,
                                            gint64             *value);

#define PW_TYPE_PROFILE (pw_profile_get_type ())
G_DECLARE_FINAL_TYPE (PwProfile, pw_profile, PW, PROFILE, GObject)

GQuark      pw_profile_error_quark     (void);
PwProfile  *pw_profile_get_default     (void);
PwProfile  *pw_profile_new_from_bytes  (GBytes                 *json,
                                        GError                **error);
guint       pw_profile_get_n_vendors   (PwProfile              *self);
const char * const *pw_profile_get_serial_oids (PwProfile      *self,
                                        const char             *vendor);
GPtrArray  *pw_profile_get_queries     (PwProfile              *self,
                                        const char             *vendor,
                                        const char             *model);
gboolean    pw_profile_get_pml_text    (PwProfile              *self,
                                        const char             *vendor);
char       *pw_profile_find_firmware   (PwProfile              *self,
                                        const char             *vendor,
                                        const char             *text);
gboolean    pw_profile_identify        (PwProfile              *self,
                                        const PwIdentityClues  *clues,
                                        char                  **vendor,
                                        char                  **model);
guint       pw_sys_object_id_enterprise (const char            *sys_object_id);
char       *pw_device_id_lookup        (const char             *device_id,
                                        const char * const     *keys);

G_END_DECLS
