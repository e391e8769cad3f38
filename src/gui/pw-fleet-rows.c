/* pw-fleet-rows.c: the fleet table's rows, which stay put while printers move.
 *
 * A GtkSelectionModel of PwFleetRow over a list of PwDevice (the fleet,
 * sorted and filtered): row i shows device i. When the devices change,
 * the rows stay and show other devices; only the number of rows changes,
 * at the end.
 *
 * Why: GTK 4.8's list views keep a row's widgets (some 200 rows' worth,
 * beyond those in sight) only while the row's item is still in the list
 * after a change. A search or a poll replaces the devices in the rows, so
 * the view over the devices themselves tore those widgets down and built
 * them again, cell by cell: most of the time a search took on 10,000
 * printers. Over these rows, a sort, a search or a poll only fills the
 * rows in again; widgets come and go only where the list gets longer or
 * shorter (tests/bench/bench-gui.c has the figures).
 *
 * The selection (one printer at most) follows the printer, not the row,
 * as GtkSingleSelection's would: after a sort it is wherever the printer
 * went, and a printer a search hides is selected again when it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-rows"

#include "config.h"

#include "pw-fleet-rows.h"

struct _PwFleetRows
{
  GObject     parent_instance;

  GListModel *devices;      /* owned, of PwDevice */
  GPtrArray  *rows;         /* owned, one per device: its PwFleetRow, or NULL until asked for */
  gint64      selected_id;  /* the selected printer's id, or 0 for none */
  guint       selected;     /* its row, or GTK_INVALID_LIST_POSITION while none shows it */
};

static void pw_fleet_rows_list_model_init      (GListModelInterface        *iface);
static void pw_fleet_rows_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwFleetRows, pw_fleet_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pw_fleet_rows_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      pw_fleet_rows_selection_model_init))

/* The list */

static GType
pw_fleet_rows_get_item_type (GListModel *model)
{
  return PW_TYPE_FLEET_ROW;
}

static guint
pw_fleet_rows_get_n_items (GListModel *model)
{
  return PW_FLEET_ROWS (model)->rows->len;
}

/* Rows are made when the view first asks for them: it asks for a few
 * hundred of 10,000. */
static gpointer
pw_fleet_rows_get_item (GListModel *model,
                        guint       position)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);

  if (position >= self->rows->len)
    return NULL;
  if (self->rows->pdata[position] == NULL)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (self->devices, position);

      self->rows->pdata[position] = pw_fleet_row_new (device);
    }
  return g_object_ref (self->rows->pdata[position]);
}

static void
pw_fleet_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pw_fleet_rows_get_item_type;
  iface->get_n_items = pw_fleet_rows_get_n_items;
  iface->get_item = pw_fleet_rows_get_item;
}

/* The selection */

static gint64
id_at (PwFleetRows *self,
       guint        position)
{
  g_autoptr(PwDevice) device = g_list_model_get_item (self->devices, position);

  return device != NULL ? pw_device_get_id (device) : 0;
}

/* Where the selected printer is now. */
static guint
find_selected (PwFleetRows *self)
{
  guint n = g_list_model_get_n_items (self->devices);

  if (self->selected_id == 0)
    return GTK_INVALID_LIST_POSITION;
  if (self->selected < n && id_at (self, self->selected) == self->selected_id)
    return self->selected;
  for (guint i = 0; i < n; i++)
    if (id_at (self, i) == self->selected_id)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* Tells the rows whose state changed, from @before to self->selected. */
static void
selection_moved (PwFleetRows *self,
                 guint        before)
{
  if (before == self->selected)
    return;
  if (before < self->rows->len)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), before, 1);
  if (self->selected < self->rows->len)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);
}

static gboolean
pw_fleet_rows_is_selected (GtkSelectionModel *model,
                           guint              position)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);

  return self->selected != GTK_INVALID_LIST_POSITION && position == self->selected;
}

static GtkBitset *
pw_fleet_rows_get_selection_in_range (GtkSelectionModel *model,
                                      guint              position,
                                      guint              n_items)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);
  GtkBitset *selection = gtk_bitset_new_empty ();

  if (self->selected != GTK_INVALID_LIST_POSITION && self->selected >= position &&
      self->selected - position < n_items)
    gtk_bitset_add (selection, self->selected);
  return selection;
}

static gboolean
pw_fleet_rows_select_item (GtkSelectionModel *model,
                           guint              position,
                           gboolean           unselect_rest)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);
  guint before = self->selected;
  gint64 id = position < self->rows->len ? id_at (self, position) : 0;

  if (id == 0)
    return FALSE;
  self->selected_id = id;
  self->selected = position;
  selection_moved (self, before);
  return TRUE;
}

static gboolean
pw_fleet_rows_unselect_all (GtkSelectionModel *model)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);
  guint before = self->selected;

  self->selected_id = 0;
  self->selected = GTK_INVALID_LIST_POSITION;
  selection_moved (self, before);
  return TRUE;
}

static gboolean
pw_fleet_rows_unselect_item (GtkSelectionModel *model,
                             guint              position)
{
  PwFleetRows *self = PW_FLEET_ROWS (model);

  if (self->selected != GTK_INVALID_LIST_POSITION && position == self->selected)
    return pw_fleet_rows_unselect_all (model);
  return TRUE;
}

static void
pw_fleet_rows_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = pw_fleet_rows_is_selected;
  iface->get_selection_in_range = pw_fleet_rows_get_selection_in_range;
  iface->select_item = pw_fleet_rows_select_item;
  iface->unselect_item = pw_fleet_rows_unselect_item;
  iface->unselect_all = pw_fleet_rows_unselect_all;
}

/* Following the devices */

static void
devices_changed_cb (GListModel  *devices,
                    guint        position,
                    guint        removed,
                    guint        added,
                    PwFleetRows *self)
{
  guint before = self->rows->len;
  guint after = g_list_model_get_n_items (devices);
  guint kept = MIN (before, after);
  /* Unless as many came as went, every row from @position on shows another device. */
  guint end = removed == added ? MIN (position + added, kept) : kept;
  guint selected = self->selected;

  for (guint i = position; i < end; i++)
    {
      PwFleetRow *row = self->rows->pdata[i];

      if (row != NULL)
        {
          g_autoptr(PwDevice) device = g_list_model_get_item (devices, i);

          pw_fleet_row_set_device (row, device);
        }
    }
  g_ptr_array_set_size (self->rows, after);
  self->selected = find_selected (self);
  if (before != after)
    g_list_model_items_changed (G_LIST_MODEL (self), kept, before - kept, after - kept);
  selection_moved (self, selected);
}

static void
pw_fleet_rows_dispose (GObject *object)
{
  PwFleetRows *self = PW_FLEET_ROWS (object);

  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_func (self->devices, devices_changed_cb, self);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (pw_fleet_rows_parent_class)->dispose (object);
}

static void
pw_fleet_rows_finalize (GObject *object)
{
  PwFleetRows *self = PW_FLEET_ROWS (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (pw_fleet_rows_parent_class)->finalize (object);
}

static void
pw_fleet_rows_class_init (PwFleetRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_fleet_rows_dispose;
  object_class->finalize = pw_fleet_rows_finalize;
}

/* Rows not asked for are NULL. */
static void
row_free (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

static void
pw_fleet_rows_init (PwFleetRows *self)
{
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->selected = GTK_INVALID_LIST_POSITION;
}

/**
 * pw_fleet_rows_new:
 * @devices: a list of PwDevice, in the order the rows show them
 *
 * Returns: (transfer full): one row per device, none selected
 */
PwFleetRows *
pw_fleet_rows_new (GListModel *devices)
{
  PwFleetRows *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  self = g_object_new (PW_TYPE_FLEET_ROWS, NULL);
  self->devices = g_object_ref (devices);
  g_ptr_array_set_size (self->rows, g_list_model_get_n_items (devices));
  g_signal_connect (devices, "items-changed", G_CALLBACK (devices_changed_cb), self);
  return self;
}

/**
 * pw_fleet_rows_get_selected_device:
 *
 * Returns: (transfer none) (nullable): the selected printer, if a row shows it
 */
PwDevice *
pw_fleet_rows_get_selected_device (PwFleetRows *self)
{
  PwFleetRow *row;

  g_return_val_if_fail (PW_IS_FLEET_ROWS (self), NULL);

  if (self->selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  row = g_list_model_get_item (G_LIST_MODEL (self), self->selected);
  g_object_unref (row);  /* the list keeps it */
  return pw_fleet_row_get_device (row);
}
