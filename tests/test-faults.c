/* test-faults.c: a full disk, hostile printers beside good ones, and the wall clock jumping.
 *
 * Disk full: printwatch-cli polls with its database on a disk that has no room left, once as
 * a small tmpfs (when the test may mount one: root, and a kernel that lets it) and once as a
 * file size limit (RLIMIT_FSIZE in the child, SIGXFSZ ignored, so writes fail with EFBIG). It
 * must fail with one clear line and status 1, and leave the database intact with every earlier
 * reading; with room again, the next poll works.
 *
 * Hostile printers: one fleet poll of good printers (snmpsimd) and, beside them, one that
 * answers slowly (a relay holding each answer back), one that answers garbage, one that
 * answers truncated datagrams and one with a 10,000-row supplies table. The good printers'
 * snapshots are whole; the poll ends. Timings are printed, not asserted.
 *
 * Clock jumps: PwAgent running on a scheduler with a fake clock, a printer and the collector
 * on loopback. The clock jumping forward over the daily time sends once; jumping back over
 * it, and forward again, sends nothing more; the next day sends once again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-agent-private.h"
#include "pw-scheduler-private.h"
#include "pw-test-fake-agent.h"
#include "pw-test-office.h"
#include "pw-test-utils.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#define PASSWORD "faults-test-pass"

/* A long timeout: snmpsimd is slow when the machine is busy. */
static const char * const poll_all[] = { "poll", "--all", "--community", "generic-laser", "--timeout", "4000", NULL };

/* ---- disk full ---- */

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
limit_file_size (gpointer user_data)
{
  struct rlimit limit = { GPOINTER_TO_SIZE (user_data), GPOINTER_TO_SIZE (user_data) };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

/* Runs `poll --all`, with no file larger than @file_size_limit (0: no limit); returns its
 * exit status and, in @said, what it wrote on stderr. */
static int
run_poll (PwTestOffice  *office,
          gsize          file_size_limit,
          char         **said)
{
  g_autofree char *log_path = g_build_filename (office->dir, "poll.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (log_path);
  launcher = pw_test_office_launcher (log_path, NULL, FALSE);
  if (file_size_limit > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, GSIZE_TO_POINTER (file_size_limit), NULL);
  process = pw_test_office_spawn_with (office, launcher, poll_all, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_true (g_file_get_contents (log_path, said, NULL, NULL));
  return g_subprocess_get_exit_status (process);
}

static gint64
count (PwTestOffice *office,
       const char   *sql)
{
  sqlite3 *db = pw_test_sql_open (office->db);
  gint64 value = pw_test_sql_int (db, sql, NULL);

  sqlite3_close (db);
  return value;
}

/* The poll on a disk with no room: one clear line, status 1, nothing earlier lost. */
static void
assert_full_disk_poll (PwTestOffice *office,
                       gsize         file_size_limit)
{
  g_autofree char *said = NULL;
  g_auto(GStrv) lines = NULL;
  const char *error_line = NULL;
  gint64 snapshots = count (office, "SELECT count(*) FROM snapshots");
  gint64 readings = count (office, "SELECT count(*) FROM readings");
  gint64 last = count (office, "SELECT max(id) FROM snapshots");

  g_assert_cmpint (snapshots, >, 0);
  g_assert_cmpint (run_poll (office, file_size_limit, &said), ==, 1);
  /* Its progress ("1/2, 0 did not answer") and one line that says why. */
  lines = g_strsplit (said, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "printwatch-cli: "))
      {
        g_assert_null (error_line);
        error_line = lines[i];
      }
    else
      g_assert_true (lines[i][0] == '\0' || g_regex_match_simple ("^[0-9]+/[0-9]+, ", lines[i], 0, 0));
  g_test_message ("the poll said: %s", error_line);
  g_assert_nonnull (error_line);
  g_assert_true (g_str_has_suffix (error_line, ": nothing was written"));
  g_assert_true (strstr (error_line, "The disk holding the database is full") != NULL
                 || strstr (error_line, "The database cannot grow any further") != NULL);

  /* Intact, and every earlier reading still there. */
  pw_test_sql_assert_intact (office->db);
  {
    g_autofree char *old_snapshots = g_strdup_printf ("SELECT count(*) FROM snapshots WHERE id <= %"
                                                      G_GINT64_FORMAT, last);
    g_autofree char *old_readings = g_strdup_printf ("SELECT count(*) FROM readings WHERE snapshot_id <= %"
                                                     G_GINT64_FORMAT, last);

    g_assert_cmpint (count (office, old_snapshots), ==, snapshots);
    g_assert_cmpint (count (office, old_readings), ==, readings);
  }
}

static PwTestOffice *
disk_office (const char *subnet)
{
  PwTestOfficeOptions options = { subnet, 2, NULL, NULL, NULL };
  PwTestOffice *office = pw_test_office_new (&options);
  g_autofree char *said = NULL;

  if (office != NULL)
    {
      g_assert_cmpint (run_poll (office, 0, &said), ==, 0);
      g_assert_cmpint (count (office, "SELECT count(*) FROM snapshots"), ==, 2);
    }
  return office;
}

static void
test_disk_full_file_size_limit (void)
{
  g_autoptr(PwTestOffice) office = disk_office ("127.0.10");
  g_autofree char *said = NULL;

  if (office == NULL)
    return;
  /* Room for the WAL index (32 KiB, SQLite writes into each of its pages) and a few WAL
   * frames: not for a poll's transaction. */
  assert_full_disk_poll (office, 40 * 1024);
  /* The limit gone, the next poll works. */
  g_assert_cmpint (run_poll (office, 0, &said), ==, 0);
  g_assert_cmpint (count (office, "SELECT count(*) FROM snapshots"), >=, 4);
  pw_test_sql_assert_intact (office->db);
}

/* Fills the file system of @dir up to @left bytes free. */
static char *
fill_disk (const char *dir,
           gsize       left)
{
  char *path = g_build_filename (dir, "filler", NULL);
  static const char block[4096] = { 0 };
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gsize written = 0;

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) == sizeof block)
    written += sizeof block;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_assert_cmpint (ftruncate (fd, (off_t) (written > left ? written - left : 0)), ==, 0);
  close (fd);
  return path;
}

static void
test_disk_full_tmpfs (void)
{
  g_autoptr(PwTestOffice) office = NULL;
  g_autofree char *mount_point = NULL;
  g_autofree char *small_db = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *said = NULL;
  gsize len = 0;

  if (geteuid () != 0)
    {
      g_test_skip ("mounting a tmpfs takes root");
      return;
    }
  if ((office = disk_office ("127.0.10")) == NULL)
    return;
  mount_point = g_build_filename (office->dir, "small", NULL);
  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  if (mount ("printwatch-test", mount_point, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m,mode=0700") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a tmpfs here: %s", g_strerror (errno));

      g_test_skip (why);
      return;
    }

  /* The database moves there, with what the first poll read (all of it in the main file). */
  small_db = g_build_filename (mount_point, "agent.db", NULL);
  g_assert_cmpint (count (office, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
  g_assert_true (g_file_get_contents (office->db, &contents, &len, NULL));
  g_assert_true (g_file_set_contents_full (small_db, contents, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_free (office->db);
  office->db = g_strdup (small_db);
  filler = fill_disk (mount_point, 40 * 1024);

  assert_full_disk_poll (office, 0);

  /* Room again: the next poll works. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  g_assert_cmpint (run_poll (office, 0, &said), ==, 0);
  g_assert_cmpint (count (office, "SELECT count(*) FROM snapshots"), >=, 4);
  pw_test_sql_assert_intact (office->db);
  g_assert_cmpint (umount2 (mount_point, MNT_DETACH), ==, 0);
}

/* ---- hostile printers ---- */

typedef struct {
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  gint64     started;
} Poll;

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Poll *poll = user_data;

  poll->results = pw_agent_poll_finish (PW_AGENT (source), res, &poll->error);
  g_main_loop_quit (poll->loop);
}

static void
device_polled_cb (PwAgent      *agent,
                  PwPollResult *result,
                  Poll         *poll)
{
  g_test_message ("%s:%u done after %" G_GINT64_FORMAT " ms: %s", result->host, result->port,
                  (g_get_monotonic_time () - poll->started) / 1000, result->ok ? "read" : result->message);
}

static GPtrArray *
poll_devices (PwAgent   *agent,
              GPtrArray *devices)
{
  Poll poll = { g_main_loop_new (NULL, FALSE), NULL, NULL, g_get_monotonic_time () };
  gulong handler = g_signal_connect (agent, "device-polled", G_CALLBACK (device_polled_cb), &poll);

  pw_agent_poll_async (agent, devices, NULL, polled_cb, &poll);
  g_main_loop_run (poll.loop);
  g_signal_handler_disconnect (agent, handler);
  g_main_loop_unref (poll.loop);
  g_test_message ("the poll took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - poll.started) / 1000);
  g_assert_no_error (poll.error);
  return poll.results;
}

/* A printer with 10,000 supplies, under the community "generic-laser". */
static PwTestAgent *
start_huge (const char *dir,
            const char *endpoint)
{
  g_autofree char *path = g_build_filename (dir, "generic-laser.snmprec", NULL);
  g_autoptr(GString) text = g_string_new ("1.3.6.1.2.1.1.1.0|4|Huge printer\n"
                                          "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n");
  g_autoptr(GError) error = NULL;
  const char *endpoints[] = { endpoint, NULL };
  PwTestAgent *agent;

  /* snmprec lines in OID order: column by column. */
  for (guint column = 6; column <= 9; column++)
    for (guint row = 1; row <= 10000; row++)
      if (column == 6)
        g_string_append_printf (text, "1.3.6.1.2.1.43.11.1.1.6.1.%u|4|Supply %u\n", row, row);
      else
        g_string_append_printf (text, "1.3.6.1.2.1.43.11.1.1.%u.1.%u|2|%u\n", column, row, column == 9 ? 50 : 100);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);  /* snmpsimd runs as nobody */
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  agent = pw_test_snmpsim_start (dir, endpoints, &error);
  if (agent == NULL)
    g_test_skip (error->message);
  return agent;
}

static void
test_hostile_printers (void)
{
  PwTestOfficeOptions options = { "127.0.11", 3, NULL, NULL, NULL };
  g_autoptr(PwTestOffice) office = pw_test_office_new (&options);
  g_autofree char *huge_dir = pw_test_make_tmpdir ();
  g_autofree char *huge_endpoint = NULL;
  g_autoptr(PwTestAgent) huge = NULL;
  g_autoptr(PwTestFakeAgent) slow = NULL;
  g_autoptr(PwTestFakeAgent) garbage = NULL;
  g_autoptr(PwTestFakeAgent) truncated = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) reference = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint16 huge_port = pw_test_free_udp_port ("127.0.11.7");
  PwSnapshot *model;

  if (office == NULL)
    {
      pw_test_remove_tree (huge_dir);
      return;
    }
  huge_endpoint = g_strdup_printf ("127.0.11.7:%u", huge_port);
  if ((huge = start_huge (huge_dir, huge_endpoint)) == NULL)
    {
      pw_test_remove_tree (huge_dir);
      return;
    }
  /* The slow one answers what the first good printer does, 1.5 s later: the engine waits 2 s
   * before it asks again (more than its default, for a busy machine's snmpsimd). */
  slow = pw_test_slow_agent_new ("127.0.11.4", office->hosts->pdata[0], g_array_index (office->ports, guint16, 0),
                                 1500);
  garbage = pw_test_fake_agent_new ("127.0.11.5", PW_TEST_FAKE_GARBAGE, "1.3", TRUE);
  truncated = pw_test_fake_agent_new ("127.0.11.6", PW_TEST_FAKE_TRUNCATED, "1.3", TRUE);

  store = pw_store_open (office->db, &error);
  g_assert_no_error (error);
  {
    const struct { const char *host; guint16 port; } more[] = {
      { "127.0.11.4", slow->port }, { "127.0.11.5", garbage->port }, { "127.0.11.6", truncated->port },
      { "127.0.11.7", huge_port },
    };

    for (guint i = 0; i < G_N_ELEMENTS (more); i++)
      {
        g_autoptr(PwDevice) device = pw_store_add_device (store, more[i].host, more[i].port, &error);

        g_assert_no_error (error);
      }
  }
  agent = pw_agent_new (store);
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  pw_agent_set_snmp_credentials (agent, credentials);
  pw_snmp_engine_set_timeout (pw_agent_get_engine (agent), 2000);

  /* What a good printer gives when polled alone. */
  g_ptr_array_add (first, pw_store_find_device (store, office->hosts->pdata[0], g_array_index (office->ports, guint16, 0),
                                                &error));
  g_assert_no_error (error);
  reference = poll_devices (agent, first);
  g_assert_true (((PwPollResult *) reference->pdata[0])->ok);
  model = ((PwPollResult *) reference->pdata[0])->snapshot;

  results = poll_devices (agent, NULL);
  g_assert_cmpuint (results->len, ==, 7);
  for (guint i = 0; i < results->len; i++)
    {
      const PwPollResult *result = results->pdata[i];
      gint64 total = 0;

      if (g_str_equal (result->host, "127.0.11.7"))
        {
          g_assert_true (result->ok);
          g_assert_cmpuint (pw_snapshot_get_supplies (result->snapshot)->len, ==, PW_POLLER_MAX_TABLE_ROWS);
        }
      else if (g_str_equal (result->host, "127.0.11.5") || g_str_equal (result->host, "127.0.11.6"))
        {
          g_assert_false (result->ok);
          g_assert_nonnull (result->message);
        }
      else if (!g_str_equal (result->host, "127.0.11.4"))
        {
          /* A good one: whole, as when polled alone. */
          g_assert_true (result->ok);
          g_assert_true (pw_snapshot_lookup_counter (result->snapshot, "total", &total));
          g_assert_cmpint (total, ==, 48213);
          g_assert_cmpuint (pw_snapshot_get_counters (result->snapshot)->len, ==,
                            pw_snapshot_get_counters (model)->len);
          g_assert_cmpuint (pw_snapshot_get_supplies (result->snapshot)->len, ==,
                            pw_snapshot_get_supplies (model)->len);
          g_assert_cmpuint (pw_snapshot_get_alerts (result->snapshot)->len, ==,
                            pw_snapshot_get_alerts (model)->len);
        }
    }
  g_test_message ("slow printer: %u requests, the garbage one %u, the truncated one %u", slow->requests,
                  garbage->requests, truncated->requests);
  g_clear_object (&agent);
  g_clear_pointer (&huge, pw_test_agent_stop);
  pw_test_remove_tree (huge_dir);
}

/* ---- clock jumps ---- */

#define HOUR 3600

typedef struct {
  gint64        now;      /* the fake wall clock */
  guint         syncs;    /* started by the agent */
  GMainLoop    *loop;
  PwAgent      *agent;
  PwTestOffice *office;
} Clock;

static gint64
fake_clock (gpointer user_data)
{
  return ((Clock *) user_data)->now;
}

static void
busy_cb (PwAgent    *agent,
         GParamSpec *pspec,
         Clock      *clock)
{
  if (pw_agent_get_busy (agent))
    clock->syncs++;
  else
    g_main_loop_quit (clock->loop);
}

/* Removed by run_for (), whichever ends the loop. */
static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Lets the scheduler read the clock for a while (it does every 2 ms), or until a sync ends. */
static void
run_for (Clock *clock,
         guint  ms)
{
  guint timeout = g_timeout_add (ms, quit_cb, clock->loop);

  g_main_loop_run (clock->loop);
  g_source_remove (timeout);
}

/* Sets the clock, lets the scheduler read it some 100 times and any sync it starts end;
 * then the agent has started @syncs syncs in all, and the collector holds as many payloads. */
static void
jump (Clock  *clock,
      gint64  to,
      guint   syncs)
{
  sqlite3 *db;

  clock->now = to;
  run_for (clock, 300);
  while (pw_agent_get_busy (clock->agent))
    run_for (clock, 1000);
  g_assert_cmpuint (clock->syncs, ==, syncs);
  db = pw_test_sql_open (pw_test_server_get_database (clock->office->collector));
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM payloads", NULL), ==, syncs);
  sqlite3_close (db);
}

static void
test_clock_jumps (void)
{
  PwTestOfficeOptions options = { "127.0.12", 1, NULL, NULL, PASSWORD };
  g_autoptr(PwTestOffice) office = pw_test_office_new (&options);
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(PwScheduler) scheduler = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  /* 06:00 UTC on 10 May 2026 */
  const gint64 slot = 1778392800;
  Clock clock = { slot - 60, 0, NULL, NULL, NULL };

  if (office == NULL)
    return;
  g_assert_cmpint (slot % (24 * HOUR), ==, 6 * HOUR);
  pw_test_office_set_env (office, PASSWORD);
  clock.loop = g_main_loop_new (NULL, FALSE);
  clock.office = office;
  store = pw_store_open (office->db, &error);
  g_assert_no_error (error);
  agent = pw_agent_new (store);
  clock.agent = agent;
  g_assert_true (pw_agent_configure (agent, NULL, &error));
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  pw_agent_set_snmp_credentials (agent, credentials);
  scheduler = _pw_scheduler_new_full (store, "06:00", utc, fake_clock, &clock, 2, &error);
  g_assert_no_error (error);
  g_signal_connect (agent, "notify::busy", G_CALLBACK (busy_cb), &clock);
  _pw_agent_start_with (agent, scheduler);

  jump (&clock, slot - 60, 0);
  /* Forward over the slot (a resume from suspend, the clock set right): it sends, once. */
  jump (&clock, slot + 20 * 60, 1);
  jump (&clock, slot + 21 * 60, 1);
  /* Back over the slot, then forward over it again: the day's transmission was made. */
  jump (&clock, slot - 2 * HOUR, 1);
  jump (&clock, slot + 10, 1);
  jump (&clock, slot + 5 * HOUR, 1);
  /* The next day: once more. */
  jump (&clock, slot + 24 * HOUR + 30, 2);
  jump (&clock, slot + 24 * HOUR - 10 * 60, 2);
  jump (&clock, slot + 24 * HOUR + 40 * 60, 2);

  pw_agent_stop (agent);
  g_main_loop_unref (clock.loop);
  pw_test_office_unset_env ();
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No keyring on the test's bus: the password comes from the environment. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

  g_test_add_func ("/faults/disk-full/file-size-limit", test_disk_full_file_size_limit);
  g_test_add_func ("/faults/disk-full/tmpfs", test_disk_full_tmpfs);
  g_test_add_func ("/faults/hostile-printers", test_hostile_printers);
  g_test_add_func ("/faults/clock-jumps", test_clock_jumps);

  return g_test_run ();
}
