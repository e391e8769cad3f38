/* pw-fleet-columns.c: the columns of the fleet table, their cells and sorters.
 *
 * Every cell shows what PwDeviceSummary computed once per device, so
 * filling a row and comparing two rows are cheap: the table stays quick
 * with 10,000 printers. A cell is a PwFleetCell bound to a PwFleetRow, and
 * is filled again whenever the row's device changes. Numbers sort as
 * numbers, times as times; ties go by the order of the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-view"

#include "config.h"

#include "pw-fleet-view-private.h"
#include "pw-fleet-cell.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  const char      *title;
  PwFleetCellKind  kind;
  gboolean         expand;
} ColumnInfo;

static const ColumnInfo columns[PW_FLEET_N_COLUMNS] = {
  [PW_FLEET_COLUMN_STATUS] = { N_("Status"), PW_FLEET_CELL_STATUS, FALSE },
  [PW_FLEET_COLUMN_NAME] = { N_("Name"), PW_FLEET_CELL_TEXT, TRUE },
  [PW_FLEET_COLUMN_ADDRESS] = { N_("Address"), PW_FLEET_CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_MODEL] = { N_("Model"), PW_FLEET_CELL_TEXT, TRUE },
  [PW_FLEET_COLUMN_SERIAL] = { N_("Serial Number"), PW_FLEET_CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_BLACK] = { N_("Black"), PW_FLEET_CELL_NUMBER, FALSE },
  [PW_FLEET_COLUMN_COLOUR] = { N_("Colour"), PW_FLEET_CELL_NUMBER, FALSE },
  [PW_FLEET_COLUMN_SUPPLY] = { N_("Lowest Supply"), PW_FLEET_CELL_LEVEL, FALSE },
  [PW_FLEET_COLUMN_LAST_SEEN] = { N_("Last Seen"), PW_FLEET_CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_IN_SCOPE] = { N_("Contract"), PW_FLEET_CELL_ICON, FALSE },
};

/* Cells */

static GQuark
column_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("pw-fleet-column");
  return quark;
}

/* Which column the list item is a cell of (set up once per item). */
static void
set_column (GtkListItem   *item,
            PwFleetColumn  column)
{
  g_object_set_qdata (G_OBJECT (item), column_quark (), GINT_TO_POINTER (column + 1));
}

static PwFleetColumn
column_of (GtkListItem *item)
{
  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (item), column_quark ())) - 1;
}

/* Tooltips are looked up when asked for: gtk_widget_set_tooltip_text ()
 * on every fill costs more than all the rest of a sort. */
static gboolean
query_tooltip_cb (GtkWidget   *widget,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkListItem *item)
{
  PwFleetRow *row = gtk_list_item_get_item (item);
  PwDevice *device = row != NULL ? pw_fleet_row_get_device (row) : NULL;
  const char *text = NULL;

  if (device == NULL)
    return FALSE;
  switch (column_of (item))
    {
    case PW_FLEET_COLUMN_IN_SCOPE:
      if (pw_device_get_in_scope (device))
        text = _("Under contract: its readings are sent to the collection server");
      break;
    case PW_FLEET_COLUMN_SUPPLY:
      text = pw_device_summary_get (device)->lowest_name;
      break;
    case PW_FLEET_COLUMN_STATUS:
      text = pw_device_get_last_error (device);
      break;
    case PW_FLEET_COLUMN_NAME:
    case PW_FLEET_COLUMN_ADDRESS:
    case PW_FLEET_COLUMN_MODEL:
    case PW_FLEET_COLUMN_SERIAL:
    case PW_FLEET_COLUMN_BLACK:
    case PW_FLEET_COLUMN_COLOUR:
    case PW_FLEET_COLUMN_LAST_SEEN:
    case PW_FLEET_N_COLUMNS:
    default:
      break;
    }
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  PwFleetColumn column = GPOINTER_TO_INT (user_data);
  GtkWidget *cell = pw_fleet_cell_new (columns[column].kind);

  set_column (item, column);
  if (column == PW_FLEET_COLUMN_STATUS || column == PW_FLEET_COLUMN_SUPPLY || column == PW_FLEET_COLUMN_IN_SCOPE)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (query_tooltip_cb), item);
    }
  gtk_list_item_set_child (item, cell);
}

static const char *
health_icon (PwDeviceHealth health)
{
  switch (health)
    {
    case PW_DEVICE_HEALTH_OK:
      return "emblem-ok-symbolic";
    case PW_DEVICE_HEALTH_WARNING:
      return "dialog-warning-symbolic";
    case PW_DEVICE_HEALTH_ERROR:
      return "dialog-error-symbolic";
    case PW_DEVICE_HEALTH_UNREACHABLE:
      return "network-offline-symbolic";
    case PW_DEVICE_HEALTH_UNKNOWN:
    default:
      return "content-loading-symbolic";
    }
}

/* The status's CSS class, which colours its icon and words. */
static const char *
health_style (PwDeviceHealth health)
{
  switch (health)
    {
    case PW_DEVICE_HEALTH_OK:
      return "success";
    case PW_DEVICE_HEALTH_WARNING:
      return "warning";
    case PW_DEVICE_HEALTH_ERROR:
      return "error";
    case PW_DEVICE_HEALTH_UNREACHABLE:
    case PW_DEVICE_HEALTH_UNKNOWN:
    default:
      return "dim-label";
    }
}

static char *
format_count (gint64 value)
{
  return value >= 0 ? g_strdup_printf ("%'" G_GINT64_FORMAT, value) : NULL;
}

/* The text of a cell. */
static char *
cell_text (PwFleetColumn          column,
           PwDevice              *device,
           const PwDeviceSummary *summary)
{
  switch (column)
    {
    case PW_FLEET_COLUMN_STATUS:
      return g_strdup (summary->status);
    case PW_FLEET_COLUMN_NAME:
      return g_strdup (pw_device_get_display_name (device));
    case PW_FLEET_COLUMN_ADDRESS:
      return pw_device_dup_address (device);
    case PW_FLEET_COLUMN_MODEL:
      return g_strdup (summary->vendor_model);
    case PW_FLEET_COLUMN_SERIAL:
      return g_strdup (pw_device_get_identity (device, PW_IDENTITY_SERIAL));
    case PW_FLEET_COLUMN_BLACK:
      return format_count (summary->black);
    case PW_FLEET_COLUMN_COLOUR:
      return format_count (summary->colour);
    case PW_FLEET_COLUMN_SUPPLY:
      /* TRANSLATORS: a supply's level in percent */
      return summary->lowest_percent >= 0 ? g_strdup_printf (_("%d%%"), summary->lowest_percent) : NULL;
    case PW_FLEET_COLUMN_LAST_SEEN:
      return pw_time_describe_relative (pw_device_get_last_seen (device), g_get_real_time () / G_USEC_PER_SEC);
    case PW_FLEET_COLUMN_IN_SCOPE:
      /* Not drawn: for assistive technologies */
      return pw_device_get_in_scope (device) ? g_strdup (_("Under contract")) : NULL;
    case PW_FLEET_N_COLUMNS:
    default:
      return NULL;
    }
}

/* Shows @device in the cell. */
static void
fill (GtkListItem   *item,
      PwFleetColumn  column,
      PwDevice      *device)
{
  const PwDeviceSummary *summary = pw_device_summary_get (device);
  PwFleetCell *cell = PW_FLEET_CELL (gtk_list_item_get_child (item));
  g_autofree char *text = cell_text (column, device, summary);

  pw_fleet_cell_set_text (cell, text);
  if (column == PW_FLEET_COLUMN_STATUS)
    {
      const char *style = health_style (summary->health);

      pw_fleet_cell_set_icon (cell, health_icon (summary->health));
      if (!gtk_widget_has_css_class (GTK_WIDGET (cell), style))
        {
          const char *classes[] = { style, NULL };

          gtk_widget_set_css_classes (GTK_WIDGET (cell), classes);
        }
    }
  else if (column == PW_FLEET_COLUMN_SUPPLY)
    pw_fleet_cell_set_level (cell, summary->lowest_percent);
  else if (column == PW_FLEET_COLUMN_IN_SCOPE)
    pw_fleet_cell_set_icon (cell, pw_device_get_in_scope (device) ? "object-select-symbolic" : NULL);
}

/* The row shows another printer now (a sort, a search, a poll). */
static void
device_changed_cb (PwFleetRow  *row,
                   GParamSpec  *pspec,
                   GtkListItem *item)
{
  fill (item, column_of (item), pw_fleet_row_get_device (row));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  PwFleetRow *row = gtk_list_item_get_item (item);

  g_signal_connect (row, "notify::device", G_CALLBACK (device_changed_cb), item);
  fill (item, GPOINTER_TO_INT (user_data), pw_fleet_row_get_device (row));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), device_changed_cb, item);
}

/* Sorters: each compares what the summary keeps, then the store's order. */

static int
by_id (PwDevice *a,
       PwDevice *b)
{
  gint64 x = pw_device_get_id (a), y = pw_device_get_id (b);

  return x < y ? -1 : x > y;
}

static int
by_number (gint64    x,
           gint64    y,
           PwDevice *a,
           PwDevice *b)
{
  return x < y ? -1 : x > y ? 1 : by_id (a, b);
}

static int
by_key (const char *x,
        const char *y,
        PwDevice   *a,
        PwDevice   *b)
{
  int order = strcmp (x, y);

  return order != 0 ? order : by_id (a, b);
}

static int
compare (gconstpointer item_a,
         gconstpointer item_b,
         gpointer      user_data)
{
  PwDevice *a = (PwDevice *) item_a, *b = (PwDevice *) item_b;
  const PwDeviceSummary *x = pw_device_summary_get (a);
  const PwDeviceSummary *y = pw_device_summary_get (b);

  switch ((PwFleetColumn) GPOINTER_TO_INT (user_data))
    {
    case PW_FLEET_COLUMN_STATUS:
      if (x->health != y->health)
        return x->health < y->health ? -1 : 1;
      return by_key (x->status, y->status, a, b);
    case PW_FLEET_COLUMN_NAME:
      return by_key (x->name_key, y->name_key, a, b);
    case PW_FLEET_COLUMN_ADDRESS:
      return by_key (x->address_key, y->address_key, a, b);
    case PW_FLEET_COLUMN_MODEL:
      return by_key (x->model_key, y->model_key, a, b);
    case PW_FLEET_COLUMN_SERIAL:
      return by_key (x->serial_key, y->serial_key, a, b);
    case PW_FLEET_COLUMN_BLACK:
      return by_number (x->black, y->black, a, b);
    case PW_FLEET_COLUMN_COLOUR:
      return by_number (x->colour, y->colour, a, b);
    case PW_FLEET_COLUMN_SUPPLY:
      /* A level nobody knows goes after the fullest. */
      return by_number (x->lowest_percent >= 0 ? x->lowest_percent : 101,
                        y->lowest_percent >= 0 ? y->lowest_percent : 101, a, b);
    case PW_FLEET_COLUMN_LAST_SEEN:
      return by_number (pw_device_get_last_seen (a), pw_device_get_last_seen (b), a, b);
    case PW_FLEET_COLUMN_IN_SCOPE:
      return by_number (pw_device_get_in_scope (a), pw_device_get_in_scope (b), a, b);
    case PW_FLEET_N_COLUMNS:
    default:
      return by_id (a, b);
    }
}

/**
 * _pw_fleet_view_make_column:
 *
 * Returns: (transfer full): the column, with its cells and its sorter
 */
GtkColumnViewColumn *
_pw_fleet_view_make_column (PwFleetColumn column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  g_autoptr(GtkSorter) sorter = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (_(columns[column].title), factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, columns[column].expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  return view_column;
}
