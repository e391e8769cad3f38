/* pw-cli-devices.c: printwatch-cli add, list and remove.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

int
pw_cli_add (PwCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAddress) address = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  gboolean out_of_scope = FALSE;
  PwStore *store;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("A name for the printer"), N_("NAME") },
    { "out-of-scope", 0, 0, G_OPTION_ARG_NONE, &out_of_scope,
      N_("Not under contract: keep its data here, but do not upload it"), NULL },
    { NULL }
  };

  if (!pw_cli_parse_options ("add", "ADDRESS[:PORT]",
                             N_("Add a printer by IP address or host name (port 161 unless given)."),
                             entries, &argc, &argv, 1, 1, &status))
    return status;

  address = pw_address_parse (argv[1], PW_SNMP_DEFAULT_PORT, &error);
  if (address == NULL)
    return pw_cli_fail (error);
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  device = pw_store_add_device (store, address->host, address->port, &error);
  if (device == NULL)
    return pw_cli_fail (error);

  if (name != NULL || out_of_scope)
    {
      pw_device_set_name (device, name);
      pw_device_set_in_scope (device, !out_of_scope);
      if (!pw_store_update_device (store, device, &error))
        return pw_cli_fail (error);
    }

  shown = pw_device_dup_address (device);
  /* TRANSLATORS: the first %s is an address, %lld the printer's number in the list */
  g_print (_("Added printer %s (id %lld).\n"), shown, (long long) pw_device_get_id (device));
  return PW_CLI_EXIT_OK;
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
print_table (GPtrArray *devices)
{
  g_autoptr(PwCliTable) table = NULL;

  table = pw_cli_table_new (8, _("ID"), _("ADDRESS"), _("NAME"), _("VENDOR"), _("MODEL"),
                            _("SERIAL"), _("IN SCOPE"), _("LAST SEEN"), NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pw_device_get_id (device));
      g_autofree char *address = pw_device_dup_address (device);
      g_autofree char *last_seen = pw_cli_format_time (pw_device_get_last_seen (device));

      pw_cli_table_add_row (table, id, address,
                            pw_device_get_display_name (device),
                            or_empty (pw_device_get_identity (device, PW_IDENTITY_VENDOR)),
                            or_empty (pw_device_get_identity (device, PW_IDENTITY_MODEL)),
                            or_empty (pw_device_get_identity (device, PW_IDENTITY_SERIAL)),
                            pw_device_get_in_scope (device) ? _("yes") : _("no"),
                            last_seen);
    }
  pw_cli_table_print (table, stdout);
  if (devices->len == 0 && isatty (STDOUT_FILENO))
    g_print ("\n%s\n", _("No printers yet. Add one with “printwatch-cli add ADDRESS”."));
}

static void
add_snapshot (JsonBuilder *builder,
              PwSnapshot  *snapshot)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);
  GPtrArray *supplies = pw_snapshot_get_supplies (snapshot);
  GPtrArray *alerts = pw_snapshot_get_alerts (snapshot);

  json_builder_begin_object (builder);
  pw_json_add_time (builder, "taken_at", pw_snapshot_get_taken_at (snapshot));
  pw_json_add_int (builder, "device_status", pw_snapshot_get_device_status (snapshot));
  pw_json_add_int (builder, "printer_status", pw_snapshot_get_printer_status (snapshot));
  pw_json_add_int (builder, "error_state", pw_snapshot_get_error_state (snapshot));

  json_builder_set_member_name (builder, "counters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_string (builder, "name", counter->name);
      pw_json_add_int (builder, "value", counter->value);
      pw_json_add_string (builder, "unit", counter->unit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "supplies");
  json_builder_begin_array (builder);
  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_int (builder, "index", supply->index);
      pw_json_add_string (builder, "description", supply->description);
      pw_json_add_int (builder, "type", supply->type);
      pw_json_add_int (builder, "class", supply->supply_class);
      pw_json_add_int (builder, "unit", supply->unit);
      pw_json_add_int (builder, "max_capacity", supply->max_capacity);
      pw_json_add_int (builder, "level", supply->level);
      pw_json_add_string (builder, "colour", supply->colour);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < alerts->len; i++)
    {
      const PwAlert *alert = alerts->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_int (builder, "index", alert->index);
      pw_json_add_int (builder, "severity", alert->severity);
      pw_json_add_int (builder, "training", alert->training);
      pw_json_add_int (builder, "group", alert->group);
      pw_json_add_int (builder, "code", alert->code);
      pw_json_add_string (builder, "description", alert->description);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *devices)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      g_autofree char *address = pw_device_dup_address (device);
      static const char * const identity[PW_N_IDENTITY_FIELDS] = {
        "vendor", "model", "serial", "firmware", "mac",
        "sys_name", "sys_descr", "sys_object_id", "location", "contact",
      };

      json_builder_begin_object (builder);
      pw_json_add_int (builder, "id", pw_device_get_id (device));
      pw_json_add_string (builder, "address", address);
      pw_json_add_string (builder, "host", pw_device_get_host (device));
      pw_json_add_int (builder, "port", pw_device_get_port (device));
      pw_json_add_string (builder, "name", pw_device_get_name (device));
      pw_json_add_string (builder, "display_name", pw_device_get_display_name (device));
      for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
        pw_json_add_string (builder, identity[f], pw_device_get_identity (device, f));
      json_builder_set_member_name (builder, "in_scope");
      json_builder_add_boolean_value (builder, pw_device_get_in_scope (device));
      json_builder_set_member_name (builder, "credential_profile");
      if (pw_device_get_credential_profile (device) > 0)
        json_builder_add_int_value (builder, pw_device_get_credential_profile (device));
      else
        json_builder_add_null_value (builder);
      pw_json_add_time (builder, "added_at", pw_device_get_added_at (device));
      pw_json_add_time (builder, "first_seen", pw_device_get_first_seen (device));
      pw_json_add_time (builder, "last_seen", pw_device_get_last_seen (device));
      json_builder_set_member_name (builder, "reachable");
      json_builder_add_boolean_value (builder, pw_device_get_reachable (device));
      pw_json_add_string (builder, "last_error", pw_device_get_last_error (device));
      json_builder_set_member_name (builder, "latest");
      if (pw_device_get_latest (device) != NULL)
        add_snapshot (builder, pw_device_get_latest (device));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
pw_cli_list (PwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  gboolean json = FALSE;
  PwStore *store;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { NULL }
  };

  if (!pw_cli_parse_options ("list", "", N_("List the printers Printwatch knows."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  devices = pw_store_list_devices (store, &error);
  if (devices == NULL)
    return pw_cli_fail (error);

  if (json)
    print_json (devices);
  else
    print_table (devices);
  return PW_CLI_EXIT_OK;
}

/* A device by id ("12"), by address with port ("10.0.0.5:1161"), or by
 * address alone when only one device has that host. */
PwDevice *
pw_cli_resolve_device (PwStore     *store,
                       const char  *text,
                       GError     **error)
{
  g_autoptr(PwAddress) address = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  guint64 id;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return pw_store_get_device (store, (gint64) id, error);

  address = pw_address_parse (text, 0, error);
  if (address == NULL)
    return NULL;
  if (address->port != 0)
    return pw_store_find_device (store, address->host, address->port, error);

  devices = pw_store_find_devices_by_host (store, address->host, error);
  if (devices == NULL)
    return NULL;
  if (devices->len == 1)
    return g_object_ref (devices->pdata[0]);
  if (devices->len == 0)
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND,
                   _("No printer at %s in the list"), address->host);
      return NULL;
    }
  g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND,
               _("%u printers at %s, on different ports: give ADDRESS:PORT or the id"),
               devices->len, address->host);
  return NULL;
}

int
pw_cli_remove (PwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autofree char *shown = NULL;
  PwStore *store;
  int status = PW_CLI_EXIT_OK;

  if (!pw_cli_parse_options ("remove", "ADDRESS[:PORT]|ID",
                             N_("Remove a printer and all its history."),
                             NULL, &argc, &argv, 1, 1, &status))
    return status;
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  device = pw_cli_resolve_device (store, argv[1], &error);
  if (device == NULL || !pw_store_remove_device (store, pw_device_get_id (device), &error))
    return pw_cli_fail (error);

  shown = pw_device_dup_address (device);
  g_print (_("Removed printer %s and its history.\n"), shown);
  return PW_CLI_EXIT_OK;
}
