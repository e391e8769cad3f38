/* pw-payload-private.h: PwPayload's hook for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-payload.h"

G_BEGIN_DECLS

/* The devices a part holds at most, lowered so that a test's small fleet
 * goes in parts; 0 restores PW_PAYLOAD_PART_DEVICES. */
void _pw_payload_set_part_devices (guint n);

G_END_DECLS
