/* pw-dialogs.h: how the main window opens the dialogs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

void pw_show_discovery_dialog  (GtkWindow *parent, PwAgent *agent);   /* gui2 */
void pw_show_add_printer_dialog (GtkWindow *parent, PwAgent *agent);  /* gui2 */
void pw_show_sync_window       (GtkWindow *parent, PwAgent *agent);   /* gui2 */
void pw_show_preferences       (GtkWindow *parent, PwAgent *agent);   /* gui2 */
void pw_show_export_dialog     (GtkWindow *parent, PwAgent *agent);   /* reports */

G_END_DECLS
