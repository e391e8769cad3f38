/* test-payload.c: the exact JSON that leaves the site.
 *
 * Its shape (format 1, data/printwatch-payload.schema.json), that only
 * devices under contract go in, and that nothing private does: a printer
 * polled through snmpsimd that holds job owners, document names, a scan
 * address book and a person as sysContact gives a payload without any of
 * them, and without the SNMP community used to read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-payload-private.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <string.h>

typedef struct {
  GMainLoop *loop;
  GPtrArray *payloads;
  GPtrArray *results;
  GError    *error;
} Call;

static void
built_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Call *call = user_data;

  call->payloads = pw_payload_build_finish (res, &call->error);
  g_main_loop_quit (call->loop);
}

/* Every part the store's fleet makes. */
static GPtrArray *
build_parts (PwStore    *store,
             const char *site_name)
{
  Call call = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };

  pw_payload_build_async (store, site_name, NULL, built_cb, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);
  g_assert_no_error (call.error);
  g_assert_nonnull (call.payloads);
  return call.payloads;
}

/* The payload of a fleet that fits in one. */
static PwPayload *
build (PwStore    *store,
       const char *site_name)
{
  g_autoptr(GPtrArray) parts = build_parts (store, site_name);

  g_assert_cmpuint (parts->len, ==, 1);
  g_assert_null (pw_payload_get_batch_id (parts->pdata[0]));
  g_assert_cmpuint (pw_payload_get_part_count (parts->pdata[0]), ==, 1);
  return g_object_ref (parts->pdata[0]);
}

static JsonObject *
parse (PwPayload  *payload,
       JsonParser *parser)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (pw_payload_get_bytes (payload), &len);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (data, (gssize) len, NULL));
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* The payload checked against data/printwatch-payload.schema.json by an
 * independent validator (python3-jsonschema), when there is one. */
static void
assert_schema_valid (PwPayload *payload)
{
  const char *python = g_getenv ("PW_PYTHON");
  const char *script = g_getenv ("PW_SCHEMA_CHECK");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *root = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (pw_payload_get_bytes (payload), &len);
  int status = 0;

  if (python == NULL || script == NULL)
    {
      g_test_message ("no Python: the payload is not checked against the schema");
      return;
    }
  dir = pw_test_make_tmpdir ();
  path = g_build_filename (dir, "payload.json", NULL);
  root = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", NULL);
  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  {
    const char *argv[] = { python, script, root, "--validate", path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                 &status, &error));
  }
  g_assert_no_error (error);
  g_test_message ("schema check: %s", out);
  if (!g_str_has_prefix (out, "1..0 # SKIP"))
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  pw_test_remove_tree (dir);
}

static PwSnapshot *
make_snapshot (gint64 taken_at)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);
  PwSupply toner = { .index = 1, .description = (char *) "Black Toner", .type = 3, .supply_class = 3,
                     .unit = 19, .max_capacity = 100, .level = 42, .colour = (char *) "black" };
  PwSupply waste = { .index = 2, .description = (char *) "Waste", .type = 4, .supply_class = 4,
                     .unit = 19, .max_capacity = -2, .level = -3 };
  PwAlert alert = { .index = 1, .severity = 4, .training = 3, .group = 8, .group_index = 2,
                    .code = 807, .description = (char *) "Tray 2 low", .time = 1234 };

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Xerox");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, "XR0001");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_CONTACT, "Max Mustermann");
  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_WARNING, PW_PRINTER_STATUS_IDLE, 1u << 0);
  pw_snapshot_add_counter (snapshot, "total", 48213, "impressions");
  pw_snapshot_add_supply (snapshot, &toner);
  pw_snapshot_add_supply (snapshot, &waste);
  pw_snapshot_add_alert (snapshot, &alert);
  return snapshot;
}

static void
assert_members (JsonObject         *object,
                const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      if (!json_object_has_member (object, members[i]))
        g_error ("member %s missing", members[i]);
    }
}

/* Site, devices under contract only, each part with its reading time. */
static void
test_shape (void)
{
  static const char * const top[] = { "format", "payload_id", "created_at", "agent", "site", "devices", NULL };
  static const char * const device_members[] = {
    "device_id", "address", "port", "identity", "read_at", "reachable", "status", "counters", "supplies",
    "alerts", NULL,
  };
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "payload.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);
  g_autoptr(PwPayload) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PwDevice) in_scope = NULL;
  g_autoptr(PwDevice) out_of_scope = NULL;
  g_autoptr(PwDevice) never_polled = NULL;
  g_autoptr(PwSnapshot) snapshot = make_snapshot (1764057600);  /* 2025-11-25T08:00:00Z */
  JsonObject *root, *device, *site, *status;
  JsonArray *devices, *supplies;

  g_assert_no_error (error);
  in_scope = pw_store_add_device (store, "192.0.2.10", 161, &error);
  out_of_scope = pw_store_add_device (store, "192.0.2.11", 161, &error);
  never_polled = pw_store_add_device (store, "192.0.2.12", 1161, &error);
  g_assert_no_error (error);
  g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (in_scope), snapshot, &error));
  pw_device_set_in_scope (out_of_scope, FALSE);
  g_assert_true (pw_store_update_device (store, out_of_scope, &error));
  g_assert_no_error (error);

  payload = build (store, "Head office");
  root = parse (payload, parser);
  assert_members (root, top);
  g_assert_cmpint (json_object_get_int_member (root, "format"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "payload_id"), ==, pw_payload_get_id (payload));
  g_assert_true (g_uuid_string_is_valid (pw_payload_get_id (payload)));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "created_at"), "Z"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "agent"), "version"),
                   ==, PACKAGE_VERSION);
  site = json_object_get_object_member (root, "site");
  g_assert_cmpstr (json_object_get_string_member (site, "site_name"), ==, "Head office");
  g_assert_cmpint (json_object_get_int_member (site, "devices_discovered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (site, "devices_in_scope"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (site, "devices_out_of_scope"), ==, 1);

  devices = json_object_get_array_member (root, "devices");
  g_assert_cmpuint (json_array_get_length (devices), ==, 2);
  g_assert_cmpuint (pw_payload_get_n_devices (payload), ==, 2);
  device = json_array_get_object_element (devices, 0);
  assert_members (device, device_members);
  g_assert_cmpstr (json_object_get_string_member (device, "address"), ==, "192.0.2.10");
  g_assert_cmpstr (json_object_get_string_member (device, "read_at"), ==, "2025-11-25T08:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (device, "identity"), "serial"),
                   ==, "XR0001");
  /* sysContact is a person more often than not: it stays on site. */
  g_assert_true (json_object_get_null_member (json_object_get_object_member (device, "identity"), "contact"));
  status = json_object_get_object_member (device, "status");
  g_assert_cmpstr (json_object_get_string_member (status, "device"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (status, "printer"), ==, "idle");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (status, "conditions"), 0),
                   ==, "low-paper");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (device, "counters"), 0), "value"), ==, 48213);
  supplies = json_object_get_array_member (device, "supplies");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (supplies, 0), "type"), ==, "toner");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (supplies, 0), "percent"), ==, 42);
  /* Special levels stay what they are; no percentage is made of them. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (supplies, 1), "level"), ==, -3);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (supplies, 1), "percent"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (device, "alerts"), 0), "code"), ==, "input-media-supply-low");

  /* Never polled: in the payload, with nothing read. */
  device = json_array_get_object_element (devices, 1);
  g_assert_true (json_object_get_null_member (device, "read_at"));
  g_assert_false (json_object_get_boolean_member (device, "reachable"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (device, "counters")), ==, 0);

  g_assert_null (strstr (g_bytes_get_data (pw_payload_get_bytes (payload), NULL), "Max Mustermann"));
  /* A fleet that fits in one payload: no batch, as before parts existed. */
  g_assert_false (json_object_has_member (root, "batch"));
  assert_schema_valid (payload);
  g_clear_object (&store);
  pw_test_remove_tree (dir);
}

/* A fleet larger than a part: parts of one batch, each a whole payload, every device under
 * contract in exactly one of them, in order; at the limit, one payload without a batch. */
static void
test_parts (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "parts.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GHashTable) payload_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);
  const char *batch_id = NULL;
  gint64 expected_id = 0;
  guint in_scope = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *host = g_strdup_printf ("192.0.2.%u", 20 + i);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 161, &error);
      g_autoptr(PwSnapshot) snapshot = make_snapshot (1764057600 + i);

      g_assert_no_error (error);
      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
      /* Two out of scope, one of them between parts: they go in none. */
      if (i == 2 || i == 5)
        {
          pw_device_set_in_scope (device, FALSE);
          g_assert_true (pw_store_update_device (store, device, &error));
        }
      else
        in_scope++;
    }

  _pw_payload_set_part_devices (4);
  parts = build_parts (store, "Head office");
  g_assert_cmpuint (parts->len, ==, 2);
  for (guint k = 0; k < parts->len; k++)
    {
      PwPayload *part = parts->pdata[k];
      JsonParser *parser = json_parser_new ();
      JsonObject *root = parse (part, parser);
      JsonObject *batch = json_object_get_object_member (root, "batch");
      JsonArray *devices = json_object_get_array_member (root, "devices");

      g_ptr_array_add (parsers, parser);
      g_assert_nonnull (batch);
      if (k == 0)
        batch_id = json_object_get_string_member (batch, "id");
      g_assert_true (g_uuid_string_is_valid (batch_id));
      g_assert_cmpstr (json_object_get_string_member (batch, "id"), ==, batch_id);
      g_assert_cmpstr (pw_payload_get_batch_id (part), ==, batch_id);
      g_assert_cmpint (json_object_get_int_member (batch, "index"), ==, k);
      g_assert_cmpint (json_object_get_int_member (batch, "count"), ==, parts->len);
      g_assert_cmpuint (pw_payload_get_part_index (part), ==, k);
      g_assert_cmpuint (pw_payload_get_part_count (part), ==, parts->len);
      /* Each its own payload, the site whole in each. */
      g_assert_cmpstr (json_object_get_string_member (root, "payload_id"), ==, pw_payload_get_id (part));
      g_assert_true (g_hash_table_add (payload_ids, (gpointer) pw_payload_get_id (part)));
      g_assert_cmpstr (json_object_get_string_member (batch, "id"), !=, pw_payload_get_id (part));
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "site"),
                                                   "devices_in_scope"), ==, in_scope);
      g_assert_cmpuint (json_array_get_length (devices), ==, k == 0 ? 4 : 2);
      g_assert_cmpuint (pw_payload_get_n_devices (part), ==, json_array_get_length (devices));
      for (guint i = 0; i < json_array_get_length (devices); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (devices, i), "device_id");

          /* In order, the ones out of scope (3 and 6) left out. */
          expected_id += (expected_id == 2 || expected_id == 5) ? 2 : 1;
          g_assert_cmpint (id, ==, expected_id);
        }
      assert_schema_valid (part);
    }
  g_assert_cmpint (expected_id, ==, 8);

  /* As many as a part holds: one payload, no batch. */
  _pw_payload_set_part_devices (in_scope);
  {
    g_autoptr(PwPayload) whole = build (store, "Head office");
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root = parse (whole, parser);

    g_assert_false (json_object_has_member (root, "batch"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "devices")), ==, in_scope);
  }
  _pw_payload_set_part_devices (0);
  g_clear_object (&store);
  pw_test_remove_tree (dir);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Call *call = user_data;

  call->results = pw_poller_poll_finish (PW_POLLER (source), res, &call->error);
  g_main_loop_quit (call->loop);
}

/* A real poll of a printer full of private data, then the payload. */
static void
test_nothing_private (void)
{
  static const char * const private_texts[] = {
    "jsmith", "Salary", "Kuendigung", "mmueller", "boss@example.com", "Erika", "Mustermann",
    "office-mfp",  /* the SNMP community it was read with */
  };
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "private.db", NULL);
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwPoller) poller = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PwPayload) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Call call = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };
  const char *text;
  guint16 port = pw_test_free_udp_port ("127.0.0.73");
  const char *endpoints[2] = { NULL, NULL };

  endpoint = g_strdup_printf ("127.0.0.73:%u", port);
  endpoints[0] = endpoint;
  agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      g_main_loop_unref (call.loop);
      pw_test_remove_tree (dir);
      return;
    }
  store = pw_store_open (path, &error);
  g_assert_no_error (error);
  g_ptr_array_add (devices, pw_store_add_device (store, "127.0.0.73", port, &error));
  g_assert_no_error (error);
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "office-mfp", NULL));
  poller = pw_poller_new (engine, store);
  pw_poller_poll_async (poller, devices, credentials, NULL, polled_cb, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);
  g_assert_no_error (call.error);
  g_assert_true (((PwPollResult *) call.results->pdata[0])->ok);
  g_ptr_array_unref (call.results);

  payload = build (store, "Head office");
  parse (payload, parser);
  text = g_bytes_get_data (pw_payload_get_bytes (payload), NULL);
  /* What should go does: the serial and the meters. */
  g_assert_nonnull (strstr (text, "OM7000-000042"));
  g_assert_nonnull (strstr (text, "\"total\""));
  for (guint i = 0; i < G_N_ELEMENTS (private_texts); i++)
    if (strstr (text, private_texts[i]) != NULL)
      g_error ("the payload contains “%s”", private_texts[i]);
  assert_schema_valid (payload);

  g_clear_object (&store);
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/payload/shape", test_shape);
  g_test_add_func ("/payload/nothing-private", test_nothing_private);
  g_test_add_func ("/payload/parts", test_parts);

  return g_test_run ();
}
