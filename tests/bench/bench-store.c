/* bench-store.c: 10,000 devices × 30 readings into a real SQLite file, then
 * the latest-state query the fleet view and the CLI's list run.
 *
 * Prints figures; asserts only that the data is all there.
 * Usage: bench-store [DEVICES] [READINGS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static PwSnapshot *
make_snapshot (gint64 taken_at,
               guint  device,
               guint  round)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);
  gint64 total = 10000 + device * 7 + round * 250;
  g_autofree char *serial = g_strdup_printf ("SN%08u", device);
  static const char * const colours[] = { "black", "cyan", "magenta", "yellow" };

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Xerox");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "AltaLink C8045");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_RUNNING, PW_PRINTER_STATUS_IDLE, 0);
  pw_snapshot_add_counter (snapshot, "total", total, "impressions");
  pw_snapshot_add_counter (snapshot, "black", total * 2 / 3, "impressions");
  pw_snapshot_add_counter (snapshot, "colour", total - total * 2 / 3, "impressions");
  pw_snapshot_add_counter (snapshot, "print", total * 3 / 4, "impressions");
  pw_snapshot_add_counter (snapshot, "copy", total - total * 3 / 4, "impressions");
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    {
      g_autofree char *description = g_strdup_printf ("%s toner cartridge", colours[i]);
      PwSupply supply = {
        .index = i + 1, .description = description, .type = 3, .supply_class = 3, .unit = 19,
        .max_capacity = 100, .level = 100 - (round * 3 + i) % 100, .colour = (char *) colours[i],
      };

      pw_snapshot_add_supply (snapshot, &supply);
    }
  return snapshot;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (int    argc,
      char **argv)
{
  guint n_devices = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  guint n_rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 30;
  g_autofree char *dir = g_dir_make_tmp ("printwatch-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) devices = NULL;
  GStatBuf st;
  gint64 start;
  double add_s, snap_s, list_s, hist_s;
  guint n_snapshots = n_devices * n_rounds;

  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint d = 0; d < n_devices; d++)
    {
      g_autofree char *host = g_strdup_printf ("10.%u.%u.%u", d / 65536, (d / 256) % 256, d % 256);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 161, &error);
      gint64 id;

      g_assert_no_error (error);
      id = pw_device_get_id (device);
      g_array_append_val (ids, id);
    }
  add_s = seconds_since (start);

  /* One committed transaction per snapshot, as a poll commits them. */
  start = g_get_monotonic_time ();
  for (guint r = 0; r < n_rounds; r++)
    for (guint d = 0; d < n_devices; d++)
      {
        g_autoptr(PwSnapshot) snapshot = make_snapshot (1700000000 + r * 86400, d, r);

        if (!pw_store_append_snapshot (store, g_array_index (ids, gint64, d), snapshot, &error))
          g_error ("append: %s", error->message);
      }
  snap_s = seconds_since (start);

  start = g_get_monotonic_time ();
  devices = pw_store_list_devices (store, &error);
  list_s = seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, n_devices);
  for (guint d = 0; d < devices->len; d++)
    {
      PwSnapshot *latest = pw_device_get_latest (devices->pdata[d]);

      g_assert_nonnull (latest);
      g_assert_cmpuint (pw_snapshot_get_counters (latest)->len, ==, 5);
      g_assert_cmpuint (pw_snapshot_get_supplies (latest)->len, ==, 4);
    }

  start = g_get_monotonic_time ();
  for (guint d = 0; d < MIN (n_devices, 1000u); d++)
    {
      g_autoptr(GPtrArray) history = pw_store_get_history (store, g_array_index (ids, gint64, d),
                                                           0, G_MAXINT64, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (history->len, ==, n_rounds);
    }
  hist_s = seconds_since (start);

  g_clear_object (&store);
  g_stat (path, &st);

  g_print ("devices added:          %u in %.2f s (%.0f/s)\n", n_devices, add_s, n_devices / add_s);
  g_print ("snapshots appended:     %u in %.2f s (%.0f/s, %.1f us each; 5 counters + 4 supplies)\n",
           n_snapshots, snap_s, n_snapshots / snap_s, snap_s * 1e6 / n_snapshots);
  g_print ("latest state, all:      %u devices in %.1f ms\n", n_devices, list_s * 1000);
  g_print ("history, %u devices:  %.1f ms (%.2f ms per device, %u snapshots each)\n",
           MIN (n_devices, 1000u), hist_s * 1000, hist_s * 1000 / MIN (n_devices, 1000u), n_rounds);
  g_print ("database size:          %.1f MB (%.0f bytes per snapshot)\n",
           st.st_size / 1e6, (double) st.st_size / n_snapshots);
  g_print ("peak RSS:               %.1f MB\n", peak_rss_kib () / 1024.0);

  pw_test_remove_tree (dir);
  return 0;
}
