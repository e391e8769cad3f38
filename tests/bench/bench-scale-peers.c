/* bench-scale-peers.c: the peer tools on the scale benchmark's fleet, or the ratios that the
 * discovery and poll benchmarks measured.
 *
 * With --peers, each tool runs once on the same fleet as Printwatch, with the settings the
 * discovery and poll benchmarks give it (their files say why): onesixtyone with its defaults
 * and fusioninventory-netdiscovery with 16 threads and --timeout 1 over every address, then
 * fusioninventory-netinventory with its default single thread on a sample of the printers,
 * its times scaled to the whole fleet. What they found is counted from their output as they
 * claim it; those benchmarks check it printer by printer. A run stopped at its time bound is
 * scaled from what it got through. Without --peers, the saved output of those benchmarks is
 * shown instead: their fleet lines, table rows and targets, labelled as theirs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-scale"

#include "bench-scale.h"

#include <string.h>

#define FUSION_THREADS 16

typedef struct {
  const char *tool;
  char       *settings;     /* owned */
  char       *note;         /* owned, nullable */
  PwBenchRun  run;
  guint       given;        /* addresses or printers it was given */
  guint       done;         /* of them, those its output tells of */
  guint       found;        /* printers it reported found, or read */
  double      scale;        /* the fleet over what its figures stand for */
  double      reference_s;  /* Printwatch's wall time for the same job */
} PeerRow;

/* How often @needle occurs in the file at @path. */
static guint
count_in_file (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = strstr (contents, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static PwBenchFleet *
first_fleet (const BenchScaleReference *reference)
{
  return reference->fleets->pdata[0];
}

/* Every address of the fleets, one a line, in the first fleet's folder. */
static char *
write_hosts (const BenchScaleReference *reference)
{
  g_autofree char *path = pw_bench_fleet_path (first_fleet (reference), "all-hosts");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < reference->fleets->len; f++)
    {
      PwBenchFleet *fleet = reference->fleets->pdata[f];

      for (guint i = 0; i < fleet->hosts->len; i++)
        g_string_append_printf (text, "%s\n", (const char *) fleet->hosts->pdata[i]);
    }
  if (!g_file_set_contents (path, text->str, (gssize) text->len, &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&path);
}

/* Runs @argv for @row; FALSE if the tool is not installed. */
static gboolean
run_peer (const BenchScaleReference *reference,
          const char * const        *argv,
          const char                *name,
          guint                      timeout_s,
          PeerRow                   *row,
          char                     **out_path)
{
  g_autofree char *err_name = g_strconcat (name, ".err", NULL);
  g_autofree char *err_path = pw_bench_fleet_path (first_fleet (reference), err_name);
  g_autoptr(GError) error = NULL;

  *out_path = pw_bench_fleet_path (first_fleet (reference), name);
  if (argv[0] == NULL)
    {
      row->note = g_strdup ("not installed, skipped");
      return FALSE;
    }
  if (!pw_bench_run_tool (first_fleet (reference), argv, *out_path, err_path, timeout_s, &row->run, &error))
    row->note = g_strdup_printf ("failed: %s", error->message);
  return TRUE;
}

static void
run_onesixtyone (const BenchScaleReference *reference,
                 const char                *hosts,
                 const char                *port,
                 guint                      timeout_s,
                 PeerRow                   *row)
{
  g_autofree char *program = g_find_program_in_path ("onesixtyone");
  g_autofree char *communities = pw_bench_fleet_path (first_fleet (reference), "communities");
  g_autofree char *out = NULL;
  const char *argv[] = { program, "-c", communities, "-i", hosts, "-p", port, NULL };

  row->tool = "onesixtyone";
  row->settings = g_strdup ("its defaults (-w 10); one GET of sysDescr.0 each");
  row->given = row->done = reference->n_addresses;
  row->reference_s = reference->discovery_s;
  if (run_peer (reference, argv, "onesixtyone.out", timeout_s, row, &out))
    row->found = count_in_file (out, " [" PW_BENCH_COMMUNITY "] ");
}

static void
run_netdiscovery (const BenchScaleReference *reference,
                  const char                *port,
                  guint                      timeout_s,
                  PeerRow                   *row)
{
  g_autofree char *program = g_find_program_in_path ("fusioninventory-netdiscovery");
  g_autofree char *threads = g_strdup_printf ("%d", FUSION_THREADS);
  g_autofree char *out = NULL;
  PwBenchFleet *last = reference->fleets->pdata[reference->fleets->len - 1];
  const char *argv[] = { program, "--first", first_fleet (reference)->hosts->pdata[0],
                         "--last", last->hosts->pdata[last->hosts->len - 1], "--port", port,
                         "--community", PW_BENCH_COMMUNITY, "--threads", threads, "--timeout", "1", NULL };

  row->tool = "fusioninventory-netdiscovery";
  /* A range: with the fleet in parts, also the parts' network and broadcast addresses. */
  row->settings = g_strdup_printf ("%d threads, --timeout 1; --first %s --last %s", FUSION_THREADS, argv[2],
                                   argv[4]);
  row->given = reference->n_addresses;
  row->reference_s = reference->discovery_s;
  if (!run_peer (reference, argv, "netdiscovery.out", timeout_s, row, &out))
    return;
  /* It lists every address it pinged, and every loopback address answers the ping. */
  row->done = count_in_file (out, "<DEVICE>");
  row->found = count_in_file (out, "<TYPE>PRINTER</TYPE>");
}

static void
run_netinventory (const BenchScaleReference *reference,
                  const char                *port,
                  guint                      sample,
                  guint                      timeout_s,
                  PeerRow                   *row)
{
  g_autofree char *program = g_find_program_in_path ("fusioninventory-netinventory");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) printers = g_ptr_array_new ();
  g_autofree char *out = NULL;

  for (guint f = 0; f < reference->fleets->len; f++)
    g_ptr_array_extend (printers, ((PwBenchFleet *) reference->fleets->pdata[f])->printers, NULL, NULL);
  row->tool = "fusioninventory-netinventory";
  row->given = MIN (sample, printers->len);
  row->settings = g_strdup_printf ("--threads 1 (its default) --timeout 1; %u printers", row->given);
  row->reference_s = reference->poll_s;
  g_ptr_array_add (argv, program);
  for (guint i = 0; i < row->given; i++)
    {
      PwBenchPrinter *printer = printers->pdata[(guint64) i * printers->len / row->given];

      g_ptr_array_add (argv, "--host");
      g_ptr_array_add (argv, (gpointer) printer->host);
    }
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, (gpointer) port);
  g_ptr_array_add (argv, "--credentials");
  g_ptr_array_add (argv, "version:2c,community:" PW_BENCH_COMMUNITY);
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "1");
  g_ptr_array_add (argv, NULL);
  if (!run_peer (reference, (const char * const *) argv->pdata, "netinventory.out", timeout_s, row, &out))
    return;
  row->done = count_in_file (out, "<?xml ");
  row->found = count_in_file (out, "<SERIAL>");
}

/* Its figures stand for the whole job: scaled up from a sample, or from what it got through
 * before it was stopped. */
static void
extrapolate (PeerRow *row,
             guint    whole)
{
  guint basis = row->run.timed_out ? row->done : row->given;

  row->scale = basis > 0 ? (double) whole / basis : 1;
  if (row->scale != 1)
    row->note = g_strdup_printf ("EXTRAPOLATED ×%.2f from %u%s: measured %.1f s", row->scale, basis,
                                 row->run.timed_out ? " done before it was stopped" : "", row->run.seconds);
}

/**
 * bench_scale_run_peers:
 * @sample: printers fusioninventory-netinventory polls, its times scaled to the fleet
 * @tool_timeout_s: the bound of each run
 */
void
bench_scale_run_peers (const BenchScaleReference *reference,
                       guint                      sample,
                       guint                      tool_timeout_s)
{
  g_autofree char *hosts = write_hosts (reference);
  g_autofree char *port = g_strdup_printf ("%u", first_fleet (reference)->port);
  PeerRow rows[3] = { { 0 } };

  g_print ("\n[peers on the same fleet: %u addresses, %u printers; each run bounded by %u s]\n",
           reference->n_addresses, reference->n_printers, tool_timeout_s);
  run_onesixtyone (reference, hosts, port, tool_timeout_s, &rows[0]);
  extrapolate (&rows[0], reference->n_addresses);
  run_netdiscovery (reference, port, tool_timeout_s, &rows[1]);
  extrapolate (&rows[1], reference->n_addresses);
  run_netinventory (reference, port, sample, tool_timeout_s, &rows[2]);
  extrapolate (&rows[2], reference->n_printers);

  g_print ("%-30s %-66s %8s %8s %7s %13s %9s\n", "peer, same fleet", "settings", "wall s", "CPU s",
           "RSS MB", "found (its", "wall vs");
  g_print ("%-30s %-66s %8s %8s %7s %13s %9s\n", "", "", "", "", "(peak)", "own claim)", "Printw.");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      PeerRow *row = &rows[i];
      g_autofree char *found = g_strdup_printf ("%u/%u", row->found, row->given);

      if (!row->run.ran)
        g_print ("%-30s %-66s %8s\n", row->tool, row->settings, "-");
      else
        g_print ("%-30s %-66s %8.1f %8.1f %7.1f %13s %8.2f×%s\n", row->tool, row->settings,
                 row->run.seconds * row->scale, row->run.cpu_s * row->scale, row->run.peak_rss_mb, found,
                 row->run.seconds * row->scale / row->reference_s, row->run.timed_out ? "  (TIMED OUT)" : "");
      if (row->note != NULL)
        g_print ("    %s\n", row->note);
      g_free (row->settings);
      g_free (row->note);
    }
  g_print ("wall vs Printw.: the peer's wall time over Printwatch's for the same job (discovery: %.1f s, "
           "%u printers found; poll: %.1f s, %u printers read right)\n", reference->discovery_s,
           reference->discovered, reference->poll_s, reference->polled_ok);
}

/* A line of those benchmarks' output worth showing: a fleet's heading, a row of their table
 * (whose last column is the ratio to Printwatch), a target and whether it was met. */
static gboolean
is_ratio_line (const char *line)
{
  static const char * const starts[] = { "127.", "target ", "Printwatch", "onesixtyone", "fusioninventory",
                                         "shell loop", "snmpsimd ceiling", "longest main-loop" };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (g_str_has_prefix (line, starts[i]))
      return TRUE;
  return FALSE;
}

/**
 * bench_scale_print_saved_ratios:
 * @paths: files holding what bench-discovery or bench-poll printed
 */
void
bench_scale_print_saved_ratios (const char * const *paths)
{
  g_print ("\nRatios to the peers: not measured on this fleet (--peers runs them here).\n");
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;
      guint shown = 0;

      if (!g_file_get_contents (paths[i], &contents, NULL, NULL))
        {
          g_print ("  no saved output at %s\n", paths[i]);
          continue;
        }
      g_print ("  As measured by an earlier run, on ITS OWN smaller fleet, saved in %s:\n", paths[i]);
      lines = g_strsplit (contents, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        if (is_ratio_line (lines[j]) && shown++ < 40)
          g_print ("    | %s\n", lines[j]);
      if (shown == 0)
        g_print ("    (no figures in it)\n");
    }
}
