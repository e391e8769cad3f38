/* pw-fleet-view-private.h: what the fleet table's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-fleet-view.h"
#include "pw-fleet-rows.h"

G_BEGIN_DECLS

GtkColumnViewColumn *_pw_fleet_view_make_column (PwFleetColumn column);

G_END_DECLS
