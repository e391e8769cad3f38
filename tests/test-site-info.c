/* test-site-info.c: PwSiteInfo on this machine and a real store, and the
 * JSON it writes. Its readers of the host are in test-site-info-host.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-site-info-private.h"
#include "pw-store-private.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

#define MIB (1024 * 1024)

/* The keys of payload.md's "site" object, and their JSON types. */
typedef enum { STRING, INTEGER, NUMBER } Kind;
static const struct { const char *key; Kind kind; } site_keys[] = {
  { "site_name", STRING }, { "host_name", STRING }, { "host_address", STRING },
  { "os_name", STRING }, { "os_type", STRING }, { "processor", STRING },
  { "memory_total_mb", INTEGER }, { "memory_available_mb", INTEGER },
  { "disk_total_mb", INTEGER }, { "disk_free_mb", INTEGER }, { "time_zone", STRING },
  { "agent_version", STRING }, { "database_size_mb", NUMBER },
  { "discovery_data_size_mb", NUMBER }, { "discovery_engine_version", STRING },
  { "devices_discovered", INTEGER }, { "devices_in_scope", INTEGER },
  { "devices_out_of_scope", INTEGER },
};

typedef struct {
  char    *dir;
  char    *path;
  PwStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = pw_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "printwatch.db", NULL);
  fixture->store = pw_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

#define SITE_TEST(name, func) \
  g_test_add ("/site-info/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* @n_in in scope and @n_out out of scope, with identities as discovery leaves them. */
static void
fill_store (PwStore *store,
            guint    n_in,
            guint    n_out)
{
  for (guint i = 0; i < n_in + n_out; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = g_strdup_printf ("10.1.%u.%u", i / 250, i % 250 + 1);
      g_autoptr(PwSnapshot) identity = pw_snapshot_new (1700000000 + i);
      g_autoptr(PwDevice) device = NULL;
      g_autofree char *serial = g_strdup_printf ("SN%08u", i);
      gint64 id;

      pw_snapshot_set_identity (identity, PW_IDENTITY_VENDOR, "Xerox");
      pw_snapshot_set_identity (identity, PW_IDENTITY_MODEL, "AltaLink C8045");
      pw_snapshot_set_identity (identity, PW_IDENTITY_SERIAL, serial);
      pw_snapshot_set_identity (identity, PW_IDENTITY_SYS_DESCR,
                                "Xerox AltaLink C8045 Multifunction Printer; SS 100.002.008.05702");
      id = pw_store_note_discovered (store, host, 161, identity, &error);
      g_assert_no_error (error);
      if (i >= n_in)
        {
          device = pw_store_get_device (store, id, &error);
          g_assert_no_error (error);
          pw_device_set_in_scope (device, FALSE);
          g_assert_true (pw_store_update_device (store, device, &error));
          g_assert_no_error (error);
        }
    }
}

typedef struct {
  GMainLoop  *loop;
  PwSiteInfo *info;
  GError     *error;
} Collect;

static void
collected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Collect *collect = user_data;

  collect->info = pw_site_info_collect_finish (result, &collect->error);
  g_main_loop_quit (collect->loop);
}

static PwSiteInfo *
collect (PwStore       *store,
         const char    *site_name,
         GCancellable  *cancellable,
         GError       **error)
{
  Collect c = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  pw_site_info_collect_async (store, site_name, cancellable, collected_cb, &c);
  g_main_loop_run (c.loop);
  g_main_loop_unref (c.loop);
  if (c.error != NULL)
    g_propagate_error (error, c.error);
  return c.info;
}

static gboolean
has_default_route (void)
{
  g_autofree char *v4 = _pw_site_info_default_interface ("/proc/net/route", FALSE);
  g_autofree char *v6 = _pw_site_info_default_interface ("/proc/net/ipv6_route", TRUE);

  return v4 != NULL || v6 != NULL;
}

static JsonObject *
site_json (PwSiteInfo *info,
           JsonNode  **root_out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) built = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Where the payload puts it: a member of the upload's object. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "site");
  pw_site_info_to_json (info, builder);
  json_builder_end_object (builder);
  built = json_builder_get_root (builder);
  json_generator_set_root (generator, built);
  text = json_generator_to_data (generator, NULL);

  /* Read back from the text, as the collector will. */
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  *root_out = json_node_ref (json_parser_get_root (parser));
  return json_object_get_object_member (json_node_get_object (*root_out), "site");
}

/* Exactly payload.md's keys, each of its type or null. */
static void
assert_site_keys (JsonObject *site,
                  gboolean    all_known)
{
  g_autoptr(GList) members = json_object_get_members (site);

  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (site_keys));
  for (gsize i = 0; i < G_N_ELEMENTS (site_keys); i++)
    {
      JsonNode *node = json_object_get_member (site, site_keys[i].key);

      if (node == NULL)
        g_error ("key %s missing", site_keys[i].key);
      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (all_known)
            g_error ("%s is null", site_keys[i].key);
          continue;
        }
      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      switch (site_keys[i].kind)
        {
        case STRING:
          g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
          break;
        case INTEGER:
          g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
          g_assert_cmpint (json_node_get_int (node), >=, 0);
          break;
        case NUMBER:
          g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
                         json_node_get_value_type (node) == G_TYPE_INT64);
          g_assert_cmpfloat (json_node_get_double (node), >=, 0);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
test_this_machine (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwSiteInfo) info = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *os_name = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  g_autofree char *engine = g_strconcat ("net-snmp ", pw_snmp_engine_get_library_version (), NULL);
  const char *host_name;
  JsonObject *site;
  GStatBuf st;

  fill_store (fixture->store, 7, 3);
  info = collect (fixture->store, "Head office", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  g_assert_cmpstr (pw_site_info_get_site_name (info), ==, "Head office");

  /* The host name, or the fully qualified name the resolver gives for it. */
  host_name = pw_site_info_get_host_name (info);
  pw_test_assert_safe_text (host_name);
  if (g_strcmp0 (host_name, g_get_host_name ()) != 0)
    g_assert_nonnull (strchr (host_name, '.'));

  address = g_inet_address_new_from_string (pw_site_info_get_host_address (info));
  g_assert_nonnull (address);
  if (has_default_route ())
    g_assert_false (g_inet_address_get_is_loopback (address));

  pw_test_assert_safe_text (pw_site_info_get_os_name (info));
  if (os_name != NULL && !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    g_assert_cmpstr (pw_site_info_get_os_name (info), ==, os_name);
  g_assert_cmpstr (pw_site_info_get_os_type (info), ==, GLIB_SIZEOF_VOID_P == 8 ? "64-bit" : "32-bit");
  pw_test_assert_safe_text (pw_site_info_get_processor (info));
  g_assert_true (g_str_has_suffix (pw_site_info_get_processor (info), " core)") ||
                 g_str_has_suffix (pw_site_info_get_processor (info), " cores)"));

  g_assert_cmpint (pw_site_info_get_memory_available (info), >, 0);
  g_assert_cmpint (pw_site_info_get_memory_total (info), >=, pw_site_info_get_memory_available (info));
  g_assert_cmpint (pw_site_info_get_disk_total (info), >, 0);
  g_assert_cmpint (pw_site_info_get_disk_free (info), >=, 0);
  g_assert_cmpint (pw_site_info_get_disk_total (info), >=, pw_site_info_get_disk_free (info));

  g_assert_nonnull (pw_site_info_get_time_zone (info));
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (pw_site_info_get_time_zone (info));

    g_assert_nonnull (tz);
  }

  g_assert_cmpstr (pw_site_info_get_agent_version (info), ==, PACKAGE_VERSION);
  g_assert_cmpstr (pw_site_info_get_discovery_engine_version (info), ==, engine);
  g_assert_true (g_str_has_prefix (engine, "net-snmp 5."));

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (pw_site_info_get_database_size (info), >=, st.st_size);
  g_assert_cmpint (pw_site_info_get_discovery_data_size (info), >, 0);
  g_assert_cmpint (pw_site_info_get_discovery_data_size (info), <=,
                   pw_site_info_get_database_size (info));

  g_assert_cmpuint (pw_site_info_get_devices_discovered (info), ==, 10);
  g_assert_cmpuint (pw_site_info_get_devices_in_scope (info), ==, 7);
  g_assert_cmpuint (pw_site_info_get_devices_out_of_scope (info), ==, 3);

  site = site_json (info, &root);
  assert_site_keys (site, TRUE);
  g_assert_cmpstr (json_object_get_string_member (site, "site_name"), ==, "Head office");
  g_assert_cmpstr (json_object_get_string_member (site, "agent_version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (site, "memory_total_mb"), ==,
                   pw_site_info_get_memory_total (info) / MIB);
  g_assert_cmpint (json_object_get_int_member (site, "disk_free_mb"), ==,
                   pw_site_info_get_disk_free (info) / MIB);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (site, "database_size_mb"),
                                  pw_site_info_get_database_size (info) / (double) MIB, 0.0006);
  g_assert_cmpfloat (json_object_get_double_member (site, "discovery_data_size_mb"), >, 0);
  g_assert_cmpint (json_object_get_int_member (site, "devices_discovered"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (site, "devices_in_scope"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (site, "devices_out_of_scope"), ==, 3);
}

static void
test_empty_store_and_odd_name (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwSiteInfo) info = NULL;
  g_autoptr(PwSiteInfo) unnamed = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *site;

  info = collect (fixture->store, "Haupt\x1b[31mbüro\xff\n2.OG", NULL, &error);
  g_assert_no_error (error);
  pw_test_assert_safe_text (pw_site_info_get_site_name (info));
  g_assert_nonnull (strstr (pw_site_info_get_site_name (info), "büro"));
  g_assert_cmpuint (pw_site_info_get_devices_discovered (info), ==, 0);
  g_assert_cmpuint (pw_site_info_get_devices_in_scope (info), ==, 0);
  g_assert_cmpuint (pw_site_info_get_devices_out_of_scope (info), ==, 0);
  /* An empty table still has its page. */
  g_assert_cmpint (pw_site_info_get_discovery_data_size (info), >, 0);

  /* No name set: null, as is a name of nothing but blanks. */
  unnamed = collect (fixture->store, " \t ", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (pw_site_info_get_site_name (unnamed));
  site = site_json (unnamed, &root);
  assert_site_keys (site, FALSE);
  g_assert_true (json_object_get_null_member (site, "site_name"));
}

/* What nothing told stays null; the keys are all there still. */
static void
test_json_unknowns (void)
{
  g_autoptr(PwSiteInfo) info = g_object_new (PW_TYPE_SITE_INFO, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *site = site_json (info, &root);

  assert_site_keys (site, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (site_keys); i++)
    if (!g_str_has_prefix (site_keys[i].key, "devices_"))
      g_assert_true (json_object_get_null_member (site, site_keys[i].key));
  g_assert_cmpint (json_object_get_int_member (site, "devices_discovered"), ==, 0);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PwSiteInfo) info = NULL;

  g_cancellable_cancel (cancellable);
  info = collect (fixture->store, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
}

/* The estimate used where SQLite lacks dbstat, against dbstat's count. */
static void
test_discovery_size_estimate (Fixture       *fixture,
                              gconstpointer  data)
{
  const guint sizes[] = { 0, 20, 500, 3000 };
  guint filled = 0;

  if (!sqlite3_compileoption_used ("ENABLE_DBSTAT_VTAB"))
    {
      g_test_skip ("this SQLite has no dbstat to compare with");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 exact, estimate;

      for (; filled < sizes[i]; filled++)
        {
          g_autofree char *host = g_strdup_printf ("10.2.%u.%u", filled / 250, filled % 250 + 1);
          g_autoptr(PwSnapshot) identity = pw_snapshot_new (1700000000);
          g_autofree char *serial = g_strdup_printf ("SERIAL-%u", filled);

          pw_snapshot_set_identity (identity, PW_IDENTITY_SERIAL, serial);
          pw_snapshot_set_identity (identity, PW_IDENTITY_SYS_DESCR,
                                    "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI24090012");
          pw_store_note_discovered (fixture->store, host, 161, identity, &error);
          g_assert_no_error (error);
        }
      exact = _pw_store_get_discovery_data_size (fixture->store, TRUE, &error);
      g_assert_no_error (error);
      estimate = _pw_store_get_discovery_data_size (fixture->store, FALSE, &error);
      g_assert_no_error (error);
      g_test_message ("%u devices: dbstat %" G_GINT64_FORMAT " bytes, estimate %" G_GINT64_FORMAT,
                      sizes[i], exact, estimate);
      g_assert_cmpint (exact, >, 0);
      g_assert_cmpint (estimate, >=, exact / 2);
      g_assert_cmpint (estimate, <=, exact * 2);
      g_assert_cmpint (pw_store_get_discovery_data_size (fixture->store, &error), ==, exact);
    }
}

static void
test_count_by_scope (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint in_scope = 99, out_of_scope = 99;

  g_assert_true (pw_store_count_devices_by_scope (fixture->store, &in_scope, &out_of_scope, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (in_scope, ==, 0);
  g_assert_cmpuint (out_of_scope, ==, 0);
  fill_store (fixture->store, 4, 9);
  g_assert_true (pw_store_count_devices_by_scope (fixture->store, &in_scope, NULL, &error));
  g_assert_cmpuint (in_scope, ==, 4);
  g_assert_true (pw_store_count_devices_by_scope (fixture->store, NULL, &out_of_scope, &error));
  g_assert_cmpuint (out_of_scope, ==, 9);
  g_assert_cmpuint (pw_store_count_devices (fixture->store, NULL), ==, 13);
}

/* Whether the host name resolves from /etc/hosts, with no DNS query. */
static gboolean
host_name_in_etc_hosts (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/etc/hosts", &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);

      if (fields[0] == NULL || fields[0][0] == '#')
        continue;
      for (guint f = 1; fields[f] != NULL; f++)
        if (g_ascii_strcasecmp (fields[f], g_get_host_name ()) == 0)
          return TRUE;
    }
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  /* Tests send nothing beyond loopback. */
  if (!host_name_in_etc_hosts ())
    _pw_site_info_set_resolve_timeout (0);

  SITE_TEST ("this-machine", test_this_machine);
  SITE_TEST ("empty-store-and-odd-name", test_empty_store_and_odd_name);
  SITE_TEST ("cancelled", test_cancelled);
  SITE_TEST ("count-by-scope", test_count_by_scope);
  SITE_TEST ("discovery-size-estimate", test_discovery_size_estimate);
  g_test_add_func ("/site-info/json-unknowns", test_json_unknowns);

  return g_test_run ();
}
