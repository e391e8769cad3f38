/* test-cli.c: printwatch-cli as a user runs it, on a real database file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
  char *dir;
  char *db;
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = pw_test_make_tmpdir ();
  fixture->db = g_build_filename (fixture->dir, "cli.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* Runs printwatch-cli with @args (NULL-terminated); @env_db sets $PRINTWATCH_DB. */
static void
run_cli_env (Run         *run,
             const char  *env_db,
             const char  *first_arg,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PW_CLI");
  const char *arg;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (env_db != NULL)
    g_subprocess_launcher_setenv (launcher, "PRINTWATCH_DB", env_db, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PRINTWATCH_DB");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("printwatch-cli %s → %d\n%s%s", first_arg, run->status, run->out, run->err);
}

#define run_cli(run, fixture, ...) run_cli_env (run, (fixture)->db, __VA_ARGS__, NULL)

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* A failure is one clear line on stderr, nothing on stdout, a non-zero status. */
static void
assert_one_line_error (Run        *run,
                       int         status,
                       const char *pattern)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_cmpuint (count_lines (run->err), ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "printwatch-cli: "));
  if (!g_pattern_match_simple (pattern, run->err))
    g_error ("stderr “%s” does not match “%s”", run->err, pattern);
}

static void
test_add_list_remove (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Run) add1 = { 0 }, add2 = { 0 }, add3 = { 0 }, list = { 0 }, removed = { 0 }, after = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *address_column;

  run_cli (&add1, fixture, "add", "10.0.0.5");
  g_assert_cmpint (add1.status, ==, 0);
  g_assert_cmpstr (add1.out, ==, "Added printer 10.0.0.5 (id 1).\n");
  run_cli (&add2, fixture, "add", "Printer7.LAN:1161", "--name", "Empfang Büro");
  g_assert_cmpint (add2.status, ==, 0);
  run_cli (&add3, fixture, "add", "[fe80::10]:1161", "--out-of-scope");
  g_assert_cmpint (add3.status, ==, 0);

  run_cli (&list, fixture, "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.err, ==, "");
  lines = g_strsplit (list.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* header, 3 rows, trailing "" */
  g_assert_true (g_str_has_prefix (lines[0], "ID"));
  g_assert_nonnull (strstr (list.out, "printer7.lan:1161"));
  g_assert_nonnull (strstr (list.out, "Empfang Büro"));
  g_assert_nonnull (strstr (list.out, "[fe80::10]:1161"));
  /* Aligned: every row's address starts in the header's ADDRESS column,
   * counted in characters (the rows hold non-ASCII names). */
  address_column = strstr (lines[0], "ADDRESS");
  for (guint i = 1; i <= 3; i++)
    {
      glong header_col = g_utf8_pointer_to_offset (lines[0], address_column);
      const char *cell = lines[i] + strlen ("1") ;

      while (*cell == ' ')
        cell++;
      g_assert_cmpint (g_utf8_pointer_to_offset (lines[i], cell), ==, header_col);
    }

  run_cli (&removed, fixture, "remove", "printer7.lan");
  g_assert_cmpint (removed.status, ==, 0);
  g_assert_cmpstr (removed.out, ==, "Removed printer printer7.lan:1161 and its history.\n");

  run_cli (&after, fixture, "list", "--json");
  g_assert_cmpint (after.status, ==, 0);
  g_assert_null (strstr (after.out, "printer7"));
}

static void
test_list_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) add = { 0 }, list = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *device;

  run_cli (&add, fixture, "add", "192.0.2.7:1161", "--name", "Quote \" and \\ and \x01");
  g_assert_cmpint (add.status, ==, 0);
  run_cli (&list, fixture, "list", "--json");
  g_assert_cmpint (list.status, ==, 0);

  g_assert_true (json_parser_load_from_data (parser, list.out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  device = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (device, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (device, "host"), ==, "192.0.2.7");
  g_assert_cmpint (json_object_get_int_member (device, "port"), ==, 1161);
  g_assert_cmpstr (json_object_get_string_member (device, "address"), ==, "192.0.2.7:1161");
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Quote \" and \\ and \xef\xbf\xbd");
  g_assert_true (json_object_get_boolean_member (device, "in_scope"));
  g_assert_true (json_object_get_null_member (device, "last_seen"));
  g_assert_true (json_object_get_null_member (device, "latest"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (device, "added_at"), "Z"));
}

static void
test_empty_list (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Run) list = { 0 }, json = { 0 };

  run_cli (&list, fixture, "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "ID"));
  g_assert_cmpuint (count_lines (list.out), ==, 1);
  run_cli (&json, fixture, "list", "--json");
  g_assert_cmpstr (json.out, ==, "[]\n");
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) bad_ip = { 0 }, bad_port = { 0 }, bad_host = { 0 }, unknown = { 0 }, unknown_id = { 0 };
  g_auto(Run) option = { 0 }, cmd_option = { 0 }, command = { 0 }, none = { 0 }, extra = { 0 };
  g_auto(Run) dup1 = { 0 }, dup2 = { 0 }, newline = { 0 };

  run_cli (&bad_ip, fixture, "add", "10.0.0.300");
  assert_one_line_error (&bad_ip, 1, "*“10.0.0.300” is not a valid IPv4 address*");
  run_cli (&bad_port, fixture, "add", "10.0.0.3:70000");
  assert_one_line_error (&bad_port, 1, "*“70000” is not a valid port*");
  run_cli (&bad_host, fixture, "add", "printer..lan");
  assert_one_line_error (&bad_host, 1, "*“printer..lan” is not a valid IP address or host name*");
  run_cli (&newline, fixture, "add", "evil\nname");
  assert_one_line_error (&newline, 1, "*is not a valid IP address or host name*");

  run_cli (&dup1, fixture, "add", "10.0.0.3");
  g_assert_cmpint (dup1.status, ==, 0);
  run_cli (&dup2, fixture, "add", "10.0.0.3:161");
  assert_one_line_error (&dup2, 1, "*10.0.0.3 is already in the list*");

  run_cli (&unknown, fixture, "remove", "10.9.9.9");
  assert_one_line_error (&unknown, 1, "*No printer at 10.9.9.9*");
  run_cli (&unknown_id, fixture, "remove", "42");
  assert_one_line_error (&unknown_id, 1, "*No printer with id 42*");

  run_cli (&option, fixture, "--frobnicate", "list");
  assert_one_line_error (&option, 2, "*Unknown option --frobnicate*");
  run_cli (&cmd_option, fixture, "list", "--frobnicate");
  assert_one_line_error (&cmd_option, 2, "*Unknown option --frobnicate*list --help*");
  run_cli (&command, fixture, "scan");
  assert_one_line_error (&command, 2, "*unknown command “scan”*");
  run_cli_env (&none, fixture->db, NULL);
  assert_one_line_error (&none, 2, "*no command given*");
  run_cli (&extra, fixture, "add", "10.0.0.1", "10.0.0.2");
  assert_one_line_error (&extra, 2, "*usage: printwatch-cli add ADDRESS[:PORT]*");
}

static void
test_database_choice (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  g_auto(Run) add_env = { 0 }, add_flag = { 0 }, list_env = { 0 }, list_flag = { 0 };

  run_cli_env (&add_env, fixture->db, "add", "10.1.1.1", NULL);
  g_assert_cmpint (add_env.status, ==, 0);
  run_cli_env (&add_flag, fixture->db, "--database", other, "add", "10.2.2.2", NULL);
  g_assert_cmpint (add_flag.status, ==, 0);

  run_cli_env (&list_env, fixture->db, "list", NULL);
  g_assert_nonnull (strstr (list_env.out, "10.1.1.1"));
  g_assert_null (strstr (list_env.out, "10.2.2.2"));
  run_cli_env (&list_flag, NULL, "-d", other, "list", NULL);
  g_assert_nonnull (strstr (list_flag.out, "10.2.2.2"));
  g_assert_null (strstr (list_flag.out, "10.1.1.1"));
}

static void
test_database_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "nowhere", "x.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Run) not_db = { 0 }, no_dir = { 0 };

  g_assert_true (g_file_set_contents (fixture->db, "not a database at all, but notes\n", -1, NULL));
  before = pw_test_checksum_file (fixture->db);
  run_cli (&not_db, fixture, "list");
  assert_one_line_error (&not_db, 1, "*is not a Printwatch database*left untouched*");
  after = pw_test_checksum_file (fixture->db);
  g_assert_cmpstr (before, ==, after);

  run_cli_env (&no_dir, missing, "list", NULL);
  assert_one_line_error (&no_dir, 1, "*does not exist*");
}

/* A printer with three polls a day apart, written through the store. */
static gint64
populate (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (db, &error);
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 20, 12, 0, 0);
  gint64 base = g_date_time_to_unix (day);

  g_assert_no_error (error);
  device = pw_store_add_device (store, "192.0.2.44", 161, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (base + i * 86400);
      PwSupply toner = { .index = 1, .description = (char *) "Black Toner <b>", .type = 3,
                         .supply_class = 3, .unit = 19, .max_capacity = 2000, .level = 500 - i * 100,
                         .colour = (char *) "black" };
      PwSupply drum = { .index = 2, .description = (char *) "Drum", .type = 9,
                        .supply_class = 3, .unit = 19, .max_capacity = -2, .level = -3 };
      PwAlert alert = { .index = 1, .severity = 3, .training = 4, .group = 5, .code = 1101,
                        .description = (char *) "Toner low" };
      const PwOption tray = { PW_OPTION_INPUT, 1, 3, (char *) "Tray 1", (char *) "A4", 8, 500, 250 };

      pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Kyocera");
      pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "ECOSYS P3145dn");
      pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, "VCF9Z00001");
      pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_WARNING, PW_PRINTER_STATUS_IDLE,
                              (1u << 2) | (1u << 4));  /* RFC 2790 bits: lowToner, doorOpen */
      pw_snapshot_add_counter (snapshot, "total", 10000 + i * 250, "impressions");
      /* The duplex counter of the third day went back: a replaced unit. */
      if (i > 0)
        pw_snapshot_add_counter (snapshot, "duplex", i == 1 ? 101 : 5, "sheets");
      pw_snapshot_add_option (snapshot, &tray);
      pw_snapshot_add_supply (snapshot, &toner);
      pw_snapshot_add_supply (snapshot, &drum);
      pw_snapshot_add_alert (snapshot, &alert);
      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
    }
  return pw_device_get_id (device);
}

static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) show = { 0 }, unpolled = { 0 }, add = { 0 }, missing = { 0 };

  populate (fixture->db);
  run_cli (&show, fixture, "show", "192.0.2.44");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Kyocera"));
  g_assert_nonnull (strstr (show.out, "VCF9Z00001"));
  g_assert_nonnull (strstr (show.out, "Warning, Idle, Toner low, Door open"));
  g_assert_true (g_regex_match_simple ("Total +10500 +impressions", show.out, 0, 0));  /* C locale: no grouping */
  g_assert_nonnull (strstr (show.out, "Black Toner <b>"));
  g_assert_true (g_regex_match_simple ("Black Toner <b> +black +15%", show.out, 0, 0));
  g_assert_nonnull (strstr (show.out, "some left"));
  g_assert_true (g_regex_match_simple ("Critical: .*Toner low.* +1101 +Trained user", show.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Duplex +5 \\(went back\\) +sheets", show.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Input tray +Tray 1 \\(A4\\) +500 +250", show.out, 0, 0));

  run_cli (&add, fixture, "add", "192.0.2.45");
  run_cli (&unpolled, fixture, "show", "192.0.2.45");
  g_assert_cmpint (unpolled.status, ==, 0);
  g_assert_nonnull (strstr (unpolled.out, "not been polled"));

  run_cli (&missing, fixture, "show", "192.0.2.99");
  assert_one_line_error (&missing, 1, "*No printer at 192.0.2.99*");
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Run) all = { 0 }, two = { 0 }, none = { 0 }, bad = { 0 }, backwards = { 0 };
  g_auto(GStrv) lines = NULL;

  populate (fixture->db);
  run_cli (&all, fixture, "history", "192.0.2.44", "--from", "2026-11-01", "--to", "2026-11-30");
  g_assert_cmpint (all.status, ==, 0);
  g_assert_nonnull (strstr (all.out, ": 3 meter reads"));
  lines = g_strsplit (all.out, "\n", -1);
  g_assert_true (g_regex_match_simple ("^TIME +Total +Duplex$", lines[1], 0, 0));
  g_assert_true (g_regex_match_simple ("^2026-11-20 12:00 +10000 +-$", lines[2], 0, 0));
  g_assert_true (g_regex_match_simple ("^2026-11-22 12:00 +10500 +5 \\(went back\\)$", lines[4], 0, 0));

  /* --to names a day and includes it. */
  run_cli (&two, fixture, "history", "192.0.2.44", "--from", "2026-11-21", "--to", "2026-11-22");
  g_assert_nonnull (strstr (two.out, ": 2 meter reads"));
  run_cli (&none, fixture, "history", "192.0.2.44", "--from", "2025-01-01T00:00", "--to", "2025-02-01");
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, ": 0 meter reads"));

  run_cli (&bad, fixture, "history", "192.0.2.44", "--from", "yesterday");
  assert_one_line_error (&bad, 2, "*“yesterday” is not a date*");
  run_cli (&backwards, fixture, "history", "192.0.2.44", "--from", "2026-11-30", "--to", "2026-11-01");
  assert_one_line_error (&backwards, 2, "*ends before it begins*");
}

/* The sync window before any sync, and the payload that would go. */
static void
test_status_and_payload (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(Run) status = { 0 }, payload = { 0 }, sync = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  populate (fixture->db);
  g_unsetenv ("PRINTWATCH_SERVER_URL");
  run_cli (&status, fixture, "status");
  g_assert_cmpint (status.status, ==, 0);
  g_assert_true (g_regex_match_simple ("Collection server +not set", status.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Last successful transmission +never", status.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Next scheduled transmission +20[0-9-]+ 06:00", status.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Waiting to be sent +0 payloads", status.out, 0, 0));

  run_cli (&payload, fixture, "payload");
  g_assert_cmpint (payload.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, payload.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "format"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "devices")), ==, 1);
  g_assert_nonnull (strstr (payload.out, "VCF9Z00001"));

  /* No server set: nothing is sent, and it says so. */
  run_cli (&sync, fixture, "sync", "--now", "--no-poll");
  assert_one_line_error (&sync, 1, "*No collection server is set*");
}

/* A fleet larger than a part: each part a JSON document of its own on standard output, in
 * order; which part it is on standard error. */
static void
test_payload_parts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) payload = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwDevice) second = NULL;
  g_auto(GStrv) documents = NULL;
  const char *batch_id = NULL;

  populate (fixture->db);
  store = pw_store_open (fixture->db, &error);
  g_assert_no_error (error);
  second = pw_store_add_device (store, "192.0.2.45", 161, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_setenv (PW_PAYLOAD_ENV_PART_DEVICES, "1", TRUE);
  run_cli (&payload, fixture, "payload");
  g_unsetenv (PW_PAYLOAD_ENV_PART_DEVICES);
  g_assert_cmpint (payload.status, ==, 0);
  /* A pretty-printed document ends with "}" alone on a line. */
  documents = g_regex_split_simple ("(?<=\n})\n", payload.out, 0, 0);
  g_assert_cmpuint (g_strv_length (documents), ==, 3);
  g_assert_cmpstr (documents[2], ==, "");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *told = NULL;
      JsonObject *root, *batch;

      g_assert_true (json_parser_load_from_data (parser, documents[i], -1, &error));
      g_assert_no_error (error);
      root = json_node_get_object (json_parser_get_root (parser));
      batch = json_object_get_object_member (root, "batch");
      g_assert_cmpint (json_object_get_int_member (batch, "index"), ==, i);
      g_assert_cmpint (json_object_get_int_member (batch, "count"), ==, 2);
      if (i == 0)
        batch_id = g_intern_string (json_object_get_string_member (batch, "id"));
      g_assert_cmpstr (json_object_get_string_member (batch, "id"), ==, batch_id);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                         json_object_get_array_member (root, "devices"), 0), "device_id"), ==, i + 1);
      told = g_strdup_printf ("Part %u of 2 of batch %s, payload %s:\n", i + 1, batch_id,
                              json_object_get_string_member (root, "payload_id"));
      g_assert_nonnull (strstr (payload.err, told));
    }
}

static void
test_version_and_help (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Run) version = { 0 }, help = { 0 }, add_help = { 0 };

  run_cli (&version, fixture, "--version");
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "printwatch-cli "));
  g_assert_cmpuint (count_lines (version.out), ==, 1);

  run_cli (&help, fixture, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--database"));
  for (const char *const *c = (const char *const[]) { "add", "list", "remove", NULL }; *c; c++)
    {
      g_autofree char *entry = g_strdup_printf ("\n  %s ", *c);

      g_assert_nonnull (strstr (help.out, entry));
    }

  run_cli (&add_help, fixture, "add", "--help");
  g_assert_cmpint (add_help.status, ==, 0);
  g_assert_nonnull (strstr (add_help.out, "--out-of-scope"));
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));  /* help touches nothing */
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

#define CLI_TEST(name, func) \
  g_test_add ("/cli/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  CLI_TEST ("add-list-remove", test_add_list_remove);
  CLI_TEST ("list-json", test_list_json);
  CLI_TEST ("empty-list", test_empty_list);
  CLI_TEST ("bad-input", test_bad_input);
  CLI_TEST ("database-choice", test_database_choice);
  CLI_TEST ("database-errors", test_database_errors);
  CLI_TEST ("version-and-help", test_version_and_help);
  CLI_TEST ("show", test_show);
  CLI_TEST ("history", test_history);
  CLI_TEST ("status-and-payload", test_status_and_payload);
  CLI_TEST ("payload-parts", test_payload_parts);

  return g_test_run ();
}
