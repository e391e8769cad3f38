/* pw-cli-show.c: printwatch-cli show and history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* The days of history shown when no period is given. */
#define DEFAULT_HISTORY_DAYS 30

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *safe = NULL;
  g_autofree char *padded = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  safe = pw_text_sanitize (value, -1, 0);
  padded = pw_cli_pad (label, 18);
  g_print ("  %s %s\n", padded, safe);
}

static void
print_identity (PwDevice *device)
{
  static const struct {
    PwIdentityField  field;
    const char      *label;
  } fields[] = {
    { PW_IDENTITY_VENDOR, N_("Vendor") },
    { PW_IDENTITY_MODEL, N_("Model") },
    { PW_IDENTITY_SERIAL, N_("Serial number") },
    { PW_IDENTITY_FIRMWARE, N_("Firmware") },
    { PW_IDENTITY_MAC, N_("MAC address") },
    { PW_IDENTITY_SYS_NAME, N_("System name") },
    { PW_IDENTITY_LOCATION, N_("Location") },
    { PW_IDENTITY_CONTACT, N_("Contact") },
    { PW_IDENTITY_SYS_DESCR, N_("Description") },
    { PW_IDENTITY_SYS_OBJECT_ID, N_("Object ID") },
  };
  g_autofree char *address = pw_device_dup_address (device);
  g_autofree char *added = pw_cli_format_time (pw_device_get_added_at (device));
  g_autofree char *first = pw_cli_format_time (pw_device_get_first_seen (device));
  g_autofree char *last = pw_cli_format_time (pw_device_get_last_seen (device));
  g_autofree char *name = pw_text_sanitize (pw_device_get_display_name (device), -1, 0);

  /* TRANSLATORS: a printer's name, then its address and number in the list */
  g_print (_("%s (%s, id %lld)\n"), name, address, (long long) pw_device_get_id (device));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    print_field (_(fields[i].label), pw_device_get_identity (device, fields[i].field));
  print_field (_("Under contract"), pw_device_get_in_scope (device) ? _("yes") : _("no"));
  print_field (_("Added"), added);
  print_field (_("First seen"), first);
  print_field (_("Last seen"), last);
  if (pw_device_get_last_seen (device) > 0 || pw_device_get_last_error (device) != NULL)
    print_field (_("Answers"), pw_device_get_reachable (device) ? _("yes") : _("no"));
  print_field (_("Last error"), pw_device_get_last_error (device));
}

/* A meter read, with thousands separators when @grouped, and a word when it
 * is lower than the one before. */
static char *
format_reading (gint64   value,
                gboolean reset,
                gboolean grouped)
{
  g_autofree char *number = grouped ? g_strdup_printf ("%'" G_GINT64_FORMAT, value)
                                    : g_strdup_printf ("%" G_GINT64_FORMAT, value);

  /* TRANSLATORS: a meter read lower than the one before: the counter was reset or the board replaced */
  return reset ? g_strdup_printf (_("%s (went back)"), number) : g_steal_pointer (&number);
}

/* A tray's or bin's number in its unit; -3 "some", other specials nothing. */
static char *
format_amount (gint64 amount)
{
  if (amount == -3)
    return g_strdup (_("some"));
  if (amount < 0)
    return g_strdup ("");
  return g_strdup_printf ("%'" G_GINT64_FORMAT, amount);
}

static void
print_options (GPtrArray *options)
{
  g_autoptr(PwCliTable) table = NULL;

  if (options->len == 0)
    return;
  table = pw_cli_table_new (4, _("OPTION"), _("NAME"), _("HOLDS"), _("NOW"), NULL);
  for (guint i = 0; i < options->len; i++)
    {
      const PwOption *option = options->pdata[i];
      g_autofree char *name = option->media != NULL ? g_strdup_printf ("%s (%s)", option->name != NULL ? option->name : "",
                                                                       option->media)
                                                    : g_strdup (option->name);
      g_autofree char *holds = NULL;
      g_autofree char *now = NULL;

      if (option->kind == PW_OPTION_MEMORY || option->kind == PW_OPTION_DISK)
        {
          g_autofree char *used = option->level >= 0 ? g_format_size (option->level) : NULL;

          holds = option->capacity > 0 ? g_format_size (option->capacity) : g_strdup ("");
          /* TRANSLATORS: how much of a printer's disk is in use, e.g. "12.5 GB used" */
          now = used != NULL ? g_strdup_printf (_("%s used"), used) : g_strdup ("");
        }
      else
        {
          holds = format_amount (option->capacity);
          now = format_amount (option->level);
        }
      pw_cli_table_add_row (table, pw_option_kind_get_label (option->kind), name, holds, now);
    }
  g_print ("\n");
  pw_cli_table_print (table, stdout);
}

static void
print_latest (PwSnapshot *latest)
{
  g_auto(GStrv) status = pw_snapshot_describe_status (latest);
  g_autofree char *when = pw_cli_format_time (pw_snapshot_get_taken_at (latest));
  g_autofree char *joined = g_strjoinv (", ", status);
  GPtrArray *counters = pw_snapshot_get_counters (latest);
  GPtrArray *supplies = pw_snapshot_get_supplies (latest);
  GPtrArray *alerts = pw_snapshot_get_alerts (latest);

  g_print ("\n%s\n", when);
  print_field (_("Status"), status[0] != NULL ? joined : _("not told"));

  if (counters->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (3, _("COUNTER"), _("VALUE"), _("UNIT"), NULL);

      for (guint i = 0; i < counters->len; i++)
        {
          const PwCounter *counter = counters->pdata[i];
          g_autofree char *value = format_reading (counter->value, counter->reset, TRUE);

          pw_cli_table_add_row (table, pw_counter_name_get_label (counter->name), value, counter->unit);
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }

  if (supplies->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (4, _("SUPPLY"), _("COLOUR"), _("LEVEL"),
                                                      _("OF"), NULL);

      for (guint i = 0; i < supplies->len; i++)
        {
          const PwSupply *supply = supplies->pdata[i];
          int percent = pw_supply_get_percent (supply);
          g_autofree char *level = NULL;
          g_autofree char *max = NULL;

          /* RFC 3805 prtMarkerSuppliesLevel: -3 means some remains, -2 unknown. */
          if (percent >= 0)
            level = g_strdup_printf ("%d%%", percent);
          else if (supply->level == -3)
            level = g_strdup (_("some left"));
          else if (supply->level < 0)
            level = g_strdup (_("unknown"));
          else
            level = g_strdup_printf ("%" G_GINT64_FORMAT, supply->level);
          max = supply->max_capacity > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, supply->max_capacity)
                                         : g_strdup ("");
          pw_cli_table_add_row (table, supply->description, supply->colour, level, max);
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }

  print_options (pw_snapshot_get_options (latest));

  if (alerts->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (3, _("ALERT"), _("CODE"), _("HANDLED BY"), NULL);

      for (guint i = 0; i < alerts->len; i++)
        {
          const PwAlert *alert = alerts->pdata[i];
          g_autofree char *code = g_strdup_printf ("%d", alert->code);
          g_autofree char *text = pw_mib_alert_describe (alert->severity, alert->group, alert->group_index,
                                                         alert->code, alert->description);

          pw_cli_table_add_row (table, text, code, pw_mib_alert_training_label (alert->training));
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }
}

int
pw_cli_show (PwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;
  PwStore *store;
  int status = PW_CLI_EXIT_OK;

  if (!pw_cli_parse_options ("show", "ADDRESS[:PORT]|ID",
                             N_("Show everything known about a printer."),
                             NULL, &argc, &argv, 1, 1, &status))
    return status;
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  device = pw_cli_resolve_device (store, argv[1], &error);
  if (device == NULL)
    return pw_cli_fail (error);

  print_identity (device);
  if (pw_device_get_latest (device) != NULL)
    print_latest (pw_device_get_latest (device));
  else
    g_print ("\n%s\n", _("No meter reads yet: this printer has not been polled."));
  return PW_CLI_EXIT_OK;
}

static gboolean
counter_went_back (PwSnapshot *snapshot,
                   const char *name)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);

  for (guint i = 0; i < counters->len; i++)
    if (g_str_equal (((PwCounter *) counters->pdata[i])->name, name))
      return ((PwCounter *) counters->pdata[i])->reset;
  return FALSE;
}

int
pw_cli_history (PwCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(PwCliTable) table = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 from = now - DEFAULT_HISTORY_DAYS * 86400, to = now + 1;
  PwStore *store;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("First day or time (default: 30 days ago)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Last day, included, or time (default: now)"),
      N_("DATE") },
    { NULL }
  };

  if (!pw_cli_parse_options ("history", "ADDRESS[:PORT]|ID",
                             N_("Show a printer’s meter reads over a period."),
                             entries, &argc, &argv, 1, 1, &status))
    return status;
  if ((from_text != NULL && !pw_cli_parse_when (from_text, FALSE, &from, &error)) ||
      (to_text != NULL && !pw_cli_parse_when (to_text, TRUE, &to, &error)))
    return pw_cli_usage_error ("%s", error->message);
  if (from >= to)
    return pw_cli_usage_error (_("The period ends before it begins"));
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  device = pw_cli_resolve_device (store, argv[1], &error);
  if (device == NULL)
    return pw_cli_fail (error);
  history = pw_store_get_history (store, pw_device_get_id (device), from, to, &error);
  if (history == NULL)
    return pw_cli_fail (error);

  /* One column per counter any snapshot of the period has, in first-seen order. */
  for (guint i = 0; i < history->len; i++)
    {
      GPtrArray *counters = pw_snapshot_get_counters (history->pdata[i]);

      for (guint c = 0; c < counters->len; c++)
        {
          const char *name = ((PwCounter *) counters->pdata[c])->name;

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, (gpointer) name);
        }
    }

  {
    g_autofree char *address = pw_device_dup_address (device);
    g_autofree char *name = pw_text_sanitize (pw_device_get_display_name (device), -1, 0);
    g_autoptr(GPtrArray) header = g_ptr_array_new ();

    g_print (ngettext ("%s (%s): %u meter read\n", "%s (%s): %u meter reads\n", history->len),
             name, address, history->len);
    if (history->len == 0)
      return PW_CLI_EXIT_OK;

    g_ptr_array_add (header, (gpointer) _("TIME"));
    for (guint c = 0; c < names->len; c++)
      g_ptr_array_add (header, (gpointer) pw_counter_name_get_label (names->pdata[c]));
    table = pw_cli_table_new_v (header->len, (const char * const *) header->pdata);
    for (guint i = 0; i < history->len; i++)
      {
        PwSnapshot *snapshot = history->pdata[i];
        g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

        g_ptr_array_add (row, pw_cli_format_time (pw_snapshot_get_taken_at (snapshot)));
        for (guint c = 0; c < names->len; c++)
          {
            gint64 value;

            if (pw_snapshot_lookup_counter (snapshot, names->pdata[c], &value))
              g_ptr_array_add (row, format_reading (value, counter_went_back (snapshot, names->pdata[c]), FALSE));
            else
              g_ptr_array_add (row, g_strdup ("-"));
          }
        pw_cli_table_add_row_v (table, (const char * const *) row->pdata);
      }
    pw_cli_table_print (table, stdout);
  }
  return PW_CLI_EXIT_OK;
}
