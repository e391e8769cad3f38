/* bench-scale-store.c: the scale benchmark's year of history, and its reports.
 *
 * A year: --days daily snapshots of every device before the poll, each drawn from the
 * device's own polled snapshot, written with the store's public API (the oldest day one
 * commit a snapshot, as a poll commits them; the others one commit a day); then what the
 * store has become and how fast it answers. Reports: the fleet, and the year's meters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-scale"

#include "bench-scale.h"

#include <glib/gstdio.h>

/* Device @k's snapshot @back days before the poll, drawn from @polled: each meter lower by a
 * daily use of its own, each supply's level a sawtooth (higher the further back, until the
 * cartridge before); identity, status, alerts and options as polled. */
static PwSnapshot *
past_snapshot (PwSnapshot *polled,
               guint       k,
               guint       back,
               gint64      taken_at)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);
  GPtrArray *counters = pw_snapshot_get_counters (polled);
  GPtrArray *supplies = pw_snapshot_get_supplies (polled);
  GPtrArray *alerts = pw_snapshot_get_alerts (polled);
  GPtrArray *options = pw_snapshot_get_options (polled);
  gint64 uptime = pw_snapshot_get_uptime (polled);

  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    pw_snapshot_set_identity (snapshot, f, pw_snapshot_get_identity (polled, f));
  pw_snapshot_set_status (snapshot, pw_snapshot_get_device_status (polled),
                          pw_snapshot_get_printer_status (polled), pw_snapshot_get_error_state (polled));
  /* sysUpTime counts hundredths of a second. */
  if (uptime >= 0)
    pw_snapshot_set_uptime (snapshot, MAX (0, uptime - (gint64) back * BENCH_SCALE_DAY_S * 100));
  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];
      gint64 daily = 20 + (k * 7 + i * 13) % 300;

      pw_snapshot_add_counter (snapshot, counter->name, MAX (0, counter->value - daily * back), counter->unit);
    }
  for (guint i = 0; i < supplies->len; i++)
    {
      PwSupply supply = *(const PwSupply *) supplies->pdata[i];
      gint64 daily = MAX (1, supply.max_capacity * (1 + (k + i) % 3) / 100);

      /* Levels below 0 are RFC 3805's "other", "unknown", "some remaining": kept. */
      if (supply.level >= 0 && supply.max_capacity > 0)
        supply.level = (supply.level + daily * back) % (supply.max_capacity + 1);
      pw_snapshot_add_supply (snapshot, &supply);
    }
  for (guint i = 0; i < alerts->len; i++)
    pw_snapshot_add_alert (snapshot, alerts->pdata[i]);
  for (guint i = 0; i < options->len; i++)
    pw_snapshot_add_option (snapshot, options->pdata[i]);
  return snapshot;
}

/* What each device's past is drawn from: its own polled snapshot or, when its poll failed,
 * that of a printer of the same kind (laser or MFP). */
typedef struct {
  PwDevice   *device;  /* borrowed */
  PwSnapshot *polled;  /* borrowed */
  gboolean    own;
  guint       k;       /* the printer's index in the fleet */
} Source;

static GArray *
sources_new (BenchScale *scale,
             GPtrArray  *devices)
{
  GArray *sources = g_array_sized_new (FALSE, TRUE, sizeof (Source), devices->len);
  PwSnapshot *kinds[2] = { NULL, NULL };

  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      gint64 id = pw_device_get_id (device);
      PwBenchPrinter *printer = bench_scale_lookup_printer (scale, pw_device_get_host (device));
      Source source = { device, g_hash_table_lookup (scale->polled, &id), FALSE, printer != NULL ? printer->index : i };

      source.own = source.polled != NULL;
      if (source.own && kinds[source.k % 2] == NULL)
        kinds[source.k % 2] = source.polled;
      g_array_append_val (sources, source);
    }
  for (guint i = 0; i < sources->len; i++)
    {
      Source *source = &g_array_index (sources, Source, i);

      if (!source->own)
        source->polled = kinds[source->k % 2] != NULL ? kinds[source->k % 2] : kinds[1 - source->k % 2];
      if (source->polled == NULL)
        g_error ("No printer answered the poll: nothing to draw a year from");
    }
  return sources;
}

/* Every device's snapshot of the day @back days before the poll, at a time of day its own. */
static GPtrArray *
day_snapshots (BenchScale *scale,
               GArray     *sources,
               guint       back)
{
  GPtrArray *day = g_ptr_array_new_full (sources->len, g_object_unref);

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *source = &g_array_index (sources, Source, i);
      gint64 taken_at = scale->poll_time - (gint64) back * BENCH_SCALE_DAY_S - source->k % 3600;
      PwSnapshot *snapshot = past_snapshot (source->polled, source->k, back, taken_at);

      for (guint f = 0; f < PW_N_IDENTITY_FIELDS && !source->own; f++)
        pw_snapshot_set_identity (snapshot, f, pw_device_get_identity (source->device, f));
      g_ptr_array_add (day, snapshot);
    }
  return day;
}

static void
write_year (BenchScale *scale,
            GArray     *sources)
{
  g_autofree PwDeviceSnapshot *entries = g_new (PwDeviceSnapshot, sources->len);
  g_autofree char *wal = g_strconcat (pw_store_get_path (scale->store), "-wal", NULL);
  g_autoptr(GError) error = NULL;
  guint n = sources->len;
  GStatBuf db_st = { 0 }, wal_st = { 0 };
  double written_s = 0;

  /* The oldest day as a poll commits: one transaction a snapshot. */
  bench_scale_stage_begin (scale, BENCH_SCALE_YEAR_SINGLE, "year, day 1", FALSE);
  {
    g_autoptr(GPtrArray) day = day_snapshots (scale, sources, scale->days);
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < n; i++)
      if (!pw_store_append_snapshot (scale->store, pw_device_get_id (g_array_index (sources, Source, i).device),
                                     day->pdata[i], &error))
        g_error ("%s", error->message);
    written_s = pw_bench_seconds_since (start);
  }
  bench_scale_stage_end (scale, BENCH_SCALE_YEAR_SINGLE);
  bench_scale_stage_say (scale, BENCH_SCALE_YEAR_SINGLE, "%u snapshots with pw_store_append_snapshot, one "
                         "commit each: %.1f µs a snapshot written (%.1f µs with making it)", n,
                         written_s * 1e6 / n, scale->stages[BENCH_SCALE_YEAR_SINGLE].seconds * 1e6 / n);

  /* The other days: one transaction a day. */
  bench_scale_stage_begin (scale, BENCH_SCALE_YEAR_BULK, "year, the rest", FALSE);
  written_s = 0;
  for (guint back = scale->days - 1; back >= 1 && scale->days > 1; back--)
    {
      g_autoptr(GPtrArray) day = day_snapshots (scale, sources, back);
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < n; i++)
        entries[i] = (PwDeviceSnapshot) { pw_device_get_id (g_array_index (sources, Source, i).device),
                                          day->pdata[i] };
      if (!pw_store_append_snapshots (scale->store, entries, n, &error))
        g_error ("%s", error->message);
      written_s += pw_bench_seconds_since (start);
      if (back % 30 == 0)
        g_print ("  [%u days to go, %.0f s so far]\n", back, pw_bench_seconds_since (scale->start));
    }
  g_stat (pw_store_get_path (scale->store), &db_st);
  g_stat (wal, &wal_st);
  bench_scale_stage_end (scale, BENCH_SCALE_YEAR_BULK);
  bench_scale_stage_say (scale, BENCH_SCALE_YEAR_BULK, "%u days × %u devices with pw_store_append_snapshots, "
                         "one commit a day: %.1f µs a snapshot written (%.1f µs with making it); the store "
                         "now %.0f MB + %.0f MB of WAL, %.0f bytes a snapshot (%u days and the poll)",
                         scale->days - 1, n, written_s * 1e6 / (MAX (scale->days - 1, 1) * (double) n),
                         scale->stages[BENCH_SCALE_YEAR_BULK].seconds * 1e6 / (MAX (scale->days - 1, 1) * (double) n),
                         db_st.st_size / 1e6, wal_st.st_size / 1e6,
                         (double) (db_st.st_size + wal_st.st_size) / ((scale->days + 1) * (double) n), scale->days);
}

/* The fleet's latest state and one device's history from the store a year has filled. */
static void
read_year (BenchScale *scale,
           GArray     *sources)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint n = sources->len, with_latest = 0;
  double first_s;
  gint64 start;

  bench_scale_stage_begin (scale, BENCH_SCALE_LIST, "latest state", TRUE);
  pw_store_list_devices_async (scale->store, NULL, bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  listed = pw_store_list_devices_finish (scale->store, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    with_latest += pw_device_get_latest (listed->pdata[i]) != NULL;
  bench_scale_stage_end (scale, BENCH_SCALE_LIST);
  bench_scale_stage_say (scale, BENCH_SCALE_LIST, "pw_store_list_devices_async: %u devices, %u with their "
                         "latest snapshot", listed->len, with_latest);

  bench_scale_stage_begin (scale, BENCH_SCALE_HISTORY, "history", FALSE);
  history = pw_store_get_history (scale->store, pw_device_get_id (g_array_index (sources, Source, n / 2).device),
                                  0, G_MAXINT64, &error);
  g_assert_no_error (error);
  first_s = pw_bench_seconds_since (scale->start);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      PwDevice *device = g_array_index (sources, Source, (guint64) i * n / 100).device;
      g_autoptr(GPtrArray) other = pw_store_get_history (scale->store, pw_device_get_id (device), 0, G_MAXINT64,
                                                         &error);

      g_assert_no_error (error);
    }
  bench_scale_stage_end (scale, BENCH_SCALE_HISTORY);
  bench_scale_stage_say (scale, BENCH_SCALE_HISTORY, "pw_store_get_history of one device: %u snapshots in "
                         "%.1f ms; %.1f ms on average over 100 others", history->len, first_s * 1000,
                         pw_bench_seconds_since (start) * 1000 / 100);
}

void
bench_scale_run_year (BenchScale *scale)
{
  g_autoptr(GPtrArray) devices = pw_store_list_devices (scale->store, NULL);
  g_autoptr(GArray) sources = sources_new (scale, devices);

  write_year (scale, sources);
  read_year (scale, sources);
}

/* One report of the whole fleet, over the year and the poll, to a file. */
void
bench_scale_run_report (BenchScale     *scale,
                        guint           id,
                        PwReportKind    kind,
                        PwReportFormat  format)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", kind == PW_REPORT_KIND_FLEET ? "fleet" : "meters",
                                           format == PW_REPORT_FORMAT_CSV ? "csv" : "html");
  g_autofree char *path = g_build_filename (scale->dir, name, NULL);
  g_autofree char *stage_name = g_strdup_printf ("report %s", name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  PwReportOptions options;
  GStatBuf st = { 0 };

  pw_report_options_init (&options);
  options.kind = kind;
  options.format = format;
  options.from = scale->poll_time - (gint64) (scale->days + 1) * BENCH_SCALE_DAY_S;
  options.to = scale->poll_time + BENCH_SCALE_DAY_S;
  options.site_name = "Scale benchmark";
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);

  bench_scale_stage_begin (scale, id, g_intern_string (stage_name), TRUE);
  pw_report_write_async (scale->store, &options, G_OUTPUT_STREAM (stream), NULL, bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  if (!pw_report_write_finish (res, &error) || !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    g_error ("%s: %s", name, error->message);
  g_stat (path, &st);
  bench_scale_stage_end (scale, id);
  bench_scale_stage_say (scale, id, "pw_report_write_async, %s: %.2f MB",
                         kind == PW_REPORT_KIND_FLEET ? "every device" : "every device's meters over the year",
                         st.st_size / 1e6);
  g_unlink (path);
}
