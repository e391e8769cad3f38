/* pw-snapshot-private.h: what the store may set on a snapshot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-snapshot.h"

G_BEGIN_DECLS

void _pw_snapshot_set_id (PwSnapshot *self,
                          gint64      id);
void _pw_snapshot_set_counter_reset (PwSnapshot *self,
                                     guint       index,
                                     gboolean    reset);

G_END_DECLS
