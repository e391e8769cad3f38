/* pw-fleet-cell.h: one cell of the fleet table, drawn by one widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a cell shows. */
typedef enum {
  PW_FLEET_CELL_TEXT,    /* words from the start, cut short with "…" */
  PW_FLEET_CELL_NUMBER,  /* figures to the end, each as wide as the others */
  PW_FLEET_CELL_STATUS,  /* a symbolic icon, then words */
  PW_FLEET_CELL_LEVEL,   /* a level bar (0–100), then figures */
  PW_FLEET_CELL_ICON,    /* a symbolic icon alone, centred */
} PwFleetCellKind;

#define PW_TYPE_FLEET_CELL (pw_fleet_cell_get_type ())
G_DECLARE_FINAL_TYPE (PwFleetCell, pw_fleet_cell, PW, FLEET_CELL, GtkWidget)

GtkWidget  *pw_fleet_cell_new       (PwFleetCellKind  kind);
void        pw_fleet_cell_set_text  (PwFleetCell     *self,
                                     const char      *text);
const char *pw_fleet_cell_get_text  (PwFleetCell     *self);
void        pw_fleet_cell_set_icon  (PwFleetCell     *self,
                                     const char      *icon_name);
void        pw_fleet_cell_set_level (PwFleetCell     *self,
                                     int              percent);
int         pw_fleet_cell_get_level (PwFleetCell     *self);

G_END_DECLS
