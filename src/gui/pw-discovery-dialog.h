/* pw-discovery-dialog.h: find the printers of a network and add them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_DISCOVERY_DIALOG (pw_discovery_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwDiscoveryDialog, pw_discovery_dialog, PW, DISCOVERY_DIALOG, AdwWindow)

PwDiscoveryDialog *pw_discovery_dialog_new (PwAgent *agent);

G_END_DECLS
