/* pw-fleet-view.h: the printers as a table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

/* The table's columns, left to right. */
typedef enum {
  PW_FLEET_COLUMN_STATUS,
  PW_FLEET_COLUMN_NAME,
  PW_FLEET_COLUMN_ADDRESS,
  PW_FLEET_COLUMN_MODEL,
  PW_FLEET_COLUMN_SERIAL,
  PW_FLEET_COLUMN_BLACK,
  PW_FLEET_COLUMN_COLOUR,
  PW_FLEET_COLUMN_SUPPLY,
  PW_FLEET_COLUMN_LAST_SEEN,
  PW_FLEET_COLUMN_IN_SCOPE,
  PW_FLEET_N_COLUMNS
} PwFleetColumn;

#define PW_TYPE_FLEET_VIEW (pw_fleet_view_get_type ())
G_DECLARE_FINAL_TYPE (PwFleetView, pw_fleet_view, PW, FLEET_VIEW, AdwBin)

GtkWidget           *pw_fleet_view_new             (void);
void                 pw_fleet_view_set_devices     (PwFleetView   *self,
                                                    GListModel    *devices);
GListModel          *pw_fleet_view_get_model       (PwFleetView   *self);
void                 pw_fleet_view_set_search_text (PwFleetView   *self,
                                                    const char    *text);
GtkColumnView       *pw_fleet_view_get_column_view (PwFleetView   *self);
GtkColumnViewColumn *pw_fleet_view_get_column      (PwFleetView   *self,
                                                    PwFleetColumn  column);

G_END_DECLS
