/* test-store.c: PwStore on real SQLite files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = pw_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "printwatch.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

#define STORE_TEST(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* A second, independent connection, to look at the file as SQLite sees it. */
static gint64
raw_query_int (const char *path,
               const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static PwStore *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  PwStore *store = pw_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static PwDevice *
add_ok (PwStore    *store,
        const char *host,
        guint16     port)
{
  g_autoptr(GError) error = NULL;
  PwDevice *device = pw_store_add_device (store, host, port, &error);

  g_assert_no_error (error);
  g_assert_nonnull (device);
  return device;
}

static PwSnapshot *
make_snapshot (gint64 taken_at,
               gint64 total)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);
  PwSupply toner = {
    .index = 1, .description = (char *) "Black Toner Cartridge", .type = 3,
    .supply_class = 3, .unit = 19, .max_capacity = 100, .level = 40, .colour = (char *) "black",
  };
  PwSupply waste = {
    .index = 2, .description = (char *) "Waste Toner", .type = 4,
    .supply_class = 4, .unit = 19, .max_capacity = -2, .level = -3,
  };

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Xerox");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "AltaLink C8045");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, "ABC123");
  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_RUNNING, PW_PRINTER_STATUS_IDLE, 0);
  pw_snapshot_set_uptime (snapshot, 123456);
  pw_snapshot_add_counter (snapshot, "total", total, "impressions");
  pw_snapshot_add_counter (snapshot, "black", total / 2, "impressions");
  pw_snapshot_add_counter (snapshot, "colour", total - total / 2, NULL);
  pw_snapshot_add_supply (snapshot, &toner);
  pw_snapshot_add_supply (snapshot, &waste);
  return snapshot;
}

static void
append_ok (PwStore    *store,
           gint64      device_id,
           PwSnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_store_append_snapshot (store, device_id, snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_snapshot_get_id (snapshot), >, 0);
}

static gint64
counter (PwSnapshot *snapshot,
         const char *name)
{
  gint64 value = -1;

  g_assert_true (pw_snapshot_lookup_counter (snapshot, name, &value));
  return value;
}

static void
test_reopen_keeps_data (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.5", 161);
  g_autoptr(PwSnapshot) snapshot = make_snapshot (1000, 5000);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  PwDevice *again;
  PwSnapshot *latest;
  PwSupply *supply;

  pw_device_set_name (device, "Reception");
  pw_device_set_in_scope (device, FALSE);
  g_assert_true (pw_store_update_device (store, device, &error));
  g_assert_no_error (error);
  append_ok (store, pw_device_get_id (device), snapshot);
  g_assert_true (pw_store_set_state (store, "last-success", "2026-11-24T10:00:00Z", &error));
  g_clear_object (&store);

  store = open_ok (fixture->path);
  devices = pw_store_list_devices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  again = devices->pdata[0];
  g_assert_cmpstr (pw_device_get_host (again), ==, "10.0.0.5");
  g_assert_cmpuint (pw_device_get_port (again), ==, 161);
  g_assert_cmpstr (pw_device_get_name (again), ==, "Reception");
  g_assert_false (pw_device_get_in_scope (again));
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_SERIAL), ==, "ABC123");
  g_assert_cmpint (pw_device_get_first_seen (again), ==, 1000);
  g_assert_cmpint (pw_device_get_last_seen (again), ==, 1000);
  g_assert_true (pw_device_get_reachable (again));

  latest = pw_device_get_latest (again);
  g_assert_nonnull (latest);
  g_assert_cmpint (pw_snapshot_get_taken_at (latest), ==, 1000);
  g_assert_cmpint (pw_snapshot_get_uptime (latest), ==, 123456);
  g_assert_cmpint (pw_snapshot_get_printer_status (latest), ==, PW_PRINTER_STATUS_IDLE);
  g_assert_cmpuint (pw_snapshot_get_counters (latest)->len, ==, 3);
  g_assert_cmpint (counter (latest, "total"), ==, 5000);
  g_assert_cmpstr (((PwCounter *) pw_snapshot_get_counters (latest)->pdata[0])->unit, ==, "impressions");
  g_assert_null (((PwCounter *) pw_snapshot_get_counters (latest)->pdata[2])->unit);
  g_assert_cmpuint (pw_snapshot_get_supplies (latest)->len, ==, 2);
  supply = pw_snapshot_get_supplies (latest)->pdata[1];
  g_assert_cmpint (supply->level, ==, -3);  /* "some remaining" stays what it is */
  g_assert_cmpint (supply->max_capacity, ==, -2);
  g_assert_null (supply->colour);

  {
    g_autofree char *state = pw_store_get_state (store, "last-success", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (state, ==, "2026-11-24T10:00:00Z");
  }
}

static void
test_migrate_from_empty (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PwStore) store = NULL;

  /* An empty file, as left by `touch`, is a database with no schema yet. */
  g_assert_true (g_file_set_contents (fixture->path, "", 0, NULL));
  store = open_ok (fixture->path);
  g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==,
                   pw_store_schema_version ());
  g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA application_id"), ==, 0x50575443);
  g_assert_cmpint (raw_query_int (fixture->path,
                                  "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                  "name IN ('devices', 'snapshots', 'readings', 'supplies', "
                                  "'alerts', 'outbox', 'sync_log', 'agent_state', "
                                  "'credential_profiles')"), ==, 9);
  g_clear_object (&store);

  /* Opening again migrates nothing and keeps the version. */
  store = open_ok (fixture->path);
  g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==,
                   pw_store_schema_version ());
}

static void
test_wal_and_foreign_keys (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* A snapshot for a device that does not exist is refused by the store. */
  {
    g_autoptr(PwSnapshot) snapshot = make_snapshot (10, 10);
    g_autoptr(GError) error = NULL;

    g_assert_false (pw_store_append_snapshot (store, 4242, snapshot, &error));
    g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
    g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM snapshots"), ==, 0);
  }
}

static void
assert_refused_untouched (const char   *path,
                          int           code,
                          const char   *words)
{
  g_autofree char *before = pw_test_checksum_file (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, PW_STORE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_null (strchr (error->message, '\n'));
  after = pw_test_checksum_file (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  /* What a future Printwatch would leave: our application id, a higher version. */
  raw_exec (fixture->path,
            "PRAGMA application_id = 1347900483;"  /* 0x50575443 */
            "CREATE TABLE devices (id INTEGER PRIMARY KEY, future_column TEXT);"
            "INSERT INTO devices (future_column) VALUES ('kept');"
            "PRAGMA user_version = 999;");
  assert_refused_untouched (fixture->path, PW_STORE_ERROR_TOO_NEW, "newer Printwatch");
  g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==, 999);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM devices"), ==, 1);
}

static void
test_not_sqlite_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *text = "# printer list exported from a spreadsheet\n10.0.0.5;Reception\n"
                     "10.0.0.6;Accounting\n10.0.0.7;Warehouse printer with a long name\n";

  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));
  assert_refused_untouched (fixture->path, PW_STORE_ERROR_NOT_A_DATABASE, "not a Printwatch database");
}

static void
test_foreign_sqlite_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  raw_exec (fixture->path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');");
  assert_refused_untouched (fixture->path, PW_STORE_ERROR_NOT_A_DATABASE, "another program");
}

static void
overwrite (const char *path,
           goffset     offset,
           gsize       len)
{
  g_autofree char *contents = NULL;
  gsize file_len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &file_len, NULL));
  g_assert_cmpuint (offset + len, <=, file_len);
  for (gsize i = 0; i < len; i++)
    contents[offset + i] = (char) (0xa5 ^ (i * 7));
  g_assert_true (g_file_set_contents (path, contents, file_len, NULL));
}

static void
test_corrupt_schema_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.5", 161);

  g_clear_object (&store);  /* the last connection checkpoints the WAL into the file */
  /* Page 1 after the 100-byte header holds the schema's b-tree. */
  overwrite (fixture->path, 100, 1000);
  assert_refused_untouched (fixture->path, PW_STORE_ERROR_CORRUPT, "damaged");
}

static void
test_corrupt_data_reported (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 page_size, root;

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *host = g_strdup_printf ("10.0.%d.%d", i / 250, i % 250 + 1);
      g_autoptr(PwDevice) device = add_ok (store, host, 161);
    }
  g_clear_object (&store);

  /* Damage the devices table itself, leaving the schema readable. */
  page_size = raw_query_int (fixture->path, "PRAGMA page_size");
  root = raw_query_int (fixture->path, "SELECT rootpage FROM sqlite_schema WHERE name = 'devices'");
  overwrite (fixture->path, (root - 1) * page_size, page_size);
  before = pw_test_checksum_file (fixture->path);

  store = pw_store_open (fixture->path, &error);
  if (store != NULL)
    {
      devices = pw_store_list_devices (store, &error);
      g_assert_null (devices);
    }
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_CORRUPT);
  g_test_message ("reported: %s", error->message);
  g_clear_object (&store);
  after = pw_test_checksum_file (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_missing_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "folder", NULL);
  g_autofree char *path = g_build_filename (missing, "printwatch.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NO_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_read_only_directory (Fixture       *fixture,
                          gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwStore) store = NULL;
      g_autofree char *existing = g_build_filename (fixture->dir, "existing.db", NULL);

      store = open_ok (existing);
      g_clear_object (&store);
      g_assert_true (pw_test_drop_dac_override ());

      /* A read-only folder: no new database can be made there. */
      g_assert_cmpint (g_chmod (fixture->dir, 0555), ==, 0);
      store = pw_store_open (fixture->path, &error);
      g_assert_null (store);
      g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION);
      g_assert_nonnull (strstr (error->message, "not writable"));
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);

      /* A read-only file. */
      g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
      g_assert_cmpint (g_chmod (existing, 0444), ==, 0);
      store = pw_store_open (existing, &error);
      g_assert_null (store);
      g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION);
      g_printerr ("%s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*is not writable*Permission denied*");
}

static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) a = add_ok (store, "10.0.0.5", 161);
  g_autoptr(PwDevice) b = add_ok (store, "10.0.0.5", 1161);
  g_autoptr(PwDevice) c = add_ok (store, "Printer7.Example.LAN", 161);
  g_autoptr(PwDevice) found = NULL;
  g_autoptr(PwDevice) dup = NULL;
  g_autoptr(GPtrArray) same_host = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (pw_device_get_host (c), ==, "printer7.example.lan");
  g_assert_cmpint (pw_device_get_added_at (a), >, 0);
  g_assert_cmpint (pw_device_get_last_seen (a), ==, 0);
  g_assert_null (pw_device_get_latest (a));
  g_assert_true (pw_device_get_in_scope (a));
  g_assert_cmpstr (pw_device_get_display_name (a), ==, "10.0.0.5");
  g_assert_cmpuint (pw_store_count_devices (store, &error), ==, 3);

  dup = pw_store_add_device (store, "10.0.0.5", 161, &error);
  g_assert_null (dup);
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  dup = pw_store_add_device (store, "10.0.0.256", 161, &error);
  g_assert_null (dup);
  g_assert_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST);
  g_clear_error (&error);

  found = pw_store_find_device (store, "10.0.0.5", 1161, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pw_device_get_id (found), ==, pw_device_get_id (b));
  same_host = pw_store_find_devices_by_host (store, "10.0.0.5", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same_host->len, ==, 2);

  pw_device_set_name (b, "  Second\tport ");
  g_assert_cmpstr (pw_device_get_name (b), ==, "Second port");
  g_assert_true (pw_store_update_device (store, b, &error));
  g_clear_object (&found);
  found = pw_store_get_device (store, pw_device_get_id (b), &error);
  g_assert_cmpstr (pw_device_get_display_name (found), ==, "Second port");

  /* A credentials profile that does not exist is refused (foreign key). */
  pw_device_set_credential_profile (found, 77);
  g_assert_false (pw_store_update_device (store, found, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (pw_store_remove_device (store, pw_device_get_id (a), &error));
  g_assert_no_error (error);
  g_assert_false (pw_store_remove_device (store, pw_device_get_id (a), &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&found);
  found = pw_store_find_device (store, "10.0.0.5", 161, &error);
  g_assert_null (found);
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (pw_store_count_devices (store, NULL), ==, 2);
}

static void
test_snapshot_atomic (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.9", 161);
  g_autoptr(PwSnapshot) first = make_snapshot (1000, 100);
  g_autoptr(PwSnapshot) second = make_snapshot (2000, 200);
  g_autoptr(PwDevice) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = pw_device_get_id (device);

  append_ok (store, id, first);

  /* Make the third statement of a snapshot fail: nothing of it may remain. */
  raw_exec (fixture->path,
            "CREATE TRIGGER fail_supplies BEFORE INSERT ON supplies "
            "BEGIN SELECT RAISE (ABORT, 'simulated failure'); END;");
  pw_snapshot_set_identity (second, PW_IDENTITY_SERIAL, "CHANGED");
  g_assert_false (pw_store_append_snapshot (store, id, second, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "simulated failure"));
  g_assert_cmpint (pw_snapshot_get_id (second), ==, 0);
  g_clear_error (&error);

  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM snapshots"), ==, 1);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM readings"), ==, 3);
  again = pw_store_get_device (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_SERIAL), ==, "ABC123");
  g_assert_cmpint (pw_device_get_last_seen (again), ==, 1000);
  g_assert_cmpint (counter (pw_device_get_latest (again), "total"), ==, 100);

  /* Once the fault is gone, the same snapshot goes in whole. */
  raw_exec (fixture->path, "DROP TRIGGER fail_supplies");
  append_ok (store, id, second);
  g_clear_object (&again);
  again = pw_store_get_device (store, id, &error);
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_SERIAL), ==, "CHANGED");
  g_assert_cmpint (pw_device_get_first_seen (again), ==, 1000);
  g_assert_cmpint (pw_device_get_last_seen (again), ==, 2000);
  g_assert_cmpint (counter (pw_device_get_latest (again), "total"), ==, 200);
  /* Fields a poll did not read keep what an earlier poll read. */
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_VENDOR), ==, "Xerox");
}

static void
test_unreachable_keeps_snapshot (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.9", 161);
  g_autoptr(PwSnapshot) snapshot = make_snapshot (1000, 100);
  g_autoptr(PwDevice) again = NULL;
  g_autoptr(GError) error = NULL;

  append_ok (store, pw_device_get_id (device), snapshot);
  g_assert_true (pw_store_mark_unreachable (store, pw_device_get_id (device), "No answer", &error));
  again = pw_store_get_device (store, pw_device_get_id (device), &error);
  g_assert_false (pw_device_get_reachable (again));
  g_assert_cmpstr (pw_device_get_last_error (again), ==, "No answer");
  g_assert_cmpint (counter (pw_device_get_latest (again), "total"), ==, 100);
  g_assert_false (pw_store_mark_unreachable (store, 999, "x", &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
}

static void
add_alert (PwSnapshot *snapshot,
           int         index,
           int         code,
           const char *description)
{
  PwAlert alert = {
    .index = index, .severity = 3, .training = 4, .group = 8, .group_index = 1,
    .location = 0, .code = code, .description = (char *) description, .time = 100,
  };

  pw_snapshot_add_alert (snapshot, &alert);
}

static void
test_alerts_open_and_clear (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.9", 161);
  g_autoptr(PwSnapshot) first = make_snapshot (1000, 100);
  g_autoptr(PwSnapshot) second = make_snapshot (1000, 100);  /* same second on purpose */
  g_autoptr(PwDevice) again = NULL;
  GPtrArray *alerts;

  add_alert (first, 1, 808, "Toner low");
  add_alert (first, 2, 801, "Paper jam");
  append_ok (store, pw_device_get_id (device), first);
  add_alert (second, 1, 808, "Toner low");
  append_ok (store, pw_device_get_id (device), second);

  again = pw_store_get_device (store, pw_device_get_id (device), NULL);
  alerts = pw_snapshot_get_alerts (pw_device_get_latest (again));
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (((PwAlert *) alerts->pdata[0])->description, ==, "Toner low");
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM alerts"), ==, 2);
  g_assert_cmpint (raw_query_int (fixture->path,
                                  "SELECT count(*) FROM alerts WHERE cleared_at IS NOT NULL "
                                  "AND description = 'Paper jam'"), ==, 1);
}

static void
test_history_period (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.9", 161);
  g_autoptr(PwDevice) other = add_ok (store, "10.0.0.10", 161);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(PwSnapshot) snapshot = make_snapshot (i * 100, i * 1000);
      g_autoptr(PwSnapshot) noise = make_snapshot (i * 100, 7);

      append_ok (store, pw_device_get_id (device), snapshot);
      append_ok (store, pw_device_get_id (other), noise);
    }

  history = pw_store_get_history (store, pw_device_get_id (device), 200, 400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (pw_snapshot_get_taken_at (history->pdata[0]), ==, 200);
  g_assert_cmpint (pw_snapshot_get_taken_at (history->pdata[1]), ==, 300);
  g_assert_cmpint (counter (history->pdata[0], "total"), ==, 2000);
  g_assert_cmpint (counter (history->pdata[1], "total"), ==, 3000);
  g_assert_cmpuint (pw_snapshot_get_supplies (history->pdata[1])->len, ==, 2);
  g_clear_pointer (&history, g_ptr_array_unref);

  history = pw_store_get_history (store, pw_device_get_id (device), 600, 900, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Removing a device takes its whole history with it, and only its own. */
  g_assert_true (pw_store_remove_device (store, pw_device_get_id (device), &error));
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM snapshots"), ==, 5);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM readings"), ==, 15);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM supplies"), ==, 10);
}

static gboolean
counter_reset (PwSnapshot *snapshot,
               const char *name)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);

  for (guint i = 0; i < counters->len; i++)
    if (g_str_equal (((PwCounter *) counters->pdata[i])->name, name))
      return ((PwCounter *) counters->pdata[i])->reset;
  g_assert_not_reached ();
}

/* A counter lower than the device's previous reading of it (a replaced
 * board, a reset) is kept and flagged, in the snapshot and in the store. */
static void
test_counter_reset (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.11", 161);
  g_autoptr(PwDevice) latest = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 totals[] = { 5000, 5200, 40, 90 };

  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      g_autoptr(PwSnapshot) snapshot = make_snapshot (100 * (i + 1), totals[i]);

      /* The colour counter runs on after the reset: only what went back is flagged. */
      pw_snapshot_add_counter (snapshot, "colour", 1000 + (gint64) i, NULL);
      append_ok (store, pw_device_get_id (device), snapshot);
      g_assert_true (counter_reset (snapshot, "total") == (i == 2));
      g_assert_true (counter_reset (snapshot, "black") == (i == 2));
      g_assert_false (counter_reset (snapshot, "colour"));
    }

  history = pw_store_get_history (store, pw_device_get_id (device), 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpint (counter (history->pdata[2], "total"), ==, 40);
  g_assert_true (counter_reset (history->pdata[2], "total"));
  g_assert_false (counter_reset (history->pdata[1], "total"));
  g_assert_false (counter_reset (history->pdata[3], "total"));
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM readings WHERE reset = 1"), ==, 2);

  /* An older reading arriving late is compared with what came before it. */
  {
    g_autoptr(PwSnapshot) late = make_snapshot (50, 4900);

    append_ok (store, pw_device_get_id (device), late);
    g_assert_false (counter_reset (late, "total"));
  }

  latest = pw_store_get_device (store, pw_device_get_id (device), &error);
  g_assert_no_error (error);
  g_assert_cmpint (counter (pw_device_get_latest (latest), "total"), ==, 90);
  g_assert_false (counter_reset (pw_device_get_latest (latest), "total"));
}

/* Many snapshots in one transaction: each flagged against the reading before
 * it, in the batch too; on a failure none of them is written. */
static void
test_append_many (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) a = add_ok (store, "10.0.0.21", 161);
  g_autoptr(PwDevice) b = add_ok (store, "10.0.0.22", 161);
  g_autoptr(PwDevice) latest = NULL;
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 totals_a[] = { 100, 200, 50, 80 };
  PwDeviceSnapshot entries[8];
  PwDeviceSnapshot failing[3];

  g_assert_true (pw_store_append_snapshots (store, NULL, 0, &error));
  g_assert_no_error (error);
  for (guint day = 0; day < G_N_ELEMENTS (totals_a); day++)
    {
      PwSnapshot *of_a = make_snapshot (1000 + day * 100, totals_a[day]);
      PwSnapshot *of_b = make_snapshot (1000 + day * 100, 10 * (day + 1));

      g_ptr_array_add (snapshots, of_a);
      g_ptr_array_add (snapshots, of_b);
      entries[2 * day] = (PwDeviceSnapshot) { pw_device_get_id (a), of_a };
      entries[2 * day + 1] = (PwDeviceSnapshot) { pw_device_get_id (b), of_b };
    }
  g_assert_true (pw_store_append_snapshots (store, entries, G_N_ELEMENTS (entries), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_assert_cmpint (pw_snapshot_get_id (entries[i].snapshot), >, 0);
      g_assert_true (counter_reset (entries[i].snapshot, "total") == (i == 4));
    }
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM snapshots"), ==, 8);
  /* total, black and colour of A went back on its third day. */
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM readings WHERE reset = 1"), ==, 3);
  history = pw_store_get_history (store, pw_device_get_id (a), 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpint (counter (history->pdata[1], "total"), ==, 200);
  g_assert_true (counter_reset (history->pdata[2], "total"));
  latest = pw_store_get_device (store, pw_device_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pw_device_get_last_seen (latest), ==, 1300);
  g_assert_cmpint (counter (pw_device_get_latest (latest), "total"), ==, 40);

  /* An unknown device in the middle: nothing of the batch is written. */
  for (guint i = 0; i < G_N_ELEMENTS (failing); i++)
    {
      PwSnapshot *snapshot = make_snapshot (2000 + i * 100, 900);

      g_ptr_array_add (snapshots, snapshot);
      failing[i] = (PwDeviceSnapshot) { i == 1 ? 4242 : pw_device_get_id (a), snapshot };
    }
  g_assert_false (pw_store_append_snapshots (store, failing, G_N_ELEMENTS (failing), &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  for (guint i = 0; i < G_N_ELEMENTS (failing); i++)
    g_assert_cmpint (pw_snapshot_get_id (failing[i].snapshot), ==, 0);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM snapshots"), ==, 8);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT max(last_seen) FROM devices"), ==, 1300);
}

/* Installed options come back as written, with the latest snapshot. */
static void
test_options_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.12", 161);
  g_autoptr(PwDevice) loaded = NULL;
  g_autoptr(PwSnapshot) snapshot = make_snapshot (100, 10);
  g_autoptr(GError) error = NULL;
  const PwOption tray = { PW_OPTION_INPUT, 2, 3, (char *) "Tray 2", (char *) "A3", 8, 500, -3 };
  const PwOption disk = { PW_OPTION_DISK, 7, 0, NULL, NULL, 0, G_GINT64_CONSTANT (320000000000), 5 };
  GPtrArray *options;
  const PwOption *back;

  pw_snapshot_add_option (snapshot, &tray);
  pw_snapshot_add_option (snapshot, &disk);
  append_ok (store, pw_device_get_id (device), snapshot);
  loaded = pw_store_get_device (store, pw_device_get_id (device), &error);
  g_assert_no_error (error);
  options = pw_snapshot_get_options (pw_device_get_latest (loaded));
  g_assert_cmpuint (options->len, ==, 2);
  back = options->pdata[0];
  g_assert_cmpint (back->kind, ==, PW_OPTION_INPUT);
  g_assert_cmpint (back->index, ==, 2);
  g_assert_cmpint (back->type, ==, 3);
  g_assert_cmpstr (back->name, ==, "Tray 2");
  g_assert_cmpstr (back->media, ==, "A3");
  g_assert_cmpint (back->unit, ==, 8);
  g_assert_cmpint (back->capacity, ==, 500);
  g_assert_cmpint (back->level, ==, -3);
  back = options->pdata[1];
  g_assert_cmpint (back->kind, ==, PW_OPTION_DISK);
  g_assert_null (back->name);
  g_assert_cmpint (back->capacity, ==, G_GINT64_CONSTANT (320000000000));
}

/* A schema 1 database keeps its readings when opened by this version. */
/* The outbox as it was until schema 3, before payloads in parts. */
#define OUTBOX_V3 "ALTER TABLE outbox DROP COLUMN batch_id; ALTER TABLE outbox DROP COLUMN batch_index; " \
                  "ALTER TABLE outbox DROP COLUMN batch_count; ALTER TABLE outbox DROP COLUMN devices; "

static void
test_migrate_from_v1 (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 device_id;

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(PwDevice) device = add_ok (store, "10.0.0.13", 161);
    g_autoptr(PwSnapshot) snapshot = make_snapshot (100, 777);

    device_id = pw_device_get_id (device);
    append_ok (store, device_id, snapshot);
  }
  raw_exec (fixture->path, "DROP TABLE mail_queue; DROP TABLE notifications; "
                           "DROP TABLE options; ALTER TABLE readings DROP COLUMN reset; " OUTBOX_V3 "PRAGMA user_version = 1");
  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(PwDevice) device = NULL;
    g_autoptr(PwSnapshot) next = make_snapshot (200, 700);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==, pw_store_schema_version ());
    device = pw_store_get_device (store, device_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (counter (pw_device_get_latest (device), "total"), ==, 777);
    append_ok (store, device_id, next);
    g_assert_true (counter_reset (next, "total"));
  }
}

/* A schema 2 database gains the notifications and the mail queue, and keeps the rest. */
static void
test_migrate_from_v2 (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 device_id;

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(PwDevice) device = add_ok (store, "10.0.0.14", 161);
    g_autoptr(PwSnapshot) snapshot = make_snapshot (100, 555);

    device_id = pw_device_get_id (device);
    append_ok (store, device_id, snapshot);
  }
  raw_exec (fixture->path, "DROP TABLE mail_queue; DROP TABLE notifications; " OUTBOX_V3 "PRAGMA user_version = 2");
  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(PwDevice) device = NULL;
    g_autoptr(GPtrArray) open = NULL;
    g_autoptr(GPtrArray) mails = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==, pw_store_schema_version ());
    device = pw_store_get_device (store, device_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (counter (pw_device_get_latest (device), "total"), ==, 555);
    open = pw_store_notifications_list (store, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 0);
    mails = pw_store_mail_queue_list (store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (mails->len, ==, 0);
  }
}

static GPtrArray *
update_ok (PwStore    *store,
           gint64      device_id,
           const char *key,
           gint64      since,
           gint64      now)
{
  static const char * const kinds[] = { "supply-low", NULL };
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_notification_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *open;

  if (key != NULL)
    {
      PwNotification *condition = g_new0 (PwNotification, 1);

      condition->kind = g_strdup ("supply-low");
      condition->key = g_strdup (key);
      condition->first_seen = since;
      g_ptr_array_add (present, condition);
    }
  open = pw_store_notifications_update (store, device_id, kinds, present, now, &error);
  g_assert_no_error (error);
  return open;
}

/* A condition is one row while it holds; told once; a new row when it comes back. A queued
 * mail marks it told, and leaves the queue only when sent. */
static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.15", 161);
  gint64 device_id = pw_device_get_id (device);
  g_autoptr(GPtrArray) open = update_ok (store, device_id, "2", 100, 200);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\nx\r\n", 17);
  const char * const to[] = { "admin@example.com", "it@example.com", NULL };
  PwQueuedMail mail = { 0 };
  PwSyncLogEntry entry = { 300, (char *) "mail", FALSE, NULL, 0, (char *) "The mail server is down" };
  const PwNotification *row;
  gint64 first_id;

  g_assert_cmpuint (open->len, ==, 1);
  row = open->pdata[0];
  first_id = row->id;
  g_assert_cmpint (row->device_id, ==, device_id);
  g_assert_cmpstr (row->key, ==, "2");
  g_assert_cmpint (row->first_seen, ==, 100);
  g_assert_cmpint (row->notified_at, ==, 0);

  mail.notification_id = first_id;
  mail.created_at = 250;
  mail.sender = (char *) "printwatch@example.com";
  mail.recipients = (GStrv) to;
  mail.subject = (char *) "Toner low";
  mail.message = message;
  g_assert_cmpint (pw_store_mail_queue_add (store, &mail, &error), >, 0);
  g_assert_no_error (error);
  /* Another process that checked at the same time: no second mail, and no error. */
  g_assert_cmpint (pw_store_mail_queue_add (store, &mail, &error), ==, 0);
  g_assert_no_error (error);

  again = update_ok (store, device_id, "2", 999, 260);
  g_assert_cmpuint (again->len, ==, 1);
  row = again->pdata[0];
  g_assert_cmpint (row->id, ==, first_id);
  g_assert_cmpint (row->first_seen, ==, 100);
  g_assert_cmpint (row->last_seen, ==, 260);
  g_assert_cmpint (row->notified_at, ==, 250);
  g_clear_pointer (&again, g_ptr_array_unref);

  /* Gone, then back: a new condition, not told yet. */
  again = update_ok (store, device_id, NULL, 0, 270);
  g_assert_cmpuint (again->len, ==, 0);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = update_ok (store, device_id, "2", 0, 280);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpint (((PwNotification *) again->pdata[0])->id, !=, first_id);
  g_assert_cmpint (((PwNotification *) again->pdata[0])->first_seen, ==, 280);
  all = pw_store_notifications_list (store, FALSE, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpint (((PwNotification *) all->pdata[0])->cleared_at, ==, 270);

  /* A failed attempt keeps it, with its error; a sent one removes it. */
  mails = pw_store_mail_queue_list (store, 0, &error);
  g_assert_cmpuint (mails->len, ==, 1);
  g_assert_cmpstrv (((PwQueuedMail *) mails->pdata[0])->recipients, to);
  g_assert_true (pw_store_mail_queue_record_attempt (store, ((PwQueuedMail *) mails->pdata[0])->id, FALSE, 900,
                                                     &entry, &error));
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = pw_store_mail_queue_list (store, 899, &error);
  g_assert_cmpuint (mails->len, ==, 0);
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = pw_store_mail_queue_list (store, 900, &error);
  g_assert_cmpuint (mails->len, ==, 1);
  g_assert_cmpuint (((PwQueuedMail *) mails->pdata[0])->attempts, ==, 1);
  g_assert_cmpstr (((PwQueuedMail *) mails->pdata[0])->last_error, ==, "The mail server is down");
  g_assert_true (g_bytes_equal (((PwQueuedMail *) mails->pdata[0])->message, message));

  /* The printer removed: its conditions go; the mail about it stays until sent. */
  g_assert_true (pw_store_remove_device (store, device_id, &error));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = pw_store_notifications_list (store, FALSE, &error);
  g_assert_cmpuint (all->len, ==, 0);
  entry.ok = TRUE;
  entry.message = (char *) "Sent";
  g_assert_true (pw_store_mail_queue_record_attempt (store, ((PwQueuedMail *) mails->pdata[0])->id, TRUE, 0,
                                                     &entry, &error));
  g_clear_pointer (&mails, g_ptr_array_unref);
  mails = pw_store_mail_queue_list (store, 0, &error);
  g_assert_cmpuint (mails->len, ==, 0);
}

/* A schema 3 outbox: what waits there keeps waiting, a payload not in parts. */
static void
test_migrate_from_v3 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"n\": 3}", 8);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
  }
  raw_exec (fixture->path, OUTBOX_V3 "INSERT INTO outbox (idempotency_key, created_at, payload, next_attempt_at) "
                           "VALUES ('key-3', 1000, CAST ('{\"n\": 3}' AS BLOB), 1000); PRAGMA user_version = 3");
  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(GPtrArray) items = pw_store_outbox_list (store, 0, &error);
    const PwOutboxItem *item;

    g_assert_no_error (error);
    g_assert_cmpint (raw_query_int (fixture->path, "PRAGMA user_version"), ==, pw_store_schema_version ());
    g_assert_cmpuint (items->len, ==, 1);
    item = items->pdata[0];
    g_assert_cmpstr (item->idempotency_key, ==, "key-3");
    g_assert_true (g_bytes_equal (item->payload, payload));
    g_assert_null (item->batch_id);
    g_assert_cmpuint (item->batch_index, ==, 0);
    g_assert_cmpuint (item->batch_count, ==, 1);
    g_assert_cmpuint (item->n_devices, ==, 0);
  }
}

/* A day's parts go into the outbox together, or none of them; a sync lists them without
 * their payloads and loads each one alone. */
static void
test_outbox_batch (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_outbox_item_free);
  g_autoptr(GPtrArray) brief = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint waiting = 0;
  gint64 next_due = 0;

  for (guint i = 0; i < 3; i++)
    {
      PwOutboxItem *part = g_new0 (PwOutboxItem, 1);
      g_autofree char *json = g_strdup_printf ("{\"part\": %u}", i);

      part->idempotency_key = g_strdup_printf ("part-%u", i);
      part->created_at = 2000;
      part->payload = g_bytes_new (json, strlen (json));
      part->batch_id = g_strdup ("batch-1");
      part->batch_index = i;
      part->batch_count = 3;
      part->n_devices = i < 2 ? 1000 : 17;
      g_ptr_array_add (parts, part);
    }
  g_assert_true (pw_store_outbox_add_batch (store, parts, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (((PwOutboxItem *) parts->pdata[i])->id, >, 0);

  brief = pw_store_outbox_list_brief (store, 0, &error);
  g_assert_no_error (error);
  full = pw_store_outbox_list (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (brief->len, ==, 3);
  g_assert_cmpuint (full->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const PwOutboxItem *item = brief->pdata[i];
      const PwOutboxItem *added = parts->pdata[i];

      g_assert_cmpstr (item->idempotency_key, ==, added->idempotency_key);
      g_assert_null (item->payload);
      g_assert_cmpuint (item->payload_size, ==, g_bytes_get_size (added->payload));
      g_assert_cmpstr (item->batch_id, ==, "batch-1");
      g_assert_cmpuint (item->batch_index, ==, i);
      g_assert_cmpuint (item->batch_count, ==, 3);
      g_assert_cmpuint (item->n_devices, ==, added->n_devices);
      g_assert_true (g_bytes_equal (((PwOutboxItem *) full->pdata[i])->payload, added->payload));
    }
  loaded = pw_store_outbox_get_payload (store, ((PwOutboxItem *) brief->pdata[1])->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, ((PwOutboxItem *) parts->pdata[1])->payload));
  g_assert_true (pw_store_outbox_get_summary (store, &waiting, &next_due, &error));
  g_assert_cmpuint (waiting, ==, 3);
  g_assert_cmpint (next_due, ==, 2000);
  g_assert_cmpint (raw_query_int (fixture->path, "SELECT count(*) FROM sync_log WHERE event = 'queued'"), ==, 3);

  /* A batch one of whose keys is taken: none of it goes in, none gets an id. */
  g_free (((PwOutboxItem *) parts->pdata[2])->idempotency_key);
  ((PwOutboxItem *) parts->pdata[2])->idempotency_key = g_strdup ("part-0");
  for (guint i = 0; i < 2; i++)
    {
      PwOutboxItem *part = parts->pdata[i];

      g_free (part->idempotency_key);
      part->idempotency_key = g_strdup_printf ("again-%u", i);
    }
  g_assert_false (pw_store_outbox_add_batch (store, parts, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (((PwOutboxItem *) parts->pdata[i])->id, ==, 0);
  g_assert_true (pw_store_outbox_get_summary (store, &waiting, NULL, &error));
  g_assert_cmpuint (waiting, ==, 3);

  /* Gone, it is not found. */
  {
    PwSyncLogEntry stored = { 2100, (char *) "upload", TRUE, (char *) "part-1", 201, NULL };
    g_autoptr(GBytes) gone = NULL;

    g_assert_true (pw_store_outbox_record_attempt (store, ((PwOutboxItem *) brief->pdata[1])->id, TRUE, 0, &stored,
                                                   &error));
    gone = pw_store_outbox_get_payload (store, ((PwOutboxItem *) brief->pdata[1])->id, &error);
    g_assert_null (gone);
    g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  }
}

/* A payload stays in the outbox through failed attempts and a reopen, and
 * leaves only when acknowledged; each step is in the sync log. */
static void
test_outbox (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) first = g_bytes_new_static ("{\"n\": 1}", 8);
  g_autoptr(GBytes) second = g_bytes_new_static ("{\"n\": 2}", 8);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id1, id2;

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    PwSyncLogEntry failed = { 1100, (char *) "upload", FALSE, (char *) "key-1", 503, (char *) "Server busy" };

    id1 = pw_store_outbox_add (store, "key-1", first, 1000, &error);
    g_assert_no_error (error);
    id2 = pw_store_outbox_add (store, "key-2", second, 1050, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id1, >, 0);
    g_assert_cmpint (id2, >, id1);

    /* When a payload last went in, written with it. */
    {
      g_autofree char *queued = pw_store_get_state (store, PW_STORE_STATE_LAST_QUEUED, &error);

      g_assert_cmpstr (queued, ==, "1050");
    }

    /* The same key twice is refused, and the first stays, nor does the time move. */
    g_assert_cmpint (pw_store_outbox_add (store, "key-1", second, 1060, &error), ==, 0);
    g_assert_nonnull (error);
    g_clear_error (&error);
    {
      g_autofree char *queued = pw_store_get_state (store, PW_STORE_STATE_LAST_QUEUED, &error);

      g_assert_cmpstr (queued, ==, "1050");
    }

    g_assert_true (pw_store_outbox_record_attempt (store, id1, FALSE, 1400, &failed, &error));
    g_assert_no_error (error);
    items = pw_store_outbox_list (store, 1200, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, 1);  /* key-1 waits until 1400 */
    g_assert_cmpstr (((PwOutboxItem *) items->pdata[0])->idempotency_key, ==, "key-2");
    g_clear_pointer (&items, g_ptr_array_unref);
  }

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    PwSyncLogEntry stored = { 1500, (char *) "upload", TRUE, (char *) "key-1", 201, NULL };
    const PwOutboxItem *item;

    items = pw_store_outbox_list (store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, 2);
    item = items->pdata[0];
    g_assert_cmpstr (item->idempotency_key, ==, "key-1");
    g_assert_true (g_bytes_equal (item->payload, first));
    g_assert_cmpuint (item->attempts, ==, 1);
    g_assert_cmpint (item->last_attempt_at, ==, 1100);
    g_assert_cmpint (item->next_attempt_at, ==, 1400);
    g_assert_cmpstr (item->last_error, ==, "Server busy");
    g_clear_pointer (&items, g_ptr_array_unref);

    g_assert_true (pw_store_outbox_record_attempt (store, id1, TRUE, 0, &stored, &error));
    items = pw_store_outbox_list (store, 0, &error);
    g_assert_cmpuint (items->len, ==, 1);
    g_assert_cmpstr (((PwOutboxItem *) items->pdata[0])->idempotency_key, ==, "key-2");

    log = pw_store_sync_log_list (store, 10, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (log->len, ==, 4);  /* queued, queued, failed, stored: newest first */
    g_assert_cmpstr (((PwSyncLogEntry *) log->pdata[0])->event, ==, "upload");
    g_assert_true (((PwSyncLogEntry *) log->pdata[0])->ok);
    g_assert_cmpint (((PwSyncLogEntry *) log->pdata[0])->http_status, ==, 201);
    g_assert_false (((PwSyncLogEntry *) log->pdata[1])->ok);
    g_assert_cmpstr (((PwSyncLogEntry *) log->pdata[1])->message, ==, "Server busy");
    g_assert_cmpstr (((PwSyncLogEntry *) log->pdata[3])->event, ==, "queued");
    g_clear_pointer (&log, g_ptr_array_unref);
    log = pw_store_sync_log_list (store, 0, 1050, 1200, &error);
    g_assert_cmpuint (log->len, ==, 2);
    g_assert_cmpint (((PwSyncLogEntry *) log->pdata[0])->at, ==, 1050);
  }
}

static void
test_hostile_strings (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PwStore) store = open_ok (fixture->path);
  g_autoptr(PwDevice) device = add_ok (store, "10.0.0.9", 161);
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (50);
  g_autoptr(PwDevice) again = NULL;
  g_autofree char *long_text = g_strnfill (100000, 'A');
  const char *descr;

  /* Latin-1 "Büro", a terminal escape, a bidi override, a NUL with junk after it. */
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, "B\xfcro 2");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, "evil\x1b[2J\xe2\x80\xaename");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_DESCR, long_text);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "'); DROP TABLE devices; --");
  pw_snapshot_add_counter (snapshot, "total\n", 1, NULL);
  append_ok (store, pw_device_get_id (device), snapshot);

  again = pw_store_get_device (store, pw_device_get_id (device), NULL);
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_LOCATION), ==, "Büro 2");
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_SYS_NAME), ==, "evil\xef\xbf\xbd[2J\xef\xbf\xbdname");
  g_assert_cmpstr (pw_device_get_identity (again, PW_IDENTITY_MODEL), ==, "'); DROP TABLE devices; --");
  descr = pw_device_get_identity (again, PW_IDENTITY_SYS_DESCR);
  g_assert_cmpuint (g_utf8_strlen (descr, -1), ==, PW_TEXT_MAX_CHARS + 1);
  g_assert_true (g_str_has_suffix (descr, "…"));
  g_assert_cmpint (counter (pw_device_get_latest (again), "total"), ==, 1);
  g_assert_cmpuint (pw_store_count_devices (store, NULL), ==, 1);
}

static void
test_default_path (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "printwatch",
                                                "printwatch.db", NULL);
  g_autofree char *path = pw_store_resolve_path (NULL);
  g_autofree char *explicit_path = pw_store_resolve_path ("/tmp/x.db");
  g_autofree char *from_env = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (explicit_path, ==, "/tmp/x.db");
  g_setenv ("PRINTWATCH_DB", fixture->path, TRUE);
  from_env = pw_store_resolve_path (NULL);
  g_unsetenv ("PRINTWATCH_DB");
  g_assert_cmpstr (from_env, ==, fixture->path);

  /* Only the default location's folder is made for the user. */
  g_assert_true (pw_store_ensure_default_dir (path, &error));
  g_assert_no_error (error);
  store = open_ok (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

typedef struct {
  GMainLoop *loop;
  PwStore   *store;
  GPtrArray *devices;
} AsyncData;

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *async = user_data;
  g_autoptr(GError) error = NULL;

  async->devices = pw_store_list_devices_finish (PW_STORE (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (async->loop);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *async = user_data;
  g_autoptr(GError) error = NULL;

  async->store = pw_store_open_finish (result, &error);
  g_assert_no_error (error);
  pw_store_list_devices_async (async->store, NULL, listed_cb, async);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  AsyncData async = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  {
    g_autoptr(PwStore) store = open_ok (fixture->path);
    g_autoptr(PwDevice) device = add_ok (store, "10.0.0.1", 161);
  }
  pw_store_open_async (fixture->path, NULL, opened_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_cmpuint (async.devices->len, ==, 1);
  g_ptr_array_unref (async.devices);
  g_object_unref (async.store);
  g_main_loop_unref (async.loop);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  STORE_TEST ("reopen-keeps-data", test_reopen_keeps_data);
  STORE_TEST ("migrate-from-empty", test_migrate_from_empty);
  STORE_TEST ("wal-and-foreign-keys", test_wal_and_foreign_keys);
  STORE_TEST ("newer-schema-refused", test_newer_schema_refused);
  STORE_TEST ("not-sqlite-refused", test_not_sqlite_refused);
  STORE_TEST ("foreign-sqlite-refused", test_foreign_sqlite_refused);
  STORE_TEST ("corrupt-schema-refused", test_corrupt_schema_refused);
  STORE_TEST ("corrupt-data-reported", test_corrupt_data_reported);
  STORE_TEST ("missing-directory", test_missing_directory);
  STORE_TEST ("read-only-directory", test_read_only_directory);
  STORE_TEST ("devices", test_devices);
  STORE_TEST ("snapshot-atomic", test_snapshot_atomic);
  STORE_TEST ("unreachable-keeps-snapshot", test_unreachable_keeps_snapshot);
  STORE_TEST ("alerts-open-and-clear", test_alerts_open_and_clear);
  STORE_TEST ("history-period", test_history_period);
  STORE_TEST ("hostile-strings", test_hostile_strings);
  STORE_TEST ("counter-reset", test_counter_reset);
  STORE_TEST ("append-many", test_append_many);
  STORE_TEST ("outbox", test_outbox);
  STORE_TEST ("outbox-batch", test_outbox_batch);
  STORE_TEST ("migrate-from-v3", test_migrate_from_v3);
  STORE_TEST ("options-round-trip", test_options_round_trip);
  STORE_TEST ("migrate-from-v1", test_migrate_from_v1);
  STORE_TEST ("migrate-from-v2", test_migrate_from_v2);
  STORE_TEST ("notifications", test_notifications);
  STORE_TEST ("default-path", test_default_path);
  STORE_TEST ("async", test_async);

  return g_test_run ();
}
