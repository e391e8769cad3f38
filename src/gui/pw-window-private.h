/* pw-window-private.h: what the main window's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-window.h"

G_BEGIN_DECLS

struct _PwWindow
{
  AdwApplicationWindow  parent_instance;

  PwAgent              *agent;            /* owned, NULL until the store is open */
  GCancellable         *poll;             /* owned while "poll all" runs, else NULL */

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_page;
  GtkStack             *stack;
  AdwStatusPage        *status_page;
  AdwStatusPage        *empty_page;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *search_button;
  GtkButton            *poll_button;
  GtkStack             *poll_stack;
  GtkLabel             *poll_label;
  GtkProgressBar       *poll_progress;
  PwFleetView          *fleet_view;
  PwDevicePage         *device_page;
};

void _pw_window_class_add_actions (GtkWidgetClass *widget_class);
void _pw_window_update_actions    (PwWindow       *self);
void _pw_window_toast             (PwWindow       *self,
                                   const char     *text);
void _pw_window_poll_clicked      (PwWindow       *self);
void _pw_window_poll_progress     (PwWindow       *self,
                                   guint           done,
                                   guint           total);

G_END_DECLS
