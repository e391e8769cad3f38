/* pw-fleet-rows.h: the fleet table's rows, which stay put while printers move.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "printwatch-core.h"
#include "pw-fleet-row.h"

G_BEGIN_DECLS

#define PW_TYPE_FLEET_ROWS (pw_fleet_rows_get_type ())
G_DECLARE_FINAL_TYPE (PwFleetRows, pw_fleet_rows, PW, FLEET_ROWS, GObject)

PwFleetRows *pw_fleet_rows_new                 (GListModel  *devices);
PwDevice    *pw_fleet_rows_get_selected_device (PwFleetRows *self);

G_END_DECLS
