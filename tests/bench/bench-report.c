/* bench-report.c: every report, as CSV and as HTML, of 10,000 devices with
 * 90 days of daily reads.
 *
 * The store is filled in bulk with SQL in one transaction (the poller's own
 * path is bench-store's business), in the schema the store made: three
 * counters and four supplies a day per device, a counter reset, alerts, a
 * sync log. Then each report is saved to a file, and the time, the file's
 * size and the peak resident memory of that export are printed (the peak is
 * reset before each one through /proc/self/clear_refs, so it is the larger
 * of what the process held before and what the export took). Asserts only
 * that the reports are there.
 *
 * Usage: bench-report [DEVICES] [DAYS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-enums.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define T0 1767225600  /* 2026-01-01T00:00:00Z */

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* VmHWM of /proc/self/status, in KiB; 0 if unknown. */
static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return strtol (line + 6, NULL, 10);
}

static void
reset_peak_rss (void)
{
  /* "5" resets the peak resident set size (Linux 4.0 and later). */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fill (const char *path,
      guint       n_devices,
      guint       n_days)
{
  sqlite3 *db = NULL;
  g_autofree char *params = g_strdup_printf ("CREATE TEMP TABLE p AS SELECT %u AS devices, %u AS days, %d AS t0",
                                             n_devices, n_days, T0);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
  exec (db, params);
  exec (db, "BEGIN");
  exec (db,
        "INSERT INTO devices (id, host, port, vendor, model, serial, mac, sys_name, location, contact, in_scope, "
        "  added_at, first_seen, last_seen, reachable) "
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n, p WHERE i < p.devices) "
        "SELECT i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 161, 'Xerox', "
        "  'AltaLink C80' || (i % 5), printf('SN%08d', i), printf('00:00:5e:00:%02x:%02x', i / 256 % 256, i % 256), "
        "  printf('printer-%05d', i), 'Building ' || (i % 7) || ', floor ' || (i % 5), 'IT desk', i % 10 <> 0, "
        "  p.t0, p.t0, p.t0 + (p.days - 1) * 86400 + i % 3600, 1 FROM n, p");
  exec (db,
        "INSERT INTO snapshots (device_id, taken_at, device_status, printer_status, error_state, uptime) "
        "WITH RECURSIVE d(day) AS (SELECT 0 UNION ALL SELECT day + 1 FROM d, p WHERE day < p.days - 1) "
        "SELECT devices.id, p.t0 + day * 86400 + devices.id % 3600, 2, 3, CASE WHEN devices.id % 97 = 0 "
        "  THEN 2 ELSE 0 END, day * 8640000 FROM devices, d, p ORDER BY devices.id, day");
  /* Every 50th device's total counter restarts half-way. */
  exec (db,
        "INSERT INTO readings (snapshot_id, seq, name, value, unit, reset) "
        "SELECT s.id, c.seq, c.name, "
        "  CASE WHEN c.seq = 0 AND s.device_id % 50 = 0 AND (s.taken_at - p.t0) / 86400 >= p.days / 2 "
        "       THEN ((s.taken_at - p.t0) / 86400 - p.days / 2) * 200 "
        "       ELSE c.base + s.device_id * 7 + (s.taken_at - p.t0) / 86400 * c.step END, "
        "  'impressions', CASE WHEN c.seq = 0 AND s.device_id % 50 = 0 AND (s.taken_at - p.t0) / 86400 = p.days / 2 "
        "  THEN 1 ELSE 0 END "
        "FROM snapshots s, p, (SELECT 0 AS seq, 'total' AS name, 100000 AS base, 250 AS step UNION ALL "
        "  SELECT 1, 'black', 70000, 170 UNION ALL SELECT 2, 'colour', 30000, 80) c");
  exec (db,
        "INSERT INTO supplies (snapshot_id, seq, idx, description, type, class, unit, max_capacity, level, colour) "
        "SELECT s.id, k.seq, k.seq + 1, k.colour || ' toner cartridge', 3, 3, 19, 100, "
        "  100 - ((s.taken_at - p.t0) / 86400 * (k.seq + 1) + s.device_id) % 100, k.colour "
        "FROM snapshots s, p, (SELECT 0 AS seq, 'black' AS colour UNION ALL SELECT 1, 'cyan' UNION ALL "
        "  SELECT 2, 'magenta' UNION ALL SELECT 3, 'yellow') k");
  exec (db,
        "INSERT INTO alerts (device_id, idx, severity, training, grp, group_index, location, code, description, "
        "  alert_time, seen_in, first_seen, last_seen, cleared_at) "
        "SELECT id, 1, 4, 3, 11, 1, 0, 1101, 'Toner low', 0, 0, p.t0 + 86400 * (id % p.days), "
        "  p.t0 + 86400 * (id % p.days), CASE WHEN id % 2 = 0 THEN p.t0 + 86400 * (id % p.days + 1) END "
        "FROM devices, p WHERE id % 20 = 0");
  exec (db,
        "INSERT INTO sync_log (at, event, ok, idempotency_key, http_status, message) "
        "WITH RECURSIVE d(day) AS (SELECT 0 UNION ALL SELECT day + 1 FROM d, p WHERE day < p.days - 1) "
        "SELECT p.t0 + day * 86400 + 21600, 'upload', day % 9 <> 0, 'key-' || day, "
        "  CASE WHEN day % 9 = 0 THEN 503 ELSE 200 END, CASE WHEN day % 9 = 0 THEN 'Service unavailable' END "
        "FROM d, p");
  exec (db, "COMMIT");
  exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  guint n_devices = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  guint n_days = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 90;
  g_autofree char *dir = g_dir_make_tmp ("printwatch-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = NULL;
  GEnumClass *kinds = g_type_class_ref (PW_TYPE_REPORT_KIND);
  GStatBuf st;
  gint64 start;

  store = pw_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  /* In a child, so SQLite's bulk-load cache does not count in the reports' memory. */
  start = g_get_monotonic_time ();
  {
    pid_t child = fork ();
    int status = 0;

    g_assert_cmpint (child, >=, 0);
    if (child == 0)
      {
        fill (path, n_devices, n_days);
        _exit (0);
      }
    g_assert_cmpint (waitpid (child, &status, 0), ==, child);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  }
  g_stat (path, &st);
  g_print ("filled in bulk:  %u devices x %u days (%u snapshots, %u reads, %u supply levels) in %.1f s, "
           "%.0f MB\n", n_devices, n_days, n_devices * n_days, n_devices * n_days * 3, n_devices * n_days * 4,
           seconds_since (start), st.st_size / 1e6);
  store = pw_store_open (path, &error);
  g_assert_no_error (error);

  g_print ("%-9s %-5s %9s %11s %14s\n", "report", "fmt", "time (s)", "size (MB)", "peak RSS (MB)");
  for (guint k = 0; k < kinds->n_values; k++)
    for (PwReportFormat format = PW_REPORT_FORMAT_CSV; format <= PW_REPORT_FORMAT_HTML; format++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", kinds->values[k].value_nick, format ? "html" : "csv");
        g_autofree char *out = g_build_filename (dir, name, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (out);
        PwReportOptions options;
        double seconds;

        pw_report_options_init (&options);
        options.kind = kinds->values[k].value;
        options.format = format;
        options.from = T0;
        options.to = T0 + (gint64) n_days * 86400;
        options.generated_at = options.to;
        options.site_name = "Benchmark";
        reset_peak_rss ();
        start = g_get_monotonic_time ();
        if (!pw_report_save (store, &options, file, NULL, &error))
          g_error ("%s: %s", name, error->message);
        seconds = seconds_since (start);
        g_stat (out, &st);
        g_assert_cmpint (st.st_size, >, 1000);
        g_print ("%-9s %-5s %9.2f %11.2f %14.1f\n", kinds->values[k].value_nick, format ? "html" : "csv",
                 seconds, st.st_size / 1e6, peak_rss_kib () / 1024.0);
        g_remove (out);
      }

  g_type_class_unref (kinds);
  g_clear_object (&store);
  pw_test_remove_tree (dir);
  return 0;
}
