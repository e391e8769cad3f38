/* bench-poll.c: a full poll of a simulated printer fleet, beside fusioninventory-netinventory
 * and a shell loop of snmpbulkwalk polling the same printers.
 *
 * The fleet (bench-fleet.h): 2,000 printers on 127.22.0.0/21, served by one snmpsimd. They
 * spread evenly over its 2,046 addresses; the 46 others are silent and polled by nobody (with
 * --printers=N, the smallest network of 127.22.0.0 that holds N). Each printer is a laser or
 * a colour MFP from tests/fixtures/snmp with a serial number, MAC and page count of its own.
 * Printwatch adds every printer to a PwStore on a temporary file and polls them all once with
 * PwPoller on PwSnmpEngine's defaults, SNMPv2c community "public", on a GMainLoop; a
 * high-priority 5 ms GLib timeout meanwhile records the longest stall of that loop. A device
 * counts as ok when its snapshot was stored with its printer's own serial number and page
 * count. Then, on the same fleet in the same run:
 *  - fusioninventory-netinventory, once over the whole list (its --host takes many), with its
 *    default --threads 1 as an admin gets it, then with --threads 16 (--fusion-threads), and
 *    --timeout 1 both times; ok when its XML has the printer's serial and total page count
 *    (its threads print to stdout at once, so with more than one its XML comes out spliced
 *    and some printers are lost in it);
 *  - a plain sequential shell loop of `snmpbulkwalk -v2c -c public -Cr25 -On` over the
 *    subtrees that hold every column PwPoller reads (system, ifPhysAddress, hrDeviceTable,
 *    hrPrinterTable, the Printer-MIB, HP's device ID; checked against pw-poller-private.h);
 *    ok when its output has the printer's serial and page count.
 * With --sample=N the peers poll N printers spread over the fleet, and their wall and CPU
 * times are extrapolated linearly to the whole fleet, which the table says. Every peer run is
 * bounded by --tool-timeout (a peer stopped there is extrapolated from the printers it got
 * through). It prints wall time, CPU time (user + system; a peer's with its children's),
 * peak resident set (a peer's largest process; bench-spawn measures the peers), snmpsimd's
 * CPU meanwhile, and the ratios to Printwatch's wall time; it asserts nothing about time,
 * and fails only when Printwatch did not read every printer right.
 *
 * Needs snmpsimd and snmpget (Debian packages snmpsim, snmp), else it skips; the peers are
 * optional: `apt-get install fusioninventory-agent-task-network snmp` (not in .ci/packages:
 * benchmarks are not part of CI). Run it from an optimised build,
 * `meson setup _build-bench -Dbuildtype=release`, with
 * `meson test -C _build-bench --benchmark poll -v`, or directly as
 * `_build-bench/tests/bench/bench-poll [--printers=N] [--sample=N] [--fusion-threads=N]
 * [--tool-timeout=S] [--in-flight=N] [--no-peers]`; --in-flight=N sets PwSnmpEngine's window
 * instead of its default, to see what the simulator takes. meson's test environment sets
 * MALLOC_CHECK_=2, which slows every tool a little; run directly for the cleaner figures.
 * Only 127.0.0.0/8 is ever sent to; every process it starts is stopped by its PID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-poll"

#include "bench-fleet.h"

#include "printwatch-core.h"
#include "pw-poller-private.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define NETWORK_BASE       "127.22.0.0"
#define CEILING_IN_FLIGHT  200
#define CEILING_MIN_GETS   2000
#define TICK_MS            5
#define LATE_MS            16      /* a missed frame at 60 Hz */
#define TOOL_TIMEOUT_S     1200
#define SNMPBULKWALK_ARGS  "-v2c -c " PW_BENCH_COMMUNITY " -Cr25 -On"

/* What a shell loop walks for each printer: every walk of PwPoller lies in one of these. */
static const char * const shell_subtrees[] = {
  "1.3.6.1.2.1.1",               /* system */
  "1.3.6.1.2.1.2.2.1.6",         /* ifPhysAddress */
  "1.3.6.1.2.1.25.3.2",          /* hrDeviceTable */
  "1.3.6.1.2.1.25.3.5",          /* hrPrinterTable */
  "1.3.6.1.2.1.43",              /* Printer-MIB */
  "1.3.6.1.4.1.11.2.3.9.1.1.7",  /* HP's IEEE 1284 device ID */
};

typedef struct {
  char       *tool;        /* owned */
  char       *settings;    /* owned */
  char       *note;        /* owned, nullable */
  PwBenchRun  run;         /* as measured */
  guint       polled;      /* printers it was given */
  guint       done;        /* printers it got through before its end */
  guint       ok;          /* printers read right */
  double      scale;       /* fleet over what its figures stand for: 1 unless extrapolated */
} Row;

static int      opt_printers = 2000;
static int      opt_in_flight = 0;
static int      opt_sample = 0;
static int      opt_fusion_threads = 16;
static int      opt_tool_timeout = TOOL_TIMEOUT_S;
static gboolean opt_no_peers = FALSE;

/* Adds a sentence to what the table says under the row. */
G_GNUC_PRINTF (2, 3)
static void
add_note (Row        *row,
          const char *format,
          ...)
{
  g_autofree char *text = NULL;
  char *joined;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  joined = row->note != NULL ? g_strdup_printf ("%s; %s", row->note, text) : g_strdup (text);
  g_free (row->note);
  row->note = joined;
}

/* ---- Printwatch ---- */

typedef struct {
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  gint64     last_tick;
  gint64     longest_stall;  /* µs beyond the tick's interval */
  guint      ticks;
  guint      late;           /* ticks over LATE_MS late */
} Poll;

static gboolean
tick_cb (gpointer user_data)
{
  Poll *poll = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 stall = now - poll->last_tick - TICK_MS * 1000;

  poll->longest_stall = MAX (poll->longest_stall, stall);
  poll->late += stall > LATE_MS * 1000;
  poll->ticks++;
  poll->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Poll *poll = user_data;

  poll->results = pw_poller_poll_finish (PW_POLLER (source), res, &poll->error);
  g_main_loop_quit (poll->loop);
}

/* What the store holds for each printer now: its own serial and page count? Returns how many
 * are right; counts the wrong ones by kind. */
static guint
check_store (PwBenchFleet *fleet,
             PwStore      *store,
             GString      *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices (store, &error);
  guint ok = 0, no_snapshot = 0, wrong_serial = 0, wrong_total = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      PwBenchPrinter *printer = pw_bench_fleet_lookup (fleet, pw_device_get_host (device));
      PwSnapshot *latest = pw_device_get_latest (device);
      gint64 total = -1;

      g_assert_nonnull (printer);
      if (latest == NULL)
        no_snapshot++;
      else if (g_strcmp0 (pw_device_get_identity (device, PW_IDENTITY_SERIAL), printer->serial) != 0)
        wrong_serial++;
      else if (!pw_snapshot_lookup_counter (latest, "total", &total) || total != printer->total)
        wrong_total++;
      else
        ok++;
    }
  if (devices->len != fleet->printers->len)
    g_string_append_printf (problems, "; %u devices stored of %u", devices->len, fleet->printers->len);
  if (no_snapshot > 0)
    g_string_append_printf (problems, "; %u without a snapshot", no_snapshot);
  if (wrong_serial > 0)
    g_string_append_printf (problems, "; %u with a wrong serial", wrong_serial);
  if (wrong_total > 0)
    g_string_append_printf (problems, "; %u with a wrong total", wrong_total);
  return ok;
}

static void
run_printwatch (PwBenchFleet *fleet,
                Row          *row,
                Poll         *poll)
{
  g_autofree char *db = pw_bench_fleet_path (fleet, "poll.db");
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwPoller) poller = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  double cpu0, server0, rss_before;
  gint64 start;
  guint tick_id, failed = 0;
  const char *first_failure = NULL;

  row->tool = g_strdup ("Printwatch (PwPoller)");
  if (opt_in_flight > 0)
    pw_snmp_engine_set_concurrency (engine, (guint) opt_in_flight);
  row->settings = g_strdup_printf ("engine %s: %u in flight, %u ms, %u retry; SQLite",
                                   opt_in_flight > 0 ? "--in-flight" : "defaults",
                                   pw_snmp_engine_get_concurrency (engine),
                                   pw_snmp_engine_get_timeout (engine), pw_snmp_engine_get_retries (engine));
  store = pw_store_open (db, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < fleet->printers->len; i++)
    {
      PwBenchPrinter *printer = fleet->printers->pdata[i];

      g_ptr_array_add (devices, pw_store_add_device (store, printer->host, fleet->port, &error));
      g_assert_no_error (error);
    }
  g_print ("[%u devices added to the store in %.1f s]\n", devices->len, pw_bench_seconds_since (start));
  g_ptr_array_add (credentials,
                   pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, PW_BENCH_COMMUNITY, NULL));
  poller = pw_poller_new (engine, store);

  poll->loop = g_main_loop_new (NULL, FALSE);
  rss_before = pw_bench_self_peak_rss_mb ();
  cpu0 = pw_bench_self_cpu_s ();
  server0 = pw_bench_process_cpu_s (fleet->server_pid);
  start = poll->last_tick = g_get_monotonic_time ();
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, poll, NULL);
  pw_poller_poll_async (poller, devices, credentials, NULL, polled_cb, poll);
  g_main_loop_run (poll->loop);
  tick_cb (poll);  /* the wait for the poll's end counts too */
  row->run.seconds = pw_bench_seconds_since (start);
  row->run.cpu_s = pw_bench_self_cpu_s () - cpu0;
  row->run.server_cpu_s = pw_bench_process_cpu_s (fleet->server_pid) - server0;
  row->run.peak_rss_mb = pw_bench_self_peak_rss_mb ();
  row->run.ran = TRUE;
  g_source_remove (tick_id);
  g_clear_pointer (&poll->loop, g_main_loop_unref);
  row->polled = fleet->printers->len;
  row->scale = 1;

  if (poll->results == NULL)
    {
      row->note = g_strdup_printf ("poll failed: %s", poll->error->message);
      g_clear_error (&poll->error);
      return;
    }
  row->done = poll->results->len;
  for (guint i = 0; i < poll->results->len; i++)
    {
      PwPollResult *result = poll->results->pdata[i];

      if (!result->ok && failed++ == 0)
        first_failure = result->message;
    }
  row->ok = check_store (fleet, store, problems);
  if (failed > 0)
    g_string_append_printf (problems, "; %u polls failed, the first: %s", failed, first_failure);
  /* Late answers from a saturated simulator time out, and the retries add to its load. */
  if (failed > 0 && row->run.server_cpu_s / row->run.seconds >= 0.85)
    g_string_append_printf (problems, "; snmpsimd was busy %.0f%% of the time: see what a smaller "
                            "window does with --in-flight=N",
                            row->run.server_cpu_s / row->run.seconds * 100);
  row->note = g_strdup_printf ("%.1f printers read right a second; %.1f SNMP requests a printer; "
                               "peak RSS %.1f MB before the poll (fleet set up, store open)%s",
                               row->ok / row->run.seconds,
                               (double) pw_snmp_engine_get_n_requests (engine) / MAX (1, row->polled),
                               rss_before, problems->str);
  g_clear_pointer (&poll->results, g_ptr_array_unref);
}

/* ---- the peers ---- */

/* The printers a peer polls: all, or --sample of them spread evenly over the fleet. */
static GPtrArray *
peer_printers (PwBenchFleet *fleet)
{
  GPtrArray *printers = g_ptr_array_new ();
  guint n = fleet->printers->len;
  guint k = opt_sample > 0 && (guint) opt_sample < n ? (guint) opt_sample : n;

  for (guint i = 0; i < k; i++)
    g_ptr_array_add (printers, fleet->printers->pdata[(guint64) i * n / k]);
  return printers;
}

/* The figures of a peer stand for the whole fleet: scaled up from a sample, or from the
 * printers it got through before it was stopped. */
static void
extrapolate (PwBenchFleet *fleet,
             Row          *row)
{
  guint basis = row->run.timed_out ? row->done : row->polled;

  row->scale = 1;
  if (basis == 0 || basis == fleet->printers->len)
    return;
  row->scale = (double) fleet->printers->len / basis;
  add_note (row, "EXTRAPOLATED ×%.2f from %u printers%s: measured %.2f s, %.2f CPU s", row->scale, basis,
            row->run.timed_out ? " done before it was stopped" : "", row->run.seconds, row->run.cpu_s);
}

/* The text between <@tag> and </@tag> in [@from, @end), or NULL. */
static char *
element (const char *from,
         const char *end,
         const char *tag)
{
  g_autofree char *open = g_strdup_printf ("<%s>", tag);
  g_autofree char *close = g_strdup_printf ("</%s>", tag);
  const char *start = g_strstr_len (from, end - from, open);
  const char *stop;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  stop = g_strstr_len (start, end - start, close);
  return stop != NULL ? g_strndup (start, (gsize) (stop - start)) : NULL;
}

/* Its output is one XML document per host polled, in the order done: <INFO> holds <ID> (the
 * host's place on the command line) and <SERIAL>, <PAGECOUNTERS> the <TOTAL>; a host it could
 * not read has an <ERROR> instead. Its threads print to stdout at once, so with more than
 * one, documents come out spliced into each other: unreadable, or with another's values;
 * either way that printer is not ok, as nobody could use what it printed. */
static void
count_fusioninventory (const char *out_path,
                       GPtrArray  *printers,
                       int         threads,
                       Row        *row)
{
  g_autofree char *contents = NULL;
  g_autofree char *first_error = NULL;
  g_autofree gboolean *seen = g_new0 (gboolean, printers->len);
  g_auto(GStrv) documents = NULL;
  guint errors = 0, wrong = 0, garbled = 0;

  if (!g_file_get_contents (out_path, &contents, NULL, NULL))
    return;
  documents = g_strsplit (contents, "<?xml ", -1);
  for (guint i = 1; documents[i] != NULL; i++)
    {
      const char *document = documents[i];
      const char *end = document + strlen (document);
      g_autofree char *device = element (document, end, "DEVICE");
      g_autofree char *info = device != NULL ? element (device, device + strlen (device), "INFO") : NULL;
      g_autofree char *id = info != NULL ? element (info, info + strlen (info), "ID") : NULL;
      g_autofree char *counters = NULL;
      g_autofree char *serial = NULL;
      g_autofree char *total = NULL;
      guint64 index = 0;
      PwBenchPrinter *printer;

      /* Stopped at its bound, it may have been cut off mid-document. */
      if (documents[i + 1] == NULL && row->run.timed_out && strstr (document, "</REQUEST>") == NULL)
        break;
      row->done++;
      if (id == NULL || !g_ascii_string_to_unsigned (id, 10, 0, printers->len - 1, &index, NULL)
          || seen[index])
        {
          g_autofree char *message = device != NULL ? element (device, device + strlen (device), "ERROR") : NULL;

          if (message == NULL)
            garbled++;
          else if (errors++ == 0)
            first_error = g_steal_pointer (&message);
          continue;
        }
      seen[index] = TRUE;
      printer = printers->pdata[index];
      counters = element (device, device + strlen (device), "PAGECOUNTERS");
      serial = element (info, info + strlen (info), "SERIAL");
      total = counters != NULL ? element (counters, counters + strlen (counters), "TOTAL") : NULL;
      if (g_strcmp0 (serial, printer->serial) == 0 && total != NULL
          && g_ascii_strtoll (total, NULL, 10) == printer->total)
        row->ok++;
      else
        wrong++;
    }
  if (errors > 0)
    add_note (row, "%u printers not read, the first: %s", errors, first_error);
  if (threads > 1 && (wrong > 0 || garbled > 0))
    add_note (row, "its threads print to stdout at once, splicing their XML: %u documents unreadable, "
              "%u with a serial or page count not the printer's", garbled, wrong);
  else if (wrong > 0 || garbled > 0)
    add_note (row, "%u XML documents unreadable, %u with a serial or page count not the printer's",
              garbled, wrong);
}

static void
run_fusioninventory (PwBenchFleet *fleet,
                     GPtrArray    *printers,
                     int           threads,
                     Row          *row)
{
  g_autofree char *program = g_find_program_in_path ("fusioninventory-netinventory");
  g_autofree char *out = pw_bench_fleet_path (fleet, "netinventory.out");
  g_autofree char *err = pw_bench_fleet_path (fleet, "netinventory.err");
  g_autofree char *port = g_strdup_printf ("%u", fleet->port);
  g_autofree char *threads_text = g_strdup_printf ("%d", threads);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  row->tool = g_strdup ("fusioninventory-netinventory");
  row->settings = g_strdup_printf ("--threads %d%s --timeout 1, v2c; one run", threads,
                                   threads == 1 ? " (its default)" : "");
  if (program == NULL)
    {
      row->note = g_strdup ("not installed (Debian package fusioninventory-agent-task-network), skipped");
      return;
    }
  g_ptr_array_add (argv, program);
  for (guint i = 0; i < printers->len; i++)
    {
      g_ptr_array_add (argv, "--host");
      g_ptr_array_add (argv, (gpointer) ((PwBenchPrinter *) printers->pdata[i])->host);
    }
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, "--credentials");
  g_ptr_array_add (argv, "version:2c,community:" PW_BENCH_COMMUNITY);
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "1");
  g_ptr_array_add (argv, "--threads");
  g_ptr_array_add (argv, threads_text);
  g_ptr_array_add (argv, NULL);

  row->polled = printers->len;
  if (!pw_bench_run_tool (fleet, (const char * const *) argv->pdata, out, err, (guint) opt_tool_timeout,
                          &row->run, &error))
    add_note (row, "failed: %s", error->message);
  count_fusioninventory (out, printers, threads, row);
  extrapolate (fleet, row);
}

/* Its output: "== HOST" before each printer's walks, then one "OID = TYPE: VALUE" a line. */
static void
count_shell_loop (const char *out_path,
                  GPtrArray  *printers,
                  Row        *row)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) sections = NULL;

  if (!g_file_get_contents (out_path, &contents, NULL, NULL))
    return;
  sections = g_strsplit (contents, "== ", -1);
  for (guint i = 1; sections[i] != NULL && i <= printers->len; i++)
    {
      PwBenchPrinter *printer = printers->pdata[i - 1];
      g_autofree char *serial = g_strdup_printf ("\n." PW_BENCH_SERIAL_OID " = STRING: \"%s\"\n",
                                                 printer->serial);
      g_autofree char *total = g_strdup_printf ("\n." PW_BENCH_TOTAL_OID " = Counter32: %" G_GINT64_FORMAT "\n",
                                                printer->total);

      /* The last section may be cut short by a stop. */
      if (sections[i + 1] == NULL && row->run.timed_out)
        break;
      row->done++;
      if (g_str_has_prefix (sections[i], printer->host) && strstr (sections[i], serial) != NULL
          && strstr (sections[i], total) != NULL)
        row->ok++;
    }
  if (row->done > row->ok)
    add_note (row, "%u printers without their serial or page count in its output", row->done - row->ok);
}

static void
run_shell_loop (PwBenchFleet *fleet,
                GPtrArray    *printers,
                Row          *row)
{
  g_autofree char *program = g_find_program_in_path ("snmpbulkwalk");
  g_autofree char *list = pw_bench_fleet_path (fleet, "shell-loop.hosts");
  g_autofree char *out = pw_bench_fleet_path (fleet, "shell-loop.out");
  g_autofree char *err = pw_bench_fleet_path (fleet, "shell-loop.err");
  g_autofree char *port = g_strdup_printf ("%u", fleet->port);
  g_autofree char *subtrees = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GString) hosts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, "sh", list, port, NULL };
  char *joined[G_N_ELEMENTS (shell_subtrees) + 1] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (shell_subtrees); i++)
    joined[i] = (char *) shell_subtrees[i];
  subtrees = g_strjoinv (" ", joined);
  row->tool = g_strdup ("shell loop of snmpbulkwalk");
  row->settings = g_strdup_printf ("%s, %zu subtrees, sequential", SNMPBULKWALK_ARGS,
                                   G_N_ELEMENTS (shell_subtrees));
  if (program == NULL)
    {
      row->note = g_strdup ("not installed (Debian package snmp), skipped");
      return;
    }
  for (guint i = 0; i < printers->len; i++)
    g_string_append_printf (hosts, "%s\n", ((PwBenchPrinter *) printers->pdata[i])->host);
  if (!g_file_set_contents (list, hosts->str, (gssize) hosts->len, &error))
    g_error ("%s", error->message);
  /* As an admin writes it. */
  script = g_strdup_printf ("while read -r host; do\n"
                            "  echo \"== $host\"\n"
                            "  for oid in %s; do\n"
                            "    snmpbulkwalk " SNMPBULKWALK_ARGS " \"$host:$2\" \"$oid\"\n"
                            "  done\n"
                            "done < \"$1\"\n", subtrees);
  argv[2] = script;

  row->polled = printers->len;
  if (!pw_bench_run_tool (fleet, argv, out, err, (guint) opt_tool_timeout, &row->run, &error))
    add_note (row, "failed: %s", error->message);
  count_shell_loop (out, printers, row);
  extrapolate (fleet, row);
}

/* The shell loop stands for PwPoller only while it walks all that PwPoller walks. */
static gboolean
shell_loop_covers_poller (GString *missing)
{
  for (guint walk = 0; walk < N_WALKS; walk++)
    {
      const char *oid = _pw_poller_walks[walk].oid;
      gboolean covered = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (shell_subtrees) && !covered; i++)
        covered = g_str_has_prefix (oid, shell_subtrees[i])
                  && (oid[strlen (shell_subtrees[i])] == '\0' || oid[strlen (shell_subtrees[i])] == '.');
      if (!covered)
        g_string_append_printf (missing, " %s", oid);
    }
  return missing->len == 0;
}

/* ---- the figures ---- */

static void
print_table (PwBenchFleet *fleet,
             Row          *rows,
             guint         n_rows,
             Poll         *poll)
{
  const Row *reference = &rows[0];
  guint n = fleet->printers->len;

  g_print ("\n%s: %u printers of %u addresses, UDP port %u\n", fleet->spec->network, n,
           fleet->hosts->len, fleet->port);
  g_print ("%-29s %-58s %8s %8s %7s %11s %6s %8s\n", "tool", "settings", "wall s", "CPU s",
           "RSS MB", "devices ok", "server", "wall vs");
  g_print ("%-29s %-58s %8s %8s %7s %11s %6s %8s\n", "", "", "", "", "(peak)", "", "busy", "Printw.");
  for (guint i = 0; i < n_rows; i++)
    {
      const Row *row = &rows[i];
      g_autofree char *ok = NULL;
      g_autofree char *rss = NULL;

      if (!row->run.ran)
        {
          g_print ("%-29s %-58s %8s\n    %s\n", row->tool, row->settings, "-",
                   row->note != NULL ? row->note : "skipped");
          continue;
        }
      ok = g_strdup_printf ("%u/%u", row->ok, row->run.timed_out ? row->done : row->polled);
      rss = row->run.peak_rss_mb > 0 ? g_strdup_printf ("%.1f", row->run.peak_rss_mb) : g_strdup ("?");
      g_print ("%-29s %-58s %8.2f %8.2f %7s %11s %5.0f%% %7.2f×%s%s\n", row->tool, row->settings,
               row->run.seconds * row->scale, row->run.cpu_s * row->scale, rss, ok,
               row->run.server_cpu_s / row->run.seconds * 100,
               row->run.seconds * row->scale / reference->run.seconds,
               row->scale != 1 ? "  (extrapolated)" : "", row->run.timed_out ? "  (TIMED OUT)" : "");
      if (row->note != NULL)
        g_print ("    %s\n", row->note);
    }
  g_print ("longest main-loop stall during the Printwatch poll: %.1f ms (%u ticks of a %d ms "
           "G_PRIORITY_HIGH timeout, %u over %d ms late)\n", poll->longest_stall / 1000.0,
           poll->ticks, TICK_MS, poll->late, LATE_MS);
  for (guint i = 1; i < n_rows; i++)
    {
      const Row *row = &rows[i];
      double ratio = row->run.seconds * row->scale / reference->run.seconds;

      if (row->run.ran && g_str_has_prefix (row->tool, "fusioninventory"))
        g_print ("target ≥10× faster than fusioninventory-netinventory %s: %.1f× (%s)%s%s\n",
                 row->settings, ratio, ratio >= 10 ? "met" : "NOT met",
                 row->scale != 1 ? " (extrapolated)" : "",
                 reference->ok < n ? " (but Printwatch did not read every printer)" : "");
    }
}

static const GOptionEntry options[] = {
  { "printers", 0, 0, G_OPTION_ARG_INT, &opt_printers, "Printers in the fleet (default 2000)", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &opt_in_flight,
    "Requests Printwatch keeps in flight (default: PwSnmpEngine's)", "N" },
  { "sample", 0, 0, G_OPTION_ARG_INT, &opt_sample,
    "Peers poll N printers of the fleet, extrapolated (default: all)", "N" },
  { "fusion-threads", 0, 0, G_OPTION_ARG_INT, &opt_fusion_threads,
    "Threads of the second fusioninventory-netinventory run (default 16)", "N" },
  { "tool-timeout", 0, 0, G_OPTION_ARG_INT, &opt_tool_timeout,
    "Seconds each peer run may take (default 1200)", "S" },
  { "no-peers", 0, 0, G_OPTION_ARG_NONE, &opt_no_peers, "Only Printwatch", NULL },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- poll a simulated printer fleet");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwBenchFleet) fleet = NULL;
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *network = NULL;
  g_autofree char *sim_version = NULL;
  g_autofree char *fusion_version = NULL;
  g_autofree char *walk_version = NULL;
  const char * const vsim[] = { "snmpsimd", "--version", NULL };
  const char * const vfusion[] = { "fusioninventory-netinventory", "--version", NULL };
  const char * const vwalk[] = { "snmpbulkwalk", "--version", NULL };
  PwBenchFleetSpec spec;
  Row rows[4] = { { 0 } };
  guint n_rows;
  Poll poll = { 0 };
  double ceiling, ceiling_busy = 0;
  int prefix = 30;
  gint64 start;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || opt_printers < 1 || opt_printers > 65534 || opt_in_flight < 0 || opt_sample < 0 || opt_fusion_threads < 1
      || opt_tool_timeout < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "--printers is 1 to 65534; counts are positive");
      return 2;
    }
  n_rows = opt_no_peers ? 1 : G_N_ELEMENTS (rows);
  pw_bench_setup ();
  while ((1 << (32 - prefix)) - 2 < opt_printers)
    prefix--;
  network = g_strdup_printf (NETWORK_BASE "/%d", prefix);
  spec = (PwBenchFleetSpec) { network, (guint) opt_printers };

  sim_version = pw_bench_tool_version (vsim);
  fusion_version = pw_bench_tool_version (vfusion);
  walk_version = pw_bench_tool_version (vwalk);
  g_print ("Poll benchmark: one snmpsimd serves every printer on 127.0.0.0/8 (loopback only).\n");
  g_print ("%s; fusioninventory-netinventory: %s; snmpbulkwalk: %s\n", sim_version, fusion_version,
           walk_version);
  g_print ("%ld CPUs online; running as %s; SNMPv2c community \"%s\" for all.\n",
           sysconf (_SC_NPROCESSORS_ONLN), geteuid () == 0 ? "root" : "an ordinary user",
           PW_BENCH_COMMUNITY);
  g_print ("wall s: the whole poll (for the peers, from exec to exit); CPU s: user + system of the\n"
           "tool, with its children's; RSS MB: peak resident set (Printwatch: this process; a peer:\n"
           "its largest process); devices ok: printers whose serial number and page count came back\n"
           "right; server busy: snmpsimd's CPU time over the wall time (near 100%%, the simulator\n"
           "sets the pace); wall vs Printw.: wall time over Printwatch's.\n");
  if (!shell_loop_covers_poller (missing))
    g_print ("NOTE: the shell loop does not walk all PwPoller walks:%s\n", missing->str);

  start = g_get_monotonic_time ();
  fleet = pw_bench_fleet_start (&spec, &error);
  if (fleet == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_print ("SKIP: %s\n", error->message);
          return 0;
        }
      g_printerr ("Cannot start the %s fleet: %s\n", network, error->message);
      return 1;
    }
  g_print ("\n[%s fleet up in %.1f s]\n", network, pw_bench_seconds_since (start));
  ceiling = pw_bench_fleet_measure_ceiling (fleet, CEILING_IN_FLIGHT, CEILING_MIN_GETS, &ceiling_busy);
  g_print ("snmpsimd ceiling: %.0f GET/s (sysDescr.0 to each printer, %d in flight), snmpsimd on "
           "the CPU %.0f%% of that time\n", ceiling, CEILING_IN_FLIGHT, ceiling_busy * 100);

  run_printwatch (fleet, &rows[0], &poll);
  if (!opt_no_peers)
    {
      sample = peer_printers (fleet);
      g_print ("[peers poll %u of the %u printers%s]\n", sample->len, fleet->printers->len,
               sample->len < fleet->printers->len ? ", spread evenly; extrapolated" : "");
      run_fusioninventory (fleet, sample, 1, &rows[1]);
      run_fusioninventory (fleet, sample, opt_fusion_threads, &rows[2]);
      run_shell_loop (fleet, sample, &rows[3]);
    }
  print_table (fleet, rows, n_rows, &poll);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_free (rows[i].tool);
      g_free (rows[i].settings);
      g_free (rows[i].note);
    }
  if (rows[0].ok != fleet->printers->len)
    {
      g_printerr ("\nPrintwatch read %u of the %u printers right (see above).\n", rows[0].ok,
                  fleet->printers->len);
      return 1;
    }
  return 0;
}
