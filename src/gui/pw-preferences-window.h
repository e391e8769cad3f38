/* pw-preferences-window.h: Printwatch's preferences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_PREFERENCES_WINDOW (pw_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PwPreferencesWindow, pw_preferences_window, PW, PREFERENCES_WINDOW, AdwPreferencesWindow)

PwPreferencesWindow *pw_preferences_window_new (PwAgent *agent);

G_END_DECLS
