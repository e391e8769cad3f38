/* pw-device-page-rows.c: the rows of the device page, from the latest snapshot.
 *
 * Everything here is printer text already sanitised by PwSnapshot; rows
 * show it as plain text, never as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-device-page"

#include "config.h"

#include "pw-device-page-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* prtCapacityUnit (RFC 3805) of sheets. */
#define CAPACITY_UNIT_SHEETS 8

static AdwActionRow *
add_row (PwDevicePage        *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  AdwActionRow *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                    "use-markup", FALSE,
                                    "title", title != NULL ? title : "",
                                    "subtitle", subtitle,
                                    NULL);

  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
  return row;
}

/* A row whose value sits on the right, selectable for copying. */
static void
add_value_row (PwDevicePage        *self,
               AdwPreferencesGroup *group,
               const char          *title,
               const char          *value)
{
  AdwActionRow *row;
  GtkWidget *label;

  if (value == NULL || value[0] == '\0')
    return;
  row = add_row (self, group, title, NULL);
  label = g_object_new (GTK_TYPE_LABEL,
                        "label", value,
                        "selectable", TRUE,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "xalign", 1.0f,
                        "justify", GTK_JUSTIFY_RIGHT,
                        "max-width-chars", 48,
                        /* Room enough that a short value is not wrapped word by word. */
                        "width-chars", (int) MIN (g_utf8_strlen (value, -1), 32),
                        NULL);
  adw_action_row_add_suffix (row, label);
}

static void
add_prefix_icon (AdwActionRow *row,
                 const char   *icon_name,
                 const char   *style)
{
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

  if (style != NULL)
    gtk_widget_add_css_class (image, style);
  adw_action_row_add_prefix (row, image);
}

void
_pw_device_page_clear (PwDevicePage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) local = when > 0 ? g_date_time_new_from_unix_local (when) : NULL;
  g_autofree char *relative = pw_time_describe_relative (when, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *absolute = local != NULL ? g_date_time_format (local, "%x %H:%M") : NULL;

  /* TRANSLATORS: a time in words, then as a date: "5 minutes ago (25/11/25 08:00)" */
  return absolute != NULL ? g_strdup_printf (_("%s (%s)"), relative, absolute) : g_steal_pointer (&relative);
}

/* sysUpTime in hundredths of a second, in words. */
static char *
format_uptime (gint64 uptime)
{
  guint64 minutes = (guint64) uptime / 6000;
  gulong days = (gulong) (minutes / 1440);
  gulong hours = (gulong) (minutes / 60 % 24);
  gulong mins = (gulong) (minutes % 60);
  g_autofree char *d = g_strdup_printf (ngettext ("%lu day", "%lu days", days), days);
  g_autofree char *h = g_strdup_printf (ngettext ("%lu hour", "%lu hours", hours), hours);
  g_autofree char *m = g_strdup_printf (ngettext ("%lu minute", "%lu minutes", mins), mins);

  if (days > 0)
    /* TRANSLATORS: how long a printer has been on: "3 days, 4 hours" */
    return g_strdup_printf (C_("uptime", "%s, %s"), d, h);
  if (hours > 0)
    return g_strdup_printf (C_("uptime", "%s, %s"), h, m);
  return g_steal_pointer (&m);
}

static void
fill_status (PwDevicePage *self,
             PwSnapshot   *latest)
{
  const PwDeviceSummary *summary = pw_device_summary_get (self->device);
  g_auto(GStrv) conditions = latest != NULL ? pw_snapshot_describe_status (latest) : NULL;
  g_autofree char *joined = conditions != NULL && conditions[0] != NULL ? g_strjoinv (", ", conditions) : NULL;
  g_autofree char *seen = format_time (pw_device_get_last_seen (self->device));
  AdwActionRow *row = add_row (self, self->status_group, summary->status, joined);
  GPtrArray *alerts = latest != NULL ? pw_snapshot_get_alerts (latest) : NULL;

  switch (summary->health)
    {
    case PW_DEVICE_HEALTH_OK:
      add_prefix_icon (row, "emblem-ok-symbolic", "success");
      break;
    case PW_DEVICE_HEALTH_WARNING:
      add_prefix_icon (row, "dialog-warning-symbolic", "warning");
      break;
    case PW_DEVICE_HEALTH_ERROR:
      add_prefix_icon (row, "dialog-error-symbolic", "error");
      break;
    case PW_DEVICE_HEALTH_UNREACHABLE:
      add_prefix_icon (row, "network-offline-symbolic", "dim-label");
      break;
    case PW_DEVICE_HEALTH_UNKNOWN:
    default:
      add_prefix_icon (row, "content-loading-symbolic", "dim-label");
      break;
    }

  add_value_row (self, self->status_group, _("Last Seen"), seen);
  add_value_row (self, self->status_group, _("Last Error"), pw_device_get_last_error (self->device));

  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const PwAlert *alert = alerts->pdata[i];
      g_autofree char *text = pw_mib_alert_describe (alert->severity, alert->group, alert->group_index,
                                                     alert->code, alert->description);
      /* TRANSLATORS: who can clear a printer's alert, e.g. "Handled by: Trained operator" */
      g_autofree char *who = g_strdup_printf (_("Handled by: %s"), pw_mib_alert_training_label (alert->training));

      row = add_row (self, self->status_group, text, who);
      /* prtAlertSeverityLevel 3 is critical (RFC 3805). */
      add_prefix_icon (row, alert->severity == 3 ? "dialog-error-symbolic" : "dialog-warning-symbolic",
                       alert->severity == 3 ? "error" : "warning");
    }
}

static void
fill_identity (PwDevicePage *self,
               PwSnapshot   *latest)
{
  static const struct {
    PwIdentityField  field;
    const char      *label;
  } fields[] = {
    { PW_IDENTITY_VENDOR, N_("Vendor") },
    { PW_IDENTITY_MODEL, N_("Model") },
    { PW_IDENTITY_SERIAL, N_("Serial Number") },
    { PW_IDENTITY_FIRMWARE, N_("Firmware") },
    { PW_IDENTITY_MAC, N_("MAC Address") },
  };
  g_autofree char *address = pw_device_dup_address (self->device);
  g_autofree char *uptime = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    add_value_row (self, self->identity_group, _(fields[i].label),
                   pw_device_get_identity (self->device, fields[i].field));
  add_value_row (self, self->identity_group, _("Address"), address);
  add_value_row (self, self->identity_group, _("Location"),
                 pw_device_get_identity (self->device, PW_IDENTITY_LOCATION));
  add_value_row (self, self->identity_group, _("Contact"),
                 pw_device_get_identity (self->device, PW_IDENTITY_CONTACT));
  add_value_row (self, self->identity_group, _("System Name"),
                 pw_device_get_identity (self->device, PW_IDENTITY_SYS_NAME));
  add_value_row (self, self->identity_group, _("Description"),
                 pw_device_get_identity (self->device, PW_IDENTITY_SYS_DESCR));
  if (latest != NULL && pw_snapshot_get_uptime (latest) >= 0)
    uptime = format_uptime (pw_snapshot_get_uptime (latest));
  add_value_row (self, self->identity_group, _("Switched On For"), uptime);
}

/* A tray's or bin's amount in its unit; -3 "some" (RFC 3805), other specials nothing. */
static char *
format_amount (gint64 amount,
               gint   unit)
{
  if (amount == -3)
    return g_strdup (_("some"));
  if (amount < 0)
    return NULL;
  if (unit == CAPACITY_UNIT_SHEETS)
    return g_strdup_printf (ngettext ("%'lld sheet", "%'lld sheets", (gulong) amount), (long long) amount);
  return g_strdup_printf ("%'lld", (long long) amount);
}

static void
fill_options (PwDevicePage *self,
              PwSnapshot   *latest)
{
  GPtrArray *options = pw_snapshot_get_options (latest);

  for (guint i = 0; i < options->len; i++)
    {
      const PwOption *option = options->pdata[i];
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *subtitle = NULL;
      g_autofree char *fallback = g_strdup_printf (C_("option", "%s %d"), pw_option_kind_get_label (option->kind),
                                                   option->index);
      const char *type = NULL;

      switch (option->kind)
        {
        case PW_OPTION_INPUT:
        case PW_OPTION_OUTPUT:
          {
            g_autofree char *capacity = format_amount (option->capacity, option->unit);

            type = option->type > 0 ? (option->kind == PW_OPTION_INPUT ? pw_mib_input_type_label (option->type)
                                                                      : pw_mib_output_type_label (option->type))
                                    : NULL;
            if (type != NULL)
              g_ptr_array_add (parts, g_strdup (type));
            if (option->media != NULL)
              g_ptr_array_add (parts, g_strdup (option->media));
            if (capacity != NULL)
              /* TRANSLATORS: how much a printer's tray or bin holds, e.g. "holds 250 sheets" */
              g_ptr_array_add (parts, g_strdup_printf (_("holds %s"), capacity));
          }
          break;
        case PW_OPTION_DUPLEX:
          g_ptr_array_add (parts, g_strdup (pw_mib_media_path_type_label (option->type)));
          break;
        case PW_OPTION_FINISHER:
          g_ptr_array_add (parts, g_strdup (pw_mib_finisher_type_label (option->type)));
          break;
        case PW_OPTION_MEMORY:
        case PW_OPTION_DISK:
          if (option->capacity > 0)
            g_ptr_array_add (parts, g_format_size ((guint64) option->capacity));
          if (option->kind == PW_OPTION_DISK && option->level >= 0)
            {
              g_autofree char *used = g_format_size ((guint64) option->level);

              /* TRANSLATORS: how much of a printer's disk is in use, e.g. "12.5 GB used" */
              g_ptr_array_add (parts, g_strdup_printf (_("%s used"), used));
            }
          break;
        default:
          break;
        }
      g_ptr_array_add (parts, NULL);
      subtitle = g_strjoinv (", ", (char **) parts->pdata);
      add_row (self, self->options_group,
               option->name != NULL && option->kind != PW_OPTION_MEMORY ? option->name : fallback, subtitle);
    }
}

static void
fill_counters (PwDevicePage *self,
               PwSnapshot   *latest)
{
  GPtrArray *counters = pw_snapshot_get_counters (latest);

  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];
      AdwActionRow *row = add_row (self, self->counters_group, pw_counter_name_get_label (counter->name),
                                   counter->unit);
      g_autofree char *value = g_strdup_printf ("%'lld", (long long) counter->value);
      GtkWidget *label = gtk_label_new (value);

      gtk_widget_add_css_class (label, "numeric");
      if (counter->reset)
        {
          /* TRANSLATORS: a meter read lower than the one before: the counter was reset or the board replaced */
          GtkWidget *went_back = gtk_label_new (_("went back"));

          gtk_widget_add_css_class (went_back, "warning");
          gtk_widget_set_tooltip_text (went_back, _("Lower than the reading before: the counter was reset "
                                                    "or the printer’s board replaced"));
          adw_action_row_add_suffix (row, went_back);
        }
      adw_action_row_add_suffix (row, label);
    }
}

/* The CSS class of a supply's level bar, by its colorant's name. */
static const char *
supply_style (const PwSupply *supply)
{
  static const char * const colours[][2] = {
    { "black", "supply-black" }, { "cyan", "supply-cyan" },
    { "magenta", "supply-magenta" }, { "yellow", "supply-yellow" },
  };
  g_autofree char *folded = g_utf8_casefold (supply->colour != NULL ? supply->colour : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    if (strstr (folded, colours[i][0]) != NULL)
      return colours[i][1];
  return "supply-other";
}

static void
fill_supplies (PwDevicePage *self,
               PwSnapshot   *latest)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (latest);

  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      const char *type = pw_mib_supply_type_label (supply->type);
      int percent = pw_supply_get_percent (supply);
      g_autofree char *level = pw_supply_describe_level (supply);
      AdwActionRow *row = add_row (self, self->supplies_group,
                                   supply->description != NULL ? supply->description : type,
                                   supply->description != NULL ? type : NULL);
      GtkWidget *label = gtk_label_new (level);

      if (percent >= 0)
        {
          GtkWidget *bar = gtk_level_bar_new_for_interval (0, 100);

          gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), percent);
          gtk_widget_set_size_request (bar, 160, -1);
          gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (bar, supply_style (supply));
          adw_action_row_add_suffix (row, bar);
        }
      else
        gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_width_chars (GTK_LABEL (label), 9);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (row, label);
    }
}

/* Shows the groups that have rows, and hides the others. */
static void
show_groups (PwDevicePage *self)
{
  AdwPreferencesGroup *groups[] = {
    self->status_group, self->supplies_group, self->counters_group, self->identity_group, self->options_group,
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < self->rows->len && !used; j++)
        used = gtk_widget_is_ancestor (self->rows->pdata[j], GTK_WIDGET (groups[i]));
      gtk_widget_set_visible (GTK_WIDGET (groups[i]), used);
    }
}

/* Rows for the device, from scratch. */
void
_pw_device_page_fill (PwDevicePage *self)
{
  PwSnapshot *latest;

  _pw_device_page_clear (self);
  if (self->device == NULL)
    return;
  latest = pw_device_get_latest (self->device);
  fill_status (self, latest);
  fill_identity (self, latest);
  if (latest != NULL)
    {
      fill_supplies (self, latest);
      fill_counters (self, latest);
      fill_options (self, latest);
    }
  show_groups (self);
}
