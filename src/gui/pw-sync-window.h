/* pw-sync-window.h: the daily transmission: when, how it went, what is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_SYNC_WINDOW (pw_sync_window_get_type ())
G_DECLARE_FINAL_TYPE (PwSyncWindow, pw_sync_window, PW, SYNC_WINDOW, AdwWindow)

PwSyncWindow *pw_sync_window_new (PwAgent *agent);

G_END_DECLS
