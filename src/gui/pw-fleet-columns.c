/* pw-fleet-columns.c: the columns of the fleet table, their cells and sorters.
 *
 * Every cell shows what PwDeviceSummary computed once per device, so
 * binding a row and comparing two rows are cheap: the table stays quick
 * with 10,000 printers. Numbers sort as numbers, times as times; ties go
 * by the order of the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-view"

#include "config.h"

#include "pw-fleet-view-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* Supply levels at or below this (%) show in the warning colour. */
#define LOW_SUPPLY 15

typedef enum {
  CELL_TEXT,
  CELL_NUMBER,
  CELL_STATUS,
  CELL_SUPPLY,
  CELL_CHECK,
} CellKind;

typedef struct {
  const char *title;
  CellKind    kind;
  gboolean    expand;
} ColumnInfo;

static const ColumnInfo columns[PW_FLEET_N_COLUMNS] = {
  [PW_FLEET_COLUMN_STATUS] = { N_("Status"), CELL_STATUS, FALSE },
  [PW_FLEET_COLUMN_NAME] = { N_("Name"), CELL_TEXT, TRUE },
  [PW_FLEET_COLUMN_ADDRESS] = { N_("Address"), CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_MODEL] = { N_("Model"), CELL_TEXT, TRUE },
  [PW_FLEET_COLUMN_SERIAL] = { N_("Serial Number"), CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_BLACK] = { N_("Black"), CELL_NUMBER, FALSE },
  [PW_FLEET_COLUMN_COLOUR] = { N_("Colour"), CELL_NUMBER, FALSE },
  [PW_FLEET_COLUMN_SUPPLY] = { N_("Lowest Supply"), CELL_SUPPLY, FALSE },
  [PW_FLEET_COLUMN_LAST_SEEN] = { N_("Last Seen"), CELL_TEXT, FALSE },
  [PW_FLEET_COLUMN_IN_SCOPE] = { N_("Contract"), CELL_CHECK, FALSE },
};

/* Cells */

/* Tooltips are looked up when asked for: gtk_widget_set_tooltip_text ()
 * on every bind costs more than all the rest of a sort. */
static gboolean
query_tooltip_cb (GtkWidget   *widget,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkListItem *item)
{
  PwDevice *device = gtk_list_item_get_item (item);
  const char *text;

  if (device == NULL)
    return FALSE;
  if (GTK_IS_IMAGE (widget))
    text = pw_device_get_in_scope (device) ? _("Under contract: its readings are sent to the collection server")
                                           : NULL;
  else if (gtk_widget_get_first_child (widget) != NULL && GTK_IS_LEVEL_BAR (gtk_widget_get_first_child (widget)))
    text = pw_device_summary_get (device)->lowest_name;
  else
    text = pw_device_get_last_error (device);
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
  CellKind kind = columns[GPOINTER_TO_INT (user_data)].kind;
  GtkWidget *child = NULL;

  switch (kind)
    {
    case CELL_TEXT:
    case CELL_NUMBER:
      child = g_object_new (GTK_TYPE_INSCRIPTION,
                            "xalign", kind == CELL_NUMBER ? 1.0f : 0.0f,
                            "nat-chars", kind == CELL_NUMBER ? 9 : 16,
                            "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                            NULL);
      if (kind == CELL_NUMBER)
        gtk_widget_add_css_class (child, "numeric");
      break;
    case CELL_STATUS:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      gtk_box_append (GTK_BOX (child), g_object_new (GTK_TYPE_INSCRIPTION, "hexpand", TRUE, "nat-chars", 12,
                                                     "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                                                     NULL));
      break;
    case CELL_SUPPLY:
      {
        GtkWidget *bar = gtk_level_bar_new_for_interval (0, 100);

        gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
        gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW, LOW_SUPPLY);
        gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH, 100);
        gtk_widget_set_size_request (bar, 64, -1);
        gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (bar, "lowest-supply");
        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_box_append (GTK_BOX (child), bar);
        gtk_box_append (GTK_BOX (child), g_object_new (GTK_TYPE_INSCRIPTION, "min-chars", 4, "nat-chars", 5,
                                                       "xalign", 1.0f, NULL));
        gtk_widget_add_css_class (gtk_widget_get_last_child (child), "numeric");
      }
      break;
    case CELL_CHECK:
      child = gtk_image_new_from_icon_name ("object-select-symbolic");
      break;
    default:
      g_assert_not_reached ();
    }
  if (kind == CELL_STATUS || kind == CELL_SUPPLY || kind == CELL_CHECK)
    {
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (query_tooltip_cb), item);
    }
  gtk_list_item_set_child (item, child);
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

/* The text of a text or number cell. */
static char *
cell_text (PwFleetColumn          column,
           PwDevice              *device,
           const PwDeviceSummary *summary)
{
  switch (column)
    {
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
    case PW_FLEET_COLUMN_LAST_SEEN:
      return pw_time_describe_relative (pw_device_get_last_seen (device), g_get_real_time () / G_USEC_PER_SEC);
    case PW_FLEET_COLUMN_STATUS:
    case PW_FLEET_COLUMN_SUPPLY:
    case PW_FLEET_COLUMN_IN_SCOPE:
    case PW_FLEET_N_COLUMNS:
    default:
      return NULL;
    }
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  PwFleetColumn column = GPOINTER_TO_INT (user_data);
  PwDevice *device = gtk_list_item_get_item (item);
  const PwDeviceSummary *summary = pw_device_summary_get (device);
  GtkWidget *child = gtk_list_item_get_child (item);

  switch (columns[column].kind)
    {
    case CELL_TEXT:
    case CELL_NUMBER:
      {
        g_autofree char *text = cell_text (column, device, summary);

        gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      }
      break;
    case CELL_STATUS:
      {
        const char *classes[] = { health_style (summary->health), NULL };

        gtk_image_set_from_icon_name (GTK_IMAGE (gtk_widget_get_first_child (child)),
                                      health_icon (summary->health));
        gtk_inscription_set_text (GTK_INSCRIPTION (gtk_widget_get_last_child (child)), summary->status);
        gtk_widget_set_css_classes (child, classes);
      }
      break;
    case CELL_SUPPLY:
      {
        GtkWidget *bar = gtk_widget_get_first_child (child);
        g_autofree char *text = NULL;

        if (summary->lowest_percent >= 0)
          /* TRANSLATORS: a supply's level in percent */
          text = g_strdup_printf (_("%d%%"), summary->lowest_percent);
        gtk_widget_set_visible (bar, summary->lowest_percent >= 0);
        gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MAX (summary->lowest_percent, 0));
        gtk_inscription_set_text (GTK_INSCRIPTION (gtk_widget_get_last_child (child)), text);
      }
      break;
    case CELL_CHECK:
      gtk_widget_set_visible (child, pw_device_get_in_scope (device));
      break;
    default:
      g_assert_not_reached ();
    }
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
  view_column = gtk_column_view_column_new (_(columns[column].title), factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, columns[column].expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  return view_column;
}
