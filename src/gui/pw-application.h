/* pw-application.h: the Printwatch desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_APPLICATION (pw_application_get_type ())
G_DECLARE_FINAL_TYPE (PwApplication, pw_application, PW, APPLICATION, AdwApplication)

PwApplication *pw_application_new       (void);
PwAgent       *pw_application_get_agent (PwApplication *self);

G_END_DECLS
