/* pw-agent-discovery.c: finding printers and adding them, for the dialogs.
 *
 * A discovery sweeps what the admin typed with the agent's engine and
 * stores the printers it finds; the agent tells its progress and each
 * printer as it answers, and whether the list had that printer already:
 * what the list held before the sweep, by address, serial or MAC, the
 * rules by which the store recognises a printer (pw_store_note_discovered).
 * Adding one printer by hand tests the connection first with a full poll
 * that stores nothing, then stores the device with what it answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-address.h"
#include "pw-poller.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The task data of one discovery. */
typedef struct {
  PwTargetSpec       *targets;      /* owned */
  GPtrArray          *credentials;  /* owned, of PwSnmpCredentials */
  PwDiscovery        *discovery;    /* owned, once the sweep starts */
  GHashTable         *known_ids;    /* owned: ids of the devices listed before the sweep */
  GHashTable         *known_keys;   /* owned: their "addr:", "serial:" and "mac:" keys */
  PwDiscoverySummary  summary;
  guint               found;        /* the sweep's count when last told */
} Discover;

static void
discover_free (Discover *discover)
{
  g_clear_object (&discover->targets);
  g_clear_pointer (&discover->credentials, g_ptr_array_unref);
  g_clear_object (&discover->discovery);
  g_clear_pointer (&discover->known_ids, g_hash_table_unref);
  g_clear_pointer (&discover->known_keys, g_hash_table_unref);
  g_free (discover);
}

static char *
address_key (const char *host,
             guint16     port)
{
  return g_strdup_printf ("addr:%s:%u", host, port);
}

/* The store finds a printer again by a serial of four characters or more. */
static void
add_identity_keys (GHashTable *keys,
                   const char *serial,
                   const char *mac)
{
  if (serial != NULL && strlen (serial) >= 4)
    g_hash_table_add (keys, g_strconcat ("serial:", serial, NULL));
  if (mac != NULL)
    g_hash_table_add (keys, g_strconcat ("mac:", mac, NULL));
}

static gboolean
is_known (Discover                *discover,
          const PwDiscoveryResult *result)
{
  g_autofree char *address = address_key (result->host, result->port);
  const char *serial = pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL);
  const char *mac = pw_snapshot_get_identity (result->identity, PW_IDENTITY_MAC);
  g_autofree char *serial_key = serial != NULL && strlen (serial) >= 4 ? g_strconcat ("serial:", serial, NULL) : NULL;
  g_autofree char *mac_key = mac != NULL ? g_strconcat ("mac:", mac, NULL) : NULL;

  return g_hash_table_contains (discover->known_keys, address) ||
         (serial_key != NULL && g_hash_table_contains (discover->known_keys, serial_key)) ||
         (mac_key != NULL && g_hash_table_contains (discover->known_keys, mac_key));
}

static void
progress_cb (PwDiscovery *discovery,
             GTask       *task)
{
  PwAgent *self = g_task_get_source_object (task);

  g_signal_emit (self, _pw_agent_signals[SIGNAL_DISCOVERY_PROGRESS], 0,
                 (guint) MIN (pw_discovery_get_done (discovery), G_MAXUINT),
                 (guint) MIN (pw_discovery_get_total (discovery), G_MAXUINT),
                 pw_discovery_get_found (discovery));
}

static void
found_cb (PwDiscovery       *discovery,
          PwDiscoveryResult *result,
          GTask             *task)
{
  PwAgent *self = g_task_get_source_object (task);
  Discover *discover = g_task_get_task_data (task);
  gboolean known;

  /* ::found fires for every address; a printer's second one adds no count. */
  if (pw_discovery_get_found (discovery) == discover->found)
    return;
  discover->found = pw_discovery_get_found (discovery);
  known = is_known (discover, result);
  discover->summary.printers++;
  if (known)
    discover->summary.known++;
  else
    discover->summary.added++;
  g_signal_emit (self, _pw_agent_signals[SIGNAL_PRINTER_FOUND], 0, result, known);
}

/* The sweep is over: the exact counts, from what was stored. */
static void
summarise (Discover  *discover,
           GPtrArray *results)
{
  PwDiscoverySummary *summary = &discover->summary;

  summary->printers = summary->added = summary->known = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const PwDiscoveryResult *result = results->pdata[i];

      switch (result->outcome)
        {
        case PW_DISCOVERY_PRINTER:
          if (result->duplicate)
            break;
          summary->printers++;
          if (result->device_id > 0 && g_hash_table_contains (discover->known_ids, &result->device_id))
            summary->known++;
          else
            summary->added++;
          break;
        case PW_DISCOVERY_OTHER:
          summary->other++;
          break;
        case PW_DISCOVERY_REFUSED:
          summary->refused++;
          break;
        case PW_DISCOVERY_FAILED:
        default:
          summary->failed++;
          break;
        }
    }
}

static void
finish (GTask  *task,
        GError *error)
{
  PwAgent *self = g_task_get_source_object (task);
  Discover *discover = g_task_get_task_data (task);

  if (discover->discovery != NULL)
    g_signal_handlers_disconnect_by_data (discover->discovery, task);
  if (self->discovery == task)
    self->discovery = NULL;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
swept_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GTask *task = user_data;
  Discover *discover = g_task_get_task_data (task);
  GError *error = NULL;
  GPtrArray *results = pw_discovery_run_finish (PW_DISCOVERY (source), res, &error);

  discover->summary.swept = pw_discovery_get_done (PW_DISCOVERY (source));
  if (results == NULL)
    {
      finish (task, error);
      return;
    }
  summarise (discover, results);
  g_object_set_data_full (G_OBJECT (task), "results", results, (GDestroyNotify) g_ptr_array_unref);
  finish (task, NULL);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Discover *discover = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices_finish (PW_STORE (source), res, &error);

  if (devices == NULL)
    {
      finish (task, error);
      return;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      gint64 *id = g_new (gint64, 1);

      *id = pw_device_get_id (device);
      g_hash_table_add (discover->known_ids, id);
      g_hash_table_add (discover->known_keys, address_key (pw_device_get_host (device), pw_device_get_port (device)));
      add_identity_keys (discover->known_keys, pw_device_get_identity (device, PW_IDENTITY_SERIAL),
                         pw_device_get_identity (device, PW_IDENTITY_MAC));
    }

  discover->discovery = pw_discovery_new (pw_agent_get_engine (self), self->store);
  g_signal_connect (discover->discovery, "progress", G_CALLBACK (progress_cb), task);
  g_signal_connect (discover->discovery, "found", G_CALLBACK (found_cb), task);
  pw_discovery_run_async (discover->discovery, discover->targets, discover->credentials,
                          g_task_get_cancellable (task), swept_cb, task);
}

/**
 * pw_agent_discover_async:
 * @targets_text: addresses, ranges, networks and host names, as the admin
 *   typed them ("10.0.0.0/24, 10.0.1.5-80 printer7.lan")
 * @credentials: (element-type PwSnmpCredentials) (nullable): tried in
 *   order on each address; %NULL: the agent's
 *
 * Sweeps the targets for printers and stores those found; emits
 * ::discovery-progress after each address and ::printer-found for each
 * printer. A text that does not parse fails at once with the
 * %PW_TARGET_SPEC_ERROR that says which token is wrong, and why. One
 * discovery at a time: another fails with %G_IO_ERROR_BUSY.
 */
void
pw_agent_discover_async (PwAgent             *self,
                         const char          *targets_text,
                         GPtrArray           *credentials,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Discover *discover;
  GError *error = NULL;

  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (targets_text != NULL);
  g_return_if_fail (credentials == NULL || credentials->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_discover_async);
  discover = g_new0 (Discover, 1);
  g_task_set_task_data (task, discover, (GDestroyNotify) discover_free);
  if (self->discovery != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("A discovery is already running"));
      g_object_unref (task);
      return;
    }
  discover->targets = pw_target_spec_parse (targets_text, PW_SNMP_DEFAULT_PORT, 0, &error);
  if (discover->targets == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  discover->credentials = g_ptr_array_ref (credentials != NULL ? credentials : self->credentials);
  discover->known_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  discover->known_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->discovery = task;
  pw_store_list_devices_async (self->store, cancellable, listed_cb, task);
}

/**
 * pw_agent_discover_finish:
 * @summary: (out) (optional): the counts, also when cancelled (then of
 *   the printers found until then, which are stored)
 *
 * Returns: (transfer full) (element-type PwDiscoveryResult): one result per
 *   address that answered or failed in a way worth telling
 */
GPtrArray *
pw_agent_discover_finish (PwAgent             *self,
                          GAsyncResult        *result,
                          PwDiscoverySummary  *summary,
                          GError             **error)
{
  Discover *discover;
  GPtrArray *results;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  discover = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = discover->summary;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  results = g_object_steal_data (G_OBJECT (result), "results");
  return results != NULL ? results : g_ptr_array_new_with_free_func ((GDestroyNotify) pw_discovery_result_free);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PwSnapshot *snapshot = pw_poller_poll_one_finish (PW_POLLER (source), res, &error);

  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, g_object_unref);
}

/**
 * pw_agent_test_connection_async:
 * @host: an IP address or host name
 * @credentials: (element-type PwSnmpCredentials) (nullable): tried in
 *   order; %NULL: the agent's
 *
 * Reads what the device at @host answers (identity, status, meters,
 * supplies) without storing anything: "Test connection".
 */
void
pw_agent_test_connection_async (PwAgent             *self,
                                const char          *host,
                                guint16              port,
                                GPtrArray           *credentials,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PwAddress) address = NULL;
  g_autoptr(PwPoller) poller = NULL;
  GError *error = NULL;

  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (credentials == NULL || credentials->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_test_connection_async);
  address = port > 0 ? pw_address_new_host (host, port, &error) : NULL;
  if (address == NULL)
    {
      if (error == NULL)
        error = g_error_new (PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_PORT,
                             _("“%s” is not a valid port: use a number from 1 to 65535"), "0");
      g_task_return_error (task, error);
      return;
    }
  poller = pw_poller_new (pw_agent_get_engine (self), NULL);
  g_task_set_task_data (task, g_object_ref (poller), g_object_unref);
  pw_poller_poll_one_async (poller, address->host, address->port,
                            credentials != NULL ? credentials : self->credentials, cancellable,
                            tested_cb, g_steal_pointer (&task));
}

/**
 * pw_agent_test_connection_finish:
 *
 * Returns: (transfer full): what the device answered
 */
PwSnapshot *
pw_agent_test_connection_finish (PwAgent       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pw_agent_add_device:
 * @host: an IP address or host name; validated here
 * @identity: (nullable): what a test of the connection read, stored as
 *   the device's first snapshot
 *
 * Adds a printer by hand. %PW_STORE_ERROR_EXISTS: the list has it already.
 *
 * Returns: (transfer full) (nullable): the new device
 */
PwDevice *
pw_agent_add_device (PwAgent     *self,
                     const char  *host,
                     guint16      port,
                     PwSnapshot  *identity,
                     GError     **error)
{
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GError) append_error = NULL;

  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (identity == NULL || PW_IS_SNAPSHOT (identity), NULL);

  device = pw_store_add_device (self->store, host, port, error);
  if (device == NULL || identity == NULL)
    return g_steal_pointer (&device);

  /* All or nothing: a device half added would hide what went wrong. */
  if (!pw_store_append_snapshot (self->store, pw_device_get_id (device), identity, &append_error))
    {
      pw_store_remove_device (self->store, pw_device_get_id (device), NULL);
      g_propagate_error (error, g_steal_pointer (&append_error));
      return NULL;
    }
  return pw_store_get_device (self->store, pw_device_get_id (device), error);
}
