/* pw-credentials-dialog.h: make or change one SNMP credentials profile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_CREDENTIALS_DIALOG (pw_credentials_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwCredentialsDialog, pw_credentials_dialog, PW, CREDENTIALS_DIALOG, AdwWindow)

PwCredentialsDialog *pw_credentials_dialog_new (PwAgent                   *agent,
                                                const PwCredentialProfile *profile);

G_END_DECLS
