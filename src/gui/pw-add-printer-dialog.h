/* pw-add-printer-dialog.h: add one printer by its address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

#define PW_TYPE_ADD_PRINTER_DIALOG (pw_add_printer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwAddPrinterDialog, pw_add_printer_dialog, PW, ADD_PRINTER_DIALOG, AdwWindow)

PwAddPrinterDialog *pw_add_printer_dialog_new (PwAgent *agent);

G_END_DECLS
