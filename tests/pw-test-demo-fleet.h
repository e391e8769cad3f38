/* pw-test-demo-fleet.h: printer fleets made through the store API, for GUI tests,
 * the screenshots and the GUI benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "printwatch-core.h"

G_BEGIN_DECLS

/* Vendor codes: device i's serial number is "<code>-<i, 4 digits>", its
 * vendor pw_test_fleet_vendors[i % 8]. */
extern const char * const pw_test_fleet_codes[8];
extern const char * const pw_test_fleet_vendors[8];

void pw_test_fleet_fill (PwStore *store,
                         guint    n_devices,
                         guint16  port,
                         guint    history_days,
                         gint64   now);

G_END_DECLS
