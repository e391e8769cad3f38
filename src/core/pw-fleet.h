/* pw-fleet.h: the printers the store keeps, as a live list model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-device.h"
#include "pw-store.h"

G_BEGIN_DECLS

#define PW_TYPE_FLEET (pw_fleet_get_type ())
G_DECLARE_FINAL_TYPE (PwFleet, pw_fleet, PW, FLEET, GObject)

PwFleet      *pw_fleet_new            (PwStore              *store);
PwStore      *pw_fleet_get_store      (PwFleet              *self);
gboolean      pw_fleet_get_loaded     (PwFleet              *self);
gboolean      pw_fleet_get_loading    (PwFleet              *self);
const GError *pw_fleet_get_error      (PwFleet              *self);
void          pw_fleet_reload_async   (PwFleet              *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean      pw_fleet_reload_finish  (PwFleet              *self,
                                       GAsyncResult         *result,
                                       GError              **error);
void          pw_fleet_refresh_device (PwFleet              *self,
                                       gint64                device_id);
PwDevice     *pw_fleet_lookup         (PwFleet              *self,
                                       gint64                device_id,
                                       guint                *position);

G_END_DECLS
