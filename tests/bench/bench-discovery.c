/* bench-discovery.c: a discovery sweep of a simulated printer fleet, beside onesixtyone and
 * fusioninventory-netdiscovery sweeping the same fleet.
 *
 * Two fleets on loopback, each served by one snmpsimd: 127.20.0.0/24 with 250 printers and 4
 * silent addresses, and 127.21.0.0/20 with 2,000 printers among 4,094 addresses. Each printer
 * has its own serial number and MAC (a laser or a colour MFP from tests/fixtures/snmp; the
 * fleet is built in bench-fleet.c); a silent address swallows what it is sent, as an absent
 * host does. Printwatch sweeps with
 * PwSnmpEngine's defaults, without and with a SQLite store, and must find exactly the
 * simulated printers; then each peer tool sweeps the same addresses with its defaults, every
 * run bounded by a timeout. It prints a table of figures and asserts nothing about time.
 * Needs snmpsimd and snmpget (Debian packages snmpsim, snmp), else it skips; the peers are
 * optional: `apt-get install onesixtyone fusioninventory-agent-task-network` (not in
 * .ci/packages: benchmarks are not part of CI). fusioninventory pings by ICMP, which needs
 * root. Run it from an optimised build, `meson setup _build-bench -Dbuildtype=release`, with
 * `meson test -C _build-bench --benchmark discovery -v` or directly as
 * `_build-bench/tests/bench/bench-discovery [--fleet=24|20] [--fusion-threads=N] [--no-peers]`.
 * Only 127.0.0.0/8 is ever sent to; every process it starts is stopped by its PID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-discovery"

#include "bench-fleet.h"

#include "printwatch-core.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define CEILING_IN_FLIGHT   200
#define CEILING_MIN_GETS    2000
/* fusioninventory-netdiscovery without --timeout: Job.pm's fallback, per silent address. */
#define FUSION_JOB_TIMEOUT_S 60
#define TOOL_TIMEOUT_S      1200

static const PwBenchFleetSpec fleet_specs[] = {
  { "127.20.0.0/24", 250 },
  { "127.21.0.0/20", 2000 },
};

typedef struct {
  char      *tool;          /* owned: name and settings */
  char      *note;          /* owned, nullable: why skipped, what did not match */
  PwBenchRun run;
  gboolean   exact;         /* reported exactly the simulated printers */
  guint      found;         /* printers reported at the printers' addresses */
  guint      wrong;         /* addresses reported as printers that are none */
} Row;

static int     opt_fleet = 0;           /* 24, 20, or 0 for both */
static int     opt_fusion_threads = 16;
static int     opt_tool_timeout = TOOL_TIMEOUT_S;
static gboolean opt_no_peers = FALSE;

/* ---- Printwatch ---- */

typedef struct {
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  gint64     start;
  gint64     last_found;
  pid_t      server_pid;
  double     server_at_found;  /* snmpsimd's CPU time when the last printer was found */
} Sweep;

static void
found_cb (PwDiscovery       *discovery,
          PwDiscoveryResult *result,
          Sweep             *sweep)
{
  sweep->last_found = g_get_monotonic_time ();
  sweep->server_at_found = pw_bench_process_cpu_s (sweep->server_pid);
}

static void
swept_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Sweep *sweep = user_data;

  sweep->results = pw_discovery_run_finish (PW_DISCOVERY (source), res, &sweep->error);
  g_main_loop_quit (sweep->loop);
}

static void
run_printwatch (PwBenchFleet *fleet,
                gboolean      with_store,
                Row          *row)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwDiscovery) discovery = NULL;
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = pw_bench_fleet_path (fleet, "discovery.db");
  g_autofree char *spec_text = g_strdup_printf ("%s:%u", fleet->spec->network, fleet->port);
  Sweep sweep = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, fleet->server_pid, 0 };
  double cpu0, server0;
  guint other = 0;

  row->tool = g_strdup_printf ("Printwatch, %s", with_store ? "SQLite store" : "no store");
  if (with_store)
    {
      g_unlink (db);
      store = pw_store_open (db, &error);
      g_assert_no_error (error);
    }
  discovery = pw_discovery_new (engine, store);
  targets = pw_target_spec_parse (spec_text, 161, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_target_spec_get_count (targets), ==, fleet->hosts->len);
  g_ptr_array_add (credentials,
                   pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, PW_BENCH_COMMUNITY, NULL));
  g_signal_connect (discovery, "found", G_CALLBACK (found_cb), &sweep);

  cpu0 = pw_bench_self_cpu_s ();
  server0 = pw_bench_process_cpu_s (fleet->server_pid);
  sweep.start = g_get_monotonic_time ();
  pw_discovery_run_async (discovery, targets, credentials, NULL, swept_cb, &sweep);
  g_main_loop_run (sweep.loop);
  row->run.seconds = pw_bench_seconds_since (sweep.start);
  row->run.cpu_s = pw_bench_self_cpu_s () - cpu0;
  row->run.server_cpu_s = pw_bench_process_cpu_s (fleet->server_pid) - server0;
  row->run.ran = TRUE;
  g_main_loop_unref (sweep.loop);

  if (sweep.results == NULL)
    {
      row->note = g_strdup_printf ("sweep failed: %s", sweep.error->message);
      g_error_free (sweep.error);
      return;
    }
  for (guint i = 0; i < sweep.results->len; i++)
    {
      PwDiscoveryResult *result = sweep.results->pdata[i];
      gboolean printer = result->outcome == PW_DISCOVERY_PRINTER && !result->duplicate;

      if (printer && g_hash_table_contains (fleet->by_host, result->host))
        row->found++;
      else if (printer)
        row->wrong++;
      else
        other++;
    }
  row->exact = row->found == fleet->spec->n_printers && row->wrong == 0 && other == 0
               && pw_discovery_get_found (discovery) == fleet->spec->n_printers;
  if (with_store)
    {
      guint stored = pw_store_count_devices (store, NULL);

      row->exact = row->exact && stored == fleet->spec->n_printers;
      if (stored != fleet->spec->n_printers)
        row->note = g_strdup_printf ("%u devices stored", stored);
    }
  if (other > 0)
    {
      g_free (row->note);
      row->note = g_strdup_printf ("%u other results (not printers, refused or failed)", other);
    }
  /* Where the time went: while printers answer, is snmpsimd the limit? After the last one,
   * the silent addresses wait out the timeout and the retry. */
  if (row->note == NULL && sweep.last_found > 0)
    {
      double found_s = (sweep.last_found - sweep.start) / (double) G_USEC_PER_SEC;

      row->note = g_strdup_printf ("last printer found after %.2f s (snmpsimd busy %.0f%% until then); "
                                   "the rest waits out silent addresses (%u ms, then %u retry)",
                                   found_s, (sweep.server_at_found - server0) / found_s * 100,
                                   pw_snmp_engine_get_timeout (engine),
                                   pw_snmp_engine_get_retries (engine));
    }
  g_ptr_array_unref (sweep.results);
}

/* ---- the peers ---- */

static void
count_onesixtyone (PwBenchFleet *fleet,
                   const char   *out_path,
                   Row          *row)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (out_path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *mark = strstr (lines[i], " [" PW_BENCH_COMMUNITY "] ");
      g_autofree char *host = mark != NULL ? g_strndup (lines[i], (gsize) (mark - lines[i])) : NULL;

      if (host == NULL)
        continue;
      if (g_hash_table_contains (fleet->by_host, host))
        row->found++;
      else
        row->wrong++;
    }
  row->exact = row->found == fleet->spec->n_printers && row->wrong == 0;
}

static void
run_onesixtyone (PwBenchFleet *fleet,
                 int           wait_ms,
                 Row          *row)
{
  g_autofree char *program = g_find_program_in_path ("onesixtyone");
  g_autofree char *hosts = pw_bench_fleet_path (fleet, "hosts");
  g_autofree char *communities = pw_bench_fleet_path (fleet, "communities");
  g_autofree char *out = pw_bench_fleet_path (fleet, "onesixtyone.out");
  g_autofree char *err = pw_bench_fleet_path (fleet, "onesixtyone.err");
  g_autofree char *port = g_strdup_printf ("%u", fleet->port);
  g_autofree char *wait = g_strdup_printf ("%d", wait_ms);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "-c", communities, "-i", hosts, "-p", port,
                         wait_ms >= 0 ? "-w" : NULL, wait, NULL };

  if (wait_ms < 0)
    row->tool = g_strdup ("onesixtyone, defaults (-w 10)");
  else
    row->tool = g_strdup_printf ("onesixtyone -w %d", wait_ms);
  if (program == NULL)
    {
      row->note = g_strdup ("not installed (Debian package onesixtyone), skipped");
      return;
    }
  if (!pw_bench_run_tool (fleet, argv, out, err, (guint) opt_tool_timeout, &row->run, &error))
    row->note = g_strdup_printf ("failed: %s", error->message);
  count_onesixtyone (fleet, out, row);
  if (row->note == NULL)
    row->note = g_strdup ("found: addresses that answered one GET of sysDescr.0; it identifies nothing");
}

/* Its XML lists each address it saw: <DEVICE> with <IP>, then <AUTHSNMP> if SNMP answered
 * and <TYPE>PRINTER</TYPE> if it took it for a printer. Every loopback address answers its
 * ICMP ping, so every address is listed; only the printers count. */
static guint
count_fusioninventory (PwBenchFleet *fleet,
                       const char   *out_path,
                       Row          *row)
{
  g_autofree char *contents = NULL;
  const char *p;
  guint listed = 0;

  if (!g_file_get_contents (out_path, &contents, NULL, NULL))
    return 0;
  for (p = strstr (contents, "<DEVICE>"); p != NULL; p = strstr (p, "<DEVICE>"))
    {
      const char *end = strstr (p, "</DEVICE>");
      g_autofree char *device = end != NULL ? g_strndup (p, (gsize) (end - p)) : g_strdup (p);
      gboolean printer = strstr (device, "<TYPE>PRINTER</TYPE>") != NULL;
      char *ips = strstr (device, "<IPS>");
      char *ip, *ip_end;

      listed++;
      p += strlen ("<DEVICE>");
      /* <IPS>, after <IP>, lists the addresses the device tells of itself; <IP> is where it
       * was found. */
      if (ips != NULL)
        *ips = '\0';
      if (!printer || (ip = strstr (device, "<IP>")) == NULL || (ip_end = strstr (ip, "</IP>")) == NULL)
        continue;
      *ip_end = '\0';
      if (g_hash_table_contains (fleet->by_host, ip + strlen ("<IP>")))
        row->found++;
      else
        row->wrong++;
    }
  row->exact = row->found == fleet->spec->n_printers && row->wrong == 0;
  return listed;
}

/* @timeout_s: its --timeout, or 0 to leave it out. */
static void
run_fusioninventory (PwBenchFleet *fleet,
                     guint         timeout_s,
                     Row          *row)
{
  g_autofree char *program = g_find_program_in_path ("fusioninventory-netdiscovery");
  g_autofree char *out = pw_bench_fleet_path (fleet, "fusioninventory.out");
  g_autofree char *err = pw_bench_fleet_path (fleet, "fusioninventory.err");
  g_autofree char *port = g_strdup_printf ("%u", fleet->port);
  g_autofree char *threads = g_strdup_printf ("%d", opt_fusion_threads);
  g_autofree char *timeout = g_strdup_printf ("%u", timeout_s);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--first", g_ptr_array_index (fleet->hosts, 0),
                         "--last", g_ptr_array_index (fleet->hosts, fleet->hosts->len - 1),
                         "--port", port, "--community", PW_BENCH_COMMUNITY, "--threads", threads,
                         timeout_s > 0 ? "--timeout" : NULL, timeout, NULL };
  guint n_silent = fleet->hosts->len - fleet->spec->n_printers;
  double expected_s = (double) n_silent * FUSION_JOB_TIMEOUT_S / opt_fusion_threads;
  guint listed;

  row->tool = timeout_s > 0
    ? g_strdup_printf ("fusioninventory-netdiscovery, %d thr., --timeout %u", opt_fusion_threads, timeout_s)
    : g_strdup_printf ("fusioninventory-netdiscovery, %d thr., no --timeout", opt_fusion_threads);
  if (program == NULL)
    {
      row->note = g_strdup ("not installed (Debian package fusioninventory-agent-task-network), skipped");
      return;
    }
  /* Without --timeout, each silent address holds a thread for a minute: not worth starting
   * when that alone outlasts the bound. */
  if (timeout_s == 0 && expected_s > opt_tool_timeout)
    {
      row->note = g_strdup_printf ("not run: its %d s per silent address make at least %u × %d s / %d "
                                   "threads = %.0f s, over the %d s bound", FUSION_JOB_TIMEOUT_S,
                                   n_silent, FUSION_JOB_TIMEOUT_S, opt_fusion_threads, expected_s,
                                   opt_tool_timeout);
      return;
    }
  if (!pw_bench_run_tool (fleet, argv, out, err, (guint) opt_tool_timeout, &row->run, &error))
    row->note = g_strdup_printf ("failed: %s", error->message);
  listed = count_fusioninventory (fleet, out, row);
  if (row->note == NULL)
    row->note = g_strdup_printf ("found: <TYPE>PRINTER</TYPE>; it also pings (ICMP%s) and asks NetBIOS "
                                 "(UDP 137) each address, and lists all %u as every loopback "
                                 "address answers the ping", geteuid () == 0 ? "" : ", needs root",
                                 listed);
  if (row->run.timed_out)
    {
      g_free (row->note);
      row->note = listed > 0
        ? g_strdup_printf ("stopped after %d s with %u of %u addresses listed: a whole sweep "
                           "extrapolates to about %.0f s", opt_tool_timeout, listed,
                           fleet->hosts->len, row->run.seconds * fleet->hosts->len / listed)
        : g_strdup_printf ("stopped after %d s, nothing listed yet", opt_tool_timeout);
    }
}

/* ---- the figures ---- */

static void
print_fleet (PwBenchFleet *fleet,
             Row          *rows,
             guint         n_rows,
             double        ceiling,
             double        ceiling_busy)
{
  const Row *reference = NULL;
  guint n_hosts = fleet->hosts->len;

  for (guint i = 0; i < n_rows; i++)
    if (rows[i].run.ran && g_str_has_prefix (rows[i].tool, "Printwatch, SQLite"))
      reference = &rows[i];

  g_print ("\n%s: %u addresses, %u printers spread evenly, %u silent; UDP port %u\n",
           fleet->spec->network, n_hosts, fleet->spec->n_printers, n_hosts - fleet->spec->n_printers,
           fleet->port);
  g_print ("snmpsimd ceiling: %.0f GET/s (sysDescr.0 to each printer, %d in flight), "
           "snmpsimd on the CPU %.0f%% of that time\n", ceiling, CEILING_IN_FLIGHT, ceiling_busy * 100);
  g_print ("%-52s %6s %9s %8s %8s %7s %7s %8s\n", "tool", "addrs", "printers", "seconds",
           "addrs/s", "CPU s", "server", "time vs");
  g_print ("%-52s %6s %9s %8s %8s %7s %7s %8s\n", "", "", "found", "", "", "", "busy", "Printw.");
  for (guint i = 0; i < n_rows; i++)
    {
      const Row *row = &rows[i];

      if (!row->run.ran)
        {
          g_print ("%-52s %6s\n    %s\n", row->tool, "-", row->note != NULL ? row->note : "skipped");
          continue;
        }
      g_print ("%-52s %6u %9u %8.2f %8.0f %7.2f %6.0f%% ", row->tool, n_hosts, row->found,
               row->run.seconds, n_hosts / row->run.seconds, row->run.cpu_s,
               row->run.server_cpu_s / row->run.seconds * 100);
      if (reference != NULL)
        g_print ("%7.2f×", row->run.seconds / reference->run.seconds);
      g_print ("%s%s%s\n", row->exact ? "" : "  (not exactly the printers)",
               row->run.timed_out ? "  (TIMED OUT)" : "",
               row->run.server_cpu_s / row->run.seconds >= 0.85 ? "  (simulator-bound)" : "");
      if (row->wrong > 0)
        g_print ("    %u addresses reported as printers that are none\n", row->wrong);
      if (row->note != NULL)
        g_print ("    %s\n", row->note);
    }
  if (reference == NULL)
    return;
  for (guint i = 0; i < n_rows; i++)
    {
      const Row *row = &rows[i];

      if (!row->run.ran || row->run.timed_out)
        continue;
      /* Every run of a peer is judged, its defaults and its tuned settings alike. */
      if (g_str_has_prefix (row->tool, "fusioninventory"))
        g_print ("target ≥10× faster than %s: %.1f× (%s)\n", row->tool,
                 row->run.seconds / reference->run.seconds,
                 row->run.seconds / reference->run.seconds >= 10 ? "met" : "NOT met");
      else if (g_str_has_prefix (row->tool, "onesixtyone"))
        g_print ("target within 2× of %s: %.2f× its time (%s)\n", row->tool,
                 reference->run.seconds / row->run.seconds,
                 reference->run.seconds / row->run.seconds <= 2 ? "met" : "NOT met");
    }
}

static const GOptionEntry options[] = {
  { "fleet", 0, 0, G_OPTION_ARG_INT, &opt_fleet, "Only the /24 or the /20 fleet", "24|20" },
  { "fusion-threads", 0, 0, G_OPTION_ARG_INT, &opt_fusion_threads,
    "Threads of fusioninventory-netdiscovery (default 16)", "N" },
  { "tool-timeout", 0, 0, G_OPTION_ARG_INT, &opt_tool_timeout,
    "Seconds each peer tool may run (default 1200)", "S" },
  { "no-peers", 0, 0, G_OPTION_ARG_NONE, &opt_no_peers, "Only Printwatch", NULL },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- sweep a simulated printer fleet");
  g_autoptr(GError) error = NULL;
  const char * const v161[] = { "onesixtyone", NULL };
  const char * const vfusion[] = { "fusioninventory-netdiscovery", "--version", NULL };
  const char * const vsim[] = { "snmpsimd", "--version", NULL };
  g_autofree char *sim_version = NULL;
  g_autofree char *version_161 = NULL;
  g_autofree char *version_fusion = NULL;
  gboolean all_exact = TRUE;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || (opt_fleet != 0 && opt_fleet != 24 && opt_fleet != 20)
      || opt_fusion_threads < 1 || opt_tool_timeout < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--fleet is 24 or 20; counts are positive");
      return 2;
    }
  pw_bench_setup ();

  sim_version = pw_bench_tool_version (vsim);
  version_161 = pw_bench_tool_version (v161);
  version_fusion = pw_bench_tool_version (vfusion);
  g_print ("Discovery benchmark: one snmpsimd serves every printer on 127.0.0.0/8 (loopback only).\n");
  g_print ("%s; %s; %s\n", sim_version, version_161, version_fusion);
  g_print ("%ld CPUs online; running as %s; Printwatch with PwSnmpEngine defaults "
           "(%u in flight, %u ms timeout, %u retry), SNMPv2c community \"%s\".\n",
           sysconf (_SC_NPROCESSORS_ONLN), geteuid () == 0 ? "root" : "an ordinary user",
           PW_SNMP_ENGINE_DEFAULT_CONCURRENCY, PW_SNMP_ENGINE_DEFAULT_TIMEOUT,
           PW_SNMP_ENGINE_DEFAULT_RETRIES, PW_BENCH_COMMUNITY);
  g_print ("All three tools take a port option: the fleet runs on a free unprivileged port, not 161.\n"
           "seconds: wall time of the whole sweep (for the peers, from exec to exit); CPU s: the\n"
           "tool's own CPU time; server busy: snmpsimd's CPU time over the wall time (near 100%%,\n"
           "the simulator, not the tool, sets the pace); time vs Printw.: seconds over those of\n"
           "Printwatch with its SQLite store.\n");

  for (guint f = 0; f < G_N_ELEMENTS (fleet_specs); f++)
    {
      const PwBenchFleetSpec *spec = &fleet_specs[f];
      g_autoptr(PwBenchFleet) fleet = NULL;
      Row rows[6] = { { 0 } };
      guint n_rows = opt_no_peers ? 2 : G_N_ELEMENTS (rows);
      double ceiling, ceiling_busy = 0;
      gint64 start;

      if (opt_fleet != 0 && !g_str_has_suffix (spec->network, opt_fleet == 24 ? "/24" : "/20"))
        continue;
      start = g_get_monotonic_time ();
      fleet = pw_bench_fleet_start (spec, &error);
      if (fleet == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            {
              g_print ("SKIP: %s\n", error->message);
              return 0;
            }
          g_printerr ("Cannot start the %s fleet: %s\n", spec->network, error->message);
          return 1;
        }
      g_print ("\n[%s fleet up in %.1f s]\n", spec->network, pw_bench_seconds_since (start));

      ceiling = pw_bench_fleet_measure_ceiling (fleet, CEILING_IN_FLIGHT, CEILING_MIN_GETS, &ceiling_busy);
      run_printwatch (fleet, FALSE, &rows[0]);
      run_printwatch (fleet, TRUE, &rows[1]);
      all_exact = all_exact && rows[0].exact && rows[1].exact;
      if (!opt_no_peers)
        {
          run_onesixtyone (fleet, -1, &rows[2]);
          run_onesixtyone (fleet, 1, &rows[3]);
          /* 1 s is what its --help calls the default; left out, Job.pm waits 60 s. */
          run_fusioninventory (fleet, 1, &rows[4]);
          run_fusioninventory (fleet, 0, &rows[5]);
        }
      print_fleet (fleet, rows, n_rows, ceiling, ceiling_busy);
      for (guint i = 0; i < n_rows; i++)
        {
          g_free (rows[i].tool);
          g_free (rows[i].note);
        }
    }

  if (!all_exact)
    {
      g_printerr ("\nPrintwatch did not find exactly the simulated printers (see above).\n");
      return 1;
    }
  return 0;
}
