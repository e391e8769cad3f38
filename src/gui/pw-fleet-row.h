/* pw-fleet-row.h: one row of the fleet table, whichever printer it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_FLEET_ROW (pw_fleet_row_get_type ())
G_DECLARE_FINAL_TYPE (PwFleetRow, pw_fleet_row, PW, FLEET_ROW, GObject)

PwFleetRow *pw_fleet_row_new        (PwDevice   *device);
PwDevice   *pw_fleet_row_get_device (PwFleetRow *self);
void        pw_fleet_row_set_device (PwFleetRow *self,
                                     PwDevice   *device);

G_END_DECLS
