/* pw-fleet-view.c: the printers as a table.
 *
 * The devices go through a filter (the search text, over name, address,
 * vendor, model, serial number and location, in any case) and a sorter
 * (the column headers'), then to a GtkColumnView through PwFleetRows, whose
 * rows stay put while the devices in them change. Neither reads the store:
 * both use what PwDeviceSummary keeps on each device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-view"

#include "config.h"

#include "pw-fleet-view-private.h"

#include <string.h>

struct _PwFleetView
{
  AdwBin                parent_instance;

  GtkFilterListModel   *filtered;    /* owned */
  GtkSortListModel     *sorted;      /* owned */
  PwFleetRows          *rows;        /* owned */
  GtkCustomFilter      *filter;      /* owned */
  char                 *needle;      /* owned, casefolded search text; "" for none */
  GtkColumnViewColumn  *columns[PW_FLEET_N_COLUMNS];  /* borrowed from the view */

  /* template children */
  GtkColumnView        *column_view;
};

G_DEFINE_FINAL_TYPE (PwFleetView, pw_fleet_view, ADW_TYPE_BIN)

enum {
  SIGNAL_DEVICE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
match (gpointer item,
       gpointer user_data)
{
  PwFleetView *self = user_data;

  return self->needle[0] == '\0' || pw_device_summary_matches (item, self->needle);
}

static void
activate_cb (PwFleetView *self,
             guint        position)
{
  g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (device != NULL)
    g_signal_emit (self, signals[SIGNAL_DEVICE_ACTIVATED], 0, device);
}

static void
pw_fleet_view_dispose (GObject *object)
{
  PwFleetView *self = PW_FLEET_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_FLEET_VIEW);
  g_clear_object (&self->rows);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (pw_fleet_view_parent_class)->dispose (object);
}

static void
pw_fleet_view_finalize (GObject *object)
{
  PwFleetView *self = PW_FLEET_VIEW (object);

  g_free (self->needle);

  G_OBJECT_CLASS (pw_fleet_view_parent_class)->finalize (object);
}

static void
pw_fleet_view_class_init (PwFleetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_fleet_view_dispose;
  object_class->finalize = pw_fleet_view_finalize;

  /**
   * PwFleetView::device-activated:
   * @device: the row's device
   */
  signals[SIGNAL_DEVICE_ACTIVATED] =
    g_signal_new ("device-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PW_TYPE_DEVICE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-fleet-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PwFleetView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
}

static void
pw_fleet_view_init (PwFleetView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->needle = g_strdup ("");
  for (guint i = 0; i < PW_FLEET_N_COLUMNS; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = _pw_fleet_view_make_column (i);

      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
    }

  /* Sorted, then filtered: a search only filters the sorted rows, and a
   * sort does not wait for a search. */
  self->filter = gtk_custom_filter_new (match, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)), NULL);
  /* The view shows rows that stay put, each showing a device. */
  self->rows = pw_fleet_rows_new (G_LIST_MODEL (self->filtered));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->rows));
}

GtkWidget *
pw_fleet_view_new (void)
{
  return g_object_new (PW_TYPE_FLEET_VIEW, NULL);
}

/**
 * pw_fleet_view_set_devices:
 * @devices: (nullable): a list of PwDevice, e.g. pw_agent_get_fleet ()
 */
void
pw_fleet_view_set_devices (PwFleetView *self,
                           GListModel  *devices)
{
  g_return_if_fail (PW_IS_FLEET_VIEW (self));
  g_return_if_fail (devices == NULL || G_IS_LIST_MODEL (devices));

  gtk_sort_list_model_set_model (self->sorted, devices);
}

/**
 * pw_fleet_view_get_model:
 *
 * Returns: (transfer none): the devices as the rows show them: filtered and sorted
 */
GListModel *
pw_fleet_view_get_model (PwFleetView *self)
{
  g_return_val_if_fail (PW_IS_FLEET_VIEW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

/**
 * pw_fleet_view_set_search_text:
 * @text: (nullable): what rows must contain; %NULL or "" for all rows
 */
void
pw_fleet_view_set_search_text (PwFleetView *self,
                               const char  *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *needle = g_utf8_casefold (stripped, -1);
  g_autofree char *old = NULL;
  GtkFilterChange change;

  g_return_if_fail (PW_IS_FLEET_VIEW (self));

  if (g_str_equal (needle, self->needle))
    return;
  old = g_steal_pointer (&self->needle);
  self->needle = g_steal_pointer (&needle);

  if (self->needle[0] == '\0')
    {
      /* No filter at all beats one that lets everything through. */
      gtk_filter_list_model_set_filter (self->filtered, NULL);
      return;
    }
  if (gtk_filter_list_model_get_filter (self->filtered) == NULL)
    {
      gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
      return;
    }
  if (strstr (self->needle, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (old, self->needle) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

GtkColumnView *
pw_fleet_view_get_column_view (PwFleetView *self)
{
  g_return_val_if_fail (PW_IS_FLEET_VIEW (self), NULL);
  return self->column_view;
}

GtkColumnViewColumn *
pw_fleet_view_get_column (PwFleetView   *self,
                          PwFleetColumn  column)
{
  g_return_val_if_fail (PW_IS_FLEET_VIEW (self), NULL);
  g_return_val_if_fail (column < PW_FLEET_N_COLUMNS, NULL);
  return self->columns[column];
}
