/* pw-window.h: the Printwatch main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"
#include "pw-device-page.h"
#include "pw-fleet-view.h"

G_BEGIN_DECLS

#define PW_TYPE_WINDOW (pw_window_get_type ())
G_DECLARE_FINAL_TYPE (PwWindow, pw_window, PW, WINDOW, AdwApplicationWindow)

PwWindow     *pw_window_new             (GtkApplication *application,
                                         PwAgent        *agent);
PwAgent      *pw_window_get_agent       (PwWindow       *self);
void          pw_window_set_agent       (PwWindow       *self,
                                         PwAgent        *agent);
void          pw_window_show_error      (PwWindow       *self,
                                         const GError   *error);
void          pw_window_show_device     (PwWindow       *self,
                                         PwDevice       *device);
void          pw_window_show_list       (PwWindow       *self);
gboolean      pw_window_get_polling     (PwWindow       *self);
PwFleetView  *pw_window_get_fleet_view  (PwWindow       *self);
PwDevicePage *pw_window_get_device_page (PwWindow       *self);

G_END_DECLS
