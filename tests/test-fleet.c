/* test-fleet.c: PwFleet, the live list of printers, and PwDeviceSummary.
 *
 * The fleet loads the store's devices off the main thread; a poll of one
 * printer (served by snmpsimd) changes that printer's row alone; a reload
 * keeps the rows that did not change; a removal takes one row away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

/* One items-changed emission. */
typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* Iterates the main context until *@flag is set, for at most 30 s. */
static void
wait_for (const gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (*flag);
}

static void
wait_for_changes (GArray *changes,
                  guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (changes->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes->len, ==, n);
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_fleet_reload_finish (PW_FLEET (source), res, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
reload (PwFleet *fleet)
{
  gboolean done = FALSE;

  pw_fleet_reload_async (fleet, NULL, reloaded_cb, &done);
  wait_for (&done);
}

/* A snapshot with a status, meters and supplies; @n varies them. */
static PwSnapshot *
make_snapshot (guint n)
{
  PwSnapshot *snapshot = pw_snapshot_new (1764057600 + n);
  g_autofree char *serial = g_strdup_printf ("SN-%04u", n);
  PwSupply toner = { .index = 1, .description = (char *) "Black toner", .type = 3, .supply_class = 3,
                     .unit = 19, .max_capacity = 100, .level = 90 - n % 80, .colour = (char *) "black" };
  PwSupply drum = { .index = 2, .description = (char *) "Drum", .type = 9, .supply_class = 3,
                    .unit = 19, .max_capacity = 100, .level = 50 };

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, n % 2 ? "Kyocera" : "Brother");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "Model 9");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_RUNNING, PW_PRINTER_STATUS_IDLE, 0);
  pw_snapshot_add_counter (snapshot, "total", 1000 * n, "impressions");
  pw_snapshot_add_supply (snapshot, &toner);
  pw_snapshot_add_supply (snapshot, &drum);
  return snapshot;
}

/* @n devices at 127.0.1.x, each with a snapshot; returns the store. */
static PwStore *
fill_store (const char *path,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  PwStore *store = pw_store_open (path, &error);

  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *host = g_strdup_printf ("127.0.1.%u", i);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 16100, &error);
      g_autoptr(PwSnapshot) snapshot = make_snapshot (i);

      g_assert_no_error (error);
      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
      g_assert_no_error (error);
    }
  return store;
}

static void
test_load (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fleet.db", NULL);
  g_autoptr(PwStore) store = fill_store (path, 40);
  g_autoptr(PwFleet) fleet = pw_fleet_new (store);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(PwDevice) seventh = NULL;
  const PwDeviceSummary *summary;
  gint64 previous = 0;
  guint position = 0;

  g_signal_connect (fleet, "items-changed", G_CALLBACK (record_change_cb), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fleet)), ==, 0);
  g_assert_false (pw_fleet_get_loaded (fleet));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fleet)) == PW_TYPE_DEVICE);

  reload (fleet);
  g_assert_true (pw_fleet_get_loaded (fleet));
  g_assert_false (pw_fleet_get_loading (fleet));
  g_assert_null (pw_fleet_get_error (fleet));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fleet)), ==, 40);
  /* One emission for the whole first load. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (fleet), i);

      g_assert_cmpint (pw_device_get_id (device), >, previous);
      previous = pw_device_get_id (device);
      g_assert_nonnull (pw_device_get_latest (device));
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fleet), 40));

  seventh = g_list_model_get_item (G_LIST_MODEL (fleet), 6);
  g_assert_true (pw_fleet_lookup (fleet, pw_device_get_id (seventh), &position) == seventh);
  g_assert_cmpuint (position, ==, 6);
  g_assert_null (pw_fleet_lookup (fleet, 99999, NULL));
  summary = pw_device_summary_get (seventh);
  g_assert_cmpstr (summary->status, ==, "Ready");
  g_assert_cmpint (summary->black, ==, 7000);       /* no "black" meter: the total */
  g_assert_cmpint (summary->colour, ==, -1);
  g_assert_cmpint (summary->lowest_percent, ==, 50);  /* the drum, below the toner's 83 */
  g_assert_cmpstr (summary->lowest_name, ==, "Drum");
  g_assert_cmpstr (summary->vendor_model, ==, "Kyocera Model 9");
  g_assert_true (pw_device_summary_matches (seventh, "sn-0007"));
  g_assert_true (pw_device_summary_matches (seventh, "127.0.1.7"));
  g_assert_false (pw_device_summary_matches (seventh, "brother"));

  pw_test_remove_tree (dir);
}

/* A reload after the store changed tells only the rows that changed and
 * keeps the other objects. */
static void
test_reload_keeps_rows (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fleet.db", NULL);
  g_autoptr(PwStore) store = fill_store (path, 20);
  g_autoptr(PwFleet) fleet = pw_fleet_new (store);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PwDevice) fifth = NULL;
  g_autoptr(PwDevice) added = NULL;
  g_autoptr(GError) error = NULL;
  Change change;

  reload (fleet);
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (fleet), i));
  g_signal_connect (fleet, "items-changed", G_CALLBACK (record_change_cb), changes);

  /* Nothing changed: nothing told. */
  reload (fleet);
  g_assert_cmpuint (changes->len, ==, 0);

  fifth = pw_store_get_device (store, pw_device_get_id (before->pdata[4]), &error);
  g_assert_no_error (error);
  pw_device_set_in_scope (fifth, FALSE);
  g_assert_true (pw_store_update_device (store, fifth, &error));
  g_assert_no_error (error);
  reload (fleet);
  g_assert_cmpuint (changes->len, ==, 1);
  change = g_array_index (changes, Change, 0);
  g_assert_cmpuint (change.position, ==, 4);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (fleet), i);

      if (i == 4)
        g_assert_false (pw_device_get_in_scope (device));
      else
        g_assert_true (device == before->pdata[i]);
    }

  /* A new device is told at the end, where its id puts it. */
  added = pw_store_add_device (store, "127.0.2.1", 16100, &error);
  g_assert_no_error (error);
  reload (fleet);
  g_assert_cmpuint (changes->len, ==, 2);
  change = g_array_index (changes, Change, 1);
  g_assert_cmpuint (change.position, ==, 20);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);

  /* A refresh of a removed device takes its row away. */
  g_assert_true (pw_store_remove_device (store, pw_device_get_id (before->pdata[9]), &error));
  g_assert_no_error (error);
  pw_fleet_refresh_device (fleet, pw_device_get_id (before->pdata[9]));
  wait_for_changes (changes, 3);
  change = g_array_index (changes, Change, 2);
  g_assert_cmpuint (change.position, ==, 9);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fleet)), ==, 20);

  pw_test_remove_tree (dir);
}

typedef struct {
  GPtrArray *results;
  GError    *error;
  gboolean   done;
} PollWait;

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  PollWait *wait = user_data;

  wait->results = pw_agent_poll_finish (PW_AGENT (source), res, &wait->error);
  wait->done = TRUE;
}

static void
removed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_agent_remove_device_finish (PW_AGENT (source), res, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The agent's fleet: a poll of one printer (snmpsimd) changes its row
 * alone, with what the printer said; a removal takes it away. */
static void
test_agent_poll_one (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fleet.db", NULL);
  g_autoptr(PwStore) store = fill_store (path, 30);
  g_autoptr(PwAgent) agent = pw_agent_new (store);
  g_autoptr(PwTestAgent) snmp = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PwDevice) printer = NULL;
  g_autoptr(PwDevice) shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };
  guint16 port = pw_test_free_udp_port ("127.0.0.81");
  PollWait wait = { NULL, NULL, FALSE };
  PwFleet *fleet;
  gboolean removed = FALSE;
  guint position = 0;
  Change change;

  endpoint = g_strdup_printf ("127.0.0.81:%u", port);
  endpoints[0] = endpoint;
  snmp = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  if (snmp == NULL)
    {
      g_test_skip (error->message);
      pw_test_remove_tree (dir);
      return;
    }
  /* The printer is added among the others, not at the end. */
  printer = pw_store_add_device (store, "127.0.0.81", port, &error);
  g_assert_no_error (error);
  for (guint i = 31; i <= 35; i++)
    {
      g_autofree char *host = g_strdup_printf ("127.0.1.%u", i);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 16100, &error);

      g_assert_no_error (error);
    }

  fleet = pw_agent_get_fleet (agent);
  g_assert_true (pw_agent_get_fleet (agent) == fleet);
  while (!pw_fleet_get_loaded (fleet))
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (pw_fleet_get_error (fleet));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fleet)), ==, 36);
  for (guint i = 0; i < 36; i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (fleet), i));
  g_assert_nonnull (pw_fleet_lookup (fleet, pw_device_get_id (printer), &position));
  g_assert_cmpuint (position, ==, 30);
  g_assert_cmpstr (pw_device_summary_get (before->pdata[30])->status, ==, "Not polled yet");
  g_signal_connect (fleet, "items-changed", G_CALLBACK (record_change_cb), changes);

  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  pw_agent_set_snmp_credentials (agent, credentials);
  g_ptr_array_add (devices, g_object_ref (printer));
  pw_agent_poll_async (agent, devices, NULL, polled_cb, &wait);
  wait_for (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.results->len, ==, 1);
  g_assert_true (((PwPollResult *) wait.results->pdata[0])->ok);
  g_ptr_array_unref (wait.results);

  /* Exactly that row, once, and every other object untouched. */
  wait_for_changes (changes, 1);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (changes->len, ==, 1);
  change = g_array_index (changes, Change, 0);
  g_assert_cmpuint (change.position, ==, 30);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  for (guint i = 0; i < 36; i++)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (fleet), i);

      if (i != 30)
        g_assert_true (device == before->pdata[i]);
    }
  shown = g_list_model_get_item (G_LIST_MODEL (fleet), 30);
  g_assert_true (shown != before->pdata[30]);
  g_assert_nonnull (pw_device_get_latest (shown));
  g_assert_cmpstr (pw_device_get_identity (shown, PW_IDENTITY_SERIAL), ==, "LP2040-000123");
  g_assert_true (pw_device_get_reachable (shown));
  g_assert_cmpint (pw_device_summary_get (shown)->black, >, 0);
  g_assert_cmpint (pw_device_summary_get (shown)->health, !=, PW_DEVICE_HEALTH_UNKNOWN);

  /* Removal through the agent: the row goes. */
  pw_agent_remove_device_async (agent, pw_device_get_id (printer), NULL, removed_cb, &removed);
  wait_for (&removed);
  wait_for_changes (changes, 2);
  change = g_array_index (changes, Change, 1);
  g_assert_cmpuint (change.position, ==, 30);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_null (pw_fleet_lookup (fleet, pw_device_get_id (printer), NULL));

  pw_test_remove_tree (dir);
}

/* Devices that are not polled yet, silent, jammed, low on toner. */
static void
test_summary (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fleet.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);
  g_autoptr(PwDevice) never = pw_store_add_device (store, "10.0.0.10", 161, &error);
  g_autoptr(PwDevice) silent = pw_store_add_device (store, "10.0.0.9", 161, &error);
  g_autoptr(PwDevice) jammed = pw_store_add_device (store, "printer.example", 161, &error);
  g_autoptr(PwDevice) low = pw_store_add_device (store, "10.0.0.11", 161, &error);
  g_autoptr(PwSnapshot) jam = make_snapshot (1);
  g_autoptr(PwSnapshot) toner = make_snapshot (2);
  g_autoptr(PwFleet) fleet = pw_fleet_new (store);
  const PwDeviceSummary *s[4];

  g_assert_no_error (error);
  pw_snapshot_set_status (jam, PW_DEVICE_STATUS_DOWN, PW_PRINTER_STATUS_OTHER, (1u << 5) | (1u << 2));
  pw_snapshot_add_counter (jam, "black", 700, NULL);
  pw_snapshot_add_counter (jam, "colour", 300, NULL);
  pw_snapshot_set_status (toner, PW_DEVICE_STATUS_WARNING, PW_PRINTER_STATUS_PRINTING, (1u << 2) | (1u << 0));
  g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (jammed), jam, &error));
  g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (low), toner, &error));
  g_assert_true (pw_store_mark_unreachable (store, pw_device_get_id (silent), "Timeout", &error));
  g_assert_no_error (error);

  reload (fleet);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (fleet), i);

      s[i] = pw_device_summary_get (device);
    }
  g_assert_cmpint (s[0]->health, ==, PW_DEVICE_HEALTH_UNKNOWN);
  g_assert_cmpstr (s[0]->status, ==, "Not polled yet");
  g_assert_cmpint (s[0]->black, ==, -1);
  g_assert_cmpint (s[0]->lowest_percent, ==, -1);
  g_assert_cmpint (s[1]->health, ==, PW_DEVICE_HEALTH_UNREACHABLE);
  g_assert_cmpstr (s[1]->status, ==, "No answer");
  g_assert_cmpint (s[2]->health, ==, PW_DEVICE_HEALTH_ERROR);
  g_assert_cmpstr (s[2]->status, ==, "Paper jam");  /* the jam outweighs the toner */
  g_assert_cmpint (s[2]->black, ==, 700);
  g_assert_cmpint (s[2]->colour, ==, 300);
  g_assert_cmpint (s[3]->health, ==, PW_DEVICE_HEALTH_WARNING);
  g_assert_cmpstr (s[3]->status, ==, "Toner low, Paper low");
  /* Addresses sort by number, host names after them. */
  g_assert_cmpstr (s[1]->address_key, <, s[0]->address_key);
  g_assert_cmpstr (s[0]->address_key, <, s[3]->address_key);
  g_assert_cmpstr (s[3]->address_key, <, s[2]->address_key);

  pw_test_remove_tree (dir);
}

static void
test_supply_words (void)
{
  PwSupply supply = { .max_capacity = 200, .level = 50 };
  g_autofree char *quarter = pw_supply_describe_level (&supply);
  g_autofree char *some = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *bare = NULL;

  g_assert_cmpstr (quarter, ==, "25%");
  supply.level = -3;
  some = pw_supply_describe_level (&supply);
  g_assert_cmpstr (some, ==, "some left");
  supply.level = -2;
  unknown = pw_supply_describe_level (&supply);
  g_assert_cmpstr (unknown, ==, "unknown");
  supply.level = 12;
  supply.max_capacity = -2;
  bare = pw_supply_describe_level (&supply);
  g_assert_cmpstr (bare, ==, "12");
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/fleet/load", test_load);
  g_test_add_func ("/fleet/reload-keeps-rows", test_reload_keeps_rows);
  g_test_add_func ("/fleet/agent-poll-one", test_agent_poll_one);
  g_test_add_func ("/fleet/summary", test_summary);
  g_test_add_func ("/fleet/supply-words", test_supply_words);

  return g_test_run ();
}
