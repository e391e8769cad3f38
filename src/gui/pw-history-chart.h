/* pw-history-chart.h: pages per day, as bars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PW_TYPE_HISTORY_CHART (pw_history_chart_get_type ())
G_DECLARE_FINAL_TYPE (PwHistoryChart, pw_history_chart, PW, HISTORY_CHART, GtkDrawingArea)

GtkWidget *pw_history_chart_new      (void);
void       pw_history_chart_set_days (PwHistoryChart *self,
                                      GArray         *days);
GArray    *pw_history_chart_get_days (PwHistoryChart *self);

G_END_DECLS
