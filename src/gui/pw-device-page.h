/* pw-device-page.h: one printer, all the agent knows of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_DEVICE_PAGE (pw_device_page_get_type ())
G_DECLARE_FINAL_TYPE (PwDevicePage, pw_device_page, PW, DEVICE_PAGE, AdwBin)

GtkWidget *pw_device_page_new        (void);
void       pw_device_page_set_agent  (PwDevicePage *self,
                                      PwAgent      *agent);
void       pw_device_page_set_device (PwDevicePage *self,
                                      PwDevice     *device);
PwDevice  *pw_device_page_get_device (PwDevicePage *self);

G_END_DECLS
