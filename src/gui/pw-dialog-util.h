/* pw-dialog-util.h: small pieces the dialogs share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *pw_dialog_row_new        (const char *title,
                                     const char *subtitle);
void       pw_dialog_set_message    (GtkLabel   *label,
                                     const char *text,
                                     gboolean    is_error);
void       pw_dialog_clear_list     (GtkListBox *list);
gpointer   pw_dialog_weak_new       (gpointer    object);
gpointer   pw_dialog_weak_take      (gpointer    weak);
void       pw_dialog_present        (GtkWindow  *dialog,
                                     GtkWindow  *parent,
                                     gboolean    modal);

G_END_DECLS
