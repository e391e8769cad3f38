/* pw-device.h: one printer the agent knows, with its latest snapshot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-types.h"

G_BEGIN_DECLS

#define PW_TYPE_DEVICE (pw_device_get_type ())
G_DECLARE_FINAL_TYPE (PwDevice, pw_device, PW, DEVICE, GObject)

gint64      pw_device_get_id                 (PwDevice        *self);
const char *pw_device_get_host               (PwDevice        *self);
guint16     pw_device_get_port               (PwDevice        *self);
char       *pw_device_dup_address            (PwDevice        *self);
const char *pw_device_get_name               (PwDevice        *self);
void        pw_device_set_name               (PwDevice        *self,
                                              const char      *name);
const char *pw_device_get_display_name       (PwDevice        *self);
const char *pw_device_get_identity           (PwDevice        *self,
                                              PwIdentityField  field);
gint64      pw_device_get_credential_profile (PwDevice        *self);
void        pw_device_set_credential_profile (PwDevice        *self,
                                              gint64           profile_id);
gboolean    pw_device_get_in_scope           (PwDevice        *self);
void        pw_device_set_in_scope           (PwDevice        *self,
                                              gboolean         in_scope);
gint64      pw_device_get_added_at           (PwDevice        *self);
gint64      pw_device_get_first_seen         (PwDevice        *self);
gint64      pw_device_get_last_seen          (PwDevice        *self);
gboolean    pw_device_get_reachable          (PwDevice        *self);
const char *pw_device_get_last_error         (PwDevice        *self);
PwSnapshot *pw_device_get_latest             (PwDevice        *self);

G_END_DECLS
