/* pw-device-page-private.h: what the device page's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-device-page.h"
#include "pw-history-chart.h"

G_BEGIN_DECLS

struct _PwDevicePage
{
  AdwBin               parent_instance;

  PwAgent             *agent;          /* owned, or NULL */
  PwDevice            *device;         /* owned, or NULL */
  GPtrArray           *rows;           /* owned array, borrowed rows: what fill added */
  GCancellable        *cancellable;    /* owned: polls and removals, cancelled on dispose */
  GCancellable        *history_load;   /* owned: the chart's load, or NULL */
  gint64               history_of;     /* the snapshot the chart was loaded after */
  gboolean             polling;
  gboolean             showing;        /* setting the switch from the device, not the user */

  /* template children */
  AdwWindowTitle      *window_title;
  GtkStack            *poll_stack;
  AdwPreferencesPage  *preferences_page;
  AdwPreferencesGroup *status_group;
  AdwPreferencesGroup *history_group;
  AdwPreferencesGroup *supplies_group;
  AdwPreferencesGroup *counters_group;
  AdwPreferencesGroup *identity_group;
  AdwPreferencesGroup *options_group;
  PwHistoryChart      *history_chart;
  GtkSwitch           *scope_switch;
};

void _pw_device_page_fill  (PwDevicePage *self);
void _pw_device_page_clear (PwDevicePage *self);

G_END_DECLS
