/* pw-export-dialog.h: choose a report, its period and format, and save it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_EXPORT_DIALOG (pw_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwExportDialog, pw_export_dialog, PW, EXPORT_DIALOG, AdwWindow)

PwExportDialog *pw_export_dialog_new                   (GtkWindow      *parent,
                                                        PwAgent        *agent);
gboolean        pw_export_dialog_get_busy              (PwExportDialog *self);
void            _pw_export_dialog_set_file_for_testing (PwExportDialog *self,
                                                        GFile          *file);

G_END_DECLS
