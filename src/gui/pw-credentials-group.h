/* pw-credentials-group.h: the SNMP credential profiles, listed to add, change and remove.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_CREDENTIALS_GROUP (pw_credentials_group_get_type ())
G_DECLARE_FINAL_TYPE (PwCredentialsGroup, pw_credentials_group, PW, CREDENTIALS_GROUP, AdwPreferencesGroup)

void pw_credentials_group_set_agent (PwCredentialsGroup *self,
                                     PwAgent            *agent);
void pw_credentials_group_reload    (PwCredentialsGroup *self);

G_END_DECLS
