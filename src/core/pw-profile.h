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

#define PW_TYPE_PROFILE (pw_profile_get_type ())
G_DECLARE_FINAL_TYPE (PwProfile, pw_profile, PW, PROFILE, GObject)

GQuark      pw_profile_error_quark     (void);
PwProfile  *pw_profile_get_default     (void);
PwProfile  *pw_profile_new_from_bytes  (GBytes                 *json,
                                        GError                **error);
guint       pw_profile_get_n_vendors   (PwProfile              *self);
const char * const *pw_profile_get_serial_oids (PwProfile      *self,
                                        const char             *vendor);
gboolean    pw_profile_identify        (PwProfile              *self,
                                        const PwIdentityClues  *clues,
                                        char                  **vendor,
                                        char                  **model);
guint       pw_sys_object_id_enterprise (const char            *sys_object_id);
char       *pw_device_id_lookup        (const char             *device_id,
                                        const char * const     *keys);

G_END_DECLS
